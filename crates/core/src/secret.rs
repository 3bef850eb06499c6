//! [`Secret<T>`]: a value, such as a password or a token, that never shows in logs.

use std::fmt;

/// A credential (password, token, key) whose `Debug` output is redacted.
///
/// Protocol types keep credentials in a `Secret` so that logging a command,
/// an event or an error with `{:?}` never leaks them. The value itself is only
/// reachable through [`Secret::expose_secret`], which makes every use easy to
/// find in review.
///
/// `Secret` deliberately does not implement `Display`.
///
/// # Example
///
/// ```
/// use mailwire_core::Secret;
///
/// let password = Secret::new(String::from("pencil"));
/// assert_eq!(format!("{password:?}"), "Secret([REDACTED])");
/// assert_eq!(password.expose_secret(), "pencil");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps `value`.
    ///
    /// ```
    /// let token = mailwire_core::Secret::new(vec![1u8, 2, 3]);
    /// assert_eq!(token.expose_secret(), &[1, 2, 3]);
    /// ```
    pub const fn new(value: T) -> Self {
        Self(value)
    }

    /// Borrows the secret value.
    ///
    /// ```
    /// let s = mailwire_core::Secret::new("hunter2");
    /// assert_eq!(*s.expose_secret(), "hunter2");
    /// ```
    pub const fn expose_secret(&self) -> &T {
        &self.0
    }

    /// Unwraps the secret value.
    ///
    /// ```
    /// let s = mailwire_core::Secret::new(String::from("hunter2"));
    /// let plain: String = s.into_exposed();
    /// assert_eq!(plain, "hunter2");
    /// ```
    pub fn into_exposed(self) -> T {
        self.0
    }

    /// Applies `f` to the secret value, keeping the result secret.
    ///
    /// ```
    /// let s = mailwire_core::Secret::new("pencil");
    /// let bytes = s.map(|p| p.as_bytes().to_vec());
    /// assert_eq!(bytes.expose_secret(), b"pencil");
    /// ```
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Secret<U> {
        Secret(f(self.0))
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted_even_when_nested() {
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Login {
            user: String,
            password: Secret<String>,
        }
        let login = Login {
            user: "alice".into(),
            password: Secret::new("correct horse".into()),
        };
        let shown = format!("{login:?} {login:#?}");
        assert!(!shown.contains("correct horse"), "{shown}");
        assert!(shown.contains("alice"));
        assert!(shown.contains("[REDACTED]"));
    }

    #[test]
    fn equality_and_map() {
        let a = Secret::new(3);
        assert_eq!(a.clone(), Secret::from(3));
        assert_eq!(a.map(|v| v * 2).into_exposed(), 6);
    }
}
