//! The application's commands, queued and sent as far as pipelining
//! allows ([RFC 2449 §6.6]).
//!
//! [RFC 2449 §6.6]: https://www.rfc-editor.org/rfc/rfc2449#section-6.6

use super::*;

impl Client {
    // ----- commands ---------------------------------------------------------------------

    /// Queues any command. `AUTH` goes through
    /// [`authenticate`](Self::authenticate) instead.
    ///
    /// # Errors
    ///
    /// [`CoreError::Closed`](crate::CoreError::Closed) after the session ended, [`CoreError::LimitExceeded`](crate::CoreError::LimitExceeded)
    /// when [`ClientLimits::max_queued_commands`](crate::limits::ClientLimits::max_queued_commands) are pending,
    /// [`CoreError::Unsupported`](crate::CoreError::Unsupported) for `AUTH`, or for `USER`/`PASS` without TLS
    /// unless [`ClientConfig::allow_plaintext_without_tls`].
    pub fn send_command(&mut self, command: Command) -> Result<(), Error> {
        match &command {
            Command::Auth { .. } => {
                return Err(Error::Protocol(mailwire_core::Error::Unsupported {
                    what: "AUTH outside Client::authenticate",
                }));
            }
            Command::User { .. } | Command::Pass { .. } if !self.plaintext_allowed() => {
                return Err(Error::Protocol(mailwire_core::Error::Unsupported {
                    what: "USER/PASS without TLS",
                }));
            }
            _ => {}
        }
        self.enqueue(&command, None)
    }

    pub(super) fn enqueue(
        &mut self,
        command: &Command,
        exchange: Option<Exchange>,
    ) -> Result<(), Error> {
        if matches!(self.phase, Phase::Closed) || self.fatal.is_set() {
            return Err(Error::Protocol(mailwire_core::Error::Closed));
        }
        let max = self.config.limits.max_queued_commands;
        if self.pending() >= max {
            return Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
                offset: 0,
                what: "queued commands",
                limit: max as u64,
                actual: max.saturating_add(1) as u64,
            }));
        }
        self.queue.push_back(Queued {
            bytes: command.to_bytes(),
            secret: command.is_secret(),
            keyword: command.keyword(),
            kind: Kind::of(command),
            exchange,
        });
        self.flush();
        Ok(())
    }

    /// `CAPA` ([RFC 2449 §5]).
    ///
    /// [RFC 2449 §5]: https://www.rfc-editor.org/rfc/rfc2449#section-5
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn capa(&mut self) -> Result<(), Error> {
        self.send_command(Command::Capa)
    }

    /// `STLS` ([RFC 2595 §4]).
    ///
    /// [RFC 2595 §4]: https://www.rfc-editor.org/rfc/rfc2595#section-4
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) when TLS is already active; as
    /// [`send_command`](Self::send_command).
    pub fn stls(&mut self) -> Result<(), Error> {
        if self.tls {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "STLS with TLS active",
            }));
        }
        self.send_command(Command::Stls)
    }

    pub(super) fn plaintext_allowed(&self) -> bool {
        self.tls || self.config.allow_plaintext_without_tls
    }

    /// `USER name` then `PASS password` ([RFC 1939 §7]).
    ///
    /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
    ///
    /// # Errors
    ///
    /// [`CoreError::Malformed`](crate::CoreError::Malformed) for a name or password that cannot be sent
    /// (spaces or controls in the name, CR/LF in the password); as
    /// [`send_command`](Self::send_command).
    pub fn login(&mut self, user: &str, password: &str) -> Result<(), Error> {
        let name = argument(user, "name")?;
        let password = Password::new(password).map_err(|_| invalid_input("password"))?;
        self.send_command(Command::User { name })?;
        self.send_command(Command::Pass { password })
    }

    /// `APOP name digest` with the greeting's timestamp ([RFC 1939 §7]).
    ///
    /// [RFC 1939 §7]: https://www.rfc-editor.org/rfc/rfc1939#section-7
    ///
    /// # Errors
    ///
    /// [`CoreError::Unsupported`](crate::CoreError::Unsupported) before the greeting or when it holds no
    /// timestamp; as [`login`](Self::login).
    pub fn apop(&mut self, user: &str, secret: &str) -> Result<(), Error> {
        let Some(timestamp) = &self.apop_timestamp else {
            return Err(Error::Protocol(mailwire_core::Error::Unsupported {
                what: "APOP without a greeting timestamp",
            }));
        };
        let digest = ApopDigest::compute(timestamp, secret);
        let name = argument(user, "name")?;
        self.send_command(Command::Apop { name, digest })
    }

    /// `AUTH` with the strongest mechanism that the server's `SASL`
    /// capability offers and `credentials` can drive ([RFC 5034],
    /// [`negotiate::select`]). Needs a `CAPA` answer first.
    ///
    /// [RFC 5034]: https://www.rfc-editor.org/rfc/rfc5034
    ///
    /// # Errors
    ///
    /// [`CoreError::Unsupported`](crate::CoreError::Unsupported) when no offered mechanism fits (or `CAPA`
    /// was not answered yet); as
    /// [`authenticate_with`](Self::authenticate_with).
    pub fn authenticate(&mut self, credentials: &Credentials) -> Result<(), Error> {
        let offered = self
            .capabilities
            .as_ref()
            .map(Capabilities::sasl_mechanisms)
            .unwrap_or_default();
        let mechanism = negotiate::select(&offered, credentials, &self.policy()).ok_or(
            Error::Protocol(mailwire_core::Error::Unsupported {
                what: "a SASL mechanism both sides support",
            }),
        )?;
        self.authenticate_with(&mechanism, credentials)
    }

    pub(super) fn policy(&self) -> Policy {
        Policy::new(self.tls).allow_plaintext_without_tls(self.config.allow_plaintext_without_tls)
    }

    /// `AUTH mechanism` with the given mechanism ([RFC 5034 §4]); an
    /// initial response that would make the line longer than 255 octets is
    /// sent after the server's empty challenge instead.
    ///
    /// [RFC 5034 §4]: https://www.rfc-editor.org/rfc/rfc5034#section-4
    ///
    /// # Errors
    ///
    /// [`Error::Sasl`] when the mechanism cannot run with `credentials`,
    /// [`CoreError::Unsupported`](crate::CoreError::Unsupported) for a plaintext mechanism without TLS; as
    /// [`send_command`](Self::send_command).
    pub fn authenticate_with(
        &mut self,
        mechanism: &Mechanism,
        credentials: &Credentials,
    ) -> Result<(), Error> {
        if !self.policy().permits(mechanism) {
            return Err(Error::Protocol(mailwire_core::Error::Unsupported {
                what: "a plaintext SASL mechanism without TLS",
            }));
        }
        let mut client = mailwire_sasl::Client::new(mechanism, credentials)?;
        let initial = client.initial_response()?;
        let fits = initial.as_ref().is_some_and(|data| {
            let len = "AUTH  \r\n"
                .len()
                .saturating_add(mechanism.as_str().len())
                .saturating_add(wire::encoded_len(data.expose_secret().len()).max(1));
            len <= RFC2449_COMMAND_LINE
        });
        let (initial_response, deferred_initial) = if fits {
            (initial, None)
        } else {
            (None, initial)
        };
        let command = Command::Auth {
            mechanism: mechanism.clone(),
            initial_response,
        };
        self.enqueue(
            &command,
            Some(Exchange {
                client,
                deferred_initial,
            }),
        )
    }

    /// `STAT`; answered by [`Event::Stat`].
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn stat(&mut self) -> Result<(), Error> {
        self.send_command(Command::Stat)
    }

    /// `LIST [msg]`; answered by [`Event::ScanListing`]s.
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn list(&mut self, message: Option<u32>) -> Result<(), Error> {
        self.send_command(Command::List { message })
    }

    /// `UIDL [msg]`; answered by [`Event::UniqueId`]s.
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn uidl(&mut self, message: Option<u32>) -> Result<(), Error> {
        self.send_command(Command::Uidl { message })
    }

    /// `RETR msg`; the body comes as [`Event::MultilineChunk`]s.
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn retr(&mut self, message: u32) -> Result<(), Error> {
        self.send_command(Command::Retr { message })
    }

    /// `TOP msg n`; the header and `n` body lines come as
    /// [`Event::MultilineChunk`]s.
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn top(&mut self, message: u32, lines: u32) -> Result<(), Error> {
        self.send_command(Command::Top { message, lines })
    }

    /// `DELE msg`.
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn dele(&mut self, message: u32) -> Result<(), Error> {
        self.send_command(Command::Dele { message })
    }

    /// `NOOP`.
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn noop(&mut self) -> Result<(), Error> {
        self.send_command(Command::Noop)
    }

    /// `RSET`.
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn rset(&mut self) -> Result<(), Error> {
        self.send_command(Command::Rset)
    }

    /// `QUIT`; the session closes once it is answered.
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn quit(&mut self) -> Result<(), Error> {
        self.send_command(Command::Quit)
    }

    /// `UTF8` ([RFC 6856 §2.1]).
    ///
    /// [RFC 6856 §2.1]: https://www.rfc-editor.org/rfc/rfc6856#section-2.1
    ///
    /// # Errors
    ///
    /// As [`send_command`](Self::send_command).
    pub fn utf8(&mut self) -> Result<(), Error> {
        self.send_command(Command::Utf8)
    }

    /// `LANG [range]` ([RFC 6856 §3]); without a range, the listing comes
    /// as [`Event::Language`]s.
    ///
    /// [RFC 6856 §3]: https://www.rfc-editor.org/rfc/rfc6856#section-3
    ///
    /// # Errors
    ///
    /// [`CoreError::Malformed`](crate::CoreError::Malformed) for a range with spaces or controls; as
    /// [`send_command`](Self::send_command).
    pub fn lang(&mut self, range: Option<&str>) -> Result<(), Error> {
        let range = range.map(|r| argument(r, "lang-range")).transpose()?;
        self.send_command(Command::Lang { range })
    }
}
