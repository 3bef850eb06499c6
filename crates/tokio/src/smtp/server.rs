//! The SMTP server front end: [`serve`] accepts connections and runs one
//! [`mailwire_smtp::server::Server`] machine per connection through the
//! [`Driver`], asking a [`Handler`] about each sender, recipient, body and
//! login.
//!
//! AUTH runs inside the machine with [`mailwire_sasl`]: the handler only
//! looks up stored credentials ([`Handler::credentials`]); the SASL
//! machines check them.
//!
//! # Example
//!
//! A server that takes mail for one address and counts the octets:
//!
//! ```no_run
//! use std::sync::Arc;
//! use mailwire_smtp::server::ServerConfig;
//! use mailwire_smtp::{Domain, EnhancedCode, ForwardPath, MailParameters, RcptParameters, Reply, ReplyCode, ReversePath};
//! use mailwire_tokio::smtp::server::{serve, Handler, MessageVerdict, ServerOptions, Session};
//!
//! #[derive(Default)]
//! struct Counter { octets: u64 }
//!
//! impl Handler for Counter {
//!     async fn mail(&mut self, _: &Session, _: &ReversePath<'static>, _: &MailParameters<'static>)
//!         -> Result<(), Reply<'static>> { Ok(()) }
//!     async fn rcpt(&mut self, _: &Session, to: &ForwardPath<'static>, _: &RcptParameters<'static>)
//!         -> Result<(), Reply<'static>> {
//!         if to.to_string() == "<postmaster@example.org>" { Ok(()) } else {
//!             Err(mailwire_tokio::smtp::reply(ReplyCode::MAILBOX_UNAVAILABLE, Some(EnhancedCode::BAD_DESTINATION_MAILBOX), "No such user"))
//!         }
//!     }
//!     async fn body(&mut self, chunk: &[u8]) -> Result<(), Reply<'static>> {
//!         self.octets += chunk.len() as u64;
//!         Ok(())
//!     }
//!     async fn message(&mut self, _: &Session) -> MessageVerdict { MessageVerdict::Accept }
//! }
//!
//! # async fn run() -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:2525").await?;
//! let options = ServerOptions::new(ServerConfig::new(Domain::try_from("example.org").unwrap()));
//! serve(listener, Arc::new(options), |_| Counter::default(), std::future::pending()).await
//! # }
//! ```

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use mailwire_sasl::{StoredCredentials, Verdict};
use mailwire_smtp::server::{CloseReason, Event, Server, ServerConfig, ServerMode};
use mailwire_smtp::{
    EnhancedCode, ForwardPath, MailParameters, RcptParameters, Reply, ReplyCode, ReversePath,
};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tracing::Instrument as _;

use crate::{Driver, MaybeTls, SessionEnd};

/// What the application decides about a complete message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessageVerdict {
    /// Accepted (`250`, one per recipient in LMTP). Only answer this once
    /// the message is safely stored.
    Accept,
    /// Refused with this reply (for every recipient in LMTP).
    Reject(Reply<'static>),
    /// LMTP: one reply per accepted recipient, in `RCPT` order. Outside
    /// LMTP, or with the wrong count, the message gets `451 4.3.0`.
    PerRecipient(Vec<Reply<'static>>),
}

/// What the handler knows about the session it serves.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Session {
    /// A number that identifies the session in logs.
    pub id: u64,
    /// The client's address, if known.
    pub peer: Option<SocketAddr>,
    /// Relay, submission or LMTP.
    pub mode: ServerMode,
    /// The name the client gave with HELO/EHLO/LHLO.
    pub helo: Option<String>,
    /// TLS is active.
    pub tls: bool,
    /// The identity the client authenticated as.
    pub authenticated: Option<String>,
    /// Messages accepted so far.
    pub messages: u64,
}

impl Session {
    /// A session before the greeting.
    pub fn new(id: u64, peer: Option<SocketAddr>, mode: ServerMode) -> Self {
        Self {
            id,
            peer,
            mode,
            helo: None,
            tls: false,
            authenticated: None,
            messages: 0,
        }
    }
}

/// The application's side of a server session: one value per connection.
///
/// Every method may await (a database, a file, another server). The
/// machine reads no more input while a decision is open, so pipelined
/// commands wait in the socket.
///
/// A transaction starts with [`mail`](Handler::mail) and ends with
/// [`message`](Handler::message) or [`reset`](Handler::reset).
pub trait Handler: Send {
    /// `MAIL FROM`: accept the sender, or refuse it with a reply.
    fn mail(
        &mut self,
        session: &Session,
        reverse_path: &ReversePath<'static>,
        parameters: &MailParameters<'static>,
    ) -> impl Future<Output = Result<(), Reply<'static>>> + Send;

    /// `RCPT TO`: accept the recipient, or refuse it with a reply.
    fn rcpt(
        &mut self,
        session: &Session,
        forward_path: &ForwardPath<'static>,
        parameters: &RcptParameters<'static>,
    ) -> impl Future<Output = Result<(), Reply<'static>>> + Send;

    /// A piece of the body, unstuffed. An error is kept and becomes the
    /// message's reply; no more pieces are given then.
    fn body(&mut self, chunk: &[u8]) -> impl Future<Output = Result<(), Reply<'static>>> + Send;

    /// The body is complete: store the message, then answer.
    fn message(&mut self, session: &Session) -> impl Future<Output = MessageVerdict> + Send;

    /// The transaction in progress was dropped (RSET, a new greeting, a
    /// message too large, the connection lost).
    fn reset(&mut self) -> impl Future<Output = ()> + Send {
        async {}
    }

    /// AUTH: what is stored for `authcid` under `mechanism`, `None` for an
    /// unknown user. `CRAM-MD5` needs [`StoredCredentials::Password`],
    /// `SCRAM-*` [`StoredCredentials::Scram`]; `PLAIN` and `LOGIN` take
    /// either. The default knows no user.
    fn credentials(
        &mut self,
        session: &Session,
        mechanism: &mailwire_sasl::Mechanism,
        authcid: &str,
    ) -> impl Future<Output = Option<StoredCredentials>> + Send {
        let _ = (session, mechanism, authcid);
        async { None }
    }
}

/// How the server runs: the machine's configuration, TLS and connection
/// limits.
pub type ServerOptions = crate::listener::ServerOptions<ServerConfig>;

/// How a session ended, for the caller's log.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SessionSummary {
    /// The session as it was at the end.
    pub session: Session,
    /// Why it ended.
    pub end: SessionEnd<CloseReason>,
}

/// Accepts connections on `listener` until `shutdown` completes, and serves
/// each with a handler made by `make_handler`.
///
/// Each session is logged on one line (target `mailwire_tokio::smtp`) when
/// it ends. At most [`ServerOptions::max_sessions`] run at once.
///
/// # Errors
///
/// Only if accepting fails in a way that is not about one connection.
pub async fn serve<H, F>(
    listener: TcpListener,
    options: Arc<ServerOptions>,
    make_handler: F,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()>
where
    H: Handler + 'static,
    F: Fn(&Session) -> H,
{
    crate::listener::accept_loop(
        listener,
        options.max_sessions,
        shutdown,
        |socket, peer, id| {
            let session = Session::new(id, Some(peer), options.config.mode);
            let mut handler = make_handler(&session);
            let options = options.clone();
            async move {
                let summary = accept_and_serve(socket, &options, session, &mut handler).await;
                log_summary(&summary);
            }
            .instrument(tracing::info_span!("smtp", session = id))
        },
    )
    .await
}

fn log_summary(summary: &SessionSummary) {
    let s = &summary.session;
    let peer = s.peer.map(|p| p.to_string()).unwrap_or_default();
    tracing::info!(
        target: "mailwire_tokio::smtp",
        session = s.id,
        %peer,
        mode = ?s.mode,
        helo = s.helo.as_deref().unwrap_or(""),
        tls = s.tls,
        user = s.authenticated.as_deref().unwrap_or(""),
        messages = s.messages,
        end = %summary.end,
        "session"
    );
}

async fn accept_and_serve<H: Handler>(
    socket: TcpStream,
    options: &ServerOptions,
    session: Session,
    handler: &mut H,
) -> SessionSummary {
    match options.prelude().open(socket).await {
        Ok(stream) => serve_connection(stream, options, session, handler).await,
        Err(end) => SessionSummary { session, end },
    }
}

fn reply(code: ReplyCode, enhanced: EnhancedCode, text: &str) -> Reply<'static> {
    super::reply(code, Some(enhanced), text)
}

/// Serves one connection to its end with `handler`.
///
/// `stream` is plaintext, or TLS already (implicit TLS); STARTTLS is
/// offered when [`ServerOptions::tls`] is set and `config.starttls` is on.
pub async fn serve_connection<S, H>(
    stream: MaybeTls<S>,
    options: &ServerOptions,
    mut session: Session,
    handler: &mut H,
) -> SessionSummary
where
    S: AsyncRead + AsyncWrite + Unpin,
    H: Handler,
{
    let mut config = options.config.clone();
    config.tls_active = stream.is_tls();
    session.tls = stream.is_tls();
    #[cfg(feature = "tls")]
    let upgrade = options.tls.clone().map(crate::TlsUpgrade::Server);
    #[cfg(feature = "tls")]
    {
        config.starttls = config.starttls && upgrade.is_some();
    }
    #[cfg(not(feature = "tls"))]
    {
        config.starttls = false;
    }
    let mode = config.mode;
    let driver = Driver::new(Server::new(config, crate::driver::now()), stream);
    #[cfg(feature = "tls")]
    let driver = match upgrade {
        Some(upgrade) => driver.with_tls_upgrade(upgrade),
        None => driver,
    };
    let mut run = Run {
        driver,
        session,
        in_transaction: false,
        body_error: None,
        mode,
        end: None,
    };
    let end = run.run(handler).await;
    if run.in_transaction {
        handler.reset().await;
    }
    SessionSummary {
        session: run.session,
        end,
    }
}

struct Run<S> {
    driver: Driver<Server, S>,
    session: Session,
    in_transaction: bool,
    body_error: Option<Reply<'static>>,
    mode: ServerMode,
    end: Option<SessionEnd<CloseReason>>,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Run<S> {
    async fn run<H: Handler>(&mut self, handler: &mut H) -> SessionEnd<CloseReason> {
        loop {
            let event = match self.driver.next_event().await {
                Ok(Some(event)) => event,
                Ok(None) => return self.end.take().unwrap_or(SessionEnd::ConnectionClosed),
                Err(e) => return SessionEnd::Driver(e.to_string()),
            };
            if let Err(e) = self.event(event, handler).await {
                return e;
            }
        }
    }

    fn machine(&mut self) -> &mut Server {
        self.driver.machine_mut()
    }

    async fn event<H: Handler>(
        &mut self,
        event: Event,
        handler: &mut H,
    ) -> Result<(), SessionEnd<CloseReason>> {
        let answered = match event {
            Event::Hello { host, .. } => {
                self.session.helo = Some(host.to_string());
                Ok(())
            }
            Event::MailRequested {
                reverse_path,
                parameters,
            } => {
                self.body_error = None;
                match handler
                    .mail(&self.session, &reverse_path, &parameters)
                    .await
                {
                    Ok(()) => {
                        self.in_transaction = true;
                        self.machine().accept_sender()
                    }
                    Err(r) => self.machine().reject_sender(r),
                }
            }
            Event::RecipientRequested {
                forward_path,
                parameters,
            } => match handler
                .rcpt(&self.session, &forward_path, &parameters)
                .await
            {
                Ok(()) => self.machine().accept_recipient(),
                Err(r) => self.machine().reject_recipient(r),
            },
            Event::BodyChunk { data } => {
                if self.body_error.is_none()
                    && let Err(r) = handler.body(&data).await
                {
                    self.body_error = Some(r);
                }
                Ok(())
            }
            Event::MessageReceived { recipients, .. } => {
                self.in_transaction = false;
                let verdict = match self.body_error.take() {
                    Some(r) => {
                        handler.reset().await;
                        MessageVerdict::Reject(r)
                    }
                    None => handler.message(&self.session).await,
                };
                self.verdict(verdict, recipients)
            }
            Event::MessageAborted { .. } | Event::Reset => {
                if std::mem::take(&mut self.in_transaction) {
                    handler.reset().await;
                }
                Ok(())
            }
            Event::Sasl(
                mailwire_sasl::Event::CredentialsNeeded {
                    mechanism, authcid, ..
                }
                | mailwire_sasl::Event::PasswordReceived {
                    mechanism, authcid, ..
                },
            ) => {
                let stored = handler
                    .credentials(&self.session, &mechanism, &authcid)
                    .await;
                self.machine().sasl_credentials(stored)
            }
            Event::Sasl(_) => self.machine().sasl_verdict(Verdict::Reject),
            Event::AuthSucceeded { authcid, authzid } => {
                if authzid.as_ref().is_some_and(|z| *z != authcid) {
                    self.machine().reject_auth(reply(
                        ReplyCode::AUTH_INVALID,
                        EnhancedCode::AUTH_INVALID,
                        "Not authorized to act as that identity",
                    ))
                } else {
                    self.session.authenticated = Some(authcid.clone());
                    tracing::debug!(user = %authcid, "authenticated");
                    self.machine().auth_succeeded(&authcid)
                }
            }
            Event::TlsRequested => {
                self.session.tls = self.driver.stream().is_tls();
                if let Some(description) = self.driver.stream().tls_description() {
                    tracing::debug!(tls = %description, "STARTTLS");
                }
                Ok(())
            }
            Event::Closed { reason } => {
                self.end = Some(SessionEnd::Closed(reason));
                Ok(())
            }
            _ => Ok(()),
        };
        answered.map_err(|e| SessionEnd::AnswerRefused(e.to_string()))
    }

    fn verdict(
        &mut self,
        verdict: MessageVerdict,
        recipients: usize,
    ) -> Result<(), mailwire_smtp::Error> {
        let lmtp = self.mode == ServerMode::Lmtp;
        let failed = reply(
            ReplyCode::LOCAL_ERROR,
            EnhancedCode::TEMPORARY_SYSTEM_ERROR,
            "Local error in processing",
        );
        match verdict {
            MessageVerdict::Accept => {
                self.session.messages = self.session.messages.saturating_add(1);
                self.machine().accept_message()
            }
            MessageVerdict::Reject(r) => self.machine().reject_message(r),
            MessageVerdict::PerRecipient(replies) if lmtp && replies.len() == recipients => {
                if replies.iter().any(|r| r.code().is_positive_completion()) {
                    self.session.messages = self.session.messages.saturating_add(1);
                }
                self.machine().answer_recipients(replies)
            }
            MessageVerdict::PerRecipient(_) => self.machine().reject_message(failed),
        }
    }
}
