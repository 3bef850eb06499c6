//! Replies: a three-digit code, an optional enhanced status code and one or
//! more lines of text ([RFC 5321 §4.2], [RFC 3463], [RFC 2034]).
//!
//! [RFC 5321 §4.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.2
//! [RFC 3463]: https://www.rfc-editor.org/rfc/rfc3463
//! [RFC 2034]: https://www.rfc-editor.org/rfc/rfc2034
//!
//! ```
//! use mailwire_smtp::{EnhancedCode, Reply, ReplyCode};
//!
//! let reply = Reply::new(ReplyCode::OK, "Ok").unwrap().with_enhanced(EnhancedCode::OK);
//! assert_eq!(reply.to_bytes(), b"250 2.0.0 Ok\r\n");
//! assert!(reply.code().is_positive_completion());
//! ```

use std::borrow::Cow;
use std::fmt;

use crate::Error;
use crate::types::text::Text;

/// A three-digit reply code ([RFC 5321 §4.2.1]), a newtype so that any code
/// round-trips, with constants for the codes of RFC 5321 §4.2.3 and its
/// extensions.
///
/// ```abnf
/// Reply-code = %x32-35 %x30-35 %x30-39
/// ```
///
/// [RFC 5321 §4.2.1]: https://www.rfc-editor.org/rfc/rfc5321#section-4.2.1
///
/// ```
/// use mailwire_smtp::ReplyCode;
/// assert_eq!(ReplyCode::new(250), Some(ReplyCode::OK));
/// assert_eq!(ReplyCode::new(199), None);
/// assert!(ReplyCode::MAILBOX_UNAVAILABLE.is_permanent());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReplyCode(u16);

impl ReplyCode {
    /// `211` System status.
    pub const SYSTEM_STATUS: Self = Self(211);
    /// `214` Help message.
    pub const HELP: Self = Self(214);
    /// `220` Service ready (greeting; RFC 3207 "Ready to start TLS").
    pub const SERVICE_READY: Self = Self(220);
    /// `221` Service closing transmission channel.
    pub const CLOSING: Self = Self(221);
    /// `235` Authentication succeeded (RFC 4954 §6).
    pub const AUTH_SUCCEEDED: Self = Self(235);
    /// `250` Requested mail action okay, completed.
    pub const OK: Self = Self(250);
    /// `251` User not local; will forward.
    pub const USER_NOT_LOCAL_WILL_FORWARD: Self = Self(251);
    /// `252` Cannot VRFY user, but will accept message and attempt delivery.
    pub const CANNOT_VERIFY: Self = Self(252);
    /// `334` Server challenge (RFC 4954 §4).
    pub const AUTH_CHALLENGE: Self = Self(334);
    /// `354` Start mail input; end with `<CRLF>.<CRLF>`.
    pub const START_MAIL_INPUT: Self = Self(354);
    /// `421` Service not available, closing transmission channel.
    pub const SERVICE_NOT_AVAILABLE: Self = Self(421);
    /// `450` Requested mail action not taken: mailbox unavailable.
    pub const MAILBOX_BUSY: Self = Self(450);
    /// `451` Requested action aborted: local error in processing.
    pub const LOCAL_ERROR: Self = Self(451);
    /// `452` Requested action not taken: insufficient system storage (also
    /// "too many recipients", RFC 5321 §4.5.3.1.10).
    pub const INSUFFICIENT_STORAGE: Self = Self(452);
    /// `454` Temporary authentication failure (RFC 4954 §6), TLS not
    /// available (RFC 3207 §4).
    pub const TEMPORARY_FAILURE: Self = Self(454);
    /// `455` Server unable to accommodate parameters.
    pub const PARAMETERS_NOT_ACCOMMODATED: Self = Self(455);
    /// `500` Syntax error, command unrecognized (also: line too long).
    pub const SYNTAX_ERROR: Self = Self(500);
    /// `501` Syntax error in parameters or arguments.
    pub const PARAMETER_SYNTAX_ERROR: Self = Self(501);
    /// `502` Command not implemented.
    pub const NOT_IMPLEMENTED: Self = Self(502);
    /// `503` Bad sequence of commands.
    pub const BAD_SEQUENCE: Self = Self(503);
    /// `504` Command parameter not implemented.
    pub const PARAMETER_NOT_IMPLEMENTED: Self = Self(504);
    /// `530` Authentication required (RFC 4954 §6), or STARTTLS first
    /// (RFC 3207 §4).
    pub const AUTH_REQUIRED: Self = Self(530);
    /// `534` Authentication mechanism is too weak (RFC 4954 §6).
    pub const AUTH_TOO_WEAK: Self = Self(534);
    /// `535` Authentication credentials invalid (RFC 4954 §6).
    pub const AUTH_INVALID: Self = Self(535);
    /// `550` Requested action not taken: mailbox unavailable.
    pub const MAILBOX_UNAVAILABLE: Self = Self(550);
    /// `551` User not local.
    pub const USER_NOT_LOCAL: Self = Self(551);
    /// `552` Requested mail action aborted: exceeded storage allocation.
    pub const EXCEEDED_STORAGE: Self = Self(552);
    /// `553` Requested action not taken: mailbox name not allowed.
    pub const MAILBOX_NAME_NOT_ALLOWED: Self = Self(553);
    /// `554` Transaction failed (or "no SMTP service here" as a greeting).
    pub const TRANSACTION_FAILED: Self = Self(554);
    /// `555` MAIL FROM/RCPT TO parameters not recognized or not implemented.
    pub const PARAMETERS_NOT_RECOGNIZED: Self = Self(555);
    /// `556` Domain does not accept mail (RFC 7505 §4.2).
    pub const DOMAIN_DOES_NOT_ACCEPT_MAIL: Self = Self(556);

    /// A reply code, if `code` matches `Reply-code` (200 to 559, each digit
    /// in range).
    ///
    /// ```
    /// use mailwire_smtp::ReplyCode;
    /// assert!(ReplyCode::new(354).is_some());
    /// assert!(ReplyCode::new(260).is_none());
    /// ```
    pub const fn new(code: u16) -> Option<Self> {
        let (a, b, c) = (code / 100, code / 10 % 10, code % 10);
        if a >= 2 && a <= 5 && b <= 5 && c <= 9 {
            Some(Self(code))
        } else {
            None
        }
    }

    /// The numeric value.
    ///
    /// ```
    /// assert_eq!(mailwire_smtp::ReplyCode::OK.get(), 250);
    /// ```
    pub const fn get(self) -> u16 {
        self.0
    }

    /// The first digit, which RFC 5321 §4.2.1 gives the meaning of.
    ///
    /// ```
    /// assert_eq!(mailwire_smtp::ReplyCode::START_MAIL_INPUT.class(), 3);
    /// ```
    pub const fn class(self) -> u8 {
        (self.0 / 100) as u8
    }

    /// `2yz`: positive completion.
    ///
    /// ```
    /// assert!(mailwire_smtp::ReplyCode::OK.is_positive_completion());
    /// ```
    pub const fn is_positive_completion(self) -> bool {
        self.class() == 2
    }

    /// `3yz`: positive intermediate.
    ///
    /// ```
    /// assert!(mailwire_smtp::ReplyCode::AUTH_CHALLENGE.is_positive_intermediate());
    /// ```
    pub const fn is_positive_intermediate(self) -> bool {
        self.class() == 3
    }

    /// `4yz`: transient negative completion.
    ///
    /// ```
    /// assert!(mailwire_smtp::ReplyCode::LOCAL_ERROR.is_transient());
    /// ```
    pub const fn is_transient(self) -> bool {
        self.class() == 4
    }

    /// `5yz`: permanent negative completion.
    ///
    /// ```
    /// assert!(mailwire_smtp::ReplyCode::BAD_SEQUENCE.is_permanent());
    /// ```
    pub const fn is_permanent(self) -> bool {
        self.class() == 5
    }
}

impl fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

/// An enhanced mail system status code ([RFC 3463 §2], sent in replies as
/// [RFC 2034 §4] describes).
///
/// ```abnf
/// status-code = class "." subject "." detail
/// class       = "2" / "4" / "5"
/// subject     = 1*3digit
/// detail      = 1*3digit
/// ```
///
/// [RFC 3463 §2]: https://www.rfc-editor.org/rfc/rfc3463#section-2
/// [RFC 2034 §4]: https://www.rfc-editor.org/rfc/rfc2034#section-4
///
/// ```
/// use mailwire_smtp::EnhancedCode;
/// let code = EnhancedCode::new(5, 1, 1).unwrap();
/// assert_eq!(code.to_string(), "5.1.1");
/// assert_eq!(code, EnhancedCode::BAD_DESTINATION_MAILBOX);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EnhancedCode {
    class: u8,
    subject: u16,
    detail: u16,
}

impl EnhancedCode {
    const fn known(class: u8, subject: u16, detail: u16) -> Self {
        Self {
            class,
            subject,
            detail,
        }
    }

    /// `2.0.0` Other undefined status (success).
    pub const OK: Self = Self::known(2, 0, 0);
    /// `2.1.0` Other address status: sender accepted.
    pub const SENDER_OK: Self = Self::known(2, 1, 0);
    /// `2.1.5` Destination address valid.
    pub const DESTINATION_OK: Self = Self::known(2, 1, 5);
    /// `2.6.0` Other or undefined media error: message accepted.
    pub const MESSAGE_OK: Self = Self::known(2, 6, 0);
    /// `2.7.0` Other or undefined security status (RFC 4954 §6: auth succeeded).
    pub const SECURITY_OK: Self = Self::known(2, 7, 0);
    /// `4.3.0` Other or undefined mail system status.
    pub const TEMPORARY_SYSTEM_ERROR: Self = Self::known(4, 3, 0);
    /// `4.4.2` Bad connection (timeout).
    pub const BAD_CONNECTION: Self = Self::known(4, 4, 2);
    /// `4.5.3` Too many recipients (RFC 5321 §4.5.3.1.10).
    pub const TOO_MANY_RECIPIENTS: Self = Self::known(4, 5, 3);
    /// `4.7.0` Temporary security failure (RFC 4954 §6).
    pub const TEMPORARY_SECURITY_FAILURE: Self = Self::known(4, 7, 0);
    /// `5.0.0` Other undefined status.
    pub const PERMANENT_FAILURE: Self = Self::known(5, 0, 0);
    /// `5.1.1` Bad destination mailbox address.
    pub const BAD_DESTINATION_MAILBOX: Self = Self::known(5, 1, 1);
    /// `5.1.3` Bad destination mailbox address syntax.
    pub const BAD_DESTINATION_SYNTAX: Self = Self::known(5, 1, 3);
    /// `5.1.7` Bad sender's mailbox address syntax.
    pub const BAD_SENDER_SYNTAX: Self = Self::known(5, 1, 7);
    /// `5.1.10` Recipient address has null MX (RFC 7505 §4.1).
    pub const NULL_MX: Self = Self::known(5, 1, 10);
    /// `5.3.4` Message too big for system.
    pub const MESSAGE_TOO_BIG: Self = Self::known(5, 3, 4);
    /// `5.5.1` Invalid command.
    pub const INVALID_COMMAND: Self = Self::known(5, 5, 1);
    /// `5.5.2` Syntax error.
    pub const SYNTAX_ERROR: Self = Self::known(5, 5, 2);
    /// `5.5.4` Invalid command arguments.
    pub const INVALID_ARGUMENTS: Self = Self::known(5, 5, 4);
    /// `5.5.6` Line too long (RFC 4954 §6: "Authentication Exchange line is too long").
    pub const LINE_TOO_LONG: Self = Self::known(5, 5, 6);
    /// `5.6.7` Non-ASCII addresses not permitted (RFC 6531 §3.5).
    pub const NON_ASCII_ADDRESS: Self = Self::known(5, 6, 7);
    /// `5.7.0` Other or undefined security status (RFC 4954 §6: authentication required).
    pub const SECURITY_ERROR: Self = Self::known(5, 7, 0);
    /// `5.7.8` Authentication credentials invalid (RFC 4954 §6).
    pub const AUTH_INVALID: Self = Self::known(5, 7, 8);
    /// `5.7.10` Encryption needed (RFC 8689 §4.2).
    pub const ENCRYPTION_NEEDED: Self = Self::known(5, 7, 10);
    /// `5.7.30` REQUIRETLS support required (RFC 8689 §4.2).
    pub const REQUIRETLS_NEEDED: Self = Self::known(5, 7, 30);
    /// `4.3.2` System not accepting network messages (shutdown).
    pub const SYSTEM_NOT_ACCEPTING: Self = Self::known(4, 3, 2);

    /// An enhanced code, if `class` is 2, 4 or 5 and the other parts have at
    /// most three digits.
    ///
    /// ```
    /// assert!(mailwire_smtp::EnhancedCode::new(3, 0, 0).is_none());
    /// ```
    pub const fn new(class: u8, subject: u16, detail: u16) -> Option<Self> {
        if matches!(class, 2 | 4 | 5) && subject <= 999 && detail <= 999 {
            Some(Self {
                class,
                subject,
                detail,
            })
        } else {
            None
        }
    }

    /// The class: 2 (success), 4 (persistent transient failure), 5
    /// (permanent failure).
    ///
    /// ```
    /// assert_eq!(mailwire_smtp::EnhancedCode::OK.class(), 2);
    /// ```
    pub const fn class(self) -> u8 {
        self.class
    }

    /// The subject.
    ///
    /// ```
    /// assert_eq!(mailwire_smtp::EnhancedCode::MESSAGE_TOO_BIG.subject(), 3);
    /// ```
    pub const fn subject(self) -> u16 {
        self.subject
    }

    /// The detail.
    ///
    /// ```
    /// assert_eq!(mailwire_smtp::EnhancedCode::MESSAGE_TOO_BIG.detail(), 4);
    /// ```
    pub const fn detail(self) -> u16 {
        self.detail
    }
}

impl fmt::Display for EnhancedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// A complete, possibly multi-line, reply ([RFC 5321 §4.2]).
///
/// ```abnf
/// Reply-line = *( Reply-code "-" [ textstring ] CRLF )
///              Reply-code [ SP textstring ] CRLF
/// ```
///
/// Every line of a reply carries the same code; the enhanced status code,
/// when there is one, starts the text of every line ([RFC 2034 §4]). A reply
/// always has at least one line, and no line can hold CR or LF.
///
/// A reply without an enhanced code whose first line starts like one (say
/// `"2.0.0 "`) reads back with that enhanced code.
///
/// [RFC 5321 §4.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.2
/// [RFC 2034 §4]: https://www.rfc-editor.org/rfc/rfc2034#section-4
///
/// ```
/// use mailwire_smtp::{Reply, ReplyCode, parse::parse_reply, parse::Status};
///
/// let mut reply = Reply::new(ReplyCode::OK, "mx.example.org").unwrap();
/// reply.push_line("PIPELINING").unwrap();
/// let wire = reply.to_bytes();
/// assert_eq!(wire, b"250-mx.example.org\r\n250 PIPELINING\r\n");
/// let Status::Complete((parsed, used)) = parse_reply(&wire).unwrap() else { panic!() };
/// assert_eq!((parsed, used), (reply, wire.len()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reply<'a> {
    code: ReplyCode,
    enhanced: Option<EnhancedCode>,
    lines: Vec<Text<'a>>,
}

impl<'a> Reply<'a> {
    /// A one-line reply.
    ///
    /// # Errors
    ///
    /// [`CoreError::Malformed`](crate::CoreError::Malformed) if `text` holds CR, LF or NUL.
    ///
    /// ```
    /// use mailwire_smtp::{Reply, ReplyCode};
    /// assert!(Reply::new(ReplyCode::OK, "fine").is_ok());
    /// assert!(Reply::new(ReplyCode::OK, "fine\r\n250 forged").is_err());
    /// ```
    pub fn new(code: ReplyCode, text: &'a str) -> Result<Self, Error> {
        Ok(Self {
            code,
            enhanced: None,
            lines: vec![Text::try_from(text)?],
        })
    }

    /// A reply from its parts; `lines` must not be empty.
    ///
    /// # Errors
    ///
    /// [`CoreError::Malformed`](crate::CoreError::Malformed) when `lines` is empty.
    ///
    /// ```
    /// use mailwire_smtp::{Reply, ReplyCode, Text};
    /// let lines = vec![Text::try_from("a").unwrap(), Text::try_from("b").unwrap()];
    /// assert_eq!(Reply::from_parts(ReplyCode::OK, None, lines).unwrap().lines().len(), 2);
    /// assert!(Reply::from_parts(ReplyCode::OK, None, Vec::new()).is_err());
    /// ```
    pub fn from_parts(
        code: ReplyCode,
        enhanced: Option<EnhancedCode>,
        lines: Vec<Text<'a>>,
    ) -> Result<Self, Error> {
        if lines.is_empty() {
            return Err(Error::Protocol(mailwire_core::Error::Malformed {
                offset: 0,
                expected: "Reply-line",
                found: mailwire_core::error::Found::EndOfInput,
            }));
        }
        Ok(Self {
            code,
            enhanced,
            lines,
        })
    }

    /// A one-line reply from static text that is known to be valid; text
    /// with CR or LF is replaced by an empty line.
    pub(crate) fn new_static(
        code: ReplyCode,
        enhanced: Option<EnhancedCode>,
        text: &'static str,
    ) -> Reply<'static> {
        let line = Text::try_from(text).unwrap_or_default();
        Reply {
            code,
            enhanced,
            lines: vec![line],
        }
    }

    /// A one-line reply with owned text, sanitised: CR, LF and NUL become
    /// spaces.
    pub(crate) fn new_owned(
        code: ReplyCode,
        enhanced: Option<EnhancedCode>,
        text: String,
    ) -> Reply<'static> {
        let text = if text.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
            text.replace(['\r', '\n', '\0'], " ")
        } else {
            text
        };
        Reply {
            code,
            enhanced,
            lines: vec![Text::from_cow_unchecked(Cow::Owned(text))],
        }
    }

    pub(crate) fn push_owned(&mut self, text: String) {
        let text = text.replace(['\r', '\n', '\0'], " ");
        self.lines.push(Text::from_cow_unchecked(Cow::Owned(text)));
    }

    /// Sets the enhanced status code.
    ///
    /// ```
    /// use mailwire_smtp::{EnhancedCode, Reply, ReplyCode};
    /// let r = Reply::new(ReplyCode::OK, "Ok").unwrap().with_enhanced(EnhancedCode::OK);
    /// assert_eq!(r.enhanced(), Some(EnhancedCode::OK));
    /// ```
    #[must_use]
    pub fn with_enhanced(mut self, enhanced: EnhancedCode) -> Self {
        self.enhanced = Some(enhanced);
        self
    }

    /// Appends a line.
    ///
    /// # Errors
    ///
    /// [`CoreError::Malformed`](crate::CoreError::Malformed) if `text` holds CR, LF or NUL.
    ///
    /// ```
    /// use mailwire_smtp::{Reply, ReplyCode};
    /// let mut r = Reply::new(ReplyCode::OK, "a").unwrap();
    /// r.push_line("b").unwrap();
    /// assert_eq!(r.lines().len(), 2);
    /// ```
    pub fn push_line(&mut self, text: &'a str) -> Result<(), Error> {
        self.lines.push(Text::try_from(text)?);
        Ok(())
    }

    /// The reply code.
    ///
    /// ```
    /// use mailwire_smtp::{Reply, ReplyCode};
    /// assert_eq!(Reply::new(ReplyCode::CLOSING, "Bye").unwrap().code(), ReplyCode::CLOSING);
    /// ```
    pub const fn code(&self) -> ReplyCode {
        self.code
    }

    /// The enhanced status code, if any.
    ///
    /// ```
    /// use mailwire_smtp::{Reply, ReplyCode};
    /// assert_eq!(Reply::new(ReplyCode::OK, "x").unwrap().enhanced(), None);
    /// ```
    pub const fn enhanced(&self) -> Option<EnhancedCode> {
        self.enhanced
    }

    /// The lines of text, without codes.
    ///
    /// ```
    /// use mailwire_smtp::{Reply, ReplyCode};
    /// assert_eq!(Reply::new(ReplyCode::OK, "x").unwrap().lines()[0].as_str(), "x");
    /// ```
    pub fn lines(&self) -> &[Text<'a>] {
        &self.lines
    }

    /// The text of the first line.
    ///
    /// ```
    /// use mailwire_smtp::{Reply, ReplyCode};
    /// assert_eq!(Reply::new(ReplyCode::OK, "hi").unwrap().text(), "hi");
    /// ```
    pub fn text(&self) -> &str {
        self.lines.first().map_or("", Text::as_str)
    }

    /// Detaches the reply from the buffer it borrows from.
    ///
    /// ```
    /// use mailwire_smtp::{Reply, ReplyCode};
    /// let text = String::from("x");
    /// let owned = Reply::new(ReplyCode::OK, &text).unwrap().into_static();
    /// drop(text);
    /// assert_eq!(owned.text(), "x");
    /// ```
    pub fn into_static(self) -> Reply<'static> {
        Reply {
            code: self.code,
            enhanced: self.enhanced,
            lines: self.lines.into_iter().map(Text::into_static).collect(),
        }
    }

    /// The reply as wire bytes, CRLF included.
    ///
    /// ```
    /// use mailwire_smtp::{Reply, ReplyCode};
    /// assert_eq!(Reply::new(ReplyCode::CLOSING, "Bye").unwrap().to_bytes(), b"221 Bye\r\n");
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        crate::encode::encode_reply(self, &mut out);
        out
    }
}

impl fmt::Display for Reply<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        if let Some(enhanced) = self.enhanced {
            write!(f, " {enhanced}")?;
        }
        for (i, line) in self.lines.iter().enumerate() {
            f.write_str(if i == 0 { " " } else { " / " })?;
            f.write_str(line.as_str())?;
        }
        Ok(())
    }
}
