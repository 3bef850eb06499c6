//! A single pass over the commands of a mail transaction in their common
//! form: `EHLO`, `MAIL`, `RCPT`, `DATA`, `RSET`, `NOOP` and `QUIT`
//! ([RFC 5321 §4.1.1]).
//!
//! [`command`] recognises a line only when every check the general parser
//! would make is known to pass: UTF-8 without CR, a verb in one of the
//! shapes below, a domain made of letter-digit labels, a dot-atom local
//! part, and the length limits of RFC 5321 §4.5.3.1. Parameters go
//! through the general parameter parsers, from the same position, so their
//! values and errors are the general parser's own. Anything else (address
//! literals, quoted local parts, source routes, `<Postmaster>`, UTF-8
//! domains, arguments, any error in the path) returns `None`, and the caller runs
//! the general parser, which decides. Both give the same result on every
//! line; the tests compare them.
//!
//! ```text
//! "EHLO" SP Domain
//! "MAIL FROM:" ( "<>" / "<" Dot-string "@" Domain ">" ) *( SP Mail-parameter )
//! "RCPT TO:" "<" Dot-string "@" Domain ">" *( SP Rcpt-parameter )
//! "DATA" / "RSET" / "NOOP" / "QUIT"
//! ```
//!
//! [RFC 5321 §4.1.1]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1

use std::borrow::Cow;

use super::Cursor;
use super::path::is_atext;
use crate::Error;
use crate::types::command::Command;
use crate::types::parameter::{BodyType, MailParameters, RcptParameters};
use crate::types::path::{
    Domain, ForwardPath, Host, LocalPart, MAX_DOMAIN_LENGTH, MAX_LOCAL_PART_LENGTH,
    MAX_PATH_LENGTH, Mailbox, ReversePath,
};

/// Frames and parses the first line of `input` (as
/// [`parse_command`](super::parse_command)) if it is complete, within
/// `max` octets, and has one of the common forms. One search finds both
/// the line end and any CR before it.
pub(crate) fn framed(input: &[u8], max: usize) -> Option<Result<(Command<'_>, usize), Error>> {
    let end = memchr::memchr2(b'\r', b'\n', input)?;
    let used = end.checked_add(2).filter(|&used| used <= max)?;
    if input.get(end..used) != Some(b"\r\n") {
        return None;
    }
    let line = input.get(..end)?;
    Some(parse(line)?.map(|command| (command, used)))
}

/// Parses `line` (without its CRLF) if it has one of the common forms;
/// `None` means the general parser must decide.
pub(crate) fn command(line: &[u8]) -> Option<Result<Command<'_>, Error>> {
    // The general parser rejects a CR anywhere.
    if memchr::memchr(b'\r', line).is_some() {
        return None;
    }
    parse(line)
}

/// [`command`] for a line known to hold no CR.
fn parse(line: &[u8]) -> Option<Result<Command<'_>, Error>> {
    // The general parser validates UTF-8.
    let text = std::str::from_utf8(line).ok()?;
    let (verb, rest) = line.split_first_chunk::<4>()?;
    // Clearing bit 5 upper-cases a letter and maps no other byte to it.
    let verb = u32::from_be_bytes(*verb) & 0xDFDF_DFDF;
    let is = |name: &[u8; 4]| verb == u32::from_be_bytes(*name);
    if rest.is_empty() {
        return if is(b"DATA") {
            Some(Ok(Command::Data))
        } else if is(b"RSET") {
            Some(Ok(Command::Rset))
        } else if is(b"QUIT") {
            Some(Ok(Command::Quit))
        } else if is(b"NOOP") {
            Some(Ok(Command::Noop { argument: None }))
        } else {
            None
        };
    }
    if is(b"MAIL") {
        mail(text)
    } else if is(b"RCPT") {
        rcpt(text)
    } else if is(b"EHLO") {
        let name = text.get(5..)?;
        (rest.first() == Some(&b' ') && domain_len(name.as_bytes())? == name.len())
            .then(|| Ok(Command::Ehlo { host: domain(name) }))
    } else {
        None
    }
}

fn mail(line: &str) -> Option<Result<Command<'_>, Error>> {
    const KEYWORD: usize = b"MAIL FROM:".len();
    if !line
        .as_bytes()
        .get(4..KEYWORD)?
        .eq_ignore_ascii_case(b" FROM:")
    {
        return None;
    }
    let (reverse_path, end) = match line.as_bytes().get(KEYWORD..)? {
        [b'<', b'>', ..] => (ReversePath::Null, KEYWORD + 2),
        _ => {
            let (mailbox, end) = path(line, KEYWORD)?;
            (ReversePath::Mailbox(mailbox), end)
        }
    };
    if let Some(parameters) = mail_parameters(line.as_bytes().get(end..)?) {
        return Some(Ok(Command::Mail {
            reverse_path,
            parameters,
        }));
    }
    let mut c = Cursor::from_str(line);
    c.set_pos(end);
    Some(
        super::parameter::mail_parameters(&mut c).and_then(|parameters| {
            c.expect_end("CRLF")?;
            Ok(Command::Mail {
                reverse_path,
                parameters,
            })
        }),
    )
}

/// The `SIZE` and `BODY` parameters ([RFC 1870], [RFC 6152]), each at most
/// once, with valid values; `None` for anything else, which the general
/// parameter parser then decides.
///
/// [RFC 1870]: https://www.rfc-editor.org/rfc/rfc1870
/// [RFC 6152]: https://www.rfc-editor.org/rfc/rfc6152
fn mail_parameters(mut rest: &[u8]) -> Option<MailParameters<'static>> {
    let mut parameters = MailParameters::default();
    while let Some(after) = rest.strip_prefix(b" ") {
        let len = memchr::memchr(b' ', after).unwrap_or(after.len());
        let (param, next) = after.split_at_checked(len)?;
        rest = next;
        let (keyword, value) = match param {
            [k0, k1, k2, k3, b'=', value @ ..] => (u32::from_be_bytes([*k0, *k1, *k2, *k3]), value),
            _ => return None,
        };
        if keyword & 0xDFDF_DFDF == u32::from_be_bytes(*b"SIZE") && parameters.size.is_none() {
            // Up to 19 digits: no overflow.
            if value.is_empty() || value.len() > 19 || !value.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let size = value
                .iter()
                .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
            parameters.size = Some(size);
        } else if keyword & 0xDFDF_DFDF == u32::from_be_bytes(*b"BODY") && parameters.body.is_none()
        {
            parameters.body = Some(if value.eq_ignore_ascii_case(b"8BITMIME") {
                BodyType::EightBitMime
            } else if value.eq_ignore_ascii_case(b"7BIT") {
                BodyType::SevenBit
            } else if value.eq_ignore_ascii_case(b"BINARYMIME") {
                BodyType::BinaryMime
            } else {
                return None;
            });
        } else {
            return None;
        }
    }
    rest.is_empty().then_some(parameters)
}

fn rcpt(line: &str) -> Option<Result<Command<'_>, Error>> {
    const KEYWORD: usize = b"RCPT TO:".len();
    if !line
        .as_bytes()
        .get(4..KEYWORD)?
        .eq_ignore_ascii_case(b" TO:")
    {
        return None;
    }
    let (mailbox, end) = path(line, KEYWORD)?;
    if end == line.len() {
        return Some(Ok(Command::Rcpt {
            forward_path: ForwardPath::Mailbox(mailbox),
            parameters: RcptParameters::default(),
        }));
    }
    let mut c = Cursor::from_str(line);
    c.set_pos(end);
    Some(
        super::parameter::rcpt_parameters(&mut c).and_then(|parameters| {
            c.expect_end("CRLF")?;
            Ok(Command::Rcpt {
                forward_path: ForwardPath::Mailbox(mailbox),
                parameters,
            })
        }),
    )
}

/// `"<" Dot-string "@" Domain ">"` at `start`: the mailbox and the position
/// after `>`.
fn path(line: &str, start: usize) -> Option<(Mailbox<'_>, usize)> {
    let bytes = line.as_bytes();
    if bytes.get(start) != Some(&b'<') {
        return None;
    }
    let local_start = start + 1;
    let local_len = dot_string_len(bytes.get(local_start..)?)?;
    if local_len > MAX_LOCAL_PART_LENGTH {
        return None;
    }
    let at = local_start + local_len;
    if bytes.get(at) != Some(&b'@') {
        return None;
    }
    let domain_start = at + 1;
    let domain_len = domain_len(bytes.get(domain_start..)?)?;
    let domain_end = domain_start + domain_len;
    if bytes.get(domain_end) != Some(&b'>') {
        return None;
    }
    // `<`, local part, `@`, domain, `>`.
    let path_len = local_len + domain_len + 3;
    if path_len > MAX_PATH_LENGTH {
        return None;
    }
    let local = LocalPart::from_cow_unchecked(Cow::Borrowed(line.get(local_start..at)?));
    let host = domain(line.get(domain_start..domain_end)?);
    Some((Mailbox::new(local, host), domain_end + 1))
}

/// The length of the `Dot-string` (atoms of `atext` joined by single dots)
/// at the start of `input`, if one is there.
fn dot_string_len(input: &[u8]) -> Option<usize> {
    let mut previous_dot = true;
    for (i, &b) in input.iter().enumerate() {
        if b == b'.' {
            if previous_dot {
                return None;
            }
            previous_dot = true;
        } else if is_atext(b) {
            previous_dot = false;
        } else {
            return (!previous_dot).then_some(i);
        }
    }
    None
}

/// The length of the `Domain` at the start of `input`, if it is made of
/// `Let-dig` and hyphen labels joined by single dots, each label starting
/// and ending with a `Let-dig`, within [`MAX_DOMAIN_LENGTH`].
fn domain_len(input: &[u8]) -> Option<usize> {
    // What the previous byte was: 0 for none or a dot, 1 for a Let-dig,
    // 2 for a hyphen.
    let mut previous = 0u8;
    let mut len = input.len();
    for (i, &b) in input.iter().enumerate() {
        previous = match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => 1,
            b'-' if previous != 0 => 2,
            b'.' if previous == 1 => 0,
            _ => {
                len = i;
                break;
            }
        };
    }
    (previous == 1 && len <= MAX_DOMAIN_LENGTH).then_some(len)
}

fn domain(name: &str) -> Host<'_> {
    Host::Domain(Domain::from_cow_unchecked(Cow::Borrowed(name)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_command_line;

    /// The general parser, with the hot path out of the way.
    fn general(line: &[u8]) -> Result<Command<'_>, Error> {
        super::super::command::parse_general(line)
    }

    #[test]
    fn common_forms_take_the_hot_path() {
        for line in [
            &b"EHLO client.example.net"[..],
            b"ehlo a-b.c0",
            b"MAIL FROM:<sender.1@mail.example.org> SIZE=1000 BODY=8BITMIME",
            b"mail from:<>",
            b"RCPT TO:<recipient@example.com>",
            b"RCPT TO:<r@example.com> NOTIFY=NEVER",
            "MAIL FROM:<δ@example.org> SMTPUTF8".as_bytes(),
            b"DATA",
            b"rset",
            b"NOOP",
            b"QUIT",
        ] {
            let fast = command(line).expect("hot path");
            assert_eq!(fast, general(line), "{}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn everything_else_is_left_to_the_general_parser() {
        for line in [
            &b"EHLO [192.0.2.1]"[..],
            b"EHLO a..b",
            b"EHLO a-",
            b"EHLO -a",
            b"EHLO a.",
            b"MAIL FROM:<\"q\"@example.org>",
            b"MAIL FROM:<@a,@b:u@c>",
            b"MAIL FROM: <a@b>",
            b"MAIL FROM:<a@[192.0.2.1]>",
            b"RCPT TO:<Postmaster>",
            b"RCPT TO:<a..b@c>",
            b"RCPT TO:<a@b.>",
            b"RCPT TO:<a@b",
            b"NOOP hello",
            b"DATA\r",
            b"MAIL FROM:<\xff@example.org>",
            "MAIL FROM:<a@δ.example>".as_bytes(),
            b"HELO a",
            b"VRFY a",
        ] {
            assert!(command(line).is_none(), "{}", String::from_utf8_lossy(line));
        }
        let long = format!("RCPT TO:<{}@example.org>", "a".repeat(65));
        assert!(command(long.as_bytes()).is_none());
        let long = format!("EHLO {}", "a.".repeat(128) + "b");
        assert!(command(long.as_bytes()).is_none());
    }

    #[test]
    fn parameter_errors_are_the_general_parsers() {
        for line in [
            &b"MAIL FROM:<a@b.c> SIZE=x"[..],
            b"MAIL FROM:<a@b.c> SIZE=1 SIZE=2",
            b"MAIL FROM:<a@b.c>  SIZE=1",
            b"MAIL FROM:<a@b.c>x",
            b"RCPT TO:<a@b.c> NOTIFY=SOMETIMES",
            b"RCPT TO:<a@b.c>>",
        ] {
            let fast = command(line).expect("hot path");
            assert!(fast.is_err());
            assert_eq!(fast, general(line));
            assert_eq!(parse_command_line(line), general(line));
        }
    }

    proptest::proptest! {
        #[test]
        fn same_result_as_the_general_parser(
            line in proptest::string::bytes_regex(concat!(
                "(?s-u)((EHLO|ehlo|MAIL|RCPT|DATA|RSET|NOOP|QUIT|HELO)",
                "( FROM:| TO:| from:| |:|)",
                "(<|\\[|\"|@|)",
                "[a-zA-Z0-9.@<>\\-_+=\\[\\]\": ,\\r\\x80-\\xff]{0,40}",
                "( SIZE=[0-9x]{0,3}| BODY=8BITMIME| NOTIFY=NEVER| [A-Z]{1,4}=?[a-z]{0,3}){0,3})",
            )).unwrap(),
        ) {
            if let Some(fast) = command(&line) {
                proptest::prop_assert_eq!(fast, general(&line));
            }
            proptest::prop_assert_eq!(parse_command_line(&line), general(&line));
        }

        #[test]
        fn paths_agree(
            local in "[a-zA-Z0-9.!#%+/=?_~-]{0,70}",
            domain in "[a-zA-Z0-9.-]{0,20}",
            verb in proptest::sample::select(vec!["MAIL FROM:", "RCPT TO:", "mail from:", "EHLO "]),
            tail in "( SIZE=[0-9]{1,3}| BODY=7BIT| x|>|)",
        ) {
            let line = if verb == "EHLO " {
                format!("{verb}{domain}")
            } else {
                format!("{verb}<{local}@{domain}>{tail}")
            };
            if let Some(fast) = command(line.as_bytes()) {
                proptest::prop_assert_eq!(fast, general(line.as_bytes()));
            }
        }
    }

    /// [`parse_command`](crate::parse::parse_command) without the hot path.
    fn general_framed(input: &[u8]) -> Result<Option<(Command<'_>, usize)>, Error> {
        use crate::limits::DEFAULT_MAX_COMMAND_LINE_LENGTH;
        use crate::parse::{Status, split_line};
        match split_line(input, DEFAULT_MAX_COMMAND_LINE_LENGTH)? {
            Status::Complete((line, used)) => general(line).map(|c| Some((c, used))),
            Status::Partial => Ok(None),
        }
    }

    fn framed_agrees(input: &[u8]) -> Result<(), proptest::test_runner::TestCaseError> {
        use crate::parse::{Status, parse_command};
        let expected = general_framed(input);
        if let Some(fast) = framed(input, crate::limits::DEFAULT_MAX_COMMAND_LINE_LENGTH) {
            proptest::prop_assert_eq!(fast.map(Some), expected.clone());
        }
        let public = parse_command(input).map(|s| match s {
            Status::Complete(c) => Some(c),
            Status::Partial => None,
        });
        proptest::prop_assert_eq!(public, expected);
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn framing_agrees(
            line in proptest::string::bytes_regex(concat!(
                "(?s-u)(MAIL FROM:<a@b.c>|RCPT TO:<x.y@example.org>|DATA|EHLO a.b|QUIT)",
                "( SIZE=[0-9]{1,21}| BODY=(8bitmime|7BIT|BINARYMIME|x)| SIZE=1| NOTIFY=NEVER|[ =\r\n])*",
                "(\r\n|\n|\r|\r\r\n|)(NOOP\r\n)?",
            )).unwrap(),
        ) {
            framed_agrees(&line)?;
        }
    }

    #[test]
    fn limits_and_line_ends_agree() {
        let long = format!("RCPT TO:<a@{}.example>\r\n", "b".repeat(500));
        for input in [
            long.as_bytes(),
            b"DATA\r\n",
            b"DATA\n",
            b"DATA\r",
            b"DATA\rx\r\n",
            b"MAIL FROM:<a@b.c> SIZE=18446744073709551616\r\n",
            b"MAIL FROM:<a@b.c> SIZE=9999999999999999999\r\n",
            b"MAIL FROM:<a@b.c> SIZE=1 BODY=8BITMIME SIZE=2\r\n",
            b"MAIL FROM:<a@b.c> body=binarymime size=0\r\n",
        ] {
            framed_agrees(input).unwrap();
        }
    }

    #[test]
    fn the_bench_lines_agree() {
        let mut lines = Vec::new();
        for i in 0..2000u32 {
            lines.push(format!("EHLO client{i}.example.net"));
            lines.push(format!(
                "MAIL FROM:<sender.{i}@mail{}.example.org> SIZE={} BODY=8BITMIME",
                i % 1000,
                i * 7919
            ));
            lines.push(format!("RCPT TO:<recipient{i}@example.com>"));
        }
        for line in &lines {
            let fast = command(line.as_bytes()).expect("hot path");
            assert_eq!(fast, general(line.as_bytes()), "{line}");
        }
    }
}
