//! mailwire-message side by side with mail-parser 1.x on the inputs of
//! `benches/benches/message.rs`: the test corpus, a 10 MB base64
//! attachment, 10,000 header fields and 10,000 parts, each parsed with
//! every body decoded (`full`), header only (`headers`) and text bodies
//! decoded to Unicode (`text`).
//!
//! The parsers run in turn, round after round, and each keeps its fastest
//! round (wall time), so that load from other processes on a shared
//! host hits both alike. Throughput is input bytes per second.
//!
//! Arguments (after `--`): substrings that select inputs or modes, such as
//! `attachment` or `parts_10k/full`. `MAILWIRE_BENCH_ONLY=mailwire` or
//! `=mail-parser` runs one side only and `MAILWIRE_BENCH_ROUNDS=N` sets the
//! number of rounds (for a profiler).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;
use std::time::Instant;

use mailwire_benches::message::{
    big_attachment, corpus, mailwire_full, mailwire_headers, mailwire_text, many_fields, many_parts,
};

// --- mail-parser ------------------------------------------------------------

fn mail_parser_full(input: &[u8]) -> usize {
    let Some(message) = mail_parser::MessageParser::default().parse(input) else {
        return 0;
    };
    message.parts().map(|p| p.decoded().len()).sum()
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
        .parts()
        .filter(|p| p.is_text())
        .map(|p| p.text().map_or(0, |t| t.len()))
        .sum()
}

type Parser = fn(&[u8]) -> usize;

const MODES: [(&str, [Parser; 2]); 3] = [
    ("full", [mailwire_full, mail_parser_full]),
    ("headers", [mailwire_headers, mail_parser_headers]),
    ("text", [mailwire_text, mail_parser_text]),
];

const NAMES: [&str; 2] = ["mailwire", "mail-parser"];

fn main() {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let only = std::env::var("MAILWIRE_BENCH_ONLY").ok();
    let rounds: Option<usize> = std::env::var("MAILWIRE_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok());
    let inputs: Vec<(&str, Vec<Vec<u8>>)> = vec![
        ("corpus", corpus()),
        ("attachment_10mb", vec![big_attachment()]),
        ("fields_10k", vec![many_fields()]),
        ("parts_10k", vec![many_parts()]),
    ];
    println!("fastest of N rounds (wall time); ratio = mail-parser time / mailwire time");
    println!(
        "{:<26} {:>12} {:>12} {:>7}",
        "workload", "mailwire", "mail-parser", "ratio"
    );
    for (name, messages) in &inputs {
        let bytes: usize = messages.iter().map(Vec::len).sum();
        let rounds = rounds.unwrap_or(if bytes > 1_000_000 { 30 } else { 300 });
        for (mode, parsers) in &MODES {
            let label = format!("{name}/{mode}");
            if !filters.is_empty() && !filters.iter().any(|f| label.contains(f.as_str())) {
                continue;
            }
            // Both sides must do the same work: compare what they return.
            let sums: Vec<usize> = parsers
                .iter()
                .map(|parse| messages.iter().map(|m| parse(m)).sum())
                .collect();
            let mut best = [f64::MAX; 2];
            for _ in 0..rounds {
                for (i, parse) in parsers.iter().enumerate() {
                    if only.as_deref().is_some_and(|o| o != NAMES[i]) {
                        continue;
                    }
                    let start = Instant::now();
                    let n: usize = messages
                        .iter()
                        .map(|m| black_box(parse(black_box(m))))
                        .sum();
                    black_box(n);
                    let took = start.elapsed().as_secs_f64();
                    best[i] = best[i].min(took);
                }
            }
            let mib = |t: f64| bytes as f64 / t / (1024.0 * 1024.0);
            println!(
                "{label:<26} {:>8.0} MiB/s {:>8.0} MiB/s {:>6.2}x   (bytes returned: {} / {})",
                mib(best[0]),
                mib(best[1]),
                best[1] / best[0],
                sums[0],
                sums[1],
            );
        }
    }
}
