//! Strings in compiled form: encoded characters decoded ([RFC 5228
//! §2.4.2.4]) and variable references split out ([RFC 5229 §3]).
//!
//! ```text
//! encoded-arb-octets   = "${hex:" hex-pair-seq "}"
//! hex-pair-seq         = *blank hex-pair *(1*blank hex-pair) *blank
//! hex-pair             = 1*2HEXDIG
//! encoded-unicode-char = "${unicode:" unicode-hex-seq "}"
//! unicode-hex-seq      = *blank unicode-hex *(1*blank unicode-hex) *blank
//! unicode-hex          = 1*HEXDIG
//! variable-ref         = "${" [namespace] variable-name "}"
//! variable-name        = num-variable / identifier
//! num-variable         = 1*DIGIT
//! ```
//!
//! [RFC 5228 §2.4.2.4]: https://www.rfc-editor.org/rfc/rfc5228#section-2.4.2.4
//! [RFC 5229 §3]: https://www.rfc-editor.org/rfc/rfc5229#section-3

use crate::error::ScriptErrorKind;

/// A string argument: literal text, or text with variable references.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Str {
    pieces: Vec<Piece>,
}

/// A piece of a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Text(String),
    /// A named variable, lowercased.
    Variable(String),
    /// A match variable `${N}`.
    Match(usize),
}

impl Str {
    /// A string with no references.
    pub(crate) fn literal(text: impl Into<String>) -> Self {
        let text = text.into();
        if text.is_empty() {
            return Self::default();
        }
        Self {
            pieces: vec![Piece::Text(text)],
        }
    }

    /// The text, when the string has no references.
    pub(crate) fn as_literal(&self) -> Option<&str> {
        match self.pieces.as_slice() {
            [] => Some(""),
            [Piece::Text(t)] => Some(t),
            _ => None,
        }
    }

    /// The pieces.
    pub(crate) fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// Compiles `raw`: decodes encoded characters when `encoded` is on,
    /// then splits out variable references when `variables` is on.
    pub(crate) fn compile(
        raw: &str,
        encoded: bool,
        variables: bool,
    ) -> Result<Self, ScriptErrorKind> {
        let decoded;
        let text = if encoded && raw.contains("${") {
            decoded = decode_encoded(raw)?;
            decoded.as_str()
        } else {
            raw
        };
        if !variables || !text.contains("${") {
            return Ok(Self::literal(text));
        }
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            let (before, after) = rest.split_at(start);
            literal.push_str(before);
            let inner_start = after.get(2..).unwrap_or_default();
            let reference = inner_start.find('}').and_then(|end| {
                let name = inner_start.get(..end)?;
                variable_reference(name).map(|piece| (piece, end.saturating_add(3)))
            });
            match reference {
                Some((piece, len)) => {
                    if !literal.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut literal)));
                    }
                    pieces.push(piece?);
                    rest = after.get(len..).unwrap_or_default();
                }
                None => {
                    literal.push_str("${");
                    rest = inner_start;
                }
            }
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Ok(Self { pieces })
    }
}

/// Reads the text between `${` and `}`: `None` when it is no reference
/// (then it stays literal text).
fn variable_reference(name: &str) -> Option<Result<Piece, ScriptErrorKind>> {
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) {
        let n = name.trim_start_matches('0').parse::<usize>().unwrap_or(
            if name.trim_start_matches('0').is_empty() {
                0
            } else {
                usize::MAX
            },
        );
        return Some(Ok(Piece::Match(n)));
    }
    let mut parts = name.split('.');
    let all_identifiers = name.split('.').all(is_identifier);
    if !all_identifiers {
        return None;
    }
    let first = parts.next()?;
    if parts.next().is_some() {
        return Some(Err(ScriptErrorKind::InvalidValue {
            what: "variable namespace",
            value: name.to_owned(),
        }));
    }
    Some(Ok(Piece::Variable(first.to_ascii_lowercase())))
}

/// Whether `s` is an `identifier` ([RFC 5228 §8.1]).
pub(crate) fn is_identifier(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Decodes `${hex:…}` and `${unicode:…}`; malformed sequences stay as
/// they are, invalid results are errors ([RFC 5228 §2.4.2.4]).
///
/// [RFC 5228 §2.4.2.4]: https://www.rfc-editor.org/rfc/rfc5228#section-2.4.2.4
fn decode_encoded(raw: &str) -> Result<String, ScriptErrorKind> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(start) = rest.find("${") {
        let (before, after) = rest.split_at(start);
        out.push_str(before);
        let body = after.get(2..).unwrap_or_default();
        let decoded = body.find('}').and_then(|end| {
            let inner = body.get(..end)?;
            let (kind, seq) = inner.split_once(':')?;
            let result = if kind.eq_ignore_ascii_case("hex") {
                decode_hex(seq)?
            } else if kind.eq_ignore_ascii_case("unicode") {
                decode_unicode(seq)?
            } else {
                return None;
            };
            Some((result, end.saturating_add(3)))
        });
        match decoded {
            Some((text, len)) => {
                out.push_str(&text?);
                rest = after.get(len..).unwrap_or_default();
            }
            None => {
                out.push_str("${");
                rest = body;
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

fn blank_separated(seq: &str) -> Option<Vec<&str>> {
    let words: Vec<&str> = seq
        .split([' ', '\t', '\r', '\n'])
        .filter(|w| !w.is_empty())
        .collect();
    if words
        .iter()
        .all(|w| w.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        Some(words)
    } else {
        None
    }
}

fn decode_hex(seq: &str) -> Option<Result<String, ScriptErrorKind>> {
    let words = blank_separated(seq)?;
    if words.iter().any(|w| w.len() > 2) {
        return None;
    }
    let bytes: Vec<u8> = words
        .iter()
        .filter_map(|w| u8::from_str_radix(w, 16).ok())
        .collect();
    Some(
        String::from_utf8(bytes).map_err(|_| ScriptErrorKind::InvalidValue {
            what: "encoded character",
            value: seq.to_owned(),
        }),
    )
}

fn decode_unicode(seq: &str) -> Option<Result<String, ScriptErrorKind>> {
    let words = blank_separated(seq)?;
    let mut out = String::new();
    for w in words {
        let digits = w.trim_start_matches('0');
        let c = if digits.len() > 6 {
            None
        } else {
            u32::from_str_radix(if digits.is_empty() { "0" } else { digits }, 16)
                .ok()
                .and_then(char::from_u32)
        };
        match c {
            Some(c) => out.push(c),
            None => {
                return Some(Err(ScriptErrorKind::InvalidValue {
                    what: "encoded character",
                    value: w.to_owned(),
                }));
            }
        }
    }
    Some(Ok(out))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn rfc5228_encoded_character_examples() {
        // RFC 5228 §2.4.2.4: both spell "$$$".
        let a = Str::compile("${hex:24 24}${unicode:24}", true, false).unwrap();
        assert_eq!(a.as_literal(), Some("$$$"));
        let b = Str::compile("${hex: 20 }${HEX:0d 0A}${hex:}", true, false).unwrap();
        assert_eq!(b.as_literal(), Some(" \r\n"));
        // Malformed sequences stay literal.
        let c = Str::compile("${hex:2g}${unicode:}x${hex:123}", true, false).unwrap();
        assert_eq!(c.as_literal(), Some("${hex:2g}x${hex:123}"));
        assert_eq!(
            Str::compile("${unicode:D800}", true, false).unwrap_err(),
            ScriptErrorKind::InvalidValue {
                what: "encoded character",
                value: "D800".into()
            }
        );
        assert!(Str::compile("${hex:ff}", true, false).is_err());
        // Without the extension nothing is decoded.
        assert_eq!(
            Str::compile("${hex:24}", false, false)
                .unwrap()
                .as_literal(),
            Some("${hex:24}")
        );
    }

    #[test]
    fn variable_references() {
        let s = Str::compile("a${Company}b${01}${x y}${}${", false, true).unwrap();
        assert_eq!(
            s.pieces(),
            [
                Piece::Text("a".into()),
                Piece::Variable("company".into()),
                Piece::Text("b".into()),
                Piece::Match(1),
                Piece::Text("${x y}${}${".into()),
            ]
        );
        assert!(Str::compile("${env.x}", false, true).is_err());
    }
}
