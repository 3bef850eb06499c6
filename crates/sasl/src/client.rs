//! The client side: [`Credentials`] and the [`Client`] step machine.

use std::fmt;

use mailwire_core::Secret;

use crate::oauthbearer::OAuthError;
use crate::{ChannelBinding, Error, Mechanism};

/// What a client authenticates with: a password, a bearer token, a TLS
/// client certificate or nothing (anonymous), plus options.
///
/// [`Credentials::supports`] tells which mechanisms they can drive;
/// [`negotiate::select`](crate::negotiate::select) uses it to choose one.
///
/// ```
/// use mailwire_sasl::{ChannelBinding, Credentials, Mechanism};
///
/// let credentials = Credentials::password("user", "pencil")
///     .with_channel_binding(ChannelBinding::tls_exporter(vec![0; 32]));
/// assert!(credentials.supports(&Mechanism::SCRAM_SHA_256_PLUS));
/// assert!(!credentials.supports(&Mechanism::XOAUTH2));
/// ```
#[derive(Clone)]
pub struct Credentials {
    pub(crate) authcid: String,
    pub(crate) authzid: Option<String>,
    pub(crate) password: Option<Secret<String>>,
    pub(crate) token: Option<Secret<String>>,
    pub(crate) external: bool,
    pub(crate) anonymous: bool,
    pub(crate) channel_binding: Option<ChannelBinding>,
    pub(crate) host: Option<String>,
    pub(crate) port: Option<u16>,
    pub(crate) max_iterations: u32,
}

impl Credentials {
    /// The largest SCRAM iteration count a client accepts by default.
    ///
    /// A server that announces more would make the client spend seconds
    /// of CPU in PBKDF2; see [`Credentials::with_max_iterations`].
    pub const DEFAULT_MAX_ITERATIONS: u32 = 1_000_000;

    fn empty(authcid: String) -> Self {
        Credentials {
            authcid,
            authzid: None,
            password: None,
            token: None,
            external: false,
            anonymous: false,
            channel_binding: None,
            host: None,
            port: None,
            max_iterations: Self::DEFAULT_MAX_ITERATIONS,
        }
    }

    /// A user name and password, for `SCRAM-*`, `CRAM-MD5`, `PLAIN` and
    /// `LOGIN`.
    ///
    /// ```
    /// let c = mailwire_sasl::Credentials::password("tim", "tanstaaftanstaaf");
    /// assert!(c.supports(&mailwire_sasl::Mechanism::CRAM_MD5));
    /// ```
    pub fn password(authcid: impl Into<String>, password: impl Into<String>) -> Self {
        Credentials {
            password: Some(Secret::new(password.into())),
            ..Self::empty(authcid.into())
        }
    }

    /// A user name and an OAuth 2.0 access token, for `OAUTHBEARER`
    /// (RFC 7628) and `XOAUTH2`.
    ///
    /// `XOAUTH2` sends `user` as its `user=` field, which servers require.
    /// `OAUTHBEARER` sends it as the GS2 authorization identity (`a=`,
    /// RFC 7628 §3.1) unless [`Credentials::with_authzid`] sets another; an
    /// empty `user` sends none.
    ///
    /// ```
    /// let c = mailwire_sasl::Credentials::bearer_token("user@example.com", "vF9dft4qmT");
    /// assert!(c.supports(&mailwire_sasl::Mechanism::OAUTHBEARER));
    /// ```
    pub fn bearer_token(user: impl Into<String>, token: impl Into<String>) -> Self {
        Credentials {
            token: Some(Secret::new(token.into())),
            ..Self::empty(user.into())
        }
    }

    /// Authentication established outside SASL, usually by a TLS client
    /// certificate, for `EXTERNAL` (RFC 4422 Appendix A).
    ///
    /// ```
    /// let c = mailwire_sasl::Credentials::external().with_authzid("admin");
    /// assert!(c.supports(&mailwire_sasl::Mechanism::EXTERNAL));
    /// ```
    pub fn external() -> Self {
        Credentials {
            external: true,
            ..Self::empty(String::new())
        }
    }

    /// No credentials, for `ANONYMOUS` (RFC 4505); `trace` is the optional
    /// trace information (an email address or an opaque token).
    ///
    /// ```
    /// let c = mailwire_sasl::Credentials::anonymous("sirhc");
    /// assert!(c.supports(&mailwire_sasl::Mechanism::ANONYMOUS));
    /// ```
    pub fn anonymous(trace: impl Into<String>) -> Self {
        Credentials {
            anonymous: true,
            ..Self::empty(trace.into())
        }
    }

    /// Sets the authorization identity: the user to act as, when it is not
    /// the one who authenticates (RFC 4422 §2).
    ///
    /// ```
    /// let c = mailwire_sasl::Credentials::password("Kurt", "xipj3plmq").with_authzid("Ursel");
    /// assert_eq!(c.authzid(), Some("Ursel"));
    /// ```
    pub fn with_authzid(mut self, authzid: impl Into<String>) -> Self {
        self.authzid = Some(authzid.into());
        self
    }

    /// Sets the channel binding data of the TLS connection, which the
    /// `-PLUS` mechanisms need (RFC 5802 §6).
    ///
    /// With channel binding data set, a non-`PLUS` SCRAM client tells the
    /// server it supports channel binding (flag `y`), so that a server
    /// that does support it detects a stripped `-PLUS` advertisement.
    ///
    /// ```
    /// use mailwire_sasl::{ChannelBinding, Credentials};
    /// let c = Credentials::password("u", "p")
    ///     .with_channel_binding(ChannelBinding::tls_server_end_point(vec![0; 32]));
    /// assert!(c.supports(&mailwire_sasl::Mechanism::SCRAM_SHA_1_PLUS));
    /// ```
    pub fn with_channel_binding(mut self, channel_binding: ChannelBinding) -> Self {
        self.channel_binding = Some(channel_binding);
        self
    }

    /// Sets the host name and port the client connected to, sent by
    /// `OAUTHBEARER` (RFC 7628 §3.1 `host`, `port`).
    ///
    /// ```
    /// let c = mailwire_sasl::Credentials::bearer_token("u", "t").with_host("server.example.com", 143);
    /// # let _ = c;
    /// ```
    pub fn with_host(mut self, host: impl Into<String>, port: u16) -> Self {
        self.host = Some(host.into());
        self.port = Some(port);
        self
    }

    /// Sets the largest SCRAM iteration count the client accepts from a
    /// server (RFC 5802 §5.1 `i`), [`Credentials::DEFAULT_MAX_ITERATIONS`]
    /// by default.
    ///
    /// ```
    /// let c = mailwire_sasl::Credentials::password("u", "p").with_max_iterations(100_000);
    /// # let _ = c;
    /// ```
    pub fn with_max_iterations(mut self, max_iterations: u32) -> Self {
        self.max_iterations = max_iterations;
        self
    }

    /// The authentication identity (user name), or the trace information
    /// for anonymous credentials.
    ///
    /// ```
    /// assert_eq!(mailwire_sasl::Credentials::password("tim", "x").authcid(), "tim");
    /// ```
    pub fn authcid(&self) -> &str {
        &self.authcid
    }

    /// The authorization identity, if one was set.
    ///
    /// ```
    /// assert_eq!(mailwire_sasl::Credentials::password("tim", "x").authzid(), None);
    /// ```
    pub fn authzid(&self) -> Option<&str> {
        self.authzid.as_deref()
    }

    /// Whether these credentials can drive `mechanism`.
    ///
    /// ```
    /// use mailwire_sasl::{Credentials, Mechanism};
    /// let c = Credentials::password("u", "p");
    /// assert!(c.supports(&Mechanism::SCRAM_SHA_256));
    /// assert!(!c.supports(&Mechanism::SCRAM_SHA_256_PLUS)); // no channel binding data
    /// ```
    pub fn supports(&self, mechanism: &Mechanism) -> bool {
        self.missing(mechanism).is_none()
    }

    /// What these credentials lack for `mechanism`, if anything.
    fn missing(&self, mechanism: &Mechanism) -> Option<&'static str> {
        let m = mechanism;
        if *m == Mechanism::PLAIN
            || *m == Mechanism::LOGIN
            || *m == Mechanism::CRAM_MD5
            || *m == Mechanism::SCRAM_SHA_1
            || *m == Mechanism::SCRAM_SHA_256
        {
            self.password.is_none().then_some("a password")
        } else if *m == Mechanism::SCRAM_SHA_1_PLUS || *m == Mechanism::SCRAM_SHA_256_PLUS {
            if self.password.is_none() {
                Some("a password")
            } else {
                self.channel_binding
                    .is_none()
                    .then_some("channel binding data")
            }
        } else if *m == Mechanism::XOAUTH2 || *m == Mechanism::OAUTHBEARER {
            self.token.is_none().then_some("a bearer token")
        } else if *m == Mechanism::EXTERNAL {
            (!self.external).then_some("external credentials")
        } else if *m == Mechanism::ANONYMOUS {
            (!self.anonymous).then_some("anonymous credentials")
        } else {
            Some("an implementation")
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("authcid", &self.authcid)
            .field("authzid", &self.authzid)
            .field("password", &self.password)
            .field("token", &self.token)
            .field("external", &self.external)
            .field("anonymous", &self.anonymous)
            .field("channel_binding", &self.channel_binding)
            .field("host", &self.host)
            .field("port", &self.port)
            .finish()
    }
}

/// One mechanism's client side, driven by [`Client`].
pub(crate) trait ClientMechanism: Send + Sync {
    /// The first message of a client-first mechanism (RFC 4422 §5 2a), or
    /// `None` for a server-first one. Called once, before any `step`.
    fn initial(&mut self) -> Result<Option<Vec<u8>>, Error>;

    /// The response to a server challenge.
    fn step(&mut self, challenge: &[u8]) -> Result<Vec<u8>, Error>;

    /// Checks, once the server reported success, that the mechanism is
    /// satisfied (SCRAM: the server proved it knows the keys).
    fn finish(&mut self) -> Result<(), Error> {
        Ok(())
    }

    /// The OAuth error the server sent, if any.
    fn oauth_error(&self) -> Option<&OAuthError> {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientState {
    /// Nothing sent yet.
    Start,
    /// Exchanging challenges and responses.
    Exchanging,
    /// `finish` succeeded.
    Finished,
    /// An error or a cancel ended the exchange.
    Failed,
}

/// A SASL client exchange for one mechanism: challenges in, responses out,
/// no I/O (RFC 4422 §3).
///
/// The protocol machine (SMTP `AUTH`, POP3 `AUTH`, IMAP `AUTHENTICATE`)
/// base64-encodes each response with [`wire`](crate::wire) and feeds each
/// decoded server challenge to [`Client::step`]. An exchange goes through
/// these calls (RFC 4422 §3, §5):
///
/// ```text
///            Client::new(mechanism, &credentials)
///                           |
///        +------------------+--------------------+
///        | initial_response()                    | (no initial response:
///        | -> Some(data): send with the command  |  send the bare command)
///        v                                       v
///   +-------------------------------------------------+
///   | server challenge -> step(challenge) -> response |<--+
///   +-------------------------------------------------+---+
///        | server reports success        | server reports failure
///        v                               v
///     finish() -> Ok: authenticated    exchange over
/// ```
///
/// Any [`Error`] means the client must cancel with
/// [`wire::CANCEL`](crate::wire::CANCEL) (RFC 4422 §3.5, RFC 4954 §4).
///
/// ```
/// use mailwire_sasl::{wire, Client, Credentials, Mechanism};
///
/// let credentials = Credentials::password("tim", "tanstaaftanstaaf");
/// let mut client = Client::new(&Mechanism::PLAIN, &credentials).unwrap();
/// let initial = client.initial_response().unwrap().unwrap();
/// let mut line = b"AUTH PLAIN ".to_vec();
/// wire::encode_initial_response(initial.expose_secret(), &mut line);
/// assert_eq!(line, b"AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
/// // ... the server answers 235 ...
/// client.finish().unwrap();
/// ```
pub struct Client {
    mechanism: Mechanism,
    inner: Box<dyn ClientMechanism>,
    state: ClientState,
}

impl Client {
    /// Starts a client exchange for `mechanism` with `credentials`.
    ///
    /// Fails with [`Error::UnsupportedMechanism`] for a mechanism this
    /// crate does not implement and [`Error::MissingCredentials`] when the
    /// credentials cannot drive it (see [`Credentials::supports`]).
    ///
    /// ```
    /// use mailwire_sasl::{Client, Credentials, Error, Mechanism};
    ///
    /// let c = Credentials::password("u", "p");
    /// assert!(matches!(
    ///     Client::new(&Mechanism::XOAUTH2, &c),
    ///     Err(Error::MissingCredentials { needed: "a bearer token", .. })
    /// ));
    /// ```
    pub fn new(mechanism: &Mechanism, credentials: &Credentials) -> Result<Self, Error> {
        if !mechanism.is_implemented() {
            return Err(Error::UnsupportedMechanism(mechanism.clone()));
        }
        if let Some(needed) = credentials.missing(mechanism) {
            return Err(Error::MissingCredentials {
                mechanism: mechanism.clone(),
                needed,
            });
        }
        let inner = crate::client_mechanism(mechanism, credentials)?;
        Ok(Client {
            mechanism: mechanism.clone(),
            inner,
            state: ClientState::Start,
        })
    }

    /// The mechanism of this exchange.
    ///
    /// ```
    /// use mailwire_sasl::{Client, Credentials, Mechanism};
    /// let client = Client::new(&Mechanism::LOGIN, &Credentials::password("u", "p")).unwrap();
    /// assert_eq!(client.mechanism(), &Mechanism::LOGIN);
    /// ```
    pub fn mechanism(&self) -> &Mechanism {
        &self.mechanism
    }

    /// The initial response to send along with the command (RFC 4422 §4,
    /// RFC 4954 §4, RFC 5034 §4, RFC 4959), or `None` for a mechanism in
    /// which the server speaks first (`LOGIN`, `CRAM-MD5`).
    ///
    /// Call it at most once, before [`Client::step`], and only if the
    /// protocol can carry an initial response (IMAP needs `SASL-IR`) and it
    /// fits the command line (see [`wire::encoded_len`](crate::wire::encoded_len)).
    /// Otherwise skip it: the client then sends its first message in
    /// answer to the server's empty challenge.
    ///
    /// ```
    /// use mailwire_sasl::{Client, Credentials, Mechanism};
    /// let mut client = Client::new(&Mechanism::CRAM_MD5, &Credentials::password("u", "p")).unwrap();
    /// assert!(client.initial_response().unwrap().is_none());
    /// ```
    pub fn initial_response(&mut self) -> Result<Option<Secret<Vec<u8>>>, Error> {
        if self.state != ClientState::Start {
            return Err(Error::OutOfOrder {
                reason: "initial_response after the exchange started",
            });
        }
        match self.inner.initial() {
            Ok(message) => {
                self.state = ClientState::Exchanging;
                Ok(message.map(Secret::new))
            }
            Err(e) => {
                self.state = ClientState::Failed;
                Err(e)
            }
        }
    }

    /// Answers a decoded server challenge with the next response.
    ///
    /// An empty challenge before any message is the server's request for
    /// the initial response of a client-first mechanism (RFC 4422 §5 2a).
    /// Any error ends the exchange: send [`wire::CANCEL`](crate::wire::CANCEL).
    ///
    /// ```
    /// use mailwire_sasl::{Client, Credentials, Mechanism};
    ///
    /// let mut client = Client::new(&Mechanism::LOGIN, &Credentials::password("tim", "secret")).unwrap();
    /// assert_eq!(client.step(b"Username:").unwrap().expose_secret(), b"tim");
    /// assert_eq!(client.step(b"Password:").unwrap().expose_secret(), b"secret");
    /// ```
    pub fn step(&mut self, challenge: &[u8]) -> Result<Secret<Vec<u8>>, Error> {
        let result = match self.state {
            ClientState::Start => match self.inner.initial() {
                Ok(Some(message)) if challenge.is_empty() => Ok(message),
                Ok(Some(_)) => Err(crate::error::malformed("empty challenge")),
                Ok(None) => self.inner.step(challenge),
                Err(e) => Err(e),
            },
            ClientState::Exchanging => self.inner.step(challenge),
            ClientState::Finished | ClientState::Failed => {
                return Err(Error::OutOfOrder {
                    reason: "step after the exchange ended",
                });
            }
        };
        match result {
            Ok(response) => {
                self.state = ClientState::Exchanging;
                Ok(Secret::new(response))
            }
            Err(e) => {
                self.state = ClientState::Failed;
                Err(e)
            }
        }
    }

    /// Checks the server's success report (SMTP `235`, POP3 `+OK`, IMAP
    /// `OK`) against the mechanism.
    ///
    /// For SCRAM this fails with [`Error::ServerNotAuthenticated`] unless
    /// the server proved it knows the user's keys (RFC 5802 §5): treat the
    /// connection as untrusted then.
    ///
    /// ```
    /// use mailwire_sasl::{Client, Credentials, Error, Mechanism};
    ///
    /// let mut client = Client::new(&Mechanism::SCRAM_SHA_256, &Credentials::password("u", "p")).unwrap();
    /// client.initial_response().unwrap();
    /// assert_eq!(client.finish(), Err(Error::ServerNotAuthenticated));
    /// ```
    pub fn finish(&mut self) -> Result<(), Error> {
        match self.state {
            ClientState::Exchanging => match self.inner.finish() {
                Ok(()) => {
                    self.state = ClientState::Finished;
                    Ok(())
                }
                Err(e) => {
                    self.state = ClientState::Failed;
                    Err(e)
                }
            },
            _ => Err(Error::OutOfOrder {
                reason: "finish before the exchange started or after it ended",
            }),
        }
    }

    /// Ends the exchange from the client's side; the caller sends
    /// [`wire::CANCEL`](crate::wire::CANCEL) (RFC 4422 §3.5).
    ///
    /// ```
    /// use mailwire_sasl::{Client, Credentials, Mechanism};
    /// let mut client = Client::new(&Mechanism::LOGIN, &Credentials::password("u", "p")).unwrap();
    /// client.cancel();
    /// assert!(client.step(b"Username:").is_err());
    /// ```
    pub fn cancel(&mut self) {
        self.state = ClientState::Failed;
    }

    /// The error an OAuth server sent before failing the exchange
    /// (`OAUTHBEARER`, RFC 7628 §3.2.2; `XOAUTH2`), if any.
    ///
    /// ```
    /// use mailwire_sasl::{Client, Credentials, Mechanism};
    /// let client = Client::new(&Mechanism::OAUTHBEARER, &Credentials::bearer_token("u", "t")).unwrap();
    /// assert!(client.oauth_error().is_none());
    /// ```
    pub fn oauth_error(&self) -> Option<&OAuthError> {
        self.inner.oauth_error()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("mechanism", &self.mechanism)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}
