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
