//! Lists the correspondents of a Maildir or an mbox file.
//!
//! ```text
//! cargo run --example contacts -- (--maildir DIR | --mbox FILE) [--format csv|vcard]
//! ```
//!
//! Every mailbox of `From`, `Sender`, `Reply-To`, `To` and `Cc`, one per
//! address (domains compared and written lower-case), with its most used
//! display name and the number of messages it appears in, most frequent
//! first. CSV (the default) has the header `address,name,count`; vCard
//! writes one version 4.0 card per address (RFC 6350). Output goes to
//! standard output.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::fs::{self, File};
use std::io::{BufReader, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use mailwire_message::contacts::Correspondents;
use mailwire_message::mbox::{MboxFormat, MboxReader};

/// Header sections are read up to this size; bodies are not needed.
const HEADER_READ: u64 = 1 << 20;

fn usage() -> ExitCode {
    eprintln!("usage: contacts (--maildir DIR | --mbox FILE) [--format csv|vcard]");
    ExitCode::from(2)
}

fn maildir(dir: &Path, all: &mut Correspondents) -> std::io::Result<()> {
    let mut paths = Vec::new();
    for sub in ["cur", "new"] {
        let sub = dir.join(sub);
        if !sub.is_dir() {
            continue;
        }
        for entry in fs::read_dir(sub)? {
            let entry = entry?;
            if entry.file_type()?.is_file() {
                paths.push(entry.path());
            }
        }
    }
    paths.sort();
    let mut data = Vec::new();
    for path in paths {
        data.clear();
        File::open(&path)?
            .take(HEADER_READ)
            .read_to_end(&mut data)?;
        all.add_message(&data);
    }
    Ok(())
}

fn mbox(file: &Path, all: &mut Correspondents) -> std::io::Result<()> {
    let reader = MboxReader::new(BufReader::new(File::open(file)?), MboxFormat::Mboxrd);
    for message in reader {
        let message = message.map_err(std::io::Error::other)?;
        all.add_message(message.data());
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut source = None;
    let mut format = "csv".to_owned();
    let mut i = 0;
    while i < args.len() {
        match (args[i].as_str(), args.get(i + 1)) {
            ("--maildir", Some(dir)) => source = Some((true, dir.clone())),
            ("--mbox", Some(file)) => source = Some((false, file.clone())),
            ("--format", Some(f)) if f == "csv" || f == "vcard" => format = f.clone(),
            _ => return usage(),
        }
        i += 2;
    }
    let Some((is_maildir, path)) = source else {
        return usage();
    };
    let mut all = Correspondents::new();
    let read = if is_maildir {
        maildir(Path::new(&path), &mut all)
    } else {
        mbox(Path::new(&path), &mut all)
    };
    if let Err(e) = read {
        eprintln!("contacts: {path}: {e}");
        return ExitCode::FAILURE;
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = if format == "vcard" {
        all.write_vcard(&mut out)
    } else {
        all.write_csv(&mut out)
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("contacts: {e}");
            ExitCode::FAILURE
        }
    }
}
