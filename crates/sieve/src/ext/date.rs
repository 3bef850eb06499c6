//! date and currentdate ([RFC 5260 §4, §5]).
//!
//! [RFC 5260 §4, §5]: https://www.rfc-editor.org/rfc/rfc5260#section-4

use chrono::{DateTime, FixedOffset, NaiveDate};
use mailwire_message::header::Field;

use crate::error::RuntimeError;
use crate::run::Run;
use crate::types::{DatePart, Zone};

/// A `:zone` argument, `+hhmm` or `-hhmm` ([RFC 5260 §4.1]).
///
/// [RFC 5260 §4.1]: https://www.rfc-editor.org/rfc/rfc5260#section-4.1
pub(crate) fn parse_zone(s: &str) -> Option<FixedOffset> {
    let b = s.as_bytes();
    let (sign, digits) = match b {
        [b'+', rest @ ..] => (1, rest),
        [b'-', rest @ ..] => (-1, rest),
        _ => return None,
    };
    let [h1, h2, m1, m2] = digits else {
        return None;
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let hours = i32::from(h1 - b'0') * 10 + i32::from(h2 - b'0');
    let minutes = i32::from(m1 - b'0') * 10 + i32::from(m2 - b'0');
    if hours > 23 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// The zone to convert to: `None` keeps the original one.
pub(crate) fn resolve_zone(
    run: &mut Run<'_, '_>,
    zone: &Zone,
) -> Result<Option<FixedOffset>, RuntimeError> {
    Ok(match zone {
        Zone::Original => None,
        Zone::Local => Some(*run.context.now().offset()),
        Zone::Fixed(s) => {
            let s = run.expand(s)?;
            Some(parse_zone(&s).unwrap_or_else(|| *run.context.now().offset()))
        }
    })
}

/// The date part of a date-bearing field; `received` takes the date after
/// its last `;` ([RFC 5260 §4]).
pub(crate) fn field_part(
    field: &Field<'_>,
    name: &str,
    zone: Option<FixedOffset>,
    part: DatePart,
) -> Option<String> {
    let value = field.unfolded();
    let value: &[u8] = if name.eq_ignore_ascii_case("received") {
        let at = value.iter().rposition(|&b| b == b';')?;
        value.get(at + 1..)?
    } else {
        &value
    };
    let date = mailwire_message::datetime::parse(value).ok()?;
    Some(self::part(date, zone, part))
}

/// One part of a date, in `zone` (or its own when `None`), formatted as
/// RFC 5260 §4.2 says.
pub(crate) fn part(
    date: DateTime<FixedOffset>,
    zone: Option<FixedOffset>,
    part: DatePart,
) -> String {
    let date = match zone {
        Some(z) => date.with_timezone(&z),
        None => date,
    };
    let format = match part {
        DatePart::Year => "%Y",
        DatePart::Month => "%m",
        DatePart::Day => "%d",
        DatePart::Date => "%Y-%m-%d",
        DatePart::Hour => "%H",
        DatePart::Minute => "%M",
        DatePart::Second => "%S",
        DatePart::Time => "%H:%M:%S",
        DatePart::Iso8601 => "%Y-%m-%dT%H:%M:%S%:z",
        DatePart::Std11 => "%a, %d %b %Y %H:%M:%S %z",
        DatePart::Zone => "%z",
        DatePart::Weekday => "%w",
        DatePart::Julian => {
            // Modified Julian Day: days since 1858-11-17.
            let epoch = NaiveDate::from_ymd_opt(1858, 11, 17).unwrap_or_default();
            return date
                .date_naive()
                .signed_duration_since(epoch)
                .num_days()
                .to_string();
        }
    };
    date.format(format).to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parts() {
        let d = DateTime::parse_from_rfc3339("2008-02-28T14:30:05-08:00").unwrap();
        assert_eq!(part(d, None, DatePart::Date), "2008-02-28");
        assert_eq!(part(d, parse_zone("+0000"), DatePart::Time), "22:30:05");
        assert_eq!(part(d, None, DatePart::Zone), "-0800");
        assert_eq!(part(d, None, DatePart::Weekday), "4");
        assert_eq!(part(d, None, DatePart::Julian), "54524");
        assert_eq!(
            part(d, None, DatePart::Std11),
            "Thu, 28 Feb 2008 14:30:05 -0800"
        );
        assert_eq!(parse_zone("+2400"), None);
        assert_eq!(parse_zone("0100"), None);
    }
}
