//! Date and time ([RFC 5322 §3.3]), obsolete forms included (§4.3).
//!
//! ```text
//! date-time       =   [ day-of-week "," ] date time [CFWS]
//! day-of-week     =   ([FWS] day-name) / obs-day-of-week
//! date            =   day month year
//! day             =   ([FWS] 1*2DIGIT FWS) / obs-day
//! year            =   (FWS 4*DIGIT FWS) / obs-year
//! time            =   time-of-day zone
//! time-of-day     =   hour ":" minute [ ":" second ]
//! zone            =   (FWS ( "+" / "-" ) 4DIGIT) / obs-zone
//! obs-year        =   [CFWS] 2*DIGIT [CFWS]
//! obs-zone        =   "UT" / "GMT" / "EST" / "EDT" / "CST" / "CDT" /
//!                     "MST" / "MDT" / "PST" / "PDT" / %d65-73 / %d75-90 /
//!                     %d97-105 / %d107-122
//! ```
//!
//! Two-digit years are 19xx from 50 on and 20xx below, three-digit years
//! add 1900 (§4.3). Military zones count as `-0000` (§4.3: their meaning was
//! reversed in RFC 822). `-0000` means "no zone information" (§3.3);
//! [`DateTime::unknown_zone`] tells it apart from `+0000`. A second of 60
//! (a leap second) is read as 59. A missing zone is read as `-0000`, and a
//! month written before the day is accepted, both as obsolete syntax.
//!
//! [RFC 5322 §3.3]: https://www.rfc-editor.org/rfc/rfc5322#section-3.3
//!
//! ```
//! use mailwire_message::datetime::{parse, parse_detailed};
//!
//! let date = parse(b"Fri, 21 Nov 1997 09:55:06 -0600").unwrap();
//! assert_eq!(date.to_rfc3339(), "1997-11-21T09:55:06-06:00");
//! // RFC 5322 Appendix A.6.2: obsolete dates.
//! let date = parse_detailed(b"21 Nov 97 09:55:06 GMT").unwrap();
//! assert_eq!(date.datetime.to_rfc3339(), "1997-11-21T09:55:06+00:00");
//! assert!(date.obsolete);
//! assert!(parse(b"32 Nov 1997 09:55:06 +0000").is_err());
//! ```

use chrono::{FixedOffset, NaiveDate, NaiveTime, TimeZone};

use crate::lexical::Cursor;

/// Why a date could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// A component is missing or malformed.
    #[error("malformed date: {0}")]
    Malformed(&'static str),
    /// The components do not make a real date, time or zone.
    #[error("date out of range")]
    OutOfRange,
}

/// A parsed date with what the text said about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    /// The instant with its zone offset.
    pub datetime: chrono::DateTime<FixedOffset>,
    /// Whether obsolete syntax (§4.3) was used.
    pub obsolete: bool,
    /// Whether the zone was `-0000` or unknown: the time is UTC but the
    /// local zone is not known (§3.3).
    pub unknown_zone: bool,
}

impl DateTime {
    /// The date in RFC 3339 form, with `-00:00` for an unknown zone (RFC
    /// 3339 §4.3).
    ///
    /// ```
    /// let d = mailwire_message::datetime::parse_detailed(b"1 Jan 2000 00:00 -0000").unwrap();
    /// assert_eq!(d.to_rfc3339(), "2000-01-01T00:00:00-00:00");
    /// ```
    pub fn to_rfc3339(&self) -> String {
        if self.unknown_zone {
            format!("{}-00:00", self.datetime.format("%Y-%m-%dT%H:%M:%S"))
        } else {
            self.datetime.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
        }
    }
}

const MONTHS: [&[u8]; 12] = [
    b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec",
];

fn month(word: &[u8]) -> Option<u32> {
    let prefix = word.get(..3)?.to_ascii_lowercase();
    let index = MONTHS.iter().position(|m| *m == prefix.as_slice())?;
    u32::try_from(index).ok().map(|i| i + 1)
}

fn digits<'a>(c: &mut Cursor<'a>) -> Option<&'a [u8]> {
    let start = c.pos();
    while c.peek().is_some_and(|b| b.is_ascii_digit()) {
        c.bump();
    }
    let d = c.slice(start, c.pos());
    (!d.is_empty()).then_some(d)
}

fn number(d: &[u8]) -> Option<u32> {
    if d.len() > 9 {
        return None;
    }
    std::str::from_utf8(d).ok()?.parse().ok()
}

fn alpha<'a>(c: &mut Cursor<'a>) -> Option<&'a [u8]> {
    let start = c.pos();
    while c.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
        c.bump();
    }
    let d = c.slice(start, c.pos());
    (!d.is_empty()).then_some(d)
}

/// Parses a `date-time` into a `chrono` date.
pub fn parse(value: &[u8]) -> Result<chrono::DateTime<FixedOffset>, DateError> {
    parse_detailed(value).map(|d| d.datetime)
}

/// Parses a `date-time`, reporting obsolete syntax and unknown zones.
pub fn parse_detailed(value: &[u8]) -> Result<DateTime, DateError> {
    let mut c = Cursor::new(value);
    let mut obsolete = false;
    c.skip_cfws();
    // [ day-of-week "," ]
    let save = c.pos();
    if let Some(word) = alpha(&mut c) {
        if month(word).is_some() && word.len() <= 3 && !c.rest().starts_with(b",") {
            // No day name: this is "month day" order, handled below.
            c.set_pos(save);
        } else {
            c.skip_cfws();
            if !c.eat(b',') {
                obsolete = true;
            }
        }
    }
    c.skip_cfws();
    let (day, month_number) = if let Some(d) = digits(&mut c) {
        c.skip_cfws();
        c.eat(b'-');
        c.skip_cfws();
        let m = alpha(&mut c)
            .and_then(month)
            .ok_or(DateError::Malformed("month"))?;
        (number(d).ok_or(DateError::Malformed("day"))?, m)
    } else {
        let m = alpha(&mut c)
            .and_then(month)
            .ok_or(DateError::Malformed("day"))?;
        obsolete = true;
        c.skip_cfws();
        let d = digits(&mut c).ok_or(DateError::Malformed("day"))?;
        c.eat(b',');
        (number(d).ok_or(DateError::Malformed("day"))?, m)
    };
    c.skip_cfws();
    c.eat(b'-');
    c.skip_cfws();
    let year_digits = digits(&mut c).ok_or(DateError::Malformed("year"))?;
    let mut year = number(year_digits).ok_or(DateError::Malformed("year"))?;
    match year_digits.len() {
        2 => {
            obsolete = true;
            year += if year < 50 { 2000 } else { 1900 };
        }
        3 => {
            obsolete = true;
            year += 1900;
        }
        1 => return Err(DateError::Malformed("year")),
        _ => {}
    }
    c.skip_cfws();
    let hour = digits(&mut c)
        .and_then(number)
        .ok_or(DateError::Malformed("hour"))?;
    c.skip_cfws();
    if !c.eat(b':') {
        return Err(DateError::Malformed("time"));
    }
    c.skip_cfws();
    let minute = digits(&mut c)
        .and_then(number)
        .ok_or(DateError::Malformed("minute"))?;
    c.skip_cfws();
    let mut second = 0;
    if c.eat(b':') {
        c.skip_cfws();
        second = digits(&mut c)
            .and_then(number)
            .ok_or(DateError::Malformed("second"))?;
    }
    c.skip_cfws();
    let mut unknown_zone = false;
    let offset_minutes: i32 = match c.peek() {
        Some(sign @ (b'+' | b'-')) => {
            c.bump();
            let z = digits(&mut c).ok_or(DateError::Malformed("zone"))?;
            if z.len() != 4 {
                return Err(DateError::Malformed("zone"));
            }
            let z = i32::try_from(number(z).ok_or(DateError::Malformed("zone"))?)
                .map_err(|_| DateError::OutOfRange)?;
            let (h, m) = (z / 100, z % 100);
            if m >= 60 {
                return Err(DateError::OutOfRange);
            }
            if sign == b'-' && z == 0 {
                unknown_zone = true;
            }
            if sign == b'-' {
                -(h * 60 + m)
            } else {
                h * 60 + m
            }
        }
        Some(b) if b.is_ascii_alphabetic() => {
            obsolete = true;
            let name = alpha(&mut c).unwrap_or_default().to_ascii_uppercase();
            match name.as_slice() {
                b"UT" | b"GMT" | b"UTC" | b"Z" => 0,
                b"EDT" => -4 * 60,
                b"EST" | b"CDT" => -5 * 60,
                b"CST" | b"MDT" => -6 * 60,
                b"MST" | b"PDT" => -7 * 60,
                b"PST" => -8 * 60,
                _ => {
                    unknown_zone = true;
                    0
                }
            }
        }
        _ => {
            obsolete = true;
            unknown_zone = true;
            0
        }
    };
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(year).map_err(|_| DateError::OutOfRange)?,
        month_number,
        day,
    )
    .ok_or(DateError::OutOfRange)?;
    let time =
        NaiveTime::from_hms_opt(hour, minute, second.min(59)).ok_or(DateError::OutOfRange)?;
    let zone = FixedOffset::east_opt(offset_minutes * 60).ok_or(DateError::OutOfRange)?;
    let datetime = zone
        .from_local_datetime(&date.and_time(time))
        .single()
        .ok_or(DateError::OutOfRange)?;
    Ok(DateTime {
        datetime,
        obsolete,
        unknown_zone,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc3339(v: &str) -> String {
        parse_detailed(v.as_bytes()).unwrap().to_rfc3339()
    }

    /// RFC 5322 Appendix A dates.
    #[test]
    fn rfc5322_appendix_a() {
        assert_eq!(
            rfc3339("Fri, 21 Nov 1997 09:55:06 -0600"),
            "1997-11-21T09:55:06-06:00"
        );
        assert_eq!(
            rfc3339("Tue, 1 Jul 2003 10:52:37 +0200"),
            "2003-07-01T10:52:37+02:00"
        );
        assert_eq!(
            rfc3339(
                "Thu,\r\n      13\r\n        Feb\r\n          1969\r\n      23:32\r\n               -0330 (Newfoundland Time)"
            ),
            "1969-02-13T23:32:00-03:30"
        );
        assert_eq!(
            rfc3339("21 Nov 97 09:55:06 GMT"),
            "1997-11-21T09:55:06+00:00"
        );
        assert_eq!(
            rfc3339("Fri, 21 Nov 1997 09(comment):   55  :  06 -0600"),
            "1997-11-21T09:55:06-06:00"
        );
    }

    #[test]
    fn obsolete_zones_and_years() {
        assert_eq!(rfc3339("1 Jan 49 00:00 EST"), "2049-01-01T00:00:00-05:00");
        assert_eq!(rfc3339("1 Jan 103 00:00 PDT"), "2003-01-01T00:00:00-07:00");
        assert_eq!(rfc3339("1 Jan 2003 00:00 A"), "2003-01-01T00:00:00-00:00");
        assert_eq!(rfc3339("1 Jan 2003 00:00"), "2003-01-01T00:00:00-00:00");
        assert_eq!(
            rfc3339("Jan 1 2003 00:00:60 +0100"),
            "2003-01-01T00:00:59+01:00"
        );
        let d = parse_detailed(b"Mon, 1 Jan 2003 00:00 +0000").unwrap();
        assert!(!d.obsolete && !d.unknown_zone);
    }

    #[test]
    fn errors() {
        assert_eq!(parse(b""), Err(DateError::Malformed("day")));
        assert_eq!(
            parse(b"1 Foo 2003 00:00 +0000"),
            Err(DateError::Malformed("month"))
        );
        assert_eq!(parse(b"1 Jan 2003 25:00 +0000"), Err(DateError::OutOfRange));
        assert_eq!(parse(b"1 Jan 2003 00:00 +0099"), Err(DateError::OutOfRange));
        assert_eq!(
            parse(b"1 Jan 2003 00:00 +01"),
            Err(DateError::Malformed("zone"))
        );
        assert_eq!(
            parse(b"1 Jan 2003 0000 +0100"),
            Err(DateError::Malformed("time"))
        );
    }
}
