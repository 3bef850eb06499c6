//! Modified UTF-7 for mailbox names ([RFC 3501 §5.1.3]), the encoding
//! Dovecot uses for Maildir++ folder directory names.
//!
//! ```
//! use mailwire_maildir::utf7::{decode, encode};
//! assert_eq!(encode("Entwürfe"), "Entw&APw-rfe");
//! assert_eq!(decode("Entw&APw-rfe").as_deref(), Some("Entwürfe"));
//! assert_eq!(encode("Tom & Jerry"), "Tom &- Jerry");
//! ```
//!
//! [RFC 3501 §5.1.3]: https://www.rfc-editor.org/rfc/rfc3501#section-5.1.3

use std::borrow::Cow;

/// Encodes a folder name level in modified UTF-7.
pub fn encode(name: &str) -> String {
    mailwire_core::utf7::encode(name).into_owned()
}

/// Decodes a modified UTF-7 directory name level; `None` unless it is the
/// canonical encoding (see [`mailwire_core::utf7::decode`]).
pub fn decode(name: &str) -> Option<String> {
    mailwire_core::utf7::decode(name).ok().map(Cow::into_owned)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rfc3501_example() {
        // RFC 3501 §5.1.3: "~peter/mail/台北/日本語".
        let utf8 = "~peter/mail/\u{53f0}\u{5317}/\u{65e5}\u{672c}\u{8a9e}";
        assert_eq!(encode(utf8), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        assert_eq!(decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-").unwrap(), utf8);
    }

    #[test]
    fn dovecot_names() {
        assert_eq!(encode("Entwürfe"), "Entw&APw-rfe");
        assert_eq!(encode("Gelöschte Elemente"), "Gel&APY-schte Elemente");
        assert_eq!(encode("😀"), "&2D3eAA-");
        assert_eq!(decode("&2D3eAA-").unwrap(), "😀");
        assert_eq!(decode("&-").unwrap(), "&");
    }

    #[test]
    fn rejects_non_canonical() {
        assert_eq!(decode("&AGE-"), None); // 'a' shifted
        assert_eq!(decode("&U,BTFw"), None); // unterminated
        assert_eq!(decode("&U,BTF-"), None); // non-zero padding bits
        assert_eq!(decode("&2D0-"), None); // lone surrogate
        assert_eq!(decode("&U,A-&U,A-"), None); // adjacent shifts
        assert_eq!(decode("a\u{e9}"), None); // 8-bit
        assert_eq!(decode("&Jjo!-"), None); // bad base64
    }

    proptest::proptest! {
        #[test]
        fn round_trip(s in "\\PC{0,20}") {
            let e = encode(&s);
            proptest::prop_assert!(e.is_ascii());
            proptest::prop_assert_eq!(decode(&e), Some(s));
        }
    }
}
