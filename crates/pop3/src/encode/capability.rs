//! The capability-line encoder ([RFC 2449 §6]).
//!
//! [RFC 2449 §6]: https://www.rfc-editor.org/rfc/rfc2449#section-6

use crate::types::capability::Capability;

/// Appends one capability line, CRLF included.
///
/// ```
/// let mut out = Vec::new();
/// mailwire_pop3::encode::capability::encode_capability(&mailwire_pop3::Capability::Pipelining, &mut out);
/// assert_eq!(out, b"PIPELINING\r\n");
/// ```
pub fn encode_capability(capability: &Capability, out: &mut Vec<u8>) {
    out.extend_from_slice(capability.to_string().as_bytes());
    out.extend_from_slice(b"\r\n");
}

impl Capability {
    /// The capability line, CRLF included.
    ///
    /// ```
    /// assert_eq!(mailwire_pop3::Capability::Top.to_bytes(), b"TOP\r\n");
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        encode_capability(self, &mut out);
        out
    }
}
