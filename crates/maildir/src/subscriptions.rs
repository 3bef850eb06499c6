//! The `subscriptions` file at the Maildir's root, in Dovecot's version 2
//! format (`subscription-file.c`): a `V\t2` line and an empty line, then
//! one mailbox per line with its hierarchy levels separated by tabs and
//! `\001`, tab, CR and LF escaped as `\0011`, `\001t`, `\001r`, `\001n`.
//! Version 1 files (one name per line, levels separated by `.`) are read
//! too.
//!
//! ```
//! use mailwire_maildir::subscriptions::{encode, parse};
//! let names = vec![vec!["Lists".to_string(), "rust".to_string()], vec!["Sent".to_string()]];
//! let text = encode(&names);
//! assert_eq!(text, "V\t2\n\nLists\trust\nSent\n");
//! assert_eq!(parse(text.as_bytes()), names);
//! ```

const HEADER: &str = "V\t2\n\n";

/// Parses the file into mailbox names, each a list of levels (as stored:
/// modified UTF-7 for Maildir++).
pub fn parse(data: &[u8]) -> Vec<Vec<String>> {
    let text = String::from_utf8_lossy(data);
    let (v2, body) = match text.strip_prefix(HEADER) {
        Some(body) => (true, body),
        None => (false, text.as_ref()),
    };
    let mut out: Vec<Vec<String>> = Vec::new();
    for line in body.split('\n').filter(|l| !l.is_empty()) {
        let levels: Vec<String> = if v2 {
            line.split('\t').map(unescape).collect()
        } else {
            line.trim_end_matches('.')
                .split('.')
                .map(str::to_owned)
                .collect()
        };
        if !out.contains(&levels) {
            out.push(levels);
        }
    }
    out
}

/// Writes the file in the version 2 format.
pub fn encode(names: &[Vec<String>]) -> String {
    let mut out = String::from(HEADER);
    for levels in names {
        let escaped: Vec<String> = levels.iter().map(|l| escape(l)).collect();
        out.push_str(&escaped.join("\t"));
        out.push('\n');
    }
    out
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{1}' => out.push_str("\u{1}1"),
            '\t' => out.push_str("\u{1}t"),
            '\r' => out.push_str("\u{1}r"),
            '\n' => out.push_str("\u{1}n"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\u{1}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('1') => out.push('\u{1}'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dovecot_files() {
        // Version 2 as Dovecot 2.3 writes it, then a version 1 file.
        assert_eq!(
            parse(b"V\t2\n\nINBOX\nLists\trust\nEntw&APw-rfe\n"),
            vec![
                vec!["INBOX".to_string()],
                vec!["Lists".into(), "rust".into()],
                vec!["Entw&APw-rfe".into()]
            ]
        );
        assert_eq!(
            parse(b"Sent\nLists.rust\n"),
            vec![
                vec!["Sent".to_string()],
                vec!["Lists".into(), "rust".into()]
            ]
        );
        assert_eq!(parse(b"V\t2\n\na\x01tb\n"), vec![vec!["a\tb".to_string()]]);
        assert_eq!(
            encode(&[vec!["a\tb\x01".to_string()]]),
            "V\t2\n\na\x01tb\x011\n"
        );
    }
}
