//! The extension RFCs' examples as known-answer tests: variables (RFC 5229),
//! vacation (5230), relational (5231), imap4flags (5232), subaddress
//! (5233), body (5173), date and index (5260), reject (5429), copy (3894),
//! mailbox (5490), duplicate (7352).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::{MESSAGE_1, MESSAGE_2, describe, run, run_with};
use mailwire_sieve::{Action, Config, Envelope, MemoryContext, RuntimeError};

const FROM: &str = "coyote@desert.example.org";
const TO: &str = "roadrunner@acme.example.com";

#[test]
fn rfc5229_section_3_references() {
    let script = r#"require ["variables", "reject"];
set "honorific" "Mr";
set "first_name" "Wile";
set "last_name" "Coyote";
set "vacation" text:
Dear ${HONORIFIC} ${last_name},
I'm out, please leave a message after the meep.
.
;
set "company" "ACME";
reject "${vacation}|${company}|${BAD${Company}|${President, ${Company} Inc.}|${undefined}|${}";"#;
    assert_eq!(
        run(script, MESSAGE_1, FROM, TO),
        [
            "reject Dear Mr Coyote,\r\nI'm out, please leave a message after the meep.\r\n|ACME|${BADACME|${President, ACME Inc.}||${}"
        ]
    );
}

#[test]
fn rfc5229_section_3_2_match_variables() {
    let script = r#"require ["fileinto", "variables"];
if header :matches "List-ID" "*<*@*" {
    fileinto "INBOX.lists.${2}"; stop;
}
# Imagine the header
# Subject: [acme-users] [fwd] version 1.0 is out
if header :matches "Subject" "[*] *" {
    # ${1} will hold "acme-users",
    # ${2} will hold "[fwd] version 1.0 is out"
    fileinto "INBOX.lists.${1}"; stop;
}
# Imagine the header
# To: coyote@ACME.Example.COM
if address :matches ["To", "Cc"] ["coyote@**.com",
        "wile@**.com"] {
    # ${0} is the matching address
    # ${1} is always the empty string
    # ${2} is part of the domain name ("ACME.Example")
    fileinto "INBOX.business.${2}|${0}|${1}"; stop;
} else {
    # Control wouldn't reach this block if any match was
    # successful, so no match variables are set at this
    # point.
}
if anyof (true, address :domain :matches "To" "*.com") {
    # The second test is never evaluated, so there are
    # still no match variables set.
    fileinto "none:${0}:${1}"; stop;
}"#;
    let list = "List-ID: Sieve <sieve@example.org>\r\n\r\n";
    assert_eq!(run(script, list, FROM, TO), ["fileinto INBOX.lists.sieve"]);
    let subject = "Subject: [acme-users] [fwd] version 1.0 is out\r\n\r\n";
    assert_eq!(
        run(script, subject, FROM, TO),
        ["fileinto INBOX.lists.acme-users"]
    );
    let to = "To: coyote@ACME.Example.COM\r\n\r\n";
    assert_eq!(
        run(script, to, FROM, TO),
        ["fileinto INBOX.business.ACME.Example|coyote@ACME.Example.COM|"]
    );
    assert_eq!(run(script, MESSAGE_2, FROM, TO), ["fileinto none::"]);
}

#[test]
fn rfc5229_section_4_modifiers_and_5_string() {
    let script = r#"require ["variables", "reject"];
set "a" "juMBlEd lETteRS";
set :length "b" "${a}";
set :lower "c" "${a}";
set :upperfirst "d" "${a}";
set :upperfirst :lower "e" "${a}";
set :quotewildcard "f" "Rock*";
set "state" "${state} pending";
if string :matches " ${state} " "* pending *" {
    reject "${b}|${c}|${d}|${e}|${f}";
}"#;
    assert_eq!(
        run(script, MESSAGE_1, FROM, TO),
        ["reject 15|jumbled letters|JuMBlEd lETteRS|Jumbled letters|Rock\\*"]
    );
    let err =
        mailwire_sieve::Script::compile(br#"require "variables"; set :lower :upper "a" "b";"#)
            .unwrap_err();
    assert_eq!(err.position.column, 33);
}

fn vacation_outcome(
    script: &str,
    message: &str,
    from: &str,
    context: &mut MemoryContext,
) -> Vec<String> {
    let outcome = run_with(
        script,
        message,
        &Envelope::new(from, TO),
        context,
        Config::default(),
    );
    assert_eq!(outcome.error, None);
    context.commit(&outcome);
    outcome.actions.iter().map(describe).collect()
}

const TO_ME: &str = "From: coyote@desert.example.org\r\nTo: roadrunner@acme.example.com\r\nSubject: cyrus is broken\r\nMessage-ID: <1@desert.example.org>\r\n\r\nhelp\r\n";

#[test]
fn rfc5230_section_3_examples_and_tracking() {
    let script = r#"require "vacation";
if header :contains "subject" "cyrus" {
    vacation "I'm out -- send mail to cyrus-bugs";
} else {
    vacation "I'm out -- call me at +1 304 555 0123";
}"#;
    let mut context = MemoryContext::default();
    assert_eq!(
        vacation_outcome(script, TO_ME, FROM, &mut context),
        [
            "vacation to=coyote@desert.example.org subject=\"Auto: cyrus is broken\" reason=\"I'm out -- send mail to cyrus-bugs\"",
            "keep"
        ]
    );
    // §4.2: one reply per sender and handle within the period.
    assert_eq!(
        vacation_outcome(script, TO_ME, FROM, &mut context),
        ["keep"]
    );
    // A different reason is a different handle.
    let other = TO_ME.replace("cyrus is broken", "hello");
    assert_eq!(
        vacation_outcome(script, &other, FROM, &mut context).len(),
        2
    );

    let script = r#"require ["vacation", "variables"];
if header :matches "subject" "*" {
    vacation :subject "Automatic response to: ${1}" "I'm away";
}"#;
    assert_eq!(
        vacation_outcome(script, TO_ME, FROM, &mut MemoryContext::default()),
        [
            "vacation to=coyote@desert.example.org subject=\"Automatic response to: cyrus is broken\" reason=\"I'm away\"",
            "keep"
        ]
    );
}

#[test]
fn rfc5230_who_gets_no_reply() {
    let script = r#"require "vacation";
vacation :days 23 :addresses ["tjs@example.edu", "ts4z@landru.example.edu"]
   "I'm away until October 19.  If it's an emergency, call 911, I guess." ;"#;
    let mut c = MemoryContext::default();
    // To an alternate address given in :addresses: answered.
    let alt = "From: a@example.com\r\nTo: ts4z@landru.example.edu\r\n\r\n";
    assert_eq!(
        vacation_outcome(script, alt, "a@example.com", &mut c).len(),
        2
    );
    // Not addressed to the user at all (§4.5): no reply.
    let bcc = "From: a@example.com\r\nTo: other@example.com\r\n\r\n";
    assert_eq!(
        vacation_outcome(script, bcc, "b@example.com", &mut c),
        ["keep"]
    );
    // Null sender, lists, bulk, auto-submitted, owner-/-request, MAILER-DAEMON (§4.6).
    assert_eq!(vacation_outcome(script, TO_ME, "", &mut c), ["keep"]);
    for header in [
        "List-Id: <l.example.com>",
        "Precedence: bulk",
        "Precedence: list",
        "Auto-Submitted: auto-replied",
    ] {
        let m = format!("{header}\r\n{TO_ME}");
        assert_eq!(
            vacation_outcome(script, &m, "c@example.com", &mut c),
            ["keep"],
            "{header}"
        );
    }
    let m = format!("Auto-Submitted: no\r\n{TO_ME}");
    assert_eq!(
        vacation_outcome(script, &m, "d@example.com", &mut c).len(),
        2
    );
    for sender in [
        "owner-list@example.com",
        "list-request@example.com",
        "MAILER-DAEMON@example.com",
        "roadrunner@acme.example.com",
    ] {
        assert_eq!(
            vacation_outcome(script, TO_ME, sender, &mut c),
            ["keep"],
            "{sender}"
        );
    }
}

#[test]
fn rfc5230_days_from_handle_mime() {
    let script = r#"require "vacation";
vacation :days 7 :from "hemingway@example.com" :handle "ham" :mime text:
Content-Type: text/plain; charset=utf-8

Gone fishing.
.
;"#;
    let outcome = run_with(
        script,
        TO_ME,
        &Envelope::new(FROM, TO),
        &mut MemoryContext::default(),
        Config::default(),
    );
    let Action::Vacation(v) = &outcome.actions[0] else {
        panic!()
    };
    assert_eq!(
        (v.from.as_str(), v.handle.as_str(), v.seconds, v.mime),
        ("hemingway@example.com", "ham", 7 * 86400, true)
    );
    assert_eq!(v.in_reply_to.as_deref(), Some("<1@desert.example.org>"));
    // :days 0 is raised to the configured minimum.
    let script = r#"require "vacation"; vacation :days 0 "x";"#;
    let outcome = run_with(
        script,
        TO_ME,
        &Envelope::new(FROM, TO),
        &mut MemoryContext::default(),
        Config::default(),
    );
    let Action::Vacation(v) = &outcome.actions[0] else {
        panic!()
    };
    assert_eq!(v.seconds, 86400);
}

const RFC5231_MESSAGE: &str = "Received: from example.com (example.com [10.0.0.1]) by example.org; Sun, 1 Apr 2007 10:00:00 -0700\r
Received: from example.net by example.com; Sun, 1 Apr 2007 09:00:00 -0700\r
To: foo@example.com, baz@example.com\r
CC: qux@example.com\r
From: bar@example.com\r
X-Priority: 1\r
\r
This is the message body.\r
";

#[test]
fn rfc5231_section_7_relational() {
    let cases = [
        (
            r#"address :count "ge" :comparator "i;ascii-numeric" ["to", "cc"] ["3"]"#,
            true,
        ),
        (
            r#"header :count "ge" :comparator "i;ascii-numeric" ["received"] ["3"]"#,
            false,
        ),
        (
            r#"header :count "ge" :comparator "i;ascii-numeric" ["received"] ["2"]"#,
            true,
        ),
        (
            r#"header :value "lt" :comparator "i;ascii-numeric" ["x-priority"] ["3"]"#,
            true,
        ),
        (
            r#"header :value "gt" :comparator "i;ascii-numeric" ["x-priority"] ["3"]"#,
            false,
        ),
        (
            r#"address :count "ge" :comparator "i;ascii-numeric" ["to"] ["3"]"#,
            false,
        ),
        (
            r#"header :count "ge" :comparator "i;ascii-numeric" ["to", "cc"] ["3"]"#,
            false,
        ),
        (
            r#"header :value "gt" :comparator "i;ascii-casemap" ["from"] ["Baz"]"#,
            false,
        ),
        (
            r#"header :value "lt" :comparator "i;ascii-casemap" ["from"] ["Baz"]"#,
            true,
        ),
        (
            r#"header :value "ne" :comparator "i;ascii-numeric" ["x-priority"] ["x"]"#,
            true,
        ),
        (
            r#"header :count "eq" :comparator "i;ascii-numeric" ["x-missing"] ["0"]"#,
            true,
        ),
    ];
    for (test, expected) in cases {
        let script = format!(
            "require [\"relational\", \"comparator-i;ascii-numeric\"];\nif {test} {{ discard; }}"
        );
        assert_eq!(
            run(&script, RFC5231_MESSAGE, FROM, TO).is_empty(),
            expected,
            "{test}"
        );
    }
    let err = mailwire_sieve::Script::compile(
        br#"require ["relational"]; if header :value "zz" "a" "b" {}"#,
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "1:42: invalid relational operator: \"zz\"");
    let err =
        mailwire_sieve::Script::compile(br#"if header :comparator "i;ascii-numeric" "a" "b" {}"#)
            .unwrap_err();
    assert_eq!(
        err.to_string(),
        "1:23: extension \"comparator-i;ascii-numeric\" used without require"
    );
}

#[test]
fn rfc5232_section_7_imap4flags() {
    let script = r#"require ["imap4flags", "fileinto", "variables"];
if size :over 1M
        {
        addflag "MyFlags" "Big";
        if header :is "From" "boss@company.example.com"
                   {
# The message will be marked as "\Flagged Big" when filed into
# mailbox "Big messages"
                   addflag "MyFlags" "\\Flagged";
                   }
        fileinto :flags "${MyFlags}" "Big messages";
        }

if header :is "From" "grandma@example.net"
        {
        addflag "MyFlags" ["\\Answered", "$MDNSent"];
# If the message is bigger than 1Mb it will be marked as
# "Big \Answered $MDNSent" when filed into mailbox "grandma".
# If the message is shorter than 1Mb it will be marked as
# "\Answered $MDNSent"
        fileinto :flags "${MyFlags}" "GrandMa";
        }

# Handle spam tagged as spam
if header :contains "X-Spam-hits" "ALL_TRUSTED"
        {
        setflag "\\Seen";
        keep;
        }"#;
    let grandma = "From: grandma@example.net\r\n\r\ncookies\r\n";
    assert_eq!(
        run(script, grandma, FROM, TO),
        ["fileinto GrandMa [\\Answered $MDNSent]"]
    );
    let big = format!(
        "From: boss@company.example.com\r\n\r\n{}",
        "x".repeat(1 << 20)
    );
    assert_eq!(
        run(script, &big, FROM, TO),
        ["fileinto Big messages [Big \\Flagged]"]
    );
    let big = format!("From: grandma@example.net\r\n\r\n{}", "x".repeat(1 << 20));
    assert_eq!(
        run(script, &big, FROM, TO),
        [
            "fileinto Big messages [Big]",
            "fileinto GrandMa [Big \\Answered $MDNSent]"
        ]
    );
    let spam = "X-Spam-hits: ALL_TRUSTED\r\n\r\n";
    assert_eq!(run(script, spam, FROM, TO), ["keep [\\Seen]"]);
}

#[test]
fn rfc5232_flag_commands_and_hasflag() {
    let script = r#"require ["imap4flags", "variables", "relational", "comparator-i;ascii-numeric", "reject"];
setflag "MyVar" "\\Seen \\Answered";
addflag "MyVar" ["\\Flagged", "\\seen"];
removeflag "MyVar" "\\ANSWERED";
if allof (hasflag :contains "MyVar" "Flag",
          hasflag :count "ge" :comparator "i;ascii-numeric" "MyVar" "2",
          not hasflag "MyVar" "\\Answered") {
    reject "${MyVar}";
}"#;
    assert_eq!(
        run(script, MESSAGE_1, FROM, TO),
        ["reject \\Seen \\Flagged"]
    );
    // The internal variable applies to keep and the implicit keep.
    let script = r#"require "imap4flags"; addflag "\\Seen"; addflag "$Work";"#;
    assert_eq!(run(script, MESSAGE_1, FROM, TO), ["keep [\\Seen $Work]"]);
    let script = r#"require ["imap4flags", "fileinto"]; setflag "\\Seen"; fileinto "a"; removeflag "\\Seen"; fileinto :flags "x" "b";"#;
    assert_eq!(
        run(script, MESSAGE_1, FROM, TO),
        ["fileinto a [\\Seen]", "fileinto b [x]"]
    );
}

#[test]
fn rfc5233_section_6_subaddress() {
    let script = r#"require ["envelope", "subaddress", "fileinto"];
# In this example the same user account receives mail for both
# "ken@example.com" and "postmaster@example.com"
# File all messages to postmaster into a single mailbox,
# ignoring the :detail part.
if envelope :user "to" "postmaster" {
    fileinto "inbox.postmaster";
    stop;
}
# File mailing list messages (subscribed as "ken+mta-filters").
if envelope :detail "to" "mta-filters" {
    fileinto "inbox.ietf-mta-filters";
}
# Redirect all mail sent to "ken+foo".
if envelope :detail "to" "foo" {
    redirect "ken@example.net";
}"#;
    assert_eq!(
        run(script, MESSAGE_1, FROM, "postmaster+x@example.com"),
        ["fileinto inbox.postmaster"]
    );
    assert_eq!(
        run(script, MESSAGE_1, FROM, "ken+mta-filters@example.com"),
        ["fileinto inbox.ietf-mta-filters"]
    );
    assert_eq!(
        run(script, MESSAGE_1, FROM, "ken+foo@example.com"),
        ["redirect ken@example.net"]
    );
    assert_eq!(run(script, MESSAGE_1, FROM, "ken@example.com"), ["keep"]);
    // :detail "" matches an empty detail but not a missing one (§4).
    let script = r#"require ["envelope", "subaddress"]; if envelope :detail "to" "" { discard; }"#;
    assert!(run(script, MESSAGE_1, FROM, "ken+@example.com").is_empty());
    assert_eq!(run(script, MESSAGE_1, FROM, "ken@example.com"), ["keep"]);
    // The separator is configurable.
    let mut config = Config::default();
    config.subaddress_separator = '-';
    let script = r#"require ["envelope", "subaddress", "fileinto"]; if envelope :detail "to" "shop" { fileinto "s"; }"#;
    let outcome = run_with(
        script,
        MESSAGE_1,
        &Envelope::new(FROM, "ken-shop@example.com"),
        &mut MemoryContext::default(),
        config,
    );
    assert_eq!(
        outcome.actions.iter().map(describe).collect::<Vec<_>>(),
        ["fileinto s"]
    );
}

const MULTIPART: &str = "From: a@example.com\r
Subject: plans\r
MIME-Version: 1.0\r
Content-Type: multipart/mixed; boundary=\"b\"\r
\r
--b\r
Content-Type: text/plain; charset=us-ascii\r
\r
The missile launch coordinates are attached.\r
--b\r
Content-Type: text/html; charset=utf-8\r
Content-Transfer-Encoding: quoted-printable\r
\r
<p>project=20schedule</p>\r
--b\r
Content-Type: audio/mp3\r
Content-Transfer-Encoding: base64\r
\r
SUQz\r
--b--\r
";

#[test]
fn rfc5173_section_7_body() {
    let script = r#"require ["body", "fileinto"];
# Save any message with any text MIME part that contains the
# words "missile" or "coordinates" in the "secrets" folder.
if body :content "text" :contains ["missile", "coordinates"] {
        fileinto "secrets";
}
# Save any message with an audio/mp3 MIME part in
# the "jukebox" folder.
if body :content "audio/mp3" :contains "" {
        fileinto "jukebox";
}"#;
    assert_eq!(
        run(script, MULTIPART, FROM, TO),
        ["fileinto secrets", "fileinto jukebox"]
    );
    assert_eq!(run(script, MESSAGE_1, FROM, TO), ["keep"]);
    let script = r#"require "body"; if body :raw :contains "MAKE MONEY FAST" { discard; }"#;
    assert!(
        run(
            script,
            "Subject: x\r\n\r\nplease MAKE MONEY FAST now\r\n",
            FROM,
            TO
        )
        .is_empty()
    );
    // :raw sees the encoding, :text the decoded text.
    let script = r#"require "body"; if body :raw :contains "project=20schedule" { discard; }"#;
    assert!(run(script, MULTIPART, FROM, TO).is_empty());
    let script = r#"require "body"; if body :text :contains "project schedule" { discard; }"#;
    assert!(run(script, MULTIPART, FROM, TO).is_empty());
    let script = r#"require "body"; if body :contains "subject: plans" { discard; }"#;
    assert_eq!(run(script, MULTIPART, FROM, TO), ["keep"]);
}

fn at(rfc3339: &str) -> MemoryContext {
    MemoryContext {
        now: chrono::DateTime::parse_from_rfc3339(rfc3339).unwrap(),
        ..MemoryContext::default()
    }
}

fn run_at(script: &str, message: &str, now: &str) -> Vec<String> {
    let outcome = run_with(
        script,
        message,
        &Envelope::new(FROM, TO),
        &mut at(now),
        Config::default(),
    );
    assert_eq!(outcome.error, None);
    outcome.actions.iter().map(describe).collect()
}

#[test]
fn rfc5260_section_7_date() {
    let script = r#"require ["date", "relational", "fileinto"];
if allof(header :is "from" "boss@example.com",
         date :value "ge" :originalzone "date" "hour" "09",
         date :value "lt" :originalzone "date" "hour" "17")
{ fileinto "urgent"; }"#;
    let at_ten = "From: boss@example.com\r\nDate: Tue, 1 Apr 1997 10:06:31 -0800\r\n\r\n";
    assert_eq!(
        run_at(script, at_ten, "2007-01-01T00:00:00+00:00"),
        ["fileinto urgent"]
    );
    let at_six = "From: boss@example.com\r\nDate: Tue, 1 Apr 1997 18:06:31 -0800\r\n\r\n";
    assert_eq!(
        run_at(script, at_six, "2007-01-01T00:00:00+00:00"),
        ["keep"]
    );

    let script = r#"require ["date", "relational", "fileinto"];
if anyof(date :is "received" "weekday" "0",
         date :is "received" "weekday" "6")
{ fileinto "weekend"; }"#;
    // Received dates come after the last ";"; Sunday in the local zone.
    assert_eq!(
        run_at(script, RFC5231_MESSAGE, "2007-01-01T00:00:00-07:00"),
        ["fileinto weekend"]
    );
    assert_eq!(
        run_at(script, MESSAGE_1, "2007-01-01T00:00:00-07:00"),
        ["keep"]
    );

    let script = r#"require ["date", "relational", "vacation"];
if allof(currentdate :value "ge" "date" "2007-06-30",
         currentdate :value "le" "date" "2007-07-07")
{ vacation :days 7  "I'm away during the first week in July."; }"#;
    let to_me = "From: a@example.com\r\nTo: roadrunner@acme.example.com\r\n\r\n";
    assert_eq!(run_at(script, to_me, "2007-07-01T12:00:00+02:00").len(), 2);
    assert_eq!(run_at(script, to_me, "2007-07-08T12:00:00+02:00"), ["keep"]);

    let script = r#"require ["date", "variables", "fileinto"];
if currentdate :matches "month" "*" { set "month" "${1}"; }
if currentdate :matches "year"  "*" { set "year" "${1}"; }
fileinto "${month}-${year}";"#;
    assert_eq!(
        run_at(script, MESSAGE_1, "2026-12-04T14:38:12+00:00"),
        ["fileinto 12-2026"]
    );

    let script = r#"require ["date", "fileinto"];
if date :zone "+0000" :is "date" "iso8601" "1997-04-01T17:06:31+00:00" { fileinto "utc"; }"#;
    assert_eq!(
        run_at(script, MESSAGE_1, "2026-12-04T14:38:12+00:00"),
        ["fileinto utc"]
    );
}

#[test]
fn rfc5260_section_6_index() {
    let script = r#"require ["date", "relational", "index", "fileinto"];
if date :value "gt" :index 1 :zone "-0700" "received" "iso8601" "2007-04-01T09:30:00-07:00"
{ fileinto "late"; }
if header :index 1 :last :contains "received" "example.net" { fileinto "last"; }
if header :index 3 :contains "received" "" { fileinto "none"; }"#;
    assert_eq!(
        run_at(script, RFC5231_MESSAGE, "2026-01-01T00:00:00Z"),
        ["fileinto late", "fileinto last"]
    );
    let err = mailwire_sieve::Script::compile(br#"require "index"; if header :last "a" "b" {}"#)
        .unwrap_err();
    assert_eq!(err.to_string(), "1:34: header: :last without :index");
}

#[test]
fn rfc5429_reject_ereject() {
    let script = r#"require ["reject"];

if header :contains "from" "coyote@desert.example.org" {
   reject text:
I am not taking mail from you, and I don't
want your birdseed, either!
.
   ;
}"#;
    assert_eq!(
        run(script, MESSAGE_1, FROM, TO),
        ["reject I am not taking mail from you, and I don't\r\nwant your birdseed, either!\r\n"]
    );
    let script = r#"require ["ereject"];
if address :domain :is "from" "desert.example.org" { ereject "I don't accept mail from this domain"; }"#;
    assert_eq!(
        run(script, MESSAGE_1, FROM, TO),
        ["ereject I don't accept mail from this domain"]
    );
    // §2.1: reject with a delivering action is an error, and keeps.
    let script = r#"require ["reject", "fileinto"]; fileinto "a"; reject "no";"#;
    let outcome = run_with(
        script,
        MESSAGE_1,
        &Envelope::new(FROM, TO),
        &mut MemoryContext::default(),
        Config::default(),
    );
    assert_eq!(
        outcome.error,
        Some(RuntimeError::ActionConflict {
            action: "reject",
            previous: "fileinto"
        })
    );
    assert_eq!(outcome.actions, [Action::Keep { flags: vec![] }]);
    // discard with reject is fine.
    assert_eq!(
        run(
            r#"require "reject"; discard; reject "x";"#,
            MESSAGE_1,
            FROM,
            TO
        ),
        ["reject x"]
    );
}

#[test]
fn rfc3894_copy() {
    let script = r#"require ["copy", "fileinto"];
if header :contains "to" "roadrunner" { fileinto :copy "incoming"; }
redirect :copy "archive@example.com";"#;
    assert_eq!(
        run(script, MESSAGE_1, FROM, TO),
        ["fileinto incoming", "redirect archive@example.com", "keep"]
    );
    let err = mailwire_sieve::Script::compile(br#"redirect :copy "a@example.com";"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "1:10: extension \"copy\" used without require"
    );
}

#[test]
fn rfc5490_mailbox() {
    let script = r#"require ["fileinto", "reject", "mailbox"];
if mailboxexists "Partners" {
   fileinto "Partners";
} else {
   reject "This message was not accepted by the Mailstore";
}"#;
    assert_eq!(
        run(script, MESSAGE_1, FROM, TO),
        ["reject This message was not accepted by the Mailstore"]
    );
    let mut context = MemoryContext::default();
    context.mailboxes.insert("Partners".into());
    let outcome = run_with(
        script,
        MESSAGE_1,
        &Envelope::new(FROM, TO),
        &mut context,
        Config::default(),
    );
    assert_eq!(
        outcome.actions.iter().map(describe).collect::<Vec<_>>(),
        ["fileinto Partners"]
    );
    let script = r#"require ["fileinto", "mailbox"]; fileinto :create "INBOX.Partners";"#;
    assert_eq!(
        run(script, MESSAGE_1, FROM, TO),
        ["fileinto :create INBOX.Partners"]
    );
}

#[test]
fn rfc7352_duplicate() {
    let script = r#"require ["duplicate", "fileinto", "mailbox"];
if duplicate {
  fileinto :create "Trash/Duplicate";
}"#;
    let message = "Message-ID: <a@example.com>\r\n\r\n";
    let mut c = MemoryContext::default();
    let first = run_with(
        script,
        message,
        &Envelope::new(FROM, TO),
        &mut c,
        Config::default(),
    );
    assert_eq!(
        first.actions.iter().map(describe).collect::<Vec<_>>(),
        ["keep"]
    );
    assert_eq!(first.duplicates[0].id, "<a@example.com>");
    c.commit(&first);
    let second = run_with(
        script,
        message,
        &Envelope::new(FROM, TO),
        &mut c,
        Config::default(),
    );
    assert_eq!(
        second.actions.iter().map(describe).collect::<Vec<_>>(),
        ["fileinto :create Trash/Duplicate"]
    );
    // No Message-ID: never a duplicate.
    let none = run_with(
        script,
        "Subject: x\r\n\r\n",
        &Envelope::new(FROM, TO),
        &mut c,
        Config::default(),
    );
    assert!(none.duplicates.is_empty());

    let script = r#"require ["duplicate", "variables"];
if header :matches "subject" "ALERT: *" {
  if duplicate :seconds 60 :uniqueid "${1}" {
    discard;
  }
}"#;
    let alert = "Subject: ALERT: disk full\r\n\r\n";
    let first = run_with(
        script,
        alert,
        &Envelope::new(FROM, TO),
        &mut c,
        Config::default(),
    );
    assert_eq!(
        (first.duplicates[0].id.as_str(), first.duplicates[0].seconds),
        ("disk full", 60)
    );
    c.commit(&first);
    let second = run_with(
        script,
        alert,
        &Envelope::new(FROM, TO),
        &mut c,
        Config::default(),
    );
    assert!(second.actions.is_empty());

    let script = r#"require ["duplicate", "fileinto"];
if duplicate :header "X-Event-ID" :handle "notifier" { discard; }"#;
    let event = "X-Event-ID: 42\r\n\r\n";
    let first = run_with(
        script,
        event,
        &Envelope::new(FROM, TO),
        &mut c,
        Config::default(),
    );
    assert_eq!(first.duplicates[0].handle, "notifier");
}

#[test]
fn limits_are_errors_that_keep() {
    let mut config = Config::default();
    config.limits.max_redirects = 2;
    let script = r#"redirect "a@example.com"; redirect "b@example.com"; redirect "c@example.com";"#;
    let outcome = run_with(
        script,
        MESSAGE_1,
        &Envelope::new(FROM, TO),
        &mut MemoryContext::default(),
        config.clone(),
    );
    assert_eq!(
        outcome.error,
        Some(RuntimeError::LimitExceeded {
            limit: "max_redirects",
            max: 2
        })
    );
    assert_eq!(outcome.actions, [Action::Keep { flags: vec![] }]);
    config.limits.max_work = 1000;
    let script = r#"if header :matches "subject" "*a*a*a*a*a*a*a*a*a*b" { discard; }"#;
    let message = format!("Subject: {}\r\n\r\n", "a".repeat(900));
    let outcome = run_with(
        script,
        &message,
        &Envelope::new(FROM, TO),
        &mut MemoryContext::default(),
        config,
    );
    assert_eq!(
        outcome.error,
        Some(RuntimeError::LimitExceeded {
            limit: "max_work",
            max: 1000
        })
    );
    // Variables are cut at max_variable_size, on a character boundary.
    let mut config = Config::default();
    config.limits.max_variable_size = 5;
    let script = r#"require ["variables", "reject"]; set "a" "ééé"; reject "${a}";"#;
    let outcome = run_with(
        script,
        MESSAGE_1,
        &Envelope::new(FROM, TO),
        &mut MemoryContext::default(),
        config,
    );
    assert_eq!(
        outcome.actions,
        [Action::Reject {
            reason: "éé".into(),
            extended: false
        }]
    );
}
