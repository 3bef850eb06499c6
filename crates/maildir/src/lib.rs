//! A Maildir store compatible with Dovecot, carrying the state IMAP needs.
//!
//! The layout is Dovecot's Maildir++ ([`store`]): INBOX at the root,
//! folders as `.Name.Sub` directories named in modified UTF-7 ([`utf7`]),
//! a `maildirfolder` marker in each, and the `subscriptions` file
//! ([`subscriptions`]). Flags live in file names (`:2,DFPRST` plus the
//! keyword letters `a`-`z`, [`name`]) with the keywords named in
//! `dovecot-keywords` ([`keywords`]); UIDs, UIDVALIDITY and UIDNEXT in
//! `dovecot-uidlist` version 3 ([`uidlist`]) under Dovecot's
//! `dovecot-uidlist.lock` dotlock ([`lock`]). Dovecot, mutt, mbsync or
//! offlineimap can work on the same directories at the same time.
//!
//! MODSEQ ([RFC 7162]) has no place in the Maildir format: it is kept in
//! a sidecar file of our own ([`modseq`]), and flag changes made by other
//! programs get a new modseq at the next sync.
//!
//! All I/O is synchronous std I/O; an async server calls the store from
//! blocking threads. Sessions of one process share each mailbox's state
//! and get [`Change`] notifications through [`Mailbox::watch`]; changes by
//! other processes are found by [`Mailbox::sync`], which only stats three
//! files when nothing changed.
//!
//! Every change is either done or not after a crash: messages go through
//! `tmp/` with an fsync before their rename, control files are written to
//! a temporary file, fsynced and renamed, and a sync repairs the rest
//! (files missing from the uidlist get new UIDs, never reused ones; files
//! left in `tmp/` for 36 hours are removed).
//!
//! ```
//! # let root = std::env::temp_dir().join(format!("mw-doc-lib-{}", std::process::id()));
//! use mailwire_maildir::{Change, Flags, Store, StoreMode};
//! let store = Store::open(&root)?;
//! store.ensure_special_use()?;
//! let inbox = store.mailbox("INBOX")?;
//! let changes = inbox.watch();
//! store.deliver(b"Subject: one\n\nbody\n")?;
//! let uid = match changes.recv().unwrap() {
//!     Change::Exists { uid } => uid,
//!     other => panic!("{other:?}"),
//! };
//! inbox.store(&[uid], StoreMode::Add, Flags::SEEN, &[], None)?;
//! let sent = store.mailbox("Sent")?;
//! let moved = inbox.move_to(&[uid], &sent)?;
//! assert_eq!(moved.uidvalidity, sent.status().uidvalidity);
//! assert_eq!(sent.message(moved.dest[0])?.flags, Flags::SEEN);
//! assert_eq!(inbox.status().messages, 0);
//! # std::fs::remove_dir_all(&root).ok();
//! # Ok::<(), mailwire_maildir::Error>(())
//! ```
//!
//! [RFC 7162]: https://www.rfc-editor.org/rfc/rfc7162
#![forbid(unsafe_code)]

use std::time::Duration;

mod deliver;
mod error;
mod fsutil;
pub mod keywords;
pub mod lock;
mod mailbox;
pub mod modseq;
pub mod name;
mod notify;
mod ops;
mod state;
pub mod store;
pub mod subscriptions;
pub mod uidlist;
pub mod utf7;

pub use deliver::{deliver_from, deliver_many};
pub use error::{Error, Result};
pub use fsutil::crlf_size;
pub use mailbox::{Mailbox, MessageInfo, Status};
pub use name::{Flags, Info};
pub use notify::Change;
pub use ops::{AppendUid, CopyUid, StoreMode, StoreResult};
pub use store::{SEPARATOR, SpecialUse, Store};

/// Limits on what the store reads and accepts; exceeding one is
/// [`Error::LimitExceeded`] (or [`Error::LockTimeout`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Messages per mailbox (default 10,000,000).
    pub max_messages: usize,
    /// Size of a control file (uidlist, keywords, sidecar, subscriptions;
    /// default 1 GiB).
    pub max_control_file: u64,
    /// Size of a delivered message (default 1 GiB).
    pub max_message_size: u64,
    /// Bytes in a mailbox name (default 1,000).
    pub max_name_len: usize,
    /// Hierarchy levels in a mailbox name (default 32).
    pub max_depth: usize,
    /// How long to wait for a dotlock (default 30 s).
    pub lock_timeout: Duration,
    /// Age after which an unchanged dotlock is stale (Dovecot: 120 s).
    pub stale_lock: Duration,
    /// Age after which files in `tmp/` are removed (36 hours, as the
    /// Maildir specification says).
    pub tmp_max_age: Duration,
    /// Mailboxes per store kept loaded after their last session closed,
    /// so that opening them again only stats three files (default 16).
    pub cached_mailboxes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_messages: 10_000_000,
            max_control_file: 1 << 30,
            max_message_size: 1 << 30,
            max_name_len: 1000,
            max_depth: 32,
            lock_timeout: Duration::from_secs(30),
            stale_lock: Duration::from_secs(120),
            tmp_max_age: Duration::from_secs(36 * 3600),
            cached_mailboxes: 16,
        }
    }
}
