//! Compiling commands ([RFC 5228 §3, §4] and the extension RFCs).

use super::Compiler;
use super::args::Args;
use super::string::{Str, is_identifier};
use crate::error::{ScriptError, ScriptErrorKind};
use crate::ext::Extension;
use crate::parse;
use crate::types::{Command, FlagOperation, Modifier, Vacation};

impl Compiler {
    /// Compiles a command other than `if`/`elsif`/`else`/`require`.
    pub(crate) fn command(
        &mut self,
        command: &parse::Command,
        name: &str,
    ) -> Result<Command, ScriptError> {
        let mut args = Args::new(&command.name, command.position, &command.arguments);
        if !command.tests.is_empty() || command.block.is_some() {
            return Err(args.error("takes no test or block"));
        }
        let at = command.position;
        let compiled = match name {
            "stop" => Command::Stop,
            "discard" => Command::Discard,
            "keep" => {
                let mut flags = None;
                while let Some((tag, position)) = args.next_tag() {
                    match tag.as_str() {
                        "flags" => {
                            self.need(Extension::Imap4Flags, position)?;
                            flags = Some(args.string_list(self, "flags")?);
                        }
                        _ => return Err(args.unknown_tag(&tag, position)),
                    }
                }
                Command::Keep { flags }
            }
            "redirect" => {
                let mut copy = false;
                while let Some((tag, position)) = args.next_tag() {
                    match tag.as_str() {
                        "copy" => {
                            self.need(Extension::Copy, position)?;
                            copy = true;
                        }
                        _ => return Err(args.unknown_tag(&tag, position)),
                    }
                }
                let (raw, position) = args.raw_string("address")?;
                let address = self.string(raw, position)?;
                if let Some(literal) = address.as_literal()
                    && crate::run::redirect_address(literal).is_none()
                {
                    return Err(ScriptError::new(
                        position,
                        ScriptErrorKind::InvalidValue {
                            what: "redirect address",
                            value: literal.to_owned(),
                        },
                    ));
                }
                Command::Redirect { address, copy }
            }
            "fileinto" => {
                self.need(Extension::FileInto, at)?;
                let (mut copy, mut create, mut flags) = (false, false, None);
                while let Some((tag, position)) = args.next_tag() {
                    match tag.as_str() {
                        "copy" => {
                            self.need(Extension::Copy, position)?;
                            copy = true;
                        }
                        "create" => {
                            self.need(Extension::Mailbox, position)?;
                            create = true;
                        }
                        "flags" => {
                            self.need(Extension::Imap4Flags, position)?;
                            flags = Some(args.string_list(self, "flags")?);
                        }
                        _ => return Err(args.unknown_tag(&tag, position)),
                    }
                }
                let mailbox = args.string(self, "mailbox")?;
                Command::FileInto {
                    mailbox,
                    flags,
                    copy,
                    create,
                }
            }
            "reject" | "ereject" => {
                let extended = name == "ereject";
                self.need(
                    if extended {
                        Extension::Ereject
                    } else {
                        Extension::Reject
                    },
                    at,
                )?;
                let reason = args.string(self, "reason")?;
                Command::Reject { reason, extended }
            }
            "vacation" => {
                self.need(Extension::Vacation, at)?;
                Command::Vacation(Box::new(self.vacation(&mut args)?))
            }
            "setflag" | "addflag" | "removeflag" => {
                self.need(Extension::Imap4Flags, at)?;
                let operation = match name {
                    "setflag" => FlagOperation::Set,
                    "addflag" => FlagOperation::Add,
                    _ => FlagOperation::Remove,
                };
                let variable = if command.arguments.len() == 2 {
                    self.need(Extension::Variables, at)?;
                    let (raw, position) = args.raw_string("variable name")?;
                    Some(self.variable_name(raw, position, &args)?)
                } else {
                    None
                };
                let flags = args.string_list(self, "flags")?;
                Command::Flags {
                    operation,
                    variable,
                    flags,
                }
            }
            "set" => {
                self.need(Extension::Variables, at)?;
                let mut modifiers: Vec<Modifier> = Vec::new();
                while let Some((tag, position)) = args.next_tag() {
                    let modifier = match tag.as_str() {
                        "lower" => Modifier::Lower,
                        "upper" => Modifier::Upper,
                        "lowerfirst" => Modifier::LowerFirst,
                        "upperfirst" => Modifier::UpperFirst,
                        "quotewildcard" => Modifier::QuoteWildcard,
                        "length" => Modifier::Length,
                        _ => return Err(args.unknown_tag(&tag, position)),
                    };
                    if modifiers
                        .iter()
                        .any(|m| m.precedence() == modifier.precedence())
                    {
                        return Err(ScriptError::new(
                            position,
                            ScriptErrorKind::InvalidArguments {
                                command: command.name.clone(),
                                problem: format!("two modifiers of the same precedence (:{tag})"),
                            },
                        ));
                    }
                    modifiers.push(modifier);
                }
                modifiers.sort_by_key(|m| std::cmp::Reverse(m.precedence()));
                let (raw, position) = args.raw_string("variable name")?;
                let name = self.variable_name(raw, position, &args)?;
                let Some(name) = name.as_literal().map(str::to_owned) else {
                    return Err(args.error("variable name must be literal"));
                };
                let value = args.string(self, "value")?;
                Command::Set {
                    name,
                    value,
                    modifiers,
                }
            }
            _ => {
                return Err(ScriptError::new(
                    at,
                    ScriptErrorKind::Unknown {
                        what: "command",
                        name: command.name.clone(),
                    },
                ));
            }
        };
        args.finish()?;
        Ok(compiled)
    }

    /// A variable name argument: an identifier, lowercased ([RFC 5229 §3]).
    ///
    /// [RFC 5229 §3]: https://www.rfc-editor.org/rfc/rfc5229#section-3
    pub(crate) fn variable_name(
        &mut self,
        raw: &str,
        position: crate::Position,
        _args: &Args<'_>,
    ) -> Result<Str, ScriptError> {
        if !is_identifier(raw) {
            return Err(ScriptError::new(
                position,
                ScriptErrorKind::InvalidValue {
                    what: "variable name",
                    value: raw.to_owned(),
                },
            ));
        }
        let lower = raw.to_ascii_lowercase();
        self.variable(&lower, position)?;
        Ok(Str::literal(lower))
    }

    /// The arguments of `vacation` ([RFC 5230 §4], RFC 6131).
    fn vacation(&mut self, args: &mut Args<'_>) -> Result<Vacation, ScriptError> {
        let mut v = Vacation {
            seconds: None,
            subject: None,
            from: None,
            addresses: Vec::new(),
            mime: false,
            handle: None,
            reason: Str::default(),
        };
        while let Some((tag, position)) = args.next_tag() {
            match tag.as_str() {
                "days" => {
                    let days = args.number("days")?;
                    v.seconds = Some(days.saturating_mul(86_400));
                }
                "seconds" => {
                    self.need(Extension::VacationSeconds, position)?;
                    v.seconds = Some(args.number("seconds")?);
                }
                "subject" => v.subject = Some(args.string(self, "subject")?),
                "from" => v.from = Some(args.string(self, "from")?),
                "addresses" => v.addresses = args.string_list(self, "addresses")?,
                "mime" => v.mime = true,
                "handle" => v.handle = Some(args.string(self, "handle")?),
                _ => return Err(args.unknown_tag(&tag, position)),
            }
        }
        v.reason = args.string(self, "reason")?;
        Ok(v)
    }
}
