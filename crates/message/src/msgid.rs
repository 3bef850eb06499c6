//! Message identifiers ([RFC 5322 §3.6.4]).
//!
//! ```text
//! msg-id          =   [CFWS] "<" id-left "@" id-right ">" [CFWS]
//! id-left         =   dot-atom-text / obs-id-left
//! id-right        =   dot-atom-text / no-fold-literal / obs-id-right
//! no-fold-literal =   "[" *dtext "]"
//! in-reply-to     =   "In-Reply-To:" 1*msg-id CRLF
//! references      =   "References:" 1*msg-id CRLF
//! ```
//!
//! [`MsgId`] holds the text between the angle brackets. [`MsgId::new`]
//! checks the strict grammar; [`parse_list`] reads field values leniently,
//! keeping whatever sits between `<` and `>` (obsolete `phrase` words
//! between identifiers, §4.5.4, are skipped).
//!
//! [RFC 5322 §3.6.4]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.4
//!
//! ```
//! use mailwire_message::msgid::{MsgId, parse_list};
//!
//! let ids = parse_list(b" <1234@local.machine.example>\r\n <3456@example.net>");
//! assert_eq!(ids.len(), 2);
//! assert_eq!(ids[0].to_string(), "<1234@local.machine.example>");
//! assert!(MsgId::new("abc@[127.0.0.1]").is_ok());
//! assert!(MsgId::new("no-at-sign").is_err());
//! ```

use std::borrow::Cow;
use std::fmt;

use crate::lexical::{Cursor, is_atext, text};

/// Why a message identifier is invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MsgIdError {
    /// The identifier does not follow `id-left "@" id-right`.
    #[error("invalid msg-id")]
    Invalid,
}

/// A message identifier, without its angle brackets.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MsgId<'a>(Cow<'a, str>);

fn dot_atom_text(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|a| !a.is_empty() && a.bytes().all(is_atext))
}

impl<'a> MsgId<'a> {
    /// Validates `id-left "@" id-right` (strict grammar).
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, MsgIdError> {
        let s = s.into();
        let (left, right) = s.rsplit_once('@').ok_or(MsgIdError::Invalid)?;
        let right_ok = dot_atom_text(right)
            || right
                .strip_prefix('[')
                .and_then(|r| r.strip_suffix(']'))
                .is_some_and(|inner| {
                    inner
                        .bytes()
                        .all(|b| matches!(b, 33..=90 | 94..=126 | 0x80..=0xff))
                });
        if dot_atom_text(left) && right_ok {
            Ok(Self(s))
        } else {
            Err(MsgIdError::Invalid)
        }
    }

    /// The identifier without brackets.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Converts into an owned value.
    pub fn into_owned(self) -> MsgId<'static> {
        MsgId(Cow::Owned(self.0.into_owned()))
    }
}

impl<'a> TryFrom<&'a str> for MsgId<'a> {
    type Error = MsgIdError;
    fn try_from(s: &'a str) -> Result<Self, MsgIdError> {
        Self::new(s)
    }
}

impl fmt::Display for MsgId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}>", self.0)
    }
}

/// Reads every `<...>` identifier in a field value, leniently: folding and
/// white space inside the brackets are removed, comments outside skipped.
pub fn parse_list(value: &[u8]) -> Vec<MsgId<'_>> {
    let mut c = Cursor::new(value);
    let mut ids = Vec::new();
    loop {
        c.skip_cfws();
        match c.peek() {
            None => break,
            Some(b'<') => {
                c.bump();
                let start = c.pos();
                while c.peek().is_some_and(|b| b != b'>') {
                    c.bump();
                }
                let inner = c.slice(start, c.pos());
                c.eat(b'>');
                let id = if inner.iter().any(|&b| b.is_ascii_whitespace() || b == b'(') {
                    Cow::Owned(text(&strip_cfws(inner)).into_owned())
                } else {
                    text(inner)
                };
                if !id.is_empty() {
                    ids.push(MsgId(id));
                }
            }
            Some(b'"') => {
                c.quoted_string();
            }
            Some(_) => c.bump(),
        }
    }
    ids
}

/// Removes comments and white space (obsolete `CFWS` between the words of
/// `obs-id-left` and `obs-id-right`, RFC 5322 §4.5.4).
fn strip_cfws(inner: &[u8]) -> Vec<u8> {
    let mut c = Cursor::new(inner);
    let mut out = Vec::with_capacity(inner.len());
    loop {
        c.skip_cfws();
        match c.peek() {
            None => return out,
            Some(b'"') => {
                let start = c.pos();
                c.quoted_string();
                out.extend_from_slice(c.slice(start, c.pos()));
            }
            Some(b) => {
                out.push(b);
                c.bump();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5322 Appendix A.2 and A.6.2.
    #[test]
    fn rfc5322_examples() {
        let ids = parse_list(b"<1234@local.machine.example> <3456@example.net>");
        assert_eq!(
            ids.iter().map(MsgId::as_str).collect::<Vec<_>>(),
            ["1234@local.machine.example", "3456@example.net"]
        );
        // Obsolete: a phrase between identifiers, and folding inside.
        let ids =
            parse_list(b"<1234@local.machine.example> (comment) \"quoted\" words <abc@\r\n x>");
        assert_eq!(
            ids.iter().map(MsgId::as_str).collect::<Vec<_>>(),
            ["1234@local.machine.example", "abc@x"]
        );
        assert!(parse_list(b"no brackets").is_empty());
        // Appendix A.6.3.
        let ids = parse_list(b" <1234   @   local(blah)  .machine .example>");
        assert_eq!(ids[0].as_str(), "1234@local.machine.example");
        assert!(MsgId::new("a.b@c").is_ok());
        assert_eq!(MsgId::new("a..b@c"), Err(MsgIdError::Invalid));
    }
}
