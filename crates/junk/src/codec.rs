//! The stored form of a model, versioned.
//!
//! ```text
//! model   = magic version ham-count junk-count token-count *record
//! magic   = "MWJK"
//! version = %x01
//! record  = token-length token ham junk     ; token-length: 1 octet, 1..=255
//! counts  = 32-bit little-endian unsigned integers
//! ```
//!
//! Records are sorted by token, so equal models give equal bytes.

use crate::error::DecodeError;
use crate::model::{Counts, Model, ModelLimits};

const MAGIC: &[u8; 4] = b"MWJK";
const VERSION: u8 = 1;

impl Model {
    /// The model as bytes for the store.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut records: Vec<(&String, &Counts)> = self
            .tokens
            .iter()
            .filter(|(t, _)| !t.is_empty() && t.len() <= 255)
            .collect();
        records.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = Vec::with_capacity(17 + records.len() * 16);
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.extend_from_slice(&self.ham_messages.to_le_bytes());
        out.extend_from_slice(&self.junk_messages.to_le_bytes());
        out.extend_from_slice(
            &u32::try_from(records.len())
                .unwrap_or(u32::MAX)
                .to_le_bytes(),
        );
        for (token, counts) in records {
            out.push(u8::try_from(token.len()).unwrap_or(u8::MAX));
            out.extend_from_slice(token.as_bytes());
            out.extend_from_slice(&counts.ham.to_le_bytes());
            out.extend_from_slice(&counts.junk.to_le_bytes());
        }
        out
    }

    /// Reads a stored model with the default limits.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] naming what is wrong and where.
    pub fn from_bytes(data: &[u8]) -> Result<Self, DecodeError> {
        Self::from_bytes_with(data, ModelLimits::default())
    }

    /// Reads a stored model, refusing more tokens than `limits` allow.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] naming what is wrong and where.
    pub fn from_bytes_with(data: &[u8], limits: ModelLimits) -> Result<Self, DecodeError> {
        let mut r = Reader { data, at: 0 };
        if r.take(4)? != MAGIC {
            return Err(DecodeError::BadMagic);
        }
        let version = r.u8()?;
        if version != VERSION {
            return Err(DecodeError::UnsupportedVersion(version));
        }
        let ham_messages = r.u32()?;
        let junk_messages = r.u32()?;
        let count = r.u32()?;
        if usize::try_from(count).map_or(true, |c| c > limits.max_tokens) {
            return Err(DecodeError::TooManyTokens {
                found: u64::from(count),
                max: limits.max_tokens,
            });
        }
        let mut model = Model::with_limits(limits);
        model.ham_messages = ham_messages;
        model.junk_messages = junk_messages;
        for _ in 0..count {
            let start = r.at;
            let len = usize::from(r.u8()?);
            let token =
                std::str::from_utf8(r.take(len)?).map_err(|_| DecodeError::InvalidToken(start))?;
            if token.is_empty() {
                return Err(DecodeError::InvalidToken(start));
            }
            let counts = Counts {
                ham: r.u32()?,
                junk: r.u32()?,
            };
            if model.tokens.insert(token.to_owned(), counts).is_some() {
                return Err(DecodeError::InvalidToken(start));
            }
        }
        if r.at != data.len() {
            return Err(DecodeError::TrailingData(r.at));
        }
        Ok(model)
    }
}

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .at
            .checked_add(n)
            .ok_or(DecodeError::Truncated(self.at))?;
        let bytes = self
            .data
            .get(self.at..end)
            .ok_or(DecodeError::Truncated(self.at))?;
        self.at = end;
        Ok(bytes)
    }

    fn u8(&mut self) -> Result<u8, DecodeError> {
        let b = self.take(1)?;
        b.first().copied().ok_or(DecodeError::Truncated(self.at))
    }

    fn u32(&mut self) -> Result<u32, DecodeError> {
        let b = self.take(4)?;
        let array: [u8; 4] = b.try_into().map_err(|_| DecodeError::Truncated(self.at))?;
        Ok(u32::from_le_bytes(array))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::Label;

    fn sample() -> Model {
        let mut m = Model::new();
        m.train_tokens(&["a".into(), "bb".into()], Label::Ham);
        m.train_tokens(&["bb".into()], Label::Junk);
        m
    }

    #[test]
    fn exact_bytes() {
        let bytes = sample().to_bytes();
        let mut expected = b"MWJK\x01".to_vec();
        expected.extend_from_slice(&[1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0]);
        expected.extend_from_slice(b"\x01a\x01\x00\x00\x00\x00\x00\x00\x00");
        expected.extend_from_slice(b"\x02bb\x01\x00\x00\x00\x01\x00\x00\x00");
        assert_eq!(bytes, expected);
        assert_eq!(Model::from_bytes(&bytes).unwrap(), sample());
    }

    #[test]
    fn malformed() {
        let bytes = sample().to_bytes();
        assert_eq!(Model::from_bytes(b"XXXX\x01"), Err(DecodeError::BadMagic));
        assert_eq!(
            Model::from_bytes(b"MWJK\x02"),
            Err(DecodeError::UnsupportedVersion(2))
        );
        assert_eq!(
            Model::from_bytes(&bytes[..bytes.len() - 1]),
            Err(DecodeError::Truncated(34))
        );
        let mut long = bytes.clone();
        long.push(0);
        assert_eq!(Model::from_bytes(&long), Err(DecodeError::TrailingData(38)));
        let mut bad = bytes.clone();
        bad[18] = 0xff;
        assert_eq!(Model::from_bytes(&bad), Err(DecodeError::InvalidToken(17)));
        assert_eq!(
            Model::from_bytes_with(&bytes, ModelLimits { max_tokens: 1 }),
            Err(DecodeError::TooManyTokens { found: 2, max: 1 })
        );
    }
}
