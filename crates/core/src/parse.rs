//! Parsing primitives shared by the protocol codecs: the [`Status`] of a
//! parser that may need more input, and a byte [`Cursor`] over one line or
//! token.
//!
//! Framing comes before parsing (STYLE.md §3): a framer such as
//! [`LineFramer`](crate::line::LineFramer) cuts the stream into lines, and a
//! parser walks one line with a [`Cursor`], reporting
//! [`Error::Malformed`] with the offset of the offending byte and the ABNF
//! rule it expected. A parser that takes raw input returns
//! [`Status::Partial`] when the input is incomplete: that is never an
//! error (httparse's `Status`).
//!
//! ```
//! use mailwire_core::parse::{Cursor, Status};
//! use mailwire_core::{Error, error::Found};
//!
//! // "STAT" SP 1*DIGIT
//! fn parse(line: &[u8]) -> Result<u64, Error> {
//!     let mut cursor: Cursor<'_> = Cursor::new(line);
//!     if !cursor.eat_ci(b"STAT") {
//!         return Err(cursor.error("\"STAT\""));
//!     }
//!     let n = cursor.number("count")?;
//!     cursor.expect_end("CRLF")?;
//!     Ok(n)
//! }
//! assert_eq!(parse(b"stat 12"), Ok(12));
//! assert_eq!(
//!     parse(b"STAT 1x"),
//!     Err(Error::Malformed { offset: 6, expected: "count", found: Found::Byte(b'x') })
//! );
//! let status: Status<(u64, usize)> = Status::Complete((12, 9));
//! assert_eq!(status.map(|(n, _)| n), Status::Complete(12));
//! ```

use std::fmt;
use std::marker::PhantomData;

use crate::Error;
use crate::error::Found;

/// The outcome of a parser that may need more input (httparse's `Status`).
///
/// ```
/// use mailwire_core::parse::Status;
/// let partial: Status<u8> = Status::Partial;
/// assert!(!partial.is_complete());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Status<T> {
    /// A value (usually with the number of bytes it used).
    Complete(T),
    /// More input is needed.
    Partial,
}

impl<T> Status<T> {
    /// `true` for [`Status::Complete`].
    pub const fn is_complete(&self) -> bool {
        matches!(self, Status::Complete(_))
    }

    /// Maps the complete value.
    ///
    /// ```
    /// use mailwire_core::parse::Status;
    /// assert_eq!(Status::Complete(2).map(|n| n * 2), Status::Complete(4));
    /// ```
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Status<U> {
        match self {
            Status::Complete(value) => Status::Complete(f(value)),
            Status::Partial => Status::Partial,
        }
    }
}

/// A position in one line or token being parsed; see the [module
/// documentation](self).
///
/// Offsets in its errors count from the start of its input; shift them to
/// the stream with [`Error::offset_by`]. `E` is the error type its methods
/// return: core's [`Error`] or a protocol error that wraps it, so a
/// protocol crate names `Cursor<'a, its::Error>` once and uses `?` freely.
pub struct Cursor<'a, E = Error> {
    input: &'a [u8],
    /// `input` as text, when it is known to be UTF-8: sub-slices are then
    /// converted without validating them again.
    text: Option<&'a str>,
    pos: usize,
    error: PhantomData<fn() -> E>,
}

impl<E> Clone for Cursor<'_, E> {
    fn clone(&self) -> Self {
        Self {
            input: self.input,
            text: self.text,
            pos: self.pos,
            error: PhantomData,
        }
    }
}

impl<E> fmt::Debug for Cursor<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cursor")
            .field("input", &self.input.escape_ascii().to_string())
            .field("pos", &self.pos)
            .finish()
    }
}

impl<'a, E: From<Error>> Cursor<'a, E> {
    /// A cursor at the start of `input`.
    pub const fn new(input: &'a [u8]) -> Self {
        Self {
            input,
            text: None,
            pos: 0,
            error: PhantomData,
        }
    }

    /// A cursor at the start of text already known to be UTF-8.
    pub const fn from_str(text: &'a str) -> Self {
        Self {
            input: text.as_bytes(),
            text: Some(text),
            pos: 0,
            error: PhantomData,
        }
    }

    /// The whole input.
    pub const fn input(&self) -> &'a [u8] {
        self.input
    }

    /// The current offset in the input.
    pub const fn pos(&self) -> usize {
        self.pos
    }

    /// Moves to `pos` (at most the end of the input).
    pub fn set_pos(&mut self, pos: usize) {
        self.pos = pos.min(self.input.len());
    }

    /// What is left.
    pub fn rest(&self) -> &'a [u8] {
        self.input.get(self.pos..).unwrap_or_default()
    }

    /// The next byte, if any.
    pub fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    /// `true` at the end of the input.
    pub fn is_end(&self) -> bool {
        self.pos >= self.input.len()
    }

    /// Steps over one byte (not past the end).
    pub fn bump(&mut self) {
        self.pos = self.pos.saturating_add(1).min(self.input.len());
    }

    /// Consumes `byte` if it is next.
    pub fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Consumes `literal` (ASCII, matched case-insensitively) if it is next.
    pub fn eat_ci(&mut self, literal: &[u8]) -> bool {
        match self.rest().get(..literal.len()) {
            Some(head) if head.eq_ignore_ascii_case(literal) => {
                self.pos = self.pos.saturating_add(literal.len());
                true
            }
            _ => false,
        }
    }

    /// Consumes `byte`, or fails naming `rule`.
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] at the current offset.
    pub fn expect(&mut self, byte: u8, rule: &'static str) -> Result<(), E> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.error(rule))
        }
    }

    /// Succeeds at the end of the input, or fails naming `rule`.
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] at the current offset.
    pub fn expect_end(&self, rule: &'static str) -> Result<(), E> {
        if self.is_end() {
            Ok(())
        } else {
            Err(self.error(rule))
        }
    }

    /// Consumes the longest run of bytes matching `pred` and returns it.
    pub fn take_while(&mut self, mut pred: impl FnMut(u8) -> bool) -> &'a [u8] {
        let rest = self.rest();
        let n = rest.iter().position(|&b| !pred(b)).unwrap_or(rest.len());
        self.pos = self.pos.saturating_add(n);
        rest.get(..n).unwrap_or_default()
    }

    /// Takes bytes up to the next space (or the end).
    pub fn token(&mut self) -> &'a [u8] {
        let rest = self.rest();
        let n = memchr::memchr(b' ', rest).unwrap_or(rest.len());
        self.pos = self.pos.saturating_add(n);
        rest.get(..n).unwrap_or_default()
    }

    /// Takes everything left.
    pub fn take_rest(&mut self) -> &'a [u8] {
        let rest = self.rest();
        self.pos = self.input.len();
        rest
    }

    /// `input[start..end]`, or nothing if out of range.
    pub fn slice(&self, start: usize, end: usize) -> &'a [u8] {
        self.input.get(start..end).unwrap_or_default()
    }

    /// `SP` then a parameter: the next space-free token, non-empty; returns
    /// where it starts.
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] naming `SP` or `rule`.
    pub fn param(&mut self, rule: &'static str) -> Result<(usize, &'a [u8]), E> {
        self.expect(b' ', "SP")?;
        let start = self.pos;
        let token = self.token();
        if token.is_empty() {
            return Err(self.error_at(start, rule));
        }
        Ok((start, token))
    }

    /// `SP` then a decimal number (`1*DIGIT`, at most 19 digits).
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] at the first byte that is not a digit.
    pub fn number(&mut self, rule: &'static str) -> Result<u64, E> {
        let (start, token) = self.param(rule)?;
        parse_number(token).ok_or_else(|| {
            let at = token.iter().position(|b| !b.is_ascii_digit()).unwrap_or(0);
            self.error_at(start.saturating_add(at), rule)
        })
    }

    /// [`Error::Malformed`] at the current offset, naming `rule`.
    pub fn error(&self, rule: &'static str) -> E {
        self.error_at(self.pos, rule)
    }

    /// [`Error::Malformed`] at `pos`, naming `rule`.
    pub fn error_at(&self, pos: usize, rule: &'static str) -> E {
        error_at(self.input, pos, rule)
    }

    /// `bytes` (a slice of this cursor's input starting at `start`) as
    /// UTF-8; validated once only when the cursor was made
    /// [`from_str`](Self::from_str).
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] at the first byte that is not UTF-8.
    pub fn utf8(&self, bytes: &'a [u8], start: usize, rule: &'static str) -> Result<&'a str, E> {
        if let Some(text) = self.text {
            let from = (bytes.as_ptr() as usize).wrapping_sub(self.input.as_ptr() as usize);
            if let Some(slice) = from
                .checked_add(bytes.len())
                .and_then(|to| text.get(from..to))
            {
                return Ok(slice);
            }
        }
        utf8(bytes, start, rule)
    }
}

/// [`Error::Malformed`] at `pos` in `input`, naming `rule`.
///
/// ```
/// use mailwire_core::{Error, error::Found};
/// assert_eq!(
///     mailwire_core::parse::error_at::<Error>(b"ab", 2, "x"),
///     Error::Malformed { offset: 2, expected: "x", found: Found::EndOfInput }
/// );
/// ```
pub fn error_at<E: From<Error>>(input: &[u8], pos: usize, rule: &'static str) -> E {
    E::from(Error::Malformed {
        offset: pos as u64,
        expected: rule,
        found: input
            .get(pos)
            .map_or(Found::EndOfInput, |&b| Found::Byte(b)),
    })
}

/// `1*DIGIT` as a number, at most 19 digits (no overflow).
///
/// ```
/// use mailwire_core::parse::parse_number;
/// assert_eq!(parse_number(b"042"), Some(42));
/// assert_eq!(parse_number(b"+1"), None);
/// ```
pub fn parse_number(token: &[u8]) -> Option<u64> {
    if token.is_empty() || token.len() > 19 || !token.iter().all(u8::is_ascii_digit) {
        return None;
    }
    token.iter().try_fold(0u64, |acc, &d| {
        acc.checked_mul(10)?
            .checked_add(u64::from(d.wrapping_sub(b'0')))
    })
}

/// `bytes` (which starts at `start`) as UTF-8; `rule` names what is
/// expected on failure.
///
/// # Errors
///
/// [`Error::Malformed`] at the first byte that is not UTF-8.
pub fn utf8<'a, E: From<Error>>(
    bytes: &'a [u8],
    start: usize,
    rule: &'static str,
) -> Result<&'a str, E> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        E::from(Error::Malformed {
            offset: start.saturating_add(at) as u64,
            expected: rule,
            found: bytes.get(at).map_or(Found::EndOfInput, |&b| Found::Byte(b)),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_number(b"0"), Some(0));
        assert_eq!(parse_number(b"18446744073709551615"), None);
        assert_eq!(
            parse_number(b"9999999999999999999"),
            Some(9_999_999_999_999_999_999)
        );
        assert_eq!(parse_number(b"1a"), None);
        assert_eq!(parse_number(b""), None);
        assert_eq!(parse_number(b"+1"), None);
    }

    #[test]
    fn cursor_steps_and_errors() {
        let mut c: Cursor<'_> = Cursor::new(b"AB cd");
        assert!(c.eat_ci(b"ab"));
        assert_eq!(c.param("word"), Ok((3, &b"cd"[..])));
        assert!(c.is_end());
        c.bump();
        assert_eq!(c.pos(), 5);
        let mut c: Cursor<'_> = Cursor::new(b"x  ");
        c.bump();
        assert_eq!(
            c.param("word"),
            Err(Error::Malformed {
                offset: 2,
                expected: "word",
                found: Found::Byte(b' ')
            })
        );
        let c: Cursor<'_> = Cursor::from_str("é!");
        assert_eq!(c.utf8(c.slice(0, 2), 0, "text"), Ok("é"));
        assert!(
            Cursor::<Error>::new(b"\xff")
                .utf8(b"\xff", 4, "text")
                .is_err()
        );
    }
}
