//! MIME parts to write: leaves from bytes or readers, multiparts, nested
//! messages ([RFC 2045], [RFC 2046 §5]), each with the transfer encoding
//! its content and the transport allow ([RFC 2045 §6]).
//!
//! [RFC 2045]: https://www.rfc-editor.org/rfc/rfc2045
//! [RFC 2046 §5]: https://www.rfc-editor.org/rfc/rfc2046#section-5
//! [RFC 2045 §6]: https://www.rfc-editor.org/rfc/rfc2045#section-6

use std::borrow::Cow;
use std::fmt;
use std::io::Read;

use super::fold::{Context, Folder, unstructured};
use super::parameter::{is_token_char, parameter_tokens};
use super::{BuildError, MessageBuilder, Transport};
use crate::transfer::TransferEncoding;

/// Deepest nesting of multiparts and messages the builder writes.
pub(crate) const MAX_DEPTH: usize = 64;

/// Where a leaf's content comes from.
pub enum Source<'a> {
    /// Bytes in memory (borrowed or owned).
    Bytes(Cow<'a, [u8]>),
    /// A reader, read once while the message is written, so the content is
    /// never held whole in memory.
    Reader(Box<dyn Read + 'a>),
}

impl fmt::Debug for Source<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bytes(b) => write!(f, "Bytes({} octets)", b.len()),
            Self::Reader(_) => f.write_str("Reader"),
        }
    }
}

#[derive(Debug)]
enum Content<'a> {
    Leaf(Source<'a>),
    Multipart(Vec<PartBuilder<'a>>),
    Message(Box<MessageBuilder<'a>>),
}

/// A MIME part to write.
///
/// ```
/// use mailwire_message::builder::PartBuilder;
/// let pdf = PartBuilder::bytes("application/pdf", b"%PDF-1.7".as_slice())
///     .attachment("résumé.pdf");
/// let logo = PartBuilder::bytes("image/png", b"\x89PNG".as_slice()).inline("logo@example.org");
/// # let _ = (pdf, logo);
/// ```
#[derive(Debug)]
pub struct PartBuilder<'a> {
    content_type: String,
    parameters: Vec<(String, String)>,
    disposition: Option<(String, Option<String>)>,
    content_id: Option<String>,
    fields: Vec<(String, String)>,
    encoding: Option<TransferEncoding>,
    content: Content<'a>,
}

/// Converts bare CR and LF to CRLF, the canonical form of text ([RFC 2046
/// §4.1.1]).
///
/// [RFC 2046 §4.1.1]: https://www.rfc-editor.org/rfc/rfc2046#section-4.1.1
pub(crate) fn canonical_text(text: Cow<'_, str>) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let clean = bytes.iter().enumerate().all(|(i, &b)| match b {
        b'\r' => bytes.get(i.saturating_add(1)) == Some(&b'\n'),
        b'\n' => i.checked_sub(1).and_then(|p| bytes.get(p)) == Some(&b'\r'),
        _ => true,
    });
    if clean {
        return text;
    }
    let mut out = String::with_capacity(text.len().saturating_add(text.len() / 16));
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\r\n");
            }
            '\n' => out.push_str("\r\n"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

impl<'a> PartBuilder<'a> {
    fn new(content_type: &str, content: Content<'a>) -> Self {
        Self {
            content_type: content_type.to_ascii_lowercase(),
            parameters: Vec::new(),
            disposition: None,
            content_id: None,
            fields: Vec::new(),
            encoding: None,
            content,
        }
    }

    /// A `text/plain; charset=utf-8` part; line endings become CRLF.
    pub fn text(text: impl Into<Cow<'a, str>>) -> Self {
        Self::text_as("text/plain", text)
    }

    /// A `text/html; charset=utf-8` part; line endings become CRLF.
    pub fn html(html: impl Into<Cow<'a, str>>) -> Self {
        Self::text_as("text/html", html)
    }

    /// A text part of type `content_type` with `charset=utf-8`.
    pub fn text_as(content_type: &str, text: impl Into<Cow<'a, str>>) -> Self {
        let text = match canonical_text(text.into()) {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        };
        Self::new(content_type, Content::Leaf(Source::Bytes(text))).parameter("charset", "utf-8")
    }

    /// A part holding `content` as it is (it gets transfer-encoded).
    pub fn bytes(content_type: &str, content: impl Into<Cow<'a, [u8]>>) -> Self {
        Self::new(content_type, Content::Leaf(Source::Bytes(content.into())))
    }

    /// A part whose content is read from `reader` while the message is
    /// written (base64, or quoted-printable for `text/*`).
    pub fn reader(content_type: &str, reader: impl Read + 'a) -> Self {
        Self::new(
            content_type,
            Content::Leaf(Source::Reader(Box::new(reader))),
        )
    }

    /// A `multipart/<subtype>` part ([RFC 2046 §5.1]).
    ///
    /// [RFC 2046 §5.1]: https://www.rfc-editor.org/rfc/rfc2046#section-5.1
    pub fn multipart(subtype: &str, parts: Vec<PartBuilder<'a>>) -> Self {
        Self::new(&format!("multipart/{subtype}"), Content::Multipart(parts))
    }

    /// A `message/rfc822` part holding a message to build ([RFC 2046 §5.2.1]).
    ///
    /// [RFC 2046 §5.2.1]: https://www.rfc-editor.org/rfc/rfc2046#section-5.2.1
    pub fn message(message: MessageBuilder<'a>) -> Self {
        Self::new("message/rfc822", Content::Message(Box::new(message)))
    }

    /// A `message/rfc822` part holding a message already written (a
    /// forwarded one, say).
    pub fn raw_message(message: impl Into<Cow<'a, [u8]>>) -> Self {
        Self::new(
            "message/rfc822",
            Content::Leaf(Source::Bytes(message.into())),
        )
    }

    /// Adds a `Content-Type` parameter.
    #[must_use]
    pub fn parameter(mut self, name: &str, value: &str) -> Self {
        self.parameters
            .retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.parameters.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Marks the part as an attachment named `filename` ([RFC 2183]); the
    /// name also goes into `Content-Type`'s `name` for older readers.
    ///
    /// [RFC 2183]: https://www.rfc-editor.org/rfc/rfc2183
    #[must_use]
    pub fn attachment(mut self, filename: &str) -> Self {
        self.disposition = Some(("attachment".into(), Some(filename.to_owned())));
        self.parameter("name", filename)
    }

    /// Marks the part inline with `Content-ID: <id>` ([RFC 2392]), for a
    /// `multipart/related` HTML body.
    ///
    /// [RFC 2392]: https://www.rfc-editor.org/rfc/rfc2392
    #[must_use]
    pub fn inline(mut self, content_id: &str) -> Self {
        let id = content_id.trim_start_matches('<').trim_end_matches('>');
        self.disposition = Some(("inline".into(), None));
        self.content_id = Some(id.to_owned());
        self
    }

    /// Adds an unstructured header field to the part.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.fields.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Forces a transfer encoding. Base64 and quoted-printable always
    /// apply; 7bit, 8bit and binary are refused at write time when the
    /// content or the transport does not allow them.
    #[must_use]
    pub fn transfer_encoding(mut self, encoding: TransferEncoding) -> Self {
        self.encoding = Some(encoding);
        self
    }
}

/// How a leaf's bytes are turned into output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Encoding {
    SevenBit,
    EightBit,
    Binary,
    QuotedPrintable,
    Base64,
}

impl Encoding {
    fn name(self) -> &'static str {
        match self {
            Self::SevenBit => "7bit",
            Self::EightBit => "8bit",
            Self::Binary => "binary",
            Self::QuotedPrintable => "quoted-printable",
            Self::Base64 => "base64",
        }
    }

    /// The class the enclosing entities must declare ([RFC 2045 §6.4]).
    ///
    /// [RFC 2045 §6.4]: https://www.rfc-editor.org/rfc/rfc2045#section-6.4
    fn class(self) -> Encoding {
        match self {
            Self::QuotedPrintable | Self::Base64 => Self::SevenBit,
            other => other,
        }
    }
}

/// One piece of output: bytes ready to go, or a source to encode.
#[derive(Debug)]
pub(crate) enum Segment<'a> {
    Ready(Vec<u8>),
    Encode(Source<'a>, Encoding),
}

/// Collects the segments of a message.
#[derive(Debug)]
pub(crate) struct Emitter<'a> {
    pub(crate) segments: Vec<Segment<'a>>,
    pub(crate) transport: Transport,
    pub(crate) utf8: bool,
    pub(crate) seed: u64,
    pub(crate) boundaries: u32,
}

impl<'a> Emitter<'a> {
    pub(crate) fn ready(&mut self, bytes: &[u8]) {
        if let Some(Segment::Ready(last)) = self.segments.last_mut() {
            last.extend_from_slice(bytes);
        } else {
            self.segments.push(Segment::Ready(bytes.to_vec()));
        }
    }

    fn boundary(&mut self) -> String {
        self.boundaries = self.boundaries.wrapping_add(1);
        // "=_" never occurs in base64 or quoted-printable output, and 7bit,
        // 8bit or binary content holding this message's marker (see
        // `marker`) is re-encoded. Fixed width: no boundary is a prefix of
        // another.
        format!("=_mw{:016x}.{:08x}", self.seed, self.boundaries)
    }

    /// The start of every delimiter line of this message.
    fn marker(&self) -> String {
        format!("--=_mw{:016x}", self.seed)
    }

    fn child(&self) -> Emitter<'a> {
        Emitter {
            segments: Vec::new(),
            transport: self.transport,
            utf8: self.utf8,
            seed: self.seed,
            boundaries: self.boundaries.wrapping_mul(1000),
        }
    }
}

/// What a leaf held in memory allows, from one scan.
#[derive(Debug, Clone, Copy)]
struct Scan {
    /// Lines of at most 998 octets ending in CRLF, no NUL, no line that
    /// could be taken for one of our delimiters.
    clean: bool,
    /// Octets above 127.
    eight: usize,
}

fn scan(content: &[u8], is_text: bool, marker: &[u8]) -> Scan {
    let mut eight = 0usize;
    let mut clean = true;
    let mut line = 0usize;
    let mut previous = b'\n';
    for (i, &b) in content.iter().enumerate() {
        if previous == b'\n'
            && b == b'-'
            && content
                .get(i..)
                .is_some_and(|rest| rest.starts_with(marker))
        {
            clean = false;
        }
        match b {
            0 => clean = false,
            b'\r' if content.get(i.saturating_add(1)) != Some(&b'\n') => clean = false,
            b'\r' => {}
            b'\n' => {
                if previous != b'\r' {
                    clean = false;
                }
                line = 0;
            }
            0x80..=0xff => eight = eight.saturating_add(1),
            _ => {}
        }
        if b != b'\n' && b != b'\r' {
            line = line.saturating_add(1);
            if line > 998 {
                clean = false;
            }
        }
        previous = b;
        if !clean && (eight > 0 || !is_text) {
            break;
        }
    }
    Scan { clean, eight }
}

impl Scan {
    fn allows(
        self,
        encoding: Encoding,
        content: &[u8],
        transport: Transport,
        marker: &[u8],
    ) -> bool {
        match encoding {
            Encoding::SevenBit => self.clean && self.eight == 0,
            Encoding::EightBit => self.clean && transport >= Transport::EightBit,
            Encoding::Binary => {
                transport == Transport::Binary
                    && !content.windows(marker.len()).any(|w| w == marker)
            }
            Encoding::QuotedPrintable | Encoding::Base64 => true,
        }
    }
}

/// The transfer encoding for a leaf held in memory: the first identity
/// encoding allowed, else quoted-printable for mostly-ASCII text, else
/// base64.
fn choose(content: &[u8], is_text: bool, transport: Transport, marker: &[u8]) -> (Encoding, Scan) {
    let scan = scan(content, is_text, marker);
    for encoding in [Encoding::SevenBit, Encoding::EightBit, Encoding::Binary] {
        if scan.allows(encoding, content, transport, marker) {
            return (encoding, scan);
        }
    }
    if is_text && scan.eight.saturating_mul(2) <= content.len() {
        (Encoding::QuotedPrintable, scan)
    } else {
        (Encoding::Base64, scan)
    }
}

fn field(out: &mut Vec<u8>, name: &str, tokens: &[String]) -> Result<(), BuildError> {
    let mut folder = Folder::new(out, name)?;
    let last = tokens.len().saturating_sub(1);
    for (i, token) in tokens.iter().enumerate() {
        if i == last {
            folder.token(token.as_bytes())?;
        } else {
            folder.token(format!("{token};").as_bytes())?;
        }
    }
    folder.finish();
    Ok(())
}

impl<'a> PartBuilder<'a> {
    /// Writes the part: `prefix` (the message's own fields, for a top-level
    /// part), its MIME fields, the blank line and the body. Returns the
    /// encoding class of what was written.
    pub(crate) fn emit(
        self,
        em: &mut Emitter<'a>,
        prefix: Vec<u8>,
        depth: usize,
    ) -> Result<Encoding, BuildError> {
        if depth > MAX_DEPTH {
            return Err(BuildError::TooDeep { limit: MAX_DEPTH });
        }
        let mut header = prefix;
        let mut content_type = vec![self.content_type.clone()];
        if !self
            .content_type
            .split('/')
            .all(|p| !p.is_empty() && p.bytes().all(is_token_char))
            || self.content_type.matches('/').count() != 1
        {
            return Err(BuildError::InvalidContentType(self.content_type));
        }
        for (name, value) in &self.parameters {
            content_type.extend(parameter_tokens(name, value)?);
        }
        let mut extra = Vec::new();
        if let Some((kind, filename)) = &self.disposition {
            let mut tokens = vec![kind.clone()];
            if let Some(filename) = filename {
                tokens.extend(parameter_tokens("filename", filename)?);
            }
            field(&mut extra, "Content-Disposition", &tokens)?;
        }
        if let Some(id) = &self.content_id {
            field(&mut extra, "Content-ID", &[format!("<{id}>")])?;
        }
        for (name, value) in &self.fields {
            let mut folder = Folder::new(&mut extra, name)?;
            unstructured(&mut folder, value, Context::Text, em.utf8)?;
            folder.finish();
        }
        match self.content {
            Content::Leaf(source) => {
                let is_text = self.content_type.starts_with("text/");
                let encoding = match (&source, self.encoding) {
                    (_, Some(TransferEncoding::Base64)) => Encoding::Base64,
                    (_, Some(TransferEncoding::QuotedPrintable)) => Encoding::QuotedPrintable,
                    (Source::Bytes(bytes), forced) => {
                        let marker = em.marker();
                        let (natural, scan) =
                            choose(bytes, is_text, em.transport, marker.as_bytes());
                        let wanted = match forced {
                            Some(TransferEncoding::SevenBit) => Encoding::SevenBit,
                            Some(TransferEncoding::EightBit) => Encoding::EightBit,
                            Some(TransferEncoding::Binary) => Encoding::Binary,
                            _ => natural,
                        };
                        if !scan.allows(wanted, bytes, em.transport, marker.as_bytes()) {
                            return Err(BuildError::EncodingNotAllowed(wanted.name()));
                        }
                        wanted
                    }
                    (Source::Reader(_), _) if em.transport == Transport::Binary => Encoding::Binary,
                    (Source::Reader(_), _) if is_text => Encoding::QuotedPrintable,
                    (Source::Reader(_), _) => Encoding::Base64,
                };
                let is_message = self.content_type == "message/rfc822";
                let encoding = if is_message && encoding >= Encoding::QuotedPrintable {
                    // RFC 2046 §5.2.1 allows only identity encodings; a
                    // message that needs more is sent as an opaque file.
                    return Emitter::leaf_fallback(em, header, content_type, extra, source);
                } else {
                    encoding
                };
                field(&mut header, "Content-Type", &content_type)?;
                if encoding != Encoding::SevenBit {
                    field(
                        &mut header,
                        "Content-Transfer-Encoding",
                        &[encoding.name().to_owned()],
                    )?;
                }
                header.extend_from_slice(&extra);
                header.extend_from_slice(b"\r\n");
                em.ready(&header);
                em.segments.push(Segment::Encode(source, encoding));
                Ok(encoding.class())
            }
            Content::Multipart(parts) => {
                let boundary = em.boundary();
                content_type.push(format!("boundary=\"{boundary}\""));
                let mut body = em.child();
                let mut class = Encoding::SevenBit;
                for part in parts {
                    body.ready(format!("--{boundary}\r\n").as_bytes());
                    class = class.max(part.emit(&mut body, Vec::new(), depth.saturating_add(1))?);
                    body.ready(b"\r\n");
                }
                body.ready(format!("--{boundary}--\r\n").as_bytes());
                field(&mut header, "Content-Type", &content_type)?;
                if class != Encoding::SevenBit {
                    field(
                        &mut header,
                        "Content-Transfer-Encoding",
                        &[class.name().to_owned()],
                    )?;
                }
                header.extend_from_slice(&extra);
                header.extend_from_slice(b"\r\n");
                em.ready(&header);
                em.boundaries = body.boundaries;
                em.segments.append(&mut body.segments);
                Ok(class)
            }
            Content::Message(message) => {
                let mut body = em.child();
                let class = message.emit(&mut body, depth.saturating_add(1))?;
                field(&mut header, "Content-Type", &content_type)?;
                if class != Encoding::SevenBit {
                    field(
                        &mut header,
                        "Content-Transfer-Encoding",
                        &[class.name().to_owned()],
                    )?;
                }
                header.extend_from_slice(&extra);
                header.extend_from_slice(b"\r\n");
                em.ready(&header);
                em.segments.append(&mut body.segments);
                Ok(class)
            }
        }
    }
}

impl<'a> Emitter<'a> {
    /// A `message/rfc822` whose bytes cannot go as they are: sent as
    /// `application/octet-stream` in base64 instead.
    fn leaf_fallback(
        em: &mut Emitter<'a>,
        mut header: Vec<u8>,
        mut content_type: Vec<String>,
        extra: Vec<u8>,
        source: Source<'a>,
    ) -> Result<Encoding, BuildError> {
        if let Some(first) = content_type.first_mut() {
            "application/octet-stream".clone_into(first);
        }
        content_type.push("name=\"message.eml\"".into());
        field(&mut header, "Content-Type", &content_type)?;
        field(
            &mut header,
            "Content-Transfer-Encoding",
            &["base64".to_owned()],
        )?;
        header.extend_from_slice(&extra);
        header.extend_from_slice(b"\r\n");
        em.ready(&header);
        em.segments.push(Segment::Encode(source, Encoding::Base64));
        Ok(Encoding::SevenBit)
    }
}
