//! Multipart delimiters ([RFC 2046 §5.1.1]).
//!
//! ```text
//! dash-boundary := "--" boundary
//! delimiter := CRLF dash-boundary
//! close-delimiter := delimiter "--"
//! encapsulation := delimiter transport-padding CRLF body-part
//! transport-padding := *LWSP-char
//! ```
//!
//! The CRLF before a delimiter belongs to the delimiter, not to the body
//! part before it. A line is a delimiter line when it is exactly `--`
//! boundary, optionally `--`, then optional white space: anything else after
//! the boundary makes it an ordinary line (as in Python's `email`). Bare LF
//! line endings are accepted as well as CRLF. When parts nest, a delimiter of
//! an enclosing multipart also ends the inner parts (§5.1.2).
//!
//! [RFC 2046 §5.1.1]: https://www.rfc-editor.org/rfc/rfc2046#section-5.1.1
//!
//! ```
//! use mailwire_message::mime::multipart::{Delimiter, match_delimiter};
//!
//! assert_eq!(match_delimiter(b"--frontier", b"frontier"), Some(Delimiter::Part));
//! assert_eq!(match_delimiter(b"--frontier-- \t", b"frontier"), Some(Delimiter::Close));
//! assert_eq!(match_delimiter(b"--frontier2", b"frontier"), None);
//! ```

/// What a delimiter line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Delimiter {
    /// `--boundary`: a body part follows.
    Part,
    /// `--boundary--`: the close delimiter.
    Close,
}

/// Matches `line` (without its line ending) against `boundary`.
pub fn match_delimiter(line: &[u8], boundary: &[u8]) -> Option<Delimiter> {
    let rest = line.strip_prefix(b"--")?.strip_prefix(boundary)?;
    let (kind, rest) = match rest.strip_prefix(b"--") {
        Some(r) => (Delimiter::Close, r),
        None => (Delimiter::Part, rest),
    };
    rest.iter()
        .all(|&b| b == b' ' || b == b'\t')
        .then_some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_lines() {
        assert_eq!(match_delimiter(b"--b ", b"b"), Some(Delimiter::Part));
        assert_eq!(match_delimiter(b"--b--", b"b"), Some(Delimiter::Close));
        assert_eq!(match_delimiter(b"--b---", b"b"), None);
        assert_eq!(match_delimiter(b"-b", b"b"), None);
        assert_eq!(match_delimiter(b"--bx", b"b"), None);
        assert_eq!(match_delimiter(b"--", b""), Some(Delimiter::Part));
    }
}
