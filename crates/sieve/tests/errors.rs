//! Each error variant from malformed input, with the exact error.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mailwire_sieve::{
    Config, Envelope, Extension, Extensions, Interpreter, Limits, MemoryContext, Position,
    RuntimeError, Script, ScriptErrorKind,
};

fn err(script: &str) -> (Position, ScriptErrorKind) {
    let e = Script::compile(script.as_bytes()).unwrap_err();
    (e.position, e.kind)
}

fn at(line: u32, column: u32) -> Position {
    Position { line, column }
}

#[test]
fn script_errors() {
    assert_eq!(
        err("keep; @"),
        (at(1, 7), ScriptErrorKind::UnexpectedCharacter('@'))
    );
    assert_eq!(
        err("keep \"abc"),
        (at(1, 6), ScriptErrorKind::Unterminated("string"))
    );
    assert_eq!(
        err("reject text:\nabc\n"),
        (at(1, 8), ScriptErrorKind::Unterminated("multi-line string"))
    );
    assert_eq!(
        err("reject text: x\n.\n;"),
        (
            at(1, 14),
            ScriptErrorKind::Expected {
                expected: "CRLF after \"text:\"",
                found: "'x'".into()
            }
        )
    );
    assert_eq!(
        err("require [\"vacation\", \"foo\"];"),
        (
            at(1, 9),
            ScriptErrorKind::UnsupportedExtension("foo".into())
        )
    );
    assert_eq!(
        err("if true { vacation \"x\"; }"),
        (at(1, 11), ScriptErrorKind::NotRequired("vacation"))
    );
    assert_eq!(
        err("require \"encoded-character\";\nkeep :flags \"${unicode:110000}\";"),
        (at(2, 6), ScriptErrorKind::NotRequired("imap4flags"))
    );
    assert_eq!(
        err("require [\"encoded-character\", \"fileinto\"];\nfileinto \"${unicode:110000}\";"),
        (
            at(2, 10),
            ScriptErrorKind::InvalidValue {
                what: "encoded character",
                value: "110000".into()
            }
        )
    );
    assert_eq!(
        err("require \"date\"; if currentdate \"decade\" \"1\" {}"),
        (
            at(1, 32),
            ScriptErrorKind::InvalidValue {
                what: "date part",
                value: "decade".into()
            }
        )
    );
    assert_eq!(
        err("require \"variables\"; set \"1a\" \"x\";"),
        (
            at(1, 26),
            ScriptErrorKind::InvalidValue {
                what: "variable name",
                value: "1a".into()
            }
        )
    );
    assert_eq!(
        err("require \"variables\"; set \"a\" \"${b.c}\";"),
        (
            at(1, 30),
            ScriptErrorKind::InvalidValue {
                what: "variable namespace",
                value: "b.c".into()
            }
        )
    );
    assert_eq!(
        err("elsif true {}"),
        (at(1, 1), ScriptErrorKind::Orphan("elsif"))
    );
    let mut limits = Limits::default();
    limits.max_variables = 1;
    let e = Script::compile_with(
        b"require \"variables\"; set \"a\" \"1\"; set \"b\" \"2\";",
        &limits,
        Extensions::all(),
    )
    .unwrap_err();
    assert_eq!(
        (e.position, e.kind),
        (
            at(1, 39),
            ScriptErrorKind::LimitExceeded {
                limit: "max_variables",
                max: 1
            }
        )
    );
    // An extension the caller does not offer cannot be required.
    let mut offered = Extensions::all();
    offered.remove(Extension::Vacation);
    let e =
        Script::compile_with(b"require \"vacation\";", &Limits::default(), offered).unwrap_err();
    assert_eq!(
        e.kind,
        ScriptErrorKind::UnsupportedExtension("vacation".into())
    );
}

fn runtime(script: &str) -> Option<RuntimeError> {
    let script = Script::compile(script.as_bytes()).unwrap();
    let message = mailwire_message::parse(b"Subject: a\r\n\r\n");
    let envelope = Envelope::new("a@example.com", "b@example.org");
    let outcome = Interpreter::with_config(&script, Config::default()).run(
        &message,
        &envelope,
        &mut MemoryContext::default(),
    );
    outcome.error
}

#[test]
fn runtime_errors() {
    assert_eq!(
        runtime("require \"variables\"; set \"a\" \"not an address\"; redirect \"${a}\";"),
        Some(RuntimeError::InvalidAddress("not an address".into()))
    );
    assert_eq!(
        runtime("require [\"variables\", \"fileinto\"]; fileinto \"${none}\";"),
        Some(RuntimeError::InvalidMailbox(String::new()))
    );
    assert_eq!(
        runtime("require [\"vacation\", \"reject\"]; reject \"x\"; vacation \"y\";"),
        None,
        "vacation that does not answer takes no action"
    );
    assert_eq!(
        runtime("require [\"ereject\", \"reject\"]; reject \"x\"; ereject \"y\";"),
        Some(RuntimeError::ActionConflict {
            action: "ereject",
            previous: "reject"
        })
    );
    let many: String = (0..40).map(|i| format!("fileinto \"f{i}\";")).collect();
    assert_eq!(
        runtime(&format!("require \"fileinto\"; {many}")),
        Some(RuntimeError::LimitExceeded {
            limit: "max_actions",
            max: 32
        })
    );
}
