//! Property tests: neither machine panics, stalls or answers out of
//! proportion on arbitrary input built from SMTP tokens and random bytes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::Instant;

use mailwire_core::Secret;
use mailwire_core::machine::Machine;
use mailwire_smtp::client::{self, Client, ClientConfig, Envelope};
use mailwire_smtp::server::{self, Server, ServerConfig, ServerMode};
use mailwire_smtp::{Domain, ForwardPath, Host, Mechanism, Reply, ReplyCode, ReversePath};
use proptest::prelude::*;

const CLIENT_TOKENS: &[&str] = &[
    "EHLO c\r\n",
    "HELO c\r\n",
    "LHLO c\r\n",
    "MAIL FROM:<a@b.c>\r\n",
    "MAIL FROM:<> SIZE=99999\r\n",
    "RCPT TO:<x@y.z>\r\n",
    "RCPT TO:<Postmaster>\r\n",
    "DATA\r\n",
    "BDAT 5\r\n",
    "BDAT 3 LAST\r\n",
    "BDAT 0 LAST\r\n",
    "RSET\r\n",
    "NOOP\r\n",
    "QUIT\r\n",
    "STARTTLS\r\n",
    "AUTH PLAIN\r\n",
    "AUTH LOGIN dXNlcg==\r\n",
    "*\r\n",
    "AGEAYg==\r\n",
    ".\r\n",
    "..x\r\n",
    "\r\n.\r\n",
    "\n.\n",
    "\r.\r",
    "text\r\n",
    "\r",
    "\n",
    ".",
    "\0",
    "\u{e9}",
];

const SERVER_TOKENS: &[&str] = &[
    "220 mx\r\n",
    "250 ok\r\n",
    "250-mx\r\n",
    "250-PIPELINING\r\n",
    "250-CHUNKING\r\n",
    "250-STARTTLS\r\n",
    "250-AUTH PLAIN LOGIN\r\n",
    "250 SIZE 100\r\n",
    "354 go\r\n",
    "334 \r\n",
    "334 VXNlcm5hbWU6\r\n",
    "235 ok\r\n",
    "535 no\r\n",
    "550 no\r\n",
    "421 bye\r\n",
    "221 bye\r\n",
    "500 what\r\n",
    "250-",
    "2",
    "\r\n",
    "\n",
    "\r",
];

fn input(tokens: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::sample::select(tokens).prop_map(|t| t.as_bytes().to_vec()),
            1 => proptest::collection::vec(any::<u8>(), 0..8),
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

fn run_server(mode: ServerMode, data: &[u8], chunk: usize, flip: bool) {
    let mut config = ServerConfig::new(Domain::try_from("mx.example.org").unwrap());
    config.mode = mode;
    config.starttls = true;
    config.auth_requires_tls = false;
    config.auth_mechanisms = vec![Mechanism::PLAIN, Mechanism::LOGIN];
    config.limits.max_message_size = Some(64);
    config.limits.max_body_chunk = 16;
    config.limits.max_command_line_length = 64;
    config.limits.max_errors = 5;
    let now = Instant::now();
    let mut server = Server::new(config, now);
    let mut out = Vec::new();
    let mut fed = 0;
    let mut stalls = 0;
    while fed < data.len() {
        let end = (fed + chunk).min(data.len());
        match server.handle_input(now, &data[fed..end]) {
            Ok(0) => stalls += 1,
            Ok(n) => fed += n,
            Err(_) => break,
        }
        assert!(stalls < 1000, "stalled");
        loop {
            while server.poll_transmit(&mut out).is_some() {}
            let Some(event) = server.poll_event() else {
                break;
            };
            let no = Reply::new(ReplyCode::MAILBOX_UNAVAILABLE, "no").unwrap();
            let _ = match event {
                server::Event::MailRequested { .. } if flip => server.reject_sender(no),
                server::Event::MailRequested { .. } => server.accept_sender(),
                server::Event::RecipientRequested { .. } if flip => server.reject_recipient(no),
                server::Event::RecipientRequested { .. } => server.accept_recipient(),
                server::Event::MessageReceived { .. } => server.accept_message(),
                server::Event::Sasl(_) if flip => {
                    server.sasl_verdict(mailwire_sasl::Verdict::Reject)
                }
                server::Event::Sasl(_) => server.sasl_credentials(Some(
                    mailwire_sasl::StoredCredentials::Password("p".to_owned().into()),
                )),
                server::Event::AuthSucceeded { .. } if flip => server.auth_failed(),
                server::Event::AuthSucceeded { authcid, .. } => server.auth_succeeded(&authcid),
                server::Event::TlsRequested => {
                    server.handle_tls_established(now);
                    Ok(())
                }
                _ => Ok(()),
            };
        }
        assert!(out.len() <= 200 * (fed + 4));
    }
    server.handle_eof(now);
    while server.poll_event().is_some() {}
}

fn run_client(lmtp: bool, data: &[u8], chunk: usize) {
    let mut config = ClientConfig::new(Host::try_from("c.example").unwrap());
    config.lmtp = lmtp;
    config.auth_mechanisms = vec![Mechanism::PLAIN, Mechanism::LOGIN];
    let now = Instant::now();
    let mut client = Client::new(config, now);
    let mut out = Vec::new();
    for piece in data.chunks(chunk.max(1)) {
        if client.handle_input(now, piece).is_err() {
            break;
        }
        while client.poll_transmit(&mut out).is_some() {}
        while let Some(event) = client.poll_event() {
            let _ = match event {
                client::Event::Ready { .. } => client.send_mail(Envelope::new(
                    ReversePath::Null,
                    vec![
                        ForwardPath::Postmaster,
                        ForwardPath::try_from("<b@example.org>").unwrap(),
                    ],
                )),
                client::Event::AuthMechanismSelected { .. } => client.auth_start(None),
                client::Event::AuthChallenge { .. } => {
                    client.auth_respond(Secret::new(b"x".to_vec()))
                }
                client::Event::BodyRequested => client.send_last_body(b"hi\n.\n"),
                client::Event::TlsRequested => {
                    client.handle_tls_established(now);
                    Ok(())
                }
                client::Event::TransactionEnded { .. } => {
                    client.quit();
                    Ok(())
                }
                _ => Ok(()),
            };
        }
        assert!(out.len() <= 4096 + 64 * data.len());
    }
    client.handle_eof(now);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn server_survives_anything(data in input(CLIENT_TOKENS), chunk in 1usize..40, mode in 0u8..3, flip: bool) {
        let mode = [ServerMode::Smtp, ServerMode::Submission, ServerMode::Lmtp][mode as usize];
        run_server(mode, &data, chunk, flip);
    }

    #[test]
    fn client_survives_anything(data in input(SERVER_TOKENS), chunk in 1usize..40, lmtp: bool) {
        run_client(lmtp, &data, chunk);
    }
}
