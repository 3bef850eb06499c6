//! Extension parameters and values of the generic syntax of [RFC 4466 §2.1],
//! kept when this crate does not know them, in both directions: SELECT/EXAMINE
//! parameters, LIST selection and return options ([RFC 5258 §6]
//! `option-extension`), ESEARCH return options; in responses, LIST-EXTENDED
//! items ([RFC 5258 §4]) and unknown ESEARCH return data ([RFC 4731 §3.1]).
//!
//! [RFC 4466 §2.1]: https://www.rfc-editor.org/rfc/rfc4466#section-2.1
//! [RFC 5258 §4]: https://www.rfc-editor.org/rfc/rfc5258#section-4
//! [RFC 5258 §6]: https://www.rfc-editor.org/rfc/rfc5258#section-6
//! [RFC 4731 §3.1]: https://www.rfc-editor.org/rfc/rfc4731#section-3.1
//!
//! ```
//! use mailwire_imap::{Atom, Extension, ExtensionItem, ExtensionValue, AString};
//!
//! let e = Extension {
//!     name: Atom::try_from("X-DEPTH").unwrap(),
//!     value: Some(ExtensionValue::List(vec![ExtensionItem::AString(AString::try_from("2").unwrap())])),
//! };
//! assert_eq!(e.name.as_str(), "X-DEPTH");
//! ```

use crate::types::core::{AString, Atom};
use crate::types::sequence::SequenceSet;

/// A named parameter with an optional value.
///
/// ```abnf
/// tagged-ext = tagged-ext-label [SP tagged-ext-val]   ; as in select-param
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Extension<'a> {
    /// The name.
    pub name: Atom<'a>,
    /// The value, if any.
    pub value: Option<ExtensionValue<'a>>,
}

/// The value of an [`Extension`], of a LIST-EXTENDED item or of unknown
/// ESEARCH return data ([RFC 4466 §2.1]).
///
/// ```abnf
/// tagged-ext-val    = tagged-ext-simple / "(" [tagged-ext-comp] ")"
/// tagged-ext-simple = sequence-set / number / number64
/// ```
///
/// Each wire form has one representation: a number from 1 to 4,294,967,295
/// is a [`SequenceSet`](ExtensionValue::SequenceSet), and everything inside
/// parentheses is an [`ExtensionItem`] (`tagged-ext-comp` has no numbers,
/// only astrings).
///
/// [RFC 4466 §2.1]: https://www.rfc-editor.org/rfc/rfc4466#section-2.1
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExtensionValue<'a> {
    /// A sequence set (also the form a number like `5` takes).
    SequenceSet(SequenceSet<'a>),
    /// A number that is not a sequence set: 0 or above 4,294,967,295.
    Number(u64),
    /// A parenthesised list.
    List(Vec<ExtensionItem<'a>>),
    /// A string where the grammar wants `tagged-ext-simple`: not in RFC
    /// 4466, but in the LIST example of [RFC 9051 §7.3.1] (`Sample "text"`),
    /// so read in responses. It must not look like a sequence set or a
    /// number (an atom `5` is written `5` and read back as a sequence set).
    ///
    /// [RFC 9051 §7.3.1]: https://www.rfc-editor.org/rfc/rfc9051#section-7.3.1
    AString(AString<'a>),
}

/// One item of a parenthesised extension value.
///
/// ```abnf
/// tagged-ext-comp = astring / tagged-ext-comp *(SP tagged-ext-comp) /
///                   "(" tagged-ext-comp ")"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExtensionItem<'a> {
    /// A string.
    AString(AString<'a>),
    /// A nested list.
    List(Vec<ExtensionItem<'a>>),
}

impl Extension<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Extension<'static> {
        Extension {
            name: self.name.into_static(),
            value: self.value.map(ExtensionValue::into_static),
        }
    }
}

impl ExtensionValue<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> ExtensionValue<'static> {
        match self {
            ExtensionValue::SequenceSet(s) => ExtensionValue::SequenceSet(s.into_static()),
            ExtensionValue::Number(n) => ExtensionValue::Number(n),
            ExtensionValue::List(l) => {
                ExtensionValue::List(l.into_iter().map(ExtensionItem::into_static).collect())
            }
            ExtensionValue::AString(s) => ExtensionValue::AString(s.into_static()),
        }
    }
}

impl ExtensionItem<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> ExtensionItem<'static> {
        match self {
            ExtensionItem::AString(s) => ExtensionItem::AString(s.into_static()),
            ExtensionItem::List(l) => {
                ExtensionItem::List(l.into_iter().map(ExtensionItem::into_static).collect())
            }
        }
    }
}
