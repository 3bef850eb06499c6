//! mailwire-maildir: durable delivery and opening a large mailbox.
//!
//! - `maildir_deliver`: one message (2 KiB) into one account's `new/`
//!   (tmp, fsync, rename, directory fsync), in a mailbox that grows; before
//!   the criterion run, 10,000 deliveries are timed once and printed.
//! - `maildir_open_100k`: a mailbox of 100,000 messages (built once under
//!   the system's temporary directory and kept for later runs): `cold` is
//!   a new `Store` (uidlist, sidecar and both directories read; the page
//!   cache is warm), `warm` is an open of a mailbox this process opened
//!   before (kept loaded, `Limits::cached_mailboxes`): three `stat`s when
//!   nothing changed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailwire_maildir::{Store, crlf_size};

const BIG: usize = 100_000;

fn message(n: usize) -> Vec<u8> {
    let mut m =
        format!("From: a@example.test\nTo: b@example.test\nSubject: bench {n}\n\n").into_bytes();
    while m.len() < 2048 {
        m.extend_from_slice(b"Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n");
    }
    m
}

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("mailwire-bench-maildir-{name}"))
}

fn deliver(c: &mut Criterion) {
    let dir = temp(&format!("deliver-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open(&dir).unwrap();
    let msg = message(1);
    let t = Instant::now();
    for _ in 0..10_000 {
        store.deliver(&msg).unwrap();
    }
    let took = t.elapsed();
    eprintln!(
        "maildir: 10,000 durable deliveries to one account in {:.2} s ({:.0} messages/s)",
        took.as_secs_f64(),
        10_000.0 / took.as_secs_f64()
    );
    let mut group = c.benchmark_group("maildir_deliver");
    group.throughput(Throughput::Elements(1));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("one_account", |b| {
        b.iter(|| store.deliver(black_box(&msg)).unwrap())
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Builds the 100,000-message Maildir once (plain writes, no fsync).
fn big_maildir() -> PathBuf {
    let dir = temp("100k");
    let ready = dir.join(".bench-ready");
    if ready.exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Store::open(&dir).unwrap();
    for i in 0..BIG {
        let data = message(i);
        let name = format!(
            "{}.M{}P1Q{i}.bench,S={},W={}",
            1_700_000_000 + i / 1000,
            i % 1000,
            data.len(),
            crlf_size(&data)
        );
        std::fs::write(dir.join("cur").join(format!("{name}:2,S")), data).unwrap();
    }
    // The first open gives the UIDs and writes the sidecar.
    Store::open(&dir).unwrap().mailbox("INBOX").unwrap();
    std::fs::write(&ready, b"").unwrap();
    dir
}

fn open(c: &mut Criterion) {
    let dir = big_maildir();
    // Directories changed within the last two seconds are rescanned.
    std::thread::sleep(Duration::from_millis(2100));
    let mut group = c.benchmark_group("maildir_open_100k");
    group.sample_size(10);
    group.throughput(Throughput::Elements(BIG as u64));
    group.bench_function("cold", |b| {
        b.iter(|| {
            let store = Store::open(black_box(&dir)).unwrap();
            let inbox = store.mailbox("INBOX").unwrap();
            assert_eq!(inbox.status().messages as usize, BIG);
        })
    });
    let store = Store::open(&dir).unwrap();
    drop(store.mailbox("INBOX").unwrap());
    group.bench_function("warm", |b| {
        b.iter(|| black_box(store.mailbox("INBOX").unwrap()))
    });
    group.finish();
}

criterion_group!(benches, deliver, open);
criterion_main!(benches);
