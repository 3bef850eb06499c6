//! The streaming push parser (sans-IO).
//!
//! Feed the message in chunks of any size with [`StreamParser::push`], call
//! [`StreamParser::finish`] after the last one, and after each call drain
//! [`StreamParser::poll_event`] until it returns `None`. Events borrow from
//! the parser and come in input order:
//!
//! ```text
//! message  = part End
//! part     = HeaderField* PartStart body PartEnd      ; Defect events anywhere
//! body     = Body*                                    ; leaf
//!          / Preamble* (Delimiter part)* [Delimiter(close) Epilogue*]  ; multipart
//!          / part                                     ; message/rfc822
//! ```
//!
//! Memory stays bounded by the header limits ([`Limits`]), never by the
//! body size: the parser keeps only what it cannot decide yet (an
//! incomplete header field, at most [`Limits::max_field_size`] bytes, or the
//! start of a possible delimiter line) plus the chunk being drained. The
//! events are the same as those of the whole-buffer [`parse`](crate::parse)
//! however the input is split, except that body bytes may come in more
//! pieces; [`parse_chunks`] shows this by building the same tree.
//!
//! An incomplete header field is scanned again when more bytes arrive, so
//! feeding a long field in tiny chunks costs up to
//! `max_field_size² / chunk size` byte comparisons; bodies are never
//! rescanned.
//!
//! Body chunks can be transfer-decoded on the fly
//! ([`StreamParser::with_decoding`]).
//!
//! ```
//! use mailwire_message::stream::{Event, StreamParser};
//!
//! let mut parser = StreamParser::new(Default::default()).with_decoding(true);
//! let mut text = Vec::new();
//! for chunk in [&b"Subject: hi\r\nContent-Transfer-Encoding: base64\r\n\r\naGVs"[..], b"bG8=\r\n"] {
//!     parser.push(chunk);
//!     while let Some(event) = parser.poll_event() {
//!         if let Event::Body { decoded: Some(bytes), .. } = event {
//!             text.extend_from_slice(bytes);
//!         }
//!     }
//! }
//! parser.finish();
//! while let Some(event) = parser.poll_event() {
//!     if let Event::Body { decoded: Some(bytes), .. } = event {
//!         text.extend_from_slice(bytes);
//!     }
//! }
//! assert_eq!(text, b"hello");
//! ```

use std::borrow::Cow;
use std::collections::VecDeque;

use mailwire_core::error::Offset;

use crate::defect::Defect;
use crate::engine::{BodyKind, Engine, InvalidLineKind, Raw};
use crate::header::Field;
use crate::limits::Limits;
use crate::mime::ContentType;
use crate::transfer::{Decoder, TransferEncoding};
use crate::tree::{Builder, Message, raw_bytes};

/// What the streaming parser found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event<'b> {
    /// A header field of the current part.
    HeaderField(Field<'b>),
    /// A header-section line that is not a field.
    InvalidHeaderLine {
        /// Absolute offset.
        offset: Offset,
        /// The line, line ending included.
        raw: &'b [u8],
        /// Why it is not a field.
        kind: InvalidLineKind,
    },
    /// The header section of a part is complete; its body follows.
    PartStart {
        /// Absolute offset of the part's first byte.
        offset: Offset,
        /// Nesting depth (0: the message itself).
        depth: usize,
        /// The blank line that ended the header section (may be empty).
        separator: &'b [u8],
        /// The content type in force (defaults applied).
        content_type: ContentType<'static>,
        /// The transfer encoding in force.
        transfer_encoding: TransferEncoding,
        /// How the body is parsed.
        body: BodyKind,
    },
    /// A piece of a leaf body.
    Body {
        /// Absolute offset of `raw`.
        offset: Offset,
        /// The raw (transfer-encoded) bytes.
        raw: &'b [u8],
        /// The same bytes transfer-decoded, when decoding is on. At the end
        /// of a part, a last piece may have empty `raw` and the decoder's
        /// remaining bytes.
        decoded: Option<&'b [u8]>,
    },
    /// A piece of a multipart preamble.
    Preamble {
        /// Absolute offset.
        offset: Offset,
        /// The bytes.
        raw: &'b [u8],
    },
    /// A delimiter line, with the line ending before it.
    Delimiter {
        /// Absolute offset.
        offset: Offset,
        /// The bytes.
        raw: &'b [u8],
        /// Whether it is the close delimiter.
        close: bool,
    },
    /// A piece of a multipart epilogue.
    Epilogue {
        /// Absolute offset.
        offset: Offset,
        /// The bytes.
        raw: &'b [u8],
    },
    /// The current part ended.
    PartEnd {
        /// Absolute offset just past the part.
        offset: Offset,
        /// Its depth.
        depth: usize,
    },
    /// A defect.
    Defect(Defect),
    /// The message ended; no more events follow.
    End,
}

#[derive(Debug)]
enum Queued {
    Raw(Raw),
    Tail(Offset),
}

/// A push parser for a message arriving in pieces.
pub struct StreamParser {
    engine: Engine,
    buf: Vec<u8>,
    base: Offset,
    eof: bool,
    decoding: bool,
    decoder: Option<Decoder>,
    decoded: Vec<u8>,
    queue: VecDeque<Queued>,
    starts: Vec<Offset>,
    /// The value of the current part's first `Content-Type` field.
    content_type: Option<Vec<u8>>,
}

impl std::fmt::Debug for StreamParser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamParser")
            .field("buffered", &self.buf.len())
            .field("base", &self.base)
            .field("eof", &self.eof)
            .finish_non_exhaustive()
    }
}

impl StreamParser {
    /// A parser with these limits.
    pub fn new(limits: Limits) -> Self {
        Self {
            engine: Engine::new(limits),
            buf: Vec::new(),
            base: 0,
            eof: false,
            decoding: false,
            decoder: None,
            decoded: Vec::new(),
            queue: VecDeque::new(),
            starts: Vec::new(),
            content_type: None,
        }
    }

    /// Turns transfer decoding of leaf bodies on or off: [`Event::Body`]
    /// then carries `decoded` bytes.
    #[must_use]
    pub fn with_decoding(mut self, on: bool) -> Self {
        self.decoding = on;
        self
    }

    /// Adds input. Poll events until `None` before pushing more to keep
    /// memory bounded.
    pub fn push(&mut self, data: &[u8]) {
        self.compact();
        self.buf.extend_from_slice(data);
    }

    /// Says that no more input will come.
    pub fn finish(&mut self) {
        self.eof = true;
    }

    /// Bytes held that no event has covered yet.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Drops the bytes every delivered event is done with.
    fn compact(&mut self) {
        if !self.queue.is_empty() || !self.engine.is_idle() {
            return;
        }
        let done = usize::try_from(self.engine.position().saturating_sub(self.base)).unwrap_or(0);
        let done = done.min(self.buf.len());
        if done > 0 {
            self.buf.drain(..done);
            self.base = self.base.saturating_add(done as u64);
        }
    }

    fn next_raw(&mut self) -> Option<Queued> {
        if let Some(q) = self.queue.pop_front() {
            return Some(q);
        }
        let raw = self.engine.next(&self.buf, self.base, self.eof)?;
        if let Raw::PartEnd { end } = raw
            && let Some(mut decoder) = self.decoder.take()
        {
            self.decoded.clear();
            let mut defects = Vec::new();
            decoder.finish(&mut self.decoded, &mut defects);
            if !self.decoded.is_empty() {
                self.queue.push_back(Queued::Tail(end));
            }
            self.queue
                .extend(defects.into_iter().map(|d| Queued::Raw(Raw::Defect(d))));
            self.queue.push_back(Queued::Raw(raw));
            return self.queue.pop_front();
        }
        Some(Queued::Raw(raw))
    }

    /// The next event, or `None` when more input (or [`finish`](Self::finish))
    /// is needed, or after [`Event::End`].
    ///
    /// Poll until `None` again after every [`push`](Self::push) and after
    /// [`finish`](Self::finish).
    pub fn poll_event(&mut self) -> Option<Event<'_>> {
        let raw = loop {
            match self.next_raw()? {
                Queued::Tail(offset) => {
                    return Some(Event::Body {
                        offset,
                        raw: &[],
                        decoded: Some(&self.decoded),
                    });
                }
                Queued::Raw(Raw::PartBegin { start, .. }) => {
                    self.starts.push(start);
                    self.content_type = None;
                }
                Queued::Raw(raw) => break raw,
            }
        };
        let data = raw_bytes(&raw, &self.buf, self.base);
        Some(match raw {
            Raw::PartBegin { .. } => return None,
            Raw::Field {
                start, name_len, ..
            } => {
                let field = Field::from_parts(Cow::Borrowed(data), start, name_len);
                if self.content_type.is_none() && field.is("content-type") {
                    self.content_type = Some(field.raw_value().to_vec());
                }
                Event::HeaderField(field)
            }
            Raw::InvalidLine { start, kind, .. } => Event::InvalidHeaderLine {
                offset: start,
                raw: data,
                kind,
            },
            Raw::HeaderEnd {
                start,
                len,
                kind,
                in_digest,
                transfer_encoding,
                ..
            } => {
                let content_type = match self.content_type.take() {
                    Some(value) => ContentType::parse(&value).0.into_owned(),
                    None if in_digest => ContentType::message_rfc822(),
                    None => ContentType::text_plain(),
                };
                if self.decoding && kind == BodyKind::Leaf {
                    self.decoder = Some(Decoder::new(
                        &transfer_encoding,
                        start.saturating_add(len as u64),
                    ));
                }
                Event::PartStart {
                    offset: self.starts.last().copied().unwrap_or(0),
                    depth: self.starts.len().saturating_sub(1),
                    separator: data,
                    content_type,
                    transfer_encoding,
                    body: kind,
                }
            }
            Raw::Body { start, .. } => {
                let decoded = match self.decoder.as_mut() {
                    Some(decoder) => {
                        self.decoded.clear();
                        let mut defects = Vec::new();
                        decoder.push(data, &mut self.decoded, &mut defects);
                        self.queue
                            .extend(defects.into_iter().map(|d| Queued::Raw(Raw::Defect(d))));
                        Some(self.decoded.as_slice())
                    }
                    None => None,
                };
                Event::Body {
                    offset: start,
                    raw: data,
                    decoded,
                }
            }
            Raw::Preamble { start, .. } => Event::Preamble {
                offset: start,
                raw: data,
            },
            Raw::Epilogue { start, .. } => Event::Epilogue {
                offset: start,
                raw: data,
            },
            Raw::Delimiter { start, close, .. } => Event::Delimiter {
                offset: start,
                raw: data,
                close,
            },
            Raw::PartEnd { end } => {
                self.starts.pop();
                Event::PartEnd {
                    offset: end,
                    depth: self.starts.len(),
                }
            }
            Raw::Defect(d) => Event::Defect(d),
            Raw::End => Event::End,
        })
    }

    fn poll_raw_owned(&mut self) -> Option<(Raw, Vec<u8>)> {
        match self.next_raw()? {
            Queued::Tail(_) => self.poll_raw_owned(),
            Queued::Raw(raw) => {
                let data = raw_bytes(&raw, &self.buf, self.base).to_vec();
                Some((raw, data))
            }
        }
    }
}

/// Parses a message given in pieces into an owned tree, with the streaming
/// parser. The result equals [`parse_with`](crate::parse_with) on the
/// concatenated input, however it is split.
///
/// ```
/// let input = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n";
/// let whole = mailwire_message::parse(input);
/// let chunks = input.chunks(3);
/// let streamed = mailwire_message::stream::parse_chunks(chunks, Default::default());
/// assert_eq!(streamed, whole);
/// ```
pub fn parse_chunks<'c>(
    chunks: impl IntoIterator<Item = &'c [u8]>,
    limits: Limits,
) -> Message<'static> {
    let mut parser = StreamParser::new(limits);
    let mut builder = Builder::default();
    for chunk in chunks {
        parser.push(chunk);
        while let Some((raw, data)) = parser.poll_raw_owned() {
            builder.event(raw, Cow::Owned(data));
        }
    }
    parser.finish();
    while let Some((raw, data)) = parser.poll_raw_owned() {
        builder.event(raw, Cow::Owned(data));
    }
    builder.finish()
}
