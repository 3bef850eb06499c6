//! `into_static` for responses: owned copies that borrow nothing.

use std::borrow::Cow;

use crate::types::body_structure::{
    Body, BodyExtension, BodyFields, Disposition, DispositionTail, Language, LanguageTail,
    LocationTail, MultiExtension, SingleExtension, SingleSpecific,
};
use crate::types::capability::Capability;
use crate::types::core::{AString, Atom, IString};
use crate::types::envelope::{Address, Envelope};
use crate::types::fetch_response::{BinaryData, MessageAttribute};
use crate::types::flag::{Flag, FlagFetch, FlagPerm};
use crate::types::mailbox_data::{
    AclData, ESearch, IdParameters, ListData, ListRights, MailboxAttribute, MetadataData,
    MetadataEntries, MyRights, NamespaceDescription, Namespaces, QuotaData, QuotaRootData,
    QuotaUsage, SearchReturnData, StatusData, StatusValue,
};
use crate::types::response::{Base64, Continue, Greeting, RespText, Response, Tagged, Untagged};
use crate::types::response_code::Code;

fn vec<T, U>(v: Vec<T>, f: impl FnMut(T) -> U) -> Vec<U> {
    v.into_iter().map(f).collect()
}

fn bytes(b: Cow<'_, [u8]>) -> Cow<'static, [u8]> {
    Cow::Owned(b.into_owned())
}

fn params(p: Vec<(IString<'_>, IString<'_>)>) -> Vec<(IString<'static>, IString<'static>)> {
    vec(p, |(k, v)| (k.into_static(), v.into_static()))
}

impl Response<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Response<'static> {
        match self {
            Response::Continue(c) => Response::Continue(c.into_static()),
            Response::Tagged(t) => Response::Tagged(t.into_static()),
            Response::Untagged(u) => Response::Untagged(u.into_static()),
        }
    }
}

impl Tagged<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Tagged<'static> {
        Tagged {
            tag: self.tag.into_static(),
            condition: self.condition,
            text: self.text.into_static(),
        }
    }
}

impl Continue<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Continue<'static> {
        match self {
            Continue::Text(t) => Continue::Text(t.into_static()),
            Continue::Base64(b) => Continue::Base64(Base64::unchecked(b.as_str().to_owned())),
        }
    }
}

impl Greeting<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Greeting<'static> {
        Greeting {
            kind: self.kind,
            text: self.text.into_static(),
        }
    }
}

impl RespText<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> RespText<'static> {
        RespText {
            code: self.code.map(Code::into_static),
            text: self.text.map(|t| t.into_static()),
        }
    }
}

impl Code<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Code<'static> {
        match self {
            Code::Alert => Code::Alert,
            Code::BadCharset(c) => Code::BadCharset(vec(c, AString::into_static)),
            Code::Capability(c) => Code::Capability(c.map(Capability::into_static)),
            Code::Parse => Code::Parse,
            Code::PermanentFlags(f) => Code::PermanentFlags(vec(f, FlagPerm::into_static)),
            Code::ReadOnly => Code::ReadOnly,
            Code::ReadWrite => Code::ReadWrite,
            Code::TryCreate => Code::TryCreate,
            Code::UidNext(n) => Code::UidNext(n),
            Code::UidValidity(n) => Code::UidValidity(n),
            Code::Unseen(n) => Code::Unseen(n),
            Code::Closed => Code::Closed,
            Code::UidNotSticky => Code::UidNotSticky,
            Code::AppendUid { uid_validity, uids } => Code::AppendUid {
                uid_validity,
                uids: uids.into_static(),
            },
            Code::CopyUid {
                uid_validity,
                source,
                destination,
            } => Code::CopyUid {
                uid_validity,
                source: source.into_static(),
                destination: destination.into_static(),
            },
            Code::HighestModSeq(n) => Code::HighestModSeq(n),
            Code::NoModSeq => Code::NoModSeq,
            Code::Modified(s) => Code::Modified(s.into_static()),
            Code::NotSaved => Code::NotSaved,
            Code::MailboxId(a) => Code::MailboxId(a.into_static()),
            Code::Metadata(m) => Code::Metadata(m),
            Code::CompressionActive => Code::CompressionActive,
            Code::Other { name, text } => Code::Other {
                name: name.into_static(),
                text: text.map(|t| t.into_static()),
            },
        }
    }
}

impl Untagged<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Untagged<'static> {
        match self {
            Untagged::Condition { condition, text } => Untagged::Condition {
                condition,
                text: text.into_static(),
            },
            Untagged::Bye(t) => Untagged::Bye(t.into_static()),
            Untagged::PreAuth(t) => Untagged::PreAuth(t.into_static()),
            Untagged::Capability(c) => Untagged::Capability(c.map(Capability::into_static)),
            Untagged::Enabled(c) => Untagged::Enabled(vec(c, Capability::into_static)),
            Untagged::Flags(f) => Untagged::Flags(vec(f, Flag::into_static)),
            Untagged::List(l) => Untagged::List(l.into_static()),
            Untagged::Lsub(l) => Untagged::Lsub(l.into_static()),
            Untagged::Status(s) => Untagged::Status(StatusData {
                mailbox: s.mailbox.into_static(),
                items: vec(s.items, StatusValue::into_static),
            }),
            Untagged::Search(s) => Untagged::Search(s),
            Untagged::Sort(s) => Untagged::Sort(s),
            Untagged::ESearch(e) => Untagged::ESearch(ESearch {
                tag: e.tag.map(AString::into_static),
                uid: e.uid,
                data: vec(e.data, SearchReturnData::into_static),
            }),
            Untagged::Thread(t) => Untagged::Thread(t),
            Untagged::Exists(n) => Untagged::Exists(n),
            Untagged::Recent(n) => Untagged::Recent(n),
            Untagged::Expunge(n) => Untagged::Expunge(n),
            Untagged::Fetch { seq, items } => Untagged::Fetch {
                seq,
                items: items.map(MessageAttribute::into_static),
            },
            Untagged::Vanished { earlier, uids } => Untagged::Vanished {
                earlier,
                uids: uids.into_static(),
            },
            Untagged::Namespace(n) => Untagged::Namespace(Namespaces {
                personal: vec(n.personal, NamespaceDescription::into_static),
                other_users: vec(n.other_users, NamespaceDescription::into_static),
                shared: vec(n.shared, NamespaceDescription::into_static),
            }),
            Untagged::Quota(q) => Untagged::Quota(QuotaData {
                root: q.root.into_static(),
                resources: vec(q.resources, |r| QuotaUsage {
                    resource: r.resource.into_static(),
                    usage: r.usage,
                    limit: r.limit,
                }),
            }),
            Untagged::QuotaRoot(q) => Untagged::QuotaRoot(QuotaRootData {
                mailbox: q.mailbox.into_static(),
                roots: vec(q.roots, AString::into_static),
            }),
            Untagged::Acl(a) => Untagged::Acl(AclData {
                mailbox: a.mailbox.into_static(),
                entries: vec(a.entries, |(i, r)| (i.into_static(), r.into_static())),
            }),
            Untagged::ListRights(l) => Untagged::ListRights(ListRights {
                mailbox: l.mailbox.into_static(),
                identifier: l.identifier.into_static(),
                required: l.required.into_static(),
                optional: vec(l.optional, AString::into_static),
            }),
            Untagged::MyRights(m) => Untagged::MyRights(MyRights {
                mailbox: m.mailbox.into_static(),
                rights: m.rights.into_static(),
            }),
            Untagged::Metadata(m) => Untagged::Metadata(MetadataData {
                mailbox: m.mailbox.into_static(),
                entries: match m.entries {
                    MetadataEntries::Values(v) => {
                        MetadataEntries::Values(v.map(|(e, v)| (e.into_static(), v.into_static())))
                    }
                    MetadataEntries::List(l) => MetadataEntries::List(l.map(AString::into_static)),
                },
            }),
            Untagged::Id(IdParameters(p)) => Untagged::Id(IdParameters(
                p.map(|p| vec(p, |(k, v)| (k.into_static(), v.into_static()))),
            )),
            Untagged::Unparsed(raw) => Untagged::Unparsed(bytes(raw)),
        }
    }
}

impl ListData<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> ListData<'static> {
        ListData {
            attributes: vec(self.attributes, |a| match a {
                MailboxAttribute::System(a) => MailboxAttribute::System(a.into_static()),
                MailboxAttribute::Keyword(a) => MailboxAttribute::Keyword(a.into_static()),
            }),
            delimiter: self.delimiter,
            mailbox: self.mailbox.into_static(),
            extended: vec(self.extended, |(t, v)| (t.into_static(), v.into_static())),
        }
    }
}

impl StatusValue<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> StatusValue<'static> {
        match self {
            StatusValue::Number(i, n) => StatusValue::Number(i, n),
            StatusValue::MailboxId(a) => StatusValue::MailboxId(a.into_static()),
            StatusValue::NoAppendLimit => StatusValue::NoAppendLimit,
            StatusValue::Other(a, n) => StatusValue::Other(a.into_static(), n),
        }
    }
}

impl SearchReturnData<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> SearchReturnData<'static> {
        match self {
            SearchReturnData::Min(n) => SearchReturnData::Min(n),
            SearchReturnData::Max(n) => SearchReturnData::Max(n),
            SearchReturnData::All(s) => SearchReturnData::All(s.into_static()),
            SearchReturnData::Count(n) => SearchReturnData::Count(n),
            SearchReturnData::ModSeq(n) => SearchReturnData::ModSeq(n),
            SearchReturnData::Other(a, v) => {
                SearchReturnData::Other(a.into_static(), v.into_static())
            }
        }
    }
}

impl NamespaceDescription<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> NamespaceDescription<'static> {
        NamespaceDescription {
            prefix: self.prefix.into_static(),
            delimiter: self.delimiter,
            extensions: vec(self.extensions, |(k, v)| {
                (k.into_static(), v.map(IString::into_static))
            }),
        }
    }
}

impl MessageAttribute<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> MessageAttribute<'static> {
        use MessageAttribute as M;
        match self {
            M::Flags(f) => M::Flags(vec(f, FlagFetch::into_static)),
            M::Envelope(e) => M::Envelope(Box::new(e.into_static())),
            M::InternalDate(d) => M::InternalDate(d),
            M::Rfc822Size(n) => M::Rfc822Size(n),
            M::Body(b) => M::Body(Box::new(b.into_static())),
            M::BodyStructure(b) => M::BodyStructure(Box::new(b.into_static())),
            M::BodySection {
                section,
                origin,
                data,
            } => M::BodySection {
                section: section.map(|s| s.into_static()),
                origin,
                data: data.into_static(),
            },
            M::Binary { section, data } => M::Binary {
                section,
                data: match data {
                    BinaryData::NString(s) => BinaryData::NString(s.into_static()),
                    BinaryData::Literal8(l) => BinaryData::Literal8(l.into_static()),
                },
            },
            M::BinarySize { section, size } => M::BinarySize { section, size },
            M::Uid(n) => M::Uid(n),
            M::Rfc822(s) => M::Rfc822(s.into_static()),
            M::Rfc822Header(s) => M::Rfc822Header(s.into_static()),
            M::Rfc822Text(s) => M::Rfc822Text(s.into_static()),
            M::ModSeq(n) => M::ModSeq(n),
            M::EmailId(a) => M::EmailId(a.into_static()),
            M::ThreadId(a) => M::ThreadId(a.map(Atom::into_static)),
            M::SaveDate(d) => M::SaveDate(d),
            M::Other { name, value } => M::Other {
                name: Cow::Owned(name.into_owned()),
                value: bytes(value),
            },
            M::Unparsed(raw) => M::Unparsed(bytes(raw)),
        }
    }
}

impl Envelope<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Envelope<'static> {
        Envelope {
            date: self.date.into_static(),
            subject: self.subject.into_static(),
            from: vec(self.from, Address::into_static),
            sender: vec(self.sender, Address::into_static),
            reply_to: vec(self.reply_to, Address::into_static),
            to: vec(self.to, Address::into_static),
            cc: vec(self.cc, Address::into_static),
            bcc: vec(self.bcc, Address::into_static),
            in_reply_to: self.in_reply_to.into_static(),
            message_id: self.message_id.into_static(),
        }
    }
}

impl Address<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Address<'static> {
        Address {
            name: self.name.into_static(),
            adl: self.adl.into_static(),
            mailbox: self.mailbox.into_static(),
            host: self.host.into_static(),
        }
    }
}

impl Body<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> Body<'static> {
        match self {
            Body::Single {
                media_type,
                media_subtype,
                fields,
                specific,
                extension,
            } => Body::Single {
                media_type: media_type.into_static(),
                media_subtype: media_subtype.into_static(),
                fields: BodyFields {
                    params: params(fields.params),
                    id: fields.id.into_static(),
                    description: fields.description.into_static(),
                    encoding: fields.encoding.into_static(),
                    octets: fields.octets,
                },
                specific: match specific {
                    SingleSpecific::Basic => SingleSpecific::Basic,
                    SingleSpecific::Text { lines } => SingleSpecific::Text { lines },
                    SingleSpecific::Message {
                        envelope,
                        body,
                        lines,
                    } => SingleSpecific::Message {
                        envelope: Box::new(envelope.into_static()),
                        body: Box::new(body.into_static()),
                        lines,
                    },
                },
                extension: extension.map(|e| SingleExtension {
                    md5: e.md5.into_static(),
                    tail: tail(e.tail),
                }),
            },
            Body::Multi {
                parts,
                media_subtype,
                extension,
            } => Body::Multi {
                parts: parts.map(Body::into_static),
                media_subtype: media_subtype.into_static(),
                extension: extension.map(|e| MultiExtension {
                    params: params(e.params),
                    tail: tail(e.tail),
                }),
            },
        }
    }
}

fn tail(t: Option<DispositionTail<'_>>) -> Option<DispositionTail<'static>> {
    t.map(|t| DispositionTail {
        disposition: t.disposition.map(|d| Disposition {
            kind: d.kind.into_static(),
            params: params(d.params),
        }),
        tail: t.tail.map(|l| LanguageTail {
            language: match l.language {
                Language::Single(s) => Language::Single(s.into_static()),
                Language::List(l) => Language::List(l.map(IString::into_static)),
            },
            tail: l.tail.map(|l| LocationTail {
                location: l.location.into_static(),
                extensions: vec(l.extensions, BodyExtension::into_static),
            }),
        }),
    })
}

impl BodyExtension<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> BodyExtension<'static> {
        match self {
            BodyExtension::NString(s) => BodyExtension::NString(s.into_static()),
            BodyExtension::Number(n) => BodyExtension::Number(n),
            BodyExtension::List(l) => BodyExtension::List(l.map(BodyExtension::into_static)),
        }
    }
}
