//! Converts between an mbox file (RFC 4155) and a Maildir.
//!
//! ```text
//! cargo run --example mbox -- import FILE --maildir DIR [--mboxo]
//! cargo run --example mbox -- export --maildir DIR FILE [--mboxo]
//! ```
//!
//! `import` writes each message of FILE into DIR/new, exactly the bytes
//! between the `From ` lines, unquoted; each file is written in DIR/tmp,
//! synced, then moved into DIR/new, so a reader of the Maildir never sees
//! a partial message. `export` writes every message of DIR/cur and DIR/new
//! (in file name order) into FILE as mboxrd (mboxo with `--mboxo`); the
//! `From ` line names the `Return-Path` or `From` address and the `Date`
//! (or the file's modification time).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use mailwire_message::mbox::{MboxFormat, MboxReader, MboxWriter, from_line};

fn usage() -> ExitCode {
    eprintln!(
        "usage: mbox import FILE --maildir DIR [--mboxo]\n       mbox export --maildir DIR FILE [--mboxo]"
    );
    ExitCode::from(2)
}

fn hostname() -> String {
    let name = fs::read_to_string("/etc/hostname").unwrap_or_default();
    let name: String = name
        .trim()
        .chars()
        .map(|c| match c {
            '/' => '\\',
            ':' => '_',
            c => c,
        })
        .collect();
    if name.is_empty() {
        "localhost".into()
    } else {
        name
    }
}

/// A unique Maildir file name: `time.MmicrosPpidQcount.host`.
fn unique_name(host: &str) -> String {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    format!(
        "{}.M{:06}P{}Q{:06}.{host}",
        now.as_secs(),
        now.subsec_micros(),
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Writes `data` into `dir/tmp`, syncs it, and moves it into `dir/new`.
fn deliver(dir: &Path, host: &str, data: &[u8]) -> std::io::Result<PathBuf> {
    loop {
        let name = unique_name(host);
        let tmp = dir.join("tmp").join(&name);
        let mut file = match File::options().write(true).create_new(true).open(&tmp) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        file.write_all(data)?;
        file.sync_all()?;
        drop(file);
        let new = dir.join("new").join(&name);
        // A hard link fails rather than replace an existing file.
        fs::hard_link(&tmp, &new)?;
        fs::remove_file(&tmp)?;
        return Ok(new);
    }
}

fn import(file: &Path, maildir: &Path, format: MboxFormat) -> std::io::Result<usize> {
    for sub in ["tmp", "new", "cur"] {
        fs::create_dir_all(maildir.join(sub))?;
    }
    let host = hostname();
    let reader = MboxReader::new(BufReader::new(File::open(file)?), format);
    let mut count = 0;
    for message in reader {
        let message = message.map_err(std::io::Error::other)?;
        deliver(maildir, &host, message.data())?;
        count += 1;
    }
    File::open(maildir.join("new"))?.sync_all()?;
    Ok(count)
}

fn sender_and_date(data: &[u8], modified: SystemTime) -> (String, i64) {
    let section = mailwire_message::parse_header(data, Default::default());
    let header = &section.header;
    let return_path = header
        .get("return-path")
        .map(|f| {
            f.text()
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned()
        })
        .filter(|s| !s.is_empty());
    let sender = return_path.or_else(|| {
        header
            .from()
            .and_then(|list| list.mailboxes().next().map(|m| m.raw_address().to_owned()))
    });
    let date = header.date().map_or_else(
        || {
            modified
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        },
        |d| d.timestamp(),
    );
    (sender.unwrap_or_default(), date)
}

fn export(maildir: &Path, file: &Path, format: MboxFormat) -> std::io::Result<usize> {
    let mut paths = Vec::new();
    for sub in ["cur", "new"] {
        let dir = maildir.join(sub);
        if !dir.is_dir() {
            continue;
        }
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_type()?.is_file() && !entry.file_name().to_string_lossy().starts_with('.')
            {
                paths.push(entry.path());
            }
        }
    }
    paths.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    let mut writer = MboxWriter::new(BufWriter::new(File::create(file)?), format);
    for path in &paths {
        let data = fs::read(path)?;
        let modified = fs::metadata(path)?.modified()?;
        let (sender, date) = sender_and_date(&data, modified);
        writer
            .write_message(from_line(&sender, date).as_bytes(), &data)
            .map_err(std::io::Error::other)?;
    }
    writer
        .into_inner()
        .map_err(std::io::Error::other)?
        .into_inner()?
        .sync_all()?;
    Ok(paths.len())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let format = if args.iter().any(|a| a == "--mboxo") {
        MboxFormat::Mboxo
    } else {
        MboxFormat::Mboxrd
    };
    let args: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--mboxo")
        .collect();
    let result = match args.as_slice() {
        ["import", file, "--maildir", dir] | ["import", "--maildir", dir, file] => {
            import(Path::new(file), Path::new(dir), format)
                .map(|n| format!("imported {n} messages"))
        }
        ["export", "--maildir", dir, file] | ["export", file, "--maildir", dir] => {
            export(Path::new(dir), Path::new(file), format)
                .map(|n| format!("exported {n} messages"))
        }
        _ => return usage(),
    };
    match result {
        Ok(summary) => {
            eprintln!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("mbox: {e}");
            ExitCode::FAILURE
        }
    }
}
