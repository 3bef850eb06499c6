//! Minimal edits of a parsed message: add, remove or replace top-level
//! header fields, replace or remove a part, add an attachment. Every byte
//! not touched by an edit is re-emitted as it was, so a DKIM signature
//! ([RFC 6376]) over untouched fields and an untouched body still
//! verifies.
//!
//! Parts are named by their path: the indexes of the multipart children
//! from the top (`[]` is the whole message, `[1, 0]` the first child of the
//! second part); the message inside a `message/rfc822` part is its child
//! `0`. New fields and parts use the message's line ending (CRLF or LF).
//!
//! [RFC 6376]: https://www.rfc-editor.org/rfc/rfc6376
//!
//! ```
//! use mailwire_message::builder::PartBuilder;
//! use mailwire_message::edit::Edit;
//!
//! let input = b"From: a@example.org\r\nSubject: Old\r\nX-Spam: yes\r\n\r\nBody, untouched.\r\n";
//! let message = mailwire_message::parse(input);
//! let output = Edit::new(&message)
//!     .replace_field("Subject", "New")
//!     .remove_fields("X-Spam")
//!     .add_field("X-Checked", "ok")
//!     .to_vec()
//!     .unwrap();
//! assert_eq!(output, b"From: a@example.org\r\nSubject: New\r\nX-Checked: ok\r\n\r\nBody, untouched.\r\n");
//! ```

use crate::builder::{BuildError, PartBuilder, Transport};
use crate::header::HeaderLine;
use crate::{Body, Message, Part};

/// Why an edit could not be applied.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EditError {
    /// No part at this path.
    #[error("no part at path {0:?}")]
    NoSuchPart(Vec<usize>),
    /// The whole message cannot be removed or replaced as a part.
    #[error("the top-level part cannot be removed or replaced")]
    CannotRemoveRoot,
    /// A new part holds a line that is the enclosing multipart's boundary.
    #[error("new part contains the enclosing boundary")]
    BoundaryCollision,
    /// Writing a new field or part failed.
    #[error(transparent)]
    Build(#[from] BuildError),
}

#[derive(Debug)]
enum FieldOp {
    Remove(String),
    Replace(String, String),
}

/// A set of edits on a parsed message; see the [module documentation](self).
#[derive(Debug)]
pub struct Edit<'m, 'a, 'p> {
    message: &'m Message<'a>,
    field_ops: Vec<FieldOp>,
    prepend: Vec<(String, String)>,
    append: Vec<(String, String)>,
    replace: Vec<(Vec<usize>, Option<PartBuilder<'p>>)>,
    attachments: Vec<PartBuilder<'p>>,
    transport: Transport,
}

impl<'m, 'a, 'p> Edit<'m, 'a, 'p> {
    /// No edits yet on `message`.
    pub fn new(message: &'m Message<'a>) -> Self {
        Self {
            message,
            field_ops: Vec::new(),
            prepend: Vec::new(),
            append: Vec::new(),
            replace: Vec::new(),
            attachments: Vec::new(),
            transport: Transport::SevenBit,
        }
    }

    /// Adds an unstructured field at the end of the top-level header.
    #[must_use]
    pub fn add_field(mut self, name: &str, value: &str) -> Self {
        self.append.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Adds an unstructured field at the top of the header (where trace
    /// fields go, [RFC 5322 §3.6.7]).
    ///
    /// [RFC 5322 §3.6.7]: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.7
    #[must_use]
    pub fn prepend_field(mut self, name: &str, value: &str) -> Self {
        self.prepend.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Removes every top-level field named `name` (case-insensitive).
    #[must_use]
    pub fn remove_fields(mut self, name: &str) -> Self {
        self.field_ops.push(FieldOp::Remove(name.to_owned()));
        self
    }

    /// Replaces the value of the first top-level field named `name`, in
    /// place (added at the end when there is none); later fields of the
    /// same name stay.
    #[must_use]
    pub fn replace_field(mut self, name: &str, value: &str) -> Self {
        self.field_ops
            .push(FieldOp::Replace(name.to_owned(), value.to_owned()));
        self
    }

    /// Replaces the part at `path` (header and body) with `part`.
    #[must_use]
    pub fn replace_part(mut self, path: &[usize], part: PartBuilder<'p>) -> Self {
        self.replace.push((path.to_vec(), Some(part)));
        self
    }

    /// Removes the part at `path` with its delimiter line.
    #[must_use]
    pub fn remove_part(mut self, path: &[usize]) -> Self {
        self.replace.push((path.to_vec(), None));
        self
    }

    /// Adds an attachment: appended to a top-level `multipart/mixed`, or
    /// the message becomes `multipart/mixed` with its former body (and its
    /// `Content-*` fields) as the first part.
    #[must_use]
    pub fn add_attachment(mut self, part: PartBuilder<'p>) -> Self {
        self.attachments.push(part);
        self
    }

    /// Sets what the transport accepts, for new parts (default 7-bit).
    #[must_use]
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }

    /// Applies the edits and returns the new message.
    pub fn to_vec(mut self) -> Result<Vec<u8>, EditError> {
        let root = self.message.root();
        let crlf = line_ending_is_crlf(root);
        for (path, _) in &self.replace {
            if path.is_empty() {
                return Err(EditError::CannotRemoveRoot);
            }
            if find(root, path).is_none() {
                return Err(EditError::NoSuchPart(path.clone()));
            }
        }
        let mut out =
            Vec::with_capacity(self.message.root().body_bytes().len().saturating_add(4096));
        let wrap = !self.attachments.is_empty() && !root.content_type().is("multipart", "mixed");
        let boundary = format!("=_mw-edit-{:016x}", crate::builder::random_seed());
        // The top-level header.
        let fixed = |s: Vec<u8>| if crlf { s } else { to_lf(&s) };
        for (name, value) in &self.prepend {
            out.extend(fixed(crate::builder::text_field(name, value)?));
        }
        let mut replaced = vec![false; self.field_ops.len()];
        let mut moved = Vec::new();
        for line in root.header().lines() {
            let HeaderLine::Field(field) = line else {
                out.extend_from_slice(line.raw());
                continue;
            };
            let mut keep = true;
            for (i, op) in self.field_ops.iter().enumerate() {
                match op {
                    FieldOp::Remove(name) if field.is(name) => keep = false,
                    FieldOp::Replace(name, value)
                        if field.is(name) && keep && !replaced.get(i).copied().unwrap_or(true) =>
                    {
                        ensure_line_end(&mut out, crlf);
                        out.extend(fixed(crate::builder::text_field(name, value)?));
                        if let Some(flag) = replaced.get_mut(i) {
                            *flag = true;
                        }
                        keep = false;
                    }
                    _ => {}
                }
            }
            if keep
                && wrap
                && field.name().len() > 8
                && field
                    .name()
                    .get(..8)
                    .is_some_and(|n| n.eq_ignore_ascii_case(b"content-"))
            {
                moved.push(field.raw());
                continue;
            }
            if keep {
                out.extend_from_slice(field.raw());
            }
        }
        for (i, op) in self.field_ops.iter().enumerate() {
            if let FieldOp::Replace(name, value) = op
                && !replaced.get(i).copied().unwrap_or(true)
            {
                self.append.push((name.clone(), value.clone()));
            }
        }
        for (name, value) in &self.append {
            ensure_line_end(&mut out, crlf);
            out.extend(fixed(crate::builder::text_field(name, value)?));
        }
        if wrap {
            ensure_line_end(&mut out, crlf);
            let field = format!("Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n");
            out.extend(fixed(field.into_bytes()));
        }
        let separator: &[u8] = if crlf { b"\r\n" } else { b"\n" };
        if root.separator().is_empty() {
            ensure_line_end(&mut out, crlf);
            out.extend_from_slice(separator);
        } else {
            out.extend_from_slice(root.separator());
        }
        let mut replace = std::mem::take(&mut self.replace);
        let attachments = std::mem::take(&mut self.attachments);
        if wrap {
            let delimiter = format!("--{boundary}");
            out.extend(fixed(format!("{delimiter}\r\n").into_bytes()));
            for raw in moved {
                out.extend_from_slice(raw);
            }
            out.extend_from_slice(separator);
            self.body(root, &mut Vec::new(), &mut replace, &mut out, crlf)?;
            for part in attachments {
                out.extend(fixed(format!("\r\n{delimiter}\r\n").into_bytes()));
                out.extend(self.new_part(part, &boundary, crlf)?);
            }
            out.extend(fixed(format!("\r\n{delimiter}--\r\n").into_bytes()));
        } else {
            self.attachments = attachments;
            self.body(root, &mut Vec::new(), &mut replace, &mut out, crlf)?;
        }
        Ok(out)
    }

    fn new_part(
        &self,
        part: PartBuilder<'p>,
        boundary: &str,
        crlf: bool,
    ) -> Result<Vec<u8>, EditError> {
        let bytes = crate::builder::part_bytes(part, self.transport)?;
        let needle = format!("\n--{boundary}");
        if bytes.starts_with(format!("--{boundary}").as_bytes())
            || bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        {
            return Err(EditError::BoundaryCollision);
        }
        Ok(if crlf { bytes } else { to_lf(&bytes) })
    }

    /// Writes `part`'s body (its header was written by the caller).
    fn body(
        &mut self,
        part: &Part<'_>,
        path: &mut Vec<usize>,
        replace: &mut Vec<(Vec<usize>, Option<PartBuilder<'p>>)>,
        out: &mut Vec<u8>,
        crlf: bool,
    ) -> Result<(), EditError> {
        match part.body() {
            Body::Leaf(bytes) => out.extend_from_slice(bytes),
            Body::Message(inner) => {
                path.push(0);
                self.child(inner, path, replace, out, crlf, "")?;
                path.pop();
            }
            Body::Multipart(multipart) => {
                let boundary = part
                    .content_type()
                    .boundary()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default();
                out.extend_from_slice(multipart.preamble());
                for (i, (delimiter, child)) in multipart
                    .delimiters()
                    .iter()
                    .zip(multipart.parts())
                    .enumerate()
                {
                    path.push(i);
                    let removed = replace.iter().any(|(p, r)| p == path && r.is_none());
                    if !removed {
                        out.extend_from_slice(delimiter);
                        self.child(child, path, replace, out, crlf, &boundary)?;
                    }
                    path.pop();
                }
                if path.is_empty() && !self.attachments.is_empty() {
                    for attachment in std::mem::take(&mut self.attachments) {
                        let delimiter = format!("\r\n--{boundary}\r\n");
                        out.extend(if crlf {
                            delimiter.into_bytes()
                        } else {
                            to_lf(delimiter.as_bytes())
                        });
                        out.extend(self.new_part(attachment, &boundary, crlf)?);
                    }
                }
                match multipart.close_delimiter() {
                    Some(close) => out.extend_from_slice(close),
                    None if path.is_empty() && !boundary.is_empty() => {
                        let close = format!("\r\n--{boundary}--\r\n");
                        out.extend(if crlf {
                            close.into_bytes()
                        } else {
                            to_lf(close.as_bytes())
                        });
                    }
                    None => {}
                }
                out.extend_from_slice(multipart.epilogue());
            }
        }
        Ok(())
    }

    /// Writes a child part: replaced, or its header and body as they were.
    fn child(
        &mut self,
        part: &Part<'_>,
        path: &mut Vec<usize>,
        replace: &mut Vec<(Vec<usize>, Option<PartBuilder<'p>>)>,
        out: &mut Vec<u8>,
        crlf: bool,
        boundary: &str,
    ) -> Result<(), EditError> {
        if let Some(index) = replace.iter().position(|(p, r)| p == path && r.is_some()) {
            let (_, new) = replace.swap_remove(index);
            if let Some(new) = new {
                out.extend(self.new_part(new, boundary, crlf)?);
            }
            return Ok(());
        }
        part.header().write_to(out);
        out.extend_from_slice(part.separator());
        self.body(part, path, replace, out, crlf)
    }
}

fn find<'x, 'a>(root: &'x Part<'a>, path: &[usize]) -> Option<&'x Part<'a>> {
    let mut part = root;
    for &i in path {
        part = match part.body() {
            Body::Message(inner) if i == 0 => inner,
            Body::Multipart(m) => m.parts().get(i)?,
            _ => return None,
        };
    }
    Some(part)
}

fn line_ending_is_crlf(root: &Part<'_>) -> bool {
    let sample = root
        .header()
        .lines()
        .first()
        .map(HeaderLine::raw)
        .unwrap_or(root.separator());
    !sample.ends_with(b"\n") || sample.ends_with(b"\r\n")
}

fn ensure_line_end(out: &mut Vec<u8>, crlf: bool) {
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
    }
}

fn to_lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut iter = bytes.iter().peekable();
    while let Some(&b) = iter.next() {
        if b == b'\r' && iter.peek() == Some(&&b'\n') {
            continue;
        }
        out.push(b);
    }
    out
}
