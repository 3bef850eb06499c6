//! SEARCH keys ([RFC 9051 §6.4.4]) with CONDSTORE `MODSEQ` ([RFC 7162
//! §3.1.5]), WITHIN `OLDER`/`YOUNGER` ([RFC 5032]), OBJECTID `EMAILID` /
//! `THREADID` ([RFC 8474 §6]), and the ESEARCH return options ([RFC 4731],
//! SEARCHRES `SAVE` [RFC 5182]).
//!
//! [RFC 9051 §6.4.4]: https://www.rfc-editor.org/rfc/rfc9051#section-6.4.4
//! [RFC 7162 §3.1.5]: https://www.rfc-editor.org/rfc/rfc7162#section-3.1.5
//! [RFC 5032]: https://www.rfc-editor.org/rfc/rfc5032
//! [RFC 8474 §6]: https://www.rfc-editor.org/rfc/rfc8474#section-6
//! [RFC 4731]: https://www.rfc-editor.org/rfc/rfc4731
//! [RFC 5182]: https://www.rfc-editor.org/rfc/rfc5182
//!
//! ```
//! use mailwire_imap::{CommandBody, ParserConfig, SearchKey, parse_command};
//!
//! let c = parse_command(b"a SEARCH OR SEEN (FROM joe LARGER 100)\r\n", &ParserConfig::default()).unwrap();
//! let CommandBody::Search { criteria, .. } = &c.body else { unreachable!() };
//! assert!(matches!(criteria.first(), SearchKey::Or(a, _) if **a == SearchKey::Seen));
//! ```

use std::num::NonZeroU32;

use crate::types::core::{AString, Atom};
use crate::types::datetime::Date;
use crate::types::extension::Extension;
use crate::types::sequence::SequenceSet;
use crate::types::vec1::Vec1;

/// Which metadata item of a flag `MODSEQ` looks at ([RFC 7162 §3.1.5]).
///
/// ```abnf
/// entry-type-req  = entry-type-resp / "all"
/// entry-type-resp = "priv" / "shared"
/// ```
///
/// [RFC 7162 §3.1.5]: https://www.rfc-editor.org/rfc/rfc7162#section-3.1.5
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryType {
    /// `priv`.
    Private,
    /// `shared`.
    Shared,
    /// `all`.
    All,
}

/// One search key.
///
/// ```abnf
/// search-key = "ALL" / "ANSWERED" / "BCC" SP astring /
///              "BEFORE" SP date / "BODY" SP astring /
///              "CC" SP astring / "DELETED" / "FLAGGED" /
///              "FROM" SP astring / "KEYWORD" SP flag-keyword /
///              "ON" SP date / "SEEN" /
///              "SINCE" SP date / "SUBJECT" SP astring /
///              "TEXT" SP astring / "TO" SP astring /
///              "UNANSWERED" / "UNDELETED" / "UNFLAGGED" /
///              "UNKEYWORD" SP flag-keyword / "UNSEEN" /
///              "DRAFT" / "HEADER" SP header-fld-name SP astring /
///              "LARGER" SP number64 / "NOT" SP search-key /
///              "OR" SP search-key SP search-key /
///              "SENTBEFORE" SP date / "SENTON" SP date /
///              "SENTSINCE" SP date / "SMALLER" SP number64 /
///              "UID" SP sequence-set / "UNDRAFT" / sequence-set /
///              "(" search-key *(SP search-key) ")"
///              ; IMAP4rev1: "NEW" / "OLD" / "RECENT"
/// search-key =/ "MODSEQ" [SP entry-name SP entry-type-req] SP mod-sequence-valzer
/// search-key =/ "OLDER" SP nz-number / "YOUNGER" SP nz-number
/// search-key =/ "EMAILID" SP objectid / "THREADID" SP objectid
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SearchKey<'a> {
    /// `ALL`.
    All,
    /// `ANSWERED`.
    Answered,
    /// `BCC s`.
    Bcc(AString<'a>),
    /// `BEFORE d`.
    Before(Date),
    /// `BODY s`.
    Body(AString<'a>),
    /// `CC s`.
    Cc(AString<'a>),
    /// `DELETED`.
    Deleted,
    /// `DRAFT`.
    Draft,
    /// `FLAGGED`.
    Flagged,
    /// `FROM s`.
    From(AString<'a>),
    /// `HEADER name s`.
    Header(AString<'a>, AString<'a>),
    /// `KEYWORD k`.
    Keyword(Atom<'a>),
    /// `LARGER n`.
    Larger(u64),
    /// `NEW` (IMAP4rev1).
    New,
    /// `NOT key`.
    Not(Box<SearchKey<'a>>),
    /// `OLD` (IMAP4rev1).
    Old,
    /// `ON d`.
    On(Date),
    /// `OR a b`.
    Or(Box<SearchKey<'a>>, Box<SearchKey<'a>>),
    /// `RECENT` (IMAP4rev1).
    Recent,
    /// `SEEN`.
    Seen,
    /// `SENTBEFORE d`.
    SentBefore(Date),
    /// `SENTON d`.
    SentOn(Date),
    /// `SENTSINCE d`.
    SentSince(Date),
    /// `SINCE d`.
    Since(Date),
    /// `SMALLER n`.
    Smaller(u64),
    /// `SUBJECT s`.
    Subject(AString<'a>),
    /// `TEXT s`.
    Text(AString<'a>),
    /// `TO s`.
    To(AString<'a>),
    /// `UID set`.
    Uid(SequenceSet<'a>),
    /// `UNANSWERED`.
    Unanswered,
    /// `UNDELETED`.
    Undeleted,
    /// `UNDRAFT`.
    Undraft,
    /// `UNFLAGGED`.
    Unflagged,
    /// `UNKEYWORD k`.
    Unkeyword(Atom<'a>),
    /// `UNSEEN`.
    Unseen,
    /// A bare sequence set.
    SequenceSet(SequenceSet<'a>),
    /// `(key key ...)`.
    And(Vec1<SearchKey<'a>>),
    /// `MODSEQ ["/flags/<flag>" type] n` (CONDSTORE).
    ModSeq {
        /// The entry name (`/flags/\\Seen`, quoted) and type, if given.
        entry: Option<(AString<'a>, EntryType)>,
        /// The mod-sequence (0 allowed).
        mod_sequence: u64,
    },
    /// `OLDER n` seconds (WITHIN).
    Older(NonZeroU32),
    /// `YOUNGER n` seconds (WITHIN).
    Younger(NonZeroU32),
    /// `EMAILID id` (OBJECTID).
    EmailId(Atom<'a>),
    /// `THREADID id` (OBJECTID).
    ThreadId(Atom<'a>),
}

impl SearchKey<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> SearchKey<'static> {
        use SearchKey as K;
        match self {
            K::All => K::All,
            K::Answered => K::Answered,
            K::Bcc(s) => K::Bcc(s.into_static()),
            K::Before(d) => K::Before(d),
            K::Body(s) => K::Body(s.into_static()),
            K::Cc(s) => K::Cc(s.into_static()),
            K::Deleted => K::Deleted,
            K::Draft => K::Draft,
            K::Flagged => K::Flagged,
            K::From(s) => K::From(s.into_static()),
            K::Header(n, s) => K::Header(n.into_static(), s.into_static()),
            K::Keyword(k) => K::Keyword(k.into_static()),
            K::Larger(n) => K::Larger(n),
            K::New => K::New,
            K::Not(k) => K::Not(Box::new(k.into_static())),
            K::Old => K::Old,
            K::On(d) => K::On(d),
            K::Or(a, b) => K::Or(Box::new(a.into_static()), Box::new(b.into_static())),
            K::Recent => K::Recent,
            K::Seen => K::Seen,
            K::SentBefore(d) => K::SentBefore(d),
            K::SentOn(d) => K::SentOn(d),
            K::SentSince(d) => K::SentSince(d),
            K::Since(d) => K::Since(d),
            K::Smaller(n) => K::Smaller(n),
            K::Subject(s) => K::Subject(s.into_static()),
            K::Text(s) => K::Text(s.into_static()),
            K::To(s) => K::To(s.into_static()),
            K::Uid(s) => K::Uid(s.into_static()),
            K::Unanswered => K::Unanswered,
            K::Undeleted => K::Undeleted,
            K::Undraft => K::Undraft,
            K::Unflagged => K::Unflagged,
            K::Unkeyword(k) => K::Unkeyword(k.into_static()),
            K::Unseen => K::Unseen,
            K::SequenceSet(s) => K::SequenceSet(s.into_static()),
            K::And(keys) => K::And(keys.map(SearchKey::into_static)),
            K::ModSeq {
                entry,
                mod_sequence,
            } => K::ModSeq {
                entry: entry.map(|(e, t)| (e.into_static(), t)),
                mod_sequence,
            },
            K::Older(n) => K::Older(n),
            K::Younger(n) => K::Younger(n),
            K::EmailId(a) => K::EmailId(a.into_static()),
            K::ThreadId(a) => K::ThreadId(a.into_static()),
        }
    }
}

/// An ESEARCH return option ([RFC 4731 §3.1], [RFC 5182 §2]).
///
/// ```abnf
/// search-return-opt = "MIN" / "MAX" / "ALL" / "COUNT" / "SAVE"
/// ```
///
/// [RFC 4731 §3.1]: https://www.rfc-editor.org/rfc/rfc4731#section-3.1
/// [RFC 5182 §2]: https://www.rfc-editor.org/rfc/rfc5182#section-2
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SearchReturnOption<'a> {
    /// `MIN`.
    Min,
    /// `MAX`.
    Max,
    /// `ALL`.
    All,
    /// `COUNT`.
    Count,
    /// `SAVE` (SEARCHRES).
    Save,
    /// Another option, with its parameters (`search-ret-opt-ext`).
    Other(Extension<'a>),
}

impl SearchReturnOption<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> SearchReturnOption<'static> {
        match self {
            SearchReturnOption::Min => SearchReturnOption::Min,
            SearchReturnOption::Max => SearchReturnOption::Max,
            SearchReturnOption::All => SearchReturnOption::All,
            SearchReturnOption::Count => SearchReturnOption::Count,
            SearchReturnOption::Save => SearchReturnOption::Save,
            SearchReturnOption::Other(a) => SearchReturnOption::Other(a.into_static()),
        }
    }
}
