//! Parser of the generic extension syntax ([RFC 4466 §2.1]).
//!
//! [RFC 4466 §2.1]: https://www.rfc-editor.org/rfc/rfc4466#section-2.1

use std::num::NonZeroU32;

use super::core::{astring, atom, number64};
use super::sequence::sequence_set;
use super::{PResult, check_depth, fail};
use crate::limits::ParserConfig;
use crate::types::extension::{Extension, ExtensionItem, ExtensionValue};
use crate::types::sequence::SequenceSet;

/// A name and, when one follows (`(` or a number), its value. With
/// `list_only`, only a parenthesised value is taken (LIST's
/// `option-value`).
///
/// ```abnf
/// tagged-ext       = tagged-ext-label [SP tagged-ext-val]
/// option-extension = (option-standard-tag / option-vendor-tag) [SP option-value]
/// option-value     = "(" option-val-comp ")"
/// ```
pub(crate) fn extension<'a>(
    input: &'a [u8],
    config: &ParserConfig,
    list_only: bool,
) -> PResult<'a, Extension<'a>> {
    let (input, name) = atom(input)?;
    let value_follows = match input {
        [b' ', b'(', ..] => true,
        [b' ', b'0'..=b'9' | b'*' | b'$', ..] => !list_only,
        _ => false,
    };
    if !value_follows {
        return Ok((input, Extension { name, value: None }));
    }
    let (input, value) = tagged_ext_val(input.get(1..).unwrap_or_default(), config)?;
    Ok((
        input,
        Extension {
            name,
            value: Some(value),
        },
    ))
}

/// A value of the generic syntax, for command parameters and for
/// LIST-EXTENDED items and ESEARCH return data alike.
///
/// ```abnf
/// tagged-ext-val    = tagged-ext-simple / "(" [tagged-ext-comp] ")"
/// tagged-ext-simple = sequence-set / number / number64
/// ```
///
/// A value that starts like no `tagged-ext-simple` is read as an astring:
/// RFC 9051 §7.3.1's own LIST example sends `Sample "text"`.
pub(crate) fn tagged_ext_val<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, ExtensionValue<'a>> {
    match input.first() {
        Some(b'(') => {
            let (rest, items) = tagged_ext_comp_list(input, config, 1)?;
            Ok((rest, ExtensionValue::List(items)))
        }
        Some(b'0'..=b'9' | b'*' | b'$') => tagged_ext_simple(input),
        _ => astring(input, config)
            .map(|(rest, s)| (rest, ExtensionValue::AString(s)))
            .or_else(|_| fail(input, "tagged-ext-val")),
    }
}

/// ```abnf
/// tagged-ext-simple = sequence-set / number / number64
/// ```
fn tagged_ext_simple(input: &[u8]) -> PResult<'_, ExtensionValue<'_>> {
    if let Ok((rest, set)) = sequence_set(input) {
        return Ok((rest, ExtensionValue::SequenceSet(set)));
    }
    // A number with leading zeros (`088`) is no sequence set, but one as
    // soon as it is written back: keep the form that round-trips.
    match number64(input) {
        Ok((rest, n)) => match u32::try_from(n).ok().and_then(NonZeroU32::new) {
            Some(n) => Ok((rest, ExtensionValue::SequenceSet(SequenceSet::single(n)))),
            None => Ok((rest, ExtensionValue::Number(n))),
        },
        Err(_) => fail(input, "tagged-ext-val"),
    }
}

/// `"(" [tagged-ext-comp *(SP tagged-ext-comp)] ")"`, nested lists bounded
/// by the depth limit.
///
/// ```abnf
/// tagged-ext-comp = astring / tagged-ext-comp *(SP tagged-ext-comp) /
///                   "(" tagged-ext-comp ")"
/// ```
fn tagged_ext_comp_list<'a>(
    input: &'a [u8],
    config: &ParserConfig,
    depth: usize,
) -> PResult<'a, Vec<ExtensionItem<'a>>> {
    check_depth(input, config, depth)?;
    super::paren_list(input, false, |i| {
        if i.first() == Some(&b'(') {
            let (rest, list) = tagged_ext_comp_list(i, config, depth + 1)?;
            Ok((rest, ExtensionItem::List(list)))
        } else {
            let (rest, s) = astring(i, config)?;
            Ok((rest, ExtensionItem::AString(s)))
        }
    })
}
