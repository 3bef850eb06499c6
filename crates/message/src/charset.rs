//! Charsets: every WHATWG label through `encoding_rs`, plus UTF-7.
//!
//! MIME names charsets in the `charset` parameter ([RFC 2046 §4.1.2]) and in
//! encoded words ([RFC 2047 §2]). Labels are looked up as the WHATWG
//! Encoding Standard does (so `latin1` is windows-1252, as browsers and mail
//! clients read it). UTF-7 ([RFC 2152]) is not a WHATWG encoding and is
//! decoded here. An unknown label gives [`DefectKind::UnknownCharset`] and a
//! lossy UTF-8 reading; invalid bytes give [`DefectKind::UndecodableBytes`].
//!
//! [RFC 2046 §4.1.2]: https://www.rfc-editor.org/rfc/rfc2046#section-4.1.2
//! [RFC 2047 §2]: https://www.rfc-editor.org/rfc/rfc2047#section-2
//! [RFC 2152]: https://www.rfc-editor.org/rfc/rfc2152
//!
//! ```
//! use mailwire_message::charset::decode;
//!
//! assert_eq!(decode("iso-8859-1", b"caf\xe9").0, "café");
//! assert_eq!(decode("utf-7", b"Hi Mom -+Jjo--!").0, "Hi Mom -\u{263a}-!");
//! let (text, defect) = decode("x-no-such-charset", b"abc");
//! assert_eq!(text, "abc");
//! assert!(defect.is_some());
//! ```

use std::borrow::Cow;

use crate::defect::DefectKind;

/// Decodes `bytes` in the charset named by `label` (case-insensitive, white
/// space trimmed). Returns the text and the defect found, if any.
pub fn decode<'a>(label: &str, bytes: &'a [u8]) -> (Cow<'a, str>, Option<DefectKind>) {
    let label = label.trim();
    if label.eq_ignore_ascii_case("utf-7") || label.eq_ignore_ascii_case("unicode-1-1-utf-7") {
        return decode_utf7(bytes);
    }
    if label.eq_ignore_ascii_case("us-ascii") || label.eq_ignore_ascii_case("ascii") {
        if bytes.is_ascii() {
            return (utf8(bytes), None);
        }
        // 8-bit bytes labelled US-ASCII are nearly always UTF-8 or Latin-1.
        return decode("utf-8", bytes);
    }
    match encoding_rs::Encoding::for_label(label.as_bytes()) {
        Some(encoding) => {
            let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
            (text, had_errors.then_some(DefectKind::UndecodableBytes))
        }
        None => {
            let text = String::from_utf8_lossy(bytes);
            (text, Some(DefectKind::UnknownCharset(label.to_owned())))
        }
    }
}

/// Whether `label` names a charset this module can decode.
///
/// ```
/// assert!(mailwire_message::charset::is_known("UTF-7"));
/// assert!(mailwire_message::charset::is_known("koi8-r"));
/// assert!(!mailwire_message::charset::is_known("x-unknown"));
/// ```
pub fn is_known(label: &str) -> bool {
    let label = label.trim();
    label.eq_ignore_ascii_case("utf-7")
        || label.eq_ignore_ascii_case("unicode-1-1-utf-7")
        || label.eq_ignore_ascii_case("ascii")
        || encoding_rs::Encoding::for_label(label.as_bytes()).is_some()
}

fn utf8(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// The modified base64 alphabet of RFC 2152 (no padding).
fn b64_value(b: u8) -> Option<u16> {
    match b {
        b'A'..=b'Z' => Some(u16::from(b - b'A')),
        b'a'..=b'z' => Some(u16::from(b - b'a') + 26),
        b'0'..=b'9' => Some(u16::from(b - b'0') + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decodes UTF-7 ([RFC 2152]): direct characters, and `+` base64 runs of
/// UTF-16 code units ended by `-` or any non-base64 byte; `+-` is `+`.
fn decode_utf7(bytes: &[u8]) -> (Cow<'_, str>, Option<DefectKind>) {
    if !bytes.contains(&b'+') && bytes.is_ascii() {
        return (utf8(bytes), None);
    }
    let mut out = String::with_capacity(bytes.len());
    let mut units: Vec<u16> = Vec::new();
    let mut bad = false;
    let mut iter = bytes.iter().copied().peekable();
    while let Some(b) = iter.next() {
        if b != b'+' {
            if b.is_ascii() {
                out.push(char::from(b));
            } else {
                bad = true;
                out.push(char::REPLACEMENT_CHARACTER);
            }
            continue;
        }
        if iter.peek() == Some(&b'-') {
            iter.next();
            out.push('+');
            continue;
        }
        let (mut acc, mut bits) = (0u32, 0u32);
        units.clear();
        while let Some(v) = iter.peek().copied().and_then(b64_value) {
            iter.next();
            acc = (acc << 6) | u32::from(v);
            bits += 6;
            if bits >= 16 {
                bits -= 16;
                units.push(((acc >> bits) & 0xffff) as u16);
            }
            acc &= (1 << bits) - 1;
        }
        if bits >= 6 || acc != 0 {
            bad = true;
        }
        if iter.peek() == Some(&b'-') {
            iter.next();
        }
        for c in char::decode_utf16(units.iter().copied()) {
            out.push(c.unwrap_or_else(|_| {
                bad = true;
                char::REPLACEMENT_CHARACTER
            }));
        }
    }
    (Cow::Owned(out), bad.then_some(DefectKind::UndecodableBytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc2152_examples() {
        assert_eq!(decode("utf-7", b"A+ImIDkQ.").0, "A\u{2262}\u{391}.");
        assert_eq!(decode("utf-7", b"+ZeVnLIqe-").0, "\u{65e5}\u{672c}\u{8a9e}");
        assert_eq!(decode("utf-7", b"1 +- 1").0, "1 + 1");
        // A surrogate pair.
        assert_eq!(decode("utf-7", b"+2D3cAQ-").0, "\u{1f401}");
        assert_eq!(
            decode("utf-7", b"+2D3-").1,
            Some(DefectKind::UndecodableBytes)
        );
    }

    #[test]
    fn whatwg_labels_and_defects() {
        assert_eq!(decode("latin1", b"\xe9").0, "é");
        assert_eq!(decode(" KOI8-R ", b"\xc1").0, "а");
        assert_eq!(decode("shift_jis", b"\x82\xa0").0, "あ");
        let (text, defect) = decode("utf-8", b"a\xffb");
        assert_eq!(text, "a\u{fffd}b");
        assert_eq!(defect, Some(DefectKind::UndecodableBytes));
        assert_eq!(decode("us-ascii", "é".as_bytes()).0, "é");
        assert_eq!(
            decode("bogus", b"x").1,
            Some(DefectKind::UnknownCharset("bogus".into()))
        );
    }
}
