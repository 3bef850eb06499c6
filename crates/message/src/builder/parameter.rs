//! Writing `Content-Type` and `Content-Disposition` parameters ([RFC 2045
//! §5.1]), with RFC 2231 extended values and continuations for non-ASCII
//! or long values ([RFC 2231 §3, §4]).
//!
//! ```text
//! parameter        := attribute "=" value
//! value            := token / quoted-string
//! extended-initial-value := [charset] "'" [language] "'" extended-other-values
//! ext-octet        := "%" 2(DIGIT / "A" / "B" / "C" / "D" / "E" / "F")
//! ```
//!
//! [RFC 2045 §5.1]: https://www.rfc-editor.org/rfc/rfc2045#section-5.1
//! [RFC 2231 §3, §4]: https://www.rfc-editor.org/rfc/rfc2231#section-3

use super::BuildError;
use super::fold::SOFT_LIMIT;
use crate::parameter::is_tspecial;

/// `token` characters of RFC 2045 §5.1.
pub(crate) const fn is_token_char(b: u8) -> bool {
    b.is_ascii_graphic() && !is_tspecial(b)
}

/// `attribute-char` of RFC 2231 §7: a token character but `*`, `'`, `%`.
const fn is_attribute_char(b: u8) -> bool {
    is_token_char(b) && !matches!(b, b'*' | b'\'' | b'%')
}

/// Longest parameter token, leaving room for the fold space and `;`.
const MAX_TOKEN: usize = SOFT_LIMIT - 2;

/// The tokens of one parameter: `name=value`, or its RFC 2231 pieces.
///
/// ```
/// use mailwire_message::builder::parameter::parameter_tokens;
/// assert_eq!(parameter_tokens("charset", "utf-8").unwrap(), ["charset=utf-8"]);
/// assert_eq!(parameter_tokens("name", "a b.txt").unwrap(), ["name=\"a b.txt\""]);
/// assert_eq!(parameter_tokens("filename", "résumé.pdf").unwrap(),
///            ["filename*=utf-8''r%C3%A9sum%C3%A9.pdf"]);
/// let long = parameter_tokens("filename", &"x".repeat(100)).unwrap();
/// assert_eq!(long.len(), 2);
/// assert!(long[0].starts_with("filename*0*=utf-8''xxx"));
/// assert!(long[1].starts_with("filename*1*=xxx"));
/// ```
pub fn parameter_tokens(name: &str, value: &str) -> Result<Vec<String>, BuildError> {
    if name.is_empty() || !name.bytes().all(is_attribute_char) || name.len() > 40 {
        return Err(BuildError::InvalidParameter(name.to_owned()));
    }
    let fits = |len: usize| name.len().saturating_add(1).saturating_add(len) <= MAX_TOKEN;
    if !value.is_empty() && value.bytes().all(is_token_char) && fits(value.len()) {
        return Ok(vec![format!("{name}={value}")]);
    }
    if value.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
        let quoted = quote(value);
        if fits(quoted.len()) {
            return Ok(vec![format!("{name}={quoted}")]);
        }
    }
    let encoded: Vec<String> = value.chars().map(percent_encode).collect();
    let single: usize = encoded.iter().map(String::len).sum();
    if name.len().saturating_add(10).saturating_add(single) <= MAX_TOKEN {
        return Ok(vec![format!("{name}*=utf-8''{}", encoded.concat())]);
    }
    // Continuations, never splitting a character.
    let mut tokens = Vec::new();
    let mut current = format!("{name}*0*=utf-8''");
    let mut section = 0u32;
    for piece in encoded {
        if current.len().saturating_add(piece.len()) > MAX_TOKEN
            && !current.ends_with('=')
            && !current.ends_with('\'')
        {
            tokens.push(std::mem::take(&mut current));
            section = section.saturating_add(1);
            current = format!("{name}*{section}*=");
        }
        current.push_str(&piece);
    }
    tokens.push(current);
    Ok(tokens)
}

fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len().saturating_add(2));
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn percent_encode(c: char) -> String {
    let mut buf = [0u8; 4];
    let bytes = c.encode_utf8(&mut buf).as_bytes();
    let mut out = String::with_capacity(bytes.len().saturating_mul(3));
    for &b in bytes {
        if is_attribute_char(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::mime::ContentType;

    #[test]
    fn continuations_reparse() {
        let name = "日本語のファイル名はとても長いです".repeat(3) + ".pdf";
        let tokens = parameter_tokens("name", &name).unwrap();
        assert!(tokens.len() > 2);
        assert!(tokens.iter().all(|t| t.len() <= MAX_TOKEN));
        let value = format!("application/pdf;\r\n {}", tokens.join(";\r\n "));
        let (ct, defects) = ContentType::parse(value.as_bytes());
        assert!(defects.is_empty(), "{defects:?}");
        assert_eq!(ct.parameters().get("name").unwrap().text(), name);
    }

    #[test]
    fn invalid_names() {
        assert_eq!(
            parameter_tokens("a b", "x"),
            Err(BuildError::InvalidParameter("a b".into()))
        );
    }
}
