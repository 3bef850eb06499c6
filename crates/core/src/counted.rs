//! A counted-octet reader: a payload announced by its length, such as an
//! SMTP `BDAT` chunk ([RFC 3030 §2]) or an IMAP literal ([RFC 9051 §4.3]).
//!
//! Unlike a dot-stuffed body, a counted payload is not scanned: its octets
//! are taken as they are, whatever they hold, until the count runs out, so
//! none of them is ever read as a command. [`CountedReader::take`] hands out
//! at most a given number of octets at a time, so the payload is never
//! buffered whole.
//!
//! [RFC 3030 §2]: https://www.rfc-editor.org/rfc/rfc3030#section-2
//! [RFC 9051 §4.3]: https://www.rfc-editor.org/rfc/rfc9051#section-4.3
//!
//! ```
//! use mailwire_core::counted::CountedReader;
//!
//! // "BDAT 5" then five octets, then the next command.
//! let mut reader = CountedReader::new(5);
//! assert_eq!(reader.take(b"ab", 1024), b"ab");
//! assert_eq!(reader.take(b"c\r\nQUIT\r\n", 1024), b"c\r\n");
//! assert!(reader.is_done());
//! assert_eq!(reader.take(b"QUIT\r\n", 1024), b"");
//! ```

/// Counts out a payload of a known length; see the [module
/// documentation](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountedReader {
    remaining: u64,
}

impl CountedReader {
    /// A reader for a payload of `len` octets.
    pub const fn new(len: u64) -> Self {
        Self { remaining: len }
    }

    /// Octets still to come.
    pub const fn remaining(&self) -> u64 {
        self.remaining
    }

    /// `true` once every octet has been taken.
    pub const fn is_done(&self) -> bool {
        self.remaining == 0
    }

    /// Takes the payload's next octets from the front of `input`: at most
    /// `max` of them (at least one when `max` is 0), never more than remain.
    /// The caller consumes `taken.len()` bytes of its input.
    ///
    /// ```
    /// let mut reader = mailwire_core::counted::CountedReader::new(10);
    /// assert_eq!(reader.take(b"0123456789", 4), b"0123");
    /// assert_eq!(reader.remaining(), 6);
    /// ```
    pub fn take<'a>(&mut self, input: &'a [u8], max: usize) -> &'a [u8] {
        let cap = max.max(1) as u64;
        let n = self.remaining.min(input.len() as u64).min(cap);
        // `n` is at most `input.len()`, so it fits in usize.
        let n = usize::try_from(n).unwrap_or(0);
        self.remaining = self.remaining.saturating_sub(n as u64);
        input.get(..n).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_counts_do_not_overflow() {
        let mut reader = CountedReader::new(u64::MAX);
        assert_eq!(reader.take(b"abc", usize::MAX), b"abc");
        assert_eq!(reader.remaining(), u64::MAX - 3);
        assert_eq!(reader.take(b"", 8), b"");
    }

    #[test]
    fn zero_length_is_done_at_once() {
        let mut reader = CountedReader::new(0);
        assert!(reader.is_done());
        assert_eq!(reader.take(b"QUIT\r\n", 8), b"");
    }
}
