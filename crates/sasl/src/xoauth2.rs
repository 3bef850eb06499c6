//! `XOAUTH2`: the OAuth 2.0 mechanism of Gmail and Outlook, which predates
//! `OAUTHBEARER` (RFC 7628) and is still the one most providers offer.
//!
//! ```text
//! C: user=someuser@example.com^Aauth=Bearer vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg==^A^A
//! S: (success)
//! ```
//!
//! On failure the server sends a JSON error (as in RFC 7628 §3.2.2, e.g.
//! `{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}`)
//! as a challenge, the client answers with an empty response and the
//! server fails the exchange.

use mailwire_core::Secret;

use crate::client::ClientMechanism;
use crate::error::malformed;
use crate::oauthbearer::{OAuthError, parse_bearer};
use crate::server::{
    Event, Failure, ServerMechanism, ServerStep, Verdict, failure, out_of_order_answer,
    out_of_order_step, success,
};
use crate::util::utf8;
use crate::{Error, Mechanism};

/// The client message.
pub(crate) fn encode_message(user: &str, token: &str) -> Result<Vec<u8>, Error> {
    if user.contains('\u{1}') {
        return Err(malformed("user"));
    }
    if token.contains('\u{1}') || token.contains(' ') {
        return Err(malformed("auth"));
    }
    Ok(format!("user={user}\u{1}auth=Bearer {token}\u{1}\u{1}").into_bytes())
}

/// The client side.
pub(crate) struct Xoauth2Client {
    user: String,
    token: Secret<String>,
    answered_error: bool,
    error: Option<OAuthError>,
}

impl Xoauth2Client {
    pub(crate) fn new(user: String, token: Secret<String>) -> Self {
        Xoauth2Client {
            user,
            token,
            answered_error: false,
            error: None,
        }
    }
}

impl ClientMechanism for Xoauth2Client {
    fn initial(&mut self) -> Result<Option<Vec<u8>>, Error> {
        encode_message(&self.user, self.token.expose_secret()).map(Some)
    }

    fn step(&mut self, challenge: &[u8]) -> Result<Vec<u8>, Error> {
        if self.answered_error {
            return Err(malformed("end of exchange"));
        }
        // A challenge after the message is the error; an empty response
        // lets the server fail the exchange.
        self.answered_error = true;
        self.error = OAuthError::from_json(challenge).ok();
        Ok(Vec::new())
    }

    fn oauth_error(&self) -> Option<&OAuthError> {
        self.error.as_ref()
    }
}

/// Parses `user=<user>^Aauth=Bearer <token>^A^A`.
pub(crate) fn parse_message(message: &[u8]) -> Result<(String, Secret<String>), Error> {
    let text = utf8(message, "xoauth2 message")?;
    let pairs = text
        .strip_suffix("\u{1}\u{1}")
        .ok_or_else(|| malformed("xoauth2 message"))?;
    let mut user = None;
    let mut token = None;
    for pair in pairs.split('\u{1}') {
        let (key, value) = pair.split_once('=').ok_or_else(|| malformed("kvpair"))?;
        match key {
            "user" if !value.is_empty() => user = Some(value.to_owned()),
            "auth" if !value.is_empty() => token = Some(parse_bearer(value)?),
            _ => {}
        }
    }
    match (user, token) {
        (Some(user), Some(token)) => Ok((user, token)),
        (None, _) => Err(malformed("user")),
        (Some(_), None) => Err(malformed("auth")),
    }
}

enum State {
    Start,
    AwaitMessage,
    AwaitVerdict { user: String },
    AwaitEmpty,
    Ended,
}

/// The server side.
pub(crate) struct Xoauth2Server {
    state: State,
}

impl Xoauth2Server {
    pub(crate) fn new() -> Self {
        Xoauth2Server {
            state: State::Start,
        }
    }

    fn message(&mut self, message: &[u8]) -> Result<ServerStep, Error> {
        let (user, token) = parse_message(message)?;
        self.state = State::AwaitVerdict { user: user.clone() };
        Ok(ServerStep::Event(Event::TokenReceived {
            mechanism: Mechanism::XOAUTH2,
            user,
            token,
            host: None,
            port: None,
        }))
    }
}

impl ServerMechanism for Xoauth2Server {
    fn start(&mut self, initial: Option<&[u8]>) -> Result<ServerStep, Error> {
        match initial {
            Some(message) => self.message(message),
            None => {
                self.state = State::AwaitMessage;
                Ok(ServerStep::Challenge(Vec::new()))
            }
        }
    }

    fn step(&mut self, response: &[u8]) -> Result<ServerStep, Error> {
        match std::mem::replace(&mut self.state, State::Ended) {
            State::AwaitMessage => self.message(response),
            // Whatever the client answers to the error, the exchange fails.
            State::AwaitEmpty => Ok(failure(Failure::InvalidCredentials)),
            _ => Err(out_of_order_step()),
        }
    }

    fn provide_verdict(&mut self, verdict: Verdict) -> Result<ServerStep, Error> {
        let State::AwaitVerdict { user } = std::mem::replace(&mut self.state, State::Ended) else {
            return Err(out_of_order_answer());
        };
        match verdict {
            Verdict::Accept => Ok(success(user, None)),
            Verdict::Reject => Ok(failure(Failure::InvalidCredentials)),
            Verdict::RejectToken(error) => {
                self.state = State::AwaitEmpty;
                Ok(ServerStep::Challenge(error.to_json().into_bytes()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_format() {
        let message = encode_message(
            "someuser@example.com",
            "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg",
        )
        .unwrap();
        assert_eq!(
            message,
            b"user=someuser@example.com\x01auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\x01\x01"
        );
        let (user, token) = parse_message(&message).unwrap();
        assert_eq!(user, "someuser@example.com");
        assert_eq!(
            token.expose_secret(),
            "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"
        );
    }

    #[test]
    fn malformed_messages() {
        let cases: &[(&[u8], &str)] = &[
            (b"user=a\x01auth=Bearer t\x01", "xoauth2 message"),
            (b"user=a\x01auth\x01\x01", "kvpair"),
            (b"auth=Bearer t\x01\x01", "user"),
            (b"user=a\x01\x01", "auth"),
            (b"user=a\x01auth=Basic t\x01\x01", "auth"),
            (b"user=\xff\x01\x01", "xoauth2 message"),
        ];
        for (message, expected) in cases {
            assert_eq!(
                parse_message(message).err(),
                Some(Error::Malformed { expected }),
                "{message:?}"
            );
        }
        assert_eq!(encode_message("a\u{1}", "t"), Err(malformed("user")));
        assert_eq!(encode_message("a", "t t"), Err(malformed("auth")));
    }
}
