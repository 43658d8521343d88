//! Adjudication of one document: from every annotator's spans, what all agree on (accepted at
//! once) and the disagreements, as candidates that say who marked them.
//!
//! Units: spans are char (code point) offsets into the document's text, end-exclusive.
//!
//! Invariants: a span (boundaries and label) is agreed when every annotator marked it, or, with
//! `majority` and three or more annotators, when more than half did; every other span someone
//! marked is a candidate, once, whose `source` names who marked it (`ana+chen`, in the
//! annotators' order: names cannot contain `+`) and whose score is the share of annotators who
//! did. Under the majority rule a span that overlaps an agreed span is settled by it and is not a
//! candidate.

use crate::model::Suggestion;
use crate::text::CharSpan;
use std::collections::BTreeMap;

/// The separator of annotator names in a candidate's source.
pub const JOIN: char = '+';

/// What adjudication starts from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// Spans everyone (or the majority) marked, sorted.
    pub agreed: Vec<(CharSpan, String)>,
    /// Spans some marked, sorted by position.
    pub candidates: Vec<Suggestion>,
}

/// The plan for annotators' `layers` (name, spans), in the order given.
pub fn plan(layers: &[(String, Vec<(CharSpan, String)>)], majority: bool) -> Plan {
    let n = layers.len();
    let mut who: BTreeMap<(CharSpan, &str), Vec<usize>> = BTreeMap::new();
    for (i, (_, spans)) in layers.iter().enumerate() {
        for (s, l) in spans {
            let e = who.entry((*s, l.as_str())).or_default();
            if !e.contains(&i) {
                e.push(i);
            }
        }
    }
    let agreed_by = |k: usize| k == n || (majority && n >= 3 && 2 * k > n);
    let agreed: Vec<(CharSpan, String)> = who
        .iter()
        .filter(|(_, a)| agreed_by(a.len()))
        .map(|((s, l), _)| (*s, l.to_string()))
        .collect();
    let settled = |s: &CharSpan| majority && agreed.iter().any(|(a, _)| a.overlaps(*s));
    let candidates = who
        .iter()
        .filter(|((s, _), a)| !agreed_by(a.len()) && !settled(s))
        .map(|((s, l), a)| {
            let names: Vec<&str> = a.iter().map(|&i| layers[i].0.as_str()).collect();
            let source = names.join(&JOIN.to_string());
            Suggestion::new(s.start.0, s.end.0, l, a.len() as f32 / n as f32, &source)
        })
        .collect();
    Plan { agreed, candidates }
}

/// Whether annotator `name` marked the candidate (is in its source).
pub fn marked_by(c: &Suggestion, name: &str) -> bool {
    c.source.split(JOIN).any(|x| x == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(a: usize, b: usize) -> CharSpan {
        CharSpan::new(a, b).unwrap()
    }

    fn layer(name: &str, spans: &[(usize, usize, &str)]) -> (String, Vec<(CharSpan, String)>) {
        let v = spans
            .iter()
            .map(|&(a, b, l)| (sp(a, b), l.to_string()))
            .collect();
        (name.to_string(), v)
    }

    #[test]
    fn agreed_spans_and_who_said_what() {
        let layers = vec![
            layer("ana", &[(0, 10, "PER"), (20, 26, "LOC"), (30, 35, "ORG")]),
            layer("ben", &[(0, 10, "PER"), (20, 26, "ORG")]),
            layer("chen", &[(0, 10, "PER"), (20, 26, "LOC"), (30, 33, "ORG")]),
        ];
        let p = plan(&layers, false);
        assert_eq!(p.agreed, vec![(sp(0, 10), "PER".to_string())]);
        let c: Vec<(usize, usize, &str, &str, f32)> = p
            .candidates
            .iter()
            .map(|s| {
                (
                    s.span.start.0,
                    s.span.end.0,
                    s.label.as_str(),
                    s.source.as_str(),
                    s.score,
                )
            })
            .collect();
        let third = 1.0 / 3.0;
        assert_eq!(
            c,
            vec![
                (20, 26, "LOC", "ana+chen", 2.0 * third),
                (20, 26, "ORG", "ben", third),
                (30, 33, "ORG", "chen", third),
                (30, 35, "ORG", "ana", third),
            ]
        );
        assert!(marked_by(&p.candidates[0], "chen") && !marked_by(&p.candidates[0], "ben"));
        // The majority rule settles 20..26 as LOC, and ben's ORG there with it.
        let m = plan(&layers, true);
        assert_eq!(m.agreed.len(), 2);
        assert!(m.agreed.contains(&(sp(20, 26), "LOC".to_string())));
        assert_eq!(m.candidates.len(), 2, "{:?}", m.candidates);
        // Two annotators: the majority rule needs three.
        assert_eq!(plan(&layers[..2], true).agreed.len(), 1);
    }

    #[test]
    fn nothing_marked_is_agreement_too() {
        let layers = vec![layer("ana", &[]), layer("ben", &[])];
        assert_eq!(plan(&layers, false), Plan::default());
    }
}
