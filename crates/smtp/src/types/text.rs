//! Free text: reply text and the arguments of `VRFY`, `EXPN`, `HELP` and
//! `NOOP` ([RFC 5321 §4.1.1], §4.2).
//!
//! [RFC 5321 §4.1.1]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1

use std::borrow::Cow;
use std::fmt;

use mailwire_core::error::Found;

use crate::Error;

/// A piece of text that can never hold CR or LF, so it can never end the
/// line it is written on or start another command (the injection class of
/// GHSA-g7hc-96xr-gvvx and CVE-2015-9096).
///
/// ```abnf
/// textstring = 1*(%d09 / %d32-126) ; RFC 5321 §4.2, widened to UTF-8
///                                  ; (RFC 6531 §3.7.4) and to the empty string
/// ```
///
/// ```
/// use mailwire_smtp::Text;
/// let text = Text::try_from("Requested mail action okay").unwrap();
/// assert_eq!(text.as_str(), "Requested mail action okay");
/// assert!(Text::try_from("ok\r\nRCPT TO:<evil@example.org>").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Text<'a>(Cow<'a, str>);

impl<'a> Text<'a> {
    /// Checks that `text` holds no CR, LF or NUL.
    ///
    /// # Errors
    ///
    /// [`CoreError::Malformed`](crate::CoreError::Malformed) at the first forbidden byte.
    ///
    /// ```
    /// assert!(mailwire_smtp::Text::validate("a\rb").is_err());
    /// ```
    pub fn validate(text: &str) -> Result<(), Error> {
        match text.bytes().position(|b| matches!(b, b'\r' | b'\n' | 0)) {
            None => Ok(()),
            Some(at) => Err(Error::Protocol(mailwire_core::Error::Malformed {
                offset: at as u64,
                expected: "textstring",
                found: text
                    .as_bytes()
                    .get(at)
                    .map_or(Found::EndOfInput, |&b| Found::Byte(b)),
            })),
        }
    }

    /// The text.
    ///
    /// ```
    /// assert_eq!(mailwire_smtp::Text::try_from("x").unwrap().as_str(), "x");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Detaches the text from the buffer it borrows from.
    ///
    /// ```
    /// let owned: mailwire_smtp::Text<'static> =
    ///     mailwire_smtp::Text::try_from("x").unwrap().into_static();
    /// assert_eq!(owned.as_str(), "x");
    /// ```
    pub fn into_static(self) -> Text<'static> {
        Text(Cow::Owned(self.0.into_owned()))
    }

    pub(crate) const fn from_cow_unchecked(text: Cow<'a, str>) -> Self {
        Text(text)
    }
}

impl<'a> TryFrom<&'a str> for Text<'a> {
    type Error = Error;
    fn try_from(text: &'a str) -> Result<Self, Error> {
        Self::validate(text)?;
        Ok(Text(Cow::Borrowed(text)))
    }
}

impl TryFrom<String> for Text<'static> {
    type Error = Error;
    fn try_from(text: String) -> Result<Self, Error> {
        Self::validate(&text)?;
        Ok(Text(Cow::Owned(text)))
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Text<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
