//! `REQUIRETLS` ([RFC 8689]): a sender asks that its message travel only
//! over TLS.
//!
//! The extension is announced only under TLS ([RFC 8689 §2]), and a `MAIL`
//! with `REQUIRETLS` received in plaintext is refused with `530 5.7.10`
//! ([RFC 8689 §5]).
//!
//! [RFC 8689]: https://www.rfc-editor.org/rfc/rfc8689
//! [RFC 8689 §2]: https://www.rfc-editor.org/rfc/rfc8689#section-2
//! [RFC 8689 §5]: https://www.rfc-editor.org/rfc/rfc8689#section-5
//!
//! ```
//! use mailwire_smtp::ext::requiretls::{check, is_offered};
//! assert!(is_offered(true, true) && !is_offered(true, false));
//! assert!(check(true, true).is_ok() && check(false, false).is_ok());
//! assert_eq!(check(true, false).unwrap_err().code().get(), 530);
//! ```

use crate::types::reply::{EnhancedCode, Reply, ReplyCode};

/// `true` if a server configured to offer `REQUIRETLS` announces it now.
pub const fn is_offered(configured: bool, tls: bool) -> bool {
    configured && tls
}

/// Checks a `MAIL` that may carry `REQUIRETLS`.
///
/// # Errors
///
/// The `530 5.7.10` reply for `REQUIRETLS` outside TLS.
pub fn check(requested: bool, tls: bool) -> Result<(), Reply<'static>> {
    if requested && !tls {
        Err(Reply::new_static(
            ReplyCode::AUTH_REQUIRED,
            Some(EnhancedCode::ENCRYPTION_NEEDED),
            "REQUIRETLS needs TLS",
        ))
    } else {
        Ok(())
    }
}
