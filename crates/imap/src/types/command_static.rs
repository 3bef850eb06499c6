//! `into_static` for commands: owned copies that borrow nothing.

use crate::types::auth::Base64;
use crate::types::command::{AppendData, AppendMessage, CommandBody, Entries, InitialResponse};
use crate::types::condstore::{FetchModifier, StoreModifier};
use crate::types::core::{AString, Atom};
use crate::types::flag::Flag;
use crate::types::list::{ListReturnOption, ListSelectOption};
use crate::types::search::{SearchKey, SearchReturnOption};

fn opt_vec<T, U>(v: Option<Vec<T>>, f: impl FnMut(T) -> U) -> Option<Vec<U>> {
    v.map(|v| v.into_iter().map(f).collect())
}

fn vec<T, U>(v: Vec<T>, f: impl FnMut(T) -> U) -> Vec<U> {
    v.into_iter().map(f).collect()
}

impl AppendMessage<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> AppendMessage<'static> {
        AppendMessage {
            flags: opt_vec(self.flags, Flag::into_static),
            date: self.date,
            data: match self.data {
                AppendData::Literal(l) => AppendData::Literal(l.into_static()),
                AppendData::Literal8(l) => AppendData::Literal8(l.into_static()),
                AppendData::Utf8(l) => AppendData::Utf8(l.into_static()),
            },
        }
    }
}

impl InitialResponse<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> InitialResponse<'static> {
        match self {
            InitialResponse::Empty => InitialResponse::Empty,
            InitialResponse::Base64(s) => InitialResponse::Base64(s.map(Base64::into_static)),
        }
    }
}

pub(crate) fn body_into_static(body: CommandBody<'_>) -> CommandBody<'static> {
    use CommandBody as C;
    match body {
        C::Capability => C::Capability,
        C::Noop => C::Noop,
        C::Logout => C::Logout,
        C::StartTls => C::StartTls,
        C::Authenticate {
            mechanism,
            initial_response,
        } => C::Authenticate {
            mechanism: mechanism.into_static(),
            initial_response: initial_response.map(InitialResponse::into_static),
        },
        C::Login { username, password } => C::Login {
            username: username.into_static(),
            password: password.map(AString::into_static),
        },
        C::Enable { capabilities } => C::Enable {
            capabilities: capabilities.map(|c| c.into_static()),
        },
        C::Select {
            mailbox,
            parameters,
        } => C::Select {
            mailbox: mailbox.into_static(),
            parameters: vec(parameters, |p| p.into_static()),
        },
        C::Examine {
            mailbox,
            parameters,
        } => C::Examine {
            mailbox: mailbox.into_static(),
            parameters: vec(parameters, |p| p.into_static()),
        },
        C::Create {
            mailbox,
            special_use,
        } => C::Create {
            mailbox: mailbox.into_static(),
            special_use: opt_vec(special_use, Atom::into_static),
        },
        C::Delete { mailbox } => C::Delete {
            mailbox: mailbox.into_static(),
        },
        C::Rename { from, to } => C::Rename {
            from: from.into_static(),
            to: to.into_static(),
        },
        C::Subscribe { mailbox } => C::Subscribe {
            mailbox: mailbox.into_static(),
        },
        C::Unsubscribe { mailbox } => C::Unsubscribe {
            mailbox: mailbox.into_static(),
        },
        C::List {
            selection,
            reference,
            patterns,
            return_options,
        } => C::List {
            selection: opt_vec(selection, ListSelectOption::into_static),
            reference: reference.into_static(),
            patterns: patterns.into_static(),
            return_options: opt_vec(return_options, ListReturnOption::into_static),
        },
        C::Lsub { reference, pattern } => C::Lsub {
            reference: reference.into_static(),
            pattern: pattern.into_static(),
        },
        C::Namespace => C::Namespace,
        C::Status { mailbox, items } => C::Status {
            mailbox: mailbox.into_static(),
            items,
        },
        C::Append { mailbox, messages } => C::Append {
            mailbox: mailbox.into_static(),
            messages: messages.map(AppendMessage::into_static),
        },
        C::Idle => C::Idle,
        C::Id { parameters } => C::Id {
            parameters: opt_vec(parameters, |(k, v)| (k.into_static(), v.into_static())),
        },
        C::GetQuota { root } => C::GetQuota {
            root: root.into_static(),
        },
        C::GetQuotaRoot { mailbox } => C::GetQuotaRoot {
            mailbox: mailbox.into_static(),
        },
        C::SetQuota { root, limits } => C::SetQuota {
            root: root.into_static(),
            limits: vec(limits, |(r, n)| (r.into_static(), n)),
        },
        C::SetAcl {
            mailbox,
            identifier,
            rights,
        } => C::SetAcl {
            mailbox: mailbox.into_static(),
            identifier: identifier.into_static(),
            rights: rights.into_static(),
        },
        C::DeleteAcl {
            mailbox,
            identifier,
        } => C::DeleteAcl {
            mailbox: mailbox.into_static(),
            identifier: identifier.into_static(),
        },
        C::GetAcl { mailbox } => C::GetAcl {
            mailbox: mailbox.into_static(),
        },
        C::ListRights {
            mailbox,
            identifier,
        } => C::ListRights {
            mailbox: mailbox.into_static(),
            identifier: identifier.into_static(),
        },
        C::MyRights { mailbox } => C::MyRights {
            mailbox: mailbox.into_static(),
        },
        C::GetMetadata {
            options,
            mailbox,
            entries,
        } => C::GetMetadata {
            options,
            mailbox: mailbox.into_static(),
            entries: match entries {
                Entries::Single(e) => Entries::Single(e.into_static()),
                Entries::List(l) => Entries::List(l.map(AString::into_static)),
            },
        },
        C::SetMetadata { mailbox, entries } => C::SetMetadata {
            mailbox: mailbox.into_static(),
            entries: entries.map(|(e, v)| (e.into_static(), v.into_static())),
        },
        C::Compress { algorithm } => C::Compress {
            algorithm: algorithm.into_static(),
        },
        C::Check => C::Check,
        C::Close => C::Close,
        C::Unselect => C::Unselect,
        C::Expunge => C::Expunge,
        C::UidExpunge { set } => C::UidExpunge {
            set: set.into_static(),
        },
        C::Search {
            return_options,
            charset,
            criteria,
            uid,
        } => C::Search {
            return_options: opt_vec(return_options, SearchReturnOption::into_static),
            charset: charset.map(AString::into_static),
            criteria: criteria.map(SearchKey::into_static),
            uid,
        },
        C::Fetch {
            set,
            items,
            modifiers,
            uid,
        } => C::Fetch {
            set: set.into_static(),
            items: items.into_static(),
            modifiers: vec(modifiers, FetchModifier::into_static),
            uid,
        },
        C::Store {
            set,
            kind,
            silent,
            flags,
            modifiers,
            uid,
        } => C::Store {
            set: set.into_static(),
            kind,
            silent,
            flags: vec(flags, Flag::into_static),
            modifiers: vec(modifiers, StoreModifier::into_static),
            uid,
        },
        C::Copy { set, mailbox, uid } => C::Copy {
            set: set.into_static(),
            mailbox: mailbox.into_static(),
            uid,
        },
        C::Move { set, mailbox, uid } => C::Move {
            set: set.into_static(),
            mailbox: mailbox.into_static(),
            uid,
        },
        C::Sort {
            return_options,
            criteria,
            charset,
            search,
            uid,
        } => C::Sort {
            return_options: opt_vec(return_options, SearchReturnOption::into_static),
            criteria,
            charset: charset.into_static(),
            search: search.map(SearchKey::into_static),
            uid,
        },
        C::Thread {
            algorithm,
            charset,
            search,
            uid,
        } => C::Thread {
            algorithm: algorithm.into_static(),
            charset: charset.into_static(),
            search: search.map(SearchKey::into_static),
            uid,
        },
    }
}
