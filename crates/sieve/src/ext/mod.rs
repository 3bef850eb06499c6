//! Extensions: their capability names and their run-time parts, one file
//! per RFC.

pub(crate) mod body;
pub(crate) mod date;
pub(crate) mod flags;
pub(crate) mod vacation;
pub(crate) mod variables;

/// An extension named by `require` ([RFC 5228 §3.2]).
///
/// [RFC 5228 §3.2]: https://www.rfc-editor.org/rfc/rfc5228#section-3.2
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Extension {
    /// `fileinto` ([RFC 5228 §4.1]).
    ///
    /// [RFC 5228 §4.1]: https://www.rfc-editor.org/rfc/rfc5228#section-4.1
    FileInto,
    /// `envelope` ([RFC 5228 §5.4]).
    ///
    /// [RFC 5228 §5.4]: https://www.rfc-editor.org/rfc/rfc5228#section-5.4
    Envelope,
    /// `encoded-character` ([RFC 5228 §2.4.2.4]).
    ///
    /// [RFC 5228 §2.4.2.4]: https://www.rfc-editor.org/rfc/rfc5228#section-2.4.2.4
    EncodedCharacter,
    /// `imap4flags` ([RFC 5232]).
    ///
    /// [RFC 5232]: https://www.rfc-editor.org/rfc/rfc5232
    Imap4Flags,
    /// `subaddress` ([RFC 5233]).
    ///
    /// [RFC 5233]: https://www.rfc-editor.org/rfc/rfc5233
    Subaddress,
    /// `relational` ([RFC 5231]).
    ///
    /// [RFC 5231]: https://www.rfc-editor.org/rfc/rfc5231
    Relational,
    /// `comparator-i;ascii-numeric` ([RFC 5231 §4], RFC 4790 §9.1).
    ///
    /// [RFC 5231 §4]: https://www.rfc-editor.org/rfc/rfc5231#section-4
    ComparatorNumeric,
    /// `comparator-i;octet` and `comparator-i;ascii-casemap`, always there.
    ComparatorBuiltIn,
    /// `body` ([RFC 5173]).
    ///
    /// [RFC 5173]: https://www.rfc-editor.org/rfc/rfc5173
    Body,
    /// `variables` ([RFC 5229]).
    ///
    /// [RFC 5229]: https://www.rfc-editor.org/rfc/rfc5229
    Variables,
    /// `vacation` ([RFC 5230]).
    ///
    /// [RFC 5230]: https://www.rfc-editor.org/rfc/rfc5230
    Vacation,
    /// `vacation-seconds` ([RFC 6131]).
    ///
    /// [RFC 6131]: https://www.rfc-editor.org/rfc/rfc6131
    VacationSeconds,
    /// `reject` ([RFC 5429 §2.2]).
    ///
    /// [RFC 5429 §2.2]: https://www.rfc-editor.org/rfc/rfc5429#section-2.2
    Reject,
    /// `ereject` ([RFC 5429 §2.1]).
    ///
    /// [RFC 5429 §2.1]: https://www.rfc-editor.org/rfc/rfc5429#section-2.1
    Ereject,
    /// `copy` ([RFC 3894]).
    ///
    /// [RFC 3894]: https://www.rfc-editor.org/rfc/rfc3894
    Copy,
    /// `date` ([RFC 5260 §4]).
    ///
    /// [RFC 5260 §4]: https://www.rfc-editor.org/rfc/rfc5260#section-4
    Date,
    /// `index` ([RFC 5260 §6]).
    ///
    /// [RFC 5260 §6]: https://www.rfc-editor.org/rfc/rfc5260#section-6
    Index,
    /// `mailbox` ([RFC 5490 §3]).
    ///
    /// [RFC 5490 §3]: https://www.rfc-editor.org/rfc/rfc5490#section-3
    Mailbox,
    /// `duplicate` ([RFC 7352]).
    ///
    /// [RFC 7352]: https://www.rfc-editor.org/rfc/rfc7352
    Duplicate,
}

impl Extension {
    /// Every extension, in a fixed order.
    pub const ALL: [Extension; 19] = [
        Extension::FileInto,
        Extension::Envelope,
        Extension::EncodedCharacter,
        Extension::Imap4Flags,
        Extension::Subaddress,
        Extension::Relational,
        Extension::ComparatorNumeric,
        Extension::ComparatorBuiltIn,
        Extension::Body,
        Extension::Variables,
        Extension::Vacation,
        Extension::VacationSeconds,
        Extension::Reject,
        Extension::Ereject,
        Extension::Copy,
        Extension::Date,
        Extension::Index,
        Extension::Mailbox,
        Extension::Duplicate,
    ];

    /// The capability string `require` uses.
    pub fn name(self) -> &'static str {
        match self {
            Extension::FileInto => "fileinto",
            Extension::Envelope => "envelope",
            Extension::EncodedCharacter => "encoded-character",
            Extension::Imap4Flags => "imap4flags",
            Extension::Subaddress => "subaddress",
            Extension::Relational => "relational",
            Extension::ComparatorNumeric => "comparator-i;ascii-numeric",
            Extension::ComparatorBuiltIn => "comparator-i;octet",
            Extension::Body => "body",
            Extension::Variables => "variables",
            Extension::Vacation => "vacation",
            Extension::VacationSeconds => "vacation-seconds",
            Extension::Reject => "reject",
            Extension::Ereject => "ereject",
            Extension::Copy => "copy",
            Extension::Date => "date",
            Extension::Index => "index",
            Extension::Mailbox => "mailbox",
            Extension::Duplicate => "duplicate",
        }
    }

    /// The extension a capability string names (case-insensitive).
    ///
    /// ```
    /// use mailwire_sieve::Extension;
    /// assert_eq!(Extension::from_name("IMAP4FLAGS"), Some(Extension::Imap4Flags));
    /// assert_eq!(Extension::from_name("comparator-i;ascii-casemap"), Some(Extension::ComparatorBuiltIn));
    /// assert_eq!(Extension::from_name("notify"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        if lower == "comparator-i;ascii-casemap" {
            return Some(Extension::ComparatorBuiltIn);
        }
        Extension::ALL.into_iter().find(|e| e.name() == lower)
    }

    pub(crate) fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A set of extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Extensions(u32);

impl Extensions {
    /// Every extension this crate implements.
    pub fn all() -> Self {
        Self(Extension::ALL.iter().fold(0, |m, e| m | e.bit()))
    }

    /// Whether `extension` is in the set.
    pub fn contains(self, extension: Extension) -> bool {
        self.0 & extension.bit() != 0
    }

    /// Adds `extension`.
    pub fn insert(&mut self, extension: Extension) {
        self.0 |= extension.bit();
    }

    /// Removes `extension`.
    pub fn remove(&mut self, extension: Extension) {
        self.0 &= !extension.bit();
    }

    /// The extensions in the set.
    pub fn iter(self) -> impl Iterator<Item = Extension> {
        Extension::ALL
            .into_iter()
            .filter(move |e| self.contains(*e))
    }
}
