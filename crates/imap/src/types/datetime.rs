//! Dates and times ([RFC 9051 §9]): `date-time` (APPEND, INTERNALDATE) and
//! `date` (SEARCH).
//!
//! [RFC 9051 §9]: https://www.rfc-editor.org/rfc/rfc9051#section-9
//!
//! ```
//! use chrono::{FixedOffset, NaiveDate, TimeZone};
//! use mailwire_imap::{Date, DateTime};
//!
//! let zone = FixedOffset::west_opt(7 * 3600).unwrap();
//! let t = DateTime::try_from(zone.with_ymd_and_hms(1994, 2, 7, 21, 52, 25).unwrap()).unwrap();
//! assert_eq!(t.to_string(), "\" 7-Feb-1994 21:52:25 -0700\"");
//! let d = Date::try_from(NaiveDate::from_ymd_opt(1994, 2, 1).unwrap()).unwrap();
//! assert_eq!(d.to_string(), "1-Feb-1994");
//! ```

use std::fmt;

use chrono::{Datelike, FixedOffset, NaiveDate, Timelike};
use mailwire_core::error::Found;

use crate::error::ValueError;

pub(crate) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub(crate) fn month_name(month0: u32) -> &'static str {
    MONTHS.get(month0 as usize).copied().unwrap_or("Jan")
}

/// A date and time with zone, to the second, year 0 to 9999.
///
/// ```abnf
/// date-time      = DQUOTE date-day-fixed "-" date-month "-" date-year
///                  SP time SP zone DQUOTE
/// date-day-fixed = (SP DIGIT) / 2DIGIT
/// time           = 2DIGIT ":" 2DIGIT ":" 2DIGIT
/// zone           = ("+" / "-") 4DIGIT
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime(chrono::DateTime<FixedOffset>);

impl DateTime {
    /// The chrono value.
    pub const fn get(&self) -> chrono::DateTime<FixedOffset> {
        self.0
    }

    pub(crate) const fn unchecked(value: chrono::DateTime<FixedOffset>) -> Self {
        Self(value)
    }
}

impl TryFrom<chrono::DateTime<FixedOffset>> for DateTime {
    type Error = ValueError;
    fn try_from(value: chrono::DateTime<FixedOffset>) -> Result<Self, ValueError> {
        let bad = |expected| ValueError {
            expected,
            index: 0,
            found: Found::EndOfInput,
        };
        if !(0..=9999).contains(&value.year()) {
            return Err(bad("date-year"));
        }
        if value.nanosecond() != 0 {
            return Err(bad("time"));
        }
        if value.offset().local_minus_utc() % 60 != 0
            || value.offset().local_minus_utc().abs() > 99 * 3600 + 59 * 60
        {
            return Err(bad("zone"));
        }
        Ok(Self(value))
    }
}

impl fmt::Display for DateTime {
    /// The wire form, quotes included; a one-digit day is padded with a
    /// space (`date-day-fixed`), as the RFCs' examples show.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        let offset = t.offset().local_minus_utc();
        let sign = if offset < 0 { '-' } else { '+' };
        let offset = offset.unsigned_abs() / 60;
        write!(
            f,
            "\"{:2}-{}-{:04} {:02}:{:02}:{:02} {}{:02}{:02}\"",
            t.day(),
            month_name(t.month0()),
            t.year(),
            t.hour(),
            t.minute(),
            t.second(),
            sign,
            offset / 60,
            offset % 60
        )
    }
}

/// A date without time, year 0 to 9999.
///
/// ```abnf
/// date      = date-text / DQUOTE date-text DQUOTE
/// date-text = date-day "-" date-month "-" date-year
/// date-day  = 1*2DIGIT
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(NaiveDate);

impl Date {
    /// The chrono value.
    pub const fn get(&self) -> NaiveDate {
        self.0
    }

    pub(crate) const fn unchecked(value: NaiveDate) -> Self {
        Self(value)
    }
}

impl TryFrom<NaiveDate> for Date {
    type Error = ValueError;
    fn try_from(value: NaiveDate) -> Result<Self, ValueError> {
        if !(0..=9999).contains(&value.year()) {
            return Err(ValueError {
                expected: "date-year",
                index: 0,
                found: Found::EndOfInput,
            });
        }
        Ok(Self(value))
    }
}

impl fmt::Display for Date {
    /// The wire form, `date-text` without quotes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}-{:04}",
            self.0.day(),
            month_name(self.0.month0()),
            self.0.year()
        )
    }
}
