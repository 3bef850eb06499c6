//! Errors of the codec and the machines, sorted by fault (STYLE.md §4).
//!
//! [`Error`] wraps [`mailwire_core::Error`]: the faults every protocol
//! shares (malformed input with its stream offset, a limit, a command out of
//! order, a timeout, too many errors) are defined once there.
//! [`Error::reply`] maps each error to the reply a server sends for it, as
//! rustls maps its errors to alerts.
//!
//! ```
//! use mailwire_smtp::{CoreError, Error, ReplyCode};
//! use mailwire_core::error::Found;
//!
//! let err = Error::from(CoreError::Malformed { offset: 5, expected: "Path", found: Found::Byte(b' ') });
//! assert_eq!(err.offset(), Some(5));
//! assert_eq!(err.reply().code(), ReplyCode::PARAMETER_SYNTAX_ERROR);
//! ```

use mailwire_core::error::Offset;

use crate::types::reply::{EnhancedCode, Reply, ReplyCode};

pub use mailwire_core::Error as CoreError;

/// An SMTP codec or machine error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A fault every protocol shares: malformed input (`expected` names the
    /// ABNF rule), an unknown command ([RFC 5321 §4.2.4]: `500`), a limit, a
    /// command out of order, something unsupported, a timeout ([RFC 5321
    /// §4.5.3.2]) or too many errors.
    ///
    /// [RFC 5321 §4.2.4]: https://www.rfc-editor.org/rfc/rfc5321#section-4.2.4
    /// [RFC 5321 §4.5.3.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.2
    #[error(transparent)]
    Protocol(#[from] CoreError),
}

impl Error {
    /// The stream offset the error points at, if it is about peer data.
    ///
    /// ```
    /// use mailwire_smtp::{CoreError, Error};
    /// assert_eq!(Error::from(CoreError::Timeout).offset(), None);
    /// ```
    pub const fn offset(&self) -> Option<Offset> {
        match self {
            Error::Protocol(error) => error.offset(),
        }
    }

    /// Shifts the offset by `base`, turning an offset relative to a line into
    /// one relative to the stream. Saturates.
    ///
    /// ```
    /// use mailwire_smtp::{CoreError, Error};
    /// let err = Error::from(CoreError::UnknownCommand { offset: 1 });
    /// assert_eq!(err.offset_by(9).offset(), Some(10));
    /// ```
    #[must_use]
    pub fn offset_by(self, base: Offset) -> Self {
        match self {
            Error::Protocol(error) => Error::Protocol(error.offset_by(base)),
        }
    }

    /// The reply a server sends for this error ([RFC 5321 §4.2.4], [RFC 3463]).
    ///
    /// [RFC 5321 §4.2.4]: https://www.rfc-editor.org/rfc/rfc5321#section-4.2.4
    /// [RFC 3463]: https://www.rfc-editor.org/rfc/rfc3463
    ///
    /// ```
    /// use mailwire_smtp::{CoreError, EnhancedCode, Error, ReplyCode};
    /// let reply = Error::from(CoreError::UnknownCommand { offset: 0 }).reply();
    /// assert_eq!(reply.code(), ReplyCode::SYNTAX_ERROR);
    /// assert_eq!(reply.enhanced(), Some(EnhancedCode::SYNTAX_ERROR));
    /// ```
    pub fn reply(&self) -> Reply<'static> {
        let Error::Protocol(error) = self;
        let (code, enhanced, text) = match error {
            CoreError::Malformed { .. } => (
                ReplyCode::PARAMETER_SYNTAX_ERROR,
                EnhancedCode::INVALID_ARGUMENTS,
                "Syntax error in parameters or arguments",
            ),
            CoreError::UnknownCommand { .. } => (
                ReplyCode::SYNTAX_ERROR,
                EnhancedCode::SYNTAX_ERROR,
                "Syntax error, command unrecognized",
            ),
            CoreError::LimitExceeded { .. } => (
                ReplyCode::SYNTAX_ERROR,
                EnhancedCode::LINE_TOO_LONG,
                "Line too long",
            ),
            CoreError::OutOfOrder { .. } => (
                ReplyCode::BAD_SEQUENCE,
                EnhancedCode::INVALID_COMMAND,
                "Bad sequence of commands",
            ),
            CoreError::Timeout => (
                ReplyCode::SERVICE_NOT_AVAILABLE,
                EnhancedCode::BAD_CONNECTION,
                "Timeout, closing transmission channel",
            ),
            CoreError::TooManyErrors { .. } => (
                ReplyCode::SERVICE_NOT_AVAILABLE,
                EnhancedCode::BAD_CONNECTION,
                "Too many errors, closing transmission channel",
            ),
            CoreError::Closed => (
                ReplyCode::SERVICE_NOT_AVAILABLE,
                EnhancedCode::BAD_CONNECTION,
                "Closing transmission channel",
            ),
            // Unsupported, and whatever core adds later.
            _ => (
                ReplyCode::NOT_IMPLEMENTED,
                EnhancedCode::INVALID_COMMAND,
                "Command not implemented",
            ),
        };
        Reply::new_static(code, Some(enhanced), text)
    }
}

impl From<&Error> for Reply<'static> {
    /// The reply a server sends for `error`; see [`Error::reply`].
    fn from(error: &Error) -> Self {
        error.reply()
    }
}

impl From<mailwire_core::line::LineError> for Error {
    fn from(err: mailwire_core::line::LineError) -> Self {
        Error::Protocol(CoreError::from(err))
    }
}
