//! Parsers of responses ([RFC 9051 §7], grammar in §9): the greeting,
//! continuation requests, tagged status responses, `resp-text` and the
//! dispatch of untagged data.
//!
//! In lenient mode ([`ParserConfig::lenient`]) the defects of real servers
//! are accepted: trailing spaces before CRLF, a missing space before `(`,
//! `NIL` where a string is due, 8-bit text, `]` in flags and in code text;
//! untagged data that still does not parse is kept as
//! [`Untagged::Unparsed`].
//!
//! [RFC 9051 §7]: https://www.rfc-editor.org/rfc/rfc9051#section-7

use std::borrow::Cow;

use super::capability::capability;
use super::core::{astring, atom, nz_number, string, text};
use super::flag::flag_perm;
use super::mailbox_data as data;
use super::sequence::sequence_set;
use super::{PResult, ParseError, byte, crlf, fail, keyword, leading_tag, sp};
use crate::error::Error;
use crate::limits::ParserConfig;
use crate::types::core::{
    ATOM_CHAR, IString, NString, QUOTED_SPECIAL, Quoted, TEXT_CHAR, class, span,
};
use crate::types::response::{
    Base64, Condition, Continue, Greeting, GreetingKind, RespText, Response, Tagged, Untagged,
};
use crate::types::response_code::{Code, MetadataCode};
use crate::types::vec1::Vec1;

/// Parses one complete response (as the [framer](crate::framer) delivers
/// it).
///
/// ```
/// use mailwire_imap::{Error, ParserConfig, parse_response};
/// use mailwire_core::error::Found;
///
/// let err = parse_response(b"a2 OK [UIDNEXT x] done\r\n", &ParserConfig::default()).unwrap_err();
/// assert_eq!(err.offset(), Some(15));
/// assert_eq!(err.expected(), Some("nz-number"));
/// assert_eq!(err.tag().unwrap().as_str(), "a2");
/// ```
pub fn parse_response<'a>(input: &'a [u8], config: &ParserConfig) -> Result<Response<'a>, Error> {
    finish(input, response(input, config))
}

/// Parses the server greeting ([RFC 9051 §7.1]).
///
/// ```abnf
/// greeting = "*" SP (resp-cond-auth / resp-cond-bye) CRLF
/// ```
///
/// [RFC 9051 §7.1]: https://www.rfc-editor.org/rfc/rfc9051#section-7.1
///
/// ```
/// use mailwire_imap::{ParserConfig, parse_greeting};
/// let err = parse_greeting(b"* NO go away\r\n", &ParserConfig::default()).unwrap_err();
/// assert_eq!(err.offset(), Some(2));
/// assert_eq!(err.expected(), Some("greeting"));
/// ```
pub fn parse_greeting<'a>(input: &'a [u8], config: &ParserConfig) -> Result<Greeting<'a>, Error> {
    finish(input, greeting(input, config))
}

fn finish<'a, T>(input: &'a [u8], result: PResult<'a, T>) -> Result<T, Error> {
    match result {
        Ok(([], value)) => Ok(value),
        Ok((rest, _)) => {
            Err(ParseError::new(rest, "end of message").into_error(input, leading_tag(input)))
        }
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
            Err(e.into_error(input, leading_tag(input)))
        }
        Err(nom::Err::Incomplete(_)) => Err(ParseError::new(
            input.get(input.len()..).unwrap_or_default(),
            "end of message",
        )
        .into_error(input, leading_tag(input))),
    }
}

/// `greeting`.
pub(crate) fn greeting<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Greeting<'a>> {
    let (input, ()) = byte(input, b'*', "greeting")?;
    let (input, ()) = sp(input)?;
    let (name, rest) = name(input);
    let kind = if name.eq_ignore_ascii_case(b"OK") {
        GreetingKind::Ok
    } else if name.eq_ignore_ascii_case(b"PREAUTH") {
        GreetingKind::PreAuth
    } else if name.eq_ignore_ascii_case(b"BYE") {
        GreetingKind::Bye
    } else {
        return fail(input, "greeting");
    };
    let (rest, text) = sp_resp_text(rest, config)?;
    let (rest, ()) = end(rest, config)?;
    Ok((rest, Greeting { kind, text }))
}

/// ```abnf
/// response-data / response-tagged / continue-req
/// ```
pub(crate) fn response<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Response<'a>> {
    match input.first() {
        Some(b'+') => continue_req(input, config).map(|(r, c)| (r, Response::Continue(c))),
        Some(b'*') => untagged_or_unparsed(input, config).map(|(r, u)| (r, Response::Untagged(u))),
        _ => tagged(input, config).map(|(r, t)| (r, Response::Tagged(t))),
    }
}

/// ```abnf
/// response-tagged = tag SP resp-cond-state CRLF
/// ```
fn tagged<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Tagged<'a>> {
    let (input, tag) = super::core::tag(input)?;
    let (input, ()) = sp(input)?;
    let (rest, condition) = condition(input)?;
    let (rest, text) = sp_resp_text(rest, config)?;
    let (rest, ()) = end(rest, config)?;
    Ok((
        rest,
        Tagged {
            tag,
            condition,
            text,
        },
    ))
}

fn condition(input: &[u8]) -> PResult<'_, Condition> {
    let (n, rest) = name(input);
    if n.eq_ignore_ascii_case(b"OK") {
        Ok((rest, Condition::Ok))
    } else if n.eq_ignore_ascii_case(b"NO") {
        Ok((rest, Condition::No))
    } else if n.eq_ignore_ascii_case(b"BAD") {
        Ok((rest, Condition::Bad))
    } else {
        fail(input, "resp-cond-state")
    }
}

/// ```abnf
/// continue-req = "+" SP (resp-text / base64) CRLF
/// ```
pub(crate) fn continue_req<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, Continue<'a>> {
    let (input, ()) = byte(input, b'+', "continue-req")?;
    // `+` CRLF: an empty challenge whose trailing space was lost, as in
    // RFC 9051 §6.2.2's example.
    let input = match sp(input) {
        Ok((rest, ())) => rest,
        Err(e) if input.first() != Some(&b'\r') && !config.lenient => return Err(e),
        Err(_) => input,
    };
    let line_end = memchr::memchr(b'\r', input).unwrap_or(input.len());
    let line = input.get(..line_end).unwrap_or_default();
    if let Ok(s) = std::str::from_utf8(line)
        && Base64::validate(s).is_ok()
    {
        let rest = input.get(line.len()..).unwrap_or_default();
        let (rest, ()) = end(rest, config)?;
        return Ok((rest, Continue::Base64(Base64::unchecked(s))));
    }
    let (rest, text) = resp_text(input, config)?;
    let (rest, ()) = end(rest, config)?;
    Ok((rest, Continue::Text(text)))
}

/// The end of a message: CRLF; in lenient mode trailing spaces first.
#[inline]
pub(crate) fn end<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, ()> {
    if config.lenient {
        let n = input.iter().take_while(|b| **b == b' ').count();
        return crlf(input.get(n..).unwrap_or_default());
    }
    crlf(input)
}

/// SP before `(`; in lenient mode the space may be missing.
#[inline]
pub(crate) fn sp_paren<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, ()> {
    if config.lenient && input.first() == Some(&b'(') {
        return Ok((input, ()));
    }
    sp(input)
}

/// A string; in lenient mode `NIL` reads as the empty string.
#[inline]
pub(crate) fn lstring<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, IString<'a>> {
    if config.lenient
        && let Ok((rest, ())) = keyword(input, b"NIL", "string")
    {
        return Ok((rest, IString::Quoted(Quoted::unchecked(""))));
    }
    fast_string(input, config)
}

/// `string`, with a fast path for the common quoted string: ASCII without
/// escapes, scanned once through the character table; anything else goes
/// to the full rule.
#[inline]
pub(crate) fn fast_string<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, IString<'a>> {
    if let [b'"', body @ ..] = input {
        let n = body
            .iter()
            .position(|b| class(*b) & (TEXT_CHAR | QUOTED_SPECIAL) != TEXT_CHAR)
            .unwrap_or(body.len());
        if let (Some(b'"'), Some(content)) = (body.get(n), body.get(..n))
            && let Ok(s) = std::str::from_utf8(content)
        {
            return Ok((
                body.get(n.saturating_add(1)..).unwrap_or_default(),
                IString::Quoted(Quoted::unchecked(s)),
            ));
        }
    }
    string(input, config)
}

/// `nstring` with [`fast_string`]'s fast path.
#[inline]
pub(crate) fn fast_nstring<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, NString<'a>> {
    match input.first() {
        Some(b'"' | b'{') => fast_string(input, config).map(|(r, s)| (r, NString(Some(s)))),
        _ => keyword(input, b"NIL", "nstring").map(|(r, ())| (r, NString(None))),
    }
}

/// An atom-character name token.
#[inline]
pub(crate) fn name(input: &[u8]) -> (&[u8], &[u8]) {
    input.split_at(span(input, ATOM_CHAR))
}

/// `SP resp-text`; lenient mode also takes a bare CRLF.
fn sp_resp_text<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, RespText<'a>> {
    match sp(input) {
        Ok((rest, ())) => resp_text(rest, config),
        // RFC 7162's examples end `a107 OK` (the trailing space lost).
        Err(_) if input.first() == Some(&b'\r') => Ok((input, RespText::default())),
        Err(e) => Err(e),
    }
}

/// ```abnf
/// resp-text = ["[" resp-text-code "]" SP] [text]
/// ```
pub(crate) fn resp_text<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, RespText<'a>> {
    let (input, code) = if input.first() == Some(&b'[') {
        match code_in_brackets(input, config) {
            Ok((rest, code)) => {
                let rest = match rest.first() {
                    Some(b' ') => rest.get(1..).unwrap_or_default(),
                    None | Some(b'\r') => rest,
                    _ if config.lenient => rest,
                    _ => return fail(rest, "SP"),
                };
                (rest, Some(code))
            }
            Err(_) if config.lenient => (input, None),
            Err(e) => return Err(e),
        }
    } else {
        (input, None)
    };
    let (input, t) = match input.first() {
        None | Some(b'\r') => (input, None),
        Some(_) => {
            let (rest, t) = text(input, config)?;
            (rest, Some(t))
        }
    };
    Ok((input, RespText { code, text: t }))
}

fn code_in_brackets<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Code<'a>> {
    let (input, ()) = byte(input, b'[', "resp-text-code")?;
    let (input, code) = resp_text_code(input, config)?;
    let (input, ()) = byte(input, b']', "\"]\"")?;
    Ok((input, code))
}

/// `resp-text-code`; in lenient mode a known code whose arguments do not
/// parse is kept as [`Code::Other`].
pub(crate) fn resp_text_code<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Code<'a>> {
    let (n, rest) = name(input);
    let mut buf = [0u8; 20];
    let upper = super::command::upper_name(n, &mut buf);
    match known_code(upper, rest, config) {
        Ok((r, Some(code))) if r.first() == Some(&b']') => Ok((r, code)),
        Ok((r, Some(_))) if !config.lenient => fail(r, "\"]\""),
        Err(nom::Err::Error(e)) if !config.lenient => Err(nom::Err::Error(e)),
        Err(nom::Err::Failure(e)) => Err(nom::Err::Failure(e)),
        _ => other_code(input, config),
    }
}

/// The codes with a grammar of their own; `None` for any other name.
fn known_code<'a>(
    upper: &[u8],
    rest: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, Option<Code<'a>>> {
    let code = match upper {
        b"ALERT" => Ok((rest, Code::Alert)),
        b"PARSE" => Ok((rest, Code::Parse)),
        b"READ-ONLY" => Ok((rest, Code::ReadOnly)),
        b"READ-WRITE" => Ok((rest, Code::ReadWrite)),
        b"TRYCREATE" => Ok((rest, Code::TryCreate)),
        b"CLOSED" => Ok((rest, Code::Closed)),
        b"UIDNOTSTICKY" => Ok((rest, Code::UidNotSticky)),
        b"NOMODSEQ" => Ok((rest, Code::NoModSeq)),
        b"NOTSAVED" => Ok((rest, Code::NotSaved)),
        b"COMPRESSIONACTIVE" => Ok((rest, Code::CompressionActive)),
        b"BADCHARSET" => {
            if rest.first() == Some(&b' ') {
                let (r, ()) = sp(rest)?;
                let (r, list) = super::paren_list(r, true, |i| astring(i, config))?;
                Ok((r, Code::BadCharset(list)))
            } else {
                Ok((rest, Code::BadCharset(Vec::new())))
            }
        }
        b"CAPABILITY" => {
            let (r, ()) = sp(rest)?;
            let (r, caps) = super::sp_list1(r, capability)?;
            Ok((r, Code::Capability(Vec1::unchecked(caps))))
        }
        b"PERMANENTFLAGS" => {
            let (r, ()) = sp_paren(rest, config)?;
            let (r, flags) = super::paren_list(r, false, |i| flag_perm(i, config))?;
            Ok((r, Code::PermanentFlags(flags)))
        }
        b"UIDNEXT" | b"UIDVALIDITY" | b"UNSEEN" => {
            let (r, ()) = sp(rest)?;
            let (r, n) = nz_number(r)?;
            Ok((
                r,
                match upper {
                    b"UIDNEXT" => Code::UidNext(n),
                    b"UIDVALIDITY" => Code::UidValidity(n),
                    _ => Code::Unseen(n),
                },
            ))
        }
        b"APPENDUID" => {
            let (r, ()) = sp(rest)?;
            let (r, uid_validity) = nz_number(r)?;
            let (r, ()) = sp(r)?;
            let (r, uids) = sequence_set(r)?;
            Ok((r, Code::AppendUid { uid_validity, uids }))
        }
        b"COPYUID" => {
            let (r, ()) = sp(rest)?;
            let (r, uid_validity) = nz_number(r)?;
            let (r, ()) = sp(r)?;
            let (r, source) = sequence_set(r)?;
            let (r, ()) = sp(r)?;
            let (r, destination) = sequence_set(r)?;
            Ok((
                r,
                Code::CopyUid {
                    uid_validity,
                    source,
                    destination,
                },
            ))
        }
        b"HIGHESTMODSEQ" => {
            let (r, ()) = sp(rest)?;
            let (r, n) = super::condstore::mod_sequence_value(r)?;
            Ok((r, Code::HighestModSeq(n)))
        }
        b"MODIFIED" => {
            let (r, ()) = sp(rest)?;
            let (r, set) = sequence_set(r)?;
            Ok((r, Code::Modified(set)))
        }
        b"MAILBOXID" => {
            let (r, ()) = sp(rest)?;
            let (r, id) = data::paren_objectid(r)?;
            Ok((r, Code::MailboxId(id)))
        }
        b"METADATA" => {
            let (r, ()) = sp(rest)?;
            let (m, r2) = name(r);
            let mut b2 = [0u8; 20];
            match super::command::upper_name(m, &mut b2) {
                b"TOOMANY" => Ok((r2, Code::Metadata(MetadataCode::TooMany))),
                b"NOPRIVATE" => Ok((r2, Code::Metadata(MetadataCode::NoPrivate))),
                b"LONGENTRIES" => {
                    let (r2, ()) = sp(r2)?;
                    let (r2, n) = super::core::number(r2)?;
                    Ok((r2, Code::Metadata(MetadataCode::LongEntries(n))))
                }
                b"MAXSIZE" => {
                    let (r2, ()) = sp(r2)?;
                    let (r2, n) = super::core::number(r2)?;
                    Ok((r2, Code::Metadata(MetadataCode::MaxSize(n))))
                }
                _ => fail(r, "METADATA code"),
            }
        }
        _ => return Ok((rest, None)),
    };
    code.map(|(r, c)| (r, Some(c)))
}

/// ```abnf
/// resp-text-code =/ atom [SP 1*<any TEXT-CHAR except "]">]
/// ```
///
/// In lenient mode the text may hold `]` when it is not followed by SP or
/// the end of the line.
fn other_code<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Code<'a>> {
    let (rest, name) =
        atom(input).map_err(|_| nom::Err::Error(ParseError::new(input, "resp-text-code")))?;
    let Ok((rest, ())) = sp(rest) else {
        return Ok((rest, Code::Other { name, text: None }));
    };
    let line_end = memchr::memchr2(b'\r', b'\n', rest).unwrap_or(rest.len());
    let line = rest.get(..line_end).unwrap_or_default();
    let mut n = memchr::memchr(b']', line).unwrap_or(line.len());
    if config.lenient {
        while n < line.len() && !matches!(line.get(n.saturating_add(1)), None | Some(b' ')) {
            n = memchr::memchr(b']', line.get(n.saturating_add(1)..).unwrap_or_default())
                .map_or(line.len(), |i| i.saturating_add(n).saturating_add(1));
        }
    }
    let head = line.get(..n).unwrap_or_default();
    if head.is_empty() {
        return fail(rest, "TEXT-CHAR");
    }
    let (_, t) = text(head, config)?;
    Ok((
        rest.get(n..).unwrap_or_default(),
        Code::Other {
            name,
            text: Some(t),
        },
    ))
}

/// Untagged data; in lenient mode data that does not parse is kept raw.
fn untagged_or_unparsed<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Untagged<'a>> {
    match untagged(input, config) {
        Ok(ok) => Ok(ok),
        // Kept raw only when the whole message is `* ... CRLF`, so that the
        // raw bytes encode back to exactly the message.
        Err(nom::Err::Error(_))
            if config.lenient && input.starts_with(b"* ") && input.ends_with(b"\r\n") =>
        {
            let raw = input
                .get(2..input.len().saturating_sub(2))
                .unwrap_or_default();
            Ok((&[], Untagged::Unparsed(Cow::Borrowed(raw))))
        }
        Err(e) => Err(e),
    }
}

/// ```abnf
/// response-data = "*" SP (resp-cond-state / resp-cond-bye /
///                 mailbox-data / message-data / capability-data /
///                 enable-data) CRLF
/// ```
pub(crate) fn untagged<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Untagged<'a>> {
    let (input, ()) = byte(input, b'*', "\"*\"")?;
    let (input, ()) = sp(input)?;
    let (rest, value) = if input.first().is_some_and(u8::is_ascii_digit) {
        super::message_data::numbered(input, config)?
    } else {
        untagged_named(input, config)?
    };
    let (rest, ()) = end(rest, config)?;
    Ok((rest, value))
}

fn untagged_named<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Untagged<'a>> {
    let (n, rest) = name(input);
    let mut buf = [0u8; 20];
    match super::command::upper_name(n, &mut buf) {
        b"OK" => sp_resp_text(rest, config).map(|(r, text)| {
            (
                r,
                Untagged::Condition {
                    condition: Condition::Ok,
                    text,
                },
            )
        }),
        b"NO" => sp_resp_text(rest, config).map(|(r, text)| {
            (
                r,
                Untagged::Condition {
                    condition: Condition::No,
                    text,
                },
            )
        }),
        b"BAD" => sp_resp_text(rest, config).map(|(r, text)| {
            (
                r,
                Untagged::Condition {
                    condition: Condition::Bad,
                    text,
                },
            )
        }),
        b"BYE" => sp_resp_text(rest, config).map(|(r, t)| (r, Untagged::Bye(t))),
        b"PREAUTH" => sp_resp_text(rest, config).map(|(r, t)| (r, Untagged::PreAuth(t))),
        b"CAPABILITY" => {
            let (r, ()) = sp(rest)?;
            let (r, caps) = sp_list_lenient(r, config, capability)?;
            Ok((r, Untagged::Capability(Vec1::unchecked(caps))))
        }
        b"ENABLED" => {
            let mut caps = Vec::new();
            let mut r = rest;
            while let Ok((r2, ())) = sp(r) {
                match capability(r2) {
                    Ok((r3, c)) => {
                        caps.push(c);
                        r = r3;
                    }
                    Err(_) if config.lenient => break,
                    Err(e) => return Err(e),
                }
            }
            Ok((r, Untagged::Enabled(caps)))
        }
        b"FLAGS" => {
            let (r, ()) = sp_paren(rest, config)?;
            let (r, flags) = super::flag::flag_list(r, config)?;
            Ok((r, Untagged::Flags(flags)))
        }
        b"LIST" => data::mailbox_list(rest, config).map(|(r, l)| (r, Untagged::List(l))),
        b"LSUB" => data::mailbox_list(rest, config).map(|(r, l)| (r, Untagged::Lsub(l))),
        b"STATUS" => data::status(rest, config).map(|(r, s)| (r, Untagged::Status(s))),
        b"SEARCH" => data::search(rest, config).map(|(r, s)| (r, Untagged::Search(s))),
        b"SORT" => data::search(rest, config).map(|(r, s)| (r, Untagged::Sort(s))),
        b"ESEARCH" => data::esearch(rest, config).map(|(r, s)| (r, Untagged::ESearch(s))),
        b"THREAD" => data::thread_data(rest, config).map(|(r, t)| (r, Untagged::Thread(t))),
        b"NAMESPACE" => data::namespace(rest, config).map(|(r, n)| (r, Untagged::Namespace(n))),
        b"QUOTA" => data::quota(rest, config).map(|(r, q)| (r, Untagged::Quota(q))),
        b"QUOTAROOT" => data::quotaroot(rest, config).map(|(r, q)| (r, Untagged::QuotaRoot(q))),
        b"ACL" => data::acl(rest, config).map(|(r, a)| (r, Untagged::Acl(a))),
        b"LISTRIGHTS" => data::listrights(rest, config).map(|(r, a)| (r, Untagged::ListRights(a))),
        b"MYRIGHTS" => data::myrights(rest, config).map(|(r, a)| (r, Untagged::MyRights(a))),
        b"METADATA" => data::metadata(rest, config).map(|(r, m)| (r, Untagged::Metadata(m))),
        b"ID" => data::id(rest, config).map(|(r, i)| (r, Untagged::Id(i))),
        b"VANISHED" => super::message_data::vanished(rest),
        _ => fail(input, "response-data"),
    }
}

/// `item *(SP item)`; in lenient mode a trailing space is left for
/// [`end`].
pub(crate) fn sp_list_lenient<'a, T>(
    input: &'a [u8],
    config: &ParserConfig,
    mut item: impl FnMut(&'a [u8]) -> PResult<'a, T>,
) -> PResult<'a, Vec<T>> {
    let (mut input, first) = item(input)?;
    let mut out = vec![first];
    while let Ok((rest, ())) = sp(input) {
        match item(rest) {
            Ok((rest, value)) => {
                out.push(value);
                input = rest;
            }
            Err(nom::Err::Error(_)) if config.lenient => break,
            Err(e) => return Err(e),
        }
    }
    Ok((input, out))
}
