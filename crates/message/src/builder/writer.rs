//! Streaming output: the message as a sequence of chunks, each part's
//! content read and encoded piece by piece.

use std::collections::VecDeque;
use std::io::{ErrorKind, Read};

use super::encode::{Base64Encoder, QuotedPrintableEncoder};
use super::part::{Encoding, Segment, Source};

/// Input read per chunk: a whole number of base64 lines (57 octets each).
const CHUNK: usize = 57 * 1024;

#[derive(Debug)]
enum Encoder {
    Identity,
    Base64(Base64Encoder),
    QuotedPrintable(QuotedPrintableEncoder),
}

impl Encoder {
    fn new(encoding: Encoding) -> Self {
        match encoding {
            Encoding::Base64 => Self::Base64(Base64Encoder::default()),
            Encoding::QuotedPrintable => Self::QuotedPrintable(QuotedPrintableEncoder::default()),
            _ => Self::Identity,
        }
    }

    fn push(&mut self, input: &[u8], out: &mut Vec<u8>) {
        match self {
            Self::Identity => out.extend_from_slice(input),
            Self::Base64(e) => e.push(input, out),
            Self::QuotedPrintable(e) => e.push(input, out),
        }
    }

    fn finish(&mut self, out: &mut Vec<u8>) {
        match self {
            Self::Identity => {}
            Self::Base64(e) => e.finish(out),
            Self::QuotedPrintable(e) => e.finish(out),
        }
    }
}

/// A part's content being encoded.
struct Current<'a> {
    source: Source<'a>,
    encoder: Encoder,
    offset: usize,
    buffer: Vec<u8>,
}

/// The output of a [`MessageBuilder`](super::MessageBuilder), pulled chunk
/// by chunk; memory stays bounded by the chunk size whatever the size of
/// the parts read from readers.
///
/// ```
/// use mailwire_message::builder::{MessageBuilder, PartBuilder};
///
/// let big = std::io::repeat(b'x').take(1_000_000);
/// # use std::io::Read;
/// let mut chunks = MessageBuilder::new()
///     .attachment(PartBuilder::reader("application/octet-stream", big).attachment("x.bin"))
///     .into_chunks()
///     .unwrap();
/// let (mut total, mut largest) = (0, 0);
/// let mut chunk = Vec::new();
/// while chunks.next_chunk(&mut chunk).unwrap() {
///     total += chunk.len();
///     largest = largest.max(chunk.len());
/// }
/// assert!(total > 1_333_000 && largest < 100_000);
/// ```
pub struct MessageChunks<'a> {
    segments: VecDeque<Segment<'a>>,
    current: Option<Current<'a>>,
}

impl std::fmt::Debug for MessageChunks<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageChunks")
            .field("segments", &self.segments.len())
            .finish_non_exhaustive()
    }
}

impl<'a> MessageChunks<'a> {
    pub(crate) fn new(segments: Vec<Segment<'a>>) -> Self {
        Self {
            segments: segments.into(),
            current: None,
        }
    }

    /// Replaces `out`'s contents with the next chunk; `false` at the end.
    pub fn next_chunk(&mut self, out: &mut Vec<u8>) -> std::io::Result<bool> {
        out.clear();
        loop {
            if let Some(current) = &mut self.current {
                let done = match &mut current.source {
                    Source::Bytes(bytes) => {
                        let end = current.offset.saturating_add(CHUNK).min(bytes.len());
                        let piece = bytes.get(current.offset..end).unwrap_or_default();
                        current.encoder.push(piece, out);
                        current.offset = end;
                        end >= bytes.len()
                    }
                    Source::Reader(reader) => {
                        current.buffer.resize(CHUNK, 0);
                        let mut filled = 0;
                        let mut eof = false;
                        while filled < CHUNK {
                            let target = current.buffer.get_mut(filled..).unwrap_or_default();
                            match reader.read(target) {
                                Ok(0) => {
                                    eof = true;
                                    break;
                                }
                                Ok(n) => filled = filled.saturating_add(n),
                                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                                Err(e) => return Err(e),
                            }
                        }
                        current
                            .encoder
                            .push(current.buffer.get(..filled).unwrap_or_default(), out);
                        eof
                    }
                };
                if done {
                    current.encoder.finish(out);
                    self.current = None;
                }
                if !out.is_empty() {
                    return Ok(true);
                }
                continue;
            }
            match self.segments.pop_front() {
                None => return Ok(false),
                Some(Segment::Ready(bytes)) => {
                    if bytes.is_empty() {
                        continue;
                    }
                    *out = bytes;
                    return Ok(true);
                }
                Some(Segment::Encode(source, encoding)) => {
                    self.current = Some(Current {
                        source,
                        encoder: Encoder::new(encoding),
                        offset: 0,
                        buffer: Vec::new(),
                    });
                }
            }
        }
    }
}

impl Iterator for MessageChunks<'_> {
    type Item = std::io::Result<Vec<u8>>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut out = Vec::new();
        match self.next_chunk(&mut out) {
            Ok(true) => Some(Ok(out)),
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        }
    }
}
