//! The ID command ([RFC 2971 §4]).
//!
//! [RFC 2971 §4]: https://www.rfc-editor.org/rfc/rfc2971#section-4

use super::core::{nil, nstring, string};
use super::{PResult, byte, sp};
use crate::limits::ParserConfig;
use crate::types::command::CommandBody;

/// ```abnf
/// id             = "ID" SP id-params-list
/// id-params-list = "(" [string SP nstring *(SP string SP nstring)] ")" / nil
/// ```
pub(crate) fn id<'a>(input: &'a [u8], config: &ParserConfig) -> PResult<'a, CommandBody<'a>> {
    let (input, ()) = sp(input)?;
    if let Ok((rest, ())) = nil(input) {
        return Ok((rest, CommandBody::Id { parameters: None }));
    }
    let (mut input, ()) = byte(input, b'(', "id-params-list")?;
    let mut parameters = Vec::new();
    if let Ok((rest, ())) = byte(input, b')', "\")\"") {
        return Ok((
            rest,
            CommandBody::Id {
                parameters: Some(parameters),
            },
        ));
    }
    loop {
        let (rest, key) = string(input, config)?;
        let (rest, ()) = sp(rest)?;
        let (rest, value) = nstring(rest, config)?;
        parameters.push((key, value));
        match sp(rest) {
            Ok((rest, ())) => input = rest,
            Err(_) => {
                input = rest;
                break;
            }
        }
    }
    let (input, ()) = byte(input, b')', "\")\"")?;
    Ok((
        input,
        CommandBody::Id {
            parameters: Some(parameters),
        },
    ))
}
