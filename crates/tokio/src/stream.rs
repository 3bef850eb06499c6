//! [`MaybeTls`]: a connection that is plaintext or TLS, and can switch from
//! the first to the second in place (STARTTLS, [RFC 3207]).
//!
//! [RFC 3207]: https://www.rfc-editor.org/rfc/rfc3207

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// A connection that is either plaintext or TLS.
///
/// The driver holds one and replaces the plaintext stream by a TLS stream
/// over the same socket when the machine asks for STARTTLS; for implicit
/// TLS (ports 465, 993, 995) build it with [`MaybeTls::accept`] or
/// [`MaybeTls::connect`] before handing it to the driver.
///
/// ```
/// use mailwire_tokio::MaybeTls;
/// let (a, _b) = tokio::io::duplex(64);
/// let stream = MaybeTls::Plain(a);
/// assert!(!stream.is_tls());
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum MaybeTls<S> {
    /// No TLS (yet).
    Plain(S),
    /// TLS, server side.
    #[cfg(feature = "tls")]
    Server(Box<tokio_rustls::server::TlsStream<S>>),
    /// TLS, client side.
    #[cfg(feature = "tls")]
    Client(Box<tokio_rustls::client::TlsStream<S>>),
    /// A handshake failed half-way: the connection is unusable.
    Broken,
}

impl<S> MaybeTls<S> {
    /// `true` once TLS is active.
    pub fn is_tls(&self) -> bool {
        match self {
            MaybeTls::Plain(_) | MaybeTls::Broken => false,
            #[cfg(feature = "tls")]
            MaybeTls::Server(_) | MaybeTls::Client(_) => true,
        }
    }

    /// The protocol version and cipher suite in use, for logs
    /// (`"TLSv1.3 TLS13_AES_256_GCM_SHA384"`), or `None` without TLS.
    pub fn tls_description(&self) -> Option<String> {
        #[cfg(feature = "tls")]
        {
            let common: Option<&rustls::CommonState> = match self {
                MaybeTls::Server(s) => Some(s.get_ref().1),
                MaybeTls::Client(s) => Some(s.get_ref().1),
                _ => None,
            };
            let common = common?;
            let version = common
                .protocol_version()
                .and_then(|v| v.as_str())
                .unwrap_or("TLS");
            let suite = common
                .negotiated_cipher_suite()
                .and_then(|s| s.suite().as_str())
                .unwrap_or("");
            Some(format!("{version} {suite}"))
        }
        #[cfg(not(feature = "tls"))]
        {
            None
        }
    }
}

#[cfg(feature = "tls")]
impl<S: AsyncRead + AsyncWrite + Unpin> MaybeTls<S> {
    /// Runs the server side of a TLS handshake on `stream` (implicit TLS).
    ///
    /// # Errors
    ///
    /// The handshake failed.
    pub async fn accept(acceptor: &tokio_rustls::TlsAcceptor, stream: S) -> io::Result<Self> {
        Ok(MaybeTls::Server(Box::new(acceptor.accept(stream).await?)))
    }

    /// Runs the client side of a TLS handshake on `stream` (implicit TLS),
    /// verifying the server's certificate for `server_name`.
    ///
    /// # Errors
    ///
    /// The handshake failed or the certificate does not verify.
    pub async fn connect(
        connector: &tokio_rustls::TlsConnector,
        server_name: rustls_pki_types::ServerName<'static>,
        stream: S,
    ) -> io::Result<Self> {
        Ok(MaybeTls::Client(Box::new(
            connector.connect(server_name, stream).await?,
        )))
    }

    /// Upgrades a plaintext stream in place with `upgrade` (STARTTLS).
    ///
    /// # Errors
    ///
    /// The stream is already TLS, or the handshake failed; the stream is
    /// [`MaybeTls::Broken`] afterwards.
    pub(crate) async fn upgrade(&mut self, upgrade: &crate::TlsUpgrade) -> io::Result<()> {
        let MaybeTls::Plain(plain) = std::mem::replace(self, MaybeTls::Broken) else {
            return Err(io::Error::other(
                "STARTTLS on a connection that is not plaintext",
            ));
        };
        *self = match upgrade {
            crate::TlsUpgrade::Server(acceptor) => Self::accept(acceptor, plain).await?,
            crate::TlsUpgrade::Client {
                connector,
                server_name,
            } => Self::connect(connector, server_name.clone(), plain).await?,
        };
        Ok(())
    }
}

fn broken() -> io::Error {
    io::Error::new(io::ErrorKind::NotConnected, "TLS handshake failed earlier")
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for MaybeTls<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            MaybeTls::Plain(s) => Pin::new(s).poll_read(cx, buf),
            #[cfg(feature = "tls")]
            MaybeTls::Server(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            #[cfg(feature = "tls")]
            MaybeTls::Client(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            MaybeTls::Broken => Poll::Ready(Err(broken())),
        }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for MaybeTls<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            MaybeTls::Plain(s) => Pin::new(s).poll_write(cx, buf),
            #[cfg(feature = "tls")]
            MaybeTls::Server(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
            #[cfg(feature = "tls")]
            MaybeTls::Client(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
            MaybeTls::Broken => Poll::Ready(Err(broken())),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            MaybeTls::Plain(s) => Pin::new(s).poll_flush(cx),
            #[cfg(feature = "tls")]
            MaybeTls::Server(s) => Pin::new(s.as_mut()).poll_flush(cx),
            #[cfg(feature = "tls")]
            MaybeTls::Client(s) => Pin::new(s.as_mut()).poll_flush(cx),
            MaybeTls::Broken => Poll::Ready(Ok(())),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            MaybeTls::Plain(s) => Pin::new(s).poll_shutdown(cx),
            #[cfg(feature = "tls")]
            MaybeTls::Server(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            #[cfg(feature = "tls")]
            MaybeTls::Client(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            MaybeTls::Broken => Poll::Ready(Ok(())),
        }
    }
}
