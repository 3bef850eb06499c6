//! Server responses: status lines, the greeting, SASL continuations and the
//! lines of multi-line responses ([RFC 1939 §3], [RFC 2449 §3]).
//!
//! ```abnf
//! single-line  =  status [SP text] CRLF        ; 512 octets maximum
//! status       =  "+OK" / "-ERR"
//! text         =  *schar / resp-code *CHAR
//! greeting     =  "+OK" [resp-code] *gchar [timestamp] *gchar CRLF
//! timestamp    =  "<" *VCHAR ">"                ; an RFC 822 msg-id
//! multi-line   =  single-line *dot-stuffed "." CRLF
//! continue-req =  "+" SP [base64] CRLF          ; RFC 5034 §4
//! ```
//!
//! [RFC 1939 §3]: https://www.rfc-editor.org/rfc/rfc1939#section-3
//! [RFC 2449 §3]: https://www.rfc-editor.org/rfc/rfc2449#section-3
//!
//! ```
//! use mailwire_pop3::{Response, ResponseCode, Status};
//!
//! let r = Response::new(Status::Err, Some(ResponseCode::IN_USE), "maildrop locked").unwrap();
//! assert_eq!(r.to_bytes(), b"-ERR [IN-USE] maildrop locked\r\n");
//! ```

use std::borrow::Cow;
use std::fmt;

use super::command::Argument;
use super::response_code::ResponseCode;
use super::{InvalidValue, invalid};

/// The status indicator that starts every response line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// `+OK`: positive.
    Ok,
    /// `-ERR`: negative.
    Err,
}

impl Status {
    /// The indicator as sent.
    ///
    /// ```
    /// assert_eq!(mailwire_pop3::Status::Err.as_str(), "-ERR");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "+OK",
            Status::Err => "-ERR",
        }
    }

    /// `true` for `+OK`.
    ///
    /// ```
    /// assert!(mailwire_pop3::Status::Ok.is_ok());
    /// ```
    pub const fn is_ok(self) -> bool {
        matches!(self, Status::Ok)
    }
}

/// Human-readable text: any UTF-8 without CR, LF or NUL.
///
/// ```
/// use mailwire_pop3::Text;
/// assert_eq!(Text::new("maildrop has 2 messages").unwrap().as_str(), "maildrop has 2 messages");
/// assert!(Text::new("two\r\nlines").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Text(Cow<'static, str>);

impl Text {
    /// Validates `text`.
    ///
    /// # Errors
    ///
    /// [`InvalidValue`] if it holds CR, LF or NUL.
    pub fn new(text: impl Into<String>) -> Result<Self, InvalidValue> {
        let text = text.into();
        check_text(&text)?;
        Ok(Text(Cow::Owned(text)))
    }

    /// A text known at compile time. Text holding CR, LF or NUL is replaced
    /// by an empty text.
    ///
    /// ```
    /// assert_eq!(mailwire_pop3::Text::new_static("ready").as_str(), "ready");
    /// assert_eq!(mailwire_pop3::Text::new_static("a\nb").as_str(), "");
    /// ```
    pub fn new_static(text: &'static str) -> Self {
        if check_text(text).is_ok() {
            Text(Cow::Borrowed(text))
        } else {
            Text::default()
        }
    }

    /// The text.
    ///
    /// ```
    /// assert_eq!(mailwire_pop3::Text::default().as_str(), "");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `true` if empty.
    ///
    /// ```
    /// assert!(mailwire_pop3::Text::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn check_text(text: &str) -> Result<(), InvalidValue> {
    if text.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
        Err(invalid("text", "contains CR, LF or NUL"))
    } else {
        Ok(())
    }
}

/// A single-line response, or the first line of a multi-line one.
///
/// A text that itself starts with a valid `[resp-code]` is read back as
/// that code: give it as [`code`](Self::code) instead.
///
/// ```
/// use mailwire_pop3::{Response, Status};
/// let ok = Response::ok("2 messages (320 octets)").unwrap();
/// assert_eq!(ok.status, Status::Ok);
/// assert_eq!(ok.to_bytes(), b"+OK 2 messages (320 octets)\r\n");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Response {
    /// `+OK` or `-ERR`.
    pub status: Status,
    /// The extended response code, if any ([RFC 2449 §8]).
    ///
    /// [RFC 2449 §8]: https://www.rfc-editor.org/rfc/rfc2449#section-8
    pub code: Option<ResponseCode>,
    /// The rest of the line.
    pub text: Text,
}

impl Response {
    /// A response with validated text.
    ///
    /// # Errors
    ///
    /// [`InvalidValue`] if `text` holds CR, LF or NUL.
    ///
    /// ```
    /// use mailwire_pop3::{Response, Status};
    /// assert!(Response::new(Status::Ok, None, "fine").is_ok());
    /// ```
    pub fn new(
        status: Status,
        code: Option<ResponseCode>,
        text: impl Into<String>,
    ) -> Result<Self, InvalidValue> {
        Ok(Response {
            status,
            code,
            text: Text::new(text)?,
        })
    }

    /// A response whose text is known at compile time (see
    /// [`Text::new_static`]).
    ///
    /// ```
    /// use mailwire_pop3::{Response, Status};
    /// assert_eq!(Response::new_static(Status::Ok, None, "bye").to_bytes(), b"+OK bye\r\n");
    /// ```
    pub fn new_static(status: Status, code: Option<ResponseCode>, text: &'static str) -> Self {
        Response {
            status,
            code,
            text: Text::new_static(text),
        }
    }

    /// `+OK text`.
    ///
    /// # Errors
    ///
    /// [`InvalidValue`] if `text` holds CR, LF or NUL.
    ///
    /// ```
    /// assert!(mailwire_pop3::Response::ok("done").unwrap().status.is_ok());
    /// ```
    pub fn ok(text: impl Into<String>) -> Result<Self, InvalidValue> {
        Self::new(Status::Ok, None, text)
    }

    /// `-ERR text`.
    ///
    /// # Errors
    ///
    /// [`InvalidValue`] if `text` holds CR, LF or NUL.
    ///
    /// ```
    /// assert!(!mailwire_pop3::Response::err("no such message").unwrap().status.is_ok());
    /// ```
    pub fn err(text: impl Into<String>) -> Result<Self, InvalidValue> {
        Self::new(Status::Err, None, text)
    }

    /// `true` for `+OK`.
    ///
    /// ```
    /// assert!(mailwire_pop3::Response::ok("").unwrap().is_ok());
    /// ```
    pub const fn is_ok(&self) -> bool {
        self.status.is_ok()
    }
}

/// A line a server sends where a response is expected: a status line, or
/// an `AUTH` continuation ([RFC 5034 §4]).
///
/// [RFC 5034 §4]: https://www.rfc-editor.org/rfc/rfc5034#section-4
///
/// ```
/// use mailwire_pop3::parse::parse_server_line;
/// use mailwire_pop3::ServerLine;
///
/// assert_eq!(parse_server_line(b"+ ").unwrap(), ServerLine::Continuation(Vec::new()));
/// assert!(matches!(parse_server_line(b"+OK").unwrap(), ServerLine::Response(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServerLine {
    /// `+OK` or `-ERR`.
    Response(Response),
    /// `+ <base64>`: a SASL challenge, decoded.
    Continuation(Vec<u8>),
}

/// The server greeting, with the APOP timestamp if it offers one ([RFC 1939
/// §4], §7).
///
/// [RFC 1939 §4]: https://www.rfc-editor.org/rfc/rfc1939#section-4
///
/// ```
/// use mailwire_pop3::parse::parse_greeting;
///
/// let g = parse_greeting(b"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>").unwrap();
/// assert_eq!(g.timestamp.as_deref(), Some("<1896.697170952@dbc.mtview.ca.us>"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Greeting {
    /// The whole greeting line.
    pub response: Response,
    /// The `<...@...>` timestamp, brackets included, when the text holds
    /// one: the salt of `APOP`.
    pub timestamp: Option<String>,
}

/// The answer to `STAT`: `+OK nn mm` ([RFC 1939 §5]).
///
/// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
///
/// ```
/// use mailwire_pop3::DropListing;
/// let d = DropListing { messages: 2, size: 320 };
/// assert_eq!(d.to_string(), "2 320");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DropListing {
    /// Messages in the maildrop, not counting those marked deleted.
    pub messages: u32,
    /// Their size in octets.
    pub size: u64,
}

impl fmt::Display for DropListing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.messages, self.size)
    }
}

/// One line of a `LIST` answer: `msg octets` ([RFC 1939 §5]).
///
/// [RFC 1939 §5]: https://www.rfc-editor.org/rfc/rfc1939#section-5
///
/// ```
/// use mailwire_pop3::ScanListing;
/// assert_eq!(ScanListing { message: 1, size: 120 }.to_string(), "1 120");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScanListing {
    /// The message number.
    pub message: u32,
    /// The exact size in octets.
    pub size: u64,
}

impl fmt::Display for ScanListing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.message, self.size)
    }
}

/// A unique-id: 1 to 70 characters in the range `0x21`–`0x7E` ([RFC 1939
/// §7]).
///
/// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#page-12
///
/// ```abnf
/// unique-id = 1*70(%x21-7E)
/// ```
///
/// ```
/// use mailwire_pop3::UniqueId;
/// assert!(UniqueId::new("QhdPYR:00WBw1Ph7x7").is_ok());
/// assert!(UniqueId::new("").is_err());
/// assert!(UniqueId::new("x".repeat(71)).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UniqueId(String);

impl UniqueId {
    /// The longest unique-id ([RFC 1939 §7]).
    ///
    /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#page-12
    pub const MAX_LEN: usize = 70;

    /// Validates `id`.
    ///
    /// # Errors
    ///
    /// [`InvalidValue`] if it is empty, longer than 70 or has a byte outside
    /// `0x21`–`0x7E`.
    pub fn new(id: impl Into<String>) -> Result<Self, InvalidValue> {
        let id = id.into();
        if id.is_empty() || id.len() > Self::MAX_LEN {
            return Err(invalid("unique-id", "not 1 to 70 characters"));
        }
        if !id.bytes().all(|b| (0x21..=0x7E).contains(&b)) {
            return Err(invalid("unique-id", "not printable ASCII"));
        }
        Ok(UniqueId(id))
    }

    /// The id.
    ///
    /// ```
    /// assert_eq!(mailwire_pop3::UniqueId::new("a1").unwrap().as_str(), "a1");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UniqueId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One line of a `UIDL` answer: `msg unique-id` ([RFC 1939 §7]).
///
/// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#page-12
///
/// ```
/// use mailwire_pop3::{UniqueId, UniqueIdListing};
/// let l = UniqueIdListing { message: 1, uid: UniqueId::new("whqtswO00WBw418f9t5JxYwZ").unwrap() };
/// assert_eq!(l.to_string(), "1 whqtswO00WBw418f9t5JxYwZ");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UniqueIdListing {
    /// The message number.
    pub message: u32,
    /// Its unique-id.
    pub uid: UniqueId,
}

impl fmt::Display for UniqueIdListing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.message, self.uid)
    }
}

/// One line of a `LANG` listing: a language tag and an optional
/// description ([RFC 6856 §3.2]).
///
/// [RFC 6856 §3.2]: https://www.rfc-editor.org/rfc/rfc6856#section-3.2
///
/// ```
/// use mailwire_pop3::{Language, Text};
/// use mailwire_pop3::types::command::Argument;
/// let en = Language { tag: Argument::new("en").unwrap(), description: Some(Text::new("English").unwrap()) };
/// assert_eq!(en.to_string(), "en English");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Language {
    /// The language tag ([RFC 5646]).
    ///
    /// [RFC 5646]: https://www.rfc-editor.org/rfc/rfc5646
    pub tag: Argument,
    /// Its name, in the language itself.
    pub description: Option<Text>,
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.description {
            Some(d) if !d.is_empty() => write!(f, "{} {d}", self.tag),
            _ => write!(f, "{}", self.tag),
        }
    }
}
