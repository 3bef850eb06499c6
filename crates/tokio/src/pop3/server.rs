//! The POP3 server front end: [`serve`] accepts connections and runs one
//! [`mailwire_pop3::server::Server`] machine per connection through the
//! [`Driver`], asking a [`Handler`] for stored credentials, the maildrop,
//! each message and the deletions.
//!
//! Passwords are checked here, never by the handler: `USER`/`PASS` and
//! SASL `AUTH` ([RFC 5034]) both run through [`mailwire_sasl`], which
//! compares in constant time against what [`Handler::credentials`]
//! returns. `APOP` is refused: it needs a timestamp unique to each
//! connection and a password stored in plaintext.
//!
//! Messages are read from the handler's `AsyncRead` and written out piece
//! by piece, dot-stuffed by the machine, so memory stays bounded whatever
//! the message size.
//!
//! [RFC 5034]: https://www.rfc-editor.org/rfc/rfc5034
//!
//! # Example
//!
//! A server with one user and one message kept in memory:
//!
//! ```no_run
//! use std::sync::Arc;
//! use mailwire_pop3::server::{MessageInfo, ServerConfig};
//! use mailwire_pop3::{Response, UniqueId};
//! use mailwire_sasl::{Mechanism, StoredCredentials};
//! use mailwire_tokio::pop3::server::{serve, Handler, ServerOptions, Session};
//!
//! const MESSAGE: &[u8] = b"Subject: hi\r\n\r\nHello\r\n";
//!
//! struct OneMessage;
//!
//! impl Handler for OneMessage {
//!     type Message = &'static [u8];
//!     async fn credentials(&mut self, _: &Session, _: &Mechanism, user: &str)
//!         -> Option<StoredCredentials> {
//!         (user == "alice").then(|| StoredCredentials::Password("secret".to_owned().into()))
//!     }
//!     async fn open_maildrop(&mut self, _: &Session, _: &str) -> Result<Vec<MessageInfo>, Response> {
//!         Ok(vec![MessageInfo { size: MESSAGE.len() as u64, uid: UniqueId::new("m1").unwrap() }])
//!     }
//!     async fn message(&mut self, _: &Session, _: u32) -> std::io::Result<&'static [u8]> {
//!         Ok(MESSAGE)
//!     }
//!     async fn commit_deletions(&mut self, _: &Session, _: &[u32]) -> std::io::Result<()> {
//!         Ok(())
//!     }
//! }
//!
//! # async fn run() -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:1110").await?;
//! let mut config = ServerConfig::new();
//! config.plaintext_requires_tls = false; // loopback only
//! config.sasl_mechanisms = vec![Mechanism::SCRAM_SHA_256, Mechanism::PLAIN];
//! serve(listener, Arc::new(ServerOptions::new(config)), |_| OneMessage, std::future::pending()).await
//! # }
//! ```

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use mailwire_pop3::server::{CloseReason, Event, Maildrop, MessageInfo, Server, ServerConfig};
use mailwire_pop3::{Response, ResponseCode, Status};
use mailwire_sasl::{Mechanism, StoredCredentials, Verdict};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tracing::Instrument as _;

use crate::pump::PumpError;
use crate::{Driver, MaybeTls, SessionEnd};

/// How large a piece of a message is read at a time.
const MESSAGE_PIECE: usize = 64 * 1024;

/// What the handler knows about the session it serves.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Session {
    /// A number that identifies the session in logs.
    pub id: u64,
    /// The client's address, if known.
    pub peer: Option<SocketAddr>,
    /// TLS is active.
    pub tls: bool,
    /// The user whose maildrop is open.
    pub user: Option<String>,
    /// Messages sent with `RETR` or `TOP`.
    pub retrieved: u64,
    /// Messages removed after `QUIT`.
    pub deleted: u64,
}

impl Session {
    /// A session before the greeting.
    ///
    /// ```
    /// let session = mailwire_tokio::pop3::server::Session::new(1, None);
    /// assert!(session.user.is_none());
    /// ```
    pub fn new(id: u64, peer: Option<SocketAddr>) -> Self {
        Self {
            id,
            peer,
            tls: false,
            user: None,
            retrieved: 0,
            deleted: 0,
        }
    }
}

/// The application's side of a server session: one value per connection.
///
/// The maildrop is the handler's: it locks it in
/// [`open_maildrop`](Handler::open_maildrop), serves its messages, removes
/// the ones marked with `DELE` in
/// [`commit_deletions`](Handler::commit_deletions) (only after `QUIT`) and
/// releases the lock in [`close`](Handler::close), which runs however the
/// session ends.
pub trait Handler: Send {
    /// A message's content, as [`message`](Handler::message) returns it.
    type Message: AsyncRead + Unpin + Send;

    /// What is stored for `user`, `None` for an unknown user. `mechanism`
    /// is `PLAIN` for `USER`/`PASS`. `CRAM-MD5` needs
    /// [`StoredCredentials::Password`], `SCRAM-*`
    /// [`StoredCredentials::Scram`] with keys of its hash; `PLAIN` and
    /// `LOGIN` take either.
    fn credentials(
        &mut self,
        session: &Session,
        mechanism: &Mechanism,
        user: &str,
    ) -> impl Future<Output = Option<StoredCredentials>> + Send;

    /// `user` logged in: lock the maildrop and list it (message `n` is
    /// entry `n - 1`; sizes as sent, with CRLF line endings), or refuse
    /// with a response such as `-ERR [IN-USE]`.
    fn open_maildrop(
        &mut self,
        session: &Session,
        user: &str,
    ) -> impl Future<Output = Result<Vec<MessageInfo>, Response>> + Send;

    /// The content of message `number` (1-based) for `RETR` or `TOP`; the
    /// machine writes every line ending as CRLF, dot-stuffs, and cuts for
    /// `TOP`.
    fn message(
        &mut self,
        session: &Session,
        number: u32,
    ) -> impl Future<Output = io::Result<Self::Message>> + Send;

    /// After `QUIT`: remove these messages (1-based, ascending). An error
    /// answers `-ERR [SYS/TEMP]`.
    fn commit_deletions(
        &mut self,
        session: &Session,
        messages: &[u32],
    ) -> impl Future<Output = io::Result<()>> + Send;

    /// The session ended: release the maildrop lock.
    fn close(&mut self, session: &Session) -> impl Future<Output = ()> + Send {
        let _ = session;
        async {}
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
/// Each session is logged on one line (target `mailwire_tokio::pop3`) when
/// it ends. At most [`ServerOptions::max_sessions`] run at once; sessions
/// still running when `shutdown` completes are dropped, which deletes
/// nothing.
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
            let session = Session::new(id, Some(peer));
            let mut handler = make_handler(&session);
            let options = options.clone();
            async move {
                let summary = accept_and_serve(socket, &options, session, &mut handler).await;
                log_summary(&summary);
            }
            .instrument(tracing::info_span!("pop3", session = id))
        },
    )
    .await
}

fn log_summary(summary: &SessionSummary) {
    let s = &summary.session;
    let peer = s.peer.map(|p| p.to_string()).unwrap_or_default();
    tracing::info!(
        target: "mailwire_tokio::pop3",
        session = s.id,
        %peer,
        tls = s.tls,
        user = s.user.as_deref().unwrap_or(""),
        retrieved = s.retrieved,
        deleted = s.deleted,
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

/// Serves one connection to its end with `handler`, then calls
/// [`Handler::close`].
///
/// `stream` is plaintext, or TLS already (implicit TLS); `STLS` is offered
/// when [`ServerOptions::tls`] is set and `config.stls` is on.
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
        config.stls = config.stls && upgrade.is_some();
    }
    #[cfg(not(feature = "tls"))]
    {
        config.stls = false;
    }
    let driver = Driver::new(Server::new(config, crate::driver::now()), stream);
    #[cfg(feature = "tls")]
    let driver = match upgrade {
        Some(upgrade) => driver.with_tls_upgrade(upgrade),
        None => driver,
    };
    let mut run = Run {
        driver,
        session,
        end: None,
    };
    let end = run.run(handler).await;
    handler.close(&run.session).await;
    SessionSummary {
        session: run.session,
        end,
    }
}

struct Run<S> {
    driver: Driver<Server, S>,
    session: Session,
    end: Option<SessionEnd<CloseReason>>,
}

fn err_response(code: Option<ResponseCode>, text: &'static str) -> Response {
    Response::new_static(Status::Err, code, text)
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
                self.driver.shutdown().await;
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
            Event::AuthenticateUser { user, password } => {
                let stored = handler
                    .credentials(&self.session, &Mechanism::PLAIN, &user)
                    .await;
                let matches = stored.is_some_and(|stored| {
                    mailwire_sasl::verify_password(password.expose_secret(), &stored)
                });
                if matches {
                    self.machine().accept_login()
                } else {
                    tracing::debug!(%user, "USER/PASS refused");
                    self.machine().reject_login()
                }
            }
            Event::ApopRequested { .. } => self.machine().reject_login(),
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
            Event::MaildropRequested { user, authzid } => {
                if authzid.as_ref().is_some_and(|z| *z != user) {
                    self.machine().reject_maildrop(err_response(
                        Some(ResponseCode::AUTH),
                        "Not authorized to act as that identity",
                    ))
                } else {
                    match handler.open_maildrop(&self.session, &user).await {
                        Ok(messages) => {
                            tracing::debug!(%user, messages = messages.len(), "maildrop open");
                            self.session.user = Some(user);
                            self.machine().open_maildrop(Maildrop::new(messages))
                        }
                        Err(response) => self.machine().reject_maildrop(response),
                    }
                }
            }
            Event::MessageRequested { message, .. } => {
                return self.send_message(message, handler).await;
            }
            Event::CommitDeletions { messages } => {
                match handler.commit_deletions(&self.session, &messages).await {
                    Ok(()) => {
                        self.session.deleted = messages.len() as u64;
                        self.machine().deletions_committed()
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "deletions failed");
                        self.machine().deletions_failed()
                    }
                }
            }
            Event::TlsRequested => {
                self.session.tls = self.driver.stream().is_tls();
                if let Some(description) = self.driver.stream().tls_description() {
                    tracing::debug!(tls = %description, "STLS");
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

    /// Streams message `number`: each piece read from the handler goes to
    /// the socket before the next one is read.
    async fn send_message<H: Handler>(
        &mut self,
        number: u32,
        handler: &mut H,
    ) -> Result<(), SessionEnd<CloseReason>> {
        let refused = |e: mailwire_pop3::Error| SessionEnd::AnswerRefused(e.to_string());
        let mut reader = match handler.message(&self.session, number).await {
            Ok(reader) => reader,
            Err(e) => {
                tracing::warn!(message = number, error = %e, "message unavailable");
                return self
                    .machine()
                    .message_unavailable(err_response(
                        Some(ResponseCode::SYS_TEMP),
                        "Message unavailable",
                    ))
                    .map_err(refused);
            }
        };
        crate::pump::pump(
            &mut self.driver,
            &mut reader,
            MESSAGE_PIECE,
            Server::send_message_chunk,
        )
        .await
        .map_err(|e| match e {
            PumpError::Read(e) => SessionEnd::Application(format!("reading message {number}: {e}")),
            PumpError::Machine(e) => refused(e),
            PumpError::Send(e) => SessionEnd::Driver(format!("sending message {number}: {e}")),
        })?;
        self.session.retrieved = self.session.retrieved.saturating_add(1);
        self.machine().finish_message().map_err(refused)
    }
}
