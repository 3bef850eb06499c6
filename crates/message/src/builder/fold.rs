//! Header field output with folding ([RFC 5322 §2.2.3, §2.1.1]) and RFC 2047
//! encoded words ([RFC 2047 §2, §5]).
//!
//! The field writer lays out one field from unbreakable tokens: it folds before
//! a token (turning the white space in front of it into `CRLF WSP`) when
//! the line would pass 78 octets, and refuses anything that would make a
//! line longer than 998. Encoded words are cut to fit the line, at most 75
//! octets each, and never split a character.
//!
//! [RFC 5322 §2.2.3, §2.1.1]: https://www.rfc-editor.org/rfc/rfc5322#section-2.2.3
//! [RFC 2047 §2, §5]: https://www.rfc-editor.org/rfc/rfc2047#section-2

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::BuildError;

/// Preferred line length, CRLF excluded ([RFC 5322 §2.1.1]).
///
/// [RFC 5322 §2.1.1]: https://www.rfc-editor.org/rfc/rfc5322#section-2.1.1
pub const SOFT_LIMIT: usize = 78;
/// Maximum line length, CRLF excluded ([RFC 5322 §2.1.1]).
///
/// [RFC 5322 §2.1.1]: https://www.rfc-editor.org/rfc/rfc5322#section-2.1.1
pub const HARD_LIMIT: usize = 998;
/// Longest encoded word ([RFC 2047 §2]).
///
/// [RFC 2047 §2]: https://www.rfc-editor.org/rfc/rfc2047#section-2
pub const ENCODED_WORD_LIMIT: usize = 75;

/// `=?utf-8?X?` and `?=`.
const OVERHEAD: usize = 12;

/// Where an encoded word appears: `Q` may use fewer characters in a
/// phrase ([RFC 2047 §5 (3)]).
///
/// [RFC 2047 §5 (3)]: https://www.rfc-editor.org/rfc/rfc2047#section-5
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    Text,
    Phrase,
}

/// Lays out one header field.
#[derive(Debug)]
pub(crate) struct Folder<'o> {
    out: &'o mut Vec<u8>,
    column: usize,
    /// Whether something follows the field name on the current line.
    has_content: bool,
}

impl<'o> Folder<'o> {
    /// Starts a field: writes `name ":"`.
    pub(crate) fn new(out: &'o mut Vec<u8>, name: &str) -> Result<Self, BuildError> {
        let valid = !name.is_empty() && name.bytes().all(|b| (33..=126).contains(&b) && b != b':');
        if !valid || name.len() > SOFT_LIMIT.saturating_sub(2) {
            return Err(BuildError::InvalidFieldName(name.to_owned()));
        }
        out.extend_from_slice(name.as_bytes());
        out.push(b':');
        Ok(Self {
            column: name.len().saturating_add(1),
            out,
            has_content: false,
        })
    }

    fn remaining(&self) -> usize {
        SOFT_LIMIT.saturating_sub(self.column)
    }

    /// Writes `token` preceded by one space (a fold point), folding first
    /// when it would pass 78 octets.
    pub(crate) fn token(&mut self, token: &[u8]) -> Result<(), BuildError> {
        let needed = token.len().saturating_add(1);
        // Fold before the token, or right after the field name when the
        // token fits only on a line of its own.
        if needed > self.remaining() && (self.has_content || needed <= SOFT_LIMIT) {
            self.fold();
        }
        if self.column.saturating_add(needed) > HARD_LIMIT {
            return Err(BuildError::LineTooLong { limit: HARD_LIMIT });
        }
        self.out.push(b' ');
        self.out.extend_from_slice(token);
        self.column = self.column.saturating_add(needed);
        self.has_content = true;
        Ok(())
    }

    /// Writes `token` right after the previous one, without a fold point.
    pub(crate) fn append(&mut self, token: &[u8]) -> Result<(), BuildError> {
        if self.column.saturating_add(token.len()) > HARD_LIMIT {
            return Err(BuildError::LineTooLong { limit: HARD_LIMIT });
        }
        self.out.extend_from_slice(token);
        self.column = self.column.saturating_add(token.len());
        Ok(())
    }

    fn fold(&mut self) {
        self.out.extend_from_slice(b"\r\n");
        self.column = 0;
        self.has_content = false;
    }

    /// Writes `text` as encoded words, each preceded by a fold point, cut
    /// to fit the current line (at most 75 octets each).
    pub(crate) fn encoded(&mut self, text: &str, context: Context) -> Result<(), BuildError> {
        let q = prefers_q(text);
        let mut rest = text;
        while !rest.is_empty() {
            let first = rest.chars().next().map_or(0, char::len_utf8);
            let smallest =
                OVERHEAD.saturating_add(encoded_len(rest.get(..first).unwrap_or(""), q, context));
            if smallest.saturating_add(1) > self.remaining() {
                self.fold();
            }
            let room = self
                .remaining()
                .saturating_sub(1)
                .clamp(smallest, ENCODED_WORD_LIMIT)
                .saturating_sub(OVERHEAD);
            let take = fitting(rest, room, q, context).max(first);
            let (chunk, tail) = rest.split_at(take.min(rest.len()));
            let mut word = Vec::with_capacity(ENCODED_WORD_LIMIT);
            word.extend_from_slice(if q { b"=?utf-8?q?" } else { b"=?utf-8?b?" });
            if q {
                q_encode(chunk.as_bytes(), context, &mut word);
            } else {
                word.extend_from_slice(STANDARD.encode(chunk).as_bytes());
            }
            word.extend_from_slice(b"?=");
            self.token(&word)?;
            rest = tail;
        }
        Ok(())
    }

    /// Ends the field with CRLF.
    pub(crate) fn finish(self) {
        self.out.extend_from_slice(b"\r\n");
    }
}

/// Whether `Q` gives shorter words than `B` for `text`.
fn prefers_q(text: &str) -> bool {
    let plain = text
        .bytes()
        .filter(|&b| b.is_ascii_alphanumeric() || b == b' ')
        .count();
    plain.saturating_mul(3) >= text.len().saturating_mul(2)
}

/// Encoded length of `s` in the chosen encoding.
fn encoded_len(s: &str, q: bool, context: Context) -> usize {
    if q {
        s.bytes()
            .map(|b| {
                if q_literal(b, context) || b == b' ' {
                    1
                } else {
                    3
                }
            })
            .sum()
    } else {
        s.len().div_ceil(3).saturating_mul(4)
    }
}

/// The longest prefix of `s`, on a character boundary, whose encoding
/// fits in `room` octets.
fn fitting(s: &str, room: usize, q: bool, context: Context) -> usize {
    let mut used = 0usize;
    let mut bytes = 0usize;
    for c in s.chars() {
        let next_bytes = bytes.saturating_add(c.len_utf8());
        let next_used = if q {
            let mut buf = [0u8; 4];
            used.saturating_add(encoded_len(c.encode_utf8(&mut buf), true, context))
        } else {
            next_bytes.div_ceil(3).saturating_mul(4)
        };
        if next_used > room {
            break;
        }
        used = next_used;
        bytes = next_bytes;
    }
    bytes
}

/// Characters `Q` may leave as they are ([RFC 2047 §5 (3)]: in a phrase,
/// letters, digits and `!*+-/`).
fn q_literal(b: u8, context: Context) -> bool {
    match context {
        Context::Phrase => {
            b.is_ascii_alphanumeric() || matches!(b, b'!' | b'*' | b'+' | b'-' | b'/')
        }
        Context::Text => {
            b.is_ascii_graphic() && !matches!(b, b'=' | b'?' | b'_' | b'(' | b')' | b'"')
        }
    }
}

fn q_encode(bytes: &[u8], context: Context, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in bytes {
        if b == b' ' {
            out.push(b'_');
        } else if q_literal(b, context) {
            out.push(b);
        } else {
            out.push(b'=');
            out.push(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'));
            out.push(HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'));
        }
    }
}

/// Whether a word of unstructured text can be written as it is: printable
/// ASCII (or UTF-8 when `utf8`), not mistakable for an encoded word, and
/// short enough to fit on a line of its own.
pub(crate) fn is_plain_word(word: &str, utf8: bool) -> bool {
    word.len() < SOFT_LIMIT
        && word
            .chars()
            .all(|c| c.is_ascii_graphic() || (utf8 && !c.is_ascii() && !c.is_control()))
        && !word.contains("=?")
}

/// Writes unstructured text ([RFC 5322 §3.2.5]): words that can stay as
/// they are do, runs of the others (non-ASCII unless `utf8` allows it
/// ([RFC 6532 §3.2]), control characters, over 77 octets, unusual spacing)
/// become encoded words ([RFC 2047 §5 (1)]).
///
/// [RFC 6532 §3.2]: https://www.rfc-editor.org/rfc/rfc6532#section-3.2
///
/// [RFC 5322 §3.2.5]: https://www.rfc-editor.org/rfc/rfc5322#section-3.2.5
/// [RFC 2047 §5 (1)]: https://www.rfc-editor.org/rfc/rfc2047#section-5
pub(crate) fn unstructured(
    folder: &mut Folder<'_>,
    text: &str,
    context: Context,
    utf8: bool,
) -> Result<(), BuildError> {
    // Words split on single spaces; an empty word marks extra spaces,
    // which only an encoded word can keep.
    let words: Vec<&str> = text.split(' ').collect();
    let plain: Vec<bool> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let beside_empty =
                |j: Option<usize>| j.and_then(|j| words.get(j)).is_some_and(|w| w.is_empty());
            is_plain_word(w, utf8)
                && !beside_empty(i.checked_sub(1))
                && !beside_empty(i.checked_add(1))
        })
        .collect();
    let mut i = 0;
    while i < words.len() {
        if plain.get(i).copied().unwrap_or(false) {
            folder.token(words.get(i).copied().unwrap_or("").as_bytes())?;
            i = i.saturating_add(1);
            continue;
        }
        let start = i;
        while i < words.len() && !plain.get(i).copied().unwrap_or(true) {
            i = i.saturating_add(1);
        }
        let run = words.get(start..i).unwrap_or_default().join(" ");
        if !run.is_empty() {
            folder.encoded(&run, context)?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn field(name: &str, text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let mut f = Folder::new(&mut out, name).unwrap();
        unstructured(&mut f, text, Context::Text, false).unwrap();
        f.finish();
        out
    }

    #[test]
    fn short_field_is_one_line() {
        assert_eq!(field("Subject", "Hello world"), b"Subject: Hello world\r\n");
    }

    #[test]
    fn folds_at_78() {
        let text = "word ".repeat(30);
        let out = field("Subject", text.trim_end());
        for line in out.split(|&b| b == b'\n') {
            assert!(line.len() <= 79, "{}", String::from_utf8_lossy(line));
        }
        assert_eq!(crate::lexical::unfold(&out).len(), "Subject: ".len() + 149);
    }

    #[test]
    fn encoded_words_never_split_characters() {
        let text = "日本語のテキスト".repeat(10);
        let out = field("Subject", &text);
        for line in out.split(|&b| b == b'\n') {
            assert!(line.len() <= 79);
        }
        let (decoded, defects) = crate::encoded_word::decode(&out[9..out.len() - 2]);
        assert!(defects.is_empty());
        assert_eq!(decoded.replace(['\r', '\n'], ""), text);
    }
}
