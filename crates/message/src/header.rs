//! Header fields ([RFC 5322 §2.2]) and the header section (§3.5).
//!
//! ```text
//! field-name      =   1*ftext
//! ftext           =   %d33-57 / %d59-126    ; printable US-ASCII except ":"
//! optional-field  =   field-name ":" unstructured CRLF
//! obs-optional    =   field-name *WSP ":" unstructured CRLF   ; §4.5
//! ```
//!
//! A [`Field`] keeps its raw bytes: name, colon, value with its folding and
//! its line ending, so that re-emitting is exact. Values stay bytes; the
//! typed accessors of [`Header`] parse them on demand.
//!
//! [RFC 5322 §2.2]: https://www.rfc-editor.org/rfc/rfc5322#section-2.2
//!
//! ```
//! let message = mailwire_message::parse(
//!     b"Subject: =?utf-8?q?caf=C3=A9?=\r\n and more\r\nX-Tag :one\r\n\r\n",
//! );
//! let header = message.root().header();
//! let subject = header.get("subject").unwrap();
//! assert_eq!(subject.raw_value(), b" =?utf-8?q?caf=C3=A9?=\r\n and more");
//! assert_eq!(subject.unfolded().as_ref(), b" =?utf-8?q?caf=C3=A9?= and more");
//! assert_eq!(header.subject().as_deref(), Some("café and more"));
//! assert_eq!(header.get("x-tag").unwrap().name(), b"X-Tag");
//! ```

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};
use mailwire_core::error::Offset;

use crate::address::{AddressList, Mode};
use crate::engine::InvalidLineKind;
use crate::lexical::{trim, unfold};
use crate::mime::{ContentDisposition, ContentType, MimeVersion};
use crate::msgid::MsgId;
use crate::transfer::TransferEncoding;

/// One header field, as it appeared in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<'a> {
    offset: Offset,
    raw: Cow<'a, [u8]>,
    name_len: usize,
    value_start: usize,
}

impl<'a> Field<'a> {
    /// Builds a field from its raw bytes (`name ":" value [CRLF]`) found at
    /// `offset`. `None` if `raw` has no valid field name and colon.
    ///
    /// ```
    /// use mailwire_message::header::Field;
    /// let f = Field::from_raw(b"To : a@b\r\n".as_slice(), 0).unwrap();
    /// assert_eq!((f.name(), f.raw_value()), (&b"To"[..], &b" a@b"[..]));
    /// assert!(Field::from_raw(b"no colon".as_slice(), 0).is_none());
    /// ```
    pub fn from_raw(raw: impl Into<Cow<'a, [u8]>>, offset: Offset) -> Option<Self> {
        let raw = raw.into();
        let name_len = raw
            .iter()
            .position(|&b| !(33..=126).contains(&b) || b == b':')?;
        let after = raw.get(name_len..)?;
        let spaces = after.iter().position(|&b| b != b' ' && b != b'\t')?;
        (name_len > 0 && after.get(spaces) == Some(&b':')).then_some(Self {
            offset,
            name_len,
            value_start: name_len + spaces + 1,
            raw,
        })
    }

    pub(crate) fn from_parts(raw: Cow<'a, [u8]>, offset: Offset, name_len: usize) -> Self {
        let colon = raw
            .get(name_len..)
            .and_then(|a| a.iter().position(|&b| b == b':'))
            .unwrap_or(0);
        Self {
            offset,
            raw,
            name_len,
            value_start: name_len + colon + 1,
        }
    }

    /// Absolute offset of the field's first byte.
    pub fn offset(&self) -> Offset {
        self.offset
    }

    /// The whole field: name, colon, value and line ending.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The field name as written.
    pub fn name(&self) -> &[u8] {
        self.raw.get(..self.name_len).unwrap_or_default()
    }

    /// Whether the name is `name`, ignoring ASCII case.
    pub fn is(&self, name: &str) -> bool {
        self.name().eq_ignore_ascii_case(name.as_bytes())
    }

    /// The value after the colon, folding included, final line ending
    /// excluded.
    pub fn raw_value(&self) -> &[u8] {
        let v = self.raw.get(self.value_start..).unwrap_or_default();
        let v = v.strip_suffix(b"\n").unwrap_or(v);
        v.strip_suffix(b"\r").unwrap_or(v)
    }

    /// Absolute offset of the value's first byte.
    pub fn value_offset(&self) -> Offset {
        self.offset.saturating_add(self.value_start as u64)
    }

    /// The value with folding line breaks removed ([RFC 5322 §2.2.3]).
    ///
    /// [RFC 5322 §2.2.3]: https://www.rfc-editor.org/rfc/rfc5322#section-2.2.3
    pub fn unfolded(&self) -> Cow<'_, [u8]> {
        unfold(self.raw_value())
    }

    /// The value as unstructured text ([RFC 5322 §3.2.5]): unfolded, trimmed
    /// and with RFC 2047 encoded words decoded.
    ///
    /// [RFC 5322 §3.2.5]: https://www.rfc-editor.org/rfc/rfc5322#section-3.2.5
    pub fn text(&self) -> Cow<'_, str> {
        let (text, _) = crate::encoded_word::decode(trim(self.raw_value()));
        match text {
            Cow::Borrowed(t) => Cow::Borrowed(t.trim_matches([' ', '\t'])),
            Cow::Owned(t) => Cow::Owned(t.trim_matches([' ', '\t']).to_owned()),
        }
    }

    /// Converts into an owned field.
    pub fn into_owned(self) -> Field<'static> {
        Field {
            raw: Cow::Owned(self.raw.into_owned()),
            ..self
        }
    }
}

/// A line of a header section.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderLine<'a> {
    /// A header field.
    Field(Field<'a>),
    /// A line that is not a field, kept for re-emitting.
    Invalid {
        /// Absolute offset of its first byte.
        offset: Offset,
        /// The line, line ending included.
        raw: Cow<'a, [u8]>,
        /// Why it is not a field.
        kind: InvalidLineKind,
    },
}

impl HeaderLine<'_> {
    /// The line's raw bytes.
    pub fn raw(&self) -> &[u8] {
        match self {
            HeaderLine::Field(f) => f.raw(),
            HeaderLine::Invalid { raw, .. } => raw,
        }
    }

    /// Converts into an owned line.
    pub fn into_owned(self) -> HeaderLine<'static> {
        match self {
            HeaderLine::Field(f) => HeaderLine::Field(f.into_owned()),
            HeaderLine::Invalid { offset, raw, kind } => HeaderLine::Invalid {
                offset,
                raw: Cow::Owned(raw.into_owned()),
                kind,
            },
        }
    }
}

/// A header section: its lines in order ([RFC 5322 §3.5]).
///
/// [RFC 5322 §3.5]: https://www.rfc-editor.org/rfc/rfc5322#section-3.5
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Header<'a> {
    lines: Vec<HeaderLine<'a>>,
}

impl<'a> Header<'a> {
    pub(crate) fn push(&mut self, line: HeaderLine<'a>) {
        if self.lines.capacity() == 0 {
            self.lines.reserve(8);
        }
        self.lines.push(line);
    }

    /// All lines, fields and invalid ones, in order.
    pub fn lines(&self) -> &[HeaderLine<'a>] {
        &self.lines
    }

    /// The fields in order.
    pub fn fields(&self) -> impl Iterator<Item = &Field<'a>> {
        self.lines.iter().filter_map(|l| match l {
            HeaderLine::Field(f) => Some(f),
            HeaderLine::Invalid { .. } => None,
        })
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.fields().count()
    }

    /// Whether there are no fields.
    pub fn is_empty(&self) -> bool {
        self.fields().next().is_none()
    }

    /// The first field named `name` (ASCII case-insensitive).
    pub fn get(&self, name: &str) -> Option<&Field<'a>> {
        self.fields().find(|f| f.is(name))
    }

    /// Every field named `name`, in order.
    pub fn get_all<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Field<'a>> + 's {
        self.fields().filter(move |f| f.is(name))
    }

    /// Writes the section's lines.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        for line in &self.lines {
            out.extend_from_slice(line.raw());
        }
    }

    /// The decoded `Subject` ([RFC 5322 §3.6.5]).
    ///
    /// [RFC 5322 §3.6.5]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.5
    pub fn subject(&self) -> Option<Cow<'_, str>> {
        self.get("subject").map(Field::text)
    }

    /// The addresses of field `name` (`From`, `To`, `Cc`, `Reply-To`, …),
    /// parsed leniently ([RFC 5322 §3.6.2, §3.6.3]); defects dropped (use
    /// [`AddressList::parse`] to see them).
    pub fn addresses(&self, name: &str) -> Option<AddressList<'_>> {
        self.get(name)
            .map(|f| AddressList::parse(f.raw_value(), Mode::Lenient).0)
    }

    /// `From` ([RFC 5322 §3.6.2]).
    ///
    /// [RFC 5322 §3.6.2]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.2
    pub fn from(&self) -> Option<AddressList<'_>> {
        self.addresses("from")
    }

    /// `To` ([RFC 5322 §3.6.3]).
    ///
    /// [RFC 5322 §3.6.3]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.3
    pub fn to(&self) -> Option<AddressList<'_>> {
        self.addresses("to")
    }

    /// `Cc` ([RFC 5322 §3.6.3]).
    ///
    /// [RFC 5322 §3.6.3]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.3
    pub fn cc(&self) -> Option<AddressList<'_>> {
        self.addresses("cc")
    }

    /// `Date` ([RFC 5322 §3.6.1]), parsed with obsolete syntax allowed.
    ///
    /// [RFC 5322 §3.6.1]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.1
    pub fn date(&self) -> Option<DateTime<FixedOffset>> {
        self.get("date")
            .and_then(|f| crate::datetime::parse(f.raw_value()).ok())
    }

    /// `Message-ID` ([RFC 5322 §3.6.4]).
    ///
    /// [RFC 5322 §3.6.4]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.4
    pub fn message_id(&self) -> Option<MsgId<'_>> {
        self.get("message-id")
            .and_then(|f| crate::msgid::parse_list(f.raw_value()).into_iter().next())
    }

    /// `In-Reply-To` ([RFC 5322 §3.6.4]).
    ///
    /// [RFC 5322 §3.6.4]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.4
    pub fn in_reply_to(&self) -> Vec<MsgId<'_>> {
        self.get("in-reply-to")
            .map(|f| crate::msgid::parse_list(f.raw_value()))
            .unwrap_or_default()
    }

    /// `References` ([RFC 5322 §3.6.4]).
    ///
    /// [RFC 5322 §3.6.4]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.4
    pub fn references(&self) -> Vec<MsgId<'_>> {
        self.get("references")
            .map(|f| crate::msgid::parse_list(f.raw_value()))
            .unwrap_or_default()
    }

    /// `Content-Type` as written ([RFC 2045 §5]); `None` when absent. See
    /// [`Part::content_type`](crate::Part::content_type) for the type in
    /// force, defaults included.
    ///
    /// [RFC 2045 §5]: https://www.rfc-editor.org/rfc/rfc2045#section-5
    pub fn content_type(&self) -> Option<ContentType<'_>> {
        self.get("content-type")
            .map(|f| ContentType::parse(f.raw_value()).0)
    }

    /// `Content-Disposition` ([RFC 2183]).
    ///
    /// [RFC 2183]: https://www.rfc-editor.org/rfc/rfc2183
    pub fn content_disposition(&self) -> Option<ContentDisposition<'_>> {
        self.get("content-disposition")
            .map(|f| ContentDisposition::parse(f.raw_value()).0)
    }

    /// `Content-Transfer-Encoding` ([RFC 2045 §6]); `7bit` when absent.
    ///
    /// [RFC 2045 §6]: https://www.rfc-editor.org/rfc/rfc2045#section-6
    pub fn content_transfer_encoding(&self) -> TransferEncoding {
        self.get("content-transfer-encoding")
            .map(|f| TransferEncoding::parse(f.raw_value()))
            .unwrap_or_default()
    }

    /// `MIME-Version` ([RFC 2045 §4]).
    ///
    /// [RFC 2045 §4]: https://www.rfc-editor.org/rfc/rfc2045#section-4
    pub fn mime_version(&self) -> Option<MimeVersion> {
        self.get("mime-version")
            .and_then(|f| MimeVersion::parse(f.raw_value()))
    }

    /// Converts into an owned header.
    pub fn into_owned(self) -> Header<'static> {
        Header {
            lines: self.lines.into_iter().map(HeaderLine::into_owned).collect(),
        }
    }
}
