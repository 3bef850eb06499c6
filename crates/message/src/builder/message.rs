//! The message builder: header fields and body assembly.

use std::borrow::Cow;
use std::hash::{BuildHasher, RandomState};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, FixedOffset};

use super::address::mailbox_list;
use super::fold::{Context, Folder, HARD_LIMIT, unstructured};
use super::part::{Emitter, Encoding, PartBuilder};
use super::writer::MessageChunks;
use super::{BuildError, Transport};
use crate::address::{DomainPart, Mailbox};
use crate::msgid::MsgId;

#[derive(Debug)]
enum Value<'a> {
    Text(Cow<'a, str>),
    Mailboxes(Vec<Mailbox<'a>>),
    Ids(Vec<String>),
    Date(DateTime<FixedOffset>),
    Raw(Cow<'a, str>),
}

/// Builds a message; see the [module documentation](super).
#[derive(Debug, Default)]
pub struct MessageBuilder<'a> {
    fields: Vec<(String, Value<'a>)>,
    text: Option<PartBuilder<'a>>,
    html: Option<PartBuilder<'a>>,
    inline: Vec<PartBuilder<'a>>,
    attachments: Vec<PartBuilder<'a>>,
    body: Option<PartBuilder<'a>>,
    transport: Transport,
    utf8: bool,
    seed: Option<u64>,
    now: Option<DateTime<FixedOffset>>,
    generate: bool,
}

/// A fresh random value from the standard library's hasher keys, the
/// clock and a counter.
pub(crate) fn random() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    RandomState::new().hash_one((count, nanos))
}

fn now() -> DateTime<FixedOffset> {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .fixed_offset()
}

fn base36(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        let d = u8::try_from(n % 36).unwrap_or(0);
        digits.push(if d < 10 { b'0' + d } else { b'a' + d - 10 });
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

impl<'a> MessageBuilder<'a> {
    /// An empty message: `Date` and `Message-ID` will be generated.
    pub fn new() -> Self {
        Self {
            generate: true,
            ..Self::default()
        }
    }

    fn set(mut self, name: &str, value: Value<'a>) -> Self {
        self.fields.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.fields.push((name.to_owned(), value));
        self
    }

    fn push_mailbox(mut self, name: &str, mailbox: Mailbox<'a>) -> Self {
        for (n, value) in &mut self.fields {
            if n.eq_ignore_ascii_case(name)
                && let Value::Mailboxes(list) = value
            {
                list.push(mailbox);
                return self;
            }
        }
        self.fields
            .push((name.to_owned(), Value::Mailboxes(vec![mailbox])));
        self
    }

    /// Adds an author to `From` ([RFC 5322 §3.6.2]).
    ///
    /// [RFC 5322 §3.6.2]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.2
    #[must_use]
    pub fn from(self, mailbox: Mailbox<'a>) -> Self {
        self.push_mailbox("From", mailbox)
    }

    /// Sets `Sender` ([RFC 5322 §3.6.2]).
    ///
    /// [RFC 5322 §3.6.2]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.2
    #[must_use]
    pub fn sender(self, mailbox: Mailbox<'a>) -> Self {
        self.set("Sender", Value::Mailboxes(vec![mailbox]))
    }

    /// Adds an address to `Reply-To` ([RFC 5322 §3.6.2]).
    ///
    /// [RFC 5322 §3.6.2]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.2
    #[must_use]
    pub fn reply_to(self, mailbox: Mailbox<'a>) -> Self {
        self.push_mailbox("Reply-To", mailbox)
    }

    /// Adds a recipient to `To` ([RFC 5322 §3.6.3]).
    ///
    /// [RFC 5322 §3.6.3]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.3
    #[must_use]
    pub fn to(self, mailbox: Mailbox<'a>) -> Self {
        self.push_mailbox("To", mailbox)
    }

    /// Adds a recipient to `Cc` ([RFC 5322 §3.6.3]).
    ///
    /// [RFC 5322 §3.6.3]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.3
    #[must_use]
    pub fn cc(self, mailbox: Mailbox<'a>) -> Self {
        self.push_mailbox("Cc", mailbox)
    }

    /// Sets `Subject` ([RFC 5322 §3.6.5]).
    ///
    /// [RFC 5322 §3.6.5]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.5
    #[must_use]
    pub fn subject(self, subject: impl Into<Cow<'a, str>>) -> Self {
        self.set("Subject", Value::Text(subject.into()))
    }

    /// Sets `Date` ([RFC 5322 §3.6.1]); otherwise the current time is used.
    ///
    /// [RFC 5322 §3.6.1]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.1
    #[must_use]
    pub fn date(self, date: DateTime<FixedOffset>) -> Self {
        self.set("Date", Value::Date(date))
    }

    /// Sets `Message-ID` ([RFC 5322 §3.6.4]); otherwise one is generated.
    ///
    /// [RFC 5322 §3.6.4]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.4
    #[must_use]
    pub fn message_id(self, id: MsgId<'_>) -> Self {
        self.set("Message-ID", Value::Ids(vec![id.as_str().to_owned()]))
    }

    /// Sets `In-Reply-To` ([RFC 5322 §3.6.4]).
    ///
    /// [RFC 5322 §3.6.4]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.4
    #[must_use]
    pub fn in_reply_to<'i>(self, ids: impl IntoIterator<Item = MsgId<'i>>) -> Self {
        let ids = ids.into_iter().map(|id| id.as_str().to_owned()).collect();
        self.set("In-Reply-To", Value::Ids(ids))
    }

    /// Sets `References` ([RFC 5322 §3.6.4]).
    ///
    /// [RFC 5322 §3.6.4]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.4
    #[must_use]
    pub fn references<'i>(self, ids: impl IntoIterator<Item = MsgId<'i>>) -> Self {
        let ids = ids.into_iter().map(|id| id.as_str().to_owned()).collect();
        self.set("References", Value::Ids(ids))
    }

    /// Adds an unstructured field ([RFC 5322 §3.6.8]), encoded as needed.
    ///
    /// [RFC 5322 §3.6.8]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.8
    #[must_use]
    pub fn header(mut self, name: &str, value: impl Into<Cow<'a, str>>) -> Self {
        self.fields
            .push((name.to_owned(), Value::Text(value.into())));
        self
    }

    /// Adds an address field other than the standard ones (`Resent-To`,
    /// `Disposition-Notification-To`, …).
    #[must_use]
    pub fn address_header(mut self, name: &str, mailboxes: Vec<Mailbox<'a>>) -> Self {
        self.fields
            .push((name.to_owned(), Value::Mailboxes(mailboxes)));
        self
    }

    /// Adds a field whose value is written as given: it must already be a
    /// valid, folded value (CRLF only before white space, lines at most
    /// 998 octets), else writing fails with [`BuildError::InvalidRawValue`].
    #[must_use]
    pub fn raw_header(mut self, name: &str, value: impl Into<Cow<'a, str>>) -> Self {
        self.fields
            .push((name.to_owned(), Value::Raw(value.into())));
        self
    }

    /// Sets the plain-text body (with an HTML body, they become
    /// `multipart/alternative`, [RFC 2046 §5.1.4]).
    ///
    /// [RFC 2046 §5.1.4]: https://www.rfc-editor.org/rfc/rfc2046#section-5.1.4
    #[must_use]
    pub fn text(mut self, text: impl Into<Cow<'a, str>>) -> Self {
        self.text = Some(PartBuilder::text(text));
        self
    }

    /// Sets the HTML body.
    #[must_use]
    pub fn html(mut self, html: impl Into<Cow<'a, str>>) -> Self {
        self.html = Some(PartBuilder::html(html));
        self
    }

    /// Adds a part shown with the HTML body (an image it refers to by
    /// `cid:`): the HTML and these go into `multipart/related` ([RFC 2387]).
    /// Use [`PartBuilder::inline`] to give it a Content-ID.
    ///
    /// [RFC 2387]: https://www.rfc-editor.org/rfc/rfc2387
    #[must_use]
    pub fn inline(mut self, part: PartBuilder<'a>) -> Self {
        self.inline.push(part);
        self
    }

    /// Adds an attachment: the body becomes `multipart/mixed`.
    #[must_use]
    pub fn attachment(mut self, part: PartBuilder<'a>) -> Self {
        self.attachments.push(part);
        self
    }

    /// Sets the whole body as one part tree, replacing text, HTML, inline
    /// parts and attachments.
    #[must_use]
    pub fn body(mut self, part: PartBuilder<'a>) -> Self {
        self.body = Some(part);
        self
    }

    /// Sets what the transport accepts (default 7-bit).
    #[must_use]
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }

    /// Allows UTF-8 in header fields ([RFC 6532]): display names and
    /// addresses are then written in UTF-8 instead of encoded words and
    /// IDNA. Only for transports that announce SMTPUTF8.
    ///
    /// [RFC 6532]: https://www.rfc-editor.org/rfc/rfc6532
    #[must_use]
    pub fn utf8_headers(mut self, allowed: bool) -> Self {
        self.utf8 = allowed;
        self
    }

    /// Fixes the randomness (boundaries, generated Message-ID) and the
    /// current time, for reproducible output.
    #[must_use]
    pub fn clock(mut self, now: DateTime<FixedOffset>, random: u64) -> Self {
        self.now = Some(now);
        self.seed = Some(random);
        self
    }

    /// Leaves out the generated `Date` and `Message-ID` (for a nested
    /// message part, say).
    #[must_use]
    pub fn without_generated_fields(mut self) -> Self {
        self.generate = false;
        self
    }

    fn has(&self, name: &str) -> bool {
        self.fields
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    /// The domain for a generated Message-ID: the first author's.
    fn id_domain(&self) -> String {
        self.fields
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("from"))
            .find_map(|(_, v)| match v {
                Value::Mailboxes(list) => {
                    list.first()?.addr_spec().map(|spec| match spec.domain() {
                        DomainPart::Domain(d) => super::punycode::domain_to_ascii(d.as_str()),
                        DomainPart::Literal(l) => Some(l.as_str().to_owned()),
                    })
                }
                _ => None,
            })
            .flatten()
            .unwrap_or_else(|| "localhost".to_owned())
    }

    fn write_field(
        out: &mut Vec<u8>,
        name: &str,
        value: &Value<'_>,
        utf8: bool,
    ) -> Result<(), BuildError> {
        let mut folder = Folder::new(out, name)?;
        match value {
            Value::Text(text) => unstructured(&mut folder, text, Context::Text, utf8)?,
            Value::Mailboxes(list) => mailbox_list(&mut folder, list, utf8)?,
            Value::Ids(ids) => {
                for id in ids {
                    if MsgId::new(id.as_str()).is_err() || (!utf8 && !id.is_ascii()) {
                        return Err(BuildError::InvalidMessageId(id.clone()));
                    }
                    folder.token(format!("<{id}>").as_bytes())?;
                }
            }
            Value::Date(date) => {
                folder.token(
                    date.format("%a, %d %b %Y %H:%M:%S %z")
                        .to_string()
                        .as_bytes(),
                )?;
            }
            Value::Raw(raw) => {
                let lines: Vec<&str> = raw.split("\r\n").collect();
                let valid = lines.iter().enumerate().all(|(i, line)| {
                    !line.contains(['\r', '\n'])
                        && line.len() < HARD_LIMIT.saturating_sub(name.len())
                        && (i == 0 || line.starts_with([' ', '\t']))
                }) && (utf8 || raw.is_ascii());
                if !valid {
                    return Err(BuildError::InvalidRawValue(name.to_owned()));
                }
                let raw = raw.strip_prefix(' ').unwrap_or(raw);
                folder.append(b" ")?;
                folder.append(raw.as_bytes())?;
            }
        }
        folder.finish();
        Ok(())
    }

    /// The body tree from text, HTML, inline parts and attachments.
    fn assemble(&mut self) -> PartBuilder<'a> {
        if let Some(body) = self.body.take() {
            return body;
        }
        let html = self.html.take().map(|html| {
            if self.inline.is_empty() {
                html
            } else {
                let mut parts = vec![html];
                parts.append(&mut self.inline);
                PartBuilder::multipart("related", parts)
            }
        });
        let main = match (self.text.take(), html) {
            (Some(text), Some(html)) => PartBuilder::multipart("alternative", vec![text, html]),
            (Some(text), None) => text,
            (None, Some(html)) => html,
            (None, None) => PartBuilder::text(""),
        };
        let main = if self.inline.is_empty() {
            main
        } else {
            let mut parts = vec![main];
            parts.append(&mut self.inline);
            PartBuilder::multipart("related", parts)
        };
        if self.attachments.is_empty() {
            main
        } else {
            let mut parts = vec![main];
            parts.append(&mut self.attachments);
            PartBuilder::multipart("mixed", parts)
        }
    }

    /// Emits the header section and body into `em`.
    pub(crate) fn emit(
        mut self,
        em: &mut Emitter<'a>,
        depth: usize,
    ) -> Result<Encoding, BuildError> {
        let utf8 = em.utf8;
        let mut header = Vec::with_capacity(1024);
        if self.generate {
            let now = self.now.unwrap_or_else(now);
            if !self.has("date") {
                Self::write_field(&mut header, "Date", &Value::Date(now), utf8)?;
            }
            if !self.has("message-id") {
                let random = em.seed ^ u64::from(em.boundaries).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                let id = format!(
                    "{}.{}@{}",
                    base36(u64::try_from(now.timestamp()).unwrap_or(0)),
                    base36(random),
                    self.id_domain()
                );
                Self::write_field(&mut header, "Message-ID", &Value::Ids(vec![id]), utf8)?;
            }
        }
        for (name, value) in &self.fields {
            Self::write_field(&mut header, name, value, utf8)?;
        }
        if !self.has("mime-version") {
            header.extend_from_slice(b"MIME-Version: 1.0\r\n");
        }
        let body = self.assemble();
        body.emit(em, header, depth)
    }

    /// Writes the message into `out`, streaming part contents.
    pub fn write_to(self, out: &mut impl Write) -> Result<(), BuildError> {
        let mut chunks = self.into_chunks()?;
        let mut buffer = Vec::with_capacity(64 * 1024);
        while chunks.next_chunk(&mut buffer)? {
            out.write_all(&buffer)?;
        }
        Ok(())
    }

    /// Writes the message into a new vector.
    pub fn to_vec(self) -> Result<Vec<u8>, BuildError> {
        let mut out = Vec::new();
        self.write_to(&mut out)?;
        Ok(out)
    }

    /// Prepares the message and returns its output as chunks to pull.
    pub fn into_chunks(self) -> Result<MessageChunks<'a>, BuildError> {
        let mut em = Emitter {
            segments: Vec::new(),
            transport: self.transport,
            utf8: self.utf8,
            seed: self.seed.unwrap_or_else(random),
            boundaries: 0,
        };
        self.emit(&mut em, 0)?;
        Ok(MessageChunks::new(em.segments))
    }
}

/// One unstructured field, folded, with its CRLF.
pub(crate) fn text_field(name: &str, value: &str) -> Result<Vec<u8>, BuildError> {
    let mut out = Vec::new();
    MessageBuilder::write_field(&mut out, name, &Value::Text(Cow::Borrowed(value)), false)?;
    Ok(out)
}

/// A part's header and body, written on their own.
pub(crate) fn part_bytes(
    part: PartBuilder<'_>,
    transport: Transport,
) -> Result<Vec<u8>, BuildError> {
    let mut em = Emitter {
        segments: Vec::new(),
        transport,
        utf8: false,
        seed: random(),
        boundaries: 0,
    };
    part.emit(&mut em, Vec::new(), 1)?;
    let mut chunks = MessageChunks::new(em.segments);
    let mut out = Vec::new();
    let mut chunk = Vec::new();
    while chunks.next_chunk(&mut chunk)? {
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}
