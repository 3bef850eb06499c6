//! Response parsers: status lines, the greeting, `AUTH` continuations and
//! the lines of multi-line responses ([RFC 1939 §3], [RFC 2449 §3], [RFC
//! 5034 §4]).
//!
//! Parsing is lenient where interoperability needs it: the status is
//! matched case-insensitively, text that is not UTF-8 is kept with
//! replacement characters, text that starts with `[` but is no valid
//! response code stays text, and a scan listing may carry more after the
//! size ([RFC 1939 §5]).
//!
//! [RFC 1939 §3]: https://www.rfc-editor.org/rfc/rfc1939#section-3
//! [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
//! [RFC 2449 §3]: https://www.rfc-editor.org/rfc/rfc2449#section-3
//! [RFC 5034 §4]: https://www.rfc-editor.org/rfc/rfc5034#section-4
//!
//! ```
//! use mailwire_pop3::parse::parse_response_line;
//! use mailwire_pop3::{ResponseCode, Status};
//!
//! let r = parse_response_line(b"-ERR [IN-USE] Do you have another POP session running?").unwrap();
//! assert_eq!(r.status, Status::Err);
//! assert_eq!(r.code, Some(ResponseCode::IN_USE));
//! assert_eq!(r.text.as_str(), "Do you have another POP session running?");
//! ```

use mailwire_sasl::wire;

use super::{check_line, error_at, parse_number, parse_response_code};
use crate::Error;
use crate::types::command::{Argument, check_argument};
use crate::types::response::UniqueId;
use crate::types::response::{
    DropListing, Greeting, Language, Response, ScanListing, ServerLine, Status, Text,
    UniqueIdListing,
};

/// Parses a status line: `+OK` or `-ERR`, then optionally a space, a
/// response code and text.
///
/// # Errors
///
/// [`CoreError::Malformed`](crate::CoreError::Malformed) naming `"status"` when the line does not start
/// with `+OK` or `-ERR` followed by a space or the end, `"CRLF"` for a
/// bare CR, LF or NUL.
///
/// ```
/// use mailwire_pop3::parse::parse_response_line;
/// assert!(parse_response_line(b"+OK").unwrap().text.is_empty());
/// assert!(parse_response_line(b"+OKAY").is_err());
/// ```
pub fn parse_response_line(line: &[u8]) -> Result<Response, Error> {
    check_line(line)?;
    let (status, rest) = if starts_with_ci(line, b"+OK") {
        (Status::Ok, line.get(3..).unwrap_or_default())
    } else if starts_with_ci(line, b"-ERR") {
        (Status::Err, line.get(4..).unwrap_or_default())
    } else {
        return Err(error_at(line, 0, "status"));
    };
    let text = match rest.split_first() {
        None => b"".as_slice(),
        Some((b' ', text)) => text,
        Some(_) => {
            let at = line.len().saturating_sub(rest.len());
            return Err(error_at(line, at, "SP"));
        }
    };
    let (code, text) = match parse_response_code(text) {
        Ok((code, used)) => {
            let after = text.get(used..).unwrap_or_default();
            (Some(code), after.strip_prefix(b" ").unwrap_or(after))
        }
        Err(_) => (None, text),
    };
    Ok(Response {
        status,
        code,
        text: lossy_text(text),
    })
}

/// Parses any line a server sends where a response is expected: a status
/// line or an `AUTH` continuation `+ <base64>` ([RFC 5034 §4]).
///
/// [RFC 5034 §4]: https://www.rfc-editor.org/rfc/rfc5034#section-4
///
/// # Errors
///
/// As [`parse_response_line`]; [`CoreError::Malformed`](crate::CoreError::Malformed) naming `"base64"` for
/// a continuation that is not strict base64.
///
/// ```
/// use mailwire_pop3::parse::parse_server_line;
/// use mailwire_pop3::ServerLine;
/// assert_eq!(parse_server_line(b"+ dGlt").unwrap(), ServerLine::Continuation(b"tim".to_vec()));
/// ```
pub fn parse_server_line(line: &[u8]) -> Result<ServerLine, Error> {
    check_line(line)?;
    let continuation = match line {
        b"+" => Some(b"".as_slice()),
        [b'+', b' ', rest @ ..] => Some(rest),
        _ => None,
    };
    match continuation {
        Some(text) => wire::decode_challenge(text, &wire::Limits::default())
            .map(ServerLine::Continuation)
            .map_err(|e| {
                let at = match e {
                    mailwire_sasl::Error::InvalidBase64 { offset } => offset,
                    _ => 0,
                };
                error_at(line, at.saturating_add(2), "base64")
            }),
        None => parse_response_line(line).map(ServerLine::Response),
    }
}

/// Parses the greeting and finds its APOP timestamp ([RFC 1939 §4], §7):
/// the first `<...>` whose content is visible ASCII holding an `@`.
///
/// [RFC 1939 §4]: https://www.rfc-editor.org/rfc/rfc1939#section-4
///
/// # Errors
///
/// As [`parse_response_line`].
///
/// ```
/// use mailwire_pop3::parse::parse_greeting;
/// assert_eq!(parse_greeting(b"+OK ready").unwrap().timestamp, None);
/// ```
pub fn parse_greeting(line: &[u8]) -> Result<Greeting, Error> {
    let response = parse_response_line(line)?;
    let timestamp = find_timestamp(response.text.as_str()).map(str::to_owned);
    Ok(Greeting {
        response,
        timestamp,
    })
}

fn find_timestamp(text: &str) -> Option<&str> {
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let candidate = rest.get(open..)?;
        let close = candidate.find('>')?;
        let stamp = candidate.get(..=close)?;
        let inner = stamp.get(1..close).unwrap_or_default();
        if inner.contains('@')
            && inner
                .bytes()
                .all(|b| (0x21..=0x7E).contains(&b) && b != b'<')
        {
            return Some(stamp);
        }
        rest = candidate.get(1..)?;
    }
    None
}

/// Parses the text of a `+OK` to `STAT`: `nn mm` ([RFC 1939 §5]).
/// Anything after the size is ignored.
///
/// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
///
/// # Errors
///
/// [`CoreError::Malformed`](crate::CoreError::Malformed) naming `"count"`, `"SP"` or `"size"`.
///
/// ```
/// use mailwire_pop3::parse::parse_drop_listing;
/// use mailwire_pop3::DropListing;
/// assert_eq!(parse_drop_listing(b"2 320").unwrap(), DropListing { messages: 2, size: 320 });
/// ```
pub fn parse_drop_listing(text: &[u8]) -> Result<DropListing, Error> {
    let (messages, size) = two_numbers(text, "count", "size")?;
    Ok(DropListing { messages, size })
}

/// Parses one line of a `LIST` answer (or the text of `+OK` to `LIST
/// msg`): `msg octets` ([RFC 1939 §5]). Anything after the size is
/// ignored.
///
/// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
///
/// # Errors
///
/// [`CoreError::Malformed`](crate::CoreError::Malformed) naming `"msg"`, `"SP"` or `"size"`.
///
/// ```
/// use mailwire_pop3::parse::parse_scan_listing;
/// assert_eq!(parse_scan_listing(b"1 120").unwrap().size, 120);
/// ```
pub fn parse_scan_listing(line: &[u8]) -> Result<ScanListing, Error> {
    let (message, size) = two_numbers(line, "msg", "size")?;
    Ok(ScanListing { message, size })
}

fn two_numbers(
    line: &[u8],
    first: &'static str,
    second: &'static str,
) -> Result<(u32, u64), Error> {
    check_line(line)?;
    let split = memchr::memchr(b' ', line).unwrap_or(line.len());
    let head = line.get(..split).unwrap_or_default();
    let n = parse_number(head)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| error_at(line, 0, first))?;
    if split >= line.len() {
        return Err(error_at(line, split, "SP"));
    }
    let start = split.saturating_add(1);
    let rest = line.get(start..).unwrap_or_default();
    let end = memchr::memchr(b' ', rest).unwrap_or(rest.len());
    let size = parse_number(rest.get(..end).unwrap_or_default())
        .ok_or_else(|| error_at(line, start, second))?;
    Ok((n, size))
}

/// Parses one line of a `UIDL` answer (or the text of `+OK` to `UIDL
/// msg`): `msg unique-id` ([RFC 1939 §7]).
///
/// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
///
/// # Errors
///
/// [`CoreError::Malformed`](crate::CoreError::Malformed) naming `"msg"`, `"SP"`, `"unique-id"` or `"CRLF"`
/// (something after the id).
///
/// ```
/// use mailwire_pop3::parse::parse_unique_id_listing;
/// assert_eq!(parse_unique_id_listing(b"2 QhdPYR:00WBw1Ph7x7").unwrap().uid.as_str(), "QhdPYR:00WBw1Ph7x7");
/// ```
pub fn parse_unique_id_listing(line: &[u8]) -> Result<UniqueIdListing, Error> {
    check_line(line)?;
    let split = memchr::memchr(b' ', line).unwrap_or(line.len());
    let message = parse_number(line.get(..split).unwrap_or_default())
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| error_at(line, 0, "msg"))?;
    if split >= line.len() {
        return Err(error_at(line, split, "SP"));
    }
    let start = split.saturating_add(1);
    let rest = line.get(start..).unwrap_or_default();
    let end = rest
        .iter()
        .position(|b| !(0x21..=0x7E).contains(b))
        .unwrap_or(rest.len());
    if end < rest.len() && rest.get(end) != Some(&b' ') {
        return Err(error_at(line, start.saturating_add(end), "unique-id"));
    }
    if end < rest.len() {
        return Err(error_at(line, start.saturating_add(end), "CRLF"));
    }
    let id = std::str::from_utf8(rest).unwrap_or_default();
    let uid = UniqueId::new(id).map_err(|_| {
        let at = if id.is_empty() {
            start
        } else {
            start.saturating_add(UniqueId::MAX_LEN)
        };
        error_at(line, at, "unique-id")
    })?;
    Ok(UniqueIdListing { message, uid })
}

/// Parses one line of a `LANG` listing: `tag [SP description]` ([RFC 6856
/// §3.2]).
///
/// [RFC 6856 §3.2]: https://www.rfc-editor.org/rfc/rfc6856#section-3.2
///
/// # Errors
///
/// [`CoreError::Malformed`](crate::CoreError::Malformed) naming `"lang-tag"`.
///
/// ```
/// use mailwire_pop3::parse::parse_language;
/// let l = parse_language(b"en-boont English Boontling dialect").unwrap();
/// assert_eq!(l.tag.as_str(), "en-boont");
/// assert_eq!(l.description.unwrap().as_str(), "English Boontling dialect");
/// ```
pub fn parse_language(line: &[u8]) -> Result<Language, Error> {
    check_line(line)?;
    let split = memchr::memchr(b' ', line).unwrap_or(line.len());
    let tag = line.get(..split).unwrap_or_default();
    check_argument(tag).map_err(|_| error_at(line, 0, "lang-tag"))?;
    let tag = std::str::from_utf8(tag)
        .ok()
        .and_then(|t| Argument::new(t).ok())
        .ok_or_else(|| error_at(line, 0, "lang-tag"))?;
    let description = line
        .get(split.saturating_add(1)..)
        .filter(|d| !d.is_empty())
        .map(lossy_text);
    Ok(Language { tag, description })
}

fn starts_with_ci(line: &[u8], prefix: &[u8]) -> bool {
    line.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// Text from a line already checked for CR, LF and NUL.
fn lossy_text(bytes: &[u8]) -> Text {
    Text::new(String::from_utf8_lossy(bytes).into_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ResponseCode;
    use mailwire_core::error::Found;

    fn malformed(offset: u64, expected: &'static str, found: Found) -> Error {
        Error::Protocol(mailwire_core::Error::Malformed {
            offset,
            expected,
            found,
        })
    }

    #[test]
    fn status_lines() {
        let r = parse_response_line(b"+OK mrose's maildrop has 2 messages (320 octets)").unwrap();
        assert!(r.is_ok());
        assert_eq!(r.code, None);
        assert_eq!(
            r.text.as_str(),
            "mrose's maildrop has 2 messages (320 octets)"
        );
        let r = parse_response_line(b"-err [LOGIN-DELAY] wait").unwrap();
        assert_eq!(r.status, Status::Err);
        assert_eq!(r.code, Some(ResponseCode::LOGIN_DELAY));
        let r = parse_response_line(b"-ERR [no code here").unwrap();
        assert_eq!(r.code, None);
        assert_eq!(r.text.as_str(), "[no code here");
        let r = parse_response_line(b"+OK [AUTH]").unwrap();
        assert_eq!(r.code, Some(ResponseCode::AUTH));
        assert!(r.text.is_empty());
        let r = parse_response_line(b"+OK caf\xe9").unwrap();
        assert_eq!(r.text.as_str(), "caf\u{fffd}");
        assert_eq!(
            parse_response_line(b"OK"),
            Err(malformed(0, "status", Found::Byte(b'O')))
        );
        assert_eq!(
            parse_response_line(b"+OKAY"),
            Err(malformed(3, "SP", Found::Byte(b'A')))
        );
        assert_eq!(
            parse_response_line(b"+OK a\rb"),
            Err(malformed(5, "CRLF", Found::Byte(b'\r')))
        );
        assert_eq!(
            parse_response_line(b""),
            Err(malformed(0, "status", Found::EndOfInput))
        );
    }

    #[test]
    fn continuations() {
        assert_eq!(
            parse_server_line(b"+").unwrap(),
            ServerLine::Continuation(Vec::new())
        );
        assert_eq!(
            parse_server_line(b"+ !!!!"),
            Err(malformed(2, "base64", Found::Byte(b'!')))
        );
        assert!(matches!(
            parse_server_line(b"-ERR x").unwrap(),
            ServerLine::Response(_)
        ));
    }

    #[test]
    fn greeting_timestamps() {
        let g = parse_greeting(b"+OK <no-at> then <1.2@host> <3@x>").unwrap();
        assert_eq!(g.timestamp.as_deref(), Some("<1.2@host>"));
        let g = parse_greeting(b"+OK <a b@c>").unwrap();
        assert_eq!(g.timestamp, None);
        let g = parse_greeting(b"+OK <unterminated@x").unwrap();
        assert_eq!(g.timestamp, None);
        let g = parse_greeting(b"+OK <<1@x>").unwrap();
        assert_eq!(g.timestamp.as_deref(), Some("<1@x>"));
    }

    #[test]
    fn listings() {
        assert_eq!(
            parse_scan_listing(b"3 200 extra info").unwrap(),
            ScanListing {
                message: 3,
                size: 200
            }
        );
        assert_eq!(
            parse_scan_listing(b"3"),
            Err(malformed(1, "SP", Found::EndOfInput))
        );
        assert_eq!(
            parse_scan_listing(b"x 1"),
            Err(malformed(0, "msg", Found::Byte(b'x')))
        );
        assert_eq!(
            parse_scan_listing(b"1 -1"),
            Err(malformed(2, "size", Found::Byte(b'-')))
        );
        assert_eq!(
            parse_drop_listing(b"99999999999 1"),
            Err(malformed(0, "count", Found::Byte(b'9')))
        );
        assert_eq!(
            parse_unique_id_listing(b"1 abc def"),
            Err(malformed(5, "CRLF", Found::Byte(b' ')))
        );
        assert_eq!(
            parse_unique_id_listing(b"1 "),
            Err(malformed(2, "unique-id", Found::EndOfInput))
        );
        assert_eq!(
            parse_unique_id_listing(b"1 a\x7f"),
            Err(malformed(3, "unique-id", Found::Byte(0x7f)))
        );
        let long = format!("1 {}", "x".repeat(71));
        assert_eq!(
            parse_unique_id_listing(long.as_bytes()),
            Err(malformed(72, "unique-id", Found::Byte(b'x')))
        );
        assert_eq!(
            parse_language(b" x"),
            Err(malformed(0, "lang-tag", Found::Byte(b' ')))
        );
        assert_eq!(parse_language(b"de").unwrap().description, None);
    }
}
