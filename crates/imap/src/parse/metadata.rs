//! METADATA commands ([RFC 5464 §5]).
//!
//! [RFC 5464 §5]: https://www.rfc-editor.org/rfc/rfc5464#section-5

use super::core::{astring, literal8, nstring, number};
use super::mailbox::mailbox;
use super::{PResult, fail, keyword, paren_list, sp};
use crate::limits::ParserConfig;
use crate::types::command::{CommandBody, Entries};
use crate::types::core::AString;
use crate::types::metadata::{MetadataDepth, MetadataOption, MetadataValue};
use crate::types::vec1::Vec1;

/// ```abnf
/// getmetadata = "GETMETADATA" [SP getmetadata-options] SP mailbox SP entries
/// getmetadata-options = "(" getmetadata-option *(SP getmetadata-option) ")"
/// entries     = entry / "(" entry *(SP entry) ")"
/// entry       = astring
/// ```
pub(crate) fn getmetadata<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, options) = if input.first() == Some(&b'(') {
        let (rest, options) = paren_list(input, true, getmetadata_option)?;
        let (rest, ()) = sp(rest)?;
        (rest, options)
    } else {
        (input, Vec::new())
    };
    let (input, mailbox) = mailbox(input, config)?;
    let (input, ()) = sp(input)?;
    // The examples of RFC 5464 §4.2.1 and §4.2.2 put the options after the
    // mailbox; servers accept both orders.
    let (input, options) = if options.is_empty()
        && input.first() == Some(&b'(')
        && (super::starts_with_ci(input.get(1..).unwrap_or_default(), b"MAXSIZE ")
            || super::starts_with_ci(input.get(1..).unwrap_or_default(), b"DEPTH "))
    {
        let (rest, options) = paren_list(input, true, getmetadata_option)?;
        let (rest, ()) = sp(rest)?;
        (rest, options)
    } else {
        (input, options)
    };
    let (input, entries) = if input.first() == Some(&b'(') {
        let (rest, list) = paren_list(input, true, |i| astring(i, config))?;
        (rest, Entries::List(Vec1::unchecked(list)))
    } else {
        let (rest, entry) = astring(input, config)?;
        if config.lenient && rest.first() == Some(&b' ') && rest.get(1) != Some(&b'\r') {
            // RFC 5464 §4.4's examples list several entries without
            // parentheses.
            let (rest, more) =
                super::sp_list1(rest.get(1..).unwrap_or_default(), |i| astring(i, config))?;
            let mut list = vec![entry];
            list.extend(more);
            (rest, Entries::List(Vec1::unchecked(list)))
        } else {
            (rest, Entries::Single(entry))
        }
    };
    Ok((
        input,
        CommandBody::GetMetadata {
            options,
            mailbox,
            entries,
        },
    ))
}

/// ```abnf
/// getmetadata-option = "MAXSIZE" SP number / "DEPTH" SP ("0" / "1" / "infinity")
/// ```
fn getmetadata_option(input: &[u8]) -> PResult<'_, MetadataOption> {
    if let Ok((rest, ())) = keyword(input, b"MAXSIZE", "getmetadata-option") {
        let (rest, ()) = sp(rest)?;
        let (rest, n) = number(rest)?;
        return Ok((rest, MetadataOption::MaxSize(n)));
    }
    let (input, ()) = keyword(input, b"DEPTH", "getmetadata-option")?;
    let (input, ()) = sp(input)?;
    match input.first() {
        Some(b'0') => Ok((
            input.get(1..).unwrap_or_default(),
            MetadataOption::Depth(MetadataDepth::Zero),
        )),
        Some(b'1') => Ok((
            input.get(1..).unwrap_or_default(),
            MetadataOption::Depth(MetadataDepth::One),
        )),
        _ => {
            let (rest, ()) = keyword(input, b"infinity", "depth")?;
            Ok((rest, MetadataOption::Depth(MetadataDepth::Infinity)))
        }
    }
}

/// ```abnf
/// setmetadata  = "SETMETADATA" SP mailbox SP entry-values
/// entry-values = "(" entry-value *(SP entry-value) ")"
/// entry-value  = entry SP value
/// value        = nstring / literal8
/// ```
pub(crate) fn setmetadata<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, mailbox) = mailbox(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, entries) = paren_list(input, true, |i| entry_value(i, config))?;
    Ok((
        input,
        CommandBody::SetMetadata {
            mailbox,
            entries: Vec1::unchecked(entries),
        },
    ))
}

fn entry_value<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, (AString<'a>, MetadataValue<'a>)> {
    let (input, entry) = astring(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, value) = match input.first() {
        Some(b'~') => {
            let (rest, l) = literal8(input)?;
            (rest, MetadataValue::Literal8(l))
        }
        Some(_) => {
            let (rest, s) = nstring(input, config)?;
            (rest, MetadataValue::NString(s))
        }
        None => return fail(input, "value"),
    };
    Ok((input, (entry, value)))
}
