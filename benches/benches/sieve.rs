//! Sieve and junk classification throughput, in messages per second.
//!
//! - `sieve/rules50`: the 50-rule script in
//!   `crates/sieve/tests/bench/rules50.sieve` (list filing, sender
//!   domains, subject wildcards with flags, subaddress details, variables,
//!   relational tests) run against 10,000 generated messages
//!   (`crates/sieve/tests/bench/generate.rs`), parsing each message
//!   included, and against the same messages already parsed.
//! - `junk/classify`: a model trained on the 400-message SpamAssassin
//!   sample of `crates/junk/tests/corpus` scores the same 10,000 messages.
//!
//! Pigeonhole's `sieve-test` runs one process per message, so it is
//! measured apart: `crates/sieve/tests/pigeonhole-bench.sh`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailwire_junk::{Label, Model};
use mailwire_sieve::{Envelope, Interpreter, MemoryContext, Script};

include!("../../crates/sieve/tests/bench/generate.rs");

const MESSAGES: usize = 10_000;

fn sieve(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let source = std::fs::read(root.join("crates/sieve/tests/bench/rules50.sieve")).unwrap();
    let script = Script::compile(&source).unwrap();
    let interpreter = Interpreter::new(&script);
    let inputs = generate_messages(MESSAGES);
    let envelopes: Vec<Envelope> = inputs
        .iter()
        .map(|(to, _)| Envelope::new("sender@example.net", to.clone()))
        .collect();
    let parsed: Vec<_> = inputs
        .iter()
        .map(|(_, m)| mailwire_message::parse(m))
        .collect();

    let mut group = c.benchmark_group("sieve");
    group.throughput(Throughput::Elements(MESSAGES as u64));
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("rules50/parse+run", |b| {
        b.iter(|| {
            let mut actions = 0;
            for ((_, bytes), envelope) in inputs.iter().zip(&envelopes) {
                let message = mailwire_message::parse(bytes);
                actions += interpreter
                    .run(&message, envelope, &mut MemoryContext::default())
                    .actions
                    .len();
            }
            black_box(actions)
        })
    });
    group.bench_function("rules50/run", |b| {
        b.iter(|| {
            let mut actions = 0;
            for (message, envelope) in parsed.iter().zip(&envelopes) {
                actions += interpreter
                    .run(message, envelope, &mut MemoryContext::default())
                    .actions
                    .len();
            }
            black_box(actions)
        })
    });
    group.finish();

    let mut group = c.benchmark_group("sieve-compile");
    group.throughput(Throughput::Bytes(source.len() as u64));
    group.sample_size(20);
    group.warm_up_time(Duration::from_millis(300));
    group.measurement_time(Duration::from_secs(1));
    group.bench_function("rules50", |b| {
        b.iter(|| Script::compile(black_box(&source)).unwrap())
    });
    group.finish();

    let mut model = Model::new();
    for (class, label) in [("ham", Label::Ham), ("spam", Label::Junk)] {
        let dir = root.join("crates/junk/tests/corpus").join(class);
        for entry in std::fs::read_dir(dir).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            model.train(&mailwire_message::parse(&bytes), label);
        }
    }
    let mut group = c.benchmark_group("junk");
    group.throughput(Throughput::Elements(MESSAGES as u64));
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("classify", |b| {
        b.iter(|| {
            let mut junk = 0;
            for message in &parsed {
                if model.score(message) > 0.9 {
                    junk += 1;
                }
            }
            black_box(junk)
        })
    });
    group.finish();
}

criterion_group!(benches, sieve);
criterion_main!(benches);
