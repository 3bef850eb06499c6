//! Parser limits.
//!
//! Every limit bounds memory or work on hostile input. Exceeding one records
//! a [`DefectKind::LimitExceeded`](crate::defect::DefectKind::LimitExceeded)
//! and keeps the rest of the affected part as an opaque body: parsing goes
//! on and re-emitting still reproduces the input.
//!
//! ```
//! use mailwire_message::limits::Limits;
//! use mailwire_message::defect::{DefectKind, LimitKind};
//!
//! let limits = Limits::default().with_max_fields(1);
//! let message = mailwire_message::parse_with(b"A: 1\r\nB: 2\r\n\r\nbody", limits);
//! assert_eq!(message.root().header().len(), 1);
//! assert_eq!(message.defects()[0].kind, DefectKind::LimitExceeded(LimitKind::Fields));
//! assert_eq!(message.to_bytes(), b"A: 1\r\nB: 2\r\n\r\nbody");
//! ```

/// Limits for the whole-buffer and the streaming parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Deepest nesting of multipart and `message/rfc822` parts (the top-level
    /// message is depth 0). RFC 2046 §5.1 sets no limit; the default is 64.
    /// A deeper part is kept as an opaque leaf.
    pub max_depth: usize,
    /// Most parts (entities) in a message, the top level included. Default
    /// 100 000. Past it, the rest of the enclosing multipart is opaque.
    pub max_parts: usize,
    /// Longest header field, folding and line ending included. RFC 5322 §2.1.1
    /// limits lines, not fields; the default is 64 KiB. This bounds the
    /// streaming parser's memory.
    pub max_field_size: usize,
    /// Most header fields in one header section. Default 100 000.
    pub max_fields: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 64,
            max_parts: 100_000,
            max_field_size: 64 * 1024,
            max_fields: 100_000,
        }
    }
}

impl Limits {
    /// Sets [`max_depth`](Self::max_depth).
    #[must_use]
    pub const fn with_max_depth(mut self, max: usize) -> Self {
        self.max_depth = max;
        self
    }

    /// Sets [`max_parts`](Self::max_parts) (at least 1).
    #[must_use]
    pub const fn with_max_parts(mut self, max: usize) -> Self {
        self.max_parts = if max == 0 { 1 } else { max };
        self
    }

    /// Sets [`max_field_size`](Self::max_field_size) (at least 16 bytes).
    #[must_use]
    pub const fn with_max_field_size(mut self, max: usize) -> Self {
        self.max_field_size = if max < 16 { 16 } else { max };
        self
    }

    /// Sets [`max_fields`](Self::max_fields).
    #[must_use]
    pub const fn with_max_fields(mut self, max: usize) -> Self {
        self.max_fields = max;
        self
    }
}
