//! Single-pass framing of commands and responses: lines plus literals.
//!
//! An IMAP command or response is one line, or several lines separated by
//! literals: a line that ends with `{n}`, `{n+}` or `~{n}` is followed by
//! exactly `n` octets and then by the rest of the message ([RFC 9051
//! §4.3]). [`Framer`] sits on `mailwire-core`'s [`LineFramer`] and splits a
//! byte stream into complete messages that the parsers then read whole:
//!
//! - **Single pass.** Line ends are found by the line framer's `memchr`
//!   scan, the literal announcement by looking back over the few bytes at
//!   the end of each line, and literal octets are counted, never scanned.
//!   Chunking never changes the result.
//! - **Literal announcements first.** When a line announces a literal,
//!   [`Framer::next`] returns [`Frame::LiteralAnnounced`] before the octets
//!   arrive, so a server can answer `+` to a synchronising literal or refuse
//!   it ([`Framer::reject_literal`]), and the LITERAL- 4096-octet rule
//!   ([RFC 7888 §5]) is enforced for non-synchronising ones.
//! - **Limits.** Line length, literal size and message size ([`Limits`]);
//!   going over one is [`Error::LimitExceeded`], carrying the tag when the
//!   first line had one. The rest of the offending message is skipped, so
//!   framing goes on with the next message.
//!
//! [RFC 9051 §4.3]: https://www.rfc-editor.org/rfc/rfc9051#section-4.3
//! [RFC 7888 §5]: https://www.rfc-editor.org/rfc/rfc7888#section-5
//!
//! # Example
//!
//! A server framing `LOGIN` with a synchronising literal:
//!
//! ```
//! use mailwire_imap::{Frame, Framer, Limits, LiteralMode};
//!
//! let mut framer = Framer::server(Limits::default());
//! framer.push(b"A001 LOGIN {11}\r\n");
//! let Some(Ok(Frame::LiteralAnnounced(announcement))) = framer.next() else { panic!() };
//! assert_eq!(announcement.length, 11);
//! assert_eq!(announcement.mode, LiteralMode::Sync);
//! assert_eq!(announcement.tag.unwrap().as_str(), "A001");
//! // The server sends "+ Ready" here; the client then sends the octets.
//! assert!(framer.next().is_none());
//! framer.push(b"FRED FOOBAR {7}\r\nfat man\r\n");
//! assert!(matches!(framer.next(), Some(Ok(Frame::LiteralAnnounced(_)))));
//! let Some(Ok(Frame::Message(message))) = framer.next() else { panic!() };
//! assert_eq!(message.bytes(), b"A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n");
//! assert_eq!(message.offset(), 0);
//! assert!(framer.next().is_none());
//! ```

use mailwire_core::error::{Found, Offset};
use mailwire_core::line::{LineConfig, LineError, LineFramer};

use crate::error::Error;
use crate::limits::{LITERAL_MINUS_MAX, Limits, NonSyncLiterals};
use crate::parse::leading_tag;
use crate::types::core::{LiteralMode, Tag};

/// Which side's messages are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    /// Commands, as a server reads them: a synchronising literal's octets
    /// come only after the server's `+`.
    Server,
    /// Responses, as a client reads them: every literal follows at once.
    Client,
}

/// A literal announced at the end of a line, before its octets.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiteralAnnouncement<'a> {
    /// The tag of the message, when its first line starts with one.
    pub tag: Option<Tag<'a>>,
    /// The number of octets announced.
    pub length: u64,
    /// `{n}` or `{n+}`.
    pub mode: LiteralMode,
    /// `~{n}`: a `literal8` (BINARY).
    pub binary: bool,
    /// Stream offset of the literal's first octet.
    pub offset: Offset,
}

/// A complete command or response: its lines (each ending with CRLF) and
/// literals, as they were received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message<'a> {
    bytes: &'a [u8],
    offset: Offset,
}

impl<'a> Message<'a> {
    /// The message's bytes, ending with CRLF.
    pub const fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Stream offset of the message's first byte; add it to the offset of a
    /// parse error ([`Error::offset_by`]) to point into the stream.
    pub const fn offset(&self) -> Offset {
        self.offset
    }

    /// The tag the message starts with, if any.
    pub fn tag(&self) -> Option<Tag<'a>> {
        match crate::parse::core::tag(self.bytes) {
            Ok((rest, tag)) if rest.first() == Some(&b' ') => Some(tag),
            _ => None,
        }
    }
}

/// One step of framing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Frame<'a> {
    /// A line ended with a literal announcement; the octets come next.
    LiteralAnnounced(LiteralAnnouncement<'a>),
    /// A complete message.
    Message(Message<'a>),
    /// Octets of a literal that [`Framer::stream_literal`] asked to stream;
    /// `remaining` octets of it are still to come.
    LiteralData {
        /// The octets.
        data: &'a [u8],
        /// How many octets of the literal follow these.
        remaining: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Line,
    Literal { remaining: u64, streaming: bool },
}

/// The incremental framer; see the [module documentation](self).
#[derive(Debug, Clone)]
pub struct Framer {
    lines: LineFramer,
    limits: Limits,
    role: Role,
    state: State,
    message: Vec<u8>,
    message_offset: Offset,
    /// The current message was refused or failed: frame it, keep nothing.
    discard: bool,
    /// The message was returned by the last call; drop it on the next.
    emitted: bool,
    /// The last announced literal, for [`Framer::reject_literal`].
    announced: Option<LiteralMode>,
    /// Streamed octets returned by the last call; consumed on the next.
    streamed: usize,
}

/// Finds a literal announcement at the end of `line`: `(length, mode,
/// binary)`. A length too large for `u64` is reported as `u64::MAX`.
pub(crate) fn literal_suffix(line: &[u8]) -> Option<(u64, LiteralMode, bool)> {
    let (last, rest) = line.split_last()?;
    if *last != b'}' {
        return None;
    }
    let (mode, rest) = match rest.split_last() {
        Some((b'+', rest)) => (LiteralMode::NonSync, rest),
        _ => (LiteralMode::Sync, rest),
    };
    let digits = rest.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let split = rest.len().saturating_sub(digits);
    let (head, number) = rest.split_at(split);
    let (open, head) = head.split_last()?;
    if *open != b'{' {
        return None;
    }
    let binary = head.last() == Some(&b'~');
    let length = number.iter().try_fold(0u64, |v, d| {
        v.checked_mul(10)?
            .checked_add(u64::from(d.wrapping_sub(b'0')))
    });
    Some((length.unwrap_or(u64::MAX), mode, binary))
}

/// What [`scan_message`] found at the start of a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scanned {
    /// A complete message of this many bytes.
    Complete(usize),
    /// The message is incomplete and the last line seen announces a literal
    /// whose octets are not all there yet: `(length, mode)`. A server
    /// answers `+` to a synchronising literal before more can arrive.
    Literal(u64, LiteralMode),
    /// More input is needed.
    Incomplete,
}

/// Finds the first complete message (lines and literals) at the start of
/// `input`, without copying: the stateless counterpart of [`Framer`] for a
/// buffer that the caller manages, such as httparse's `parse`. Each call
/// scans the message from its start again, so feed it a buffer that grows
/// in large steps (or use [`Framer`], which never rescans).
///
/// ```
/// use mailwire_imap::{Limits, LiteralMode, Scanned, scan_message};
///
/// let limits = Limits::default();
/// assert_eq!(scan_message(b"a NOOP\r\nb NOOP\r\n", &limits), Ok(Scanned::Complete(8)));
/// assert_eq!(scan_message(b"a LOGIN {3}\r\nab", &limits), Ok(Scanned::Literal(3, LiteralMode::Sync)));
/// assert_eq!(scan_message(b"a LOGIN {3}\r\nabc x\r\n", &limits), Ok(Scanned::Complete(20)));
/// assert_eq!(scan_message(b"a NO", &limits), Ok(Scanned::Incomplete));
/// ```
pub fn scan_message(input: &[u8], limits: &Limits) -> Result<Scanned, Error> {
    let mut at = 0usize;
    let tag = || leading_tag(input);
    loop {
        let rest = input.get(at..).unwrap_or_default();
        let Some(lf) = memchr::memchr(b'\n', rest) else {
            if rest.len() >= limits.max_line_length {
                return Err(Error::LimitExceeded {
                    offset: at as u64,
                    what: "line length",
                    limit: limits.max_line_length as u64,
                    actual: rest.len() as u64,
                    tag: tag(),
                });
            }
            return Ok(Scanned::Incomplete);
        };
        let line_len = lf.saturating_add(1);
        if line_len > limits.max_line_length {
            return Err(Error::LimitExceeded {
                offset: at as u64,
                what: "line length",
                limit: limits.max_line_length as u64,
                actual: line_len as u64,
                tag: tag(),
            });
        }
        let Some(line) = rest.get(..lf).and_then(|l| l.strip_suffix(b"\r")) else {
            return Err(Error::Malformed {
                offset: at.saturating_add(lf) as u64,
                expected: "CRLF",
                found: Found::Byte(b'\n'),
                tag: tag(),
            });
        };
        at = at.saturating_add(line_len);
        let Some((length, mode, _)) = literal_suffix(line) else {
            return Ok(Scanned::Complete(at));
        };
        if length > limits.max_literal_size {
            return Err(Error::LimitExceeded {
                offset: 0,
                what: "literal size",
                limit: limits.max_literal_size,
                actual: length,
                tag: tag(),
            });
        }
        let end = (at as u64).saturating_add(length);
        if end > limits.max_message_size {
            return Err(Error::LimitExceeded {
                offset: 0,
                what: "message size",
                limit: limits.max_message_size,
                actual: end,
                tag: tag(),
            });
        }
        if end > input.len() as u64 {
            return Ok(Scanned::Literal(length, mode));
        }
        at = end as usize;
    }
}

impl Framer {
    /// A framer for commands, as a server receives them.
    ///
    /// ```
    /// let framer = mailwire_imap::Framer::server(mailwire_imap::Limits::default());
    /// assert_eq!(framer.limits().max_line_length, 65_536);
    /// ```
    pub fn server(limits: Limits) -> Self {
        Self::new(limits, Role::Server)
    }

    /// A framer for responses, as a client receives them: literals follow
    /// their announcement at once.
    ///
    /// ```
    /// use mailwire_imap::{Frame, Framer, Limits};
    /// let mut framer = Framer::client(Limits::default());
    /// framer.push(b"* 1 FETCH (BODY[] {2}\r\nhi)\r\n");
    /// assert!(matches!(framer.next(), Some(Ok(Frame::LiteralAnnounced(_)))));
    /// assert!(matches!(framer.next(), Some(Ok(Frame::Message(_)))));
    /// ```
    pub fn client(limits: Limits) -> Self {
        Self::new(limits, Role::Client)
    }

    fn new(limits: Limits, role: Role) -> Self {
        Self {
            lines: LineFramer::new(
                LineConfig::default().with_max_line_length(limits.max_line_length),
            ),
            limits,
            role,
            state: State::Line,
            message: Vec::new(),
            message_offset: 0,
            discard: false,
            emitted: false,
            announced: None,
            streamed: 0,
        }
    }

    /// The limits in use.
    pub const fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Replaces the limits (for example after `ENABLE IMAP4rev2` or when
    /// LITERAL+ is offered); takes effect for lines not yet complete.
    ///
    /// ```
    /// use mailwire_imap::{Framer, Limits, NonSyncLiterals};
    /// let mut framer = Framer::server(Limits::default());
    /// framer.set_limits(Limits::default().with_non_sync_literals(NonSyncLiterals::Plus));
    /// assert_eq!(framer.limits().non_sync_literals, NonSyncLiterals::Plus);
    /// ```
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
        self.lines.set_config(
            self.lines
                .config()
                .with_max_line_length(limits.max_line_length),
        );
    }

    /// Appends received bytes. Call [`next`](Self::next) until it returns
    /// `None` before pushing more, so the buffer stays bounded.
    pub fn push(&mut self, input: &[u8]) {
        self.lines.push(input);
    }

    /// Stream offset of the next byte [`push`](Self::push) will take.
    pub fn stream_offset(&self) -> Offset {
        self.lines.stream_offset()
    }

    /// Whether a message is partly framed (lines or literal octets of an
    /// incomplete message are held).
    pub fn is_mid_message(&self) -> bool {
        (!self.emitted && (!self.message.is_empty() || self.discard))
            || matches!(self.state, State::Literal { .. })
    }

    /// Discards everything buffered (the TLS boundary); stream offsets go on.
    ///
    /// ```
    /// use mailwire_imap::{Framer, Limits};
    /// let mut framer = Framer::server(Limits::default());
    /// framer.push(b"a STARTTLS\r\nb LOGIN x y\r\n");
    /// assert!(framer.next().is_some());
    /// framer.clear();
    /// assert!(framer.next().is_none());
    /// ```
    pub fn clear(&mut self) {
        self.lines.clear();
        self.reset();
    }

    fn reset(&mut self) {
        self.message.clear();
        self.state = State::Line;
        self.discard = false;
        self.emitted = false;
        self.announced = None;
        self.streamed = 0;
    }

    /// Refuses the literal just announced ([`Frame::LiteralAnnounced`]): a
    /// server answers `tag NO`/`BAD` instead of `+`.
    ///
    /// Call it before the next call to [`next`](Self::next); later it does
    /// nothing. For a synchronising literal on a server, the client sends
    /// nothing more of this message, so it is dropped. Otherwise the octets (and the
    /// rest of the message) still arrive and are skipped without being kept.
    ///
    /// ```
    /// use mailwire_imap::{Frame, Framer, Limits};
    /// let mut framer = Framer::server(Limits::default());
    /// framer.push(b"a APPEND INBOX {99999}\r\n");
    /// assert!(matches!(framer.next(), Some(Ok(Frame::LiteralAnnounced(_)))));
    /// framer.reject_literal();
    /// framer.push(b"b NOOP\r\n");
    /// let Some(Ok(Frame::Message(m))) = framer.next() else { panic!() };
    /// assert_eq!(m.bytes(), b"b NOOP\r\n");
    /// ```
    pub fn reject_literal(&mut self) {
        let Some(mode) = self.announced.take() else {
            return;
        };
        self.abandon(mode);
    }

    /// Streams the literal just announced ([`Frame::LiteralAnnounced`])
    /// instead of keeping it in the message: its octets come as
    /// [`Frame::LiteralData`] chunks, as they arrive, so that a 100 MB
    /// `BODY[]` or APPEND needs no 100 MB buffer. In the message the
    /// literal then appears empty (`{0}`, or `~{0}`), so that the message
    /// still parses. The limits were checked when the literal was
    /// announced: raise [`Limits::max_literal_size`] and
    /// [`Limits::max_message_size`] for the literals a session streams; the
    /// octets themselves are never buffered.
    ///
    /// Call it before the next call to [`next`](Self::next); later it does
    /// nothing.
    ///
    /// ```
    /// use mailwire_imap::{Frame, Framer, Limits};
    ///
    /// let mut framer = Framer::client(Limits::default());
    /// framer.push(b"* 1 FETCH (BODY[] {11}\r\nHello");
    /// assert!(matches!(framer.next(), Some(Ok(Frame::LiteralAnnounced(_)))));
    /// framer.stream_literal();
    /// assert_eq!(framer.next(), Some(Ok(Frame::LiteralData { data: b"Hello", remaining: 6 })));
    /// assert_eq!(framer.next(), None);
    /// framer.push(b" world)\r\n");
    /// assert_eq!(framer.next(), Some(Ok(Frame::LiteralData { data: b" world", remaining: 0 })));
    /// let Some(Ok(Frame::Message(m))) = framer.next() else { panic!() };
    /// assert_eq!(m.bytes(), b"* 1 FETCH (BODY[] {0}\r\n)\r\n");
    /// ```
    pub fn stream_literal(&mut self) {
        if self.announced.take().is_none() {
            return;
        }
        let State::Literal { remaining, .. } = self.state else {
            return;
        };
        // The message ends with `{n}\r\n` or `{n+}\r\n`: make it `{0}`.
        let end = self.message.len().saturating_sub(2);
        let head = self.message.get(..end).unwrap_or_default();
        if let Some(open) = head.iter().rposition(|b| *b == b'{') {
            let plus = head.last() == Some(&b'+');
            self.message.truncate(open.saturating_add(1));
            self.message
                .extend_from_slice(if plus { b"0+}\r\n" } else { b"0}\r\n" });
        }
        self.state = State::Literal {
            remaining,
            streaming: true,
        };
    }

    /// Stops keeping the current message after its literal announcement.
    fn abandon(&mut self, mode: LiteralMode) {
        if self.role == Role::Server && mode == LiteralMode::Sync {
            self.reset();
        } else {
            self.message.clear();
            self.discard = true;
        }
    }

    fn tag(&self) -> Option<Tag<'static>> {
        leading_tag(&self.message)
    }

    /// Returns the next literal announcement or complete message, an error
    /// for a message that cannot be accepted (already skipped), or `None`
    /// when more input is needed.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Result<Frame<'_>, Error>> {
        if self.emitted {
            self.message.clear();
            self.emitted = false;
        }
        self.announced = None;
        if self.streamed > 0 {
            self.lines.consume(self.streamed);
            self.streamed = 0;
        }
        loop {
            if let State::Literal {
                remaining,
                streaming,
            } = self.state
            {
                let buffered = self.lines.buffered();
                let n = usize::try_from(remaining)
                    .unwrap_or(usize::MAX)
                    .min(buffered.len());
                if streaming && !self.discard {
                    if n == 0 {
                        return None;
                    }
                    let remaining = remaining.saturating_sub(n as u64);
                    self.state = if remaining > 0 {
                        State::Literal {
                            remaining,
                            streaming,
                        }
                    } else {
                        State::Line
                    };
                    self.streamed = n;
                    return Some(Ok(Frame::LiteralData {
                        data: self.lines.buffered().get(..n).unwrap_or_default(),
                        remaining,
                    }));
                }
                if !self.discard {
                    self.message
                        .extend_from_slice(buffered.get(..n).unwrap_or_default());
                }
                self.lines.consume(n);
                let remaining = remaining.saturating_sub(n as u64);
                if remaining > 0 {
                    self.state = State::Literal {
                        remaining,
                        streaming,
                    };
                    return None;
                }
                self.state = State::Line;
            }
            let line = match self.lines.next_line()? {
                Ok(line) => line,
                Err(err) => {
                    let tag = if self.discard {
                        None
                    } else {
                        leading_tag(&self.message)
                    };
                    let was_discarding = self.discard;
                    self.reset();
                    if was_discarding {
                        continue;
                    }
                    return Some(Err(line_error(err, tag)));
                }
            };
            let bytes = line.bytes();
            let literal_offset = line.offset().saturating_add(bytes.len() as u64 + 2);
            if self.message.is_empty() && !self.discard {
                self.message_offset = line.offset();
            }
            let suffix = literal_suffix(bytes);
            let mut error = None;
            if !self.discard {
                let size = (self.message.len() as u64).saturating_add(bytes.len() as u64 + 2);
                self.message.extend_from_slice(bytes);
                self.message.extend_from_slice(b"\r\n");
                if size > self.limits.max_message_size {
                    error =
                        Some(self.limit_error("message size", self.limits.max_message_size, size));
                }
            }
            let Some((length, mode, binary)) = suffix else {
                // The message is complete.
                if let Some(error) = error {
                    self.reset();
                    return Some(Err(error));
                }
                if self.discard {
                    self.reset();
                    continue;
                }
                self.emitted = true;
                return Some(Ok(Frame::Message(Message {
                    bytes: &self.message,
                    offset: self.message_offset,
                })));
            };
            self.state = State::Literal {
                remaining: length,
                streaming: false,
            };
            if error.is_none() && !self.discard {
                error = self.check_literal(length, mode);
            }
            if let Some(error) = error {
                self.abandon(mode);
                return Some(Err(error));
            }
            if self.discard {
                if self.role == Role::Server && mode == LiteralMode::Sync {
                    // Nobody sends a `+`, so no octets follow.
                    self.reset();
                }
                continue;
            }
            self.announced = Some(mode);
            let tag = match crate::parse::core::tag(&self.message) {
                Ok((rest, tag)) if rest.first() == Some(&b' ') => Some(tag),
                _ => None,
            };
            return Some(Ok(Frame::LiteralAnnounced(LiteralAnnouncement {
                tag,
                length,
                mode,
                binary,
                offset: literal_offset,
            })));
        }
    }

    fn limit_error(&self, what: &'static str, limit: u64, actual: u64) -> Error {
        Error::LimitExceeded {
            offset: self.message_offset,
            what,
            limit,
            actual,
            tag: self.tag(),
        }
    }

    /// Applies the literal limits to an announcement.
    fn check_literal(&self, length: u64, mode: LiteralMode) -> Option<Error> {
        if length > self.limits.max_literal_size {
            return Some(self.limit_error("literal size", self.limits.max_literal_size, length));
        }
        let total = (self.message.len() as u64).saturating_add(length);
        if total > self.limits.max_message_size {
            return Some(self.limit_error("message size", self.limits.max_message_size, total));
        }
        if self.role == Role::Server && mode == LiteralMode::NonSync {
            match self.limits.non_sync_literals {
                NonSyncLiterals::Plus => {}
                NonSyncLiterals::Minus if length <= LITERAL_MINUS_MAX => {}
                NonSyncLiterals::Minus => {
                    return Some(self.limit_error(
                        "non-synchronizing literal (LITERAL-)",
                        LITERAL_MINUS_MAX,
                        length,
                    ));
                }
                NonSyncLiterals::Refuse => {
                    return Some(self.limit_error("non-synchronizing literal", 0, length));
                }
            }
        }
        None
    }
}

fn line_error(err: LineError, tag: Option<Tag<'static>>) -> Error {
    match err {
        LineError::TooLong {
            offset,
            length,
            limit,
        } => Error::LimitExceeded {
            offset,
            what: "line length",
            limit: limit as u64,
            actual: length,
            tag,
        },
        LineError::BareLf { offset } => Error::Malformed {
            offset,
            expected: "CRLF",
            found: Found::Byte(b'\n'),
            tag,
        },
        LineError::BareCr { offset } => Error::Malformed {
            offset,
            expected: "CRLF",
            found: Found::Byte(b'\r'),
            tag,
        },
        _ => Error::Malformed {
            offset: err.offset(),
            expected: "CRLF",
            found: Found::EndOfInput,
            tag,
        },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    #[test]
    fn suffixes() {
        assert_eq!(
            literal_suffix(b"a {5}"),
            Some((5, LiteralMode::Sync, false))
        );
        assert_eq!(
            literal_suffix(b"a {5+}"),
            Some((5, LiteralMode::NonSync, false))
        );
        assert_eq!(
            literal_suffix(b"a ~{0}"),
            Some((0, LiteralMode::Sync, true))
        );
        assert_eq!(literal_suffix(b"{}"), None);
        assert_eq!(literal_suffix(b"a 5}"), None);
        assert_eq!(literal_suffix(b"}"), None);
        assert_eq!(
            literal_suffix(b"{99999999999999999999999}"),
            Some((u64::MAX, LiteralMode::Sync, false))
        );
    }

    #[test]
    fn literal_minus_rule() {
        let mut f = Framer::server(Limits::default());
        f.push(b"a APPEND x {4097+}\r\n");
        let err = f.next().unwrap().unwrap_err();
        assert_eq!(
            err,
            Error::LimitExceeded {
                offset: 0,
                what: "non-synchronizing literal (LITERAL-)",
                limit: 4096,
                actual: 4097,
                tag: Some(Tag::try_from("a").unwrap().into_static()),
            }
        );
        // The octets still arrive and are skipped, then the rest of the line.
        f.push(&vec![b'x'; 4097]);
        f.push(b" more\r\nb NOOP\r\n");
        let Some(Ok(Frame::Message(m))) = f.next() else {
            panic!()
        };
        assert_eq!(m.bytes(), b"b NOOP\r\n");
    }
}
