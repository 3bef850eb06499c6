//! Command sequencing: each command line parsed and checked against the
//! RFC 1939 state, answered or put to the application; the SASL exchange
//! of `AUTH` ([RFC 5034]).
//!
//! [RFC 5034]: https://www.rfc-editor.org/rfc/rfc5034

use mailwire_core::Secret;
use mailwire_core::line::LineError;
use mailwire_sasl::wire::{self, ClientMessage};
use mailwire_sasl::{Failure, Mechanism, Outcome, ServerStep};

use crate::Error;
use crate::encode::encode_continuation;
use crate::parse::parse_command_line;
use crate::types::command::{Argument, Command};
use crate::types::response::{Response, Status};
use crate::types::response_code::ResponseCode;

use super::{CloseReason, Event, Pending, Phase, Server, SessionState, err, ok, ok_owned};

impl Server {
    pub(super) fn line_error(&mut self, error: LineError, sasl_line: bool) {
        if sasl_line {
            self.auth_failed(err("Authentication failed: bad response line"));
            return;
        }
        let error: Error = mailwire_core::Error::from(error).into();
        self.error(&error.response());
    }

    pub(super) fn sasl_line(&mut self, line: &[u8]) {
        let limits = wire::Limits {
            max_encoded_len: self.config.limits.max_auth_line_length,
        };
        match wire::decode_response(line, &limits) {
            Ok(ClientMessage::Cancel) => {
                self.sasl = None;
                self.set_line_limit(self.config.limits.max_command_line_length);
                self.phase = Phase::Command;
                self.send(&err("Authentication cancelled"));
            }
            Ok(ClientMessage::Response(data)) => {
                let step = match self.sasl.as_mut() {
                    Some(sasl) => sasl.step(data.expose_secret()),
                    None => Err(mailwire_sasl::Error::OutOfOrder {
                        reason: "no exchange",
                    }),
                };
                self.sasl_step(step);
            }
            Err(_) => self.auth_failed(Response::new_static(
                Status::Err,
                Some(ResponseCode::AUTH),
                "Invalid base64 data",
            )),
        }
    }

    pub(super) fn sasl_step(&mut self, step: Result<ServerStep, mailwire_sasl::Error>) {
        match step {
            Ok(ServerStep::Challenge(challenge)) => {
                encode_continuation(&challenge, self.out.buffer());
                self.set_line_limit(self.config.limits.max_auth_line_length);
                self.phase = Phase::SaslLine;
                self.arm();
            }
            Ok(ServerStep::Event(event)) => self.ask(Pending::Sasl, Event::Sasl(event)),
            Ok(ServerStep::Done(Outcome::Success { authcid, authzid })) => {
                self.sasl = None;
                self.set_line_limit(self.config.limits.max_command_line_length);
                self.ask_maildrop(authcid, authzid);
            }
            Ok(ServerStep::Done(Outcome::Failure(Failure::Cancelled))) => {
                self.sasl = None;
                self.set_line_limit(self.config.limits.max_command_line_length);
                self.phase = Phase::Command;
                self.send(&err("Authentication cancelled"));
            }
            Ok(_) | Err(_) => self.auth_failed(Response::new_static(
                Status::Err,
                Some(ResponseCode::AUTH),
                "Authentication failed",
            )),
        }
    }

    pub(super) fn command_line(&mut self, line: &[u8], offset: u64) {
        let command = match parse_command_line(line) {
            Ok(c) => c,
            Err(e) => {
                self.error(&e.offset_by(offset).response());
                return;
            }
        };
        let state = self.state;
        match (state, command) {
            (_, Command::Capa) => {
                let caps = self.capabilities();
                let lines: Vec<String> = caps.iter().map(ToString::to_string).collect();
                crate::encode::encode_multiline(
                    &ok("Capability list follows"),
                    lines.iter(),
                    self.out.buffer(),
                );
            }
            (_, Command::Lang { range }) => self.lang(range),
            (SessionState::Authorization, Command::Quit) => {
                self.send(&ok("POP3 server signing off"));
                self.close(CloseReason::Quit);
            }
            (SessionState::Transaction, Command::Quit) => self.quit(),
            (SessionState::Authorization, command) => self.authorization(command),
            (SessionState::Transaction, command) => self.transaction(command),
            (SessionState::Update, _) => {
                self.error(&err("Command not valid in this state"));
            }
        }
    }

    pub(super) fn check_length(&mut self, name: &Argument) -> bool {
        if name.as_str().len() > self.config.limits.max_argument_length {
            self.error(&err("Argument too long"));
            false
        } else {
            true
        }
    }

    pub(super) fn authorization(&mut self, command: Command) {
        match command {
            Command::User { name } => {
                if !self.user_pass_offered() {
                    self.error(&Response::new_static(
                        Status::Err,
                        Some(ResponseCode::AUTH),
                        "Plaintext authentication disallowed without TLS",
                    ));
                } else if self.check_length(&name) {
                    self.user = Some(name.as_str().to_owned());
                    self.send(&ok("Send your password"));
                }
            }
            Command::Pass { password } => match self.user.take() {
                Some(user) if self.user_pass_offered() => {
                    self.authenticated = Some(user.clone());
                    self.ask(
                        Pending::Login,
                        Event::AuthenticateUser {
                            user,
                            password: Secret::new(password.expose_secret().to_owned()),
                        },
                    );
                }
                _ => self.error(&err("No username given")),
            },
            Command::Apop { name, digest } => match self.config.apop_timestamp.clone() {
                Some(timestamp) => {
                    if self.check_length(&name) {
                        let user = name.as_str().to_owned();
                        self.authenticated = Some(user.clone());
                        self.ask(
                            Pending::Login,
                            Event::ApopRequested {
                                user,
                                digest,
                                timestamp,
                            },
                        );
                    }
                }
                None => self.error(&err("APOP not supported")),
            },
            Command::Auth {
                mechanism,
                initial_response,
            } => self.auth(&mechanism, initial_response),
            Command::Stls => {
                if self.config.stls && !self.tls {
                    self.send(&ok("Begin TLS negotiation"));
                    self.phase = Phase::TlsPending;
                    self.timer.disarm();
                    self.framer.clear();
                    self.events.push(Event::TlsRequested);
                } else if self.tls {
                    self.error(&err("TLS already active"));
                } else {
                    self.error(&err("STLS not supported"));
                }
            }
            Command::Utf8 if self.config.utf8 => {
                self.utf8 = true;
                self.send(&ok("UTF8 enabled"));
            }
            _ => self.error(&err("Command not valid in this state")),
        }
    }

    pub(super) fn auth(&mut self, mechanism: &Mechanism, initial: Option<Secret<Vec<u8>>>) {
        if !self.offered_mechanisms().contains(mechanism) {
            self.error(&err("Unsupported authentication mechanism"));
            return;
        }
        let mut sasl = match mailwire_sasl::Server::new(mechanism, &self.config.sasl) {
            Ok(s) => s,
            Err(_) => {
                self.error(&err("Unsupported authentication mechanism"));
                return;
            }
        };
        let step = sasl.start(initial.as_ref().map(|d| d.expose_secret().as_slice()));
        self.sasl = Some(sasl);
        self.sasl_step(step);
    }

    pub(super) fn lang(&mut self, range: Option<Argument>) {
        if self.config.languages.is_empty() {
            self.error(&err("LANG not supported"));
            return;
        }
        let Some(range) = range else {
            let lines: Vec<String> = self
                .config
                .languages
                .iter()
                .map(ToString::to_string)
                .collect();
            crate::encode::encode_multiline(
                &ok("Language listing follows"),
                lines.iter(),
                self.out.buffer(),
            );
            return;
        };
        let wanted = range.as_str();
        let found = self.config.languages.iter().find(|l| {
            let tag = l.tag.as_str();
            wanted == "*"
                || tag.eq_ignore_ascii_case(wanted)
                || tag
                    .get(..wanted.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(wanted))
                    && tag.as_bytes().get(wanted.len()) == Some(&b'-')
        });
        match found.map(|l| l.tag.clone()) {
            Some(tag) => {
                let text = format!("{tag} Language changed");
                self.language = Some(tag);
                self.send(&ok_owned(text));
            }
            None => self.send(&err("Unknown language")),
        }
    }

    pub(super) fn transaction(&mut self, command: Command) {
        let Some(session) = &mut self.session else {
            self.error(&err("No maildrop"));
            return;
        };
        match command {
            Command::Stat => {
                let (count, size) = session
                    .live_messages()
                    .fold((0u32, 0u64), |(c, s), (_, m)| {
                        (c.saturating_add(1), s.saturating_add(m.size))
                    });
                self.send(&ok_owned(format!("{count} {size}")));
            }
            Command::List { message: Some(n) } => match session.live(n) {
                Some(m) => {
                    let text = format!("{n} {}", m.size);
                    self.send(&ok_owned(text));
                }
                None => self.send(&err("No such message")),
            },
            Command::List { message: None } => {
                let (count, size) = session
                    .live_messages()
                    .fold((0u32, 0u64), |(c, s), (_, m)| {
                        (c.saturating_add(1), s.saturating_add(m.size))
                    });
                let lines: Vec<String> = session
                    .live_messages()
                    .map(|(n, m)| format!("{n} {}", m.size))
                    .collect();
                crate::encode::encode_multiline(
                    &ok_owned(format!("{count} messages ({size} octets)")),
                    lines.iter(),
                    self.out.buffer(),
                );
            }
            Command::Uidl { message: Some(n) } => match session.live(n) {
                Some(m) => {
                    let text = format!("{n} {}", m.uid);
                    self.send(&ok_owned(text));
                }
                None => self.send(&err("No such message")),
            },
            Command::Uidl { message: None } => {
                let lines: Vec<String> = session
                    .live_messages()
                    .map(|(n, m)| format!("{n} {}", m.uid))
                    .collect();
                crate::encode::encode_multiline(&ok(""), lines.iter(), self.out.buffer());
            }
            Command::Retr { message } => match session.live(message).map(|m| m.size) {
                Some(size) => self.ask_message(message, None, Some(size)),
                None => self.send(&err("No such message")),
            },
            Command::Top { message, lines } => match session.live(message) {
                Some(_) => self.ask_message(message, Some(lines), None),
                None => self.send(&err("No such message")),
            },
            Command::Dele { message } => {
                let index = usize::try_from(message).ok().and_then(|n| n.checked_sub(1));
                match index.and_then(|i| session.deleted.get_mut(i)) {
                    Some(deleted) if !*deleted => {
                        *deleted = true;
                        self.send(&ok_owned(format!("message {message} deleted")));
                    }
                    Some(_) => self.send(&err("Message already deleted")),
                    None => self.send(&err("No such message")),
                }
            }
            Command::Rset => {
                session.deleted.iter_mut().for_each(|d| *d = false);
                let text = format!(
                    "maildrop has {} messages ({} octets)",
                    session.maildrop.len(),
                    session.maildrop.total_size()
                );
                self.send(&ok_owned(text));
            }
            Command::Noop => self.send(&ok("")),
            _ => self.error(&err("Command not valid in this state")),
        }
    }

    pub(super) fn quit(&mut self) {
        self.state = SessionState::Update;
        let marked = self.marked();
        if marked.is_empty() {
            self.sign_off();
        } else {
            self.ask(Pending::Commit, Event::CommitDeletions { messages: marked });
        }
    }

    pub(super) fn sign_off(&mut self) {
        let left = self
            .session
            .as_ref()
            .map_or(0, |s| s.live_messages().count());
        self.send(&ok_owned(format!(
            "POP3 server signing off ({left} messages left)"
        )));
        self.close(CloseReason::Quit);
    }
}
