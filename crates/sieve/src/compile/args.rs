//! Reading a command's or test's arguments: tags first, then positional
//! arguments ([RFC 5228 §2.6]).
//!
//! [RFC 5228 §2.6]: https://www.rfc-editor.org/rfc/rfc5228#section-2.6

use super::Compiler;
use super::string::Str;
use crate::error::{Position, ScriptError, ScriptErrorKind};
use crate::ext::Extension;
use crate::parse::{Argument, ArgumentValue};
use crate::types::{AddressPart, Comparator, Index, MatchKind, Matcher, Relation, StrList, Zone};

/// A cursor over one command's or test's arguments.
pub(crate) struct Args<'a> {
    pub(crate) name: &'a str,
    position: Position,
    items: &'a [Argument],
    at: usize,
}

impl<'a> Args<'a> {
    pub(crate) fn new(name: &'a str, position: Position, items: &'a [Argument]) -> Self {
        Self {
            name,
            position,
            items,
            at: 0,
        }
    }

    fn peek(&self) -> Option<&'a Argument> {
        self.items.get(self.at)
    }

    fn here(&self) -> Position {
        self.peek().map_or(self.position, |a| a.position)
    }

    /// An error about these arguments, at the current one.
    pub(crate) fn error(&self, problem: impl Into<String>) -> ScriptError {
        ScriptError::new(
            self.here(),
            ScriptErrorKind::InvalidArguments {
                command: self.name.to_owned(),
                problem: problem.into(),
            },
        )
    }

    /// The next tag, consumed, with its position.
    pub(crate) fn next_tag(&mut self) -> Option<(String, Position)> {
        let arg = self.peek()?;
        let ArgumentValue::Tag(tag) = &arg.value else {
            return None;
        };
        self.at += 1;
        Some((tag.to_ascii_lowercase(), arg.position))
    }

    /// An error for a tag this command does not take.
    pub(crate) fn unknown_tag(&self, tag: &str, position: Position) -> ScriptError {
        ScriptError::new(
            position,
            ScriptErrorKind::Unknown {
                what: "tagged argument",
                name: format!(":{tag}"),
            },
        )
    }

    /// A single string, as written.
    pub(crate) fn raw_string(&mut self, what: &str) -> Result<(&'a str, Position), ScriptError> {
        match self.peek() {
            Some(Argument {
                value: ArgumentValue::String(s),
                position,
            }) => {
                self.at += 1;
                Ok((s.as_str(), *position))
            }
            _ => Err(self.error(format!("expected {what} (a string)"))),
        }
    }

    /// A single string, compiled.
    pub(crate) fn string(
        &mut self,
        compiler: &mut Compiler,
        what: &str,
    ) -> Result<Str, ScriptError> {
        let (s, position) = self.raw_string(what)?;
        compiler.string(s, position)
    }

    /// A string list (a single string counts as a list of one), as written.
    pub(crate) fn raw_string_list(
        &mut self,
        what: &str,
    ) -> Result<(Vec<&'a str>, Position), ScriptError> {
        match self.peek() {
            Some(Argument {
                value: ArgumentValue::String(s),
                position,
            }) => {
                self.at += 1;
                Ok((vec![s.as_str()], *position))
            }
            Some(Argument {
                value: ArgumentValue::StringList(list),
                position,
            }) => {
                self.at += 1;
                Ok((list.iter().map(String::as_str).collect(), *position))
            }
            _ => Err(self.error(format!("expected {what} (a string list)"))),
        }
    }

    /// A string list, compiled.
    pub(crate) fn string_list(
        &mut self,
        compiler: &mut Compiler,
        what: &str,
    ) -> Result<StrList, ScriptError> {
        let (list, position) = self.raw_string_list(what)?;
        list.into_iter()
            .map(|s| compiler.string(s, position))
            .collect()
    }

    /// A number.
    pub(crate) fn number(&mut self, what: &str) -> Result<u64, ScriptError> {
        match self.peek() {
            Some(Argument {
                value: ArgumentValue::Number(n),
                ..
            }) => {
                self.at += 1;
                Ok(*n)
            }
            _ => Err(self.error(format!("expected {what} (a number)"))),
        }
    }

    /// Fails when arguments are left over.
    pub(crate) fn finish(&self) -> Result<(), ScriptError> {
        if self.at < self.items.len() {
            return Err(self.error("too many arguments"));
        }
        Ok(())
    }
}

/// What a test accepts among the shared tags.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Accepts {
    pub(crate) address_part: bool,
    pub(crate) index: bool,
    pub(crate) zone: bool,
}

/// The shared tags of a test: comparator, match type, address part,
/// index, zone ([RFC 5228 §2.7], RFC 5231, RFC 5233, RFC 5260).
#[derive(Debug, Default)]
pub(crate) struct Common {
    comparator: Option<Comparator>,
    kind: Option<MatchKind>,
    pub(crate) part: Option<AddressPart>,
    index: Option<u64>,
    last: bool,
    pub(crate) zone: Option<Zone>,
}

impl Common {
    /// Reads `tag` when it is a shared one; `Ok(false)` when it is not.
    pub(crate) fn take(
        &mut self,
        tag: &str,
        position: Position,
        args: &mut Args<'_>,
        compiler: &mut Compiler,
        accepts: Accepts,
    ) -> Result<bool, ScriptError> {
        let duplicate = |args: &Args<'_>| args.error(format!("duplicate :{tag}"));
        let kind = match tag {
            "comparator" => {
                if self.comparator.is_some() {
                    return Err(duplicate(args));
                }
                let (name, at) = args.raw_string("comparator name")?;
                self.comparator = Some(match name.to_ascii_lowercase().as_str() {
                    "i;octet" => Comparator::Octet,
                    "i;ascii-casemap" => Comparator::AsciiCasemap,
                    "i;ascii-numeric" => {
                        compiler.need(Extension::ComparatorNumeric, at)?;
                        Comparator::AsciiNumeric
                    }
                    _ => {
                        return Err(ScriptError::new(
                            at,
                            ScriptErrorKind::Unknown {
                                what: "comparator",
                                name: name.to_owned(),
                            },
                        ));
                    }
                });
                return Ok(true);
            }
            "is" => Some(MatchKind::Is),
            "contains" => Some(MatchKind::Contains),
            "matches" => Some(MatchKind::Matches),
            "value" | "count" => {
                compiler.need(Extension::Relational, position)?;
                let (op, at) = args.raw_string("relational operator")?;
                let relation = Relation::parse(op).ok_or_else(|| {
                    ScriptError::new(
                        at,
                        ScriptErrorKind::InvalidValue {
                            what: "relational operator",
                            value: op.to_owned(),
                        },
                    )
                })?;
                Some(if tag == "value" {
                    MatchKind::Value(relation)
                } else {
                    MatchKind::Count(relation)
                })
            }
            _ => None,
        };
        if let Some(kind) = kind {
            if self.kind.is_some() {
                return Err(args.error("more than one match type"));
            }
            self.kind = Some(kind);
            return Ok(true);
        }
        if accepts.address_part {
            let part = match tag {
                "all" => Some(AddressPart::All),
                "localpart" => Some(AddressPart::LocalPart),
                "domain" => Some(AddressPart::Domain),
                "user" | "detail" => {
                    compiler.need(Extension::Subaddress, position)?;
                    Some(if tag == "user" {
                        AddressPart::User
                    } else {
                        AddressPart::Detail
                    })
                }
                _ => None,
            };
            if let Some(part) = part {
                if self.part.is_some() {
                    return Err(args.error("more than one address part"));
                }
                self.part = Some(part);
                return Ok(true);
            }
        }
        if accepts.index {
            match tag {
                "index" => {
                    compiler.need(Extension::Index, position)?;
                    if self.index.is_some() {
                        return Err(duplicate(args));
                    }
                    let n = args.number("index")?;
                    if n == 0 {
                        return Err(args.error(":index must be at least 1"));
                    }
                    self.index = Some(n);
                    return Ok(true);
                }
                "last" => {
                    compiler.need(Extension::Index, position)?;
                    self.last = true;
                    return Ok(true);
                }
                _ => {}
            }
        }
        if accepts.zone {
            match tag {
                "zone" => {
                    if self.zone.is_some() {
                        return Err(args.error("more than one of :zone and :originalzone"));
                    }
                    let zone = args.string(compiler, "zone")?;
                    if let Some(z) = zone.as_literal()
                        && crate::ext::date::parse_zone(z).is_none()
                    {
                        return Err(args.error(format!("invalid zone {z:?}")));
                    }
                    self.zone = Some(Zone::Fixed(zone));
                    return Ok(true);
                }
                "originalzone" => {
                    if self.zone.is_some() {
                        return Err(args.error("more than one of :zone and :originalzone"));
                    }
                    self.zone = Some(Zone::Original);
                    return Ok(true);
                }
                _ => {}
            }
        }
        Ok(false)
    }

    /// The matcher, after checking the comparator supports the match type.
    pub(crate) fn matcher(&self, args: &Args<'_>) -> Result<Matcher, ScriptError> {
        let comparator = self.comparator.unwrap_or(Comparator::AsciiCasemap);
        let kind = self.kind.unwrap_or(MatchKind::Is);
        if comparator == Comparator::AsciiNumeric
            && matches!(kind, MatchKind::Contains | MatchKind::Matches)
        {
            return Err(args.error("i;ascii-numeric supports no substring match"));
        }
        Ok(Matcher { comparator, kind })
    }

    /// The index, checking `:last` has one.
    pub(crate) fn index(&self, args: &Args<'_>) -> Result<Option<Index>, ScriptError> {
        match (self.index, self.last) {
            (Some(nth), last) => Ok(Some(Index { nth, last })),
            (None, true) => Err(args.error(":last without :index")),
            (None, false) => Ok(None),
        }
    }
}

impl Args<'_> {
    /// How many arguments are left.
    pub(crate) fn remaining(&self) -> usize {
        self.items.len().saturating_sub(self.at)
    }

    /// Where the command or test starts.
    pub(crate) fn start(&self) -> Position {
        self.position
    }
}
