//! Parsers of mailbox names ([RFC 9051 §9]).
//!
//! [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9

use super::PResult;
use super::core::{astring, string, take_class};
use crate::limits::ParserConfig;
use crate::types::core::{LIST_CHAR, ListChars};
use crate::types::mailbox::{ListMailbox, Mailbox};

/// ```abnf
/// mailbox = "INBOX" / astring
/// ```
#[inline]
pub(crate) fn mailbox<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Mailbox<'a>> {
    let (rest, name) = astring(input, config).map_err(super::rename_at(input, "mailbox"))?;
    Ok((rest, Mailbox::from_astring(name)))
}

/// ```abnf
/// list-mailbox = 1*list-char / string
/// ```
pub(crate) fn list_mailbox<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, ListMailbox<'a>> {
    match input.first() {
        Some(b'"' | b'{') => string(input, config).map(|(r, s)| (r, ListMailbox::String(s))),
        _ => {
            let (rest, s) = take_class(input, LIST_CHAR, "list-mailbox")?;
            Ok((rest, ListMailbox::Token(ListChars::unchecked(s))))
        }
    }
}
