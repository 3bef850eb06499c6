//! Errors reading a stored model.

/// A stored model that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The data does not start with the model's magic bytes.
    #[error("not a junk model (bad magic)")]
    BadMagic,
    /// A format version this crate does not read.
    #[error("unsupported model format version {0}")]
    UnsupportedVersion(u8),
    /// The data ends inside a record.
    #[error("model data truncated at offset {0}")]
    Truncated(usize),
    /// A token that is not UTF-8, empty, or too long.
    #[error("invalid token at offset {0}")]
    InvalidToken(usize),
    /// More tokens than the limits allow.
    #[error("model holds {found} tokens, more than the limit of {max}")]
    TooManyTokens {
        /// Tokens in the data.
        found: u64,
        /// [`ModelLimits::max_tokens`](crate::ModelLimits::max_tokens).
        max: usize,
    },
    /// Bytes after the last record.
    #[error("trailing data at offset {0}")]
    TrailingData(usize),
}
