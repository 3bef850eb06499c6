//! POP3 response-side parsers (status lines, continuations, greeting,
//! capabilities, listings) on arbitrary lines: no panic, and parsed values
//! encode to lines that parse back to the same values.
#![no_main]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use libfuzzer_sys::fuzz_target;
use mailwire_pop3::ServerLine;
use mailwire_pop3::encode::encode_continuation;
use mailwire_pop3::parse::{
    parse_capability, parse_drop_listing, parse_greeting, parse_language, parse_response_code,
    parse_response_line, parse_scan_listing, parse_server_line, parse_unique_id_listing,
};

fn strip(wire: &[u8]) -> &[u8] {
    wire.strip_suffix(b"\r\n").unwrap_or(wire)
}

fuzz_target!(|data: &[u8]| {
    let _ = parse_greeting(data);
    let _ = parse_drop_listing(data);
    let _ = parse_scan_listing(data);
    let _ = parse_response_code(data);
    match parse_server_line(data) {
        Ok(ServerLine::Response(response)) => {
            let wire = response.to_bytes();
            let again = parse_response_line(strip(&wire)).unwrap();
            // Text that starts with a resp-code is read back as one: the
            // status and the full line must survive.
            assert_eq!(again.status, response.status);
            assert_eq!(again.to_bytes(), wire);
        }
        Ok(ServerLine::Continuation(challenge)) => {
            let mut wire = Vec::new();
            encode_continuation(&challenge, &mut wire);
            assert_eq!(
                parse_server_line(strip(&wire)).ok(),
                Some(ServerLine::Continuation(challenge))
            );
        }
        Ok(_) | Err(_) => {}
    }
    if let Ok(capability) = parse_capability(data) {
        let line = capability.to_string();
        assert_eq!(parse_capability(line.as_bytes()).ok(), Some(capability));
    }
    if let Ok(listing) = parse_unique_id_listing(data) {
        let line = listing.to_string();
        assert_eq!(parse_unique_id_listing(line.as_bytes()).ok(), Some(listing));
    }
    if let Ok(language) = parse_language(data) {
        let line = language.to_string();
        assert_eq!(parse_language(line.as_bytes()).ok(), Some(language));
    }
});
