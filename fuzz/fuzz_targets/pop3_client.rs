//! The POP3 client machine on arbitrary server input, split at arbitrary
//! points, with a queue of commands chosen by the input: no panic, chunks
//! within the limit, and a closed session stays closed.
//!
//! Input: a command selector byte (each bit queues a group of commands), a
//! split byte, then the server's bytes.
#![no_main]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::Instant;

use libfuzzer_sys::fuzz_target;
use mailwire_core::machine::Machine;
use mailwire_pop3::client::{Client, ClientConfig, Event};
use mailwire_sasl::{Credentials, Mechanism};

fuzz_target!(|data: &[u8]| {
    let [selector, split, input @ ..] = data else {
        return;
    };
    let (selector, split) = (*selector, usize::from(*split).max(1));
    let now = Instant::now();
    let mut config = ClientConfig::new();
    config.allow_plaintext_without_tls = true;
    config.limits.max_chunk = 64;
    config.limits.max_response_line_length = 256;
    let mut client = Client::new(config, now);
    let credentials = Credentials::password("user", "pencil");
    let _ = (|| -> Result<(), mailwire_pop3::Error> {
        if selector & 1 != 0 {
            client.capa()?;
        }
        if selector & 2 != 0 {
            client.stls()?;
        }
        if selector & 4 != 0 {
            client.login("user", "pencil")?;
        }
        if selector & 8 != 0 {
            client.authenticate_with(&Mechanism::SCRAM_SHA_256, &credentials)?;
        }
        if selector & 16 != 0 {
            client.authenticate_with(&Mechanism::CRAM_MD5, &credentials)?;
        }
        if selector & 32 != 0 {
            client.stat()?;
            client.list(None)?;
            client.uidl(None)?;
            client.list(Some(1))?;
        }
        if selector & 64 != 0 {
            client.retr(1)?;
            client.top(1, 2)?;
            client.lang(None)?;
        }
        if selector & 128 != 0 {
            client.quit()?;
        }
        Ok(())
    })();
    let mut out = Vec::new();
    let mut closed = false;
    for piece in input.chunks(split) {
        let mut fed = 0;
        while fed < piece.len() {
            match client.handle_input(now, &piece[fed..]) {
                Ok(n) => fed += n,
                Err(_) => {
                    assert!(client.is_closed());
                    break;
                }
            }
            while let Some(event) = client.poll_event() {
                match event {
                    Event::MultilineChunk { data } => assert!(data.len() <= 64),
                    Event::TlsRequested => client.handle_tls_established(now),
                    Event::Greeting {
                        apop_timestamp: Some(_),
                        ..
                    } => {
                        let _ = client.apop("user", "pencil");
                    }
                    Event::Closed { .. } => closed = true,
                    _ => {}
                }
            }
            while client.poll_transmit(&mut out).is_some() {}
            if client.is_closed() {
                break;
            }
        }
    }
    if closed {
        assert!(client.is_closed());
    }
    client.handle_eof(now);
    while client.poll_event().is_some() {}
    assert!(client.is_closed());
});
