//! Prints the MIME tree of messages as JSON lines, to compare parsers.
//!
//! ```text
//! cargo run --release --example mime-tree -- FILE...
//! cargo run --release --example mime-tree -- --reemit FILE
//! ```
//!
//! Each file gives one line: `{"file", "subject", "from", "to", "cc",
//! "date", "message_id", "parts", "defects"}`. `parts` lists the leaf parts
//! depth first (multipart and message/rfc822 containers are descended
//! into, not listed); a multipart whose first delimiter never came is
//! listed as a leaf holding its preamble, as Python's `email` does. Each
//! part gives its content type, charset, file name (the
//! `Content-Disposition` `filename`, else the `Content-Type` `name`),
//! disposition, and the size and SHA-256 of its transfer-decoded body.
//! `--reemit` writes the parsed message back out, which must equal the
//! input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::fmt::Write as _;
use std::io::Write as _;

use mailwire_message::address::AddressList;
use mailwire_message::defect::Defect;
use mailwire_message::header::Header;
use mailwire_message::mime::ContentDisposition;
use mailwire_message::{Body, Part, datetime, encoded_word, msgid, parse};
use sha2::{Digest, Sha256};

fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn json_opt(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => json_string(out, s),
        None => out.push_str("null"),
    }
}

fn addresses(out: &mut String, header: &Header<'_>, name: &str) {
    out.push('[');
    if let Some(list) = header.addresses(name) {
        write_mailboxes(out, &list);
    }
    out.push(']');
}

fn write_mailboxes(out: &mut String, list: &AddressList<'_>) {
    for (i, mailbox) in list.mailboxes().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"name\":");
        json_opt(out, mailbox.name());
        out.push_str(",\"addr\":");
        json_string(out, mailbox.raw_address());
        out.push('}');
    }
}

/// Leaf parts depth first; a multipart without any part is a leaf.
fn leaves<'p, 'a>(part: &'p Part<'a>, out: &mut Vec<&'p Part<'a>>) {
    match part.body() {
        Body::Multipart(m) if !m.parts().is_empty() => {
            for p in m.parts() {
                leaves(p, out);
            }
        }
        Body::Message(inner) => leaves(inner, out),
        _ => out.push(part),
    }
}

fn describe(file: &str, input: &[u8]) -> String {
    let message = parse(input);
    let header = message.header();
    let mut defects: Vec<String> = message.defects().iter().map(ToString::to_string).collect();
    let mut out = String::new();
    out.push_str("{\"file\":");
    json_string(&mut out, file);
    out.push_str(",\"subject\":");
    let subject = header.get("subject").map(|f| {
        let (text, kinds) = encoded_word::decode(f.raw_value());
        defects.extend(
            kinds
                .into_iter()
                .map(|k| Defect::new(k, f.offset()).to_string()),
        );
        text.trim_matches([' ', '\t']).to_owned()
    });
    json_opt(&mut out, subject.as_deref());
    for name in ["from", "to", "cc"] {
        let _ = write!(out, ",\"{name}\":");
        addresses(&mut out, header, name);
    }
    out.push_str(",\"date\":");
    let date = header
        .get("date")
        .and_then(|f| datetime::parse_detailed(f.raw_value()).ok())
        .map(|d| d.to_rfc3339());
    json_opt(&mut out, date.as_deref());
    out.push_str(",\"message_id\":");
    let message_id = header.get("message-id").map(|f| {
        msgid::parse_list(f.raw_value()).first().map_or_else(
            || String::from_utf8_lossy(&f.unfolded()).trim().to_owned(),
            ToString::to_string,
        )
    });
    json_opt(&mut out, message_id.as_deref());
    out.push_str(",\"parts\":[");
    let mut parts = Vec::new();
    leaves(message.root(), &mut parts);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let content_type = part.content_type();
        let disposition = part
            .header()
            .get("content-disposition")
            .map(|f| ContentDisposition::parse(f.raw_value()).0);
        let filename = disposition
            .as_ref()
            .and_then(|d| d.filename())
            .or_else(|| content_type.parameters().get("name").map(|p| p.text()))
            .map(|f| f.trim().to_owned());
        let (bytes, decode_defects) = match part.body() {
            Body::Multipart(m) => (std::borrow::Cow::Borrowed(m.preamble()), Vec::new()),
            _ => part.decoded_body(),
        };
        defects.extend(decode_defects.iter().map(ToString::to_string));
        if content_type.media_type() == "text" {
            let (_, text_defects) = part.text();
            defects.extend(
                text_defects
                    .iter()
                    .filter(|d| !decode_defects.contains(d))
                    .map(ToString::to_string),
            );
        }
        out.push_str("{\"content_type\":");
        json_string(&mut out, &content_type.essence());
        out.push_str(",\"charset\":");
        json_opt(&mut out, content_type.charset().as_deref());
        out.push_str(",\"filename\":");
        json_opt(&mut out, filename.as_deref());
        out.push_str(",\"disposition\":");
        json_opt(
            &mut out,
            disposition.as_ref().map(|d| d.disposition_type().as_str()),
        );
        let digest = Sha256::digest(&bytes);
        let _ = write!(out, ",\"size\":{},\"sha256\":\"", bytes.len());
        for b in digest {
            let _ = write!(out, "{b:02x}");
        }
        out.push_str("\"}");
    }
    out.push_str("],\"defects\":[");
    for (i, d) in defects.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_string(&mut out, d);
    }
    out.push_str("]}");
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    if args.first().map(String::as_str) == Some("--reemit") {
        let Some(file) = args.get(1) else {
            eprintln!("usage: mime-tree --reemit FILE");
            std::process::exit(2);
        };
        let input = std::fs::read(file).expect("read input");
        stdout.write_all(&parse(&input).to_bytes()).expect("write");
        return;
    }
    if args.is_empty() {
        eprintln!("usage: mime-tree FILE... | mime-tree --reemit FILE");
        std::process::exit(2);
    }
    for file in &args {
        match std::fs::read(file) {
            Ok(input) => writeln!(stdout, "{}", describe(file, &input)).expect("write"),
            Err(e) => {
                eprintln!("{file}: {e}");
                std::process::exit(1);
            }
        }
    }
}
