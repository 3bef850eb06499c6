//! A client and a server machine wired together on virtual time (quinn's
//! `Pair`), each with a scripted application.

use std::time::{Duration, Instant};

use mailwire_core::machine::{Control, Machine, MachineEvent};
use mailwire_pop3::client::{self, Client, ClientConfig};
use mailwire_pop3::server::{self, Server, ServerConfig};

/// Which side sent a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Client,
    Server,
}

type ClientApp = Box<dyn FnMut(&mut Client, &client::Event)>;
type ServerApp = Box<dyn FnMut(&mut Server, &server::Event)>;

pub(crate) struct Pair {
    pub(crate) client: Client,
    pub(crate) server: Server,
    pub(crate) now: Instant,
    pub(crate) to_server: Vec<u8>,
    pub(crate) to_client: Vec<u8>,
    /// Everything sent, in order, by side; secret transmits flagged.
    pub(crate) wire: Vec<(Side, Vec<u8>, bool)>,
    pub(crate) client_events: Vec<client::Event>,
    pub(crate) server_events: Vec<server::Event>,
    client_app: ClientApp,
    server_app: ServerApp,
    client_tls: bool,
    server_tls: bool,
    /// Network latency added to virtual time per round.
    pub(crate) latency: Duration,
}

impl Pair {
    pub(crate) fn new(
        client: ClientConfig,
        server: ServerConfig,
        client_app: impl FnMut(&mut Client, &client::Event) + 'static,
        server_app: impl FnMut(&mut Server, &server::Event) + 'static,
    ) -> Self {
        let now = Instant::now();
        Self {
            client: Client::new(client, now),
            server: Server::new(server, now),
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
        }
    }

    /// Runs until neither side has anything left to do, following timers.
    pub(crate) fn drive(&mut self) {
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
                    if at > self.now + Duration::from_secs(60) {
                        // Only the autologout and response timers are left.
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

    fn step(&mut self) -> bool {
        let mut progress = false;
        let mut buf = Vec::new();
        while let Some(t) = self.client.poll_transmit(&mut buf) {
            progress = true;
            let bytes = buf.split_off(buf.len() - t.len);
            self.to_server.extend_from_slice(&bytes);
            self.wire.push((Side::Client, bytes, t.secret));
        }
        while let Some(t) = self.server.poll_transmit(&mut buf) {
            progress = true;
            assert!(!t.secret);
            let bytes = buf.split_off(buf.len() - t.len);
            self.to_client.extend_from_slice(&bytes);
            self.wire.push((Side::Server, bytes, t.secret));
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

    /// The lines one side sent, without CRLF.
    pub(crate) fn lines(&self, side: Side) -> Vec<String> {
        let bytes: Vec<u8> = self
            .wire
            .iter()
            .filter(|(s, _, _)| *s == side)
            .flat_map(|(_, b, _)| b.clone())
            .collect();
        String::from_utf8_lossy(&bytes)
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Everything a side sent, secret transmits included.
    pub(crate) fn secret_lines(&self) -> Vec<String> {
        self.wire
            .iter()
            .filter(|(s, _, secret)| *s == Side::Client && *secret)
            .map(|(_, b, _)| String::from_utf8_lossy(b).trim_end().to_owned())
            .collect()
    }
}
