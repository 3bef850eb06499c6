//! The parsing machine shared by [`parse`](crate::parse) and
//! [`StreamParser`](crate::stream::StreamParser).
//!
//! It works on a window of the input (the bytes not yet consumed, or the
//! whole message) and produces [`Raw`] events that carry absolute byte
//! ranges, never data. The whole-buffer parser gives it the complete input at
//! once; the streaming parser gives it what has arrived so far. Because both
//! run the same machine, and the machine only decides something once the
//! bytes that decide it are in the window, both produce the same events
//! except for how body bytes are cut into chunks.
//!
//! States of one entity (RFC 2045 §2.4 "entity"):
//!
//! ```text
//!            field / invalid line
//!              +-----+
//!              v     |
//!  PartBegin -> Headers --blank line, EOF, non-field line, delimiter--> HeaderEnd
//!                                                                         |
//!         +---------------------------+-------------------------------+---+
//!         v                           v                               v
//!       Leaf: Body*           Multipart: Preamble*                Message:
//!         |                   (Delimiter PartBegin ... PartEnd)*   PartBegin ... PartEnd
//!         |                   [Delimiter(close) Epilogue*]            |
//!         +---------------------------+-------------------------------+
//!                                     v
//!                      PartEnd (at a delimiter of an enclosing multipart or EOF)
//! ```

use std::collections::VecDeque;

use mailwire_core::error::Offset;

use crate::defect::{Defect, DefectKind, LimitKind};
use crate::lexical::Cursor;
use crate::limits::Limits;
use crate::mime::ContentType;
use crate::mime::multipart::{Delimiter, match_delimiter};
use crate::parameter::is_token;
use crate::transfer::TransferEncoding;

/// Finds `LF "--"`: where a delimiter line may start. Built once: building
/// a searcher costs more than parsing a small message.
static DELIMITER_START: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\n--"));

/// Longest run of transport padding accepted after a boundary.
const MAX_PADDING: usize = 1024;

/// What a part's body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyKind {
    /// A body that is not parsed further (`text/*`, `image/*`, …, or
    /// anything kept opaque because of a defect or a limit).
    Leaf,
    /// A `multipart/*` body (RFC 2046 §5.1).
    Multipart,
    /// A `message/rfc822` or `message/global` body: a nested message (RFC
    /// 2046 §5.2.1).
    Message,
}

/// Why a header-section line is not a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InvalidLineKind {
    /// The mbox `From ` envelope line before a top-level message (RFC 4155).
    Envelope,
    /// A `From ` line later in a header section.
    MisplacedEnvelope,
    /// A continuation line with no field before it.
    OrphanContinuation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Raw {
    PartBegin {
        start: Offset,
        depth: usize,
    },
    Field {
        start: Offset,
        len: usize,
        name_len: usize,
    },
    InvalidLine {
        start: Offset,
        len: usize,
        kind: InvalidLineKind,
    },
    HeaderEnd {
        start: Offset,
        len: usize,
        kind: BodyKind,
        in_digest: bool,
        text: bool,
        transfer_encoding: TransferEncoding,
    },
    Body {
        start: Offset,
        len: usize,
    },
    Preamble {
        start: Offset,
        len: usize,
    },
    Delimiter {
        start: Offset,
        len: usize,
        close: bool,
    },
    Epilogue {
        start: Offset,
        len: usize,
    },
    PartEnd {
        end: Offset,
    },
    Defect(Defect),
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MultipartState {
    Preamble,
    Parts,
    Epilogue,
    /// Too many parts: the boundary is no longer looked for.
    Saturated,
}

#[derive(Debug)]
enum Kind {
    Headers,
    Leaf,
    Multipart {
        boundary: Vec<u8>,
        state: MultipartState,
        digest: bool,
    },
    Message,
}

#[derive(Debug)]
struct Entity {
    kind: Kind,
    /// Whether `PartBegin` was emitted: a body part begins at its first
    /// line that is not a repeated delimiter.
    begun: bool,
    depth: usize,
    fields: usize,
    first_line: bool,
    in_digest: bool,
    content_type: Option<TypeInfo>,
    transfer_encoding: Option<(TransferEncoding, Offset)>,
}

impl Entity {
    fn new(depth: usize, in_digest: bool) -> Self {
        Self {
            kind: Kind::Headers,
            begun: true,
            depth,
            fields: 0,
            first_line: true,
            in_digest,
            content_type: None,
            transfer_encoding: None,
        }
    }

    fn active_boundary(&self) -> Option<&[u8]> {
        match &self.kind {
            Kind::Multipart {
                boundary,
                state: MultipartState::Preamble | MultipartState::Parts,
                ..
            } => Some(boundary),
            _ => None,
        }
    }
}

enum LineMatch {
    Delimiter { index: usize, close: bool },
    NotDelimiter,
    NeedMore,
}

/// The end of the line starting at `start`: (content end, line end).
fn line_end(w: &[u8], start: usize) -> Option<(usize, usize)> {
    let rest = w.get(start..)?;
    let lf = memchr::memchr(b'\n', rest)?;
    let content_end = if lf > 0 && rest.get(lf - 1) == Some(&b'\r') {
        lf - 1
    } else {
        lf
    };
    Some((start + content_end, start + lf + 1))
}

pub(crate) struct Engine {
    limits: Limits,
    pos: Offset,
    stack: Vec<Entity>,
    pending: VecDeque<Raw>,
    parts: usize,
    at_line_start: bool,
    started: bool,
    finished: bool,
}

enum Step {
    Progress,
    NeedMore,
}

impl Engine {
    pub(crate) fn new(limits: Limits) -> Self {
        Self {
            limits,
            pos: 0,
            stack: Vec::new(),
            pending: VecDeque::new(),
            parts: 1,
            at_line_start: true,
            started: false,
            finished: false,
        }
    }

    /// The absolute offset of the first byte not consumed yet.
    pub(crate) fn position(&self) -> Offset {
        self.pos
    }

    /// Whether no event is waiting to be returned.
    pub(crate) fn is_idle(&self) -> bool {
        self.pending.is_empty()
    }

    /// Returns the next event. `window` holds the input from absolute offset
    /// `base`, which is at most the engine's position; `eof` says no more
    /// input will come. `None` means more input is needed (or the end was
    /// reported).
    pub(crate) fn next(&mut self, window: &[u8], base: Offset, eof: bool) -> Option<Raw> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some(event);
            }
            if self.finished {
                return None;
            }
            if !self.started {
                self.started = true;
                self.stack.push(Entity::new(0, false));
                return Some(Raw::PartBegin { start: 0, depth: 0 });
            }
            let rel = usize::try_from(self.pos.saturating_sub(base)).unwrap_or(usize::MAX);
            let w = window;
            if rel > w.len() {
                return None;
            }
            match self.step(w, rel, eof) {
                Step::Progress => {}
                Step::NeedMore => return None,
            }
        }
    }

    fn defect(&mut self, kind: DefectKind, offset: Offset) {
        self.pending
            .push_back(Raw::Defect(Defect::new(kind, offset)));
    }

    fn step(&mut self, w: &[u8], rel: usize, eof: bool) -> Step {
        let in_headers = matches!(self.stack.last().map(|e| &e.kind), Some(Kind::Headers));
        if in_headers {
            self.step_headers(w, rel, eof)
        } else {
            self.step_body(w, rel, eof)
        }
    }

    fn has_active_boundary(&self) -> bool {
        self.stack.iter().any(|e| e.active_boundary().is_some())
    }

    /// Classifies the line starting at `start` as a delimiter line or not.
    fn match_line(&self, w: &[u8], start: usize, eof: bool) -> LineMatch {
        let Some(rest) = w.get(start..) else {
            return LineMatch::NeedMore;
        };
        if rest.len() < 2 && !eof {
            return if b"--".starts_with(rest) {
                LineMatch::NeedMore
            } else {
                LineMatch::NotDelimiter
            };
        }
        if !rest.starts_with(b"--") {
            return LineMatch::NotDelimiter;
        }
        let (content, complete) = match line_end(w, start) {
            Some((content_end, _)) => (w.get(start..content_end).unwrap_or_default(), true),
            None => {
                let mut c = rest;
                if eof {
                    (c, true)
                } else {
                    if let Some(stripped) = c.strip_suffix(b"\r") {
                        c = stripped;
                    }
                    (c, false)
                }
            }
        };
        // The multiparts whose parts are being read come first, innermost
        // first; a multipart still in its preamble checks its own boundary
        // last, so an enclosing multipart that uses the same boundary keeps
        // it (as Python's `email` does).
        let in_parts = |e: &&Entity| {
            matches!(
                e.kind,
                Kind::Multipart {
                    state: MultipartState::Parts,
                    ..
                }
            )
        };
        let parts_first = self
            .stack
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, e)| in_parts(e));
        let preamble_last = self
            .stack
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, e)| !in_parts(e));
        for (index, entity) in parts_first.chain(preamble_last) {
            let Some(boundary) = entity.active_boundary() else {
                continue;
            };
            if content.len() > boundary.len().saturating_add(4 + MAX_PADDING) {
                continue;
            }
            if complete {
                match match_delimiter(content, boundary) {
                    Some(kind) => {
                        return LineMatch::Delimiter {
                            index,
                            close: kind == Delimiter::Close,
                        };
                    }
                    None => continue,
                }
            }
            // Incomplete: could the line still become a delimiter of this
            // boundary?
            let dash_len = boundary.len() + 2;
            if content.len() < dash_len {
                let prefix_ok =
                    content.get(2..).is_some_and(|c| boundary.starts_with(c)) || content.len() <= 2;
                if prefix_ok {
                    return LineMatch::NeedMore;
                }
                continue;
            }
            if match_delimiter(content.get(..dash_len).unwrap_or_default(), boundary).is_none() {
                continue;
            }
            let tail = content.get(dash_len..).unwrap_or_default();
            let tail = if tail == b"-" {
                return LineMatch::NeedMore;
            } else {
                tail.strip_prefix(b"--").unwrap_or(tail)
            };
            if tail.iter().all(|&b| b == b' ' || b == b'\t') {
                return LineMatch::NeedMore;
            }
        }
        LineMatch::NotDelimiter
    }

    fn end_headers(&mut self, start: Offset, len: usize, opaque: bool) {
        let Some(entity) = self.stack.last_mut() else {
            return;
        };
        let body_start = start.saturating_add(len as u64);
        let in_digest = entity.in_digest;
        let ct = entity
            .content_type
            .take()
            .unwrap_or_else(|| TypeInfo::default(start, in_digest));
        let ct_offset = ct.offset;
        let cte = entity.transfer_encoding.clone();
        let depth = entity.depth;
        let mut defects = Vec::new();
        let mut kind = Kind::Leaf;
        let mut body = BodyKind::Leaf;
        let mut child = None;
        if !opaque && (ct.multipart || ct.message) {
            let composite_cte_ok = cte.as_ref().is_none_or(|(t, _)| t.is_identity());
            if depth >= self.limits.max_depth {
                defects.push(Defect::new(
                    DefectKind::LimitExceeded(LimitKind::Depth),
                    ct_offset,
                ));
            } else if ct.multipart {
                if !composite_cte_ok {
                    let at = cte.as_ref().map_or(ct_offset, |(_, o)| *o);
                    defects.push(Defect::new(
                        DefectKind::InvalidCompositeTransferEncoding,
                        at,
                    ));
                }
                match ct.boundary {
                    Some(boundary) => {
                        kind = Kind::Multipart {
                            boundary,
                            state: MultipartState::Preamble,
                            digest: ct.digest,
                        };
                        body = BodyKind::Multipart;
                    }
                    None => defects.push(Defect::new(DefectKind::NoBoundaryInMultipart, ct_offset)),
                }
            } else if !composite_cte_ok {
                let at = cte.as_ref().map_or(ct_offset, |(_, o)| *o);
                defects.push(Defect::new(
                    DefectKind::InvalidCompositeTransferEncoding,
                    at,
                ));
            } else if self.parts >= self.limits.max_parts {
                defects.push(Defect::new(
                    DefectKind::LimitExceeded(LimitKind::Parts),
                    body_start,
                ));
            } else {
                kind = Kind::Message;
                body = BodyKind::Message;
                child = Some(depth + 1);
            }
        }
        entity.kind = kind;
        for d in defects {
            self.pending.push_back(Raw::Defect(d));
        }
        let transfer_encoding = cte.map(|(t, _)| t).unwrap_or_default();
        self.pending.push_back(Raw::HeaderEnd {
            start,
            len,
            kind: body,
            in_digest,
            text: ct.text,
            transfer_encoding,
        });
        self.pos = body_start;
        self.at_line_start = true;
        if let Some(depth) = child {
            self.parts += 1;
            self.stack.push(Entity::new(depth, false));
            self.pending.push_back(Raw::PartBegin {
                start: body_start,
                depth,
            });
        }
    }

    /// Ends the header section early because of a limit: the rest of the
    /// entity is an opaque body.
    fn limit_in_headers(&mut self, kind: LimitKind) {
        self.defect(DefectKind::LimitExceeded(kind), self.pos);
        self.end_headers(self.pos, 0, true);
    }

    /// Before a body part begins: consecutive delimiter lines of the
    /// enclosing multipart make no empty parts (RFC 2046 §5.1.1 gives them
    /// no meaning; Python's `email` skips them too). They are kept with the
    /// delimiter before the part.
    fn begin_part(&mut self, w: &[u8], rel: usize, eof: bool) -> Step {
        let rest = w.get(rel..).unwrap_or_default();
        if rest.is_empty() && !eof {
            return Step::NeedMore;
        }
        let parent = self.stack.len().saturating_sub(2);
        match self.match_line(w, rel, eof) {
            LineMatch::Delimiter {
                index,
                close: false,
            } if index == parent => {
                let len = line_end(w, rel).map_or(rest.len(), |(_, e)| e - rel);
                self.pending.push_back(Raw::Delimiter {
                    start: self.pos,
                    len,
                    close: false,
                });
                self.pos = self.pos.saturating_add(len as u64);
                return Step::Progress;
            }
            LineMatch::NeedMore if !eof => return Step::NeedMore,
            _ => {}
        }
        let depth = self.stack.last().map_or(0, |e| e.depth);
        if let Some(e) = self.stack.last_mut() {
            e.begun = true;
        }
        self.pending.push_back(Raw::PartBegin {
            start: self.pos,
            depth,
        });
        Step::Progress
    }

    fn step_headers(&mut self, w: &[u8], rel: usize, eof: bool) -> Step {
        if self.stack.last().is_some_and(|e| !e.begun) {
            return self.begin_part(w, rel, eof);
        }
        let max = self.limits.max_field_size;
        let rest = w.get(rel..).unwrap_or_default();
        if rest.is_empty() {
            if !eof {
                return Step::NeedMore;
            }
            self.end_headers(self.pos, 0, false);
            return Step::Progress;
        }
        // Blank line: the end of the header section.
        if rest.starts_with(b"\n") || rest.starts_with(b"\r\n") {
            let len = if rest.starts_with(b"\n") { 1 } else { 2 };
            self.end_headers(self.pos, len, false);
            return Step::Progress;
        }
        if rest == b"\r" && !eof {
            return Step::NeedMore;
        }
        // A delimiter of an enclosing multipart ends the header section.
        if self.has_active_boundary() && (rest.starts_with(b"--") || (rest == b"-" && !eof)) {
            match self.match_line(w, rel, eof) {
                LineMatch::Delimiter { .. } => {
                    self.end_headers(self.pos, 0, false);
                    return Step::Progress;
                }
                LineMatch::NeedMore => return Step::NeedMore,
                LineMatch::NotDelimiter => {}
            }
        }
        let Some(entity) = self.stack.last() else {
            return Step::NeedMore;
        };
        let first_line = entity.first_line;
        let top_level = entity.depth == 0 && self.pos == 0;
        let fields = entity.fields;
        // A whole line is needed for the other cases.
        let whole_line = |w: &[u8]| -> Option<usize> { line_end(w, rel).map(|(_, e)| e - rel) };
        let first = rest.first().copied().unwrap_or(b' ');
        // "From " starts an mbox envelope line, unless it is the obsolete
        // field syntax `From *WSP ":"` (RFC 5322 §4.5, Appendix A.6.3).
        let envelope = rest.starts_with(b"From ")
            && rest
                .get(4..)
                .unwrap_or_default()
                .iter()
                .find(|&&b| b != b' ' && b != b'\t')
                .is_some_and(|&b| b != b':');
        if first == b' ' || first == b'\t' || envelope {
            let len = match whole_line(w) {
                Some(len) if len <= max => len,
                Some(_) => {
                    self.limit_in_headers(LimitKind::FieldSize);
                    return Step::Progress;
                }
                None if rest.len() > max => {
                    self.limit_in_headers(LimitKind::FieldSize);
                    return Step::Progress;
                }
                None if eof => rest.len(),
                None => return Step::NeedMore,
            };
            let kind = if first == b' ' || first == b'\t' {
                self.defect(DefectKind::FirstLineIsContinuation, self.pos);
                InvalidLineKind::OrphanContinuation
            } else if top_level {
                InvalidLineKind::Envelope
            } else {
                self.defect(DefectKind::MisplacedEnvelopeHeader, self.pos);
                InvalidLineKind::MisplacedEnvelope
            };
            self.pending.push_back(Raw::InvalidLine {
                start: self.pos,
                len,
                kind,
            });
            self.pos = self.pos.saturating_add(len as u64);
            if let Some(e) = self.stack.last_mut() {
                e.first_line = false;
            }
            let _ = first_line;
            return Step::Progress;
        }
        // field-name = 1*ftext; obs-optional allows WSP before the colon.
        let name_len = rest
            .iter()
            .position(|&b| !(33..=126).contains(&b) || b == b':');
        let Some(name_len) = name_len else {
            if rest.len() > max {
                self.limit_in_headers(LimitKind::FieldSize);
                return Step::Progress;
            }
            if eof {
                self.no_separator();
                return Step::Progress;
            }
            return Step::NeedMore;
        };
        if name_len > max {
            self.limit_in_headers(LimitKind::FieldSize);
            return Step::Progress;
        }
        let after = rest.get(name_len..).unwrap_or_default();
        let spaces = after.iter().position(|&b| b != b' ' && b != b'\t');
        // A name and white space longer than the field limit is over it,
        // whatever follows: deciding needs no more than the limit's bytes,
        // however the input is split.
        if name_len.saturating_add(spaces.unwrap_or(after.len())) > max {
            self.limit_in_headers(LimitKind::FieldSize);
            return Step::Progress;
        }
        let colon = match spaces {
            Some(s) if after.get(s) == Some(&b':') && name_len > 0 => Some(s),
            Some(_) => None,
            None if eof => None,
            None => return Step::NeedMore,
        };
        let Some(spaces) = colon else {
            self.no_separator();
            return Step::Progress;
        };
        // Find the end of the field: a line end not followed by WSP.
        let mut end = rel;
        let field_end = loop {
            match line_end(w, end) {
                Some((_, e)) => {
                    end = e;
                    match w.get(e) {
                        Some(b' ' | b'\t') => {}
                        Some(_) => break Some(e),
                        None if eof => break Some(e),
                        None => break None,
                    }
                }
                None if eof => break Some(w.len()),
                None => break None,
            }
            if end - rel > max {
                break None;
            }
        };
        let Some(field_end) = field_end else {
            if w.len() - rel > max.saturating_add(1) || end - rel > max {
                self.limit_in_headers(LimitKind::FieldSize);
                return Step::Progress;
            }
            return Step::NeedMore;
        };
        let len = field_end - rel;
        if len > max {
            self.limit_in_headers(LimitKind::FieldSize);
            return Step::Progress;
        }
        if fields >= self.limits.max_fields {
            self.limit_in_headers(LimitKind::Fields);
            return Step::Progress;
        }
        let start = self.pos;
        let raw = w.get(rel..field_end).unwrap_or_default();
        if spaces > 0 {
            self.defect(
                DefectKind::ObsoleteSyntax,
                start.saturating_add(name_len as u64),
            );
        }
        if !raw.is_ascii()
            && let Err(e) = std::str::from_utf8(raw)
        {
            self.defect(
                DefectKind::NonAsciiHeader,
                start.saturating_add(e.valid_up_to() as u64),
            );
        }
        let name = raw.get(..name_len).unwrap_or_default();
        let value = raw.get(name_len + spaces + 1..).unwrap_or_default();
        if name.eq_ignore_ascii_case(b"content-type") {
            let has = self.stack.last().is_some_and(|e| e.content_type.is_some());
            if !has {
                let (info, defects) = TypeInfo::scan(value, start);
                for d in defects {
                    self.defect(d, start);
                }
                if let Some(e) = self.stack.last_mut() {
                    e.content_type = Some(info);
                }
            }
        } else if name.eq_ignore_ascii_case(b"content-transfer-encoding")
            && let Some(e) = self.stack.last_mut()
            && e.transfer_encoding.is_none()
        {
            e.transfer_encoding = Some((TransferEncoding::parse(value), start));
        }
        if let Some(e) = self.stack.last_mut() {
            e.fields += 1;
            e.first_line = false;
        }
        self.pending.push_back(Raw::Field {
            start,
            len,
            name_len,
        });
        self.pos = start.saturating_add(len as u64);
        Step::Progress
    }

    fn no_separator(&mut self) {
        self.defect(DefectKind::MissingHeaderBodySeparator, self.pos);
        self.end_headers(self.pos, 0, false);
    }

    fn body_chunk(&mut self, len: usize) {
        let start = self.pos;
        let event = match self.stack.last().map(|e| &e.kind) {
            Some(Kind::Multipart {
                state: MultipartState::Preamble,
                ..
            }) => Raw::Preamble { start, len },
            Some(Kind::Multipart {
                state: MultipartState::Epilogue,
                ..
            }) => Raw::Epilogue { start, len },
            _ => Raw::Body { start, len },
        };
        self.pending.push_back(event);
        self.pos = start.saturating_add(len as u64);
        self.at_line_start = false;
    }

    /// Pops entities above `keep` (all of them for `None`), with their
    /// end-of-entity defects.
    fn close_down_to(&mut self, keep: usize) {
        while self.stack.len() > keep {
            let Some(entity) = self.stack.pop() else {
                break;
            };
            match entity.kind {
                Kind::Multipart {
                    state: MultipartState::Preamble,
                    ..
                } => {
                    self.defect(DefectKind::StartBoundaryNotFound, self.pos);
                }
                Kind::Multipart {
                    state: MultipartState::Parts,
                    ..
                } => {
                    self.defect(DefectKind::CloseBoundaryNotFound, self.pos);
                }
                _ => {}
            }
            self.pending.push_back(Raw::PartEnd { end: self.pos });
        }
    }

    fn delimiter(&mut self, len: usize, index: usize, close: bool) {
        self.close_down_to(index + 1);
        let start = self.pos;
        self.pending.push_back(Raw::Delimiter { start, len, close });
        self.pos = start.saturating_add(len as u64);
        self.at_line_start = true;
        let saturated = !close && self.parts >= self.limits.max_parts;
        let Some(Entity {
            kind: Kind::Multipart { state, digest, .. },
            depth,
            ..
        }) = self.stack.last_mut()
        else {
            return;
        };
        let (depth, digest) = (*depth + 1, *digest);
        if close {
            *state = MultipartState::Epilogue;
            return;
        }
        *state = if saturated {
            MultipartState::Saturated
        } else {
            MultipartState::Parts
        };
        self.parts = self.parts.saturating_add(1);
        let mut entity = Entity::new(depth, digest);
        entity.begun = saturated;
        self.stack.push(entity);
        if saturated {
            self.pending.push_back(Raw::PartBegin {
                start: self.pos,
                depth,
            });
            self.defect(DefectKind::LimitExceeded(LimitKind::Parts), self.pos);
            self.end_headers(self.pos, 0, true);
        }
    }

    fn step_body(&mut self, w: &[u8], rel: usize, eof: bool) -> Step {
        let available = w.len() - rel;
        if !self.has_active_boundary() {
            if available > 0 {
                self.body_chunk(available);
                return Step::Progress;
            }
            if eof {
                self.finish();
                return Step::Progress;
            }
            return Step::NeedMore;
        }
        if self.at_line_start {
            match self.match_line(w, rel, eof) {
                LineMatch::Delimiter { index, close } => {
                    let len = line_end(w, rel).map_or(available, |(_, e)| e - rel);
                    self.delimiter(len, index, close);
                    return Step::Progress;
                }
                LineMatch::NeedMore if !eof => return Step::NeedMore,
                _ => {}
            }
        }
        let mut from = rel;
        loop {
            let found = w.get(from..).and_then(|s| DELIMITER_START.find(s));
            let Some(found) = found else {
                if eof {
                    if available > 0 {
                        self.body_chunk(available);
                    } else {
                        self.finish();
                    }
                    return Step::Progress;
                }
                let safe = w.len().saturating_sub(3).max(rel);
                if safe > rel {
                    self.body_chunk(safe - rel);
                    return Step::Progress;
                }
                return Step::NeedMore;
            };
            let lf = from + found;
            let eol_start = if lf > rel && w.get(lf - 1) == Some(&b'\r') {
                lf - 1
            } else {
                lf
            };
            match self.match_line(w, lf + 1, eof) {
                LineMatch::NotDelimiter => from = lf + 1,
                LineMatch::NeedMore if !eof => {
                    if eol_start > rel {
                        self.body_chunk(eol_start - rel);
                        return Step::Progress;
                    }
                    return Step::NeedMore;
                }
                LineMatch::NeedMore => from = lf + 1,
                LineMatch::Delimiter { index, close } => {
                    if eol_start > rel {
                        self.body_chunk(eol_start - rel);
                        return Step::Progress;
                    }
                    let end = line_end(w, lf + 1).map_or(w.len(), |(_, e)| e);
                    self.delimiter(end - rel, index, close);
                    return Step::Progress;
                }
            }
        }
    }

    fn finish(&mut self) {
        self.close_down_to(0);
        self.pending.push_back(Raw::End);
        self.finished = true;
    }
}

/// What the engine needs of a `Content-Type` field.
#[derive(Debug)]
struct TypeInfo {
    offset: Offset,
    multipart: bool,
    message: bool,
    digest: bool,
    text: bool,
    boundary: Option<Vec<u8>>,
}

impl TypeInfo {
    /// Reads what parsing needs from a `Content-Type` value without
    /// allocating: `type "/" subtype`, and the parameters (for the boundary)
    /// only of a multipart. An invalid type is `text/plain` (RFC 2045 §5.2).
    fn scan(value: &[u8], offset: Offset) -> (Self, Vec<DefectKind>) {
        fn token<'v>(c: &mut Cursor<'v>) -> &'v [u8] {
            c.skip_cfws();
            c.take_while(is_token)
        }
        let mut c = Cursor::new(value);
        let media_type = token(&mut c);
        c.skip_cfws();
        let slash = c.eat(b'/');
        let subtype = if slash { token(&mut c) } else { &[] };
        let mut info = Self::default(offset, false);
        if media_type.is_empty() || subtype.is_empty() {
            return (info, vec![DefectKind::InvalidContentType]);
        }
        let is = |t: &[u8], name: &str| t.eq_ignore_ascii_case(name.as_bytes());
        info.text = is(media_type, "text");
        if is(media_type, "message") {
            info.message = is(subtype, "rfc822") || is(subtype, "global");
            return (info, Vec::new());
        }
        if !is(media_type, "multipart") {
            return (info, Vec::new());
        }
        let (ct, defects) = ContentType::parse(value);
        info.multipart = true;
        info.digest = is(subtype, "digest");
        info.boundary = ct.boundary().map(<[u8]>::to_vec);
        (info, defects)
    }

    /// The type in force without a field: `message/rfc822` inside
    /// `multipart/digest` (RFC 2046 §5.1.5), else `text/plain`.
    fn default(offset: Offset, in_digest: bool) -> Self {
        Self {
            offset,
            multipart: false,
            message: in_digest,
            digest: false,
            text: !in_digest,
            boundary: None,
        }
    }
}
