//! Runs a Sieve script against a message and prints the actions, one a
//! line, in the form `tests/pigeonhole.sh` compares with Pigeonhole's
//! `sieve-test`:
//!
//! ```text
//! cargo run -p mailwire-sieve --example sieve-run -- [-f FROM] [-r RCPT] SCRIPT MESSAGE...
//! ```
//!
//! With several messages it prints one block per message, each headed by
//! `== PATH`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mailwire_sieve::{Action, Envelope, Interpreter, MemoryContext, Script};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut envelope = Envelope::new("sender@example.net", "recipient@example.org");
    let mut paths = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-f" => envelope.from = args.next().expect("-f FROM"),
            "-r" => envelope.to = args.next().expect("-r RCPT"),
            _ => paths.push(arg),
        }
    }
    let (script_path, messages) = paths
        .split_first()
        .expect("usage: sieve-run [-f FROM] [-r RCPT] SCRIPT MESSAGE...");
    let source = std::fs::read(script_path).expect("read script");
    let script = match Script::compile(&source) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{script_path}:{e}");
            std::process::exit(1);
        }
    };
    let interpreter = Interpreter::new(&script);
    for path in messages {
        let bytes = std::fs::read(path).expect("read message");
        let message = mailwire_message::parse(&bytes);
        let outcome = interpreter.run(&message, &envelope, &mut MemoryContext::default());
        if messages.len() > 1 {
            println!("== {path}");
        }
        if let Some(e) = &outcome.error {
            println!("error {e}");
        }
        let mut lines: Vec<String> = outcome.actions.iter().map(line).collect();
        lines.sort();
        for l in lines {
            println!("{l}");
        }
    }
}

/// The normalised form: folder names as given, flags lowercased and sorted.
fn line(action: &Action) -> String {
    let flags = |f: &[String]| {
        let mut f: Vec<String> = f.iter().map(|x| x.to_lowercase()).collect();
        f.sort();
        f.join(" ")
    };
    match action {
        Action::Keep { flags: f } => format!("store INBOX flags={}", flags(f)),
        Action::FileInto {
            mailbox, flags: f, ..
        } => format!("store {mailbox} flags={}", flags(f)),
        Action::Redirect { address } => format!("redirect {address}"),
        Action::Reject { .. } => "reject".to_owned(),
        Action::Vacation(v) => format!("vacation seconds={}", v.seconds),
        other => format!("{other:?}"),
    }
}
