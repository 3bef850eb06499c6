//! Command-line flags of the mailserver example.

use std::net::SocketAddr;
use std::path::PathBuf;

pub(crate) const USAGE: &str = "\
usage: mailserver [options]

  --data-dir DIR          where mail is stored (default ./mail)
  --domain D              a local domain; repeat for several (default localhost)
  --users FILE            accounts, one 'name@domain:password' per line
                          (default: one demo account, password printed)
  --aliases FILE          aliases, one 'alias@domain: a@domain, b@domain' per line
  --smtp ADDR             SMTP listener (default 127.0.0.1:2525)
  --submission ADDR       submission listener: AUTH required, may relay
  --lmtp ADDR             LMTP listener
  --pop3 ADDR             POP3 listener (default 127.0.0.1:1110 when no
                          listener is given)
  --pop3s ADDR            POP3 listener with implicit TLS (needs TLS)
  --relay-host HOST:PORT  relay remote mail through this host instead of MX
  --relay-ca PEM          also trust this CA when relaying over TLS
  --tls-cert C --tls-key K  certificate chain and key (PEM); enables STARTTLS
                          and STLS
  --tls-self-signed       generate a self-signed certificate (local use)
  --sieve-dir DIR         one '<address>.sieve' Sieve script per account,
                          run at delivery (SMTP and LMTP)
  --junk-threshold P      file messages whose junk probability is above P
                          (0..1) into Junk, with '<maildir>/mailwire-junk.model'
  --max-message-size N    largest message in octets (default 35 MiB)
  --log LEVEL             error, warn, info (default), debug or trace
";

#[derive(Debug, Default)]
pub(crate) struct Options {
    pub(crate) data_dir: PathBuf,
    pub(crate) domains: Vec<String>,
    pub(crate) users: Option<PathBuf>,
    pub(crate) aliases: Option<PathBuf>,
    pub(crate) smtp: Option<SocketAddr>,
    pub(crate) submission: Option<SocketAddr>,
    pub(crate) lmtp: Option<SocketAddr>,
    pub(crate) pop3: Option<SocketAddr>,
    pub(crate) pop3s: Option<SocketAddr>,
    pub(crate) relay_host: Option<String>,
    pub(crate) relay_ca: Option<PathBuf>,
    pub(crate) tls_cert: Option<PathBuf>,
    pub(crate) tls_key: Option<PathBuf>,
    pub(crate) tls_self_signed: bool,
    pub(crate) max_message_size: Option<u64>,
    pub(crate) sieve_dir: Option<PathBuf>,
    pub(crate) junk_threshold: Option<f64>,
    pub(crate) log: String,
}

pub(crate) fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        data_dir: PathBuf::from("./mail"),
        log: "info".into(),
        ..Options::default()
    };
    let mut smtp_given = false;
    let mut listener_given = false;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let addr = |v: String| {
            v.parse::<SocketAddr>()
                .map_err(|e| format!("{flag}: {v}: {e}"))
        };
        if matches!(
            flag.as_str(),
            "--smtp" | "--submission" | "--lmtp" | "--pop3" | "--pop3s"
        ) {
            listener_given = true;
        }
        match flag.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                std::process::exit(0);
            }
            "--data-dir" => o.data_dir = value()?.into(),
            "--domain" => o.domains.push(value()?.to_ascii_lowercase()),
            "--users" => o.users = Some(value()?.into()),
            "--aliases" => o.aliases = Some(value()?.into()),
            "--smtp" => {
                o.smtp = Some(addr(value()?)?);
                smtp_given = true;
            }
            "--submission" => o.submission = Some(addr(value()?)?),
            "--lmtp" => o.lmtp = Some(addr(value()?)?),
            "--pop3" => o.pop3 = Some(addr(value()?)?),
            "--pop3s" => o.pop3s = Some(addr(value()?)?),
            "--relay-host" => o.relay_host = Some(value()?),
            "--relay-ca" => o.relay_ca = Some(value()?.into()),
            "--tls-cert" => o.tls_cert = Some(value()?.into()),
            "--tls-key" => o.tls_key = Some(value()?.into()),
            "--tls-self-signed" => o.tls_self_signed = true,
            "--max-message-size" => {
                let v = value()?;
                o.max_message_size = Some(v.parse().map_err(|e| format!("{flag}: {v}: {e}"))?);
            }
            "--log" => o.log = value()?,
            "--sieve-dir" => o.sieve_dir = Some(value()?.into()),
            "--junk-threshold" => {
                let v = value()?;
                let p: f64 = v.parse().map_err(|e| format!("{flag}: {v}: {e}"))?;
                if !(0.0..=1.0).contains(&p) {
                    return Err(format!("{flag}: {v}: not between 0 and 1"));
                }
                o.junk_threshold = Some(p);
            }
            other => return Err(format!("unknown argument {other}\n\n{USAGE}")),
        }
    }
    if !smtp_given {
        o.smtp = Some(SocketAddr::from(([127, 0, 0, 1], 2525)));
    }
    if !listener_given && cfg!(feature = "pop3") {
        o.pop3 = Some(SocketAddr::from(([127, 0, 0, 1], 1110)));
    }
    if o.domains.is_empty() {
        o.domains.push("localhost".into());
    }
    if o.tls_cert.is_some() != o.tls_key.is_some() {
        return Err("--tls-cert and --tls-key go together".into());
    }
    if o.pop3s.is_some() && o.tls_cert.is_none() && !o.tls_self_signed {
        return Err("--pop3s needs --tls-cert and --tls-key, or --tls-self-signed".into());
    }
    if !cfg!(feature = "pop3") && (o.pop3.is_some() || o.pop3s.is_some()) {
        return Err("built without the pop3 feature".into());
    }
    Ok(o)
}
