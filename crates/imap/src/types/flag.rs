//! Flags and keywords ([RFC 9051 §2.3.2], §9).
//!
//! [RFC 9051 §2.3.2]: https://www.rfc-editor.org/rfc/rfc9051#section-2.3.2
//!
//! ```
//! use mailwire_imap::{Atom, Flag, FlagFetch, FlagPerm};
//!
//! assert_eq!(Flag::try_from("\\seen").unwrap(), Flag::Seen);
//! assert_eq!(Flag::try_from("$Forwarded").unwrap(), Flag::Keyword(Atom::try_from("$Forwarded").unwrap()));
//! assert_eq!(Flag::Seen.to_string(), "\\Seen");
//! assert_eq!(FlagFetch::Recent.to_string(), "\\Recent");
//! assert_eq!(FlagPerm::Any.to_string(), "\\*");
//! ```

use std::fmt;

use crate::error::ValueError;
use crate::types::core::Atom;

/// A message flag.
///
/// ```abnf
/// flag           = "\Answered" / "\Flagged" / "\Deleted" /
///                  "\Seen" / "\Draft" / flag-keyword / flag-extension
/// flag-extension = "\" atom
/// flag-keyword   = "$MDNSent" / "$Forwarded" / "$Junk" /
///                  "$NotJunk" / "$Phishing" / atom
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Flag<'a> {
    /// `\Answered`.
    Answered,
    /// `\Flagged`.
    Flagged,
    /// `\Deleted`.
    Deleted,
    /// `\Seen`.
    Seen,
    /// `\Draft`.
    Draft,
    /// A keyword (`$Forwarded`, `NonJunk`, ...).
    Keyword(Atom<'a>),
    /// Another system flag, `\` atom (the atom is stored without `\`).
    Extension(Atom<'a>),
}

impl<'a> Flag<'a> {
    /// A system flag by name (without `\`), case-insensitively.
    pub fn system(name: Atom<'a>) -> Self {
        let s = name.as_str();
        if s.eq_ignore_ascii_case("Answered") {
            Flag::Answered
        } else if s.eq_ignore_ascii_case("Flagged") {
            Flag::Flagged
        } else if s.eq_ignore_ascii_case("Deleted") {
            Flag::Deleted
        } else if s.eq_ignore_ascii_case("Seen") {
            Flag::Seen
        } else if s.eq_ignore_ascii_case("Draft") {
            Flag::Draft
        } else {
            Flag::Extension(name)
        }
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Flag<'static> {
        match self {
            Flag::Answered => Flag::Answered,
            Flag::Flagged => Flag::Flagged,
            Flag::Deleted => Flag::Deleted,
            Flag::Seen => Flag::Seen,
            Flag::Draft => Flag::Draft,
            Flag::Keyword(a) => Flag::Keyword(a.into_static()),
            Flag::Extension(a) => Flag::Extension(a.into_static()),
        }
    }
}

impl<'a> TryFrom<&'a str> for Flag<'a> {
    type Error = ValueError;
    fn try_from(s: &'a str) -> Result<Self, ValueError> {
        match s.strip_prefix('\\') {
            Some(name) => Atom::try_from(name)
                .map(Flag::system)
                .map_err(|e| ValueError {
                    index: e.index.saturating_add(1),
                    ..e
                }),
            None => Atom::try_from(s).map(Flag::Keyword),
        }
    }
}

impl fmt::Display for Flag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Flag::Answered => f.write_str("\\Answered"),
            Flag::Flagged => f.write_str("\\Flagged"),
            Flag::Deleted => f.write_str("\\Deleted"),
            Flag::Seen => f.write_str("\\Seen"),
            Flag::Draft => f.write_str("\\Draft"),
            Flag::Keyword(a) => f.write_str(a.as_str()),
            Flag::Extension(a) => write!(f, "\\{a}"),
        }
    }
}

/// A flag in a FETCH response: a flag or `\Recent` (IMAP4rev1 only).
///
/// ```abnf
/// flag-fetch = flag / obsolete-flag-recent
/// obsolete-flag-recent = "\Recent"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FlagFetch<'a> {
    /// A flag.
    Flag(Flag<'a>),
    /// `\Recent`.
    Recent,
}

impl FlagFetch<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> FlagFetch<'static> {
        match self {
            FlagFetch::Flag(f) => FlagFetch::Flag(f.into_static()),
            FlagFetch::Recent => FlagFetch::Recent,
        }
    }
}

impl fmt::Display for FlagFetch<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlagFetch::Flag(flag) => flag.fmt(f),
            FlagFetch::Recent => f.write_str("\\Recent"),
        }
    }
}

/// A flag in a PERMANENTFLAGS response code: a flag or `\*` (new keywords
/// may be created).
///
/// ```abnf
/// flag-perm = flag / "\*"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FlagPerm<'a> {
    /// A flag.
    Flag(Flag<'a>),
    /// `\*`.
    Any,
}

impl FlagPerm<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> FlagPerm<'static> {
        match self {
            FlagPerm::Flag(f) => FlagPerm::Flag(f.into_static()),
            FlagPerm::Any => FlagPerm::Any,
        }
    }
}

impl fmt::Display for FlagPerm<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlagPerm::Flag(flag) => flag.fmt(f),
            FlagPerm::Any => f.write_str("\\*"),
        }
    }
}
