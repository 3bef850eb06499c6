//! Encoders of flags ([RFC 9051 §9]).
//!
//! [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9

use super::{Encode, Encoder};
use crate::types::flag::{Flag, FlagFetch, FlagPerm};

impl Encode for Flag<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            Flag::Answered => out.raw(b"\\Answered"),
            Flag::Flagged => out.raw(b"\\Flagged"),
            Flag::Deleted => out.raw(b"\\Deleted"),
            Flag::Seen => out.raw(b"\\Seen"),
            Flag::Draft => out.raw(b"\\Draft"),
            Flag::Keyword(a) => out.raw(a.as_str().as_bytes()),
            Flag::Extension(a) => {
                out.byte(b'\\');
                out.raw(a.as_str().as_bytes());
            }
        }
    }
}

impl Encode for FlagFetch<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            FlagFetch::Flag(f) => f.encode(out),
            FlagFetch::Recent => out.raw(b"\\Recent"),
        }
    }
}

impl Encode for FlagPerm<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            FlagPerm::Flag(f) => f.encode(out),
            FlagPerm::Any => out.raw(b"\\*"),
        }
    }
}
