//! Parser of capability names ([RFC 9051 §9]).
//!
//! [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9

use super::PResult;
use super::core::atom;
use crate::types::capability::Capability;

/// ```abnf
/// capability = ("AUTH=" auth-type) / atom
/// ```
pub(crate) fn capability(input: &[u8]) -> PResult<'_, Capability<'_>> {
    let (rest, a) = atom(input).map_err(super::rename_at(input, "capability"))?;
    Ok((rest, Capability::unchecked(a.into_inner())))
}
