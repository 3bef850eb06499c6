//! FETCH item encoders ([RFC 9051 §6.4.5]).
//!
//! [RFC 9051 §6.4.5]: https://www.rfc-editor.org/rfc/rfc9051#section-6.4.5

use super::section::{encode_section, encode_section_binary};
use super::{Encode, Encoder, paren_list};
use crate::types::fetch::{FetchAttribute, FetchItems};

impl Encode for FetchItems<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            FetchItems::All => out.raw(b"ALL"),
            FetchItems::Fast => out.raw(b"FAST"),
            FetchItems::Full => out.raw(b"FULL"),
            FetchItems::Single(a) => a.encode(out),
            FetchItems::List(list) => paren_list(out, list.as_slice()),
        }
    }
}

impl Encode for FetchAttribute<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        use FetchAttribute as A;
        match self {
            A::Envelope => out.raw(b"ENVELOPE"),
            A::Flags => out.raw(b"FLAGS"),
            A::InternalDate => out.raw(b"INTERNALDATE"),
            A::Rfc822Size => out.raw(b"RFC822.SIZE"),
            A::Body => out.raw(b"BODY"),
            A::BodyStructure => out.raw(b"BODYSTRUCTURE"),
            A::Uid => out.raw(b"UID"),
            A::BodySection {
                peek,
                section,
                partial,
            } => {
                out.raw(if *peek { b"BODY.PEEK" } else { b"BODY" });
                encode_section(out, section);
                if let Some(p) = partial {
                    p.encode(out);
                }
            }
            A::Binary {
                peek,
                part,
                partial,
            } => {
                out.raw(if *peek { b"BINARY.PEEK" } else { b"BINARY" });
                encode_section_binary(out, part);
                if let Some(p) = partial {
                    p.encode(out);
                }
            }
            A::BinarySize { part } => {
                out.raw(b"BINARY.SIZE");
                encode_section_binary(out, part);
            }
            A::Rfc822 => out.raw(b"RFC822"),
            A::Rfc822Header => out.raw(b"RFC822.HEADER"),
            A::Rfc822Text => out.raw(b"RFC822.TEXT"),
            A::ModSeq => out.raw(b"MODSEQ"),
            A::EmailId => out.raw(b"EMAILID"),
            A::ThreadId => out.raw(b"THREADID"),
            A::SaveDate => out.raw(b"SAVEDATE"),
            A::Other(a) => a.encode(out),
        }
    }
}
