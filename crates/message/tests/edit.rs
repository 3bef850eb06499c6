//! Minimal edits leave every untouched byte where it was: each test
//! compares the output with byte ranges of the input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use mailwire_message::builder::PartBuilder;
use mailwire_message::edit::{Edit, EditError};
use mailwire_message::parse;

const MULTIPART: &[u8] = b"Received: from a by b;\r\n\tMon, 1 Jan 2024 00:00:00 +0000\r\n\
DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=s;\r\n h=from:subject; bh=abc=; b=def=\r\n\
From:   Odd  Spacing <a@example.org>\r\n\
Subject: =?utf-8?q?caf=C3=A9?=\r\n\
X-Trash: 1\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\
\r\n\
preamble\r\n\
--b1\r\n\
Content-Type: text/plain\r\n\
\r\n\
first  part \r\n\
--b1\r\n\
Content-Type: application/octet-stream\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
AAEC\r\n\
--b1\r\n\
Content-Type: text/plain\r\n\
\r\n\
third\r\n\
--b1--\r\n\
epilogue\r\n";

fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).position(|w| w == needle).unwrap()
}

fn clean(output: &[u8]) {
    let parsed = parse(output);
    assert!(
        parsed.defects().is_empty(),
        "{:?}\n{}",
        parsed.defects(),
        String::from_utf8_lossy(output)
    );
}

#[test]
fn no_edit_is_identity() {
    let message = parse(MULTIPART);
    assert_eq!(Edit::new(&message).to_vec().unwrap(), MULTIPART);
}

#[test]
fn header_edits_keep_other_bytes() {
    let message = parse(MULTIPART);
    let out = Edit::new(&message)
        .remove_fields("x-trash")
        .replace_field("Subject", "Neu: Grüße")
        .prepend_field("X-First", "top")
        .add_field("X-Last", "bottom")
        .to_vec()
        .unwrap();
    clean(&out);
    let subject = find(MULTIPART, b"Subject:");
    let trash = find(MULTIPART, b"X-Trash:");
    let content_type = find(MULTIPART, b"Content-Type: multipart");
    let head = b"X-First: top\r\n";
    assert_eq!(&out[..head.len()], head);
    // Trace and DKIM fields, From with its odd spacing: identical.
    assert_eq!(
        &out[head.len()..head.len() + subject],
        &MULTIPART[..subject]
    );
    let new_subject = b"Subject: Neu: =?utf-8?b?R3LDvMOfZQ==?=\r\n";
    let after = head.len() + subject;
    assert_eq!(&out[after..after + new_subject.len()], new_subject);
    // X-Trash gone; Content-Type and the whole body unchanged, after X-Last.
    let rest = &out[after + new_subject.len()..];
    let ct_end = find(&MULTIPART[content_type..], b"\r\n") + content_type + 2;
    assert_eq!(
        &rest[..ct_end - content_type],
        &MULTIPART[content_type..ct_end]
    );
    let rest = &rest[ct_end - content_type..];
    assert_eq!(&rest[..b"X-Last: bottom\r\n".len()], b"X-Last: bottom\r\n");
    assert_eq!(&rest[b"X-Last: bottom\r\n".len()..], &MULTIPART[ct_end..]);
    assert!(trash < content_type);
    assert_eq!(parse(&out).header().subject().unwrap(), "Neu: Grüße");
}

#[test]
fn remove_part_cuts_exactly_its_range() {
    let message = parse(MULTIPART);
    let out = Edit::new(&message).remove_part(&[1]).to_vec().unwrap();
    clean(&out);
    let start = find(MULTIPART, b"\r\n--b1\r\nContent-Type: application");
    let end = find(
        MULTIPART,
        b"\r\n--b1\r\nContent-Type: text/plain\r\n\r\nthird",
    );
    let mut expected = MULTIPART[..start].to_vec();
    expected.extend_from_slice(&MULTIPART[end..]);
    assert_eq!(out, expected);
}

#[test]
fn replace_part_keeps_neighbours() {
    let message = parse(MULTIPART);
    let out = Edit::new(&message)
        .replace_part(&[0], PartBuilder::text("replaced"))
        .to_vec()
        .unwrap();
    clean(&out);
    let first_header = find(MULTIPART, b"Content-Type: text/plain\r\n\r\nfirst");
    let second_delimiter = find(MULTIPART, b"\r\n--b1\r\nContent-Type: application");
    assert_eq!(&out[..first_header], &MULTIPART[..first_header]);
    let tail = &MULTIPART[second_delimiter..];
    assert_eq!(&out[out.len() - tail.len()..], tail);
    let parsed = parse(&out);
    assert_eq!(parsed.root().parts()[0].text().0, "replaced");
    assert_eq!(parsed.root().parts().len(), 3);
}

#[test]
fn add_attachment_to_mixed() {
    let message = parse(MULTIPART);
    let out = Edit::new(&message)
        .add_attachment(
            PartBuilder::bytes("application/pdf", b"%PDF".as_slice()).attachment("a.pdf"),
        )
        .to_vec()
        .unwrap();
    clean(&out);
    let close = find(MULTIPART, b"\r\n--b1--");
    assert_eq!(&out[..close], &MULTIPART[..close]);
    let tail = &MULTIPART[close..];
    assert_eq!(&out[out.len() - tail.len()..], tail);
    let parsed = parse(&out);
    let parts = parsed.root().parts();
    assert_eq!(parts.len(), 4);
    assert_eq!(parts[3].decoded_body().0.as_ref(), b"%PDF");
}

#[test]
fn add_attachment_wraps_single_part() {
    let input: &[u8] = b"From: a@example.org\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\nSubject: s\n\nH\xc3\xa9llo\n";
    let message = parse(input);
    let out = Edit::new(&message)
        .add_attachment(PartBuilder::bytes("image/png", b"\x89PNG".as_slice()).attachment("p.png"))
        .to_vec()
        .unwrap();
    clean(&out);
    assert!(
        !out.windows(2).any(|w| w == b"\r\n"),
        "line endings follow the input"
    );
    assert!(out.starts_with(b"From: a@example.org\nSubject: s\nContent-Type: multipart/mixed;"));
    let parsed = parse(&out);
    let parts = parsed.root().parts();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].text().0, "Héllo\n");
    assert_eq!(parts[0].body_bytes(), b"H\xc3\xa9llo\n");
    assert_eq!(parts[1].decoded_body().0.as_ref(), b"\x89PNG");
    let body = find(input, b"H\xc3\xa9llo\n");
    let at = find(&out, b"H\xc3\xa9llo\n");
    assert_eq!(&out[at..at + input.len() - body], &input[body..]);
}

#[test]
fn nested_message_part_path() {
    let input: &[u8] = b"Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: message/rfc822\r\n\r\n\
Subject: inner\r\nContent-Type: multipart/alternative; boundary=i\r\n\r\n--i\r\n\r\none\r\n--i\r\n\r\ntwo\r\n--i--\r\n\r\n--o--\r\n";
    let message = parse(input);
    let out = Edit::new(&message)
        .remove_part(&[0, 0, 1])
        .to_vec()
        .unwrap();
    clean(&out);
    let cut = find(input, b"\r\n--i\r\n\r\ntwo");
    let resume = find(input, b"\r\n--i--");
    let mut expected = input[..cut].to_vec();
    expected.extend_from_slice(&input[resume..]);
    assert_eq!(out, expected);
}

#[test]
fn errors() {
    let message = parse(MULTIPART);
    assert!(matches!(
        Edit::new(&message).remove_part(&[7]).to_vec(),
        Err(EditError::NoSuchPart(p)) if p == [7]
    ));
    assert!(matches!(
        Edit::new(&message).remove_part(&[]).to_vec(),
        Err(EditError::CannotRemoveRoot)
    ));
    assert!(matches!(
        Edit::new(&message)
            .replace_part(&[2], PartBuilder::text("x\n--b1\ny"))
            .to_vec(),
        Err(EditError::BoundaryCollision)
    ));
    assert!(matches!(
        Edit::new(&message).add_field("Bad Name", "x").to_vec(),
        Err(EditError::Build(_))
    ));
}
