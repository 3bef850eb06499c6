//! The message body: `DATA` unstuffed by the dot decoder ([RFC 5321
//! §4.5.2]) and `BDAT` chunks counted out ([RFC 3030 §2]), handed to the
//! application in chunks, then the end of the message.
//!
//! [RFC 5321 §4.5.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.2
//! [RFC 3030 §2]: https://www.rfc-editor.org/rfc/rfc3030#section-2

use crate::ext::{chunking, size};
use crate::types::reply::{EnhancedCode, ReplyCode};

use super::{AbortReason, Event, Pending, Phase, Server, ServerMode, bad_sequence, reply};

impl Server {
    pub(super) fn data_chunk(&mut self, body: Vec<u8>, bare_newline: bool, done: bool) {
        let max = self.config.limits.max_message_size;
        let mut aborted = None;
        if let Some(t) = &mut self.transaction
            && t.aborted.is_none()
        {
            if bare_newline {
                aborted = Some(AbortReason::BareNewline);
            } else {
                t.size = t.size.saturating_add(body.len() as u64);
                if max.is_some_and(|m| t.size > m) {
                    aborted = Some(AbortReason::TooLarge);
                }
            }
            if let Some(reason) = aborted {
                t.aborted = Some(reason);
            }
        }
        let healthy = self
            .transaction
            .as_ref()
            .is_some_and(|t| t.aborted.is_none());
        if let Some(reason) = aborted {
            self.events.push(Event::MessageAborted { reason });
        } else if healthy && !body.is_empty() {
            self.push_body(body);
        }
        if done {
            self.end_of_message();
        } else {
            self.arm(self.config.limits.timeouts.data_block);
        }
    }

    pub(super) fn end_of_message(&mut self) {
        let (aborted, size, recipients) = match &self.transaction {
            Some(t) => (t.aborted, t.size, t.recipients),
            None => (None, 0, 0),
        };
        let lmtp_count = if self.config.mode == ServerMode::Lmtp {
            recipients.max(1)
        } else {
            1
        };
        match aborted {
            Some(AbortReason::TooLarge) => {
                let r = size::too_big();
                for _ in 0..lmtp_count {
                    self.send(&r);
                }
                self.transaction = None;
                self.phase = Phase::Command;
            }
            Some(_) => {
                let r = reply(
                    ReplyCode::SYNTAX_ERROR,
                    EnhancedCode::SYNTAX_ERROR,
                    "Bare CR or LF in message",
                );
                for _ in 0..lmtp_count {
                    self.send(&r);
                }
                self.transaction = None;
                self.phase = Phase::Command;
            }
            None => {
                self.phase = Phase::Command;
                self.ask(
                    Pending::Message,
                    Event::MessageReceived { size, recipients },
                );
                return;
            }
        }
        self.arm(self.config.limits.timeouts.server_command);
    }

    pub(super) fn bdat_chunk(&mut self, data: Vec<u8>) {
        let max = self.config.limits.max_message_size;
        let mut newly_aborted = false;
        let healthy = match &mut self.transaction {
            Some(t) if t.aborted.is_none() => {
                t.size = t.size.saturating_add(data.len() as u64);
                if max.is_some_and(|m| t.size > m) {
                    t.aborted = Some(AbortReason::TooLarge);
                    newly_aborted = true;
                    false
                } else {
                    true
                }
            }
            _ => false,
        };
        if newly_aborted {
            self.events.push(Event::MessageAborted {
                reason: AbortReason::TooLarge,
            });
        } else if healthy && !data.is_empty() {
            self.push_body(data);
        }
        self.arm(self.config.limits.timeouts.data_block);
    }

    pub(super) fn bdat_end(&mut self, last: bool) {
        self.phase = Phase::Command;
        if !self.config.chunking {
            self.transaction = None;
            self.error(&reply(
                ReplyCode::NOT_IMPLEMENTED,
                EnhancedCode::INVALID_COMMAND,
                "BDAT not available",
            ));
            return;
        }
        let state = self.transaction.as_ref().map(|t| (t.recipients, t.aborted));
        match state {
            None => self.error(&bad_sequence("Need MAIL command")),
            Some((0, _)) => {
                self.transaction = None;
                self.send(&bad_sequence("No valid recipients"));
            }
            Some((_, Some(_))) => {
                let r = size::too_big();
                self.send(&r);
                self.transaction = None;
            }
            Some((_, None)) if last => {
                self.end_of_message();
                return;
            }
            Some((_, None)) => {
                let size = self.transaction.as_ref().map_or(0, |t| t.size);
                self.send(&chunking::chunk_received(size));
            }
        }
        self.arm(self.config.limits.timeouts.server_command);
    }
    /// many were used (0 in any other state).
    pub(super) fn body_input(&mut self, input: &[u8]) -> usize {
        let max = self.config.limits.max_body_chunk.max(1);
        match &mut self.phase {
            Phase::Data(decoder) => {
                let take = input.len().min(max);
                let mut body = Vec::with_capacity(take);
                let decoded = decoder.decode(input.get(..take).unwrap_or_default(), &mut body);
                self.data_chunk(body, decoded.error.is_some(), decoded.done);
                decoded.consumed
            }
            Phase::Bdat { chunk, .. } if !chunk.is_done() => {
                let data = chunk.take(input, max).to_vec();
                let take = data.len();
                self.bdat_chunk(data);
                take
            }
            _ => 0,
        }
    }

    /// Buffered input the machine cannot make progress on without more
    /// polling: more input is refused until it is processed.
    pub(super) fn blocked_on_buffer(&self) -> bool {
        self.framer.buffered().len()
            >= self
                .config
                .limits
                .max_body_chunk
                .max(self.config.limits.max_auth_line_length)
    }
}
