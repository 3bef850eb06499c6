//! Properties: the two `:matches` engines agree, the parser never panics,
//! and a reference glob matcher agrees with both.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mailwire_sieve::{Envelope, Interpreter, MemoryContext, Script};
use proptest::prelude::*;

fn matches(value: &str, pattern: &str, capture: bool) -> bool {
    let escaped = pattern.replace('\\', "\\\\").replace('"', "\\\"");
    let require = if capture {
        "require \"variables\";"
    } else {
        ""
    };
    let script = format!("{require} if header :matches \"X\" \"{escaped}\" {{ discard; }}");
    let script = Script::compile(script.as_bytes()).unwrap();
    let message = format!("X: {value}\r\n\r\n");
    let message = mailwire_message::parse(message.as_bytes());
    let outcome = Interpreter::new(&script).run(
        &message,
        &Envelope::default(),
        &mut MemoryContext::default(),
    );
    assert_eq!(outcome.error, None);
    outcome.actions.is_empty()
}

/// A plain recursive glob matcher, exponential but obviously right.
fn reference(value: &[char], pattern: &[char]) -> bool {
    match pattern.split_first() {
        None => value.is_empty(),
        Some(('*', rest)) => (0..=value.len()).any(|i| reference(&value[i..], rest)),
        Some(('?', rest)) => !value.is_empty() && reference(&value[1..], rest),
        Some(('\\', rest)) => match rest.split_first() {
            Some((c, rest)) => {
                value.first().is_some_and(|v| v.eq_ignore_ascii_case(c))
                    && reference(&value[1..], rest)
            }
            None => reference(value, rest),
        },
        Some((c, rest)) => {
            value.first().is_some_and(|v| v.eq_ignore_ascii_case(c)) && reference(&value[1..], rest)
        }
    }
}

proptest! {
    #[test]
    fn wildcard_engines_agree(value in "[abAB?*]{0,10}", pattern in "[ab*?\\\\]{0,7}") {
        let expected = reference(&value.chars().collect::<Vec<_>>(), &pattern.chars().collect::<Vec<_>>());
        prop_assert_eq!(matches(&value, &pattern, false), expected);
        prop_assert_eq!(matches(&value, &pattern, true), expected);
    }

    #[test]
    fn parser_never_panics(script in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = Script::compile(&script);
    }

    #[test]
    fn parser_never_panics_on_tokens(words in proptest::collection::vec(
        prop_oneof![
            Just("if"), Just("header"), Just(":is"), Just("\"a\""), Just("["), Just("]"), Just("("), Just(")"),
            Just("{"), Just("}"), Just(";"), Just(","), Just("anyof"), Just("not"), Just("keep"), Just("text:\n.\n"),
            Just("require"), Just("\"variables\""), Just("set"), Just("10K"), Just(":matches"), Just("\"${1}\""),
        ], 0..40)) {
        let _ = Script::compile(words.join(" ").as_bytes());
    }
}
