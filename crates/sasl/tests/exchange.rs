//! Every client talks to every server, through the base64 wire encoding,
//! with and without an initial response: success and each way to fail.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use mailwire_core::Secret;
use mailwire_sasl::wire::{self, ClientMessage, Limits};
use mailwire_sasl::{
    ChannelBinding, Client, Credentials, Error, Event, Failure, Mechanism, OAuthError, Outcome,
    ScramHash, ScramKeys, Server, ServerConfig, ServerStep, StoredCredentials, Verdict,
};

const USER: &str = "user";
const PASSWORD: &str = "pencil";
const TOKEN: &str = "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==";
const IDENTITY: &str = "cn=user,o=example";

/// What the application behind the server knows.
#[derive(Clone)]
struct Backend {
    password: String,
    token: String,
    iterations: u32,
    known_user: bool,
    allow_anonymous: bool,
    token_error: Option<OAuthError>,
}

impl Default for Backend {
    fn default() -> Self {
        Backend {
            password: PASSWORD.into(),
            token: TOKEN.into(),
            iterations: 64,
            known_user: true,
            allow_anonymous: true,
            token_error: None,
        }
    }
}

impl Backend {
    fn answer(&self, server: &mut Server, event: Event) -> Result<ServerStep, Error> {
        match event {
            Event::CredentialsNeeded {
                mechanism, authcid, ..
            } => {
                if !self.known_user || authcid != USER {
                    return server.provide_credentials(None);
                }
                let stored = match ScramHash::for_mechanism(&mechanism) {
                    Some(hash) => StoredCredentials::Scram(
                        ScramKeys::generate(hash, &self.password, self.iterations).unwrap(),
                    ),
                    None => StoredCredentials::Password(Secret::new(self.password.clone())),
                };
                server.provide_credentials(Some(stored))
            }
            Event::PasswordReceived {
                authcid, password, ..
            } => {
                let ok = self.known_user
                    && authcid == USER
                    && password.expose_secret() == &self.password;
                server.provide_verdict(if ok { Verdict::Accept } else { Verdict::Reject })
            }
            Event::TokenReceived { token, .. } => {
                if token.expose_secret() == &self.token {
                    server.provide_verdict(Verdict::Accept)
                } else if let Some(error) = &self.token_error {
                    server.provide_verdict(Verdict::RejectToken(error.clone()))
                } else {
                    server.provide_verdict(Verdict::Reject)
                }
            }
            Event::ExternalRequested { identity, .. } => {
                server.provide_verdict(if identity == IDENTITY {
                    Verdict::Accept
                } else {
                    Verdict::Reject
                })
            }
            Event::AnonymousRequested { .. } => server.provide_verdict(if self.allow_anonymous {
                Verdict::Accept
            } else {
                Verdict::Reject
            }),
            other => panic!("unexpected event {other:?}"),
        }
    }
}

/// Which way a line travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    ToServer,
    ToClient,
}

/// How an exchange ended.
#[derive(Debug, PartialEq, Eq)]
enum End {
    /// The server reported success; `client` is what `Client::finish` said.
    Success {
        authcid: String,
        authzid: Option<String>,
        client: Result<(), Error>,
    },
    /// The server reported failure.
    Failure(Failure),
    /// The client rejected a challenge (and sent `*`, which the server
    /// took as a cancel).
    ClientError(Error),
    /// The server rejected a client line (SMTP 501, IMAP BAD).
    ServerError(Error),
}

/// Runs one exchange as a protocol machine would: every message goes
/// through base64 lines. `tamper` sees each encoded line (the first line
/// of each direction has index 0) and may change it.
fn run(
    mechanism: &Mechanism,
    credentials: &Credentials,
    config: &ServerConfig,
    backend: &Backend,
    initial_response: bool,
    mut tamper: impl FnMut(Direction, usize, &mut Vec<u8>),
) -> End {
    let limits = Limits::default();
    let mut client = Client::new(mechanism, credentials).unwrap();
    let mut server = Server::new(mechanism, config).unwrap();
    let mut sent = 0;
    let mut received = 0;

    let initial = if initial_response {
        client.initial_response().unwrap()
    } else {
        None
    };
    let step = match initial {
        Some(data) => {
            let mut line = Vec::new();
            wire::encode_initial_response(data.expose_secret(), &mut line);
            tamper(Direction::ToServer, sent, &mut line);
            sent += 1;
            match wire::decode_initial_response(&line, &limits) {
                Ok(ClientMessage::Response(data)) => server.start(Some(data.expose_secret())),
                Ok(ClientMessage::Cancel) => unreachable!(),
                Err(e) => return End::ServerError(e),
            }
        }
        None => server.start(None),
    };
    let mut step = match step {
        Ok(step) => step,
        Err(e) => return End::ServerError(e),
    };
    loop {
        let next = match step {
            ServerStep::Event(event) => backend.answer(&mut server, event),
            ServerStep::Challenge(challenge) => {
                let mut line = Vec::new();
                wire::encode_challenge(&challenge, &mut line);
                tamper(Direction::ToClient, received, &mut line);
                received += 1;
                let response = wire::decode_challenge(&line, &limits)
                    .and_then(|challenge| client.step(&challenge));
                let mut line = Vec::new();
                let client_error = match response {
                    Ok(response) => {
                        wire::encode_response(response.expose_secret(), &mut line);
                        None
                    }
                    Err(e) => {
                        line.extend_from_slice(wire::CANCEL);
                        Some(e)
                    }
                };
                if client_error.is_none() {
                    tamper(Direction::ToServer, sent, &mut line);
                }
                sent += 1;
                match wire::decode_response(&line, &limits) {
                    Ok(ClientMessage::Response(data)) => server.step(data.expose_secret()),
                    Ok(ClientMessage::Cancel) => {
                        let outcome = server.cancel();
                        assert_eq!(outcome, Outcome::Failure(Failure::Cancelled));
                        return match client_error {
                            Some(e) => End::ClientError(e),
                            None => End::Failure(Failure::Cancelled),
                        };
                    }
                    Err(e) => return End::ServerError(e),
                }
            }
            ServerStep::Done(Outcome::Success { authcid, authzid }) => {
                return End::Success {
                    authcid,
                    authzid,
                    client: client.finish(),
                };
            }
            ServerStep::Done(Outcome::Failure(failure)) => return End::Failure(failure),
            other => panic!("unexpected step {other:?}"),
        };
        step = match next {
            Ok(step) => step,
            Err(e) => return End::ServerError(e),
        };
    }
}

fn channel_binding() -> ChannelBinding {
    ChannelBinding::tls_exporter((0..32).collect())
}

/// Credentials and server configuration that let `mechanism` succeed.
fn setup(mechanism: &Mechanism) -> (Credentials, ServerConfig) {
    let config = ServerConfig::new()
        .with_channel_binding(channel_binding())
        .with_external_identity(IDENTITY);
    let credentials = if *mechanism == Mechanism::XOAUTH2 || *mechanism == Mechanism::OAUTHBEARER {
        Credentials::bearer_token(USER, TOKEN).with_host("mail.example.com", 587)
    } else if *mechanism == Mechanism::EXTERNAL {
        Credentials::external()
    } else if *mechanism == Mechanism::ANONYMOUS {
        Credentials::anonymous("sirhc")
    } else if mechanism.is_channel_binding() {
        Credentials::password(USER, PASSWORD).with_channel_binding(channel_binding())
    } else {
        Credentials::password(USER, PASSWORD)
    };
    // Non-PLUS SCRAM against a channel-binding server would be a downgrade.
    let config = if ScramHash::for_mechanism(mechanism).is_some() && !mechanism.is_channel_binding()
    {
        ServerConfig::new()
    } else {
        config
    };
    (credentials, config)
}

fn expected_authcid(mechanism: &Mechanism) -> &'static str {
    if *mechanism == Mechanism::EXTERNAL {
        IDENTITY
    } else if *mechanism == Mechanism::ANONYMOUS {
        "anonymous"
    } else {
        USER
    }
}

fn no_tamper(_: Direction, _: usize, _: &mut Vec<u8>) {}

#[test]
fn every_mechanism_succeeds_with_and_without_initial_response() {
    for mechanism in Mechanism::IMPLEMENTED {
        let (credentials, config) = setup(mechanism);
        for initial_response in [true, false] {
            let end = run(
                mechanism,
                &credentials,
                &config,
                &Backend::default(),
                initial_response,
                no_tamper,
            );
            assert_eq!(
                end,
                End::Success {
                    authcid: expected_authcid(mechanism).into(),
                    authzid: None,
                    client: Ok(())
                },
                "{mechanism} initial_response={initial_response}"
            );
        }
    }
}

#[test]
fn authzid_reaches_the_outcome() {
    for mechanism in [
        Mechanism::PLAIN,
        Mechanism::SCRAM_SHA_1,
        Mechanism::SCRAM_SHA_256_PLUS,
        Mechanism::EXTERNAL,
    ] {
        let (credentials, config) = setup(&mechanism);
        let credentials = credentials.with_authzid("admin,=x");
        let end = run(
            &mechanism,
            &credentials,
            &config,
            &Backend::default(),
            true,
            no_tamper,
        );
        assert_eq!(
            end,
            End::Success {
                authcid: expected_authcid(&mechanism).into(),
                authzid: Some("admin,=x".into()),
                client: Ok(())
            },
            "{mechanism}"
        );
    }
}

const PASSWORD_MECHANISMS: [Mechanism; 8] = [
    Mechanism::PLAIN,
    Mechanism::LOGIN,
    Mechanism::CRAM_MD5,
    Mechanism::SCRAM_SHA_1,
    Mechanism::SCRAM_SHA_256,
    Mechanism::SCRAM_SHA_1_PLUS,
    Mechanism::SCRAM_SHA_256_PLUS,
    Mechanism::PLAIN,
];

#[test]
fn wrong_password_fails() {
    let backend = Backend {
        password: "not pencil".into(),
        ..Backend::default()
    };
    for mechanism in &PASSWORD_MECHANISMS {
        let (credentials, config) = setup(mechanism);
        for initial_response in [true, false] {
            assert_eq!(
                run(
                    mechanism,
                    &credentials,
                    &config,
                    &backend,
                    initial_response,
                    no_tamper
                ),
                End::Failure(Failure::InvalidCredentials),
                "{mechanism}"
            );
        }
    }
}

#[test]
fn unknown_user_fails() {
    let backend = Backend {
        known_user: false,
        ..Backend::default()
    };
    for mechanism in &PASSWORD_MECHANISMS {
        let (credentials, config) = setup(mechanism);
        let expected = if *mechanism == Mechanism::PLAIN || *mechanism == Mechanism::LOGIN {
            // The verdict path: the application just says no.
            Failure::InvalidCredentials
        } else {
            Failure::UnknownUser
        };
        assert_eq!(
            run(mechanism, &credentials, &config, &backend, true, no_tamper),
            End::Failure(expected),
            "{mechanism}"
        );
    }
}

#[test]
fn rejected_tokens_fail_with_the_oauth_error() {
    let error = OAuthError::new("invalid_token").with_scope("mail");
    let backend = Backend {
        token: "other".into(),
        token_error: Some(error.clone()),
        ..Backend::default()
    };
    for mechanism in [Mechanism::OAUTHBEARER, Mechanism::XOAUTH2] {
        let (credentials, config) = setup(&mechanism);
        let mut client = Client::new(&mechanism, &credentials).unwrap();
        let mut server = Server::new(&mechanism, &config).unwrap();
        let initial = client.initial_response().unwrap().unwrap();
        let ServerStep::Event(event) = server.start(Some(initial.expose_secret())).unwrap() else {
            panic!()
        };
        let ServerStep::Challenge(json) = backend.answer(&mut server, event).unwrap() else {
            panic!()
        };
        let response = client.step(&json).unwrap();
        assert_eq!(client.oauth_error(), Some(&error), "{mechanism}");
        assert_eq!(
            server.step(response.expose_secret()).unwrap(),
            ServerStep::Done(Outcome::Failure(Failure::InvalidCredentials))
        );
        // Through the wire as well, and with a plain rejection.
        assert_eq!(
            run(&mechanism, &credentials, &config, &backend, true, no_tamper),
            End::Failure(Failure::InvalidCredentials)
        );
        let plain_reject = Backend {
            token_error: None,
            ..backend.clone()
        };
        assert_eq!(
            run(
                &mechanism,
                &credentials,
                &config,
                &plain_reject,
                false,
                no_tamper
            ),
            End::Failure(Failure::InvalidCredentials)
        );
    }
}

#[test]
fn external_and_anonymous_rejections() {
    let (credentials, _) = setup(&Mechanism::EXTERNAL);
    let other = ServerConfig::new().with_external_identity("cn=mallory");
    assert_eq!(
        run(
            &Mechanism::EXTERNAL,
            &credentials,
            &other,
            &Backend::default(),
            true,
            no_tamper
        ),
        End::Failure(Failure::InvalidCredentials)
    );
    assert_eq!(
        run(
            &Mechanism::EXTERNAL,
            &credentials,
            &ServerConfig::new(),
            &Backend::default(),
            true,
            no_tamper
        ),
        End::Failure(Failure::InvalidCredentials)
    );
    let (credentials, config) = setup(&Mechanism::ANONYMOUS);
    let closed = Backend {
        allow_anonymous: false,
        ..Backend::default()
    };
    assert_eq!(
        run(
            &Mechanism::ANONYMOUS,
            &credentials,
            &config,
            &closed,
            true,
            no_tamper
        ),
        End::Failure(Failure::InvalidCredentials)
    );
}

/// Decodes a line, lets `change` edit the message, encodes it again.
fn edit(line: &mut Vec<u8>, change: impl FnOnce(&mut String)) {
    let mut text =
        String::from_utf8(wire::decode_challenge(line, &Limits::default()).unwrap()).unwrap();
    change(&mut text);
    line.clear();
    wire::encode_response(text.as_bytes(), line);
}

const SCRAM_MECHANISMS: [Mechanism; 4] = [
    Mechanism::SCRAM_SHA_1,
    Mechanism::SCRAM_SHA_256,
    Mechanism::SCRAM_SHA_1_PLUS,
    Mechanism::SCRAM_SHA_256_PLUS,
];

#[test]
fn tampered_server_signature_is_detected() {
    for mechanism in &SCRAM_MECHANISMS {
        let (credentials, config) = setup(mechanism);
        let end = run(
            mechanism,
            &credentials,
            &config,
            &Backend::default(),
            true,
            |direction, index, line| {
                if direction == Direction::ToClient && index == 1 {
                    // v=<base64>: flip the first signature character.
                    edit(line, |text| {
                        let flipped = if text.as_bytes()[2] == b'A' { "B" } else { "A" };
                        text.replace_range(2..3, flipped);
                    });
                }
            },
        );
        assert_eq!(
            end,
            End::ClientError(Error::ServerSignatureMismatch),
            "{mechanism}"
        );
    }
}

#[test]
fn server_skipping_its_signature_is_detected() {
    // A server that reports success without sending v= has not proved
    // that it knows the keys.
    let mut client = Client::new(
        &Mechanism::SCRAM_SHA_256,
        &Credentials::password(USER, PASSWORD),
    )
    .unwrap();
    let mut server = Server::new(&Mechanism::SCRAM_SHA_256, &ServerConfig::new()).unwrap();
    let initial = client.initial_response().unwrap().unwrap();
    let ServerStep::Event(event) = server.start(Some(initial.expose_secret())).unwrap() else {
        panic!()
    };
    let ServerStep::Challenge(first) = Backend::default().answer(&mut server, event).unwrap()
    else {
        panic!()
    };
    let _final = client.step(&first).unwrap();
    assert_eq!(client.finish(), Err(Error::ServerNotAuthenticated));
}

#[test]
fn nonce_mismatch_is_detected_by_both_sides() {
    for mechanism in &SCRAM_MECHANISMS {
        let (credentials, config) = setup(mechanism);
        // The server does not extend the client's nonce.
        let end = run(
            mechanism,
            &credentials,
            &config,
            &Backend::default(),
            true,
            |direction, index, line| {
                if direction == Direction::ToClient && index == 0 {
                    edit(line, |text| text.replace_range(2..3, "~"));
                }
            },
        );
        assert_eq!(end, End::ClientError(Error::NonceMismatch), "{mechanism}");
        // The client's final nonce is not the combined one.
        let end = run(
            mechanism,
            &credentials,
            &config,
            &Backend::default(),
            true,
            |direction, index, line| {
                if direction == Direction::ToServer && index == 1 {
                    edit(line, |text| {
                        let r = text.find(",r=").unwrap() + 3;
                        text.replace_range(r..r + 1, "~");
                    });
                }
            },
        );
        assert_eq!(end, End::ServerError(Error::NonceMismatch), "{mechanism}");
    }
}

#[test]
fn tampered_client_proof_fails() {
    for mechanism in &SCRAM_MECHANISMS {
        let (credentials, config) = setup(mechanism);
        let end = run(
            mechanism,
            &credentials,
            &config,
            &Backend::default(),
            true,
            |direction, index, line| {
                if direction == Direction::ToServer && index == 1 {
                    edit(line, |text| {
                        let p = text.find(",p=").unwrap() + 3;
                        let flipped = if text.as_bytes()[p] == b'A' { "B" } else { "A" };
                        text.replace_range(p..p + 1, flipped);
                    });
                }
            },
        );
        assert_eq!(
            end,
            End::Failure(Failure::InvalidCredentials),
            "{mechanism}"
        );
    }
}

#[test]
fn bad_base64_is_rejected_by_both_sides() {
    for mechanism in Mechanism::IMPLEMENTED {
        let (credentials, config) = setup(mechanism);
        // The client's first line.
        let end = run(
            mechanism,
            &credentials,
            &config,
            &Backend::default(),
            false,
            |direction, index, line| {
                if direction == Direction::ToServer && index == 0 {
                    match line.first_mut() {
                        Some(first) => *first = b'!',
                        None => *line = b"!!!!".to_vec(),
                    }
                }
            },
        );
        assert_eq!(
            end,
            End::ServerError(Error::InvalidBase64 { offset: 0 }),
            "{mechanism}"
        );
        // The server's first challenge (empty for client-first mechanisms).
        let end = run(
            mechanism,
            &credentials,
            &config,
            &Backend::default(),
            false,
            |direction, index, line| {
                if direction == Direction::ToClient && index == 0 {
                    line.extend_from_slice(b"A=B");
                }
            },
        );
        assert!(
            matches!(end, End::ClientError(Error::InvalidBase64 { .. })),
            "{mechanism}: {end:?}"
        );
    }
}

#[test]
fn client_cancel_fails_every_mechanism() {
    for mechanism in Mechanism::IMPLEMENTED {
        let (credentials, config) = setup(mechanism);
        let end = run(
            mechanism,
            &credentials,
            &config,
            &Backend::default(),
            false,
            |direction, index, line| {
                if direction == Direction::ToServer && index == 0 {
                    *line = wire::CANCEL.to_vec();
                }
            },
        );
        assert_eq!(end, End::Failure(Failure::Cancelled), "{mechanism}");
    }
}

#[test]
fn channel_binding_mismatches_fail() {
    for mechanism in [Mechanism::SCRAM_SHA_1_PLUS, Mechanism::SCRAM_SHA_256_PLUS] {
        let (credentials, _) = setup(&mechanism);
        // Same type, other data: a man in the middle terminating TLS.
        let other_data =
            ServerConfig::new().with_channel_binding(ChannelBinding::tls_exporter(vec![0xaa; 32]));
        assert_eq!(
            run(
                &mechanism,
                &credentials,
                &other_data,
                &Backend::default(),
                true,
                no_tamper
            ),
            End::Failure(Failure::ChannelBinding),
            "{mechanism}"
        );
        // A type the server does not have.
        let other_type = ServerConfig::new()
            .with_channel_binding(ChannelBinding::tls_server_end_point((0..32).collect()));
        assert_eq!(
            run(
                &mechanism,
                &credentials,
                &other_type,
                &Backend::default(),
                true,
                no_tamper
            ),
            End::Failure(Failure::ChannelBinding),
            "{mechanism}"
        );
        // tls-server-end-point works when both sides use it.
        let end_point = Credentials::password(USER, PASSWORD)
            .with_channel_binding(ChannelBinding::tls_server_end_point((0..32).collect()));
        assert!(matches!(
            run(
                &mechanism,
                &end_point,
                &other_type,
                &Backend::default(),
                true,
                no_tamper
            ),
            End::Success { client: Ok(()), .. }
        ));
    }
}

#[test]
fn stripped_plus_advertisement_is_detected() {
    // The client supports channel binding but was offered only the
    // non-PLUS mechanism: it sends "y", and a server that does support
    // channel binding fails the exchange (RFC 5802 §6).
    let credentials = Credentials::password(USER, PASSWORD).with_channel_binding(channel_binding());
    let binding_server = ServerConfig::new().with_channel_binding(channel_binding());
    for mechanism in [Mechanism::SCRAM_SHA_1, Mechanism::SCRAM_SHA_256] {
        assert_eq!(
            run(
                &mechanism,
                &credentials,
                &binding_server,
                &Backend::default(),
                true,
                no_tamper
            ),
            End::Failure(Failure::ChannelBinding)
        );
        assert!(matches!(
            run(
                &mechanism,
                &credentials,
                &ServerConfig::new(),
                &Backend::default(),
                true,
                no_tamper
            ),
            End::Success { client: Ok(()), .. }
        ));
    }
}

#[test]
fn plain_and_login_check_against_scram_keys() {
    let keys = ScramKeys::generate(ScramHash::Sha256, PASSWORD, 64).unwrap();
    for (password, expected) in [(PASSWORD, true), ("pencil!", false)] {
        for mechanism in [Mechanism::PLAIN, Mechanism::LOGIN] {
            let mut client =
                Client::new(&mechanism, &Credentials::password(USER, password)).unwrap();
            let mut server = Server::new(&mechanism, &ServerConfig::new()).unwrap();
            let mut step = server.start(None).unwrap();
            let outcome = loop {
                step = match step {
                    ServerStep::Challenge(c) => {
                        let r = client.step(&c).unwrap();
                        server.step(r.expose_secret()).unwrap()
                    }
                    ServerStep::Event(Event::PasswordReceived { .. }) => server
                        .provide_credentials(Some(StoredCredentials::Scram(keys.clone())))
                        .unwrap(),
                    ServerStep::Done(outcome) => break outcome,
                    other => panic!("{other:?}"),
                };
            };
            assert_eq!(
                matches!(outcome, Outcome::Success { .. }),
                expected,
                "{mechanism} {password}"
            );
        }
    }
}

#[test]
fn saslprep_makes_equivalent_passwords_match() {
    // RFC 4013 §3: SOFT HYPHEN maps to nothing, so "I\u{AD}X" is "IX";
    // U+2168 ROMAN NUMERAL NINE normalises (NFKC) to "IX" as well.
    let backend = Backend {
        password: "IX".into(),
        ..Backend::default()
    };
    for offered in ["I\u{AD}X", "\u{2168}"] {
        for mechanism in [
            Mechanism::SCRAM_SHA_1,
            Mechanism::SCRAM_SHA_256,
            Mechanism::PLAIN,
        ] {
            let credentials = Credentials::password(USER, offered);
            let end = run(
                &mechanism,
                &credentials,
                &ServerConfig::new(),
                &backend,
                true,
                no_tamper,
            );
            assert!(
                matches!(end, End::Success { client: Ok(()), .. }),
                "{mechanism} {offered:?}: {end:?}"
            );
        }
    }
    // A prohibited character (RFC 4013 §2.3: U+0007 is a control
    // character) stops a SCRAM client before it sends anything.
    let mut client = Client::new(
        &Mechanism::SCRAM_SHA_256,
        &Credentials::password("a\u{7}", "p"),
    )
    .unwrap();
    assert_eq!(
        client.initial_response().unwrap_err(),
        Error::Saslprep { field: "username" }
    );
}

#[test]
fn server_first_mechanisms_refuse_initial_responses() {
    let mut server = Server::new(&Mechanism::CRAM_MD5, &ServerConfig::new()).unwrap();
    assert_eq!(
        server.start(Some(b"tim")),
        Err(Error::UnexpectedInitialResponse)
    );
    // LOGIN takes the user name, as deployed servers do.
    let mut server = Server::new(&Mechanism::LOGIN, &ServerConfig::new()).unwrap();
    assert_eq!(
        server.start(Some(b"tim")).unwrap(),
        ServerStep::Challenge(b"Password:".to_vec())
    );
}

#[test]
fn calls_out_of_order() {
    let mut server = Server::new(&Mechanism::PLAIN, &ServerConfig::new()).unwrap();
    assert!(matches!(server.step(b"x"), Err(Error::OutOfOrder { .. })));
    assert!(matches!(
        server.provide_verdict(Verdict::Accept),
        Err(Error::OutOfOrder { .. })
    ));
    let _ = server.start(None).unwrap();
    assert!(matches!(
        server.provide_credentials(None),
        Err(Error::OutOfOrder { .. })
    ));
    // The error ended the exchange.
    assert!(matches!(
        server.step(b"\0u\0p"),
        Err(Error::OutOfOrder { .. })
    ));

    // A malformed message ends it too.
    let mut server = Server::new(&Mechanism::PLAIN, &ServerConfig::new()).unwrap();
    assert_eq!(
        server.start(Some(b"no nul")),
        Err(Error::Malformed {
            expected: "message"
        })
    );
    assert!(matches!(server.start(None), Err(Error::OutOfOrder { .. })));

    let mut client = Client::new(&Mechanism::PLAIN, &Credentials::password("u", "p")).unwrap();
    client.initial_response().unwrap();
    assert!(matches!(
        client.initial_response(),
        Err(Error::OutOfOrder { .. })
    ));
    assert_eq!(
        client.step(b"x"),
        Err(Error::Malformed {
            expected: "end of exchange"
        })
    );
    assert!(matches!(client.finish(), Err(Error::OutOfOrder { .. })));

    // A client-first mechanism asked for its first message with a
    // non-empty challenge.
    let mut client = Client::new(&Mechanism::PLAIN, &Credentials::password("u", "p")).unwrap();
    assert_eq!(
        client.step(b"hello"),
        Err(Error::Malformed {
            expected: "empty challenge"
        })
    );
}

#[test]
fn unsuitable_stored_credentials() {
    let mut server = Server::new(&Mechanism::SCRAM_SHA_256, &ServerConfig::new()).unwrap();
    let mut client = Client::new(
        &Mechanism::SCRAM_SHA_256,
        &Credentials::password(USER, PASSWORD),
    )
    .unwrap();
    let initial = client.initial_response().unwrap().unwrap();
    let _ = server.start(Some(initial.expose_secret())).unwrap();
    let sha1_keys = ScramKeys::generate(ScramHash::Sha1, PASSWORD, 16).unwrap();
    assert!(matches!(
        server.provide_credentials(Some(StoredCredentials::Scram(sha1_keys))),
        Err(Error::UnsuitableCredentials { .. })
    ));

    let mut server = Server::new(&Mechanism::CRAM_MD5, &ServerConfig::new()).unwrap();
    let ServerStep::Challenge(challenge) = server.start(None).unwrap() else {
        panic!()
    };
    let mut client =
        Client::new(&Mechanism::CRAM_MD5, &Credentials::password(USER, PASSWORD)).unwrap();
    let response = client.step(&challenge).unwrap();
    let _ = server.step(response.expose_secret()).unwrap();
    let keys = ScramKeys::generate(ScramHash::Sha1, PASSWORD, 16).unwrap();
    assert!(matches!(
        server.provide_credentials(Some(StoredCredentials::Scram(keys))),
        Err(Error::UnsuitableCredentials { .. })
    ));
}

#[test]
fn client_construction_errors() {
    let unknown = Mechanism::new("GSSAPI").unwrap();
    assert_eq!(
        Client::new(&unknown, &Credentials::password("u", "p")).unwrap_err(),
        Error::UnsupportedMechanism(unknown.clone())
    );
    assert_eq!(
        Server::new(&unknown, &ServerConfig::new()).unwrap_err(),
        Error::UnsupportedMechanism(unknown)
    );
    assert_eq!(
        Client::new(
            &Mechanism::SCRAM_SHA_1_PLUS,
            &Credentials::password("u", "p")
        )
        .unwrap_err(),
        Error::MissingCredentials {
            mechanism: Mechanism::SCRAM_SHA_1_PLUS,
            needed: "channel binding data"
        }
    );
    assert_eq!(
        Client::new(&Mechanism::PLAIN, &Credentials::bearer_token("u", "t")).unwrap_err(),
        Error::MissingCredentials {
            mechanism: Mechanism::PLAIN,
            needed: "a password"
        }
    );
    assert!(matches!(
        Client::new(&Mechanism::EXTERNAL, &Credentials::anonymous("")),
        Err(Error::MissingCredentials { .. })
    ));
}

#[test]
fn debug_output_hides_secrets() {
    let credentials = Credentials::bearer_token("user", "s3cr3t-token");
    let client = Client::new(&Mechanism::XOAUTH2, &credentials).unwrap();
    let keys = ScramKeys::derive(ScramHash::Sha256, "s3cr3t", b"salt", 1).unwrap();
    let shown = format!(
        "{credentials:?} {client:?} {keys:?} {:?}",
        StoredCredentials::Scram(keys.clone())
    );
    assert!(!shown.contains("s3cr3t"), "{shown}");
    let mut server = Server::new(&Mechanism::PLAIN, &ServerConfig::new()).unwrap();
    let event = server.start(Some(b"\0user\0s3cr3t")).unwrap();
    assert!(!format!("{event:?}").contains("s3cr3t"));
}

/// The server's first SCRAM challenge for `user`, who is unknown.
fn first_challenge_for_unknown(config: &ServerConfig, user: &str) -> ServerStep {
    let mut client = Client::new(
        &Mechanism::SCRAM_SHA_256,
        &Credentials::password(user, PASSWORD),
    )
    .unwrap();
    let mut server = Server::new(&Mechanism::SCRAM_SHA_256, config).unwrap();
    let initial = client.initial_response().unwrap().unwrap();
    let _event = server.start(Some(initial.expose_secret())).unwrap();
    server.provide_credentials(None).unwrap()
}

#[test]
fn scram_mock_key_hides_unknown_users() {
    // Without a mock key the failure is immediate.
    assert_eq!(
        first_challenge_for_unknown(&ServerConfig::new(), "nobody"),
        ServerStep::Done(Outcome::Failure(Failure::UnknownUser))
    );
    // With one, the exchange goes on with a stable salt, and fails after
    // the proof.
    let config = ServerConfig::new().with_scram_mock_key(Secret::new(vec![42; 32]));
    let salt = |step: ServerStep| {
        let ServerStep::Challenge(first) = step else {
            panic!("{step:?}")
        };
        let text = String::from_utf8(first).unwrap();
        assert!(text.ends_with(",i=4096"), "{text}");
        text.split(',').nth(1).unwrap().to_owned()
    };
    let a = salt(first_challenge_for_unknown(&config, "nobody"));
    assert_eq!(a, salt(first_challenge_for_unknown(&config, "nobody")));
    assert_ne!(a, salt(first_challenge_for_unknown(&config, "somebody")));

    let backend = Backend {
        known_user: false,
        ..Backend::default()
    };
    assert_eq!(
        run(
            &Mechanism::SCRAM_SHA_256,
            &Credentials::password(USER, PASSWORD),
            &config,
            &backend,
            true,
            no_tamper
        ),
        End::Failure(Failure::UnknownUser)
    );
}
