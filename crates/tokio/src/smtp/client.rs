//! The SMTP/LMTP client front end: [`SmtpClient`] connects, reads the
//! greeting, says EHLO, runs STARTTLS and AUTH as [`ClientOptions`] ask,
//! then sends messages whose body is streamed from an `AsyncRead`, and
//! reports each recipient's outcome ([`SendReport`]).
//!
//! The body is read in pieces and each piece is written to the socket
//! before the next one is read, so memory stays bounded whatever the
//! message size.
//!
//! # Example
//!
//! ```no_run
//! use mailwire_smtp::client::{ClientConfig, Envelope};
//! use mailwire_smtp::{ForwardPath, Host, ReversePath};
//! use mailwire_tokio::smtp::client::{ClientOptions, SmtpClient};
//!
//! # async fn run() -> Result<(), mailwire_tokio::smtp::client::ClientError> {
//! let options = ClientOptions::new(ClientConfig::new(Host::try_from("client.example").unwrap()));
//! let mut client = SmtpClient::connect("127.0.0.1:2525", "localhost", &options).await?;
//! let envelope = Envelope::new(
//!     ReversePath::try_from("<a@example.org>").unwrap(),
//!     vec![ForwardPath::try_from("<b@example.org>").unwrap()],
//! );
//! let report = client.send(envelope, &b"Subject: hi\r\n\r\nHello\r\n"[..]).await?;
//! for index in 0..report.recipients.len() {
//!     println!("{index}: {:?}", report.outcome(index));
//! }
//! client.quit().await?;
//! # Ok(())
//! # }
//! ```

use std::io;
use std::time::Duration;

use mailwire_sasl::Credentials;
use mailwire_smtp::client::{Client, ClientConfig, CloseReason, Envelope, Event, TlsPolicy};
use mailwire_smtp::{Capabilities, Mechanism, Reply};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use crate::Driver;
use crate::pump::PumpError;

/// How large a piece of the body is read at a time.
const BODY_PIECE: usize = 64 * 1024;

/// Why a client session failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// Connecting, reading, writing or the TLS handshake failed.
    #[error("I/O: {0}")]
    Io(#[from] io::Error),
    /// Connecting took too long.
    #[error("connection timed out")]
    ConnectTimeout,
    /// The server broke the protocol.
    #[error("protocol: {0}")]
    Protocol(mailwire_smtp::Error),
    /// The session ended ([`CloseReason`]).
    #[error("session closed: {0:?}")]
    Closed(CloseReason),
    /// The server refused the credentials.
    #[error("authentication failed: {0}")]
    AuthFailed(Reply<'static>),
    /// Credentials were given but the server offers no mechanism that may
    /// carry them on this connection.
    #[error("no usable authentication mechanism offered")]
    AuthUnavailable,
    /// The SASL exchange failed on this side (for SCRAM: the server did not
    /// prove that it knows the password).
    #[error("SASL: {0}")]
    Sasl(#[from] mailwire_sasl::Error),
    /// The envelope cannot be sent to this server (an extension it lacks, a
    /// size over its limit, no recipient).
    #[error("envelope refused before sending: {0}")]
    Envelope(mailwire_smtp::Error),
    /// STARTTLS was needed but no TLS configuration was given.
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

impl From<crate::Error<mailwire_smtp::Error>> for ClientError {
    fn from(e: crate::Error<mailwire_smtp::Error>) -> Self {
        match e {
            crate::Error::Io(e) => ClientError::Io(e),
            crate::Error::Protocol(e) => ClientError::Protocol(e),
            crate::Error::TlsUnavailable => ClientError::TlsUnavailable,
            _ => ClientError::Io(io::Error::other(e.to_string())),
        }
    }
}

/// How the client connects and authenticates.
#[derive(Clone)]
#[non_exhaustive]
pub struct ClientOptions {
    /// The machine's configuration: name, LMTP, STARTTLS policy.
    /// `auth_mechanisms` is filled from [`credentials`](Self::credentials)
    /// when left empty.
    pub config: ClientConfig,
    /// The TLS configuration for STARTTLS and implicit TLS. Without it,
    /// [`TlsPolicy::Opportunistic`] sends in plaintext.
    #[cfg(feature = "tls")]
    pub tls: Option<tokio_rustls::TlsConnector>,
    /// TLS from the first byte ([RFC 8314]).
    ///
    /// [RFC 8314]: https://www.rfc-editor.org/rfc/rfc8314
    pub implicit_tls: bool,
    /// Credentials for AUTH.
    pub credentials: Option<Credentials>,
    /// Let `PLAIN` and `LOGIN` run without TLS (say, on loopback). Default
    /// `false`.
    pub allow_plaintext_auth: bool,
    /// How long connecting may take. Default 30 s.
    pub connect_timeout: Duration,
}

impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientOptions")
            .field("config", &self.config)
            .field("implicit_tls", &self.implicit_tls)
            .field(
                "credentials",
                &self.credentials.as_ref().map(|c| c.authcid()),
            )
            .field("allow_plaintext_auth", &self.allow_plaintext_auth)
            .finish_non_exhaustive()
    }
}

impl ClientOptions {
    /// Options for `config`, without TLS or credentials.
    pub fn new(config: ClientConfig) -> Self {
        Self {
            config,
            #[cfg(feature = "tls")]
            tls: None,
            implicit_tls: false,
            credentials: None,
            allow_plaintext_auth: false,
            connect_timeout: Duration::from_secs(30),
        }
    }

    /// The mechanisms to offer the machine: those the credentials can
    /// drive, without plaintext ones unless TLS is certain or allowed.
    fn mechanisms(&self) -> Vec<Mechanism<'static>> {
        if !self.config.auth_mechanisms.is_empty() {
            return self.config.auth_mechanisms.clone();
        }
        let Some(credentials) = &self.credentials else {
            return Vec::new();
        };
        let tls_certain = self.implicit_tls || self.config.tls == TlsPolicy::Required;
        mailwire_sasl::negotiate::PREFERENCE
            .iter()
            .filter(|s| {
                credentials.supports(s)
                    && (!s.is_plaintext() || tls_certain || self.allow_plaintext_auth)
            })
            .map(Mechanism::from)
            .collect()
    }
}

/// One recipient's replies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecipientReport {
    /// The reply to its `RCPT`.
    pub rcpt: Option<Reply<'static>>,
    /// LMTP: its delivery reply after the message.
    pub delivery: Option<Reply<'static>>,
}

/// What happened to one message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SendReport {
    /// The reply to `MAIL`.
    pub sender: Option<Reply<'static>>,
    /// Per recipient, in envelope order.
    pub recipients: Vec<RecipientReport>,
    /// The reply to the message (SMTP), or to a failed DATA/BDAT.
    pub message: Option<Reply<'static>>,
    /// The indices of the recipients the message was accepted for.
    pub delivered: Vec<usize>,
}

impl SendReport {
    /// `true` if recipient `index` got the message.
    pub fn is_delivered(&self, index: usize) -> bool {
        self.delivered.contains(&index)
    }

    /// The reply that decided recipient `index`'s fate: its LMTP delivery
    /// reply, else its `RCPT` reply if negative, else the message reply,
    /// else the sender's.
    pub fn outcome(&self, index: usize) -> Option<&Reply<'static>> {
        let recipient = self.recipients.get(index)?;
        if let Some(delivery) = &recipient.delivery {
            return Some(delivery);
        }
        if let Some(sender) = &self.sender
            && !sender.code().is_positive_completion()
        {
            return Some(sender);
        }
        match &recipient.rcpt {
            Some(r) if !r.code().is_positive_completion() => Some(r),
            rcpt => self.message.as_ref().or(rcpt.as_ref()),
        }
    }
}

/// A client session; see the [module documentation](self).
pub struct SmtpClient<S> {
    driver: Driver<Client, S>,
    greeting: Option<Reply<'static>>,
    capabilities: Capabilities,
}

impl<S> std::fmt::Debug for SmtpClient<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpClient")
            .field("greeting", &self.greeting)
            .field("capabilities", &self.capabilities)
            .finish_non_exhaustive()
    }
}

impl SmtpClient<TcpStream> {
    /// Connects to `address`, then runs [`SmtpClient::start`]. `host` is
    /// the name the server's certificate must carry.
    ///
    /// # Errors
    ///
    /// As [`SmtpClient::start`], and connection failures.
    pub async fn connect(
        address: impl tokio::net::ToSocketAddrs,
        host: &str,
        options: &ClientOptions,
    ) -> Result<Self, ClientError> {
        let socket = crate::connect::connect(address, options.connect_timeout).await?;
        Self::start(socket, host, options).await
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> SmtpClient<S> {
    /// Runs the session on `socket` up to the point where messages can be
    /// sent: greeting, EHLO, STARTTLS (per the policy), AUTH (with
    /// credentials). `host` is the name the certificate must carry.
    ///
    /// # Errors
    ///
    /// The server refused the session, TLS or the credentials, or the
    /// connection failed.
    pub async fn start(
        socket: S,
        host: &str,
        options: &ClientOptions,
    ) -> Result<Self, ClientError> {
        let mut config = options.config.clone();
        config.auth_mechanisms = options.mechanisms();
        config.tls_active = options.implicit_tls;
        #[cfg(feature = "tls")]
        let (stream, upgrade) = {
            let (stream, upgrade) =
                crate::connect::open(socket, host, options.tls.as_ref(), options.implicit_tls)
                    .await?;
            if upgrade.is_none() && config.tls == TlsPolicy::Opportunistic {
                config.tls = TlsPolicy::Disabled;
            }
            (stream, upgrade)
        };
        #[cfg(not(feature = "tls"))]
        let stream = {
            let _ = host;
            if options.implicit_tls {
                return Err(ClientError::TlsUnavailable);
            }
            if config.tls == TlsPolicy::Opportunistic {
                config.tls = TlsPolicy::Disabled;
            }
            crate::MaybeTls::Plain(socket)
        };
        let wants_auth = options.credentials.is_some();
        let driver = Driver::new(Client::new(config, crate::driver::now()), stream);
        #[cfg(feature = "tls")]
        let driver = match upgrade {
            Some(upgrade) => driver.with_tls_upgrade(upgrade),
            None => driver,
        };
        let mut client = Self {
            driver,
            greeting: None,
            capabilities: Capabilities::default(),
        };
        let mut sasl: Option<mailwire_sasl::Client> = None;
        loop {
            let Some(event) = client.driver.next_event().await? else {
                return Err(ClientError::Closed(CloseReason::PeerClosed));
            };
            match event {
                Event::GreetingReceived { reply } => client.greeting = Some(reply),
                Event::AuthMechanismSelected { mechanism } => {
                    let credentials = options
                        .credentials
                        .as_ref()
                        .ok_or(ClientError::AuthUnavailable)?;
                    let mechanism = mailwire_sasl::Mechanism::new(mechanism.as_str())?;
                    let mut exchange = mailwire_sasl::Client::new(&mechanism, credentials)?;
                    let initial = exchange.initial_response()?;
                    sasl = Some(exchange);
                    client
                        .driver
                        .machine_mut()
                        .auth_start(initial)
                        .map_err(ClientError::Protocol)?;
                }
                Event::AuthChallenge { challenge } => {
                    let exchange = sasl.as_mut().ok_or(ClientError::AuthUnavailable)?;
                    let machine = client.driver.machine_mut();
                    match exchange.step(&challenge) {
                        Ok(response) => machine.auth_respond(response),
                        Err(e) => {
                            let _ = machine.auth_cancel();
                            return Err(ClientError::Sasl(e));
                        }
                    }
                    .map_err(ClientError::Protocol)?;
                }
                Event::Authenticated => {
                    if let Some(exchange) = sasl.as_mut() {
                        exchange.finish()?;
                    }
                }
                Event::AuthFailed { reply } => {
                    client.quit_quietly().await;
                    return Err(ClientError::AuthFailed(reply));
                }
                Event::Ready { capabilities } => {
                    client.capabilities = capabilities;
                    if wants_auth && !client.driver.machine().is_authenticated() {
                        client.quit_quietly().await;
                        return Err(ClientError::AuthUnavailable);
                    }
                    return Ok(client);
                }
                Event::Closed { reason } => return Err(ClientError::Closed(reason)),
                _ => {}
            }
        }
    }

    /// The server's greeting.
    pub fn greeting(&self) -> Option<&Reply<'static>> {
        self.greeting.as_ref()
    }

    /// What the server offers.
    pub fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    /// `true` once TLS is active.
    pub fn is_tls(&self) -> bool {
        self.driver.stream().is_tls()
    }

    /// `true` after a successful AUTH.
    pub fn is_authenticated(&self) -> bool {
        self.driver.machine().is_authenticated()
    }

    /// Sends one message: the envelope, then the body read from `body` to
    /// its end. Line endings are normalised to CRLF and lines starting with
    /// `.` are stuffed by the machine.
    ///
    /// # Errors
    ///
    /// [`ClientError::Envelope`] when the envelope needs what the server
    /// lacks (nothing is sent then); connection and protocol failures.
    /// Refused recipients and messages are not errors: see the report.
    pub async fn send(
        &mut self,
        envelope: Envelope<'_>,
        mut body: impl AsyncRead + Unpin,
    ) -> Result<SendReport, ClientError> {
        let count = envelope.recipients.len();
        self.driver
            .machine_mut()
            .send_mail(envelope)
            .map_err(ClientError::Envelope)?;
        let mut report = SendReport {
            recipients: vec![RecipientReport::default(); count],
            ..SendReport::default()
        };
        loop {
            let Some(event) = self.driver.next_event().await? else {
                return Err(ClientError::Closed(CloseReason::PeerClosed));
            };
            match event {
                Event::SenderReplied { reply } => report.sender = Some(reply),
                Event::RecipientReplied { index, reply } => {
                    if let Some(r) = report.recipients.get_mut(index) {
                        r.rcpt = Some(reply);
                    }
                }
                Event::BodyRequested => {
                    crate::pump::pump(&mut self.driver, &mut body, BODY_PIECE, Client::send_body)
                        .await
                        .map_err(|e| match e {
                            PumpError::Read(e) => ClientError::Io(e),
                            PumpError::Machine(e) => ClientError::Protocol(e),
                            PumpError::Send(e) => ClientError::from(e),
                        })?;
                    self.driver
                        .machine_mut()
                        .finish_body()
                        .map_err(ClientError::Protocol)?;
                }
                Event::MessageReplied { reply } => report.message = Some(reply),
                Event::RecipientDelivered { index, reply } => {
                    if let Some(r) = report.recipients.get_mut(index) {
                        r.delivery = Some(reply);
                    }
                }
                Event::TransactionEnded { delivered } => {
                    report.delivered = delivered;
                    return Ok(report);
                }
                Event::Closed { reason } => return Err(ClientError::Closed(reason)),
                _ => {}
            }
        }
    }

    /// Ends the session with `QUIT`.
    ///
    /// # Errors
    ///
    /// The connection failed before `221` arrived.
    pub async fn quit(mut self) -> Result<(), ClientError> {
        self.driver.machine_mut().quit();
        while let Some(event) = self.driver.next_event().await? {
            if let Event::Closed { .. } = event {
                break;
            }
        }
        self.driver.shutdown().await;
        Ok(())
    }

    async fn quit_quietly(&mut self) {
        self.driver.machine_mut().quit();
        let _ = tokio::time::timeout(Duration::from_secs(5), async {
            while let Ok(Some(event)) = self.driver.next_event().await {
                if let Event::Closed { .. } = event {
                    break;
                }
            }
        })
        .await;
        self.driver.shutdown().await;
    }
}
