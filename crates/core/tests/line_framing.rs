//! Known-answer, malformed-input and chunk-split tests for the line framer.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use mailwire_core::line::{BareLineEnding, LineConfig, LineEnding, LineError, LineFramer};
use proptest::prelude::*;

/// One framing outcome, owned so runs can be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Line {
        bytes: Vec<u8>,
        ending: LineEnding,
        offset: u64,
    },
    Error(LineError),
}

/// Feeds `input` split at `splits` (sorted positions) and collects every
/// outcome, plus what is left buffered at the end.
fn frame(config: LineConfig, input: &[u8], splits: &[usize]) -> (Vec<Outcome>, Vec<u8>) {
    let mut framer = LineFramer::new(config);
    let mut outcomes = Vec::new();
    let mut last = 0;
    let mut cuts: Vec<usize> = splits
        .iter()
        .copied()
        .filter(|&s| s <= input.len())
        .collect();
    cuts.push(input.len());
    for cut in cuts {
        if cut < last {
            continue;
        }
        framer.push(&input[last..cut]);
        last = cut;
        while let Some(result) = framer.next_line() {
            outcomes.push(match result {
                Ok(line) => Outcome::Line {
                    bytes: line.bytes().to_vec(),
                    ending: line.ending(),
                    offset: line.offset(),
                },
                Err(e) => Outcome::Error(e),
            });
        }
    }
    (outcomes, framer.buffered().to_vec())
}

fn whole(config: LineConfig, input: &[u8]) -> Vec<Outcome> {
    frame(config, input, &[]).0
}

fn line(bytes: &[u8], offset: u64) -> Outcome {
    Outcome::Line {
        bytes: bytes.to_vec(),
        ending: LineEnding::Crlf,
        offset,
    }
}

fn lenient() -> LineConfig {
    LineConfig::default()
        .with_bare_lf(BareLineEnding::LineEnd)
        .with_bare_cr(BareLineEnding::LineEnd)
}

/// A straightforward model of the framing rules, written independently of
/// the framer: it sees the whole input at once.
fn reference(config: LineConfig, input: &[u8]) -> Vec<Outcome> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    let mut bare_cr: Option<usize> = None;
    while i < input.len() {
        let (end, ending) = match input[i] {
            b'\n' => (i, LineEnding::Lf),
            b'\r' if i + 1 < input.len() && input[i + 1] == b'\n' => (i, LineEnding::Crlf),
            b'\r' if i + 1 < input.len() => {
                if config.bare_cr == BareLineEnding::Reject {
                    bare_cr.get_or_insert(i);
                    i += 1;
                    continue;
                }
                (i, LineEnding::Cr)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        let next = end + ending.len();
        let length = (next - start) as u64;
        if length > config.max_line_length as u64 {
            out.push(Outcome::Error(LineError::TooLong {
                offset: start as u64,
                length,
                limit: config.max_line_length,
            }));
        } else if ending == LineEnding::Lf && config.bare_lf == BareLineEnding::Reject {
            out.push(Outcome::Error(LineError::BareLf { offset: end as u64 }));
        } else if let Some(cr) = bare_cr {
            out.push(Outcome::Error(LineError::BareCr { offset: cr as u64 }));
        } else {
            out.push(Outcome::Line {
                bytes: input[start..end].to_vec(),
                ending,
                offset: start as u64,
            });
        }
        bare_cr = None;
        start = next;
        i = next;
    }
    out
}

#[test]
fn crlf_lines_with_offsets() {
    let out = whole(LineConfig::default(), b"EHLO a\r\n\r\nQUIT\r\n");
    assert_eq!(
        out,
        vec![line(b"EHLO a", 0), line(b"", 8), line(b"QUIT", 10)]
    );
}

#[test]
fn incomplete_line_is_not_an_error() {
    let (out, rest) = frame(LineConfig::default(), b"NOOP\r\nRSE", &[]);
    assert_eq!(out, vec![line(b"NOOP", 0)]);
    assert_eq!(rest, b"RSE");
}

#[test]
fn crlf_split_between_chunks() {
    let (out, _) = frame(LineConfig::default(), b"NOOP\r\nQUIT\r\n", &[5, 11]);
    assert_eq!(out, vec![line(b"NOOP", 0), line(b"QUIT", 6)]);
}

#[test]
fn bare_lf_rejected_by_default_and_skipped() {
    let out = whole(LineConfig::default(), b"MAIL FROM:<a@b>\nRCPT TO:<c@d>\r\n");
    assert_eq!(
        out,
        vec![
            Outcome::Error(LineError::BareLf { offset: 15 }),
            line(b"RCPT TO:<c@d>", 16)
        ]
    );
}

#[test]
fn bare_lf_accepted_as_line_end() {
    let config = LineConfig::default().with_bare_lf(BareLineEnding::LineEnd);
    let out = whole(config, b"a\nb\r\n");
    assert_eq!(
        out,
        vec![
            Outcome::Line {
                bytes: b"a".to_vec(),
                ending: LineEnding::Lf,
                offset: 0
            },
            line(b"b", 2)
        ]
    );
}

#[test]
fn bare_cr_rejected_by_default_at_its_offset() {
    let out = whole(LineConfig::default(), b"RCPT TO:<a@b>\rDATA\r\nNOOP\r\n");
    assert_eq!(
        out,
        vec![
            Outcome::Error(LineError::BareCr { offset: 13 }),
            line(b"NOOP", 20)
        ]
    );
}

#[test]
fn bare_cr_reports_the_first_of_several() {
    let out = whole(LineConfig::default(), b"a\rb\rc\r\n");
    assert_eq!(out, vec![Outcome::Error(LineError::BareCr { offset: 1 })]);
}

#[test]
fn bare_cr_accepted_as_line_end() {
    let config = LineConfig::default().with_bare_cr(BareLineEnding::LineEnd);
    let (out, rest) = frame(config, b"a\rb\r", &[]);
    assert_eq!(
        out,
        vec![Outcome::Line {
            bytes: b"a".to_vec(),
            ending: LineEnding::Cr,
            offset: 0
        }]
    );
    // The trailing CR may still be the first half of a CRLF.
    assert_eq!(rest, b"b\r");
}

#[test]
fn cr_at_chunk_end_waits_for_the_next_byte() {
    let config = LineConfig::default().with_bare_cr(BareLineEnding::LineEnd);
    let (out, _) = frame(config, b"a\r\nb\rc", &[2, 5]);
    assert_eq!(
        out,
        vec![
            line(b"a", 0),
            Outcome::Line {
                bytes: b"b".to_vec(),
                ending: LineEnding::Cr,
                offset: 3
            }
        ]
    );
}

#[test]
fn too_long_line_reports_length_and_resynchronises() {
    let config = LineConfig::default().with_max_line_length(10);
    let input = b"0123456789ABCDEF\r\nNOOP\r\n";
    let expected = vec![
        Outcome::Error(LineError::TooLong {
            offset: 0,
            length: 18,
            limit: 10,
        }),
        line(b"NOOP", 18),
    ];
    assert_eq!(whole(config, input), expected);
    // The same when the long line arrives byte by byte and is discarded on the way.
    let splits: Vec<usize> = (1..input.len()).collect();
    assert_eq!(frame(config, input, &splits).0, expected);
}

#[test]
fn limit_counts_the_line_ending() {
    let config = LineConfig::default().with_max_line_length(6);
    assert_eq!(whole(config, b"ABCD\r\n"), vec![line(b"ABCD", 0)]);
    assert_eq!(
        whole(config, b"ABCDE\r\n"),
        vec![Outcome::Error(LineError::TooLong {
            offset: 0,
            length: 7,
            limit: 6
        })]
    );
}

#[test]
fn too_long_line_memory_stays_bounded() {
    let config = LineConfig::default().with_max_line_length(100);
    let mut framer = LineFramer::new(config);
    let chunk = [b'x'; 4096];
    for _ in 0..1000 {
        framer.push(&chunk);
        assert!(framer.next_line().is_none());
        assert!(framer.buffered().len() <= 100 + chunk.len());
    }
    assert!(framer.is_discarding());
    framer.push(b"\r\nQUIT\r\n");
    assert_eq!(
        framer.next_line().unwrap().unwrap_err(),
        LineError::TooLong {
            offset: 0,
            length: 4096 * 1000 + 2,
            limit: 100
        }
    );
    let quit = framer.next_line().unwrap().unwrap();
    assert_eq!(
        (quit.bytes(), quit.offset()),
        (&b"QUIT"[..], 4096 * 1000 + 2)
    );
    assert!(!framer.is_discarding());
}

#[test]
fn too_long_takes_precedence_over_bare_cr_and_lf() {
    let config = LineConfig::default().with_max_line_length(4);
    assert_eq!(
        whole(config, b"ab\rcdef\n"),
        vec![Outcome::Error(LineError::TooLong {
            offset: 0,
            length: 8,
            limit: 4
        })]
    );
}

#[test]
fn tls_boundary_discards_buffered_plaintext() {
    let mut framer = LineFramer::new(LineConfig::default());
    framer.push(b"STARTTLS\r\nRSET\r\nMAIL FROM:<evil@example.org>\r\n");
    assert_eq!(framer.next_line().unwrap().unwrap().bytes(), b"STARTTLS");
    framer.clear();
    assert!(framer.next_line().is_none());
    assert!(framer.buffered().is_empty());
    framer.push(b"EHLO after-tls\r\n");
    let line = framer.next_line().unwrap().unwrap();
    assert_eq!(line.bytes(), b"EHLO after-tls");
    assert_eq!(line.offset(), 46);
}

#[test]
fn consume_hands_data_to_another_decoder() {
    let mut framer = LineFramer::new(LineConfig::default());
    framer.push(b"BDAT 3 LAST\r\nabcNOOP\r\n");
    assert_eq!(framer.next_line().unwrap().unwrap().bytes(), b"BDAT 3 LAST");
    assert_eq!(&framer.buffered()[..3], b"abc");
    framer.consume(3);
    let noop = framer.next_line().unwrap().unwrap();
    assert_eq!((noop.bytes(), noop.offset()), (&b"NOOP"[..], 16));
}

#[test]
fn byte_at_a_time_scans_each_byte_once() {
    // 1 MiB of one line, fed a byte at a time: quadratic rescanning would
    // examine ~5e11 bytes; the framer examines at most two per push.
    let config = LineConfig::default().with_max_line_length(2 << 20);
    let mut framer = LineFramer::new(config);
    let n = 1 << 20;
    for _ in 0..n {
        framer.push(b"a");
        assert!(framer.next_line().is_none());
    }
    framer.push(b"\r\n");
    assert_eq!(framer.next_line().unwrap().unwrap().bytes().len(), n);
    assert!(
        framer.bytes_scanned() <= (n as u64) + 2,
        "{}",
        framer.bytes_scanned()
    );
}

#[test]
fn cr_runs_split_everywhere_scan_linearly() {
    let config = LineConfig::default().with_max_line_length(1 << 20);
    let input = vec![b'\r'; 10_000];
    let mut framer = LineFramer::new(config);
    for b in &input {
        framer.push(std::slice::from_ref(b));
        while framer.next_line().is_some() {}
    }
    assert!(framer.bytes_scanned() <= 2 * input.len() as u64);
}

#[test]
fn valid_session_split_at_every_byte() {
    let input: &[u8] = b"EHLO client.example.org\r\nMAIL FROM:<a@example.org> SIZE=100\r\n\
        RCPT TO:<b@example.org>\r\nDATA\r\n\r\nQUIT\r\n";
    let expected = whole(LineConfig::default(), input);
    assert_eq!(expected.len(), 6);
    for cut in 0..=input.len() {
        assert_eq!(
            frame(LineConfig::default(), input, &[cut]).0,
            expected,
            "cut at {cut}"
        );
    }
    let every: Vec<usize> = (0..input.len()).collect();
    assert_eq!(frame(LineConfig::default(), input, &every).0, expected);
}

fn config_strategy() -> impl Strategy<Value = LineConfig> {
    (
        2usize..40,
        prop_oneof![Just(BareLineEnding::Reject), Just(BareLineEnding::LineEnd)],
        prop_oneof![Just(BareLineEnding::Reject), Just(BareLineEnding::LineEnd)],
    )
        .prop_map(|(max, lf, cr)| {
            LineConfig::default()
                .with_max_line_length(max)
                .with_bare_lf(lf)
                .with_bare_cr(cr)
        })
}

fn input_strategy() -> impl Strategy<Value = Vec<u8>> {
    // Mostly line-ish bytes, with CR and LF frequent enough to matter.
    proptest::collection::vec(
        prop_oneof![
            6 => Just(b'a'),
            1 => Just(b'.'),
            3 => Just(b'\r'),
            3 => Just(b'\n'),
            1 => any::<u8>(),
        ],
        0..200,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn chunking_never_changes_the_outcome(
        config in config_strategy(),
        input in input_strategy(),
        mut splits in proptest::collection::vec(0usize..200, 0..20),
    ) {
        splits.sort_unstable();
        let (split_out, split_rest) = frame(config, &input, &splits);
        let (whole_out, whole_rest) = frame(config, &input, &[]);
        prop_assert_eq!(&split_out, &whole_out);
        // Buffered leftovers may differ only by what an over-long line discarded.
        prop_assert!(whole_rest.ends_with(&split_rest) || split_rest.ends_with(&whole_rest));
    }

    #[test]
    fn framer_matches_the_reference_model(config in config_strategy(), input in input_strategy()) {
        prop_assert_eq!(whole(config, &input), reference(config, &input));
    }

    #[test]
    fn scanning_is_linear_however_split(
        input in input_strategy(),
        mut splits in proptest::collection::vec(0usize..200, 0..50),
    ) {
        splits.sort_unstable();
        splits.dedup();
        let mut framer = LineFramer::new(lenient().with_max_line_length(1000));
        let mut last = 0;
        let mut pushes = 0u64;
        for cut in splits.into_iter().filter(|&c| c <= input.len()).chain([input.len()]) {
            framer.push(&input[last..cut]);
            pushes += 1;
            last = cut;
            while framer.next_line().is_some() {}
        }
        prop_assert!(framer.bytes_scanned() <= input.len() as u64 + pushes);
    }
}
