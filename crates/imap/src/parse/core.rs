//! Parsers of the basic data formats ([RFC 9051 §4], §9).
//!
//! [RFC 9051 §4]: https://www.rfc-editor.org/rfc/rfc9051#section-4

use std::borrow::Cow;
use std::num::NonZeroU32;

use super::{PResult, byte, crlf, fail, keyword};
use crate::limits::ParserConfig;
use crate::types::core::{
    ASTRING_CHAR, AString, ATOM_CHAR, Atom, AtomExt, DIGIT, IString, Literal, Literal8,
    LiteralMode, NString, Quoted, TAG_CHAR, Tag, Text, span,
};

/// Splits `input` after the longest prefix in class `mask`, failing with
/// `expected` when it is empty.
#[inline]
pub(crate) fn take_class<'a>(
    input: &'a [u8],
    mask: u8,
    expected: &'static str,
) -> PResult<'a, &'a str> {
    let n = span(input, mask);
    if n == 0 {
        return fail(input, expected);
    }
    let (head, rest) = input.split_at(n);
    // Every class above is ASCII, so this never fails.
    match std::str::from_utf8(head) {
        Ok(s) => Ok((rest, s)),
        Err(_) => fail(input, expected),
    }
}

/// ```abnf
/// tag = 1*<any ASTRING-CHAR except "+">
/// ```
#[inline]
pub(crate) fn tag(input: &[u8]) -> PResult<'_, Tag<'_>> {
    let (rest, s) = take_class(input, TAG_CHAR, "tag")?;
    Ok((rest, Tag::unchecked(s)))
}

/// ```abnf
/// atom = 1*ATOM-CHAR
/// ```
#[inline]
pub(crate) fn atom(input: &[u8]) -> PResult<'_, Atom<'_>> {
    let (rest, s) = take_class(input, ATOM_CHAR, "atom")?;
    Ok((rest, Atom::unchecked(s)))
}

/// ```abnf
/// number = 1*DIGIT ; Unsigned 32-bit integer
/// ```
#[inline]
pub(crate) fn number(input: &[u8]) -> PResult<'_, u32> {
    let n = span(input, DIGIT);
    let Some(digits) = input.get(..n).filter(|d| !d.is_empty()) else {
        return fail(input, "number");
    };
    let mut value: u32 = 0;
    for d in digits {
        match value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u32::from(d.wrapping_sub(b'0'))))
        {
            Some(v) => value = v,
            None => return fail(input, "number"),
        }
    }
    Ok((input.get(n..).unwrap_or_default(), value))
}

/// ```abnf
/// number64 = 1*DIGIT ; Unsigned 63-bit integer, 0 <= n <= 9,223,372,036,854,775,807
/// ```
#[inline]
pub(crate) fn number64(input: &[u8]) -> PResult<'_, u64> {
    let n = span(input, DIGIT);
    let Some(digits) = input.get(..n).filter(|d| !d.is_empty()) else {
        return fail(input, "number64");
    };
    let mut value: u64 = 0;
    for d in digits {
        match value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(d.wrapping_sub(b'0'))))
        {
            Some(v) if v <= i64::MAX as u64 => value = v,
            _ => return fail(input, "number64"),
        }
    }
    Ok((input.get(n..).unwrap_or_default(), value))
}

/// ```abnf
/// nz-number = digit-nz *DIGIT ; Non-zero unsigned 32-bit integer
/// ```
#[inline]
pub(crate) fn nz_number(input: &[u8]) -> PResult<'_, NonZeroU32> {
    if input.first() == Some(&b'0') {
        return fail(input, "nz-number");
    }
    let (rest, n) =
        number(input).map_err(|_| nom::Err::Error(super::ParseError::new(input, "nz-number")))?;
    match NonZeroU32::new(n) {
        Some(n) => Ok((rest, n)),
        None => fail(input, "nz-number"),
    }
}

/// ```abnf
/// nz-number64 = digit-nz *DIGIT ; Unsigned 63-bit integer, > 0
/// ```
pub(crate) fn nz_number64(input: &[u8]) -> PResult<'_, u64> {
    if input.first() == Some(&b'0') {
        return fail(input, "nz-number64");
    }
    number64(input)
}

/// Checks 8-bit content: valid UTF-8 where allowed, lossy in lenient mode.
fn text_from_bytes<'a>(
    input: &'a [u8],
    at: &'a [u8],
    config: &ParserConfig,
    utf8_allowed: bool,
    expected: &'static str,
) -> Result<Cow<'a, str>, nom::Err<super::ParseError<'a>>> {
    if input.is_ascii() {
        return match std::str::from_utf8(input) {
            Ok(s) => Ok(Cow::Borrowed(s)),
            Err(_) => Err(nom::Err::Error(super::ParseError::new(at, expected))),
        };
    }
    if utf8_allowed && let Ok(s) = std::str::from_utf8(input) {
        return Ok(Cow::Borrowed(s));
    }
    if config.lenient {
        return Ok(String::from_utf8_lossy(input));
    }
    let bad = input.iter().position(|b| *b >= 0x80).unwrap_or(0);
    Err(nom::Err::Error(super::ParseError::new(
        at.get(bad..).unwrap_or_default(),
        expected,
    )))
}

/// ```abnf
/// quoted          = DQUOTE *QUOTED-CHAR DQUOTE
/// QUOTED-CHAR     = <any TEXT-CHAR except quoted-specials> /
///                   "\" quoted-specials / UTF8-2 / UTF8-3 / UTF8-4
/// ```
///
/// UTF-8 is accepted under IMAP4rev2 or `UTF8=ACCEPT`
/// ([`ParserConfig::utf8_quoted`]), any 8-bit byte in lenient mode.
pub(crate) fn quoted<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Quoted<'a>> {
    let (body, ()) = byte(input, b'"', "quoted")?;
    let utf8 = config.utf8_quoted();
    // Fast path: no escape before the closing quote.
    let Some(end) = memchr::memchr3(b'"', b'\\', b'\r', body) else {
        return fail(body.get(body.len()..).unwrap_or_default(), "DQUOTE");
    };
    let (content, rest) = body.split_at(end);
    if let Some(i) = content.iter().position(|b| *b == b'\n' || *b == 0) {
        return fail(body.get(i..).unwrap_or_default(), "QUOTED-CHAR");
    }
    if rest.first() == Some(&b'"') {
        let s = text_from_bytes(content, body, config, utf8, "QUOTED-CHAR")?;
        return Ok((rest.get(1..).unwrap_or_default(), Quoted::unchecked(s)));
    }
    if rest.first() == Some(&b'\r') {
        return fail(rest, "QUOTED-CHAR");
    }
    // Slow path: unescape.
    let mut out = Vec::with_capacity(body.len().min(1024));
    let mut i = 0;
    loop {
        match body.get(i) {
            None => return fail(body.get(i..).unwrap_or_default(), "DQUOTE"),
            Some(b'"') => break,
            Some(b'\\') => match body.get(i.saturating_add(1)) {
                Some(c @ (b'"' | b'\\')) => {
                    out.push(*c);
                    i = i.saturating_add(2);
                }
                _ => {
                    return fail(
                        body.get(i.saturating_add(1)..).unwrap_or_default(),
                        "quoted-specials",
                    );
                }
            },
            Some(b'\r' | b'\n' | 0) => {
                return fail(body.get(i..).unwrap_or_default(), "QUOTED-CHAR");
            }
            Some(c) => {
                out.push(*c);
                i = i.saturating_add(1);
            }
        }
    }
    let rest = body.get(i.saturating_add(1)..).unwrap_or_default();
    let s = match text_from_bytes(&out, body, config, utf8, "QUOTED-CHAR") {
        Ok(Cow::Borrowed(_)) => match String::from_utf8(out) {
            Ok(s) => Cow::Owned(s),
            Err(_) => return fail(body, "QUOTED-CHAR"),
        },
        Ok(Cow::Owned(s)) => Cow::Owned(s),
        Err(_) => return fail(body, "QUOTED-CHAR"),
    };
    Ok((rest, Quoted::unchecked(s)))
}

/// The `"{" number64 ["+"] "}" CRLF` head of a literal: the length and the
/// mode.
pub(crate) fn literal_head(input: &[u8]) -> PResult<'_, (u64, LiteralMode)> {
    let (input, ()) = byte(input, b'{', "literal")?;
    let (input, n) = number64(input)?;
    let (input, mode) = match input.first() {
        Some(b'+') => (input.get(1..).unwrap_or_default(), LiteralMode::NonSync),
        _ => (input, LiteralMode::Sync),
    };
    let (input, ()) = byte(input, b'}', "\"}\"")?;
    let (input, ()) = crlf(input)?;
    Ok((input, (n, mode)))
}

/// Takes the `n` octets of a literal.
fn literal_data(input: &[u8], n: u64) -> PResult<'_, &[u8]> {
    let n = usize::try_from(n).unwrap_or(usize::MAX);
    match (input.get(..n), input.get(n..)) {
        (Some(data), Some(rest)) => Ok((rest, data)),
        _ => fail(
            input.get(input.len()..).unwrap_or_default(),
            "literal octets",
        ),
    }
}

/// ```abnf
/// literal = "{" number64 ["+"] "}" CRLF *CHAR8
///         ; Number represents the number of CHAR8s.
/// CHAR8   = %x01-ff
/// ```
pub(crate) fn literal<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Literal<'a>> {
    let (input, (n, mode)) = literal_head(input)?;
    let (rest, data) = literal_data(input, n)?;
    if !config.lenient
        && let Some(i) = memchr::memchr(0, data)
    {
        return fail(data.get(i..).unwrap_or_default(), "CHAR8");
    }
    Ok((rest, Literal::unchecked(data, mode)))
}

/// ```abnf
/// literal8 = "~{" number64 ["+"] "}" CRLF *OCTET
/// ```
pub(crate) fn literal8(input: &[u8]) -> PResult<'_, Literal8<'_>> {
    let (input, ()) = byte(input, b'~', "literal8")?;
    let (input, (n, mode)) = literal_head(input)?;
    let (rest, data) = literal_data(input, n)?;
    Ok((rest, Literal8::new(data).with_mode(mode)))
}

/// ```abnf
/// string = quoted / literal
/// ```
#[inline]
pub(crate) fn string<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, IString<'a>> {
    match input.first() {
        Some(b'"') => quoted(input, config).map(|(r, q)| (r, IString::Quoted(q))),
        Some(b'{') => literal(input, config).map(|(r, l)| (r, IString::Literal(l))),
        _ => fail(input, "string"),
    }
}

/// ```abnf
/// astring = 1*ASTRING-CHAR / string
/// ```
#[inline]
pub(crate) fn astring<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, AString<'a>> {
    match input.first() {
        Some(b'"' | b'{') => string(input, config).map(|(r, s)| (r, AString::String(s))),
        _ => {
            let (rest, s) = take_class(input, ASTRING_CHAR, "astring")?;
            Ok((rest, AString::Atom(AtomExt::unchecked(s))))
        }
    }
}

/// ```abnf
/// nstring = string / nil
/// nil     = "NIL"
/// ```
pub(crate) fn nstring<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, NString<'a>> {
    match input.first() {
        Some(b'"' | b'{') => string(input, config).map(|(r, s)| (r, NString(Some(s)))),
        _ => keyword(input, b"NIL", "nstring").map(|(r, ())| (r, NString(None))),
    }
}

/// ```abnf
/// nil = "NIL"
/// ```
pub(crate) fn nil(input: &[u8]) -> PResult<'_, ()> {
    keyword(input, b"NIL", "nil")
}

/// ```abnf
/// text      = 1*TEXT-CHAR
/// TEXT-CHAR = <any CHAR except CR and LF>
/// ```
///
/// UTF-8 is accepted (IMAP4rev2 §9 allows it in `resp-text`); other 8-bit
/// bytes only in lenient mode.
#[allow(dead_code)] // Used by the response parsers.
pub(crate) fn text<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Text<'a>> {
    let n = memchr::memchr2(b'\r', b'\n', input).unwrap_or(input.len());
    let head = input.get(..n).unwrap_or_default();
    if head.is_empty() {
        return fail(input, "text");
    }
    if !config.lenient
        && let Some(i) = head.iter().position(|b| *b == 0)
    {
        return fail(input.get(i..).unwrap_or_default(), "TEXT-CHAR");
    }
    let s = text_from_bytes(head, input, config, true, "TEXT-CHAR")?;
    Ok((input.get(n..).unwrap_or_default(), Text::unchecked(s)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn cx() -> ParserConfig {
        ParserConfig::default()
    }

    #[test]
    fn numbers() {
        assert_eq!(number(b"4294967295 ").unwrap(), (&b" "[..], u32::MAX));
        assert!(number(b"4294967296").is_err());
        assert!(nz_number(b"0").is_err());
        assert!(nz_number(b"01").is_err());
        assert_eq!(number64(b"9223372036854775807").unwrap().1, i64::MAX as u64);
        assert!(number64(b"9223372036854775808").is_err());
    }

    #[test]
    fn quoted_forms() {
        let (rest, q) = quoted(b"\"a b\" x", &cx()).unwrap();
        assert_eq!((rest, q.as_str()), (&b" x"[..], "a b"));
        assert!(matches!(q.into_inner(), Cow::Borrowed(_)));
        let (_, q) = quoted(br#""a\"b\\""#, &cx()).unwrap();
        assert_eq!(q.as_str(), "a\"b\\");
        assert!(quoted(b"\"a\\b\"", &cx()).is_err());
        assert!(quoted(b"\"a\r\n\"", &cx()).is_err());
        assert!(quoted("\"é\"".as_bytes(), &cx()).is_err());
        assert!(quoted("\"é\"".as_bytes(), &cx().with_utf8_accept(true)).is_ok());
        assert_eq!(
            quoted(b"\"\xff\"", &cx().with_lenient(true))
                .unwrap()
                .1
                .as_str(),
            "\u{fffd}"
        );
    }

    #[test]
    fn literals() {
        let (rest, l) = literal(b"{3}\r\nabcd", &cx()).unwrap();
        assert_eq!(
            (rest, l.data(), l.mode()),
            (&b"d"[..], &b"abc"[..], LiteralMode::Sync)
        );
        let (_, l) = literal(b"{0+}\r\n", &cx()).unwrap();
        assert_eq!(l.mode(), LiteralMode::NonSync);
        assert!(literal(b"{3}\r\nab", &cx()).is_err());
        assert!(literal(b"{1}\r\n\0", &cx()).is_err());
        assert_eq!(literal8(b"~{1}\r\n\0").unwrap().1.data(), b"\0");
    }
}
