//! RFC 5322 dates: no panic, and a parsed date printed in the current
//! syntax parses back to the same instant and offset.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_message::datetime::parse_detailed;

fuzz_target!(|data: &[u8]| {
    let Ok(date) = parse_detailed(data) else {
        return;
    };
    let _ = date.to_rfc3339();
    let year: i32 = date.datetime.format("%Y").to_string().parse().unwrap_or(0);
    if !(1000..=9999).contains(&year) {
        return;
    }
    let printed = date.datetime.format("%a, %d %b %Y %H:%M:%S %z").to_string();
    let again = parse_detailed(printed.as_bytes()).expect("printed date parses");
    assert_eq!(again.datetime, date.datetime);
    assert_eq!(again.datetime.offset(), date.datetime.offset());
});
