//! IMAP greetings on arbitrary bytes, strict or lenient (chosen by the
//! first byte): no panic, and a decoded greeting encodes to bytes that
//! decode to the same value.
#![no_main]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use libfuzzer_sys::fuzz_target;
use mailwire_imap::{EncodeConfig, ParserConfig, parse_greeting};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, input)) = data.split_first() else {
        return;
    };
    let config = ParserConfig::default().with_lenient(mode & 1 != 0);
    let Ok(greeting) = parse_greeting(input, &config) else {
        return;
    };
    let wire = greeting
        .encode_with(EncodeConfig::default().with_utf8_quoted(true))
        .to_vec();
    let again = parse_greeting(&wire, &config)
        .unwrap_or_else(|e| panic!("{e}: {} -> {}", input.escape_ascii(), wire.escape_ascii()));
    assert_eq!(again, greeting);
});
