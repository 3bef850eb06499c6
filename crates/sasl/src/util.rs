//! Small helpers shared by the mechanisms.

use crate::Error;

/// Fills `buf` from the operating system's random source.
pub(crate) fn random_bytes(buf: &mut [u8]) -> Result<(), Error> {
    getrandom::fill(buf).map_err(|_| Error::Random)
}

/// `data` as UTF-8, or [`Error::Malformed`] naming `rule`.
pub(crate) fn utf8<'a>(data: &'a [u8], rule: &'static str) -> Result<&'a str, Error> {
    std::str::from_utf8(data).map_err(|_| crate::error::malformed(rule))
}

/// Prepares `s` with SASLprep (RFC 4013); fails on prohibited output or an
/// empty result.
pub(crate) fn saslprep(s: &str, field: &'static str) -> Result<String, Error> {
    match stringprep::saslprep(s) {
        Ok(prepared) if !prepared.is_empty() => Ok(prepared.into_owned()),
        _ => Err(Error::Saslprep { field }),
    }
}

/// Splits `data` at every `separator`.
pub(crate) fn split(data: &[u8], separator: u8) -> impl Iterator<Item = &[u8]> {
    data.split(move |b| *b == separator)
}
