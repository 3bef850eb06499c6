//! The `Content-Type` field ([RFC 2045 §5]).
//!
//! ```text
//! content := "Content-Type" ":" type "/" subtype *(";" parameter)
//! type := discrete-type / composite-type
//! subtype := extension-token / iana-token
//! ```
//!
//! Type and subtype are case-insensitive and kept lower case. A missing or
//! unparsable field means `text/plain; charset=us-ascii` (§5.2), except in
//! a `multipart/digest`, where it means `message/rfc822` ([RFC 2046
//! §5.1.5]).
//!
//! [RFC 2045 §5]: https://www.rfc-editor.org/rfc/rfc2045#section-5
//! [RFC 2046 §5.1.5]: https://www.rfc-editor.org/rfc/rfc2046#section-5.1.5
//!
//! ```
//! use mailwire_message::mime::ContentType;
//!
//! let (ct, defects) = ContentType::parse(b"Text/HTML; Charset=\"UTF-8\"");
//! assert!(defects.is_empty());
//! assert_eq!(ct.essence(), "text/html");
//! assert_eq!(ct.charset().as_deref(), Some("utf-8"));
//! ```

use std::borrow::Cow;

use crate::defect::DefectKind;
use crate::lexical::Cursor;
use crate::parameter::{Parameters, is_token};

/// A parsed `Content-Type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType<'a> {
    media_type: Cow<'a, str>,
    subtype: Cow<'a, str>,
    parameters: Parameters<'a>,
}

fn token_lower<'a>(c: &mut Cursor<'a>) -> Option<Cow<'a, str>> {
    c.skip_cfws();
    let t = c.take_while(is_token);
    if t.is_empty() {
        return None;
    }
    // Tokens are ASCII (RFC 2045 §5.1), so this never fails.
    let s = std::str::from_utf8(t).ok()?;
    Some(if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    })
}

impl<'a> ContentType<'a> {
    /// `text/plain`, the default of RFC 2045 §5.2.
    pub fn text_plain() -> ContentType<'static> {
        ContentType {
            media_type: Cow::Borrowed("text"),
            subtype: Cow::Borrowed("plain"),
            parameters: Parameters::default(),
        }
    }

    /// `message/rfc822`, the default inside `multipart/digest`.
    pub fn message_rfc822() -> ContentType<'static> {
        ContentType {
            media_type: Cow::Borrowed("message"),
            subtype: Cow::Borrowed("rfc822"),
            parameters: Parameters::default(),
        }
    }

    /// Parses a field value. On a syntax error in `type "/" subtype`, returns
    /// `text/plain` and [`DefectKind::InvalidContentType`].
    pub fn parse(value: &'a [u8]) -> (Self, Vec<DefectKind>) {
        let mut c = Cursor::new(value);
        let media_type = token_lower(&mut c);
        c.skip_cfws();
        let slash = c.eat(b'/');
        let subtype = if slash { token_lower(&mut c) } else { None };
        match (media_type, subtype) {
            (Some(media_type), Some(subtype)) => {
                c.skip_cfws();
                let mut defects = Vec::new();
                if !c.is_empty() && c.peek() != Some(b';') {
                    defects.push(DefectKind::InvalidParameter);
                    while c.peek().is_some_and(|b| b != b';') {
                        c.bump();
                    }
                }
                let (parameters, d) = Parameters::parse(c.rest());
                defects.extend(d);
                (
                    Self {
                        media_type,
                        subtype,
                        parameters,
                    },
                    defects,
                )
            }
            _ => {
                // Keep the parameters (a charset, say) of `text; charset=…`.
                let mut defects = vec![DefectKind::InvalidContentType];
                let parameters = match memchr::memchr(b';', value) {
                    Some(semicolon) => {
                        let (p, d) = Parameters::parse(value.get(semicolon..).unwrap_or_default());
                        defects.extend(d);
                        p
                    }
                    None => Parameters::default(),
                };
                (
                    Self {
                        parameters,
                        ..ContentType::text_plain()
                    },
                    defects,
                )
            }
        }
    }

    /// The top-level media type, lower case (`text`).
    pub fn media_type(&self) -> &str {
        &self.media_type
    }

    /// The subtype, lower case (`plain`).
    pub fn subtype(&self) -> &str {
        &self.subtype
    }

    /// `type/subtype`, lower case.
    pub fn essence(&self) -> String {
        format!("{}/{}", self.media_type, self.subtype)
    }

    /// Whether this is `type/subtype` (case-insensitive).
    pub fn is(&self, media_type: &str, subtype: &str) -> bool {
        self.media_type.eq_ignore_ascii_case(media_type)
            && self.subtype.eq_ignore_ascii_case(subtype)
    }

    /// The parameters.
    pub fn parameters(&self) -> &Parameters<'a> {
        &self.parameters
    }

    /// Whether the type is `multipart/*`.
    pub fn is_multipart(&self) -> bool {
        self.media_type == "multipart"
    }

    /// Whether the body is itself a message: `message/rfc822` or
    /// `message/global` ([RFC 6532 §3.5]).
    ///
    /// [RFC 6532 §3.5]: https://www.rfc-editor.org/rfc/rfc6532#section-3.5
    pub fn is_message(&self) -> bool {
        self.media_type == "message" && (self.subtype == "rfc822" || self.subtype == "global")
    }

    /// The raw `boundary` parameter ([RFC 2046 §5.1.1]), not decoded.
    ///
    /// [RFC 2046 §5.1.1]: https://www.rfc-editor.org/rfc/rfc2046#section-5.1.1
    pub fn boundary(&self) -> Option<&[u8]> {
        self.parameters
            .get("boundary")
            .map(|p| p.value())
            .filter(|b| !b.is_empty())
    }

    /// The `charset` parameter, lower case and trimmed.
    pub fn charset(&self) -> Option<Cow<'_, str>> {
        self.parameters.get("charset").map(|p| {
            // A label is ASCII; it is never an encoded word.
            let label = crate::lexical::text(crate::lexical::trim(p.value()));
            if label.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(label.to_ascii_lowercase())
            } else {
                label
            }
        })
    }

    /// Converts into an owned value.
    pub fn into_owned(self) -> ContentType<'static> {
        ContentType {
            media_type: Cow::Owned(self.media_type.into_owned()),
            subtype: Cow::Owned(self.subtype.into_owned()),
            parameters: self.parameters.into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc2045_examples() {
        // RFC 2045 §5.1: these are equivalent.
        for v in [
            &b"text/plain; charset=us-ascii (Plain text)"[..],
            b"text/plain; charset=\"us-ascii\"",
            b"TEXT/PLAIN; CHARSET=US-ASCII",
        ] {
            let (ct, defects) = ContentType::parse(v);
            assert!(defects.is_empty());
            assert!(ct.is("text", "plain"));
            assert_eq!(ct.charset().as_deref(), Some("us-ascii"));
        }
    }

    #[test]
    fn invalid_values_default_to_text_plain() {
        for v in [&b"text"[..], b"", b"/plain", b"(c)"] {
            let (ct, defects) = ContentType::parse(v);
            assert_eq!(ct.essence(), "text/plain");
            assert_eq!(defects, vec![DefectKind::InvalidContentType]);
        }
        let (ct, _) = ContentType::parse(b"text; charset=us-ascii");
        assert_eq!(ct.essence(), "text/plain");
        assert_eq!(ct.charset().as_deref(), Some("us-ascii"));
        let (ct, defects) = ContentType::parse(b"text/plain garbage; charset=utf-8");
        assert_eq!(ct.charset().as_deref(), Some("utf-8"));
        assert_eq!(defects, vec![DefectKind::InvalidParameter]);
    }

    #[test]
    fn boundaries() {
        let (ct, _) = ContentType::parse(b"multipart/alternative; boundary=boundary42");
        assert_eq!(ct.boundary(), Some(&b"boundary42"[..]));
        let (ct, _) = ContentType::parse(b"multipart/mixed; boundary=\"\"");
        assert_eq!(ct.boundary(), None);
        assert!(ContentType::parse(b"message/RFC822").0.is_message());
    }
}
