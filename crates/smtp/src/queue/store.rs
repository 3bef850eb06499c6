//! The envelope file: a queued message's state as versioned lines of text.
//!
//! See [`Message::to_bytes`] for the format.

use crate::types::parameter::{Notify, Ret};
use crate::types::reply::{EnhancedCode, ReplyCode};

use super::types::{Diagnostic, Message, MessageId, Recipient, RecipientState, Timestamp};

/// The first line of version 1.
const MAGIC: &str = "mailwire-queue";
/// The version written.
const VERSION: u32 = 1;
/// Most `mail` lines read (RFC 5321 §4.1.1.2 has no limit; the registered
/// MAIL parameters are far fewer).
const MAX_MAIL_PARAMETERS: usize = 32;

/// Why an envelope file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The file ends before its `end` line.
    #[error("envelope file is truncated")]
    Truncated,
    /// A line does not have the expected form.
    #[error("envelope file line {line}: expected {expected}")]
    Malformed {
        /// The line number, from 1.
        line: usize,
        /// What was expected there.
        expected: &'static str,
    },
    /// A version this code does not read.
    #[error("envelope file version {0} is not supported")]
    UnsupportedVersion(u32),
    /// More recipients than the limit.
    #[error("envelope file has more than {limit} recipients")]
    LimitExceeded {
        /// The limit given to [`Message::from_bytes`].
        limit: usize,
    },
}

fn state_name(state: &RecipientState) -> &'static str {
    match state {
        RecipientState::Pending => "pending",
        RecipientState::Deferred => "deferred",
        RecipientState::Delivered => "delivered",
        RecipientState::Bounced => "bounced",
    }
}

fn parse_state(name: &str) -> Option<RecipientState> {
    Some(match name {
        "pending" => RecipientState::Pending,
        "deferred" => RecipientState::Deferred,
        "delivered" => RecipientState::Delivered,
        "bounced" => RecipientState::Bounced,
        _ => return None,
    })
}

fn parse_notify(text: &str) -> Option<Notify> {
    if text == "NEVER" {
        return Some(Notify::NEVER);
    }
    let (mut success, mut failure, mut delay) = (false, false, false);
    for word in text.split(',') {
        match word {
            "SUCCESS" => success = true,
            "FAILURE" => failure = true,
            "DELAY" => delay = true,
            _ => return None,
        }
    }
    Notify::on(success, failure, delay)
}

/// A word with no space or control, as identifiers, xtext and numbers are.
fn is_word(text: &str) -> bool {
    !text.is_empty() && !text.chars().any(|c| c == ' ' || c.is_control())
}

fn word_or_dash(value: Option<&str>) -> &str {
    match value {
        Some(value) if is_word(value) && value != "-" => value,
        _ => "-",
    }
}

impl Message {
    /// The envelope file's bytes, version 1:
    ///
    /// ```text
    /// mailwire-queue 1
    /// id <message id>
    /// arrival <seconds since the epoch>
    /// sender <reverse-path, empty for <>>
    /// envid <xtext>                       (optional)
    /// ret FULL|HDRS                       (optional)
    /// mail <MAIL parameter>               (any number, up to 32)
    /// rcpt <state> <attempts> <next due> <delay notified 0|1> <notify|-> <orcpt|-> <address>
    /// last reply <code> <enhanced|-> <text>   (optional, after its rcpt)
    /// last other <text>                       (optional, after its rcpt)
    /// end <number of rcpt lines>
    /// ```
    ///
    /// `<state>` is `pending`, `deferred`, `delivered` or `bounced`. Lines end
    /// in LF. A file cut short lacks its `end` line, so truncation is
    /// [`StoreError::Truncated`], never a partial message.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!(
            "{MAGIC} {VERSION}\nid {}\narrival {}\nsender {}\n",
            self.id,
            self.arrival.0,
            super::types::one_line(&self.sender)
        );
        if let Some(envid) = self.envid.as_deref().filter(|e| is_word(e)) {
            out.push_str(&format!("envid {envid}\n"));
        }
        if let Some(ret) = self.ret {
            out.push_str(&format!("ret {}\n", ret.as_str()));
        }
        for parameter in self.mail_parameters.iter().filter(|p| is_word(p)) {
            out.push_str(&format!("mail {parameter}\n"));
        }
        for recipient in &self.recipients {
            let notify = recipient.notify.map(|n| n.to_string());
            out.push_str(&format!(
                "rcpt {} {} {} {} {} {} {}\n",
                state_name(&recipient.state),
                recipient.attempts,
                recipient.next_due.0,
                u8::from(recipient.delay_notified),
                word_or_dash(notify.as_deref()),
                word_or_dash(recipient.orcpt.as_deref()),
                super::types::one_line(&recipient.address),
            ));
            match &recipient.last {
                Some(Diagnostic::Reply {
                    code,
                    enhanced,
                    text,
                }) => {
                    let enhanced = enhanced.map_or_else(|| "-".to_owned(), |e| e.to_string());
                    out.push_str(&format!(
                        "last reply {code} {enhanced} {}\n",
                        super::types::one_line(text)
                    ));
                }
                Some(Diagnostic::Other(text)) => {
                    out.push_str(&format!("last other {}\n", super::types::one_line(text)));
                }
                None => {}
            }
        }
        out.push_str(&format!("end {}\n", self.recipients.len()));
        out.into_bytes()
    }

    /// Reads an envelope file back, allowing at most `max_recipients`.
    ///
    /// # Errors
    ///
    /// [`StoreError::Truncated`] without the final `end` line,
    /// [`StoreError::Malformed`] for a garbled line,
    /// [`StoreError::UnsupportedVersion`], [`StoreError::LimitExceeded`].
    ///
    /// ```
    /// use mailwire_smtp::queue::{Message, StoreError};
    /// let text = b"mailwire-queue 1\nid m1\narrival 5\nsender \nrcpt pending 0 5 0 - - b@example.net\n";
    /// assert_eq!(Message::from_bytes(text, 10), Err(StoreError::Truncated));
    /// ```
    pub fn from_bytes(bytes: &[u8], max_recipients: usize) -> Result<Self, StoreError> {
        let mut lines = bytes.split(|b| *b == b'\n').enumerate().map(|(i, line)| {
            let number = i.saturating_add(1);
            std::str::from_utf8(line)
                .map(|text| (number, text))
                .map_err(|_| StoreError::Malformed {
                    line: number,
                    expected: "UTF-8",
                })
        });
        let mut next = || -> Result<(usize, &str), StoreError> {
            match lines.next() {
                Some(Ok((_, ""))) | None => Err(StoreError::Truncated),
                Some(result) => result,
            }
        };
        let malformed =
            |line: usize, expected: &'static str| StoreError::Malformed { line, expected };

        let (line, text) = next()?;
        let version = text
            .strip_prefix(MAGIC)
            .and_then(|v| v.strip_prefix(' '))
            .and_then(|v| v.parse::<u32>().ok())
            .ok_or(malformed(line, "mailwire-queue <version>"))?;
        if version != VERSION {
            return Err(StoreError::UnsupportedVersion(version));
        }
        let (line, text) = next()?;
        let id = text
            .strip_prefix("id ")
            .filter(|id| MessageId::is_valid(id))
            .and_then(|id| MessageId::try_from(id).ok())
            .ok_or(malformed(line, "id <message id>"))?;
        let (line, text) = next()?;
        let arrival = text
            .strip_prefix("arrival ")
            .and_then(|t| t.parse::<u64>().ok())
            .ok_or(malformed(line, "arrival <seconds>"))?;
        let (line, text) = next()?;
        let sender = text
            .strip_prefix("sender ")
            .ok_or(malformed(line, "sender <reverse-path>"))?;
        let mut message = Message::new(id, sender, Timestamp(arrival), Vec::new());

        loop {
            let (line, text) = next()?;
            let (keyword, rest) = text.split_once(' ').unwrap_or((text, ""));
            match keyword {
                "envid"
                    if message.envid.is_none()
                        && message.recipients.is_empty()
                        && is_word(rest) =>
                {
                    message.envid = Some(rest.to_owned());
                }
                "ret" if message.ret.is_none() && message.recipients.is_empty() => {
                    message.ret = Some(match rest {
                        "FULL" => Ret::Full,
                        "HDRS" => Ret::Headers,
                        _ => return Err(malformed(line, "ret FULL|HDRS")),
                    });
                }
                "mail" if message.recipients.is_empty() && is_word(rest) => {
                    if message.mail_parameters.len() >= MAX_MAIL_PARAMETERS {
                        return Err(StoreError::LimitExceeded {
                            limit: MAX_MAIL_PARAMETERS,
                        });
                    }
                    message.mail_parameters.push(rest.to_owned());
                }
                "rcpt" => {
                    if message.recipients.len() >= max_recipients {
                        return Err(StoreError::LimitExceeded {
                            limit: max_recipients,
                        });
                    }
                    let recipient = parse_rcpt(rest).ok_or(malformed(line, "rcpt fields"))?;
                    message.recipients.push(recipient);
                }
                "last" => {
                    let diagnostic = parse_last(rest).ok_or(malformed(line, "last reply|other"))?;
                    let recipient = message
                        .recipients
                        .last_mut()
                        .filter(|r| r.last.is_none())
                        .ok_or(malformed(line, "rcpt before last"))?;
                    recipient.last = Some(diagnostic);
                }
                "end" => {
                    let count = rest.parse::<usize>().ok();
                    if count != Some(message.recipients.len()) || message.recipients.is_empty() {
                        return Err(malformed(line, "end <number of rcpt lines>"));
                    }
                    break;
                }
                _ => return Err(malformed(line, "envid, ret, rcpt, last or end")),
            }
        }
        match lines.next() {
            None | Some(Ok((_, ""))) if lines.next().is_none() => Ok(message),
            Some(Ok((line, _)) | Err(StoreError::Malformed { line, .. })) => {
                Err(malformed(line, "nothing after end"))
            }
            _ => Err(malformed(0, "nothing after end")),
        }
    }
}

fn parse_rcpt(rest: &str) -> Option<Recipient> {
    let mut fields = rest.splitn(7, ' ');
    let state = parse_state(fields.next()?)?;
    let attempts = fields.next()?.parse::<u32>().ok()?;
    let next_due = fields.next()?.parse::<u64>().ok()?;
    let delay_notified = match fields.next()? {
        "0" => false,
        "1" => true,
        _ => return None,
    };
    let notify = match fields.next()? {
        "-" => None,
        text => Some(parse_notify(text)?),
    };
    let orcpt = match fields.next()? {
        "-" => None,
        text if is_word(text) => Some(text.to_owned()),
        _ => return None,
    };
    let address = fields.next().filter(|a| !a.is_empty())?;
    let mut recipient = Recipient::new(address);
    recipient.state = state;
    recipient.attempts = attempts;
    recipient.next_due = Timestamp(next_due);
    recipient.delay_notified = delay_notified;
    recipient.notify = notify;
    recipient.orcpt = orcpt;
    Some(recipient)
}

fn parse_last(rest: &str) -> Option<Diagnostic> {
    if let Some(text) = rest.strip_prefix("other ") {
        return Some(Diagnostic::Other(text.to_owned()));
    }
    let mut fields = rest.strip_prefix("reply ")?.splitn(3, ' ');
    let code = ReplyCode::new(fields.next()?.parse::<u16>().ok()?)?;
    let enhanced = match fields.next()? {
        "-" => None,
        text => {
            let mut parts = text.split('.');
            let class = parts.next()?.parse::<u8>().ok()?;
            let subject = parts.next()?.parse::<u16>().ok()?;
            let detail = parts.next()?.parse::<u16>().ok()?;
            if parts.next().is_some() {
                return None;
            }
            Some(EnhancedCode::new(class, subject, detail)?)
        }
    };
    let text = fields.next().unwrap_or("").to_owned();
    Some(Diagnostic::Reply {
        code,
        enhanced,
        text,
    })
}
