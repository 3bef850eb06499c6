//! Writing messages and threading them.
//!
//! - `build`: a message with a 10 MB attachment, a text body and 100
//!   recipients, written into a vector by mailwire, mail-builder and
//!   lettre's builder (throughput in output bytes per second). Each builds
//!   from values prepared outside the loop; lettre's API takes the
//!   attachment as an owned vector, so its copy is part of its cost.
//! - `thread`: RFC 5256 REFERENCES and ORDEREDSUBJECT over 100,000
//!   generated messages (threads of 1 to 40 messages, References chains,
//!   `Re:` subjects, some missing parents and duplicate identifiers).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use mailwire_message::builder::{MessageBuilder, PartBuilder, mailbox};
use mailwire_message::thread::{ThreadMessage, ordered_subject, references};

/// A small linear congruential generator: the same messages every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound
    }
}

/// Message-ID, References and subject of `n` generated messages.
fn generate(n: usize) -> Vec<(String, Vec<String>, String, i64)> {
    let mut rng = Lcg(17);
    let mut out: Vec<(String, Vec<String>, String, i64)> = Vec::with_capacity(n);
    let mut thread_start = 0;
    let mut thread = 0;
    while out.len() < n {
        let size = 1 + rng.next(40) as usize;
        for k in 0..size {
            if out.len() == n {
                break;
            }
            let id = if rng.next(500) == 0 && !out.is_empty() {
                out[rng.next(out.len() as u64) as usize].0.clone()
            } else {
                format!("{}.{}@bench.example", out.len(), rng.next(1 << 30))
            };
            let references = if k == 0 {
                Vec::new()
            } else {
                let parent = thread_start + rng.next(k as u64) as usize;
                let mut refs = out[parent].1.clone();
                if rng.next(10) != 0 {
                    refs.push(out[parent].0.clone());
                } else {
                    refs.push(format!("missing.{thread}.{k}@bench.example"));
                }
                refs
            };
            let subject = if k == 0 {
                format!("Topic number {thread}")
            } else {
                format!("Re: [list] Topic number {thread}")
            };
            let date = 1_700_000_000 + rng.next(10_000_000) as i64;
            out.push((id, references, subject, date));
        }
        thread_start = out.len();
        thread += 1;
    }
    out
}

fn thread(c: &mut Criterion) {
    let generated = generate(100_000);
    let messages: Vec<ThreadMessage<'_>> = generated
        .iter()
        .enumerate()
        .map(|(i, (id, refs, subject, date))| {
            ThreadMessage::new(i as u32 + 1, *date)
                .with_message_id(id)
                .with_references(refs.iter().map(String::as_str))
                .with_subject(subject.as_str())
        })
        .collect();
    let mut group = c.benchmark_group("thread");
    group.sample_size(10);
    group.bench_function("references/100000", |b| {
        b.iter(|| black_box(references(black_box(&messages))))
    });
    group.bench_function("orderedsubject/100000", |b| {
        b.iter(|| black_box(ordered_subject(black_box(&messages))))
    });
    group.finish();
}

fn build(c: &mut Criterion) {
    let mut rng = Lcg(3);
    let attachment: Vec<u8> = (0..10_000_000).map(|_| rng.next(256) as u8).collect();
    let names: Vec<(String, String)> = (0..100)
        .map(|i| {
            (
                format!("Recipient Number {i}"),
                format!("recipient.{i}@example.org"),
            )
        })
        .collect();
    let text = "Hello,\nplease find the report attached.\n".repeat(20);
    let subject = "Quarterly report with figures and appendices";

    let ours: Vec<_> = names
        .iter()
        .map(|(n, a)| mailbox(&format!("{n} <{a}>")).unwrap())
        .collect();
    let build_ours = || {
        let mut builder = MessageBuilder::new()
            .from(mailbox("Sender Name <sender@example.org>").unwrap())
            .subject(subject);
        for m in &ours {
            builder = builder.to(m.clone());
        }
        let mut out = Vec::with_capacity(14_000_000);
        builder
            .text(text.as_str())
            .attachment(
                PartBuilder::bytes("application/octet-stream", attachment.as_slice())
                    .attachment("report.bin"),
            )
            .write_to(&mut out)
            .unwrap();
        out
    };
    let build_mail_builder = || {
        let to: Vec<(&str, &str)> = names
            .iter()
            .map(|(n, a)| (n.as_str(), a.as_str()))
            .collect();
        let mut out = Vec::with_capacity(14_000_000);
        mail_builder::MessageBuilder::new()
            .from(("Sender Name", "sender@example.org"))
            .to(to)
            .subject(subject)
            .text_body(text.as_str())
            .attachment(
                "application/octet-stream",
                "report.bin",
                attachment.as_slice(),
            )
            .write_to(&mut out)
            .unwrap();
        out
    };
    let lettre_to: Vec<lettre::message::Mailbox> = names
        .iter()
        .map(|(n, a)| format!("{n} <{a}>").parse().unwrap())
        .collect();
    let build_lettre = || {
        use lettre::message::header::ContentType;
        use lettre::message::{Attachment, MultiPart, SinglePart};
        let mut builder = lettre::Message::builder()
            .from("Sender Name <sender@example.org>".parse().unwrap())
            .subject(subject);
        for m in &lettre_to {
            builder = builder.to(m.clone());
        }
        let message = builder
            .multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(text.clone()))
                    .singlepart(Attachment::new("report.bin".to_owned()).body(
                        attachment.clone(),
                        ContentType::parse("application/octet-stream").unwrap(),
                    )),
            )
            .unwrap();
        message.formatted()
    };
    // Each output must parse back to the same attachment.
    for out in [build_ours(), build_mail_builder(), build_lettre()] {
        let parsed = mailwire_message::parse(&out);
        let leaves: Vec<_> = parsed.root().leaves().collect();
        assert_eq!(
            leaves.last().unwrap().decoded_body().0.as_ref(),
            attachment.as_slice()
        );
        assert_eq!(parsed.header().to().unwrap().mailboxes().count(), 100);
    }
    let size = build_ours().len() as u64;
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(size));
    group.bench_function("mailwire/10MB+100rcpt", |b| {
        b.iter(|| black_box(build_ours()))
    });
    group.bench_function("mail-builder/10MB+100rcpt", |b| {
        b.iter(|| black_box(build_mail_builder()))
    });
    group.bench_function("lettre/10MB+100rcpt", |b| {
        b.iter(|| black_box(build_lettre()))
    });
    group.finish();
}

fn main() {
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    build(&mut criterion);
    thread(&mut criterion);
    criterion.final_summary();
}
