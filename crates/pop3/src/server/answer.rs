//! The application's answers to the server's questions, and the commands
//! it may give at any time.

use mailwire_sasl::{StoredCredentials, Verdict};

use crate::Error;
use crate::types::response::{Response, Status};
use crate::types::response_code::ResponseCode;

use super::{
    CloseReason, Maildrop, Pending, Phase, Server, Session, SessionState, as_err, ok_owned,
};

impl Server {
    /// Accepts the credentials of [`Event::AuthenticateUser`](super::Event::AuthenticateUser) or
    /// [`Event::ApopRequested`](super::Event::ApopRequested); [`Event::MaildropRequested`](super::Event::MaildropRequested) follows.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no login is waiting for an answer.
    pub fn accept_login(&mut self) -> Result<(), Error> {
        self.question
            .answer(Pending::Login, "accept_login without a login event")?;
        let user = self.authenticated.clone().unwrap_or_default();
        self.ask_maildrop(user, None);
        Ok(())
    }

    /// Rejects the credentials: `-ERR [AUTH]`, held back by
    /// [`ServerLimits::auth_failure_delay`](crate::limits::ServerLimits::auth_failure_delay).
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no login is waiting for an answer.
    pub fn reject_login(&mut self) -> Result<(), Error> {
        self.question
            .answer(Pending::Login, "reject_login without a login event")?;
        self.auth_failed(Response::new_static(
            Status::Err,
            Some(ResponseCode::AUTH),
            "Authentication failed",
        ));
        Ok(())
    }

    /// Answers [`mailwire_sasl::Event::CredentialsNeeded`] or
    /// [`mailwire_sasl::Event::PasswordReceived`] (`None`: no such user).
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no SASL question is open.
    pub fn sasl_credentials(
        &mut self,
        credentials: Option<StoredCredentials>,
    ) -> Result<(), Error> {
        self.question
            .answer(Pending::Sasl, "sasl_credentials without Event::Sasl")?;
        let step = match self.sasl.as_mut() {
            Some(sasl) => sasl.provide_credentials(credentials),
            None => {
                return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                    what: "sasl_credentials without AUTH",
                }));
            }
        };
        self.sasl_step(step);
        self.resume();
        Ok(())
    }

    /// Answers the [`Event::Sasl`](super::Event::Sasl) questions that ask for a verdict.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no SASL question is open.
    pub fn sasl_verdict(&mut self, verdict: Verdict) -> Result<(), Error> {
        self.question
            .answer(Pending::Sasl, "sasl_verdict without Event::Sasl")?;
        let step = match self.sasl.as_mut() {
            Some(sasl) => sasl.provide_verdict(verdict),
            None => {
                return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                    what: "sasl_verdict without AUTH",
                }));
            }
        };
        self.sasl_step(step);
        self.resume();
        Ok(())
    }

    /// Opens the maildrop of [`Event::MaildropRequested`](super::Event::MaildropRequested) (the application
    /// holds its lock): `+OK`, TRANSACTION state.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no maildrop was asked for.
    pub fn open_maildrop(&mut self, maildrop: Maildrop) -> Result<(), Error> {
        self.question
            .answer(Pending::Maildrop, "open_maildrop without MaildropRequested")?;
        let text = format!(
            "maildrop has {} messages ({} octets)",
            maildrop.len(),
            maildrop.total_size()
        );
        self.session = Some(Session {
            deleted: vec![false; maildrop.len()],
            maildrop,
        });
        self.state = SessionState::Transaction;
        self.send(&ok_owned(text));
        self.arm();
        self.resume();
        Ok(())
    }

    /// The maildrop is locked by another session: `-ERR [IN-USE]` ([RFC
    /// 2449 §8.1.2]); the session stays in AUTHORIZATION.
    ///
    /// [RFC 2449 §8.1.2]: https://www.rfc-editor.org/rfc/rfc2449#section-8.1.2
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no maildrop was asked for.
    pub fn maildrop_in_use(&mut self) -> Result<(), Error> {
        self.reject_maildrop(Response::new_static(
            Status::Err,
            Some(ResponseCode::IN_USE),
            "Maildrop is locked by another session",
        ))
    }

    /// Refuses the maildrop with `response` (say `-ERR [SYS/TEMP]` or
    /// `-ERR [LOGIN-DELAY]`); the session stays in AUTHORIZATION.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no maildrop was asked for.
    pub fn reject_maildrop(&mut self, response: Response) -> Result<(), Error> {
        self.question.answer(
            Pending::Maildrop,
            "reject_maildrop without MaildropRequested",
        )?;
        self.authenticated = None;
        self.send(&as_err(response));
        self.arm();
        self.resume();
        Ok(())
    }

    /// The deletions of [`Event::CommitDeletions`](super::Event::CommitDeletions) are done: `+OK`, and the
    /// session ends.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no deletions were asked for.
    pub fn deletions_committed(&mut self) -> Result<(), Error> {
        self.question.answer(
            Pending::Commit,
            "deletions_committed without CommitDeletions",
        )?;
        self.sign_off();
        Ok(())
    }

    /// Some deletions failed ([RFC 1939 §6]): `-ERR [SYS/TEMP]`, and the
    /// session ends.
    ///
    /// [RFC 1939 §6]: https://www.rfc-editor.org/rfc/rfc1939#section-6
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no deletions were asked for.
    pub fn deletions_failed(&mut self) -> Result<(), Error> {
        self.question
            .answer(Pending::Commit, "deletions_failed without CommitDeletions")?;
        self.send(&Response::new_static(
            Status::Err,
            Some(ResponseCode::SYS_TEMP),
            "Some deleted messages not removed",
        ));
        self.close(CloseReason::Quit);
        Ok(())
    }

    /// Ends the session at once (`-ERR` then close); nothing is deleted.
    pub fn shutdown(&mut self) {
        if !matches!(self.phase, Phase::Closed) {
            self.send(&Response::new_static(
                Status::Err,
                Some(ResponseCode::SYS_TEMP),
                "Server shutting down",
            ));
            self.close(CloseReason::Shutdown);
        }
    }
}
