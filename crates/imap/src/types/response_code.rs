//! Response codes ([RFC 9051 §7.1]) and those of the extensions: UIDPLUS
//! ([RFC 4315 §3]), CONDSTORE/QRESYNC ([RFC 7162 §3.1.2]), METADATA ([RFC
//! 5464 §4.5]), OBJECTID ([RFC 8474 §4.1]), COMPRESS ([RFC 4978 §4]).
//! Unknown codes and the atom-only codes of [RFC 5530] are kept as
//! [`Code::Other`].
//!
//! [RFC 9051 §7.1]: https://www.rfc-editor.org/rfc/rfc9051#section-7.1
//! [RFC 4315 §3]: https://www.rfc-editor.org/rfc/rfc4315#section-3
//! [RFC 7162 §3.1.2]: https://www.rfc-editor.org/rfc/rfc7162#section-3.1.2
//! [RFC 5464 §4.5]: https://www.rfc-editor.org/rfc/rfc5464#section-4.5
//! [RFC 8474 §4.1]: https://www.rfc-editor.org/rfc/rfc8474#section-4.1
//! [RFC 4978 §4]: https://www.rfc-editor.org/rfc/rfc4978#section-4
//! [RFC 5530]: https://www.rfc-editor.org/rfc/rfc5530
//!
//! ```
//! use mailwire_imap::{Code, ParserConfig, Response, Untagged, parse_response};
//!
//! let r = parse_response(b"* OK [UIDVALIDITY 3857529045] UIDs valid\r\n", &ParserConfig::default()).unwrap();
//! let Response::Untagged(Untagged::Condition { text, .. }) = r else { panic!() };
//! assert!(matches!(text.code, Some(Code::UidValidity(n)) if n.get() == 3857529045));
//! ```

use std::num::{NonZeroU32, NonZeroU64};

use crate::types::capability::Capability;
use crate::types::core::{AString, Atom, Text};
use crate::types::flag::FlagPerm;
use crate::types::sequence::SequenceSet;
use crate::types::vec1::Vec1;

/// A response code.
///
/// ```abnf
/// resp-text-code = "ALERT" / "BADCHARSET" [SP "(" charset *(SP charset) ")" ] /
///                  capability-data / "PARSE" /
///                  "PERMANENTFLAGS" SP "(" [flag-perm *(SP flag-perm)] ")" /
///                  "READ-ONLY" / "READ-WRITE" / "TRYCREATE" /
///                  "UIDNEXT" SP nz-number / "UIDVALIDITY" SP nz-number /
///                  "UNSEEN" SP nz-number / "CLOSED" / "UIDNOTSTICKY" /
///                  "APPENDUID" SP nz-number SP append-uid /
///                  "COPYUID" SP nz-number SP uid-set SP uid-set /
///                  "HIGHESTMODSEQ" SP mod-sequence-value / "NOMODSEQ" /
///                  "MODIFIED" SP sequence-set / "NOTSAVED" /
///                  "MAILBOXID" SP "(" objectid ")" /
///                  "METADATA" SP ("LONGENTRIES" SP number /
///                  "MAXSIZE" SP number / "TOOMANY" / "NOPRIVATE") /
///                  "COMPRESSIONACTIVE" /
///                  atom [SP 1*<any TEXT-CHAR except "]">]
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Code<'a> {
    /// `ALERT`.
    Alert,
    /// `BADCHARSET`, with the supported charsets.
    BadCharset(Vec<AString<'a>>),
    /// `CAPABILITY ...`.
    Capability(Vec1<Capability<'a>>),
    /// `PARSE`.
    Parse,
    /// `PERMANENTFLAGS (...)`.
    PermanentFlags(Vec<FlagPerm<'a>>),
    /// `READ-ONLY`.
    ReadOnly,
    /// `READ-WRITE`.
    ReadWrite,
    /// `TRYCREATE`.
    TryCreate,
    /// `UIDNEXT n`.
    UidNext(NonZeroU32),
    /// `UIDVALIDITY n`.
    UidValidity(NonZeroU32),
    /// `UNSEEN n` (IMAP4rev1).
    Unseen(NonZeroU32),
    /// `CLOSED` ([RFC 7162 §3.2.11](https://www.rfc-editor.org/rfc/rfc7162#section-3.2.11)).
    Closed,
    /// `UIDNOTSTICKY` (RFC 4315).
    UidNotSticky,
    /// `APPENDUID uidvalidity uids` (RFC 4315).
    AppendUid {
        /// The UIDVALIDITY of the mailbox.
        uid_validity: NonZeroU32,
        /// The UIDs of the appended messages.
        uids: SequenceSet<'a>,
    },
    /// `COPYUID uidvalidity source destination` (RFC 4315).
    CopyUid {
        /// The UIDVALIDITY of the destination mailbox.
        uid_validity: NonZeroU32,
        /// The source UIDs.
        source: SequenceSet<'a>,
        /// The destination UIDs, in the same order.
        destination: SequenceSet<'a>,
    },
    /// `HIGHESTMODSEQ n` (RFC 7162).
    HighestModSeq(NonZeroU64),
    /// `NOMODSEQ` (RFC 7162).
    NoModSeq,
    /// `MODIFIED set` (RFC 7162).
    Modified(SequenceSet<'a>),
    /// `NOTSAVED` (SEARCHRES, RFC 5182).
    NotSaved,
    /// `MAILBOXID (id)` (RFC 8474).
    MailboxId(Atom<'a>),
    /// `METADATA ...` (RFC 5464).
    Metadata(MetadataCode),
    /// `COMPRESSIONACTIVE` (RFC 4978).
    CompressionActive,
    /// Any other code: an atom and optional text without `]`
    /// (`UNAVAILABLE`, `OVERQUOTA`, `ALREADYEXISTS`, ... of RFC 5530).
    Other {
        /// The code name.
        name: Atom<'a>,
        /// The text after it.
        text: Option<Text<'a>>,
    },
}

/// A METADATA response code ([RFC 5464 §4.5]).
///
/// [RFC 5464 §4.5]: https://www.rfc-editor.org/rfc/rfc5464#section-4.5
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetadataCode {
    /// `LONGENTRIES n`.
    LongEntries(u32),
    /// `MAXSIZE n`.
    MaxSize(u32),
    /// `TOOMANY`.
    TooMany,
    /// `NOPRIVATE`.
    NoPrivate,
}
