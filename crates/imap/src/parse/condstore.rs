//! CONDSTORE/QRESYNC parameters and modifiers ([RFC 7162 §7]), and the
//! SELECT/EXAMINE commands that carry them.
//!
//! [RFC 7162 §7]: https://www.rfc-editor.org/rfc/rfc7162#section-7

use std::num::NonZeroU64;

use super::core::{number64, nz_number, nz_number64};
use super::mailbox::mailbox;
use super::sequence::sequence_set;
use super::{PResult, byte, fail, keyword, paren_list, sp};
use crate::limits::ParserConfig;
use crate::types::command::CommandBody;
use crate::types::condstore::{FetchModifier, SelectParameter, StoreModifier};

/// ```abnf
/// select        = "SELECT" SP mailbox [select-params]
/// examine       = "EXAMINE" SP mailbox [select-params]
/// select-params = SP "(" select-param *(SP select-param) ")"
/// ```
pub(crate) fn select<'a>(
    input: &'a [u8],
    config: &ParserConfig,
    examine: bool,
) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, mailbox) = mailbox(input, config)?;
    let (input, parameters) = match input {
        [b' ', b'(', ..] => paren_list(input.get(1..).unwrap_or_default(), true, |i| {
            select_param(i, config)
        })?,
        _ => (input, Vec::new()),
    };
    Ok((
        input,
        if examine {
            CommandBody::Examine {
                mailbox,
                parameters,
            }
        } else {
            CommandBody::Select {
                mailbox,
                parameters,
            }
        },
    ))
}

/// ```abnf
/// mod-sequence-value = 1*DIGIT  ; Positive unsigned 63-bit integer
/// ```
pub(crate) fn mod_sequence_value(input: &[u8]) -> PResult<'_, NonZeroU64> {
    let (rest, n) = nz_number64(input)
        .map_err(|_| nom::Err::Error(super::ParseError::new(input, "mod-sequence-value")))?;
    match NonZeroU64::new(n) {
        Some(n) => Ok((rest, n)),
        None => fail(input, "mod-sequence-value"),
    }
}

/// ```abnf
/// mod-sequence-valzer = "0" / mod-sequence-value
/// ```
pub(crate) fn mod_sequence_valzer(input: &[u8]) -> PResult<'_, u64> {
    number64(input)
        .map_err(|_| nom::Err::Error(super::ParseError::new(input, "mod-sequence-valzer")))
}

/// ```abnf
/// select-param   = "CONDSTORE" /
///                  "QRESYNC" SP "(" uidvalidity SP mod-sequence-value
///                  [SP known-uids] [SP seq-match-data] ")"
/// known-uids     = sequence-set
/// seq-match-data = "(" known-sequence-set SP known-uid-set ")"
/// ```
pub(crate) fn select_param<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, SelectParameter<'a>> {
    if let Ok((rest, ())) = keyword(input, b"CONDSTORE", "select-param") {
        return Ok((rest, SelectParameter::CondStore));
    }
    if keyword(input, b"QRESYNC", "select-param").is_err() {
        let (rest, e) = super::extension::extension(input, config, false)
            .map_err(super::rename_at(input, "select-param"))?;
        return Ok((rest, SelectParameter::Other(e)));
    }
    let (input, ()) = keyword(input, b"QRESYNC", "select-param")?;
    let (input, ()) = sp(input)?;
    let (input, ()) = byte(input, b'(', "\"(\"")?;
    let (input, uid_validity) = nz_number(input)?;
    let (input, ()) = sp(input)?;
    let (input, mod_sequence) = mod_sequence_value(input)?;
    let (input, known_uids) = match input {
        [b' ', b'(', ..] => (input, None),
        [b' ', ..] => {
            let (rest, set) = sequence_set(input.get(1..).unwrap_or_default())?;
            (rest, Some(set))
        }
        _ => (input, None),
    };
    let (input, seq_match) = match input {
        [b' ', b'(', ..] => {
            let rest = input.get(2..).unwrap_or_default();
            let (rest, seqs) = sequence_set(rest)?;
            let (rest, ()) = sp(rest)?;
            let (rest, uids) = sequence_set(rest)?;
            let (rest, ()) = byte(rest, b')', "\")\"")?;
            (rest, Some((seqs, uids)))
        }
        _ => (input, None),
    };
    let (input, ()) = byte(input, b')', "\")\"")?;
    Ok((
        input,
        SelectParameter::QResync {
            uid_validity,
            mod_sequence,
            known_uids,
            seq_match,
        },
    ))
}

/// ```abnf
/// fetch-modifier = "CHANGEDSINCE" SP mod-sequence-value / "VANISHED" /
///                  fetch-modifier-name [SP fetch-modif-params]
/// ```
pub(crate) fn fetch_modifier<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, FetchModifier<'a>> {
    if let Ok((rest, ())) = keyword(input, b"VANISHED", "fetch-modifier") {
        return Ok((rest, FetchModifier::Vanished));
    }
    if keyword(input, b"CHANGEDSINCE", "fetch-modifier").is_err() {
        let (rest, e) = super::extension::extension(input, config, false)
            .map_err(super::rename_at(input, "fetch-modifier"))?;
        return Ok((rest, FetchModifier::Other(e)));
    }
    let (input, ()) = keyword(input, b"CHANGEDSINCE", "fetch-modifier")?;
    let (input, ()) = sp(input)?;
    let (input, n) = mod_sequence_value(input)?;
    Ok((input, FetchModifier::ChangedSince(n)))
}

/// ```abnf
/// store-modifier = "UNCHANGEDSINCE" SP mod-sequence-valzer /
///                  store-modifier-name [SP store-modif-params]
/// ```
pub(crate) fn store_modifier<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, StoreModifier<'a>> {
    if keyword(input, b"UNCHANGEDSINCE", "store-modifier").is_err() {
        let (rest, e) = super::extension::extension(input, config, false)
            .map_err(super::rename_at(input, "store-modifier"))?;
        return Ok((rest, StoreModifier::Other(e)));
    }
    let (input, ()) = keyword(input, b"UNCHANGEDSINCE", "store-modifier")?;
    let (input, ()) = sp(input)?;
    let (input, n) = mod_sequence_valzer(input)?;
    Ok((input, StoreModifier::UnchangedSince(n)))
}
