//! The lexer: [RFC 5228 §8.1] tokens with their positions.
//!
//! ```text
//! bracket-comment = "/*" *not-star 1*STAR *(not-star-slash *not-star 1*STAR) "/"
//! hash-comment    = "#" *octet-not-crlf CRLF
//! identifier      = (ALPHA / "_") *(ALPHA / DIGIT / "_")
//! tag             = ":" identifier
//! number          = 1*DIGIT [ QUANTIFIER ]     ; QUANTIFIER = "K" / "M" / "G"
//! quoted-string   = DQUOTE quoted-text DQUOTE
//! multi-line      = "text:" *(SP / HTAB) (hash-comment / CRLF)
//!                   *(multiline-literal / multiline-dotstart) "." CRLF
//! ```
//!
//! [RFC 5228 §8.1]: https://www.rfc-editor.org/rfc/rfc5228#section-8.1

use crate::error::{Position, ScriptError, ScriptErrorKind};

/// One token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    Identifier(String),
    Tag(String),
    Number(u64),
    String(String),
    LeftBracket,
    RightBracket,
    LeftParen,
    RightParen,
    LeftBrace,
    RightBrace,
    Comma,
    Semicolon,
    End,
}

impl Token {
    /// How the token reads in an error message.
    pub(crate) fn describe(&self) -> String {
        match self {
            Token::Identifier(s) => format!("identifier {s:?}"),
            Token::Tag(s) => format!("tag \":{s}\""),
            Token::Number(n) => format!("number {n}"),
            Token::String(_) => "string".to_owned(),
            Token::LeftBracket => "\"[\"".to_owned(),
            Token::RightBracket => "\"]\"".to_owned(),
            Token::LeftParen => "\"(\"".to_owned(),
            Token::RightParen => "\")\"".to_owned(),
            Token::LeftBrace => "\"{\"".to_owned(),
            Token::RightBrace => "\"}\"".to_owned(),
            Token::Comma => "\",\"".to_owned(),
            Token::Semicolon => "\";\"".to_owned(),
            Token::End => "end of script".to_owned(),
        }
    }
}

/// Splits a script into tokens.
pub(crate) struct Lexer<'a> {
    src: &'a str,
    at: usize,
    line: u32,
    column: u32,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Self {
            src,
            at: 0,
            line: 1,
            column: 1,
        }
    }

    fn position(&self) -> Position {
        Position {
            line: self.line,
            column: self.column,
        }
    }

    fn rest(&self) -> &'a str {
        self.src.get(self.at..).unwrap_or_default()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        if c == '\n' {
            self.line = self.line.saturating_add(1);
            self.column = 1;
        } else {
            self.column = self.column.saturating_add(1);
        }
        Some(c)
    }

    fn error(&self, position: Position, kind: ScriptErrorKind) -> ScriptError {
        ScriptError::new(position, kind)
    }

    /// Skips white space and comments ([RFC 5228 §2.2, §2.3]).
    fn skip_space(&mut self) -> Result<(), ScriptError> {
        loop {
            match self.peek() {
                Some(' ' | '\t' | '\r' | '\n') => {
                    self.bump();
                }
                Some('#') => {
                    while let Some(c) = self.bump() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                Some('/') if self.rest().starts_with("/*") => {
                    let start = self.position();
                    self.bump();
                    self.bump();
                    loop {
                        if self.rest().starts_with("*/") {
                            self.bump();
                            self.bump();
                            break;
                        }
                        if self.bump().is_none() {
                            return Err(self.error(start, ScriptErrorKind::Unterminated("comment")));
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    /// The next token and where it starts.
    pub(crate) fn next_token(&mut self) -> Result<(Token, Position), ScriptError> {
        self.skip_space()?;
        let position = self.position();
        let Some(c) = self.peek() else {
            return Ok((Token::End, position));
        };
        let punct = match c {
            '[' => Some(Token::LeftBracket),
            ']' => Some(Token::RightBracket),
            '(' => Some(Token::LeftParen),
            ')' => Some(Token::RightParen),
            '{' => Some(Token::LeftBrace),
            '}' => Some(Token::RightBrace),
            ',' => Some(Token::Comma),
            ';' => Some(Token::Semicolon),
            _ => None,
        };
        if let Some(token) = punct {
            self.bump();
            return Ok((token, position));
        }
        let token = match c {
            '"' => self.quoted(position)?,
            ':' => {
                self.bump();
                match self.peek() {
                    Some(c) if c.is_ascii_alphabetic() || c == '_' => Token::Tag(self.identifier()),
                    _ => {
                        return Err(self.error(
                            position,
                            ScriptErrorKind::Expected {
                                expected: "tag",
                                found: "\":\"".to_owned(),
                            },
                        ));
                    }
                }
            }
            '0'..='9' => self.number(position)?,
            c if c.is_ascii_alphabetic() || c == '_' => {
                let word = self.identifier();
                if word.eq_ignore_ascii_case("text") && self.peek() == Some(':') {
                    self.bump();
                    self.multi_line(position)?
                } else {
                    Token::Identifier(word)
                }
            }
            other => {
                return Err(self.error(position, ScriptErrorKind::UnexpectedCharacter(other)));
            }
        };
        Ok((token, position))
    }

    fn identifier(&mut self) -> String {
        let mut word = String::new();
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == '_' {
                word.push(c);
                self.bump();
            } else {
                break;
            }
        }
        word
    }

    fn number(&mut self, position: Position) -> Result<Token, ScriptError> {
        let mut n: u64 = 0;
        let overflow = || ScriptError::new(position, ScriptErrorKind::NumberOutOfRange);
        while let Some(c) = self.peek() {
            let Some(d) = c.to_digit(10) else { break };
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(d)))
                .ok_or_else(overflow)?;
            self.bump();
        }
        let shift = match self.peek() {
            Some('K' | 'k') => 10,
            Some('M' | 'm') => 20,
            Some('G' | 'g') => 30,
            _ => 0,
        };
        if shift != 0 {
            self.bump();
            n = n.checked_mul(1u64 << shift).ok_or_else(overflow)?;
        }
        Ok(Token::Number(n))
    }

    /// A quoted string: `\` quotes the next character ([RFC 5228 §2.4.2]).
    fn quoted(&mut self, position: Position) -> Result<Token, ScriptError> {
        self.bump();
        let mut s = String::new();
        loop {
            match self.bump() {
                None => return Err(self.error(position, ScriptErrorKind::Unterminated("string"))),
                Some('"') => return Ok(Token::String(s)),
                Some('\\') => match self.bump() {
                    None => {
                        return Err(self.error(position, ScriptErrorKind::Unterminated("string")));
                    }
                    Some(c) => s.push(c),
                },
                Some(c) => s.push(c),
            }
        }
    }

    /// A multi-line string after `text:`, dot-unstuffed, each line ending
    /// in CRLF ([RFC 5228 §2.4.2]).
    fn multi_line(&mut self, position: Position) -> Result<Token, ScriptError> {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.bump();
        }
        match self.peek() {
            Some('#') => {
                while let Some(c) = self.bump() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            Some('\r') if self.rest().starts_with("\r\n") => {
                self.bump();
                self.bump();
            }
            Some('\n') => {
                self.bump();
            }
            _ => {
                let found = self
                    .peek()
                    .map_or("end of script".to_owned(), |c| format!("{c:?}"));
                return Err(self.error(
                    self.position(),
                    ScriptErrorKind::Expected {
                        expected: "CRLF after \"text:\"",
                        found,
                    },
                ));
            }
        }
        let mut s = String::new();
        loop {
            if self.at >= self.src.len() {
                return Err(
                    self.error(position, ScriptErrorKind::Unterminated("multi-line string"))
                );
            }
            let rest = self.rest();
            let (line, len) = match rest.find('\n') {
                Some(i) => (rest.get(..i).unwrap_or_default(), i + 1),
                None => (rest, rest.len()),
            };
            let line = line.strip_suffix('\r').unwrap_or(line);
            let terminated = len > line.len();
            if line == "." && terminated {
                self.advance(len);
                return Ok(Token::String(s));
            }
            if !terminated {
                return Err(
                    self.error(position, ScriptErrorKind::Unterminated("multi-line string"))
                );
            }
            s.push_str(line.strip_prefix('.').unwrap_or(line));
            s.push_str("\r\n");
            self.advance(len);
        }
    }

    fn advance(&mut self, len: usize) {
        let end = self.at.saturating_add(len);
        while self.at < end {
            if self.bump().is_none() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn tokens(src: &str) -> Vec<Token> {
        let mut lexer = Lexer::new(src);
        let mut out = Vec::new();
        loop {
            let (t, _) = lexer.next_token().unwrap();
            if t == Token::End {
                return out;
            }
            out.push(t);
        }
    }

    #[test]
    fn multi_line_dot_unstuffing() {
        let t = tokens("text: # comment\r\nline 1\r\n..dot\r\n.\r\n;");
        assert_eq!(
            t,
            [Token::String("line 1\r\n.dot\r\n".into()), Token::Semicolon]
        );
    }

    #[test]
    fn quoted_escapes_and_numbers() {
        let t = tokens(r#""a\"b\\c\d" 10K 2M :over"#);
        assert_eq!(
            t,
            [
                Token::String("a\"b\\cd".into()),
                Token::Number(10 * 1024),
                Token::Number(2 << 20),
                Token::Tag("over".into())
            ]
        );
    }

    #[test]
    fn comments() {
        assert_eq!(
            tokens("/* a * b */ keep # x\n;"),
            [Token::Identifier("keep".into()), Token::Semicolon]
        );
        let err = Lexer::new("  /* open").next_token().unwrap_err();
        assert_eq!(err.position, Position { line: 1, column: 3 });
        assert_eq!(err.kind, ScriptErrorKind::Unterminated("comment"));
    }

    #[test]
    fn overflow() {
        let err = Lexer::new("\n 99999999999999999999")
            .next_token()
            .unwrap_err();
        assert_eq!((err.position.line, err.position.column), (2, 2));
        assert_eq!(err.kind, ScriptErrorKind::NumberOutOfRange);
        let err = Lexer::new("17179869184G").next_token().unwrap_err();
        assert_eq!(err.kind, ScriptErrorKind::NumberOutOfRange);
    }
}
