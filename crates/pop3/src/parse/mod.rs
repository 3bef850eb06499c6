//! Parsers: wire bytes to [`types`](crate::types).
//!
//! POP3 is line based. The `parse_*` functions that take a line expect it
//! without its CRLF (as [`LineFramer`](mailwire_core::line::LineFramer)
//! returns it); their error offsets count from the start of the line.
//! [`parse_command`] takes raw input, frames one line and returns
//! [`Parsed::Complete`] with the bytes used, or [`Parsed::Partial`] when
//! more input is needed: incomplete input is never an error.
//!
//! Multi-line bodies are not parsed here: they are framed and unstuffed by
//! [`DotDecoder`](mailwire_core::dot::DotDecoder), and their lines handed
//! to [`parse_scan_listing`], [`parse_unique_id_listing`],
//! [`parse_capability`] or [`parse_language`].
//!
//! ```
//! use mailwire_pop3::parse::{parse_command, Parsed};
//! use mailwire_pop3::Command;
//!
//! assert_eq!(parse_command(b"NOOP").unwrap(), Parsed::Partial);
//! let Parsed::Complete((command, used)) = parse_command(b"RSET\r\nQUIT\r\n").unwrap() else {
//!     panic!()
//! };
//! assert_eq!((command, used), (Command::Rset, 6));
//! ```

use mailwire_core::error::Found;

use crate::Error;

pub mod capability;
pub mod command;
pub mod response;
pub mod response_code;

pub use capability::parse_capability;
pub use command::{parse_command, parse_command_line};
pub use response::{
    parse_drop_listing, parse_greeting, parse_language, parse_response_line, parse_scan_listing,
    parse_server_line, parse_unique_id_listing,
};
pub use response_code::parse_response_code;

/// The outcome of a parser that may need more input (httparse's `Status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Parsed<T> {
    /// A value and the number of bytes it used.
    Complete(T),
    /// More input is needed.
    Partial,
}

/// A position in one line being parsed.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    input: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) const fn new(input: &'a [u8]) -> Self {
        Self { input, pos: 0 }
    }

    pub(crate) const fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn rest(&self) -> &'a [u8] {
        self.input.get(self.pos..).unwrap_or_default()
    }

    pub(crate) fn is_end(&self) -> bool {
        self.pos >= self.input.len()
    }

    pub(crate) fn eat(&mut self, byte: u8) -> bool {
        if self.input.get(self.pos) == Some(&byte) {
            self.pos = self.pos.saturating_add(1);
            true
        } else {
            false
        }
    }

    pub(crate) fn expect(&mut self, byte: u8, rule: &'static str) -> Result<(), Error> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.error(rule))
        }
    }

    pub(crate) fn expect_end(&self, rule: &'static str) -> Result<(), Error> {
        if self.is_end() {
            Ok(())
        } else {
            Err(self.error(rule))
        }
    }

    /// Takes bytes up to the next space (or the end).
    pub(crate) fn token(&mut self) -> &'a [u8] {
        let rest = self.rest();
        let n = memchr::memchr(b' ', rest).unwrap_or(rest.len());
        self.pos = self.pos.saturating_add(n);
        rest.get(..n).unwrap_or_default()
    }

    /// Takes everything left.
    pub(crate) fn take_rest(&mut self) -> &'a [u8] {
        let rest = self.rest();
        self.pos = self.input.len();
        rest
    }

    pub(crate) fn error(&self, rule: &'static str) -> Error {
        error_at(self.input, self.pos, rule)
    }

    /// `SP` then a parameter: the next space-free token, non-empty.
    pub(crate) fn param(&mut self, rule: &'static str) -> Result<(usize, &'a [u8]), Error> {
        self.expect(b' ', "SP")?;
        let start = self.pos;
        let token = self.token();
        if token.is_empty() {
            return Err(error_at(self.input, start, rule));
        }
        Ok((start, token))
    }

    /// `SP` then a decimal number.
    pub(crate) fn number(&mut self, rule: &'static str) -> Result<u64, Error> {
        let (start, token) = self.param(rule)?;
        parse_number(token).ok_or_else(|| error_at(self.input, bad_digit(token, start), rule))
    }
}

/// Where a number token stops being one.
fn bad_digit(token: &[u8], start: usize) -> usize {
    let at = token.iter().position(|b| !b.is_ascii_digit()).unwrap_or(0);
    start.saturating_add(at)
}

pub(crate) fn error_at(input: &[u8], pos: usize, rule: &'static str) -> Error {
    Error::Malformed {
        offset: pos as u64,
        expected: rule,
        found: input
            .get(pos)
            .map_or(Found::EndOfInput, |&b| Found::Byte(b)),
    }
}

/// `1*DIGIT`, at most 19 digits (no overflow).
pub(crate) fn parse_number(token: &[u8]) -> Option<u64> {
    if token.is_empty() || token.len() > 19 || !token.iter().all(u8::is_ascii_digit) {
        return None;
    }
    token.iter().try_fold(0u64, |acc, &d| {
        acc.checked_mul(10)?
            .checked_add(u64::from(d.wrapping_sub(b'0')))
    })
}

/// A line as UTF-8; `rule` names what is expected on failure.
pub(crate) fn utf8<'a>(line: &'a [u8], start: usize, rule: &'static str) -> Result<&'a str, Error> {
    std::str::from_utf8(line).map_err(|e| Error::Malformed {
        offset: start.saturating_add(e.valid_up_to()) as u64,
        expected: rule,
        found: line
            .get(e.valid_up_to())
            .map_or(Found::EndOfInput, |&b| Found::Byte(b)),
    })
}

/// Rejects CR, LF and NUL inside a line: a bare CR or LF is an error, never
/// silently dropped.
pub(crate) fn check_line(line: &[u8]) -> Result<(), Error> {
    match line.iter().position(|&b| matches!(b, b'\r' | b'\n' | 0)) {
        None => Ok(()),
        Some(at) => Err(error_at(line, at, "CRLF")),
    }
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
}
