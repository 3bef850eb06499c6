//! `dovecot-keywords`: the keyword behind each letter `a`-`z` of a
//! mailbox's file names, one `<index> <keyword>` line each (index 0 is
//! `a`), as Dovecot's `maildir-keywords.c` reads and writes it.
//!
//! ```
//! use mailwire_maildir::keywords::Keywords;
//! let mut kw = Keywords::parse(b"0 $Forwarded\n1 Junk\n");
//! assert_eq!(kw.letter("Junk"), Some('b'));
//! assert_eq!(kw.add("$Label1").unwrap(), 'c');
//! assert_eq!(kw.encode(), "0 $Forwarded\n1 Junk\n2 $Label1\n");
//! ```

use crate::error::{Error, Result};

/// How many keywords a Maildir can name: the letters `a` to `z`.
pub const MAX_KEYWORDS: usize = 26;

/// The keyword table of one mailbox.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keywords {
    names: [Option<String>; MAX_KEYWORDS],
}

impl Keywords {
    /// Parses the file; malformed lines are skipped as Dovecot skips them.
    pub fn parse(data: &[u8]) -> Keywords {
        let mut kw = Keywords::default();
        for line in data.split(|&b| b == b'\n') {
            let Ok(line) = std::str::from_utf8(line) else {
                continue;
            };
            let Some((idx, name)) = line.split_once(' ') else {
                continue;
            };
            let Ok(idx) = idx.parse::<usize>() else {
                continue;
            };
            if name.is_empty() || kw.letter(name).is_some() {
                continue;
            }
            if let Some(slot) = kw.names.get_mut(idx) {
                *slot = Some(name.to_owned());
            }
        }
        kw
    }

    /// The file's text.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        for (i, name) in self.names.iter().enumerate() {
            if let Some(name) = name {
                out.push_str(&format!("{i} {name}\n"));
            }
        }
        out
    }

    /// The letter of a keyword, if it has one.
    pub fn letter(&self, name: &str) -> Option<char> {
        self.names
            .iter()
            .position(|n| n.as_deref() == Some(name))
            .and_then(|i| u8::try_from(i).ok())
            .map(|i| char::from(b'a' + i))
    }

    /// The keyword of a letter's bit index (0 for `a`).
    pub fn name(&self, index: u32) -> Option<&str> {
        self.names.get(index as usize).and_then(|n| n.as_deref())
    }

    /// The letter of `name`, giving it the first free one if it has none.
    pub fn add(&mut self, name: &str) -> Result<char> {
        if let Some(c) = self.letter(name) {
            return Ok(c);
        }
        if !is_keyword_atom(name) {
            return Err(Error::InvalidKeyword(name.to_owned()));
        }
        let free = self
            .names
            .iter()
            .position(Option::is_none)
            .ok_or(Error::TooManyKeywords)?;
        if let Some(slot) = self.names.get_mut(free) {
            *slot = Some(name.to_owned());
        }
        let idx = u8::try_from(free).map_err(|_| Error::TooManyKeywords)?;
        Ok(char::from(b'a' + idx))
    }

    /// All keywords with their bit indexes.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &str)> {
        self.names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.as_deref().map(|n| (i as u32, n)))
    }
}

/// Whether `name` is an IMAP `flag-keyword` atom (RFC 9051 §9: atom
/// characters, no `\`).
pub fn is_keyword_atom(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name
            .bytes()
            .all(|b| b > b' ' && b < 0x7f && !b"(){%*\"\\]".contains(&b))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn dovecot_file() {
        // As Dovecot writes it after STORE +FLAGS ($Forwarded NonJunk).
        let kw = Keywords::parse(b"0 $Forwarded\n1 NonJunk\n");
        assert_eq!(kw.letter("$Forwarded"), Some('a'));
        assert_eq!(kw.letter("NonJunk"), Some('b'));
        assert_eq!(kw.name(1), Some("NonJunk"));
        // Entries 3 and 4 added by Dovecot 2.3.19 after ours (interop/maildir.sh).
        let kw = Keywords::parse(b"0 $Label1\n1 Work\n2 $Forwarded\n3 DovecotKw\n4 NewKeyword\n");
        assert_eq!(kw.letter("DovecotKw"), Some('d'));
        assert_eq!(kw.letter("NewKeyword"), Some('e'));
        // Gaps and junk lines.
        let kw = Keywords::parse(b"junk\n3 d\n26 toolate\nx y\n4 d\n");
        assert_eq!(kw.letter("d"), Some('d'));
        assert_eq!(kw.encode(), "3 d\n");
    }

    #[test]
    fn full_and_invalid() {
        let mut kw = Keywords::default();
        for i in 0..26 {
            kw.add(&format!("k{i}")).unwrap();
        }
        assert!(matches!(kw.add("one-more"), Err(Error::TooManyKeywords)));
        assert!(matches!(
            Keywords::default().add("a b"),
            Err(Error::InvalidKeyword(_))
        ));
        assert!(matches!(
            Keywords::default().add("\\Seen"),
            Err(Error::InvalidKeyword(_))
        ));
    }
}
