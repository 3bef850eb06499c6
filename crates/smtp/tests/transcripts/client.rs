//! Client machine tests against scripted servers, and STARTTLS + AUTH
//! between the two machines.

use std::time::{Duration, Instant};

use mailwire_core::Secret;
use mailwire_core::machine::{Control, Machine, MachineEvent};
use mailwire_smtp::client::{self, Client, ClientConfig, CloseReason, Envelope, Event, TlsPolicy};
use mailwire_smtp::server::{self, ServerConfig};
use mailwire_smtp::{BodyType, Domain, Error, ForwardPath, Host, Mechanism, ReversePath};

use crate::pair::new_pair;

struct Scripted {
    client: Client,
    now: Instant,
    events: Vec<Event>,
}

impl Scripted {
    fn new(config: ClientConfig) -> Self {
        let now = Instant::now();
        Self {
            client: Client::new(config, now),
            now,
            events: Vec::new(),
        }
    }

    fn smtp() -> Self {
        Self::new(config())
    }

    /// Feeds server bytes; returns what the client sent in answer.
    fn server(&mut self, bytes: &str) -> String {
        let _ = self.client.handle_input(self.now, bytes.as_bytes());
        let mut out = Vec::new();
        while self.client.poll_transmit(&mut out).is_some() {}
        while let Some(e) = self.client.poll_event() {
            self.events.push(e);
        }
        String::from_utf8(out).unwrap()
    }

    fn sent(&mut self) -> String {
        let mut out = Vec::new();
        while self.client.poll_transmit(&mut out).is_some() {}
        String::from_utf8(out).unwrap()
    }
}

fn config() -> ClientConfig {
    ClientConfig::new(Host::try_from("client.example").unwrap().into_static())
}

fn envelope() -> Envelope<'static> {
    Envelope::new(
        ReversePath::try_from("<a@example.org>")
            .unwrap()
            .into_static(),
        vec![
            ForwardPath::try_from("<b@example.org>")
                .unwrap()
                .into_static(),
        ],
    )
}

#[test]
fn helo_fallback() {
    let mut s = Scripted::smtp();
    assert_eq!(s.server("220 old.example\r\n"), "EHLO client.example\r\n");
    assert_eq!(s.server("502 5.5.1 what?\r\n"), "HELO client.example\r\n");
    s.server("250 old.example\r\n");
    assert!(
        matches!(s.events.last(), Some(Event::Ready { capabilities }) if !capabilities.pipelining())
    );
    s.client.send_mail(envelope()).unwrap();
    // No pipelining after HELO: one command at a time.
    assert_eq!(s.sent(), "MAIL FROM:<a@example.org>\r\n");
    assert_eq!(s.server("250 ok\r\n"), "RCPT TO:<b@example.org>\r\n");
    assert_eq!(s.server("250 ok\r\n"), "DATA\r\n");
    s.server("354 go\r\n");
    assert_eq!(s.events.last(), Some(&Event::BodyRequested));
    s.client.send_body(b"a\n.b\r").unwrap();
    s.client.send_body(b"\nc").unwrap();
    s.client.finish_body().unwrap();
    assert_eq!(s.sent(), "a\r\n..b\r\nc\r\n.\r\n");
    s.server("250 queued\r\n");
    assert_eq!(
        s.events.last(),
        Some(&Event::TransactionEnded { delivered: vec![0] })
    );
    s.client.quit();
    assert_eq!(s.sent(), "QUIT\r\n");
    s.server("221 bye\r\n");
    assert!(s.client.is_closed());
}

#[test]
fn greeting_rejected() {
    let mut s = Scripted::smtp();
    assert_eq!(s.server("554 no service\r\n"), "QUIT\r\n");
    assert!(matches!(
        s.events.last(),
        Some(Event::Closed {
            reason: CloseReason::Rejected(_)
        })
    ));
}

fn ready(s: &mut Scripted, ehlo: &str) {
    s.server("220 mx\r\n");
    s.server(ehlo);
    assert!(
        matches!(s.events.last(), Some(Event::Ready { .. })),
        "{:?}",
        s.events
    );
}

#[test]
fn extensions_checked_before_sending() {
    let mut s = Scripted::smtp();
    ready(&mut s, "250-mx\r\n250-SIZE 1000\r\n250 PIPELINING\r\n");
    let mut e = envelope();
    e.parameters.size = Some(1001);
    assert_eq!(
        s.client.send_mail(e),
        Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
            offset: 0,
            what: "message size",
            limit: 1000,
            actual: 1001
        }))
    );
    for (what, edit) in [
        (
            "8BITMIME",
            (|e: &mut Envelope<'static>| e.parameters.body = Some(BodyType::EightBitMime))
                as fn(&mut _),
        ),
        ("BINARYMIME", |e| {
            e.parameters.body = Some(BodyType::BinaryMime)
        }),
        ("SMTPUTF8", |e| {
            e.reverse_path = ReversePath::try_from("<δ@example.org>")
                .unwrap()
                .into_static()
        }),
        ("DSN", |e| {
            e.recipients[0].1.notify = Some(mailwire_smtp::Notify::NEVER)
        }),
        ("REQUIRETLS", |e| e.parameters.requiretls = true),
        ("MT-PRIORITY", |e| {
            e.parameters.mt_priority = mailwire_smtp::MtPriority::new(3)
        }),
    ] {
        let mut e = envelope();
        edit(&mut e);
        assert_eq!(
            s.client.send_mail(e),
            Err(Error::Protocol(mailwire_core::Error::Unsupported { what }))
        );
    }
    assert_eq!(s.sent(), "");
    let mut e = envelope();
    e.parameters.size = Some(999);
    s.client.send_mail(e).unwrap();
    assert_eq!(
        s.sent(),
        "MAIL FROM:<a@example.org> SIZE=999\r\nRCPT TO:<b@example.org>\r\nDATA\r\n"
    );
}

#[test]
fn size_dropped_without_the_extension() {
    let mut s = Scripted::smtp();
    ready(&mut s, "250 mx\r\n");
    let mut e = envelope();
    e.parameters.size = Some(5);
    s.client.send_mail(e).unwrap();
    assert_eq!(s.sent(), "MAIL FROM:<a@example.org>\r\n");
}

#[test]
fn starttls_injection_is_discarded_by_the_client() {
    let mut s = Scripted::smtp();
    s.server("220 mx\r\n");
    assert_eq!(s.server("250-mx\r\n250 STARTTLS\r\n"), "STARTTLS\r\n");
    // A man in the middle appends a forged reply to the 220.
    let sent = s.server("220 go ahead\r\n250-evil\r\n250 AUTH PLAIN\r\n");
    assert_eq!(sent, "");
    let tls = s.events.last().unwrap();
    assert_eq!(tls.control(), Some(Control::StartTls));
    // Still plaintext before the handshake completes: dropped too.
    assert_eq!(
        s.client.handle_input(s.now, b"250 injected\r\n").unwrap(),
        14
    );
    s.client.handle_tls_established(s.now);
    assert!(s.client.is_tls());
    assert_eq!(s.sent(), "EHLO client.example\r\n");
    s.server("250-mx\r\n250 PIPELINING\r\n");
    let Some(Event::Ready { capabilities }) = s.events.last() else {
        panic!("{:?}", s.events)
    };
    assert!(capabilities.pipelining() && capabilities.auth_mechanisms().next().is_none());
}

#[test]
fn tls_required_without_starttls() {
    let mut c = config();
    c.tls = TlsPolicy::Required;
    let mut s = Scripted::new(c);
    s.server("220 mx\r\n");
    assert_eq!(s.server("250 mx\r\n"), "QUIT\r\n");
    assert!(matches!(
        s.events.last(),
        Some(Event::Closed {
            reason: CloseReason::TlsUnavailable
        })
    ));
}

#[test]
fn auth_picks_the_strongest_offered() {
    let mut c = config();
    c.auth_mechanisms = vec![Mechanism::PLAIN, Mechanism::LOGIN, Mechanism::CRAM_MD5];
    c.tls = TlsPolicy::Disabled;
    let mut s = Scripted::new(c);
    s.server("220 mx\r\n");
    s.server("250-mx\r\n250-AUTH LOGIN PLAIN\r\n250 AUTH=LOGIN\r\n");
    assert_eq!(
        s.events.last(),
        Some(&Event::AuthMechanismSelected {
            mechanism: Mechanism::PLAIN
        })
    );
    assert_eq!(
        s.client.send_mail(envelope()),
        Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
            what: "send_mail before the session is ready"
        }))
    );
    s.client
        .auth_start(Some(Secret::new(b"\0a\0b".to_vec())))
        .unwrap();
    let mut out = Vec::new();
    let transmit = s.client.poll_transmit(&mut out).unwrap();
    assert!(transmit.secret);
    assert_eq!(out, b"AUTH PLAIN AGEAYg==\r\n");
    s.server("334 \r\n");
    assert_eq!(
        s.events.last(),
        Some(&Event::AuthChallenge {
            challenge: Vec::new()
        })
    );
    s.client.auth_respond(Secret::new(b"x".to_vec())).unwrap();
    assert_eq!(s.sent(), "eA==\r\n");
    s.server("235 2.7.0 ok\r\n");
    assert!(s.client.is_authenticated());
    assert!(matches!(s.events.last(), Some(Event::Ready { .. })));
}

#[test]
fn service_not_available_and_protocol_errors() {
    let mut s = Scripted::smtp();
    ready(&mut s, "250 mx\r\n");
    s.server("421 4.3.2 shutting down\r\n");
    assert!(matches!(
        s.events.last(),
        Some(Event::Closed {
            reason: CloseReason::ServiceNotAvailable(_)
        })
    ));
    let mut s = Scripted::smtp();
    ready(&mut s, "250 mx\r\n");
    s.server("250 unsolicited\r\n");
    assert!(matches!(
        s.events.last(),
        Some(Event::Closed {
            reason: CloseReason::ProtocolError(_)
        })
    ));
    assert!(s.client.handle_input(s.now, b"250 x\r\n").is_err());
    let mut s = Scripted::smtp();
    s.server("220-mx\r\n221 other code\r\n");
    assert!(matches!(
        s.events.last(),
        Some(Event::Closed {
            reason: CloseReason::ProtocolError(_)
        })
    ));
}

#[test]
fn greeting_timeout() {
    let mut s = Scripted::smtp();
    let deadline = s.client.poll_timeout().unwrap();
    assert_eq!(deadline, s.now + Duration::from_secs(300));
    s.client.handle_timeout(deadline);
    assert!(s.client.is_closed());
    assert!(matches!(
        s.client.poll_event(),
        Some(Event::Closed {
            reason: CloseReason::Timeout
        })
    ));
}

#[test]
fn several_transactions_and_reset_after_failure() {
    let mut s = Scripted::smtp();
    ready(&mut s, "250-mx\r\n250 PIPELINING\r\n");
    s.client.send_mail(envelope()).unwrap();
    s.sent();
    s.server("250 ok\r\n550 no\r\n554 no valid recipients\r\n");
    assert_eq!(
        s.events.last(),
        Some(&Event::TransactionEnded { delivered: vec![] })
    );
    s.client.send_mail(envelope()).unwrap();
    assert_eq!(
        s.sent(),
        "RSET\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n"
    );
    s.server("250 reset\r\n250 ok\r\n250 ok\r\n354 go\r\n");
    s.client.send_last_body(b"x").unwrap();
    assert_eq!(s.sent(), "x\r\n.\r\n");
    s.server("250 queued\r\n");
    assert_eq!(
        s.events.last(),
        Some(&Event::TransactionEnded { delivered: vec![0] })
    );
}

#[test]
fn starttls_and_auth_between_machines() {
    let mut client_config = config();
    client_config.tls = TlsPolicy::Required;
    client_config.auth_mechanisms = vec![Mechanism::LOGIN];
    let mut server_config = ServerConfig::new(Domain::try_from("mx.example.org").unwrap());
    server_config.starttls = true;
    server_config.mode = mailwire_smtp::server::ServerMode::Submission;
    server_config.auth_mechanisms = vec![Mechanism::PLAIN, Mechanism::LOGIN];
    let mut sent = false;
    let mut pair = new_pair(
        client_config,
        server_config,
        move |client: &mut Client, event: &client::Event| match event {
            Event::AuthMechanismSelected { .. } => client.auth_start(None).unwrap(),
            Event::AuthChallenge { challenge } => {
                let answer = if challenge == b"Username:" {
                    b"alice".to_vec()
                } else {
                    b"secret".to_vec()
                };
                client.auth_respond(Secret::new(answer)).unwrap();
            }
            Event::Ready { .. } if !sent => {
                sent = true;
                client.send_mail(envelope()).unwrap();
            }
            Event::BodyRequested => client.send_last_body(b"Subject: hi\n\nbody\n").unwrap(),
            Event::TransactionEnded { .. } => client.quit(),
            _ => {}
        },
        {
            move |server: &mut server::Server, event: &server::Event| match event {
                // The machine runs LOGIN itself: "Username:", "Password:".
                server::Event::Sasl(mailwire_sasl::Event::PasswordReceived { authcid, .. }) => {
                    assert_eq!(authcid, "alice");
                    let stored =
                        mailwire_sasl::StoredCredentials::Password("secret".to_owned().into());
                    server.sasl_credentials(Some(stored)).unwrap();
                }
                server::Event::AuthSucceeded { authcid, .. } => {
                    server.auth_succeeded(authcid).unwrap();
                }
                server::Event::MailRequested { .. } => server.accept_sender().unwrap(),
                server::Event::RecipientRequested { .. } => server.accept_recipient().unwrap(),
                server::Event::MessageReceived { .. } => server.accept_message().unwrap(),
                _ => {}
            }
        },
    );
    pair.drive();
    assert!(pair.client.is_tls() && pair.server.is_tls());
    assert!(pair.client.is_authenticated());
    assert_eq!(pair.server.authenticated_as(), Some("alice"));
    assert!(
        pair.client_events
            .contains(&Event::TransactionEnded { delivered: vec![0] })
    );
    let body: Vec<u8> = pair
        .server_events
        .iter()
        .filter_map(|e| match e {
            server::Event::BodyChunk { data } => Some(data.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(body, b"Subject: hi\r\n\r\nbody\r\n");
    // RFC 3207 §4.2: the client greeted again after the handshake.
    let ehlos = pair
        .lines(crate::pair::Side::Client)
        .iter()
        .filter(|l| l.starts_with("EHLO"))
        .count();
    assert_eq!(ehlos, 2);
    assert!(pair.client.is_closed());
}
