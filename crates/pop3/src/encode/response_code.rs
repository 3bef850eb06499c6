//! The extended response code encoder ([RFC 2449 §8]).
//!
//! [RFC 2449 §8]: https://www.rfc-editor.org/rfc/rfc2449#section-8

use crate::types::response_code::ResponseCode;

/// Appends `[code]`.
///
/// ```
/// let mut out = Vec::new();
/// mailwire_pop3::encode::response_code::encode_response_code(&mailwire_pop3::ResponseCode::AUTH, &mut out);
/// assert_eq!(out, b"[AUTH]");
/// ```
pub fn encode_response_code(code: &ResponseCode, out: &mut Vec<u8>) {
    out.push(b'[');
    out.extend_from_slice(code.as_str().as_bytes());
    out.push(b']');
}
