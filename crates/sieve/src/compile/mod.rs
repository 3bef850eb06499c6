//! Compiling: from the syntax tree to a validated [`Script`].
//!
//! Each command and test is checked against RFC 5228 and the extension
//! RFCs: known name, its `require` present ([RFC 5228 §3.2]), tags it
//! takes, positional arguments of the right kinds, literal values that can
//! be checked early (comparators, relational operators, date parts, zones,
//! flag and variable names, redirect addresses).
//!
//! [RFC 5228 §3.2]: https://www.rfc-editor.org/rfc/rfc5228#section-3.2

pub(crate) mod args;
mod command;
pub(crate) mod string;
mod test;

use std::collections::HashSet;

use crate::error::{Position, ScriptError, ScriptErrorKind};
use crate::ext::{Extension, Extensions};
use crate::limits::Limits;
use crate::parse::{self, ArgumentValue};
use crate::types::Command;
use string::Str;

/// A compiled script, ready to run.
///
/// ```
/// use mailwire_sieve::{Extension, Script};
///
/// let script = Script::compile(br#"require ["fileinto", "imap4flags"];
/// if header :contains "subject" "report" { fileinto :flags "\\Seen" "Reports"; }"#).unwrap();
/// assert!(script.extensions().contains(Extension::Imap4Flags));
///
/// let err = Script::compile(b"require \"notify\";").unwrap_err();
/// assert_eq!(err.to_string(), "1:9: unsupported extension \"notify\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub(crate) commands: Vec<Command>,
    extensions: Extensions,
}

impl Script {
    /// Compiles a script with the default [`Limits`] and every extension.
    ///
    /// # Errors
    ///
    /// The first problem, with its line and column.
    pub fn compile(script: &[u8]) -> Result<Self, ScriptError> {
        Self::compile_with(script, &Limits::default(), Extensions::all())
    }

    /// Compiles a script within `limits`, allowing only `available`
    /// extensions in `require`.
    ///
    /// # Errors
    ///
    /// The first problem, with its line and column.
    pub fn compile_with(
        script: &[u8],
        limits: &Limits,
        available: Extensions,
    ) -> Result<Self, ScriptError> {
        let tree = parse::parse(script, limits)?;
        let mut compiler = Compiler {
            available,
            required: Extensions::default(),
            limits: *limits,
            variables: HashSet::new(),
        };
        let mut body = tree.as_slice();
        while let Some((first, rest)) = body.split_first() {
            if !first.name.eq_ignore_ascii_case("require") {
                break;
            }
            compiler.require(first)?;
            body = rest;
        }
        let commands = compiler.block(body)?;
        Ok(Self {
            commands,
            extensions: compiler.required,
        })
    }

    /// The extensions the script requires.
    pub fn extensions(&self) -> Extensions {
        self.extensions
    }
}

/// State while compiling.
pub(crate) struct Compiler {
    available: Extensions,
    required: Extensions,
    limits: Limits,
    variables: HashSet<String>,
}

impl Compiler {
    fn require(&mut self, command: &parse::Command) -> Result<(), ScriptError> {
        let mut args = args::Args::new("require", command.position, &command.arguments);
        let (names, position) = args.raw_string_list("capabilities")?;
        args.finish()?;
        if !command.tests.is_empty() || command.block.is_some() {
            return Err(args.error("takes no test or block"));
        }
        for name in names {
            match Extension::from_name(name) {
                Some(e) if self.available.contains(e) => {
                    self.required.insert(e);
                    if e == Extension::Ereject {
                        // RFC 5429 §2.1: ereject also defines reject's semantics.
                    }
                }
                _ => {
                    return Err(ScriptError::new(
                        position,
                        ScriptErrorKind::UnsupportedExtension(name.to_owned()),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Fails unless `extension` was required.
    pub(crate) fn need(&self, extension: Extension, position: Position) -> Result<(), ScriptError> {
        if self.required.contains(extension) {
            Ok(())
        } else {
            Err(ScriptError::new(
                position,
                ScriptErrorKind::NotRequired(extension.name()),
            ))
        }
    }

    /// Whether `extension` was required.
    pub(crate) fn has(&self, extension: Extension) -> bool {
        self.required.contains(extension)
    }

    /// Compiles a string argument.
    pub(crate) fn string(&mut self, raw: &str, position: Position) -> Result<Str, ScriptError> {
        let s = Str::compile(
            raw,
            self.has(Extension::EncodedCharacter),
            self.has(Extension::Variables),
        )
        .map_err(|kind| ScriptError::new(position, kind))?;
        for piece in s.pieces() {
            if let string::Piece::Variable(name) = piece {
                self.variable(name, position)?;
            }
        }
        Ok(s)
    }

    /// Counts a variable name against [`Limits::max_variables`].
    pub(crate) fn variable(&mut self, name: &str, position: Position) -> Result<(), ScriptError> {
        if !self.variables.contains(name) {
            if self.variables.len() >= self.limits.max_variables {
                return Err(ScriptError::new(
                    position,
                    ScriptErrorKind::LimitExceeded {
                        limit: "max_variables",
                        max: self.limits.max_variables,
                    },
                ));
            }
            self.variables.insert(name.to_owned());
        }
        Ok(())
    }

    /// Compiles a block, joining `if`/`elsif`/`else` chains.
    pub(crate) fn block(
        &mut self,
        commands: &[parse::Command],
    ) -> Result<Vec<Command>, ScriptError> {
        let mut out: Vec<Command> = Vec::new();
        let mut open_if = false;
        for command in commands {
            let name = command.name.to_ascii_lowercase();
            match name.as_str() {
                "elsif" | "else" => {
                    let (
                        Some(Command::If {
                            branches,
                            otherwise,
                        }),
                        true,
                    ) = (out.last_mut(), open_if)
                    else {
                        return Err(ScriptError::new(
                            command.position,
                            ScriptErrorKind::Orphan(if name == "else" { "else" } else { "elsif" }),
                        ));
                    };
                    if name == "else" {
                        let block = self.control_block(command, false)?;
                        *otherwise = Some(block.1);
                        open_if = false;
                    } else {
                        let (test, block) = self.control_block(command, true)?;
                        if let Some(test) = test {
                            branches.push((test, block));
                        }
                    }
                }
                "if" => {
                    let (test, block) = self.control_block(command, true)?;
                    let branches = test.map(|t| vec![(t, block)]).unwrap_or_default();
                    out.push(Command::If {
                        branches,
                        otherwise: None,
                    });
                    open_if = true;
                }
                "require" => {
                    return Err(ScriptError::new(
                        command.position,
                        ScriptErrorKind::LateRequire,
                    ));
                }
                _ => {
                    open_if = false;
                    out.push(self.command(command, &name)?);
                }
            }
        }
        Ok(out)
    }

    /// The test and block of `if`, `elsif` or `else`.
    fn control_block(
        &mut self,
        command: &parse::Command,
        with_test: bool,
    ) -> Result<(Option<crate::types::Test>, Vec<Command>), ScriptError> {
        let args = args::Args::new(&command.name, command.position, &command.arguments);
        if let Some(arg) = command.arguments.first() {
            let _ = &arg.value as &ArgumentValue;
            return Err(args.error("takes no arguments"));
        }
        let test = if with_test {
            match (command.tests.as_slice(), command.test_list) {
                ([test], false) => Some(self.test(test)?),
                _ => return Err(args.error("takes exactly one test")),
            }
        } else {
            if !command.tests.is_empty() {
                return Err(args.error("takes no test"));
            }
            None
        };
        let Some(block) = &command.block else {
            return Err(args.error("needs a block"));
        };
        let block = self.block(block)?;
        Ok((test, block))
    }
}
