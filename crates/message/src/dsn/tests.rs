#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;

use super::*;

/// RFC 3464 Appendix E, "Multi-Recipient DSN", without the page's indent
/// (and without the stray space the RFC text has before one delimiter).
const MULTI_RECIPIENT: &str = "Date: Fri, 8 Jul 1994 09:21:47 -0400
From: Mail Delivery Subsystem <MAILER-DAEMON@CS.UTK.EDU>
Subject: Returned mail: User unknown
To: <owner-ups-mib@CS.UTK.EDU>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
       boundary=\"JAA13167.773673707/CS.UTK.EDU\"

--JAA13167.773673707/CS.UTK.EDU
content-type: text/plain; charset=us-ascii

       ----- The following addresses had delivery problems -----
<arathib@vnet.ibm.com> (unrecoverable error)
<wsnell@sdcc13.ucsd.edu> (unrecoverable error)

--JAA13167.773673707/CS.UTK.EDU
content-type: message/delivery-status

Reporting-MTA: dns; cs.utk.edu

Original-Recipient: rfc822;arathib@vnet.ibm.com
Final-Recipient: rfc822;arathib@vnet.ibm.com
Action: failed
Status: 5.0.0 (permanent failure)
Diagnostic-Code: smtp;  550 'arathib@vnet.IBM.COM' is not a
 registered gateway user
Remote-MTA: dns; vnet.ibm.com

Original-Recipient: rfc822;johnh@hpnjld.njd.hp.com
Final-Recipient: rfc822;johnh@hpnjld.njd.hp.com
Action: delayed
Status: 4.0.0 (hpnjld.njd.jp.com: host name lookup failure)

Original-Recipient: rfc822;wsnell@sdcc13.ucsd.edu
Final-Recipient: rfc822;wsnell@sdcc13.ucsd.edu
Action: failed
Status: 5.0.0
Diagnostic-Code: smtp; 550 user unknown
Remote-MTA: dns; sdcc13.ucsd.edu

--JAA13167.773673707/CS.UTK.EDU
content-type: message/rfc822

[original message goes here]

--JAA13167.773673707/CS.UTK.EDU--
";

/// RFC 3464 Appendix E, "Simple DSN", the delivery-status part.
const SIMPLE: &str = "Reporting-MTA: dns; cs.utk.edu

Original-Recipient: rfc822;louisl@larry.slip.umd.edu
Final-Recipient: rfc822;louisl@larry.slip.umd.edu
Action: failed
Status: 4.0.0
Diagnostic-Code: smtp; 426 connection timed out
Last-Attempt-Date: Thu, 7 Jul 1994 17:15:49 -0400
";

/// RFC 3464 Appendix E, "DSN from gateway to foreign system".
const GATEWAY: &str = "Reporting-MTA: mailbus; SYS30

Final-Recipient: unknown; nair_s
Status: 5.0.0 (unknown permanent failure)
Action: failed
";

/// RFC 3464 Appendix E, "Delayed DSN" (its blank line inside the
/// recipient group read as the RFC intends: one group).
const DELAYED: &str = "Reporting-MTA: dns; sun2.nsfnet-relay.ac.uk

Final-Recipient: rfc822;thomas@de-montfort.ac.uk
Status: 4.0.0 (unknown temporary failure)
Action: delayed
";

fn crlf(text: &str) -> Vec<u8> {
    text.replace('\n', "\r\n").into_bytes()
}

#[test]
fn rfc3464_multi_recipient_example() {
    let input = crlf(MULTI_RECIPIENT);
    let message = crate::parse(&input);
    let report = parse_report(&message).unwrap();
    assert!(
        report
            .human_readable
            .contains("<arathib@vnet.ibm.com> (unrecoverable error)")
    );
    let status = &report.status;
    assert_eq!(
        status.per_message.reporting_mta,
        TypedValue::new("dns", "cs.utk.edu")
    );
    assert_eq!(status.recipients.len(), 3);
    let first = &status.recipients[0];
    assert_eq!(
        first.original_recipient,
        Some(TypedValue::new("rfc822", "arathib@vnet.ibm.com"))
    );
    assert_eq!(first.final_recipient.value, "arathib@vnet.ibm.com");
    assert_eq!(first.action, Action::Failed);
    assert_eq!(first.status, StatusCode::new(5, 0, 0).unwrap());
    assert_eq!(first.status_comment.as_deref(), Some("permanent failure"));
    assert_eq!(
        first.diagnostic_code,
        Some(TypedValue::new(
            "smtp",
            "550 'arathib@vnet.IBM.COM' is not a registered gateway user"
        ))
    );
    assert_eq!(
        first.remote_mta,
        Some(TypedValue::new("dns", "vnet.ibm.com"))
    );
    let second = &status.recipients[1];
    assert_eq!(second.action, Action::Delayed);
    assert_eq!(
        second.status_comment.as_deref(),
        Some("hpnjld.njd.jp.com: host name lookup failure")
    );
    assert_eq!(second.remote_mta, None);
    let third = &status.recipients[2];
    assert_eq!(
        third.diagnostic_code,
        Some(TypedValue::new("smtp", "550 user unknown"))
    );
    assert_eq!(third.status_comment, None);
    assert_eq!(report.returned, Returned::Full);
    assert_eq!(report.original, b"[original message goes here]\r\n");
}

#[test]
fn rfc3464_simple_gateway_and_delayed_examples() {
    let simple = parse_delivery_status(&crlf(SIMPLE)).unwrap();
    let recipient = &simple.recipients[0];
    assert_eq!(recipient.status.to_string(), "4.0.0");
    assert_eq!(
        recipient.last_attempt_date.as_deref(),
        Some("Thu, 7 Jul 1994 17:15:49 -0400")
    );
    assert_eq!(
        recipient.diagnostic_code.as_ref().unwrap().value,
        "426 connection timed out"
    );

    let gateway = parse_delivery_status(GATEWAY.as_bytes()).unwrap();
    assert!(gateway.per_message.reporting_mta.is("MAILBUS"));
    assert_eq!(gateway.per_message.reporting_mta.value, "SYS30");
    assert_eq!(
        gateway.recipients[0].final_recipient,
        TypedValue::new("unknown", "nair_s")
    );
    assert_eq!(gateway.recipients[0].original_recipient, None);
    assert!(gateway.recipients[0].status.is_permanent());

    let delayed = parse_delivery_status(&crlf(DELAYED)).unwrap();
    assert_eq!(delayed.recipients[0].action, Action::Delayed);
    assert_eq!(
        delayed.recipients[0].status_comment.as_deref(),
        Some("unknown temporary failure")
    );
}

#[test]
fn malformed_delivery_status_is_a_typed_error() {
    let cases: &[(&str, DsnError)] = &[
        (
            "",
            DsnError::MissingField {
                group: 0,
                field: "Reporting-MTA",
            },
        ),
        ("Reporting-MTA: dns; a\n", DsnError::NoRecipients),
        (
            "Reporting-MTA dns\n",
            DsnError::Malformed {
                line: 1,
                expected: "field-name \":\"",
            },
        ),
        (
            " folded\n",
            DsnError::Malformed {
                line: 1,
                expected: "field-name",
            },
        ),
        (
            "Reporting-MTA: a.example\n",
            DsnError::Malformed {
                line: 1,
                expected: "type \";\" value",
            },
        ),
        (
            "Reporting-MTA: dns; a\n\nFinal-Recipient: rfc822; b\nAction: bounced\nStatus: 5.0.0\n",
            DsnError::Malformed {
                line: 4,
                expected: "action-value",
            },
        ),
        (
            "Reporting-MTA: dns; a\n\nFinal-Recipient: rfc822; b\nAction: failed\nStatus: 5.0\n",
            DsnError::Malformed {
                line: 5,
                expected: "status-code",
            },
        ),
        (
            "Reporting-MTA: dns; a\n\nFinal-Recipient: rfc822; b\nStatus: 5.0.0\n",
            DsnError::MissingField {
                group: 1,
                field: "Action",
            },
        ),
        (
            "Reporting-MTA: dns; a\n\nAction: failed\nStatus: 5.0.0\n",
            DsnError::MissingField {
                group: 1,
                field: "Final-Recipient",
            },
        ),
    ];
    for (input, error) in cases {
        assert_eq!(
            parse_delivery_status(input.as_bytes()).as_ref(),
            Err(error),
            "{input:?}"
        );
    }
    let two = "Reporting-MTA: dns; a\n\nFinal-Recipient: rfc822; b\nAction: failed\nStatus: 5.0.0\n\n\
Final-Recipient: rfc822; c\nAction: failed\nStatus: 5.0.0\n";
    assert_eq!(
        parse_delivery_status_with(two.as_bytes(), 1),
        Err(DsnError::LimitExceeded { limit: 1 })
    );
    let plain = crate::parse(b"Content-Type: text/plain\r\n\r\nhi\r\n");
    assert_eq!(parse_report(&plain), Err(DsnError::NotAReport));
    let no_status = crate::parse(
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\n\r\nhi\r\n--b--\r\n",
    );
    assert_eq!(parse_report(&no_status), Err(DsnError::NoDeliveryStatus));
}

fn sample_header() -> ReportHeader {
    ReportHeader {
        from: "Mail Delivery System <MAILER-DAEMON@mx.example.org>".into(),
        to: "alice@example.org".into(),
        subject: "Undelivered Mail Returned to Sender".into(),
        date: "Fri, 4 Dec 2026 16:00:00 +0000".into(),
        message_id: "20261204160000.dsn@mx.example.org".into(),
        boundary: "=_dsn".into(),
    }
}

const ORIGINAL: &[u8] = b"From: Alice <alice@example.org>\r\nTo: bob@example.net\r\n\
Subject: Caf\xc3\xa9\r\nMessage-ID: <1@example.org>\r\n\r\nHello\r\n--=_dsn\r\nnot a delimiter\r\n";

/// Samples of every shape the builder makes, also checked by
/// `tests/dsn-python.sh` with Python's `email` package.
fn samples() -> Vec<(&'static str, Report)> {
    let date = format_date(&chrono::DateTime::parse_from_rfc3339("2026-12-04T15:00:00Z").unwrap());
    let mut per_message = PerMessage::new("mx.example.org");
    per_message.original_envelope_id = Some("QQ314159".into());
    per_message.arrival_date = Some(date.clone());
    let mut failed = PerRecipient::new(
        "bob@example.net",
        Action::Failed,
        StatusCode::new(5, 1, 1).unwrap(),
    );
    failed.original_recipient = Some(TypedValue::new("rfc822", "Bob@Example.NET"));
    failed.remote_mta = Some(TypedValue::new("dns", "mx1.example.net"));
    failed.diagnostic_code = Some(TypedValue::new(
        "smtp",
        "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table, a long line to fold",
    ));
    failed.last_attempt_date = Some(date.clone());
    let mut delayed = PerRecipient::new(
        "carol@example.com",
        Action::Delayed,
        StatusCode::new(4, 4, 1).unwrap(),
    );
    delayed.diagnostic_code = Some(TypedValue::new("smtp", "451 4.4.1 connection refused"));
    delayed.will_retry_until = Some("Wed, 9 Dec 2026 15:00:00 +0000".into());
    let mut delivered = PerRecipient::new(
        "dave@example.com",
        Action::Delivered,
        StatusCode::new(2, 0, 0).unwrap(),
    );
    delivered.remote_mta = Some(TypedValue::new("dns", "mx.example.com"));
    let status = |recipients: Vec<PerRecipient>| DeliveryStatus {
        per_message: per_message.clone(),
        recipients,
    };
    vec![
        (
            "failed-headers",
            Report {
                human_readable: "Your message could not be delivered to one recipient.\n".into(),
                status: status(vec![failed.clone()]),
                returned: Returned::Headers,
                original: ORIGINAL.to_vec(),
            },
        ),
        (
            "failed-full",
            Report {
                human_readable: "Votre message n'a pas pu être remis.\r\n".into(),
                status: status(vec![failed.clone(), delivered]),
                returned: Returned::Full,
                original: ORIGINAL.to_vec(),
            },
        ),
        (
            "delayed",
            Report {
                human_readable: "Delivery is delayed; we keep trying.\r\n".into(),
                status: status(vec![delayed]),
                returned: Returned::Nothing,
                original: Vec::new(),
            },
        ),
    ]
}

#[test]
fn built_reports_reparse_without_defects() {
    for (name, report) in samples() {
        let bytes = build_report(&sample_header(), &report);
        let message = crate::parse(&bytes);
        assert_eq!(message.defects(), &[], "{name}");
        assert_eq!(message.to_bytes(), bytes);
        for line in bytes.split(|b| *b == b'\n') {
            assert!(
                line.len() <= 80,
                "{name}: long line {:?}",
                String::from_utf8_lossy(line)
            );
        }
        let read = parse_report(&message).unwrap();
        assert_eq!(read.status, report.status, "{name}");
        assert_eq!(read.returned, report.returned, "{name}");
        assert_eq!(
            read.human_readable.replace("\r\n", "\n"),
            report.human_readable.replace("\r\n", "\n")
        );
        match report.returned {
            Returned::Full => assert_eq!(read.original, ORIGINAL),
            Returned::Headers => {
                let end = ORIGINAL.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
                assert_eq!(read.original, &ORIGINAL[..end + 2]);
            }
            Returned::Nothing => assert!(read.original.is_empty()),
        }
        let boundary = message.root().content_type().boundary().unwrap().to_vec();
        // Only the full original holds a line starting `--=_dsn`.
        let expected: &[u8] = if report.returned == Returned::Full {
            b"=_dsn.1"
        } else {
            b"=_dsn"
        };
        assert_eq!(boundary, expected, "{name}");
    }
}

/// Writes the samples to `$DSN_SAMPLES_DIR` for `tests/dsn-python.sh`.
#[test]
fn write_samples_for_python() {
    let Some(dir) = std::env::var_os("DSN_SAMPLES_DIR") else {
        return;
    };
    for (name, report) in samples() {
        let path = std::path::Path::new(&dir).join(format!("{name}.eml"));
        std::fs::write(path, build_report(&sample_header(), &report)).unwrap();
    }
}

#[test]
fn notify_rules() {
    let cases = [
        (Some("NEVER"), [false, false, false]),
        (Some("SUCCESS"), [true, false, false]),
        (Some("FAILURE"), [false, true, false]),
        (Some("DELAY"), [false, false, true]),
        (Some("success,Failure,DELAY"), [true, true, true]),
        (None, [false, true, true]),
    ];
    for (notify, [success, failure, delay]) in cases {
        let notify = notify.map(|n| NotifyConditions::parse(n).unwrap());
        assert_eq!(dsn_due(notify, Action::Delivered, false), success);
        assert_eq!(dsn_due(notify, Action::Relayed, false), success);
        assert_eq!(dsn_due(notify, Action::Failed, false), failure);
        assert_eq!(dsn_due(notify, Action::Delayed, false), delay);
        for action in [
            Action::Delivered,
            Action::Failed,
            Action::Delayed,
            Action::Expanded,
        ] {
            assert!(!dsn_due(notify, action, true), "never to <>");
        }
    }
    assert_eq!(NotifyConditions::parse(""), None);
    assert_eq!(NotifyConditions::parse("SUCCESS,NEVER"), None);
}

fn typed_value() -> impl Strategy<Value = TypedValue> {
    ("[a-z][a-z0-9-]{0,8}", "[!-~]([ -~]{0,90}[!-~])?")
        .prop_map(|(kind, value)| TypedValue::new(&kind, &value))
}

fn recipient() -> impl Strategy<Value = PerRecipient> {
    (
        typed_value(),
        proptest::option::of(typed_value()),
        proptest::option::of(typed_value()),
        prop_oneof![
            Just(Action::Failed),
            Just(Action::Delayed),
            Just(Action::Delivered),
            Just(Action::Relayed),
            Just(Action::Expanded)
        ],
        (
            prop_oneof![Just(2u8), Just(4), Just(5)],
            0u16..1000,
            0u16..1000,
        ),
        proptest::option::of("[a-z][a-z ]{0,20}[a-z]"),
    )
        .prop_map(
            |(final_recipient, original, diagnostic, action, (c, s, d), comment)| {
                let mut r = PerRecipient::new("x", action, StatusCode::new(c, s, d).unwrap());
                r.final_recipient = final_recipient;
                r.original_recipient = original;
                r.diagnostic_code = diagnostic;
                r.status_comment = comment;
                r
            },
        )
}

proptest! {
    #[test]
    fn delivery_status_round_trips(
        mta in typed_value(),
        envid in proptest::option::of("[!-~]{1,40}"),
        recipients in proptest::collection::vec(recipient(), 1..5),
    ) {
        let mut per_message = PerMessage::new("");
        per_message.reporting_mta = mta;
        per_message.original_envelope_id = envid;
        let status = DeliveryStatus { per_message, recipients };
        let bytes = encode_delivery_status(&status);
        prop_assert_eq!(parse_delivery_status(&bytes), Ok(status));
    }

    #[test]
    fn any_bytes_give_a_value_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_delivery_status(&bytes);
        let message = crate::parse(&bytes);
        let _ = parse_report(&message);
    }
}
