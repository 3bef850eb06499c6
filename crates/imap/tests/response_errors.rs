//! Malformed responses with the exact error (offset, rule, tag), and the
//! lenient mode for each real-server defect: the strict error, then what
//! lenient mode makes of it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mailwire_core::error::Found;
use mailwire_imap::{
    Body, Code, Error, Flag, FlagFetch, MessageAttribute, ParserConfig, Response, Untagged,
    parse_greeting, parse_response,
};

fn strict() -> ParserConfig {
    ParserConfig::default()
}

fn lenient() -> ParserConfig {
    ParserConfig::default().with_lenient(true)
}

fn error(input: &[u8], config: &ParserConfig) -> (u64, &'static str, Option<String>) {
    let err = parse_response(input, config).unwrap_err();
    (
        err.offset().unwrap(),
        err.expected().unwrap_or("limit"),
        err.tag().map(|t| t.as_str().to_owned()),
    )
}

#[test]
fn malformed_responses() {
    let tag = |s: &str| Some(s.to_owned());
    for (input, offset, expected, t) in [
        (&b"a1 MAYBE done\r\n"[..], 3, "resp-cond-state", tag("a1")),
        (b"a1 OK [UIDNEXT 0] x\r\n", 15, "nz-number", tag("a1")),
        (b"a1 OK [READ-WRITE x\r\n", 17, "\"]\"", tag("a1")),
        (b"* 0 EXPUNGE\r\n", 2, "nz-number", None),
        (b"* 3 FETCH (UID 0)\r\n", 15, "nz-number", None),
        (b"* 3 FETCH (UID 1\r\n", 16, "\")\"", None),
        (b"* 3 FETCH (FLAGS (\\Seen) UID)\r\n", 28, "SP", None),
        (b"* 3 FETCH (ENVELOPE (NIL NIL NIL))\r\n", 32, "SP", None),
        (
            b"* 3 FETCH (BODY[TEXT] {5}\r\nab",
            29,
            "literal octets",
            None,
        ),
        (
            b"* 3 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" x 1))\r\n",
            60,
            "number",
            None,
        ),
        (b"* SEARCH 1 x\r\n", 11, "nz-number", None),
        (
            b"* LIST (\\Noselect) \"//\" foo\r\n",
            19,
            "QUOTED-CHAR",
            None,
        ),
        (b"* STATUS INBOX (MESSAGES x)\r\n", 25, "number", None),
        (b"* THREAD (1)(2\r\n", 14, "\")\"", None),
        (b"* FOO bar\r\n", 2, "response-data", None),
        (b"* OK done", 9, "CRLF", None),
        (b"* OK caf\xe9\r\n", 8, "TEXT-CHAR", None),
        (b"+ Ready\r\nextra", 9, "end of message", None),
        (b"* ESEARCH (TAG \"a\") MIN 0\r\n", 24, "nz-number", None),
        (b"* NAMESPACE ((\"\" \"/\")) NIL\r\n", 26, "SP", None),
        (b"* QUOTA root (STORAGE 1)\r\n", 23, "SP", None),
    ] {
        assert_eq!(
            error(input, &strict()),
            (offset, expected, t),
            "{}",
            input.escape_ascii()
        );
    }
    let err = parse_response(b"a9 OK [UIDVALIDITY 9877410381] x\r\n", &strict()).unwrap_err();
    assert_eq!(
        err,
        Error::Malformed {
            offset: 19,
            expected: "nz-number",
            found: Found::Byte(b'9'),
            tag: Some(mailwire_imap::Tag::try_from("a9").unwrap()),
        }
    );
    let err = parse_greeting(b"* NO go away\r\n", &strict()).unwrap_err();
    assert_eq!((err.offset(), err.expected()), (Some(2), Some("greeting")));
}

#[test]
fn nesting_depth_is_limited() {
    let mut deep = b"* 1 FETCH (BODYSTRUCTURE ".to_vec();
    deep.extend(std::iter::repeat_n(b'(', 40));
    deep.extend_from_slice(b"\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1");
    deep.extend(std::iter::repeat_n(b')', 40));
    deep.extend_from_slice(b" \"MIXED\"))\r\n");
    let err = parse_response(&deep, &strict()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::LimitExceeded {
                what: "nesting depth",
                limit: 32,
                actual: 33,
                ..
            }
        ),
        "{err:?}"
    );
    // Lenient mode does not lift limits: the item is kept raw, not parsed.
    let value = parse_response(&deep, &lenient()).unwrap_err();
    assert!(matches!(value, Error::LimitExceeded { .. }));
    let mut threads = b"* THREAD ".to_vec();
    threads.extend(std::iter::repeat_n(b"(1 ".as_slice(), 40).flatten());
    threads.extend(std::iter::repeat_n(b')', 40));
    threads.extend_from_slice(b"\r\n");
    assert!(matches!(
        parse_response(&threads, &strict()).unwrap_err(),
        Error::LimitExceeded { .. } | Error::Malformed { .. }
    ));
}

fn fetch_items(r: Response<'_>) -> Vec<MessageAttribute<'_>> {
    let Response::Untagged(Untagged::Fetch { items, .. }) = r else {
        panic!("{r:?}")
    };
    items.into_vec()
}

#[test]
fn lenient_eight_bit_text() {
    let input = b"* OK caf\xe9 ready\r\n";
    assert_eq!(error(input, &strict()), (8, "TEXT-CHAR", None));
    let Response::Untagged(Untagged::Condition { text, .. }) =
        parse_response(input, &lenient()).unwrap()
    else {
        panic!()
    };
    assert_eq!(text.text.unwrap().as_str(), "caf\u{fffd} ready");
    // In a quoted string of an envelope.
    let input = b"* 1 FETCH (ENVELOPE (NIL \"caf\xe9\" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n";
    assert_eq!(error(input, &strict()), (29, "QUOTED-CHAR", None));
    let items = fetch_items(parse_response(input, &lenient()).unwrap());
    let MessageAttribute::Envelope(env) = &items[0] else {
        panic!()
    };
    assert_eq!(env.subject.as_bytes(), Some("caf\u{fffd}".as_bytes()));
}

#[test]
fn lenient_bracket_in_flags_and_code_text() {
    let input = b"* 1 FETCH (FLAGS (\\Seen [Gmail]Label))\r\n";
    assert_eq!(error(input, &strict()), (30, "\")\"", None));
    let items = fetch_items(parse_response(input, &lenient()).unwrap());
    let MessageAttribute::Flags(flags) = &items[0] else {
        panic!()
    };
    assert_eq!(flags[0], FlagFetch::Flag(Flag::Seen));
    let FlagFetch::Flag(Flag::Keyword(k)) = &flags[1] else {
        panic!()
    };
    assert_eq!(k.as_str(), "[Gmail]Label");

    let input = b"* NO [WEBALERT https://x.example/?a=[b]] Web login required\r\n";
    assert_eq!(error(input, &strict()), (39, "SP", None));
    let Response::Untagged(Untagged::Condition { text, .. }) =
        parse_response(input, &lenient()).unwrap()
    else {
        panic!()
    };
    let Some(Code::Other {
        name,
        text: code_text,
    }) = text.code
    else {
        panic!()
    };
    assert_eq!(name.as_str(), "WEBALERT");
    assert_eq!(code_text.unwrap().as_str(), "https://x.example/?a=[b]");
    assert_eq!(text.text.unwrap().as_str(), "Web login required");

    // RFC 9051 §6.4.4's own example: BADCHARSET without parentheses.
    let input = b"B283 NO [BADCHARSET UTF-8] KOI8-R is not supported\r\n";
    assert_eq!(error(input, &strict()), (20, "\"(\"", Some("B283".into())));
    let Response::Tagged(t) = parse_response(input, &lenient()).unwrap() else {
        panic!()
    };
    assert!(matches!(t.text.code, Some(Code::Other { .. })));
}

#[test]
fn lenient_trailing_spaces() {
    for input in [
        &b"* SEARCH 1 2 \r\n"[..],
        b"* 1 FETCH (UID 1 )\r\n",
        b"* CAPABILITY IMAP4rev1 IDLE \r\n",
        b"* 3 EXISTS \r\n",
        b"* ESEARCH (TAG \"a\") COUNT 1 \r\n",
    ] {
        assert!(
            parse_response(input, &strict()).is_err(),
            "{}",
            input.escape_ascii()
        );
        let value = parse_response(input, &lenient()).unwrap();
        assert!(
            !matches!(value, Response::Untagged(Untagged::Unparsed(_))),
            "{value:?}"
        );
        let again = value.encode().to_vec();
        assert_eq!(parse_response(&again, &strict()).unwrap(), value);
    }
    assert_eq!(
        error(b"* SEARCH 1 2 \r\n", &strict()),
        (13, "nz-number", None)
    );
}

#[test]
fn lenient_nil_for_string() {
    let input = b"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL NIL 10 1))\r\n";
    assert_eq!(error(input, &strict()), (53, "string", None));
    let items = fetch_items(parse_response(input, &lenient()).unwrap());
    let MessageAttribute::BodyStructure(body) = &items[0] else {
        panic!()
    };
    let Body::Single { fields, .. } = &**body else {
        panic!()
    };
    assert_eq!(fields.encoding.as_bytes(), b"");
    assert_eq!(fields.octets, 10);
}

#[test]
fn lenient_missing_space_before_paren() {
    let input = b"* 1 FETCH (FLAGS(\\Seen) UID 3)\r\n";
    assert_eq!(error(input, &strict()), (16, "SP", None));
    let items = fetch_items(parse_response(input, &lenient()).unwrap());
    assert_eq!(
        items[0],
        MessageAttribute::Flags(vec![FlagFetch::Flag(Flag::Seen)])
    );
    let input = b"* LIST(\\HasNoChildren) \"/\" INBOX\r\n";
    assert_eq!(error(input, &strict()), (6, "SP", None));
    assert!(matches!(
        parse_response(input, &lenient()).unwrap(),
        Response::Untagged(Untagged::List(_))
    ));
    let input = b"* 2 FETCH(UID 4)\r\n";
    assert_eq!(error(input, &strict()), (9, "SP", None));
    assert!(parse_response(input, &lenient()).is_ok());
}

#[test]
fn lenient_keeps_unparsable_items_raw() {
    let input = b"* 1 FETCH (UID 5 BODY[] garbage{ X)\r\n";
    assert_eq!(error(input, &strict()), (24, "nstring", None));
    let items = fetch_items(parse_response(input, &lenient()).unwrap());
    assert!(matches!(items[0], MessageAttribute::Uid(_)));
    assert!(
        matches!(&items[1], MessageAttribute::Unparsed(raw) if &raw[..] == b" BODY[] garbage{ X)")
    );
    // Found by fuzzing: the unparsed rest keeps its separator, or the lack
    // of one, so that encoding does not make it parse.
    for input in [
        &b"* 3 FETCH (UID 3F LAGS (\\Recent Work) MODSEQ (8))\r\n"[..],
        b"* 3 FETCH (UID 3 \r\n",
        b"* 3 FETCH (UID 3 X  \r\n",
        b"* 2 FETCH (UID 2 MODSEQ (7) FLAGSTCH (UID 2 MODSEQ (7) FLAGS\r\n",
    ] {
        let value = parse_response(input, &lenient()).unwrap();
        let wire = value.encode().to_vec();
        let again = parse_response(&wire, &lenient()).unwrap();
        assert_eq!(again, value, "{}", input.escape_ascii());
    }

    let input = b"* XPIG-LATIN ow-nay eaking-spay ig-pay atin-lay\r\n";
    assert_eq!(error(input, &strict()), (2, "response-data", None));
    let value = parse_response(input, &lenient()).unwrap();
    assert!(
        matches!(&value, Response::Untagged(Untagged::Unparsed(raw)) if &raw[..] == b"XPIG-LATIN ow-nay eaking-spay ig-pay atin-lay")
    );
    assert_eq!(value.encode().to_vec(), input);
    // RFC 2342's example namespace with spaces between descriptions.
    let input = b"* NAMESPACE ((\"\" \"/\")) NIL ((\"#shared/\" \"/\") (\"#ftp/\" \"/\"))\r\n";
    assert!(parse_response(input, &strict()).is_err());
    assert!(matches!(
        parse_response(input, &lenient()).unwrap(),
        Response::Untagged(Untagged::Namespace(n)) if n.shared.len() == 2
    ));
}
