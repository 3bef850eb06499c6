//! POP3 over tokio: a [`server`] with an accept loop and a
//! [`Handler`](server::Handler) trait for the maildrop, and a [`client`]
//! that logs in (USER/PASS or SASL `AUTH`), lists the maildrop and streams
//! each message into an `AsyncWrite`.
//!
//! Both run their [`mailwire_pop3`] machine through the generic
//! [`Driver`](crate::Driver), with `STLS` ([RFC 2595 §4]) and implicit TLS
//! (port 995, [RFC 8314]).
//!
//! [RFC 2595 §4]: https://www.rfc-editor.org/rfc/rfc2595#section-4
//! [RFC 8314]: https://www.rfc-editor.org/rfc/rfc8314

pub mod client;
pub mod server;

pub use mailwire_pop3 as proto;

use mailwire_pop3::Response;

/// A response as one line of text, without its CRLF, for messages and
/// logs.
///
/// ```
/// use mailwire_pop3::parse::parse_response_line;
/// let response = parse_response_line(b"-ERR [IN-USE] locked").unwrap();
/// assert_eq!(mailwire_tokio::pop3::response_text(&response), "-ERR [IN-USE] locked");
/// ```
pub fn response_text(response: &Response) -> String {
    String::from_utf8_lossy(&response.to_bytes())
        .trim_end()
        .to_owned()
}
