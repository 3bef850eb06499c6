//! [`Mechanism`]: a SASL mechanism name from the IANA registry.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::Error;

/// A SASL mechanism name (RFC 4422 §3.1), such as `PLAIN` or
/// `SCRAM-SHA-256`.
///
/// Mechanisms form an open registry, so this is a newtype with constants
/// for the mechanisms this crate implements; any other valid name parses
/// and round-trips. Names are case-insensitive on the wire (RFC 9051 §6.2.2
/// and RFC 4954 §4 take them as atoms) and are stored upper-case.
///
/// ```abnf
/// sasl-mech    = 1*20mech-char
/// mech-char    = UPPER-ALPHA / DIGIT / HYPHEN / UNDERSCORE
/// ```
///
/// ```
/// use mailwire_sasl::Mechanism;
///
/// let m: Mechanism = "scram-sha-256".parse().unwrap();
/// assert_eq!(m, Mechanism::SCRAM_SHA_256);
/// let other: Mechanism = "GSS-SPNEGO".parse().unwrap();
/// assert_eq!(other.as_str(), "GSS-SPNEGO");
/// assert!("NOT VALID".parse::<Mechanism>().is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mechanism(Cow<'static, str>);

impl Mechanism {
    /// `PLAIN`, RFC 4616.
    pub const PLAIN: Mechanism = Mechanism(Cow::Borrowed("PLAIN"));
    /// `LOGIN`, draft-murchison-sasl-login (obsolete, widely deployed).
    pub const LOGIN: Mechanism = Mechanism(Cow::Borrowed("LOGIN"));
    /// `CRAM-MD5`, RFC 2195.
    pub const CRAM_MD5: Mechanism = Mechanism(Cow::Borrowed("CRAM-MD5"));
    /// `XOAUTH2`, the OAuth 2.0 mechanism of Google and Microsoft.
    pub const XOAUTH2: Mechanism = Mechanism(Cow::Borrowed("XOAUTH2"));
    /// `OAUTHBEARER`, RFC 7628.
    pub const OAUTHBEARER: Mechanism = Mechanism(Cow::Borrowed("OAUTHBEARER"));
    /// `EXTERNAL`, RFC 4422 Appendix A.
    pub const EXTERNAL: Mechanism = Mechanism(Cow::Borrowed("EXTERNAL"));
    /// `ANONYMOUS`, RFC 4505.
    pub const ANONYMOUS: Mechanism = Mechanism(Cow::Borrowed("ANONYMOUS"));
    /// `SCRAM-SHA-1`, RFC 5802.
    pub const SCRAM_SHA_1: Mechanism = Mechanism(Cow::Borrowed("SCRAM-SHA-1"));
    /// `SCRAM-SHA-1-PLUS`, RFC 5802 with channel binding (§6).
    pub const SCRAM_SHA_1_PLUS: Mechanism = Mechanism(Cow::Borrowed("SCRAM-SHA-1-PLUS"));
    /// `SCRAM-SHA-256`, RFC 7677.
    pub const SCRAM_SHA_256: Mechanism = Mechanism(Cow::Borrowed("SCRAM-SHA-256"));
    /// `SCRAM-SHA-256-PLUS`, RFC 7677 with channel binding.
    pub const SCRAM_SHA_256_PLUS: Mechanism = Mechanism(Cow::Borrowed("SCRAM-SHA-256-PLUS"));

    /// Every mechanism this crate implements, client and server side.
    ///
    /// ```
    /// use mailwire_sasl::Mechanism;
    /// assert!(Mechanism::IMPLEMENTED.contains(&Mechanism::CRAM_MD5));
    /// ```
    pub const IMPLEMENTED: &'static [Mechanism] = &[
        Mechanism::SCRAM_SHA_256_PLUS,
        Mechanism::SCRAM_SHA_1_PLUS,
        Mechanism::EXTERNAL,
        Mechanism::SCRAM_SHA_256,
        Mechanism::SCRAM_SHA_1,
        Mechanism::OAUTHBEARER,
        Mechanism::XOAUTH2,
        Mechanism::CRAM_MD5,
        Mechanism::PLAIN,
        Mechanism::LOGIN,
        Mechanism::ANONYMOUS,
    ];

    /// Parses a mechanism name (RFC 4422 §3.1), case-insensitively.
    ///
    /// Fails with [`Error::Malformed`] when `name` is empty, longer than 20
    /// characters or has a character outside `A-Z 0-9 - _`.
    ///
    /// ```
    /// use mailwire_sasl::{Error, Mechanism};
    /// assert_eq!(Mechanism::new("plain"), Ok(Mechanism::PLAIN));
    /// assert_eq!(Mechanism::new(""), Err(Error::Malformed { expected: "sasl-mech" }));
    /// ```
    pub fn new(name: &str) -> Result<Self, Error> {
        let valid = !name.is_empty()
            && name.len() <= 20
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !valid {
            return Err(crate::error::malformed("sasl-mech"));
        }
        let upper = name.to_ascii_uppercase();
        Ok(Mechanism::IMPLEMENTED
            .iter()
            .find(|known| known.as_str() == upper)
            .cloned()
            .unwrap_or(Mechanism(Cow::Owned(upper))))
    }

    /// The mechanism's name, upper-case.
    ///
    /// ```
    /// assert_eq!(mailwire_sasl::Mechanism::CRAM_MD5.as_str(), "CRAM-MD5");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this crate implements the mechanism.
    ///
    /// ```
    /// use mailwire_sasl::Mechanism;
    /// assert!(Mechanism::PLAIN.is_implemented());
    /// assert!(!Mechanism::new("GSSAPI").unwrap().is_implemented());
    /// ```
    pub fn is_implemented(&self) -> bool {
        Mechanism::IMPLEMENTED.contains(self)
    }

    /// Whether the mechanism exposes a reusable secret to anyone who reads
    /// the exchange: a password (`PLAIN`, `LOGIN`) or a bearer token
    /// (`XOAUTH2`, `OAUTHBEARER`, which RFC 7628 §3 requires TLS for).
    ///
    /// RFC 9051 §6.2.2 requires a server configuration that refuses these
    /// without TLS; see [`negotiate::Policy`](crate::negotiate::Policy).
    ///
    /// ```
    /// use mailwire_sasl::Mechanism;
    /// assert!(Mechanism::PLAIN.is_plaintext());
    /// assert!(!Mechanism::SCRAM_SHA_1.is_plaintext());
    /// ```
    pub fn is_plaintext(&self) -> bool {
        [
            Mechanism::PLAIN,
            Mechanism::LOGIN,
            Mechanism::XOAUTH2,
            Mechanism::OAUTHBEARER,
        ]
        .contains(self)
    }

    /// Whether the mechanism binds the exchange to the TLS channel: the
    /// `-PLUS` variants of RFC 5802 §4.
    ///
    /// ```
    /// use mailwire_sasl::Mechanism;
    /// assert!(Mechanism::SCRAM_SHA_256_PLUS.is_channel_binding());
    /// assert!(!Mechanism::SCRAM_SHA_256.is_channel_binding());
    /// ```
    pub fn is_channel_binding(&self) -> bool {
        self.0.ends_with("-PLUS")
    }

    /// Whether the client sends the first message (RFC 4422 §5 item 2a),
    /// so that it may go along with the command as an initial response.
    ///
    /// `LOGIN` and `CRAM-MD5` start with a server challenge; unknown
    /// mechanisms are reported as client-first.
    ///
    /// ```
    /// use mailwire_sasl::Mechanism;
    /// assert!(Mechanism::PLAIN.is_client_first());
    /// assert!(!Mechanism::CRAM_MD5.is_client_first());
    /// ```
    pub fn is_client_first(&self) -> bool {
        *self != Mechanism::LOGIN && *self != Mechanism::CRAM_MD5
    }
}

impl FromStr for Mechanism {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Mechanism::new(s)
    }
}

impl TryFrom<&str> for Mechanism {
    type Error = Error;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Mechanism::new(value)
    }
}

impl TryFrom<&[u8]> for Mechanism {
    type Error = Error;

    fn try_from(value: &[u8]) -> Result<Self, Self::Error> {
        let name = std::str::from_utf8(value).map_err(|_| crate::error::malformed("sasl-mech"))?;
        Mechanism::new(name)
    }
}

impl AsRef<str> for Mechanism {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mechanism({})", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_map_to_constants() {
        for m in Mechanism::IMPLEMENTED {
            assert_eq!(
                Mechanism::new(&m.as_str().to_ascii_lowercase()).unwrap(),
                *m
            );
            assert!(matches!(
                Mechanism::new(m.as_str()).unwrap().0,
                Cow::Borrowed(_)
            ));
        }
    }

    #[test]
    fn unknown_names_round_trip() {
        let m = Mechanism::new("digest-md5").unwrap();
        assert_eq!(m.to_string(), "DIGEST-MD5");
        assert_eq!(Mechanism::try_from(&b"DIGEST-MD5"[..]).unwrap(), m);
        assert!(!m.is_implemented());
        assert!(m.is_client_first());
    }

    #[test]
    fn invalid_names() {
        for bad in ["", "A B", "PLAIN\r\n", "ABCDEFGHIJKLMNOPQRSTU", "É"] {
            assert_eq!(
                Mechanism::new(bad),
                Err(Error::Malformed {
                    expected: "sasl-mech"
                }),
                "{bad:?}"
            );
        }
        assert!(Mechanism::try_from(&[0xff][..]).is_err());
        assert!(Mechanism::new("ABCDEFGHIJKLMNOPQRST").is_ok());
    }
}
