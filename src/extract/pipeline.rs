//! The pipeline: run every recognizer, merge overlapping candidates, propagate names through the
//! document, and drop what the document already decided.

use super::tagger::Tagger;
use super::{Analysis, Gazetteer, Gazetteers, Patterns, PersonRules, Recognizer};
use std::sync::Arc;

use crate::model::{Document, LabelSchema, Suggestion};
use crate::text::CharSpan;

pub struct Pipeline {
    recognizers: Vec<Box<dyn Recognizer>>,
}

/// A recognizer shared between pipelines (the shipped tagger, loaded once; a plug-in's one
/// running process).
struct Shared(Arc<dyn Recognizer>);

impl Recognizer for Shared {
    fn name(&self) -> &str {
        self.0.name()
    }
    fn priority(&self) -> u8 {
        self.0.priority()
    }
    fn recognize(&self, text: &Analysis) -> Vec<crate::model::Suggestion> {
        self.0.recognize(text)
    }
    fn problem(&self) -> Option<String> {
        self.0.problem()
    }
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline::news()
    }
}

impl Pipeline {
    /// Patterns, gazetteers, person/organisation rules and the shipped statistical tagger.
    pub fn news() -> Pipeline {
        Pipeline::with_tagger(Tagger::shipped())
    }

    /// Rules and gazetteers only (no statistical model).
    pub fn rules_only() -> Pipeline {
        Pipeline::with_tagger(None)
    }

    /// The rules and gazetteers plus `tagger` (when there is one).
    pub fn with_tagger(tagger: Option<Arc<Tagger>>) -> Pipeline {
        let g = Gazetteers::builtin();
        let mut recognizers: Vec<Box<dyn Recognizer>> = vec![
            Box::new(Patterns::new()),
            Box::new(Gazetteer::new(&g.entity_lists())),
            Box::new(PersonRules::new(&g)),
        ];
        if let Some(t) = tagger {
            recognizers.push(Box::new(Shared(t)));
        }
        Pipeline { recognizers }
    }

    /// The pipeline for a project: its own learned model when it has one (the caller reads it,
    /// see `store::read_model`), else the shipped model.
    pub fn for_model(own: Option<super::tagger::model::Model>) -> Pipeline {
        let own = own.map(|m| Arc::new(Tagger::new(m)));
        Pipeline::with_tagger(own.or_else(Tagger::shipped))
    }

    /// This pipeline with more recognizers (the person's plug-ins), shared with other pipelines.
    pub fn with(mut self, more: &[Arc<dyn Recognizer>]) -> Pipeline {
        for r in more {
            self.recognizers.push(Box::new(Shared(r.clone())));
        }
        self
    }

    /// What went wrong in its recognizers since last asked (a plug-in that stopped), in sentences.
    pub fn problems(&self) -> Vec<String> {
        self.recognizers
            .iter()
            .filter_map(|r| r.problem())
            .collect()
    }

    /// What the pipeline runs, for the status bar ("tagger + patterns + gazetteer + rule").
    pub fn describe(&self) -> String {
        let mut names: Vec<&str> = self.recognizers.iter().map(|r| r.name()).collect();
        names.sort_by_key(|n| (*n != "tagger", *n));
        names.join(" + ")
    }

    /// Suggestions for a raw text: non-overlapping, sorted by span.
    pub fn suggest(&self, text: &str) -> Vec<Suggestion> {
        let a = Analysis::new(text);
        let mut candidates: Vec<(u8, Suggestion)> = Vec::new();
        for r in &self.recognizers {
            let p = r.priority();
            candidates.extend(r.recognize(&a).into_iter().map(|s| (p, s)));
        }
        let mut merged = merge(candidates);
        merged.extend(propagate_names(&a, &merged));
        merged.sort_by_key(|s| s.span);
        merged
    }

    /// Suggestions for a document: only labels of `schema`, nothing the person rejected, nothing
    /// already confirmed or overlapping a confirmed span.
    pub fn suggest_for(&self, doc: &Document, schema: &LabelSchema) -> Vec<Suggestion> {
        doc.filter_new_suggestions(self.suggest_labelled(doc.text(), schema))
    }

    /// Suggestions for a text under `schema`'s labels: a renamed label shows its model class
    /// under the new name; classes the schema has no label for are dropped.
    pub fn suggest_labelled(&self, text: &str, schema: &LabelSchema) -> Vec<Suggestion> {
        self.suggest(text)
            .into_iter()
            .filter_map(|mut s| {
                s.label = schema.for_class(&s.label)?.name.clone();
                Some(s)
            })
            .collect()
    }
}

/// Choose non-overlapping candidates: higher priority first, then higher score, then longer.
/// Empty candidates mark nothing and are dropped. O(n log n).
pub fn merge(mut candidates: Vec<(u8, Suggestion)>) -> Vec<Suggestion> {
    candidates.retain(|(_, c)| !c.span.is_empty());
    candidates.sort_by(|(pa, a), (pb, b)| {
        pb.cmp(pa)
            .then(b.score.total_cmp(&a.score))
            .then(b.span.len().cmp(&a.span.len()))
            .then(a.span.start.cmp(&b.span.start))
    });
    let mut taken = super::Disjoint::default();
    let mut kept: Vec<Suggestion> = Vec::new();
    for (_, c) in candidates {
        if taken.insert(c.span) {
            kept.push(c);
        }
    }
    kept.sort_by_key(|s| s.span);
    kept
}

/// A person named in full elsewhere in the document is the same person when only the surname
/// appears (`Eduardo Baptista` … `Baptista said`): suggest the lone surname as PER too.
fn propagate_names(a: &Analysis, found: &[Suggestion]) -> Vec<Suggestion> {
    let mut surnames: Vec<String> = found
        .iter()
        .filter(|s| s.label == "PER")
        .filter_map(|s| {
            let i = a.token_starting_at(s.span.start)?;
            let j = a.token_ending_at(s.span.end)?;
            (j > i).then(|| a.token_text(j))
        })
        .filter(|w| w.chars().count() > 1)
        .collect();
    surnames.sort();
    surnames.dedup();
    let mut taken = super::Disjoint::default();
    for s in found {
        taken.insert(s.span);
    }
    let mut out: Vec<Suggestion> = Vec::new();
    for (i, t) in a.tokens.iter().enumerate() {
        if surnames.is_empty() {
            break;
        }
        let w = a.token_text(i);
        if surnames.binary_search(&w).is_err() {
            continue;
        }
        let span: CharSpan = t.span;
        // Tokens come in order and never overlap: only the last one added can touch this one.
        if taken.overlaps(span) || out.last().is_some_and(|s| s.span.overlaps(span)) {
            continue;
        }
        out.push(Suggestion {
            span,
            label: "PER".to_string(),
            score: 0.7,
            source: "consistency".to_string(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, Edit, Span};

    #[test]
    fn merge_prefers_priority_then_score_then_length() {
        let c = vec![
            (1, Suggestion::new(0, 10, "PER", 0.99, "a")),
            (2, Suggestion::new(5, 8, "LOC", 0.5, "b")),
            (2, Suggestion::new(12, 20, "ORG", 0.8, "c")),
            (2, Suggestion::new(12, 15, "LOC", 0.8, "d")),
            (2, Suggestion::new(14, 22, "MISC", 0.9, "e")),
        ];
        let got: Vec<String> = merge(c).into_iter().map(|s| s.source).collect();
        assert_eq!(got, vec!["b", "e"]);
    }

    #[test]
    fn surname_propagation() {
        let p = Pipeline::rules_only();
        let text = "Reporting by Eduardo Baptista. Later, Baptista wrote more.";
        let s = p.suggest(text);
        let a = Analysis::new(text);
        let per: Vec<String> = s
            .iter()
            .filter(|s| s.label == "PER")
            .map(|s| a.span_text(s.span))
            .collect();
        assert_eq!(per, vec!["Eduardo Baptista", "Baptista"]);
    }

    #[test]
    fn document_decisions_are_respected() {
        let schema = LabelSchema::news();
        let p = Pipeline::news();
        let mut d = Document::new(
            DocId::new("d").unwrap(),
            "t",
            "",
            "Putin met Macron in Paris on Friday.",
        );
        d.set_initial_suggestions(p.suggest_for(&d, &schema));
        let paris = d
            .suggestions()
            .iter()
            .find(|s| s.label == "LOC")
            .unwrap()
            .clone();
        d.apply(
            &Edit::RejectSuggestion {
                span: paris.span,
                label: "LOC".into(),
            },
            &schema,
        )
        .unwrap();
        d.apply(&Edit::AddSpan(Span::manual(0, 5, "PER")), &schema)
            .unwrap();
        let again = p.suggest_for(&d, &schema);
        assert!(!again
            .iter()
            .any(|s| s.span == paris.span && s.label == "LOC"));
        assert!(!again.iter().any(|s| s.span.start.0 == 0));
        assert!(again.iter().any(|s| s.label == "DATE"));
        // A schema without DATE gets no DATE suggestions.
        let small = LabelSchema::from_names(&["PER", "LOC"]).unwrap();
        assert!(!p.suggest_for(&d, &small).iter().any(|s| s.label == "DATE"));
    }
}
