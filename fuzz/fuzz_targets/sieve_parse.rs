//! The Sieve parser and compiler on arbitrary scripts: no panic, and
//! compiling succeeds only where parsing does, with default and tiny limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_sieve::{Extensions, Limits, Script};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let parsed = mailwire_sieve::parse::parse(data, &limits);
    let compiled = Script::compile(data);
    if compiled.is_ok() {
        assert!(parsed.is_ok());
    }
    if let Err(e) = &compiled {
        let _ = e.to_string();
        assert!(e.position.line >= 1 || data.len() > limits.max_script_size);
    }
    let mut tiny = Limits::default();
    tiny.max_nesting = 3;
    tiny.max_variables = 2;
    tiny.max_script_size = 256;
    let _ = Script::compile_with(data, &tiny, Extensions::default());
    let _ = Script::compile_with(data, &tiny, Extensions::all());
});
