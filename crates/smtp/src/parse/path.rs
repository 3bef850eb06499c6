//! Parsers for mailboxes and paths ([RFC 5321 §4.1.2], [RFC 6531 §3.3]).
//!
//! [RFC 5321 §4.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2
//! [RFC 6531 §3.3]: https://www.rfc-editor.org/rfc/rfc6531#section-3.3
//!
//! Non-ASCII octets are accepted where RFC 6531 allows UTF-8 (atext,
//! qtextSMTP, sub-domain) and must form valid UTF-8; whether the session
//! allows them (`SMTPUTF8`) is for the caller to decide.
//!
//! ```
//! use mailwire_smtp::parse::path::parse_reverse_path;
//! use mailwire_smtp::ReversePath;
//! assert_eq!(parse_reverse_path(b"<>").unwrap(), ReversePath::Null);
//! assert!(parse_reverse_path(b"<a@b.c> junk").is_err());
//! ```

use std::borrow::Cow;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::Cursor;
use crate::Error;
use crate::types::path::{
    AddressLiteral, Domain, ForwardPath, GeneralLiteral, Host, LocalPart, MAX_DOMAIN_LENGTH,
    MAX_LOCAL_PART_LENGTH, MAX_PATH_LENGTH, Mailbox, ReversePath,
};

/// The rules whose failure means a bad address rather than bad parameters.
const PATH_RULES: &[&str] = &[
    "Reverse-path",
    "Forward-path",
    "Path",
    "Mailbox",
    "At-domain",
    "A-d-l",
    "sub-domain",
    "Let-dig",
    "Atom",
    "QcontentSMTP",
    "quoted-pairSMTP",
    "Local-part",
    "U-label",
    "address-literal",
    "IPv4-address-literal",
    "IPv6-addr",
    "Standardized-tag",
    "General-address-literal",
    "dcontent",
];

/// `true` if `error` is about a mailbox or path (RFC 3463 X.1.3 / X.1.7).
pub(crate) fn is_path_error(error: &Error) -> bool {
    match error {
        Error::Protocol(mailwire_core::Error::Malformed { expected, .. }) => {
            PATH_RULES.contains(expected)
        }
        Error::Protocol(mailwire_core::Error::LimitExceeded { what, .. }) => {
            matches!(*what, "local-part length" | "domain length" | "path length")
        }
        _ => false,
    }
}

/// Runs `parser` on all of `input`; trailing bytes are an error.
pub(crate) fn whole<'a, T>(
    input: &'a [u8],
    parser: fn(&mut Cursor<'a>) -> Result<T, Error>,
) -> Result<T, Error> {
    let mut cursor = Cursor::new(input);
    let value = parser(&mut cursor)?;
    cursor.expect_end("end of input")?;
    Ok(value)
}

/// Parses a whole `Reverse-path`.
///
/// # Errors
///
/// [`CoreError::Malformed`](crate::CoreError::Malformed) or [`CoreError::LimitExceeded`](crate::CoreError::LimitExceeded) (RFC 5321 §4.5.3.1).
///
/// ```
/// assert!(mailwire_smtp::parse::path::parse_reverse_path(b"<a@b>").is_ok());
/// ```
pub fn parse_reverse_path(input: &[u8]) -> Result<ReversePath<'_>, Error> {
    whole(input, reverse_path)
}

/// Parses a whole `Forward-path` (or `<Postmaster>`).
///
/// # Errors
///
/// [`CoreError::Malformed`](crate::CoreError::Malformed) or [`CoreError::LimitExceeded`](crate::CoreError::LimitExceeded) (RFC 5321 §4.5.3.1).
///
/// ```
/// assert!(mailwire_smtp::parse::path::parse_forward_path(b"<Postmaster>").is_ok());
/// ```
pub fn parse_forward_path(input: &[u8]) -> Result<ForwardPath<'_>, Error> {
    whole(input, forward_path)
}

/// Byte classes, one bit each, looked up in [`CLASS`].
const LET_DIG: u8 = 1;
const HYPHEN: u8 = 2;
const ATEXT: u8 = 4;

/// The class of every byte (RFC 5321 §4.1.2, RFC 5322 §3.2.3; octets from
/// 0x80 are UTF-8 as RFC 6531 §3.3 allows, validated afterwards).
static CLASS: [u8; 256] = class_table();

/// Builds [`CLASS`] at compile time.
#[allow(clippy::indexing_slicing)] // `b < 256`, evaluated at compile time
const fn class_table() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut b = 0usize;
    while b < 256 {
        let byte = b as u8;
        let mut class = 0;
        if byte.is_ascii_alphanumeric() || byte >= 0x80 {
            class |= LET_DIG | ATEXT;
        }
        if byte == b'-' {
            class |= HYPHEN | ATEXT;
        }
        if matches!(
            byte,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'/'
                | b'='
                | b'?'
                | b'^'
                | b'_'
                | b'`'
                | b'{'
                | b'|'
                | b'}'
                | b'~'
        ) {
            class |= ATEXT;
        }
        table[b] = class;
        b += 1;
    }
    table
}

fn class(b: u8) -> u8 {
    CLASS.get(usize::from(b)).copied().unwrap_or(0)
}

fn is_let_dig(b: u8) -> bool {
    class(b) & LET_DIG != 0
}

/// `atext` (RFC 5322 §3.2.3) widened with UTF8-non-ascii (RFC 6531 §3.3).
pub(crate) fn is_atext(b: u8) -> bool {
    class(b) & ATEXT != 0
}

const fn is_qtext(b: u8) -> bool {
    matches!(b, 32..=33 | 35..=91 | 93..=126) || b >= 0x80
}

const fn is_dcontent(b: u8) -> bool {
    matches!(b, 33..=90 | 94..=126)
}

/// `Domain = sub-domain *("." sub-domain)`
pub(crate) fn domain<'a>(c: &mut Cursor<'a>) -> Result<Domain<'a>, Error> {
    let start = c.pos();
    let rest = c.rest();
    if !rest.first().is_some_and(|&b| is_let_dig(b)) {
        return Err(c.error("sub-domain"));
    }
    // One pass: a `.` belongs to the domain only between two labels.
    let (mut end, mut previous) = (0usize, 0u8);
    for (i, &b) in rest.iter().enumerate() {
        let next_is_let_dig = || {
            rest.get(i.saturating_add(1))
                .is_some_and(|&n| is_let_dig(n))
        };
        if class(b) & (LET_DIG | HYPHEN) != 0
            || (b == b'.' && previous != b'-' && next_is_let_dig())
        {
            previous = b;
            end = i.saturating_add(1);
        } else {
            break;
        }
    }
    if previous == b'-' {
        return Err(c.error_at(start.saturating_add(end).saturating_sub(1), "Let-dig"));
    }
    c.set_pos(start.saturating_add(end));
    let bytes = rest.get(..end).unwrap_or_default();
    if bytes.len() > MAX_DOMAIN_LENGTH {
        return Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
            offset: start as u64,
            what: "domain length",
            limit: MAX_DOMAIN_LENGTH as u64,
            actual: bytes.len() as u64,
        }));
    }
    Ok(Domain::from_cow_unchecked(Cow::Borrowed(
        c.utf8(bytes, start, "U-label")?,
    )))
}

/// `address-literal = "[" ( IPv4-address-literal / IPv6-address-literal /
/// General-address-literal ) "]"`
pub(crate) fn address_literal<'a>(c: &mut Cursor<'a>) -> Result<AddressLiteral<'a>, Error> {
    c.expect(b'[', "address-literal")?;
    let start = c.pos();
    if c.peek().is_some_and(|b| b.is_ascii_digit()) {
        let text = c.take_while(|b| b.is_ascii_digit() || b == b'.');
        let addr = std::str::from_utf8(text)
            .ok()
            .and_then(|t| t.parse::<Ipv4Addr>().ok())
            .ok_or_else(|| c.error_at(start, "IPv4-address-literal"))?;
        c.expect(b']', "IPv4-address-literal")?;
        return Ok(AddressLiteral::Ipv4(addr));
    }
    let tag = c.take_while(|b| b.is_ascii_alphanumeric() || b == b'-');
    if tag.is_empty() || tag.last() == Some(&b'-') {
        return Err(c.error_at(start, "Standardized-tag"));
    }
    c.expect(b':', "General-address-literal")?;
    let content_start = c.pos();
    let content = c.take_while(is_dcontent);
    if content.is_empty() {
        return Err(c.error("dcontent"));
    }
    c.expect(b']', "address-literal")?;
    if tag.eq_ignore_ascii_case(b"IPv6") {
        let addr = std::str::from_utf8(content)
            .ok()
            .and_then(|t| t.parse::<Ipv6Addr>().ok())
            .ok_or_else(|| c.error_at(content_start, "IPv6-addr"))?;
        return Ok(AddressLiteral::Ipv6(addr));
    }
    let tag = c.utf8(tag, start, "Standardized-tag")?;
    let content = c.utf8(content, content_start, "dcontent")?;
    Ok(AddressLiteral::General(GeneralLiteral::from_cow_unchecked(
        Cow::Borrowed(tag),
        Cow::Borrowed(content),
    )))
}

/// `Host = Domain / address-literal`
pub(crate) fn host<'a>(c: &mut Cursor<'a>) -> Result<Host<'a>, Error> {
    if c.peek() == Some(b'[') {
        address_literal(c).map(Host::Literal)
    } else {
        domain(c).map(Host::Domain)
    }
}

/// `Local-part = Dot-string / Quoted-string`
pub(crate) fn local_part<'a>(c: &mut Cursor<'a>) -> Result<LocalPart<'a>, Error> {
    let start = c.pos();
    if c.eat(b'"') {
        loop {
            match c.peek() {
                Some(b'"') => {
                    c.bump();
                    break;
                }
                Some(b'\\') => {
                    c.bump();
                    if !c.peek().is_some_and(|b| matches!(b, 32..=126)) {
                        return Err(c.error("quoted-pairSMTP"));
                    }
                    c.bump();
                }
                Some(b) if is_qtext(b) => c.bump(),
                _ => return Err(c.error("QcontentSMTP")),
            }
        }
    } else {
        loop {
            if c.take_while(is_atext).is_empty() {
                return Err(c.error("Atom"));
            }
            if !c.eat(b'.') {
                break;
            }
        }
    }
    let bytes = c.slice(start, c.pos());
    if bytes.len() > MAX_LOCAL_PART_LENGTH {
        return Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
            offset: start as u64,
            what: "local-part length",
            limit: MAX_LOCAL_PART_LENGTH as u64,
            actual: bytes.len() as u64,
        }));
    }
    Ok(LocalPart::from_cow_unchecked(Cow::Borrowed(c.utf8(
        bytes,
        start,
        "Local-part",
    )?)))
}

/// `Mailbox = Local-part "@" ( Domain / address-literal )`
pub(crate) fn mailbox<'a>(c: &mut Cursor<'a>) -> Result<Mailbox<'a>, Error> {
    let local = local_part(c)?;
    c.expect(b'@', "Mailbox")?;
    let host = host(c)?;
    Ok(Mailbox::new(local, host))
}

/// `Path = "<" [ A-d-l ":" ] Mailbox ">"`, after the `<`; the source route
/// is accepted and ignored (RFC 5321 §4.1.1.3, Appendix C).
fn path_rest<'a>(c: &mut Cursor<'a>, start: usize) -> Result<Mailbox<'a>, Error> {
    if c.peek() == Some(b'@') {
        loop {
            c.expect(b'@', "At-domain")?;
            domain(c)?;
            if !c.eat(b',') {
                break;
            }
        }
        c.expect(b':', "A-d-l")?;
    }
    let mailbox = mailbox(c)?;
    c.expect(b'>', "Path")?;
    let len = c.pos().saturating_sub(start);
    if len > MAX_PATH_LENGTH {
        return Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
            offset: start as u64,
            what: "path length",
            limit: MAX_PATH_LENGTH as u64,
            actual: len as u64,
        }));
    }
    Ok(mailbox)
}

/// `Reverse-path = Path / "<>"`
pub(crate) fn reverse_path<'a>(c: &mut Cursor<'a>) -> Result<ReversePath<'a>, Error> {
    let start = c.pos();
    c.expect(b'<', "Reverse-path")?;
    if c.eat(b'>') {
        return Ok(ReversePath::Null);
    }
    path_rest(c, start).map(ReversePath::Mailbox)
}

/// `"<Postmaster>" / Forward-path`
pub(crate) fn forward_path<'a>(c: &mut Cursor<'a>) -> Result<ForwardPath<'a>, Error> {
    let start = c.pos();
    c.expect(b'<', "Forward-path")?;
    if c.eat_ci(b"postmaster>") {
        return Ok(ForwardPath::Postmaster);
    }
    path_rest(c, start).map(ForwardPath::Mailbox)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailwire_core::error::Found;

    #[test]
    fn known_answers() {
        let m = whole(b"jdoe@[IPv6:2001:db8::1]", mailbox).unwrap();
        assert_eq!(
            m.host(),
            &Host::Literal(AddressLiteral::Ipv6("2001:db8::1".parse().unwrap()))
        );
        let m = whole(b"x@[tag:any-thing]", mailbox).unwrap();
        assert_eq!(m.to_string(), "x@[tag:any-thing]");
        let p = parse_forward_path(b"<@a.example,@b.example:u@c.example>").unwrap();
        assert_eq!(p.to_string(), "<u@c.example>");
        assert_eq!(
            parse_forward_path(b"<POSTMASTER>").unwrap(),
            ForwardPath::Postmaster
        );
        let p = parse_forward_path(b"<Postmaster@example.org>").unwrap();
        assert!(matches!(p, ForwardPath::Mailbox(_)));
        let m = whole(b"\"a\\\"b c\"@example.org", mailbox).unwrap();
        assert_eq!(m.local_part().as_str(), "\"a\\\"b c\"");
        assert!(whole("δοκιμή@παράδειγμα.δοκιμή".as_bytes(), mailbox).is_ok());
    }

    #[test]
    fn malformed() {
        assert_eq!(
            parse_reverse_path(b"<a@b.c").unwrap_err(),
            Error::Protocol(mailwire_core::Error::Malformed {
                offset: 6,
                expected: "Path",
                found: Found::EndOfInput
            })
        );
        for bad in [
            &b"a@b"[..],
            b"<a@>",
            b"<@b>",
            b"<a@b.>",
            b"<a..b@c>",
            b"<a@b-.c>",
            b"<a@[1.2.3]>",
            b"<a@[IPv6:zz]>",
            b"<a@[:x]>",
            b"<\"a\rb\"@c>",
            b"<a@b.c> ",
            b"<\xff@b.c>",
            b"<@a:>",
        ] {
            assert!(
                parse_reverse_path(bad).is_err(),
                "{:?}",
                bad.escape_ascii().to_string()
            );
        }
        assert!(parse_forward_path(b"<>").is_err());
    }

    #[test]
    fn lengths() {
        let local = "a".repeat(65);
        let err = whole(format!("{local}@b.c").as_bytes(), mailbox).unwrap_err();
        assert!(matches!(
            err,
            Error::Protocol(mailwire_core::Error::LimitExceeded {
                what: "local-part length",
                limit: 64,
                ..
            })
        ));
        let domain_text = format!("{}.example", "a".repeat(250));
        let err = whole(domain_text.as_bytes(), domain).unwrap_err();
        assert!(matches!(
            err,
            Error::Protocol(mailwire_core::Error::LimitExceeded {
                what: "domain length",
                ..
            })
        ));
        let long = format!(
            "<{}@{}.{}>",
            "a".repeat(64),
            "b".repeat(120),
            "c".repeat(70)
        );
        let err = parse_reverse_path(long.as_bytes()).unwrap_err();
        assert!(matches!(
            err,
            Error::Protocol(mailwire_core::Error::LimitExceeded {
                what: "path length",
                ..
            })
        ));
    }
}
