//! The SASL exchange of `AUTH` ([RFC 4954 §4]), run inside the machine by
//! [`mailwire_sasl::Server`]: the machine adds only the framing (`334`
//! challenges, base64 response lines, `*` to cancel) and asks the
//! application for stored credentials, a verdict and the final decision.
//!
//! [RFC 4954 §4]: https://www.rfc-editor.org/rfc/rfc4954#section-4

use mailwire_core::Secret;
use mailwire_sasl::{Failure, Outcome, ServerStep, StoredCredentials, Verdict};

use crate::types::auth::Mechanism;
use crate::types::reply::{EnhancedCode, ReplyCode};
use crate::{CoreError, Error};

use super::{Event, Pending, Phase, Server, reply};

impl Server {
    /// Starts the exchange for `AUTH mechanism [initial-response]`, once the
    /// protocol's checks passed.
    pub(super) fn start_sasl(
        &mut self,
        mechanism: &Mechanism<'_>,
        initial_response: Option<Secret<Vec<u8>>>,
    ) {
        let server = mechanism
            .to_sasl()
            .and_then(|m| mailwire_sasl::Server::new(&m, &self.config.sasl).ok());
        let Some(mut server) = server else {
            return self.error(&reply(
                ReplyCode::PARAMETER_NOT_IMPLEMENTED,
                EnhancedCode::INVALID_ARGUMENTS,
                "Unrecognized authentication type",
            ));
        };
        let step = server.start(
            initial_response
                .as_ref()
                .map(|r| r.expose_secret().as_slice()),
        );
        self.sasl = Some(server);
        self.sasl_step(step);
    }

    /// A decoded client response line.
    pub(super) fn sasl_response(&mut self, data: &[u8]) {
        let step = match self.sasl.as_mut() {
            Some(server) => server.step(data),
            None => Err(mailwire_sasl::Error::OutOfOrder {
                reason: "no exchange",
            }),
        };
        self.sasl_step(step);
    }

    /// Acts on what the exchange needs next.
    pub(super) fn sasl_step(&mut self, step: Result<ServerStep, mailwire_sasl::Error>) {
        match step {
            Ok(ServerStep::Challenge(challenge)) => {
                crate::encode::reply::encode_auth_challenge(&challenge, self.out.buffer());
                self.phase = Phase::AuthLine;
                let max = self.config.limits.max_auth_line_length;
                self.framer.set_config(Self::line_config(&self.config, max));
            }
            Ok(ServerStep::Event(event)) => self.ask(Pending::Sasl, Event::Sasl(event)),
            Ok(ServerStep::Done(Outcome::Success { authcid, authzid })) => {
                self.sasl = None;
                self.ask(Pending::Auth, Event::AuthSucceeded { authcid, authzid });
            }
            Ok(ServerStep::Done(Outcome::Failure(Failure::Cancelled))) => {
                self.sasl = None;
                self.events.push(Event::AuthCancelled);
                self.send(&reply(
                    ReplyCode::PARAMETER_SYNTAX_ERROR,
                    EnhancedCode::PERMANENT_FAILURE,
                    "Authentication cancelled",
                ));
            }
            Ok(_) => {
                self.sasl = None;
                self.send(&reply(
                    ReplyCode::AUTH_INVALID,
                    EnhancedCode::AUTH_INVALID,
                    "Authentication credentials invalid",
                ));
            }
            Err(_) => {
                self.sasl = None;
                self.send(&reply(
                    ReplyCode::PARAMETER_SYNTAX_ERROR,
                    EnhancedCode::SYNTAX_ERROR,
                    "Malformed authentication exchange",
                ));
            }
        }
    }

    /// Answers [`mailwire_sasl::Event::CredentialsNeeded`] or
    /// [`mailwire_sasl::Event::PasswordReceived`] (`None`: no such user).
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`] if no SASL question is open.
    pub fn sasl_credentials(
        &mut self,
        credentials: Option<StoredCredentials>,
    ) -> Result<(), Error> {
        self.question
            .answer(Pending::Sasl, "sasl_credentials without Event::Sasl")?;
        let step = self
            .sasl
            .as_mut()
            .map(|server| server.provide_credentials(credentials));
        self.sasl_answered(step)
    }

    /// Answers the [`Event::Sasl`] questions that ask for a verdict.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`] if no SASL question is open.
    pub fn sasl_verdict(&mut self, verdict: Verdict) -> Result<(), Error> {
        self.question
            .answer(Pending::Sasl, "sasl_verdict without Event::Sasl")?;
        let step = self
            .sasl
            .as_mut()
            .map(|server| server.provide_verdict(verdict));
        self.sasl_answered(step)
    }

    fn sasl_answered(
        &mut self,
        step: Option<Result<ServerStep, mailwire_sasl::Error>>,
    ) -> Result<(), Error> {
        let Some(step) = step else {
            return Err(Error::from(CoreError::OutOfOrder {
                what: "a SASL answer without AUTH",
            }));
        };
        self.sasl_step(step);
        self.resume();
        Ok(())
    }
}
