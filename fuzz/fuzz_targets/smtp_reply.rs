//! The SMTP reply and EHLO parsers on arbitrary input: no panic, and a
//! parsed reply encodes to bytes that parse back to a reply with the same
//! code, enhanced code and lines of text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_smtp::parse::{Status, parse_ehlo_reply, parse_reply};

fuzz_target!(|data: &[u8]| {
    if let Ok(Status::Complete((reply, _))) = parse_reply(data) {
        let _ = parse_ehlo_reply(&reply);
        let wire = reply.to_bytes();
        // Text that is not UTF-8 is read lossily; each bad byte grows to
        // three, which may take a line over the limit on the way back.
        if wire.split(|&b| b == b'\n').any(|line| line.len() >= 2047) {
            return;
        }
        let Ok(Status::Complete((again, used))) = parse_reply(&wire) else {
            panic!("re-parse")
        };
        assert_eq!(used, wire.len());
        assert_eq!(again.code(), reply.code());
        assert_eq!(again.enhanced(), reply.enhanced());
        assert_eq!(again.lines(), reply.lines());
    }
});
