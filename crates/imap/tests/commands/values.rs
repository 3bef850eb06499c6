//! Decoded values compared with values built by hand: one or more RFC
//! examples for every command.

use std::num::{NonZeroU32, NonZeroU64};

use chrono::{FixedOffset, NaiveDate, TimeZone};
use mailwire_core::Secret;
use mailwire_imap::*;

fn tag(s: &str) -> Tag<'_> {
    Tag::try_from(s).unwrap()
}
fn mb(s: &str) -> Mailbox<'_> {
    Mailbox::try_from(s).unwrap()
}
fn astr(s: &str) -> AString<'_> {
    AString::try_from(s).unwrap()
}
fn atom(s: &str) -> Atom<'_> {
    Atom::try_from(s).unwrap()
}
fn set(s: &str) -> SequenceSet<'_> {
    SequenceSet::try_from(s).unwrap()
}
fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap()
}
fn date(y: i32, m: u32, d: u32) -> Date {
    Date::try_from(NaiveDate::from_ymd_opt(y, m, d).unwrap()).unwrap()
}
fn pattern(s: &str) -> ListMailbox<'_> {
    ListMailbox::try_from(s).unwrap()
}

/// Decodes `wire` (RFC 9051 grammar with UTF-8), compares with `body`,
/// encodes back to `wire`.
fn kat(wire: &[u8], t: &str, body: CommandBody<'_>) {
    let config = ParserConfig::default().with_revision(Revision::Rev2);
    let parsed = parse_command(wire, &config)
        .unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(wire)));
    let expected = Command::new(tag(t), body);
    assert_eq!(parsed, expected, "{}", String::from_utf8_lossy(wire));
    assert_eq!(
        expected
            .encode_with(EncodeConfig::default().with_utf8_quoted(true))
            .to_vec(),
        wire,
        "{}",
        String::from_utf8_lossy(wire)
    );
}

#[test]
fn any_state_and_not_authenticated() {
    use CommandBody as C;
    kat(b"abcd CAPABILITY\r\n", "abcd", C::Capability);
    kat(b"a002 NOOP\r\n", "a002", C::Noop);
    kat(b"A023 LOGOUT\r\n", "A023", C::Logout);
    kat(b"a002 STARTTLS\r\n", "a002", C::StartTls);
    kat(
        b"a004 LOGIN joe password\r\n",
        "a004",
        CommandBody::login(astr("joe"), astr("password")),
    );
    kat(
        b"A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n",
        "A001",
        C::Login {
            username: AString::String(IString::Literal(
                Literal::try_from(&b"FRED FOOBAR"[..]).unwrap(),
            )),
            password: Secret::new(AString::String(IString::Literal(
                Literal::try_from(&b"fat man"[..]).unwrap(),
            ))),
        },
    );
    kat(
        b"A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\n",
        "A001",
        C::Login {
            username: AString::String(IString::Literal(
                Literal::try_from(&b"FRED FOOBAR"[..])
                    .unwrap()
                    .with_mode(LiteralMode::NonSync),
            )),
            password: Secret::new(AString::String(IString::Literal(
                Literal::try_from(&b"fat man"[..])
                    .unwrap()
                    .with_mode(LiteralMode::NonSync),
            ))),
        },
    );
    kat(
        b"A001 AUTHENTICATE GSSAPI\r\n",
        "A001",
        C::Authenticate {
            mechanism: atom("GSSAPI"),
            initial_response: None,
        },
    );
    kat(
        b"A03 AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=\r\n",
        "A03",
        C::Authenticate {
            mechanism: atom("PLAIN"),
            initial_response: Some(InitialResponse::Base64(Secret::new(
                Base64::try_from("dGVzdAB0ZXN0AHRlc3Q=").unwrap(),
            ))),
        },
    );
    kat(
        b"A01 AUTHENTICATE EXTERNAL =\r\n",
        "A01",
        C::Authenticate {
            mechanism: atom("EXTERNAL"),
            initial_response: Some(InitialResponse::Empty),
        },
    );
}

#[test]
fn authenticated_state() {
    use CommandBody as C;
    kat(
        b"a1 ENABLE CONDSTORE X-GOOD-IDEA\r\n",
        "a1",
        C::Enable {
            capabilities: Vec1::try_from(vec![
                Capability::CONDSTORE,
                Capability::try_from("X-GOOD-IDEA").unwrap(),
            ])
            .unwrap(),
        },
    );
    kat(
        b"A142 SELECT INBOX\r\n",
        "A142",
        C::Select {
            mailbox: Mailbox::Inbox,
            parameters: vec![],
        },
    );
    kat(
        b"A932 EXAMINE blurdybloop\r\n",
        "A932",
        C::Examine {
            mailbox: mb("blurdybloop"),
            parameters: vec![],
        },
    );
    kat(
        b"A142 SELECT INBOX (CONDSTORE)\r\n",
        "A142",
        C::Select {
            mailbox: Mailbox::Inbox,
            parameters: vec![SelectParameter::CondStore],
        },
    );
    kat(
        b"B04 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500 15000,22500)))\r\n",
        "B04",
        C::Select {
            mailbox: Mailbox::Inbox,
            parameters: vec![SelectParameter::QResync {
                uid_validity: nz(67890007),
                mod_sequence: NonZeroU64::new(90060115194045000).unwrap(),
                known_uids: Some(set("1:29997")),
                seq_match: Some((set("5000,7500"), set("15000,22500"))),
            }],
        },
    );
    kat(
        b"A003 CREATE owatagusiam/\r\n",
        "A003",
        C::Create {
            mailbox: mb("owatagusiam/"),
            special_use: None,
        },
    );
    kat(
        b"t1 CREATE \"Important Messages\" (USE (\\Important))\r\n",
        "t1",
        C::Create {
            mailbox: mb("Important Messages"),
            special_use: Some(vec![atom("Important")]),
        },
    );
    kat(
        b"A683 DELETE blurdybloop\r\n",
        "A683",
        C::Delete {
            mailbox: mb("blurdybloop"),
        },
    );
    kat(
        b"A683 RENAME blurdybloop sarasoop\r\n",
        "A683",
        C::Rename {
            from: mb("blurdybloop"),
            to: mb("sarasoop"),
        },
    );
    kat(
        b"A002 SUBSCRIBE #news.comp.mail.mime\r\n",
        "A002",
        C::Subscribe {
            mailbox: mb("#news.comp.mail.mime"),
        },
    );
    kat(
        b"A002 UNSUBSCRIBE #news.comp.mail.mime\r\n",
        "A002",
        C::Unsubscribe {
            mailbox: mb("#news.comp.mail.mime"),
        },
    );
    kat(
        b"A101 LIST \"\" \"\"\r\n",
        "A101",
        C::List {
            selection: None,
            reference: mb(""),
            patterns: ListPatterns::Single(pattern("")),
            return_options: None,
        },
    );
    kat(
        b"A02 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" % RETURN (STATUS (MESSAGES))\r\n",
        "A02",
        C::List {
            selection: Some(vec![
                ListSelectOption::Subscribed,
                ListSelectOption::RecursiveMatch,
            ]),
            reference: mb(""),
            patterns: ListPatterns::Single(pattern("%")),
            return_options: Some(vec![ListReturnOption::Status(Vec1::from(
                StatusItem::Messages,
            ))]),
        },
    );
    kat(
        b"A01 LIST \"\" (\"foo\" \"foo/*\") RETURN (CHILDREN SPECIAL-USE)\r\n",
        "A01",
        C::List {
            selection: None,
            reference: mb(""),
            patterns: ListPatterns::Multiple(
                Vec1::try_from(vec![pattern("foo"), pattern("foo/*")])
                    .unwrap()
                    .map(|p| match p {
                        ListMailbox::Token(s) => {
                            ListMailbox::String(IString::try_from(s.as_str().to_owned()).unwrap())
                        }
                        other => other,
                    }),
            ),
            return_options: Some(vec![
                ListReturnOption::Children,
                ListReturnOption::SpecialUse,
            ]),
        },
    );
    kat(
        b"A002 LSUB \"#news.\" \"comp.mail.*\"\r\n",
        "A002",
        C::Lsub {
            reference: Mailbox::from(AString::String(IString::try_from("#news.").unwrap())),
            pattern: ListMailbox::String(IString::try_from("comp.mail.*").unwrap()),
        },
    );
    kat(b"A001 NAMESPACE\r\n", "A001", C::Namespace);
    kat(
        b"A042 STATUS blurdybloop (UIDNEXT MESSAGES)\r\n",
        "A042",
        C::Status {
            mailbox: mb("blurdybloop"),
            items: Vec1::try_from(vec![StatusItem::UidNext, StatusItem::Messages]).unwrap(),
        },
    );
    let zone = FixedOffset::west_opt(8 * 3600).unwrap();
    kat(
        b"A003 APPEND saved-messages (\\Seen) \" 7-Feb-1994 22:43:04 -0800\" {5}\r\nhello ~{2}\r\n\0x\r\n",
        "A003",
        C::Append {
            mailbox: mb("saved-messages"),
            messages: Vec1::try_from(vec![
                AppendMessage {
                    flags: Some(vec![Flag::Seen]),
                    date: Some(DateTime::try_from(zone.with_ymd_and_hms(1994, 2, 7, 22, 43, 4).unwrap()).unwrap()),
                    data: AppendData::Literal(Literal::try_from(&b"hello"[..]).unwrap()),
                },
                AppendMessage { flags: None, date: None, data: AppendData::Literal8(Literal8::new(&b"\0x"[..])) },
            ])
            .unwrap(),
        },
    );
    kat(b"A002 IDLE\r\n", "A002", C::Idle);
    kat(
        b"a023 ID (\"name\" \"sodr\" \"version\" NIL)\r\n",
        "a023",
        C::Id {
            parameters: Some(vec![
                (
                    IString::try_from("name").unwrap(),
                    NString(Some(IString::try_from("sodr").unwrap())),
                ),
                (IString::try_from("version").unwrap(), NString::NIL),
            ]),
        },
    );
    kat(b"a023 ID NIL\r\n", "a023", C::Id { parameters: None });
    kat(
        b"a COMPRESS DEFLATE\r\n",
        "a",
        C::Compress {
            algorithm: atom("DEFLATE"),
        },
    );
}

#[test]
fn quota_acl_metadata() {
    use CommandBody as C;
    kat(
        b"G0001 GETQUOTA \"!partition/sda4\"\r\n",
        "G0001",
        C::GetQuota {
            root: AString::String(IString::try_from("!partition/sda4").unwrap()),
        },
    );
    kat(
        b"A003 GETQUOTAROOT INBOX\r\n",
        "A003",
        C::GetQuotaRoot {
            mailbox: Mailbox::Inbox,
        },
    );
    kat(
        b"S0000 SETQUOTA \"#user/alice\" (STORAGE 510)\r\n",
        "S0000",
        C::SetQuota {
            root: AString::String(IString::try_from("#user/alice").unwrap()),
            limits: vec![(QuotaResource::Storage, 510)],
        },
    );
    kat(
        b"A001 SETACL INBOX/Drafts David lrswida\r\n",
        "A001",
        C::SetAcl {
            mailbox: mb("INBOX/Drafts"),
            identifier: astr("David"),
            rights: astr("lrswida"),
        },
    );
    kat(
        b"B002 DELETEACL INBOX Fred\r\n",
        "B002",
        C::DeleteAcl {
            mailbox: Mailbox::Inbox,
            identifier: astr("Fred"),
        },
    );
    kat(
        b"A002 GETACL INBOX/Drafts\r\n",
        "A002",
        C::GetAcl {
            mailbox: mb("INBOX/Drafts"),
        },
    );
    kat(
        b"a005 LISTRIGHTS archive/imap anyone\r\n",
        "a005",
        C::ListRights {
            mailbox: mb("archive/imap"),
            identifier: astr("anyone"),
        },
    );
    kat(
        b"a006 MYRIGHTS INBOX\r\n",
        "a006",
        C::MyRights {
            mailbox: Mailbox::Inbox,
        },
    );
    kat(
        b"a GETMETADATA (MAXSIZE 1024 DEPTH infinity) \"\" (/shared/comment /private/comment)\r\n",
        "a",
        C::GetMetadata {
            options: vec![
                MetadataOption::MaxSize(1024),
                MetadataOption::Depth(MetadataDepth::Infinity),
            ],
            mailbox: Mailbox::from(AString::String(IString::try_from("").unwrap())),
            entries: Entries::List(
                Vec1::try_from(vec![astr("/shared/comment"), astr("/private/comment")]).unwrap(),
            ),
        },
    );
    kat(
        b"a SETMETADATA INBOX (/private/comment \"My new comment\" /shared/x NIL /shared/y ~{1}\r\n\0)\r\n",
        "a",
        C::SetMetadata {
            mailbox: Mailbox::Inbox,
            entries: Vec1::try_from(vec![
                (astr("/private/comment"), MetadataValue::NString(NString(Some(IString::try_from("My new comment").unwrap())))),
                (astr("/shared/x"), MetadataValue::NString(NString::NIL)),
                (astr("/shared/y"), MetadataValue::Literal8(Literal8::new(&b"\0"[..]))),
            ])
            .unwrap(),
        },
    );
}

#[test]
fn selected_state() {
    use CommandBody as C;
    kat(b"FXXZ CHECK\r\n", "FXXZ", C::Check);
    kat(b"A341 CLOSE\r\n", "A341", C::Close);
    kat(b"A342 UNSELECT\r\n", "A342", C::Unselect);
    kat(b"A202 EXPUNGE\r\n", "A202", C::Expunge);
    kat(
        b"A003 UID EXPUNGE 3000:3002\r\n",
        "A003",
        C::UidExpunge {
            set: set("3000:3002"),
        },
    );
    kat(
        b"A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"\r\n",
        "A282",
        C::Search {
            return_options: Some(vec![SearchReturnOption::Min, SearchReturnOption::Count]),
            charset: None,
            criteria: Vec1::try_from(vec![
                SearchKey::Flagged,
                SearchKey::Since(date(1994, 2, 1)),
                SearchKey::Not(Box::new(SearchKey::From(AString::String(
                    IString::try_from("Smith").unwrap(),
                )))),
            ])
            .unwrap(),
            uid: false,
        },
    );
    kat(
        b"P283 SEARCH CHARSET UTF-8 (OR $ 1,3000:3021) TEXT {8+}\r\n\xd0\xbc\xd0\xb0\xd1\x82\xd1\x8c\r\n",
        "P283",
        C::Search {
            return_options: None,
            charset: Some(astr("UTF-8")),
            criteria: Vec1::try_from(vec![
                SearchKey::And(Vec1::from(SearchKey::Or(
                    Box::new(SearchKey::SequenceSet(SequenceSet::LAST_COMMAND)),
                    Box::new(SearchKey::SequenceSet(set("1,3000:3021"))),
                ))),
                SearchKey::Text(AString::String(IString::Literal(
                    Literal::try_from("мать".as_bytes()).unwrap().with_mode(LiteralMode::NonSync),
                ))),
            ])
            .unwrap(),
            uid: false,
        },
    );
    kat(
        b"a UID SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338 OLDER 3600 EMAILID M6d99ac3275bb4e\r\n",
        "a",
        C::Search {
            return_options: None,
            charset: None,
            criteria: Vec1::try_from(vec![
                SearchKey::ModSeq {
                    entry: Some((AString::String(IString::try_from("/flags/\\draft").unwrap()), EntryType::All)),
                    mod_sequence: 620162338,
                },
                SearchKey::Older(nz(3600)),
                SearchKey::EmailId(atom("M6d99ac3275bb4e")),
            ])
            .unwrap(),
            uid: true,
        },
    );
    kat(
        b"A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])\r\n",
        "A654",
        CommandBody::fetch(
            set("2:4"),
            FetchItems::List(
                Vec1::try_from(vec![
                    FetchAttribute::Flags,
                    FetchAttribute::BodySection {
                        peek: false,
                        section: Some(Section::HeaderFields(
                            None,
                            Vec1::try_from(vec![astr("DATE"), astr("FROM")]).unwrap(),
                        )),
                        partial: None,
                    },
                ])
                .unwrap(),
            ),
            false,
        ),
    );
    kat(
        b"a1 UID FETCH 1:* (FLAGS)\r\n",
        "a1",
        CommandBody::fetch(
            set("1:*"),
            FetchItems::List(Vec1::from(FetchAttribute::Flags)),
            true,
        ),
    );
    kat(
        b"s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)\r\n",
        "s100",
        C::Fetch {
            set: set("300:500"),
            items: FetchItems::List(Vec1::from(FetchAttribute::Flags)),
            modifiers: vec![
                FetchModifier::ChangedSince(NonZeroU64::new(12345).unwrap()),
                FetchModifier::Vanished,
            ],
            uid: true,
        },
    );
    kat(
        b"t FETCH 1 (BINARY.PEEK[1.2]<0.100> BINARY.SIZE[] BODY.PEEK[1.MIME] MODSEQ)\r\n",
        "t",
        CommandBody::fetch(
            set("1"),
            FetchItems::List(
                Vec1::try_from(vec![
                    FetchAttribute::Binary {
                        peek: true,
                        part: Some(Part::try_from(vec![nz(1), nz(2)]).unwrap()),
                        partial: Some(Partial {
                            offset: 0,
                            length: NonZeroU64::new(100).unwrap(),
                        }),
                    },
                    FetchAttribute::BinarySize { part: None },
                    FetchAttribute::BodySection {
                        peek: true,
                        section: Some(Section::Mime(Part::try_from(vec![nz(1)]).unwrap())),
                        partial: None,
                    },
                    FetchAttribute::ModSeq,
                ])
                .unwrap(),
            ),
            false,
        ),
    );
    kat(
        b"a003 FETCH 12 FULL\r\n",
        "a003",
        CommandBody::fetch(set("12"), FetchItems::Full, false),
    );
    kat(
        b"A003 STORE 2:4 +FLAGS (\\Deleted)\r\n",
        "A003",
        C::Store {
            set: set("2:4"),
            kind: StoreKind::Add,
            silent: false,
            flags: vec![Flag::Deleted],
            modifiers: vec![],
            uid: false,
        },
    );
    kat(
        b"a103 UID STORE 6,4,8 (UNCHANGEDSINCE 12121230045) -FLAGS.SILENT (\\Deleted $Processed)\r\n",
        "a103",
        C::Store {
            set: set("6,4,8"),
            kind: StoreKind::Remove,
            silent: true,
            flags: vec![Flag::Deleted, Flag::Keyword(atom("$Processed"))],
            modifiers: vec![StoreModifier::UnchangedSince(12121230045)],
            uid: true,
        },
    );
    kat(
        b"A003 COPY 2:4 MEETING\r\n",
        "A003",
        C::Copy {
            set: set("2:4"),
            mailbox: mb("MEETING"),
            uid: false,
        },
    );
    kat(
        b"a UID MOVE 42:69 foo\r\n",
        "a",
        C::Move {
            set: set("42:69"),
            mailbox: mb("foo"),
            uid: true,
        },
    );
    kat(
        b"A282 SORT (SUBJECT REVERSE DATE) UTF-8 ALL\r\n",
        "A282",
        C::Sort {
            return_options: None,
            criteria: Vec1::try_from(vec![
                SortCriterion {
                    reverse: false,
                    key: SortKey::Subject,
                },
                SortCriterion {
                    reverse: true,
                    key: SortKey::Date,
                },
            ])
            .unwrap(),
            charset: astr("UTF-8"),
            search: Vec1::from(SearchKey::All),
            uid: false,
        },
    );
    kat(
        b"A284 UID THREAD REFERENCES US-ASCII TEXT \"gewp\"\r\n",
        "A284",
        C::Thread {
            algorithm: ThreadAlgorithm::References,
            charset: astr("US-ASCII"),
            search: Vec1::from(SearchKey::Text(AString::String(
                IString::try_from("gewp").unwrap(),
            ))),
            uid: true,
        },
    );
}

#[test]
fn idle_done_and_authenticate_lines() {
    assert!(parse_idle_done(b"done\r\n").is_ok());
    assert_eq!(
        parse_authenticate_data(b"=\r\n").unwrap_err().expected(),
        Some("base64")
    );
    let AuthenticateData::Response(r) = parse_authenticate_data(b"\r\n").unwrap() else {
        panic!()
    };
    assert_eq!(r.expose_secret().as_str(), "");
}

#[test]
fn unknown_parameters_are_kept() {
    use CommandBody as C;
    let item = |s| ExtensionItem::AString(astr(s));
    kat(
        b"a SELECT INBOX (X-FOO (1 (2 3)) CONDSTORE X-BAR 0 X-BAZ 1:*)\r\n",
        "a",
        C::Select {
            mailbox: Mailbox::Inbox,
            parameters: vec![
                SelectParameter::Other(Extension {
                    name: atom("X-FOO"),
                    value: Some(ExtensionValue::List(vec![
                        item("1"),
                        ExtensionItem::List(vec![item("2"), item("3")]),
                    ])),
                }),
                SelectParameter::CondStore,
                SelectParameter::Other(Extension {
                    name: atom("X-BAR"),
                    value: Some(ExtensionValue::Number(0)),
                }),
                SelectParameter::Other(Extension {
                    name: atom("X-BAZ"),
                    value: Some(ExtensionValue::SequenceSet(set("1:*"))),
                }),
            ],
        },
    );
    kat(
        b"a LIST (X-VENDOR (a) SUBSCRIBED) \"\" * RETURN (X-R CHILDREN)\r\n",
        "a",
        C::List {
            selection: Some(vec![
                ListSelectOption::Other(Extension {
                    name: atom("X-VENDOR"),
                    value: Some(ExtensionValue::List(vec![item("a")])),
                }),
                ListSelectOption::Subscribed,
            ]),
            reference: mb(""),
            patterns: ListPatterns::Single(pattern("*")),
            return_options: Some(vec![
                ListReturnOption::Other(Extension {
                    name: atom("X-R"),
                    value: None,
                }),
                ListReturnOption::Children,
            ]),
        },
    );
}

/// Fuzzing found that `088` parsed as a number but encoded as `88`, which
/// parses as a sequence set.
#[test]
fn extension_numbers_round_trip() {
    let config = ParserConfig::default();
    let c = parse_command(b"a SEARCH RETURN (X 088 Y 0 Z 4294967296) ALL\r\n", &config).unwrap();
    let CommandBody::Search {
        return_options: Some(options),
        ..
    } = &c.body
    else {
        panic!()
    };
    assert_eq!(
        options[0],
        SearchReturnOption::Other(Extension {
            name: atom("X"),
            value: Some(ExtensionValue::SequenceSet(set("88"))),
        })
    );
    assert!(matches!(
        &options[1],
        SearchReturnOption::Other(Extension {
            value: Some(ExtensionValue::Number(0)),
            ..
        })
    ));
    assert!(matches!(
        &options[2],
        SearchReturnOption::Other(Extension {
            value: Some(ExtensionValue::Number(4294967296)),
            ..
        })
    ));
    let wire = c.encode().to_vec();
    assert_eq!(wire, b"a SEARCH RETURN (X 88 Y 0 Z 4294967296) ALL\r\n");
    assert_eq!(parse_command(&wire, &config).unwrap(), c);
    // The fuzz artifact itself.
    let input = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/commands/fuzz-extension-number.bin"
    ))
    .unwrap();
    let config = ParserConfig::default()
        .with_revision(Revision::Rev2)
        .with_lenient(true);
    let c = parse_command(&input[1..], &config).unwrap();
    let wire = c
        .encode_with(EncodeConfig::default().with_utf8_quoted(true))
        .to_vec();
    assert_eq!(parse_command(&wire, &config).unwrap(), c);
}
