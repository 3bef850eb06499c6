//! The driver and the SMTP front ends end to end: client and server
//! machines on the two ends of an in-memory pipe or a loopback socket, with
//! STARTTLS, implicit TLS, AUTH, LMTP, timeouts and the last-gasp reply.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::sync::{Arc, Mutex};

use mailwire_core::Secret;
use mailwire_sasl::StoredCredentials;
use mailwire_smtp::client::{ClientConfig, CloseReason, Envelope, TlsPolicy};
use mailwire_smtp::server::{Event, Server, ServerConfig, ServerMode};
use mailwire_smtp::{
    Domain, EnhancedCode, ForwardPath, Host, MailParameters, Mechanism, RcptParameters, Reply,
    ReplyCode, ReversePath,
};
use mailwire_tokio::smtp::client::{ClientError, ClientOptions, SmtpClient};
use mailwire_tokio::smtp::reply;
use mailwire_tokio::smtp::server::{
    Handler, MessageVerdict, ServerOptions, Session, serve, serve_connection,
};
use mailwire_tokio::tls::{self, SelfSigned, TlsAcceptor, TlsConnector};
use mailwire_tokio::{Driver, MaybeTls};
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

/// An accepted message: its recipients and body.
type Stored = (Vec<String>, Vec<u8>);

/// Stores every accepted message; refuses recipients named `nobody`.
#[derive(Clone, Default)]
struct Recorder {
    messages: Arc<Mutex<Vec<Stored>>>,
    users: Arc<Mutex<Vec<Option<String>>>>,
    recipients: Vec<String>,
    body: Vec<u8>,
    lmtp_refuse: Option<String>,
}

impl Handler for Recorder {
    async fn mail(
        &mut self,
        session: &Session,
        _: &ReversePath<'static>,
        _: &MailParameters<'static>,
    ) -> Result<(), Reply<'static>> {
        self.users
            .lock()
            .unwrap()
            .push(session.authenticated.clone());
        self.recipients.clear();
        self.body.clear();
        Ok(())
    }

    async fn rcpt(
        &mut self,
        _: &Session,
        to: &ForwardPath<'static>,
        _: &RcptParameters<'static>,
    ) -> Result<(), Reply<'static>> {
        let to = to.to_string();
        if to.starts_with("<nobody@") {
            return Err(reply(
                ReplyCode::MAILBOX_UNAVAILABLE,
                Some(EnhancedCode::BAD_DESTINATION_MAILBOX),
                "No such user",
            ));
        }
        self.recipients.push(to);
        Ok(())
    }

    async fn body(&mut self, chunk: &[u8]) -> Result<(), Reply<'static>> {
        self.body.extend_from_slice(chunk);
        Ok(())
    }

    async fn message(&mut self, session: &Session) -> MessageVerdict {
        let recipients = std::mem::take(&mut self.recipients);
        let body = std::mem::take(&mut self.body);
        if session.mode == ServerMode::Lmtp {
            let replies = recipients
                .iter()
                .map(|r| {
                    if Some(r) == self.lmtp_refuse.as_ref() {
                        reply(
                            ReplyCode::INSUFFICIENT_STORAGE,
                            Some(EnhancedCode::new(4, 2, 2).unwrap()),
                            "Mailbox full",
                        )
                    } else {
                        reply(ReplyCode::OK, Some(EnhancedCode::OK), "Delivered")
                    }
                })
                .collect();
            self.messages.lock().unwrap().push((recipients, body));
            return MessageVerdict::PerRecipient(replies);
        }
        self.messages.lock().unwrap().push((recipients, body));
        MessageVerdict::Accept
    }

    async fn credentials(
        &mut self,
        _: &Session,
        mechanism: &mailwire_sasl::Mechanism,
        authcid: &str,
    ) -> Option<StoredCredentials> {
        if authcid != "tim" {
            return None;
        }
        match mailwire_sasl::ScramHash::for_mechanism(mechanism) {
            Some(hash) => Some(StoredCredentials::Scram(
                mailwire_sasl::ScramKeys::generate(hash, "tanstaaf", 4096).unwrap(),
            )),
            None => Some(StoredCredentials::Password(Secret::new("tanstaaf".into()))),
        }
    }
}

fn server_options(mode: ServerMode) -> ServerOptions {
    let mut config = ServerConfig::new(Domain::try_from("mx.example.org").unwrap());
    config.mode = mode;
    ServerOptions::new(config)
}

fn client_options() -> ClientOptions {
    ClientOptions::new(ClientConfig::new(Host::try_from("client.example").unwrap()))
}

fn envelope(recipients: &[&str]) -> Envelope<'static> {
    Envelope::new(
        ReversePath::try_from("<a@example.org>")
            .unwrap()
            .into_static(),
        recipients
            .iter()
            .map(|r| ForwardPath::try_from(*r).unwrap().into_static())
            .collect(),
    )
}

const MESSAGE: &[u8] = b"Subject: test\r\n\r\nHello\r\n.leading dot\r\n..two\r\n.\r\nend\r\n";

/// Runs a server session on one end of a pipe while `client` runs on the
/// other; returns what the client returned.
async fn with_server<T>(
    options: ServerOptions,
    handler: Recorder,
    client: impl AsyncFnOnce(DuplexStream) -> T,
) -> T {
    let (ours, theirs) = tokio::io::duplex(4096);
    let server = async move {
        let mut handler = handler;
        let session = Session::new(1, None, options.config.mode);
        serve_connection(MaybeTls::Plain(theirs), &options, session, &mut handler).await
    };
    let (result, _summary) = tokio::join!(client(ours), server);
    result
}

#[tokio::test]
async fn message_with_dot_lines_arrives_intact() {
    let recorder = Recorder::default();
    let messages = recorder.messages.clone();
    let report = with_server(server_options(ServerMode::Smtp), recorder, async |stream| {
        let mut client = SmtpClient::start(stream, "mx.example.org", &client_options())
            .await
            .unwrap();
        assert!(client.capabilities().pipelining());
        let report = client
            .send(
                envelope(&["<b@example.org>", "<nobody@example.org>"]),
                MESSAGE,
            )
            .await
            .unwrap();
        client.quit().await.unwrap();
        report
    })
    .await;
    assert!(report.is_delivered(0));
    assert!(!report.is_delivered(1));
    assert_eq!(
        report.outcome(1).unwrap().code(),
        ReplyCode::MAILBOX_UNAVAILABLE
    );
    assert_eq!(report.outcome(0).unwrap().code(), ReplyCode::OK);
    let messages = messages.lock().unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].0, ["<b@example.org>"]);
    assert_eq!(messages[0].1, MESSAGE);
}

#[tokio::test]
async fn large_body_streams_through_a_small_pipe() {
    let recorder = Recorder::default();
    let messages = recorder.messages.clone();
    let mut body = Vec::new();
    for i in 0..40_000 {
        body.extend_from_slice(format!("line {i} .{}\r\n", "x".repeat(i % 70)).as_bytes());
    }
    let sent = body.clone();
    for chunking in [true, false] {
        let sent = sent.clone();
        with_server(
            server_options(ServerMode::Smtp),
            recorder.clone(),
            async move |stream| {
                let mut options = client_options();
                options.config.chunking = chunking;
                let mut client = SmtpClient::start(stream, "mx.example.org", &options)
                    .await
                    .unwrap();
                let report = client
                    .send(envelope(&["<b@example.org>"]), &sent[..])
                    .await
                    .unwrap();
                assert!(report.is_delivered(0));
                client.quit().await.unwrap();
            },
        )
        .await;
    }
    let messages = messages.lock().unwrap();
    assert_eq!(messages.len(), 2);
    assert!(messages.iter().all(|(_, b)| *b == body));
}

fn tls_pair() -> (TlsAcceptor, TlsConnector) {
    let cert = SelfSigned::generate(&["mx.example.org"]).unwrap();
    let acceptor = TlsAcceptor::from(cert.server_config().unwrap());
    let connector =
        TlsConnector::from(tls::client_config(false, &[cert.certificate().clone()]).unwrap());
    (acceptor, connector)
}

#[tokio::test]
async fn starttls_upgrades_in_place_and_auth_runs_over_it() {
    let (acceptor, connector) = tls_pair();
    for mechanism in [
        Mechanism::PLAIN,
        Mechanism::LOGIN,
        Mechanism::SCRAM_SHA_256,
        Mechanism::CRAM_MD5,
    ] {
        let mut options = server_options(ServerMode::Submission);
        options.config.starttls = true;
        options.config.auth_mechanisms = vec![mechanism.clone()];
        options.tls = Some(acceptor.clone());
        let recorder = Recorder::default();
        let users = recorder.users.clone();
        let connector = connector.clone();
        with_server(options, recorder, async move |stream| {
            let mut options = client_options();
            options.config.tls = TlsPolicy::Required;
            options.tls = Some(connector);
            options.credentials = Some(mailwire_sasl::Credentials::password("tim", "tanstaaf"));
            let mut client = SmtpClient::start(stream, "mx.example.org", &options)
                .await
                .unwrap();
            assert!(client.is_tls());
            assert!(client.is_authenticated());
            let report = client
                .send(envelope(&["<b@example.org>"]), MESSAGE)
                .await
                .unwrap();
            assert!(report.is_delivered(0));
            client.quit().await.unwrap();
        })
        .await;
        assert_eq!(
            *users.lock().unwrap(),
            [Some("tim".to_owned())],
            "{mechanism}"
        );
    }
}

#[tokio::test]
async fn wrong_password_is_refused() {
    let mut options = server_options(ServerMode::Submission);
    options.config.auth_mechanisms = vec![Mechanism::PLAIN];
    options.config.auth_requires_tls = false;
    let result = with_server(options, Recorder::default(), async |stream| {
        let mut options = client_options();
        options.allow_plaintext_auth = true;
        options.credentials = Some(mailwire_sasl::Credentials::password("tim", "wrong"));
        SmtpClient::start(stream, "mx.example.org", &options).await
    })
    .await;
    match result {
        Err(ClientError::AuthFailed(reply)) => assert_eq!(reply.code(), ReplyCode::AUTH_INVALID),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn client_refuses_an_unverified_certificate() {
    let (acceptor, _) = tls_pair();
    let (_, stranger) = tls_pair();
    let mut options = server_options(ServerMode::Smtp);
    options.config.starttls = true;
    options.tls = Some(acceptor);
    let result = with_server(options, Recorder::default(), async |stream| {
        let mut options = client_options();
        options.config.tls = TlsPolicy::Required;
        options.tls = Some(stranger);
        SmtpClient::start(stream, "mx.example.org", &options).await
    })
    .await;
    // The handshake fails on the certificate itself, not on any I/O error.
    match result {
        Err(ClientError::Io(error)) => assert!(
            matches!(
                error
                    .get_ref()
                    .and_then(|e| e.downcast_ref::<rustls::Error>()),
                Some(rustls::Error::InvalidCertificate(_))
            ),
            "{error:?}"
        ),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn lmtp_reports_each_recipient() {
    let recorder = Recorder {
        lmtp_refuse: Some("<full@example.org>".into()),
        ..Recorder::default()
    };
    let report = with_server(server_options(ServerMode::Lmtp), recorder, async |stream| {
        let mut options = client_options();
        options.config.lmtp = true;
        let mut client = SmtpClient::start(stream, "mx.example.org", &options)
            .await
            .unwrap();
        let report = client
            .send(
                envelope(&[
                    "<a@example.org>",
                    "<full@example.org>",
                    "<nobody@example.org>",
                ]),
                MESSAGE,
            )
            .await
            .unwrap();
        client.quit().await.unwrap();
        report
    })
    .await;
    assert_eq!(report.delivered, [0]);
    assert_eq!(report.outcome(0).unwrap().code(), ReplyCode::OK);
    assert_eq!(
        report.outcome(1).unwrap().code(),
        ReplyCode::INSUFFICIENT_STORAGE
    );
    assert_eq!(
        report.outcome(2).unwrap().code(),
        ReplyCode::MAILBOX_UNAVAILABLE
    );
}

#[tokio::test]
async fn implicit_tls_on_loopback() {
    let (acceptor, connector) = tls_pair();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let mut options = server_options(ServerMode::Smtp);
    options.tls = Some(acceptor);
    options.implicit_tls = true;
    let recorder = Recorder::default();
    let messages = recorder.messages.clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(
        listener,
        Arc::new(options),
        move |_| recorder.clone(),
        async {
            let _ = stopped.await;
        },
    ));
    let mut options = client_options();
    options.implicit_tls = true;
    options.tls = Some(connector);
    for _ in 0..3 {
        let mut client = SmtpClient::connect(address, "mx.example.org", &options)
            .await
            .unwrap();
        assert!(client.is_tls());
        let report = client
            .send(envelope(&["<b@example.org>"]), MESSAGE)
            .await
            .unwrap();
        assert!(report.is_delivered(0));
        client.quit().await.unwrap();
    }
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
    assert_eq!(messages.lock().unwrap().len(), 3);
}

/// Drives a bare server machine and collects its events.
async fn run_machine(
    config: ServerConfig,
    stream: DuplexStream,
) -> (
    Vec<Event>,
    Option<mailwire_tokio::Error<mailwire_smtp::Error>>,
) {
    let mut driver = Driver::new(
        Server::new(config, mailwire_tokio::driver::now()),
        MaybeTls::Plain(stream),
    );
    let mut events = Vec::new();
    loop {
        match driver.next_event().await {
            Ok(Some(event)) => events.push(event),
            Ok(None) => return (events, None),
            Err(e) => return (events, Some(e)),
        }
    }
}

#[tokio::test]
async fn last_reply_is_flushed_before_a_fatal_close() {
    let (ours, mut theirs) = tokio::io::duplex(1 << 16);
    let mut config = ServerConfig::new(Domain::try_from("mx.example.org").unwrap());
    config.limits.max_errors = 3;
    let peer = async move {
        theirs.write_all(&b"BOGUS\r\n".repeat(10)).await.unwrap();
        let mut transcript = String::new();
        theirs.read_to_string(&mut transcript).await.unwrap();
        transcript
    };
    let ((events, error), transcript) = tokio::join!(run_machine(config, ours), peer);
    assert!(
        transcript.ends_with("421 4.4.2 Too many errors, closing transmission channel\r\n"),
        "{transcript}"
    );
    assert_eq!(transcript.matches("500 ").count(), 4);
    assert!(matches!(events.last(), Some(Event::Closed { .. })));
    assert!(
        matches!(error, Some(mailwire_tokio::Error::Protocol(_))),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn silent_client_times_out() {
    let (ours, mut theirs) = tokio::io::duplex(4096);
    let config = ServerConfig::new(Domain::try_from("mx.example.org").unwrap());
    let peer = async move {
        let mut transcript = String::new();
        theirs.read_to_string(&mut transcript).await.unwrap();
        transcript
    };
    let ((events, error), transcript) = tokio::join!(run_machine(config, ours), peer);
    assert!(error.is_none());
    assert!(transcript.starts_with("220 "));
    assert!(transcript.ends_with("421 4.4.2 Timeout, closing transmission channel\r\n"));
    assert!(matches!(
        events.last(),
        Some(Event::Closed {
            reason: mailwire_smtp::server::CloseReason::Timeout
        })
    ));
}

#[tokio::test]
async fn plaintext_after_starttls_is_never_read() {
    let (acceptor, connector) = tls_pair();
    let (ours, mut theirs) = tokio::io::duplex(1 << 16);
    let mut options = server_options(ServerMode::Smtp);
    options.config.starttls = true;
    options.tls = Some(acceptor);
    let recorder = Recorder::default();
    let users = recorder.users.clone();
    let server = async move {
        let mut handler = recorder;
        let session = Session::new(1, None, ServerMode::Smtp);
        serve_connection(MaybeTls::Plain(ours), &options, session, &mut handler).await
    };
    let client = async move {
        let mut greeting = [0u8; 512];
        let _ = theirs.read(&mut greeting).await.unwrap();
        theirs.write_all(b"EHLO x\r\n").await.unwrap();
        let mut line = Vec::new();
        while !line.ends_with(b"250 ENHANCEDSTATUSCODES\r\n") && !line.ends_with(b"STARTTLS\r\n") {
            let mut byte = [0u8; 1];
            theirs.read_exact(&mut byte).await.unwrap();
            line.push(byte[0]);
        }
        // The injected MAIL must be dropped with the plaintext.
        theirs
            .write_all(b"STARTTLS\r\nMAIL FROM:<evil@example.org>\r\n")
            .await
            .unwrap();
        let mut reply = Vec::new();
        while !reply.ends_with(b"\r\n") {
            let mut byte = [0u8; 1];
            theirs.read_exact(&mut byte).await.unwrap();
            reply.push(byte[0]);
        }
        assert!(reply.starts_with(b"220 "));
        let name = tls::server_name("mx.example.org").unwrap();
        let mut tls = connector.connect(name, theirs).await.unwrap();
        tls.write_all(b"EHLO x\r\nQUIT\r\n").await.unwrap();
        let mut rest = Vec::new();
        tls.read_to_end(&mut rest).await.unwrap_or_default();
        String::from_utf8(rest).unwrap()
    };
    let (summary, transcript) = tokio::join!(server, client);
    assert!(summary.session.tls);
    assert!(transcript.starts_with("250-mx.example.org"), "{transcript}");
    assert!(!transcript.contains("Sender OK"));
    assert!(
        transcript.ends_with("221 2.0.0 mx.example.org Service closing transmission channel\r\n")
    );
    assert!(users.lock().unwrap().is_empty());
}

#[tokio::test]
async fn closed_server_is_reported() {
    let (ours, theirs) = tokio::io::duplex(4096);
    drop(theirs);
    let result = SmtpClient::start(ours, "mx.example.org", &client_options()).await;
    assert!(
        matches!(result, Err(ClientError::Closed(CloseReason::PeerClosed))),
        "{result:?}"
    );
}
