//! LIST options: LIST-EXTENDED ([RFC 5258 §3]), LIST-STATUS ([RFC 5819]),
//! SPECIAL-USE ([RFC 6154 §3]), as merged into IMAP4rev2 ([RFC 9051
//! §6.3.9]).
//!
//! [RFC 5258 §3]: https://www.rfc-editor.org/rfc/rfc5258#section-3
//! [RFC 5819]: https://www.rfc-editor.org/rfc/rfc5819
//! [RFC 6154 §3]: https://www.rfc-editor.org/rfc/rfc6154#section-3
//! [RFC 9051 §6.3.9]: https://www.rfc-editor.org/rfc/rfc9051#section-6.3.9
//!
//! ```
//! use mailwire_imap::{CommandBody, ListReturnOption, ParserConfig, StatusItem, parse_command};
//!
//! let c = parse_command(b"a LIST \"\" * RETURN (STATUS (UNSEEN))\r\n", &ParserConfig::default()).unwrap();
//! let CommandBody::List { return_options: Some(options), .. } = &c.body else { unreachable!() };
//! assert!(matches!(&options[0], ListReturnOption::Status(items) if items[0] == StatusItem::Unseen));
//! ```

use crate::types::extension::Extension;
use crate::types::mailbox::ListMailbox;
use crate::types::status::StatusItem;
use crate::types::vec1::Vec1;

/// A LIST selection option.
///
/// ```abnf
/// list-select-base-opt        = "SUBSCRIBED" / option-extension
/// list-select-independent-opt = "REMOTE" / option-extension
/// list-select-mod-opt         = "RECURSIVEMATCH" / option-extension
/// list-select-opt             =/ "SPECIAL-USE"  ; RFC 6154
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ListSelectOption<'a> {
    /// `SUBSCRIBED`.
    Subscribed,
    /// `REMOTE`.
    Remote,
    /// `RECURSIVEMATCH`.
    RecursiveMatch,
    /// `SPECIAL-USE`.
    SpecialUse,
    /// Another option (`option-extension`).
    Other(Extension<'a>),
}

/// A LIST return option.
///
/// ```abnf
/// return-option = "SUBSCRIBED" / "CHILDREN" / status-option /
///                 option-extension
/// status-option = "STATUS" SP "(" status-att *(SP status-att) ")"
/// return-option =/ "SPECIAL-USE"  ; RFC 6154
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ListReturnOption<'a> {
    /// `SUBSCRIBED`.
    Subscribed,
    /// `CHILDREN`.
    Children,
    /// `STATUS (items)` (LIST-STATUS).
    Status(Vec1<StatusItem>),
    /// `SPECIAL-USE`.
    SpecialUse,
    /// Another option (`option-extension`).
    Other(Extension<'a>),
}

/// The mailbox pattern(s) of LIST.
///
/// ```abnf
/// mbox-or-pat = list-mailbox / patterns
/// patterns    = "(" list-mailbox *(SP list-mailbox) ")"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ListPatterns<'a> {
    /// One pattern.
    Single(ListMailbox<'a>),
    /// A parenthesised list of patterns (LIST-EXTENDED).
    Multiple(Vec1<ListMailbox<'a>>),
}

impl ListSelectOption<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> ListSelectOption<'static> {
        match self {
            ListSelectOption::Subscribed => ListSelectOption::Subscribed,
            ListSelectOption::Remote => ListSelectOption::Remote,
            ListSelectOption::RecursiveMatch => ListSelectOption::RecursiveMatch,
            ListSelectOption::SpecialUse => ListSelectOption::SpecialUse,
            ListSelectOption::Other(a) => ListSelectOption::Other(a.into_static()),
        }
    }
}

impl ListReturnOption<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> ListReturnOption<'static> {
        match self {
            ListReturnOption::Subscribed => ListReturnOption::Subscribed,
            ListReturnOption::Children => ListReturnOption::Children,
            ListReturnOption::Status(s) => ListReturnOption::Status(s),
            ListReturnOption::SpecialUse => ListReturnOption::SpecialUse,
            ListReturnOption::Other(a) => ListReturnOption::Other(a.into_static()),
        }
    }
}

impl ListPatterns<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> ListPatterns<'static> {
        match self {
            ListPatterns::Single(p) => ListPatterns::Single(p.into_static()),
            ListPatterns::Multiple(p) => ListPatterns::Multiple(p.map(ListMailbox::into_static)),
        }
    }
}
