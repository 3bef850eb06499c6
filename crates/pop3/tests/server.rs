//! Server machine tests: states, the maildrop questions, deletions only in
//! UPDATE, delays, timers, limits and the STLS boundary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::{Duration, Instant};

use mailwire_core::machine::{Control, Machine, MachineEvent};
use mailwire_pop3::server::{
    CloseReason, Event, Maildrop, MessageInfo, Server, ServerConfig, SessionState,
};
use mailwire_pop3::types::command::ApopDigest;
use mailwire_pop3::{Response, UniqueId};
use mailwire_sasl::{Mechanism, StoredCredentials};

const MESSAGE_1: &[u8] = b"Subject: one\r\n\r\n.dot line\r\nsecond\r\n";
const MESSAGE_2: &[u8] = b"Subject: two\r\n\r\nbody\r\n";

struct Harness {
    server: Server,
    now: Instant,
    events: Vec<Event>,
}

fn maildrop() -> Maildrop {
    Maildrop::new(vec![
        MessageInfo {
            size: MESSAGE_1.len() as u64,
            uid: UniqueId::new("uid-1").unwrap(),
        },
        MessageInfo {
            size: MESSAGE_2.len() as u64,
            uid: UniqueId::new("uid-2").unwrap(),
        },
    ])
}

fn config() -> ServerConfig {
    let mut config = ServerConfig::new();
    config.plaintext_requires_tls = false;
    config
}

impl Harness {
    fn new(config: ServerConfig) -> Self {
        let now = Instant::now();
        let mut h = Self {
            server: Server::new(config, now),
            now,
            events: Vec::new(),
        };
        let greeting = h.output();
        assert!(greeting.starts_with("+OK"), "{greeting}");
        h
    }

    fn output(&mut self) -> String {
        let mut out = Vec::new();
        while self.server.poll_transmit(&mut out).is_some() {}
        String::from_utf8(out).unwrap()
    }

    /// Feeds `input`, answering questions like a well-behaved maildrop
    /// application, and returns what the server sent.
    fn send(&mut self, input: &str) -> String {
        let mut fed = 0;
        let input = input.as_bytes();
        for _ in 0..1000 {
            if fed < input.len() && !self.server.is_closed() {
                match self.server.handle_input(self.now, &input[fed..]) {
                    Ok(n) => fed += n,
                    Err(_) => fed = input.len(),
                }
            }
            let mut progress = false;
            while let Some(event) = self.server.poll_event() {
                progress = true;
                self.answer(&event);
                self.events.push(event);
            }
            if (fed == input.len() || self.server.is_closed()) && !progress {
                break;
            }
        }
        self.output()
    }

    fn answer(&mut self, event: &Event) {
        match event {
            Event::AuthenticateUser { user, password } => {
                if user == "mrose" && password.expose_secret() == "tanstaaf" {
                    self.server.accept_login().unwrap();
                } else {
                    self.server.reject_login().unwrap();
                }
            }
            Event::ApopRequested {
                digest, timestamp, ..
            } => {
                if digest.verify(timestamp, "tanstaaf") {
                    self.server.accept_login().unwrap();
                } else {
                    self.server.reject_login().unwrap();
                }
            }
            Event::MaildropRequested { .. } => self.server.open_maildrop(maildrop()).unwrap(),
            Event::MessageRequested { message, .. } => {
                let body = if *message == 1 { MESSAGE_1 } else { MESSAGE_2 };
                for chunk in body.chunks(5) {
                    self.server.send_message_chunk(chunk).unwrap();
                }
                self.server.finish_message().unwrap();
            }
            Event::CommitDeletions { .. } => self.server.deletions_committed().unwrap(),
            Event::Sasl(mailwire_sasl::Event::PasswordReceived { password, .. }) => {
                let verdict = if password.expose_secret() == "tanstaaf" {
                    mailwire_sasl::Verdict::Accept
                } else {
                    mailwire_sasl::Verdict::Reject
                };
                self.server.sasl_verdict(verdict).unwrap();
            }
            Event::Sasl(mailwire_sasl::Event::CredentialsNeeded { .. }) => self
                .server
                .sasl_credentials(Some(StoredCredentials::Password(
                    mailwire_core::Secret::new("tanstaaf".into()),
                )))
                .unwrap(),
            _ => {}
        }
    }

    fn login(&mut self) {
        let out = self.send("USER mrose\r\nPASS tanstaaf\r\n");
        assert_eq!(
            out,
            "+OK Send your password\r\n+OK maildrop has 2 messages (57 octets)\r\n"
        );
        assert_eq!(self.server.state(), SessionState::Transaction);
    }

    fn closed_reason(&self) -> Option<CloseReason> {
        self.events.iter().find_map(|e| match e {
            Event::Closed { reason } => Some(*reason),
            _ => None,
        })
    }
}

#[test]
fn transaction_commands_are_answered_by_the_machine() {
    let mut h = Harness::new(config());
    h.login();
    assert_eq!(h.send("STAT\r\n"), "+OK 2 57\r\n");
    assert_eq!(
        h.send("LIST\r\n"),
        "+OK 2 messages (57 octets)\r\n1 35\r\n2 22\r\n.\r\n"
    );
    assert_eq!(h.send("LIST 2\r\n"), "+OK 2 22\r\n");
    assert_eq!(h.send("LIST 3\r\n"), "-ERR No such message\r\n");
    assert_eq!(h.send("UIDL\r\n"), "+OK\r\n1 uid-1\r\n2 uid-2\r\n.\r\n");
    assert_eq!(h.send("UIDL 1\r\n"), "+OK 1 uid-1\r\n");
    assert_eq!(h.send("NOOP\r\n"), "+OK\r\n");
    assert_eq!(
        h.send("RETR 1\r\n"),
        "+OK 35 octets\r\nSubject: one\r\n\r\n..dot line\r\nsecond\r\n.\r\n"
    );
    assert_eq!(
        h.send("TOP 1 0\r\n"),
        "+OK Top of message follows\r\nSubject: one\r\n\r\n.\r\n"
    );
    assert_eq!(
        h.send("TOP 1 1\r\n"),
        "+OK Top of message follows\r\nSubject: one\r\n\r\n..dot line\r\n.\r\n"
    );
    assert_eq!(h.send("RETR 0\r\n"), "-ERR No such message\r\n");
}

#[test]
fn dele_marks_rset_unmarks_and_only_quit_commits() {
    let mut h = Harness::new(config());
    h.login();
    assert_eq!(h.send("DELE 1\r\n"), "+OK message 1 deleted\r\n");
    assert_eq!(h.send("DELE 1\r\n"), "-ERR Message already deleted\r\n");
    assert_eq!(h.send("RETR 1\r\n"), "-ERR No such message\r\n");
    assert_eq!(h.send("STAT\r\n"), "+OK 1 22\r\n");
    assert_eq!(h.server.marked(), [1]);
    assert_eq!(
        h.send("RSET\r\n"),
        "+OK maildrop has 2 messages (57 octets)\r\n"
    );
    assert!(h.server.marked().is_empty());
    assert_eq!(h.send("DELE 2\r\n"), "+OK message 2 deleted\r\n");
    assert!(
        !h.events
            .iter()
            .any(|e| matches!(e, Event::CommitDeletions { .. }))
    );
    assert_eq!(
        h.send("QUIT\r\n"),
        "+OK POP3 server signing off (1 messages left)\r\n"
    );
    assert!(
        h.events
            .contains(&Event::CommitDeletions { messages: vec![2] })
    );
    assert_eq!(h.closed_reason(), Some(CloseReason::Quit));
    assert_eq!(h.server.state(), SessionState::Update);
    assert!(h.server.is_closed());
}

#[test]
fn a_dropped_connection_deletes_nothing() {
    let mut h = Harness::new(config());
    h.login();
    h.send("DELE 1\r\nDELE 2\r\n");
    h.server.handle_eof(h.now);
    while let Some(e) = h.server.poll_event() {
        h.events.push(e);
    }
    assert_eq!(h.closed_reason(), Some(CloseReason::PeerClosed));
    assert!(
        !h.events
            .iter()
            .any(|e| matches!(e, Event::CommitDeletions { .. }))
    );
}

#[test]
fn failed_deletions_answer_sys_temp() {
    let mut h = Harness::new(config());
    h.login();
    h.send("DELE 1\r\n");
    h.server.handle_input(h.now, b"QUIT\r\n").unwrap();
    assert_eq!(
        h.server.poll_event(),
        Some(Event::CommitDeletions { messages: vec![1] })
    );
    assert!(h.server.deletions_committed().is_ok());
    // Already answered: a second answer is out of order.
    assert!(h.server.deletions_failed().is_err());

    let mut h = Harness::new(config());
    h.login();
    h.send("DELE 2\r\n");
    h.server.handle_input(h.now, b"QUIT\r\n").unwrap();
    assert!(h.server.poll_event().is_some());
    h.server.deletions_failed().unwrap();
    assert_eq!(
        h.output(),
        "-ERR [SYS/TEMP] Some deleted messages not removed\r\n"
    );
    assert!(h.server.is_closed());
}

#[test]
fn locked_maildrop_gets_in_use() {
    let mut h = Harness::new(config());
    h.server
        .handle_input(h.now, b"USER mrose\r\nPASS tanstaaf\r\n")
        .unwrap();
    assert!(matches!(
        h.server.poll_event(),
        Some(Event::AuthenticateUser { .. })
    ));
    h.server.accept_login().unwrap();
    assert_eq!(
        h.server.poll_event(),
        Some(Event::MaildropRequested {
            user: "mrose".into(),
            authzid: None
        })
    );
    h.server.maildrop_in_use().unwrap();
    assert_eq!(
        h.output(),
        "+OK Send your password\r\n-ERR [IN-USE] Maildrop is locked by another session\r\n"
    );
    assert_eq!(h.server.state(), SessionState::Authorization);
    assert_eq!(
        h.send("STAT\r\n"),
        "-ERR Command not valid in this state\r\n"
    );
}

#[test]
fn failed_logins_are_delayed_then_the_session_ends() {
    let mut config = config();
    config.limits.max_auth_failures = 2;
    let mut h = Harness::new(config);
    let out = h.send("USER mrose\r\nPASS wrong\r\nUSER mrose\r\n");
    // The -ERR is held back, and nothing after PASS is read meanwhile.
    assert_eq!(out, "+OK Send your password\r\n");
    let deadline = h.server.poll_timeout().unwrap();
    assert_eq!(deadline, h.now + Duration::from_secs(2));
    assert_eq!(h.server.handle_input(h.now, b"NOOP\r\n").unwrap(), 0);
    h.server.handle_timeout(deadline - Duration::from_millis(1));
    assert_eq!(h.output(), "");
    h.now = deadline;
    h.server.handle_timeout(deadline);
    assert_eq!(
        h.output(),
        "-ERR [AUTH] Authentication failed\r\n+OK Send your password\r\n"
    );
    h.send("PASS wrong again\r\n");
    let deadline = h.server.poll_timeout().unwrap();
    h.server.handle_timeout(deadline);
    assert_eq!(
        h.output(),
        "-ERR [AUTH] Authentication failed\r\n-ERR Too many authentication failures\r\n"
    );
    while let Some(e) = h.server.poll_event() {
        h.events.push(e);
    }
    assert_eq!(h.closed_reason(), Some(CloseReason::TooManyAuthFailures));
}

#[test]
fn autologout_closes_silently_after_ten_minutes() {
    let mut config = config();
    config.limits.autologout = Duration::from_secs(30); // raised to the RFC minimum
    let mut h = Harness::new(config);
    h.login();
    h.send("DELE 1\r\n");
    let deadline = h.server.poll_timeout().unwrap();
    assert_eq!(deadline, h.now + Duration::from_secs(600));
    h.server.handle_timeout(deadline);
    assert_eq!(h.output(), "");
    let event = h.server.poll_event().unwrap();
    assert_eq!(
        event,
        Event::Closed {
            reason: CloseReason::Timeout
        }
    );
    assert_eq!(event.control(), Some(Control::Close));
    assert!(h.server.poll_event().is_none());
}

#[test]
fn bad_commands_get_err_then_the_session_closes() {
    let mut config = config();
    config.limits.max_errors = 3;
    let mut h = Harness::new(config);
    assert_eq!(h.send("XYZZY\r\n"), "-ERR Unknown command\r\n");
    assert_eq!(h.send("RETR\r\n"), "-ERR Syntax error in arguments\r\n");
    assert_eq!(h.send("PASS x\r\n"), "-ERR No username given\r\n");
    assert!(!h.server.is_closed());
    assert_eq!(
        h.send("STAT\r\n"),
        "-ERR Command not valid in this state\r\n-ERR Too many bad commands, closing connection\r\n"
    );
    assert_eq!(h.closed_reason(), Some(CloseReason::TooManyErrors));
    assert_eq!(
        h.server.handle_input(h.now, b"NOOP\r\n"),
        Err(mailwire_pop3::Error::Protocol(
            mailwire_core::Error::TooManyErrors { limit: 3 }
        ))
    );
}

#[test]
fn long_lines_and_bare_line_feeds_are_rejected_without_closing() {
    let mut h = Harness::new(config());
    let long = format!("USER {}\r\n", "a".repeat(300));
    assert_eq!(h.send(&long), "-ERR Line too long\r\n");
    assert_eq!(
        h.send("NOOP\nCAPA\r\n").lines().next(),
        Some("-ERR Bare CR or LF in command line")
    );
    let long_name = format!("USER {}\r\n", "a".repeat(41));
    assert_eq!(h.send(&long_name), "-ERR Argument too long\r\n");
    h.login();
}

#[test]
fn pipelined_commands_are_answered_in_order() {
    let mut h = Harness::new(config());
    let out = h.send("USER mrose\r\nPASS tanstaaf\r\nSTAT\r\nRETR 2\r\nDELE 2\r\nQUIT\r\n");
    assert_eq!(
        out,
        "+OK Send your password\r\n\
         +OK maildrop has 2 messages (57 octets)\r\n\
         +OK 2 57\r\n\
         +OK 22 octets\r\nSubject: two\r\n\r\nbody\r\n.\r\n\
         +OK message 2 deleted\r\n\
         +OK POP3 server signing off (1 messages left)\r\n"
    );
}

#[test]
fn apop_uses_the_greeting_timestamp() {
    let mut config = config();
    config.apop_timestamp = Some("<1896.697170952@dbc.mtview.ca.us>".into());
    let now = Instant::now();
    let mut server = Server::new(config.clone(), now);
    let mut greeting = Vec::new();
    while server.poll_transmit(&mut greeting).is_some() {}
    assert_eq!(
        greeting,
        b"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n"
    );
    let mut h = Harness::new(config);
    let digest = ApopDigest::compute("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf");
    assert_eq!(digest.as_str(), "c4c9334bac560ecc979e58001b3e22fb");
    let out = h.send(&format!("APOP mrose {}\r\n", digest.as_str()));
    assert_eq!(out, "+OK maildrop has 2 messages (57 octets)\r\n");
    assert!(matches!(&h.events[0], Event::ApopRequested { user, .. } if user == "mrose"));
}

#[test]
fn apop_without_timestamp_is_refused() {
    let mut h = Harness::new(config());
    assert_eq!(
        h.send("APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"),
        "-ERR APOP not supported\r\n"
    );
}

#[test]
fn stls_discards_injected_plaintext() {
    let mut config = ServerConfig::new();
    config.stls = true;
    let mut h = Harness::new(config);
    let caps = h.send("CAPA\r\n");
    assert!(caps.contains("\r\nSTLS\r\n"), "{caps}");
    assert!(!caps.contains("\r\nUSER\r\n"), "{caps}");
    assert_eq!(
        h.send("USER mrose\r\n"),
        "-ERR [AUTH] Plaintext authentication disallowed without TLS\r\n"
    );
    // The attacker appends commands after STLS in the same packet.
    let out = h.send("STLS\r\nUSER mrose\r\nPASS tanstaaf\r\n");
    assert_eq!(out, "+OK Begin TLS negotiation\r\n");
    let tls = h
        .events
        .iter()
        .find(|e| matches!(e, Event::TlsRequested))
        .unwrap();
    assert_eq!(tls.control(), Some(Control::StartTls));
    // More plaintext before the handshake completes is discarded too.
    assert_eq!(h.server.handle_input(h.now, b"PASS x\r\n").unwrap(), 8);
    assert_eq!(h.output(), "");
    h.server.handle_tls_established(h.now);
    assert!(h.server.is_tls());
    // USER was never seen: PASS has no user.
    assert_eq!(h.send("PASS tanstaaf\r\n"), "-ERR No username given\r\n");
    let caps = h.send("CAPA\r\n");
    assert!(!caps.contains("STLS"), "{caps}");
    assert!(caps.contains("\r\nUSER\r\n"), "{caps}");
    h.login();
    assert_eq!(
        h.send("STLS\r\n"),
        "-ERR Command not valid in this state\r\n"
    );
}

#[test]
fn sasl_plain_with_initial_response() {
    let mut config = config();
    config.sasl_mechanisms = vec![Mechanism::PLAIN, Mechanism::CRAM_MD5];
    let mut h = Harness::new(config);
    let caps = h.send("CAPA\r\n");
    assert!(caps.contains("\r\nSASL CRAM-MD5 PLAIN\r\n"), "{caps}");
    // "\0mrose\0tanstaaf"
    let out = h.send("AUTH PLAIN AG1yb3NlAHRhbnN0YWFm\r\n");
    assert_eq!(out, "+OK maildrop has 2 messages (57 octets)\r\n");
    assert_eq!(h.server.authenticated_as(), Some("mrose"));
}

#[test]
fn sasl_cancel_and_unknown_mechanism() {
    let mut config = config();
    config.sasl_mechanisms = vec![Mechanism::PLAIN];
    let mut h = Harness::new(config);
    assert_eq!(h.send("AUTH PLAIN\r\n"), "+ \r\n");
    assert_eq!(h.send("*\r\n"), "-ERR Authentication cancelled\r\n");
    assert_eq!(
        h.send("AUTH GSSAPI\r\n"),
        "-ERR Unsupported authentication mechanism\r\n"
    );
    assert_eq!(h.send("AUTH PLAIN\r\n"), "+ \r\n");
    h.server.handle_input(h.now, b"not base64!\r\n").unwrap();
    let deadline = h.server.poll_timeout().unwrap();
    h.server.handle_timeout(deadline);
    assert_eq!(h.output(), "-ERR [AUTH] Invalid base64 data\r\n");
}

#[test]
fn message_answers_are_checked() {
    let mut h = Harness::new(config());
    assert!(h.server.accept_login().is_err());
    assert!(h.server.send_message_chunk(b"x").is_err());
    assert!(h.server.finish_message().is_err());
    h.login();
    h.server.handle_input(h.now, b"RETR 1\r\n").unwrap();
    assert!(matches!(
        h.server.poll_event(),
        Some(Event::MessageRequested {
            message: 1,
            top_lines: None
        })
    ));
    h.server
        .message_unavailable(Response::err("message is being scanned").unwrap())
        .unwrap();
    assert_eq!(h.output(), "-ERR message is being scanned\r\n");
    h.server.handle_input(h.now, b"TOP 2 5\r\n").unwrap();
    h.server.poll_event().unwrap();
    h.server
        .send_message_chunk(b"Subject: x\n\nline\n")
        .unwrap();
    assert!(
        h.server
            .message_unavailable(Response::err("too late").unwrap())
            .is_err()
    );
    h.server.finish_message().unwrap();
    assert_eq!(
        h.output(),
        "+OK Top of message follows\r\nSubject: x\r\n\r\nline\r\n.\r\n"
    );
}

#[test]
fn lang_and_utf8() {
    let mut h = Harness::new(config());
    assert_eq!(
        h.send("LANG\r\n"),
        "+OK Language listing follows\r\nen English\r\n.\r\n"
    );
    assert_eq!(h.send("LANG *\r\n"), "+OK en Language changed\r\n");
    assert_eq!(h.send("LANG sv\r\n"), "-ERR Unknown language\r\n");
    assert_eq!(h.send("UTF8\r\n"), "+OK UTF8 enabled\r\n");
    assert!(h.server.is_utf8());
    h.login();
    assert_eq!(
        h.send("UTF8\r\n"),
        "-ERR Command not valid in this state\r\n"
    );
}

#[test]
fn shutdown_ends_the_session() {
    let mut h = Harness::new(config());
    h.login();
    h.server.shutdown();
    assert_eq!(h.output(), "-ERR [SYS/TEMP] Server shutting down\r\n");
    assert!(h.server.is_closed());
    assert_eq!(h.server.poll_timeout(), None);
}

#[test]
fn pipelined_session_split_at_every_byte() {
    let input = "USER mrose\r\nPASS tanstaaf\r\nLIST\r\nRETR 1\r\nTOP 2 0\r\nDELE 1\r\nQUIT\r\n";
    let mut whole = Harness::new(config());
    let expected = whole.send(input);
    for split in 1..input.len() {
        let mut h = Harness::new(config());
        let mut out = String::new();
        for piece in input.as_bytes().chunks(split) {
            out.push_str(&h.send(std::str::from_utf8(piece).unwrap()));
        }
        assert_eq!(out, expected, "split {split}");
        assert!(
            h.events
                .contains(&Event::CommitDeletions { messages: vec![1] })
        );
    }
}
