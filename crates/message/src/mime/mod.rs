//! MIME header fields ([RFC 2045]) and multipart bodies ([RFC 2046 §5.1]).
//!
//! [RFC 2045]: https://www.rfc-editor.org/rfc/rfc2045
//! [RFC 2046 §5.1]: https://www.rfc-editor.org/rfc/rfc2046#section-5.1
//!
//! ```
//! use mailwire_message::mime::{ContentType, MimeVersion};
//!
//! let (ct, _) = ContentType::parse(b" Multipart/Mixed; boundary=\"simple boundary\"");
//! assert!(ct.is_multipart());
//! assert_eq!(ct.boundary(), Some(&b"simple boundary"[..]));
//! assert_eq!(MimeVersion::parse(b"1.0 (produced by MetaSend Vx.x)"), Some(MimeVersion { major: 1, minor: 0 }));
//! ```

pub mod content_type;
pub mod disposition;
pub mod multipart;

pub use content_type::ContentType;
pub use disposition::{ContentDisposition, DispositionType};

use crate::lexical::Cursor;

/// The `MIME-Version` field value ([RFC 2045 §4]).
///
/// ```text
/// version := "MIME-Version" ":" 1*DIGIT "." 1*DIGIT
/// ```
///
/// Comments may appear anywhere (§4 example: `1.(produced by MetaSend
/// Vx.x)0`).
///
/// [RFC 2045 §4]: https://www.rfc-editor.org/rfc/rfc2045#section-4
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MimeVersion {
    /// The major version, `1`.
    pub major: u32,
    /// The minor version, `0`.
    pub minor: u32,
}

impl MimeVersion {
    /// Parses a field value; `None` if it does not match the grammar.
    ///
    /// ```
    /// use mailwire_message::mime::MimeVersion;
    /// assert_eq!(MimeVersion::parse(b"(c) 1 . (x) 0"), Some(MimeVersion { major: 1, minor: 0 }));
    /// assert_eq!(MimeVersion::parse(b"one"), None);
    /// ```
    pub fn parse(value: &[u8]) -> Option<Self> {
        let mut c = Cursor::new(value);
        let major = number(&mut c)?;
        c.skip_cfws();
        if !c.eat(b'.') {
            return None;
        }
        let minor = number(&mut c)?;
        c.skip_cfws();
        c.is_empty().then_some(Self { major, minor })
    }
}

fn number(c: &mut Cursor<'_>) -> Option<u32> {
    c.skip_cfws();
    let start = c.pos();
    while c.peek().is_some_and(|b| b.is_ascii_digit()) {
        c.bump();
    }
    std::str::from_utf8(c.slice(start, c.pos()))
        .ok()?
        .parse()
        .ok()
}
