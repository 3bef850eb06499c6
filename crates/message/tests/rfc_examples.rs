//! Known-answer tests on the examples of RFC 5322 Appendix A, RFC 2046
//! §5.1.1, RFC 2047 §8 and RFC 2231, as kept in `tests/corpus/mailwire/`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use mailwire_message::address::{Address, AddressList, Mode};
use mailwire_message::{Body, datetime, msgid, parse};

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/corpus/mailwire/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn mailboxes(list: &AddressList<'_>) -> Vec<(Option<String>, String)> {
    list.mailboxes()
        .map(|m| (m.name().map(str::to_owned), m.raw_address().to_owned()))
        .collect()
}

fn named(name: &str, addr: &str) -> (Option<String>, String) {
    (Some(name.to_owned()), addr.to_owned())
}

fn bare(addr: &str) -> (Option<String>, String) {
    (None, addr.to_owned())
}

#[test]
fn rfc5322_a1_1_simple_addressing() {
    let input = read("rfc5322-a1-1.eml");
    let m = parse(&input);
    let h = m.header();
    assert_eq!(
        mailboxes(&h.from().unwrap()),
        [named("John Doe", "jdoe@machine.example")]
    );
    assert_eq!(
        mailboxes(&h.addresses("sender").unwrap()),
        [named("Michael Jones", "mjones@machine.example")]
    );
    assert_eq!(h.subject().unwrap(), "Saying Hello");
    assert_eq!(h.date().unwrap().to_rfc3339(), "1997-11-21T09:55:06-06:00");
    assert_eq!(
        h.message_id().unwrap().as_str(),
        "1234@local.machine.example"
    );
    assert_eq!(
        m.root().body_bytes(),
        b"This is a message just to say hello.\r\nSo, \"Hello\".\r\n"
    );
    assert!(m.defects().is_empty());
}

#[test]
fn rfc5322_a1_2_and_a1_3_mailboxes_and_groups() {
    let input = read("rfc5322-a1-2.eml");
    let m = parse(&input);
    let h = m.header();
    assert_eq!(
        mailboxes(&h.from().unwrap()),
        [named("Joe Q. Public", "john.q.public@example.com")]
    );
    assert_eq!(
        mailboxes(&h.to().unwrap()),
        [
            named("Mary Smith", "mary@x.test"),
            bare("jdoe@example.org"),
            named("Who?", "one@y.test")
        ]
    );
    assert_eq!(
        mailboxes(&h.cc().unwrap()),
        [
            bare("boss@nil.test"),
            named("Giant; \"Big\" Box", "sysservices@example.net")
        ]
    );

    let input = read("rfc5322-a1-3.eml");
    let m = parse(&input);
    let to = m.header().to().unwrap();
    let [Address::Group(group)] = to.addresses() else {
        panic!("{to:?}")
    };
    assert_eq!(group.name(), "A Group");
    assert_eq!(group.members().len(), 3);
    let cc = m.header().cc().unwrap();
    let [Address::Group(empty)] = cc.addresses() else {
        panic!()
    };
    assert_eq!(
        (empty.name(), empty.members().len()),
        ("Undisclosed recipients", 0)
    );
    assert_eq!(
        m.header().date().unwrap().to_rfc3339(),
        "1969-02-13T23:32:54-03:30"
    );
}

#[test]
fn rfc5322_a2_reply() {
    let input = read("rfc5322-a2-reply.eml");
    let m = parse(&input);
    let h = m.header();
    assert_eq!(
        mailboxes(&h.addresses("reply-to").unwrap()),
        [named("Mary Smith: Personal Account", "smith@home.example")]
    );
    assert_eq!(
        h.in_reply_to()[0].to_string(),
        "<1234@local.machine.example>"
    );
    assert_eq!(h.references()[0].as_str(), "1234@local.machine.example");
}

#[test]
fn rfc5322_a5_white_space_and_comments() {
    let input = read("rfc5322-a5-oddities.eml");
    let m = parse(&input);
    let h = m.header();
    assert!(m.defects().is_empty());
    assert_eq!(
        mailboxes(&h.from().unwrap()),
        [named("Pete", "pete@silly.test")]
    );
    let (to, defects) = AddressList::parse(h.get("to").unwrap().raw_value(), Mode::Strict);
    assert!(defects.is_empty(), "{defects:?}");
    assert_eq!(
        mailboxes(&to),
        [
            named("Chris Jones", "c@public.example"),
            bare("joe@example.org"),
            named("John", "jdoe@one.test")
        ]
    );
    let (cc, _) = AddressList::parse(h.get("cc").unwrap().raw_value(), Mode::Strict);
    let [Address::Group(g)] = cc.addresses() else {
        panic!()
    };
    assert_eq!(g.name(), "Hidden recipients");
    assert_eq!(h.date().unwrap().to_rfc3339(), "1969-02-13T23:32:00-03:30");
    assert_eq!(h.message_id().unwrap().as_str(), "testabcd.1234@silly.test");
}

#[test]
fn rfc5322_a6_obsolete_forms() {
    let input = read("rfc5322-a6-1-obsolete-addressing.eml");
    let m = parse(&input);
    let to = m.header().get("to").unwrap();
    assert_eq!(
        mailboxes(&AddressList::parse(to.raw_value(), Mode::Lenient).0),
        [
            named("Mary Smith", "mary@example.net"),
            bare("jdoe@test.example")
        ]
    );
    // Strict mode refuses the obsolete "jdoe@test  . example".
    assert_eq!(
        mailboxes(&AddressList::parse(to.raw_value(), Mode::Strict).0),
        [named("Mary Smith", "mary@example.net")]
    );

    let input = read("rfc5322-a6-2-obsolete-date.eml");
    let date =
        datetime::parse_detailed(parse(&input).header().get("date").unwrap().raw_value()).unwrap();
    assert!(date.obsolete);
    assert_eq!(date.to_rfc3339(), "1997-11-21T09:55:06+00:00");

    let input = read("rfc5322-a6-3-obsolete-whitespace.eml");
    let m = parse(&input);
    let h = m.header();
    assert_eq!(h.len(), 5);
    assert_eq!(
        mailboxes(&h.from().unwrap()),
        [named("John Doe", "jdoe@machine.example")]
    );
    assert_eq!(
        mailboxes(&h.to().unwrap()),
        [named("Mary Smith", "mary@example.net")]
    );
    assert_eq!(h.subject().unwrap(), "Saying Hello");
    assert_eq!(h.date().unwrap().to_rfc3339(), "1997-11-21T09:55:06-06:00");
    assert_eq!(
        msgid::parse_list(h.get("message-id").unwrap().raw_value())[0].as_str(),
        "1234@local.machine.example"
    );
}

#[test]
fn rfc2046_section_5_1_1_example() {
    let input = read("rfc2046-5-1-1-multipart.eml");
    let m = parse(&input);
    let Body::Multipart(mp) = m.root().body() else {
        panic!()
    };
    assert!(mp.preamble().starts_with(b"This is the preamble."));
    assert!(
        mp.preamble()
            .ends_with(b"to non-MIME conformant readers.\r\n")
    );
    assert_eq!(
        mp.parts()[0].body_bytes(),
        b"This is implicitly typed plain US-ASCII text.\r\nIt does NOT end with a linebreak."
    );
    assert_eq!(
        mp.parts()[1].body_bytes(),
        b"This is explicitly typed plain US-ASCII text.\r\nIt DOES end with a linebreak.\r\n"
    );
    assert_eq!(mp.parts()[0].content_type().essence(), "text/plain");
    assert_eq!(
        mp.close_delimiter(),
        Some(&b"\r\n--simple boundary--\r\n"[..])
    );
    assert_eq!(
        mp.epilogue(),
        b"\r\nThis is the epilogue.  It is also to be ignored.\r\n"
    );
    assert_eq!(m.to_bytes(), input);
}

#[test]
fn rfc2047_section_8_headers() {
    let input = read("rfc2047-section8.eml");
    let m = parse(&input);
    let h = m.header();
    assert_eq!(
        h.subject().unwrap(),
        "If you can read this you understand the example."
    );
    assert_eq!(
        mailboxes(&h.from().unwrap()),
        [named("Keith Moore", "moore@cs.utk.edu")]
    );
    assert_eq!(
        mailboxes(&h.to().unwrap()),
        [named("Keld Jørn Simonsen", "keld@dkuug.dk")]
    );
    assert_eq!(
        mailboxes(&h.cc().unwrap()),
        [named("André Pirard", "PIRARD@vm1.ulg.ac.be")]
    );
}

#[test]
fn rfc2231_parameters_in_a_message() {
    let input = read("rfc2231-parameters.eml");
    let m = parse(&input);
    let part = &m.root().parts()[0];
    let ct = part.content_type();
    assert_eq!(
        ct.parameters().get("title").unwrap().text(),
        "This is even more ***fun*** isn't it!"
    );
    assert_eq!(
        part.header()
            .content_disposition()
            .unwrap()
            .filename()
            .unwrap(),
        "日本語.txt"
    );
    let external = &m.root().parts()[1];
    assert_eq!(
        external
            .content_type()
            .parameters()
            .get("url")
            .unwrap()
            .text(),
        "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar"
    );
}
