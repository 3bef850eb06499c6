//! Client configuration and the envelope of a message.

use crate::limits::Limits;
use crate::types::auth::Mechanism;
use crate::types::parameter::{MailParameters, RcptParameters};
use crate::types::path::{ForwardPath, Host, ReversePath};

/// When to use STARTTLS ([RFC 3207]).
///
/// [RFC 3207]: https://www.rfc-editor.org/rfc/rfc3207
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum TlsPolicy {
    /// Never.
    Disabled,
    /// When the server offers it (the default).
    #[default]
    Opportunistic,
    /// Always: a server without STARTTLS, or one that refuses it, ends the
    /// session.
    Required,
}

/// Client configuration.
///
/// ```
/// use mailwire_smtp::client::{ClientConfig, TlsPolicy};
/// use mailwire_smtp::{Host, Mechanism};
/// let mut config = ClientConfig::new(Host::try_from("client.example").unwrap());
/// config.tls = TlsPolicy::Required;
/// config.auth_mechanisms = vec![Mechanism::PLAIN, Mechanism::SCRAM_SHA_256];
/// assert!(config.pipelining);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ClientConfig {
    /// The name given with EHLO/HELO/LHLO.
    pub hostname: Host<'static>,
    /// Speak LMTP ([RFC 2033]): LHLO, and one reply per recipient.
    ///
    /// [RFC 2033]: https://www.rfc-editor.org/rfc/rfc2033
    pub lmtp: bool,
    /// STARTTLS policy.
    pub tls: TlsPolicy,
    /// The connection is already TLS (implicit TLS, [RFC 8314]).
    ///
    /// [RFC 8314]: https://www.rfc-editor.org/rfc/rfc8314
    pub tls_active: bool,
    /// SASL mechanisms the application can run; the strongest one the server
    /// also offers is used ([`Mechanism::rank`], the SASL crate's preference order). Empty: no AUTH.
    pub auth_mechanisms: Vec<Mechanism<'static>>,
    /// Pipeline commands when the server offers PIPELINING. Default `true`.
    pub pipelining: bool,
    /// Send bodies with BDAT when the server offers CHUNKING. Default `true`.
    pub chunking: bool,
    /// Limits and timeouts.
    pub limits: Limits,
}

impl ClientConfig {
    /// A configuration with opportunistic TLS, no AUTH, pipelining and
    /// chunking on.
    pub fn new(hostname: Host<'static>) -> Self {
        Self {
            hostname,
            lmtp: false,
            tls: TlsPolicy::Opportunistic,
            tls_active: false,
            auth_mechanisms: Vec::new(),
            pipelining: true,
            chunking: true,
            limits: Limits::default(),
        }
    }
}

/// A transaction's envelope: sender, recipients and their parameters.
///
/// ```
/// use mailwire_smtp::client::Envelope;
/// use mailwire_smtp::{ForwardPath, ReversePath};
/// let envelope = Envelope::new(ReversePath::Null, vec![ForwardPath::Postmaster]);
/// assert_eq!(envelope.recipients.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope<'a> {
    /// The sender.
    pub reverse_path: ReversePath<'a>,
    /// `MAIL` parameters. `SIZE` is dropped when the server does not offer
    /// it; `SMTPUTF8` is added when an address needs it.
    pub parameters: MailParameters<'a>,
    /// The recipients and their parameters, in order; events refer to them
    /// by index.
    pub recipients: Vec<(ForwardPath<'a>, RcptParameters<'a>)>,
}

impl<'a> Envelope<'a> {
    /// An envelope without parameters.
    pub fn new(reverse_path: ReversePath<'a>, recipients: Vec<ForwardPath<'a>>) -> Self {
        Self {
            reverse_path,
            parameters: MailParameters::default(),
            recipients: recipients
                .into_iter()
                .map(|r| (r, RcptParameters::default()))
                .collect(),
        }
    }

    /// Detaches the envelope from the buffers it borrows from.
    pub fn into_static(self) -> Envelope<'static> {
        Envelope {
            reverse_path: self.reverse_path.into_static(),
            parameters: self.parameters.into_static(),
            recipients: self
                .recipients
                .into_iter()
                .map(|(r, p)| (r.into_static(), p.into_static()))
                .collect(),
        }
    }
}
