//! EHLO reply encoder ([RFC 5321 §4.1.1.1]).
//!
//! [RFC 5321 §4.1.1.1]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.1
//!
//! ```
//! use mailwire_smtp::encode::encode_ehlo_reply;
//! use mailwire_smtp::{Capabilities, EhloReply, Text};
//! let ehlo = EhloReply {
//!     domain: Text::try_from("mx").unwrap(),
//!     greeting: Some(Text::try_from("hi").unwrap()),
//!     capabilities: Capabilities::default(),
//! };
//! let mut out = Vec::new();
//! encode_ehlo_reply(&ehlo, &mut out);
//! assert_eq!(out, b"250 mx hi\r\n");
//! ```

use crate::types::capability::EhloReply;

/// Appends an EHLO reply.
pub fn encode_ehlo_reply(ehlo: &EhloReply, out: &mut Vec<u8>) {
    super::encode_reply(&ehlo.to_reply(), out);
}
