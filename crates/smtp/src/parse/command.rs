//! Command parser ([RFC 5321 §4.1.1] and the extension RFCs; the grammar is
//! on [`Command`]).
//!
//! Verbs and the `FROM:`/`TO:` keywords are case-insensitive. Trailing
//! bytes are an error, and so is a bare CR anywhere in the line (never
//! silently dropped).
//!
//! [RFC 5321 §4.1.1]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1
//!
//! ```
//! use mailwire_smtp::parse::parse_command_line;
//! use mailwire_smtp::Command;
//! assert_eq!(parse_command_line(b"bdat 1000 LAST").unwrap(), Command::Bdat { size: 1000, last: true });
//! assert!(parse_command_line(b"DATA now").is_err());
//! assert!(parse_command_line(b"RSET\rMAIL FROM:<a@b.c>").is_err());
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mailwire_core::Secret;

use super::{Cursor, Status, check_no_cr, split_line};
use crate::Error;
use crate::limits::{DEFAULT_MAX_AUTH_LINE_LENGTH, DEFAULT_MAX_COMMAND_LINE_LENGTH, Limits};
use crate::types::auth::{AuthResponse, Mechanism};
use crate::types::command::Command;
use crate::types::text::Text;

/// A command verb, recognised before the arguments are parsed so that a
/// server can tell `500` (unknown command) from `501` (bad arguments).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Verb {
    /// `HELO`
    Helo,
    /// `EHLO`
    Ehlo,
    /// `LHLO`
    Lhlo,
    /// `MAIL`
    Mail,
    /// `RCPT`
    Rcpt,
    /// `DATA`
    Data,
    /// `BDAT`
    Bdat,
    /// `RSET`
    Rset,
    /// `VRFY`
    Vrfy,
    /// `EXPN`
    Expn,
    /// `HELP`
    Help,
    /// `NOOP`
    Noop,
    /// `QUIT`
    Quit,
    /// `STARTTLS`
    StartTls,
    /// `AUTH`
    Auth,
}

/// Recognises the verb of a command line (`None` for an unknown one).
///
/// ```
/// use mailwire_smtp::parse::{parse_verb, command::Verb};
/// assert_eq!(parse_verb(b"mail FROM:<>"), Some(Verb::Mail));
/// assert_eq!(parse_verb(b"MAILX"), None);
/// ```
pub fn parse_verb(line: &[u8]) -> Option<Verb> {
    // Verbs are letters, so clearing bit 5 of each byte upper-cases them and
    // maps exactly one other byte per letter (its lower case) to the same
    // value.
    const fn word(verb: &[u8; 4]) -> u32 {
        u32::from_be_bytes(*verb)
    }
    const MASK: u32 = 0xDFDF_DFDF;
    let four = match line {
        [a, b, c, d] | [a, b, c, d, b' ', ..] => u32::from_be_bytes([*a, *b, *c, *d]) & MASK,
        [b0, b1, b2, b3, b4, b5, b6, b7] | [b0, b1, b2, b3, b4, b5, b6, b7, b' ', ..] => {
            let high = u32::from_be_bytes([*b0, *b1, *b2, *b3]) & MASK;
            let low = u32::from_be_bytes([*b4, *b5, *b6, *b7]) & MASK;
            return (high == word(b"STAR") && low == word(b"TTLS")).then_some(Verb::StartTls);
        }
        _ => return None,
    };
    Some(match four {
        x if x == word(b"MAIL") => Verb::Mail,
        x if x == word(b"RCPT") => Verb::Rcpt,
        x if x == word(b"EHLO") => Verb::Ehlo,
        x if x == word(b"DATA") => Verb::Data,
        x if x == word(b"BDAT") => Verb::Bdat,
        x if x == word(b"RSET") => Verb::Rset,
        x if x == word(b"QUIT") => Verb::Quit,
        x if x == word(b"HELO") => Verb::Helo,
        x if x == word(b"LHLO") => Verb::Lhlo,
        x if x == word(b"NOOP") => Verb::Noop,
        x if x == word(b"AUTH") => Verb::Auth,
        x if x == word(b"VRFY") => Verb::Vrfy,
        x if x == word(b"EXPN") => Verb::Expn,
        x if x == word(b"HELP") => Verb::Help,
        _ => return None,
    })
}

fn text<'a>(c: &mut Cursor<'a>, rule: &'static str) -> Result<Text<'a>, Error> {
    let start = c.pos();
    let rest = c.rest();
    let text = c.utf8(rest, start, rule)?;
    Text::validate(text).map_err(|e| e.offset_by(start as u64))?;
    c.set_pos(start.saturating_add(rest.len()));
    Ok(Text::from_cow_unchecked(std::borrow::Cow::Borrowed(text)))
}

fn optional_text<'a>(c: &mut Cursor<'a>, rule: &'static str) -> Result<Option<Text<'a>>, Error> {
    if c.is_end() {
        return Ok(None);
    }
    c.expect(b' ', "SP")?;
    text(c, rule).map(Some)
}

/// Decodes base64 as RFC 4954 §4 requires: any other character is an error.
pub(crate) fn decode_base64(input: &[u8], at: usize) -> Result<Vec<u8>, Error> {
    BASE64.decode(input).map_err(|e| {
        let offset = match e {
            base64::DecodeError::InvalidByte(i, _)
            | base64::DecodeError::InvalidLastSymbol(i, _) => i,
            _ => input.len(),
        };
        Error::Protocol(mailwire_core::Error::Malformed {
            offset: at.saturating_add(offset) as u64,
            expected: "base64",
            found: input
                .get(offset)
                .map_or(mailwire_core::error::Found::EndOfInput, |&b| {
                    mailwire_core::error::Found::Byte(b)
                }),
        })
    })
}

/// Parses one command line, without its CRLF.
///
/// # Errors
///
/// [`CoreError::UnknownCommand`](crate::CoreError::UnknownCommand) for an unknown verb; [`CoreError::Malformed`](crate::CoreError::Malformed) or
/// [`CoreError::LimitExceeded`](crate::CoreError::LimitExceeded) for bad arguments, with offsets into `line`.
///
/// ```
/// use mailwire_smtp::parse::parse_command_line;
/// use mailwire_smtp::{Command, Error};
/// assert_eq!(parse_command_line(b"QUIT").unwrap(), Command::Quit);
/// assert_eq!(parse_command_line(b"XYZZY").unwrap_err(), Error::Protocol(mailwire_core::Error::UnknownCommand { offset: 0 }));
/// ```
pub fn parse_command_line(line: &[u8]) -> Result<Command<'_>, Error> {
    parse_line_within(
        line,
        DEFAULT_MAX_COMMAND_LINE_LENGTH,
        DEFAULT_MAX_AUTH_LINE_LENGTH,
    )
}

/// [`parse_command_line`] with the line lengths of `limits`:
/// [`max_auth_line_length`](Limits::max_auth_line_length) for `AUTH`,
/// [`max_command_line_length`](Limits::max_command_line_length) for every
/// other command, both counting the CRLF.
///
/// # Errors
///
/// As [`parse_command_line`].
///
/// ```
/// use mailwire_smtp::limits::Limits;
/// use mailwire_smtp::parse::command::parse_command_line_with_limits;
/// let mut limits = Limits::default();
/// limits.max_command_line_length = 6;
/// assert!(parse_command_line_with_limits(b"NOOP", &limits).is_ok());
/// assert!(parse_command_line_with_limits(b"NOOP x", &limits).is_err());
/// assert!(parse_command_line_with_limits(b"AUTH PLAIN =", &limits).is_ok());
/// ```
pub fn parse_command_line_with_limits<'a>(
    line: &'a [u8],
    limits: &Limits,
) -> Result<Command<'a>, Error> {
    parse_line_within(
        line,
        limits.max_command_line_length,
        limits.max_auth_line_length,
    )
}

/// The longest line, CRLF included, for the command that `line` (or the
/// input that starts with it) holds: `AUTH` lines carry SASL responses
/// ([RFC 4954 §4]) and have their own limit.
///
/// [RFC 4954 §4]: https://www.rfc-editor.org/rfc/rfc4954#section-4
fn line_limit(line: &[u8], max_command: usize, max_auth: usize) -> usize {
    if parse_verb(line) == Some(Verb::Auth) {
        max_auth
    } else {
        max_command
    }
}

fn parse_line_within(
    line: &[u8],
    max_command: usize,
    max_auth: usize,
) -> Result<Command<'_>, Error> {
    let max = line_limit(line, max_command, max_auth);
    let used = line.len().saturating_add(2);
    if used > max {
        return Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
            offset: 0,
            what: "line length",
            limit: max as u64,
            actual: used as u64,
        }));
    }
    match super::fast::command(line) {
        Some(result) => result,
        None => parse_general(line),
    }
}

/// [`parse_command_line`] for any line: the hot path's fallback and
/// reference.
pub(crate) fn parse_general(line: &[u8]) -> Result<Command<'_>, Error> {
    check_no_cr(line)?;
    let verb = parse_verb(line).ok_or(Error::Protocol(mailwire_core::Error::UnknownCommand {
        offset: 0,
    }))?;
    let line_text = std::str::from_utf8(line).map_err(|e| {
        Error::Protocol(mailwire_core::Error::Malformed {
            offset: e.valid_up_to() as u64,
            expected: "UTF-8",
            found: line
                .get(e.valid_up_to())
                .map_or(mailwire_core::error::Found::EndOfInput, |&b| {
                    mailwire_core::error::Found::Byte(b)
                }),
        })
    })?;
    let mut c = Cursor::from_str(line_text);
    c.set_pos(if verb == Verb::StartTls { 8 } else { 4 });
    let command = match verb {
        Verb::Helo | Verb::Ehlo | Verb::Lhlo => {
            c.expect(b' ', "SP")?;
            let host = super::path::host(&mut c)?;
            match verb {
                Verb::Helo => Command::Helo { host },
                Verb::Ehlo => Command::Ehlo { host },
                _ => Command::Lhlo { host },
            }
        }
        Verb::Mail => {
            if !c.eat_ci(b" FROM:") {
                return Err(c.error("\"FROM:\""));
            }
            let reverse_path = super::path::reverse_path(&mut c)?;
            let parameters = super::parameter::mail_parameters(&mut c)?;
            Command::Mail {
                reverse_path,
                parameters,
            }
        }
        Verb::Rcpt => {
            if !c.eat_ci(b" TO:") {
                return Err(c.error("\"TO:\""));
            }
            let forward_path = super::path::forward_path(&mut c)?;
            let parameters = super::parameter::rcpt_parameters(&mut c)?;
            Command::Rcpt {
                forward_path,
                parameters,
            }
        }
        Verb::Data => Command::Data,
        Verb::Rset => Command::Rset,
        Verb::Quit => Command::Quit,
        Verb::StartTls => Command::StartTls,
        Verb::Bdat => {
            c.expect(b' ', "SP")?;
            let at = c.pos();
            let digits = c.take_while(|b| b.is_ascii_digit());
            let size = super::parameter::parse_u64(&c, digits, at, "chunk-size")?;
            let last = if c.eat(b' ') {
                if !c.eat_ci(b"LAST") {
                    return Err(c.error("end-marker"));
                }
                true
            } else {
                false
            };
            Command::Bdat { size, last }
        }
        Verb::Vrfy | Verb::Expn => {
            c.expect(b' ', "SP")?;
            if c.is_end() {
                return Err(c.error("String"));
            }
            let argument = text(&mut c, "String")?;
            if verb == Verb::Vrfy {
                Command::Vrfy { argument }
            } else {
                Command::Expn { argument }
            }
        }
        Verb::Help => Command::Help {
            topic: optional_text(&mut c, "String")?,
        },
        Verb::Noop => Command::Noop {
            argument: optional_text(&mut c, "String")?,
        },
        Verb::Auth => {
            c.expect(b' ', "SP")?;
            let at = c.pos();
            let name = c.take_while(|b| b != b' ');
            let mechanism = Mechanism::parse(name).map_err(|e| e.offset_by(at as u64))?;
            let initial_response = if c.eat(b' ') {
                let at = c.pos();
                let data = c.take_while(|_| true);
                if data == b"=" {
                    Some(Secret::new(Vec::new()))
                } else if data.is_empty() {
                    return Err(c.error("initial-response"));
                } else {
                    Some(Secret::new(decode_base64(data, at)?))
                }
            } else {
                None
            };
            Command::Auth {
                mechanism,
                initial_response,
            }
        }
    };
    c.expect_end("CRLF")?;
    Ok(command)
}

/// Frames and parses the first command of `input` (CRLF-terminated, at most
/// [`DEFAULT_MAX_COMMAND_LINE_LENGTH`] octets, or
/// [`DEFAULT_MAX_AUTH_LINE_LENGTH`] for `AUTH`).
///
/// # Errors
///
/// As [`parse_command_line`], plus [`CoreError::LimitExceeded`](crate::CoreError::LimitExceeded) for a line over
/// the limit and [`CoreError::Malformed`](crate::CoreError::Malformed) for a bare LF.
///
/// ```
/// use mailwire_smtp::parse::{parse_command, Status};
/// assert_eq!(parse_command(b"EHLO a").unwrap(), Status::Partial);
/// assert!(parse_command(b"EHLO a\n").is_err());
/// ```
pub fn parse_command(input: &[u8]) -> Result<Status<(Command<'_>, usize)>, Error> {
    let max = line_limit(
        input,
        DEFAULT_MAX_COMMAND_LINE_LENGTH,
        DEFAULT_MAX_AUTH_LINE_LENGTH,
    );
    if let Some(result) = super::fast::framed(input, max) {
        return result.map(Status::Complete);
    }
    match split_line(input, max)? {
        Status::Complete((line, used)) => Ok(Status::Complete((parse_command_line(line)?, used))),
        Status::Partial => Ok(Status::Partial),
    }
}

/// Parses a client line of a SASL exchange, without its CRLF ([RFC 4954
/// §4]).
///
/// [RFC 4954 §4]: https://www.rfc-editor.org/rfc/rfc4954#section-4
///
/// # Errors
///
/// [`CoreError::Malformed`](crate::CoreError::Malformed) if the line is neither `*` nor base64.
///
/// ```
/// use mailwire_smtp::parse::parse_auth_response;
/// assert!(parse_auth_response(b"not base64!").is_err());
/// ```
pub fn parse_auth_response(line: &[u8]) -> Result<AuthResponse, Error> {
    check_no_cr(line)?;
    if line == b"*" {
        return Ok(AuthResponse::Cancel);
    }
    decode_base64(line, 0).map(|data| AuthResponse::Data(Secret::new(data)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::parameter::{BodyType, MailParameters};
    use crate::types::path::{ForwardPath, Host, ReversePath};

    #[test]
    fn known_answers() {
        assert_eq!(
            parse_command_line(b"EHLO [192.0.2.1]").unwrap(),
            Command::Ehlo {
                host: Host::try_from("[192.0.2.1]").unwrap()
            }
        );
        assert_eq!(
            parse_command_line(b"mail from:<> body=8BITMIME").unwrap(),
            Command::Mail {
                reverse_path: ReversePath::Null,
                parameters: MailParameters {
                    body: Some(BodyType::EightBitMime),
                    ..Default::default()
                },
            }
        );
        assert!(matches!(
            parse_command_line(b"RCPT TO:<Postmaster>").unwrap(),
            Command::Rcpt {
                forward_path: ForwardPath::Postmaster,
                ..
            }
        ));
        assert_eq!(
            parse_command_line(b"HELP").unwrap(),
            Command::Help { topic: None }
        );
        assert_eq!(
            parse_command_line(b"NOOP hello there").unwrap(),
            Command::Noop {
                argument: Some(Text::try_from("hello there").unwrap())
            }
        );
        assert_eq!(
            parse_command_line(b"BDAT 0").unwrap(),
            Command::Bdat {
                size: 0,
                last: false
            }
        );
        assert_eq!(
            parse_command_line(b"AUTH plain =").unwrap(),
            Command::Auth {
                mechanism: Mechanism::PLAIN,
                initial_response: Some(Secret::new(Vec::new()))
            }
        );
        assert_eq!(parse_command_line(b"starttls").unwrap(), Command::StartTls);
    }

    #[test]
    fn malformed() {
        use mailwire_core::error::Found;
        assert_eq!(
            parse_command_line(b"MAIL FROM:<a@b.c>x").unwrap_err(),
            Error::Protocol(mailwire_core::Error::Malformed {
                offset: 17,
                expected: "SP",
                found: Found::Byte(b'x')
            })
        );
        for bad in [
            &b"HELO"[..],
            b"EHLO ",
            b"EHLO a b",
            b"MAIL TO:<>",
            b"MAIL FROM: <>",
            b"MAIL FROM:<>\0",
            b"RCPT TO:<>",
            b"QUIT now",
            b"STARTTLS x",
            b"BDAT",
            b"BDAT x",
            b"BDAT 1 FIRST",
            b"BDAT 1 LAST ",
            b"VRFY",
            b"VRFY ",
            b"AUTH",
            b"AUTH PLAIN ",
            b"AUTH PLAIN AGZvbwBiYXI",
            b"AUTH ABCDEFGHIJKLMNOPQRSTU",
            b"NOOP\rRSET",
            b"RSET\r",
        ] {
            assert!(parse_command_line(bad).is_err(), "{}", bad.escape_ascii());
        }
        assert_eq!(
            parse_command_line(b"EHLOx a").unwrap_err(),
            Error::Protocol(mailwire_core::Error::UnknownCommand { offset: 0 })
        );
    }

    #[test]
    fn framing() {
        assert_eq!(parse_command(b"QUIT\r").unwrap(), Status::Partial);
        assert!(matches!(
            parse_command(b"QUIT\r\n"),
            Ok(Status::Complete((Command::Quit, 6)))
        ));
        let long = vec![b'N'; DEFAULT_MAX_COMMAND_LINE_LENGTH + 1];
        assert!(matches!(
            parse_command(&long),
            Err(Error::Protocol(mailwire_core::Error::LimitExceeded { .. }))
        ));
    }

    /// RFC 4954 §4: AUTH lines up to 12,288 octets; other commands keep the
    /// command-line limit.
    #[test]
    fn auth_line_limit() {
        let auth = |n: usize| [b"AUTH PLAIN ".to_vec(), vec![b'A'; n], b"\r\n".to_vec()].concat();
        // A 3,360-octet initial response (an OAuth token's size).
        let line = auth(3360);
        let Ok(Status::Complete((
            Command::Auth {
                initial_response, ..
            },
            used,
        ))) = parse_command(&line)
        else {
            panic!()
        };
        assert_eq!(used, line.len());
        assert_eq!(
            initial_response.map(|r| r.expose_secret().len()),
            Some(2520)
        );
        // 12,272 octets of base64: the longest that fits, at 12,285 octets.
        let at_limit = auth(12_272);
        assert_eq!(at_limit.len(), 12_285);
        assert!(matches!(parse_command(&at_limit), Ok(Status::Complete(_))));
        let over = auth(DEFAULT_MAX_AUTH_LINE_LENGTH - 9);
        let too_long = Error::Protocol(mailwire_core::Error::LimitExceeded {
            offset: 0,
            what: "line length",
            limit: DEFAULT_MAX_AUTH_LINE_LENGTH as u64,
            actual: over.len() as u64,
        });
        assert_eq!(parse_command(&over).unwrap_err(), too_long);
        let body = &over[..over.len() - 2];
        assert_eq!(parse_command_line(body).unwrap_err(), too_long);
        // Incomplete AUTH input under the limit waits for more.
        assert_eq!(parse_command(&line[..3000]).unwrap(), Status::Partial);
    }

    /// What `parse_command_line` accepts encodes to a line that
    /// `parse_command` accepts: the line limits are the same for both.
    #[test]
    fn line_limits_agree() {
        let long = |head: &[u8], n: usize| [head, &vec![b'a'; n][..]].concat();
        for line in [
            long(b"NOOP ", 3000),
            long(b"HELP ", 3000),
            long(b"VRFY ", 3000),
            [&b"MAIL FROM:<>"[..], &b" X-A=b".repeat(500)].concat(),
            long(b"AUTH PLAIN ", 3360),
            long(b"AUTH PLAIN ", 20_000),
            long(b"NOOP ", DEFAULT_MAX_COMMAND_LINE_LENGTH - 7),
            long(b"NOOP ", DEFAULT_MAX_COMMAND_LINE_LENGTH - 6),
        ] {
            let Ok(command) = parse_command_line(&line) else {
                assert!(line.len() + 2 > DEFAULT_MAX_COMMAND_LINE_LENGTH);
                continue;
            };
            let wire = command.to_bytes();
            let Ok(Status::Complete((again, used))) = parse_command(&wire) else {
                panic!("{}", line.len())
            };
            assert_eq!((again, used), (command, wire.len()));
        }
        assert_eq!(
            parse_command_line(&long(b"NOOP ", 3000)).unwrap_err(),
            Error::Protocol(mailwire_core::Error::LimitExceeded {
                offset: 0,
                what: "line length",
                limit: DEFAULT_MAX_COMMAND_LINE_LENGTH as u64,
                actual: 3007,
            })
        );
    }
}
