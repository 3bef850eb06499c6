//! `SCRAM-SHA-1`, `SCRAM-SHA-256` and their `-PLUS` variants (RFC 5802,
//! RFC 7677), with SASLprep (RFC 4013) and channel binding (RFC 5802 §6).
//!
//! ```text
//! C: n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL                    client-first-message
//! S: r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096
//! C: c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=
//! S: v=rmF9pqV8S7suAoZWja4dJRkFsKQ=                          server-final-message
//! ```
//!
//! The keys (RFC 5802 §3):
//!
//! ```text
//! SaltedPassword  := Hi(Normalize(password), salt, i)     (PBKDF2-HMAC)
//! ClientKey       := HMAC(SaltedPassword, "Client Key")
//! StoredKey       := H(ClientKey)
//! ServerKey       := HMAC(SaltedPassword, "Server Key")
//! AuthMessage     := client-first-message-bare + "," +
//!                    server-first-message + "," +
//!                    client-final-message-without-proof
//! ClientSignature := HMAC(StoredKey, AuthMessage)
//! ClientProof     := ClientKey XOR ClientSignature
//! ServerSignature := HMAC(ServerKey, AuthMessage)
//! ```
//!
//! The server stores only the salt, the iteration count, `StoredKey` and
//! `ServerKey` ([`ScramKeys`]), never the password.

use std::fmt;

use hmac::{Hmac, Mac};
use mailwire_core::Secret;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::channel_binding::is_cb_name;
use crate::client::ClientMechanism;
use crate::error::malformed;
use crate::server::{
    Event, Failure, ServerMechanism, ServerStep, StoredCredentials, failure, out_of_order_answer,
    out_of_order_step, success,
};
use crate::util::{random_bytes, saslprep, utf8};
use crate::wire::{decode, encode_to_string};
use crate::{ChannelBinding, Error, Mechanism};

/// The hash function of a SCRAM mechanism.
///
/// ```
/// use mailwire_sasl::{Mechanism, ScramHash};
/// assert_eq!(ScramHash::for_mechanism(&Mechanism::SCRAM_SHA_256_PLUS), Some(ScramHash::Sha256));
/// assert_eq!(ScramHash::Sha1.output_len(), 20);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ScramHash {
    /// SHA-1: `SCRAM-SHA-1`, `SCRAM-SHA-1-PLUS` (RFC 5802).
    Sha1,
    /// SHA-256: `SCRAM-SHA-256`, `SCRAM-SHA-256-PLUS` (RFC 7677).
    Sha256,
}

impl ScramHash {
    /// The hash of a SCRAM mechanism, `None` for other mechanisms.
    ///
    /// ```
    /// use mailwire_sasl::{Mechanism, ScramHash};
    /// assert_eq!(ScramHash::for_mechanism(&Mechanism::PLAIN), None);
    /// ```
    pub fn for_mechanism(mechanism: &Mechanism) -> Option<ScramHash> {
        if *mechanism == Mechanism::SCRAM_SHA_1 || *mechanism == Mechanism::SCRAM_SHA_1_PLUS {
            Some(ScramHash::Sha1)
        } else if *mechanism == Mechanism::SCRAM_SHA_256
            || *mechanism == Mechanism::SCRAM_SHA_256_PLUS
        {
            Some(ScramHash::Sha256)
        } else {
            None
        }
    }

    /// The length in bytes of the hash's output, and so of every key.
    ///
    /// ```
    /// assert_eq!(mailwire_sasl::ScramHash::Sha256.output_len(), 32);
    /// ```
    pub fn output_len(self) -> usize {
        match self {
            ScramHash::Sha1 => 20,
            ScramHash::Sha256 => 32,
        }
    }

    /// `H(data)`.
    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            ScramHash::Sha1 => Sha1::digest(data).to_vec(),
            ScramHash::Sha256 => Sha256::digest(data).to_vec(),
        }
    }

    /// `HMAC(key, data)`.
    fn hmac(self, key: &[u8], data: &[u8]) -> Result<Vec<u8>, Error> {
        // HMAC takes keys of any length; the error path is unreachable.
        let bad_key = |_| Error::UnsuitableCredentials {
            expected: "an HMAC key",
        };
        Ok(match self {
            ScramHash::Sha1 => {
                let mut mac = Hmac::<Sha1>::new_from_slice(key).map_err(bad_key)?;
                mac.update(data);
                mac.finalize().into_bytes().to_vec()
            }
            ScramHash::Sha256 => {
                let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(bad_key)?;
                mac.update(data);
                mac.finalize().into_bytes().to_vec()
            }
        })
    }

    /// `Hi(password, salt, i)`: PBKDF2 with HMAC (RFC 5802 §2.2).
    fn salted_password(self, password: &[u8], salt: &[u8], iterations: u32) -> Vec<u8> {
        let mut out = vec![0; self.output_len()];
        match self {
            ScramHash::Sha1 => pbkdf2::pbkdf2_hmac::<Sha1>(password, salt, iterations, &mut out),
            ScramHash::Sha256 => {
                pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, iterations, &mut out)
            }
        }
        out
    }
}

/// The keys a SCRAM client derives from the password.
struct ClientKeys {
    client_key: Vec<u8>,
    stored_key: Vec<u8>,
    server_key: Vec<u8>,
}

fn client_keys(
    hash: ScramHash,
    password: &str,
    salt: &[u8],
    iterations: u32,
) -> Result<ClientKeys, Error> {
    let prepared = Secret::new(saslprep(password, "password")?);
    let salted = hash.salted_password(prepared.expose_secret().as_bytes(), salt, iterations);
    let client_key = hash.hmac(&salted, b"Client Key")?;
    let server_key = hash.hmac(&salted, b"Server Key")?;
    let stored_key = hash.digest(&client_key);
    Ok(ClientKeys {
        client_key,
        stored_key,
        server_key,
    })
}

/// What a SCRAM server stores for a user (RFC 5802 §3): salt, iteration
/// count, `StoredKey` and `ServerKey`.
///
/// ```text
/// SaltedPassword := Hi(SASLprep(password), salt, i)   (PBKDF2-HMAC)
/// ClientKey      := HMAC(SaltedPassword, "Client Key")
/// StoredKey      := H(ClientKey)
/// ServerKey      := HMAC(SaltedPassword, "Server Key")
/// ```
///
/// `StoredKey` lets the server check the client's proof and `ServerKey`
/// lets it prove to the client that it knows the user. Keep them as secret
/// as password hashes: RFC 5802 §9 lists what a stolen set allows. The
/// `Debug` output shows neither key nor the salt.
///
/// ```
/// use mailwire_sasl::{ScramHash, ScramKeys};
///
/// // Derive once, when the password is set, and store the four values.
/// let keys = ScramKeys::derive(ScramHash::Sha256, "pencil", b"salt1234salt1234", 4096).unwrap();
/// let stored = (keys.salt().to_vec(), keys.iterations(),
///               keys.stored_key().expose_secret().clone(), keys.server_key().expose_secret().clone());
///
/// // Rebuild them from storage when a client authenticates.
/// let again = ScramKeys::from_parts(ScramHash::Sha256, stored.0, stored.1, stored.2, stored.3).unwrap();
/// assert_eq!(again.stored_key(), keys.stored_key());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ScramKeys {
    hash: ScramHash,
    salt: Vec<u8>,
    iterations: u32,
    stored_key: Secret<Vec<u8>>,
    server_key: Secret<Vec<u8>>,
}

impl ScramKeys {
    /// Iteration count used by [`ScramKeys::generate`]: RFC 7677 §3 asks
    /// for at least 4096.
    pub const DEFAULT_ITERATIONS: u32 = 4096;

    /// Derives the keys from a password (prepared with SASLprep, RFC 5802
    /// §2.2), a salt and an iteration count.
    ///
    /// Fails with [`Error::Saslprep`] if the password cannot be prepared
    /// and [`Error::UnsuitableCredentials`] for zero iterations.
    ///
    /// ```
    /// use mailwire_sasl::{ScramHash, ScramKeys};
    /// let keys = ScramKeys::derive(ScramHash::Sha1, "pencil", b"salt", 4096).unwrap();
    /// assert_eq!(keys.stored_key().expose_secret().len(), 20);
    /// ```
    pub fn derive(
        hash: ScramHash,
        password: &str,
        salt: &[u8],
        iterations: u32,
    ) -> Result<Self, Error> {
        if iterations == 0 {
            return Err(Error::UnsuitableCredentials {
                expected: "a positive iteration count",
            });
        }
        let keys = client_keys(hash, password, salt, iterations)?;
        Ok(ScramKeys {
            hash,
            salt: salt.to_vec(),
            iterations,
            stored_key: Secret::new(keys.stored_key),
            server_key: Secret::new(keys.server_key),
        })
    }

    /// Derives the keys with a fresh 16-byte random salt.
    ///
    /// ```
    /// use mailwire_sasl::{ScramHash, ScramKeys};
    /// let a = ScramKeys::generate(ScramHash::Sha256, "pencil", ScramKeys::DEFAULT_ITERATIONS).unwrap();
    /// let b = ScramKeys::generate(ScramHash::Sha256, "pencil", ScramKeys::DEFAULT_ITERATIONS).unwrap();
    /// assert_ne!(a.salt(), b.salt());
    /// ```
    pub fn generate(hash: ScramHash, password: &str, iterations: u32) -> Result<Self, Error> {
        let mut salt = [0; 16];
        random_bytes(&mut salt)?;
        Self::derive(hash, password, &salt, iterations)
    }

    /// Rebuilds keys from storage.
    ///
    /// Fails with [`Error::UnsuitableCredentials`] when a key's length is
    /// not the hash's output length or `iterations` is zero.
    ///
    /// ```
    /// use mailwire_sasl::{Error, ScramHash, ScramKeys};
    /// assert!(matches!(
    ///     ScramKeys::from_parts(ScramHash::Sha256, vec![1], 4096, vec![0; 20], vec![0; 32]),
    ///     Err(Error::UnsuitableCredentials { .. })
    /// ));
    /// ```
    pub fn from_parts(
        hash: ScramHash,
        salt: Vec<u8>,
        iterations: u32,
        stored_key: Vec<u8>,
        server_key: Vec<u8>,
    ) -> Result<Self, Error> {
        if stored_key.len() != hash.output_len() || server_key.len() != hash.output_len() {
            return Err(Error::UnsuitableCredentials {
                expected: "keys as long as the hash output",
            });
        }
        if iterations == 0 {
            return Err(Error::UnsuitableCredentials {
                expected: "a positive iteration count",
            });
        }
        Ok(ScramKeys {
            hash,
            salt,
            iterations,
            stored_key: Secret::new(stored_key),
            server_key: Secret::new(server_key),
        })
    }

    /// The hash function the keys were derived with.
    ///
    /// ```
    /// # use mailwire_sasl::{ScramHash, ScramKeys};
    /// # let keys = ScramKeys::derive(ScramHash::Sha1, "p", b"s", 1).unwrap();
    /// assert_eq!(keys.hash(), ScramHash::Sha1);
    /// ```
    pub fn hash(&self) -> ScramHash {
        self.hash
    }

    /// The salt.
    ///
    /// ```
    /// # use mailwire_sasl::{ScramHash, ScramKeys};
    /// # let keys = ScramKeys::derive(ScramHash::Sha1, "p", b"s", 1).unwrap();
    /// assert_eq!(keys.salt(), b"s");
    /// ```
    pub fn salt(&self) -> &[u8] {
        &self.salt
    }

    /// The iteration count.
    ///
    /// ```
    /// # use mailwire_sasl::{ScramHash, ScramKeys};
    /// # let keys = ScramKeys::derive(ScramHash::Sha1, "p", b"s", 1).unwrap();
    /// assert_eq!(keys.iterations(), 1);
    /// ```
    pub fn iterations(&self) -> u32 {
        self.iterations
    }

    /// `StoredKey := H(ClientKey)`.
    ///
    /// ```
    /// # use mailwire_sasl::{ScramHash, ScramKeys};
    /// # let keys = ScramKeys::derive(ScramHash::Sha256, "p", b"s", 1).unwrap();
    /// assert_eq!(keys.stored_key().expose_secret().len(), 32);
    /// ```
    pub fn stored_key(&self) -> &Secret<Vec<u8>> {
        &self.stored_key
    }

    /// `ServerKey := HMAC(SaltedPassword, "Server Key")`.
    ///
    /// ```
    /// # use mailwire_sasl::{ScramHash, ScramKeys};
    /// # let keys = ScramKeys::derive(ScramHash::Sha256, "p", b"s", 1).unwrap();
    /// assert_eq!(keys.server_key().expose_secret().len(), 32);
    /// ```
    pub fn server_key(&self) -> &Secret<Vec<u8>> {
        &self.server_key
    }

    /// Whether `password` derives these keys, compared in constant time;
    /// lets `PLAIN` and `LOGIN` servers work from SCRAM keys.
    pub(crate) fn verify_password(&self, password: &str) -> Result<bool, Error> {
        let Ok(keys) = client_keys(self.hash, password, &self.salt, self.iterations) else {
            return Ok(false);
        };
        Ok(bool::from(
            keys.stored_key.ct_eq(self.stored_key.expose_secret()),
        ))
    }
}

impl fmt::Debug for ScramKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScramKeys")
            .field("hash", &self.hash)
            .field("iterations", &self.iterations)
            .field("stored_key", &self.stored_key)
            .field("server_key", &self.server_key)
            .finish_non_exhaustive()
    }
}

/// A fresh nonce: 18 random bytes in base64, 24 printable characters
/// without `,` (RFC 5802 §5.1 `r`).
fn new_nonce() -> Result<String, Error> {
    let mut bytes = [0; 18];
    random_bytes(&mut bytes)?;
    Ok(encode_to_string(&bytes))
}

/// `saslname` encoding: `,` as `=2C`, `=` as `=3D` (RFC 5802 §5.1 `n`).
fn encode_saslname(name: &str) -> String {
    name.replace('=', "=3D").replace(',', "=2C")
}

/// `saslname` decoding; any other `=` sequence is malformed.
fn decode_saslname(value: &[u8]) -> Result<String, Error> {
    let text = utf8(value, "saslname")?;
    if text.is_empty() {
        return Err(malformed("saslname"));
    }
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
    Ok(out)
}

/// `printable = %x21-2B / %x2D-7E` (RFC 5802 §7).
fn is_printable(value: &[u8]) -> bool {
    !value.is_empty()
        && value
            .iter()
            .all(|b| (0x21..=0x7e).contains(b) && *b != b',')
}

/// `attr-val = ALPHA "=" value` (RFC 5802 §7): the value of attribute
/// `name`, or `None` if `part` is another attribute.
fn attribute(part: &[u8], name: u8) -> Option<&[u8]> {
    match part {
        [n, b'=', value @ ..] if *n == name => Some(value),
        _ => None,
    }
}

/// Checks `extensions = attr-val *("," attr-val)`; optional extensions are
/// ignored (RFC 5802 §5.1).
fn check_extensions<'a>(
    parts: impl Iterator<Item = &'a [u8]>,
    rule: &'static str,
) -> Result<(), Error> {
    for part in parts {
        match part {
            [n, b'=', value @ ..] if n.is_ascii_alphabetic() && !value.is_empty() => {}
            _ => return Err(malformed(rule)),
        }
    }
    Ok(())
}

/// `ClientProof := ClientKey XOR ClientSignature`; also recovers `ClientKey`
/// from a proof.
fn xor(a: &[u8], b: &[u8]) -> Vec<u8> {
    a.iter().zip(b).map(|(x, y)| x ^ y).collect()
}

enum ClientState {
    Start,
    AwaitServerFirst {
        gs2_header: String,
        client_first_bare: String,
        client_nonce: String,
    },
    AwaitServerFinal {
        server_signature: Vec<u8>,
    },
    Verified,
    Ended,
}

/// The client side.
pub(crate) struct ScramClient {
    hash: ScramHash,
    plus: bool,
    authcid: String,
    authzid: Option<String>,
    password: Secret<String>,
    channel_binding: Option<ChannelBinding>,
    max_iterations: u32,
    nonce: Option<String>,
    state: ClientState,
}

impl ScramClient {
    pub(crate) fn new(
        mechanism: &Mechanism,
        authcid: String,
        authzid: Option<String>,
        password: Secret<String>,
        channel_binding: Option<ChannelBinding>,
        max_iterations: u32,
    ) -> Result<Self, Error> {
        let hash = ScramHash::for_mechanism(mechanism)
            .ok_or_else(|| Error::UnsupportedMechanism(mechanism.clone()))?;
        Ok(ScramClient {
            hash,
            plus: mechanism.is_channel_binding(),
            authcid,
            authzid,
            password,
            channel_binding,
            max_iterations,
            nonce: None,
            state: ClientState::Start,
        })
    }

    /// Uses `nonce` instead of a random one (known-answer tests).
    #[cfg(test)]
    fn with_nonce(mut self, nonce: &str) -> Self {
        self.nonce = Some(nonce.to_owned());
        self
    }

    fn gs2_header(&self) -> Result<String, Error> {
        let mut header = match (&self.channel_binding, self.plus) {
            (Some(cb), true) => format!("p={},", cb.name()),
            (None, true) => {
                return Err(Error::MissingCredentials {
                    mechanism: if self.hash == ScramHash::Sha1 {
                        Mechanism::SCRAM_SHA_1_PLUS
                    } else {
                        Mechanism::SCRAM_SHA_256_PLUS
                    },
                    needed: "channel binding data",
                });
            }
            // RFC 5802 §6: supports channel binding, but the server does
            // not appear to.
            (Some(_), false) => String::from("y,"),
            (None, false) => String::from("n,"),
        };
        if let Some(authzid) = &self.authzid {
            if authzid.is_empty() {
                return Err(malformed("authzid"));
            }
            header.push_str("a=");
            header.push_str(&encode_saslname(authzid));
        }
        header.push(',');
        Ok(header)
    }

    fn client_final(&mut self, challenge: &[u8]) -> Result<Vec<u8>, Error> {
        let ClientState::AwaitServerFirst {
            gs2_header,
            client_first_bare,
            client_nonce,
        } = std::mem::replace(&mut self.state, ClientState::Ended)
        else {
            return Err(out_of_order_step());
        };
        let server_first = utf8(challenge, "server-first-message")?;
        let mut parts = challenge.split(|b| *b == b',');
        let mut part = parts.next().unwrap_or_default();
        if attribute(part, b'm').is_some() {
            return Err(Error::UnsupportedExtension);
        }
        let nonce = attribute(part, b'r').ok_or_else(|| malformed("nonce"))?;
        if !is_printable(nonce) {
            return Err(malformed("nonce"));
        }
        if nonce.len() <= client_nonce.len() || !nonce.starts_with(client_nonce.as_bytes()) {
            return Err(Error::NonceMismatch);
        }
        part = parts.next().unwrap_or_default();
        let salt = attribute(part, b's').ok_or_else(|| malformed("salt"))?;
        let salt = decode(salt).map_err(|_| malformed("salt"))?;
        part = parts.next().unwrap_or_default();
        let iterations = attribute(part, b'i').ok_or_else(|| malformed("iteration-count"))?;
        let iterations = parse_posit_number(iterations)?;
        check_extensions(parts, "server-first-message")?;
        if iterations > self.max_iterations {
            return Err(Error::LimitExceeded {
                what: "SCRAM iteration count",
                limit: usize::try_from(self.max_iterations).unwrap_or(usize::MAX),
                actual: usize::try_from(iterations).unwrap_or(usize::MAX),
            });
        }

        let keys = client_keys(self.hash, self.password.expose_secret(), &salt, iterations)?;
        let mut cbind_input = gs2_header.into_bytes();
        if let (true, Some(cb)) = (self.plus, &self.channel_binding) {
            cbind_input.extend_from_slice(cb.data());
        }
        let nonce = utf8(nonce, "nonce")?;
        let without_proof = format!("c={},r={nonce}", encode_to_string(&cbind_input));
        let auth_message = format!("{client_first_bare},{server_first},{without_proof}");
        let client_signature = self.hash.hmac(&keys.stored_key, auth_message.as_bytes())?;
        let proof = xor(&keys.client_key, &client_signature);
        let server_signature = self.hash.hmac(&keys.server_key, auth_message.as_bytes())?;
        self.state = ClientState::AwaitServerFinal { server_signature };
        Ok(format!("{without_proof},p={}", encode_to_string(&proof)).into_bytes())
    }

    fn verify_server_final(&mut self, challenge: &[u8]) -> Result<Vec<u8>, Error> {
        let ClientState::AwaitServerFinal { server_signature } =
            std::mem::replace(&mut self.state, ClientState::Ended)
        else {
            return Err(out_of_order_step());
        };
        let mut parts = challenge.split(|b| *b == b',');
        let first = parts.next().unwrap_or_default();
        if let Some(error) = attribute(first, b'e') {
            let error = utf8(error, "server-error-value")?;
            return Err(Error::ServerError(error.to_owned()));
        }
        let verifier = attribute(first, b'v').ok_or_else(|| malformed("server-final-message"))?;
        let verifier = decode(verifier).map_err(|_| malformed("verifier"))?;
        check_extensions(parts, "server-final-message")?;
        if !bool::from(verifier.ct_eq(&server_signature)) {
            return Err(Error::ServerSignatureMismatch);
        }
        self.state = ClientState::Verified;
        Ok(Vec::new())
    }
}

/// `posit-number = %x31-39 *DIGIT` (RFC 5802 §7), as a `u32`.
fn parse_posit_number(value: &[u8]) -> Result<u32, Error> {
    match value {
        [first, rest @ ..]
            if (b'1'..=b'9').contains(first) && rest.iter().all(u8::is_ascii_digit) =>
        {
            utf8(value, "iteration-count")?
                .parse()
                .map_err(|_| malformed("iteration-count"))
        }
        _ => Err(malformed("iteration-count")),
    }
}

impl ClientMechanism for ScramClient {
    fn initial(&mut self) -> Result<Option<Vec<u8>>, Error> {
        let gs2_header = self.gs2_header()?;
        let username = saslprep(&self.authcid, "username")?;
        let client_nonce = match self.nonce.take() {
            Some(nonce) => nonce,
            None => new_nonce()?,
        };
        let client_first_bare = format!("n={},r={client_nonce}", encode_saslname(&username));
        let message = format!("{gs2_header}{client_first_bare}").into_bytes();
        self.state = ClientState::AwaitServerFirst {
            gs2_header,
            client_first_bare,
            client_nonce,
        };
        Ok(Some(message))
    }

    fn step(&mut self, challenge: &[u8]) -> Result<Vec<u8>, Error> {
        match self.state {
            ClientState::AwaitServerFirst { .. } => self.client_final(challenge),
            ClientState::AwaitServerFinal { .. } => self.verify_server_final(challenge),
            _ => Err(malformed("end of exchange")),
        }
    }

    fn finish(&mut self) -> Result<(), Error> {
        match self.state {
            ClientState::Verified => Ok(()),
            _ => Err(Error::ServerNotAuthenticated),
        }
    }
}

/// Decoy keys for an unknown user: the salt is derived from the server's
/// mock key and the user name, so it is as stable as a real user's; the
/// keys are random, so no proof matches them.
fn mock_keys(hash: ScramHash, key: &Secret<Vec<u8>>, authcid: &str) -> Result<ScramKeys, Error> {
    let mut input = b"mailwire-sasl SCRAM mock salt\0".to_vec();
    input.extend_from_slice(authcid.as_bytes());
    let mut salt = ScramHash::Sha256.hmac(key.expose_secret(), &input)?;
    salt.truncate(16);
    let mut stored_key = vec![0; hash.output_len()];
    let mut server_key = vec![0; hash.output_len()];
    random_bytes(&mut stored_key)?;
    random_bytes(&mut server_key)?;
    ScramKeys::from_parts(
        hash,
        salt,
        ScramKeys::DEFAULT_ITERATIONS,
        stored_key,
        server_key,
    )
}

/// The client's `gs2-cbind-flag` (RFC 5802 §7).
#[derive(Debug, Clone, PartialEq, Eq)]
enum CbindFlag {
    /// `n`: the client does not support channel binding.
    No,
    /// `y`: the client supports it but thinks the server does not.
    Yes,
    /// `p=cb-name`: the client requires it.
    Required(String),
}

/// A parsed `client-first-message`.
struct ClientFirst {
    flag: CbindFlag,
    gs2_header: Vec<u8>,
    authzid: Option<String>,
    authcid: String,
    client_first_bare: String,
    nonce: String,
}

fn parse_client_first(message: &[u8]) -> Result<ClientFirst, Error> {
    let text = utf8(message, "client-first-message")?;
    // gs2-header = gs2-cbind-flag "," [ authzid ] ","
    let (flag, rest) = text
        .split_once(',')
        .ok_or_else(|| malformed("gs2-header"))?;
    let flag = match flag.as_bytes() {
        b"n" => CbindFlag::No,
        b"y" => CbindFlag::Yes,
        [b'p', b'=', name @ ..] if is_cb_name(name) => {
            CbindFlag::Required(utf8(name, "cb-name")?.to_owned())
        }
        _ => return Err(malformed("gs2-cbind-flag")),
    };
    let (authzid, bare) = rest
        .split_once(',')
        .ok_or_else(|| malformed("gs2-header"))?;
    let authzid = match authzid.as_bytes() {
        [] => None,
        [b'a', b'=', name @ ..] => Some(decode_saslname(name)?),
        _ => return Err(malformed("authzid")),
    };
    let gs2_len = text.len().saturating_sub(bare.len());
    let gs2_header = message.get(..gs2_len).unwrap_or_default().to_vec();

    let mut parts = bare.as_bytes().split(|b| *b == b',');
    let mut part = parts.next().unwrap_or_default();
    if attribute(part, b'm').is_some() {
        return Err(Error::UnsupportedExtension);
    }
    let authcid = attribute(part, b'n').ok_or_else(|| malformed("username"))?;
    let authcid = decode_saslname(authcid)?;
    part = parts.next().unwrap_or_default();
    let nonce = attribute(part, b'r').ok_or_else(|| malformed("nonce"))?;
    if !is_printable(nonce) {
        return Err(malformed("nonce"));
    }
    let nonce = utf8(nonce, "nonce")?.to_owned();
    check_extensions(parts, "client-first-message-bare")?;
    Ok(ClientFirst {
        flag,
        gs2_header,
        authzid,
        authcid,
        client_first_bare: bare.to_owned(),
        nonce,
    })
}

enum ServerState {
    Start,
    AwaitClientFirst,
    AwaitCredentials {
        first: ClientFirst,
    },
    AwaitClientFinal {
        first: ClientFirst,
        keys: ScramKeys,
        server_first: String,
        nonce: String,
        /// The keys are a decoy for a user the application does not know.
        unknown_user: bool,
    },
    AwaitEmpty {
        authcid: String,
        authzid: Option<String>,
    },
    Ended,
}

/// The server side.
pub(crate) struct ScramServer {
    mechanism: Mechanism,
    hash: ScramHash,
    channel_binding: Option<ChannelBinding>,
    mock_key: Option<Secret<Vec<u8>>>,
    nonce: Option<String>,
    state: ServerState,
}

impl ScramServer {
    pub(crate) fn new(
        mechanism: &Mechanism,
        channel_binding: Option<ChannelBinding>,
        mock_key: Option<Secret<Vec<u8>>>,
    ) -> Result<Self, Error> {
        let hash = ScramHash::for_mechanism(mechanism)
            .ok_or_else(|| Error::UnsupportedMechanism(mechanism.clone()))?;
        Ok(ScramServer {
            mechanism: mechanism.clone(),
            hash,
            channel_binding,
            mock_key,
            nonce: None,
            state: ServerState::Start,
        })
    }

    /// Uses `nonce` as the server's part instead of a random one
    /// (known-answer tests).
    #[cfg(test)]
    fn with_nonce(mut self, nonce: &str) -> Self {
        self.nonce = Some(nonce.to_owned());
        self
    }

    fn client_first(&mut self, message: &[u8]) -> Result<ServerStep, Error> {
        let first = parse_client_first(message)?;
        // RFC 5802 §6: the flag must agree with the mechanism and with what
        // this server supports.
        let flag_ok = match (&first.flag, self.mechanism.is_channel_binding()) {
            (CbindFlag::Required(name), true) => self
                .channel_binding
                .as_ref()
                .is_some_and(|cb| cb.name() == name),
            (CbindFlag::Required(_), false) | (CbindFlag::No | CbindFlag::Yes, true) => false,
            (CbindFlag::No, false) => true,
            (CbindFlag::Yes, false) => self.channel_binding.is_none(),
        };
        if !flag_ok {
            self.state = ServerState::Ended;
            return Ok(failure(Failure::ChannelBinding));
        }
        // RFC 5802 §5.1 `n`: prepare the name for the lookup; hashes use it
        // as received.
        let authcid = saslprep(&first.authcid, "username")?;
        let authzid = first.authzid.clone();
        self.state = ServerState::AwaitCredentials { first };
        Ok(ServerStep::Event(Event::CredentialsNeeded {
            mechanism: self.mechanism.clone(),
            authcid,
            authzid,
        }))
    }

    fn client_final(&mut self, message: &[u8]) -> Result<ServerStep, Error> {
        let ServerState::AwaitClientFinal {
            first,
            keys,
            server_first,
            nonce,
            unknown_user,
        } = std::mem::replace(&mut self.state, ServerState::Ended)
        else {
            return Err(out_of_order_step());
        };
        let text = utf8(message, "client-final-message")?;
        // client-final-message = client-final-message-without-proof "," proof
        let (without_proof, proof) = text
            .rsplit_once(',')
            .ok_or_else(|| malformed("client-final-message"))?;
        let proof = attribute(proof.as_bytes(), b'p').ok_or_else(|| malformed("proof"))?;
        let proof = decode(proof).map_err(|_| malformed("proof"))?;
        let mut parts = without_proof.as_bytes().split(|b| *b == b',');
        let cbind = attribute(parts.next().unwrap_or_default(), b'c')
            .ok_or_else(|| malformed("channel-binding"))?;
        let cbind = decode(cbind).map_err(|_| malformed("channel-binding"))?;
        let final_nonce =
            attribute(parts.next().unwrap_or_default(), b'r').ok_or_else(|| malformed("nonce"))?;
        check_extensions(parts, "client-final-message")?;
        if !bool::from(final_nonce.ct_eq(nonce.as_bytes())) {
            return Err(Error::NonceMismatch);
        }
        if proof.len() != self.hash.output_len() {
            return Err(malformed("proof"));
        }

        // RFC 5802 §6: the server always checks c=.
        let mut expected = first.gs2_header.clone();
        if let (CbindFlag::Required(_), Some(cb)) = (&first.flag, &self.channel_binding) {
            expected.extend_from_slice(cb.data());
        }
        if !bool::from(cbind.ct_eq(&expected)) {
            return Ok(failure(Failure::ChannelBinding));
        }
        if unknown_user {
            return Ok(failure(Failure::UnknownUser));
        }

        let auth_message = format!("{},{server_first},{without_proof}", first.client_first_bare);
        let client_signature = self
            .hash
            .hmac(keys.stored_key.expose_secret(), auth_message.as_bytes())?;
        let client_key = xor(&proof, &client_signature);
        let stored_key = self.hash.digest(&client_key);
        if !bool::from(stored_key.ct_eq(keys.stored_key.expose_secret())) {
            return Ok(failure(Failure::InvalidCredentials));
        }
        let server_signature = self
            .hash
            .hmac(keys.server_key.expose_secret(), auth_message.as_bytes())?;
        let authcid = saslprep(&first.authcid, "username")?;
        self.state = ServerState::AwaitEmpty {
            authcid,
            authzid: first.authzid,
        };
        Ok(ServerStep::Challenge(
            format!("v={}", encode_to_string(&server_signature)).into_bytes(),
        ))
    }
}

impl ServerMechanism for ScramServer {
    fn start(&mut self, initial: Option<&[u8]>) -> Result<ServerStep, Error> {
        match initial {
            Some(message) => self.client_first(message),
            None => {
                self.state = ServerState::AwaitClientFirst;
                Ok(ServerStep::Challenge(Vec::new()))
            }
        }
    }

    fn step(&mut self, response: &[u8]) -> Result<ServerStep, Error> {
        match std::mem::replace(&mut self.state, ServerState::Ended) {
            ServerState::AwaitClientFirst => self.client_first(response),
            state @ ServerState::AwaitClientFinal { .. } => {
                self.state = state;
                self.client_final(response)
            }
            // RFC 4422 §5 2b: the server-final-message went out as a
            // challenge; the client answers it with an empty response.
            ServerState::AwaitEmpty { authcid, authzid } => {
                if response.is_empty() {
                    Ok(success(authcid, authzid))
                } else {
                    Err(malformed("empty response"))
                }
            }
            _ => Err(out_of_order_step()),
        }
    }

    fn provide_credentials(
        &mut self,
        credentials: Option<StoredCredentials>,
    ) -> Result<ServerStep, Error> {
        let ServerState::AwaitCredentials { first } =
            std::mem::replace(&mut self.state, ServerState::Ended)
        else {
            return Err(out_of_order_answer());
        };
        let unknown_user = credentials.is_none();
        let keys = match credentials {
            None => match &self.mock_key {
                None => return Ok(failure(Failure::UnknownUser)),
                Some(key) => mock_keys(self.hash, key, &first.authcid)?,
            },
            Some(StoredCredentials::Scram(keys)) if keys.hash == self.hash => keys,
            Some(_) => {
                return Err(Error::UnsuitableCredentials {
                    expected: "SCRAM keys of the mechanism's hash",
                });
            }
        };
        let server_nonce = match self.nonce.take() {
            Some(nonce) => nonce,
            None => new_nonce()?,
        };
        let nonce = format!("{}{server_nonce}", first.nonce);
        let server_first = format!(
            "r={nonce},s={},i={}",
            encode_to_string(&keys.salt),
            keys.iterations
        );
        let challenge = server_first.clone().into_bytes();
        self.state = ServerState::AwaitClientFinal {
            first,
            keys,
            server_first,
            nonce,
            unknown_user,
        };
        Ok(ServerStep::Challenge(challenge))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::Outcome;

    /// Runs the exchange of RFC 5802 §5 or RFC 7677 §3 and checks every
    /// message against the RFC's text.
    fn known_answer(mechanism: &Mechanism, hash: ScramHash, transcript: [&str; 4], salt_b64: &str) {
        let [client_first, server_first, client_final, server_final] = transcript;
        let client_nonce = client_first.rsplit_once("r=").unwrap().1;
        let full_nonce = server_first
            .split(',')
            .next()
            .unwrap()
            .strip_prefix("r=")
            .unwrap();
        let server_nonce = full_nonce.strip_prefix(client_nonce).unwrap();

        let mut client = ScramClient::new(
            mechanism,
            "user".into(),
            None,
            Secret::new("pencil".into()),
            None,
            4096,
        )
        .unwrap()
        .with_nonce(client_nonce);
        let mut server = ScramServer::new(mechanism, None, None)
            .unwrap()
            .with_nonce(server_nonce);
        let keys =
            ScramKeys::derive(hash, "pencil", &decode(salt_b64.as_bytes()).unwrap(), 4096).unwrap();

        let c1 = client.initial().unwrap().unwrap();
        assert_eq!(c1, client_first.as_bytes());
        let step = server.start(Some(&c1)).unwrap();
        assert_eq!(
            step,
            ServerStep::Event(Event::CredentialsNeeded {
                mechanism: mechanism.clone(),
                authcid: "user".into(),
                authzid: None
            })
        );
        let ServerStep::Challenge(s1) = server
            .provide_credentials(Some(StoredCredentials::Scram(keys)))
            .unwrap()
        else {
            panic!()
        };
        assert_eq!(s1, server_first.as_bytes());
        let c2 = client.step(&s1).unwrap();
        assert_eq!(String::from_utf8(c2.clone()).unwrap(), client_final);
        let ServerStep::Challenge(s2) = server.step(&c2).unwrap() else {
            panic!()
        };
        assert_eq!(String::from_utf8(s2.clone()).unwrap(), server_final);
        assert_eq!(client.step(&s2).unwrap(), b"");
        client.finish().unwrap();
        assert_eq!(
            server.step(b"").unwrap(),
            ServerStep::Done(Outcome::Success {
                authcid: "user".into(),
                authzid: None
            })
        );
    }

    #[test]
    fn rfc5802_section5_scram_sha_1() {
        known_answer(
            &Mechanism::SCRAM_SHA_1,
            ScramHash::Sha1,
            [
                "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
                "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
                "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
                "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
            ],
            "QSXCR+Q6sek8bf92",
        );
    }

    #[test]
    fn rfc7677_section3_scram_sha_256() {
        known_answer(
            &Mechanism::SCRAM_SHA_256,
            ScramHash::Sha256,
            [
                "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
            ],
            "W22ZaJ0SNY7soEsUEjb6gQ==",
        );
    }

    #[test]
    fn saslname_escapes() {
        assert_eq!(encode_saslname("a,b=c"), "a=2Cb=3Dc");
        assert_eq!(decode_saslname(b"a=2Cb=3Dc").unwrap(), "a,b=c");
        for bad in [&b"a=2c"[..], b"a=", b"=41", b"", b"\xff"] {
            assert_eq!(decode_saslname(bad), Err(malformed("saslname")), "{bad:?}");
        }
    }

    #[test]
    fn client_first_grammar() {
        let first = parse_client_first(b"p=tls-exporter,a=ad=2Cmin,n=us=3Der,r=abc,x=ext").unwrap();
        assert_eq!(first.flag, CbindFlag::Required("tls-exporter".into()));
        assert_eq!(first.gs2_header, b"p=tls-exporter,a=ad=2Cmin,");
        assert_eq!(first.authzid.as_deref(), Some("ad,min"));
        assert_eq!(first.authcid, "us=er");
        assert_eq!(first.nonce, "abc");
        assert_eq!(first.client_first_bare, "n=us=3Der,r=abc,x=ext");

        let cases: &[(&[u8], Error)] = &[
            (b"", malformed("gs2-header")),
            (b"x,,n=u,r=a", malformed("gs2-cbind-flag")),
            (b"p=,,n=u,r=a", malformed("gs2-cbind-flag")),
            (b"n,", malformed("gs2-header")),
            (b"n,b=x,n=u,r=a", malformed("authzid")),
            (b"n,,m=x,n=u,r=a", Error::UnsupportedExtension),
            (b"n,,r=a,n=u", malformed("username")),
            (b"n,,n=u", malformed("nonce")),
            (b"n,,n=u,r=", malformed("nonce")),
            (b"n,,n=u,r=a\x7f", malformed("nonce")),
            (b"n,,n=u,r=a,1", malformed("client-first-message-bare")),
            (b"n,,n=u=,r=a", malformed("saslname")),
            (b"n,,n=u,r=a,\xff", malformed("client-first-message")),
        ];
        for (message, error) in cases {
            assert_eq!(
                parse_client_first(message).err().as_ref(),
                Some(error),
                "{message:?}"
            );
        }
    }

    #[test]
    fn server_first_grammar() {
        let run = |challenge: &[u8]| {
            let mut client = ScramClient::new(
                &Mechanism::SCRAM_SHA_1,
                "user".into(),
                None,
                Secret::new("pencil".into()),
                None,
                10_000,
            )
            .unwrap()
            .with_nonce("abc");
            client.initial().unwrap();
            client.step(challenge)
        };
        assert!(run(b"r=abcdef,s=QSXCR+Q6sek8bf92,i=1,x=y").is_ok());
        let cases: &[(&[u8], Error)] = &[
            (b"m=x,r=abcdef,s=QSXC,i=1", Error::UnsupportedExtension),
            (b"r=abc,s=QSXC,i=1", Error::NonceMismatch),
            (b"r=xbcdef,s=QSXC,i=1", Error::NonceMismatch),
            (b"s=QSXC,r=abcd,i=1", malformed("nonce")),
            (b"r=abcd,s=QSX,i=1", malformed("salt")),
            (b"r=abcd,i=1", malformed("salt")),
            (b"r=abcd,s=QSXC,i=0", malformed("iteration-count")),
            (b"r=abcd,s=QSXC,i=01", malformed("iteration-count")),
            (b"r=abcd,s=QSXC,i=99999999999", malformed("iteration-count")),
            (b"r=abcd,s=QSXC", malformed("iteration-count")),
            (b"r=abcd,s=QSXC,i=1,", malformed("server-first-message")),
            (
                b"r=abcd,s=QSXC,i=10001",
                Error::LimitExceeded {
                    what: "SCRAM iteration count",
                    limit: 10_000,
                    actual: 10_001,
                },
            ),
        ];
        for (challenge, error) in cases {
            assert_eq!(run(challenge).err().as_ref(), Some(error), "{challenge:?}");
        }
    }

    #[test]
    fn server_error_and_bad_final() {
        let mut client = ScramClient::new(
            &Mechanism::SCRAM_SHA_1,
            "user".into(),
            None,
            Secret::new("pencil".into()),
            None,
            4096,
        )
        .unwrap();
        client.initial().unwrap();
        let ClientState::AwaitServerFirst { client_nonce, .. } = &client.state else {
            panic!()
        };
        let s1 = format!("r={client_nonce}xyz,s=QSXCR+Q6sek8bf92,i=1");
        client.step(s1.as_bytes()).unwrap();
        let mut errored = std::mem::replace(&mut client.state, ClientState::Ended);
        let ClientState::AwaitServerFinal { server_signature } = &mut errored else {
            panic!()
        };
        let signature = server_signature.clone();

        client.state = ClientState::AwaitServerFinal {
            server_signature: signature.clone(),
        };
        assert_eq!(
            client.step(b"e=invalid-proof"),
            Err(Error::ServerError("invalid-proof".into()))
        );
        client.state = ClientState::AwaitServerFinal {
            server_signature: signature.clone(),
        };
        assert_eq!(client.step(b"x=1"), Err(malformed("server-final-message")));
        client.state = ClientState::AwaitServerFinal {
            server_signature: signature.clone(),
        };
        assert_eq!(client.step(b"v=####"), Err(malformed("verifier")));
        client.state = ClientState::AwaitServerFinal {
            server_signature: signature,
        };
        assert_eq!(client.step(b"v=AAAA"), Err(Error::ServerSignatureMismatch));
    }

    #[test]
    fn keys_verify_passwords() {
        let keys = ScramKeys::derive(ScramHash::Sha256, "pencil", b"salt", 16).unwrap();
        assert!(keys.verify_password("pencil").unwrap());
        assert!(!keys.verify_password("pencil2").unwrap());
        assert!(!keys.verify_password("\u{7}").unwrap());
        assert_eq!(
            ScramKeys::derive(ScramHash::Sha1, "p", b"s", 0).err(),
            Some(Error::UnsuitableCredentials {
                expected: "a positive iteration count"
            })
        );
        assert_eq!(
            ScramKeys::derive(ScramHash::Sha1, "\u{7}", b"s", 1).err(),
            Some(Error::Saslprep { field: "password" })
        );
        assert!(!format!("{keys:?}").contains("salt"));
    }
}
