//! The POP3 client machine ([RFC 1939], [RFC 2449], [RFC 2595], [RFC
//! 5034], [RFC 6856]).
//!
//! [`Client`] turns the application's commands ([`stat`](Client::stat),
//! [`retr`](Client::retr), [`authenticate`](Client::authenticate), ...) into
//! command lines and matches each response line to the command it answers
//! through a queue of expected responses. Whether a `+OK` starts a
//! multi-line response depends on the command and its arguments (`LIST`
//! versus `LIST 1`, [`Command::is_multiline`]).
//!
//! Multi-line bodies are unstuffed by
//! [`DotDecoder`] (only `CRLF.CRLF` ends
//! one) and handed over as [`Event::MultilineChunk`]s of at most
//! [`ClientLimits::max_chunk`](crate::limits::ClientLimits::max_chunk) octets: memory stays bounded however large
//! the message. The lines of `LIST`, `UIDL`, `LANG` and `CAPA` come typed
//! ([`Event::ScanListing`], [`Event::UniqueId`], [`Event::Language`],
//! [`Event::Capabilities`]).
//!
//! Commands are sent one at a time, or all at once when the server
//! announced `PIPELINING` ([RFC 2449 §6.6]); `STLS` and `AUTH` always wait
//! for the responses before them, and nothing follows them until they are
//! answered. Commands given before the greeting wait for it.
//!
//! `STLS` ([RFC 2595 §4]): after its `+OK` the machine emits
//! [`Event::TlsRequested`], discards every plaintext byte already received
//! or still to come until [`Machine::handle_tls_established`], and forgets
//! the capabilities. `AUTH` ([RFC 5034]) runs [`mailwire_sasl::Client`]
//! with the strongest mechanism the server offers; the server's final SCRAM
//! message arrives as one more continuation and is verified before the
//! `+OK` counts.
//!
//! [RFC 1939]: https://www.rfc-editor.org/rfc/rfc1939
//! [RFC 2449]: https://www.rfc-editor.org/rfc/rfc2449
//! [RFC 2449 §6.6]: https://www.rfc-editor.org/rfc/rfc2449#section-6.6
//! [RFC 2595]: https://www.rfc-editor.org/rfc/rfc2595
//! [RFC 2595 §4]: https://www.rfc-editor.org/rfc/rfc2595#section-4
//! [RFC 5034]: https://www.rfc-editor.org/rfc/rfc5034
//! [RFC 6856]: https://www.rfc-editor.org/rfc/rfc6856
//!
//! # Example
//!
//! ```
//! use std::time::Instant;
//! use mailwire_core::machine::Machine;
//! use mailwire_pop3::client::{Client, ClientConfig, Event};
//!
//! let now = Instant::now();
//! let mut config = ClientConfig::new();
//! config.allow_plaintext_without_tls = true;
//! let mut client = Client::new(config, now);
//! client.login("mrose", "tanstaaf").unwrap();
//! client.retr(1).unwrap();
//! client.quit().unwrap();
//!
//! let server = b"+OK POP3 server ready\r\n+OK\r\n+OK 1 messages\r\n\
//!                +OK 12 octets\r\n..hello\r\nbye\r\n.\r\n+OK bye\r\n";
//! let mut sent = Vec::new();
//! let mut body = Vec::new();
//! let mut fed = 0;
//! while fed < server.len() {
//!     fed += client.handle_input(now, &server[fed..]).unwrap();
//!     while client.poll_transmit(&mut sent).is_some() {}
//!     while let Some(event) = client.poll_event() {
//!         if let Event::MultilineChunk { data } = event {
//!             body.extend(data);
//!         }
//!     }
//! }
//! assert_eq!(sent, b"USER mrose\r\nPASS tanstaaf\r\nRETR 1\r\nQUIT\r\n");
//! assert_eq!(body, b".hello\r\nbye\r\n");
//! assert!(client.is_closed());
//! ```

use std::collections::VecDeque;
use std::time::Instant;

use mailwire_core::Secret;
use mailwire_core::dot::DotDecoder;
use mailwire_core::line::{LineConfig, LineError, LineFramer};
use mailwire_core::machine::{EventQueue, Outbox, Sticky, Timer};
use mailwire_core::machine::{Machine, Transmit};
use mailwire_sasl::negotiate::{self, Policy};
use mailwire_sasl::{Credentials, Mechanism, wire};

use crate::Error;
use crate::limits::RFC2449_COMMAND_LINE;
use crate::parse::{
    parse_capability, parse_drop_listing, parse_greeting, parse_language, parse_scan_listing,
    parse_server_line, parse_unique_id_listing,
};
use crate::types::capability::Capabilities;
use crate::types::command::{ApopDigest, Argument, Command, Password};
use crate::types::response::{
    DropListing, Language, Response, ScanListing, ServerLine, UniqueIdListing,
};

mod command;
mod config;
mod response;

pub use config::ClientConfig;

/// Why the session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CloseReason {
    /// `QUIT` was answered.
    Quit,
    /// The greeting was `-ERR`.
    Rejected,
    /// The server closed the connection.
    PeerClosed,
    /// The server did not answer in time.
    Timeout,
    /// The server broke the protocol; [`Machine::handle_input`] returns
    /// the error.
    ProtocolError,
}

/// A fact for the application; see the [module documentation](self).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The server greeted; `apop_timestamp` is set when it offers `APOP`.
    Greeting {
        /// The greeting line.
        response: Response,
        /// The `<...@...>` timestamp ([RFC 1939 §7]).
        ///
        /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
        apop_timestamp: Option<String>,
    },
    /// The status line answering `command` (for multi-line responses, the
    /// first line; the body follows).
    Reply {
        /// The keyword of the command answered, e.g. `"RETR"`.
        command: &'static str,
        /// The response.
        response: Response,
    },
    /// `+OK` to `STAT`, parsed ([RFC 1939 §5]).
    ///
    /// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
    Stat(DropListing),
    /// A scan listing: from `LIST msg`, or one line of `LIST`.
    ScanListing(ScanListing),
    /// A unique-id listing: from `UIDL msg`, or one line of `UIDL`.
    UniqueId(UniqueIdListing),
    /// One line of a `LANG` listing ([RFC 6856 §3]).
    ///
    /// [RFC 6856 §3]: https://www.rfc-editor.org/rfc/rfc6856#section-3
    Language(Language),
    /// The whole `CAPA` answer ([RFC 2449 §5]); also kept in
    /// [`Client::capabilities`].
    ///
    /// [RFC 2449 §5]: https://www.rfc-editor.org/rfc/rfc2449#section-5
    Capabilities(Capabilities),
    /// Unstuffed octets of a `RETR` or `TOP` body.
    MultilineChunk {
        /// The octets (CRLF line endings).
        data: Vec<u8>,
    },
    /// A multi-line response ended.
    MultilineEnd,
    /// `PASS`, `APOP` or `AUTH` succeeded (for SCRAM, the server proved it
    /// knows the keys).
    Authenticated {
        /// The SASL mechanism, or `None` for `PASS` and `APOP`.
        mechanism: Option<Mechanism>,
    },
    /// `+OK` to `STLS`: run the TLS handshake, then call
    /// [`Machine::handle_tls_established`].
    TlsRequested,
    /// The session is over.
    Closed {
        /// Why.
        reason: CloseReason,
    },
}

mailwire_core::impl_machine_event!(Event);

/// What the response to a command looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Simple,
    Stat,
    ListOne,
    UidlOne,
    Body,
    ScanList,
    UidList,
    Capa,
    LangList,
    Stls,
    Auth,
    Login,
    Quit,
}

impl Kind {
    const fn of(command: &Command) -> Self {
        match command {
            Command::Stat => Kind::Stat,
            Command::List { message: Some(_) } => Kind::ListOne,
            Command::List { message: None } => Kind::ScanList,
            Command::Uidl { message: Some(_) } => Kind::UidlOne,
            Command::Uidl { message: None } => Kind::UidList,
            Command::Retr { .. } | Command::Top { .. } => Kind::Body,
            Command::Capa => Kind::Capa,
            Command::Lang { range: None } => Kind::LangList,
            Command::Stls => Kind::Stls,
            Command::Auth { .. } => Kind::Auth,
            Command::Pass { .. } | Command::Apop { .. } => Kind::Login,
            Command::Quit => Kind::Quit,
            _ => Kind::Simple,
        }
    }

    /// Nothing is pipelined with these: the session changes after them.
    const fn is_barrier(self) -> bool {
        matches!(self, Kind::Stls | Kind::Auth)
    }
}

/// An AUTH exchange in progress.
#[derive(Debug)]
struct Exchange {
    client: mailwire_sasl::Client,
    /// An initial response too long for the command line ([RFC 5034 §4]):
    /// sent in answer to the first, empty challenge.
    deferred_initial: Option<Secret<Vec<u8>>>,
}

#[derive(Debug)]
struct Queued {
    bytes: Vec<u8>,
    secret: bool,
    keyword: &'static str,
    kind: Kind,
    exchange: Option<Exchange>,
}

#[derive(Debug, Clone, Copy)]
struct InFlight {
    keyword: &'static str,
    kind: Kind,
}

#[derive(Debug)]
enum Phase {
    Greeting,
    Ready,
    Multiline { kind: Kind, decoder: DotDecoder },
    TlsPending,
    Closed,
}

/// The client machine; see the [module documentation](self).
#[derive(Debug)]
pub struct Client {
    config: ClientConfig,
    framer: LineFramer,
    phase: Phase,
    tls: bool,
    greeting: Option<Response>,
    apop_timestamp: Option<String>,
    capabilities: Option<Capabilities>,
    capa_lines: Capabilities,
    queue: VecDeque<Queued>,
    in_flight: VecDeque<InFlight>,
    exchange: Option<Exchange>,
    out: Outbox,
    events: EventQueue<Event>,
    /// Unstuffed bytes of a listing whose line is not complete yet.
    lines: Vec<u8>,
    /// Stream offset of the first byte of `lines` (exact for a
    /// well-formed body: only a leading dot is removed from a line).
    lines_offset: u64,
    chunk: Vec<u8>,
    fatal: Sticky<Error>,
    timer: Timer,
}

impl Client {
    /// A client that has just connected and waits for the greeting.
    pub fn new(config: ClientConfig, now: Instant) -> Self {
        let framer = LineFramer::new(
            LineConfig::default().with_max_line_length(config.limits.max_response_line_length),
        );
        let mut client = Self {
            framer,
            phase: Phase::Greeting,
            tls: config.tls_active,
            greeting: None,
            apop_timestamp: None,
            capabilities: None,
            capa_lines: Capabilities::default(),
            queue: VecDeque::new(),
            in_flight: VecDeque::new(),
            exchange: None,
            out: Outbox::new(),
            events: EventQueue::new().with_byte_limit(config.limits.max_chunk.max(1)),
            lines: Vec::new(),
            lines_offset: 0,
            chunk: Vec::new(),
            fatal: Sticky::new(),
            timer: Timer::new(now),
            config,
        };
        client.arm();
        client
    }

    /// The configuration.
    pub const fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// `true` once TLS is active (implicit, or after STLS).
    pub const fn is_tls(&self) -> bool {
        self.tls
    }

    /// The greeting, once received.
    pub const fn greeting(&self) -> Option<&Response> {
        self.greeting.as_ref()
    }

    /// The APOP timestamp of the greeting, if any.
    pub fn apop_timestamp(&self) -> Option<&str> {
        self.apop_timestamp.as_deref()
    }

    /// The capabilities of the last `CAPA` answer (forgotten after STLS,
    /// [RFC 2595 §4]).
    ///
    /// [RFC 2595 §4]: https://www.rfc-editor.org/rfc/rfc2595#section-4
    pub const fn capabilities(&self) -> Option<&Capabilities> {
        self.capabilities.as_ref()
    }

    /// Commands given but not yet answered.
    pub fn pending(&self) -> usize {
        self.queue.len().saturating_add(self.in_flight.len())
    }

    // ----- internals ---------------------------------------------------------------------

    fn arm(&mut self) {
        self.timer.arm(self.config.limits.response_timeout);
    }

    fn waiting(&self) -> bool {
        match self.phase {
            Phase::Greeting | Phase::Multiline { .. } => true,
            Phase::Ready => !self.in_flight.is_empty(),
            Phase::TlsPending | Phase::Closed => false,
        }
    }

    fn pipelining(&self) -> bool {
        self.config.pipelining
            && self
                .capabilities
                .as_ref()
                .is_some_and(Capabilities::has_pipelining)
    }

    fn push_out(&mut self, bytes: &[u8], secret: bool) {
        if secret {
            self.out.push_secret(bytes);
        } else {
            self.out.push(bytes);
        }
    }

    /// Sends queued commands as far as the pipelining rules allow.
    fn flush(&mut self) {
        loop {
            if !matches!(self.phase, Phase::Ready | Phase::Multiline { .. }) {
                return;
            }
            let Some(next) = self.queue.front() else {
                return;
            };
            if !self.in_flight.is_empty()
                && (!self.pipelining()
                    || next.kind.is_barrier()
                    || self.in_flight.iter().any(|f| f.kind.is_barrier()))
            {
                return;
            }
            let Some(mut next) = self.queue.pop_front() else {
                return;
            };
            if self.in_flight.is_empty() {
                self.arm();
            }
            if let Some(exchange) = next.exchange.take() {
                self.exchange = Some(exchange);
                let max = self
                    .config
                    .limits
                    .max_challenge_length
                    .saturating_add(4)
                    .max(self.config.limits.max_response_line_length);
                self.set_line_limit(max);
            }
            self.push_out(&next.bytes, next.secret);
            self.in_flight.push_back(InFlight {
                keyword: next.keyword,
                kind: next.kind,
            });
        }
    }

    fn set_line_limit(&mut self, max: usize) {
        self.framer
            .set_config(LineConfig::default().with_max_line_length(max));
    }

    fn close(&mut self, reason: CloseReason) {
        self.phase = Phase::Closed;
        self.timer.disarm();
        self.framer.clear();
        self.queue.clear();
        self.in_flight.clear();
        self.exchange = None;
        self.events.push(Event::Closed { reason });
    }

    fn fail(&mut self, error: Error) {
        if !self.fatal.is_set() {
            self.fatal.set(error);
            self.close(CloseReason::ProtocolError);
        }
    }

    fn backlogged(&self) -> bool {
        self.events.is_full()
    }
}

fn line_error(error: LineError) -> Error {
    match error {
        LineError::TooLong {
            offset,
            length,
            limit,
        } => Error::Protocol(mailwire_core::Error::LimitExceeded {
            offset,
            what: "response line length",
            limit: limit as u64,
            actual: length,
        }),
        other => mailwire_core::Error::from(other).into(),
    }
}

fn argument(value: &str, rule: &'static str) -> Result<Argument, Error> {
    Argument::new(value).map_err(|_| invalid_input(rule))
}

fn invalid_input(rule: &'static str) -> Error {
    Error::Protocol(mailwire_core::Error::Malformed {
        offset: 0,
        expected: rule,
        found: mailwire_core::error::Found::EndOfInput,
    })
}

impl Machine for Client {
    type Event = Event;
    type Error = Error;

    fn handle_input(&mut self, now: Instant, input: &[u8]) -> Result<usize, Error> {
        self.fatal.check()?;
        self.timer.tick(now);
        match self.phase {
            // Plaintext after STLS's +OK, or anything after the end: dropped.
            Phase::TlsPending | Phase::Closed => return Ok(input.len()),
            _ => {}
        }
        if self.backlogged() {
            return Ok(0);
        }
        // Take a bounded piece: the caller offers the rest again.
        let max = self
            .config
            .limits
            .max_chunk
            .max(self.config.limits.max_response_line_length)
            .max(1);
        let take = input.len().min(max);
        self.framer.push(input.get(..take).unwrap_or_default());
        self.process();
        self.fatal.check()?;
        Ok(take)
    }

    fn handle_timeout(&mut self, now: Instant) {
        if self.timer.expired(now) && self.waiting() {
            self.fatal.set(Error::from(mailwire_core::Error::Timeout));
            self.close(CloseReason::Timeout);
        }
    }

    fn handle_tls_established(&mut self, now: Instant) {
        self.timer.tick(now);
        if matches!(self.phase, Phase::TlsPending) {
            self.framer.clear();
            self.tls = true;
            self.phase = Phase::Ready;
            self.flush();
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
        if self.waiting() {
            self.timer.deadline()
        } else {
            None
        }
    }

    fn poll_event(&mut self) -> Option<Event> {
        let event = self.events.pop()?;
        if self.events.is_empty() {
            self.process();
        }
        Some(event)
    }

    fn is_closed(&self) -> bool {
        matches!(self.phase, Phase::Closed)
    }
}
