//! Streaming quoted-printable decoding ([RFC 2045 §6.7]).
//!
//! `=XX` (either case) is an octet; `=` then optional white space then a line
//! break is a soft line break; white space at the end of a line is deleted
//! (rule 3: it "will necessarily have been added by intermediate transport
//! agents"). A `=` not followed by two hex digits or a line break is kept
//! literally and reported as [`DefectKind::InvalidQuotedPrintable`]. Hard
//! line breaks are kept as they are (CRLF or LF).
//!
//! [RFC 2045 §6.7]: https://www.rfc-editor.org/rfc/rfc2045#section-6.7
//!
//! ```
//! use mailwire_message::transfer::quoted_printable::decode;
//!
//! let (text, defects) = decode(b"caf=C3=A9 =\r\nau lait  \r\n=ZZ", 0);
//! assert_eq!(text, "café au lait\r\n=ZZ".as_bytes());
//! assert_eq!(defects[0].offset, 24);
//! ```

use mailwire_core::error::Offset;

use crate::defect::{Defect, DefectKind};

/// White space held back longer than this is not "trailing" in practice: it
/// is flushed as data. RFC 5322 §2.1.1 limits lines to 998 characters.
const MAX_PENDING_SPACE: usize = 998;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    Cr,
    Equals,
    Hex(u8),
    EqualsSpace,
    EqualsCr,
}

/// A streaming quoted-printable decoder. It holds back at most
/// 998 bytes of white space between calls.
#[derive(Debug, Clone)]
pub struct Decoder {
    state: State,
    space: Vec<u8>,
    offset: Offset,
    equals_at: Offset,
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

impl Decoder {
    /// Creates a decoder whose first input byte is at `offset`.
    pub const fn new(offset: Offset) -> Self {
        Self {
            state: State::Text,
            space: Vec::new(),
            offset,
            equals_at: 0,
        }
    }

    fn flush_space(&mut self, out: &mut Vec<u8>) {
        out.append(&mut self.space);
    }

    fn invalid(&mut self, out: &mut Vec<u8>, defects: &mut Vec<Defect>) {
        defects.push(Defect::new(
            DefectKind::InvalidQuotedPrintable,
            self.equals_at,
        ));
        out.push(b'=');
    }

    /// Decodes `input`, appending to `out` and `defects`.
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>, defects: &mut Vec<Defect>) {
        out.reserve(input.len());
        let base = self.offset;
        self.offset = self.offset.saturating_add(input.len() as u64);
        let mut i = 0usize;
        while let Some(&b) = input.get(i) {
            let at = base.saturating_add(i as u64);
            match self.state {
                State::Text => {
                    // Copy the run of plain bytes at once.
                    let run = input
                        .get(i..)
                        .unwrap_or_default()
                        .iter()
                        .position(|&c| matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'='))
                        .unwrap_or(input.len() - i);
                    if run > 0 {
                        self.flush_space(out);
                        out.extend_from_slice(input.get(i..i + run).unwrap_or_default());
                        i += run;
                        continue;
                    }
                    match b {
                        b' ' | b'\t' => {
                            if self.space.len() >= MAX_PENDING_SPACE {
                                self.flush_space(out);
                            }
                            self.space.push(b);
                        }
                        b'\r' => self.state = State::Cr,
                        b'\n' => {
                            self.space.clear();
                            out.push(b'\n');
                        }
                        _ => {
                            self.flush_space(out);
                            self.equals_at = at;
                            self.state = State::Equals;
                        }
                    }
                }
                State::Cr => {
                    self.state = State::Text;
                    if b == b'\n' {
                        self.space.clear();
                        out.extend_from_slice(b"\r\n");
                    } else {
                        self.flush_space(out);
                        out.push(b'\r');
                        continue;
                    }
                }
                State::Equals => match b {
                    b' ' | b'\t' => self.state = State::EqualsSpace,
                    b'\r' => self.state = State::EqualsCr,
                    b'\n' => self.state = State::Text,
                    _ => {
                        if let Some(h) = hex(b) {
                            self.state = State::Hex(h);
                        } else {
                            self.invalid(out, defects);
                            self.state = State::Text;
                            continue;
                        }
                    }
                },
                State::Hex(high) => {
                    self.state = State::Text;
                    if let Some(low) = hex(b) {
                        out.push(high << 4 | low);
                    } else {
                        self.invalid(out, defects);
                        out.push(
                            b"0123456789ABCDEF"
                                .get(usize::from(high))
                                .copied()
                                .unwrap_or(b'0'),
                        );
                        continue;
                    }
                }
                State::EqualsSpace => match b {
                    b' ' | b'\t' => {}
                    b'\r' => self.state = State::EqualsCr,
                    b'\n' => self.state = State::Text,
                    _ => {
                        // "= x": not a soft break. The spaces are lost, as
                        // with any transport padding.
                        self.invalid(out, defects);
                        self.state = State::Text;
                        continue;
                    }
                },
                State::EqualsCr => {
                    self.state = State::Text;
                    if b != b'\n' {
                        // "=" CR without LF: a soft break ended by a bare CR.
                        continue;
                    }
                }
            }
            i += 1;
        }
    }

    /// Ends the data. A final `=` is a soft break; trailing white space is
    /// deleted. The decoder can be reused afterwards.
    pub fn finish(&mut self, out: &mut Vec<u8>, defects: &mut Vec<Defect>) {
        match self.state {
            State::Cr => out.push(b'\r'),
            State::Hex(high) => {
                self.invalid(out, defects);
                out.push(
                    b"0123456789ABCDEF"
                        .get(usize::from(high))
                        .copied()
                        .unwrap_or(b'0'),
                );
            }
            State::Text | State::Equals | State::EqualsSpace | State::EqualsCr => {}
        }
        *self = Self::new(self.offset);
    }
}

/// Decodes a whole quoted-printable body.
pub fn decode(input: &[u8], offset: Offset) -> (Vec<u8>, Vec<Defect>) {
    let mut decoder = Decoder::new(offset);
    let (mut out, mut defects) = (Vec::new(), Vec::new());
    decoder.push(input, &mut out, &mut defects);
    decoder.finish(&mut out, &mut defects);
    (out, defects)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc2045_rules() {
        // Rule 1 and 2.
        assert_eq!(decode(b"=3D=3d a\tb", 0).0, b"== a\tb");
        // Rule 3: trailing white space is deleted, hard breaks kept.
        assert_eq!(decode(b"a \t\r\nb \n", 0).0, b"a\r\nb\n");
        // Rule 5: soft line breaks, with transport padding after "=".
        assert_eq!(decode(b"long=\r\nline= \t\nend=", 0).0, b"longlineend");
    }

    #[test]
    fn invalid_sequences_are_kept() {
        let (out, defects) = decode(b"a=G1 b=4", 3);
        assert_eq!(out, b"a=G1 b=4");
        assert_eq!(
            defects,
            vec![
                Defect::new(DefectKind::InvalidQuotedPrintable, 4),
                Defect::new(DefectKind::InvalidQuotedPrintable, 9)
            ]
        );
        let (out, defects) = decode(b"= x", 0);
        assert_eq!(out, b"=x");
        assert_eq!(defects.len(), 1);
    }

    #[test]
    fn any_split_gives_the_same_result() {
        let input = b"ab  \r\nc=4\r=41=\r\n= \r\nd=X\r\n\t \n";
        let whole = decode(input, 0);
        for cut in 0..=input.len() {
            let (a, b) = input.split_at(cut);
            let mut d = Decoder::new(0);
            let (mut out, mut defects) = (Vec::new(), Vec::new());
            d.push(a, &mut out, &mut defects);
            d.push(b, &mut out, &mut defects);
            d.finish(&mut out, &mut defects);
            assert_eq!((out, defects), whole, "cut at {cut}");
        }
    }
}
