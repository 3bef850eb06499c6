//! RFC 5228's examples as known-answer tests (script + message + envelope
//! → actions), with the two example messages of §1.2.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::{MESSAGE_1, MESSAGE_2, compile, run};
use mailwire_sieve::{Position, Script, ScriptErrorKind};

const FROM: &str = "coyote@desert.example.org";
const TO: &str = "roadrunner@acme.example.com";

/// §3.1: if/elsif/else.
const IF_EXAMPLE: &str = r#"require "fileinto";
if header :contains "from" "coyote" {
    discard;
} elsif header :contains ["subject"] ["$$$"] {
    discard;
} else {
    fileinto "INBOX";
}"#;

#[test]
fn section_3_1_if() {
    assert!(run(IF_EXAMPLE, MESSAGE_1, FROM, TO).is_empty());
    assert!(run(IF_EXAMPLE, MESSAGE_2, FROM, TO).is_empty());
    let other = "From: someone@example.net\r\nSubject: hello\r\n\r\nhi\r\n";
    assert_eq!(run(IF_EXAMPLE, other, FROM, TO), ["keep"]);
}

#[test]
fn section_2_7_match_types_and_comparators() {
    // §2.7.2 and §2.7.3: ascii-casemap is the default, i;octet is exact.
    let script = r#"if header :contains "Subject" "MAKE MONEY FAST" { discard; }"#;
    let spam = "Subject: make money fast\r\n\r\n";
    assert!(run(script, spam, FROM, TO).is_empty());
    let script =
        r#"if header :contains :comparator "i;octet" "Subject" "MAKE MONEY FAST" { discard; }"#;
    assert_eq!(run(script, spam, FROM, TO), ["keep"]);
    // §2.7.1: wildcards; "\" quotes them.
    let script = r#"if header :matches "Subject" "$$$ *, ?OO, *\\?" { discard; }"#;
    assert_eq!(run(script, MESSAGE_2, FROM, TO), ["keep"]);
    let script = r#"if header :matches "Subject" "$$$ *, ?OO, * $$$" { discard; }"#;
    assert!(run(script, MESSAGE_2, FROM, TO).is_empty());
    let script = r#"if header :matches "Subject" "*\!*" { discard; }"#;
    assert!(run(script, MESSAGE_2, FROM, TO).is_empty());
}

#[test]
fn section_2_4_2_4_encoded_character() {
    let script = r#"require "encoded-character";
if header :contains "Subject" "$${hex:24 24}" { discard; }"#;
    assert!(run(script, MESSAGE_2, FROM, TO).is_empty());
    assert_eq!(run(script, MESSAGE_1, FROM, TO), ["keep"]);
}

#[test]
fn section_4_1_fileinto() {
    let script = r#"require "fileinto";
if header :contains ["from"] "coyote" { fileinto "INBOX.harassment"; }"#;
    assert_eq!(
        run(script, MESSAGE_1, FROM, TO),
        ["fileinto INBOX.harassment"]
    );
    assert_eq!(run(script, MESSAGE_2, FROM, TO), ["keep"]);
}

#[test]
fn section_4_2_redirect_and_4_3_keep() {
    assert_eq!(
        run(r#"redirect "bart@example.com";"#, MESSAGE_1, FROM, TO),
        ["redirect bart@example.com"]
    );
    // Redirecting twice to one address sends one copy (§2.10.3).
    assert_eq!(
        run(
            r#"redirect "bart@example.com"; redirect "BART@example.com"; keep;"#,
            MESSAGE_1,
            FROM,
            TO
        ),
        ["redirect bart@example.com", "keep"]
    );
    let err = Script::compile(br#"redirect "not an address";"#).unwrap_err();
    assert_eq!(
        err.position,
        Position {
            line: 1,
            column: 10
        }
    );
}

#[test]
fn section_4_4_discard() {
    let script = r#"if header :contains ["from"] ["idiot@example.com"] { discard; }"#;
    assert!(run(script, "From: idiot@example.com\r\n\r\n", FROM, TO).is_empty());
}

#[test]
fn section_5_1_address() {
    let script = r#"if address :is :all "from" "tim@example.com" { discard; }"#;
    assert!(run(script, "From: Tim <TIM@example.com>\r\n\r\n", FROM, TO).is_empty());
    assert_eq!(
        run(script, "From: tim@example.org\r\n\r\n", FROM, TO),
        ["keep"]
    );
    let script = r#"if address :domain :is "to" "ACME.example.com" { discard; }"#;
    assert!(run(script, MESSAGE_1, FROM, TO).is_empty());
    let script = r#"if address :localpart :is "from" "youcouldberich!" { discard; }"#;
    assert!(run(script, MESSAGE_2, FROM, TO).is_empty());
}

#[test]
fn section_5_2_allof_5_3_anyof() {
    let both = r#"if allof (header :contains "From" "Cheney", header :contains "Subject" "Fishing") { discard; }"#;
    let m = "From: Dick Cheney <dick@example.gov>\r\nSubject: Fishing trip\r\n\r\n";
    assert!(run(both, m, FROM, TO).is_empty());
    assert_eq!(
        run(
            both,
            "From: cheney@example.gov\r\nSubject: Hunting\r\n\r\n",
            FROM,
            TO
        ),
        ["keep"]
    );
    assert_eq!(
        run("if allof (false, false) { discard; }", m, FROM, TO),
        ["keep"]
    );
    assert_eq!(
        run("if anyof (false, false) { discard; }", m, FROM, TO),
        ["keep"]
    );
    assert!(run("if anyof (false, true) { discard; }", m, FROM, TO).is_empty());
    assert!(run("if allof (true, true) { discard; }", m, FROM, TO).is_empty());
}

#[test]
fn section_5_4_envelope() {
    let script = r#"require "envelope";
if envelope :all :is "from" "tim@example.com" { discard; }"#;
    assert!(run(script, MESSAGE_1, "tim@example.com", TO).is_empty());
    assert_eq!(run(script, MESSAGE_1, "tom@example.com", TO), ["keep"]);
    // The null reverse path is the empty string for every address part.
    let script = r#"require "envelope";
if envelope :domain :is "from" "" { discard; }"#;
    assert!(run(script, MESSAGE_1, "", TO).is_empty());
    let err = Script::compile(br#"if envelope "from" "x" { stop; }"#).unwrap_err();
    assert_eq!(err.kind, ScriptErrorKind::NotRequired("envelope"));
}

#[test]
fn section_5_5_exists_5_8_not() {
    let script = r#"if not exists ["From","Date"] { discard; }"#;
    assert_eq!(run(script, MESSAGE_1, FROM, TO), ["keep"]);
    assert!(run(script, "From: a@example.com\r\n\r\n", FROM, TO).is_empty());
}

#[test]
fn section_5_7_header() {
    let script = r#"if header :is ["X-Caffeine"] [""] { discard; }"#;
    assert!(run(script, "X-Caffeine: \r\n\r\n", FROM, TO).is_empty());
    assert_eq!(run(script, MESSAGE_1, FROM, TO), ["keep"]);
    let script = r#"if header :contains "X-Caffeine" "" { discard; }"#;
    assert!(run(script, "X-Caffeine: yes\r\n\r\n", FROM, TO).is_empty());
    assert_eq!(run(script, MESSAGE_1, FROM, TO), ["keep"]);
}

#[test]
fn section_5_9_size() {
    let script = "if size :over 500K { discard; }";
    assert_eq!(run(script, MESSAGE_1, FROM, TO), ["keep"]);
    let big = format!("Subject: big\r\n\r\n{}", "x".repeat(600 * 1024));
    assert!(run(script, &big, FROM, TO).is_empty());
    assert_eq!(
        run("if size :under 1 { discard; }", MESSAGE_1, FROM, TO),
        ["keep"]
    );
}

/// §9: the complete example script.
const SECTION_9: &str = r#"#
# Example Sieve Filter
# Declare any optional features or extension used by the script
#
require ["fileinto"];

#
# Handle messages from known mailing lists
# Move messages from IETF filter discussion list to filter mailbox
#
if header :is "Sender" "owner-ietf-mta-filters@imc.org"
        {
        fileinto "filter";  # move to "filter" mailbox
        }
#
# Keep all messages to or from people in my company
#
elsif address :DOMAIN :is ["From", "To"] "example.com"
        {
        keep;               # keep in "In" mailbox
        }

#
# Try and catch unsolicited email.  If a message is not to me,
# or it contains a subject known to be spam, file it away.
#
elsif anyof (NOT address :all :contains
               ["To", "Cc", "Bcc"] "me@example.com",
             header :matches "subject"
               ["*make*money*fast*", "*university*dipl*mas*"])
        {
        fileinto "spam";   # move to "spam" mailbox
        }
else
        {
        # Move all other (non-company) mail to "personal"
        # mailbox.
        fileinto "personal";
        }
"#;

#[test]
fn section_9_example() {
    let list = "Sender: owner-ietf-mta-filters@imc.org\r\nTo: me@example.com\r\n\r\n";
    assert_eq!(run(SECTION_9, list, FROM, TO), ["fileinto filter"]);
    let company = "From: boss@example.com\r\nTo: me@example.org\r\n\r\n";
    assert_eq!(run(SECTION_9, company, FROM, TO), ["keep"]);
    assert_eq!(run(SECTION_9, MESSAGE_1, FROM, TO), ["fileinto spam"]);
    let spam = "From: x@example.net\r\nTo: me@example.com.au\r\nSubject: Make lots of MONEY, fast!\r\n\r\n";
    assert_eq!(run(SECTION_9, spam, FROM, TO), ["fileinto spam"]);
    let personal = "From: mum@example.net\r\nTo: me@example.com.au\r\nSubject: Dinner\r\n\r\n";
    assert_eq!(run(SECTION_9, personal, FROM, TO), ["fileinto personal"]);
}

#[test]
fn stop_and_implicit_keep() {
    // §3.3: stop ends the script; implicit keep still applies.
    assert_eq!(run("stop; discard;", MESSAGE_1, FROM, TO), ["keep"]);
    assert!(run("discard; stop; keep;", MESSAGE_1, FROM, TO).is_empty());
    assert_eq!(run("", MESSAGE_1, FROM, TO), ["keep"]);
}

#[test]
fn multi_line_strings_and_comments() {
    // §2.4.2: multi-line strings with dot-stuffing; §2.3: both comment forms.
    let script = "require \"reject\";\n/* a bracket\n comment */ reject text: # reason\n..hidden\nline\n.\n;";
    assert_eq!(
        run(script, MESSAGE_1, FROM, TO),
        ["reject .hidden\r\nline\r\n"]
    );
}

#[test]
fn compile_errors() {
    let cases: &[(&str, Position, ScriptErrorKind)] = &[
        (
            "keep;\nrequire \"fileinto\";",
            Position { line: 2, column: 1 },
            ScriptErrorKind::LateRequire,
        ),
        (
            "else { keep; }",
            Position { line: 1, column: 1 },
            ScriptErrorKind::Orphan("else"),
        ),
        (
            "frobnicate;",
            Position { line: 1, column: 1 },
            ScriptErrorKind::Unknown {
                what: "command",
                name: "frobnicate".into(),
            },
        ),
        (
            "if frob { }",
            Position { line: 1, column: 4 },
            ScriptErrorKind::Unknown {
                what: "test",
                name: "frob".into(),
            },
        ),
        (
            "if header :comparator \"i;foo\" \"a\" \"b\" {}",
            Position {
                line: 1,
                column: 23,
            },
            ScriptErrorKind::Unknown {
                what: "comparator",
                name: "i;foo".into(),
            },
        ),
        (
            "if header :over \"a\" \"b\" {}",
            Position {
                line: 1,
                column: 11,
            },
            ScriptErrorKind::Unknown {
                what: "tagged argument",
                name: ":over".into(),
            },
        ),
        (
            "if header :is :contains \"a\" \"b\" {}",
            Position {
                line: 1,
                column: 25,
            },
            ScriptErrorKind::InvalidArguments {
                command: "header".into(),
                problem: "more than one match type".into(),
            },
        ),
        (
            "keep \"x\";",
            Position { line: 1, column: 6 },
            ScriptErrorKind::InvalidArguments {
                command: "keep".into(),
                problem: "too many arguments".into(),
            },
        ),
        (
            "if true keep;",
            Position { line: 1, column: 4 },
            ScriptErrorKind::InvalidArguments {
                command: "true".into(),
                problem: "takes no nested test".into(),
            },
        ),
        (
            "if true;",
            Position { line: 1, column: 1 },
            ScriptErrorKind::InvalidArguments {
                command: "if".into(),
                problem: "needs a block".into(),
            },
        ),
    ];
    for (script, position, kind) in cases {
        let err = Script::compile(script.as_bytes()).unwrap_err();
        assert_eq!((&err.position, &err.kind), (position, kind), "{script}");
    }
    // Identifiers and tags are case-insensitive.
    compile("IF Header :CONTAINS \"a\" \"b\" { KEEP; }");
}
