//! The parser: the generic [RFC 5228 §8.2] grammar into a syntax tree.
//!
//! ```text
//! argument    = string-list / number / tag
//! arguments   = *argument [ test / test-list ]
//! block       = "{" commands "}"
//! command     = identifier arguments (";" / block)
//! commands    = *command
//! start       = commands
//! string-list = "[" string *("," string) "]" / string
//! test        = identifier arguments
//! test-list   = "(" test *("," test) ")"
//! ```
//!
//! The tree knows no command: [`crate::Script::compile`] checks names and
//! arguments. Nesting of blocks and tests is bounded by
//! [`Limits::max_nesting`](crate::Limits::max_nesting), so recursion is too.
//!
//! ```
//! let commands = mailwire_sieve::parse::parse(b"if true { keep; }", &Default::default()).unwrap();
//! assert_eq!(commands[0].name, "if");
//! assert_eq!(commands[0].tests[0].name, "true");
//! assert_eq!(commands[0].block.as_ref().unwrap()[0].name, "keep");
//! ```
//!
//! [RFC 5228 §8.2]: https://www.rfc-editor.org/rfc/rfc5228#section-8.2

mod lexer;

use crate::error::{Position, ScriptError, ScriptErrorKind};
use crate::limits::Limits;
use lexer::{Lexer, Token};

/// A command: name, arguments, tests, and a block or `;`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The identifier, as written.
    pub name: String,
    /// Where the identifier starts.
    pub position: Position,
    /// Arguments before the tests.
    pub arguments: Vec<Argument>,
    /// One test, or the members of a test list.
    pub tests: Vec<Test>,
    /// Whether the tests were written as a parenthesised list.
    pub test_list: bool,
    /// The block, when the command ends with one.
    pub block: Option<Vec<Command>>,
}

/// A test: name, arguments and nested tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Test {
    /// The identifier, as written.
    pub name: String,
    /// Where the identifier starts.
    pub position: Position,
    /// Arguments before the nested tests.
    pub arguments: Vec<Argument>,
    /// One test, or the members of a test list.
    pub tests: Vec<Test>,
    /// Whether the nested tests were written as a parenthesised list.
    pub test_list: bool,
}

/// An argument and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Argument {
    /// Where it starts.
    pub position: Position,
    /// The value.
    pub value: ArgumentValue,
}

/// An argument's value ([RFC 5228 §2.6]).
///
/// [RFC 5228 §2.6]: https://www.rfc-editor.org/rfc/rfc5228#section-2.6
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArgumentValue {
    /// A single string.
    String(String),
    /// A bracketed string list.
    StringList(Vec<String>),
    /// A number, quantifier applied.
    Number(u64),
    /// A tag, without its colon.
    Tag(String),
}

/// Parses a script into commands, within `limits`.
///
/// # Errors
///
/// A [`ScriptError`] with the line and column of the first problem.
pub fn parse(script: &[u8], limits: &Limits) -> Result<Vec<Command>, ScriptError> {
    if script.len() > limits.max_script_size {
        return Err(ScriptError::new(
            Position::default(),
            ScriptErrorKind::LimitExceeded {
                limit: "max_script_size",
                max: limits.max_script_size,
            },
        ));
    }
    let src = std::str::from_utf8(script).map_err(|e| {
        let valid = script.get(..e.valid_up_to()).unwrap_or_default();
        let line = valid.iter().filter(|&&b| b == b'\n').count();
        let last = valid.rsplit(|&b| b == b'\n').next().unwrap_or_default();
        let column = String::from_utf8_lossy(last).chars().count();
        ScriptError::new(
            Position {
                line: u32::try_from(line.saturating_add(1)).unwrap_or(u32::MAX),
                column: u32::try_from(column.saturating_add(1)).unwrap_or(u32::MAX),
            },
            ScriptErrorKind::InvalidUtf8,
        )
    })?;
    let mut parser = Parser::new(src, limits.max_nesting)?;
    let commands = parser.commands(0)?;
    match parser.token {
        Token::End => Ok(commands),
        _ => Err(parser.expected("command")),
    }
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    token: Token,
    position: Position,
    max_nesting: usize,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, max_nesting: usize) -> Result<Self, ScriptError> {
        let mut lexer = Lexer::new(src);
        let (token, position) = lexer.next_token()?;
        Ok(Self {
            lexer,
            token,
            position,
            max_nesting,
        })
    }

    fn advance(&mut self) -> Result<Token, ScriptError> {
        let (token, position) = self.lexer.next_token()?;
        self.position = position;
        Ok(std::mem::replace(&mut self.token, token))
    }

    fn expected(&self, expected: &'static str) -> ScriptError {
        ScriptError::new(
            self.position,
            ScriptErrorKind::Expected {
                expected,
                found: self.token.describe(),
            },
        )
    }

    fn check_depth(&self, depth: usize) -> Result<(), ScriptError> {
        if depth > self.max_nesting {
            return Err(ScriptError::new(
                self.position,
                ScriptErrorKind::LimitExceeded {
                    limit: "max_nesting",
                    max: self.max_nesting,
                },
            ));
        }
        Ok(())
    }

    fn commands(&mut self, depth: usize) -> Result<Vec<Command>, ScriptError> {
        let mut commands = Vec::new();
        while let Token::Identifier(_) = self.token {
            commands.push(self.command(depth)?);
        }
        Ok(commands)
    }

    fn command(&mut self, depth: usize) -> Result<Command, ScriptError> {
        let position = self.position;
        let Token::Identifier(name) = self.advance()? else {
            return Err(self.expected("identifier"));
        };
        let (arguments, tests, test_list) = self.arguments(depth)?;
        let block = match self.token {
            Token::Semicolon => {
                self.advance()?;
                None
            }
            Token::LeftBrace => {
                self.check_depth(depth.saturating_add(1))?;
                self.advance()?;
                let block = self.commands(depth.saturating_add(1))?;
                if self.token != Token::RightBrace {
                    return Err(self.expected("\"}\" or command"));
                }
                self.advance()?;
                Some(block)
            }
            _ => return Err(self.expected("\";\" or block")),
        };
        Ok(Command {
            name,
            position,
            arguments,
            tests,
            test_list,
            block,
        })
    }

    #[allow(clippy::type_complexity)]
    fn arguments(&mut self, depth: usize) -> Result<(Vec<Argument>, Vec<Test>, bool), ScriptError> {
        let mut arguments = Vec::new();
        loop {
            let position = self.position;
            let value = match &self.token {
                Token::String(_) => {
                    let Token::String(s) = self.advance()? else {
                        return Err(self.expected("string"));
                    };
                    ArgumentValue::String(s)
                }
                Token::Number(n) => {
                    let n = *n;
                    self.advance()?;
                    ArgumentValue::Number(n)
                }
                Token::Tag(_) => {
                    let Token::Tag(t) = self.advance()? else {
                        return Err(self.expected("tag"));
                    };
                    ArgumentValue::Tag(t)
                }
                Token::LeftBracket => {
                    self.advance()?;
                    ArgumentValue::StringList(self.string_list()?)
                }
                _ => break,
            };
            arguments.push(Argument { position, value });
        }
        match self.token {
            Token::Identifier(_) => {
                let test = self.test(depth.saturating_add(1))?;
                Ok((arguments, vec![test], false))
            }
            Token::LeftParen => {
                self.check_depth(depth.saturating_add(1))?;
                self.advance()?;
                let mut tests = vec![self.test(depth.saturating_add(1))?];
                loop {
                    match self.token {
                        Token::Comma => {
                            self.advance()?;
                            tests.push(self.test(depth.saturating_add(1))?);
                        }
                        Token::RightParen => {
                            self.advance()?;
                            break;
                        }
                        _ => return Err(self.expected("\",\" or \")\"")),
                    }
                }
                Ok((arguments, tests, true))
            }
            _ => Ok((arguments, Vec::new(), false)),
        }
    }

    /// The rest of a string list after `[`.
    fn string_list(&mut self) -> Result<Vec<String>, ScriptError> {
        let mut list = Vec::new();
        loop {
            let Token::String(_) = self.token else {
                return Err(self.expected("string"));
            };
            let Token::String(s) = self.advance()? else {
                return Err(self.expected("string"));
            };
            list.push(s);
            match self.token {
                Token::Comma => {
                    self.advance()?;
                }
                Token::RightBracket => {
                    self.advance()?;
                    return Ok(list);
                }
                _ => return Err(self.expected("\",\" or \"]\"")),
            }
        }
    }

    fn test(&mut self, depth: usize) -> Result<Test, ScriptError> {
        self.check_depth(depth)?;
        let position = self.position;
        let Token::Identifier(_) = self.token else {
            return Err(self.expected("test"));
        };
        let Token::Identifier(name) = self.advance()? else {
            return Err(self.expected("test"));
        };
        let (arguments, tests, test_list) = self.arguments(depth)?;
        Ok(Test {
            name,
            position,
            arguments,
            tests,
            test_list,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn err(src: &str) -> ScriptError {
        parse(src.as_bytes(), &Limits::default()).unwrap_err()
    }

    #[test]
    fn arguments_and_lists() {
        let c = parse(
            b"if anyof (not exists [\"A\", \"B\"], size :over 1K) { stop; }",
            &Limits::default(),
        )
        .unwrap();
        let t = &c[0].tests[0];
        assert_eq!(t.name, "anyof");
        assert!(t.test_list);
        assert_eq!(
            t.tests[0].tests[0].arguments[0].value,
            ArgumentValue::StringList(vec!["A".into(), "B".into()])
        );
        assert_eq!(t.tests[1].arguments[1].value, ArgumentValue::Number(1024));
        assert_eq!(
            t.tests[1].arguments[1].position,
            Position {
                line: 1,
                column: 45
            }
        );
    }

    #[test]
    fn errors_carry_positions() {
        let e = err("keep;\n  fileinto \"a\"\n");
        assert_eq!(e.position, Position { line: 3, column: 1 });
        assert_eq!(
            e.kind,
            ScriptErrorKind::Expected {
                expected: "\";\" or block",
                found: "end of script".into()
            }
        );
        let e = err("if true { keep; ");
        assert_eq!(
            e.kind,
            ScriptErrorKind::Expected {
                expected: "\"}\" or command",
                found: "end of script".into()
            }
        );
        let e = err("keep [\"a\" \"b\"];");
        assert_eq!(
            e.position,
            Position {
                line: 1,
                column: 11
            }
        );
        let e = err("}");
        assert_eq!(
            e.kind,
            ScriptErrorKind::Expected {
                expected: "command",
                found: "\"}\"".into()
            }
        );
        let e = parse(b"keep;\n\xff", &Limits::default()).unwrap_err();
        assert_eq!(
            (e.position, e.kind),
            (
                Position { line: 2, column: 1 },
                ScriptErrorKind::InvalidUtf8
            )
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "if true {".repeat(40) + &"}".repeat(40);
        assert!(matches!(
            err(&deep).kind,
            ScriptErrorKind::LimitExceeded {
                limit: "max_nesting",
                ..
            }
        ));
        let deep = format!("if {} true {{}}", "not ".repeat(100));
        assert!(matches!(
            err(&deep).kind,
            ScriptErrorKind::LimitExceeded {
                limit: "max_nesting",
                ..
            }
        ));
        let big = vec![b' '; 2 << 20];
        assert!(matches!(
            parse(&big, &Limits::default()).unwrap_err().kind,
            ScriptErrorKind::LimitExceeded {
                limit: "max_script_size",
                ..
            }
        ));
    }
}
