//! MX resolution against a DNS server on loopback: Debian's `dnsmasq`,
//! started by the test with MX and address records, stopped at its end.
//!
//! Without `dnsmasq` installed the test is skipped, unless
//! `MAILWIRE_TEST_DNSMASQ=required` (as `interop/run.sh` sets).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use mailwire_smtp::mx::MxError;
use mailwire_tokio::mx::{MxLookupError, MxResolver};

/// A dnsmasq child, killed on drop.
struct Dnsmasq(Child);

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn dnsmasq_path() -> Option<&'static str> {
    ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq", "/sbin/dnsmasq"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
}

fn free_port() -> u16 {
    // A port free for both UDP and TCP at this moment.
    for _ in 0..50 {
        let udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let port = udp.local_addr().unwrap().port();
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port");
}

fn start_dnsmasq() -> Option<(Dnsmasq, SocketAddr)> {
    let Some(path) = dnsmasq_path() else {
        assert!(
            std::env::var("MAILWIRE_TEST_DNSMASQ").as_deref() != Ok("required"),
            "dnsmasq is required but not installed"
        );
        eprintln!("dnsmasq not installed: MX tests skipped");
        return None;
    };
    let port = free_port();
    let mut command = Command::new(path);
    command.args([
        "--keep-in-foreground",
        &format!("--port={port}"),
        "--listen-address=127.0.0.1",
        "--bind-interfaces",
        "--no-resolv",
        "--no-hosts",
        "--pid-file=",
        "--mx-host=mail.test,backup.mail.test,20",
        "--mx-host=mail.test,primary.mail.test,10",
        "--host-record=primary.mail.test,127.0.0.2",
        "--host-record=backup.mail.test,127.0.0.3",
        "--mx-host=null.test,.,0",
        "--host-record=implicit.test,127.0.0.4",
        "--address=/nxdomain.test/",
    ]);
    if std::env::var("USER").as_deref() == Ok("root") || is_root() {
        command.arg("--user=nobody");
    }
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let guard = Dnsmasq(child);
    // Wait until it answers on TCP (bounded).
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some((guard, SocketAddr::from(([127, 0, 0, 1], port))));
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("dnsmasq did not start");
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

#[tokio::test]
async fn mx_records_are_ordered_and_resolved() {
    let Some((_dnsmasq, server)) = start_dnsmasq() else {
        return;
    };
    let resolver = MxResolver::with_name_server(server);

    let exchangers = resolver.exchangers("mail.test").await.unwrap();
    let names: Vec<&str> = exchangers.iter().map(|t| t.exchange.as_str()).collect();
    assert_eq!(names, ["primary.mail.test", "backup.mail.test"]);
    let targets = resolver.targets("mail.test", 2525).await.unwrap();
    assert_eq!(
        targets,
        [
            (
                "127.0.0.2:2525".parse().unwrap(),
                "primary.mail.test".into()
            ),
            ("127.0.0.3:2525".parse().unwrap(), "backup.mail.test".into()),
        ]
    );

    // RFC 5321 §5.1: a host among the exchanges drops those no better.
    let local =
        MxResolver::with_name_server(server).with_local_names(vec!["backup.mail.test".into()]);
    let names: Vec<String> = local
        .exchangers("mail.test")
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.exchange)
        .collect();
    assert_eq!(names, ["primary.mail.test"]);

    // No MX: the domain itself, an implicit MX.
    let implicit = resolver.targets("implicit.test", 25).await.unwrap();
    assert_eq!(
        implicit,
        [("127.0.0.4:25".parse().unwrap(), "implicit.test".into())]
    );

    // RFC 7505: a null MX accepts no mail.
    match resolver.exchangers("null.test").await {
        Err(MxLookupError::Mx(MxError::NullMx)) => {}
        other => panic!("{other:?}"),
    }

    // A domain that does not exist (NXDOMAIN) is a permanent failure, told
    // apart from a domain without MX records.
    match resolver.exchangers("nxdomain.test").await {
        Err(MxLookupError::NoSuchDomain(domain)) => assert_eq!(domain, "nxdomain.test"),
        other => panic!("{other:?}"),
    }
    match resolver.targets("nxdomain.test", 25).await {
        Err(MxLookupError::NoSuchDomain(domain)) => assert_eq!(domain, "nxdomain.test"),
        other => panic!("{other:?}"),
    }
}
