//! Sequence sets ([RFC 9051 §9], SEARCHRES `$` from [RFC 5182 §2.1]).
//!
//! A [`SequenceSet`] keeps its validated text, so parsing `1:*` or
//! `1,3:7,9` allocates nothing; [`SequenceSet::iter`] walks its ranges.
//!
//! [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9
//! [RFC 5182 §2.1]: https://www.rfc-editor.org/rfc/rfc5182#section-2.1
//!
//! ```
//! use std::num::NonZeroU32;
//! use mailwire_imap::{SeqNumber, SeqRange, SequenceSet};
//!
//! let set = SequenceSet::try_from("2,4:7,9,12:*").unwrap();
//! let ranges: Vec<SeqRange> = set.iter().collect();
//! assert_eq!(ranges.len(), 4);
//! assert_eq!(ranges[3].end, SeqNumber::Largest);
//! assert!(set.contains(5, 20) && !set.contains(8, 20) && set.contains(15, 20));
//! assert!(SequenceSet::try_from("$").unwrap().is_last_command());
//! assert!(SequenceSet::try_from("0").is_err());
//! let built = SequenceSet::from_ranges([SeqRange::single(NonZeroU32::new(3).unwrap())]).unwrap();
//! assert_eq!(built.as_str(), "3");
//! ```

use std::borrow::Cow;
use std::fmt;
use std::num::NonZeroU32;

use crate::error::ValueError;

/// One end of a range ([RFC 9051 §9]).
///
/// ```abnf
/// seq-number = nz-number / "*"
/// ```
///
/// [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SeqNumber {
    /// A message sequence number or UID.
    Value(NonZeroU32),
    /// `*`: the largest number in use.
    Largest,
}

impl SeqNumber {
    /// The number, with `*` standing for `largest`.
    pub fn resolve(self, largest: u32) -> u32 {
        match self {
            SeqNumber::Value(n) => n.get(),
            SeqNumber::Largest => largest,
        }
    }
}

impl fmt::Display for SeqNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeqNumber::Value(n) => write!(f, "{n}"),
            SeqNumber::Largest => f.write_str("*"),
        }
    }
}

/// A range `a:b` or a single number (`start == end`), in either order
/// ([RFC 9051 §9]: `2:4` and `4:2` are the same).
///
/// ```abnf
/// seq-range = seq-number ":" seq-number
/// ```
///
/// [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeqRange {
    /// The first number as written.
    pub start: SeqNumber,
    /// The second number as written (equal to `start` for a single number).
    pub end: SeqNumber,
}

impl SeqRange {
    /// A single number.
    pub const fn single(n: NonZeroU32) -> Self {
        Self {
            start: SeqNumber::Value(n),
            end: SeqNumber::Value(n),
        }
    }

    /// Whether `n` is in the range, with `*` standing for `largest`.
    pub fn contains(&self, n: u32, largest: u32) -> bool {
        let a = self.start.resolve(largest);
        let b = self.end.resolve(largest);
        a.min(b) <= n && n <= a.max(b)
    }
}

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Inner<'a> {
    Ranges(Cow<'a, str>),
    LastCommand,
}

/// A set of message numbers or UIDs, or `$` (SEARCHRES).
///
/// ```abnf
/// sequence-set     = (seq-number / seq-range) ["," sequence-set]
/// sequence-set     =/ seq-last-command
/// seq-last-command = "$"
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SequenceSet<'a>(Inner<'a>);

/// Length of the valid `sequence-set` at the start of `bytes` (0 if none).
pub(crate) fn scan(bytes: &[u8]) -> Result<usize, usize> {
    if bytes.first() == Some(&b'$') {
        return Ok(1);
    }
    let mut i = 0usize;
    loop {
        // seq-number
        i = seq_number_end(bytes, i)?;
        if bytes.get(i) == Some(&b':') {
            i = seq_number_end(bytes, i.saturating_add(1))?;
        }
        if bytes.get(i) == Some(&b',') {
            i = i.saturating_add(1);
        } else {
            return Ok(i);
        }
    }
}

/// End of a `seq-number` starting at `i`, or `Err(i)` when none is there.
fn seq_number_end(bytes: &[u8], i: usize) -> Result<usize, usize> {
    match bytes.get(i) {
        Some(b'*') => Ok(i.saturating_add(1)),
        Some(b'1'..=b'9') => {
            let mut j = i.saturating_add(1);
            while bytes.get(j).is_some_and(u8::is_ascii_digit) {
                j = j.saturating_add(1);
            }
            // The value must fit in 32 bits.
            let digits = bytes.get(i..j).unwrap_or_default();
            if digits.len() > 10 || parse_u32(digits).is_none() {
                return Err(i);
            }
            Ok(j)
        }
        _ => Err(i),
    }
}

fn parse_u32(digits: &[u8]) -> Option<u32> {
    let mut v: u32 = 0;
    for d in digits {
        v = v
            .checked_mul(10)?
            .checked_add(u32::from(d.wrapping_sub(b'0')))?;
    }
    Some(v)
}

impl<'a> SequenceSet<'a> {
    /// `$`: the result of the last SEARCH saved with `SAVE` ([RFC 5182]).
    ///
    /// [RFC 5182]: https://www.rfc-editor.org/rfc/rfc5182
    pub const LAST_COMMAND: SequenceSet<'static> = SequenceSet(Inner::LastCommand);

    /// Checks `s` against the rule.
    pub fn validate(s: &str) -> Result<(), ValueError> {
        let bytes = s.as_bytes();
        match scan(bytes) {
            Ok(n) if n == bytes.len() => Ok(()),
            Ok(n) | Err(n) => Err(ValueError::at("sequence-set", bytes, n)),
        }
    }

    /// One number.
    pub fn single(n: NonZeroU32) -> SequenceSet<'static> {
        SequenceSet(Inner::Ranges(Cow::Owned(n.to_string())))
    }

    /// `1:*`: every message.
    pub fn all() -> SequenceSet<'static> {
        SequenceSet(Inner::Ranges(Cow::Borrowed("1:*")))
    }

    /// A set of the given ranges; `None` if there are none.
    pub fn from_ranges(ranges: impl IntoIterator<Item = SeqRange>) -> Option<SequenceSet<'static>> {
        let mut s = String::new();
        for r in ranges {
            if !s.is_empty() {
                s.push(',');
            }
            if r.start == r.end {
                s.push_str(&r.start.to_string());
            } else {
                s.push_str(&format!("{}:{}", r.start, r.end));
            }
        }
        (!s.is_empty()).then_some(SequenceSet(Inner::Ranges(Cow::Owned(s))))
    }

    /// Whether this is `$`.
    pub fn is_last_command(&self) -> bool {
        matches!(self.0, Inner::LastCommand)
    }

    /// The wire text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Inner::Ranges(s) => s,
            Inner::LastCommand => "$",
        }
    }

    /// The ranges in order, as written (none for `$`).
    pub fn iter(&self) -> SeqRanges<'_> {
        match &self.0 {
            Inner::Ranges(s) => SeqRanges { rest: s.as_bytes() },
            Inner::LastCommand => SeqRanges { rest: b"" },
        }
    }

    /// Whether `n` is in the set, with `*` standing for `largest` (always
    /// `false` for `$`, which the server resolves).
    pub fn contains(&self, n: u32, largest: u32) -> bool {
        self.iter().any(|r| r.contains(n, largest))
    }

    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> SequenceSet<'static> {
        match self.0 {
            Inner::Ranges(s) => SequenceSet(Inner::Ranges(Cow::Owned(s.into_owned()))),
            Inner::LastCommand => SequenceSet(Inner::LastCommand),
        }
    }

    pub(crate) fn unchecked(s: &'a str) -> Self {
        if s == "$" {
            SequenceSet(Inner::LastCommand)
        } else {
            SequenceSet(Inner::Ranges(Cow::Borrowed(s)))
        }
    }
}

impl<'a> TryFrom<&'a str> for SequenceSet<'a> {
    type Error = ValueError;
    fn try_from(s: &'a str) -> Result<Self, ValueError> {
        Self::validate(s)?;
        Ok(Self::unchecked(s))
    }
}

impl TryFrom<String> for SequenceSet<'static> {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Self::validate(&s)?;
        Ok(if s == "$" {
            SequenceSet(Inner::LastCommand)
        } else {
            SequenceSet(Inner::Ranges(Cow::Owned(s)))
        })
    }
}

impl From<NonZeroU32> for SequenceSet<'static> {
    fn from(n: NonZeroU32) -> Self {
        SequenceSet::single(n)
    }
}

impl fmt::Debug for SequenceSet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SequenceSet({})", self.as_str())
    }
}

impl fmt::Display for SequenceSet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Iterator over the ranges of a [`SequenceSet`].
#[derive(Debug, Clone)]
pub struct SeqRanges<'s> {
    rest: &'s [u8],
}

fn take_number(bytes: &[u8]) -> (Option<SeqNumber>, &[u8]) {
    if let Some((b'*', rest)) = bytes.split_first() {
        return (Some(SeqNumber::Largest), rest);
    }
    let n = bytes
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(bytes.len());
    let (digits, rest) = bytes.split_at(n);
    let value = parse_u32(digits)
        .and_then(NonZeroU32::new)
        .map(SeqNumber::Value);
    (value, rest)
}

impl Iterator for SeqRanges<'_> {
    type Item = SeqRange;

    fn next(&mut self) -> Option<SeqRange> {
        let (start, rest) = take_number(self.rest);
        let start = start?;
        let (end, rest) = match rest.split_first() {
            Some((b':', rest)) => {
                let (end, rest) = take_number(rest);
                (end.unwrap_or(start), rest)
            }
            _ => (start, rest),
        };
        self.rest = match rest.split_first() {
            Some((b',', rest)) => rest,
            _ => b"",
        };
        Some(SeqRange { start, end })
    }
}
