//! The whole-buffer message parser on arbitrary input: no panic, and the
//! tree re-emits the input byte for byte, with default and tiny limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_message::limits::Limits;

fuzz_target!(|data: &[u8]| {
    let message = mailwire_message::parse(data);
    assert_eq!(message.to_bytes(), data);
    for leaf in message.root().leaves() {
        let _ = leaf.text();
        let _ = leaf.header().from();
        let _ = leaf.header().date();
    }
    let tiny = Limits::default()
        .with_max_depth(2)
        .with_max_parts(4)
        .with_max_fields(3)
        .with_max_field_size(24);
    let message = mailwire_message::parse_with(data, tiny);
    assert_eq!(message.into_owned().to_bytes(), data);
});
