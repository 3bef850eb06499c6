//! QUOTA resource names ([RFC 9208 §5]).
//!
//! [RFC 9208 §5]: https://www.rfc-editor.org/rfc/rfc9208#section-5
//!
//! ```
//! use mailwire_imap::QuotaResource;
//! assert_eq!(QuotaResource::from_atom(mailwire_imap::Atom::try_from("storage").unwrap()), QuotaResource::Storage);
//! ```

use crate::types::core::Atom;

/// A quota resource.
///
/// ```abnf
/// resource-name = "STORAGE" / "MESSAGE" / "MAILBOX" /
///                 "ANNOTATION-STORAGE" / resource-name-ext
/// resource-name-ext = atom
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum QuotaResource<'a> {
    /// `STORAGE`, in units of 1024 octets.
    Storage,
    /// `MESSAGE`: number of messages.
    Message,
    /// `MAILBOX`: number of mailboxes.
    Mailbox,
    /// `ANNOTATION-STORAGE`.
    AnnotationStorage,
    /// Another resource.
    Other(Atom<'a>),
}

impl<'a> QuotaResource<'a> {
    /// The resource of a name, case-insensitively.
    pub fn from_atom(name: Atom<'a>) -> Self {
        let s = name.as_str();
        if s.eq_ignore_ascii_case("STORAGE") {
            QuotaResource::Storage
        } else if s.eq_ignore_ascii_case("MESSAGE") {
            QuotaResource::Message
        } else if s.eq_ignore_ascii_case("MAILBOX") {
            QuotaResource::Mailbox
        } else if s.eq_ignore_ascii_case("ANNOTATION-STORAGE") {
            QuotaResource::AnnotationStorage
        } else {
            QuotaResource::Other(name)
        }
    }

    /// The wire name.
    pub fn name(&self) -> &str {
        match self {
            QuotaResource::Storage => "STORAGE",
            QuotaResource::Message => "MESSAGE",
            QuotaResource::Mailbox => "MAILBOX",
            QuotaResource::AnnotationStorage => "ANNOTATION-STORAGE",
            QuotaResource::Other(a) => a.as_str(),
        }
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> QuotaResource<'static> {
        match self {
            QuotaResource::Storage => QuotaResource::Storage,
            QuotaResource::Message => QuotaResource::Message,
            QuotaResource::Mailbox => QuotaResource::Mailbox,
            QuotaResource::AnnotationStorage => QuotaResource::AnnotationStorage,
            QuotaResource::Other(a) => QuotaResource::Other(a.into_static()),
        }
    }
}
