//! Parsers of dates and times ([RFC 9051 §9]).
//!
//! [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9

use chrono::{FixedOffset, NaiveDate, TimeZone};

use super::{PResult, byte, fail, sp};
use crate::types::datetime::{Date, DateTime, MONTHS};

fn digits<'a>(input: &'a [u8], n: usize, expected: &'static str) -> PResult<'a, u32> {
    let Some(head) = input.get(..n) else {
        return fail(input, expected);
    };
    if !head.iter().all(u8::is_ascii_digit) {
        return fail(input, expected);
    }
    let v = head
        .iter()
        .fold(0u32, |v, d| v * 10 + u32::from(d.wrapping_sub(b'0')));
    Ok((input.get(n..).unwrap_or_default(), v))
}

/// ```abnf
/// date-month = "Jan" / "Feb" / "Mar" / "Apr" / "May" / "Jun" /
///              "Jul" / "Aug" / "Sep" / "Oct" / "Nov" / "Dec"
/// ```
pub(crate) fn date_month(input: &[u8]) -> PResult<'_, u32> {
    if let Some(head) = input.get(..3) {
        for (i, m) in MONTHS.iter().enumerate() {
            if head.eq_ignore_ascii_case(m.as_bytes()) {
                return Ok((input.get(3..).unwrap_or_default(), i as u32 + 1));
            }
        }
    }
    fail(input, "date-month")
}

/// ```abnf
/// date-time = DQUOTE date-day-fixed "-" date-month "-" date-year
///             SP time SP zone DQUOTE
/// ```
pub(crate) fn date_time(input: &[u8]) -> PResult<'_, DateTime> {
    let start = input;
    let (input, ()) = byte(input, b'"', "date-time")?;
    // date-day-fixed = (SP DIGIT) / 2DIGIT
    let (input, day) = match input.first() {
        Some(b' ') => digits(input.get(1..).unwrap_or_default(), 1, "date-day-fixed")?,
        _ => digits(input, 2, "date-day-fixed")?,
    };
    let (input, ()) = byte(input, b'-', "\"-\"")?;
    let (input, month) = date_month(input)?;
    let (input, ()) = byte(input, b'-', "\"-\"")?;
    let (input, year) = digits(input, 4, "date-year")?;
    let (input, ()) = sp(input)?;
    let (input, hour) = digits(input, 2, "time")?;
    let (input, ()) = byte(input, b':', "time")?;
    let (input, minute) = digits(input, 2, "time")?;
    let (input, ()) = byte(input, b':', "time")?;
    let (input, second) = digits(input, 2, "time")?;
    let (input, ()) = sp(input)?;
    let zone_at = input;
    let (input, negative) = match input.first() {
        Some(b'+') => (input.get(1..).unwrap_or_default(), false),
        Some(b'-') => (input.get(1..).unwrap_or_default(), true),
        _ => return fail(input, "zone"),
    };
    let (input, zh) = digits(input, 2, "zone")?;
    let (input, zm) = digits(input, 2, "zone")?;
    let (input, ()) = byte(input, b'"', "DQUOTE")?;
    if zm >= 60 {
        return fail(zone_at, "zone");
    }
    let secs = (zh * 3600 + zm * 60) as i32;
    let Some(zone) = FixedOffset::east_opt(if negative { -secs } else { secs }) else {
        return fail(zone_at, "zone");
    };
    match zone
        .with_ymd_and_hms(year as i32, month, day, hour, minute, second)
        .single()
    {
        Some(t) => Ok((input, DateTime::unchecked(t))),
        None => fail(start, "date-time"),
    }
}

/// ```abnf
/// date      = date-text / DQUOTE date-text DQUOTE
/// date-text = date-day "-" date-month "-" date-year
/// date-day  = 1*2DIGIT
/// ```
pub(crate) fn date(input: &[u8]) -> PResult<'_, Date> {
    let start = input;
    let (input, quoted) = match input.first() {
        Some(b'"') => (input.get(1..).unwrap_or_default(), true),
        _ => (input, false),
    };
    let (input, day) = match digits(input, 2, "date-day") {
        Ok(ok) => ok,
        Err(_) => digits(input, 1, "date-day")?,
    };
    let (input, ()) = byte(input, b'-', "\"-\"")?;
    let (input, month) = date_month(input)?;
    let (input, ()) = byte(input, b'-', "\"-\"")?;
    let (input, year) = digits(input, 4, "date-year")?;
    let input = if quoted {
        byte(input, b'"', "DQUOTE")?.0
    } else {
        input
    };
    match NaiveDate::from_ymd_opt(year as i32, month, day) {
        Some(d) => Ok((input, Date::unchecked(d))),
        None => fail(start, "date"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn forms() {
        let (_, t) = date_time(b"\" 7-Feb-1994 21:52:25 -0800\"").unwrap();
        assert_eq!(t.to_string(), "\" 7-Feb-1994 21:52:25 -0800\"");
        assert!(date_time(b"\"31-Feb-1994 21:52:25 -0800\"").is_err());
        assert!(date_time(b"\"07-Feb-1994 21:52:25 -0860\"").is_err());
        assert_eq!(date(b"1-Feb-1994").unwrap().1.to_string(), "1-Feb-1994");
        assert_eq!(
            date(b"\"01-feb-1994\"").unwrap().1.to_string(),
            "1-Feb-1994"
        );
    }
}
