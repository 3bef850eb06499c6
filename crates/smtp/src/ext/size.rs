//! Message size declaration, `SIZE` ([RFC 1870]).
//!
//! A server that announces a maximum refuses a `MAIL` whose `SIZE=`
//! parameter is over it with `552 5.3.4` ([RFC 1870 §6.3]), before any
//! octet of the message is sent; a message that turns out larger than
//! announced gets the same reply once its end is read.
//!
//! [RFC 1870]: https://www.rfc-editor.org/rfc/rfc1870
//! [RFC 1870 §6.3]: https://www.rfc-editor.org/rfc/rfc1870#section-6.3
//!
//! ```
//! use mailwire_smtp::ext::size::check_declared;
//! assert!(check_declared(Some(10), Some(100)).is_ok());
//! assert!(check_declared(None, Some(100)).is_ok());
//! assert_eq!(check_declared(Some(101), Some(100)).unwrap_err().code().get(), 552);
//! ```

use crate::types::reply::{EnhancedCode, Reply, ReplyCode};

/// The reply to a message over the maximum (`552 5.3.4`).
pub fn too_big() -> Reply<'static> {
    Reply::new_static(
        ReplyCode::EXCEEDED_STORAGE,
        Some(EnhancedCode::MESSAGE_TOO_BIG),
        "Message size exceeds fixed maximum message size",
    )
}

/// Checks a declared `SIZE=` against the server's maximum ([RFC 1870 §6.3]).
///
/// [RFC 1870 §6.3]: https://www.rfc-editor.org/rfc/rfc1870#section-6.3
///
/// # Errors
///
/// The `552 5.3.4` reply when the declared size is over the maximum.
pub fn check_declared(declared: Option<u64>, max: Option<u64>) -> Result<(), Reply<'static>> {
    match (declared, max) {
        (Some(size), Some(max)) if size > max => Err(too_big()),
        _ => Ok(()),
    }
}
