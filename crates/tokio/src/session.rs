//! How a served session ended: one type for every server front end.

use std::fmt;

/// Why a session served by a front end ended, for the caller's log and
/// metrics. `R` is the protocol machine's close reason (SMTP's or POP3's
/// `CloseReason`).
///
/// Its `Display` is the one-word or one-line form the session log prints.
///
/// ```
/// use mailwire_tokio::SessionEnd;
/// #[derive(Debug)]
/// enum Reason { Quit }
/// assert_eq!(SessionEnd::Closed(Reason::Quit).to_string(), "Quit");
/// assert_eq!(SessionEnd::<Reason>::TlsHandshakeTimedOut.to_string(), "TLS handshake timed out");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionEnd<R> {
    /// The machine ended the session (QUIT, a timeout, too many errors ...).
    Closed(R),
    /// The connection ended without the machine reporting why.
    ConnectionClosed,
    /// Implicit TLS was asked for, but no TLS configuration was given.
    TlsNotConfigured,
    /// The implicit TLS handshake failed.
    TlsHandshakeFailed(String),
    /// The implicit TLS handshake took longer than the options allow.
    TlsHandshakeTimedOut,
    /// The driver stopped: I/O, a fatal protocol error, a stall.
    Driver(String),
    /// The machine refused the application's answer to an event.
    AnswerRefused(String),
    /// The application failed mid-answer (its message store could not be
    /// read).
    Application(String),
}

impl<R: fmt::Debug> fmt::Display for SessionEnd<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionEnd::Closed(reason) => write!(f, "{reason:?}"),
            SessionEnd::ConnectionClosed => f.write_str("closed"),
            SessionEnd::TlsNotConfigured => f.write_str("implicit TLS without a TLS configuration"),
            SessionEnd::TlsHandshakeFailed(e) => write!(f, "TLS handshake failed: {e}"),
            SessionEnd::TlsHandshakeTimedOut => f.write_str("TLS handshake timed out"),
            SessionEnd::Driver(e) => f.write_str(e),
            SessionEnd::AnswerRefused(e) => write!(f, "application answer refused: {e}"),
            SessionEnd::Application(e) => f.write_str(e),
        }
    }
}
