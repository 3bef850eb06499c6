//! Parsers for `MAIL` and `RCPT` parameters ([RFC 5321 §4.1.2]) and
//! `xtext` ([RFC 3461 §4]).
//!
//! [RFC 5321 §4.1.2]: https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2
//! [RFC 3461 §4]: https://www.rfc-editor.org/rfc/rfc3461#section-4
//!
//! Keywords and the values of BODY, RET and NOTIFY are case-insensitive. A
//! known parameter given twice, or with a value it does not take, is an
//! error.
//!
//! ```
//! use mailwire_smtp::parse::parameter::parse_mail_parameters;
//! use mailwire_smtp::BodyType;
//! let p = parse_mail_parameters(b" SIZE=500 body=8bitmime X-FOO=bar").unwrap();
//! assert_eq!((p.size, p.body), (Some(500), Some(BodyType::EightBitMime)));
//! assert_eq!(p.other[0].keyword(), "X-FOO");
//! ```

use std::borrow::Cow;

use mailwire_core::error::Found;

use super::Cursor;
use crate::Error;
use crate::types::parameter::{
    BodyType, MailParameters, MtPriority, Notify, Orcpt, Parameter, RcptParameters, Ret, XText,
};

const fn is_value_byte(b: u8) -> bool {
    matches!(b, 33..=60 | 62..=126) || b >= 0x80
}

/// Checks an `esmtp-keyword`.
pub(crate) fn validate_keyword(keyword: &[u8]) -> Result<(), Error> {
    let mut c = Cursor::new(keyword);
    if !c.peek().is_some_and(|b| b.is_ascii_alphanumeric()) {
        return Err(c.error("esmtp-keyword"));
    }
    c.take_while(|b| b.is_ascii_alphanumeric() || b == b'-');
    c.expect_end("esmtp-keyword")
}

/// Checks an `esmtp-value`.
pub(crate) fn validate_value(value: &[u8]) -> Result<(), Error> {
    let mut c = Cursor::new(value);
    if c.take_while(is_value_byte).is_empty() {
        return Err(c.error("esmtp-value"));
    }
    c.expect_end("esmtp-value")?;
    c.utf8(value, 0, "esmtp-value").map(|_| ())
}

/// A raw `esmtp-param`: keyword, value, offset of the keyword.
type RawParam<'a> = (&'a [u8], Option<&'a [u8]>, usize);

/// One `SP esmtp-param`.
fn next_param<'a>(c: &mut Cursor<'a>) -> Result<Option<RawParam<'a>>, Error> {
    if c.is_end() {
        return Ok(None);
    }
    c.expect(b' ', "SP")?;
    let start = c.pos();
    if !c.peek().is_some_and(|b| b.is_ascii_alphanumeric()) {
        return Err(c.error("esmtp-keyword"));
    }
    let keyword = c.take_while(|b| b.is_ascii_alphanumeric() || b == b'-');
    let value = if c.eat(b'=') {
        let value = c.take_while(is_value_byte);
        if value.is_empty() {
            return Err(c.error("esmtp-value"));
        }
        Some(value)
    } else {
        None
    };
    if !c.is_end() && c.peek() != Some(b' ') {
        return Err(c.error("esmtp-param"));
    }
    Ok(Some((keyword, value, start)))
}

fn required<'a>(
    c: &Cursor<'a>,
    value: Option<&'a [u8]>,
    at: usize,
    rule: &'static str,
) -> Result<&'a [u8], Error> {
    value.ok_or_else(|| c.error_at(at, rule))
}

fn no_value(
    c: &Cursor<'_>,
    value: Option<&[u8]>,
    at: usize,
    rule: &'static str,
) -> Result<(), Error> {
    if value.is_some() {
        Err(c.error_at(at, rule))
    } else {
        Ok(())
    }
}

fn set_once<T>(c: &Cursor<'_>, slot: &mut Option<T>, value: T, at: usize) -> Result<(), Error> {
    if slot.is_some() {
        return Err(c.error_at(at, "unique esmtp-keyword"));
    }
    *slot = Some(value);
    Ok(())
}

fn set_flag(c: &Cursor<'_>, flag: &mut bool, at: usize) -> Result<(), Error> {
    if *flag {
        return Err(c.error_at(at, "unique esmtp-keyword"));
    }
    *flag = true;
    Ok(())
}

fn other<'a>(
    c: &Cursor<'a>,
    keyword: &'a [u8],
    value: Option<&'a [u8]>,
    at: usize,
) -> Result<Parameter<'a>, Error> {
    let keyword = c.utf8(keyword, at, "esmtp-keyword")?;
    let value = match value {
        Some(v) => Some(Cow::Borrowed(c.utf8(v, at, "esmtp-value")?)),
        None => None,
    };
    Ok(Parameter::from_parts_unchecked(
        Cow::Borrowed(keyword),
        value,
    ))
}

/// Decodes `xtext`; borrows when there is nothing to decode.
pub(crate) fn decode_xtext(input: &[u8], at: usize) -> Result<XText<'_>, Error> {
    let bad = |offset: usize, b: Option<u8>| {
        Error::Protocol(mailwire_core::Error::Malformed {
            offset: at.saturating_add(offset) as u64,
            expected: "xtext",
            found: b.map_or(Found::EndOfInput, Found::Byte),
        })
    };
    if let Some(i) = input
        .iter()
        .position(|&b| !matches!(b, 33..=126) || b == b'=')
    {
        return Err(bad(i, input.get(i).copied()));
    }
    if !input.contains(&b'+') {
        let text = std::str::from_utf8(input).map_err(|_| bad(0, input.first().copied()))?;
        return Ok(XText::from_cow_unchecked(Cow::Borrowed(text)));
    }
    let mut out = String::with_capacity(input.len());
    let mut i = 0usize;
    while let Some(&b) = input.get(i) {
        if b == b'+' {
            let hex = |j: usize| input.get(j).and_then(|&h| (h as char).to_digit(16));
            let (Some(hi), Some(lo)) = (hex(i.saturating_add(1)), hex(i.saturating_add(2))) else {
                return Err(bad(i, Some(b)));
            };
            let decoded = hi.saturating_mul(16).saturating_add(lo);
            if !(32..=126).contains(&decoded) {
                return Err(bad(i, Some(b)));
            }
            out.push(char::from(decoded as u8));
            i = i.saturating_add(3);
        } else {
            out.push(char::from(b));
            i = i.saturating_add(1);
        }
    }
    Ok(XText::from_cow_unchecked(Cow::Owned(out)))
}

pub(crate) fn parse_u64(
    c: &Cursor<'_>,
    digits: &[u8],
    at: usize,
    rule: &'static str,
) -> Result<u64, Error> {
    if digits.is_empty() || digits.len() > 20 || !digits.iter().all(u8::is_ascii_digit) {
        return Err(c.error_at(at, rule));
    }
    digits
        .iter()
        .try_fold(0u64, |n, &d| {
            n.checked_mul(10)?
                .checked_add(u64::from(d.wrapping_sub(b'0')))
        })
        .ok_or_else(|| c.error_at(at, rule))
}

/// `Mail-parameters`, with the leading SP of each parameter, up to the end of
/// the cursor's input.
pub(crate) fn mail_parameters<'a>(c: &mut Cursor<'a>) -> Result<MailParameters<'a>, Error> {
    let mut p = MailParameters::default();
    while let Some((keyword, value, at)) = next_param(c)? {
        let upper = |k: &str| keyword.eq_ignore_ascii_case(k.as_bytes());
        if upper("SIZE") {
            let v = required(c, value, at, "size-value")?;
            let size = parse_u64(c, v, at, "size-value")?;
            set_once(c, &mut p.size, size, at)?;
        } else if upper("BODY") {
            let v = required(c, value, at, "body-value")?;
            let body = if v.eq_ignore_ascii_case(b"7BIT") {
                BodyType::SevenBit
            } else if v.eq_ignore_ascii_case(b"8BITMIME") {
                BodyType::EightBitMime
            } else if v.eq_ignore_ascii_case(b"BINARYMIME") {
                BodyType::BinaryMime
            } else {
                return Err(c.error_at(at, "body-value"));
            };
            set_once(c, &mut p.body, body, at)?;
        } else if upper("SMTPUTF8") {
            no_value(c, value, at, "SMTPUTF8")?;
            set_flag(c, &mut p.smtputf8, at)?;
        } else if upper("REQUIRETLS") {
            no_value(c, value, at, "REQUIRETLS")?;
            set_flag(c, &mut p.requiretls, at)?;
        } else if upper("RET") {
            let v = required(c, value, at, "ret-value")?;
            let ret = if v.eq_ignore_ascii_case(b"FULL") {
                Ret::Full
            } else if v.eq_ignore_ascii_case(b"HDRS") {
                Ret::Headers
            } else {
                return Err(c.error_at(at, "ret-value"));
            };
            set_once(c, &mut p.ret, ret, at)?;
        } else if upper("ENVID") {
            let v = required(c, value, at, "xtext")?;
            let envid = decode_xtext(v, at)?;
            set_once(c, &mut p.envid, envid, at)?;
        } else if upper("AUTH") {
            let v = required(c, value, at, "xtext")?;
            let auth = decode_xtext(v, at)?;
            set_once(c, &mut p.auth, auth, at)?;
        } else if upper("MT-PRIORITY") {
            let v = required(c, value, at, "priority-value")?;
            let priority = match v {
                [d] if d.is_ascii_digit() => Some(d.wrapping_sub(b'0') as i8),
                [b'-', d] if d.is_ascii_digit() => Some(-(d.wrapping_sub(b'0') as i8)),
                [b'+', d] if d.is_ascii_digit() => Some(d.wrapping_sub(b'0') as i8),
                _ => None,
            }
            .and_then(MtPriority::new)
            .ok_or_else(|| c.error_at(at, "priority-value"))?;
            set_once(c, &mut p.mt_priority, priority, at)?;
        } else {
            p.other.push(other(c, keyword, value, at)?);
        }
    }
    Ok(p)
}

/// `Rcpt-parameters`, with the leading SP of each parameter.
pub(crate) fn rcpt_parameters<'a>(c: &mut Cursor<'a>) -> Result<RcptParameters<'a>, Error> {
    let mut p = RcptParameters::default();
    while let Some((keyword, value, at)) = next_param(c)? {
        if keyword.eq_ignore_ascii_case(b"NOTIFY") {
            let v = required(c, value, at, "notify-esmtp-value")?;
            let notify = if v.eq_ignore_ascii_case(b"NEVER") {
                Notify::NEVER
            } else {
                let (mut s, mut f, mut d) = (false, false, false);
                for item in v.split(|&b| b == b',') {
                    let flag = if item.eq_ignore_ascii_case(b"SUCCESS") {
                        &mut s
                    } else if item.eq_ignore_ascii_case(b"FAILURE") {
                        &mut f
                    } else if item.eq_ignore_ascii_case(b"DELAY") {
                        &mut d
                    } else {
                        return Err(c.error_at(at, "notify-list-element"));
                    };
                    if *flag {
                        return Err(c.error_at(at, "notify-list-element"));
                    }
                    *flag = true;
                }
                Notify::on(s, f, d).ok_or_else(|| c.error_at(at, "notify-esmtp-value"))?
            };
            set_once(c, &mut p.notify, notify, at)?;
        } else if keyword.eq_ignore_ascii_case(b"ORCPT") {
            let v = required(c, value, at, "original-recipient-address")?;
            let semi = v
                .iter()
                .position(|&b| b == b';')
                .ok_or_else(|| c.error_at(at, "addr-type"))?;
            let addr_type = v.get(..semi).unwrap_or_default();
            if addr_type.is_empty()
                || !addr_type
                    .iter()
                    .all(|&b| b.is_ascii() && super::path::is_atext(b))
            {
                return Err(c.error_at(at, "addr-type"));
            }
            let addr_type = c.utf8(addr_type, at, "addr-type")?;
            let address = decode_xtext(v.get(semi.saturating_add(1)..).unwrap_or_default(), at)?;
            let orcpt = Orcpt::from_parts_unchecked(Cow::Borrowed(addr_type), address);
            set_once(c, &mut p.orcpt, orcpt, at)?;
        } else {
            p.other.push(other(c, keyword, value, at)?);
        }
    }
    Ok(p)
}

/// Parses `MAIL` parameters, each with its leading SP.
///
/// # Errors
///
/// [`CoreError::Malformed`](crate::CoreError::Malformed) naming the rule that failed.
///
/// ```
/// use mailwire_smtp::parse::parameter::parse_mail_parameters;
/// assert!(parse_mail_parameters(b" SIZE=1 SIZE=2").is_err());
/// ```
pub fn parse_mail_parameters(input: &[u8]) -> Result<MailParameters<'_>, Error> {
    let mut c = Cursor::new(input);
    mail_parameters(&mut c)
}

/// Parses `RCPT` parameters, each with its leading SP.
///
/// # Errors
///
/// [`CoreError::Malformed`](crate::CoreError::Malformed) naming the rule that failed.
///
/// ```
/// use mailwire_smtp::parse::parameter::parse_rcpt_parameters;
/// let p = parse_rcpt_parameters(b" NOTIFY=NEVER ORCPT=rfc822;a+40b").unwrap();
/// assert_eq!(p.orcpt.unwrap().address().as_str(), "a@b");
/// ```
pub fn parse_rcpt_parameters(input: &[u8]) -> Result<RcptParameters<'_>, Error> {
    let mut c = Cursor::new(input);
    rcpt_parameters(&mut c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        let p = parse_mail_parameters(
            b" SIZE=100 BODY=BINARYMIME SMTPUTF8 RET=FULL ENVID=a+2Bb AUTH=<> REQUIRETLS MT-PRIORITY=-4",
        )
        .unwrap();
        assert_eq!(p.size, Some(100));
        assert_eq!(p.body, Some(BodyType::BinaryMime));
        assert!(p.smtputf8 && p.requiretls);
        assert_eq!(p.ret, Some(Ret::Full));
        assert_eq!(p.envid.unwrap().as_str(), "a+b");
        assert_eq!(p.auth.unwrap().as_str(), "<>");
        assert_eq!(p.mt_priority, MtPriority::new(-4));
        let r = parse_rcpt_parameters(b" notify=success,delay X-Y").unwrap();
        assert_eq!(r.notify, Notify::on(true, false, true));
        assert_eq!(r.other.len(), 1);
    }

    #[test]
    fn malformed() {
        for bad in [
            &b" SIZE"[..],
            b" SIZE=x",
            b" SIZE=99999999999999999999999",
            b" BODY=9BIT",
            b" SMTPUTF8=1",
            b" RET=ALL",
            b" ENVID=a+zz",
            b" ENVID=a+0D",
            b" MT-PRIORITY=10",
            b" X=",
            b" -X",
            b"  X",
            b" X ",
            b"X",
            b" X=a\rb",
            b" SMTPUTF8 SMTPUTF8",
        ] {
            assert!(
                parse_mail_parameters(bad).is_err(),
                "{}",
                bad.escape_ascii()
            );
        }
        for bad in [
            &b" NOTIFY=NEVER,SUCCESS"[..],
            b" NOTIFY=",
            b" ORCPT=rfc822",
            b" ORCPT=;a",
        ] {
            assert!(
                parse_rcpt_parameters(bad).is_err(),
                "{}",
                bad.escape_ascii()
            );
        }
    }
}
