//! Parsers of body sections and partial ranges ([RFC 9051 §9]).
//!
//! [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9

use std::num::NonZeroU64;

use super::core::{astring, number64, nz_number, nz_number64};
use super::{PResult, byte, fail, keyword, paren_list, sp, starts_with_ci};
use crate::limits::ParserConfig;
use crate::types::core::AString;
use crate::types::section::{Part, Partial, Section};
use crate::types::vec1::Vec1;

/// ```abnf
/// section = "[" [section-spec] "]"
/// ```
pub(crate) fn section<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, Option<Section<'a>>> {
    let (input, ()) = byte(input, b'[', "section")?;
    if let Ok((rest, ())) = byte(input, b']', "\"]\"") {
        return Ok((rest, None));
    }
    let (input, spec) = section_spec(input, config)?;
    let (input, ()) = byte(input, b']', "\"]\"")?;
    Ok((input, Some(spec)))
}

/// ```abnf
/// section-binary = "[" [section-part] "]"
/// ```
pub(crate) fn section_binary(input: &[u8]) -> PResult<'_, Option<Part>> {
    let (input, ()) = byte(input, b'[', "section-binary")?;
    if let Ok((rest, ())) = byte(input, b']', "\"]\"") {
        return Ok((rest, None));
    }
    let (input, part) = section_part(input)?;
    let (input, ()) = byte(input, b']', "\"]\"")?;
    Ok((input, Some(part)))
}

/// ```abnf
/// section-part = nz-number *("." nz-number)
/// ```
///
/// Stops before a `.` that is not followed by a digit (`1.HEADER`).
pub(crate) fn section_part(input: &[u8]) -> PResult<'_, Part> {
    let (mut input, first) = nz_number(input)?;
    let mut parts = vec![first];
    while let [b'.', d, ..] = input
        && d.is_ascii_digit()
    {
        let (rest, n) = nz_number(input.get(1..).unwrap_or_default())?;
        parts.push(n);
        input = rest;
    }
    Ok((input, Part(Vec1::unchecked(parts))))
}

/// ```abnf
/// section-spec = section-msgtext / (section-part ["." section-text])
/// section-text = section-msgtext / "MIME"
/// ```
pub(crate) fn section_spec<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Section<'a>> {
    if input.first().is_some_and(u8::is_ascii_digit) {
        let (input, part) = section_part(input)?;
        let Ok((rest, ())) = byte(input, b'.', "\".\"") else {
            return Ok((input, Section::Part(part)));
        };
        if let Ok((rest, ())) = keyword(rest, b"MIME", "section-text") {
            return Ok((rest, Section::Mime(part)));
        }
        return section_msgtext(rest, Some(part), config);
    }
    section_msgtext(input, None, config)
}

/// ```abnf
/// section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list /
///                   "TEXT"
/// ```
pub(crate) fn section_msgtext<'a>(
    input: &'a [u8],
    part: Option<Part>,
    config: &ParserConfig,
) -> PResult<'a, Section<'a>> {
    if starts_with_ci(input, b"HEADER.FIELDS.NOT") {
        let rest = input.get(17..).unwrap_or_default();
        let (rest, ()) = sp(rest)?;
        let (rest, names) = header_list(rest, config)?;
        return Ok((rest, Section::HeaderFieldsNot(part, names)));
    }
    if starts_with_ci(input, b"HEADER.FIELDS") {
        let rest = input.get(13..).unwrap_or_default();
        let (rest, ()) = sp(rest)?;
        let (rest, names) = header_list(rest, config)?;
        return Ok((rest, Section::HeaderFields(part, names)));
    }
    if let Ok((rest, ())) = keyword(input, b"HEADER", "section-msgtext") {
        return Ok((rest, Section::Header(part)));
    }
    if let Ok((rest, ())) = keyword(input, b"TEXT", "section-msgtext") {
        return Ok((rest, Section::Text(part)));
    }
    fail(input, "section-msgtext")
}

/// ```abnf
/// header-list = "(" header-fld-name *(SP header-fld-name) ")"
/// ```
pub(crate) fn header_list<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, Vec1<AString<'a>>> {
    let (rest, names) = paren_list(input, true, |i| astring(i, config))?;
    Ok((rest, Vec1::unchecked(names)))
}

/// ```abnf
/// partial = "<" number64 "." nz-number64 ">"
/// ```
pub(crate) fn partial(input: &[u8]) -> PResult<'_, Partial> {
    let (input, ()) = byte(input, b'<', "partial")?;
    let (input, offset) = number64(input)?;
    let (input, ()) = byte(input, b'.', "\".\"")?;
    let at = input;
    let (input, length) = nz_number64(input)?;
    let (input, ()) = byte(input, b'>', "\">\"")?;
    match NonZeroU64::new(length) {
        Some(length) => Ok((input, Partial { offset, length })),
        None => fail(at, "nz-number64"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn sections() {
        let cx = ParserConfig::default();
        let (_, s) = section(b"[1.2.HEADER.FIELDS (A B)]", &cx).unwrap();
        assert_eq!(s.unwrap().to_string(), "1.2.HEADER.FIELDS (A B)");
        assert_eq!(section(b"[]", &cx).unwrap().1, None);
        assert_eq!(
            section(b"[3.MIME]", &cx).unwrap().1.unwrap().to_string(),
            "3.MIME"
        );
        assert_eq!(
            section(b"[text]", &cx).unwrap().1.unwrap().to_string(),
            "TEXT"
        );
        assert!(section(b"[MIME]", &cx).is_err());
        assert!(section(b"[1.]", &cx).is_err());
        assert_eq!(partial(b"<0.2048>").unwrap().1.length.get(), 2048);
        assert!(partial(b"<0.0>").is_err());
    }
}
