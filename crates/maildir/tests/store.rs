//! Store operations against the files Dovecot reads.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::fs;
use std::time::{Duration, SystemTime};

use common::{TempDir, message};
use mailwire_maildir::uidlist::Uidlist;
use mailwire_maildir::{Change, Error, Flags, Store, StoreMode, deliver_many};

fn uidlist(dir: &std::path::Path) -> Uidlist {
    Uidlist::parse(&fs::read(dir.join("dovecot-uidlist")).unwrap(), 1_000_000).unwrap()
}

#[test]
fn uids_in_delivery_order_and_never_reused() {
    let t = TempDir::new("order");
    let store = Store::open(t.path()).unwrap();
    let names: Vec<String> = (0..3)
        .map(|i| store.deliver(&message(i)).unwrap())
        .collect();
    let inbox = store.mailbox("INBOX").unwrap();
    assert_eq!(inbox.uids(), vec![1, 2, 3]);
    let list = uidlist(t.path());
    assert_eq!(list.next_uid, 4);
    let bases: Vec<&str> = list.records.iter().map(|r| r.base.as_str()).collect();
    assert_eq!(bases, names.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        fs::read_to_string(t.path().join("dovecot-uidlist"))
            .unwrap()
            .starts_with(&format!("3 V{} N4 G", list.uidvalidity))
    );
    // ,S= and ,W= are the LF and CRLF sizes.
    let m = inbox.message(1).unwrap();
    assert_eq!(m.size, Some(message(0).len() as u64));
    assert_eq!(m.vsize, Some(message(0).len() as u64 + 4));
    assert!(m.recent);
    assert_eq!(inbox.read(1).unwrap(), message(0));
    assert_eq!(inbox.read_range(1, 6, 13).unwrap(), b"a@example.tes");
    // The last message expunged: the next one gets 4, not 3.
    assert_eq!(inbox.expunge(&[3]).unwrap(), vec![3]);
    store.deliver(&message(9)).unwrap();
    inbox.sync().unwrap();
    assert_eq!(inbox.uids(), vec![1, 2, 4]);
    // A fresh process sees the same.
    let again = Store::open(t.path()).unwrap().mailbox("INBOX").unwrap();
    assert_eq!(again.uids(), vec![1, 2, 4]);
    assert_eq!(again.status().uidvalidity, inbox.status().uidvalidity);
}

#[test]
fn recent_flags_keywords_modseq() {
    let t = TempDir::new("flags");
    let store = Store::open(t.path()).unwrap();
    store.deliver(&message(1)).unwrap();
    store.deliver(&message(2)).unwrap();
    let inbox = store.mailbox("INBOX").unwrap();
    assert_eq!(inbox.status().recent, 2);
    assert_eq!(inbox.take_recent().unwrap(), vec![1, 2]);
    assert_eq!(inbox.take_recent().unwrap(), Vec::<u32>::new());
    let m = inbox.message(1).unwrap();
    assert!(m.file.ends_with(":2,"), "{}", m.file);
    assert!(t.path().join("cur").join(&m.file).exists());
    let before = inbox.status().highest_modseq;
    let r = inbox
        .store(
            &[1],
            StoreMode::Add,
            Flags::SEEN | Flags::FLAGGED,
            &["$Important", "Work"],
            None,
        )
        .unwrap();
    assert_eq!(r.updated, vec![(1, before + 1)]);
    let m = inbox.message(1).unwrap();
    assert!(m.file.ends_with(":2,FSab"), "{}", m.file);
    assert_eq!(
        m.keywords,
        vec!["$Important".to_string(), "Work".to_string()]
    );
    assert_eq!(
        fs::read_to_string(t.path().join("dovecot-keywords")).unwrap(),
        "0 $Important\n1 Work\n"
    );
    // UNCHANGEDSINCE below the message's modseq: refused as MODIFIED.
    let r = inbox
        .store(&[1, 2], StoreMode::Add, Flags::DELETED, &[], Some(before))
        .unwrap();
    assert_eq!(r.modified, vec![1]);
    assert_eq!(r.updated.len(), 1);
    let r = inbox
        .store(
            &[1],
            StoreMode::Remove,
            Flags::FLAGGED,
            &["$Important"],
            None,
        )
        .unwrap();
    assert_eq!(r.updated.len(), 1);
    assert!(inbox.message(1).unwrap().file.ends_with(":2,Sb"));
    let r = inbox
        .store(&[1], StoreMode::Replace, Flags::ANSWERED, &[], None)
        .unwrap();
    assert_eq!(r.updated.len(), 1);
    assert!(inbox.message(1).unwrap().file.ends_with(":2,R"));
    // The modseqs survive a restart.
    let highest = inbox.status().highest_modseq;
    let modseq = inbox.message(1).unwrap().modseq;
    drop(inbox);
    let again = Store::open(t.path()).unwrap().mailbox("INBOX").unwrap();
    assert_eq!(again.status().highest_modseq, highest);
    assert_eq!(again.message(1).unwrap().modseq, modseq);
    assert_eq!(again.expunge_deleted().unwrap(), vec![2]);
    assert!(matches!(
        again.store(&[1], StoreMode::Add, Flags::EMPTY, &["bad keyword"], None),
        Err(Error::InvalidKeyword(_))
    ));
}

#[test]
fn changes_by_another_program() {
    let t = TempDir::new("other");
    let store = Store::open(t.path()).unwrap();
    store.deliver(&message(1)).unwrap();
    store.deliver(&message(2)).unwrap();
    let inbox = store.mailbox("INBOX").unwrap();
    inbox.take_recent().unwrap();
    let watch = inbox.watch();
    let m1 = inbox.message(1).unwrap();
    let m2 = inbox.message(2).unwrap();
    let modseq = m1.modseq;
    // Another program sets \Seen, deletes message 2 and delivers one.
    let cur = t.path().join("cur");
    fs::rename(cur.join(&m1.file), cur.join(m1.file.replace(":2,", ":2,S"))).unwrap();
    fs::remove_file(cur.join(&m2.file)).unwrap();
    fs::write(
        t.path().join("new").join("1999999999.M1P1.other"),
        message(3),
    )
    .unwrap();
    let changes = inbox.sync().unwrap();
    assert!(
        changes.contains(&Change::Expunged { uid: 2 }),
        "{changes:?}"
    );
    assert!(changes.contains(&Change::Exists { uid: 3 }), "{changes:?}");
    assert!(
        changes
            .iter()
            .any(|c| matches!(c, Change::Flags { uid: 1, .. })),
        "{changes:?}"
    );
    let m1 = inbox.message(1).unwrap();
    assert_eq!(m1.flags, Flags::SEEN);
    assert!(m1.modseq > modseq);
    assert_eq!(watch.try_iter().count(), 3);
    // A file without ,S= / ,W=: sizes come from the file.
    let size = message(3).len() as u64;
    assert_eq!(inbox.status().size, size + m1.size.unwrap());
    assert_eq!(inbox.status().vsize, size + 4 + m1.vsize.unwrap());
    // Nothing changed: a sync finds nothing.
    assert!(inbox.sync().unwrap().is_empty());
}

#[test]
fn copy_move_append_uidplus() {
    let t = TempDir::new("copy");
    let store = Store::open(t.path()).unwrap();
    store.ensure_special_use().unwrap();
    for i in 0..3 {
        store.deliver(&message(i)).unwrap();
    }
    let inbox = store.mailbox("INBOX").unwrap();
    inbox
        .store(&[2], StoreMode::Add, Flags::SEEN, &["Label"], None)
        .unwrap();
    let archive = store.mailbox("Archive").unwrap();
    let watch = archive.watch();
    let c = inbox.copy_to(&[2, 3, 77], &archive).unwrap();
    assert_eq!((c.source.clone(), c.dest.clone()), (vec![2, 3], vec![1, 2]));
    assert_eq!(c.uidvalidity, archive.status().uidvalidity);
    assert_eq!(
        archive.message(1).unwrap().keywords,
        vec!["Label".to_string()]
    );
    assert_eq!(archive.message(1).unwrap().flags, Flags::SEEN);
    assert_eq!(archive.read(2).unwrap(), message(2));
    assert_eq!(
        watch.try_iter().collect::<Vec<_>>(),
        vec![Change::Exists { uid: 1 }, Change::Exists { uid: 2 }]
    );
    let m = inbox.move_to(&[1], &archive).unwrap();
    assert_eq!(m.dest, vec![3]);
    assert_eq!(inbox.uids(), vec![2, 3]);
    let date = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let sent = store.mailbox("Sent").unwrap();
    let a = sent
        .append(
            b"Subject: sent\r\n\r\nx\r\n",
            Flags::SEEN,
            &["$Sent"],
            Some(date),
        )
        .unwrap();
    assert_eq!(a.uid, 1);
    assert_eq!(a.uidvalidity, sent.status().uidvalidity);
    assert_eq!(sent.internal_date(1).unwrap(), date);
    assert!(sent.message(1).unwrap().file.ends_with(",S=20,W=20:2,Sa"));
    assert!(!sent.message(1).unwrap().recent);
}

#[test]
fn folders_and_subscriptions() {
    let t = TempDir::new("folders");
    let store = Store::open(t.path()).unwrap();
    store.ensure_special_use().unwrap();
    store.create("Lists/rust").unwrap();
    store.create("Entwürfe").unwrap();
    assert!(t.path().join(".Lists.rust/maildirfolder").exists());
    assert!(t.path().join(".Entw&APw-rfe/cur").is_dir());
    assert!(matches!(store.create("Sent"), Err(Error::MailboxExists(_))));
    assert!(matches!(store.create("a.b"), Err(Error::InvalidName(_))));
    store.set_subscribed("Lists/rust", true).unwrap();
    store.set_subscribed("Entwürfe", true).unwrap();
    assert_eq!(
        fs::read_to_string(t.path().join("subscriptions")).unwrap(),
        "V\t2\n\nDrafts\nSent\nTrash\nJunk\nArchive\nLists\trust\nEntw&APw-rfe\n"
    );
    store.deliver(&message(1)).unwrap();
    let rust = store.mailbox("Lists/rust").unwrap();
    store
        .mailbox("INBOX")
        .unwrap()
        .copy_to(&[1], &rust)
        .unwrap();
    let validity = rust.status().uidvalidity;
    store.create("Lists/rust/async").unwrap();
    store.rename("Lists", "Archive/Lists").unwrap_err();
    store.create("Lists").unwrap();
    store.rename("Lists", "Old").unwrap();
    assert_eq!(
        store.list().unwrap(),
        [
            "INBOX",
            "Archive",
            "Drafts",
            "Entwürfe",
            "Junk",
            "Old",
            "Old/rust",
            "Old/rust/async",
            "Sent",
            "Trash"
        ]
    );
    assert!(
        store
            .subscriptions()
            .unwrap()
            .contains(&"Old/rust".to_string())
    );
    let moved = store.mailbox("Old/rust").unwrap();
    assert_eq!(moved.status().uidvalidity, validity);
    assert_eq!(moved.uids(), vec![1]);
    store.delete("Old/rust").unwrap();
    assert!(matches!(
        store.mailbox("Old/rust"),
        Err(Error::NoSuchMailbox(_))
    ));
    assert!(matches!(store.delete("INBOX"), Err(Error::Unsupported(_))));
    assert!(matches!(store.delete("Nope"), Err(Error::NoSuchMailbox(_))));
    // A new mailbox of the same name gets a new UIDVALIDITY.
    store.create("Old/rust").unwrap();
    assert!(store.mailbox("Old/rust").unwrap().status().uidvalidity > validity);
    store.set_subscribed("Trash", false).unwrap();
    // Renaming INBOX moves its messages (RFC 9051 §6.3.6).
    store.rename("INBOX", "Old INBOX").unwrap();
    assert_eq!(store.mailbox("Old INBOX").unwrap().status().messages, 1);
    assert_eq!(store.mailbox("INBOX").unwrap().status().messages, 0);
    assert!(matches!(
        store.rename("Sent", "inbox"),
        Err(Error::MailboxExists(_))
    ));
    assert!(
        !store
            .subscriptions()
            .unwrap()
            .contains(&"Trash".to_string())
    );
}

#[test]
fn many_accounts_one_write_and_notifications() {
    let t = TempDir::new("many");
    let a = Store::open(t.path().join("a")).unwrap();
    let b = Store::open(t.path().join("b")).unwrap();
    let inbox_a = a.mailbox("INBOX").unwrap();
    // Without a watcher, a delivery leaves the UID to the next sync.
    a.deliver(&message(0)).unwrap();
    assert!(inbox_a.uids().is_empty());
    inbox_a.sync().unwrap();
    inbox_a.expunge(&[1]).unwrap();
    let other_session = a.mailbox("INBOX").unwrap();
    let watch = other_session.watch();
    let base = deliver_many(&[&a, &b], &message(1)).unwrap();
    use std::os::unix::fs::MetadataExt;
    let ia = fs::metadata(t.path().join("a/new").join(&base))
        .unwrap()
        .ino();
    let ib = fs::metadata(t.path().join("b/new").join(&base))
        .unwrap()
        .ino();
    assert_eq!(ia, ib);
    assert_eq!(fs::read_dir(t.path().join("a/tmp")).unwrap().count(), 0);
    let next =
        |w: &std::sync::mpsc::Receiver<Change>| w.recv_timeout(Duration::from_secs(1)).unwrap();
    assert_eq!(next(&watch), Change::Exists { uid: 2 });
    inbox_a
        .store(&[2], StoreMode::Add, Flags::SEEN, &[], None)
        .unwrap();
    assert!(matches!(next(&watch), Change::Flags { uid: 2, .. }));
    inbox_a.expunge(&[2]).unwrap();
    assert_eq!(next(&watch), Change::Expunged { uid: 2 });
    // Every handle gone: the mailbox stays loaded (cached_mailboxes).
    drop((inbox_a, other_session, watch));
    assert_eq!(a.mailbox("INBOX").unwrap().uid_next(), 3);
}

#[test]
fn repairs_after_crash() {
    let t = TempDir::new("repair");
    let store = Store::open(t.path()).unwrap();
    // An old orphan in tmp/ goes, a young one stays.
    let old = t.path().join("tmp/1.M1P1.old");
    fs::write(&old, b"x").unwrap();
    let f = fs::File::options().write(true).open(&old).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(37 * 3600))
        .unwrap();
    drop(f);
    fs::write(t.path().join("tmp/2.M1P1.young"), b"x").unwrap();
    // A lock left by a dead process, and a half-written uidlist tmp.
    fs::write(
        t.path().join("dovecot-uidlist.lock"),
        format!("999999999:{}", hostname()),
    )
    .unwrap();
    fs::write(t.path().join("dovecot-uidlist.tmp"), b"3 V1 N").unwrap();
    store.deliver(&message(1)).unwrap();
    let inbox = store.mailbox("INBOX").unwrap();
    assert_eq!(inbox.uids(), vec![1]);
    assert!(!old.exists());
    assert!(t.path().join("tmp/2.M1P1.young").exists());
    assert!(!t.path().join("dovecot-uidlist.lock").exists());
    // An append cut short by a crash: ignored, and the next write rewrites
    // the file instead of appending after it.
    let mut f = fs::OpenOptions::new()
        .append(true)
        .open(t.path().join("dovecot-uidlist"))
        .unwrap();
    std::io::Write::write_all(&mut f, b"2 :1700000000.M1P1.cut,S=").unwrap();
    drop(f);
    let mut f = fs::OpenOptions::new()
        .append(true)
        .open(t.path().join("mailwire-modseq"))
        .unwrap();
    std::io::Write::write_all(&mut f, b"1 99").unwrap();
    drop(f);
    let fresh = Store::open(t.path()).unwrap();
    fresh.deliver(&message(2)).unwrap();
    let inbox = fresh.mailbox("INBOX").unwrap();
    assert_eq!(inbox.uids(), vec![1, 2]);
    inbox
        .store(&[2], StoreMode::Add, Flags::SEEN, &[], None)
        .unwrap();
    let list = uidlist(t.path());
    assert_eq!(list.records.len(), 2);
    let again = Store::open(t.path()).unwrap().mailbox("INBOX").unwrap();
    assert_eq!(
        again.message(2).unwrap().modseq,
        inbox.message(2).unwrap().modseq
    );
    assert!(
        fs::read_to_string(t.path().join("mailwire-modseq"))
            .unwrap()
            .ends_with('\n')
    );
}

fn hostname() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn deliver_from_a_reader() {
    let t = TempDir::new("reader");
    let store = Store::open(t.path()).unwrap();
    let mut big = b"Subject: big\n\n".to_vec();
    while big.len() < 200_000 {
        big.extend_from_slice(b"0123456789 abcdefghij\r\nbare line feed\n");
    }
    let lf = big
        .iter()
        .zip(std::iter::once(&0).chain(big.iter()))
        .filter(|(b, p)| **b == b'\n' && **p != b'\r')
        .count();
    let base = mailwire_maildir::deliver_from(&[&store], &big[..]).unwrap();
    assert!(
        base.ends_with(&format!(",S={},W={}", big.len(), big.len() + lf)),
        "{base}"
    );
    let inbox = store.mailbox("INBOX").unwrap();
    assert_eq!(inbox.read(1).unwrap(), big);
    // Over the limit: refused, nothing left behind.
    let limits = mailwire_maildir::Limits {
        max_message_size: 1000,
        ..Default::default()
    };
    let small = Store::with_limits(t.path(), limits).unwrap();
    assert!(matches!(
        small.deliver(&big),
        Err(Error::LimitExceeded {
            what: "max_message_size",
            limit: 1000
        })
    ));
    assert_eq!(fs::read_dir(t.path().join("tmp")).unwrap().count(), 0);
    assert_eq!(fs::read_dir(t.path().join("new")).unwrap().count(), 1);
}
