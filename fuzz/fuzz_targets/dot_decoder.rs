//! The dot-stuffing decoder on arbitrary input: no panic, the body ends only
//! after the first `CRLF . CRLF`, and chunking never changes the outcome.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_core::dot::{BareNewline, DotDecoder};

fn run(policy: BareNewline, chunks: &[&[u8]]) -> (Vec<u8>, Option<usize>, Vec<String>) {
    let mut decoder = DotDecoder::new(policy);
    let mut body = Vec::new();
    let mut errors = Vec::new();
    let mut consumed = 0;
    for chunk in chunks {
        let before = body.len();
        let d = decoder.decode(chunk, &mut body);
        assert!(body.len() - before <= 2 * chunk.len() + 2);
        consumed += d.consumed;
        errors.extend(d.error.map(|e| format!("{e:?}")));
        if d.done {
            return (body, Some(consumed), errors);
        }
        assert_eq!(d.consumed, chunk.len());
    }
    (body, None, errors)
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, input)) = data.split_first() else {
        return;
    };
    let policy = if control & 1 == 0 {
        BareNewline::Reject
    } else {
        BareNewline::Normalize
    };
    let whole = run(policy, &[input]);
    let step = usize::from(control >> 1) % 13 + 1;
    let chunks: Vec<&[u8]> = input.chunks(step).collect();
    assert_eq!(whole, run(policy, &chunks));
    let mut framed = b"\r\n".to_vec();
    framed.extend_from_slice(input);
    let expected = framed
        .windows(5)
        .position(|w| w == b"\r\n.\r\n")
        .map(|p| p + 3);
    assert_eq!(whole.1, expected);
});
