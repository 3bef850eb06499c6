//! A client and a server machine wired together on virtual time (quinn's
//! `Pair`), each with a scripted application. Enabled by the `testing`
//! feature; protocol crates use it in their transcript tests.
//!
//! [`Pair::drive`] moves transmits across, hands events to the scripted
//! applications, runs the TLS boundary when both sides asked for it, and,
//! when both sides are idle, jumps virtual time to the next timer (within
//! [`Pair::timer_horizon`]).
//!
//! ```
//! # use std::time::{Duration, Instant};
//! # use mailwire_core::machine::{Control, Machine, MachineEvent, Outbox, Transmit};
//! use mailwire_core::testing::{Pair, Side};
//!
//! /// Sends one line, then closes.
//! struct Hello { out: Outbox, closed: bool }
//! # #[derive(Debug)] struct Ev;
//! # impl MachineEvent for Ev { fn control(&self) -> Option<Control> { None } }
//! impl Machine for Hello {
//! #   type Event = Ev;
//! #   type Error = std::convert::Infallible;
//!     fn handle_input(&mut self, _: Instant, input: &[u8]) -> Result<usize, Self::Error> {
//!         self.closed = true;
//!         Ok(input.len())
//!     }
//! #   fn handle_timeout(&mut self, _: Instant) {}
//! #   fn handle_tls_established(&mut self, _: Instant) {}
//! #   fn handle_eof(&mut self, _: Instant) {}
//!     fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
//!         self.out.poll_transmit(buf)
//!     }
//! #   fn poll_timeout(&self) -> Option<Instant> { None }
//! #   fn poll_event(&mut self) -> Option<Ev> { None }
//! #   fn is_closed(&self) -> bool { self.closed }
//! }
//! let hello = |line: &[u8]| {
//!     let mut out = Outbox::new();
//!     out.push(line);
//!     Hello { out, closed: false }
//! };
//! let mut pair = Pair::new(hello(b"HELO\r\n"), hello(b"220 hi\r\n"), Instant::now(), |_, _| {}, |_, _| {});
//! pair.drive();
//! assert_eq!(pair.lines(Side::Client), ["HELO"]);
//! assert_eq!(pair.lines(Side::Server), ["220 hi"]);
//! ```
#![allow(clippy::panic, missing_debug_implementations)]

use std::time::{Duration, Instant};

use crate::machine::{Control, Machine, MachineEvent};

/// Which side sent something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The client machine.
    Client,
    /// The server machine.
    Server,
}

/// One transmit, as it went over the virtual wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// Who sent it.
    pub side: Side,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The transmit was marked secret.
    pub secret: bool,
}

/// A scripted application: called with every event of its machine.
pub type App<M> = Box<dyn FnMut(&mut M, &<M as Machine>::Event)>;

/// A client and a server on virtual time; see the [module
/// documentation](self).
pub struct Pair<C: Machine, S: Machine> {
    /// The client machine.
    pub client: C,
    /// The server machine.
    pub server: S,
    /// Virtual time.
    pub now: Instant,
    /// Bytes on their way to the server, not yet consumed.
    pub to_server: Vec<u8>,
    /// Bytes on their way to the client, not yet consumed.
    pub to_client: Vec<u8>,
    /// Every transmit, in order.
    pub wire: Vec<Sent>,
    /// Every client event, in order.
    pub client_events: Vec<C::Event>,
    /// Every server event, in order.
    pub server_events: Vec<S::Event>,
    client_app: App<C>,
    server_app: App<S>,
    client_tls: bool,
    server_tls: bool,
    /// Network latency added to virtual time per round. Default 10 ms.
    pub latency: Duration,
    /// When both sides are idle, timers due within this span are run;
    /// later ones end [`drive`](Self::drive). Default 60 s.
    pub timer_horizon: Duration,
}

impl<C: Machine, S: Machine> Pair<C, S> {
    /// Wires `client` and `server` together at `now`.
    pub fn new(
        client: C,
        server: S,
        now: Instant,
        client_app: impl FnMut(&mut C, &C::Event) + 'static,
        server_app: impl FnMut(&mut S, &S::Event) + 'static,
    ) -> Self {
        Self {
            client,
            server,
            now,
            to_server: Vec::new(),
            to_client: Vec::new(),
            wire: Vec::new(),
            client_events: Vec::new(),
            server_events: Vec::new(),
            client_app: Box::new(client_app),
            server_app: Box::new(server_app),
            client_tls: false,
            server_tls: false,
            latency: Duration::from_millis(10),
            timer_horizon: Duration::from_secs(60),
        }
    }

    /// Runs until neither side has anything left to do, following timers.
    ///
    /// # Panics
    ///
    /// If the pair does not settle within 100 000 rounds.
    pub fn drive(&mut self) {
        for _ in 0..100_000 {
            if self.step() {
                continue;
            }
            // Idle: jump to the earliest timer, if any.
            let next = [self.client.poll_timeout(), self.server.poll_timeout()]
                .into_iter()
                .flatten()
                .min();
            match next {
                Some(at) if !(self.client.is_closed() && self.server.is_closed()) => {
                    if at > self.now + self.timer_horizon {
                        return;
                    }
                    self.now = self.now.max(at);
                    self.client.handle_timeout(self.now);
                    self.server.handle_timeout(self.now);
                }
                _ => return,
            }
        }
        panic!("the pair did not settle");
    }

    /// One round: transmits, events, the TLS boundary, then input. Returns
    /// whether anything happened.
    pub fn step(&mut self) -> bool {
        let mut progress = false;
        let mut buf = Vec::new();
        while let Some(t) = self.client.poll_transmit(&mut buf) {
            progress = true;
            let bytes = buf.split_off(buf.len().saturating_sub(t.len));
            self.to_server.extend_from_slice(&bytes);
            self.wire.push(Sent {
                side: Side::Client,
                bytes,
                secret: t.secret,
            });
        }
        while let Some(t) = self.server.poll_transmit(&mut buf) {
            progress = true;
            let bytes = buf.split_off(buf.len().saturating_sub(t.len));
            self.to_client.extend_from_slice(&bytes);
            self.wire.push(Sent {
                side: Side::Server,
                bytes,
                secret: t.secret,
            });
        }
        while let Some(event) = self.client.poll_event() {
            progress = true;
            if event.control() == Some(Control::StartTls) {
                self.client_tls = true;
            }
            (self.client_app)(&mut self.client, &event);
            self.client_events.push(event);
        }
        while let Some(event) = self.server.poll_event() {
            progress = true;
            if event.control() == Some(Control::StartTls) {
                self.server_tls = true;
            }
            (self.server_app)(&mut self.server, &event);
            self.server_events.push(event);
        }
        if self.client_tls
            && self.server_tls
            && self.to_server.is_empty()
            && self.to_client.is_empty()
        {
            // Both sides sent everything before the handshake.
            self.client_tls = false;
            self.server_tls = false;
            self.client.handle_tls_established(self.now);
            self.server.handle_tls_established(self.now);
            progress = true;
        }
        self.now += self.latency;
        if !self.to_server.is_empty()
            && !self.server.is_closed()
            && let Ok(n) = self.server.handle_input(self.now, &self.to_server)
        {
            if n > 0 {
                progress = true;
            }
            self.to_server.drain(..n);
        }
        if !self.to_client.is_empty()
            && !self.client.is_closed()
            && let Ok(n) = self.client.handle_input(self.now, &self.to_client)
        {
            if n > 0 {
                progress = true;
            }
            self.to_client.drain(..n);
        }
        progress
    }

    /// Everything one side sent, in order.
    pub fn sent(&self, side: Side) -> Vec<u8> {
        self.wire
            .iter()
            .filter(|s| s.side == side)
            .flat_map(|s| s.bytes.iter().copied())
            .collect()
    }

    /// The lines one side sent, without CRLF.
    pub fn lines(&self, side: Side) -> Vec<String> {
        String::from_utf8_lossy(&self.sent(side))
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The client's secret transmits, each trimmed of its line ending.
    pub fn secret_lines(&self) -> Vec<String> {
        self.wire
            .iter()
            .filter(|s| s.side == Side::Client && s.secret)
            .map(|s| String::from_utf8_lossy(&s.bytes).trim_end().to_owned())
            .collect()
    }
}
