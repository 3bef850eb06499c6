//! Server configuration: identity, mode, extensions offered and limits.

use mailwire_core::dot::BareNewline;

use crate::limits::Limits;
use crate::types::auth::Mechanism;
use crate::types::path::Domain;

/// What kind of service the server offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ServerMode {
    /// Message relay ([RFC 5321]).
    ///
    /// [RFC 5321]: https://www.rfc-editor.org/rfc/rfc5321
    #[default]
    Smtp,
    /// Message submission ([RFC 6409]): `MAIL` before `AUTH` gets
    /// `530 5.7.0`.
    ///
    /// [RFC 6409]: https://www.rfc-editor.org/rfc/rfc6409
    Submission,
    /// LMTP ([RFC 2033]): `LHLO`, and one reply per accepted recipient after
    /// the message.
    ///
    /// [RFC 2033]: https://www.rfc-editor.org/rfc/rfc2033
    Lmtp,
}

/// Server configuration: identity, mode, extensions offered and limits.
///
/// ```
/// use mailwire_smtp::server::{ServerConfig, ServerMode};
/// use mailwire_smtp::{Domain, Mechanism};
/// let mut config = ServerConfig::new(Domain::try_from("submit.example.org").unwrap());
/// config.mode = ServerMode::Submission;
/// config.starttls = true;
/// config.auth_mechanisms = vec![Mechanism::PLAIN];
/// assert!(config.auth_requires_tls);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServerConfig {
    /// The server's name, in the greeting and the EHLO reply.
    pub hostname: Domain<'static>,
    /// Relay, submission or LMTP.
    pub mode: ServerMode,
    /// Limits and timeouts.
    pub limits: Limits,
    /// Offer `STARTTLS` ([RFC 3207]); the driver must be able to run TLS.
    ///
    /// [RFC 3207]: https://www.rfc-editor.org/rfc/rfc3207
    pub starttls: bool,
    /// The connection is already TLS (implicit TLS, [RFC 8314]).
    ///
    /// [RFC 8314]: https://www.rfc-editor.org/rfc/rfc8314
    pub tls_active: bool,
    /// `MAIL` before STARTTLS gets `530 5.7.0`.
    pub require_tls: bool,
    /// SASL mechanisms offered with `AUTH` ([RFC 4954]); empty: no AUTH.
    ///
    /// [RFC 4954]: https://www.rfc-editor.org/rfc/rfc4954
    pub auth_mechanisms: Vec<Mechanism<'static>>,
    /// How the SASL exchanges of `AUTH` run (host name, channel binding
    /// data, the key for unknown SCRAM users). Default: this server's host
    /// name.
    pub sasl: mailwire_sasl::ServerConfig,
    /// Offer AUTH only under TLS. Default `true`.
    pub auth_requires_tls: bool,
    /// What to do with a bare CR or LF in a body, and a bare LF ending a
    /// command: reject with `500 5.5.2` (default) or normalise to CRLF
    /// (Postfix's `smtpd_forbid_bare_newline`). A bare CR inside a command
    /// is always an error.
    pub bare_newline: BareNewline,
    /// Offer `PIPELINING` ([RFC 2920]). Default `true`.
    ///
    /// [RFC 2920]: https://www.rfc-editor.org/rfc/rfc2920
    pub pipelining: bool,
    /// Offer `8BITMIME` ([RFC 6152]). Default `true`.
    ///
    /// [RFC 6152]: https://www.rfc-editor.org/rfc/rfc6152
    pub eight_bit_mime: bool,
    /// Offer `SMTPUTF8` ([RFC 6531]). Default `true`.
    ///
    /// [RFC 6531]: https://www.rfc-editor.org/rfc/rfc6531
    pub smtputf8: bool,
    /// Offer `CHUNKING` and `BINARYMIME` ([RFC 3030]). Default `true`.
    ///
    /// [RFC 3030]: https://www.rfc-editor.org/rfc/rfc3030
    pub chunking: bool,
    /// Offer `DSN` ([RFC 3461]). Default `true`.
    ///
    /// [RFC 3461]: https://www.rfc-editor.org/rfc/rfc3461
    pub dsn: bool,
    /// Offer `REQUIRETLS` under TLS ([RFC 8689 §2]). Default `true`.
    ///
    /// [RFC 8689 §2]: https://www.rfc-editor.org/rfc/rfc8689#section-2
    pub requiretls: bool,
    /// Pass `MAIL`/`RCPT` parameters this crate does not know to the
    /// application instead of answering `555 5.5.4`. Default `false`.
    pub allow_unknown_parameters: bool,
}

impl ServerConfig {
    /// A relay configuration with every extension on, no TLS and no AUTH.
    pub fn new(hostname: Domain<'static>) -> Self {
        let sasl = mailwire_sasl::ServerConfig::new().with_hostname(hostname.as_str());
        Self {
            hostname,
            mode: ServerMode::Smtp,
            limits: Limits::default(),
            starttls: false,
            tls_active: false,
            require_tls: false,
            auth_mechanisms: Vec::new(),
            sasl,
            auth_requires_tls: true,
            bare_newline: BareNewline::Reject,
            pipelining: true,
            eight_bit_mime: true,
            smtputf8: true,
            chunking: true,
            dsn: true,
            requiretls: true,
            allow_unknown_parameters: false,
        }
    }
}
