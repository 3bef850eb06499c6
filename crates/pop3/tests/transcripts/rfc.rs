//! The RFC examples: through the codec, then through both machines.

use std::cell::RefCell;
use std::rc::Rc;

use mailwire_core::Secret;
use mailwire_core::machine::Machine;
use mailwire_pop3::client::{self, Client, ClientConfig};
use mailwire_pop3::parse::{
    parse_capability, parse_command_line, parse_drop_listing, parse_greeting, parse_response_line,
    parse_scan_listing, parse_server_line,
};
use mailwire_pop3::server::{self, Maildrop, MessageInfo, Server, ServerConfig};
use mailwire_pop3::types::command::{ApopDigest, Argument};
use mailwire_pop3::{
    Capability, Command, DropListing, ResponseCode, ScanListing, ServerLine, Status, Text, UniqueId,
};
use mailwire_sasl::{Credentials, Mechanism, ScramHash, ScramKeys, StoredCredentials, Verdict};

use crate::pair::{Side, new_pair};

/// A message of exactly `size` octets.
pub(crate) fn message(n: u32, size: usize) -> Vec<u8> {
    let mut m = format!("Subject: message {n}\r\n\r\n").into_bytes();
    while m.len() + 7 <= size {
        m.extend_from_slice(b".dots\r\n");
    }
    while m.len() + 3 <= size {
        m.extend_from_slice(b"x\r\n");
    }
    while m.len() < size {
        m.insert(m.len() - 2, b'y');
    }
    assert_eq!(m.len(), size);
    m
}

/// A server application over a fixed maildrop that records deletions.
pub(crate) fn maildrop_app(
    messages: Vec<Vec<u8>>,
    secret: &'static str,
    deleted: Rc<RefCell<Vec<u32>>>,
) -> impl FnMut(&mut Server, &server::Event) {
    move |server, event| match event {
        server::Event::ApopRequested {
            digest, timestamp, ..
        } => {
            if digest.verify(timestamp, secret) {
                server.accept_login().unwrap();
            } else {
                server.reject_login().unwrap();
            }
        }
        server::Event::AuthenticateUser { password, .. } => {
            if password.expose_secret() == secret {
                server.accept_login().unwrap();
            } else {
                server.reject_login().unwrap();
            }
        }
        server::Event::Sasl(mailwire_sasl::Event::PasswordReceived { password, .. }) => {
            let verdict = if password.expose_secret() == secret {
                Verdict::Accept
            } else {
                Verdict::Reject
            };
            server.sasl_verdict(verdict).unwrap();
        }
        server::Event::Sasl(mailwire_sasl::Event::CredentialsNeeded { mechanism, .. }) => {
            let stored = if *mechanism == Mechanism::SCRAM_SHA_256 {
                StoredCredentials::Scram(
                    ScramKeys::generate(ScramHash::Sha256, secret, 4096).unwrap(),
                )
            } else {
                StoredCredentials::Password(Secret::new(secret.to_owned()))
            };
            server.sasl_credentials(Some(stored)).unwrap();
        }
        server::Event::MaildropRequested { .. } => {
            let listing = messages
                .iter()
                .enumerate()
                .map(|(i, m)| MessageInfo {
                    size: m.len() as u64,
                    uid: UniqueId::new(format!("uid{}", i + 1)).unwrap(),
                })
                .collect();
            server.open_maildrop(Maildrop::new(listing)).unwrap();
        }
        server::Event::MessageRequested { message, .. } => {
            let body = &messages[*message as usize - 1];
            for chunk in body.chunks(7) {
                server.send_message_chunk(chunk).unwrap();
            }
            server.finish_message().unwrap();
        }
        server::Event::CommitDeletions { messages } => {
            deleted.borrow_mut().extend(messages);
            server.deletions_committed().unwrap();
        }
        _ => {}
    }
}

fn bodies(events: &[client::Event]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut current = None::<Vec<u8>>;
    for e in events {
        match e {
            client::Event::Reply { command, response }
                if (*command == "RETR" || *command == "TOP") && response.is_ok() =>
            {
                current = Some(Vec::new());
            }
            client::Event::MultilineChunk { data } => current.as_mut().unwrap().extend(data),
            client::Event::MultilineEnd => {
                if let Some(body) = current.take() {
                    out.push(body);
                }
            }
            _ => {}
        }
    }
    out
}

const RFC1939_CLIENT: &[&str] = &[
    "APOP mrose c4c9334bac560ecc979e58001b3e22fb",
    "STAT",
    "LIST",
    "RETR 1",
    "DELE 1",
    "RETR 2",
    "DELE 2",
    "QUIT",
];

/// RFC 1939 §10, through the codec.
#[test]
fn rfc1939_section10_codec() {
    let greeting =
        parse_greeting(b"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>").unwrap();
    let timestamp = greeting.timestamp.unwrap();
    assert_eq!(timestamp, "<1896.697170952@dbc.mtview.ca.us>");
    let commands: Vec<Command> = RFC1939_CLIENT
        .iter()
        .map(|l| parse_command_line(l.as_bytes()).unwrap())
        .collect();
    assert_eq!(
        commands[0],
        Command::Apop {
            name: Argument::new("mrose").unwrap(),
            digest: ApopDigest::compute(&timestamp, "tanstaaf"),
        }
    );
    assert_eq!(commands[2], Command::List { message: None });
    assert!(commands[2].is_multiline() && commands[3].is_multiline());
    assert!(!commands[4].is_multiline());
    for (command, line) in commands.iter().zip(RFC1939_CLIENT) {
        assert_eq!(command.to_bytes(), format!("{line}\r\n").into_bytes());
    }
    let ok = parse_response_line(b"+OK mrose's maildrop has 2 messages (320 octets)").unwrap();
    assert!(ok.is_ok());
    let stat = parse_response_line(b"+OK 2 320").unwrap();
    assert_eq!(
        parse_drop_listing(stat.text.as_str().as_bytes()).unwrap(),
        DropListing {
            messages: 2,
            size: 320
        }
    );
    assert_eq!(
        parse_scan_listing(b"1 120").unwrap(),
        ScanListing {
            message: 1,
            size: 120
        }
    );
    let bye = parse_response_line(b"+OK dewey POP3 server signing off (maildrop empty)").unwrap();
    assert_eq!(
        bye.text.as_str(),
        "dewey POP3 server signing off (maildrop empty)"
    );
}

/// RFC 1939 §10, client and server machines.
#[test]
fn rfc1939_section10_machines() {
    let messages = vec![message(1, 120), message(2, 200)];
    let deleted = Rc::new(RefCell::new(Vec::new()));
    let mut server_config = ServerConfig::new();
    server_config.apop_timestamp = Some("<1896.697170952@dbc.mtview.ca.us>".into());
    let client_app = |client: &mut Client, event: &client::Event| {
        if let client::Event::Greeting { .. } = event {
            client.apop("mrose", "tanstaaf").unwrap();
            client.stat().unwrap();
            client.list(None).unwrap();
            client.retr(1).unwrap();
            client.dele(1).unwrap();
            client.retr(2).unwrap();
            client.dele(2).unwrap();
            client.quit().unwrap();
        }
    };
    let mut pair = new_pair(
        ClientConfig::new(),
        server_config,
        client_app,
        maildrop_app(messages.clone(), "tanstaaf", deleted.clone()),
    );
    pair.drive();
    assert_eq!(pair.lines(Side::Client), RFC1939_CLIENT);
    let server_lines = pair.lines(Side::Server);
    assert_eq!(
        server_lines[0],
        "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>"
    );
    assert_eq!(server_lines[1], "+OK maildrop has 2 messages (320 octets)");
    assert_eq!(server_lines[2], "+OK 2 320");
    assert_eq!(
        &server_lines[3..7],
        ["+OK 2 messages (320 octets)", "1 120", "2 200", "."]
    );
    assert_eq!(server_lines[7], "+OK 120 octets");
    assert!(server_lines.contains(&"+OK message 1 deleted".to_owned()));
    assert_eq!(
        server_lines.last().unwrap(),
        "+OK POP3 server signing off (0 messages left)"
    );
    // The APOP line is a secret transmit.
    assert_eq!(
        pair.secret_lines(),
        ["APOP mrose c4c9334bac560ecc979e58001b3e22fb"]
    );
    assert_eq!(*deleted.borrow(), [1, 2]);
    assert_eq!(bodies(&pair.client_events), messages);
    assert!(
        pair.client_events
            .contains(&client::Event::Stat(DropListing {
                messages: 2,
                size: 320
            }))
    );
    assert!(
        pair.client_events
            .contains(&client::Event::ScanListing(ScanListing {
                message: 2,
                size: 200
            }))
    );
    assert!(
        pair.client_events
            .contains(&client::Event::Authenticated { mechanism: None })
    );
    assert!(pair.client.is_closed() && pair.server.is_closed());
    assert!(pair.client_events.contains(&client::Event::Closed {
        reason: client::CloseReason::Quit
    }));
}

const RFC2449_CAPA: &[&str] = &[
    "TOP",
    "USER",
    "SASL CRAM-MD5 KERBEROS_V4",
    "RESP-CODES",
    "LOGIN-DELAY 900",
    "PIPELINING",
    "EXPIRE 60",
    "UIDL",
    "IMPLEMENTATION Shlemazle-Plotz-v302",
];

/// RFC 2449 §5's CAPA example and §8's response codes, through the codec.
#[test]
fn rfc2449_codec() {
    let caps: Vec<Capability> = RFC2449_CAPA
        .iter()
        .map(|l| parse_capability(l.as_bytes()).unwrap())
        .collect();
    assert_eq!(
        caps[2],
        Capability::Sasl(vec![
            Mechanism::CRAM_MD5,
            Mechanism::new("KERBEROS_V4").unwrap()
        ])
    );
    assert_eq!(
        caps[4],
        Capability::LoginDelay {
            seconds: 900,
            per_user: false
        }
    );
    assert_eq!(
        caps[6],
        Capability::Expire {
            days: Some(60),
            per_user: false
        }
    );
    assert_eq!(
        caps[8],
        Capability::Implementation(Text::new("Shlemazle-Plotz-v302").unwrap())
    );
    for (cap, line) in caps.iter().zip(RFC2449_CAPA) {
        assert_eq!(cap.to_string(), *line);
    }
    let in_use =
        parse_response_line(b"-ERR [IN-USE] Do you have another POP session running?").unwrap();
    assert_eq!(in_use.code, Some(ResponseCode::IN_USE));
    let delay = parse_response_line(b"-ERR [LOGIN-DELAY] wait longer").unwrap();
    assert_eq!(delay.code, Some(ResponseCode::LOGIN_DELAY));
    assert_eq!(delay.status, Status::Err);
}

/// RFC 2449: CAPA, pipelining once announced, and `[IN-USE]` through the
/// machines.
#[test]
fn rfc2449_capa_pipelining_and_in_use() {
    let mut server_config = ServerConfig::new();
    server_config.plaintext_requires_tls = false;
    server_config.implementation = Some(Text::new("Shlemazle-Plotz-v302").unwrap());
    server_config.extra_capabilities = vec![
        Capability::LoginDelay {
            seconds: 900,
            per_user: false,
        },
        Capability::Expire {
            days: Some(60),
            per_user: false,
        },
    ];
    let mut client_config = ClientConfig::new();
    client_config.allow_plaintext_without_tls = true;
    let client_app = |client: &mut Client, event: &client::Event| match event {
        client::Event::Greeting { .. } => client.capa().unwrap(),
        client::Event::Capabilities(caps) => {
            assert!(caps.has_pipelining());
            client.login("mrose", "tanstaaf").unwrap();
            client.stat().unwrap();
            client.quit().unwrap();
        }
        _ => {}
    };
    let server_app = |server: &mut Server, event: &server::Event| match event {
        server::Event::AuthenticateUser { .. } => server.accept_login().unwrap(),
        server::Event::MaildropRequested { .. } => server.maildrop_in_use().unwrap(),
        _ => {}
    };
    let mut pair = new_pair(client_config, server_config, client_app, server_app);
    pair.drive();
    let caps = pair.client.capabilities().unwrap().clone();
    assert!(caps.contains("LOGIN-DELAY") && caps.contains("EXPIRE"));
    assert!(caps.contains("IMPLEMENTATION"));
    // USER, PASS, STAT and QUIT went out in one transmit: pipelined.
    let pipelined = pair
        .wire
        .iter()
        .filter(|s| s.side == Side::Client)
        .filter(|s| s.bytes.starts_with(b"USER"))
        .count();
    assert_eq!(pipelined, 1);
    assert_eq!(
        pair.lines(Side::Client),
        ["CAPA", "USER mrose", "PASS tanstaaf", "STAT", "QUIT"]
    );
    let replies: Vec<_> = pair
        .client_events
        .iter()
        .filter_map(|e| match e {
            client::Event::Reply { command, response } => Some((*command, response.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(replies[2].0, "PASS");
    assert_eq!(replies[2].1.code, Some(ResponseCode::IN_USE));
    assert_eq!(replies[3].0, "STAT");
    assert_eq!(replies[3].1.status, Status::Err);
    assert_eq!(replies[4].0, "QUIT");
    assert!(replies[4].1.is_ok());
}

/// RFC 5034 §6: CAPA, STLS, CAPA again, then AUTH PLAIN with an initial
/// response.
#[test]
fn rfc5034_stls_then_auth_plain() {
    let mut server_config = ServerConfig::new();
    server_config.stls = true;
    server_config.sasl_mechanisms = vec![Mechanism::PLAIN];
    server_config.user_pass = false;
    let client_app = |client: &mut Client, event: &client::Event| match event {
        client::Event::Greeting { .. } => client.capa().unwrap(),
        client::Event::Capabilities(caps) if !client.is_tls() => {
            // Without TLS the server hides PLAIN, and the client will not
            // send it either.
            assert!(caps.sasl_mechanisms().is_empty());
            assert!(caps.has_stls());
            client.stls().unwrap();
            client.capa().unwrap();
        }
        client::Event::Capabilities(caps) => {
            assert_eq!(caps.sasl_mechanisms(), [Mechanism::PLAIN]);
            let credentials = Credentials::password("test", "test").with_authzid("test");
            client.authenticate(&credentials).unwrap();
            client.quit().unwrap();
        }
        _ => {}
    };
    let mut pair = new_pair(
        ClientConfig::new(),
        server_config,
        client_app,
        maildrop_app(vec![], "test", Rc::default()),
    );
    pair.drive();
    assert_eq!(
        pair.lines(Side::Client),
        [
            "CAPA",
            "STLS",
            "CAPA",
            "AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=",
            "QUIT"
        ]
    );
    assert_eq!(pair.secret_lines(), ["AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q="]);
    assert!(
        pair.server_events
            .contains(&server::Event::MaildropRequested {
                user: "test".into(),
                authzid: Some("test".into())
            })
    );
    assert!(pair.client_events.contains(&client::Event::Authenticated {
        mechanism: Some(Mechanism::PLAIN)
    }));
    // The codec reads the same continuation lines as RFC 5034 §6.
    assert_eq!(
        parse_server_line(b"+ ").unwrap(),
        ServerLine::Continuation(Vec::new())
    );
    let Command::Auth {
        initial_response: Some(ir),
        ..
    } = parse_command_line(b"AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=").unwrap()
    else {
        panic!()
    };
    assert_eq!(ir.expose_secret(), b"test\0test\0test");
}

/// SCRAM-SHA-256 through both machines: the server's final message is one
/// more continuation answered by an empty line, and the client verifies it
/// before reporting success.
#[test]
fn scram_sha_256_between_machines() {
    let mut server_config = ServerConfig::new();
    server_config.sasl_mechanisms = vec![Mechanism::SCRAM_SHA_256, Mechanism::PLAIN];
    let client_app = |client: &mut Client, event: &client::Event| match event {
        client::Event::Greeting { .. } => client.capa().unwrap(),
        client::Event::Capabilities(_) => {
            client
                .authenticate(&Credentials::password("user", "pencil"))
                .unwrap();
            client.stat().unwrap();
        }
        _ => {}
    };
    let mut pair = new_pair(
        ClientConfig::new(),
        server_config,
        client_app,
        maildrop_app(vec![message(1, 50)], "pencil", Rc::default()),
    );
    pair.drive();
    let client_lines = pair.lines(Side::Client);
    assert!(
        client_lines[1].starts_with("AUTH SCRAM-SHA-256 "),
        "{client_lines:?}"
    );
    assert!(pair.client_events.contains(&client::Event::Authenticated {
        mechanism: Some(Mechanism::SCRAM_SHA_256)
    }));
    assert!(
        pair.client_events
            .contains(&client::Event::Stat(DropListing {
                messages: 1,
                size: 50
            }))
    );
    // Secret transmits: the AUTH line, the client-final message and the
    // empty answer to the server-final one.
    assert_eq!(pair.secret_lines().len(), 3);
}

/// CRAM-MD5: the server speaks first; the client answers the challenge.
#[test]
fn cram_md5_between_machines() {
    let mut server_config = ServerConfig::new();
    server_config.sasl_mechanisms = vec![Mechanism::CRAM_MD5];
    let client_app = |client: &mut Client, event: &client::Event| match event {
        client::Event::Greeting { .. } => client.capa().unwrap(),
        client::Event::Capabilities(_) => {
            client
                .authenticate(&Credentials::password("tim", "tanstaaftanstaaf"))
                .unwrap();
        }
        _ => {}
    };
    let mut pair = new_pair(
        ClientConfig::new(),
        server_config,
        client_app,
        maildrop_app(vec![], "tanstaaftanstaaf", Rc::default()),
    );
    pair.drive();
    assert!(pair.client_events.contains(&client::Event::Authenticated {
        mechanism: Some(Mechanism::CRAM_MD5)
    }));
    assert_eq!(pair.lines(Side::Client)[1], "AUTH CRAM-MD5");
}

/// A wrong password through SASL: the server holds back `-ERR [AUTH]`,
/// and the pair follows the delay on virtual time.
#[test]
fn failed_sasl_login_is_delayed() {
    let mut server_config = ServerConfig::new();
    server_config.sasl_mechanisms = vec![Mechanism::SCRAM_SHA_256];
    let client_app = |client: &mut Client, event: &client::Event| match event {
        client::Event::Greeting { .. } => client.capa().unwrap(),
        client::Event::Capabilities(_) => client
            .authenticate(&Credentials::password("user", "wrong"))
            .unwrap(),
        _ => {}
    };
    let mut pair = new_pair(
        ClientConfig::new(),
        server_config,
        client_app,
        maildrop_app(vec![], "pencil", Rc::default()),
    );
    let start = pair.now;
    pair.drive();
    let reply = pair
        .client_events
        .iter()
        .find_map(|e| match e {
            client::Event::Reply {
                command: "AUTH",
                response,
            } => Some(response.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(reply.code, Some(ResponseCode::AUTH));
    assert!(pair.now >= start + std::time::Duration::from_secs(2));
}
