//! Command sequencing: each command line parsed, checked against the
//! session state and the extensions offered, answered or put to the
//! application.

use mailwire_core::Secret;
use mailwire_core::counted::CountedReader;
use mailwire_core::dot::DotDecoder;
use mailwire_core::error::Found;
use mailwire_core::line::LineError;

use crate::Error;
use crate::ext::{chunking, requiretls, size};
use crate::parse::command::Verb;
use crate::types::auth::{AuthResponse, Mechanism};
use crate::types::capability::EhloReply;
use crate::types::command::Command;
use crate::types::parameter::{BodyType, MailParameters, RcptParameters};
use crate::types::path::{ForwardPath, Host, ReversePath};
use crate::types::reply::{EnhancedCode, Reply, ReplyCode};
use crate::types::text::Text;

use super::{
    CloseReason, Event, Hello, Pending, Phase, Server, ServerMode, Transaction, bad_sequence, reply,
};

impl Server {
    pub(super) fn line_error(&mut self, error: LineError, auth: bool) {
        if auth {
            self.end_auth_exchange();
            self.events.push(Event::AuthCancelled);
        }
        let r = match error {
            LineError::TooLong { .. } => reply(
                ReplyCode::SYNTAX_ERROR,
                EnhancedCode::LINE_TOO_LONG,
                "Line too long",
            ),
            _ => reply(
                ReplyCode::SYNTAX_ERROR,
                EnhancedCode::SYNTAX_ERROR,
                "Bare CR or LF in command line",
            ),
        };
        self.error(&r);
        self.arm(self.config.limits.timeouts.server_command);
    }

    pub(super) fn end_auth_exchange(&mut self) {
        self.phase = Phase::Command;
        let max = Self::command_framing_limit(&self.config);
        self.framer.set_config(Self::line_config(&self.config, max));
    }

    pub(super) fn auth_line(&mut self, line: &[u8]) {
        self.end_auth_exchange();
        match crate::parse::parse_auth_response(line) {
            Ok(AuthResponse::Data(data)) => self.sasl_response(data.expose_secret()),
            Ok(AuthResponse::Cancel) => {
                self.sasl = None;
                self.events.push(Event::AuthCancelled);
                self.send(&reply(
                    ReplyCode::PARAMETER_SYNTAX_ERROR,
                    EnhancedCode::PERMANENT_FAILURE,
                    "Authentication cancelled",
                ));
            }
            Err(_) => {
                self.sasl = None;
                self.events.push(Event::AuthCancelled);
                self.error(&reply(
                    ReplyCode::PARAMETER_SYNTAX_ERROR,
                    EnhancedCode::SYNTAX_ERROR,
                    "Cannot decode base64 response",
                ));
            }
        }
    }

    pub(super) fn command_line(&mut self, line: &[u8]) {
        self.arm(self.config.limits.timeouts.server_command);
        let verb = crate::parse::parse_verb(line);
        let limits = &self.config.limits;
        let command = match crate::parse::command::parse_command_line_with_limits(line, limits) {
            Ok(command) => command,
            Err(e) => {
                let r = syntax_reply(verb, &e);
                self.error(&r);
                return;
            }
        };
        self.command(command);
    }

    pub(super) fn command(&mut self, command: Command<'_>) {
        let lmtp = self.config.mode == ServerMode::Lmtp;
        match command {
            Command::Helo { host } if !lmtp => self.hello(host, false),
            Command::Ehlo { host } if !lmtp => self.hello(host, true),
            Command::Lhlo { host } if lmtp => self.hello(host, true),
            Command::Helo { .. } | Command::Ehlo { .. } | Command::Lhlo { .. } => {
                self.error(&reply(
                    ReplyCode::SYNTAX_ERROR,
                    EnhancedCode::INVALID_COMMAND,
                    "Command unrecognized",
                ));
            }
            Command::Mail {
                reverse_path,
                parameters,
            } => self.mail(reverse_path, parameters),
            Command::Rcpt {
                forward_path,
                parameters,
            } => self.rcpt(forward_path, parameters),
            Command::Data => self.data(),
            Command::Bdat { size, last } => self.bdat(size, last),
            Command::Rset => {
                self.reset_transaction();
                self.send(&reply(ReplyCode::OK, EnhancedCode::OK, "Ok"));
            }
            Command::Vrfy { .. } => self.send(&reply(
                ReplyCode::CANNOT_VERIFY,
                EnhancedCode::OK,
                "Cannot VRFY user, but will accept message and attempt delivery",
            )),
            Command::Expn { .. } => {
                self.send(&reply(
                    ReplyCode::NOT_IMPLEMENTED,
                    EnhancedCode::INVALID_COMMAND,
                    "EXPN not available",
                ));
            }
            Command::Help { .. } => {
                self.send(&reply(
                    ReplyCode::HELP,
                    EnhancedCode::OK,
                    "See https://www.rfc-editor.org/rfc/rfc5321",
                ));
            }
            Command::Noop { .. } => self.send(&reply(ReplyCode::OK, EnhancedCode::OK, "Ok")),
            Command::Quit => {
                let text = format!(
                    "{} Service closing transmission channel",
                    self.config.hostname
                );
                self.send(&Reply::new_owned(
                    ReplyCode::CLOSING,
                    Some(EnhancedCode::OK),
                    text,
                ));
                self.close(CloseReason::Quit);
            }
            Command::StartTls => self.starttls(),
            Command::Auth {
                mechanism,
                initial_response,
            } => self.auth(mechanism, initial_response),
        }
    }

    pub(super) fn hello(&mut self, host: Host<'_>, extended: bool) {
        self.reset_transaction();
        self.hello = Some(if extended { Hello::Ehlo } else { Hello::Helo });
        if extended {
            let ehlo = EhloReply {
                domain: Text::from_cow_unchecked(self.config.hostname.as_str().to_owned().into()),
                greeting: Some(Text::from_cow_unchecked(format!("greets {host}").into())),
                capabilities: self.capabilities(),
            };
            let r = ehlo.to_reply();
            self.send(&r);
        } else {
            let text = self.config.hostname.to_string();
            self.send(&Reply::new_owned(ReplyCode::OK, None, text));
        }
        self.events.push(Event::Hello {
            host: host.into_static(),
            extended,
        });
    }

    pub(super) fn mail(&mut self, reverse_path: ReversePath<'_>, parameters: MailParameters<'_>) {
        if let Err((reply, counts_as_error)) = self.check_mail(&reverse_path, &parameters) {
            return if counts_as_error {
                self.error(&reply)
            } else {
                self.send(&reply)
            };
        }
        self.transaction = Some(Transaction {
            smtputf8: parameters.smtputf8,
            body: parameters.body,
            ..Transaction::default()
        });
        self.ask(
            Pending::Sender,
            Event::MailRequested {
                reverse_path: reverse_path.into_static(),
                parameters: parameters.into_static(),
            },
        );
    }

    /// The protocol's checks on `MAIL`, in order: the refusal, and whether
    /// it counts as an erroneous command.
    fn check_mail(
        &self,
        reverse_path: &ReversePath<'_>,
        parameters: &MailParameters<'_>,
    ) -> Result<(), (Reply<'static>, bool)> {
        let c = &self.config;
        if self.hello.is_none() {
            return Err((bad_sequence("Send HELO/EHLO first"), true));
        }
        if self.transaction.is_some() {
            return Err((bad_sequence("Nested MAIL command"), true));
        }
        if c.require_tls && !self.tls {
            return Err((
                reply(
                    ReplyCode::AUTH_REQUIRED,
                    EnhancedCode::SECURITY_ERROR,
                    "Must issue a STARTTLS command first",
                ),
                false,
            ));
        }
        if c.mode == ServerMode::Submission && self.authenticated.is_none() {
            return Err((
                reply(
                    ReplyCode::AUTH_REQUIRED,
                    EnhancedCode::SECURITY_ERROR,
                    "Authentication required",
                ),
                false,
            ));
        }
        let unsupported = !parameters.other.is_empty() && !c.allow_unknown_parameters
            || match parameters.body {
                Some(BodyType::EightBitMime) => !c.eight_bit_mime,
                Some(BodyType::BinaryMime) => !c.chunking,
                _ => false,
            }
            || (parameters.smtputf8 && !c.smtputf8)
            || (parameters.has_dsn() && !c.dsn)
            || (parameters.requiretls && !c.requiretls);
        if unsupported {
            return Err((parameter_not_supported("Unsupported MAIL parameter"), true));
        }
        requiretls::check(parameters.requiretls, self.tls).map_err(|r| (r, false))?;
        size::check_declared(parameters.size, c.limits.max_message_size).map_err(|r| (r, false))?;
        if !reverse_path.is_ascii() && !parameters.smtputf8 {
            return Err((
                reply(
                    ReplyCode::MAILBOX_UNAVAILABLE,
                    EnhancedCode::NON_ASCII_ADDRESS,
                    "Non-ASCII address needs SMTPUTF8",
                ),
                false,
            ));
        }
        Ok(())
    }

    pub(super) fn rcpt(&mut self, forward_path: ForwardPath<'_>, parameters: RcptParameters<'_>) {
        let Some(t) = &self.transaction else {
            return self.error(&bad_sequence("Need MAIL command"));
        };
        if t.used_bdat {
            return self.error(&bad_sequence("RCPT after BDAT"));
        }
        if t.recipients >= self.config.limits.max_recipients {
            return self.send(&reply(
                ReplyCode::INSUFFICIENT_STORAGE,
                EnhancedCode::TOO_MANY_RECIPIENTS,
                "Too many recipients",
            ));
        }
        if !parameters.other.is_empty() && !self.config.allow_unknown_parameters
            || parameters.has_dsn() && !self.config.dsn
        {
            return self.error(&parameter_not_supported("Unsupported RCPT parameter"));
        }
        if !forward_path.is_ascii() && !t.smtputf8 {
            return self.send(&reply(
                ReplyCode::MAILBOX_NAME_NOT_ALLOWED,
                EnhancedCode::NON_ASCII_ADDRESS,
                "Non-ASCII address needs SMTPUTF8",
            ));
        }
        self.ask(
            Pending::Recipient,
            Event::RecipientRequested {
                forward_path: forward_path.into_static(),
                parameters: parameters.into_static(),
            },
        );
    }

    pub(super) fn data(&mut self) {
        let Some(t) = &self.transaction else {
            return self.error(&bad_sequence("Need MAIL command"));
        };
        if !chunking::data_allowed(t.used_bdat, t.body) {
            return self.error(&bad_sequence(
                "DATA not allowed after BDAT or with BINARYMIME",
            ));
        }
        if t.recipients == 0 {
            return self.send(&reply(
                ReplyCode::TRANSACTION_FAILED,
                EnhancedCode::INVALID_COMMAND,
                "No valid recipients",
            ));
        }
        self.send(&Reply::new_static(
            ReplyCode::START_MAIL_INPUT,
            None,
            "End data with <CR><LF>.<CR><LF>",
        ));
        let offset = self
            .framer
            .stream_offset()
            .saturating_add(self.direct)
            .saturating_sub(self.framer.buffered().len() as u64);
        self.phase = Phase::Data(DotDecoder::with_offset(self.config.bare_newline, offset));
        self.arm(self.config.limits.timeouts.data_block);
    }

    pub(super) fn bdat(&mut self, size: u64, last: bool) {
        // The chunk is read whatever the answer, so that its octets are never
        // taken for commands (RFC 3030 §2).
        if let Some(t) = &mut self.transaction {
            t.used_bdat = true;
        }
        self.phase = Phase::Bdat {
            chunk: CountedReader::new(size),
            last,
        };
        self.arm(self.config.limits.timeouts.data_block);
    }

    pub(super) fn starttls(&mut self) {
        if !self.config.starttls {
            return self.error(&reply(
                ReplyCode::NOT_IMPLEMENTED,
                EnhancedCode::INVALID_COMMAND,
                "STARTTLS not available",
            ));
        }
        if self.tls {
            return self.error(&bad_sequence("TLS already active"));
        }
        if self.transaction.is_some() {
            return self.error(&bad_sequence("MAIL transaction in progress"));
        }
        self.send(&reply(
            ReplyCode::SERVICE_READY,
            EnhancedCode::OK,
            "Ready to start TLS",
        ));
        // RFC 3207 §4.2 and CVE-2011-0411: nothing received in plaintext
        // after the command may be acted on.
        self.framer.clear();
        self.phase = Phase::TlsPending;
        self.events.push(Event::TlsRequested);
    }

    pub(super) fn auth(
        &mut self,
        mechanism: Mechanism<'_>,
        initial_response: Option<Secret<Vec<u8>>>,
    ) {
        if self.config.auth_mechanisms.is_empty() {
            return self.error(&reply(
                ReplyCode::NOT_IMPLEMENTED,
                EnhancedCode::INVALID_COMMAND,
                "AUTH not available",
            ));
        }
        if !self.auth_offered() {
            return self.send(&reply(
                ReplyCode::AUTH_REQUIRED,
                EnhancedCode::SECURITY_ERROR,
                "Must issue a STARTTLS command first",
            ));
        }
        if self.hello != Some(Hello::Ehlo) {
            return self.error(&bad_sequence("Send EHLO first"));
        }
        if self.authenticated.is_some() {
            return self.error(&bad_sequence("Already authenticated"));
        }
        if self.transaction.is_some() {
            return self.error(&bad_sequence("MAIL transaction in progress"));
        }
        if !self.config.auth_mechanisms.contains(&mechanism) {
            return self.error(&reply(
                ReplyCode::PARAMETER_NOT_IMPLEMENTED,
                EnhancedCode::INVALID_ARGUMENTS,
                "Unrecognized authentication type",
            ));
        }
        self.start_sasl(&mechanism, initial_response);
    }
}

/// The reply to a command that does not parse: `500 5.5.2` for an unknown
/// verb, `501 5.1.7`/`5.1.3` for a bad sender/recipient address, `501
/// 5.5.4` for other bad arguments ([RFC 5321 §4.2.4], [RFC 3463]).
///
/// [RFC 5321 §4.2.4]: https://www.rfc-editor.org/rfc/rfc5321#section-4.2.4
/// [RFC 3463]: https://www.rfc-editor.org/rfc/rfc3463
fn syntax_reply(verb: Option<Verb>, error: &Error) -> Reply<'static> {
    let address = crate::parse::path::is_path_error(error);
    match (verb, error) {
        // Framed under the longer AUTH limit, but over the command's own.
        (
            _,
            Error::Protocol(mailwire_core::Error::LimitExceeded {
                what: "line length",
                ..
            }),
        ) => reply(
            ReplyCode::SYNTAX_ERROR,
            EnhancedCode::LINE_TOO_LONG,
            "Line too long",
        ),
        (None, _) => error.reply(),
        (
            Some(_),
            Error::Protocol(mailwire_core::Error::Malformed {
                expected: "CRLF",
                found: Found::Byte(b'\r'),
                ..
            }),
        ) => reply(
            ReplyCode::SYNTAX_ERROR,
            EnhancedCode::SYNTAX_ERROR,
            "Bare CR in command line",
        ),
        (Some(Verb::Mail), _) if address => reply(
            ReplyCode::PARAMETER_SYNTAX_ERROR,
            EnhancedCode::BAD_SENDER_SYNTAX,
            "Bad sender address syntax",
        ),
        (Some(Verb::Rcpt), _) if address => reply(
            ReplyCode::PARAMETER_SYNTAX_ERROR,
            EnhancedCode::BAD_DESTINATION_SYNTAX,
            "Bad recipient address syntax",
        ),
        _ => reply(
            ReplyCode::PARAMETER_SYNTAX_ERROR,
            EnhancedCode::INVALID_ARGUMENTS,
            "Syntax error in parameters or arguments",
        ),
    }
}

/// `555 5.5.4`: a `MAIL` or `RCPT` parameter that is not offered.
fn parameter_not_supported(text: &'static str) -> Reply<'static> {
    reply(
        ReplyCode::PARAMETERS_NOT_RECOGNIZED,
        EnhancedCode::INVALID_ARGUMENTS,
        text,
    )
}
