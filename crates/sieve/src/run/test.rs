//! Evaluating tests ([RFC 5228 §5] and the extension RFCs).
//!
//! [RFC 5228 §5]: https://www.rfc-editor.org/rfc/rfc5228#section-5

use std::borrow::Cow;

use mailwire_message::address::{AddressList, Mode};
use mailwire_message::header::Field;

use super::exec::Run;
use crate::error::RuntimeError;
use crate::types::{AddressPart, DuplicateSource, Index, StrList, Test};

impl<'r, 'm> Run<'r, 'm> {
    /// Evaluates a test.
    pub(crate) fn test(&mut self, test: &Test) -> Result<bool, RuntimeError> {
        self.charge(1)?;
        Ok(match test {
            Test::True => true,
            Test::False => false,
            Test::Not(t) => !self.test(t)?,
            Test::AllOf(tests) => {
                for t in tests {
                    if !self.test(t)? {
                        return Ok(false);
                    }
                }
                true
            }
            Test::AnyOf(tests) => {
                for t in tests {
                    if self.test(t)? {
                        return Ok(true);
                    }
                }
                false
            }
            Test::Exists(names) => {
                let names = self.expand_list(names)?;
                names.iter().all(|n| self.message.header().get(n).is_some())
            }
            Test::Size { over, limit } => {
                let size = self.message_size();
                if *over { size > *limit } else { size < *limit }
            }
            Test::Header {
                matcher,
                index,
                headers,
                keys,
            } => {
                let names = self.expand_list(headers)?;
                let mut values = Vec::new();
                for name in &names {
                    for field in self.fields(name, *index) {
                        values.push(field.text().into_owned());
                    }
                }
                self.charge(values.iter().map(String::len).sum())?;
                self.match_values(*matcher, &values, keys)?
            }
            Test::Address {
                matcher,
                part,
                index,
                headers,
                keys,
            } => {
                let names = self.expand_list(headers)?;
                let mut values = Vec::new();
                for name in &names {
                    for field in self.fields(name, *index) {
                        let raw = field.unfolded();
                        let (list, _) = AddressList::parse(&raw, Mode::Lenient);
                        for mailbox in list.mailboxes() {
                            let (local, domain) = match mailbox.addr_spec() {
                                Some(spec) => (
                                    spec.local_part().content().into_owned(),
                                    spec.domain().as_str().to_owned(),
                                ),
                                None => split_address(mailbox.raw_address()),
                            };
                            if let Some(v) = self.address_part(*part, &local, &domain) {
                                values.push(v);
                            }
                        }
                    }
                }
                self.match_values(*matcher, &values, keys)?
            }
            Test::Envelope {
                matcher,
                part,
                parts,
                keys,
            } => {
                let parts = self.expand_list(parts)?;
                let mut values = Vec::new();
                for p in &parts {
                    let address = match p.to_ascii_lowercase().as_str() {
                        "from" => Some(self.envelope.from.clone()),
                        "to" => Some(self.envelope.to.clone()),
                        "auth" => self.envelope.auth.clone(),
                        _ => None,
                    };
                    let Some(address) = address else { continue };
                    // RFC 5228 §5.4: the null reverse path is the empty
                    // string, whatever the address part.
                    if address.is_empty() {
                        values.push(String::new());
                        continue;
                    }
                    let (local, domain) = split_address(&address);
                    if let Some(v) = self.address_part(*part, &local, &domain) {
                        values.push(v);
                    }
                }
                self.match_values(*matcher, &values, keys)?
            }
            Test::String {
                matcher,
                sources,
                keys,
            } => {
                let mut values: Vec<String> = self
                    .expand_list(sources)?
                    .into_iter()
                    .map(Cow::into_owned)
                    .collect();
                if matches!(matcher.kind, crate::types::MatchKind::Count(_)) {
                    values.retain(|v| !v.is_empty());
                }
                self.match_values(*matcher, &values, keys)?
            }
            Test::HasFlag {
                matcher,
                variables,
                flags,
            } => {
                let names = match variables {
                    Some(v) => self.expand_list(v)?,
                    None => vec![Cow::Borrowed("")],
                };
                let mut values = Vec::new();
                for name in &names {
                    values.extend(crate::ext::flags::split(
                        self.variables.get(name.as_ref()).map_or("", String::as_str),
                    ));
                }
                let keys = self.flag_list(flags)?;
                let keys: StrList = keys
                    .into_iter()
                    .map(crate::compile::string::Str::literal)
                    .collect();
                self.match_values(*matcher, &values, &keys)?
            }
            Test::Body {
                matcher,
                transform,
                keys,
            } => {
                let values = crate::ext::body::values(self, transform)?;
                self.match_values(*matcher, &values, keys)?
            }
            Test::Date {
                matcher,
                zone,
                index,
                header,
                part,
                keys,
            } => {
                let name = self.expand(header)?.into_owned();
                let zone = crate::ext::date::resolve_zone(self, zone)?;
                let mut values = Vec::new();
                for field in self.fields(&name, *index) {
                    if let Some(v) = crate::ext::date::field_part(field, &name, zone, *part) {
                        values.push(v);
                    }
                }
                self.match_values(*matcher, &values, keys)?
            }
            Test::CurrentDate {
                matcher,
                zone,
                part,
                keys,
            } => {
                let zone = crate::ext::date::resolve_zone(self, zone)?;
                let now = self.context.now();
                let value = crate::ext::date::part(now, zone, *part);
                self.match_values(*matcher, &[value], keys)?
            }
            Test::MailboxExists(names) => {
                let names = self.expand_list(names)?;
                names.iter().all(|n| self.context.mailbox_exists(n))
            }
            Test::Duplicate(d) => {
                let id = match &d.source {
                    DuplicateSource::UniqueId(s) => Some(self.expand(s)?.into_owned()),
                    DuplicateSource::Header(name) => {
                        let name = self.expand(name)?.into_owned();
                        self.message
                            .header()
                            .get(&name)
                            .map(|f| f.text().into_owned())
                    }
                };
                let Some(id) = id else { return Ok(false) };
                let handle = match &d.handle {
                    Some(h) => self.expand(h)?.into_owned(),
                    None => String::new(),
                };
                let seen = self.context.is_duplicate(&handle, &id);
                let seconds = d
                    .seconds
                    .unwrap_or(self.config.duplicate_default_seconds)
                    .min(self.config.duplicate_max_seconds);
                if !self
                    .duplicates
                    .iter()
                    .any(|r| r.handle == handle && r.id == id)
                {
                    self.duplicates.push(super::DuplicateRecord {
                        handle,
                        id,
                        seconds,
                        last: d.last,
                    });
                }
                seen
            }
        })
    }

    /// The fields named `name`, or only the one `:index` picks
    /// ([RFC 5260 §6]).
    ///
    /// [RFC 5260 §6]: https://www.rfc-editor.org/rfc/rfc5260#section-6
    pub(crate) fn fields<'s>(&self, name: &'s str, index: Option<Index>) -> Vec<&'s Field<'m>>
    where
        'r: 's,
    {
        let message: &'r mailwire_message::Message<'m> = self.message;
        let all: Vec<&'s Field<'m>> = message.header().get_all(name).collect();
        match index {
            None => all,
            Some(Index { nth, last }) => {
                let n = usize::try_from(nth.saturating_sub(1)).unwrap_or(usize::MAX);
                let picked = if last {
                    all.len().checked_sub(1).and_then(|l| l.checked_sub(n))
                } else {
                    Some(n)
                };
                picked
                    .and_then(|i| all.get(i).copied())
                    .into_iter()
                    .collect()
            }
        }
    }

    /// The part of an address a test compares ([RFC 5228 §2.7.4],
    /// [RFC 5233 §4]); `None` when there is none (`:detail` without a
    /// separator).
    ///
    /// [RFC 5228 §2.7.4]: https://www.rfc-editor.org/rfc/rfc5228#section-2.7.4
    /// [RFC 5233 §4]: https://www.rfc-editor.org/rfc/rfc5233#section-4
    fn address_part(&self, part: AddressPart, local: &str, domain: &str) -> Option<String> {
        let separator = self.config.subaddress_separator;
        Some(match part {
            AddressPart::All if domain.is_empty() => local.to_owned(),
            AddressPart::All => format!("{local}@{domain}"),
            AddressPart::LocalPart => local.to_owned(),
            AddressPart::Domain => domain.to_owned(),
            AddressPart::User => local.split(separator).next().unwrap_or(local).to_owned(),
            AddressPart::Detail => local.split_once(separator)?.1.to_owned(),
        })
    }
}

/// Splits `local@domain` at the last `@`, dropping angle brackets.
fn split_address(address: &str) -> (String, String) {
    let a = address.trim().trim_start_matches('<').trim_end_matches('>');
    match a.rsplit_once('@') {
        Some((l, d)) => (l.to_owned(), d.to_owned()),
        None => (a.to_owned(), String::new()),
    }
}
