//! Property tests: any user name and password, including the code points
//! SASLprep maps, normalises or prohibits (RFC 4013), authenticates with
//! every password mechanism, and the wire encoding round-trips any bytes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use mailwire_core::Secret;
use mailwire_sasl::wire::{self, ClientMessage, Limits};
use mailwire_sasl::{
    Client, Credentials, Error, Event, Mechanism, Outcome, ScramHash, ScramKeys, Server,
    ServerConfig, ServerStep, StoredCredentials, Verdict,
};
use proptest::prelude::*;

/// Strings mixing ASCII (with SCRAM's `,` and `=`), Latin-1, and the
/// characters SASLprep treats specially: U+00A0 NO-BREAK SPACE (mapped to
/// space), U+00AD SOFT HYPHEN (mapped to nothing), U+2168 and U+FB01
/// (changed by NFKC), U+0627 and U+05D0 (RTL, bidi rules), U+0007 and
/// U+E000 (prohibited), U+0221 (unassigned in Unicode 3.2).
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9,=@. ]{1,12}",
        "[a-zé,=\u{a0}\u{ad}\u{2168}\u{fb01}\u{627}\u{5d0}\u{7}\u{e000}\u{221}]{1,8}",
        any::<String>().prop_filter("empty", |s| !s.is_empty()),
    ]
}

fn prepared(s: &str) -> Option<String> {
    match stringprep::saslprep(s) {
        Ok(p) if !p.is_empty() => Some(p.into_owned()),
        _ => None,
    }
}

/// Runs `mechanism` with client credentials `user`/`password` against a
/// server that stores `password`; returns the outcome or the first error.
fn authenticate(mechanism: &Mechanism, user: &str, password: &str) -> Result<Outcome, Error> {
    let expected = prepared(password);
    authenticate_against(mechanism, user, password, password, expected.as_deref())
}

/// Runs `mechanism` with client credentials `user`/`password` against a
/// server that stores `stored` (SCRAM keys, CRAM-MD5 secret) and, for
/// PLAIN and LOGIN, accepts exactly the prepared password `accept`.
fn authenticate_against(
    mechanism: &Mechanism,
    user: &str,
    password: &str,
    stored: &str,
    accept: Option<&str>,
) -> Result<Outcome, Error> {
    let credentials = Credentials::password(user, password);
    let mut client = Client::new(mechanism, &credentials)?;
    let mut server = Server::new(mechanism, &ServerConfig::new())?;
    let limits = Limits::default();
    let mut step = match client.initial_response()? {
        Some(initial) => {
            let mut line = Vec::new();
            wire::encode_initial_response(initial.expose_secret(), &mut line);
            let ClientMessage::Response(data) = wire::decode_initial_response(&line, &limits)?
            else {
                panic!()
            };
            server.start(Some(data.expose_secret()))?
        }
        None => server.start(None)?,
    };
    loop {
        step = match step {
            ServerStep::Challenge(challenge) => {
                let mut line = Vec::new();
                wire::encode_challenge(&challenge, &mut line);
                let challenge = wire::decode_challenge(&line, &limits)?;
                let response = client.step(&challenge)?;
                line.clear();
                wire::encode_response(response.expose_secret(), &mut line);
                let ClientMessage::Response(data) = wire::decode_response(&line, &limits)? else {
                    panic!()
                };
                server.step(data.expose_secret())?
            }
            ServerStep::Event(Event::CredentialsNeeded {
                mechanism, authcid, ..
            }) => {
                let stored = match ScramHash::for_mechanism(&mechanism) {
                    Some(hash) => {
                        StoredCredentials::Scram(ScramKeys::derive(hash, stored, b"salt", 2)?)
                    }
                    None => StoredCredentials::Password(Secret::new(stored.to_owned())),
                };
                assert!(!authcid.is_empty());
                server.provide_credentials(Some(stored))?
            }
            ServerStep::Event(Event::PasswordReceived {
                password: offered, ..
            }) => {
                let ok = accept == Some(offered.expose_secret().as_str());
                server.provide_verdict(if ok { Verdict::Accept } else { Verdict::Reject })?
            }
            ServerStep::Done(outcome) => {
                if matches!(outcome, Outcome::Success { .. }) {
                    client.finish()?;
                }
                return Ok(outcome);
            }
            other => panic!("{other:?}"),
        };
    }
}

/// RFC 4013 §3 examples: input, output (`None`: an error).
const RFC4013_EXAMPLES: [(&str, Option<&str>); 7] = [
    ("I\u{ad}X", Some("IX")),
    ("user", Some("user")),
    ("USER", Some("USER")),
    ("\u{aa}", Some("a")),
    ("\u{2168}", Some("IX")),
    ("\u{7}", None),
    ("\u{627}\u{31}", None),
];

/// The RFC 4013 examples as user names and as passwords, through PLAIN and
/// both SCRAM mechanisms, with the expected output written out (not
/// computed by the SASLprep implementation the code uses).
#[test]
fn rfc4013_examples() {
    for (input, output) in RFC4013_EXAMPLES {
        for mechanism in [
            Mechanism::PLAIN,
            Mechanism::SCRAM_SHA_1,
            Mechanism::SCRAM_SHA_256,
        ] {
            let scram = mechanism != Mechanism::PLAIN;
            // As the user name: the authentication identity is the output.
            let result = authenticate_against(&mechanism, input, "pw", "pw", Some("pw"));
            match output {
                Some(out) => assert_eq!(
                    result,
                    Ok(Outcome::Success {
                        authcid: out.to_owned(),
                        authzid: None
                    }),
                    "{mechanism:?} user {input:?}"
                ),
                None if scram => assert_eq!(
                    result,
                    Err(Error::Saslprep { field: "username" }),
                    "{mechanism:?} user {input:?}"
                ),
                None => assert!(
                    matches!(result, Ok(Outcome::Failure(_))),
                    "{mechanism:?} user {input:?}: {result:?}"
                ),
            }
            // As the password: the client's input matches a server that
            // stores (or, for PLAIN, accepts) the output.
            let result =
                authenticate_against(&mechanism, "user", input, output.unwrap_or("x"), output);
            match output {
                Some(_) => assert_eq!(
                    result,
                    Ok(Outcome::Success {
                        authcid: "user".to_owned(),
                        authzid: None
                    }),
                    "{mechanism:?} password {input:?}"
                ),
                None if scram => assert_eq!(
                    result,
                    Err(Error::Saslprep { field: "password" }),
                    "{mechanism:?} password {input:?}"
                ),
                None => assert!(
                    matches!(result, Ok(Outcome::Failure(_))),
                    "{mechanism:?} password {input:?}: {result:?}"
                ),
            }
        }
    }
    // Example 3 "will not match #2": case is preserved.
    assert!(matches!(
        authenticate_against(&Mechanism::SCRAM_SHA_256, "user", "USER", "user", None),
        Ok(Outcome::Failure(_))
    ));
}

proptest! {
    #[test]
    fn scram_round_trips(user in name(), password in name(), sha256 in any::<bool>()) {
        let mechanism = if sha256 { Mechanism::SCRAM_SHA_256 } else { Mechanism::SCRAM_SHA_1 };
        let result = authenticate(&mechanism, &user, &password);
        match (prepared(&user), prepared(&password)) {
            (Some(user), Some(_)) => prop_assert_eq!(
                result,
                Ok(Outcome::Success { authcid: user, authzid: None })
            ),
            (None, _) => prop_assert_eq!(result, Err(Error::Saslprep { field: "username" })),
            (Some(_), None) => prop_assert_eq!(result, Err(Error::Saslprep { field: "password" })),
        }
    }

    #[test]
    fn plain_and_login_round_trip(user in name(), password in name(), login in any::<bool>()) {
        prop_assume!(!user.contains('\0') && !password.contains('\0'));
        let mechanism = if login { Mechanism::LOGIN } else { Mechanism::PLAIN };
        let result = authenticate(&mechanism, &user, &password).unwrap();
        match (prepared(&user), prepared(&password)) {
            (Some(user), Some(_)) => prop_assert_eq!(
                result,
                Outcome::Success { authcid: user, authzid: None }
            ),
            _ => prop_assert!(matches!(result, Outcome::Failure(_))),
        }
    }

    #[test]
    fn cram_md5_round_trips(user in name(), password in name()) {
        // The response is "user SP digest": a user name may hold spaces
        // but must not be empty.
        let result = authenticate(&Mechanism::CRAM_MD5, &user, &password).unwrap();
        prop_assert_eq!(result, Outcome::Success { authcid: user, authzid: None });
    }

    #[test]
    fn wire_round_trips(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        let limits = Limits::default();
        let mut line = Vec::new();
        wire::encode_response(&data, &mut line);
        prop_assert_eq!(
            wire::decode_response(&line, &limits),
            Ok(ClientMessage::Response(Secret::new(data.clone())))
        );
        line.clear();
        wire::encode_initial_response(&data, &mut line);
        prop_assert_eq!(line.len(), wire::encoded_len(data.len()).max(1));
        prop_assert_eq!(
            wire::decode_initial_response(&line, &limits),
            Ok(ClientMessage::Response(Secret::new(data.clone())))
        );
        line.clear();
        wire::encode_challenge(&data, &mut line);
        prop_assert_eq!(wire::decode_challenge(&line, &limits), Ok(data));
    }
}
