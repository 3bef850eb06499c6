//! [`Error`]: everything that can go wrong in a SASL exchange.
//!
//! Errors are sorted by fault (see the crate's STYLE guide): bytes that do
//! not match a grammar ([`Error::Malformed`], [`Error::InvalidBase64`]), a
//! limit that was exceeded ([`Error::LimitExceeded`]), a call at the wrong
//! time ([`Error::OutOfOrder`]), something valid that this crate does not
//! implement ([`Error::UnsupportedMechanism`], [`Error::UnsupportedExtension`]),
//! and the checks a client makes on its server ([`Error::NonceMismatch`],
//! [`Error::ServerSignatureMismatch`]).
//!
//! An error ends the exchange: the machine that returned it returns
//! [`Error::OutOfOrder`] from every later call. A client that gets an error
//! cancels the exchange by sending [`wire::CANCEL`](crate::wire::CANCEL); a
//! server rejects the command (SMTP `501 5.5.2`, POP3 `-ERR`, IMAP `BAD`,
//! RFC 4954 §4, RFC 5034 §4, RFC 9051 §6.2.2).

use crate::Mechanism;

/// An error in a SASL exchange or in its wire encoding.
///
/// ```
/// use mailwire_sasl::{wire, Error};
///
/// let err = wire::decode_challenge(b"AAA=BBB", &wire::Limits::default()).unwrap_err();
/// assert_eq!(err, Error::InvalidBase64 { offset: 3 });
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A line is not strict base64 (RFC 4954 §4, RFC 9051 §6.2.2: no
    /// character outside the alphabet, `=` only at the end).
    #[error("invalid base64 at byte {offset}")]
    InvalidBase64 {
        /// Offset of the first offending character in the encoded text.
        offset: usize,
    },
    /// An encoded line or a decoded message is larger than allowed.
    #[error("{what} limit exceeded: {actual} > {limit}")]
    LimitExceeded {
        /// Which limit, e.g. `"encoded line length"`.
        what: &'static str,
        /// The configured maximum.
        limit: usize,
        /// The size that was found.
        actual: usize,
    },
    /// A message does not match the mechanism's grammar.
    #[error("malformed message: expected {expected}")]
    Malformed {
        /// The ABNF rule (or a short description) that was expected, e.g.
        /// `"client-first-message"` (RFC 5802 §7).
        expected: &'static str,
    },
    /// The client sent an initial response for a mechanism in which the
    /// server speaks first (RFC 4954 §4, RFC 5034 §4, RFC 9051 §6.2.2).
    #[error("initial response given for a mechanism that does not allow one")]
    UnexpectedInitialResponse,
    /// A method was called at a point of the exchange where it does not
    /// apply, or after the exchange ended.
    #[error("out of order: {reason}")]
    OutOfOrder {
        /// What was wrong with the call.
        reason: &'static str,
    },
    /// This crate has no implementation of the mechanism, or the
    /// configuration cannot support it (a `-PLUS` server without channel
    /// binding data).
    #[error("unsupported mechanism {0}")]
    UnsupportedMechanism(Mechanism),
    /// The credentials given to a client do not include what the mechanism
    /// needs (a password, a token, channel binding data).
    #[error("{mechanism} needs {needed}")]
    MissingCredentials {
        /// The mechanism that was asked for.
        mechanism: Mechanism,
        /// What is missing, e.g. `"a password"`.
        needed: &'static str,
    },
    /// The stored credentials given to a server do not suit its mechanism
    /// (for example a plaintext password for SCRAM, or SCRAM keys of the
    /// wrong hash).
    #[error("stored credentials unsuitable: {expected}")]
    UnsuitableCredentials {
        /// What the mechanism needs.
        expected: &'static str,
    },
    /// A string could not be prepared with SASLprep (RFC 4013), or prepared
    /// to an empty string.
    #[error("SASLprep failed for the {field}")]
    Saslprep {
        /// `"username"` or `"password"`.
        field: &'static str,
    },
    /// A mandatory extension was requested (SCRAM `m=`, RFC 5802 §5.1).
    #[error("unsupported mandatory extension")]
    UnsupportedExtension,
    /// The server's SCRAM nonce does not start with the client's nonce, or
    /// the client's final nonce is not the combined one (RFC 5802 §5.1 `r`).
    #[error("nonce mismatch")]
    NonceMismatch,
    /// The server's SCRAM signature is wrong: the server does not know the
    /// user's keys (RFC 5802 §5, last paragraph).
    #[error("server signature mismatch")]
    ServerSignatureMismatch,
    /// The server reported success before proving that it knows the
    /// user's keys (SCRAM `v=`, RFC 5802 §5).
    #[error("server not authenticated")]
    ServerNotAuthenticated,
    /// The SCRAM server ended the exchange with an error (`e=`, RFC 5802 §7).
    #[error("server error: {0}")]
    ServerError(String),
    /// The operating system's random number generator failed.
    #[error("random number generator failed")]
    Random,
}

pub(crate) fn malformed(expected: &'static str) -> Error {
    Error::Malformed { expected }
}
