//! Dot-stuffed bodies: SMTP `DATA` ([RFC 5321 §4.5.2], §4.1.1.4) and POP3
//! multi-line responses ([RFC 1939 §3]).
//!
//! A body is sent as lines; a line that starts with `.` gets one more `.` in
//! front, and the body ends with a line holding a single `.`, so the bytes
//! `CRLF . CRLF` end it. [`DotDecoder`] undoes this on received data and
//! [`DotEncoder`] applies it to data to send.
//!
//! # The end of the body, and SMTP smuggling
//!
//! Only the exact sequence `CR LF . CR LF` ends a body (the body's first
//! line counts as following a CRLF, so `. CR LF` right at the start is an
//! empty body). Near-misses such as `LF . LF`, `CR . CR`, `LF . CR LF`,
//! `CR LF . LF` or `CR LF . CR` followed by anything but LF never end it: a
//! receiver that accepts them while the next hop does not (or the reverse)
//! lets a sender hide a second message inside the first (CVE-2023-51764,
//! CVE-2023-51765, CVE-2023-51766). What a bare CR or a bare LF does inside
//! the body is the [`BareNewline`] policy.
//!
//! The encoder turns every CR, LF and CRLF of its input into CRLF before
//! stuffing, so no input can produce a premature terminator (the
//! RUSTSEC-2021-0069 class).
//!
//! [RFC 5321 §4.5.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.2
//! [RFC 1939 §3]: https://www.rfc-editor.org/rfc/rfc1939#section-3
//!
//! # Example
//!
//! ```
//! use mailwire_core::dot::{DotDecoder, DotEncoder};
//!
//! let mut wire = Vec::new();
//! let mut encoder = DotEncoder::new();
//! encoder.encode(b"Subject: dots\n\n.leading dot\n.\n", &mut wire);
//! encoder.finish(&mut wire);
//! assert_eq!(wire, b"Subject: dots\r\n\r\n..leading dot\r\n..\r\n.\r\n");
//!
//! let mut decoder = DotDecoder::default();
//! let mut body = Vec::new();
//! let decoded = decoder.decode(&wire, &mut body);
//! assert!(decoded.done);
//! assert_eq!(decoded.consumed, wire.len());
//! assert_eq!(body, b"Subject: dots\r\n\r\n.leading dot\r\n.\r\n");
//! ```

use crate::crlf::{CrlfNormalizer, Segment};
use crate::error::Offset;

/// What to do with a CR not followed by LF, or an LF not preceded by CR,
/// inside a dot-stuffed body.
///
/// Whatever the policy, such a line ending never takes part in the end of
/// the body: only `CRLF . CRLF` ends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BareNewline {
    /// Report [`BodyError::BareLf`] or [`BodyError::BareCr`], drop the rest of
    /// the body from that line ending on and keep reading to its real end, so the session stays in
    /// step (an SMTP server then answers the whole message with an error).
    /// The default.
    #[default]
    Reject,
    /// Treat it as a line ending and write CRLF in its place (Postfix's
    /// `smtpd_forbid_bare_newline = normalize`). A line that follows it is
    /// unstuffed, but a lone `.` there is data, not the end.
    Normalize,
}

/// An error in a dot-stuffed body, with its stream offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum BodyError {
    /// An LF not preceded by CR.
    #[error("bare LF in body at byte {offset}")]
    BareLf {
        /// Stream offset of the LF.
        offset: Offset,
    },
    /// A CR not followed by LF.
    #[error("bare CR in body at byte {offset}")]
    BareCr {
        /// Stream offset of the CR.
        offset: Offset,
    },
}

impl BodyError {
    /// The error's stream offset.
    ///
    /// ```
    /// assert_eq!(mailwire_core::dot::BodyError::BareCr { offset: 3 }.offset(), 3);
    /// ```
    pub const fn offset(&self) -> Offset {
        match *self {
            BodyError::BareLf { offset } | BodyError::BareCr { offset } => offset,
        }
    }
}

impl From<BodyError> for crate::Error {
    fn from(err: BodyError) -> Self {
        let (offset, byte) = match err {
            BodyError::BareLf { offset } => (offset, b'\n'),
            BodyError::BareCr { offset } => (offset, b'\r'),
        };
        crate::Error::Malformed {
            offset,
            expected: "CRLF",
            found: crate::error::Found::Byte(byte),
        }
    }
}

/// The result of one [`DotDecoder::decode`] call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct Decoded {
    /// Input bytes consumed. Less than the input only when `done`: what
    /// follows the terminator belongs to the next command or response.
    pub consumed: usize,
    /// The terminating `CRLF . CRLF` was consumed.
    pub done: bool,
    /// The first error in the body, reported on the call that found it.
    pub error: Option<BodyError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a line that follows a CRLF (or of the body): a `.`
    /// here may start the terminator.
    LineStart,
    /// At the start of a line that follows a bare CR or LF: a `.` is
    /// unstuffed but never ends the body.
    SoftLineStart,
    /// Read `.` at `LineStart`.
    Dot,
    /// Read `. CR` at `LineStart`.
    DotCr,
    /// Read `.` at `SoftLineStart`.
    SoftDot,
    /// Inside a line.
    Text,
    /// Read a CR inside a line, not yet known to be followed by LF.
    Cr,
    /// The terminator has been read.
    Done,
}

/// A streaming decoder for a dot-stuffed body; see the [module
/// documentation](self).
///
/// It holds a few bytes of state, never the body: each call writes the
/// unstuffed bytes of its input to the caller's buffer (at most twice the
/// input, under [`BareNewline::Normalize`]).
#[derive(Debug, Clone)]
pub struct DotDecoder {
    state: State,
    policy: BareNewline,
    offset: Offset,
    error: Option<BodyError>,
}

impl Default for DotDecoder {
    fn default() -> Self {
        Self::new(BareNewline::default())
    }
}

impl DotDecoder {
    /// A decoder at the start of a body, starting at stream offset 0.
    ///
    /// ```
    /// use mailwire_core::dot::{BareNewline, DotDecoder};
    /// let decoder = DotDecoder::new(BareNewline::Normalize);
    /// assert!(!decoder.is_done());
    /// ```
    pub const fn new(policy: BareNewline) -> Self {
        Self {
            state: State::LineStart,
            policy,
            offset: 0,
            error: None,
        }
    }

    /// A decoder whose offsets count from `offset`: the stream offset of the
    /// body's first byte, so errors point into the connection's stream.
    ///
    /// ```
    /// use mailwire_core::dot::{BareNewline, BodyError, DotDecoder};
    /// let mut d = DotDecoder::with_offset(BareNewline::Reject, 100);
    /// let r = d.decode(b"a\nb", &mut Vec::new());
    /// assert_eq!(r.error, Some(BodyError::BareLf { offset: 101 }));
    /// ```
    pub const fn with_offset(policy: BareNewline, offset: Offset) -> Self {
        Self {
            state: State::LineStart,
            policy,
            offset,
            error: None,
        }
    }

    /// `true` once the terminator has been read.
    ///
    /// ```
    /// let mut d = mailwire_core::dot::DotDecoder::default();
    /// let _ = d.decode(b".\r\n", &mut Vec::new());
    /// assert!(d.is_done());
    /// ```
    pub const fn is_done(&self) -> bool {
        matches!(self.state, State::Done)
    }

    /// The first error found in the body, if any.
    ///
    /// ```
    /// use mailwire_core::dot::{BodyError, DotDecoder};
    /// let mut d = DotDecoder::default();
    /// let _ = d.decode(b"x\ry\r\n.\r\n", &mut Vec::new());
    /// assert_eq!(d.error(), Some(BodyError::BareCr { offset: 1 }));
    /// ```
    pub const fn error(&self) -> Option<BodyError> {
        self.error
    }

    /// Stream offset of the next byte to decode.
    ///
    /// ```
    /// let mut d = mailwire_core::dot::DotDecoder::default();
    /// let _ = d.decode(b"abc", &mut Vec::new());
    /// assert_eq!(d.offset(), 3);
    /// ```
    pub const fn offset(&self) -> Offset {
        self.offset
    }

    /// Decodes `input`, appending the unstuffed body bytes to `out`.
    ///
    /// Stops right after the terminator; bytes after it are not consumed.
    /// Line endings are written as they are decided, so a CR at the end of a
    /// chunk is held back until the next byte shows what it is. After
    /// [`BodyError`] under [`BareNewline::Reject`], nothing more is written
    /// but the terminator is still looked for.
    ///
    /// ```
    /// use mailwire_core::dot::DotDecoder;
    /// let mut d = DotDecoder::default();
    /// let mut body = Vec::new();
    /// let first = d.decode(b"..one\r\ntwo\r", &mut body);
    /// assert_eq!((first.consumed, first.done), (11, false));
    /// let second = d.decode(b"\n.\r\nMAIL FROM:<>\r\n", &mut body);
    /// assert_eq!((second.consumed, second.done), (4, true));
    /// assert_eq!(body, b".one\r\ntwo\r\n");
    /// ```
    pub fn decode(&mut self, input: &[u8], out: &mut Vec<u8>) -> Decoded {
        let mut error = None;
        let base = self.offset;
        let at = |i: usize| base.saturating_add(i as u64);
        let mut i = 0usize;
        while let Some(&byte) = input.get(i) {
            match self.state {
                State::Done => break,
                State::Text => {
                    let rest = input.get(i..).unwrap_or_default();
                    // Fast path: a run of well-formed CRLF lines that cannot
                    // hold a terminator goes out in one copy.
                    let clean = clean_prefix(rest);
                    if clean > 0 {
                        let region = rest.get(..clean).unwrap_or_default();
                        self.emit(out, region);
                        i = i.saturating_add(clean);
                        if region.last() == Some(&b'\n') {
                            self.state = State::LineStart;
                        }
                        continue;
                    }
                    // Copy the run up to the next CR or LF.
                    let run = memchr::memchr2(b'\r', b'\n', rest).unwrap_or(rest.len());
                    if run > 0 {
                        self.emit(out, rest.get(..run).unwrap_or_default());
                        i = i.saturating_add(run);
                        continue;
                    }
                    if byte == b'\r' {
                        self.state = State::Cr;
                    } else {
                        self.bare(BodyError::BareLf { offset: at(i) }, &mut error);
                        self.emit(out, b"\r\n");
                        self.state = State::SoftLineStart;
                    }
                }
                State::LineStart | State::SoftLineStart => {
                    let strict = self.state == State::LineStart;
                    match byte {
                        b'.' => self.state = if strict { State::Dot } else { State::SoftDot },
                        b'\r' => self.state = State::Cr,
                        b'\n' => {
                            self.bare(BodyError::BareLf { offset: at(i) }, &mut error);
                            self.emit(out, b"\r\n");
                            self.state = State::SoftLineStart;
                        }
                        _ => {
                            self.state = State::Text;
                            continue;
                        }
                    }
                }
                State::Dot => match byte {
                    b'\r' => self.state = State::DotCr,
                    b'\n' => {
                        // `. LF`: a lone dot ended by a bare LF is data.
                        self.emit(out, b".");
                        self.bare(BodyError::BareLf { offset: at(i) }, &mut error);
                        self.emit(out, b"\r\n");
                        self.state = State::SoftLineStart;
                    }
                    _ => {
                        // A stuffed line: drop the dot, the rest is text.
                        self.state = State::Text;
                        continue;
                    }
                },
                State::DotCr => {
                    if byte == b'\n' {
                        self.state = State::Done;
                        i = i.saturating_add(1);
                        break;
                    }
                    // `. CR x`: a lone dot ended by a bare CR is data.
                    let cr = at(i).saturating_sub(1);
                    self.emit(out, b".");
                    self.bare(BodyError::BareCr { offset: cr }, &mut error);
                    self.emit(out, b"\r\n");
                    self.state = State::SoftLineStart;
                    continue;
                }
                State::SoftDot => match byte {
                    b'\r' => {
                        self.emit(out, b".");
                        self.state = State::Cr;
                    }
                    b'\n' => {
                        self.emit(out, b".");
                        self.bare(BodyError::BareLf { offset: at(i) }, &mut error);
                        self.emit(out, b"\r\n");
                        self.state = State::SoftLineStart;
                    }
                    _ => {
                        self.state = State::Text;
                        continue;
                    }
                },
                State::Cr => {
                    if byte == b'\n' {
                        self.emit(out, b"\r\n");
                        self.state = State::LineStart;
                    } else {
                        let cr = at(i).saturating_sub(1);
                        self.bare(BodyError::BareCr { offset: cr }, &mut error);
                        self.emit(out, b"\r\n");
                        self.state = State::SoftLineStart;
                        continue;
                    }
                }
            }
            i = i.saturating_add(1);
        }
        self.offset = at(i);
        Decoded {
            consumed: i,
            done: self.is_done(),
            error,
        }
    }

    fn emit(&self, out: &mut Vec<u8>, bytes: &[u8]) {
        if self.error.is_none() {
            out.extend_from_slice(bytes);
        }
    }

    /// Records a bare CR or LF under [`BareNewline::Reject`].
    fn bare(&mut self, err: BodyError, reported: &mut Option<BodyError>) {
        if self.policy == BareNewline::Reject && self.error.is_none() {
            self.error = Some(err);
            *reported = Some(err);
        }
    }
}

/// Whether the pair of bytes `a b` needs the byte-wise path: a CR not
/// followed by LF, an LF not preceded by CR, or an LF before a dot. Branch
/// free, so that a block of pairs is checked in vector registers.
fn needs_care(a: u8, b: u8) -> u8 {
    let lone = u8::from(a == b'\r') ^ u8::from(b == b'\n');
    let dot_line = u8::from(a == b'\n') & u8::from(b == b'.');
    lone | dot_line
}

/// Bytes checked at once by [`clean_prefix`].
const BLOCK: usize = 32;

/// The length of the longest prefix of `rest` (decoded in the text state)
/// that is made only of well-formed CRLF lines, ends before any line that
/// starts with a dot, and does not end with a CR whose LF is still to come.
/// Such a prefix is copied unchanged; what follows it is for the byte-wise
/// path.
///
/// Blocks are checked whole, each byte against the next (see
/// [`needs_care`]); in the first block that fails, the first pair that
/// needs care ends the prefix. The end of the input, too short for a
/// block, is walked byte by byte.
fn clean_prefix(rest: &[u8]) -> usize {
    // In the text state the previous byte was not a CR: a leading LF is
    // bare.
    if rest.first() == Some(&b'\n') {
        return 0;
    }
    let mut pos = 0usize;
    while let Some(window) = rest
        .get(pos..)
        .and_then(|r| r.first_chunk::<{ BLOCK + 1 }>())
    {
        let (Some(this), Some(next)) =
            (window.first_chunk::<BLOCK>(), window.last_chunk::<BLOCK>())
        else {
            break;
        };
        let bad = this
            .iter()
            .zip(next)
            .fold(0u8, |acc, (&a, &b)| acc | needs_care(a, b));
        if bad != 0 {
            // The first pair that needs care decides where the prefix ends:
            // the first non-zero byte of the flags, read as little-endian
            // integers.
            let mut flags = [0u8; BLOCK];
            for (flag, (&a, &b)) in flags.iter_mut().zip(this.iter().zip(next)) {
                *flag = needs_care(a, b);
            }
            let (low, high) = flags.split_at(BLOCK / 2);
            let word = |half: &[u8]| {
                half.try_into()
                    .map_or(0, |bytes: [u8; BLOCK / 2]| u128::from_le_bytes(bytes))
            };
            let (low, high) = (word(low), word(high));
            let at = if low != 0 {
                low.trailing_zeros() / 8
            } else {
                high.trailing_zeros() / 8 + (BLOCK / 2) as u32
            } as usize;
            let a = this.get(at).copied().unwrap_or_default();
            let at = pos + at;
            return if a == b'\r' {
                // A CR not followed by LF: the byte-wise path decides.
                at
            } else {
                // An LF before a dot, or a bare LF next: this byte ends the
                // prefix (if it is an LF, it follows a CR).
                at + 1
            };
        }
        pos += BLOCK;
    }
    // The rest, too short for a block, byte by byte (the last block may end
    // with the CR of a CRLF).
    let mut prev_cr = pos > 0 && rest.get(pos - 1) == Some(&b'\r');
    while let Some(&byte) = rest.get(pos) {
        match byte {
            b'\r' => match rest.get(pos + 1) {
                Some(b'\n') => prev_cr = true,
                // A bare CR, or a CR whose LF is still to come.
                _ => return pos,
            },
            b'\n' => {
                if !prev_cr {
                    return pos;
                }
                prev_cr = false;
                if rest.get(pos + 1) == Some(&b'.') {
                    return pos + 1;
                }
            }
            _ => prev_cr = false,
        }
        pos += 1;
    }
    pos
}

/// A streaming dot-stuffing encoder; see the [module documentation](self).
///
/// Every CR, LF and CRLF in the input is written as CRLF (by a
/// [`CrlfNormalizer`]), and every line that starts with `.` gets a second
/// one, so the output can never contain the terminator before
/// [`finish`](Self::finish) writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DotEncoder {
    at_line_start: bool,
    normalizer: CrlfNormalizer,
}

impl Default for DotEncoder {
    fn default() -> Self {
        Self::new()
    }
}

impl DotEncoder {
    /// An encoder at the start of a body.
    ///
    /// ```
    /// let mut out = Vec::new();
    /// let mut e = mailwire_core::dot::DotEncoder::new();
    /// e.finish(&mut out);
    /// assert_eq!(out, b".\r\n"); // an empty body
    /// ```
    pub const fn new() -> Self {
        Self {
            at_line_start: true,
            normalizer: CrlfNormalizer::new(),
        }
    }

    /// Encodes a chunk of the body, appending to `out`.
    ///
    /// ```
    /// let mut out = Vec::new();
    /// let mut e = mailwire_core::dot::DotEncoder::new();
    /// e.encode(b"a\r", &mut out);
    /// e.encode(b"\n.\rb", &mut out);
    /// assert_eq!(out, b"a\r\n..\r\nb");
    /// ```
    pub fn encode(&mut self, input: &[u8], out: &mut Vec<u8>) {
        let at_line_start = &mut self.at_line_start;
        self.normalizer.segments(input, |segment| match segment {
            Segment::Text(text) => {
                if *at_line_start && text.first() == Some(&b'.') {
                    out.push(b'.');
                }
                out.extend_from_slice(text);
                *at_line_start = false;
            }
            Segment::LineEnd => {
                out.extend_from_slice(b"\r\n");
                *at_line_start = true;
            }
        });
    }

    /// Ends the body: a CRLF if the last line is unfinished, then `. CRLF`.
    /// The encoder is ready for a new body afterwards.
    ///
    /// ```
    /// let mut out = Vec::new();
    /// let mut e = mailwire_core::dot::DotEncoder::new();
    /// e.encode(b"no final newline", &mut out);
    /// e.finish(&mut out);
    /// assert_eq!(out, b"no final newline\r\n.\r\n");
    /// ```
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        if !self.at_line_start {
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b".\r\n");
        *self = Self::new();
    }

    /// Encodes a whole body, terminator included.
    ///
    /// ```
    /// let wire = mailwire_core::dot::DotEncoder::encode_all(b"\r\n.\r\n");
    /// assert_eq!(wire, b"\r\n..\r\n.\r\n");
    /// ```
    pub fn encode_all(body: &[u8]) -> Vec<u8> {
        let mut out =
            Vec::with_capacity(body.len().saturating_add(body.len() / 32).saturating_add(5));
        let mut encoder = Self::new();
        encoder.encode(body, &mut out);
        encoder.finish(&mut out);
        out
    }
}
