//! Known-answer tests for RFC 5256 threading: one test per rule of
//! ORDEREDSUBJECT and REFERENCES, plus parsed messages and deep chains.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::expect_used)]

use mailwire_message::thread::{ThreadMessage, ordered_subject, references};

fn m(number: u32, date: i64) -> ThreadMessage<'static> {
    ThreadMessage::new(number, date)
}

fn refs(messages: &[ThreadMessage<'_>]) -> String {
    references(messages).to_imap_string()
}

#[test]
fn rule_1a_references_chain_with_dummies() {
    // c@x refers to a@x and b@x, neither present: the dummies are pruned.
    let messages = [m(1, 10)
        .with_message_id("c@x")
        .with_references(["a@x", "b@x"])];
    assert_eq!(refs(&messages), "(1)");
    // a@x present, b@x missing: b's dummy is removed and 2 promoted under 1.
    let messages = [
        m(1, 10).with_message_id("a@x").with_subject("p"),
        m(2, 20)
            .with_message_id("c@x")
            .with_references(["a@x", "b@x"])
            .with_subject("q"),
    ];
    assert_eq!(refs(&messages), "(1 2)");
}

#[test]
fn rule_1a_existing_parent_kept() {
    let messages = [
        m(1, 10).with_message_id("a@x").with_subject("s1"),
        m(2, 20).with_message_id("b@x").with_subject("s2"),
        m(3, 30)
            .with_message_id("c@x")
            .with_references(["a@x", "b@x"])
            .with_subject("s3"),
        // Claims b@x is a child of y@x: b already has a parent, kept.
        m(4, 40)
            .with_message_id("d@x")
            .with_references(["y@x", "b@x"])
            .with_subject("s4"),
    ];
    assert_eq!(refs(&messages), "(1 2 (3)(4))");
}

#[test]
fn rule_1a_no_loops() {
    // The second message's references would make b@x its own ancestor.
    let messages = [
        m(1, 10)
            .with_message_id("b@x")
            .with_references(["a@x"])
            .with_subject("s1"),
        m(2, 20)
            .with_message_id("c@x")
            .with_references(["b@x", "a@x"])
            .with_subject("s2"),
    ];
    // The link b -> a is refused; c's parent is its last reference, a@x,
    // a dummy with two children kept at the top.
    assert_eq!(refs(&messages), "((1)(2))");
}

#[test]
fn rule_1b_replaces_parent_from_truncated_references() {
    let messages = [
        m(1, 20)
            .with_message_id("d@x")
            .with_references(["a@x", "b@x", "c@x"])
            .with_subject("s1"),
        // The real c@x says its parent is x@x: the link b -> c is broken.
        m(2, 10)
            .with_message_id("c@x")
            .with_references(["x@x"])
            .with_subject("s2"),
    ];
    assert_eq!(refs(&messages), "(2 1)");
}

#[test]
fn rule_1b_refuses_loop() {
    let messages = [
        m(1, 10)
            .with_message_id("a@x")
            .with_references(["b@x"])
            .with_subject("s1"),
        m(2, 20)
            .with_message_id("b@x")
            .with_references(["a@x"])
            .with_subject("s2"),
    ];
    assert_eq!(refs(&messages), "(2 1)");
    let messages = [m(1, 10).with_message_id("a@x").with_references(["a@x"])];
    assert_eq!(refs(&messages), "(1)");
}

#[test]
fn rule_1_duplicate_and_missing_message_ids() {
    let messages = [
        m(1, 10).with_message_id("a@x").with_subject("p"),
        m(2, 20).with_message_id("a@x").with_subject("q"),
        m(3, 30).with_references(["a@x"]).with_subject("r"),
        m(4, 40).with_message_id("not valid").with_subject("s"),
        m(5, 50).with_references(["not valid"]).with_subject("t"),
    ];
    assert_eq!(refs(&messages), "(1 3)(2)(4)(5)");
}

#[test]
fn message_ids_are_normalised_and_case_sensitive() {
    let messages = [
        m(1, 10)
            .with_message_id("<\"01KF8JCEOCBS0045PS\"@xxx.yyy.com>")
            .with_subject("p"),
        m(2, 20)
            .with_references(["<01KF8JCEOCBS0045PS@xxx.yyy.com>"])
            .with_subject("q"),
        m(3, 30)
            .with_references(["<01kf8jceocbs0045ps@xxx.yyy.com>"])
            .with_subject("r"),
    ];
    assert_eq!(refs(&messages), "(1 2)(3)");
}

#[test]
fn in_reply_to_only_without_references() {
    let messages = [
        m(1, 10).with_message_id("a@x").with_subject("p"),
        m(2, 20).with_message_id("b@x").with_subject("q"),
        // First valid In-Reply-To identifier only.
        m(3, 30)
            .with_in_reply_to(["junk", "b@x", "a@x"])
            .with_subject("r"),
        // References wins over In-Reply-To.
        m(4, 40)
            .with_references(["a@x"])
            .with_in_reply_to(["b@x"])
            .with_subject("s"),
    ];
    assert_eq!(refs(&messages), "(1 4)(2 3)");
}

#[test]
fn rule_3_root_dummy_kept_with_two_children_promoted_with_one() {
    let messages = [
        m(1, 10).with_references(["a@x"]).with_subject("p"),
        m(2, 20).with_references(["a@x"]).with_subject("q"),
        m(3, 30).with_references(["z@x"]).with_subject("r"),
    ];
    assert_eq!(refs(&messages), "((1)(2))(3)");
}

#[test]
fn rule_3_nested_dummies_spliced() {
    // a (1) -> b (dummy) -> {c (2), d (3)}: b is removed, c and d promoted.
    let messages = [
        m(1, 10).with_message_id("a@x").with_subject("p"),
        m(2, 20)
            .with_message_id("c@x")
            .with_references(["a@x", "b@x"])
            .with_subject("q"),
        m(3, 30)
            .with_message_id("d@x")
            .with_references(["a@x", "b@x"])
            .with_subject("r"),
    ];
    assert_eq!(refs(&messages), "(1 (2)(3))");
}

#[test]
fn rule_4_top_level_sorted_by_date_dummy_by_first_child() {
    let messages = [
        m(1, 30).with_subject("a"),
        m(2, 10).with_subject("b"),
        m(3, 40).with_references(["z@x"]).with_subject("c"),
        m(4, 5).with_references(["z@x"]).with_subject("d"),
        m(5, 20).with_subject("e"),
    ];
    assert_eq!(refs(&messages), "((4)(3))(2)(5)(1)");
}

#[test]
fn rule_2_2_ties_broken_by_sequence() {
    let messages = [m(7, 10).with_subject("a"), m(3, 10).with_subject("b")];
    assert_eq!(refs(&messages), "(7)(3)");
}

#[test]
fn rule_5_reply_joins_non_reply() {
    let messages = [m(1, 10).with_subject("x"), m(2, 20).with_subject("Re: x")];
    assert_eq!(refs(&messages), "(1 2)");
    // The subject table prefers the non-reply even when it comes later.
    let messages = [m(1, 10).with_subject("Re: x"), m(2, 20).with_subject("X")];
    assert_eq!(refs(&messages), "(2 1)");
    // "(fwd)" and "[fwd: ]" mark forwards too.
    let messages = [
        m(1, 10).with_subject("x"),
        m(2, 20).with_subject("x (fwd)"),
        m(3, 30).with_subject("[Fwd: x]"),
    ];
    assert_eq!(refs(&messages), "(1 (2)(3))");
}

#[test]
fn rule_5_same_kind_gets_new_dummy() {
    let messages = [
        m(1, 10).with_subject("x"),
        m(2, 20).with_subject("[list] x"),
    ];
    assert_eq!(refs(&messages), "((1)(2))");
    let messages = [
        m(1, 10).with_subject("Re: x"),
        m(2, 20).with_subject("re: x"),
    ];
    assert_eq!(refs(&messages), "((1)(2))");
}

#[test]
fn rule_5_message_joins_dummy_and_dummies_merge() {
    let messages = [
        m(1, 10).with_references(["a@x"]).with_subject("Re: x"),
        m(2, 20).with_references(["a@x"]).with_subject("Re: x"),
        m(3, 30).with_subject("x"),
    ];
    assert_eq!(refs(&messages), "((1)(2)(3))");
    let messages = [
        m(1, 10).with_references(["a@x"]).with_subject("Re: x"),
        m(2, 20).with_references(["a@x"]).with_subject("Re: x"),
        m(3, 5).with_references(["z@x"]).with_subject("Re: x"),
        m(4, 40).with_references(["z@x"]).with_subject("Re: x"),
    ];
    assert_eq!(refs(&messages), "((3)(1)(2)(4))");
}

#[test]
fn rule_5_empty_subjects_not_gathered() {
    let messages = [m(1, 10).with_subject(""), m(2, 20).with_subject("Re: ")];
    assert_eq!(refs(&messages), "(1)(2)");
}

#[test]
fn rule_5_subject_from_dummy_first_child() {
    // The dummy's thread subject is that of its earliest child (3).
    let messages = [
        m(1, 50).with_references(["a@x"]).with_subject("Re: other"),
        m(2, 20).with_subject("topic"),
        m(3, 10).with_references(["a@x"]).with_subject("Re: topic"),
    ];
    assert_eq!(refs(&messages), "((3)(2)(1))");
}

#[test]
fn rule_6_siblings_sorted_by_date_deepest_first() {
    let messages = [
        m(1, 10).with_message_id("a@x").with_subject("p"),
        m(2, 30)
            .with_message_id("b@x")
            .with_references(["a@x"])
            .with_subject("Re: p"),
        m(3, 20)
            .with_message_id("c@x")
            .with_references(["a@x"])
            .with_subject("Re: p"),
        m(4, 60)
            .with_references(["a@x", "b@x"])
            .with_subject("Re: p"),
        m(5, 40)
            .with_references(["a@x", "b@x"])
            .with_subject("Re: p"),
    ];
    assert_eq!(refs(&messages), "(1 (3)(2 (5)(4)))");
}

#[test]
fn ordered_subject_rules() {
    let messages = [
        m(1, 40).with_subject("b"),
        m(2, 30).with_subject("a"),
        m(3, 10).with_subject("Re: b"),
        m(4, 30).with_subject("RE: A"),
        m(5, 20).with_subject(""),
        m(6, 20).with_subject("Re:"),
        m(7, 50).with_subject("[x] b"),
    ];
    // Threads by base subject, first message the root, others its
    // children (no grandchildren), threads by date of the first message.
    assert_eq!(
        ordered_subject(&messages).to_imap_string(),
        "(3 (1)(7))(5 6)(2 4)"
    );
    assert_eq!(ordered_subject(&[]).to_imap_string(), "");
}

#[test]
fn from_parsed_messages() {
    let raw: [&[u8]; 4] = [
        b"Message-ID: <1@example.org>\r\nSubject: Plans\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nbody\r\n",
        b"Message-ID: <2@example.org>\r\nIn-Reply-To: <1@example.org>\r\nSubject: Re: Plans\r\nDate: Mon, 1 Jan 2024 11:00:00 +0000\r\n\r\n",
        b"Message-ID: <3@example.org>\r\nReferences: <1@example.org>\r\n <2@example.org>\r\nSubject: =?utf-8?q?Re=3A_Plans?=\r\nDate: Mon, 1 Jan 2024 09:30:00 -0200\r\n\r\n",
        b"Message-ID: <4@example.org>\r\nSubject: [team] Plans\r\nDate: Mon, 1 Jan 2024 09:00:00 +0000\r\n\r\n",
    ];
    let messages: Vec<_> = raw
        .iter()
        .enumerate()
        .map(|(i, r)| {
            ThreadMessage::from_header(i as u32 + 1, mailwire_message::parse(r).header(), 0)
        })
        .collect();
    assert_eq!(references(&messages).to_imap_string(), "((4)(1 2 3))");
    assert_eq!(ordered_subject(&messages).to_imap_string(), "(4 (1)(2)(3))");
}

#[test]
fn deep_chain_does_not_recurse() {
    let ids: Vec<String> = (0..200_000).map(|i| format!("{i}@x")).collect();
    let messages: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let message = m(i as u32 + 1, i as i64)
                .with_message_id(id)
                .with_subject("s");
            match i.checked_sub(1) {
                Some(parent) => message.with_in_reply_to([ids[parent].as_str()]),
                None => message,
            }
        })
        .collect();
    let threads = references(&messages);
    let text = threads.to_imap_string();
    assert!(text.starts_with("(1 2 3 "));
    assert!(text.ends_with(" 199999 200000)"));
    // Reversed order: every message names its parent before it exists.
    let reversed: Vec<_> = messages.iter().rev().cloned().collect();
    assert_eq!(references(&reversed).to_imap_string(), text);
}

/// Threads `name.mbox` and compares with Dovecot 2.3's THREAD responses in
/// `name.dovecot`, recorded by thread-dovecot.sh with every internal date
/// 01-Jan-2000.
fn matches_dovecot(name: &str, count: usize) {
    use mailwire_message::mbox::{MboxFormat, MboxReader};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/threading");
    let file = std::fs::read(dir.join(format!("{name}.mbox"))).unwrap();
    let messages: Vec<_> = MboxReader::new(file.as_slice(), MboxFormat::Mboxrd)
        .enumerate()
        .map(|(i, m)| {
            let m = m.unwrap();
            let section = mailwire_message::parse_header(m.data(), Default::default());
            ThreadMessage::from_header(i as u32 + 1, &section.header, 946_684_800)
        })
        .collect();
    assert_eq!(messages.len(), count);
    let expected = std::fs::read_to_string(dir.join(format!("{name}.dovecot"))).unwrap();
    let mut lines = expected.lines();
    let dovecot_references = lines.next().unwrap().strip_prefix("REFERENCES ").unwrap();
    let dovecot_ordered = lines
        .next()
        .unwrap()
        .strip_prefix("ORDEREDSUBJECT ")
        .unwrap();
    assert_eq!(references(&messages).to_imap_string(), dovecot_references);
    assert_eq!(ordered_subject(&messages).to_imap_string(), dovecot_ordered);
}

/// The notmuch mailing-list corpus (see threading/README.md).
#[test]
fn mailing_list_archive_matches_dovecot() {
    matches_dovecot("notmuch", 65);
}

/// 1000 generated messages with every threading irregularity
/// (threading/generate.py).
#[test]
fn generated_mailbox_matches_dovecot() {
    matches_dovecot("generated", 1000);
}

mod properties {
    use super::*;
    use mailwire_message::thread::Threads;
    use proptest::prelude::*;

    /// Every message number appears exactly once in the forest.
    fn numbers(threads: &Threads) -> Vec<u32> {
        let mut out = Vec::new();
        let mut stack: Vec<_> = threads.roots().collect();
        while let Some(node) = stack.pop() {
            out.extend(node.message());
            stack.extend(node.children());
        }
        out.sort_unstable();
        out
    }

    fn message() -> impl Strategy<Value = (Option<u8>, Vec<u8>, Option<u8>, String, i64)> {
        (
            proptest::option::of(0u8..20),
            proptest::collection::vec(0u8..20, 0..5),
            proptest::option::of(0u8..20),
            prop_oneof![
                Just(""),
                Just("a"),
                Just("Re: a"),
                Just("[x] a"),
                Just("b"),
                Just("Fwd: b"),
                Just("a (fwd)")
            ]
            .prop_map(str::to_owned),
            0i64..5,
        )
    }

    proptest! {
        #[test]
        fn every_message_once(specs in proptest::collection::vec(message(), 0..40)) {
            let ids: Vec<String> = (0..20).map(|i| format!("{i}@x")).collect();
            let messages: Vec<_> = specs
                .iter()
                .enumerate()
                .map(|(i, (id, refs, reply, subject, date))| {
                    let mut m = ThreadMessage::new(i as u32 + 1, *date)
                        .with_subject(subject.as_str())
                        .with_references(refs.iter().map(|&r| ids[r as usize].as_str()))
                        .with_in_reply_to(reply.iter().map(|&r| ids[r as usize].as_str()));
                    if let Some(id) = id {
                        m = m.with_message_id(&ids[*id as usize]);
                    }
                    m
                })
                .collect();
            let expected: Vec<u32> = (1..=messages.len() as u32).collect();
            let by_references = references(&messages);
            prop_assert_eq!(numbers(&by_references), expected.clone());
            let by_subject = ordered_subject(&messages);
            prop_assert_eq!(numbers(&by_subject), expected);
            // ORDEREDSUBJECT has no grandchildren.
            for root in by_subject.roots() {
                for child in root.children() {
                    prop_assert_eq!(child.children().len(), 0);
                }
            }
            // A dummy only at the top, with two children or more.
            for root in by_references.roots() {
                if root.message().is_none() {
                    prop_assert!(root.children().len() >= 2);
                }
                let mut stack: Vec<_> = root.children().collect();
                while let Some(node) = stack.pop() {
                    prop_assert!(node.message().is_some());
                    stack.extend(node.children());
                }
            }
        }
    }
}
