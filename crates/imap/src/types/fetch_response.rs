//! The data items of a FETCH response ([RFC 9051 §7.5.2]) and of its
//! extensions: BINARY ([RFC 3516 §4.2]), CONDSTORE ([RFC 7162 §3.1.4]),
//! OBJECTID ([RFC 8474 §5]), SAVEDATE ([RFC 8514]). Items this crate does
//! not know are kept as [`MessageAttribute::Other`].
//!
//! [RFC 9051 §7.5.2]: https://www.rfc-editor.org/rfc/rfc9051#section-7.5.2
//! [RFC 3516 §4.2]: https://www.rfc-editor.org/rfc/rfc3516#section-4.2
//! [RFC 7162 §3.1.4]: https://www.rfc-editor.org/rfc/rfc7162#section-3.1.4
//! [RFC 8474 §5]: https://www.rfc-editor.org/rfc/rfc8474#section-5
//! [RFC 8514]: https://www.rfc-editor.org/rfc/rfc8514
//!
//! ```
//! use mailwire_imap::{MessageAttribute, ParserConfig, Response, Untagged, parse_response};
//!
//! let r = parse_response(b"* 12 FETCH (UID 44 BODY[] {3}\r\nabc)\r\n", &ParserConfig::default()).unwrap();
//! let Response::Untagged(Untagged::Fetch { seq, items }) = &r else { panic!() };
//! assert_eq!(seq.get(), 12);
//! assert!(matches!(&items[1], MessageAttribute::BodySection { data, .. } if data.as_bytes() == Some(&b"abc"[..])));
//! ```

use std::borrow::Cow;
use std::num::{NonZeroU32, NonZeroU64};

use crate::types::body_structure::Body;
use crate::types::core::{Atom, Literal8, NString};
use crate::types::datetime::DateTime;
use crate::types::envelope::Envelope;
use crate::types::flag::FlagFetch;
use crate::types::section::{Part, Section};

/// One FETCH data item.
///
/// ```abnf
/// msg-att-dynamic = "FLAGS" SP "(" [flag-fetch *(SP flag-fetch)] ")"
/// msg-att-static  = "ENVELOPE" SP envelope /
///                   "INTERNALDATE" SP date-time /
///                   "RFC822.SIZE" SP number64 /
///                   "BODY" ["STRUCTURE"] SP body /
///                   "BODY" section ["<" number ">"] SP nstring /
///                   "BINARY" section-binary SP (nstring / literal8) /
///                   "BINARY.SIZE" section-binary SP number /
///                   "UID" SP uniqueid
///                   ; IMAP4rev1: "RFC822" / "RFC822.HEADER" / "RFC822.TEXT" SP nstring
///                   ; RFC 7162: "MODSEQ" SP "(" permsg-modsequence ")"
///                   ; RFC 8474: "EMAILID" SP "(" objectid ")" /
///                   ;           "THREADID" SP ("(" objectid ")" / nil)
///                   ; RFC 8514: "SAVEDATE" SP (date-time / nil)
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessageAttribute<'a> {
    /// `FLAGS (...)`.
    Flags(Vec<FlagFetch<'a>>),
    /// `ENVELOPE (...)`.
    Envelope(Box<Envelope<'a>>),
    /// `INTERNALDATE "..."`.
    InternalDate(DateTime),
    /// `RFC822.SIZE n`.
    Rfc822Size(u64),
    /// `BODY (...)`: the structure without extension data.
    Body(Box<Body<'a>>),
    /// `BODYSTRUCTURE (...)`.
    BodyStructure(Box<Body<'a>>),
    /// `BODY[section]<origin> data`.
    BodySection {
        /// The section, `None` for the whole message.
        section: Option<Section<'a>>,
        /// The offset of a partial fetch.
        origin: Option<u32>,
        /// The octets.
        data: NString<'a>,
    },
    /// `BINARY[part] data` (RFC 3516).
    Binary {
        /// The part, `None` for the whole message.
        section: Option<Part>,
        /// The decoded octets.
        data: BinaryData<'a>,
    },
    /// `BINARY.SIZE[part] n` (RFC 3516).
    BinarySize {
        /// The part, `None` for the whole message.
        section: Option<Part>,
        /// The decoded size.
        size: u32,
    },
    /// `UID n`.
    Uid(NonZeroU32),
    /// `RFC822 data` (IMAP4rev1).
    Rfc822(NString<'a>),
    /// `RFC822.HEADER data` (IMAP4rev1).
    Rfc822Header(NString<'a>),
    /// `RFC822.TEXT data` (IMAP4rev1).
    Rfc822Text(NString<'a>),
    /// `MODSEQ (n)` (RFC 7162).
    ModSeq(NonZeroU64),
    /// `EMAILID (id)` (RFC 8474).
    EmailId(Atom<'a>),
    /// `THREADID (id)` or `THREADID NIL` (RFC 8474).
    ThreadId(Option<Atom<'a>>),
    /// `SAVEDATE date` or `SAVEDATE NIL` (RFC 8514).
    SaveDate(Option<DateTime>),
    /// An item this crate does not know: its name and its value's raw
    /// bytes (a number, an nstring, or a parenthesised list).
    Other {
        /// The item name (may hold a section, `X-ITEM[1]`).
        name: Cow<'a, str>,
        /// The value as it was sent.
        value: Cow<'a, [u8]>,
    },
    /// Lenient mode: an item that did not parse, kept as the raw bytes from
    /// the end of the last good item (its separator included) to the end of
    /// the message (the closing `)` included, CRLF excluded); always the
    /// last item.
    Unparsed(Cow<'a, [u8]>),
}

impl MessageAttribute<'_> {
    /// The item name, as in the response (`"BODY[]"` is `"BODY"`).
    pub fn name(&self) -> &str {
        match self {
            MessageAttribute::Flags(_) => "FLAGS",
            MessageAttribute::Envelope(_) => "ENVELOPE",
            MessageAttribute::InternalDate(_) => "INTERNALDATE",
            MessageAttribute::Rfc822Size(_) => "RFC822.SIZE",
            MessageAttribute::Body(_) => "BODY",
            MessageAttribute::BodyStructure(_) => "BODYSTRUCTURE",
            MessageAttribute::BodySection { .. } => "BODY",
            MessageAttribute::Binary { .. } => "BINARY",
            MessageAttribute::BinarySize { .. } => "BINARY.SIZE",
            MessageAttribute::Uid(_) => "UID",
            MessageAttribute::Rfc822(_) => "RFC822",
            MessageAttribute::Rfc822Header(_) => "RFC822.HEADER",
            MessageAttribute::Rfc822Text(_) => "RFC822.TEXT",
            MessageAttribute::ModSeq(_) => "MODSEQ",
            MessageAttribute::EmailId(_) => "EMAILID",
            MessageAttribute::ThreadId(_) => "THREADID",
            MessageAttribute::SaveDate(_) => "SAVEDATE",
            MessageAttribute::Other { name, .. } => name,
            MessageAttribute::Unparsed(_) => "unparsed",
        }
    }
}

/// The value of a BINARY item: `nstring / literal8`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BinaryData<'a> {
    /// A string or `NIL`.
    NString(NString<'a>),
    /// `~{n}` octets, NUL allowed.
    Literal8(Literal8<'a>),
}
