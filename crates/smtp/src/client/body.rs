//! The message body: dot-stuffed after `DATA` ([RFC 5321 §4.5.2]) or
//! counted out in `BDAT` chunks ([RFC 3030]), every line ending written as
//! CRLF.
//!
//! [RFC 5321 §4.5.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.2
//! [RFC 3030]: https://www.rfc-editor.org/rfc/rfc3030

use super::*;

impl Client {
    /// Sends a piece of the body, after [`Event::BodyRequested`]. Any CR, LF
    /// or CRLF becomes CRLF (except for BINARYMIME); with DATA, lines that
    /// start with `.` are stuffed.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) unless the body was requested.
    pub fn send_body(&mut self, chunk: &[u8]) -> Result<(), Error> {
        let Some(t) = self.transaction.as_mut().filter(|t| t.body_open) else {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "send_body before BodyRequested",
            }));
        };
        if chunk.is_empty() {
            return Ok(());
        }
        if t.bdat {
            let mut data = Vec::with_capacity(chunk.len().saturating_add(chunk.len() / 32));
            if t.binary {
                data.extend_from_slice(chunk);
            } else {
                t.normalizer.normalize(chunk, &mut data);
            }
            if data.is_empty() {
                return Ok(());
            }
            self.write(&Command::Bdat {
                size: data.len() as u64,
                last: false,
            });
            self.out.push(&data);
            self.expect(Expect::Bdat { last: false });
        } else {
            t.encoder.encode(chunk, self.out.buffer());
        }
        Ok(())
    }

    /// Sends the last piece of the body and ends it: with CHUNKING one
    /// `BDAT n LAST` ([RFC 3030 §4.1]), with DATA as
    /// [`send_body`](Self::send_body) then [`finish_body`](Self::finish_body).
    ///
    /// [RFC 3030 §4.1]: https://www.rfc-editor.org/rfc/rfc3030#section-4.1
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) unless the body was requested.
    pub fn send_last_body(&mut self, chunk: &[u8]) -> Result<(), Error> {
        let Some(t) = self.transaction.as_mut().filter(|t| t.body_open) else {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "send_last_body before BodyRequested",
            }));
        };
        if !t.bdat {
            self.send_body(chunk)?;
            return self.finish_body();
        }
        let mut data = Vec::with_capacity(chunk.len());
        if t.binary {
            data.extend_from_slice(chunk);
        } else {
            t.normalizer.normalize(chunk, &mut data);
        }
        t.normalizer = CrlfNormalizer::new();
        self.write(&Command::Bdat {
            size: data.len() as u64,
            last: true,
        });
        self.out.push(&data);
        self.finish_expectations();
        Ok(())
    }

    pub(super) fn finish_expectations(&mut self) {
        let Some(t) = self.transaction.as_mut() else {
            return;
        };
        t.body_open = false;
        let bdat = t.bdat;
        let accepted = t.accepted.clone();
        if self.config.lmtp {
            for index in accepted {
                self.expect(Expect::LmtpRecipient(index));
            }
        } else if bdat {
            self.expect(Expect::Bdat { last: true });
        } else {
            self.expect(Expect::DataEnd);
        }
    }

    /// Ends the body: `CRLF . CRLF` after DATA, `BDAT 0 LAST` with CHUNKING.
    ///
    /// # Errors
    ///
    /// [`CoreError::OutOfOrder`](crate::CoreError::OutOfOrder) unless the body was requested.
    pub fn finish_body(&mut self) -> Result<(), Error> {
        let Some(t) = self.transaction.as_mut().filter(|t| t.body_open) else {
            return Err(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "finish_body before BodyRequested",
            }));
        };
        t.body_open = false;
        let bdat = t.bdat;
        let accepted = t.accepted.clone();
        if bdat {
            self.write(&Command::Bdat {
                size: 0,
                last: true,
            });
        } else {
            t.encoder.finish(self.out.buffer());
        }
        if self.config.lmtp {
            for index in accepted {
                self.expect(Expect::LmtpRecipient(index));
            }
        } else if bdat {
            self.expect(Expect::Bdat { last: true });
        } else {
            self.expect(Expect::DataEnd);
        }
        Ok(())
    }

    pub(super) fn open_body(&mut self) {
        if let Some(t) = &mut self.transaction {
            t.body_open = true;
            self.events.push(Event::BodyRequested);
        }
    }

    pub(super) fn end_transaction(&mut self, completed: bool) {
        let Some(t) = &mut self.transaction else {
            return;
        };
        if t.ended {
            return;
        }
        t.ended = true;
        t.body_open = false;
        let delivered = std::mem::take(&mut t.delivered);
        self.needs_reset = t.sender_ok && !completed;
        self.transaction = None;
        self.events.push(Event::TransactionEnded { delivered });
        if self.session == Session::Transaction {
            self.session = Session::Ready;
        }
    }
}
