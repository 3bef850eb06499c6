//! Delivery status notifications: building and reading [RFC 3464] DSNs
//! in a `multipart/report` ([RFC 6522]), and the `NOTIFY` rules of
//! [RFC 3461 §4.1].
//!
//! A DSN has three parts: text for people, a `message/delivery-status`
//! part (per-message fields, then one group of fields per recipient), and
//! the original message (`RET=FULL`, `message/rfc822`) or its header
//! section (`RET=HDRS`, `text/rfc822-headers`).
//!
//! [RFC 3464]: https://www.rfc-editor.org/rfc/rfc3464
//! [RFC 6522]: https://www.rfc-editor.org/rfc/rfc6522
//! [RFC 3461 §4.1]: https://www.rfc-editor.org/rfc/rfc3461#section-4.1
//!
//! # Example
//!
//! ```
//! use mailwire_message::dsn::{build_report, parse_report, Action, DeliveryStatus, PerMessage,
//!     PerRecipient, Report, ReportHeader, Returned, StatusCode, TypedValue};
//!
//! let mut recipient = PerRecipient::new("jdoe@example.net", Action::Failed,
//!     StatusCode::new(5, 1, 1).unwrap());
//! recipient.diagnostic_code = Some(TypedValue::new("smtp", "550 5.1.1 no such user"));
//! recipient.remote_mta = Some(TypedValue::new("dns", "mx.example.net"));
//! let report = Report {
//!     human_readable: "Your message could not be delivered.\r\n".into(),
//!     status: DeliveryStatus {
//!         per_message: PerMessage::new("mx.example.org"),
//!         recipients: vec![recipient],
//!     },
//!     returned: Returned::Headers,
//!     original: b"From: a@example.org\r\nSubject: hi\r\n\r\nbody\r\n".to_vec(),
//! };
//! let header = ReportHeader {
//!     from: "Mail Delivery System <MAILER-DAEMON@mx.example.org>".into(),
//!     to: "a@example.org".into(),
//!     subject: "Undelivered Mail Returned to Sender".into(),
//!     date: "Fri, 4 Dec 2026 16:00:00 +0000".into(),
//!     message_id: "dsn.1@mx.example.org".into(),
//!     boundary: "=_report".into(),
//! };
//! let bytes = build_report(&header, &report);
//!
//! let message = mailwire_message::parse(&bytes);
//! assert!(message.defects().is_empty());
//! let read = parse_report(&message).unwrap();
//! assert_eq!(read.status, report.status);
//! assert_eq!(read.original, b"From: a@example.org\r\nSubject: hi\r\n");
//! ```

mod build;
mod notify;
mod parse;
#[cfg(test)]
mod tests;
mod types;

pub use build::{
    ReportHeader, build_report, encode_delivery_status, format_date, format_unix_time,
};
pub use notify::{NotifyConditions, dsn_due};
pub use parse::{
    DEFAULT_MAX_RECIPIENTS, DsnError, Report, parse_delivery_status, parse_delivery_status_with,
    parse_report,
};
pub use types::{
    Action, DeliveryStatus, PerMessage, PerRecipient, Returned, StatusCode, TypedValue,
};
