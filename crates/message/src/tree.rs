//! The whole-buffer parser: a lossless, zero-copy tree.
//!
//! [`parse`] reads a complete message into a [`Message`] that borrows from
//! the input. Every byte of the input belongs to exactly one node: header
//! lines, the blank separator line, leaf bodies, preambles, delimiter lines
//! (with the line ending before them, which RFC 2046 §5.1.1 assigns to the
//! delimiter) and epilogues. [`Message::write_to`] concatenates them again,
//! so re-emitting reproduces the input byte for byte, malformed or not.
//!
//! ```
//! use mailwire_message::{Body, parse};
//!
//! let input = b"Content-Type: multipart/mixed; boundary=X\r\n\r\npreamble\r\n--X\r\n\r\none\r\n--X\r\nContent-Type: text/html\r\n\r\n<p>two</p>\r\n--X--\r\nepilogue";
//! let message = parse(input);
//! let Body::Multipart(multipart) = message.root().body() else { panic!() };
//! assert_eq!(multipart.preamble(), b"preamble");
//! assert_eq!(multipart.parts().len(), 2);
//! assert_eq!(multipart.parts()[0].body_bytes(), b"one");
//! assert_eq!(multipart.parts()[1].content_type().essence(), "text/html");
//! assert_eq!(multipart.epilogue(), b"epilogue");
//! assert_eq!(message.to_bytes(), input);
//! assert!(message.defects().is_empty());
//! ```

use std::borrow::Cow;

use mailwire_core::error::Offset;

use crate::charset;
use crate::defect::Defect;
use crate::engine::{BodyKind, Engine, Raw};
use crate::header::{Field, Header, HeaderLine};
use crate::limits::Limits;
use crate::mime::ContentType;
use crate::transfer::TransferEncoding;

/// The `charset` parameter of a plain `Content-Type` value, found without
/// the full parser: `Some(Some(label))`, `Some(None)` when there is none, or
/// `None` when the value uses comments, quoted pairs or RFC 2231 syntax and
/// needs [`ContentType::parse`].
fn simple_charset(value: &[u8]) -> Option<Option<Cow<'_, str>>> {
    if value
        .iter()
        .any(|&b| matches!(b, b'(' | b'\\' | b'*' | b'\r' | b'\n'))
    {
        return None;
    }
    let mut params = value.split(|&b| b == b';');
    params.next()?;
    for param in params {
        // A quoted string must sit whole in its piece: a ";" inside one
        // would have split it.
        let quotes = memchr::memchr_iter(b'"', param).count();
        let value_part = param
            .splitn(2, |&b| b == b'=')
            .nth(1)
            .map(crate::lexical::trim);
        let wrapped =
            value_part.is_some_and(|v| v.len() >= 2 && v.starts_with(b"\"") && v.ends_with(b"\""));
        if quotes != 0 && !(quotes == 2 && wrapped) {
            return None;
        }
        let (name, v) = match memchr::memchr(b'=', param) {
            Some(eq) => (param.get(..eq)?, param.get(eq + 1..)?),
            None => continue,
        };
        if !crate::lexical::trim(name).eq_ignore_ascii_case(b"charset") {
            continue;
        }
        let v = crate::lexical::trim(v);
        let v = match v.strip_prefix(b"\"") {
            Some(rest) => rest.strip_suffix(b"\"")?,
            None => v,
        };
        let label = std::str::from_utf8(crate::lexical::trim(v)).ok()?;
        return Some(Some(if label.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(label.to_ascii_lowercase())
        } else {
            Cow::Borrowed(label)
        }));
    }
    Some(None)
}

/// A parsed message: its top-level part and every defect found, in input
/// order ([RFC 5322 §3.5]).
///
/// [RFC 5322 §3.5]: https://www.rfc-editor.org/rfc/rfc5322#section-3.5
///
/// ```
/// use mailwire_message::defect::DefectKind;
///
/// // Malformed: the multipart never closes. Parsing still succeeds.
/// let input = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\npart\r\n";
/// let message = mailwire_message::parse(input);
/// assert_eq!(message.root().parts()[0].body_bytes(), b"part\r\n");
/// assert_eq!(message.defects()[0].kind, DefectKind::CloseBoundaryNotFound);
/// assert_eq!(message.defects()[0].offset, input.len() as u64);
/// assert_eq!(message.to_bytes(), input);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message<'a> {
    root: Part<'a>,
    defects: Vec<Defect>,
}

/// A MIME entity (RFC 2045 §2.4): header section, separator and body.
///
/// ```
/// let message = mailwire_message::parse(b"Content-Type: text/plain; charset=utf-8\r\n\r\nh\xc3\xa9");
/// let part = message.root();
/// assert_eq!((part.offset(), part.body_offset(), part.depth()), (0, 43, 0));
/// assert_eq!(part.separator(), b"\r\n");
/// assert_eq!(part.content_type().charset().as_deref(), Some("utf-8"));
/// assert_eq!(part.text().0, "hé");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'a> {
    offset: Offset,
    depth: usize,
    header: Header<'a>,
    separator: Cow<'a, [u8]>,
    in_digest: bool,
    text: bool,
    transfer_encoding: TransferEncoding,
    body_offset: Offset,
    body: Body<'a>,
}

/// What a part's body holds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Body<'a> {
    /// Bytes not parsed further, still transfer-encoded.
    Leaf(Cow<'a, [u8]>),
    /// A multipart body ([RFC 2046 §5.1]).
    ///
    /// [RFC 2046 §5.1]: https://www.rfc-editor.org/rfc/rfc2046#section-5.1
    Multipart(Multipart<'a>),
    /// A nested message (`message/rfc822`, [RFC 2046 §5.2.1]).
    ///
    /// [RFC 2046 §5.2.1]: https://www.rfc-editor.org/rfc/rfc2046#section-5.2.1
    Message(Box<Part<'a>>),
}

/// A multipart body: preamble, delimited parts, close delimiter, epilogue.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Multipart<'a> {
    preamble: Cow<'a, [u8]>,
    delimiters: Vec<Cow<'a, [u8]>>,
    parts: Vec<Part<'a>>,
    close: Option<Cow<'a, [u8]>>,
    epilogue: Cow<'a, [u8]>,
}

impl<'a> Multipart<'a> {
    /// The preamble, without the line ending before the first delimiter.
    pub fn preamble(&self) -> &[u8] {
        &self.preamble
    }

    /// The body parts.
    pub fn parts(&self) -> &[Part<'a>] {
        &self.parts
    }

    /// The delimiter line before each part, with the line ending that
    /// precedes it and its own.
    pub fn delimiters(&self) -> &[Cow<'a, [u8]>] {
        &self.delimiters
    }

    /// The close delimiter line, if it was found.
    pub fn close_delimiter(&self) -> Option<&[u8]> {
        self.close.as_deref()
    }

    /// The epilogue: what follows the close delimiter line.
    pub fn epilogue(&self) -> &[u8] {
        &self.epilogue
    }

    fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.preamble);
        for (delimiter, part) in self.delimiters.iter().zip(&self.parts) {
            out.extend_from_slice(delimiter);
            part.write_to(out);
        }
        if let Some(close) = &self.close {
            out.extend_from_slice(close);
        }
        out.extend_from_slice(&self.epilogue);
    }

    fn into_owned(self) -> Multipart<'static> {
        Multipart {
            preamble: owned(self.preamble),
            delimiters: self.delimiters.into_iter().map(owned).collect(),
            parts: self.parts.into_iter().map(Part::into_owned).collect(),
            close: self.close.map(owned),
            epilogue: owned(self.epilogue),
        }
    }
}

fn owned(c: Cow<'_, [u8]>) -> Cow<'static, [u8]> {
    Cow::Owned(c.into_owned())
}

impl<'a> Part<'a> {
    /// Absolute offset of the part's first byte (its first header line).
    pub fn offset(&self) -> Offset {
        self.offset
    }

    /// Nesting depth: 0 for the top-level message.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The header section.
    pub fn header(&self) -> &Header<'a> {
        &self.header
    }

    /// The blank line ending the header section (empty if it was missing).
    pub fn separator(&self) -> &[u8] {
        &self.separator
    }

    /// The content type in force: the first `Content-Type` field, or the
    /// default (`text/plain`, or `message/rfc822` inside `multipart/digest`,
    /// RFC 2046 §5.1.5). Parsed from the header on each call.
    pub fn content_type(&self) -> ContentType<'_> {
        match self.header.get("content-type") {
            Some(field) => ContentType::parse(field.raw_value()).0,
            None if self.in_digest => ContentType::message_rfc822(),
            None => ContentType::text_plain(),
        }
    }

    /// Whether the content type in force is `text/*` (the default
    /// `text/plain` included), without parsing the field again.
    ///
    /// ```
    /// let m = mailwire_message::parse(b"Content-Type: TEXT/html\r\n\r\n<p>");
    /// assert!(m.root().is_text());
    /// assert!(!mailwire_message::parse(b"Content-Type: image/png\r\n\r\n").root().is_text());
    /// ```
    pub fn is_text(&self) -> bool {
        self.text
    }

    /// The `Content-Transfer-Encoding` in force.
    pub fn transfer_encoding(&self) -> &TransferEncoding {
        &self.transfer_encoding
    }

    /// The body.
    pub fn body(&self) -> &Body<'a> {
        &self.body
    }

    /// Absolute offset of the body's first byte.
    pub fn body_offset(&self) -> Offset {
        self.body_offset
    }

    /// The raw bytes of a leaf body (empty for other bodies).
    pub fn body_bytes(&self) -> &[u8] {
        match &self.body {
            Body::Leaf(b) => b,
            Body::Multipart(_) | Body::Message(_) => &[],
        }
    }

    /// The body parts of a multipart body.
    pub fn parts(&self) -> &[Part<'a>] {
        match &self.body {
            Body::Multipart(m) => m.parts(),
            Body::Leaf(_) | Body::Message(_) => &[],
        }
    }

    /// The leaf body after transfer decoding ([RFC 2045 §6]), with the
    /// decoding defects. Identity encodings borrow.
    ///
    /// [RFC 2045 §6]: https://www.rfc-editor.org/rfc/rfc2045#section-6
    ///
    /// ```
    /// let m = mailwire_message::parse(b"Content-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n");
    /// let (bytes, defects) = m.root().decoded_body();
    /// assert_eq!((&*bytes, defects.len()), (&b"hello"[..], 0));
    /// ```
    pub fn decoded_body(&self) -> (Cow<'_, [u8]>, Vec<Defect>) {
        self.transfer_encoding
            .decode(self.body_bytes(), self.body_offset)
    }

    /// The leaf body as text: transfer-decoded, then read in its `charset`
    /// (`us-ascii` by default, RFC 2046 §4.1.2).
    ///
    /// ```
    /// let m = mailwire_message::parse(
    ///     b"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=E9",
    /// );
    /// assert_eq!(m.root().text().0, "café");
    /// ```
    pub fn text(&self) -> (Cow<'_, str>, Vec<Defect>) {
        let (bytes, mut defects) = self.decoded_body();
        let simple = self
            .header
            .get("content-type")
            .map(|f| simple_charset(f.raw_value()));
        let label: Cow<'_, str> = match simple {
            // No field: the default charset (RFC 2046 §4.1.2).
            None | Some(Some(None)) => Cow::Borrowed("us-ascii"),
            Some(Some(Some(label))) => label,
            // Anything unusual goes through the full parser.
            Some(None) => self
                .content_type()
                .charset()
                .map_or(Cow::Borrowed("us-ascii"), |c| Cow::Owned(c.into_owned())),
        };
        let label = label.as_ref();
        let (text, defect) = match bytes {
            Cow::Borrowed(b) => charset::decode(label, b),
            Cow::Owned(v) => {
                let (t, d) = charset::decode(label, &v);
                (Cow::Owned(t.into_owned()), d)
            }
        };
        defects.extend(defect.map(|k| Defect::new(k, self.body_offset)));
        (text, defects)
    }

    /// Every leaf part under this one, depth first: parts of multipart
    /// bodies and the parts of nested messages, never the containers.
    ///
    /// ```
    /// let m = mailwire_message::parse(b"Content-Type: multipart/mixed; boundary=b\n\n--b\n\na\n--b\nContent-Type: message/rfc822\n\nSubject: inner\n\nb\n--b--\n");
    /// let leaves: Vec<_> = m.root().leaves().map(|p| p.body_bytes()).collect();
    /// assert_eq!(leaves, [&b"a"[..], &b"b"[..]]);
    /// ```
    pub fn leaves(&self) -> impl Iterator<Item = &Part<'a>> {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            while let Some(part) = stack.pop() {
                match &part.body {
                    Body::Leaf(_) => return Some(part),
                    Body::Multipart(m) => stack.extend(m.parts.iter().rev()),
                    Body::Message(inner) => stack.push(inner),
                }
            }
            None
        })
    }

    /// Re-emits the part's bytes.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        self.header.write_to(out);
        out.extend_from_slice(&self.separator);
        match &self.body {
            Body::Leaf(b) => out.extend_from_slice(b),
            Body::Multipart(m) => m.write_to(out),
            Body::Message(inner) => inner.write_to(out),
        }
    }

    /// Converts into an owned part.
    pub fn into_owned(self) -> Part<'static> {
        Part {
            offset: self.offset,
            depth: self.depth,
            header: self.header.into_owned(),
            separator: owned(self.separator),
            in_digest: self.in_digest,
            text: self.text,
            transfer_encoding: self.transfer_encoding,
            body_offset: self.body_offset,
            body: match self.body {
                Body::Leaf(b) => Body::Leaf(owned(b)),
                Body::Multipart(m) => Body::Multipart(m.into_owned()),
                Body::Message(inner) => Body::Message(Box::new(inner.into_owned())),
            },
        }
    }
}

impl<'a> Message<'a> {
    /// The top-level part.
    pub fn root(&self) -> &Part<'a> {
        &self.root
    }

    /// The top-level header section.
    pub fn header(&self) -> &Header<'a> {
        &self.root.header
    }

    /// The defects found while parsing, in input order. Decoding defects
    /// come from [`Part::decoded_body`] and [`Part::text`].
    pub fn defects(&self) -> &[Defect] {
        &self.defects
    }

    /// Re-emits the message: the exact input bytes.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        self.root.write_to(out);
    }

    /// Re-emits the message into a new vector.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_to(&mut out);
        out
    }

    /// Converts into an owned message that outlives the input.
    ///
    /// ```
    /// let owned: mailwire_message::Message<'static> = {
    ///     let input = b"Subject: x\r\n\r\nbody".to_vec();
    ///     mailwire_message::parse(&input).into_owned()
    /// };
    /// assert_eq!(owned.root().body_bytes(), b"body");
    /// ```
    pub fn into_owned(self) -> Message<'static> {
        Message {
            root: self.root.into_owned(),
            defects: self.defects,
        }
    }
}

/// Parses a whole message with the default [`Limits`]. Never fails: defects
/// are listed in [`Message::defects`].
///
/// ```
/// let message = mailwire_message::parse(b"Subject: hello\r\n\r\nbody");
/// assert_eq!(message.header().subject().as_deref(), Some("hello"));
/// assert_eq!(message.root().body_bytes(), b"body");
/// ```
pub fn parse(input: &[u8]) -> Message<'_> {
    parse_with(input, Limits::default())
}

/// Parses a whole message with the given limits.
pub fn parse_with(input: &[u8], limits: Limits) -> Message<'_> {
    let mut engine = Engine::new(limits);
    let mut builder = Builder::default();
    while let Some(raw) = engine.next(input, 0, true) {
        let data = raw_bytes(&raw, input, 0);
        builder.event(raw, Cow::Borrowed(data));
    }
    builder.finish()
}

/// A header section parsed on its own: see [`parse_header`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderSection<'a> {
    /// The fields and invalid lines.
    pub header: Header<'a>,
    /// The offset of the body: just past the blank separator line.
    pub body_offset: Offset,
    /// Defects of the header section.
    pub defects: Vec<Defect>,
}

/// Parses only the top-level header section ([RFC 5322 §2.1]) and stops
/// where the body starts, without looking at the body at all.
///
/// [RFC 5322 §2.1]: https://www.rfc-editor.org/rfc/rfc5322#section-2.1
///
/// ```
/// let section = mailwire_message::parse_header(b"Subject: hi\r\n\r\nbody", Default::default());
/// assert_eq!(section.header.subject().as_deref(), Some("hi"));
/// assert_eq!(section.body_offset, 15);
/// ```
pub fn parse_header(input: &[u8], limits: Limits) -> HeaderSection<'_> {
    let mut engine = Engine::new(limits);
    let mut section = HeaderSection {
        header: Header::default(),
        body_offset: 0,
        defects: Vec::new(),
    };
    while let Some(raw) = engine.next(input, 0, true) {
        let data = Cow::Borrowed(raw_bytes(&raw, input, 0));
        match raw {
            Raw::Field {
                start, name_len, ..
            } => {
                section
                    .header
                    .push(HeaderLine::Field(Field::from_parts(data, start, name_len)));
            }
            Raw::InvalidLine { start, kind, .. } => {
                section.header.push(HeaderLine::Invalid {
                    offset: start,
                    raw: data,
                    kind,
                });
            }
            Raw::Defect(d) => section.defects.push(d),
            Raw::HeaderEnd { start, len, .. } => {
                section.body_offset = start.saturating_add(len as u64);
                break;
            }
            _ => {}
        }
    }
    section
}

/// The bytes an event covers, from a window starting at `base`.
pub(crate) fn raw_bytes<'w>(raw: &Raw, window: &'w [u8], base: Offset) -> &'w [u8] {
    let (start, len) = match *raw {
        Raw::Field { start, len, .. }
        | Raw::InvalidLine { start, len, .. }
        | Raw::HeaderEnd { start, len, .. }
        | Raw::Body { start, len }
        | Raw::Preamble { start, len }
        | Raw::Delimiter { start, len, .. }
        | Raw::Epilogue { start, len } => (start, len),
        Raw::PartBegin { .. } | Raw::PartEnd { .. } | Raw::Defect(_) | Raw::End => return &[],
    };
    let Ok(rel) = usize::try_from(start.saturating_sub(base)) else {
        return &[];
    };
    window.get(rel..rel.saturating_add(len)).unwrap_or_default()
}

struct Node<'a> {
    part: Part<'a>,
    body: Chunks<'a>,
    preamble: Chunks<'a>,
    epilogue: Chunks<'a>,
    pending_delimiter: Option<Cow<'a, [u8]>>,
    delimiter: Option<Cow<'a, [u8]>>,
}

/// Builds a tree from engine events and the bytes they cover.
#[derive(Default)]
pub(crate) struct Builder<'a> {
    stack: Vec<Node<'a>>,
    defects: Vec<Defect>,
    root: Option<Part<'a>>,
}

/// Body pieces: usually one (the whole-buffer parser borrows it), more
/// when streaming.
#[derive(Default)]
struct Chunks<'a> {
    first: Option<Cow<'a, [u8]>>,
    rest: Vec<Cow<'a, [u8]>>,
}

impl<'a> Chunks<'a> {
    fn push(&mut self, chunk: Cow<'a, [u8]>) {
        if self.first.is_none() {
            self.first = Some(chunk);
        } else {
            self.rest.push(chunk);
        }
    }

    fn join(self) -> Cow<'a, [u8]> {
        let Some(first) = self.first else {
            return Cow::Borrowed(&[]);
        };
        if self.rest.is_empty() {
            return first;
        }
        let mut v = first.into_owned();
        for c in self.rest {
            v.extend_from_slice(&c);
        }
        Cow::Owned(v)
    }
}

impl<'a> Builder<'a> {
    pub(crate) fn event(&mut self, raw: Raw, data: Cow<'a, [u8]>) {
        match raw {
            Raw::PartBegin { start, depth } => {
                let delimiter = self
                    .stack
                    .last_mut()
                    .and_then(|n| n.pending_delimiter.take());
                self.stack.push(Node {
                    part: Part {
                        offset: start,
                        depth,
                        header: Header::default(),
                        separator: Cow::Borrowed(&[]),
                        in_digest: false,
                        text: true,
                        transfer_encoding: TransferEncoding::default(),
                        body_offset: start,
                        body: Body::Leaf(Cow::Borrowed(&[])),
                    },
                    body: Chunks::default(),
                    preamble: Chunks::default(),
                    epilogue: Chunks::default(),
                    pending_delimiter: None,
                    delimiter,
                });
            }
            Raw::Field {
                start, name_len, ..
            } => {
                let field = Field::from_parts(data, start, name_len);
                if let Some(n) = self.stack.last_mut() {
                    n.part.header.push(HeaderLine::Field(field));
                }
            }
            Raw::InvalidLine { start, kind, .. } => {
                if let Some(n) = self.stack.last_mut() {
                    n.part.header.push(HeaderLine::Invalid {
                        offset: start,
                        raw: data,
                        kind,
                    });
                }
            }
            Raw::HeaderEnd {
                start,
                len,
                kind,
                in_digest,
                text,
                transfer_encoding,
            } => {
                if let Some(n) = self.stack.last_mut() {
                    n.part.separator = data;
                    n.part.in_digest = in_digest;
                    n.part.text = text;
                    n.part.transfer_encoding = transfer_encoding;
                    n.part.body_offset = start.saturating_add(len as u64);
                    if kind == BodyKind::Multipart {
                        n.part.body = Body::Multipart(Multipart::default());
                    }
                }
            }
            Raw::Body { .. } => {
                if let Some(n) = self.stack.last_mut() {
                    n.body.push(data);
                }
            }
            Raw::Preamble { .. } => {
                if let Some(n) = self.stack.last_mut() {
                    n.preamble.push(data);
                }
            }
            Raw::Epilogue { .. } => {
                if let Some(n) = self.stack.last_mut() {
                    n.epilogue.push(data);
                }
            }
            Raw::Delimiter { close, .. } => {
                if let Some(n) = self.stack.last_mut() {
                    if close {
                        if let Body::Multipart(m) = &mut n.part.body {
                            m.close = Some(data);
                        }
                    } else {
                        // Repeated delimiter lines stay with the delimiter.
                        n.pending_delimiter = Some(match n.pending_delimiter.take() {
                            Some(before) => {
                                let mut joined = before.into_owned();
                                joined.extend_from_slice(&data);
                                Cow::Owned(joined)
                            }
                            None => data,
                        });
                    }
                }
            }
            Raw::PartEnd { .. } => self.end_part(),
            Raw::Defect(d) => self.defects.push(d),
            Raw::End => {}
        }
    }

    fn end_part(&mut self) {
        let Some(node) = self.stack.pop() else { return };
        let mut part = node.part;
        match &mut part.body {
            Body::Leaf(b) => *b = node.body.join(),
            Body::Multipart(m) => {
                m.preamble = node.preamble.join();
                m.epilogue = node.epilogue.join();
            }
            Body::Message(_) => {}
        }
        match self.stack.last_mut() {
            None => self.root = Some(part),
            Some(parent) => match &mut parent.part.body {
                Body::Multipart(m) => {
                    m.delimiters
                        .push(node.delimiter.unwrap_or(Cow::Borrowed(&[])));
                    m.parts.push(part);
                }
                Body::Leaf(_) | Body::Message(_) => {
                    parent.part.body = Body::Message(Box::new(part))
                }
            },
        }
    }

    pub(crate) fn finish(mut self) -> Message<'a> {
        while !self.stack.is_empty() {
            self.end_part();
        }
        let root = self.root.unwrap_or_else(|| Part {
            offset: 0,
            depth: 0,
            header: Header::default(),
            separator: Cow::Borrowed(&[]),
            in_digest: false,
            text: true,
            transfer_encoding: TransferEncoding::default(),
            body_offset: 0,
            body: Body::Leaf(Cow::Borrowed(&[])),
        });
        Message {
            root,
            defects: self.defects,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_charset_agrees_with_the_parser() {
        for value in [
            &b" text/plain; charset=UTF-8"[..],
            b"text/plain; format=flowed; charset=\"iso-8859-1\"",
            b"text/plain",
            b"text/html; charset = koi8-r ",
            b"text/plain; charset=\"a;b\"",
            b"text/plain; charset*=utf-8''x",
            b"text/plain (c); charset=x",
            b"text/plain; name=\"x;charset=y\"; charset=z",
            b"text/plain; name=\"a\"; charset=\"utf-8\"",
        ] {
            let full = ContentType::parse(value)
                .0
                .charset()
                .map(|c| c.into_owned());
            if let Some(simple) = simple_charset(value) {
                assert_eq!(
                    simple.map(|c| c.into_owned()),
                    full,
                    "{}",
                    value.escape_ascii()
                );
            }
        }
        assert!(simple_charset(b"text/plain; charset*=utf-8''x").is_none());
    }

    proptest::proptest! {
        #[test]
        fn simple_charset_never_disagrees(value in "text/plain(;[ (]{0,2}(charset|CharSet|name|x)\\*?[ ]?=[ ]?\"?[a-zA-Z0-9;*'()\\\\ -]{0,8}\"?)*") {
            let full = ContentType::parse(value.as_bytes()).0.charset().map(|c| c.into_owned());
            if let Some(simple) = simple_charset(value.as_bytes()) {
                proptest::prop_assert_eq!(simple.map(|c| c.into_owned()), full);
            }
        }
    }
}
