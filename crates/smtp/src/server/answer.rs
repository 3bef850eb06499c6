//! The application's answers to the server's questions, and the commands
//! it may give at any time.

use crate::Error;
use crate::types::reply::{EnhancedCode, Reply, ReplyCode};

use super::{CloseReason, Event, Pending, Phase, Server, ServerMode, reply};

impl Server {
    /// Accepts the sender of [`Event::MailRequested`] (`250 2.1.0`).
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no sender is waiting for an answer.
    pub fn accept_sender(&mut self) -> Result<(), Error> {
        self.question
            .answer(Pending::Sender, "accept_sender without MailRequested")?;
        self.send(&reply(ReplyCode::OK, EnhancedCode::SENDER_OK, "Sender OK"));
        self.resume();
        Ok(())
    }

    /// Rejects the sender of [`Event::MailRequested`] with `reply`; the
    /// transaction does not start.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no sender is waiting for an answer.
    pub fn reject_sender(&mut self, reply: Reply<'_>) -> Result<(), Error> {
        self.question
            .answer(Pending::Sender, "reject_sender without MailRequested")?;
        self.transaction = None;
        self.send(&reply);
        self.resume();
        Ok(())
    }

    /// Accepts the recipient of [`Event::RecipientRequested`] (`250 2.1.5`).
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no recipient is waiting for an answer.
    pub fn accept_recipient(&mut self) -> Result<(), Error> {
        self.question.answer(
            Pending::Recipient,
            "accept_recipient without RecipientRequested",
        )?;
        if let Some(t) = &mut self.transaction {
            t.recipients = t.recipients.saturating_add(1);
        }
        self.send(&reply(
            ReplyCode::OK,
            EnhancedCode::DESTINATION_OK,
            "Recipient OK",
        ));
        self.resume();
        Ok(())
    }

    /// Rejects the recipient of [`Event::RecipientRequested`] with `reply`.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no recipient is waiting for an answer.
    pub fn reject_recipient(&mut self, reply: Reply<'_>) -> Result<(), Error> {
        self.question.answer(
            Pending::Recipient,
            "reject_recipient without RecipientRequested",
        )?;
        self.send(&reply);
        self.resume();
        Ok(())
    }

    pub(super) fn finish_message(&mut self, replies: &[Reply<'_>]) {
        for r in replies {
            self.send(r);
        }
        self.transaction = None;
        self.resume();
    }

    pub(super) fn message_recipients(&self) -> usize {
        self.transaction.as_ref().map_or(0, |t| t.recipients)
    }

    /// Accepts the message of [`Event::MessageReceived`]: one `250 2.0.0`,
    /// or one per accepted recipient in LMTP.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no message is waiting for an answer.
    pub fn accept_message(&mut self) -> Result<(), Error> {
        self.question
            .answer(Pending::Message, "accept_message without MessageReceived")?;
        let ok = reply(ReplyCode::OK, EnhancedCode::OK, "Message accepted");
        let count = if self.config.mode == ServerMode::Lmtp {
            self.message_recipients()
        } else {
            1
        };
        self.finish_message(&vec![ok; count]);
        Ok(())
    }

    /// Rejects the message of [`Event::MessageReceived`] with `reply` (for
    /// every recipient in LMTP).
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no message is waiting for an answer.
    pub fn reject_message(&mut self, reply: Reply<'_>) -> Result<(), Error> {
        self.question
            .answer(Pending::Message, "reject_message without MessageReceived")?;
        let count = if self.config.mode == ServerMode::Lmtp {
            self.message_recipients()
        } else {
            1
        };
        let reply = reply.into_static();
        self.finish_message(&vec![reply; count]);
        Ok(())
    }

    /// Answers an LMTP message with one reply per accepted recipient, in
    /// `RCPT` order ([RFC 2033 §4.2]).
    ///
    /// [RFC 2033 §4.2]: https://www.rfc-editor.org/rfc/rfc2033#section-4.2
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no message is waiting for an answer, and
    /// [`CoreError::Unsupported`](crate::CoreError::Unsupported) outside LMTP or when the number of replies does
    /// not match (nothing is sent then).
    pub fn answer_recipients(&mut self, replies: Vec<Reply<'_>>) -> Result<(), Error> {
        if !self.question.is(Pending::Message) {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "answer_recipients without MessageReceived",
            }));
        }
        if self.config.mode != ServerMode::Lmtp || replies.len() != self.message_recipients() {
            return Err(Error::Protocol(mailwire_core::Error::Unsupported {
                what: "a reply count other than the recipient count",
            }));
        }
        self.question.clear();
        self.finish_message(&replies);
        Ok(())
    }

    /// Closes the AUTH question: the final decision, or (to end the
    /// exchange early) a SASL question.
    pub(super) fn take_auth(&mut self) -> Result<(), Error> {
        if self.question.is(Pending::Sasl) {
            self.question.clear();
            self.sasl = None;
            return Ok(());
        }
        Ok(self.question.answer(
            Pending::Auth,
            "an AUTH answer without AuthSucceeded or Event::Sasl",
        )?)
    }

    /// Ends AUTH successfully (`235 2.7.0`) after
    /// [`Event::AuthSucceeded`]; `authcid` is
    /// the identity that authenticated.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no exchange succeeded.
    pub fn auth_succeeded(&mut self, authcid: &str) -> Result<(), Error> {
        self.question
            .answer(Pending::Auth, "auth_succeeded without AuthSucceeded")?;
        self.authenticated = Some(authcid.to_owned());
        self.send(&reply(
            ReplyCode::AUTH_SUCCEEDED,
            EnhancedCode::SECURITY_OK,
            "Authentication successful",
        ));
        self.resume();
        Ok(())
    }

    /// Ends AUTH with `535 5.7.8` ([RFC 4954 §6]).
    ///
    /// [RFC 4954 §6]: https://www.rfc-editor.org/rfc/rfc4954#section-6
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no AUTH step is waiting for an answer.
    pub fn auth_failed(&mut self) -> Result<(), Error> {
        self.reject_auth(reply(
            ReplyCode::AUTH_INVALID,
            EnhancedCode::AUTH_INVALID,
            "Authentication credentials invalid",
        ))
    }

    /// Ends AUTH with `reply` (say `454 4.7.0` or `534 5.7.9`).
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) if no AUTH step is waiting for an answer.
    pub fn reject_auth(&mut self, reply: Reply<'_>) -> Result<(), Error> {
        self.take_auth()?;
        self.send(&reply);
        self.resume();
        Ok(())
    }

    /// Ends the session with `421 4.3.2` (the service is shutting down).
    pub fn shutdown(&mut self) {
        if !matches!(self.phase, Phase::Closed) {
            self.send(&reply(
                ReplyCode::SERVICE_NOT_AVAILABLE,
                EnhancedCode::SYSTEM_NOT_ACCEPTING,
                "Service shutting down, closing transmission channel",
            ));
            self.close(CloseReason::Shutdown);
        }
    }

    pub(super) fn ask(&mut self, pending: Pending, event: Event) {
        self.question.ask(pending);
        self.timer.disarm();
        self.events.push(event);
    }
}
