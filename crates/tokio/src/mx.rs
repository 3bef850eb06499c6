//! MX resolution with hickory-resolver (feature `mx`), feeding
//! [`mailwire_smtp::mx::order_mx`].
//!
//! [`MxResolver::targets`] turns a recipient domain into the socket
//! addresses to try, best first: MX records ordered by preference (equal
//! preferences shuffled), the implicit MX when there is none, a null MX as
//! a permanent error, then each exchange's A/AAAA records.
//!
//! The resolver reads the system configuration, or asks one name server
//! given by address, which is how the tests run offline against a DNS
//! server on loopback.
//!
//! ```no_run
//! # async fn run() -> Result<(), mailwire_tokio::mx::MxLookupError> {
//! let resolver = mailwire_tokio::mx::MxResolver::with_name_server("127.0.0.1:5353".parse().unwrap());
//! for (address, name) in resolver.targets("example.org", 25).await? {
//!     println!("{name} at {address}");
//! }
//! # Ok(())
//! # }
//! ```

use std::hash::{BuildHasher, Hasher};
use std::net::SocketAddr;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{NameServerConfigGroup, ResolverConfig, ResolverOpts};
use hickory_resolver::name_server::TokioConnectionProvider;
use mailwire_smtp::mx::{MxAnswer, MxError, MxRecord, MxTarget, order_mx};

/// Why no host could be found for a domain.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MxLookupError {
    /// The DNS lookup failed (temporary, as far as mail is concerned).
    #[error("DNS: {0}")]
    Dns(#[from] hickory_resolver::ResolveError),
    /// The domain does not exist (permanent).
    #[error("no such domain: {0}")]
    NoSuchDomain(String),
    /// A null MX or a loop (permanent; [`MxError::reply`] has the reply).
    #[error(transparent)]
    Mx(#[from] MxError),
    /// No exchange has an address.
    #[error("no address for any mail exchanger of {0}")]
    NoAddress(String),
}

/// A resolver for mail routing; see the [module documentation](self).
#[derive(Clone)]
pub struct MxResolver {
    resolver: TokioResolver,
    local_names: Vec<String>,
}

impl std::fmt::Debug for MxResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MxResolver")
            .field("local_names", &self.local_names)
            .finish_non_exhaustive()
    }
}

impl MxResolver {
    /// A resolver with the system's configuration (`/etc/resolv.conf`).
    ///
    /// # Errors
    ///
    /// The configuration cannot be read.
    pub fn system() -> Result<Self, MxLookupError> {
        let resolver = TokioResolver::builder_tokio()?.build();
        Ok(Self {
            resolver,
            local_names: Vec::new(),
        })
    }

    /// A resolver that asks only the name server at `address` (UDP, then
    /// TCP), without cache.
    pub fn with_name_server(address: SocketAddr) -> Self {
        let servers = NameServerConfigGroup::from_ips_clear(&[address.ip()], address.port(), true);
        let config = ResolverConfig::from_parts(None, Vec::new(), servers);
        let mut options = ResolverOpts::default();
        options.cache_size = 0;
        options.attempts = 2;
        let resolver =
            TokioResolver::builder_with_config(config, TokioConnectionProvider::default())
                .with_options(options)
                .build();
        Self {
            resolver,
            local_names: Vec::new(),
        }
    }

    /// This host's own names: exchanges no better than them are dropped
    /// ([RFC 5321 §5.1]).
    ///
    /// [RFC 5321 §5.1]: https://www.rfc-editor.org/rfc/rfc5321#section-5.1
    #[must_use]
    pub fn with_local_names(mut self, names: Vec<String>) -> Self {
        self.local_names = names;
        self
    }

    /// The exchanges of `domain`, in the order to try them.
    ///
    /// # Errors
    ///
    /// See [`MxLookupError`].
    pub async fn exchangers(&self, domain: &str) -> Result<Vec<MxTarget>, MxLookupError> {
        let fqdn = format!("{}.", domain.trim_end_matches('.'));
        let answer = match self.resolver.mx_lookup(fqdn.as_str()).await {
            Ok(lookup) => MxAnswer::Records(
                lookup
                    .iter()
                    .map(|mx| MxRecord::new(mx.preference(), &mx.exchange().to_ascii()))
                    .collect(),
            ),
            Err(e) if e.is_nx_domain() => return Err(MxLookupError::NoSuchDomain(domain.into())),
            Err(e) if e.is_no_records_found() => MxAnswer::NoRecords,
            Err(e) => return Err(e.into()),
        };
        let local: Vec<&str> = self.local_names.iter().map(String::as_str).collect();
        let state = std::collections::hash_map::RandomState::new();
        let mut counter = 0u64;
        let random = |n: usize| {
            let mut h = state.build_hasher();
            counter = counter.wrapping_add(1);
            h.write_u64(counter);
            usize::try_from(h.finish())
                .unwrap_or(0)
                .checked_rem(n)
                .unwrap_or(0)
        };
        Ok(order_mx(domain, &answer, &local, random)?)
    }

    /// The addresses to connect to for `domain`, with `port`, each with the
    /// exchange name its certificate must carry; best first.
    ///
    /// # Errors
    ///
    /// See [`MxLookupError`]; an exchange without address is skipped.
    pub async fn targets(
        &self,
        domain: &str,
        port: u16,
    ) -> Result<Vec<(SocketAddr, String)>, MxLookupError> {
        let mut targets = Vec::new();
        for exchange in self.exchangers(domain).await? {
            let fqdn = format!("{}.", exchange.exchange);
            match self.resolver.lookup_ip(fqdn.as_str()).await {
                Ok(ips) => targets.extend(
                    ips.iter()
                        .map(|ip| (SocketAddr::new(ip, port), exchange.exchange.clone())),
                ),
                Err(e) => tracing::debug!(exchange = %exchange.exchange, error = %e, "no address"),
            }
        }
        if targets.is_empty() {
            return Err(MxLookupError::NoAddress(domain.into()));
        }
        Ok(targets)
    }
}
