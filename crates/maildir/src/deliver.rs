//! Delivery into `new/`: the Maildir specification's tmp, fsync, rename,
//! with the directory fsynced before success is reported. A message for
//! several accounts is written once and hard-linked into each.

use std::fs::{self, OpenOptions};
use std::io::Write;

use crate::error::{Error, Result, io_err};
use crate::fsutil::{crlf_size, fsync_dir, unique_name};
use crate::ops::link_or_copy;
use crate::store::Store;

impl Store {
    /// Delivers a message into this Maildir's INBOX; returns the file's
    /// base name. Durable when it returns.
    pub fn deliver(&self, data: &[u8]) -> Result<String> {
        deliver_many(&[self], data)
    }
}

/// Delivers one message into the INBOX of every store given: written and
/// fsynced once in the first store's `tmp/`, then hard-linked (copied
/// across file systems) into each `new/`, each `new/` fsynced. Sessions of
/// this process that have an INBOX open are told at once. Returns the
/// base name, the same in every Maildir.
pub fn deliver_many(stores: &[&Store], data: &[u8]) -> Result<String> {
    let first = stores
        .first()
        .ok_or(Error::Unsupported("delivery without recipients"))?;
    let size = data.len() as u64;
    if size > first.limits().max_message_size {
        return Err(Error::LimitExceeded {
            what: "max_message_size",
            limit: first.limits().max_message_size,
        });
    }
    let base = format!("{},S={},W={}", unique_name(), size, crlf_size(data));
    let tmp = first.root().join("tmp").join(&base);
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(io_err("create", &tmp))?;
    let written = f.write_all(data).and_then(|()| f.sync_all());
    drop(f);
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(io_err("write", tmp)(e));
    }
    let mut result = Ok(());
    for store in stores {
        let target = store.root().join("new").join(&base);
        if let Err(e) = link_or_copy(&tmp, &target).map_err(io_err("link", &target)) {
            result = Err(e);
            break;
        }
        if let Err(e) = fsync_dir(&store.root().join("new")) {
            result = Err(e);
            break;
        }
    }
    let _ = fs::remove_file(&tmp);
    result?;
    for store in stores {
        if let Some(inbox) = store.open_mailbox(store.root()) {
            // Gives the new message its UID and tells the watchers.
            inbox.lock().invalidate();
            let _ = inbox.sync();
        }
    }
    Ok(base)
}
