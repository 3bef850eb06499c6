//! Executing commands ([RFC 5228 §3, §4]).

use std::borrow::Cow;
use std::collections::HashMap;

use mailwire_message::Message;

use super::action::{Action, Actions};
use super::{Config, Context, DuplicateRecord, Envelope};
use crate::compile::Script;
use crate::compile::string::{Piece, Str};
use crate::error::RuntimeError;
use crate::ext::Extension;
use crate::types::{Command, FlagOperation, StrList};

/// The state of one run.
pub(crate) struct Run<'r, 'm> {
    pub(crate) script: &'r Script,
    pub(crate) config: &'r Config,
    pub(crate) message: &'r Message<'m>,
    pub(crate) envelope: &'r Envelope,
    pub(crate) context: &'r mut dyn Context,
    /// Variables by lowercased name; `""` is imap4flags' internal variable.
    pub(crate) variables: HashMap<String, String>,
    pub(crate) match_variables: Vec<String>,
    pub(crate) actions: Actions,
    pub(crate) duplicates: Vec<DuplicateRecord>,
    pub(crate) work: u64,
    pub(crate) size: Option<u64>,
}

/// Whether to go on after a command.
enum Flow {
    Continue,
    Stop,
}

impl Run<'_, '_> {
    pub(crate) fn execute(&mut self) -> Result<(), RuntimeError> {
        let commands = &self.script.commands;
        self.block(commands)?;
        Ok(())
    }

    /// Spends `units` of the work budget.
    pub(crate) fn charge(&mut self, units: usize) -> Result<(), RuntimeError> {
        self.work = self.work.saturating_add(units as u64);
        if self.work > self.config.limits.max_work {
            return Err(RuntimeError::LimitExceeded {
                limit: "max_work",
                max: self.config.limits.max_work,
            });
        }
        Ok(())
    }

    /// Whether the script required `extension`.
    pub(crate) fn has(&self, extension: Extension) -> bool {
        self.script.extensions().contains(extension)
    }

    fn block(&mut self, commands: &[Command]) -> Result<Flow, RuntimeError> {
        for command in commands {
            self.charge(1)?;
            if let Flow::Stop = self.command(command)? {
                return Ok(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    }

    fn command(&mut self, command: &Command) -> Result<Flow, RuntimeError> {
        let max_actions = self.config.limits.max_actions;
        match command {
            Command::If {
                branches,
                otherwise,
            } => {
                for (test, block) in branches {
                    if self.test(test)? {
                        return self.block(block);
                    }
                }
                if let Some(block) = otherwise {
                    return self.block(block);
                }
            }
            Command::Stop => return Ok(Flow::Stop),
            Command::Keep { flags } => {
                let flags = self.flags_argument(flags.as_ref())?;
                self.actions.add(Action::Keep { flags }, max_actions)?;
                self.actions.implicit_keep = false;
            }
            Command::Discard => self.actions.implicit_keep = false,
            Command::Redirect { address, copy } => {
                let value = self.expand(address)?;
                let address = super::redirect_address(&value)
                    .ok_or_else(|| RuntimeError::InvalidAddress(value.into_owned()))?;
                let is_new = !self
                    .actions
                    .list
                    .iter()
                    .any(|a| matches!(a, Action::Redirect { address: x } if x.eq_ignore_ascii_case(&address)));
                if is_new {
                    if self.actions.redirects >= self.config.limits.max_redirects {
                        return Err(RuntimeError::LimitExceeded {
                            limit: "max_redirects",
                            max: self.config.limits.max_redirects as u64,
                        });
                    }
                    self.actions.redirects += 1;
                }
                self.actions
                    .add(Action::Redirect { address }, max_actions)?;
                if !copy {
                    self.actions.implicit_keep = false;
                }
            }
            Command::FileInto {
                mailbox,
                flags,
                copy,
                create,
            } => {
                let mailbox = self.expand(mailbox)?.into_owned();
                if mailbox.is_empty() || mailbox.contains(['\r', '\n', '\0']) {
                    return Err(RuntimeError::InvalidMailbox(mailbox));
                }
                let flags = self.flags_argument(flags.as_ref())?;
                let action = if mailbox.eq_ignore_ascii_case("INBOX") {
                    Action::Keep { flags }
                } else {
                    Action::FileInto {
                        mailbox,
                        flags,
                        create: *create,
                    }
                };
                self.actions.add(action, max_actions)?;
                if !copy {
                    self.actions.implicit_keep = false;
                }
            }
            Command::Reject { reason, extended } => {
                let reason = self.expand(reason)?.into_owned();
                self.actions.add(
                    Action::Reject {
                        reason,
                        extended: *extended,
                    },
                    max_actions,
                )?;
                self.actions.implicit_keep = false;
            }
            Command::Vacation(vacation) => {
                if let Some(response) = crate::ext::vacation::respond(self, vacation)? {
                    self.actions.add(Action::Vacation(response), max_actions)?;
                }
            }
            Command::Flags {
                operation,
                variable,
                flags,
            } => {
                let name = match variable {
                    Some(v) => self.expand(v)?.into_owned(),
                    None => String::new(),
                };
                let new = self.flag_list(flags)?;
                let current =
                    crate::ext::flags::split(self.variables.get(&name).map_or("", String::as_str));
                let result = match operation {
                    FlagOperation::Set => crate::ext::flags::normalise(new),
                    FlagOperation::Add => {
                        crate::ext::flags::normalise(current.into_iter().chain(new).collect())
                    }
                    FlagOperation::Remove => current
                        .into_iter()
                        .filter(|f| !new.iter().any(|n| n.eq_ignore_ascii_case(f)))
                        .collect(),
                };
                let value = self.truncate(result.join(" "));
                self.variables.insert(name, value);
            }
            Command::Set {
                name,
                value,
                modifiers,
            } => {
                let value = self.expand(value)?.into_owned();
                let value = crate::ext::variables::apply_modifiers(value, modifiers);
                let value = self.truncate(value);
                self.charge(value.len())?;
                self.variables.insert(name.clone(), value);
            }
        }
        Ok(Flow::Continue)
    }

    /// `:flags` when given, else the internal variable ([RFC 5232 §5]).
    fn flags_argument(&mut self, flags: Option<&StrList>) -> Result<Vec<String>, RuntimeError> {
        match flags {
            Some(list) => {
                let list = self.flag_list(list)?;
                Ok(crate::ext::flags::normalise(list))
            }
            None if self.has(Extension::Imap4Flags) => Ok(crate::ext::flags::split(
                self.variables.get("").map_or("", String::as_str),
            )),
            None => Ok(Vec::new()),
        }
    }

    /// A list of flag strings, each split at spaces.
    pub(crate) fn flag_list(&mut self, list: &StrList) -> Result<Vec<String>, RuntimeError> {
        let mut out = Vec::new();
        for s in list {
            let s = self.expand(s)?;
            out.extend(crate::ext::flags::split(&s));
        }
        Ok(out)
    }

    /// Cuts a value to [`Limits::max_variable_size`](crate::Limits::max_variable_size)
    /// at a character boundary.
    pub(crate) fn truncate(&self, mut value: String) -> String {
        let max = self.config.limits.max_variable_size;
        if value.len() > max {
            let mut end = max;
            while !value.is_char_boundary(end) {
                end = end.saturating_sub(1);
            }
            value.truncate(end);
        }
        value
    }

    /// A string with its variable references replaced ([RFC 5229 §3]).
    ///
    /// [RFC 5229 §3]: https://www.rfc-editor.org/rfc/rfc5229#section-3
    pub(crate) fn expand<'s>(&mut self, s: &'s Str) -> Result<Cow<'s, str>, RuntimeError> {
        if let Some(literal) = s.as_literal() {
            return Ok(Cow::Borrowed(literal));
        }
        let mut out = String::new();
        for piece in s.pieces() {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Variable(name) => {
                    if let Some(v) = self.variables.get(name) {
                        out.push_str(v);
                    }
                }
                Piece::Match(n) => {
                    if let Some(v) = self.match_variables.get(*n) {
                        out.push_str(v);
                    }
                }
            }
        }
        self.charge(out.len())?;
        Ok(Cow::Owned(out))
    }

    /// Expands every string of a list.
    pub(crate) fn expand_list<'s>(
        &mut self,
        list: &'s StrList,
    ) -> Result<Vec<Cow<'s, str>>, RuntimeError> {
        list.iter().map(|s| self.expand(s)).collect()
    }

    /// The message size in octets ([RFC 5228 §5.9]).
    ///
    /// [RFC 5228 §5.9]: https://www.rfc-editor.org/rfc/rfc5228#section-5.9
    pub(crate) fn message_size(&mut self) -> u64 {
        if let Some(size) = self.size {
            return size;
        }
        let mut buf = Vec::new();
        self.message.write_to(&mut buf);
        let size = buf.len() as u64;
        self.size = Some(size);
        size
    }
}
