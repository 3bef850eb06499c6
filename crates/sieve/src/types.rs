//! The compiled form: commands and tests with typed, validated arguments.

use crate::compile::string::Str;

/// A string list argument.
pub(crate) type StrList = Vec<Str>;

/// A block of commands.
pub(crate) type Block = Vec<Command>;

/// A compiled command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Command {
    /// `if`/`elsif`/`else` ([RFC 5228 §3.1]).
    If {
        branches: Vec<(Test, Block)>,
        otherwise: Option<Block>,
    },
    Stop,
    Keep {
        flags: Option<StrList>,
    },
    Discard,
    Redirect {
        address: Str,
        copy: bool,
    },
    FileInto {
        mailbox: Str,
        flags: Option<StrList>,
        copy: bool,
        create: bool,
    },
    Reject {
        reason: Str,
        extended: bool,
    },
    Vacation(Box<Vacation>),
    /// `setflag`/`addflag`/`removeflag` ([RFC 5232 §3]).
    Flags {
        operation: FlagOperation,
        variable: Option<Str>,
        flags: StrList,
    },
    /// `set` ([RFC 5229 §4]).
    Set {
        name: String,
        value: Str,
        modifiers: Vec<Modifier>,
    },
}

/// What a flag command does to the flag list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlagOperation {
    Set,
    Add,
    Remove,
}

/// The `vacation` command's arguments ([RFC 5230 §4]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Vacation {
    pub(crate) seconds: Option<u64>,
    pub(crate) subject: Option<Str>,
    pub(crate) from: Option<Str>,
    pub(crate) addresses: StrList,
    pub(crate) mime: bool,
    pub(crate) handle: Option<Str>,
    pub(crate) reason: Str,
}

/// A `set` modifier ([RFC 5229 §4.1]), ordered by precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Modifier {
    Length,
    QuoteWildcard,
    LowerFirst,
    UpperFirst,
    Lower,
    Upper,
}

impl Modifier {
    /// The precedence (RFC 5229 §4.1): higher is applied first.
    pub(crate) fn precedence(self) -> u8 {
        match self {
            Modifier::Lower | Modifier::Upper => 40,
            Modifier::LowerFirst | Modifier::UpperFirst => 30,
            Modifier::QuoteWildcard => 20,
            Modifier::Length => 10,
        }
    }
}

/// A compiled test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Test {
    True,
    False,
    Not(Box<Test>),
    AllOf(Vec<Test>),
    AnyOf(Vec<Test>),
    Address {
        matcher: Matcher,
        part: AddressPart,
        index: Option<Index>,
        headers: StrList,
        keys: StrList,
    },
    Envelope {
        matcher: Matcher,
        part: AddressPart,
        parts: StrList,
        keys: StrList,
    },
    Header {
        matcher: Matcher,
        index: Option<Index>,
        headers: StrList,
        keys: StrList,
    },
    Exists(StrList),
    Size {
        over: bool,
        limit: u64,
    },
    Body {
        matcher: Matcher,
        transform: BodyTransform,
        keys: StrList,
    },
    Date {
        matcher: Matcher,
        zone: Zone,
        index: Option<Index>,
        header: Str,
        part: DatePart,
        keys: StrList,
    },
    CurrentDate {
        matcher: Matcher,
        zone: Zone,
        part: DatePart,
        keys: StrList,
    },
    HasFlag {
        matcher: Matcher,
        variables: Option<StrList>,
        flags: StrList,
    },
    MailboxExists(StrList),
    Duplicate(Box<Duplicate>),
    /// `string` ([RFC 5229 §5]).
    String {
        matcher: Matcher,
        sources: StrList,
        keys: StrList,
    },
}

/// The `duplicate` test's arguments ([RFC 7352 §3]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Duplicate {
    pub(crate) handle: Option<Str>,
    pub(crate) source: DuplicateSource,
    pub(crate) seconds: Option<u64>,
    pub(crate) last: bool,
}

/// Where the duplicate test takes its identifier from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DuplicateSource {
    Header(Str),
    UniqueId(Str),
}

/// `:index` and `:last` ([RFC 5260 §6]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Index {
    pub(crate) nth: u64,
    pub(crate) last: bool,
}

/// Comparator and match type of a test ([RFC 5228 §2.7]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Matcher {
    pub(crate) comparator: Comparator,
    pub(crate) kind: MatchKind,
}

/// A comparator ([RFC 5228 §2.7.3], RFC 4790).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparator {
    Octet,
    AsciiCasemap,
    AsciiNumeric,
}

/// A match type ([RFC 5228 §2.7.1], RFC 5231 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MatchKind {
    Is,
    Contains,
    Matches,
    Value(Relation),
    Count(Relation),
}

/// A relational operator ([RFC 5231 §5]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relation {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
}

impl Relation {
    pub(crate) fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_lowercase().as_str() {
            "gt" => Self::Gt,
            "ge" => Self::Ge,
            "lt" => Self::Lt,
            "le" => Self::Le,
            "eq" => Self::Eq,
            "ne" => Self::Ne,
            _ => return None,
        })
    }

    pub(crate) fn holds(self, ordering: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match self {
            Self::Gt => ordering == Greater,
            Self::Ge => ordering != Less,
            Self::Lt => ordering == Less,
            Self::Le => ordering != Greater,
            Self::Eq => ordering == Equal,
            Self::Ne => ordering != Equal,
        }
    }
}

/// Which part of an address is compared ([RFC 5228 §2.7.4], RFC 5233).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AddressPart {
    All,
    LocalPart,
    Domain,
    User,
    Detail,
}

/// What the body test compares ([RFC 5173 §5]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BodyTransform {
    Raw,
    Content(StrList),
    Text,
}

/// The time zone of a date test ([RFC 5260 §4.1]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Zone {
    Local,
    Original,
    Fixed(Str),
}

/// A date part ([RFC 5260 §4.2]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DatePart {
    Year,
    Month,
    Day,
    Date,
    Julian,
    Hour,
    Minute,
    Second,
    Time,
    Iso8601,
    Std11,
    Zone,
    Weekday,
}

impl DatePart {
    pub(crate) fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_lowercase().as_str() {
            "year" => Self::Year,
            "month" => Self::Month,
            "day" => Self::Day,
            "date" => Self::Date,
            "julian" => Self::Julian,
            "hour" => Self::Hour,
            "minute" => Self::Minute,
            "second" => Self::Second,
            "time" => Self::Time,
            "iso8601" => Self::Iso8601,
            "std11" => Self::Std11,
            "zone" => Self::Zone,
            "weekday" => Self::Weekday,
            _ => return None,
        })
    }
}
