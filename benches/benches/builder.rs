//! Writing messages and threading them.
//!
//! - `thread`: RFC 5256 REFERENCES and ORDEREDSUBJECT over 100,000
//!   generated messages (threads of 1 to 40 messages, References chains,
//!   `Re:` subjects, some missing parents and duplicate identifiers).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use mailwire_message::thread::{ThreadMessage, ordered_subject, references};

/// A small linear congruential generator: the same messages every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound
    }
}

/// Message-ID, References and subject of `n` generated messages.
fn generate(n: usize) -> Vec<(String, Vec<String>, String, i64)> {
    let mut rng = Lcg(17);
    let mut out: Vec<(String, Vec<String>, String, i64)> = Vec::with_capacity(n);
    let mut thread_start = 0;
    let mut thread = 0;
    while out.len() < n {
        let size = 1 + rng.next(40) as usize;
        for k in 0..size {
            if out.len() == n {
                break;
            }
            let id = if rng.next(500) == 0 && !out.is_empty() {
                out[rng.next(out.len() as u64) as usize].0.clone()
            } else {
                format!("{}.{}@bench.example", out.len(), rng.next(1 << 30))
            };
            let references = if k == 0 {
                Vec::new()
            } else {
                let parent = thread_start + rng.next(k as u64) as usize;
                let mut refs = out[parent].1.clone();
                if rng.next(10) != 0 {
                    refs.push(out[parent].0.clone());
                } else {
                    refs.push(format!("missing.{thread}.{k}@bench.example"));
                }
                refs
            };
            let subject = if k == 0 {
                format!("Topic number {thread}")
            } else {
                format!("Re: [list] Topic number {thread}")
            };
            let date = 1_700_000_000 + rng.next(10_000_000) as i64;
            out.push((id, references, subject, date));
        }
        thread_start = out.len();
        thread += 1;
    }
    out
}

fn thread(c: &mut Criterion) {
    let generated = generate(100_000);
    let messages: Vec<ThreadMessage<'_>> = generated
        .iter()
        .enumerate()
        .map(|(i, (id, refs, subject, date))| {
            ThreadMessage::new(i as u32 + 1, *date)
                .with_message_id(id)
                .with_references(refs.iter().map(String::as_str))
                .with_subject(subject.as_str())
        })
        .collect();
    let mut group = c.benchmark_group("thread");
    group.sample_size(10);
    group.bench_function("references/100000", |b| {
        b.iter(|| black_box(references(black_box(&messages))))
    });
    group.bench_function("orderedsubject/100000", |b| {
        b.iter(|| black_box(ordered_subject(black_box(&messages))))
    });
    group.finish();
}

fn main() {
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    thread(&mut criterion);
    criterion.final_summary();
}
