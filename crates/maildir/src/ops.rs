//! Changing a mailbox: flags and keywords, expunge, append, copy and move
//! with UIDPLUS results ([RFC 4315]).
//!
//! [RFC 4315]: https://www.rfc-editor.org/rfc/rfc4315

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::time::SystemTime;

use crate::error::{Error, Result, io_err};
use crate::fsutil::{crlf_size, fsync_dir, unique_name, write_atomic};
use crate::lock::DotLock;
use crate::mailbox::Mailbox;
use crate::name::{FileName, Flags, Info, base_field};
use crate::notify::Change;
use crate::state::{Paths, State};

/// How STORE combines the given flags with the present ones (RFC 9051
/// §6.4.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreMode {
    /// `+FLAGS`.
    Add,
    /// `-FLAGS`.
    Remove,
    /// `FLAGS`.
    Replace,
}

/// What a STORE did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoreResult {
    /// Messages whose flags changed, with their new MODSEQ.
    pub updated: Vec<(u32, u64)>,
    /// Messages left alone because their MODSEQ was above
    /// `UNCHANGEDSINCE` (RFC 7162 §3.1.3, the MODIFIED response code).
    pub modified: Vec<u32>,
}

/// The UIDPLUS `APPENDUID` result (RFC 4315 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppendUid {
    /// The destination's UIDVALIDITY.
    pub uidvalidity: u32,
    /// The new message's UID.
    pub uid: u32,
}

/// The UIDPLUS `COPYUID` result (RFC 4315 §3).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CopyUid {
    /// The destination's UIDVALIDITY.
    pub uidvalidity: u32,
    /// Source UIDs, in the order copied.
    pub source: Vec<u32>,
    /// The matching destination UIDs.
    pub dest: Vec<u32>,
}

/// A file to put into a mailbox.
struct Placing {
    from: std::path::PathBuf,
    base: String,
    link: bool,
    flags: Flags,
    keywords: Vec<String>,
}

fn uidlist_lock(paths: &Paths, shared: &crate::mailbox::Shared) -> Result<DotLock> {
    DotLock::acquire(
        &paths.uidlist,
        shared.limits.lock_timeout,
        shared.limits.stale_lock,
    )
}

/// The keyword mask of `names`, giving new keywords letters; the caller
/// holds the uidlist lock.
fn keyword_mask(st: &mut State, paths: &Paths, names: &[&str], max: u64) -> Result<u32> {
    let mut mask = 0u32;
    let mut added = false;
    for name in names {
        if st.keywords.letter(name).is_none() {
            if !added {
                // Re-read under the lock: another program may have added some.
                let data = crate::fsutil::read_optional(&paths.keywords, max, "max_control_file")?;
                st.keywords = data
                    .map(|d| crate::keywords::Keywords::parse(&d))
                    .unwrap_or_default();
            }
            added = true;
        }
        let c = st.keywords.add(name)?;
        mask |= 1 << (u32::from(c) - u32::from('a'));
    }
    if added {
        let tmp = paths.dir.join("dovecot-keywords.tmp");
        write_atomic(&paths.keywords, &tmp, st.keywords.encode().as_bytes())?;
    }
    Ok(mask)
}

impl Mailbox {
    fn keywords_mask(&self, st: &mut State, names: &[&str]) -> Result<u32> {
        let paths = &self.shared.paths;
        if names.iter().all(|n| st.keywords.letter(n).is_some()) {
            return keyword_mask(st, paths, names, self.shared.limits.max_control_file);
        }
        let _lock = uidlist_lock(paths, &self.shared)?;
        keyword_mask(st, paths, names, self.shared.limits.max_control_file)
    }

    /// Sets, adds or removes flags and keywords (IMAP STORE), optionally
    /// only on messages not changed since `unchanged_since`.
    pub fn store(
        &self,
        uids: &[u32],
        mode: StoreMode,
        flags: Flags,
        keywords: &[&str],
        unchanged_since: Option<u64>,
    ) -> Result<StoreResult> {
        self.sync()?;
        let mut st = self.lock();
        let paths = self.shared.paths.clone();
        let mask = if mode == StoreMode::Remove {
            keywords
                .iter()
                .filter_map(|k| st.keywords.letter(k))
                .fold(0, |m, c| m | 1 << (u32::from(c) - 97))
        } else {
            self.keywords_mask(&mut st, keywords)?
        };
        let mut result = StoreResult::default();
        let mut changes = Vec::new();
        for &uid in uids {
            let Some(m) = st.msgs.get(&uid) else { continue };
            if unchanged_since.is_some_and(|since| m.modseq > since) {
                result.modified.push(uid);
                continue;
            }
            let mut info = m.info.clone();
            match mode {
                StoreMode::Add => {
                    info.flags |= flags;
                    info.keywords |= mask;
                }
                StoreMode::Remove => {
                    info.flags = info.flags & !flags;
                    info.keywords &= !mask;
                }
                StoreMode::Replace => {
                    info.flags = flags;
                    info.keywords = mask;
                }
            }
            if info == m.info {
                continue;
            }
            let from = paths.file(m.in_new, &m.file);
            let target = FileName::with_info(&m.base, &info);
            match fs::rename(&from, paths.cur.join(&target)) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    // Renamed or expunged by another program; the next
                    // sync finds out which.
                    st.invalidate();
                    continue;
                }
                Err(e) => return Err(io_err("rename", from)(e)),
            }
            st.highest_modseq += 1;
            let modseq = st.highest_modseq;
            if let Some(m) = st.msgs.get_mut(&uid) {
                m.file = target;
                m.in_new = false;
                m.info = info;
                m.modseq = modseq;
            }
            result.updated.push((uid, modseq));
            changes.push(Change::Flags { uid, modseq });
        }
        if !changes.is_empty() {
            st.persist(&paths, &changes)?;
            st.restamp(&paths);
        }
        drop(st);
        self.notify(&changes);
        Ok(result)
    }

    /// Expunges messages: removes their files. Returns the UIDs expunged.
    pub fn expunge(&self, uids: &[u32]) -> Result<Vec<u32>> {
        self.sync()?;
        let mut st = self.lock();
        let paths = self.shared.paths.clone();
        let mut done = Vec::new();
        for &uid in uids {
            let Some(m) = st.msgs.get(&uid) else { continue };
            let path = paths.file(m.in_new, &m.file);
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    st.invalidate();
                    continue;
                }
                Err(e) => return Err(io_err("unlink", path)(e)),
            }
            st.msgs.remove(&uid);
            st.highest_modseq += 1;
            done.push(uid);
        }
        let changes: Vec<Change> = done.iter().map(|&uid| Change::Expunged { uid }).collect();
        if !done.is_empty() {
            fsync_dir(&paths.cur)?;
            st.persist(&paths, &changes)?;
            st.restamp(&paths);
        }
        drop(st);
        self.notify(&changes);
        Ok(done)
    }

    /// Expunges every message flagged `\Deleted` (IMAP EXPUNGE).
    pub fn expunge_deleted(&self) -> Result<Vec<u32>> {
        self.sync()?;
        let uids: Vec<u32> = {
            let st = self.lock();
            st.msgs
                .iter()
                .filter(|(_, m)| m.info.flags.contains(Flags::DELETED))
                .map(|(u, _)| *u)
                .collect()
        };
        self.expunge(&uids)
    }

    /// Appends a message with flags, keywords and an internal date (the
    /// file's modification time), durably (IMAP APPEND).
    pub fn append(
        &self,
        data: &[u8],
        flags: Flags,
        keywords: &[&str],
        internal_date: Option<SystemTime>,
    ) -> Result<AppendUid> {
        let paths = self.shared.paths.clone();
        let base = format!("{},S={},W={}", unique_name(), data.len(), crlf_size(data));
        let tmp = paths.tmp.join(&base);
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(io_err("create", &tmp))?;
        let written = f.write_all(data).and_then(|()| {
            if let Some(date) = internal_date {
                f.set_modified(date)?;
            }
            f.sync_all()
        });
        drop(f);
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(io_err("write", tmp)(e));
        }
        let keywords = keywords.iter().map(|k| (*k).to_owned()).collect();
        let result = self.place(vec![Placing {
            from: tmp.clone(),
            base,
            link: false,
            flags,
            keywords,
        }]);
        let _ = fs::remove_file(&tmp);
        let uid = result?
            .first()
            .map(|(_, u)| *u)
            .ok_or(Error::Unsupported("append placed nothing"))?;
        Ok(AppendUid {
            uidvalidity: self.uidvalidity(),
            uid,
        })
    }

    /// Puts files into `cur/` (renamed from this mailbox's `tmp/`, or
    /// hard-linked from another mailbox) and gives them UIDs; a file that
    /// vanished before it could be linked is skipped. Returns the index of
    /// each placed file with its UID.
    fn place(&self, files: Vec<Placing>) -> Result<Vec<(usize, u32)>> {
        self.sync()?;
        let mut st = self.lock();
        let paths = self.shared.paths.clone();
        let _lock = uidlist_lock(&paths, &self.shared)?;
        let mut placed = Vec::new();
        let mut indexes = Vec::new();
        for (i, p) in files.into_iter().enumerate() {
            let kws: Vec<&str> = p.keywords.iter().map(String::as_str).collect();
            let mask = keyword_mask(&mut st, &paths, &kws, self.shared.limits.max_control_file)?;
            let info = Info {
                flags: p.flags,
                keywords: mask,
                unknown: String::new(),
            };
            let name = FileName::with_info(&p.base, &info);
            let to = paths.cur.join(&name);
            let r = if p.link {
                link_or_copy(&p.from, &to)
            } else {
                fs::rename(&p.from, &to)
            };
            match r {
                Ok(()) => {}
                Err(e) if p.link && e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io_err(if p.link { "link" } else { "rename" }, &to)(e)),
            }
            placed.push((name, info));
            indexes.push(i);
        }
        if placed.is_empty() {
            return Ok(Vec::new());
        }
        fsync_dir(&paths.cur)?;
        let uids = st.add_own(&paths, placed, &self.shared.limits)?;
        let changes: Vec<Change> = uids.iter().map(|&uid| Change::Exists { uid }).collect();
        st.persist(&paths, &changes)?;
        st.restamp(&paths);
        drop(st);
        self.notify(&changes);
        Ok(indexes.into_iter().zip(uids).collect())
    }

    /// Copies messages into `dest` (hard links), keeping flags and
    /// keywords (IMAP COPY with the COPYUID result).
    pub fn copy_to(&self, uids: &[u32], dest: &Mailbox) -> Result<CopyUid> {
        self.sync()?;
        let mut files = Vec::new();
        let mut sources = Vec::new();
        for &uid in uids {
            let Ok(info) = self.message(uid) else {
                continue;
            };
            let Ok(from) = self.file_path(uid) else {
                continue;
            };
            let src_base = FileName::parse(&info.file)
                .map(|f| f.base)
                .unwrap_or_default();
            let mut base = unique_name();
            for key in ['S', 'W'] {
                if let Some(v) = base_field(&src_base, key) {
                    base.push_str(&format!(",{key}={v}"));
                }
            }
            files.push(Placing {
                from,
                base,
                link: true,
                flags: info.flags,
                keywords: info.keywords,
            });
            sources.push(uid);
        }
        let mut result = CopyUid::default();
        for (i, uid) in dest.place(files)? {
            if let Some(src) = sources.get(i) {
                result.source.push(*src);
                result.dest.push(uid);
            }
        }
        result.uidvalidity = dest.uidvalidity();
        Ok(result)
    }

    /// Moves messages into `dest`: a copy, then an expunge (RFC 6851).
    pub fn move_to(&self, uids: &[u32], dest: &Mailbox) -> Result<CopyUid> {
        let result = self.copy_to(uids, dest)?;
        self.expunge(&result.source)?;
        Ok(result)
    }
}

/// Hard-links `from` to `to`, copying when they are on different file
/// systems.
pub(crate) fn link_or_copy(from: &Path, to: &Path) -> io::Result<()> {
    match fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::CrossesDevices || e.raw_os_error() == Some(18) => {
            fs::copy(from, to).map(|_| ())
        }
        Err(e) => Err(e),
    }
}
