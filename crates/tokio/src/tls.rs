//! TLS configuration with rustls (ring provider): certificates and keys
//! from PEM files, self-signed certificates for local use, and client
//! configurations that verify against the system roots plus extra
//! certificate authorities.
//!
//! ```
//! use mailwire_tokio::tls::{self, SelfSigned};
//!
//! // A server certificate for local use, and a client that trusts it.
//! let self_signed = SelfSigned::generate(&["localhost", "127.0.0.1"]).unwrap();
//! let server = self_signed.server_config().unwrap();
//! let client = tls::client_config(false, &[self_signed.certificate().clone()]).unwrap();
//! # let _ = (server, client);
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};

pub use rustls::{ClientConfig, ServerConfig};
pub use tokio_rustls::{TlsAcceptor, TlsConnector};

/// Why a TLS configuration could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A PEM file could not be read or parsed.
    #[error("{path}: {message}")]
    Pem {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// rustls refused the certificates, key or settings.
    #[error("TLS configuration: {0}")]
    Rustls(#[from] rustls::Error),
    /// Generating a self-signed certificate failed.
    #[error("self-signed certificate: {0}")]
    Generate(#[from] rcgen::Error),
    /// No trust anchor at all: neither system roots nor extra ones.
    #[error("no certificate authority to verify servers against")]
    NoRoots,
}

/// The crypto provider used everywhere in this crate: rustls with *ring*.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Reads every certificate of a PEM file, in order (leaf first for a
/// chain).
///
/// # Errors
///
/// [`TlsError::Pem`] if the file cannot be read, is not PEM or holds no
/// certificate.
pub fn load_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let pem = |message: String| TlsError::Pem {
        path: path.to_owned(),
        message,
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| pem(e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| pem(e.to_string()))?;
    if certs.is_empty() {
        return Err(pem("no CERTIFICATE block".into()));
    }
    Ok(certs)
}

/// Reads the private key of a PEM file (PKCS#8, PKCS#1 or SEC1).
///
/// # Errors
///
/// [`TlsError::Pem`] if the file cannot be read or holds no key.
pub fn load_private_key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    PrivateKeyDer::from_pem_file(path).map_err(|e| TlsError::Pem {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

/// A server configuration for `certs` (leaf first) and `key`.
///
/// # Errors
///
/// [`TlsError::Rustls`] if the key does not match the certificate or is of
/// an unsupported type.
pub fn server_config(
    certs: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<Arc<ServerConfig>, TlsError> {
    let config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs, key)?;
    Ok(Arc::new(config))
}

/// A server configuration from a certificate chain and a key in PEM files.
///
/// # Errors
///
/// As [`load_certificates`], [`load_private_key`] and [`server_config`].
pub fn server_config_from_pem(
    cert_path: &Path,
    key_path: &Path,
) -> Result<Arc<ServerConfig>, TlsError> {
    server_config(load_certificates(cert_path)?, load_private_key(key_path)?)
}

/// A client configuration that verifies servers against the system's
/// trusted roots (when `system_roots` is set) and `extra_roots`.
///
/// There is no way to turn verification off.
///
/// # Errors
///
/// [`TlsError::NoRoots`] if no root at all could be loaded, and
/// [`TlsError::Rustls`] for an unusable extra root.
pub fn client_config(
    system_roots: bool,
    extra_roots: &[CertificateDer<'static>],
) -> Result<Arc<ClientConfig>, TlsError> {
    let mut roots = rustls::RootCertStore::empty();
    if system_roots {
        let native = rustls_native_certs::load_native_certs();
        for error in &native.errors {
            tracing::debug!(%error, "system certificate store");
        }
        let (added, ignored) = roots.add_parsable_certificates(native.certs);
        tracing::debug!(added, ignored, "system roots loaded");
    }
    for cert in extra_roots {
        roots.add(cert.clone())?;
    }
    if roots.is_empty() {
        return Err(TlsError::NoRoots);
    }
    let config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// The name a server certificate is checked against: a DNS name or an IP
/// address.
///
/// # Errors
///
/// `None` if `host` is neither.
///
/// ```
/// assert!(mailwire_tokio::tls::server_name("mx.example.org").is_some());
/// assert!(mailwire_tokio::tls::server_name("127.0.0.1").is_some());
/// assert!(mailwire_tokio::tls::server_name("not a name").is_none());
/// ```
pub fn server_name(host: &str) -> Option<ServerName<'static>> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    ServerName::try_from(host.to_owned()).ok()
}

/// A self-signed certificate and its key, generated for local use.
///
/// ```
/// let s = mailwire_tokio::tls::SelfSigned::generate(&["localhost"]).unwrap();
/// assert!(s.certificate_pem().starts_with("-----BEGIN CERTIFICATE-----"));
/// assert!(s.private_key_pem().contains("PRIVATE KEY"));
/// ```
#[derive(Debug)]
pub struct SelfSigned {
    certificate: CertificateDer<'static>,
    certificate_pem: String,
    key: PrivatePkcs8KeyDer<'static>,
    key_pem: String,
}

impl SelfSigned {
    /// Generates an ECDSA P-256 certificate for `names` (DNS names or IP
    /// addresses, as subject alternative names).
    ///
    /// # Errors
    ///
    /// [`TlsError::Generate`] if a name is invalid.
    pub fn generate(names: &[&str]) -> Result<Self, TlsError> {
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let certified = rcgen::generate_simple_self_signed(names)?;
        Ok(Self {
            certificate: certified.cert.der().clone(),
            certificate_pem: certified.cert.pem(),
            key: PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der()),
            key_pem: certified.signing_key.serialize_pem(),
        })
    }

    /// The certificate (DER), for a client to trust.
    pub fn certificate(&self) -> &CertificateDer<'static> {
        &self.certificate
    }

    /// The certificate as PEM, for a client's CA file.
    pub fn certificate_pem(&self) -> &str {
        &self.certificate_pem
    }

    /// The private key as PKCS#8 PEM.
    pub fn private_key_pem(&self) -> &str {
        &self.key_pem
    }

    /// A server configuration presenting this certificate.
    ///
    /// # Errors
    ///
    /// [`TlsError::Rustls`] (not expected for a generated key).
    pub fn server_config(&self) -> Result<Arc<ServerConfig>, TlsError> {
        server_config(
            vec![self.certificate.clone()],
            PrivateKeyDer::Pkcs8(self.key.clone_key()),
        )
    }
}
