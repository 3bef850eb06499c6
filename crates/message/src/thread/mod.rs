//! Message threading for IMAP THREAD ([RFC 5256 §BASE.6.4.THREAD]):
//! `ORDEREDSUBJECT`, `REFERENCES` and base subject extraction (§2.1).
//!
//! The input is any set of messages, in mailbox order (sequence order is
//! the final tie-breaker, §2.2), each described by a [`ThreadMessage`]:
//! the caller's number (sequence number or UID), Message-ID, References,
//! In-Reply-To, decoded subject and sent date. The output is a
//! [`Threads`] forest whose nodes are messages or dummies, which
//! [`Threads::write_imap`] writes as the `thread-list`s of a THREAD
//! response (§5).
//!
//! Both algorithms run in memory proportional to the number of messages and
//! references, with no recursion, so arbitrarily deep reply chains are safe.
//!
//! [RFC 5256 §BASE.6.4.THREAD]: https://www.rfc-editor.org/rfc/rfc5256#section-3
//!
//! ```
//! use mailwire_message::thread::{ThreadMessage, references};
//!
//! let messages = [
//!     ThreadMessage::new(1, 100).with_message_id("a@x").with_subject("lunch"),
//!     ThreadMessage::new(2, 200).with_message_id("b@x").with_subject("Re: lunch")
//!         .with_references(["a@x"]),
//!     ThreadMessage::new(3, 150).with_message_id("c@x").with_subject("other"),
//!     ThreadMessage::new(4, 300).with_subject("Re: lunch").with_in_reply_to(["a@x"]),
//! ];
//! let threads = references(&messages);
//! assert_eq!(threads.to_imap_string(), "(1 (2)(4))(3)");
//! ```

mod references;
mod subject;

use std::borrow::Cow;

pub use references::references;
pub use subject::{BaseSubject, base_subject, casemap};

use crate::header::Header;

/// What the threading algorithms need to know about one message.
///
/// Message identifiers are stored normalised ([RFC 5256] REFERENCES note):
/// without angle brackets, with a quoted local part unquoted, so
/// `<"a b"@x>` and `a b@x` compare equal. Comparisons are case-sensitive.
///
/// [RFC 5256]: https://www.rfc-editor.org/rfc/rfc5256#section-3
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadMessage<'a> {
    pub(crate) number: u32,
    pub(crate) sent_date: i64,
    pub(crate) message_id: Option<Cow<'a, str>>,
    pub(crate) references: Vec<Cow<'a, str>>,
    pub(crate) in_reply_to: Option<Cow<'a, str>>,
    pub(crate) subject: Cow<'a, str>,
}

impl<'a> ThreadMessage<'a> {
    /// A message numbered `number` (what the THREAD response shows) whose
    /// sent date ([RFC 5256 §2.2]) is `sent_date` seconds since the Unix
    /// epoch, UTC; no identifiers and an empty subject.
    ///
    /// [RFC 5256 §2.2]: https://www.rfc-editor.org/rfc/rfc5256#section-2.2
    pub fn new(number: u32, sent_date: i64) -> Self {
        Self {
            number,
            sent_date,
            message_id: None,
            references: Vec::new(),
            in_reply_to: None,
            subject: Cow::Borrowed(""),
        }
    }

    /// Reads Message-ID, References, In-Reply-To, Subject and Date from a
    /// header section; `internal_date` (seconds since the epoch) is the sent
    /// date when `Date` is missing or invalid ([RFC 5256 §2.2]).
    ///
    /// [RFC 5256 §2.2]: https://www.rfc-editor.org/rfc/rfc5256#section-2.2
    ///
    /// ```
    /// use mailwire_message::thread::ThreadMessage;
    /// let message = mailwire_message::parse(
    ///     b"Message-ID: <\"q\"@x>\r\nDate: 31 Dec 2000 16:01:33 -0800\r\nSubject: Re: hi\r\n\r\n",
    /// );
    /// let m = ThreadMessage::from_header(7, message.header(), 0);
    /// assert_eq!(m.message_id(), Some("q@x"));
    /// assert_eq!(m.sent_date(), 978307293);
    /// assert_eq!(m.subject(), "Re: hi");
    /// ```
    pub fn from_header(
        number: u32,
        header: &Header<'_>,
        internal_date: i64,
    ) -> ThreadMessage<'static> {
        let sent_date = header.date().map_or(internal_date, |date| date.timestamp());
        let mut message = ThreadMessage::new(number, sent_date);
        message.message_id = header
            .message_id()
            .and_then(|id| normalize(id.as_str()).map(|id| Cow::Owned(id.into_owned())));
        message.references = header
            .references()
            .iter()
            .filter_map(|id| normalize(id.as_str()))
            .map(|id| Cow::Owned(id.into_owned()))
            .collect();
        message.in_reply_to = header
            .in_reply_to()
            .iter()
            .find_map(|id| normalize(id.as_str()))
            .map(|id| Cow::Owned(id.into_owned()));
        message.subject = Cow::Owned(header.subject().map(Cow::into_owned).unwrap_or_default());
        message
    }

    /// Sets the Message-ID (brackets optional); an invalid one is ignored,
    /// so the message gets a unique identifier.
    #[must_use]
    pub fn with_message_id(mut self, id: &'a str) -> Self {
        self.message_id = normalize(id);
        self
    }

    /// Sets the message identifiers of the References field, in order;
    /// invalid ones are skipped.
    #[must_use]
    pub fn with_references(mut self, ids: impl IntoIterator<Item = &'a str>) -> Self {
        self.references = ids.into_iter().filter_map(normalize).collect();
        self
    }

    /// Sets the identifiers of the In-Reply-To field; only the first valid
    /// one is kept ([RFC 5256] REFERENCES).
    ///
    /// [RFC 5256]: https://www.rfc-editor.org/rfc/rfc5256#section-3
    #[must_use]
    pub fn with_in_reply_to(mut self, ids: impl IntoIterator<Item = &'a str>) -> Self {
        self.in_reply_to = ids.into_iter().find_map(normalize);
        self
    }

    /// Sets the subject, RFC 2047 encoded words already decoded.
    #[must_use]
    pub fn with_subject(mut self, subject: impl Into<Cow<'a, str>>) -> Self {
        self.subject = subject.into();
        self
    }

    /// The caller's number for this message.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// The sent date, seconds since the Unix epoch.
    pub fn sent_date(&self) -> i64 {
        self.sent_date
    }

    /// The normalised Message-ID, if valid.
    pub fn message_id(&self) -> Option<&str> {
        self.message_id.as_deref()
    }

    /// The subject as given.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The references used to rebuild the ancestry: References when it
    /// holds a valid identifier, else the first valid In-Reply-To, else
    /// none ([RFC 5256] REFERENCES).
    ///
    /// [RFC 5256]: https://www.rfc-editor.org/rfc/rfc5256#section-3
    pub fn ancestry(&self) -> &[Cow<'a, str>] {
        if self.references.is_empty() {
            self.in_reply_to.as_slice()
        } else {
            &self.references
        }
    }
}

/// Normalises a message identifier: brackets and white space around it
/// removed, a quoted local part unquoted. `None` unless it has the form
/// `left@right` with both sides non-empty.
///
/// ```
/// use mailwire_message::thread::normalize;
/// assert_eq!(normalize("<\"01KF8JCEOCBS0045PS\"@xxx.yyy.com>").as_deref(),
///            Some("01KF8JCEOCBS0045PS@xxx.yyy.com"));
/// assert_eq!(normalize("<01KF8JCEOCBS0045PS@xxx.yyy.com>").as_deref(),
///            Some("01KF8JCEOCBS0045PS@xxx.yyy.com"));
/// assert_eq!(normalize("no-at-sign"), None);
/// ```
pub fn normalize(id: &str) -> Option<Cow<'_, str>> {
    let id = id.trim_matches([' ', '\t', '\r', '\n']);
    let id = id
        .strip_prefix('<')
        .and_then(|i| i.strip_suffix('>'))
        .unwrap_or(id);
    let (left, right) = id.rsplit_once('@')?;
    if left.is_empty() || right.is_empty() {
        return None;
    }
    let Some(quoted) = left.strip_prefix('"').and_then(|l| l.strip_suffix('"')) else {
        return Some(Cow::Borrowed(id));
    };
    let mut out = String::with_capacity(id.len());
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    if out.is_empty() {
        return None;
    }
    out.push('@');
    out.push_str(right);
    Some(Cow::Owned(out))
}

/// One node of a thread forest: a message or a dummy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Node {
    message: Option<u32>,
    first_child: u32,
    children: u32,
}

/// A forest of threads, as RFC 5256 THREAD returns it.
///
/// Nodes are stored flat; [`Threads::roots`] and [`ThreadNode::children`]
/// walk them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Threads {
    nodes: Vec<Node>,
    /// Child node indexes, each node's children contiguous.
    links: Vec<u32>,
    roots: Vec<u32>,
}

/// A node of a [`Threads`] forest.
#[derive(Debug, Clone, Copy)]
pub struct ThreadNode<'t> {
    threads: &'t Threads,
    node: Node,
}

impl<'t> ThreadNode<'t> {
    /// The message's number, `None` for a dummy (a message referenced but
    /// not present, kept to group its children).
    pub fn message(&self) -> Option<u32> {
        self.node.message
    }

    /// The children, in thread order.
    pub fn children(&self) -> impl ExactSizeIterator<Item = ThreadNode<'t>> + 't {
        let start = self.node.first_child as usize;
        let end = start.saturating_add(self.node.children as usize);
        let threads = self.threads;
        threads
            .links
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(move |&i| threads.node(i))
    }
}

/// Builds a [`Threads`] forest from a tree given as nested child lists.
pub(crate) struct ForestBuilder {
    threads: Threads,
}

impl ForestBuilder {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            threads: Threads {
                nodes: Vec::with_capacity(capacity),
                links: Vec::with_capacity(capacity),
                roots: Vec::new(),
            },
        }
    }

    /// Adds a node whose children are the nodes `children` (already
    /// added); returns its index.
    pub(crate) fn node(&mut self, message: Option<u32>, children: &[u32]) -> u32 {
        let first_child = index(self.threads.links.len());
        self.threads.links.extend_from_slice(children);
        self.threads.nodes.push(Node {
            message,
            first_child,
            children: index(children.len()),
        });
        index(self.threads.nodes.len().saturating_sub(1))
    }

    pub(crate) fn finish(mut self, roots: Vec<u32>) -> Threads {
        self.threads.roots = roots;
        self.threads
    }
}

pub(crate) fn index(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Threads {
    fn node(&self, i: u32) -> ThreadNode<'_> {
        let node = self.nodes.get(i as usize).copied().unwrap_or(Node {
            message: None,
            first_child: 0,
            children: 0,
        });
        ThreadNode {
            threads: self,
            node,
        }
    }

    /// The top-level threads, in order.
    pub fn roots(&self) -> impl ExactSizeIterator<Item = ThreadNode<'_>> {
        self.roots.iter().map(|&i| self.node(i))
    }

    /// Whether there are no threads.
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// Writes the threads as THREAD response data: `1*thread-list`
    /// ([RFC 5256 §5]), e.g. `(1 2 (3)(4))(5)`. A chain of single
    /// children is written as one list of numbers; a dummy is written as a
    /// list of its children's lists.
    ///
    /// [RFC 5256 §5]: https://www.rfc-editor.org/rfc/rfc5256#section-5
    pub fn write_imap(&self, out: &mut Vec<u8>) {
        enum Step {
            Node(u32),
            Text(&'static [u8]),
        }
        let mut stack: Vec<Step> = Vec::new();
        for &root in self.roots.iter().rev() {
            stack.push(Step::Text(b")"));
            stack.push(Step::Node(root));
            stack.push(Step::Text(b"("));
        }
        let mut need_space = false;
        while let Some(step) = stack.pop() {
            let i = match step {
                Step::Text(text) => {
                    out.extend_from_slice(text);
                    need_space = false;
                    continue;
                }
                Step::Node(i) => i,
            };
            let node = self.node(i).node;
            let start = node.first_child as usize;
            let end = start.saturating_add(node.children as usize);
            let children = self.links.get(start..end).unwrap_or_default();
            if let Some(number) = node.message {
                if need_space {
                    out.push(b' ');
                }
                out.extend_from_slice(number.to_string().as_bytes());
                need_space = true;
            }
            if let [only] = children {
                stack.push(Step::Node(*only));
                continue;
            }
            if need_space && !children.is_empty() {
                out.push(b' ');
            }
            for &child in children.iter().rev() {
                stack.push(Step::Text(b")"));
                stack.push(Step::Node(child));
                stack.push(Step::Text(b"("));
            }
        }
    }

    /// [`write_imap`](Self::write_imap) into a string.
    pub fn to_imap_string(&self) -> String {
        let mut out = Vec::new();
        self.write_imap(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// The `ORDEREDSUBJECT` algorithm ([RFC 5256 §BASE.6.4.THREAD]): messages
/// sorted by base subject then sent date, one thread per base subject, the
/// threads sorted by the sent date of their first message; every later
/// message is a child of the first.
///
/// [RFC 5256 §BASE.6.4.THREAD]: https://www.rfc-editor.org/rfc/rfc5256#section-3
///
/// ```
/// use mailwire_message::thread::{ThreadMessage, ordered_subject};
/// let messages = [
///     ThreadMessage::new(1, 30).with_subject("b"),
///     ThreadMessage::new(2, 10).with_subject("Re: a"),
///     ThreadMessage::new(3, 20).with_subject("B"),
///     ThreadMessage::new(4, 40).with_subject("a"),
///     ThreadMessage::new(5, 50).with_subject("[fwd: A]"),
/// ];
/// assert_eq!(ordered_subject(&messages).to_imap_string(), "(2 (4)(5))(3 1)");
/// ```
pub fn ordered_subject(messages: &[ThreadMessage<'_>]) -> Threads {
    let keys: Vec<String> = messages
        .iter()
        .map(|m| casemap(&base_subject(&m.subject).text))
        .collect();
    let mut order: Vec<usize> = (0..messages.len()).collect();
    let date = |i: usize| messages.get(i).map_or(0, |m| m.sent_date);
    let key = |i: usize| keys.get(i).map_or("", String::as_str);
    order.sort_by(|&a, &b| {
        key(a)
            .cmp(key(b))
            .then(date(a).cmp(&date(b)))
            .then(a.cmp(&b))
    });
    let number = |i: usize| messages.get(i).map(|m| m.number);
    let mut builder = ForestBuilder::new(messages.len());
    let mut threads: Vec<(usize, u32)> = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let first = order.get(start).copied().unwrap_or(0);
        let mut end = start.saturating_add(1);
        while order.get(end).is_some_and(|&i| key(i) == key(first)) {
            end = end.saturating_add(1);
        }
        let children: Vec<u32> = order
            .get(start.saturating_add(1)..end)
            .unwrap_or_default()
            .iter()
            .map(|&i| builder.node(number(i), &[]))
            .collect();
        let root = builder.node(number(first), &children);
        threads.push((first, root));
        start = end;
    }
    threads.sort_by(|&(a, _), &(b, _)| date(a).cmp(&date(b)).then(a.cmp(&b)));
    builder.finish(threads.into_iter().map(|(_, root)| root).collect())
}
