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
//! [`ClientLimits::max_chunk`] octets: memory stays bounded however large
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
use mailwire_core::dot::{BareNewline, DotDecoder};
use mailwire_core::line::{LineConfig, LineError, LineFramer};
use mailwire_core::machine::{Control, Machine, MachineEvent, Transmit};
use mailwire_sasl::negotiate::{self, Policy};
use mailwire_sasl::{Credentials, Mechanism, wire};

use crate::Error;
use crate::limits::{ClientLimits, RFC2449_COMMAND_LINE};
use crate::parse::{
    parse_capability, parse_drop_listing, parse_greeting, parse_language, parse_scan_listing,
    parse_server_line, parse_unique_id_listing,
};
use crate::types::capability::Capabilities;
use crate::types::command::{ApopDigest, Argument, Command, Password};
use crate::types::response::{
    DropListing, Language, Response, ScanListing, ServerLine, UniqueIdListing,
};

/// Client configuration.
///
/// ```
/// use mailwire_pop3::client::ClientConfig;
/// let config = ClientConfig::new();
/// assert!(config.pipelining);
/// assert!(!config.allow_plaintext_without_tls);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ClientConfig {
    /// Limits and timers.
    pub limits: ClientLimits,
    /// Pipeline commands when the server announces `PIPELINING` in its
    /// `CAPA` answer ([RFC 2449 §6.6]). Default `true`.
    ///
    /// [RFC 2449 §6.6]: https://www.rfc-editor.org/rfc/rfc2449#section-6.6
    pub pipelining: bool,
    /// The connection is already TLS (port 995).
    pub tls_active: bool,
    /// Send `USER`/`PASS` and plaintext SASL mechanisms without TLS.
    /// Default `false`: a password sent in clear over a connection an
    /// attacker stripped of TLS is lost ([RFC 2595 §2.2]).
    ///
    /// [RFC 2595 §2.2]: https://www.rfc-editor.org/rfc/rfc2595#section-2.2
    pub allow_plaintext_without_tls: bool,
    /// What to do with a bare CR or LF in a multi-line body. Default
    /// [`BareNewline::Normalize`] (written as CRLF): mail stores hold such
    /// messages. [`BareNewline::Reject`] makes it a fatal error.
    pub bare_newline: BareNewline,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientConfig {
    /// The defaults: pipelining when offered, no plaintext passwords
    /// without TLS.
    pub fn new() -> Self {
        Self {
            limits: ClientLimits::default(),
            pipelining: true,
            tls_active: false,
            allow_plaintext_without_tls: false,
            bare_newline: BareNewline::Normalize,
        }
    }
}

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

impl MachineEvent for Event {
    fn control(&self) -> Option<Control> {
        match self {
            Event::TlsRequested => Some(Control::StartTls),
            Event::Closed { .. } => Some(Control::Close),
            _ => None,
        }
    }
}

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
    /// Segments to send, each with its secrecy.
    out: VecDeque<(Vec<u8>, bool)>,
    events: VecDeque<Event>,
    /// Unstuffed bytes of a listing whose line is not complete yet.
    lines: Vec<u8>,
    /// Stream offset of the first byte of `lines` (exact for a
    /// well-formed body: only a leading dot is removed from a line).
    lines_offset: u64,
    chunk: Vec<u8>,
    queued_chunks: usize,
    fatal: Option<Error>,
    now: Instant,
    deadline: Option<Instant>,
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
            out: VecDeque::new(),
            events: VecDeque::new(),
            lines: Vec::new(),
            lines_offset: 0,
            chunk: Vec::new(),
            queued_chunks: 0,
            fatal: None,
            now,
            deadline: None,
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

    // ----- commands ---------------------------------------------------------------------

    /// Queues any command. `AUTH` goes through
    /// [`authenticate`](Self::authenticate) instead.
    ///
    /// # Errors
    ///
    /// [`CoreError::Closed`](crate::CoreError::Closed) after the session ended, [`CoreError::LimitExceeded`](crate::CoreError::LimitExceeded)
    /// when [`ClientLimits::max_queued_commands`] are pending,
    /// [`CoreError::Unsupported`](crate::CoreError::Unsupported) for `AUTH`, or for `USER`/`PASS` without TLS
    /// unless [`ClientConfig::allow_plaintext_without_tls`].
    pub fn send_command(&mut self, command: Command) -> Result<(), Error> {
        match &command {
            Command::Auth { .. } => {
                return Err(Error::Protocol(mailwire_core::Error::Unsupported {
                    what: "AUTH outside Client::authenticate",
                }));
            }
            Command::User { .. } | Command::Pass { .. } if !self.plaintext_allowed() => {
                return Err(Error::Protocol(mailwire_core::Error::Unsupported {
                    what: "USER/PASS without TLS",
                }));
            }
            _ => {}
        }
        self.enqueue(&command, None)
    }

    fn enqueue(&mut self, command: &Command, exchange: Option<Exchange>) -> Result<(), Error> {
        if matches!(self.phase, Phase::Closed) || self.fatal.is_some() {
            return Err(Error::Protocol(mailwire_core::Error::Closed));
        }
        let max = self.config.limits.max_queued_commands;
        if self.pending() >= max {
            return Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
                offset: 0,
                what: "queued commands",
                limit: max as u64,
                actual: max.saturating_add(1) as u64,
            }));
        }
        self.queue.push_back(Queued {
            bytes: command.to_bytes(),
            secret: command.is_secret(),
            keyword: command.keyword(),
            kind: Kind::of(command),
            exchange,
        });
        self.flush();
        Ok(())
    }

    /// `CAPA` ([RFC 2449 §5]).
    ///
    /// [RFC 2449 §5]: https://www.rfc-editor.org/rfc/rfc2449#section-5
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn capa(&mut self) -> Result<(), Error> {
        self.send_command(Command::Capa)
    }

    /// `STLS` ([RFC 2595 §4]).
    ///
    /// [RFC 2595 §4]: https://www.rfc-editor.org/rfc/rfc2595#section-4
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) when TLS is already active; as
    /// [`send_command`](Self::send_command).
    pub fn stls(&mut self) -> Result<(), Error> {
        if self.tls {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "STLS with TLS active",
            }));
        }
        self.send_command(Command::Stls)
    }

    fn plaintext_allowed(&self) -> bool {
        self.tls || self.config.allow_plaintext_without_tls
    }

    /// `USER name` then `PASS password` ([RFC 1939 §7]).
    ///
    /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
    ///
    /// # Errors
    ///
    /// [`CoreError::Malformed`](crate::CoreError::Malformed) for a name or password that cannot be sent
    /// (spaces or controls in the name, CR/LF in the password); as
    /// [`send_command`](Self::send_command).
    pub fn login(&mut self, user: &str, password: &str) -> Result<(), Error> {
        let name = argument(user, "name")?;
        let password = Password::new(password).map_err(|_| invalid_input("password"))?;
        self.send_command(Command::User { name })?;
        self.send_command(Command::Pass { password })
    }

    /// `APOP name digest` with the greeting's timestamp ([RFC 1939 §7]).
    ///
    /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
    ///
    /// # Errors
    ///
    /// [`CoreError::Unsupported`](crate::CoreError::Unsupported) before the greeting or when it holds no
    /// timestamp; as [`login`](Self::login).
    pub fn apop(&mut self, user: &str, secret: &str) -> Result<(), Error> {
        let Some(timestamp) = &self.apop_timestamp else {
            return Err(Error::Protocol(mailwire_core::Error::Unsupported {
                what: "APOP without a greeting timestamp",
            }));
        };
        let digest = ApopDigest::compute(timestamp, secret);
        let name = argument(user, "name")?;
        self.send_command(Command::Apop { name, digest })
    }

    /// `AUTH` with the strongest mechanism that the server's `SASL`
    /// capability offers and `credentials` can drive ([RFC 5034],
    /// [`negotiate::select`]). Needs a `CAPA` answer first.
    ///
    /// [RFC 5034]: https://www.rfc-editor.org/rfc/rfc5034
    ///
    /// # Errors
    ///
    /// [`CoreError::Unsupported`](crate::CoreError::Unsupported) when no offered mechanism fits (or `CAPA`
    /// was not answered yet); as
    /// [`authenticate_with`](Self::authenticate_with).
    pub fn authenticate(&mut self, credentials: &Credentials) -> Result<(), Error> {
        let offered = self
            .capabilities
            .as_ref()
            .map(Capabilities::sasl_mechanisms)
            .unwrap_or_default();
        let mechanism = negotiate::select(&offered, credentials, &self.policy()).ok_or(
            Error::Protocol(mailwire_core::Error::Unsupported {
                what: "a SASL mechanism both sides support",
            }),
        )?;
        self.authenticate_with(&mechanism, credentials)
    }

    fn policy(&self) -> Policy {
        Policy::new(self.tls).allow_plaintext_without_tls(self.config.allow_plaintext_without_tls)
    }

    /// `AUTH mechanism` with the given mechanism ([RFC 5034 §4]); an
    /// initial response that would make the line longer than 255 octets is
    /// sent after the server's empty challenge instead.
    ///
    /// [RFC 5034 §4]: https://www.rfc-editor.org/rfc/rfc5034#section-4
    ///
    /// # Errors
    ///
    /// [`Error::Sasl`] when the mechanism cannot run with `credentials`,
    /// [`CoreError::Unsupported`](crate::CoreError::Unsupported) for a plaintext mechanism without TLS; as
    /// [`send_command`](Self::send_command).
    pub fn authenticate_with(
        &mut self,
        mechanism: &Mechanism,
        credentials: &Credentials,
    ) -> Result<(), Error> {
        if !self.policy().permits(mechanism) {
            return Err(Error::Protocol(mailwire_core::Error::Unsupported {
                what: "a plaintext SASL mechanism without TLS",
            }));
        }
        let mut client = mailwire_sasl::Client::new(mechanism, credentials)?;
        let initial = client.initial_response()?;
        let fits = initial.as_ref().is_some_and(|data| {
            let len = "AUTH  \r\n"
                .len()
                .saturating_add(mechanism.as_str().len())
                .saturating_add(wire::encoded_len(data.expose_secret().len()).max(1));
            len <= RFC2449_COMMAND_LINE
        });
        let (initial_response, deferred_initial) = if fits {
            (initial, None)
        } else {
            (None, initial)
        };
        let command = Command::Auth {
            mechanism: mechanism.clone(),
            initial_response,
        };
        self.enqueue(
            &command,
            Some(Exchange {
                client,
                deferred_initial,
            }),
        )
    }

    /// `STAT`; answered by [`Event::Stat`].
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn stat(&mut self) -> Result<(), Error> {
        self.send_command(Command::Stat)
    }

    /// `LIST [msg]`; answered by [`Event::ScanListing`]s.
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn list(&mut self, message: Option<u32>) -> Result<(), Error> {
        self.send_command(Command::List { message })
    }

    /// `UIDL [msg]`; answered by [`Event::UniqueId`]s.
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn uidl(&mut self, message: Option<u32>) -> Result<(), Error> {
        self.send_command(Command::Uidl { message })
    }

    /// `RETR msg`; the body comes as [`Event::MultilineChunk`]s.
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn retr(&mut self, message: u32) -> Result<(), Error> {
        self.send_command(Command::Retr { message })
    }

    /// `TOP msg n`; the header and `n` body lines come as
    /// [`Event::MultilineChunk`]s.
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn top(&mut self, message: u32, lines: u32) -> Result<(), Error> {
        self.send_command(Command::Top { message, lines })
    }

    /// `DELE msg`.
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn dele(&mut self, message: u32) -> Result<(), Error> {
        self.send_command(Command::Dele { message })
    }

    /// `NOOP`.
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn noop(&mut self) -> Result<(), Error> {
        self.send_command(Command::Noop)
    }

    /// `RSET`.
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn rset(&mut self) -> Result<(), Error> {
        self.send_command(Command::Rset)
    }

    /// `QUIT`; the session closes once it is answered.
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn quit(&mut self) -> Result<(), Error> {
        self.send_command(Command::Quit)
    }

    /// `UTF8` ([RFC 6856 §2.1]).
    ///
    /// [RFC 6856 §2.1]: https://www.rfc-editor.org/rfc/rfc6856#section-2.1
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn utf8(&mut self) -> Result<(), Error> {
        self.send_command(Command::Utf8)
    }

    /// `LANG [range]` ([RFC 6856 §3]); without a range, the listing comes
    /// as [`Event::Language`]s.
    ///
    /// [RFC 6856 §3]: https://www.rfc-editor.org/rfc/rfc6856#section-3
    ///
    /// # Errors
    ///
    /// [`CoreError::Malformed`](crate::CoreError::Malformed) for a range with spaces or controls; as
    /// [`send_command`](Self::send_command).
    pub fn lang(&mut self, range: Option<&str>) -> Result<(), Error> {
        let range = range.map(|r| argument(r, "lang-range")).transpose()?;
        self.send_command(Command::Lang { range })
    }

    // ----- internals ---------------------------------------------------------------------

    fn arm(&mut self) {
        self.deadline = self.now.checked_add(self.config.limits.response_timeout);
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

    fn push_out(&mut self, bytes: Vec<u8>, secret: bool) {
        match self.out.back_mut() {
            Some((last, s)) if *s == secret => last.extend_from_slice(&bytes),
            _ => self.out.push_back((bytes, secret)),
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
            self.push_out(next.bytes, next.secret);
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
        self.deadline = None;
        self.framer.clear();
        self.queue.clear();
        self.in_flight.clear();
        self.exchange = None;
        self.events.push_back(Event::Closed { reason });
    }

    fn fail(&mut self, error: Error) {
        if self.fatal.is_none() {
            self.fatal = Some(error);
            self.close(CloseReason::ProtocolError);
        }
    }

    fn backlogged(&self) -> bool {
        self.events.len() >= 64 || self.queued_chunks >= self.config.limits.max_chunk.max(1)
    }

    /// Processes buffered input until it runs out or events pile up.
    fn process(&mut self) {
        loop {
            if self.backlogged() || self.fatal.is_some() {
                return;
            }
            match &mut self.phase {
                Phase::TlsPending | Phase::Closed => return,
                Phase::Multiline { kind, decoder } => {
                    let kind = *kind;
                    let buffered = self.framer.buffered();
                    if buffered.is_empty() {
                        return;
                    }
                    // A CR held back from the previous piece comes out
                    // with this one: one byte of room for it.
                    let room = self.config.limits.max_chunk.saturating_sub(1).max(1);
                    let take = buffered.len().min(room);
                    let input = buffered.get(..take).unwrap_or_default();
                    if self.lines.is_empty() {
                        self.lines_offset = decoder.offset();
                    }
                    self.chunk.clear();
                    let decoded = decoder.decode(input, &mut self.chunk);
                    self.framer.consume(decoded.consumed);
                    self.arm();
                    if let Some(e) = decoded.error {
                        self.fail(mailwire_core::Error::from(e).into());
                        return;
                    }
                    let data = std::mem::take(&mut self.chunk);
                    if kind == Kind::Body {
                        if !data.is_empty() {
                            self.queued_chunks = self.queued_chunks.saturating_add(data.len());
                            self.events.push_back(Event::MultilineChunk { data });
                        }
                    } else {
                        self.listing_bytes(kind, &data);
                        self.chunk = data;
                        if self.fatal.is_some() {
                            return;
                        }
                    }
                    if decoded.done {
                        self.end_multiline(kind);
                    }
                }
                Phase::Greeting | Phase::Ready => {
                    let line = match self.framer.next_line() {
                        None => return,
                        Some(Err(e)) => Err(e),
                        Some(Ok(line)) => Ok((line.bytes().to_vec(), line.offset())),
                    };
                    match line {
                        Err(e) => {
                            let error = line_error(e);
                            self.fail(error);
                            return;
                        }
                        Ok((line, offset)) => {
                            self.arm();
                            if let Err(e) = self.response_line(&line) {
                                self.fail(e.offset_by(offset));
                                return;
                            }
                        }
                    }
                }
            }
        }
    }

    fn listing_bytes(&mut self, kind: Kind, data: &[u8]) {
        self.lines.extend_from_slice(data);
        let mut start = 0usize;
        while let Some(lf) = self
            .lines
            .get(start..)
            .and_then(|rest| memchr::memchr(b'\n', rest))
        {
            let end = start.saturating_add(lf);
            let line = self
                .lines
                .get(start..end)
                .unwrap_or_default()
                .strip_suffix(b"\r")
                .unwrap_or_default()
                .to_vec();
            let stuffed = u64::from(line.first() == Some(&b'.'));
            let wire_len = (end.saturating_sub(start) as u64)
                .saturating_add(1)
                .saturating_add(stuffed);
            start = end.saturating_add(1);
            if let Err(e) = self.listing_line(kind, &line) {
                self.fail(e.offset_by(self.lines_offset));
                return;
            }
            self.lines_offset = self.lines_offset.saturating_add(wire_len);
        }
        self.lines.drain(..start.min(self.lines.len()));
        let max = self.config.limits.max_response_line_length;
        if self.lines.len() > max {
            let actual = self.lines.len() as u64;
            self.fail(Error::Protocol(mailwire_core::Error::LimitExceeded {
                offset: self.framer.stream_offset(),
                what: "response line length",
                limit: max as u64,
                actual,
            }));
        }
    }

    fn listing_line(&mut self, kind: Kind, line: &[u8]) -> Result<(), Error> {
        match kind {
            Kind::ScanList => {
                let listing = parse_scan_listing(line)?;
                self.events.push_back(Event::ScanListing(listing));
            }
            Kind::UidList => {
                let listing = parse_unique_id_listing(line)?;
                self.events.push_back(Event::UniqueId(listing));
            }
            Kind::LangList => {
                let language = parse_language(line)?;
                self.events.push_back(Event::Language(language));
            }
            Kind::Capa => {
                let max = self.config.limits.max_capabilities;
                if self.capa_lines.0.len() >= max {
                    return Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
                        offset: self.framer.stream_offset(),
                        what: "capabilities",
                        limit: max as u64,
                        actual: max.saturating_add(1) as u64,
                    }));
                }
                self.capa_lines.push(parse_capability(line)?);
            }
            _ => {}
        }
        Ok(())
    }

    fn end_multiline(&mut self, kind: Kind) {
        self.lines.clear();
        if kind == Kind::Capa {
            let caps = std::mem::take(&mut self.capa_lines);
            self.capabilities = Some(caps.clone());
            self.events.push_back(Event::Capabilities(caps));
        }
        self.events.push_back(Event::MultilineEnd);
        self.phase = Phase::Ready;
        self.flush();
    }

    fn response_line(&mut self, line: &[u8]) -> Result<(), Error> {
        if matches!(self.phase, Phase::Greeting) {
            let greeting = parse_greeting(line)?;
            let ok = greeting.response.is_ok();
            self.greeting = Some(greeting.response.clone());
            self.apop_timestamp.clone_from(&greeting.timestamp);
            self.events.push_back(Event::Greeting {
                response: greeting.response,
                apop_timestamp: greeting.timestamp,
            });
            if ok {
                self.phase = Phase::Ready;
                self.flush();
            } else {
                self.close(CloseReason::Rejected);
            }
            return Ok(());
        }
        let Some(head) = self.in_flight.front().copied() else {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "a response to no command",
            }));
        };
        let response = match parse_server_line(line)? {
            ServerLine::Continuation(challenge) if head.kind == Kind::Auth => {
                self.continuation(&challenge);
                return Ok(());
            }
            ServerLine::Continuation(_) => {
                return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                    what: "a continuation outside AUTH",
                }));
            }
            ServerLine::Response(response) => response,
        };
        self.in_flight.pop_front();
        let ok = response.is_ok();
        if ok && head.kind == Kind::Auth {
            // The +OK counts only once the mechanism accepts the end of
            // the exchange (a SCRAM server signature verified).
            match self.exchange.as_mut() {
                Some(exchange) => exchange.client.finish()?,
                None => {
                    return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                        what: "+OK to AUTH without an exchange",
                    }));
                }
            }
        }
        let text = response.text.as_str().as_bytes().to_vec();
        self.events.push_back(Event::Reply {
            command: head.keyword,
            response,
        });
        if head.kind == Kind::Auth {
            self.set_line_limit(self.config.limits.max_response_line_length);
        }
        if !ok {
            self.exchange = None;
            self.flush();
            return Ok(());
        }
        match head.kind {
            Kind::Stat => {
                if let Ok(listing) = parse_drop_listing(&text) {
                    self.events.push_back(Event::Stat(listing));
                }
            }
            Kind::ListOne => {
                if let Ok(listing) = parse_scan_listing(&text) {
                    self.events.push_back(Event::ScanListing(listing));
                }
            }
            Kind::UidlOne => {
                if let Ok(listing) = parse_unique_id_listing(&text) {
                    self.events.push_back(Event::UniqueId(listing));
                }
            }
            Kind::Body | Kind::ScanList | Kind::UidList | Kind::Capa | Kind::LangList => {
                let start = self
                    .framer
                    .stream_offset()
                    .saturating_sub(self.framer.buffered().len() as u64);
                self.lines.clear();
                self.capa_lines = Capabilities::default();
                self.phase = Phase::Multiline {
                    kind: head.kind,
                    decoder: DotDecoder::with_offset(self.config.bare_newline, start),
                };
            }
            Kind::Stls => {
                // RFC 2595 §4: nothing received in plaintext after +OK
                // counts, and the capabilities are to be asked again.
                self.framer.clear();
                self.capabilities = None;
                self.phase = Phase::TlsPending;
                self.deadline = None;
                self.events.push_back(Event::TlsRequested);
                return Ok(());
            }
            Kind::Login => self
                .events
                .push_back(Event::Authenticated { mechanism: None }),
            Kind::Auth => {
                let mechanism = self.exchange.take().map(|e| e.client.mechanism().clone());
                self.events.push_back(Event::Authenticated { mechanism });
            }
            Kind::Quit => {
                self.close(CloseReason::Quit);
                return Ok(());
            }
            Kind::Simple => {}
        }
        self.flush();
        Ok(())
    }

    fn continuation(&mut self, challenge: &[u8]) {
        let mut line = Vec::new();
        let response = match self.exchange.as_mut() {
            Some(exchange) => match exchange.deferred_initial.take() {
                Some(initial) if challenge.is_empty() => Ok(initial),
                _ => exchange.client.step(challenge),
            },
            None => Err(mailwire_sasl::Error::OutOfOrder {
                reason: "no exchange",
            }),
        };
        match response {
            Ok(data) => {
                wire::encode_response(data.expose_secret(), &mut line);
                line.extend_from_slice(b"\r\n");
                self.push_out(line, true);
            }
            Err(_) => {
                // The server's challenge is not acceptable: cancel (RFC
                // 5034 §4); it answers -ERR.
                if let Some(exchange) = self.exchange.as_mut() {
                    exchange.client.cancel();
                }
                line.extend_from_slice(wire::CANCEL);
                line.extend_from_slice(b"\r\n");
                self.push_out(line, false);
            }
        }
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
        if let Some(fatal) = &self.fatal {
            return Err(fatal.clone());
        }
        self.now = now;
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
        if let Some(fatal) = &self.fatal {
            return Err(fatal.clone());
        }
        Ok(take)
    }

    fn handle_timeout(&mut self, now: Instant) {
        self.now = now;
        if self.waiting() && self.deadline.is_some_and(|d| now >= d) {
            self.fatal = Some(Error::Protocol(mailwire_core::Error::Timeout));
            self.close(CloseReason::Timeout);
        }
    }

    fn handle_tls_established(&mut self, now: Instant) {
        self.now = now;
        if matches!(self.phase, Phase::TlsPending) {
            self.framer.clear();
            self.tls = true;
            self.phase = Phase::Ready;
            self.flush();
        }
    }

    fn handle_eof(&mut self, now: Instant) {
        self.now = now;
        if !matches!(self.phase, Phase::Closed) {
            self.close(CloseReason::PeerClosed);
        }
    }

    fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
        let (bytes, secret) = self.out.pop_front()?;
        let len = bytes.len();
        buf.extend_from_slice(&bytes);
        Some(Transmit { len, secret })
    }

    fn poll_timeout(&self) -> Option<Instant> {
        if self.waiting() { self.deadline } else { None }
    }

    fn poll_event(&mut self) -> Option<Event> {
        let event = self.events.pop_front()?;
        if let Event::MultilineChunk { data } = &event {
            self.queued_chunks = self.queued_chunks.saturating_sub(data.len());
        }
        if self.events.is_empty() {
            self.process();
        }
        Some(event)
    }

    fn is_closed(&self) -> bool {
        matches!(self.phase, Phase::Closed)
    }
}
