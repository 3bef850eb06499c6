//! Reading delivery status notifications.

use std::borrow::Cow;

use super::types::{
    Action, DeliveryStatus, PerMessage, PerRecipient, Returned, StatusCode, TypedValue,
};
use crate::{Body, Message, Part};

/// Most recipient groups [`parse_delivery_status`] reads.
pub const DEFAULT_MAX_RECIPIENTS: usize = 1000;

/// Why a DSN could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DsnError {
    /// The message is not `multipart/report; report-type=delivery-status`
    /// ([RFC 6522 §3]).
    ///
    /// [RFC 6522 §3]: https://www.rfc-editor.org/rfc/rfc6522#section-3
    #[error("not a multipart/report with report-type=delivery-status")]
    NotAReport,
    /// The report has no `message/delivery-status` part.
    #[error("the report has no message/delivery-status part")]
    NoDeliveryStatus,
    /// A line of the delivery-status body is not a field.
    #[error("delivery-status line {line}: expected {expected}")]
    Malformed {
        /// The line number in the delivery-status body, from 1.
        line: usize,
        /// The ABNF rule expected.
        expected: &'static str,
    },
    /// A required field is missing from a group (0 is the per-message
    /// group, 1 the first recipient).
    #[error("delivery-status group {group} lacks {field}")]
    MissingField {
        /// The group.
        group: usize,
        /// The field.
        field: &'static str,
    },
    /// There is no per-recipient group ([RFC 3464 §2.1]: at least one).
    ///
    /// [RFC 3464 §2.1]: https://www.rfc-editor.org/rfc/rfc3464#section-2.1
    #[error("delivery-status has no recipient")]
    NoRecipients,
    /// More recipient groups than the limit.
    #[error("delivery-status has more than {limit} recipients")]
    LimitExceeded {
        /// The limit.
        limit: usize,
    },
}

/// A delivery status notification read back: the parts of a
/// `multipart/report` ([RFC 6522 §3]).
///
/// [RFC 6522 §3]: https://www.rfc-editor.org/rfc/rfc6522#section-3
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Report {
    /// The first part, for people, decoded.
    pub human_readable: String,
    /// The `message/delivery-status` part.
    pub status: DeliveryStatus,
    /// What the third part returns.
    pub returned: Returned,
    /// The returned message or header section, as it appears in the part.
    pub original: Vec<u8>,
}

/// One field: its line number, name and unfolded value.
type RawField = (usize, String, String);

/// Splits a delivery-status body into groups of unfolded fields.
fn groups(body: &str) -> Result<Vec<Vec<RawField>>, DsnError> {
    let mut groups: Vec<Vec<RawField>> = Vec::new();
    let mut current: Vec<RawField> = Vec::new();
    for (index, line) in body.split('\n').enumerate() {
        let number = index.saturating_add(1);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            if !current.is_empty() {
                groups.push(std::mem::take(&mut current));
            }
            continue;
        }
        if line.starts_with([' ', '\t']) {
            let Some((_, _, value)) = current.last_mut() else {
                return Err(DsnError::Malformed {
                    line: number,
                    expected: "field-name",
                });
            };
            value.push_str(line);
            continue;
        }
        let (name, value) = line.split_once(':').ok_or(DsnError::Malformed {
            line: number,
            expected: "field-name \":\"",
        })?;
        let name = name.trim_end();
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(DsnError::Malformed {
                line: number,
                expected: "field-name",
            });
        }
        current.push((number, name.to_owned(), value.to_owned()));
    }
    if !current.is_empty() {
        groups.push(current);
    }
    Ok(groups)
}

fn typed(line: usize, value: &str) -> Result<TypedValue, DsnError> {
    let (kind, rest) = value.split_once(';').ok_or(DsnError::Malformed {
        line,
        expected: "type \";\" value",
    })?;
    if kind.trim().is_empty() {
        return Err(DsnError::Malformed {
            line,
            expected: "type \";\" value",
        });
    }
    Ok(TypedValue::new(kind, rest))
}

fn text(value: &str) -> String {
    super::types::one_line(value).trim().to_owned()
}

/// Reads the body of a `message/delivery-status` part ([RFC 3464 §2.1]),
/// at most [`DEFAULT_MAX_RECIPIENTS`] recipients.
///
/// ```abnf
/// delivery-status-content = per-message-fields 1*( CRLF per-recipient-fields )
/// ```
///
/// [RFC 3464 §2.1]: https://www.rfc-editor.org/rfc/rfc3464#section-2.1
///
/// # Errors
///
/// [`DsnError::Malformed`], [`DsnError::MissingField`],
/// [`DsnError::NoRecipients`], [`DsnError::LimitExceeded`].
///
/// ```
/// use mailwire_message::dsn::{parse_delivery_status, Action};
/// let status = parse_delivery_status(b"Reporting-MTA: dns; mx.example.org\r\n\r\n\
/// Final-Recipient: rfc822; jdoe@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n").unwrap();
/// assert_eq!(status.per_message.reporting_mta.value, "mx.example.org");
/// assert_eq!(status.recipients[0].action, Action::Failed);
/// ```
pub fn parse_delivery_status(body: &[u8]) -> Result<DeliveryStatus, DsnError> {
    parse_delivery_status_with(body, DEFAULT_MAX_RECIPIENTS)
}

/// [`parse_delivery_status`] with a limit on recipient groups.
///
/// # Errors
///
/// As [`parse_delivery_status`].
pub fn parse_delivery_status_with(
    body: &[u8],
    max_recipients: usize,
) -> Result<DeliveryStatus, DsnError> {
    let body = String::from_utf8_lossy(body);
    let mut groups = groups(&body)?.into_iter();
    let first = groups.next().ok_or(DsnError::MissingField {
        group: 0,
        field: "Reporting-MTA",
    })?;
    let per_message = per_message(first)?;
    let mut recipients = Vec::new();
    for (index, group) in groups.enumerate() {
        if recipients.len() >= max_recipients {
            return Err(DsnError::LimitExceeded {
                limit: max_recipients,
            });
        }
        recipients.push(per_recipient(index.saturating_add(1), group)?);
    }
    if recipients.is_empty() {
        return Err(DsnError::NoRecipients);
    }
    Ok(DeliveryStatus {
        per_message,
        recipients,
    })
}

fn per_message(group: Vec<RawField>) -> Result<PerMessage, DsnError> {
    let mut reporting_mta = None;
    let mut fields = PerMessage::new("");
    for (line, name, value) in group {
        match name.to_ascii_lowercase().as_str() {
            "original-envelope-id" => fields.original_envelope_id = Some(text(&value)),
            "reporting-mta" => reporting_mta = Some(typed(line, &value)?),
            "dsn-gateway" => fields.dsn_gateway = Some(typed(line, &value)?),
            "received-from-mta" => fields.received_from_mta = Some(typed(line, &value)?),
            "arrival-date" => fields.arrival_date = Some(text(&value)),
            _ => fields.extensions.push((name, text(&value))),
        }
    }
    fields.reporting_mta = reporting_mta.ok_or(DsnError::MissingField {
        group: 0,
        field: "Reporting-MTA",
    })?;
    Ok(fields)
}

fn per_recipient(group_index: usize, group: Vec<RawField>) -> Result<PerRecipient, DsnError> {
    let missing = |field| DsnError::MissingField {
        group: group_index,
        field,
    };
    let (mut final_recipient, mut action, mut status) = (None, None, None);
    let mut fields = PerRecipient::new(
        "",
        Action::Failed,
        StatusCode {
            class: 5,
            subject: 0,
            detail: 0,
        },
    );
    for (line, name, value) in group {
        match name.to_ascii_lowercase().as_str() {
            "original-recipient" => fields.original_recipient = Some(typed(line, &value)?),
            "final-recipient" => final_recipient = Some(typed(line, &value)?),
            "action" => {
                let value = value.trim();
                let word = value.split([' ', '\t', '(']).next().unwrap_or(value);
                action = Some(Action::parse(word).ok_or(DsnError::Malformed {
                    line,
                    expected: "action-value",
                })?);
            }
            "status" => {
                let value = value.trim();
                let (code, comment) = value
                    .split_once([' ', '\t', '('])
                    .map_or((value, ""), |(code, _)| {
                        (code, value.get(code.len()..).unwrap_or(""))
                    });
                status = Some(StatusCode::parse(code).ok_or(DsnError::Malformed {
                    line,
                    expected: "status-code",
                })?);
                let comment = comment.trim();
                let comment = comment
                    .strip_prefix('(')
                    .and_then(|c| c.strip_suffix(')'))
                    .unwrap_or(comment);
                if !comment.is_empty() {
                    fields.status_comment = Some(text(comment));
                }
            }
            "remote-mta" => fields.remote_mta = Some(typed(line, &value)?),
            "diagnostic-code" => fields.diagnostic_code = Some(typed(line, &value)?),
            "last-attempt-date" => fields.last_attempt_date = Some(text(&value)),
            "final-log-id" => fields.final_log_id = Some(text(&value)),
            "will-retry-until" => fields.will_retry_until = Some(text(&value)),
            _ => fields.extensions.push((name, text(&value))),
        }
    }
    fields.final_recipient = final_recipient.ok_or(missing("Final-Recipient"))?;
    fields.action = action.ok_or(missing("Action"))?;
    fields.status = status.ok_or(missing("Status"))?;
    Ok(fields)
}

/// Whether a part is the delivery-status part (`message/delivery-status`,
/// or `message/global-delivery-status` of [RFC 6533 §6.2]).
///
/// [RFC 6533 §6.2]: https://www.rfc-editor.org/rfc/rfc6533#section-6.2
fn is_status_part(part: &Part<'_>) -> bool {
    let content_type = part.content_type();
    content_type.is("message", "delivery-status")
        || content_type.is("message", "global-delivery-status")
}

/// Reads a parsed message as a DSN ([RFC 3464], [RFC 6522]).
///
/// [RFC 3464]: https://www.rfc-editor.org/rfc/rfc3464
/// [RFC 6522]: https://www.rfc-editor.org/rfc/rfc6522
///
/// # Errors
///
/// [`DsnError::NotAReport`], [`DsnError::NoDeliveryStatus`], and the
/// errors of [`parse_delivery_status`].
pub fn parse_report(message: &Message<'_>) -> Result<Report, DsnError> {
    let root = message.root();
    let content_type = root.content_type();
    let is_dsn = content_type.is("multipart", "report")
        && content_type
            .parameters()
            .get("report-type")
            .is_some_and(|p| p.text().eq_ignore_ascii_case("delivery-status"));
    if !is_dsn {
        return Err(DsnError::NotAReport);
    }
    let parts = root.parts();
    let status_index = parts
        .iter()
        .position(is_status_part)
        .ok_or(DsnError::NoDeliveryStatus)?;
    let status_part = parts.get(status_index).ok_or(DsnError::NoDeliveryStatus)?;
    let status = parse_delivery_status(&status_part.decoded_body().0)?;
    let human_readable = parts
        .iter()
        .take(status_index)
        .next()
        .map(|part| part.text().0.into_owned())
        .unwrap_or_default();
    let (returned, original) = match parts.get(status_index.saturating_add(1)) {
        Some(part) if part.content_type().is_message() => {
            let mut out = Vec::new();
            match part.body() {
                Body::Message(inner) => inner.write_to(&mut out),
                _ => out.extend_from_slice(part.body_bytes()),
            }
            (Returned::Full, out)
        }
        Some(part) if part.content_type().is("text", "rfc822-headers") => {
            let body: Cow<'_, [u8]> = part.decoded_body().0;
            (Returned::Headers, body.into_owned())
        }
        _ => (Returned::Nothing, Vec::new()),
    };
    Ok(Report {
        human_readable,
        status,
        returned,
        original,
    })
}
