//! Both machines on arbitrary input, split at arbitrary points: no panic,
//! no stall, and sessions end cleanly. The fuzz targets `pop3_server` and
//! `pop3_client` go further; this keeps a quick version in every test run.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::{Duration, Instant};

use mailwire_core::machine::Machine;
use mailwire_pop3::UniqueId;
use mailwire_pop3::client::{self, Client, ClientConfig};
use mailwire_pop3::server::{self, Maildrop, MessageInfo, Server, ServerConfig};
use proptest::prelude::*;

/// Client lines built from POP3 words, so the session gets past
/// AUTHORIZATION often.
fn client_input() -> impl Strategy<Value = Vec<u8>> {
    let word = prop_oneof![
        Just("USER mrose".to_owned()),
        Just("PASS tanstaaf".to_owned()),
        Just("PASS wrong".to_owned()),
        Just("STAT".to_owned()),
        Just("LIST".to_owned()),
        (0u32..4).prop_map(|n| format!("RETR {n}")),
        (0u32..4, 0u32..3).prop_map(|(n, l)| format!("TOP {n} {l}")),
        (0u32..4).prop_map(|n| format!("DELE {n}")),
        Just("RSET".to_owned()),
        Just("UIDL".to_owned()),
        Just("CAPA".to_owned()),
        Just("AUTH PLAIN".to_owned()),
        Just("AG1yb3NlAHRhbnN0YWFm".to_owned()),
        Just("*".to_owned()),
        Just("QUIT".to_owned()),
        "[ -~]{0,20}",
    ];
    proptest::collection::vec(
        (word, prop_oneof![Just("\r\n"), Just("\n"), Just("")]),
        0..20,
    )
    .prop_map(|lines| {
        lines
            .into_iter()
            .flat_map(|(w, end)| format!("{w}{end}").into_bytes())
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn server_survives_any_input(input in client_input(), split in 1usize..40) {
        let mut config = ServerConfig::new();
        config.plaintext_requires_tls = false;
        config.sasl_mechanisms = vec![mailwire_sasl::Mechanism::PLAIN];
        let mut now = Instant::now();
        let mut server = Server::new(config, now);
        'pieces: for piece in input.chunks(split) {
            let mut fed = 0;
            for _ in 0..100 {
                if fed == piece.len() || server.is_closed() {
                    break;
                }
                match server.handle_input(now, &piece[fed..]) {
                    Ok(n) => fed += n,
                    Err(_) => break 'pieces,
                }
                while let Some(event) = server.poll_event() {
                    match event {
                        server::Event::AuthenticateUser { password, .. } => {
                            if password.expose_secret() == "tanstaaf" {
                                server.accept_login().unwrap();
                            } else {
                                server.reject_login().unwrap();
                            }
                        }
                        server::Event::Sasl(_) => {
                            server.sasl_verdict(mailwire_sasl::Verdict::Accept).unwrap();
                        }
                        server::Event::MaildropRequested { .. } => {
                            let info = MessageInfo { size: 5, uid: UniqueId::new("u").unwrap() };
                            server.open_maildrop(Maildrop::new(vec![info.clone(), info])).unwrap();
                        }
                        server::Event::MessageRequested { .. } => {
                            server.send_message_chunk(b"A: b\r\n\r\n.x\r\ny\r\n").unwrap();
                            server.finish_message().unwrap();
                        }
                        server::Event::CommitDeletions { .. } => {
                            server.deletions_committed().unwrap();
                        }
                        _ => {}
                    }
                }
                while server.poll_transmit(&mut Vec::new()).is_some() {}
                if let Some(deadline) = server.poll_timeout()
                    && deadline <= now + Duration::from_secs(5)
                {
                    now = deadline;
                    server.handle_timeout(now);
                }
            }
            // No stall: with every event answered, a hundred rounds take
            // the whole piece (or the session ends).
            prop_assert!(fed == piece.len() || server.is_closed(), "stalled at {} of {:?}", fed, piece);
        }
        server.handle_eof(now);
        while server.poll_event().is_some() {}
        prop_assert!(server.is_closed());
    }

    #[test]
    fn client_survives_any_input(
        input in proptest::collection::vec(any::<u8>(), 0..400),
        prefix in prop_oneof![Just(&b"+OK hi\r\n"[..]), Just(&b"+OK <1@x>\r\n+OK\r\n"[..])],
        split in 1usize..40,
    ) {
        let now = Instant::now();
        let mut config = ClientConfig::new();
        config.allow_plaintext_without_tls = true;
        config.limits.max_chunk = 16;
        let mut client = Client::new(config, now);
        client.capa().unwrap();
        client.login("a", "b").unwrap();
        client.list(None).unwrap();
        client.retr(1).unwrap();
        client.uidl(Some(1)).unwrap();
        let mut all = prefix.to_vec();
        all.extend(input);
        'outer: for piece in all.chunks(split) {
            let mut fed = 0;
            let mut stalls = 0;
            while fed < piece.len() {
                match client.handle_input(now, &piece[fed..]) {
                    Ok(0) => stalls += 1,
                    Ok(n) => fed += n,
                    Err(_) => break 'outer,
                }
                // No stall: input is taken, or refused with an error.
                prop_assert!(stalls < 100, "stalled at {} of {:?}", fed, piece);
                while let Some(event) = client.poll_event() {
                    if let client::Event::MultilineChunk { data } = event {
                        prop_assert!(data.len() <= 16);
                    }
                }
            }
        }
        client.handle_eof(now);
        while client.poll_event().is_some() {}
        prop_assert!(client.is_closed());
    }
}
