//! The SMTP, submission and LMTP server machine ([RFC 5321 §4], [RFC 6409],
//! [RFC 2033]).
//!
//! [`Server`] reads commands, answers what the protocol decides on its own
//! (sequence, syntax, limits, extensions) and asks the application about the
//! rest through [`Event`]s: each sender, each recipient, each message and
//! each SASL step. The application answers with commands
//! ([`accept_sender`](Server::accept_sender),
//! [`reject_recipient`](Server::reject_recipient),
//! [`sasl_credentials`](Server::sasl_credentials), ...). While a question is
//! open the machine consumes no input, so pipelined commands wait in the
//! caller's buffer and replies always go out in command order ([RFC 2920
//! §3.1]).
//!
//! `AUTH` runs its SASL exchange inside the machine
//! ([`mailwire_sasl::Server`]): the machine frames it (`334` challenges,
//! base64 lines, `*`) and asks the application only for stored credentials
//! ([`Event::Sasl`]) and the final decision ([`Event::AuthSucceeded`]), as
//! the POP3 server does.
//!
//! The body is never buffered: `DATA` is unstuffed by
//! [`DotDecoder`] (only `CRLF.CRLF` ends it)
//! and `BDAT` chunks are counted out, both handed over as
//! [`Event::BodyChunk`]s of at most [`Limits::max_body_chunk`](crate::limits::Limits::max_body_chunk) octets.
//!
//! [RFC 5321 §4]: https://www.rfc-editor.org/rfc/rfc5321#section-4
//! [RFC 6409]: https://www.rfc-editor.org/rfc/rfc6409
//! [RFC 2033]: https://www.rfc-editor.org/rfc/rfc2033
//! [RFC 2920 §3.1]: https://www.rfc-editor.org/rfc/rfc2920#section-3.1
//!
//! # Driving it
//!
//! Poll in the order of [`Machine`]: transmits, events, timeout. Answering
//! an event, and taking the last queued event with `poll_event`, resumes
//! the processing of input already buffered, which may queue more replies
//! and events: poll `poll_transmit` again after either.
//!
//! # States
//!
//! ```text
//!            greeting 220
//!                 |
//!                 v                 STARTTLS -> 220, plaintext discarded
//!   +-------> [Ready] ----------------------------> [TLS pending]
//!   |        EHLO/HELO/LHLO | RSET                       | handle_tls_established
//!   |             v         |                            v
//!   |        [Greeted] <----+---------------------- (back to Ready:
//!   |          |   ^  AUTH <-> 334 ... -> 235/535    EHLO again, RFC 3207 §4.2)
//!   |   MAIL   |   |
//!   |    (app) v   | RSET / EHLO / reply to the message
//!   |       [Mail] ---RCPT (app)---> [Rcpt+]
//!   |                                 |     \
//!   |                          DATA 354     BDAT n [LAST]
//!   |                                 v       v
//!   |                            [Data]    [Bdat] -- not LAST: 250 --> [Rcpt+]
//!   |                     CRLF.CRLF |        | LAST
//!   |                               v        v
//!   +---------------------- [message decision (app)]
//!
//!   any state: QUIT -> 221, timeout -> 421, too many errors -> 421
//! ```
//!
//! # Example
//!
//! ```
//! use std::time::Instant;
//! use mailwire_core::machine::Machine;
//! use mailwire_smtp::server::{Event, Server, ServerConfig};
//! use mailwire_smtp::Domain;
//!
//! let now = Instant::now();
//! let mut server = Server::new(ServerConfig::new(Domain::try_from("mx.example.org").unwrap()), now);
//! let mut out = Vec::new();
//! let _ = server.poll_transmit(&mut out);
//! assert!(out.starts_with(b"220 mx.example.org"));
//!
//! let input = b"HELO client.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nHi\r\n.\r\n";
//! let mut fed = server.handle_input(now, input).unwrap();
//! let mut body = Vec::new();
//! loop {
//!     while let Some(event) = server.poll_event() {
//!         match event {
//!             Event::MailRequested { .. } => server.accept_sender().unwrap(),
//!             Event::RecipientRequested { .. } => server.accept_recipient().unwrap(),
//!             Event::BodyChunk { data } => body.extend(data),
//!             Event::MessageReceived { .. } => server.accept_message().unwrap(),
//!             _ => {}
//!         }
//!     }
//!     if fed == input.len() { break; }
//!     fed += server.handle_input(now, &input[fed..]).unwrap();
//! }
//! assert_eq!(body, b"Hi\r\n");
//! out.clear();
//! let _ = server.poll_transmit(&mut out);
//! assert!(out.ends_with(b"250 2.0.0 Message accepted\r\n"));
//! ```

use std::time::{Duration, Instant};

use mailwire_core::counted::CountedReader;
use mailwire_core::dot::{BareNewline, DotDecoder};
use mailwire_core::line::{BareLineEnding, LineConfig, LineFramer};
use mailwire_core::machine::{ErrorCounter, EventQueue, Outbox, Question, Sticky, Timer};
use mailwire_core::machine::{Machine, Transmit};

use crate::Error;
use crate::types::capability::{Capabilities, Capability};
use crate::types::parameter::{BodyType, MailParameters, RcptParameters};
use crate::types::path::{ForwardPath, Host, ReversePath};
use crate::types::reply::{EnhancedCode, Reply, ReplyCode};

mod answer;
mod body;
mod command;
mod config;
mod sasl;

pub use config::{ServerConfig, ServerMode};

/// Why a message was dropped before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AbortReason {
    /// A bare CR or LF in the body under [`BareNewline::Reject`]; the
    /// message gets `500 5.5.2` once its end is read.
    BareNewline,
    /// Over [`Limits::max_message_size`](crate::limits::Limits::max_message_size); the message gets `552 5.3.4` once
    /// its end is read.
    TooLarge,
    /// The connection ended or timed out inside the body.
    ConnectionLost,
}

/// Why the session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CloseReason {
    /// The client sent `QUIT`.
    Quit,
    /// The client was silent for too long (`421 4.4.2` sent).
    Timeout,
    /// Too many erroneous commands (`421` sent).
    TooManyErrors,
    /// The client closed the connection.
    PeerClosed,
    /// The application called [`Server::shutdown`].
    Shutdown,
}

/// A fact for the application; see the [module documentation](self).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The client said `HELO`, `EHLO` or `LHLO` (already answered).
    Hello {
        /// The name it gave.
        host: Host<'static>,
        /// `EHLO` or `LHLO` rather than `HELO`.
        extended: bool,
    },
    /// `MAIL FROM:` passed every protocol check. Answer with
    /// [`Server::accept_sender`] or [`Server::reject_sender`].
    MailRequested {
        /// The sender.
        reverse_path: ReversePath<'static>,
        /// Its parameters.
        parameters: MailParameters<'static>,
    },
    /// `RCPT TO:` passed every protocol check. Answer with
    /// [`Server::accept_recipient`] or [`Server::reject_recipient`].
    RecipientRequested {
        /// The recipient.
        forward_path: ForwardPath<'static>,
        /// Its parameters.
        parameters: RcptParameters<'static>,
    },
    /// Body octets, unstuffed (DATA) or as sent (BDAT).
    BodyChunk {
        /// The octets.
        data: Vec<u8>,
    },
    /// The body is complete. Answer with [`Server::accept_message`],
    /// [`Server::reject_message`] or, for LMTP,
    /// [`Server::answer_recipients`].
    MessageReceived {
        /// The body size in octets.
        size: u64,
        /// How many recipients were accepted (LMTP: how many replies are
        /// due).
        recipients: usize,
    },
    /// The message in progress was dropped; the machine answers the client
    /// itself.
    MessageAborted {
        /// Why.
        reason: AbortReason,
    },
    /// RSET, a new greeting or STARTTLS discarded the transaction in
    /// progress.
    Reset,
    /// The SASL exchange of `AUTH` (run by the machine) needs the
    /// application: stored credentials ([`Server::sasl_credentials`]) or a
    /// verdict ([`Server::sasl_verdict`]). [`Server::reject_auth`] ends the
    /// exchange instead.
    Sasl(mailwire_sasl::Event),
    /// The SASL exchange proved `authcid`. Answer with
    /// [`Server::auth_succeeded`] (`235`), or [`Server::auth_failed`] /
    /// [`Server::reject_auth`], say when `authcid` may not act as
    /// `authzid`.
    AuthSucceeded {
        /// The identity that authenticated.
        authcid: String,
        /// The identity it asks to act as, if another.
        authzid: Option<String>,
    },
    /// The client cancelled AUTH with `*` or sent bad base64 (`501` sent).
    AuthCancelled,
    /// `220` to STARTTLS is queued: send it, then run the TLS handshake and
    /// call [`Machine::handle_tls_established`].
    TlsRequested,
    /// The session is over; send pending transmits and close.
    Closed {
        /// Why.
        reason: CloseReason,
    },
}

mailwire_core::impl_machine_event!(Event);

/// The question the application has to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Sender,
    Recipient,
    Message,
    Sasl,
    Auth,
}

#[derive(Debug)]
enum Phase {
    Command,
    AuthLine,
    Data(DotDecoder),
    Bdat { chunk: CountedReader, last: bool },
    TlsPending,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hello {
    Helo,
    Ehlo,
}

#[derive(Debug, Default)]
struct Transaction {
    smtputf8: bool,
    body: Option<BodyType>,
    recipients: usize,
    size: u64,
    used_bdat: bool,
    aborted: Option<AbortReason>,
}

/// The server machine; see the [module documentation](self).
#[derive(Debug)]
pub struct Server {
    config: ServerConfig,
    sasl: Option<mailwire_sasl::Server>,
    framer: LineFramer,
    phase: Phase,
    hello: Option<Hello>,
    tls: bool,
    authenticated: Option<String>,
    transaction: Option<Transaction>,
    out: Outbox,
    events: EventQueue<Event>,
    question: Question<Pending>,
    scratch: Vec<u8>,
    /// Body octets taken straight from the input, never pushed to the
    /// framer: added to its offsets so stream offsets stay exact.
    direct: u64,
    errors: ErrorCounter,
    fatal: Sticky<Error>,
    timer: Timer,
}

fn reply(code: ReplyCode, enhanced: EnhancedCode, text: &'static str) -> Reply<'static> {
    Reply::new_static(code, Some(enhanced), text)
}

fn bad_sequence(text: &'static str) -> Reply<'static> {
    reply(ReplyCode::BAD_SEQUENCE, EnhancedCode::INVALID_COMMAND, text)
}

impl Server {
    /// A server that has just accepted a connection; the greeting is queued.
    pub fn new(config: ServerConfig, now: Instant) -> Self {
        let line_config = Self::line_config(&config, Self::command_framing_limit(&config));
        let tls = config.tls_active;
        let mut server = Self {
            framer: LineFramer::new(line_config),
            phase: Phase::Command,
            sasl: None,
            hello: None,
            tls,
            authenticated: None,
            transaction: None,
            out: Outbox::new(),
            events: EventQueue::new().with_byte_limit(config.limits.max_body_chunk),
            question: Question::new(),
            scratch: Vec::new(),
            direct: 0,
            errors: ErrorCounter::new(config.limits.max_errors),
            fatal: Sticky::new(),
            timer: Timer::new(now),
            config,
        };
        let service = if server.config.mode == ServerMode::Lmtp {
            "LMTP"
        } else {
            "ESMTP"
        };
        let greeting = format!("{} {service} mailwire", server.config.hostname);
        server.send(&Reply::new_owned(ReplyCode::SERVICE_READY, None, greeting));
        server.arm(server.config.limits.timeouts.server_command);
        server
    }

    /// The framer's limit between commands: the longer of the command and
    /// AUTH line limits, so that an `AUTH` line with its initial response
    /// ([RFC 4954 §4]) is framed whole; the parser then holds every other
    /// command to [`max_command_line_length`](crate::limits::Limits::max_command_line_length).
    ///
    /// [RFC 4954 §4]: https://www.rfc-editor.org/rfc/rfc4954#section-4
    fn command_framing_limit(config: &ServerConfig) -> usize {
        let limits = &config.limits;
        if config.auth_mechanisms.is_empty() {
            limits.max_command_line_length
        } else {
            limits
                .max_command_line_length
                .max(limits.max_auth_line_length)
        }
    }

    fn line_config(config: &ServerConfig, max: usize) -> LineConfig {
        let bare_lf = match config.bare_newline {
            BareNewline::Normalize => BareLineEnding::LineEnd,
            _ => BareLineEnding::Reject,
        };
        LineConfig::default()
            .with_max_line_length(max)
            .with_bare_lf(bare_lf)
    }

    /// The configuration.
    pub const fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// `true` once TLS is active (implicit, or after STARTTLS).
    pub const fn is_tls(&self) -> bool {
        self.tls
    }

    /// The identity given to [`auth_succeeded`](Self::auth_succeeded), if
    /// the client authenticated.
    pub fn authenticated_as(&self) -> Option<&str> {
        self.authenticated.as_deref()
    }

    /// The capabilities the EHLO reply announces now (they change with TLS).
    pub fn capabilities(&self) -> Capabilities {
        let c = &self.config;
        let mut caps = Capabilities::default();
        if c.pipelining {
            caps.push(Capability::Pipelining);
        }
        if let Some(max) = c.limits.max_message_size {
            caps.push(Capability::Size(Some(max)));
        }
        if c.eight_bit_mime {
            caps.push(Capability::EightBitMime);
        }
        if c.smtputf8 {
            caps.push(Capability::SmtpUtf8);
        }
        if c.chunking {
            caps.push(Capability::Chunking);
            caps.push(Capability::BinaryMime);
        }
        if c.dsn {
            caps.push(Capability::Dsn);
        }
        caps.push(Capability::EnhancedStatusCodes);
        if c.starttls && !self.tls {
            caps.push(Capability::StartTls);
        }
        if crate::ext::requiretls::is_offered(c.requiretls, self.tls) {
            caps.push(Capability::RequireTls);
        }
        if self.auth_offered() {
            caps.push(Capability::Auth(c.auth_mechanisms.clone()));
        }
        caps
    }

    fn auth_offered(&self) -> bool {
        !self.config.auth_mechanisms.is_empty() && (self.tls || !self.config.auth_requires_tls)
    }

    // ----- internals ---------------------------------------------------------------

    fn send(&mut self, reply: &Reply<'_>) {
        crate::encode::encode_reply(reply, self.out.buffer());
    }

    fn arm(&mut self, timeout: Duration) {
        self.timer.arm(timeout);
    }

    fn close(&mut self, reason: CloseReason) {
        if let Phase::Data(_) | Phase::Bdat { .. } = self.phase {
            self.events.push(Event::MessageAborted {
                reason: AbortReason::ConnectionLost,
            });
        }
        self.phase = Phase::Closed;
        self.sasl = None;
        self.question.clear();
        self.timer.disarm();
        self.framer.clear();
        self.events.push(Event::Closed { reason });
    }

    /// Counts an erroneous command; past the limit the session ends.
    fn error(&mut self, reply: &Reply<'_>) {
        self.send(reply);
        if self.errors.record() {
            self.send(&reply_static_421_errors());
            self.fatal.set(Error::from(self.errors.error()));
            self.close(CloseReason::TooManyErrors);
        }
    }

    fn reset_transaction(&mut self) {
        if self.transaction.take().is_some() {
            self.events.push(Event::Reset);
        }
    }

    fn backlogged(&self) -> bool {
        self.events.is_full()
    }

    fn push_body(&mut self, data: Vec<u8>) {
        let len = data.len();
        self.events.push_body(Event::BodyChunk { data }, len);
    }

    /// Processes buffered input until it runs out or a question is open.
    fn resume(&mut self) {
        loop {
            if self.backlogged() {
                return;
            }
            if self.question.is_open() {
                return;
            }
            match &mut self.phase {
                Phase::TlsPending | Phase::Closed => return,
                Phase::Command | Phase::AuthLine => {
                    let auth = matches!(self.phase, Phase::AuthLine);
                    let line = match self.framer.next_line() {
                        None => return,
                        Some(Err(e)) => Err(e),
                        Some(Ok(line)) => {
                            self.scratch.clear();
                            self.scratch.extend_from_slice(line.bytes());
                            Ok(())
                        }
                    };
                    match line {
                        Err(e) => self.line_error(e, auth),
                        Ok(()) => {
                            let scratch = std::mem::take(&mut self.scratch);
                            if auth {
                                self.auth_line(&scratch);
                            } else {
                                self.command_line(&scratch);
                            }
                            self.scratch = scratch;
                        }
                    }
                }
                Phase::Data(decoder) => {
                    let buffered = self.framer.buffered();
                    if buffered.is_empty() {
                        return;
                    }
                    let take = buffered.len().min(self.config.limits.max_body_chunk.max(1));
                    let input = buffered.get(..take).unwrap_or_default();
                    let mut body = Vec::with_capacity(take);
                    let decoded = decoder.decode(input, &mut body);
                    self.framer.consume(decoded.consumed);
                    self.data_chunk(body, decoded.error.is_some(), decoded.done);
                }
                Phase::Bdat { chunk, last } => {
                    if chunk.is_done() {
                        let last = *last;
                        self.bdat_end(last);
                    } else {
                        let buffered = self.framer.buffered();
                        if buffered.is_empty() {
                            return;
                        }
                        let data = chunk
                            .take(buffered, self.config.limits.max_body_chunk)
                            .to_vec();
                        self.framer.consume(data.len());
                        self.bdat_chunk(data);
                    }
                }
            }
        }
    }
}

fn reply_static_421_errors() -> Reply<'static> {
    reply(
        ReplyCode::SERVICE_NOT_AVAILABLE,
        EnhancedCode::BAD_CONNECTION,
        "Too many errors, closing transmission channel",
    )
}

impl Machine for Server {
    type Event = Event;
    type Error = Error;

    fn handle_input(&mut self, now: Instant, input: &[u8]) -> Result<usize, Error> {
        self.fatal.check()?;
        self.timer.tick(now);
        match self.phase {
            // Plaintext after STARTTLS, or anything after the end: dropped.
            Phase::TlsPending | Phase::Closed => return Ok(input.len()),
            _ if self.question.is_open() => return Ok(0),
            _ => {}
        }
        if self.backlogged()
            || !self.framer.buffered().is_empty() && !input.is_empty() && self.blocked_on_buffer()
        {
            return Ok(0);
        }
        // Body octets are taken straight from the caller's buffer while
        // nothing is buffered, so a large message is copied only once.
        let mut fed = 0usize;
        while self.framer.buffered().is_empty() && !self.backlogged() {
            let rest = input.get(fed..).unwrap_or_default();
            if rest.is_empty() {
                break;
            }
            let used = self.body_input(rest);
            if used == 0 {
                break;
            }
            fed = fed.saturating_add(used);
            self.direct = self.direct.saturating_add(used as u64);
            self.resume();
        }
        let rest = input.get(fed..).unwrap_or_default();
        if !rest.is_empty() {
            if self.question.is_open() || self.backlogged() {
                return Ok(fed);
            }
            if matches!(self.phase, Phase::TlsPending | Phase::Closed) {
                return Ok(input.len());
            }
            self.framer.push(rest);
            self.resume();
        }
        self.fatal.check()?;
        Ok(input.len())
    }

    fn handle_timeout(&mut self, now: Instant) {
        if self.timer.expired(now) && !matches!(self.phase, Phase::Closed) {
            self.send(&reply(
                ReplyCode::SERVICE_NOT_AVAILABLE,
                EnhancedCode::BAD_CONNECTION,
                "Timeout, closing transmission channel",
            ));
            self.close(CloseReason::Timeout);
        }
    }

    fn handle_tls_established(&mut self, now: Instant) {
        self.timer.tick(now);
        if matches!(self.phase, Phase::TlsPending) {
            // RFC 3207 §4.2: forget everything learnt from the client.
            self.framer.clear();
            self.phase = Phase::Command;
            self.tls = true;
            self.hello = None;
            self.authenticated = None;
            self.reset_transaction();
            self.arm(self.config.limits.timeouts.server_command);
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
