//! Message parsing throughput, side by side with mail-parser and mailparse.
//!
//! Inputs: (a) the test corpus of real and malformed messages, (b) a
//! generated 10 MB message with a base64 attachment, (c) a message with
//! 10,000 header fields, (d) a multipart message with 10,000 parts. Each is
//! measured three ways: parse and decode every body, headers only, and text
//! bodies only (decoded to Unicode). Throughput is in input bytes per
//! second.
//!
//! Before criterion runs, a streaming pass over a generated 1 GiB message
//! reports MB/s and the process's peak resident memory.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput};
use mailwire_benches::message::{
    base64_lines, big_attachment, corpus, mailwire_full, mailwire_headers, mailwire_text,
    many_fields, many_parts,
};
use mailwire_message::limits::Limits;
use mailwire_message::stream::{Event, StreamParser};

// --- mail-parser ------------------------------------------------------------

fn mail_parser_full(input: &[u8]) -> usize {
    let Some(message) = mail_parser::MessageParser::default().parse(input) else {
        return 0;
    };
    message.parts.iter().map(|p| p.contents().len()).sum()
}

fn mail_parser_headers(input: &[u8]) -> usize {
    let Some(message) = mail_parser::MessageParser::default().parse_headers(input) else {
        return 0;
    };
    message.headers().len() + message.subject().map_or(0, str::len)
}

fn mail_parser_text(input: &[u8]) -> usize {
    let Some(message) = mail_parser::MessageParser::default().parse(input) else {
        return 0;
    };
    message
        .parts
        .iter()
        .filter(|p| p.is_text())
        .map(|p| p.text_contents().map_or(0, str::len))
        .sum()
}

// --- mailparse --------------------------------------------------------------

fn mailparse_walk(part: &mailparse::ParsedMail<'_>, text_only: bool) -> usize {
    if part.subparts.is_empty() {
        if text_only {
            if part.ctype.mimetype.starts_with("text/") {
                part.get_body().map_or(0, |b| b.len())
            } else {
                0
            }
        } else {
            part.get_body_raw().map_or(0, |b| b.len())
        }
    } else {
        part.subparts
            .iter()
            .map(|p| mailparse_walk(p, text_only))
            .sum()
    }
}

fn mailparse_full(input: &[u8]) -> usize {
    mailparse::parse_mail(input).map_or(0, |m| mailparse_walk(&m, false))
}

fn mailparse_headers(input: &[u8]) -> usize {
    mailparse::parse_headers(input).map_or(0, |(headers, _)| headers.len())
}

fn mailparse_text(input: &[u8]) -> usize {
    mailparse::parse_mail(input).map_or(0, |m| mailparse_walk(&m, true))
}

type Parser = fn(&[u8]) -> usize;

fn inputs() -> Vec<(&'static str, Vec<Vec<u8>>)> {
    vec![
        ("corpus", corpus()),
        ("attachment_10mb", vec![big_attachment()]),
        ("fields_10k", vec![many_fields()]),
        ("parts_10k", vec![many_parts()]),
    ]
}

fn modes() -> [(&'static str, [(&'static str, Parser); 3]); 3] {
    [
        (
            "full",
            [
                ("mailwire", mailwire_full),
                ("mail-parser", mail_parser_full),
                ("mailparse", mailparse_full),
            ],
        ),
        (
            "headers",
            [
                ("mailwire", mailwire_headers),
                ("mail-parser", mail_parser_headers),
                ("mailparse", mailparse_headers),
            ],
        ),
        (
            "text",
            [
                ("mailwire", mailwire_text),
                ("mail-parser", mail_parser_text),
                ("mailparse", mailparse_text),
            ],
        ),
    ]
}

fn bench_inputs(c: &mut Criterion, inputs: &[(&str, Vec<Vec<u8>>)]) {
    let modes = modes();
    for (name, messages) in inputs {
        let bytes: usize = messages.iter().map(Vec::len).sum();
        for (mode, parsers) in &modes {
            let mut group = c.benchmark_group(format!("message/{name}/{mode}"));
            group.throughput(Throughput::Bytes(bytes as u64));
            if bytes > 1_000_000 {
                group.sample_size(10);
            }
            for (peer, parse) in parsers {
                group.bench_function(BenchmarkId::from_parameter(peer), |b| {
                    b.iter(|| {
                        messages
                            .iter()
                            .map(|m| black_box(parse(black_box(m))))
                            .sum::<usize>()
                    });
                });
            }
            group.finish();
        }
    }
}

/// Ratios measured robustly on a shared machine: the parsers run in turn,
/// round after round, and each keeps its fastest round, so that load from
/// other processes hits all of them alike.
fn interleaved_ratios(
    inputs: &[(&str, Vec<Vec<u8>>)],
    modes: &[(&str, [(&str, Parser); 3]); 3],
    quick: bool,
) {
    println!("message/interleaved: fastest of N rounds, peer time / mailwire time");
    for (name, messages) in inputs {
        let bytes: usize = messages.iter().map(Vec::len).sum();
        let rounds = if quick {
            1
        } else if bytes > 1_000_000 {
            15
        } else {
            200
        };
        for (mode, parsers) in modes {
            let mut best = [f64::MAX; 3];
            for _ in 0..rounds {
                for (i, (_, parse)) in parsers.iter().enumerate() {
                    let start = Instant::now();
                    let n: usize = messages
                        .iter()
                        .map(|m| black_box(parse(black_box(m))))
                        .sum();
                    black_box(n);
                    best[i] = best[i].min(start.elapsed().as_secs_f64());
                }
            }
            println!(
                "message/interleaved/{name}/{mode}: mailwire {:.3} ms ({:.0} MB/s), mail-parser {:.2}x, mailparse {:.2}x",
                best[0] * 1e3,
                bytes as f64 / best[0] / 1e6,
                best[1] / best[0],
                best[2] / best[0],
            );
        }
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Streams a generated multipart message of `total` bytes (1 GiB; a base64
/// attachment) in 64 KiB chunks with transfer decoding on, and reports MB/s
/// and peak RSS.
fn streaming_gib(total: usize) {
    let head = b"From: a@example.org\r\nContent-Type: multipart/mixed; boundary=\"=_s\"\r\n\r\n--=_s\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    let block = base64_lines(64 * 1024 / 78, 3).into_bytes();
    let mut parser = StreamParser::new(Limits::default()).with_decoding(true);
    let (mut fed, mut decoded) = (0usize, 0usize);
    let start = Instant::now();
    let drain = |parser: &mut StreamParser, decoded: &mut usize| {
        while let Some(event) = parser.poll_event() {
            if let Event::Body {
                decoded: Some(d), ..
            } = event
            {
                *decoded += d.len();
            }
        }
    };
    parser.push(head);
    fed += head.len();
    while fed < total {
        parser.push(&block);
        fed += block.len();
        drain(&mut parser, &mut decoded);
    }
    parser.push(b"--=_s--\r\n");
    parser.finish();
    drain(&mut parser, &mut decoded);
    let elapsed = start.elapsed().as_secs_f64();
    // Every base64 line of 76 characters decodes to 57 bytes.
    assert_eq!(decoded, (fed - head.len()) / 78 * 57);
    println!(
        "message/streaming_1gib: {:.0} MB/s ({} bytes in {:.2} s, {} decoded), peak RSS {} KiB",
        fed as f64 / elapsed / 1e6,
        fed,
        elapsed,
        decoded,
        peak_rss_kib().map_or_else(|| "unknown".to_owned(), |k| k.to_string()),
    );
}

fn main() {
    // `cargo bench -- --test` (CI): every bench once, the streaming pass on
    // 1 MiB, so that the sanity checks run in seconds.
    let quick = std::env::args().any(|a| a == "--test");
    streaming_gib(if quick { 1 << 20 } else { 1 << 30 });
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    let inputs = inputs();
    interleaved_ratios(&inputs, &modes(), quick);
    bench_inputs(&mut criterion, &inputs);
    criterion.final_summary();
}
