//! IMAP responses on arbitrary bytes, strict or lenient, IMAP4rev1 or
//! IMAP4rev2 (chosen by the first byte): no panic, and a decoded response
//! encodes to bytes that decode to the same value.
#![no_main]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use libfuzzer_sys::fuzz_target;
use mailwire_imap::{EncodeConfig, ParserConfig, Revision, parse_response};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, input)) = data.split_first() else {
        return;
    };
    let config = ParserConfig::default()
        .with_lenient(mode & 1 != 0)
        .with_utf8_accept(mode & 2 != 0)
        .with_revision(if mode & 4 != 0 {
            Revision::Rev2
        } else {
            Revision::Rev1
        });
    let Ok(response) = parse_response(input, &config) else {
        return;
    };
    let wire = response
        .encode_with(EncodeConfig::default().with_utf8_quoted(true))
        .to_vec();
    let again = parse_response(&wire, &config)
        .unwrap_or_else(|e| panic!("{e}: {} -> {}", input.escape_ascii(), wire.escape_ascii()));
    assert_eq!(
        again,
        response,
        "{} -> {}",
        input.escape_ascii(),
        wire.escape_ascii()
    );
});
