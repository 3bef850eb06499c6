//! Property tests: `parse(encode(x)) == x` for every command, reply and
//! EHLO reply.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use mailwire_core::Secret;
use mailwire_smtp::parse::{Status, parse_command, parse_ehlo_reply, parse_reply};
use mailwire_smtp::types::capability::Extension;
use mailwire_smtp::types::path::GeneralLiteral;
use mailwire_smtp::{
    AddressLiteral, BodyType, Capabilities, Capability, Command, Domain, EhloReply, EnhancedCode,
    ForwardPath, Host, LocalPart, MailParameters, Mailbox, Mechanism, MtPriority, Notify, Orcpt,
    Parameter, RcptParameters, Reply, ReplyCode, Ret, ReversePath, Text, XText,
};
use proptest::prelude::*;

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn domain() -> impl Strategy<Value = Domain<'static>> {
    prop_oneof![
        "[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?(\\.[a-zA-Z0-9]([a-z0-9-]{0,8}[a-z0-9])?){0,3}",
        Just("bücher.example".to_owned()),
        Just("παράδειγμα.δοκιμή".to_owned()),
    ]
    .prop_map(|d| Domain::try_from(leak(d)).unwrap())
}

fn host() -> impl Strategy<Value = Host<'static>> {
    prop_oneof![
        4 => domain().prop_map(Host::Domain),
        1 => any::<[u8; 4]>().prop_map(|a| Host::Literal(AddressLiteral::Ipv4(a.into()))),
        1 => any::<[u16; 8]>().prop_map(|a| Host::Literal(AddressLiteral::Ipv6(a.into()))),
        1 => ("X[A-Za-z0-9-]{0,5}[A-Za-z0-9]", "[!-Z^-~]{1,10}").prop_map(|(t, c)| {
            Host::Literal(AddressLiteral::General(GeneralLiteral::new(leak(t), leak(c)).unwrap()))
        }),
    ]
}

fn local_part() -> impl Strategy<Value = LocalPart<'static>> {
    prop_oneof![
        "[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]{1,10}(\\.[a-zA-Z0-9_-]{1,8}){0,2}",
        "\"([ !#-\\[\\]-~]|\\\\[ -~]){0,10}\"",
        Just("δοκιμή".to_owned()),
    ]
    .prop_map(|l| LocalPart::try_from(leak(l)).unwrap())
}

fn mailbox() -> impl Strategy<Value = Mailbox<'static>> {
    (local_part(), host()).prop_map(|(l, h)| Mailbox::new(l, h))
}

fn text(min: usize) -> impl Strategy<Value = Text<'static>> {
    proptest::string::string_regex(&format!("[ -~\u{e9}\u{3b4}]{{{min},30}}"))
        .unwrap()
        .prop_map(|t| Text::try_from(t).unwrap())
}

fn xtext() -> impl Strategy<Value = XText<'static>> {
    "[ -~]{1,20}".prop_map(|t| XText::try_from(t).unwrap())
}

fn other_parameters() -> impl Strategy<Value = Vec<Parameter<'static>>> {
    proptest::collection::vec(
        ("X-[A-Z0-9]{1,8}", proptest::option::of("[!-<>-~]{1,10}"))
            .prop_map(|(k, v)| Parameter::new(leak(k), v.map(leak)).unwrap()),
        0..3,
    )
}

fn mail_parameters() -> impl Strategy<Value = MailParameters<'static>> {
    (
        proptest::option::of(any::<u64>()),
        proptest::option::of(prop_oneof![
            Just(BodyType::SevenBit),
            Just(BodyType::EightBitMime),
            Just(BodyType::BinaryMime)
        ]),
        any::<bool>(),
        proptest::option::of(prop_oneof![Just(Ret::Full), Just(Ret::Headers)]),
        proptest::option::of(xtext()),
        proptest::option::of(xtext()),
        any::<bool>(),
        proptest::option::of((-9i8..=9).prop_map(|p| MtPriority::new(p).unwrap())),
        other_parameters(),
    )
        .prop_map(
            |(size, body, smtputf8, ret, envid, auth, requiretls, mt_priority, other)| {
                MailParameters {
                    size,
                    body,
                    smtputf8,
                    ret,
                    envid,
                    auth,
                    requiretls,
                    mt_priority,
                    other,
                }
            },
        )
}

fn rcpt_parameters() -> impl Strategy<Value = RcptParameters<'static>> {
    (
        proptest::option::of(prop_oneof![
            Just(Notify::NEVER),
            (any::<bool>(), any::<bool>(), any::<bool>())
                .prop_filter_map("some", |(s, f, d)| Notify::on(s, f, d))
        ]),
        proptest::option::of(
            ("[a-z0-9-]{1,8}", xtext()).prop_map(|(t, a)| Orcpt::new(leak(t), a).unwrap()),
        ),
        other_parameters(),
    )
        .prop_map(|(notify, orcpt, other)| RcptParameters {
            notify,
            orcpt,
            other,
        })
}

fn command() -> impl Strategy<Value = Command<'static>> {
    prop_oneof![
        host().prop_map(|host| Command::Helo { host }),
        host().prop_map(|host| Command::Ehlo { host }),
        host().prop_map(|host| Command::Lhlo { host }),
        (
            prop_oneof![
                Just(ReversePath::Null),
                mailbox().prop_map(ReversePath::Mailbox)
            ],
            mail_parameters()
        )
            .prop_map(|(reverse_path, parameters)| Command::Mail {
                reverse_path,
                parameters
            }),
        (
            prop_oneof![
                Just(ForwardPath::Postmaster),
                mailbox().prop_map(ForwardPath::Mailbox)
            ],
            rcpt_parameters()
        )
            .prop_map(|(forward_path, parameters)| Command::Rcpt {
                forward_path,
                parameters
            }),
        Just(Command::Data),
        (any::<u64>(), any::<bool>()).prop_map(|(size, last)| Command::Bdat { size, last }),
        Just(Command::Rset),
        text(1).prop_map(|argument| Command::Vrfy { argument }),
        text(1).prop_map(|argument| Command::Expn { argument }),
        proptest::option::of(text(0)).prop_map(|topic| Command::Help { topic }),
        proptest::option::of(text(0)).prop_map(|argument| Command::Noop { argument }),
        Just(Command::Quit),
        Just(Command::StartTls),
        (
            "[A-Z0-9_-]{1,20}",
            proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40))
        )
            .prop_map(|(m, ir)| Command::Auth {
                mechanism: Mechanism::try_from(leak(m)).unwrap(),
                initial_response: ir.map(Secret::new),
            }),
    ]
}

fn reply() -> impl Strategy<Value = Reply<'static>> {
    (
        (2u16..=5, 0u16..=5, 0u16..=9),
        proptest::option::of((0u16..=999, 0u16..=999)),
        proptest::collection::vec("([A-Za-z][ -~]{0,30})?", 1..5),
    )
        .prop_map(|((a, b, c), enhanced, lines)| {
            let code = ReplyCode::new(a * 100 + b * 10 + c).unwrap();
            let enhanced = enhanced.and_then(|(s, d)| EnhancedCode::new(code.class(), s, d));
            let lines = lines
                .into_iter()
                .map(|l| Text::try_from(l).unwrap())
                .collect();
            Reply::from_parts(code, enhanced, lines).unwrap()
        })
}

fn capability() -> impl Strategy<Value = Capability> {
    prop_oneof![
        proptest::option::of(any::<u64>()).prop_map(Capability::Size),
        Just(Capability::Pipelining),
        Just(Capability::EightBitMime),
        Just(Capability::SmtpUtf8),
        Just(Capability::Chunking),
        Just(Capability::BinaryMime),
        Just(Capability::StartTls),
        Just(Capability::Dsn),
        Just(Capability::EnhancedStatusCodes),
        Just(Capability::RequireTls),
        proptest::collection::vec("[A-Z0-9_-]{1,20}", 0..4).prop_map(|m| Capability::Auth(
            m.into_iter()
                .map(|m| Mechanism::try_from(leak(m)).unwrap())
                .collect()
        )),
        (
            "X-[A-Z0-9]{1,8}",
            proptest::collection::vec("[!-~]{1,8}", 0..3)
        )
            .prop_map(|(k, p)| Capability::Other(Extension::new(&k, p).unwrap())),
    ]
}

proptest! {
    #[test]
    fn command_roundtrip(command in command()) {
        let wire = command.to_bytes();
        match parse_command(&wire) {
            Ok(Status::Complete((parsed, used))) => {
                prop_assert_eq!(used, wire.len());
                prop_assert_eq!(parsed, command);
            }
            other => prop_assert!(false, "{:?} from {:?}", other, wire.escape_ascii().to_string()),
        }
    }

    #[test]
    fn reply_roundtrip(reply in reply()) {
        let wire = reply.to_bytes();
        let Status::Complete((parsed, used)) = parse_reply(&wire).unwrap() else { panic!() };
        prop_assert_eq!(used, wire.len());
        prop_assert_eq!(parsed, reply);
    }

    #[test]
    fn ehlo_roundtrip(
        domain in "[a-z]{1,10}\\.example",
        greeting in proptest::option::of("[A-Za-z][ -~]{0,20}"),
        list in proptest::collection::vec(capability(), 0..8),
    ) {
        let mut capabilities = Capabilities::default();
        for c in list {
            capabilities.push(c);
        }
        let ehlo = EhloReply {
            domain: Text::try_from(domain).unwrap(),
            greeting: greeting.map(|g| Text::try_from(g).unwrap()),
            capabilities,
        };
        let wire = ehlo.to_reply().to_bytes();
        let Status::Complete((reply, _)) = parse_reply(&wire).unwrap() else { panic!() };
        prop_assert_eq!(parse_ehlo_reply(&reply).unwrap(), ehlo);
    }

    #[test]
    fn command_parser_never_panics(input in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = parse_command(&input);
        let _ = parse_reply(&input);
    }
}

#[cfg(feature = "message")]
proptest! {
    #[test]
    fn mailbox_converts_to_addr_spec_and_back(mailbox in mailbox()) {
        use mailwire_message::address::AddrSpec;
        let spec = AddrSpec::try_from(&mailbox).unwrap();
        prop_assert_eq!(spec.to_string(), mailbox.to_string());
        prop_assert_eq!(Mailbox::try_from(&spec).unwrap(), mailbox);
    }
}
