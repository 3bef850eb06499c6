//! FETCH and STORE ([RFC 9051 §6.4.5, §6.4.6]) with BINARY ([RFC 3516
//! §4]), CONDSTORE/QRESYNC modifiers ([RFC 7162 §7]) and OBJECTID items.
//!
//! [RFC 9051 §6.4.5, §6.4.6]: https://www.rfc-editor.org/rfc/rfc9051#section-6.4.5
//! [RFC 3516 §4]: https://www.rfc-editor.org/rfc/rfc3516#section-4
//! [RFC 7162 §7]: https://www.rfc-editor.org/rfc/rfc7162#section-7

use super::condstore::{fetch_modifier, store_modifier};
use super::core::atom;
use super::flag::{flag, flag_list};
use super::section::{partial, section, section_binary};
use super::sequence::sequence_set;
use super::{PResult, fail, paren_list, sp, sp_list1, starts_with_ci};
use crate::limits::ParserConfig;
use crate::types::command::{CommandBody, StoreKind};
use crate::types::core::{NAME_CHAR, span};
use crate::types::fetch::{FetchAttribute, FetchItems};
use crate::types::vec1::Vec1;

/// ```abnf
/// fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" /
///         fetch-att / "(" fetch-att *(SP fetch-att) ")") [fetch-modifiers]
/// fetch-modifiers = SP "(" fetch-modifier *(SP fetch-modifier) ")"
/// ```
pub(crate) fn fetch<'a>(
    input: &'a [u8],
    config: &ParserConfig,
    uid: bool,
) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, set) = sequence_set(input)?;
    let (input, ()) = sp(input)?;
    let (input, items) = fetch_items(input, config)?;
    let (input, modifiers) = match input {
        [b' ', b'(', ..] => paren_list(input.get(1..).unwrap_or_default(), true, |i| {
            fetch_modifier(i, config)
        })?,
        _ => (input, Vec::new()),
    };
    Ok((
        input,
        CommandBody::Fetch {
            set,
            items,
            modifiers,
            uid,
        },
    ))
}

/// The item list of FETCH.
fn fetch_items<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, FetchItems<'a>> {
    if input.first() == Some(&b'(') {
        let (rest, list) = paren_list(input, true, |i| fetch_att(i, config))?;
        return Ok((rest, FetchItems::List(Vec1::unchecked(list))));
    }
    let (name, rest) = att_name(input);
    let mut buf = [0u8; 20];
    match super::command::upper_name(name, &mut buf) {
        b"ALL" => Ok((rest, FetchItems::All)),
        b"FAST" => Ok((rest, FetchItems::Fast)),
        b"FULL" => Ok((rest, FetchItems::Full)),
        _ => fetch_att(input, config).map(|(r, a)| (r, FetchItems::Single(a))),
    }
}

/// Splits off a fetch item name: letters, digits, `.` and `-`.
#[inline]
fn att_name(input: &[u8]) -> (&[u8], &[u8]) {
    input.split_at(span(input, NAME_CHAR))
}

/// ```abnf
/// fetch-att = "ENVELOPE" / "FLAGS" / "INTERNALDATE" /
///             "RFC822.SIZE" / "BODY" ["STRUCTURE"] / "UID" /
///             "BODY" section [partial] / "BODY.PEEK" section [partial] /
///             "BINARY" [".PEEK"] section-binary [partial] /
///             "BINARY.SIZE" section-binary /
///             "RFC822" / "RFC822.HEADER" / "RFC822.TEXT" /   ; IMAP4rev1
///             "MODSEQ" / "EMAILID" / "THREADID" / "SAVEDATE"
/// ```
pub(crate) fn fetch_att<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, FetchAttribute<'a>> {
    use FetchAttribute as A;
    let (name, rest) = att_name(input);
    let mut buf = [0u8; 20];
    let simple = |a| Ok((rest, a));
    match super::command::upper_name(name, &mut buf) {
        b"FLAGS" => simple(A::Flags),
        b"UID" => simple(A::Uid),
        b"ENVELOPE" => simple(A::Envelope),
        b"INTERNALDATE" => simple(A::InternalDate),
        b"RFC822.SIZE" => simple(A::Rfc822Size),
        b"BODYSTRUCTURE" => simple(A::BodyStructure),
        b"RFC822" => simple(A::Rfc822),
        b"RFC822.HEADER" => simple(A::Rfc822Header),
        b"RFC822.TEXT" => simple(A::Rfc822Text),
        b"MODSEQ" => simple(A::ModSeq),
        b"EMAILID" => simple(A::EmailId),
        b"THREADID" => simple(A::ThreadId),
        b"SAVEDATE" => simple(A::SaveDate),
        b"BODY" if rest.first() != Some(&b'[') => simple(A::Body),
        b"BODY" | b"BODY.PEEK" => {
            let peek = name.len() > 4;
            let (rest, section) = section(rest, config)?;
            let (rest, partial) = opt_partial(rest)?;
            Ok((
                rest,
                A::BodySection {
                    peek,
                    section,
                    partial,
                },
            ))
        }
        b"BINARY" | b"BINARY.PEEK" => {
            let peek = name.len() > 6;
            let (rest, part) = section_binary(rest)?;
            let (rest, partial) = opt_partial(rest)?;
            Ok((
                rest,
                A::Binary {
                    peek,
                    part,
                    partial,
                },
            ))
        }
        b"BINARY.SIZE" => {
            let (rest, part) = section_binary(rest)?;
            Ok((rest, A::BinarySize { part }))
        }
        _ if config.lenient => {
            let (rest, a) = atom(input).map_err(super::rename_at(input, "fetch-att"))?;
            Ok((rest, A::Other(a)))
        }
        _ => fail(input, "fetch-att"),
    }
}

fn opt_partial(input: &[u8]) -> PResult<'_, Option<crate::types::section::Partial>> {
    if input.first() == Some(&b'<') {
        partial(input).map(|(r, p)| (r, Some(p)))
    } else {
        Ok((input, None))
    }
}

/// ```abnf
/// store           = "STORE" SP sequence-set [store-modifiers] SP store-att-flags
/// store-modifiers = SP "(" store-modifier *(SP store-modifier) ")"
/// store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP
///                   (flag-list / (flag *(SP flag)))
/// ```
pub(crate) fn store<'a>(
    input: &'a [u8],
    config: &ParserConfig,
    uid: bool,
) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, set) = sequence_set(input)?;
    let (input, modifiers) = match input {
        [b' ', b'(', ..] => paren_list(input.get(1..).unwrap_or_default(), true, |i| {
            store_modifier(i, config)
        })?,
        _ => (input, Vec::new()),
    };
    let (input, ()) = sp(input)?;
    let (input, kind) = match input.first() {
        Some(b'+') => (input.get(1..).unwrap_or_default(), StoreKind::Add),
        Some(b'-') => (input.get(1..).unwrap_or_default(), StoreKind::Remove),
        _ => (input, StoreKind::Replace),
    };
    if !starts_with_ci(input, b"FLAGS") {
        return fail(input, "store-att-flags");
    }
    let input = input.get(5..).unwrap_or_default();
    let (input, silent) = if starts_with_ci(input, b".SILENT") {
        (input.get(7..).unwrap_or_default(), true)
    } else {
        (input, false)
    };
    let (input, ()) = sp(input)?;
    let (input, flags) = if input.first() == Some(&b'(') {
        flag_list(input, config)?
    } else {
        sp_list1(input, |i| flag(i, config))?
    };
    Ok((
        input,
        CommandBody::Store {
            set,
            kind,
            silent,
            flags,
            modifiers,
            uid,
        },
    ))
}
