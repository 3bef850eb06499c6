//! Command encoders ([RFC 9051 §6]) and the extension commands.
//!
//! [RFC 9051 §6]: https://www.rfc-editor.org/rfc/rfc9051#section-6

use super::{Encode, EncodeConfig, Encoded, Encoder, paren_list, sp_list};
use crate::types::command::{
    AppendData, AppendMessage, Command, CommandBody, Entries, InitialResponse, StoreKind,
};
use crate::types::condstore::{FetchModifier, SelectParameter, StoreModifier};
use crate::types::list::{ListPatterns, ListReturnOption, ListSelectOption};
use crate::types::metadata::{MetadataDepth, MetadataOption, MetadataValue};
use crate::types::quota::QuotaResource;
use crate::types::status::StatusItem;

/// Encodes a command into fragments.
pub(crate) fn encode_command<'a>(command: &'a Command<'_>, config: EncodeConfig) -> Encoded<'a> {
    let mut out = Encoder::new(config);
    command.tag.encode(&mut out);
    out.sp();
    command.body.encode(&mut out);
    out.finish()
}

impl Encode for StatusItem {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        out.raw(self.name().as_bytes());
    }
}

impl Encode for QuotaResource<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        out.raw(self.name().as_bytes());
    }
}

impl Encode for SelectParameter<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            SelectParameter::CondStore => out.raw(b"CONDSTORE"),
            SelectParameter::QResync {
                uid_validity,
                mod_sequence,
                known_uids,
                seq_match,
            } => {
                out.raw(b"QRESYNC (");
                out.number(u64::from(uid_validity.get()));
                out.sp();
                out.number(mod_sequence.get());
                if let Some(set) = known_uids {
                    out.sp();
                    set.encode(out);
                }
                if let Some((seqs, uids)) = seq_match {
                    out.raw(b" (");
                    seqs.encode(out);
                    out.sp();
                    uids.encode(out);
                    out.byte(b')');
                }
                out.byte(b')');
            }
            SelectParameter::Other(e) => e.encode(out),
        }
    }
}

impl Encode for FetchModifier<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            FetchModifier::ChangedSince(n) => {
                out.raw(b"CHANGEDSINCE ");
                out.number(n.get());
            }
            FetchModifier::Vanished => out.raw(b"VANISHED"),
            FetchModifier::Other(e) => e.encode(out),
        }
    }
}

impl Encode for StoreModifier<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            StoreModifier::UnchangedSince(n) => {
                out.raw(b"UNCHANGEDSINCE ");
                out.number(*n);
            }
            StoreModifier::Other(e) => e.encode(out),
        }
    }
}

impl Encode for ListSelectOption<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            ListSelectOption::Subscribed => out.raw(b"SUBSCRIBED"),
            ListSelectOption::Remote => out.raw(b"REMOTE"),
            ListSelectOption::RecursiveMatch => out.raw(b"RECURSIVEMATCH"),
            ListSelectOption::SpecialUse => out.raw(b"SPECIAL-USE"),
            ListSelectOption::Other(a) => a.encode(out),
        }
    }
}

impl Encode for ListReturnOption<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            ListReturnOption::Subscribed => out.raw(b"SUBSCRIBED"),
            ListReturnOption::Children => out.raw(b"CHILDREN"),
            ListReturnOption::SpecialUse => out.raw(b"SPECIAL-USE"),
            ListReturnOption::Status(items) => {
                out.raw(b"STATUS ");
                paren_list(out, items.as_slice());
            }
            ListReturnOption::Other(a) => a.encode(out),
        }
    }
}

impl Encode for MetadataOption {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        match self {
            MetadataOption::MaxSize(n) => {
                out.raw(b"MAXSIZE ");
                out.number(u64::from(*n));
            }
            MetadataOption::Depth(d) => out.raw(match d {
                MetadataDepth::Zero => b"DEPTH 0",
                MetadataDepth::One => b"DEPTH 1",
                MetadataDepth::Infinity => b"DEPTH infinity",
            }),
        }
    }
}

impl Encode for AppendMessage<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        if let Some(flags) = &self.flags {
            paren_list(out, flags);
            out.sp();
        }
        if let Some(date) = &self.date {
            date.encode(out);
            out.sp();
        }
        match &self.data {
            AppendData::Literal(l) => l.encode(out),
            AppendData::Literal8(l) => l.encode(out),
            AppendData::Utf8(l) => {
                out.raw(b"UTF8 (");
                l.encode(out);
                out.byte(b')');
            }
        }
    }
}

/// Writes ` (items)` when `items` is not empty.
fn opt_paren<'a, T: Encode>(out: &mut Encoder<'a>, items: &'a [T]) {
    if !items.is_empty() {
        out.sp();
        paren_list(out, items);
    }
}

impl Encode for CommandBody<'_> {
    fn encode<'a>(&'a self, out: &mut Encoder<'a>) {
        use CommandBody as C;
        let uid = match self {
            C::Search { uid, .. }
            | C::Fetch { uid, .. }
            | C::Store { uid, .. }
            | C::Copy { uid, .. }
            | C::Move { uid, .. }
            | C::Sort { uid, .. }
            | C::Thread { uid, .. } => *uid,
            _ => false,
        };
        if uid {
            out.raw(b"UID ");
        }
        let name = self.name();
        let name = if uid {
            name.strip_prefix("UID ").unwrap_or(name)
        } else {
            name
        };
        out.raw(name.as_bytes());
        match self {
            C::Capability
            | C::Noop
            | C::Logout
            | C::StartTls
            | C::Namespace
            | C::Idle
            | C::Check
            | C::Close
            | C::Unselect
            | C::Expunge => {}
            C::Authenticate {
                mechanism,
                initial_response,
            } => {
                out.sp();
                mechanism.encode(out);
                match initial_response {
                    Some(InitialResponse::Empty) => out.raw(b" ="),
                    Some(InitialResponse::Base64(s)) => {
                        out.sp();
                        out.raw(s.expose_secret().as_str().as_bytes());
                    }
                    None => {}
                }
            }
            C::Login { username, password } => {
                out.sp();
                username.encode(out);
                out.sp();
                password.expose_secret().encode(out);
            }
            C::Enable { capabilities } => {
                out.sp();
                sp_list(out, capabilities.as_slice());
            }
            C::Select {
                mailbox,
                parameters,
            }
            | C::Examine {
                mailbox,
                parameters,
            } => {
                out.sp();
                mailbox.encode(out);
                opt_paren(out, parameters);
            }
            C::Create {
                mailbox,
                special_use,
            } => {
                out.sp();
                mailbox.encode(out);
                if let Some(attrs) = special_use {
                    out.raw(b" (USE (");
                    for (i, a) in attrs.iter().enumerate() {
                        if i > 0 {
                            out.sp();
                        }
                        out.byte(b'\\');
                        a.encode(out);
                    }
                    out.raw(b"))");
                }
            }
            C::Delete { mailbox }
            | C::Subscribe { mailbox }
            | C::Unsubscribe { mailbox }
            | C::GetQuotaRoot { mailbox }
            | C::GetAcl { mailbox }
            | C::MyRights { mailbox } => {
                out.sp();
                mailbox.encode(out);
            }
            C::Rename { from, to } => {
                out.sp();
                from.encode(out);
                out.sp();
                to.encode(out);
            }
            C::List {
                selection,
                reference,
                patterns,
                return_options,
            } => {
                out.sp();
                if let Some(selection) = selection {
                    paren_list(out, selection);
                    out.sp();
                }
                reference.encode(out);
                out.sp();
                match patterns {
                    ListPatterns::Single(p) => p.encode(out),
                    ListPatterns::Multiple(p) => paren_list(out, p.as_slice()),
                }
                if let Some(options) = return_options {
                    out.raw(b" RETURN ");
                    paren_list(out, options);
                }
            }
            C::Lsub { reference, pattern } => {
                out.sp();
                reference.encode(out);
                out.sp();
                pattern.encode(out);
            }
            C::Status { mailbox, items } => {
                out.sp();
                mailbox.encode(out);
                out.sp();
                paren_list(out, items.as_slice());
            }
            C::Append { mailbox, messages } => {
                out.sp();
                mailbox.encode(out);
                for message in messages {
                    out.sp();
                    message.encode(out);
                }
            }
            C::Id { parameters } => {
                out.sp();
                match parameters {
                    None => out.raw(b"NIL"),
                    Some(parameters) => {
                        out.byte(b'(');
                        for (i, (key, value)) in parameters.iter().enumerate() {
                            if i > 0 {
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
            C::GetQuota { root } => {
                out.sp();
                root.encode(out);
            }
            C::SetQuota { root, limits } => {
                out.sp();
                root.encode(out);
                out.raw(b" (");
                for (i, (resource, limit)) in limits.iter().enumerate() {
                    if i > 0 {
                        out.sp();
                    }
                    resource.encode(out);
                    out.sp();
                    out.number(*limit);
                }
                out.byte(b')');
            }
            C::SetAcl {
                mailbox,
                identifier,
                rights,
            } => {
                out.sp();
                mailbox.encode(out);
                out.sp();
                identifier.encode(out);
                out.sp();
                rights.encode(out);
            }
            C::DeleteAcl {
                mailbox,
                identifier,
            }
            | C::ListRights {
                mailbox,
                identifier,
            } => {
                out.sp();
                mailbox.encode(out);
                out.sp();
                identifier.encode(out);
            }
            C::GetMetadata {
                options,
                mailbox,
                entries,
            } => {
                if !options.is_empty() {
                    out.sp();
                    paren_list(out, options);
                }
                out.sp();
                mailbox.encode(out);
                out.sp();
                match entries {
                    Entries::Single(e) => e.encode(out),
                    Entries::List(l) => paren_list(out, l.as_slice()),
                }
            }
            C::SetMetadata { mailbox, entries } => {
                out.sp();
                mailbox.encode(out);
                out.raw(b" (");
                for (i, (entry, value)) in entries.iter().enumerate() {
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
            C::Compress { algorithm } => {
                out.sp();
                algorithm.encode(out);
            }
            C::UidExpunge { set } => {
                out.sp();
                set.encode(out);
            }
            C::Search {
                return_options,
                charset,
                criteria,
                ..
            } => {
                super::search::return_options(out, return_options);
                out.sp();
                if let Some(charset) = charset {
                    out.raw(b"CHARSET ");
                    charset.encode(out);
                    out.sp();
                }
                sp_list(out, criteria.as_slice());
            }
            C::Fetch {
                set,
                items,
                modifiers,
                ..
            } => {
                out.sp();
                set.encode(out);
                out.sp();
                items.encode(out);
                opt_paren(out, modifiers);
            }
            C::Store {
                set,
                kind,
                silent,
                flags,
                modifiers,
                ..
            } => {
                out.sp();
                set.encode(out);
                opt_paren(out, modifiers);
                out.raw(match kind {
                    StoreKind::Replace => b" FLAGS",
                    StoreKind::Add => b" +FLAGS",
                    StoreKind::Remove => b" -FLAGS",
                });
                if *silent {
                    out.raw(b".SILENT");
                }
                out.sp();
                paren_list(out, flags);
            }
            C::Copy { set, mailbox, .. } | C::Move { set, mailbox, .. } => {
                out.sp();
                set.encode(out);
                out.sp();
                mailbox.encode(out);
            }
            C::Sort {
                return_options,
                criteria,
                charset,
                search,
                ..
            } => {
                super::search::return_options(out, return_options);
                out.sp();
                paren_list(out, criteria.as_slice());
                out.sp();
                charset.encode(out);
                out.sp();
                sp_list(out, search.as_slice());
            }
            C::Thread {
                algorithm,
                charset,
                search,
                ..
            } => {
                out.sp();
                out.raw(algorithm.name().as_bytes());
                out.sp();
                charset.encode(out);
                out.sp();
                sp_list(out, search.as_slice());
            }
        }
    }
}
