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

pub use mailwire_core::parse::Status;

/// A cursor whose methods return this crate's [`Error`].
pub(crate) type Cursor<'a> = mailwire_core::parse::Cursor<'a, Error>;

/// Splits the first CRLF-terminated line off `input`: `(line, used)`.
pub(crate) fn split_line(input: &[u8], max: usize) -> Result<Status<(&[u8], usize)>, Error> {
    match memchr::memchr(b'\n', input) {
        Some(lf) => {
            let used = lf.saturating_add(1);
            if used > max {
                return Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
                    offset: 0,
                    what: "line length",
                    limit: max as u64,
                    actual: used as u64,
                }));
            }
            match lf
                .checked_sub(1)
                .and_then(|cr| input.get(cr).map(|&b| (cr, b)))
            {
                Some((cr, b'\r')) => Ok(Status::Complete((
                    input.get(..cr).unwrap_or_default(),
                    used,
                ))),
                _ => Err(Error::Protocol(mailwire_core::Error::Malformed {
                    offset: lf as u64,
                    expected: "CRLF",
                    found: Found::Byte(b'\n'),
                })),
            }
        }
        None if input.len() >= max => Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
            offset: 0,
            what: "line length",
            limit: max as u64,
            actual: input.len() as u64,
        })),
        None => Ok(Status::Partial),
    }
}

/// Rejects a bare CR inside a line (RFC 5321 §2.3.8): it is an error, never
/// silently dropped.
pub(crate) fn check_no_cr(line: &[u8]) -> Result<(), Error> {
    match line.iter().position(|&b| b == b'\r') {
        None => Ok(()),
        Some(at) => Err(Error::Protocol(mailwire_core::Error::Malformed {
            offset: at as u64,
            expected: "CRLF",
            found: Found::Byte(b'\r'),
        })),
    }
}
