//! Parsers: wire bytes to [`types`](crate::types).
//!
//! Commands and replies are line based. The `parse_*_line` functions take
//! one line without its CRLF (as [`LineFramer`](mailwire_core::line::LineFramer)
//! returns it); [`parse_command`] and [`parse_reply`] take raw input,
//! frame it and return [`Status::Complete`] with the bytes used, or
//! [`Status::Partial`] when more input is needed: incomplete input is never an
//! error. Results borrow from the input; `into_static` detaches them.
//!
//! ```
//! use mailwire_smtp::parse::{parse_command, Status};
//! use mailwire_smtp::Command;
//!
//! assert_eq!(parse_command(b"NOOP").unwrap(), Status::Partial);
//! let Status::Complete((command, used)) = parse_command(b"RSET\r\nQUIT\r\n").unwrap() else {
//!     panic!()
//! };
//! assert_eq!((command, used), (Command::Rset, 6));
//! ```

use mailwire_core::error::Found;

use crate::Error;

pub mod capability;
pub mod command;
mod fast;
pub mod parameter;
pub mod path;
pub mod reply;

pub use capability::parse_ehlo_reply;
pub use command::{parse_auth_response, parse_command, parse_command_line, parse_verb};
pub use reply::{parse_reply, parse_reply_line};

/// The outcome of a parser that may need more input (httparse's `Status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Status<T> {
    /// A value and the number of bytes it used.
    Complete(T),
    /// More input is needed.
    Partial,
}

/// A position in one line or token being parsed.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    input: &'a [u8],
    /// `input` as text, when it is known to be UTF-8: sub-slices are then
    /// converted without validating them again.
    text: Option<&'a str>,
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) const fn new(input: &'a [u8]) -> Self {
        Self {
            input,
            text: None,
            pos: 0,
        }
    }

    pub(crate) const fn from_str(text: &'a str) -> Self {
        Self {
            input: text.as_bytes(),
            text: Some(text),
            pos: 0,
        }
    }

    pub(crate) const fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn set_pos(&mut self, pos: usize) {
        self.pos = pos.min(self.input.len());
    }

    pub(crate) fn rest(&self) -> &'a [u8] {
        self.input.get(self.pos..).unwrap_or_default()
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    pub(crate) fn is_end(&self) -> bool {
        self.pos >= self.input.len()
    }

    pub(crate) fn bump(&mut self) {
        self.pos = self.pos.saturating_add(1).min(self.input.len());
    }

    pub(crate) fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Consumes `literal` (ASCII, matched case-insensitively) if it is next.
    pub(crate) fn eat_ci(&mut self, literal: &[u8]) -> bool {
        match self.rest().get(..literal.len()) {
            Some(head) if head.eq_ignore_ascii_case(literal) => {
                self.pos = self.pos.saturating_add(literal.len());
                true
            }
            _ => false,
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

    pub(crate) fn take_while(&mut self, mut pred: impl FnMut(u8) -> bool) -> &'a [u8] {
        let rest = self.rest();
        let n = rest.iter().position(|&b| !pred(b)).unwrap_or(rest.len());
        self.pos = self.pos.saturating_add(n);
        rest.get(..n).unwrap_or_default()
    }

    pub(crate) fn slice(&self, start: usize, end: usize) -> &'a [u8] {
        self.input.get(start..end).unwrap_or_default()
    }

    pub(crate) fn error(&self, rule: &'static str) -> Error {
        self.error_at(self.pos, rule)
    }

    pub(crate) fn error_at(&self, pos: usize, rule: &'static str) -> Error {
        Error::Malformed {
            offset: pos as u64,
            expected: rule,
            found: self
                .input
                .get(pos)
                .map_or(Found::EndOfInput, |&b| Found::Byte(b)),
        }
    }

    /// `bytes` (which starts at `start`) as UTF-8.
    pub(crate) fn utf8(
        &self,
        bytes: &'a [u8],
        start: usize,
        rule: &'static str,
    ) -> Result<&'a str, Error> {
        if let Some(text) = self.text {
            let from = (bytes.as_ptr() as usize).wrapping_sub(self.input.as_ptr() as usize);
            if let Some(slice) = from
                .checked_add(bytes.len())
                .and_then(|to| text.get(from..to))
            {
                return Ok(slice);
            }
        }
        std::str::from_utf8(bytes)
            .map_err(|e| self.error_at(start.saturating_add(e.valid_up_to()), rule))
    }
}

/// Splits the first CRLF-terminated line off `input`: `(line, used)`.
pub(crate) fn split_line(input: &[u8], max: usize) -> Result<Status<(&[u8], usize)>, Error> {
    match memchr::memchr(b'\n', input) {
        Some(lf) => {
            let used = lf.saturating_add(1);
            if used > max {
                return Err(Error::LimitExceeded {
                    offset: 0,
                    what: "line length",
                    limit: max as u64,
                    actual: used as u64,
                });
            }
            match lf
                .checked_sub(1)
                .and_then(|cr| input.get(cr).map(|&b| (cr, b)))
            {
                Some((cr, b'\r')) => Ok(Status::Complete((
                    input.get(..cr).unwrap_or_default(),
                    used,
                ))),
                _ => Err(Error::Malformed {
                    offset: lf as u64,
                    expected: "CRLF",
                    found: Found::Byte(b'\n'),
                }),
            }
        }
        None if input.len() >= max => Err(Error::LimitExceeded {
            offset: 0,
            what: "line length",
            limit: max as u64,
            actual: input.len() as u64,
        }),
        None => Ok(Status::Partial),
    }
}

/// Rejects a bare CR inside a line (RFC 5321 §2.3.8): it is an error, never
/// silently dropped.
pub(crate) fn check_no_cr(line: &[u8]) -> Result<(), Error> {
    match line.iter().position(|&b| b == b'\r') {
        None => Ok(()),
        Some(at) => Err(Error::Malformed {
            offset: at as u64,
            expected: "CRLF",
            found: Found::Byte(b'\r'),
        }),
    }
}
