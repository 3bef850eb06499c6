//! EHLO reply parser ([RFC 5321 §4.1.1.1]).
//!
//! [RFC 5321 §4.1.1.1]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.1
//!
//! Keywords are case-insensitive. A line that is not an `ehlo-line` is
//! skipped rather than failing the session, as a client must still use what
//! it understands; `AUTH=` lines (an old form) add mechanisms.
//!
//! ```
//! use mailwire_smtp::parse::{parse_ehlo_reply, parse_reply, Status};
//! let wire = b"250-mx.example.org hello\r\n250-8bitmime\r\n250-SIZE\r\n250 X-FOO a b\r\n";
//! let Status::Complete((reply, _)) = parse_reply(wire).unwrap() else { panic!() };
//! let ehlo = parse_ehlo_reply(&reply).unwrap();
//! assert_eq!(ehlo.domain.as_str(), "mx.example.org");
//! assert!(ehlo.capabilities.eight_bit_mime());
//! assert_eq!(ehlo.capabilities.size(), Some(None));
//! assert!(ehlo.capabilities.has("x-foo"));
//! ```

use std::borrow::Cow;

use crate::Error;
use crate::types::auth::Mechanism;
use crate::types::capability::{Capabilities, Capability, EhloReply, Extension};
use crate::types::reply::{Reply, ReplyCode};
use crate::types::text::Text;

fn capability(line: &str) -> Option<Capability> {
    let mut words = line.split(' ').filter(|w| !w.is_empty());
    let keyword = words.next()?;
    let is = |k: &str| keyword.eq_ignore_ascii_case(k);
    let params: Vec<&str> = words.collect();
    if is("AUTH")
        || keyword.len() > 5
            && keyword
                .get(..5)
                .is_some_and(|k| k.eq_ignore_ascii_case("AUTH="))
    {
        let mut mechanisms = Vec::new();
        let first = keyword.get(5..).filter(|m| !m.is_empty());
        for m in first.into_iter().chain(params.iter().copied()) {
            if let Ok(m) = Mechanism::parse(m.as_bytes()) {
                mechanisms.push(m.into_static());
            }
        }
        return Some(Capability::Auth(mechanisms));
    }
    if !keyword
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric())
        || !keyword
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        || !params
            .iter()
            .all(|p| p.bytes().all(|b| matches!(b, 33..=126)))
    {
        return None;
    }
    Some(if is("SIZE") {
        match params.first() {
            None => Capability::Size(None),
            Some(n) => Capability::Size(Some(n.parse().ok()?)),
        }
    } else if is("PIPELINING") {
        Capability::Pipelining
    } else if is("8BITMIME") {
        Capability::EightBitMime
    } else if is("SMTPUTF8") {
        Capability::SmtpUtf8
    } else if is("CHUNKING") {
        Capability::Chunking
    } else if is("BINARYMIME") {
        Capability::BinaryMime
    } else if is("STARTTLS") {
        Capability::StartTls
    } else if is("DSN") {
        Capability::Dsn
    } else if is("ENHANCEDSTATUSCODES") {
        Capability::EnhancedStatusCodes
    } else if is("REQUIRETLS") {
        Capability::RequireTls
    } else {
        Capability::Other(Extension::new_unchecked(
            keyword.to_owned(),
            params.iter().map(|p| (*p).to_owned()).collect(),
        ))
    })
}

/// Reads a positive EHLO/LHLO reply into the server's name and capabilities.
///
/// # Errors
///
/// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if the reply is not a `250`.
///
/// ```
/// use mailwire_smtp::{parse::parse_ehlo_reply, Reply, ReplyCode};
/// assert!(parse_ehlo_reply(&Reply::new(ReplyCode::SYNTAX_ERROR, "no").unwrap()).is_err());
/// ```
pub fn parse_ehlo_reply(reply: &Reply<'_>) -> Result<EhloReply, Error> {
    if reply.code() != ReplyCode::OK {
        return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
            what: "EHLO reply other than 250",
        }));
    }
    let mut lines = reply.lines().iter();
    let first = lines.next().map_or("", Text::as_str);
    let (domain, greeting) = match first.split_once(' ') {
        Some((d, g)) => (d, Some(g)),
        None => (first, None),
    };
    let mut capabilities = Capabilities::default();
    for line in lines {
        if let Some(c) = capability(line.as_str()) {
            capabilities.push(c);
        }
    }
    Ok(EhloReply {
        domain: Text::from_cow_unchecked(Cow::Owned(domain.to_owned())),
        greeting: greeting.map(|g| Text::from_cow_unchecked(Cow::Owned(g.to_owned()))),
        capabilities,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        assert_eq!(
            capability("AUTH=LOGIN PLAIN"),
            Some(Capability::Auth(vec![Mechanism::LOGIN, Mechanism::PLAIN]))
        );
        assert_eq!(capability("size 1000"), Some(Capability::Size(Some(1000))));
        assert_eq!(capability("SIZE x"), None);
        assert_eq!(capability("-X"), None);
        assert_eq!(capability(""), None);
        assert!(matches!(
            capability("MT-PRIORITY MIXER"),
            Some(Capability::Other(_))
        ));
    }
}
