//! Maildir file names: `<unique>[,S=<size>][,W=<vsize>][:2,<flags>]`, as
//! described by the Maildir specification (cr.yp.to/proto/maildir.html)
//! and extended by Dovecot (`,S=` physical size, `,W=` CRLF size, flag
//! letters sorted by ASCII code, keywords as the letters `a`-`z`).
//!
//! ```
//! use mailwire_maildir::name::{FileName, Flags};
//! let name = FileName::parse("1733300000.M12P34.mx,S=120,W=123:2,FSa").unwrap();
//! assert_eq!(name.base, "1733300000.M12P34.mx,S=120,W=123");
//! assert_eq!(name.size(), Some(120));
//! assert_eq!(name.vsize(), Some(123));
//! assert!(name.info.flags.contains(Flags::SEEN | Flags::FLAGGED));
//! assert_eq!(name.info.keywords, 1);
//! assert_eq!(name.to_string(), "1733300000.M12P34.mx,S=120,W=123:2,FSa");
//! ```

use std::fmt;

/// The system flags kept in a file name's info part.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags(u8);

impl Flags {
    /// No flag.
    pub const EMPTY: Flags = Flags(0);
    /// `D`: `\Draft`.
    pub const DRAFT: Flags = Flags(1);
    /// `F`: `\Flagged`.
    pub const FLAGGED: Flags = Flags(2);
    /// `P`: passed (resent or forwarded); no IMAP system flag.
    pub const PASSED: Flags = Flags(4);
    /// `R`: replied, IMAP `\Answered`.
    pub const ANSWERED: Flags = Flags(8);
    /// `S`: `\Seen`.
    pub const SEEN: Flags = Flags(16);
    /// `T`: trashed, IMAP `\Deleted`.
    pub const DELETED: Flags = Flags(32);

    /// The letters in ASCII order with their flags.
    pub const LETTERS: [(char, Flags); 6] = [
        ('D', Flags::DRAFT),
        ('F', Flags::FLAGGED),
        ('P', Flags::PASSED),
        ('R', Flags::ANSWERED),
        ('S', Flags::SEEN),
        ('T', Flags::DELETED),
    ];

    /// The flag of one letter, if it is one of `DFPRST`.
    pub fn from_letter(c: char) -> Option<Flags> {
        Flags::LETTERS
            .iter()
            .find(|(l, _)| *l == c)
            .map(|(_, f)| *f)
    }

    /// Whether every flag of `other` is set.
    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether no flag is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The raw bits.
    pub fn bits(self) -> u8 {
        self.0
    }

    /// Builds flags from raw bits (unknown bits dropped).
    pub fn from_bits(bits: u8) -> Flags {
        Flags(bits & 63)
    }
}

impl std::ops::BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

impl std::ops::BitOrAssign for Flags {
    fn bitor_assign(&mut self, rhs: Flags) {
        self.0 |= rhs.0;
    }
}

impl std::ops::BitAnd for Flags {
    type Output = Flags;
    fn bitand(self, rhs: Flags) -> Flags {
        Flags(self.0 & rhs.0)
    }
}

impl std::ops::Not for Flags {
    type Output = Flags;
    fn not(self) -> Flags {
        Flags(!self.0 & 63)
    }
}

/// The info part after `:2,`: system flags, keyword letters (bit 0 is
/// `a`) and letters this store does not know, kept as found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Info {
    /// System flags.
    pub flags: Flags,
    /// Keyword letters, bit `n` for the letter `'a' + n`.
    pub keywords: u32,
    /// Letters that are neither system flags nor keywords, sorted.
    pub unknown: String,
}

impl Info {
    /// Parses the letters after `:2,`.
    pub fn parse(letters: &str) -> Info {
        let mut info = Info::default();
        for c in letters.chars() {
            if let Some(f) = Flags::from_letter(c) {
                info.flags |= f;
            } else if c.is_ascii_lowercase() {
                info.keywords |= 1 << (u32::from(c) - u32::from('a'));
            } else if c != ',' && !info.unknown.contains(c) {
                info.unknown.push(c);
            }
        }
        let mut unknown: Vec<char> = info.unknown.chars().collect();
        unknown.sort_unstable();
        info.unknown = unknown.into_iter().collect();
        info
    }

    /// The letters in ASCII order (what follows `:2,`).
    pub fn letters(&self) -> String {
        let mut out: Vec<char> = Flags::LETTERS
            .iter()
            .filter(|(_, f)| self.flags.contains(*f))
            .map(|(c, _)| *c)
            .collect();
        out.extend(self.unknown.chars());
        for n in 0..26u8 {
            if self.keywords & (1 << n) != 0 {
                out.push(char::from(b'a' + n));
            }
        }
        out.sort_unstable();
        out.into_iter().collect()
    }
}

/// A parsed Maildir file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileName {
    /// Everything before `:` (the unique name with `,S=` and `,W=`): the
    /// part `dovecot-uidlist` records.
    pub base: String,
    /// Whether the name has an info part (`:2,...`); files in `new/`
    /// usually have none.
    pub has_info: bool,
    /// The flags of the info part.
    pub info: Info,
}

impl FileName {
    /// Parses a file name; `None` for names that cannot be messages
    /// (empty, starting with `.`, containing `/`).
    pub fn parse(name: &str) -> Option<FileName> {
        if name.is_empty() || name.starts_with('.') || name.contains('/') {
            return None;
        }
        match name.rsplit_once(':') {
            Some((base, info)) if !base.is_empty() => {
                let letters = info.strip_prefix("2,");
                Some(FileName {
                    base: base.to_owned(),
                    has_info: true,
                    info: letters.map(Info::parse).unwrap_or_default(),
                })
            }
            Some(_) => None,
            None => Some(FileName {
                base: name.to_owned(),
                has_info: false,
                info: Info::default(),
            }),
        }
    }

    /// The `,S=` field: the file's size in bytes.
    pub fn size(&self) -> Option<u64> {
        base_field(&self.base, 'S')
    }

    /// The `,W=` field: the size with CRLF line endings (RFC822.SIZE).
    pub fn vsize(&self) -> Option<u64> {
        base_field(&self.base, 'W')
    }

    /// The name with an info part, as stored in `cur/`.
    pub fn with_info(base: &str, info: &Info) -> String {
        format!("{base}:2,{}", info.letters())
    }
}

impl fmt::Display for FileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.has_info {
            write!(f, "{}:2,{}", self.base, self.info.letters())
        } else {
            f.write_str(&self.base)
        }
    }
}

/// Reads a `,<key>=<digits>` field of a base name.
pub fn base_field(base: &str, key: char) -> Option<u64> {
    let mut parts = base.split(',');
    parts.next();
    for part in parts {
        let mut chars = part.chars();
        if chars.next() == Some(key) && chars.next() == Some('=') {
            let digits = chars.as_str();
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                return digits.parse().ok();
            }
        }
    }
    None
}

/// The leading `<seconds>` and the `M<microseconds>` of a unique name,
/// for sorting new messages into delivery order as Dovecot does.
pub fn sort_key(base: &str) -> (u64, u64, &str) {
    let digits = base.bytes().take_while(u8::is_ascii_digit).count();
    let secs = base.get(..digits).and_then(|s| s.parse().ok()).unwrap_or(0);
    let rest = base.get(digits..).unwrap_or("");
    let mut usecs = 0;
    if let Some(uniq) = rest.strip_prefix('.') {
        let uniq = uniq.split(['.', ',']).next().unwrap_or("");
        if let Some(pos) = uniq.find('M') {
            let tail = uniq.get(pos + 1..).unwrap_or("");
            let n = tail.bytes().take_while(u8::is_ascii_digit).count();
            usecs = tail.get(..n).and_then(|s| s.parse().ok()).unwrap_or(0);
        }
    }
    (secs, usecs, base)
}

/// Escapes a host name for a unique name: `/` as `\057` and `:` as
/// `\072`, as the Maildir specification says.
pub fn escape_host(host: &str) -> String {
    host.replace('/', "\\057")
        .replace(':', "\\072")
        .replace(',', "\\054")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn dovecot_names() {
        // Names as Dovecot's deliver writes them.
        let n = FileName::parse("1035478339.M4P1234.mail.example.com,S=1234,W=1259:2,RS").unwrap();
        assert_eq!(n.base, "1035478339.M4P1234.mail.example.com,S=1234,W=1259");
        assert_eq!(n.size(), Some(1234));
        assert_eq!(n.vsize(), Some(1259));
        assert_eq!(n.info.flags, Flags::ANSWERED | Flags::SEEN);
        let n = FileName::parse("1035478339.M4P1234.host").unwrap();
        assert!(!n.has_info);
        assert_eq!(n.size(), None);
        assert_eq!(FileName::parse(".hidden"), None);
        assert_eq!(FileName::parse(":2,S"), None);
    }

    #[test]
    fn written_by_dovecot_2_3_19() {
        // IMAP APPEND with (\Seen $Label1 DovecotKw), keywords 0 and 3.
        let n = FileName::parse("1796396221.M380605P15297.vm,S=81,W=85:2,Sad").unwrap();
        assert_eq!((n.size(), n.vsize()), (Some(81), Some(85)));
        assert_eq!(n.info.flags, Flags::SEEN);
        assert_eq!(n.info.keywords, 0b1001);
        assert_eq!(sort_key(&n.base), (1_796_396_221, 380_605, n.base.as_str()));
    }

    #[test]
    fn flags_sorted_ascii() {
        let info = Info::parse("zTSaRFDP");
        assert_eq!(info.letters(), "DFPRSTaz");
        assert_eq!(info.keywords, 1 | (1 << 25));
        // Unknown letters (Dovecot keeps them) survive.
        let info = Info::parse("SXb");
        assert_eq!(info.unknown, "X");
        assert_eq!(info.letters(), "SXb");
        assert_eq!(FileName::with_info("b", &Info::default()), "b:2,");
    }

    #[test]
    fn fields_and_sort_key() {
        assert_eq!(base_field("1.M2P3.h,S=10,W=12", 'W'), Some(12));
        assert_eq!(base_field("1.M2P3.h,S=1x", 'S'), None);
        assert_eq!(sort_key("1700000000.M5P9.h,S=1").0, 1_700_000_000);
        assert_eq!(sort_key("1700000000.M5P9.h,S=1").1, 5);
        assert!(sort_key("10.M9P1.h") < sort_key("10.M10P1.h"));
        assert_eq!(escape_host("a/b:c"), "a\\057b\\072c");
    }
}
