//! Parameter encoder ([RFC 5321 §4.1.2]; `xtext` per [RFC 3461 §4]).
//!
//! [RFC 5321 §4.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2
//! [RFC 3461 §4]: https://www.rfc-editor.org/rfc/rfc3461#section-4
//!
//! Known parameters are written in a fixed order, then the others in theirs.
//!
//! ```
//! use mailwire_smtp::encode::parameter::encode_mail_parameters;
//! use mailwire_smtp::{MailParameters, MtPriority};
//! let p = MailParameters { requiretls: true, mt_priority: MtPriority::new(-2), ..Default::default() };
//! let mut out = Vec::new();
//! encode_mail_parameters(&p, &mut out);
//! assert_eq!(out, b" REQUIRETLS MT-PRIORITY=-2");
//! ```

use std::io::Write as _;

use crate::types::parameter::{MailParameters, Parameter, RcptParameters};

/// Appends the `xtext` form of `text` (printable ASCII).
pub(crate) fn push_xtext(text: &str, out: &mut String) {
    for b in text.bytes() {
        if matches!(b, 33..=126) && b != b'+' && b != b'=' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("+{b:02X}"));
        }
    }
}

fn xtext(text: &str, out: &mut Vec<u8>) {
    let mut s = String::with_capacity(text.len());
    push_xtext(text, &mut s);
    out.extend_from_slice(s.as_bytes());
}

fn others(other: &[Parameter<'_>], out: &mut Vec<u8>) {
    for p in other {
        out.push(b' ');
        out.extend_from_slice(p.keyword().as_bytes());
        if let Some(v) = p.value() {
            out.push(b'=');
            out.extend_from_slice(v.as_bytes());
        }
    }
}

/// Appends `MAIL` parameters, each with a leading SP.
pub fn encode_mail_parameters(p: &MailParameters<'_>, out: &mut Vec<u8>) {
    if let Some(size) = p.size {
        let _ = write!(out, " SIZE={size}");
    }
    if let Some(body) = p.body {
        out.extend_from_slice(b" BODY=");
        out.extend_from_slice(body.as_str().as_bytes());
    }
    if p.smtputf8 {
        out.extend_from_slice(b" SMTPUTF8");
    }
    if let Some(ret) = p.ret {
        out.extend_from_slice(b" RET=");
        out.extend_from_slice(ret.as_str().as_bytes());
    }
    if let Some(envid) = &p.envid {
        out.extend_from_slice(b" ENVID=");
        xtext(envid.as_str(), out);
    }
    if let Some(auth) = &p.auth {
        out.extend_from_slice(b" AUTH=");
        xtext(auth.as_str(), out);
    }
    if p.requiretls {
        out.extend_from_slice(b" REQUIRETLS");
    }
    if let Some(priority) = p.mt_priority {
        let _ = write!(out, " MT-PRIORITY={}", priority.get());
    }
    others(&p.other, out);
}

/// Appends `RCPT` parameters, each with a leading SP.
///
/// ```
/// use mailwire_smtp::encode::parameter::encode_rcpt_parameters;
/// use mailwire_smtp::{Notify, RcptParameters};
/// let p = RcptParameters { notify: Some(Notify::NEVER), ..Default::default() };
/// let mut out = Vec::new();
/// encode_rcpt_parameters(&p, &mut out);
/// assert_eq!(out, b" NOTIFY=NEVER");
/// ```
pub fn encode_rcpt_parameters(p: &RcptParameters<'_>, out: &mut Vec<u8>) {
    if let Some(notify) = p.notify {
        let _ = write!(out, " NOTIFY={notify}");
    }
    if let Some(orcpt) = &p.orcpt {
        let _ = write!(out, " ORCPT={orcpt}");
    }
    others(&p.other, out);
}
