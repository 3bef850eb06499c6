//! Extended response codes ([RFC 2449 §8], [RFC 3206], [RFC 6856 §5]).
//!
//! ```abnf
//! resp-code    =  "[" resp-level *("/" resp-level) "]"
//! resp-level   =  1*rchar
//! rchar        =  %x21-2E / %x30-5C / %x5E-7F   ; printable ASCII, excluding "/" and "]"
//! ```
//!
//! [RFC 2449 §8]: https://www.rfc-editor.org/rfc/rfc2449#section-8
//! [RFC 3206]: https://www.rfc-editor.org/rfc/rfc3206
//! [RFC 6856 §5]: https://www.rfc-editor.org/rfc/rfc6856#section-5
//!
//! ```
//! use mailwire_pop3::ResponseCode;
//!
//! let code = ResponseCode::new("SYS/TEMP").unwrap();
//! assert_eq!(code, ResponseCode::SYS_TEMP);
//! assert_eq!(code.levels().collect::<Vec<_>>(), ["SYS", "TEMP"]);
//! assert!(ResponseCode::new("A]B").is_err());
//! ```

use std::borrow::Cow;
use std::fmt;

use super::{InvalidValue, invalid};

/// An extended response code, the text between `[` and `]`: a registry
/// newtype (h2's `Reason`), so unknown codes round-trip.
///
/// Codes compare case-sensitively, as the registry spells them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResponseCode(Cow<'static, str>);

impl ResponseCode {
    /// `[IN-USE]`: the maildrop is locked by another session ([RFC 2449 §8.1.2]).
    ///
    /// [RFC 2449 §8.1.2]: https://www.rfc-editor.org/rfc/rfc2449#section-8.1.2
    pub const IN_USE: ResponseCode = ResponseCode(Cow::Borrowed("IN-USE"));
    /// `[LOGIN-DELAY]`: logged in again too soon ([RFC 2449 §8.1.1]).
    ///
    /// [RFC 2449 §8.1.1]: https://www.rfc-editor.org/rfc/rfc2449#section-8.1.1
    pub const LOGIN_DELAY: ResponseCode = ResponseCode(Cow::Borrowed("LOGIN-DELAY"));
    /// `[SYS/TEMP]`: a temporary system failure ([RFC 3206 §4]).
    ///
    /// [RFC 3206 §4]: https://www.rfc-editor.org/rfc/rfc3206#section-4
    pub const SYS_TEMP: ResponseCode = ResponseCode(Cow::Borrowed("SYS/TEMP"));
    /// `[SYS/PERM]`: a permanent system failure ([RFC 3206 §4]).
    ///
    /// [RFC 3206 §4]: https://www.rfc-editor.org/rfc/rfc3206#section-4
    pub const SYS_PERM: ResponseCode = ResponseCode(Cow::Borrowed("SYS/PERM"));
    /// `[AUTH]`: the credentials are wrong, not the system ([RFC 3206 §5]).
    ///
    /// [RFC 3206 §5]: https://www.rfc-editor.org/rfc/rfc3206#section-5
    pub const AUTH: ResponseCode = ResponseCode(Cow::Borrowed("AUTH"));
    /// `[UTF8]`: the failure is due to a missing UTF-8 mode ([RFC 6856 §5]).
    ///
    /// [RFC 6856 §5]: https://www.rfc-editor.org/rfc/rfc6856#section-5
    pub const UTF8: ResponseCode = ResponseCode(Cow::Borrowed("UTF8"));

    /// Validates a code given without its brackets.
    ///
    /// # Errors
    ///
    /// [`InvalidValue`] if it is empty, has an empty level or a byte that is
    /// not an `rchar`.
    ///
    /// ```
    /// use mailwire_pop3::ResponseCode;
    /// assert!(ResponseCode::new("X-VENDOR/DETAIL").is_ok());
    /// assert!(ResponseCode::new("SYS//TEMP").is_err());
    /// ```
    pub fn new(code: impl Into<String>) -> Result<Self, InvalidValue> {
        let code = code.into();
        validate(code.as_bytes())?;
        Ok(ResponseCode(Cow::Owned(code)))
    }

    /// The code, without brackets.
    ///
    /// ```
    /// assert_eq!(mailwire_pop3::ResponseCode::IN_USE.as_str(), "IN-USE");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `/`-separated levels, most general first.
    ///
    /// ```
    /// let levels: Vec<_> = mailwire_pop3::ResponseCode::SYS_PERM.levels().collect();
    /// assert_eq!(levels, ["SYS", "PERM"]);
    /// ```
    pub fn levels(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }

    /// `true` for `[SYS/TEMP]` and `[IN-USE]`, `[LOGIN-DELAY]`: failures
    /// that may go away if the client tries again later.
    ///
    /// ```
    /// use mailwire_pop3::ResponseCode;
    /// assert!(ResponseCode::IN_USE.is_temporary());
    /// assert!(!ResponseCode::AUTH.is_temporary());
    /// ```
    pub fn is_temporary(&self) -> bool {
        *self == Self::SYS_TEMP || *self == Self::IN_USE || *self == Self::LOGIN_DELAY
    }
}

impl fmt::Display for ResponseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for ResponseCode {
    type Err = InvalidValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

/// `rchar` of [RFC 2449 §3]: printable ASCII except `/` and `]`.
///
/// [RFC 2449 §3]: https://www.rfc-editor.org/rfc/rfc2449#section-3
pub(crate) const fn is_rchar(b: u8) -> bool {
    matches!(b, 0x21..=0x2E | 0x30..=0x5C | 0x5E..=0x7F)
}

pub(crate) fn validate(code: &[u8]) -> Result<(), InvalidValue> {
    if code.is_empty() {
        return Err(invalid("resp-code", "empty"));
    }
    for level in code.split(|&b| b == b'/') {
        if level.is_empty() {
            return Err(invalid("resp-level", "empty"));
        }
        if !level.iter().all(|&b| is_rchar(b)) {
            return Err(invalid("rchar", "not printable ASCII, or `]`"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_valid() {
        for c in [
            ResponseCode::IN_USE,
            ResponseCode::LOGIN_DELAY,
            ResponseCode::SYS_TEMP,
            ResponseCode::SYS_PERM,
            ResponseCode::AUTH,
            ResponseCode::UTF8,
        ] {
            assert_eq!(ResponseCode::new(c.as_str()).unwrap(), c);
        }
        assert!(ResponseCode::new("").is_err());
        assert!(ResponseCode::new("A B").is_err());
        assert!(ResponseCode::new("/A").is_err());
        assert!(ResponseCode::new("A/").is_err());
        assert_eq!("AUTH".parse::<ResponseCode>().unwrap(), ResponseCode::AUTH);
    }
}
