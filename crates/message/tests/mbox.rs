//! mbox round trips: any messages written as mboxrd read back identical;
//! built messages survive mbox and Maildir-style storage.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use mailwire_message::mbox::{MboxFormat, MboxReader, MboxWriter, from_line};
use proptest::prelude::*;

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("From ".to_owned()),
        Just(">From x".to_owned()),
        Just(">>>From y".to_owned()),
        Just("From".to_owned()),
        Just("".to_owned()),
        Just(">".to_owned()),
        "[ -~]{0,20}",
        "(>|From |\r){0,4}[a-z ]{0,5}",
    ]
}

fn message() -> impl Strategy<Value = Vec<u8>> {
    (proptest::collection::vec(line(), 0..12), any::<bool>()).prop_map(|(lines, crlf)| {
        let newline = if crlf { "\r\n" } else { "\n" };
        let mut out = String::new();
        for line in lines {
            out.push_str(&line);
            out.push_str(newline);
        }
        out.into_bytes()
    })
}

proptest! {
    #[test]
    fn mboxrd_round_trip(messages in proptest::collection::vec(message(), 0..6)) {
        let mut writer = MboxWriter::new(Vec::new(), MboxFormat::Mboxrd);
        for (i, m) in messages.iter().enumerate() {
            writer.write_message(from_line(&format!("s{i}@example.org"), 0).as_bytes(), m).unwrap();
        }
        let file = writer.into_inner().unwrap();
        let read: Vec<_> = MboxReader::new(file.as_slice(), MboxFormat::Mboxrd)
            .map(|m| m.unwrap())
            .collect();
        prop_assert_eq!(read.len(), messages.len());
        for (i, (got, want)) in read.iter().zip(&messages).enumerate() {
            prop_assert_eq!(got.data(), want.as_slice());
            let from = format!("From s{i}@example.org Thu Jan  1 00:00:00 1970");
            prop_assert_eq!(got.from_line(), from.as_bytes());
        }
    }

    #[test]
    fn reader_never_panics(file in proptest::collection::vec(any::<u8>(), 0..2000)) {
        for format in [MboxFormat::Mboxrd, MboxFormat::Mboxo] {
            let reader = MboxReader::new(file.as_slice(), format).with_max_message_size(500);
            prop_assert!(reader.take(3000).count() <= 2000);
        }
    }
}

#[test]
fn rfc4155_example_lines() {
    // RFC 4155 §2: a From line, the message, an empty line.
    let file = b"From MAILER-DAEMON Fri Jul  8 12:08:34 2011\nFrom: Author <author@example.com>\nTo: Recipient <recipient@example.com>\nSubject: Sample message 1\n\nThis is the body.\n>From (should be escaped).\nThere are 3 lines.\n\nFrom MAILER-DAEMON Fri Jul  8 12:08:34 2011\nFrom: Author <author@example.com>\nSubject: Sample message 2\n\nThis is the second body.\n\n";
    let messages: Vec<_> = MboxReader::new(&file[..], MboxFormat::Mboxrd)
        .map(|m| m.unwrap())
        .collect();
    assert_eq!(messages.len(), 2);
    assert!(
        messages[0]
            .data()
            .ends_with(b"This is the body.\nFrom (should be escaped).\nThere are 3 lines.\n")
    );
    assert!(messages[1].data().ends_with(b"This is the second body.\n"));
    let parsed = mailwire_message::parse(messages[1].data());
    assert_eq!(
        parsed.header().subject().as_deref(),
        Some("Sample message 2")
    );
    let mut again = MboxWriter::new(Vec::new(), MboxFormat::Mboxrd);
    for m in &messages {
        again.write_message(m.from_line(), m.data()).unwrap();
    }
    assert_eq!(again.into_inner().unwrap(), file);
}
