//! The connection prelude shared by the client front ends: connecting with
//! a timeout, then implicit TLS ([RFC 8314]) and the upgrade used later by
//! STARTTLS/STLS.
//!
//! [RFC 8314]: https://www.rfc-editor.org/rfc/rfc8314

use std::io;
use std::time::Duration;

use tokio::net::{TcpStream, ToSocketAddrs};

/// Why the prelude failed; each front end turns it into its `ClientError`.
#[derive(Debug)]
pub(crate) enum PreludeError {
    /// Connecting or the TLS handshake failed.
    Io(io::Error),
    /// Connecting took too long.
    ConnectTimeout,
    /// TLS was needed but is not configured (or the host is not a valid
    /// certificate name).
    #[cfg_attr(not(feature = "tls"), allow(dead_code))]
    TlsUnavailable,
}

impl From<io::Error> for PreludeError {
    fn from(e: io::Error) -> Self {
        PreludeError::Io(e)
    }
}

/// Connects to `address` within `timeout`, with Nagle's algorithm off
/// (commands and replies are small and pipelined).
pub(crate) async fn connect(
    address: impl ToSocketAddrs,
    timeout: Duration,
) -> Result<TcpStream, PreludeError> {
    let socket = tokio::time::timeout(timeout, TcpStream::connect(address))
        .await
        .map_err(|_| PreludeError::ConnectTimeout)??;
    let _ = socket.set_nodelay(true);
    Ok(socket)
}

/// The stream to run the session on (TLS already, for implicit TLS) and the
/// upgrade for a later STARTTLS/STLS, if TLS is configured. `host` is the
/// name the certificate must carry.
#[cfg(feature = "tls")]
pub(crate) async fn open<S>(
    socket: S,
    host: &str,
    tls: Option<&tokio_rustls::TlsConnector>,
    implicit_tls: bool,
) -> Result<(crate::MaybeTls<S>, Option<crate::TlsUpgrade>), PreludeError>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let upgrade = match (tls, crate::tls::server_name(host)) {
        (Some(connector), Some(server_name)) => Some(crate::TlsUpgrade::Client {
            connector: connector.clone(),
            server_name,
        }),
        _ => None,
    };
    let stream = match (&upgrade, implicit_tls) {
        (
            Some(crate::TlsUpgrade::Client {
                connector,
                server_name,
            }),
            true,
        ) => crate::MaybeTls::connect(connector, server_name.clone(), socket).await?,
        (_, true) => return Err(PreludeError::TlsUnavailable),
        _ => crate::MaybeTls::Plain(socket),
    };
    Ok((stream, upgrade))
}
