//! The line framer on arbitrary input: no panic, and feeding the input in
//! arbitrary chunks gives exactly the lines and errors of feeding it whole.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_core::line::{BareLineEnding, LineConfig, LineFramer};

fn run(config: LineConfig, chunks: &[&[u8]]) -> (Vec<String>, usize) {
    let mut framer = LineFramer::new(config);
    let mut out = Vec::new();
    let mut pushes = 0u64;
    let mut total = 0u64;
    for chunk in chunks {
        framer.push(chunk);
        pushes += 1;
        total += chunk.len() as u64;
        while let Some(result) = framer.next_line() {
            out.push(match result {
                Ok(line) => format!("{:?} {:?} {}", line.bytes(), line.ending(), line.offset()),
                Err(e) => format!("{e:?}"),
            });
        }
        assert!(framer.buffered().len() <= config.max_line_length + chunk.len() + 1);
    }
    assert!(framer.bytes_scanned() <= total + pushes);
    (out, framer.buffered().len())
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let Some((&split_seed, input)) = rest.split_first() else {
        return;
    };
    let policy = |bit: u8| {
        if control & bit == 0 {
            BareLineEnding::Reject
        } else {
            BareLineEnding::LineEnd
        }
    };
    let config = LineConfig::default()
        .with_max_line_length(usize::from(control >> 2) + 2)
        .with_bare_lf(policy(1))
        .with_bare_cr(policy(2));
    let whole = run(config, &[input]);
    // Split at pseudo-random points derived from the input itself.
    let step = usize::from(split_seed % 17) + 1;
    let chunks: Vec<&[u8]> = input.chunks(step).collect();
    let split = run(config, &chunks);
    assert_eq!(whole.0, split.0);
});
