//! MIME parameters ([RFC 2045 §5.1]) with RFC 2231 continuations, charsets
//! and languages.
//!
//! ```text
//! parameter := attribute "=" value
//! attribute := token
//! value := token / quoted-string
//! ; RFC 2231 §7
//! extended-initial-name := attribute [initial-section] "*"
//! extended-initial-value := [charset] "'" [language] "'" extended-other-values
//! extended-other-values := *(ext-octet / attribute-char)
//! ext-octet := "%" 2(DIGIT / "A" / "B" / "C" / "D" / "E" / "F")
//! ```
//!
//! Sections (`name*0`, `name*1*`, …) are joined in numeric order; an
//! extended value is percent-decoded and read in its charset; a regular
//! value that holds RFC 2047 encoded words is decoded too, as mail clients
//! commonly send them.
//!
//! [RFC 2045 §5.1]: https://www.rfc-editor.org/rfc/rfc2045#section-5.1
//!
//! ```
//! use mailwire_message::parameter::Parameters;
//!
//! // RFC 2231 §4.1.
//! let (params, _) = Parameters::parse(
//!     b"; title*0*=us-ascii'en'This%20is%20even%20more%20;\r\n title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2=\"isn't it!\"",
//! );
//! let title = params.get("TITLE").unwrap();
//! assert_eq!(title.text(), "This is even more ***fun*** isn't it!");
//! assert_eq!(title.language(), Some("en"));
//! ```

use std::borrow::Cow;

use crate::charset;
use crate::defect::DefectKind;
use crate::encoded_word;
use crate::lexical::{Cursor, text};

/// `tspecials` of RFC 2045 §5.1.
pub(crate) const fn is_tspecial(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')'
            | b'<'
            | b'>'
            | b'@'
            | b','
            | b';'
            | b':'
            | b'\\'
            | b'"'
            | b'/'
            | b'['
            | b']'
            | b'?'
            | b'='
    )
}

/// `token` characters of RFC 2045 §5.1.
pub(crate) const fn is_token(b: u8) -> bool {
    b.is_ascii_graphic() && !is_tspecial(b)
}

/// A parameter after RFC 2231 sections were joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter<'a> {
    name: Cow<'a, str>,
    value: Cow<'a, [u8]>,
    charset: Option<Cow<'a, str>>,
    language: Option<Cow<'a, str>>,
    extended: bool,
}

impl<'a> Parameter<'a> {
    /// The attribute name, lower case, without RFC 2231 markers.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value's bytes: quoted pairs resolved, percent-decoding applied to
    /// extended values, still in [`charset`](Self::charset).
    pub fn value(&self) -> &[u8] {
        &self.value
    }

    /// The charset of an RFC 2231 extended value.
    pub fn charset(&self) -> Option<&str> {
        self.charset.as_deref()
    }

    /// The language of an RFC 2231 extended value.
    pub fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }

    /// Whether the value used RFC 2231 extended syntax (`name*=`).
    pub fn is_extended(&self) -> bool {
        self.extended
    }

    /// The value as text: an extended value in its charset, a regular one
    /// with RFC 2047 encoded words decoded.
    pub fn text(&self) -> Cow<'_, str> {
        self.decode().0
    }

    /// Like [`text`](Self::text), with the defects found while decoding.
    pub fn decode(&self) -> (Cow<'_, str>, Vec<DefectKind>) {
        match &self.charset {
            Some(label) if !label.is_empty() => {
                let (t, d) = charset::decode(label, &self.value);
                (t, d.into_iter().collect())
            }
            _ if self.extended => (text(&self.value), Vec::new()),
            _ => encoded_word::decode(&self.value),
        }
    }

    /// Converts into an owned parameter.
    pub fn into_owned(self) -> Parameter<'static> {
        Parameter {
            name: Cow::Owned(self.name.into_owned()),
            value: Cow::Owned(self.value.into_owned()),
            charset: self.charset.map(|c| Cow::Owned(c.into_owned())),
            language: self.language.map(|c| Cow::Owned(c.into_owned())),
            extended: self.extended,
        }
    }
}

/// The parameters of a `Content-Type` or `Content-Disposition` field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parameters<'a> {
    list: Vec<Parameter<'a>>,
}

/// A numbered section: number, extended, value.
type Section<'a> = (u32, bool, Cow<'a, [u8]>);

struct Segment<'a> {
    name: Cow<'a, str>,
    section: Option<u32>,
    extended: bool,
    value: Cow<'a, [u8]>,
}

impl<'a> Segment<'a> {
    /// An unsectioned segment as a parameter.
    fn into_parameter(self) -> Parameter<'a> {
        if self.extended {
            let (charset, language, value) = split_extended(self.value);
            Parameter {
                name: self.name,
                value,
                charset,
                language,
                extended: true,
            }
        } else {
            Parameter {
                name: self.name,
                value: self.value,
                charset: None,
                language: None,
                extended: false,
            }
        }
    }
}

fn lower(name: &[u8]) -> Cow<'_, str> {
    let s = match std::str::from_utf8(name) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => text(name),
    };
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        s
    }
}

fn percent_decode(value: &[u8]) -> Cow<'_, [u8]> {
    if !value.contains(&b'%') {
        return Cow::Borrowed(value);
    }
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while let Some(&b) = value.get(i) {
        let hex = value
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    Cow::Owned(out)
}

impl<'a> Parameters<'a> {
    /// Parses `*(";" parameter)`. Parsing is lenient: an unquoted value runs
    /// to the next `;`; a parameter without `=` is skipped with
    /// [`DefectKind::InvalidParameter`].
    pub fn parse(input: &'a [u8]) -> (Self, Vec<DefectKind>) {
        let mut cursor = Cursor::new(input);
        let mut defects = Vec::new();
        let mut segments: Vec<Segment<'a>> = Vec::new();
        loop {
            cursor.skip_cfws();
            if cursor.is_empty() {
                break;
            }
            if cursor.eat(b';') {
                continue;
            }
            let raw_name =
                cursor.take_while(|b| b != b'=' && b != b';' && !b.is_ascii_whitespace());
            cursor.skip_cfws();
            if !cursor.eat(b'=') || raw_name.is_empty() {
                defects.push(DefectKind::InvalidParameter);
                while cursor.peek().is_some_and(|b| b != b';') {
                    cursor.bump();
                }
                continue;
            }
            cursor.skip_cfws();
            let value: Cow<'a, [u8]> = if let Some((_, content, closed)) = cursor.quoted_string() {
                if !closed {
                    defects.push(DefectKind::InvalidParameter);
                }
                // Skip anything up to the next parameter.
                cursor.skip_cfws();
                content
            } else {
                let vstart = cursor.pos();
                cursor.take_while(|b| is_token(b) || b >= 0x80);
                let token_end = cursor.pos();
                cursor.skip_cfws();
                if cursor.is_empty() || cursor.peek() == Some(b';') {
                    Cow::Borrowed(cursor.slice(vstart, token_end))
                } else {
                    // Not a token: take everything up to the next ";".
                    defects.push(DefectKind::InvalidParameter);
                    while cursor.peek().is_some_and(|b| b != b';') {
                        cursor.bump();
                    }
                    Cow::Borrowed(crate::lexical::trim(cursor.slice(vstart, cursor.pos())))
                }
            };
            let (name_part, extended) = match raw_name.strip_suffix(b"*") {
                Some(n) => (n, true),
                None => (raw_name, false),
            };
            let (base, section) = match name_part.iter().rposition(|&b| b == b'*') {
                Some(star) => {
                    let digits = name_part.get(star + 1..).unwrap_or_default();
                    match std::str::from_utf8(digits)
                        .ok()
                        .and_then(|d| d.parse::<u32>().ok())
                    {
                        Some(n) if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) => {
                            (name_part.get(..star).unwrap_or_default(), Some(n))
                        }
                        _ => (name_part, None),
                    }
                }
                None => (name_part, None),
            };
            segments.push(Segment {
                name: lower(base),
                section,
                extended,
                value,
            });
        }
        (Self::join(segments), defects)
    }

    fn join(segments: Vec<Segment<'a>>) -> Self {
        // Most values have no sections: turn the segments into parameters in
        // place, and join the numbered ones after them.
        let mut list: Vec<Parameter<'a>> = Vec::new();
        let mut sectioned: Vec<(Cow<'a, str>, Vec<Section<'a>>)> = Vec::new();
        if segments.iter().all(|s| s.section.is_none()) {
            list = segments.into_iter().map(Segment::into_parameter).collect();
            return Self { list };
        }
        for s in segments {
            match s.section {
                None => list.push(s.into_parameter()),
                Some(n) => match sectioned.iter_mut().find(|(name, _)| *name == s.name) {
                    Some((_, parts)) => parts.push((n, s.extended, s.value)),
                    None => sectioned.push((s.name, vec![(n, s.extended, s.value)])),
                },
            }
        }
        for (name, mut parts) in sectioned {
            parts.sort_by_key(|(n, _, _)| *n);
            parts.dedup_by_key(|(n, _, _)| *n);
            let mut value = Vec::new();
            let (mut charset, mut language, mut extended) = (None, None, false);
            for (n, ext, v) in parts {
                if ext {
                    extended = true;
                    if n == 0 {
                        let (c, l, v) = split_extended(v);
                        charset = c;
                        language = l;
                        value.extend_from_slice(&v);
                    } else {
                        value.extend_from_slice(&percent_decode(&v));
                    }
                } else {
                    value.extend_from_slice(&v);
                }
            }
            list.push(Parameter {
                name,
                value: Cow::Owned(value),
                charset,
                language,
                extended,
            });
        }
        Self { list }
    }

    /// The first parameter named `name` (case-insensitive, as Python's
    /// `email` reads it). An RFC 2231 extended value wins over a regular one
    /// of the same name.
    pub fn get(&self, name: &str) -> Option<&Parameter<'a>> {
        let mut found: Option<&Parameter<'a>> = None;
        for p in self
            .list
            .iter()
            .filter(|p| p.name.eq_ignore_ascii_case(name))
        {
            // The first one, unless a later one uses RFC 2231 syntax.
            if found.is_none_or(|f| p.extended && !f.extended) {
                found = Some(p);
            }
        }
        found
    }

    /// All parameters, in input order (joined ones after the others).
    pub fn iter(&self) -> impl Iterator<Item = &Parameter<'a>> {
        self.list.iter()
    }

    /// The number of parameters.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Converts into owned parameters.
    pub fn into_owned(self) -> Parameters<'static> {
        Parameters {
            list: self.list.into_iter().map(Parameter::into_owned).collect(),
        }
    }
}

type Extended<'a> = (Option<Cow<'a, str>>, Option<Cow<'a, str>>, Cow<'a, [u8]>);

/// Splits `charset'language'value` and percent-decodes the value. Without
/// the two quotes, the whole value is data.
fn split_extended<'a>(value: Cow<'a, [u8]>) -> Extended<'a> {
    let owned = value.into_owned();
    let mut it = owned.splitn(3, |&b| b == b'\'');
    match (it.next(), it.next(), it.next()) {
        (Some(c), Some(l), Some(v)) => {
            let charset = (!c.is_empty()).then(|| Cow::Owned(text(c).into_owned()));
            let language = (!l.is_empty()).then(|| Cow::Owned(text(l).into_owned()));
            (
                charset,
                language,
                Cow::Owned(percent_decode(v).into_owned()),
            )
        }
        _ => (None, None, Cow::Owned(percent_decode(&owned).into_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc2045_parameters() {
        let (p, defects) = Parameters::parse(b"; charset=us-ascii (Plain text); Format=\"flowed\"");
        assert!(defects.is_empty());
        assert_eq!(p.get("charset").unwrap().value(), b"us-ascii");
        assert_eq!(p.get("format").unwrap().text(), "flowed");
        assert_eq!(p.len(), 2);
    }

    #[test]
    fn rfc2231_sections() {
        // RFC 2231 §3.
        let (p, _) = Parameters::parse(
            b"; URL*0=\"ftp://\";\r\n URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"",
        );
        assert_eq!(
            p.get("url").unwrap().text(),
            "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar"
        );
        // RFC 2231 §4.
        let (p, _) =
            Parameters::parse(b"; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A");
        let title = p.get("title").unwrap();
        assert_eq!(title.text(), "This is ***fun***");
        assert_eq!(title.charset(), Some("us-ascii"));
        assert_eq!(title.language(), Some("en-us"));
        // Out-of-order sections and a charset.
        let (p, _) = Parameters::parse(b"; f*1*=%A9.txt; f*0*=iso-8859-1''caf%E9%20%A9");
        assert_eq!(p.get("f").unwrap().text(), "café ©©.txt");
    }

    #[test]
    fn lenient_values_and_defects() {
        let (p, defects) =
            Parameters::parse(b"; name=my file.pdf; broken; x=\"=?utf-8?q?=C3=A9?=\"");
        assert_eq!(p.get("name").unwrap().text(), "my file.pdf");
        assert_eq!(p.get("x").unwrap().text(), "é");
        assert_eq!(
            defects,
            vec![DefectKind::InvalidParameter, DefectKind::InvalidParameter]
        );
        // The extended form wins.
        let (p, _) = Parameters::parse(b"; filename=\"a\"; filename*=utf-8''%C3%A9");
        assert_eq!(p.get("filename").unwrap().text(), "é");
    }
}
