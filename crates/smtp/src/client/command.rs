//! The application's commands: AUTH steps and the start of a mail
//! transaction.

use mailwire_core::Secret;

use crate::types::auth::AuthResponse;
use crate::types::parameter::BodyType;

use super::*;

impl Client {
    // ----- application commands -------------------------------------------------

    /// Starts AUTH with the mechanism of [`Event::AuthMechanismSelected`] and
    /// its initial response, if the mechanism has one ([RFC 4954 §4]).
    ///
    /// [RFC 4954 §4]: https://www.rfc-editor.org/rfc/rfc4954#section-4
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no mechanism was selected.
    pub fn auth_start(&mut self, initial_response: Option<Secret<Vec<u8>>>) -> Result<(), Error> {
        let (Session::AuthSelect, Some(mechanism)) = (self.session, self.auth_mechanism.clone())
        else {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "auth_start without AuthMechanismSelected",
            }));
        };
        let command = Command::Auth {
            mechanism,
            initial_response,
        };
        // RFC 4954 §4: an initial response that would make the line too long
        // is sent after an empty challenge instead.
        let mut line = Vec::new();
        crate::encode::encode_command(&command, &mut line);
        if line.len() > self.config.limits.max_auth_line_length
            && let Command::Auth { mechanism, .. } = command
        {
            line.clear();
            crate::encode::encode_command(
                &Command::Auth {
                    mechanism,
                    initial_response: None,
                },
                &mut line,
            );
        }
        self.write_secret(&line);
        self.session = Session::Auth;
        self.expect(Expect::Auth);
        Ok(())
    }

    /// Answers an [`Event::AuthChallenge`].
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no challenge is waiting.
    pub fn auth_respond(&mut self, response: Secret<Vec<u8>>) -> Result<(), Error> {
        if self.session != Session::AuthChallenge {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "auth_respond without AuthChallenge",
            }));
        }
        let mut line = Vec::new();
        crate::encode::command::encode_auth_response(&AuthResponse::Data(response), &mut line);
        self.write_secret(&line);
        self.session = Session::Auth;
        self.expect(Expect::Auth);
        Ok(())
    }

    /// Cancels AUTH with `*` ([RFC 4954 §4]).
    ///
    /// [RFC 4954 §4]: https://www.rfc-editor.org/rfc/rfc4954#section-4
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no challenge is waiting.
    pub fn auth_cancel(&mut self) -> Result<(), Error> {
        if self.session != Session::AuthChallenge {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "auth_cancel without AuthChallenge",
            }));
        }
        self.out.push(b"*\r\n");
        self.session = Session::Auth;
        self.expect(Expect::Auth);
        Ok(())
    }

    /// Starts a transaction. With PIPELINING, MAIL, every RCPT and DATA go
    /// out at once ([RFC 2920 §3.1]); without, one at a time.
    ///
    /// [RFC 2920 §3.1]: https://www.rfc-editor.org/rfc/rfc2920#section-3.1
    ///
    /// # Errors
    ///
    /// - [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) unless the session is ready;
    /// - [`CoreError::Malformed`](crate::CoreError::Malformed) for an envelope without recipients;
    /// - [`CoreError::LimitExceeded`](crate::CoreError::LimitExceeded) when `SIZE` is over the server's maximum
    ///   ([RFC 1870 §6]);
    /// - [`CoreError::Unsupported`](crate::CoreError::Unsupported) when the envelope needs 8BITMIME, BINARYMIME,
    ///   SMTPUTF8, DSN, REQUIRETLS or MT-PRIORITY and the server lacks it.
    ///
    /// [RFC 1870 §6]: https://www.rfc-editor.org/rfc/rfc1870#section-6
    pub fn send_mail(&mut self, envelope: Envelope<'_>) -> Result<(), Error> {
        if self.session != Session::Ready {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "send_mail before the session is ready",
            }));
        }
        let mut envelope = envelope.into_static();
        if envelope.recipients.is_empty() {
            return Err(Error::Protocol(mailwire_core::Error::Malformed {
                offset: 0,
                expected: "at least one recipient",
                found: mailwire_core::error::Found::EndOfInput,
            }));
        }
        let caps = &self.capabilities;
        let p = &mut envelope.parameters;
        match caps.size() {
            None => p.size = None,
            Some(_) => {
                if let (Some(size), Some(max)) = (p.size, caps.max_size())
                    && size > max
                {
                    return Err(Error::Protocol(mailwire_core::Error::LimitExceeded {
                        offset: 0,
                        what: "message size",
                        limit: max,
                        actual: size,
                    }));
                }
            }
        }
        let non_ascii = !envelope.reverse_path.is_ascii()
            || envelope.recipients.iter().any(|(r, _)| !r.is_ascii());
        if non_ascii {
            p.smtputf8 = true;
        }
        let chunking = caps.chunking() && self.config.chunking;
        let need = |yes: bool, have: bool, what| {
            if yes && !have {
                Err(Error::Protocol(mailwire_core::Error::Unsupported { what }))
            } else {
                Ok(())
            }
        };
        need(
            p.body == Some(BodyType::EightBitMime),
            caps.eight_bit_mime(),
            "8BITMIME",
        )?;
        need(
            p.body == Some(BodyType::BinaryMime),
            caps.binary_mime() && chunking,
            "BINARYMIME",
        )?;
        need(p.smtputf8, caps.smtputf8(), "SMTPUTF8")?;
        let dsn = p.has_dsn() || envelope.recipients.iter().any(|(_, r)| r.has_dsn());
        need(dsn, caps.dsn(), "DSN")?;
        need(p.requiretls, caps.requiretls() && self.tls, "REQUIRETLS")?;
        need(
            p.mt_priority.is_some(),
            caps.has("MT-PRIORITY"),
            "MT-PRIORITY",
        )?;
        let binary = p.body == Some(BodyType::BinaryMime);
        if std::mem::take(&mut self.needs_reset) {
            self.write(&Command::Rset);
            self.expect(Expect::Rset);
        }
        let mail = Command::Mail {
            reverse_path: envelope.reverse_path.clone(),
            parameters: envelope.parameters.clone(),
        };
        self.write(&mail);
        self.expect(Expect::Mail);
        let count = envelope.recipients.len();
        self.transaction = Some(Transaction {
            envelope,
            bdat: chunking,
            binary,
            next_rcpt: 0,
            sender_ok: false,
            accepted: Vec::new(),
            delivered: Vec::new(),
            body_open: false,
            ended: false,
            encoder: DotEncoder::new(),
            normalizer: CrlfNormalizer::new(),
        });
        self.session = Session::Transaction;
        if self.pipelining {
            for index in 0..count {
                self.send_rcpt(index);
            }
            if !chunking {
                self.write(&Command::Data);
                self.expect(Expect::Data);
            }
        }
        Ok(())
    }

    pub(super) fn send_rcpt(&mut self, index: usize) {
        let Some(t) = &mut self.transaction else {
            return;
        };
        let Some((path, parameters)) = t.envelope.recipients.get(index) else {
            return;
        };
        let command = Command::Rcpt {
            forward_path: path.clone(),
            parameters: parameters.clone(),
        };
        t.next_rcpt = index.saturating_add(1);
        self.write(&command);
        self.expect(Expect::Rcpt(index));
    }
}
