//! mailwire-smtp side by side with smtp-proto 0.2.5.
//!
//! - `commands`: 1M mixed EHLO/MAIL/RCPT (and short) command lines in
//!   16 KiB chunks, framed and parsed into typed commands: mailwire's
//!   `parse_command` in place in each chunk (and, for reference, through
//!   `LineFramer` + `parse_command_line`), smtp-proto's `RequestReceiver`.
//! - `server_data`: a 10 MiB dot-stuffed body in 16 KiB chunks through the
//!   whole mailwire server machine (framing, unstuffing, size accounting,
//!   body-chunk events), against smtp-proto's `DataReceiver` alone.
//!
//! Times are the thread's CPU time (see `cpu_time`), so that other load on
//! the host does not skew the ratios.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailwire_benches::{dot_stuffed_body, smtp_command_lines};
use mailwire_core::line::{LineConfig, LineFramer};
use mailwire_core::machine::Machine;
use mailwire_smtp::parse::{Status, parse_command};
use mailwire_smtp::server::{Event, Server, ServerConfig};
use mailwire_smtp::{Command, Domain};

const CHUNK: usize = 16 * 1024;

/// CPU time used by this thread so far: `/proc/thread-self/schedstat`
/// counts nanoseconds on the CPU, so a busy shared host slows the run but
/// does not skew the comparison. Falls back to wall time elsewhere.
fn cpu_time(wall: Instant) -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or_else(|| wall.elapsed(), Duration::from_nanos)
}

/// Runs `work` `iters` times (after `setup` each time, not measured) and
/// returns the CPU time the runs took.
fn measure<S, T>(
    iters: u64,
    mut setup: impl FnMut() -> S,
    mut work: impl FnMut(S) -> T,
) -> Duration {
    let epoch = Instant::now();
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let state = setup();
        let start = cpu_time(epoch);
        black_box(work(state));
        total += cpu_time(epoch).saturating_sub(start);
    }
    total
}

fn commands(c: &mut Criterion) {
    let input = smtp_command_lines(1_000_000);
    let mut group = c.benchmark_group("smtp_commands");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.sample_size(10);

    group.bench_function("mailwire", |b| {
        b.iter_custom(|iters| {
            measure(
                iters,
                || (),
                |()| {
                    // Lines are parsed in place in each chunk; only a line cut by a
                    // chunk boundary is copied, as smtp-proto's receiver does.
                    let mut carry: Vec<u8> = Vec::new();
                    let (mut parsed, mut recipients) = (0usize, 0usize);
                    let mut count = |command: &Command<'_>| {
                        parsed += 1;
                        if let Command::Rcpt { .. } = command {
                            recipients += 1;
                        }
                    };
                    for chunk in input.chunks(CHUNK) {
                        let mut rest = chunk;
                        if !carry.is_empty() {
                            let lf = rest.iter().position(|&b| b == b'\n').unwrap();
                            carry.extend_from_slice(&rest[..=lf]);
                            rest = &rest[lf + 1..];
                            if let Ok(Status::Complete((command, _))) = parse_command(&carry) {
                                count(&command);
                            }
                            carry.clear();
                        }
                        loop {
                            match parse_command(rest) {
                                Ok(Status::Complete((command, used))) => {
                                    count(&command);
                                    rest = &rest[used..];
                                }
                                Ok(Status::Partial) => {
                                    carry.extend_from_slice(rest);
                                    break;
                                }
                                Err(_) => break,
                            }
                        }
                    }
                    assert_eq!(parsed, 1_000_000);
                    (parsed, recipients)
                },
            )
        })
    });

    group.bench_function("mailwire-framer", |b| {
        b.iter_custom(|iters| {
            measure(
                iters,
                || (),
                |()| {
                    let mut framer =
                        LineFramer::new(LineConfig::default().with_max_line_length(2048));
                    let (mut parsed, mut recipients) = (0usize, 0usize);
                    for chunk in input.chunks(CHUNK) {
                        framer.push(chunk);
                        while let Some(line) = framer.next_line() {
                            if let Ok(command) =
                                mailwire_smtp::parse::parse_command_line(line.unwrap().bytes())
                            {
                                parsed += 1;
                                if let Command::Rcpt { .. } = command {
                                    recipients += 1;
                                }
                            }
                        }
                    }
                    assert_eq!(parsed, 1_000_000);
                    (parsed, recipients)
                },
            )
        })
    });

    group.bench_function("smtp-proto", |b| {
        b.iter_custom(|iters| {
            measure(
                iters,
                || (),
                |()| {
                    let mut receiver = smtp_proto::request::receiver::RequestReceiver::default();
                    let (mut parsed, mut recipients) = (0usize, 0usize);
                    for chunk in input.chunks(CHUNK) {
                        let mut iter = chunk.iter();
                        loop {
                            match receiver.ingest(&mut iter) {
                                Ok(request) => {
                                    parsed += 1;
                                    if let smtp_proto::Request::Rcpt { .. } = request {
                                        recipients += 1;
                                    }
                                }
                                Err(smtp_proto::Error::NeedsMoreData { .. }) => break,
                                Err(_) => {}
                            }
                        }
                    }
                    assert_eq!(parsed, 1_000_000);
                    (parsed, recipients)
                },
            )
        })
    });
    group.finish();
}

/// A server in the DATA state, its application having accepted everything.
fn server_in_data() -> Server {
    let now = Instant::now();
    let mut config = ServerConfig::new(Domain::try_from("mx.example.org").unwrap());
    config.limits.max_message_size = Some(64 << 20);
    let mut server = Server::new(config, now);
    let head =
        b"EHLO c.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n";
    let mut fed = 0;
    while fed < head.len() {
        fed += server.handle_input(now, &head[fed..]).unwrap();
        while let Some(event) = server.poll_event() {
            match event {
                Event::MailRequested { .. } => server.accept_sender().unwrap(),
                Event::RecipientRequested { .. } => server.accept_recipient().unwrap(),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    while server.poll_transmit(&mut out).is_some() {}
    assert!(out.ends_with(b"354 End data with <CR><LF>.<CR><LF>\r\n"));
    server
}

fn server_data(c: &mut Criterion) {
    let input = dot_stuffed_body(10 << 20);
    let mut group = c.benchmark_group("smtp_server_data");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.sample_size(20);

    group.bench_function("mailwire-server", |b| {
        b.iter_custom(|iters| {
            measure(iters, server_in_data, |mut server| {
                let now = Instant::now();
                let mut total = 0usize;
                let mut received = false;
                for chunk in input.chunks(CHUNK) {
                    let mut fed = 0;
                    while fed < chunk.len() {
                        fed += server.handle_input(now, &chunk[fed..]).unwrap();
                        while let Some(event) = server.poll_event() {
                            match event {
                                Event::BodyChunk { data } => total += data.len(),
                                Event::MessageReceived { .. } => received = true,
                                _ => {}
                            }
                        }
                    }
                }
                assert!(received);
                total
            })
        })
    });

    group.bench_function("smtp-proto", |b| {
        let mut out = Vec::with_capacity(2 * CHUNK);
        b.iter_custom(|iters| {
            measure(
                iters,
                || (),
                |()| {
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
                    total
                },
            )
        })
    });
    group.finish();
}

criterion_group!(benches, commands, server_data);
criterion_main!(benches);
