//! Encoders of FETCH data items ([RFC 9051 §7.5.2]), ENVELOPE and
//! BODYSTRUCTURE.
//!
//! [RFC 9051 §7.5.2]: https://www.rfc-editor.org/rfc/rfc9051#section-7.5.2

use super::section::{encode_section, encode_section_binary};
use super::{Encode, Encoder};
use crate::types::body_structure::{
    Body, BodyExtension, BodyFields, DispositionTail, Language, SingleSpecific,
};
use crate::types::core::IString;
use crate::types::envelope::{Address, Envelope};
use crate::types::fetch_response::{BinaryData, MessageAttribute};

impl Encode for MessageAttribute<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            MessageAttribute::Flags(flags) => {
                out.raw(b"FLAGS ");
                super::paren_list(out, flags);
            }
            MessageAttribute::Envelope(e) => {
                out.raw(b"ENVELOPE ");
                e.encode(out);
            }
            MessageAttribute::InternalDate(d) => {
                out.raw(b"INTERNALDATE ");
                d.encode(out);
            }
            MessageAttribute::Rfc822Size(n) => {
                out.raw(b"RFC822.SIZE ");
                out.number(*n);
            }
            MessageAttribute::Body(b) => {
                out.raw(b"BODY ");
                b.encode(out);
            }
            MessageAttribute::BodyStructure(b) => {
                out.raw(b"BODYSTRUCTURE ");
                b.encode(out);
            }
            MessageAttribute::BodySection {
                section,
                origin,
                data,
            } => {
                out.raw(b"BODY");
                encode_section(out, section);
                if let Some(o) = origin {
                    out.byte(b'<');
                    out.number(u64::from(*o));
                    out.byte(b'>');
                }
                out.sp();
                data.encode(out);
            }
            MessageAttribute::Binary { section, data } => {
                out.raw(b"BINARY");
                encode_section_binary(out, section);
                out.sp();
                match data {
                    BinaryData::NString(s) => s.encode(out),
                    BinaryData::Literal8(l) => l.encode(out),
                }
            }
            MessageAttribute::BinarySize { section, size } => {
                out.raw(b"BINARY.SIZE");
                encode_section_binary(out, section);
                out.sp();
                out.number(u64::from(*size));
            }
            MessageAttribute::Uid(n) => {
                out.raw(b"UID ");
                out.number(u64::from(n.get()));
            }
            MessageAttribute::Rfc822(s) => {
                out.raw(b"RFC822 ");
                s.encode(out);
            }
            MessageAttribute::Rfc822Header(s) => {
                out.raw(b"RFC822.HEADER ");
                s.encode(out);
            }
            MessageAttribute::Rfc822Text(s) => {
                out.raw(b"RFC822.TEXT ");
                s.encode(out);
            }
            MessageAttribute::ModSeq(n) => {
                out.raw(b"MODSEQ (");
                out.number(n.get());
                out.byte(b')');
            }
            MessageAttribute::EmailId(id) => {
                out.raw(b"EMAILID (");
                id.encode(out);
                out.byte(b')');
            }
            MessageAttribute::ThreadId(id) => match id {
                Some(id) => {
                    out.raw(b"THREADID (");
                    id.encode(out);
                    out.byte(b')');
                }
                None => out.raw(b"THREADID NIL"),
            },
            MessageAttribute::SaveDate(d) => match d {
                Some(d) => {
                    out.raw(b"SAVEDATE ");
                    d.encode(out);
                }
                None => out.raw(b"SAVEDATE NIL"),
            },
            MessageAttribute::Other { name, value } => {
                out.raw(name.as_bytes());
                out.sp();
                out.raw(value);
            }
            MessageAttribute::Unparsed(raw) => out.raw(raw),
        }
    }
}

fn address_list<'a>(out: &mut Encoder<'a>, list: &'a [Address<'_>]) {
    if list.is_empty() {
        out.raw(b"NIL");
        return;
    }
    out.byte(b'(');
    for a in list {
        out.byte(b'(');
        a.name.encode(out);
        out.sp();
        a.adl.encode(out);
        out.sp();
        a.mailbox.encode(out);
        out.sp();
        a.host.encode(out);
        out.byte(b')');
    }
    out.byte(b')');
}

impl Encode for Envelope<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        out.byte(b'(');
        self.date.encode(out);
        out.sp();
        self.subject.encode(out);
        for list in [
            &self.from,
            &self.sender,
            &self.reply_to,
            &self.to,
            &self.cc,
            &self.bcc,
        ] {
            out.sp();
            address_list(out, list);
        }
        out.sp();
        self.in_reply_to.encode(out);
        out.sp();
        self.message_id.encode(out);
        out.byte(b')');
    }
}

fn params<'a>(out: &mut Encoder<'a>, params: &'a [(IString<'_>, IString<'_>)]) {
    if params.is_empty() {
        out.raw(b"NIL");
        return;
    }
    out.byte(b'(');
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            out.sp();
        }
        k.encode(out);
        out.sp();
        v.encode(out);
    }
    out.byte(b')');
}

fn fields<'a>(out: &mut Encoder<'a>, f: &'a BodyFields<'_>) {
    params(out, &f.params);
    out.sp();
    f.id.encode(out);
    out.sp();
    f.description.encode(out);
    out.sp();
    f.encoding.encode(out);
    out.sp();
    out.number(u64::from(f.octets));
}

fn disposition_tail<'a>(out: &mut Encoder<'a>, tail: &'a Option<DispositionTail<'_>>) {
    let Some(tail) = tail else { return };
    out.sp();
    match &tail.disposition {
        Some(d) => {
            out.byte(b'(');
            d.kind.encode(out);
            out.sp();
            params(out, &d.params);
            out.byte(b')');
        }
        None => out.raw(b"NIL"),
    }
    let Some(lang) = &tail.tail else { return };
    out.sp();
    match &lang.language {
        Language::Single(s) => s.encode(out),
        Language::List(list) => super::paren_list(out, list.as_slice()),
    }
    let Some(loc) = &lang.tail else { return };
    out.sp();
    loc.location.encode(out);
    for e in &loc.extensions {
        out.sp();
        e.encode(out);
    }
}

impl Encode for BodyExtension<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            BodyExtension::NString(s) => s.encode(out),
            BodyExtension::Number(n) => out.number(*n),
            BodyExtension::List(l) => super::paren_list(out, l.as_slice()),
        }
    }
}

impl Encode for Body<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        out.byte(b'(');
        match self {
            Body::Single {
                media_type,
                media_subtype,
                fields: f,
                specific,
                extension,
            } => {
                media_type.encode(out);
                out.sp();
                media_subtype.encode(out);
                out.sp();
                fields(out, f);
                match specific {
                    SingleSpecific::Basic => {}
                    SingleSpecific::Text { lines } => {
                        out.sp();
                        out.number(*lines);
                    }
                    SingleSpecific::Message {
                        envelope,
                        body,
                        lines,
                    } => {
                        out.sp();
                        envelope.encode(out);
                        out.sp();
                        body.encode(out);
                        out.sp();
                        out.number(*lines);
                    }
                }
                if let Some(ext) = extension {
                    out.sp();
                    ext.md5.encode(out);
                    disposition_tail(out, &ext.tail);
                }
            }
            Body::Multi {
                parts,
                media_subtype,
                extension,
            } => {
                for p in parts {
                    p.encode(out);
                }
                out.sp();
                media_subtype.encode(out);
                if let Some(ext) = extension {
                    out.sp();
                    params(out, &ext.params);
                    disposition_tail(out, &ext.tail);
                }
            }
        }
        out.byte(b')');
    }
}
