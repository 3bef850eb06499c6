//! Tokens: words of the decoded text and marked tokens from the header.
//!
//! The header gives `subject:` words, `from:` and `to:` address parts,
//! the `content-type`, the mailer, and the names of unusual fields; the
//! body gives the words of every text part decoded to UTF-8 (HTML tags
//! become `html:` tokens) and the host names of links. Words are
//! lowercased and 3 to [`MAX_WORD`] characters long; longer ones become
//! a `skip:` token carrying their first letter and length bucket, as in
//! Graham's and SpamBayes' tokenisers.

use std::collections::BTreeSet;

use mailwire_message::address::{AddressList, Mode};
use mailwire_message::{Message, Part};

/// Longest word kept as it is, in characters.
pub const MAX_WORD: usize = 24;

/// Most tokens taken from one message.
pub const MAX_TOKENS_PER_MESSAGE: usize = 4000;

/// Most octets of text read from one message.
const MAX_TEXT: usize = 256 * 1024;

/// Header fields whose words are tokens, prefixed with the field name.
const WORD_FIELDS: [&str; 3] = ["subject", "x-mailer", "user-agent"];

/// The distinct tokens of a message, in sorted order.
///
/// ```
/// let message = mailwire_message::parse(b"Subject: Cheap pills\r\nFrom: Bob <bob@pharma.example>\r\n\r\nBuy cheap pills at http://pills.example/now\r\n");
/// let tokens = mailwire_junk::tokens(&message);
/// assert!(tokens.contains(&"subject:cheap".to_owned()));
/// assert!(tokens.contains(&"from:pharma.example".to_owned()));
/// assert!(tokens.contains(&"url:pills.example".to_owned()));
/// assert!(tokens.contains(&"pills".to_owned()));
/// ```
pub fn tokens(message: &Message<'_>) -> Vec<String> {
    let mut set = BTreeSet::new();
    let mut add = |t: String| {
        if set.len() < MAX_TOKENS_PER_MESSAGE {
            set.insert(t);
        }
    };
    let header = message.header();
    for name in WORD_FIELDS {
        if let Some(field) = header.get(name) {
            words(&field.text(), &mut |w| add(format!("{name}:{w}")));
        }
    }
    for name in ["from", "to", "cc", "reply-to"] {
        for field in header.get_all(name) {
            let raw = field.unfolded();
            let (list, _) = AddressList::parse(&raw, Mode::Lenient);
            for mailbox in list.mailboxes() {
                let address = mailbox.raw_address().to_lowercase();
                let short = name.split('-').next().unwrap_or(name);
                match address.rsplit_once('@') {
                    Some((local, domain)) => {
                        add(format!("{short}:{domain}"));
                        if name == "from" {
                            add(format!("from:{local}@"));
                        }
                    }
                    None => add(format!("{short}:invalid")),
                }
                if let Some(n) = mailbox.name() {
                    words(n, &mut |w| add(format!("{short}-name:{w}")));
                }
            }
        }
    }
    let content_type = message.root().content_type();
    add(format!("content-type:{}", content_type.essence()));
    if let Some(charset) = content_type.charset() {
        add(format!("charset:{}", charset.to_lowercase()));
    }
    for field in header.fields() {
        let name = String::from_utf8_lossy(field.name()).to_lowercase();
        if name.starts_with("x-") && name.len() <= 32 {
            add(format!("header:{name}"));
        }
    }
    let mut budget = MAX_TEXT;
    for part in message.root().leaves() {
        add(format!("part:{}", part.content_type().essence()));
        if budget == 0 {
            continue;
        }
        if let Some(text) = part_text(part) {
            let text = cut(&text, budget);
            budget = budget.saturating_sub(text.len());
            body_tokens(text, &mut add);
        }
    }
    set.into_iter().collect()
}

fn cut(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    s.get(..end).unwrap_or_default()
}

/// A text part's decoded text.
fn part_text(part: &Part<'_>) -> Option<String> {
    let content_type = part.content_type();
    if !content_type.media_type().eq_ignore_ascii_case("text") {
        return None;
    }
    Some(part.text().0.into_owned())
}

/// Tokens from a body text: links, HTML tags, then words.
fn body_tokens(text: &str, add: &mut dyn FnMut(String)) {
    let lower = text.to_lowercase();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("http") {
        let after = rest.get(at..).unwrap_or_default();
        let host = after
            .strip_prefix("https://")
            .or_else(|| after.strip_prefix("http://"))
            .map(|h| {
                h.split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-'))
                    .next()
                    .unwrap_or("")
            });
        if let Some(host) = host.filter(|h| !h.is_empty()) {
            add(format!("url:{}", cut(host, 64)));
        }
        rest = after.get(4..).unwrap_or_default();
    }
    let mut plain = String::with_capacity(lower.len());
    let mut in_tag = false;
    let mut tag = String::new();
    for c in lower.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' if in_tag => {
                in_tag = false;
                let name: String = tag
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
                    .collect();
                if !name.is_empty() && name.len() <= 12 {
                    add(format!("html:{name}"));
                }
                plain.push(' ');
            }
            c if in_tag => {
                if tag.len() < 16 {
                    tag.push(c);
                }
            }
            c => plain.push(c),
        }
    }
    words(&plain, &mut |w| add(w));
}

/// Splits text into lowercased words and calls `f` on each.
fn words(text: &str, f: &mut dyn FnMut(String)) {
    for word in
        text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '$' | '!' | '\'' | '-' | '.')))
    {
        let word = word.trim_matches(|c: char| matches!(c, '.' | '-' | '\'' | '!'));
        let len = word.chars().count();
        if len < 3 {
            continue;
        }
        if len > MAX_WORD {
            let first = word.chars().next().unwrap_or('?');
            f(format!("skip:{first} {}", len / 10 * 10));
            continue;
        }
        f(word.to_lowercase());
    }
}
