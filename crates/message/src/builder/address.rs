//! Writing mailboxes and address lists ([RFC 5322 §3.4]): display names as
//! atoms, quoted strings or encoded words ([RFC 2047 §5 (3)]), addresses
//! in ASCII (IDNA) or, when asked, UTF-8 ([RFC 6532 §3.2]).
//!
//! [RFC 5322 §3.4]: https://www.rfc-editor.org/rfc/rfc5322#section-3.4
//! [RFC 2047 §5 (3)]: https://www.rfc-editor.org/rfc/rfc2047#section-5
//! [RFC 6532 §3.2]: https://www.rfc-editor.org/rfc/rfc6532#section-3.2

use std::borrow::Cow;

use super::BuildError;
use super::fold::{Context, Folder};
use super::punycode::domain_to_ascii;
use crate::address::{AddrSpec, DomainPart, Mailbox};
use crate::lexical::is_atext;

/// Parses `"Name <local@domain>"` or a bare `local@domain` into a
/// [`Mailbox`], for the builder's convenience setters.
///
/// ```
/// use mailwire_message::builder::mailbox;
/// let m = mailbox("Zoë Example <zoe@example.org>").unwrap();
/// assert_eq!((m.name(), m.raw_address()), (Some("Zoë Example"), "zoe@example.org"));
/// assert!(mailbox("not an address").is_err());
/// ```
pub fn mailbox(text: &str) -> Result<Mailbox<'static>, BuildError> {
    let text = text.trim();
    let (name, address) = match text.rsplit_once('<') {
        Some((name, rest)) => {
            let address = rest
                .strip_suffix('>')
                .ok_or_else(|| BuildError::InvalidAddress(text.to_owned()))?;
            let name = name.trim();
            let name = name
                .strip_prefix('"')
                .and_then(|n| n.strip_suffix('"'))
                .unwrap_or(name);
            ((!name.is_empty()).then(|| name.to_owned()), address)
        }
        None => (None, text),
    };
    let spec = AddrSpec::try_from(address)
        .map_err(|_| BuildError::InvalidAddress(text.to_owned()))?
        .into_owned();
    Ok(Mailbox::new(name.map(Cow::Owned), spec))
}

/// The address as it is written: the domain in ASCII unless `utf8`.
pub(crate) fn addr_spec_text(spec: &AddrSpec<'_>, utf8: bool) -> Result<String, BuildError> {
    let local = spec.local_part().as_str();
    if !utf8 && !local.is_ascii() {
        return Err(BuildError::NeedsUtf8(spec.to_string()));
    }
    let domain = match spec.domain() {
        DomainPart::Domain(d) if !utf8 && !d.as_str().is_ascii() => domain_to_ascii(d.as_str())
            .ok_or_else(|| BuildError::InvalidAddress(spec.to_string()))?,
        other => other.as_str().to_owned(),
    };
    Ok(format!("{local}@{domain}"))
}

/// Writes a display name: atoms, a quoted string, or encoded words.
fn display_name(folder: &mut Folder<'_>, name: &str, utf8: bool) -> Result<(), BuildError> {
    let printable = name.chars().all(|c| c == ' ' || !c.is_control()) && (utf8 || name.is_ascii());
    if !printable || name.contains("=?") {
        return folder.encoded(name, Context::Phrase);
    }
    let words: Vec<&str> = name.split(' ').collect();
    // A piece of a quoted string must fit on a line of its own.
    if words
        .iter()
        .any(|w| w.len().saturating_add(w.matches(['"', '\\']).count()) > 74)
    {
        return folder.encoded(name, Context::Phrase);
    }
    if words
        .iter()
        .all(|w| !w.is_empty() && w.bytes().all(is_atext))
    {
        for word in words {
            folder.token(word.as_bytes())?;
        }
        return Ok(());
    }
    // A quoted string, with fold points at its spaces.
    let last = words.len().saturating_sub(1);
    for (i, word) in words.iter().enumerate() {
        let mut token = Vec::with_capacity(word.len().saturating_add(2));
        if i == 0 {
            token.push(b'"');
        }
        for b in word.bytes() {
            if b == b'"' || b == b'\\' {
                token.push(b'\\');
            }
            token.push(b);
        }
        if i == last {
            token.push(b'"');
        }
        folder.token(&token)?;
    }
    Ok(())
}

/// Writes a mailbox list, comma separated, folding between mailboxes and
/// inside display names.
pub(crate) fn mailbox_list(
    folder: &mut Folder<'_>,
    mailboxes: &[Mailbox<'_>],
    utf8: bool,
) -> Result<(), BuildError> {
    let last = mailboxes.len().saturating_sub(1);
    for (i, mailbox) in mailboxes.iter().enumerate() {
        let address = match mailbox.addr_spec() {
            Some(spec) => addr_spec_text(spec, utf8)?,
            None => return Err(BuildError::InvalidAddress(mailbox.raw_address().to_owned())),
        };
        let mut token = match mailbox.name() {
            Some(name) if !name.is_empty() => {
                display_name(folder, name, utf8)?;
                format!("<{address}>")
            }
            _ => address,
        };
        if i != last {
            token.push(',');
        }
        folder.token(token.as_bytes())?;
    }
    Ok(())
}
