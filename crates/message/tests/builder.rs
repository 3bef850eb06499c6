//! The builder: known-answer folding tests, every built message reparsed
//! without defects, proptest round trips.
//!
//! With `MAILWIRE_BUILT_DIR` set, the sample messages are also written
//! there (one `.eml` file each) for `builder-python.sh` to check with
//! Python's `email` package.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::Read;

use chrono::DateTime;
use mailwire_message::builder::{
    BuildError, ForwardMode, MessageBuilder, PartBuilder, Transport, mailbox,
};
use mailwire_message::msgid::MsgId;
use mailwire_message::transfer::TransferEncoding;
use mailwire_message::{Body, Message, Part, parse};
use proptest::prelude::*;

fn fixed(builder: MessageBuilder<'_>) -> MessageBuilder<'_> {
    builder.clock(
        DateTime::parse_from_rfc2822("Tue, 1 Jul 2025 10:00:00 +0200").unwrap(),
        0x5eed,
    )
}

fn build(builder: MessageBuilder<'_>) -> Vec<u8> {
    fixed(builder).to_vec().unwrap()
}

/// Every line at most 998 octets (78 in the header), CRLF only.
fn check_lines(message: &[u8]) {
    let mut in_header = true;
    let mut rest = message;
    while !rest.is_empty() {
        // The last line may lack its CRLF (RFC 5322 §3.5 body).
        let end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .unwrap_or(rest.len());
        let line = &rest[..end];
        assert!(
            !line.contains(&b'\r') && !line.contains(&b'\n'),
            "bare CR or LF"
        );
        assert!(line.len() <= 998, "line of {} octets", line.len());
        if in_header {
            assert!(
                line.len() <= 78,
                "header line of {} octets: {}",
                line.len(),
                String::from_utf8_lossy(line)
            );
            in_header = !line.is_empty();
        }
        rest = rest.get(end + 2..).unwrap_or_default();
    }
}

fn check_parts(part: &Part<'_>) {
    for p in part.parts() {
        check_parts(p);
    }
    if let Body::Message(inner) = part.body() {
        check_parts(inner);
    }
}

/// Parses `message`, asserting no defects and sane lines.
fn reparse(message: &[u8]) -> Message<'_> {
    check_lines(message);
    let parsed = parse(message);
    assert!(
        parsed.defects().is_empty(),
        "{:?}\n{}",
        parsed.defects(),
        String::from_utf8_lossy(message)
    );
    check_parts(parsed.root());
    parsed
}

fn samples() -> Vec<(&'static str, Vec<u8>)> {
    let long_word = "x".repeat(200);
    let mut many = fixed(MessageBuilder::new())
        .from(mailbox("Sender <sender@example.org>").unwrap())
        .subject("Many recipients");
    for i in 0..60 {
        many =
            many.to(mailbox(&format!("Recipient Number {i} <recipient.{i}@example.org>")).unwrap());
    }
    let attachment: Vec<u8> = (0..100_000u32).map(|i| (i * 31 % 251) as u8).collect();
    let nested = MessageBuilder::new()
        .without_generated_fields()
        .from(mailbox("inner@example.org").unwrap())
        .subject("Inner message é")
        .text("Inner body\n");
    let original: &'static [u8] = b"From: Ann <ann@example.org>\r\nTo: bob@example.net\r\nMessage-ID: <7@example.org>\r\n\
Subject: =?utf-8?q?R=C3=A9union?=\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nOn se voit \xc3\xa0 midi ?\r\n";
    let parsed = parse(original);
    let me = mailbox("bob@example.net").unwrap();
    let reply = build(MessageBuilder::reply(&parsed, Some(&me), true, "Oui.").from(me.clone()));
    let forward_inline = build(
        MessageBuilder::forward(&parsed, original, ForwardMode::Inline, "FYI").from(me.clone()),
    );
    let forward_attached =
        build(MessageBuilder::forward(&parsed, original, ForwardMode::Attachment, "FYI").from(me));
    vec![
        ("reply", reply),
        ("forward-inline", forward_inline),
        ("forward-attached", forward_attached),
        ("simple", build(MessageBuilder::new().from(mailbox("a@example.org").unwrap()).subject("Hi").text("Hello\n"))),
        ("long-word", build(MessageBuilder::new().subject(format!("Before {long_word} after")))),
        ("many-recipients", many.to_vec().unwrap()),
        (
            "cjk-emoji",
            build(
                MessageBuilder::new()
                    .from(mailbox("山田太郎 <taro@example.jp>").unwrap())
                    .to(mailbox("Zoë \"Z\" O'Brien <zoe@bücher.example>").unwrap())
                    .subject("会議の議事録 📅 について、よろしくお願いします 🙏🏽 and some English words too")
                    .text("こんにちは 👋\n"),
            ),
        ),
        (
            "alternative-related-mixed",
            build(
                MessageBuilder::new()
                    .from(mailbox("a@example.org").unwrap())
                    .subject("Report")
                    .text("Plain\n")
                    .html("<p>HTML <img src=\"cid:logo@example.org\"></p>\n")
                    .inline(PartBuilder::bytes("image/png", b"\x89PNG\r\n\x1a\n".as_slice()).inline("logo@example.org"))
                    .attachment(PartBuilder::bytes("application/octet-stream", attachment).attachment("données très longues du rapport trimestriel de l'année 2025 — version finale.bin"))
                    .attachment(PartBuilder::reader("text/plain", &b"read\nfrom a reader \n"[..]).attachment("notes.txt")),
            ),
        ),
        (
            "nested",
            build(
                MessageBuilder::new()
                    .subject("Nested")
                    .text("See attached\n")
                    .attachment(PartBuilder::message(nested)),
            ),
        ),
        (
            "eight-bit",
            build(MessageBuilder::new().transport(Transport::EightBit).subject("8bit").text("Grüße\n")),
        ),
        (
            "boundary-lookalike",
            build(MessageBuilder::new().subject("x").text("a\n--=_mw0000000000005eed.00000001\nb\n").attachment(PartBuilder::text("t"))),
        ),
    ]
}

#[test]
fn samples_reparse_without_defects() {
    let dir = std::env::var_os("MAILWIRE_BUILT_DIR");
    for (name, message) in samples() {
        let parsed = reparse(&message);
        assert!(parsed.header().get("message-id").is_some(), "{name}");
        assert!(parsed.header().date().is_some(), "{name}");
        if let Some(dir) = &dir {
            std::fs::write(
                std::path::Path::new(dir).join(format!("{name}.eml")),
                &message,
            )
            .unwrap();
        }
    }
}

#[test]
fn known_answer_simple() {
    let message = build(
        MessageBuilder::new()
            .from(mailbox("Ann Example <ann@example.org>").unwrap())
            .to(mailbox("bob@example.net").unwrap())
            .subject("Hello")
            .message_id(MsgId::new("1@example.org").unwrap())
            .text("Hi Bob\n"),
    );
    assert_eq!(
        String::from_utf8(message).unwrap(),
        "Date: Tue, 01 Jul 2025 10:00:00 +0200\r\n\
         From: Ann Example <ann@example.org>\r\n\
         To: bob@example.net\r\n\
         Subject: Hello\r\n\
         Message-ID: <1@example.org>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         \r\n\
         Hi Bob\r\n"
    );
}

#[test]
fn folding_200_character_word() {
    let word = "y".repeat(200);
    let message = build(MessageBuilder::new().subject(format!("a {word} b")));
    let parsed = reparse(&message);
    assert_eq!(parsed.header().subject().unwrap(), format!("a {word} b"));
    let raw = parsed.header().get("subject").unwrap().raw_value();
    // The word is cut into encoded words of at most 75 octets.
    assert!(
        raw.split(|&b| b == b' ' || b == b'\n')
            .all(|w| w.len() <= 76)
    );
    assert!(raw.starts_with(b" a =?utf-8?q?yyyy"));
}

#[test]
fn folding_long_address_list() {
    let (_, message) = samples()
        .into_iter()
        .find(|(n, _)| *n == "many-recipients")
        .unwrap();
    let parsed = reparse(&message);
    let to = parsed.header().to().unwrap();
    let addresses: Vec<_> = to
        .mailboxes()
        .map(|m| (m.name().unwrap().to_owned(), m.raw_address().to_owned()))
        .collect();
    assert_eq!(addresses.len(), 60);
    assert_eq!(
        addresses[59],
        (
            "Recipient Number 59".to_owned(),
            "recipient.59@example.org".to_owned()
        )
    );
    let field = parsed.header().get("to").unwrap().raw();
    // Folded between mailboxes or inside names, never inside an address.
    for line in field
        .split(|&b| b == b'\n')
        .skip(1)
        .filter(|l| !l.is_empty())
    {
        assert!(line.starts_with(b" "));
    }
}

#[test]
fn folding_encoded_word_at_the_fold() {
    // ASCII words fill the first line up to the fold; the non-ASCII word
    // must move whole to the next line or be cut on a character boundary.
    for pad in 40..75 {
        let subject = format!("{} é😀é😀é😀é😀é😀", "p".repeat(pad));
        let message = build(MessageBuilder::new().subject(subject.clone()));
        let parsed = reparse(&message);
        assert_eq!(parsed.header().subject().unwrap(), subject);
    }
}

#[test]
fn folding_cjk_and_emoji() {
    let (_, message) = samples()
        .into_iter()
        .find(|(n, _)| *n == "cjk-emoji")
        .unwrap();
    let parsed = reparse(&message);
    let header = parsed.header();
    assert_eq!(
        header.subject().unwrap(),
        "会議の議事録 📅 について、よろしくお願いします 🙏🏽 and some English words too"
    );
    let subject_raw = header.get("subject").unwrap().raw_value();
    for word in subject_raw.split(|&b| b == b' ' || b == b'\n' || b == b'\r') {
        assert!(word.len() <= 75);
    }
    let from = header.from().unwrap();
    assert_eq!(from.mailboxes().next().unwrap().name(), Some("山田太郎"));
    let to = header.to().unwrap();
    let zoe = to.mailboxes().next().unwrap();
    assert_eq!(zoe.name(), Some("Zoë \"Z\" O'Brien"));
    assert_eq!(zoe.raw_address(), "zoe@xn--bcher-kva.example");
    assert_eq!(parsed.root().text().0, "こんにちは 👋\r\n");
}

#[test]
fn utf8_headers_when_allowed() {
    let message = build(
        MessageBuilder::new()
            .utf8_headers(true)
            .from(mailbox("Zoë <zoë@bücher.example>").unwrap())
            .subject("Grüße"),
    );
    let text = String::from_utf8(message.clone()).unwrap();
    assert!(
        text.contains("From: Zoë <zoë@bücher.example>\r\n"),
        "{text}"
    );
    reparse(&message);
    let err = fixed(MessageBuilder::new().from(mailbox("zoë@example.org").unwrap()))
        .to_vec()
        .unwrap_err();
    assert_eq!(err, BuildError::NeedsUtf8("zoë@example.org".into()));
}

#[test]
fn attachments_round_trip() {
    let (_, message) = samples()
        .into_iter()
        .find(|(n, _)| *n == "alternative-related-mixed")
        .unwrap();
    let parsed = reparse(&message);
    let root = parsed.root();
    assert_eq!(root.content_type().essence(), "multipart/mixed");
    let leaves: Vec<_> = root.leaves().collect();
    assert_eq!(leaves.len(), 5);
    assert_eq!(leaves[0].text().0, "Plain\r\n");
    assert_eq!(
        leaves[2].header().get("content-id").unwrap().raw_value(),
        b" <logo@example.org>"
    );
    assert_eq!(leaves[2].decoded_body().0.as_ref(), b"\x89PNG\r\n\x1a\n");
    let expected: Vec<u8> = (0..100_000u32).map(|i| (i * 31 % 251) as u8).collect();
    assert_eq!(leaves[3].decoded_body().0.as_ref(), expected.as_slice());
    assert_eq!(
        leaves[3]
            .header()
            .content_disposition()
            .unwrap()
            .filename()
            .unwrap(),
        "données très longues du rapport trimestriel de l'année 2025 — version finale.bin"
    );
    assert_eq!(
        leaves[4].transfer_encoding(),
        &TransferEncoding::QuotedPrintable
    );
    assert_eq!(
        leaves[4].decoded_body().0.as_ref(),
        b"read\nfrom a reader \n"
    );
}

#[test]
fn transfer_encodings_per_part() {
    let encoding = |builder: MessageBuilder<'_>| {
        let message = build(builder);
        let parsed = reparse(&message);
        parsed.root().transfer_encoding().clone()
    };
    assert_eq!(
        encoding(MessageBuilder::new().text("ascii")),
        TransferEncoding::SevenBit
    );
    assert_eq!(
        encoding(MessageBuilder::new().text("Grüße aus Köln")),
        TransferEncoding::QuotedPrintable
    );
    assert_eq!(
        encoding(MessageBuilder::new().text("日本語のテキスト")),
        TransferEncoding::Base64
    );
    assert_eq!(
        encoding(
            MessageBuilder::new()
                .transport(Transport::EightBit)
                .text("日本語")
        ),
        TransferEncoding::EightBit
    );
    let long_line = "z".repeat(1200);
    assert_eq!(
        encoding(
            MessageBuilder::new()
                .transport(Transport::EightBit)
                .text(long_line)
        ),
        TransferEncoding::QuotedPrintable
    );
    assert_eq!(
        encoding(
            MessageBuilder::new().body(PartBuilder::bytes("application/x", b"\0\x01".as_slice()))
        ),
        TransferEncoding::Base64
    );
    let err = fixed(
        MessageBuilder::new()
            .body(PartBuilder::text("é").transfer_encoding(TransferEncoding::EightBit)),
    )
    .to_vec()
    .unwrap_err();
    assert_eq!(err, BuildError::EncodingNotAllowed("8bit"));
}

#[test]
fn boundary_lookalike_is_encoded() {
    let (_, message) = samples()
        .into_iter()
        .find(|(n, _)| *n == "boundary-lookalike")
        .unwrap();
    let parsed = reparse(&message);
    let leaves: Vec<_> = parsed.root().leaves().collect();
    assert_eq!(leaves.len(), 2);
    assert_eq!(
        leaves[0].text().0,
        "a\r\n--=_mw0000000000005eed.00000001\r\nb\r\n"
    );
    assert_eq!(
        leaves[0].transfer_encoding(),
        &TransferEncoding::QuotedPrintable
    );
    // Another message's delimiters are plain text here.
    let other = build(MessageBuilder::new().text("--=_mw0000000000000001.00000001\n"));
    assert_eq!(
        reparse(&other).root().transfer_encoding(),
        &TransferEncoding::SevenBit
    );
}

#[test]
fn nested_message() {
    let (_, message) = samples().into_iter().find(|(n, _)| *n == "nested").unwrap();
    let parsed = reparse(&message);
    let attached = &parsed.root().parts()[1];
    let Body::Message(inner) = attached.body() else {
        panic!("not a message")
    };
    assert_eq!(inner.header().subject().unwrap(), "Inner message é");
    assert_eq!(inner.text().0, "Inner body\r\n");
}

#[test]
fn reply_does_not_stack_and_threads() {
    let raw = b"From: Ann <ann@example.org>\r\nTo: bob@example.net, carol@example.net\r\nCc: dan@example.net\r\n\
Message-ID: <2@example.org>\r\nReferences: <0@example.org> <1@example.org>\r\nSubject: Re: [team] plans\r\n\r\nline one\r\n> older\r\n";
    let original = parse(raw);
    let me = mailbox("bob@example.net").unwrap();
    let reply =
        build(MessageBuilder::reply(&original, Some(&me), true, "Agreed.").from(me.clone()));
    let parsed = reparse(&reply);
    let header = parsed.header();
    assert_eq!(header.subject().unwrap(), "Re: [team] plans");
    for (subject, expected) in [
        ("[team] Re: x", "[team] Re: x"),
        ("RE[3]: x", "RE[3]: x"),
        ("Fwd: x", "Re: Fwd: x"),
        ("Reply", "Re: Reply"),
    ] {
        let raw = format!("From: a@example.org\r\nSubject: {subject}\r\n\r\n");
        let original = parse(raw.as_bytes());
        let reply = build(MessageBuilder::reply(&original, None, false, ""));
        assert_eq!(parse(&reply).header().subject().unwrap(), expected);
    }
    let refs: Vec<_> = header
        .references()
        .iter()
        .map(|r| r.as_str().to_owned())
        .collect();
    assert_eq!(refs, ["0@example.org", "1@example.org", "2@example.org"]);
    let to: Vec<_> = header
        .to()
        .unwrap()
        .mailboxes()
        .map(|m| m.raw_address().to_owned())
        .collect();
    assert_eq!(to, ["ann@example.org", "carol@example.net"]);
    let cc: Vec<_> = header
        .cc()
        .unwrap()
        .mailboxes()
        .map(|m| m.raw_address().to_owned())
        .collect();
    assert_eq!(cc, ["dan@example.net"]);
    assert_eq!(
        parsed.root().text().0,
        "Agreed.\r\n\r\nAnn <ann@example.org> wrote:\r\n> line one\r\n>> older\r\n"
    );
}

#[test]
fn forward_inline() {
    let raw = b"From: ann@example.org\r\nSubject: Fwd: Plans\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nDetails.\r\n";
    let original = parse(raw);
    let out = build(MessageBuilder::forward(
        &original,
        raw,
        ForwardMode::Inline,
        "FYI",
    ));
    let parsed = reparse(&out);
    assert_eq!(parsed.header().subject().unwrap(), "Fwd: Plans");
    assert!(
        parsed
            .root()
            .text()
            .0
            .contains("Subject: Fwd: Plans\r\n\r\nDetails.\r\n")
    );
}

#[test]
fn streaming_reader_is_read_once_in_pieces() {
    struct Counting<R>(R, usize);
    impl<R: Read> Read for Counting<R> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.1 = self.1.max(buf.len());
            self.0.read(buf)
        }
    }
    let source = Counting(std::io::repeat(7).take(3_000_000), 0);
    let mut out = Vec::new();
    fixed(
        MessageBuilder::new()
            .attachment(PartBuilder::reader("application/octet-stream", source).attachment("b")),
    )
    .write_to(&mut out)
    .unwrap();
    let parsed = reparse(&out);
    let leaves: Vec<_> = parsed.root().leaves().collect();
    assert_eq!(leaves[1].decoded_body().0.len(), 3_000_000);
}

#[test]
fn errors() {
    let err = fixed(MessageBuilder::new().header("Bad Name", "x"))
        .to_vec()
        .unwrap_err();
    assert_eq!(err, BuildError::InvalidFieldName("Bad Name".into()));
    let err = fixed(MessageBuilder::new().raw_header("X-Raw", "a\nb"))
        .to_vec()
        .unwrap_err();
    assert_eq!(err, BuildError::InvalidRawValue("X-Raw".into()));
    let err = fixed(MessageBuilder::new().raw_header("X-Raw", "x".repeat(1000)))
        .to_vec()
        .unwrap_err();
    assert_eq!(err, BuildError::InvalidRawValue("X-Raw".into()));
    assert!(mailbox("<not valid>").is_err());
    let mut part = PartBuilder::text("deep");
    for _ in 0..70 {
        part = PartBuilder::multipart("mixed", vec![part]);
    }
    let err = fixed(MessageBuilder::new().body(part))
        .to_vec()
        .unwrap_err();
    assert_eq!(err, BuildError::TooDeep { limit: 64 });
}

fn header_text() -> impl Strategy<Value = String> {
    // Printable text with spaces, non-ASCII, emoji, look-alike encoded
    // words; no leading, trailing or control white space (unstructured
    // values are compared trimmed).
    proptest::collection::vec(
        prop_oneof![
            "[a-zA-Z0-9]{1,12}",
            "[!-~]{1,90}",
            "[à-ÿ]{1,10}",
            "[\u{4e00}-\u{4e80}]{1,30}",
            Just("😀".to_owned()),
            Just("=?utf-8?q?x?=".to_owned()),
        ],
        1..12,
    )
    .prop_map(|words| words.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn subject_round_trip(subject in header_text()) {
        let message = build(MessageBuilder::new().subject(subject.clone()));
        let parsed = reparse(&message);
        prop_assert_eq!(parsed.header().subject().unwrap(), subject);
    }

    #[test]
    fn display_name_round_trip(name in header_text()) {
        let message = build(MessageBuilder::new().from(
            mailwire_message::address::Mailbox::new(Some(name.clone().into()), "a@example.org".try_into().unwrap()),
        ));
        let parsed = reparse(&message);
        let from = parsed.header().from().unwrap();
        let mailbox = from.mailboxes().next().unwrap();
        prop_assert_eq!(mailbox.name().unwrap(), name.as_str());
        prop_assert_eq!(mailbox.raw_address(), "a@example.org");
    }

    #[test]
    fn body_round_trip(body in proptest::collection::vec(any::<u8>(), 0..3000), text in "(\\PC|\r\n){0,400}", eight in any::<bool>()) {
        let transport = if eight { Transport::EightBit } else { Transport::SevenBit };
        let message = build(
            MessageBuilder::new()
                .transport(transport)
                .text(text.clone())
                .attachment(PartBuilder::bytes("application/octet-stream", body.clone()).attachment("f.bin")),
        );
        let parsed = reparse(&message);
        let leaves: Vec<_> = parsed.root().leaves().collect();
        let got_text = leaves[0].text().0.into_owned();
        let got_body = leaves[1].decoded_body().0.into_owned();
        prop_assert_eq!(got_text, text);
        prop_assert_eq!(got_body, body);
    }

    #[test]
    fn filename_round_trip(name in "[^\"\\\\\u{0}-\u{1f}\u{7f}]{1,150}") {
        let message = build(MessageBuilder::new().attachment(PartBuilder::bytes("application/x", b"x".as_slice()).attachment(&name)));
        let parsed = reparse(&message);
        let leaves: Vec<_> = parsed.root().leaves().collect();
        let got = leaves[1].header().content_disposition().unwrap().filename().unwrap().into_owned();
        prop_assert_eq!(got, name);
    }
}

#[test]
fn forward_built_multipart_as_attachment() {
    let original = MessageBuilder::new()
        .clock(
            DateTime::parse_from_rfc2822("Mon, 1 Jan 2024 00:00:00 +0000").unwrap(),
            1,
        )
        .subject("Original")
        .text("text")
        .attachment(PartBuilder::bytes("application/pdf", b"%PDF".as_slice()).attachment("a.pdf"))
        .to_vec()
        .unwrap();
    let parsed_original = parse(&original);
    let out = build(MessageBuilder::forward(
        &parsed_original,
        &original,
        ForwardMode::Attachment,
        "see below",
    ));
    let parsed = reparse(&out);
    let attached = &parsed.root().parts()[1];
    assert_eq!(attached.content_type().essence(), "message/rfc822");
    let Body::Message(inner) = attached.body() else {
        panic!("not a message")
    };
    let mut bytes = Vec::new();
    inner.write_to(&mut bytes);
    assert_eq!(bytes, original);
}

#[test]
fn long_field_names_still_fold() {
    let name = format!("X-{}", "N".repeat(70));
    let message = build(
        MessageBuilder::new()
            .header(&name, "été à la plage")
            .header(&name, "word"),
    );
    let parsed = reparse(&message);
    let values: Vec<_> = parsed
        .header()
        .get_all(&name)
        .map(|f| f.text().into_owned())
        .collect();
    assert_eq!(values, ["été à la plage", "word"]);
}
