//! FETCH data item names ([RFC 9051 §6.4.5]) with BINARY ([RFC 3516]),
//! CONDSTORE `MODSEQ` ([RFC 7162]) and OBJECTID ([RFC 8474]).
//!
//! [RFC 9051 §6.4.5]: https://www.rfc-editor.org/rfc/rfc9051#section-6.4.5
//! [RFC 3516]: https://www.rfc-editor.org/rfc/rfc3516
//! [RFC 7162]: https://www.rfc-editor.org/rfc/rfc7162
//! [RFC 8474]: https://www.rfc-editor.org/rfc/rfc8474
//!
//! ```
//! use mailwire_imap::{CommandBody, FetchAttribute, FetchItems, ParserConfig, parse_command};
//!
//! let c = parse_command(b"a1 FETCH 1:3 (FLAGS BODY.PEEK[HEADER]<0.512>)\r\n", &ParserConfig::default()).unwrap();
//! let CommandBody::Fetch { items, .. } = &c.body else { unreachable!() };
//! assert!(matches!(&items.expand()[1], FetchAttribute::BodySection { peek: true, .. }));
//! assert_eq!(FetchItems::Fast.expand().len(), 3);
//! ```

use crate::types::core::Atom;
use crate::types::section::{Part, Partial, Section};
use crate::types::vec1::Vec1;

/// What a FETCH asks for.
///
/// ```abnf
/// fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" /
///         fetch-att / "(" fetch-att *(SP fetch-att) ")")
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FetchItems<'a> {
    /// `ALL`: `(FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)`.
    All,
    /// `FAST`: `(FLAGS INTERNALDATE RFC822.SIZE)`.
    Fast,
    /// `FULL`: `(FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY)`.
    Full,
    /// One item without parentheses.
    Single(FetchAttribute<'a>),
    /// A parenthesised list.
    List(Vec1<FetchAttribute<'a>>),
}

impl<'a> FetchItems<'a> {
    /// The items, with the macros expanded.
    pub fn expand(&self) -> Vec<FetchAttribute<'a>> {
        use FetchAttribute as A;
        match self {
            FetchItems::All => vec![A::Flags, A::InternalDate, A::Rfc822Size, A::Envelope],
            FetchItems::Fast => vec![A::Flags, A::InternalDate, A::Rfc822Size],
            FetchItems::Full => vec![
                A::Flags,
                A::InternalDate,
                A::Rfc822Size,
                A::Envelope,
                A::Body,
            ],
            FetchItems::Single(a) => vec![a.clone()],
            FetchItems::List(list) => list.as_slice().to_vec(),
        }
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> FetchItems<'static> {
        match self {
            FetchItems::All => FetchItems::All,
            FetchItems::Fast => FetchItems::Fast,
            FetchItems::Full => FetchItems::Full,
            FetchItems::Single(a) => FetchItems::Single(a.into_static()),
            FetchItems::List(l) => FetchItems::List(l.map(FetchAttribute::into_static)),
        }
    }
}

/// One FETCH data item name.
///
/// ```abnf
/// fetch-att = "ENVELOPE" / "FLAGS" / "INTERNALDATE" /
///             "RFC822.SIZE" /
///             "BODY" ["STRUCTURE"] / "UID" /
///             "BODY" section [partial] /
///             "BODY.PEEK" section [partial] /
///             "BINARY" [".PEEK"] section-binary [partial] /
///             "BINARY.SIZE" section-binary
///             ; IMAP4rev1: "RFC822" / "RFC822.HEADER" / "RFC822.TEXT"
/// fetch-att =/ "MODSEQ"                  ; RFC 7162
/// fetch-att =/ "EMAILID" / "THREADID"    ; RFC 8474
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FetchAttribute<'a> {
    /// `ENVELOPE`.
    Envelope,
    /// `FLAGS`.
    Flags,
    /// `INTERNALDATE`.
    InternalDate,
    /// `RFC822.SIZE`.
    Rfc822Size,
    /// `BODY` (structure without extension data).
    Body,
    /// `BODYSTRUCTURE`.
    BodyStructure,
    /// `UID`.
    Uid,
    /// `BODY[section]<partial>` or `BODY.PEEK[...]`.
    BodySection {
        /// `.PEEK`: do not set `\Seen`.
        peek: bool,
        /// The section; `None` for `[]`.
        section: Option<Section<'a>>,
        /// `<offset.length>`.
        partial: Option<Partial>,
    },
    /// `BINARY[part]<partial>` or `BINARY.PEEK[...]`.
    Binary {
        /// `.PEEK`.
        peek: bool,
        /// The part; `None` for `[]`.
        part: Option<Part>,
        /// `<offset.length>`.
        partial: Option<Partial>,
    },
    /// `BINARY.SIZE[part]`.
    BinarySize {
        /// The part; `None` for `[]`.
        part: Option<Part>,
    },
    /// `RFC822` (IMAP4rev1).
    Rfc822,
    /// `RFC822.HEADER` (IMAP4rev1).
    Rfc822Header,
    /// `RFC822.TEXT` (IMAP4rev1).
    Rfc822Text,
    /// `MODSEQ` (CONDSTORE).
    ModSeq,
    /// `EMAILID` (OBJECTID).
    EmailId,
    /// `THREADID` (OBJECTID).
    ThreadId,
    /// `SAVEDATE` ([RFC 8514](https://www.rfc-editor.org/rfc/rfc8514)).
    SaveDate,
    /// An item name this crate does not know, kept in lenient mode.
    Other(Atom<'a>),
}

impl FetchAttribute<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> FetchAttribute<'static> {
        use FetchAttribute as A;
        match self {
            A::Envelope => A::Envelope,
            A::Flags => A::Flags,
            A::InternalDate => A::InternalDate,
            A::Rfc822Size => A::Rfc822Size,
            A::Body => A::Body,
            A::BodyStructure => A::BodyStructure,
            A::Uid => A::Uid,
            A::BodySection {
                peek,
                section,
                partial,
            } => A::BodySection {
                peek,
                section: section.map(Section::into_static),
                partial,
            },
            A::Binary {
                peek,
                part,
                partial,
            } => A::Binary {
                peek,
                part,
                partial,
            },
            A::BinarySize { part } => A::BinarySize { part },
            A::Rfc822 => A::Rfc822,
            A::Rfc822Header => A::Rfc822Header,
            A::Rfc822Text => A::Rfc822Text,
            A::ModSeq => A::ModSeq,
            A::EmailId => A::EmailId,
            A::ThreadId => A::ThreadId,
            A::SaveDate => A::SaveDate,
            A::Other(a) => A::Other(a.into_static()),
        }
    }
}
