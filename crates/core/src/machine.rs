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
//! # Example
//!
//! A minimal machine that echoes lines back, upper-cased, and closes after a
//! minute of silence:
//!
//! ```
//! use std::time::{Duration, Instant};
//! use mailwire_core::line::{LineFramer, LineConfig};
//! use mailwire_core::machine::{Control, Machine, MachineEvent, Transmit};
//!
//! struct Echo { framer: LineFramer, out: Vec<u8>, deadline: Instant, closed: bool, events: Vec<Ev> }
//! #[derive(Debug, PartialEq)]
//! enum Ev { Line(Vec<u8>), Closed }
//! impl MachineEvent for Ev {
//!     fn control(&self) -> Option<Control> {
//!         matches!(self, Ev::Closed).then_some(Control::Close)
//!     }
//! }
//! impl Machine for Echo {
//!     type Event = Ev;
//!     type Error = std::convert::Infallible;
//!     fn handle_input(&mut self, now: Instant, input: &[u8]) -> Result<usize, Self::Error> {
//!         self.framer.push(input);
//!         while let Some(line) = self.framer.next_line() {
//!             if let Ok(line) = line {
//!                 self.out.extend(line.bytes().to_ascii_uppercase());
//!                 self.out.extend_from_slice(b"\r\n");
//!                 self.events.push(Ev::Line(line.bytes().to_vec()));
//!             }
//!         }
//!         self.deadline = now + Duration::from_secs(60);
//!         Ok(input.len())
//!     }
//!     fn handle_timeout(&mut self, now: Instant) {
//!         if now >= self.deadline && !self.closed {
//!             self.closed = true;
//!             self.events.push(Ev::Closed);
//!         }
//!     }
//!     fn handle_tls_established(&mut self, _now: Instant) {}
//!     fn handle_eof(&mut self, now: Instant) { self.deadline = now; self.handle_timeout(now) }
//!     fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
//!         if self.out.is_empty() { return None; }
//!         buf.append(&mut self.out);
//!         Some(Transmit { len: buf.len(), secret: false })
//!     }
//!     fn poll_timeout(&self) -> Option<Instant> { (!self.closed).then_some(self.deadline) }
//!     fn poll_event(&mut self) -> Option<Ev> {
//!         (!self.events.is_empty()).then(|| self.events.remove(0))
//!     }
//!     fn is_closed(&self) -> bool { self.closed }
//! }
//!
//! // Virtual time: tests never sleep.
//! let start = Instant::now();
//! let mut echo = Echo {
//!     framer: LineFramer::new(LineConfig::default()),
//!     out: Vec::new(), deadline: start, closed: false, events: Vec::new(),
//! };
//! assert_eq!(echo.handle_input(start, b"hel").unwrap(), 3);
//! assert_eq!(echo.handle_input(start, b"lo\r\n").unwrap(), 4);
//! let mut buf = Vec::new();
//! assert_eq!(echo.poll_transmit(&mut buf), Some(Transmit { len: 7, secret: false }));
//! assert_eq!(buf, b"HELLO\r\n");
//! assert_eq!(echo.poll_event(), Some(Ev::Line(b"hello".to_vec())));
//! let deadline = echo.poll_timeout().unwrap();
//! echo.handle_timeout(deadline);
//! let closed = echo.poll_event().unwrap();
//! assert_eq!(closed.control(), Some(Control::Close));
//! assert!(echo.is_closed());
//! ```

use std::time::Instant;

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
