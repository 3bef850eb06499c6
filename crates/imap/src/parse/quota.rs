//! QUOTA commands ([RFC 9208 §6]).
//!
//! [RFC 9208 §6]: https://www.rfc-editor.org/rfc/rfc9208#section-6

use super::core::{astring, atom, number64};
use super::{PResult, paren_list, sp};
use crate::limits::ParserConfig;
use crate::types::command::CommandBody;
use crate::types::quota::QuotaResource;

/// ```abnf
/// getquota        = "GETQUOTA" SP quota-root-name
/// quota-root-name = astring
/// ```
pub(crate) fn getquota<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, root) = astring(input, config)?;
    Ok((input, CommandBody::GetQuota { root }))
}

/// ```abnf
/// setquota          = "SETQUOTA" SP quota-root-name SP setquota-list
/// setquota-list     = "(" [setquota-resource *(SP setquota-resource)] ")"
/// setquota-resource = resource-name SP resource-limit
/// resource-limit    = number64
/// ```
pub(crate) fn setquota<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, root) = astring(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, limits) = paren_list(input, false, setquota_resource)?;
    Ok((input, CommandBody::SetQuota { root, limits }))
}

/// ```abnf
/// setquota-resource = resource-name SP resource-limit
/// ```
fn setquota_resource(input: &[u8]) -> PResult<'_, (QuotaResource<'_>, u64)> {
    let (input, name) = atom(input).map_err(super::rename_at(input, "resource-name"))?;
    let (input, ()) = sp(input)?;
    let (input, limit) = number64(input)?;
    Ok((input, (QuotaResource::from_atom(name), limit)))
}
