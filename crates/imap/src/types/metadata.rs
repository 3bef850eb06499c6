//! METADATA options and values ([RFC 5464 §4]).
//!
//! [RFC 5464 §4]: https://www.rfc-editor.org/rfc/rfc5464#section-4
//!
//! ```
//! use mailwire_imap::{CommandBody, MetadataDepth, MetadataOption, ParserConfig, parse_command};
//!
//! let c = parse_command(b"a GETMETADATA (DEPTH 1) INBOX /private/x\r\n", &ParserConfig::default()).unwrap();
//! let CommandBody::GetMetadata { options, .. } = &c.body else { unreachable!() };
//! assert_eq!(options[0], MetadataOption::Depth(MetadataDepth::One));
//! ```

use crate::types::core::{Literal8, NString};

/// GETMETADATA `DEPTH` ([RFC 5464 §4.2.2]).
///
/// [RFC 5464 §4.2.2]: https://www.rfc-editor.org/rfc/rfc5464#section-4.2.2
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetadataDepth {
    /// `0`.
    Zero,
    /// `1`.
    One,
    /// `infinity`.
    Infinity,
}

/// A GETMETADATA option.
///
/// ```abnf
/// getmetadata-option = "MAXSIZE" SP number / "DEPTH" SP ("0" / "1" / "infinity")
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum MetadataOption {
    /// `MAXSIZE n`.
    MaxSize(u32),
    /// `DEPTH d`.
    Depth(MetadataDepth),
}

/// A metadata value.
///
/// ```abnf
/// value = nstring / literal8
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetadataValue<'a> {
    /// A string or `NIL` (NIL removes the entry).
    NString(NString<'a>),
    /// A binary literal.
    Literal8(Literal8<'a>),
}

impl MetadataValue<'_> {
    /// An owned copy that borrows nothing.
    pub fn into_static(self) -> MetadataValue<'static> {
        match self {
            MetadataValue::NString(s) => MetadataValue::NString(s.into_static()),
            MetadataValue::Literal8(l) => MetadataValue::Literal8(l.into_static()),
        }
    }
}
