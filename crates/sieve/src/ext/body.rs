//! body ([RFC 5173]): the texts a body test compares.
//!
//! [RFC 5173]: https://www.rfc-editor.org/rfc/rfc5173

use mailwire_message::Part;

use crate::error::RuntimeError;
use crate::run::Run;
use crate::types::BodyTransform;

/// The values a body test matches its keys against ([RFC 5173 §5]):
/// `:raw` is the undecoded body; `:text` each text part decoded to UTF-8;
/// `:content` the leaf parts of the listed types, text decoded and others
/// transfer-decoded.
///
/// [RFC 5173 §5]: https://www.rfc-editor.org/rfc/rfc5173#section-5
pub(crate) fn values(
    run: &mut Run<'_, '_>,
    transform: &BodyTransform,
) -> Result<Vec<String>, RuntimeError> {
    let mut out = Vec::new();
    match transform {
        BodyTransform::Raw => {
            let mut buf = Vec::new();
            run.message.write_to(&mut buf);
            let start = usize::try_from(run.message.root().body_offset()).unwrap_or(usize::MAX);
            let body = buf.get(start..).unwrap_or_default();
            run.charge(body.len())?;
            out.push(String::from_utf8_lossy(body).into_owned());
        }
        BodyTransform::Text => {
            let message = run.message;
            for part in message.root().leaves() {
                if is_text(part) {
                    let text = part.text().0;
                    run.charge(text.len())?;
                    out.push(text.into_owned());
                }
            }
        }
        BodyTransform::Content(types) => {
            let types = run.expand_list(types)?;
            let message = run.message;
            for part in message.root().leaves() {
                let content_type = part.content_type();
                let wanted = types.iter().any(|t| match t.split_once('/') {
                    None => t.is_empty() || content_type.media_type().eq_ignore_ascii_case(t),
                    Some((m, s)) => content_type.is(m, s),
                });
                if !wanted {
                    continue;
                }
                let value = if is_text(part) {
                    part.text().0.into_owned()
                } else {
                    String::from_utf8_lossy(&part.decoded_body().0).into_owned()
                };
                run.charge(value.len())?;
                out.push(value);
            }
        }
    }
    Ok(out)
}

fn is_text(part: &Part<'_>) -> bool {
    part.content_type()
        .media_type()
        .eq_ignore_ascii_case("text")
}
