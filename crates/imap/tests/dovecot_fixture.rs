//! Every response Dovecot sent in the captured session
//! (`fixtures/dovecot-server.txt`, made by `fixtures/capture.sh`) parses
//! strictly, and encodes back to the same bytes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mailwire_imap::{
    Frame, Framer, Limits, MessageAttribute, ParserConfig, Response, Untagged, parse_command,
    parse_greeting, parse_response,
};

const SERVER: &[u8] = include_bytes!("fixtures/dovecot-server.txt");
const CLIENT: &[u8] = include_bytes!("fixtures/dovecot-client.txt");

fn messages(bytes: &[u8], mut framer: Framer) -> Vec<Vec<u8>> {
    framer.push(bytes);
    let mut out = Vec::new();
    while let Some(frame) = framer.next() {
        if let Frame::Message(m) = frame.unwrap() {
            out.push(m.bytes().to_vec());
        }
    }
    assert!(!framer.is_mid_message());
    out
}

#[test]
fn every_dovecot_response_parses_strictly() {
    let config = ParserConfig::default();
    let all = messages(SERVER, Framer::client(Limits::default()));
    assert!(all.len() > 150, "{}", all.len());
    let greeting = parse_greeting(&all[0], &config).unwrap();
    assert_eq!(greeting.encode().to_vec(), all[0]);
    let mut kinds = std::collections::BTreeMap::new();
    for message in &all[1..] {
        let response = parse_response(message, &config)
            .unwrap_or_else(|e| panic!("{e}: {}", message.escape_ascii()));
        *kinds.entry(response.kind()).or_insert(0) += 1;
        if let Response::Untagged(Untagged::Fetch { items, .. }) = &response {
            for item in items.iter() {
                assert!(!matches!(
                    item,
                    MessageAttribute::Unparsed(_) | MessageAttribute::Other { .. }
                ));
            }
        }
        let again = response.encode().to_vec();
        assert_eq!(
            parse_response(&again, &config).unwrap(),
            response,
            "{}",
            message.escape_ascii()
        );
        // Dovecot quotes or uses literals as this crate would, except for
        // atoms it sends quoted; the second encoding is stable.
        assert_eq!(
            parse_response(&again, &config).unwrap().encode().to_vec(),
            again
        );
    }
    for kind in [
        "CAPABILITY",
        "ENABLED",
        "NAMESPACE",
        "LIST",
        "LSUB",
        "STATUS",
        "FLAGS",
        "EXISTS",
        "RECENT",
        "FETCH",
        "SEARCH",
        "ESEARCH",
        "SORT",
        "THREAD",
        "QUOTA",
        "QUOTAROOT",
        "ID",
        "VANISHED",
        "OK",
        "tagged",
        "continue",
    ] {
        assert!(
            kinds.contains_key(kind),
            "no {kind} in the capture: {kinds:?}"
        );
    }
}

#[test]
fn every_captured_command_parses() {
    let config = ParserConfig::default();
    for message in messages(CLIENT, Framer::server(Limits::default())) {
        if message.ends_with(b" BOGUS\r\n") {
            let err = parse_command(&message, &config).unwrap_err();
            assert_eq!((err.offset(), err.expected()), (Some(4), Some("command")));
            continue;
        }
        let command = parse_command(&message, &config)
            .unwrap_or_else(|e| panic!("{e}: {}", message.escape_ascii()));
        assert_eq!(
            parse_command(&command.encode().to_vec(), &config).unwrap(),
            command
        );
    }
}
