//! Parser of ENVELOPE ([RFC 9051 §9]).
//!
//! [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9

use super::core::nil;
use super::response::fast_nstring;
use super::{PResult, byte, sp};
use crate::limits::ParserConfig;
use crate::types::envelope::{Address, Envelope};

/// ```abnf
/// envelope = "(" env-date SP env-subject SP env-from SP
///            env-sender SP env-reply-to SP env-to SP env-cc SP
///            env-bcc SP env-in-reply-to SP env-message-id ")"
/// ```
pub(crate) fn envelope<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Envelope<'a>> {
    let (input, ()) = byte(input, b'(', "envelope")?;
    let (input, date) = fast_nstring(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, subject) = fast_nstring(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, from) = address_list(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, sender) = address_list(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, reply_to) = address_list(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, to) = address_list(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, cc) = address_list(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, bcc) = address_list(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, in_reply_to) = fast_nstring(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, message_id) = fast_nstring(input, config)?;
    let (input, ()) = byte(input, b')', "\")\"")?;
    Ok((
        input,
        Envelope {
            date,
            subject,
            from,
            sender,
            reply_to,
            to,
            cc,
            bcc,
            in_reply_to,
            message_id,
        },
    ))
}

/// ```abnf
/// env-from = "(" 1*address ")" / nil
/// ```
///
/// Lenient mode accepts spaces between the addresses and `()`.
fn address_list<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Vec<Address<'a>>> {
    if let Ok((rest, ())) = nil(input) {
        return Ok((rest, Vec::new()));
    }
    let (mut input, ()) = byte(input, b'(', "address list")?;
    let mut out = Vec::new();
    loop {
        if config.lenient && input.first() == Some(&b' ') && !out.is_empty() {
            input = input.get(1..).unwrap_or_default();
        }
        if input.first() == Some(&b')') && (!out.is_empty() || config.lenient) {
            return Ok((input.get(1..).unwrap_or_default(), out));
        }
        let (rest, a) = address(input, config)?;
        out.push(a);
        input = rest;
    }
}

/// ```abnf
/// address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"
/// ```
fn address<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Address<'a>> {
    let (input, ()) = byte(input, b'(', "address")?;
    let (input, name) = fast_nstring(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, adl) = fast_nstring(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, mailbox) = fast_nstring(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, host) = fast_nstring(input, config)?;
    let (input, ()) = byte(input, b')', "\")\"")?;
    Ok((
        input,
        Address {
            name,
            adl,
            mailbox,
            host,
        },
    ))
}
