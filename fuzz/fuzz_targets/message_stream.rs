//! The streaming parser against the whole-buffer parser: the same tree for
//! any chunking, and transfer-decoded chunks equal to the decoded bodies.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_message::limits::Limits;
use mailwire_message::stream::{Event, StreamParser, parse_chunks};

fuzz_target!(|data: &[u8]| {
    let Some((&control, input)) = data.split_first() else {
        return;
    };
    let step = usize::from(control % 31) + 1;
    let limits = if control & 0x80 == 0 {
        Limits::default()
    } else {
        Limits::default()
            .with_max_depth(3)
            .with_max_parts(5)
            .with_max_fields(4)
            .with_max_field_size(32)
    };
    let whole = mailwire_message::parse_with(input, limits);
    assert_eq!(parse_chunks(input.chunks(step), limits), whole);

    let expected: Vec<Vec<u8>> = whole
        .root()
        .leaves()
        .map(|p| p.decoded_body().0.into_owned())
        .collect();
    let mut parser = StreamParser::new(limits).with_decoding(true);
    let mut got: Vec<Vec<u8>> = Vec::new();
    let mut in_leaf = false;
    let mut handle = |event: Event<'_>| match event {
        Event::PartStart {
            body: mailwire_message::BodyKind::Leaf,
            ..
        } => {
            in_leaf = true;
            got.push(Vec::new());
        }
        Event::Body { decoded, .. } => {
            if let (true, Some(last), Some(d)) = (in_leaf, got.last_mut(), decoded) {
                last.extend_from_slice(d);
            }
        }
        Event::PartEnd { .. } => in_leaf = false,
        _ => {}
    };
    for chunk in input.chunks(step) {
        parser.push(chunk);
        while let Some(event) = parser.poll_event() {
            handle(event);
        }
    }
    parser.finish();
    while let Some(event) = parser.poll_event() {
        handle(event);
    }
    assert_eq!(got, expected);
});
