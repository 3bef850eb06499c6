//! Every corpus message re-emits byte for byte, parses the same whole and
//! streamed (split at every byte and at random), and decodes the same.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

use mailwire_message::limits::Limits;
use mailwire_message::stream::{Event, StreamParser, parse_chunks};
use mailwire_message::{Body, Part, parse};

fn corpus() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files = Vec::new();
    for dir in ["python", "mailwire"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            files.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    files.sort();
    assert!(files.len() >= 80, "corpus has {} files", files.len());
    files
}

#[test]
fn every_file_reemits_byte_for_byte() {
    for (name, input) in corpus() {
        let message = parse(&input);
        assert_eq!(message.to_bytes(), input, "{name}");
        assert_eq!(
            message.clone().into_owned().to_bytes(),
            input,
            "{name} (owned)"
        );
        for leaf in message.root().leaves() {
            assert_eq!(
                leaf.is_text(),
                leaf.content_type().media_type() == "text",
                "{name}"
            );
        }
    }
}

/// A small deterministic generator, so that failures reproduce.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

#[test]
fn streaming_equals_whole_on_random_splits() {
    let mut rng = Lcg(7);
    for (name, input) in corpus() {
        let whole = parse(&input);
        for round in 0..20 {
            let mut chunks = Vec::new();
            let mut rest = &input[..];
            while !rest.is_empty() {
                let max = if round % 2 == 0 { 8 } else { 300 };
                let n = 1 + rng.next(max).min(rest.len() - 1);
                chunks.push(&rest[..n]);
                rest = &rest[n..];
            }
            let streamed = parse_chunks(chunks.iter().copied(), Limits::default());
            assert_eq!(streamed, whole, "{name} round {round}");
        }
        let bytes = parse_chunks(input.chunks(1), Limits::default());
        assert_eq!(bytes, whole, "{name} byte by byte");
    }
}

fn decoded_leaves(part: &Part<'_>, out: &mut Vec<(Vec<u8>, usize)>) {
    for leaf in part.leaves() {
        let (bytes, defects) = leaf.decoded_body();
        out.push((bytes.into_owned(), defects.len()));
    }
}

#[test]
fn streaming_decoding_equals_whole_decoding() {
    let mut rng = Lcg(11);
    for (name, input) in corpus() {
        let whole = parse(&input);
        let mut expected = Vec::new();
        decoded_leaves(whole.root(), &mut expected);
        let mut parser = StreamParser::new(Limits::default()).with_decoding(true);
        let mut got: Vec<(Vec<u8>, usize)> = Vec::new();
        let mut current: Option<(Vec<u8>, usize)> = None;
        let handle = |event: Event<'_>,
                      current: &mut Option<(Vec<u8>, usize)>,
                      got: &mut Vec<_>| match event {
            Event::PartStart {
                body: mailwire_message::BodyKind::Leaf,
                ..
            } => *current = Some((Vec::new(), 0)),
            Event::Body { decoded, .. } => current
                .as_mut()
                .unwrap()
                .0
                .extend_from_slice(decoded.unwrap()),
            Event::Defect(d) if current.is_some() => {
                if matches!(
                    d.kind,
                    mailwire_message::defect::DefectKind::InvalidBase64Characters
                        | mailwire_message::defect::DefectKind::InvalidBase64Padding
                        | mailwire_message::defect::DefectKind::InvalidBase64Length
                        | mailwire_message::defect::DefectKind::InvalidQuotedPrintable
                ) {
                    current.as_mut().unwrap().1 += 1;
                }
            }
            Event::PartEnd { .. } => {
                if let Some(c) = current.take() {
                    got.push(c);
                }
            }
            _ => {}
        };
        let mut rest = &input[..];
        while !rest.is_empty() {
            let n = 1 + rng.next(64).min(rest.len() - 1);
            parser.push(&rest[..n]);
            rest = &rest[n..];
            while let Some(event) = parser.poll_event() {
                handle(event, &mut current, &mut got);
            }
        }
        parser.finish();
        while let Some(event) = parser.poll_event() {
            handle(event, &mut current, &mut got);
        }
        assert_eq!(got, expected, "{name}");
    }
}

#[test]
fn stream_events_cover_every_byte_once() {
    for (name, input) in corpus() {
        let mut parser = StreamParser::new(Limits::default());
        let mut rebuilt = Vec::new();
        let mut ended = false;
        for chunk in input.chunks(5) {
            parser.push(chunk);
            while let Some(event) = parser.poll_event() {
                collect(&event, &mut rebuilt);
            }
        }
        parser.finish();
        while let Some(event) = parser.poll_event() {
            ended |= event == Event::End;
            collect(&event, &mut rebuilt);
        }
        assert!(ended, "{name}");
        assert_eq!(rebuilt, input, "{name}");
    }
}

fn collect(event: &Event<'_>, out: &mut Vec<u8>) {
    match event {
        Event::HeaderField(f) => out.extend_from_slice(f.raw()),
        Event::InvalidHeaderLine { raw, .. }
        | Event::Preamble { raw, .. }
        | Event::Delimiter { raw, .. }
        | Event::Epilogue { raw, .. }
        | Event::Body { raw, .. } => out.extend_from_slice(raw),
        Event::PartStart { separator, .. } => out.extend_from_slice(separator),
        _ => {}
    }
}

#[test]
fn multipart_structure_of_the_rfc2049_example() {
    let input = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/corpus/mailwire/rfc2049-appendix-a.eml"),
    )
    .unwrap();
    let message = parse(&input);
    assert!(message.defects().is_empty(), "{:?}", message.defects());
    let types: Vec<String> = message
        .root()
        .leaves()
        .map(|p| p.content_type().essence())
        .collect();
    assert_eq!(
        types,
        [
            "text/plain",
            "text/plain",
            "audio/basic",
            "image/jpeg",
            "text/enriched",
            "text/plain"
        ]
    );
    let Body::Multipart(m) = message.root().body() else {
        panic!()
    };
    assert!(m.preamble().starts_with(b"This is the preamble area"));
    assert_eq!(m.parts().len(), 5);
    let Body::Message(inner) = m.parts()[4].body() else {
        panic!()
    };
    assert_eq!(
        inner.header().get("subject").unwrap().text(),
        "(subject in US-ASCII)"
    );
    assert_eq!(
        inner.text().0.trim(),
        "... Additional text in ISO-8859-1 goes here ... café"
    );
}
