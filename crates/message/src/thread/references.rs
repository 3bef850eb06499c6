//! The `REFERENCES` threading algorithm ([RFC 5256 §BASE.6.4.THREAD],
//! steps 1 to 6).
//!
//! [RFC 5256 §BASE.6.4.THREAD]: https://www.rfc-editor.org/rfc/rfc5256#section-3

use std::collections::HashMap;

use super::{ForestBuilder, ThreadMessage, Threads, base_subject, casemap, index};

const NONE: u32 = u32::MAX;

/// A container of the JWZ algorithm: a message or a dummy.
#[derive(Debug, Clone)]
struct Container {
    /// Index into the input, `NONE` for a dummy.
    message: u32,
    parent: u32,
    /// Number of children linked so far (step 1), so loop checks can stop
    /// at once for a container without descendants.
    child_count: u32,
    children: Vec<u32>,
}

impl Container {
    const fn new(message: u32) -> Self {
        Self {
            message,
            parent: NONE,
            child_count: 0,
            children: Vec::new(),
        }
    }
}

struct Arena<'m> {
    messages: &'m [ThreadMessage<'m>],
    containers: Vec<Container>,
    /// Base subject key and reply flag of each message, computed once.
    subjects: Vec<Option<(String, bool)>>,
}

impl Arena<'_> {
    fn get(&self, i: u32) -> Option<&Container> {
        self.containers.get(i as usize)
    }

    fn get_mut(&mut self, i: u32) -> Option<&mut Container> {
        self.containers.get_mut(i as usize)
    }

    fn push(&mut self, container: Container) -> u32 {
        self.containers.push(container);
        index(self.containers.len().saturating_sub(1))
    }

    fn parent(&self, i: u32) -> u32 {
        self.get(i).map_or(NONE, |c| c.parent)
    }

    /// Whether `ancestor` is `node` or one of its ancestors.
    fn has_ancestor(&self, node: u32, ancestor: u32) -> bool {
        if node == ancestor {
            return true;
        }
        if self.get(ancestor).is_none_or(|c| c.child_count == 0) {
            return false;
        }
        let mut current = self.parent(node);
        let mut steps = 0usize;
        while current != NONE && steps <= self.containers.len() {
            if current == ancestor {
                return true;
            }
            current = self.parent(current);
            steps = steps.saturating_add(1);
        }
        false
    }

    fn set_parent(&mut self, child: u32, parent: u32) {
        let old = self.parent(child);
        if old != NONE
            && let Some(c) = self.get_mut(old)
        {
            c.child_count = c.child_count.saturating_sub(1);
        }
        if parent != NONE
            && let Some(c) = self.get_mut(parent)
        {
            c.child_count = c.child_count.saturating_add(1);
        }
        if let Some(c) = self.get_mut(child) {
            c.parent = parent;
        }
    }

    /// Sort key: sent date and input position of the message, or of the
    /// first child for a dummy (children sorted first).
    fn key(&self, i: u32) -> (i64, u32) {
        let mut current = i;
        for _ in 0..=self.containers.len() {
            let Some(c) = self.get(current) else { break };
            if let Some(m) = self.messages.get(c.message as usize) {
                return (m.sent_date, c.message);
            }
            match c.children.first() {
                Some(&first) => current = first,
                None => break,
            }
        }
        (i64::MAX, u32::MAX)
    }

    fn is_dummy(&self, i: u32) -> bool {
        self.get(i).is_none_or(|c| c.message == NONE)
    }

    /// The base subject of a thread (§5.B.i): of the message, or of a
    /// dummy's first child.
    fn thread_subject(&mut self, i: u32) -> Option<(String, bool)> {
        let c = self.get(i)?;
        let message = if c.message == NONE {
            let first = *c.children.first()?;
            self.get(first)?.message
        } else {
            c.message
        };
        let slot = self.subjects.get_mut(message as usize)?;
        if slot.is_none() {
            let m = self.messages.get(message as usize)?;
            let base = base_subject(&m.subject);
            *slot = Some((casemap(&base.text), base.is_reply_or_forward));
        }
        slot.clone()
    }

    fn sort_children(&mut self, i: u32) {
        let Some(mut children) = self.get_mut(i).map(|c| std::mem::take(&mut c.children)) else {
            return;
        };
        children.sort_by_key(|&c| self.key(c));
        if let Some(c) = self.get_mut(i) {
            c.children = children;
        }
    }
}

/// The `REFERENCES` algorithm ([RFC 5256 §BASE.6.4.THREAD]): threads
/// rebuilt from Message-ID, References and In-Reply-To, dummies pruned,
/// threads with the same base subject gathered, siblings sorted by sent
/// date. `messages` are in mailbox order.
///
/// [RFC 5256 §BASE.6.4.THREAD]: https://www.rfc-editor.org/rfc/rfc5256#section-3
///
/// ```
/// use mailwire_message::thread::{ThreadMessage, references};
///
/// // 3 replies to a message that is not in the set: a dummy groups them.
/// let messages = [
///     ThreadMessage::new(1, 10).with_message_id("b@x").with_references(["a@x"]).with_subject("Re: q"),
///     ThreadMessage::new(2, 20).with_message_id("c@x").with_references(["a@x"]).with_subject("Re: q"),
///     ThreadMessage::new(3, 5).with_message_id("d@x").with_subject("other"),
/// ];
/// assert_eq!(references(&messages).to_imap_string(), "(3)((1)(2))");
/// ```
pub fn references(messages: &[ThreadMessage<'_>]) -> Threads {
    let mut arena = Arena {
        messages,
        containers: Vec::with_capacity(messages.len().saturating_mul(2)),
        subjects: vec![None; messages.len()],
    };
    let mut ids: HashMap<&str, u32> = HashMap::with_capacity(messages.len());

    // Step 1.
    for (position, message) in messages.iter().enumerate() {
        let position = index(position);
        let own = match message.message_id.as_deref() {
            Some(id) => match ids.get(id) {
                Some(&existing) if arena.is_dummy(existing) => {
                    if let Some(c) = arena.get_mut(existing) {
                        c.message = position;
                    }
                    existing
                }
                // A duplicate gets a unique identifier: no entry.
                Some(_) => arena.push(Container::new(position)),
                None => {
                    let c = arena.push(Container::new(position));
                    ids.insert(id, c);
                    c
                }
            },
            None => arena.push(Container::new(position)),
        };
        // Step 1.A: link the references to each other.
        let mut previous = NONE;
        for reference in message.ancestry() {
            let current = match ids.get(reference.as_ref()) {
                Some(&c) => c,
                None => {
                    let c = arena.push(Container::new(NONE));
                    ids.insert(reference.as_ref(), c);
                    c
                }
            };
            if previous != NONE
                && arena.parent(current) == NONE
                && !arena.has_ancestor(previous, current)
            {
                arena.set_parent(current, previous);
            }
            previous = current;
        }
        // Step 1.B: the last reference is the parent.
        arena.set_parent(own, NONE);
        if previous != NONE && !arena.has_ancestor(previous, own) {
            arena.set_parent(own, previous);
        }
    }

    // Step 2: children lists, in container order, and the root set.
    let mut roots = Vec::new();
    for i in 0..index(arena.containers.len()) {
        let parent = arena.parent(i);
        if parent == NONE {
            roots.push(i);
        } else if let Some(p) = arena.get_mut(parent) {
            p.children.push(i);
        }
    }

    // Step 3: prune dummies, children before parents.
    let mut preorder = Vec::with_capacity(arena.containers.len());
    let mut stack: Vec<u32> = roots.clone();
    while let Some(i) = stack.pop() {
        preorder.push(i);
        if let Some(c) = arena.get(i) {
            stack.extend_from_slice(&c.children);
        }
    }
    for &i in preorder.iter().rev() {
        let Some(children) = arena.get_mut(i).map(|c| std::mem::take(&mut c.children)) else {
            continue;
        };
        let mut kept = Vec::with_capacity(children.len());
        for child in children {
            if arena.is_dummy(child) {
                if let Some(c) = arena.get_mut(child) {
                    kept.append(&mut c.children);
                }
            } else {
                kept.push(child);
            }
        }
        if let Some(c) = arena.get_mut(i) {
            c.children = kept;
        }
    }
    let mut top = Vec::with_capacity(roots.len());
    for root in roots {
        if !arena.is_dummy(root) {
            top.push(root);
            continue;
        }
        match arena.get(root).map(|c| c.children.as_slice()) {
            Some([]) | None => {}
            Some(&[only]) => top.push(only),
            Some(_) => top.push(root),
        }
    }

    // Step 4: sort the top level, a dummy by its earliest child.
    for &i in &top {
        if arena.is_dummy(i) {
            arena.sort_children(i);
        }
    }
    top.sort_by_key(|&i| arena.key(i));

    // Step 5: gather threads with the same base subject.
    let mut table: HashMap<String, u32> = HashMap::new();
    for &i in &top {
        let Some((subject, _)) = arena.thread_subject(i) else {
            continue;
        };
        if subject.is_empty() {
            continue;
        }
        match table.get(&subject) {
            None => {
                table.insert(subject, i);
            }
            Some(&existing) => {
                let replace = !arena.is_dummy(existing)
                    && (arena.is_dummy(i)
                        || (arena.thread_subject(existing).is_some_and(|s| s.1)
                            && !arena.thread_subject(i).is_some_and(|s| s.1)));
                if replace {
                    table.insert(subject, i);
                }
            }
        }
    }
    let mut slots: Vec<Option<u32>> = top.iter().copied().map(Some).collect();
    let mut slot_of: HashMap<u32, usize> = top.iter().enumerate().map(|(s, &i)| (i, s)).collect();
    for s in 0..slots.len() {
        let Some(current) = slots.get(s).copied().flatten() else {
            continue;
        };
        let Some((subject, current_reply)) = arena.thread_subject(current) else {
            continue;
        };
        if subject.is_empty() {
            continue;
        }
        let Some(&held) = table.get(&subject) else {
            continue;
        };
        if held == current {
            continue;
        }
        let held_reply = arena.thread_subject(held).is_some_and(|s| s.1);
        match (arena.is_dummy(held), arena.is_dummy(current)) {
            (true, true) => {
                let mut moved = arena
                    .get_mut(current)
                    .map(|c| std::mem::take(&mut c.children))
                    .unwrap_or_default();
                if let Some(h) = arena.get_mut(held) {
                    h.children.append(&mut moved);
                }
                if let Some(slot) = slots.get_mut(s) {
                    *slot = None;
                }
            }
            (true, false) => {
                if let Some(h) = arena.get_mut(held) {
                    h.children.push(current);
                }
                if let Some(slot) = slots.get_mut(s) {
                    *slot = None;
                }
            }
            (false, _) if current_reply && !held_reply => {
                if let Some(h) = arena.get_mut(held) {
                    h.children.push(current);
                }
                if let Some(slot) = slots.get_mut(s) {
                    *slot = None;
                }
            }
            _ => {
                let mut dummy = Container::new(NONE);
                dummy.children = vec![held, current];
                let dummy = arena.push(dummy);
                if let Some(slot) = slots.get_mut(s) {
                    *slot = None;
                }
                if let Some(held_slot) = slot_of.remove(&held)
                    && let Some(slot) = slots.get_mut(held_slot)
                {
                    *slot = Some(dummy);
                    slot_of.insert(dummy, held_slot);
                }
                table.insert(subject, dummy);
            }
        }
    }
    let mut top: Vec<u32> = slots.into_iter().flatten().collect();

    // Step 6: sort every set of siblings, deepest first.
    let mut preorder = Vec::with_capacity(arena.containers.len());
    let mut stack = top.clone();
    while let Some(i) = stack.pop() {
        preorder.push(i);
        if let Some(c) = arena.get(i) {
            stack.extend_from_slice(&c.children);
        }
    }
    for &i in preorder.iter().rev() {
        arena.sort_children(i);
    }
    top.sort_by_key(|&i| arena.key(i));

    // The output forest, children before parents.
    let mut builder = ForestBuilder::new(preorder.len());
    let mut built: Vec<u32> = vec![NONE; arena.containers.len()];
    for &i in preorder.iter().rev() {
        let Some(c) = arena.get(i) else { continue };
        let children: Vec<u32> = c
            .children
            .iter()
            .filter_map(|&child| built.get(child as usize).copied())
            .collect();
        let number = messages.get(c.message as usize).map(|m| m.number);
        if let Some(slot) = built.get_mut(i as usize) {
            *slot = builder.node(number, &children);
        }
    }
    let roots = top
        .iter()
        .filter_map(|&i| built.get(i as usize).copied())
        .collect();
    builder.finish(roots)
}
