//! IMAP4rev1 ([RFC 3501]) and IMAP4rev2 ([RFC 9051]): the codec.
//!
//! This crate turns IMAP bytes into values and back, sans IO:
//!
//! - [`types`]: values that cannot be built invalid ([`Tag`], [`Atom`],
//!   [`AString`], [`Literal`], [`SequenceSet`], [`Flag`], [`Mailbox`],
//!   [`Capability`], ...), zero-copy over the input (`Cow`) with
//!   `into_static()` for an owned copy;
//! - [`framer`]: single-pass framing of a byte stream into complete
//!   messages (lines plus literals), announcing literals before their
//!   octets arrive, within [`Limits`]; [`scan_message`] frames one message
//!   in a buffer the caller manages;
//! - [`parse_command`] and the other parse entry points: nom 8 parsers, one
//!   function per ABNF rule, configured at run time by [`ParserConfig`]
//!   (IMAP4rev1 or IMAP4rev2, `UTF8=ACCEPT`, lenient mode);
//! - encoders producing [`Encoded`] fragments, so that synchronising
//!   literals can be sent after the peer's `+`;
//! - [`Error`]: byte offset, expected ABNF rule, and the tag when one was
//!   read.
//!
//! [RFC 3501]: https://www.rfc-editor.org/rfc/rfc3501
//! [RFC 9051]: https://www.rfc-editor.org/rfc/rfc9051
//!
//! # Example
//!
//! ```
//! use mailwire_imap::{Command, CommandBody, Frame, Framer, Limits, ParserConfig, parse_command};
//!
//! let mut framer = Framer::server(Limits::default());
//! framer.push(b"a1 UID FETCH 1:* (FLAGS)\r\n");
//! let Some(Ok(Frame::Message(message))) = framer.next() else { panic!() };
//! let command = parse_command(message.bytes(), &ParserConfig::default()).unwrap();
//! assert_eq!(command.tag.as_str(), "a1");
//! assert!(matches!(command.body, CommandBody::Fetch { uid: true, .. }));
//! assert_eq!(command.encode().to_vec(), b"a1 UID FETCH 1:* (FLAGS)\r\n");
//! ```
#![forbid(unsafe_code)]

pub mod encode;
pub mod error;
pub mod framer;
pub mod limits;
pub(crate) mod parse;
pub mod types;
pub mod utf7;

pub use encode::{EncodeConfig, Encoded, Fragment};
pub use error::{Error, ValueError};
pub use framer::{Frame, Framer, LiteralAnnouncement, Message, Scanned, scan_message};
pub use limits::{LITERAL_MINUS_MAX, Limits, NonSyncLiterals, ParserConfig, Revision};
pub use parse::command::{parse_authenticate_data, parse_command, parse_idle_done};
pub use parse::response::{parse_greeting, parse_response};
pub use types::auth::Base64;
pub use types::body_structure::{
    Body, BodyExtension, BodyFields, Disposition, DispositionTail, Language, LanguageTail,
    LocationTail, MultiExtension, SingleExtension, SingleSpecific,
};
pub use types::capability::Capability;
pub use types::command::{
    AppendData, AppendMessage, AuthenticateData, Command, CommandBody, Entries, InitialResponse,
    StoreKind,
};
pub use types::condstore::{FetchModifier, SelectParameter, StoreModifier};
pub use types::core::{
    AString, Atom, AtomExt, IString, ListChars, Literal, Literal8, LiteralMode, NString, Quoted,
    Tag, Text,
};
pub use types::datetime::{Date, DateTime};
pub use types::envelope::{Address, Envelope};
pub use types::extension::{Extension, ExtensionItem, ExtensionValue};
pub use types::fetch::{FetchAttribute, FetchItems};
pub use types::fetch_response::{BinaryData, MessageAttribute};
pub use types::flag::{Flag, FlagFetch, FlagPerm};
pub use types::list::{ListPatterns, ListReturnOption, ListSelectOption};
pub use types::mailbox::{ListMailbox, Mailbox, MailboxOther};
pub use types::mailbox_data::{
    AclData, Delimiter, ESearch, IdParameters, ListData, ListRights, MailboxAttribute,
    MetadataData, MetadataEntries, MyRights, NamespaceDescription, Namespaces, QuotaData,
    QuotaRootData, QuotaUsage, SearchData, SearchReturnData, StatusData, StatusValue, Thread,
};
pub use types::metadata::{MetadataDepth, MetadataOption, MetadataValue};
pub use types::quota::QuotaResource;
pub use types::response::{
    Condition, Continue, Greeting, GreetingKind, RespText, Response, Tagged, Untagged,
};
pub use types::response_code::{Code, MetadataCode};
pub use types::search::{EntryType, SearchKey, SearchReturnOption};
pub use types::section::{Part, Partial, Section};
pub use types::sequence::{SeqNumber, SeqRange, SeqRanges, SequenceSet};
pub use types::sort::{SortCriterion, SortKey, ThreadAlgorithm};
pub use types::status::StatusItem;
pub use types::vec1::Vec1;
