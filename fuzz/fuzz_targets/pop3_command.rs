//! POP3 command parser on arbitrary lines: no panic, and whatever parses
//! encodes to a line that parses back to the same command.
#![no_main]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use libfuzzer_sys::fuzz_target;
use mailwire_pop3::parse::{Parsed, parse_command, parse_command_line};

fuzz_target!(|data: &[u8]| {
    if let Ok(Parsed::Complete((command, used))) = parse_command(data) {
        assert!(used <= data.len());
        let wire = command.to_bytes();
        assert!(wire.ends_with(b"\r\n"));
        let line = wire.get(..wire.len() - 2).unwrap_or_default();
        assert_eq!(parse_command_line(line).ok(), Some(command));
    }
    if let Ok(command) = parse_command_line(data) {
        let wire = command.to_bytes();
        let line = wire.get(..wire.len() - 2).unwrap_or_default();
        // No CR or LF can be smuggled into an encoded command.
        assert!(!line.contains(&b'\r') && !line.contains(&b'\n'));
        assert_eq!(parse_command_line(line).ok(), Some(command));
    }
});
