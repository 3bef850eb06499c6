//! Compiling tests ([RFC 5228 §5] and the extension RFCs).
//!
//! [RFC 5228 §5]: https://www.rfc-editor.org/rfc/rfc5228#section-5

use super::Compiler;
use super::args::{Accepts, Args, Common};
use crate::error::{ScriptError, ScriptErrorKind};
use crate::ext::Extension;
use crate::parse;
use crate::types::{AddressPart, BodyTransform, DatePart, Duplicate, DuplicateSource, Test, Zone};

impl Compiler {
    /// Compiles one test.
    pub(crate) fn test(&mut self, test: &parse::Test) -> Result<Test, ScriptError> {
        let name = test.name.to_ascii_lowercase();
        let mut args = Args::new(&test.name, test.position, &test.arguments);
        let at = test.position;
        // Only allof, anyof and not take tests.
        match (name.as_str(), test.tests.len(), test.test_list) {
            ("allof" | "anyof", _, true) | ("not", 1, false) => {}
            ("allof" | "anyof" | "not", _, _) => {
                return Err(args.error(if name == "not" {
                    "takes one test"
                } else {
                    "takes a test list"
                }));
            }
            (_, 0, _) => {}
            _ => return Err(args.error("takes no nested test")),
        }
        let compiled = match name.as_str() {
            "true" => Test::True,
            "false" => Test::False,
            "not" => {
                let inner = test
                    .tests
                    .first()
                    .ok_or_else(|| args.error("takes one test"))?;
                Test::Not(Box::new(self.test(inner)?))
            }
            "allof" | "anyof" => {
                let tests = test
                    .tests
                    .iter()
                    .map(|t| self.test(t))
                    .collect::<Result<Vec<_>, _>>()?;
                if name == "allof" {
                    Test::AllOf(tests)
                } else {
                    Test::AnyOf(tests)
                }
            }
            "address" | "envelope" | "header" | "string" | "hasflag" | "body" | "date"
            | "currentdate" => self.match_test(&name, &mut args)?,
            "exists" => Test::Exists(args.string_list(self, "header names")?),
            "size" => {
                let over = match args.next_tag() {
                    Some((t, _)) if t == "over" => true,
                    Some((t, _)) if t == "under" => false,
                    _ => return Err(args.error("expected :over or :under")),
                };
                let limit = args.number("limit")?;
                Test::Size { over, limit }
            }
            "mailboxexists" => {
                self.need(Extension::Mailbox, at)?;
                Test::MailboxExists(args.string_list(self, "mailbox names")?)
            }
            "duplicate" => {
                self.need(Extension::Duplicate, at)?;
                self.duplicate(&mut args)?
            }
            _ => {
                return Err(ScriptError::new(
                    at,
                    ScriptErrorKind::Unknown {
                        what: "test",
                        name: test.name.clone(),
                    },
                ));
            }
        };
        args.finish()?;
        Ok(compiled)
    }

    /// Tests that take a comparator and match type.
    fn match_test(&mut self, name: &str, args: &mut Args<'_>) -> Result<Test, ScriptError> {
        let at = args_position(args);
        let accepts = Accepts {
            address_part: matches!(name, "address" | "envelope"),
            index: matches!(name, "address" | "header" | "date"),
            zone: matches!(name, "date" | "currentdate"),
        };
        match name {
            "envelope" => self.need(Extension::Envelope, at)?,
            "string" => self.need(Extension::Variables, at)?,
            "hasflag" => self.need(Extension::Imap4Flags, at)?,
            "body" => self.need(Extension::Body, at)?,
            "date" | "currentdate" => self.need(Extension::Date, at)?,
            _ => {}
        }
        let mut common = Common::default();
        let mut transform = None;
        while let Some((tag, position)) = args.next_tag() {
            if common.take(&tag, position, args, self, accepts)? {
                continue;
            }
            if name == "body" && transform.is_none() {
                match tag.as_str() {
                    "raw" => transform = Some(BodyTransform::Raw),
                    "text" => transform = Some(BodyTransform::Text),
                    "content" => {
                        transform = Some(BodyTransform::Content(
                            args.string_list(self, "content types")?,
                        ))
                    }
                    _ => return Err(args.unknown_tag(&tag, position)),
                }
                continue;
            }
            return Err(args.unknown_tag(&tag, position));
        }
        if common.zone.is_some() && name == "currentdate" && common.zone == Some(Zone::Original) {
            return Err(args.error(":originalzone is not allowed in currentdate"));
        }
        let matcher = common.matcher(args)?;
        let part = common.part.unwrap_or(AddressPart::All);
        let index = common.index(args)?;
        Ok(match name {
            "address" => Test::Address {
                matcher,
                part,
                index,
                headers: args.string_list(self, "header names")?,
                keys: args.string_list(self, "key list")?,
            },
            "envelope" => {
                let parts = args.string_list(self, "envelope parts")?;
                for p in &parts {
                    if let Some(p) = p.as_literal()
                        && !["from", "to", "auth"].contains(&p.to_ascii_lowercase().as_str())
                    {
                        return Err(args.error(format!("unknown envelope part {p:?}")));
                    }
                }
                Test::Envelope {
                    matcher,
                    part,
                    parts,
                    keys: args.string_list(self, "key list")?,
                }
            }
            "header" => Test::Header {
                matcher,
                index,
                headers: args.string_list(self, "header names")?,
                keys: args.string_list(self, "key list")?,
            },
            "string" => Test::String {
                matcher,
                sources: args.string_list(self, "source")?,
                keys: args.string_list(self, "key list")?,
            },
            "hasflag" => {
                let variables = if remaining(args) == 2 {
                    self.need(Extension::Variables, at)?;
                    let (names, position) = args.raw_string_list("variable list")?;
                    let mut out = Vec::new();
                    for n in names {
                        out.push(self.variable_name(n, position, args)?);
                    }
                    Some(out)
                } else {
                    None
                };
                Test::HasFlag {
                    matcher,
                    variables,
                    flags: args.string_list(self, "flags")?,
                }
            }
            "body" => Test::Body {
                matcher,
                transform: transform.unwrap_or(BodyTransform::Text),
                keys: args.string_list(self, "key list")?,
            },
            "date" => {
                let header = args.string(self, "header name")?;
                let part = self.date_part(args)?;
                Test::Date {
                    matcher,
                    zone: common.zone.clone().unwrap_or(Zone::Local),
                    index,
                    header,
                    part,
                    keys: args.string_list(self, "key list")?,
                }
            }
            _ => {
                let part = self.date_part(args)?;
                Test::CurrentDate {
                    matcher,
                    zone: common.zone.clone().unwrap_or(Zone::Local),
                    part,
                    keys: args.string_list(self, "key list")?,
                }
            }
        })
    }

    fn date_part(&mut self, args: &mut Args<'_>) -> Result<DatePart, ScriptError> {
        let (raw, position) = args.raw_string("date part")?;
        DatePart::parse(raw).ok_or_else(|| {
            ScriptError::new(
                position,
                ScriptErrorKind::InvalidValue {
                    what: "date part",
                    value: raw.to_owned(),
                },
            )
        })
    }

    /// The arguments of `duplicate` ([RFC 7352 §3]).
    ///
    /// [RFC 7352 §3]: https://www.rfc-editor.org/rfc/rfc7352#section-3
    fn duplicate(&mut self, args: &mut Args<'_>) -> Result<Test, ScriptError> {
        let mut d = Duplicate {
            handle: None,
            source: DuplicateSource::Header(crate::compile::string::Str::literal("message-id")),
            seconds: None,
            last: false,
        };
        let mut source_set = false;
        while let Some((tag, position)) = args.next_tag() {
            match tag.as_str() {
                "handle" => d.handle = Some(args.string(self, "handle")?),
                "header" | "uniqueid" => {
                    if source_set {
                        return Err(args.error(":header and :uniqueid exclude each other"));
                    }
                    source_set = true;
                    let s = args.string(self, "source")?;
                    d.source = if tag == "header" {
                        DuplicateSource::Header(s)
                    } else {
                        DuplicateSource::UniqueId(s)
                    };
                }
                "seconds" => d.seconds = Some(args.number("seconds")?),
                "last" => d.last = true,
                _ => return Err(args.unknown_tag(&tag, position)),
            }
        }
        Ok(Test::Duplicate(Box::new(d)))
    }
}

fn args_position(args: &Args<'_>) -> crate::Position {
    args.start()
}

fn remaining(args: &Args<'_>) -> usize {
    args.remaining()
}
