//! Errors of the codec, sorted by fault (STYLE.md §4).
//!
//! Every error about peer data carries the stream (or message) offset where
//! it starts, the ABNF rule that was expected, and the tag of the command or
//! response when one could be read, so that a server can answer `tag BAD`
//! and go on with the next command, and a client can skip one broken
//! response.
//!
//! ```
//! use mailwire_imap::{Error, Tag, parse_command, ParserConfig};
//! use mailwire_core::error::Found;
//!
//! let err = parse_command(b"a1 FETCH 1:* FLAGS)\r\n", &ParserConfig::default()).unwrap_err();
//! assert_eq!(
//!     err,
//!     Error::Malformed {
//!         offset: 18,
//!         expected: "CRLF",
//!         found: Found::Byte(b')'),
//!         tag: Some(Tag::try_from("a1").unwrap()),
//!     }
//! );
//! assert_eq!(err.tag().map(|t| t.as_str()), Some("a1"));
//! ```

use mailwire_core::error::{Found, Offset};

use crate::types::core::Tag;

/// An IMAP codec error.
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
        /// The tag of the command or response, when it could be read.
        tag: Option<Tag<'static>>,
    },
    /// A configured or protocol limit was exceeded ([`Limits`](crate::Limits)).
    #[error("{what} limit exceeded at byte {offset}: {actual} > {limit}")]
    LimitExceeded {
        /// Where the item that is too large starts.
        offset: Offset,
        /// Which limit, e.g. `"literal size"`.
        what: &'static str,
        /// The maximum.
        limit: u64,
        /// The size seen.
        actual: u64,
        /// The tag of the command or response, when it could be read.
        tag: Option<Tag<'static>>,
    },
    /// A valid command or response arrived in a state that does not allow it.
    #[error("{what} is not allowed here")]
    OutOfOrder {
        /// What arrived.
        what: &'static str,
    },
    /// Valid input that this implementation or configuration does not support.
    #[error("{what} is not supported")]
    Unsupported {
        /// What is not supported.
        what: &'static str,
    },
}

impl Error {
    /// The offset the error points at, if it is about peer data.
    ///
    /// ```
    /// let err = mailwire_imap::Error::Unsupported { what: "COMPRESS=BZIP2" };
    /// assert_eq!(err.offset(), None);
    /// ```
    pub fn offset(&self) -> Option<Offset> {
        match *self {
            Error::Malformed { offset, .. } | Error::LimitExceeded { offset, .. } => Some(offset),
            Error::OutOfOrder { .. } | Error::Unsupported { .. } => None,
        }
    }

    /// The tag of the command or response the error is about, when known.
    ///
    /// ```
    /// use mailwire_imap::{parse_command, ParserConfig};
    /// let err = parse_command(b"x7 NOPE\r\n", &ParserConfig::default()).unwrap_err();
    /// assert_eq!(err.tag().unwrap().as_str(), "x7");
    /// ```
    pub fn tag(&self) -> Option<&Tag<'static>> {
        match self {
            Error::Malformed { tag, .. } | Error::LimitExceeded { tag, .. } => tag.as_ref(),
            Error::OutOfOrder { .. } | Error::Unsupported { .. } => None,
        }
    }

    /// The ABNF rule that was expected, for [`Error::Malformed`].
    ///
    /// ```
    /// use mailwire_imap::{parse_command, ParserConfig};
    /// let err = parse_command(b"a LOGIN\r\n", &ParserConfig::default()).unwrap_err();
    /// assert_eq!(err.expected(), Some("SP"));
    /// ```
    pub fn expected(&self) -> Option<&'static str> {
        match *self {
            Error::Malformed { expected, .. } => Some(expected),
            _ => None,
        }
    }

    /// Shifts the offset by `base`, turning an offset relative to a message
    /// into one relative to the stream. Saturates instead of wrapping.
    ///
    /// ```
    /// use mailwire_imap::{parse_command, ParserConfig};
    /// let err = parse_command(b"a LOGIN\r\n", &ParserConfig::default()).unwrap_err();
    /// assert_eq!(err.offset_by(100).offset(), Some(107));
    /// ```
    #[must_use]
    pub fn offset_by(mut self, base: Offset) -> Self {
        match &mut self {
            Error::Malformed { offset, .. } | Error::LimitExceeded { offset, .. } => {
                *offset = offset.saturating_add(base);
            }
            Error::OutOfOrder { .. } | Error::Unsupported { .. } => {}
        }
        self
    }

    /// Sets the tag if none is recorded yet.
    #[must_use]
    #[allow(dead_code)] // Used by the response parsers.
    pub(crate) fn with_tag(mut self, new: Option<Tag<'static>>) -> Self {
        match &mut self {
            Error::Malformed { tag, .. } | Error::LimitExceeded { tag, .. } => {
                if tag.is_none() {
                    *tag = new;
                }
            }
            Error::OutOfOrder { .. } | Error::Unsupported { .. } => {}
        }
        self
    }
}

impl From<Error> for mailwire_core::Error {
    fn from(err: Error) -> Self {
        match err {
            Error::Malformed {
                offset,
                expected,
                found,
                ..
            } => mailwire_core::Error::Malformed {
                offset,
                expected,
                found,
            },
            Error::LimitExceeded {
                offset,
                what,
                limit,
                actual,
                ..
            } => mailwire_core::Error::LimitExceeded {
                offset,
                what,
                limit,
                actual,
            },
            Error::OutOfOrder { what } => mailwire_core::Error::OutOfOrder { what },
            Error::Unsupported { what } => mailwire_core::Error::Unsupported { what },
        }
    }
}

/// A value that cannot be built because it breaks its ABNF rule, returned
/// by the `TryFrom` constructors of the [types](crate::types).
///
/// ```
/// use mailwire_imap::{Atom, ValueError};
/// use mailwire_core::error::Found;
///
/// let err = Atom::try_from("a b").unwrap_err();
/// assert_eq!(err, ValueError { expected: "ATOM-CHAR", index: 1, found: Found::Byte(b' ') });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("invalid value: expected {expected} at index {index}, found {found}")]
pub struct ValueError {
    /// The ABNF rule the value breaks.
    pub expected: &'static str,
    /// Index of the offending byte in the value.
    pub index: usize,
    /// The offending byte, or [`Found::EndOfInput`] for an empty value.
    pub found: Found,
}

impl ValueError {
    /// A value error at `index` in `bytes`.
    pub(crate) fn at(expected: &'static str, bytes: &[u8], index: usize) -> Self {
        Self {
            expected,
            index,
            found: bytes
                .get(index)
                .map_or(Found::EndOfInput, |b| Found::Byte(*b)),
        }
    }
}
