//! The SMTP, submission and LMTP server machine ([RFC 5321 §4], [RFC 6409],
//! [RFC 2033]).
//!
//! [`Server`] reads commands, answers what the protocol decides on its own
//! (sequence, syntax, limits, extensions) and asks the application about the
//! rest through [`Event`]s: each sender, each recipient, each message and
//! each SASL step. The application answers with commands
//! ([`accept_sender`](Server::accept_sender),
//! [`reject_recipient`](Server::reject_recipient),
//! [`auth_challenge`](Server::auth_challenge), ...). While a question is
//! open the machine consumes no input, so pipelined commands wait in the
//! caller's buffer and replies always go out in command order ([RFC 2920
//! §3.1]).
//!
//! The body is never buffered: `DATA` is unstuffed by
//! [`DotDecoder`] (only `CRLF.CRLF` ends it)
//! and `BDAT` chunks are counted out, both handed over as
//! [`Event::BodyChunk`]s of at most [`Limits::max_body_chunk`] octets.
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

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use mailwire_core::Secret;
use mailwire_core::dot::{BareNewline, DotDecoder};
use mailwire_core::error::Found;
use mailwire_core::line::{BareLineEnding, LineConfig, LineError, LineFramer};
use mailwire_core::machine::{Control, Machine, MachineEvent, Transmit};

use crate::Error;
use crate::limits::Limits;
use crate::parse::command::Verb;
use crate::types::auth::{AuthResponse, Mechanism};
use crate::types::capability::{Capabilities, Capability, EhloReply};
use crate::types::command::Command;
use crate::types::parameter::{BodyType, MailParameters, RcptParameters};
use crate::types::path::{Domain, ForwardPath, Host, ReversePath};
use crate::types::reply::{EnhancedCode, Reply, ReplyCode};
use crate::types::text::Text;

/// What kind of service the server offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ServerMode {
    /// Message relay ([RFC 5321]).
    ///
    /// [RFC 5321]: https://www.rfc-editor.org/rfc/rfc5321
    #[default]
    Smtp,
    /// Message submission ([RFC 6409]): `MAIL` before `AUTH` gets
    /// `530 5.7.0`.
    ///
    /// [RFC 6409]: https://www.rfc-editor.org/rfc/rfc6409
    Submission,
    /// LMTP ([RFC 2033]): `LHLO`, and one reply per accepted recipient after
    /// the message.
    ///
    /// [RFC 2033]: https://www.rfc-editor.org/rfc/rfc2033
    Lmtp,
}

/// Server configuration: identity, mode, extensions offered and limits.
///
/// ```
/// use mailwire_smtp::server::{ServerConfig, ServerMode};
/// use mailwire_smtp::{Domain, Mechanism};
/// let mut config = ServerConfig::new(Domain::try_from("submit.example.org").unwrap());
/// config.mode = ServerMode::Submission;
/// config.starttls = true;
/// config.auth_mechanisms = vec![Mechanism::PLAIN];
/// assert!(config.auth_requires_tls);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServerConfig {
    /// The server's name, in the greeting and the EHLO reply.
    pub hostname: Domain<'static>,
    /// Relay, submission or LMTP.
    pub mode: ServerMode,
    /// Limits and timeouts.
    pub limits: Limits,
    /// Offer `STARTTLS` ([RFC 3207]); the driver must be able to run TLS.
    ///
    /// [RFC 3207]: https://www.rfc-editor.org/rfc/rfc3207
    pub starttls: bool,
    /// The connection is already TLS (implicit TLS, [RFC 8314]).
    ///
    /// [RFC 8314]: https://www.rfc-editor.org/rfc/rfc8314
    pub tls_active: bool,
    /// `MAIL` before STARTTLS gets `530 5.7.0`.
    pub require_tls: bool,
    /// SASL mechanisms offered with `AUTH` ([RFC 4954]); empty: no AUTH.
    ///
    /// [RFC 4954]: https://www.rfc-editor.org/rfc/rfc4954
    pub auth_mechanisms: Vec<Mechanism<'static>>,
    /// Offer AUTH only under TLS. Default `true`.
    pub auth_requires_tls: bool,
    /// What to do with a bare CR or LF in a body, and a bare LF ending a
    /// command: reject with `500 5.5.2` (default) or normalise to CRLF
    /// (Postfix's `smtpd_forbid_bare_newline`). A bare CR inside a command
    /// is always an error.
    pub bare_newline: BareNewline,
    /// Offer `PIPELINING` ([RFC 2920]). Default `true`.
    ///
    /// [RFC 2920]: https://www.rfc-editor.org/rfc/rfc2920
    pub pipelining: bool,
    /// Offer `8BITMIME` ([RFC 6152]). Default `true`.
    ///
    /// [RFC 6152]: https://www.rfc-editor.org/rfc/rfc6152
    pub eight_bit_mime: bool,
    /// Offer `SMTPUTF8` ([RFC 6531]). Default `true`.
    ///
    /// [RFC 6531]: https://www.rfc-editor.org/rfc/rfc6531
    pub smtputf8: bool,
    /// Offer `CHUNKING` and `BINARYMIME` ([RFC 3030]). Default `true`.
    ///
    /// [RFC 3030]: https://www.rfc-editor.org/rfc/rfc3030
    pub chunking: bool,
    /// Offer `DSN` ([RFC 3461]). Default `true`.
    ///
    /// [RFC 3461]: https://www.rfc-editor.org/rfc/rfc3461
    pub dsn: bool,
    /// Offer `REQUIRETLS` under TLS ([RFC 8689 §2]). Default `true`.
    ///
    /// [RFC 8689 §2]: https://www.rfc-editor.org/rfc/rfc8689#section-2
    pub requiretls: bool,
    /// Pass `MAIL`/`RCPT` parameters this crate does not know to the
    /// application instead of answering `555 5.5.4`. Default `false`.
    pub allow_unknown_parameters: bool,
}

impl ServerConfig {
    /// A relay configuration with every extension on, no TLS and no AUTH.
    pub fn new(hostname: Domain<'static>) -> Self {
        Self {
            hostname,
            mode: ServerMode::Smtp,
            limits: Limits::default(),
            starttls: false,
            tls_active: false,
            require_tls: false,
            auth_mechanisms: Vec::new(),
            auth_requires_tls: true,
            bare_newline: BareNewline::Reject,
            pipelining: true,
            eight_bit_mime: true,
            smtputf8: true,
            chunking: true,
            dsn: true,
            requiretls: true,
            allow_unknown_parameters: false,
        }
    }
}

/// Why a message was dropped before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AbortReason {
    /// A bare CR or LF in the body under [`BareNewline::Reject`]; the
    /// message gets `500 5.5.2` once its end is read.
    BareNewline,
    /// Over [`Limits::max_message_size`]; the message gets `552 5.3.4` once
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
    /// The client started `AUTH`. Answer with [`Server::auth_challenge`],
    /// [`Server::auth_succeeded`], [`Server::auth_failed`] or
    /// [`Server::reject_auth`].
    AuthRequested {
        /// The mechanism (one that is offered).
        mechanism: Mechanism<'static>,
        /// The initial response, decoded.
        initial_response: Option<Secret<Vec<u8>>>,
    },
    /// A client response during AUTH, decoded. Answer as for
    /// [`Event::AuthRequested`].
    AuthResponse(Secret<Vec<u8>>),
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

impl MachineEvent for Event {
    fn control(&self) -> Option<Control> {
        match self {
            Event::TlsRequested => Some(Control::StartTls),
            Event::Closed { .. } => Some(Control::Close),
            _ => None,
        }
    }
}

/// The question the application has to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Sender,
    Recipient,
    Message,
    Auth,
}

#[derive(Debug)]
enum Phase {
    Command,
    Decision(Pending),
    AuthLine,
    Data(DotDecoder),
    Bdat { remaining: u64, last: bool },
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

/// Events queued beyond this stop input until the application polls.
const MAX_QUEUED_EVENTS: usize = 64;

/// The server machine; see the [module documentation](self).
#[derive(Debug)]
pub struct Server {
    config: ServerConfig,
    framer: LineFramer,
    phase: Phase,
    hello: Option<Hello>,
    tls: bool,
    authenticated: Option<String>,
    transaction: Option<Transaction>,
    out: Vec<u8>,
    events: VecDeque<Event>,
    queued_body: usize,
    scratch: Vec<u8>,
    /// Body octets taken straight from the input, never pushed to the
    /// framer: added to its offsets so stream offsets stay exact.
    direct: u64,
    errors: u32,
    fatal: Option<Error>,
    now: Instant,
    deadline: Option<Instant>,
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
        let line_config = Self::line_config(&config, config.limits.max_command_line_length);
        let tls = config.tls_active;
        let mut server = Self {
            framer: LineFramer::new(line_config),
            phase: Phase::Command,
            hello: None,
            tls,
            authenticated: None,
            transaction: None,
            out: Vec::new(),
            events: VecDeque::new(),
            queued_body: 0,
            scratch: Vec::new(),
            direct: 0,
            errors: 0,
            fatal: None,
            now,
            deadline: None,
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
        if c.requiretls && self.tls {
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

    // ----- application commands -------------------------------------------------

    fn take_pending(&mut self, expected: Pending, what: &'static str) -> Result<(), Error> {
        match self.phase {
            Phase::Decision(p) if p == expected => {
                self.phase = Phase::Command;
                Ok(())
            }
            _ => Err(Error::Protocol(mailwire_core::Error::OutOfOrder { what })),
        }
    }

    /// Accepts the sender of [`Event::MailRequested`] (`250 2.1.0`).
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no sender is waiting for an answer.
    pub fn accept_sender(&mut self) -> Result<(), Error> {
        self.take_pending(Pending::Sender, "accept_sender without MailRequested")?;
        self.send(&reply(ReplyCode::OK, EnhancedCode::SENDER_OK, "Sender OK"));
        self.resume();
        Ok(())
    }

    /// Rejects the sender of [`Event::MailRequested`] with `reply`; the
    /// transaction does not start.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no sender is waiting for an answer.
    pub fn reject_sender(&mut self, reply: Reply<'_>) -> Result<(), Error> {
        self.take_pending(Pending::Sender, "reject_sender without MailRequested")?;
        self.transaction = None;
        self.send(&reply);
        self.resume();
        Ok(())
    }

    /// Accepts the recipient of [`Event::RecipientRequested`] (`250 2.1.5`).
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no recipient is waiting for an answer.
    pub fn accept_recipient(&mut self) -> Result<(), Error> {
        self.take_pending(
            Pending::Recipient,
            "accept_recipient without RecipientRequested",
        )?;
        if let Some(t) = &mut self.transaction {
            t.recipients = t.recipients.saturating_add(1);
        }
        self.send(&reply(
            ReplyCode::OK,
            EnhancedCode::DESTINATION_OK,
            "Recipient OK",
        ));
        self.resume();
        Ok(())
    }

    /// Rejects the recipient of [`Event::RecipientRequested`] with `reply`.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no recipient is waiting for an answer.
    pub fn reject_recipient(&mut self, reply: Reply<'_>) -> Result<(), Error> {
        self.take_pending(
            Pending::Recipient,
            "reject_recipient without RecipientRequested",
        )?;
        self.send(&reply);
        self.resume();
        Ok(())
    }

    fn finish_message(&mut self, replies: &[Reply<'_>]) {
        for r in replies {
            self.send(r);
        }
        self.transaction = None;
        self.resume();
    }

    fn message_recipients(&self) -> usize {
        self.transaction.as_ref().map_or(0, |t| t.recipients)
    }

    /// Accepts the message of [`Event::MessageReceived`]: one `250 2.0.0`,
    /// or one per accepted recipient in LMTP.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no message is waiting for an answer.
    pub fn accept_message(&mut self) -> Result<(), Error> {
        self.take_pending(Pending::Message, "accept_message without MessageReceived")?;
        let ok = reply(ReplyCode::OK, EnhancedCode::OK, "Message accepted");
        let count = if self.config.mode == ServerMode::Lmtp {
            self.message_recipients()
        } else {
            1
        };
        self.finish_message(&vec![ok; count]);
        Ok(())
    }

    /// Rejects the message of [`Event::MessageReceived`] with `reply` (for
    /// every recipient in LMTP).
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no message is waiting for an answer.
    pub fn reject_message(&mut self, reply: Reply<'_>) -> Result<(), Error> {
        self.take_pending(Pending::Message, "reject_message without MessageReceived")?;
        let count = if self.config.mode == ServerMode::Lmtp {
            self.message_recipients()
        } else {
            1
        };
        let reply = reply.into_static();
        self.finish_message(&vec![reply; count]);
        Ok(())
    }

    /// Answers an LMTP message with one reply per accepted recipient, in
    /// `RCPT` order ([RFC 2033 §4.2]).
    ///
    /// [RFC 2033 §4.2]: https://www.rfc-editor.org/rfc/rfc2033#section-4.2
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no message is waiting for an answer, and
    /// [`CoreError::Unsupported`](crate::CoreError::Unsupported) outside LMTP or when the number of replies does
    /// not match (nothing is sent then).
    pub fn answer_recipients(&mut self, replies: Vec<Reply<'_>>) -> Result<(), Error> {
        if !matches!(self.phase, Phase::Decision(Pending::Message)) {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "answer_recipients without MessageReceived",
            }));
        }
        if self.config.mode != ServerMode::Lmtp || replies.len() != self.message_recipients() {
            return Err(Error::Protocol(mailwire_core::Error::Unsupported {
                what: "a reply count other than the recipient count",
            }));
        }
        self.phase = Phase::Command;
        self.finish_message(&replies);
        Ok(())
    }

    fn take_auth(&mut self) -> Result<(), Error> {
        self.take_pending(
            Pending::Auth,
            "an AUTH answer without AuthRequested or AuthResponse",
        )
    }

    /// Sends a `334` challenge ([RFC 4954 §4]) and reads the client's next
    /// line.
    ///
    /// [RFC 4954 §4]: https://www.rfc-editor.org/rfc/rfc4954#section-4
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no AUTH step is waiting for an answer.
    pub fn auth_challenge(&mut self, challenge: &[u8]) -> Result<(), Error> {
        self.take_auth()?;
        crate::encode::reply::encode_auth_challenge(challenge, &mut self.out);
        self.phase = Phase::AuthLine;
        let max = self.config.limits.max_auth_line_length;
        self.framer.set_config(Self::line_config(&self.config, max));
        self.resume();
        Ok(())
    }

    /// Ends AUTH successfully (`235 2.7.0`); `authcid` is the identity that
    /// authenticated.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no AUTH step is waiting for an answer.
    pub fn auth_succeeded(&mut self, authcid: &str) -> Result<(), Error> {
        self.take_auth()?;
        self.authenticated = Some(authcid.to_owned());
        self.send(&reply(
            ReplyCode::AUTH_SUCCEEDED,
            EnhancedCode::SECURITY_OK,
            "Authentication successful",
        ));
        self.resume();
        Ok(())
    }

    /// Ends AUTH with `535 5.7.8` ([RFC 4954 §6]).
    ///
    /// [RFC 4954 §6]: https://www.rfc-editor.org/rfc/rfc4954#section-6
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no AUTH step is waiting for an answer.
    pub fn auth_failed(&mut self) -> Result<(), Error> {
        self.reject_auth(reply(
            ReplyCode::AUTH_INVALID,
            EnhancedCode::AUTH_INVALID,
            "Authentication credentials invalid",
        ))
    }

    /// Ends AUTH with `reply` (say `454 4.7.0` or `534 5.7.9`).
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no AUTH step is waiting for an answer.
    pub fn reject_auth(&mut self, reply: Reply<'_>) -> Result<(), Error> {
        self.take_auth()?;
        self.send(&reply);
        self.resume();
        Ok(())
    }

    /// Ends the session with `421 4.3.2` (the service is shutting down).
    pub fn shutdown(&mut self) {
        if !matches!(self.phase, Phase::Closed) {
            self.send(&reply(
                ReplyCode::SERVICE_NOT_AVAILABLE,
                EnhancedCode::SYSTEM_NOT_ACCEPTING,
                "Service shutting down, closing transmission channel",
            ));
            self.close(CloseReason::Shutdown);
        }
    }

    // ----- internals ---------------------------------------------------------------

    fn send(&mut self, reply: &Reply<'_>) {
        crate::encode::encode_reply(reply, &mut self.out);
    }

    fn arm(&mut self, timeout: Duration) {
        self.deadline = self.now.checked_add(timeout);
    }

    fn close(&mut self, reason: CloseReason) {
        if let Phase::Data(_) | Phase::Bdat { .. } = self.phase {
            self.events.push_back(Event::MessageAborted {
                reason: AbortReason::ConnectionLost,
            });
        }
        self.phase = Phase::Closed;
        self.deadline = None;
        self.framer.clear();
        self.events.push_back(Event::Closed { reason });
    }

    /// Counts an erroneous command; past the limit the session ends.
    fn error(&mut self, reply: &Reply<'_>) {
        self.send(reply);
        self.errors = self.errors.saturating_add(1);
        if self.errors > self.config.limits.max_errors {
            self.send(&reply_static_421_errors());
            self.fatal = Some(Error::Protocol(mailwire_core::Error::TooManyErrors {
                limit: self.config.limits.max_errors,
            }));
            self.close(CloseReason::TooManyErrors);
        }
    }

    fn reset_transaction(&mut self) {
        if self.transaction.take().is_some() {
            self.events.push_back(Event::Reset);
        }
    }

    fn backlogged(&self) -> bool {
        self.events.len() >= MAX_QUEUED_EVENTS
            || self.queued_body >= self.config.limits.max_body_chunk
    }

    fn push_body(&mut self, data: Vec<u8>) {
        self.queued_body = self.queued_body.saturating_add(data.len());
        self.events.push_back(Event::BodyChunk { data });
    }

    /// Processes buffered input until it runs out or a question is open.
    fn resume(&mut self) {
        loop {
            if self.backlogged() {
                return;
            }
            match &mut self.phase {
                Phase::Decision(_) | Phase::TlsPending | Phase::Closed => return,
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
                Phase::Bdat { remaining, last } => {
                    let (remaining_now, last) = (*remaining, *last);
                    if remaining_now > 0 {
                        let buffered = self.framer.buffered();
                        if buffered.is_empty() {
                            return;
                        }
                        let cap = self.config.limits.max_body_chunk.max(1) as u64;
                        let take = remaining_now.min(buffered.len() as u64).min(cap) as usize;
                        let data = buffered.get(..take).unwrap_or_default().to_vec();
                        self.framer.consume(take);
                        if let Phase::Bdat { remaining, .. } = &mut self.phase {
                            *remaining = remaining.saturating_sub(take as u64);
                        }
                        self.bdat_chunk(data);
                    } else {
                        self.bdat_end(last);
                    }
                }
            }
        }
    }

    fn line_error(&mut self, error: LineError, auth: bool) {
        if auth {
            self.end_auth_exchange();
            self.events.push_back(Event::AuthCancelled);
        }
        let r = match error {
            LineError::TooLong { .. } => reply(
                ReplyCode::SYNTAX_ERROR,
                EnhancedCode::LINE_TOO_LONG,
                "Line too long",
            ),
            _ => reply(
                ReplyCode::SYNTAX_ERROR,
                EnhancedCode::SYNTAX_ERROR,
                "Bare CR or LF in command line",
            ),
        };
        self.error(&r);
        self.arm(self.config.limits.timeouts.server_command);
    }

    fn end_auth_exchange(&mut self) {
        self.phase = Phase::Command;
        let max = self.config.limits.max_command_line_length;
        self.framer.set_config(Self::line_config(&self.config, max));
    }

    fn auth_line(&mut self, line: &[u8]) {
        self.end_auth_exchange();
        match crate::parse::parse_auth_response(line) {
            Ok(AuthResponse::Data(data)) => {
                self.phase = Phase::Decision(Pending::Auth);
                self.deadline = None;
                self.events.push_back(Event::AuthResponse(data));
            }
            Ok(AuthResponse::Cancel) => {
                self.events.push_back(Event::AuthCancelled);
                self.send(&reply(
                    ReplyCode::PARAMETER_SYNTAX_ERROR,
                    EnhancedCode::PERMANENT_FAILURE,
                    "Authentication cancelled",
                ));
            }
            Err(_) => {
                self.events.push_back(Event::AuthCancelled);
                self.error(&reply(
                    ReplyCode::PARAMETER_SYNTAX_ERROR,
                    EnhancedCode::SYNTAX_ERROR,
                    "Cannot decode base64 response",
                ));
            }
        }
    }

    fn data_chunk(&mut self, body: Vec<u8>, bare_newline: bool, done: bool) {
        let max = self.config.limits.max_message_size;
        let mut aborted = None;
        if let Some(t) = &mut self.transaction
            && t.aborted.is_none()
        {
            if bare_newline {
                aborted = Some(AbortReason::BareNewline);
            } else {
                t.size = t.size.saturating_add(body.len() as u64);
                if max.is_some_and(|m| t.size > m) {
                    aborted = Some(AbortReason::TooLarge);
                }
            }
            if let Some(reason) = aborted {
                t.aborted = Some(reason);
            }
        }
        let healthy = self
            .transaction
            .as_ref()
            .is_some_and(|t| t.aborted.is_none());
        if let Some(reason) = aborted {
            self.events.push_back(Event::MessageAborted { reason });
        } else if healthy && !body.is_empty() {
            self.push_body(body);
        }
        if done {
            self.end_of_message();
        } else {
            self.arm(self.config.limits.timeouts.data_block);
        }
    }

    fn end_of_message(&mut self) {
        let (aborted, size, recipients) = match &self.transaction {
            Some(t) => (t.aborted, t.size, t.recipients),
            None => (None, 0, 0),
        };
        let lmtp_count = if self.config.mode == ServerMode::Lmtp {
            recipients.max(1)
        } else {
            1
        };
        match aborted {
            Some(AbortReason::TooLarge) => {
                let r = reply(
                    ReplyCode::EXCEEDED_STORAGE,
                    EnhancedCode::MESSAGE_TOO_BIG,
                    "Message size exceeds fixed maximum message size",
                );
                for _ in 0..lmtp_count {
                    self.send(&r);
                }
                self.transaction = None;
                self.phase = Phase::Command;
            }
            Some(_) => {
                let r = reply(
                    ReplyCode::SYNTAX_ERROR,
                    EnhancedCode::SYNTAX_ERROR,
                    "Bare CR or LF in message",
                );
                for _ in 0..lmtp_count {
                    self.send(&r);
                }
                self.transaction = None;
                self.phase = Phase::Command;
            }
            None => {
                self.phase = Phase::Decision(Pending::Message);
                self.deadline = None;
                self.events
                    .push_back(Event::MessageReceived { size, recipients });
                return;
            }
        }
        self.arm(self.config.limits.timeouts.server_command);
    }

    fn bdat_chunk(&mut self, data: Vec<u8>) {
        let max = self.config.limits.max_message_size;
        let mut newly_aborted = false;
        let healthy = match &mut self.transaction {
            Some(t) if t.aborted.is_none() => {
                t.size = t.size.saturating_add(data.len() as u64);
                if max.is_some_and(|m| t.size > m) {
                    t.aborted = Some(AbortReason::TooLarge);
                    newly_aborted = true;
                    false
                } else {
                    true
                }
            }
            _ => false,
        };
        if newly_aborted {
            self.events.push_back(Event::MessageAborted {
                reason: AbortReason::TooLarge,
            });
        } else if healthy && !data.is_empty() {
            self.push_body(data);
        }
        self.arm(self.config.limits.timeouts.data_block);
    }

    fn bdat_end(&mut self, last: bool) {
        self.phase = Phase::Command;
        if !self.config.chunking {
            self.transaction = None;
            self.error(&reply(
                ReplyCode::NOT_IMPLEMENTED,
                EnhancedCode::INVALID_COMMAND,
                "BDAT not available",
            ));
            return;
        }
        let state = self.transaction.as_ref().map(|t| (t.recipients, t.aborted));
        match state {
            None => self.error(&bad_sequence("Need MAIL command")),
            Some((0, _)) => {
                self.transaction = None;
                self.send(&bad_sequence("No valid recipients"));
            }
            Some((_, Some(_))) => {
                let r = reply(
                    ReplyCode::EXCEEDED_STORAGE,
                    EnhancedCode::MESSAGE_TOO_BIG,
                    "Message size exceeds fixed maximum message size",
                );
                self.send(&r);
                self.transaction = None;
            }
            Some((_, None)) if last => {
                self.end_of_message();
                return;
            }
            Some((_, None)) => {
                let size = self.transaction.as_ref().map_or(0, |t| t.size);
                self.send(&Reply::new_owned(
                    ReplyCode::OK,
                    Some(EnhancedCode::OK),
                    format!("{size} octets received"),
                ));
            }
        }
        self.arm(self.config.limits.timeouts.server_command);
    }

    fn command_line(&mut self, line: &[u8]) {
        self.arm(self.config.limits.timeouts.server_command);
        let verb = crate::parse::parse_verb(line);
        let command = match crate::parse::parse_command_line(line) {
            Ok(command) => command,
            Err(e) => {
                let r = syntax_reply(verb, &e);
                self.error(&r);
                return;
            }
        };
        self.command(command);
    }

    fn command(&mut self, command: Command<'_>) {
        let lmtp = self.config.mode == ServerMode::Lmtp;
        match command {
            Command::Helo { host } if !lmtp => self.hello(host, false),
            Command::Ehlo { host } if !lmtp => self.hello(host, true),
            Command::Lhlo { host } if lmtp => self.hello(host, true),
            Command::Helo { .. } | Command::Ehlo { .. } | Command::Lhlo { .. } => {
                self.error(&reply(
                    ReplyCode::SYNTAX_ERROR,
                    EnhancedCode::INVALID_COMMAND,
                    "Command unrecognized",
                ));
            }
            Command::Mail {
                reverse_path,
                parameters,
            } => self.mail(reverse_path, parameters),
            Command::Rcpt {
                forward_path,
                parameters,
            } => self.rcpt(forward_path, parameters),
            Command::Data => self.data(),
            Command::Bdat { size, last } => self.bdat(size, last),
            Command::Rset => {
                self.reset_transaction();
                self.send(&reply(ReplyCode::OK, EnhancedCode::OK, "Ok"));
            }
            Command::Vrfy { .. } => self.send(&reply(
                ReplyCode::CANNOT_VERIFY,
                EnhancedCode::OK,
                "Cannot VRFY user, but will accept message and attempt delivery",
            )),
            Command::Expn { .. } => {
                self.send(&reply(
                    ReplyCode::NOT_IMPLEMENTED,
                    EnhancedCode::INVALID_COMMAND,
                    "EXPN not available",
                ));
            }
            Command::Help { .. } => {
                self.send(&reply(
                    ReplyCode::HELP,
                    EnhancedCode::OK,
                    "See https://www.rfc-editor.org/rfc/rfc5321",
                ));
            }
            Command::Noop { .. } => self.send(&reply(ReplyCode::OK, EnhancedCode::OK, "Ok")),
            Command::Quit => {
                let text = format!(
                    "{} Service closing transmission channel",
                    self.config.hostname
                );
                self.send(&Reply::new_owned(
                    ReplyCode::CLOSING,
                    Some(EnhancedCode::OK),
                    text,
                ));
                self.close(CloseReason::Quit);
            }
            Command::StartTls => self.starttls(),
            Command::Auth {
                mechanism,
                initial_response,
            } => self.auth(mechanism, initial_response),
        }
    }

    fn hello(&mut self, host: Host<'_>, extended: bool) {
        self.reset_transaction();
        self.hello = Some(if extended { Hello::Ehlo } else { Hello::Helo });
        if extended {
            let ehlo = EhloReply {
                domain: Text::from_cow_unchecked(self.config.hostname.as_str().to_owned().into()),
                greeting: Some(Text::from_cow_unchecked(format!("greets {host}").into())),
                capabilities: self.capabilities(),
            };
            let r = ehlo.to_reply();
            self.send(&r);
        } else {
            let text = self.config.hostname.to_string();
            self.send(&Reply::new_owned(ReplyCode::OK, None, text));
        }
        self.events.push_back(Event::Hello {
            host: host.into_static(),
            extended,
        });
    }

    fn parameter_not_supported(&mut self, text: &'static str) {
        self.error(&reply(
            ReplyCode::PARAMETERS_NOT_RECOGNIZED,
            EnhancedCode::INVALID_ARGUMENTS,
            text,
        ));
    }

    fn mail(&mut self, reverse_path: ReversePath<'_>, parameters: MailParameters<'_>) {
        let c = self.config.clone();
        if self.hello.is_none() {
            return self.error(&bad_sequence("Send HELO/EHLO first"));
        }
        if self.transaction.is_some() {
            return self.error(&bad_sequence("Nested MAIL command"));
        }
        if c.require_tls && !self.tls {
            return self.send(&reply(
                ReplyCode::AUTH_REQUIRED,
                EnhancedCode::SECURITY_ERROR,
                "Must issue a STARTTLS command first",
            ));
        }
        if c.mode == ServerMode::Submission && self.authenticated.is_none() {
            return self.send(&reply(
                ReplyCode::AUTH_REQUIRED,
                EnhancedCode::SECURITY_ERROR,
                "Authentication required",
            ));
        }
        if !parameters.other.is_empty() && !c.allow_unknown_parameters {
            return self.parameter_not_supported("Unsupported MAIL parameter");
        }
        let unsupported = match parameters.body {
            Some(BodyType::EightBitMime) => !c.eight_bit_mime,
            Some(BodyType::BinaryMime) => !c.chunking,
            _ => false,
        } || (parameters.smtputf8 && !c.smtputf8)
            || (parameters.has_dsn() && !c.dsn)
            || (parameters.requiretls && !c.requiretls);
        if unsupported {
            return self.parameter_not_supported("Unsupported MAIL parameter");
        }
        if parameters.requiretls && !self.tls {
            return self.send(&reply(
                ReplyCode::AUTH_REQUIRED,
                EnhancedCode::ENCRYPTION_NEEDED,
                "REQUIRETLS needs TLS",
            ));
        }
        if let (Some(size), Some(max)) = (parameters.size, c.limits.max_message_size)
            && size > max
        {
            return self.send(&reply(
                ReplyCode::EXCEEDED_STORAGE,
                EnhancedCode::MESSAGE_TOO_BIG,
                "Message size exceeds fixed maximum message size",
            ));
        }
        if !reverse_path.is_ascii() && !parameters.smtputf8 {
            return self.send(&reply(
                ReplyCode::MAILBOX_UNAVAILABLE,
                EnhancedCode::NON_ASCII_ADDRESS,
                "Non-ASCII address needs SMTPUTF8",
            ));
        }
        self.transaction = Some(Transaction {
            smtputf8: parameters.smtputf8,
            body: parameters.body,
            ..Transaction::default()
        });
        self.ask(
            Pending::Sender,
            Event::MailRequested {
                reverse_path: reverse_path.into_static(),
                parameters: parameters.into_static(),
            },
        );
    }

    fn ask(&mut self, pending: Pending, event: Event) {
        self.phase = Phase::Decision(pending);
        self.deadline = None;
        self.events.push_back(event);
    }

    fn rcpt(&mut self, forward_path: ForwardPath<'_>, parameters: RcptParameters<'_>) {
        let Some(t) = &self.transaction else {
            return self.error(&bad_sequence("Need MAIL command"));
        };
        if t.used_bdat {
            return self.error(&bad_sequence("RCPT after BDAT"));
        }
        if t.recipients >= self.config.limits.max_recipients {
            return self.send(&reply(
                ReplyCode::INSUFFICIENT_STORAGE,
                EnhancedCode::TOO_MANY_RECIPIENTS,
                "Too many recipients",
            ));
        }
        if !parameters.other.is_empty() && !self.config.allow_unknown_parameters
            || parameters.has_dsn() && !self.config.dsn
        {
            return self.parameter_not_supported("Unsupported RCPT parameter");
        }
        if !forward_path.is_ascii() && !t.smtputf8 {
            return self.send(&reply(
                ReplyCode::MAILBOX_NAME_NOT_ALLOWED,
                EnhancedCode::NON_ASCII_ADDRESS,
                "Non-ASCII address needs SMTPUTF8",
            ));
        }
        self.ask(
            Pending::Recipient,
            Event::RecipientRequested {
                forward_path: forward_path.into_static(),
                parameters: parameters.into_static(),
            },
        );
    }

    fn data(&mut self) {
        let Some(t) = &self.transaction else {
            return self.error(&bad_sequence("Need MAIL command"));
        };
        if t.used_bdat || t.body == Some(BodyType::BinaryMime) {
            return self.error(&bad_sequence(
                "DATA not allowed after BDAT or with BINARYMIME",
            ));
        }
        if t.recipients == 0 {
            return self.send(&reply(
                ReplyCode::TRANSACTION_FAILED,
                EnhancedCode::INVALID_COMMAND,
                "No valid recipients",
            ));
        }
        self.send(&Reply::new_static(
            ReplyCode::START_MAIL_INPUT,
            None,
            "End data with <CR><LF>.<CR><LF>",
        ));
        let offset = self
            .framer
            .stream_offset()
            .saturating_add(self.direct)
            .saturating_sub(self.framer.buffered().len() as u64);
        self.phase = Phase::Data(DotDecoder::with_offset(self.config.bare_newline, offset));
        self.arm(self.config.limits.timeouts.data_block);
    }

    fn bdat(&mut self, size: u64, last: bool) {
        // The chunk is read whatever the answer, so that its octets are never
        // taken for commands (RFC 3030 §2).
        if let Some(t) = &mut self.transaction {
            t.used_bdat = true;
        }
        self.phase = Phase::Bdat {
            remaining: size,
            last,
        };
        self.arm(self.config.limits.timeouts.data_block);
    }

    fn starttls(&mut self) {
        if !self.config.starttls {
            return self.error(&reply(
                ReplyCode::NOT_IMPLEMENTED,
                EnhancedCode::INVALID_COMMAND,
                "STARTTLS not available",
            ));
        }
        if self.tls {
            return self.error(&bad_sequence("TLS already active"));
        }
        if self.transaction.is_some() {
            return self.error(&bad_sequence("MAIL transaction in progress"));
        }
        self.send(&reply(
            ReplyCode::SERVICE_READY,
            EnhancedCode::OK,
            "Ready to start TLS",
        ));
        // RFC 3207 §4.2 and CVE-2011-0411: nothing received in plaintext
        // after the command may be acted on.
        self.framer.clear();
        self.phase = Phase::TlsPending;
        self.events.push_back(Event::TlsRequested);
    }

    fn auth(&mut self, mechanism: Mechanism<'_>, initial_response: Option<Secret<Vec<u8>>>) {
        if self.config.auth_mechanisms.is_empty() {
            return self.error(&reply(
                ReplyCode::NOT_IMPLEMENTED,
                EnhancedCode::INVALID_COMMAND,
                "AUTH not available",
            ));
        }
        if !self.auth_offered() {
            return self.send(&reply(
                ReplyCode::AUTH_REQUIRED,
                EnhancedCode::SECURITY_ERROR,
                "Must issue a STARTTLS command first",
            ));
        }
        if self.hello != Some(Hello::Ehlo) {
            return self.error(&bad_sequence("Send EHLO first"));
        }
        if self.authenticated.is_some() {
            return self.error(&bad_sequence("Already authenticated"));
        }
        if self.transaction.is_some() {
            return self.error(&bad_sequence("MAIL transaction in progress"));
        }
        if !self.config.auth_mechanisms.contains(&mechanism) {
            return self.error(&reply(
                ReplyCode::PARAMETER_NOT_IMPLEMENTED,
                EnhancedCode::INVALID_ARGUMENTS,
                "Unrecognized authentication type",
            ));
        }
        self.ask(
            Pending::Auth,
            Event::AuthRequested {
                mechanism: mechanism.into_static(),
                initial_response,
            },
        );
    }
}

fn reply_static_421_errors() -> Reply<'static> {
    reply(
        ReplyCode::SERVICE_NOT_AVAILABLE,
        EnhancedCode::BAD_CONNECTION,
        "Too many errors, closing transmission channel",
    )
}

/// The reply to a command that does not parse: `500 5.5.2` for an unknown
/// verb, `501 5.1.7`/`5.1.3` for a bad sender/recipient address, `501
/// 5.5.4` for other bad arguments ([RFC 5321 §4.2.4], [RFC 3463]).
///
/// [RFC 5321 §4.2.4]: https://www.rfc-editor.org/rfc/rfc5321#section-4.2.4
/// [RFC 3463]: https://www.rfc-editor.org/rfc/rfc3463
fn syntax_reply(verb: Option<Verb>, error: &Error) -> Reply<'static> {
    let address = crate::parse::path::is_path_error(error);
    match (verb, error) {
        (None, _) => error.reply(),
        (
            Some(_),
            Error::Protocol(mailwire_core::Error::Malformed {
                expected: "CRLF",
                found: Found::Byte(b'\r'),
                ..
            }),
        ) => reply(
            ReplyCode::SYNTAX_ERROR,
            EnhancedCode::SYNTAX_ERROR,
            "Bare CR in command line",
        ),
        (Some(Verb::Mail), _) if address => reply(
            ReplyCode::PARAMETER_SYNTAX_ERROR,
            EnhancedCode::BAD_SENDER_SYNTAX,
            "Bad sender address syntax",
        ),
        (Some(Verb::Rcpt), _) if address => reply(
            ReplyCode::PARAMETER_SYNTAX_ERROR,
            EnhancedCode::BAD_DESTINATION_SYNTAX,
            "Bad recipient address syntax",
        ),
        _ => reply(
            ReplyCode::PARAMETER_SYNTAX_ERROR,
            EnhancedCode::INVALID_ARGUMENTS,
            "Syntax error in parameters or arguments",
        ),
    }
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
            // Plaintext after STARTTLS, or anything after the end: dropped.
            Phase::TlsPending | Phase::Closed => return Ok(input.len()),
            Phase::Decision(_) => return Ok(0),
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
            if matches!(self.phase, Phase::Decision(_)) || self.backlogged() {
                return Ok(fed);
            }
            if matches!(self.phase, Phase::TlsPending | Phase::Closed) {
                return Ok(input.len());
            }
            self.framer.push(rest);
            self.resume();
        }
        if let Some(fatal) = &self.fatal {
            return Err(fatal.clone());
        }
        Ok(input.len())
    }

    fn handle_timeout(&mut self, now: Instant) {
        self.now = now;
        if self.deadline.is_some_and(|d| now >= d) && !matches!(self.phase, Phase::Closed) {
            self.send(&reply(
                ReplyCode::SERVICE_NOT_AVAILABLE,
                EnhancedCode::BAD_CONNECTION,
                "Timeout, closing transmission channel",
            ));
            self.close(CloseReason::Timeout);
        }
    }

    fn handle_tls_established(&mut self, now: Instant) {
        self.now = now;
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
        if let Event::BodyChunk { data } = &event {
            self.queued_body = self.queued_body.saturating_sub(data.len());
        }
        if self.events.is_empty() {
            self.resume();
        }
        Some(event)
    }

    fn is_closed(&self) -> bool {
        matches!(self.phase, Phase::Closed)
    }
}

impl Server {
    /// Takes body octets from `input` in the DATA or BDAT state; returns how
    /// many were used (0 in any other state).
    fn body_input(&mut self, input: &[u8]) -> usize {
        let max = self.config.limits.max_body_chunk.max(1);
        match &mut self.phase {
            Phase::Data(decoder) => {
                let take = input.len().min(max);
                let mut body = Vec::with_capacity(take);
                let decoded = decoder.decode(input.get(..take).unwrap_or_default(), &mut body);
                self.data_chunk(body, decoded.error.is_some(), decoded.done);
                decoded.consumed
            }
            Phase::Bdat { remaining, .. } if *remaining > 0 => {
                let take = (*remaining).min(input.len() as u64).min(max as u64) as usize;
                *remaining = remaining.saturating_sub(take as u64);
                let data = input.get(..take).unwrap_or_default().to_vec();
                self.bdat_chunk(data);
                take
            }
            _ => 0,
        }
    }

    /// Buffered input the machine cannot make progress on without more
    /// polling: more input is refused until it is processed.
    fn blocked_on_buffer(&self) -> bool {
        self.framer.buffered().len()
            >= self
                .config
                .limits
                .max_body_chunk
                .max(self.config.limits.max_auth_line_length)
    }
}
