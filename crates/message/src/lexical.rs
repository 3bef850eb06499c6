//! Lexical tokens of RFC 5322 §3.2, shared by the structured field parsers.
//!
//! ```text
//! FWS            =   ([*WSP CRLF] 1*WSP) /  obs-FWS
//! ctext          =   %d33-39 / %d42-91 / %d93-126 / obs-ctext
//! comment        =   "(" *([FWS] ccontent) [FWS] ")"
//! CFWS           =   (1*([FWS] comment) [FWS]) / FWS
//! atext          =   ALPHA / DIGIT / "!" / "#" / "$" / "%" / "&" / "'" / "*" /
//!                    "+" / "-" / "/" / "=" / "?" / "^" / "_" / "`" / "{" /
//!                    "|" / "}" / "~"
//! quoted-string  =   [CFWS] DQUOTE *([FWS] qcontent) [FWS] DQUOTE [CFWS]
//! ```
//!
//! RFC 6532 §3.2 adds UTF-8 (any byte ≥ 0x80 here) to `atext`, `ctext`,
//! `qtext` and `dtext`.

use std::borrow::Cow;

/// `atext` (RFC 5322 §3.2.3) plus RFC 6532 UTF-8 bytes.
pub(crate) const fn is_atext(b: u8) -> bool {
    matches!(b,
        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9'
        | b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'/'
        | b'=' | b'?' | b'^' | b'_' | b'`' | b'{' | b'|' | b'}' | b'~' | 0x80..=0xff)
}

/// `WSP` and the line-break bytes of `FWS`.
pub(crate) const fn is_fws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// A quoted string: its raw form, its content and whether it was closed.
pub(crate) type QuotedString<'a> = (&'a [u8], Cow<'a, [u8]>, bool);

/// A cursor over a field value.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    input: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) const fn new(input: &'a [u8]) -> Self {
        Self { input, pos: 0 }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn set_pos(&mut self, pos: usize) {
        self.pos = pos.min(self.input.len());
    }

    pub(crate) fn rest(&self) -> &'a [u8] {
        self.input.get(self.pos..).unwrap_or_default()
    }

    pub(crate) fn slice(&self, start: usize, end: usize) -> &'a [u8] {
        self.input.get(start..end).unwrap_or_default()
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.pos >= self.input.len()
    }

    pub(crate) fn bump(&mut self) {
        if self.pos < self.input.len() {
            self.pos += 1;
        }
    }

    /// Consumes `b` if it is next.
    pub(crate) fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consumes the longest run of bytes matching `pred` and returns it.
    pub(crate) fn take_while(&mut self, pred: impl Fn(u8) -> bool) -> &'a [u8] {
        let rest = self.rest();
        let n = rest.iter().position(|&b| !pred(b)).unwrap_or(rest.len());
        self.pos += n;
        rest.get(..n).unwrap_or_default()
    }

    /// Skips `FWS`.
    pub(crate) fn skip_fws(&mut self) {
        self.take_while(is_fws);
    }

    /// Skips `CFWS`; returns the text of the last comment seen, if any.
    /// An unterminated comment runs to the end of the input.
    pub(crate) fn skip_cfws(&mut self) -> Option<&'a [u8]> {
        let mut last = None;
        loop {
            self.skip_fws();
            if self.peek() != Some(b'(') {
                return last;
            }
            last = Some(self.comment());
        }
    }

    /// Reads a `comment` starting at `(` and returns its inside (nesting and
    /// quoted pairs kept as written).
    fn comment(&mut self) -> &'a [u8] {
        let start = self.pos.saturating_add(1);
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'(' => depth += 1,
                b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return self.slice(start, self.pos - 1);
                    }
                }
                b'\\' => self.bump(),
                _ => {}
            }
        }
        self.slice(start, self.pos)
    }

    /// Reads `1*atext` (plus `extra` bytes allowed).
    pub(crate) fn atom_with(&mut self, extra: &[u8]) -> Option<&'a [u8]> {
        let atom = self.take_while(|b| is_atext(b) || extra.contains(&b));
        (!atom.is_empty()).then_some(atom)
    }

    /// Reads `1*atext`.
    pub(crate) fn atom(&mut self) -> Option<&'a [u8]> {
        self.atom_with(&[])
    }

    /// Reads a `quoted-string` at `"` (without CFWS). Returns its raw form
    /// (quotes included) and its content with quoted pairs resolved and
    /// folding removed. An unterminated string runs to the end of input.
    pub(crate) fn quoted_string(&mut self) -> Option<QuotedString<'a>> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let start = self.pos;
        self.pos += 1;
        let content_start = self.pos;
        let mut owned: Option<Vec<u8>> = None;
        let mut closed = false;
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    closed = true;
                    break;
                }
                b'\\' => {
                    let buf =
                        owned.get_or_insert_with(|| self.slice(content_start, self.pos).to_vec());
                    self.pos += 1;
                    if let Some(next) = self.peek() {
                        buf.push(next);
                        self.pos += 1;
                    }
                }
                b'\r' | b'\n' => {
                    owned.get_or_insert_with(|| self.slice(content_start, self.pos).to_vec());
                    self.pos += 1;
                }
                _ => {
                    if let Some(buf) = owned.as_mut() {
                        buf.push(b);
                    }
                    self.pos += 1;
                }
            }
        }
        let content = match owned {
            Some(v) => Cow::Owned(v),
            None => Cow::Borrowed(self.slice(content_start, self.pos)),
        };
        if closed {
            self.pos += 1;
        }
        Some((self.slice(start, self.pos), content, closed))
    }

    /// Reads a `domain-literal` body at `[` up to and including `]`, without
    /// CFWS. Returns the raw text, brackets included.
    pub(crate) fn domain_literal(&mut self) -> Option<(&'a [u8], bool)> {
        if self.peek() != Some(b'[') {
            return None;
        }
        let start = self.pos;
        self.pos += 1;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b']' => return Some((self.slice(start, self.pos), true)),
                b'\\' => self.bump(),
                b'[' => {
                    self.pos -= 1;
                    return Some((self.slice(start, self.pos), false));
                }
                _ => {}
            }
        }
        Some((self.slice(start, self.pos), false))
    }
}

/// Finds the two-byte sequence `[a, b]`: a `memchr` loop, cheaper than a
/// substring searcher on the short values of header fields.
pub(crate) fn find_pair(hay: &[u8], a: u8, b: u8) -> Option<usize> {
    let mut from = 0usize;
    while let Some(i) = hay.get(from..).and_then(|h| memchr::memchr(a, h)) {
        let at = from + i;
        if hay.get(at + 1) == Some(&b) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Removes the line breaks of folding ([RFC 5322 §2.2.3]): every CRLF (or
/// bare LF) followed by white space is deleted.
///
/// [RFC 5322 §2.2.3]: https://www.rfc-editor.org/rfc/rfc5322#section-2.2.3
pub(crate) fn unfold(value: &[u8]) -> Cow<'_, [u8]> {
    if memchr::memchr2(b'\r', b'\n', value).is_none() {
        return Cow::Borrowed(value);
    }
    Cow::Owned(
        value
            .iter()
            .copied()
            .filter(|&b| b != b'\r' && b != b'\n')
            .collect(),
    )
}

/// Trims `WSP` and line breaks at both ends.
pub(crate) fn trim(value: &[u8]) -> &[u8] {
    let start = value
        .iter()
        .position(|&b| !is_fws(b))
        .unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|&b| !is_fws(b))
        .map_or(start, |e| e + 1);
    value.get(start..end).unwrap_or_default()
}

/// Turns bytes into text: UTF-8 when valid (RFC 6532), else lossy.
pub(crate) fn text(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// Turns a borrowed-or-owned byte string into text without copying valid
/// UTF-8.
pub(crate) fn cow_text(bytes: Cow<'_, [u8]>) -> Cow<'_, str> {
    match bytes {
        Cow::Borrowed(b) => String::from_utf8_lossy(b),
        Cow::Owned(v) => match String::from_utf8(v) {
            Ok(s) => Cow::Owned(s),
            Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cfws_and_comments() {
        let mut c = Cursor::new(b" (a (nested) \\) x)\r\n b");
        assert_eq!(c.skip_cfws(), Some(&b"a (nested) \\) x"[..]));
        assert_eq!(c.atom(), Some(&b"b"[..]));
        assert!(c.is_empty());
    }

    #[test]
    fn quoted_strings() {
        let mut c = Cursor::new(b"\"a\\\"b\" rest");
        let (raw, content, closed) = c.quoted_string().unwrap();
        assert_eq!(raw, b"\"a\\\"b\"");
        assert_eq!(&*content, b"a\"b");
        assert!(closed);
        let mut c = Cursor::new(b"\"open");
        let (_, content, closed) = c.quoted_string().unwrap();
        assert_eq!(&*content, b"open");
        assert!(!closed);
    }

    #[test]
    fn pairs() {
        assert_eq!(find_pair(b"a=b=?c", b'=', b'?'), Some(3));
        assert_eq!(find_pair(b"a=", b'=', b'?'), None);
    }

    #[test]
    fn unfold_and_trim() {
        assert_eq!(&*unfold(b"a\r\n b"), b"a b");
        assert_eq!(trim(b" \t a b \r\n"), b"a b");
        assert_eq!(trim(b"   "), b"");
    }
}
