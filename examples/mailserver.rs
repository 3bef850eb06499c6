//! A small mail server: SMTP, submission and LMTP into Maildirs, and POP3
//! out of them.
//!
//! ```text
//! cargo run --example mailserver
//! ```
//!
//! starts with an embedded default: data in `./mail`, domain `localhost`,
//! one demo account whose password is printed, SMTP on 127.0.0.1:2525 and
//! POP3 on 127.0.0.1:1110.
//!
//! Mail for a local account lands in `DIR/<domain>/<user>/Maildir/new`,
//! byte for byte as the client sent it, written to `tmp`, fsynced, then
//! renamed into `new` before the client gets its `250`. Aliases expand;
//! unknown local recipients get `550 5.1.1`; remote recipients need AUTH
//! (`554 5.7.1` otherwise) and are relayed at once, through
//! `--relay-host` or the domain's mail exchangers, before the reply.
//!
//! POP3 (`--pop3`, `--pop3s` for implicit TLS) serves each account's
//! Maildir: the login is the account's full address (`alice@example.org`),
//! or its local part alone when only one domain has it. Opening the
//! maildrop locks it (a second session gets `-ERR [IN-USE]`) and moves
//! what is in `new` to `cur`; the unique-id is the Maildir unique name,
//! sizes count every line ending as CRLF, and messages marked with `DELE`
//! are unlinked after `QUIT`. `STLS` is offered when TLS is configured,
//! and then (or off loopback) required before a password.
//!
//! Run with `--help` for the flags.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use mailwire_core::Secret;
use mailwire_sasl::{ScramHash, ScramKeys, StoredCredentials};
use mailwire_smtp::client::{ClientConfig, Envelope, TlsPolicy};
use mailwire_smtp::server::{ServerConfig, ServerMode};
use mailwire_smtp::{
    Domain, EnhancedCode, ForwardPath, Host, MailParameters, Mechanism, RcptParameters, Reply,
    ReplyCode, ReversePath,
};
use mailwire_tokio::smtp::client::{ClientOptions, SmtpClient};
use mailwire_tokio::smtp::reply;
use mailwire_tokio::smtp::server::{Handler, MessageVerdict, ServerOptions, Session, serve};

const USAGE: &str = "\
usage: mailserver [options]

  --data-dir DIR          where mail is stored (default ./mail)
  --domain D              a local domain; repeat for several (default localhost)
  --users FILE            accounts, one 'name@domain:password' per line
                          (default: one demo account, password printed)
  --aliases FILE          aliases, one 'alias@domain: a@domain, b@domain' per line
  --smtp ADDR             SMTP listener (default 127.0.0.1:2525)
  --submission ADDR       submission listener: AUTH required, may relay
  --lmtp ADDR             LMTP listener
  --pop3 ADDR             POP3 listener (default 127.0.0.1:1110 when no
                          listener is given)
  --pop3s ADDR            POP3 listener with implicit TLS (needs TLS)
  --relay-host HOST:PORT  relay remote mail through this host instead of MX
  --relay-ca PEM          also trust this CA when relaying over TLS
  --tls-cert C --tls-key K  certificate chain and key (PEM); enables STARTTLS
                          and STLS
  --tls-self-signed       generate a self-signed certificate (local use)
  --max-message-size N    largest message in octets (default 35 MiB)
  --log LEVEL             error, warn, info (default), debug or trace
";

/// Body octets kept in memory before they go to the spool file.
const SPILL: usize = 256 * 1024;

#[derive(Debug, Default)]
struct Options {
    data_dir: PathBuf,
    domains: Vec<String>,
    users: Option<PathBuf>,
    aliases: Option<PathBuf>,
    smtp: Option<SocketAddr>,
    submission: Option<SocketAddr>,
    lmtp: Option<SocketAddr>,
    pop3: Option<SocketAddr>,
    pop3s: Option<SocketAddr>,
    relay_host: Option<String>,
    relay_ca: Option<PathBuf>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    tls_self_signed: bool,
    max_message_size: Option<u64>,
    log: String,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        data_dir: PathBuf::from("./mail"),
        log: "info".into(),
        ..Options::default()
    };
    let mut smtp_given = false;
    let mut listener_given = false;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let addr = |v: String| {
            v.parse::<SocketAddr>()
                .map_err(|e| format!("{flag}: {v}: {e}"))
        };
        if matches!(
            flag.as_str(),
            "--smtp" | "--submission" | "--lmtp" | "--pop3" | "--pop3s"
        ) {
            listener_given = true;
        }
        match flag.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                std::process::exit(0);
            }
            "--data-dir" => o.data_dir = value()?.into(),
            "--domain" => o.domains.push(value()?.to_ascii_lowercase()),
            "--users" => o.users = Some(value()?.into()),
            "--aliases" => o.aliases = Some(value()?.into()),
            "--smtp" => {
                o.smtp = Some(addr(value()?)?);
                smtp_given = true;
            }
            "--submission" => o.submission = Some(addr(value()?)?),
            "--lmtp" => o.lmtp = Some(addr(value()?)?),
            "--pop3" => o.pop3 = Some(addr(value()?)?),
            "--pop3s" => o.pop3s = Some(addr(value()?)?),
            "--relay-host" => o.relay_host = Some(value()?),
            "--relay-ca" => o.relay_ca = Some(value()?.into()),
            "--tls-cert" => o.tls_cert = Some(value()?.into()),
            "--tls-key" => o.tls_key = Some(value()?.into()),
            "--tls-self-signed" => o.tls_self_signed = true,
            "--max-message-size" => {
                let v = value()?;
                o.max_message_size = Some(v.parse().map_err(|e| format!("{flag}: {v}: {e}"))?);
            }
            "--log" => o.log = value()?,
            other => return Err(format!("unknown argument {other}\n\n{USAGE}")),
        }
    }
    if !smtp_given {
        o.smtp = Some(SocketAddr::from(([127, 0, 0, 1], 2525)));
    }
    if !listener_given && cfg!(feature = "pop3") {
        o.pop3 = Some(SocketAddr::from(([127, 0, 0, 1], 1110)));
    }
    if o.domains.is_empty() {
        o.domains.push("localhost".into());
    }
    if o.tls_cert.is_some() != o.tls_key.is_some() {
        return Err("--tls-cert and --tls-key go together".into());
    }
    if o.pop3s.is_some() && o.tls_cert.is_none() && !o.tls_self_signed {
        return Err("--pop3s needs --tls-cert and --tls-key, or --tls-self-signed".into());
    }
    if !cfg!(feature = "pop3") && (o.pop3.is_some() || o.pop3s.is_some()) {
        return Err("built without the pop3 feature".into());
    }
    Ok(o)
}

// ----- accounts and aliases ----------------------------------------------------------

/// Where a recipient's mail goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Route {
    /// A local account, `user@domain`.
    Local(String),
    /// Another server's mailbox.
    Remote(String),
}

#[derive(Debug, Default)]
struct Directory {
    domains: Vec<String>,
    users: HashMap<String, String>,
    aliases: HashMap<String, Vec<String>>,
}

fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map_or("", |(_, d)| d)
}

fn normalise(address: &str) -> String {
    address.trim().to_lowercase()
}

impl Directory {
    fn is_local_domain(&self, domain: &str) -> bool {
        self.domains.iter().any(|d| d == domain)
    }

    fn load_users(&mut self, path: &Path) -> Result<(), String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, password) = line.split_once(':').ok_or(format!(
                "{}:{}: expected name@domain:password",
                path.display(),
                n + 1
            ))?;
            let name = normalise(name);
            if !name.contains('@') {
                return Err(format!(
                    "{}:{}: {name} has no domain",
                    path.display(),
                    n + 1
                ));
            }
            let domain = domain_of(&name).to_owned();
            if !self.is_local_domain(&domain) {
                self.domains.push(domain);
            }
            self.users.insert(name, password.to_owned());
        }
        Ok(())
    }

    fn load_aliases(&mut self, path: &Path) -> Result<(), String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (alias, targets) = line.split_once(':').ok_or(format!(
                "{}:{}: expected alias@domain: targets",
                path.display(),
                n + 1
            ))?;
            let targets: Vec<String> = targets
                .split(',')
                .map(normalise)
                .filter(|t| !t.is_empty())
                .collect();
            self.aliases.insert(normalise(alias), targets);
        }
        Ok(())
    }

    /// The routes of a local address, aliases expanded; `None` if no account
    /// or alias has that name.
    fn resolve(&self, address: &str) -> Option<Vec<Route>> {
        let mut routes = Vec::new();
        let mut seen = HashSet::new();
        self.expand(address, 0, &mut routes, &mut seen)
            .then_some(routes)
    }

    fn expand(
        &self,
        address: &str,
        depth: usize,
        routes: &mut Vec<Route>,
        seen: &mut HashSet<String>,
    ) -> bool {
        if depth > 8 || !seen.insert(address.to_owned()) {
            return true;
        }
        if let Some(targets) = self.aliases.get(address) {
            for target in targets {
                if self.is_local_domain(domain_of(target)) {
                    if !self.expand(target, depth + 1, routes, seen) {
                        tracing::warn!(alias = address, target, "alias points to no account");
                    }
                } else {
                    routes.push(Route::Remote(target.clone()));
                }
            }
            return true;
        }
        if self.users.contains_key(address) {
            routes.push(Route::Local(address.to_owned()));
            return true;
        }
        false
    }

    /// The account a POP3 login names: the full address, or a local part
    /// that only one domain has.
    #[cfg(feature = "pop3")]
    fn account(&self, login: &str) -> Option<String> {
        let name = normalise(login);
        if name.contains('@') {
            return self.users.contains_key(&name).then_some(name);
        }
        let mut found = self.users.keys().filter(|account| {
            account
                .rsplit_once('@')
                .is_some_and(|(local, _)| local == name)
        });
        match (found.next(), found.next()) {
            (Some(account), None) => Some(account.clone()),
            _ => None,
        }
    }

    fn password(&self, authcid: &str) -> Option<&String> {
        let name = normalise(authcid);
        self.users.get(&name).or_else(|| {
            let first = self.domains.first()?;
            self.users.get(&format!("{name}@{first}"))
        })
    }
}

// ----- delivery --------------------------------------------------------------------------

struct Shared {
    directory: Directory,
    data_dir: PathBuf,
    hostname: String,
    relay_host: Option<String>,
    relay_tls: Option<mailwire_tokio::tls::TlsConnector>,
}

/// Maildir unique names: `seconds.MmicrosPpidQcounter.host`.
fn unique_name(host: &str, size: u64) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "{}.M{}P{}Q{}.{},S={size}",
        now.as_secs(),
        now.subsec_micros(),
        std::process::id(),
        n,
        host
    )
}

fn maildir(data_dir: &Path, account: &str) -> PathBuf {
    let (user, domain) = account.rsplit_once('@').unwrap_or((account, ""));
    data_dir.join(domain).join(user).join("Maildir")
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Links (or copies) the fsynced spool file into the Maildir: `tmp`, then
/// a rename into `new`, then an fsync of `new`.
fn deliver_to_maildir(spool: &Path, maildir: &Path, name: &str) -> std::io::Result<PathBuf> {
    ensure_maildir(maildir)?;
    let tmp_dir = maildir.join("tmp");
    let new_dir = maildir.join("new");
    let tmp = tmp_dir.join(name);
    if std::fs::hard_link(spool, &tmp).is_err() {
        std::fs::copy(spool, &tmp)?;
        std::fs::File::open(&tmp)?.sync_all()?;
    }
    let new = new_dir.join(name);
    std::fs::rename(&tmp, &new)?;
    sync_dir(&new_dir)?;
    Ok(new)
}

/// Creates the Maildir's `tmp`, `new` and `cur` if `new` is missing.
fn ensure_maildir(maildir: &Path) -> std::io::Result<()> {
    if !maildir.join("new").is_dir() {
        for sub in ["tmp", "new", "cur"] {
            std::fs::create_dir_all(maildir.join(sub))?;
        }
    }
    Ok(())
}

/// Writes `data` into the Maildir: `tmp/name`, fsync, rename into `new`,
/// fsync of `new`.
fn write_to_maildir(maildir: &Path, name: &str, data: &[u8]) -> std::io::Result<PathBuf> {
    ensure_maildir(maildir)?;
    let tmp = maildir.join("tmp").join(name);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)?;
    file.write_all(data)?;
    file.sync_all()?;
    drop(file);
    let new_dir = maildir.join("new");
    let new = new_dir.join(name);
    std::fs::rename(&tmp, &new)?;
    sync_dir(&new_dir)?;
    Ok(new)
}

/// Stores a message for local accounts only, in one blocking step: written
/// once (or taken from the spool), then linked into the other Maildirs.
fn store_local(body: &mut Body, shared: &Shared, accounts: &[String]) -> std::io::Result<usize> {
    let name = unique_name(&shared.hostname, body.size);
    let mut first: Option<PathBuf> = None;
    let spool = if body.spool.is_some() {
        Some(body.finish(&shared.data_dir, &shared.hostname)?)
    } else {
        None
    };
    for account in accounts {
        let dir = maildir(&shared.data_dir, account);
        let source = first.as_ref().or(spool.as_ref());
        let stored = match source {
            Some(source) => deliver_to_maildir(source, &dir, &name)?,
            None => write_to_maildir(&dir, &name, &body.memory)?,
        };
        first.get_or_insert(stored);
    }
    if let Some(spool) = spool {
        std::fs::remove_file(spool)?;
    }
    Ok(accounts.len())
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
            let path = dir.join(unique_name(host, 0));
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
    async fn deliver_local(
        &self,
        spool: &Path,
        accounts: Vec<String>,
    ) -> Result<Vec<PathBuf>, String> {
        if accounts.is_empty() {
            return Ok(Vec::new());
        }
        let shared = self.shared.clone();
        let spool = spool.to_owned();
        let size = self.body.size;
        tokio::task::spawn_blocking(move || {
            let name = unique_name(&shared.hostname, size);
            accounts
                .iter()
                .map(|account| {
                    deliver_to_maildir(&spool, &maildir(&shared.data_dir, account), &name)
                        .map_err(|e| format!("{account}: {e}"))
                })
                .collect()
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
        let password = self.shared.directory.password(authcid)?.clone();
        match ScramHash::for_mechanism(mechanism) {
            Some(hash) => {
                tokio::task::spawn_blocking(move || ScramKeys::generate(hash, &password, 4096).ok())
                    .await
                    .ok()
                    .flatten()
                    .map(StoredCredentials::Scram)
            }
            None => Some(StoredCredentials::Password(Secret::new(password))),
        }
    }
}

impl Delivery {
    async fn store(&mut self, session: &Session) -> MessageVerdict {
        let local_only = self.recipients.iter().all(|r| {
            r.routes
                .iter()
                .all(|route| matches!(route, Route::Local(_)))
        });
        if local_only && session.mode != ServerMode::Lmtp {
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
        match self.deliver_local(spool, local).await {
            Ok(files) => {
                log_message(
                    session,
                    &self.sender,
                    &to,
                    self.body.size,
                    &format!("delivered {} relayed {}", files.len(), remote.len()),
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
            let r = match self.deliver_local(spool, accounts).await {
                Ok(_) => reply(
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

// ----- POP3 ------------------------------------------------------------------------------

/// POP3 out of each account's Maildir.
#[cfg(feature = "pop3")]
mod pop3 {
    use std::collections::HashSet;
    use std::io::Read as _;
    use std::net::SocketAddr;
    use std::path::{Path, PathBuf};
    use std::sync::{Arc, Mutex};

    use mailwire_core::Secret;
    use mailwire_pop3::server::{MessageInfo, ServerConfig};
    use mailwire_pop3::{Response, ResponseCode, Status, UniqueId};
    use mailwire_sasl::{Mechanism, ScramHash, ScramKeys, StoredCredentials};
    use mailwire_tokio::pop3::server::{Handler, ServerOptions, Session, serve};
    use sha2::Digest as _;

    use super::{Shared, ensure_maildir, maildir, sync_dir};

    /// The Maildirs open in a POP3 session, shared by every listener.
    pub(super) type Locks = Arc<Mutex<HashSet<PathBuf>>>;

    /// Serves POP3 on `listener` until `shutdown` completes.
    pub(super) async fn listen(
        listener: tokio::net::TcpListener,
        shared: Arc<Shared>,
        locks: Locks,
        tls: Option<mailwire_tokio::tls::TlsAcceptor>,
        implicit_tls: bool,
        shutdown: impl std::future::Future<Output = ()>,
    ) -> std::io::Result<()> {
        let loopback = listener.local_addr()?.ip().is_loopback();
        let mut config = ServerConfig::new();
        config.stls = tls.is_some() && !implicit_tls;
        // Without TLS, passwords may only cross the loopback interface.
        config.plaintext_requires_tls = tls.is_some() || !loopback;
        config.sasl_mechanisms = vec![
            Mechanism::SCRAM_SHA_256,
            Mechanism::SCRAM_SHA_1,
            Mechanism::CRAM_MD5,
            Mechanism::PLAIN,
            Mechanism::LOGIN,
        ];
        let mut options = ServerOptions::new(config);
        options.tls = tls;
        options.implicit_tls = implicit_tls;
        serve(
            listener,
            Arc::new(options),
            move |_| Maildrop {
                shared: shared.clone(),
                locks: locks.clone(),
                locked: None,
                files: Vec::new(),
            },
            shutdown,
        )
        .await
    }

    /// One session's maildrop: the Maildir it locked and the files of
    /// `cur`, message `n` at index `n - 1`.
    struct Maildrop {
        shared: Arc<Shared>,
        locks: Locks,
        locked: Option<PathBuf>,
        files: Vec<PathBuf>,
    }

    fn response(code: ResponseCode, text: &'static str) -> Response {
        Response::new_static(Status::Err, Some(code), text)
    }

    impl Handler for Maildrop {
        type Message = tokio::fs::File;

        async fn credentials(
            &mut self,
            _session: &Session,
            mechanism: &Mechanism,
            user: &str,
        ) -> Option<StoredCredentials> {
            let directory = &self.shared.directory;
            let account = directory.account(user)?;
            let password = directory.users.get(&account)?.clone();
            match ScramHash::for_mechanism(mechanism) {
                Some(hash) => tokio::task::spawn_blocking(move || {
                    ScramKeys::generate(hash, &password, 4096).ok()
                })
                .await
                .ok()
                .flatten()
                .map(StoredCredentials::Scram),
                None => Some(StoredCredentials::Password(Secret::new(password))),
            }
        }

        async fn open_maildrop(
            &mut self,
            session: &Session,
            user: &str,
        ) -> Result<Vec<MessageInfo>, Response> {
            let Some(account) = self.shared.directory.account(user) else {
                return Err(response(ResponseCode::SYS_PERM, "No such maildrop"));
            };
            let dir = maildir(&self.shared.data_dir, &account);
            {
                let mut open = self
                    .locks
                    .lock()
                    .map_err(|_| response(ResponseCode::SYS_TEMP, "Lock unavailable"))?;
                if !open.insert(dir.clone()) {
                    return Err(response(ResponseCode::IN_USE, "Maildrop already open"));
                }
            }
            self.locked = Some(dir.clone());
            let scanned = tokio::task::spawn_blocking(move || scan(&dir)).await;
            let error = match scanned {
                Ok(Ok(listing)) => {
                    let (files, messages) = listing.into_iter().unzip();
                    self.files = files;
                    return Ok(messages);
                }
                Ok(Err(e)) => e.to_string(),
                Err(e) => e.to_string(),
            };
            tracing::error!(%account, %error, "cannot open the maildrop");
            self.close(session).await;
            Err(response(ResponseCode::SYS_TEMP, "Cannot open the maildrop"))
        }

        async fn message(
            &mut self,
            _session: &Session,
            number: u32,
        ) -> std::io::Result<tokio::fs::File> {
            let path = usize::try_from(number)
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|index| self.files.get(index))
                .ok_or_else(|| std::io::Error::other("no such message"))?;
            tokio::fs::File::open(path).await
        }

        async fn commit_deletions(
            &mut self,
            _session: &Session,
            messages: &[u32],
        ) -> std::io::Result<()> {
            let mut doomed = Vec::new();
            for &number in messages {
                let path = usize::try_from(number)
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .and_then(|index| self.files.get(index))
                    .ok_or_else(|| std::io::Error::other("no such message"))?;
                doomed.push(path.clone());
            }
            let cur = self.locked.as_ref().map(|dir| dir.join("cur"));
            tokio::task::spawn_blocking(move || {
                for path in &doomed {
                    match std::fs::remove_file(path) {
                        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                        _ => {}
                    }
                }
                match cur {
                    Some(cur) => sync_dir(&cur),
                    None => Ok(()),
                }
            })
            .await
            .map_err(std::io::Error::other)?
        }

        async fn close(&mut self, _session: &Session) {
            if let Some(dir) = self.locked.take()
                && let Ok(mut open) = self.locks.lock()
            {
                open.remove(&dir);
            }
        }
    }

    /// Moves what is in `new` to `cur` (with the `:2,` info of the Maildir
    /// spec), then lists `cur` in delivery order with each message's
    /// unique-id and size.
    fn scan(dir: &Path) -> std::io::Result<Vec<(PathBuf, MessageInfo)>> {
        ensure_maildir(dir)?;
        let new = dir.join("new");
        let cur = dir.join("cur");
        let mut moved = false;
        for entry in std::fs::read_dir(&new)? {
            let entry = entry?;
            let name = entry.file_name();
            let Some(name) = name.to_str().filter(|n| !n.starts_with('.')) else {
                continue;
            };
            let target = match name.split_once(':') {
                Some(_) => cur.join(name),
                None => cur.join(format!("{name}:2,")),
            };
            std::fs::rename(entry.path(), target)?;
            moved = true;
        }
        if moved {
            sync_dir(&new)?;
            sync_dir(&cur)?;
        }
        let mut found = Vec::new();
        for entry in std::fs::read_dir(&cur)? {
            let entry = entry?;
            let name = entry.file_name();
            let Some(name) = name.to_str().filter(|n| !n.starts_with('.')) else {
                continue;
            };
            if !entry.file_type()?.is_file() {
                continue;
            }
            let unique = name.split_once(':').map_or(name, |(unique, _)| unique);
            found.push((delivery_order(unique), unique.to_owned(), entry.path()));
        }
        found.sort();
        let mut listing = Vec::with_capacity(found.len());
        for (_, unique, path) in found {
            let size = crlf_size(&path)?;
            listing.push((
                path,
                MessageInfo {
                    size,
                    uid: unique_id(&unique),
                },
            ));
        }
        Ok(listing)
    }

    /// The delivery time a unique name starts with (`seconds.Mmicros...`);
    /// names of another form sort last.
    fn delivery_order(unique: &str) -> (u64, u64) {
        let mut parts = unique.split('.');
        let seconds = parts
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(u64::MAX);
        let micros = parts
            .next()
            .and_then(|p| p.strip_prefix('M'))
            .map(|p| p.split(|c: char| !c.is_ascii_digit()).next().unwrap_or(""))
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        (seconds, micros)
    }

    /// The Maildir unique name as a POP3 unique-id, or its SHA-256 when it
    /// is not one (too long, or outside 0x21–0x7E).
    fn unique_id(unique: &str) -> UniqueId {
        UniqueId::new(unique).unwrap_or_else(|_| {
            let digest = sha2::Sha256::digest(unique.as_bytes());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            UniqueId::new(hex).expect("64 hex digits are a unique-id")
        })
    }

    /// The size as sent: every CR, LF and CRLF counted as CRLF, and a CRLF
    /// added after an unfinished last line (what the dot-stuffer writes).
    fn crlf_size(path: &Path) -> std::io::Result<u64> {
        let mut file = std::fs::File::open(path)?;
        let mut buffer = vec![0; 64 * 1024];
        let mut size = 0u64;
        let mut after_cr = false;
        let mut line_open = false;
        loop {
            let n = file.read(&mut buffer)?;
            let Some(data) = buffer.get(..n).filter(|d| !d.is_empty()) else {
                break;
            };
            for &byte in data {
                match byte {
                    b'\n' if after_cr => after_cr = false,
                    b'\r' | b'\n' => {
                        size += 2;
                        after_cr = byte == b'\r';
                        line_open = false;
                    }
                    _ => {
                        size += 1;
                        after_cr = false;
                        line_open = true;
                    }
                }
            }
        }
        if line_open {
            size += 2;
        }
        Ok(size)
    }

    /// Starts the `--pop3` and `--pop3s` listeners.
    pub(super) async fn spawn(
        servers: &mut tokio::task::JoinSet<std::io::Result<()>>,
        shared: &Arc<Shared>,
        tls: Option<mailwire_tokio::tls::TlsAcceptor>,
        listeners: [(Option<SocketAddr>, bool); 2],
        stopped: &tokio::sync::watch::Receiver<bool>,
    ) -> Result<(), String> {
        let locks = Locks::default();
        for (address, implicit_tls) in listeners {
            let Some(address) = address else { continue };
            let name = if implicit_tls { "POP3S" } else { "POP3" };
            let listener = tokio::net::TcpListener::bind(address)
                .await
                .map_err(|e| format!("{name} on {address}: {e}"))?;
            println!("{name} on {address}");
            let mut stopped = stopped.clone();
            servers.spawn(listen(
                listener,
                shared.clone(),
                locks.clone(),
                tls.clone(),
                implicit_tls,
                async move {
                    let _ = stopped.wait_for(|s| *s).await;
                },
            ));
        }
        Ok(())
    }
}

// ----- main -------------------------------------------------------------------------------

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().replace(['/', ':'], "_"))
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

fn demo_password() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::new();
    for i in 0..2u64 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i);
        h.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos(),
        );
        out.push_str(&format!("{:012x}", h.finish() & 0xffff_ffff_ffff));
    }
    out
}

#[tokio::main]
async fn main() {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("mailserver: {e}");
            std::process::exit(2);
        }
    };
    let level: tracing::Level = options.log.parse().unwrap_or(tracing::Level::INFO);
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    if let Err(e) = run(options).await {
        eprintln!("mailserver: {e}");
        std::process::exit(1);
    }
}

async fn run(options: Options) -> Result<(), String> {
    let mut directory = Directory {
        domains: options.domains.clone(),
        ..Directory::default()
    };
    match &options.users {
        Some(path) => directory.load_users(path)?,
        None => {
            let account = format!("demo@{}", directory.domains[0]);
            let password = demo_password();
            println!("demo account: {account} password: {password}");
            directory.users.insert(account, password);
        }
    }
    if let Some(path) = &options.aliases {
        directory.load_aliases(path)?;
    }
    std::fs::create_dir_all(&options.data_dir)
        .map_err(|e| format!("{}: {e}", options.data_dir.display()))?;
    let server_name = directory.domains[0].clone();
    let tls = if let (Some(cert), Some(key)) = (&options.tls_cert, &options.tls_key) {
        Some(mailwire_tokio::tls::server_config_from_pem(cert, key).map_err(|e| e.to_string())?)
    } else if options.tls_self_signed {
        let mut names: Vec<&str> = directory.domains.iter().map(String::as_str).collect();
        names.extend(["localhost", "127.0.0.1", "::1"]);
        names.dedup();
        let generated =
            mailwire_tokio::tls::SelfSigned::generate(&names).map_err(|e| e.to_string())?;
        let path = options.data_dir.join("self-signed.pem");
        std::fs::write(&path, generated.certificate_pem()).map_err(|e| e.to_string())?;
        println!("self-signed certificate: {}", path.display());
        Some(generated.server_config().map_err(|e| e.to_string())?)
    } else {
        None
    };
    let relay_tls = {
        let mut extra = Vec::new();
        if let Some(ca) = &options.relay_ca {
            extra = mailwire_tokio::tls::load_certificates(ca).map_err(|e| e.to_string())?;
        }
        mailwire_tokio::tls::client_config(true, &extra)
            .ok()
            .map(mailwire_tokio::tls::TlsConnector::from)
    };
    let shared = Arc::new(Shared {
        directory,
        data_dir: options.data_dir.clone(),
        hostname: hostname(),
        relay_host: options.relay_host.clone(),
        relay_tls,
    });
    let domain = Domain::try_from(server_name.as_str())
        .map(Domain::into_static)
        .map_err(|e| format!("{server_name}: {e}"))?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut servers = tokio::task::JoinSet::new();
    let listeners = [
        (options.smtp, ServerMode::Smtp, "SMTP"),
        (options.submission, ServerMode::Submission, "submission"),
        (options.lmtp, ServerMode::Lmtp, "LMTP"),
    ];
    for (address, mode, name) in listeners {
        let Some(address) = address else { continue };
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| format!("{name} on {address}: {e}"))?;
        let mut config = ServerConfig::new(domain.clone());
        config.mode = mode;
        config.limits.max_message_size =
            options.max_message_size.or(config.limits.max_message_size);
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
        server_options.tls = tls.clone().map(mailwire_tokio::tls::TlsAcceptor::from);
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
    #[cfg(feature = "pop3")]
    pop3::spawn(
        &mut servers,
        &shared,
        tls.clone().map(mailwire_tokio::tls::TlsAcceptor::from),
        [(options.pop3, false), (options.pop3s, true)],
        &stopped,
    )
    .await?;
    println!("mail is stored under {}", options.data_dir.display());
    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("interrupted, stopping"),
        _ = terminate() => tracing::info!("terminated, stopping"),
        Some(r) = servers.join_next() => {
            if let Ok(Err(e)) = r {
                tracing::error!(error = %e, "listener failed");
            }
        }
    }
    let _ = stop.send(true);
    while servers.join_next().await.is_some() {}
    Ok(())
}

#[cfg(unix)]
async fn terminate() {
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(mut s) => {
            s.recv().await;
        }
        Err(_) => std::future::pending().await,
    }
}

#[cfg(not(unix))]
async fn terminate() {
    std::future::pending().await
}
