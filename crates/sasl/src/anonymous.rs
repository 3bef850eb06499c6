//! `ANONYMOUS` (RFC 4505): access without credentials, with optional trace
//! information.
//!
//! ```abnf
//! message     = [ email / token ]
//! token       = 1*255TCHAR    ; any UTF-8 character except "@"
//! ```

use crate::Error;
use crate::client::ClientMechanism;
use crate::error::malformed;
use crate::plain::verdict_step;
use crate::server::{
    Event, ServerMechanism, ServerStep, Verdict, out_of_order_answer, out_of_order_step,
};
use crate::util::utf8;

/// The longest trace RFC 4505 §2 allows, in characters: 255 for a token;
/// an email address is held to the same bound times four (1020 octets).
const MAX_TRACE_OCTETS: usize = 1020;

/// The client side: sends the trace information.
pub(crate) struct AnonymousClient {
    trace: String,
}

impl AnonymousClient {
    pub(crate) fn new(trace: String) -> Self {
        AnonymousClient { trace }
    }
}

impl ClientMechanism for AnonymousClient {
    fn initial(&mut self) -> Result<Option<Vec<u8>>, Error> {
        check_trace(&self.trace)?;
        Ok(Some(self.trace.as_bytes().to_vec()))
    }

    fn step(&mut self, _challenge: &[u8]) -> Result<Vec<u8>, Error> {
        // The mechanism has a single message: a challenge after it is the
        // server's fault.
        Err(malformed("end of exchange"))
    }
}

/// Checks the RFC 4505 §2 grammar, loosely for email (an `@` is allowed)
/// and strictly for the bounds and control characters (§3: C.2.1, C.2.2).
fn check_trace(trace: &str) -> Result<(), Error> {
    let too_long = if trace.contains('@') {
        trace.len() > MAX_TRACE_OCTETS
    } else {
        trace.chars().count() > 255
    };
    if too_long || trace.chars().any(char::is_control) {
        return Err(malformed("trace"));
    }
    Ok(())
}

enum State {
    Start,
    AwaitMessage,
    AwaitVerdict,
    Ended,
}

/// The server side: reports the trace and asks whether anonymous access
/// is allowed.
pub(crate) struct AnonymousServer {
    state: State,
}

impl AnonymousServer {
    pub(crate) fn new() -> Self {
        AnonymousServer {
            state: State::Start,
        }
    }

    fn message(&mut self, message: &[u8]) -> Result<ServerStep, Error> {
        let trace = utf8(message, "trace")?;
        check_trace(trace)?;
        self.state = State::AwaitVerdict;
        Ok(ServerStep::Event(Event::AnonymousRequested {
            trace: trace.to_owned(),
        }))
    }
}

impl ServerMechanism for AnonymousServer {
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
        if !matches!(
            std::mem::replace(&mut self.state, State::Ended),
            State::AwaitVerdict
        ) {
            return Err(out_of_order_answer());
        }
        Ok(verdict_step(verdict, String::from("anonymous"), None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4505_example_and_bounds() {
        // RFC 4505 §4: "sirhc" as trace.
        let mut server = AnonymousServer::new();
        assert_eq!(
            server.start(Some(b"sirhc")).unwrap(),
            ServerStep::Event(Event::AnonymousRequested {
                trace: "sirhc".into()
            })
        );
        assert!(check_trace(&"é".repeat(255)).is_ok());
        assert_eq!(check_trace(&"é".repeat(256)), Err(malformed("trace")));
        assert!(check_trace(&format!("{}@example.com", "a".repeat(300))).is_ok());
        assert_eq!(check_trace("a\nb"), Err(malformed("trace")));
        let mut server = AnonymousServer::new();
        assert_eq!(server.start(Some(b"\xff")), Err(malformed("trace")));
    }
}
