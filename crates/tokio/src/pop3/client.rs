//! The POP3 client front end: [`Pop3Client`] connects, reads the greeting,
//! asks for the capabilities, runs `STLS` as [`ClientOptions`] ask, logs
//! in with `USER`/`PASS` or SASL `AUTH` ([RFC 5034]), then lists, fetches
//! and deletes messages.
//!
//! Message bodies are written to an `AsyncWrite` piece by piece as they
//! arrive (unstuffed, CRLF line endings), so memory stays bounded whatever
//! the message size.
//!
//! [RFC 5034]: https://www.rfc-editor.org/rfc/rfc5034
//!
//! # Example
//!
//! ```no_run
//! use mailwire_pop3::client::ClientConfig;
//! use mailwire_tokio::pop3::client::{ClientOptions, Pop3Client};
//!
//! # async fn run() -> Result<(), mailwire_tokio::pop3::client::ClientError> {
//! let mut config = ClientConfig::new();
//! config.allow_plaintext_without_tls = true; // loopback only
//! let options = ClientOptions::new(config);
//! let mut client = Pop3Client::connect("127.0.0.1:1110", "localhost", &options).await?;
//! client.login("alice", "secret").await?;
//! for listing in client.uidl().await? {
//!     let mut message = Vec::new();
//!     client.retr(listing.message, &mut message).await?;
//!     println!("{}: {} octets", listing.uid, message.len());
//! }
//! client.quit().await?;
//! # Ok(())
//! # }
//! ```

use std::io;
use std::time::Duration;

use mailwire_pop3::client::{Client, ClientConfig, CloseReason, Event};
use mailwire_pop3::{Capabilities, DropListing, Response, ScanListing, UniqueIdListing};
use mailwire_sasl::{Credentials, Mechanism};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::Driver;

/// Why a client session or command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// Connecting, reading, writing or the TLS handshake failed.
    #[error("I/O: {0}")]
    Io(#[from] io::Error),
    /// Connecting took too long.
    #[error("connection timed out")]
    ConnectTimeout,
    /// The server broke the protocol, or the machine refused a command
    /// (a plaintext password without TLS, a name with spaces).
    #[error("protocol: {0}")]
    Protocol(mailwire_pop3::Error),
    /// The session ended ([`CloseReason`]).
    #[error("session closed: {0:?}")]
    Closed(CloseReason),
    /// The server answered `-ERR`.
    #[error("{command} refused: {}", super::response_text(.response))]
    Refused {
        /// The keyword of the command, e.g. `"RETR"`.
        command: &'static str,
        /// The server's response.
        response: Response,
    },
    /// The server offers no SASL mechanism that the credentials can drive
    /// on this connection.
    #[error("no usable authentication mechanism offered")]
    AuthUnavailable,
    /// `STLS` was required but the server does not offer it.
    #[error("the server does not offer STLS")]
    StlsUnavailable,
    /// TLS was asked for but no TLS configuration was given, or the host
    /// is not a valid certificate name.
    #[error("TLS is not configured")]
    TlsUnavailable,
}

impl From<crate::connect::PreludeError> for ClientError {
    fn from(e: crate::connect::PreludeError) -> Self {
        match e {
            crate::connect::PreludeError::Io(e) => ClientError::Io(e),
            crate::connect::PreludeError::ConnectTimeout => ClientError::ConnectTimeout,
            crate::connect::PreludeError::TlsUnavailable => ClientError::TlsUnavailable,
        }
    }
}

impl From<crate::Error<mailwire_pop3::Error>> for ClientError {
    fn from(e: crate::Error<mailwire_pop3::Error>) -> Self {
        match e {
            crate::Error::Io(e) => ClientError::Io(e),
            crate::Error::Protocol(e) => ClientError::Protocol(e),
            crate::Error::TlsUnavailable => ClientError::TlsUnavailable,
            _ => ClientError::Io(io::Error::other(e.to_string())),
        }
    }
}

/// How the client connects.
#[derive(Clone)]
#[non_exhaustive]
pub struct ClientOptions {
    /// The machine's configuration: limits, pipelining, whether passwords
    /// may go out without TLS. `tls_active` is set from
    /// [`implicit_tls`](Self::implicit_tls).
    pub config: ClientConfig,
    /// The TLS configuration for `STLS` and implicit TLS.
    #[cfg(feature = "tls")]
    pub tls: Option<tokio_rustls::TlsConnector>,
    /// TLS from the first byte (port 995, [RFC 8314]).
    ///
    /// [RFC 8314]: https://www.rfc-editor.org/rfc/rfc8314
    pub implicit_tls: bool,
    /// Run `STLS` before anything else, and fail if the server does not
    /// offer it ([RFC 2595 §4]).
    ///
    /// [RFC 2595 §4]: https://www.rfc-editor.org/rfc/rfc2595#section-4
    pub stls: bool,
    /// How long connecting may take. Default 30 s.
    pub connect_timeout: Duration,
}

impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientOptions")
            .field("config", &self.config)
            .field("implicit_tls", &self.implicit_tls)
            .field("stls", &self.stls)
            .field("connect_timeout", &self.connect_timeout)
            .finish_non_exhaustive()
    }
}

impl ClientOptions {
    /// Options for `config`, without TLS.
    ///
    /// ```
    /// use mailwire_pop3::client::ClientConfig;
    /// let options = mailwire_tokio::pop3::client::ClientOptions::new(ClientConfig::new());
    /// assert!(!options.stls && !options.implicit_tls);
    /// ```
    pub fn new(config: ClientConfig) -> Self {
        Self {
            config,
            #[cfg(feature = "tls")]
            tls: None,
            implicit_tls: false,
            stls: false,
            connect_timeout: Duration::from_secs(30),
        }
    }
}

/// A client session; see the [module documentation](self).
pub struct Pop3Client<S> {
    driver: Driver<Client, S>,
    greeting: Option<Response>,
}

impl<S> std::fmt::Debug for Pop3Client<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pop3Client")
            .field("greeting", &self.greeting)
            .finish_non_exhaustive()
    }
}

impl Pop3Client<TcpStream> {
    /// Connects to `address`, then runs [`Pop3Client::start`]. `host` is
    /// the name the server's certificate must carry.
    ///
    /// # Errors
    ///
    /// As [`Pop3Client::start`], and connection failures.
    pub async fn connect(
        address: impl tokio::net::ToSocketAddrs,
        host: &str,
        options: &ClientOptions,
    ) -> Result<Self, ClientError> {
        let socket = crate::connect::connect(address, options.connect_timeout).await?;
        Self::start(socket, host, options).await
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Pop3Client<S> {
    /// Runs the session on `socket` up to the AUTHORIZATION state: TLS
    /// handshake (implicit TLS), greeting, `CAPA`, and `STLS` then `CAPA`
    /// again when [`ClientOptions::stls`] is set. `host` is the name the
    /// certificate must carry.
    ///
    /// # Errors
    ///
    /// The server refused the session or TLS, or the connection failed.
    pub async fn start(
        socket: S,
        host: &str,
        options: &ClientOptions,
    ) -> Result<Self, ClientError> {
        let mut config = options.config.clone();
        config.tls_active = options.implicit_tls;
        #[cfg(feature = "tls")]
        let (stream, upgrade) = {
            let (stream, upgrade) =
                crate::connect::open(socket, host, options.tls.as_ref(), options.implicit_tls)
                    .await?;
            if options.stls && upgrade.is_none() {
                return Err(ClientError::TlsUnavailable);
            }
            (stream, upgrade)
        };
        #[cfg(not(feature = "tls"))]
        let stream = {
            let _ = host;
            if options.implicit_tls || options.stls {
                return Err(ClientError::TlsUnavailable);
            }
            crate::MaybeTls::Plain(socket)
        };
        let driver = Driver::new(Client::new(config, crate::driver::now()), stream);
        #[cfg(feature = "tls")]
        let driver = match upgrade {
            Some(upgrade) => driver.with_tls_upgrade(upgrade),
            None => driver,
        };
        let mut client = Self {
            driver,
            greeting: None,
        };
        loop {
            match client.next().await? {
                Event::Greeting { response, .. } => {
                    client.greeting = Some(response);
                    break;
                }
                Event::Closed { reason } => return Err(client.closed(reason).await),
                _ => {}
            }
        }
        // A server without CAPA answers -ERR: it then offers nothing.
        let _ = client.capa().await;
        if options.stls {
            if !client.capabilities().is_some_and(Capabilities::has_stls) {
                client.quit_quietly().await;
                return Err(ClientError::StlsUnavailable);
            }
            client.machine().stls().map_err(ClientError::Protocol)?;
            client.simple("STLS").await?;
            loop {
                match client.next().await? {
                    Event::TlsRequested => break,
                    Event::Closed { reason } => return Err(client.closed(reason).await),
                    _ => {}
                }
            }
            let _ = client.capa().await;
        }
        Ok(client)
    }

    fn machine(&mut self) -> &mut Client {
        self.driver.machine_mut()
    }

    /// The server's greeting.
    pub fn greeting(&self) -> Option<&Response> {
        self.greeting.as_ref()
    }

    /// The capabilities of the last `CAPA` answer, if the server answered
    /// one.
    pub fn capabilities(&self) -> Option<&Capabilities> {
        self.driver.machine().capabilities()
    }

    /// `true` once TLS is active.
    pub fn is_tls(&self) -> bool {
        self.driver.stream().is_tls()
    }

    /// The protocol version and cipher suite in use, for logs.
    pub fn tls_description(&self) -> Option<String> {
        self.driver.stream().tls_description()
    }

    /// The next event; the end of the connection is an error here.
    async fn next(&mut self) -> Result<Event, ClientError> {
        match self.driver.next_event().await? {
            Some(event) => Ok(event),
            None => Err(ClientError::Closed(CloseReason::PeerClosed)),
        }
    }

    /// The error for a session that closed: the machine's fatal error when
    /// there is one.
    async fn closed(&mut self, reason: CloseReason) -> ClientError {
        if reason == CloseReason::ProtocolError
            && let Err(e) = self.driver.next_event().await
        {
            return e.into();
        }
        ClientError::Closed(reason)
    }

    /// Waits for the status line answering `command`; `-ERR` is an error.
    async fn simple(&mut self, command: &'static str) -> Result<Response, ClientError> {
        loop {
            match self.next().await? {
                Event::Reply {
                    command: answered,
                    response,
                } if answered == command => {
                    if response.is_ok() {
                        return Ok(response);
                    }
                    return Err(ClientError::Refused { command, response });
                }
                Event::Closed { reason } => return Err(self.closed(reason).await),
                _ => {}
            }
        }
    }

    /// `CAPA` ([RFC 2449 §5]); also kept for
    /// [`capabilities`](Self::capabilities).
    ///
    /// [RFC 2449 §5]: https://www.rfc-editor.org/rfc/rfc2449#section-5
    ///
    /// # Errors
    ///
    /// [`ClientError::Refused`] when the server has no `CAPA`; connection
    /// and protocol failures.
    pub async fn capa(&mut self) -> Result<Capabilities, ClientError> {
        self.machine().capa().map_err(ClientError::Protocol)?;
        self.simple("CAPA").await?;
        let mut capabilities = Capabilities::default();
        loop {
            match self.next().await? {
                Event::Capabilities(c) => capabilities = c,
                Event::MultilineEnd => return Ok(capabilities),
                Event::Closed { reason } => return Err(self.closed(reason).await),
                _ => {}
            }
        }
    }

    /// `USER` then `PASS` ([RFC 1939 §7]).
    ///
    /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
    ///
    /// # Errors
    ///
    /// [`ClientError::Refused`] for wrong credentials,
    /// [`ClientError::Protocol`] for a password the machine will not send
    /// without TLS; connection failures.
    pub async fn login(&mut self, user: &str, password: &str) -> Result<(), ClientError> {
        self.machine()
            .login(user, password)
            .map_err(ClientError::Protocol)?;
        let mut refused = None;
        loop {
            match self.next().await? {
                Event::Reply { command, response } if !response.is_ok() => {
                    refused.get_or_insert(ClientError::Refused { command, response });
                    if command == "PASS" {
                        break;
                    }
                }
                Event::Reply {
                    command: "PASS", ..
                } => break,
                Event::Closed { reason } => return Err(self.closed(reason).await),
                _ => {}
            }
        }
        refused.map_or(Ok(()), Err)
    }

    /// SASL `AUTH` ([RFC 5034]) with `mechanism`, or with the strongest
    /// one that the server's `SASL` capability offers and `credentials`
    /// can drive. A SCRAM server's signature is checked before success
    /// counts.
    ///
    /// [RFC 5034]: https://www.rfc-editor.org/rfc/rfc5034
    ///
    /// # Errors
    ///
    /// [`ClientError::AuthUnavailable`] when no mechanism fits,
    /// [`ClientError::Refused`] for wrong credentials; connection and
    /// protocol failures.
    pub async fn authenticate(
        &mut self,
        credentials: &Credentials,
        mechanism: Option<&Mechanism>,
    ) -> Result<Mechanism, ClientError> {
        let started = match mechanism {
            Some(m) => self.machine().authenticate_with(m, credentials),
            None => self.machine().authenticate(credentials),
        };
        match started {
            Ok(()) => {}
            Err(
                mailwire_pop3::Error::Protocol(mailwire_core::Error::Unsupported { .. })
                | mailwire_pop3::Error::Sasl(_),
            ) => {
                return Err(ClientError::AuthUnavailable);
            }
            Err(e) => return Err(ClientError::Protocol(e)),
        }
        self.simple("AUTH").await?;
        loop {
            match self.next().await? {
                Event::Authenticated {
                    mechanism: Some(m), ..
                } => return Ok(m),
                Event::Closed { reason } => return Err(self.closed(reason).await),
                _ => {}
            }
        }
    }

    /// `STAT` ([RFC 1939 §5]): the number of messages and their total
    /// size.
    ///
    /// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
    ///
    /// # Errors
    ///
    /// [`ClientError::Refused`]; connection and protocol failures. A
    /// `+OK` that does not parse as a drop listing is a
    /// [`ClientError::Protocol`] error.
    pub async fn stat(&mut self) -> Result<DropListing, ClientError> {
        self.machine().stat().map_err(ClientError::Protocol)?;
        let response = self.simple("STAT").await?;
        mailwire_pop3::parse::parse_drop_listing(response.text.as_str().as_bytes())
            .map_err(ClientError::Protocol)
    }

    /// `LIST` ([RFC 1939 §5]): every message's number and size.
    ///
    /// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
    ///
    /// # Errors
    ///
    /// [`ClientError::Refused`]; connection and protocol failures.
    pub async fn list(&mut self) -> Result<Vec<ScanListing>, ClientError> {
        self.machine().list(None).map_err(ClientError::Protocol)?;
        self.simple("LIST").await?;
        let mut listings = Vec::new();
        loop {
            match self.next().await? {
                Event::ScanListing(l) => listings.push(l),
                Event::MultilineEnd => return Ok(listings),
                Event::Closed { reason } => return Err(self.closed(reason).await),
                _ => {}
            }
        }
    }

    /// `UIDL` ([RFC 1939 §7]): every message's number and unique-id.
    ///
    /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
    ///
    /// # Errors
    ///
    /// [`ClientError::Refused`] (a server without `UIDL`); connection and
    /// protocol failures.
    pub async fn uidl(&mut self) -> Result<Vec<UniqueIdListing>, ClientError> {
        self.machine().uidl(None).map_err(ClientError::Protocol)?;
        self.simple("UIDL").await?;
        let mut listings = Vec::new();
        loop {
            match self.next().await? {
                Event::UniqueId(l) => listings.push(l),
                Event::MultilineEnd => return Ok(listings),
                Event::Closed { reason } => return Err(self.closed(reason).await),
                _ => {}
            }
        }
    }

    /// `RETR message` ([RFC 1939 §5]): writes the message, unstuffed and
    /// with CRLF line endings, to `out` and returns its size.
    ///
    /// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
    ///
    /// # Errors
    ///
    /// [`ClientError::Refused`] (no such message); writing to `out`,
    /// connection and protocol failures.
    pub async fn retr<W: AsyncWrite + Unpin>(
        &mut self,
        message: u32,
        out: &mut W,
    ) -> Result<u64, ClientError> {
        self.machine()
            .retr(message)
            .map_err(ClientError::Protocol)?;
        self.simple("RETR").await?;
        self.body(out).await
    }

    /// `TOP message lines` ([RFC 1939 §7]): writes the header, the blank
    /// line and the first `lines` body lines to `out` and returns their
    /// size.
    ///
    /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
    ///
    /// # Errors
    ///
    /// As [`retr`](Self::retr).
    pub async fn top<W: AsyncWrite + Unpin>(
        &mut self,
        message: u32,
        lines: u32,
        out: &mut W,
    ) -> Result<u64, ClientError> {
        self.machine()
            .top(message, lines)
            .map_err(ClientError::Protocol)?;
        self.simple("TOP").await?;
        self.body(out).await
    }

    async fn body<W: AsyncWrite + Unpin>(&mut self, out: &mut W) -> Result<u64, ClientError> {
        let mut size = 0u64;
        loop {
            match self.next().await? {
                Event::MultilineChunk { data } => {
                    out.write_all(&data).await?;
                    size = size.saturating_add(data.len() as u64);
                }
                Event::MultilineEnd => {
                    out.flush().await?;
                    return Ok(size);
                }
                Event::Closed { reason } => return Err(self.closed(reason).await),
                _ => {}
            }
        }
    }

    /// `DELE message` ([RFC 1939 §5]): marks the message; the server
    /// removes it after [`quit`](Self::quit).
    ///
    /// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
    ///
    /// # Errors
    ///
    /// [`ClientError::Refused`]; connection and protocol failures.
    pub async fn dele(&mut self, message: u32) -> Result<(), ClientError> {
        self.machine()
            .dele(message)
            .map_err(ClientError::Protocol)?;
        self.simple("DELE").await.map(drop)
    }

    /// `RSET` ([RFC 1939 §5]): unmarks every message.
    ///
    /// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
    ///
    /// # Errors
    ///
    /// [`ClientError::Refused`]; connection and protocol failures.
    pub async fn rset(&mut self) -> Result<(), ClientError> {
        self.machine().rset().map_err(ClientError::Protocol)?;
        self.simple("RSET").await.map(drop)
    }

    /// `NOOP` ([RFC 1939 §5]).
    ///
    /// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
    ///
    /// # Errors
    ///
    /// [`ClientError::Refused`]; connection and protocol failures.
    pub async fn noop(&mut self) -> Result<(), ClientError> {
        self.machine().noop().map_err(ClientError::Protocol)?;
        self.simple("NOOP").await.map(drop)
    }

    /// `QUIT` ([RFC 1939 §6]): the server removes the marked messages and
    /// the session ends.
    ///
    /// [RFC 1939 §6]: https://www.rfc-editor.org/rfc/rfc1939#section-6
    ///
    /// # Errors
    ///
    /// [`ClientError::Refused`] when the server could not remove every
    /// marked message; connection failures.
    pub async fn quit(mut self) -> Result<(), ClientError> {
        self.machine().quit().map_err(ClientError::Protocol)?;
        let answer = self.simple("QUIT").await;
        self.driver.shutdown().await;
        answer.map(drop)
    }

    async fn quit_quietly(&mut self) {
        if self.machine().quit().is_ok() {
            let _ = tokio::time::timeout(Duration::from_secs(5), self.simple("QUIT")).await;
        }
        self.driver.shutdown().await;
    }
}
