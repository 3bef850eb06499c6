//! The stored form round-trips, and reading arbitrary bytes never panics.
#![allow(clippy::unwrap_used)]

use mailwire_junk::{Label, Model};
use proptest::prelude::*;

proptest! {
    #[test]
    fn round_trip(messages in proptest::collection::vec((proptest::collection::vec("[a-zé]{1,12}", 0..20), any::<bool>()), 0..20)) {
        let mut model = Model::new();
        for (tokens, junk) in &messages {
            model.train_tokens(tokens, if *junk { Label::Junk } else { Label::Ham });
        }
        let bytes = model.to_bytes();
        let back = Model::from_bytes(&bytes).unwrap();
        prop_assert_eq!(back.to_bytes(), bytes);
        prop_assert_eq!(back, model);
    }

    #[test]
    fn arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut prefixed = b"MWJK\x01".to_vec();
        prefixed.extend_from_slice(&data);
        let _ = Model::from_bytes(&data);
        let _ = Model::from_bytes(&prefixed);
    }

    #[test]
    fn score_is_a_probability(text in "[ -~\r\n]{0,400}") {
        let mut model = Model::new();
        model.train(&mailwire_message::parse(b"Subject: a b c\r\n\r\nham words here\r\n"), Label::Ham);
        model.train(&mailwire_message::parse(b"Subject: x y z\r\n\r\njunk words there\r\n"), Label::Junk);
        let s = model.score(&mailwire_message::parse(text.as_bytes()));
        prop_assert!((0.0..=1.0).contains(&s));
    }
}
