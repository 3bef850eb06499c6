//! Errors of the codec and the machines, sorted by fault (STYLE.md §4).
//!
//! Every error about peer data carries the stream offset where it starts.
//! [`Error::reply`] maps each error to the reply a server sends for it, as
//! rustls maps its errors to alerts.
//!
//! ```
//! use mailwire_smtp::{Error, ReplyCode};
//! use mailwire_core::error::Found;
//!
//! let err = Error::Malformed { offset: 5, expected: "Path", found: Found::Byte(b' ') };
//! assert_eq!(err.offset(), Some(5));
//! assert_eq!(err.reply().code(), ReplyCode::PARAMETER_SYNTAX_ERROR);
//! ```

use mailwire_core::error::{Found, Offset};

use crate::types::reply::{EnhancedCode, Reply, ReplyCode};

/// An SMTP codec or machine error.
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
    /// A command verb that is not one of the commands this crate knows
    /// ([RFC 5321 §4.2.4]: `500`).
    ///
    /// [RFC 5321 §4.2.4]: https://www.rfc-editor.org/rfc/rfc5321#section-4.2.4
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
    /// A valid command or reply arrived (or a machine command was called) in
    /// a state that does not allow it.
    #[error("{what} is not allowed here")]
    OutOfOrder {
        /// What arrived, e.g. `"RCPT before MAIL"`.
        what: &'static str,
    },
    /// Something valid that the peer or this implementation does not support,
    /// e.g. an 8-bit message to a server without 8BITMIME.
    #[error("{what} is not supported")]
    Unsupported {
        /// What is not supported.
        what: &'static str,
    },
    /// The peer stayed silent for longer than the configured timeout
    /// ([RFC 5321 §4.5.3.2]).
    ///
    /// [RFC 5321 §4.5.3.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.2
    #[error("timed out waiting for the peer")]
    Timeout,
    /// The peer sent more erroneous commands than allowed.
    #[error("more than {limit} errors in the session")]
    TooManyErrors {
        /// The configured maximum.
        limit: u32,
    },
}

impl Error {
    /// The stream offset the error points at, if it is about peer data.
    ///
    /// ```
    /// assert_eq!(mailwire_smtp::Error::Timeout.offset(), None);
    /// ```
    pub const fn offset(&self) -> Option<Offset> {
        match *self {
            Error::Malformed { offset, .. }
            | Error::UnknownCommand { offset }
            | Error::LimitExceeded { offset, .. } => Some(offset),
            _ => None,
        }
    }

    /// Shifts the offset by `base`, turning an offset relative to a line into
    /// one relative to the stream. Saturates.
    ///
    /// ```
    /// use mailwire_smtp::Error;
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

    /// The reply a server sends for this error ([RFC 5321 §4.2.4], [RFC 3463]).
    ///
    /// [RFC 5321 §4.2.4]: https://www.rfc-editor.org/rfc/rfc5321#section-4.2.4
    /// [RFC 3463]: https://www.rfc-editor.org/rfc/rfc3463
    ///
    /// ```
    /// use mailwire_smtp::{EnhancedCode, Error, ReplyCode};
    /// let reply = Error::UnknownCommand { offset: 0 }.reply();
    /// assert_eq!(reply.code(), ReplyCode::SYNTAX_ERROR);
    /// assert_eq!(reply.enhanced(), Some(EnhancedCode::SYNTAX_ERROR));
    /// ```
    pub fn reply(&self) -> Reply<'static> {
        let (code, enhanced, text) = match self {
            Error::Malformed { .. } => (
                ReplyCode::PARAMETER_SYNTAX_ERROR,
                EnhancedCode::INVALID_ARGUMENTS,
                "Syntax error in parameters or arguments",
            ),
            Error::UnknownCommand { .. } => (
                ReplyCode::SYNTAX_ERROR,
                EnhancedCode::SYNTAX_ERROR,
                "Syntax error, command unrecognized",
            ),
            Error::LimitExceeded { .. } => (
                ReplyCode::SYNTAX_ERROR,
                EnhancedCode::LINE_TOO_LONG,
                "Line too long",
            ),
            Error::OutOfOrder { .. } => (
                ReplyCode::BAD_SEQUENCE,
                EnhancedCode::INVALID_COMMAND,
                "Bad sequence of commands",
            ),
            Error::Unsupported { .. } => (
                ReplyCode::NOT_IMPLEMENTED,
                EnhancedCode::INVALID_COMMAND,
                "Command not implemented",
            ),
            Error::Timeout => (
                ReplyCode::SERVICE_NOT_AVAILABLE,
                EnhancedCode::BAD_CONNECTION,
                "Timeout, closing transmission channel",
            ),
            Error::TooManyErrors { .. } => (
                ReplyCode::SERVICE_NOT_AVAILABLE,
                EnhancedCode::BAD_CONNECTION,
                "Too many errors, closing transmission channel",
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
                what: "unknown core error",
            },
        }
    }
}

impl From<mailwire_core::line::LineError> for Error {
    fn from(err: mailwire_core::line::LineError) -> Self {
        Error::from(mailwire_core::Error::from(err))
    }
}
