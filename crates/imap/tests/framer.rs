//! The framer: chunking never changes the result; limits and literal
//! announcements.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mailwire_core::error::Found;
use mailwire_imap::{Error, Frame, Framer, Limits, LiteralMode, NonSyncLiterals, Tag};
use proptest::prelude::*;

/// What a framer reported, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Event {
    Literal {
        tag: Option<String>,
        length: u64,
        mode: LiteralMode,
        binary: bool,
        offset: u64,
    },
    Message {
        bytes: Vec<u8>,
        offset: u64,
    },
    Error(Error),
}

fn drain(framer: &mut Framer, events: &mut Vec<Event>) {
    while let Some(frame) = framer.next() {
        events.push(match frame {
            Ok(Frame::LiteralAnnounced(a)) => Event::Literal {
                tag: a.tag.map(|t| t.as_str().to_owned()),
                length: a.length,
                mode: a.mode,
                binary: a.binary,
                offset: a.offset,
            },
            Ok(Frame::Message(m)) => Event::Message {
                bytes: m.bytes().to_vec(),
                offset: m.offset(),
            },
            Ok(_) => panic!("unknown frame"),
            Err(e) => Event::Error(e),
        });
    }
}

fn frame_chunks(limits: Limits, server: bool, chunks: &[&[u8]]) -> Vec<Event> {
    let mut framer = if server {
        Framer::server(limits)
    } else {
        Framer::client(limits)
    };
    let mut events = Vec::new();
    for chunk in chunks {
        framer.push(chunk);
        drain(&mut framer, &mut events);
    }
    events
}

const STREAM: &[u8] = b"A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n\
a2 APPEND INBOX (\\Seen) {5+}\r\nab\r\nc\r\n\
a3 NOOP\r\n\
a4 APPEND x ~{3}\r\n\0\r\n\r\n\
a5 UID FETCH 1:* (FLAGS)\r\n";

#[test]
fn stream_whole() {
    let events = frame_chunks(Limits::default(), true, &[STREAM]);
    let messages: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::Message { bytes, .. } => Some(bytes.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(messages.len(), 5);
    assert_eq!(
        messages[0],
        b"A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n"
    );
    assert_eq!(messages[1], b"a2 APPEND INBOX (\\Seen) {5+}\r\nab\r\nc\r\n");
    assert_eq!(messages[3], b"a4 APPEND x ~{3}\r\n\0\r\n\r\n");
    assert_eq!(
        events[0],
        Event::Literal {
            tag: Some("A001".into()),
            length: 11,
            mode: LiteralMode::Sync,
            binary: false,
            offset: 17,
        }
    );
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Literal {
            binary: true,
            length: 3,
            ..
        }
    )));
}

#[test]
fn split_at_every_byte() {
    let whole = frame_chunks(Limits::default(), true, &[STREAM]);
    for at in 0..=STREAM.len() {
        let (a, b) = STREAM.split_at(at);
        assert_eq!(
            frame_chunks(Limits::default(), true, &[a, b]),
            whole,
            "split at {at}"
        );
    }
    let bytes: Vec<&[u8]> = STREAM.chunks(1).collect();
    assert_eq!(frame_chunks(Limits::default(), true, &bytes), whole);
}

#[test]
fn limits() {
    let limits = Limits::default()
        .with_max_line_length(20)
        .with_max_literal_size(10);
    let events = frame_chunks(
        limits,
        true,
        &[b"a1 LOGIN averyveryverylongname x\r\na2 LOGIN {11}\r\na3 NOOP\r\n"],
    );
    assert_eq!(
        events,
        vec![
            Event::Error(Error::LimitExceeded {
                offset: 0,
                what: "line length",
                limit: 20,
                actual: 34,
                tag: None,
            }),
            Event::Error(Error::LimitExceeded {
                offset: 34,
                what: "literal size",
                limit: 10,
                actual: 11,
                tag: Some(Tag::try_from("a2").unwrap()),
            }),
            Event::Message {
                bytes: b"a3 NOOP\r\n".to_vec(),
                offset: 49
            },
        ]
    );
}

#[test]
fn bare_lf_is_an_error_with_the_tag() {
    let events = frame_chunks(Limits::default(), true, &[b"a1 LOGIN {1}\r\nx\nb NOOP\r\n"]);
    assert_eq!(
        events[1],
        Event::Error(Error::Malformed {
            offset: 15,
            expected: "CRLF",
            found: Found::Byte(b'\n'),
            tag: Some(Tag::try_from("a1").unwrap()),
        })
    );
    assert!(matches!(&events[2], Event::Message { bytes, .. } if bytes == b"b NOOP\r\n"));
}

#[test]
fn non_sync_refused_without_literal_plus() {
    let limits = Limits::default().with_non_sync_literals(NonSyncLiterals::Refuse);
    let events = frame_chunks(limits, true, &[b"a LOGIN {1+}\r\nx y\r\nb NOOP\r\n"]);
    assert!(matches!(
        &events[0],
        Event::Error(Error::LimitExceeded {
            what: "non-synchronizing literal",
            ..
        })
    ));
    assert_eq!(events.len(), 2);
}

#[test]
fn client_side_literals_follow_at_once() {
    let stream = b"* 1 FETCH (BODY[] {3}\r\na\r\n)\r\n* 2 EXISTS\r\n";
    let events = frame_chunks(Limits::default(), false, &[stream]);
    assert_eq!(events.len(), 3);
    assert!(
        matches!(&events[1], Event::Message { bytes, .. } if bytes == b"* 1 FETCH (BODY[] {3}\r\na\r\n)\r\n")
    );
}

fn arb_message() -> impl Strategy<Value = Vec<u8>> {
    let line = prop::collection::vec(
        prop::sample::select(b"abc {}~+0123 \r\n\0*".to_vec()),
        0..20,
    );
    (
        line,
        prop::option::of((0usize..12, any::<bool>(), any::<bool>())),
    )
        .prop_map(|(mut line, literal)| {
            line.retain(|b| *b != b'\r' && *b != b'\n');
            if let Some((n, plus, binary)) = literal {
                if binary {
                    line.push(b'~');
                }
                line.extend_from_slice(
                    format!("{{{n}{}}}\r\n", if plus { "+" } else { "" }).as_bytes(),
                );
                line.extend(std::iter::repeat_n(b'\n', n));
            }
            line.extend_from_slice(b"\r\n");
            line
        })
}

proptest! {
    #[test]
    fn chunked_equals_whole(
        messages in prop::collection::vec(arb_message(), 1..6),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
        server in any::<bool>(),
        noise in prop::collection::vec(any::<u8>(), 0..16),
    ) {
        let mut stream: Vec<u8> = messages.concat();
        stream.extend_from_slice(&noise);
        let limits = Limits::default().with_max_line_length(24).with_max_literal_size(8);
        let whole = frame_chunks(limits, server, &[&stream]);
        let mut points: Vec<usize> = cuts.iter().map(|i| i.index(stream.len() + 1)).collect();
        points.sort_unstable();
        let mut chunks = Vec::new();
        let mut last = 0;
        for p in points {
            chunks.push(&stream[last..p]);
            last = p;
        }
        chunks.push(&stream[last..]);
        prop_assert_eq!(frame_chunks(limits, server, &chunks), whole);
    }
}

#[test]
fn scan_message_agrees_with_the_framer() {
    use mailwire_imap::{Scanned, scan_message};
    let limits = Limits::default();
    let messages: Vec<Vec<u8>> = frame_chunks(limits, true, &[STREAM])
        .into_iter()
        .filter_map(|e| match e {
            Event::Message { bytes, .. } => Some(bytes),
            _ => None,
        })
        .collect();
    let mut rest = STREAM;
    for message in &messages {
        assert_eq!(
            scan_message(rest, &limits),
            Ok(Scanned::Complete(message.len()))
        );
        for cut in 0..message.len() {
            assert!(!matches!(
                scan_message(&rest[..cut], &limits),
                Ok(Scanned::Complete(_)) | Err(_)
            ));
        }
        rest = &rest[message.len()..];
    }
    assert_eq!(
        scan_message(b"a\nb\r\n", &limits).unwrap_err().expected(),
        Some("CRLF")
    );
}

#[test]
fn streamed_literals_arrive_in_chunks_and_leave_an_empty_literal() {
    use mailwire_imap::{CommandBody, ParserConfig, parse_command};
    let body: Vec<u8> = (0..5000u32).map(|i| b"abc\r\n"[(i % 5) as usize]).collect();
    let mut stream = format!("a1 APPEND INBOX (\\Seen) ~{{{}}}\r\n", body.len()).into_bytes();
    stream.extend_from_slice(&body);
    stream.extend_from_slice(b"\r\na2 NOOP\r\n");
    for chunk in [1usize, 7, 100, 4096, stream.len()] {
        let mut framer = Framer::server(Limits::default());
        let mut data = Vec::new();
        let mut messages = Vec::new();
        for piece in stream.chunks(chunk) {
            framer.push(piece);
            loop {
                match framer.next() {
                    None => break,
                    Some(Ok(Frame::LiteralAnnounced(a))) => {
                        assert!(a.binary);
                        framer.stream_literal();
                    }
                    Some(Ok(Frame::LiteralData { data: d, remaining })) => {
                        data.extend_from_slice(d);
                        assert_eq!(remaining as usize, body.len() - data.len());
                        assert!(d.len() <= chunk.max(1));
                    }
                    Some(Ok(Frame::Message(m))) => messages.push(m.bytes().to_vec()),
                    other => panic!("{other:?}"),
                }
            }
        }
        assert_eq!(data, body, "chunk {chunk}");
        assert_eq!(messages[0], b"a1 APPEND INBOX (\\Seen) ~{0}\r\n\r\n");
        assert_eq!(messages[1], b"a2 NOOP\r\n");
        let command = parse_command(&messages[0], &ParserConfig::default()).unwrap();
        assert!(matches!(command.body, CommandBody::Append { .. }));
    }
}

/// Frames with every literal streamed: literal octets joined per literal.
fn frame_streaming(limits: Limits, server: bool, chunks: &[&[u8]]) -> Vec<Event> {
    let mut framer = if server {
        Framer::server(limits)
    } else {
        Framer::client(limits)
    };
    let mut events = Vec::new();
    let mut literal: Option<Vec<u8>> = None;
    for chunk in chunks {
        framer.push(chunk);
        while let Some(frame) = framer.next() {
            match frame {
                Ok(Frame::LiteralAnnounced(a)) => {
                    let length = a.length;
                    framer.stream_literal();
                    if length == 0 {
                        events.push(Event::Message {
                            bytes: Vec::new(),
                            offset: u64::MAX,
                        });
                    } else {
                        literal = Some(Vec::new());
                    }
                }
                Ok(Frame::LiteralData { data, remaining }) => {
                    let buf = literal.as_mut().expect("announced");
                    buf.extend_from_slice(data);
                    if remaining == 0 {
                        events.push(Event::Message {
                            bytes: literal.take().unwrap(),
                            offset: u64::MAX,
                        });
                    }
                }
                Ok(Frame::Message(m)) => events.push(Event::Message {
                    bytes: m.bytes().to_vec(),
                    offset: m.offset(),
                }),
                Ok(_) => panic!("unknown frame"),
                Err(e) => events.push(Event::Error(e)),
            }
        }
    }
    events
}

proptest! {
    #[test]
    fn streaming_chunked_equals_whole(
        messages in prop::collection::vec(arb_message(), 1..6),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
        server in any::<bool>(),
    ) {
        let stream: Vec<u8> = messages.concat();
        let limits = Limits::default().with_max_line_length(24).with_max_literal_size(8);
        let whole = frame_streaming(limits, server, &[&stream]);
        let mut points: Vec<usize> = cuts.iter().map(|i| i.index(stream.len() + 1)).collect();
        points.sort_unstable();
        let mut chunks = Vec::new();
        let mut last = 0;
        for p in points {
            chunks.push(&stream[last..p]);
            last = p;
        }
        chunks.push(&stream[last..]);
        prop_assert_eq!(frame_streaming(limits, server, &chunks), whole);
    }
}
