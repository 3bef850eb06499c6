//! Malformed commands: the exact error (offset, rule, tag) for each.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mailwire_core::error::Found;
use mailwire_imap::{
    CommandBody, Error, FetchAttribute, FetchItems, ParserConfig, Revision, Tag, parse_command,
};

fn malformed(input: &[u8], offset: u64, expected: &'static str, found: Found, tag: Option<&str>) {
    let err = parse_command(input, &ParserConfig::default()).unwrap_err();
    assert_eq!(
        err,
        Error::Malformed {
            offset,
            expected,
            found,
            tag: tag.map(|t| Tag::try_from(t.to_owned()).unwrap()),
        },
        "{}",
        String::from_utf8_lossy(input)
    );
}

#[test]
fn exact_errors() {
    use Found::{Byte, EndOfInput};
    malformed(b"\r\n", 0, "tag", Byte(b'\r'), None);
    malformed(b"+ NOOP\r\n", 0, "tag", Byte(b'+'), None);
    malformed(b"a1 NOPE\r\n", 3, "command", Byte(b'N'), Some("a1"));
    malformed(
        b"A442 XPIG-LATIN\r\n",
        5,
        "command",
        Byte(b'X'),
        Some("A442"),
    );
    malformed(b"a1  NOOP\r\n", 3, "command", Byte(b' '), Some("a1"));
    malformed(b"a1 NOOP\n", 7, "CRLF", Byte(b'\n'), Some("a1"));
    malformed(b"a1 NOOP", 7, "CRLF", EndOfInput, Some("a1"));
    malformed(b"a1 NOOP extra\r\n", 7, "CRLF", Byte(b' '), Some("a1"));
    malformed(
        b"a1 NOOP\r\nmore",
        9,
        "end of message",
        Byte(b'm'),
        Some("a1"),
    );
    malformed(b"a1 SELECT\r\n", 9, "SP", Byte(b'\r'), Some("a1"));
    malformed(
        b"a1 SELECT \"INBOX\r\n",
        16,
        "QUOTED-CHAR",
        Byte(b'\r'),
        Some("a1"),
    );
    malformed(
        b"a1 SELECT \"a\\b\"\r\n",
        13,
        "quoted-specials",
        Byte(b'b'),
        Some("a1"),
    );
    malformed(
        "a1 SELECT \"é\"\r\n".as_bytes(),
        11,
        "QUOTED-CHAR",
        Byte(0xc3),
        Some("a1"),
    );
    malformed(
        b"a1 LOGIN {5}\r\nfred\r\n",
        19,
        "SP",
        Byte(b'\n'),
        Some("a1"),
    );
    malformed(
        b"a1 LOGIN {9}\r\nfred\r\n",
        20,
        "literal octets",
        EndOfInput,
        Some("a1"),
    );
    malformed(
        b"a1 LOGIN {4}\r\nfr\0d x\r\n",
        16,
        "CHAR8",
        Byte(0),
        Some("a1"),
    );
    malformed(b"a1 LOGIN {4x}\r\n", 11, "\"}\"", Byte(b'x'), Some("a1"));
    malformed(
        b"a1 FETCH 0 FLAGS\r\n",
        9,
        "seq-number",
        Byte(b'0'),
        Some("a1"),
    );
    malformed(
        b"a1 FETCH 1:0 FLAGS\r\n",
        11,
        "seq-number",
        Byte(b'0'),
        Some("a1"),
    );
    malformed(
        b"a1 FETCH 4294967296 FLAGS\r\n",
        9,
        "seq-number",
        Byte(b'4'),
        Some("a1"),
    );
    malformed(
        b"a1 FETCH 1 (FLAGS NOPE)\r\n",
        18,
        "fetch-att",
        Byte(b'N'),
        Some("a1"),
    );
    malformed(
        b"a1 FETCH 1 (FLAGS\r\n",
        17,
        "\")\"",
        Byte(b'\r'),
        Some("a1"),
    );
    malformed(
        b"a1 FETCH 1 BODY[MIME]\r\n",
        16,
        "section-msgtext",
        Byte(b'M'),
        Some("a1"),
    );
    malformed(
        b"a1 FETCH 1 BODY[]<0.0>\r\n",
        20,
        "nz-number64",
        Byte(b'0'),
        Some("a1"),
    );
    malformed(
        b"a1 FETCH 1 BODY.PEEK\r\n",
        20,
        "section",
        Byte(b'\r'),
        Some("a1"),
    );
    malformed(
        b"a1 STORE 1 FLAG (\\Seen)\r\n",
        11,
        "store-att-flags",
        Byte(b'F'),
        Some("a1"),
    );
    malformed(
        b"a1 STORE 1 +FLAGS (\\)\r\n",
        19,
        "flag",
        Byte(b'\\'),
        Some("a1"),
    );
    malformed(
        b"a1 UID NOPE 1\r\n",
        7,
        "uid command",
        Byte(b'N'),
        Some("a1"),
    );
    malformed(
        b"a1 STATUS INBOX (MESSAGES NOPE)\r\n",
        26,
        "status-att",
        Byte(b'N'),
        Some("a1"),
    );
    malformed(
        b"a1 STATUS INBOX ()\r\n",
        17,
        "status-att",
        Byte(b')'),
        Some("a1"),
    );
    malformed(
        b"a1 SEARCH NOPE\r\n",
        10,
        "search-key",
        Byte(b'N'),
        Some("a1"),
    );
    malformed(
        b"a1 SEARCH SINCE 1-Foo-2000\r\n",
        18,
        "date-month",
        Byte(b'F'),
        Some("a1"),
    );
    malformed(
        b"a1 SEARCH SINCE 30-Feb-2000\r\n",
        16,
        "date",
        Byte(b'3'),
        Some("a1"),
    );
    malformed(b"a1 SEARCH ALL \r\n", 13, "CRLF", Byte(b' '), Some("a1"));
    malformed(b"a1 APPEND INBOX\r\n", 15, "SP", Byte(b'\r'), Some("a1"));
    malformed(
        b"a1 APPEND INBOX (\\Seen) hello\r\n",
        24,
        "append-data",
        Byte(b'h'),
        Some("a1"),
    );
    malformed(
        b"a1 APPEND INBOX \"7-Feb-1994 22:43:04 -0800\" {1}\r\nx\r\n",
        17,
        "date-day-fixed",
        Byte(b'7'),
        Some("a1"),
    );
    malformed(
        b"a1 AUTHENTICATE PLAIN abc\r\n",
        25,
        "base64",
        Byte(b'\r'),
        Some("a1"),
    );
    malformed(b"a1 ENABLE\r\n", 9, "SP", Byte(b'\r'), Some("a1"));
    malformed(
        b"a1 SELECT INBOX (QRESYNC (0 1))\r\n",
        26,
        "nz-number",
        Byte(b'0'),
        Some("a1"),
    );
    malformed(
        b"a1 LIST \"\" % RETURN (STATUS ())\r\n",
        29,
        "status-att",
        Byte(b')'),
        Some("a1"),
    );
}

#[test]
fn search_depth_is_limited() {
    let mut input = b"a1 SEARCH ".to_vec();
    input.extend(std::iter::repeat_n(b'(', 40));
    input.extend_from_slice(b"ALL");
    input.extend(std::iter::repeat_n(b')', 40));
    input.extend_from_slice(b"\r\n");
    let err = parse_command(&input, &ParserConfig::default()).unwrap_err();
    assert_eq!(
        err,
        Error::LimitExceeded {
            offset: 42,
            what: "nesting depth",
            limit: 32,
            actual: 33,
            tag: Some(Tag::try_from("a1").unwrap()),
        }
    );
    assert!(parse_command(&input, &ParserConfig::default().with_max_depth(64)).is_ok());

    let mut input = b"a2 SEARCH".to_vec();
    for _ in 0..100_000 {
        input.extend_from_slice(b" NOT");
    }
    input.extend_from_slice(b" ALL\r\n");
    let err = parse_command(&input, &ParserConfig::default()).unwrap_err();
    assert!(matches!(
        err,
        Error::LimitExceeded {
            what: "nesting depth",
            ..
        }
    ));
}

#[test]
fn lenient_mode() {
    let lenient = ParserConfig::default().with_lenient(true);
    // Trailing spaces.
    assert!(parse_command(b"a1 NOOP  \r\n", &lenient).is_ok());
    // Unknown fetch items are kept.
    let c = parse_command(b"a1 FETCH 1 (FLAGS X-GM-LABELS)\r\n", &lenient).unwrap();
    let CommandBody::Fetch {
        items: FetchItems::List(items),
        ..
    } = &c.body
    else {
        panic!()
    };
    assert_eq!(
        items.as_slice()[1],
        FetchAttribute::Other(mailwire_imap::Atom::try_from("X-GM-LABELS").unwrap())
    );
    assert_eq!(c.encode().to_vec(), b"a1 FETCH 1 (FLAGS X-GM-LABELS)\r\n");
    // 8-bit text that is not UTF-8 is kept, lossily.
    let c = parse_command(b"a1 SELECT \"caf\xe9\"\r\n", &lenient).unwrap();
    let CommandBody::Select { mailbox, .. } = &c.body else {
        panic!()
    };
    assert_eq!(mailbox.as_bytes(), "caf\u{fffd}".as_bytes());
    // UTF-8 quoted strings under IMAP4rev2.
    let rev2 = ParserConfig::default().with_revision(Revision::Rev2);
    assert!(parse_command("a1 SELECT \"Entwürfe\"\r\n".as_bytes(), &rev2).is_ok());
}

#[test]
fn errors_carry_the_stream_offset_through_the_framer() {
    use mailwire_imap::{Frame, Framer, Limits};
    let mut framer = Framer::server(Limits::default());
    framer.push(b"a1 NOOP\r\na2 FETCH 0 FLAGS\r\n");
    let mut errors = Vec::new();
    while let Some(frame) = framer.next() {
        if let Ok(Frame::Message(m)) = frame
            && let Err(e) = parse_command(m.bytes(), &ParserConfig::default())
        {
            errors.push(e.offset_by(m.offset()));
        }
    }
    assert_eq!(
        errors,
        vec![Error::Malformed {
            offset: 18,
            expected: "seq-number",
            found: Found::Byte(b'0'),
            tag: Some(Tag::try_from("a2").unwrap()),
        }]
    );
}
