//! The SMTP server machine on arbitrary client bytes, split into arbitrary
//! chunks, with an application that answers from the input: no panic, no
//! stall, bounded output.
#![no_main]

use std::time::Instant;

use libfuzzer_sys::fuzz_target;
use mailwire_core::machine::Machine;
use mailwire_smtp::server::{Event, Server, ServerConfig, ServerMode};
use mailwire_smtp::{Domain, Mechanism, Reply, ReplyCode};

fuzz_target!(|data: &[u8]| {
    let Some((&control, input)) = data.split_first() else {
        return;
    };
    let mut config = ServerConfig::new(Domain::try_from("mx.example.org").unwrap());
    config.mode = match control % 3 {
        0 => ServerMode::Smtp,
        1 => ServerMode::Submission,
        _ => ServerMode::Lmtp,
    };
    config.starttls = control & 4 != 0;
    config.auth_requires_tls = false;
    config.auth_mechanisms = vec![Mechanism::PLAIN, Mechanism::LOGIN];
    config.limits.max_message_size = Some(4096);
    config.limits.max_body_chunk = 512;
    config.limits.max_command_line_length = 256;
    if control & 8 != 0 {
        config.bare_newline = mailwire_core::dot::BareNewline::Normalize;
    }
    let now = Instant::now();
    let mut server = Server::new(config, now);
    let mut out = Vec::new();
    let mut fed = 0;
    let mut stalls = 0;
    let chunk = 1 + (control as usize >> 4) * 7;
    while fed < input.len() {
        let end = (fed + chunk).min(input.len());
        match server.handle_input(now, &input[fed..end]) {
            Ok(0) => stalls += 1,
            Ok(n) => fed += n,
            Err(_) => break,
        }
        assert!(stalls < 10_000, "stalled");
        while server.poll_transmit(&mut out).is_some() {}
        while let Some(event) = server.poll_event() {
            let flip = input.get(fed).is_some_and(|b| b & 1 == 1);
            let no = Reply::new(ReplyCode::MAILBOX_UNAVAILABLE, "no").unwrap();
            let _ = match event {
                Event::MailRequested { .. } if flip => server.reject_sender(no),
                Event::MailRequested { .. } => server.accept_sender(),
                Event::RecipientRequested { .. } if flip => server.reject_recipient(no),
                Event::RecipientRequested { .. } => server.accept_recipient(),
                Event::MessageReceived { .. } => server.accept_message(),
                Event::Sasl(_) if flip => server.sasl_verdict(mailwire_sasl::Verdict::Reject),
                Event::Sasl(_) => server.sasl_credentials(Some(
                    mailwire_sasl::StoredCredentials::Password("u".to_owned().into()),
                )),
                Event::AuthSucceeded { authcid, .. } => server.auth_succeeded(&authcid),
                Event::TlsRequested => {
                    server.handle_tls_established(now);
                    Ok(())
                }
                _ => Ok(()),
            };
        }
        assert!(out.len() <= 64 * (fed + 16), "output out of proportion");
    }
    server.handle_eof(now);
    while server.poll_event().is_some() {}
});
