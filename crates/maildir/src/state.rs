//! The in-memory state of one mailbox and its sync with the directories
//! and control files (what Dovecot calls a maildir sync).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::Limits;
use crate::error::{Error, Result, io_err};
use crate::fsutil::{Stamp, append_durable, read_optional, stamp, write_atomic};
use crate::keywords::Keywords;
use crate::lock::DotLock;
use crate::modseq::{self, Sidecar};
use crate::name::{FileName, Info, sort_key};
use crate::notify::Change;
use crate::uidlist::{UidRecord, Uidlist};

/// The files of one mailbox directory.
#[derive(Clone, Debug)]
pub(crate) struct Paths {
    pub(crate) dir: PathBuf,
    pub(crate) new: PathBuf,
    pub(crate) cur: PathBuf,
    pub(crate) tmp: PathBuf,
    pub(crate) uidlist: PathBuf,
    pub(crate) keywords: PathBuf,
    pub(crate) sidecar: PathBuf,
}

impl Paths {
    pub(crate) fn new(dir: &Path) -> Paths {
        Paths {
            dir: dir.to_owned(),
            new: dir.join("new"),
            cur: dir.join("cur"),
            tmp: dir.join("tmp"),
            uidlist: dir.join("dovecot-uidlist"),
            keywords: dir.join("dovecot-keywords"),
            sidecar: dir.join(modseq::FILE_NAME),
        }
    }

    /// The path of a message file.
    pub(crate) fn file(&self, in_new: bool, file: &str) -> PathBuf {
        if in_new {
            self.new.join(file)
        } else {
            self.cur.join(file)
        }
    }
}

/// One message as the state knows it.
#[derive(Clone, Debug)]
pub(crate) struct Msg {
    pub(crate) file: String,
    pub(crate) base: String,
    pub(crate) in_new: bool,
    pub(crate) info: Info,
    pub(crate) modseq: u64,
}

/// A mailbox's state.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) loaded: bool,
    pub(crate) uidvalidity: u32,
    pub(crate) next_uid: u32,
    pub(crate) guid: String,
    pub(crate) header_ext: String,
    pub(crate) msgs: BTreeMap<u32, Msg>,
    pub(crate) keywords: Keywords,
    pub(crate) highest_modseq: u64,
    stamps: [Stamp; 4],
    /// Lines in the sidecar file, to know when to rewrite it.
    sidecar_lines: usize,
}

/// Base name to (file name, in `new/`, info).
type Listing = HashMap<String, (String, bool, Info)>;

fn list_dirs(paths: &Paths) -> Result<Listing> {
    let mut out = Listing::new();
    for (dir, in_new) in [(&paths.new, true), (&paths.cur, false)] {
        let entries = match fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io_err("readdir", dir)(e)),
        };
        for entry in entries {
            let entry = entry.map_err(io_err("readdir", dir))?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if let Some(parsed) = FileName::parse(&name) {
                out.insert(parsed.base, (name, in_new, parsed.info));
            }
        }
    }
    Ok(out)
}

/// Lists `new/` and `cur/` until a listing is not raced by a rename (the
/// directory stamps equal before and after it).
fn list_stable(paths: &Paths) -> Result<Listing> {
    let mut listing = Listing::new();
    for _ in 0..5 {
        let before = (stamp(&paths.new), stamp(&paths.cur));
        listing = list_dirs(paths)?;
        if before == (stamp(&paths.new), stamp(&paths.cur)) {
            break;
        }
    }
    Ok(listing)
}

fn trusted(s: Stamp, now: SystemTime) -> Stamp {
    // A directory changed within the last two seconds may change again
    // without its mtime moving (coarse clock): do not trust it yet.
    match s.mtime() {
        Some(m)
            if now
                .duration_since(m)
                .is_ok_and(|d| d > Duration::from_secs(2)) =>
        {
            s
        }
        _ => Stamp::default(),
    }
}

impl State {
    fn read_uidlist(&self, paths: &Paths, limits: &Limits) -> Result<Option<Uidlist>> {
        match read_optional(&paths.uidlist, limits.max_control_file, "max_control_file")? {
            None => Ok(None),
            Some(data) => Uidlist::parse(&data, limits.max_messages).map(Some),
        }
    }

    /// Forgets the directory stamps so that the next sync reads the
    /// directories again.
    pub(crate) fn invalidate(&mut self) {
        self.stamps = [Stamp::default(); 4];
    }

    /// Brings the state up to date with the disk and returns what changed.
    pub(crate) fn sync(
        &mut self,
        paths: &Paths,
        root: &Path,
        limits: &Limits,
    ) -> Result<Vec<Change>> {
        let now = SystemTime::now();
        let stamps = [
            stamp(&paths.new),
            stamp(&paths.cur),
            stamp(&paths.uidlist),
            stamp(&paths.keywords),
        ];
        if self.loaded && stamps == self.stamps && stamps != [Stamp::default(); 4] {
            return Ok(Vec::new());
        }
        if !self.loaded || stamps[3] != self.stamps[3] {
            let data = read_optional(&paths.keywords, limits.max_control_file, "max_control_file")?;
            self.keywords = data.map(|d| Keywords::parse(&d)).unwrap_or_default();
        }
        let mut sidecar: Option<Sidecar> = None;
        if !self.loaded {
            clean_tmp(&paths.tmp, limits.tmp_max_age);
            clean_lock_temps(&paths.dir, limits.stale_lock);
            let data = read_optional(&paths.sidecar, limits.max_control_file, "max_control_file")?;
            // A broken sidecar only costs new modseqs.
            sidecar = data.and_then(|d| Sidecar::parse(&d).ok());
        }
        let mut listing = list_stable(paths)?;
        let mut list = self.read_uidlist(paths, limits)?;
        let unmatched = |list: &Option<Uidlist>, listing: &Listing| -> usize {
            let found = list
                .iter()
                .flat_map(|l| &l.records)
                .filter(|r| listing.contains_key(&r.base))
                .count();
            listing.len().saturating_sub(found)
        };
        // Known messages missing from a listing may have been renamed
        // while it ran: list once more and keep both.
        if self.msgs.values().any(|m| !listing.contains_key(&m.base)) {
            for (k, v) in list_stable(paths)? {
                listing.entry(k).or_insert(v);
            }
        }
        if list.is_none() || unmatched(&list, &listing) > 0 {
            let _lock = DotLock::acquire(&paths.uidlist, limits.lock_timeout, limits.stale_lock)?;
            list = self.read_uidlist(paths, limits)?;
            let existed = list.is_some();
            let mut l = match list.take() {
                Some(l) => l,
                None => Uidlist {
                    uidvalidity: crate::store::next_uidvalidity(root)?,
                    next_uid: 1,
                    guid: new_guid(),
                    header_ext: String::new(),
                    records: Vec::new(),
                },
            };
            let known: HashSet<String> = l.records.iter().map(|r| r.base.clone()).collect();
            let mut fresh: Vec<&String> = listing
                .keys()
                .filter(|b| !known.contains(b.as_str()))
                .collect();
            fresh.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
            if l.records.len() + fresh.len() > limits.max_messages {
                return Err(Error::LimitExceeded {
                    what: "max_messages",
                    limit: limits.max_messages as u64,
                });
            }
            // Drop the records of messages this state saw and that are
            // gone; keep the others (another program may be delivering).
            let same_validity = l.uidvalidity == self.uidvalidity;
            let before = l.records.len();
            l.records.retain(|r| {
                listing.contains_key(&r.base) || !(same_validity && self.msgs.contains_key(&r.uid))
            });
            let kept = l.records.len();
            for base in fresh {
                if l.next_uid == u32::MAX {
                    return Err(Error::UidsExhausted);
                }
                l.records.push(UidRecord {
                    uid: l.next_uid,
                    ext: String::new(),
                    base: base.clone(),
                });
                l.next_uid += 1;
            }
            if existed && kept == before && ends_with_newline(&paths.uidlist) {
                // Only new records: appended, as Dovecot does.
                let added = Uidlist::encode_records(l.records.get(kept..).unwrap_or_default());
                append_durable(&paths.uidlist, added.as_bytes())?;
            } else {
                let tmp = paths.dir.join("dovecot-uidlist.tmp");
                write_atomic(&paths.uidlist, &tmp, l.encode().as_bytes())?;
            }
            list = Some(l);
        }
        let list = list.ok_or(Error::Unsupported("uidlist vanished"))?;
        let first = !self.loaded;
        let loaded = sidecar.as_ref().map(|s| (s.lines, s.highest));
        let changes = self.apply(list, listing, sidecar);
        if first {
            // Rewritten when it does not match (new modseqs given, lines
            // appended, messages gone): compacts the appended lines.
            if loaded != Some((self.msgs.len(), self.highest_modseq)) {
                self.save_sidecar(paths)?;
            } else {
                self.sidecar_lines = self.msgs.len();
            }
        } else {
            self.persist(paths, &changes)?;
        }
        self.stamps = [
            trusted(stamp(&paths.new), now),
            trusted(stamp(&paths.cur), now),
            trusted(stamp(&paths.uidlist), now),
            stamp(&paths.keywords),
        ];
        Ok(changes)
    }

    fn apply(
        &mut self,
        list: Uidlist,
        mut listing: Listing,
        sidecar: Option<Sidecar>,
    ) -> Vec<Change> {
        let mut changes = Vec::new();
        let first = !self.loaded;
        if self.loaded && list.uidvalidity != self.uidvalidity {
            self.msgs.clear();
            changes.push(Change::UidValidity {
                uidvalidity: list.uidvalidity,
            });
        }
        let mut seeded: HashMap<u32, (u64, String)> = HashMap::new();
        if let Some(s) = sidecar.filter(|s| s.uidvalidity == list.uidvalidity) {
            self.highest_modseq = self.highest_modseq.max(s.highest);
            seeded = s.records.into_iter().map(|(u, m, l)| (u, (m, l))).collect();
        }
        self.uidvalidity = list.uidvalidity;
        self.next_uid = list.next_uid;
        self.guid = list.guid;
        self.header_ext = list.header_ext;
        let mut old = std::mem::take(&mut self.msgs);
        for rec in list.records {
            let Some((file, in_new, info)) = listing.remove(&rec.base) else {
                continue;
            };
            let modseq = match old.remove(&rec.uid) {
                Some(prev) if prev.base == rec.base => {
                    if prev.info == info {
                        prev.modseq
                    } else {
                        self.highest_modseq += 1;
                        changes.push(Change::Flags {
                            uid: rec.uid,
                            modseq: self.highest_modseq,
                        });
                        self.highest_modseq
                    }
                }
                _ => match seeded.get(&rec.uid) {
                    Some((m, letters)) if *letters == info.letters() && first => *m,
                    _ => {
                        self.highest_modseq += 1;
                        if !first {
                            changes.push(Change::Exists { uid: rec.uid });
                        }
                        self.highest_modseq
                    }
                },
            };
            self.msgs.insert(
                rec.uid,
                Msg {
                    file,
                    base: rec.base,
                    in_new,
                    info,
                    modseq,
                },
            );
        }
        for uid in old.into_keys() {
            self.highest_modseq += 1;
            changes.push(Change::Expunged { uid });
        }
        changes.sort_by_key(|c| match c {
            Change::UidValidity { .. } => 0,
            Change::Expunged { .. } => 1,
            Change::Exists { .. } => 2,
            _ => 3,
        });
        if first && self.highest_modseq == 0 {
            self.highest_modseq = 1;
        }
        self.loaded = true;
        changes
    }

    /// Records changes in the sidecar: appended, or the whole file
    /// rewritten when the appended lines outnumber the messages.
    pub(crate) fn persist(&mut self, paths: &Paths, changes: &[Change]) -> Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let rewrite = self.sidecar_lines > 2 * self.msgs.len() + 1000
            || !ends_with_newline(&paths.sidecar)
            || changes
                .iter()
                .any(|c| matches!(c, Change::UidValidity { .. }))
            || !paths.sidecar.exists();
        if rewrite {
            return self.save_sidecar(paths);
        }
        let mut out = String::new();
        for c in changes {
            match c {
                Change::Exists { uid } | Change::Flags { uid, .. } => {
                    if let Some(m) = self.msgs.get(uid) {
                        out.push_str(&format!("{uid} {} {}\n", m.modseq, m.info.letters()));
                    }
                }
                Change::Expunged { uid } => {
                    out.push_str(&format!("-{uid} {}\n", self.highest_modseq))
                }
                Change::UidValidity { .. } => {}
            }
        }
        self.sidecar_lines += changes.len();
        append_durable(&paths.sidecar, out.as_bytes())
    }

    /// Writes the whole modseq sidecar.
    pub(crate) fn save_sidecar(&mut self, paths: &Paths) -> Result<()> {
        self.sidecar_lines = self.msgs.len();
        // Another process may have counted further: HIGHESTMODSEQ never
        // goes back.
        let mut head = Vec::new();
        if let Ok(f) = fs::File::open(&paths.sidecar) {
            use std::io::Read as _;
            let _ = f.take(256).read_to_end(&mut head);
        }
        let header = head.split(|&b| b == b'\n').next().unwrap_or_default();
        if let Ok(on_disk) = Sidecar::parse(header)
            && on_disk.uidvalidity == self.uidvalidity
        {
            self.highest_modseq = self.highest_modseq.max(on_disk.highest);
        }
        let sidecar = Sidecar {
            lines: self.msgs.len(),
            uidvalidity: self.uidvalidity,
            highest: self.highest_modseq,
            records: self
                .msgs
                .iter()
                .map(|(u, m)| (*u, m.modseq, m.info.letters()))
                .collect(),
        };
        // Written without the uidlist lock: a temporary name of its own.
        let tmp = paths.dir.join(format!(
            "{}.tmp.{}",
            modseq::FILE_NAME,
            crate::fsutil::unique_name()
        ));
        write_atomic(&paths.sidecar, &tmp, sidecar.encode().as_bytes())
    }

    /// Records the current stamps after a change this state made itself.
    pub(crate) fn restamp(&mut self, paths: &Paths) {
        let now = SystemTime::now();
        self.stamps = [
            trusted(stamp(&paths.new), now),
            trusted(stamp(&paths.cur), now),
            trusted(stamp(&paths.uidlist), now),
            stamp(&paths.keywords),
        ];
    }

    /// Adds records for files this state placed in `cur/` itself, under
    /// the uidlist lock the caller holds: returns their UIDs.
    pub(crate) fn add_own(
        &mut self,
        paths: &Paths,
        files: Vec<(String, Info)>,
        limits: &Limits,
    ) -> Result<Vec<u32>> {
        let mut list = self
            .read_uidlist(paths, limits)?
            .ok_or(Error::Unsupported("mailbox has no uidlist"))?;
        let mut uids = Vec::with_capacity(files.len());
        for (file, _) in &files {
            if list.next_uid == u32::MAX {
                return Err(Error::UidsExhausted);
            }
            let base = FileName::parse(file).map(|f| f.base).unwrap_or_default();
            list.records.push(UidRecord {
                uid: list.next_uid,
                ext: String::new(),
                base,
            });
            uids.push(list.next_uid);
            list.next_uid += 1;
        }
        if !ends_with_newline(&paths.uidlist) {
            // A crash cut an append short: rewrite the whole file.
            let tmp = paths.dir.join("dovecot-uidlist.tmp");
            write_atomic(&paths.uidlist, &tmp, list.encode().as_bytes())?;
        } else {
            let start = list.records.len().saturating_sub(uids.len());
            let added = Uidlist::encode_records(list.records.get(start..).unwrap_or_default());
            append_durable(&paths.uidlist, added.as_bytes())?;
        }
        self.next_uid = list.next_uid;
        for ((file, info), uid) in files.into_iter().zip(&uids) {
            self.highest_modseq += 1;
            let base = FileName::parse(&file).map(|f| f.base).unwrap_or_default();
            let msg = Msg {
                file,
                base,
                in_new: false,
                info,
                modseq: self.highest_modseq,
            };
            self.msgs.insert(*uid, msg);
        }
        Ok(uids)
    }
}

/// Whether a file ends with LF (an append was not cut short); a missing
/// or empty file counts as cut short.
fn ends_with_newline(path: &Path) -> bool {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let Ok(mut f) = fs::File::open(path) else {
        return false;
    };
    let mut last = [0u8; 1];
    f.seek(SeekFrom::End(-1)).is_ok() && f.read_exact(&mut last).is_ok() && last == [b'\n']
}

/// Removes the temporary files of dotlocks (`dovecot-uidlist.lock.<unique>`)
/// that a crash left, once older than a stale lock.
fn clean_lock_temps(dir: &Path, age: Duration) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_temp = name
            .to_str()
            .is_some_and(|n| n.starts_with("dovecot-uidlist.lock."));
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|m| now.duration_since(m).is_ok_and(|a| a > age));
        if is_temp && old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Removes files in `tmp/` older than `max_age` (the Maildir
/// specification's 36 hours).
fn clean_tmp(tmp: &Path, max_age: Duration) {
    let Ok(entries) = fs::read_dir(tmp) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .ok()
            .filter(fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .is_some_and(|m| now.duration_since(m).is_ok_and(|age| age > max_age));
        if old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A new mailbox GUID: 128 bits in hexadecimal, as Dovecot writes it.
fn new_guid() -> String {
    use std::hash::{BuildHasher, Hasher};
    // std's RandomState is seeded from the operating system's random
    // source; a GUID needs to be unique, not secret.
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let mut out = String::with_capacity(32);
    for half in 0..2u8 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u8(half);
        h.write_u128(nanos);
        h.write_u32(std::process::id());
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}
