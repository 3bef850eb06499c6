//! `EXTERNAL` (RFC 4422 Appendix A): authentication established outside
//! SASL, usually by a TLS client certificate.
//!
//! The client sends one message, the authorization identity it asks for
//! (possibly empty):
//!
//! ```abnf
//! external-initial-resp = [ authz-id-string ]
//! authz-id-string       = 1*( UTF8-char-no-nul )
//! ```

use crate::Error;
use crate::client::ClientMechanism;
use crate::error::malformed;
use crate::plain::verdict_step;
use crate::server::{
    Event, Failure, ServerMechanism, ServerStep, Verdict, failure, out_of_order_answer,
    out_of_order_step,
};
use crate::util::utf8;

/// The client side: sends the authorization identity.
pub(crate) struct ExternalClient {
    authzid: Option<String>,
}

impl ExternalClient {
    pub(crate) fn new(authzid: Option<String>) -> Self {
        ExternalClient { authzid }
    }
}

impl ClientMechanism for ExternalClient {
    fn initial(&mut self) -> Result<Option<Vec<u8>>, Error> {
        let authzid = self.authzid.as_deref().unwrap_or("");
        if authzid.contains('\0') {
            return Err(malformed("authz-id-string"));
        }
        Ok(Some(authzid.as_bytes().to_vec()))
    }

    fn step(&mut self, _challenge: &[u8]) -> Result<Vec<u8>, Error> {
        // The mechanism has a single message: a challenge after it is the
        // server's fault.
        Err(malformed("end of exchange"))
    }
}

enum State {
    Start,
    AwaitMessage,
    AwaitVerdict {
        identity: String,
        authzid: Option<String>,
    },
    Ended,
}

/// The server side: reports the external identity and the requested
/// authorization identity to the application.
pub(crate) struct ExternalServer {
    identity: Option<String>,
    state: State,
}

impl ExternalServer {
    pub(crate) fn new(identity: Option<String>) -> Self {
        ExternalServer {
            identity,
            state: State::Start,
        }
    }

    fn message(&mut self, message: &[u8]) -> Result<ServerStep, Error> {
        let authzid = utf8(message, "authz-id-string")?;
        if authzid.contains('\0') {
            return Err(malformed("authz-id-string"));
        }
        let Some(identity) = self.identity.clone() else {
            self.state = State::Ended;
            return Ok(failure(Failure::InvalidCredentials));
        };
        let authzid = (!authzid.is_empty()).then(|| authzid.to_owned());
        self.state = State::AwaitVerdict {
            identity: identity.clone(),
            authzid: authzid.clone(),
        };
        Ok(ServerStep::Event(Event::ExternalRequested {
            identity,
            authzid,
        }))
    }
}

impl ServerMechanism for ExternalServer {
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

    fn provide_verdict(&mut self, verdict: Verdict) -> Result<ServerStep, Error> {
        let State::AwaitVerdict { identity, authzid } =
            std::mem::replace(&mut self.state, State::Ended)
        else {
            return Err(out_of_order_answer());
        };
        Ok(verdict_step(verdict, identity, authzid))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        let mut server = ExternalServer::new(Some("cn=alice".into()));
        assert_eq!(
            server.start(Some(b"")).unwrap(),
            ServerStep::Event(Event::ExternalRequested {
                identity: "cn=alice".into(),
                authzid: None
            })
        );
        let mut server = ExternalServer::new(Some("cn=alice".into()));
        assert_eq!(
            server.start(Some(b"a\0b")),
            Err(malformed("authz-id-string"))
        );
        let mut server = ExternalServer::new(Some("cn=alice".into()));
        assert_eq!(
            server.start(Some(b"\xc3")),
            Err(malformed("authz-id-string"))
        );
        let mut server = ExternalServer::new(None);
        assert_eq!(
            server.start(Some(b"bob")).unwrap(),
            failure(Failure::InvalidCredentials)
        );
    }
}
