//! Errors of the codec and the machines, sorted by fault (STYLE.md §4).
//!
//! [`Error`] wraps [`mailwire_core::Error`], where the faults every protocol
//! shares are defined once (with the stream offset of the byte at fault),
//! and adds what is POP3's own: a failed SASL exchange. [`Error::response`]
//! maps each error to the `-ERR` line a server sends for it.
//!
//! ```
//! use mailwire_pop3::{CoreError, Error, Status};
//! use mailwire_core::error::Found;
//!
//! let err = Error::from(CoreError::Malformed { offset: 5, expected: "msg", found: Found::Byte(b'x') });
//! assert_eq!(err.offset(), Some(5));
//! assert_eq!(err.response().status, Status::Err);
//! ```

use mailwire_core::error::{Found, Offset};

use crate::types::response::{Response, Status};

pub use mailwire_core::Error as CoreError;

/// A POP3 codec or machine error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A fault every protocol shares: malformed input (`expected` names the
    /// ABNF rule), an unknown command ([RFC 1939 §3]: `-ERR`), a limit, a
    /// command out of order, something unsupported (say `APOP` to a server
    /// whose greeting has no timestamp), a timeout, too many errors, or a
    /// command after the session ended.
    ///
    /// [RFC 1939 §3]: https://www.rfc-editor.org/rfc/rfc1939#section-3
    #[error(transparent)]
    Protocol(#[from] CoreError),
    /// The SASL exchange failed on this side (a bad challenge, a server
    /// signature that does not verify).
    #[error("SASL: {0}")]
    Sasl(#[from] mailwire_sasl::Error),
}

impl Error {
    /// The stream offset the error points at, if it is about peer data.
    ///
    /// ```
    /// use mailwire_pop3::{CoreError, Error};
    /// assert_eq!(Error::from(CoreError::Timeout).offset(), None);
    /// ```
    pub const fn offset(&self) -> Option<Offset> {
        match self {
            Error::Protocol(error) => error.offset(),
            Error::Sasl(_) => None,
        }
    }

    /// Shifts the offset by `base`, turning an offset relative to a line
    /// into one relative to the stream. Saturates.
    ///
    /// ```
    /// use mailwire_pop3::{CoreError, Error};
    /// let err = Error::from(CoreError::UnknownCommand { offset: 1 });
    /// assert_eq!(err.offset_by(9).offset(), Some(10));
    /// ```
    #[must_use]
    pub fn offset_by(self, base: Offset) -> Self {
        match self {
            Error::Protocol(error) => Error::Protocol(error.offset_by(base)),
            Error::Sasl(error) => Error::Sasl(error),
        }
    }

    /// The `-ERR` response a server sends for this error ([RFC 1939 §3]).
    ///
    /// [RFC 1939 §3]: https://www.rfc-editor.org/rfc/rfc1939#section-3
    ///
    /// ```
    /// use mailwire_pop3::{CoreError, Error};
    /// assert_eq!(
    ///     Error::from(CoreError::UnknownCommand { offset: 0 }).response().text.as_str(),
    ///     "Unknown command"
    /// );
    /// ```
    pub fn response(&self) -> Response {
        let text = match self {
            Error::Sasl(_) => "Authentication failed",
            Error::Protocol(error) => match error {
                CoreError::Malformed {
                    found: Found::Byte(b'\r' | b'\n'),
                    expected: "CRLF",
                    ..
                } => "Bare CR or LF in command line",
                CoreError::Malformed { .. } => "Syntax error in arguments",
                CoreError::UnknownCommand { .. } => "Unknown command",
                CoreError::LimitExceeded { .. } => "Line too long",
                CoreError::OutOfOrder { .. } => "Command not valid in this state",
                CoreError::Timeout => "Disconnected for inactivity",
                CoreError::TooManyErrors { .. } => "Too many bad commands, closing connection",
                CoreError::Closed => "Session closed",
                // Unsupported, and whatever core adds later.
                _ => "Command not supported",
            },
        };
        Response::new_static(Status::Err, None, text)
    }
}

impl From<mailwire_core::line::LineError> for Error {
    fn from(err: mailwire_core::line::LineError) -> Self {
        Error::Protocol(CoreError::from(err))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_shift_and_saturate() {
        let e = Error::Protocol(mailwire_core::Error::LimitExceeded {
            offset: u64::MAX - 1,
            what: "line length",
            limit: 255,
            actual: 300,
        });
        assert_eq!(e.offset_by(5).offset(), Some(u64::MAX));
        assert_eq!(
            Error::Protocol(mailwire_core::Error::Closed).offset_by(5),
            Error::Protocol(mailwire_core::Error::Closed)
        );
    }

    #[test]
    fn core_errors_convert() {
        let e: Error = mailwire_core::line::LineError::BareLf { offset: 3 }
            .into_core()
            .into();
        assert_eq!(
            e,
            Error::Protocol(mailwire_core::Error::Malformed {
                offset: 3,
                expected: "CRLF",
                found: Found::Byte(b'\n')
            })
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
