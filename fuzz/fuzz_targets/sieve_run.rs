//! A Sieve script run against a message, both from the input (split at the
//! first NUL): no panic, the work budget holds, and the actions stay within
//! the limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_sieve::{Config, Envelope, Interpreter, MemoryContext, Script};

fuzz_target!(|data: &[u8]| {
    let (script, message) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (
            data,
            &b"From: a@example.com\r\nTo: b@example.org\r\nSubject: x\r\n\r\nbody\r\n"[..],
        ),
    };
    let Ok(script) = Script::compile(script) else {
        return;
    };
    let message = mailwire_message::parse(message);
    let mut config = Config::default();
    config.limits.max_work = 200_000;
    config.limits.max_actions = 8;
    config.limits.max_variable_size = 64;
    let envelope = Envelope::new("a+b@example.com", "b+detail@example.org");
    let mut context = MemoryContext::default();
    context.mailboxes.insert("a".into());
    let outcome =
        Interpreter::with_config(&script, config.clone()).run(&message, &envelope, &mut context);
    assert!(outcome.actions.len() <= config.limits.max_actions + 1);
    if outcome.error.is_some() {
        assert_eq!(outcome.actions.len(), 1);
    }
    context.commit(&outcome);
    let _ = Interpreter::with_config(&script, config).run(&message, &envelope, &mut context);
});
