//! Decodes a captured IMAP byte stream into JSON lines, for debugging.
//!
//! ```text
//! cargo run --example imap-trace --features imap -- --server [--lenient] FILE
//! cargo run --example imap-trace --features imap -- --client [--lenient] -
//! ```
//!
//! `--server` reads what a server sent (the greeting, then responses and
//! continuation requests); `--client` reads what a client sent (commands,
//! and the lines after AUTHENTICATE and IDLE). `-` reads standard input.
//! Each greeting, response, command or continuation request, literals
//! included, gives one line:
//!
//! ```text
//! {"offset":0,"tag":null,"kind":"greeting","value":{...}}
//! {"offset":40,"tag":"a1","kind":"response","value":{...}}
//! ```
//!
//! `offset` is the stream offset of the message's first byte, `kind` one of
//! `greeting`, `response`, `continuation`, `command`, `authenticate-data`
//! and `idle-done`, and `value` the decoded value. An item that does not
//! parse gives `{"offset":N,"error":{"rule":...,"tag":...}}` where `offset`
//! is the stream offset of the byte where parsing failed and `rule` the
//! ABNF rule expected there (or the limit exceeded); decoding goes on with
//! the next message. The exit status is 1 when anything failed to parse.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::fmt::Debug;
use std::io::{Read, Write};

use mailwire_imap::{
    CommandBody, Error, Frame, Framer, Limits, NonSyncLiterals, ParserConfig, Response,
    parse_authenticate_data, parse_command, parse_greeting, parse_idle_done, parse_response,
};

const USAGE: &str = "usage: imap-trace --server|--client [--lenient] FILE|-";

fn main() {
    let mut side = None;
    let mut lenient = false;
    let mut path = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--server" => side = Some(Side::Server),
            "--client" => side = Some(Side::Client),
            "--lenient" => lenient = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            _ if path.is_none() && (arg == "-" || !arg.starts_with('-')) => path = Some(arg),
            _ => {
                eprintln!("{USAGE}");
                std::process::exit(2);
            }
        }
    }
    let (Some(side), Some(path)) = (side, path) else {
        eprintln!("{USAGE}");
        std::process::exit(2);
    };
    let mut input: Box<dyn Read> = if path == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        match std::fs::File::open(&path) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("imap-trace: {path}: {e}");
                std::process::exit(2);
            }
        }
    };
    let config = ParserConfig::default().with_lenient(lenient);
    let mut trace = Trace::new(side, config);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                eprintln!("imap-trace: {path}: {e}");
                std::process::exit(2);
            }
        };
        trace.push(&buf[..n], &mut out);
    }
    trace.finish(&mut out);
    if out.flush().is_err() {
        std::process::exit(0);
    }
    if trace.failed {
        std::process::exit(1);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Server,
    Client,
}

/// What the client side is in the middle of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientState {
    Commands,
    Authenticate,
    Idle,
}

struct Trace {
    side: Side,
    config: ParserConfig,
    framer: Framer,
    greeted: bool,
    client: ClientState,
    failed: bool,
}

impl Trace {
    fn new(side: Side, config: ParserConfig) -> Self {
        // A capture holds whatever the peer sent: accept every literal.
        let limits = Limits::default().with_non_sync_literals(NonSyncLiterals::Plus);
        let framer = match side {
            Side::Server => Framer::client(limits),
            Side::Client => Framer::server(limits),
        };
        Self {
            side,
            config,
            framer,
            greeted: false,
            client: ClientState::Commands,
            failed: false,
        }
    }

    fn push(&mut self, bytes: &[u8], out: &mut impl Write) {
        self.framer.push(bytes);
        loop {
            let (offset, message) = match self.framer.next() {
                None => return,
                Some(Ok(Frame::Message(m))) => (m.offset(), m.bytes().to_vec()),
                Some(Ok(_)) => continue,
                Some(Err(e)) => {
                    self.error(out, &e);
                    continue;
                }
            };
            self.message(offset, &message, out);
        }
    }

    fn finish(&mut self, out: &mut impl Write) {
        if self.framer.is_mid_message() {
            let offset = self.framer.stream_offset();
            self.failed = true;
            emit(
                out,
                &format!(
                    "{{\"offset\":{offset},\"error\":{{\"rule\":\"end of message\",\"tag\":null}}}}"
                ),
            );
        }
    }

    fn message(&mut self, offset: u64, message: &[u8], out: &mut impl Write) {
        match self.side {
            Side::Server if !self.greeted => {
                self.greeted = true;
                match parse_greeting(message, &self.config) {
                    Ok(g) => line(out, offset, None, "greeting", &g),
                    // A capture that starts after the greeting.
                    Err(_) => self.response(offset, message, out),
                }
            }
            Side::Server => self.response(offset, message, out),
            Side::Client => self.command(offset, message, out),
        }
    }

    fn response(&mut self, offset: u64, message: &[u8], out: &mut impl Write) {
        match parse_response(message, &self.config) {
            Ok(r) => {
                let kind = match r {
                    Response::Continue(_) => "continuation",
                    _ => "response",
                };
                line(out, offset, r.tag().map(|t| t.as_str()), kind, &r);
            }
            Err(e) => self.error(out, &e.offset_by(offset)),
        }
    }

    fn command(&mut self, offset: u64, message: &[u8], out: &mut impl Write) {
        match self.client {
            ClientState::Authenticate => {
                if let Ok(data) = parse_authenticate_data(message) {
                    line(out, offset, None, "authenticate-data", &data);
                    return;
                }
                self.client = ClientState::Commands;
            }
            ClientState::Idle => {
                if parse_idle_done(message).is_ok() {
                    self.client = ClientState::Commands;
                    line(out, offset, None, "idle-done", &"DONE");
                    return;
                }
                self.client = ClientState::Commands;
            }
            ClientState::Commands => {}
        }
        match parse_command(message, &self.config) {
            Ok(c) => {
                self.client = match &c.body {
                    CommandBody::Authenticate { .. } => ClientState::Authenticate,
                    CommandBody::Idle => ClientState::Idle,
                    _ => ClientState::Commands,
                };
                line(out, offset, Some(c.tag.as_str()), "command", &c);
            }
            Err(e) => self.error(out, &e.offset_by(offset)),
        }
    }

    fn error(&mut self, out: &mut impl Write, e: &Error) {
        self.failed = true;
        let rule = match e {
            Error::LimitExceeded { what, .. } => format!("{what} limit"),
            _ => e.expected().map_or_else(|| e.to_string(), str::to_owned),
        };
        let mut s = String::new();
        s.push_str("{\"offset\":");
        s.push_str(&e.offset().unwrap_or(0).to_string());
        s.push_str(",\"error\":{\"rule\":");
        json_string(&mut s, &rule);
        s.push_str(",\"tag\":");
        match e.tag() {
            Some(t) => json_string(&mut s, t.as_str()),
            None => s.push_str("null"),
        }
        s.push_str("}}");
        emit(out, &s);
    }
}

/// Writes one JSON line for a decoded value.
fn line(out: &mut impl Write, offset: u64, tag: Option<&str>, kind: &str, value: &impl Debug) {
    let mut s = String::new();
    s.push_str("{\"offset\":");
    s.push_str(&offset.to_string());
    s.push_str(",\"tag\":");
    match tag {
        Some(t) => json_string(&mut s, t),
        None => s.push_str("null"),
    }
    s.push_str(",\"kind\":");
    json_string(&mut s, kind);
    s.push_str(",\"value\":");
    let debug = format!("{value:?}");
    match debug_to_json(&debug) {
        Some(json) if json.starts_with('{') => s.push_str(&json),
        Some(json) => {
            s.push_str("{\"value\":");
            s.push_str(&json);
            s.push('}');
        }
        None => {
            s.push_str("{\"debug\":");
            json_string(&mut s, &debug);
            s.push('}');
        }
    }
    s.push('}');
    emit(out, &s);
}

/// Writes one line; stops quietly when the reader has gone (a closed pipe).
fn emit(out: &mut impl Write, line: &str) {
    if writeln!(out, "{line}").is_err() {
        std::process::exit(0);
    }
}

/// Appends `text` as a JSON string.
fn json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Wrappers whose single field stands for the value itself.
const TRANSPARENT: &[&str] = &[
    "Some",
    "Vec1",
    "Tag",
    "Atom",
    "AtomExt",
    "Quoted",
    "Text",
    "Capability",
    "Base64",
    "NString",
    "Delimiter",
    "Borrowed",
    "Owned",
    "Box",
    "Secret",
    "SequenceSet",
    "Mailbox",
    "Other",
    "MailboxOther",
    "String",
    "Token",
    "Part",
];

/// Turns the `Debug` form of a value into JSON: structs and struct variants
/// become `{"Name":{"field":...}}`, tuple variants `{"Name":value}` (or a
/// list), unit variants strings, `None` null, and transparent wrappers
/// ([`TRANSPARENT`]) their content. `None` when the text is not recognised.
fn debug_to_json(debug: &str) -> Option<String> {
    let mut p = DebugParser {
        s: debug.as_bytes(),
        i: 0,
    };
    let mut out = String::new();
    p.value(&mut out, 0)?;
    p.ws();
    (p.i == p.s.len()).then_some(out)
}

struct DebugParser<'a> {
    s: &'a [u8],
    i: usize,
}

impl DebugParser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i) == Some(&b' ') {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// A name or a bare token (`Capability(AUTH=PLAIN)` prints one).
    fn ident(&mut self) -> &str {
        let start = self.i;
        while let Some(b) = self.s.get(self.i) {
            let colon_in_token = *b == b':' && self.s.get(self.i + 1).is_some_and(|n| *n != b' ');
            if b" ,()[]{}:\"".contains(b) && !colon_in_token {
                break;
            }
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i]).unwrap_or("")
    }

    fn value(&mut self, out: &mut String, depth: usize) -> Option<()> {
        if depth > 200 {
            return None;
        }
        match self.peek()? {
            b'"' => {
                let text = self.string()?;
                json_string(out, &text);
            }
            b'[' | b'(' => {
                let close = if self.s[self.i] == b'[' { b']' } else { b')' };
                self.i += 1;
                out.push('[');
                self.items(out, close, depth)?;
                out.push(']');
            }
            b'-' | b'0'..=b'9' => {
                let token = self.ident().to_owned();
                if token.parse::<i128>().is_ok() {
                    out.push_str(&token);
                } else {
                    json_string(out, &token);
                }
            }
            _ => {
                let name = self.ident().to_owned();
                if name.is_empty() {
                    return None;
                }
                if self.eat(b'{') {
                    out.push('{');
                    json_string(out, &name);
                    out.push_str(":{");
                    let mut first = true;
                    while !self.eat(b'}') {
                        if !first && !self.eat(b',') {
                            return None;
                        }
                        if self.eat(b'}') {
                            break;
                        }
                        first = false;
                        self.ws();
                        let field = self.ident().to_owned();
                        if field.is_empty() {
                            // `..` of a non-exhaustive Debug.
                            if self.s.get(self.i..self.i + 2) == Some(b"..") {
                                self.i += 2;
                                continue;
                            }
                            return None;
                        }
                        if !self.eat(b':') {
                            return None;
                        }
                        if !out.ends_with('{') {
                            out.push(',');
                        }
                        json_string(out, &field);
                        out.push(':');
                        self.value(out, depth + 1)?;
                    }
                    out.push_str("}}");
                } else if self.peek() == Some(b'(') {
                    self.i += 1;
                    let mut inner = String::new();
                    let n = self.items(&mut inner, b')', depth)?;
                    let inner = if n == 1 { inner } else { format!("[{inner}]") };
                    let same = format!("{{\"{name}\":");
                    if TRANSPARENT.contains(&name.as_str()) || inner.starts_with(&same) {
                        out.push_str(&inner);
                    } else {
                        out.push('{');
                        json_string(out, &name);
                        out.push(':');
                        out.push_str(&inner);
                        out.push('}');
                    }
                } else {
                    match name.as_str() {
                        "None" => out.push_str("null"),
                        "true" | "false" => out.push_str(&name),
                        _ => json_string(out, &name),
                    }
                }
            }
        }
        Some(())
    }

    /// Comma-separated values up to `close`; returns how many.
    fn items(&mut self, out: &mut String, close: u8, depth: usize) -> Option<usize> {
        let mut n = 0;
        loop {
            if self.eat(close) {
                return Some(n);
            }
            if n > 0 {
                if !self.eat(b',') {
                    return None;
                }
                if self.eat(close) {
                    return Some(n);
                }
                out.push(',');
            }
            self.value(out, depth + 1)?;
            n += 1;
        }
    }

    /// A Rust string literal as `Debug` and `escape_ascii` write it.
    fn string(&mut self) -> Option<String> {
        self.i += 1;
        let mut bytes = Vec::new();
        loop {
            let b = *self.s.get(self.i)?;
            self.i += 1;
            match b {
                b'"' => return Some(String::from_utf8_lossy(&bytes).into_owned()),
                b'\\' => {
                    let e = *self.s.get(self.i)?;
                    self.i += 1;
                    match e {
                        b'n' => bytes.push(b'\n'),
                        b'r' => bytes.push(b'\r'),
                        b't' => bytes.push(b'\t'),
                        b'0' => bytes.push(0),
                        b'x' => {
                            let hex = std::str::from_utf8(self.s.get(self.i..self.i + 2)?).ok()?;
                            bytes.push(u8::from_str_radix(hex, 16).ok()?);
                            self.i += 2;
                        }
                        b'u' => {
                            let end = self.s[self.i..].iter().position(|b| *b == b'}')? + self.i;
                            let hex = std::str::from_utf8(self.s.get(self.i + 1..end)?).ok()?;
                            let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                            let mut buf = [0u8; 4];
                            bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                            self.i = end + 1;
                        }
                        other => bytes.push(other),
                    }
                }
                other => bytes.push(other),
            }
        }
    }
}
