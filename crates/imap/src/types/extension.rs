//! Extension parameters of the generic syntax of [RFC 4466 §2.1], kept when
//! this crate does not know them: SELECT/EXAMINE parameters, LIST selection
//! and return options ([RFC 5258 §6] `option-extension`), ESEARCH return
//! options.
//!
//! [RFC 4466 §2.1]: https://www.rfc-editor.org/rfc/rfc4466#section-2.1
//! [RFC 5258 §6]: https://www.rfc-editor.org/rfc/rfc5258#section-6
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

/// The value of an [`Extension`].
///
/// ```abnf
/// tagged-ext-val    = tagged-ext-simple / "(" [tagged-ext-comp] ")"
/// tagged-ext-simple = sequence-set / number / number64
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExtensionValue<'a> {
    /// A sequence set (also the form a number like `5` takes).
    SequenceSet(SequenceSet<'a>),
    /// A number that is not a sequence set: 0 or above 4,294,967,295.
    Number(u64),
    /// A parenthesised list.
    List(Vec<ExtensionItem<'a>>),
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
