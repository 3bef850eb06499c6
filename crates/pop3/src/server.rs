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

use std::collections::VecDeque;
use std::time::Instant;

use mailwire_core::Secret;
use mailwire_core::dot::DotEncoder;
use mailwire_core::line::{LineConfig, LineError, LineFramer};
use mailwire_core::machine::{Control, Machine, MachineEvent, Transmit};
use mailwire_sasl::wire::{self, ClientMessage};
use mailwire_sasl::{Failure, Mechanism, Outcome, ServerStep, StoredCredentials, Verdict};

use crate::Error;
use crate::encode::encode_continuation;
use crate::encode::response::encode_response;
use crate::limits::ServerLimits;
use crate::parse::parse_command_line;
use crate::types::capability::{Capabilities, Capability};
use crate::types::command::{ApopDigest, Argument, Command};
use crate::types::response::{Language, Response, Status, Text, UniqueId};
use crate::types::response_code::ResponseCode;

/// Server configuration: what is offered, and the limits.
///
/// ```
/// use mailwire_pop3::server::ServerConfig;
/// use mailwire_sasl::Mechanism;
///
/// let mut config = ServerConfig::new();
/// config.stls = true;
/// config.sasl_mechanisms = vec![Mechanism::SCRAM_SHA_256, Mechanism::PLAIN];
/// config.apop_timestamp = Some("<1896.697170952@dbc.mtview.ca.us>".into());
/// assert!(config.plaintext_requires_tls);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServerConfig {
    /// Limits and timers.
    pub limits: ServerLimits,
    /// The greeting text, before the APOP timestamp.
    pub greeting: Text,
    /// The APOP timestamp for this connection, `<process-ID.clock@hostname>`
    /// ([RFC 1939 §7]): unique per connection, so the caller makes it.
    /// `None` turns `APOP` off.
    ///
    /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
    pub apop_timestamp: Option<String>,
    /// Offer `STLS` ([RFC 2595 §4]); the driver must be able to run TLS.
    ///
    /// [RFC 2595 §4]: https://www.rfc-editor.org/rfc/rfc2595#section-4
    pub stls: bool,
    /// The connection is already TLS (port 995, [RFC 8314]).
    ///
    /// [RFC 8314]: https://www.rfc-editor.org/rfc/rfc8314
    pub tls_active: bool,
    /// Accept `USER`/`PASS`. Default `true`.
    pub user_pass: bool,
    /// `USER`/`PASS` and plaintext SASL mechanisms only under TLS ([RFC 2595
    /// §2.2]). Default `true`.
    ///
    /// [RFC 2595 §2.2]: https://www.rfc-editor.org/rfc/rfc2595#section-2.2
    pub plaintext_requires_tls: bool,
    /// SASL mechanisms offered with `AUTH` ([RFC 5034]); empty: no `AUTH`.
    ///
    /// [RFC 5034]: https://www.rfc-editor.org/rfc/rfc5034
    pub sasl_mechanisms: Vec<Mechanism>,
    /// What the SASL mechanisms need to know about the connection (channel
    /// binding, external identity, host name).
    pub sasl: mailwire_sasl::ServerConfig,
    /// Offer `PIPELINING` ([RFC 2449 §6.6]). Default `true`.
    ///
    /// [RFC 2449 §6.6]: https://www.rfc-editor.org/rfc/rfc2449#section-6.6
    pub pipelining: bool,
    /// Offer `UTF8 USER` ([RFC 6856 §2]). Default `true`.
    ///
    /// [RFC 6856 §2]: https://www.rfc-editor.org/rfc/rfc6856#section-2
    pub utf8: bool,
    /// The languages `LANG` lists ([RFC 6856 §3]); the first is the
    /// default. Empty: no `LANG`. Default: `en English`. The machine's own
    /// texts are English; other languages are the application's to offer.
    ///
    /// [RFC 6856 §3]: https://www.rfc-editor.org/rfc/rfc6856#section-3
    pub languages: Vec<Language>,
    /// The `IMPLEMENTATION` text ([RFC 2449 §6.9]), if any.
    ///
    /// [RFC 2449 §6.9]: https://www.rfc-editor.org/rfc/rfc2449#section-6.9
    pub implementation: Option<Text>,
    /// More capabilities to announce as they are, such as `EXPIRE` or
    /// `LOGIN-DELAY` ([RFC 2449 §6.5], §6.7), whose policy is the
    /// application's.
    ///
    /// [RFC 2449 §6.5]: https://www.rfc-editor.org/rfc/rfc2449#section-6.5
    pub extra_capabilities: Vec<Capability>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl ServerConfig {
    /// `USER`/`PASS` under TLS only, no STLS, no AUTH, no APOP.
    pub fn new() -> Self {
        let english = Language {
            tag: Argument::from_static("en"),
            description: Some(Text::new_static("English")),
        };
        Self {
            limits: ServerLimits::default(),
            greeting: Text::new_static("POP3 server ready"),
            apop_timestamp: None,
            stls: false,
            tls_active: false,
            user_pass: true,
            plaintext_requires_tls: true,
            sasl_mechanisms: Vec::new(),
            sasl: mailwire_sasl::ServerConfig::new(),
            pipelining: true,
            utf8: true,
            languages: vec![english],
            implementation: None,
            extra_capabilities: Vec::new(),
        }
    }
}

/// One message of the maildrop, as the application lists it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageInfo {
    /// The exact size in octets, as it will be sent (CRLF line endings,
    /// before dot-stuffing) ([RFC 1939 §5]).
    ///
    /// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
    pub size: u64,
    /// The unique-id ([RFC 1939 §7]).
    ///
    /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
    pub uid: UniqueId,
}

/// The maildrop listing given to [`Server::open_maildrop`]: message `n` is
/// `messages[n - 1]`.
///
/// ```
/// use mailwire_pop3::server::{Maildrop, MessageInfo};
/// use mailwire_pop3::UniqueId;
/// let drop = Maildrop::new(vec![MessageInfo { size: 120, uid: UniqueId::new("x").unwrap() }]);
/// assert_eq!(drop.len(), 1);
/// assert_eq!(drop.total_size(), 120);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Maildrop {
    messages: Vec<MessageInfo>,
}

impl Maildrop {
    /// A maildrop holding `messages`, numbered from 1 in order.
    pub fn new(messages: Vec<MessageInfo>) -> Self {
        Self { messages }
    }

    /// The number of messages.
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    /// `true` if there are none.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// The sum of the sizes.
    pub fn total_size(&self) -> u64 {
        self.messages
            .iter()
            .fold(0u64, |acc, m| acc.saturating_add(m.size))
    }

    /// Message `number` (1-based).
    ///
    /// ```
    /// assert!(mailwire_pop3::server::Maildrop::default().get(1).is_none());
    /// ```
    pub fn get(&self, number: u32) -> Option<&MessageInfo> {
        let index = usize::try_from(number).ok()?.checked_sub(1)?;
        self.messages.get(index)
    }
}

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

impl MachineEvent for Event {
    fn control(&self) -> Option<Control> {
        match self {
            Event::TlsRequested => Some(Control::StartTls),
            Event::Closed { .. } => Some(Control::Close),
            _ => None,
        }
    }
}

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
    Decision(Pending),
    SaslLine,
    /// A failed authentication's `-ERR` is held back until `until`.
    Delayed {
        until: Instant,
    },
    TlsPending,
    Closed,
}

/// Cuts a message for `TOP`: the header, the blank line, then `n` lines.
#[derive(Debug, Clone, Copy)]
struct TopFilter {
    in_header: bool,
    line_empty: bool,
    remaining: u32,
    done: bool,
}

impl TopFilter {
    const fn new(lines: u32) -> Self {
        Self {
            in_header: true,
            line_empty: true,
            remaining: lines,
            done: false,
        }
    }

    /// How much of `chunk` to send.
    fn take(&mut self, chunk: &[u8]) -> usize {
        let mut i = 0usize;
        while let Some(&b) = chunk.get(i) {
            if self.done {
                return i;
            }
            if !self.in_header && self.remaining == 0 {
                self.done = true;
                return i;
            }
            match b {
                b'\n' => {
                    if self.in_header {
                        if self.line_empty {
                            self.in_header = false;
                        }
                    } else {
                        self.remaining = self.remaining.saturating_sub(1);
                    }
                    self.line_empty = true;
                }
                b'\r' => {}
                _ => self.line_empty = false,
            }
            i = i.saturating_add(1);
        }
        if !self.in_header && self.remaining == 0 {
            self.done = true;
        }
        i
    }
}

#[derive(Debug)]
struct Stream {
    encoder: DotEncoder,
    started: bool,
    size: Option<u64>,
    top: Option<TopFilter>,
}

#[derive(Debug)]
struct Session {
    maildrop: Maildrop,
    deleted: Vec<bool>,
}

impl Session {
    fn live(&self, number: u32) -> Option<&MessageInfo> {
        let info = self.maildrop.get(number)?;
        let index = usize::try_from(number).ok()?.checked_sub(1)?;
        (!self.deleted.get(index).copied().unwrap_or(true)).then_some(info)
    }

    fn live_messages(&self) -> impl Iterator<Item = (u32, &MessageInfo)> {
        self.maildrop
            .messages
            .iter()
            .zip(&self.deleted)
            .zip(1u32..)
            .filter(|((_, deleted), _)| !**deleted)
            .map(|((info, _), n)| (n, info))
    }
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
    out: Vec<u8>,
    delayed: Vec<u8>,
    events: VecDeque<Event>,
    errors: u32,
    auth_failures: u32,
    fatal: Option<Error>,
    now: Instant,
    deadline: Option<Instant>,
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
            out: Vec::new(),
            delayed: Vec::new(),
            events: VecDeque::new(),
            errors: 0,
            auth_failures: 0,
            fatal: None,
            now,
            deadline: None,
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

    // ----- application commands --------------------------------------------------

    fn take_pending(&mut self, expected: Pending, what: &'static str) -> Result<(), Error> {
        match self.phase {
            Phase::Decision(p) if p == expected => {
                self.phase = Phase::Command;
                Ok(())
            }
            _ => Err(Error::Protocol(mailwire_core::Error::OutOfOrder { what })),
        }
    }

    /// Accepts the credentials of [`Event::AuthenticateUser`] or
    /// [`Event::ApopRequested`]; [`Event::MaildropRequested`] follows.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no login is waiting for an answer.
    pub fn accept_login(&mut self) -> Result<(), Error> {
        self.take_pending(Pending::Login, "accept_login without a login event")?;
        let user = self.authenticated.clone().unwrap_or_default();
        self.ask_maildrop(user, None);
        Ok(())
    }

    /// Rejects the credentials: `-ERR [AUTH]`, held back by
    /// [`ServerLimits::auth_failure_delay`].
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no login is waiting for an answer.
    pub fn reject_login(&mut self) -> Result<(), Error> {
        self.take_pending(Pending::Login, "reject_login without a login event")?;
        self.auth_failed(Response::new_static(
            Status::Err,
            Some(ResponseCode::AUTH),
            "Authentication failed",
        ));
        Ok(())
    }

    /// Answers [`mailwire_sasl::Event::CredentialsNeeded`] or
    /// [`mailwire_sasl::Event::PasswordReceived`] (`None`: no such user).
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no SASL question is open.
    pub fn sasl_credentials(
        &mut self,
        credentials: Option<StoredCredentials>,
    ) -> Result<(), Error> {
        self.take_pending(Pending::Sasl, "sasl_credentials without Event::Sasl")?;
        let step = match self.sasl.as_mut() {
            Some(sasl) => sasl.provide_credentials(credentials),
            None => {
                return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                    what: "sasl_credentials without AUTH",
                }));
            }
        };
        self.sasl_step(step);
        self.resume();
        Ok(())
    }

    /// Answers the [`Event::Sasl`] questions that ask for a verdict.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no SASL question is open.
    pub fn sasl_verdict(&mut self, verdict: Verdict) -> Result<(), Error> {
        self.take_pending(Pending::Sasl, "sasl_verdict without Event::Sasl")?;
        let step = match self.sasl.as_mut() {
            Some(sasl) => sasl.provide_verdict(verdict),
            None => {
                return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                    what: "sasl_verdict without AUTH",
                }));
            }
        };
        self.sasl_step(step);
        self.resume();
        Ok(())
    }

    /// Opens the maildrop of [`Event::MaildropRequested`] (the application
    /// holds its lock): `+OK`, TRANSACTION state.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no maildrop was asked for.
    pub fn open_maildrop(&mut self, maildrop: Maildrop) -> Result<(), Error> {
        self.take_pending(Pending::Maildrop, "open_maildrop without MaildropRequested")?;
        let text = format!(
            "maildrop has {} messages ({} octets)",
            maildrop.len(),
            maildrop.total_size()
        );
        self.session = Some(Session {
            deleted: vec![false; maildrop.len()],
            maildrop,
        });
        self.state = SessionState::Transaction;
        self.send(&ok_owned(text));
        self.arm();
        self.resume();
        Ok(())
    }

    /// The maildrop is locked by another session: `-ERR [IN-USE]` ([RFC
    /// 2449 §8.1.2]); the session stays in AUTHORIZATION.
    ///
    /// [RFC 2449 §8.1.2]: https://www.rfc-editor.org/rfc/rfc2449#section-8.1.2
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no maildrop was asked for.
    pub fn maildrop_in_use(&mut self) -> Result<(), Error> {
        self.reject_maildrop(Response::new_static(
            Status::Err,
            Some(ResponseCode::IN_USE),
            "Maildrop is locked by another session",
        ))
    }

    /// Refuses the maildrop with `response` (say `-ERR [SYS/TEMP]` or
    /// `-ERR [LOGIN-DELAY]`); the session stays in AUTHORIZATION.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no maildrop was asked for.
    pub fn reject_maildrop(&mut self, response: Response) -> Result<(), Error> {
        self.take_pending(
            Pending::Maildrop,
            "reject_maildrop without MaildropRequested",
        )?;
        self.authenticated = None;
        self.send(&as_err(response));
        self.arm();
        self.resume();
        Ok(())
    }

    /// Sends part of the message of [`Event::MessageRequested`]: `+OK`
    /// first, then the bytes dot-stuffed (every CR, LF and CRLF written as
    /// CRLF), cut after the header and `n` body lines for `TOP`.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no message was asked for.
    pub fn send_message_chunk(&mut self, data: &[u8]) -> Result<(), Error> {
        if !matches!(self.phase, Phase::Decision(Pending::Message)) {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "send_message_chunk without MessageRequested",
            }));
        }
        let Some(mut stream) = self.stream.take() else {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "send_message_chunk without MessageRequested",
            }));
        };
        self.start_stream(&mut stream);
        let take = match &mut stream.top {
            Some(top) => top.take(data),
            None => data.len(),
        };
        stream
            .encoder
            .encode(data.get(..take).unwrap_or_default(), &mut self.out);
        self.stream = Some(stream);
        Ok(())
    }

    /// Ends the message of [`Event::MessageRequested`] (`.` line).
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no message was asked for.
    pub fn finish_message(&mut self) -> Result<(), Error> {
        if !matches!(self.phase, Phase::Decision(Pending::Message)) {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "finish_message without MessageRequested",
            }));
        }
        let Some(mut stream) = self.stream.take() else {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "finish_message without MessageRequested",
            }));
        };
        self.start_stream(&mut stream);
        stream.encoder.finish(&mut self.out);
        self.phase = Phase::Command;
        self.arm();
        self.resume();
        Ok(())
    }

    /// Answers [`Event::MessageRequested`] with `response` (made `-ERR`)
    /// instead of the message; only before the first chunk.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no message was asked for or a chunk was
    /// already sent.
    pub fn message_unavailable(&mut self, response: Response) -> Result<(), Error> {
        let started = self.stream.as_ref().is_none_or(|s| s.started);
        if !matches!(self.phase, Phase::Decision(Pending::Message)) || started {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "message_unavailable without MessageRequested or after a chunk",
            }));
        }
        self.stream = None;
        self.phase = Phase::Command;
        self.send(&as_err(response));
        self.arm();
        self.resume();
        Ok(())
    }

    /// The deletions of [`Event::CommitDeletions`] are done: `+OK`, and the
    /// session ends.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no deletions were asked for.
    pub fn deletions_committed(&mut self) -> Result<(), Error> {
        self.take_pending(
            Pending::Commit,
            "deletions_committed without CommitDeletions",
        )?;
        self.sign_off();
        Ok(())
    }

    /// Some deletions failed ([RFC 1939 §6]): `-ERR [SYS/TEMP]`, and the
    /// session ends.
    ///
    /// [RFC 1939 §6]: https://www.rfc-editor.org/rfc/rfc1939#section-6
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no deletions were asked for.
    pub fn deletions_failed(&mut self) -> Result<(), Error> {
        self.take_pending(Pending::Commit, "deletions_failed without CommitDeletions")?;
        self.send(&Response::new_static(
            Status::Err,
            Some(ResponseCode::SYS_TEMP),
            "Some deleted messages not removed",
        ));
        self.close(CloseReason::Quit);
        Ok(())
    }

    /// Ends the session at once (`-ERR` then close); nothing is deleted.
    pub fn shutdown(&mut self) {
        if !matches!(self.phase, Phase::Closed) {
            self.send(&Response::new_static(
                Status::Err,
                Some(ResponseCode::SYS_TEMP),
                "Server shutting down",
            ));
            self.close(CloseReason::Shutdown);
        }
    }

    // ----- internals -------------------------------------------------------------------

    fn send(&mut self, response: &Response) {
        encode_response(response, &mut self.out);
    }

    fn arm(&mut self) {
        let timeout = self
            .config
            .limits
            .autologout
            .max(crate::limits::RFC1939_AUTOLOGOUT);
        self.deadline = self.now.checked_add(timeout);
    }

    fn close(&mut self, reason: CloseReason) {
        self.phase = Phase::Closed;
        self.deadline = None;
        self.framer.clear();
        self.sasl = None;
        self.stream = None;
        self.events.push_back(Event::Closed { reason });
    }

    fn set_line_limit(&mut self, max: usize) {
        self.framer.set_config(line_config(max));
    }

    /// Counts an erroneous command; past the limit the session ends.
    fn error(&mut self, response: &Response) {
        self.send(response);
        self.errors = self.errors.saturating_add(1);
        if self.errors > self.config.limits.max_errors {
            self.send(&err("Too many bad commands, closing connection"));
            self.fatal = Some(Error::Protocol(mailwire_core::Error::TooManyErrors {
                limit: self.config.limits.max_errors,
            }));
            self.close(CloseReason::TooManyErrors);
        }
    }

    fn ask(&mut self, pending: Pending, event: Event) {
        self.phase = Phase::Decision(pending);
        self.deadline = None;
        self.events.push_back(event);
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
        match self.now.checked_add(delay).filter(|_| !delay.is_zero()) {
            Some(until) => {
                self.phase = Phase::Delayed { until };
                self.deadline = Some(until);
            }
            None => self.end_delay(),
        }
    }

    fn end_delay(&mut self) {
        self.out.append(&mut self.delayed);
        self.phase = Phase::Command;
        if self.auth_failures >= self.config.limits.max_auth_failures {
            self.close(CloseReason::TooManyAuthFailures);
        } else {
            self.arm();
        }
    }

    fn backlogged(&self) -> bool {
        self.events.len() >= self.config.limits.max_queued_events.max(1)
    }

    /// Processes buffered input until it runs out or a question is open.
    fn resume(&mut self) {
        loop {
            if self.backlogged() {
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

    fn line_error(&mut self, error: LineError, sasl_line: bool) {
        if sasl_line {
            self.auth_failed(err("Authentication failed: bad response line"));
            return;
        }
        let error: Error = mailwire_core::Error::from(error).into();
        self.error(&error.response());
    }

    fn sasl_line(&mut self, line: &[u8]) {
        let limits = wire::Limits {
            max_encoded_len: self.config.limits.max_auth_line_length,
        };
        match wire::decode_response(line, &limits) {
            Ok(ClientMessage::Cancel) => {
                self.sasl = None;
                self.set_line_limit(self.config.limits.max_command_line_length);
                self.phase = Phase::Command;
                self.send(&err("Authentication cancelled"));
            }
            Ok(ClientMessage::Response(data)) => {
                let step = match self.sasl.as_mut() {
                    Some(sasl) => sasl.step(data.expose_secret()),
                    None => Err(mailwire_sasl::Error::OutOfOrder {
                        reason: "no exchange",
                    }),
                };
                self.sasl_step(step);
            }
            Err(_) => self.auth_failed(Response::new_static(
                Status::Err,
                Some(ResponseCode::AUTH),
                "Invalid base64 data",
            )),
        }
    }

    fn sasl_step(&mut self, step: Result<ServerStep, mailwire_sasl::Error>) {
        match step {
            Ok(ServerStep::Challenge(challenge)) => {
                encode_continuation(&challenge, &mut self.out);
                self.set_line_limit(self.config.limits.max_auth_line_length);
                self.phase = Phase::SaslLine;
                self.arm();
            }
            Ok(ServerStep::Event(event)) => self.ask(Pending::Sasl, Event::Sasl(event)),
            Ok(ServerStep::Done(Outcome::Success { authcid, authzid })) => {
                self.sasl = None;
                self.set_line_limit(self.config.limits.max_command_line_length);
                self.ask_maildrop(authcid, authzid);
            }
            Ok(ServerStep::Done(Outcome::Failure(Failure::Cancelled))) => {
                self.sasl = None;
                self.set_line_limit(self.config.limits.max_command_line_length);
                self.phase = Phase::Command;
                self.send(&err("Authentication cancelled"));
            }
            Ok(_) | Err(_) => self.auth_failed(Response::new_static(
                Status::Err,
                Some(ResponseCode::AUTH),
                "Authentication failed",
            )),
        }
    }

    fn command_line(&mut self, line: &[u8], offset: u64) {
        let command = match parse_command_line(line) {
            Ok(c) => c,
            Err(e) => {
                self.error(&e.offset_by(offset).response());
                return;
            }
        };
        let state = self.state;
        match (state, command) {
            (_, Command::Capa) => {
                let caps = self.capabilities();
                let lines: Vec<String> = caps.iter().map(ToString::to_string).collect();
                crate::encode::encode_multiline(
                    &ok("Capability list follows"),
                    lines.iter(),
                    &mut self.out,
                );
            }
            (_, Command::Lang { range }) => self.lang(range),
            (SessionState::Authorization, Command::Quit) => {
                self.send(&ok("POP3 server signing off"));
                self.close(CloseReason::Quit);
            }
            (SessionState::Transaction, Command::Quit) => self.quit(),
            (SessionState::Authorization, command) => self.authorization(command),
            (SessionState::Transaction, command) => self.transaction(command),
            (SessionState::Update, _) => {
                self.error(&err("Command not valid in this state"));
            }
        }
    }

    fn check_length(&mut self, name: &Argument) -> bool {
        if name.as_str().len() > self.config.limits.max_argument_length {
            self.error(&err("Argument too long"));
            false
        } else {
            true
        }
    }

    fn authorization(&mut self, command: Command) {
        match command {
            Command::User { name } => {
                if !self.user_pass_offered() {
                    self.error(&Response::new_static(
                        Status::Err,
                        Some(ResponseCode::AUTH),
                        "Plaintext authentication disallowed without TLS",
                    ));
                } else if self.check_length(&name) {
                    self.user = Some(name.as_str().to_owned());
                    self.send(&ok("Send your password"));
                }
            }
            Command::Pass { password } => match self.user.take() {
                Some(user) if self.user_pass_offered() => {
                    self.authenticated = Some(user.clone());
                    self.ask(
                        Pending::Login,
                        Event::AuthenticateUser {
                            user,
                            password: Secret::new(password.expose_secret().to_owned()),
                        },
                    );
                }
                _ => self.error(&err("No username given")),
            },
            Command::Apop { name, digest } => match self.config.apop_timestamp.clone() {
                Some(timestamp) => {
                    if self.check_length(&name) {
                        let user = name.as_str().to_owned();
                        self.authenticated = Some(user.clone());
                        self.ask(
                            Pending::Login,
                            Event::ApopRequested {
                                user,
                                digest,
                                timestamp,
                            },
                        );
                    }
                }
                None => self.error(&err("APOP not supported")),
            },
            Command::Auth {
                mechanism,
                initial_response,
            } => self.auth(&mechanism, initial_response),
            Command::Stls => {
                if self.config.stls && !self.tls {
                    self.send(&ok("Begin TLS negotiation"));
                    self.phase = Phase::TlsPending;
                    self.deadline = None;
                    self.framer.clear();
                    self.events.push_back(Event::TlsRequested);
                } else if self.tls {
                    self.error(&err("TLS already active"));
                } else {
                    self.error(&err("STLS not supported"));
                }
            }
            Command::Utf8 if self.config.utf8 => {
                self.utf8 = true;
                self.send(&ok("UTF8 enabled"));
            }
            _ => self.error(&err("Command not valid in this state")),
        }
    }

    fn auth(&mut self, mechanism: &Mechanism, initial: Option<Secret<Vec<u8>>>) {
        if !self.offered_mechanisms().contains(mechanism) {
            self.error(&err("Unsupported authentication mechanism"));
            return;
        }
        let mut sasl = match mailwire_sasl::Server::new(mechanism, &self.config.sasl) {
            Ok(s) => s,
            Err(_) => {
                self.error(&err("Unsupported authentication mechanism"));
                return;
            }
        };
        let step = sasl.start(initial.as_ref().map(|d| d.expose_secret().as_slice()));
        self.sasl = Some(sasl);
        self.sasl_step(step);
    }

    fn lang(&mut self, range: Option<Argument>) {
        if self.config.languages.is_empty() {
            self.error(&err("LANG not supported"));
            return;
        }
        let Some(range) = range else {
            let lines: Vec<String> = self
                .config
                .languages
                .iter()
                .map(ToString::to_string)
                .collect();
            crate::encode::encode_multiline(
                &ok("Language listing follows"),
                lines.iter(),
                &mut self.out,
            );
            return;
        };
        let wanted = range.as_str();
        let found = self.config.languages.iter().find(|l| {
            let tag = l.tag.as_str();
            wanted == "*"
                || tag.eq_ignore_ascii_case(wanted)
                || tag
                    .get(..wanted.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(wanted))
                    && tag.as_bytes().get(wanted.len()) == Some(&b'-')
        });
        match found.map(|l| l.tag.clone()) {
            Some(tag) => {
                let text = format!("{tag} Language changed");
                self.language = Some(tag);
                self.send(&ok_owned(text));
            }
            None => self.send(&err("Unknown language")),
        }
    }

    fn transaction(&mut self, command: Command) {
        let Some(session) = &mut self.session else {
            self.error(&err("No maildrop"));
            return;
        };
        match command {
            Command::Stat => {
                let (count, size) = session
                    .live_messages()
                    .fold((0u32, 0u64), |(c, s), (_, m)| {
                        (c.saturating_add(1), s.saturating_add(m.size))
                    });
                self.send(&ok_owned(format!("{count} {size}")));
            }
            Command::List { message: Some(n) } => match session.live(n) {
                Some(m) => {
                    let text = format!("{n} {}", m.size);
                    self.send(&ok_owned(text));
                }
                None => self.send(&err("No such message")),
            },
            Command::List { message: None } => {
                let (count, size) = session
                    .live_messages()
                    .fold((0u32, 0u64), |(c, s), (_, m)| {
                        (c.saturating_add(1), s.saturating_add(m.size))
                    });
                let lines: Vec<String> = session
                    .live_messages()
                    .map(|(n, m)| format!("{n} {}", m.size))
                    .collect();
                crate::encode::encode_multiline(
                    &ok_owned(format!("{count} messages ({size} octets)")),
                    lines.iter(),
                    &mut self.out,
                );
            }
            Command::Uidl { message: Some(n) } => match session.live(n) {
                Some(m) => {
                    let text = format!("{n} {}", m.uid);
                    self.send(&ok_owned(text));
                }
                None => self.send(&err("No such message")),
            },
            Command::Uidl { message: None } => {
                let lines: Vec<String> = session
                    .live_messages()
                    .map(|(n, m)| format!("{n} {}", m.uid))
                    .collect();
                crate::encode::encode_multiline(&ok(""), lines.iter(), &mut self.out);
            }
            Command::Retr { message } => match session.live(message).map(|m| m.size) {
                Some(size) => self.ask_message(message, None, Some(size)),
                None => self.send(&err("No such message")),
            },
            Command::Top { message, lines } => match session.live(message) {
                Some(_) => self.ask_message(message, Some(lines), None),
                None => self.send(&err("No such message")),
            },
            Command::Dele { message } => {
                let index = usize::try_from(message).ok().and_then(|n| n.checked_sub(1));
                match index.and_then(|i| session.deleted.get_mut(i)) {
                    Some(deleted) if !*deleted => {
                        *deleted = true;
                        self.send(&ok_owned(format!("message {message} deleted")));
                    }
                    Some(_) => self.send(&err("Message already deleted")),
                    None => self.send(&err("No such message")),
                }
            }
            Command::Rset => {
                session.deleted.iter_mut().for_each(|d| *d = false);
                let text = format!(
                    "maildrop has {} messages ({} octets)",
                    session.maildrop.len(),
                    session.maildrop.total_size()
                );
                self.send(&ok_owned(text));
            }
            Command::Noop => self.send(&ok("")),
            _ => self.error(&err("Command not valid in this state")),
        }
    }

    fn ask_message(&mut self, message: u32, top_lines: Option<u32>, size: Option<u64>) {
        self.stream = Some(Stream {
            encoder: DotEncoder::new(),
            started: false,
            size,
            top: top_lines.map(TopFilter::new),
        });
        self.ask(
            Pending::Message,
            Event::MessageRequested { message, top_lines },
        );
    }

    fn start_stream(&mut self, stream: &mut Stream) {
        if !stream.started {
            stream.started = true;
            let first = match stream.size {
                Some(size) => ok_owned(format!("{size} octets")),
                None => ok("Top of message follows"),
            };
            self.send(&first);
        }
    }

    fn quit(&mut self) {
        self.state = SessionState::Update;
        let marked = self.marked();
        if marked.is_empty() {
            self.sign_off();
        } else {
            self.ask(Pending::Commit, Event::CommitDeletions { messages: marked });
        }
    }

    fn sign_off(&mut self) {
        let left = self
            .session
            .as_ref()
            .map_or(0, |s| s.live_messages().count());
        self.send(&ok_owned(format!(
            "POP3 server signing off ({left} messages left)"
        )));
        self.close(CloseReason::Quit);
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
        if let Some(fatal) = &self.fatal {
            return Err(fatal.clone());
        }
        self.now = now;
        match self.phase {
            // Plaintext after STLS, or anything after the end: dropped.
            Phase::TlsPending | Phase::Closed => return Ok(input.len()),
            Phase::Decision(_) | Phase::Delayed { .. } => return Ok(0),
            Phase::Command | Phase::SaslLine => {}
        }
        if self.backlogged() {
            return Ok(0);
        }
        self.framer.push(input);
        self.resume();
        if let Some(fatal) = &self.fatal {
            return Err(fatal.clone());
        }
        Ok(input.len())
    }

    fn handle_timeout(&mut self, now: Instant) {
        self.now = now;
        if self.deadline.is_none_or(|d| now < d) {
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
        self.now = now;
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
        self.now = now;
        if !matches!(self.phase, Phase::Closed) {
            self.close(CloseReason::PeerClosed);
        }
    }

    fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
        if self.out.is_empty() {
            return None;
        }
        let len = self.out.len();
        buf.append(&mut self.out);
        Some(Transmit { len, secret: false })
    }

    fn poll_timeout(&self) -> Option<Instant> {
        match self.phase {
            Phase::Closed | Phase::Decision(_) | Phase::TlsPending => None,
            _ => self.deadline,
        }
    }

    fn poll_event(&mut self) -> Option<Event> {
        let event = self.events.pop_front()?;
        if self.events.is_empty() {
            self.resume();
        }
        Some(event)
    }

    fn is_closed(&self) -> bool {
        matches!(self.phase, Phase::Closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_filter_cuts_after_header_and_lines() {
        let message = b"Subject: x\r\nFrom: y\r\n\r\none\r\ntwo\r\nthree\r\n";
        for n in 0..4u32 {
            let mut whole = TopFilter::new(n);
            let cut = whole.take(message);
            let expected: &[u8] = match n {
                0 => b"Subject: x\r\nFrom: y\r\n\r\n",
                1 => b"Subject: x\r\nFrom: y\r\n\r\none\r\n",
                2 => b"Subject: x\r\nFrom: y\r\n\r\none\r\ntwo\r\n",
                _ => b"Subject: x\r\nFrom: y\r\n\r\none\r\ntwo\r\nthree\r\n",
            };
            assert_eq!(&message[..cut], expected, "n = {n}");
            // Byte by byte gives the same cut.
            let mut split = TopFilter::new(n);
            let mut sent = Vec::new();
            for b in message {
                let take = split.take(std::slice::from_ref(b));
                sent.extend_from_slice(&std::slice::from_ref(b)[..take]);
            }
            assert_eq!(sent, expected, "n = {n}, split");
        }
        // A message without a body: everything is header.
        let mut f = TopFilter::new(0);
        assert_eq!(f.take(b"Subject: x\r\n"), 12);
    }
}
