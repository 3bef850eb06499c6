//! The SMTP and LMTP client machine ([RFC 5321 §3], [RFC 2033]).
//!
//! [`Client`] reads the greeting, says EHLO (falling back to HELO), uses
//! STARTTLS, AUTH, PIPELINING, SIZE, 8BITMIME, SMTPUTF8, BINARYMIME,
//! CHUNKING, DSN and REQUIRETLS as the server offers them, and runs any
//! number of transactions. The application hands it envelopes
//! ([`send_mail`](Client::send_mail)) and body chunks
//! ([`send_body`](Client::send_body)), and learns each outcome through
//! [`Event`]s: the reply to the sender, to each recipient and to the
//! message (one per recipient in LMTP).
//!
//! Bodies go out dot-stuffed by [`DotEncoder`] with every line ending
//! normalised to CRLF, or in `BDAT` chunks when the server offers CHUNKING.
//! An envelope that needs an extension the server lacks is refused before
//! anything is sent.
//!
//! [RFC 5321 §3]: https://www.rfc-editor.org/rfc/rfc5321#section-3
//! [RFC 2033]: https://www.rfc-editor.org/rfc/rfc2033
//!
//! # States
//!
//! ```text
//!  [Greeting] --220--> [Ehlo] --250--> STARTTLS offered and wanted? --220--> [TLS pending]
//!      |                 | 5xx (SMTP)          | no                              | handle_tls_established
//!      | not 220         v                     v                                 v
//!      +--> QUIT      [Helo] --250--> AUTH wanted and offered? ----+         (EHLO again)
//!                                         | yes                   | no
//!                                         v                       v
//!                      AuthMechanismSelected -> AUTH -> 334* -> [Ready] <---------------+
//!                                                                 | send_mail          |
//!                                                                 v                    |
//!                        MAIL, RCPT... (pipelined), DATA -> 354 -> body -> . -> reply  |
//!                                                 or BDAT chunks ... BDAT LAST -> reply|
//!                                                                 +--------------------+
//!  quit(): QUIT -> 221 -> Closed
//! ```
//!
//! # Example
//!
//! ```
//! use std::time::Instant;
//! use mailwire_core::machine::Machine;
//! use mailwire_smtp::client::{Client, ClientConfig, Envelope, Event};
//! use mailwire_smtp::{ForwardPath, Host, ReversePath};
//!
//! let now = Instant::now();
//! let mut client = Client::new(ClientConfig::new(Host::try_from("client.example").unwrap()), now);
//! let mut out = Vec::new();
//! client.handle_input(now, b"220 mx.example.org ESMTP\r\n").unwrap();
//! let _ = client.poll_transmit(&mut out);
//! assert_eq!(out, b"EHLO client.example\r\n");
//! client.handle_input(now, b"250-mx.example.org\r\n250 PIPELINING\r\n").unwrap();
//! while let Some(event) = client.poll_event() {
//!     if let Event::Ready { .. } = event {
//!         let envelope = Envelope::new(
//!             ReversePath::try_from("<a@example.org>").unwrap(),
//!             vec![ForwardPath::try_from("<b@example.org>").unwrap()],
//!         );
//!         client.send_mail(envelope).unwrap();
//!     }
//! }
//! out.clear();
//! let _ = client.poll_transmit(&mut out);
//! assert_eq!(out, b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
//! ```

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use base64::Engine as _;
use mailwire_core::Secret;
use mailwire_core::dot::DotEncoder;
use mailwire_core::line::{LineConfig, LineFramer};
use mailwire_core::machine::{Control, Machine, MachineEvent, Transmit};

use crate::Error;
use crate::limits::Limits;
use crate::parse::reply::ReplyAssembler;
use crate::types::auth::{AuthResponse, Mechanism};
use crate::types::capability::Capabilities;
use crate::types::command::Command;
use crate::types::parameter::{BodyType, MailParameters, RcptParameters};
use crate::types::path::{ForwardPath, Host, ReversePath};
use crate::types::reply::{Reply, ReplyCode};

/// When to use STARTTLS ([RFC 3207]).
///
/// [RFC 3207]: https://www.rfc-editor.org/rfc/rfc3207
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum TlsPolicy {
    /// Never.
    Disabled,
    /// When the server offers it (the default).
    #[default]
    Opportunistic,
    /// Always: a server without STARTTLS, or one that refuses it, ends the
    /// session.
    Required,
}

/// Client configuration.
///
/// ```
/// use mailwire_smtp::client::{ClientConfig, TlsPolicy};
/// use mailwire_smtp::{Host, Mechanism};
/// let mut config = ClientConfig::new(Host::try_from("client.example").unwrap());
/// config.tls = TlsPolicy::Required;
/// config.auth_mechanisms = vec![Mechanism::PLAIN, Mechanism::SCRAM_SHA_256];
/// assert!(config.pipelining);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ClientConfig {
    /// The name given with EHLO/HELO/LHLO.
    pub hostname: Host<'static>,
    /// Speak LMTP ([RFC 2033]): LHLO, and one reply per recipient.
    ///
    /// [RFC 2033]: https://www.rfc-editor.org/rfc/rfc2033
    pub lmtp: bool,
    /// STARTTLS policy.
    pub tls: TlsPolicy,
    /// The connection is already TLS (implicit TLS, [RFC 8314]).
    ///
    /// [RFC 8314]: https://www.rfc-editor.org/rfc/rfc8314
    pub tls_active: bool,
    /// SASL mechanisms the application can run; the strongest one the server
    /// also offers is used ([`Mechanism::STRONGEST_FIRST`]). Empty: no AUTH.
    pub auth_mechanisms: Vec<Mechanism<'static>>,
    /// Pipeline commands when the server offers PIPELINING. Default `true`.
    pub pipelining: bool,
    /// Send bodies with BDAT when the server offers CHUNKING. Default `true`.
    pub chunking: bool,
    /// Limits and timeouts.
    pub limits: Limits,
}

impl ClientConfig {
    /// A configuration with opportunistic TLS, no AUTH, pipelining and
    /// chunking on.
    pub fn new(hostname: Host<'static>) -> Self {
        Self {
            hostname,
            lmtp: false,
            tls: TlsPolicy::Opportunistic,
            tls_active: false,
            auth_mechanisms: Vec::new(),
            pipelining: true,
            chunking: true,
            limits: Limits::default(),
        }
    }
}

/// A transaction's envelope: sender, recipients and their parameters.
///
/// ```
/// use mailwire_smtp::client::Envelope;
/// use mailwire_smtp::{ForwardPath, ReversePath};
/// let envelope = Envelope::new(ReversePath::Null, vec![ForwardPath::Postmaster]);
/// assert_eq!(envelope.recipients.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope<'a> {
    /// The sender.
    pub reverse_path: ReversePath<'a>,
    /// `MAIL` parameters. `SIZE` is dropped when the server does not offer
    /// it; `SMTPUTF8` is added when an address needs it.
    pub parameters: MailParameters<'a>,
    /// The recipients and their parameters, in order; events refer to them
    /// by index.
    pub recipients: Vec<(ForwardPath<'a>, RcptParameters<'a>)>,
}

impl<'a> Envelope<'a> {
    /// An envelope without parameters.
    pub fn new(reverse_path: ReversePath<'a>, recipients: Vec<ForwardPath<'a>>) -> Self {
        Self {
            reverse_path,
            parameters: MailParameters::default(),
            recipients: recipients
                .into_iter()
                .map(|r| (r, RcptParameters::default()))
                .collect(),
        }
    }

    /// Detaches the envelope from the buffers it borrows from.
    pub fn into_static(self) -> Envelope<'static> {
        Envelope {
            reverse_path: self.reverse_path.into_static(),
            parameters: self.parameters.into_static(),
            recipients: self
                .recipients
                .into_iter()
                .map(|(r, p)| (r.into_static(), p.into_static()))
                .collect(),
        }
    }
}

/// Why the session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloseReason {
    /// After `QUIT`.
    Quit,
    /// The greeting was not `220`.
    Rejected(Reply<'static>),
    /// The server sent `421`.
    ServiceNotAvailable(Reply<'static>),
    /// [`TlsPolicy::Required`] and the server does not offer STARTTLS or
    /// refused it.
    TlsUnavailable,
    /// EHLO/LHLO and HELO were refused.
    HelloRejected(Reply<'static>),
    /// The server stayed silent past a timeout ([RFC 5321 §4.5.3.2]).
    ///
    /// [RFC 5321 §4.5.3.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.2
    Timeout,
    /// The server broke the protocol (the error is sticky in
    /// `handle_input`).
    ProtocolError(Error),
    /// The server closed the connection.
    PeerClosed,
}

/// A fact for the application; see the [module documentation](self).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The server's greeting.
    GreetingReceived {
        /// The reply.
        reply: Reply<'static>,
    },
    /// The `220` to STARTTLS arrived: send pending transmits, run the TLS
    /// handshake, then call [`Machine::handle_tls_established`].
    TlsRequested,
    /// AUTH will use `mechanism`: call [`Client::auth_start`] with its
    /// initial response, if any.
    AuthMechanismSelected {
        /// The mechanism.
        mechanism: Mechanism<'static>,
    },
    /// A `334` challenge, decoded: call [`Client::auth_respond`] or
    /// [`Client::auth_cancel`].
    AuthChallenge {
        /// The challenge.
        challenge: Vec<u8>,
    },
    /// `235`: authenticated.
    Authenticated,
    /// AUTH failed; the session goes on unauthenticated.
    AuthFailed {
        /// The server's reply.
        reply: Reply<'static>,
    },
    /// The session is ready for [`Client::send_mail`].
    Ready {
        /// What the server offers (empty after HELO).
        capabilities: Capabilities,
    },
    /// The reply to `MAIL`.
    SenderReplied {
        /// The reply.
        reply: Reply<'static>,
    },
    /// The reply to the `RCPT` of recipient `index`.
    RecipientReplied {
        /// The recipient's index in the envelope.
        index: usize,
        /// The reply.
        reply: Reply<'static>,
    },
    /// The server is ready for the body: call [`Client::send_body`], then
    /// [`Client::finish_body`].
    BodyRequested,
    /// The reply to the message (SMTP), or to a DATA/BDAT command that
    /// failed.
    MessageReplied {
        /// The reply.
        reply: Reply<'static>,
    },
    /// LMTP: the delivery reply for recipient `index` ([RFC 2033 §4.2]).
    ///
    /// [RFC 2033 §4.2]: https://www.rfc-editor.org/rfc/rfc2033#section-4.2
    RecipientDelivered {
        /// The recipient's index in the envelope.
        index: usize,
        /// The reply.
        reply: Reply<'static>,
    },
    /// The transaction is over; the session is ready for the next one.
    TransactionEnded {
        /// The recipients (indices) the message was accepted for.
        delivered: Vec<usize>,
    },
    /// The session is over.
    Closed {
        /// Why.
        reason: CloseReason,
    },
}

impl MachineEvent for Event {
    fn control(&self) -> Option<Control> {
        match self {
            Event::TlsRequested => Some(Control::StartTls),
            Event::Closed { .. } => Some(Control::Close),
            _ => None,
        }
    }
}

/// A reply the client waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Greeting,
    Ehlo,
    Helo,
    StartTls,
    Auth,
    Mail,
    Rcpt(usize),
    Data,
    DataEnd,
    LmtpRecipient(usize),
    Bdat { last: bool },
    Rset,
    Quit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Session {
    Greeting,
    Hello,
    StartTls,
    TlsPending,
    AuthSelect,
    Auth,
    AuthChallenge,
    Ready,
    Transaction,
    Closed,
}

#[derive(Debug)]
struct Transaction {
    envelope: Envelope<'static>,
    bdat: bool,
    binary: bool,
    next_rcpt: usize,
    sender_ok: bool,
    accepted: Vec<usize>,
    delivered: Vec<usize>,
    body_open: bool,
    ended: bool,
    encoder: DotEncoder,
    after_cr: bool,
}

/// The client machine; see the [module documentation](self).
#[derive(Debug)]
pub struct Client {
    config: ClientConfig,
    framer: LineFramer,
    assembler: ReplyAssembler,
    session: Session,
    expect: VecDeque<Expect>,
    capabilities: Capabilities,
    pipelining: bool,
    tls: bool,
    authenticated: bool,
    auth_mechanism: Option<Mechanism<'static>>,
    transaction: Option<Transaction>,
    /// The server still holds a transaction that failed: RSET goes before
    /// the next MAIL.
    needs_reset: bool,
    out: Vec<u8>,
    out_secret: bool,
    events: VecDeque<Event>,
    fatal: Option<Error>,
    now: Instant,
    deadline: Option<Instant>,
}

impl Client {
    /// A client that has just connected; it waits for the greeting.
    pub fn new(config: ClientConfig, now: Instant) -> Self {
        let line = LineConfig::default().with_max_line_length(config.limits.max_reply_line_length);
        let mut client = Self {
            framer: LineFramer::new(line),
            assembler: ReplyAssembler::new(config.limits.max_reply_lines),
            session: Session::Greeting,
            expect: VecDeque::from([Expect::Greeting]),
            capabilities: Capabilities::default(),
            pipelining: false,
            tls: config.tls_active,
            authenticated: false,
            auth_mechanism: None,
            transaction: None,
            needs_reset: false,
            out: Vec::new(),
            out_secret: false,
            events: VecDeque::new(),
            fatal: None,
            now,
            deadline: None,
            config,
        };
        client.arm();
        client
    }

    /// What the server offered in its last EHLO/LHLO reply.
    pub const fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    /// `true` once TLS is active.
    pub const fn is_tls(&self) -> bool {
        self.tls
    }

    /// `true` after a successful AUTH.
    pub const fn is_authenticated(&self) -> bool {
        self.authenticated
    }

    /// `true` when [`send_mail`](Self::send_mail) can be called.
    pub fn is_ready(&self) -> bool {
        self.session == Session::Ready
    }

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
        self.out.extend_from_slice(b"*\r\n");
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
            after_cr: false,
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

    fn send_rcpt(&mut self, index: usize) {
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
                t.after_cr = normalise_line_endings(chunk, t.after_cr, &mut data);
            }
            if data.is_empty() {
                return Ok(());
            }
            self.write(&Command::Bdat {
                size: data.len() as u64,
                last: false,
            });
            self.out.extend_from_slice(&data);
            self.expect(Expect::Bdat { last: false });
        } else {
            t.encoder.encode(chunk, &mut self.out);
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
            normalise_line_endings(chunk, t.after_cr, &mut data);
        }
        t.after_cr = false;
        self.write(&Command::Bdat {
            size: data.len() as u64,
            last: true,
        });
        self.out.extend_from_slice(&data);
        self.finish_expectations();
        Ok(())
    }

    fn finish_expectations(&mut self) {
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
            t.encoder.finish(&mut self.out);
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

    /// Ends the session with `QUIT` once every pending reply is in.
    pub fn quit(&mut self) {
        if matches!(self.session, Session::Closed | Session::TlsPending) {
            return;
        }
        self.write(&Command::Quit);
        self.expect(Expect::Quit);
    }

    // ----- internals ---------------------------------------------------------------

    fn write(&mut self, command: &Command<'_>) {
        crate::encode::encode_command(command, &mut self.out);
    }

    fn write_secret(&mut self, line: &[u8]) {
        self.out.extend_from_slice(line);
        self.out_secret = true;
    }

    fn expect(&mut self, expect: Expect) {
        if self.expect.is_empty() {
            self.expect.push_back(expect);
            self.arm();
        } else {
            self.expect.push_back(expect);
        }
    }

    fn timeout_for(&self, expect: Expect) -> Duration {
        let t = &self.config.limits.timeouts;
        match expect {
            Expect::Greeting => t.greeting,
            Expect::Rcpt(_) => t.rcpt,
            Expect::Data => t.data_initiation,
            Expect::DataEnd | Expect::LmtpRecipient(_) | Expect::Bdat { .. } => t.data_termination,
            _ => t.mail,
        }
    }

    fn arm(&mut self) {
        self.deadline = self
            .expect
            .front()
            .and_then(|&e| self.now.checked_add(self.timeout_for(e)));
    }

    fn close(&mut self, reason: CloseReason) {
        if self.session == Session::Closed {
            return;
        }
        self.session = Session::Closed;
        self.expect.clear();
        self.deadline = None;
        self.framer.clear();
        self.events.push_back(Event::Closed { reason });
    }

    fn fail(&mut self, error: Error) {
        self.fatal = Some(error.clone());
        self.close(CloseReason::ProtocolError(error));
    }

    fn send_hello(&mut self) {
        let host = self.config.hostname.clone();
        let command = if self.config.lmtp {
            Command::Lhlo { host }
        } else {
            Command::Ehlo { host }
        };
        self.write(&command);
        self.session = Session::Hello;
        self.expect(Expect::Ehlo);
    }

    /// After EHLO: STARTTLS, then AUTH, then ready.
    fn after_hello(&mut self) {
        let wants_tls = self.config.tls != TlsPolicy::Disabled && !self.tls;
        if wants_tls && self.capabilities.starttls() {
            self.write(&Command::StartTls);
            self.session = Session::StartTls;
            self.expect(Expect::StartTls);
            return;
        }
        if self.config.tls == TlsPolicy::Required && !self.tls {
            self.quit_and_close(CloseReason::TlsUnavailable);
            return;
        }
        self.after_tls();
    }

    fn quit_and_close(&mut self, reason: CloseReason) {
        self.write(&Command::Quit);
        self.close(reason);
    }

    fn after_tls(&mut self) {
        if !self.authenticated
            && let Some(mechanism) = self.choose_mechanism()
        {
            self.auth_mechanism = Some(mechanism.clone());
            self.session = Session::AuthSelect;
            self.events
                .push_back(Event::AuthMechanismSelected { mechanism });
            return;
        }
        self.ready();
    }

    fn choose_mechanism(&self) -> Option<Mechanism<'static>> {
        let offered: Vec<&Mechanism<'static>> = self.capabilities.auth_mechanisms().collect();
        let rank = |m: &Mechanism<'_>| {
            Mechanism::STRONGEST_FIRST
                .iter()
                .position(|s| s == m)
                .unwrap_or(Mechanism::STRONGEST_FIRST.len())
        };
        self.config
            .auth_mechanisms
            .iter()
            .filter(|m| offered.contains(m))
            .enumerate()
            .min_by_key(|(i, m)| (rank(m), *i))
            .map(|(_, m)| m.clone())
    }

    fn ready(&mut self) {
        self.session = Session::Ready;
        self.events.push_back(Event::Ready {
            capabilities: self.capabilities.clone(),
        });
    }

    fn handle_reply(&mut self, reply: Reply<'static>) {
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
                self.events.push_back(Event::GreetingReceived {
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
                    self.deadline = None;
                    self.events.push_back(Event::TlsRequested);
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
                self.events.push_back(Event::SenderReplied { reply });
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
                self.events.push_back(Event::MessageReplied { reply });
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
                self.events
                    .push_back(Event::RecipientDelivered { index, reply });
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
                        self.events.push_back(Event::MessageReplied { reply });
                        self.end_transaction(false);
                    }
                }
            }
            Expect::Rset => {}
            Expect::Quit => self.close(CloseReason::Quit),
        }
    }

    fn auth_reply(&mut self, reply: Reply<'static>) {
        let code = reply.code();
        if code == ReplyCode::AUTH_CHALLENGE {
            match base64::engine::general_purpose::STANDARD.decode(reply.text().trim()) {
                Ok(challenge) => {
                    self.session = Session::AuthChallenge;
                    self.events.push_back(Event::AuthChallenge { challenge });
                }
                Err(_) => {
                    // RFC 4954 §4: a challenge that is not base64 cancels.
                    self.out.extend_from_slice(b"*\r\n");
                    self.expect(Expect::Auth);
                }
            }
        } else if code == ReplyCode::AUTH_SUCCEEDED {
            self.authenticated = true;
            self.events.push_back(Event::Authenticated);
            self.ready();
        } else {
            self.events.push_back(Event::AuthFailed { reply });
            self.ready();
        }
    }

    fn rcpt_reply(&mut self, index: usize, reply: Reply<'static>) {
        let ok = reply.code().is_positive_completion();
        let Some(t) = &mut self.transaction else {
            return;
        };
        if ok && t.sender_ok {
            t.accepted.push(index);
        }
        let last = index.saturating_add(1) >= t.envelope.recipients.len();
        let (bdat, any) = (t.bdat, !t.accepted.is_empty());
        self.events
            .push_back(Event::RecipientReplied { index, reply });
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

    fn data_reply(&mut self, reply: Reply<'static>) {
        let Some(t) = &mut self.transaction else {
            return;
        };
        if reply.code() == ReplyCode::START_MAIL_INPUT {
            if t.accepted.is_empty() {
                // RFC 2920 §3.1: no recipient was accepted, yet the server
                // wants data: send an empty body and ignore its reply.
                t.encoder.finish(&mut self.out);
                self.expect(Expect::Rset);
                self.end_transaction(false);
            } else {
                self.open_body();
            }
            return;
        }
        if !t.accepted.is_empty() {
            self.events.push_back(Event::MessageReplied { reply });
        }
        self.end_transaction(false);
    }

    fn open_body(&mut self) {
        if let Some(t) = &mut self.transaction {
            t.body_open = true;
            self.events.push_back(Event::BodyRequested);
        }
    }

    fn end_transaction(&mut self, completed: bool) {
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
        self.events.push_back(Event::TransactionEnded { delivered });
        if self.session == Session::Transaction {
            self.session = Session::Ready;
        }
    }
}

/// Writes `input` with every CR, LF and CRLF as CRLF; returns whether the
/// input ended with a CR (whose LF may start the next chunk).
fn normalise_line_endings(input: &[u8], mut after_cr: bool, out: &mut Vec<u8>) -> bool {
    let mut rest = input;
    while let Some((&first, tail)) = rest.split_first() {
        if after_cr && first == b'\n' {
            after_cr = false;
            rest = tail;
            continue;
        }
        after_cr = false;
        let run = memchr::memchr2(b'\r', b'\n', rest).unwrap_or(rest.len());
        let (text, after) = rest.split_at(run);
        out.extend_from_slice(text);
        match after.split_first() {
            Some((&ending, tail)) => {
                out.extend_from_slice(b"\r\n");
                after_cr = ending == b'\r';
                rest = tail;
            }
            None => rest = after,
        }
    }
    after_cr
}

impl Machine for Client {
    type Event = Event;
    type Error = Error;

    fn handle_input(&mut self, now: Instant, input: &[u8]) -> Result<usize, Error> {
        if let Some(fatal) = &self.fatal {
            return Err(fatal.clone());
        }
        self.now = now;
        if matches!(self.session, Session::Closed | Session::TlsPending) {
            return Ok(input.len());
        }
        self.framer.push(input);
        while !matches!(self.session, Session::Closed | Session::TlsPending) {
            let line = match self.framer.next_line() {
                None => break,
                Some(Err(e)) => Err(Error::from(e)),
                Some(Ok(line)) => self
                    .assembler
                    .push(line.bytes())
                    .map_err(|e| e.offset_by(line.offset())),
            };
            match line {
                Ok(Some(reply)) => self.handle_reply(reply),
                Ok(None) => {}
                Err(e) => self.fail(e),
            }
        }
        if let Some(fatal) = &self.fatal {
            return Err(fatal.clone());
        }
        Ok(input.len())
    }

    fn handle_timeout(&mut self, now: Instant) {
        self.now = now;
        if self.deadline.is_some_and(|d| now >= d) && self.session != Session::Closed {
            self.fatal = Some(Error::Protocol(mailwire_core::Error::Timeout));
            self.close(CloseReason::Timeout);
        }
    }

    fn handle_tls_established(&mut self, now: Instant) {
        self.now = now;
        if self.session == Session::TlsPending {
            // RFC 3207 §4.2: forget what was learnt, greet again.
            self.framer.clear();
            self.tls = true;
            self.capabilities = Capabilities::default();
            self.send_hello();
        }
    }

    fn handle_eof(&mut self, now: Instant) {
        self.now = now;
        self.close(CloseReason::PeerClosed);
    }

    fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
        if self.out.is_empty() {
            return None;
        }
        let len = self.out.len();
        buf.append(&mut self.out);
        let secret = std::mem::take(&mut self.out_secret);
        Some(Transmit { len, secret })
    }

    fn poll_timeout(&self) -> Option<Instant> {
        if self.session == Session::Closed {
            None
        } else {
            self.deadline
        }
    }

    fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    fn is_closed(&self) -> bool {
        self.session == Session::Closed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_are_normalised_across_chunks() {
        let mut out = Vec::new();
        let cr = normalise_line_endings(b"a\r", false, &mut out);
        assert!(cr);
        let cr = normalise_line_endings(b"\nb\nc\rd\r\n", cr, &mut out);
        assert!(!cr);
        assert_eq!(out, b"a\r\nb\r\nc\r\nd\r\n");
    }
}
