//! Limits, with the RFC sections they come from. Each machine takes them in
//! its configuration; going over one is a typed error with the proper reply.
//!
//! ```
//! use mailwire_smtp::limits::Limits;
//! let limits = Limits::default();
//! assert_eq!(limits.max_recipients, 100);
//! assert_eq!(limits.max_text_line_length, 1000);
//! ```

use std::time::Duration;

/// The default longest command line, CRLF included. [RFC 5321 §4.5.3.1.4]
/// sets 512 octets and lets each extension raise it (SIZE, DSN, AUTH=,
/// REQUIRETLS, MT-PRIORITY...); 2048 leaves room for all of them.
///
/// [RFC 5321 §4.5.3.1.4]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1.4
pub const DEFAULT_MAX_COMMAND_LINE_LENGTH: usize = 2048;
/// The default longest line of a SASL exchange, CRLF included: the `AUTH`
/// command with its initial response and each client response line.
/// [RFC 4954 §4] requires a server to accept at least 12288 octets.
///
/// [RFC 4954 §4]: https://www.rfc-editor.org/rfc/rfc4954#section-4
pub const DEFAULT_MAX_AUTH_LINE_LENGTH: usize = 12288;
/// The default longest reply line, CRLF included ([RFC 5321 §4.5.3.1.5]:
/// 512), raised for servers that send long texts.
///
/// [RFC 5321 §4.5.3.1.5]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1.5
pub const DEFAULT_MAX_REPLY_LINE_LENGTH: usize = 2048;
/// The default largest number of lines in one reply (an EHLO reply has one
/// per extension).
pub const DEFAULT_MAX_REPLY_LINES: usize = 128;

/// Limits shared by the client and server machines.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The longest command line, CRLF included ([RFC 5321 §4.5.3.1.4]).
    /// A server answers a longer one with `500 5.5.6` and reads on from the
    /// next line. Default [`DEFAULT_MAX_COMMAND_LINE_LENGTH`].
    ///
    /// [RFC 5321 §4.5.3.1.4]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1.4
    pub max_command_line_length: usize,
    /// The longest line of a SASL exchange, CRLF included: the `AUTH`
    /// command (with its initial response) and each response line ([RFC
    /// 4954 §4]: 12288 octets at least). Other commands keep
    /// [`max_command_line_length`](Self::max_command_line_length). Default
    /// [`DEFAULT_MAX_AUTH_LINE_LENGTH`].
    ///
    /// [RFC 4954 §4]: https://www.rfc-editor.org/rfc/rfc4954#section-4
    pub max_auth_line_length: usize,
    /// The longest reply line ([RFC 5321 §4.5.3.1.5]). Default
    /// [`DEFAULT_MAX_REPLY_LINE_LENGTH`].
    ///
    /// [RFC 5321 §4.5.3.1.5]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1.5
    pub max_reply_line_length: usize,
    /// The most lines in one reply. Default [`DEFAULT_MAX_REPLY_LINES`].
    pub max_reply_lines: usize,
    /// The longest text line a client writes in a body ([RFC 5321
    /// §4.5.3.1.6]: 1000, CRLF included). Informational for the server.
    ///
    /// [RFC 5321 §4.5.3.1.6]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1.6
    pub max_text_line_length: usize,
    /// The most recipients accepted in one transaction ([RFC 5321
    /// §4.5.3.1.8]: at least 100). A server answers more with `452 4.5.3`.
    ///
    /// [RFC 5321 §4.5.3.1.8]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1.8
    pub max_recipients: usize,
    /// The largest message in octets, announced with `SIZE` ([RFC 1870]) and
    /// enforced with `552 5.3.4`. `None`: no limit. Default 35 MiB.
    ///
    /// [RFC 1870]: https://www.rfc-editor.org/rfc/rfc1870
    pub max_message_size: Option<u64>,
    /// The largest body chunk handed to the application in one event.
    /// Default 64 KiB.
    pub max_body_chunk: usize,
    /// How many erroneous commands a server takes before it closes the
    /// session with `421`. Default 20.
    pub max_errors: u32,
    /// Timeouts ([RFC 5321 §4.5.3.2]).
    ///
    /// [RFC 5321 §4.5.3.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.2
    pub timeouts: Timeouts,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_command_line_length: DEFAULT_MAX_COMMAND_LINE_LENGTH,
            max_auth_line_length: DEFAULT_MAX_AUTH_LINE_LENGTH,
            max_reply_line_length: DEFAULT_MAX_REPLY_LINE_LENGTH,
            max_reply_lines: DEFAULT_MAX_REPLY_LINES,
            max_text_line_length: 1000,
            max_recipients: 100,
            max_message_size: Some(35 * 1024 * 1024),
            max_body_chunk: 64 * 1024,
            max_errors: 20,
            timeouts: Timeouts::default(),
        }
    }
}

/// Timeouts of [RFC 5321 §4.5.3.2], through `poll_timeout`.
///
/// [RFC 5321 §4.5.3.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.2
///
/// ```
/// use std::time::Duration;
/// let t = mailwire_smtp::limits::Timeouts::default();
/// assert_eq!(t.server_command, Duration::from_secs(300));
/// assert_eq!(t.data_termination, Duration::from_secs(600));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// Client: waiting for the greeting (§4.5.3.2.1: 5 minutes).
    pub greeting: Duration,
    /// Client: the reply to MAIL (§4.5.3.2.2: 5 minutes); also used for
    /// EHLO, STARTTLS, AUTH, RSET and QUIT.
    pub mail: Duration,
    /// Client: the reply to each RCPT (§4.5.3.2.3: 5 minutes).
    pub rcpt: Duration,
    /// Client: the `354` after DATA (§4.5.3.2.4: 2 minutes).
    pub data_initiation: Duration,
    /// Client: sending each data block (§4.5.3.2.5: 3 minutes); a server
    /// uses it between body chunks.
    pub data_block: Duration,
    /// Client: the reply after the end of data (§4.5.3.2.6: 10 minutes).
    pub data_termination: Duration,
    /// Server: waiting for the next command (§4.5.3.2.7: 5 minutes).
    pub server_command: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        let minutes = |m: u64| Duration::from_secs(60 * m);
        Self {
            greeting: minutes(5),
            mail: minutes(5),
            rcpt: minutes(5),
            data_initiation: minutes(2),
            data_block: minutes(3),
            data_termination: minutes(10),
            server_command: minutes(5),
        }
    }
}
