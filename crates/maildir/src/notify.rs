//! Change notification between the sessions of one process.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};

/// A change to a mailbox, sent to every watcher of it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Change {
    /// A new message with this UID (delivered, appended, copied or found
    /// by a scan).
    Exists {
        /// Its UID.
        uid: u32,
    },
    /// The flags or keywords of a message changed.
    Flags {
        /// Its UID.
        uid: u32,
        /// Its new MODSEQ.
        modseq: u64,
    },
    /// A message was expunged.
    Expunged {
        /// Its UID.
        uid: u32,
    },
    /// The mailbox's UIDVALIDITY changed: every UID is void.
    UidValidity {
        /// The new UIDVALIDITY.
        uidvalidity: u32,
    },
}

/// The watchers of one mailbox.
#[derive(Debug, Default)]
pub(crate) struct Watchers {
    senders: Mutex<Vec<Sender<Change>>>,
}

impl Watchers {
    /// A new receiver of every later change.
    pub(crate) fn watch(&self) -> Receiver<Change> {
        let (tx, rx) = channel();
        if let Ok(mut s) = self.senders.lock() {
            s.push(tx);
        }
        rx
    }

    /// Whether anyone watches.
    pub(crate) fn is_watched(&self) -> bool {
        self.senders.lock().is_ok_and(|s| !s.is_empty())
    }

    /// Sends the changes to every live watcher, dropping the gone ones.
    pub(crate) fn send(&self, changes: &[Change]) {
        if changes.is_empty() {
            return;
        }
        if let Ok(mut s) = self.senders.lock() {
            s.retain(|tx| changes.iter().all(|c| tx.send(c.clone()).is_ok()));
        }
    }
}
