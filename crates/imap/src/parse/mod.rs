//! nom 8 parsers, one function per ABNF rule.
//!
//! Every parser works on one complete message (its lines and literals, as
//! the [framer](crate::framer) delivers them) and returns the rest of the
//! input; running out of input is an error, never `Incomplete`. Each rule
//! function quotes its ABNF. Errors name the rule that was expected at the
//! furthest position reached ([`ParseError`]) and become
//! [`Error::Malformed`](crate::Error::Malformed) with an offset at the top.
//!
//! The files mirror [`types`](crate::types) and [`encode`](crate::encode):
//! `core.rs` holds RFC 9051 §4's data formats, `sequence.rs`, `flag.rs`,
//! `mailbox.rs`, `datetime.rs`, `section.rs` the shared pieces, and one file
//! per command group or extension.

use mailwire_core::error::Found;
use nom::Parser;

use crate::error::Error;
use crate::limits::ParserConfig;
use crate::types::core::{ATOM_CHAR, Tag, is};

pub(crate) mod acl;
pub(crate) mod body_structure;
pub(crate) mod capability;
pub(crate) mod command;
pub(crate) mod condstore;
pub(crate) mod core;
pub(crate) mod datetime;
pub(crate) mod envelope;
pub(crate) mod extension;
pub(crate) mod fetch;
pub(crate) mod flag;
pub(crate) mod id;
pub(crate) mod list;
pub(crate) mod mailbox;
pub(crate) mod mailbox_data;
pub(crate) mod message_data;
pub(crate) mod metadata;
pub(crate) mod quota;
pub(crate) mod response;
pub(crate) mod search;
pub(crate) mod section;
pub(crate) mod sequence;

/// The result of one rule function.
pub(crate) type PResult<'a, T> = nom::IResult<&'a [u8], T, ParseError<'a>>;

/// A rule failure: where, and what was expected there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ParseError<'a> {
    /// The input at the failure point.
    pub(crate) input: &'a [u8],
    /// What went wrong.
    pub(crate) kind: ErrorKind,
}

/// What went wrong at [`ParseError::input`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// The named ABNF rule was expected.
    Expected(&'static str),
    /// A limit was exceeded.
    Limit {
        what: &'static str,
        limit: u64,
        actual: u64,
    },
}

impl<'a> ParseError<'a> {
    pub(crate) const fn new(input: &'a [u8], expected: &'static str) -> Self {
        Self {
            input,
            kind: ErrorKind::Expected(expected),
        }
    }

    /// Converts into the public error; `whole` is the message the parse
    /// started on.
    pub(crate) fn into_error(self, whole: &[u8], tag: Option<Tag<'static>>) -> Error {
        let offset = whole.len().saturating_sub(self.input.len()) as u64;
        match self.kind {
            ErrorKind::Expected(expected) => Error::Malformed {
                offset,
                expected,
                found: self
                    .input
                    .first()
                    .map_or(Found::EndOfInput, |b| Found::Byte(*b)),
                tag,
            },
            ErrorKind::Limit {
                what,
                limit,
                actual,
            } => Error::LimitExceeded {
                offset,
                what,
                limit,
                actual,
                tag,
            },
        }
    }
}

impl<'a> nom::error::ParseError<&'a [u8]> for ParseError<'a> {
    fn from_error_kind(input: &'a [u8], kind: nom::error::ErrorKind) -> Self {
        let expected = match kind {
            nom::error::ErrorKind::Eof => "end of message",
            _ => "valid syntax",
        };
        Self::new(input, expected)
    }

    fn append(_input: &'a [u8], _kind: nom::error::ErrorKind, other: Self) -> Self {
        other
    }

    /// Keeps the error that got furthest; on a tie the later branch.
    fn or(self, other: Self) -> Self {
        if self.input.len() < other.input.len() {
            self
        } else {
            other
        }
    }
}

/// Renames an error of a sub-rule that failed at the very start of `input`
/// to the rule being parsed (`mailbox` rather than `astring`); errors
/// deeper inside keep the more precise name.
pub(crate) fn rename_at<'a>(
    input: &'a [u8],
    expected: &'static str,
) -> impl FnOnce(nom::Err<ParseError<'a>>) -> nom::Err<ParseError<'a>> {
    move |err| {
        err.map(|e| {
            if e.input.len() == input.len() && matches!(e.kind, ErrorKind::Expected(_)) {
                ParseError::new(input, expected)
            } else {
                e
            }
        })
    }
}

/// Fails with `expected` at `input`.
#[inline]
pub(crate) fn fail<'a, T>(input: &'a [u8], expected: &'static str) -> PResult<'a, T> {
    Err(nom::Err::Error(ParseError::new(input, expected)))
}

/// Fails with a limit error at `input`; not recoverable by `alt`.
pub(crate) fn limit<'a, T>(
    input: &'a [u8],
    what: &'static str,
    limit: u64,
    actual: u64,
) -> PResult<'a, T> {
    Err(nom::Err::Failure(ParseError {
        input,
        kind: ErrorKind::Limit {
            what,
            limit,
            actual,
        },
    }))
}

/// Checks nesting depth: fails when `depth` exceeds the configured maximum.
pub(crate) fn check_depth<'a>(
    input: &'a [u8],
    config: &ParserConfig,
    depth: usize,
) -> PResult<'a, ()> {
    if depth > config.max_depth {
        limit(
            input,
            "nesting depth",
            config.max_depth as u64,
            depth as u64,
        )
    } else {
        Ok((input, ()))
    }
}

/// One expected byte.
#[inline]
pub(crate) fn byte<'a>(input: &'a [u8], b: u8, expected: &'static str) -> PResult<'a, ()> {
    match input.split_first() {
        Some((first, rest)) if *first == b => Ok((rest, ())),
        _ => fail(input, expected),
    }
}

/// ```abnf
/// SP = %x20
/// ```
#[inline]
pub(crate) fn sp(input: &[u8]) -> PResult<'_, ()> {
    byte(input, b' ', "SP")
}

/// ```abnf
/// CRLF = CR LF
/// ```
#[inline]
pub(crate) fn crlf(input: &[u8]) -> PResult<'_, ()> {
    match input {
        [b'\r', b'\n', rest @ ..] => Ok((rest, ())),
        _ => fail(input, "CRLF"),
    }
}

/// A keyword, ASCII case-insensitive (IMAP keywords are, RFC 9051 §9
/// "Note"). The keyword must not be followed by an atom character, so `FLAGSX`
/// does not match `FLAGS`.
#[inline]
pub(crate) fn keyword<'a>(
    input: &'a [u8],
    word: &'static [u8],
    expected: &'static str,
) -> PResult<'a, ()> {
    match (input.get(..word.len()), input.get(word.len()..)) {
        (Some(head), Some(rest))
            if head.eq_ignore_ascii_case(word)
                && !(word.last().is_some_and(|b| is(*b, ATOM_CHAR))
                    && rest.first().is_some_and(|b| is(*b, ATOM_CHAR))) =>
        {
            Ok((rest, ()))
        }
        _ => fail(input, expected),
    }
}

/// Whether `input` starts with `word`, ASCII case-insensitively.
#[inline]
pub(crate) fn starts_with_ci(input: &[u8], word: &[u8]) -> bool {
    input
        .get(..word.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(word))
}

/// Runs `item` separated by single spaces, one or more times.
pub(crate) fn sp_list1<'a, T>(
    input: &'a [u8],
    mut item: impl FnMut(&'a [u8]) -> PResult<'a, T>,
) -> PResult<'a, Vec<T>> {
    let (mut input, first) = item(input)?;
    let mut out = vec![first];
    loop {
        let Ok((rest, ())) = sp(input) else {
            return Ok((input, out));
        };
        match item(rest) {
            Ok((rest, value)) => {
                out.push(value);
                input = rest;
            }
            Err(nom::Err::Error(e)) => return Err(nom::Err::Error(e)),
            Err(e) => return Err(e),
        }
    }
}

/// `"(" [item *(SP item)] ")"`, or with `nonempty` `"(" item *(SP item) ")"`.
pub(crate) fn paren_list<'a, T>(
    input: &'a [u8],
    nonempty: bool,
    item: impl FnMut(&'a [u8]) -> PResult<'a, T>,
) -> PResult<'a, Vec<T>> {
    let (input, ()) = byte(input, b'(', "\"(\"")?;
    if !nonempty && let Ok((rest, ())) = byte(input, b')', "\")\"") {
        return Ok((rest, Vec::new()));
    }
    let (input, list) = sp_list1(input, item)?;
    let (input, ()) = byte(input, b')', "\")\"")?;
    Ok((input, list))
}

/// Runs `parser` and maps success with `f`.
#[inline]
#[allow(dead_code)] // Used by the response parsers.
pub(crate) fn map<'a, T, U>(
    input: &'a [u8],
    parser: impl FnOnce(&'a [u8]) -> PResult<'a, T>,
    f: impl FnOnce(T) -> U,
) -> PResult<'a, U> {
    parser(input).map(|(rest, value)| (rest, f(value)))
}

/// `[SP item]`: an optional item after a space; backtracks when the item
/// does not follow.
#[allow(dead_code)] // Used by the response parsers.
pub(crate) fn opt_sp<'a, T>(
    input: &'a [u8],
    item: impl FnOnce(&'a [u8]) -> PResult<'a, T>,
) -> PResult<'a, Option<T>> {
    let Ok((rest, ())) = sp(input) else {
        return Ok((input, None));
    };
    match item(rest) {
        Ok((rest, value)) => Ok((rest, Some(value))),
        Err(nom::Err::Error(_)) => Ok((input, None)),
        Err(e) => Err(e),
    }
}

/// Adapts a rule function to nom's [`Parser`] for the combinators.
#[allow(dead_code)]
pub(crate) fn rule<'a, T>(
    f: impl FnMut(&'a [u8]) -> PResult<'a, T>,
) -> impl Parser<&'a [u8], Output = T, Error = ParseError<'a>> {
    f
}

/// Reads the tag of a command or tagged response from the start of
/// `message`, for error reports; `None` when the message does not start with
/// a valid tag followed by a space.
pub(crate) fn leading_tag(message: &[u8]) -> Option<Tag<'static>> {
    match core::tag(message) {
        Ok((rest, tag)) if rest.first() == Some(&b' ') => Some(tag.into_static()),
        _ => None,
    }
}
