//! Incremental CRLF line framing.
//!
//! Every text protocol here (SMTP commands and replies, POP3, IMAP before
//! literals) is line based: a line ends with CRLF ([RFC 5321 §2.3.8], [RFC
//! 1939 §3], [RFC 9051 §2.2]). [`LineFramer`] turns bytes that arrive in
//! arbitrary pieces into those lines:
//!
//! - **Chunking never changes the result.** Feeding `"EHLO a\r\n"` whole or
//!   one byte at a time yields the same lines and the same errors at the same
//!   offsets.
//! - **Linear time.** Bytes already scanned are never scanned again, however
//!   the input is split; the scan uses `memchr`.
//! - **Bounded memory.** A line longer than [`LineConfig::max_line_length`]
//!   is discarded as it arrives and reported once its end is seen, with its
//!   full length ([`LineError::TooLong`]); the next line is then framed
//!   normally, so a server can answer `500 5.5.6` and go on.
//! - **Strict by default.** A bare LF or a bare CR is an error unless the
//!   [`BareLineEnding`] policy accepts it as a line end. A bare LF always ends
//!   the line it is in (as an error under [`BareLineEnding::Reject`]), so
//!   framing resynchronises at once.
//!
//! [RFC 5321 §2.3.8]: https://www.rfc-editor.org/rfc/rfc5321#section-2.3.8
//! [RFC 1939 §3]: https://www.rfc-editor.org/rfc/rfc1939#section-3
//! [RFC 9051 §2.2]: https://www.rfc-editor.org/rfc/rfc9051#section-2.2
//!
//! # Example
//!
//! ```
//! use mailwire_core::line::{LineConfig, LineError, LineFramer};
//!
//! let mut framer = LineFramer::new(LineConfig::default().with_max_line_length(24));
//! framer.push(b"EHLO client.exa");
//! assert!(framer.next_line().is_none()); // incomplete is not an error
//! framer.push(b"mple\r\nMAIL FROM:<a-very-long-address@example.org>\r\nQUIT\r\n");
//!
//! let line = framer.next_line().unwrap().unwrap();
//! assert_eq!(line.bytes(), b"EHLO client.example");
//! assert_eq!(line.offset(), 0);
//!
//! // Too long for the limit: reported with its length, then skipped.
//! assert_eq!(
//!     framer.next_line().unwrap().unwrap_err(),
//!     LineError::TooLong { offset: 21, length: 45, limit: 24 },
//! );
//! assert_eq!(framer.next_line().unwrap().unwrap().bytes(), b"QUIT");
//! assert!(framer.next_line().is_none());
//! ```

use crate::error::Offset;

/// How a line ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LineEnding {
    /// `CR LF`, the only line ending the mail protocols define.
    Crlf,
    /// A bare `LF`, accepted by [`BareLineEnding::LineEnd`].
    Lf,
    /// A bare `CR`, accepted by [`BareLineEnding::LineEnd`].
    Cr,
}

impl LineEnding {
    /// The number of bytes the line ending takes.
    ///
    /// ```
    /// use mailwire_core::line::LineEnding;
    /// assert_eq!(LineEnding::Crlf.len(), 2);
    /// assert_eq!(LineEnding::Lf.len(), 1);
    /// ```
    #[allow(clippy::len_without_is_empty)]
    pub const fn len(self) -> usize {
        match self {
            LineEnding::Crlf => 2,
            LineEnding::Lf | LineEnding::Cr => 1,
        }
    }
}

/// What to do with a bare LF or a bare CR (one not part of a CRLF pair).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BareLineEnding {
    /// Report the line as an error ([`LineError::BareLf`] /
    /// [`LineError::BareCr`]). The default: RFC 5321 §2.3.8 allows CR and LF
    /// only as a pair.
    #[default]
    Reject,
    /// Accept it as a line ending (the line reports [`LineEnding::Lf`] or
    /// [`LineEnding::Cr`]).
    LineEnd,
}

/// Line framing limits and policies.
///
/// ```
/// use mailwire_core::line::{BareLineEnding, LineConfig};
///
/// let config = LineConfig::default()
///     .with_max_line_length(512)
///     .with_bare_lf(BareLineEnding::LineEnd);
/// assert_eq!(config.max_line_length, 512);
/// assert_eq!(config.bare_cr, BareLineEnding::Reject);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct LineConfig {
    /// The longest line accepted, counting its line ending. Default 1000:
    /// the text-line limit of [RFC 5321 §4.5.3.1.6]; protocol crates choose
    /// their own.
    ///
    /// [RFC 5321 §4.5.3.1.6]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1.6
    pub max_line_length: usize,
    /// Policy for an LF not preceded by CR.
    pub bare_lf: BareLineEnding,
    /// Policy for a CR not followed by LF.
    pub bare_cr: BareLineEnding,
}

impl Default for LineConfig {
    fn default() -> Self {
        Self {
            max_line_length: 1000,
            bare_lf: BareLineEnding::Reject,
            bare_cr: BareLineEnding::Reject,
        }
    }
}

impl LineConfig {
    /// Sets [`max_line_length`](Self::max_line_length) (at least 2, room for
    /// a CRLF).
    ///
    /// ```
    /// let c = mailwire_core::line::LineConfig::default().with_max_line_length(0);
    /// assert_eq!(c.max_line_length, 2);
    /// ```
    #[must_use]
    pub const fn with_max_line_length(mut self, max: usize) -> Self {
        self.max_line_length = if max < 2 { 2 } else { max };
        self
    }

    /// Sets the [`bare_lf`](Self::bare_lf) policy.
    ///
    /// ```
    /// use mailwire_core::line::{BareLineEnding, LineConfig};
    /// let c = LineConfig::default().with_bare_lf(BareLineEnding::LineEnd);
    /// assert_eq!(c.bare_lf, BareLineEnding::LineEnd);
    /// ```
    #[must_use]
    pub const fn with_bare_lf(mut self, policy: BareLineEnding) -> Self {
        self.bare_lf = policy;
        self
    }

    /// Sets the [`bare_cr`](Self::bare_cr) policy.
    ///
    /// ```
    /// use mailwire_core::line::{BareLineEnding, LineConfig};
    /// let c = LineConfig::default().with_bare_cr(BareLineEnding::LineEnd);
    /// assert_eq!(c.bare_cr, BareLineEnding::LineEnd);
    /// ```
    #[must_use]
    pub const fn with_bare_cr(mut self, policy: BareLineEnding) -> Self {
        self.bare_cr = policy;
        self
    }
}

/// A line that could not be framed. The framer has already skipped it: the
/// next call to [`LineFramer::next_line`] returns the following line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum LineError {
    /// The line, counting its line ending, is longer than the limit.
    #[error("line at byte {offset} is {length} bytes long, over the limit of {limit}")]
    TooLong {
        /// Stream offset of the line's first byte.
        offset: Offset,
        /// The line's full length, line ending included.
        length: u64,
        /// The configured [`LineConfig::max_line_length`].
        limit: usize,
    },
    /// The line ends with an LF not preceded by CR.
    #[error("bare LF at byte {offset}")]
    BareLf {
        /// Stream offset of the LF.
        offset: Offset,
    },
    /// The line holds a CR not followed by LF.
    #[error("bare CR at byte {offset}")]
    BareCr {
        /// Stream offset of the first bare CR in the line.
        offset: Offset,
    },
}

impl LineError {
    /// The error's stream offset.
    ///
    /// ```
    /// use mailwire_core::line::LineError;
    /// assert_eq!(LineError::BareLf { offset: 9 }.offset(), 9);
    /// ```
    pub const fn offset(&self) -> Offset {
        match *self {
            LineError::TooLong { offset, .. }
            | LineError::BareLf { offset }
            | LineError::BareCr { offset } => offset,
        }
    }
}

impl From<LineError> for crate::Error {
    fn from(err: LineError) -> Self {
        use crate::error::Found;
        match err {
            LineError::TooLong {
                offset,
                length,
                limit,
            } => crate::Error::LimitExceeded {
                offset,
                what: "line length",
                limit: limit as u64,
                actual: length,
            },
            LineError::BareLf { offset } => crate::Error::Malformed {
                offset,
                expected: "CRLF",
                found: Found::Byte(b'\n'),
            },
            LineError::BareCr { offset } => crate::Error::Malformed {
                offset,
                expected: "CRLF",
                found: Found::Byte(b'\r'),
            },
        }
    }
}

/// A complete line, borrowed from the framer until the next call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    bytes: &'a [u8],
    ending: LineEnding,
    offset: Offset,
}

impl<'a> Line<'a> {
    /// The line's content, without its line ending.
    ///
    /// ```
    /// use mailwire_core::line::{LineConfig, LineFramer};
    /// let mut f = LineFramer::new(LineConfig::default());
    /// f.push(b"NOOP\r\n");
    /// assert_eq!(f.next_line().unwrap().unwrap().bytes(), b"NOOP");
    /// ```
    pub const fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// How the line ended.
    ///
    /// ```
    /// use mailwire_core::line::{LineConfig, LineEnding, LineFramer};
    /// let mut f = LineFramer::new(LineConfig::default());
    /// f.push(b"NOOP\r\n");
    /// assert_eq!(f.next_line().unwrap().unwrap().ending(), LineEnding::Crlf);
    /// ```
    pub const fn ending(&self) -> LineEnding {
        self.ending
    }

    /// Stream offset of the line's first byte.
    ///
    /// ```
    /// use mailwire_core::line::{LineConfig, LineFramer};
    /// let mut f = LineFramer::new(LineConfig::default());
    /// f.push(b"A\r\nB\r\n");
    /// f.next_line();
    /// assert_eq!(f.next_line().unwrap().unwrap().offset(), 3);
    /// ```
    pub const fn offset(&self) -> Offset {
        self.offset
    }
}

/// An incremental line framer; see the [module documentation](self).
#[derive(Debug, Clone)]
pub struct LineFramer {
    config: LineConfig,
    buf: Vec<u8>,
    /// Start of the current (not yet returned) line in `buf`.
    start: usize,
    /// Everything in `buf[start..scan]` is known to hold no line end.
    scan: usize,
    /// Stream offset of `buf[0]`.
    base: Offset,
    /// First bare CR seen in the current line, under `BareLineEnding::Reject`.
    bare_cr: Option<Offset>,
    /// Bytes of the current line already discarded because it is too long.
    discarded: u64,
    /// Stream offset where the line being discarded started.
    discard_start: Offset,
    /// Bytes handed to the scanner so far, to prove linear work in tests.
    scanned: u64,
}

impl LineFramer {
    /// A framer with the given limits and policies.
    ///
    /// ```
    /// use mailwire_core::line::{LineConfig, LineFramer};
    /// let framer = LineFramer::new(LineConfig::default());
    /// assert!(framer.buffered().is_empty());
    /// ```
    pub fn new(config: LineConfig) -> Self {
        Self {
            config,
            buf: Vec::new(),
            start: 0,
            scan: 0,
            base: 0,
            bare_cr: None,
            discarded: 0,
            discard_start: 0,
            scanned: 0,
        }
    }

    /// The configuration in use.
    ///
    /// ```
    /// use mailwire_core::line::{LineConfig, LineFramer};
    /// assert_eq!(LineFramer::new(LineConfig::default()).config().max_line_length, 1000);
    /// ```
    pub const fn config(&self) -> &LineConfig {
        &self.config
    }

    /// Replaces the configuration, for example when a protocol switches
    /// state. Takes effect for lines not yet complete.
    ///
    /// ```
    /// use mailwire_core::line::{LineConfig, LineFramer};
    /// let mut f = LineFramer::new(LineConfig::default());
    /// f.set_config(LineConfig::default().with_max_line_length(80));
    /// assert_eq!(f.config().max_line_length, 80);
    /// ```
    pub fn set_config(&mut self, config: LineConfig) {
        self.config = config;
    }

    /// Appends received bytes. Call [`next_line`](Self::next_line) until it
    /// returns `None` before pushing more, so the buffer stays bounded by one
    /// line plus the pushed chunk.
    ///
    /// ```
    /// use mailwire_core::line::{LineConfig, LineFramer};
    /// let mut f = LineFramer::new(LineConfig::default());
    /// f.push(b"QU");
    /// f.push(b"IT\r\n");
    /// assert_eq!(f.next_line().unwrap().unwrap().bytes(), b"QUIT");
    /// ```
    pub fn push(&mut self, input: &[u8]) {
        self.compact();
        self.buf.extend_from_slice(input);
    }

    /// Stream offset of the next byte [`push`](Self::push) will take.
    ///
    /// ```
    /// use mailwire_core::line::{LineConfig, LineFramer};
    /// let mut f = LineFramer::new(LineConfig::default());
    /// f.push(b"abc");
    /// assert_eq!(f.stream_offset(), 3);
    /// ```
    pub fn stream_offset(&self) -> Offset {
        self.base.saturating_add(self.buf.len() as u64)
    }

    /// Returns the next complete line, an error for a line that cannot be
    /// accepted (already skipped), or `None` when more input is needed.
    ///
    /// ```
    /// use mailwire_core::line::{LineConfig, LineError, LineFramer};
    /// let mut f = LineFramer::new(LineConfig::default());
    /// f.push(b"RSET\nNOOP\r\n");
    /// assert_eq!(f.next_line().unwrap().unwrap_err(), LineError::BareLf { offset: 4 });
    /// assert_eq!(f.next_line().unwrap().unwrap().bytes(), b"NOOP");
    /// ```
    #[allow(clippy::should_implement_trait)]
    #[inline]
    pub fn next_line(&mut self) -> Option<Result<Line<'_>, LineError>> {
        loop {
            let rest = self.buf.get(self.scan..).unwrap_or_default();
            let found = memchr::memchr2(b'\r', b'\n', rest);
            let seen = found.map_or(rest.len(), |at| at.saturating_add(1));
            self.scanned = self.scanned.saturating_add(seen as u64);
            let Some(found) = found else {
                self.scan = self.buf.len();
                self.discard_if_too_long();
                return None;
            };
            // Indices below are within `buf`, whose length fits in `isize`:
            // adding 2 cannot overflow.
            let at = self.scan + found;
            // The common case: a CRLF line within the limit, nothing pending.
            if let Some([b'\r', b'\n']) = self.buf.get(at..at + 2)
                && self.bare_cr.is_none()
                && self.discarded == 0
                && at + 2 - self.start <= self.config.max_line_length
            {
                let start = self.start;
                self.start = at + 2;
                self.scan = at + 2;
                return Some(Ok(Line {
                    bytes: self.buf.get(start..at).unwrap_or_default(),
                    ending: LineEnding::Crlf,
                    offset: self.base.saturating_add(start as u64),
                }));
            }
            let ending = if self.buf.get(at) == Some(&b'\n') {
                LineEnding::Lf
            } else {
                match self.buf.get(at.saturating_add(1)) {
                    Some(b'\n') => LineEnding::Crlf,
                    Some(_) => LineEnding::Cr,
                    None => {
                        // A CR at the end: its LF may be in the next chunk.
                        // Rescanning this single byte keeps the work linear.
                        self.scan = at;
                        self.discard_if_too_long();
                        return None;
                    }
                }
            };
            if ending == LineEnding::Cr && self.config.bare_cr == BareLineEnding::Reject {
                if self.bare_cr.is_none() {
                    self.bare_cr = Some(self.offset_of(at));
                }
                self.scan = at.saturating_add(1);
                continue;
            }
            return Some(self.finish_line(at, ending));
        }
    }

    /// The bytes pushed but not yet returned as lines (the start of an
    /// incomplete line, or data that follows the last line, such as the body
    /// after SMTP `DATA` or an IMAP literal).
    ///
    /// ```
    /// use mailwire_core::line::{LineConfig, LineFramer};
    /// let mut f = LineFramer::new(LineConfig::default());
    /// f.push(b"DATA\r\nSubject: hi\r\n");
    /// f.next_line();
    /// assert_eq!(f.buffered(), b"Subject: hi\r\n");
    /// ```
    pub fn buffered(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }

    /// Drops the first `n` bytes of [`buffered`](Self::buffered) (all of
    /// them if `n` is larger), for example after handing them to a body
    /// decoder.
    ///
    /// ```
    /// use mailwire_core::line::{LineConfig, LineFramer};
    /// let mut f = LineFramer::new(LineConfig::default());
    /// f.push(b"hello\r\nNOOP\r\n");
    /// f.consume(7);
    /// assert_eq!(f.next_line().unwrap().unwrap().offset(), 7);
    /// ```
    pub fn consume(&mut self, n: usize) {
        self.start = self.start.saturating_add(n).min(self.buf.len());
        self.scan = self.scan.max(self.start);
        self.bare_cr = None;
        self.discarded = 0;
    }

    /// Discards everything buffered: the TLS boundary, after which buffered
    /// plaintext must never be parsed. Stream offsets keep counting.
    ///
    /// ```
    /// use mailwire_core::line::{LineConfig, LineFramer};
    /// let mut f = LineFramer::new(LineConfig::default());
    /// f.push(b"STARTTLS\r\nMAIL FROM:<injected@example.org>\r\n");
    /// assert_eq!(f.next_line().unwrap().unwrap().bytes(), b"STARTTLS");
    /// f.clear();
    /// assert!(f.next_line().is_none());
    /// ```
    pub fn clear(&mut self) {
        let len = self.buf.len();
        self.consume(len);
    }

    /// `true` while a line over the limit is being skipped.
    ///
    /// ```
    /// use mailwire_core::line::{LineConfig, LineFramer};
    /// let mut f = LineFramer::new(LineConfig::default().with_max_line_length(4));
    /// f.push(b"abcdefgh");
    /// assert!(f.next_line().is_none());
    /// assert!(f.is_discarding());
    /// ```
    pub const fn is_discarding(&self) -> bool {
        self.discarded > 0
    }

    /// How many bytes the scanner has examined so far. Every byte is
    /// examined once, plus at most one byte per [`push`](Self::push) (a CR at
    /// the end of the buffer whose LF may follow), however the input is
    /// split; the tests hold the framer to that.
    ///
    /// ```
    /// use mailwire_core::line::{LineConfig, LineFramer};
    /// let mut f = LineFramer::new(LineConfig::default());
    /// for byte in b"EHLO example.org\r\n" {
    ///     f.push(&[*byte]);
    ///     while f.next_line().is_some() {}
    /// }
    /// assert!(f.bytes_scanned() <= 18 + 18);
    /// ```
    pub const fn bytes_scanned(&self) -> u64 {
        self.scanned
    }

    fn offset_of(&self, index: usize) -> Offset {
        self.base.saturating_add(index as u64)
    }

    /// Marks the line ending at `at` consumed and builds the result.
    fn finish_line(&mut self, at: usize, ending: LineEnding) -> Result<Line<'_>, LineError> {
        let start = self.start;
        let next = at.saturating_add(ending.len());
        self.start = next;
        self.scan = next;
        let bare_cr = self.bare_cr.take();
        let discarded = std::mem::take(&mut self.discarded);
        let length = discarded.saturating_add((next.saturating_sub(start)) as u64);
        let offset = if discarded > 0 {
            self.discard_start
        } else {
            self.offset_of(start)
        };
        if length > self.config.max_line_length as u64 {
            return Err(LineError::TooLong {
                offset,
                length,
                limit: self.config.max_line_length,
            });
        }
        if ending == LineEnding::Lf && self.config.bare_lf == BareLineEnding::Reject {
            return Err(LineError::BareLf {
                offset: self.offset_of(at),
            });
        }
        if let Some(offset) = bare_cr {
            return Err(LineError::BareCr { offset });
        }
        Ok(Line {
            bytes: self.buf.get(start..at).unwrap_or_default(),
            ending,
            offset,
        })
    }

    /// Drops the scanned part of an over-long incomplete line, keeping only
    /// its count, so memory stays bounded by the limit.
    fn discard_if_too_long(&mut self) {
        let pending = self.scan.saturating_sub(self.start);
        if pending == 0 {
            return;
        }
        if self.discarded == 0 && pending <= self.config.max_line_length {
            return;
        }
        if self.discarded == 0 {
            self.discard_start = self.offset_of(self.start);
        }
        self.discarded = self.discarded.saturating_add(pending as u64);
        self.start = self.scan;
        // A bare CR already recorded no longer matters: the line is too long.
        self.bare_cr = None;
    }

    /// Moves unread bytes to the front of the buffer when that is cheap
    /// relative to the work already done (amortised O(1) per byte).
    fn compact(&mut self) {
        if self.start == 0 {
            return;
        }
        let unread = self.buf.len().saturating_sub(self.start);
        if unread == 0 || self.start >= unread {
            self.buf.copy_within(self.start.., 0);
            self.buf.truncate(unread);
            self.base = self.base.saturating_add(self.start as u64);
            self.scan = self.scan.saturating_sub(self.start);
            self.start = 0;
        }
    }
}
