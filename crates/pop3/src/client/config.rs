//! Client configuration.

use mailwire_core::dot::BareNewline;

use crate::limits::ClientLimits;

/// Client configuration.
///
/// ```
/// use mailwire_pop3::client::ClientConfig;
/// let config = ClientConfig::new();
/// assert!(config.pipelining);
/// assert!(!config.allow_plaintext_without_tls);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ClientConfig {
    /// Limits and timers.
    pub limits: ClientLimits,
    /// Pipeline commands when the server announces `PIPELINING` in its
    /// `CAPA` answer ([RFC 2449 §6.6]). Default `true`.
    ///
    /// [RFC 2449 §6.6]: https://www.rfc-editor.org/rfc/rfc2449#section-6.6
    pub pipelining: bool,
    /// The connection is already TLS (port 995).
    pub tls_active: bool,
    /// Send `USER`/`PASS` and plaintext SASL mechanisms without TLS.
    /// Default `false`: a password sent in clear over a connection an
    /// attacker stripped of TLS is lost ([RFC 2595 §2.2]).
    ///
    /// [RFC 2595 §2.2]: https://www.rfc-editor.org/rfc/rfc2595#section-2.2
    pub allow_plaintext_without_tls: bool,
    /// What to do with a bare CR or LF in a multi-line body. Default
    /// [`BareNewline::Normalize`] (written as CRLF): mail stores hold such
    /// messages. [`BareNewline::Reject`] makes it a fatal error.
    pub bare_newline: BareNewline,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientConfig {
    /// The defaults: pipelining when offered, no plaintext passwords
    /// without TLS.
    pub fn new() -> Self {
        Self {
            limits: ClientLimits::default(),
            pipelining: true,
            tls_active: false,
            allow_plaintext_without_tls: false,
            bare_newline: BareNewline::Normalize,
        }
    }
}
