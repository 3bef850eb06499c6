//! Commands ([RFC 9051 §6], RFC 3501 §6) and the command side of the
//! extensions.
//!
//! [RFC 9051 §6]: https://www.rfc-editor.org/rfc/rfc9051#section-6
//!
//! ```
//! use mailwire_imap::{Command, CommandBody, Mailbox, ParserConfig, Tag, parse_command};
//!
//! let command = Command::new(Tag::try_from("A142").unwrap(), CommandBody::Select {
//!     mailbox: Mailbox::Inbox,
//!     parameters: vec![],
//! });
//! assert_eq!(command.encode().to_vec(), b"A142 SELECT INBOX\r\n");
//! assert_eq!(parse_command(b"A142 SELECT INBOX\r\n", &ParserConfig::default()).unwrap(), command);
//! ```

use mailwire_core::Secret;

use crate::encode::{EncodeConfig, Encoded};
use crate::types::auth::Base64;
use crate::types::capability::Capability;
use crate::types::condstore::{FetchModifier, SelectParameter, StoreModifier};
use crate::types::core::{AString, Atom, IString, Literal, Literal8, NString, Tag};
use crate::types::datetime::DateTime;
use crate::types::fetch::FetchItems;
use crate::types::flag::Flag;
use crate::types::list::{ListPatterns, ListReturnOption, ListSelectOption};
use crate::types::mailbox::{ListMailbox, Mailbox};
use crate::types::metadata::{MetadataOption, MetadataValue};
use crate::types::quota::QuotaResource;
use crate::types::search::{SearchKey, SearchReturnOption};
use crate::types::sequence::SequenceSet;
use crate::types::sort::{SortCriterion, ThreadAlgorithm};
use crate::types::status::StatusItem;
use crate::types::vec1::Vec1;

/// A tagged command.
///
/// ```abnf
/// command = tag SP (command-any / command-auth / command-nonauth /
///           command-select) CRLF
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command<'a> {
    /// The tag the response will carry.
    pub tag: Tag<'a>,
    /// What to do.
    pub body: CommandBody<'a>,
}

impl<'a> Command<'a> {
    /// A command.
    pub fn new(tag: Tag<'a>, body: CommandBody<'a>) -> Self {
        Self { tag, body }
    }

    /// Encodes for a peer that takes no UTF-8 in quoted strings.
    pub fn encode(&self) -> Encoded<'_> {
        self.encode_with(EncodeConfig::default())
    }

    /// Encodes with `config`.
    pub fn encode_with(&self, config: EncodeConfig) -> Encoded<'_> {
        crate::encode::command::encode_command(self, config)
    }

    /// The command name as sent (`"UID FETCH"`, `"LOGIN"`).
    pub fn name(&self) -> &'static str {
        self.body.name()
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Command<'static> {
        Command {
            tag: self.tag.into_static(),
            body: self.body.into_static(),
        }
    }
}

/// How STORE changes flags ([RFC 9051 §6.4.6]).
///
/// [RFC 9051 §6.4.6]: https://www.rfc-editor.org/rfc/rfc9051#section-6.4.6
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StoreKind {
    /// `FLAGS`: replace.
    Replace,
    /// `+FLAGS`: add.
    Add,
    /// `-FLAGS`: remove.
    Remove,
}

/// One message of APPEND ([RFC 9051 §6.3.12], MULTIAPPEND [RFC 3502]).
///
/// ```abnf
/// append-message = append-opts SP append-data
/// append-opts    = [SP flag-list] [SP date-time]
/// ```
///
/// [RFC 9051 §6.3.12]: https://www.rfc-editor.org/rfc/rfc9051#section-6.3.12
/// [RFC 3502]: https://www.rfc-editor.org/rfc/rfc3502
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendMessage<'a> {
    /// The flags, if given (`()` is an empty list).
    pub flags: Option<Vec<Flag<'a>>>,
    /// The internal date, if given.
    pub date: Option<DateTime>,
    /// The message.
    pub data: AppendData<'a>,
}

/// The message octets of APPEND.
///
/// ```abnf
/// append-data = literal / literal8
/// append-data =/ "UTF8" SP "(" literal8 ")"   ; RFC 6855
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AppendData<'a> {
    /// A literal.
    Literal(Literal<'a>),
    /// A binary literal (BINARY).
    Literal8(Literal8<'a>),
    /// `UTF8 (literal8)` (UTF8=ACCEPT).
    Utf8(Literal8<'a>),
}

impl AppendData<'_> {
    /// The message octets.
    pub fn data(&self) -> &[u8] {
        match self {
            AppendData::Literal(l) => l.data(),
            AppendData::Literal8(l) | AppendData::Utf8(l) => l.data(),
        }
    }
}

/// The SASL initial response of AUTHENTICATE ([RFC 4959], [RFC 9051 §6.2.2]).
///
/// ```abnf
/// initial-resp = (base64 / "=")
/// ```
///
/// [RFC 4959]: https://www.rfc-editor.org/rfc/rfc4959
/// [RFC 9051 §6.2.2]: https://www.rfc-editor.org/rfc/rfc9051#section-6.2.2
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InitialResponse<'a> {
    /// `=`: an empty initial response.
    Empty,
    /// The base64 text (not empty), not decoded.
    Base64(Secret<Base64<'a>>),
}

/// A line sent during AUTHENTICATE after a continuation request
/// ([RFC 9051 §6.2.2]).
///
/// [RFC 9051 §6.2.2]: https://www.rfc-editor.org/rfc/rfc9051#section-6.2.2
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthenticateData<'a> {
    /// A base64 response (possibly empty).
    Response(Secret<Base64<'a>>),
    /// `*`: the client cancels.
    Cancel,
}

/// What a command does.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CommandBody<'a> {
    // Any state, RFC 9051 §6.1.
    /// `CAPABILITY`.
    Capability,
    /// `NOOP`.
    Noop,
    /// `LOGOUT`.
    Logout,
    // Not authenticated, §6.2.
    /// `STARTTLS`.
    StartTls,
    /// `AUTHENTICATE mechanism [initial-response]` (SASL-IR).
    Authenticate {
        /// The SASL mechanism.
        mechanism: Atom<'a>,
        /// The initial response (SASL-IR).
        initial_response: Option<InitialResponse<'a>>,
    },
    /// `LOGIN user password`.
    Login {
        /// The user name.
        username: AString<'a>,
        /// The password.
        password: Secret<AString<'a>>,
    },
    // Authenticated, §6.3.
    /// `ENABLE capability...` (RFC 5161).
    Enable {
        /// The capabilities to enable.
        capabilities: Vec1<Capability<'a>>,
    },
    /// `SELECT mailbox [(params)]`.
    Select {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// CONDSTORE/QRESYNC parameters.
        parameters: Vec<SelectParameter<'a>>,
    },
    /// `EXAMINE mailbox [(params)]`.
    Examine {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// CONDSTORE/QRESYNC parameters.
        parameters: Vec<SelectParameter<'a>>,
    },
    /// `CREATE mailbox [(USE (...))]`.
    Create {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// CREATE-SPECIAL-USE attributes (names without `\`).
        special_use: Option<Vec<Atom<'a>>>,
    },
    /// `DELETE mailbox`.
    Delete {
        /// The mailbox.
        mailbox: Mailbox<'a>,
    },
    /// `RENAME from to`.
    Rename {
        /// The existing name.
        from: Mailbox<'a>,
        /// The new name.
        to: Mailbox<'a>,
    },
    /// `SUBSCRIBE mailbox`.
    Subscribe {
        /// The mailbox.
        mailbox: Mailbox<'a>,
    },
    /// `UNSUBSCRIBE mailbox`.
    Unsubscribe {
        /// The mailbox.
        mailbox: Mailbox<'a>,
    },
    /// `LIST [(select)] reference patterns [RETURN (options)]`.
    List {
        /// Selection options; `Some(vec![])` is `()`.
        selection: Option<Vec<ListSelectOption<'a>>>,
        /// The reference name.
        reference: Mailbox<'a>,
        /// The pattern(s).
        patterns: ListPatterns<'a>,
        /// Return options; `Some(vec![])` is `RETURN ()`.
        return_options: Option<Vec<ListReturnOption<'a>>>,
    },
    /// `LSUB reference pattern` (IMAP4rev1).
    Lsub {
        /// The reference name.
        reference: Mailbox<'a>,
        /// The pattern.
        pattern: ListMailbox<'a>,
    },
    /// `NAMESPACE` (RFC 2342).
    Namespace,
    /// `STATUS mailbox (items)`.
    Status {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// The items.
        items: Vec1<StatusItem>,
    },
    /// `APPEND mailbox message...` (several with MULTIAPPEND).
    Append {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// The messages.
        messages: Vec1<AppendMessage<'a>>,
    },
    /// `IDLE` (RFC 2177); ends with a `DONE` line ([`parse_idle_done`](crate::parse_idle_done)).
    Idle,
    /// `ID (params)` or `ID NIL` (RFC 2971).
    Id {
        /// Field/value pairs; `None` for `NIL`.
        parameters: Option<Vec<(IString<'a>, NString<'a>)>>,
    },
    /// `GETQUOTA root` (RFC 9208).
    GetQuota {
        /// The quota root.
        root: AString<'a>,
    },
    /// `GETQUOTAROOT mailbox` (RFC 9208).
    GetQuotaRoot {
        /// The mailbox.
        mailbox: Mailbox<'a>,
    },
    /// `SETQUOTA root (resource limit ...)` (RFC 9208).
    SetQuota {
        /// The quota root.
        root: AString<'a>,
        /// Resource limits.
        limits: Vec<(QuotaResource<'a>, u64)>,
    },
    /// `SETACL mailbox identifier rights` (RFC 4314).
    SetAcl {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// The identifier.
        identifier: AString<'a>,
        /// The rights, with a leading `+` or `-` to add or remove.
        rights: AString<'a>,
    },
    /// `DELETEACL mailbox identifier` (RFC 4314).
    DeleteAcl {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// The identifier.
        identifier: AString<'a>,
    },
    /// `GETACL mailbox` (RFC 4314).
    GetAcl {
        /// The mailbox.
        mailbox: Mailbox<'a>,
    },
    /// `LISTRIGHTS mailbox identifier` (RFC 4314).
    ListRights {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// The identifier.
        identifier: AString<'a>,
    },
    /// `MYRIGHTS mailbox` (RFC 4314).
    MyRights {
        /// The mailbox.
        mailbox: Mailbox<'a>,
    },
    /// `GETMETADATA [(options)] mailbox entries` (RFC 5464).
    GetMetadata {
        /// Options.
        options: Vec<MetadataOption>,
        /// The mailbox (`""` for server metadata).
        mailbox: Mailbox<'a>,
        /// The entries; `Single` is one entry without parentheses.
        entries: Entries<'a>,
    },
    /// `SETMETADATA mailbox (entry value ...)` (RFC 5464).
    SetMetadata {
        /// The mailbox (`""` for server metadata).
        mailbox: Mailbox<'a>,
        /// Entries and values.
        entries: Vec1<(AString<'a>, MetadataValue<'a>)>,
    },
    /// `COMPRESS algorithm` (RFC 4978).
    Compress {
        /// The algorithm, `DEFLATE`.
        algorithm: Atom<'a>,
    },
    // Selected, §6.4.
    /// `CHECK` (IMAP4rev1).
    Check,
    /// `CLOSE`.
    Close,
    /// `UNSELECT` (RFC 3691).
    Unselect,
    /// `EXPUNGE`.
    Expunge,
    /// `UID EXPUNGE set` (UIDPLUS).
    UidExpunge {
        /// The UIDs.
        set: SequenceSet<'a>,
    },
    /// `[UID] SEARCH [RETURN (...)] [CHARSET c] keys`.
    Search {
        /// ESEARCH return options; `Some(vec![])` is `RETURN ()`.
        return_options: Option<Vec<SearchReturnOption<'a>>>,
        /// The charset.
        charset: Option<AString<'a>>,
        /// The keys (all must match).
        criteria: Vec1<SearchKey<'a>>,
        /// `UID SEARCH`.
        uid: bool,
    },
    /// `[UID] FETCH set items [(modifiers)]`.
    Fetch {
        /// The messages.
        set: SequenceSet<'a>,
        /// The data items.
        items: FetchItems<'a>,
        /// CONDSTORE/QRESYNC modifiers.
        modifiers: Vec<FetchModifier<'a>>,
        /// `UID FETCH`.
        uid: bool,
    },
    /// `[UID] STORE set [(modifiers)] [+-]FLAGS[.SILENT] (flags)`.
    Store {
        /// The messages.
        set: SequenceSet<'a>,
        /// Replace, add or remove.
        kind: StoreKind,
        /// `.SILENT`.
        silent: bool,
        /// The flags.
        flags: Vec<Flag<'a>>,
        /// CONDSTORE modifiers.
        modifiers: Vec<StoreModifier<'a>>,
        /// `UID STORE`.
        uid: bool,
    },
    /// `[UID] COPY set mailbox`.
    Copy {
        /// The messages.
        set: SequenceSet<'a>,
        /// The destination.
        mailbox: Mailbox<'a>,
        /// `UID COPY`.
        uid: bool,
    },
    /// `[UID] MOVE set mailbox` (RFC 6851).
    Move {
        /// The messages.
        set: SequenceSet<'a>,
        /// The destination.
        mailbox: Mailbox<'a>,
        /// `UID MOVE`.
        uid: bool,
    },
    /// `[UID] SORT [RETURN (...)] (criteria) charset keys` (RFC 5256, RFC 5267).
    Sort {
        /// ESORT return options.
        return_options: Option<Vec<SearchReturnOption<'a>>>,
        /// Sort criteria.
        criteria: Vec1<SortCriterion>,
        /// The charset.
        charset: AString<'a>,
        /// The search keys.
        search: Vec1<SearchKey<'a>>,
        /// `UID SORT`.
        uid: bool,
    },
    /// `[UID] THREAD algorithm charset keys` (RFC 5256).
    Thread {
        /// The algorithm.
        algorithm: ThreadAlgorithm<'a>,
        /// The charset.
        charset: AString<'a>,
        /// The search keys.
        search: Vec1<SearchKey<'a>>,
        /// `UID THREAD`.
        uid: bool,
    },
}

/// GETMETADATA entries ([RFC 5464 §4.2]).
///
/// ```abnf
/// entries = entry / "(" entry *(SP entry) ")"
/// ```
///
/// [RFC 5464 §4.2]: https://www.rfc-editor.org/rfc/rfc5464#section-4.2
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entries<'a> {
    /// One entry, without parentheses.
    Single(AString<'a>),
    /// A parenthesised list.
    List(Vec1<AString<'a>>),
}

impl<'a> CommandBody<'a> {
    /// `LOGIN username password`.
    pub fn login(username: AString<'a>, password: AString<'a>) -> Self {
        CommandBody::Login {
            username,
            password: Secret::new(password),
        }
    }

    /// `[UID] FETCH set items` without modifiers.
    pub fn fetch(set: SequenceSet<'a>, items: FetchItems<'a>, uid: bool) -> Self {
        CommandBody::Fetch {
            set,
            items,
            modifiers: Vec::new(),
            uid,
        }
    }

    /// The command name as sent.
    pub fn name(&self) -> &'static str {
        use CommandBody as C;
        match self {
            C::Capability => "CAPABILITY",
            C::Noop => "NOOP",
            C::Logout => "LOGOUT",
            C::StartTls => "STARTTLS",
            C::Authenticate { .. } => "AUTHENTICATE",
            C::Login { .. } => "LOGIN",
            C::Enable { .. } => "ENABLE",
            C::Select { .. } => "SELECT",
            C::Examine { .. } => "EXAMINE",
            C::Create { .. } => "CREATE",
            C::Delete { .. } => "DELETE",
            C::Rename { .. } => "RENAME",
            C::Subscribe { .. } => "SUBSCRIBE",
            C::Unsubscribe { .. } => "UNSUBSCRIBE",
            C::List { .. } => "LIST",
            C::Lsub { .. } => "LSUB",
            C::Namespace => "NAMESPACE",
            C::Status { .. } => "STATUS",
            C::Append { .. } => "APPEND",
            C::Idle => "IDLE",
            C::Id { .. } => "ID",
            C::GetQuota { .. } => "GETQUOTA",
            C::GetQuotaRoot { .. } => "GETQUOTAROOT",
            C::SetQuota { .. } => "SETQUOTA",
            C::SetAcl { .. } => "SETACL",
            C::DeleteAcl { .. } => "DELETEACL",
            C::GetAcl { .. } => "GETACL",
            C::ListRights { .. } => "LISTRIGHTS",
            C::MyRights { .. } => "MYRIGHTS",
            C::GetMetadata { .. } => "GETMETADATA",
            C::SetMetadata { .. } => "SETMETADATA",
            C::Compress { .. } => "COMPRESS",
            C::Check => "CHECK",
            C::Close => "CLOSE",
            C::Unselect => "UNSELECT",
            C::Expunge => "EXPUNGE",
            C::UidExpunge { .. } => "UID EXPUNGE",
            C::Search { uid: false, .. } => "SEARCH",
            C::Search { uid: true, .. } => "UID SEARCH",
            C::Fetch { uid: false, .. } => "FETCH",
            C::Fetch { uid: true, .. } => "UID FETCH",
            C::Store { uid: false, .. } => "STORE",
            C::Store { uid: true, .. } => "UID STORE",
            C::Copy { uid: false, .. } => "COPY",
            C::Copy { uid: true, .. } => "UID COPY",
            C::Move { uid: false, .. } => "MOVE",
            C::Move { uid: true, .. } => "UID MOVE",
            C::Sort { uid: false, .. } => "SORT",
            C::Sort { uid: true, .. } => "UID SORT",
            C::Thread { uid: false, .. } => "THREAD",
            C::Thread { uid: true, .. } => "UID THREAD",
        }
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> CommandBody<'static> {
        crate::types::command_static::body_into_static(self)
    }
}
