//! The server side: the [`Server`] step machine, its [`Event`]s and the
//! [`Outcome`].

use std::fmt;

use mailwire_core::Secret;

use crate::oauthbearer::OAuthError;
use crate::scram::ScramKeys;
use crate::util::saslprep;
use crate::{ChannelBinding, Error, Mechanism};

/// What a server knows about its TLS connection, for the mechanisms that
/// depend on it.
///
/// ```
/// use mailwire_sasl::{ChannelBinding, ServerConfig};
///
/// let config = ServerConfig::new()
///     .with_channel_binding(ChannelBinding::tls_exporter(vec![0; 32]))
///     .with_hostname("mx.example.com");
/// # let _ = config;
/// ```
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub(crate) channel_binding: Option<ChannelBinding>,
    pub(crate) external_identity: Option<String>,
    pub(crate) hostname: String,
    pub(crate) scram_mock_key: Option<Secret<Vec<u8>>>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            channel_binding: None,
            external_identity: None,
            hostname: String::from("localhost"),
            scram_mock_key: None,
        }
    }
}

impl ServerConfig {
    /// A configuration without channel binding or external identity.
    ///
    /// ```
    /// let config = mailwire_sasl::ServerConfig::new();
    /// # let _ = config;
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the channel binding data of the TLS connection (RFC 5802 §6).
    ///
    /// The `-PLUS` mechanisms need it; with it set, the non-`PLUS` SCRAM
    /// servers reject a client that says it supports channel binding but
    /// thinks the server does not (flag `y`: a downgrade).
    ///
    /// ```
    /// use mailwire_sasl::{ChannelBinding, ServerConfig};
    /// let config = ServerConfig::new().with_channel_binding(ChannelBinding::tls_exporter(vec![1; 32]));
    /// # let _ = config;
    /// ```
    pub fn with_channel_binding(mut self, channel_binding: ChannelBinding) -> Self {
        self.channel_binding = Some(channel_binding);
        self
    }

    /// Sets the identity established outside SASL, usually from the TLS
    /// client certificate, which `EXTERNAL` reports (RFC 4422 Appendix A).
    ///
    /// ```
    /// let config = mailwire_sasl::ServerConfig::new().with_external_identity("cn=alice");
    /// # let _ = config;
    /// ```
    pub fn with_external_identity(mut self, identity: impl Into<String>) -> Self {
        self.external_identity = Some(identity.into());
        self
    }

    /// Sets the host name in `CRAM-MD5` challenges (RFC 2195 §2:
    /// `<random.timestamp@hostname>`); `localhost` by default.
    ///
    /// ```
    /// let config = mailwire_sasl::ServerConfig::new().with_hostname("postoffice.example.net");
    /// # let _ = config;
    /// ```
    pub fn with_hostname(mut self, hostname: impl Into<String>) -> Self {
        self.hostname = hostname.into();
        self
    }

    /// Sets a server secret that lets SCRAM hide which users exist.
    ///
    /// Without it, a SCRAM server answers an unknown user (a `None` from
    /// [`Server::provide_credentials`]) with an immediate failure, which
    /// tells the client that the user does not exist. With it, the server
    /// goes on with a salt derived from this key and the user name (stable
    /// across attempts, as a real user's salt is) and
    /// [`ScramKeys::DEFAULT_ITERATIONS`], and fails with
    /// [`Failure::UnknownUser`] only after the client's proof.
    ///
    /// Use at least 32 random bytes, kept across restarts.
    ///
    /// ```
    /// use mailwire_core::Secret;
    /// let config = mailwire_sasl::ServerConfig::new().with_scram_mock_key(Secret::new(vec![42; 32]));
    /// # let _ = config;
    /// ```
    pub fn with_scram_mock_key(mut self, key: Secret<Vec<u8>>) -> Self {
        self.scram_mock_key = Some(key);
        self
    }
}

/// What the application stores for a user, given to
/// [`Server::provide_credentials`].
#[derive(Clone)]
#[non_exhaustive]
pub enum StoredCredentials {
    /// The plaintext password. `CRAM-MD5` needs it; `PLAIN` and `LOGIN`
    /// compare against it in constant time.
    Password(Secret<String>),
    /// SCRAM keys (RFC 5802 §3). `SCRAM-*` needs them; `PLAIN` and `LOGIN`
    /// check the offered password by deriving the keys again.
    Scram(ScramKeys),
}

impl fmt::Debug for StoredCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoredCredentials::Password(p) => f.debug_tuple("Password").field(p).finish(),
            StoredCredentials::Scram(k) => f.debug_tuple("Scram").field(k).finish(),
        }
    }
}

/// The application's decision on an [`Event`] that asks for one, given to
/// [`Server::provide_verdict`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// Authenticate the client.
    Accept,
    /// Fail the exchange.
    Reject,
    /// Fail an OAuth exchange, telling the client why (RFC 7628 §3.2.2).
    /// Other mechanisms treat it as [`Verdict::Reject`].
    RejectToken(OAuthError),
}

/// Something the server machine needs from the application before it can
/// go on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The client named the user it authenticates as; look up what is
    /// stored for `authcid` and answer with
    /// [`Server::provide_credentials`] (`None` for an unknown user).
    ///
    /// `CRAM-MD5` needs [`StoredCredentials::Password`], `SCRAM-*` needs
    /// [`StoredCredentials::Scram`] with keys of its hash function.
    CredentialsNeeded {
        /// The mechanism in use.
        mechanism: Mechanism,
        /// The authentication identity, prepared with SASLprep for SCRAM
        /// (RFC 5802 §5.1 `n`).
        authcid: String,
        /// The authorization identity, if the client sent one.
        authzid: Option<String>,
    },
    /// The client sent a plaintext password (`PLAIN`, `LOGIN`). Answer
    /// with [`Server::provide_verdict`] after checking it, or with
    /// [`Server::provide_credentials`] to let the machine compare it with
    /// what is stored, in constant time.
    ///
    /// `authcid` and `password` are prepared with SASLprep (RFC 4616 §2);
    /// a client whose strings cannot be prepared fails before this event.
    PasswordReceived {
        /// The mechanism in use.
        mechanism: Mechanism,
        /// The authentication identity.
        authcid: String,
        /// The authorization identity, if the client sent one.
        authzid: Option<String>,
        /// The password.
        password: Secret<String>,
    },
    /// The client sent an OAuth 2.0 bearer token (`OAUTHBEARER`,
    /// `XOAUTH2`). Validate it and answer with [`Server::provide_verdict`];
    /// [`Verdict::RejectToken`] tells the client why.
    TokenReceived {
        /// The mechanism in use.
        mechanism: Mechanism,
        /// The user the client names (`XOAUTH2` `user=`, `OAUTHBEARER`
        /// gs2 `a=`); empty if it named none.
        user: String,
        /// The token; empty when the client sent an empty `auth` to learn
        /// the required scope (RFC 7628 §4.3).
        token: Secret<String>,
        /// The `host` the client says it connected to (RFC 7628 §3.1).
        host: Option<String>,
        /// The `port` the client says it connected to (RFC 7628 §3.1).
        port: Option<u16>,
    },
    /// The client asks to authenticate as the identity established outside
    /// SASL (`EXTERNAL`, RFC 4422 Appendix A). Answer with
    /// [`Server::provide_verdict`].
    ExternalRequested {
        /// The identity from [`ServerConfig::with_external_identity`].
        identity: String,
        /// The authorization identity, if the client sent one.
        authzid: Option<String>,
    },
    /// The client asks for anonymous access (`ANONYMOUS`, RFC 4505).
    /// Answer with [`Server::provide_verdict`].
    AnonymousRequested {
        /// The trace information, possibly empty; it has no semantic value
        /// (RFC 4505 §2).
        trace: String,
    },
}

/// Why an exchange failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// Wrong password, invalid proof or token, or the application rejected
    /// the request.
    InvalidCredentials,
    /// The application knows no such user.
    UnknownUser,
    /// The client's channel binding does not match the connection, or a
    /// downgrade was detected (RFC 5802 §6).
    ChannelBinding,
    /// The client cancelled the exchange (RFC 4422 §3.5).
    Cancelled,
}

/// How an exchange ended.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The client is authenticated as `authcid`, and asks to act as
    /// `authzid` if that is set. Whether `authcid` may act as `authzid` is
    /// the application's policy (RFC 4422 §3.4.1).
    Success {
        /// The authentication identity (for `ANONYMOUS`: `anonymous`).
        authcid: String,
        /// The requested authorization identity.
        authzid: Option<String>,
    },
    /// The client is not authenticated.
    Failure(Failure),
}

/// What the server machine asks of its caller next.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub enum ServerStep {
    /// Send this challenge (base64 via [`wire::encode_challenge`](crate::wire::encode_challenge))
    /// and feed the client's response to [`Server::step`].
    Challenge(Vec<u8>),
    /// Answer the event with [`Server::provide_credentials`] or
    /// [`Server::provide_verdict`].
    Event(Event),
    /// The exchange is over.
    Done(Outcome),
}

/// One mechanism's server side, driven by [`Server`].
pub(crate) trait ServerMechanism: Send + Sync {
    /// Begins the exchange, with the client's initial response if any.
    fn start(&mut self, initial: Option<&[u8]>) -> Result<ServerStep, Error>;

    /// Handles a client response to the last challenge.
    fn step(&mut self, response: &[u8]) -> Result<ServerStep, Error>;

    /// Answers [`Event::CredentialsNeeded`] or [`Event::PasswordReceived`].
    fn provide_credentials(
        &mut self,
        _credentials: Option<StoredCredentials>,
    ) -> Result<ServerStep, Error> {
        Err(out_of_order_answer())
    }

    /// Answers the events that ask for a verdict.
    fn provide_verdict(&mut self, _verdict: Verdict) -> Result<ServerStep, Error> {
        Err(out_of_order_answer())
    }
}

pub(crate) fn out_of_order_answer() -> Error {
    Error::OutOfOrder {
        reason: "answer to an event that is not pending",
    }
}

pub(crate) fn out_of_order_step() -> Error {
    Error::OutOfOrder {
        reason: "client data while no challenge is pending",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ServerState {
    Start,
    Running,
    Ended,
}

/// A SASL server exchange for one mechanism (RFC 4422 §3): client
/// responses in, challenges and events out, no I/O.
///
/// The server machine does no I/O and owns no user database. When it needs
/// something from the application, [`Server::start`] or [`Server::step`]
/// returns [`ServerStep::Event`]; the application answers with
/// [`Server::provide_credentials`] or [`Server::provide_verdict`], which
/// return the next step:
///
/// ```text
///   start(initial response?) ---+
///                               v
///        +--------------> ServerStep::Challenge(data) -- send it, read the reply --> step(response)
///        |                      |                                                        |
///        |                ServerStep::Event(e) -- provide_credentials / provide_verdict --+
///        |                      |
///        +----------------------+
///                               v
///                ServerStep::Done(Outcome::Success { authcid, authzid })
///                ServerStep::Done(Outcome::Failure(reason))
/// ```
///
/// None of SMTP, POP3 and IMAP can carry data with a success reply (RFC
/// 4954 §4, RFC 5034 §4, RFC 9051 §6.2.2), so a SCRAM server sends its
/// final message as one more challenge and expects an empty response
/// (RFC 4422 §5 item 2b).
///
/// An [`Error`] means the client's data was malformed: reject the command
/// (SMTP `501 5.5.2`, POP3 `-ERR`, IMAP `BAD`). A [`Failure`] is a
/// well-formed exchange that did not authenticate (SMTP `535 5.7.8`, POP3
/// `-ERR`, IMAP `NO`).
///
/// ```
/// use mailwire_sasl::{Event, Mechanism, Outcome, Server, ServerConfig, ServerStep, Verdict};
///
/// let mut server = Server::new(&Mechanism::PLAIN, &ServerConfig::new()).unwrap();
/// // AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm, decoded:
/// let step = server.start(Some(b"\0tim\0tanstaaftanstaaf")).unwrap();
/// let ServerStep::Event(Event::PasswordReceived { authcid, password, .. }) = step else { panic!() };
/// assert_eq!(authcid, "tim");
/// let ok = password.expose_secret() == "tanstaaftanstaaf"; // or a hash check
/// let step = server.provide_verdict(if ok { Verdict::Accept } else { Verdict::Reject }).unwrap();
/// assert_eq!(
///     step,
///     ServerStep::Done(Outcome::Success { authcid: "tim".into(), authzid: None })
/// );
/// ```
pub struct Server {
    mechanism: Mechanism,
    inner: Box<dyn ServerMechanism>,
    state: ServerState,
}

impl Server {
    /// Prepares a server exchange for `mechanism`.
    ///
    /// Fails with [`Error::UnsupportedMechanism`] for a mechanism this
    /// crate does not implement, and for a `-PLUS` mechanism when `config`
    /// has no channel binding data.
    ///
    /// ```
    /// use mailwire_sasl::{Error, Mechanism, Server, ServerConfig};
    /// assert!(matches!(
    ///     Server::new(&Mechanism::SCRAM_SHA_256_PLUS, &ServerConfig::new()),
    ///     Err(Error::UnsupportedMechanism(_))
    /// ));
    /// ```
    pub fn new(mechanism: &Mechanism, config: &ServerConfig) -> Result<Self, Error> {
        if !mechanism.is_implemented()
            || (mechanism.is_channel_binding() && config.channel_binding.is_none())
        {
            return Err(Error::UnsupportedMechanism(mechanism.clone()));
        }
        let inner = crate::server_mechanism(mechanism, config)?;
        Ok(Server {
            mechanism: mechanism.clone(),
            inner,
            state: ServerState::Start,
        })
    }

    /// The mechanism of this exchange.
    ///
    /// ```
    /// use mailwire_sasl::{Mechanism, Server, ServerConfig};
    /// let server = Server::new(&Mechanism::LOGIN, &ServerConfig::new()).unwrap();
    /// assert_eq!(server.mechanism(), &Mechanism::LOGIN);
    /// ```
    pub fn mechanism(&self) -> &Mechanism {
        &self.mechanism
    }

    /// Begins the exchange with the client's decoded initial response, or
    /// `None` if the command had none (RFC 4422 §4, §5).
    ///
    /// Without an initial response, a client-first mechanism answers with
    /// an empty challenge. With one, a server-first mechanism fails with
    /// [`Error::UnexpectedInitialResponse`] (RFC 4954 §4: `501`), except
    /// `LOGIN`, which takes it as the user name, as deployed servers do.
    ///
    /// ```
    /// use mailwire_sasl::{Mechanism, Server, ServerConfig, ServerStep};
    /// let mut server = Server::new(&Mechanism::PLAIN, &ServerConfig::new()).unwrap();
    /// assert_eq!(server.start(None).unwrap(), ServerStep::Challenge(Vec::new()));
    /// ```
    pub fn start(&mut self, initial_response: Option<&[u8]>) -> Result<ServerStep, Error> {
        if self.state != ServerState::Start {
            return Err(Error::OutOfOrder {
                reason: "start called twice",
            });
        }
        self.state = ServerState::Running;
        let result = self.inner.start(initial_response);
        self.track(result)
    }

    /// Handles the client's decoded response to the last challenge.
    ///
    /// ```
    /// use mailwire_sasl::{Event, Mechanism, Server, ServerConfig, ServerStep};
    /// let mut server = Server::new(&Mechanism::LOGIN, &ServerConfig::new()).unwrap();
    /// assert_eq!(server.start(None).unwrap(), ServerStep::Challenge(b"Username:".to_vec()));
    /// assert_eq!(server.step(b"tim").unwrap(), ServerStep::Challenge(b"Password:".to_vec()));
    /// assert!(matches!(server.step(b"secret").unwrap(), ServerStep::Event(Event::PasswordReceived { .. })));
    /// ```
    pub fn step(&mut self, response: &[u8]) -> Result<ServerStep, Error> {
        self.check_running()?;
        let result = self.inner.step(response);
        self.track(result)
    }

    /// Answers [`Event::CredentialsNeeded`] or [`Event::PasswordReceived`]
    /// with what is stored for the user, `None` if the user is unknown.
    ///
    /// Passwords and SCRAM proofs are compared in constant time.
    ///
    /// ```
    /// use mailwire_core::Secret;
    /// use mailwire_sasl::{Failure, Mechanism, Outcome, Server, ServerConfig, ServerStep, StoredCredentials};
    ///
    /// let mut server = Server::new(&Mechanism::PLAIN, &ServerConfig::new()).unwrap();
    /// let _event = server.start(Some(b"\0tim\0wrong")).unwrap();
    /// let stored = StoredCredentials::Password(Secret::new("tanstaaftanstaaf".into()));
    /// assert_eq!(
    ///     server.provide_credentials(Some(stored)).unwrap(),
    ///     ServerStep::Done(Outcome::Failure(Failure::InvalidCredentials))
    /// );
    /// ```
    pub fn provide_credentials(
        &mut self,
        credentials: Option<StoredCredentials>,
    ) -> Result<ServerStep, Error> {
        self.check_running()?;
        let result = self.inner.provide_credentials(credentials);
        self.track(result)
    }

    /// Answers [`Event::PasswordReceived`], [`Event::TokenReceived`],
    /// [`Event::ExternalRequested`] or [`Event::AnonymousRequested`].
    ///
    /// ```
    /// use mailwire_sasl::{Mechanism, Outcome, Server, ServerConfig, ServerStep, Verdict};
    /// let mut server = Server::new(&Mechanism::ANONYMOUS, &ServerConfig::new()).unwrap();
    /// let _event = server.start(Some(b"sirhc")).unwrap();
    /// assert!(matches!(server.provide_verdict(Verdict::Accept).unwrap(), ServerStep::Done(Outcome::Success { .. })));
    /// ```
    pub fn provide_verdict(&mut self, verdict: Verdict) -> Result<ServerStep, Error> {
        self.check_running()?;
        let result = self.inner.provide_verdict(verdict);
        self.track(result)
    }

    /// Handles the client's `*` (RFC 4422 §3.5): the exchange fails with
    /// [`Failure::Cancelled`].
    ///
    /// ```
    /// use mailwire_sasl::{Failure, Mechanism, Outcome, Server, ServerConfig};
    /// let mut server = Server::new(&Mechanism::LOGIN, &ServerConfig::new()).unwrap();
    /// let _ = server.start(None).unwrap();
    /// assert_eq!(server.cancel(), Outcome::Failure(Failure::Cancelled));
    /// assert!(server.step(b"tim").is_err());
    /// ```
    pub fn cancel(&mut self) -> Outcome {
        self.state = ServerState::Ended;
        Outcome::Failure(Failure::Cancelled)
    }

    fn check_running(&self) -> Result<(), Error> {
        match self.state {
            ServerState::Running => Ok(()),
            ServerState::Start => Err(Error::OutOfOrder {
                reason: "exchange not started",
            }),
            ServerState::Ended => Err(Error::OutOfOrder {
                reason: "exchange already ended",
            }),
        }
    }

    fn track(&mut self, result: Result<ServerStep, Error>) -> Result<ServerStep, Error> {
        if matches!(result, Err(_) | Ok(ServerStep::Done(_))) {
            self.state = ServerState::Ended;
        }
        result
    }
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("mechanism", &self.mechanism)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// Checks an offered password against stored credentials in constant time.
///
/// `offered` is already prepared with SASLprep.
/// Checks a password offered in the clear (POP3 `USER`/`PASS`, an
/// application's own LOGIN-style prompt) against what is stored, as `PLAIN`
/// and `LOGIN` do: the offered password is prepared with SASLprep
/// ([RFC 4013], as [RFC 4616 §2] asks), then compared in constant time with
/// a stored password, or run through PBKDF2 and compared with stored SCRAM
/// keys. A password that cannot be prepared never matches.
///
/// [RFC 4013]: https://www.rfc-editor.org/rfc/rfc4013
/// [RFC 4616 §2]: https://www.rfc-editor.org/rfc/rfc4616#section-2
///
/// ```
/// use mailwire_sasl::{verify_password, ScramHash, ScramKeys, StoredCredentials};
/// let stored = StoredCredentials::Password("pencil".to_owned().into());
/// assert!(verify_password("pencil", &stored));
/// assert!(!verify_password("pen", &stored));
/// // SASLprep maps a non-ASCII space to a space on both sides.
/// let stored = StoredCredentials::Password("a b".to_owned().into());
/// assert!(verify_password("a\u{00A0}b", &stored));
/// let keys = ScramKeys::generate(ScramHash::Sha256, "pencil", 4096).unwrap();
/// assert!(verify_password("pencil", &StoredCredentials::Scram(keys.clone())));
/// assert!(!verify_password("\u{0007}", &StoredCredentials::Scram(keys)));
/// ```
pub fn verify_password(offered: &str, stored: &StoredCredentials) -> bool {
    match saslprep(offered, "password") {
        Ok(offered) => check_password(&offered, stored).unwrap_or(false),
        Err(_) => false,
    }
}

/// Compares an already prepared password with what is stored.
pub(crate) fn check_password(offered: &str, stored: &StoredCredentials) -> Result<bool, Error> {
    use subtle::ConstantTimeEq;
    match stored {
        // RFC 4616 §2: the stored string is prepared too.
        StoredCredentials::Password(p) => Ok(match saslprep(p.expose_secret(), "password") {
            Ok(stored) => bool::from(offered.as_bytes().ct_eq(stored.as_bytes())),
            Err(_) => false,
        }),
        StoredCredentials::Scram(keys) => keys.verify_password(offered),
    }
}

/// Generic outcome helpers used by the mechanisms.
pub(crate) fn success(authcid: String, authzid: Option<String>) -> ServerStep {
    ServerStep::Done(Outcome::Success { authcid, authzid })
}

pub(crate) fn failure(reason: Failure) -> ServerStep {
    ServerStep::Done(Outcome::Failure(reason))
}
