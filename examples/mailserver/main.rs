//! A small mail server: SMTP, submission and LMTP into Maildirs, and POP3
//! out of them.
//!
//! ```text
//! cargo run --example mailserver
//! ```
//!
//! starts with an embedded default: data in `./mail`, domain `localhost`,
//! one demo account whose password is printed, SMTP on 127.0.0.1:2525 and
//! POP3 on 127.0.0.1:1110.
//!
//! Mail for a local account lands in `DIR/<domain>/<user>/Maildir/new`,
//! byte for byte as the client sent it, written to `tmp`, fsynced, then
//! renamed into `new` before the client gets its `250`; a message for
//! several accounts is written once and hard-linked. Each Maildir is a
//! mailwire-maildir store, compatible with Dovecot: UIDs in
//! `dovecot-uidlist`, flags in file names, Maildir++ folders. Aliases expand;
//! unknown local recipients get `550 5.1.1`; remote recipients need AUTH
//! (`554 5.7.1` otherwise) and are relayed at once, through
//! `--relay-host` or the domain's mail exchangers, before the reply.
//!
//! Every protocol takes the same login: the account's full address
//! (`alice@example.org`), or its local part alone when only one domain
//! has it; SCRAM keys are derived once, at start-up.
//!
//! POP3 (`--pop3`, `--pop3s` for implicit TLS) serves each account's
//! INBOX. Opening the maildrop locks it (a second session gets
//! `-ERR [IN-USE]`), creates the SPECIAL-USE mailboxes on a first login
//! and moves what is in `new` to `cur`; the unique-id is Dovecot's default
//! (UID and UIDVALIDITY, eight hexadecimal digits each), sizes are the
//! CRLF sizes kept in the file names, and messages marked with `DELE` are
//! expunged after `QUIT`. `STLS` is offered when TLS is configured,
//! and then (or off loopback) required before a password.
//!
//! With `--sieve-dir DIR`, each account's `DIR/<address>.sieve` (RFC 5228,
//! compiled at start-up) runs at SMTP and LMTP delivery; `+` is the
//! recipient delimiter (`alice+shop@…` goes to alice, the detail is
//! `shop`). `--junk-threshold P` files what the account's junk model
//! scores above `P` into `Junk`. See `filter.rs` for what is pending.
//!
//! Run with `--help` for the flags.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod accounts;
mod args;
mod filter;
#[cfg(feature = "pop3")]
mod pop3;
mod smtp;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use mailwire_smtp::Domain;
use mailwire_smtp::server::ServerMode;

use accounts::Directory;
use args::{Options, parse_args};

/// What every listener shares.
pub(crate) struct Shared {
    pub(crate) directory: Directory,
    pub(crate) data_dir: PathBuf,
    pub(crate) hostname: String,
    pub(crate) relay_host: Option<String>,
    pub(crate) relay_tls: Option<mailwire_tokio::tls::TlsConnector>,
    pub(crate) filters: filter::Filters,
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().replace(['/', ':'], "_"))
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

fn demo_password() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::new();
    for i in 0..2u64 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i);
        h.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos(),
        );
        out.push_str(&format!("{:012x}", h.finish() & 0xffff_ffff_ffff));
    }
    out
}

#[tokio::main]
async fn main() {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("mailserver: {e}");
            std::process::exit(2);
        }
    };
    let level: tracing::Level = options.log.parse().unwrap_or(tracing::Level::INFO);
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    if let Err(e) = run(options).await {
        eprintln!("mailserver: {e}");
        std::process::exit(1);
    }
}

async fn run(options: Options) -> Result<(), String> {
    let mut directory = Directory::new(options.domains.clone());
    match &options.users {
        Some(path) => directory.load_users(path)?,
        None => {
            let account = format!("demo@{}", directory.domains[0]);
            let password = demo_password();
            println!("demo account: {account} password: {password}");
            directory.add_user(&account, &password);
        }
    }
    if let Some(path) = &options.aliases {
        directory.load_aliases(path)?;
    }
    std::fs::create_dir_all(&options.data_dir)
        .map_err(|e| format!("{}: {e}", options.data_dir.display()))?;
    let data_dir = options.data_dir.clone();
    directory = tokio::task::spawn_blocking(move || directory.open(&data_dir).map(|()| directory))
        .await
        .map_err(|e| e.to_string())??;
    let filters =
        filter::Filters::load(options.sieve_dir.as_deref(), options.junk_threshold, |a| {
            directory.store(a).is_some()
        })?;
    if options.sieve_dir.is_some() {
        println!("sieve scripts: {}", filters.scripts());
    }
    let server_name = directory.domains[0].clone();
    let tls = if let (Some(cert), Some(key)) = (&options.tls_cert, &options.tls_key) {
        Some(mailwire_tokio::tls::server_config_from_pem(cert, key).map_err(|e| e.to_string())?)
    } else if options.tls_self_signed {
        let mut names: Vec<&str> = directory.domains.iter().map(String::as_str).collect();
        names.extend(["localhost", "127.0.0.1", "::1"]);
        names.dedup();
        let generated =
            mailwire_tokio::tls::SelfSigned::generate(&names).map_err(|e| e.to_string())?;
        let path = options.data_dir.join("self-signed.pem");
        std::fs::write(&path, generated.certificate_pem()).map_err(|e| e.to_string())?;
        println!("self-signed certificate: {}", path.display());
        Some(generated.server_config().map_err(|e| e.to_string())?)
    } else {
        None
    };
    let relay_tls = {
        let mut extra = Vec::new();
        if let Some(ca) = &options.relay_ca {
            extra = mailwire_tokio::tls::load_certificates(ca).map_err(|e| e.to_string())?;
        }
        mailwire_tokio::tls::client_config(true, &extra)
            .ok()
            .map(mailwire_tokio::tls::TlsConnector::from)
    };
    let shared = Arc::new(Shared {
        directory,
        data_dir: options.data_dir.clone(),
        hostname: hostname(),
        relay_host: options.relay_host.clone(),
        relay_tls,
        filters,
    });
    let domain = Domain::try_from(server_name.as_str())
        .map(Domain::into_static)
        .map_err(|e| format!("{server_name}: {e}"))?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut servers = tokio::task::JoinSet::new();
    let listeners = [
        (options.smtp, ServerMode::Smtp, "SMTP"),
        (options.submission, ServerMode::Submission, "submission"),
        (options.lmtp, ServerMode::Lmtp, "LMTP"),
    ];
    smtp::spawn(
        &mut servers,
        &shared,
        &domain,
        tls.as_ref(),
        options.max_message_size,
        listeners,
        &stopped,
    )
    .await?;
    #[cfg(feature = "pop3")]
    pop3::spawn(
        &mut servers,
        &shared,
        tls.clone().map(mailwire_tokio::tls::TlsAcceptor::from),
        [(options.pop3, false), (options.pop3s, true)],
        &stopped,
    )
    .await?;
    println!("mail is stored under {}", options.data_dir.display());
    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("interrupted, stopping"),
        _ = terminate() => tracing::info!("terminated, stopping"),
        Some(r) = servers.join_next() => {
            if let Ok(Err(e)) = r {
                tracing::error!(error = %e, "listener failed");
            }
        }
    }
    let _ = stop.send(true);
    while servers.join_next().await.is_some() {}
    Ok(())
}

#[cfg(unix)]
async fn terminate() {
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(mut s) => {
            s.recv().await;
        }
        Err(_) => std::future::pending().await,
    }
}

#[cfg(not(unix))]
async fn terminate() {
    std::future::pending().await
}
