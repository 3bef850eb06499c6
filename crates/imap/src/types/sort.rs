//! SORT criteria and THREAD algorithms ([RFC 5256]).
//!
//! [RFC 5256]: https://www.rfc-editor.org/rfc/rfc5256
//!
//! ```
//! use mailwire_imap::{Atom, SortKey, ThreadAlgorithm};
//!
//! assert_eq!(SortKey::DisplayFrom.name(), "DISPLAYFROM");
//! assert_eq!(ThreadAlgorithm::from_atom(Atom::try_from("references").unwrap()), ThreadAlgorithm::References);
//! ```

use crate::types::core::Atom;

/// A sort key ([RFC 5256 §3], DISPLAYFROM/DISPLAYTO from [RFC 5957]).
///
/// ```abnf
/// sort-key = "ARRIVAL" / "CC" / "DATE" / "FROM" / "SIZE" /
///            "SUBJECT" / "TO"
/// sort-key =/ "DISPLAYFROM" / "DISPLAYTO"
/// ```
///
/// [RFC 5256 §3]: https://www.rfc-editor.org/rfc/rfc5256#section-3
/// [RFC 5957]: https://www.rfc-editor.org/rfc/rfc5957
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SortKey {
    /// `ARRIVAL`.
    Arrival,
    /// `CC`.
    Cc,
    /// `DATE`.
    Date,
    /// `FROM`.
    From,
    /// `SIZE`.
    Size,
    /// `SUBJECT`.
    Subject,
    /// `TO`.
    To,
    /// `DISPLAYFROM`.
    DisplayFrom,
    /// `DISPLAYTO`.
    DisplayTo,
}

pub(crate) const SORT_KEYS: [(SortKey, &str); 9] = [
    (SortKey::Arrival, "ARRIVAL"),
    (SortKey::Cc, "CC"),
    (SortKey::Date, "DATE"),
    (SortKey::From, "FROM"),
    (SortKey::Size, "SIZE"),
    (SortKey::Subject, "SUBJECT"),
    (SortKey::To, "TO"),
    (SortKey::DisplayFrom, "DISPLAYFROM"),
    (SortKey::DisplayTo, "DISPLAYTO"),
];

impl SortKey {
    /// The wire name.
    pub fn name(self) -> &'static str {
        SORT_KEYS
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("ARRIVAL", |(_, n)| n)
    }
}

/// A sort criterion: a key, possibly reversed.
///
/// ```abnf
/// sort-criterion = ["REVERSE" SP] sort-key
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SortCriterion {
    /// `REVERSE`.
    pub reverse: bool,
    /// The key.
    pub key: SortKey,
}

/// A threading algorithm ([RFC 5256 §3]).
///
/// ```abnf
/// thread-alg = "ORDEREDSUBJECT" / "REFERENCES" / thread-alg-ext
/// thread-alg-ext = atom
/// ```
///
/// [RFC 5256 §3]: https://www.rfc-editor.org/rfc/rfc5256#section-3
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ThreadAlgorithm<'a> {
    /// `ORDEREDSUBJECT`.
    OrderedSubject,
    /// `REFERENCES`.
    References,
    /// Another algorithm.
    Other(Atom<'a>),
}

impl<'a> ThreadAlgorithm<'a> {
    /// The algorithm of a name, case-insensitively.
    pub fn from_atom(name: Atom<'a>) -> Self {
        if name.as_str().eq_ignore_ascii_case("ORDEREDSUBJECT") {
            ThreadAlgorithm::OrderedSubject
        } else if name.as_str().eq_ignore_ascii_case("REFERENCES") {
            ThreadAlgorithm::References
        } else {
            ThreadAlgorithm::Other(name)
        }
    }

    /// The wire name.
    pub fn name(&self) -> &str {
        match self {
            ThreadAlgorithm::OrderedSubject => "ORDEREDSUBJECT",
            ThreadAlgorithm::References => "REFERENCES",
            ThreadAlgorithm::Other(a) => a.as_str(),
        }
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> ThreadAlgorithm<'static> {
        match self {
            ThreadAlgorithm::OrderedSubject => ThreadAlgorithm::OrderedSubject,
            ThreadAlgorithm::References => ThreadAlgorithm::References,
            ThreadAlgorithm::Other(a) => ThreadAlgorithm::Other(a.into_static()),
        }
    }
}
