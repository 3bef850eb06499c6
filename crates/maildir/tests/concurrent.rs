//! Two stores on one Maildir (as two processes would be), delivering,
//! syncing and flagging at the same time: the uidlist dotlock keeps every
//! UID unique and every view the same.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::{BTreeMap, HashSet};

use common::{TempDir, message};
use mailwire_maildir::{Flags, Store, StoreMode};

fn view(store: &Store) -> BTreeMap<u32, String> {
    let inbox = store.mailbox("INBOX").unwrap();
    inbox.sync().unwrap();
    inbox
        .messages()
        .into_iter()
        .map(|m| (m.uid, m.file.split(':').next().unwrap().to_string()))
        .collect()
}

#[test]
fn two_writers_one_maildir() {
    let t = TempDir::new("concurrent");
    let threads: Vec<_> = (0..2)
        .map(|k| {
            let root = t.path().to_owned();
            std::thread::spawn(move || {
                let store = Store::open(&root).unwrap();
                let inbox = store.mailbox("INBOX").unwrap();
                for i in 0..40 {
                    store.deliver(&message(k * 1000 + i)).unwrap();
                    inbox.sync().unwrap();
                    if let Some(&uid) = inbox.uids().get(i % 5) {
                        let kw = if k == 0 { "zero" } else { "one" };
                        inbox
                            .store(&[uid], StoreMode::Add, Flags::SEEN, &[kw], None)
                            .unwrap();
                    }
                }
                store
            })
        })
        .collect();
    let stores: Vec<Store> = threads.into_iter().map(|h| h.join().unwrap()).collect();
    let fresh = view(&Store::open(t.path()).unwrap());
    assert_eq!(fresh.len(), 80);
    let bases: HashSet<&String> = fresh.values().collect();
    assert_eq!(bases.len(), 80, "a file with two UIDs");
    for store in &stores {
        assert_eq!(view(store), fresh);
    }
    let inbox = Store::open(t.path()).unwrap().mailbox("INBOX").unwrap();
    assert_eq!(inbox.keywords().len(), 2);
}
