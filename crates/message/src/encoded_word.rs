//! RFC 2047 encoded words in header text.
//!
//! ```text
//! encoded-word = "=?" charset "?" encoding "?" encoded-text "?="
//! charset      = token    ; RFC 2231 §5 allows charset "*" language
//! encoding     = token    ; "B" or "Q"
//! ```
//!
//! [`decode`] turns header text into Unicode: encoded words are decoded
//! ([RFC 2047 §4]), white space between two adjacent encoded words is dropped
//! ([§6.2]), and adjacent words in the same charset are joined *before*
//! charset decoding, so a multibyte character split across two words comes
//! out whole. Text outside encoded words is read as UTF-8 ([RFC 6532 §3.2]).
//! Decoding is lenient: a word not separated from its neighbours by white
//! space is still decoded, as common mail clients do; a malformed word is
//! kept as text.
//!
//! [RFC 2047 §4]: https://www.rfc-editor.org/rfc/rfc2047#section-4
//! [§6.2]: https://www.rfc-editor.org/rfc/rfc2047#section-6.2
//! [RFC 6532 §3.2]: https://www.rfc-editor.org/rfc/rfc6532#section-3.2
//!
//! ```
//! use mailwire_message::encoded_word::decode;
//!
//! // RFC 2047 §8.
//! assert_eq!(decode(b"=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=").0, "ab");
//! assert_eq!(decode(b"=?ISO-8859-1?Q?a?= b").0, "a b");
//! // A UTF-8 character split across two words.
//! assert_eq!(decode(b"=?utf-8?q?caf=C3?= =?utf-8?q?=A9?=").0, "café");
//! ```

use std::borrow::Cow;

use crate::charset;
use crate::defect::DefectKind;
use crate::lexical::{find_pair, text};
use crate::transfer::base64;

/// One decoded encoded word: its charset label and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedWord<'a> {
    /// The charset label, without an RFC 2231 language suffix.
    pub charset: &'a str,
    /// The language (RFC 2231 §5), if given.
    pub language: Option<&'a str>,
    /// The decoded bytes, still in `charset`.
    pub bytes: Vec<u8>,
    /// Length of the word in the input.
    pub len: usize,
}

fn is_charset_byte(b: u8) -> bool {
    b.is_ascii_graphic()
        && !matches!(
            b,
            b'?' | b'('
                | b')'
                | b'<'
                | b'>'
                | b'@'
                | b','
                | b';'
                | b':'
                | b'"'
                | b'/'
                | b'['
                | b']'
                | b'.'
                | b'='
        )
        || b == b'.'
}

/// Parses the encoded word at the start of `input`, if there is one.
///
/// ```
/// use mailwire_message::encoded_word::parse_word;
/// let word = parse_word(b"=?utf-8*en?B?aMOp?= tail").unwrap();
/// assert_eq!((word.charset, word.language, word.len), ("utf-8", Some("en"), 19));
/// assert_eq!(word.bytes, "hé".as_bytes());
/// ```
pub fn parse_word(input: &[u8]) -> Option<EncodedWord<'_>> {
    let rest = input.strip_prefix(b"=?")?;
    let charset_len = rest.iter().position(|&b| b == b'?')?;
    let label = rest.get(..charset_len)?;
    if label.is_empty() || !label.iter().all(|&b| is_charset_byte(b) || b == b'*') {
        return None;
    }
    let label = std::str::from_utf8(label).ok()?;
    let (charset, language) = match label.split_once('*') {
        Some((c, l)) => (c, Some(l)),
        None => (label, None),
    };
    let rest = rest.get(charset_len + 1..)?;
    let (&encoding, rest) = rest.split_first()?;
    let rest = rest.strip_prefix(b"?")?;
    let end = find_pair(rest, b'?', b'=')?;
    let encoded = rest.get(..end)?;
    if encoded
        .iter()
        .any(|&b| b == b' ' || b == b'\t' || b == b'\r' || b == b'\n')
    {
        return None;
    }
    let bytes = match encoding {
        b'B' | b'b' => {
            let (bytes, defects) = base64::decode(encoded, 0);
            if defects
                .iter()
                .any(|d| d.kind == DefectKind::InvalidBase64Length)
            {
                return None;
            }
            bytes
        }
        b'Q' | b'q' => decode_q(encoded),
        _ => return None,
    };
    let len = 2 + charset_len + 3 + end + 2;
    Some(EncodedWord {
        charset,
        language,
        bytes,
        len,
    })
}

/// The "Q" encoding of RFC 2047 §4.2: `_` is a space, `=XX` an octet.
fn decode_q(encoded: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(encoded.len());
    let mut iter = encoded.iter().copied();
    while let Some(b) = iter.next() {
        match b {
            b'_' => out.push(b' '),
            b'=' => {
                let digits: Vec<u8> = iter.clone().take(2).collect();
                match std::str::from_utf8(&digits)
                    .ok()
                    .and_then(|s| u8::from_str_radix(s, 16).ok())
                {
                    Some(v) if digits.len() == 2 => {
                        out.push(v);
                        iter.next();
                        iter.next();
                    }
                    _ => out.push(b'='),
                }
            }
            _ => out.push(b),
        }
    }
    out
}

enum Piece<'a> {
    Text(&'a [u8]),
    Word(EncodedWord<'a>),
}

/// Decodes header text that may hold encoded words. Line breaks of folding
/// are removed first ([RFC 5322 §2.2.3]); other white space is kept. Returns
/// the text and the defects found (unknown charsets, undecodable bytes).
///
/// [RFC 5322 §2.2.3]: https://www.rfc-editor.org/rfc/rfc5322#section-2.2.3
pub fn decode(input: &[u8]) -> (Cow<'_, str>, Vec<DefectKind>) {
    let input_unfolded = crate::lexical::unfold(input);
    if find_pair(&input_unfolded, b'=', b'?').is_none() {
        return (crate::lexical::cow_text(input_unfolded), Vec::new());
    }
    let value: &[u8] = &input_unfolded;
    let mut pieces = Vec::new();
    let mut text_start = 0usize;
    let mut pos = 0usize;
    while let Some(found) = value.get(pos..).and_then(|v| find_pair(v, b'=', b'?')) {
        let at = pos + found;
        match value.get(at..).and_then(parse_word) {
            Some(word) => {
                if at > text_start {
                    pieces.push(Piece::Text(value.get(text_start..at).unwrap_or_default()));
                }
                pos = at + word.len;
                text_start = pos;
                pieces.push(Piece::Word(word));
            }
            None => pos = at + 2,
        }
    }
    if text_start < value.len() {
        pieces.push(Piece::Text(value.get(text_start..).unwrap_or_default()));
    }
    let mut out = String::with_capacity(value.len());
    let mut defects = Vec::new();
    let mut pending: Option<(&str, Vec<u8>)> = None;
    let mut iter = pieces.into_iter().peekable();
    while let Some(piece) = iter.next() {
        match piece {
            Piece::Word(word) => match &mut pending {
                Some((label, bytes)) if label.eq_ignore_ascii_case(word.charset) => {
                    bytes.extend_from_slice(&word.bytes);
                }
                _ => {
                    flush(&mut pending, &mut out, &mut defects);
                    pending = Some((word.charset, word.bytes));
                }
            },
            Piece::Text(t) => {
                let between_words = pending.is_some()
                    && t.iter().all(|&b| b == b' ' || b == b'\t')
                    && matches!(iter.peek(), Some(Piece::Word(_)));
                if !between_words {
                    flush(&mut pending, &mut out, &mut defects);
                    out.push_str(&text(t));
                }
            }
        }
    }
    flush(&mut pending, &mut out, &mut defects);
    (Cow::Owned(out), defects)
}

fn flush(pending: &mut Option<(&str, Vec<u8>)>, out: &mut String, defects: &mut Vec<DefectKind>) {
    if let Some((label, bytes)) = pending.take() {
        let (decoded, defect) = charset::decode(label, &bytes);
        out.push_str(&decoded);
        defects.extend(defect);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 2047 §8, the table of encoded-word display examples.
    #[test]
    fn rfc2047_section8_examples() {
        let cases: &[(&[u8], &str)] = &[
            (b"(=?ISO-8859-1?Q?a?=)", "(a)"),
            (b"(=?ISO-8859-1?Q?a?= b)", "(a b)"),
            (b"(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"),
            (b"(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)"),
            (b"(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)"),
            (b"(=?ISO-8859-1?Q?a_b?=)", "(a b)"),
            (b"(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)"),
        ];
        for (input, expected) in cases {
            assert_eq!(decode(input).0, *expected, "{}", input.escape_ascii());
        }
        assert_eq!(
            decode(b"=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>").0,
            "Keld Jørn Simonsen <keld@dkuug.dk>"
        );
        assert_eq!(
            decode(b"=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=").0,
            "If you can read this you understand the example."
        );
        assert_eq!(
            decode(b"=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>").0,
            "Keith Moore <moore@cs.utk.edu>"
        );
    }

    #[test]
    fn malformed_words_stay_text() {
        assert_eq!(decode(b"=?utf-8?x?abc?=").0, "=?utf-8?x?abc?=");
        assert_eq!(decode(b"=?utf-8?q?no end").0, "=?utf-8?q?no end");
        assert_eq!(decode(b"a =? b").0, "a =? b");
        let (text, defects) = decode(b"=?x-bogus?q?abc?=");
        assert_eq!(text, "abc");
        assert_eq!(defects, vec![DefectKind::UnknownCharset("x-bogus".into())]);
    }

    #[test]
    fn rfc2231_language_and_utf8_text() {
        assert_eq!(decode(b"=?US-ASCII*EN?Q?Keith_Moore?=").0, "Keith Moore");
        assert_eq!(decode("Grüße =?utf-8?b?w6k=?=".as_bytes()).0, "Grüße é");
    }
}
