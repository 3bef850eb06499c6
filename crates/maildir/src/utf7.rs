//! Modified UTF-7 for mailbox names ([RFC 3501 §5.1.3]), the encoding
//! Dovecot uses for Maildir++ folder directory names.
//!
//! ```
//! use mailwire_maildir::utf7::{decode, encode};
//! assert_eq!(encode("Entwürfe"), "Entw&APw-rfe");
//! assert_eq!(decode("Entw&APw-rfe").as_deref(), Some("Entwürfe"));
//! assert_eq!(encode("Tom & Jerry"), "Tom &- Jerry");
//! ```
//!
//! [RFC 3501 §5.1.3]: https://www.rfc-editor.org/rfc/rfc3501#section-5.1.3

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

fn sextet(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some(u32::from(c - b'A')),
        b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
        b'+' => Some(62),
        b',' => Some(63),
        _ => None,
    }
}

fn push_sextet(out: &mut String, value: u32) {
    if let Some(&c) = ALPHABET.get((value & 63) as usize) {
        out.push(char::from(c));
    }
}

/// Encodes a UTF-8 mailbox name into modified UTF-7.
pub fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut units: Vec<u16> = Vec::new();
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut out, &mut units);
            out.push(c);
            if c == '&' {
                out.push('-');
            }
        } else {
            let mut buf = [0u16; 2];
            units.extend_from_slice(c.encode_utf16(&mut buf));
        }
    }
    flush(&mut out, &mut units);
    out
}

fn flush(out: &mut String, units: &mut Vec<u16>) {
    if units.is_empty() {
        return;
    }
    out.push('&');
    let mut bits: u32 = 0;
    let mut nbits = 0u32;
    for unit in units.drain(..) {
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

/// Decodes a modified UTF-7 mailbox name; `None` when it is not in the
/// canonical form RFC 3501 requires (a printable character shifted, bad
/// base64, non-zero padding bits, an unpaired surrogate, an unterminated
/// shift, or two shifted runs next to each other).
pub fn decode(name: &str) -> Option<String> {
    let bytes = name.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0usize;
    let mut last_shift_end: Option<usize> = None;
    while let Some(&b) = bytes.get(i) {
        if !(0x20..=0x7e).contains(&b) {
            return None;
        }
        if b != b'&' {
            out.push(char::from(b));
            i += 1;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'-') {
            out.push('&');
            i += 2;
            continue;
        }
        if last_shift_end == Some(i) {
            return None;
        }
        // A shifted run: base64 up to '-'.
        let start = i + 1;
        let mut j = start;
        let mut bits: u32 = 0;
        let mut nbits = 0u32;
        let mut units: Vec<u16> = Vec::new();
        loop {
            let c = *bytes.get(j)?;
            if c == b'-' {
                break;
            }
            bits = (bits << 6) | sextet(c)?;
            nbits += 6;
            if nbits >= 16 {
                nbits -= 16;
                units.push(((bits >> nbits) & 0xffff) as u16);
                bits &= (1 << nbits) - 1;
            }
            j += 1;
        }
        if units.is_empty() || nbits >= 6 || bits != 0 {
            return None;
        }
        for c in char::decode_utf16(units.iter().copied()) {
            let c = c.ok()?;
            if (' '..='~').contains(&c) {
                return None;
            }
            out.push(c);
        }
        i = j + 1;
        last_shift_end = Some(i);
    }
    Some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rfc3501_example() {
        // RFC 3501 §5.1.3: "~peter/mail/台北/日本語".
        let utf8 = "~peter/mail/\u{53f0}\u{5317}/\u{65e5}\u{672c}\u{8a9e}";
        assert_eq!(encode(utf8), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        assert_eq!(decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-").unwrap(), utf8);
    }

    #[test]
    fn dovecot_names() {
        assert_eq!(encode("Entwürfe"), "Entw&APw-rfe");
        assert_eq!(encode("Gelöschte Elemente"), "Gel&APY-schte Elemente");
        assert_eq!(encode("😀"), "&2D3eAA-");
        assert_eq!(decode("&2D3eAA-").unwrap(), "😀");
        assert_eq!(decode("&-").unwrap(), "&");
    }

    #[test]
    fn rejects_non_canonical() {
        assert_eq!(decode("&AGE-"), None); // 'a' shifted
        assert_eq!(decode("&U,BTFw"), None); // unterminated
        assert_eq!(decode("&U,BTF-"), None); // non-zero padding bits
        assert_eq!(decode("&2D0-"), None); // lone surrogate
        assert_eq!(decode("&U,A-&U,A-"), None); // adjacent shifts
        assert_eq!(decode("a\u{e9}"), None); // 8-bit
        assert_eq!(decode("&Jjo!-"), None); // bad base64
    }

    proptest::proptest! {
        #[test]
        fn round_trip(s in "\\PC{0,20}") {
            let e = encode(&s);
            proptest::prop_assert!(e.is_ascii());
            proptest::prop_assert_eq!(decode(&e), Some(s));
        }
    }
}
