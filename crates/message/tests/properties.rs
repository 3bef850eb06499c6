//! Property tests: lossless re-emit and streaming agreement on arbitrary
//! and on generated messages, and decode-after-encode round trips.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use base64::Engine as _;
use mailwire_message::address::{AddrSpec, AddressList, LocalPart, Mode};
use mailwire_message::limits::Limits;
use mailwire_message::stream::parse_chunks;
use mailwire_message::transfer::{base64 as b64, quoted_printable as qp};
use mailwire_message::{Body, parse};
use proptest::prelude::*;

/// Bytes made of message-like pieces, so that the parser's branches are
/// reached often.
fn mail_like() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"\r\n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"--b".to_vec()),
        Just(b"--b--".to_vec()),
        Just(b"Content-Type: multipart/mixed; boundary=b\r\n".to_vec()),
        Just(b"Content-Type: message/rfc822\r\n".to_vec()),
        Just(b"Content-Transfer-Encoding: base64\r\n".to_vec()),
        Just(b"Subject: x\r\n".to_vec()),
        Just(b" ".to_vec()),
        Just(b":".to_vec()),
        Just(b"From ".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..8),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn splits(len: usize) -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(0..=len, 0..8)
}

fn chunks<'a>(input: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut cuts: Vec<usize> = cuts.iter().map(|&c| c.min(input.len())).collect();
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut last = 0;
    for c in cuts {
        out.push(&input[last..c]);
        last = c;
    }
    out.push(&input[last..]);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_reemit_exactly(input in proptest::collection::vec(any::<u8>(), 0..512)) {
        prop_assert_eq!(parse(&input).to_bytes(), input);
    }

    #[test]
    fn mail_like_bytes_reemit_and_stream_the_same(
        (input, cuts) in mail_like().prop_flat_map(|v| { let n = v.len(); (Just(v), splits(n)) })
    ) {
        let whole = parse(&input);
        prop_assert_eq!(whole.to_bytes(), input.clone());
        let streamed = parse_chunks(chunks(&input, &cuts), Limits::default());
        prop_assert_eq!(streamed, whole);
        let small = Limits::default().with_max_field_size(16).with_max_depth(2).with_max_parts(3).with_max_fields(2);
        let whole = mailwire_message::parse_with(&input, small);
        prop_assert_eq!(whole.to_bytes(), input.clone());
        prop_assert_eq!(parse_chunks(chunks(&input, &cuts), small), whole);
    }

    #[test]
    fn generated_multiparts_have_their_parts(
        bodies in proptest::collection::vec("[a-z \r\n-]{0,40}", 1..6),
        preamble in "[a-z ]{0,20}",
        cut in 0usize..400,
    ) {
        let mut input = format!("Content-Type: multipart/mixed; boundary=\"=_b\"\r\n\r\n{preamble}\r\n");
        for body in &bodies {
            input.push_str(&format!("--=_b\r\nContent-Type: text/plain\r\n\r\n{body}\r\n"));
        }
        input.push_str("--=_b--\r\nepilogue");
        let message = parse(input.as_bytes());
        prop_assert!(message.defects().is_empty());
        let Body::Multipart(m) = message.root().body() else { panic!("not multipart") };
        prop_assert_eq!(m.preamble(), preamble.as_bytes());
        prop_assert_eq!(m.parts().len(), bodies.len());
        for (part, body) in m.parts().iter().zip(&bodies) {
            prop_assert_eq!(part.body_bytes(), body.as_bytes());
        }
        prop_assert_eq!(m.epilogue(), b"epilogue");
        let cut = cut.min(input.len());
        let streamed = parse_chunks([&input.as_bytes()[..cut], &input.as_bytes()[cut..]], Limits::default());
        prop_assert_eq!(streamed, message);
    }

    #[test]
    fn base64_round_trip(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        let encoded = base64::engine::general_purpose::STANDARD.encode(&data);
        let wrapped: Vec<u8> = encoded.as_bytes().chunks(76).flat_map(|l| [l, b"\r\n"].concat()).collect();
        let (decoded, defects) = b64::decode(&wrapped, 0);
        prop_assert_eq!(decoded, data);
        prop_assert!(defects.is_empty());
    }

    #[test]
    fn quoted_printable_round_trip(text in proptest::collection::vec(any::<u8>(), 0..300)) {
        // A minimal encoder: every byte but safe ASCII as =XX, soft breaks
        // every 60 characters.
        let mut encoded = Vec::new();
        let mut line = 0;
        for &b in &text {
            let piece = if (33..=126).contains(&b) && b != b'=' { vec![b] } else { format!("={b:02X}").into_bytes() };
            if line + piece.len() > 60 {
                encoded.extend_from_slice(b"=\r\n");
                line = 0;
            }
            line += piece.len();
            encoded.extend(piece);
        }
        let (decoded, defects) = qp::decode(&encoded, 0);
        prop_assert_eq!(decoded, text);
        prop_assert!(defects.is_empty());
    }

    #[test]
    fn local_parts_round_trip(content in "[ -~]{1,30}") {
        let local = LocalPart::from_content(&content);
        prop_assert_eq!(local.content(), content.as_str());
        let text = format!("{}@example.org", local.as_str());
        if text.len() <= 64 + 12 && local.as_str().len() <= 64 {
            let spec = AddrSpec::try_from(text.as_str()).unwrap();
            prop_assert_eq!(spec.local_part().content(), content.as_str());
            let (list, defects) = AddressList::parse(text.as_bytes(), Mode::Strict);
            prop_assert!(defects.is_empty(), "{:?}", defects);
            let mailbox = list.mailboxes().next().unwrap();
            prop_assert_eq!(mailbox.addr_spec().unwrap(), &spec);
        }
    }
}
