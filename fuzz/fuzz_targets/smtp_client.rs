//! The SMTP client machine on arbitrary server bytes, with an application
//! that sends a message whenever it can: no panic, no unbounded output.
#![no_main]

use std::time::Instant;

use libfuzzer_sys::fuzz_target;
use mailwire_core::Secret;
use mailwire_core::machine::Machine;
use mailwire_smtp::client::{Client, ClientConfig, Envelope, Event};
use mailwire_smtp::{ForwardPath, Host, Mechanism, ReversePath};

fuzz_target!(|data: &[u8]| {
    let Some((&control, input)) = data.split_first() else {
        return;
    };
    let mut config = ClientConfig::new(Host::try_from("client.example").unwrap());
    config.lmtp = control & 1 != 0;
    config.auth_mechanisms = vec![Mechanism::PLAIN, Mechanism::LOGIN];
    config.pipelining = control & 2 != 0;
    let now = Instant::now();
    let mut client = Client::new(config, now);
    let mut out = Vec::new();
    let chunk = 1 + (control as usize >> 2) * 5;
    for piece in input.chunks(chunk) {
        if client.handle_input(now, piece).is_err() {
            break;
        }
        while client.poll_transmit(&mut out).is_some() {}
        while let Some(event) = client.poll_event() {
            let _ = match event {
                Event::Ready { .. } => {
                    let envelope = Envelope::new(
                        ReversePath::try_from("<a@example.org>").unwrap(),
                        vec![
                            ForwardPath::Postmaster,
                            ForwardPath::try_from("<b@example.org>").unwrap(),
                        ],
                    );
                    client.send_mail(envelope)
                }
                Event::AuthMechanismSelected { .. } => {
                    client.auth_start(Some(Secret::new(b"\0u\0p".to_vec())))
                }
                Event::AuthChallenge { .. } => client.auth_respond(Secret::new(b"r".to_vec())),
                Event::BodyRequested => client.send_last_body(b"Subject: x\n\n.body\n"),
                Event::TlsRequested => {
                    client.handle_tls_established(now);
                    Ok(())
                }
                Event::TransactionEnded { .. } => {
                    client.quit();
                    Ok(())
                }
                _ => Ok(()),
            };
        }
        assert!(out.len() <= 4096 + 64 * input.len());
    }
    client.handle_eof(now);
});
