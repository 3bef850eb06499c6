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

/// The outcome of a parser that may need more input: core's
/// [`Status`](mailwire_core::parse::Status), named so as not to be confused
/// with a response's [`Status`](crate::Status).
pub use mailwire_core::parse::Status as Parsed;

pub(crate) use mailwire_core::parse::parse_number;

/// [`CoreError::Malformed`](crate::CoreError::Malformed) at `pos` in `input`.
pub(crate) fn error_at(input: &[u8], pos: usize, rule: &'static str) -> Error {
    mailwire_core::parse::error_at(input, pos, rule)
}

/// A line as UTF-8; `rule` names what is expected on failure.
pub(crate) fn utf8<'a>(line: &'a [u8], start: usize, rule: &'static str) -> Result<&'a str, Error> {
    mailwire_core::parse::utf8(line, start, rule)
}

/// A cursor whose methods return this crate's [`Error`].
pub(crate) type Cursor<'a> = mailwire_core::parse::Cursor<'a, Error>;

/// Rejects CR, LF and NUL inside a line: a bare CR or LF is an error, never
/// silently dropped.
pub(crate) fn check_line(line: &[u8]) -> Result<(), Error> {
    match line.iter().position(|&b| matches!(b, b'\r' | b'\n' | 0)) {
        None => Ok(()),
        Some(at) => Err(error_at(line, at, "CRLF")),
    }
}
