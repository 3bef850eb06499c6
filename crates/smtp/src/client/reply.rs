//! Replies: each one matched to the command it answers, in order
//! ([RFC 2920 §3.1]), and turned into events.
//!
//! [RFC 2920 §3.1]: https://www.rfc-editor.org/rfc/rfc2920#section-3.1

use crate::types::reply::ReplyCode;

use super::*;

impl Client {
    pub(super) fn handle_reply(&mut self, reply: Reply<'static>) {
        let Some(expect) = self.expect.pop_front() else {
            if reply.code() == ReplyCode::SERVICE_NOT_AVAILABLE {
                return self.close(CloseReason::ServiceNotAvailable(reply));
            }
            return self.fail(Error::Protocol(mailwire_core::Error::OutOfOrder {
                what: "a reply nothing asked for",
            }));
        };
        self.arm();
        let code = reply.code();
        if code == ReplyCode::SERVICE_NOT_AVAILABLE && expect != Expect::Quit {
            return self.close(CloseReason::ServiceNotAvailable(reply));
        }
        match expect {
            Expect::Greeting => {
                self.events.push(Event::GreetingReceived {
                    reply: reply.clone(),
                });
                if code == ReplyCode::SERVICE_READY {
                    self.send_hello();
                } else {
                    self.quit_and_close(CloseReason::Rejected(reply));
                }
            }
            Expect::Ehlo => {
                if code.is_positive_completion() {
                    match crate::parse::parse_ehlo_reply(&reply) {
                        Ok(ehlo) => {
                            self.capabilities = ehlo.capabilities;
                            self.pipelining =
                                self.config.pipelining && self.capabilities.pipelining();
                            self.after_hello();
                        }
                        Err(e) => self.fail(e),
                    }
                } else if code.is_permanent() && !self.config.lmtp {
                    let host = self.config.hostname.clone();
                    self.write(&Command::Helo { host });
                    self.expect(Expect::Helo);
                } else {
                    self.quit_and_close(CloseReason::HelloRejected(reply));
                }
            }
            Expect::Helo => {
                if code.is_positive_completion() {
                    self.capabilities = Capabilities::default();
                    self.pipelining = false;
                    self.after_hello();
                } else {
                    self.quit_and_close(CloseReason::HelloRejected(reply));
                }
            }
            Expect::StartTls => {
                if code == ReplyCode::SERVICE_READY {
                    // RFC 3207 §4.2, CVE-2011-0411: plaintext that came with
                    // or after the 220 is never read.
                    self.framer.clear();
                    self.assembler.reset();
                    self.session = Session::TlsPending;
                    self.timer.disarm();
                    self.events.push(Event::TlsRequested);
                } else if self.config.tls == TlsPolicy::Required {
                    self.quit_and_close(CloseReason::TlsUnavailable);
                } else {
                    self.after_tls();
                }
            }
            Expect::Auth => self.auth_reply(reply),
            Expect::Mail => {
                let ok = code.is_positive_completion();
                if let Some(t) = &mut self.transaction {
                    t.sender_ok = ok;
                }
                self.events.push(Event::SenderReplied { reply });
                if !ok {
                    if !self.pipelining {
                        self.end_transaction(false);
                    }
                    return;
                }
                if !self.pipelining {
                    self.send_rcpt(0);
                }
            }
            Expect::Rcpt(index) => self.rcpt_reply(index, reply),
            Expect::Data => self.data_reply(reply),
            Expect::DataEnd | Expect::Bdat { last: true } => {
                let ok = code.is_positive_completion();
                let Some(t) = &mut self.transaction else {
                    return;
                };
                if ok {
                    t.delivered = t.accepted.clone();
                }
                self.events.push(Event::MessageReplied { reply });
                self.end_transaction(ok);
            }
            Expect::LmtpRecipient(index) => {
                let Some(t) = &mut self.transaction else {
                    return;
                };
                if code.is_positive_completion() {
                    t.delivered.push(index);
                }
                let last = t.accepted.last() == Some(&index);
                self.events.push(Event::RecipientDelivered { index, reply });
                if last {
                    self.end_transaction(true);
                }
            }
            Expect::Bdat { last: false } => {
                if !code.is_positive_completion()
                    && let Some(t) = &mut self.transaction
                    && !t.ended
                {
                    {
                        t.body_open = false;
                        self.events.push(Event::MessageReplied { reply });
                        self.end_transaction(false);
                    }
                }
            }
            Expect::Rset => {}
            Expect::Quit => self.close(CloseReason::Quit),
        }
    }

    pub(super) fn auth_reply(&mut self, reply: Reply<'static>) {
        let code = reply.code();
        if code == ReplyCode::AUTH_CHALLENGE {
            match base64::engine::general_purpose::STANDARD.decode(reply.text().trim()) {
                Ok(challenge) => {
                    self.session = Session::AuthChallenge;
                    self.events.push(Event::AuthChallenge { challenge });
                }
                Err(_) => {
                    // RFC 4954 §4: a challenge that is not base64 cancels.
                    self.out.push(b"*\r\n");
                    self.expect(Expect::Auth);
                }
            }
        } else if code == ReplyCode::AUTH_SUCCEEDED {
            self.authenticated = true;
            self.events.push(Event::Authenticated);
            self.ready();
        } else {
            self.events.push(Event::AuthFailed { reply });
            self.ready();
        }
    }

    pub(super) fn rcpt_reply(&mut self, index: usize, reply: Reply<'static>) {
        let ok = reply.code().is_positive_completion();
        let Some(t) = &mut self.transaction else {
            return;
        };
        if ok && t.sender_ok {
            t.accepted.push(index);
        }
        let last = index.saturating_add(1) >= t.envelope.recipients.len();
        let (bdat, any) = (t.bdat, !t.accepted.is_empty());
        self.events.push(Event::RecipientReplied { index, reply });
        if !self.pipelining && !last {
            if self.transaction.as_ref().is_some_and(|t| t.sender_ok) {
                self.send_rcpt(index.saturating_add(1));
            }
            return;
        }
        if !last {
            return;
        }
        if !any {
            // DATA, if pipelined, still gets its own reply.
            if !self.pipelining || bdat {
                self.end_transaction(false);
            }
            return;
        }
        if bdat {
            self.open_body();
        } else if !self.pipelining {
            self.write(&Command::Data);
            self.expect(Expect::Data);
        }
    }

    pub(super) fn data_reply(&mut self, reply: Reply<'static>) {
        let Some(t) = &mut self.transaction else {
            return;
        };
        if reply.code() == ReplyCode::START_MAIL_INPUT {
            if t.accepted.is_empty() {
                // RFC 2920 §3.1: no recipient was accepted, yet the server
                // wants data: send an empty body and ignore its reply.
                t.encoder.finish(self.out.buffer());
                self.expect(Expect::Rset);
                self.end_transaction(false);
            } else {
                self.open_body();
            }
            return;
        }
        if !t.accepted.is_empty() {
            self.events.push(Event::MessageReplied { reply });
        }
        self.end_transaction(false);
    }
}
