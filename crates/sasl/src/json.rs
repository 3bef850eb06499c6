//! Just enough JSON (RFC 8259) for the OAuth error object of RFC 7628
//! §3.2.2: a flat object whose interesting members are strings.
//!
//! Members with other values (numbers, literals, arrays, nested objects)
//! are skipped. Nesting is bounded so that hostile input cannot exhaust
//! the stack.

use crate::Error;
use crate::error::malformed;

const MAX_DEPTH: usize = 16;

/// Writes `value` as a JSON string.
pub(crate) fn write_string(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Parses an object, returning its string-valued members in order.
pub(crate) fn parse_object(input: &[u8]) -> Result<Vec<(String, String)>, Error> {
    let mut parser = Parser { input, pos: 0 };
    parser.whitespace();
    let members = parser.object(0)?;
    parser.whitespace();
    if parser.pos != input.len() {
        return Err(malformed("JSON object"));
    }
    Ok(members)
}

struct Parser<'a> {
    input: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos = self.pos.saturating_add(1);
        Some(b)
    }

    fn expect(&mut self, byte: u8) -> Result<(), Error> {
        if self.bump() == Some(byte) {
            Ok(())
        } else {
            Err(malformed("JSON object"))
        }
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos = self.pos.saturating_add(1);
        }
    }

    fn object(&mut self, depth: usize) -> Result<Vec<(String, String)>, Error> {
        if depth > MAX_DEPTH {
            return Err(malformed("JSON object"));
        }
        self.expect(b'{')?;
        let mut members = Vec::new();
        self.whitespace();
        if self.peek() == Some(b'}') {
            self.pos = self.pos.saturating_add(1);
            return Ok(members);
        }
        loop {
            self.whitespace();
            let key = self.string()?;
            self.whitespace();
            self.expect(b':')?;
            self.whitespace();
            if self.peek() == Some(b'"') {
                let value = self.string()?;
                members.push((key, value));
            } else {
                self.skip_value(depth)?;
            }
            self.whitespace();
            match self.bump() {
                Some(b',') => continue,
                Some(b'}') => return Ok(members),
                _ => return Err(malformed("JSON object")),
            }
        }
    }

    fn skip_value(&mut self, depth: usize) -> Result<(), Error> {
        match self.peek() {
            Some(b'"') => self.string().map(drop),
            Some(b'{') => self.object(depth.saturating_add(1)).map(drop),
            Some(b'[') => {
                if depth >= MAX_DEPTH {
                    return Err(malformed("JSON object"));
                }
                self.pos = self.pos.saturating_add(1);
                self.whitespace();
                if self.peek() == Some(b']') {
                    self.pos = self.pos.saturating_add(1);
                    return Ok(());
                }
                loop {
                    self.whitespace();
                    self.skip_value(depth.saturating_add(1))?;
                    self.whitespace();
                    match self.bump() {
                        Some(b',') => continue,
                        Some(b']') => return Ok(()),
                        _ => return Err(malformed("JSON object")),
                    }
                }
            }
            Some(b) if b == b'-' || b.is_ascii_alphanumeric() => {
                // Numbers and the literals true, false, null.
                let start = self.pos;
                while matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric() || b"+-.".contains(&b))
                {
                    self.pos = self.pos.saturating_add(1);
                }
                let token = self.input.get(start..self.pos).unwrap_or_default();
                let literal = matches!(token, b"true" | b"false" | b"null");
                let number = token
                    .first()
                    .is_some_and(|b| *b == b'-' || b.is_ascii_digit());
                if literal || number {
                    Ok(())
                } else {
                    Err(malformed("JSON object"))
                }
            }
            _ => Err(malformed("JSON object")),
        }
    }

    fn string(&mut self) -> Result<String, Error> {
        self.expect(b'"')?;
        let mut out = Vec::new();
        loop {
            match self.bump() {
                None => return Err(malformed("JSON object")),
                Some(b'"') => break,
                Some(b'\\') => {
                    let c = match self.bump() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        _ => return Err(malformed("JSON object")),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                Some(b) if b < 0x20 => return Err(malformed("JSON object")),
                Some(b) => out.push(b),
            }
        }
        String::from_utf8(out).map_err(|_| malformed("JSON object"))
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let digits = self
            .input
            .get(self.pos..self.pos.saturating_add(4))
            .ok_or_else(|| malformed("JSON object"))?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return Err(malformed("JSON object"));
        }
        self.pos = self.pos.saturating_add(4);
        let text = std::str::from_utf8(digits).map_err(|_| malformed("JSON object"))?;
        u32::from_str_radix(text, 16).map_err(|_| malformed("JSON object"))
    }

    fn unicode_escape(&mut self) -> Result<char, Error> {
        let first = self.hex4()?;
        let code = if (0xd800..0xdc00).contains(&first) {
            // A high surrogate must be followed by `\u` and a low one.
            self.expect(b'\\')?;
            self.expect(b'u')?;
            let second = self.hex4()?;
            if !(0xdc00..0xe000).contains(&second) {
                return Err(malformed("JSON object"));
            }
            0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| malformed("JSON object"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_flat_objects() {
        let members = parse_object(
            br#" {"status":"invalid_token","n":-1.5e3,"ok":true,"x":null,"a":[1,{"b":"c"}],
                 "s":"\u00e9\ud83d\ude00\"\\\/\n"} "#,
        )
        .unwrap();
        assert_eq!(
            members,
            vec![
                ("status".into(), "invalid_token".into()),
                ("s".into(), "é😀\"\\/\n".into())
            ]
        );
        assert_eq!(parse_object(b"{}").unwrap(), vec![]);
    }

    #[test]
    fn rejects_bad_json() {
        for bad in [
            &b""[..],
            b"{",
            b"{\"a\"}",
            b"{\"a\":}",
            b"{\"a\":\"b\",}",
            b"{\"a\":\"b\"} x",
            b"{\"a\":\"\\ud800\"}",
            b"{\"a\":\"\\x\"}",
            b"{\"a\":\"\x01\"}",
            b"{\"a\":wrong}",
            b"[]",
        ] {
            assert_eq!(parse_object(bad), Err(malformed("JSON object")), "{bad:?}");
        }
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(100), "]".repeat(100));
        assert!(parse_object(deep.as_bytes()).is_err());
    }

    #[test]
    fn writes_escaped_strings() {
        let mut out = String::new();
        write_string(&mut out, "a\"b\\c\n\u{1}");
        assert_eq!(out, r#""a\"b\\c\n\u0001""#);
        let parsed = parse_object(format!("{{\"k\":{out}}}").as_bytes()).unwrap();
        assert_eq!(parsed, vec![("k".into(), "a\"b\\c\n\u{1}".into())]);
    }
}
