//! Server configuration: what is offered, and the limits.

use mailwire_sasl::Mechanism;

use crate::limits::ServerLimits;
use crate::types::capability::Capability;
use crate::types::command::Argument;
use crate::types::response::{Language, Text};

/// Server configuration: what is offered, and the limits.
///
/// ```
/// use mailwire_pop3::server::ServerConfig;
/// use mailwire_sasl::Mechanism;
///
/// let mut config = ServerConfig::new();
/// config.stls = true;
/// config.sasl_mechanisms = vec![Mechanism::SCRAM_SHA_256, Mechanism::PLAIN];
/// config.apop_timestamp = Some("<1896.697170952@dbc.mtview.ca.us>".into());
/// assert!(config.plaintext_requires_tls);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServerConfig {
    /// Limits and timers.
    pub limits: ServerLimits,
    /// The greeting text, before the APOP timestamp.
    pub greeting: Text,
    /// The APOP timestamp for this connection, `<process-ID.clock@hostname>`
    /// ([RFC 1939 §7]): unique per connection, so the caller makes it.
    /// `None` turns `APOP` off.
    ///
    /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
    pub apop_timestamp: Option<String>,
    /// Offer `STLS` ([RFC 2595 §4]); the driver must be able to run TLS.
    ///
    /// [RFC 2595 §4]: https://www.rfc-editor.org/rfc/rfc2595#section-4
    pub stls: bool,
    /// The connection is already TLS (port 995, [RFC 8314]).
    ///
    /// [RFC 8314]: https://www.rfc-editor.org/rfc/rfc8314
    pub tls_active: bool,
    /// Accept `USER`/`PASS`. Default `true`.
    pub user_pass: bool,
    /// `USER`/`PASS` and plaintext SASL mechanisms only under TLS ([RFC 2595
    /// §2.2]). Default `true`.
    ///
    /// [RFC 2595 §2.2]: https://www.rfc-editor.org/rfc/rfc2595#section-2.2
    pub plaintext_requires_tls: bool,
    /// SASL mechanisms offered with `AUTH` ([RFC 5034]); empty: no `AUTH`.
    ///
    /// [RFC 5034]: https://www.rfc-editor.org/rfc/rfc5034
    pub sasl_mechanisms: Vec<Mechanism>,
    /// What the SASL mechanisms need to know about the connection (channel
    /// binding, external identity, host name).
    pub sasl: mailwire_sasl::ServerConfig,
    /// Offer `PIPELINING` ([RFC 2449 §6.6]). Default `true`.
    ///
    /// [RFC 2449 §6.6]: https://www.rfc-editor.org/rfc/rfc2449#section-6.6
    pub pipelining: bool,
    /// Offer `UTF8 USER` ([RFC 6856 §2]). Default `true`.
    ///
    /// [RFC 6856 §2]: https://www.rfc-editor.org/rfc/rfc6856#section-2
    pub utf8: bool,
    /// The languages `LANG` lists ([RFC 6856 §3]); the first is the
    /// default. Empty: no `LANG`. Default: `en English`. The machine's own
    /// texts are English; other languages are the application's to offer.
    ///
    /// [RFC 6856 §3]: https://www.rfc-editor.org/rfc/rfc6856#section-3
    pub languages: Vec<Language>,
    /// The `IMPLEMENTATION` text ([RFC 2449 §6.9]), if any.
    ///
    /// [RFC 2449 §6.9]: https://www.rfc-editor.org/rfc/rfc2449#section-6.9
    pub implementation: Option<Text>,
    /// More capabilities to announce as they are, such as `EXPIRE` or
    /// `LOGIN-DELAY` ([RFC 2449 §6.5], §6.7), whose policy is the
    /// application's.
    ///
    /// [RFC 2449 §6.5]: https://www.rfc-editor.org/rfc/rfc2449#section-6.5
    pub extra_capabilities: Vec<Capability>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl ServerConfig {
    /// `USER`/`PASS` under TLS only, no STLS, no AUTH, no APOP.
    pub fn new() -> Self {
        let english = Language {
            tag: Argument::from_static("en"),
            description: Some(Text::new_static("English")),
        };
        Self {
            limits: ServerLimits::default(),
            greeting: Text::new_static("POP3 server ready"),
            apop_timestamp: None,
            stls: false,
            tls_active: false,
            user_pass: true,
            plaintext_requires_tls: true,
            sasl_mechanisms: Vec::new(),
            sasl: mailwire_sasl::ServerConfig::new(),
            pipelining: true,
            utf8: true,
            languages: vec![english],
            implementation: None,
            extra_capabilities: Vec::new(),
        }
    }
}
