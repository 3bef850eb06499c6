//! A streaming CRLF normaliser: every CR, LF and CRLF becomes CRLF.
//!
//! Mail on the wire ends its lines with CRLF ([RFC 5321 §2.3.8], [RFC 5322
//! §2.1]); a body handed to a client machine may use any of the three
//! endings. [`CrlfNormalizer`] rewrites them as CRLF, one chunk at a time, so
//! a CRLF split between two chunks still counts once. It is what
//! [`DotEncoder`](crate::dot::DotEncoder) stuffs and what SMTP `BDAT` chunks
//! ([RFC 3030 §2]) carry.
//!
//! [RFC 5321 §2.3.8]: https://www.rfc-editor.org/rfc/rfc5321#section-2.3.8
//! [RFC 5322 §2.1]: https://www.rfc-editor.org/rfc/rfc5322#section-2.1
//! [RFC 3030 §2]: https://www.rfc-editor.org/rfc/rfc3030#section-2
//!
//! ```
//! use mailwire_core::crlf::CrlfNormalizer;
//!
//! let mut normalizer = CrlfNormalizer::new();
//! let mut out = Vec::new();
//! normalizer.normalize(b"a\r", &mut out);
//! normalizer.normalize(b"\nb\nc\rd", &mut out);
//! assert_eq!(out, b"a\r\nb\r\nc\r\nd");
//! ```

/// One piece of normalised input: text without line endings, or the end of
/// a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Bytes with no CR or LF in them; never empty.
    Text(&'a [u8]),
    /// A CR, an LF or a CRLF, to be written as CRLF.
    LineEnd,
}

/// A streaming CRLF normaliser; see the [module documentation](self).
///
/// It holds one bit of state: whether the last chunk ended with a CR, whose
/// LF may start the next chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CrlfNormalizer {
    after_cr: bool,
}

impl CrlfNormalizer {
    /// A normaliser at the start of a stream.
    pub const fn new() -> Self {
        Self { after_cr: false }
    }

    /// `true` if the last byte seen was a CR (already reported as a line
    /// end); an LF that comes next belongs to it.
    ///
    /// ```
    /// let mut n = mailwire_core::crlf::CrlfNormalizer::new();
    /// n.normalize(b"x\r", &mut Vec::new());
    /// assert!(n.after_cr());
    /// ```
    pub const fn after_cr(&self) -> bool {
        self.after_cr
    }

    /// Splits `input` into [`Segment`]s and hands each to `segment`, in
    /// order. Building block for encoders that act on line starts.
    ///
    /// ```
    /// use mailwire_core::crlf::{CrlfNormalizer, Segment};
    /// let mut seen = Vec::new();
    /// CrlfNormalizer::new().segments(b"a\n\rb", |s| seen.push(s == Segment::LineEnd));
    /// assert_eq!(seen, [false, true, true, false]);
    /// ```
    pub fn segments<'a>(&mut self, input: &'a [u8], mut segment: impl FnMut(Segment<'a>)) {
        let mut rest = input;
        if self.after_cr {
            match rest.split_first() {
                Some((&b'\n', tail)) => {
                    rest = tail;
                    self.after_cr = false;
                }
                Some(_) => self.after_cr = false,
                None => {}
            }
        }
        while !rest.is_empty() {
            let run = memchr::memchr2(b'\r', b'\n', rest).unwrap_or(rest.len());
            let (text, after) = rest.split_at(run);
            if !text.is_empty() {
                segment(Segment::Text(text));
            }
            match after.split_first() {
                Some((&ending, tail)) => {
                    segment(Segment::LineEnd);
                    rest = tail;
                    if ending == b'\r' {
                        match rest.split_first() {
                            Some((&b'\n', tail)) => rest = tail,
                            Some(_) => {}
                            None => self.after_cr = true,
                        }
                    }
                }
                None => rest = after,
            }
        }
    }

    /// Appends `input` to `out` with every CR, LF and CRLF written as CRLF.
    ///
    /// ```
    /// let mut out = Vec::new();
    /// mailwire_core::crlf::CrlfNormalizer::new().normalize(b"a\nb\r\n", &mut out);
    /// assert_eq!(out, b"a\r\nb\r\n");
    /// ```
    pub fn normalize(&mut self, input: &[u8], out: &mut Vec<u8>) {
        self.segments(input, |segment| match segment {
            Segment::Text(text) => out.extend_from_slice(text),
            Segment::LineEnd => out.extend_from_slice(b"\r\n"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(input: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        CrlfNormalizer::new().normalize(input, &mut out);
        out
    }

    #[test]
    fn every_ending_becomes_crlf() {
        assert_eq!(
            whole(b"a\rb\nc\r\nd\r\r\n\n"),
            b"a\r\nb\r\nc\r\nd\r\n\r\n\r\n"
        );
        assert_eq!(whole(b""), b"");
        assert_eq!(whole(b"\r"), b"\r\n");
    }

    #[test]
    fn split_at_every_byte_gives_the_same_output() {
        let input = b"a\r\nb\rc\n\r\r\nd\r";
        let expected = whole(input);
        for at in 0..=input.len() {
            let (head, tail) = input.split_at(at);
            let mut normalizer = CrlfNormalizer::new();
            let mut out = Vec::new();
            normalizer.normalize(head, &mut out);
            normalizer.normalize(&[], &mut out);
            normalizer.normalize(tail, &mut out);
            assert_eq!(out, expected, "split at {at}");
        }
    }
}
