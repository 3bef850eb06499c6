//! The client machine against scripted servers: bodies split at every byte,
//! the STLS boundary, malformed responses, limits and timers.

use std::time::{Duration, Instant};

use mailwire_core::machine::{Control, Machine, MachineEvent};
use mailwire_pop3::client::{Client, ClientConfig, CloseReason, Event};
use mailwire_pop3::{Error, ResponseCode, ScanListing};

fn fresh() -> (Client, Instant) {
    let now = Instant::now();
    let mut config = ClientConfig::new();
    config.allow_plaintext_without_tls = true;
    (Client::new(config, now), now)
}

/// Feeds all of `input` in pieces of `split` bytes; returns the events.
fn feed(client: &mut Client, now: Instant, input: &[u8], split: usize) -> Vec<Event> {
    let mut events = Vec::new();
    for piece in input.chunks(split.max(1)) {
        let mut fed = 0;
        while fed < piece.len() {
            fed += client.handle_input(now, &piece[fed..]).unwrap();
            while let Some(e) = client.poll_event() {
                events.push(e);
            }
        }
    }
    events
}

fn sent(client: &mut Client) -> String {
    let mut out = Vec::new();
    while client.poll_transmit(&mut out).is_some() {}
    String::from_utf8(out).unwrap()
}

fn body(events: &[Event]) -> Vec<u8> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::MultilineChunk { data } => Some(data.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

const SESSION: &[u8] = b"+OK ready\r\n\
+OK 3 octets\r\n..a\r\n\r\n..\r\n.b.\r\n.\r\n\
+OK 2 messages\r\n1 10\r\n2 20\r\n.\r\n\
+OK\r\n";

#[test]
fn multiline_responses_split_at_every_byte() {
    for split in 1..SESSION.len() {
        let (mut client, now) = fresh();
        client.retr(1).unwrap();
        client.list(None).unwrap();
        client.noop().unwrap();
        let events = feed(&mut client, now, SESSION, split);
        assert_eq!(body(&events), b".a\r\n\r\n.\r\nb.\r\n", "split {split}");
        let listings: Vec<_> = events
            .iter()
            .filter_map(|e| match e {
                Event::ScanListing(l) => Some(*l),
                _ => None,
            })
            .collect();
        assert_eq!(
            listings,
            [
                ScanListing {
                    message: 1,
                    size: 10
                },
                ScanListing {
                    message: 2,
                    size: 20
                }
            ],
            "split {split}"
        );
        let ends = events
            .iter()
            .filter(|e| matches!(e, Event::MultilineEnd))
            .count();
        assert_eq!(ends, 2);
        assert_eq!(sent(&mut client), "RETR 1\r\nLIST\r\nNOOP\r\n");
        assert_eq!(client.pending(), 0);
    }
}

#[test]
fn whether_a_reply_is_multiline_depends_on_arguments() {
    let (mut client, now) = fresh();
    client.list(Some(2)).unwrap();
    client.uidl(Some(1)).unwrap();
    client.uidl(None).unwrap();
    let events = feed(
        &mut client,
        now,
        b"+OK hi\r\n+OK 2 200\r\n+OK 1 abc\r\n+OK\r\n1 abc\r\n2 def\r\n.\r\n",
        1000,
    );
    assert!(events.contains(&Event::ScanListing(ScanListing {
        message: 2,
        size: 200
    })));
    let uids: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::UniqueId(l) => Some(l.uid.as_str().to_owned()),
            _ => None,
        })
        .collect();
    assert_eq!(uids, ["abc", "abc", "def"]);
}

#[test]
fn stls_discards_plaintext_after_ok() {
    let (mut client, now) = fresh();
    client.stls().unwrap();
    client.capa().unwrap();
    // A man in the middle appends a forged CAPA answer to the +OK.
    let events = feed(
        &mut client,
        now,
        b"+OK ready\r\n+OK begin TLS\r\n+OK\r\nSASL PLAIN\r\n.\r\n",
        1000,
    );
    let tls = events
        .iter()
        .find(|e| matches!(e, Event::TlsRequested))
        .unwrap();
    assert_eq!(tls.control(), Some(Control::StartTls));
    assert!(!events.iter().any(|e| matches!(e, Event::Capabilities(_))));
    // Only STLS went out; CAPA waits for TLS.
    assert_eq!(sent(&mut client), "STLS\r\n");
    // More plaintext before the handshake is dropped.
    assert_eq!(client.handle_input(now, b"+OK forged\r\n").unwrap(), 12);
    assert!(client.poll_event().is_none());
    client.handle_tls_established(now);
    assert!(client.is_tls());
    assert_eq!(sent(&mut client), "CAPA\r\n");
    let events = feed(&mut client, now, b"+OK\r\nTOP\r\n.\r\n", 1000);
    assert!(matches!(&events[1], Event::Capabilities(c) if c.contains("TOP")));
}

#[test]
fn responses_keep_their_codes() {
    let (mut client, now) = fresh();
    client.login("mrose", "secret").unwrap();
    let events = feed(
        &mut client,
        now,
        b"+OK\r\n+OK\r\n-ERR [SYS/TEMP] try later\r\n",
        1000,
    );
    let Event::Reply { command, response } = &events[2] else {
        panic!("{events:?}")
    };
    assert_eq!(*command, "PASS");
    assert_eq!(response.code, Some(ResponseCode::SYS_TEMP));
    assert!(response.code.as_ref().unwrap().is_temporary());
    // USER went out plain, PASS as a secret transmit.
    let mut out = Vec::new();
    let t = client.poll_transmit(&mut out).unwrap();
    assert!(!t.secret);
    assert_eq!(out, b"USER mrose\r\n");
    out.clear();
    let t = client.poll_transmit(&mut out).unwrap();
    assert!(t.secret);
    assert_eq!(out, b"PASS secret\r\n");
}

#[test]
fn plaintext_login_needs_tls() {
    let mut client = Client::new(ClientConfig::new(), Instant::now());
    assert_eq!(
        client.login("mrose", "secret"),
        Err(Error::Protocol(mailwire_core::Error::Unsupported {
            what: "USER/PASS without TLS"
        }))
    );
    assert!(client.apop("mrose", "secret").is_err());
    assert!(matches!(
        client.authenticate(&mailwire_sasl::Credentials::password("a", "b")),
        Err(Error::Protocol(mailwire_core::Error::Unsupported { .. }))
    ));
}

#[test]
fn malformed_responses_are_fatal() {
    let (mut client, now) = fresh();
    client.noop().unwrap();
    feed(&mut client, now, b"+OK hi\r\n", 100);
    assert_eq!(
        client.handle_input(now, b"HELLO\r\n"),
        Err(Error::Protocol(mailwire_core::Error::Malformed {
            offset: 8,
            expected: "status",
            found: mailwire_core::error::Found::Byte(b'H')
        }))
    );
    assert_eq!(
        client.poll_event(),
        Some(Event::Closed {
            reason: CloseReason::ProtocolError
        })
    );
    assert!(client.is_closed());
    assert_eq!(
        client.noop(),
        Err(Error::Protocol(mailwire_core::Error::Closed))
    );

    // A response nobody asked for.
    let (mut client, now) = fresh();
    feed(&mut client, now, b"+OK hi\r\n", 100);
    assert_eq!(
        client.handle_input(now, b"+OK surprise\r\n"),
        Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
            what: "a response to no command"
        }))
    );

    // A continuation outside AUTH.
    let (mut client, now) = fresh();
    client.noop().unwrap();
    feed(&mut client, now, b"+OK hi\r\n", 100);
    assert!(matches!(
        client.handle_input(now, b"+ abc=\r\n"),
        Err(Error::Protocol(mailwire_core::Error::OutOfOrder { .. }))
            | Err(Error::Protocol(mailwire_core::Error::Malformed { .. }))
    ));

    // A bad scan listing inside LIST.
    let (mut client, now) = fresh();
    client.list(None).unwrap();
    feed(&mut client, now, b"+OK hi\r\n+OK\r\n", 100);
    feed(&mut client, now, b"1 10\r\n", 100);
    assert_eq!(
        client.handle_input(now, b"one 20\r\n.\r\n"),
        Err(Error::Protocol(mailwire_core::Error::Malformed {
            offset: 19,
            expected: "msg",
            found: mailwire_core::error::Found::Byte(b'o')
        }))
    );
}

#[test]
fn long_lines_exceed_the_limit() {
    let now = Instant::now();
    let mut config = ClientConfig::new();
    config.limits.max_response_line_length = 64;
    let mut client = Client::new(config, now);
    client.capa().unwrap();
    let long = format!("+OK {}\r\n", "x".repeat(100));
    assert!(matches!(
        client.handle_input(now, long.as_bytes()),
        Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
            what: "response line length",
            limit: 64,
            ..
        }))
    ));
    // Inside a listing too.
    let mut config = ClientConfig::new();
    config.limits.max_response_line_length = 64;
    let mut client = Client::new(config, now);
    client.capa().unwrap();
    let mut input = b"+OK hi\r\n+OK\r\n".to_vec();
    input.extend(std::iter::repeat_n(b'A', 100));
    let mut result = Ok(0);
    let mut fed = 0;
    while fed < input.len() {
        result = client.handle_input(now, &input[fed..]);
        match &result {
            Ok(n) => fed += n,
            Err(_) => break,
        }
        while client.poll_event().is_some() {}
    }
    assert!(matches!(
        result,
        Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
            what: "response line length",
            ..
        }))
    ));
}

#[test]
fn response_timeout() {
    let (mut client, now) = fresh();
    let deadline = client.poll_timeout().unwrap();
    assert_eq!(deadline, now + Duration::from_secs(300));
    feed(&mut client, now, b"+OK hi\r\n", 100);
    // Nothing pending: no timer.
    assert_eq!(client.poll_timeout(), None);
    client.noop().unwrap();
    let deadline = client.poll_timeout().unwrap();
    client.handle_timeout(deadline);
    assert_eq!(
        client.poll_event(),
        Some(Event::Closed {
            reason: CloseReason::Timeout
        })
    );
    assert_eq!(
        client.handle_input(now, b"+OK\r\n"),
        Err(Error::Protocol(mailwire_core::Error::Timeout))
    );
}

#[test]
fn err_greeting_closes() {
    let (mut client, now) = fresh();
    let events = feed(&mut client, now, b"-ERR [SYS/TEMP] overloaded\r\n", 100);
    assert!(matches!(&events[0], Event::Greeting { response, .. } if !response.is_ok()));
    assert_eq!(
        events[1],
        Event::Closed {
            reason: CloseReason::Rejected
        }
    );
}

#[test]
fn large_bodies_stay_in_bounded_chunks() {
    let (mut client, now) = fresh();
    client.retr(1).unwrap();
    let mut input = b"+OK hi\r\n+OK\r\n".to_vec();
    let line = b"0123456789012345678901234567890123456789\r\n";
    for _ in 0..25_000 {
        input.extend_from_slice(line);
    }
    input.extend_from_slice(b".\r\n");
    let mut fed = 0;
    let mut total = 0;
    let mut largest = 0;
    while fed < input.len() {
        let end = (fed + 65536).min(input.len());
        fed += client.handle_input(now, &input[fed..end]).unwrap();
        while let Some(e) = client.poll_event() {
            if let Event::MultilineChunk { data } = e {
                largest = largest.max(data.len());
                total += data.len();
            }
        }
    }
    assert_eq!(total, 25_000 * line.len());
    assert!(largest <= 16 * 1024, "{largest}");
}

#[test]
fn apop_uses_the_greeting_timestamp() {
    let (mut client, now) = fresh();
    feed(
        &mut client,
        now,
        b"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n",
        100,
    );
    assert_eq!(
        client.apop_timestamp(),
        Some("<1896.697170952@dbc.mtview.ca.us>")
    );
    client.apop("mrose", "tanstaaf").unwrap();
    let mut out = Vec::new();
    let t = client.poll_transmit(&mut out).unwrap();
    assert!(t.secret);
    assert_eq!(out, b"APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n");
}

#[test]
fn sasl_errors_surface() {
    let (mut client, _) = fresh();
    // SCRAM-*-PLUS needs channel binding data the credentials lack.
    assert!(matches!(
        client.authenticate_with(
            &mailwire_sasl::Mechanism::SCRAM_SHA_256_PLUS,
            &mailwire_sasl::Credentials::password("u", "p")
        ),
        Err(Error::Sasl(mailwire_sasl::Error::MissingCredentials { .. }))
    ));
    assert_eq!(
        client.send_command(mailwire_pop3::Command::Auth {
            mechanism: mailwire_sasl::Mechanism::PLAIN,
            initial_response: None
        }),
        Err(Error::Protocol(mailwire_core::Error::Unsupported {
            what: "AUTH outside Client::authenticate"
        }))
    );
}

#[test]
fn scram_server_signature_is_checked() {
    let (mut client, now) = fresh();
    feed(&mut client, now, b"+OK hi\r\n", 100);
    client
        .authenticate_with(
            &mailwire_sasl::Mechanism::SCRAM_SHA_256,
            &mailwire_sasl::Credentials::password("user", "pencil"),
        )
        .unwrap();
    let line = sent(&mut client);
    assert!(line.starts_with("AUTH SCRAM-SHA-256 "));
    // A server that claims success without proving it knows the keys.
    let result = client.handle_input(now, b"+OK welcome\r\n");
    assert!(matches!(result, Err(Error::Sasl(_))), "{result:?}");
    assert!(client.is_closed());
}

#[test]
fn initial_responses_over_255_octets_wait_for_the_challenge() {
    let (mut client, now) = fresh();
    feed(&mut client, now, b"+OK hi\r\n", 100);
    let long = "p".repeat(300);
    client
        .authenticate_with(
            &mailwire_sasl::Mechanism::PLAIN,
            &mailwire_sasl::Credentials::password("user", long.as_str()),
        )
        .unwrap();
    assert_eq!(sent(&mut client), "AUTH PLAIN\r\n");
    feed(&mut client, now, b"+ \r\n", 100);
    let response = sent(&mut client);
    assert!(response.len() > 300 && response.ends_with("\r\n"));
    let events = feed(&mut client, now, b"+OK\r\n", 100);
    assert!(events.contains(&Event::Authenticated {
        mechanism: Some(mailwire_sasl::Mechanism::PLAIN)
    }));
}

#[test]
fn an_unproven_scram_success_is_not_reported() {
    let (mut client, now) = fresh();
    feed(&mut client, now, b"+OK hi\r\n", 100);
    client
        .authenticate_with(
            &mailwire_sasl::Mechanism::SCRAM_SHA_256,
            &mailwire_sasl::Credentials::password("user", "pencil"),
        )
        .unwrap();
    let _ = client.handle_input(now, b"+OK welcome\r\n");
    let mut events = Vec::new();
    while let Some(e) = client.poll_event() {
        events.push(e);
    }
    assert_eq!(
        events,
        [Event::Closed {
            reason: CloseReason::ProtocolError
        }]
    );
}
