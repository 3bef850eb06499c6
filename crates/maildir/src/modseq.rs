//! The `mailwire-modseq` sidecar: the mailbox's HIGHESTMODSEQ and each
//! message's MODSEQ ([RFC 7162 §3.1]) with the flag letters it had when
//! the modseq was given, so that flags changed by another program are
//! found (and given a new modseq) on the next scan.
//!
//! ```text
//! header: 1 V<uidvalidity> H<highestmodseq>
//! record: <uid> <modseq> <flag letters>
//! ```
//!
//! Changes are appended (a later record replaces an earlier one for the
//! same UID, `-<uid> <modseq>` records an expunge) and the file is
//! rewritten when the appended lines outnumber the messages; a line cut
//! short by a crash (no final LF) is ignored.
//!
//! ```
//! use mailwire_maildir::modseq::Sidecar;
//! let s = Sidecar::parse(b"1 V7 H12\n1 3 S\n4 12 FSa\n").unwrap();
//! assert_eq!(s.highest, 12);
//! assert_eq!(s.records[1], (4, 12, "FSa".to_string()));
//! assert_eq!(s.encode(), "1 V7 H12\n1 3 S\n4 12 FSa\n");
//! ```
//!
//! [RFC 7162 §3.1]: https://www.rfc-editor.org/rfc/rfc7162#section-3.1

use crate::error::{Error, Result};

/// The sidecar's file name in each mailbox directory.
pub const FILE_NAME: &str = "mailwire-modseq";

/// The parsed sidecar.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sidecar {
    /// The UIDVALIDITY these modseqs belong to.
    pub uidvalidity: u32,
    /// HIGHESTMODSEQ.
    pub highest: u64,
    /// `(uid, modseq, flag letters)` in UID order.
    pub records: Vec<(u32, u64, String)>,
    /// How many record lines the file had (appended ones included).
    pub lines: usize,
}

fn malformed(line: usize, expected: &'static str) -> Error {
    Error::Malformed {
        file: FILE_NAME,
        line,
        expected,
    }
}

impl Sidecar {
    /// Parses the sidecar.
    pub fn parse(data: &[u8]) -> Result<Sidecar> {
        let end = data
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(data.len(), |i| i + 1);
        let data = data.get(..end).unwrap_or(data);
        let text = std::str::from_utf8(data).map_err(|_| malformed(1, "UTF-8 text"))?;
        let mut lines = text.split('\n');
        let header = lines.next().unwrap_or("");
        let mut fields = header.split(' ');
        if fields.next() != Some("1") {
            return Err(malformed(1, "\"1\" version"));
        }
        let mut out = Sidecar::default();
        for f in fields {
            if let Some(v) = f.strip_prefix('V') {
                out.uidvalidity = v.parse().map_err(|_| malformed(1, "V<uidvalidity>"))?;
            } else if let Some(h) = f.strip_prefix('H') {
                out.highest = h.parse().map_err(|_| malformed(1, "H<highestmodseq>"))?;
            }
        }
        let mut records: std::collections::BTreeMap<u32, (u64, String)> =
            std::collections::BTreeMap::new();
        for (n, line) in lines.enumerate() {
            if line.is_empty() {
                continue;
            }
            out.lines += 1;
            if let Some(expunge) = line.strip_prefix('-') {
                let (uid, modseq) = expunge
                    .split_once(' ')
                    .ok_or_else(|| malformed(n + 2, "-<uid> <modseq>"))?;
                let uid: u32 = uid
                    .parse()
                    .map_err(|_| malformed(n + 2, "-<uid> <modseq>"))?;
                let modseq: u64 = modseq
                    .parse()
                    .map_err(|_| malformed(n + 2, "-<uid> <modseq>"))?;
                records.remove(&uid);
                out.highest = out.highest.max(modseq);
                continue;
            }
            let mut parts = line.splitn(3, ' ');
            let uid = parts
                .next()
                .and_then(|u| u.parse().ok())
                .ok_or_else(|| malformed(n + 2, "<uid>"))?;
            let modseq = parts
                .next()
                .and_then(|m| m.parse().ok())
                .ok_or_else(|| malformed(n + 2, "<modseq>"))?;
            let letters = parts.next().unwrap_or("").to_owned();
            out.highest = out.highest.max(modseq);
            records.insert(uid, (modseq, letters));
        }
        out.records = records.into_iter().map(|(u, (m, l))| (u, m, l)).collect();
        Ok(out)
    }

    /// The file's text.
    pub fn encode(&self) -> String {
        let mut out = format!("1 V{} H{}\n", self.uidvalidity, self.highest);
        out.reserve(self.records.len() * 24);
        for (uid, modseq, letters) in &self.records {
            out.push_str(&format!("{uid} {modseq} {letters}\n"));
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn appended_lines() {
        let s = Sidecar::parse(b"1 V7 H3\n1 2 S\n2 3 \n1 4 FS\n-2 5\n3 6 a\n4 7 S").unwrap();
        assert_eq!(s.highest, 6); // the cut-short line does not count
        assert_eq!(
            s.records,
            vec![(1, 4, "FS".to_string()), (3, 6, "a".to_string())]
        );
    }

    #[test]
    fn malformed_lines() {
        assert!(matches!(
            Sidecar::parse(b"2 V1 H1\n"),
            Err(Error::Malformed { line: 1, .. })
        ));
        assert!(matches!(
            Sidecar::parse(b"1 V1 H1\nx 1 S\n"),
            Err(Error::Malformed {
                line: 2,
                expected: "<uid>",
                ..
            })
        ));
        assert!(matches!(
            Sidecar::parse(b"1 V1 H1\n1 y S\n"),
            Err(Error::Malformed {
                line: 2,
                expected: "<modseq>",
                ..
            })
        ));
    }
}
