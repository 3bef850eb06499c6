//! A vector that is never empty, for the grammar's `1*` lists.
//!
//! ```
//! use mailwire_imap::Vec1;
//! assert!(Vec1::<u8>::try_from(vec![]).is_err());
//! let v = Vec1::from(7u8);
//! assert_eq!(v.first(), &7);
//! assert_eq!(v.as_slice(), &[7]);
//! ```

use crate::error::ValueError;

/// A non-empty `Vec`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Vec1<T>(Vec<T>);

impl<T> Vec1<T> {
    /// The items.
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }

    /// The first item.
    #[allow(clippy::indexing_slicing)]
    pub fn first(&self) -> &T {
        // Never empty by construction.
        &self.0[0]
    }

    /// The items as a `Vec`.
    pub fn into_vec(self) -> Vec<T> {
        self.0
    }

    /// Appends an item.
    pub fn push(&mut self, item: T) {
        self.0.push(item);
    }

    /// Maps every item.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Vec1<U> {
        Vec1(self.0.into_iter().map(f).collect())
    }

    /// Iterates over the items.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    pub(crate) fn unchecked(v: Vec<T>) -> Self {
        Self(v)
    }
}

impl<T> TryFrom<Vec<T>> for Vec1<T> {
    type Error = ValueError;
    fn try_from(v: Vec<T>) -> Result<Self, ValueError> {
        if v.is_empty() {
            return Err(ValueError {
                expected: "one or more items",
                index: 0,
                found: mailwire_core::error::Found::EndOfInput,
            });
        }
        Ok(Self(v))
    }
}

impl<T> From<T> for Vec1<T> {
    fn from(item: T) -> Self {
        Self(vec![item])
    }
}

impl<T> std::ops::Deref for Vec1<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<'a, T> IntoIterator for &'a Vec1<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T> IntoIterator for Vec1<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}
