//! Command parsers ([RFC 1939 §3], [RFC 2449 §3]).
//!
//! Keywords are case-insensitive; keyword and parameters are separated by
//! a single space ([RFC 1939 §3]). `PASS` takes the rest of the line, spaces
//! included ([RFC 1939 §7]).
//!
//! [RFC 1939 §3]: https://www.rfc-editor.org/rfc/rfc1939#section-3
//! [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
//! [RFC 2449 §3]: https://www.rfc-editor.org/rfc/rfc2449#section-3
//!
//! ```
//! use mailwire_pop3::parse::parse_command_line;
//! use mailwire_pop3::{Command, Error};
//! use mailwire_core::error::Found;
//!
//! assert_eq!(parse_command_line(b"dele 3").unwrap(), Command::Dele { message: 3 });
//! assert_eq!(
//!     parse_command_line(b"DELE x"),
//!     Err(Error::Protocol(mailwire_core::Error::Malformed { offset: 5, expected: "msg", found: Found::Byte(b'x') }))
//! );
//! assert_eq!(parse_command_line(b"XYZZY"), Err(Error::Protocol(mailwire_core::Error::UnknownCommand { offset: 0 })));
//! ```

use mailwire_sasl::Mechanism;
use mailwire_sasl::wire::{self, ClientMessage};

use super::{Cursor, Parsed, check_line, error_at, utf8};
use crate::Error;
use crate::limits::RFC2449_COMMAND_LINE;
use crate::types::command::{ApopDigest, Argument, Command, Password, check_argument};

/// Frames one CRLF-terminated command in `input` and parses it; lines over
/// the [RFC 2449 §4] limit of 255 octets are an error.
///
/// [RFC 2449 §4]: https://www.rfc-editor.org/rfc/rfc2449#section-4
///
/// # Errors
///
/// [`CoreError::LimitExceeded`](crate::CoreError::LimitExceeded) for a long line, the errors of
/// [`parse_command_line`] otherwise.
///
/// ```
/// use mailwire_pop3::parse::{parse_command, Parsed};
/// use mailwire_pop3::Command;
/// assert_eq!(parse_command(b"STAT\r\n").unwrap(), Parsed::Complete((Command::Stat, 6)));
/// ```
pub fn parse_command(input: &[u8]) -> Result<Parsed<(Command, usize)>, Error> {
    let max = RFC2449_COMMAND_LINE;
    let Some(lf) = memchr::memchr(b'\n', input) else {
        if input.len() >= max {
            return Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
                offset: 0,
                what: "command line length",
                limit: max as u64,
                actual: input.len() as u64,
            }));
        }
        return Ok(Parsed::Partial);
    };
    let used = lf.saturating_add(1);
    if used > max {
        return Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
            offset: 0,
            what: "command line length",
            limit: max as u64,
            actual: used as u64,
        }));
    }
    let Some(cr) = lf
        .checked_sub(1)
        .filter(|&cr| input.get(cr) == Some(&b'\r'))
    else {
        return Err(error_at(input, lf, "CRLF"));
    };
    let line = input.get(..cr).unwrap_or_default();
    Ok(Parsed::Complete((parse_command_line(line)?, used)))
}

/// Parses one command line, without its CRLF.
///
/// # Errors
///
/// [`CoreError::UnknownCommand`](crate::CoreError::UnknownCommand) for a keyword this crate does not know,
/// [`CoreError::Malformed`](crate::CoreError::Malformed) for arguments that do not match the command's
/// grammar, a bare CR or LF, or a NUL.
///
/// ```
/// use mailwire_pop3::parse::parse_command_line;
/// use mailwire_pop3::Command;
/// let Command::Pass { password } = parse_command_line(b"PASS secret with spaces").unwrap() else {
///     panic!()
/// };
/// assert_eq!(password.expose_secret(), "secret with spaces");
/// ```
pub fn parse_command_line(line: &[u8]) -> Result<Command, Error> {
    check_line(line)?;
    let mut c = Cursor::new(line);
    let keyword = c.token();
    let known = |k: &[u8]| keyword.eq_ignore_ascii_case(k);
    let command = if known(b"USER") {
        Command::User {
            name: argument(&mut c, line, "name")?,
        }
    } else if known(b"PASS") {
        c.expect(b' ', "SP")?;
        let start = c.pos();
        let rest = utf8(c.take_rest(), start, "password")?;
        let password = Password::new(rest).map_err(|_| error_at(line, start, "password"))?;
        Command::Pass { password }
    } else if known(b"APOP") {
        let name = argument(&mut c, line, "name")?;
        let (start, token) = c.param("digest")?;
        let digest = std::str::from_utf8(token)
            .ok()
            .and_then(|t| ApopDigest::new(t).ok())
            .ok_or_else(|| error_at(line, start, "digest"))?;
        Command::Apop { name, digest }
    } else if known(b"STAT") {
        Command::Stat
    } else if known(b"LIST") {
        Command::List {
            message: optional_message(&mut c)?,
        }
    } else if known(b"RETR") {
        Command::Retr {
            message: message(&mut c, "msg")?,
        }
    } else if known(b"DELE") {
        Command::Dele {
            message: message(&mut c, "msg")?,
        }
    } else if known(b"NOOP") {
        Command::Noop
    } else if known(b"RSET") {
        Command::Rset
    } else if known(b"QUIT") {
        Command::Quit
    } else if known(b"TOP") {
        let message = message(&mut c, "msg")?;
        let lines = message_like(&mut c, "n")?;
        Command::Top { message, lines }
    } else if known(b"UIDL") {
        Command::Uidl {
            message: optional_message(&mut c)?,
        }
    } else if known(b"CAPA") {
        Command::Capa
    } else if known(b"STLS") {
        Command::Stls
    } else if known(b"AUTH") {
        let (start, token) = c.param("sasl-mech")?;
        let mechanism = std::str::from_utf8(token)
            .ok()
            .and_then(|t| Mechanism::new(t).ok())
            .ok_or_else(|| error_at(line, start, "sasl-mech"))?;
        let initial_response = if c.is_end() {
            None
        } else {
            let (start, token) = c.param("initial-response")?;
            match wire::decode_initial_response(token, &wire::Limits::default()) {
                Ok(ClientMessage::Response(data)) => Some(data),
                Ok(ClientMessage::Cancel) => {
                    return Err(error_at(line, start, "initial-response"));
                }
                Err(e) => {
                    let at = match e {
                        mailwire_sasl::Error::InvalidBase64 { offset } => offset,
                        _ => 0,
                    };
                    return Err(error_at(line, start.saturating_add(at), "initial-response"));
                }
            }
        };
        Command::Auth {
            mechanism,
            initial_response,
        }
    } else if known(b"UTF8") {
        Command::Utf8
    } else if known(b"LANG") {
        Command::Lang {
            range: if c.is_end() {
                None
            } else {
                Some(argument(&mut c, line, "lang-range")?)
            },
        }
    } else {
        return Err(Error::Protocol(mailwire_core::Error::UnknownCommand {
            offset: 0,
        }));
    };
    c.expect_end("CRLF")?;
    Ok(command)
}

fn argument(c: &mut Cursor<'_>, line: &[u8], rule: &'static str) -> Result<Argument, Error> {
    let (start, token) = c.param(rule)?;
    check_argument(token).map_err(|_| error_at(line, start, rule))?;
    let text = utf8(token, start, rule)?;
    Argument::new(text).map_err(|_| error_at(line, start, rule))
}

fn message_like(c: &mut Cursor<'_>, rule: &'static str) -> Result<u32, Error> {
    let before = c.clone();
    let n = c.number(rule)?;
    u32::try_from(n).map_err(|_| {
        let mut at = before;
        at.eat(b' ');
        at.error(rule)
    })
}

fn message(c: &mut Cursor<'_>, rule: &'static str) -> Result<u32, Error> {
    message_like(c, rule)
}

fn optional_message(c: &mut Cursor<'_>) -> Result<Option<u32>, Error> {
    if c.is_end() {
        Ok(None)
    } else {
        message(c, "msg").map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailwire_core::error::Found;

    fn malformed(offset: u64, expected: &'static str, found: Found) -> Error {
        Error::Protocol(mailwire_core::Error::Malformed {
            offset,
            expected,
            found,
        })
    }

    #[test]
    fn every_command_parses() {
        let cases: &[(&[u8], Command)] = &[
            (
                b"USER mrose",
                Command::User {
                    name: Argument::new("mrose").unwrap(),
                },
            ),
            (
                b"APOP mrose c4c9334bac560ecc979e58001b3e22fb",
                Command::Apop {
                    name: Argument::new("mrose").unwrap(),
                    digest: ApopDigest::new("c4c9334bac560ecc979e58001b3e22fb").unwrap(),
                },
            ),
            (b"STAT", Command::Stat),
            (b"LIST", Command::List { message: None }),
            (b"LIST 2", Command::List { message: Some(2) }),
            (b"RETR 1", Command::Retr { message: 1 }),
            (b"DELE 1", Command::Dele { message: 1 }),
            (b"NOOP", Command::Noop),
            (b"RSET", Command::Rset),
            (b"QUIT", Command::Quit),
            (
                b"TOP 1 10",
                Command::Top {
                    message: 1,
                    lines: 10,
                },
            ),
            (b"UIDL", Command::Uidl { message: None }),
            (b"uidl 2", Command::Uidl { message: Some(2) }),
            (b"CAPA", Command::Capa),
            (b"STLS", Command::Stls),
            (
                b"AUTH PLAIN",
                Command::Auth {
                    mechanism: Mechanism::PLAIN,
                    initial_response: None,
                },
            ),
            (b"UTF8", Command::Utf8),
            (b"LANG", Command::Lang { range: None }),
            (
                b"LANG *",
                Command::Lang {
                    range: Some(Argument::new("*").unwrap()),
                },
            ),
        ];
        for (line, command) in cases {
            assert_eq!(&parse_command_line(line).unwrap(), command, "{line:?}");
        }
    }

    #[test]
    fn auth_initial_responses() {
        let Command::Auth {
            initial_response: Some(data),
            ..
        } = parse_command_line(b"AUTH PLAIN AGZyZWQAZnJlZA==").unwrap()
        else {
            panic!()
        };
        assert_eq!(data.expose_secret(), b"\0fred\0fred");
        let Command::Auth {
            initial_response: Some(data),
            ..
        } = parse_command_line(b"AUTH EXTERNAL =").unwrap()
        else {
            panic!()
        };
        assert!(data.expose_secret().is_empty());
        assert_eq!(
            parse_command_line(b"AUTH PLAIN *"),
            Err(malformed(11, "initial-response", Found::Byte(b'*')))
        );
        assert_eq!(
            parse_command_line(b"AUTH PLAIN AG=x"),
            Err(malformed(13, "initial-response", Found::Byte(b'=')))
        );
        assert_eq!(
            parse_command_line(b"AUTH PL@IN"),
            Err(malformed(5, "sasl-mech", Found::Byte(b'P')))
        );
    }

    #[test]
    fn malformed_arguments() {
        assert_eq!(
            parse_command_line(b"RETR"),
            Err(malformed(4, "SP", Found::EndOfInput))
        );
        assert_eq!(
            parse_command_line(b"RETR "),
            Err(malformed(5, "msg", Found::EndOfInput))
        );
        assert_eq!(
            parse_command_line(b"RETR  1"),
            Err(malformed(5, "msg", Found::Byte(b' ')))
        );
        assert_eq!(
            parse_command_line(b"RETR 4294967296"),
            Err(malformed(5, "msg", Found::Byte(b'4')))
        );
        assert_eq!(
            parse_command_line(b"STAT 1"),
            Err(malformed(4, "CRLF", Found::Byte(b' ')))
        );
        assert_eq!(
            parse_command_line(b"TOP 1"),
            Err(malformed(5, "SP", Found::EndOfInput))
        );
        assert_eq!(
            parse_command_line(b"TOP 1 -1"),
            Err(malformed(6, "n", Found::Byte(b'-')))
        );
        assert_eq!(
            parse_command_line(b"PASS"),
            Err(malformed(4, "SP", Found::EndOfInput))
        );
        assert_eq!(
            parse_command_line(b"PASS "),
            Err(malformed(5, "password", Found::EndOfInput))
        );
        assert_eq!(
            parse_command_line(b"APOP mrose c4c9"),
            Err(malformed(11, "digest", Found::Byte(b'c')))
        );
        assert_eq!(
            parse_command_line(b"USER a\x7f"),
            Err(malformed(5, "name", Found::Byte(b'a')))
        );
        assert_eq!(
            parse_command_line(b"USER \xff"),
            Err(malformed(5, "name", Found::Byte(0xff)))
        );
        assert_eq!(
            parse_command_line(b"NOOP\rX"),
            Err(malformed(4, "CRLF", Found::Byte(b'\r')))
        );
        assert_eq!(
            parse_command_line(b"USER a\0"),
            Err(malformed(6, "CRLF", Found::Byte(0)))
        );
        assert_eq!(
            parse_command_line(b""),
            Err(Error::Protocol(mailwire_core::Error::UnknownCommand {
                offset: 0
            }))
        );
    }

    #[test]
    fn framing() {
        assert_eq!(parse_command(b"QUIT\r").unwrap(), Parsed::Partial);
        assert_eq!(
            parse_command(b"QUIT\n"),
            Err(malformed(4, "CRLF", Found::Byte(b'\n')))
        );
        let long = [b'A'; 300];
        assert_eq!(
            parse_command(&long),
            Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
                offset: 0,
                what: "command line length",
                limit: 255,
                actual: 300
            }))
        );
        let mut long = b"USER ".to_vec();
        long.extend([b'a'; 260]);
        long.extend(b"\r\n");
        assert!(matches!(
            parse_command(&long),
            Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
                actual: 267,
                ..
            }))
        ));
    }
}
