//! Modified UTF-7 ([RFC 3501 §5.1.3]): every name round-trips, encoded
//! names are printable ASCII, and `Mailbox` applies it.
#![allow(clippy::unwrap_used)]

use mailwire_imap::{Mailbox, utf7};
use proptest::prelude::*;

proptest! {
    #[test]
    fn round_trip(name in any::<String>()) {
        let encoded = utf7::encode(&name);
        prop_assert!(encoded.bytes().all(|b| (0x20..=0x7e).contains(&b)));
        prop_assert_eq!(utf7::decode(&encoded).unwrap(), name.as_str());
    }

    #[test]
    fn mailbox_names(name in "[a-zA-Z &/.äöü日本😀-]{1,12}") {
        let rev1 = Mailbox::from_utf8_name(&name, false).unwrap();
        prop_assert_eq!(rev1.to_utf8_name(false).unwrap(), name.as_str());
        let rev2 = Mailbox::from_utf8_name(&name, true).unwrap();
        prop_assert_eq!(rev2.to_utf8_name(true).unwrap(), name.as_str());
    }

    #[test]
    fn decode_never_panics(text in "[ -~]{0,24}") {
        let _ = utf7::decode(&text);
    }
}

#[test]
fn rfc_3501_example() {
    assert_eq!(
        utf7::decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-").unwrap(),
        "~peter/mail/台北/日本語"
    );
}
