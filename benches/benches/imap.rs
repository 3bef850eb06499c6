//! mailwire-imap side by side with imap-codec 2.0.0-alpha.10 and
//! imap-proto 0.17.
//!
//! - `imap_fetch_literal`: 10,000 `* n FETCH` responses with UID, FLAGS,
//!   ENVELOPE, BODYSTRUCTURE (a multipart with extension data) and a 4 KiB
//!   `BODY[]` literal;
//! - `imap_fetch`: the same responses without the literal;
//! - `imap_commands`: 100,000 `aN UID FETCH 1:* (FLAGS)` commands
//!   (imap-proto parses responses only).
//!
//! mailwire frames the stream in 16 KiB chunks (`Framer`, which announces
//! literals and enforces limits) and parses every message fully; the peers
//! parse in place from one contiguous buffer, their fastest mode. Times are
//! the thread's CPU time (see `cpu_time`), so that other load on the host
//! does not skew the ratios.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use imap_codec::decode::Decoder;
use mailwire_imap::{Frame, Framer, Limits, ParserConfig, Response, Untagged};

const CHUNK: usize = 16 * 1024;

/// CPU time used by this thread so far: `/proc/thread-self/schedstat`
/// counts nanoseconds on the CPU. Falls back to wall time elsewhere.
fn cpu_time(wall: Instant) -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or_else(|| wall.elapsed(), Duration::from_nanos)
}

/// Runs `work` `iters` times and returns the CPU time the runs took.
fn measure<T>(iters: u64, mut work: impl FnMut() -> T) -> Duration {
    let epoch = Instant::now();
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let start = cpu_time(epoch);
        black_box(work());
        total += cpu_time(epoch).saturating_sub(start);
    }
    total
}

const ENVELOPE: &str = "(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\" \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((NIL NIL \"imap\" \"cac.washington.edu\")) \
((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
\"<B27397-0100000@cac.washington.edu>\")";

const BODYSTRUCTURE: &str = "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"QUOTED-PRINTABLE\" 1152 23 NIL NIL NIL NIL)\
(\"TEXT\" \"HTML\" (\"CHARSET\" \"UTF-8\") NIL NIL \"QUOTED-PRINTABLE\" 4554 73 NIL NIL NIL NIL) \
\"ALTERNATIVE\" (\"BOUNDARY\" \"----=_Part_1\") NIL NIL NIL)";

/// `n` FETCH responses, each with a `literal`-octet BODY[] when non-zero.
fn fetch_responses(n: u32, literal: usize) -> Vec<u8> {
    let mut body = Vec::with_capacity(literal);
    while body.len() < literal {
        body.extend_from_slice(
            b"The quick brown fox jumps over the lazy dog, again and again.\r\n",
        );
    }
    body.truncate(literal);
    let mut out = Vec::new();
    for i in 1..=n {
        out.extend_from_slice(
            format!(
                "* {i} FETCH (UID {} FLAGS (\\Seen $Forwarded) RFC822.SIZE {} ENVELOPE {ENVELOPE} BODYSTRUCTURE {BODYSTRUCTURE}",
                i + 1000,
                literal + 2000
            )
            .as_bytes(),
        );
        if literal > 0 {
            out.extend_from_slice(format!(" BODY[] {{{literal}}}\r\n").as_bytes());
            out.extend_from_slice(&body);
        }
        out.extend_from_slice(b")\r\n");
    }
    out
}

fn commands_input(n: u32) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 1..=n {
        out.extend_from_slice(format!("a{i} UID FETCH 1:* (FLAGS)\r\n").as_bytes());
    }
    out
}

/// Frames `input` in chunks and parses every response; returns the count
/// of FETCH responses.
fn mailwire_responses(input: &[u8]) -> usize {
    let config = ParserConfig::default();
    let mut framer = Framer::client(Limits::default());
    let mut fetches = 0;
    for chunk in input.chunks(CHUNK) {
        framer.push(chunk);
        while let Some(frame) = framer.next() {
            if let Frame::Message(message) = frame.unwrap() {
                let response = mailwire_imap::parse_response(message.bytes(), &config).unwrap();
                if let Response::Untagged(Untagged::Fetch { items, .. }) = &response {
                    fetches += items.len().min(1);
                }
            }
        }
    }
    fetches
}

fn imap_proto_responses(input: &[u8]) -> usize {
    let mut rest = input;
    let mut fetches = 0;
    while !rest.is_empty() {
        let (r, response) = imap_proto::Response::parse(rest).unwrap();
        if let imap_proto::Response::Fetch(_, items) = &response {
            fetches += items.len().min(1);
        }
        rest = r;
    }
    fetches
}

fn imap_codec_responses(input: &[u8]) -> usize {
    let codec = imap_codec::ResponseCodec::default();
    let mut rest = input;
    let mut fetches = 0;
    while !rest.is_empty() {
        let (r, response) = codec.decode(rest).unwrap();
        if let imap_codec::imap_types::response::Response::Data(
            imap_codec::imap_types::response::Data::Fetch { items, .. },
        ) = &response
        {
            fetches += items.as_ref().len().min(1);
        }
        rest = r;
    }
    fetches
}

fn responses(c: &mut Criterion, name: &str, input: &[u8]) {
    assert_eq!(mailwire_responses(input), 10_000);
    assert_eq!(imap_proto_responses(input), 10_000);
    assert_eq!(imap_codec_responses(input), 10_000);
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.sample_size(10);
    group.bench_function("mailwire", |b| {
        b.iter_custom(|iters| measure(iters, || mailwire_responses(input)));
    });
    group.bench_function("imap-proto", |b| {
        b.iter_custom(|iters| measure(iters, || imap_proto_responses(input)));
    });
    group.bench_function("imap-codec", |b| {
        b.iter_custom(|iters| measure(iters, || imap_codec_responses(input)));
    });
    group.finish();
}

fn fetch_with_literal(c: &mut Criterion) {
    responses(c, "imap_fetch_literal", &fetch_responses(10_000, 4096));
}

fn fetch_without_literal(c: &mut Criterion) {
    responses(c, "imap_fetch", &fetch_responses(10_000, 0));
}

fn mailwire_commands(input: &[u8]) -> usize {
    let config = ParserConfig::default();
    let mut framer = Framer::server(Limits::default());
    let mut n = 0;
    for chunk in input.chunks(CHUNK) {
        framer.push(chunk);
        while let Some(frame) = framer.next() {
            if let Frame::Message(message) = frame.unwrap() {
                let command = mailwire_imap::parse_command(message.bytes(), &config).unwrap();
                n += usize::from(!command.tag.as_str().is_empty());
            }
        }
    }
    n
}

fn imap_codec_commands(input: &[u8]) -> usize {
    let codec = imap_codec::CommandCodec::default();
    let mut rest = input;
    let mut n = 0;
    while !rest.is_empty() {
        let (r, command) = codec.decode(rest).unwrap();
        n += usize::from(!command.tag.inner().is_empty());
        rest = r;
    }
    n
}

fn commands(c: &mut Criterion) {
    let input = commands_input(100_000);
    assert_eq!(mailwire_commands(&input), 100_000);
    assert_eq!(imap_codec_commands(&input), 100_000);
    let mut group = c.benchmark_group("imap_commands");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.sample_size(10);
    group.bench_function("mailwire", |b| {
        b.iter_custom(|iters| measure(iters, || mailwire_commands(&input)));
    });
    group.bench_function("imap-codec", |b| {
        b.iter_custom(|iters| measure(iters, || imap_codec_commands(&input)));
    });
    group.finish();
}

criterion_group!(benches, fetch_with_literal, fetch_without_literal, commands);
criterion_main!(benches);
