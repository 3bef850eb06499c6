//! Body sections and partial ranges ([RFC 9051 §6.4.5]), shared by FETCH
//! commands (`BODY[1.2.HEADER]<0.100>`) and FETCH responses
//! (`BODY[1.2.HEADER]<0>`).
//!
//! [RFC 9051 §6.4.5]: https://www.rfc-editor.org/rfc/rfc9051#section-6.4.5
//!
//! ```
//! use std::num::NonZeroU32;
//! use mailwire_imap::{AString, Part, Section, Vec1};
//!
//! let part = Part::try_from(vec![NonZeroU32::new(4).unwrap(), NonZeroU32::new(2).unwrap()]).unwrap();
//! let section = Section::HeaderFields(
//!     Some(part),
//!     Vec1::from(AString::try_from("Subject").unwrap()),
//! );
//! assert_eq!(section.to_string(), "4.2.HEADER.FIELDS (Subject)");
//! ```

use std::fmt;
use std::num::{NonZeroU32, NonZeroU64};

use crate::error::ValueError;
use crate::types::core::AString;
use crate::types::vec1::Vec1;

/// A body part number, `1.2.3`.
///
/// ```abnf
/// section-part = nz-number *("." nz-number)
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Part(pub Vec1<NonZeroU32>);

impl TryFrom<Vec<NonZeroU32>> for Part {
    type Error = ValueError;
    fn try_from(v: Vec<NonZeroU32>) -> Result<Self, ValueError> {
        Ok(Part(Vec1::try_from(v)?))
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, n) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

/// The inside of `[...]` after `BODY`, `BODY.PEEK` (and in responses);
/// `BODY[]` is `None` where a section is optional.
///
/// ```abnf
/// section-spec    = section-msgtext / (section-part ["." section-text])
/// section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list /
///                   "TEXT"
/// section-text    = section-msgtext / "MIME"
/// header-list     = "(" header-fld-name *(SP header-fld-name) ")"
/// header-fld-name = astring
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section<'a> {
    /// A part's content: `1.2`.
    Part(Part),
    /// `[part.]HEADER`.
    Header(Option<Part>),
    /// `[part.]HEADER.FIELDS (names)`.
    HeaderFields(Option<Part>, Vec1<AString<'a>>),
    /// `[part.]HEADER.FIELDS.NOT (names)`.
    HeaderFieldsNot(Option<Part>, Vec1<AString<'a>>),
    /// `[part.]TEXT`.
    Text(Option<Part>),
    /// `part.MIME`.
    Mime(Part),
}

impl Section<'_> {
    /// The part number, if any.
    pub fn part(&self) -> Option<&Part> {
        match self {
            Section::Part(p) | Section::Mime(p) => Some(p),
            Section::Header(p)
            | Section::HeaderFields(p, _)
            | Section::HeaderFieldsNot(p, _)
            | Section::Text(p) => p.as_ref(),
        }
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Section<'static> {
        match self {
            Section::Part(p) => Section::Part(p),
            Section::Header(p) => Section::Header(p),
            Section::HeaderFields(p, names) => {
                Section::HeaderFields(p, names.map(AString::into_static))
            }
            Section::HeaderFieldsNot(p, names) => {
                Section::HeaderFieldsNot(p, names.map(AString::into_static))
            }
            Section::Text(p) => Section::Text(p),
            Section::Mime(p) => Section::Mime(p),
        }
    }
}

impl fmt::Display for Section<'_> {
    /// The wire form (header names shown by their bytes, for display).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = |f: &mut fmt::Formatter<'_>, p: &Option<Part>| match p {
            Some(p) => write!(f, "{p}."),
            None => Ok(()),
        };
        let names = |f: &mut fmt::Formatter<'_>, names: &Vec1<AString<'_>>| {
            f.write_str(" (")?;
            for (i, n) in names.iter().enumerate() {
                if i > 0 {
                    f.write_str(" ")?;
                }
                write!(f, "{}", n.as_bytes().escape_ascii())?;
            }
            f.write_str(")")
        };
        match self {
            Section::Part(p) => write!(f, "{p}"),
            Section::Header(p) => {
                prefix(f, p)?;
                f.write_str("HEADER")
            }
            Section::HeaderFields(p, n) => {
                prefix(f, p)?;
                f.write_str("HEADER.FIELDS")?;
                names(f, n)
            }
            Section::HeaderFieldsNot(p, n) => {
                prefix(f, p)?;
                f.write_str("HEADER.FIELDS.NOT")?;
                names(f, n)
            }
            Section::Text(p) => {
                prefix(f, p)?;
                f.write_str("TEXT")
            }
            Section::Mime(p) => write!(f, "{p}.MIME"),
        }
    }
}

/// A partial range in a FETCH command: `<offset.length>`.
///
/// ```abnf
/// partial = "<" number64 "." nz-number64 ">"
///           ; Partial FETCH request. 0-based offset of
///           ; the first octet, followed by the number of octets
///           ; in the fragment.
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Partial {
    /// Offset of the first octet.
    pub offset: u64,
    /// Number of octets.
    pub length: NonZeroU64,
}
