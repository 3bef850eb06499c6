//! LIST and LSUB ([RFC 9051 §6.3.9], LIST-EXTENDED [RFC 5258 §6],
//! LIST-STATUS [RFC 5819 §6], SPECIAL-USE [RFC 6154 §6]).
//!
//! [RFC 9051 §6.3.9]: https://www.rfc-editor.org/rfc/rfc9051#section-6.3.9
//! [RFC 5258 §6]: https://www.rfc-editor.org/rfc/rfc5258#section-6
//! [RFC 5819 §6]: https://www.rfc-editor.org/rfc/rfc5819#section-6
//! [RFC 6154 §6]: https://www.rfc-editor.org/rfc/rfc6154#section-6

use super::command::{name_token, status_att, upper_name};
use super::mailbox::{list_mailbox, mailbox};
use super::{PResult, keyword, paren_list, sp};
use crate::limits::ParserConfig;
use crate::types::command::CommandBody;
use crate::types::list::{ListPatterns, ListReturnOption, ListSelectOption};
use crate::types::vec1::Vec1;

/// ```abnf
/// list        = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat
///               [SP list-return-opts]
/// mbox-or-pat = list-mailbox / patterns
/// patterns    = "(" list-mailbox *(SP list-mailbox) ")"
/// list-return-opts = "RETURN" SP "(" [return-option *(SP return-option)] ")"
/// ```
pub(crate) fn list<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, selection) = if input.first() == Some(&b'(') {
        let (rest, opts) = paren_list(input, false, |i| list_select_opt(i, config))?;
        let (rest, ()) = sp(rest)?;
        (rest, Some(opts))
    } else {
        (input, None)
    };
    let (input, reference) = mailbox(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, patterns) = if input.first() == Some(&b'(') {
        let (rest, p) = paren_list(input, true, |i| list_mailbox(i, config))?;
        (rest, ListPatterns::Multiple(Vec1::unchecked(p)))
    } else {
        let (rest, p) = list_mailbox(input, config)?;
        (rest, ListPatterns::Single(p))
    };
    let (input, return_options) = match input {
        [b' ', ..] if super::starts_with_ci(input.get(1..).unwrap_or_default(), b"RETURN") => {
            let rest = input.get(1..).unwrap_or_default();
            let (rest, ()) = keyword(rest, b"RETURN", "list-return-opts")?;
            let (rest, ()) = sp(rest)?;
            let (rest, opts) = paren_list(rest, false, |i| return_option(i, config))?;
            (rest, Some(opts))
        }
        _ => (input, None),
    };
    Ok((
        input,
        CommandBody::List {
            selection,
            reference,
            patterns,
            return_options,
        },
    ))
}

/// ```abnf
/// lsub = "LSUB" SP mailbox SP list-mailbox
/// ```
pub(crate) fn lsub<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, reference) = mailbox(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, pattern) = list_mailbox(input, config)?;
    Ok((input, CommandBody::Lsub { reference, pattern }))
}

/// ```abnf
/// list-select-opt = "SUBSCRIBED" / "REMOTE" / "RECURSIVEMATCH" /
///                   "SPECIAL-USE" / option-extension
/// ```
pub(crate) fn list_select_opt<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, ListSelectOption<'a>> {
    let (name, rest) = name_token(input);
    let mut buf = [0u8; 20];
    match upper_name(name, &mut buf) {
        b"SUBSCRIBED" => Ok((rest, ListSelectOption::Subscribed)),
        b"REMOTE" => Ok((rest, ListSelectOption::Remote)),
        b"RECURSIVEMATCH" => Ok((rest, ListSelectOption::RecursiveMatch)),
        b"SPECIAL-USE" => Ok((rest, ListSelectOption::SpecialUse)),
        _ => {
            let (rest, e) = super::extension::extension(input, config, true)
                .map_err(super::rename_at(input, "list-select-opt"))?;
            Ok((rest, ListSelectOption::Other(e)))
        }
    }
}

/// ```abnf
/// return-option = "SUBSCRIBED" / "CHILDREN" / status-option /
///                 "SPECIAL-USE" / option-extension
/// status-option = "STATUS" SP "(" status-att *(SP status-att) ")"
/// ```
pub(crate) fn return_option<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, ListReturnOption<'a>> {
    let (name, rest) = name_token(input);
    let mut buf = [0u8; 20];
    match upper_name(name, &mut buf) {
        b"SUBSCRIBED" => Ok((rest, ListReturnOption::Subscribed)),
        b"CHILDREN" => Ok((rest, ListReturnOption::Children)),
        b"SPECIAL-USE" => Ok((rest, ListReturnOption::SpecialUse)),
        b"STATUS" => {
            let (rest, ()) = sp(rest)?;
            let (rest, items) = paren_list(rest, true, status_att)?;
            Ok((rest, ListReturnOption::Status(Vec1::unchecked(items))))
        }
        _ => {
            let (rest, e) = super::extension::extension(input, config, true)
                .map_err(super::rename_at(input, "return-option"))?;
            Ok((rest, ListReturnOption::Other(e)))
        }
    }
}
