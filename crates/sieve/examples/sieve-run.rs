//! Runs a Sieve script against a message and prints the actions, one a
//! line, in the form `tests/pigeonhole.sh` compares with Pigeonhole's
//! `sieve-test`:
//!
//! ```text
//! cargo run -p mailwire-sieve --example sieve-run -- [-f FROM] [-r RCPT] SCRIPT MESSAGE...
//! ```
//!
//! With several messages it prints one block per message, each headed by
//! `== PATH`. Two more modes serve the bench comparison with Pigeonhole:
//!
//! ```text
//! sieve-run --generate N DIR          # writes the bench messages as DIR/NNNNN.eml
//! sieve-run --time SCRIPT MESSAGE...  # runs each message in turn, prints per-message time
//! ```
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mailwire_sieve::{Action, Envelope, Interpreter, MemoryContext, Script};

include!("../tests/bench/generate.rs");

fn main() {
    let mut args = std::env::args().skip(1);
    let mut envelope = Envelope::new("sender@example.net", "recipient@example.org");
    let mut paths = Vec::new();
    let mut time = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--generate" => {
                let count: usize = args.next().expect("N").parse().expect("N");
                let dir = std::path::PathBuf::from(args.next().expect("DIR"));
                std::fs::create_dir_all(&dir).expect("create DIR");
                for (i, (recipient, message)) in generate_messages(count).into_iter().enumerate() {
                    let mut file = format!("X-Envelope-To: {recipient}\r\n").into_bytes();
                    file.extend_from_slice(&message);
                    std::fs::write(dir.join(format!("{i:05}.eml")), file).expect("write");
                }
                return;
            }
            "--time" => time = true,
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
    if time {
        let inputs: Vec<(String, Vec<u8>)> = messages
            .iter()
            .map(|p| {
                let bytes = std::fs::read(p).expect("read message");
                let to = String::from_utf8_lossy(&bytes)
                    .lines()
                    .find_map(|l| l.strip_prefix("X-Envelope-To: ").map(str::to_owned))
                    .unwrap_or_else(|| envelope.to.clone());
                (to, bytes)
            })
            .collect();
        let start = std::time::Instant::now();
        let mut actions = 0;
        for (to, bytes) in &inputs {
            let message = mailwire_message::parse(bytes);
            let envelope = Envelope::new(envelope.from.clone(), to.clone());
            actions += interpreter
                .run(&message, &envelope, &mut MemoryContext::default())
                .actions
                .len();
        }
        let elapsed = start.elapsed();
        println!(
            "{} messages, {actions} actions, {:.1} us per message (parse + run), {:.0} messages/s",
            inputs.len(),
            elapsed.as_secs_f64() * 1e6 / inputs.len().max(1) as f64,
            inputs.len() as f64 / elapsed.as_secs_f64()
        );
        return;
    }
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
