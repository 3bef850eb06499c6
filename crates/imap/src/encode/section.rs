//! Encoders of body sections and partial ranges ([RFC 9051 §9]).
//!
//! [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9

use super::{Encode, Encoder, paren_list};
use crate::types::section::{Part, Partial, Section};

impl Encode for Part {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        for (i, n) in self.0.iter().enumerate() {
            if i > 0 {
                out.byte(b'.');
            }
            out.number(u64::from(n.get()));
        }
    }
}

fn prefix<'a>(out: &mut Encoder<'a>, part: &'a Option<Part>) {
    if let Some(p) = part {
        p.encode(out);
        out.byte(b'.');
    }
}

impl Encode for Section<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            Section::Part(p) => p.encode(out),
            Section::Header(p) => {
                prefix(out, p);
                out.raw(b"HEADER");
            }
            Section::HeaderFields(p, names) => {
                prefix(out, p);
                out.raw(b"HEADER.FIELDS ");
                paren_list(out, names.as_slice());
            }
            Section::HeaderFieldsNot(p, names) => {
                prefix(out, p);
                out.raw(b"HEADER.FIELDS.NOT ");
                paren_list(out, names.as_slice());
            }
            Section::Text(p) => {
                prefix(out, p);
                out.raw(b"TEXT");
            }
            Section::Mime(p) => {
                p.encode(out);
                out.raw(b".MIME");
            }
        }
    }
}

/// Writes `"[" [section-spec] "]"`.
pub(crate) fn encode_section<'a>(out: &mut Encoder<'a>, section: &'a Option<Section<'_>>) {
    out.byte(b'[');
    if let Some(s) = section {
        s.encode(out);
    }
    out.byte(b']');
}

/// Writes `"[" [section-part] "]"`.
pub(crate) fn encode_section_binary<'a>(out: &mut Encoder<'a>, part: &'a Option<Part>) {
    out.byte(b'[');
    if let Some(p) = part {
        p.encode(out);
    }
    out.byte(b']');
}

impl Encode for Partial {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        out.byte(b'<');
        out.number(self.offset);
        out.byte(b'.');
        out.number(self.length.get());
        out.byte(b'>');
    }
}
