//! Commands: every command of [RFC 5321 §4.1.1], `LHLO` ([RFC 2033 §4.1]),
//! `STARTTLS` ([RFC 3207 §4]), `AUTH` ([RFC 4954 §4]) and `BDAT` ([RFC 3030
//! §2]).
//!
//! [RFC 5321 §4.1.1]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1
//! [RFC 2033 §4.1]: https://www.rfc-editor.org/rfc/rfc2033#section-4.1
//! [RFC 3207 §4]: https://www.rfc-editor.org/rfc/rfc3207#section-4
//! [RFC 4954 §4]: https://www.rfc-editor.org/rfc/rfc4954#section-4
//! [RFC 3030 §2]: https://www.rfc-editor.org/rfc/rfc3030#section-2
//!
//! ```
//! use mailwire_smtp::{Command, MailParameters, ReversePath};
//!
//! let command = Command::Mail {
//!     reverse_path: ReversePath::Null,
//!     parameters: MailParameters { size: Some(42), ..Default::default() },
//! };
//! assert_eq!(command.to_bytes(), b"MAIL FROM:<> SIZE=42\r\n");
//! ```

use std::fmt;

use mailwire_core::Secret;

use crate::types::auth::Mechanism;
use crate::types::parameter::{MailParameters, RcptParameters};
use crate::types::path::{ForwardPath, Host, ReversePath};
use crate::types::text::Text;

/// A command line.
///
/// ```abnf
/// helo     = "HELO" SP Domain CRLF            ; an address literal is accepted too
/// ehlo     = "EHLO" SP ( Domain / address-literal ) CRLF
/// lhlo     = "LHLO" SP ( Domain / address-literal ) CRLF   ; RFC 2033
/// mail     = "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF
/// rcpt     = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" /
///            Forward-path ) [SP Rcpt-parameters] CRLF
/// data     = "DATA" CRLF
/// bdat     = "BDAT" SP chunk-size [ SP end-marker ] CRLF  ; RFC 3030
/// rset     = "RSET" CRLF
/// vrfy     = "VRFY" SP String CRLF
/// expn     = "EXPN" SP String CRLF
/// help     = "HELP" [ SP String ] CRLF
/// noop     = "NOOP" [ SP String ] CRLF
/// quit     = "QUIT" CRLF
/// starttls = "STARTTLS" CRLF                     ; RFC 3207
/// auth     = "AUTH" SP sasl-mech [SP initial-response] CRLF  ; RFC 4954
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command<'a> {
    /// `HELO` ([RFC 5321 §4.1.1.1]).
    ///
    /// [RFC 5321 §4.1.1.1]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.1
    Helo {
        /// The client's name.
        host: Host<'a>,
    },
    /// `EHLO` ([RFC 5321 §4.1.1.1]).
    ///
    /// [RFC 5321 §4.1.1.1]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.1
    Ehlo {
        /// The client's name.
        host: Host<'a>,
    },
    /// `LHLO` ([RFC 2033 §4.1]).
    ///
    /// [RFC 2033 §4.1]: https://www.rfc-editor.org/rfc/rfc2033#section-4.1
    Lhlo {
        /// The client's name.
        host: Host<'a>,
    },
    /// `MAIL FROM:` ([RFC 5321 §4.1.1.2]).
    ///
    /// [RFC 5321 §4.1.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.2
    Mail {
        /// The sender.
        reverse_path: ReversePath<'a>,
        /// Its parameters.
        parameters: MailParameters<'a>,
    },
    /// `RCPT TO:` ([RFC 5321 §4.1.1.3]).
    ///
    /// [RFC 5321 §4.1.1.3]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.3
    Rcpt {
        /// The recipient.
        forward_path: ForwardPath<'a>,
        /// Its parameters.
        parameters: RcptParameters<'a>,
    },
    /// `DATA` ([RFC 5321 §4.1.1.4]).
    ///
    /// [RFC 5321 §4.1.1.4]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.4
    Data,
    /// `BDAT` ([RFC 3030 §2]): `size` octets of the body follow the line.
    ///
    /// [RFC 3030 §2]: https://www.rfc-editor.org/rfc/rfc3030#section-2
    Bdat {
        /// The chunk size in octets.
        size: u64,
        /// `LAST`: the chunk ends the message.
        last: bool,
    },
    /// `RSET` ([RFC 5321 §4.1.1.5]).
    ///
    /// [RFC 5321 §4.1.1.5]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.5
    Rset,
    /// `VRFY` ([RFC 5321 §4.1.1.6]).
    ///
    /// [RFC 5321 §4.1.1.6]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.6
    Vrfy {
        /// What to verify.
        argument: Text<'a>,
    },
    /// `EXPN` ([RFC 5321 §4.1.1.7]).
    ///
    /// [RFC 5321 §4.1.1.7]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.7
    Expn {
        /// The list to expand.
        argument: Text<'a>,
    },
    /// `HELP` ([RFC 5321 §4.1.1.8]).
    ///
    /// [RFC 5321 §4.1.1.8]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.8
    Help {
        /// The topic, if any.
        topic: Option<Text<'a>>,
    },
    /// `NOOP` ([RFC 5321 §4.1.1.9]).
    ///
    /// [RFC 5321 §4.1.1.9]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.9
    Noop {
        /// The ignored argument, if any.
        argument: Option<Text<'a>>,
    },
    /// `QUIT` ([RFC 5321 §4.1.1.10]).
    ///
    /// [RFC 5321 §4.1.1.10]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.10
    Quit,
    /// `STARTTLS` ([RFC 3207 §4]).
    ///
    /// [RFC 3207 §4]: https://www.rfc-editor.org/rfc/rfc3207#section-4
    StartTls,
    /// `AUTH` ([RFC 4954 §4]).
    ///
    /// [RFC 4954 §4]: https://www.rfc-editor.org/rfc/rfc4954#section-4
    Auth {
        /// The mechanism.
        mechanism: Mechanism<'a>,
        /// The decoded initial response; `Some` of an empty vector is sent
        /// as `=`.
        initial_response: Option<Secret<Vec<u8>>>,
    },
}

impl Command<'_> {
    /// The command verb, upper-case.
    ///
    /// ```
    /// assert_eq!(mailwire_smtp::Command::StartTls.verb(), "STARTTLS");
    /// ```
    pub const fn verb(&self) -> &'static str {
        match self {
            Command::Helo { .. } => "HELO",
            Command::Ehlo { .. } => "EHLO",
            Command::Lhlo { .. } => "LHLO",
            Command::Mail { .. } => "MAIL",
            Command::Rcpt { .. } => "RCPT",
            Command::Data => "DATA",
            Command::Bdat { .. } => "BDAT",
            Command::Rset => "RSET",
            Command::Vrfy { .. } => "VRFY",
            Command::Expn { .. } => "EXPN",
            Command::Help { .. } => "HELP",
            Command::Noop { .. } => "NOOP",
            Command::Quit => "QUIT",
            Command::StartTls => "STARTTLS",
            Command::Auth { .. } => "AUTH",
        }
    }

    /// Detaches the command from the buffer it borrows from.
    ///
    /// ```
    /// use mailwire_smtp::{Command, parse::parse_command_line};
    /// let line = b"VRFY Smith".to_vec();
    /// let owned = parse_command_line(&line).unwrap().into_static();
    /// drop(line);
    /// assert_eq!(owned.verb(), "VRFY");
    /// ```
    pub fn into_static(self) -> Command<'static> {
        match self {
            Command::Helo { host } => Command::Helo {
                host: host.into_static(),
            },
            Command::Ehlo { host } => Command::Ehlo {
                host: host.into_static(),
            },
            Command::Lhlo { host } => Command::Lhlo {
                host: host.into_static(),
            },
            Command::Mail {
                reverse_path,
                parameters,
            } => Command::Mail {
                reverse_path: reverse_path.into_static(),
                parameters: parameters.into_static(),
            },
            Command::Rcpt {
                forward_path,
                parameters,
            } => Command::Rcpt {
                forward_path: forward_path.into_static(),
                parameters: parameters.into_static(),
            },
            Command::Data => Command::Data,
            Command::Bdat { size, last } => Command::Bdat { size, last },
            Command::Rset => Command::Rset,
            Command::Vrfy { argument } => Command::Vrfy {
                argument: argument.into_static(),
            },
            Command::Expn { argument } => Command::Expn {
                argument: argument.into_static(),
            },
            Command::Help { topic } => Command::Help {
                topic: topic.map(Text::into_static),
            },
            Command::Noop { argument } => Command::Noop {
                argument: argument.map(Text::into_static),
            },
            Command::Quit => Command::Quit,
            Command::StartTls => Command::StartTls,
            Command::Auth {
                mechanism,
                initial_response,
            } => Command::Auth {
                mechanism: mechanism.into_static(),
                initial_response,
            },
        }
    }

    /// The command as wire bytes, CRLF included.
    ///
    /// ```
    /// assert_eq!(mailwire_smtp::Command::Quit.to_bytes(), b"QUIT\r\n");
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        crate::encode::encode_command(self, &mut out);
        out
    }

    /// `true` if the command carries credentials (an `AUTH` with an initial
    /// response): its transmit is secret.
    ///
    /// ```
    /// assert!(!mailwire_smtp::Command::Quit.is_secret());
    /// ```
    pub const fn is_secret(&self) -> bool {
        matches!(
            self,
            Command::Auth {
                initial_response: Some(_),
                ..
            }
        )
    }
}

impl fmt::Display for Command<'_> {
    /// The command line without CRLF; an initial response shows as `***`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Command::Auth {
            mechanism,
            initial_response,
        } = self
        {
            write!(f, "AUTH {mechanism}")?;
            if initial_response.is_some() {
                f.write_str(" ***")?;
            }
            return Ok(());
        }
        let bytes = self.to_bytes();
        let line = bytes.strip_suffix(b"\r\n").unwrap_or(&bytes);
        f.write_str(&String::from_utf8_lossy(line))
    }
}
