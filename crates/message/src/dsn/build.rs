//! Writing delivery status notifications.

use chrono::{DateTime, FixedOffset};

use super::parse::Report;
use super::types::{DeliveryStatus, PerMessage, PerRecipient, Returned, TypedValue, one_line};

/// The header fields of a DSN message, given by the reporting MTA.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReportHeader {
    /// `From`, e.g. `Mail Delivery System <MAILER-DAEMON@mx.example.org>`.
    pub from: String,
    /// The envelope sender the DSN goes to, `local@domain`.
    pub to: String,
    /// `Subject`.
    pub subject: String,
    /// `Date`, see [`format_date`].
    pub date: String,
    /// `Message-ID` without angle brackets.
    pub message_id: String,
    /// The start of the MIME boundary; the builder extends it until it
    /// occurs in no part.
    pub boundary: String,
}

/// A date in the RFC 5322 form DSN date fields use ([RFC 3464 §2.1.3]).
///
/// [RFC 3464 §2.1.3]: https://www.rfc-editor.org/rfc/rfc3464#section-2.1.3
///
/// ```
/// use chrono::DateTime;
/// let date = DateTime::parse_from_rfc3339("1994-07-07T17:15:49-04:00").unwrap();
/// assert_eq!(mailwire_message::dsn::format_date(&date), "Thu, 7 Jul 1994 17:15:49 -0400");
/// ```
pub fn format_date(date: &DateTime<FixedOffset>) -> String {
    date.to_rfc2822()
}

/// A time given in seconds since the Unix epoch as an RFC 5322 date in
/// UTC, for the date fields of a DSN; empty if out of chrono's range.
///
/// ```
/// assert_eq!(mailwire_message::dsn::format_unix_time(0), "Thu, 1 Jan 1970 00:00:00 +0000");
/// ```
pub fn format_unix_time(seconds: u64) -> String {
    i64::try_from(seconds)
        .ok()
        .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
        .map(|date| format_date(&date.fixed_offset()))
        .unwrap_or_default()
}

/// Appends `Name: value` folded at spaces before 78 octets where it can.
fn field(out: &mut Vec<u8>, name: &str, value: &str) {
    let value = one_line(value);
    let mut line = format!("{name}:");
    for (index, word) in value.split(' ').enumerate() {
        if index > 0 || !word.is_empty() {
            if line.len().saturating_add(word.len()) >= 78 && line.trim_start().contains(' ') {
                out.extend_from_slice(line.as_bytes());
                out.extend_from_slice(b"\r\n");
                line = String::new();
            }
            line.push(' ');
            line.push_str(word);
        }
    }
    out.extend_from_slice(line.as_bytes());
    out.extend_from_slice(b"\r\n");
}

fn typed_field(out: &mut Vec<u8>, name: &str, value: Option<&TypedValue>) {
    if let Some(value) = value {
        field(out, name, &value.to_string());
    }
}

fn text_field(out: &mut Vec<u8>, name: &str, value: Option<&str>) {
    if let Some(value) = value {
        field(out, name, value);
    }
}

fn per_message(out: &mut Vec<u8>, fields: &PerMessage) {
    text_field(
        out,
        "Original-Envelope-Id",
        fields.original_envelope_id.as_deref(),
    );
    typed_field(out, "Reporting-MTA", Some(&fields.reporting_mta));
    typed_field(out, "DSN-Gateway", fields.dsn_gateway.as_ref());
    typed_field(out, "Received-From-MTA", fields.received_from_mta.as_ref());
    text_field(out, "Arrival-Date", fields.arrival_date.as_deref());
    for (name, value) in &fields.extensions {
        field(out, name, value);
    }
}

fn per_recipient(out: &mut Vec<u8>, fields: &PerRecipient) {
    typed_field(
        out,
        "Original-Recipient",
        fields.original_recipient.as_ref(),
    );
    typed_field(out, "Final-Recipient", Some(&fields.final_recipient));
    field(out, "Action", fields.action.as_str());
    match &fields.status_comment {
        Some(comment) => field(out, "Status", &format!("{} ({comment})", fields.status)),
        None => field(out, "Status", &fields.status.to_string()),
    }
    typed_field(out, "Remote-MTA", fields.remote_mta.as_ref());
    typed_field(out, "Diagnostic-Code", fields.diagnostic_code.as_ref());
    text_field(
        out,
        "Last-Attempt-Date",
        fields.last_attempt_date.as_deref(),
    );
    text_field(out, "Final-Log-ID", fields.final_log_id.as_deref());
    text_field(out, "Will-Retry-Until", fields.will_retry_until.as_deref());
    for (name, value) in &fields.extensions {
        field(out, name, value);
    }
}

/// The body of a `message/delivery-status` part ([RFC 3464 §2.1]): the
/// per-message fields, then a blank line before each recipient's fields.
///
/// [RFC 3464 §2.1]: https://www.rfc-editor.org/rfc/rfc3464#section-2.1
///
/// ```
/// use mailwire_message::dsn::{encode_delivery_status, parse_delivery_status, Action, DeliveryStatus,
///     PerMessage, PerRecipient, StatusCode};
/// let status = DeliveryStatus {
///     per_message: PerMessage::new("mx.example.org"),
///     recipients: vec![PerRecipient::new("jdoe@example.net", Action::Failed,
///         StatusCode::new(5, 1, 1).unwrap())],
/// };
/// let bytes = encode_delivery_status(&status);
/// assert!(bytes.starts_with(b"Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient:"));
/// assert_eq!(parse_delivery_status(&bytes).unwrap(), status);
/// ```
pub fn encode_delivery_status(status: &DeliveryStatus) -> Vec<u8> {
    let mut out = Vec::new();
    per_message(&mut out, &status.per_message);
    for recipient in &status.recipients {
        out.extend_from_slice(b"\r\n");
        per_recipient(&mut out, recipient);
    }
    out
}

/// The header section of `message`: up to and including the line break
/// before the first empty line (all of it if there is none).
fn header_section(message: &[u8]) -> &[u8] {
    let crlf = memchr::memmem::find(message, b"\r\n\r\n").map(|i| i.saturating_add(2));
    let lf = memchr::memmem::find(message, b"\n\n").map(|i| i.saturating_add(1));
    let end = match (crlf, lf) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => message.len(),
    };
    message.get(..end).unwrap_or(message)
}

/// Text with every line ending as CRLF.
fn crlf_lines(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut previous = 0u8;
    for &byte in text {
        if byte == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        out.push(byte);
        previous = byte;
    }
    if !out.ends_with(b"\r\n") && !out.is_empty() {
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

/// Writes a DSN message: `multipart/report; report-type=delivery-status`
/// ([RFC 6522 §3]) with the human-readable text, the `message/delivery-status`
/// part ([RFC 3464 §2]) and, per [`Report::returned`], the original
/// message (`message/rfc822`) or its header section (`text/rfc822-headers`)
/// taken from [`Report::original`]. It is marked `Auto-Submitted:
/// auto-replied` ([RFC 3834 §5]).
///
/// [RFC 6522 §3]: https://www.rfc-editor.org/rfc/rfc6522#section-3
/// [RFC 3464 §2]: https://www.rfc-editor.org/rfc/rfc3464#section-2
/// [RFC 3834 §5]: https://www.rfc-editor.org/rfc/rfc3834#section-5
pub fn build_report(header: &ReportHeader, report: &Report) -> Vec<u8> {
    let human = crlf_lines(report.human_readable.as_bytes());
    let status = encode_delivery_status(&report.status);
    let returned: Vec<u8> = match report.returned {
        Returned::Full => crlf_lines(&report.original),
        Returned::Headers => crlf_lines(header_section(&report.original)),
        Returned::Nothing => Vec::new(),
    };
    let mut boundary = one_line(&header.boundary).replace(['"', '\\', ' '], "");
    if boundary.is_empty() {
        boundary.push_str("=_dsn");
    }
    boundary.truncate(60);
    let mut counter = 0u32;
    let base = boundary.clone();
    while [&human, &status, &returned]
        .iter()
        .any(|part| contains(part, format!("--{boundary}").as_bytes()))
    {
        counter = counter.saturating_add(1);
        boundary = format!("{base}.{counter}");
    }
    let eight_bit = |bytes: &[u8]| if bytes.is_ascii() { "7bit" } else { "8bit" };
    let all_ascii = human.is_ascii() && returned.is_ascii();

    let mut out = Vec::new();
    field(&mut out, "From", &header.from);
    field(&mut out, "To", &format!("<{}>", header.to));
    field(&mut out, "Subject", &header.subject);
    field(&mut out, "Date", &header.date);
    field(&mut out, "Message-ID", &format!("<{}>", header.message_id));
    field(&mut out, "Auto-Submitted", "auto-replied");
    field(&mut out, "MIME-Version", "1.0");
    out.extend_from_slice(
        format!(
            "Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"{boundary}\"\r\n"
        )
        .as_bytes(),
    );
    if !all_ascii {
        field(&mut out, "Content-Transfer-Encoding", "8bit");
    }
    out.extend_from_slice(b"\r\nThis is a MIME-encapsulated message.\r\n\r\n");
    out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
    field(&mut out, "Content-Type", "text/plain; charset=utf-8");
    field(&mut out, "Content-Transfer-Encoding", eight_bit(&human));
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&human);
    out.extend_from_slice(format!("\r\n--{boundary}\r\n").as_bytes());
    field(&mut out, "Content-Type", "message/delivery-status");
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&status);
    match report.returned {
        Returned::Full => {
            out.extend_from_slice(format!("\r\n--{boundary}\r\n").as_bytes());
            field(&mut out, "Content-Type", "message/rfc822");
            field(&mut out, "Content-Transfer-Encoding", eight_bit(&returned));
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&returned);
        }
        Returned::Headers => {
            out.extend_from_slice(format!("\r\n--{boundary}\r\n").as_bytes());
            field(&mut out, "Content-Type", "text/rfc822-headers");
            field(&mut out, "Content-Transfer-Encoding", eight_bit(&returned));
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&returned);
        }
        Returned::Nothing => {}
    }
    out.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    out
}
