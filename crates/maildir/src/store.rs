//! The store: one user's Maildir with its Maildir++ folders,
//! subscriptions and SPECIAL-USE mailboxes.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::Limits;
use crate::error::{Error, Result, io_err};
use crate::fsutil::{read_optional, unique_name, write_atomic};
use crate::lock::DotLock;
use crate::mailbox::{Mailbox, Shared};
use crate::notify::Watchers;
use crate::state::{Paths, State};
use crate::{subscriptions, utf7};

/// The hierarchy separator of mailbox names in this API (the directories
/// use `.`, as Maildir++ does).
pub const SEPARATOR: char = '/';

/// A SPECIAL-USE mailbox ([RFC 6154 §2]).
///
/// [RFC 6154 §2]: https://www.rfc-editor.org/rfc/rfc6154#section-2
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SpecialUse {
    /// `\Sent`.
    Sent,
    /// `\Drafts`.
    Drafts,
    /// `\Trash`.
    Trash,
    /// `\Junk`.
    Junk,
    /// `\Archive`.
    Archive,
}

impl SpecialUse {
    /// Every special use with its mailbox name, in creation order.
    pub const ALL: [(SpecialUse, &'static str); 5] = [
        (SpecialUse::Drafts, "Drafts"),
        (SpecialUse::Sent, "Sent"),
        (SpecialUse::Trash, "Trash"),
        (SpecialUse::Junk, "Junk"),
        (SpecialUse::Archive, "Archive"),
    ];

    /// The LIST attribute (`\Sent`).
    pub fn attribute(self) -> &'static str {
        match self {
            SpecialUse::Sent => "\\Sent",
            SpecialUse::Drafts => "\\Drafts",
            SpecialUse::Trash => "\\Trash",
            SpecialUse::Junk => "\\Junk",
            SpecialUse::Archive => "\\Archive",
        }
    }
}

/// The mailboxes of one store open in this process: every open one by
/// directory, and the most recently opened ones kept loaded
/// ([`Limits::cached_mailboxes`]) so that opening them again is warm.
#[derive(Debug, Default)]
struct Registry {
    open: HashMap<PathBuf, Weak<Shared>>,
    recent: std::collections::VecDeque<Arc<Shared>>,
}

/// One user's Maildir.
///
/// ```
/// # let root = std::env::temp_dir().join(format!("mw-doc-store-{}", std::process::id()));
/// use mailwire_maildir::{Flags, Store, StoreMode};
/// let store = Store::open(&root)?;
/// store.deliver(b"Subject: hi\n\nhello\n")?;
/// let inbox = store.mailbox("INBOX")?;
/// let uid = inbox.uids()[0];
/// inbox.store(&[uid], StoreMode::Add, Flags::SEEN, &["$Important"], None)?;
/// store.create("Lists/rust")?;
/// let copied = inbox.copy_to(&[uid], &store.mailbox("Lists/rust")?)?;
/// assert_eq!(copied.source, vec![uid]);
/// # std::fs::remove_dir_all(&root).ok();
/// # Ok::<(), mailwire_maildir::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Store {
    root: PathBuf,
    limits: Limits,
    registry: Arc<Mutex<Registry>>,
}

fn make_maildir(dir: &Path) -> Result<()> {
    for sub in ["cur", "new", "tmp"] {
        let p = dir.join(sub);
        fs::create_dir_all(&p).map_err(io_err("mkdir", p))?;
    }
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the Maildir at `root` with default limits.
    pub fn open(root: impl AsRef<Path>) -> Result<Store> {
        Store::with_limits(root, Limits::default())
    }

    /// Opens the Maildir at `root` with the given limits.
    pub fn with_limits(root: impl AsRef<Path>, limits: Limits) -> Result<Store> {
        let root = root.as_ref().to_owned();
        make_maildir(&root)?;
        Ok(Store {
            root,
            limits,
            registry: Arc::default(),
        })
    }

    /// The Maildir's root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The directory of a mailbox name (`INBOX` is the root; `Lists/rust`
    /// is `.Lists.rust`, each level in modified UTF-7).
    pub fn dir_of(&self, name: &str) -> Result<PathBuf> {
        if name.eq_ignore_ascii_case("INBOX") {
            return Ok(self.root.clone());
        }
        Ok(self.root.join(dir_name(name, &self.limits)?))
    }

    /// Opens a mailbox and syncs it; sessions of this process that open
    /// the same mailbox share its state and notifications.
    pub fn mailbox(&self, name: &str) -> Result<Mailbox> {
        let dir = self.dir_of(name)?;
        if !dir.join("cur").is_dir() {
            return Err(Error::NoSuchMailbox(name.to_owned()));
        }
        let shared = {
            let mut reg = self
                .registry
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            reg.open.retain(|_, w| w.strong_count() > 0);
            let shared = match reg.open.get(&dir).and_then(Weak::upgrade) {
                Some(s) => s,
                None => {
                    let s = Arc::new(Shared {
                        paths: Paths::new(&dir),
                        root: self.root.clone(),
                        limits: self.limits.clone(),
                        state: Mutex::new(State::default()),
                        watchers: Watchers::default(),
                    });
                    reg.open.insert(dir, Arc::downgrade(&s));
                    s
                }
            };
            reg.recent.retain(|s| !Arc::ptr_eq(s, &shared));
            reg.recent.push_front(shared.clone());
            reg.recent.truncate(self.limits.cached_mailboxes);
            shared
        };
        let name = if name.eq_ignore_ascii_case("INBOX") {
            "INBOX".to_owned()
        } else {
            name.to_owned()
        };
        let mailbox = Mailbox { shared, name };
        mailbox.sync()?;
        Ok(mailbox)
    }

    /// The mailbox if some session of this process has it open.
    pub(crate) fn open_mailbox(&self, dir: &Path) -> Option<Mailbox> {
        let reg = self
            .registry
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        reg.open
            .get(dir)
            .and_then(Weak::upgrade)
            .map(|shared| Mailbox {
                shared,
                name: String::new(),
            })
    }

    /// Every mailbox name, INBOX first, then sorted.
    pub fn list(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let entries = fs::read_dir(&self.root).map_err(io_err("readdir", &self.root))?;
        for entry in entries {
            let entry = entry.map_err(io_err("readdir", &self.root))?;
            let Ok(file) = entry.file_name().into_string() else {
                continue;
            };
            let Some(rest) = file.strip_prefix('.') else {
                continue;
            };
            if rest.is_empty() || rest.starts_with('.') || !entry.path().join("cur").is_dir() {
                continue;
            }
            let levels: Option<Vec<String>> = rest.split('.').map(utf7::decode).collect();
            if let Some(levels) = levels {
                out.push(levels.join(&SEPARATOR.to_string()));
            }
        }
        out.sort();
        out.insert(0, "INBOX".to_owned());
        Ok(out)
    }

    /// Creates a mailbox (with the `maildirfolder` marker file).
    pub fn create(&self, name: &str) -> Result<()> {
        let dir = self.dir_of(name)?;
        if name.eq_ignore_ascii_case("INBOX") || dir.exists() {
            return Err(Error::MailboxExists(name.to_owned()));
        }
        let tmp = self.root.join(format!("..create.{}", unique_name()));
        make_maildir(&tmp)?;
        fs::write(tmp.join("maildirfolder"), b"")
            .map_err(io_err("create", tmp.join("maildirfolder")))?;
        match fs::rename(&tmp, &dir) {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = fs::remove_dir_all(&tmp);
                if dir.exists() {
                    Err(Error::MailboxExists(name.to_owned()))
                } else {
                    Err(io_err("rename", dir)(e))
                }
            }
        }
    }

    /// Deletes a mailbox and its messages (its children stay).
    pub fn delete(&self, name: &str) -> Result<()> {
        if name.eq_ignore_ascii_case("INBOX") {
            return Err(Error::Unsupported("deleting INBOX"));
        }
        let dir = self.dir_of(name)?;
        let trash = self.root.join(format!("..delete.{}", unique_name()));
        match fs::rename(&dir, &trash) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(Error::NoSuchMailbox(name.to_owned()));
            }
            Err(e) => return Err(io_err("rename", dir)(e)),
        }
        self.forget(&dir);
        fs::remove_dir_all(&trash).map_err(io_err("rmdir", trash))
    }

    fn forget(&self, dir: &Path) {
        if let Some(mb) = self.open_mailbox(dir) {
            mb.lock().invalidate();
        }
        let mut reg = self
            .registry
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        reg.open.remove(dir);
        reg.recent.retain(|s| s.paths.dir != dir);
    }

    /// Renames a mailbox and its children (RFC 9051 §6.3.6), keeping
    /// their UIDVALIDITY; subscriptions follow.
    ///
    /// Renaming INBOX moves its messages into a new mailbox and leaves
    /// INBOX empty, as RFC 9051 §6.3.6 requires.
    pub fn rename(&self, from: &str, to: &str) -> Result<()> {
        if to.eq_ignore_ascii_case("INBOX") {
            return Err(Error::MailboxExists(to.to_owned()));
        }
        if from.eq_ignore_ascii_case("INBOX") {
            self.create(to)?;
            let inbox = self.mailbox("INBOX")?;
            inbox.move_to(&inbox.uids(), &self.mailbox(to)?)?;
            return Ok(());
        }
        let from_dir = dir_name(from, &self.limits)?;
        let to_dir = dir_name(to, &self.limits)?;
        if !self.root.join(&from_dir).is_dir() {
            return Err(Error::NoSuchMailbox(from.to_owned()));
        }
        if self.root.join(&to_dir).exists() {
            return Err(Error::MailboxExists(to.to_owned()));
        }
        let sep = SEPARATOR.to_string();
        let mut moves = vec![(from.to_owned(), to.to_owned())];
        for name in self.list()? {
            if let Some(rest) = name.strip_prefix(&format!("{from}{sep}")) {
                moves.push((name.clone(), format!("{to}{sep}{rest}")));
            }
        }
        for (old, new) in &moves {
            let (a, b) = (self.dir_of(old)?, self.dir_of(new)?);
            fs::rename(&a, &b).map_err(io_err("rename", &a))?;
            self.forget(&a);
        }
        let mut subs = self.subscriptions()?;
        let mut changed = false;
        for s in &mut subs {
            if let Some((_, new)) = moves.iter().find(|(old, _)| old == s) {
                *s = new.clone();
                changed = true;
            }
        }
        if changed {
            self.write_subscriptions(&subs)?;
        }
        Ok(())
    }

    /// The subscribed mailbox names.
    pub fn subscriptions(&self) -> Result<Vec<String>> {
        let path = self.root.join("subscriptions");
        let data = read_optional(&path, self.limits.max_control_file, "max_control_file")?
            .unwrap_or_default();
        Ok(subscriptions::parse(&data)
            .into_iter()
            .filter_map(|levels| {
                let levels: Option<Vec<String>> = levels.iter().map(|l| utf7::decode(l)).collect();
                levels.map(|l| l.join(&SEPARATOR.to_string()))
            })
            .collect())
    }

    fn write_subscriptions(&self, names: &[String]) -> Result<()> {
        let levels: Vec<Vec<String>> = names
            .iter()
            .map(|n| n.split(SEPARATOR).map(utf7::encode).collect())
            .collect();
        let path = self.root.join("subscriptions");
        write_atomic(
            &path,
            &self.root.join("subscriptions.tmp"),
            subscriptions::encode(&levels).as_bytes(),
        )
    }

    /// Subscribes to or unsubscribes from a mailbox (RFC 9051 §6.3.7).
    pub fn set_subscribed(&self, name: &str, subscribed: bool) -> Result<()> {
        dir_name(name, &self.limits).or_else(|e| {
            if name.eq_ignore_ascii_case("INBOX") {
                Ok(String::new())
            } else {
                Err(e)
            }
        })?;
        let path = self.root.join("subscriptions");
        let _lock = DotLock::acquire(&path, self.limits.lock_timeout, self.limits.stale_lock)?;
        let mut subs = self.subscriptions()?;
        let present = subs.iter().any(|s| s == name);
        if present == subscribed {
            return Ok(());
        }
        if subscribed {
            subs.push(name.to_owned());
        } else {
            subs.retain(|s| s != name);
        }
        self.write_subscriptions(&subs)
    }

    /// Creates and subscribes the SPECIAL-USE mailboxes that are missing
    /// (done on a user's first login).
    pub fn ensure_special_use(&self) -> Result<()> {
        for (_, name) in SpecialUse::ALL {
            match self.create(name) {
                Ok(()) => self.set_subscribed(name, true)?,
                Err(Error::MailboxExists(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The special use of a mailbox name.
    pub fn special_use(&self, name: &str) -> Option<SpecialUse> {
        SpecialUse::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(u, _)| *u)
    }
}

/// The Maildir++ directory name of a mailbox name.
fn dir_name(name: &str, limits: &Limits) -> Result<String> {
    let invalid = || Error::InvalidName(name.to_owned());
    if name.is_empty() || name.eq_ignore_ascii_case("INBOX") || name.len() > limits.max_name_len {
        return Err(invalid());
    }
    let levels: Vec<&str> = name.split(SEPARATOR).collect();
    if levels.len() > limits.max_depth {
        return Err(invalid());
    }
    let mut out = String::new();
    for level in levels {
        if level.is_empty() || level.contains('.') || level.chars().any(char::is_control) {
            return Err(invalid());
        }
        out.push('.');
        out.push_str(&utf7::encode(level));
    }
    Ok(out)
}

static UIDVALIDITY: Mutex<()> = Mutex::new(());

/// The next UIDVALIDITY for a new mailbox of the Maildir at `root`, by
/// Dovecot's protocol (`mailbox-uidvalidity.c`): a marker file
/// `dovecot-uidvalidity.<%08x>` holds the last value given and is renamed
/// to the next one, which makes the step atomic between processes; the
/// first value is the current time. `dovecot-uidvalidity` repeats it.
pub(crate) fn next_uidvalidity(root: &Path) -> Result<u32> {
    const PREFIX: &str = "dovecot-uidvalidity.";
    let _guard = UIDVALIDITY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for _ in 0..10 {
        let mut markers: Vec<u32> = fs::read_dir(root)
            .map_err(io_err("readdir", root))?
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .filter_map(|n| {
                n.strip_prefix(PREFIX)
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
            })
            .collect();
        markers.sort_unstable();
        let Some(&last) = markers.last() else {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs();
            let now = u32::try_from(now).unwrap_or(u32::MAX - 1).max(1);
            let marker = root.join(format!("{PREFIX}{:08x}", now.saturating_sub(1)));
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&marker)
            {
                Ok(_) => continue,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(io_err("create", marker)(e)),
            }
        };
        for old in markers.iter().filter(|m| **m != last) {
            let _ = fs::remove_file(root.join(format!("{PREFIX}{old:08x}")));
        }
        let next = last.checked_add(1).filter(|n| *n != 0).unwrap_or(1);
        let from = root.join(format!("{PREFIX}{last:08x}"));
        match fs::rename(&from, root.join(format!("{PREFIX}{next:08x}"))) {
            Ok(()) => {
                let path = root.join("dovecot-uidvalidity");
                let tmp = root.join(format!("dovecot-uidvalidity.tmp{}", std::process::id()));
                write_atomic(&path, &tmp, format!("{next:08x}").as_bytes())?;
                return Ok(next);
            }
            // Another process took this value: try the next one.
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io_err("rename", from)(e)),
        }
    }
    Err(Error::LockTimeout(root.join("dovecot-uidvalidity")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn folder_names() {
        let l = Limits::default();
        assert_eq!(dir_name("Lists/rust", &l).unwrap(), ".Lists.rust");
        assert_eq!(dir_name("Entwürfe", &l).unwrap(), ".Entw&APw-rfe");
        assert_eq!(dir_name("Tom & Jerry", &l).unwrap(), ".Tom &- Jerry");
        for bad in ["", "a//b", "a.b", "/a", "INBOX", "a\nb"] {
            assert!(
                matches!(dir_name(bad, &l), Err(Error::InvalidName(_))),
                "{bad:?}"
            );
        }
    }
}
