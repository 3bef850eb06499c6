//! Every SASL server machine on arbitrary client input: no panic, and an
//! exchange that ended (outcome or error) stays ended.
//!
//! Input: a mechanism selector byte, a flags byte, then client lines. With
//! flag bit 0 clear the lines are base64 wire lines separated by `\n`
//! (exercising `wire`); with it set they are raw messages separated by
//! 0xff, which reaches the mechanism parsers directly. Bit 1 sends the
//! first line as an initial response; bits 2-4 choose the application's
//! answers; bit 5 turns on the SCRAM decoy for unknown users.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mailwire_core::Secret;
use mailwire_sasl::wire::{self, ClientMessage, Limits};
use mailwire_sasl::{
    ChannelBinding, Event, Mechanism, OAuthError, ScramHash, ScramKeys, Server, ServerConfig,
    ServerStep, StoredCredentials, Verdict,
};

fn keys(hash: ScramHash) -> ScramKeys {
    static SHA1: OnceLock<ScramKeys> = OnceLock::new();
    static SHA256: OnceLock<ScramKeys> = OnceLock::new();
    let cell = match hash {
        ScramHash::Sha1 => &SHA1,
        _ => &SHA256,
    };
    cell.get_or_init(|| ScramKeys::derive(hash, "pencil", b"salt", 1).unwrap())
        .clone()
}

fn answer(
    server: &mut Server,
    event: Event,
    flags: u8,
) -> Result<ServerStep, mailwire_sasl::Error> {
    let known = flags & 4 == 0;
    let accept = flags & 8 == 0;
    let by_credentials = flags & 16 == 0;
    match event {
        Event::CredentialsNeeded { mechanism, .. } => {
            let stored = match ScramHash::for_mechanism(&mechanism) {
                Some(hash) => StoredCredentials::Scram(keys(hash)),
                None => StoredCredentials::Password(Secret::new("pencil".into())),
            };
            server.provide_credentials(known.then_some(stored))
        }
        Event::PasswordReceived { .. } if by_credentials => server.provide_credentials(
            known.then(|| StoredCredentials::Password(Secret::new("pencil".into()))),
        ),
        Event::TokenReceived { .. } if !accept && by_credentials => server.provide_verdict(
            Verdict::RejectToken(OAuthError::new("invalid_token").with_scope("mail")),
        ),
        _ => server.provide_verdict(if accept {
            Verdict::Accept
        } else {
            Verdict::Reject
        }),
    }
}

/// The decoded client line, `None` for a cancel, `Err` for bad wire data.
fn decode(line: &[u8], wire_mode: bool, initial: bool) -> Result<Option<Vec<u8>>, ()> {
    if !wire_mode {
        return Ok(Some(line.to_vec()));
    }
    let limits = Limits::default();
    let message = if initial {
        wire::decode_initial_response(line, &limits)
    } else {
        wire::decode_response(line, &limits)
    };
    match message {
        Ok(ClientMessage::Response(data)) => Ok(Some(data.into_exposed())),
        Ok(ClientMessage::Cancel) => Ok(None),
        Err(_) => Err(()),
    }
}

fn assert_ended(server: &mut Server) {
    assert!(server.step(b"").is_err());
    assert!(server.provide_verdict(Verdict::Accept).is_err());
    assert!(server.provide_credentials(None).is_err());
}

fuzz_target!(|data: &[u8]| {
    let Some(([selector, flags], rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let (selector, flags) = (*selector, *flags);
    let implemented = Mechanism::IMPLEMENTED;
    let mechanism = &implemented[usize::from(selector) % implemented.len()];
    let mut config = ServerConfig::new()
        .with_channel_binding(ChannelBinding::tls_exporter(vec![7; 32]))
        .with_external_identity("cn=fuzz");
    if flags & 32 != 0 {
        config = config.with_scram_mock_key(Secret::new(vec![42; 32]));
    }
    let wire_mode = flags & 1 == 0;
    let separator = if wire_mode { b'\n' } else { 0xff };
    let mut lines = rest.split(|b| *b == separator);
    let mut server = Server::new(mechanism, &config).unwrap();

    let started = if flags & 2 != 0 {
        let Some(first) = lines.next() else { return };
        match decode(first, wire_mode, true) {
            Ok(Some(initial)) => server.start(Some(&initial)),
            _ => return,
        }
    } else {
        server.start(None)
    };
    let mut step = started;
    loop {
        step = match step {
            Ok(ServerStep::Challenge(_)) => {
                let Some(line) = lines.next() else { return };
                match decode(line, wire_mode, false) {
                    Ok(Some(response)) => server.step(&response),
                    Ok(None) => {
                        let _ = server.cancel();
                        assert_ended(&mut server);
                        return;
                    }
                    Err(()) => return,
                }
            }
            Ok(ServerStep::Event(event)) => answer(&mut server, event, flags),
            Ok(_) | Err(_) => {
                assert_ended(&mut server);
                return;
            }
        };
    }
});
