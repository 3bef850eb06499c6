//! vacation ([RFC 5230]): whether to answer, and the answer.
//!
//! [RFC 5230]: https://www.rfc-editor.org/rfc/rfc5230

use chrono::{DateTime, FixedOffset};
use mailwire_message::address::{AddressList, Mode};
use sha2::{Digest, Sha256};

use crate::error::RuntimeError;
use crate::run::Run;
use crate::types::Vacation;

/// A vacation reply to send ([RFC 5230 §5]). Once sent, the caller
/// records `(handle, to)` for `seconds` so that
/// [`Context::vacation_replied`](crate::Context::vacation_replied) answers
/// yes until then.
///
/// [RFC 5230 §5]: https://www.rfc-editor.org/rfc/rfc5230#section-5
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VacationResponse {
    /// The recipient: the original envelope sender.
    pub to: String,
    /// The `From` of the reply: `:from`, else the user's address the
    /// message was sent to.
    pub from: String,
    /// The subject: `:subject`, else `Auto: ` and the original subject.
    pub subject: String,
    /// The reason: text, or a MIME entity when `mime` is set.
    pub reason: String,
    /// `:mime`: `reason` is a MIME entity with its own header.
    pub mime: bool,
    /// The tracking handle: `:handle`, else a digest of the arguments
    /// ([RFC 5230 §4.2]).
    ///
    /// [RFC 5230 §4.2]: https://www.rfc-editor.org/rfc/rfc5230#section-4.2
    pub handle: String,
    /// The response period, in seconds.
    pub seconds: u64,
    /// The `Message-ID` of the original message, for `In-Reply-To`.
    pub in_reply_to: Option<String>,
}

impl VacationResponse {
    /// The reply as an RFC 5322 message ([RFC 5230 §5]): `Auto-Submitted:
    /// auto-replied`, `In-Reply-To` and `References`, the subject
    /// RFC 2047-encoded when it is not ASCII.
    ///
    /// ```
    /// # use mailwire_sieve::VacationResponse;
    /// let r = VacationResponse { to: "a@example.com".into(), from: "b@example.org".into(),
    ///     subject: "Auto: hi".into(), reason: "Away.".into(), mime: false, handle: "h".into(),
    ///     seconds: 86400, in_reply_to: Some("<1@example.com>".into()) };
    /// let date = chrono::DateTime::parse_from_rfc3339("2026-01-02T03:04:05+00:00").unwrap();
    /// let m = String::from_utf8(r.to_message(date, "<r1@example.org>")).unwrap();
    /// assert!(m.contains("Auto-Submitted: auto-replied\r\n"));
    /// assert!(m.contains("In-Reply-To: <1@example.com>\r\n"));
    /// assert!(m.ends_with("\r\n\r\nAway.\r\n"));
    /// ```
    pub fn to_message(&self, date: DateTime<FixedOffset>, message_id: &str) -> Vec<u8> {
        let mut m = String::new();
        m.push_str(&format!(
            "Date: {}\r\n",
            date.format("%a, %d %b %Y %H:%M:%S %z")
        ));
        m.push_str(&format!("From: {}\r\n", self.from));
        m.push_str(&format!("To: <{}>\r\n", self.to));
        m.push_str(&format!("Subject: {}\r\n", encode_subject(&self.subject)));
        m.push_str(&format!("Message-ID: {message_id}\r\n"));
        if let Some(id) = &self.in_reply_to {
            m.push_str(&format!("In-Reply-To: {id}\r\nReferences: {id}\r\n"));
        }
        m.push_str("Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n");
        if self.mime {
            m.push_str(&self.reason.replace("\r\n", "\n").replace('\n', "\r\n"));
        } else {
            m.push_str("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
            m.push_str(&self.reason.replace("\r\n", "\n").replace('\n', "\r\n"));
        }
        if !m.ends_with("\r\n") {
            m.push_str("\r\n");
        }
        m.into_bytes()
    }
}

/// RFC 2047 `Q` encoding when the subject is not printable ASCII.
fn encode_subject(subject: &str) -> String {
    if subject.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return subject.to_owned();
    }
    let mut out = String::from("=?utf-8?Q?");
    for b in subject.bytes() {
        match b {
            b' ' => out.push('_'),
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'!' | b'*' | b'+' | b'-' | b'/' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("={b:02X}")),
        }
    }
    out.push_str("?=");
    out
}

/// Local parts never answered ([RFC 5230 §4.6]).
const NO_REPLY: [&str; 3] = ["mailer-daemon", "listserv", "majordomo"];

/// Header fields that mark a list message ([RFC 5230 §4.6], RFC 2369,
/// RFC 2919).
const LIST_FIELDS: [&str; 7] = [
    "list-id",
    "list-help",
    "list-subscribe",
    "list-unsubscribe",
    "list-post",
    "list-owner",
    "list-archive",
];

/// Decides whether to answer, following RFC 5230 §4.5–§4.6 and the
/// tracking of §4.2; `None` means no reply this time.
pub(crate) fn respond(
    run: &mut Run<'_, '_>,
    v: &Vacation,
) -> Result<Option<VacationResponse>, RuntimeError> {
    let sender = run.envelope.from.clone();
    // The null reverse path gets no reply (§4.6).
    if sender.is_empty() {
        return Ok(None);
    }
    let local = sender
        .rsplit_once('@')
        .map_or(sender.as_str(), |(l, _)| l)
        .to_ascii_lowercase();
    if NO_REPLY.contains(&local.as_str())
        || local.starts_with("owner-")
        || local.ends_with("-request")
    {
        return Ok(None);
    }
    let header = run.message.header();
    if let Some(f) = header.get("auto-submitted") {
        let value = f.text().to_ascii_lowercase();
        let keyword = value
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        if keyword != "no" {
            return Ok(None);
        }
    }
    if let Some(f) = header.get("precedence") {
        let value = f.text().to_ascii_lowercase();
        if ["bulk", "list", "junk"].contains(&value.trim()) {
            return Ok(None);
        }
    }
    if LIST_FIELDS.iter().any(|n| header.get(n).is_some()) {
        return Ok(None);
    }
    // The recipient's own addresses (§4.5).
    // The recipient as delivered (with its detail, as Pigeonhole does);
    // other forms go in `Config::user_addresses` or `:addresses`.
    let mut mine: Vec<String> = vec![run.envelope.to.to_ascii_lowercase()];
    mine.extend(
        run.config
            .user_addresses
            .iter()
            .map(|a| a.to_ascii_lowercase()),
    );
    for a in run.expand_list(&v.addresses)? {
        mine.push(a.to_ascii_lowercase());
    }
    if mine.contains(&sender.to_ascii_lowercase()) {
        return Ok(None);
    }
    // The address the message was sent to, which answers by default.
    let mut addressed = None;
    for field in ["to", "cc", "bcc", "resent-to", "resent-cc", "resent-bcc"]
        .iter()
        .flat_map(|name| header.get_all(name))
    {
        let raw = field.unfolded();
        let (list, _) = AddressList::parse(&raw, Mode::Lenient);
        if let Some(m) = list
            .mailboxes()
            .find(|m| mine.contains(&m.raw_address().to_ascii_lowercase()))
        {
            addressed = Some(m.raw_address().to_owned());
            break;
        }
    }
    let Some(addressed) = addressed else {
        return Ok(None);
    };
    let subject = match &v.subject {
        Some(s) => run.expand(s)?.into_owned(),
        None => format!("Auto: {}", header.subject().unwrap_or_default()),
    };
    let from = match &v.from {
        Some(s) => run.expand(s)?.into_owned(),
        None => addressed,
    };
    let reason = run.expand(&v.reason)?.into_owned();
    let handle = match &v.handle {
        Some(h) => run.expand(h)?.into_owned(),
        None => {
            let mut digest = Sha256::new();
            for part in [
                v.subject.as_ref().map_or("", |_| subject.as_str()),
                v.from.as_ref().map_or("", |_| from.as_str()),
                if v.mime { "mime" } else { "" },
                reason.as_str(),
            ] {
                digest.update(part.as_bytes());
                digest.update([0u8]);
            }
            digest
                .finalize()
                .iter()
                .take(16)
                .map(|b| format!("{b:02x}"))
                .collect()
        }
    };
    let config = run.config;
    let seconds = v.seconds.unwrap_or(config.vacation_default_seconds).clamp(
        config.vacation_min_seconds,
        config.vacation_max_seconds.max(config.vacation_min_seconds),
    );
    if run.context.vacation_replied(&handle, &sender) {
        return Ok(None);
    }
    let in_reply_to = header.get("message-id").map(|f| f.text().into_owned());
    Ok(Some(VacationResponse {
        to: sender,
        from,
        subject,
        reason,
        mime: v.mime,
        handle,
        seconds,
        in_reply_to,
    }))
}
