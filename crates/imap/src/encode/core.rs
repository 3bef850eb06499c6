//! Encoders of the basic data formats ([RFC 9051 §4]).
//!
//! [RFC 9051 §4]: https://www.rfc-editor.org/rfc/rfc9051#section-4

use super::{Encode, Encoder};
use crate::types::core::{
    AString, Atom, AtomExt, IString, Literal, Literal8, LiteralMode, NString, Quoted, Tag, Text,
};

impl Encode for Tag<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        out.raw(self.as_str().as_bytes());
    }
}

impl Encode for Atom<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        out.raw(self.as_str().as_bytes());
    }
}

impl Encode for AtomExt<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        out.raw(self.as_str().as_bytes());
    }
}

impl Encode for Text<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        out.raw(self.as_str().as_bytes());
    }
}

/// Writes `s` as a quoted string, escaping `"` and `\`.
pub(crate) fn write_quoted(out: &mut Encoder<'_>, s: &[u8]) {
    out.byte(b'"');
    let mut rest = s;
    while let Some(i) = memchr::memchr2(b'"', b'\\', rest) {
        let (head, tail) = rest.split_at(i);
        out.raw(head);
        out.byte(b'\\');
        if let Some((c, tail)) = tail.split_first() {
            out.byte(*c);
            rest = tail;
        } else {
            rest = tail;
        }
    }
    out.raw(rest);
    out.byte(b'"');
}

impl Encode for Quoted<'_> {
    /// Quoted; as a literal when the text is not ASCII and the peer does not
    /// take UTF-8 in quoted strings.
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        let bytes = self.as_str().as_bytes();
        if !out.config.utf8_quoted && !bytes.is_ascii() {
            out.literal(bytes, LiteralMode::Sync, false);
        } else {
            write_quoted(out, bytes);
        }
    }
}

impl Encode for Literal<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        out.literal(self.data(), self.mode(), false);
    }
}

impl Encode for Literal8<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        out.literal(self.data(), self.mode(), true);
    }
}

impl Encode for IString<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            IString::Quoted(q) => q.encode(out),
            IString::Literal(l) => l.encode(out),
        }
    }
}

impl Encode for AString<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            AString::Atom(a) => a.encode(out),
            AString::String(s) => s.encode(out),
        }
    }
}

impl Encode for NString<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match &self.0 {
            Some(s) => s.encode(out),
            None => out.raw(b"NIL"),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::encode::EncodeConfig;

    fn enc<T: Encode>(value: &T, config: EncodeConfig) -> Vec<u8> {
        let mut out = Encoder::new(config);
        value.encode(&mut out);
        out.finish_partial().to_vec()
    }

    #[test]
    fn quoting() {
        let q = Quoted::try_from("a\"b\\c").unwrap();
        assert_eq!(enc(&q, EncodeConfig::default()), br#""a\"b\\c""#);
        let q = Quoted::try_from("é").unwrap();
        assert_eq!(enc(&q, EncodeConfig::default()), "{2}\r\né".as_bytes());
        assert_eq!(
            enc(&q, EncodeConfig::default().with_utf8_quoted(true)),
            "\"é\"".as_bytes()
        );
        assert_eq!(enc(&NString::NIL, EncodeConfig::default()), b"NIL");
    }
}
