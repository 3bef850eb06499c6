//! The IMAP framer on arbitrary input: no panic, bounded buffers, and
//! feeding the input in arbitrary chunks gives exactly the literal
//! announcements, messages and errors of feeding it whole.
#![no_main]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use libfuzzer_sys::fuzz_target;
use mailwire_imap::{Frame, Framer, Limits, NonSyncLiterals};

fn run(limits: Limits, server: bool, chunks: &[&[u8]]) -> Vec<String> {
    let mut framer = if server {
        Framer::server(limits)
    } else {
        Framer::client(limits)
    };
    let mut out = Vec::new();
    for chunk in chunks {
        framer.push(chunk);
        while let Some(result) = framer.next() {
            out.push(match result {
                Ok(Frame::LiteralAnnounced(a)) => format!("{a:?}"),
                Ok(Frame::Message(m)) => {
                    assert!(m.bytes().len() as u64 <= limits.max_message_size);
                    assert!(m.bytes().ends_with(b"\r\n"));
                    format!("{m:?}")
                }
                Ok(other) => format!("{other:?}"),
                Err(e) => format!("{e:?}"),
            });
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let Some((&split_seed, input)) = rest.split_first() else {
        return;
    };
    let limits = Limits::default()
        .with_max_line_length(usize::from(control & 0x1f) + 2)
        .with_max_literal_size(u64::from(control >> 5) * 3)
        .with_max_message_size(64)
        .with_non_sync_literals(match split_seed & 3 {
            0 => NonSyncLiterals::Refuse,
            1 => NonSyncLiterals::Plus,
            _ => NonSyncLiterals::Minus,
        });
    let server = split_seed & 4 != 0;
    let whole = run(limits, server, &[input]);
    let mut chunks = Vec::new();
    let mut rest = input;
    let mut seed = u32::from(split_seed) | 1;
    while !rest.is_empty() {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let n = (seed >> 16) as usize % (rest.len() + 1);
        let (a, b) = rest.split_at(n);
        chunks.push(a);
        rest = b;
    }
    assert_eq!(run(limits, server, &chunks), whole);
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    assert_eq!(run(limits, server, &bytes), whole);
});
