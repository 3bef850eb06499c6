//! The RFC examples, run through the codec, the server machine, and client
//! and server machines talking to each other.

use mailwire_core::machine::Machine as _;
use mailwire_smtp::client::{self, ClientConfig, Envelope};
use mailwire_smtp::parse::{Status, parse_command_line, parse_reply};
use mailwire_smtp::server::{self, ServerConfig, ServerMode};
use mailwire_smtp::{
    BodyType, Domain, EnhancedCode, ForwardPath, Host, Reply, ReplyCode, ReversePath,
};

use crate::pair::{Side, new_pair};

/// A transcript: `C:` command lines, `B:` body lines as the client sends
/// them, `S:` server lines. The RFCs print the body line `...etc. etc.
/// etc.` unstuffed; on the wire it carries one more dot (RFC 5321 §4.5.2).
struct Transcript {
    lines: Vec<(char, &'static str)>,
}

impl Transcript {
    fn new(text: &'static str) -> Self {
        let lines = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| (l.chars().next().unwrap(), &l[3..]))
            .collect();
        Self { lines }
    }

    fn client_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (side, line) in &self.lines {
            if *side != 'S' {
                out.extend_from_slice(line.as_bytes());
                out.extend_from_slice(b"\r\n");
            }
        }
        out
    }

    fn client_lines(&self) -> Vec<String> {
        self.lines
            .iter()
            .filter(|(s, _)| *s != 'S')
            .map(|(_, l)| (*l).to_owned())
            .collect()
    }

    fn replies(&self) -> Vec<Vec<u8>> {
        let mut replies = Vec::new();
        let mut current = Vec::new();
        for (side, line) in &self.lines {
            if *side == 'S' {
                current.extend_from_slice(line.as_bytes());
                current.extend_from_slice(b"\r\n");
                if line.as_bytes().get(3) != Some(&b'-') {
                    replies.push(std::mem::take(&mut current));
                }
            }
        }
        replies
    }

    fn codes(&self) -> Vec<u16> {
        self.replies()
            .iter()
            .map(|r| std::str::from_utf8(&r[..3]).unwrap().parse().unwrap())
            .collect()
    }

    /// Every command and reply parses and encodes back to the same bytes.
    fn check_codec(&self) {
        for (side, line) in &self.lines {
            if *side == 'C' {
                let command =
                    parse_command_line(line.as_bytes()).unwrap_or_else(|e| panic!("{line}: {e}"));
                assert_eq!(command.to_bytes(), format!("{line}\r\n").into_bytes());
            }
        }
        for wire in self.replies() {
            let Status::Complete((reply, used)) = parse_reply(&wire).unwrap() else {
                panic!()
            };
            assert_eq!(used, wire.len());
            assert_eq!(reply.to_bytes(), wire);
        }
    }
}

fn answer_server(
    rejected: &'static [&'static str],
) -> impl FnMut(&mut server::Server, &server::Event) {
    move |server, event| match event {
        server::Event::MailRequested { .. } => server.accept_sender().unwrap(),
        server::Event::RecipientRequested { forward_path, .. } => {
            if rejected
                .iter()
                .any(|r| forward_path.to_string().contains(r))
            {
                server
                    .reject_recipient(
                        Reply::new(ReplyCode::MAILBOX_UNAVAILABLE, "No such user here").unwrap(),
                    )
                    .unwrap();
            } else {
                server.accept_recipient().unwrap();
            }
        }
        server::Event::MessageReceived { recipients, .. } => {
            if server.config().mode == ServerMode::Lmtp && *recipients == 2 {
                let over = Reply::new(
                    ReplyCode::INSUFFICIENT_STORAGE,
                    "<green@foo.edu> is temporarily over quota",
                )
                .unwrap()
                .with_enhanced(EnhancedCode::new(4, 2, 2).unwrap());
                server
                    .answer_recipients(vec![Reply::new(ReplyCode::OK, "OK").unwrap(), over])
                    .unwrap();
            } else {
                server.accept_message().unwrap();
            }
        }
        _ => {}
    }
}

/// Feeds the client side of the transcript to a server machine and checks
/// its reply codes.
fn check_server(
    t: &Transcript,
    config: ServerConfig,
    rejected: &'static [&'static str],
) -> Vec<u8> {
    let mut pair_server = server::Server::new(config, std::time::Instant::now());
    let mut app = answer_server(rejected);
    let input = t.client_bytes();
    let mut out = Vec::new();
    let mut body = Vec::new();
    let mut fed = 0;
    let now = std::time::Instant::now();
    for _ in 0..10_000 {
        while mailwire_core::machine::Machine::poll_transmit(&mut pair_server, &mut out).is_some() {
        }
        let mut progress = false;
        while let Some(event) = mailwire_core::machine::Machine::poll_event(&mut pair_server) {
            progress = true;
            if let server::Event::BodyChunk { data } = &event {
                body.extend_from_slice(data);
            }
            app(&mut pair_server, &event);
        }
        if fed < input.len() {
            let n =
                mailwire_core::machine::Machine::handle_input(&mut pair_server, now, &input[fed..])
                    .unwrap();
            fed += n;
            progress |= n > 0;
        }
        if !progress && fed == input.len() {
            break;
        }
    }
    while mailwire_core::machine::Machine::poll_transmit(&mut pair_server, &mut out).is_some() {}
    let mut codes = Vec::new();
    let mut rest = &out[..];
    while let Ok(Status::Complete((reply, used))) = parse_reply(rest) {
        codes.push(reply.code().get());
        rest = &rest[used..];
    }
    assert!(rest.is_empty());
    assert_eq!(
        codes,
        t.codes(),
        "server replies:\n{}",
        String::from_utf8_lossy(&out)
    );
    body
}

fn envelope(from: &str, to: &[&str]) -> Envelope<'static> {
    Envelope::new(
        ReversePath::try_from(from).unwrap().into_static(),
        to.iter()
            .map(|t| ForwardPath::try_from(*t).unwrap().into_static())
            .collect(),
    )
}

/// A client application that sends one message, then quits.
fn send_once(
    envelope: Envelope<'static>,
    body: Vec<Vec<u8>>,
    last_in_command: bool,
) -> impl FnMut(&mut client::Client, &client::Event) {
    let mut envelope = Some(envelope);
    move |client, event| match event {
        client::Event::Ready { .. } => {
            if let Some(e) = envelope.take() {
                client.send_mail(e).unwrap();
            }
        }
        client::Event::BodyRequested => {
            let (last, init) = body.split_last().unwrap();
            for chunk in init {
                client.send_body(chunk).unwrap();
            }
            if last_in_command {
                client.send_last_body(last).unwrap();
            } else {
                client.send_body(last).unwrap();
                client.finish_body().unwrap();
            }
        }
        client::Event::TransactionEnded { .. } => client.quit(),
        _ => {}
    }
}

fn server_config(name: &str) -> ServerConfig {
    let mut config = ServerConfig::new(Domain::try_from(name).unwrap().into_static());
    config.pipelining = false;
    config.chunking = false;
    config.smtputf8 = false;
    config
}

fn client_config(name: &str) -> ClientConfig {
    ClientConfig::new(Host::try_from(name).unwrap().into_static())
}

const RFC5321_D1: &str = "
    S: 220 foo.com Simple Mail Transfer Service Ready
    C: EHLO bar.com
    S: 250-foo.com greets bar.com
    S: 250-8BITMIME
    S: 250-SIZE
    S: 250-DSN
    S: 250 HELP
    C: MAIL FROM:<Smith@bar.com>
    S: 250 OK
    C: RCPT TO:<Jones@foo.com>
    S: 250 OK
    C: RCPT TO:<Green@foo.com>
    S: 550 No such user here
    C: RCPT TO:<Brown@foo.com>
    S: 250 OK
    C: DATA
    S: 354 Start mail input; end with <CRLF>.<CRLF>
    B: Blah blah blah...
    B: ....etc. etc. etc.
    B: .
    S: 250 OK
    C: QUIT
    S: 221 foo.com Service closing transmission channel
";

#[test]
fn rfc5321_d1_typical_transaction() {
    let t = Transcript::new(RFC5321_D1);
    t.check_codec();
    let body = check_server(&t, server_config("foo.com"), &["Green"]);
    assert_eq!(body, b"Blah blah blah...\r\n...etc. etc. etc.\r\n");
    let mut pair = new_pair(
        client_config("bar.com"),
        server_config("foo.com"),
        send_once(
            envelope(
                "<Smith@bar.com>",
                &["<Jones@foo.com>", "<Green@foo.com>", "<Brown@foo.com>"],
            ),
            vec![b"Blah blah blah...\r\n...etc. etc. etc.\r\n".to_vec()],
            false,
        ),
        answer_server(&["Green"]),
    );
    pair.drive();
    assert_eq!(pair.lines(Side::Client), t.client_lines());
    assert!(pair.client.is_closed() && pair.server.is_closed());
    let replied: Vec<(usize, u16)> = pair
        .client_events
        .iter()
        .filter_map(|e| match e {
            client::Event::RecipientReplied { index, reply } => Some((*index, reply.code().get())),
            _ => None,
        })
        .collect();
    assert_eq!(replied, [(0, 250), (1, 550), (2, 250)]);
    assert!(
        pair.client_events
            .contains(&client::Event::TransactionEnded {
                delivered: vec![0, 2]
            })
    );
}

const RFC5321_D2: &str = "
    S: 220 foo.com Simple Mail Transfer Service Ready
    C: EHLO bar.com
    S: 250-foo.com greets bar.com
    S: 250-8BITMIME
    S: 250-SIZE
    S: 250-DSN
    S: 250 HELP
    C: MAIL FROM:<Smith@bar.com>
    S: 250 OK
    C: RCPT TO:<Jones@foo.com>
    S: 250 OK
    C: RCPT TO:<Green@foo.com>
    S: 550 No such user here
    C: RSET
    S: 250 OK
    C: QUIT
    S: 221 foo.com Service closing transmission channel
";

#[test]
fn rfc5321_d2_aborted_transaction() {
    let t = Transcript::new(RFC5321_D2);
    t.check_codec();
    check_server(&t, server_config("foo.com"), &["Green"]);
}

const RFC2920_PIPELINED: &str = "
    S: 220 innosoft.com SMTP service ready
    C: EHLO dbc.mtview.ca.us
    S: 250-innosoft.com
    S: 250 PIPELINING
    C: MAIL FROM:<mrose@dbc.mtview.ca.us>
    C: RCPT TO:<ned@innosoft.com>
    C: RCPT TO:<dan@innosoft.com>
    C: RCPT TO:<kvc@innosoft.com>
    C: DATA
    S: 250 sender <mrose@dbc.mtview.ca.us> OK
    S: 250 recipient <ned@innosoft.com> OK
    S: 250 recipient <dan@innosoft.com> OK
    S: 250 recipient <kvc@innosoft.com> OK
    S: 354 enter mail, end with line containing only \".\"
    B: Hello
    B: .
    C: QUIT
    S: 250 message sent
    S: 221 goodbye
";

#[test]
fn rfc2920_pipelined_transaction() {
    let t = Transcript::new(RFC2920_PIPELINED);
    t.check_codec();
    let mut config = server_config("innosoft.com");
    config.pipelining = true;
    check_server(&t, config.clone(), &[]);
    let mut pair = new_pair(
        client_config("dbc.mtview.ca.us"),
        config,
        send_once(
            envelope(
                "<mrose@dbc.mtview.ca.us>",
                &[
                    "<ned@innosoft.com>",
                    "<dan@innosoft.com>",
                    "<kvc@innosoft.com>",
                ],
            ),
            vec![b"Hello\n".to_vec()],
            false,
        ),
        answer_server(&[]),
    );
    pair.drive();
    assert_eq!(pair.lines(Side::Client), t.client_lines());
    // MAIL, the RCPTs and DATA went out in one write (RFC 2920 §3.1).
    let second_write = &pair
        .wire
        .iter()
        .filter(|s| s.side == Side::Client)
        .nth(1)
        .unwrap()
        .bytes;
    assert!(second_write.starts_with(b"MAIL FROM:") && second_write.ends_with(b"DATA\r\n"));
}

const RFC2920_NO_VALID_RECIPIENTS: &str = "
    S: 220 innosoft.com SMTP service ready
    C: EHLO dbc.mtview.ca.us
    S: 250-innosoft.com
    S: 250 PIPELINING
    C: MAIL FROM:<mrose@dbc.mtview.ca.us>
    C: RCPT TO:<nsb@thumper.bellcore.com>
    C: RCPT TO:<galvin@tis.com>
    C: DATA
    S: 250 sender <mrose@dbc.mtview.ca.us> OK
    S: 550 remote mail to <nsb@thumper.bellore.com> not allowed
    S: 550 remote mail to <galvin@tis.com> not allowed
    S: 554 no valid recipients given
    C: QUIT
    S: 221 goodbye
";

#[test]
fn rfc2920_no_valid_recipients() {
    let t = Transcript::new(RFC2920_NO_VALID_RECIPIENTS);
    t.check_codec();
    let mut config = server_config("innosoft.com");
    config.pipelining = true;
    check_server(&t, config.clone(), &["nsb", "galvin"]);
    let mut pair = new_pair(
        client_config("dbc.mtview.ca.us"),
        config,
        send_once(
            envelope(
                "<mrose@dbc.mtview.ca.us>",
                &["<nsb@thumper.bellcore.com>", "<galvin@tis.com>"],
            ),
            vec![b"unused".to_vec()],
            false,
        ),
        answer_server(&["nsb", "galvin"]),
    );
    pair.drive();
    assert_eq!(pair.lines(Side::Client), t.client_lines());
    assert!(
        pair.client_events
            .contains(&client::Event::TransactionEnded { delivered: vec![] })
    );
    assert!(!pair.client_events.contains(&client::Event::BodyRequested));
}

const RFC2033_LMTP: &str = "
    S: 220 foo.edu LMTP server ready
    C: LHLO foo.edu
    S: 250-foo.edu
    S: 250-PIPELINING
    S: 250 SIZE
    C: MAIL FROM:<chris@bar.com>
    S: 250 OK
    C: RCPT TO:<pat@foo.edu>
    S: 250 OK
    C: RCPT TO:<jones@foo.edu>
    S: 550 No such user here
    C: RCPT TO:<green@foo.edu>
    S: 250 OK
    C: DATA
    S: 354 Start mail input; end with <CRLF>.<CRLF>
    B: Blah blah blah...
    B: ....etc. etc. etc.
    B: .
    S: 250 OK
    S: 452 <green@foo.edu> is temporarily over quota
    C: QUIT
    S: 221 foo.edu closing connection
";

#[test]
fn rfc2033_lmtp_per_recipient_replies() {
    let t = Transcript::new(RFC2033_LMTP);
    t.check_codec();
    let mut config = server_config("foo.edu");
    config.mode = ServerMode::Lmtp;
    check_server(&t, config.clone(), &["jones"]);
    let mut client = client_config("foo.edu");
    client.lmtp = true;
    let mut pair = new_pair(
        client,
        config,
        send_once(
            envelope(
                "<chris@bar.com>",
                &["<pat@foo.edu>", "<jones@foo.edu>", "<green@foo.edu>"],
            ),
            vec![b"Blah blah blah...\r\n...etc. etc. etc.\r\n".to_vec()],
            false,
        ),
        answer_server(&["jones"]),
    );
    pair.drive();
    assert_eq!(pair.lines(Side::Client), t.client_lines());
    let delivered: Vec<(usize, u16)> = pair
        .client_events
        .iter()
        .filter_map(|e| match e {
            client::Event::RecipientDelivered { index, reply } => {
                Some((*index, reply.code().get()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(delivered, [(0, 250), (2, 452)]);
    assert!(
        pair.client_events
            .contains(&client::Event::TransactionEnded { delivered: vec![0] })
    );
}

const RFC3030_SIMPLE_CHUNKING: &str = "
    S: 220 cnri.reston.va.us SMTP service ready
    C: EHLO ymir.claremont.edu
    S: 250-cnri.reston.va.us says hello
    S: 250 CHUNKING
    C: MAIL FROM:<Sam@Random.com>
    S: 250 <Sam@Random.com> Sender ok
    C: RCPT TO:<Susan@Random.com>
    S: 250 <Susan@random.com> Recipient ok
    C: BDAT 86 LAST
    B: To: Susan@random.com
    B: From: Sam@random.com
    B: Subject: This is a bodyless test message
    S: 250 Message OK, 86 octets received
    C: QUIT
    S: 221 Goodbye
";

#[test]
fn rfc3030_simple_chunking() {
    let t = Transcript::new(RFC3030_SIMPLE_CHUNKING);
    t.check_codec();
    let mut config = server_config("cnri.reston.va.us");
    config.chunking = true;
    let body = b"To: Susan@random.com\r\nFrom: Sam@random.com\r\nSubject: This is a bodyless test message\r\n";
    assert_eq!(body.len(), 86);
    assert_eq!(check_server(&t, config.clone(), &[]), body);
    let mut pair = new_pair(
        client_config("ymir.claremont.edu"),
        config,
        send_once(
            envelope("<Sam@Random.com>", &["<Susan@Random.com>"]),
            vec![body.to_vec()],
            true,
        ),
        answer_server(&[]),
    );
    pair.drive();
    assert_eq!(pair.lines(Side::Client), t.client_lines());
}

#[test]
fn rfc3030_pipelining_binarymime() {
    let mut config = server_config("cnri.reston.va.us");
    config.chunking = true;
    config.pipelining = true;
    let first: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let second: Vec<u8> = (0..324u32).map(|i| (i % 7) as u8 + b'\r' - 3).collect();
    let mut envelope = envelope(
        "<ned@ymir.claremont.edu>",
        &[
            "<gvaudre@cnri.reston.va.us>",
            "<jstewart@cnri.reston.va.us>",
        ],
    );
    envelope.parameters.body = Some(BodyType::BinaryMime);
    let chunks = vec![first.clone(), second.clone()];
    let mut sent = Some(envelope);
    let mut pair = new_pair(
        client_config("ymir.claremont.edu"),
        config,
        move |client: &mut client::Client, event: &client::Event| match event {
            client::Event::Ready { .. } => {
                if let Some(e) = sent.take() {
                    client.send_mail(e).unwrap();
                }
            }
            client::Event::BodyRequested => {
                for chunk in &chunks {
                    client.send_body(chunk).unwrap();
                }
                client.finish_body().unwrap();
            }
            client::Event::TransactionEnded { .. } => client.quit(),
            _ => {}
        },
        answer_server(&[]),
    );
    pair.drive();
    let sent = pair.sent(Side::Client);
    let mut expected =
        b"EHLO ymir.claremont.edu\r\nMAIL FROM:<ned@ymir.claremont.edu> BODY=BINARYMIME\r\n\
RCPT TO:<gvaudre@cnri.reston.va.us>\r\nRCPT TO:<jstewart@cnri.reston.va.us>\r\nBDAT 100000\r\n"
            .to_vec();
    expected.extend_from_slice(&first);
    expected.extend_from_slice(b"BDAT 324\r\n");
    expected.extend_from_slice(&second);
    expected.extend_from_slice(b"BDAT 0 LAST\r\nQUIT\r\n");
    assert_eq!(sent, expected);
    let body: Vec<u8> = pair
        .server_events
        .iter()
        .filter_map(|e| match e {
            server::Event::BodyChunk { data } => Some(data.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(body, [first, second].concat());
    let replies: Vec<String> = pair
        .lines(Side::Server)
        .iter()
        .map(|l| l[..3].to_owned())
        .collect();
    // Eight EHLO lines, MAIL, two RCPT, three BDAT.
    assert_eq!(replies.iter().filter(|c| *c == "250").count(), 14);
    assert!(
        pair.client_events
            .contains(&client::Event::TransactionEnded {
                delivered: vec![0, 1]
            })
    );
}
