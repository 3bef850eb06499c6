#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::*;
use crate::mx::{MxAnswer, MxRecord, MxTarget};
use crate::{EnhancedCode, Notify, Reply, ReplyCode};

const T0: Timestamp = Timestamp(1_700_000_000);
const DAY: u64 = 24 * 3600;

fn reply(code: u16, text: &str) -> Diagnostic {
    Diagnostic::from_reply(&Reply::new(ReplyCode::new(code).unwrap(), text).unwrap())
}

fn id(name: &str) -> MessageId {
    MessageId::try_from(name).unwrap()
}

fn message(name: &str, sender: &str, recipients: &[&str]) -> Message {
    Message::new(
        id(name),
        sender,
        T0,
        recipients.iter().map(|r| Recipient::new(r)).collect(),
    )
}

fn drain(queue: &mut Queue) -> Vec<Event> {
    std::iter::from_fn(|| queue.poll_event()).collect()
}

fn two_hosts() -> MxAnswer {
    MxAnswer::Records(vec![
        MxRecord::new(20, "mx2.example.net."),
        MxRecord::new(10, "mx1.example.net."),
    ])
}

fn deliveries(events: &[Event]) -> Vec<Job> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Deliver(job) => Some(job.clone()),
            _ => None,
        })
        .collect()
}

fn connect(queue: &mut Queue, now: Timestamp, job: JobId) -> MxTarget {
    queue.handle_mx(now, job, Ok(&two_hosts())).unwrap();
    match queue.poll_event() {
        Some(Event::ConnectTo { host, .. }) => host,
        other => panic!("expected ConnectTo, got {other:?}"),
    }
}

/// Fails every attempt of a one-recipient message until it bounces,
/// checking each retry against the jitter bounds.
#[test]
fn retries_within_jitter_then_expire_with_one_delay_notice() {
    let config = QueueConfig::default();
    let mut queue = Queue::new(config.clone());
    queue
        .enqueue(T0, message("m1", "a@example.org", &["b@example.net"]))
        .unwrap();
    let expiry = T0.plus(5 * DAY);
    let mut now = T0;
    let mut attempts = 0u32;
    let mut notices = Vec::new();
    let mut bounce = None;
    for _ in 0..1000 {
        let events = drain(&mut queue);
        for event in &events {
            match event {
                Event::DelayNotice {
                    recipients,
                    will_retry_until,
                    ..
                } => {
                    notices.push(now);
                    assert_eq!(*will_retry_until, expiry);
                    assert_eq!(recipients[0].diagnostic, Some(Diagnostic::other("refused")));
                }
                Event::Bounce { .. } => bounce = Some((now, event.clone())),
                _ => {}
            }
        }
        if bounce.is_some() {
            break;
        }
        if let Some(job) = deliveries(&events).first() {
            attempts += 1;
            connect(&mut queue, now, job.id);
            queue.handle_connect_failed(now, job.id, "refused").unwrap();
            let events = drain(&mut queue);
            // Both hosts were tried: the first failure moved to mx2.
            let Some(Event::ConnectTo { host, .. }) = events.first() else {
                panic!("fallback expected: {events:?}")
            };
            assert_eq!(host.exchange, "mx2.example.net");
            queue.handle_connect_failed(now, job.id, "refused").unwrap();
            let events = drain(&mut queue);
            match &events[..] {
                [Event::Defer { next_attempt, .. }] => {
                    let (low, high) = config.retry_bounds(attempts);
                    let delay = next_attempt.0 - now.0;
                    assert!(
                        (low..=high).contains(&delay) || *next_attempt == expiry,
                        "attempt {attempts}: delay {delay} not in {low}..={high}"
                    );
                }
                [Event::Bounce { .. }, Event::Finished { .. }] => {
                    bounce = Some((now, events[0].clone()));
                    break;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        now = queue.poll_timeout().expect("a retry is scheduled");
        queue.handle_timeout(now);
    }
    let (when, event) = bounce.expect("bounced");
    assert_eq!(when, expiry, "last attempt at the end of the lifetime");
    let Event::Bounce {
        recipients,
        expired,
        dsn,
        ..
    } = event
    else {
        panic!()
    };
    assert!(expired && dsn);
    assert_eq!(recipients[0].address, "b@example.net");
    assert_eq!(notices.len(), 1, "one delay notice");
    assert!(notices[0] >= T0.plus(4 * 3600) && notices[0] < T0.plus(5 * 3600));
    // 300, 600, 1200, 2400, then 4000 s ± 10 % for five days.
    assert!((100..=125).contains(&attempts), "{attempts} attempts");
    assert!(queue.message(&id("m1")).is_none());
}

#[test]
fn backoff_doubles_up_to_the_maximum() {
    let config = QueueConfig::default();
    let delays: Vec<u64> = (1..=7).map(|n| config.backoff(n)).collect();
    assert_eq!(delays, [300, 600, 1200, 2400, 4000, 4000, 4000]);
    assert_eq!(config.retry_bounds(1), (270, 330));
    for random in [0, 1, 60, 61, u64::MAX] {
        let delay = config.retry_delay(1, random);
        assert!((270..=330).contains(&delay));
    }
}

#[test]
fn one_transaction_with_per_recipient_outcomes() {
    let mut queue = Queue::new(QueueConfig::default());
    let m = message(
        "m1",
        "a@example.org",
        &[
            "ok@example.net",
            "busy@example.net",
            "gone@Example.NET",
            "x@other.example",
        ],
    );
    queue.enqueue(T0, m).unwrap();
    let jobs = deliveries(&drain(&mut queue));
    assert_eq!(jobs.len(), 2, "one attempt per domain");
    let job = jobs.iter().find(|j| j.domain == "example.net").unwrap();
    assert_eq!(
        job.recipients.iter().map(|r| r.0).collect::<Vec<_>>(),
        [0, 1, 2]
    );
    let host = connect(&mut queue, T0, job.id);
    assert_eq!(host.exchange, "mx1.example.net");
    let gone = Diagnostic::from_reply(
        &Reply::new(ReplyCode::MAILBOX_UNAVAILABLE, "no such user")
            .unwrap()
            .with_enhanced(EnhancedCode::BAD_DESTINATION_MAILBOX),
    );
    let replies = [
        (0, reply(250, "ok")),
        (1, reply(450, "busy")),
        (2, gone.clone()),
    ];
    queue
        .handle_recipient_replies(T0, job.id, &replies)
        .unwrap();
    let events = drain(&mut queue);
    let [
        Event::Delivered { recipients: d, .. },
        Event::Defer { recipients: f, .. },
        Event::Bounce {
            recipients: b,
            expired: false,
            dsn: true,
            ..
        },
    ] = &events[..]
    else {
        panic!("{events:?}")
    };
    assert_eq!((d[0].index, f[0].index, b[0].index), (0, 1, 2));
    assert!(!d[0].dsn, "no NOTIFY=SUCCESS");
    assert_eq!(b[0].remote_mta.as_deref(), Some("mx1.example.net"));
    assert_eq!(b[0].diagnostic.as_ref().unwrap().status(), "5.1.1");
    let stored = queue.message(&id("m1")).unwrap();
    let states: Vec<_> = stored.recipients.iter().map(|r| r.state.clone()).collect();
    assert_eq!(
        states,
        [
            RecipientState::Delivered,
            RecipientState::Deferred,
            RecipientState::Bounced,
            RecipientState::Pending
        ]
    );
    let other = jobs.iter().find(|j| j.domain == "other.example").unwrap();
    queue
        .handle_mx(T0, other.id, Ok(&MxAnswer::NoRecords))
        .unwrap();
    let Some(Event::ConnectTo { host, .. }) = queue.poll_event() else {
        panic!()
    };
    assert!(host.implicit);
    queue
        .handle_recipient_replies(T0, other.id, &[(3, reply(250, "ok"))])
        .unwrap();
    let events = drain(&mut queue);
    assert!(matches!(events[0], Event::Delivered { .. }));
    assert!(deliveries(&events).is_empty(), "not due before its time");
    // The retry carries only the deferred recipient.
    let now = queue.poll_timeout().unwrap();
    queue.handle_timeout(now);
    let retry = deliveries(&drain(&mut queue));
    assert_eq!(retry[0].recipients, [(1, "busy@example.net".to_owned())]);
    connect(&mut queue, now, retry[0].id);
    queue
        .handle_session_reply(now, retry[0].id, reply(250, "queued"))
        .unwrap();
    let events = drain(&mut queue);
    assert!(matches!(
        &events[..],
        [Event::Delivered { .. }, Event::Finished { .. }]
    ));
    assert_eq!(queue.poll_timeout(), None);
}

#[test]
fn session_4xx_falls_back_and_5xx_bounces() {
    let mut queue = Queue::new(QueueConfig::default());
    queue
        .enqueue(T0, message("m1", "a@example.org", &["b@example.net"]))
        .unwrap();
    let job = deliveries(&drain(&mut queue))[0].clone();
    assert_eq!(connect(&mut queue, T0, job.id).exchange, "mx1.example.net");
    queue
        .handle_session_reply(T0, job.id, reply(421, "try later"))
        .unwrap();
    let Some(Event::ConnectTo {
        host,
        job: with_hosts,
    }) = queue.poll_event()
    else {
        panic!()
    };
    assert_eq!(host.exchange, "mx2.example.net");
    assert_eq!(with_hosts.hosts.len(), 2);
    queue
        .handle_session_reply(T0, job.id, reply(554, "go away"))
        .unwrap();
    let events = drain(&mut queue);
    let [
        Event::Bounce {
            recipients,
            expired: false,
            ..
        },
        Event::Finished { .. },
    ] = &events[..]
    else {
        panic!("{events:?}")
    };
    assert_eq!(recipients[0].remote_mta.as_deref(), Some("mx2.example.net"));
    assert_eq!(
        queue.handle_connect_failed(T0, job.id, "late"),
        Err(QueueError::UnknownJob(job.id))
    );
    assert_eq!(
        queue.enqueue(T0, message("m2", "a@example.org", &["postmaster"])),
        Err(QueueError::InvalidRecipient("postmaster".into()))
    );
    assert_eq!(
        queue.enqueue(T0, message("m3", "a@example.org", &[])),
        Err(QueueError::NoRecipients)
    );
    queue
        .enqueue(T0, message("m4", "a@example.org", &["b@example.net"]))
        .unwrap();
    assert_eq!(
        queue.enqueue(T0, message("m4", "a@example.org", &["b@example.net"])),
        Err(QueueError::Duplicate(id("m4")))
    );
}

#[test]
fn null_mx_bounces_and_dns_failure_defers() {
    let mut queue = Queue::new(QueueConfig::default());
    queue
        .enqueue(T0, message("m1", "a@example.org", &["b@example.net"]))
        .unwrap();
    queue
        .enqueue(T0, message("m2", "a@example.org", &["c@example.net"]))
        .unwrap();
    let jobs = deliveries(&drain(&mut queue));
    let null = MxAnswer::Records(vec![MxRecord::new(0, ".")]);
    queue.handle_mx(T0, jobs[0].id, Ok(&null)).unwrap();
    let events = drain(&mut queue);
    let Event::Bounce { recipients, .. } = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(
        recipients[0].diagnostic.as_ref().unwrap().status(),
        "5.1.10"
    );
    queue
        .handle_mx(T0, jobs[1].id, Err(Diagnostic::other("SERVFAIL")))
        .unwrap();
    assert!(matches!(queue.poll_event(), Some(Event::Defer { .. })));
}

#[test]
fn destination_concurrency_limits_running_attempts() {
    let config = QueueConfig {
        destination_concurrency: 2,
        ..QueueConfig::default()
    };
    let mut queue = Queue::new(config);
    for name in ["m1", "m2", "m3"] {
        queue
            .enqueue(T0, message(name, "a@example.org", &["b@example.net"]))
            .unwrap();
    }
    queue
        .enqueue(T0, message("m4", "a@example.org", &["b@other.example"]))
        .unwrap();
    let jobs = deliveries(&drain(&mut queue));
    let domains: Vec<&str> = jobs.iter().map(|j| j.domain.as_str()).collect();
    assert_eq!(domains, ["example.net", "example.net", "other.example"]);
    // m3 is due but blocked: no busy timeout for it.
    assert_eq!(queue.poll_timeout(), None);
    queue.handle_timeout(T0.plus(10));
    assert!(deliveries(&drain(&mut queue)).is_empty());
    connect(&mut queue, T0, jobs[0].id);
    queue
        .handle_recipient_replies(T0, jobs[0].id, &[(0, reply(250, "ok"))])
        .unwrap();
    let started = deliveries(&drain(&mut queue));
    assert_eq!(started.len(), 1);
    assert_eq!(started[0].message, id("m3"));
}

#[test]
fn null_sender_bounces_are_recorded_without_notification() {
    let mut queue = Queue::new(QueueConfig::default());
    queue
        .enqueue(T0, message("m1", "", &["b@example.net", "c@example.net"]))
        .unwrap();
    let job = deliveries(&drain(&mut queue))[0].clone();
    connect(&mut queue, T0, job.id);
    let replies = [(0, reply(550, "no")), (1, reply(451, "later"))];
    queue
        .handle_recipient_replies(T0, job.id, &replies)
        .unwrap();
    let events = drain(&mut queue);
    let bounce = events
        .iter()
        .find(|e| matches!(e, Event::Bounce { .. }))
        .unwrap();
    let Event::Bounce {
        dsn, recipients, ..
    } = bounce
    else {
        panic!()
    };
    assert!(!dsn && !recipients[0].dsn);
    // Past the warning time: no delay notice for <>.
    let now = T0.plus(5 * 3600);
    queue.handle_timeout(now);
    let events = drain(&mut queue);
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::DelayNotice { .. })),
        "{events:?}"
    );
}

#[test]
fn notify_decides_which_notifications_are_due() {
    let mut queue = Queue::new(QueueConfig::default());
    let mut m = message(
        "m1",
        "a@example.org",
        &["s@example.net", "n@example.net", "f@example.net"],
    );
    m.recipients[0].notify = Notify::on(true, false, false);
    m.recipients[1].notify = Some(Notify::NEVER);
    m.recipients[2].notify = Notify::on(false, true, false);
    queue.enqueue(T0, m).unwrap();
    let job = deliveries(&drain(&mut queue))[0].clone();
    connect(&mut queue, T0, job.id);
    let replies = [
        (0, reply(250, "ok")),
        (1, reply(550, "no")),
        (2, reply(450, "later")),
    ];
    queue
        .handle_recipient_replies(T0, job.id, &replies)
        .unwrap();
    let events = drain(&mut queue);
    let Event::Delivered { recipients, .. } = &events[0] else {
        panic!()
    };
    assert!(recipients[0].dsn, "NOTIFY=SUCCESS");
    let Event::Bounce { dsn, .. } = &events[2] else {
        panic!("{events:?}")
    };
    assert!(!dsn, "NOTIFY=NEVER");
    queue.handle_timeout(T0.plus(5 * 3600));
    let events = drain(&mut queue);
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::DelayNotice { .. })),
        "NOTIFY=FAILURE only"
    );
}

#[test]
fn flush_makes_deferred_mail_due_now() {
    let mut queue = Queue::new(QueueConfig::default());
    queue
        .enqueue(T0, message("m1", "a@example.org", &["b@example.net"]))
        .unwrap();
    let job = deliveries(&drain(&mut queue))[0].clone();
    queue
        .handle_mx(T0, job.id, Err(Diagnostic::other("SERVFAIL")))
        .unwrap();
    drain(&mut queue);
    let now = T0.plus(10);
    assert!(queue.poll_timeout().unwrap() > now);
    queue.flush(now);
    assert_eq!(deliveries(&drain(&mut queue)).len(), 1);
}

/// Drives a queue for `rounds` due times, failing every attempt with a
/// connection failure; returns what happened, job ids left out.
fn drive(queue: &mut Queue, mut now: Timestamp, rounds: usize) -> Vec<String> {
    let mut log = Vec::new();
    for round in 0..rounds {
        let mut work = drain(queue);
        work.reverse();
        while let Some(event) = work.pop() {
            match event {
                Event::Deliver(job) => {
                    log.push(format!("{now:?} deliver {} {}", job.message, job.domain));
                    queue
                        .handle_mx(now, job.id, Ok(&MxAnswer::NoRecords))
                        .unwrap();
                    drain(queue);
                    queue.handle_connect_failed(now, job.id, "refused").unwrap();
                    let mut more = drain(queue);
                    more.reverse();
                    work.extend(more);
                }
                other => log.push(format!("{now:?} {other:?}")),
            }
        }
        if round + 1 == rounds {
            break;
        }
        let Some(next) = queue.poll_timeout() else {
            break;
        };
        now = next;
        queue.handle_timeout(now);
    }
    log
}

#[test]
fn restored_queue_keeps_the_same_schedule() {
    let config = QueueConfig {
        seed: 7,
        ..QueueConfig::default()
    };
    let mut queue = Queue::new(config.clone());
    queue
        .enqueue(
            T0,
            message("m1", "a@example.org", &["b@example.net", "c@other.example"]),
        )
        .unwrap();
    queue
        .enqueue(T0, message("m2", "", &["d@example.net"]))
        .unwrap();
    drive(&mut queue, T0, 30);
    let now = queue.poll_timeout().unwrap();
    // Killed a second before the next retry, restarted at once.
    let crash = Timestamp(now.0 - 1);
    let files: Vec<Vec<u8>> = queue.messages().map(Message::to_bytes).collect();
    let mut restored = Queue::new(config.clone());
    for file in &files {
        restored
            .restore(
                crash,
                Message::from_bytes(file, config.max_recipients).unwrap(),
            )
            .unwrap();
    }
    assert_eq!(restored.poll_timeout(), Some(now));
    queue.handle_timeout(now);
    restored.handle_timeout(now);
    let (before, after) = (drive(&mut queue, now, 200), drive(&mut restored, now, 200));
    assert!(before.len() > 100, "{} events", before.len());
    assert_eq!(before, after);
}

#[test]
fn envelope_file_round_trips() {
    let mut m = message(
        "m-1.x",
        "a b@example.org",
        &["\"x y\"@example.net", "c@example.net"],
    );
    m.envid = Some("QQ314159".to_owned());
    m.ret = Some(crate::Ret::Headers);
    m.mail_parameters = vec!["BODY=8BITMIME".into(), "SMTPUTF8".into()];
    m.recipients[0].notify = Notify::on(false, true, true);
    m.recipients[0].orcpt = Some("rfc822;x+20y@example.net".to_owned());
    m.recipients[0].state = RecipientState::Deferred;
    m.recipients[0].attempts = 3;
    m.recipients[0].next_due = T0.plus(1200);
    m.recipients[0].delay_notified = true;
    m.recipients[0].last = Some(reply(451, "4.3.0 try again"));
    m.recipients[1].state = RecipientState::Bounced;
    m.recipients[1].notify = Some(Notify::NEVER);
    m.recipients[1].last = Some(Diagnostic::other("connection refused"));
    let bytes = m.to_bytes();
    assert_eq!(Message::from_bytes(&bytes, 10), Ok(m.clone()));
    for cut in 0..bytes.len() - 1 {
        assert!(
            Message::from_bytes(&bytes[..cut], 10).is_err(),
            "cut at {cut}"
        );
    }
    assert_eq!(
        Message::from_bytes(&bytes, 1),
        Err(StoreError::LimitExceeded { limit: 1 })
    );
}

#[test]
fn garbled_envelope_files_are_typed_errors() {
    let good = "mailwire-queue 1\nid m1\narrival 5\nsender a@example.org\nrcpt pending 0 5 0 - - b@example.net\nend 1\n";
    assert!(Message::from_bytes(good.as_bytes(), 10).is_ok());
    let cases: &[(&str, StoreError)] = &[
        ("", StoreError::Truncated),
        ("mailwire-queue 2\n", StoreError::UnsupportedVersion(2)),
        (
            "mailwire-queue x\n",
            StoreError::Malformed {
                line: 1,
                expected: "mailwire-queue <version>",
            },
        ),
        (
            "mailwire-queue 1\nid ../x\n",
            StoreError::Malformed {
                line: 2,
                expected: "id <message id>",
            },
        ),
        (
            "mailwire-queue 1\nid m1\narrival 5\nsender \nrcpt sent 0 5 0 - - b@example.net\nend 1\n",
            StoreError::Malformed {
                line: 5,
                expected: "rcpt fields",
            },
        ),
        (
            "mailwire-queue 1\nid m1\narrival 5\nsender \nrcpt pending 0 5 0 - - b@example.net\nend 2\n",
            StoreError::Malformed {
                line: 6,
                expected: "end <number of rcpt lines>",
            },
        ),
        (
            "mailwire-queue 1\nid m1\narrival 5\nsender \nlast other x\nend 0\n",
            StoreError::Malformed {
                line: 5,
                expected: "rcpt before last",
            },
        ),
        (
            "mailwire-queue 1\nid m1\narrival 5\nsender \nrcpt pending 0 5 0 - - b@example.net\nend 1\njunk\n",
            StoreError::Malformed {
                line: 7,
                expected: "nothing after end",
            },
        ),
    ];
    for (input, error) in cases {
        assert_eq!(
            Message::from_bytes(input.as_bytes(), 10).as_ref(),
            Err(error),
            "{input:?}"
        );
    }
    assert_eq!(
        Message::from_bytes(b"mailwire-queue 1\nid m1\narrival 5\nsender \xff\n", 10),
        Err(StoreError::Malformed {
            line: 4,
            expected: "UTF-8"
        })
    );
}

proptest! {
    #[test]
    fn any_envelope_file_gives_a_message_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = Message::from_bytes(&bytes, 10);
    }

    #[test]
    fn envelope_files_survive_byte_flips(at in 0usize..200, byte: u8) {
        let mut m = message("m1", "a@example.org", &["b@example.net"]);
        m.recipients[0].last = Some(reply(451, "x"));
        let mut bytes = m.to_bytes();
        if let Some(b) = bytes.get_mut(at) {
            *b = byte;
        }
        if let Ok(read) = Message::from_bytes(&bytes, 10) {
            prop_assert_eq!(read.recipients.len(), 1);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the outcomes, every recipient ends delivered or bounced
    /// (by the end of the lifetime at the latest), and none is sent again
    /// after it was delivered.
    #[test]
    fn no_recipient_is_lost_or_delivered_twice(
        domains in proptest::collection::vec(0u8..3, 1..6),
        outcomes in proptest::collection::vec(0u8..8, 1..400),
        null_sender: bool,
        messages in 1usize..4,
        concurrency in 1usize..3,
    ) {
        let config = QueueConfig { destination_concurrency: concurrency, ..QueueConfig::default() };
        let mut queue = Queue::new(config);
        let recipients: Vec<String> = domains
            .iter()
            .enumerate()
            .map(|(i, d)| format!("r{i}@d{d}.example"))
            .collect();
        let sender = if null_sender { "" } else { "a@example.org" };
        let rcpt: Vec<&str> = recipients.iter().map(String::as_str).collect();
        for m in 0..messages {
            queue.enqueue(T0, message(&format!("m{m}"), sender, &rcpt)).unwrap();
        }
        let mut outcomes = outcomes.into_iter().cycle();
        let mut delivered = BTreeSet::new();
        let mut bounced = BTreeSet::new();
        let mut finished = 0;
        let mut now = T0;
        for _ in 0..2000 {
            let mut pending: Vec<Event> = drain(&mut queue);
            while let Some(event) = pending.pop() {
                match event {
                    Event::Deliver(job) => {
                        for (index, _) in &job.recipients {
                            let key = (job.message.clone(), *index);
                            prop_assert!(!delivered.contains(&key), "sent again after delivery");
                        }
                        queue.handle_mx(now, job.id, Ok(&two_hosts())).unwrap();
                        let mut events = drain(&mut queue);
                        while matches!(events.first(), Some(Event::ConnectTo { .. })) {
                            let replies: Vec<(usize, Diagnostic)> = job
                                .recipients
                                .iter()
                                .map(|(index, _)| {
                                    let code = match outcomes.next().unwrap() {
                                        0..=2 => 250,
                                        3..=5 => 451,
                                        _ => 550,
                                    };
                                    (*index, reply(code, "x"))
                                })
                                .collect();
                            match outcomes.next().unwrap() {
                                0 => queue.handle_connect_failed(now, job.id, "refused").unwrap(),
                                1 => queue.handle_session_reply(now, job.id, reply(421, "busy")).unwrap(),
                                _ => queue.handle_recipient_replies(now, job.id, &replies).unwrap(),
                            }
                            events = drain(&mut queue);
                        }
                        pending.extend(events);
                    }
                    Event::Delivered { message, recipients } => {
                        for r in recipients {
                            prop_assert!(delivered.insert((message.clone(), r.index)), "delivered twice");
                        }
                    }
                    Event::Bounce { message, recipients, dsn, .. } => {
                        prop_assert!(!(null_sender && dsn));
                        for r in recipients {
                            prop_assert!(bounced.insert((message.clone(), r.index)));
                        }
                    }
                    Event::Finished { .. } => finished += 1,
                    _ => {}
                }
            }
            match queue.poll_timeout() {
                Some(next) => {
                    prop_assert!(next >= now);
                    prop_assert!(next <= T0.plus(5 * DAY));
                    now = next;
                    queue.handle_timeout(now);
                }
                None => break,
            }
        }
        prop_assert_eq!(finished, messages);
        prop_assert_eq!(delivered.len() + bounced.len(), recipients.len() * messages);
        prop_assert!(delivered.is_disjoint(&bounced));
    }
}

#[test]
#[ignore = "measurement"]
fn measure_many_messages() {
    let mut queue = Queue::new(QueueConfig {
        destination_concurrency: 20,
        ..QueueConfig::default()
    });
    let start = std::time::Instant::now();
    let n = 5000;
    for i in 0..n {
        queue
            .enqueue(
                T0,
                message(
                    &format!("m{i}"),
                    "a@example.org",
                    &[&format!("r@d{}.example", i % 50)],
                ),
            )
            .unwrap();
    }
    let enqueued = start.elapsed();
    let mut delivered = 0;
    let mut work = drain(&mut queue);
    while let Some(event) = work.pop() {
        match event {
            Event::Deliver(job) => {
                queue
                    .handle_mx(T0, job.id, Ok(&MxAnswer::NoRecords))
                    .unwrap();
                drain(&mut queue);
                queue
                    .handle_session_reply(T0, job.id, reply(250, "ok"))
                    .unwrap();
                work.extend(drain(&mut queue));
            }
            Event::Delivered { .. } => delivered += 1,
            _ => {}
        }
    }
    assert_eq!(delivered, n);
    eprintln!(
        "{n} messages: enqueue {enqueued:?}, deliver all {:?}",
        start.elapsed() - enqueued
    );
}
