//! The capability-line parser ([RFC 2449 §6]).
//!
//! [RFC 2449 §6]: https://www.rfc-editor.org/rfc/rfc2449#section-6

use mailwire_sasl::Mechanism;

use super::{check_line, error_at, parse_number};
use crate::Error;
use crate::types::capability::Capability;
use crate::types::command::{Argument, check_argument};
use crate::types::response::Text;

/// Parses one line of a `CAPA` answer; the tag is matched
/// case-insensitively and unknown tags are kept as
/// [`Capability::Other`]. Parameters are separated by one or more spaces.
///
/// # Errors
///
/// [`CoreError::Malformed`](crate::CoreError::Malformed) naming `"capa-tag"` for an empty tag, a tag that
/// starts with `.` or is not visible ASCII, `"param"` for a bad parameter
/// (`LOGIN-DELAY` and `EXPIRE` need a number, `SASL` mechanism names).
///
/// ```
/// use mailwire_pop3::parse::parse_capability;
/// use mailwire_pop3::Capability;
/// use mailwire_sasl::Mechanism;
///
/// assert_eq!(
///     parse_capability(b"SASL PLAIN SCRAM-SHA-256").unwrap(),
///     Capability::Sasl(vec![Mechanism::PLAIN, Mechanism::SCRAM_SHA_256])
/// );
/// assert_eq!(parse_capability(b"login-delay 900").unwrap(), Capability::LoginDelay { seconds: 900, per_user: false });
/// ```
pub fn parse_capability(line: &[u8]) -> Result<Capability, Error> {
    check_line(line)?;
    let mut words = Words::new(line);
    let Some((_, tag)) = words.next() else {
        return Err(error_at(line, 0, "capa-tag"));
    };
    if line.first() == Some(&b' ') || tag.first() == Some(&b'.') || check_argument(tag).is_err() {
        return Err(error_at(line, 0, "capa-tag"));
    }
    let is = |t: &[u8]| tag.eq_ignore_ascii_case(t);
    let params: Vec<(usize, &[u8])> = words.collect();
    let no_params = |cap: Capability| -> Result<Capability, Error> {
        match params.first() {
            None => Ok(cap),
            Some(&(at, _)) => Err(error_at(line, at, "CRLF")),
        }
    };
    if is(b"TOP") {
        no_params(Capability::Top)
    } else if is(b"USER") {
        no_params(Capability::User)
    } else if is(b"RESP-CODES") {
        no_params(Capability::RespCodes)
    } else if is(b"PIPELINING") {
        no_params(Capability::Pipelining)
    } else if is(b"UIDL") {
        no_params(Capability::Uidl)
    } else if is(b"STLS") {
        no_params(Capability::Stls)
    } else if is(b"AUTH-RESP-CODE") {
        no_params(Capability::AuthRespCode)
    } else if is(b"LANG") {
        no_params(Capability::Lang)
    } else if is(b"SASL") {
        let mut mechanisms = Vec::with_capacity(params.len());
        for &(at, p) in &params {
            let m = std::str::from_utf8(p)
                .ok()
                .and_then(|p| Mechanism::new(p).ok())
                .ok_or_else(|| error_at(line, at, "sasl-mech"))?;
            mechanisms.push(m);
        }
        Ok(Capability::Sasl(mechanisms))
    } else if is(b"LOGIN-DELAY") {
        let (seconds, per_user) = number_and_user(line, &params, false)?;
        Ok(Capability::LoginDelay {
            seconds: seconds.unwrap_or(0),
            per_user,
        })
    } else if is(b"EXPIRE") {
        let (days, per_user) = number_and_user(line, &params, true)?;
        Ok(Capability::Expire { days, per_user })
    } else if is(b"UTF8") {
        match params.as_slice() {
            [] => Ok(Capability::Utf8 { user: false }),
            [(_, p)] if p.eq_ignore_ascii_case(b"USER") => Ok(Capability::Utf8 { user: true }),
            [(at, _), ..] => Err(error_at(line, *at, "USER")),
        }
    } else if is(b"IMPLEMENTATION") {
        let start = tag.len().saturating_add(1);
        let text = line.get(start..).unwrap_or_default();
        let text = Text::new(String::from_utf8_lossy(text).into_owned()).unwrap_or_default();
        Ok(Capability::Implementation(text))
    } else {
        let tag = to_argument(line, 0, tag, "capa-tag")?;
        let params = params
            .iter()
            .map(|&(at, p)| to_argument(line, at, p, "param"))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Capability::Other { tag, params })
    }
}

/// `LOGIN-DELAY n [USER]`, `EXPIRE n|NEVER [USER]`.
fn number_and_user(
    line: &[u8],
    params: &[(usize, &[u8])],
    never: bool,
) -> Result<(Option<u32>, bool), Error> {
    let Some(&(at, value)) = params.first() else {
        return Err(error_at(line, line.len(), "SP"));
    };
    let value = if never && value.eq_ignore_ascii_case(b"NEVER") {
        None
    } else {
        Some(
            parse_number(value)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| error_at(line, at, "param"))?,
        )
    };
    match params.get(1..).unwrap_or_default() {
        [] => Ok((value, false)),
        [(_, p)] if p.eq_ignore_ascii_case(b"USER") => Ok((value, true)),
        [(at, _), ..] => Err(error_at(line, *at, "USER")),
    }
}

fn to_argument(line: &[u8], at: usize, word: &[u8], rule: &'static str) -> Result<Argument, Error> {
    std::str::from_utf8(word)
        .ok()
        .and_then(|w| Argument::new(w).ok())
        .ok_or_else(|| error_at(line, at, rule))
}

/// Space-separated words with their offsets.
struct Words<'a> {
    line: &'a [u8],
    pos: usize,
}

impl<'a> Words<'a> {
    fn new(line: &'a [u8]) -> Self {
        Self { line, pos: 0 }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = (usize, &'a [u8]);
    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.line.get(self.pos..)?;
        let skip = rest.iter().position(|&b| b != b' ')?;
        let start = self.pos.saturating_add(skip);
        let word = self.line.get(start..)?;
        let len = memchr::memchr(b' ', word).unwrap_or(word.len());
        self.pos = start.saturating_add(len);
        Some((start, word.get(..len)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailwire_core::error::Found;

    fn malformed(offset: u64, expected: &'static str, found: Found) -> Error {
        Error::Protocol(mailwire_core::Error::Malformed {
            offset,
            expected,
            found,
        })
    }

    #[test]
    fn known_capabilities() {
        let cases: &[(&[u8], Capability)] = &[
            (b"TOP", Capability::Top),
            (b"user", Capability::User),
            (b"RESP-CODES", Capability::RespCodes),
            (b"PIPELINING", Capability::Pipelining),
            (b"UIDL", Capability::Uidl),
            (b"STLS", Capability::Stls),
            (b"AUTH-RESP-CODE", Capability::AuthRespCode),
            (b"LANG", Capability::Lang),
            (b"UTF8", Capability::Utf8 { user: false }),
            (b"UTF8 USER", Capability::Utf8 { user: true }),
            (
                b"EXPIRE NEVER",
                Capability::Expire {
                    days: None,
                    per_user: false,
                },
            ),
            (
                b"LOGIN-DELAY 900 USER",
                Capability::LoginDelay {
                    seconds: 900,
                    per_user: true,
                },
            ),
            (
                b"IMPLEMENTATION Shlemazle-Plotz-v302",
                Capability::Implementation(Text::new("Shlemazle-Plotz-v302").unwrap()),
            ),
            (b"SASL", Capability::Sasl(Vec::new())),
            (
                b"X-VENDOR a b",
                Capability::Other {
                    tag: Argument::new("X-VENDOR").unwrap(),
                    params: vec![Argument::new("a").unwrap(), Argument::new("b").unwrap()],
                },
            ),
        ];
        for (line, cap) in cases {
            assert_eq!(&parse_capability(line).unwrap(), cap, "{line:?}");
        }
    }

    #[test]
    fn malformed_capabilities() {
        assert_eq!(
            parse_capability(b""),
            Err(malformed(0, "capa-tag", Found::EndOfInput))
        );
        assert_eq!(
            parse_capability(b".X"),
            Err(malformed(0, "capa-tag", Found::Byte(b'.')))
        );
        assert_eq!(
            parse_capability(b"TOP 1"),
            Err(malformed(4, "CRLF", Found::Byte(b'1')))
        );
        assert_eq!(
            parse_capability(b"EXPIRE soon"),
            Err(malformed(7, "param", Found::Byte(b's')))
        );
        assert_eq!(
            parse_capability(b"LOGIN-DELAY"),
            Err(malformed(11, "SP", Found::EndOfInput))
        );
        assert_eq!(
            parse_capability(b"LOGIN-DELAY 1 ALL"),
            Err(malformed(14, "USER", Found::Byte(b'A')))
        );
        assert_eq!(
            parse_capability(b"SASL PLAIN B@D"),
            Err(malformed(11, "sasl-mech", Found::Byte(b'B')))
        );
    }
}
