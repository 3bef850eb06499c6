//! Property tests: `parse(encode(x)) == x` for commands, responses,
//! capabilities and listing lines.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use mailwire_core::Secret;
use mailwire_pop3::parse::{
    Parsed, parse_capability, parse_command, parse_command_line, parse_language,
    parse_response_line, parse_scan_listing, parse_server_line, parse_unique_id_listing,
};
use mailwire_pop3::types::command::{ApopDigest, Argument, Password};
use mailwire_pop3::{
    Capability, Command, Language, Response, ResponseCode, ScanListing, ServerLine, Status, Text,
    UniqueId, UniqueIdListing,
};
use mailwire_sasl::Mechanism;
use proptest::prelude::*;

fn argument() -> impl Strategy<Value = Argument> {
    "[!-~]{1,40}".prop_map(|s| Argument::new(s).unwrap())
}

fn text() -> impl Strategy<Value = Text> {
    // Text that does not start with `[`: a leading resp-code would be read
    // back as the code.
    "([^\\[\r\n\0][^\r\n\0]{0,60})?".prop_map(|s| Text::new(s).unwrap())
}

fn code() -> impl Strategy<Value = ResponseCode> {
    "[A-Z0-9-]{1,10}(/[A-Z0-9-]{1,10}){0,2}".prop_map(|s| ResponseCode::new(s).unwrap())
}

fn mechanism() -> impl Strategy<Value = Mechanism> {
    "[A-Z0-9_-]{1,20}".prop_map(|s| Mechanism::new(&s).unwrap())
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        argument().prop_map(|name| Command::User { name }),
        "[^\r\n\0]{1,60}".prop_map(|p| Command::Pass {
            password: Password::new(p).unwrap()
        }),
        (argument(), "[0-9a-f]{32}").prop_map(|(name, d)| Command::Apop {
            name,
            digest: ApopDigest::new(d).unwrap()
        }),
        Just(Command::Stat),
        any::<Option<u32>>().prop_map(|message| Command::List { message }),
        any::<u32>().prop_map(|message| Command::Retr { message }),
        any::<u32>().prop_map(|message| Command::Dele { message }),
        Just(Command::Noop),
        Just(Command::Rset),
        Just(Command::Quit),
        (any::<u32>(), any::<u32>()).prop_map(|(message, lines)| Command::Top { message, lines }),
        any::<Option<u32>>().prop_map(|message| Command::Uidl { message }),
        Just(Command::Capa),
        Just(Command::Stls),
        (
            mechanism(),
            proptest::option::of(proptest::collection::vec(any::<u8>(), 0..100))
        )
            .prop_map(|(mechanism, ir)| Command::Auth {
                mechanism,
                initial_response: ir.map(Secret::new)
            }),
        Just(Command::Utf8),
        proptest::option::of(argument()).prop_map(|range| Command::Lang { range }),
    ]
}

fn response() -> impl Strategy<Value = Response> {
    (any::<bool>(), proptest::option::of(code()), text()).prop_map(|(ok, code, text)| Response {
        status: if ok { Status::Ok } else { Status::Err },
        code,
        text,
    })
}

fn capability() -> impl Strategy<Value = Capability> {
    prop_oneof![
        Just(Capability::Top),
        Just(Capability::User),
        proptest::collection::vec(mechanism(), 0..5).prop_map(Capability::Sasl),
        Just(Capability::RespCodes),
        (any::<u32>(), any::<bool>())
            .prop_map(|(seconds, per_user)| Capability::LoginDelay { seconds, per_user }),
        Just(Capability::Pipelining),
        (any::<Option<u32>>(), any::<bool>())
            .prop_map(|(days, per_user)| Capability::Expire { days, per_user }),
        Just(Capability::Uidl),
        "([!-~][ -~]{0,40})?".prop_map(|t| Capability::Implementation(Text::new(t).unwrap())),
        Just(Capability::Stls),
        Just(Capability::AuthRespCode),
        any::<bool>().prop_map(|user| Capability::Utf8 { user }),
        Just(Capability::Lang),
        ("X-[A-Z]{1,8}", proptest::collection::vec(argument(), 0..4)).prop_map(|(t, params)| {
            Capability::Other {
                tag: Argument::new(t).unwrap(),
                params,
            }
        }),
    ]
}

proptest! {
    #[test]
    fn commands_round_trip(command in command()) {
        let wire = command.to_bytes();
        let line = &wire[..wire.len() - 2];
        prop_assert_eq!(parse_command_line(line).unwrap(), command.clone());
        if wire.len() <= 255 {
            prop_assert_eq!(parse_command(&wire).unwrap(), Parsed::Complete((command, wire.len())));
        }
    }

    #[test]
    fn responses_round_trip(response in response()) {
        let wire = response.to_bytes();
        let line = &wire[..wire.len() - 2];
        prop_assert_eq!(parse_response_line(line).unwrap(), response.clone());
        prop_assert_eq!(parse_server_line(line).unwrap(), ServerLine::Response(response));
    }

    #[test]
    fn continuations_round_trip(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut wire = Vec::new();
        mailwire_pop3::encode::encode_continuation(&data, &mut wire);
        prop_assert_eq!(parse_server_line(&wire[..wire.len() - 2]).unwrap(), ServerLine::Continuation(data));
    }

    #[test]
    fn capabilities_round_trip(capability in capability()) {
        let wire = capability.to_bytes();
        prop_assert_eq!(parse_capability(&wire[..wire.len() - 2]).unwrap(), capability);
    }

    #[test]
    fn listings_round_trip(message in any::<u32>(), size in any::<u64>().prop_map(|s| s % 10_000_000_000_000_000_000), uid in "[!-~]{1,70}") {
        let scan = ScanListing { message, size };
        prop_assert_eq!(parse_scan_listing(scan.to_string().as_bytes()).unwrap(), scan);
        let listing = UniqueIdListing { message, uid: UniqueId::new(uid).unwrap() };
        prop_assert_eq!(parse_unique_id_listing(listing.to_string().as_bytes()).unwrap(), listing);
    }

    #[test]
    fn languages_round_trip(tag in argument(), description in proptest::option::of("[^\r\n\0]{1,30}")) {
        let language = Language { tag, description: description.map(|d| Text::new(d).unwrap()) };
        prop_assert_eq!(parse_language(language.to_string().as_bytes()).unwrap(), language);
    }

    #[test]
    fn parsers_never_panic(line in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_command_line(&line);
        let _ = parse_command(&line);
        let _ = parse_server_line(&line);
        let _ = parse_capability(&line);
        let _ = parse_scan_listing(&line);
        let _ = parse_unique_id_listing(&line);
        let _ = parse_language(&line);
    }
}
