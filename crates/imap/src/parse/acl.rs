//! ACL commands ([RFC 4314 §3]).
//!
//! [RFC 4314 §3]: https://www.rfc-editor.org/rfc/rfc4314#section-3

use super::core::astring;
use super::mailbox::mailbox;
use super::{PResult, sp};
use crate::limits::ParserConfig;
use crate::types::command::CommandBody;

/// ```abnf
/// setacl     = "SETACL" SP mailbox SP identifier SP mod-rights
/// identifier = astring
/// mod-rights = astring   ; +rights to add, -rights to remove
/// ```
pub(crate) fn setacl<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, mailbox) = mailbox(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, identifier) = astring(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, rights) = astring(input, config)?;
    Ok((
        input,
        CommandBody::SetAcl {
            mailbox,
            identifier,
            rights,
        },
    ))
}

/// ```abnf
/// deleteacl = "DELETEACL" SP mailbox SP identifier
/// ```
pub(crate) fn deleteacl<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, mailbox) = mailbox(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, identifier) = astring(input, config)?;
    Ok((
        input,
        CommandBody::DeleteAcl {
            mailbox,
            identifier,
        },
    ))
}

/// ```abnf
/// listrights = "LISTRIGHTS" SP mailbox SP identifier
/// ```
pub(crate) fn listrights<'a>(
    input: &'a [u8],
    config: &ParserConfig,
) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    let (input, mailbox) = mailbox(input, config)?;
    let (input, ()) = sp(input)?;
    let (input, identifier) = astring(input, config)?;
    Ok((
        input,
        CommandBody::ListRights {
            mailbox,
            identifier,
        },
    ))
}
