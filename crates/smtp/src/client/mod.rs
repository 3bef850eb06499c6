//! The SMTP and LMTP client machine ([RFC 5321 §3], [RFC 2033]).
//!
//! [`Client`] reads the greeting, says EHLO (falling back to HELO), uses
//! STARTTLS, AUTH, PIPELINING, SIZE, 8BITMIME, SMTPUTF8, BINARYMIME,
//! CHUNKING, DSN and REQUIRETLS as the server offers them, and runs any
//! number of transactions. The application hands it envelopes
//! ([`send_mail`](Client::send_mail)) and body chunks
//! ([`send_body`](Client::send_body)), and learns each outcome through
//! [`Event`]s: the reply to the sender, to each recipient and to the
//! message (one per recipient in LMTP).
//!
//! Bodies go out dot-stuffed by [`DotEncoder`] with every line ending
//! normalised to CRLF, or in `BDAT` chunks when the server offers CHUNKING.
//! An envelope that needs an extension the server lacks is refused before
//! anything is sent.
//!
//! [RFC 5321 §3]: https://www.rfc-editor.org/rfc/rfc5321#section-3
//! [RFC 2033]: https://www.rfc-editor.org/rfc/rfc2033
//!
//! # States
//!
//! ```text
//!  [Greeting] --220--> [Ehlo] --250--> STARTTLS offered and wanted? --220--> [TLS pending]
//!      |                 | 5xx (SMTP)          | no                              | handle_tls_established
//!      | not 220         v                     v                                 v
//!      +--> QUIT      [Helo] --250--> AUTH wanted and offered? ----+         (EHLO again)
//!                                         | yes                   | no
//!                                         v                       v
//!                      AuthMechanismSelected -> AUTH -> 334* -> [Ready] <---------------+
//!                                                                 | send_mail          |
//!                                                                 v                    |
//!                        MAIL, RCPT... (pipelined), DATA -> 354 -> body -> . -> reply  |
//!                                                 or BDAT chunks ... BDAT LAST -> reply|
//!                                                                 +--------------------+
//!  quit(): QUIT -> 221 -> Closed
//! ```
//!
//! # Example
//!
//! ```
//! use std::time::Instant;
//! use mailwire_core::machine::Machine;
//! use mailwire_smtp::client::{Client, ClientConfig, Envelope, Event};
//! use mailwire_smtp::{ForwardPath, Host, ReversePath};
//!
//! let now = Instant::now();
//! let mut client = Client::new(ClientConfig::new(Host::try_from("client.example").unwrap()), now);
//! let mut out = Vec::new();
//! client.handle_input(now, b"220 mx.example.org ESMTP\r\n").unwrap();
//! let _ = client.poll_transmit(&mut out);
//! assert_eq!(out, b"EHLO client.example\r\n");
//! client.handle_input(now, b"250-mx.example.org\r\n250 PIPELINING\r\n").unwrap();
//! while let Some(event) = client.poll_event() {
//!     if let Event::Ready { .. } = event {
//!         let envelope = Envelope::new(
//!             ReversePath::try_from("<a@example.org>").unwrap(),
//!             vec![ForwardPath::try_from("<b@example.org>").unwrap()],
//!         );
//!         client.send_mail(envelope).unwrap();
//!     }
//! }
//! out.clear();
//! let _ = client.poll_transmit(&mut out);
//! assert_eq!(out, b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
//! ```

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use base64::Engine as _;
use mailwire_core::crlf::CrlfNormalizer;
use mailwire_core::dot::DotEncoder;
use mailwire_core::line::{LineConfig, LineFramer};
use mailwire_core::machine::{EventQueue, Outbox, Sticky, Timer};
use mailwire_core::machine::{Machine, Transmit};

use crate::Error;
use crate::parse::reply::ReplyAssembler;
use crate::types::auth::Mechanism;
use crate::types::capability::Capabilities;
use crate::types::command::Command;
use crate::types::reply::Reply;

mod body;
mod command;
mod config;
mod reply;

pub use config::{ClientConfig, Envelope, TlsPolicy};

/// Why the session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloseReason {
    /// After `QUIT`.
    Quit,
    /// The greeting was not `220`.
    Rejected(Reply<'static>),
    /// The server sent `421`.
    ServiceNotAvailable(Reply<'static>),
    /// [`TlsPolicy::Required`] and the server does not offer STARTTLS or
    /// refused it.
    TlsUnavailable,
    /// EHLO/LHLO and HELO were refused.
    HelloRejected(Reply<'static>),
    /// The server stayed silent past a timeout ([RFC 5321 §4.5.3.2]).
    ///
    /// [RFC 5321 §4.5.3.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.2
    Timeout,
    /// The server broke the protocol (the error is sticky in
    /// `handle_input`).
    ProtocolError(Error),
    /// The server closed the connection.
    PeerClosed,
}

/// A fact for the application; see the [module documentation](self).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The server's greeting.
    GreetingReceived {
        /// The reply.
        reply: Reply<'static>,
    },
    /// The `220` to STARTTLS arrived: send pending transmits, run the TLS
    /// handshake, then call [`Machine::handle_tls_established`].
    TlsRequested,
    /// AUTH will use `mechanism`: call [`Client::auth_start`] with its
    /// initial response, if any.
    AuthMechanismSelected {
        /// The mechanism.
        mechanism: Mechanism<'static>,
    },
    /// A `334` challenge, decoded: call [`Client::auth_respond`] or
    /// [`Client::auth_cancel`].
    AuthChallenge {
        /// The challenge.
        challenge: Vec<u8>,
    },
    /// `235`: authenticated.
    Authenticated,
    /// AUTH failed; the session goes on unauthenticated.
    AuthFailed {
        /// The server's reply.
        reply: Reply<'static>,
    },
    /// The session is ready for [`Client::send_mail`].
    Ready {
        /// What the server offers (empty after HELO).
        capabilities: Capabilities,
    },
    /// The reply to `MAIL`.
    SenderReplied {
        /// The reply.
        reply: Reply<'static>,
    },
    /// The reply to the `RCPT` of recipient `index`.
    RecipientReplied {
        /// The recipient's index in the envelope.
        index: usize,
        /// The reply.
        reply: Reply<'static>,
    },
    /// The server is ready for the body: call [`Client::send_body`], then
    /// [`Client::finish_body`].
    BodyRequested,
    /// The reply to the message (SMTP), or to a DATA/BDAT command that
    /// failed.
    MessageReplied {
        /// The reply.
        reply: Reply<'static>,
    },
    /// LMTP: the delivery reply for recipient `index` ([RFC 2033 §4.2]).
    ///
    /// [RFC 2033 §4.2]: https://www.rfc-editor.org/rfc/rfc2033#section-4.2
    RecipientDelivered {
        /// The recipient's index in the envelope.
        index: usize,
        /// The reply.
        reply: Reply<'static>,
    },
    /// The transaction is over; the session is ready for the next one.
    TransactionEnded {
        /// The recipients (indices) the message was accepted for.
        delivered: Vec<usize>,
    },
    /// The session is over.
    Closed {
        /// Why.
        reason: CloseReason,
    },
}

mailwire_core::impl_machine_event!(Event);

/// A reply the client waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Greeting,
    Ehlo,
    Helo,
    StartTls,
    Auth,
    Mail,
    Rcpt(usize),
    Data,
    DataEnd,
    LmtpRecipient(usize),
    Bdat { last: bool },
    Rset,
    Quit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Session {
    Greeting,
    Hello,
    StartTls,
    TlsPending,
    AuthSelect,
    Auth,
    AuthChallenge,
    Ready,
    Transaction,
    Closed,
}

#[derive(Debug)]
struct Transaction {
    envelope: Envelope<'static>,
    bdat: bool,
    binary: bool,
    next_rcpt: usize,
    sender_ok: bool,
    accepted: Vec<usize>,
    delivered: Vec<usize>,
    body_open: bool,
    ended: bool,
    encoder: DotEncoder,
    normalizer: CrlfNormalizer,
}

/// The client machine; see the [module documentation](self).
#[derive(Debug)]
pub struct Client {
    config: ClientConfig,
    framer: LineFramer,
    assembler: ReplyAssembler,
    session: Session,
    expect: VecDeque<Expect>,
    capabilities: Capabilities,
    pipelining: bool,
    tls: bool,
    authenticated: bool,
    auth_mechanism: Option<Mechanism<'static>>,
    transaction: Option<Transaction>,
    /// The server still holds a transaction that failed: RSET goes before
    /// the next MAIL.
    needs_reset: bool,
    out: Outbox,
    events: EventQueue<Event>,
    fatal: Sticky<Error>,
    timer: Timer,
}

impl Client {
    /// A client that has just connected; it waits for the greeting.
    pub fn new(config: ClientConfig, now: Instant) -> Self {
        let line = LineConfig::default().with_max_line_length(config.limits.max_reply_line_length);
        let mut client = Self {
            framer: LineFramer::new(line),
            assembler: ReplyAssembler::new(config.limits.max_reply_lines),
            session: Session::Greeting,
            expect: VecDeque::from([Expect::Greeting]),
            capabilities: Capabilities::default(),
            pipelining: false,
            tls: config.tls_active,
            authenticated: false,
            auth_mechanism: None,
            transaction: None,
            needs_reset: false,
            out: Outbox::new(),
            events: EventQueue::new(),
            fatal: Sticky::new(),
            timer: Timer::new(now),
            config,
        };
        client.arm();
        client
    }

    /// What the server offered in its last EHLO/LHLO reply.
    pub const fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    /// `true` once TLS is active.
    pub const fn is_tls(&self) -> bool {
        self.tls
    }

    /// `true` after a successful AUTH.
    pub const fn is_authenticated(&self) -> bool {
        self.authenticated
    }

    /// `true` when [`send_mail`](Self::send_mail) can be called.
    pub fn is_ready(&self) -> bool {
        self.session == Session::Ready
    }

    /// Ends the session with `QUIT` once every pending reply is in.
    pub fn quit(&mut self) {
        if matches!(self.session, Session::Closed | Session::TlsPending) {
            return;
        }
        self.write(&Command::Quit);
        self.expect(Expect::Quit);
    }

    // ----- internals ---------------------------------------------------------------

    fn write(&mut self, command: &Command<'_>) {
        crate::encode::encode_command(command, self.out.buffer());
    }

    fn write_secret(&mut self, line: &[u8]) {
        self.out.push_secret(line);
    }

    fn expect(&mut self, expect: Expect) {
        if self.expect.is_empty() {
            self.expect.push_back(expect);
            self.arm();
        } else {
            self.expect.push_back(expect);
        }
    }

    fn timeout_for(&self, expect: Expect) -> Duration {
        let t = &self.config.limits.timeouts;
        match expect {
            Expect::Greeting => t.greeting,
            Expect::Rcpt(_) => t.rcpt,
            Expect::Data => t.data_initiation,
            Expect::DataEnd | Expect::LmtpRecipient(_) | Expect::Bdat { .. } => t.data_termination,
            _ => t.mail,
        }
    }

    fn arm(&mut self) {
        match self.expect.front() {
            Some(&expect) => self.timer.arm(self.timeout_for(expect)),
            None => self.timer.disarm(),
        }
    }

    fn close(&mut self, reason: CloseReason) {
        if self.session == Session::Closed {
            return;
        }
        self.session = Session::Closed;
        self.expect.clear();
        self.timer.disarm();
        self.framer.clear();
        self.events.push(Event::Closed { reason });
    }

    fn fail(&mut self, error: Error) {
        self.fatal.set(error.clone());
        self.close(CloseReason::ProtocolError(error));
    }

    fn send_hello(&mut self) {
        let host = self.config.hostname.clone();
        let command = if self.config.lmtp {
            Command::Lhlo { host }
        } else {
            Command::Ehlo { host }
        };
        self.write(&command);
        self.session = Session::Hello;
        self.expect(Expect::Ehlo);
    }

    /// After EHLO: STARTTLS, then AUTH, then ready.
    fn after_hello(&mut self) {
        let wants_tls = self.config.tls != TlsPolicy::Disabled && !self.tls;
        if wants_tls && self.capabilities.starttls() {
            self.write(&Command::StartTls);
            self.session = Session::StartTls;
            self.expect(Expect::StartTls);
            return;
        }
        if self.config.tls == TlsPolicy::Required && !self.tls {
            self.quit_and_close(CloseReason::TlsUnavailable);
            return;
        }
        self.after_tls();
    }

    fn quit_and_close(&mut self, reason: CloseReason) {
        self.write(&Command::Quit);
        self.close(reason);
    }

    fn after_tls(&mut self) {
        if !self.authenticated
            && let Some(mechanism) = self.choose_mechanism()
        {
            self.auth_mechanism = Some(mechanism.clone());
            self.session = Session::AuthSelect;
            self.events.push(Event::AuthMechanismSelected { mechanism });
            return;
        }
        self.ready();
    }

    fn choose_mechanism(&self) -> Option<Mechanism<'static>> {
        let offered: Vec<&Mechanism<'static>> = self.capabilities.auth_mechanisms().collect();
        self.config
            .auth_mechanisms
            .iter()
            .filter(|m| offered.contains(m))
            .enumerate()
            .min_by_key(|(i, m)| (m.rank(), *i))
            .map(|(_, m)| m.clone())
    }

    fn ready(&mut self) {
        self.session = Session::Ready;
        self.events.push(Event::Ready {
            capabilities: self.capabilities.clone(),
        });
    }
}

impl Machine for Client {
    type Event = Event;
    type Error = Error;

    fn handle_input(&mut self, now: Instant, input: &[u8]) -> Result<usize, Error> {
        self.fatal.check()?;
        self.timer.tick(now);
        if matches!(self.session, Session::Closed | Session::TlsPending) {
            return Ok(input.len());
        }
        self.framer.push(input);
        while !matches!(self.session, Session::Closed | Session::TlsPending) {
            let line = match self.framer.next_line() {
                None => break,
                Some(Err(e)) => Err(Error::from(e)),
                Some(Ok(line)) => self
                    .assembler
                    .push(line.bytes())
                    .map_err(|e| e.offset_by(line.offset())),
            };
            match line {
                Ok(Some(reply)) => self.handle_reply(reply),
                Ok(None) => {}
                Err(e) => self.fail(e),
            }
        }
        self.fatal.check()?;
        Ok(input.len())
    }

    fn handle_timeout(&mut self, now: Instant) {
        if self.timer.expired(now) && self.session != Session::Closed {
            self.fatal.set(Error::from(mailwire_core::Error::Timeout));
            self.close(CloseReason::Timeout);
        }
    }

    fn handle_tls_established(&mut self, now: Instant) {
        self.timer.tick(now);
        if self.session == Session::TlsPending {
            // RFC 3207 §4.2: forget what was learnt, greet again.
            self.framer.clear();
            self.tls = true;
            self.capabilities = Capabilities::default();
            self.send_hello();
        }
    }

    fn handle_eof(&mut self, now: Instant) {
        self.timer.tick(now);
        self.close(CloseReason::PeerClosed);
    }

    fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
        self.out.poll_transmit(buf)
    }

    fn poll_timeout(&self) -> Option<Instant> {
        if self.session == Session::Closed {
            None
        } else {
            self.timer.deadline()
        }
    }

    fn poll_event(&mut self) -> Option<Event> {
        self.events.pop()
    }

    fn is_closed(&self) -> bool {
        self.session == Session::Closed
    }
}
