//! The sans-IO machine contract that every client and server machine follows
//! and that the tokio adapter drives.
//!
//! A machine never touches a socket, a clock or a file. The caller (a driver
//! such as `mailwire-tokio`, a test, a fuzz target) moves bytes and time in and
//! out through four inputs and three outputs:
//!
//! | direction | method | what it carries |
//! |---|---|---|
//! | in | [`Machine::handle_input`] | bytes received from the peer; returns how many were consumed |
//! | in | [`Machine::handle_timeout`] | the current time, once [`Machine::poll_timeout`]'s deadline has passed |
//! | in | [`Machine::handle_tls_established`] | the TLS handshake asked for by [`Control::StartTls`] completed |
//! | in | [`Machine::handle_eof`] | the peer closed its side |
//! | out | [`Machine::poll_transmit`] | bytes to send, written into a caller-owned buffer |
//! | out | [`Machine::poll_timeout`] | the next deadline, if any |
//! | out | [`Machine::poll_event`] | facts for the application ([`MachineEvent`]) |
//!
//! Protocol machines add commands named for the protocol's verbs (for example
//! an SMTP server's `accept_recipient`), which the application calls in answer
//! to events.
//!
//! # Polling order
//!
//! After any input or command, poll the outputs in this order until each
//! returns `None`: [`poll_transmit`](Machine::poll_transmit),
//! [`poll_event`](Machine::poll_event), then read
//! [`poll_timeout`](Machine::poll_timeout). Transmits come first so that a
//! reply is on its way before the application reacts to the event that came
//! with it, and so that the reply to `STARTTLS` is sent in plaintext before
//! [`Control::StartTls`] is acted on.
//!
//! # Backpressure
//!
//! `handle_input` may consume fewer bytes than it was given, for example while
//! it waits for the application to answer an event. The caller keeps the rest
//! and offers it again after polling. A machine that consumes nothing always
//! has an event or transmit ready, or waits for an application command; it
//! never asks for input it cannot take. This keeps memory bounded without any
//! unbounded queue: the socket's own buffer is the backpressure.
//!
//! # TLS boundary
//!
//! When a STARTTLS/STLS exchange succeeds, the machine emits an event whose
//! [`MachineEvent::control`] is [`Control::StartTls`]. From that moment, every
//! byte already buffered or later fed as plaintext is discarded, never parsed
//! (the CVE-2011-0411 class of command injection), until the driver calls
//! [`Machine::handle_tls_established`]. The driver must send every pending
//! transmit before starting the handshake.
//!
//! # Errors
//!
//! A fatal error is sticky: `handle_input` keeps returning it. The final reply
//! that explains the error is still produced by `poll_transmit` (the
//! "last-gasp" write), and the driver flushes it before closing.
//!
//! # Writing a machine with the kit
//!
//! Every machine needs the same plumbing, and this module has it once: an
//! [`Outbox`] for transmits (with the secret flag), an [`EventQueue`] with
//! one cap policy, a [`Sticky`] fatal error behind its last-gasp reply, a
//! [`Timer`], an [`ErrorCounter`] and the [`Question`] put to the
//! application. A protocol adds its framing and its commands. Here is a
//! whole server that asks the application about each line, answers `+OK` or
//! `-ERR`, ends the session after too many errors and times out after a
//! minute of silence; `testing::Pair` (feature `testing`) runs two such
//! machines against each other on virtual time.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use mailwire_core::line::{LineConfig, LineFramer};
//! use mailwire_core::machine::{Control, ErrorCounter, EventQueue, Machine, MachineEvent,
//!     Outbox, Question, Sticky, Timer, Transmit};
//! use mailwire_core::Error;
//!
//! #[derive(Debug, PartialEq)]
//! enum Event { Line(Vec<u8>), Closed }
//! impl MachineEvent for Event {
//!     fn control(&self) -> Option<Control> { matches!(self, Event::Closed).then_some(Control::Close) }
//! }
//! #[derive(Debug, Clone, Copy, PartialEq)]
//! struct LineQuestion;
//!
//! struct Server { framer: LineFramer, out: Outbox, events: EventQueue<Event>, fatal: Sticky<Error>,
//!     timer: Timer, errors: ErrorCounter, question: Question<LineQuestion>, closed: bool }
//! impl Server {
//!     fn new(now: Instant) -> Self {
//!         let mut timer = Timer::new(now);
//!         timer.arm(Duration::from_secs(60));
//!         Server { framer: LineFramer::new(LineConfig::default()), out: Outbox::new(),
//!             events: EventQueue::new(), fatal: Sticky::new(), timer, errors: ErrorCounter::new(2),
//!             question: Question::new(), closed: false }
//!     }
//!     /// The application's answer to `Event::Line`.
//!     fn answer(&mut self, ok: bool) -> Result<(), Error> {
//!         self.question.answer(LineQuestion, "answer without a line")?;
//!         if ok { self.out.push(b"+OK\r\n") } else { self.out.push(b"-ERR\r\n"); self.error() }
//!         self.resume();
//!         Ok(())
//!     }
//!     fn error(&mut self) {
//!         if self.errors.record() { self.fatal.fail(self.errors.error(), &mut self.out, b"-ERR bye\r\n"); self.close() }
//!     }
//!     fn close(&mut self) { self.closed = true; self.timer.disarm(); self.events.push(Event::Closed) }
//!     fn resume(&mut self) {
//!         while !self.closed && !self.question.is_open() && !self.events.is_full() {
//!             match self.framer.next_line() {
//!                 None => return,
//!                 Some(Err(_)) => { self.out.push(b"-ERR line\r\n"); self.error() }
//!                 Some(Ok(line)) => {
//!                     self.events.push(Event::Line(line.bytes().to_vec()));
//!                     self.question.ask(LineQuestion);
//!                 }
//!             }
//!         }
//!     }
//! }
//! impl Machine for Server {
//!     type Event = Event;
//!     type Error = Error;
//!     fn handle_input(&mut self, now: Instant, input: &[u8]) -> Result<usize, Error> {
//!         self.fatal.check()?;
//!         if self.question.is_open() || self.events.is_full() { return Ok(0) }
//!         self.timer.tick(now);
//!         self.timer.arm(Duration::from_secs(60));
//!         self.framer.push(input);
//!         self.resume();
//!         self.fatal.check().map(|()| input.len())
//!     }
//!     fn handle_timeout(&mut self, now: Instant) {
//!         if self.timer.expired(now) && !self.closed {
//!             self.fatal.fail(Error::Timeout, &mut self.out, b"-ERR timeout\r\n");
//!             self.close();
//!         }
//!     }
//!     fn handle_tls_established(&mut self, _now: Instant) {}
//!     fn handle_eof(&mut self, _now: Instant) { if !self.closed { self.close() } }
//!     fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> { self.out.poll_transmit(buf) }
//!     fn poll_timeout(&self) -> Option<Instant> { self.timer.deadline() }
//!     fn poll_event(&mut self) -> Option<Event> { self.events.pop() }
//!     fn is_closed(&self) -> bool { self.closed }
//! }
//!
//! // Virtual time: tests never sleep.
//! let start = Instant::now();
//! let mut server = Server::new(start);
//! assert_eq!(server.handle_input(start, b"hello\r\nsecond\r\n").unwrap(), 15);
//! assert_eq!(server.poll_event(), Some(Event::Line(b"hello".to_vec())));
//! server.answer(true).unwrap();
//! assert_eq!(server.poll_event(), Some(Event::Line(b"second".to_vec())));
//! assert!(server.answer(true).is_ok() && server.answer(true).is_err()); // one answer per line
//! let mut buf = Vec::new();
//! assert_eq!(server.poll_transmit(&mut buf), Some(Transmit { len: 10, secret: false }));
//! server.handle_timeout(server.poll_timeout().unwrap());
//! assert_eq!(server.poll_event().unwrap().control(), Some(Control::Close));
//! assert_eq!(server.handle_input(start, b"late\r\n"), Err(Error::Timeout));
//! ```

use std::time::Instant;

mod kit;

pub use kit::{ErrorCounter, EventQueue, Outbox, Question, Sticky, Timer};

/// What [`Machine::poll_transmit`] wrote into the caller's buffer.
///
/// The bytes themselves are in the buffer; a `Transmit` only describes them.
///
/// ```
/// let t = mailwire_core::machine::Transmit { len: 12, secret: true };
/// // A driver that logs traffic must not log secret transmits.
/// assert!(t.secret);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct Transmit {
    /// How many bytes were appended to the buffer.
    pub len: usize,
    /// The bytes carry credentials (an AUTH response, a PASS command) and
    /// must not be logged.
    pub secret: bool,
}

/// What a driver must do in answer to an event, beyond handing it to the
/// application.
///
/// ```
/// use mailwire_core::machine::Control;
/// assert_ne!(Control::StartTls, Control::Close);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Control {
    /// Send every pending transmit, then run the TLS handshake on the same
    /// connection and call [`Machine::handle_tls_established`]. Plaintext
    /// received after this point is discarded by the machine.
    StartTls,
    /// Send every pending transmit, then close the connection.
    Close,
}

/// An event that a generic driver can inspect for the control it implies.
///
/// Protocol crates implement it on their `Event` enums, whose variants state
/// facts (`TlsRequested`, `Closed { reason }`).
///
/// ```
/// use mailwire_core::machine::{Control, MachineEvent};
/// enum Event { Greeting, TlsRequested }
/// impl MachineEvent for Event {
///     fn control(&self) -> Option<Control> {
///         match self {
///             Event::TlsRequested => Some(Control::StartTls),
///             Event::Greeting => None,
///         }
///     }
/// }
/// assert_eq!(Event::TlsRequested.control(), Some(Control::StartTls));
/// assert_eq!(Event::Greeting.control(), None);
/// ```
pub trait MachineEvent {
    /// The control this event implies for the driver, if any.
    fn control(&self) -> Option<Control>;
}

/// Implements [`MachineEvent`] for a protocol's `Event` enum the way every
/// mailwire machine does: `TlsRequested` asks for [`Control::StartTls`],
/// `Closed { .. }` for [`Control::Close`], every other event for nothing.
///
/// ```
/// use mailwire_core::machine::{Control, MachineEvent};
/// enum Event { Greeting, TlsRequested, Closed { reason: &'static str } }
/// mailwire_core::impl_machine_event!(Event);
/// assert_eq!(Event::TlsRequested.control(), Some(Control::StartTls));
/// assert_eq!(Event::Closed { reason: "QUIT" }.control(), Some(Control::Close));
/// assert_eq!(Event::Greeting.control(), None);
/// ```
#[macro_export]
macro_rules! impl_machine_event {
    ($event:ty) => {
        impl $crate::machine::MachineEvent for $event {
            fn control(&self) -> ::core::option::Option<$crate::machine::Control> {
                #[allow(unreachable_patterns)]
                match self {
                    Self::TlsRequested => {
                        ::core::option::Option::Some($crate::machine::Control::StartTls)
                    }
                    Self::Closed { .. } => {
                        ::core::option::Option::Some($crate::machine::Control::Close)
                    }
                    _ => ::core::option::Option::None,
                }
            }
        }
    };
}

/// A sans-IO protocol machine: the contract described in the [module
/// documentation](self).
///
/// Time is always passed in; `Instant`s may come from a real clock or be
/// synthesised by a test ("virtual time").
pub trait Machine {
    /// The events this machine reports.
    type Event: MachineEvent;
    /// The fatal error `handle_input` can return.
    type Error: std::error::Error;

    /// Feeds bytes received from the peer and returns how many were consumed.
    ///
    /// Unconsumed bytes must be offered again, first, on the next call. After
    /// this call, poll [`poll_transmit`](Machine::poll_transmit),
    /// [`poll_event`](Machine::poll_event) and
    /// [`poll_timeout`](Machine::poll_timeout).
    ///
    /// # Errors
    ///
    /// A fatal protocol error; it is sticky, and the reply explaining it is
    /// still available from `poll_transmit`.
    fn handle_input(&mut self, now: Instant, input: &[u8]) -> Result<usize, Self::Error>;

    /// Tells the machine that `now` has been reached. Call it once the
    /// deadline from [`poll_timeout`](Machine::poll_timeout) has passed, then
    /// poll again.
    fn handle_timeout(&mut self, now: Instant);

    /// Tells the machine that the TLS handshake requested with
    /// [`Control::StartTls`] completed; bytes fed from now on are the
    /// decrypted stream. Poll again afterwards.
    fn handle_tls_established(&mut self, now: Instant);

    /// Tells the machine that the peer closed its side of the connection.
    /// Poll again afterwards.
    fn handle_eof(&mut self, now: Instant);

    /// Appends the next bytes to send to `buf` and describes them, or returns
    /// `None` when there is nothing to send.
    ///
    /// Poll again after every input, command or timeout.
    fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit>;

    /// The next instant at which [`handle_timeout`](Machine::handle_timeout)
    /// must be called, if any.
    ///
    /// Read again after every input, command or timeout.
    fn poll_timeout(&self) -> Option<Instant>;

    /// The next event for the application, or `None`.
    ///
    /// Poll again after every input, command or timeout.
    fn poll_event(&mut self) -> Option<Self::Event>;

    /// `true` once the session is over: after the final transmit is sent the
    /// driver closes the connection.
    fn is_closed(&self) -> bool;
}
