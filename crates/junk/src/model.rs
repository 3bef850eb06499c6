//! The per-account model: token counts by class, and scoring by
//! Robinson's token probabilities combined with Fisher's method.

use std::collections::HashMap;

use mailwire_message::Message;

use crate::token::tokens;

/// Which class a message belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    /// Unwanted mail.
    Junk,
    /// Wanted mail.
    Ham,
}

/// Bounds on a model's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ModelLimits {
    /// Most distinct tokens kept. Past it, tokens seen once are pruned;
    /// if that is not enough, new tokens are not added.
    pub max_tokens: usize,
}

impl Default for ModelLimits {
    fn default() -> Self {
        Self {
            max_tokens: 250_000,
        }
    }
}

/// Scoring parameters (Robinson, "A Statistical Approach to the Spam
/// Problem", 2003; the SpamBayes defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct ScoreOptions {
    /// Strength `s` of the prior for rarely seen tokens.
    pub strength: f64,
    /// The prior `x` for an unseen token.
    pub prior: f64,
    /// Tokens whose probability is closer to 0.5 than this are ignored.
    pub minimum_deviation: f64,
    /// Most tokens combined (the most extreme ones).
    pub max_discriminators: usize,
}

impl Default for ScoreOptions {
    fn default() -> Self {
        Self {
            strength: 0.45,
            prior: 0.5,
            minimum_deviation: 0.1,
            max_discriminators: 150,
        }
    }
}

/// Counts of one token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Counts {
    pub(crate) ham: u32,
    pub(crate) junk: u32,
}

/// A Bayesian junk model for one account.
///
/// ```
/// use mailwire_junk::{Label, Model};
///
/// let mut model = Model::new();
/// for i in 0..20 {
///     let junk = format!("Subject: cheap pills {i}\r\n\r\nbuy cheap pills viagra now\r\n");
///     let ham = format!("Subject: meeting notes {i}\r\n\r\nthe project meeting is on monday\r\n");
///     model.train(&mailwire_message::parse(junk.as_bytes()), Label::Junk);
///     model.train(&mailwire_message::parse(ham.as_bytes()), Label::Ham);
/// }
/// let probe = mailwire_message::parse(b"Subject: pills\r\n\r\ncheap viagra\r\n");
/// assert!(model.score(&probe) > 0.9);
/// let probe = mailwire_message::parse(b"Subject: notes\r\n\r\nproject meeting monday\r\n");
/// assert!(model.score(&probe) < 0.1);
///
/// let restored = Model::from_bytes(&model.to_bytes()).unwrap();
/// assert_eq!(restored, model);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Model {
    pub(crate) tokens: HashMap<String, Counts>,
    pub(crate) ham_messages: u32,
    pub(crate) junk_messages: u32,
    pub(crate) limits: ModelLimits,
}

impl Model {
    /// An empty model with the default limits.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty model with `limits`.
    pub fn with_limits(limits: ModelLimits) -> Self {
        Self {
            limits,
            ..Self::default()
        }
    }

    /// Messages trained as ham and as junk.
    pub fn messages(&self) -> (u32, u32) {
        (self.ham_messages, self.junk_messages)
    }

    /// Distinct tokens held.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether nothing was trained.
    pub fn is_empty(&self) -> bool {
        self.ham_messages == 0 && self.junk_messages == 0
    }

    /// Learns `message` as `label`.
    pub fn train(&mut self, message: &Message<'_>, label: Label) {
        self.train_tokens(&tokens(message), label);
    }

    /// Forgets a message learnt as `label` (to correct a mistake: untrain,
    /// then train with the other label).
    pub fn untrain(&mut self, message: &Message<'_>, label: Label) {
        self.untrain_tokens(&tokens(message), label);
    }

    /// Learns a message given by its tokens.
    pub fn train_tokens(&mut self, tokens: &[String], label: Label) {
        match label {
            Label::Ham => self.ham_messages = self.ham_messages.saturating_add(1),
            Label::Junk => self.junk_messages = self.junk_messages.saturating_add(1),
        }
        for token in tokens {
            if !self.tokens.contains_key(token) && self.tokens.len() >= self.limits.max_tokens {
                self.prune();
                if self.tokens.len() >= self.limits.max_tokens {
                    continue;
                }
            }
            let counts = self.tokens.entry(token.clone()).or_default();
            match label {
                Label::Ham => counts.ham = counts.ham.saturating_add(1),
                Label::Junk => counts.junk = counts.junk.saturating_add(1),
            }
        }
    }

    /// Forgets a message given by its tokens.
    pub fn untrain_tokens(&mut self, tokens: &[String], label: Label) {
        match label {
            Label::Ham => self.ham_messages = self.ham_messages.saturating_sub(1),
            Label::Junk => self.junk_messages = self.junk_messages.saturating_sub(1),
        }
        for token in tokens {
            if let Some(counts) = self.tokens.get_mut(token) {
                match label {
                    Label::Ham => counts.ham = counts.ham.saturating_sub(1),
                    Label::Junk => counts.junk = counts.junk.saturating_sub(1),
                }
                if counts.ham == 0 && counts.junk == 0 {
                    self.tokens.remove(token);
                }
            }
        }
    }

    /// Drops tokens seen in only one message.
    fn prune(&mut self) {
        self.tokens.retain(|_, c| c.ham.saturating_add(c.junk) > 1);
    }

    /// The probability that `message` is junk, from 0 to 1; 0.5 when the
    /// model knows nothing.
    pub fn score(&self, message: &Message<'_>) -> f64 {
        self.score_tokens(&tokens(message), &ScoreOptions::default())
    }

    /// The probability that a message with these tokens is junk.
    pub fn score_tokens(&self, tokens: &[String], options: &ScoreOptions) -> f64 {
        if self.ham_messages == 0 || self.junk_messages == 0 {
            return 0.5;
        }
        let (nh, nj) = (f64::from(self.ham_messages), f64::from(self.junk_messages));
        let mut probabilities: Vec<f64> = tokens
            .iter()
            .filter_map(|t| self.tokens.get(t))
            .map(|c| {
                let (h, j) = (f64::from(c.ham), f64::from(c.junk));
                let (hr, jr) = ((h / nh).min(1.0), (j / nj).min(1.0));
                let p = if hr + jr > 0.0 {
                    jr / (hr + jr)
                } else {
                    options.prior
                };
                let n = h + j;
                (options.strength * options.prior + n * p) / (options.strength + n)
            })
            .filter(|f| (f - 0.5).abs() >= options.minimum_deviation)
            .collect();
        probabilities.sort_by(|a, b| (b - 0.5).abs().total_cmp(&(a - 0.5).abs()));
        probabilities.truncate(options.max_discriminators);
        if probabilities.is_empty() {
            return 0.5;
        }
        let n = probabilities.len();
        // Fisher: -2 Σ ln p is chi-square with 2n degrees of freedom when
        // the p are uniform. Many f near 1 make Σ ln(1 - f) very negative:
        // junk evidence; many f near 0 make Σ ln f so: ham evidence.
        let ln_not_junk: f64 = probabilities
            .iter()
            .map(|f| (1.0 - f).max(1e-200).ln())
            .sum();
        let ln_not_ham: f64 = probabilities.iter().map(|f| f.max(1e-200).ln()).sum();
        let junk = 1.0 - chi2_q(-2.0 * ln_not_junk, 2 * n);
        let ham = 1.0 - chi2_q(-2.0 * ln_not_ham, 2 * n);
        ((1.0 + junk - ham) / 2.0).clamp(0.0, 1.0)
    }
}

/// The chi-square survival function for even degrees of freedom `v`.
fn chi2_q(x2: f64, v: usize) -> f64 {
    let m = x2 / 2.0;
    let mut term = (-m).exp();
    let mut sum = term;
    for i in 1..v / 2 {
        term *= m / i as f64;
        sum += term;
    }
    sum.min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chi2_known_values() {
        // Q(2, 2) = e^-1; Q(0, v) = 1.
        assert!((chi2_q(2.0, 2) - (-1.0f64).exp()).abs() < 1e-12);
        assert_eq!(chi2_q(0.0, 10), 1.0);
        assert!(chi2_q(2000.0, 4) < 1e-300);
    }

    #[test]
    fn untrain_reverses_train() {
        let mut model = Model::new();
        let m = mailwire_message::parse(b"Subject: hello there\r\n\r\nsome words here\r\n");
        model.train(&m, Label::Ham);
        let other = mailwire_message::parse(b"Subject: buy now\r\n\r\ncheap offer\r\n");
        model.train(&other, Label::Junk);
        let snapshot = model.clone();
        model.train(&m, Label::Junk);
        model.untrain(&m, Label::Junk);
        assert_eq!(model, snapshot);
    }

    #[test]
    fn bounded_size() {
        let mut model = Model::with_limits(ModelLimits { max_tokens: 50 });
        for i in 0..100 {
            let t = format!("Subject: w{i}a w{i}b w{i}c\r\n\r\n");
            model.train(&mailwire_message::parse(t.as_bytes()), Label::Ham);
        }
        assert!(model.len() <= 50);
    }
}
