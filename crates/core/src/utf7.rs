//! Modified UTF-7 for mailbox names ([RFC 3501 §5.1.3]).
//!
//! IMAP4rev1 sends international mailbox names in a variant of UTF-7, and
//! Dovecot names Maildir++ folder directories the same way: printable ASCII
//! stands for itself except `&`, written `&-`; any other run of characters
//! is `&`, their UTF-16 in modified base64 (`,` instead of `/`, no padding),
//! then `-`. IMAP4rev2 and `UTF8=ACCEPT` use UTF-8 instead ([RFC 9051 §5.1],
//! [RFC 6855 §3]).
//!
//! [`decode`] accepts only the canonical form that [`encode`] writes, so that
//! one name has one spelling: a shifted run must not hold printable ASCII,
//! must end with `-`, must have zero padding bits and whole UTF-16, and two
//! shifted runs never stand next to each other.
//!
//! [RFC 3501 §5.1.3]: https://www.rfc-editor.org/rfc/rfc3501#section-5.1.3
//! [RFC 9051 §5.1]: https://www.rfc-editor.org/rfc/rfc9051#section-5.1
//! [RFC 6855 §3]: https://www.rfc-editor.org/rfc/rfc6855#section-3
//!
//! ```
//! use mailwire_core::utf7::{decode, encode};
//!
//! assert_eq!(encode("~peter/mail/台北/日本語"), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
//! assert_eq!(decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-").unwrap(), "~peter/mail/台北/日本語");
//! assert_eq!(encode("Tom & Jerry"), "Tom &- Jerry");
//! let error = decode("&Jjo!").unwrap_err();
//! assert_eq!((error.offset, error.expected), (4, "\"-\""));
//! ```

use std::borrow::Cow;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/// A name that is not canonical modified UTF-7: where and what was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid modified UTF-7 at offset {offset}: expected {expected}")]
pub struct Utf7Error {
    /// Byte offset in the encoded name.
    pub offset: usize,
    /// What the grammar expected there.
    pub expected: &'static str,
}

fn error(offset: usize, expected: &'static str) -> Utf7Error {
    Utf7Error { offset, expected }
}

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
/// Strict: a byte outside printable ASCII, an unterminated or badly padded
/// base64 run, a run that encodes printable ASCII, broken UTF-16 or two runs
/// next to each other is an error.
pub fn decode(name: &str) -> Result<Cow<'_, str>, Utf7Error> {
    let bytes = name.as_bytes();
    if let Some(i) = bytes.iter().position(|b| !(0x20..=0x7e).contains(b)) {
        return Err(error(i, "printable ASCII"));
    }
    if !bytes.contains(&b'&') {
        return Ok(Cow::Borrowed(name));
    }
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0usize;
    let mut last_run_end = None;
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
            let bad = bytes
                .get(start..)
                .and_then(|r| r.iter().position(|b| sextet(*b).is_none()))
                .map_or(bytes.len(), |k| start + k);
            return Err(error(bad, "\"-\""));
        };
        let run = bytes.get(start..start + len).unwrap_or_default();
        if run.is_empty() {
            out.push('&');
            i = start + 1;
            continue;
        }
        if last_run_end == Some(i) {
            return Err(error(
                i,
                "a character that is not \"&\" after a shifted run",
            ));
        }
        let mut units = Vec::with_capacity(run.len());
        let mut bits: u32 = 0;
        let mut nbits = 0u32;
        for (k, b) in run.iter().enumerate() {
            let Some(v) = sextet(*b) else {
                return Err(error(start + k, "modified BASE64"));
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
            return Err(error(start + len, "modified BASE64"));
        }
        for c in char::decode_utf16(units.iter().copied()) {
            match c {
                Ok(c) if !is_direct(c) => out.push(c),
                _ => return Err(error(start, "modified BASE64 of non-ASCII UTF-16")),
            }
        }
        i = start + len + 1;
        last_run_end = Some(i);
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
        assert_eq!(encode("Gelöschte Elemente"), "Gel&APY-schte Elemente");
        assert_eq!(encode("😀"), "&2D3eAA-");
    }

    #[test]
    fn rejects_with_offsets() {
        let at = |s: &str| decode(s).unwrap_err().offset;
        assert_eq!(at("&AGE-"), 1); // encodes "a"
        assert_eq!(at("&APw"), 4); // unterminated
        assert_eq!(at("&APx-"), 4); // nonzero padding bits
        assert_eq!(at("ü"), 0); // 8-bit
        assert_eq!(at("&2D0-"), 1); // lone surrogate
        assert_eq!(at("&U,A-&U,A-"), 5); // adjacent shifted runs
        assert_eq!(at("&Jjo!-"), 4); // bad base64
    }

    proptest::proptest! {
        #[test]
        fn round_trip(s in "\\PC{0,20}") {
            let e = encode(&s);
            proptest::prop_assert!(e.is_ascii());
            let d = decode(&e).unwrap().into_owned();
            proptest::prop_assert_eq!(d, s);
        }
    }
}
