//! Client machine: every `MultilineChunk` stays within `max_chunk`, also
//! when bare CRs and LFs are normalised to CRLF (which doubles them).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::Instant;

use mailwire_core::machine::Machine;
use mailwire_pop3::client::{Client, ClientConfig, Event};

/// Feeds `input` in pieces of `split` bytes after queueing RETR, TOP and
/// LANG; returns the sizes of the chunks and whether the body ended.
fn chunk_sizes(max_chunk: usize, split: usize, input: &[u8]) -> (Vec<usize>, usize) {
    let now = Instant::now();
    let mut config = ClientConfig::new();
    config.allow_plaintext_without_tls = true;
    config.limits.max_chunk = max_chunk;
    config.limits.max_response_line_length = 256;
    let mut client = Client::new(config, now);
    client.retr(1).unwrap();
    client.top(1, 2).unwrap();
    client.lang(None).unwrap();
    let mut sizes = Vec::new();
    let mut total = 0;
    let mut out = Vec::new();
    for piece in input.chunks(split) {
        let mut fed = 0;
        while fed < piece.len() {
            match client.handle_input(now, &piece[fed..]) {
                Ok(n) => fed += n,
                Err(_) => break,
            }
            while let Some(event) = client.poll_event() {
                if let Event::MultilineChunk { data } = event {
                    sizes.push(data.len());
                    total += data.len();
                }
            }
            while client.poll_transmit(&mut out).is_some() {}
            if client.is_closed() {
                break;
            }
        }
    }
    (sizes, total)
}

/// The `pop3_client` fuzz input that produced a 70-octet chunk under a
/// 64-octet limit: a body of bare CRs, each written out as CRLF.
#[test]
fn fuzz_input_chunks_within_limit() {
    let data = include_bytes!("pop3_client_chunk.bin");
    let (&[_selector, split], input) = data.split_first_chunk::<2>().unwrap();
    let (sizes, _) = chunk_sizes(64, usize::from(split).max(1), input);
    assert!(!sizes.is_empty());
    assert!(sizes.iter().all(|&n| n <= 64), "{sizes:?}");
}

#[test]
fn bare_crs_chunks_within_limit() {
    let mut input = b"+OK ready\r\n+OK message follows\r\n".to_vec();
    input.extend(std::iter::repeat_n(b'\r', 200));
    input.extend_from_slice(b"x\r\n.\r\n");
    for max_chunk in [1, 2, 3, 7, 64, 100] {
        let (sizes, total) = chunk_sizes(max_chunk, input.len(), &input);
        assert!(
            sizes.iter().all(|&n| n <= max_chunk),
            "{max_chunk}: {sizes:?}"
        );
        // 200 bare CRs become 200 CRLFs; then `x CRLF`.
        assert_eq!(total, 400 + 3, "{max_chunk}");
    }
}
