//! SMTP, submission and LMTP over tokio: a [`server`] with an accept loop
//! and a [`Handler`](server::Handler) trait for the application's
//! decisions, and a [`client`] that sends a message streamed from an
//! `AsyncRead` and reports each recipient's outcome.

pub mod client;
pub mod server;

pub use mailwire_smtp as proto;

use mailwire_smtp::{EnhancedCode, Reply, ReplyCode, Text};

/// A one-line reply from any text: CR, LF and NUL become spaces, so the
/// text can never end the reply early.
///
/// ```
/// use mailwire_smtp::{EnhancedCode, ReplyCode};
/// let r = mailwire_tokio::smtp::reply(ReplyCode::MAILBOX_UNAVAILABLE,
///     Some(EnhancedCode::BAD_DESTINATION_MAILBOX), "No such user\r\n250 forged");
/// assert_eq!(r.to_bytes(), b"550 5.1.1 No such user  250 forged\r\n");
/// ```
pub fn reply(code: ReplyCode, enhanced: Option<EnhancedCode>, text: &str) -> Reply<'static> {
    let line = Text::try_from(text.replace(['\r', '\n', '\0'], " ")).unwrap_or_default();
    #[allow(clippy::expect_used)] // `from_parts` fails only without lines; there is one.
    Reply::from_parts(code, enhanced, vec![line]).expect("one line")
}
