//! Modified UTF-7 for mailbox names ([RFC 3501 §5.1.3]).
//!
//! IMAP4rev1 sends international mailbox names in a variant of UTF-7:
//! printable ASCII stands for itself except `&`, written `&-`; any other
//! run of characters is `&`, their UTF-16 in modified base64 (`,` instead
//! of `/`, no padding), then `-`. IMAP4rev2 and `UTF8=ACCEPT` use UTF-8
//! instead ([RFC 9051 §5.1], [RFC 6855 §3]).
//!
//! [RFC 3501 §5.1.3]: https://www.rfc-editor.org/rfc/rfc3501#section-5.1.3
//! [RFC 9051 §5.1]: https://www.rfc-editor.org/rfc/rfc9051#section-5.1
//! [RFC 6855 §3]: https://www.rfc-editor.org/rfc/rfc6855#section-3
//!
//! ```
//! use mailwire_imap::utf7::{decode, encode};
//!
//! assert_eq!(encode("~peter/mail/台北/日本語"), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
//! assert_eq!(decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-").unwrap(), "~peter/mail/台北/日本語");
//! assert_eq!(encode("Tom & Jerry"), "Tom &- Jerry");
//! assert!(decode("&Jjo!").is_err());
//! ```

use std::borrow::Cow;

use crate::error::ValueError;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

fn sextet(b: u8) -> Option<u32> {
    Some(u32::from(match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' => 62,
        b',' => 63,
        _ => return None,
    }))
}

fn is_direct(c: char) -> bool {
    ('\u{20}'..='\u{7e}').contains(&c)
}

/// Encodes a mailbox name in modified UTF-7; borrows when nothing changes.
pub fn encode(name: &str) -> Cow<'_, str> {
    if name.chars().all(|c| is_direct(c) && c != '&') {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len().saturating_mul(2));
    let mut pending: Vec<u16> = Vec::new();
    for c in name.chars() {
        if is_direct(c) {
            flush(&mut out, &mut pending);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            let mut units = [0u16; 2];
            pending.extend_from_slice(c.encode_utf16(&mut units));
        }
    }
    flush(&mut out, &mut pending);
    Cow::Owned(out)
}

fn push_sextet(out: &mut String, value: u32) {
    if let Some(c) = ALPHABET.get((value & 63) as usize) {
        out.push(char::from(*c));
    }
}

fn flush(out: &mut String, pending: &mut Vec<u16>) {
    if pending.is_empty() {
        return;
    }
    out.push('&');
    let mut bits: u32 = 0;
    let mut nbits = 0u32;
    for unit in pending.drain(..) {
        bits = (bits << 16) | u32::from(unit);
        nbits += 16;
        while nbits >= 6 {
            nbits -= 6;
            push_sextet(out, bits >> nbits);
        }
        bits &= (1 << nbits) - 1;
    }
    if nbits > 0 {
        push_sextet(out, bits << (6 - nbits));
    }
    out.push('-');
}

/// Decodes a modified UTF-7 mailbox name; borrows when nothing changes.
///
/// Strict: a byte outside printable ASCII, an empty or badly padded base64
/// run, a run that encodes printable ASCII, or broken UTF-16 is an error.
pub fn decode(name: &str) -> Result<Cow<'_, str>, ValueError> {
    let bytes = name.as_bytes();
    if let Some(i) = bytes.iter().position(|b| !(0x20..=0x7e).contains(b)) {
        return Err(ValueError::at("modified UTF-7", bytes, i));
    }
    if !bytes.contains(&b'&') {
        return Ok(Cow::Borrowed(name));
    }
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        if b != b'&' {
            out.push(char::from(b));
            i += 1;
            continue;
        }
        let start = i + 1;
        let Some(len) = bytes
            .get(start..)
            .and_then(|r| r.iter().position(|b| *b == b'-'))
        else {
            return Err(ValueError::at("\"-\"", bytes, bytes.len()));
        };
        let run = bytes.get(start..start + len).unwrap_or_default();
        i = start + len + 1;
        if run.is_empty() {
            out.push('&');
            continue;
        }
        let mut units = Vec::with_capacity(run.len());
        let mut bits: u32 = 0;
        let mut nbits = 0u32;
        for (k, b) in run.iter().enumerate() {
            let Some(v) = sextet(*b) else {
                return Err(ValueError::at("modified BASE64", bytes, start + k));
            };
            bits = (bits << 6) | v;
            nbits += 6;
            if nbits >= 16 {
                nbits -= 16;
                units.push(((bits >> nbits) & 0xffff) as u16);
                bits &= (1 << nbits) - 1;
            }
        }
        if nbits >= 6 || bits != 0 || units.is_empty() {
            return Err(ValueError::at("modified BASE64", bytes, start + len));
        }
        for c in char::decode_utf16(units.iter().copied()) {
            match c {
                Ok(c) if !is_direct(c) => out.push(c),
                _ => return Err(ValueError::at("modified BASE64", bytes, start)),
            }
        }
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn round_trips() {
        for s in ["INBOX", "&", "a&b", "Entwürfe", "日本語", "😀 x", "€&€", ""] {
            assert_eq!(decode(&encode(s)).unwrap(), s, "{s}");
        }
        assert_eq!(encode("Entwürfe"), "Entw&APw-rfe");
    }

    #[test]
    fn rejects() {
        assert!(decode("&AGE-").is_err()); // encodes "a"
        assert!(decode("&APw").is_err()); // unterminated
        assert!(decode("&APx-").is_err()); // nonzero padding bits
        assert!(decode("ü").is_err());
        assert!(decode("&2D0-").is_err()); // lone surrogate
    }
}
