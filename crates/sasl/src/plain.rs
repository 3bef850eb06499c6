//! `PLAIN` (RFC 4616): one client message with the password in clear.
//!
//! ```abnf
//! message   = [authzid] UTF8NUL authcid UTF8NUL passwd
//! authcid   = 1*SAFE ; MUST accept up to 255 octets
//! authzid   = 1*SAFE ; MUST accept up to 255 octets
//! passwd    = 1*SAFE ; MUST accept up to 255 octets
//! ```

use mailwire_core::Secret;

use crate::client::ClientMechanism;
use crate::error::malformed;
use crate::server::{
    Event, Failure, ServerMechanism, ServerStep, StoredCredentials, Verdict, check_password,
    failure, out_of_order_answer, out_of_order_step, success,
};
use crate::util::{saslprep, split, utf8};
use crate::{Error, Mechanism};

/// The client side: sends `authzid NUL authcid NUL passwd` at once.
pub(crate) struct PlainClient {
    authzid: Option<String>,
    authcid: String,
    password: Secret<String>,
}

impl PlainClient {
    pub(crate) fn new(authzid: Option<String>, authcid: String, password: Secret<String>) -> Self {
        PlainClient {
            authzid,
            authcid,
            password,
        }
    }
}

/// Encodes the RFC 4616 §2 message.
pub(crate) fn encode_message(
    authzid: Option<&str>,
    authcid: &str,
    password: &str,
) -> Result<Vec<u8>, Error> {
    if authcid.is_empty() || authcid.contains('\0') {
        return Err(malformed("authcid"));
    }
    if password.is_empty() || password.contains('\0') {
        return Err(malformed("passwd"));
    }
    if authzid.is_some_and(|a| a.contains('\0')) {
        return Err(malformed("authzid"));
    }
    let authzid = authzid.unwrap_or("");
    let mut message = Vec::with_capacity(authzid.len() + authcid.len() + password.len() + 2);
    message.extend_from_slice(authzid.as_bytes());
    message.push(0);
    message.extend_from_slice(authcid.as_bytes());
    message.push(0);
    message.extend_from_slice(password.as_bytes());
    Ok(message)
}

impl ClientMechanism for PlainClient {
    fn initial(&mut self) -> Result<Option<Vec<u8>>, Error> {
        encode_message(
            self.authzid.as_deref(),
            &self.authcid,
            self.password.expose_secret(),
        )
        .map(Some)
    }

    fn step(&mut self, _challenge: &[u8]) -> Result<Vec<u8>, Error> {
        // The mechanism has a single message: a challenge after it is the
        // server's fault.
        Err(malformed("end of exchange"))
    }
}

/// A decoded `PLAIN` message.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PlainMessage {
    pub(crate) authzid: Option<String>,
    pub(crate) authcid: String,
    pub(crate) password: Secret<String>,
}

/// Parses the RFC 4616 §2 message, without preparing the strings.
pub(crate) fn parse_message(message: &[u8]) -> Result<PlainMessage, Error> {
    let mut parts = split(message, 0);
    let (Some(authzid), Some(authcid), Some(password), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed("message"));
    };
    let authzid = utf8(authzid, "authzid")?;
    let authcid = utf8(authcid, "authcid")?;
    let password = utf8(password, "passwd")?;
    if authcid.is_empty() {
        return Err(malformed("authcid"));
    }
    if password.is_empty() {
        return Err(malformed("passwd"));
    }
    Ok(PlainMessage {
        authzid: (!authzid.is_empty()).then(|| authzid.to_owned()),
        authcid: authcid.to_owned(),
        password: Secret::new(password.to_owned()),
    })
}

enum State {
    Start,
    AwaitMessage,
    AwaitAnswer {
        authcid: String,
        authzid: Option<String>,
        password: Secret<String>,
    },
    Ended,
}

/// The server side: parses the message and asks for a verdict.
pub(crate) struct PlainServer {
    state: State,
}

impl PlainServer {
    pub(crate) fn new() -> Self {
        PlainServer {
            state: State::Start,
        }
    }

    fn message(&mut self, message: &[u8]) -> Result<ServerStep, Error> {
        let PlainMessage {
            authzid,
            authcid,
            password,
        } = parse_message(message)?;
        // RFC 4616 §2: prepare with SASLprep; a failed preparation fails
        // the verification, it is not a protocol error.
        let (Ok(authcid), Ok(password)) = (
            saslprep(&authcid, "username"),
            saslprep(password.expose_secret(), "password"),
        ) else {
            self.state = State::Ended;
            return Ok(failure(Failure::InvalidCredentials));
        };
        let password = Secret::new(password);
        self.state = State::AwaitAnswer {
            authcid: authcid.clone(),
            authzid: authzid.clone(),
            password: password.clone(),
        };
        Ok(ServerStep::Event(Event::PasswordReceived {
            mechanism: Mechanism::PLAIN,
            authcid,
            authzid,
            password,
        }))
    }
}

impl ServerMechanism for PlainServer {
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
        match self.state {
            State::AwaitMessage => self.message(response),
            _ => Err(out_of_order_step()),
        }
    }

    fn provide_credentials(
        &mut self,
        credentials: Option<StoredCredentials>,
    ) -> Result<ServerStep, Error> {
        let State::AwaitAnswer {
            authcid,
            authzid,
            password,
        } = std::mem::replace(&mut self.state, State::Ended)
        else {
            return Err(out_of_order_answer());
        };
        password_step(credentials, authcid, authzid, &password)
    }

    fn provide_verdict(&mut self, verdict: Verdict) -> Result<ServerStep, Error> {
        let State::AwaitAnswer {
            authcid, authzid, ..
        } = std::mem::replace(&mut self.state, State::Ended)
        else {
            return Err(out_of_order_answer());
        };
        Ok(verdict_step(verdict, authcid, authzid))
    }
}

/// The step that stored credentials lead to, for `PLAIN` and `LOGIN`.
pub(crate) fn password_step(
    credentials: Option<StoredCredentials>,
    authcid: String,
    authzid: Option<String>,
    password: &Secret<String>,
) -> Result<ServerStep, Error> {
    let Some(stored) = credentials else {
        return Ok(failure(Failure::UnknownUser));
    };
    Ok(if check_password(password.expose_secret(), &stored)? {
        success(authcid, authzid)
    } else {
        failure(Failure::InvalidCredentials)
    })
}

/// The step that a verdict leads to, for mechanisms that report `authcid`.
pub(crate) fn verdict_step(
    verdict: Verdict,
    authcid: String,
    authzid: Option<String>,
) -> ServerStep {
    match verdict {
        Verdict::Accept => success(authcid, authzid),
        Verdict::Reject | Verdict::RejectToken(_) => failure(Failure::InvalidCredentials),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::Outcome;

    #[test]
    fn rfc4616_examples() {
        // §4, first example.
        let m = parse_message(b"\0tim\0tanstaaftanstaaf").unwrap();
        assert_eq!(m.authzid, None);
        assert_eq!(m.authcid, "tim");
        assert_eq!(m.password.expose_secret(), "tanstaaftanstaaf");
        // §4, second example: Kurt asks to act as Ursel.
        let m = parse_message(b"Ursel\0Kurt\0xipj3plmq").unwrap();
        assert_eq!(m.authzid.as_deref(), Some("Ursel"));
        assert_eq!(m.authcid, "Kurt");
        assert_eq!(
            encode_message(Some("Ursel"), "Kurt", "xipj3plmq").unwrap(),
            b"Ursel\0Kurt\0xipj3plmq"
        );
        assert_eq!(
            encode_message(None, "tim", "tanstaaftanstaaf").unwrap(),
            b"\0tim\0tanstaaftanstaaf"
        );
    }

    #[test]
    fn malformed_messages() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "message"),
            (b"tim", "message"),
            (b"\0tim", "message"),
            (b"\0tim\0pw\0", "message"),
            (b"\0\0pw", "authcid"),
            (b"\0tim\0", "passwd"),
            (b"\xff\0tim\0pw", "authzid"),
            (b"\0t\xffm\0pw", "authcid"),
            (b"\0tim\0p\xc3", "passwd"),
        ];
        for (message, expected) in cases {
            assert_eq!(
                parse_message(message),
                Err(Error::Malformed { expected }),
                "{message:?}"
            );
        }
        assert_eq!(encode_message(None, "", "x"), Err(malformed("authcid")));
        assert_eq!(encode_message(None, "a\0", "x"), Err(malformed("authcid")));
        assert_eq!(encode_message(None, "a", ""), Err(malformed("passwd")));
        assert_eq!(
            encode_message(Some("\0"), "a", "b"),
            Err(malformed("authzid"))
        );
    }

    #[test]
    fn server_prepares_strings() {
        let mut server = PlainServer::new();
        // U+00AD SOFT HYPHEN maps to nothing, U+2168 ROMAN NUMERAL NINE to
        // "IX" (RFC 4013 §3).
        let step = server
            .start(Some("\0us\u{ad}er\0\u{2168}".as_bytes()))
            .unwrap();
        let ServerStep::Event(Event::PasswordReceived {
            authcid, password, ..
        }) = step
        else {
            panic!("{step:?}")
        };
        assert_eq!(authcid, "user");
        assert_eq!(password.expose_secret(), "IX");
        // A prohibited character fails verification.
        let mut server = PlainServer::new();
        assert_eq!(
            server.start(Some(b"\0user\0a\x07b")).unwrap(),
            ServerStep::Done(Outcome::Failure(Failure::InvalidCredentials))
        );
    }
}
