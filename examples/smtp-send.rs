//! Sends one message over SMTP or LMTP and prints each recipient's outcome.
//!
//! ```text
//! cargo run --example smtp-send -- [--server HOST:PORT | --mx] [--starttls|--tls]
//!     [--ca-file PEM] [--auth USER:PASS] [--mech NAME] [--lmtp]
//!     [--notify LIST] [--ret full|hdrs] [--no-chunking] [--no-pipelining]
//!     --from ADDR --to ADDR... [FILE]
//! ```
//!
//! FILE (or standard input) is sent as it is, with line endings made CRLF.
//! Certificates are verified against the system roots plus `--ca-file`;
//! there is no way to skip verification. The exit code is 1 if any
//! recipient failed, 2 for a usage error, 3 if the session failed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

use mailwire_sasl::Credentials;
use mailwire_smtp::client::{ClientConfig, Envelope, TlsPolicy};
use mailwire_smtp::{
    BodyType, ForwardPath, Host, Mechanism, Notify, RcptParameters, Ret, ReversePath,
};
use mailwire_tokio::smtp::client::{ClientOptions, SmtpClient};
use tokio::io::AsyncReadExt;

const USAGE: &str = "\
usage: smtp-send [--server HOST:PORT | --mx] [--starttls|--tls] [--ca-file PEM]
                 [--auth USER:PASS] [--mech NAME] [--lmtp] [--helo NAME]
                 [--notify SUCCESS,FAILURE,DELAY|NEVER] [--ret full|hdrs]
                 [--no-chunking] [--no-pipelining]
                 --from ADDR --to ADDR [--to ADDR...] [FILE]
";

#[derive(Debug, Default)]
struct Options {
    server: Option<String>,
    mx: bool,
    starttls: bool,
    tls: bool,
    ca_files: Vec<PathBuf>,
    auth: Option<(String, String)>,
    mech: Option<String>,
    lmtp: bool,
    helo: Option<String>,
    notify: Option<Notify>,
    ret: Option<Ret>,
    no_chunking: bool,
    no_pipelining: bool,
    from: Option<String>,
    to: Vec<String>,
    file: Option<PathBuf>,
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
            "--mx" => o.mx = true,
            "--starttls" => o.starttls = true,
            "--tls" => o.tls = true,
            "--ca-file" => o.ca_files.push(value()?.into()),
            "--auth" => {
                let v = value()?;
                let (user, pass) = v.split_once(':').ok_or("--auth takes USER:PASS")?;
                o.auth = Some((user.to_owned(), pass.to_owned()));
            }
            "--mech" => o.mech = Some(value()?.to_ascii_uppercase()),
            "--lmtp" => o.lmtp = true,
            "--helo" => o.helo = Some(value()?),
            "--notify" => {
                let v = value()?.to_ascii_uppercase();
                let has = |w: &str| v.split(',').any(|x| x.trim() == w);
                o.notify = if has("NEVER") {
                    Some(Notify::NEVER)
                } else {
                    Notify::on(has("SUCCESS"), has("FAILURE"), has("DELAY"))
                };
                if o.notify.is_none() {
                    return Err(format!("--notify: {v}"));
                }
            }
            "--ret" => {
                o.ret = Some(match value()?.to_ascii_lowercase().as_str() {
                    "full" => Ret::Full,
                    "hdrs" => Ret::Headers,
                    other => return Err(format!("--ret: {other}")),
                });
            }
            "--no-chunking" => o.no_chunking = true,
            "--no-pipelining" => o.no_pipelining = true,
            "--from" => o.from = Some(value()?),
            "--to" => o.to.push(value()?),
            s if s.starts_with('-') && s != "-" => return Err(format!("unknown option {s}")),
            file => {
                if file != "-" {
                    o.file = Some(file.into());
                }
            }
        }
    }
    if o.server.is_some() == o.mx {
        return Err("give one of --server HOST:PORT and --mx".into());
    }
    if o.starttls && o.tls {
        return Err("--starttls and --tls exclude each other".into());
    }
    if o.to.is_empty() || o.from.is_none() {
        return Err("--from and at least one --to are needed".into());
    }
    Ok(o)
}

fn bracketed(address: &str) -> String {
    if address.starts_with('<') {
        address.to_owned()
    } else {
        format!("<{address}>")
    }
}

/// Where to connect: `(host:port, host)` pairs, best first.
async fn targets(options: &Options) -> Result<Vec<(String, String)>, String> {
    if let Some(server) = &options.server {
        let host = server
            .rsplit_once(':')
            .map_or(server.as_str(), |(h, _)| h)
            .trim_matches(['[', ']'])
            .to_owned();
        return Ok(vec![(server.clone(), host)]);
    }
    let domain = options.to[0]
        .trim_matches(['<', '>'])
        .rsplit_once('@')
        .map(|(_, d)| d.to_owned())
        .ok_or("--mx needs a recipient with a domain")?;
    mx_targets(&domain).await
}

#[cfg(feature = "mx")]
async fn mx_targets(domain: &str) -> Result<Vec<(String, String)>, String> {
    let resolver = match std::env::var("SMTP_SEND_NAMESERVER") {
        Ok(server) => mailwire_tokio::mx::MxResolver::with_name_server(
            server
                .parse()
                .map_err(|e| format!("SMTP_SEND_NAMESERVER={server}: {e}"))?,
        ),
        Err(_) => mailwire_tokio::mx::MxResolver::system().map_err(|e| e.to_string())?,
    };
    let port = std::env::var("SMTP_SEND_MX_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(25);
    let targets = resolver
        .targets(domain, port)
        .await
        .map_err(|e| e.to_string())?;
    Ok(targets
        .into_iter()
        .map(|(address, name)| (address.to_string(), name))
        .collect())
}

#[cfg(not(feature = "mx"))]
async fn mx_targets(_domain: &str) -> Result<Vec<(String, String)>, String> {
    Err("--mx needs the `mx` feature: cargo run --features mx --example smtp-send".into())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("smtp-send: {e}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    match run(&options).await {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(e) => {
            eprintln!("smtp-send: {e}");
            std::process::exit(3);
        }
    }
}

async fn run(o: &Options) -> Result<bool, String> {
    let mut body = Vec::new();
    match &o.file {
        Some(path) => {
            body = tokio::fs::read(path)
                .await
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
        None => {
            tokio::io::stdin()
                .read_to_end(&mut body)
                .await
                .map_err(|e| format!("stdin: {e}"))?;
        }
    }
    let helo = o.helo.clone().unwrap_or_else(|| "localhost".into());
    let helo = Host::try_from(helo.as_str())
        .map(Host::into_static)
        .map_err(|e| format!("--helo {helo}: {e}"))?;
    let mut config = ClientConfig::new(helo);
    config.lmtp = o.lmtp;
    config.chunking = !o.no_chunking;
    config.pipelining = !o.no_pipelining;
    config.tls = if o.starttls {
        TlsPolicy::Required
    } else {
        TlsPolicy::Opportunistic
    };
    if let Some(mech) = &o.mech {
        let m = Mechanism::try_from(mech.as_str()).map_err(|e| format!("--mech {mech}: {e}"))?;
        config.auth_mechanisms = vec![m.into_static()];
    }
    let mut options = ClientOptions::new(config);
    options.implicit_tls = o.tls;
    let mut extra = Vec::new();
    for ca in &o.ca_files {
        extra.extend(mailwire_tokio::tls::load_certificates(ca).map_err(|e| e.to_string())?);
    }
    match mailwire_tokio::tls::client_config(true, &extra) {
        Ok(config) => options.tls = Some(config.into()),
        Err(e) if o.starttls || o.tls => return Err(e.to_string()),
        Err(_) => {}
    }
    let loopback = |host: &str| {
        host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    };
    if let Some((user, pass)) = &o.auth {
        options.credentials = Some(Credentials::password(user, pass));
    }

    let from = ReversePath::try_from(bracketed(o.from.as_deref().unwrap_or("")).as_str())
        .map_err(|e| format!("--from: {e}"))?
        .into_static();
    let mut recipients = Vec::new();
    for to in &o.to {
        let path = ForwardPath::try_from(bracketed(to).as_str())
            .map_err(|e| format!("--to {to}: {e}"))?
            .into_static();
        let parameters = RcptParameters {
            notify: o.notify,
            ..RcptParameters::default()
        };
        recipients.push((path, parameters));
    }

    let eight_bit = body.iter().any(|&b| b >= 0x80);
    let header_end = body
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .or_else(|| body.windows(2).position(|w| w == b"\n\n"))
        .unwrap_or(body.len());
    let utf8_headers = body[..header_end].iter().any(|&b| b >= 0x80);

    let mut last_error = String::from("no server to try");
    for (address, host) in targets(o).await? {
        let mut per_target = options.clone();
        per_target.allow_plaintext_auth = loopback(&host);
        let mut client = match SmtpClient::connect(address.as_str(), &host, &per_target).await {
            Ok(c) => c,
            Err(e) => {
                last_error = format!("{address}: {e}");
                eprintln!("smtp-send: {last_error}");
                continue;
            }
        };
        let caps = client.capabilities().clone();
        let mut envelope = Envelope {
            reverse_path: from.clone().into_static(),
            parameters: Default::default(),
            recipients: recipients.clone(),
        };
        envelope.parameters.size = Some(body.len() as u64);
        envelope.parameters.ret = o.ret;
        if eight_bit && caps.eight_bit_mime() {
            envelope.parameters.body = Some(BodyType::EightBitMime);
        }
        if utf8_headers && caps.smtputf8() {
            envelope.parameters.smtputf8 = true;
        }
        let extensions: Vec<&str> = caps.iter().map(|c| c.keyword()).collect();
        eprintln!(
            "smtp-send: connected to {address}{}{}; server offers {}",
            if client.is_tls() { ", TLS" } else { "" },
            if client.is_authenticated() {
                ", authenticated"
            } else {
                ""
            },
            extensions.join(" ")
        );
        let report = client
            .send(envelope, &body[..])
            .await
            .map_err(|e| format!("{address}: {e}"))?;
        let _ = client.quit().await;
        let mut all = true;
        for (index, to) in o.to.iter().enumerate() {
            let delivered = report.is_delivered(index);
            all &= delivered;
            let outcome = report
                .outcome(index)
                .map(|r| r.to_string())
                .unwrap_or_else(|| "no reply".into());
            println!(
                "{to}: {} {}",
                if delivered { "ok" } else { "failed" },
                outcome.trim_end()
            );
        }
        return Ok(all);
    }
    Err(last_error)
}
