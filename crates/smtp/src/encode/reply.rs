//! Reply encoder ([RFC 5321 §4.2], [RFC 2034 §4]).
//!
//! [RFC 5321 §4.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.2
//! [RFC 2034 §4]: https://www.rfc-editor.org/rfc/rfc2034#section-4
//!
//! The enhanced status code, if any, starts every line.
//!
//! ```
//! use mailwire_smtp::encode::encode_reply;
//! use mailwire_smtp::{EnhancedCode, Reply, ReplyCode};
//! let mut reply = Reply::new(ReplyCode::MAILBOX_UNAVAILABLE, "No such user").unwrap()
//!     .with_enhanced(EnhancedCode::BAD_DESTINATION_MAILBOX);
//! reply.push_line("Try another").unwrap();
//! let mut out = Vec::new();
//! encode_reply(&reply, &mut out);
//! assert_eq!(out, b"550-5.1.1 No such user\r\n550 5.1.1 Try another\r\n");
//! ```

use std::io::Write as _;

use crate::types::reply::Reply;

/// Appends a reply, every line with its CRLF.
pub fn encode_reply(reply: &Reply<'_>, out: &mut Vec<u8>) {
    let count = reply.lines().len();
    for (i, line) in reply.lines().iter().enumerate() {
        let separator = if i.saturating_add(1) == count {
            ' '
        } else {
            '-'
        };
        let _ = write!(out, "{:03}", reply.code().get());
        match reply.enhanced() {
            Some(enhanced) => {
                let _ = write!(out, "{separator}{enhanced}");
                if !line.as_str().is_empty() {
                    out.push(b' ');
                    out.extend_from_slice(line.as_str().as_bytes());
                }
            }
            None => {
                if !line.as_str().is_empty() || separator == '-' {
                    out.push(separator as u8);
                    out.extend_from_slice(line.as_str().as_bytes());
                }
            }
        }
        out.extend_from_slice(b"\r\n");
    }
}

/// Appends a `334` server challenge: base64, or nothing after `334 `
/// for an empty challenge ([RFC 4954 §4]).
///
/// [RFC 4954 §4]: https://www.rfc-editor.org/rfc/rfc4954#section-4
///
/// ```
/// use mailwire_smtp::encode::reply::encode_auth_challenge;
/// let mut out = Vec::new();
/// encode_auth_challenge(b"", &mut out);
/// encode_auth_challenge(b"hi", &mut out);
/// assert_eq!(out, b"334 \r\n334 aGk=\r\n");
/// ```
pub fn encode_auth_challenge(challenge: &[u8], out: &mut Vec<u8>) {
    use base64::Engine as _;
    out.extend_from_slice(b"334 ");
    out.extend_from_slice(
        base64::engine::general_purpose::STANDARD
            .encode(challenge)
            .as_bytes(),
    );
    out.extend_from_slice(b"\r\n");
}
