//! Known-answer tests: every client command in the examples of RFC 3501,
//! RFC 9051 and the extension RFCs (`tests/commands/*.txt`) decodes and
//! encodes back to the same bytes (or to the canonical form given after
//! `=>`). `tests/commands/values.rs` compares decoded values with values
//! built by hand.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use mailwire_imap::{
    EncodeConfig, ParserConfig, Revision, parse_authenticate_data, parse_command, parse_idle_done,
};

#[path = "commands/values.rs"]
mod values;

/// Undoes the escapes of the fixture files: `\r`, `\n`, `\t`, `\\`, `\'`,
/// `\"` and `\xNN`.
pub(crate) fn unescape(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            match b[i + 1] {
                b'r' => out.push(b'\r'),
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'x' => {
                    let hex = std::str::from_utf8(&b[i + 2..i + 4]).unwrap();
                    out.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 2;
                }
                c => out.push(c),
            }
            i += 2;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// One fixture entry.
struct Entry {
    file: String,
    line: usize,
    kind: Kind,
    input: Vec<u8>,
    expected: Vec<u8>,
    config: ParserConfig,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Command,
    IdleDone,
    AuthenticateData,
}

fn entries() -> Vec<Entry> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/commands");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut config = ParserConfig::default();
        for (n, line) in text.lines().enumerate() {
            if let Some(words) = line.strip_prefix("#! ") {
                config = ParserConfig::default();
                for word in words.split_whitespace() {
                    match word {
                        "rev2" => config = config.with_revision(Revision::Rev2),
                        "utf8" => config = config.with_utf8_accept(true),
                        "lenient" => config = config.with_lenient(true),
                        "rev1" => {}
                        other => panic!("{file}: unknown config {other}"),
                    }
                }
                continue;
            }
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (kind, line) = if let Some(rest) = line.strip_prefix("idle-done: ") {
                (Kind::IdleDone, rest)
            } else if let Some(rest) = line.strip_prefix("auth-data: ") {
                (Kind::AuthenticateData, rest)
            } else {
                (Kind::Command, line)
            };
            let (input, expected) = match line.split_once(" => ") {
                Some((a, b)) => (unescape(a), unescape(b)),
                None => (unescape(line), unescape(line)),
            };
            out.push(Entry {
                file: file.clone(),
                line: n + 1,
                kind,
                input,
                expected,
                config,
            });
        }
    }
    out
}

#[test]
fn every_rfc_example_round_trips() {
    let mut failures = Vec::new();
    let mut commands = 0;
    for entry in entries() {
        let at = format!("{}:{}", entry.file, entry.line);
        match entry.kind {
            Kind::IdleDone => {
                if let Err(e) = parse_idle_done(&entry.input) {
                    failures.push(format!("{at}: {e}"));
                }
            }
            Kind::AuthenticateData => {
                if let Err(e) = parse_authenticate_data(&entry.input) {
                    failures.push(format!("{at}: {e}"));
                }
            }
            Kind::Command => {
                commands += 1;
                match parse_command(&entry.input, &entry.config) {
                    Err(e) => failures.push(format!(
                        "{at}: {e} in {:?}",
                        String::from_utf8_lossy(&entry.input)
                    )),
                    Ok(command) => {
                        let encoded = command
                            .encode_with(
                                EncodeConfig::default()
                                    .with_utf8_quoted(entry.config.utf8_quoted()),
                            )
                            .to_vec();
                        if encoded != entry.expected {
                            failures.push(format!(
                                "{at}: encoded {:?}, expected {:?}",
                                String::from_utf8_lossy(&encoded),
                                String::from_utf8_lossy(&entry.expected)
                            ));
                        }
                        // The owned copy is equal and encodes the same.
                        let owned = command.clone().into_static();
                        assert_eq!(owned, command, "{at}");
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(commands > 300, "only {commands} commands");
}

/// Every RFC example command, split at every byte, frames to itself.
#[test]
fn every_rfc_example_frames_split_at_every_byte() {
    use mailwire_imap::{Frame, Framer, Limits, NonSyncLiterals};
    let limits = Limits::default().with_non_sync_literals(NonSyncLiterals::Plus);
    for entry in entries().into_iter().filter(|e| e.kind == Kind::Command) {
        for at in 0..=entry.input.len() {
            let mut framer = Framer::server(limits);
            let mut messages = Vec::new();
            for piece in [&entry.input[..at], &entry.input[at..]] {
                framer.push(piece);
                while let Some(frame) = framer.next() {
                    match frame.unwrap() {
                        Frame::Message(m) => messages.push(m.bytes().to_vec()),
                        Frame::LiteralAnnounced(_) => {}
                        other => panic!("{other:?}"),
                    }
                }
            }
            assert_eq!(
                messages,
                vec![entry.input.clone()],
                "{}:{} split at {at}",
                entry.file,
                entry.line
            );
        }
    }
}
