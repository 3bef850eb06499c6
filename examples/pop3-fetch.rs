//! Downloads every message of a POP3 maildrop and prints a line per
//! message.
//!
//! ```text
//! cargo run --example pop3-fetch -- --server HOST:PORT [--stls|--tls]
//!     [--ca-file PEM] --user USER --pass PASSWORD [--mech NAME]
//!     [--delete] [--top LINES] [--out DIR]
//! ```
//!
//! - `--mech NAME` authenticates with that SASL mechanism (`PLAIN`,
//!   `LOGIN`, `CRAM-MD5`, `SCRAM-SHA-1`, `SCRAM-SHA-256`, ...); `--mech
//!   USER` forces `USER`/`PASS`. Without it the strongest mechanism the
//!   server offers is used, else `USER`/`PASS`. Passwords go out without
//!   TLS only to a loopback address.
//! - `--out DIR` saves each message as it arrived (CRLF line endings):
//!   into a Maildir's `new/` when DIR has `cur`, `new` and `tmp`, else as
//!   one file per unique-id (`/`, `%` and a leading `.` written as `%XX`).
//! - `--top LINES` fetches the header and LINES body lines with `TOP`
//!   instead of the whole message with `RETR`.
//! - `--delete` marks each message once saved; the server removes them at
//!   `QUIT`.
//!
//! Each line printed is `NUMBER UIDL OCTETS [PATH]`. Certificates are
//! verified against the system roots plus `--ca-file`; there is no way to
//! skip verification. The exit code is 1 if a message's size differs from
//! its `LIST` size, 2 for a usage error, 3 if the session failed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use mailwire_pop3::client::ClientConfig;
use mailwire_sasl::{Credentials, Mechanism};
use mailwire_tokio::pop3::client::{ClientOptions, Pop3Client};

const USAGE: &str = "\
usage: pop3-fetch --server HOST:PORT [--stls|--tls] [--ca-file PEM]
                  --user USER --pass PASSWORD [--mech NAME|USER]
                  [--delete] [--top LINES] [--out DIR]
";

#[derive(Debug, Default)]
struct Options {
    server: Option<String>,
    stls: bool,
    tls: bool,
    ca_files: Vec<PathBuf>,
    user: Option<String>,
    pass: Option<String>,
    mech: Option<String>,
    delete: bool,
    top: Option<u32>,
    out: Option<PathBuf>,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                std::process::exit(0);
            }
            "--server" => o.server = Some(value()?),
            "--stls" => o.stls = true,
            "--tls" => o.tls = true,
            "--ca-file" => o.ca_files.push(value()?.into()),
            "--user" => o.user = Some(value()?),
            "--pass" => o.pass = Some(value()?),
            "--mech" => o.mech = Some(value()?.to_ascii_uppercase()),
            "--delete" => o.delete = true,
            "--top" => {
                let v = value()?;
                o.top = Some(v.parse().map_err(|_| format!("--top {v}: not a number"))?);
            }
            "--out" => o.out = Some(value()?.into()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if o.server.is_none() || o.user.is_none() || o.pass.is_none() {
        return Err("--server, --user and --pass are needed".into());
    }
    if o.stls && o.tls {
        return Err("--stls and --tls exclude each other".into());
    }
    Ok(o)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("pop3-fetch: {e}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    match run(&options).await {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(e) => {
            eprintln!("pop3-fetch: {e}");
            std::process::exit(3);
        }
    }
}

/// Where messages go.
enum Sink {
    None,
    Maildir(PathBuf),
    Files(PathBuf),
}

impl Sink {
    fn new(out: Option<&Path>) -> Result<Self, String> {
        let Some(dir) = out else {
            return Ok(Sink::None);
        };
        let is_maildir = ["cur", "new", "tmp"].iter().all(|d| dir.join(d).is_dir());
        if is_maildir {
            return Ok(Sink::Maildir(dir.to_owned()));
        }
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Sink::Files(dir.to_owned()))
    }

    /// Where the message goes, and the temporary path to write it first.
    fn paths(&self, number: u32, uid: &str) -> Option<(PathBuf, PathBuf)> {
        match self {
            Sink::None => None,
            Sink::Maildir(dir) => {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default();
                let name = format!(
                    "{}.M{}P{}Q{number}.pop3-fetch",
                    now.as_secs(),
                    now.subsec_micros(),
                    std::process::id()
                );
                Some((dir.join("new").join(&name), dir.join("tmp").join(&name)))
            }
            Sink::Files(dir) => {
                let name = file_name(uid);
                Some((dir.join(&name), dir.join(format!(".{name}.part"))))
            }
        }
    }
}

/// A unique-id as a file name: `/`, `%` and a leading `.` as `%XX`.
fn file_name(uid: &str) -> String {
    let mut name = String::with_capacity(uid.len());
    for (i, c) in uid.chars().enumerate() {
        match c {
            '/' | '%' => name.push_str(&format!("%{:02X}", c as u32)),
            '.' if i == 0 => name.push_str("%2E"),
            c => name.push(c),
        }
    }
    name
}

async fn run(o: &Options) -> Result<bool, String> {
    let server = o.server.as_deref().unwrap_or_default();
    let host = server
        .rsplit_once(':')
        .map_or(server, |(h, _)| h)
        .trim_matches(['[', ']'])
        .to_owned();
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    let mut config = ClientConfig::new();
    config.allow_plaintext_without_tls = loopback;
    let mut options = ClientOptions::new(config);
    options.implicit_tls = o.tls;
    options.stls = o.stls;
    let mut extra = Vec::new();
    for ca in &o.ca_files {
        extra.extend(mailwire_tokio::tls::load_certificates(ca).map_err(|e| e.to_string())?);
    }
    match mailwire_tokio::tls::client_config(true, &extra) {
        Ok(config) => options.tls = Some(config.into()),
        Err(e) if o.stls || o.tls => return Err(e.to_string()),
        Err(_) => {}
    }
    let sink = Sink::new(o.out.as_deref())?;

    let mut client = Pop3Client::connect(server, &host, &options)
        .await
        .map_err(|e| format!("{server}: {e}"))?;
    let user = o.user.as_deref().unwrap_or_default();
    let pass = o.pass.as_deref().unwrap_or_default();
    let offered = client
        .capabilities()
        .map(|c| c.sasl_mechanisms())
        .unwrap_or_default();
    let how = match o.mech.as_deref() {
        Some("USER") => {
            client.login(user, pass).await.map_err(|e| e.to_string())?;
            "USER/PASS".to_owned()
        }
        Some(name) => {
            let mechanism = Mechanism::new(name).map_err(|e| format!("--mech {name}: {e}"))?;
            let credentials = Credentials::password(user, pass);
            let used = client
                .authenticate(&credentials, Some(&mechanism))
                .await
                .map_err(|e| e.to_string())?;
            format!("AUTH {used}")
        }
        None if !offered.is_empty() => {
            let credentials = Credentials::password(user, pass);
            match client.authenticate(&credentials, None).await {
                Ok(used) => format!("AUTH {used}"),
                Err(mailwire_tokio::pop3::client::ClientError::AuthUnavailable) => {
                    client.login(user, pass).await.map_err(|e| e.to_string())?;
                    "USER/PASS".to_owned()
                }
                Err(e) => return Err(e.to_string()),
            }
        }
        None => {
            client.login(user, pass).await.map_err(|e| e.to_string())?;
            "USER/PASS".to_owned()
        }
    };
    let drop_listing = client.stat().await.map_err(|e| e.to_string())?;
    eprintln!(
        "pop3-fetch: {server}{}, {how}: {} messages, {} octets",
        client
            .tls_description()
            .map(|t| format!(" ({t})"))
            .unwrap_or_default(),
        drop_listing.messages,
        drop_listing.size
    );
    let sizes: HashMap<u32, u64> = client
        .list()
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|l| (l.message, l.size))
        .collect();
    let listings = client.uidl().await.map_err(|e| e.to_string())?;
    let mut sizes_match = true;
    for listing in &listings {
        let number = listing.message;
        let uid = listing.uid.as_str();
        let paths = sink.paths(number, uid);
        // Streamed to the file as it arrives: memory stays bounded.
        let mut file: Box<dyn tokio::io::AsyncWrite + Unpin> = match &paths {
            Some((_, temporary)) => Box::new(
                tokio::fs::File::create(temporary)
                    .await
                    .map_err(|e| format!("{}: {e}", temporary.display()))?,
            ),
            None => Box::new(tokio::io::sink()),
        };
        let size = match o.top {
            Some(lines) => client.top(number, lines, &mut file).await,
            None => client.retr(number, &mut file).await,
        }
        .map_err(|e| format!("message {number}: {e}"))?;
        drop(file);
        if o.top.is_none() && sizes.get(&number) != Some(&size) {
            sizes_match = false;
            eprintln!(
                "pop3-fetch: message {number}: {size} octets received, LIST said {:?}",
                sizes.get(&number)
            );
        }
        let mut line = format!("{number} {uid} {size}");
        if let Some((path, temporary)) = paths {
            tokio::fs::rename(&temporary, &path)
                .await
                .map_err(|e| format!("{}: {e}", path.display()))?;
            line.push(' ');
            line.push_str(&path.display().to_string());
        }
        println!("{line}");
        if o.delete {
            client
                .dele(number)
                .await
                .map_err(|e| format!("message {number}: {e}"))?;
        }
    }
    client.quit().await.map_err(|e| e.to_string())?;
    Ok(sizes_match)
}
