//! Error plumbing shared by every protocol crate.
//!
//! Errors are sorted by fault, following STYLE.md §4: input that does not
//! match the grammar ([`Error::Malformed`]), a limit that was exceeded
//! ([`Error::LimitExceeded`]), a valid command at the wrong time
//! ([`Error::OutOfOrder`]), something valid that is not implemented
//! ([`Error::Unsupported`], [`Error::UnknownCommand`]) and the ends of a
//! session the machines share ([`Error::Timeout`], [`Error::TooManyErrors`],
//! [`Error::Closed`]). Every variant that is about peer data carries the
//! absolute byte offset in the stream where the problem starts, so that a log
//! line or a fuzz artifact can be traced to the exact byte.
//!
//! Protocol crates wrap this type in their own error enums (adding only what
//! is theirs, such as a SASL failure) and map it to the protocol's reply
//! (for example SMTP's `500 5.5.2`).

use std::fmt;

/// An absolute position in a byte stream, counted from the first byte fed to
/// a framer, decoder or machine.
///
/// Offsets are `u64` so that a long-lived connection or a multi-gigabyte
/// message never wraps them.
pub type Offset = u64;

/// What was found where something else was expected.
///
/// ```
/// use mailwire_core::error::Found;
///
/// assert_eq!(Found::Byte(b'\n').to_string(), "byte 0x0a ('\\n')");
/// assert_eq!(Found::EndOfInput.to_string(), "end of input");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Found {
    /// A byte that the grammar does not allow here.
    Byte(u8),
    /// The input ended.
    EndOfInput,
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Found::Byte(b) => write!(f, "byte 0x{b:02x} ('{}')", b.escape_ascii()),
            Found::EndOfInput => f.write_str("end of input"),
        }
    }
}

/// A protocol-independent error, sorted by fault.
///
/// ```
/// use mailwire_core::{Error, error::Found};
///
/// let err = Error::Malformed { offset: 4, expected: "CRLF", found: Found::Byte(b'\n') };
/// assert_eq!(err.offset(), Some(4));
/// assert_eq!(err.to_string(), "malformed input at byte 4: expected CRLF, found byte 0x0a ('\\n')");
/// // Errors found inside a line are relative to it; shift them to the stream.
/// assert_eq!(err.offset_by(100).offset(), Some(104));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input does not match the grammar.
    #[error("malformed input at byte {offset}: expected {expected}, found {found}")]
    Malformed {
        /// Where the unexpected input starts.
        offset: Offset,
        /// The ABNF rule (or a short description) that was expected.
        expected: &'static str,
        /// What was there instead.
        found: Found,
    },
    /// A configured limit was exceeded.
    #[error("{what} limit exceeded at byte {offset}: {actual} > {limit}")]
    LimitExceeded {
        /// Where the item that is too large starts.
        offset: Offset,
        /// Which limit, e.g. `"line length"`.
        what: &'static str,
        /// The configured maximum.
        limit: u64,
        /// The size seen (at least `limit + 1`).
        actual: u64,
    },
    /// A valid command or response arrived in a state that does not allow it.
    #[error("{what} is not allowed here")]
    OutOfOrder {
        /// What arrived, e.g. `"RCPT before MAIL"`.
        what: &'static str,
    },
    /// Valid input that this implementation does not support.
    #[error("{what} is not supported")]
    Unsupported {
        /// What is not supported.
        what: &'static str,
    },
    /// A command verb or keyword the protocol crate does not know (SMTP
    /// `500`, POP3 `-ERR`, IMAP `BAD`).
    #[error("unrecognised command at byte {offset}")]
    UnknownCommand {
        /// Where the command line starts.
        offset: Offset,
    },
    /// The peer stayed silent for longer than the configured timeout.
    #[error("timed out waiting for the peer")]
    Timeout,
    /// The peer sent more erroneous commands than allowed.
    #[error("more than {limit} errors in the session")]
    TooManyErrors {
        /// The configured maximum.
        limit: u32,
    },
    /// The session is over.
    #[error("the session is closed")]
    Closed,
}

impl Error {
    /// The stream offset the error points at, if it is about peer data.
    ///
    /// ```
    /// let err = mailwire_core::Error::OutOfOrder { what: "DATA before RCPT" };
    /// assert_eq!(err.offset(), None);
    /// ```
    pub const fn offset(&self) -> Option<Offset> {
        match *self {
            Error::Malformed { offset, .. }
            | Error::LimitExceeded { offset, .. }
            | Error::UnknownCommand { offset } => Some(offset),
            Error::OutOfOrder { .. }
            | Error::Unsupported { .. }
            | Error::Timeout
            | Error::TooManyErrors { .. }
            | Error::Closed => None,
        }
    }

    /// Shifts the offset by `base`, turning an offset relative to a line or
    /// frame into one relative to the stream. Saturates instead of wrapping.
    ///
    /// ```
    /// use mailwire_core::{Error, error::Found};
    /// let err = Error::Malformed { offset: 2, expected: "SP", found: Found::EndOfInput };
    /// assert_eq!(err.offset_by(10).offset(), Some(12));
    /// ```
    #[must_use]
    pub fn offset_by(mut self, base: Offset) -> Self {
        match &mut self {
            Error::Malformed { offset, .. }
            | Error::LimitExceeded { offset, .. }
            | Error::UnknownCommand { offset } => {
                *offset = offset.saturating_add(base);
            }
            Error::OutOfOrder { .. }
            | Error::Unsupported { .. }
            | Error::Timeout
            | Error::TooManyErrors { .. }
            | Error::Closed => {}
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_of_each_variant() {
        let e = Error::LimitExceeded {
            offset: 7,
            what: "line length",
            limit: 1000,
            actual: 1003,
        };
        assert_eq!(
            e.to_string(),
            "line length limit exceeded at byte 7: 1003 > 1000"
        );
        assert_eq!(
            Error::Unsupported { what: "BINARYMIME" }.to_string(),
            "BINARYMIME is not supported"
        );
        assert_eq!(
            Error::OutOfOrder {
                what: "RCPT before MAIL"
            }
            .to_string(),
            "RCPT before MAIL is not allowed here"
        );
    }

    #[test]
    fn offset_by_saturates() {
        let e = Error::Malformed {
            offset: u64::MAX - 1,
            expected: "x",
            found: Found::Byte(0),
        };
        assert_eq!(e.offset_by(10).offset(), Some(u64::MAX));
        let e = Error::Unsupported { what: "x" };
        assert_eq!(e.clone().offset_by(10), e);
    }
}
