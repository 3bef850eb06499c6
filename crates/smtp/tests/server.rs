//! Server machine tests: sequence, syntax, limits, smuggling, STARTTLS
//! injection, pipelining order, AUTH, BDAT and LMTP.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use mailwire_sasl::StoredCredentials;
use std::time::{Duration, Instant};

use mailwire_core::dot::BareNewline;
use mailwire_core::machine::{Control, Machine, MachineEvent};
use mailwire_smtp::server::{AbortReason, CloseReason, Event, Server, ServerConfig, ServerMode};
use mailwire_smtp::{Domain, EnhancedCode, Error, Mechanism, Reply, ReplyCode};

/// How the test application answers questions.
#[derive(Clone, Copy)]
enum Policy {
    AcceptAll,
    /// Reject recipients whose text contains "reject".
    RejectSome,
}

struct Harness {
    server: Server,
    now: Instant,
    out: Vec<u8>,
    events: Vec<Event>,
    policy: Policy,
    body: Vec<u8>,
}

impl Harness {
    fn new(config: ServerConfig) -> Self {
        let now = Instant::now();
        let mut h = Self {
            server: Server::new(config, now),
            now,
            out: Vec::new(),
            events: Vec::new(),
            policy: Policy::AcceptAll,
            body: Vec::new(),
        };
        h.pump();
        h.out.clear();
        h
    }

    fn smtp() -> Self {
        Self::new(config())
    }

    fn pump(&mut self) {
        loop {
            let mut progress = false;
            while self.server.poll_transmit(&mut self.out).is_some() {
                progress = true;
            }
            if let Some(event) = self.server.poll_event() {
                progress = true;
                self.answer(&event);
                self.events.push(event);
            }
            if !progress {
                break;
            }
        }
    }

    fn answer(&mut self, event: &Event) {
        match event {
            Event::MailRequested { .. } => self.server.accept_sender().unwrap(),
            Event::RecipientRequested { forward_path, .. } => {
                if matches!(self.policy, Policy::RejectSome)
                    && forward_path.to_string().contains("reject")
                {
                    let r = Reply::new(ReplyCode::MAILBOX_UNAVAILABLE, "No such user")
                        .unwrap()
                        .with_enhanced(EnhancedCode::BAD_DESTINATION_MAILBOX);
                    self.server.reject_recipient(r).unwrap();
                } else {
                    self.server.accept_recipient().unwrap();
                }
            }
            Event::BodyChunk { data } => self.body.extend_from_slice(data),
            Event::MessageReceived { .. } if self.server.config().mode != ServerMode::Lmtp => {
                self.server.accept_message().unwrap();
            }
            _ => {}
        }
    }

    /// Feeds `input` the way a driver does, answering events.
    fn feed(&mut self, input: &[u8]) {
        let mut fed = 0;
        let mut stalls = 0;
        while fed < input.len() {
            let n = match self.server.handle_input(self.now, &input[fed..]) {
                Ok(n) => n,
                Err(_) => break,
            };
            fed += n;
            if n == 0 {
                stalls += 1;
                assert!(stalls < 1000, "machine stalled");
            }
            self.pump();
        }
        self.pump();
    }

    fn take(&mut self) -> String {
        String::from_utf8(std::mem::take(&mut self.out)).unwrap()
    }

    fn session(&mut self, input: &str) -> String {
        self.feed(input.as_bytes());
        self.take()
    }

    fn codes(&mut self, input: &str) -> Vec<String> {
        self.session(input)
            .lines()
            .filter(|l| l.as_bytes().get(3) == Some(&b' '))
            .map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" "))
            .collect()
    }
}

fn config() -> ServerConfig {
    ServerConfig::new(Domain::try_from("mx.example.org").unwrap())
}

const HEAD: &str = "EHLO c.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n";

#[test]
fn greeting_and_ehlo() {
    let now = Instant::now();
    let mut server = Server::new(config(), now);
    let mut out = Vec::new();
    let _ = server.poll_transmit(&mut out);
    assert_eq!(out, b"220 mx.example.org ESMTP mailwire\r\n");
    let mut h = Harness::smtp();
    let ehlo = h.session("EHLO client.example\r\n");
    assert_eq!(
        ehlo,
        "250-mx.example.org greets client.example\r\n250-PIPELINING\r\n250-SIZE 36700160\r\n\
         250-8BITMIME\r\n250-SMTPUTF8\r\n250-CHUNKING\r\n250-BINARYMIME\r\n250-DSN\r\n\
         250 ENHANCEDSTATUSCODES\r\n"
    );
    assert!(
        h.events
            .iter()
            .any(|e| matches!(e, Event::Hello { extended: true, .. }))
    );
    assert_eq!(h.codes("HELO c\r\n"), ["250 mx.example.org"]);
}

#[test]
fn reply_503_5_5_1_bad_sequence() {
    let mut h = Harness::smtp();
    assert_eq!(h.codes("MAIL FROM:<a@b.c>\r\n"), ["503 5.5.1"]);
    assert_eq!(h.codes("EHLO c\r\n").len(), 1);
    assert_eq!(h.codes("RCPT TO:<a@b.c>\r\n"), ["503 5.5.1"]);
    assert_eq!(h.codes("DATA\r\n"), ["503 5.5.1"]);
    assert_eq!(
        h.codes("MAIL FROM:<a@b.c>\r\nMAIL FROM:<a@b.c>\r\n"),
        ["250 2.1.0", "503 5.5.1"]
    );
}

#[test]
fn reply_554_data_without_recipients() {
    let mut h = Harness::smtp();
    assert_eq!(
        h.codes("EHLO c\r\nMAIL FROM:<>\r\nDATA\r\n")[1..],
        ["250 2.1.0", "554 5.5.1"]
    );
}

#[test]
fn reply_500_5_5_2_unknown_command() {
    let mut h = Harness::smtp();
    assert_eq!(h.codes("XYZZY\r\n"), ["500 5.5.2"]);
}

#[test]
fn reply_501_syntax_errors() {
    let mut h = Harness::smtp();
    h.session("EHLO c\r\n");
    assert_eq!(h.codes("MAIL FROM:<a@@b>\r\n"), ["501 5.1.7"]);
    assert_eq!(h.codes("MAIL FROM:<a@b.c> SIZE=x\r\n"), ["501 5.5.4"]);
    assert_eq!(h.codes("HELO\r\n"), ["501 5.5.4"]);
    assert_eq!(h.codes("QUIT now\r\n"), ["501 5.5.4"]);
    h.session("MAIL FROM:<a@b.c>\r\n");
    assert_eq!(h.codes("RCPT TO:<a b@c>\r\n"), ["501 5.1.3"]);
    assert_eq!(h.codes("RCPT TO:<>\r\n"), ["501 5.1.3"]);
}

#[test]
fn reply_502_not_implemented() {
    let mut h = Harness::smtp();
    assert_eq!(
        h.codes("EXPN staff\r\nSTARTTLS\r\nAUTH PLAIN\r\n"),
        ["502 5.5.1", "502 5.5.1", "502 5.5.1"]
    );
    assert_eq!(
        h.codes("VRFY x\r\nHELP\r\nNOOP\r\n"),
        ["252 2.0.0", "214 2.0.0", "250 2.0.0"]
    );
}

#[test]
fn reply_555_5_5_4_unknown_parameter() {
    let mut h = Harness::smtp();
    h.session("EHLO c\r\n");
    assert_eq!(h.codes("MAIL FROM:<a@b.c> X-FOO=1\r\n"), ["555 5.5.4"]);
    let mut config = config();
    config.allow_unknown_parameters = true;
    let mut h = Harness::new(config);
    assert_eq!(
        h.codes("EHLO c\r\nMAIL FROM:<a@b.c> X-FOO=1\r\n")[1..],
        ["250 2.1.0"]
    );
    let Event::MailRequested { parameters, .. } = &h.events[1] else {
        panic!()
    };
    assert_eq!(parameters.other[0].keyword(), "X-FOO");
}

#[test]
fn rset_and_ehlo_reset_the_transaction() {
    let mut h = Harness::smtp();
    h.session(HEAD);
    assert_eq!(h.codes("RSET\r\nDATA\r\n"), ["250 2.0.0", "503 5.5.1"]);
    assert!(h.events.iter().any(|e| matches!(e, Event::Reset)));
    h.session("MAIL FROM:<a@b.c>\r\n");
    assert_eq!(
        h.codes("EHLO again\r\nRCPT TO:<a@b.c>\r\n")[1..],
        ["503 5.5.1"]
    );
}

#[test]
fn message_through_data() {
    let mut h = Harness::smtp();
    let out = h.codes(&format!(
        "{HEAD}DATA\r\nSubject: x\r\n\r\n..leading dot\r\n.\r\nQUIT\r\n"
    ));
    assert_eq!(out[3..], ["354 End", "250 2.0.0", "221 2.0.0"]);
    assert_eq!(h.body, b"Subject: x\r\n\r\n.leading dot\r\n");
    assert!(h.server.is_closed());
    assert!(matches!(
        h.events.last(),
        Some(Event::Closed {
            reason: CloseReason::Quit
        })
    ));
}

#[test]
fn empty_body_and_first_stuffed_line() {
    let mut h = Harness::smtp();
    let out = h.codes(&format!("{HEAD}DATA\r\n.\r\n"));
    assert_eq!(out[4..], ["250 2.0.0"]);
    assert!(
        h.events
            .iter()
            .any(|e| matches!(e, Event::MessageReceived { size: 0, .. }))
    );
    let out = h.codes("MAIL FROM:<>\r\nRCPT TO:<x@y.z>\r\nDATA\r\n..first\r\n.\r\n");
    assert_eq!(out[3..], ["250 2.0.0"]);
    assert_eq!(h.body, b".first\r\n");
}

#[test]
fn pipelining_replies_in_order() {
    let mut h = Harness::smtp();
    h.policy = Policy::RejectSome;
    h.session("EHLO c\r\n");
    let out = h.codes(
        "MAIL FROM:<a@b.c>\r\nRCPT TO:<one@b.c>\r\nRCPT TO:<reject@b.c>\r\nRCPT TO:<two@b.c>\r\n\
         DATA\r\nbody\r\n.\r\nNOOP\r\nQUIT\r\n",
    );
    assert_eq!(
        out,
        [
            "250 2.1.0",
            "250 2.1.5",
            "550 5.1.1",
            "250 2.1.5",
            "354 End",
            "250 2.0.0",
            "250 2.0.0",
            "221 2.0.0"
        ]
    );
    let order: Vec<&str> = h
        .events
        .iter()
        .filter_map(|e| match e {
            Event::MailRequested { .. } => Some("mail"),
            Event::RecipientRequested { .. } => Some("rcpt"),
            Event::BodyChunk { .. } => None,
            Event::MessageReceived { recipients: 2, .. } => Some("message"),
            _ => None,
        })
        .collect();
    assert_eq!(order, ["mail", "rcpt", "rcpt", "rcpt", "message"]);
}

#[test]
fn no_reply_before_its_command_is_read() {
    let now = Instant::now();
    let mut server = Server::new(config(), now);
    let mut out = Vec::new();
    let _ = server.poll_transmit(&mut out);
    out.clear();
    assert_eq!(
        server
            .handle_input(now, b"EHLO c\r\nMAIL FROM:<a@b.c>\r\nNOOP")
            .unwrap(),
        31
    );
    let _ = server.poll_transmit(&mut out);
    // EHLO is answered; MAIL waits for the application; NOOP is incomplete.
    assert!(out.starts_with(b"250-mx.example.org"));
    assert!(!String::from_utf8_lossy(&out).contains("2.1.0"));
    assert!(matches!(server.poll_event(), Some(Event::Hello { .. })));
    assert!(matches!(
        server.poll_event(),
        Some(Event::MailRequested { .. })
    ));
    // More input waits while the question is open.
    assert_eq!(server.handle_input(now, b"\r\n").unwrap(), 0);
    server.accept_sender().unwrap();
    assert_eq!(server.handle_input(now, b"\r\n").unwrap(), 2);
    out.clear();
    let _ = server.poll_transmit(&mut out);
    assert_eq!(out, b"250 2.1.0 Sender OK\r\n250 2.0.0 Ok\r\n");
    assert_eq!(
        server.accept_sender(),
        Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
            what: "accept_sender without MailRequested"
        }))
    );
}

/// A body that hides a second message behind a near-miss terminator.
fn smuggle(fake_end: &str, policy: BareNewline) -> (Harness, String) {
    let mut config = config();
    config.bare_newline = policy;
    let mut h = Harness::new(config);
    h.session(HEAD);
    let out = h.session(&format!(
        "DATA\r\nSubject: one\r\n\r\nhello{fake_end}MAIL FROM:<evil@example.org>\r\n\
         RCPT TO:<victim@example.org>\r\nDATA\r\nforged\r\n.\r\nNOOP\r\n"
    ));
    let mails = h
        .events
        .iter()
        .filter(|e| matches!(e, Event::MailRequested { .. }))
        .count();
    assert_eq!(mails, 1, "a second MAIL was smuggled through {fake_end:?}");
    (h, out)
}

macro_rules! smuggling_tests {
    ($($name:ident: $fake:expr;)*) => {$(
        #[test]
        fn $name() {
            let (h, out) = smuggle($fake, BareNewline::Reject);
            assert!(out.contains("500 5.5.2"), "{out}");
            assert!(h.events.iter().any(|e| matches!(e, Event::MessageAborted { reason: AbortReason::BareNewline })));
            assert!(!h.events.iter().any(|e| matches!(e, Event::MessageReceived { .. })));
            let (h, out) = smuggle($fake, BareNewline::Normalize);
            let received = h.events.iter().filter(|e| matches!(e, Event::MessageReceived { .. })).count();
            assert_eq!(received, 1);
            assert!(String::from_utf8_lossy(&h.body).contains("MAIL FROM:<evil@example.org>"));
            assert!(out.ends_with("250 2.0.0 Message accepted\r\n250 2.0.0 Ok\r\n"), "{out}");
        }
    )*};
}

smuggling_tests! {
    smuggling_lf_dot_lf: "\n.\n";
    smuggling_cr_dot_cr: "\r.\r";
    smuggling_lf_dot_crlf: "\n.\r\n";
    smuggling_crlf_dot_lf: "\r\n.\n";
    smuggling_cr_dot_crlf: "\r.\r\n";
    smuggling_crlf_dot_cr_x: "\r\n.\rX";
}

#[test]
fn smuggling_crlf_dot_crlf_is_the_only_end() {
    let mut h = Harness::smtp();
    h.session(HEAD);
    let out = h.codes("DATA\r\nhello\r\n.\r\nMAIL FROM:<next@example.org>\r\n");
    assert_eq!(out, ["354 End", "250 2.0.0", "250 2.1.0"]);
}

fn tls_config() -> ServerConfig {
    let mut config = config();
    config.starttls = true;
    config.auth_mechanisms = vec![Mechanism::PLAIN, Mechanism::LOGIN];
    config
}

#[test]
fn starttls_injection_is_discarded() {
    let mut h = Harness::new(tls_config());
    assert!(h.session("EHLO c\r\n").contains("250 STARTTLS"));
    let out = h.session("STARTTLS\r\nMAIL FROM:<injected@example.org>\r\nRCPT TO:<x@y.z>\r\n");
    assert_eq!(out, "220 2.0.0 Ready to start TLS\r\n");
    let tls = h
        .events
        .iter()
        .find(|e| matches!(e, Event::TlsRequested))
        .unwrap();
    assert_eq!(tls.control(), Some(Control::StartTls));
    // Plaintext fed before the handshake completes is dropped too.
    assert_eq!(
        h.server
            .handle_input(h.now, b"MAIL FROM:<late@example.org>\r\n")
            .unwrap(),
        30
    );
    h.pump();
    assert!(h.take().is_empty());
    h.server.handle_tls_established(h.now);
    assert!(h.server.is_tls());
    assert!(
        !h.events
            .iter()
            .any(|e| matches!(e, Event::MailRequested { .. }))
    );
    // RFC 3207 §4.2: the client must greet again.
    assert_eq!(h.codes("MAIL FROM:<a@b.c>\r\n"), ["503 5.5.1"]);
    let ehlo = h.session("EHLO c\r\n");
    assert!(
        !ehlo.contains("STARTTLS")
            && ehlo.contains("AUTH PLAIN LOGIN")
            && ehlo.contains("REQUIRETLS")
    );
    assert_eq!(h.codes("STARTTLS\r\n"), ["503 5.5.1"]);
}

#[test]
fn auth_plain_with_initial_response() {
    let mut h = Harness::new(tls_config());
    assert_eq!(
        h.codes("EHLO c\r\nAUTH PLAIN AGZvbwBiYXI=\r\n")[1..],
        ["530 5.7.0"]
    );
    let mut config = tls_config();
    config.tls_active = true;
    config.mode = ServerMode::Submission;
    let mut h = Harness::new(config);
    assert_eq!(
        h.codes("EHLO c\r\nMAIL FROM:<a@b.c>\r\n")[1..],
        ["530 5.7.0"]
    );
    h.session("AUTH PLAIN AGZvbwBiYXI=\r\n");
    // The machine decodes PLAIN itself and asks for the stored password.
    let Some(Event::Sasl(mailwire_sasl::Event::PasswordReceived {
        mechanism,
        authcid,
        password,
        ..
    })) = h.events.last()
    else {
        panic!()
    };
    assert_eq!(
        (
            mechanism,
            authcid.as_str(),
            password.expose_secret().as_str()
        ),
        (&mailwire_sasl::Mechanism::PLAIN, "foo", "bar")
    );
    h.server
        .sasl_credentials(Some(StoredCredentials::Password("bar".to_owned().into())))
        .unwrap();
    h.pump();
    assert_eq!(
        h.events.last(),
        Some(&Event::AuthSucceeded {
            authcid: "foo".into(),
            authzid: None
        })
    );
    h.server.auth_succeeded("foo").unwrap();
    h.pump();
    assert_eq!(h.take(), "235 2.7.0 Authentication successful\r\n");
    assert_eq!(h.server.authenticated_as(), Some("foo"));
    assert_eq!(
        h.codes("AUTH PLAIN\r\nMAIL FROM:<a@b.c>\r\n"),
        ["503 5.5.1", "250 2.1.0"]
    );
}

#[test]
fn auth_login_exchange_failure_and_cancel() {
    let mut config = tls_config();
    config.tls_active = true;
    let mut h = Harness::new(config);
    h.session("EHLO c\r\n");
    assert_eq!(h.codes("AUTH CRAM-MD5\r\n"), ["504 5.5.4"]);
    // LOGIN prompts on its own; a wrong password gets 535.
    assert_eq!(h.session("AUTH LOGIN\r\n"), "334 VXNlcm5hbWU6\r\n");
    assert_eq!(h.session("Zm9v\r\n"), "334 UGFzc3dvcmQ6\r\n");
    h.session("d3Jvbmc=\r\n");
    let Some(Event::Sasl(mailwire_sasl::Event::PasswordReceived {
        authcid, password, ..
    })) = h.events.last()
    else {
        panic!()
    };
    assert_eq!(
        (authcid.as_str(), password.expose_secret().as_str()),
        ("foo", "wrong")
    );
    h.server
        .sasl_credentials(Some(StoredCredentials::Password("bar".to_owned().into())))
        .unwrap();
    h.pump();
    assert_eq!(h.take(), "535 5.7.8 Authentication credentials invalid\r\n");
    assert_eq!(h.session("AUTH LOGIN\r\n"), "334 VXNlcm5hbWU6\r\n");
    assert_eq!(h.codes("*\r\n"), ["501 5.0.0"]);
    assert!(matches!(h.events.last(), Some(Event::AuthCancelled)));
    assert_eq!(h.session("AUTH LOGIN\r\n"), "334 VXNlcm5hbWU6\r\n");
    assert_eq!(h.codes("!!!\r\n"), ["501 5.5.2"]);
    // The application may end the exchange at any of its questions.
    h.session("AUTH LOGIN\r\n");
    h.session("Zm9v\r\n");
    h.session("YmFy\r\n");
    h.server
        .reject_auth(Reply::new(ReplyCode::TEMPORARY_FAILURE, "later").unwrap())
        .unwrap();
    h.pump();
    assert_eq!(h.take(), "454 later\r\n");
}

#[test]
fn reply_552_5_3_4_size() {
    let mut config = config();
    config.limits.max_message_size = Some(10);
    let mut h = Harness::new(config);
    assert!(h.session("EHLO c\r\n").contains("250-SIZE 10\r\n"));
    assert_eq!(h.codes("MAIL FROM:<a@b.c> SIZE=11\r\n"), ["552 5.3.4"]);
    let out =
        h.codes("MAIL FROM:<a@b.c>\r\nRCPT TO:<b@c.d>\r\nDATA\r\n0123456789\r\n.\r\nNOOP\r\n");
    assert_eq!(out[2..], ["354 End", "552 5.3.4", "250 2.0.0"]);
    assert!(h.events.iter().any(|e| matches!(
        e,
        Event::MessageAborted {
            reason: AbortReason::TooLarge
        }
    )));
    let out = h.codes(
        "MAIL FROM:<a@b.c>\r\nRCPT TO:<b@c.d>\r\nBDAT 8\r\n01234567BDAT 8 LAST\r\n01234567NOOP\r\n",
    );
    assert_eq!(out[2..], ["250 2.0.0", "552 5.3.4", "250 2.0.0"]);
}

#[test]
fn reply_452_4_5_3_too_many_recipients() {
    let mut config = config();
    config.limits.max_recipients = 2;
    let mut h = Harness::new(config);
    let out = h.codes(
        "EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<a@b.c>\r\nRCPT TO:<b@b.c>\r\nRCPT TO:<c@b.c>\r\n",
    );
    assert_eq!(
        out[1..],
        ["250 2.1.0", "250 2.1.5", "250 2.1.5", "452 4.5.3"]
    );
}

#[test]
fn reply_500_5_5_6_line_too_long_then_resync() {
    let mut config = config();
    config.limits.max_command_line_length = 64;
    let mut h = Harness::new(config);
    let long = format!("NOOP {}\r\nNOOP\r\n", "x".repeat(500));
    assert_eq!(h.codes(&long), ["500 5.5.6", "250 2.0.0"]);
}

#[test]
fn bare_cr_and_lf_in_commands() {
    let mut h = Harness::smtp();
    assert_eq!(
        h.codes("NOOP\rRSET\r\nNOOP\r\n"),
        ["500 5.5.2", "250 2.0.0"]
    );
    assert_eq!(h.codes("NOOP\nNOOP\r\n"), ["500 5.5.2", "250 2.0.0"]);
    let mut config = config();
    config.bare_newline = BareNewline::Normalize;
    let mut h = Harness::new(config);
    assert_eq!(h.codes("NOOP\nNOOP\r\n"), ["250 2.0.0", "250 2.0.0"]);
    assert_eq!(h.codes("NOOP\rx\r\n"), ["500 5.5.2"]);
}

#[test]
fn bare_newline_in_body() {
    let mut h = Harness::smtp();
    h.session(HEAD);
    assert_eq!(h.codes("DATA\r\na\nb\r\n.\r\n"), ["354 End", "500 5.5.2"]);
    let mut config = config();
    config.bare_newline = BareNewline::Normalize;
    let mut h = Harness::new(config);
    h.session(HEAD);
    assert_eq!(h.codes("DATA\r\na\nb\r\n.\r\n"), ["354 End", "250 2.0.0"]);
    assert_eq!(h.body, b"a\r\nb\r\n");
}

#[test]
fn non_ascii_needs_smtputf8() {
    let mut h = Harness::smtp();
    h.session("EHLO c\r\n");
    assert_eq!(h.codes("MAIL FROM:<δ@example.org>\r\n"), ["550 5.6.7"]);
    assert_eq!(
        h.codes("MAIL FROM:<a@b.c>\r\nRCPT TO:<δ@example.org>\r\n"),
        ["250 2.1.0", "553 5.6.7"]
    );
    assert_eq!(
        h.codes("RSET\r\nMAIL FROM:<δ@example.org> SMTPUTF8\r\nRCPT TO:<δ@παράδειγμα.δοκιμή>\r\n")
            [1..],
        ["250 2.1.0", "250 2.1.5"]
    );
}

#[test]
fn requiretls_needs_tls() {
    let mut h = Harness::smtp();
    h.session("EHLO c\r\n");
    assert_eq!(h.codes("MAIL FROM:<a@b.c> REQUIRETLS\r\n"), ["530 5.7.10"]);
}

#[test]
fn bdat_chunks() {
    let mut h = Harness::smtp();
    h.session(HEAD);
    let out = h.codes("BDAT 5\r\nhel\r\nBDAT 3 LAST\r\nlo\nQUIT\r\n");
    assert_eq!(out, ["250 2.0.0", "250 2.0.0", "221 2.0.0"]);
    assert_eq!(h.body, b"hel\r\nlo\n");
    let mut h = Harness::smtp();
    h.session("EHLO c\r\n");
    // The chunk of a BDAT that fails is read and dropped, never executed.
    assert_eq!(
        h.codes("BDAT 6\r\nQUIT\r\nNOOP\r\n"),
        ["503 5.5.1", "250 2.0.0"]
    );
    h.session(HEAD);
    assert_eq!(
        h.codes("BDAT 0\r\nDATA\r\nBDAT 0 LAST\r\n"),
        ["250 2.0.0", "503 5.5.1", "250 2.0.0"]
    );
    assert!(
        h.events
            .iter()
            .any(|e| matches!(e, Event::MessageReceived { size: 0, .. }))
    );
}

#[test]
fn lmtp_per_recipient_replies() {
    let mut config = config();
    config.mode = ServerMode::Lmtp;
    let mut h = Harness::new(config);
    h.policy = Policy::RejectSome;
    assert_eq!(h.codes("EHLO c\r\n"), ["500 5.5.1"]);
    let out = h.codes(
        "LHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<one@b.c>\r\nRCPT TO:<reject@b.c>\r\nRCPT TO:<two@b.c>\r\nDATA\r\nhi\r\n.\r\n",
    );
    assert_eq!(
        out[1..],
        [
            "250 2.1.0",
            "250 2.1.5",
            "550 5.1.1",
            "250 2.1.5",
            "354 End"
        ]
    );
    assert!(
        h.events
            .iter()
            .any(|e| matches!(e, Event::MessageReceived { recipients: 2, .. }))
    );
    assert!(h.server.answer_recipients(vec![]).is_err());
    let full = Reply::new(ReplyCode::INSUFFICIENT_STORAGE, "Mailbox full")
        .unwrap()
        .with_enhanced(EnhancedCode::new(4, 2, 2).unwrap());
    let ok = Reply::new(ReplyCode::OK, "Delivered")
        .unwrap()
        .with_enhanced(EnhancedCode::OK);
    h.server.answer_recipients(vec![ok, full]).unwrap();
    h.pump();
    assert_eq!(
        h.take(),
        "250 2.0.0 Delivered\r\n452 4.2.2 Mailbox full\r\n"
    );
    h.session("MAIL FROM:<a@b.c>\r\nRCPT TO:<x@b.c>\r\nRCPT TO:<y@b.c>\r\nDATA\r\n.\r\n");
    h.take();
    h.server.accept_message().unwrap();
    h.pump();
    assert_eq!(
        h.take(),
        "250 2.0.0 Message accepted\r\n250 2.0.0 Message accepted\r\n"
    );
}

#[test]
fn reply_421_4_4_2_timeout() {
    let mut h = Harness::smtp();
    let deadline = h.server.poll_timeout().unwrap();
    assert_eq!(deadline, h.now + Duration::from_secs(300));
    h.server.handle_timeout(deadline - Duration::from_secs(1));
    h.pump();
    assert!(h.take().is_empty());
    h.server.handle_timeout(deadline);
    h.pump();
    assert_eq!(
        h.take(),
        "421 4.4.2 Timeout, closing transmission channel\r\n"
    );
    assert!(h.server.is_closed());
    assert!(matches!(
        h.events.last(),
        Some(Event::Closed {
            reason: CloseReason::Timeout
        })
    ));
    assert_eq!(h.server.poll_timeout(), None);
}

#[test]
fn reply_421_too_many_errors_is_sticky() {
    let mut config = config();
    config.limits.max_errors = 2;
    let mut h = Harness::new(config);
    let out = h.codes("X\r\nX\r\nX\r\nNOOP\r\n");
    assert_eq!(out, ["500 5.5.2", "500 5.5.2", "500 5.5.2", "421 4.4.2"]);
    assert_eq!(
        h.server.handle_input(h.now, b"NOOP\r\n"),
        Err(Error::Protocol(mailwire_core::Error::TooManyErrors {
            limit: 2
        }))
    );
}

#[test]
fn eof_inside_data() {
    let mut h = Harness::smtp();
    h.session(&format!("{HEAD}DATA\r\npartial"));
    h.server.handle_eof(h.now);
    h.pump();
    assert!(h.events.iter().any(|e| matches!(
        e,
        Event::MessageAborted {
            reason: AbortReason::ConnectionLost
        }
    )));
    assert!(matches!(
        h.events.last(),
        Some(Event::Closed {
            reason: CloseReason::PeerClosed
        })
    ));
}

#[test]
fn split_at_every_byte() {
    let session = format!(
        "{HEAD}RCPT TO:<c@example.org> NOTIFY=FAILURE\r\nDATA\r\nline\r\n..dot\r\n.\r\nBDAT 3\r\nab\nBDAT 0 LAST\r\nQUIT\r\n"
    );
    let mut whole = Harness::smtp();
    let expected = whole.session(&session);
    let expected_body = whole.body.clone();
    for split in 0..session.len() {
        let mut h = Harness::smtp();
        h.feed(&session.as_bytes()[..split]);
        h.feed(&session.as_bytes()[split..]);
        assert_eq!(h.take(), expected, "split at {split}");
        assert_eq!(h.body, expected_body);
    }
    let mut h = Harness::smtp();
    for b in session.as_bytes() {
        h.feed(std::slice::from_ref(b));
    }
    assert_eq!(h.take(), expected);
}

#[test]
fn large_body_in_bounded_chunks() {
    let mut config = config();
    config.limits.max_body_chunk = 1024;
    let mut h = Harness::new(config);
    h.session(HEAD);
    let body = "x".repeat(998) + "\r\n";
    let data = format!("DATA\r\n{}.\r\n", body.repeat(100));
    h.session(&data);
    assert_eq!(h.body.len(), 100_000);
    assert!(h.events.iter().all(|e| match e {
        Event::BodyChunk { data } => data.len() <= 1024,
        _ => true,
    }));
}

/// `AUTH PLAIN` with the initial response of `password` (authcid "foo").
fn auth_plain_line(password_len: usize) -> String {
    use base64::Engine as _;
    let message = format!("\0foo\0{}", "p".repeat(password_len));
    let encoded = base64::engine::general_purpose::STANDARD.encode(message);
    format!("AUTH PLAIN {encoded}\r\n")
}

fn password_received(h: &Harness) -> Option<usize> {
    match h.events.last() {
        Some(Event::Sasl(mailwire_sasl::Event::PasswordReceived { password, .. })) => {
            Some(password.expose_secret().len())
        }
        _ => None,
    }
}

/// RFC 4954 §4: AUTH lines of up to 12,288 octets are accepted (an OAuth
/// token is about 3,360 octets of base64), while other commands keep the
/// RFC 5321 §4.5.3.1.4 limit.
#[test]
fn auth_line_longer_than_command_line() {
    let mut config = tls_config();
    config.tls_active = true;
    let mut h = Harness::new(config);
    h.session("EHLO c\r\n");
    // 5 + 2515 octets of PLAIN message: 3,360 octets of base64.
    let line = auth_plain_line(2515);
    assert_eq!(line.len(), "AUTH PLAIN ".len() + 3360 + 2);
    assert_eq!(h.session(&line), "");
    assert_eq!(password_received(&h), Some(2515));
    h.server.sasl_credentials(None).unwrap();
    h.pump();
    assert_eq!(h.codes(""), ["535 5.7.8"]);

    // The same response on a continuation line.
    assert_eq!(h.session("AUTH PLAIN\r\n"), "334 \r\n");
    let response = line.strip_prefix("AUTH PLAIN ").unwrap();
    assert_eq!(h.session(response), "");
    assert_eq!(password_received(&h), Some(2515));
    h.server.sasl_credentials(None).unwrap();
    h.pump();
    assert_eq!(h.codes(""), ["535 5.7.8"]);

    // AUTH lines up to 12,288 octets, CRLF included, are accepted.
    let at_limit = auth_plain_line(9199);
    assert_eq!(at_limit.len(), 12_285);
    assert_eq!(h.session(&at_limit), "");
    assert_eq!(password_received(&h), Some(9199));
    h.server.sasl_credentials(None).unwrap();
    h.pump();
    assert_eq!(h.codes(""), ["535 5.7.8"]);
    let over = auth_plain_line(9202);
    assert_eq!(over.len(), 12_289);
    assert_eq!(
        h.codes(&format!("{over}NOOP\r\n")),
        ["500 5.5.6", "250 2.0.0"]
    );

    // Other commands keep the 2,048-octet limit.
    let noop = format!("NOOP {}\r\nNOOP\r\n", "x".repeat(3000));
    assert_eq!(h.codes(&noop), ["500 5.5.6", "250 2.0.0"]);
    let noop = format!("NOOP {}\r\nNOOP\r\n", "x".repeat(2048 - 7));
    assert_eq!(h.codes(&noop), ["250 2.0.0", "250 2.0.0"]);
    let noop = format!("NOOP {}\r\nNOOP\r\n", "x".repeat(2048 - 6));
    assert_eq!(h.codes(&noop), ["500 5.5.6", "250 2.0.0"]);
}

/// The AUTH line limit is configurable on its own.
#[test]
fn auth_line_limit_configurable() {
    let mut config = tls_config();
    config.tls_active = true;
    config.limits.max_auth_line_length = 1000;
    let mut h = Harness::new(config);
    h.session("EHLO c\r\n");
    let line = auth_plain_line(700);
    assert!(line.len() < 1000);
    assert_eq!(h.session(&line), "");
    assert_eq!(password_received(&h), Some(700));
    h.server.sasl_credentials(None).unwrap();
    h.pump();
    assert_eq!(h.codes(""), ["535 5.7.8"]);
    let line = auth_plain_line(800);
    assert!(line.len() > 1000);
    assert_eq!(
        h.codes(&format!("{line}NOOP\r\n")),
        ["500 5.5.6", "250 2.0.0"]
    );
}
