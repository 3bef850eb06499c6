//! `OAUTHBEARER` (RFC 7628): an OAuth 2.0 bearer token (RFC 6750) in a
//! GS2-style message, and the JSON error a server sends on failure.
//!
//! ```abnf
//! kvsep          = %x01
//! key            = 1*(ALPHA)
//! value          = *(VCHAR / SP / HTAB / CR / LF )
//! kvpair         = key "=" value kvsep
//! client-resp    = (gs2-header kvsep *kvpair kvsep) / kvsep
//! ```
//!
//! A failed exchange takes one more round (RFC 7628 §3.2.3): the server
//! sends the error as a challenge, the client answers with a lone `%x01`,
//! and the server fails the exchange.
//!
//! ```text
//! C: n,a=user@example.com,^Ahost=server.example.com^Aport=143^Aauth=^A^A
//! S: {"status":"invalid_token","scope":"example_scope",...}
//! C: ^A
//! S: (failure)
//! ```

use mailwire_core::Secret;

use crate::client::ClientMechanism;
use crate::error::malformed;
use crate::server::{
    Event, Failure, ServerMechanism, ServerStep, Verdict, failure, out_of_order_answer,
    out_of_order_step, success,
};
use crate::util::utf8;
use crate::{Error, Mechanism, json};

const KVSEP: u8 = 0x01;

/// The error a server returns for a failed OAuth exchange (RFC 7628
/// §3.2.2), also used by `XOAUTH2`.
///
/// ```
/// use mailwire_sasl::OAuthError;
///
/// let error = OAuthError::new("invalid_token").with_scope("example_scope");
/// let json = error.to_json();
/// assert_eq!(json, r#"{"status":"invalid_token","scope":"example_scope"}"#);
/// assert_eq!(OAuthError::from_json(json.as_bytes()).unwrap(), error);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    status: String,
    scope: Option<String>,
    openid_configuration: Option<String>,
    schemes: Option<String>,
}

impl OAuthError {
    /// An error with `status`, an OAuth error code such as
    /// `invalid_token` (RFC 6750 §3.1).
    ///
    /// ```
    /// assert_eq!(mailwire_sasl::OAuthError::new("invalid_token").status(), "invalid_token");
    /// ```
    pub fn new(status: impl Into<String>) -> Self {
        OAuthError {
            status: status.into(),
            scope: None,
            openid_configuration: None,
            schemes: None,
        }
    }

    /// Sets the scope a token needs to access the service.
    ///
    /// ```
    /// let e = mailwire_sasl::OAuthError::new("invalid_token").with_scope("mail");
    /// assert_eq!(e.scope(), Some("mail"));
    /// ```
    pub fn with_scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Sets the URL of the OpenID Provider Configuration document.
    ///
    /// ```
    /// let e = mailwire_sasl::OAuthError::new("invalid_token")
    ///     .with_openid_configuration("https://example.com/.well-known/openid-configuration");
    /// assert!(e.openid_configuration().is_some());
    /// ```
    pub fn with_openid_configuration(mut self, url: impl Into<String>) -> Self {
        self.openid_configuration = Some(url.into());
        self
    }

    /// Sets the accepted token schemes (`schemes`, RFC 7628 §4.4 and
    /// `XOAUTH2`).
    ///
    /// ```
    /// let e = mailwire_sasl::OAuthError::new("401").with_schemes("bearer");
    /// assert_eq!(e.schemes(), Some("bearer"));
    /// ```
    pub fn with_schemes(mut self, schemes: impl Into<String>) -> Self {
        self.schemes = Some(schemes.into());
        self
    }

    /// The error code.
    ///
    /// ```
    /// assert_eq!(mailwire_sasl::OAuthError::new("401").status(), "401");
    /// ```
    pub fn status(&self) -> &str {
        &self.status
    }

    /// The scope a token needs, if the server named one.
    ///
    /// ```
    /// assert_eq!(mailwire_sasl::OAuthError::new("401").scope(), None);
    /// ```
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }

    /// The OpenID configuration URL, if the server sent one.
    ///
    /// ```
    /// assert_eq!(mailwire_sasl::OAuthError::new("401").openid_configuration(), None);
    /// ```
    pub fn openid_configuration(&self) -> Option<&str> {
        self.openid_configuration.as_deref()
    }

    /// The accepted token schemes, if the server sent them.
    ///
    /// ```
    /// assert_eq!(mailwire_sasl::OAuthError::new("401").schemes(), None);
    /// ```
    pub fn schemes(&self) -> Option<&str> {
        self.schemes.as_deref()
    }

    /// The error as a JSON object (RFC 7628 §3.2.2).
    ///
    /// ```
    /// assert_eq!(mailwire_sasl::OAuthError::new("401").to_json(), r#"{"status":"401"}"#);
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::from("{");
        let members = [
            ("status", Some(self.status.as_str())),
            ("schemes", self.schemes.as_deref()),
            ("scope", self.scope.as_deref()),
            ("openid-configuration", self.openid_configuration.as_deref()),
        ];
        for (name, value) in members {
            let Some(value) = value else { continue };
            if out.len() > 1 {
                out.push(',');
            }
            json::write_string(&mut out, name);
            out.push(':');
            json::write_string(&mut out, value);
        }
        out.push('}');
        out
    }

    /// Parses the JSON error object a server sent; members other than
    /// `status`, `scope`, `openid-configuration` and `schemes` are
    /// ignored.
    ///
    /// Fails with [`Error::Malformed`] when the input is not a JSON object
    /// or has no string `status`.
    ///
    /// ```
    /// use mailwire_sasl::OAuthError;
    /// // RFC 7628 §4.3.
    /// let e = OAuthError::from_json(br#"{"status":"invalid_token","scope":"example_scope",
    ///     "openid-configuration":"https://example.com/.well-known/openid-configuration"}"#).unwrap();
    /// assert_eq!(e.scope(), Some("example_scope"));
    /// ```
    pub fn from_json(json: &[u8]) -> Result<Self, Error> {
        let mut error = OAuthError::new("");
        let mut status = None;
        for (name, value) in json::parse_object(json)? {
            match name.as_str() {
                "status" => status = Some(value),
                "scope" => error.scope = Some(value),
                "openid-configuration" => error.openid_configuration = Some(value),
                "schemes" => error.schemes = Some(value),
                _ => {}
            }
        }
        error.status = status.ok_or_else(|| malformed("status"))?;
        Ok(error)
    }
}

/// The client side.
pub(crate) struct OAuthBearerClient {
    authzid: Option<String>,
    token: Secret<String>,
    host: Option<String>,
    port: Option<u16>,
    sent: bool,
    answered_error: bool,
    error: Option<OAuthError>,
}

impl OAuthBearerClient {
    pub(crate) fn new(
        authzid: Option<String>,
        token: Secret<String>,
        host: Option<String>,
        port: Option<u16>,
    ) -> Self {
        OAuthBearerClient {
            authzid,
            token,
            host,
            port,
            sent: false,
            answered_error: false,
            error: None,
        }
    }
}

/// `value = *(VCHAR / SP / HTAB / CR / LF)`.
fn is_value(value: &[u8]) -> bool {
    value
        .iter()
        .all(|b| matches!(b, 0x21..=0x7e | b' ' | b'\t' | b'\r' | b'\n'))
}

/// The RFC 7628 §3.1 client response.
pub(crate) fn encode_message(
    authzid: Option<&str>,
    token: &str,
    host: Option<&str>,
    port: Option<u16>,
) -> Result<Vec<u8>, Error> {
    let mut out = String::from("n,");
    if let Some(authzid) = authzid {
        if authzid.is_empty() {
            return Err(malformed("authzid"));
        }
        out.push_str("a=");
        out.push_str(&authzid.replace('=', "=3D").replace(',', "=2C"));
    }
    out.push(',');
    out.push(char::from(KVSEP));
    if let Some(host) = host {
        if !is_value(host.as_bytes()) {
            return Err(malformed("host"));
        }
        out.push_str("host=");
        out.push_str(host);
        out.push(char::from(KVSEP));
    }
    if let Some(port) = port {
        out.push_str(&format!("port={port}"));
        out.push(char::from(KVSEP));
    }
    if !is_value(token.as_bytes()) {
        return Err(malformed("auth"));
    }
    out.push_str("auth=Bearer ");
    out.push_str(token);
    out.push(char::from(KVSEP));
    out.push(char::from(KVSEP));
    Ok(out.into_bytes())
}

impl ClientMechanism for OAuthBearerClient {
    fn initial(&mut self) -> Result<Option<Vec<u8>>, Error> {
        self.sent = true;
        encode_message(
            self.authzid.as_deref(),
            self.token.expose_secret(),
            self.host.as_deref(),
            self.port,
        )
        .map(Some)
    }

    fn step(&mut self, challenge: &[u8]) -> Result<Vec<u8>, Error> {
        if !self.sent || self.answered_error {
            return Err(malformed("end of exchange"));
        }
        // RFC 7628 §3.2.3: a challenge after the client response is an
        // error; answer with a lone kvsep so the server can fail the
        // exchange. An error that does not parse is still an error.
        self.answered_error = true;
        self.error = OAuthError::from_json(challenge).ok();
        Ok(vec![KVSEP])
    }

    fn oauth_error(&self) -> Option<&OAuthError> {
        self.error.as_ref()
    }
}

/// A decoded RFC 7628 §3.1 client response.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct BearerMessage {
    pub(crate) authzid: Option<String>,
    pub(crate) token: Secret<String>,
    pub(crate) host: Option<String>,
    pub(crate) port: Option<u16>,
}

/// Parses `gs2-header kvsep *kvpair kvsep`; `Ok(None)` for a lone kvsep.
pub(crate) fn parse_message(message: &[u8]) -> Result<Option<BearerMessage>, Error> {
    if message == [KVSEP] {
        return Ok(None);
    }
    let text = utf8(message, "client-resp")?;
    // gs2-header = gs2-cbind-flag "," [ authzid ] ","; OAUTHBEARER has no
    // channel binding, so the flag is "n" or "y".
    let (flag, rest) = text
        .split_once(',')
        .ok_or_else(|| malformed("gs2-header"))?;
    if flag != "n" && flag != "y" {
        return Err(malformed("gs2-cbind-flag"));
    }
    let (authzid, rest) = rest
        .split_once(',')
        .ok_or_else(|| malformed("gs2-header"))?;
    let authzid = match authzid.as_bytes() {
        [] => None,
        [b'a', b'=', name @ ..] => Some(decode_saslname(name)?),
        _ => return Err(malformed("authzid")),
    };
    let pairs = rest
        .strip_prefix('\u{1}')
        .and_then(|r| r.strip_suffix('\u{1}'))
        .ok_or_else(|| malformed("kvsep"))?;
    let mut token = None;
    let mut host = None;
    let mut port = None;
    if !pairs.is_empty() {
        let pairs = pairs
            .strip_suffix('\u{1}')
            .ok_or_else(|| malformed("kvsep"))?;
        for pair in pairs.split('\u{1}') {
            let (key, value) = pair.split_once('=').ok_or_else(|| malformed("kvpair"))?;
            if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(malformed("key"));
            }
            if !is_value(value.as_bytes()) {
                return Err(malformed("value"));
            }
            match key {
                "auth" => token = Some(parse_bearer(value)?),
                "host" => host = Some(value.to_owned()),
                "port" => port = Some(parse_port(value)?),
                // RFC 7628 §3.1: unknown key/value pairs MUST be ignored.
                _ => {}
            }
        }
    }
    let token = token.ok_or_else(|| malformed("auth"))?;
    Ok(Some(BearerMessage {
        authzid,
        token,
        host,
        port,
    }))
}

/// `saslname` decoding, as in SCRAM (RFC 5801 §4).
fn decode_saslname(value: &[u8]) -> Result<String, Error> {
    let text = utf8(value, "saslname")?;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('=') {
        let (before, after) = rest.split_at(pos);
        out.push_str(before);
        if let Some(tail) = after.strip_prefix("=2C") {
            out.push(',');
            rest = tail;
        } else if let Some(tail) = after.strip_prefix("=3D") {
            out.push('=');
            rest = tail;
        } else {
            return Err(malformed("saslname"));
        }
    }
    out.push_str(rest);
    if out.is_empty() {
        return Err(malformed("saslname"));
    }
    Ok(out)
}

/// The token of an `auth` value `Bearer <token>` (RFC 6750 §2.1; the scheme
/// is case-insensitive); an empty value asks for the error (RFC 7628 §4.3).
pub(crate) fn parse_bearer(value: &str) -> Result<Secret<String>, Error> {
    if value.is_empty() {
        return Ok(Secret::new(String::new()));
    }
    let (scheme, token) = value.split_once(' ').ok_or_else(|| malformed("auth"))?;
    if !scheme.eq_ignore_ascii_case("Bearer") || token.is_empty() {
        return Err(malformed("auth"));
    }
    Ok(Secret::new(token.to_owned()))
}

/// `port`: a decimal positive integer without leading zeros (RFC 7628 §3.1).
fn parse_port(value: &str) -> Result<u16, Error> {
    if value.starts_with('0') || value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed("port"));
    }
    value.parse().map_err(|_| malformed("port"))
}

enum State {
    Start,
    AwaitMessage,
    AwaitVerdict { user: String },
    AwaitKvsep,
    Ended,
}

/// The server side.
pub(crate) struct OAuthBearerServer {
    state: State,
}

impl OAuthBearerServer {
    pub(crate) fn new() -> Self {
        OAuthBearerServer {
            state: State::Start,
        }
    }

    fn message(&mut self, message: &[u8]) -> Result<ServerStep, Error> {
        let Some(message) = parse_message(message)? else {
            // RFC 7628 §3.1: a lone kvsep as the first message may simply
            // fail.
            self.state = State::Ended;
            return Ok(failure(Failure::InvalidCredentials));
        };
        let user = message.authzid.unwrap_or_default();
        self.state = State::AwaitVerdict { user: user.clone() };
        Ok(ServerStep::Event(Event::TokenReceived {
            mechanism: Mechanism::OAUTHBEARER,
            user,
            token: message.token,
            host: message.host,
            port: message.port,
        }))
    }
}

impl ServerMechanism for OAuthBearerServer {
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
            State::AwaitKvsep => {
                if response == [KVSEP] {
                    Ok(failure(Failure::InvalidCredentials))
                } else {
                    Err(malformed("kvsep"))
                }
            }
            _ => Err(out_of_order_step()),
        }
    }

    fn provide_verdict(&mut self, verdict: Verdict) -> Result<ServerStep, Error> {
        let State::AwaitVerdict { user } = std::mem::replace(&mut self.state, State::Ended) else {
            return Err(out_of_order_answer());
        };
        let error = match verdict {
            // The gs2 authzid names the user; without one, only the
            // application, which validated the token, knows who it is.
            Verdict::Accept => return Ok(success(user, None)),
            Verdict::RejectToken(error) => error,
            Verdict::Reject => OAuthError::new("invalid_token"),
        };
        // RFC 7628 §3.2.2: the error goes out as a challenge.
        self.state = State::AwaitKvsep;
        Ok(ServerStep::Challenge(error.to_json().into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::decode;

    #[test]
    fn rfc7628_section4_1() {
        let imap = decode(
            b"bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB",
        )
        .unwrap();
        assert_eq!(
            imap,
            b"n,a=user@example.com,\x01host=server.example.com\x01port=143\x01auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01"
        );
        let message = parse_message(&imap).unwrap().unwrap();
        assert_eq!(message.authzid.as_deref(), Some("user@example.com"));
        assert_eq!(
            message.token.expose_secret(),
            "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg=="
        );
        assert_eq!(message.host.as_deref(), Some("server.example.com"));
        assert_eq!(message.port, Some(143));
        assert_eq!(
            encode_message(
                Some("user@example.com"),
                "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==",
                Some("server.example.com"),
                Some(143)
            )
            .unwrap(),
            imap
        );
        // The SMTP variant differs in the port only.
        let smtp = decode(
            b"bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9NTg3AWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB",
        )
        .unwrap();
        assert_eq!(parse_message(&smtp).unwrap().unwrap().port, Some(587));
    }

    #[test]
    fn rfc7628_section4_3() {
        let message = decode(
            b"bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9AQE=",
        )
        .unwrap();
        let message = parse_message(&message).unwrap().unwrap();
        assert_eq!(message.token.expose_secret(), "");

        let error = decode(
            b"eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxlX3Njb3BlIiwib3BlbmlkLWNvbmZpZ3VyYXRpb24iOiJodHRwczovL2V4YW1wbGUuY29tLy53ZWxsLWtub3duL29wZW5pZC1jb25maWd1cmF0aW9uIn0=",
        )
        .unwrap();
        let parsed = OAuthError::from_json(&error).unwrap();
        let expected = OAuthError::new("invalid_token")
            .with_scope("example_scope")
            .with_openid_configuration("https://example.com/.well-known/openid-configuration");
        assert_eq!(parsed, expected);
        // Our encoding is byte for byte the RFC's.
        assert_eq!(expected.to_json().as_bytes(), &error[..]);

        // The client answers the error with a lone kvsep: "AQ==".
        let mut client = OAuthBearerClient::new(
            Some("user@example.com".into()),
            Secret::new(String::new()),
            None,
            None,
        );
        client.initial().unwrap();
        assert_eq!(client.step(&error).unwrap(), b"\x01");
        assert_eq!(client.oauth_error(), Some(&expected));
    }

    #[test]
    fn rfc7628_section4_4() {
        // The SMTP example's error, with a "schemes" member.
        let error = decode(
            b"eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NoZW1lcyI6ImJlYXJlciBtYWMiLCJzY29wZSI6Imh0dHBzOi8vbWFpbC5leGFtcGxlLmNvbS8ifQ==",
        )
        .unwrap();
        let parsed = OAuthError::from_json(&error).unwrap();
        assert_eq!(parsed.schemes(), Some("bearer mac"));
        assert_eq!(parsed.scope(), Some("https://mail.example.com/"));
        // The example's client response uses "user=" in the GS2 header,
        // which RFC 5801 does not allow (an erratum): it is rejected.
        let response = decode(
            b"bix1c2VyPXNvbWV1c2VyQGV4YW1wbGUuY29tLAFhdXRoPUJlYXJlciB2RjlkZnQ0cW1UYzJOdmIzUmxja0JoZEhSaGRtbHpkR0V1WTI5dENnPT0BAQ==",
        )
        .unwrap();
        assert_eq!(parse_message(&response), Err(malformed("authzid")));
    }

    #[test]
    fn malformed_messages() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "gs2-header"),
            (b"p=tls-unique,,\x01auth=Bearer x\x01\x01", "gs2-cbind-flag"),
            (b"n,", "gs2-header"),
            (b"n,,auth=Bearer x\x01\x01", "kvsep"),
            (b"n,,\x01auth=Bearer x\x01", "kvsep"),
            (b"n,,\x01auth=Bearer x", "kvsep"),
            (b"n,,\x01\x01", "auth"),
            (b"n,,\x01host=h\x01\x01", "auth"),
            (b"n,,\x01auth\x01\x01", "kvpair"),
            (b"n,,\x01=x\x01auth=Bearer x\x01\x01", "key"),
            (b"n,,\x01k1=x\x01auth=Bearer x\x01\x01", "key"),
            (b"n,,\x01auth=Bearer x\x00\x01\x01", "value"),
            (b"n,,\x01auth=Basic x\x01\x01", "auth"),
            (b"n,,\x01auth=Bearer\x01\x01", "auth"),
            (b"n,,\x01port=0143\x01auth=Bearer x\x01\x01", "port"),
            (b"n,,\x01port=70000\x01auth=Bearer x\x01\x01", "port"),
            (b"n,a=,\x01auth=Bearer x\x01\x01", "saslname"),
            (b"n,a=b=2,\x01auth=Bearer x\x01\x01", "saslname"),
            (b"n,\xff,\x01auth=Bearer x\x01\x01", "client-resp"),
        ];
        for (message, expected) in cases {
            assert_eq!(
                parse_message(message),
                Err(Error::Malformed { expected }),
                "{message:?}"
            );
        }
        let ok = parse_message(b"y,,\x01x=1\x01AUTH=2\x01auth=bearer tok\x01\x01")
            .unwrap()
            .unwrap();
        assert_eq!(ok.token.expose_secret(), "tok");
        assert_eq!(parse_message(b"\x01"), Ok(None));
        assert_eq!(
            OAuthError::from_json(b"{\"scope\":\"x\"}"),
            Err(malformed("status"))
        );
    }
}
