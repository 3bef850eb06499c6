//! Modified UTF-7 for mailbox names ([RFC 3501 §5.1.3]).
//!
//! IMAP4rev1 sends international mailbox names in a variant of UTF-7:
//! printable ASCII stands for itself except `&`, written `&-`; any other
//! run of characters is `&`, their UTF-16 in modified base64 (`,` instead
//! of `/`, no padding), then `-`. IMAP4rev2 and `UTF8=ACCEPT` use UTF-8
//! instead ([RFC 9051 §5.1], [RFC 6855 §3]).
//!
//! [RFC 3501 §5.1.3]: https://www.rfc-editor.org/rfc/rfc3501#section-5.1.3
//! [RFC 9051 §5.1]: https://www.rfc-editor.org/rfc/rfc9051#section-5.1
//! [RFC 6855 §3]: https://www.rfc-editor.org/rfc/rfc6855#section-3
//!
//! ```
//! use mailwire_imap::utf7::{decode, encode};
//!
//! assert_eq!(encode("~peter/mail/台北/日本語"), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
//! assert_eq!(decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-").unwrap(), "~peter/mail/台北/日本語");
//! assert_eq!(encode("Tom & Jerry"), "Tom &- Jerry");
//! assert!(decode("&Jjo!").is_err());
//! ```

use std::borrow::Cow;

use crate::error::ValueError;

pub use mailwire_core::utf7::encode;

/// Decodes a modified UTF-7 mailbox name; borrows when nothing changes.
///
/// Strict, as [`mailwire_core::utf7::decode`]: a byte outside printable
/// ASCII, an unterminated or badly padded base64 run, a run that encodes
/// printable ASCII, broken UTF-16 or two adjacent runs is an error, which
/// names the rule and the offset.
pub fn decode(name: &str) -> Result<Cow<'_, str>, ValueError> {
    mailwire_core::utf7::decode(name)
        .map_err(|e| ValueError::at(e.expected, name.as_bytes(), e.offset))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn round_trips() {
        for s in ["INBOX", "&", "a&b", "Entwürfe", "日本語", "😀 x", "€&€", ""] {
            assert_eq!(decode(&encode(s)).unwrap(), s, "{s}");
        }
        assert_eq!(encode("Entwürfe"), "Entw&APw-rfe");
    }

    #[test]
    fn rejects() {
        assert!(decode("&AGE-").is_err()); // encodes "a"
        assert!(decode("&APw").is_err()); // unterminated
        assert!(decode("&APx-").is_err()); // nonzero padding bits
        assert!(decode("ü").is_err());
        assert!(decode("&2D0-").is_err()); // lone surrogate
    }
}
