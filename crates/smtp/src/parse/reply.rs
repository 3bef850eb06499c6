//! Reply parser ([RFC 5321 §4.2], enhanced codes per [RFC 2034 §4]).
//!
//! [RFC 5321 §4.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.2
//! [RFC 2034 §4]: https://www.rfc-editor.org/rfc/rfc2034#section-4
//!
//! ```abnf
//! Reply-line = *( Reply-code "-" [ textstring ] CRLF )
//!              Reply-code [ SP textstring ] CRLF
//! ```
//!
//! Every continuation line must carry the code of the first. Text that is not
//! UTF-8 is read lossily (servers still send Latin-1 greetings).
//!
//! ```
//! use mailwire_smtp::parse::{parse_reply, Status};
//! use mailwire_smtp::{EnhancedCode, ReplyCode};
//! let Status::Complete((reply, used)) = parse_reply(b"550-5.1.1 No such user\r\n550 5.1.1 here\r\n").unwrap() else {
//!     panic!()
//! };
//! assert_eq!(used, 40);
//! assert_eq!(reply.code(), ReplyCode::MAILBOX_UNAVAILABLE);
//! assert_eq!(reply.enhanced(), Some(EnhancedCode::BAD_DESTINATION_MAILBOX));
//! assert_eq!(reply.lines()[1].as_str(), "here");
//! assert!(parse_reply(b"250-a\r\n251 b\r\n").is_err());
//! ```

use std::borrow::Cow;

use mailwire_core::error::Found;

use super::{Cursor, Status, check_no_cr, split_line};
use crate::Error;
use crate::limits::{DEFAULT_MAX_REPLY_LINE_LENGTH, DEFAULT_MAX_REPLY_LINES};
use crate::types::reply::{EnhancedCode, Reply, ReplyCode};
use crate::types::text::Text;

/// One line of a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyLine<'a> {
    /// The reply code.
    pub code: ReplyCode,
    /// `true` for the last line (`SP` or nothing after the code), `false`
    /// for a continuation (`-`).
    pub last: bool,
    /// The text after the separator.
    pub text: Cow<'a, str>,
}

/// Parses one reply line, without its CRLF.
///
/// # Errors
///
/// [`CoreError::Malformed`](crate::CoreError::Malformed) for a bad code, separator, NUL or bare CR.
///
/// ```
/// use mailwire_smtp::parse::parse_reply_line;
/// let line = parse_reply_line(b"250-PIPELINING").unwrap();
/// assert!(!line.last);
/// assert_eq!(line.text, "PIPELINING");
/// assert!(parse_reply_line(b"25").is_err());
/// ```
pub fn parse_reply_line(line: &[u8]) -> Result<ReplyLine<'_>, Error> {
    check_no_cr(line)?;
    let mut c = Cursor::new(line);
    let digits = c.take_while(|b| b.is_ascii_digit());
    let code = match digits {
        [a, b, d] => ReplyCode::new(
            u16::from(a.wrapping_sub(b'0')) * 100
                + u16::from(b.wrapping_sub(b'0')) * 10
                + u16::from(d.wrapping_sub(b'0')),
        ),
        _ => None,
    }
    .ok_or_else(|| c.error_at(0, "Reply-code"))?;
    let last = match c.peek() {
        None => {
            return Ok(ReplyLine {
                code,
                last: true,
                text: Cow::Borrowed(""),
            });
        }
        Some(b' ') => true,
        Some(b'-') => false,
        Some(_) => return Err(c.error("SP / \"-\"")),
    };
    c.bump();
    let rest = c.rest();
    if let Some(nul) = memchr::memchr(0, rest) {
        return Err(c.error_at(c.pos().saturating_add(nul), "textstring"));
    }
    Ok(ReplyLine {
        code,
        last,
        text: String::from_utf8_lossy(rest),
    })
}

/// Reads `status-code SP` (or `status-code` alone) at the start of `text`
/// when its class matches the reply code's: `(code, rest of the text)`.
pub(crate) fn split_enhanced(code: ReplyCode, text: &str) -> Option<(EnhancedCode, &str)> {
    let mut c = Cursor::new(text.as_bytes());
    let class = c.take_while(|b| b.is_ascii_digit());
    let [class] = class else { return None };
    c.expect(b'.', "").ok()?;
    let subject = c.take_while(|b| b.is_ascii_digit());
    c.expect(b'.', "").ok()?;
    let detail = c.take_while(|b| b.is_ascii_digit());
    if subject.is_empty() || subject.len() > 3 || detail.is_empty() || detail.len() > 3 {
        return None;
    }
    let number = |d: &[u8]| {
        d.iter()
            .fold(0u16, |n, &b| n * 10 + u16::from(b.wrapping_sub(b'0')))
    };
    let class = class.wrapping_sub(b'0');
    if class != code.class() {
        return None;
    }
    let enhanced = EnhancedCode::new(class, number(subject), number(detail))?;
    let rest = if c.is_end() {
        ""
    } else {
        c.expect(b' ', "").ok()?;
        text.get(c.pos()..)?
    };
    Some((enhanced, rest))
}

/// Builds a reply from its lines as they arrive, within limits.
#[derive(Debug, Clone)]
pub(crate) struct ReplyAssembler {
    first: Option<(ReplyCode, Option<EnhancedCode>)>,
    lines: Vec<Text<'static>>,
    max_lines: usize,
}

impl ReplyAssembler {
    pub(crate) const fn new(max_lines: usize) -> Self {
        Self {
            first: None,
            lines: Vec::new(),
            max_lines,
        }
    }

    /// Adds a line (without CRLF); returns the reply once its last line is in.
    pub(crate) fn push(&mut self, line: &[u8]) -> Result<Option<Reply<'static>>, Error> {
        let parsed = parse_reply_line(line)?;
        let (code, enhanced) = match self.first {
            Some((code, enhanced)) => {
                if code != parsed.code {
                    self.reset();
                    return Err(Error::Protocol(mailwire_core::Error::Malformed {
                        offset: 0,
                        expected: "same Reply-code",
                        found: Found::Byte(line.first().copied().unwrap_or(0)),
                    }));
                }
                (code, enhanced)
            }
            None => {
                let enhanced = split_enhanced(parsed.code, &parsed.text).map(|(e, _)| e);
                self.first = Some((parsed.code, enhanced));
                (parsed.code, enhanced)
            }
        };
        if self.lines.len() >= self.max_lines {
            let actual = self.lines.len().saturating_add(1) as u64;
            self.reset();
            return Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
                offset: 0,
                what: "reply lines",
                limit: self.max_lines as u64,
                actual,
            }));
        }
        let text = match enhanced
            .and_then(|e| split_enhanced(code, &parsed.text).filter(|(f, _)| *f == e))
        {
            Some((_, rest)) => rest.to_owned(),
            None => parsed.text.into_owned(),
        };
        self.lines.push(Text::from_cow_unchecked(Cow::Owned(text)));
        if !parsed.last {
            return Ok(None);
        }
        let lines = std::mem::take(&mut self.lines);
        self.first = None;
        Reply::from_parts(code, enhanced, lines).map(Some)
    }

    pub(crate) fn reset(&mut self) {
        self.first = None;
        self.lines.clear();
    }
}

/// Frames and parses the first complete reply of `input`, multi-line
/// replies included (lines of at most [`DEFAULT_MAX_REPLY_LINE_LENGTH`]
/// octets, at most [`DEFAULT_MAX_REPLY_LINES`] lines).
///
/// # Errors
///
/// [`CoreError::Malformed`](crate::CoreError::Malformed) for a bad line or a continuation with another code,
/// [`CoreError::LimitExceeded`](crate::CoreError::LimitExceeded) beyond the limits.
///
/// ```
/// use mailwire_smtp::parse::{parse_reply, Status};
/// assert_eq!(parse_reply(b"250-first\r\n250 sec").unwrap(), Status::Partial);
/// ```
pub fn parse_reply(input: &[u8]) -> Result<Status<(Reply<'static>, usize)>, Error> {
    let mut assembler = ReplyAssembler::new(DEFAULT_MAX_REPLY_LINES);
    let mut used = 0usize;
    loop {
        let rest = input.get(used..).unwrap_or_default();
        match split_line(rest, DEFAULT_MAX_REPLY_LINE_LENGTH)
            .map_err(|e| e.offset_by(used as u64))?
        {
            Status::Partial => return Ok(Status::Partial),
            Status::Complete((line, n)) => {
                let reply = assembler.push(line).map_err(|e| e.offset_by(used as u64))?;
                used = used.saturating_add(n);
                if let Some(reply) = reply {
                    return Ok(Status::Complete((reply, used)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(input: &[u8]) -> Reply<'static> {
        match parse_reply(input).unwrap() {
            Status::Complete((r, n)) => {
                assert_eq!(n, input.len());
                r
            }
            Status::Partial => panic!("partial"),
        }
    }

    #[test]
    fn known_answers() {
        let r = reply(b"220 mx.example.org ESMTP ready\r\n");
        assert_eq!(
            (r.code(), r.enhanced(), r.text()),
            (ReplyCode::SERVICE_READY, None, "mx.example.org ESMTP ready")
        );
        let r = reply(b"334 \r\n");
        assert_eq!(r.text(), "");
        let r = reply(b"250\r\n");
        assert_eq!(r.text(), "");
        let r = reply(b"250 2.1.5\r\n");
        assert_eq!(
            (r.enhanced(), r.text()),
            (Some(EnhancedCode::DESTINATION_OK), "")
        );
        // A class that does not match the code is text.
        let r = reply(b"250 5.1.1 odd\r\n");
        assert_eq!((r.enhanced(), r.text()), (None, "5.1.1 odd"));
        let r = reply(b"250 2.0.0.1 not a code\r\n");
        assert_eq!(r.enhanced(), None);
        let r = reply(b"500 \xff\r\n");
        assert_eq!(r.text(), "\u{fffd}");
    }

    #[test]
    fn malformed() {
        for bad in [
            &b"25 x\r\n"[..],
            b"2500 x\r\n",
            b"600 x\r\n",
            b"250x\r\n",
            b"250 a\rb\r\n",
            b"250 a\0\r\n",
            b"250 a\n",
            b"250-a\r\n550 b\r\n",
        ] {
            assert!(parse_reply(bad).is_err(), "{}", bad.escape_ascii());
        }
        let many = "250-x\r\n".repeat(DEFAULT_MAX_REPLY_LINES + 1);
        assert!(matches!(
            parse_reply(many.as_bytes()),
            Err(Error::Protocol(mailwire_core::Error::LimitExceeded { .. }))
        ));
    }
}
