//! BODY and BODYSTRUCTURE ([RFC 9051 §7.5.2], §9): the MIME structure of a
//! message, recursive for multiparts and `message/rfc822`.
//!
//! [RFC 9051 §7.5.2]: https://www.rfc-editor.org/rfc/rfc9051#section-7.5.2
//!
//! ```
//! use mailwire_imap::{Body, MessageAttribute, ParserConfig, Response, Untagged, parse_response};
//!
//! let r = parse_response(
//!     b"* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n",
//!     &ParserConfig::default(),
//! ).unwrap();
//! let Response::Untagged(Untagged::Fetch { items, .. }) = &r else { panic!() };
//! let MessageAttribute::Body(body) = items.first() else { panic!() };
//! let Body::Single { fields, .. } = &**body else { panic!() };
//! assert_eq!(fields.octets, 3028);
//! ```

use crate::types::core::{IString, NString};
use crate::types::envelope::Envelope;
use crate::types::vec1::Vec1;

/// A body part.
///
/// ```abnf
/// body            = "(" (body-type-1part / body-type-mpart) ")"
/// body-type-1part = (body-type-basic / body-type-msg / body-type-text)
///                   [SP body-ext-1part]
/// body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body<'a> {
    /// A single part.
    Single {
        /// The media type (`"TEXT"`, `"APPLICATION"`, ...).
        media_type: IString<'a>,
        /// The media subtype.
        media_subtype: IString<'a>,
        /// The basic fields.
        fields: BodyFields<'a>,
        /// What depends on the media type.
        specific: SingleSpecific<'a>,
        /// BODYSTRUCTURE's extension data.
        extension: Option<SingleExtension<'a>>,
    },
    /// A multipart.
    Multi {
        /// The parts.
        parts: Vec1<Body<'a>>,
        /// The multipart subtype (`"MIXED"`, ...).
        media_subtype: IString<'a>,
        /// BODYSTRUCTURE's extension data.
        extension: Option<MultiExtension<'a>>,
    },
}

/// The part of a single body that depends on its media type.
///
/// ```abnf
/// body-type-basic = media-basic SP body-fields
/// body-type-msg   = media-message SP body-fields SP envelope
///                   SP body SP body-fld-lines
/// body-type-text  = media-text SP body-fields SP body-fld-lines
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SingleSpecific<'a> {
    /// Any type but `TEXT` and `MESSAGE/RFC822` (`GLOBAL`).
    Basic,
    /// `TEXT/*`: the line count.
    Text {
        /// `body-fld-lines`.
        lines: u64,
    },
    /// `MESSAGE/RFC822` or `MESSAGE/GLOBAL`: the enclosed message.
    Message {
        /// Its envelope.
        envelope: Box<Envelope<'a>>,
        /// Its body.
        body: Box<Body<'a>>,
        /// `body-fld-lines`.
        lines: u64,
    },
}

/// The basic fields of a single part.
///
/// ```abnf
/// body-fields = body-fld-param SP body-fld-id SP body-fld-desc SP
///               body-fld-enc SP body-fld-octets
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyFields<'a> {
    /// `body-fld-param`: attribute/value pairs, empty for `NIL`.
    pub params: Vec<(IString<'a>, IString<'a>)>,
    /// `Content-ID`.
    pub id: NString<'a>,
    /// `Content-Description`.
    pub description: NString<'a>,
    /// `Content-Transfer-Encoding`.
    pub encoding: IString<'a>,
    /// Size in octets.
    pub octets: u32,
}

/// Extension data of a single part.
///
/// ```abnf
/// body-ext-1part = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang
///                  [SP body-fld-loc *(SP body-extension)]]]
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SingleExtension<'a> {
    /// `Content-MD5`.
    pub md5: NString<'a>,
    /// What follows.
    pub tail: Option<DispositionTail<'a>>,
}

/// Extension data of a multipart.
///
/// ```abnf
/// body-ext-mpart = body-fld-param [SP body-fld-dsp [SP body-fld-lang
///                  [SP body-fld-loc *(SP body-extension)]]]
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiExtension<'a> {
    /// `body-fld-param`, empty for `NIL`.
    pub params: Vec<(IString<'a>, IString<'a>)>,
    /// What follows.
    pub tail: Option<DispositionTail<'a>>,
}

/// `body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispositionTail<'a> {
    /// `Content-Disposition`, `None` for `NIL`.
    pub disposition: Option<Disposition<'a>>,
    /// What follows.
    pub tail: Option<LanguageTail<'a>>,
}

/// `body-fld-dsp = "(" string SP body-fld-param ")" / nil`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disposition<'a> {
    /// `inline`, `attachment`, ...
    pub kind: IString<'a>,
    /// Its parameters, empty for `NIL`.
    pub params: Vec<(IString<'a>, IString<'a>)>,
}

/// `body-fld-lang [SP body-fld-loc *(SP body-extension)]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageTail<'a> {
    /// `Content-Language`.
    pub language: Language<'a>,
    /// What follows.
    pub tail: Option<LocationTail<'a>>,
}

/// `body-fld-lang = nstring / "(" string *(SP string) ")"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Language<'a> {
    /// One tag or `NIL`.
    Single(NString<'a>),
    /// A list of tags.
    List(Vec1<IString<'a>>),
}

/// `body-fld-loc *(SP body-extension)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationTail<'a> {
    /// `Content-Location`.
    pub location: NString<'a>,
    /// Future extension data.
    pub extensions: Vec<BodyExtension<'a>>,
}

/// ```abnf
/// body-extension = nstring / number64 /
///                  "(" body-extension *(SP body-extension) ")"
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyExtension<'a> {
    /// A string or `NIL`.
    NString(NString<'a>),
    /// A number.
    Number(u64),
    /// A list.
    List(Vec1<BodyExtension<'a>>),
}
