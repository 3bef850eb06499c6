//! kill -9 during deliveries and flag changes, repeated: after each kill a
//! scan by a new process finds every delivered message, keeps every UID it
//! saw before, reuses none, and the uidlist parses.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::{HashMap, HashSet};
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{TempDir, message};
use mailwire_maildir::uidlist::Uidlist;
use mailwire_maildir::{Flags, Store, StoreMode};

const CHILD_ENV: &str = "MAILWIRE_MAILDIR_CRASH_CHILD";

fn append_line(path: &Path, line: &str) {
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(format!("{line}\n").as_bytes()).unwrap();
    f.sync_data().unwrap();
}

/// The child: delivers, flags and expunges until it is killed. It logs a
/// delivery after `deliver` returned and an expunge before doing it.
#[test]
#[ignore = "run by `crash_kill_9` as a child process"]
fn crash_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let dir = Path::new(&dir);
    let store = Store::open(dir.join("Maildir")).unwrap();
    let inbox = store.mailbox("INBOX").unwrap();
    let mut n = 0usize;
    loop {
        n += 1;
        let base = store.deliver(&message(n)).unwrap();
        append_line(&dir.join("delivered.log"), &base);
        inbox.sync().unwrap();
        let uids = inbox.uids();
        if let Some(&uid) = uids.get(n % uids.len().max(1)) {
            let kw = ["a1", "b2", "c3"][n % 3];
            inbox
                .store(&[uid], StoreMode::Add, Flags::SEEN, &[kw], None)
                .unwrap();
        }
        if n.is_multiple_of(7)
            && let Some(&uid) = uids.first()
        {
            let file = inbox.message(uid).unwrap().file;
            let base = file.split(':').next().unwrap().to_string();
            append_line(&dir.join("expunged.log"), &base);
            inbox.expunge(&[uid]).unwrap();
        }
        if n.is_multiple_of(5) {
            inbox.take_recent().unwrap();
        }
    }
}

fn lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn crash_kill_9() {
    let t = TempDir::new("crash");
    let exe = std::env::current_exe().unwrap();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    for round in 0..8 {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash_child",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, t.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(Duration::from_millis(150 + rng % 350));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let store = Store::open(t.path().join("Maildir")).unwrap();
        let inbox = store.mailbox("INBOX").unwrap();
        let list = Uidlist::parse(
            &fs::read(t.path().join("Maildir/dovecot-uidlist")).unwrap(),
            1 << 20,
        )
        .unwrap();
        let by_base: HashMap<String, u32> = inbox
            .messages()
            .into_iter()
            .map(|m| (m.file.split(':').next().unwrap().to_string(), m.uid))
            .collect();
        let expunged: HashSet<String> = lines(&t.path().join("expunged.log")).into_iter().collect();
        for base in lines(&t.path().join("delivered.log")) {
            if !expunged.contains(&base) {
                assert!(by_base.contains_key(&base), "round {round}: {base} lost");
            }
        }
        // A message keeps its UID; no UID goes to two messages.
        let mut owner: HashMap<u32, &String> = HashMap::new();
        for (base, uid) in &seen {
            owner.insert(*uid, base);
        }
        for (base, uid) in &by_base {
            if let Some(old) = seen.get(base) {
                assert_eq!(old, uid, "round {round}: {base} changed UID");
            }
            if let Some(other) = owner.get(uid) {
                assert_eq!(*other, base, "round {round}: UID {uid} reused");
            }
            assert!(*uid < list.next_uid);
        }
        seen.extend(by_base);
        assert!(!seen.is_empty() || round == 0);
    }
    assert!(
        seen.len() > 8,
        "the child delivered too little: {}",
        seen.len()
    );
}
