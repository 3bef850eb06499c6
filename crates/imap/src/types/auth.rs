//! Base64 text of AUTHENTICATE and SASL-IR ([RFC 9051 §6.2.2], [RFC 4959]).
//!
//! [RFC 9051 §6.2.2]: https://www.rfc-editor.org/rfc/rfc9051#section-6.2.2
//! [RFC 4959]: https://www.rfc-editor.org/rfc/rfc4959
//!
//! ```
//! use mailwire_imap::Base64;
//! assert_eq!(Base64::try_from("AGZyZWQAcGFzcw==").unwrap().as_str(), "AGZyZWQAcGFzcw==");
//! ```

use std::borrow::Cow;
use std::fmt;

use crate::error::ValueError;

/// Length of the valid `base64` at the start of `bytes`, or the index of the
/// first byte that breaks it.
pub(crate) fn base64_len(bytes: &[u8]) -> Result<usize, usize> {
    let chars = bytes
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/'))
        .unwrap_or(bytes.len());
    let pad = bytes
        .get(chars..)
        .unwrap_or_default()
        .iter()
        .take(2)
        .take_while(|b| **b == b'=')
        .count();
    let total = chars.saturating_add(pad);
    if total % 4 != 0 || (pad > 0 && chars % 4 + pad != 4) {
        return Err(total);
    }
    Ok(total)
}

/// Base64 text, as AUTHENTICATE exchanges it ([RFC 9051 §6.2.2]); may be
/// empty (an empty response).
///
/// ```abnf
/// base64          = *(4base64-char) [base64-terminal]
/// base64-char     = ALPHA / DIGIT / "+" / "/"
/// base64-terminal = (2base64-char "==") / (3base64-char "=")
/// ```
///
/// [RFC 9051 §6.2.2]: https://www.rfc-editor.org/rfc/rfc9051#section-6.2.2
///
/// ```
/// use mailwire_imap::Base64;
/// assert!(Base64::try_from("dGVzdA==").is_ok());
/// assert!(Base64::try_from("dGVzdA=").is_err());
/// assert!(Base64::try_from("a\r\n").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Base64<'a>(Cow<'a, str>);

impl<'a> Base64<'a> {
    /// Checks `s` against the rule.
    pub fn validate(s: &str) -> Result<(), ValueError> {
        let bytes = s.as_bytes();
        match base64_len(bytes) {
            Ok(n) if n == bytes.len() => Ok(()),
            Ok(n) | Err(n) => Err(ValueError::at("base64", bytes, n)),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Base64<'static> {
        Base64(Cow::Owned(self.0.into_owned()))
    }

    pub(crate) fn unchecked(s: impl Into<Cow<'a, str>>) -> Self {
        Self(s.into())
    }
}

impl<'a> TryFrom<&'a str> for Base64<'a> {
    type Error = ValueError;
    fn try_from(s: &'a str) -> Result<Self, ValueError> {
        Self::validate(s)?;
        Ok(Self(Cow::Borrowed(s)))
    }
}

impl TryFrom<String> for Base64<'static> {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Self::validate(&s)?;
        Ok(Self(Cow::Owned(s)))
    }
}

impl fmt::Debug for Base64<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64({:?})", &*self.0)
    }
}
