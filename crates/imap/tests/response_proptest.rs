//! Round trips of responses: `parse(encode(x)) == x` for generated
//! greetings, continuation requests, tagged responses and every kind of
//! untagged data, FETCH items, envelopes and body structures included.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::num::{NonZeroU32, NonZeroU64};

use mailwire_imap::{
    AString, AclData, Address, Atom, Base64, BinaryData, Body, BodyExtension, BodyFields,
    Capability, Code, Condition, Continue, Delimiter, Disposition, DispositionTail, ESearch,
    Envelope, ExtensionItem, ExtensionValue, Flag, FlagFetch, FlagPerm, Greeting, GreetingKind,
    IString, IdParameters, Language, LanguageTail, ListData, ListRights, Literal, LiteralMode,
    LocationTail, Mailbox, MailboxAttribute, MessageAttribute, MetadataData, MetadataEntries,
    MetadataValue, MultiExtension, MyRights, NString, NamespaceDescription, Namespaces,
    ParserConfig, QuotaData, QuotaResource, QuotaRootData, QuotaUsage, Quoted, RespText, Response,
    SearchData, SearchReturnData, Section, SequenceSet, SingleExtension, SingleSpecific,
    StatusData, StatusItem, StatusValue, Tag, Tagged, Text, Thread, Untagged, Vec1, parse_greeting,
    parse_response,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

fn nz() -> impl Strategy<Value = NonZeroU32> {
    (1..=u32::MAX).prop_map(|n| NonZeroU32::new(n).unwrap())
}

fn nz64() -> impl Strategy<Value = NonZeroU64> {
    (1..=i64::MAX as u64).prop_map(|n| NonZeroU64::new(n).unwrap())
}

fn n64() -> impl Strategy<Value = u64> {
    0..=i64::MAX as u64
}

fn atom() -> impl Strategy<Value = Atom<'static>> {
    "[A-Za-z][A-Za-z0-9$-]{0,8}".prop_map(|s| Atom::try_from(s).unwrap())
}

fn text() -> impl Strategy<Value = Text<'static>> {
    "[A-Za-z0-9.,;!?()-]{1,8} [A-Za-z0-9 .,;!?()\\[\\]-]{0,20}"
        .prop_map(|s| Text::try_from(s).unwrap())
}

fn istring() -> impl Strategy<Value = IString<'static>> {
    prop_oneof![
        3 => "[ -~]{0,16}".prop_map(|s| IString::Quoted(Quoted::try_from(s).unwrap())),
        1 => vec(1u8..=255, 0..24).prop_map(|b| IString::Literal(Literal::try_from(b).unwrap())),
    ]
}

fn nstring() -> impl Strategy<Value = NString<'static>> {
    option::of(istring()).prop_map(NString)
}

fn astring() -> impl Strategy<Value = AString<'static>> {
    "[ -~]{0,12}".prop_map(|s| AString::try_from(s).unwrap())
}

fn mailbox() -> impl Strategy<Value = Mailbox<'static>> {
    astring().prop_map(Mailbox::from_astring)
}

fn seqset() -> impl Strategy<Value = SequenceSet<'static>> {
    vec((1u32..5000, option::of(1u32..5000)), 1..4).prop_map(|ranges| {
        let parts: Vec<String> = ranges
            .into_iter()
            .map(|(a, b)| match b {
                Some(b) => format!("{a}:{b}"),
                None => a.to_string(),
            })
            .collect();
        SequenceSet::try_from(parts.join(",")).unwrap()
    })
}

fn flag() -> impl Strategy<Value = Flag<'static>> {
    prop_oneof![
        Just(Flag::Seen),
        Just(Flag::Answered),
        Just(Flag::Flagged),
        Just(Flag::Deleted),
        Just(Flag::Draft),
        atom().prop_map(Flag::Keyword),
        "X[A-Za-z0-9]{0,6}".prop_map(|s| Flag::Extension(Atom::try_from(s).unwrap())),
    ]
}

fn code() -> impl Strategy<Value = Code<'static>> {
    prop_oneof![
        Just(Code::Alert),
        Just(Code::ReadOnly),
        Just(Code::ReadWrite),
        Just(Code::TryCreate),
        Just(Code::Closed),
        Just(Code::NoModSeq),
        nz().prop_map(Code::UidNext),
        nz().prop_map(Code::UidValidity),
        nz64().prop_map(Code::HighestModSeq),
        seqset().prop_map(Code::Modified),
        vec(astring(), 0..3).prop_map(Code::BadCharset),
        vec(
            prop_oneof![flag().prop_map(FlagPerm::Flag), Just(FlagPerm::Any)],
            0..4
        )
        .prop_map(Code::PermanentFlags),
        vec(atom(), 1..4).prop_map(|c| Code::Capability(
            Vec1::try_from(c.into_iter().map(Capability::from).collect::<Vec<_>>()).unwrap()
        )),
        (nz(), seqset()).prop_map(|(uid_validity, uids)| Code::AppendUid { uid_validity, uids }),
        (nz(), seqset(), seqset()).prop_map(|(uid_validity, source, destination)| Code::CopyUid {
            uid_validity,
            source,
            destination
        }),
        ("X[A-Z0-9]{1,6}", option::of("[A-Za-z0-9.:/]{1,10}")).prop_map(|(n, t)| Code::Other {
            name: Atom::try_from(n).unwrap(),
            text: t.map(|t| Text::try_from(t).unwrap()),
        }),
    ]
}

fn resp_text() -> impl Strategy<Value = RespText<'static>> {
    (option::of(code()), option::of(text())).prop_map(|(code, text)| RespText { code, text })
}

fn address() -> impl Strategy<Value = Address<'static>> {
    (nstring(), nstring(), nstring(), nstring()).prop_map(|(name, adl, mailbox, host)| Address {
        name,
        adl,
        mailbox,
        host,
    })
}

fn envelope() -> impl Strategy<Value = Envelope<'static>> {
    (
        (
            nstring(),
            nstring(),
            vec(address(), 0..3),
            vec(address(), 0..2),
        ),
        (
            vec(address(), 0..2),
            vec(address(), 0..3),
            vec(address(), 0..2),
        ),
        (vec(address(), 0..2), nstring(), nstring()),
    )
        .prop_map(
            |(
                (date, subject, from, sender),
                (reply_to, to, cc),
                (bcc, in_reply_to, message_id),
            )| {
                Envelope {
                    date,
                    subject,
                    from,
                    sender,
                    reply_to,
                    to,
                    cc,
                    bcc,
                    in_reply_to,
                    message_id,
                }
            },
        )
}

fn params() -> impl Strategy<Value = Vec<(IString<'static>, IString<'static>)>> {
    vec((istring(), istring()), 0..3)
}

fn body_extension() -> impl Strategy<Value = BodyExtension<'static>> {
    let leaf = prop_oneof![
        nstring().prop_map(BodyExtension::NString),
        n64().prop_map(BodyExtension::Number),
    ];
    leaf.prop_recursive(2, 6, 3, |inner| {
        vec(inner, 1..3).prop_map(|v| BodyExtension::List(Vec1::try_from(v).unwrap()))
    })
}

fn disposition_tail() -> impl Strategy<Value = Option<DispositionTail<'static>>> {
    let language = prop_oneof![
        nstring().prop_map(Language::Single),
        vec(istring(), 1..3).prop_map(|v| Language::List(Vec1::try_from(v).unwrap())),
    ];
    let location = option::of((nstring(), vec(body_extension(), 0..2)).prop_map(
        |(location, extensions)| LocationTail {
            location,
            extensions,
        },
    ));
    let lang_tail = option::of(
        (language, location).prop_map(|(language, tail)| LanguageTail { language, tail }),
    );
    let disposition =
        option::of((istring(), params()).prop_map(|(kind, params)| Disposition { kind, params }));
    option::of(
        (disposition, lang_tail)
            .prop_map(|(disposition, tail)| DispositionTail { disposition, tail }),
    )
}

fn fields() -> impl Strategy<Value = BodyFields<'static>> {
    (params(), nstring(), nstring(), istring(), any::<u32>()).prop_map(
        |(params, id, description, encoding, octets)| BodyFields {
            params,
            id,
            description,
            encoding,
            octets,
        },
    )
}

fn q(s: &'static str) -> IString<'static> {
    IString::Quoted(Quoted::try_from(s).unwrap())
}

fn body() -> impl Strategy<Value = Body<'static>> {
    let single_ext = option::of(
        (nstring(), disposition_tail()).prop_map(|(md5, tail)| SingleExtension { md5, tail }),
    );
    let leaf = (
        prop_oneof![
            Just((q("APPLICATION"), None)),
            n64().prop_map(|lines| (q("TEXT"), Some(lines))),
        ],
        "[A-Z]{1,8}",
        fields(),
        single_ext,
    )
        .prop_map(
            |((media_type, lines), sub, fields, extension)| Body::Single {
                media_type,
                media_subtype: IString::Quoted(Quoted::try_from(sub).unwrap()),
                fields,
                specific: match lines {
                    Some(lines) => SingleSpecific::Text { lines },
                    None => SingleSpecific::Basic,
                },
                extension,
            },
        );
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            (
                vec(inner.clone(), 1..3),
                "[A-Z]{1,8}",
                option::of(
                    (params(), disposition_tail())
                        .prop_map(|(params, tail)| MultiExtension { params, tail })
                )
            )
                .prop_map(|(parts, sub, extension)| Body::Multi {
                    parts: Vec1::try_from(parts).unwrap(),
                    media_subtype: IString::Quoted(Quoted::try_from(sub).unwrap()),
                    extension,
                }),
            (envelope(), inner, fields(), n64()).prop_map(|(env, body, fields, lines)| {
                Body::Single {
                    media_type: q("MESSAGE"),
                    media_subtype: q("RFC822"),
                    fields,
                    specific: SingleSpecific::Message {
                        envelope: Box::new(env),
                        body: Box::new(body),
                        lines,
                    },
                    extension: None,
                }
            }),
        ]
    })
}

fn message_attribute() -> impl Strategy<Value = MessageAttribute<'static>> {
    prop_oneof![
        vec(
            prop_oneof![flag().prop_map(FlagFetch::Flag), Just(FlagFetch::Recent)],
            0..4
        )
        .prop_map(MessageAttribute::Flags),
        envelope().prop_map(|e| MessageAttribute::Envelope(Box::new(e))),
        n64().prop_map(MessageAttribute::Rfc822Size),
        body().prop_map(|b| MessageAttribute::BodyStructure(Box::new(b))),
        (
            prop_oneof![
                Just(None),
                Just(Some(Section::Text(None))),
                Just(Some(Section::Header(None)))
            ],
            option::of(any::<u32>()),
            nstring()
        )
            .prop_map(|(section, origin, data)| MessageAttribute::BodySection {
                section,
                origin,
                data
            }),
        prop_oneof![
            nstring().prop_map(BinaryData::NString),
            vec(any::<u8>(), 0..16).prop_map(|d| BinaryData::Literal8(
                mailwire_imap::Literal8::new(d).with_mode(LiteralMode::Sync)
            )),
        ]
        .prop_map(|data| MessageAttribute::Binary {
            section: None,
            data
        }),
        any::<u32>().prop_map(|size| MessageAttribute::BinarySize {
            section: None,
            size
        }),
        nz().prop_map(MessageAttribute::Uid),
        nstring().prop_map(MessageAttribute::Rfc822),
        nstring().prop_map(MessageAttribute::Rfc822Header),
        nz64().prop_map(MessageAttribute::ModSeq),
        "[A-Za-z0-9_-]{1,20}".prop_map(|s| MessageAttribute::EmailId(Atom::try_from(s).unwrap())),
        option::of("[A-Za-z0-9_-]{1,20}")
            .prop_map(|s| MessageAttribute::ThreadId(s.map(|s| Atom::try_from(s).unwrap()))),
        (
            "X-[A-Z]{1,6}",
            prop_oneof![Just("(a \"b c\" 3)"), Just("17"), Just("NIL")]
        )
            .prop_map(|(name, value)| MessageAttribute::Other {
                name: name.into(),
                value: value.as_bytes().to_vec().into(),
            }),
    ]
}

fn delimiter() -> impl Strategy<Value = Option<Delimiter>> {
    option::of(prop_oneof![Just('/'), Just('.'), Just('"'), Just('\\')])
        .prop_map(|c| c.map(|c| Delimiter::try_from(c).unwrap()))
}

fn thread() -> impl Strategy<Value = Thread> {
    let leaf = vec(nz(), 1..4).prop_map(|m| Thread::new(m, vec![]).unwrap());
    leaf.prop_recursive(3, 16, 3, |inner| {
        (vec(nz(), 0..3), vec(inner, 2..4)).prop_map(|(m, c)| Thread::new(m, c).unwrap())
    })
}

fn ext_value() -> impl Strategy<Value = ExtensionValue<'static>> {
    let item = astring()
        .prop_map(ExtensionItem::AString)
        .prop_recursive(3, 8, 3, |inner| {
            vec(inner, 0..3).prop_map(ExtensionItem::List)
        });
    prop_oneof![
        seqset().prop_map(ExtensionValue::SequenceSet),
        prop_oneof![Just(0u64), (1u64 << 32..=i64::MAX as u64)].prop_map(ExtensionValue::Number),
        vec(item, 0..3).prop_map(ExtensionValue::List),
        "[A-Za-z\\[\\] \"][ -~]{0,8}"
            .prop_map(|s| ExtensionValue::AString(AString::try_from(s).unwrap())),
    ]
}

fn untagged() -> impl Strategy<Value = Untagged<'static>> {
    prop_oneof![
        (
            prop_oneof![
                Just(Condition::Ok),
                Just(Condition::No),
                Just(Condition::Bad)
            ],
            resp_text()
        )
            .prop_map(|(condition, text)| Untagged::Condition { condition, text }),
        resp_text().prop_map(Untagged::Bye),
        vec(atom(), 1..5).prop_map(|c| Untagged::Capability(
            Vec1::try_from(c.into_iter().map(Capability::from).collect::<Vec<_>>()).unwrap()
        )),
        vec(atom(), 0..3)
            .prop_map(|c| Untagged::Enabled(c.into_iter().map(Capability::from).collect())),
        vec(flag(), 0..5).prop_map(Untagged::Flags),
        (
            vec(
                prop_oneof![
                    atom().prop_map(MailboxAttribute::System),
                    atom().prop_map(MailboxAttribute::Keyword)
                ],
                0..3
            ),
            delimiter(),
            mailbox(),
            vec(
                (
                    "[A-Z]{1,8}".prop_map(|s| AString::try_from(s).unwrap()),
                    ext_value()
                ),
                0..2
            )
        )
            .prop_map(|(attributes, delimiter, mailbox, extended)| Untagged::List(
                ListData {
                    attributes,
                    delimiter,
                    mailbox,
                    extended
                }
            )),
        (
            mailbox(),
            vec(
                prop_oneof![
                    (0..=u32::MAX)
                        .prop_map(|n| StatusValue::Number(StatusItem::Messages, u64::from(n))),
                    nz().prop_map(|n| StatusValue::Number(StatusItem::UidNext, u64::from(n.get()))),
                    n64().prop_map(|n| StatusValue::Number(StatusItem::HighestModSeq, n)),
                    "[A-Za-z0-9_-]{1,10}"
                        .prop_map(|s| StatusValue::MailboxId(Atom::try_from(s).unwrap())),
                    Just(StatusValue::NoAppendLimit),
                    n64().prop_map(|n| StatusValue::Other(Atom::try_from("X-COUNT").unwrap(), n)),
                ],
                0..4
            )
        )
            .prop_map(|(mailbox, items)| Untagged::Status(StatusData { mailbox, items })),
        (vec(nz(), 0..6), option::of(nz64()))
            .prop_map(|(numbers, modseq)| Untagged::Search(SearchData { numbers, modseq })),
        (vec(nz(), 0..6), option::of(nz64()))
            .prop_map(|(numbers, modseq)| Untagged::Sort(SearchData { numbers, modseq })),
        (
            option::of(astring()),
            any::<bool>(),
            vec(
                prop_oneof![
                    nz().prop_map(SearchReturnData::Min),
                    nz().prop_map(SearchReturnData::Max),
                    seqset().prop_map(SearchReturnData::All),
                    any::<u32>().prop_map(SearchReturnData::Count),
                    nz64().prop_map(SearchReturnData::ModSeq),
                    ("X[A-Z]{1,5}", ext_value())
                        .prop_map(|(n, v)| SearchReturnData::Other(Atom::try_from(n).unwrap(), v)),
                ],
                0..4
            )
        )
            .prop_map(|(tag, uid, data)| Untagged::ESearch(ESearch { tag, uid, data })),
        vec(thread(), 0..4).prop_map(Untagged::Thread),
        any::<u32>().prop_map(Untagged::Exists),
        any::<u32>().prop_map(Untagged::Recent),
        nz().prop_map(Untagged::Expunge),
        (nz(), vec(message_attribute(), 1..4)).prop_map(|(seq, items)| Untagged::Fetch {
            seq,
            items: Vec1::try_from(items).unwrap()
        }),
        (any::<bool>(), seqset()).prop_map(|(earlier, uids)| Untagged::Vanished { earlier, uids }),
        (
            0..3usize,
            vec(
                (
                    istring(),
                    delimiter(),
                    vec((istring(), vec(istring(), 1..3)), 0..2)
                ),
                0..3
            )
        )
            .prop_map(|(slot, descs)| {
                let descs: Vec<NamespaceDescription<'static>> = descs
                    .into_iter()
                    .map(|(prefix, delimiter, ext)| NamespaceDescription {
                        prefix,
                        delimiter,
                        extensions: ext
                            .into_iter()
                            .map(|(k, v)| (k, Vec1::try_from(v).unwrap()))
                            .collect(),
                    })
                    .collect();
                let mut n = Namespaces::default();
                match slot {
                    0 => n.personal = descs,
                    1 => n.other_users = descs,
                    _ => n.shared = descs,
                }
                Untagged::Namespace(n)
            }),
        (astring(), vec((atom(), n64(), n64()), 0..3)).prop_map(|(root, r)| Untagged::Quota(
            QuotaData {
                root,
                resources: r
                    .into_iter()
                    .map(|(a, usage, limit)| QuotaUsage {
                        resource: QuotaResource::from_atom(a),
                        usage,
                        limit
                    })
                    .collect()
            }
        )),
        (mailbox(), vec(astring(), 0..3))
            .prop_map(|(mailbox, roots)| Untagged::QuotaRoot(QuotaRootData { mailbox, roots })),
        (mailbox(), vec((astring(), astring()), 0..3))
            .prop_map(|(mailbox, entries)| Untagged::Acl(AclData { mailbox, entries })),
        (mailbox(), astring(), astring(), vec(astring(), 0..3)).prop_map(
            |(mailbox, identifier, required, optional)| {
                Untagged::ListRights(ListRights {
                    mailbox,
                    identifier,
                    required,
                    optional,
                })
            }
        ),
        (mailbox(), astring())
            .prop_map(|(mailbox, rights)| Untagged::MyRights(MyRights { mailbox, rights })),
        (
            mailbox(),
            prop_oneof![
                vec(
                    (astring(), nstring().prop_map(MetadataValue::NString)),
                    1..3
                )
                .prop_map(|v| MetadataEntries::Values(Vec1::try_from(v).unwrap())),
                vec(
                    "/[a-z]{1,8}".prop_map(|s| AString::try_from(s).unwrap()),
                    1..3
                )
                .prop_map(|v| MetadataEntries::List(Vec1::try_from(v).unwrap())),
            ]
        )
            .prop_map(|(mailbox, entries)| Untagged::Metadata(MetadataData { mailbox, entries })),
        option::of(vec((istring(), nstring()), 0..3)).prop_map(|p| Untagged::Id(IdParameters(p))),
    ]
}

fn response() -> impl Strategy<Value = Response<'static>> {
    prop_oneof![
        untagged().prop_map(Response::Untagged),
        (
            "[A-Za-z0-9]{1,6}",
            prop_oneof![
                Just(Condition::Ok),
                Just(Condition::No),
                Just(Condition::Bad)
            ],
            resp_text()
        )
            .prop_map(|(tag, condition, text)| Response::Tagged(Tagged {
                tag: Tag::try_from(tag).unwrap(),
                condition,
                text
            })),
        "([A-Za-z0-9+/]{4}){0,6}"
            .prop_map(|s| Response::Continue(Continue::Base64(Base64::try_from(s).unwrap()))),
        (option::of(code()), text()).prop_map(|(code, t)| Response::Continue(Continue::Text(
            RespText {
                code,
                text: Some(t)
            }
        ))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn response_round_trips(value in response()) {
        let wire = value.encode().to_vec();
        let again = parse_response(&wire, &ParserConfig::default())
            .unwrap_or_else(|e| panic!("{e}: {}", wire.escape_ascii()));
        prop_assert_eq!(&again, &value, "{}", wire.escape_ascii());
        prop_assert_eq!(again.into_static(), value);
    }

    #[test]
    fn greeting_round_trips(
        kind in prop_oneof![Just(GreetingKind::Ok), Just(GreetingKind::PreAuth), Just(GreetingKind::Bye)],
        text in resp_text(),
    ) {
        let value = Greeting { kind, text };
        let wire = value.encode().to_vec();
        prop_assert_eq!(parse_greeting(&wire, &ParserConfig::default()).unwrap(), value);
    }

    /// Lenient parsing never fails where strict parsing succeeds, and agrees
    /// with it.
    #[test]
    fn lenient_agrees_with_strict(value in response()) {
        let wire = value.encode().to_vec();
        let lenient = parse_response(&wire, &ParserConfig::default().with_lenient(true)).unwrap();
        prop_assert_eq!(lenient, value);
    }
}
