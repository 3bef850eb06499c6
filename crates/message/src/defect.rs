//! Defects: what was wrong with a message that was parsed anyway.
//!
//! Parsing never fails. Like Python's `email.errors`, every irregularity is
//! recorded as a [`Defect`]: a [`DefectKind`] plus the absolute byte offset
//! (`u64`, counted from the first byte of the message) where it starts. The
//! parse result is still complete and still re-emits the input byte for byte.
//!
//! ```
//! use mailwire_message::defect::DefectKind;
//!
//! let message = mailwire_message::parse(b"Subject: hi\r\nno colon here\r\n");
//! let defect = &message.defects()[0];
//! assert_eq!(defect.kind, DefectKind::MissingHeaderBodySeparator);
//! assert_eq!(defect.offset, 13);
//! ```

use std::fmt;

use mailwire_core::error::Offset;

/// A defect found in a message, with the byte offset where it starts.
///
/// ```
/// use mailwire_message::defect::{Defect, DefectKind};
/// let d = Defect::new(DefectKind::CloseBoundaryNotFound, 120);
/// assert_eq!(d.to_string(), "close boundary not found at byte 120");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Defect {
    /// What is wrong.
    pub kind: DefectKind,
    /// Absolute offset of the first byte concerned.
    pub offset: Offset,
}

impl Defect {
    /// Creates a defect.
    pub const fn new(kind: DefectKind, offset: Offset) -> Self {
        Self { kind, offset }
    }
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.kind, self.offset)
    }
}

/// Which configured limit was exceeded (see [`Limits`](crate::limits::Limits)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LimitKind {
    /// [`Limits::max_depth`](crate::limits::Limits::max_depth).
    Depth,
    /// [`Limits::max_parts`](crate::limits::Limits::max_parts).
    Parts,
    /// [`Limits::max_field_size`](crate::limits::Limits::max_field_size).
    FieldSize,
    /// [`Limits::max_fields`](crate::limits::Limits::max_fields).
    Fields,
}

/// The kinds of defect. The names follow Python's `email.errors` where one
/// exists there.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DefectKind {
    /// A line in the header section is neither a field, a continuation nor
    /// blank, so the body starts there without the empty line that RFC 5322
    /// §2.1 requires (covers "header line without colon").
    MissingHeaderBodySeparator,
    /// The first line of a header section starts with white space: a
    /// continuation with nothing to continue (RFC 5322 §2.2.3). The line is
    /// kept as an invalid header line.
    FirstLineIsContinuation,
    /// A `From ` envelope line inside a header section (only the first line
    /// of a top-level message may be one, RFC 4155).
    MisplacedEnvelopeHeader,
    /// A header field holds 8-bit bytes that are not valid UTF-8 (RFC 5322
    /// §2.2 allows US-ASCII, RFC 6532 §3.2 adds UTF-8).
    NonAsciiHeader,
    /// Obsolete syntax was used (RFC 5322 §4), e.g. white space before the
    /// colon of a field (§4.5).
    ObsoleteSyntax,
    /// A `multipart/*` part has no `boundary` parameter (RFC 2046 §5.1.1);
    /// its body is kept as a leaf.
    NoBoundaryInMultipart,
    /// No delimiter line of a multipart body was found (RFC 2046 §5.1.1); the
    /// whole body is its preamble.
    StartBoundaryNotFound,
    /// A multipart body ended without its close delimiter (RFC 2046 §5.1.1).
    CloseBoundaryNotFound,
    /// A `multipart/*` or `message/rfc822` part has a transfer encoding other
    /// than 7bit, 8bit or binary (RFC 2045 §6.4, RFC 2046 §5.2.1).
    InvalidCompositeTransferEncoding,
    /// The `Content-Type` field could not be parsed (RFC 2045 §5.1); the
    /// default type applies.
    InvalidContentType,
    /// A header field value does not follow its grammar.
    InvalidHeader {
        /// The field name, lower case.
        field: &'static str,
    },
    /// Characters outside the base64 alphabet in a base64 body or encoded
    /// word (RFC 2045 §6.8); they are ignored.
    InvalidBase64Characters,
    /// Missing or misplaced `=` padding in base64 data (RFC 2045 §6.8).
    InvalidBase64Padding,
    /// Base64 data ends with a single character, which encodes no byte
    /// (RFC 2045 §6.8); it is dropped.
    InvalidBase64Length,
    /// A `=` in quoted-printable data not followed by two hex digits or a
    /// line break (RFC 2045 §6.7); it is kept literally.
    InvalidQuotedPrintable,
    /// An unknown charset label (RFC 2047 §2, RFC 2046 §4.1.2); the text was
    /// decoded as lossy UTF-8.
    UnknownCharset(String),
    /// Bytes that are invalid in their charset; they were replaced by U+FFFD.
    UndecodableBytes,
    /// A malformed RFC 2047 encoded word; it is kept as text.
    InvalidEncodedWord,
    /// A parameter (RFC 2045 §5.1, RFC 2231) could not be parsed. While
    /// parsing a message this is reported for `multipart/*` types, whose
    /// `boundary` parameter drives parsing; `ContentType::parse` reports it
    /// for any type.
    InvalidParameter,
    /// A configured limit was exceeded; what follows is kept as an opaque
    /// body.
    LimitExceeded(LimitKind),
}

impl fmt::Display for DefectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DefectKind::MissingHeaderBodySeparator => f.write_str("missing header/body separator"),
            DefectKind::FirstLineIsContinuation => {
                f.write_str("first header line is a continuation")
            }
            DefectKind::MisplacedEnvelopeHeader => f.write_str("misplaced envelope header"),
            DefectKind::NonAsciiHeader => f.write_str("non-ASCII bytes in header"),
            DefectKind::ObsoleteSyntax => f.write_str("obsolete syntax"),
            DefectKind::NoBoundaryInMultipart => f.write_str("no boundary in multipart"),
            DefectKind::StartBoundaryNotFound => f.write_str("start boundary not found"),
            DefectKind::CloseBoundaryNotFound => f.write_str("close boundary not found"),
            DefectKind::InvalidCompositeTransferEncoding => {
                f.write_str("invalid transfer encoding for a composite type")
            }
            DefectKind::InvalidContentType => f.write_str("invalid content type"),
            DefectKind::InvalidHeader { field } => write!(f, "invalid {field} header"),
            DefectKind::InvalidBase64Characters => f.write_str("invalid base64 characters"),
            DefectKind::InvalidBase64Padding => f.write_str("invalid base64 padding"),
            DefectKind::InvalidBase64Length => f.write_str("invalid base64 length"),
            DefectKind::InvalidQuotedPrintable => f.write_str("invalid quoted-printable"),
            DefectKind::UnknownCharset(label) => write!(f, "unknown charset {label:?}"),
            DefectKind::UndecodableBytes => f.write_str("undecodable bytes"),
            DefectKind::InvalidEncodedWord => f.write_str("invalid encoded word"),
            DefectKind::InvalidParameter => f.write_str("invalid parameter"),
            DefectKind::LimitExceeded(kind) => write!(f, "limit exceeded: {kind:?}"),
        }
    }
}
