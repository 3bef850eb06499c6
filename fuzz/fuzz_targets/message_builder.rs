//! The message builder on arbitrary header values, names, addresses, file
//! names and bodies: no panic, and whatever it writes has no line over 998
//! octets and no bare CR or LF (7-bit and 8-bit transports). Header lines
//! pass 78 octets only for a token that cannot be folded (a long address).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_message::address::Mailbox;
use mailwire_message::builder::{MessageBuilder, PartBuilder, Transport};

fn check(message: &[u8]) {
    let mut rest = message;
    while !rest.is_empty() {
        let end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .unwrap_or(rest.len());
        let line = &rest[..end];
        assert!(
            !line.contains(&b'\r') && !line.contains(&b'\n'),
            "bare CR or LF"
        );
        assert!(line.len() <= 998, "line of {} octets", line.len());
        rest = rest.get(end + 2..).unwrap_or_default();
    }
}

fuzz_target!(|data: &[u8]| {
    let mut pieces = data.split(|&b| b == 0xff);
    let mut next = || String::from_utf8_lossy(pieces.next().unwrap_or_default()).into_owned();
    let (subject, name, address, filename, text, field, value) =
        (next(), next(), next(), next(), next(), next(), next());
    let flags = data.first().copied().unwrap_or(0);
    let mut builder = MessageBuilder::new()
        .subject(subject)
        .header(&field, value.clone())
        .text(text.clone())
        .utf8_headers(flags & 1 != 0)
        // Binary content may hold any bytes by definition: not fuzzed here.
        .transport(if flags & 2 == 0 {
            Transport::SevenBit
        } else {
            Transport::EightBit
        });
    if let Ok(spec) = address.as_str().try_into() {
        builder = builder.from(Mailbox::new(Some(name.clone().into()), spec));
    }
    if flags & 8 != 0 {
        builder = builder.html(value);
    }
    builder = builder.attachment(
        PartBuilder::bytes("application/octet-stream", text.into_bytes()).attachment(&filename),
    );
    if let Ok(message) = builder.to_vec() {
        check(&message);
        let _ = mailwire_message::parse(&message);
    }
});
