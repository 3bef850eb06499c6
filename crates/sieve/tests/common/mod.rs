//! Helpers for the known-answer tests.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use mailwire_sieve::{Action, Config, Envelope, Interpreter, MemoryContext, Outcome, Script};

/// RFC 5228 §1.2, first example message.
pub const MESSAGE_1: &str = "Date: Tue, 1 Apr 1997 09:06:31 -0800 (PST)\r
From: coyote@desert.example.org\r
To: roadrunner@acme.example.com\r
Subject: I have a present for you\r
\r
Look, I'm sorry about the whole anvil thing, and I really\r
didn't mean to try and drop it on you from the top of the\r
cliff.  I want to try to make it up to you.  I've got some\r
great birdseed over here at my place--top of the line\r
stuff--and if you come by, I'll have it all wrapped up\r
for you.  I'm really sorry for all the problems I've caused\r
for you over the years, but I know we can work this out.\r
--\r
Wile E. Coyote   \"Super Genius\"   coyote@desert.example.org\r
";

/// RFC 5228 §1.2, second example message.
pub const MESSAGE_2: &str = "From: youcouldberich!@reply-by-postal-mail.invalid\r
Sender: b1ff@de.res.example.com\r
To: rube@landru.example.com\r
Date:  Mon, 31 Mar 1997 18:26:10 -0800\r
Subject: $$$ YOU, TOO, CAN BE A MILLIONAIRE! $$$\r
\r
YOU MAY HAVE ALREADY WON TEN MILLION DOLLARS, BUT I DOUBT\r
IT!  SO JUST POST THIS TO 5 NEWSGROUPS RIGHT NOW!  YOU'LL\r
GET TEN DOLLARS FROM SOMEONE RIGHT AWAY!  ...\r
";

/// Compiles `script`, panicking with the error.
pub fn compile(script: &str) -> Script {
    Script::compile(script.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{script}"))
}

/// Runs `script` on `message` with the envelope and a context.
pub fn run_with(
    script: &str,
    message: &str,
    envelope: &Envelope,
    context: &mut MemoryContext,
    config: Config,
) -> Outcome {
    let script = compile(script);
    let message = mailwire_message::parse(message.as_bytes());
    Interpreter::with_config(&script, config).run(&message, envelope, context)
}

/// Runs `script` on `message` from `from` to `to` and describes the actions.
pub fn run(script: &str, message: &str, from: &str, to: &str) -> Vec<String> {
    let outcome = run_with(
        script,
        message,
        &Envelope::new(from, to),
        &mut MemoryContext::default(),
        Config::default(),
    );
    assert_eq!(outcome.error, None, "{script}");
    outcome.actions.iter().map(describe).collect()
}

/// One action as a short line.
pub fn describe(action: &Action) -> String {
    let flags = |f: &[String]| {
        if f.is_empty() {
            String::new()
        } else {
            format!(" [{}]", f.join(" "))
        }
    };
    match action {
        Action::Keep { flags: f } => format!("keep{}", flags(f)),
        Action::FileInto {
            mailbox,
            flags: f,
            create,
        } => {
            format!(
                "fileinto{} {mailbox}{}",
                if *create { " :create" } else { "" },
                flags(f)
            )
        }
        Action::Redirect { address } => format!("redirect {address}"),
        Action::Reject { reason, extended } => {
            format!("{} {reason}", if *extended { "ereject" } else { "reject" })
        }
        Action::Vacation(v) => format!(
            "vacation to={} subject={:?} reason={:?}",
            v.to, v.subject, v.reason
        ),
        other => format!("{other:?}"),
    }
}
