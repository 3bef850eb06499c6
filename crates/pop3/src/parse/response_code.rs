//! The extended response code parser ([RFC 2449 §3], §8).
//!
//! [RFC 2449 §3]: https://www.rfc-editor.org/rfc/rfc2449#section-3

use super::error_at;
use crate::Error;
use crate::types::response_code::{ResponseCode, is_rchar};

/// Parses `"[" resp-level *("/" resp-level) "]"` at the start of `input`:
/// the code and the bytes used.
///
/// # Errors
///
/// [`CoreError::Malformed`](crate::CoreError::Malformed) naming `"["`, `"resp-level"` or `"]"`.
///
/// ```
/// use mailwire_pop3::parse::parse_response_code;
/// use mailwire_pop3::ResponseCode;
/// assert_eq!(parse_response_code(b"[SYS/TEMP] try later").unwrap(), (ResponseCode::SYS_TEMP, 10));
/// assert!(parse_response_code(b"[SYS/] x").is_err());
/// ```
pub fn parse_response_code(input: &[u8]) -> Result<(ResponseCode, usize), Error> {
    if input.first() != Some(&b'[') {
        return Err(error_at(input, 0, "["));
    }
    let mut pos = 1usize;
    loop {
        let start = pos;
        while input.get(pos).is_some_and(|&b| is_rchar(b)) {
            pos = pos.saturating_add(1);
        }
        if pos == start {
            return Err(error_at(input, pos, "resp-level"));
        }
        match input.get(pos) {
            Some(b'/') => pos = pos.saturating_add(1),
            Some(b']') => break,
            _ => return Err(error_at(input, pos, "]")),
        }
    }
    let code = input.get(1..pos).unwrap_or_default();
    let code = std::str::from_utf8(code).map_err(|_| error_at(input, 1, "rchar"))?;
    let code = ResponseCode::new(code).map_err(|_| error_at(input, 1, "rchar"))?;
    Ok((code, pos.saturating_add(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailwire_core::error::Found;

    #[test]
    fn codes() {
        assert_eq!(
            parse_response_code(b"[IN-USE]").unwrap(),
            (ResponseCode::IN_USE, 8)
        );
        assert_eq!(
            parse_response_code(b"IN-USE"),
            Err(Error::Protocol(mailwire_core::Error::Malformed {
                offset: 0,
                expected: "[",
                found: Found::Byte(b'I')
            }))
        );
        assert_eq!(
            parse_response_code(b"[]"),
            Err(Error::Protocol(mailwire_core::Error::Malformed {
                offset: 1,
                expected: "resp-level",
                found: Found::Byte(b']')
            }))
        );
        assert_eq!(
            parse_response_code(b"[AUTH"),
            Err(Error::Protocol(mailwire_core::Error::Malformed {
                offset: 5,
                expected: "]",
                found: Found::EndOfInput
            }))
        );
        assert_eq!(
            parse_response_code(b"[A B]"),
            Err(Error::Protocol(mailwire_core::Error::Malformed {
                offset: 2,
                expected: "]",
                found: Found::Byte(b' ')
            }))
        );
    }
}
