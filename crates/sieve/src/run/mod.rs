//! Running a compiled script against a message.
//!
//! The interpreter is sans-IO: the caller hands in the parsed message, the
//! SMTP envelope and a [`Context`] that answers the questions a script may
//! ask of the store (does this mailbox exist, was this message seen
//! before, was this sender answered already) and gives the current time.
//! The result is an [`Outcome`]: the actions to take, the duplicate-
//! tracking records to store once delivery succeeded, and the error that
//! stopped the run, if any (then the actions are just the implicit keep,
//! [RFC 5228 §2.10.6]).
//!
//! ```
//! use mailwire_sieve::{Action, Envelope, Interpreter, MemoryContext, Script};
//!
//! let script = Script::compile(br#"require ["fileinto", "envelope", "subaddress"];
//! if envelope :detail "to" "shop" { fileinto "Shopping"; }"#).unwrap();
//! let message = mailwire_message::parse(b"From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n");
//! let envelope = Envelope::new("a@example.com", "alice+shop@example.org");
//! let outcome = Interpreter::new(&script).run(&message, &envelope, &mut MemoryContext::default());
//! assert_eq!(outcome.actions, [Action::FileInto { mailbox: "Shopping".into(), flags: vec![], create: false }]);
//! ```
//!
//! [RFC 5228 §2.10.6]: https://www.rfc-editor.org/rfc/rfc5228#section-2.10.6

pub(crate) mod action;
mod exec;
pub(crate) use exec::Run;
pub(crate) mod matching;
mod test;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset};
use mailwire_message::Message;

use crate::compile::Script;
use crate::error::RuntimeError;
use crate::limits::Limits;
use action::{Action, Actions};

/// The SMTP envelope of the message being delivered ([RFC 5228 §5.4]).
///
/// [RFC 5228 §5.4]: https://www.rfc-editor.org/rfc/rfc5228#section-5.4
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Envelope {
    /// The reverse path (`MAIL FROM`), empty for the null path `<>`.
    pub from: String,
    /// The recipient this delivery is for (`RCPT TO`).
    pub to: String,
    /// The authenticated submitter (`AUTH=` of `MAIL FROM`), if known.
    pub auth: Option<String>,
}

impl Envelope {
    /// An envelope with a reverse path and one recipient.
    pub fn new(from: impl Into<String>, to: impl Into<String>) -> Self {
        Self {
            from: from.into(),
            to: to.into(),
            auth: None,
        }
    }
}

/// What the interpreter asks of the caller while it runs.
pub trait Context {
    /// The current time, in the local zone of the server (RFC 5260
    /// `currentdate` and the default zone of `date`).
    fn now(&self) -> DateTime<FixedOffset>;

    /// Whether `mailbox` exists ([RFC 5490 §3.1]).
    ///
    /// [RFC 5490 §3.1]: https://www.rfc-editor.org/rfc/rfc5490#section-3.1
    fn mailbox_exists(&mut self, mailbox: &str) -> bool;

    /// Whether `id` was recorded under `handle` and has not expired
    /// ([RFC 7352 §3]). Records come back in [`Outcome::duplicates`].
    ///
    /// [RFC 7352 §3]: https://www.rfc-editor.org/rfc/rfc7352#section-3
    fn is_duplicate(&mut self, handle: &str, id: &str) -> bool;

    /// Whether a vacation reply went to `sender` under `handle` within the
    /// response period ([RFC 5230 §4.2]). The caller records it when it
    /// sends the [`VacationResponse`](crate::VacationResponse).
    ///
    /// [RFC 5230 §4.2]: https://www.rfc-editor.org/rfc/rfc5230#section-4.2
    fn vacation_replied(&mut self, handle: &str, sender: &str) -> bool;
}

/// A [`Context`] in memory: fixed time, a set of mailboxes, and tracking
/// sets (nothing expires).
#[derive(Debug, Clone)]
pub struct MemoryContext {
    /// The time `now` returns.
    pub now: DateTime<FixedOffset>,
    /// Mailboxes that exist (`INBOX` always does).
    pub mailboxes: HashSet<String>,
    /// Recorded duplicate identifiers, as `(handle, id)`.
    pub duplicates: HashSet<(String, String)>,
    /// Senders answered, as `(handle, sender)`.
    pub replied: HashSet<(String, String)>,
}

impl Default for MemoryContext {
    fn default() -> Self {
        Self {
            now: DateTime::from_timestamp(0, 0)
                .unwrap_or_default()
                .fixed_offset(),
            mailboxes: HashSet::new(),
            duplicates: HashSet::new(),
            replied: HashSet::new(),
        }
    }
}

impl MemoryContext {
    /// Stores what an [`Outcome`] asks to remember: its duplicate records
    /// and its vacation reply.
    pub fn commit(&mut self, outcome: &Outcome) {
        for d in &outcome.duplicates {
            self.duplicates.insert((d.handle.clone(), d.id.clone()));
        }
        for a in &outcome.actions {
            if let Action::Vacation(v) = a {
                self.replied
                    .insert((v.handle.clone(), v.to.to_ascii_lowercase()));
            }
        }
    }
}

impl Context for MemoryContext {
    fn now(&self) -> DateTime<FixedOffset> {
        self.now
    }

    fn mailbox_exists(&mut self, mailbox: &str) -> bool {
        mailbox.eq_ignore_ascii_case("INBOX") || self.mailboxes.contains(mailbox)
    }

    fn is_duplicate(&mut self, handle: &str, id: &str) -> bool {
        self.duplicates
            .contains(&(handle.to_owned(), id.to_owned()))
    }

    fn vacation_replied(&mut self, handle: &str, sender: &str) -> bool {
        self.replied
            .contains(&(handle.to_owned(), sender.to_ascii_lowercase()))
    }
}

/// Run-time settings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// Limits on the run.
    pub limits: Limits,
    /// The separator between user and detail ([RFC 5233 §1]); the first
    /// occurrence splits.
    ///
    /// [RFC 5233 §1]: https://www.rfc-editor.org/rfc/rfc5233#section-1
    pub subaddress_separator: char,
    /// Other addresses of the recipient, for vacation's checks
    /// ([RFC 5230 §4.5]).
    ///
    /// [RFC 5230 §4.5]: https://www.rfc-editor.org/rfc/rfc5230#section-4.5
    pub user_addresses: Vec<String>,
    /// Vacation response period when the script gives none (7 days,
    /// [RFC 5230 §4.1]).
    ///
    /// [RFC 5230 §4.1]: https://www.rfc-editor.org/rfc/rfc5230#section-4.1
    pub vacation_default_seconds: u64,
    /// Shortest vacation period accepted; shorter ones are raised to it.
    pub vacation_min_seconds: u64,
    /// Longest vacation period accepted; longer ones are lowered to it.
    pub vacation_max_seconds: u64,
    /// Duplicate tracking period when the script gives none ([RFC 7352
    /// §3.3]).
    ///
    /// [RFC 7352 §3.3]: https://www.rfc-editor.org/rfc/rfc7352#section-3.3
    pub duplicate_default_seconds: u64,
    /// Longest duplicate tracking period accepted.
    pub duplicate_max_seconds: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            subaddress_separator: '+',
            user_addresses: Vec::new(),
            vacation_default_seconds: 7 * 86_400,
            vacation_min_seconds: 86_400,
            vacation_max_seconds: 90 * 86_400,
            duplicate_default_seconds: 7 * 86_400,
            duplicate_max_seconds: 30 * 86_400,
        }
    }
}

/// A duplicate-tracking record to store after a successful delivery
/// ([RFC 7352 §3]).
///
/// [RFC 7352 §3]: https://www.rfc-editor.org/rfc/rfc7352#section-3
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateRecord {
    /// The `:handle` (empty when none).
    pub handle: String,
    /// The unique identifier.
    pub id: String,
    /// How long to remember it, in seconds.
    pub seconds: u64,
    /// `:last`: refresh the expiry even when already present.
    pub last: bool,
}

/// What a run produced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// The actions, in order, implicit keep included. Empty means discard.
    pub actions: Vec<Action>,
    /// Duplicate records to store once the actions are carried out.
    pub duplicates: Vec<DuplicateRecord>,
    /// The error that stopped the run; `actions` is then the keep.
    pub error: Option<RuntimeError>,
}

/// Runs a compiled [`Script`] with a [`Config`].
#[derive(Debug, Clone)]
pub struct Interpreter<'s> {
    script: &'s Script,
    config: Config,
}

impl<'s> Interpreter<'s> {
    /// An interpreter with the default [`Config`].
    pub fn new(script: &'s Script) -> Self {
        Self {
            script,
            config: Config::default(),
        }
    }

    /// An interpreter with `config`.
    pub fn with_config(script: &'s Script, config: Config) -> Self {
        Self { script, config }
    }

    /// Runs the script against `message` delivered with `envelope`.
    ///
    /// Never fails: a run-time error keeps the message and is reported in
    /// [`Outcome::error`].
    pub fn run(
        &self,
        message: &Message<'_>,
        envelope: &Envelope,
        context: &mut dyn Context,
    ) -> Outcome {
        let mut run = exec::Run {
            script: self.script,
            config: &self.config,
            message,
            envelope,
            context,
            variables: HashMap::new(),
            match_variables: Vec::new(),
            actions: Actions::new(),
            duplicates: Vec::new(),
            work: 0,
            size: None,
        };
        match run.execute() {
            Ok(()) => {
                let mut actions = run.actions;
                if actions.implicit_keep {
                    let flags = run
                        .variables
                        .get("")
                        .map(|f| crate::ext::flags::split(f))
                        .unwrap_or_default();
                    actions.list.push(Action::Keep { flags });
                }
                Outcome {
                    actions: actions.list,
                    duplicates: run.duplicates,
                    error: None,
                }
            }
            Err(error) => Outcome {
                actions: vec![Action::Keep { flags: Vec::new() }],
                duplicates: Vec::new(),
                error: Some(error),
            },
        }
    }
}

/// The `addr-spec` in a redirect address, if it is a valid one
/// ([RFC 5228 §4.2]).
///
/// [RFC 5228 §4.2]: https://www.rfc-editor.org/rfc/rfc5228#section-4.2
pub(crate) fn redirect_address(value: &str) -> Option<String> {
    use mailwire_message::address::{AddressList, Mode};
    let (list, defects) = AddressList::parse(value.as_bytes(), Mode::Lenient);
    if !defects.is_empty() {
        return None;
    }
    let mut mailboxes = list.mailboxes();
    let first = mailboxes.next()?;
    if mailboxes.next().is_some() {
        return None;
    }
    first.addr_spec().map(|a| a.to_string())
}
