//! Parsers of message data ([RFC 9051 §7.5]): EXISTS, RECENT, EXPUNGE,
//! FETCH and VANISHED ([RFC 7162 §3.2.10]), and the FETCH data items.
//!
//! [RFC 9051 §7.5]: https://www.rfc-editor.org/rfc/rfc9051#section-7.5
//! [RFC 7162 §3.2.10]: https://www.rfc-editor.org/rfc/rfc7162#section-3.2.10

use std::borrow::Cow;

use super::body_structure::body;
use super::condstore::mod_sequence_value;
use super::core::{literal8, nil, number, number64, nz_number};
use super::datetime::date_time;
use super::envelope::envelope;
use super::flag::flag_fetch;
use super::mailbox_data::paren_objectid;
use super::response::fast_nstring;
use super::response::{name, sp_paren};
use super::section::{section, section_binary};
use super::sequence::sequence_set;
use super::{PResult, byte, check_depth, fail, keyword, sp};
use crate::limits::ParserConfig;
use crate::types::core::{ATOM_CHAR, span};
use crate::types::fetch_response::{BinaryData, MessageAttribute};
use crate::types::response::Untagged;
use crate::types::vec1::Vec1;

/// ```abnf
/// message-data = nz-number SP ("EXPUNGE" / ("FETCH" SP msg-att))
/// mailbox-data =/ number SP "EXISTS" / number SP "RECENT"
/// ```
pub(crate) fn numbered<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, Untagged<'a>> {
    let (rest, n) = number(input)?;
    let (rest, ()) = sp(rest)?;
    let (word, after) = name(rest);
    let mut buf = [0u8; 20];
    match super::command::upper_name(word, &mut buf) {
        b"EXISTS" => Ok((after, Untagged::Exists(n))),
        b"RECENT" => Ok((after, Untagged::Recent(n))),
        b"EXPUNGE" => {
            let (_, seq) = nz_number(input)?;
            Ok((after, Untagged::Expunge(seq)))
        }
        b"FETCH" => {
            let (_, seq) = nz_number(input)?;
            let (after, ()) = sp_paren(after, config)?;
            let (after, items) = msg_att(after, config)?;
            Ok((after, Untagged::Fetch { seq, items }))
        }
        _ => fail(rest, "message-data"),
    }
}

/// ```abnf
/// expunged-resp = "VANISHED" [SP "(EARLIER)"] SP known-uids
/// ```
pub(crate) fn vanished(input: &[u8]) -> PResult<'_, Untagged<'_>> {
    let (input, ()) = sp(input)?;
    let (input, earlier) = match keyword(input, b"(EARLIER)", "known-uids") {
        Ok((rest, ())) => (sp(rest)?.0, true),
        Err(_) => (input, false),
    };
    let (input, uids) = sequence_set(input)?;
    Ok((input, Untagged::Vanished { earlier, uids }))
}

/// ```abnf
/// msg-att = "(" (msg-att-dynamic / msg-att-static)
///           *(SP (msg-att-dynamic / msg-att-static)) ")"
/// ```
///
/// In lenient mode an item that does not parse ends the list as
/// [`MessageAttribute::Unparsed`] holding the rest of the list.
pub(crate) fn msg_att<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, Vec1<MessageAttribute<'a>>> {
    let (mut input, ()) = byte(input, b'(', "msg-att")?;
    let mut items = Vec::with_capacity(4);
    // Where the last good item ended: an unparsed rest starts there, with
    // its separator, so that it encodes back to the same bytes.
    let mut after_item = input;
    loop {
        match msg_att_item(input, config) {
            Ok((rest, item)) => {
                items.push(item);
                input = rest;
                after_item = rest;
            }
            Err(nom::Err::Error(_)) if config.lenient => {
                return unparsed_rest(after_item, items);
            }
            Err(e) => return Err(e),
        }
        match input.first() {
            Some(b' ') => {
                input = input.get(1..).unwrap_or_default();
                if config.lenient && input.first() == Some(&b')') {
                    return Ok((input.get(1..).unwrap_or_default(), Vec1::unchecked(items)));
                }
            }
            Some(b')') => return Ok((input.get(1..).unwrap_or_default(), Vec1::unchecked(items))),
            _ if config.lenient => return unparsed_rest(after_item, items),
            _ => return fail(input, "\")\""),
        }
    }
}

/// Keeps everything up to the CRLF that ends the message, the closing `)`
/// included, as one unparsed item.
fn unparsed_rest<'a>(
    input: &'a [u8],
    mut items: Vec<MessageAttribute<'a>>,
) -> PResult<'a, Vec1<MessageAttribute<'a>>> {
    let raw = input.strip_suffix(b"\r\n").unwrap_or(input);
    items.push(MessageAttribute::Unparsed(Cow::Borrowed(raw)));
    let rest = input.get(raw.len()..).unwrap_or_default();
    Ok((rest, Vec1::unchecked(items)))
}

fn item_name(input: &[u8]) -> (&[u8], &[u8]) {
    let n = input
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'.' || *b == b'-'))
        .unwrap_or(input.len());
    input.split_at(n)
}

/// One FETCH data item.
fn msg_att_item<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, MessageAttribute<'a>> {
    let (n, rest) = item_name(input);
    let mut buf = [0u8; 20];
    let upper = super::command::upper_name(n, &mut buf);
    match upper {
        b"FLAGS" => {
            let (r, ()) = sp_paren(rest, config)?;
            let (r, flags) = super::paren_list(r, false, |i| flag_fetch(i, config))?;
            Ok((r, MessageAttribute::Flags(flags)))
        }
        b"UID" => {
            let (r, ()) = sp(rest)?;
            let (r, uid) = nz_number(r)?;
            Ok((r, MessageAttribute::Uid(uid)))
        }
        b"RFC822.SIZE" => {
            let (r, ()) = sp(rest)?;
            let (r, size) = number64(r)?;
            Ok((r, MessageAttribute::Rfc822Size(size)))
        }
        b"INTERNALDATE" => {
            let (r, ()) = sp(rest)?;
            let (r, date) = date_time(r)?;
            Ok((r, MessageAttribute::InternalDate(date)))
        }
        b"ENVELOPE" => {
            let (r, ()) = sp_paren(rest, config)?;
            let (r, env) = envelope(r, config)?;
            Ok((r, MessageAttribute::Envelope(Box::new(env))))
        }
        b"BODYSTRUCTURE" => {
            let (r, ()) = sp_paren(rest, config)?;
            let (r, b) = body(r, config, 1)?;
            Ok((r, MessageAttribute::BodyStructure(Box::new(b))))
        }
        b"BODY" if rest.first() == Some(&b'[') => {
            let (r, section) = section(rest, config)?;
            let (r, origin) = match r.first() {
                Some(b'<') => {
                    let (r, n) = number(r.get(1..).unwrap_or_default())?;
                    let (r, ()) = byte(r, b'>', "\">\"")?;
                    (r, Some(n))
                }
                _ => (r, None),
            };
            let (r, ()) = sp(r)?;
            let (r, data) = fast_nstring(r, config)?;
            Ok((
                r,
                MessageAttribute::BodySection {
                    section,
                    origin,
                    data,
                },
            ))
        }
        b"BODY" => {
            let (r, ()) = sp_paren(rest, config)?;
            let (r, b) = body(r, config, 1)?;
            Ok((r, MessageAttribute::Body(Box::new(b))))
        }
        b"BINARY" => {
            let (r, section) = section_binary(rest)?;
            let (r, ()) = sp(r)?;
            let (r, data) = if r.first() == Some(&b'~') {
                let (r, l) = literal8(r)?;
                (r, BinaryData::Literal8(l))
            } else {
                let (r, s) = fast_nstring(r, config)?;
                (r, BinaryData::NString(s))
            };
            Ok((r, MessageAttribute::Binary { section, data }))
        }
        b"BINARY.SIZE" => {
            let (r, section) = section_binary(rest)?;
            let (r, ()) = sp(r)?;
            let (r, size) = number(r)?;
            Ok((r, MessageAttribute::BinarySize { section, size }))
        }
        b"RFC822" | b"RFC822.HEADER" | b"RFC822.TEXT" => {
            let (r, ()) = sp(rest)?;
            let (r, data) = fast_nstring(r, config)?;
            Ok((
                r,
                match upper {
                    b"RFC822" => MessageAttribute::Rfc822(data),
                    b"RFC822.HEADER" => MessageAttribute::Rfc822Header(data),
                    _ => MessageAttribute::Rfc822Text(data),
                },
            ))
        }
        b"MODSEQ" => {
            let (r, ()) = sp_paren(rest, config)?;
            let (r, ()) = byte(r, b'(', "\"(\"")?;
            let (r, n) = mod_sequence_value(r)?;
            let (r, ()) = byte(r, b')', "\")\"")?;
            Ok((r, MessageAttribute::ModSeq(n)))
        }
        b"EMAILID" => {
            let (r, ()) = sp_paren(rest, config)?;
            let (r, id) = paren_objectid(r)?;
            Ok((r, MessageAttribute::EmailId(id)))
        }
        b"THREADID" => {
            let (r, ()) = sp(rest)?;
            if let Ok((r, ())) = nil(r) {
                return Ok((r, MessageAttribute::ThreadId(None)));
            }
            let (r, id) = paren_objectid(r)?;
            Ok((r, MessageAttribute::ThreadId(Some(id))))
        }
        b"SAVEDATE" => {
            let (r, ()) = sp(rest)?;
            if let Ok((r, ())) = nil(r) {
                return Ok((r, MessageAttribute::SaveDate(None)));
            }
            let (r, d) = date_time(r)?;
            Ok((r, MessageAttribute::SaveDate(Some(d))))
        }
        _ => other_item(input, config),
    }
}

/// An unknown item: `name [section] SP value`, the value kept raw.
fn other_item<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, MessageAttribute<'a>> {
    let mut n = span(input, ATOM_CHAR);
    if n == 0 {
        return fail(input, "msg-att");
    }
    if input.get(n) == Some(&b']') {
        return fail(input, "msg-att");
    }
    if let Some(open) = input.get(..n).and_then(|h| memchr::memchr(b'[', h)) {
        let _ = open;
        match input.get(n..).and_then(|t| memchr::memchr(b']', t)) {
            Some(close) => n = n.saturating_add(close).saturating_add(1),
            None => return fail(input, "msg-att"),
        }
    }
    let (head, rest) = input.split_at(n);
    let Ok(name) = std::str::from_utf8(head) else {
        return fail(input, "msg-att");
    };
    let (rest, ()) = sp(rest)?;
    let (after, ()) = generic_value(rest, config, 1)?;
    let value = rest
        .get(..rest.len().saturating_sub(after.len()))
        .unwrap_or_default();
    Ok((
        after,
        MessageAttribute::Other {
            name: Cow::Borrowed(name),
            value: Cow::Borrowed(value),
        },
    ))
}

/// Skips one value: a parenthesised list, a string, a literal8 or an
/// atom-like token.
pub(crate) fn generic_value<'a>(
    input: &'a [u8],
    config: &ParserConfig,
    depth: usize,
) -> PResult<'a, ()> {
    check_depth(input, config, depth)?;
    match input.first() {
        Some(b'(') => {
            let mut input = input.get(1..).unwrap_or_default();
            if let Some(rest) = input.strip_prefix(b")") {
                return Ok((rest, ()));
            }
            loop {
                let (rest, ()) = generic_value(input, config, depth.saturating_add(1))?;
                match rest.first() {
                    Some(b' ') => input = rest.get(1..).unwrap_or_default(),
                    Some(b')') => return Ok((rest.get(1..).unwrap_or_default(), ())),
                    _ => return fail(rest, "\")\""),
                }
            }
        }
        Some(b'"' | b'{') => super::core::string(input, config).map(|(r, _)| (r, ())),
        Some(b'~') => literal8(input).map(|(r, _)| (r, ())),
        _ => {
            let n = input
                .iter()
                .position(|b| matches!(b, b' ' | b'(' | b')' | b'\r' | b'\n' | b'"' | b'{'))
                .unwrap_or(input.len());
            if n == 0 {
                return fail(input, "value");
            }
            Ok((input.get(n..).unwrap_or_default(), ()))
        }
    }
}
