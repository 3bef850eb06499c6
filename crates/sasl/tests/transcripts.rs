//! Replays the exchanges printed in the RFCs, line by line, through the
//! wire encoding and the client and server machines.
//!
//! Each transcript is the base64 text after the protocol's prefix: the
//! initial-response argument of `AUTH`/`AUTHENTICATE`, the text after
//! `334 ` or `+ `, and the client's lines.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use mailwire_core::Secret;
use mailwire_sasl::wire::{self, ClientMessage, Limits};
use mailwire_sasl::{
    Client, Credentials, Event, Failure, Mechanism, OAuthError, Outcome, Server, ServerConfig,
    ServerStep, StoredCredentials, Verdict,
};

/// One round: the server's challenge, then the client's response.
type Round = (&'static str, &'static str);

/// Plays the client side: checks that it sends `initial` and answers each
/// challenge with the transcript's response.
fn replay_client(
    mechanism: &Mechanism,
    credentials: &Credentials,
    initial: Option<&str>,
    rounds: &[Round],
) {
    let limits = Limits::default();
    let mut client = Client::new(mechanism, credentials).unwrap();
    if let Some(expected) = initial {
        let data = client.initial_response().unwrap().unwrap();
        let mut line = Vec::new();
        wire::encode_initial_response(data.expose_secret(), &mut line);
        assert_eq!(String::from_utf8(line).unwrap(), expected, "{mechanism}");
    }
    for (challenge, expected) in rounds {
        let challenge = wire::decode_challenge(challenge.as_bytes(), &limits).unwrap();
        let response = client.step(&challenge).unwrap();
        let mut line = Vec::new();
        wire::encode_response(response.expose_secret(), &mut line);
        assert_eq!(String::from_utf8(line).unwrap(), *expected, "{mechanism}");
    }
}

/// Plays the server side: feeds the transcript's client lines, checks each
/// challenge, answers events with `answer`, and returns the outcome.
fn replay_server(
    mechanism: &Mechanism,
    config: &ServerConfig,
    initial: Option<&str>,
    rounds: &[Round],
    mut answer: impl FnMut(&mut Server, Event) -> ServerStep,
) -> Outcome {
    let limits = Limits::default();
    let mut server = Server::new(mechanism, config).unwrap();
    let mut step = match initial {
        Some(text) => {
            let ClientMessage::Response(data) =
                wire::decode_initial_response(text.as_bytes(), &limits).unwrap()
            else {
                panic!()
            };
            server.start(Some(data.expose_secret())).unwrap()
        }
        None => server.start(None).unwrap(),
    };
    let mut rounds = rounds.iter();
    loop {
        step = match step {
            ServerStep::Event(event) => answer(&mut server, event),
            ServerStep::Challenge(challenge) => {
                let (expected, response) =
                    rounds.next().expect("a challenge the RFC does not show");
                let mut line = Vec::new();
                wire::encode_challenge(&challenge, &mut line);
                assert_eq!(String::from_utf8(line).unwrap(), *expected, "{mechanism}");
                match wire::decode_response(response.as_bytes(), &limits).unwrap() {
                    ClientMessage::Response(data) => server.step(data.expose_secret()).unwrap(),
                    ClientMessage::Cancel => return server.cancel(),
                }
            }
            ServerStep::Done(outcome) => {
                assert!(rounds.next().is_none(), "the RFC shows more rounds");
                return outcome;
            }
            other => panic!("{other:?}"),
        };
    }
}

fn accept(server: &mut Server, _: Event) -> ServerStep {
    server.provide_verdict(Verdict::Accept).unwrap()
}

fn success(authcid: &str, authzid: Option<&str>) -> Outcome {
    Outcome::Success {
        authcid: authcid.into(),
        authzid: authzid.map(Into::into),
    }
}

#[test]
fn rfc4954_section4_1_plain() {
    // "test" authorises as "test" with password "1234".
    let credentials = Credentials::password("test", "1234").with_authzid("test");
    let mut check = |server: &mut Server, event: Event| {
        let Event::PasswordReceived {
            authcid,
            authzid,
            password,
            ..
        } = event
        else {
            panic!()
        };
        assert_eq!(
            (authcid.as_str(), authzid.as_deref()),
            ("test", Some("test"))
        );
        server
            .provide_credentials(Some(StoredCredentials::Password(password)))
            .unwrap()
    };
    // With an initial response.
    replay_client(
        &Mechanism::PLAIN,
        &credentials,
        Some("dGVzdAB0ZXN0ADEyMzQ="),
        &[],
    );
    assert_eq!(
        replay_server(
            &Mechanism::PLAIN,
            &ServerConfig::new(),
            Some("dGVzdAB0ZXN0ADEyMzQ="),
            &[],
            &mut check
        ),
        success("test", Some("test"))
    );
    // Without: "334 " carries an empty challenge.
    replay_client(
        &Mechanism::PLAIN,
        &credentials,
        None,
        &[("", "dGVzdAB0ZXN0ADEyMzQ=")],
    );
    assert_eq!(
        replay_server(
            &Mechanism::PLAIN,
            &ServerConfig::new(),
            None,
            &[("", "dGVzdAB0ZXN0ADEyMzQ=")],
            &mut check
        ),
        success("test", Some("test"))
    );
}

#[test]
fn rfc4954_section4_1_external_and_rfc4959_section3() {
    let credentials = Credentials::external();
    let config = ServerConfig::new().with_external_identity("test");
    // AUTH EXTERNAL = / AUTHENTICATE EXTERNAL =
    replay_client(&Mechanism::EXTERNAL, &credentials, Some("="), &[]);
    assert_eq!(
        replay_server(&Mechanism::EXTERNAL, &config, Some("="), &[], accept),
        success("test", None)
    );
    // AUTHENTICATE EXTERNAL, "+", empty line.
    replay_client(&Mechanism::EXTERNAL, &credentials, None, &[("", "")]);
    assert_eq!(
        replay_server(&Mechanism::EXTERNAL, &config, None, &[("", "")], accept),
        success("test", None)
    );
}

#[test]
fn rfc5034_section6_and_rfc4959_section3_plain() {
    // "test\0test\0test", with and without the initial response.
    let credentials = Credentials::password("test", "test").with_authzid("test");
    replay_client(
        &Mechanism::PLAIN,
        &credentials,
        Some("dGVzdAB0ZXN0AHRlc3Q="),
        &[],
    );
    replay_client(
        &Mechanism::PLAIN,
        &credentials,
        None,
        &[("", "dGVzdAB0ZXN0AHRlc3Q=")],
    );
    for (initial, rounds) in [
        (Some("dGVzdAB0ZXN0AHRlc3Q="), &[][..]),
        (None, &[("", "dGVzdAB0ZXN0AHRlc3Q=")][..]),
    ] {
        assert_eq!(
            replay_server(
                &Mechanism::PLAIN,
                &ServerConfig::new(),
                initial,
                rounds,
                accept
            ),
            success("test", Some("test"))
        );
    }
}

#[test]
fn rfc4505_section4_anonymous() {
    replay_client(
        &Mechanism::ANONYMOUS,
        &Credentials::anonymous("sirhc"),
        None,
        &[("", "c2lyaGM=")],
    );
    let mut trace = String::new();
    let outcome = replay_server(
        &Mechanism::ANONYMOUS,
        &ServerConfig::new(),
        None,
        &[("", "c2lyaGM=")],
        |server, event| {
            let Event::AnonymousRequested { trace: t } = event else {
                panic!()
            };
            trace = t;
            server.provide_verdict(Verdict::Accept).unwrap()
        },
    );
    assert_eq!(trace, "sirhc");
    assert_eq!(outcome, success("anonymous", None));
}

#[test]
fn rfc2195_section2_cram_md5_client() {
    replay_client(
        &Mechanism::CRAM_MD5,
        &Credentials::password("tim", "tanstaaftanstaaf"),
        None,
        &[(
            "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+",
            "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw",
        )],
    );
}

#[test]
fn rfc7628_section4_1_oauthbearer_success() {
    let imap = "bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB";
    let smtp = "bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9NTg3AWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB";
    for (line, port) in [(imap, 143), (smtp, 587)] {
        let credentials = Credentials::bearer_token(
            "user@example.com",
            "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==",
        )
        .with_host("server.example.com", port);
        replay_client(&Mechanism::OAUTHBEARER, &credentials, Some(line), &[]);
        let outcome = replay_server(
            &Mechanism::OAUTHBEARER,
            &ServerConfig::new(),
            Some(line),
            &[],
            |server, event| {
                let Event::TokenReceived {
                    user,
                    token,
                    host,
                    port: p,
                    ..
                } = event
                else {
                    panic!()
                };
                assert_eq!(user, "user@example.com");
                assert_eq!(
                    token.expose_secret(),
                    "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg=="
                );
                assert_eq!(
                    (host.as_deref(), p),
                    (Some("server.example.com"), Some(port))
                );
                server.provide_verdict(Verdict::Accept).unwrap()
            },
        );
        assert_eq!(outcome, success("user@example.com", None));
    }
}

#[test]
fn rfc7628_section4_3_oauthbearer_failure() {
    let initial =
        "bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9AQE=";
    let error = "eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxlX3Njb3BlIiwib3BlbmlkLWNvbmZpZ3VyYXRpb24iOiJodHRwczovL2V4YW1wbGUuY29tLy53ZWxsLWtub3duL29wZW5pZC1jb25maWd1cmF0aW9uIn0=";
    let reject = |server: &mut Server, event: Event| {
        let Event::TokenReceived { token, .. } = event else {
            panic!()
        };
        // An empty "auth=" asks which scope a token needs.
        assert_eq!(token, Secret::new(String::new()));
        server
            .provide_verdict(Verdict::RejectToken(
                OAuthError::new("invalid_token")
                    .with_scope("example_scope")
                    .with_openid_configuration(
                        "https://example.com/.well-known/openid-configuration",
                    ),
            ))
            .unwrap()
    };
    // The client answers the error with "AQ==".
    assert_eq!(
        replay_server(
            &Mechanism::OAUTHBEARER,
            &ServerConfig::new(),
            Some(initial),
            &[(error, "AQ==")],
            reject
        ),
        Outcome::Failure(Failure::InvalidCredentials)
    );
    // Or cancels with "*".
    assert_eq!(
        replay_server(
            &Mechanism::OAUTHBEARER,
            &ServerConfig::new(),
            Some(initial),
            &[(error, "*")],
            reject
        ),
        Outcome::Failure(Failure::Cancelled)
    );
    // The client side of the error round.
    let credentials = Credentials::bearer_token("user@example.com", "expired");
    let mut client = Client::new(&Mechanism::OAUTHBEARER, &credentials).unwrap();
    client.initial_response().unwrap();
    let challenge = wire::decode_challenge(error.as_bytes(), &Limits::default()).unwrap();
    let response = client.step(&challenge).unwrap();
    let mut line = Vec::new();
    wire::encode_response(response.expose_secret(), &mut line);
    assert_eq!(line, b"AQ==");
    assert_eq!(client.oauth_error().unwrap().scope(), Some("example_scope"));
}
