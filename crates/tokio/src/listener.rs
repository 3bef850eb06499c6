//! The accept loop and the connection prelude (implicit TLS with a
//! handshake timeout) shared by the server front ends.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};

use crate::{MaybeTls, SessionEnd};

/// Session ids, unique across every listener of the process.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Accepts connections on `listener` until `shutdown` completes and runs the
/// future `start` makes for each (given the socket, the peer and a session
/// id) as its own task.
///
/// At most `max_sessions` sessions run at once: the loop stops accepting
/// while the limit is reached, so a flood waits in the kernel's backlog
/// instead of in memory. Errors about one connection are skipped; others
/// (out of file descriptors) are retried after a pause. Sessions still
/// running when `shutdown` completes are dropped.
pub(crate) async fn accept_loop<S, F>(
    listener: TcpListener,
    max_sessions: usize,
    shutdown: impl Future<Output = ()>,
    mut start: S,
) -> io::Result<()>
where
    S: FnMut(TcpStream, SocketAddr, u64) -> F,
    F: Future<Output = ()> + Send + 'static,
{
    let limit = Arc::new(tokio::sync::Semaphore::new(max_sessions.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = limit.clone().acquire_owned() => permit.map_err(io::Error::other)?,
            () = &mut shutdown => break,
        };
        let (socket, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) if is_per_connection(&e) => {
                    tracing::debug!(error = %e, "accept");
                    continue;
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait, then retry.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = socket.set_nodelay(true);
        let session = start(socket, peer, NEXT_ID.fetch_add(1, Ordering::Relaxed));
        tasks.spawn(async move {
            let _permit = permit;
            session.await;
        });
        // Reap finished sessions so the set does not grow.
        while tasks.try_join_next().is_some() {}
    }
    tasks.shutdown().await;
    Ok(())
}

fn is_per_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
    )
}

/// How a front end opens an accepted connection.
pub(crate) struct Prelude<'a> {
    /// The TLS configuration, if any.
    #[cfg(feature = "tls")]
    pub(crate) tls: Option<&'a tokio_rustls::TlsAcceptor>,
    /// TLS from the first byte.
    pub(crate) implicit_tls: bool,
    /// How long the implicit TLS handshake may take.
    pub(crate) handshake_timeout: Duration,
    #[cfg(not(feature = "tls"))]
    pub(crate) options: std::marker::PhantomData<&'a ()>,
}

impl Prelude<'_> {
    /// The stream to serve: the socket itself, or TLS over it once the
    /// implicit handshake is done. Without the `tls` feature every
    /// connection is plaintext.
    pub(crate) async fn open<R>(
        &self,
        socket: TcpStream,
    ) -> Result<MaybeTls<TcpStream>, SessionEnd<R>> {
        #[cfg(feature = "tls")]
        if self.implicit_tls {
            let Some(acceptor) = self.tls else {
                return Err(SessionEnd::TlsNotConfigured);
            };
            let handshake = MaybeTls::accept(acceptor, socket);
            return match tokio::time::timeout(self.handshake_timeout, handshake).await {
                Ok(Ok(stream)) => Ok(stream),
                Ok(Err(e)) => Err(SessionEnd::TlsHandshakeFailed(e.to_string())),
                Err(_) => Err(SessionEnd::TlsHandshakeTimedOut),
            };
        }
        #[cfg(not(feature = "tls"))]
        let _ = (self.implicit_tls, self.handshake_timeout);
        Ok(MaybeTls::Plain(socket))
    }
}

/// How a server front end runs: the machine's configuration `C`, TLS and
/// connection limits. The SMTP and POP3 front ends name it
/// `ServerOptions` with their machine's configuration.
#[derive(Clone)]
#[non_exhaustive]
pub struct ServerOptions<C> {
    /// The machine's configuration. STARTTLS/STLS is only honoured with
    /// [`tls`](Self::tls) set; `tls_active` is set for each connection.
    pub config: C,
    /// The TLS configuration for STARTTLS/STLS, or for every connection with
    /// [`implicit_tls`](Self::implicit_tls).
    #[cfg(feature = "tls")]
    pub tls: Option<tokio_rustls::TlsAcceptor>,
    /// TLS from the first byte ([RFC 8314]: ports 465, 995).
    ///
    /// [RFC 8314]: https://www.rfc-editor.org/rfc/rfc8314
    pub implicit_tls: bool,
    /// The most sessions served at once; further connections wait in the
    /// listen queue. Default 4096.
    pub max_sessions: usize,
    /// How long the implicit TLS handshake may take. Default 30 s.
    pub handshake_timeout: Duration,
}

impl<C> ServerOptions<C> {
    /// Options for `config`, without TLS.
    ///
    /// ```
    /// // Any protocol's configuration; the SMTP one here.
    /// use mailwire_smtp::{Domain, server::ServerConfig};
    /// let config = ServerConfig::new(Domain::try_from("example.org").unwrap());
    /// let options = mailwire_tokio::ServerOptions::new(config);
    /// assert_eq!(options.max_sessions, 4096);
    /// assert!(!options.implicit_tls);
    /// ```
    pub fn new(config: C) -> Self {
        Self {
            config,
            #[cfg(feature = "tls")]
            tls: None,
            implicit_tls: false,
            max_sessions: 4096,
            handshake_timeout: Duration::from_secs(30),
        }
    }

    pub(crate) fn prelude(&self) -> Prelude<'_> {
        Prelude {
            #[cfg(feature = "tls")]
            tls: self.tls.as_ref(),
            implicit_tls: self.implicit_tls,
            handshake_timeout: self.handshake_timeout,
            #[cfg(not(feature = "tls"))]
            options: std::marker::PhantomData,
        }
    }
}

impl<C: std::fmt::Debug> std::fmt::Debug for ServerOptions<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("ServerOptions");
        d.field("config", &self.config);
        #[cfg(feature = "tls")]
        d.field("tls", &self.tls.is_some());
        d.field("implicit_tls", &self.implicit_tls)
            .field("max_sessions", &self.max_sessions)
            .field("handshake_timeout", &self.handshake_timeout)
            .finish_non_exhaustive()
    }
}
