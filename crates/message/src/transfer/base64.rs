//! Tolerant, streaming base64 decoding ([RFC 2045 §6.8]).
//!
//! Line breaks are ignored. Other bytes outside the alphabet are ignored
//! too, as §6.8 says, and reported once as
//! [`DefectKind::InvalidBase64Characters`]. Decoding stops at the `=` that
//! completes a quantum; later data is ignored (with the same defect). At the
//! end, a dangling single character is dropped
//! ([`DefectKind::InvalidBase64Length`]) and two or three characters without
//! padding are decoded ([`DefectKind::InvalidBase64Padding`]).
//!
//! [RFC 2045 §6.8]: https://www.rfc-editor.org/rfc/rfc2045#section-6.8
//!
//! ```
//! use mailwire_message::transfer::base64::Decoder;
//!
//! let mut decoder = Decoder::new(0);
//! let (mut out, mut defects) = (Vec::new(), Vec::new());
//! decoder.push(b"SGVsbG8s\r\nIHdv", &mut out, &mut defects);
//! decoder.push(b"cmxkIQ==\r\n", &mut out, &mut defects);
//! decoder.finish(&mut out, &mut defects);
//! assert_eq!(out, b"Hello, world!");
//! assert!(defects.is_empty());
//! ```

use mailwire_core::error::Offset;

use crate::defect::{Defect, DefectKind};

const INVALID: u8 = 0xff;
const CRLF: u8 = 0xfe;

// Evaluated at compile time: every index is a byte value (< 256) or below 64.
#[allow(clippy::indexing_slicing)]
const TABLE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        t[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    t[b'\r' as usize] = CRLF;
    t[b'\n' as usize] = CRLF;
    t
};

fn value(b: u8) -> u8 {
    TABLE.get(usize::from(b)).copied().unwrap_or(INVALID)
}

/// A streaming base64 decoder that keeps at most three characters between
/// calls.
#[derive(Debug, Clone)]
pub struct Decoder {
    quad: [u8; 4],
    len: usize,
    pads: usize,
    done: bool,
    offset: Offset,
    reported_invalid: bool,
}

impl Decoder {
    /// Creates a decoder whose first input byte is at `offset` in the
    /// message (for defect offsets).
    pub const fn new(offset: Offset) -> Self {
        Self {
            quad: [0; 4],
            len: 0,
            pads: 0,
            done: false,
            offset,
            reported_invalid: false,
        }
    }

    fn invalid(&mut self, at: Offset, defects: &mut Vec<Defect>) {
        if !self.reported_invalid {
            self.reported_invalid = true;
            defects.push(Defect::new(DefectKind::InvalidBase64Characters, at));
        }
    }

    fn flush_quad(&mut self, out: &mut Vec<u8>) {
        let [a, b, c, d] = self.quad;
        let n = (u32::from(a) << 18) | (u32::from(b) << 12) | (u32::from(c) << 6) | u32::from(d);
        let bytes = n.to_be_bytes();
        let keep = match self.len {
            4 => 3,
            3 => 2,
            2 => 1,
            _ => 0,
        };
        out.extend(bytes.iter().skip(1).take(keep));
        self.len = 0;
        self.quad = [0; 4];
    }

    /// Decodes `input`, appending bytes to `out` and defects to `defects`.
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>, defects: &mut Vec<Defect>) {
        out.reserve(input.len() / 4 * 3 + 3);
        let base = self.offset;
        self.offset = self.offset.saturating_add(input.len() as u64);
        let mut i = 0usize;
        // Bytes before this position go through the byte-wise decoder: a
        // block the vectorised decoder rejected.
        let mut bytewise_until = 0usize;
        while i < input.len() {
            if self.len == 0 && !self.done && i >= bytewise_until {
                match decode_block(input, i, out) {
                    Block::Decoded(end) => {
                        i = end;
                        continue;
                    }
                    Block::Bytewise(end) => bytewise_until = end,
                }
                // Whole quanta of alphabet characters.
                while let Some(&[a, b, c, d]) = input.get(i..i.saturating_add(4)) {
                    let (a, b, c, d) = (value(a), value(b), value(c), value(d));
                    if (a | b | c | d) >= 64 {
                        break;
                    }
                    let n = (u32::from(a) << 18)
                        | (u32::from(b) << 12)
                        | (u32::from(c) << 6)
                        | u32::from(d);
                    let [_, x, y, z] = n.to_be_bytes();
                    out.extend_from_slice(&[x, y, z]);
                    i += 4;
                }
            }
            let Some(&byte) = input.get(i) else { break };
            let at = base.saturating_add(i as u64);
            i += 1;
            let v = value(byte);
            if v == CRLF {
                continue;
            }
            if self.done {
                if v < 64 || byte == b'=' {
                    self.invalid(at, defects);
                }
                continue;
            }
            if byte == b'=' {
                if self.len >= 2 {
                    self.pads += 1;
                    if self.len + self.pads >= 4 {
                        self.flush_quad(out);
                        self.done = true;
                    }
                } else {
                    self.invalid(at, defects);
                }
                continue;
            }
            if v >= 64 {
                self.invalid(at, defects);
                continue;
            }
            if self.pads > 0 {
                // Data after an incomplete padding run.
                self.invalid(at, defects);
                self.pads = 0;
            }
            if let Some(slot) = self.quad.get_mut(self.len) {
                *slot = v;
            }
            self.len += 1;
            if self.len == 4 {
                self.flush_quad(out);
            }
        }
    }

    /// Ends the data: decodes a final partial quantum and reports its
    /// defects. The decoder can be reused afterwards.
    pub fn finish(&mut self, out: &mut Vec<u8>, defects: &mut Vec<Defect>) {
        match self.len {
            1 => defects.push(Defect::new(DefectKind::InvalidBase64Length, self.offset)),
            2 | 3 => {
                defects.push(Defect::new(DefectKind::InvalidBase64Padding, self.offset));
                self.flush_quad(out);
            }
            _ => {}
        }
        *self = Self::new(self.offset);
    }
}

/// Compacted characters decoded at once: small enough to stay in cache.
const BLOCK: usize = 32 * 1024;

/// The longest encoded line RFC 2045 §6.8 allows, and the usual one.
const LINE: usize = 76;

enum Block {
    /// Decoded up to this input position.
    Decoded(usize),
    /// The input up to this position needs the byte-wise decoder: it holds
    /// something other than whole lines of alphabet characters in whole
    /// quanta, or too little of them.
    Bytewise(usize),
}

/// Decodes whole lines from `start` with the vectorised decoder.
///
/// Line breaks are removed by copying the lines, one after the other, to
/// the end of `out`; the copy is then decoded in place. A block ends at a
/// line end where the characters so far make whole quanta, and before any
/// line that ends in `=`, so that padding, and everything after it, is
/// left to the byte-wise decoder, which also reports defects. A block with
/// any byte outside the alphabet is rejected as a whole, leaving `out` as
/// it was: ignoring CR and LF, what the block decodes to is exactly what
/// the byte-wise decoder would produce, so the result never depends on the
/// path taken.
fn decode_block(input: &[u8], start: usize, out: &mut Vec<u8>) -> Block {
    let base = out.len();
    let (mut pos, mut accepted_pos, mut accepted_len) = (start, start, 0usize);
    // Lines in a body usually have one length: try it before searching.
    let mut guess = 0usize;
    let mut at_end = false;
    while out.len() - base < BLOCK {
        let Some(rest) = input.get(pos..) else { break };
        // The usual layout, the longest lines RFC 2045 §6.8 allows, is
        // copied with a fixed size.
        if let Some(window) = rest.first_chunk::<{ LINE + 2 }>()
            && let (Some(line), Some(b"\r\n")) =
                (window.first_chunk::<LINE>(), window.last_chunk::<2>())
            && line.last() != Some(&b'=')
        {
            out.extend_from_slice(line);
            pos += LINE + 2;
            if (out.len() - base).is_multiple_of(4) {
                accepted_pos = pos;
                accepted_len = out.len() - base;
            }
            continue;
        }
        let (line, next) = match rest.get(guess..guess.saturating_add(2)) {
            Some(b"\r\n") if guess > 0 => (rest.get(..guess).unwrap_or_default(), guess + 2),
            _ => {
                let Some(lf) = memchr::memchr(b'\n', rest) else {
                    at_end = true;
                    break;
                };
                let line = rest.get(..lf).unwrap_or_default();
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                guess = line.len();
                (line, lf + 1)
            }
        };
        if line.last() == Some(&b'=') {
            break;
        }
        out.extend_from_slice(line);
        pos += next;
        if (out.len() - base).is_multiple_of(4) {
            accepted_pos = pos;
            accepted_len = out.len() - base;
        }
    }
    out.truncate(base + accepted_len);
    if accepted_len == 0 {
        return Block::Bytewise(if at_end { input.len() } else { pos });
    }
    let decoded = out
        .get_mut(base..)
        .and_then(|chars| base64_simd::STANDARD.decode_inplace(chars).ok())
        .map(|bytes| bytes.len());
    match decoded {
        Some(n) => {
            out.truncate(base + n);
            Block::Decoded(accepted_pos)
        }
        None => {
            out.truncate(base);
            Block::Bytewise(accepted_pos)
        }
    }
}

/// Decodes a whole base64 body.
///
/// ```
/// let (bytes, defects) = mailwire_message::transfer::base64::decode(b"YWJj\r\nZA", 0);
/// assert_eq!(bytes, b"abcd");
/// assert_eq!(defects[0].kind, mailwire_message::defect::DefectKind::InvalidBase64Padding);
/// ```
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
    fn known_answers() {
        assert_eq!(decode(b"", 0), (vec![], vec![]));
        assert_eq!(decode(b"Zg==", 0).0, b"f");
        assert_eq!(decode(b"Zm8=", 0).0, b"fo");
        assert_eq!(decode(b"Zm9v", 0).0, b"foo");
        assert_eq!(decode(b"Zm9v\nYmFy\n", 0).0, b"foobar");
    }

    #[test]
    fn invalid_characters_are_skipped_once_reported() {
        let (out, defects) = decode(b"Zm9v*YmF!y", 10);
        assert_eq!(out, b"foobar");
        assert_eq!(
            defects,
            vec![Defect::new(DefectKind::InvalidBase64Characters, 14)]
        );
    }

    #[test]
    fn padding_and_length() {
        let (out, defects) = decode(b"Zm9vYg", 0);
        assert_eq!(out, b"foob");
        assert_eq!(
            defects,
            vec![Defect::new(DefectKind::InvalidBase64Padding, 6)]
        );
        let (out, defects) = decode(b"Zm9vY", 0);
        assert_eq!(out, b"foo");
        assert_eq!(
            defects,
            vec![Defect::new(DefectKind::InvalidBase64Length, 5)]
        );
        let (out, defects) = decode(b"Zg==Zg==", 0);
        assert_eq!(out, b"f");
        assert_eq!(
            defects,
            vec![Defect::new(DefectKind::InvalidBase64Characters, 4)]
        );
    }

    #[test]
    fn any_split_gives_the_same_result() {
        let input = b"SGVs bG8s\r\nIHdvcmxkIQ=\r\n=";
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

    /// Pushed one byte at a time, no whole line is ever in view, so the
    /// byte-wise decoder does everything.
    fn bytewise(input: &[u8], offset: Offset) -> (Vec<u8>, Vec<Defect>) {
        let mut d = Decoder::new(offset);
        let (mut out, mut defects) = (Vec::new(), Vec::new());
        for b in input.chunks(1) {
            d.push(b, &mut out, &mut defects);
        }
        d.finish(&mut out, &mut defects);
        (out, defects)
    }

    #[test]
    fn blocks_agree_with_the_bytewise_decoder() {
        let line = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx\r\n";
        let mut long = line.repeat(2000);
        long.extend_from_slice(b"Zm8=\r\n");
        assert_eq!(decode(&long, 7), bytewise(&long, 7));
        assert_eq!(decode(&long, 7).0.len(), 2000 * 54 + 2);
        // A defect deep inside a block.
        let mut bad = long.clone();
        bad[50_000] = b'*';
        let (out, defects) = decode(&bad, 7);
        assert_eq!((out.clone(), defects.clone()), bytewise(&bad, 7));
        assert_eq!(
            defects[0],
            Defect::new(DefectKind::InvalidBase64Characters, 50_007)
        );
        assert_eq!(out.len(), 2000 * 54 + 1);
        // Lines of the usual length, one of them cut short, one with
        // padding at its end.
        let line76 =
            b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n";
        let mut usual = line76.repeat(900);
        usual[40_000..40_002].copy_from_slice(b"\r\n");
        usual[60_073] = b'=';
        let mut padded_end = line76.repeat(900);
        padded_end[78 * 800 + 75] = b'=';
        assert_eq!(decode(&padded_end, 0), bytewise(&padded_end, 0));
        assert_eq!(decode(&usual, 5), bytewise(&usual, 5));
        assert_eq!(decode(&usual[..30_000], 5), bytewise(&usual[..30_000], 5));
        // Padding in the middle of a line ends the data.
        let mut padded = long.clone();
        padded[40_001] = b'=';
        assert_eq!(decode(&padded, 0), bytewise(&padded, 0));
    }

    proptest::proptest! {
        #[test]
        fn blocks_never_change_the_result(
            lines in proptest::collection::vec(
                ("[A-Za-z0-9+/]{0,80}", "[A-Za-z0-9+/=* \r]{0,2}", proptest::sample::select(vec!["\r\n", "\n", "\r", ""])),
                0..40,
            ),
            cut in 0usize..4000,
        ) {
            let mut input = Vec::new();
            for (chars, junk, end) in &lines {
                input.extend_from_slice(chars.as_bytes());
                if chars.len() % 7 == 3 {
                    input.extend_from_slice(junk.as_bytes());
                }
                input.extend_from_slice(end.as_bytes());
            }
            let expected = bytewise(&input, 3);
            proptest::prop_assert_eq!(&decode(&input, 3), &expected);
            let (a, b) = input.split_at(cut.min(input.len()));
            let mut d = Decoder::new(3);
            let (mut out, mut defects) = (Vec::new(), Vec::new());
            d.push(a, &mut out, &mut defects);
            d.push(b, &mut out, &mut defects);
            d.finish(&mut out, &mut defects);
            proptest::prop_assert_eq!((out, defects), expected);
        }
    }
}
