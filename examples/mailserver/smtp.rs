//! SMTP, submission and LMTP into the accounts' Maildirs, and relaying.

use std::collections::HashMap;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use mailwire_maildir::deliver_from;
use mailwire_sasl::StoredCredentials;
use mailwire_smtp::client::{ClientConfig, Envelope, TlsPolicy};
use mailwire_smtp::server::{ServerConfig, ServerMode};
use mailwire_smtp::{
    Domain, EnhancedCode, ForwardPath, Host, MailParameters, Mechanism, RcptParameters, Reply,
    ReplyCode, ReversePath,
};
use mailwire_tokio::smtp::client::{ClientOptions, SmtpClient};
use mailwire_tokio::smtp::reply;
use mailwire_tokio::smtp::server::{Handler, MessageVerdict, ServerOptions, Session, serve};

use crate::Shared;
use crate::accounts::{Route, domain_of, normalise};

/// Body octets kept in memory before they go to the spool file.
const SPILL: usize = 256 * 1024;

/// Stores a message for local accounts only, in one blocking step: written
/// once (from memory or the spool) and linked into every account's Maildir.
fn store_local(body: &mut Body, shared: &Shared, accounts: &[String]) -> std::io::Result<usize> {
    let stores = stores_of(shared, accounts)?;
    let delivered = match body.spool.is_some() {
        true => {
            let spool = body.finish(&shared.data_dir, &shared.hostname)?;
            let r = std::fs::File::open(&spool)
                .and_then(|f| deliver_from(&stores, f).map_err(std::io::Error::other));
            std::fs::remove_file(&spool)?;
            r
        }
        false => deliver_from(&stores, &body.memory[..]).map_err(std::io::Error::other),
    };
    delivered.map(|_| accounts.len())
}

/// The stores of `accounts`.
fn stores_of<'a>(
    shared: &'a Shared,
    accounts: &[String],
) -> std::io::Result<Vec<&'a mailwire_maildir::Store>> {
    accounts
        .iter()
        .map(|a| {
            shared
                .directory
                .store(a)
                .ok_or_else(|| std::io::Error::other(format!("{a}: no store")))
        })
        .collect()
}

/// Spool file names: `seconds.MmicrosPpidQcounter.host`.
fn spool_name(host: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "{}.M{}P{}Q{}.{}",
        now.as_secs(),
        now.subsec_micros(),
        std::process::id(),
        n,
        host
    )
}

/// The message being received: in memory up to [`SPILL`], then in the spool.
#[derive(Default)]
struct Body {
    memory: Vec<u8>,
    spool: Option<(PathBuf, std::fs::File)>,
    size: u64,
}

impl Body {
    fn spool_dir(data_dir: &Path) -> PathBuf {
        data_dir.join(".spool")
    }

    /// Writes what is in memory to the spool file, creating it first.
    fn spill(&mut self, data_dir: &Path, host: &str) -> std::io::Result<()> {
        if self.spool.is_none() {
            let dir = Self::spool_dir(data_dir);
            std::fs::create_dir_all(&dir)?;
            let path = dir.join(spool_name(host));
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)?;
            self.spool = Some((path, file));
        }
        if let Some((_, file)) = &mut self.spool {
            file.write_all(&self.memory)?;
        }
        self.memory.clear();
        Ok(())
    }

    /// Writes the rest and fsyncs; returns the spool file's path.
    fn finish(&mut self, data_dir: &Path, host: &str) -> std::io::Result<PathBuf> {
        self.spill(data_dir, host)?;
        let (path, file) = self.spool.take().expect("spool created by spill");
        file.sync_all()?;
        Ok(path)
    }

    fn discard(&mut self) {
        if let Some((path, _)) = self.spool.take() {
            let _ = std::fs::remove_file(path);
        }
        self.memory.clear();
        self.size = 0;
    }
}

struct Recipient {
    address: String,
    routes: Vec<Route>,
}

struct Delivery {
    shared: Arc<Shared>,
    sender: String,
    recipients: Vec<Recipient>,
    body: Body,
}

fn temporary_failure(text: &str) -> Reply<'static> {
    reply(
        ReplyCode::LOCAL_ERROR,
        Some(EnhancedCode::TEMPORARY_SYSTEM_ERROR),
        text,
    )
}

impl Delivery {
    fn new(shared: Arc<Shared>) -> Self {
        Self {
            shared,
            sender: String::new(),
            recipients: Vec::new(),
            body: Body::default(),
        }
    }

    fn clear(&mut self) {
        self.body.discard();
        self.recipients.clear();
        self.sender.clear();
    }

    /// Delivers the spool file to every local account of `routes`.
    async fn deliver_local(&self, spool: &Path, accounts: Vec<String>) -> Result<usize, String> {
        if accounts.is_empty() {
            return Ok(0);
        }
        let shared = self.shared.clone();
        let spool = spool.to_owned();
        tokio::task::spawn_blocking(move || {
            let stores = stores_of(&shared, &accounts).map_err(|e| e.to_string())?;
            let file = std::fs::File::open(&spool).map_err(|e| format!("spool: {e}"))?;
            deliver_from(&stores, file).map_err(|e| format!("{}: {e}", accounts.join(",")))?;
            Ok(accounts.len())
        })
        .await
        .map_err(|e| e.to_string())?
    }

    /// Relays the spool file to remote addresses, one session per domain;
    /// returns the first failure.
    async fn relay(&self, spool: &Path, remote: &[String]) -> Result<(), Reply<'static>> {
        let mut by_domain: HashMap<&str, Vec<&String>> = HashMap::new();
        for address in remote {
            by_domain
                .entry(domain_of(address))
                .or_default()
                .push(address);
        }
        for (domain, addresses) in by_domain {
            self.relay_domain(spool, domain, &addresses).await?;
        }
        Ok(())
    }

    async fn relay_domain(
        &self,
        spool: &Path,
        domain: &str,
        addresses: &[&String],
    ) -> Result<(), Reply<'static>> {
        let shared = &self.shared;
        let targets: Vec<(String, String)> = match &shared.relay_host {
            Some(relay) => {
                let host = relay.rsplit_once(':').map_or(relay.as_str(), |(h, _)| h);
                vec![(relay.clone(), host.trim_matches(['[', ']']).to_owned())]
            }
            None => exchangers(domain).await?,
        };
        let host = Host::try_from(shared.hostname.as_str())
            .map(Host::into_static)
            .map_err(|_| temporary_failure("Bad local host name"))?;
        let mut config = ClientConfig::new(host);
        config.tls = TlsPolicy::Opportunistic;
        let mut options = ClientOptions::new(config);
        options.tls = shared.relay_tls.clone();
        let reverse_path = if self.sender.is_empty() {
            ReversePath::Null
        } else {
            ReversePath::try_from(format!("<{}>", self.sender).as_str())
                .map(ReversePath::into_static)
                .map_err(|_| temporary_failure("Bad sender"))?
        };
        let mut recipients = Vec::new();
        for a in addresses {
            let path = ForwardPath::try_from(format!("<{a}>").as_str())
                .map(ForwardPath::into_static)
                .map_err(|_| temporary_failure("Bad recipient"))?;
            recipients.push(path);
        }
        let mut last_error = temporary_failure("No mail exchanger reachable");
        for (address, name) in targets {
            let mut client = match SmtpClient::connect(address.as_str(), &name, &options).await {
                Ok(client) => client,
                Err(e) => {
                    tracing::warn!(relay = %address, error = %e, "relay connection failed");
                    last_error = reply(
                        ReplyCode::LOCAL_ERROR,
                        Some(EnhancedCode::TEMPORARY_SYSTEM_ERROR),
                        &format!("Relay to {domain} failed: {e}"),
                    );
                    continue;
                }
            };
            let mut envelope = Envelope::new(reverse_path.clone(), recipients.clone());
            envelope.parameters = MailParameters::default();
            let body = tokio::fs::File::open(spool)
                .await
                .map_err(|e| temporary_failure(&format!("Spool: {e}")))?;
            let report = client
                .send(envelope, body)
                .await
                .map_err(|e| temporary_failure(&format!("Relay to {address} failed: {e}")))?;
            let _ = client.quit().await;
            for index in 0..recipients.len() {
                if !report.is_delivered(index) {
                    let r = report
                        .outcome(index)
                        .cloned()
                        .unwrap_or_else(|| temporary_failure("Relay refused the message"));
                    tracing::info!(relay = %address, reply = %r, "relay refused");
                    return Err(r);
                }
            }
            tracing::info!(relay = %address, recipients = recipients.len(), "relayed");
            return Ok(());
        }
        Err(last_error)
    }
}

/// The mail exchangers of `domain` as `(address:port, name)`, best first.
#[cfg(feature = "mx")]
async fn exchangers(domain: &str) -> Result<Vec<(String, String)>, Reply<'static>> {
    use mailwire_tokio::mx::{MxLookupError, MxResolver};
    let resolver = MxResolver::system().map_err(|e| temporary_failure(&format!("DNS: {e}")))?;
    let targets = resolver.targets(domain, 25).await.map_err(|e| match e {
        MxLookupError::Mx(mx) => mx.reply(),
        MxLookupError::NoSuchDomain(_) => reply(
            ReplyCode::MAILBOX_UNAVAILABLE,
            EnhancedCode::new(5, 1, 2),
            &format!("{domain}: no such domain"),
        ),
        other => temporary_failure(&format!("DNS: {other}")),
    })?;
    Ok(targets
        .into_iter()
        .map(|(address, name)| (address.to_string(), name))
        .collect())
}

/// Without the `mx` feature: the domain itself (its address records).
#[cfg(not(feature = "mx"))]
async fn exchangers(domain: &str) -> Result<Vec<(String, String)>, Reply<'static>> {
    Ok(vec![(format!("{domain}:25"), domain.to_owned())])
}

impl Handler for Delivery {
    async fn mail(
        &mut self,
        _session: &Session,
        reverse_path: &ReversePath<'static>,
        _parameters: &MailParameters<'static>,
    ) -> Result<(), Reply<'static>> {
        self.clear();
        self.sender = match reverse_path {
            ReversePath::Null => String::new(),
            ReversePath::Mailbox(m) => m.to_string(),
        };
        Ok(())
    }

    async fn rcpt(
        &mut self,
        session: &Session,
        forward_path: &ForwardPath<'static>,
        _parameters: &RcptParameters<'static>,
    ) -> Result<(), Reply<'static>> {
        let directory = &self.shared.directory;
        let (address, literal) = match forward_path {
            ForwardPath::Postmaster => (
                format!("postmaster@{}", directory.domains.first().map_or("", |d| d)),
                false,
            ),
            ForwardPath::Mailbox(m) => (
                normalise(&m.to_string()),
                matches!(m.host(), Host::Literal(_)),
            ),
        };
        let domain = domain_of(&address).to_owned();
        if !literal && directory.is_local_domain(&domain) {
            let Some(routes) = directory.resolve(&address) else {
                return Err(reply(
                    ReplyCode::MAILBOX_UNAVAILABLE,
                    Some(EnhancedCode::BAD_DESTINATION_MAILBOX),
                    &format!("<{address}>: No such user here"),
                ));
            };
            self.recipients.push(Recipient { address, routes });
            return Ok(());
        }
        if session.authenticated.is_none() || session.mode == ServerMode::Lmtp || literal {
            return Err(reply(
                ReplyCode::TRANSACTION_FAILED,
                EnhancedCode::new(5, 7, 1),
                &format!("<{address}>: Relay access denied"),
            ));
        }
        self.recipients.push(Recipient {
            routes: vec![Route::Remote(address.clone())],
            address,
        });
        Ok(())
    }

    async fn body(&mut self, chunk: &[u8]) -> Result<(), Reply<'static>> {
        self.body.memory.extend_from_slice(chunk);
        self.body.size += chunk.len() as u64;
        if self.body.memory.len() >= SPILL {
            let mut body = std::mem::take(&mut self.body);
            let shared = self.shared.clone();
            let (body_back, result) = tokio::task::spawn_blocking(move || {
                let r = body.spill(&shared.data_dir, &shared.hostname);
                (body, r)
            })
            .await
            .map_err(|e| temporary_failure(&e.to_string()))?;
            self.body = body_back;
            result.map_err(|e| {
                tracing::error!(error = %e, "spool write failed");
                temporary_failure("Cannot store the message")
            })?;
        }
        Ok(())
    }

    async fn message(&mut self, session: &Session) -> MessageVerdict {
        let verdict = self.store(session).await;
        self.clear();
        verdict
    }

    async fn reset(&mut self) {
        self.clear();
    }

    async fn credentials(
        &mut self,
        _session: &Session,
        mechanism: &mailwire_sasl::Mechanism,
        authcid: &str,
    ) -> Option<StoredCredentials> {
        self.shared.directory.credentials(mechanism, authcid)
    }
}

impl Delivery {
    async fn store(&mut self, session: &Session) -> MessageVerdict {
        let local_only = self.recipients.iter().all(|r| {
            r.routes
                .iter()
                .all(|route| matches!(route, Route::Local(_)))
        });
        if local_only && session.mode != ServerMode::Lmtp && !self.shared.filters.is_active() {
            return self.store_local_only(session).await;
        }
        let mut body = std::mem::take(&mut self.body);
        let size = body.size;
        let shared = self.shared.clone();
        let spooled = tokio::task::spawn_blocking(move || {
            let r = body.finish(&shared.data_dir, &shared.hostname);
            (body, r)
        })
        .await;
        let spool = match spooled {
            Ok((back, Ok(path))) => {
                self.body = back;
                self.body.size = size;
                path
            }
            Ok((back, Err(e))) => {
                self.body = back;
                tracing::error!(error = %e, "spool failed");
                return MessageVerdict::Reject(temporary_failure("Cannot store the message"));
            }
            Err(e) => return MessageVerdict::Reject(temporary_failure(&e.to_string())),
        };
        let verdict = if session.mode == ServerMode::Lmtp {
            self.store_lmtp(&spool).await
        } else {
            self.store_smtp(session, &spool).await
        };
        let _ = tokio::fs::remove_file(&spool).await;
        verdict
    }

    /// The common case: every recipient is a local account.
    async fn store_local_only(&mut self, session: &Session) -> MessageVerdict {
        let mut accounts: Vec<String> = Vec::new();
        for route in self.recipients.iter().flat_map(|r| r.routes.iter()) {
            if let Route::Local(a) = route
                && !accounts.contains(a)
            {
                accounts.push(a.clone());
            }
        }
        let mut body = std::mem::take(&mut self.body);
        let size = body.size;
        let shared = self.shared.clone();
        let result = tokio::task::spawn_blocking(move || {
            let r = store_local(&mut body, &shared, &accounts);
            body.discard();
            r
        })
        .await;
        let to: Vec<&str> = self.recipients.iter().map(|r| r.address.as_str()).collect();
        match result {
            Ok(Ok(n)) => {
                log_message(session, &self.sender, &to, size, &format!("delivered {n}"));
                MessageVerdict::Accept
            }
            Ok(Err(e)) => {
                tracing::error!(error = %e, "delivery failed");
                log_message(session, &self.sender, &to, size, "failed");
                MessageVerdict::Reject(temporary_failure("Cannot deliver the message"))
            }
            Err(e) => MessageVerdict::Reject(temporary_failure(&e.to_string())),
        }
    }

    async fn store_smtp(&mut self, session: &Session, spool: &Path) -> MessageVerdict {
        let mut local = Vec::new();
        let mut remote = Vec::new();
        for route in self.recipients.iter().flat_map(|r| r.routes.iter()) {
            match route {
                Route::Local(a) if !local.contains(a) => local.push(a.clone()),
                Route::Remote(a) if !remote.contains(a) => remote.push(a.clone()),
                _ => {}
            }
        }
        let to: Vec<&str> = self.recipients.iter().map(|r| r.address.as_str()).collect();
        if !remote.is_empty()
            && let Err(r) = self.relay(spool, &remote).await
        {
            log_message(session, &self.sender, &to, self.body.size, &r.to_string());
            return MessageVerdict::Reject(r);
        }
        let delivered = if self.shared.filters.is_active() {
            let may_reject = self.recipients.len() == 1 && remote.is_empty();
            let targets = local_targets(&self.recipients);
            match self.deliver_filtered(spool, targets, may_reject).await {
                Ok(Some(reason)) => {
                    log_message(session, &self.sender, &to, self.body.size, "rejected");
                    return MessageVerdict::Reject(sieve_reject(&reason));
                }
                Ok(None) => Ok(local.len()),
                Err(e) => Err(e),
            }
        } else {
            self.deliver_local(spool, local).await
        };
        match delivered {
            Ok(delivered) => {
                log_message(
                    session,
                    &self.sender,
                    &to,
                    self.body.size,
                    &format!("delivered {delivered} relayed {}", remote.len()),
                );
                MessageVerdict::Accept
            }
            Err(e) => {
                tracing::error!(error = %e, "delivery failed");
                log_message(session, &self.sender, &to, self.body.size, "failed");
                MessageVerdict::Reject(temporary_failure("Cannot deliver the message"))
            }
        }
    }

    async fn store_lmtp(&mut self, spool: &Path) -> MessageVerdict {
        let mut replies = Vec::new();
        let recipients = std::mem::take(&mut self.recipients);
        for recipient in &recipients {
            let accounts: Vec<String> = recipient
                .routes
                .iter()
                .filter_map(|r| match r {
                    Route::Local(a) => Some(a.clone()),
                    Route::Remote(_) => None,
                })
                .collect();
            let delivered = if self.shared.filters.is_active() {
                let targets = local_targets(std::slice::from_ref(recipient));
                self.deliver_filtered(spool, targets, true).await
            } else {
                self.deliver_local(spool, accounts).await.map(|_| None)
            };
            let r = match delivered {
                Ok(Some(reason)) => sieve_reject(&reason),
                Ok(None) => reply(
                    ReplyCode::OK,
                    Some(EnhancedCode::OK),
                    &format!("<{}> delivered", recipient.address),
                ),
                Err(e) => {
                    tracing::error!(error = %e, "delivery failed");
                    temporary_failure("Cannot deliver the message")
                }
            };
            tracing::info!(from = %self.sender, to = %recipient.address, size = self.body.size, result = %r, "lmtp message");
            replies.push(r);
        }
        self.recipients = recipients;
        MessageVerdict::PerRecipient(replies)
    }
}

/// `(recipient as given, account)` for every local account, once each.
fn local_targets(recipients: &[Recipient]) -> Vec<(String, String)> {
    let mut targets: Vec<(String, String)> = Vec::new();
    for r in recipients {
        for route in &r.routes {
            if let Route::Local(a) = route
                && !targets.iter().any(|(_, t)| t == a)
            {
                targets.push((r.address.clone(), a.clone()));
            }
        }
    }
    targets
}

/// `550 5.7.1` with a Sieve reject reason (RFC 5429 §2.1).
fn sieve_reject(reason: &str) -> Reply<'static> {
    let text: String = reason
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(400)
        .collect();
    reply(
        ReplyCode::MAILBOX_UNAVAILABLE,
        EnhancedCode::new(5, 7, 1),
        &text,
    )
}

impl Delivery {
    /// Runs the recipients' filters and stores the spool file accordingly;
    /// a rejection the dialogue may answer comes back as its reason.
    async fn deliver_filtered(
        &self,
        spool: &Path,
        targets: Vec<(String, String)>,
        may_reject: bool,
    ) -> Result<Option<String>, String> {
        if targets.is_empty() {
            return Ok(None);
        }
        let shared = self.shared.clone();
        let spool = spool.to_owned();
        let sender = self.sender.clone();
        tokio::task::spawn_blocking(move || {
            crate::filter::deliver_spool(&shared, &spool, &sender, &targets, may_reject)
        })
        .await
        .map_err(|e| e.to_string())?
    }
}

fn log_message(session: &Session, from: &str, to: &[&str], size: u64, result: &str) {
    tracing::info!(
        session = session.id,
        from,
        to = %to.join(","),
        size,
        user = session.authenticated.as_deref().unwrap_or(""),
        result,
        "message"
    );
}

/// Starts the SMTP, submission and LMTP listeners that are configured.
pub(crate) async fn spawn(
    servers: &mut tokio::task::JoinSet<std::io::Result<()>>,
    shared: &Arc<Shared>,
    domain: &Domain<'static>,
    tls: Option<&Arc<mailwire_tokio::tls::ServerConfig>>,
    max_message_size: Option<u64>,
    listeners: [(Option<SocketAddr>, ServerMode, &str); 3],
    stopped: &tokio::sync::watch::Receiver<bool>,
) -> Result<(), String> {
    for (address, mode, name) in listeners {
        let Some(address) = address else { continue };
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| format!("{name} on {address}: {e}"))?;
        let mut config = ServerConfig::new(domain.clone());
        config.mode = mode;
        config.limits.max_message_size = max_message_size.or(config.limits.max_message_size);
        config.starttls = tls.is_some();
        if mode != ServerMode::Lmtp {
            config.auth_mechanisms = vec![
                Mechanism::SCRAM_SHA_256,
                Mechanism::SCRAM_SHA_1,
                Mechanism::CRAM_MD5,
                Mechanism::PLAIN,
                Mechanism::LOGIN,
            ];
            // Without TLS, passwords may only cross the loopback interface.
            config.auth_requires_tls = tls.is_some() || !address.ip().is_loopback();
        }
        let mut server_options = ServerOptions::new(config);
        server_options.tls = tls.cloned().map(mailwire_tokio::tls::TlsAcceptor::from);
        let shared = shared.clone();
        let mut stopped = stopped.clone();
        println!("{name} on {address}");
        servers.spawn(async move {
            let shutdown = async move {
                let _ = stopped.wait_for(|s| *s).await;
            };
            serve(
                listener,
                Arc::new(server_options),
                move |_| Delivery::new(shared.clone()),
                shutdown,
            )
            .await
        });
    }
    Ok(())
}
