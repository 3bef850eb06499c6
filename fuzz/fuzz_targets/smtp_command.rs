//! The SMTP command parser on arbitrary input: no panic, and whatever parses
//! encodes to a line that parses back to the same command.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_smtp::parse::{Status, parse_command, parse_command_line};

fuzz_target!(|data: &[u8]| {
    let _ = parse_command(data);
    if let Ok(command) = parse_command_line(data) {
        let wire = command.to_bytes();
        match parse_command(&wire) {
            Ok(Status::Complete((again, used))) => {
                assert_eq!(used, wire.len());
                assert_eq!(again, command);
            }
            other => panic!("{other:?}"),
        }
    }
});
