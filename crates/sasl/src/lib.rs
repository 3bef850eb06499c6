//! SASL mechanisms (RFC 4422) as sans-IO client and server step machines,
//! shared by SMTP `AUTH` (RFC 4954), POP3 `AUTH` (RFC 5034) and IMAP
//! `AUTHENTICATE` with `SASL-IR` (RFC 9051 §6.2.2, RFC 4959).
//!
//! A SASL exchange is a short series of challenges from the server and
//! responses from the client, ending with the server's outcome. This crate
//! computes those messages and checks them; it reads no sockets, no clocks
//! and no user database:
//!
//! - [`Client`] takes [`Credentials`] and turns each server challenge into
//!   the next response;
//! - [`Server`] turns each client response into the next challenge, asks
//!   the application for stored credentials or a decision through an
//!   [`Event`], and ends with an [`Outcome`] that names `authcid` and
//!   `authzid`;
//! - [`wire`] holds the base64 line encoding the three protocols share:
//!   `=` for an empty initial response, `*` to cancel, size limits;
//! - [`negotiate`] chooses the strongest mechanism both sides offer and
//!   keeps plaintext mechanisms off connections without TLS;
//! - [`Mechanism`] is the open registry of mechanism names.
//!
//! | Mechanism | Specification | Client sends first | Server needs |
//! |---|---|---|---|
//! | `SCRAM-SHA-256(-PLUS)` | RFC 7677, RFC 5802 | yes | [`ScramKeys`] |
//! | `SCRAM-SHA-1(-PLUS)` | RFC 5802 | yes | [`ScramKeys`] |
//! | `EXTERNAL` | RFC 4422 App. A | yes | a verdict on the TLS identity |
//! | `OAUTHBEARER` | RFC 7628 | yes | a verdict on the token |
//! | `XOAUTH2` | Google, Microsoft | yes | a verdict on the token |
//! | `CRAM-MD5` | RFC 2195 | no | the plaintext password |
//! | `PLAIN` | RFC 4616 | yes | a verdict, or stored password or keys |
//! | `LOGIN` | draft-murchison-sasl-login | no | a verdict, or stored password or keys |
//! | `ANONYMOUS` | RFC 4505 | yes | a verdict |
//!
//! Cryptography comes from the RustCrypto crates (`hmac`, `sha1`, `sha2`,
//! `md-5`, `pbkdf2`), nonces from the operating system (`getrandom`), and
//! secrets are compared in constant time (`subtle`). Passwords, tokens and
//! keys travel in [`Secret`](mailwire_core::Secret), whose `Debug` output
//! is redacted.
//!
//! # Example
//!
//! A `SCRAM-SHA-256` exchange between a client and a server, as SMTP would
//! carry it (`AUTH SCRAM-SHA-256 <initial response>`, then `334`
//! challenges):
//!
//! ```
//! use mailwire_sasl::{
//!     Client, Credentials, Event, Mechanism, Outcome, ScramHash, ScramKeys, Server,
//!     ServerConfig, ServerStep, StoredCredentials,
//! };
//!
//! // What the server stored when the password was set.
//! let keys = ScramKeys::generate(ScramHash::Sha256, "pencil", 4096)?;
//!
//! let mut client = Client::new(&Mechanism::SCRAM_SHA_256, &Credentials::password("user", "pencil"))?;
//! let mut server = Server::new(&Mechanism::SCRAM_SHA_256, &ServerConfig::new())?;
//!
//! let initial = client.initial_response()?.expect("SCRAM sends first");
//! let mut step = server.start(Some(initial.expose_secret()))?;
//! loop {
//!     step = match step {
//!         ServerStep::Event(Event::CredentialsNeeded { authcid, .. }) => {
//!             assert_eq!(authcid, "user");
//!             server.provide_credentials(Some(StoredCredentials::Scram(keys.clone())))?
//!         }
//!         ServerStep::Challenge(challenge) => {
//!             let response = client.step(&challenge)?;
//!             server.step(response.expose_secret())?
//!         }
//!         ServerStep::Done(outcome) => {
//!             assert_eq!(outcome, Outcome::Success { authcid: "user".into(), authzid: None });
//!             break;
//!         }
//!         other => unreachable!("{other:?}"),
//!     };
//! }
//! // The client checks that the server knew the keys.
//! client.finish()?;
//! # Ok::<(), mailwire_sasl::Error>(())
//! ```
#![forbid(unsafe_code)]

mod anonymous;
mod channel_binding;
mod client;
mod cram_md5;
mod error;
mod external;
mod json;
mod login;
mod mechanism;
pub mod negotiate;
mod oauthbearer;
mod plain;
mod scram;
mod server;
mod util;
pub mod wire;
mod xoauth2;

pub use channel_binding::ChannelBinding;
pub use client::{Client, Credentials};
pub use error::Error;
pub use mechanism::Mechanism;
pub use oauthbearer::OAuthError;
pub use scram::{ScramHash, ScramKeys};
/// The README's example, run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub use server::{
    Event, Failure, Outcome, Server, ServerConfig, ServerStep, StoredCredentials, Verdict,
    verify_password,
};

/// The client side of `mechanism`, which `credentials` can drive.
fn client_mechanism(
    mechanism: &Mechanism,
    credentials: &Credentials,
) -> Result<Box<dyn client::ClientMechanism>, Error> {
    let authcid = credentials.authcid.clone();
    let authzid = credentials.authzid.clone();
    let password = || {
        credentials
            .password
            .clone()
            .ok_or_else(|| Error::MissingCredentials {
                mechanism: mechanism.clone(),
                needed: "a password",
            })
    };
    let token = || {
        credentials
            .token
            .clone()
            .ok_or_else(|| Error::MissingCredentials {
                mechanism: mechanism.clone(),
                needed: "a bearer token",
            })
    };
    let m = mechanism;
    Ok(if *m == Mechanism::PLAIN {
        Box::new(plain::PlainClient::new(authzid, authcid, password()?))
    } else if *m == Mechanism::LOGIN {
        Box::new(login::LoginClient::new(authcid, password()?))
    } else if *m == Mechanism::CRAM_MD5 {
        Box::new(cram_md5::CramMd5Client::new(authcid, password()?))
    } else if scram::ScramHash::for_mechanism(m).is_some() {
        Box::new(scram::ScramClient::new(
            m,
            authcid,
            authzid,
            password()?,
            credentials.channel_binding.clone(),
            credentials.max_iterations,
        )?)
    } else if *m == Mechanism::XOAUTH2 {
        Box::new(xoauth2::Xoauth2Client::new(authcid, token()?))
    } else if *m == Mechanism::OAUTHBEARER {
        // RFC 7628 §3.1: the gs2 authzid names the user.
        let user = authzid.or_else(|| (!authcid.is_empty()).then_some(authcid));
        Box::new(oauthbearer::OAuthBearerClient::new(
            user,
            token()?,
            credentials.host.clone(),
            credentials.port,
        ))
    } else if *m == Mechanism::EXTERNAL {
        Box::new(external::ExternalClient::new(authzid))
    } else if *m == Mechanism::ANONYMOUS {
        Box::new(anonymous::AnonymousClient::new(authcid))
    } else {
        return Err(Error::UnsupportedMechanism(m.clone()));
    })
}

/// The server side of `mechanism`.
fn server_mechanism(
    mechanism: &Mechanism,
    config: &ServerConfig,
) -> Result<Box<dyn server::ServerMechanism>, Error> {
    let m = mechanism;
    Ok(if *m == Mechanism::PLAIN {
        Box::new(plain::PlainServer::new())
    } else if *m == Mechanism::LOGIN {
        Box::new(login::LoginServer::new())
    } else if *m == Mechanism::CRAM_MD5 {
        Box::new(cram_md5::CramMd5Server::new(&config.hostname))
    } else if scram::ScramHash::for_mechanism(m).is_some() {
        Box::new(scram::ScramServer::new(
            m,
            config.channel_binding.clone(),
            config.scram_mock_key.clone(),
        )?)
    } else if *m == Mechanism::XOAUTH2 {
        Box::new(xoauth2::Xoauth2Server::new())
    } else if *m == Mechanism::OAUTHBEARER {
        Box::new(oauthbearer::OAuthBearerServer::new())
    } else if *m == Mechanism::EXTERNAL {
        Box::new(external::ExternalServer::new(
            config.external_identity.clone(),
        ))
    } else if *m == Mechanism::ANONYMOUS {
        Box::new(anonymous::AnonymousServer::new())
    } else {
        return Err(Error::UnsupportedMechanism(m.clone()));
    })
}
