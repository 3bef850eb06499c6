//! The `Content-Disposition` field ([RFC 2183 §2]).
//!
//! ```text
//! disposition := "Content-Disposition" ":" disposition-type *(";" disposition-parm)
//! disposition-type := "inline" / "attachment" / extension-token
//! ```
//!
//! The `filename` parameter may use RFC 2231 or (non-standard, but common)
//! RFC 2047 encoded words; [`ContentDisposition::filename`] decodes both.
//!
//! [RFC 2183 §2]: https://www.rfc-editor.org/rfc/rfc2183#section-2
//!
//! ```
//! use mailwire_message::mime::{ContentDisposition, DispositionType};
//!
//! let (cd, _) = ContentDisposition::parse(b"Attachment; filename*=UTF-8''na%C3%AFve.txt");
//! assert_eq!(cd.disposition_type(), &DispositionType::Attachment);
//! assert_eq!(cd.filename().as_deref(), Some("naïve.txt"));
//! ```

use std::borrow::Cow;

use crate::defect::DefectKind;
use crate::lexical::{Cursor, text};
use crate::parameter::{Parameters, is_token};

/// The disposition type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DispositionType {
    /// `inline`.
    Inline,
    /// `attachment`.
    Attachment,
    /// Any other token, lower case (e.g. `form-data`, RFC 7578).
    Other(String),
}

impl DispositionType {
    /// The type, lower case.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Inline => "inline",
            Self::Attachment => "attachment",
            Self::Other(s) => s,
        }
    }
}

/// A parsed `Content-Disposition`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentDisposition<'a> {
    disposition_type: DispositionType,
    parameters: Parameters<'a>,
}

impl<'a> ContentDisposition<'a> {
    /// Parses a field value. A missing type gives
    /// [`DefectKind::InvalidHeader`] and `attachment`, as §2.8 says of
    /// unrecognised types.
    pub fn parse(value: &'a [u8]) -> (Self, Vec<DefectKind>) {
        let mut c = Cursor::new(value);
        c.skip_cfws();
        let start = c.pos();
        while c.peek().is_some_and(is_token) {
            c.bump();
        }
        let token = text(c.slice(start, c.pos())).to_ascii_lowercase();
        let mut defects = Vec::new();
        let disposition_type = match token.as_str() {
            "inline" => DispositionType::Inline,
            "attachment" => DispositionType::Attachment,
            "" => {
                defects.push(DefectKind::InvalidHeader {
                    field: "content-disposition",
                });
                DispositionType::Attachment
            }
            _ => DispositionType::Other(token),
        };
        c.skip_cfws();
        while c.peek().is_some_and(|b| b != b';') {
            c.bump();
        }
        let (parameters, d) = Parameters::parse(c.rest());
        defects.extend(d);
        (
            Self {
                disposition_type,
                parameters,
            },
            defects,
        )
    }

    /// The disposition type.
    pub fn disposition_type(&self) -> &DispositionType {
        &self.disposition_type
    }

    /// The parameters.
    pub fn parameters(&self) -> &Parameters<'a> {
        &self.parameters
    }

    /// The decoded `filename` parameter.
    pub fn filename(&self) -> Option<Cow<'_, str>> {
        self.parameters.get("filename").map(|p| p.text())
    }

    /// Converts into an owned value.
    pub fn into_owned(self) -> ContentDisposition<'static> {
        ContentDisposition {
            disposition_type: self.disposition_type,
            parameters: self.parameters.into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc2183_examples() {
        let (cd, d) = ContentDisposition::parse(b"inline");
        assert!(d.is_empty());
        assert_eq!(cd.disposition_type(), &DispositionType::Inline);
        let (cd, _) = ContentDisposition::parse(
            b"attachment; filename=genome.jpeg;\r\n modification-date=\"Wed, 12 Feb 1997 16:29:51 -0500\";",
        );
        assert_eq!(cd.filename().as_deref(), Some("genome.jpeg"));
        assert_eq!(
            cd.parameters().get("modification-date").unwrap().text(),
            "Wed, 12 Feb 1997 16:29:51 -0500"
        );
        let (cd, d) = ContentDisposition::parse(b"; filename=x");
        assert_eq!(cd.disposition_type().as_str(), "attachment");
        assert_eq!(
            d,
            vec![DefectKind::InvalidHeader {
                field: "content-disposition"
            }]
        );
    }
}
