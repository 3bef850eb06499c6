//! The wire encoding that SMTP AUTH, POP3 AUTH and IMAP AUTHENTICATE share.
//!
//! Every challenge and response travels as one line of base64 (RFC 4648
//! §4). The three protocols agree on the details:
//!
//! | | SMTP (RFC 4954 §4) | POP3 (RFC 5034 §4) | IMAP (RFC 9051 §6.2.2, RFC 4959) |
//! |---|---|---|---|
//! | challenge | `334 <base64>` | `+ <base64>` | `+ <base64>` |
//! | empty initial response | `=` | `=` | `=` |
//! | cancel | `*` | `*` | `*` |
//! | bad base64 | `501 5.5.2` | `-ERR` | tagged `BAD` |
//!
//! This module deals with the `<base64>` part only: the protocol machines
//! frame lines and add `334 ` or `+ `. Decoding is strict, as all three
//! RFCs require: characters outside the alphabet, whitespace and `=`
//! anywhere but at the end are rejected ([`Error::InvalidBase64`]).
//!
//! # Example
//!
//! A client sends an initial response, the server decodes it:
//!
//! ```
//! use mailwire_sasl::wire::{self, ClientMessage, Limits};
//!
//! let mut line = b"AUTH PLAIN ".to_vec();
//! wire::encode_initial_response(b"\0tim\0tanstaaftanstaaf", &mut line);
//! assert_eq!(line, b"AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
//!
//! let argument = &line[b"AUTH PLAIN ".len()..];
//! match wire::decode_initial_response(argument, &Limits::default()).unwrap() {
//!     ClientMessage::Response(data) => assert_eq!(data.expose_secret(), b"\0tim\0tanstaaftanstaaf"),
//!     ClientMessage::Cancel => unreachable!(),
//! }
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use mailwire_core::Secret;

use crate::Error;

/// The line a client sends to cancel an exchange (RFC 4422 §3.5; RFC 4954
/// §4, RFC 5034 §4, RFC 9051 §6.2.2).
pub const CANCEL: &[u8] = b"*";

/// How a zero-length initial response is written, so that it differs from
/// no initial response at all (RFC 4954 §4, RFC 5034 §4, RFC 9051 §6.2.2).
pub const EMPTY_INITIAL_RESPONSE: &[u8] = b"=";

/// Size limits for encoded challenges and responses.
///
/// ```
/// use mailwire_sasl::wire::Limits;
///
/// let pop3 = Limits { max_encoded_len: 255 - "AUTH PLAIN \r\n".len() };
/// assert!(pop3.max_encoded_len < Limits::default().max_encoded_len);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest base64 text accepted in one challenge or response,
    /// without the protocol's prefix and CRLF.
    ///
    /// RFC 4954 §4 requires peers to handle the largest message of their
    /// mechanisms and deems 12288 octets enough; OAuth 2.0 access tokens
    /// from some providers exceed that once base64-encoded (smtp-proto
    /// issue #9), so the default is 65536.
    pub max_encoded_len: usize,
}

impl Limits {
    /// The line length RFC 4954 §4 considers sufficient for deployed
    /// mechanisms: 12288 octets.
    pub const RFC4954: Limits = Limits {
        max_encoded_len: 12288,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_encoded_len: 65536,
        }
    }
}

/// A decoded client line: a response, or a request to cancel.
///
/// The data stays a [`Secret`]: for `PLAIN` and `LOGIN` it holds the
/// password.
///
/// The set is closed (RFC 4422 §3.5: a client line is data or an abort), so
/// the enum is exhaustive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientMessage {
    /// Response data (possibly empty).
    Response(Secret<Vec<u8>>),
    /// The client cancelled the exchange with `*` (RFC 4422 §3.5).
    Cancel,
}

/// The number of base64 characters that encode `len` bytes (RFC 4648 §4).
///
/// Clients use it to decide whether an initial response fits on the
/// command line (RFC 4954 §4: 512 octets; RFC 5034 §4: 255 octets); if it
/// does not, they send the command without it and answer the server's
/// empty challenge instead.
///
/// ```
/// use mailwire_sasl::wire::encoded_len;
/// assert_eq!(encoded_len(0), 0);
/// assert_eq!(encoded_len(1), 4);
/// assert_eq!(encoded_len(21), 28);
/// ```
pub fn encoded_len(len: usize) -> usize {
    len.div_ceil(3).saturating_mul(4)
}

/// Appends the base64 encoding of an initial response to `out`, writing
/// `=` for an empty one (RFC 4954 §4, RFC 5034 §4, RFC 9051 §6.2.2).
///
/// ```
/// let mut out = Vec::new();
/// mailwire_sasl::wire::encode_initial_response(b"", &mut out);
/// assert_eq!(out, b"=");
/// ```
pub fn encode_initial_response(data: &[u8], out: &mut Vec<u8>) {
    if data.is_empty() {
        out.extend_from_slice(EMPTY_INITIAL_RESPONSE);
    } else {
        encode(data, out);
    }
}

/// Appends the base64 encoding of a response to a challenge to `out`; an
/// empty response is an empty line.
///
/// ```
/// let mut out = Vec::new();
/// mailwire_sasl::wire::encode_response(b"tim", &mut out);
/// assert_eq!(out, b"dGlt");
/// ```
pub fn encode_response(data: &[u8], out: &mut Vec<u8>) {
    encode(data, out);
}

/// Appends the base64 encoding of a server challenge to `out`; an empty
/// challenge is empty text (SMTP sends `334 `, POP3 and IMAP `+ `).
///
/// ```
/// let mut out = b"334 ".to_vec();
/// mailwire_sasl::wire::encode_challenge(b"Username:", &mut out);
/// assert_eq!(out, b"334 VXNlcm5hbWU6");
/// ```
pub fn encode_challenge(data: &[u8], out: &mut Vec<u8>) {
    encode(data, out);
}

fn encode(data: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start.saturating_add(encoded_len(data.len())), 0);
    if let Some(tail) = out.get_mut(start..) {
        // The slice is exactly as long as the encoding, so this cannot fail.
        let written = STANDARD.encode_slice(data, tail).unwrap_or(0);
        out.truncate(start.saturating_add(written));
    }
}

/// Decodes the initial-response argument of `AUTH`/`AUTHENTICATE`: `=` is
/// an empty response (RFC 4954 §4, RFC 5034 §4, RFC 9051 §6.2.2).
///
/// `*` is not allowed here; it is reported as [`Error::InvalidBase64`].
///
/// ```
/// use mailwire_sasl::wire::{decode_initial_response, ClientMessage, Limits};
/// use mailwire_core::Secret;
///
/// assert_eq!(
///     decode_initial_response(b"=", &Limits::default()),
///     Ok(ClientMessage::Response(Secret::new(Vec::new())))
/// );
/// ```
pub fn decode_initial_response(text: &[u8], limits: &Limits) -> Result<ClientMessage, Error> {
    check_len(text, limits)?;
    if text == EMPTY_INITIAL_RESPONSE {
        return Ok(ClientMessage::Response(Secret::new(Vec::new())));
    }
    decode(text).map(|d| ClientMessage::Response(Secret::new(d)))
}

/// Decodes a client's line during an exchange: `*` cancels it (RFC 4422
/// §3.5), an empty line is an empty response, anything else must be strict
/// base64.
///
/// A lone `=` is also taken as an empty response, as several servers do.
///
/// ```
/// use mailwire_sasl::wire::{decode_response, ClientMessage, Limits};
///
/// assert_eq!(decode_response(b"*", &Limits::default()), Ok(ClientMessage::Cancel));
/// match decode_response(b"dGlt", &Limits::default()).unwrap() {
///     ClientMessage::Response(data) => assert_eq!(data.expose_secret(), b"tim"),
///     ClientMessage::Cancel => unreachable!(),
/// }
/// ```
pub fn decode_response(line: &[u8], limits: &Limits) -> Result<ClientMessage, Error> {
    check_len(line, limits)?;
    if line == CANCEL {
        return Ok(ClientMessage::Cancel);
    }
    if line == EMPTY_INITIAL_RESPONSE {
        return Ok(ClientMessage::Response(Secret::new(Vec::new())));
    }
    decode(line).map(|d| ClientMessage::Response(Secret::new(d)))
}

/// Decodes a server challenge: the text after `334 ` (SMTP) or `+ `
/// (POP3, IMAP). Empty text is an empty challenge.
///
/// ```
/// use mailwire_sasl::wire::{decode_challenge, Limits};
/// assert_eq!(decode_challenge(b"VXNlcm5hbWU6", &Limits::default()).unwrap(), b"Username:");
/// assert_eq!(decode_challenge(b"", &Limits::default()).unwrap(), b"");
/// ```
pub fn decode_challenge(text: &[u8], limits: &Limits) -> Result<Vec<u8>, Error> {
    check_len(text, limits)?;
    decode(text)
}

fn check_len(text: &[u8], limits: &Limits) -> Result<(), Error> {
    if text.len() > limits.max_encoded_len {
        return Err(Error::LimitExceeded {
            what: "encoded line length",
            limit: limits.max_encoded_len,
            actual: text.len(),
        });
    }
    Ok(())
}

/// Strict base64 decoding: padding required, no whitespace, no stray `=`.
pub(crate) fn decode(text: &[u8]) -> Result<Vec<u8>, Error> {
    STANDARD.decode(text).map_err(|e| match e {
        base64::DecodeError::InvalidByte(offset, _) => Error::InvalidBase64 { offset },
        base64::DecodeError::InvalidLastSymbol(offset, _) => Error::InvalidBase64 { offset },
        // A length that is not a multiple of four, or missing padding: the
        // error is at the end.
        base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidPadding => {
            Error::InvalidBase64 { offset: text.len() }
        }
    })
}

/// Base64 encoding without the empty-response conventions, for attribute
/// values inside messages (SCRAM `c=`, `p=`, `s=`, `v=`).
pub(crate) fn encode_to_string(data: &[u8]) -> String {
    STANDARD.encode(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(line: &[u8]) -> Result<Vec<u8>, Error> {
        match decode_response(line, &Limits::default())? {
            ClientMessage::Response(d) => Ok(d.into_exposed()),
            ClientMessage::Cancel => Ok(b"<cancel>".to_vec()),
        }
    }

    #[test]
    fn encode_conventions() {
        let mut out = Vec::new();
        encode_initial_response(b"", &mut out);
        assert_eq!(out, b"=");
        out.clear();
        encode_response(b"", &mut out);
        assert_eq!(out, b"");
        out.clear();
        encode_challenge(b"<1896.697170952@postoffice.reston.mci.net>", &mut out);
        // RFC 2195 §2.
        assert_eq!(
            out,
            b"PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+"
        );
    }

    #[test]
    fn decode_conventions() {
        assert_eq!(response(b"*").unwrap(), b"<cancel>");
        assert_eq!(response(b"").unwrap(), b"");
        assert_eq!(response(b"=").unwrap(), b"");
        assert_eq!(response(b"AQ==").unwrap(), b"\x01");
        assert_eq!(
            decode_initial_response(b"*", &Limits::default()),
            Err(Error::InvalidBase64 { offset: 0 })
        );
    }

    #[test]
    fn strict_base64() {
        // RFC 4954 §4 and RFC 9051 §6.2.2 name these two.
        assert_eq!(response(b"=AAA"), Err(Error::InvalidBase64 { offset: 0 }));
        assert_eq!(
            response(b"AAA=BBB"),
            Err(Error::InvalidBase64 { offset: 3 })
        );
        assert_eq!(response(b"dG lt"), Err(Error::InvalidBase64 { offset: 2 }));
        assert_eq!(
            response(b"dGlt\r\n"),
            Err(Error::InvalidBase64 { offset: 4 })
        );
        assert_eq!(response(b"dGl"), Err(Error::InvalidBase64 { offset: 3 }));
        assert_eq!(response(b"AQ"), Err(Error::InvalidBase64 { offset: 2 }));
        // Non-zero trailing bits are not canonical.
        assert_eq!(response(b"AR=="), Err(Error::InvalidBase64 { offset: 1 }));
        assert_eq!(
            response(b"dGlt-A=="),
            Err(Error::InvalidBase64 { offset: 4 })
        );
    }

    #[test]
    fn limits() {
        let limits = Limits { max_encoded_len: 4 };
        assert_eq!(
            decode_response(b"dGltdGlt", &limits),
            Err(Error::LimitExceeded {
                what: "encoded line length",
                limit: 4,
                actual: 8
            })
        );
        assert!(decode_challenge(b"dGlt", &limits).is_ok());
        assert!(decode_initial_response(b"dGltdGlt", &limits).is_err());
    }

    #[test]
    fn long_oauth_token_fits_default() {
        let token = vec![b'x'; 30_000];
        let mut out = Vec::new();
        encode_initial_response(&token, &mut out);
        assert_eq!(out.len(), encoded_len(token.len()));
        assert!(out.len() > Limits::RFC4954.max_encoded_len);
        assert_eq!(response(&out).unwrap(), token);
    }
}
