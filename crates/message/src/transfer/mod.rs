//! Content transfer encodings ([RFC 2045 §6]).
//!
//! ```text
//! encoding := "Content-Transfer-Encoding" ":" mechanism
//! mechanism := "7bit" / "8bit" / "binary" /
//!              "quoted-printable" / "base64" /
//!              ietf-token / x-token
//! ```
//!
//! [`TransferEncoding`] names a mechanism; [`Decoder`] decodes a body in
//! pieces of any size with any of them.
//!
//! [RFC 2045 §6]: https://www.rfc-editor.org/rfc/rfc2045#section-6
//!
//! ```
//! use mailwire_message::transfer::{Decoder, TransferEncoding};
//!
//! let encoding = TransferEncoding::parse(b" Base64\r\n");
//! assert_eq!(encoding, TransferEncoding::Base64);
//! let mut decoder = Decoder::new(&encoding, 0);
//! let (mut out, mut defects) = (Vec::new(), Vec::new());
//! decoder.push(b"aGk=", &mut out, &mut defects);
//! decoder.finish(&mut out, &mut defects);
//! assert_eq!(out, b"hi");
//! ```

pub mod base64;
pub mod quoted_printable;

use std::borrow::Cow;

use mailwire_core::error::Offset;

use crate::defect::Defect;
use crate::lexical::{Cursor, trim};

/// A `Content-Transfer-Encoding` mechanism ([RFC 2045 §6.1]).
///
/// [RFC 2045 §6.1]: https://www.rfc-editor.org/rfc/rfc2045#section-6.1
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum TransferEncoding {
    /// `7bit`, the default (§6.1).
    #[default]
    SevenBit,
    /// `8bit`.
    EightBit,
    /// `binary`.
    Binary,
    /// `quoted-printable` (§6.7).
    QuotedPrintable,
    /// `base64` (§6.8).
    Base64,
    /// Any other token, lower case (decoded as identity).
    Other(String),
}

impl TransferEncoding {
    /// Parses a field value: a token, case-insensitive, with CFWS around it.
    /// An empty value is the default, `7bit`.
    pub fn parse(value: &[u8]) -> Self {
        let mut cursor = Cursor::new(value);
        cursor.skip_cfws();
        let start = cursor.pos();
        while cursor
            .peek()
            .is_some_and(|b| !b.is_ascii_whitespace() && b != b'(' && b != b';')
        {
            cursor.bump();
        }
        let token = trim(cursor.slice(start, cursor.pos()));
        let is = |name: &str| token.eq_ignore_ascii_case(name.as_bytes());
        if token.is_empty() || is("7bit") {
            Self::SevenBit
        } else if is("8bit") {
            Self::EightBit
        } else if is("binary") {
            Self::Binary
        } else if is("quoted-printable") {
            Self::QuotedPrintable
        } else if is("base64") {
            Self::Base64
        } else {
            Self::Other(String::from_utf8_lossy(token).to_ascii_lowercase())
        }
    }

    /// The mechanism's name, lower case.
    pub fn as_str(&self) -> &str {
        match self {
            Self::SevenBit => "7bit",
            Self::EightBit => "8bit",
            Self::Binary => "binary",
            Self::QuotedPrintable => "quoted-printable",
            Self::Base64 => "base64",
            Self::Other(s) => s,
        }
    }

    /// Whether the body is stored as is (7bit, 8bit, binary, unknown).
    pub fn is_identity(&self) -> bool {
        !matches!(self, Self::QuotedPrintable | Self::Base64)
    }

    /// Decodes a whole body; identity encodings borrow it.
    ///
    /// ```
    /// use mailwire_message::transfer::TransferEncoding;
    /// let (bytes, _) = TransferEncoding::QuotedPrintable.decode(b"a=3Db", 0);
    /// assert_eq!(&*bytes, b"a=b");
    /// ```
    pub fn decode<'a>(&self, body: &'a [u8], offset: Offset) -> (Cow<'a, [u8]>, Vec<Defect>) {
        match self {
            Self::Base64 => {
                let (out, defects) = base64::decode(body, offset);
                (Cow::Owned(out), defects)
            }
            Self::QuotedPrintable => {
                let (out, defects) = quoted_printable::decode(body, offset);
                (Cow::Owned(out), defects)
            }
            _ => (Cow::Borrowed(body), Vec::new()),
        }
    }
}

/// A streaming body decoder for any [`TransferEncoding`].
#[derive(Debug, Clone)]
pub struct Decoder {
    inner: Inner,
}

#[derive(Debug, Clone)]
enum Inner {
    Identity,
    Base64(base64::Decoder),
    QuotedPrintable(quoted_printable::Decoder),
}

impl Decoder {
    /// A decoder for `encoding`, whose first byte is at `offset`.
    pub fn new(encoding: &TransferEncoding, offset: Offset) -> Self {
        let inner = match encoding {
            TransferEncoding::Base64 => Inner::Base64(base64::Decoder::new(offset)),
            TransferEncoding::QuotedPrintable => {
                Inner::QuotedPrintable(quoted_printable::Decoder::new(offset))
            }
            _ => Inner::Identity,
        };
        Self { inner }
    }

    /// Decodes a piece of body.
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>, defects: &mut Vec<Defect>) {
        match &mut self.inner {
            Inner::Identity => out.extend_from_slice(input),
            Inner::Base64(d) => d.push(input, out, defects),
            Inner::QuotedPrintable(d) => d.push(input, out, defects),
        }
    }

    /// Ends the body.
    pub fn finish(&mut self, out: &mut Vec<u8>, defects: &mut Vec<Defect>) {
        match &mut self.inner {
            Inner::Identity => {}
            Inner::Base64(d) => d.finish(out, defects),
            Inner::QuotedPrintable(d) => d.finish(out, defects),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mechanisms() {
        assert_eq!(
            TransferEncoding::parse(b"QUOTED-PRINTABLE"),
            TransferEncoding::QuotedPrintable
        );
        assert_eq!(
            TransferEncoding::parse(b" 8bit (comment)"),
            TransferEncoding::EightBit
        );
        assert_eq!(TransferEncoding::parse(b""), TransferEncoding::SevenBit);
        assert_eq!(
            TransferEncoding::parse(b"x-uue"),
            TransferEncoding::Other("x-uue".into())
        );
        assert!(TransferEncoding::Binary.is_identity());
        assert_eq!(TransferEncoding::Base64.as_str(), "base64");
    }
}
