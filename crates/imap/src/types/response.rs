//! Server responses ([RFC 9051 §7]): greetings, continuation requests,
//! tagged status responses and untagged data.
//!
//! [RFC 9051 §7]: https://www.rfc-editor.org/rfc/rfc9051#section-7
//!
//! ```
//! use mailwire_imap::{Condition, ParserConfig, Response, parse_response};
//!
//! let response = parse_response(b"a1 OK [READ-WRITE] SELECT completed\r\n", &ParserConfig::default()).unwrap();
//! let Response::Tagged(tagged) = &response else { panic!() };
//! assert_eq!(tagged.tag.as_str(), "a1");
//! assert_eq!(tagged.condition, Condition::Ok);
//! assert_eq!(tagged.text.text.as_ref().unwrap().as_str(), "SELECT completed");
//! assert_eq!(response.encode().to_vec(), b"a1 OK [READ-WRITE] SELECT completed\r\n");
//! ```

use std::borrow::Cow;
use std::num::NonZeroU32;

use crate::encode::{EncodeConfig, Encoded};
pub use crate::types::auth::Base64;
use crate::types::capability::Capability;
use crate::types::core::{Tag, Text};
use crate::types::fetch_response::MessageAttribute;
use crate::types::flag::Flag;
use crate::types::mailbox_data::{
    AclData, ESearch, IdParameters, ListData, ListRights, MetadataData, MyRights, Namespaces,
    QuotaData, QuotaRootData, SearchData, StatusData, Thread,
};
use crate::types::response_code::Code;
use crate::types::sequence::SequenceSet;
use crate::types::vec1::Vec1;

/// The condition of a status response ([RFC 9051 §7.1]).
///
/// ```abnf
/// resp-cond-state = ("OK" / "NO" / "BAD") SP resp-text
/// ```
///
/// [RFC 9051 §7.1]: https://www.rfc-editor.org/rfc/rfc9051#section-7.1
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Condition {
    /// `OK`: success.
    Ok,
    /// `NO`: operational failure.
    No,
    /// `BAD`: protocol error.
    Bad,
}

impl Condition {
    /// The keyword.
    pub const fn name(self) -> &'static str {
        match self {
            Condition::Ok => "OK",
            Condition::No => "NO",
            Condition::Bad => "BAD",
        }
    }
}

/// Human-readable text with an optional response code ([RFC 9051 §7.1]).
///
/// ```abnf
/// resp-text = ["[" resp-text-code "]" SP] [text]
/// ```
///
/// [RFC 9051 §7.1]: https://www.rfc-editor.org/rfc/rfc9051#section-7.1
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RespText<'a> {
    /// The response code between brackets.
    pub code: Option<Code<'a>>,
    /// The text (IMAP4rev2 allows none).
    pub text: Option<Text<'a>>,
}

impl<'a> RespText<'a> {
    /// Text without a code.
    pub fn new(text: Text<'a>) -> Self {
        Self {
            code: None,
            text: Some(text),
        }
    }

    /// Text with a code.
    pub fn with_code(code: Code<'a>, text: Option<Text<'a>>) -> Self {
        Self {
            code: Some(code),
            text,
        }
    }
}

/// The kind of a greeting ([RFC 9051 §7.1]).
///
/// [RFC 9051 §7.1]: https://www.rfc-editor.org/rfc/rfc9051#section-7.1
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GreetingKind {
    /// `OK`: not authenticated yet.
    Ok,
    /// `PREAUTH`: already authenticated.
    PreAuth,
    /// `BYE`: the server refuses the connection.
    Bye,
}

/// The server greeting ([RFC 9051 §7.1]).
///
/// ```abnf
/// greeting       = "*" SP (resp-cond-auth / resp-cond-bye) CRLF
/// resp-cond-auth = ("OK" / "PREAUTH") SP resp-text
/// ```
///
/// [RFC 9051 §7.1]: https://www.rfc-editor.org/rfc/rfc9051#section-7.1
///
/// ```
/// use mailwire_imap::{GreetingKind, ParserConfig, parse_greeting};
/// let g = parse_greeting(b"* OK IMAP4rev2 Service Ready\r\n", &ParserConfig::default()).unwrap();
/// assert_eq!(g.kind, GreetingKind::Ok);
/// assert_eq!(g.encode().to_vec(), b"* OK IMAP4rev2 Service Ready\r\n");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Greeting<'a> {
    /// OK, PREAUTH or BYE.
    pub kind: GreetingKind,
    /// The text and code.
    pub text: RespText<'a>,
}

impl Greeting<'_> {
    /// The wire form.
    pub fn encode(&self) -> Encoded<'_> {
        self.encode_with(EncodeConfig::default())
    }

    /// The wire form, with UTF-8 allowed in quoted strings or not.
    pub fn encode_with(&self, config: EncodeConfig) -> Encoded<'_> {
        crate::encode::response::encode_greeting(self, config)
    }
}

/// A continuation request ([RFC 9051 §7.5]).
///
/// ```abnf
/// continue-req = "+" SP (resp-text / base64) CRLF
/// ```
///
/// The text form is chosen when the line is not a valid, non-empty base64
/// word (a length that is a multiple of 4).
///
/// [RFC 9051 §7.5]: https://www.rfc-editor.org/rfc/rfc9051#section-7.5
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Continue<'a> {
    /// Human-readable text (`+ Ready for literal`).
    Text(RespText<'a>),
    /// A SASL challenge, still base64-encoded (possibly empty).
    Base64(Base64<'a>),
}

/// A tagged status response ([RFC 9051 §7.1]).
///
/// ```abnf
/// response-tagged = tag SP resp-cond-state CRLF
/// ```
///
/// [RFC 9051 §7.1]: https://www.rfc-editor.org/rfc/rfc9051#section-7.1
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tagged<'a> {
    /// The tag of the command this completes.
    pub tag: Tag<'a>,
    /// OK, NO or BAD.
    pub condition: Condition,
    /// The text and code.
    pub text: RespText<'a>,
}

/// One server response ([RFC 9051 §7]).
///
/// ```abnf
/// response      = *(continue-req / response-data) response-done
/// response-data = "*" SP (resp-cond-state / resp-cond-bye /
///                 mailbox-data / message-data / capability-data /
///                 enable-data) CRLF
/// ```
///
/// [RFC 9051 §7]: https://www.rfc-editor.org/rfc/rfc9051#section-7
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Response<'a> {
    /// `+ ...`.
    Continue(Continue<'a>),
    /// `tag OK/NO/BAD ...`.
    Tagged(Tagged<'a>),
    /// `* ...`.
    Untagged(Untagged<'a>),
}

impl Response<'_> {
    /// The wire form.
    pub fn encode(&self) -> Encoded<'_> {
        self.encode_with(EncodeConfig::default())
    }

    /// The wire form, with UTF-8 allowed in quoted strings or not.
    pub fn encode_with(&self, config: EncodeConfig) -> Encoded<'_> {
        crate::encode::response::encode_response(self, config)
    }

    /// The tag of a tagged response.
    pub fn tag(&self) -> Option<&Tag<'_>> {
        match self {
            Response::Tagged(t) => Some(&t.tag),
            _ => None,
        }
    }

    /// A short name of the response kind, such as `"FETCH"` or `"tagged"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Response::Continue(_) => "continue",
            Response::Tagged(_) => "tagged",
            Response::Untagged(u) => u.kind(),
        }
    }
}

/// Untagged data ([RFC 9051 §7.2]–§7.4 and the extensions).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Untagged<'a> {
    /// `* OK/NO/BAD resp-text` ([RFC 9051 §7.1](https://www.rfc-editor.org/rfc/rfc9051#section-7.1)).
    Condition {
        /// OK, NO or BAD.
        condition: Condition,
        /// The text and code.
        text: RespText<'a>,
    },
    /// `* BYE resp-text`.
    Bye(RespText<'a>),
    /// `* PREAUTH resp-text` (only in a greeting, but kept when seen).
    PreAuth(RespText<'a>),
    /// `* CAPABILITY ...` ([RFC 9051 §7.2.2](https://www.rfc-editor.org/rfc/rfc9051#section-7.2.2)).
    Capability(Vec1<Capability<'a>>),
    /// `* ENABLED ...` ([RFC 5161 §3.2](https://www.rfc-editor.org/rfc/rfc5161#section-3.2)).
    Enabled(Vec<Capability<'a>>),
    /// `* FLAGS (...)` ([RFC 9051 §7.3.5](https://www.rfc-editor.org/rfc/rfc9051#section-7.3.5)).
    Flags(Vec<Flag<'a>>),
    /// `* LIST ...` ([RFC 9051 §7.3.1](https://www.rfc-editor.org/rfc/rfc9051#section-7.3.1), RFC 5258).
    List(ListData<'a>),
    /// `* LSUB ...` (IMAP4rev1).
    Lsub(ListData<'a>),
    /// `* STATUS ...` ([RFC 9051 §7.3.2](https://www.rfc-editor.org/rfc/rfc9051#section-7.3.2)).
    Status(StatusData<'a>),
    /// `* SEARCH ...` (IMAP4rev1 §7.2.5, RFC 7162 MODSEQ).
    Search(SearchData),
    /// `* SORT ...` ([RFC 5256 §4](https://www.rfc-editor.org/rfc/rfc5256#section-4)).
    Sort(SearchData),
    /// `* ESEARCH ...` ([RFC 4731](https://www.rfc-editor.org/rfc/rfc4731), RFC 9051 §7.3.4).
    ESearch(ESearch<'a>),
    /// `* THREAD ...` ([RFC 5256 §4](https://www.rfc-editor.org/rfc/rfc5256#section-4)).
    Thread(Vec<Thread>),
    /// `* n EXISTS` ([RFC 9051 §7.4.1](https://www.rfc-editor.org/rfc/rfc9051#section-7.4.1)).
    Exists(u32),
    /// `* n RECENT` (IMAP4rev1 §7.3.2).
    Recent(u32),
    /// `* n EXPUNGE` ([RFC 9051 §7.5.1](https://www.rfc-editor.org/rfc/rfc9051#section-7.5.1)).
    Expunge(NonZeroU32),
    /// `* n FETCH (...)` ([RFC 9051 §7.5.2](https://www.rfc-editor.org/rfc/rfc9051#section-7.5.2)).
    Fetch {
        /// The message sequence number.
        seq: NonZeroU32,
        /// The data items.
        items: Vec1<MessageAttribute<'a>>,
    },
    /// `* VANISHED [(EARLIER)] uids` ([RFC 7162 §3.2.10](https://www.rfc-editor.org/rfc/rfc7162#section-3.2.10)).
    Vanished {
        /// `(EARLIER)`: an answer to a FETCH or SELECT, not a live expunge.
        earlier: bool,
        /// The UIDs.
        uids: SequenceSet<'a>,
    },
    /// `* NAMESPACE ...` ([RFC 2342](https://www.rfc-editor.org/rfc/rfc2342), RFC 9051 §7.3.3).
    Namespace(Namespaces<'a>),
    /// `* QUOTA ...` ([RFC 9208 §5.1](https://www.rfc-editor.org/rfc/rfc9208#section-5.1)).
    Quota(QuotaData<'a>),
    /// `* QUOTAROOT ...` ([RFC 9208 §5.2](https://www.rfc-editor.org/rfc/rfc9208#section-5.2)).
    QuotaRoot(QuotaRootData<'a>),
    /// `* ACL ...` ([RFC 4314 §3.6](https://www.rfc-editor.org/rfc/rfc4314#section-3.6)).
    Acl(AclData<'a>),
    /// `* LISTRIGHTS ...` ([RFC 4314 §3.7](https://www.rfc-editor.org/rfc/rfc4314#section-3.7)).
    ListRights(ListRights<'a>),
    /// `* MYRIGHTS ...` ([RFC 4314 §3.8](https://www.rfc-editor.org/rfc/rfc4314#section-3.8)).
    MyRights(MyRights<'a>),
    /// `* METADATA ...` ([RFC 5464 §4.4](https://www.rfc-editor.org/rfc/rfc5464#section-4.4)).
    Metadata(MetadataData<'a>),
    /// `* ID ...` ([RFC 2971 §3.2](https://www.rfc-editor.org/rfc/rfc2971#section-3.2)).
    Id(IdParameters<'a>),
    /// Lenient mode: untagged data that did not parse, kept as the raw bytes
    /// after `* ` and before the final CRLF.
    Unparsed(Cow<'a, [u8]>),
}

impl Untagged<'_> {
    /// A short name of the data kind, such as `"FETCH"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Untagged::Condition { condition, .. } => condition.name(),
            Untagged::Bye(_) => "BYE",
            Untagged::PreAuth(_) => "PREAUTH",
            Untagged::Capability(_) => "CAPABILITY",
            Untagged::Enabled(_) => "ENABLED",
            Untagged::Flags(_) => "FLAGS",
            Untagged::List(_) => "LIST",
            Untagged::Lsub(_) => "LSUB",
            Untagged::Status(_) => "STATUS",
            Untagged::Search(_) => "SEARCH",
            Untagged::Sort(_) => "SORT",
            Untagged::ESearch(_) => "ESEARCH",
            Untagged::Thread(_) => "THREAD",
            Untagged::Exists(_) => "EXISTS",
            Untagged::Recent(_) => "RECENT",
            Untagged::Expunge(_) => "EXPUNGE",
            Untagged::Fetch { .. } => "FETCH",
            Untagged::Vanished { .. } => "VANISHED",
            Untagged::Namespace(_) => "NAMESPACE",
            Untagged::Quota(_) => "QUOTA",
            Untagged::QuotaRoot(_) => "QUOTAROOT",
            Untagged::Acl(_) => "ACL",
            Untagged::ListRights(_) => "LISTRIGHTS",
            Untagged::MyRights(_) => "MYRIGHTS",
            Untagged::Metadata(_) => "METADATA",
            Untagged::Id(_) => "ID",
            Untagged::Unparsed(_) => "unparsed",
        }
    }
}
