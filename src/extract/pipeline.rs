//! The pipeline: run every recognizer, merge overlapping candidates, propagate names through the
//! document, and drop what the document already decided.

use super::tagger::Tagger;
use super::{Analysis, Gazetteer, Gazetteers, Patterns, PersonRules, Recognizer};
use std::sync::Arc;

use crate::model::{Document, LabelSchema, Suggestion};
use crate::text::CharSpan;

/// The highest score of a suggestion from a recognizer ranked below the tagger (the lists and name
/// rules) when there is a tagger: it survives only where the tagger, which sees list membership
/// as a feature, found nothing, and such suggestions were right 6 times in 12 on CoNLL training
/// documents held out from the tagger (README, "Suggestions"). So "accept all ≥ 0.9" takes only
/// what the tagger, a pattern or a plug-in is sure of.
const BELOW_TAGGER_MAX_SCORE: f32 = 0.85;

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

    /// The tagger alone, merged and propagated like the whole pipeline (for comparing the two).
    pub fn tagger_only(tagger: Arc<Tagger>) -> Pipeline {
        Pipeline {
            recognizers: vec![Box::new(Shared(tagger))],
        }
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
        let found: Vec<(&dyn Recognizer, Vec<Suggestion>)> = self
            .recognizers
            .iter()
            .map(|r| (r.as_ref(), r.recognize(&a)))
            .collect();
        let tagger = found.iter().find(|(r, _)| r.name() == "tagger");
        let below_tagger = tagger.map_or(0, |(t, _)| t.priority());
        let tagged: &[Suggestion] = tagger.map_or(&[], |(_, v)| v);
        let mut candidates: Vec<(u8, Suggestion)> = Vec::new();
        for (r, suggestions) in found.iter() {
            let p = r.priority();
            let under = p < below_tagger;
            let pattern = r.name() == "pattern";
            candidates.extend(
                suggestions
                    .iter()
                    .filter(|s| !(under && name_goes_on(&a, s.span)))
                    .filter(|s| !(pattern && inside_surer(s, tagged)))
                    .map(|s| {
                        let mut s = s.clone();
                        if under {
                            s.score = s.score.min(BELOW_TAGGER_MAX_SCORE);
                        }
                        (p, s)
                    }),
            );
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

/// `s` lies inside a longer entity of `tagged` that is surer than it: a pattern's "Wednesday"
/// in the tagger's "Sheffield Wednesday" (0.99). A date inside a name the tagger doubts ("MRI
/// Friday", 0.54) still wins.
fn inside_surer(s: &Suggestion, tagged: &[Suggestion]) -> bool {
    tagged.iter().any(|t| {
        t.span != s.span
            && t.span.start <= s.span.start
            && s.span.end <= t.span.end
            && t.score > s.score
    })
}

/// The word after `span`, on the same line, is capitalised: the span is likely the start of a
/// longer name ("Baptist Church", "Sparta Prague", "ING Barings"), which the tagger, seeing
/// the whole, left alone or tagged differently.
fn name_goes_on(a: &Analysis, span: CharSpan) -> bool {
    let Some(j) = a.token_ending_at(span.end) else {
        return false;
    };
    let next = j + 1;
    !a.line_break_after(j)
        && a.tokens.get(next).is_some_and(|t| {
            t.kind == crate::text::TokenKind::Word && a.chars[t.span.start.0].is_uppercase()
        })
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

    /// Where the tagger and a list disagree, the tagger wins: "Seattle" is a city in the list,
    /// a team here; the list's LOC (0.85) scores higher than the tagger's ORG and lost anyway.
    /// (That the lists still fill in where the tagger found nothing is tested on the interop
    /// articles, in `tests/integration/tagger.rs`.)
    #[test]
    fn the_tagger_decides_where_it_found_something_and_the_lists_fill_the_gaps() {
        let text = "Seattle won in Boston on Friday.";
        let a = Analysis::new(text);
        let found: Vec<(String, String, String)> = Pipeline::news()
            .suggest(text)
            .into_iter()
            .map(|s| (a.span_text(s.span), s.label, s.source))
            .collect();
        let has = |w: &str, l: &str, src: &str| {
            found
                .iter()
                .any(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()) == (w, l, src))
        };
        assert!(has("Seattle", "ORG", "tagger"), "{found:?}");
        assert!(!has("Seattle", "LOC", "gazetteer"), "{found:?}");
        let only_lists = Pipeline::rules_only().suggest(text);
        assert!(only_lists.iter().any(|s| a.span_text(s.span) == "Seattle"));
    }

    /// A tagger that always says the same.
    struct Says(Vec<Suggestion>);

    impl Recognizer for Says {
        fn name(&self) -> &str {
            "tagger"
        }
        fn priority(&self) -> u8 {
            2
        }
        fn recognize(&self, _: &Analysis) -> Vec<Suggestion> {
            self.0.clone()
        }
    }

    fn with_lists(tagger: Says) -> Pipeline {
        let mut p = Pipeline::rules_only();
        p.recognizers.push(Box::new(tagger));
        p
    }

    fn found(p: &Pipeline, text: &str) -> Vec<(String, String, String, f32)> {
        let a = Analysis::new(text);
        p.suggest(text)
            .into_iter()
            .map(|s| (a.span_text(s.span), s.label, s.source, s.score))
            .collect()
    }

    /// Even a tagger unsure of itself is not overridden by a list, and with a tagger the lists
    /// only fill its gaps: never at 0.9 or more, and not with the first words of a longer name.
    #[test]
    fn with_a_tagger_the_lists_fill_gaps_below_it() {
        let text = "Seattle won.\nFrance (AFP) - the Missionary Baptist Church in Tass said";
        let lists = found(&Pipeline::rules_only(), text);
        let seen = |v: &[(String, String, String, f32)], w: &str| {
            v.iter()
                .find(|x| x.0 == w)
                .map(|x| (x.1.clone(), x.2.clone(), x.3))
        };
        assert_eq!(seen(&lists, "Seattle").unwrap().0, "LOC");
        assert_eq!(seen(&lists, "France").unwrap().2, 0.9);
        assert!(seen(&lists, "Baptist").is_some(), "{lists:?}");
        let unsure = Says(vec![Suggestion::new(0, 7, "ORG", 0.3, "tagger")]);
        let both = found(&with_lists(unsure), text);
        assert_eq!(
            seen(&both, "Seattle"),
            Some(("ORG".into(), "tagger".into(), 0.3))
        );
        assert_eq!(
            seen(&both, "France"),
            Some(("LOC".into(), "gazetteer".into(), BELOW_TAGGER_MAX_SCORE))
        );
        assert!(seen(&both, "Tass").is_some(), "{both:?}");
        assert!(seen(&both, "Baptist").is_none(), "{both:?}");
    }

    /// A date pattern gives way to a longer entity the tagger is surer of, not to one it doubts.
    #[test]
    fn a_pattern_inside_a_surer_tagger_entity_gives_way() {
        let text = "Sheffield Wednesday won on Friday.";
        let club = |score| Says(vec![Suggestion::new(0, 19, "ORG", score, "tagger")]);
        let labels = |v: Vec<(String, String, String, f32)>| {
            v.into_iter().map(|x| (x.0, x.1)).collect::<Vec<_>>()
        };
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            labels(found(&with_lists(club(0.99)), text)),
            vec![pair("Sheffield Wednesday", "ORG"), pair("Friday", "DATE")]
        );
        assert_eq!(
            labels(found(&with_lists(club(0.5)), text)),
            vec![pair("Wednesday", "DATE"), pair("Friday", "DATE")]
        );
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
