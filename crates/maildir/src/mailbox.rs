//! One mailbox (INBOX or a Maildir++ folder): its messages, their state
//! and reading them.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use crate::Limits;
use crate::error::{Error, Result, io_err};
use crate::fsutil::crlf_size;
use crate::name::{FileName, Flags, Info};
use crate::notify::{Change, Watchers};
use crate::state::{Paths, State};

/// What every session of this process shares about one mailbox.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) paths: Paths,
    pub(crate) root: PathBuf,
    pub(crate) limits: Limits,
    pub(crate) state: Mutex<State>,
    pub(crate) watchers: Watchers,
}

/// A handle on one mailbox; cheap to clone, shared by the sessions of
/// this process that opened the same mailbox.
#[derive(Clone, Debug)]
pub struct Mailbox {
    pub(crate) shared: Arc<Shared>,
    pub(crate) name: String,
}

/// One message's IMAP state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageInfo {
    /// Its UID (RFC 9051 §2.3.1.1).
    pub uid: u32,
    /// Its MODSEQ (RFC 7162 §3.1).
    pub modseq: u64,
    /// Its system flags.
    pub flags: Flags,
    /// Its keywords by name.
    pub keywords: Vec<String>,
    /// Whether it is still in `new/` (IMAP `\Recent` not yet taken).
    pub recent: bool,
    /// The `,S=` size, when the file name carries it.
    pub size: Option<u64>,
    /// The `,W=` CRLF size (RFC822.SIZE), when the file name carries it.
    pub vsize: Option<u64>,
    /// The file's name in `cur/` or `new/`.
    pub file: String,
}

/// Counters of a mailbox (IMAP STATUS, RFC 9051 §6.3.11; HIGHESTMODSEQ,
/// RFC 7162 §3.1.2.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Status {
    /// Number of messages.
    pub messages: u32,
    /// Messages in `new/`.
    pub recent: u32,
    /// Messages without `\Seen`.
    pub unseen: u32,
    /// UIDNEXT.
    pub uid_next: u32,
    /// UIDVALIDITY.
    pub uidvalidity: u32,
    /// HIGHESTMODSEQ.
    pub highest_modseq: u64,
    /// Sum of the `,S=` sizes (files without one are counted by `stat`).
    pub size: u64,
    /// Sum of the `,W=` CRLF sizes (files without one are read).
    pub vsize: u64,
}

impl Mailbox {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.shared
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The mailbox's name (`INBOX`, `Lists/rust`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The mailbox's directory.
    pub fn path(&self) -> &std::path::Path {
        &self.shared.paths.dir
    }

    /// Brings the state up to date with the disk (cheap when the
    /// directories did not change), tells the watchers what changed, and
    /// returns it.
    pub fn sync(&self) -> Result<Vec<Change>> {
        let changes = {
            let mut st = self.lock();
            st.sync(&self.shared.paths, &self.shared.root, &self.shared.limits)?
        };
        self.shared.watchers.send(&changes);
        Ok(changes)
    }

    /// A channel that receives every later change made through this
    /// process or found by a sync.
    pub fn watch(&self) -> Receiver<Change> {
        self.shared.watchers.watch()
    }

    pub(crate) fn notify(&self, changes: &[Change]) {
        self.shared.watchers.send(changes);
    }

    /// The UIDVALIDITY (RFC 9051 §2.3.1.1), without a sync.
    pub fn uidvalidity(&self) -> u32 {
        self.lock().uidvalidity
    }

    /// The UIDNEXT, without a sync.
    pub fn uid_next(&self) -> u32 {
        self.lock().next_uid
    }

    /// The HIGHESTMODSEQ (RFC 7162 §3.1.2.1), without a sync.
    pub fn highest_modseq(&self) -> u64 {
        self.lock().highest_modseq
    }

    /// The counters, without a sync (sizes come from the file names, so
    /// this walks every message).
    pub fn status(&self) -> Status {
        let st = self.lock();
        let mut s = Status {
            messages: u32::try_from(st.msgs.len()).unwrap_or(u32::MAX),
            uid_next: st.next_uid,
            uidvalidity: st.uidvalidity,
            highest_modseq: st.highest_modseq,
            ..Status::default()
        };
        for m in st.msgs.values() {
            if m.in_new {
                s.recent += 1;
            }
            if !m.info.flags.contains(Flags::SEEN) {
                s.unseen += 1;
            }
            let path = || self.shared.paths.file(m.in_new, &m.file);
            let size = crate::name::base_field(&m.base, 'S')
                .or_else(|| std::fs::metadata(path()).ok().map(|md| md.len()))
                .unwrap_or(0);
            s.size += size;
            s.vsize += crate::name::base_field(&m.base, 'W')
                .or_else(|| std::fs::read(path()).ok().map(|d| crlf_size(&d)))
                .unwrap_or(size);
        }
        s
    }

    fn info(st: &State, uid: u32) -> Option<MessageInfo> {
        let m = st.msgs.get(&uid)?;
        let keywords = (0..26)
            .filter(|i| m.info.keywords & (1 << i) != 0)
            .filter_map(|i| st.keywords.name(i).map(str::to_owned))
            .collect();
        Some(MessageInfo {
            uid,
            modseq: m.modseq,
            flags: m.info.flags,
            keywords,
            recent: m.in_new,
            size: crate::name::base_field(&m.base, 'S'),
            vsize: crate::name::base_field(&m.base, 'W'),
            file: m.file.clone(),
        })
    }

    /// Every message in UID order, without a sync.
    pub fn messages(&self) -> Vec<MessageInfo> {
        let st = self.lock();
        st.msgs
            .keys()
            .filter_map(|uid| Self::info(&st, *uid))
            .collect()
    }

    /// The UIDs in order, without a sync.
    pub fn uids(&self) -> Vec<u32> {
        self.lock().msgs.keys().copied().collect()
    }

    /// One message's state.
    pub fn message(&self, uid: u32) -> Result<MessageInfo> {
        Self::info(&self.lock(), uid).ok_or(Error::NoSuchMessage(uid))
    }

    /// The keywords defined in this mailbox (IMAP FLAGS and
    /// PERMANENTFLAGS).
    pub fn keywords(&self) -> Vec<String> {
        self.lock()
            .keywords
            .iter()
            .map(|(_, n)| n.to_owned())
            .collect()
    }

    /// Takes `\Recent` (RFC 3501 §2.3.2): moves every message of `new/`
    /// into `cur/` and returns their UIDs. Only one session gets each.
    pub fn take_recent(&self) -> Result<Vec<u32>> {
        let mut st = self.lock();
        let paths = &self.shared.paths;
        let mut taken = Vec::new();
        let recent: Vec<u32> = st
            .msgs
            .iter()
            .filter(|(_, m)| m.in_new)
            .map(|(u, _)| *u)
            .collect();
        for uid in recent {
            let Some(m) = st.msgs.get_mut(&uid) else {
                continue;
            };
            let target = FileName::with_info(&m.base, &m.info);
            match std::fs::rename(paths.new.join(&m.file), paths.cur.join(&target)) {
                Ok(()) => {
                    m.file = target;
                    m.in_new = false;
                    taken.push(uid);
                }
                // Taken (or expunged) by another process: the next sync
                // sees where it went.
                Err(e) if e.kind() == io::ErrorKind::NotFound => st.invalidate(),
                Err(e) => return Err(io_err("rename", paths.new.join(&m.file))(e)),
            }
        }
        st.restamp(paths);
        Ok(taken)
    }

    /// The path of a message's file now.
    pub fn file_path(&self, uid: u32) -> Result<PathBuf> {
        let st = self.lock();
        let m = st.msgs.get(&uid).ok_or(Error::NoSuchMessage(uid))?;
        Ok(self.shared.paths.file(m.in_new, &m.file))
    }

    /// Opens a message for streaming; if another process renamed it, syncs
    /// and tries again.
    pub fn open(&self, uid: u32) -> Result<File> {
        for _ in 0..3 {
            let path = self.file_path(uid)?;
            match File::open(&path) {
                Ok(f) => return Ok(f),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    self.lock().invalidate();
                    self.sync()?;
                }
                Err(e) => return Err(io_err("open", path)(e)),
            }
        }
        Err(Error::NoSuchMessage(uid))
    }

    /// Reads a whole message.
    pub fn read(&self, uid: u32) -> Result<Vec<u8>> {
        let mut data = Vec::new();
        let path = self.file_path(uid)?;
        self.open(uid)?
            .read_to_end(&mut data)
            .map_err(io_err("read", path))?;
        Ok(data)
    }

    /// Reads at most `len` bytes from `offset` (IMAP partial fetch).
    pub fn read_range(&self, uid: u32, offset: u64, len: u64) -> Result<Vec<u8>> {
        let path = self.file_path(uid)?;
        let mut f = self.open(uid)?;
        f.seek(SeekFrom::Start(offset))
            .map_err(io_err("seek", &path))?;
        let mut data = Vec::new();
        f.take(len)
            .read_to_end(&mut data)
            .map_err(io_err("read", path))?;
        Ok(data)
    }

    /// The internal date (RFC 9051 §2.3.3): the file's modification time.
    pub fn internal_date(&self, uid: u32) -> Result<SystemTime> {
        let path = self.file_path(uid)?;
        std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .map_err(io_err("stat", path))
    }

    /// The message's info part as a [`FileName`] would show it.
    pub fn info_of(&self, uid: u32) -> Result<Info> {
        self.lock()
            .msgs
            .get(&uid)
            .map(|m| m.info.clone())
            .ok_or(Error::NoSuchMessage(uid))
    }
}
