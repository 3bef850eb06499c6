//! Encoders of untagged mailbox data ([RFC 9051 §7.3]) and the
//! extensions' data.
//!
//! [RFC 9051 §7.3]: https://www.rfc-editor.org/rfc/rfc9051#section-7.3

use super::core::write_quoted;
use super::{Encode, Encoder};
use crate::types::mailbox_data::{
    AclData, Delimiter, ESearch, IdParameters, ListData, ListRights, MailboxAttribute,
    MetadataData, MetadataEntries, MyRights, NamespaceDescription, Namespaces, QuotaData,
    QuotaRootData, SearchData, SearchReturnData, StatusData, StatusValue, Thread,
};
use crate::types::metadata::MetadataValue;

impl Encode for MailboxAttribute<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            MailboxAttribute::System(a) => {
                out.byte(b'\\');
                a.encode(out);
            }
            MailboxAttribute::Keyword(a) => a.encode(out),
        }
    }
}

fn delimiter(out: &mut Encoder<'_>, d: Option<Delimiter>) {
    match d {
        Some(d) => {
            let mut buf = [0u8; 4];
            write_quoted(out, d.as_char().encode_utf8(&mut buf).as_bytes());
        }
        None => out.raw(b"NIL"),
    }
}

pub(crate) fn list<'a>(out: &mut Encoder<'a>, l: &'a ListData<'_>) {
    super::paren_list(out, &l.attributes);
    out.sp();
    delimiter(out, l.delimiter);
    out.sp();
    l.mailbox.encode(out);
    if !l.extended.is_empty() {
        out.raw(b" (");
        for (i, (tag, value)) in l.extended.iter().enumerate() {
            if i > 0 {
                out.sp();
            }
            tag.encode(out);
            out.sp();
            value.encode(out);
        }
        out.byte(b')');
    }
}

impl Encode for StatusValue<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            StatusValue::Number(item, n) => {
                out.raw(item.name().as_bytes());
                out.sp();
                out.number(*n);
            }
            StatusValue::MailboxId(id) => {
                out.raw(b"MAILBOXID (");
                id.encode(out);
                out.byte(b')');
            }
            StatusValue::NoAppendLimit => out.raw(b"APPENDLIMIT NIL"),
            StatusValue::Other(name, n) => {
                name.encode(out);
                out.sp();
                out.number(*n);
            }
        }
    }
}

pub(crate) fn status<'a>(out: &mut Encoder<'a>, s: &'a StatusData<'_>) {
    out.raw(b"STATUS ");
    s.mailbox.encode(out);
    out.sp();
    super::paren_list(out, &s.items);
}

pub(crate) fn search(out: &mut Encoder<'_>, s: &SearchData) {
    for n in &s.numbers {
        out.sp();
        out.number(u64::from(n.get()));
    }
    if let Some(m) = s.modseq {
        out.raw(b" (MODSEQ ");
        out.number(m.get());
        out.byte(b')');
    }
}

pub(crate) fn esearch<'a>(out: &mut Encoder<'a>, e: &'a ESearch<'_>) {
    out.raw(b"ESEARCH");
    if let Some(tag) = &e.tag {
        out.raw(b" (TAG ");
        tag.encode(out);
        out.byte(b')');
    }
    if e.uid {
        out.raw(b" UID");
    }
    for d in &e.data {
        out.sp();
        match d {
            SearchReturnData::Min(n) => {
                out.raw(b"MIN ");
                out.number(u64::from(n.get()));
            }
            SearchReturnData::Max(n) => {
                out.raw(b"MAX ");
                out.number(u64::from(n.get()));
            }
            SearchReturnData::All(s) => {
                out.raw(b"ALL ");
                s.encode(out);
            }
            SearchReturnData::Count(n) => {
                out.raw(b"COUNT ");
                out.number(u64::from(*n));
            }
            SearchReturnData::ModSeq(n) => {
                out.raw(b"MODSEQ ");
                out.number(n.get());
            }
            SearchReturnData::Other(name, value) => {
                name.encode(out);
                out.sp();
                value.encode(out);
            }
        }
    }
}

pub(crate) fn thread(out: &mut Encoder<'_>, t: &Thread) {
    out.byte(b'(');
    for (i, n) in t.members().iter().enumerate() {
        if i > 0 {
            out.sp();
        }
        out.number(u64::from(n.get()));
    }
    if !t.members().is_empty() && !t.children().is_empty() {
        out.sp();
    }
    for c in t.children() {
        thread(out, c);
    }
    out.byte(b')');
}

fn namespace_list<'a>(out: &mut Encoder<'a>, list: &'a [NamespaceDescription<'_>]) {
    if list.is_empty() {
        out.raw(b"NIL");
        return;
    }
    out.byte(b'(');
    for d in list {
        out.byte(b'(');
        d.prefix.encode(out);
        out.sp();
        delimiter(out, d.delimiter);
        for (key, values) in &d.extensions {
            out.sp();
            key.encode(out);
            out.sp();
            super::paren_list(out, values.as_slice());
        }
        out.byte(b')');
    }
    out.byte(b')');
}

pub(crate) fn namespace<'a>(out: &mut Encoder<'a>, n: &'a Namespaces<'_>) {
    out.raw(b"NAMESPACE ");
    namespace_list(out, &n.personal);
    out.sp();
    namespace_list(out, &n.other_users);
    out.sp();
    namespace_list(out, &n.shared);
}

pub(crate) fn quota<'a>(out: &mut Encoder<'a>, q: &'a QuotaData<'_>) {
    out.raw(b"QUOTA ");
    q.root.encode(out);
    out.raw(b" (");
    for (i, r) in q.resources.iter().enumerate() {
        if i > 0 {
            out.sp();
        }
        out.raw(r.resource.name().as_bytes());
        out.sp();
        out.number(r.usage);
        out.sp();
        out.number(r.limit);
    }
    out.byte(b')');
}

pub(crate) fn quotaroot<'a>(out: &mut Encoder<'a>, q: &'a QuotaRootData<'_>) {
    out.raw(b"QUOTAROOT ");
    q.mailbox.encode(out);
    for r in &q.roots {
        out.sp();
        r.encode(out);
    }
}

pub(crate) fn acl<'a>(out: &mut Encoder<'a>, a: &'a AclData<'_>) {
    out.raw(b"ACL ");
    a.mailbox.encode(out);
    for (id, rights) in &a.entries {
        out.sp();
        id.encode(out);
        out.sp();
        rights.encode(out);
    }
}

pub(crate) fn listrights<'a>(out: &mut Encoder<'a>, l: &'a ListRights<'_>) {
    out.raw(b"LISTRIGHTS ");
    l.mailbox.encode(out);
    out.sp();
    l.identifier.encode(out);
    out.sp();
    l.required.encode(out);
    for r in &l.optional {
        out.sp();
        r.encode(out);
    }
}

pub(crate) fn myrights<'a>(out: &mut Encoder<'a>, m: &'a MyRights<'_>) {
    out.raw(b"MYRIGHTS ");
    m.mailbox.encode(out);
    out.sp();
    m.rights.encode(out);
}

pub(crate) fn metadata<'a>(out: &mut Encoder<'a>, m: &'a MetadataData<'_>) {
    out.raw(b"METADATA ");
    m.mailbox.encode(out);
    out.sp();
    match &m.entries {
        MetadataEntries::Values(values) => {
            out.byte(b'(');
            for (i, (entry, value)) in values.iter().enumerate() {
                if i > 0 {
                    out.sp();
                }
                entry.encode(out);
                out.sp();
                match value {
                    MetadataValue::NString(s) => s.encode(out),
                    MetadataValue::Literal8(l) => l.encode(out),
                }
            }
            out.byte(b')');
        }
        MetadataEntries::List(list) => super::sp_list(out, list.as_slice()),
    }
}

pub(crate) fn id<'a>(out: &mut Encoder<'a>, i: &'a IdParameters<'_>) {
    out.raw(b"ID ");
    match &i.0 {
        None => out.raw(b"NIL"),
        Some(pairs) => {
            out.byte(b'(');
            for (n, (key, value)) in pairs.iter().enumerate() {
                if n > 0 {
                    out.sp();
                }
                key.encode(out);
                out.sp();
                value.encode(out);
            }
            out.byte(b')');
        }
    }
}
