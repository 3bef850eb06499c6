//! Limits and timeouts, each with the RFC section it comes from.
//!
//! Exceeding a limit is its own error ([`CoreError::LimitExceeded`](crate::CoreError::LimitExceeded)(crate::Error))
//! and gets the proper reply: a server answers `-ERR` and goes on, a client
//! ends the session.
//!
//! ```
//! use std::time::Duration;
//! use mailwire_pop3::limits::{ClientLimits, ServerLimits};
//!
//! let server = ServerLimits::default();
//! assert_eq!(server.max_command_line_length, 255);
//! assert_eq!(server.autologout, Duration::from_secs(600));
//! assert!(ClientLimits::default().max_response_line_length >= 512);
//! ```

use std::time::Duration;

/// The longest command line, CRLF included ([RFC 2449 §4]).
///
/// [RFC 2449 §4]: https://www.rfc-editor.org/rfc/rfc2449#section-4
pub const RFC2449_COMMAND_LINE: usize = 255;

/// The longest response line, CRLF included ([RFC 2449 §4]).
///
/// [RFC 2449 §4]: https://www.rfc-editor.org/rfc/rfc2449#section-4
pub const RFC2449_RESPONSE_LINE: usize = 512;

/// The shortest autologout timer a server may use ([RFC 1939 §3]).
///
/// [RFC 1939 §3]: https://www.rfc-editor.org/rfc/rfc1939#section-3
pub const RFC1939_AUTOLOGOUT: Duration = Duration::from_secs(600);

/// Server limits and timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerLimits {
    /// The longest command line, CRLF included. Default 255 ([RFC 2449
    /// §4]); longer lines get `-ERR` and are skipped without being
    /// buffered.
    ///
    /// [RFC 2449 §4]: https://www.rfc-editor.org/rfc/rfc2449#section-4
    pub max_command_line_length: usize,
    /// The longest line of a SASL response, CRLF included. Default 8192
    /// (OAuth tokens, [RFC 5034 §4] leaves it open).
    ///
    /// [RFC 5034 §4]: https://www.rfc-editor.org/rfc/rfc5034#section-4
    pub max_auth_line_length: usize,
    /// The longest command parameter (`USER` name, `APOP` name). Default 40
    /// ([RFC 2449 §4]).
    ///
    /// [RFC 2449 §4]: https://www.rfc-editor.org/rfc/rfc2449#section-4
    pub max_argument_length: usize,
    /// Erroneous commands tolerated before the session is closed. Default
    /// 20.
    pub max_errors: u32,
    /// Failed authentications tolerated before the session is closed.
    /// Default 3.
    pub max_auth_failures: u32,
    /// How long the `-ERR` to a failed authentication is held back, to
    /// slow down password guessing. Default 2 s.
    pub auth_failure_delay: Duration,
    /// The inactivity timer after which the session ends without a
    /// response and without deleting anything. Default and minimum 10
    /// minutes ([RFC 1939 §3]).
    ///
    /// [RFC 1939 §3]: https://www.rfc-editor.org/rfc/rfc1939#section-3
    pub autologout: Duration,
    /// Events queued before the machine stops reading input until the
    /// application polls. Default 64.
    pub max_queued_events: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            max_command_line_length: RFC2449_COMMAND_LINE,
            max_auth_line_length: 8192,
            max_argument_length: 40,
            max_errors: 20,
            max_auth_failures: 3,
            auth_failure_delay: Duration::from_secs(2),
            autologout: RFC1939_AUTOLOGOUT,
            max_queued_events: 64,
        }
    }
}

/// Client limits and timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientLimits {
    /// The longest status line or line of a `LIST`, `UIDL`, `CAPA` or
    /// `LANG` answer, CRLF included. Default 8192: [RFC 2449 §4] sets
    /// 512, but deployed servers exceed it.
    ///
    /// [RFC 2449 §4]: https://www.rfc-editor.org/rfc/rfc2449#section-4
    pub max_response_line_length: usize,
    /// The longest base64 text of an `AUTH` continuation. Default 65536
    /// (the `mailwire-sasl` default).
    pub max_challenge_length: usize,
    /// The most unstuffed bytes in one [`Event::MultilineChunk`](crate::client::Event::MultilineChunk).
    /// Default 16 KiB: memory per connection stays bounded however large
    /// the message.
    pub max_chunk: usize,
    /// The most capability lines kept from one `CAPA` answer. Default 256.
    pub max_capabilities: usize,
    /// Commands queued (sent or waiting to be sent) at once. Default 1024.
    pub max_queued_commands: usize,
    /// How long to wait for the greeting or a response line before
    /// giving up. Default 5 minutes.
    pub response_timeout: Duration,
}

impl Default for ClientLimits {
    fn default() -> Self {
        Self {
            max_response_line_length: 8192,
            max_challenge_length: 65536,
            max_chunk: 16 * 1024,
            max_capabilities: 256,
            max_queued_commands: 1024,
            response_timeout: Duration::from_secs(300),
        }
    }
}
