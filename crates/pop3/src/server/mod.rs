//! The POP3 server machine ([RFC 1939 §3–§7], [RFC 2449], [RFC 2595], [RFC
//! 5034], [RFC 6856]).
//!
//! [`Server`] reads commands, answers what the protocol decides on its own
//! (sequence, syntax, limits, `CAPA`, `STAT`, `LIST`, `UIDL`, `DELE`,
//! `RSET`, `NOOP`) and asks the application about the rest through
//! [`Event`]s: credentials, the maildrop, each message, the deletions. The
//! application answers with commands named for what it decided
//! ([`accept_login`](Server::accept_login),
//! [`open_maildrop`](Server::open_maildrop),
//! [`send_message_chunk`](Server::send_message_chunk), ...). While a
//! question is open the machine consumes no input, so pipelined commands
//! ([RFC 2449 §6.6]) wait in the caller's buffer and responses always go out
//! in command order.
//!
//! The maildrop is the application's: the machine only keeps the listing
//! it was given (sizes and unique-ids) and which messages are marked. `DELE`
//! only marks, `RSET` unmarks, and deletions are asked for
//! ([`Event::CommitDeletions`]) only in the UPDATE state, after `QUIT`. A
//! connection that drops or times out deletes nothing ([RFC 1939 §6]).
//!
//! SASL ([RFC 5034]) runs inside the machine on
//! [`mailwire_sasl::Server`]: the application sees its questions as
//! [`Event::Sasl`] and answers with [`Server::sasl_credentials`] or
//! [`Server::sasl_verdict`]. A SCRAM server's final message goes out as one
//! more `+` continuation, answered by an empty line, since `+OK` cannot
//! carry data in POP3.
//!
//! [RFC 1939 §3–§7]: https://www.rfc-editor.org/rfc/rfc1939#section-3
//! [RFC 1939 §6]: https://www.rfc-editor.org/rfc/rfc1939#section-6
//! [RFC 2449]: https://www.rfc-editor.org/rfc/rfc2449
//! [RFC 2449 §6.6]: https://www.rfc-editor.org/rfc/rfc2449#section-6.6
//! [RFC 2595]: https://www.rfc-editor.org/rfc/rfc2595
//! [RFC 5034]: https://www.rfc-editor.org/rfc/rfc5034
//! [RFC 6856]: https://www.rfc-editor.org/rfc/rfc6856
//!
//! # States
//!
//! The session states of [RFC 1939 §3], with the questions the machine asks
//! on the way:
//!
//! ```text
//!   greeting +OK [<timestamp>]
//!          |
//!          v          STLS -> +OK, plaintext discarded, TLS handshake
//!   +--------------+ ------------------------------------------+
//!   |AUTHORIZATION | <-----------------------------------------+
//!   +--------------+  USER/PASS -> AuthenticateUser (app)
//!     |   ^    |      APOP      -> ApopRequested (app)
//!     |   |    |      AUTH      -> + challenges / Sasl (app)
//!     |   |    |      failure   -> -ERR [AUTH], delayed
//!     |   |    v
//!     |   |  MaildropRequested (app) -- locked --> -ERR [IN-USE]
//!     |   +------------------------------------------+
//!     |        | open_maildrop -> +OK
//!     |        v
//!     |  +-------------+  STAT LIST UIDL NOOP: answered here
//!     |  | TRANSACTION |  DELE marks, RSET unmarks
//!     |  +-------------+  RETR/TOP -> MessageRequested (app), streamed
//!     |        | QUIT
//!     |        v
//!     |  +-------------+  CommitDeletions (app) if any were marked
//!     |  |   UPDATE    |  -> +OK / -ERR [SYS/TEMP]
//!     |  +-------------+
//!     | QUIT    |
//!     v         v
//!    closed (Closed { Quit })
//!
//!   any state: connection lost, autologout timer (no response),
//!   too many errors or failed logins -> closed, nothing deleted
//! ```
//!
//! # Example
//!
//! ```
//! use std::time::Instant;
//! use mailwire_core::machine::Machine;
//! use mailwire_pop3::server::{Event, Maildrop, MessageInfo, Server, ServerConfig};
//! use mailwire_pop3::UniqueId;
//!
//! let now = Instant::now();
//! let mut config = ServerConfig::new();
//! config.plaintext_requires_tls = false;
//! let mut server = Server::new(config, now);
//! let mut out = Vec::new();
//! while server.poll_transmit(&mut out).is_some() {}
//! assert!(out.starts_with(b"+OK"));
//!
//! let input = b"USER mrose\r\nPASS tanstaaf\r\nRETR 1\r\nQUIT\r\n";
//! let mut fed = 0;
//! let mut deleted = None;
//! loop {
//!     fed += server.handle_input(now, &input[fed..]).unwrap();
//!     while let Some(event) = server.poll_event() {
//!         match event {
//!             Event::AuthenticateUser { user, password } => {
//!                 assert_eq!((user.as_str(), password.expose_secret().as_str()), ("mrose", "tanstaaf"));
//!                 server.accept_login().unwrap();
//!             }
//!             Event::MaildropRequested { .. } => {
//!                 let uid = UniqueId::new("a1").unwrap();
//!                 server.open_maildrop(Maildrop::new(vec![MessageInfo { size: 9, uid }])).unwrap();
//!             }
//!             Event::MessageRequested { message: 1, .. } => {
//!                 server.send_message_chunk(b".hello\r\n").unwrap();
//!                 server.finish_message().unwrap();
//!             }
//!             Event::CommitDeletions { messages } => deleted = Some(messages),
//!             _ => {}
//!         }
//!     }
//!     if fed == input.len() { break; }
//! }
//! out.clear();
//! while server.poll_transmit(&mut out).is_some() {}
//! let text = String::from_utf8(out).unwrap();
//! assert!(text.contains("+OK 9 octets\r\n..hello\r\n.\r\n"));
//! assert!(text.ends_with("+OK POP3 server signing off (1 messages left)\r\n"));
//! assert_eq!(deleted, None); // nothing marked, nothing to commit
//! assert!(server.is_closed());
//! ```

use std::time::Instant;

use mailwire_core::Secret;
use mailwire_core::line::{LineConfig, LineFramer};
use mailwire_core::machine::{ErrorCounter, EventQueue, Outbox, Question, Sticky, Timer};
use mailwire_core::machine::{Machine, Transmit};
use mailwire_sasl::Mechanism;

use crate::Error;
use crate::encode::response::encode_response;
use crate::types::capability::{Capabilities, Capability};
use crate::types::command::{ApopDigest, Argument};
use crate::types::response::{Response, Status};

mod answer;
mod body;
mod command;
mod config;
mod maildrop;

use body::Stream;
use maildrop::Session;

pub use config::ServerConfig;
pub use maildrop::{Maildrop, MessageInfo};

/// Why the session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CloseReason {
    /// The client sent `QUIT` (and the UPDATE state, if any, is over).
    Quit,
    /// The autologout timer expired ([RFC 1939 §3]); nothing was deleted.
    ///
    /// [RFC 1939 §3]: https://www.rfc-editor.org/rfc/rfc1939#section-3
    Timeout,
    /// Too many erroneous commands.
    TooManyErrors,
    /// Too many failed authentications.
    TooManyAuthFailures,
    /// The client closed the connection; nothing was deleted.
    PeerClosed,
    /// The application called [`Server::shutdown`].
    Shutdown,
}

/// A fact for the application, or a question it must answer; see the
/// [module documentation](self).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// `USER` and `PASS` were given. Answer with [`Server::accept_login`]
    /// or [`Server::reject_login`].
    AuthenticateUser {
        /// The mailbox name.
        user: String,
        /// The password.
        password: Secret<String>,
    },
    /// `APOP` was given. Check it with
    /// [`ApopDigest::verify`]`(&timestamp, secret)` and answer with
    /// [`Server::accept_login`] or [`Server::reject_login`].
    ApopRequested {
        /// The mailbox name.
        user: String,
        /// The digest the client sent.
        digest: ApopDigest,
        /// The timestamp of the greeting.
        timestamp: String,
    },
    /// The SASL exchange needs stored credentials or a verdict. Answer with
    /// [`Server::sasl_credentials`] or [`Server::sasl_verdict`].
    Sasl(mailwire_sasl::Event),
    /// The client is authenticated: lock the maildrop and answer with
    /// [`Server::open_maildrop`], [`Server::maildrop_in_use`] or
    /// [`Server::reject_maildrop`].
    MaildropRequested {
        /// The authenticated user (for SASL, the authentication identity).
        user: String,
        /// The authorization identity a SASL client asked for, if any;
        /// whether `user` may act as it is the application's policy.
        authzid: Option<String>,
    },
    /// `RETR` (`top_lines: None`) or `TOP` of an existing, unmarked
    /// message. Answer with [`Server::send_message_chunk`] (any number of
    /// times) then [`Server::finish_message`], or with
    /// [`Server::message_unavailable`] before the first chunk.
    MessageRequested {
        /// The message number (1-based).
        message: u32,
        /// For `TOP`, the body lines to send after the header; the machine
        /// cuts the message itself.
        top_lines: Option<u32>,
    },
    /// The UPDATE state: remove these messages (ascending numbers) and
    /// answer with [`Server::deletions_committed`] or
    /// [`Server::deletions_failed`].
    CommitDeletions {
        /// The messages marked with `DELE`.
        messages: Vec<u32>,
    },
    /// `+OK` to `STLS` is queued: send it, then run the TLS handshake and
    /// call [`Machine::handle_tls_established`].
    TlsRequested,
    /// The session is over: send pending transmits, close, and release the
    /// maildrop lock.
    Closed {
        /// Why.
        reason: CloseReason,
    },
}

mailwire_core::impl_machine_event!(Event);

/// The RFC 1939 session state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionState {
    /// Before the client is authenticated and the maildrop locked.
    Authorization,
    /// The maildrop is open.
    Transaction,
    /// After `QUIT` in TRANSACTION.
    Update,
}

/// The question the application has to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Login,
    Sasl,
    Maildrop,
    Message,
    Commit,
}

#[derive(Debug)]
enum Phase {
    Command,
    SaslLine,
    /// A failed authentication's `-ERR` is held back until `until`.
    Delayed {
        until: Instant,
    },
    TlsPending,
    Closed,
}

/// The server machine; see the [module documentation](self).
#[derive(Debug)]
pub struct Server {
    config: ServerConfig,
    framer: LineFramer,
    phase: Phase,
    state: SessionState,
    tls: bool,
    utf8: bool,
    language: Option<Argument>,
    /// The name given with `USER`, waiting for `PASS`.
    user: Option<String>,
    /// The user being logged in or logged in.
    authenticated: Option<String>,
    sasl: Option<mailwire_sasl::Server>,
    session: Option<Session>,
    stream: Option<Stream>,
    out: Outbox,
    delayed: Vec<u8>,
    events: EventQueue<Event>,
    question: Question<Pending>,
    errors: ErrorCounter,
    auth_failures: u32,
    fatal: Sticky<Error>,
    timer: Timer,
}

fn ok(text: &'static str) -> Response {
    Response::new_static(Status::Ok, None, text)
}

fn err(text: &'static str) -> Response {
    Response::new_static(Status::Err, None, text)
}

fn ok_owned(text: String) -> Response {
    Response::new(Status::Ok, None, text).unwrap_or_else(|_| ok(""))
}

impl Server {
    /// A server that has just accepted a connection; the greeting is queued.
    pub fn new(config: ServerConfig, now: Instant) -> Self {
        let framer = LineFramer::new(line_config(config.limits.max_command_line_length));
        let language = config.languages.first().map(|l| l.tag.clone());
        let mut server = Self {
            framer,
            phase: Phase::Command,
            state: SessionState::Authorization,
            tls: config.tls_active,
            utf8: false,
            language,
            user: None,
            authenticated: None,
            sasl: None,
            session: None,
            stream: None,
            out: Outbox::new(),
            delayed: Vec::new(),
            events: EventQueue::with_capacity(config.limits.max_queued_events),
            question: Question::new(),
            errors: ErrorCounter::new(config.limits.max_errors),
            auth_failures: 0,
            fatal: Sticky::new(),
            timer: Timer::new(now),
            config,
        };
        let mut text = server.config.greeting.as_str().to_owned();
        if let Some(stamp) = &server.config.apop_timestamp {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(stamp);
        }
        let greeting = ok_owned(text);
        server.send(&greeting);
        server.arm();
        server
    }

    /// The configuration.
    pub const fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// The session state.
    pub const fn state(&self) -> SessionState {
        self.state
    }

    /// `true` once TLS is active (implicit, or after STLS).
    pub const fn is_tls(&self) -> bool {
        self.tls
    }

    /// `true` after a successful `UTF8` command ([RFC 6856 §2.1]).
    ///
    /// [RFC 6856 §2.1]: https://www.rfc-editor.org/rfc/rfc6856#section-2.1
    pub const fn is_utf8(&self) -> bool {
        self.utf8
    }

    /// The language chosen with `LANG`, or the default.
    pub fn language(&self) -> Option<&Argument> {
        self.language.as_ref()
    }

    /// The authenticated user, once authentication succeeded.
    pub fn authenticated_as(&self) -> Option<&str> {
        self.authenticated.as_deref()
    }

    /// The messages marked with `DELE` so far, ascending.
    pub fn marked(&self) -> Vec<u32> {
        self.session.as_ref().map_or_else(Vec::new, |s| {
            s.deleted
                .iter()
                .zip(1u32..)
                .filter(|(d, _)| **d)
                .map(|(_, n)| n)
                .collect()
        })
    }

    /// The capabilities `CAPA` announces now (they change with TLS and
    /// state, [RFC 2449 §5]).
    ///
    /// [RFC 2449 §5]: https://www.rfc-editor.org/rfc/rfc2449#section-5
    pub fn capabilities(&self) -> Capabilities {
        let c = &self.config;
        let mut caps = Capabilities::default();
        caps.push(Capability::Top);
        caps.push(Capability::Uidl);
        caps.push(Capability::RespCodes);
        caps.push(Capability::AuthRespCode);
        if c.pipelining {
            caps.push(Capability::Pipelining);
        }
        if self.state == SessionState::Authorization {
            if self.user_pass_offered() {
                caps.push(Capability::User);
            }
            let mechanisms = self.offered_mechanisms();
            if !mechanisms.is_empty() {
                caps.push(Capability::Sasl(mechanisms));
            }
            if c.stls && !self.tls {
                caps.push(Capability::Stls);
            }
            if c.utf8 {
                caps.push(Capability::Utf8 { user: true });
            }
        }
        if !c.languages.is_empty() {
            caps.push(Capability::Lang);
        }
        for extra in &c.extra_capabilities {
            caps.push(extra.clone());
        }
        if let Some(text) = &c.implementation {
            caps.push(Capability::Implementation(text.clone()));
        }
        caps
    }

    fn plaintext_allowed(&self) -> bool {
        self.tls || !self.config.plaintext_requires_tls
    }

    fn user_pass_offered(&self) -> bool {
        self.config.user_pass && self.plaintext_allowed()
    }

    fn offered_mechanisms(&self) -> Vec<Mechanism> {
        let policy = mailwire_sasl::negotiate::Policy::new(self.tls)
            .allow_plaintext_without_tls(!self.config.plaintext_requires_tls);
        mailwire_sasl::negotiate::advertise(
            &self.config.sasl_mechanisms,
            &policy,
            &self.config.sasl,
        )
    }

    // ----- internals -------------------------------------------------------------------

    fn send(&mut self, response: &Response) {
        encode_response(response, self.out.buffer());
    }

    fn arm(&mut self) {
        let timeout = self
            .config
            .limits
            .autologout
            .max(crate::limits::RFC1939_AUTOLOGOUT);
        self.timer.arm(timeout);
    }

    fn close(&mut self, reason: CloseReason) {
        self.phase = Phase::Closed;
        self.question.clear();
        self.timer.disarm();
        self.framer.clear();
        self.sasl = None;
        self.stream = None;
        self.events.push(Event::Closed { reason });
    }

    fn set_line_limit(&mut self, max: usize) {
        self.framer.set_config(line_config(max));
    }

    /// Counts an erroneous command; past the limit the session ends.
    fn error(&mut self, response: &Response) {
        self.send(response);
        if self.errors.record() {
            self.send(&err("Too many bad commands, closing connection"));
            self.fatal.set(Error::from(self.errors.error()));
            self.close(CloseReason::TooManyErrors);
        }
    }

    fn ask(&mut self, pending: Pending, event: Event) {
        self.phase = Phase::Command;
        self.question.ask(pending);
        self.timer.disarm();
        self.events.push(event);
    }

    fn ask_maildrop(&mut self, user: String, authzid: Option<String>) {
        self.authenticated = Some(user.clone());
        self.ask(
            Pending::Maildrop,
            Event::MaildropRequested { user, authzid },
        );
    }

    fn auth_failed(&mut self, response: Response) {
        self.sasl = None;
        self.authenticated = None;
        self.user = None;
        self.set_line_limit(self.config.limits.max_command_line_length);
        self.auth_failures = self.auth_failures.saturating_add(1);
        let mut delayed = Vec::new();
        encode_response(&response, &mut delayed);
        if self.auth_failures >= self.config.limits.max_auth_failures {
            encode_response(&err("Too many authentication failures"), &mut delayed);
        }
        self.delayed = delayed;
        let delay = self.config.limits.auth_failure_delay;
        match self
            .timer
            .now()
            .checked_add(delay)
            .filter(|_| !delay.is_zero())
        {
            Some(until) => {
                self.phase = Phase::Delayed { until };
                self.timer.arm_at(until);
            }
            None => self.end_delay(),
        }
    }

    fn end_delay(&mut self) {
        self.out.push(&std::mem::take(&mut self.delayed));
        self.phase = Phase::Command;
        if self.auth_failures >= self.config.limits.max_auth_failures {
            self.close(CloseReason::TooManyAuthFailures);
        } else {
            self.arm();
        }
    }

    fn backlogged(&self) -> bool {
        self.events.is_full()
    }

    /// Processes buffered input until it runs out or a question is open.
    fn resume(&mut self) {
        loop {
            if self.backlogged() || self.question.is_open() {
                return;
            }
            let sasl_line = match self.phase {
                Phase::Command => false,
                Phase::SaslLine => true,
                _ => return,
            };
            let line = match self.framer.next_line() {
                None => return,
                Some(Err(e)) => Err(e),
                Some(Ok(line)) => Ok((line.bytes().to_vec(), line.offset())),
            };
            self.arm();
            match line {
                Err(e) => self.line_error(e, sasl_line),
                Ok((line, _)) if sasl_line => self.sasl_line(&line),
                Ok((line, offset)) => self.command_line(&line, offset),
            }
        }
    }
}

fn as_err(mut response: Response) -> Response {
    response.status = Status::Err;
    response
}

fn line_config(max: usize) -> LineConfig {
    LineConfig::default().with_max_line_length(max)
}

impl Machine for Server {
    type Event = Event;
    type Error = Error;

    fn handle_input(&mut self, now: Instant, input: &[u8]) -> Result<usize, Error> {
        self.fatal.check()?;
        self.timer.tick(now);
        match self.phase {
            // Plaintext after STLS, or anything after the end: dropped.
            Phase::TlsPending | Phase::Closed => return Ok(input.len()),
            Phase::Delayed { .. } => return Ok(0),
            Phase::Command | Phase::SaslLine if self.question.is_open() => return Ok(0),
            Phase::Command | Phase::SaslLine => {}
        }
        if self.backlogged() {
            return Ok(0);
        }
        self.framer.push(input);
        self.resume();
        self.fatal.check()?;
        Ok(input.len())
    }

    fn handle_timeout(&mut self, now: Instant) {
        if !self.timer.expired(now) {
            return;
        }
        match self.phase {
            Phase::Delayed { until } if now >= until => {
                self.end_delay();
                self.resume();
            }
            Phase::Command | Phase::SaslLine => {
                // RFC 1939 §3: close without a response, delete nothing.
                self.close(CloseReason::Timeout);
            }
            _ => {}
        }
    }

    fn handle_tls_established(&mut self, now: Instant) {
        self.timer.tick(now);
        if matches!(self.phase, Phase::TlsPending) {
            // RFC 2595 §4: forget anything learnt before TLS.
            self.framer.clear();
            self.phase = Phase::Command;
            self.tls = true;
            self.user = None;
            self.arm();
        }
    }

    fn handle_eof(&mut self, now: Instant) {
        self.timer.tick(now);
        if !matches!(self.phase, Phase::Closed) {
            self.close(CloseReason::PeerClosed);
        }
    }

    fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
        self.out.poll_transmit(buf)
    }

    fn poll_timeout(&self) -> Option<Instant> {
        match self.phase {
            Phase::Closed | Phase::TlsPending => None,
            _ if self.question.is_open() => None,
            _ => self.timer.deadline(),
        }
    }

    fn poll_event(&mut self) -> Option<Event> {
        let event = self.events.pop()?;
        if self.events.is_empty() {
            self.resume();
        }
        Some(event)
    }

    fn is_closed(&self) -> bool {
        matches!(self.phase, Phase::Closed)
    }
}
