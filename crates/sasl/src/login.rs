//! `LOGIN` (draft-murchison-sasl-login): the server asks for the user name,
//! then for the password; each answer is one response.
//!
//! The mechanism was never standardised but every SMTP server and client
//! speaks it. Servers prompt with `Username:` and `Password:`; clients must
//! not depend on the prompt text.
//!
//! ```text
//! S: 334 VXNlcm5hbWU6        ("Username:")
//! C: dGlt                    ("tim")
//! S: 334 UGFzc3dvcmQ6        ("Password:")
//! C: dGFuc3RhYWZ0YW5zdGFhZg==
//! ```

use mailwire_core::Secret;

use crate::client::ClientMechanism;
use crate::error::malformed;
use crate::plain::{password_step, verdict_step};
use crate::server::{
    Event, Failure, ServerMechanism, ServerStep, StoredCredentials, Verdict, failure,
    out_of_order_answer, out_of_order_step,
};
use crate::util::{saslprep, utf8};
use crate::{Error, Mechanism};

/// The server's first prompt.
pub(crate) const USERNAME_PROMPT: &[u8] = b"Username:";
/// The server's second prompt.
pub(crate) const PASSWORD_PROMPT: &[u8] = b"Password:";

/// The client side: answers the first challenge with the user name and the
/// second with the password, whatever they say.
pub(crate) struct LoginClient {
    authcid: String,
    password: Secret<String>,
    answered: u8,
}

impl LoginClient {
    pub(crate) fn new(authcid: String, password: Secret<String>) -> Self {
        LoginClient {
            authcid,
            password,
            answered: 0,
        }
    }
}

impl ClientMechanism for LoginClient {
    fn initial(&mut self) -> Result<Option<Vec<u8>>, Error> {
        Ok(None)
    }

    fn step(&mut self, _challenge: &[u8]) -> Result<Vec<u8>, Error> {
        let response = match self.answered {
            0 => self.authcid.as_bytes().to_vec(),
            1 => self.password.expose_secret().as_bytes().to_vec(),
            _ => return Err(malformed("end of exchange")),
        };
        self.answered = self.answered.saturating_add(1);
        Ok(response)
    }
}

enum State {
    AwaitUsername,
    AwaitPassword {
        authcid: String,
    },
    AwaitAnswer {
        authcid: String,
        password: Secret<String>,
    },
    Ended,
}

/// The server side.
pub(crate) struct LoginServer {
    state: State,
}

impl LoginServer {
    pub(crate) fn new() -> Self {
        LoginServer {
            state: State::AwaitUsername,
        }
    }

    fn username(&mut self, data: &[u8]) -> Result<ServerStep, Error> {
        let authcid = utf8(data, "user name")?;
        if authcid.is_empty() {
            return Err(malformed("user name"));
        }
        self.state = State::AwaitPassword {
            authcid: authcid.to_owned(),
        };
        Ok(ServerStep::Challenge(PASSWORD_PROMPT.to_vec()))
    }
}

impl ServerMechanism for LoginServer {
    fn start(&mut self, initial: Option<&[u8]>) -> Result<ServerStep, Error> {
        match initial {
            // Deployed clients send the user name as an initial response
            // and deployed servers take it.
            Some(user) => self.username(user),
            None => Ok(ServerStep::Challenge(USERNAME_PROMPT.to_vec())),
        }
    }

    fn step(&mut self, response: &[u8]) -> Result<ServerStep, Error> {
        match std::mem::replace(&mut self.state, State::Ended) {
            State::AwaitUsername => self.username(response),
            State::AwaitPassword { authcid } => {
                let password = utf8(response, "password")?;
                if password.is_empty() {
                    return Err(malformed("password"));
                }
                // Prepared as PLAIN does (RFC 4616 §2), so that both check
                // passwords alike.
                let (Ok(authcid), Ok(password)) = (
                    saslprep(&authcid, "username"),
                    saslprep(password, "password"),
                ) else {
                    return Ok(failure(Failure::InvalidCredentials));
                };
                let password = Secret::new(password);
                self.state = State::AwaitAnswer {
                    authcid: authcid.clone(),
                    password: password.clone(),
                };
                Ok(ServerStep::Event(Event::PasswordReceived {
                    mechanism: Mechanism::LOGIN,
                    authcid,
                    authzid: None,
                    password,
                }))
            }
            State::AwaitAnswer { .. } | State::Ended => Err(out_of_order_step()),
        }
    }

    fn provide_credentials(
        &mut self,
        credentials: Option<StoredCredentials>,
    ) -> Result<ServerStep, Error> {
        let State::AwaitAnswer { authcid, password } =
            std::mem::replace(&mut self.state, State::Ended)
        else {
            return Err(out_of_order_answer());
        };
        password_step(credentials, authcid, None, &password)
    }

    fn provide_verdict(&mut self, verdict: Verdict) -> Result<ServerStep, Error> {
        let State::AwaitAnswer { authcid, .. } = std::mem::replace(&mut self.state, State::Ended)
        else {
            return Err(out_of_order_answer());
        };
        Ok(verdict_step(verdict, authcid, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_and_errors() {
        let mut server = LoginServer::new();
        assert_eq!(
            server.start(None).unwrap(),
            ServerStep::Challenge(b"Username:".to_vec())
        );
        assert_eq!(server.step(b""), Err(malformed("user name")));

        let mut server = LoginServer::new();
        assert_eq!(
            server.start(Some(b"tim")).unwrap(),
            ServerStep::Challenge(b"Password:".to_vec())
        );
        assert_eq!(server.step(b"\xff"), Err(malformed("password")));

        let mut client = LoginClient::new("tim".into(), Secret::new("pw".into()));
        assert_eq!(client.step(b"User Name\0").unwrap(), b"tim");
        assert_eq!(client.step(b"").unwrap(), b"pw");
        assert_eq!(client.step(b"?"), Err(malformed("end of exchange")));
    }
}
