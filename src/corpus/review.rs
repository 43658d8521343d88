//! What to look at next: the pending suggestions of the whole project, least confident first
//! (a review queue worked with the same keys as the article), and the documents ordered most
//! useful first.
//!
//! A document is more useful to annotate when its suggestions are uncertain and when they carry
//! labels the project has few confirmed examples of: its usefulness is the mean, over its pending
//! suggestions, of `(1 − score) + 1 / (1 + confirmed spans of that label in the project)`.
//! Documents without pending suggestions come after those with some; ties keep import order.
//!
//! Units: spans are char (code point) offsets, end-exclusive; scores in [0, 1]; document indices
//! are positions in the list the documents were gathered from. Only documents with work left
//! (todo, in progress) give suggestions to review or a place in the order; confirmed spans of
//! every document count for rarity.

use super::search::{left_context, right_context};
use crate::model::Document;
use crate::text::CharSpan;
use std::collections::BTreeMap;

/// Characters of context on each side of a suggestion in the review list.
const CONTEXT: usize = 40;

/// A pending suggestion somewhere in the project.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub doc: usize,
    pub span: CharSpan,
    pub label: String,
    pub score: f32,
    pub source: String,
    pub left: String,
    pub matched: String,
    pub right: String,
}

/// What the review and the order need, gathered one document at a time (parts gathered apart
/// are joined with [`Gathered::merge`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Gathered {
    pub pending: Vec<Pending>,
    /// Confirmed spans per label, over every document.
    pub confirmed: BTreeMap<String, usize>,
}

impl Gathered {
    /// Add document `doc` (its index in the project).
    pub fn add(&mut self, doc: usize, d: &Document) {
        for s in d.spans() {
            *self.confirmed.entry(s.label.clone()).or_default() += 1;
        }
        if !d.status().is_open() {
            return;
        }
        let text = d.text();
        let index = crate::text::TextIndex::new(text);
        for s in d.suggestions() {
            let (Some(a), Some(b)) = (
                index.char_to_byte(text, s.span.start),
                index.char_to_byte(text, s.span.end),
            ) else {
                continue;
            };
            self.pending.push(Pending {
                doc,
                span: s.span,
                label: s.label.clone(),
                score: s.score,
                source: s.source.clone(),
                left: left_context(text, a.0, CONTEXT),
                matched: text[a.0..b.0].to_string(),
                right: right_context(text, b.0, CONTEXT),
            });
        }
    }

    pub fn merge(&mut self, other: Gathered) {
        self.pending.extend(other.pending);
        for (k, v) in other.confirmed {
            *self.confirmed.entry(k).or_default() += v;
        }
    }

    /// Every pending suggestion, least confident first (ties: document, then position).
    pub fn review_queue(mut self) -> Vec<Pending> {
        self.pending.sort_by(|a, b| {
            a.score
                .total_cmp(&b.score)
                .then(a.doc.cmp(&b.doc))
                .then(a.span.cmp(&b.span))
        });
        self.pending
    }

    /// How rare a label is: 1 with no confirmed example, ½ with one, and so on.
    pub fn rarity(&self, label: &str) -> f64 {
        1.0 / (1.0 + self.confirmed.get(label).copied().unwrap_or(0) as f64)
    }

    /// The `n` documents, most useful first (see the module's notes).
    pub fn most_useful_first(&self, n: usize) -> Vec<usize> {
        let mut sum = vec![(0.0f64, 0usize); n];
        for p in &self.pending {
            if let Some(s) = sum.get_mut(p.doc) {
                s.0 += (1.0 - f64::from(p.score)) + self.rarity(&p.label);
                s.1 += 1;
            }
        }
        let useful = |i: usize| match sum[i] {
            (_, 0) => -1.0,
            (total, k) => total / k as f64,
        };
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| useful(b).total_cmp(&useful(a)).then(a.cmp(&b)));
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::testing::*;
    use crate::model::{Edit, LabelSchema, Status, Suggestion};

    #[test]
    fn least_confident_first_and_rare_labels_make_a_document_useful() {
        let schema = LabelSchema::news();
        // 0: sure suggestions of a common label; 1: an unsure one; 2: nothing pending;
        // 3: a sure suggestion of a label never confirmed; 4: done (never reviewed).
        let mut docs: Vec<_> = (0..5)
            .map(|i| doc(&format!("d{i}"), "Xi Jinping met Vladimir Putin in Moscow."))
            .collect();
        docs[0].set_initial_suggestions(vec![
            Suggestion::new(0, 10, "PER", 0.99, "tagger"),
            Suggestion::new(15, 29, "PER", 0.97, "tagger"),
        ]);
        docs[1].set_initial_suggestions(vec![Suggestion::new(33, 39, "LOC", 0.40, "tagger")]);
        docs[3].set_initial_suggestions(vec![Suggestion::new(33, 39, "MISC", 0.95, "tagger")]);
        docs[4].set_initial_suggestions(vec![Suggestion::new(0, 10, "PER", 0.10, "tagger")]);
        docs[4]
            .apply(&Edit::SetStatus(Status::Done), &schema)
            .unwrap();
        for (span, label) in [(cs(0, 10), "PER"), (cs(33, 39), "LOC")] {
            let (e, _) = crate::corpus::tag_all_edit(&docs[2], &[span], label);
            docs[2].apply(&e.unwrap(), &schema).unwrap();
        }
        let mut g = Gathered::default();
        for (i, d) in docs.iter().enumerate() {
            g.add(i, d);
        }
        assert_eq!(g.confirmed["PER"], 1);
        assert_eq!(g.rarity("MISC"), 1.0);
        assert_eq!(g.rarity("PER"), 0.5);
        // Unsure LOC (0.6 + 0.5) before never-seen MISC (0.05 + 1) before sure PER (~0.02 + 0.5);
        // the document without pending suggestions, then the done one, last.
        assert_eq!(g.most_useful_first(5), [1, 3, 0, 2, 4]);
        let q = g.review_queue();
        let scores: Vec<f32> = q.iter().map(|p| p.score).collect();
        assert_eq!(
            scores,
            [0.40, 0.95, 0.97, 0.99],
            "done documents are not reviewed"
        );
        assert_eq!((q[0].doc, q[0].matched.as_str()), (1, "Moscow"));
        assert_eq!(q[0].left, "Xi Jinping met Vladimir Putin in ");
        assert_eq!(q[0].right, ".");
    }
}
