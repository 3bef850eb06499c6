//! The POP3 front ends against each other on loopback, and (ignored, run by
//! `interop/pop3.sh`) Python's poplib against the server.
//!
//! Every server is bound to 127.0.0.1 on a port the system picks, serves a
//! maildrop kept in memory, and is stopped by the test that started it.
#![cfg(feature = "pop3")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailwire_pop3::client::ClientConfig;
use mailwire_pop3::server::{MessageInfo, ServerConfig};
use mailwire_pop3::{Response, ResponseCode, Status, UniqueId};
use mailwire_sasl::{Credentials, Mechanism, ScramHash, ScramKeys, StoredCredentials};
use mailwire_tokio::pop3::client::{ClientError, ClientOptions, Pop3Client};
use mailwire_tokio::pop3::server::{Handler, ServerOptions, Session, serve};
use tokio::sync::oneshot;

const USER: &str = "carol";
const PASSWORD: &str = "s3cret-pop3";

/// The maildrop shared by every session of one server.
#[derive(Debug, Default)]
struct Store {
    messages: Vec<(String, Vec<u8>)>,
    locked: bool,
}

struct Memory {
    store: Arc<Mutex<Store>>,
    holds_lock: bool,
}

impl Handler for Memory {
    type Message = std::io::Cursor<Vec<u8>>;

    async fn credentials(
        &mut self,
        _: &Session,
        mechanism: &Mechanism,
        user: &str,
    ) -> Option<StoredCredentials> {
        if user != USER {
            return None;
        }
        Some(match ScramHash::for_mechanism(mechanism) {
            Some(hash) => StoredCredentials::Scram(ScramKeys::generate(hash, PASSWORD, 4096).ok()?),
            None => StoredCredentials::Password(PASSWORD.to_owned().into()),
        })
    }

    async fn open_maildrop(&mut self, _: &Session, _: &str) -> Result<Vec<MessageInfo>, Response> {
        let mut store = self.store.lock().unwrap();
        if store.locked {
            return Err(Response::new_static(
                Status::Err,
                Some(ResponseCode::IN_USE),
                "locked",
            ));
        }
        store.locked = true;
        self.holds_lock = true;
        Ok(store
            .messages
            .iter()
            .map(|(uid, data)| MessageInfo {
                size: data.len() as u64,
                uid: UniqueId::new(uid.as_str()).unwrap(),
            })
            .collect())
    }

    async fn message(&mut self, _: &Session, number: u32) -> std::io::Result<Self::Message> {
        let store = self.store.lock().unwrap();
        let (_, data) = store
            .messages
            .get(number as usize - 1)
            .ok_or_else(|| std::io::Error::other("no such message"))?;
        Ok(std::io::Cursor::new(data.clone()))
    }

    async fn commit_deletions(&mut self, _: &Session, messages: &[u32]) -> std::io::Result<()> {
        let mut store = self.store.lock().unwrap();
        for number in messages.iter().rev() {
            store.messages.remove(*number as usize - 1);
        }
        Ok(())
    }

    async fn close(&mut self, _: &Session) {
        if self.holds_lock {
            self.store.lock().unwrap().locked = false;
        }
    }
}

/// The seeded messages, CRLF line endings: dot-leading lines, 8-bit text,
/// and one larger than a 16 KiB piece.
fn messages() -> Vec<(String, Vec<u8>)> {
    let mut large = b"Subject: large\r\n\r\n".to_vec();
    for k in 0..5000 {
        large.extend_from_slice(format!(".{k:05} {}\r\n", "x".repeat(70)).as_bytes());
    }
    vec![
        (
            "m1".into(),
            b"Subject: plain\r\nFrom: a@example.org\r\n\r\nHello.\r\nSecond line.\r\n".to_vec(),
        ),
        (
            "m2/dots".into(),
            b"Subject: dots\r\n\r\n.leading\r\n..two\r\n.\r\n...three\r\nend\r\n".to_vec(),
        ),
        (
            "m3".into(),
            "Subject: 8-bit\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGr\u{fc}\u{df}e \u{2713}\r\n"
                .as_bytes()
                .to_vec(),
        ),
        ("m4".into(), large),
    ]
}

struct Running {
    address: SocketAddr,
    store: Arc<Mutex<Store>>,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        tokio::time::timeout(Duration::from_secs(30), self.task)
            .await
            .expect("server stops")
            .unwrap()
            .unwrap();
    }
}

fn server_config() -> ServerConfig {
    let mut config = ServerConfig::new();
    config.plaintext_requires_tls = false;
    config.limits.auth_failure_delay = Duration::ZERO;
    config.sasl_mechanisms = vec![
        Mechanism::SCRAM_SHA_256,
        Mechanism::SCRAM_SHA_1,
        Mechanism::CRAM_MD5,
        Mechanism::PLAIN,
        Mechanism::LOGIN,
    ];
    config
}

async fn start(options: ServerOptions) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let store = Arc::new(Mutex::new(Store {
        messages: messages(),
        locked: false,
    }));
    let (stop, stopped) = oneshot::channel::<()>();
    let shared = store.clone();
    let task = tokio::spawn(async move {
        serve(
            listener,
            Arc::new(options),
            move |_| Memory {
                store: shared.clone(),
                holds_lock: false,
            },
            async {
                let _ = stopped.await;
            },
        )
        .await
    });
    Running {
        address,
        store,
        stop: Some(stop),
        task,
    }
}

fn plaintext_options() -> ClientOptions {
    let mut config = ClientConfig::new();
    config.allow_plaintext_without_tls = true;
    ClientOptions::new(config)
}

async fn fetch_all<S>(client: &mut Pop3Client<S>) -> Vec<Vec<u8>>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut all = Vec::new();
    for listing in client.uidl().await.unwrap() {
        let mut data = Vec::new();
        let size = client.retr(listing.message, &mut data).await.unwrap();
        assert_eq!(size, data.len() as u64);
        all.push(data);
    }
    all
}

#[tokio::test]
async fn user_pass_list_retr_top_dele() {
    let server = start(ServerOptions::new(server_config())).await;
    let expected = messages();
    let mut client = Pop3Client::connect(server.address, "localhost", &plaintext_options())
        .await
        .unwrap();
    assert!(client.capabilities().unwrap().contains("UIDL"));
    client.login(USER, PASSWORD).await.unwrap();
    let stat = client.stat().await.unwrap();
    assert_eq!(stat.messages, 4);
    assert_eq!(
        stat.size,
        expected.iter().map(|(_, m)| m.len() as u64).sum::<u64>()
    );
    let list = client.list().await.unwrap();
    assert_eq!(list.len(), 4);
    assert_eq!(list[3].size, expected[3].1.len() as u64);
    let uids: Vec<String> = client
        .uidl()
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.uid.as_str().to_owned())
        .collect();
    assert_eq!(uids, ["m1", "m2/dots", "m3", "m4"]);
    let fetched = fetch_all(&mut client).await;
    for (got, (_, want)) in fetched.iter().zip(&expected) {
        assert_eq!(got, want);
    }
    let mut head = Vec::new();
    client.top(1, 0, &mut head).await.unwrap();
    assert_eq!(head, b"Subject: plain\r\nFrom: a@example.org\r\n\r\n");
    let mut head = Vec::new();
    client.top(2, 2, &mut head).await.unwrap();
    assert_eq!(head, b"Subject: dots\r\n\r\n.leading\r\n..two\r\n");
    let missing = client.retr(9, &mut Vec::new()).await.unwrap_err();
    assert!(matches!(
        missing,
        ClientError::Refused {
            command: "RETR",
            ..
        }
    ));
    client.dele(1).await.unwrap();
    client.rset().await.unwrap();
    client.dele(2).await.unwrap();
    client.noop().await.unwrap();
    client.quit().await.unwrap();

    let mut client = Pop3Client::connect(server.address, "localhost", &plaintext_options())
        .await
        .unwrap();
    client.login(USER, PASSWORD).await.unwrap();
    assert_eq!(client.stat().await.unwrap().messages, 3);
    let fetched = fetch_all(&mut client).await;
    assert_eq!(fetched[0], expected[0].1);
    assert_eq!(fetched[1], expected[2].1);
    client.quit().await.unwrap();
    assert_eq!(server.store.lock().unwrap().messages.len(), 3);
    server.stop().await;
}

#[tokio::test]
async fn every_sasl_mechanism() {
    let server = start(ServerOptions::new(server_config())).await;
    let credentials = Credentials::password(USER, PASSWORD);
    for mechanism in [
        Mechanism::PLAIN,
        Mechanism::LOGIN,
        Mechanism::CRAM_MD5,
        Mechanism::SCRAM_SHA_1,
        Mechanism::SCRAM_SHA_256,
    ] {
        let mut client = Pop3Client::connect(server.address, "localhost", &plaintext_options())
            .await
            .unwrap();
        let used = client
            .authenticate(&credentials, Some(&mechanism))
            .await
            .unwrap();
        assert_eq!(used, mechanism);
        assert_eq!(client.stat().await.unwrap().messages, 4, "{mechanism}");
        client.quit().await.unwrap();
    }
    // Without a mechanism: the strongest both sides support.
    let mut client = Pop3Client::connect(server.address, "localhost", &plaintext_options())
        .await
        .unwrap();
    let used = client.authenticate(&credentials, None).await.unwrap();
    assert_eq!(used, Mechanism::SCRAM_SHA_256);
    client.quit().await.unwrap();
    server.stop().await;
}

#[tokio::test]
async fn wrong_credentials_are_refused() {
    // A short delay: the driver waits on the machine's deadline while the
    // -ERR is held back, with the next command already buffered.
    let mut config = server_config();
    config.limits.auth_failure_delay = Duration::from_millis(50);
    let server = start(ServerOptions::new(config)).await;
    let mut client = Pop3Client::connect(server.address, "localhost", &plaintext_options())
        .await
        .unwrap();
    let refused = client.login(USER, "wrong").await.unwrap_err();
    assert!(
        matches!(&refused, ClientError::Refused { command: "PASS", response } if response.code == Some(ResponseCode::AUTH)),
        "{refused:?}"
    );
    let wrong = Credentials::password(USER, "wrong");
    let refused = client
        .authenticate(&wrong, Some(&Mechanism::SCRAM_SHA_256))
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            ClientError::Refused {
                command: "AUTH",
                ..
            }
        ),
        "{refused:?}"
    );
    // The session goes on after failures.
    client.login(USER, PASSWORD).await.unwrap();
    assert_eq!(client.stat().await.unwrap().messages, 4);
    client.quit().await.unwrap();

    // Passwords are not sent in plaintext unless allowed.
    let mut client = Pop3Client::connect(
        server.address,
        "localhost",
        &ClientOptions::new(ClientConfig::new()),
    )
    .await
    .unwrap();
    assert!(matches!(
        client.login(USER, PASSWORD).await.unwrap_err(),
        ClientError::Protocol(_)
    ));
    client.quit().await.unwrap();
    server.stop().await;
}

#[tokio::test]
async fn maildrop_in_use() {
    let server = start(ServerOptions::new(server_config())).await;
    let mut first = Pop3Client::connect(server.address, "localhost", &plaintext_options())
        .await
        .unwrap();
    first.login(USER, PASSWORD).await.unwrap();
    let mut second = Pop3Client::connect(server.address, "localhost", &plaintext_options())
        .await
        .unwrap();
    let refused = second.login(USER, PASSWORD).await.unwrap_err();
    assert!(
        matches!(&refused, ClientError::Refused { response, .. } if response.code == Some(ResponseCode::IN_USE)),
        "{refused:?}"
    );
    second.quit().await.unwrap();
    first.quit().await.unwrap();
    server.stop().await;
}

#[cfg(feature = "tls")]
mod tls {
    use super::*;
    use mailwire_tokio::tls::SelfSigned;

    fn tls_options(certificate: &SelfSigned) -> ClientOptions {
        let mut options = ClientOptions::new(ClientConfig::new());
        let config =
            mailwire_tokio::tls::client_config(false, &[certificate.certificate().clone()])
                .unwrap();
        options.tls = Some(config.into());
        options
    }

    #[tokio::test]
    async fn stls_then_plain_login() {
        let certificate = SelfSigned::generate(&["localhost", "127.0.0.1"]).unwrap();
        let mut config = server_config();
        config.plaintext_requires_tls = true;
        config.stls = true;
        let mut options = ServerOptions::new(config);
        options.tls = Some(certificate.server_config().unwrap().into());
        let server = start(options).await;

        let mut client_options = tls_options(&certificate);
        client_options.stls = true;
        let mut client = Pop3Client::connect(server.address, "localhost", &client_options)
            .await
            .unwrap();
        assert!(client.is_tls());
        assert!(!client.capabilities().unwrap().has_stls());
        assert!(client.capabilities().unwrap().contains("USER"));
        client.login(USER, PASSWORD).await.unwrap();
        let fetched = fetch_all(&mut client).await;
        assert_eq!(fetched[3], messages()[3].1);
        client.quit().await.unwrap();

        // A certificate the client does not trust ends the session.
        let other = SelfSigned::generate(&["localhost"]).unwrap();
        let mut untrusting = tls_options(&other);
        untrusting.stls = true;
        let error = Pop3Client::connect(server.address, "localhost", &untrusting)
            .await
            .unwrap_err();
        // The handshake fails on the certificate itself, not on any I/O error.
        let ClientError::Io(error) = error else {
            panic!("{error:?}")
        };
        assert!(
            matches!(
                error
                    .get_ref()
                    .and_then(|e| e.downcast_ref::<rustls::Error>()),
                Some(rustls::Error::InvalidCertificate(_))
            ),
            "{error:?}"
        );
        server.stop().await;
    }

    #[tokio::test]
    async fn stls_required_but_not_offered() {
        let server = start(ServerOptions::new(server_config())).await;
        let certificate = SelfSigned::generate(&["localhost"]).unwrap();
        let mut options = tls_options(&certificate);
        options.stls = true;
        let error = Pop3Client::connect(server.address, "localhost", &options)
            .await
            .unwrap_err();
        assert!(matches!(error, ClientError::StlsUnavailable), "{error:?}");
        server.stop().await;
    }

    #[tokio::test]
    async fn implicit_tls_with_scram() {
        let certificate = SelfSigned::generate(&["localhost", "127.0.0.1"]).unwrap();
        let mut options = ServerOptions::new(server_config());
        options.tls = Some(certificate.server_config().unwrap().into());
        options.implicit_tls = true;
        let server = start(options).await;

        let mut client_options = tls_options(&certificate);
        client_options.implicit_tls = true;
        let mut client = Pop3Client::connect(server.address, "127.0.0.1", &client_options)
            .await
            .unwrap();
        assert!(client.is_tls());
        let credentials = Credentials::password(USER, PASSWORD);
        client
            .authenticate(&credentials, Some(&Mechanism::SCRAM_SHA_256))
            .await
            .unwrap();
        let fetched = fetch_all(&mut client).await;
        assert_eq!(fetched.len(), 4);
        assert_eq!(fetched[1], messages()[1].1);
        client.quit().await.unwrap();
        server.stop().await;
    }

    /// Python's poplib against the server, run by `interop/pop3.sh`:
    /// `cargo test -p mailwire-tokio --features pop3 --test pop3 --
    /// --ignored --exact tls::poplib`.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "needs python3; run by interop/pop3.sh"]
    async fn poplib() {
        let certificate = SelfSigned::generate(&["localhost", "127.0.0.1"]).unwrap();
        let mut config = server_config();
        config.stls = true;
        let mut options = ServerOptions::new(config);
        options.tls = Some(certificate.server_config().unwrap().into());
        let server = start(options).await;

        let dir = std::env::temp_dir().join(format!("mailwire-pop3-poplib-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (n, (_, data)) in messages().iter().enumerate() {
            std::fs::write(dir.join(format!("{}.eml", n + 1)), data).unwrap();
        }
        let ca_file = dir.join("ca.pem");
        std::fs::write(&ca_file, certificate.certificate_pem()).unwrap();
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../interop/pop3/poplib_check.py");
        let port = server.address.port().to_string();
        let arguments = [
            script.display().to_string(),
            port,
            USER.to_owned(),
            PASSWORD.to_owned(),
            dir.display().to_string(),
            ca_file.display().to_string(),
        ];
        let output = tokio::task::spawn_blocking(move || {
            std::process::Command::new("python3")
                .args(arguments)
                .output()
        })
        .await
        .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        server.stop().await;
        let output = output.expect("python3 runs");
        print!("{}", String::from_utf8_lossy(&output.stdout));
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success(), "poplib checks failed");
    }
}
