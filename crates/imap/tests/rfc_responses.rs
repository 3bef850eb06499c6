//! Known-answer tests for responses: every server-side example of RFC 3501
//! §6-8, RFC 9051 §6-8 and the extension RFCs (`data/rfc-responses.txt`)
//! decodes and encodes back to the same bytes; selected ones are compared
//! with a value built by hand; examples with literals are spelled out here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::num::{NonZeroU32, NonZeroU64};

use mailwire_imap::{
    AString, Address, Atom, Base64, Body, BodyFields, Capability, Code, Condition, Continue,
    Delimiter, ESearch, EncodeConfig, Envelope, Flag, FlagFetch, FlagPerm, GreetingKind, IString,
    Literal, Mailbox, MailboxAttribute, MessageAttribute, NString, NamespaceDescription,
    Namespaces, ParserConfig, QuotaData, QuotaResource, QuotaUsage, Quoted, RespText, Response,
    SearchData, SearchReturnData, SequenceSet, SingleSpecific, StatusItem, StatusValue, Tag,
    Tagged, Text, Thread, Untagged, Vec1, parse_greeting, parse_response,
};

const DATA: &str = include_str!("data/rfc-responses.txt");

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap()
}

fn q(s: &str) -> IString<'_> {
    IString::Quoted(Quoted::try_from(s).unwrap())
}

fn ns(s: &str) -> NString<'_> {
    NString(Some(q(s)))
}

fn parse(bytes: &[u8]) -> Response<'_> {
    parse_response(bytes, &ParserConfig::default().with_utf8_accept(true))
        .unwrap_or_else(|e| panic!("{e}: {}", bytes.escape_ascii()))
}

fn utf8() -> EncodeConfig {
    EncodeConfig::default().with_utf8_quoted(true)
}

/// Decodes, compares with `expected`, encodes, compares the bytes.
fn kat(bytes: &[u8], expected: &Response<'_>) {
    let value = parse(bytes);
    assert_eq!(&value, expected);
    assert_eq!(value.encode_with(utf8()).to_vec(), bytes);
}

#[test]
fn every_rfc_example_round_trips() {
    let mut n = 0;
    for line in DATA.lines().filter(|l| !l.starts_with('#')) {
        let mut parts = line.splitn(3, '\t');
        let (source, mode, text) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        let bytes = format!("{text}\r\n").into_bytes();
        let value = if text.starts_with("* OK") || text.starts_with("* PREAUTH") {
            // Greetings are responses too.
            let greeting = parse_greeting(&bytes, &ParserConfig::default());
            if let Ok(g) = greeting {
                assert_eq!(g.encode().to_vec(), bytes, "{source}");
            }
            parse(&bytes)
        } else {
            parse(&bytes)
        };
        let encoded = value.encode_with(utf8()).to_vec();
        match mode {
            "=" => assert_eq!(encoded, bytes, "{source}: {text}"),
            _ => assert_eq!(parse(&encoded), value, "{source}: {text}"),
        }
        n += 1;
    }
    assert!(n > 700, "{n}");
}

#[test]
fn status_responses() {
    kat(
        b"A142 OK [READ-WRITE] SELECT completed\r\n",
        &Response::Tagged(Tagged {
            tag: Tag::try_from("A142").unwrap(),
            condition: Condition::Ok,
            text: RespText::with_code(
                Code::ReadWrite,
                Some(Text::try_from("SELECT completed").unwrap()),
            ),
        }),
    );
    kat(
        b"* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n",
        &Response::Untagged(Untagged::Condition {
            condition: Condition::Ok,
            text: RespText::with_code(
                Code::PermanentFlags(vec![
                    FlagPerm::Flag(Flag::Deleted),
                    FlagPerm::Flag(Flag::Seen),
                    FlagPerm::Any,
                ]),
                Some(Text::try_from("Limited").unwrap()),
            ),
        }),
    );
    kat(
        b"A003 OK [APPENDUID 38505 3955] APPEND completed\r\n",
        &Response::Tagged(Tagged {
            tag: Tag::try_from("A003").unwrap(),
            condition: Condition::Ok,
            text: RespText::with_code(
                Code::AppendUid {
                    uid_validity: nz(38505),
                    uids: SequenceSet::try_from("3955").unwrap(),
                },
                Some(Text::try_from("APPEND completed").unwrap()),
            ),
        }),
    );
    kat(
        b"a1 NO [OVERQUOTA] Sorry\r\n",
        &Response::Tagged(Tagged {
            tag: Tag::try_from("a1").unwrap(),
            condition: Condition::No,
            text: RespText::with_code(
                Code::Other {
                    name: Atom::try_from("OVERQUOTA").unwrap(),
                    text: None,
                },
                Some(Text::try_from("Sorry").unwrap()),
            ),
        }),
    );
    kat(
        b"* BYE Autologout; idle for too long\r\n",
        &Response::Untagged(Untagged::Bye(RespText::new(
            Text::try_from("Autologout; idle for too long").unwrap(),
        ))),
    );
    // RFC 7162 §3.2.5.1: no text at all.
    kat(
        b"a107 OK\r\n",
        &Response::Tagged(Tagged {
            tag: Tag::try_from("a107").unwrap(),
            condition: Condition::Ok,
            text: RespText::default(),
        }),
    );
}

#[test]
fn greeting_kinds() {
    let g = parse_greeting(
        b"* PREAUTH IMAP4rev2 server logged in as Smith\r\n",
        &ParserConfig::default(),
    )
    .unwrap();
    assert_eq!(g.kind, GreetingKind::PreAuth);
    let g = parse_greeting(
        b"* BYE Autologout; idle for too long\r\n",
        &ParserConfig::default(),
    )
    .unwrap();
    assert_eq!(g.kind, GreetingKind::Bye);
    let g = parse_greeting(
        b"* OK [CAPABILITY IMAP4rev2 STARTTLS AUTH=GSSAPI] Server ready\r\n",
        &ParserConfig::default(),
    )
    .unwrap();
    let Some(Code::Capability(caps)) = &g.text.code else {
        panic!()
    };
    assert_eq!(caps.as_slice()[0], Capability::IMAP4REV2);
    assert_eq!(caps.as_slice()[2].auth_mechanism(), Some("GSSAPI"));
}

#[test]
fn continuation_requests() {
    kat(
        b"+ Ready for additional command text\r\n",
        &Response::Continue(Continue::Text(RespText::new(
            Text::try_from("Ready for additional command text").unwrap(),
        ))),
    );
    kat(
        b"+ YDMGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ=\r\n",
        &Response::Continue(Continue::Base64(
            Base64::try_from(
                "YDMGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ=",
            )
            .unwrap(),
        )),
    );
    kat(
        b"+ \r\n",
        &Response::Continue(Continue::Base64(Base64::try_from("").unwrap())),
    );
    // RFC 9051 §6.2.2 shows the empty challenge without its space.
    assert_eq!(parse(b"+\r\n"), parse(b"+ \r\n"));
}

#[test]
fn mailbox_data() {
    kat(
        b"* LIST (\\Noselect) \"/\" ~/Mail/foo\r\n",
        &Response::Untagged(Untagged::List(mailwire_imap::ListData {
            attributes: vec![MailboxAttribute::System(
                Atom::try_from("Noselect").unwrap(),
            )],
            delimiter: Some(Delimiter::try_from('/').unwrap()),
            mailbox: Mailbox::from_astring(AString::try_from("~/Mail/foo").unwrap()),
            extended: vec![],
        })),
    );
    kat(
        b"* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n",
        &Response::Untagged(Untagged::Status(mailwire_imap::StatusData {
            mailbox: Mailbox::from_astring(AString::try_from("blurdybloop").unwrap()),
            items: vec![
                StatusValue::Number(StatusItem::Messages, 231),
                StatusValue::Number(StatusItem::UidNext, 44292),
            ],
        })),
    );
    kat(
        b"* SEARCH 2 84 882\r\n",
        &Response::Untagged(Untagged::Search(SearchData {
            numbers: vec![nz(2), nz(84), nz(882)],
            modseq: None,
        })),
    );
    kat(
        b"* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)\r\n",
        &Response::Untagged(Untagged::Search(SearchData {
            numbers: [2, 5, 6, 7, 11, 12, 18, 19, 20, 23]
                .into_iter()
                .map(nz)
                .collect(),
            modseq: NonZeroU64::new(917_162_500),
        })),
    );
    kat(
        b"* ESEARCH (TAG \"A282\") MIN 2 COUNT 3\r\n",
        &Response::Untagged(Untagged::ESearch(ESearch {
            tag: Some(AString::String(q("A282"))),
            uid: false,
            data: vec![SearchReturnData::Min(nz(2)), SearchReturnData::Count(3)],
        })),
    );
    kat(
        b"* THREAD (2)(3 6 (4 23)(44 7 96))\r\n",
        &Response::Untagged(Untagged::Thread(vec![
            Thread::new(vec![nz(2)], vec![]).unwrap(),
            Thread::new(
                vec![nz(3), nz(6)],
                vec![
                    Thread::new(vec![nz(4), nz(23)], vec![]).unwrap(),
                    Thread::new(vec![nz(44), nz(7), nz(96)], vec![]).unwrap(),
                ],
            )
            .unwrap(),
        ])),
    );
    kat(
        b"* NAMESPACE ((\"\" \"/\")) NIL ((\"Public Folders/\" \"/\"))\r\n",
        &Response::Untagged(Untagged::Namespace(Namespaces {
            personal: vec![NamespaceDescription {
                prefix: q(""),
                delimiter: Some(Delimiter::try_from('/').unwrap()),
                extensions: vec![],
            }],
            other_users: vec![],
            shared: vec![NamespaceDescription {
                prefix: q("Public Folders/"),
                delimiter: Some(Delimiter::try_from('/').unwrap()),
                extensions: vec![],
            }],
        })),
    );
    kat(
        b"* QUOTA \"\" (STORAGE 10 512)\r\n",
        &Response::Untagged(Untagged::Quota(QuotaData {
            root: AString::String(q("")),
            resources: vec![QuotaUsage {
                resource: QuotaResource::Storage,
                usage: 10,
                limit: 512,
            }],
        })),
    );
    kat(
        b"* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n",
        &Response::Untagged(Untagged::Flags(vec![
            Flag::Answered,
            Flag::Flagged,
            Flag::Deleted,
            Flag::Seen,
            Flag::Draft,
        ])),
    );
    kat(
        b"* 23 EXISTS\r\n",
        &Response::Untagged(Untagged::Exists(23)),
    );
    kat(b"* 5 RECENT\r\n", &Response::Untagged(Untagged::Recent(5)));
    kat(
        b"* 44 EXPUNGE\r\n",
        &Response::Untagged(Untagged::Expunge(nz(44))),
    );
    kat(
        b"* VANISHED (EARLIER) 300:310,405,411\r\n",
        &Response::Untagged(Untagged::Vanished {
            earlier: true,
            uids: SequenceSet::try_from("300:310,405,411").unwrap(),
        }),
    );
    kat(
        b"* ENABLED CONDSTORE QRESYNC\r\n",
        &Response::Untagged(Untagged::Enabled(vec![
            Capability::CONDSTORE,
            Capability::QRESYNC,
        ])),
    );
    kat(
        b"* ID (\"name\" \"Cyrus\" \"support-url\" NIL)\r\n",
        &Response::Untagged(Untagged::Id(mailwire_imap::IdParameters(Some(vec![
            (q("name"), ns("Cyrus")),
            (q("support-url"), NString::NIL),
        ])))),
    );
}

/// RFC 9051 §8 and RFC 3501 §8: the FETCH of the sample session, with its
/// literal.
#[test]
fn fetch_with_envelope_body_and_literal() {
    let bytes: &[u8] = b"* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" \
RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \
\"IMAP4rev1 WG mtg summary and minutes\" ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((NIL NIL \"imap\" \"cac.washington.edu\")) ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")\
(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \"<B27397-0100000@cac.washington.edu>\") \
BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n";
    let value = parse(bytes);
    assert_eq!(value.encode().to_vec(), bytes);
    let Response::Untagged(Untagged::Fetch { seq, items }) = &value else {
        panic!()
    };
    assert_eq!(seq.get(), 12);
    assert_eq!(items.len(), 5);
    assert_eq!(
        items[0],
        MessageAttribute::Flags(vec![FlagFetch::Flag(Flag::Seen)])
    );
    assert_eq!(items[2], MessageAttribute::Rfc822Size(4286));
    let gray = Address {
        name: ns("Terry Gray"),
        adl: NString::NIL,
        mailbox: ns("gray"),
        host: ns("cac.washington.edu"),
    };
    assert_eq!(
        items[3],
        MessageAttribute::Envelope(Box::new(Envelope {
            date: ns("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)"),
            subject: ns("IMAP4rev1 WG mtg summary and minutes"),
            from: vec![gray.clone()],
            sender: vec![gray.clone()],
            reply_to: vec![gray],
            to: vec![Address {
                name: NString::NIL,
                adl: NString::NIL,
                mailbox: ns("imap"),
                host: ns("cac.washington.edu"),
            }],
            cc: vec![
                Address {
                    name: NString::NIL,
                    adl: NString::NIL,
                    mailbox: ns("minutes"),
                    host: ns("CNRI.Reston.VA.US"),
                },
                Address {
                    name: ns("John Klensin"),
                    adl: NString::NIL,
                    mailbox: ns("KLENSIN"),
                    host: ns("MIT.EDU"),
                },
            ],
            bcc: vec![],
            in_reply_to: NString::NIL,
            message_id: ns("<B27397-0100000@cac.washington.edu>"),
        }))
    );
    assert_eq!(
        items[4],
        MessageAttribute::Body(Box::new(Body::Single {
            media_type: q("TEXT"),
            media_subtype: q("PLAIN"),
            fields: BodyFields {
                params: vec![(q("CHARSET"), q("US-ASCII"))],
                id: NString::NIL,
                description: NString::NIL,
                encoding: q("7BIT"),
                octets: 3028,
            },
            specific: SingleSpecific::Text { lines: 92 },
            extension: None,
        }))
    );

    let literal: &[u8] =
        b"* 12 FETCH (BODY[HEADER] {32}\r\nSubject: hi\r\nFrom: a@b.example\r\n)\r\n";
    let value = parse(literal);
    assert_eq!(value.encode().to_vec(), literal);
    let Response::Untagged(Untagged::Fetch { items, .. }) = &value else {
        panic!()
    };
    assert_eq!(
        items[0],
        MessageAttribute::BodySection {
            section: Some(mailwire_imap::Section::Header(None)),
            origin: None,
            data: NString(Some(IString::Literal(
                Literal::try_from(&b"Subject: hi\r\nFrom: a@b.example\r\n"[..]).unwrap()
            ))),
        }
    );
}

/// RFC 3501 §7.4.2's BODYSTRUCTURE example of a multipart message.
#[test]
fn multipart_bodystructure() {
    let bytes: &[u8] = b"* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1152 23)\
(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"NAME\" \"cc.diff\") \"<960723163407.20117h@cac.washington.edu>\" \
\"Compiler diff\" \"BASE64\" 4554 73) \"MIXED\"))\r\n";
    let value = parse(bytes);
    assert_eq!(value.encode().to_vec(), bytes);
    let Response::Untagged(Untagged::Fetch { items, .. }) = &value else {
        panic!()
    };
    let MessageAttribute::BodyStructure(body) = &items[0] else {
        panic!()
    };
    let Body::Multi {
        parts,
        media_subtype,
        extension,
    } = &**body
    else {
        panic!()
    };
    assert_eq!(
        (parts.len(), media_subtype, extension),
        (2, &q("MIXED"), &None)
    );
}

/// RFC 3516 §4.2, RFC 7162 §3.1.4.1, RFC 8474 §5.3.
#[test]
fn extension_fetch_items() {
    for (bytes, expected) in [
        (
            &b"* 1 FETCH (BINARY.SIZE[1] 3028)\r\n"[..],
            MessageAttribute::BinarySize {
                section: Some(mailwire_imap::Part(Vec1::from(nz(1)))),
                size: 3028,
            },
        ),
        (
            b"* 7 FETCH (MODSEQ (12121231000))\r\n",
            MessageAttribute::ModSeq(NonZeroU64::new(12_121_231_000).unwrap()),
        ),
        (
            b"* 3 FETCH (EMAILID (M6d99ac3275bb4e))\r\n",
            MessageAttribute::EmailId(Atom::try_from("M6d99ac3275bb4e").unwrap()),
        ),
        (
            b"* 3 FETCH (THREADID NIL)\r\n",
            MessageAttribute::ThreadId(None),
        ),
    ] {
        let value = parse(bytes);
        assert_eq!(value.encode().to_vec(), bytes);
        let Response::Untagged(Untagged::Fetch { items, .. }) = value else {
            panic!()
        };
        assert_eq!(items.first(), &expected);
    }
    // BINARY with a literal8.
    let bytes = b"* 1 FETCH (BINARY[2] ~{3}\r\na\0b)\r\n";
    let value = parse(bytes);
    assert_eq!(value.encode().to_vec(), bytes);
    // An unknown item is kept.
    let bytes = b"* 1 FETCH (X-GM-LABELS (\\Inbox \"a b\") UID 4)\r\n";
    let value = parse(bytes);
    assert_eq!(value.encode().to_vec(), bytes);
    let Response::Untagged(Untagged::Fetch { items, .. }) = value else {
        panic!()
    };
    assert_eq!(items[0].name(), "X-GM-LABELS");
    assert!(
        matches!(&items[0], MessageAttribute::Other { value, .. } if &value[..] == b"(\\Inbox \"a b\")")
    );
}

/// RFC 9051 §7.3.1 and RFC 5267 §4.4: extended LIST items and ESEARCH return
/// data share the RFC 4466 §2.1 value type of command parameters.
#[test]
fn tagged_ext_values() {
    use mailwire_imap::{ExtensionItem, ExtensionValue, ListData};
    let s = |s| ExtensionItem::AString(AString::try_from(s).unwrap());
    let tag = |s| AString::try_from(s).unwrap();
    kat(
        b"* LIST (\\Marked) \":\" Tables (tablecloth ((\"edge\" \"lacy\") (\"color\" \"red\")) Sample \"text\")\r\n",
        &Response::Untagged(Untagged::List(ListData {
            attributes: vec![MailboxAttribute::System(Atom::try_from("Marked").unwrap())],
            delimiter: Some(Delimiter::try_from(':').unwrap()),
            mailbox: Mailbox::from_astring(tag("Tables")),
            extended: vec![
                (
                    tag("tablecloth"),
                    ExtensionValue::List(vec![
                        ExtensionItem::List(vec![
                            ExtensionItem::AString(AString::String(q("edge"))),
                            ExtensionItem::AString(AString::String(q("lacy"))),
                        ]),
                        ExtensionItem::List(vec![
                            ExtensionItem::AString(AString::String(q("color"))),
                            ExtensionItem::AString(AString::String(q("red"))),
                        ]),
                    ]),
                ),
                (
                    tag("Sample"),
                    ExtensionValue::AString(AString::String(q("text"))),
                ),
            ],
        })),
    );
    kat(
        b"* ESEARCH (TAG \"A04\") UID PARTIAL (24000:24500 NIL) X-N 0 X-S 2:4\r\n",
        &Response::Untagged(Untagged::ESearch(ESearch {
            tag: Some(AString::String(q("A04"))),
            uid: true,
            data: vec![
                SearchReturnData::Other(
                    Atom::try_from("PARTIAL").unwrap(),
                    ExtensionValue::List(vec![s("24000:24500"), s("NIL")]),
                ),
                SearchReturnData::Other(Atom::try_from("X-N").unwrap(), ExtensionValue::Number(0)),
                SearchReturnData::Other(
                    Atom::try_from("X-S").unwrap(),
                    ExtensionValue::SequenceSet(SequenceSet::try_from("2:4").unwrap()),
                ),
            ],
        })),
    );
}
