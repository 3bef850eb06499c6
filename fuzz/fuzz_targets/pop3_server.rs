//! The POP3 server machine on arbitrary client input, split at arbitrary
//! points, with an application whose answers come from the input: no
//! panic, no unbounded output, and deletions asked for only in UPDATE.
//!
//! Input: a flags byte (bit 0: plaintext allowed, bit 1: STLS offered, bit
//! 2: TLS completes when asked, bit 3: the maildrop is locked, bit 4: logins
//! fail, bit 5: deletions fail, bit 6: messages are unavailable, bit 7:
//! timers fire between pieces), a split byte, then the bytes.
#![no_main]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use mailwire_core::Secret;
use mailwire_core::machine::Machine;
use mailwire_pop3::server::{Event, Maildrop, MessageInfo, Server, ServerConfig, SessionState};
use mailwire_pop3::{Response, UniqueId};
use mailwire_sasl::{Mechanism, StoredCredentials, Verdict};

fn answer(server: &mut Server, event: &Event, flags: u8) {
    let result = match event {
        Event::AuthenticateUser { .. } | Event::ApopRequested { .. } => {
            if flags & 16 == 0 {
                server.accept_login()
            } else {
                server.reject_login()
            }
        }
        Event::Sasl(mailwire_sasl::Event::CredentialsNeeded { .. }) => server.sasl_credentials(
            Some(StoredCredentials::Password(Secret::new("pencil".into()))),
        ),
        Event::Sasl(_) => server.sasl_verdict(if flags & 16 == 0 {
            Verdict::Accept
        } else {
            Verdict::Reject
        }),
        Event::MaildropRequested { .. } => {
            if flags & 8 == 0 {
                let messages = (1..4u64)
                    .map(|n| MessageInfo {
                        size: n * 10,
                        uid: UniqueId::new(format!("u{n}")).unwrap(),
                    })
                    .collect();
                server.open_maildrop(Maildrop::new(messages))
            } else {
                server.maildrop_in_use()
            }
        }
        Event::MessageRequested { .. } => {
            if flags & 64 == 0 {
                server
                    .send_message_chunk(b"Subject: x\r\n\r\n.line\r\nmore\nlines\r")
                    .and_then(|()| server.finish_message())
            } else {
                server.message_unavailable(Response::err("gone").unwrap())
            }
        }
        Event::CommitDeletions { .. } => {
            assert_eq!(server.state(), SessionState::Update);
            if flags & 32 == 0 {
                server.deletions_committed()
            } else {
                server.deletions_failed()
            }
        }
        _ => Ok(()),
    };
    assert!(result.is_ok(), "{event:?}: {result:?}");
}

fuzz_target!(|data: &[u8]| {
    let [flags, split, input @ ..] = data else {
        return;
    };
    let (flags, split) = (*flags, usize::from(*split).max(1));
    let mut config = ServerConfig::new();
    config.plaintext_requires_tls = flags & 1 == 0;
    config.stls = flags & 2 != 0;
    config.apop_timestamp = Some("<1.2@fuzz>".into());
    config.sasl_mechanisms = vec![Mechanism::PLAIN, Mechanism::CRAM_MD5, Mechanism::LOGIN];
    config.limits.auth_failure_delay = Duration::from_secs(1);
    let mut now = Instant::now();
    let mut server = Server::new(config, now);
    let mut out = Vec::new();
    for piece in input.chunks(split) {
        let mut fed = 0;
        let mut stalls = 0;
        while fed < piece.len() && stalls < 4 {
            match server.handle_input(now, &piece[fed..]) {
                Ok(0) => stalls += 1,
                Ok(n) => fed += n,
                Err(_) => break,
            }
            while let Some(event) = server.poll_event() {
                if matches!(event, Event::TlsRequested) && flags & 4 != 0 {
                    server.handle_tls_established(now);
                }
                answer(&mut server, &event, flags);
            }
            out.clear();
            while server.poll_transmit(&mut out).is_some() {}
            // One command produces bounded output.
            assert!(out.len() < 1 << 20);
            if let Some(deadline) = server.poll_timeout()
                && (flags & 128 != 0 || deadline <= now + Duration::from_secs(1))
            {
                now = now.max(deadline);
                server.handle_timeout(now);
            }
        }
        if server.is_closed() {
            assert!(server.poll_timeout().is_none());
            break;
        }
    }
    server.handle_eof(now);
    while server.poll_event().is_some() {}
    assert!(server.is_closed());
});
