//! Streaming transfer encoders ([RFC 2045 §6.7, §6.8]): base64 in lines of
//! 76 characters and quoted-printable with soft line breaks, both fed in
//! chunks of any size.
//!
//! [RFC 2045 §6.7, §6.8]: https://www.rfc-editor.org/rfc/rfc2045#section-6.7

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// Input bytes per base64 line: 57 bytes give 76 characters.
const BASE64_LINE_INPUT: usize = 57;
/// Longest quoted-printable line, soft break `=` included ([RFC 2045 §6.7 (5)]).
///
/// [RFC 2045 §6.7 (5)]: https://www.rfc-editor.org/rfc/rfc2045#section-6.7
const QP_LINE: usize = 76;

/// A base64 encoder that writes CRLF-terminated lines of 76 characters.
///
/// ```
/// use mailwire_message::builder::encode::Base64Encoder;
/// let mut out = Vec::new();
/// let mut encoder = Base64Encoder::default();
/// encoder.push(b"hello ", &mut out);
/// encoder.push(b"world", &mut out);
/// encoder.finish(&mut out);
/// assert_eq!(out, b"aGVsbG8gd29ybGQ=\r\n");
/// ```
#[derive(Debug, Default, Clone)]
pub struct Base64Encoder {
    pending: Vec<u8>,
}

impl Base64Encoder {
    /// Encodes `input`, keeping an incomplete line for later.
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>) {
        let mut input = input;
        if !self.pending.is_empty() {
            let need = BASE64_LINE_INPUT.saturating_sub(self.pending.len());
            let (head, tail) = input.split_at(need.min(input.len()));
            self.pending.extend_from_slice(head);
            input = tail;
            if self.pending.len() < BASE64_LINE_INPUT {
                return;
            }
            let line = std::mem::take(&mut self.pending);
            line_out(&line, out);
        }
        let mut lines = input.chunks_exact(BASE64_LINE_INPUT);
        out.reserve(input.len().div_ceil(BASE64_LINE_INPUT).saturating_mul(78));
        for line in &mut lines {
            line_out(line, out);
        }
        self.pending.extend_from_slice(lines.remainder());
    }

    /// Encodes what is left, with padding, and ends the last line.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        if !self.pending.is_empty() {
            let line = std::mem::take(&mut self.pending);
            line_out(&line, out);
        }
    }
}

fn line_out(line: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(
        start.saturating_add(line.len().div_ceil(3).saturating_mul(4)),
        0,
    );
    if let Some(target) = out.get_mut(start..) {
        let written = STANDARD.encode_slice(line, target).unwrap_or(0);
        out.truncate(start.saturating_add(written));
    }
    out.extend_from_slice(b"\r\n");
}

/// A quoted-printable encoder ([RFC 2045 §6.7]): CRLF in the input is a
/// hard line break, every other control byte, `=`, and white space at the
/// end of a line are encoded, lines are broken softly at 76 characters.
///
/// [RFC 2045 §6.7]: https://www.rfc-editor.org/rfc/rfc2045#section-6.7
///
/// ```
/// use mailwire_message::builder::encode::QuotedPrintableEncoder;
/// let mut out = Vec::new();
/// let mut encoder = QuotedPrintableEncoder::default();
/// encoder.push("café = 1 \r\nnext".as_bytes(), &mut out);
/// encoder.finish(&mut out);
/// assert_eq!(out, b"caf=C3=A9 =3D 1=20\r\nnext");
/// ```
#[derive(Debug, Default, Clone)]
pub struct QuotedPrintableEncoder {
    column: usize,
    pending_space: Option<u8>,
    pending_cr: bool,
}

impl QuotedPrintableEncoder {
    /// Encodes `input`.
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>) {
        out.reserve(input.len().saturating_add(input.len() / 8));
        for &b in input {
            self.byte(b, out);
        }
    }

    fn byte(&mut self, b: u8, out: &mut Vec<u8>) {
        if self.pending_cr {
            self.pending_cr = false;
            if b == b'\n' {
                self.flush_space(true, out);
                out.extend_from_slice(b"\r\n");
                self.column = 0;
                return;
            }
            self.flush_space(false, out);
            self.escaped(b'\r', out);
        }
        match b {
            b'\r' => self.pending_cr = true,
            b' ' | b'\t' => {
                self.flush_space(false, out);
                self.pending_space = Some(b);
            }
            33..=60 | 62..=126 => {
                self.flush_space(false, out);
                self.emit(&[b], out);
            }
            _ => {
                self.flush_space(false, out);
                self.escaped(b, out);
            }
        }
    }

    fn flush_space(&mut self, at_line_end: bool, out: &mut Vec<u8>) {
        if let Some(space) = self.pending_space.take() {
            if at_line_end {
                self.escaped(space, out);
            } else {
                self.emit(&[space], out);
            }
        }
    }

    fn escaped(&mut self, b: u8, out: &mut Vec<u8>) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let high = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
        let low = HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0');
        self.emit(&[b'=', high, low], out);
    }

    fn emit(&mut self, token: &[u8], out: &mut Vec<u8>) {
        if self.column.saturating_add(token.len()) > QP_LINE.saturating_sub(1) {
            out.extend_from_slice(b"=\r\n");
            self.column = 0;
        }
        out.extend_from_slice(token);
        self.column = self.column.saturating_add(token.len());
    }

    /// Flushes what is held back (a final CR or white space).
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        if self.pending_cr {
            self.pending_cr = false;
            self.flush_space(false, out);
            self.escaped(b'\r', out);
        }
        self.flush_space(true, out);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::transfer::TransferEncoding;

    fn qp(input: &[u8], split: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = QuotedPrintableEncoder::default();
        for chunk in input.chunks(split.max(1)) {
            e.push(chunk, &mut out);
        }
        e.finish(&mut out);
        out
    }

    fn b64(input: &[u8], split: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = Base64Encoder::default();
        for chunk in input.chunks(split.max(1)) {
            e.push(chunk, &mut out);
        }
        e.finish(&mut out);
        out
    }

    #[test]
    fn round_trips_in_any_chunking() {
        let input: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 256) as u8).collect();
        let text = "ligne très longue ".repeat(20) + "\r\nfin \t\r\n\r\n=\r";
        for split in [1, 3, 57, 1000, 5000] {
            let encoded = b64(&input, split);
            assert!(encoded.split(|&b| b == b'\n').all(|l| l.len() <= 77));
            assert_eq!(encoded, b64(&input, 5000));
            let (decoded, defects) = TransferEncoding::Base64.decode(&encoded, 0);
            assert!(defects.is_empty());
            assert_eq!(decoded.as_ref(), input.as_slice());
            for data in [input.as_slice(), text.as_bytes()] {
                let encoded = qp(data, split);
                assert!(encoded.split(|&b| b == b'\n').all(|l| l.len() <= 77));
                assert!(!encoded.windows(2).any(|w| w == b" \r"));
                let (decoded, defects) = TransferEncoding::QuotedPrintable.decode(&encoded, 0);
                assert!(defects.is_empty(), "{defects:?}");
                assert_eq!(decoded.as_ref(), data);
            }
        }
    }
}
