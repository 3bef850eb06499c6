//! Correspondents of a set of messages: every mailbox of `From`, `Sender`,
//! `Reply-To`, `To` and `Cc` ([RFC 5322 §3.6.2, §3.6.3]), deduplicated by
//! address (the domain compared without case), with its most used display
//! name and the number of messages it appears in; written as CSV ([RFC
//! 4180]) or vCard 4.0 ([RFC 6350]).
//!
//! [RFC 5322 §3.6.2, §3.6.3]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.2
//! [RFC 4180]: https://www.rfc-editor.org/rfc/rfc4180
//! [RFC 6350]: https://www.rfc-editor.org/rfc/rfc6350
//!
//! ```
//! use mailwire_message::contacts::Correspondents;
//!
//! let mut all = Correspondents::new();
//! all.add_message(b"From: Ann <ann@Example.ORG>\r\nTo: bob@example.net, \"Ann E.\" <ann@example.org>\r\n\r\n");
//! all.add_message(b"From: Ann <ann@example.org>\r\nCc: Bob B <bob@example.net>\r\n\r\n");
//! let mut csv = Vec::new();
//! all.write_csv(&mut csv).unwrap();
//! assert_eq!(String::from_utf8(csv).unwrap(),
//!     "address,name,count\r\nann@example.org,Ann,2\r\nbob@example.net,Bob B,2\r\n");
//! ```

use std::collections::HashMap;
use std::io::{self, Write};

use crate::address::{DomainPart, Mailbox};
use crate::header::Header;
use crate::limits::Limits;

/// The fields read ([RFC 5322 §3.6.2, §3.6.3]).
///
/// [RFC 5322 §3.6.2, §3.6.3]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.2
pub const FIELDS: [&str; 5] = ["from", "sender", "reply-to", "to", "cc"];

/// One correspondent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correspondent {
    /// The address, its domain lower-cased.
    pub address: String,
    /// The display name used most often (the first one seen on a tie).
    pub name: Option<String>,
    /// The number of messages naming this address.
    pub count: u64,
}

#[derive(Debug, Default)]
struct Entry {
    address: String,
    /// Each name with its count and the order it was first seen in.
    names: HashMap<String, (u64, usize)>,
    count: u64,
    last_message: u64,
}

/// Collects correspondents over messages.
#[derive(Debug, Default)]
pub struct Correspondents {
    entries: HashMap<String, Entry>,
    messages: u64,
    names_seen: usize,
}

/// `local@domain` with the domain lower-cased; `None` for an invalid
/// address.
fn key(mailbox: &Mailbox<'_>) -> Option<String> {
    let spec = mailbox.addr_spec()?;
    let domain = match spec.domain() {
        DomainPart::Domain(d) => d.as_str().to_lowercase(),
        other => other.as_str().to_ascii_lowercase(),
    };
    Some(format!("{}@{domain}", spec.local_part().as_str()))
}

impl Correspondents {
    /// No correspondents yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the correspondents of one message's header section.
    pub fn add_header(&mut self, header: &Header<'_>) {
        self.messages = self.messages.saturating_add(1);
        for name in FIELDS {
            for field in header.get_all(name) {
                let (list, _) = crate::address::AddressList::parse(
                    field.raw_value(),
                    crate::address::Mode::Lenient,
                );
                for mailbox in list.mailboxes() {
                    self.add_mailbox(mailbox);
                }
            }
        }
    }

    /// Adds the correspondents of a message (only its header is read).
    pub fn add_message(&mut self, message: &[u8]) {
        let section = crate::parse_header(message, Limits::default());
        self.add_header(&section.header);
    }

    fn add_mailbox(&mut self, mailbox: &Mailbox<'_>) {
        let Some(address) = key(mailbox) else { return };
        self.names_seen = self.names_seen.saturating_add(1);
        let seen = self.names_seen;
        let entry = self
            .entries
            .entry(address.clone())
            .or_insert_with(|| Entry {
                address,
                ..Entry::default()
            });
        if entry.last_message != self.messages {
            entry.last_message = self.messages;
            entry.count = entry.count.saturating_add(1);
        }
        if let Some(name) = mailbox.name().map(str::trim).filter(|n| !n.is_empty()) {
            let slot = entry.names.entry(name.to_owned()).or_insert((0, seen));
            slot.0 = slot.0.saturating_add(1);
        }
    }

    /// The correspondents, most frequent first, then by address.
    pub fn list(&self) -> Vec<Correspondent> {
        let mut list: Vec<Correspondent> = self
            .entries
            .values()
            .map(|e| Correspondent {
                address: e.address.clone(),
                name: e
                    .names
                    .iter()
                    .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
                    .map(|(n, _)| n.clone()),
                count: e.count,
            })
            .collect();
        list.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.address.cmp(&b.address))
        });
        list
    }

    /// Writes CSV ([RFC 4180]): the header `address,name,count`, then one
    /// row per address, CRLF line endings.
    ///
    /// [RFC 4180]: https://www.rfc-editor.org/rfc/rfc4180
    pub fn write_csv(&self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(b"address,name,count\r\n")?;
        for c in self.list() {
            let name = c.name.as_deref().unwrap_or("");
            writeln!(
                out,
                "{},{},{}\r",
                csv_field(&c.address),
                csv_field(name),
                c.count
            )?;
        }
        Ok(())
    }

    /// Writes one vCard 4.0 per address ([RFC 6350 §6.1.4 FN, §6.4.2
    /// EMAIL]); `FN` is the display name, or the address without one.
    ///
    /// [RFC 6350 §6.1.4 FN, §6.4.2 EMAIL]: https://www.rfc-editor.org/rfc/rfc6350#section-6.1.4
    ///
    /// ```
    /// use mailwire_message::contacts::Correspondents;
    /// let mut all = Correspondents::new();
    /// all.add_message(b"From: \"Doe, Jane\" <jane@example.org>\r\n\r\n");
    /// let mut out = Vec::new();
    /// all.write_vcard(&mut out).unwrap();
    /// assert_eq!(String::from_utf8(out).unwrap(),
    ///     "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Doe\\, Jane\r\nEMAIL:jane@example.org\r\nEND:VCARD\r\n");
    /// ```
    pub fn write_vcard(&self, out: &mut impl Write) -> io::Result<()> {
        for c in self.list() {
            out.write_all(b"BEGIN:VCARD\r\nVERSION:4.0\r\n")?;
            let name = c.name.as_deref().unwrap_or(&c.address);
            vcard_line(out, &format!("FN:{}", vcard_text(name)))?;
            vcard_line(out, &format!("EMAIL:{}", vcard_text(&c.address)))?;
            out.write_all(b"END:VCARD\r\n")?;
        }
        Ok(())
    }
}

/// A CSV field, quoted when it holds a comma, quote or line break.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// Escapes a vCard text value ([RFC 6350 §3.4]).
///
/// [RFC 6350 §3.4]: https://www.rfc-editor.org/rfc/rfc6350#section-3.4
fn vcard_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes a content line folded at 75 octets, never inside a character
/// ([RFC 6350 §3.2]).
///
/// [RFC 6350 §3.2]: https://www.rfc-editor.org/rfc/rfc6350#section-3.2
fn vcard_line(out: &mut impl Write, line: &str) -> io::Result<()> {
    let mut width = 0usize;
    let mut buf = [0u8; 4];
    for c in line.chars() {
        let len = c.len_utf8();
        if width.saturating_add(len) > 75 {
            out.write_all(b"\r\n ")?;
            width = 1;
        }
        out.write_all(c.encode_utf8(&mut buf).as_bytes())?;
        width = width.saturating_add(len);
    }
    out.write_all(b"\r\n")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn names_counts_and_fields() {
        let mut all = Correspondents::new();
        all.add_message(b"From: A <a@x.org>\r\nSender: s@x.org\r\nReply-To: r@X.org\r\nTo: g: b@x.org, c@x.org;\r\n\r\n");
        all.add_message(b"From: Other <a@x.org>\r\nTo: Other <a@x.org>\r\n\r\n");
        all.add_message(b"From: Other <a@x.org>\r\nTo: invalid\r\n\r\n");
        let list = all.list();
        assert_eq!(
            list[0],
            Correspondent {
                address: "a@x.org".into(),
                name: Some("Other".into()),
                count: 3
            }
        );
        let addresses: Vec<_> = list.iter().map(|c| c.address.as_str()).collect();
        assert_eq!(
            addresses,
            ["a@x.org", "b@x.org", "c@x.org", "r@x.org", "s@x.org"]
        );
    }

    #[test]
    fn csv_quoting_and_vcard_folding() {
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
        let mut out = Vec::new();
        vcard_line(&mut out, &format!("FN:{}", "é".repeat(60))).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(
            text.replace("\r\n ", ""),
            format!("FN:{}\r\n", "é".repeat(60))
        );
    }
}
