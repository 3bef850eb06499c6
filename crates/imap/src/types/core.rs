//! The basic data formats of [RFC 9051 §4] (RFC 3501 §4): atoms, strings,
//! literals and tags, valid by construction and zero-copy over the input.
//!
//! Each type wraps a `Cow`, can only be built through `TryFrom` (which
//! checks the ABNF rule it documents) and has `into_static()` for an owned
//! copy. Nothing here can carry a CR or LF where the grammar forbids one.
//! The string constructors choose the wire form: an atom when the text is
//! one, else a quoted string, else a literal.
//!
//! [RFC 9051 §4]: https://www.rfc-editor.org/rfc/rfc9051#section-4
//!
//! ```
//! use mailwire_imap::{AString, IString, Literal, Tag};
//!
//! assert!(Tag::try_from("a001").is_ok());
//! assert!(Tag::try_from("a+1").is_err());
//! assert!(matches!(AString::try_from("INBOX").unwrap(), AString::Atom(_)));
//! assert!(matches!(AString::try_from("my box").unwrap(), AString::String(IString::Quoted(_))));
//! assert!(matches!(AString::try_from("two\r\nlines").unwrap(), AString::String(IString::Literal(_))));
//! assert_eq!(Literal::try_from(&b"fat man"[..]).unwrap().data(), b"fat man");
//! ```

use std::borrow::Cow;
use std::fmt;

use crate::error::ValueError;

pub(crate) use super::chars::*;

/// Checks that `s` is one or more bytes of class `mask`.
fn check_class(s: &str, mask: u8, rule: &'static str) -> Result<(), ValueError> {
    let bytes = s.as_bytes();
    let n = span(bytes, mask);
    if n == 0 || n != bytes.len() {
        return Err(ValueError::at(rule, bytes, n));
    }
    Ok(())
}

macro_rules! str_newtype {
    ($(#[$doc:meta])* $name:ident, $mask:expr, $rule:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name<'a>(Cow<'a, str>);

        impl<'a> $name<'a> {
            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// An owned copy that borrows nothing.
            pub fn into_static(self) -> $name<'static> {
                $name(Cow::Owned(self.0.into_owned()))
            }

            /// The inner `Cow`.
            pub fn into_inner(self) -> Cow<'a, str> {
                self.0
            }

            /// Builds the value without checking; the caller has checked.
            pub(crate) fn unchecked(s: impl Into<Cow<'a, str>>) -> Self {
                Self(s.into())
            }

            /// Checks the value against its rule.
            pub fn validate(s: &str) -> Result<(), ValueError> {
                check_class(s, $mask, $rule)
            }
        }

        impl<'a> TryFrom<&'a str> for $name<'a> {
            type Error = ValueError;
            fn try_from(s: &'a str) -> Result<Self, ValueError> {
                Self::validate(s)?;
                Ok(Self(Cow::Borrowed(s)))
            }
        }

        impl TryFrom<String> for $name<'static> {
            type Error = ValueError;
            fn try_from(s: String) -> Result<Self, ValueError> {
                Self::validate(&s)?;
                Ok(Self(Cow::Owned(s)))
            }
        }

        impl<'a> TryFrom<Cow<'a, str>> for $name<'a> {
            type Error = ValueError;
            fn try_from(s: Cow<'a, str>) -> Result<Self, ValueError> {
                Self::validate(&s)?;
                Ok(Self(s))
            }
        }

        impl AsRef<str> for $name<'_> {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), &*self.0)
            }
        }
    };
}

str_newtype!(
    /// A command tag ([RFC 9051 §9]).
    ///
    /// ```abnf
    /// tag = 1*<any ASTRING-CHAR except "+">
    /// ```
    ///
    /// [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9
    ///
    /// ```
    /// use mailwire_imap::Tag;
    /// assert_eq!(Tag::try_from("A001").unwrap().as_str(), "A001");
    /// assert!(Tag::try_from("").is_err());
    /// assert!(Tag::try_from("*").is_err());
    /// ```
    Tag,
    TAG_CHAR,
    "tag"
);

str_newtype!(
    /// An atom ([RFC 9051 §4.1]).
    ///
    /// ```abnf
    /// atom         = 1*ATOM-CHAR
    /// ATOM-CHAR    = <any CHAR except atom-specials>
    /// atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards /
    ///                 quoted-specials / resp-specials
    /// ```
    ///
    /// [RFC 9051 §4.1]: https://www.rfc-editor.org/rfc/rfc9051#section-4.1
    ///
    /// ```
    /// use mailwire_imap::Atom;
    /// assert!(Atom::try_from("FLAGS").is_ok());
    /// assert!(Atom::try_from("a]").is_err());
    /// ```
    Atom,
    ATOM_CHAR,
    "ATOM-CHAR"
);

str_newtype!(
    /// The atom form of an `astring`: atom characters plus `]`
    /// ([RFC 9051 §9]).
    ///
    /// ```abnf
    /// astring     = 1*ASTRING-CHAR / string
    /// ASTRING-CHAR = ATOM-CHAR / resp-specials
    /// ```
    ///
    /// [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9
    ///
    /// ```
    /// use mailwire_imap::AtomExt;
    /// assert!(AtomExt::try_from("a]b").is_ok());
    /// assert!(AtomExt::try_from("a b").is_err());
    /// ```
    AtomExt,
    ASTRING_CHAR,
    "ASTRING-CHAR"
);

str_newtype!(
    /// A LIST pattern written without quotes ([RFC 9051 §9]).
    ///
    /// ```abnf
    /// list-mailbox = 1*list-char / string
    /// list-char    = ATOM-CHAR / list-wildcards / resp-specials
    /// ```
    ///
    /// [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9
    ///
    /// ```
    /// use mailwire_imap::ListChars;
    /// assert!(ListChars::try_from("INBOX.%").is_ok());
    /// assert!(ListChars::try_from("a b").is_err());
    /// ```
    ListChars,
    LIST_CHAR,
    "list-char"
);

impl<'a> From<Atom<'a>> for AtomExt<'a> {
    fn from(atom: Atom<'a>) -> Self {
        AtomExt(atom.0)
    }
}

/// A quoted string's content, unescaped ([RFC 9051 §4.3]).
///
/// ```abnf
/// quoted          = DQUOTE *QUOTED-CHAR DQUOTE
/// QUOTED-CHAR     = <any TEXT-CHAR except quoted-specials> /
///                   "\" quoted-specials / UTF8-2 / UTF8-3 / UTF8-4
/// quoted-specials = DQUOTE / "\"
/// TEXT-CHAR       = <any CHAR except CR and LF>
/// ```
///
/// The content may hold any character but NUL, CR and LF. Non-ASCII text
/// is sent quoted only where UTF-8 is allowed (IMAP4rev2, `UTF8=ACCEPT`);
/// elsewhere the encoder sends it as a literal.
///
/// [RFC 9051 §4.3]: https://www.rfc-editor.org/rfc/rfc9051#section-4.3
///
/// ```
/// use mailwire_imap::Quoted;
/// assert_eq!(Quoted::try_from("say \"hi\"").unwrap().as_str(), "say \"hi\"");
/// assert!(Quoted::try_from("a\r\nb").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quoted<'a>(Cow<'a, str>);

impl<'a> Quoted<'a> {
    /// Checks that `s` can be quoted: no NUL, CR or LF.
    pub fn validate(s: &str) -> Result<(), ValueError> {
        let bytes = s.as_bytes();
        match bytes.iter().position(|b| matches!(b, 0 | b'\r' | b'\n')) {
            Some(i) => Err(ValueError::at("QUOTED-CHAR", bytes, i)),
            None => Ok(()),
        }
    }

    /// The unescaped text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Quoted<'static> {
        Quoted(Cow::Owned(self.0.into_owned()))
    }

    /// The inner `Cow`.
    pub fn into_inner(self) -> Cow<'a, str> {
        self.0
    }

    pub(crate) fn unchecked(s: impl Into<Cow<'a, str>>) -> Self {
        Self(s.into())
    }
}

impl<'a> TryFrom<&'a str> for Quoted<'a> {
    type Error = ValueError;
    fn try_from(s: &'a str) -> Result<Self, ValueError> {
        Self::validate(s)?;
        Ok(Self(Cow::Borrowed(s)))
    }
}

impl TryFrom<String> for Quoted<'static> {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Self::validate(&s)?;
        Ok(Self(Cow::Owned(s)))
    }
}

impl fmt::Debug for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Quoted({:?})", &*self.0)
    }
}

/// Whether a literal is synchronising (`{n}`: the sender waits for a `+`
/// continuation request) or not (`{n+}`, [RFC 7888]).
///
/// [RFC 7888]: https://www.rfc-editor.org/rfc/rfc7888
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum LiteralMode {
    /// `{n}`: wait for the continuation request.
    #[default]
    Sync,
    /// `{n+}` (LITERAL+ / LITERAL-): send at once.
    NonSync,
}

/// A literal ([RFC 9051 §4.3]): counted octets, any byte but NUL.
///
/// ```abnf
/// literal = "{" number64 ["+"] "}" CRLF *CHAR8
/// CHAR8   = %x01-ff
/// ```
///
/// [RFC 9051 §4.3]: https://www.rfc-editor.org/rfc/rfc9051#section-4.3
///
/// ```
/// use mailwire_imap::{Literal, LiteralMode};
/// let l = Literal::try_from(&b"a\r\nb"[..]).unwrap().with_mode(LiteralMode::NonSync);
/// assert_eq!(l.mode(), LiteralMode::NonSync);
/// assert!(Literal::try_from(&b"nul\0"[..]).is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Literal<'a> {
    data: Cow<'a, [u8]>,
    mode: LiteralMode,
}

impl<'a> Literal<'a> {
    /// Checks that `data` holds no NUL.
    pub fn validate(data: &[u8]) -> Result<(), ValueError> {
        match memchr::memchr(0, data) {
            Some(i) => Err(ValueError::at("CHAR8", data, i)),
            None => Ok(()),
        }
    }

    /// The octets.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Synchronising or not.
    pub const fn mode(&self) -> LiteralMode {
        self.mode
    }

    /// The same literal with another mode.
    #[must_use]
    pub fn with_mode(mut self, mode: LiteralMode) -> Self {
        self.mode = mode;
        self
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Literal<'static> {
        Literal {
            data: Cow::Owned(self.data.into_owned()),
            mode: self.mode,
        }
    }

    /// The inner `Cow`.
    pub fn into_inner(self) -> Cow<'a, [u8]> {
        self.data
    }

    pub(crate) fn unchecked(data: impl Into<Cow<'a, [u8]>>, mode: LiteralMode) -> Self {
        Self {
            data: data.into(),
            mode,
        }
    }
}

impl<'a> TryFrom<&'a [u8]> for Literal<'a> {
    type Error = ValueError;
    fn try_from(data: &'a [u8]) -> Result<Self, ValueError> {
        Self::validate(data)?;
        Ok(Self::unchecked(data, LiteralMode::Sync))
    }
}

impl TryFrom<Vec<u8>> for Literal<'static> {
    type Error = ValueError;
    fn try_from(data: Vec<u8>) -> Result<Self, ValueError> {
        Self::validate(&data)?;
        Ok(Self::unchecked(data, LiteralMode::Sync))
    }
}

impl fmt::Debug for Literal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Literal({:?}, \"{}\")",
            self.mode,
            self.data.escape_ascii()
        )
    }
}

/// A binary literal ([RFC 3516 §4.1], extended by [RFC 4466]): any octets,
/// NUL included.
///
/// ```abnf
/// literal8 = "~{" number64 ["+"] "}" CRLF *OCTET
/// ```
///
/// [RFC 3516 §4.1]: https://www.rfc-editor.org/rfc/rfc3516#section-4.1
/// [RFC 4466]: https://www.rfc-editor.org/rfc/rfc4466
///
/// ```
/// use mailwire_imap::Literal8;
/// assert_eq!(Literal8::new(&b"\0\x01"[..]).data(), b"\0\x01");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Literal8<'a> {
    data: Cow<'a, [u8]>,
    mode: LiteralMode,
}

impl<'a> Literal8<'a> {
    /// A synchronising binary literal; every byte sequence is valid.
    pub fn new(data: impl Into<Cow<'a, [u8]>>) -> Self {
        Self {
            data: data.into(),
            mode: LiteralMode::Sync,
        }
    }

    /// The octets.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Synchronising or not.
    pub const fn mode(&self) -> LiteralMode {
        self.mode
    }

    /// The same literal with another mode.
    #[must_use]
    pub fn with_mode(mut self, mode: LiteralMode) -> Self {
        self.mode = mode;
        self
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Literal8<'static> {
        Literal8 {
            data: Cow::Owned(self.data.into_owned()),
            mode: self.mode,
        }
    }
}

impl fmt::Debug for Literal8<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Literal8({:?}, \"{}\")",
            self.mode,
            self.data.escape_ascii()
        )
    }
}

/// A string: quoted or literal ([RFC 9051 §4.3]).
///
/// ```abnf
/// string = quoted / literal
/// ```
///
/// [RFC 9051 §4.3]: https://www.rfc-editor.org/rfc/rfc9051#section-4.3
///
/// ```
/// use mailwire_imap::IString;
/// assert!(matches!(IString::try_from("x").unwrap(), IString::Quoted(_)));
/// assert!(matches!(IString::try_from("x\ny").unwrap(), IString::Literal(_)));
/// assert_eq!(IString::try_from("x\ny").unwrap().as_bytes(), b"x\ny");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IString<'a> {
    /// `"..."`.
    Quoted(Quoted<'a>),
    /// `{n}` CRLF octets.
    Literal(Literal<'a>),
}

impl<'a> IString<'a> {
    /// The content.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            IString::Quoted(q) => q.as_str().as_bytes(),
            IString::Literal(l) => l.data(),
        }
    }

    /// The content as text, if it is UTF-8.
    pub fn to_str(&self) -> Option<&str> {
        match self {
            IString::Quoted(q) => Some(q.as_str()),
            IString::Literal(l) => std::str::from_utf8(l.data()).ok(),
        }
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> IString<'static> {
        match self {
            IString::Quoted(q) => IString::Quoted(q.into_static()),
            IString::Literal(l) => IString::Literal(l.into_static()),
        }
    }

    /// Quoted if possible, else a synchronising literal.
    fn from_cow_str(s: Cow<'a, str>) -> Result<Self, ValueError> {
        if Quoted::validate(&s).is_ok() {
            return Ok(IString::Quoted(Quoted(s)));
        }
        let data = match s {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        };
        Literal::validate(&data)?;
        Ok(IString::Literal(Literal::unchecked(
            data,
            LiteralMode::Sync,
        )))
    }
}

impl<'a> TryFrom<&'a str> for IString<'a> {
    type Error = ValueError;
    fn try_from(s: &'a str) -> Result<Self, ValueError> {
        Self::from_cow_str(Cow::Borrowed(s))
    }
}

impl TryFrom<String> for IString<'static> {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Self::from_cow_str(Cow::Owned(s))
    }
}

impl<'a> TryFrom<&'a [u8]> for IString<'a> {
    type Error = ValueError;
    fn try_from(data: &'a [u8]) -> Result<Self, ValueError> {
        match std::str::from_utf8(data) {
            Ok(s) => Self::try_from(s),
            Err(_) => Ok(IString::Literal(Literal::try_from(data)?)),
        }
    }
}

impl<'a> From<Quoted<'a>> for IString<'a> {
    fn from(q: Quoted<'a>) -> Self {
        IString::Quoted(q)
    }
}

impl<'a> From<Literal<'a>> for IString<'a> {
    fn from(l: Literal<'a>) -> Self {
        IString::Literal(l)
    }
}

/// An atom-like string or a string ([RFC 9051 §9]).
///
/// ```abnf
/// astring = 1*ASTRING-CHAR / string
/// ```
///
/// [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9
///
/// ```
/// use mailwire_imap::AString;
/// assert_eq!(AString::try_from("fred").unwrap().as_bytes(), b"fred");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AString<'a> {
    /// `1*ASTRING-CHAR`.
    Atom(AtomExt<'a>),
    /// A quoted string or a literal.
    String(IString<'a>),
}

impl<'a> AString<'a> {
    /// The content.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            AString::Atom(a) => a.as_str().as_bytes(),
            AString::String(s) => s.as_bytes(),
        }
    }

    /// The content as text, if it is UTF-8.
    pub fn to_str(&self) -> Option<&str> {
        match self {
            AString::Atom(a) => Some(a.as_str()),
            AString::String(s) => s.to_str(),
        }
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> AString<'static> {
        match self {
            AString::Atom(a) => AString::Atom(a.into_static()),
            AString::String(s) => AString::String(s.into_static()),
        }
    }

    fn from_cow_str(s: Cow<'a, str>) -> Result<Self, ValueError> {
        if AtomExt::validate(&s).is_ok() {
            return Ok(AString::Atom(AtomExt(s)));
        }
        Ok(AString::String(IString::from_cow_str(s)?))
    }
}

impl<'a> TryFrom<&'a str> for AString<'a> {
    type Error = ValueError;
    fn try_from(s: &'a str) -> Result<Self, ValueError> {
        Self::from_cow_str(Cow::Borrowed(s))
    }
}

impl TryFrom<String> for AString<'static> {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Self::from_cow_str(Cow::Owned(s))
    }
}

impl<'a> TryFrom<&'a [u8]> for AString<'a> {
    type Error = ValueError;
    fn try_from(data: &'a [u8]) -> Result<Self, ValueError> {
        match std::str::from_utf8(data) {
            Ok(s) => Self::try_from(s),
            Err(_) => Ok(AString::String(IString::Literal(Literal::try_from(data)?))),
        }
    }
}

impl<'a> From<IString<'a>> for AString<'a> {
    fn from(s: IString<'a>) -> Self {
        AString::String(s)
    }
}

impl<'a> From<Atom<'a>> for AString<'a> {
    fn from(a: Atom<'a>) -> Self {
        AString::Atom(a.into())
    }
}

/// A string or `NIL` ([RFC 9051 §4.5]).
///
/// ```abnf
/// nstring = string / nil
/// ```
///
/// [RFC 9051 §4.5]: https://www.rfc-editor.org/rfc/rfc9051#section-4.5
///
/// ```
/// use mailwire_imap::NString;
/// assert_eq!(NString::NIL.as_bytes(), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct NString<'a>(pub Option<IString<'a>>);

impl NString<'_> {
    /// `NIL`.
    pub const NIL: NString<'static> = NString(None);

    /// The content, `None` for `NIL`.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        self.0.as_ref().map(IString::as_bytes)
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> NString<'static> {
        NString(self.0.map(IString::into_static))
    }
}

/// Human-readable text ([RFC 9051 §9]): one or more characters, no CR or
/// LF (8-bit text is UTF-8, as IMAP4rev2 allows).
///
/// ```abnf
/// text = 1*TEXT-CHAR
/// ```
///
/// [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9
///
/// ```
/// use mailwire_imap::Text;
/// assert!(Text::try_from("LOGIN completed").is_ok());
/// assert!(Text::try_from("").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text<'a>(Cow<'a, str>);

impl<'a> Text<'a> {
    /// Checks `s`: not empty, no NUL, CR or LF.
    pub fn validate(s: &str) -> Result<(), ValueError> {
        let bytes = s.as_bytes();
        if bytes.is_empty() {
            return Err(ValueError::at("text", bytes, 0));
        }
        match bytes.iter().position(|b| matches!(b, 0 | b'\r' | b'\n')) {
            Some(i) => Err(ValueError::at("TEXT-CHAR", bytes, i)),
            None => Ok(()),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Text<'static> {
        Text(Cow::Owned(self.0.into_owned()))
    }

    #[allow(dead_code)]
    pub(crate) fn unchecked(s: impl Into<Cow<'a, str>>) -> Self {
        Self(s.into())
    }
}

impl<'a> TryFrom<&'a str> for Text<'a> {
    type Error = ValueError;
    fn try_from(s: &'a str) -> Result<Self, ValueError> {
        Self::validate(s)?;
        Ok(Self(Cow::Borrowed(s)))
    }
}

impl TryFrom<String> for Text<'static> {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Self::validate(&s)?;
        Ok(Self(Cow::Owned(s)))
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text({:?})", &*self.0)
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn classes() {
        assert!(is(b'a', ATOM_CHAR));
        assert!(!is(b']', ATOM_CHAR));
        assert!(is(b']', ASTRING_CHAR));
        assert!(!is(b'+', TAG_CHAR));
        assert!(is(b'+', ATOM_CHAR));
        assert!(is(b'%', LIST_CHAR));
        assert!(!is(b'%', ASTRING_CHAR));
        assert!(!is(0x80, TEXT_CHAR));
        assert!(!is(b'{', ATOM_CHAR));
        assert!(is(b'}', ATOM_CHAR));
    }

    #[test]
    fn string_forms() {
        assert!(matches!(
            AString::try_from("").unwrap(),
            AString::String(IString::Quoted(_))
        ));
        assert!(IString::try_from(&b"\0"[..]).is_err());
        assert!(matches!(
            IString::try_from(&b"\xff"[..]).unwrap(),
            IString::Literal(_)
        ));
    }
}
