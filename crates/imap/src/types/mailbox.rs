//! Mailbox names ([RFC 9051 §5.1], RFC 3501 §5.1.3 modified UTF-7).
//!
//! `INBOX` is case-insensitive and always becomes [`Mailbox::Inbox`]; every
//! other name keeps its wire form. Under IMAP4rev1 names travel in
//! [modified UTF-7](crate::utf7); under IMAP4rev2 or `UTF8=ACCEPT` as UTF-8.
//!
//! [RFC 9051 §5.1]: https://www.rfc-editor.org/rfc/rfc9051#section-5.1
//!
//! ```
//! use mailwire_imap::Mailbox;
//!
//! assert_eq!(Mailbox::try_from("inbox").unwrap(), Mailbox::Inbox);
//! let m = Mailbox::from_utf8_name("Entwürfe", false).unwrap();
//! assert_eq!(m.as_bytes(), b"Entw&APw-rfe");
//! assert_eq!(m.to_utf8_name(false).unwrap(), "Entwürfe");
//! let m = Mailbox::from_utf8_name("Entwürfe", true).unwrap();
//! assert_eq!(m.as_bytes(), "Entwürfe".as_bytes());
//! ```

use std::borrow::Cow;

use crate::error::ValueError;
use crate::types::core::{AString, IString, ListChars};
use crate::utf7;

/// A mailbox name.
///
/// ```abnf
/// mailbox = "INBOX" / astring
///           ; INBOX is case-insensitive.
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mailbox<'a> {
    /// `INBOX`, in any case.
    Inbox,
    /// Any other name.
    Other(MailboxOther<'a>),
}

/// A mailbox name that is not `INBOX`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MailboxOther<'a>(AString<'a>);

impl<'a> MailboxOther<'a> {
    /// The name as sent.
    pub fn as_astring(&self) -> &AString<'a> {
        &self.0
    }

    /// The name's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl<'a> Mailbox<'a> {
    /// The name's bytes (`INBOX` for [`Mailbox::Inbox`]).
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Mailbox::Inbox => b"INBOX",
            Mailbox::Other(o) => o.as_bytes(),
        }
    }

    /// A mailbox from its wire name.
    pub fn from_astring(name: AString<'a>) -> Self {
        if name.as_bytes().eq_ignore_ascii_case(b"INBOX") {
            Mailbox::Inbox
        } else {
            Mailbox::Other(MailboxOther(name))
        }
    }

    /// A mailbox from a Unicode name: modified UTF-7 unless `utf8` (the
    /// session runs IMAP4rev2 or enabled `UTF8=ACCEPT`).
    pub fn from_utf8_name(name: &str, utf8: bool) -> Result<Mailbox<'static>, ValueError> {
        let wire = if utf8 {
            name.to_owned()
        } else {
            utf7::encode(name).into_owned()
        };
        Ok(Mailbox::from_astring(AString::try_from(wire)?))
    }

    /// The Unicode name: decoded from modified UTF-7 unless `utf8` (the
    /// session runs IMAP4rev2 or enabled `UTF8=ACCEPT`, where names are
    /// UTF-8 as they are).
    pub fn to_utf8_name(&self, utf8: bool) -> Result<Cow<'_, str>, ValueError> {
        let bytes = self.as_bytes();
        let s = std::str::from_utf8(bytes)
            .map_err(|e| ValueError::at("UTF-8", bytes, e.valid_up_to()))?;
        if utf8 {
            Ok(Cow::Borrowed(s))
        } else {
            utf7::decode(s)
        }
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Mailbox<'static> {
        match self {
            Mailbox::Inbox => Mailbox::Inbox,
            Mailbox::Other(o) => Mailbox::Other(MailboxOther(o.0.into_static())),
        }
    }
}

impl<'a> TryFrom<&'a str> for Mailbox<'a> {
    type Error = ValueError;
    fn try_from(s: &'a str) -> Result<Self, ValueError> {
        Ok(Mailbox::from_astring(AString::try_from(s)?))
    }
}

impl TryFrom<String> for Mailbox<'static> {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Ok(Mailbox::from_astring(AString::try_from(s)?))
    }
}

impl<'a> From<AString<'a>> for Mailbox<'a> {
    fn from(name: AString<'a>) -> Self {
        Mailbox::from_astring(name)
    }
}

/// A LIST/LSUB pattern or reference ([RFC 9051 §6.3.9]): may hold the
/// wildcards `*` and `%`.
///
/// ```abnf
/// list-mailbox   = 1*list-char / string
/// list-char      = ATOM-CHAR / list-wildcards / resp-specials
/// list-wildcards = "%" / "*"
/// ```
///
/// [RFC 9051 §6.3.9]: https://www.rfc-editor.org/rfc/rfc9051#section-6.3.9
///
/// ```
/// use mailwire_imap::ListMailbox;
/// assert!(matches!(ListMailbox::try_from("INBOX.%").unwrap(), ListMailbox::Token(_)));
/// assert!(matches!(ListMailbox::try_from("").unwrap(), ListMailbox::String(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ListMailbox<'a> {
    /// `1*list-char`.
    Token(ListChars<'a>),
    /// A quoted string or literal.
    String(IString<'a>),
}

impl<'a> ListMailbox<'a> {
    /// The pattern's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            ListMailbox::Token(s) => s.as_str().as_bytes(),
            ListMailbox::String(s) => s.as_bytes(),
        }
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> ListMailbox<'static> {
        match self {
            ListMailbox::Token(s) => ListMailbox::Token(s.into_static()),
            ListMailbox::String(s) => ListMailbox::String(s.into_static()),
        }
    }

    fn from_cow(s: Cow<'a, str>) -> Result<Self, ValueError> {
        if ListChars::validate(&s).is_ok() {
            return Ok(ListMailbox::Token(ListChars::unchecked(s)));
        }
        Ok(ListMailbox::String(match s {
            Cow::Borrowed(s) => IString::try_from(s)?,
            Cow::Owned(s) => IString::try_from(s)?,
        }))
    }
}

impl<'a> TryFrom<&'a str> for ListMailbox<'a> {
    type Error = ValueError;
    fn try_from(s: &'a str) -> Result<Self, ValueError> {
        Self::from_cow(Cow::Borrowed(s))
    }
}

impl TryFrom<String> for ListMailbox<'static> {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Self::from_cow(Cow::Owned(s))
    }
}
