//! `dovecot-uidlist`, version 3: the UIDVALIDITY, UIDNEXT and the UID of
//! every file (Dovecot's `maildir-uidlist.c` describes the format).
//!
//! ```text
//! header: 3 V<uidvalidity> N<nextuid> G<mailbox guid> [<key><value> ...]
//! record: <uid> [<key><value> ...] :<base file name>
//! ```
//!
//! Record keys are upper-case letters (`S` size, `W` CRLF size, `P` POP3
//! UIDL, `O` POP3 order, `G` message GUID); fields this store does not
//! use are kept verbatim.
//!
//! ```
//! use mailwire_maildir::uidlist::Uidlist;
//! let text = "3 V1733300000 N3 G0123456789abcdef0123456789abcdef\n1 :a,S=5\n2 W12 :b\n";
//! let list = Uidlist::parse(text.as_bytes(), 1000).unwrap();
//! assert_eq!(list.uidvalidity, 1733300000);
//! assert_eq!(list.next_uid, 3);
//! assert_eq!(list.records[1].ext, "W12");
//! assert_eq!(list.encode(), text);
//! ```

use crate::error::{Error, Result};

const FILE: &str = "dovecot-uidlist";

/// One line of the uidlist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UidRecord {
    /// The message's UID.
    pub uid: u32,
    /// Extension fields (`W1234 P...`), space-separated, verbatim.
    pub ext: String,
    /// The base file name (up to the `:`).
    pub base: String,
}

/// A parsed `dovecot-uidlist`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uidlist {
    /// The mailbox's UIDVALIDITY (`V`).
    pub uidvalidity: u32,
    /// The next UID to assign (`N`); never lower than the last record's
    /// UID plus one after parsing.
    pub next_uid: u32,
    /// The mailbox GUID (`G`), 32 hexadecimal digits.
    pub guid: String,
    /// Other header fields, verbatim.
    pub header_ext: String,
    /// Records in UID order.
    pub records: Vec<UidRecord>,
}

fn malformed(line: usize, expected: &'static str) -> Error {
    Error::Malformed {
        file: FILE,
        line,
        expected,
    }
}

impl Uidlist {
    /// Parses a version 3 uidlist of at most `max_records` records.
    pub fn parse(data: &[u8], max_records: usize) -> Result<Uidlist> {
        // An unterminated last line is a write cut short: ignored, as
        // Dovecot's line reader ignores it.
        let end = data
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(data.len(), |i| i + 1);
        let data = data.get(..end).unwrap_or(data);
        let text = std::str::from_utf8(data).map_err(|_| malformed(1, "UTF-8 text"))?;
        let mut lines = text.split('\n');
        let header = lines.next().unwrap_or("");
        let fields = header
            .strip_prefix("3 ")
            .ok_or_else(|| malformed(1, "\"3 \" version 3 header"))?;
        let mut list = Uidlist {
            uidvalidity: 0,
            next_uid: 0,
            guid: String::new(),
            header_ext: String::new(),
            records: Vec::new(),
        };
        for field in fields.split(' ').filter(|f| !f.is_empty()) {
            let mut chars = field.chars();
            let key = chars.next().unwrap_or(' ');
            let value = chars.as_str();
            match key {
                'V' => {
                    list.uidvalidity = value.parse().map_err(|_| malformed(1, "V<uidvalidity>"))?
                }
                'N' => list.next_uid = value.parse().map_err(|_| malformed(1, "N<nextuid>"))?,
                'G' => list.guid = value.to_owned(),
                'A'..='Z' => {
                    if !list.header_ext.is_empty() {
                        list.header_ext.push(' ');
                    }
                    list.header_ext.push_str(field);
                }
                _ => return Err(malformed(1, "header field <key><value>")),
            }
        }
        if list.uidvalidity == 0 || list.next_uid == 0 {
            return Err(malformed(1, "non-zero V and N"));
        }
        let mut prev = 0u32;
        for (n, line) in lines.enumerate() {
            let lineno = n + 2;
            if line.is_empty() {
                continue;
            }
            if list.records.len() >= max_records {
                return Err(Error::LimitExceeded {
                    what: "max_messages",
                    limit: max_records as u64,
                });
            }
            let (uid, rest) = line
                .split_once(' ')
                .ok_or_else(|| malformed(lineno, "<uid> SP"))?;
            let uid: u32 = uid.parse().map_err(|_| malformed(lineno, "<uid>"))?;
            if uid == 0 || uid <= prev || uid == u32::MAX {
                return Err(malformed(lineno, "UIDs in increasing order"));
            }
            prev = uid;
            let (ext, base) = match rest.split_once(':') {
                Some((ext, base)) => (ext.trim(), base),
                None => return Err(malformed(lineno, ":<filename>")),
            };
            if base.is_empty() || base.contains('/') {
                return Err(malformed(lineno, "a file name"));
            }
            if ext
                .split(' ')
                .filter(|f| !f.is_empty())
                .any(|f| !f.starts_with(|c: char| c.is_ascii_uppercase()))
            {
                return Err(malformed(lineno, "record field <key><value>"));
            }
            list.records.push(UidRecord {
                uid,
                ext: ext.to_owned(),
                base: base.to_owned(),
            });
        }
        if prev >= list.next_uid {
            list.next_uid = prev.saturating_add(1);
        }
        Ok(list)
    }

    /// The lines of `records`, as appended to an existing uidlist (Dovecot
    /// appends new records without rewriting the header; readers take
    /// UIDNEXT above the last record).
    pub fn encode_records(records: &[UidRecord]) -> String {
        let mut out = String::with_capacity(records.len() * 64);
        for r in records {
            out.push_str(&r.uid.to_string());
            if !r.ext.is_empty() {
                out.push(' ');
                out.push_str(&r.ext);
            }
            out.push_str(" :");
            out.push_str(&r.base);
            out.push('\n');
        }
        out
    }

    /// Writes the uidlist in the form Dovecot writes it.
    pub fn encode(&self) -> String {
        let mut out = String::with_capacity(64 + self.records.len() * 64);
        out.push_str(&format!(
            "3 V{} N{} G{}",
            self.uidvalidity, self.next_uid, self.guid
        ));
        if !self.header_ext.is_empty() {
            out.push(' ');
            out.push_str(&self.header_ext);
        }
        out.push('\n');
        out.push_str(&Uidlist::encode_records(&self.records));
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    // A file as Dovecot 2.3 writes it (LDA delivery, then a POP3 UIDL).
    const DOVECOT: &str = "3 V1701950372 N4 G2c1f1f0d6b3c71656a0b00002b3d2a80\n\
        1 :1701950372.M120442P2851.deb12,S=443,W=455\n\
        2 :1701950380.M1133P2855.deb12,S=1024,W=1050\n\
        3 W901 P1a2b :1701950390.M9P2860.deb12\n";

    #[test]
    fn dovecot_file_round_trips() {
        let list = Uidlist::parse(DOVECOT.as_bytes(), 100).unwrap();
        assert_eq!(list.uidvalidity, 1_701_950_372);
        assert_eq!(list.next_uid, 4);
        assert_eq!(list.guid, "2c1f1f0d6b3c71656a0b00002b3d2a80");
        assert_eq!(list.records.len(), 3);
        assert_eq!(list.records[2].ext, "W901 P1a2b");
        assert_eq!(list.records[2].base, "1701950390.M9P2860.deb12");
        assert_eq!(list.encode(), DOVECOT);
    }

    #[test]
    fn written_by_dovecot_2_3_19() {
        // A folder Dovecot created, and a record Dovecot appended after an
        // IMAP APPEND (interop/maildir.sh).
        let list =
            Uidlist::parse(b"3 V1796396227 N1 Ga5a4bc1dbdd4126bc13b000083ecc375\n", 10).unwrap();
        assert_eq!(
            (list.uidvalidity, list.next_uid, list.records.len()),
            (1_796_396_227, 1, 0)
        );
        let text = "3 V1796396217 N57 Gf7561c0bc699601d099c11bf869206fc\n\
            2 :1796396217.M9429P14691Q10.vm,S=155,W=164\n\
            56 :1796396221.M380605P15297.vm,S=81,W=85\n";
        let list = Uidlist::parse(text.as_bytes(), 10).unwrap();
        assert_eq!(list.records[1].uid, 56);
        assert_eq!(
            list.records[1].base,
            "1796396221.M380605P15297.vm,S=81,W=85"
        );
        assert_eq!(list.encode(), text);
    }

    #[test]
    fn cut_short_append_ignored() {
        let list = Uidlist::parse(b"3 V1 N2 Gx\n1 :a\n2 :b,S=1", 10).unwrap();
        assert_eq!(list.records.len(), 1);
        assert_eq!(list.next_uid, 2);
    }

    #[test]
    fn next_uid_covers_records() {
        let list = Uidlist::parse(b"3 V1 N2 Gx\n7 :a\n", 10).unwrap();
        assert_eq!(list.next_uid, 8);
    }

    #[test]
    fn malformed() {
        let err = |s: &str| match Uidlist::parse(s.as_bytes(), 2) {
            Err(Error::Malformed { line, expected, .. }) => (line, expected),
            other => panic!("{other:?}"),
        };
        assert_eq!(err("1 1 2\n"), (1, "\"3 \" version 3 header"));
        assert_eq!(err("3 V0 N1\n"), (1, "non-zero V and N"));
        assert_eq!(err("3 V1 N1 x\n"), (1, "header field <key><value>"));
        assert_eq!(
            err("3 V1 N1\n2 :a\n1 :b\n"),
            (3, "UIDs in increasing order")
        );
        assert_eq!(err("3 V1 N1\n1 a\n"), (2, ":<filename>"));
        assert_eq!(err("3 V1 N1\n1 :a/b\n"), (2, "a file name"));
        assert_eq!(err("3 V1 N1\n1 w1 :a\n"), (2, "record field <key><value>"));
        assert!(matches!(
            Uidlist::parse(b"3 V1 N1\n1 :a\n2 :b\n3 :c\n", 2),
            Err(Error::LimitExceeded {
                what: "max_messages",
                limit: 2
            })
        ));
    }
}
