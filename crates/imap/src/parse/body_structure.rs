//! Parser of BODY and BODYSTRUCTURE ([RFC 9051 §9]), depth-limited by
//! [`ParserConfig::max_depth`].
//!
//! [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9

use super::core::{nil, number, number64};
use super::envelope::envelope;
use super::response::{fast_nstring, fast_string as string};
use super::response::{lstring, sp_paren};
use super::{PResult, byte, check_depth, fail, sp};
use crate::limits::ParserConfig;
use crate::types::body_structure::{
    Body, BodyExtension, BodyFields, Disposition, DispositionTail, Language, LanguageTail,
    LocationTail, MultiExtension, SingleExtension, SingleSpecific,
};
use crate::types::core::IString;
use crate::types::vec1::Vec1;

/// ```abnf
/// body = "(" (body-type-1part / body-type-mpart) ")"
/// ```
pub(crate) fn body<'a>(
    input: &'a [u8],
    config: &ParserConfig,
    depth: usize,
) -> PResult<'a, Body<'a>> {
    check_depth(input, config, depth)?;
    let (input, ()) = byte(input, b'(', "body")?;
    let (input, b) = if input.first() == Some(&b'(') {
        multipart(input, config, depth)?
    } else {
        single(input, config, depth)?
    };
    let (input, ()) = byte(input, b')', "\")\"")?;
    Ok((input, b))
}

/// ```abnf
/// body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
/// ```
fn multipart<'a>(input: &'a [u8], config: &ParserConfig, depth: usize) -> PResult<'a, Body<'a>> {
    let next = depth.saturating_add(1);
    let (mut input, first) = body(input, config, next)?;
    let mut parts = vec![first];
    loop {
        if config.lenient && input.first() == Some(&b' ') && input.get(1) == Some(&b'(') {
            input = input.get(1..).unwrap_or_default();
        }
        if input.first() != Some(&b'(') {
            break;
        }
        let (rest, part) = body(input, config, next)?;
        parts.push(part);
        input = rest;
    }
    let (input, ()) = sp(input)?;
    let (input, media_subtype) = lstring(input, config)?;
    let (input, extension) = match sp(input) {
        Ok((rest, ())) => {
            let (rest, params) = body_fld_param(rest, config)?;
            let (rest, tail) = disposition_tail(rest, config, depth)?;
            (rest, Some(MultiExtension { params, tail }))
        }
        Err(_) => (input, None),
    };
    Ok((
        input,
        Body::Multi {
            parts: Vec1::unchecked(parts),
            media_subtype,
            extension,
        },
    ))
}

fn is(s: &IString<'_>, word: &str) -> bool {
    s.as_bytes().eq_ignore_ascii_case(word.as_bytes())
}

/// ```abnf
/// body-type-1part = (body-type-basic / body-type-msg / body-type-text)
///                   [SP body-ext-1part]
/// ```
fn single<'a>(input: &'a [u8], config: &ParserConfig, depth: usize) -> PResult<'a, Body<'a>> {
    let (input, media_type) = lstring(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, media_subtype) = lstring(input, config)?;
    let (input, ()) = sp_paren(input, config)?;
    let (input, fields) = body_fields(input, config)?;
    let (input, specific) = if is(&media_type, "MESSAGE")
        && (is(&media_subtype, "RFC822") || is(&media_subtype, "GLOBAL"))
    {
        let (input, ()) = sp_paren(input, config)?;
        let (input, env) = envelope(input, config)?;
        let (input, ()) = sp_paren(input, config)?;
        let (input, inner) = body(input, config, depth.saturating_add(1))?;
        let (input, ()) = sp(input)?;
        let (input, lines) = number64(input)?;
        (
            input,
            SingleSpecific::Message {
                envelope: Box::new(env),
                body: Box::new(inner),
                lines,
            },
        )
    } else if is(&media_type, "TEXT") {
        let (input, ()) = sp(input)?;
        let (input, lines) = number64(input)?;
        (input, SingleSpecific::Text { lines })
    } else {
        (input, SingleSpecific::Basic)
    };
    let (input, extension) = match sp(input) {
        Ok((rest, ())) => {
            let (rest, md5) = fast_nstring(rest, config)?;
            let (rest, tail) = disposition_tail(rest, config, depth)?;
            (rest, Some(SingleExtension { md5, tail }))
        }
        Err(_) => (input, None),
    };
    Ok((
        input,
        Body::Single {
            media_type,
            media_subtype,
            fields,
            specific,
            extension,
        },
    ))
}

/// ```abnf
/// body-fields = body-fld-param SP body-fld-id SP body-fld-desc SP
///               body-fld-enc SP body-fld-octets
/// ```
fn body_fields<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, BodyFields<'a>> {
    let (input, params) = body_fld_param(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, id) = fast_nstring(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, description) = fast_nstring(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, encoding) = lstring(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, octets) = number(input)?;
    Ok((
        input,
        BodyFields {
            params,
            id,
            description,
            encoding,
            octets,
        },
    ))
}

type Params<'a> = Vec<(IString<'a>, IString<'a>)>;

/// ```abnf
/// body-fld-param = "(" string SP string *(SP string SP string) ")" / nil
/// ```
fn body_fld_param<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Params<'a>> {
    if let Ok((rest, ())) = nil(input) {
        return Ok((rest, Vec::new()));
    }
    let (mut input, ()) = byte(input, b'(', "body-fld-param")?;
    let mut out = Vec::new();
    loop {
        let (rest, k) = string(input, config)?;
        let (rest, ()) = sp(rest)?;
        let (rest, v) = lstring(rest, config)?;
        out.push((k, v));
        match rest.first() {
            Some(b' ') => input = rest.get(1..).unwrap_or_default(),
            Some(b')') => return Ok((rest.get(1..).unwrap_or_default(), out)),
            _ => return fail(rest, "\")\""),
        }
    }
}

/// `[SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]`.
fn disposition_tail<'a>(
    input: &'a [u8],
    config: &ParserConfig,
    depth: usize,
) -> PResult<'a, Option<DispositionTail<'a>>> {
    let Ok((input, ())) = sp(input) else {
        return Ok((input, None));
    };
    let (input, disposition) = if let Ok((rest, ())) = nil(input) {
        (rest, None)
    } else {
        let (i, ()) = byte(input, b'(', "body-fld-dsp")?;
        let (i, kind) = lstring(i, config)?;
        let (i, ()) = sp_paren(i, config)?;
        let (i, params) = body_fld_param(i, config)?;
        let (i, ()) = byte(i, b')', "\")\"")?;
        (i, Some(Disposition { kind, params }))
    };
    let (input, tail) = match sp(input) {
        Ok((rest, ())) => {
            let (rest, language) = body_fld_lang(rest, config)?;
            let (rest, tail) = match sp(rest) {
                Ok((rest, ())) => {
                    let (mut rest, location) = fast_nstring(rest, config)?;
                    let mut extensions = Vec::new();
                    while let Ok((r, ())) = sp(rest) {
                        let (r, e) = body_extension(r, config, depth.saturating_add(1))?;
                        extensions.push(e);
                        rest = r;
                    }
                    (
                        rest,
                        Some(LocationTail {
                            location,
                            extensions,
                        }),
                    )
                }
                Err(_) => (rest, None),
            };
            (rest, Some(LanguageTail { language, tail }))
        }
        Err(_) => (input, None),
    };
    Ok((input, Some(DispositionTail { disposition, tail })))
}

/// ```abnf
/// body-fld-lang = nstring / "(" string *(SP string) ")"
/// ```
fn body_fld_lang<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Language<'a>> {
    if input.first() == Some(&b'(') {
        let (rest, list) = super::paren_list(input, true, |i| string(i, config))?;
        return Ok((rest, Language::List(Vec1::unchecked(list))));
    }
    fast_nstring(input, config).map(|(r, s)| (r, Language::Single(s)))
}

/// ```abnf
/// body-extension = nstring / number64 /
///                  "(" body-extension *(SP body-extension) ")"
/// ```
fn body_extension<'a>(
    input: &'a [u8],
    config: &ParserConfig,
    depth: usize,
) -> PResult<'a, BodyExtension<'a>> {
    check_depth(input, config, depth)?;
    match input.first() {
        Some(b'(') => {
            let (rest, list) = super::paren_list(input, true, |i| {
                body_extension(i, config, depth.saturating_add(1))
            })?;
            Ok((rest, BodyExtension::List(Vec1::unchecked(list))))
        }
        Some(b'0'..=b'9') => number64(input).map(|(r, n)| (r, BodyExtension::Number(n))),
        _ => fast_nstring(input, config).map(|(r, s)| (r, BodyExtension::NString(s))),
    }
}
