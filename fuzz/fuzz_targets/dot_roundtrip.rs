//! Encode any body, decode it: the decoder must end exactly at the
//! encoder's terminator, with no error, and give back the body with every
//! line ending normalised to CRLF.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_core::dot::{DotDecoder, DotEncoder};

fuzz_target!(|body: &[u8]| {
    let wire = DotEncoder::encode_all(body);
    let mut decoder = DotDecoder::default();
    let mut decoded = Vec::new();
    let d = decoder.decode(&wire, &mut decoded);
    assert!(d.done);
    assert_eq!(d.consumed, wire.len());
    assert_eq!(d.error, None);
    let mut expected = Vec::new();
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b'\r' if body.get(i + 1) == Some(&b'\n') => {
                expected.extend_from_slice(b"\r\n");
                i += 1;
            }
            b'\r' | b'\n' => expected.extend_from_slice(b"\r\n"),
            b => expected.push(b),
        }
        i += 1;
    }
    if !expected.is_empty() && !expected.ends_with(b"\r\n") {
        expected.extend_from_slice(b"\r\n");
    }
    assert_eq!(decoded, expected);
});
