//! Path encoder ([RFC 5321 §4.1.2]).
//!
//! [RFC 5321 §4.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2
//!
//! ```
//! use mailwire_smtp::encode::path::encode_reverse_path;
//! use mailwire_smtp::ReversePath;
//! let mut out = Vec::new();
//! encode_reverse_path(&ReversePath::try_from("<a@b.c>").unwrap(), &mut out);
//! assert_eq!(out, b"<a@b.c>");
//! ```

use std::io::Write as _;

use crate::types::path::{AddressLiteral, ForwardPath, Host, Mailbox, ReversePath};

/// Appends a host.
pub fn encode_host(host: &Host<'_>, out: &mut Vec<u8>) {
    match host {
        Host::Domain(d) => out.extend_from_slice(d.as_str().as_bytes()),
        Host::Literal(AddressLiteral::Ipv4(a)) => {
            let _ = write!(out, "[{a}]");
        }
        Host::Literal(l) => {
            let _ = write!(out, "{l}");
        }
    }
}

/// Appends a mailbox.
pub fn encode_mailbox(mailbox: &Mailbox<'_>, out: &mut Vec<u8>) {
    out.extend_from_slice(mailbox.local_part().as_str().as_bytes());
    out.push(b'@');
    encode_host(mailbox.host(), out);
}

/// Appends a reverse path, brackets included.
pub fn encode_reverse_path(path: &ReversePath<'_>, out: &mut Vec<u8>) {
    match path {
        ReversePath::Null => out.extend_from_slice(b"<>"),
        ReversePath::Mailbox(m) => {
            out.push(b'<');
            encode_mailbox(m, out);
            out.push(b'>');
        }
    }
}

/// Appends a forward path, brackets included.
///
/// ```
/// use mailwire_smtp::encode::path::encode_forward_path;
/// use mailwire_smtp::ForwardPath;
/// let mut out = Vec::new();
/// encode_forward_path(&ForwardPath::Postmaster, &mut out);
/// assert_eq!(out, b"<Postmaster>");
/// ```
pub fn encode_forward_path(path: &ForwardPath<'_>, out: &mut Vec<u8>) {
    match path {
        ForwardPath::Postmaster => out.extend_from_slice(b"<Postmaster>"),
        ForwardPath::Mailbox(m) => {
            out.push(b'<');
            encode_mailbox(m, out);
            out.push(b'>');
        }
    }
}
