//! [`Driver`]: the one loop that runs any mailwire [`Machine`] over an
//! `AsyncRead + AsyncWrite` stream.
//!
//! The loop follows the contract of [`mailwire_core::machine`]:
//!
//! 1. collect every transmit ([`Machine::poll_transmit`]) into the output
//!    buffer;
//! 2. hand the next event ([`Machine::poll_event`]) to the caller, after
//!    acting on its [`Control`]: STARTTLS is run in place (pending replies
//!    are written first, buffered plaintext is dropped), a close writes the
//!    last reply and shuts the stream down;
//! 3. feed buffered input ([`Machine::handle_input`]); what the machine does
//!    not consume stays at the front of the buffer and is offered again;
//! 4. write the output, then wait for more input or for
//!    [`Machine::poll_timeout`], whichever comes first.
//!
//! Memory stays bounded: the input buffer has a fixed size, output is
//! written out before more input is read, and the caller takes events one
//! at a time. A peer that sends faster than the application handles its
//! messages is slowed down by the socket itself.

use std::io;
use std::time::Instant;

use mailwire_core::machine::{Control, Machine, MachineEvent};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::stream::MaybeTls;

/// The current time on tokio's clock, so that a paused test clock drives the
/// machines' timeouts too.
pub fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// The default size of the input buffer.
pub const DEFAULT_INPUT_BUFFER: usize = 64 * 1024;

/// How long the last reply and the TLS close may take before the
/// connection is dropped anyway.
const CLOSE_LINGER: std::time::Duration = std::time::Duration::from_secs(10);

/// What STARTTLS turns the plaintext stream into.
///
/// ```no_run
/// # fn f(config: std::sync::Arc<rustls::ServerConfig>) {
/// use mailwire_tokio::TlsUpgrade;
/// let upgrade = TlsUpgrade::Server(tokio_rustls::TlsAcceptor::from(config));
/// # }
/// ```
#[cfg(feature = "tls")]
#[derive(Clone)]
#[non_exhaustive]
pub enum TlsUpgrade {
    /// Run the server side of the handshake.
    Server(tokio_rustls::TlsAcceptor),
    /// Run the client side, verifying the certificate for `server_name`.
    Client {
        /// The client configuration.
        connector: tokio_rustls::TlsConnector,
        /// The name the certificate must carry.
        server_name: rustls_pki_types::ServerName<'static>,
    },
}

#[cfg(feature = "tls")]
impl std::fmt::Debug for TlsUpgrade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TlsUpgrade::Server(_) => f.write_str("TlsUpgrade::Server"),
            TlsUpgrade::Client { server_name, .. } => f
                .debug_struct("TlsUpgrade::Client")
                .field("server_name", server_name)
                .finish_non_exhaustive(),
        }
    }
}

/// Why the driver stopped.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// Reading, writing or the TLS handshake failed.
    Io(io::Error),
    /// The machine met a fatal protocol error; its last reply was sent.
    Protocol(E),
    /// The machine asked for STARTTLS but the driver has no TLS
    /// configuration.
    TlsUnavailable,
    /// The input buffer is full, the machine takes nothing and waits for no
    /// deadline: the application left an event unanswered.
    Stalled,
}

impl<E: std::fmt::Display> std::fmt::Display for Error<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Io(e) => write!(f, "I/O error: {e}"),
            Error::Protocol(e) => write!(f, "protocol error: {e}"),
            Error::TlsUnavailable => f.write_str("STARTTLS requested but TLS is not configured"),
            Error::Stalled => f.write_str("the machine waits for an answer to an event"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(e) => Some(e),
            Error::Protocol(e) => Some(e),
            _ => None,
        }
    }
}

impl<E> From<io::Error> for Error<E> {
    fn from(e: io::Error) -> Self {
        Error::Io(e)
    }
}

/// Runs a [`Machine`] over a stream; see the [module documentation](self).
///
/// # Example
///
/// A server machine on one end of an in-memory pipe, answered by hand on
/// the other:
///
/// ```
/// # #[cfg(feature = "smtp")]
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use mailwire_tokio::driver::now;
/// use mailwire_smtp::server::{Event, Server, ServerConfig};
/// use mailwire_smtp::Domain;
/// use mailwire_tokio::{Driver, MaybeTls};
/// use tokio::io::{AsyncReadExt, AsyncWriteExt};
///
/// let (ours, mut theirs) = tokio::io::duplex(4096);
/// let config = ServerConfig::new(Domain::try_from("mx.example.org").unwrap());
/// let mut driver = Driver::new(Server::new(config, now()), MaybeTls::Plain(ours));
/// theirs.write_all(b"HELO client.example\r\nQUIT\r\n").await.unwrap();
/// let mut events = Vec::new();
/// while let Some(event) = driver.next_event().await.unwrap() {
///     events.push(event);
/// }
/// assert!(matches!(events.first(), Some(Event::Hello { .. })));
/// assert!(matches!(events.last(), Some(Event::Closed { .. })));
/// let mut transcript = String::new();
/// theirs.read_to_string(&mut transcript).await.unwrap();
/// assert!(transcript.starts_with("220 mx.example.org"));
/// assert!(transcript.ends_with("221 2.0.0 mx.example.org Service closing transmission channel\r\n"));
/// # }
/// # #[cfg(not(feature = "smtp"))]
/// # fn main() {}
/// ```
pub struct Driver<M: Machine, S> {
    machine: M,
    stream: MaybeTls<S>,
    #[cfg(feature = "tls")]
    upgrade: Option<TlsUpgrade>,
    input: Vec<u8>,
    start: usize,
    end: usize,
    output: Vec<u8>,
    eof: bool,
    closed: bool,
    fatal: Option<M::Error>,
}

impl<M: Machine, S> std::fmt::Debug for Driver<M, S>
where
    M: std::fmt::Debug,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Driver")
            .field("machine", &self.machine)
            .field("tls", &self.stream.is_tls())
            .field("buffered", &self.end.saturating_sub(self.start))
            .field("closed", &self.closed)
            .finish_non_exhaustive()
    }
}

impl<M, S> Driver<M, S>
where
    M: Machine,
    S: AsyncRead + AsyncWrite + Unpin,
{
    /// A driver for `machine` over `stream`, with an input buffer of
    /// [`DEFAULT_INPUT_BUFFER`] octets and no STARTTLS.
    pub fn new(machine: M, stream: MaybeTls<S>) -> Self {
        Self::with_buffer_size(machine, stream, DEFAULT_INPUT_BUFFER)
    }

    /// A driver with an input buffer of `size` octets (at least 512).
    pub fn with_buffer_size(machine: M, stream: MaybeTls<S>, size: usize) -> Self {
        Self {
            machine,
            stream,
            #[cfg(feature = "tls")]
            upgrade: None,
            input: vec![0; size.max(512)],
            start: 0,
            end: 0,
            output: Vec::new(),
            eof: false,
            closed: false,
            fatal: None,
        }
    }

    /// Lets the machine's STARTTLS run: the stream is upgraded in place with
    /// `upgrade`.
    #[cfg(feature = "tls")]
    #[must_use]
    pub fn with_tls_upgrade(mut self, upgrade: TlsUpgrade) -> Self {
        self.upgrade = Some(upgrade);
        self
    }

    /// The machine, for its getters.
    pub fn machine(&self) -> &M {
        &self.machine
    }

    /// The machine, for its commands (answers to events). Their transmits
    /// go out on the next [`next_event`](Self::next_event) or
    /// [`flush`](Self::flush).
    pub fn machine_mut(&mut self) -> &mut M {
        &mut self.machine
    }

    /// The stream, to learn whether TLS is active.
    pub fn stream(&self) -> &MaybeTls<S> {
        &self.stream
    }

    /// `true` once the connection is closed; [`next_event`](Self::next_event)
    /// returns no more events.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Writes every pending transmit to the stream.
    ///
    /// A client that streams a body calls this after each chunk it hands the
    /// machine, so that the socket paces the reading of the source.
    ///
    /// # Errors
    ///
    /// Writing failed.
    pub async fn flush(&mut self) -> Result<(), Error<M::Error>> {
        self.collect_transmits();
        self.write_output().await
    }

    fn collect_transmits(&mut self) {
        while let Some(transmit) = self.machine.poll_transmit(&mut self.output) {
            if !transmit.secret && tracing::enabled!(tracing::Level::TRACE) {
                let start = self.output.len().saturating_sub(transmit.len);
                let bytes = self.output.get(start..).unwrap_or_default();
                tracing::trace!(sent = %String::from_utf8_lossy(bytes).trim_end(), "transmit");
            }
        }
    }

    async fn write_output(&mut self) -> Result<(), Error<M::Error>> {
        if self.output.is_empty() || self.closed {
            self.output.clear();
            return Ok(());
        }
        let result = async {
            self.stream.write_all(&self.output).await?;
            self.stream.flush().await
        }
        .await;
        self.output.clear();
        if let Err(e) = result {
            self.closed = true;
            return Err(Error::Io(e));
        }
        Ok(())
    }

    /// Writes the last transmits and shuts the stream down, within a bound.
    async fn close(&mut self) {
        if self.closed {
            return;
        }
        self.collect_transmits();
        let output = std::mem::take(&mut self.output);
        let stream = &mut self.stream;
        let _ = tokio::time::timeout(CLOSE_LINGER, async {
            if !output.is_empty() {
                stream.write_all(&output).await?;
            }
            stream.flush().await?;
            stream.shutdown().await
        })
        .await;
        self.closed = true;
        self.start = 0;
        self.end = 0;
    }

    fn finish(&mut self) -> Result<Option<M::Event>, Error<M::Error>> {
        match self.fatal.take() {
            Some(e) => Err(Error::Protocol(e)),
            None => Ok(None),
        }
    }

    #[cfg(feature = "tls")]
    async fn start_tls(&mut self) -> Result<(), Error<M::Error>> {
        self.write_output().await?;
        // Plaintext read after the command is never fed (CVE-2011-0411).
        self.start = 0;
        self.end = 0;
        let Some(upgrade) = self.upgrade.clone() else {
            self.close().await;
            return Err(Error::TlsUnavailable);
        };
        if let Err(e) = self.stream.upgrade(&upgrade).await {
            self.closed = true;
            return Err(Error::Io(e));
        }
        self.machine.handle_tls_established(now());
        Ok(())
    }

    #[cfg(not(feature = "tls"))]
    async fn start_tls(&mut self) -> Result<(), Error<M::Error>> {
        self.close().await;
        Err(Error::TlsUnavailable)
    }

    /// Runs the connection until the machine has an event for the
    /// application, and returns it; `Ok(None)` once the connection is
    /// closed.
    ///
    /// Events whose [`control`](MachineEvent::control) is
    /// [`Control::StartTls`] are returned after the handshake completed;
    /// [`Control::Close`] after the last reply was written and the stream
    /// shut down.
    ///
    /// # Errors
    ///
    /// - [`Error::Io`]: the connection failed; it is closed;
    /// - [`Error::Protocol`]: after the machine's fatal error, once its last
    ///   reply went out and its last events were returned;
    /// - [`Error::TlsUnavailable`], [`Error::Stalled`]: see there.
    pub async fn next_event(&mut self) -> Result<Option<M::Event>, Error<M::Error>> {
        loop {
            if self.closed {
                return self.finish();
            }
            self.collect_transmits();
            if let Some(event) = self.machine.poll_event() {
                match event.control() {
                    Some(Control::StartTls) => self.start_tls().await?,
                    Some(Control::Close) => self.close().await,
                    _ => {}
                }
                return Ok(Some(event));
            }
            if self.machine.is_closed() {
                self.close().await;
                continue;
            }
            if self.start < self.end && self.fatal.is_none() {
                let buffered = self.input.get(self.start..self.end).unwrap_or_default();
                match self.machine.handle_input(now(), buffered) {
                    Ok(consumed) => {
                        let consumed = consumed.min(self.end.saturating_sub(self.start));
                        self.start = self.start.saturating_add(consumed);
                        if self.start == self.end {
                            self.start = 0;
                            self.end = 0;
                        }
                        if consumed > 0 {
                            continue;
                        }
                    }
                    Err(e) => {
                        self.fatal = Some(e);
                        self.start = 0;
                        self.end = 0;
                        continue;
                    }
                }
            }
            if !self.output.is_empty() {
                self.write_output().await?;
                continue;
            }
            self.wait().await?;
        }
    }

    /// Waits for input, the end of input or the machine's deadline.
    async fn wait(&mut self) -> Result<(), Error<M::Error>> {
        let deadline = self.machine.poll_timeout();
        let sleep = async {
            match deadline {
                Some(d) => tokio::time::sleep_until(tokio::time::Instant::from_std(d)).await,
                None => std::future::pending().await,
            }
        };
        if self.eof || self.fatal.is_some() {
            if deadline.is_none() {
                // Nothing more can happen on this connection.
                self.close().await;
                return Ok(());
            }
            sleep.await;
            self.machine.handle_timeout(now());
            return Ok(());
        }
        if self.start > 0 {
            self.input.copy_within(self.start..self.end, 0);
            self.end = self.end.saturating_sub(self.start);
            self.start = 0;
        }
        let Some(space) = self.input.get_mut(self.end..).filter(|s| !s.is_empty()) else {
            if deadline.is_none() {
                self.close().await;
                return Err(Error::Stalled);
            }
            sleep.await;
            self.machine.handle_timeout(now());
            return Ok(());
        };
        tokio::select! {
            read = self.stream.read(space) => match read {
                Ok(0) => {
                    self.eof = true;
                    self.machine.handle_eof(now());
                }
                Ok(n) => self.end = self.end.saturating_add(n),
                Err(e) => {
                    self.closed = true;
                    return Err(Error::Io(e));
                }
            },
            () = sleep => self.machine.handle_timeout(now()),
        }
        Ok(())
    }

    /// Ends the session from this side: writes what is pending and shuts
    /// the stream down. Use the machine's own command first (QUIT,
    /// `shutdown`) when it has one.
    pub async fn shutdown(&mut self) {
        self.close().await;
    }

    /// Gives back the machine and the stream.
    pub fn into_parts(self) -> (M, MaybeTls<S>) {
        (self.machine, self.stream)
    }
}
