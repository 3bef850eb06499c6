//! Mechanism negotiation: which mechanisms a server advertises, and which
//! one a client picks among them.
//!
//! Both sides follow [`PREFERENCE`], strongest first:
//!
//! 1. `SCRAM-SHA-256-PLUS`, `SCRAM-SHA-1-PLUS`: mutual authentication,
//!    bound to the TLS channel (RFC 5802 §6, RFC 7677);
//! 2. `EXTERNAL`: authentication already done by TLS (RFC 4422 App. A);
//! 3. `SCRAM-SHA-256`, `SCRAM-SHA-1`: mutual authentication, no password
//!    on the wire;
//! 4. `OAUTHBEARER`, `XOAUTH2`: short-lived bearer tokens (RFC 7628);
//! 5. `CRAM-MD5`: no password on the wire, but a weak digest and a
//!    plaintext password store (RFC 2195 §4);
//! 6. `PLAIN`, `LOGIN`: the password in clear (RFC 4616 §5);
//! 7. `ANONYMOUS` (RFC 4505), only ever chosen with anonymous credentials.
//!
//! A client's [`Credentials`] narrow the list further: a password cannot
//! drive `OAUTHBEARER`, and the `-PLUS` variants need channel binding data.
//!
//! RFC 9051 §6.2.2 requires servers to have a configuration that refuses
//! plaintext mechanisms without TLS; RFC 7628 §3 requires TLS for bearer
//! tokens. [`Policy`] does both, and clients should use it too: a client
//! that sends its password in clear over a connection an attacker stripped
//! of TLS has lost it.
//!
//! # Example
//!
//! ```
//! use mailwire_sasl::negotiate::{self, Policy};
//! use mailwire_sasl::{Credentials, Mechanism, ServerConfig};
//!
//! // The server advertises what its policy allows (SMTP: EHLO AUTH ...).
//! let supported = [Mechanism::PLAIN, Mechanism::SCRAM_SHA_256, Mechanism::LOGIN];
//! let advertised = negotiate::advertise(&supported, &Policy::new(false), &ServerConfig::new());
//! assert_eq!(advertised, [Mechanism::SCRAM_SHA_256]);
//!
//! // The client picks the strongest of them it can do.
//! let credentials = Credentials::password("user", "pencil");
//! let chosen = negotiate::select(&advertised, &credentials, &Policy::new(false));
//! assert_eq!(chosen, Some(Mechanism::SCRAM_SHA_256));
//! ```

use crate::{Credentials, Mechanism, ServerConfig};

/// The implemented mechanisms, strongest first (see the module docs).
pub const PREFERENCE: &[Mechanism] = Mechanism::IMPLEMENTED;

/// Which mechanisms a connection may use.
///
/// ```
/// use mailwire_sasl::{negotiate::Policy, Mechanism};
///
/// let policy = Policy::new(false);
/// assert!(!policy.permits(&Mechanism::PLAIN));
/// assert!(policy.allow_plaintext_without_tls(true).permits(&Mechanism::PLAIN));
/// assert!(Policy::new(true).permits(&Mechanism::PLAIN));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    tls: bool,
    allow_plaintext_without_tls: bool,
}

impl Policy {
    /// The default policy for a connection that is (`tls = true`) or is
    /// not protected by TLS: plaintext mechanisms only with TLS.
    ///
    /// ```
    /// let policy = mailwire_sasl::negotiate::Policy::new(true);
    /// # let _ = policy;
    /// ```
    pub fn new(tls: bool) -> Self {
        Policy {
            tls,
            allow_plaintext_without_tls: false,
        }
    }

    /// Allows plaintext mechanisms (see [`Mechanism::is_plaintext`])
    /// without TLS, for test setups and connections protected otherwise
    /// (RFC 9051 §6.2.2: "some other mechanism that protects the session").
    ///
    /// ```
    /// use mailwire_sasl::{negotiate::Policy, Mechanism};
    /// assert!(Policy::new(false).allow_plaintext_without_tls(true).permits(&Mechanism::LOGIN));
    /// ```
    pub fn allow_plaintext_without_tls(mut self, allow: bool) -> Self {
        self.allow_plaintext_without_tls = allow;
        self
    }

    /// Whether the policy allows `mechanism`.
    ///
    /// ```
    /// use mailwire_sasl::{negotiate::Policy, Mechanism};
    /// assert!(Policy::new(false).permits(&Mechanism::SCRAM_SHA_1));
    /// assert!(!Policy::new(false).permits(&Mechanism::XOAUTH2));
    /// ```
    pub fn permits(&self, mechanism: &Mechanism) -> bool {
        !mechanism.is_plaintext() || self.tls || self.allow_plaintext_without_tls
    }
}

/// The position of `mechanism` in [`PREFERENCE`]; unknown ones come last.
///
/// ```
/// use mailwire_sasl::{negotiate::rank, Mechanism};
/// assert!(rank(&Mechanism::SCRAM_SHA_256) < rank(&Mechanism::PLAIN));
/// assert_eq!(rank(&Mechanism::new("GSSAPI").unwrap()), usize::MAX);
/// ```
pub fn rank(mechanism: &Mechanism) -> usize {
    PREFERENCE
        .iter()
        .position(|m| m == mechanism)
        .unwrap_or(usize::MAX)
}

/// The mechanisms a server advertises (SMTP `250-AUTH`, POP3 `SASL`
/// capability, IMAP `AUTH=`), strongest first: those of `supported` that
/// `policy` allows and this crate implements, without the `-PLUS` variants
/// when `config` has no channel binding data (RFC 5802 §6).
///
/// ```
/// use mailwire_sasl::negotiate::{advertise, Policy};
/// use mailwire_sasl::{ChannelBinding, Mechanism, ServerConfig};
///
/// let supported = [Mechanism::SCRAM_SHA_256, Mechanism::SCRAM_SHA_256_PLUS, Mechanism::PLAIN];
/// let config = ServerConfig::new().with_channel_binding(ChannelBinding::tls_exporter(vec![0; 32]));
/// assert_eq!(
///     advertise(&supported, &Policy::new(true), &config),
///     [Mechanism::SCRAM_SHA_256_PLUS, Mechanism::SCRAM_SHA_256, Mechanism::PLAIN]
/// );
/// ```
pub fn advertise(
    supported: &[Mechanism],
    policy: &Policy,
    config: &ServerConfig,
) -> Vec<Mechanism> {
    let mut out: Vec<Mechanism> = supported
        .iter()
        .filter(|m| m.is_implemented() && policy.permits(m))
        .filter(|m| !m.is_channel_binding() || config.channel_binding.is_some())
        .cloned()
        .collect();
    out.sort_by_key(rank);
    out.dedup();
    out
}

/// The strongest mechanism that the server `offered`, `policy` allows and
/// `credentials` can drive; `None` if there is none.
///
/// ```
/// use mailwire_sasl::negotiate::{select, Policy};
/// use mailwire_sasl::{Credentials, Mechanism};
///
/// let offered: Vec<Mechanism> = ["LOGIN", "PLAIN", "XOAUTH2", "CRAM-MD5"]
///     .iter().map(|m| m.parse().unwrap()).collect();
/// let token = Credentials::bearer_token("me@example.com", "ya29.token");
/// assert_eq!(select(&offered, &token, &Policy::new(true)), Some(Mechanism::XOAUTH2));
/// assert_eq!(select(&offered, &token, &Policy::new(false)), None);
/// let password = Credentials::password("me", "pw");
/// assert_eq!(select(&offered, &password, &Policy::new(false)), Some(Mechanism::CRAM_MD5));
/// ```
pub fn select(
    offered: &[Mechanism],
    credentials: &Credentials,
    policy: &Policy,
) -> Option<Mechanism> {
    PREFERENCE
        .iter()
        .find(|m| offered.contains(m) && policy.permits(m) && credentials.supports(m))
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ChannelBinding;

    #[test]
    fn plus_preferred_when_possible() {
        let offered = [
            Mechanism::SCRAM_SHA_1,
            Mechanism::SCRAM_SHA_256,
            Mechanism::SCRAM_SHA_256_PLUS,
            Mechanism::PLAIN,
        ];
        let plain = Credentials::password("u", "p");
        assert_eq!(
            select(&offered, &plain, &Policy::new(true)),
            Some(Mechanism::SCRAM_SHA_256)
        );
        let bound = plain.with_channel_binding(ChannelBinding::tls_exporter(vec![1]));
        assert_eq!(
            select(&offered, &bound, &Policy::new(true)),
            Some(Mechanism::SCRAM_SHA_256_PLUS)
        );
        assert_eq!(select(&[], &bound, &Policy::new(true)), None);
    }

    #[test]
    fn external_and_anonymous_need_their_credentials() {
        let offered = [Mechanism::ANONYMOUS, Mechanism::EXTERNAL, Mechanism::PLAIN];
        assert_eq!(
            select(&offered, &Credentials::external(), &Policy::new(true)),
            Some(Mechanism::EXTERNAL)
        );
        assert_eq!(
            select(&offered, &Credentials::anonymous(""), &Policy::new(false)),
            Some(Mechanism::ANONYMOUS)
        );
        assert_eq!(
            select(
                &offered,
                &Credentials::password("u", "p"),
                &Policy::new(true)
            ),
            Some(Mechanism::PLAIN)
        );
    }

    #[test]
    fn advertise_filters_and_orders() {
        let unknown = Mechanism::new("GSSAPI").unwrap();
        let supported = [
            Mechanism::LOGIN,
            unknown,
            Mechanism::SCRAM_SHA_1_PLUS,
            Mechanism::CRAM_MD5,
            Mechanism::LOGIN,
            Mechanism::OAUTHBEARER,
        ];
        assert_eq!(
            advertise(&supported, &Policy::new(false), &ServerConfig::new()),
            [Mechanism::CRAM_MD5]
        );
        assert_eq!(
            advertise(&supported, &Policy::new(true), &ServerConfig::new()),
            [
                Mechanism::OAUTHBEARER,
                Mechanism::CRAM_MD5,
                Mechanism::LOGIN
            ]
        );
    }
}
