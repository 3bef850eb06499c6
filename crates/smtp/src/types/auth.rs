//! SASL on SMTP ([RFC 4954]): mechanism names and client responses.
//!
//! [RFC 4954]: https://www.rfc-editor.org/rfc/rfc4954

use std::borrow::Cow;
use std::fmt;

use mailwire_core::Secret;
use mailwire_core::error::Found;

use crate::Error;

/// A SASL mechanism name ([RFC 4954 §4], [RFC 4422 §3.1]), upper-cased.
///
/// ```abnf
/// sasl-mech = 1*20mech-char
/// mech-char = UPPER-ALPHA / DIGIT / HYPHEN / UNDERSCORE
/// ```
///
/// [RFC 4954 §4]: https://www.rfc-editor.org/rfc/rfc4954#section-4
/// [RFC 4422 §3.1]: https://www.rfc-editor.org/rfc/rfc4422#section-3.1
///
/// ```
/// use mailwire_smtp::Mechanism;
/// assert_eq!(Mechanism::try_from("plain").unwrap(), Mechanism::PLAIN);
/// assert!(Mechanism::try_from("NOT A MECH").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Mechanism<'a>(Cow<'a, str>);

impl Mechanism<'static> {
    /// `PLAIN` (RFC 4616).
    pub const PLAIN: Self = Self(Cow::Borrowed("PLAIN"));
    /// `LOGIN` (draft-murchison-sasl-login).
    pub const LOGIN: Self = Self(Cow::Borrowed("LOGIN"));
    /// `CRAM-MD5` (RFC 2195).
    pub const CRAM_MD5: Self = Self(Cow::Borrowed("CRAM-MD5"));
    /// `SCRAM-SHA-1` (RFC 5802).
    pub const SCRAM_SHA_1: Self = Self(Cow::Borrowed("SCRAM-SHA-1"));
    /// `SCRAM-SHA-256` (RFC 7677).
    pub const SCRAM_SHA_256: Self = Self(Cow::Borrowed("SCRAM-SHA-256"));
    /// `SCRAM-SHA-256-PLUS` (RFC 7677, with channel binding).
    pub const SCRAM_SHA_256_PLUS: Self = Self(Cow::Borrowed("SCRAM-SHA-256-PLUS"));
    /// `OAUTHBEARER` (RFC 7628).
    pub const OAUTHBEARER: Self = Self(Cow::Borrowed("OAUTHBEARER"));
    /// `XOAUTH2`.
    pub const XOAUTH2: Self = Self(Cow::Borrowed("XOAUTH2"));
    /// `EXTERNAL` (RFC 4422 Appendix A).
    pub const EXTERNAL: Self = Self(Cow::Borrowed("EXTERNAL"));
}

impl<'a> Mechanism<'a> {
    /// The name.
    ///
    /// ```
    /// assert_eq!(mailwire_smtp::Mechanism::CRAM_MD5.as_str(), "CRAM-MD5");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Detaches the name from the buffer it borrows from.
    pub fn into_static(self) -> Mechanism<'static> {
        Mechanism(Cow::Owned(self.0.into_owned()))
    }

    /// Parses a `sasl-mech`, upper-casing it (mechanism names are
    /// case-insensitive in practice).
    pub(crate) fn parse(name: &'a [u8]) -> Result<Self, Error> {
        let valid = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        if let Some(i) = name.iter().position(|&b| !valid(b)) {
            return Err(Error::Protocol(mailwire_core::Error::Malformed {
                offset: i as u64,
                expected: "sasl-mech",
                found: name.get(i).map_or(Found::EndOfInput, |&b| Found::Byte(b)),
            }));
        }
        if name.is_empty() || name.len() > 20 {
            return Err(Error::Protocol(mailwire_core::Error::Malformed {
                offset: 0,
                expected: "sasl-mech",
                found: name.first().map_or(Found::EndOfInput, |&b| Found::Byte(b)),
            }));
        }
        let text = std::str::from_utf8(name).map_err(|_| {
            Error::Protocol(mailwire_core::Error::Malformed {
                offset: 0,
                expected: "sasl-mech",
                found: Found::EndOfInput,
            })
        })?;
        if name.iter().any(u8::is_ascii_lowercase) {
            Ok(Mechanism(Cow::Owned(text.to_ascii_uppercase())))
        } else {
            Ok(Mechanism(Cow::Borrowed(text)))
        }
    }
}

impl Mechanism<'_> {
    /// The same mechanism in the SASL crate's registry, which holds the
    /// workspace's one preference order
    /// ([`negotiate::PREFERENCE`](mailwire_sasl::negotiate::PREFERENCE)).
    ///
    /// ```
    /// use mailwire_smtp::Mechanism;
    /// assert_eq!(Mechanism::PLAIN.to_sasl(), Some(mailwire_sasl::Mechanism::PLAIN));
    /// ```
    pub fn to_sasl(&self) -> Option<mailwire_sasl::Mechanism> {
        mailwire_sasl::Mechanism::new(&self.0).ok()
    }

    /// The mechanism's rank in the workspace's preference order, strongest
    /// first; mechanisms this workspace does not implement come last.
    ///
    /// ```
    /// use mailwire_smtp::Mechanism;
    /// assert!(Mechanism::SCRAM_SHA_256.rank() < Mechanism::PLAIN.rank());
    /// ```
    pub fn rank(&self) -> usize {
        self.to_sasl()
            .map_or(usize::MAX, |m| mailwire_sasl::negotiate::rank(&m))
    }
}

impl From<&mailwire_sasl::Mechanism> for Mechanism<'static> {
    fn from(mechanism: &mailwire_sasl::Mechanism) -> Self {
        Mechanism(Cow::Owned(mechanism.as_str().to_owned()))
    }
}

impl<'a> TryFrom<&'a str> for Mechanism<'a> {
    type Error = Error;
    fn try_from(name: &'a str) -> Result<Self, Error> {
        Self::parse(name.as_bytes())
    }
}

impl fmt::Debug for Mechanism<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Mechanism<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A client line during a SASL exchange ([RFC 4954 §4]).
///
/// ```abnf
/// auth-response = base64 / "*"
/// ```
///
/// [RFC 4954 §4]: https://www.rfc-editor.org/rfc/rfc4954#section-4
///
/// ```
/// use mailwire_smtp::{AuthResponse, parse::parse_auth_response};
/// assert_eq!(parse_auth_response(b"*").unwrap(), AuthResponse::Cancel);
/// let AuthResponse::Data(data) = parse_auth_response(b"AGZvbwBiYXI=").unwrap() else { panic!() };
/// assert_eq!(data.expose_secret(), b"\0foo\0bar");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthResponse {
    /// Decoded response data.
    Data(Secret<Vec<u8>>),
    /// `*`: the client cancels the exchange.
    Cancel,
}
