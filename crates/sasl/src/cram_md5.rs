//! `CRAM-MD5` (RFC 2195): the server sends a unique challenge, the client
//! answers with its user name and the keyed MD5 digest of the challenge.
//!
//! ```text
//! S: + PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+
//!      (<1896.697170952@postoffice.reston.mci.net>)
//! C: dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw
//!      (tim b913a602c7eda7a495b4e6e7334d3890)
//! ```
//!
//! The digest is `HMAC-MD5(password, challenge)` in lower-case hex (RFC
//! 2195 §2, RFC 2104). The server needs the plaintext password.

use std::fmt::Write as _;

use hmac::{Hmac, Mac};
use mailwire_core::Secret;
use md5::Md5;

use crate::client::ClientMechanism;
use crate::error::malformed;
use crate::server::{
    Event, Failure, ServerMechanism, ServerStep, StoredCredentials, failure, out_of_order_answer,
    out_of_order_step, success,
};
use crate::util::{random_bytes, utf8};
use crate::{Error, Mechanism};

fn new_mac(password: &[u8]) -> Result<Hmac<Md5>, Error> {
    Hmac::<Md5>::new_from_slice(password).map_err(|_| Error::UnsuitableCredentials {
        expected: "an HMAC key",
    })
}

/// `user SP digest`, the client's response to `challenge`.
pub(crate) fn response(user: &str, password: &str, challenge: &[u8]) -> Result<Vec<u8>, Error> {
    let mut mac = new_mac(password.as_bytes())?;
    mac.update(challenge);
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(user.len() + 33);
    out.push_str(user);
    out.push(' ');
    for byte in digest {
        let _ = write!(out, "{byte:02x}");
    }
    Ok(out.into_bytes())
}

/// The client side.
pub(crate) struct CramMd5Client {
    authcid: String,
    password: Secret<String>,
    answered: bool,
}

impl CramMd5Client {
    pub(crate) fn new(authcid: String, password: Secret<String>) -> Self {
        CramMd5Client {
            authcid,
            password,
            answered: false,
        }
    }
}

impl ClientMechanism for CramMd5Client {
    fn initial(&mut self) -> Result<Option<Vec<u8>>, Error> {
        Ok(None)
    }

    fn step(&mut self, challenge: &[u8]) -> Result<Vec<u8>, Error> {
        if self.answered {
            return Err(malformed("end of exchange"));
        }
        if challenge.is_empty() {
            return Err(malformed("msg-id"));
        }
        self.answered = true;
        response(&self.authcid, self.password.expose_secret(), challenge)
    }
}

enum State {
    Start,
    AwaitResponse,
    AwaitCredentials { authcid: String, digest: Vec<u8> },
    Ended,
}

/// The server side.
pub(crate) struct CramMd5Server {
    challenge: Vec<u8>,
    hostname: String,
    state: State,
}

impl CramMd5Server {
    pub(crate) fn new(hostname: &str) -> Self {
        CramMd5Server {
            challenge: Vec::new(),
            hostname: hostname.to_owned(),
            state: State::Start,
        }
    }

    /// Uses `challenge` instead of a random one (known-answer tests).
    #[cfg(test)]
    fn with_challenge(mut self, challenge: &[u8]) -> Self {
        self.challenge = challenge.to_vec();
        self
    }
}

/// Decodes 32 hex digits.
fn decode_hex(hex: &[u8]) -> Option<Vec<u8>> {
    if hex.len() != 32 || !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    hex.chunks(2)
        .map(|pair| {
            let text = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(text, 16).ok()
        })
        .collect()
}

impl ServerMechanism for CramMd5Server {
    fn start(&mut self, initial: Option<&[u8]>) -> Result<ServerStep, Error> {
        if initial.is_some() {
            return Err(Error::UnexpectedInitialResponse);
        }
        if self.challenge.is_empty() {
            // RFC 2195 §2: a msg-id that is unique to this exchange. No
            // clock here, so both parts are random.
            let mut random = [0; 16];
            random_bytes(&mut random)?;
            let (a, b) = random.split_at(8);
            let a = u64::from_be_bytes(a.try_into().unwrap_or_default());
            let b = u64::from_be_bytes(b.try_into().unwrap_or_default());
            self.challenge = format!("<{a}.{b}@{}>", self.hostname).into_bytes();
        }
        self.state = State::AwaitResponse;
        Ok(ServerStep::Challenge(self.challenge.clone()))
    }

    fn step(&mut self, response: &[u8]) -> Result<ServerStep, Error> {
        if !matches!(
            std::mem::replace(&mut self.state, State::Ended),
            State::AwaitResponse
        ) {
            return Err(out_of_order_step());
        }
        let text = utf8(response, "user SP digest")?;
        let (authcid, digest) = text
            .rsplit_once(' ')
            .ok_or_else(|| malformed("user SP digest"))?;
        if authcid.is_empty() {
            return Err(malformed("user"));
        }
        let digest = decode_hex(digest.as_bytes()).ok_or_else(|| malformed("digest"))?;
        self.state = State::AwaitCredentials {
            authcid: authcid.to_owned(),
            digest,
        };
        Ok(ServerStep::Event(Event::CredentialsNeeded {
            mechanism: Mechanism::CRAM_MD5,
            authcid: authcid.to_owned(),
            authzid: None,
        }))
    }

    fn provide_credentials(
        &mut self,
        credentials: Option<StoredCredentials>,
    ) -> Result<ServerStep, Error> {
        let State::AwaitCredentials { authcid, digest } =
            std::mem::replace(&mut self.state, State::Ended)
        else {
            return Err(out_of_order_answer());
        };
        let password = match credentials {
            None => return Ok(failure(Failure::UnknownUser)),
            Some(StoredCredentials::Password(password)) => password,
            Some(_) => {
                return Err(Error::UnsuitableCredentials {
                    expected: "the plaintext password",
                });
            }
        };
        let mut mac = new_mac(password.expose_secret().as_bytes())?;
        mac.update(&self.challenge);
        // `verify_slice` compares in constant time.
        Ok(if mac.verify_slice(&digest).is_ok() {
            success(authcid, None)
        } else {
            failure(Failure::InvalidCredentials)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::Outcome;

    const CHALLENGE: &[u8] = b"<1896.697170952@postoffice.reston.mci.net>";

    #[test]
    fn rfc2195_section2() {
        assert_eq!(
            response("tim", "tanstaaftanstaaf", CHALLENGE).unwrap(),
            b"tim b913a602c7eda7a495b4e6e7334d3890"
        );
        let mut server = CramMd5Server::new("unused").with_challenge(CHALLENGE);
        assert_eq!(
            server.start(None).unwrap(),
            ServerStep::Challenge(CHALLENGE.to_vec())
        );
        assert!(matches!(
            server.step(b"tim B913A602C7EDA7A495B4E6E7334D3890").unwrap(),
            ServerStep::Event(Event::CredentialsNeeded { ref authcid, .. }) if authcid == "tim"
        ));
        assert_eq!(
            server
                .provide_credentials(Some(StoredCredentials::Password(Secret::new(
                    "tanstaaftanstaaf".into()
                ))))
                .unwrap(),
            ServerStep::Done(Outcome::Success {
                authcid: "tim".into(),
                authzid: None
            })
        );
    }

    #[test]
    fn random_challenge_is_msg_id() {
        let mut server = CramMd5Server::new("mx.example.com");
        let ServerStep::Challenge(challenge) = server.start(None).unwrap() else {
            panic!()
        };
        let text = String::from_utf8(challenge).unwrap();
        assert!(
            text.starts_with('<') && text.ends_with("@mx.example.com>"),
            "{text}"
        );
        assert_eq!(
            CramMd5Server::new("x").start(Some(b"")),
            Err(Error::UnexpectedInitialResponse)
        );
    }

    #[test]
    fn malformed_responses() {
        let cases: &[(&[u8], &str)] = &[
            (b"tim", "user SP digest"),
            (b" b913a602c7eda7a495b4e6e7334d3890", "user"),
            (b"tim b913a602c7eda7a495b4e6e7334d389", "digest"),
            (b"tim b913a602c7eda7a495b4e6e7334d389g", "digest"),
            (b"tim +913a602c7eda7a495b4e6e7334d3890", "digest"),
            (b"t\xffm b913a602c7eda7a495b4e6e7334d3890", "user SP digest"),
        ];
        for (response, expected) in cases {
            let mut server = CramMd5Server::new("x");
            let _ = server.start(None).unwrap();
            assert_eq!(
                server.step(response),
                Err(Error::Malformed { expected }),
                "{response:?}"
            );
        }
    }
}
