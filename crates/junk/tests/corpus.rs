//! Accuracy on the SpamAssassin public corpus sample in tests/corpus/
//! (see its README for the licence): train on two thirds, test on the
//! rest, report precision and recall.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mailwire_junk::{Label, Model};

fn load(class: &str) -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(class);
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

struct Tally {
    true_junk: usize,
    false_junk: usize,
    false_ham: usize,
    true_ham: usize,
}

fn evaluate(model: &Model, test: &[(Vec<u8>, Label)], threshold: f64) -> Tally {
    let mut t = Tally {
        true_junk: 0,
        false_junk: 0,
        false_ham: 0,
        true_ham: 0,
    };
    for (bytes, label) in test {
        let junk = model.score(&mailwire_message::parse(bytes)) >= threshold;
        match (junk, label) {
            (true, Label::Junk) => t.true_junk += 1,
            (true, Label::Ham) => t.false_junk += 1,
            (false, Label::Junk) => t.false_ham += 1,
            (false, Label::Ham) => t.true_ham += 1,
        }
    }
    t
}

#[test]
fn precision_and_recall_on_spamassassin_sample() {
    let mut train = Vec::new();
    let mut test = Vec::new();
    for (class, label) in [("ham", Label::Ham), ("spam", Label::Junk)] {
        for (i, m) in load(class).into_iter().enumerate() {
            if i % 3 == 2 {
                test.push((m, label))
            } else {
                train.push((m, label))
            }
        }
    }
    let mut model = Model::new();
    for (bytes, label) in &train {
        model.train(&mailwire_message::parse(bytes), *label);
    }
    let stored = model.to_bytes();
    let model = Model::from_bytes(&stored).unwrap();
    for threshold in [0.5, 0.9] {
        let t = evaluate(&model, &test, threshold);
        let precision = t.true_junk as f64 / (t.true_junk + t.false_junk).max(1) as f64;
        let recall = t.true_junk as f64 / (t.true_junk + t.false_ham).max(1) as f64;
        println!(
            "threshold {threshold}: train {} test {} | junk caught {} missed {} | ham flagged {} kept {} | precision {precision:.3} recall {recall:.3} | model {} tokens, {} octets",
            train.len(),
            test.len(),
            t.true_junk,
            t.false_ham,
            t.false_junk,
            t.true_ham,
            model.len(),
            stored.len()
        );
        assert!(precision >= 0.95, "precision {precision}");
        assert!(recall >= 0.85, "recall {recall}");
    }
}
