//! proptest: `parse(encode(command)) == command` for every command, and the
//! encoded bytes frame the same split at any point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::num::{NonZeroU32, NonZeroU64};

use chrono::{FixedOffset, NaiveDate, TimeZone};
use mailwire_core::Secret;
use mailwire_imap::*;
use proptest::prelude::*;

fn config() -> ParserConfig {
    ParserConfig::default().with_revision(Revision::Rev2)
}

fn chars(set: &'static str, min: usize, max: usize) -> impl Strategy<Value = String> {
    let set: Vec<char> = set.chars().collect();
    prop::collection::vec(prop::sample::select(set), min..max).prop_map(|v| v.into_iter().collect())
}

const ATOM: &str = "abcXYZ019-_.+$&!~'<>";

fn tag() -> impl Strategy<Value = Tag<'static>> {
    chars("abcXYZ019-_.$]", 1, 6).prop_map(|s| Tag::try_from(s).unwrap())
}

fn atom() -> impl Strategy<Value = Atom<'static>> {
    chars(ATOM, 1, 8).prop_map(|s| Atom::try_from(s).unwrap())
}

fn xatom() -> impl Strategy<Value = Atom<'static>> {
    chars("ABC019", 1, 5).prop_map(|s| Atom::try_from(format!("X-{s}")).unwrap())
}

/// Any text the string constructors accept: atoms, quotable text, text that
/// needs a literal, UTF-8.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        chars(ATOM, 1, 6),
        chars("ab ]\"\\()%*{}", 0, 8),
        chars("ab\r\n", 0, 6),
        chars("aé日😀 ", 0, 5),
    ]
}

fn astring() -> impl Strategy<Value = AString<'static>> {
    (text(), any::<bool>()).prop_map(|(s, plus)| match AString::try_from(s).unwrap() {
        AString::String(IString::Literal(l)) if plus => {
            AString::String(IString::Literal(l.with_mode(LiteralMode::NonSync)))
        }
        other => other,
    })
}

fn istring() -> impl Strategy<Value = IString<'static>> {
    text().prop_map(|s| IString::try_from(s).unwrap())
}

fn nstring() -> impl Strategy<Value = NString<'static>> {
    prop::option::of(istring()).prop_map(NString)
}

fn mailbox() -> impl Strategy<Value = Mailbox<'static>> {
    prop_oneof![Just("inbox".to_owned()), text()].prop_map(|s| Mailbox::try_from(s).unwrap())
}

fn list_mailbox() -> impl Strategy<Value = ListMailbox<'static>> {
    prop_oneof![chars("ab%*]/", 1, 6), text()].prop_map(|s| ListMailbox::try_from(s).unwrap())
}

fn nz() -> impl Strategy<Value = NonZeroU32> {
    (1u32..=u32::MAX).prop_map(|n| NonZeroU32::new(n).unwrap())
}

fn nz64() -> impl Strategy<Value = NonZeroU64> {
    (1u64..=i64::MAX as u64).prop_map(|n| NonZeroU64::new(n).unwrap())
}

fn set() -> impl Strategy<Value = SequenceSet<'static>> {
    let number = prop_oneof![nz().prop_map(SeqNumber::Value), Just(SeqNumber::Largest)];
    let range = (number.clone(), number).prop_map(|(start, end)| SeqRange { start, end });
    prop_oneof![
        9 => prop::collection::vec(range, 1..4).prop_map(|r| SequenceSet::from_ranges(r).unwrap()),
        1 => Just(SequenceSet::LAST_COMMAND),
    ]
}

fn flag() -> impl Strategy<Value = Flag<'static>> {
    prop_oneof![
        Just(Flag::Seen),
        Just(Flag::Answered),
        Just(Flag::Flagged),
        Just(Flag::Deleted),
        Just(Flag::Draft),
        atom().prop_map(Flag::Keyword),
        atom().prop_map(Flag::system),
    ]
}

fn date() -> impl Strategy<Value = Date> {
    (0i32..=9999, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| Date::try_from(NaiveDate::from_ymd_opt(y, m, d).unwrap()).unwrap())
}

fn date_time() -> impl Strategy<Value = DateTime> {
    (
        0i32..=9999,
        1u32..=12,
        1u32..=28,
        0u32..24,
        0u32..60,
        0u32..60,
        -2359i32..=2359,
    )
        .prop_map(|(y, mo, d, h, mi, s, z)| {
            let zone = FixedOffset::east_opt((z / 100) * 3600 + (z % 100 % 60) * 60).unwrap();
            DateTime::try_from(zone.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()).unwrap()
        })
}

fn search_key() -> impl Strategy<Value = SearchKey<'static>> {
    use SearchKey as K;
    let leaf = prop_oneof![
        Just(K::All),
        Just(K::Answered),
        Just(K::Deleted),
        Just(K::Seen),
        Just(K::Unseen),
        Just(K::New),
        Just(K::Recent),
        Just(K::Undraft),
        astring().prop_map(K::Body),
        astring().prop_map(K::From),
        astring().prop_map(K::Subject),
        (astring(), astring()).prop_map(|(a, b)| K::Header(a, b)),
        date().prop_map(K::Since),
        date().prop_map(K::SentOn),
        (0u64..=i64::MAX as u64).prop_map(K::Larger),
        atom().prop_map(K::Keyword),
        set().prop_map(K::Uid),
        set().prop_map(K::SequenceSet),
        nz().prop_map(K::Younger),
        atom().prop_map(K::ThreadId),
        (
            prop::option::of((
                flag(),
                prop::sample::select(vec![EntryType::All, EntryType::Private, EntryType::Shared])
            )),
            0u64..1000
        )
            .prop_map(|(entry, mod_sequence)| K::ModSeq {
                entry: entry.map(|(f, t)| (
                    AString::String(IString::try_from(format!("/flags/{f}")).unwrap()),
                    t
                )),
                mod_sequence,
            }),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|k| K::Not(Box::new(k))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| K::Or(Box::new(a), Box::new(b))),
            prop::collection::vec(inner, 1..3).prop_map(|v| K::And(Vec1::try_from(v).unwrap())),
        ]
    })
}

fn keys() -> impl Strategy<Value = Vec1<SearchKey<'static>>> {
    prop::collection::vec(search_key(), 1..3).prop_map(|v| Vec1::try_from(v).unwrap())
}

fn part() -> impl Strategy<Value = Part> {
    prop::collection::vec(nz(), 1..3).prop_map(|v| Part::try_from(v).unwrap())
}

fn section() -> impl Strategy<Value = Section<'static>> {
    let names = || prop::collection::vec(astring(), 1..3).prop_map(|v| Vec1::try_from(v).unwrap());
    prop_oneof![
        part().prop_map(Section::Part),
        prop::option::of(part()).prop_map(Section::Header),
        (prop::option::of(part()), names()).prop_map(|(p, n)| Section::HeaderFields(p, n)),
        (prop::option::of(part()), names()).prop_map(|(p, n)| Section::HeaderFieldsNot(p, n)),
        prop::option::of(part()).prop_map(Section::Text),
        part().prop_map(Section::Mime),
    ]
}

fn partial() -> impl Strategy<Value = Partial> {
    (0u64..1 << 40, nz64()).prop_map(|(offset, length)| Partial { offset, length })
}

fn fetch_att() -> impl Strategy<Value = FetchAttribute<'static>> {
    use FetchAttribute as A;
    prop_oneof![
        Just(A::Envelope),
        Just(A::Flags),
        Just(A::InternalDate),
        Just(A::Rfc822Size),
        Just(A::Body),
        Just(A::BodyStructure),
        Just(A::Uid),
        Just(A::Rfc822),
        Just(A::Rfc822Header),
        Just(A::ModSeq),
        Just(A::EmailId),
        Just(A::SaveDate),
        (
            any::<bool>(),
            prop::option::of(section()),
            prop::option::of(partial())
        )
            .prop_map(|(peek, section, partial)| A::BodySection {
                peek,
                section,
                partial
            }),
        (
            any::<bool>(),
            prop::option::of(part()),
            prop::option::of(partial())
        )
            .prop_map(|(peek, part, partial)| A::Binary {
                peek,
                part,
                partial
            }),
        prop::option::of(part()).prop_map(|part| A::BinarySize { part }),
    ]
}

fn fetch_items() -> impl Strategy<Value = FetchItems<'static>> {
    prop_oneof![
        Just(FetchItems::All),
        Just(FetchItems::Fast),
        Just(FetchItems::Full),
        fetch_att().prop_map(FetchItems::Single),
        prop::collection::vec(fetch_att(), 1..4)
            .prop_map(|v| FetchItems::List(Vec1::try_from(v).unwrap())),
    ]
}

fn extension(list_only: bool) -> impl Strategy<Value = Extension<'static>> {
    let item = astring()
        .prop_map(ExtensionItem::AString)
        .prop_recursive(3, 8, 3, |inner| {
            prop::collection::vec(inner, 0..3).prop_map(ExtensionItem::List)
        });
    let list = prop::collection::vec(item, 0..3).prop_map(ExtensionValue::List);
    let value = if list_only {
        list.boxed()
    } else {
        prop_oneof![
            list,
            set().prop_map(ExtensionValue::SequenceSet),
            prop_oneof![Just(0u64), (1u64 << 32..=i64::MAX as u64)]
                .prop_map(ExtensionValue::Number),
        ]
        .boxed()
    };
    (xatom(), prop::option::of(value)).prop_map(|(name, value)| Extension { name, value })
}

fn return_opts() -> impl Strategy<Value = Option<Vec<SearchReturnOption<'static>>>> {
    prop::option::of(prop::collection::vec(
        prop_oneof![
            Just(SearchReturnOption::Min),
            Just(SearchReturnOption::Max),
            Just(SearchReturnOption::All),
            Just(SearchReturnOption::Count),
            Just(SearchReturnOption::Save),
            extension(false).prop_map(SearchReturnOption::Other),
        ],
        0..3,
    ))
}

fn status_items() -> impl Strategy<Value = Vec1<StatusItem>> {
    let all: Vec<StatusItem> = StatusItem::all().collect();
    prop::collection::vec(prop::sample::select(all), 1..4).prop_map(|v| Vec1::try_from(v).unwrap())
}

fn literal_data() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(1u8..=255, 0..20)
}

fn append_message() -> impl Strategy<Value = AppendMessage<'static>> {
    let data = prop_oneof![
        (literal_data(), any::<bool>()).prop_map(|(d, plus)| AppendData::Literal(
            Literal::try_from(d).unwrap().with_mode(if plus {
                LiteralMode::NonSync
            } else {
                LiteralMode::Sync
            })
        )),
        prop::collection::vec(any::<u8>(), 0..10)
            .prop_map(|d| AppendData::Literal8(Literal8::new(d))),
        prop::collection::vec(any::<u8>(), 0..10).prop_map(|d| AppendData::Utf8(Literal8::new(d))),
    ];
    (
        prop::option::of(prop::collection::vec(flag(), 0..3)),
        prop::option::of(date_time()),
        data,
    )
        .prop_map(|(flags, date, data)| AppendMessage { flags, date, data })
}

fn base64() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<u8>(), 1..12).prop_map(|bytes| {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut s = String::new();
        for chunk in bytes.chunks(3) {
            let n =
                chunk.iter().fold(0u32, |n, b| n << 8 | u32::from(*b)) << (8 * (3 - chunk.len()));
            for i in 0..=chunk.len() {
                s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
            for _ in chunk.len()..3 {
                s.push('=');
            }
        }
        s
    })
}

fn body() -> impl Strategy<Value = CommandBody<'static>> {
    use CommandBody as C;
    let simple = prop_oneof![
        Just(C::Capability),
        Just(C::Noop),
        Just(C::Logout),
        Just(C::StartTls),
        Just(C::Namespace),
        Just(C::Idle),
        Just(C::Check),
        Just(C::Close),
        Just(C::Unselect),
        Just(C::Expunge),
        (
            atom(),
            prop::option::of(prop_oneof![
                Just(InitialResponse::Empty),
                base64().prop_map(|s| InitialResponse::Base64(Secret::new(
                    Base64::try_from(s).unwrap()
                ))),
            ])
        )
            .prop_map(|(mechanism, initial_response)| C::Authenticate {
                mechanism,
                initial_response
            }),
        (astring(), astring()).prop_map(|(u, p)| C::login(u, p)),
        prop::collection::vec(atom(), 1..3).prop_map(|v| C::Enable {
            capabilities: Vec1::try_from(v.into_iter().map(Capability::from).collect::<Vec<_>>())
                .unwrap()
        }),
        mailbox().prop_map(|mailbox| C::Delete { mailbox }),
        (mailbox(), mailbox()).prop_map(|(from, to)| C::Rename { from, to }),
        mailbox().prop_map(|mailbox| C::Subscribe { mailbox }),
        mailbox().prop_map(|mailbox| C::Unsubscribe { mailbox }),
        (mailbox(), list_mailbox()).prop_map(|(reference, pattern)| C::Lsub { reference, pattern }),
        (mailbox(), status_items()).prop_map(|(mailbox, items)| C::Status { mailbox, items }),
        set().prop_map(|set| C::UidExpunge { set }),
        atom().prop_map(|algorithm| C::Compress { algorithm }),
    ];
    let select_param = prop_oneof![
        Just(SelectParameter::CondStore),
        extension(false).prop_map(SelectParameter::Other),
        (
            nz(),
            nz64(),
            prop::option::of(set()),
            prop::option::of((set(), set()))
        )
            .prop_map(|(uid_validity, mod_sequence, known_uids, seq_match)| {
                SelectParameter::QResync {
                    uid_validity,
                    mod_sequence,
                    known_uids: known_uids.filter(|s| !s.is_last_command()),
                    seq_match,
                }
            }),
    ];
    let mailboxes = prop_oneof![
        (
            mailbox(),
            prop::collection::vec(select_param, 0..2),
            any::<bool>()
        )
            .prop_map(|(mailbox, parameters, examine)| if examine {
                C::Examine {
                    mailbox,
                    parameters,
                }
            } else {
                C::Select {
                    mailbox,
                    parameters,
                }
            }),
        (
            mailbox(),
            prop::option::of(prop::collection::vec(atom(), 0..3))
        )
            .prop_map(|(mailbox, special_use)| C::Create {
                mailbox,
                special_use
            }),
        (
            prop::option::of(prop::collection::vec(
                prop_oneof![
                    Just(ListSelectOption::Subscribed),
                    Just(ListSelectOption::Remote),
                    Just(ListSelectOption::RecursiveMatch),
                    Just(ListSelectOption::SpecialUse),
                    extension(true).prop_map(ListSelectOption::Other),
                ],
                0..3
            )),
            mailbox(),
            prop_oneof![
                list_mailbox().prop_map(ListPatterns::Single),
                prop::collection::vec(list_mailbox(), 1..3)
                    .prop_map(|v| ListPatterns::Multiple(Vec1::try_from(v).unwrap())),
            ],
            prop::option::of(prop::collection::vec(
                prop_oneof![
                    Just(ListReturnOption::Subscribed),
                    Just(ListReturnOption::Children),
                    Just(ListReturnOption::SpecialUse),
                    status_items().prop_map(ListReturnOption::Status),
                    extension(true).prop_map(ListReturnOption::Other),
                ],
                0..3
            )),
        )
            .prop_map(|(selection, reference, patterns, return_options)| C::List {
                selection,
                reference,
                patterns,
                return_options,
            }),
        (mailbox(), prop::collection::vec(append_message(), 1..3)).prop_map(|(mailbox, m)| {
            C::Append {
                mailbox,
                messages: Vec1::try_from(m).unwrap(),
            }
        }),
        prop::option::of(prop::collection::vec((istring(), nstring()), 0..3))
            .prop_map(|parameters| C::Id { parameters }),
        astring().prop_map(|root| C::GetQuota { root }),
        mailbox().prop_map(|mailbox| C::GetQuotaRoot { mailbox }),
        (
            astring(),
            prop::collection::vec((atom(), 0u64..1 << 40), 0..3)
        )
            .prop_map(|(root, l)| C::SetQuota {
                root,
                limits: l
                    .into_iter()
                    .map(|(a, n)| (QuotaResource::from_atom(a), n))
                    .collect(),
            }),
        (mailbox(), astring(), astring()).prop_map(|(mailbox, identifier, rights)| C::SetAcl {
            mailbox,
            identifier,
            rights
        }),
        (mailbox(), astring()).prop_map(|(mailbox, identifier)| C::DeleteAcl {
            mailbox,
            identifier
        }),
        mailbox().prop_map(|mailbox| C::GetAcl { mailbox }),
        (mailbox(), astring()).prop_map(|(mailbox, identifier)| C::ListRights {
            mailbox,
            identifier
        }),
        mailbox().prop_map(|mailbox| C::MyRights { mailbox }),
        (
            prop::collection::vec(
                prop_oneof![
                    any::<u32>().prop_map(MetadataOption::MaxSize),
                    prop::sample::select(vec![
                        MetadataDepth::Zero,
                        MetadataDepth::One,
                        MetadataDepth::Infinity
                    ])
                    .prop_map(MetadataOption::Depth),
                ],
                0..3
            ),
            mailbox(),
            prop_oneof![
                astring().prop_map(Entries::Single),
                prop::collection::vec(astring(), 1..3)
                    .prop_map(|v| Entries::List(Vec1::try_from(v).unwrap())),
            ],
        )
            .prop_map(|(options, mailbox, entries)| C::GetMetadata {
                options,
                mailbox,
                entries
            }),
        (
            mailbox(),
            prop::collection::vec(
                (
                    astring(),
                    prop_oneof![
                        nstring().prop_map(MetadataValue::NString),
                        prop::collection::vec(any::<u8>(), 0..6)
                            .prop_map(|d| MetadataValue::Literal8(Literal8::new(d))),
                    ]
                ),
                1..3
            ),
        )
            .prop_map(|(mailbox, e)| C::SetMetadata {
                mailbox,
                entries: Vec1::try_from(e).unwrap()
            }),
    ];
    let selected = prop_oneof![
        (
            return_opts(),
            prop::option::of(astring()),
            keys(),
            any::<bool>()
        )
            .prop_map(|(return_options, charset, criteria, uid)| C::Search {
                return_options,
                charset,
                criteria,
                uid
            }),
        (
            set(),
            fetch_items(),
            prop::collection::vec(
                prop_oneof![
                    nz64().prop_map(FetchModifier::ChangedSince),
                    Just(FetchModifier::Vanished),
                    extension(false).prop_map(FetchModifier::Other)
                ],
                0..2
            ),
            any::<bool>()
        )
            .prop_map(|(set, items, modifiers, uid)| C::Fetch {
                set,
                items,
                modifiers,
                uid
            }),
        (
            set(),
            prop::sample::select(vec![StoreKind::Replace, StoreKind::Add, StoreKind::Remove]),
            any::<bool>(),
            prop::collection::vec(flag(), 0..3),
            prop::collection::vec(
                prop_oneof![
                    (0u64..1 << 40).prop_map(StoreModifier::UnchangedSince),
                    extension(false).prop_map(StoreModifier::Other),
                ],
                0..2
            ),
            any::<bool>()
        )
            .prop_map(|(set, kind, silent, flags, modifiers, uid)| C::Store {
                set,
                kind,
                silent,
                flags,
                modifiers,
                uid
            }),
        (set(), mailbox(), any::<bool>(), any::<bool>()).prop_map(
            |(set, mailbox, uid, mv)| if mv {
                C::Move { set, mailbox, uid }
            } else {
                C::Copy { set, mailbox, uid }
            }
        ),
        (
            return_opts(),
            prop::collection::vec(
                (
                    any::<bool>(),
                    prop::sample::select(vec![
                        SortKey::Arrival,
                        SortKey::Cc,
                        SortKey::Date,
                        SortKey::From,
                        SortKey::Size,
                        SortKey::Subject,
                        SortKey::To,
                        SortKey::DisplayFrom,
                        SortKey::DisplayTo
                    ])
                )
                    .prop_map(|(reverse, key)| SortCriterion { reverse, key }),
                1..3
            ),
            astring(),
            keys(),
            any::<bool>()
        )
            .prop_map(|(return_options, c, charset, search, uid)| C::Sort {
                return_options,
                criteria: Vec1::try_from(c).unwrap(),
                charset,
                search,
                uid
            }),
        (atom(), astring(), keys(), any::<bool>()).prop_map(|(a, charset, search, uid)| {
            C::Thread {
                algorithm: ThreadAlgorithm::from_atom(a),
                charset,
                search,
                uid,
            }
        }),
    ];
    prop_oneof![simple, mailboxes, selected]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_encode_round_trip(tag in tag(), body in body()) {
        let command = Command::new(tag, body);
        let encoded = command.encode_with(EncodeConfig::default().with_utf8_quoted(true));
        let bytes = encoded.to_vec();
        let parsed = parse_command(&bytes, &config())
            .unwrap_or_else(|e| panic!("{e} in {:?}", String::from_utf8_lossy(&bytes)));
        prop_assert_eq!(&parsed, &command);

        // The fragments frame as announced: each literal follows a line
        // ending with its announcement.
        let mut framer = Framer::server(Limits::default().with_non_sync_literals(NonSyncLiterals::Plus));
        let mut announced = Vec::new();
        let mut messages = Vec::new();
        for fragment in encoded.fragments() {
            match fragment {
                Fragment::Line { data } => framer.push(data),
                Fragment::Literal { data, .. } => framer.push(data),
                _ => unreachable!(),
            }
            while let Some(frame) = framer.next() {
                match frame.unwrap() {
                    Frame::LiteralAnnounced(a) => announced.push((a.length, a.mode)),
                    Frame::Message(m) => messages.push(m.bytes().to_vec()),
                    _ => unreachable!(),
                }
            }
        }
        let literals: Vec<_> = encoded.fragments().iter().filter_map(|f| match f {
            Fragment::Literal { data, mode, .. } => Some((data.len() as u64, *mode)),
            _ => None,
        }).collect();
        prop_assert_eq!(announced, literals);
        prop_assert_eq!(messages, vec![bytes]);
    }

    /// Without UTF-8, non-ASCII quoted text goes out as a literal, which
    /// parses back to the same bytes.
    #[test]
    fn ascii_peer_gets_literals(tag in tag(), body in body()) {
        let command = Command::new(tag, body);
        let bytes = command.encode().to_vec();
        let parsed = parse_command(&bytes, &ParserConfig::default())
            .unwrap_or_else(|e| panic!("{e} in {:?}", String::from_utf8_lossy(&bytes)));
        prop_assert_eq!(parsed.encode().to_vec(), bytes);
    }
}
