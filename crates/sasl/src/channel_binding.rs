//! [`ChannelBinding`]: data that ties a SASL exchange to its TLS channel.

use std::borrow::Cow;
use std::fmt;

/// Channel binding data for the `-PLUS` mechanisms (RFC 5802 §6, RFC 5056).
///
/// The TLS layer computes it; this crate only carries it. For TLS 1.3 use
/// `tls-exporter` (RFC 9266: the exporter with label
/// `EXPORTER-Channel-Binding`, empty context, 32 bytes); `tls-server-end-point`
/// (RFC 5929 §4) is the hash of the server certificate and works with any
/// TLS version.
///
/// ```
/// use mailwire_sasl::ChannelBinding;
///
/// let cb = ChannelBinding::tls_exporter(vec![7; 32]);
/// assert_eq!(cb.name(), "tls-exporter");
/// assert_eq!(cb.data().len(), 32);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ChannelBinding {
    name: Cow<'static, str>,
    data: Vec<u8>,
}

impl ChannelBinding {
    /// The `tls-exporter` channel binding type (RFC 9266).
    pub const TLS_EXPORTER: &'static str = "tls-exporter";
    /// The `tls-server-end-point` channel binding type (RFC 5929 §4).
    pub const TLS_SERVER_END_POINT: &'static str = "tls-server-end-point";
    /// The `tls-unique` channel binding type (RFC 5929 §3), TLS 1.2 only.
    pub const TLS_UNIQUE: &'static str = "tls-unique";

    /// `tls-exporter` data (RFC 9266).
    ///
    /// ```
    /// let cb = mailwire_sasl::ChannelBinding::tls_exporter(vec![1, 2]);
    /// assert_eq!(cb.data(), &[1, 2]);
    /// ```
    pub fn tls_exporter(data: Vec<u8>) -> Self {
        ChannelBinding {
            name: Cow::Borrowed(Self::TLS_EXPORTER),
            data,
        }
    }

    /// `tls-server-end-point` data (RFC 5929 §4).
    ///
    /// ```
    /// let cb = mailwire_sasl::ChannelBinding::tls_server_end_point(vec![1, 2]);
    /// assert_eq!(cb.name(), "tls-server-end-point");
    /// ```
    pub fn tls_server_end_point(data: Vec<u8>) -> Self {
        ChannelBinding {
            name: Cow::Borrowed(Self::TLS_SERVER_END_POINT),
            data,
        }
    }

    /// Data of another channel binding type; `None` if `name` is not a
    /// `cb-name` (RFC 5802 §7: `1*(ALPHA / DIGIT / "." / "-")`).
    ///
    /// ```
    /// use mailwire_sasl::ChannelBinding;
    /// assert!(ChannelBinding::new("tls-unique", vec![1]).is_some());
    /// assert!(ChannelBinding::new("a,b", vec![1]).is_none());
    /// ```
    pub fn new(name: &str, data: Vec<u8>) -> Option<Self> {
        is_cb_name(name.as_bytes()).then(|| ChannelBinding {
            name: Cow::Owned(name.to_owned()),
            data,
        })
    }

    /// The channel binding type, such as `tls-exporter`.
    ///
    /// ```
    /// let cb = mailwire_sasl::ChannelBinding::tls_exporter(vec![]);
    /// assert_eq!(cb.name(), "tls-exporter");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The channel binding data.
    ///
    /// ```
    /// let cb = mailwire_sasl::ChannelBinding::tls_exporter(vec![9]);
    /// assert_eq!(cb.data(), &[9]);
    /// ```
    pub fn data(&self) -> &[u8] {
        &self.data
    }
}

impl fmt::Debug for ChannelBinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChannelBinding")
            .field("name", &self.name)
            .field("data_len", &self.data.len())
            .finish()
    }
}

/// `cb-name = 1*(ALPHA / DIGIT / "." / "-")` (RFC 5802 §7).
pub(crate) fn is_cb_name(name: &[u8]) -> bool {
    !name.is_empty()
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'-')
}
