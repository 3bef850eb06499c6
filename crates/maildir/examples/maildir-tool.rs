//! A small driver of the store for the interop script and the bench:
//!
//! ```text
//! maildir-tool seed DIR N        # N messages, a folder tree, flags, keywords, subscriptions
//! maildir-tool bulk DIR N        # N plain files in new/ (no fsync), then one open
//! maildir-tool deliver DIR N     # N deliveries into INBOX, each followed by a sync
//! maildir-tool dump DIR          # mailboxes, UIDs, flags and subscriptions, one per line
//! maildir-tool status DIR [NAME] # open a mailbox and print its counters with the time taken
//! ```
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;
use std::time::Instant;

use mailwire_maildir::{Flags, MessageInfo, Store, StoreMode};

fn message(n: usize) -> Vec<u8> {
    format!(
        "From: Sender {n} <s{n}@example.test>\nTo: user@example.test\nSubject: message {n}\n\
         Message-ID: <{n}@seed.example.test>\n\nBody of message {n}.\n{}\n",
        "line of text\n".repeat(n % 7)
    )
    .into_bytes()
}

fn seed(dir: &Path, n: usize) {
    let store = Store::open(dir).unwrap();
    store.ensure_special_use().unwrap();
    for name in ["Lists/rust", "Lists/go", "Entwürfe", "Archive/2024"] {
        store.create(name).unwrap();
    }
    for name in ["Lists/rust", "Entwürfe", "Archive/2024"] {
        store.set_subscribed(name, true).unwrap();
    }
    store.set_subscribed("Junk", false).unwrap();
    for i in 1..=n {
        store.deliver(&message(i)).unwrap();
    }
    let inbox = store.mailbox("INBOX").unwrap();
    let uids = inbox.uids();
    inbox.take_recent().unwrap();
    for &uid in &uids {
        let i = uid as usize;
        let mut flags = Flags::EMPTY;
        for (every, flag) in [
            (3, Flags::SEEN),
            (5, Flags::FLAGGED),
            (7, Flags::ANSWERED),
            (11, Flags::DELETED),
            (13, Flags::DRAFT),
        ] {
            if i.is_multiple_of(every) {
                flags |= flag;
            }
        }
        let mut kws = Vec::new();
        for (every, kw) in [(4, "$Label1"), (6, "Work"), (9, "$Forwarded")] {
            if i.is_multiple_of(every) {
                kws.push(kw);
            }
        }
        inbox
            .store(&[uid], StoreMode::Replace, flags, &kws, None)
            .unwrap();
    }
    let pick = |range: std::ops::Range<usize>| -> Vec<u32> {
        uids.iter()
            .copied()
            .skip(range.start)
            .take(range.len())
            .collect()
    };
    inbox
        .copy_to(&pick(0..8), &store.mailbox("Lists/rust").unwrap())
        .unwrap();
    inbox
        .move_to(&pick(8..12), &store.mailbox("Lists/go").unwrap())
        .unwrap();
    inbox
        .copy_to(&pick(12..14), &store.mailbox("Entwürfe").unwrap())
        .unwrap();
    inbox
        .move_to(&pick(14..20), &store.mailbox("Archive/2024").unwrap())
        .unwrap();
    // Five new messages stay in new/ (\Recent for the next IMAP session).
    for i in n + 1..=n + 5 {
        store.deliver(&message(i)).unwrap();
    }
    store.mailbox("INBOX").unwrap();
}

fn bulk(dir: &Path, n: usize) {
    let store = Store::open(dir).unwrap();
    let t = Instant::now();
    let secs = 1_700_000_000u64;
    for i in 0..n {
        let data = message(i);
        let name = format!(
            "{}.M{}P1Q{i}.bulk,S={},W={}",
            secs + (i / 1000) as u64,
            i % 1000,
            data.len(),
            mailwire_maildir::crlf_size(&data)
        );
        std::fs::write(dir.join("new").join(name), data).unwrap();
    }
    eprintln!("wrote {n} files in {:?}", t.elapsed());
    let t = Instant::now();
    let inbox = store.mailbox("INBOX").unwrap();
    eprintln!(
        "first open (UIDs given) in {:?}: {} messages",
        t.elapsed(),
        inbox.status().messages
    );
}

fn flags_text(m: &MessageInfo) -> String {
    let mut out: Vec<String> = [
        (Flags::ANSWERED, "\\Answered"),
        (Flags::DELETED, "\\Deleted"),
        (Flags::DRAFT, "\\Draft"),
        (Flags::FLAGGED, "\\Flagged"),
        (Flags::SEEN, "\\Seen"),
    ]
    .iter()
    .filter(|(f, _)| m.flags.contains(*f))
    .map(|(_, n)| n.to_string())
    .collect();
    out.extend(m.keywords.iter().cloned());
    out.sort();
    out.join(",")
}

fn dump(dir: &Path) {
    let store = Store::open(dir).unwrap();
    for name in store.list().unwrap() {
        let mb = store.mailbox(&name).unwrap();
        let s = mb.status();
        println!(
            "mailbox {name} uidvalidity {} uidnext {} messages {}",
            s.uidvalidity, s.uid_next, s.messages
        );
        for m in mb.messages() {
            println!("msg {name} {} {}", m.uid, flags_text(&m));
        }
    }
    let mut subs = store.subscriptions().unwrap();
    subs.sort();
    for s in subs {
        println!("subscribed {s}");
    }
}

fn status(dir: &Path, name: &str) {
    let t = Instant::now();
    let store = Store::open(dir).unwrap();
    let mb = store.mailbox(name).unwrap();
    let cold = t.elapsed();
    let t = Instant::now();
    let mb2 = store.mailbox(name).unwrap();
    let warm = t.elapsed();
    let s = mb.status();
    drop(mb2);
    println!(
        "{name}: messages={} uidnext={} uidvalidity={} highestmodseq={} open={:.1}ms reopen={:.3}ms",
        s.messages,
        s.uid_next,
        s.uidvalidity,
        s.highest_modseq,
        cold.as_secs_f64() * 1000.0,
        warm.as_secs_f64() * 1000.0
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
    match arg(0).as_str() {
        "seed" => seed(Path::new(&arg(1)), arg(2).parse().unwrap_or(50)),
        "bulk" => bulk(Path::new(&arg(1)), arg(2).parse().unwrap_or(100_000)),
        "dump" => dump(Path::new(&arg(1))),
        "deliver" => {
            let store = Store::open(arg(1)).unwrap();
            let inbox = store.mailbox("INBOX").unwrap();
            for i in 0..arg(2).parse().unwrap_or(10) {
                store.deliver(&message(1000 + i)).unwrap();
                inbox.sync().unwrap();
            }
        }
        "status" => status(
            Path::new(&arg(1)),
            args.get(2).map_or("INBOX", String::as_str),
        ),
        _ => {
            eprintln!("usage: maildir-tool seed|bulk|dump|status DIR [N|NAME]");
            std::process::exit(2);
        }
    }
}
