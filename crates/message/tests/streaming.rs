//! The streaming parser's memory stays bounded by the header limits, not
//! by body size, and it reports body bytes as they come.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use mailwire_message::limits::Limits;
use mailwire_message::stream::{Event, StreamParser};

/// Feeds a multipart message with a large base64 part and a large text
/// part, chunk by chunk, and checks the buffer never grows past the chunk
/// plus a few bytes.
#[test]
fn memory_is_bounded_by_limits_not_body_size() {
    const CHUNK: usize = 64 * 1024;
    let mut parser = StreamParser::new(Limits::default()).with_decoding(true);
    let head = b"Content-Type: multipart/mixed; boundary=\"=_b\"\r\n\r\n--=_b\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    let line = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx\r\n";
    let mut stream: Vec<u8> = head.to_vec();
    let (mut raw, mut decoded, mut max_buffered, mut parts) = (0u64, 0u64, 0usize, 0);
    let mut fed = 0u64;
    let total_lines = 200_000; // about 15 MB of base64
    let mut feed = |parser: &mut StreamParser, bytes: &[u8], max_buffered: &mut usize| {
        parser.push(bytes);
        *max_buffered = (*max_buffered).max(parser.buffered());
        while let Some(event) = parser.poll_event() {
            match event {
                Event::Body {
                    raw: r, decoded: d, ..
                } => {
                    raw += r.len() as u64;
                    decoded += d.unwrap().len() as u64;
                }
                Event::PartStart { .. } => parts += 1,
                Event::Defect(d) => panic!("unexpected defect {d}"),
                _ => {}
            }
        }
    };
    for _ in 0..total_lines {
        stream.extend_from_slice(line);
        if stream.len() >= CHUNK {
            fed += stream.len() as u64;
            feed(&mut parser, &stream, &mut max_buffered);
            stream.clear();
        }
    }
    stream.extend_from_slice(b"--=_b--\r\n");
    fed += stream.len() as u64;
    feed(&mut parser, &stream, &mut max_buffered);
    parser.finish();
    feed(&mut parser, &[], &mut max_buffered);
    assert!(fed > 14_000_000);
    assert_eq!(parts, 2);
    assert_eq!(decoded, 54 * total_lines as u64);
    assert_eq!(raw, (line.len() * total_lines) as u64 - 2);
    assert!(
        max_buffered < 2 * CHUNK,
        "buffered up to {max_buffered} bytes"
    );
}

#[test]
fn an_endless_header_field_is_cut_at_the_limit() {
    let limits = Limits::default().with_max_field_size(1024);
    let mut parser = StreamParser::new(limits);
    let mut defect = None;
    parser.push(b"Subject: ");
    for _ in 0..1000 {
        parser.push(&[b'x'; 1000]);
        assert!(parser.buffered() < 4 * 1024);
        while let Some(event) = parser.poll_event() {
            if let Event::Defect(d) = event {
                defect = Some(d);
            }
        }
    }
    assert_eq!(defect.unwrap().offset, 0);
}
