//! The queue's values: time, identifiers, messages, recipients, outcomes
//! and events.

use std::fmt;

use crate::mx::MxTarget;
use crate::types::parameter::{Notify, Ret};
use crate::types::reply::{EnhancedCode, Reply, ReplyCode};

/// A point in time: whole seconds since the Unix epoch.
///
/// The queue never reads a clock; the application passes `now` in, so
/// tests run days of retries on virtual time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// This time plus `seconds`, saturating.
    pub const fn plus(self, seconds: u64) -> Self {
        Self(self.0.saturating_add(seconds))
    }
}

/// The name of a queued message, also the name of its files: 1 to 64 of
/// `A-Z a-z 0-9 . _ -`, not starting with `.`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MessageId(String);

impl MessageId {
    /// Longest identifier accepted.
    pub const MAX_LENGTH: usize = 64;

    /// Whether `id` is a valid identifier.
    ///
    /// ```
    /// use mailwire_smtp::queue::MessageId;
    /// assert!(MessageId::is_valid("1733300000.42"));
    /// assert!(!MessageId::is_valid("../etc"));
    /// assert!(!MessageId::is_valid(""));
    /// ```
    pub fn is_valid(id: &str) -> bool {
        !id.is_empty()
            && id.len() <= Self::MAX_LENGTH
            && !id.starts_with('.')
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    }

    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<&str> for MessageId {
    type Error = super::QueueError;

    fn try_from(id: &str) -> Result<Self, Self::Error> {
        if Self::is_valid(id) {
            Ok(Self(id.to_owned()))
        } else {
            Err(super::QueueError::InvalidMessageId)
        }
    }
}

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Identifies one delivery attempt handed to the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JobId(pub u64);

/// Why a delivery attempt did not succeed, or the reply that ended it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Diagnostic {
    /// A reply from the remote server ([RFC 5321 §4.2]).
    ///
    /// [RFC 5321 §4.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.2
    Reply {
        /// The reply code.
        code: ReplyCode,
        /// The enhanced status code ([RFC 3463]), if the reply had one.
        ///
        /// [RFC 3463]: https://www.rfc-editor.org/rfc/rfc3463
        enhanced: Option<EnhancedCode>,
        /// The reply text on one line.
        text: String,
    },
    /// No reply: a DNS, connection or TLS failure. Transient.
    Other(String),
}

impl Diagnostic {
    /// A diagnostic from a reply, its lines joined with spaces.
    ///
    /// ```
    /// use mailwire_smtp::queue::Diagnostic;
    /// use mailwire_smtp::{EnhancedCode, Reply, ReplyCode};
    /// let reply = Reply::new(ReplyCode::MAILBOX_UNAVAILABLE, "no such user").unwrap()
    ///     .with_enhanced(EnhancedCode::BAD_DESTINATION_MAILBOX);
    /// let diagnostic = Diagnostic::from_reply(&reply);
    /// assert!(diagnostic.is_permanent());
    /// assert_eq!(diagnostic.to_string(), "550 5.1.1 no such user");
    /// ```
    pub fn from_reply(reply: &Reply<'_>) -> Self {
        let text = reply
            .lines()
            .iter()
            .map(|line| line.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        Self::Reply {
            code: reply.code(),
            enhanced: reply.enhanced(),
            text: one_line(&text),
        }
    }

    /// A failure without a reply (connection refused, DNS, TLS); the text
    /// is kept on one line.
    pub fn other(text: &str) -> Self {
        Self::Other(one_line(text))
    }

    /// A 5xx reply: the recipient fails now.
    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Reply { code, .. } if code.is_permanent())
    }

    /// A 2xx reply: the recipient was accepted.
    pub fn is_success(&self) -> bool {
        matches!(self, Self::Reply { code, .. } if code.is_positive_completion())
    }

    /// The [RFC 3463] status for a delivery status notification: the
    /// enhanced code given, else `X.0.0` from the reply class, else
    /// `4.4.1` (no answer from host) for failures without a reply.
    ///
    /// [RFC 3463]: https://www.rfc-editor.org/rfc/rfc3463
    pub fn status(&self) -> String {
        match self {
            Self::Reply {
                enhanced: Some(enhanced),
                ..
            } => enhanced.to_string(),
            Self::Reply { code, .. } => format!("{}.0.0", code.class()),
            Self::Other(_) => "4.4.1".to_owned(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Reply {
                code,
                enhanced: Some(enhanced),
                text,
            } => write!(f, "{code} {enhanced} {text}"),
            Self::Reply {
                code,
                enhanced: None,
                text,
            } => write!(f, "{code} {text}"),
            Self::Other(text) => f.write_str(text),
        }
    }
}

/// Replaces CR, LF and other controls by spaces, so a text fits one line
/// of the envelope file.
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Where a recipient stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecipientState {
    /// Not tried yet.
    Pending,
    /// Tried and failed transiently; tried again at the recipient's
    /// `next_due`.
    Deferred,
    /// Accepted by the next hop (or delivered).
    Delivered,
    /// Failed permanently, or expired.
    Bounced,
}

impl RecipientState {
    /// Delivered or bounced: nothing more happens to this recipient.
    pub const fn is_final(&self) -> bool {
        matches!(self, Self::Delivered | Self::Bounced)
    }
}

/// One recipient of a queued message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Recipient {
    /// The forward-path mailbox, `local@domain`, without angle brackets.
    pub address: String,
    /// `NOTIFY=` ([RFC 3461 §4.1]); `None` when not given.
    ///
    /// [RFC 3461 §4.1]: https://www.rfc-editor.org/rfc/rfc3461#section-4.1
    pub notify: Option<Notify>,
    /// `ORCPT=` as given, `addr-type;xtext` ([RFC 3461 §4.2]).
    ///
    /// [RFC 3461 §4.2]: https://www.rfc-editor.org/rfc/rfc3461#section-4.2
    pub orcpt: Option<String>,
    /// Where the recipient stands.
    pub state: RecipientState,
    /// Delivery attempts that did not end it.
    pub attempts: u32,
    /// When the recipient is next due for delivery.
    pub next_due: Timestamp,
    /// A delay notice was considered for this recipient.
    pub delay_notified: bool,
    /// The last reply or failure.
    pub last: Option<Diagnostic>,
}

impl Recipient {
    /// A pending recipient, due at once.
    pub fn new(address: &str) -> Self {
        Self {
            address: one_line(address),
            notify: None,
            orcpt: None,
            state: RecipientState::Pending,
            attempts: 0,
            next_due: Timestamp(0),
            delay_notified: false,
            last: None,
        }
    }

    /// The lower-cased domain of the address (what follows the last `@`).
    ///
    /// ```
    /// use mailwire_smtp::queue::Recipient;
    /// assert_eq!(Recipient::new("Jo@Example.ORG").domain(), "example.org");
    /// ```
    pub fn domain(&self) -> String {
        self.address
            .rsplit_once('@')
            .map_or("", |(_, domain)| domain)
            .trim_end_matches('.')
            .to_ascii_lowercase()
    }

    /// Whether a failure notice is wanted ([RFC 3461 §4.1]: absent NOTIFY
    /// means FAILURE).
    ///
    /// [RFC 3461 §4.1]: https://www.rfc-editor.org/rfc/rfc3461#section-4.1
    pub fn wants_failure(&self) -> bool {
        self.notify.is_none_or(Notify::failure)
    }

    /// Whether a delay notice is wanted (absent NOTIFY means
    /// FAILURE,DELAY here, the MTA's choice of §4.1).
    pub fn wants_delay(&self) -> bool {
        self.notify.is_none_or(Notify::delay)
    }

    /// Whether a success notice is wanted (only with NOTIFY=SUCCESS).
    pub fn wants_success(&self) -> bool {
        self.notify.is_some_and(Notify::success)
    }
}

/// A queued message: its envelope and every recipient's state. This is
/// what [`Message::to_bytes`] writes to the envelope file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Message {
    /// The message's identifier.
    pub id: MessageId,
    /// The reverse-path, `local@domain`; empty for the null reverse-path
    /// `<>`, which never gets a notification ([RFC 5321 §4.5.5]).
    ///
    /// [RFC 5321 §4.5.5]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.5
    pub sender: String,
    /// `ENVID=` as given, in xtext ([RFC 3461 §4.4]).
    ///
    /// [RFC 3461 §4.4]: https://www.rfc-editor.org/rfc/rfc3461#section-4.4
    pub envid: Option<String>,
    /// `RET=` ([RFC 3461 §4.3]).
    ///
    /// [RFC 3461 §4.3]: https://www.rfc-editor.org/rfc/rfc3461#section-4.3
    pub ret: Option<Ret>,
    /// When the message was accepted.
    pub arrival: Timestamp,
    /// The other MAIL parameters to carry to the next hop, each as on the
    /// command (`BODY=8BITMIME`, `SMTPUTF8`, `SIZE=1234`, `REQUIRETLS`,
    /// `MT-PRIORITY=3`; [RFC 5321 §4.1.1.2]). Words without spaces.
    ///
    /// [RFC 5321 §4.1.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.2
    pub mail_parameters: Vec<String>,
    /// The recipients, in RCPT order.
    pub recipients: Vec<Recipient>,
}

impl Message {
    /// A message accepted at `arrival` for `recipients`.
    pub fn new(
        id: MessageId,
        sender: &str,
        arrival: Timestamp,
        recipients: Vec<Recipient>,
    ) -> Self {
        Self {
            id,
            sender: one_line(sender),
            envid: None,
            ret: None,
            arrival,
            mail_parameters: Vec::new(),
            recipients,
        }
    }

    /// The reverse-path is null: no notification is ever sent.
    pub fn has_null_sender(&self) -> bool {
        self.sender.is_empty()
    }

    /// Every recipient is delivered or bounced.
    pub fn is_done(&self) -> bool {
        self.recipients.iter().all(|r| r.state.is_final())
    }
}

/// A delivery attempt: every due recipient of one message at one domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Job {
    /// The attempt.
    pub id: JobId,
    /// The message to send.
    pub message: MessageId,
    /// The reverse-path (empty for `<>`).
    pub sender: String,
    /// The destination domain.
    pub domain: String,
    /// The recipients to send to: (index in the message, address).
    pub recipients: Vec<(usize, String)>,
    /// The hosts to try, in order; empty until the MX answer is handed in.
    pub hosts: Vec<MxTarget>,
}

/// One recipient in an event.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecipientReport {
    /// Index in the message's recipients.
    pub index: usize,
    /// The address.
    pub address: String,
    /// `ORCPT=` as given.
    pub orcpt: Option<String>,
    /// The reply or failure behind the event.
    pub diagnostic: Option<Diagnostic>,
    /// The host that gave the reply.
    pub remote_mta: Option<String>,
    /// A delivery status notification is due for this recipient (its
    /// NOTIFY asks for it and the sender is not null).
    pub dsn: bool,
}

/// What the queue tells the application, from [`Queue::poll_event`](super::Queue::poll_event).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Event {
    /// Start a delivery attempt: look up the MX records of `job.domain`
    /// and hand the answer to [`Queue::handle_mx`](super::Queue::handle_mx).
    Deliver(Job),
    /// Connect to `host` (the job's hosts are filled in) and run one
    /// transaction for the job's recipients; report with
    /// [`Queue::handle_connect_failed`](super::Queue::handle_connect_failed),
    /// [`Queue::handle_session_reply`](super::Queue::handle_session_reply) or
    /// [`Queue::handle_recipient_replies`](super::Queue::handle_recipient_replies).
    ConnectTo {
        /// The attempt.
        job: Job,
        /// The host to connect to.
        host: MxTarget,
    },
    /// Recipients were accepted by the next hop.
    Delivered {
        /// The message.
        message: MessageId,
        /// The recipients.
        recipients: Vec<RecipientReport>,
    },
    /// Recipients failed transiently and will be tried again.
    Defer {
        /// The message.
        message: MessageId,
        /// The recipients.
        recipients: Vec<RecipientReport>,
        /// The earliest next attempt among them.
        next_attempt: Timestamp,
    },
    /// Recipients failed permanently or expired. The bounce is recorded
    /// even when no notification is sent (`dsn` is false, as for `<>`).
    Bounce {
        /// The message.
        message: MessageId,
        /// The recipients.
        recipients: Vec<RecipientReport>,
        /// The queue lifetime ran out (else a permanent failure).
        expired: bool,
        /// A notification to the sender is due (some recipient's `dsn`).
        dsn: bool,
    },
    /// Recipients have been delayed past the warning time and asked for a
    /// delay notice ([RFC 3461 §4.1] `DELAY`); sent at most once.
    ///
    /// [RFC 3461 §4.1]: https://www.rfc-editor.org/rfc/rfc3461#section-4.1
    DelayNotice {
        /// The message.
        message: MessageId,
        /// The recipients.
        recipients: Vec<RecipientReport>,
        /// When the queue gives up (`Will-Retry-Until`, RFC 3464 §2.3.9).
        will_retry_until: Timestamp,
    },
    /// Every recipient is delivered or bounced: the message has left the
    /// queue and its files can be removed.
    Finished {
        /// The message.
        message: MessageId,
    },
}
