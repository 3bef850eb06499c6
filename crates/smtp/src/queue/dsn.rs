//! Delivery status notifications for queue events (feature `message`):
//! the `message/delivery-status` content of [RFC 3464] from a [`Message`]
//! and an [`Event`].
//!
//! [RFC 3464]: https://www.rfc-editor.org/rfc/rfc3464

use mailwire_message::dsn::{
    Action, DeliveryStatus, PerMessage, PerRecipient, Returned, StatusCode, TypedValue,
    format_unix_time,
};

use super::types::{Diagnostic, Event, Message, RecipientReport, Timestamp};
use crate::Ret;
use crate::parse::parameter::decode_xtext;

/// Decodes an xtext value, keeping it as it is when it is not valid xtext.
fn decode(xtext: &str) -> String {
    decode_xtext(xtext.as_bytes(), 0).map_or_else(|_| xtext.to_owned(), |t| t.as_str().to_owned())
}

fn status_code(diagnostic: Option<&Diagnostic>, action: Action) -> StatusCode {
    let fallback = match action {
        Action::Failed => StatusCode::new(5, 0, 0),
        Action::Delayed => StatusCode::new(4, 0, 0),
        _ => StatusCode::new(2, 0, 0),
    };
    let given = diagnostic.and_then(|d| StatusCode::parse(&d.status()));
    let code = match (given, action) {
        // A 2xx status on a failure, or a failure on a success, is not
        // what happened; use the class of the action.
        (Some(code), Action::Failed | Action::Delayed) if code.class != 2 => Some(code),
        (Some(code), Action::Delivered | Action::Relayed | Action::Expanded) if code.class == 2 => {
            Some(code)
        }
        _ => None,
    };
    code.or(fallback).unwrap_or(StatusCode {
        class: 5,
        subject: 0,
        detail: 0,
    })
}

fn per_recipient(report: &RecipientReport, action: Action, now: Timestamp) -> PerRecipient {
    let status = status_code(report.diagnostic.as_ref(), action);
    let mut fields = PerRecipient::new(&report.address, action, status);
    fields.original_recipient = report.orcpt.as_deref().map(|orcpt| {
        let (kind, address) = orcpt.split_once(';').unwrap_or(("rfc822", orcpt));
        TypedValue::new(kind, &decode(address))
    });
    fields.remote_mta = report
        .remote_mta
        .as_deref()
        .map(|host| TypedValue::new("dns", host));
    fields.diagnostic_code = match &report.diagnostic {
        Some(reply @ Diagnostic::Reply { .. }) => Some(TypedValue::new("smtp", &reply.to_string())),
        Some(Diagnostic::Other(text)) => Some(TypedValue::new("X-Mailwire", text)),
        None => None,
    };
    if action != Action::Delivered {
        fields.last_attempt_date = Some(format_unix_time(now.0));
    }
    fields
}

/// The delivery-status of the notification `event` calls for, sent to
/// `message.sender`, or `None` when none is due: no recipient of the
/// event asked for one (NOTIFY, [RFC 3461 §4.1]), the sender is null, or
/// the event is not a delivery outcome.
///
/// `reporting_mta` is this host's name; `now` dates the attempt;
/// `success` is the action for delivered recipients: `delivered` for
/// final delivery, `relayed` for a next hop without the DSN extension
/// ([RFC 3461 §6.2.2]).
///
/// [RFC 3461 §4.1]: https://www.rfc-editor.org/rfc/rfc3461#section-4.1
/// [RFC 3461 §6.2.2]: https://www.rfc-editor.org/rfc/rfc3461#section-6.2.2
pub fn delivery_status(
    message: &Message,
    event: &Event,
    reporting_mta: &str,
    now: Timestamp,
    success: Action,
) -> Option<DeliveryStatus> {
    if message.has_null_sender() {
        return None;
    }
    let (recipients, action, retry_until) = match event {
        Event::Bounce { recipients, .. } => (recipients, Action::Failed, None),
        Event::Delivered { recipients, .. } => (recipients, success, None),
        Event::DelayNotice {
            recipients,
            will_retry_until,
            ..
        } => (recipients, Action::Delayed, Some(*will_retry_until)),
        _ => return None,
    };
    let mut per_message = PerMessage::new(reporting_mta);
    per_message.original_envelope_id = message.envid.as_deref().map(decode);
    per_message.arrival_date = Some(format_unix_time(message.arrival.0));
    let recipients: Vec<PerRecipient> = recipients
        .iter()
        .filter(|r| r.dsn)
        .map(|r| {
            let mut fields = per_recipient(r, action, now);
            fields.will_retry_until = retry_until.map(|t| format_unix_time(t.0));
            fields
        })
        .collect();
    if recipients.is_empty() {
        return None;
    }
    Some(DeliveryStatus {
        per_message,
        recipients,
    })
}

/// What a notification returns of the original message: all of it for
/// `RET=FULL`, else its header section (the choice [RFC 3461 §4.3]
/// leaves to the MTA when RET is absent); nothing for a success or delay.
///
/// [RFC 3461 §4.3]: https://www.rfc-editor.org/rfc/rfc3461#section-4.3
pub fn returned_content(message: &Message, action: Action) -> Returned {
    match (action, message.ret) {
        (Action::Failed, Some(Ret::Full)) => Returned::Full,
        (Action::Failed, _) => Returned::Headers,
        _ => Returned::Nothing,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

    use super::*;
    use crate::mx::MxAnswer;
    use crate::queue::{MessageId, Queue, QueueConfig, Recipient};
    use crate::{Notify, Reply, ReplyCode};

    #[test]
    fn bounce_and_delay_become_delivery_status() {
        let t0 = Timestamp(1_700_000_000);
        let mut message = Message::new(
            MessageId::try_from("m1").unwrap(),
            "a@example.org",
            t0,
            vec![
                Recipient::new("b@example.net"),
                Recipient::new("c@example.net"),
                Recipient::new("d@example.net"),
            ],
        );
        message.envid = Some("QQ+2B314159".into());
        message.recipients[0].orcpt = Some("rfc822;B+2Bx@example.net".into());
        message.recipients[2].notify = Some(Notify::NEVER);
        let mut queue = Queue::new(QueueConfig::default());
        queue.enqueue(t0, message.clone()).unwrap();
        let Some(Event::Deliver(job)) = queue.poll_event() else {
            panic!()
        };
        queue
            .handle_mx(t0, job.id, Ok(&MxAnswer::NoRecords))
            .unwrap();
        queue.poll_event();
        let no = Reply::new(ReplyCode::MAILBOX_UNAVAILABLE, "5.1.1 no").unwrap();
        let later = Reply::new(ReplyCode::LOCAL_ERROR, "later").unwrap();
        let replies = [
            (0, Diagnostic::from_reply(&no)),
            (1, Diagnostic::from_reply(&later)),
            (2, Diagnostic::from_reply(&no)),
        ];
        queue
            .handle_recipient_replies(t0, job.id, &replies)
            .unwrap();
        let events: Vec<Event> = std::iter::from_fn(|| queue.poll_event()).collect();
        let bounce = events
            .iter()
            .find(|e| matches!(e, Event::Bounce { .. }))
            .unwrap();
        let status =
            delivery_status(&message, bounce, "mx.example.org", t0, Action::Delivered).unwrap();
        assert_eq!(
            status.per_message.original_envelope_id.as_deref(),
            Some("QQ+314159")
        );
        assert_eq!(status.recipients.len(), 1, "NOTIFY=NEVER left out");
        let failed = &status.recipients[0];
        assert_eq!(failed.action, Action::Failed);
        assert_eq!(failed.status.to_string(), "5.0.0");
        assert_eq!(
            failed.original_recipient,
            Some(TypedValue::new("rfc822", "B+x@example.net"))
        );
        assert_eq!(
            failed.remote_mta,
            Some(TypedValue::new("dns", "example.net"))
        );
        assert_eq!(
            failed.diagnostic_code,
            Some(TypedValue::new("smtp", "550 5.1.1 no"))
        );
        assert_eq!(
            returned_content(&message, Action::Failed),
            Returned::Headers
        );

        queue.handle_timeout(t0.plus(4 * 3600));
        let notice = std::iter::from_fn(|| queue.poll_event())
            .find(|e| matches!(e, Event::DelayNotice { .. }))
            .unwrap();
        let status =
            delivery_status(&message, &notice, "mx.example.org", t0, Action::Delivered).unwrap();
        let delayed = &status.recipients[0];
        assert_eq!(
            (delayed.action, delayed.status.to_string().as_str()),
            (Action::Delayed, "4.0.0")
        );
        assert_eq!(
            delayed.will_retry_until.as_deref(),
            Some("Sun, 19 Nov 2023 22:13:20 +0000")
        );

        let mut null = message.clone();
        null.sender.clear();
        assert_eq!(
            delivery_status(&null, bounce, "mx.example.org", t0, Action::Delivered),
            None
        );
    }
}
