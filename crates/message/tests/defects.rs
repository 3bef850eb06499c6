//! Each defect kind, on a minimal malformed input, with its exact offset.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use mailwire_message::defect::{Defect, DefectKind, LimitKind};
use mailwire_message::limits::Limits;
use mailwire_message::stream::parse_chunks;
use mailwire_message::{Body, parse, parse_with};

/// Parses, checks the lossless and streaming invariants, returns defects.
fn defects_with(input: &[u8], limits: Limits) -> Vec<Defect> {
    let message = parse_with(input, limits);
    assert_eq!(message.to_bytes(), input);
    assert_eq!(parse_chunks(input.chunks(1), limits), message);
    message.defects().to_vec()
}

fn defects(input: &[u8]) -> Vec<Defect> {
    defects_with(input, Limits::default())
}

fn one(kind: DefectKind, offset: u64) -> Vec<Defect> {
    vec![Defect::new(kind, offset)]
}

#[test]
fn header_section_defects() {
    let input = b"A: 1\r\nno colon here\r\n\r\nbody";
    assert_eq!(
        defects(input),
        one(DefectKind::MissingHeaderBodySeparator, 6)
    );
    assert_eq!(
        parse(input).root().body_bytes(),
        b"no colon here\r\n\r\nbody"
    );

    assert_eq!(
        defects(b" orphan\r\nA: 1\r\n\r\n"),
        one(DefectKind::FirstLineIsContinuation, 0)
    );
    assert_eq!(
        defects(b"A: 1\r\nFrom x@y Mon\r\n\r\n"),
        one(DefectKind::MisplacedEnvelopeHeader, 6)
    );
    // An envelope line first in a message is no defect.
    assert_eq!(
        defects(b"From x@y Mon Jan  1 00:00:00 2001\nA: 1\n\nb"),
        vec![]
    );
    assert_eq!(
        defects(b"A: ok\r\nB: caf\xe9\r\n\r\n"),
        one(DefectKind::NonAsciiHeader, 13)
    );
    // RFC 6532: valid UTF-8 is no defect.
    assert_eq!(defects("A: café\r\n\r\n".as_bytes()), vec![]);
    assert_eq!(
        defects(b"Subject : x\r\n\r\n"),
        one(DefectKind::ObsoleteSyntax, 7)
    );
}

#[test]
fn multipart_defects() {
    let input = b"X: 1\r\nContent-Type: multipart/mixed\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n";
    assert_eq!(defects(input), one(DefectKind::NoBoundaryInMultipart, 6));
    assert!(matches!(parse(input).root().body(), Body::Leaf(_)));

    let input = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--c\r\n\r\nx\r\n";
    assert_eq!(
        defects(input),
        one(DefectKind::StartBoundaryNotFound, input.len() as u64)
    );

    let input = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n";
    assert_eq!(
        defects(input),
        one(DefectKind::CloseBoundaryNotFound, input.len() as u64)
    );

    let input = b"Content-Type: multipart/mixed; boundary=b\r\nContent-Transfer-Encoding: base64\r\n\r\n--b\r\n\r\nx\r\n--b--";
    assert_eq!(
        defects(input),
        one(DefectKind::InvalidCompositeTransferEncoding, 43)
    );

    // An inner multipart closed by the outer delimiter.
    let input = b"Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: multipart/mixed; boundary=i\r\n\r\n--i\r\n\r\nx\r\n--o--\r\n";
    let at = input.len() as u64 - 9;
    assert_eq!(defects(input), one(DefectKind::CloseBoundaryNotFound, at));
}

#[test]
fn content_type_defects() {
    assert_eq!(
        defects(b"A: 1\r\nContent-Type: text\r\n\r\n"),
        one(DefectKind::InvalidContentType, 6)
    );
    // Parameters drive parsing only for multiparts; their defects are
    // reported there (ContentType::parse reports them for any type).
    assert_eq!(
        defects(b"Content-Type: multipart/mixed; boundary=b; junk\r\n\r\n--b--\r\n"),
        one(DefectKind::InvalidParameter, 0)
    );
    assert_eq!(
        mailwire_message::mime::ContentType::parse(b"text/plain; charset").1,
        vec![DefectKind::InvalidParameter]
    );
}

#[test]
fn decoding_defects() {
    let input = b"Content-Transfer-Encoding: base64\r\n\r\nYW*Jj\r\nZA";
    let message = parse(input);
    let (bytes, defects) = message.root().decoded_body();
    assert_eq!(&*bytes, b"abcd");
    assert_eq!(
        defects,
        vec![
            Defect::new(DefectKind::InvalidBase64Characters, 39),
            Defect::new(DefectKind::InvalidBase64Padding, input.len() as u64),
        ]
    );
    let input = b"Content-Transfer-Encoding: base64\r\n\r\nYWJjZ";
    assert_eq!(
        parse(input).root().decoded_body().1,
        one(DefectKind::InvalidBase64Length, input.len() as u64)
    );
    let input = b"Content-Transfer-Encoding: quoted-printable\r\n\r\nok=XY";
    let message = parse(input);
    let (bytes, defects) = message.root().decoded_body();
    assert_eq!(&*bytes, b"ok=XY");
    assert_eq!(defects, one(DefectKind::InvalidQuotedPrintable, 49));

    let message = parse(b"Content-Type: text/plain; charset=x-nope\r\n\r\nabc");
    assert_eq!(
        message.root().text().1,
        one(DefectKind::UnknownCharset("x-nope".into()), 44)
    );
    let message = parse(b"Content-Type: text/plain; charset=utf-8\r\n\r\na\xffb");
    let (text, defects) = message.root().text();
    assert_eq!(text, "a\u{fffd}b");
    assert_eq!(defects, one(DefectKind::UndecodableBytes, 43));
}

#[test]
fn limit_defects_keep_the_rest_opaque() {
    // Too many fields.
    let input = b"A: 1\r\nB: 2\r\nC: 3\r\n\r\nbody";
    let limits = Limits::default().with_max_fields(2);
    assert_eq!(
        defects_with(input, limits),
        one(DefectKind::LimitExceeded(LimitKind::Fields), 12)
    );
    assert_eq!(
        parse_with(input, limits).root().body_bytes(),
        b"C: 3\r\n\r\nbody"
    );

    // A field too large.
    let input = b"A: 1\r\nLong: 0123456789012345678901234567890123456789\r\n\r\nbody";
    let limits = Limits::default().with_max_field_size(32);
    assert_eq!(
        defects_with(input, limits),
        one(DefectKind::LimitExceeded(LimitKind::FieldSize), 6)
    );
    // An unterminated name longer than the limit.
    let input = [b"A".repeat(100), b"\r\n\r\n".to_vec()].concat();
    assert_eq!(
        defects_with(&input, limits),
        one(DefectKind::LimitExceeded(LimitKind::FieldSize), 0)
    );

    // White space after a name, past the limit: the same outcome however
    // the input is split (found by fuzzing).
    let input = [b"F".as_slice(), &b"p".repeat(31), b"       \0\0\x9e"].concat();
    let limits = Limits::default().with_max_field_size(32);
    let whole = parse_with(&input, limits);
    assert_eq!(
        whole.defects(),
        one(DefectKind::LimitExceeded(LimitKind::FieldSize), 0)
    );
    for step in 1..=input.len() {
        assert_eq!(
            parse_chunks(input.chunks(step), limits),
            whole,
            "step {step}"
        );
    }

    // Too deep.
    let input = b"Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n--a--\r\n";
    let limits = Limits::default().with_max_depth(1);
    assert_eq!(
        defects_with(input, limits),
        one(DefectKind::LimitExceeded(LimitKind::Depth), 50)
    );
    let message = parse_with(input, limits);
    let inner = &message.root().parts()[0];
    assert!(inner.body_bytes().starts_with(b"--b\r\n"));

    // Too many parts: the rest of the multipart is opaque.
    let input = b"Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n\r\n1\r\n--a\r\n\r\n2\r\n--a\r\n\r\n3\r\n--a--\r\n";
    let limits = Limits::default().with_max_parts(3);
    assert_eq!(
        defects_with(input, limits),
        one(DefectKind::LimitExceeded(LimitKind::Parts), 70)
    );
    let message = parse_with(input, limits);
    let parts = message.root().parts();
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[2].body_bytes(), b"\r\n3\r\n--a--\r\n");
}

#[test]
fn nothing_panics_on_edge_inputs() {
    for input in [
        &b""[..],
        b"\r",
        b"\n",
        b"\r\n",
        b":",
        b"-",
        b"--",
        b"From ",
        b"Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n",
        b"Content-Type: multipart/mixed; boundary=-\r\n\r\n---\r\n---\r\n-----\r\n",
        b"Content-Type: message/rfc822\r\n\r\n",
        b"Content-Type: message/rfc822\r\n\r\nContent-Type: message/rfc822\r\n\r\nA: b",
        b"Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: x\r\n\r\ny\r\n--d--",
    ] {
        let message = parse(input);
        assert_eq!(message.to_bytes(), input);
        assert_eq!(parse_chunks(input.chunks(1), Limits::default()), message);
    }
}
