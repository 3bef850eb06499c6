//! Known-answer tests for the dot-stuffed body decoder and encoder: every
//! SMTP smuggling variant by name, empty bodies, stuffed first lines, bare
//! CR/LF policies, and chunk-split invariance.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use mailwire_core::dot::{BareNewline, BodyError, DotDecoder, DotEncoder};
use proptest::prelude::*;

/// The result of decoding a whole input split at `splits`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Run {
    body: Vec<u8>,
    /// Input consumed, terminator included; `None` if the body never ended.
    end: Option<usize>,
    errors: Vec<BodyError>,
}

fn decode_split(policy: BareNewline, input: &[u8], splits: &[usize]) -> Run {
    let mut decoder = DotDecoder::new(policy);
    let mut body = Vec::new();
    let mut errors = Vec::new();
    let mut pos = 0;
    let mut cuts: Vec<usize> = splits
        .iter()
        .copied()
        .filter(|&c| c <= input.len())
        .collect();
    cuts.sort_unstable();
    cuts.push(input.len());
    for cut in cuts {
        if cut < pos {
            continue;
        }
        let decoded = decoder.decode(&input[pos..cut], &mut body);
        errors.extend(decoded.error);
        pos += decoded.consumed;
        if decoded.done {
            return Run {
                body,
                end: Some(pos),
                errors,
            };
        }
        assert_eq!(pos, cut, "an unfinished body consumes its whole input");
    }
    Run {
        body,
        end: None,
        errors,
    }
}

fn decode(policy: BareNewline, input: &[u8]) -> Run {
    decode_split(policy, input, &[])
}

fn ok(body: &[u8], end: usize) -> Run {
    Run {
        body: body.to_vec(),
        end: Some(end),
        errors: vec![],
    }
}

// --- The terminator -------------------------------------------------------

#[test]
fn crlf_dot_crlf_ends_the_body() {
    let input = b"Subject: x\r\n\r\nhello\r\n.\r\nQUIT\r\n";
    assert_eq!(
        decode(BareNewline::Reject, input),
        ok(b"Subject: x\r\n\r\nhello\r\n", 24)
    );
}

#[test]
fn empty_body() {
    assert_eq!(decode(BareNewline::Reject, b".\r\nQUIT\r\n"), ok(b"", 3));
}

#[test]
fn body_of_one_empty_line() {
    assert_eq!(decode(BareNewline::Reject, b"\r\n.\r\n"), ok(b"\r\n", 5));
}

#[test]
fn stuffed_first_line_is_unstuffed() {
    assert_eq!(
        decode(BareNewline::Reject, b"..hidden\r\n.\r\n"),
        ok(b".hidden\r\n", 13)
    );
}

#[test]
fn stuffed_lone_dot_line_is_data() {
    assert_eq!(
        decode(BareNewline::Reject, b"a\r\n..\r\nb\r\n.\r\n"),
        ok(b"a\r\n.\r\nb\r\n", 13)
    );
}

#[test]
fn triple_dot_loses_one() {
    assert_eq!(
        decode(BareNewline::Reject, b"...\r\n.\r\n"),
        ok(b"..\r\n", 8)
    );
}

#[test]
fn dot_inside_a_line_is_untouched() {
    assert_eq!(
        decode(BareNewline::Reject, b"a.b .\r\n.\r\n"),
        ok(b"a.b .\r\n", 10)
    );
}

#[test]
fn terminator_split_at_every_byte() {
    let input = b"line one\r\n..two\r\n.\r\nNEXT";
    let expected = ok(b"line one\r\n.two\r\n", 20);
    for a in 0..=input.len() {
        for b in a..=input.len() {
            assert_eq!(
                decode_split(BareNewline::Reject, input, &[a, b]),
                expected,
                "{a} {b}"
            );
        }
    }
}

#[test]
fn bytes_after_the_terminator_are_not_consumed() {
    let mut decoder = DotDecoder::default();
    let mut body = Vec::new();
    let d = decoder.decode(b"x\r\n.\r\nRSET\r\n", &mut body);
    assert_eq!((d.consumed, d.done), (6, true));
    // A finished decoder consumes nothing more.
    let d = decoder.decode(b"RSET\r\n", &mut body);
    assert_eq!((d.consumed, d.done), (0, true));
    assert_eq!(body, b"x\r\n");
}

// --- SMTP smuggling: near-miss terminators never end the body -------------

/// Decodes `prefix`, the smuggling sequence and a smuggled command, then the
/// real terminator, and checks the body ends only at the real one.
fn assert_not_an_end(sequence: &[u8]) -> (Run, Run) {
    let mut input = b"Subject: s\r\n\r\nbody".to_vec();
    input.extend_from_slice(sequence);
    input.extend_from_slice(b"MAIL FROM:<admin@example.org>\r\n.\r\n");
    for policy in [BareNewline::Reject, BareNewline::Normalize] {
        let run = decode(policy, &input);
        assert_eq!(
            run.end,
            Some(input.len()),
            "{policy:?}: only the real terminator ends the body"
        );
        for cut in 0..=input.len() {
            assert_eq!(
                decode_split(policy, &input, &[cut]),
                run,
                "{policy:?} cut at {cut}"
            );
        }
    }
    (
        decode(BareNewline::Reject, &input),
        decode(BareNewline::Normalize, &input),
    )
}

#[test]
fn smuggling_lf_dot_lf() {
    let (reject, normalize) = assert_not_an_end(b"\n.\n");
    assert_eq!(reject.errors, vec![BodyError::BareLf { offset: 18 }]);
    assert_eq!(reject.body, b"Subject: s\r\n\r\nbody");
    assert_eq!(
        normalize.body,
        b"Subject: s\r\n\r\nbody\r\n.\r\nMAIL FROM:<admin@example.org>\r\n"
    );
}

#[test]
fn smuggling_lf_dot_crlf() {
    let (reject, normalize) = assert_not_an_end(b"\n.\r\n");
    assert_eq!(reject.errors, vec![BodyError::BareLf { offset: 18 }]);
    assert_eq!(
        normalize.body,
        b"Subject: s\r\n\r\nbody\r\n.\r\nMAIL FROM:<admin@example.org>\r\n"
    );
}

#[test]
fn smuggling_crlf_dot_lf() {
    let (reject, normalize) = assert_not_an_end(b"\r\n.\n");
    assert_eq!(reject.errors, vec![BodyError::BareLf { offset: 21 }]);
    assert_eq!(
        normalize.body,
        b"Subject: s\r\n\r\nbody\r\n.\r\nMAIL FROM:<admin@example.org>\r\n"
    );
}

#[test]
fn smuggling_cr_dot_cr() {
    let (reject, normalize) = assert_not_an_end(b"\r.\r");
    assert_eq!(reject.errors, vec![BodyError::BareCr { offset: 18 }]);
    assert_eq!(
        normalize.body,
        b"Subject: s\r\n\r\nbody\r\n.\r\nMAIL FROM:<admin@example.org>\r\n"
    );
}

#[test]
fn smuggling_cr_dot_crlf() {
    let (reject, normalize) = assert_not_an_end(b"\r.\r\n");
    assert_eq!(reject.errors, vec![BodyError::BareCr { offset: 18 }]);
    assert_eq!(
        normalize.body,
        b"Subject: s\r\n\r\nbody\r\n.\r\nMAIL FROM:<admin@example.org>\r\n"
    );
}

#[test]
fn smuggling_crlf_dot_cr_crlf() {
    // `CRLF . CR CRLF`: the dot line ends with a bare CR, then an empty line.
    let (reject, normalize) = assert_not_an_end(b"\r\n.\r\r\n");
    assert_eq!(reject.errors, vec![BodyError::BareCr { offset: 21 }]);
    assert_eq!(
        normalize.body,
        b"Subject: s\r\n\r\nbody\r\n.\r\n\r\nMAIL FROM:<admin@example.org>\r\n"
    );
}

#[test]
fn smuggling_crlf_dot_cr_then_text() {
    let (reject, normalize) = assert_not_an_end(b"\r\n.\r");
    assert_eq!(reject.errors, vec![BodyError::BareCr { offset: 21 }]);
    assert_eq!(
        normalize.body,
        b"Subject: s\r\n\r\nbody\r\n.\r\nMAIL FROM:<admin@example.org>\r\n"
    );
}

#[test]
fn smuggling_lf_dot_cr() {
    let (reject, _) = assert_not_an_end(b"\n.\r");
    assert_eq!(reject.errors, vec![BodyError::BareLf { offset: 18 }]);
}

#[test]
fn smuggling_crlf_dot_nul_crlf() {
    // Not a near-miss at all: `.` then NUL is a stuffed-looking data line.
    let (reject, normalize) = assert_not_an_end(b"\r\n.\0\r\n");
    assert!(reject.errors.is_empty());
    assert_eq!(
        normalize.body,
        b"Subject: s\r\n\r\nbody\r\n\0\r\nMAIL FROM:<admin@example.org>\r\n"
    );
}

#[test]
fn smuggling_at_body_start() {
    for seq in [&b".\n"[..], b".\r", b".\rX"] {
        let mut input = seq.to_vec();
        input.extend_from_slice(b"\r\n.\r\n");
        let run = decode(BareNewline::Normalize, &input);
        assert_eq!(run.end, Some(input.len()), "{seq:?}");
    }
}

// --- Bare CR / LF policies ---------------------------------------------------

#[test]
fn reject_reports_first_error_once_and_drops_the_rest() {
    let run = decode(BareNewline::Reject, b"ok\r\nbad\nworse\rend\r\n.\r\n");
    assert_eq!(run.errors, vec![BodyError::BareLf { offset: 7 }]);
    assert_eq!(run.body, b"ok\r\nbad");
    assert_eq!(run.end, Some(22));
}

#[test]
fn normalize_writes_crlf_for_bare_endings() {
    let run = decode(BareNewline::Normalize, b"a\nb\rc\r\n.\r\n");
    assert_eq!(run, ok(b"a\r\nb\r\nc\r\n", 10));
}

#[test]
fn normalize_unstuffs_after_a_bare_lf() {
    let run = decode(BareNewline::Normalize, b"a\n..b\r\n.\r\n");
    assert_eq!(run, ok(b"a\r\n.b\r\n", 10));
}

#[test]
fn error_offsets_count_from_the_given_start() {
    let mut decoder = DotDecoder::with_offset(BareNewline::Reject, 1000);
    let mut body = Vec::new();
    let d = decoder.decode(b"ab\r", &mut body);
    assert_eq!(d.error, None);
    let d = decoder.decode(b"c", &mut body);
    assert_eq!(d.error, Some(BodyError::BareCr { offset: 1002 }));
    assert_eq!(decoder.offset(), 1004);
}

#[test]
fn body_error_converts_to_core_error() {
    let err: mailwire_core::Error = BodyError::BareLf { offset: 5 }.into();
    assert_eq!(err.offset(), Some(5));
}

// --- Encoder -------------------------------------------------------------------

#[test]
fn encoder_normalises_every_line_ending() {
    assert_eq!(
        DotEncoder::encode_all(b"a\rb\nc\r\nd"),
        b"a\r\nb\r\nc\r\nd\r\n.\r\n"
    );
    assert_eq!(DotEncoder::encode_all(b"a\r\r\n"), b"a\r\n\r\n.\r\n");
    assert_eq!(DotEncoder::encode_all(b"a\n\r"), b"a\r\n\r\n.\r\n");
}

#[test]
fn encoder_defuses_smuggling_payloads() {
    for payload in [
        &b"\n.\n"[..],
        b"\n.\r\n",
        b"\r.\r",
        b"\r\n.\r\r\n",
        b"\r\n.\n",
        b".\r\n",
    ] {
        let mut body = b"x".to_vec();
        body.extend_from_slice(payload);
        body.extend_from_slice(b"MAIL FROM:<a@b>\r\n");
        let wire = DotEncoder::encode_all(&body);
        let run = decode(BareNewline::Reject, &wire);
        assert_eq!(run.end, Some(wire.len()), "{payload:?}");
        assert!(run.errors.is_empty());
    }
}

#[test]
fn encoder_stuffs_first_line_and_empty_body() {
    assert_eq!(DotEncoder::encode_all(b""), b".\r\n");
    assert_eq!(DotEncoder::encode_all(b".x"), b"..x\r\n.\r\n");
    assert_eq!(DotEncoder::encode_all(b"."), b"..\r\n.\r\n");
}

/// What the decoder should give back for an encoded body: every line ending
/// as CRLF, and a final CRLF if the body does not end with one.
fn normalised(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b'\r' if body.get(i + 1) == Some(&b'\n') => {
                out.extend_from_slice(b"\r\n");
                i += 1;
            }
            b'\r' | b'\n' => out.extend_from_slice(b"\r\n"),
            b => out.push(b),
        }
        i += 1;
    }
    if !out.is_empty() && !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn body_strategy() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            5 => Just(b'a'),
            3 => Just(b'.'),
            3 => Just(b'\r'),
            3 => Just(b'\n'),
            1 => any::<u8>(),
        ],
        0..160,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn decode_of_encode_is_the_normalised_body(
        body in body_strategy(),
        mut splits in proptest::collection::vec(0usize..200, 0..8),
    ) {
        splits.sort_unstable();
        let mut wire = Vec::new();
        let mut encoder = DotEncoder::new();
        let mut last = 0;
        for cut in splits.iter().copied().filter(|&c| c <= body.len()) {
            encoder.encode(&body[last..cut], &mut wire);
            last = cut;
        }
        encoder.encode(&body[last..], &mut wire);
        encoder.finish(&mut wire);
        prop_assert_eq!(&wire, &DotEncoder::encode_all(&body));
        let run = decode_split(BareNewline::Reject, &wire, &splits);
        prop_assert_eq!(run, ok(&normalised(&body), wire.len()));
    }

    #[test]
    fn decoder_chunking_never_changes_the_outcome(
        input in body_strategy(),
        normalize in any::<bool>(),
        mut splits in proptest::collection::vec(0usize..200, 0..12),
    ) {
        splits.sort_unstable();
        let policy = if normalize { BareNewline::Normalize } else { BareNewline::Reject };
        prop_assert_eq!(decode_split(policy, &input, &splits), decode(policy, &input));
    }

    #[test]
    fn body_ends_exactly_after_the_first_crlf_dot_crlf(input in body_strategy(), normalize in any::<bool>()) {
        let policy = if normalize { BareNewline::Normalize } else { BareNewline::Reject };
        let mut framed = b"\r\n".to_vec();
        framed.extend_from_slice(&input);
        let expected = framed
            .windows(5)
            .position(|w| w == b"\r\n.\r\n")
            .map(|p| p + 5 - 2);
        prop_assert_eq!(decode(policy, &input).end, expected);
    }

    #[test]
    fn normalize_output_is_pure_crlf(input in body_strategy()) {
        let run = decode(BareNewline::Normalize, &input);
        let body = run.body;
        for (i, &b) in body.iter().enumerate() {
            if b == b'\r' && body.get(i + 1).is_some() {
                prop_assert_eq!(body[i + 1], b'\n');
            }
            if b == b'\n' {
                prop_assert!(i > 0 && body[i - 1] == b'\r');
            }
        }
    }
}

// --- A reference model ---------------------------------------------------------

/// The decoding rules restated line by line over the whole input, written
/// independently of the decoder's byte-wise state machine and fast path.
fn reference(policy: BareNewline, input: &[u8]) -> Run {
    #[derive(PartialEq)]
    enum End {
        Crlf,
        BareCr,
        BareLf,
    }
    let mut body = Vec::new();
    let mut errors: Vec<BodyError> = Vec::new();
    let mut strict_start = true;
    let mut start = 0;
    let unstuff = |content: &[u8]| -> Vec<u8> {
        if content.len() > 1 && content[0] == b'.' {
            content[1..].to_vec()
        } else {
            content.to_vec()
        }
    };
    loop {
        // Find this line's end.
        let mut i = start;
        let found = loop {
            match input.get(i) {
                None => break None,
                Some(b'\n') => break Some((i, End::BareLf, i + 1)),
                Some(b'\r') => match input.get(i + 1) {
                    None => break None, // a CR whose LF may follow
                    Some(b'\n') => break Some((i, End::Crlf, i + 2)),
                    Some(_) => break Some((i, End::BareCr, i + 1)),
                },
                Some(_) => i += 1,
            }
        };
        let failed = policy == BareNewline::Reject && !errors.is_empty();
        let Some((end, ending, next)) = found else {
            // An unfinished last line: what is certain of it so far.
            let mut content = &input[start..];
            let pending_cr = content.last() == Some(&b'\r');
            if pending_cr {
                content = &content[..content.len() - 1];
            }
            // A lone dot is held back while it may still be the terminator
            // (or, with nothing after it yet, a stuffed line).
            let lone_dot_certain = pending_cr && !strict_start;
            if !failed && (content != b"." || lone_dot_certain) {
                body.extend_from_slice(&unstuff(content));
            }
            return Run {
                body,
                end: None,
                errors,
            };
        };
        let content = &input[start..end];
        if strict_start && content == b"." && ending == End::Crlf {
            return Run {
                body,
                end: Some(next),
                errors,
            };
        }
        if !failed {
            body.extend_from_slice(&unstuff(content));
            if ending != End::Crlf && policy == BareNewline::Reject {
                errors.push(if ending == End::BareLf {
                    BodyError::BareLf { offset: end as u64 }
                } else {
                    BodyError::BareCr { offset: end as u64 }
                });
            } else {
                body.extend_from_slice(b"\r\n");
            }
        }
        strict_start = ending == End::Crlf;
        start = next;
    }
}

/// Message-like input: mostly well-formed lines (so the decoder's bulk path
/// runs), with dots, empty lines and the odd bare CR or LF.
fn lines_strategy() -> impl Strategy<Value = Vec<u8>> {
    let line = (
        prop_oneof![4 => Just(&b""[..]), 1 => Just(&b"."[..]), 1 => Just(&b".."[..])],
        proptest::collection::vec(prop_oneof![Just(b'x'), Just(b'.'), Just(b' ')], 0..50),
        prop_oneof![20 => Just(&b"\r\n"[..]), 1 => Just(&b"\n"[..]), 1 => Just(&b"\r"[..]), 1 => Just(&b""[..])],
    )
        .prop_map(|(prefix, text, end)| [prefix, &text, end].concat());
    proptest::collection::vec(line, 0..40).prop_map(|lines| lines.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn decoder_matches_the_reference_model(
        input in prop_oneof![lines_strategy(), body_strategy()],
        normalize in any::<bool>(),
        mut splits in proptest::collection::vec(0usize..2000, 0..6),
    ) {
        splits.sort_unstable();
        let policy = if normalize { BareNewline::Normalize } else { BareNewline::Reject };
        prop_assert_eq!(decode_split(policy, &input, &splits), reference(policy, &input));
    }
}

#[test]
fn chunks_of_a_single_cr_make_progress() {
    // A chunk holding only a CR (or only a CR after text) must be consumed,
    // and the LF in the next chunk must complete the CRLF.
    let mut decoder = DotDecoder::default();
    let mut body = Vec::new();
    for chunk in [&b"a"[..], b"\r", b"\n", b".", b"\r", b"\n"] {
        let d = decoder.decode(chunk, &mut body);
        assert_eq!(d.consumed, chunk.len());
    }
    assert!(decoder.is_done());
    assert_eq!(body, b"a\r\n");
}
