//! Replies and forwards built from a parsed message ([RFC 5322 §3.6.4,
//! §3.6.5]).
//!
//! [RFC 5322 §3.6.4, §3.6.5]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.4

use std::borrow::Cow;

use super::{MessageBuilder, PartBuilder};
use crate::Message;
use crate::address::Mailbox;
use crate::msgid::MsgId;

/// How [`MessageBuilder::forward`] carries the original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ForwardMode {
    /// The original's header summary and text in the body.
    Inline,
    /// The original, byte for byte, as a `message/rfc822` attachment.
    Attachment,
}

/// Whether `subject` already starts with `prefix` and a colon, ignoring
/// case and leading white space (so prefixes do not stack).
/// Leading `[list]` tags and a counter (`Re[2]:`) are skipped.
fn has_prefix(subject: &str, prefixes: &[&str]) -> bool {
    let mut s = subject.trim_start();
    while let Some(rest) = s.strip_prefix('[').and_then(|r| r.split_once(']')) {
        s = rest.1.trim_start();
    }
    prefixes.iter().any(|p| {
        s.get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
            && s.get(p.len()..).is_some_and(|rest| {
                let rest = rest.trim_start();
                let rest = match rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
                    Some((n, after)) if n.bytes().all(|b| b.is_ascii_digit()) => after.trim_start(),
                    _ => rest,
                };
                rest.starts_with(':')
            })
    })
}

/// The first `text/plain` leaf of a message, decoded (or the first text
/// leaf of any kind).
fn first_text(message: &Message<'_>) -> String {
    let leaves: Vec<_> = message.root().leaves().collect();
    leaves
        .iter()
        .find(|p| p.content_type().is("text", "plain"))
        .or_else(|| leaves.iter().find(|p| p.is_text()))
        .map(|p| p.text().0.into_owned())
        .unwrap_or_default()
}

fn owned(m: &Mailbox<'_>) -> Mailbox<'static> {
    m.clone().into_owned()
}

impl<'a> MessageBuilder<'a> {
    /// Starts a reply to `original` ([RFC 5322 §3.6.4]): addressed to its
    /// `Reply-To` or else `From` (plus its `To` and `Cc` when `all`, minus
    /// `me`), `In-Reply-To` its Message-ID, `References` its References (or
    /// In-Reply-To) plus its Message-ID, subject `Re: …` unless it already
    /// starts so, and the body quoting its text after an attribution line.
    ///
    /// [RFC 5322 §3.6.4]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.4
    ///
    /// ```
    /// use mailwire_message::builder::{MessageBuilder, mailbox};
    ///
    /// let original = mailwire_message::parse(b"From: Ann <ann@example.org>\r\nMessage-ID: <1@example.org>\r\nSubject: RE: lunch\r\n\r\nNoon?\r\n");
    /// let me = mailbox("bob@example.net").unwrap();
    /// let reply = MessageBuilder::reply(&original, Some(&me), false, "Yes.")
    ///     .from(me.clone())
    ///     .to_vec()
    ///     .unwrap();
    /// let parsed = mailwire_message::parse(&reply);
    /// let header = parsed.header();
    /// assert_eq!(header.subject().as_deref(), Some("RE: lunch"));
    /// assert_eq!(header.in_reply_to()[0].as_str(), "1@example.org");
    /// assert_eq!(header.to().unwrap().mailboxes().next().unwrap().raw_address(), "ann@example.org");
    /// assert_eq!(parsed.root().text().0, "Yes.\r\n\r\nAnn <ann@example.org> wrote:\r\n> Noon?\r\n");
    /// ```
    pub fn reply(
        original: &Message<'_>,
        me: Option<&Mailbox<'_>>,
        all: bool,
        text: &str,
    ) -> MessageBuilder<'static> {
        let header = original.header();
        let mut builder = MessageBuilder::new();
        let is_me = |m: &Mailbox<'_>| {
            me.is_some_and(|me| me.raw_address().eq_ignore_ascii_case(m.raw_address()))
        };
        let mut seen: Vec<String> = Vec::new();
        let mut add = |builder: MessageBuilder<'static>, m: &Mailbox<'_>, cc: bool| {
            let key = m.raw_address().to_ascii_lowercase();
            if is_me(m) || seen.contains(&key) || m.addr_spec().is_none() {
                return builder;
            }
            seen.push(key);
            if cc {
                builder.cc(owned(m))
            } else {
                builder.to(owned(m))
            }
        };
        let primary = header.addresses("reply-to").or_else(|| header.from());
        if let Some(list) = &primary {
            for m in list.mailboxes() {
                builder = add(builder, m, false);
            }
        }
        if all {
            for (name, cc) in [("to", false), ("cc", true)] {
                if let Some(list) = header.addresses(name) {
                    for m in list.mailboxes() {
                        builder = add(builder, m, cc);
                    }
                }
            }
        }
        let subject = header.subject().map(Cow::into_owned).unwrap_or_default();
        let subject = if has_prefix(&subject, &["re"]) {
            subject
        } else {
            format!("Re: {subject}")
        };
        builder = builder.subject(subject);
        if let Some(id) = header.message_id() {
            let mut references: Vec<MsgId<'static>> = header
                .references()
                .into_iter()
                .map(MsgId::into_owned)
                .collect();
            if references.is_empty() {
                references = header
                    .in_reply_to()
                    .into_iter()
                    .take(1)
                    .map(MsgId::into_owned)
                    .collect();
            }
            references.push(id.clone().into_owned());
            builder = builder.in_reply_to([id]).references(references);
        }
        let author = header
            .from()
            .and_then(|list| list.mailboxes().next().map(|m| m.to_string()))
            .unwrap_or_else(|| "someone".to_owned());
        let mut body = String::with_capacity(text.len().saturating_add(256));
        body.push_str(text.trim_end_matches(['\r', '\n']));
        body.push_str("\r\n\r\n");
        body.push_str(&author);
        body.push_str(" wrote:\r\n");
        let quoted = first_text(original);
        for line in quoted.trim_end_matches(['\r', '\n']).split('\n') {
            let line = line.strip_suffix('\r').unwrap_or(line);
            body.push('>');
            if !line.is_empty() && !line.starts_with('>') {
                body.push(' ');
            }
            body.push_str(line);
            body.push_str("\r\n");
        }
        builder.text(body)
    }

    /// Starts a forward of `original` (whose bytes are `raw`): subject
    /// `Fwd: …` unless it already starts so; the original inline (a header
    /// summary and its text) or as a `message/rfc822` attachment, byte for
    /// byte.
    ///
    /// ```
    /// use mailwire_message::builder::{ForwardMode, MessageBuilder};
    ///
    /// let raw = b"From: ann@example.org\r\nSubject: Plans\r\n\r\nDetails.\r\n";
    /// let original = mailwire_message::parse(raw);
    /// let out = MessageBuilder::forward(&original, raw, ForwardMode::Attachment, "FYI")
    ///     .to_vec()
    ///     .unwrap();
    /// let parsed = mailwire_message::parse(&out);
    /// assert_eq!(parsed.header().subject().as_deref(), Some("Fwd: Plans"));
    /// let attached = &parsed.root().parts()[1];
    /// assert_eq!(attached.content_type().essence(), "message/rfc822");
    /// let mailwire_message::Body::Message(inner) = attached.body() else { panic!() };
    /// let mut bytes = Vec::new();
    /// inner.write_to(&mut bytes);
    /// assert_eq!(bytes, raw);
    /// ```
    pub fn forward(
        original: &Message<'_>,
        raw: &'a [u8],
        mode: ForwardMode,
        text: &str,
    ) -> MessageBuilder<'a> {
        let header = original.header();
        let subject = header.subject().map(Cow::into_owned).unwrap_or_default();
        let subject = if has_prefix(&subject, &["fwd", "fw"]) {
            subject
        } else {
            format!("Fwd: {subject}")
        };
        let builder = MessageBuilder::new().subject(subject);
        match mode {
            ForwardMode::Attachment => builder
                .text(text.to_owned())
                .attachment(PartBuilder::raw_message(raw)),
            ForwardMode::Inline => {
                let mut body = String::new();
                body.push_str(text.trim_end_matches(['\r', '\n']));
                body.push_str("\r\n\r\n---------- Forwarded message ----------\r\n");
                for name in ["From", "Date", "Subject", "To", "Cc"] {
                    if let Some(field) = header.get(name) {
                        body.push_str(name);
                        body.push_str(": ");
                        body.push_str(&field.text());
                        body.push_str("\r\n");
                    }
                }
                body.push_str("\r\n");
                body.push_str(&first_text(original));
                builder.text(body)
            }
        }
    }
}
