//! mailwire-pop3's client machine receiving a multi-line `RETR` response.
//!
//! - `retr`: a 10 MiB dot-stuffed message fed in 16 KiB chunks after its
//!   `+OK`, unstuffed and handed over as `MultilineChunk` events.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailwire_benches::dot_stuffed_body;
use mailwire_core::machine::Machine;
use mailwire_pop3::client::{Client, ClientConfig, Event};

const CHUNK: usize = 16 * 1024;

fn retr(c: &mut Criterion) {
    let mut input = b"+OK POP3 server ready\r\n+OK 10485760 octets\r\n".to_vec();
    input.extend_from_slice(&dot_stuffed_body(10 * 1024 * 1024));
    let mut group = c.benchmark_group("pop3_retr");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.sample_size(20);
    group.bench_function("client", |b| {
        b.iter(|| {
            let now = Instant::now();
            let mut client = Client::new(ClientConfig::new(), now);
            client.retr(1).unwrap();
            let mut received = 0usize;
            let mut ended = false;
            for chunk in input.chunks(CHUNK) {
                let mut fed = 0;
                while fed < chunk.len() {
                    fed += client.handle_input(now, &chunk[fed..]).unwrap();
                    while let Some(event) = client.poll_event() {
                        match event {
                            Event::MultilineChunk { data } => received += data.len(),
                            Event::MultilineEnd => ended = true,
                            _ => {}
                        }
                    }
                }
            }
            assert!(ended);
            black_box(received)
        })
    });
    group.finish();
}

criterion_group!(benches, retr);
criterion_main!(benches);
