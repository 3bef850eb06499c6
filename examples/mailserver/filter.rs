//! Delivery-time filtering: each account's Sieve script (RFC 5228) and its
//! junk classifier, applied to one message for one local recipient.
//!
//! The scripts are compiled once, at start-up ([`Filters::load`]). At
//! delivery, [`deliver`] runs the recipient's script against the parsed
//! message and its envelope, scores the message with the account's model
//! when a junk threshold is set, and carries out the actions through the
//! account's Maildir store: keep into `INBOX`, `fileinto` into a folder
//! (created when missing), with the imap4flags flags (RFC 5232) as Maildir
//! flags and keywords. Duplicate records (RFC 7352) are kept per account in
//! [`TRACKING_FILE`] under the Maildir.
//!
//! Not yet carried out, because they need an outgoing queue: `redirect`
//! and `vacation` are logged and the message is kept; a `reject` that
//! cannot be answered in the SMTP dialogue is kept as well.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, FixedOffset};
use mailwire_junk::Model;
use mailwire_maildir::{Error as StoreError, Flags, Store};
use mailwire_sieve::{Action, Config, Context, Envelope, Interpreter, Outcome, Script};

/// Per-account duplicate and vacation tracking, under the Maildir.
pub(crate) const TRACKING_FILE: &str = "mailwire-sieve-tracking";
/// The per-account junk model, under the Maildir.
pub(crate) const JUNK_MODEL_FILE: &str = "mailwire-junk.model";
/// The recipient delimiter (RFC 5233 §1).
pub(crate) const DELIMITER: char = '+';
/// Most entries a tracking file keeps; the oldest go first.
const MAX_TRACKING_ENTRIES: usize = 10_000;
/// Largest tracking or model file read.
const MAX_FILE: u64 = 64 * 1024 * 1024;

/// The compiled scripts and the junk threshold.
#[derive(Default)]
pub(crate) struct Filters {
    scripts: HashMap<String, Script>,
    junk_threshold: Option<f64>,
    /// Serialises the read-modify-write of tracking files.
    tracking: Mutex<()>,
}

impl Filters {
    /// Compiles `<address>.sieve` of every file in `dir`; the errors of
    /// every script as `path:line:col: message`, one a line.
    pub(crate) fn load(
        dir: Option<&Path>,
        junk_threshold: Option<f64>,
        is_account: impl Fn(&str) -> bool,
    ) -> Result<Self, String> {
        let mut filters = Filters {
            junk_threshold,
            ..Filters::default()
        };
        let Some(dir) = dir else {
            return Ok(filters);
        };
        let mut errors = Vec::new();
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let Some(address) = name.strip_suffix(".sieve") else {
                continue;
            };
            let address = address.to_lowercase();
            if !is_account(&address) {
                errors.push(format!("{}: no account {address}", path.display()));
                continue;
            }
            let text = match std::fs::read(&path) {
                Ok(t) => t,
                Err(e) => {
                    errors.push(format!("{}: {e}", path.display()));
                    continue;
                }
            };
            match Script::compile(&text) {
                Ok(script) => {
                    filters.scripts.insert(address, script);
                }
                Err(e) => errors.push(format!("{}:{e}", path.display())),
            }
        }
        if errors.is_empty() {
            Ok(filters)
        } else {
            Err(errors.join("\n"))
        }
    }

    /// Whether delivery goes through [`deliver`] at all.
    pub(crate) fn is_active(&self) -> bool {
        !self.scripts.is_empty() || self.junk_threshold.is_some()
    }

    /// How many scripts were compiled.
    pub(crate) fn scripts(&self) -> usize {
        self.scripts.len()
    }
}

/// The account of an address with a detail: `alice+shop@d` → `alice@d`.
pub(crate) fn strip_detail(address: &str) -> Option<String> {
    let (local, domain) = address.rsplit_once('@')?;
    let (user, _) = local.split_once(DELIMITER)?;
    Some(format!("{user}@{domain}"))
}

/// Where one copy of the message goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placement {
    /// `INBOX` or a folder name.
    pub(crate) mailbox: String,
    /// System flags.
    pub(crate) flags: Flags,
    /// Keywords.
    pub(crate) keywords: Vec<String>,
}

/// What to do with the message for one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Plan {
    /// Copies to store; empty with no rejection means discard.
    pub(crate) placements: Vec<Placement>,
    /// The reason of a reject/ereject that the dialogue may answer.
    pub(crate) reject: Option<String>,
    /// Actions logged and not carried out (they need the outgoing queue).
    pub(crate) pending: Vec<String>,
}

/// The result of a delivery for one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Stored (or discarded) as the script said.
    Delivered,
    /// Refused by the script: answer `550 5.7.1` with this reason.
    Rejected(String),
}

/// Maildir flags and keywords of imap4flags flags (RFC 5232 §3): system
/// flags map to letters, the rest are keywords; `\Recent` and unknown
/// system flags are dropped.
pub(crate) fn maildir_flags(flags: &[String]) -> (Flags, Vec<String>) {
    let mut out = Flags::EMPTY;
    let mut keywords: Vec<String> = Vec::new();
    for flag in flags {
        let system = match flag.to_ascii_lowercase().as_str() {
            "\\seen" => Some(Flags::SEEN),
            "\\answered" => Some(Flags::ANSWERED),
            "\\flagged" => Some(Flags::FLAGGED),
            "\\deleted" => Some(Flags::DELETED),
            "\\draft" => Some(Flags::DRAFT),
            _ => None,
        };
        match system {
            Some(f) => out |= f,
            None if flag.starts_with('\\') || flag.is_empty() => {}
            None => {
                if !keywords.iter().any(|k| k.eq_ignore_ascii_case(flag)) {
                    keywords.push(flag.clone());
                }
            }
        }
    }
    (out, keywords)
}

/// Turns the interpreter's actions into a [`Plan`]. `may_reject`: the
/// dialogue can refuse the message for this recipient alone; otherwise a
/// rejection keeps. `junk`: the classifier says junk, and what is only
/// kept goes to `Junk` instead.
pub(crate) fn plan(outcome: &Outcome, may_reject: bool, junk: bool) -> Plan {
    let mut plan = Plan::default();
    let mut keep_needed = false;
    let filed = outcome
        .actions
        .iter()
        .any(|a| matches!(a, Action::FileInto { .. }));
    for action in &outcome.actions {
        match action {
            Action::Keep { flags } => {
                let (flags, keywords) = maildir_flags(flags);
                let mailbox = if junk && !filed { "Junk" } else { "INBOX" };
                plan.placements.push(Placement {
                    mailbox: mailbox.into(),
                    flags,
                    keywords,
                });
            }
            Action::FileInto { mailbox, flags, .. } => {
                let (flags, keywords) = maildir_flags(flags);
                let mailbox = if mailbox.eq_ignore_ascii_case("INBOX") {
                    "INBOX".to_owned()
                } else {
                    mailbox.clone()
                };
                plan.placements.push(Placement {
                    mailbox,
                    flags,
                    keywords,
                });
            }
            Action::Reject { reason, .. } if may_reject => plan.reject = Some(reason.clone()),
            Action::Reject { reason, .. } => {
                plan.pending.push(format!("reject ({reason}): kept"));
                keep_needed = true;
            }
            Action::Redirect { address } => {
                plan.pending.push(format!("redirect to {address}"));
                keep_needed = true;
            }
            Action::Vacation(v) => {
                plan.pending.push(format!("vacation reply to {}", v.to));
                keep_needed = true;
            }
            other => {
                plan.pending.push(other.name().to_owned());
                keep_needed = true;
            }
        }
    }
    if plan.reject.is_some() {
        plan.placements.clear();
    } else if keep_needed && plan.placements.is_empty() {
        plan.placements.push(Placement {
            mailbox: if junk { "Junk" } else { "INBOX" }.into(),
            flags: Flags::EMPTY,
            keywords: Vec::new(),
        });
    }
    plan.placements.dedup_by(|a, b| a.mailbox == b.mailbox);
    plan
}

/// Stores the copies of a plan, creating (and subscribing) missing
/// folders.
pub(crate) fn apply(store: &Store, data: &[u8], plan: &Plan) -> Result<(), StoreError> {
    for p in &plan.placements {
        if p.mailbox == "INBOX" && p.flags == Flags::EMPTY && p.keywords.is_empty() {
            store.deliver(data)?;
            continue;
        }
        if p.mailbox != "INBOX" {
            match store.create(&p.mailbox) {
                Ok(()) => store.set_subscribed(&p.mailbox, true)?,
                Err(StoreError::MailboxExists(_)) => {}
                Err(e) => return Err(e),
            }
        }
        let keywords: Vec<&str> = p.keywords.iter().map(String::as_str).collect();
        store
            .mailbox(&p.mailbox)?
            .append(data, p.flags, &keywords, None)?;
    }
    Ok(())
}

/// The account's tracking records, as the interpreter's [`Context`].
pub(crate) struct Tracking<'a> {
    store: &'a Store,
    now: u64,
    /// `(kind, handle, value) → expiry` (seconds since the epoch).
    entries: HashMap<(char, String, String), u64>,
}

impl<'a> Tracking<'a> {
    /// Reads the tracking file of `store`, dropping expired entries.
    pub(crate) fn load(store: &'a Store, now: u64) -> Self {
        let mut entries = HashMap::new();
        let path = store.root().join(TRACKING_FILE);
        let text = std::fs::File::open(&path)
            .and_then(|f| {
                let mut s = String::new();
                std::io::Read::read_to_string(&mut std::io::Read::take(f, MAX_FILE), &mut s)
                    .map(|_| s)
            })
            .unwrap_or_default();
        for line in text.lines() {
            let mut parts = line.splitn(4, '\t');
            let (Some(kind), Some(expiry), Some(handle), Some(value)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let (Some(kind), Ok(expiry)) = (kind.chars().next(), expiry.parse::<u64>()) else {
                continue;
            };
            if expiry > now {
                entries.insert((kind, unescape(handle), unescape(value)), expiry);
            }
        }
        Self {
            store,
            now,
            entries,
        }
    }

    /// Records the duplicate identifiers of a run (RFC 7352 §3).
    pub(crate) fn record(&mut self, outcome: &Outcome) {
        for d in &outcome.duplicates {
            let key = ('d', d.handle.clone(), d.id.clone());
            let expiry = self.now.saturating_add(d.seconds);
            match self.entries.get_mut(&key) {
                Some(e) if d.last => *e = expiry,
                Some(_) => {}
                None => {
                    self.entries.insert(key, expiry);
                }
            }
        }
    }

    /// Records a vacation reply to `sender` for `seconds` (RFC 5230 §4.2),
    /// once the reply has been queued.
    #[allow(dead_code)]
    pub(crate) fn record_vacation(&mut self, handle: &str, sender: &str, seconds: u64) {
        self.entries.insert(
            ('v', handle.to_owned(), sender.to_ascii_lowercase()),
            self.now.saturating_add(seconds),
        );
    }

    /// Writes the file: tmp, fsync, rename.
    pub(crate) fn save(&self) -> std::io::Result<()> {
        let mut list: Vec<_> = self.entries.iter().collect();
        list.sort_by_key(|(_, e)| std::cmp::Reverse(**e));
        list.truncate(MAX_TRACKING_ENTRIES);
        let mut text = String::new();
        for ((kind, handle, value), expiry) in list {
            text.push_str(&format!(
                "{kind}\t{expiry}\t{}\t{}\n",
                escape(handle),
                escape(value)
            ));
        }
        let path = self.store.root().join(TRACKING_FILE);
        let tmp = self
            .store
            .root()
            .join(format!("{TRACKING_FILE}.tmp.{}", std::process::id()));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, &path)
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

impl Context for Tracking<'_> {
    fn now(&self) -> DateTime<FixedOffset> {
        DateTime::from_timestamp(i64::try_from(self.now).unwrap_or(i64::MAX), 0)
            .unwrap_or_default()
            .fixed_offset()
    }

    fn mailbox_exists(&mut self, mailbox: &str) -> bool {
        mailbox.eq_ignore_ascii_case("INBOX")
            || self
                .store
                .list()
                .map(|l| l.iter().any(|m| m == mailbox))
                .unwrap_or(false)
    }

    fn is_duplicate(&mut self, handle: &str, id: &str) -> bool {
        self.entries
            .contains_key(&('d', handle.to_owned(), id.to_owned()))
    }

    fn vacation_replied(&mut self, handle: &str, sender: &str) -> bool {
        self.entries
            .contains_key(&('v', handle.to_owned(), sender.to_ascii_lowercase()))
    }
}

fn now_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The junk probability of a message for an account; an absent model is
/// untrained (0.5).
pub(crate) fn junk_score(store: &Store, message: &mailwire_message::Message<'_>) -> f64 {
    let path = store.root().join(JUNK_MODEL_FILE);
    let model = match std::fs::metadata(&path) {
        Ok(m) if m.len() <= MAX_FILE => std::fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|b| Model::from_bytes(&b).map_err(|e| e.to_string())),
        Ok(_) => Err("model too large".into()),
        Err(_) => return 0.5,
    };
    match model {
        Ok(model) => model.score(message),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "junk model unreadable");
            0.5
        }
    }
}

/// Filters and stores `data` for one local `account`, addressed as
/// `recipient` (with its detail), from `sender`. Blocking.
// `Outcome` and `Config` are non-exhaustive: they are built by assignment.
#[allow(clippy::field_reassign_with_default)]
pub(crate) fn deliver(
    filters: &Filters,
    store: &Store,
    account: &str,
    recipient: &str,
    sender: &str,
    data: &[u8],
    may_reject: bool,
) -> Result<Verdict, String> {
    let message = mailwire_message::parse(data);
    let junk = filters.junk_threshold.is_some_and(|threshold| {
        let score = junk_score(store, &message);
        tracing::debug!(account, score, "junk score");
        score > threshold
    });
    let _guard = filters.tracking.lock().unwrap_or_else(|e| e.into_inner());
    let mut tracking = Tracking::load(store, now_seconds());
    let outcome = match filters.scripts.get(account) {
        Some(script) => {
            let mut config = Config::default();
            config.subaddress_separator = DELIMITER;
            config.user_addresses = vec![account.to_owned()];
            let envelope = Envelope::new(sender, recipient);
            let outcome =
                Interpreter::with_config(script, config).run(&message, &envelope, &mut tracking);
            if let Some(e) = &outcome.error {
                tracing::warn!(account, error = %e, "sieve run failed, message kept");
            }
            outcome
        }
        None => {
            let mut keep = Outcome::default();
            keep.actions = vec![Action::Keep { flags: Vec::new() }];
            keep
        }
    };
    let plan = plan(&outcome, may_reject, junk);
    for p in &plan.pending {
        tracing::info!(account, action = %p, "sieve action pending (no outgoing queue)");
    }
    if let Some(reason) = plan.reject {
        tracing::info!(account, reason = %reason, "sieve reject");
        return Ok(Verdict::Rejected(reason));
    }
    apply(store, data, &plan).map_err(|e| format!("{account}: {e}"))?;
    let folders: Vec<&str> = plan.placements.iter().map(|p| p.mailbox.as_str()).collect();
    tracing::info!(account, recipient, folders = %folders.join(","), junk, "filtered");
    if !outcome.duplicates.is_empty() {
        tracking.record(&outcome);
        if let Err(e) = tracking.save() {
            tracing::warn!(account, error = %e, "tracking file not written");
        }
    }
    Ok(Verdict::Delivered)
}

/// Filters and stores the spooled message for every `(recipient,
/// account)` target. With `may_reject` and one target, a rejection comes
/// back as its reason, and nothing is stored. Blocking.
pub(crate) fn deliver_spool(
    shared: &crate::Shared,
    spool: &Path,
    sender: &str,
    targets: &[(String, String)],
    may_reject: bool,
) -> Result<Option<String>, String> {
    let data = std::fs::read(spool).map_err(|e| format!("spool: {e}"))?;
    let may_reject = may_reject && targets.len() == 1;
    for (recipient, account) in targets {
        let store = shared
            .directory
            .store(account)
            .ok_or_else(|| format!("{account}: no store"))?;
        let verdict = deliver(
            &shared.filters,
            store,
            account,
            recipient,
            sender,
            &data,
            may_reject,
        )?;
        if let Verdict::Rejected(reason) = verdict {
            return Ok(Some(reason));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_store(name: &str) -> (PathBuf, Store) {
        let dir = std::env::temp_dir().join(format!(
            "mailserver-filter-{name}-{}-{}",
            std::process::id(),
            now_seconds()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(dir.join("Maildir")).unwrap();
        (dir, store)
    }

    fn filters(script: &str, junk_threshold: Option<f64>) -> Filters {
        let mut f = Filters {
            junk_threshold,
            ..Filters::default()
        };
        f.scripts.insert(
            "alice@example.org".into(),
            Script::compile(script.as_bytes()).unwrap(),
        );
        f
    }

    const MESSAGE: &[u8] = b"From: bob@example.com\r\nList-Id: <rust.lists.example.org>\r\n\
Message-ID: <1@example.com>\r\nSubject: hi\r\n\r\nbody\r\n";

    fn count(store: &Store, mailbox: &str) -> usize {
        let m = store.mailbox(mailbox).unwrap();
        m.sync().unwrap();
        m.uids().len()
    }

    #[test]
    fn fileinto_by_list_id_creates_the_folder_with_flags() {
        let (dir, store) = temp_store("listid");
        let f = filters(
            r#"require ["fileinto", "imap4flags"];
if header :contains "List-Id" "rust.lists" { fileinto :flags ["\\Seen", "lists"] "Lists"; }"#,
            None,
        );
        let v = deliver(
            &f,
            &store,
            "alice@example.org",
            "alice@example.org",
            "bob@example.com",
            MESSAGE,
            true,
        )
        .unwrap();
        assert_eq!(v, Verdict::Delivered);
        assert!(store.list().unwrap().iter().any(|m| m == "Lists"));
        assert_eq!(count(&store, "Lists"), 1);
        assert_eq!(count(&store, "INBOX"), 0);
        let m = store.mailbox("Lists").unwrap();
        let uid = m.uids()[0];
        let info = m.info_of(uid).unwrap();
        assert!(info.flags.contains(Flags::SEEN));
        assert_eq!(m.keywords(), ["lists"]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn subaddress_detail_files_and_plain_address_keeps() {
        let (dir, store) = temp_store("detail");
        let f = filters(
            r#"require ["fileinto", "envelope", "subaddress"];
if envelope :detail "to" "shop" { fileinto "Shopping"; }"#,
            None,
        );
        let a = "alice@example.org";
        deliver(
            &f,
            &store,
            a,
            "alice+shop@example.org",
            "b@example.com",
            MESSAGE,
            true,
        )
        .unwrap();
        deliver(&f, &store, a, a, "b@example.com", MESSAGE, true).unwrap();
        assert_eq!(count(&store, "Shopping"), 1);
        assert_eq!(count(&store, "INBOX"), 1);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn reject_answers_only_when_the_dialogue_can() {
        let (dir, store) = temp_store("reject");
        let f = filters(r#"require "reject"; reject "not wanted";"#, None);
        let a = "alice@example.org";
        let v = deliver(&f, &store, a, a, "b@example.com", MESSAGE, true).unwrap();
        assert_eq!(v, Verdict::Rejected("not wanted".into()));
        assert_eq!(count(&store, "INBOX"), 0);
        let v = deliver(&f, &store, a, a, "b@example.com", MESSAGE, false).unwrap();
        assert_eq!(v, Verdict::Delivered);
        assert_eq!(count(&store, "INBOX"), 1);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn discard_stores_nothing_and_redirect_keeps() {
        let (dir, store) = temp_store("discard");
        let a = "alice@example.org";
        deliver(&filters("discard;", None), &store, a, a, "", MESSAGE, true).unwrap();
        assert_eq!(count(&store, "INBOX"), 0);
        let f = filters(r#"redirect "carol@example.net";"#, None);
        deliver(&f, &store, a, a, "b@example.com", MESSAGE, true).unwrap();
        assert_eq!(count(&store, "INBOX"), 1);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn duplicate_is_tracked_in_the_maildir() {
        let (dir, store) = temp_store("dup");
        let f = filters(
            r#"require ["duplicate", "fileinto"]; if duplicate { fileinto "Dups"; }"#,
            None,
        );
        let a = "alice@example.org";
        deliver(&f, &store, a, a, "b@example.com", MESSAGE, true).unwrap();
        deliver(&f, &store, a, a, "b@example.com", MESSAGE, true).unwrap();
        assert_eq!(count(&store, "INBOX"), 1);
        assert_eq!(count(&store, "Dups"), 1);
        let text = std::fs::read_to_string(store.root().join(TRACKING_FILE)).unwrap();
        assert!(text.starts_with("d\t"), "{text}");
        assert!(text.contains("<1@example.com>"), "{text}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn junk_goes_to_junk_unless_filed() {
        let (dir, store) = temp_store("junk");
        let spam = b"Subject: cheap pills viagra\r\n\r\ncheap pills viagra casino winner\r\n";
        let ham = b"Subject: meeting notes\r\n\r\nthe agenda for the project meeting\r\n";
        let mut model = Model::new();
        for _ in 0..20 {
            model.train(&mailwire_message::parse(spam), mailwire_junk::Label::Junk);
            model.train(&mailwire_message::parse(ham), mailwire_junk::Label::Ham);
        }
        std::fs::write(store.root().join(JUNK_MODEL_FILE), model.to_bytes()).unwrap();
        let a = "alice@example.org";
        let mut f = Filters {
            junk_threshold: Some(0.9),
            ..Filters::default()
        };
        deliver(&f, &store, a, a, "", spam, true).unwrap();
        deliver(&f, &store, a, a, "", ham, true).unwrap();
        assert_eq!(count(&store, "Junk"), 1);
        assert_eq!(count(&store, "INBOX"), 1);
        f.scripts.insert(
            a.into(),
            Script::compile(br#"require "fileinto"; fileinto "Kept";"#).unwrap(),
        );
        deliver(&f, &store, a, a, "", spam, true).unwrap();
        assert_eq!(count(&store, "Kept"), 1);
        assert_eq!(count(&store, "Junk"), 1);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn untrained_model_files_nothing() {
        let (dir, store) = temp_store("untrained");
        let f = Filters {
            junk_threshold: Some(0.4),
            ..Filters::default()
        };
        assert_eq!(junk_score(&store, &mailwire_message::parse(MESSAGE)), 0.5);
        let _ = f;
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn flags_map_to_maildir() {
        let flags = [
            "\\Seen",
            "\\flagged",
            "\\Recent",
            "$Label1",
            "$label1",
            "todo",
        ]
        .map(String::from);
        let (f, k) = maildir_flags(&flags);
        assert_eq!(f, Flags::SEEN | Flags::FLAGGED);
        assert_eq!(k, ["$Label1", "todo"]);
    }

    #[test]
    fn detail_is_stripped() {
        assert_eq!(
            strip_detail("alice+shop@example.org").as_deref(),
            Some("alice@example.org")
        );
        assert_eq!(
            strip_detail("alice+a+b@example.org").as_deref(),
            Some("alice@example.org")
        );
        assert_eq!(strip_detail("alice@example.org"), None);
    }

    #[test]
    fn script_errors_carry_path_line_and_column() {
        let dir = std::env::temp_dir().join(format!("mailserver-sieve-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("alice@example.org.sieve"),
            "keep;\nfileinto \"x\";",
        )
        .unwrap();
        let e = Filters::load(Some(&dir), None, |_| true).err().unwrap();
        assert_eq!(
            e,
            format!(
                "{}:2:1: extension \"fileinto\" used without require",
                dir.join("alice@example.org.sieve").display()
            )
        );
        let e = Filters::load(Some(&dir), None, |_| false).err().unwrap();
        assert!(e.ends_with("no account alice@example.org"), "{e}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
