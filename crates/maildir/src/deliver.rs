//! Delivery into `new/`: the Maildir specification's tmp, fsync, rename,
//! with the directory fsynced before success is reported. A message for
//! several accounts is written once and hard-linked into each.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};

use crate::error::{Error, Result, io_err};
use crate::fsutil::{fsync_dir, unique_name};
use crate::ops::link_or_copy;
use crate::store::Store;

impl Store {
    /// Delivers a message into this Maildir's INBOX; returns the file's
    /// base name. Durable when it returns.
    pub fn deliver(&self, data: &[u8]) -> Result<String> {
        deliver_many(&[self], data)
    }
}

/// Delivers one message into the INBOX of every store given; see
/// [`deliver_from`].
pub fn deliver_many(stores: &[&Store], data: &[u8]) -> Result<String> {
    deliver_from(stores, data)
}

/// Delivers one message, read from `reader` (a spool file, say), into the
/// INBOX of every store given: written and fsynced once in the first
/// store's `tmp/`, then hard-linked (copied across file systems) into each
/// `new/` as `<unique>,S=<size>,W=<CRLF size>`, each `new/` fsynced.
/// Sessions of this process that watch an INBOX are told at once.
/// Returns the base name, the same in every Maildir.
pub fn deliver_from(stores: &[&Store], mut reader: impl Read) -> Result<String> {
    let first = stores
        .first()
        .ok_or(Error::Unsupported("delivery without recipients"))?;
    let max = first.limits().max_message_size;
    let unique = unique_name();
    let tmp = first.root().join("tmp").join(&unique);
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(io_err("create", &tmp))?;
    let mut buf = vec![0u8; 64 * 1024];
    let (mut size, mut vsize, mut prev) = (0u64, 0u64, 0u8);
    let copied: Result<()> = loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break f.sync_all().map_err(io_err("fsync", &tmp)),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => break Err(io_err("read", &tmp)(e)),
        };
        let chunk = buf.get(..n).unwrap_or_default();
        size += n as u64;
        if size > max {
            break Err(Error::LimitExceeded {
                what: "max_message_size",
                limit: max,
            });
        }
        for &b in chunk {
            vsize += if b == b'\n' && prev != b'\r' { 2 } else { 1 };
            prev = b;
        }
        if let Err(e) = f.write_all(chunk) {
            break Err(io_err("write", &tmp)(e));
        }
    };
    drop(f);
    if let Err(e) = copied {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    let base = format!("{unique},S={size},W={vsize}");
    let mut result = Ok(());
    let mut moved = false;
    for (i, store) in stores.iter().enumerate() {
        let target = store.root().join("new").join(&base);
        // The last Maildir takes the file itself (one rename, as the
        // Maildir specification does it); the others get hard links.
        let placed = if i + 1 == stores.len() && fs::rename(&tmp, &target).is_ok() {
            moved = true;
            Ok(())
        } else {
            link_or_copy(&tmp, &target).map_err(io_err("link", &target))
        };
        if let Err(e) = placed.and_then(|()| fsync_dir(&store.root().join("new"))) {
            result = Err(e);
            break;
        }
    }
    if !moved {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    for store in stores {
        if let Some(inbox) = store.open_mailbox(store.root()) {
            inbox.lock().invalidate();
            // Sessions watching get the new message's UID at once.
            if inbox.shared.watchers.is_watched() {
                let _ = inbox.sync();
            }
        }
    }
    Ok(base)
}
