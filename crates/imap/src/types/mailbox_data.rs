//! Untagged mailbox data ([RFC 9051 §7.3]): LIST/LSUB (with LIST-EXTENDED,
//! [RFC 5258]), STATUS, SEARCH/SORT, ESEARCH ([RFC 4731]), THREAD ([RFC
//! 5256]), NAMESPACE ([RFC 2342]), QUOTA ([RFC 9208]), ACL ([RFC 4314]),
//! METADATA ([RFC 5464]) and ID ([RFC 2971]).
//!
//! [RFC 9051 §7.3]: https://www.rfc-editor.org/rfc/rfc9051#section-7.3
//! [RFC 5258]: https://www.rfc-editor.org/rfc/rfc5258
//! [RFC 4731]: https://www.rfc-editor.org/rfc/rfc4731
//! [RFC 5256]: https://www.rfc-editor.org/rfc/rfc5256
//! [RFC 2342]: https://www.rfc-editor.org/rfc/rfc2342
//! [RFC 9208]: https://www.rfc-editor.org/rfc/rfc9208
//! [RFC 4314]: https://www.rfc-editor.org/rfc/rfc4314
//! [RFC 5464]: https://www.rfc-editor.org/rfc/rfc5464
//! [RFC 2971]: https://www.rfc-editor.org/rfc/rfc2971
//!
//! ```
//! use mailwire_imap::{ParserConfig, Response, Untagged, parse_response};
//!
//! let r = parse_response(b"* LIST (\\Noselect) \"/\" ~/Mail/foo\r\n", &ParserConfig::default()).unwrap();
//! let Response::Untagged(Untagged::List(list)) = &r else { panic!() };
//! assert_eq!(list.delimiter.map(|d| d.as_char()), Some('/'));
//! assert!(list.attributes[0].is("Noselect"));
//! ```

use std::num::{NonZeroU32, NonZeroU64};

use crate::error::ValueError;
use crate::types::core::{AString, Atom, IString, NString};
use crate::types::extension::ExtensionValue;
use crate::types::mailbox::Mailbox;
use crate::types::metadata::MetadataValue;
use crate::types::quota::QuotaResource;
use crate::types::sequence::SequenceSet;
use crate::types::status::StatusItem;
use crate::types::vec1::Vec1;

/// A mailbox attribute in a LIST response ([RFC 9051 §7.3.1]).
///
/// ```abnf
/// mbx-list-flags = *(mbx-list-oflag SP) mbx-list-sflag *(SP mbx-list-oflag) /
///                  mbx-list-oflag *(SP mbx-list-oflag)
/// mbx-list-oflag = "\Noinferiors" / child-mbox-flag / "\Subscribed" /
///                  "\Remote" / flag-extension
/// ```
///
/// [RFC 9051 §7.3.1]: https://www.rfc-editor.org/rfc/rfc9051#section-7.3.1
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MailboxAttribute<'a> {
    /// `\` atom (`\HasChildren`, `\Sent`, ...), stored without `\`.
    System(Atom<'a>),
    /// A bare atom (some servers send keywords here).
    Keyword(Atom<'a>),
}

impl MailboxAttribute<'_> {
    /// Whether this is the system attribute `name` (without `\`),
    /// case-insensitively.
    pub fn is(&self, name: &str) -> bool {
        matches!(self, MailboxAttribute::System(a) if a.as_str().eq_ignore_ascii_case(name))
    }
}

/// A hierarchy delimiter: one character, not CR, LF or NUL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Delimiter(char);

impl Delimiter {
    /// The character.
    pub const fn as_char(self) -> char {
        self.0
    }
}

impl TryFrom<char> for Delimiter {
    type Error = ValueError;
    fn try_from(c: char) -> Result<Self, ValueError> {
        if matches!(c, '\0' | '\r' | '\n') {
            let mut buf = [0u8; 4];
            return Err(ValueError::at(
                "QUOTED-CHAR",
                c.encode_utf8(&mut buf).as_bytes(),
                0,
            ));
        }
        Ok(Delimiter(c))
    }
}

/// LIST or LSUB data.
///
/// ```abnf
/// mailbox-list = "(" [mbx-list-flags] ")" SP
///                (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
///                [SP mbox-list-extended]
/// mbox-list-extended = "(" [mbox-list-extended-item
///                      *(SP mbox-list-extended-item)] ")"
/// mbox-list-extended-item = mbox-list-extended-item-tag SP tagged-ext-val
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListData<'a> {
    /// The attributes.
    pub attributes: Vec<MailboxAttribute<'a>>,
    /// The hierarchy delimiter, `None` for a flat name space.
    pub delimiter: Option<Delimiter>,
    /// The mailbox name.
    pub mailbox: Mailbox<'a>,
    /// LIST-EXTENDED items (`CHILDINFO`, `OLDNAME`, ...).
    pub extended: Vec<(AString<'a>, ExtensionValue<'a>)>,
}

/// STATUS data ([RFC 9051 §7.3.2]).
///
/// ```abnf
/// mailbox-data =/ "STATUS" SP mailbox SP "(" [status-att-list] ")"
/// status-att-list = status-att-val *(SP status-att-val)
/// ```
///
/// [RFC 9051 §7.3.2]: https://www.rfc-editor.org/rfc/rfc9051#section-7.3.2
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusData<'a> {
    /// The mailbox.
    pub mailbox: Mailbox<'a>,
    /// The values.
    pub items: Vec<StatusValue<'a>>,
}

/// One STATUS value.
///
/// ```abnf
/// status-att-val = "MESSAGES" SP number / "UIDNEXT" SP nz-number /
///                  "UIDVALIDITY" SP nz-number / "UNSEEN" SP number /
///                  "DELETED" SP number / "SIZE" SP number64 /
///                  "RECENT" SP number / "HIGHESTMODSEQ" SP mod-sequence-valzer /
///                  "MAILBOXID" SP "(" objectid ")" /
///                  "APPENDLIMIT" SP (number / nil)
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusValue<'a> {
    /// A numeric item and its value.
    Number(StatusItem, u64),
    /// `MAILBOXID (id)` (RFC 8474).
    MailboxId(Atom<'a>),
    /// `APPENDLIMIT NIL` (RFC 7889): no limit.
    NoAppendLimit,
    /// Another numeric item (`DELETED-STORAGE` of RFC 9208, ...).
    Other(Atom<'a>, u64),
}

/// SEARCH or SORT data.
///
/// ```abnf
/// mailbox-data =/ "SEARCH" *(SP nz-number) [SP search-sort-mod-seq]
/// sort-data    = "SORT" *(SP nz-number) [SP search-sort-mod-seq]
/// search-sort-mod-seq = "(" "MODSEQ" SP mod-sequence-value ")"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchData {
    /// The message numbers or UIDs.
    pub numbers: Vec<NonZeroU32>,
    /// The highest mod-sequence of the matches (RFC 7162).
    pub modseq: Option<NonZeroU64>,
}

/// ESEARCH data ([RFC 4731 §3.1], [RFC 9051 §7.3.4]).
///
/// ```abnf
/// esearch-response  = "ESEARCH" [search-correlator] [SP "UID"]
///                     *(SP search-return-data)
/// search-correlator = SP "(" "TAG" SP tag-string ")"
/// ```
///
/// [RFC 4731 §3.1]: https://www.rfc-editor.org/rfc/rfc4731#section-3.1
/// [RFC 9051 §7.3.4]: https://www.rfc-editor.org/rfc/rfc9051#section-7.3.4
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ESearch<'a> {
    /// The tag of the command this answers.
    pub tag: Option<AString<'a>>,
    /// The numbers are UIDs.
    pub uid: bool,
    /// The return data.
    pub data: Vec<SearchReturnData<'a>>,
}

/// One ESEARCH return item.
///
/// ```abnf
/// search-return-data = "MIN" SP nz-number / "MAX" SP nz-number /
///                      "ALL" SP sequence-set / "COUNT" SP number /
///                      "MODSEQ" SP mod-sequence-value /
///                      search-modifier-name SP search-return-value
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchReturnData<'a> {
    /// `MIN n`.
    Min(NonZeroU32),
    /// `MAX n`.
    Max(NonZeroU32),
    /// `ALL set`.
    All(SequenceSet<'a>),
    /// `COUNT n`.
    Count(u32),
    /// `MODSEQ n` (RFC 7162).
    ModSeq(NonZeroU64),
    /// Another item (`PARTIAL`, `RELEVANCY`, ...).
    Other(Atom<'a>, ExtensionValue<'a>),
}

/// One thread ([RFC 5256 §4]).
///
/// ```abnf
/// thread-list    = "(" (thread-members / thread-nested) ")"
/// thread-members = nz-number *(SP nz-number) [SP thread-nested]
/// thread-nested  = 2*thread-list
/// ```
///
/// [RFC 5256 §4]: https://www.rfc-editor.org/rfc/rfc5256#section-4
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    members: Vec<NonZeroU32>,
    children: Vec<Thread>,
}

impl Thread {
    /// A thread: `members` in order, then `children` (none, or at least
    /// two); with no members there must be at least two children.
    pub fn new(members: Vec<NonZeroU32>, children: Vec<Thread>) -> Result<Self, ValueError> {
        if children.len() == 1 || (members.is_empty() && children.len() < 2) {
            return Err(ValueError {
                expected: "thread-nested",
                index: 0,
                found: mailwire_core::error::Found::EndOfInput,
            });
        }
        Ok(Self { members, children })
    }

    pub(crate) fn unchecked(members: Vec<NonZeroU32>, children: Vec<Thread>) -> Self {
        Self { members, children }
    }

    /// The messages in a chain.
    pub fn members(&self) -> &[NonZeroU32] {
        &self.members
    }

    /// The branches after the chain.
    pub fn children(&self) -> &[Thread] {
        &self.children
    }
}

/// NAMESPACE data ([RFC 2342 §5], [RFC 9051 §7.3.3]).
///
/// ```abnf
/// namespace-response = "NAMESPACE" SP namespace SP namespace SP namespace
/// namespace          = nil / "(" 1*namespace-descr ")"
/// ```
///
/// [RFC 2342 §5]: https://www.rfc-editor.org/rfc/rfc2342#section-5
/// [RFC 9051 §7.3.3]: https://www.rfc-editor.org/rfc/rfc9051#section-7.3.3
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Namespaces<'a> {
    /// Personal namespaces.
    pub personal: Vec<NamespaceDescription<'a>>,
    /// Other users' namespaces.
    pub other_users: Vec<NamespaceDescription<'a>>,
    /// Shared namespaces.
    pub shared: Vec<NamespaceDescription<'a>>,
}

/// One namespace.
///
/// ```abnf
/// namespace-descr = "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil)
///                   [namespace-response-extensions] ")"
/// namespace-response-extension = SP string SP "(" string *(SP string) ")"
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamespaceDescription<'a> {
    /// The prefix.
    pub prefix: IString<'a>,
    /// The hierarchy delimiter.
    pub delimiter: Option<Delimiter>,
    /// Extensions (`TRANSLATION`, ...).
    pub extensions: Vec<(IString<'a>, Vec1<IString<'a>>)>,
}

/// QUOTA data ([RFC 9208 §5.1]).
///
/// ```abnf
/// quota-response = "QUOTA" SP quota-root-name SP quota-list
/// quota-list     = "(" quota-resource *(SP quota-resource) ")"
/// quota-resource = resource-name SP resource-usage SP resource-limit
/// ```
///
/// [RFC 9208 §5.1]: https://www.rfc-editor.org/rfc/rfc9208#section-5.1
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaData<'a> {
    /// The quota root.
    pub root: AString<'a>,
    /// The resources (RFC 2087 servers may send none).
    pub resources: Vec<QuotaUsage<'a>>,
}

/// Usage and limit of one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaUsage<'a> {
    /// The resource.
    pub resource: QuotaResource<'a>,
    /// Current usage.
    pub usage: u64,
    /// The limit.
    pub limit: u64,
}

/// QUOTAROOT data ([RFC 9208 §5.2]).
///
/// ```abnf
/// quotaroot-response = "QUOTAROOT" SP mailbox *(SP quota-root-name)
/// ```
///
/// [RFC 9208 §5.2]: https://www.rfc-editor.org/rfc/rfc9208#section-5.2
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaRootData<'a> {
    /// The mailbox.
    pub mailbox: Mailbox<'a>,
    /// Its quota roots.
    pub roots: Vec<AString<'a>>,
}

/// ACL data ([RFC 4314 §3.6]).
///
/// ```abnf
/// acl-data = "ACL" SP mailbox *(SP identifier SP rights)
/// ```
///
/// [RFC 4314 §3.6]: https://www.rfc-editor.org/rfc/rfc4314#section-3.6
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclData<'a> {
    /// The mailbox.
    pub mailbox: Mailbox<'a>,
    /// Identifier and rights pairs.
    pub entries: Vec<(AString<'a>, AString<'a>)>,
}

/// LISTRIGHTS data ([RFC 4314 §3.7]).
///
/// ```abnf
/// listrights-data = "LISTRIGHTS" SP mailbox SP identifier SP rights *(SP rights)
/// ```
///
/// [RFC 4314 §3.7]: https://www.rfc-editor.org/rfc/rfc4314#section-3.7
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRights<'a> {
    /// The mailbox.
    pub mailbox: Mailbox<'a>,
    /// The identifier.
    pub identifier: AString<'a>,
    /// The rights always granted.
    pub required: AString<'a>,
    /// Groups of rights that may be granted.
    pub optional: Vec<AString<'a>>,
}

/// MYRIGHTS data ([RFC 4314 §3.8]).
///
/// ```abnf
/// myrights-data = "MYRIGHTS" SP mailbox SP rights
/// ```
///
/// [RFC 4314 §3.8]: https://www.rfc-editor.org/rfc/rfc4314#section-3.8
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyRights<'a> {
    /// The mailbox.
    pub mailbox: Mailbox<'a>,
    /// The rights.
    pub rights: AString<'a>,
}

/// METADATA data ([RFC 5464 §4.4]).
///
/// ```abnf
/// metadata-resp = "METADATA" SP mailbox SP (entry-values / entry-list)
/// entry-values  = "(" entry-value *(SP entry-value) ")"
/// entry-list    = entry *(SP entry)
/// ```
///
/// [RFC 5464 §4.4]: https://www.rfc-editor.org/rfc/rfc5464#section-4.4
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataData<'a> {
    /// The mailbox (`""` for server annotations).
    pub mailbox: Mailbox<'a>,
    /// The entries.
    pub entries: MetadataEntries<'a>,
}

/// The two forms of METADATA data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataEntries<'a> {
    /// Entries with values (an answer to GETMETADATA).
    Values(Vec1<(AString<'a>, MetadataValue<'a>)>),
    /// Changed entries without values (unsolicited).
    List(Vec1<AString<'a>>),
}

/// ID data ([RFC 2971 §3.2]): field/value pairs or `NIL`.
///
/// ```abnf
/// id-response    = "ID" SP id-params-list
/// id-params-list = "(" *(string SP nstring) ")" / nil
/// ```
///
/// [RFC 2971 §3.2]: https://www.rfc-editor.org/rfc/rfc2971#section-3.2
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdParameters<'a>(pub Option<Vec<(IString<'a>, NString<'a>)>>);
