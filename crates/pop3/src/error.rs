//! Errors of the codec and the machines, sorted by fault (STYLE.md §4).
//!
//! Every error about peer data carries the stream offset where it starts.
//! [`Error::response`] maps each error to the `-ERR` line a server sends for
//! it.
//!
//! ```
//! use mailwire_pop3::{Error, Status};
//! use mailwire_core::error::Found;
//!
//! let err = Error::Malformed { offset: 5, expected: "msg", found: Found::Byte(b'x') };
//! assert_eq!(err.offset(), Some(5));
//! assert_eq!(err.response().status, Status::Err);
//! ```

use mailwire_core::error::{Found, Offset};

use crate::types::response::{Response, Status};

/// A POP3 codec or machine error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input does not match the grammar; `expected` names the ABNF rule.
    #[error("malformed input at byte {offset}: expected {expected}, found {found}")]
    Malformed {
        /// Where the unexpected input starts.
        offset: Offset,
        /// The ABNF rule (or a short description) that was expected.
        expected: &'static str,
        /// What was there instead.
        found: Found,
    },
    /// A command keyword this crate does not know ([RFC 1939 §3]: `-ERR`).
    ///
    /// [RFC 1939 §3]: https://www.rfc-editor.org/rfc/rfc1939#section-3
    #[error("unrecognised command at byte {offset}")]
    UnknownCommand {
        /// Where the command line starts.
        offset: Offset,
    },
    /// A configured or RFC limit was exceeded.
    #[error("{what} limit exceeded at byte {offset}: {actual} > {limit}")]
    LimitExceeded {
        /// Where the item that is too large starts.
        offset: Offset,
        /// Which limit, e.g. `"command line length"`.
        what: &'static str,
        /// The maximum.
        limit: u64,
        /// The size seen.
        actual: u64,
    },
    /// A valid command or response arrived (or a machine command was called)
    /// in a state that does not allow it.
    #[error("{what} is not allowed here")]
    OutOfOrder {
        /// What arrived, e.g. `"RETR in the AUTHORIZATION state"`.
        what: &'static str,
    },
    /// Something valid that the peer or this implementation does not
    /// support, e.g. `APOP` to a server whose greeting has no timestamp.
    #[error("{what} is not supported")]
    Unsupported {
        /// What is not supported.
        what: &'static str,
    },
    /// The SASL exchange failed on this side (a bad challenge, a server
    /// signature that does not verify).
    #[error("SASL: {0}")]
    Sasl(#[from] mailwire_sasl::Error),
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
    /// assert_eq!(mailwire_pop3::Error::Timeout.offset(), None);
    /// ```
    pub const fn offset(&self) -> Option<Offset> {
        match *self {
            Error::Malformed { offset, .. }
            | Error::UnknownCommand { offset }
            | Error::LimitExceeded { offset, .. } => Some(offset),
            _ => None,
        }
    }

    /// Shifts the offset by `base`, turning an offset relative to a line
    /// into one relative to the stream. Saturates.
    ///
    /// ```
    /// use mailwire_pop3::Error;
    /// assert_eq!(Error::UnknownCommand { offset: 1 }.offset_by(9).offset(), Some(10));
    /// ```
    #[must_use]
    pub fn offset_by(mut self, base: Offset) -> Self {
        match &mut self {
            Error::Malformed { offset, .. }
            | Error::UnknownCommand { offset }
            | Error::LimitExceeded { offset, .. } => *offset = offset.saturating_add(base),
            _ => {}
        }
        self
    }

    /// The `-ERR` response a server sends for this error ([RFC 1939 §3]).
    ///
    /// [RFC 1939 §3]: https://www.rfc-editor.org/rfc/rfc1939#section-3
    ///
    /// ```
    /// use mailwire_pop3::Error;
    /// assert_eq!(
    ///     Error::UnknownCommand { offset: 0 }.response().text.as_str(),
    ///     "Unknown command"
    /// );
    /// ```
    pub fn response(&self) -> Response {
        let text = match self {
            Error::Malformed {
                found: Found::Byte(b'\r' | b'\n'),
                expected: "CRLF",
                ..
            } => "Bare CR or LF in command line",
            Error::Malformed { .. } => "Syntax error in arguments",
            Error::UnknownCommand { .. } => "Unknown command",
            Error::LimitExceeded { .. } => "Line too long",
            Error::OutOfOrder { .. } => "Command not valid in this state",
            Error::Unsupported { .. } => "Command not supported",
            Error::Sasl(_) => "Authentication failed",
            Error::Timeout => "Disconnected for inactivity",
            Error::TooManyErrors { .. } => "Too many bad commands, closing connection",
            Error::Closed => "Session closed",
        };
        Response::new_static(Status::Err, None, text)
    }
}

impl From<mailwire_core::Error> for Error {
    fn from(err: mailwire_core::Error) -> Self {
        match err {
            mailwire_core::Error::Malformed {
                offset,
                expected,
                found,
            } => Error::Malformed {
                offset,
                expected,
                found,
            },
            mailwire_core::Error::LimitExceeded {
                offset,
                what,
                limit,
                actual,
            } => Error::LimitExceeded {
                offset,
                what,
                limit,
                actual,
            },
            mailwire_core::Error::OutOfOrder { what } => Error::OutOfOrder { what },
            mailwire_core::Error::Unsupported { what } => Error::Unsupported { what },
            _ => Error::Unsupported {
                what: "an unknown core error",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_shift_and_saturate() {
        let e = Error::LimitExceeded {
            offset: u64::MAX - 1,
            what: "line length",
            limit: 255,
            actual: 300,
        };
        assert_eq!(e.offset_by(5).offset(), Some(u64::MAX));
        assert_eq!(Error::Closed.offset_by(5), Error::Closed);
    }

    #[test]
    fn core_errors_convert() {
        let e: Error = mailwire_core::line::LineError::BareLf { offset: 3 }
            .into_core()
            .into();
        assert_eq!(
            e,
            Error::Malformed {
                offset: 3,
                expected: "CRLF",
                found: Found::Byte(b'\n')
            }
        );
        assert_eq!(e.response().text.as_str(), "Bare CR or LF in command line");
    }

    trait IntoCore {
        fn into_core(self) -> mailwire_core::Error;
    }
    impl IntoCore for mailwire_core::line::LineError {
        fn into_core(self) -> mailwire_core::Error {
            self.into()
        }
    }
}
