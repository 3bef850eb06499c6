//! Response encoders ([RFC 1939 §3], [RFC 2449 §3], [RFC 5034 §4]).
//!
//! [RFC 1939 §3]: https://www.rfc-editor.org/rfc/rfc1939#section-3
//! [RFC 2449 §3]: https://www.rfc-editor.org/rfc/rfc2449#section-3
//! [RFC 5034 §4]: https://www.rfc-editor.org/rfc/rfc5034#section-4

use mailwire_core::dot::DotEncoder;
use mailwire_sasl::wire;

use super::response_code::encode_response_code;
use crate::types::response::Response;

/// Appends a status line, CRLF included: `+OK`/`-ERR`, then ` [code]` and
/// ` text` when present.
///
/// ```
/// use mailwire_pop3::{Response, ResponseCode, Status};
/// let mut out = Vec::new();
/// mailwire_pop3::encode::response::encode_response(
///     &Response::new_static(Status::Err, Some(ResponseCode::SYS_TEMP), ""),
///     &mut out,
/// );
/// assert_eq!(out, b"-ERR [SYS/TEMP]\r\n");
/// ```
pub fn encode_response(response: &Response, out: &mut Vec<u8>) {
    out.extend_from_slice(response.status.as_str().as_bytes());
    if let Some(code) = &response.code {
        out.push(b' ');
        encode_response_code(code, out);
    }
    if !response.text.is_empty() {
        out.push(b' ');
        out.extend_from_slice(response.text.as_str().as_bytes());
    }
    out.extend_from_slice(b"\r\n");
}

/// Appends a first line and a dot-stuffed multi-line body made of `lines`
/// (each written with CRLF), then the terminating `.` ([RFC 1939 §3]).
///
/// [RFC 1939 §3]: https://www.rfc-editor.org/rfc/rfc1939#section-3
///
/// ```
/// use mailwire_pop3::Response;
/// let mut out = Vec::new();
/// mailwire_pop3::encode::encode_multiline(&Response::ok("").unwrap(), [".hidden"].iter(), &mut out);
/// assert_eq!(out, b"+OK\r\n..hidden\r\n.\r\n");
/// ```
pub fn encode_multiline<I, S>(first: &Response, lines: I, out: &mut Vec<u8>)
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    encode_response(first, out);
    let mut encoder = DotEncoder::new();
    for line in lines {
        encoder.encode(line.as_ref().as_bytes(), out);
        encoder.encode(b"\r\n", out);
    }
    encoder.finish(out);
}

/// Appends an `AUTH` continuation: `+ ` and the base64 challenge, CRLF
/// included ([RFC 5034 §4]).
///
/// [RFC 5034 §4]: https://www.rfc-editor.org/rfc/rfc5034#section-4
///
/// ```
/// let mut out = Vec::new();
/// mailwire_pop3::encode::encode_continuation(b"", &mut out);
/// assert_eq!(out, b"+ \r\n");
/// ```
pub fn encode_continuation(challenge: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(b"+ ");
    wire::encode_challenge(challenge, out);
    out.extend_from_slice(b"\r\n");
}

impl Response {
    /// The status line, CRLF included.
    ///
    /// ```
    /// assert_eq!(mailwire_pop3::Response::ok("").unwrap().to_bytes(), b"+OK\r\n");
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        encode_response(self, &mut out);
        out
    }
}
