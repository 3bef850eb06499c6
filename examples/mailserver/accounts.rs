//! Accounts, aliases and the one login rule every protocol uses; each
//! account's Maildir store, and its credentials derived once at start-up.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use mailwire_core::Secret;
use mailwire_maildir::Store;
use mailwire_sasl::{Mechanism, ScramHash, ScramKeys, StoredCredentials};

/// PBKDF2 rounds of the SCRAM keys (RFC 7677 §4 recommends at least 4096).
const SCRAM_ITERATIONS: u32 = 4096;

/// Where a recipient's mail goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Route {
    /// A local account, `user@domain`.
    Local(String),
    /// Another server's mailbox.
    Remote(String),
}

/// One account: its password, the SCRAM keys derived from it, its store.
pub(crate) struct Account {
    password: String,
    scram_sha1: Option<ScramKeys>,
    scram_sha256: Option<ScramKeys>,
    pub(crate) store: Store,
}

/// The accounts and aliases of the local domains.
#[derive(Default)]
pub(crate) struct Directory {
    pub(crate) domains: Vec<String>,
    passwords: HashMap<String, String>,
    aliases: HashMap<String, Vec<String>>,
    accounts: HashMap<String, Account>,
}

pub(crate) fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map_or("", |(_, d)| d)
}

pub(crate) fn normalise(address: &str) -> String {
    address.trim().to_lowercase()
}

/// The Maildir of `user@domain`: `DIR/<domain>/<user>/Maildir`.
pub(crate) fn maildir(data_dir: &Path, account: &str) -> PathBuf {
    let (user, domain) = account.rsplit_once('@').unwrap_or((account, ""));
    data_dir.join(domain).join(user).join("Maildir")
}

impl Directory {
    pub(crate) fn new(domains: Vec<String>) -> Self {
        Self {
            domains,
            ..Self::default()
        }
    }

    pub(crate) fn is_local_domain(&self, domain: &str) -> bool {
        self.domains.iter().any(|d| d == domain)
    }

    /// Adds an account (before [`Directory::open`]).
    pub(crate) fn add_user(&mut self, name: &str, password: &str) {
        self.passwords.insert(normalise(name), password.to_owned());
    }

    pub(crate) fn load_users(&mut self, path: &Path) -> Result<(), String> {
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
            self.passwords.insert(name, password.to_owned());
        }
        Ok(())
    }

    pub(crate) fn load_aliases(&mut self, path: &Path) -> Result<(), String> {
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

    /// Opens every account's store under `data_dir` and derives its SCRAM
    /// keys, once, so that no login pays for PBKDF2.
    pub(crate) fn open(&mut self, data_dir: &Path) -> Result<(), String> {
        for (name, password) in &self.passwords {
            let dir = maildir(data_dir, name);
            let store = Store::open(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            let keys = |hash| ScramKeys::generate(hash, password, SCRAM_ITERATIONS).ok();
            let account = Account {
                password: password.clone(),
                scram_sha1: keys(ScramHash::Sha1),
                scram_sha256: keys(ScramHash::Sha256),
                store,
            };
            self.accounts.insert(name.clone(), account);
        }
        Ok(())
    }

    /// The routes of a local address, aliases expanded; `None` if no account
    /// or alias has that name.
    /// An address with a detail (`alice+shop@d`) resolves as its account
    /// (`alice@d`) when it has no entry of its own (RFC 5233 §1).
    pub(crate) fn resolve(&self, address: &str) -> Option<Vec<Route>> {
        self.resolve_exact(address)
            .or_else(|| self.resolve_exact(&crate::filter::strip_detail(address)?))
    }

    fn resolve_exact(&self, address: &str) -> Option<Vec<Route>> {
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
        if self.passwords.contains_key(address) {
            routes.push(Route::Local(address.to_owned()));
            return true;
        }
        false
    }

    /// The account a login names, for every protocol: the full address, or
    /// a local part that only one domain has.
    pub(crate) fn account(&self, login: &str) -> Option<&str> {
        let name = normalise(login);
        if name.contains('@') {
            return self.passwords.get_key_value(&name).map(|(k, _)| k.as_str());
        }
        let mut found = self.passwords.keys().filter(|account| {
            account
                .rsplit_once('@')
                .is_some_and(|(local, _)| local == name)
        });
        match (found.next(), found.next()) {
            (Some(account), None) => Some(account.as_str()),
            _ => None,
        }
    }

    /// The store of an account.
    pub(crate) fn store(&self, account: &str) -> Option<&Store> {
        self.accounts.get(account).map(|a| &a.store)
    }

    /// What the SASL exchange of `mechanism` checks a login against: the
    /// SCRAM keys derived at start-up, or the password.
    pub(crate) fn credentials(
        &self,
        mechanism: &Mechanism,
        login: &str,
    ) -> Option<StoredCredentials> {
        let account = self.accounts.get(self.account(login)?)?;
        match ScramHash::for_mechanism(mechanism) {
            Some(ScramHash::Sha1) => account.scram_sha1.clone().map(StoredCredentials::Scram),
            Some(ScramHash::Sha256) => account.scram_sha256.clone().map(StoredCredentials::Scram),
            Some(_) => None,
            None => Some(StoredCredentials::Password(Secret::new(
                account.password.clone(),
            ))),
        }
    }
}
