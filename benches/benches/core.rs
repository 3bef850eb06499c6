//! mailwire-core framing, side by side with smtp-proto 0.2.5's receivers.
//!
//! - `lines`: 1M mixed SMTP command lines fed in 16 KiB chunks, framed by
//!   `LineFramer` and by smtp-proto's `LineReceiver`.
//! - `dot_body`: a 10 MiB dot-stuffed body in 16 KiB chunks, decoded by
//!   `DotDecoder` and by smtp-proto's `DataReceiver`; the encoder too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailwire_benches::{dot_stuffed_body, smtp_command_lines};
use mailwire_core::dot::{DotDecoder, DotEncoder};
use mailwire_core::line::{LineConfig, LineFramer};

const CHUNK: usize = 16 * 1024;

fn lines(c: &mut Criterion) {
    let input = smtp_command_lines(1_000_000);
    let mut group = c.benchmark_group("lines");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.sample_size(20);

    group.bench_function("mailwire", |b| {
        b.iter(|| {
            let mut framer = LineFramer::new(LineConfig::default());
            let mut count = 0usize;
            for chunk in input.chunks(CHUNK) {
                framer.push(chunk);
                while let Some(line) = framer.next_line() {
                    count += line.map_or(0, |l| l.bytes().len());
                }
            }
            black_box(count)
        })
    });

    group.bench_function("smtp-proto", |b| {
        b.iter(|| {
            let mut receiver = smtp_proto::request::receiver::LineReceiver::new(());
            let mut count = 0usize;
            for chunk in input.chunks(CHUNK) {
                let mut iter = chunk.iter();
                while receiver.ingest(&mut iter) {
                    count += receiver.buf.len();
                    receiver.buf.clear();
                }
            }
            black_box(count)
        })
    });
    group.finish();
}

fn dot_body(c: &mut Criterion) {
    let input = dot_stuffed_body(10 << 20);
    let mut group = c.benchmark_group("dot_body");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.sample_size(20);

    group.bench_function("mailwire", |b| {
        let mut out = Vec::with_capacity(2 * CHUNK);
        b.iter(|| {
            let mut decoder = DotDecoder::default();
            let mut total = 0usize;
            for chunk in input.chunks(CHUNK) {
                out.clear();
                let decoded = decoder.decode(chunk, &mut out);
                total += out.len();
                if decoded.done {
                    break;
                }
            }
            assert!(decoder.is_done());
            black_box(total)
        })
    });

    group.bench_function("smtp-proto", |b| {
        let mut out = Vec::with_capacity(2 * CHUNK);
        b.iter(|| {
            let mut receiver = smtp_proto::request::receiver::DataReceiver::new();
            let mut total = 0usize;
            let mut done = false;
            for chunk in input.chunks(CHUNK) {
                out.clear();
                let mut iter = chunk.iter();
                done = receiver.ingest(&mut iter, &mut out);
                total += out.len();
                if done {
                    break;
                }
            }
            assert!(done);
            black_box(total)
        })
    });

    let mut plain = Vec::new();
    DotDecoder::default()
        .decode(&input, &mut plain)
        .done
        .then_some(())
        .unwrap();
    group.bench_function("mailwire-encode", |b| {
        let mut out = Vec::with_capacity(2 * CHUNK);
        b.iter(|| {
            let mut encoder = DotEncoder::new();
            let mut total = 0usize;
            for chunk in plain.chunks(CHUNK) {
                out.clear();
                encoder.encode(chunk, &mut out);
                total += out.len();
            }
            out.clear();
            encoder.finish(&mut out);
            black_box(total + out.len())
        })
    });
    group.finish();
}

criterion_group!(benches, lines, dot_body);
criterion_main!(benches);
