//! Delivery status notifications ([RFC 3461]): the `xtext` encoding of
//! `ENVID` and `ORCPT` values.
//!
//! [RFC 3461]: https://www.rfc-editor.org/rfc/rfc3461
//!
//! ```
//! use mailwire_smtp::ext::dsn::{decode_xtext, encode_xtext};
//! assert_eq!(encode_xtext("a+b=c d"), "a+2Bb+3Dc+20d");
//! assert_eq!(decode_xtext(b"a+2Bb").unwrap().as_str(), "a+b");
//! assert!(decode_xtext(b"a+2").is_err());
//! ```

use crate::Error;
use crate::types::parameter::XText;

/// The `xtext` form of printable ASCII `text` ([RFC 3461 §4]); other
/// characters are written as `+HH` too.
///
/// [RFC 3461 §4]: https://www.rfc-editor.org/rfc/rfc3461#section-4
pub fn encode_xtext(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    crate::encode::parameter::push_xtext(text, &mut out);
    out
}

/// Decodes `xtext` ([RFC 3461 §4]).
///
/// [RFC 3461 §4]: https://www.rfc-editor.org/rfc/rfc3461#section-4
///
/// # Errors
///
/// [`CoreError::Malformed`](crate::CoreError::Malformed) for a byte outside `xtext`, a bad `hexchar`, or one
/// that decodes to something other than printable ASCII.
pub fn decode_xtext(input: &[u8]) -> Result<XText<'_>, Error> {
    crate::parse::parameter::decode_xtext(input, 0)
}
