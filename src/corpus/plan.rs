//! "Tag all occurrences" and "fix these places": one undoable [`Edit`] per document, planned with a
//! [`TagPlan`] to preview (sum the plans of all documents with `+=`).
//!
//! Units: places are char spans (Unicode code points, end-exclusive) into the document text.
//! Invariants: the edits returned by [`tag_all_edit`] and [`fix_edit`] apply cleanly with
//! [`Document::apply`] to the document they were planned on (given that the label is in the
//! project's schema), and the inverse that `apply` returns restores that document. They never
//! remove or resize a confirmed span they were not asked about: a place that overlaps another
//! confirmed span is counted as a conflict and skipped.

use super::intervals::Intervals;
use crate::model::{Document, Edit, Span, Status};
use crate::text::CharSpan;
use std::collections::{BTreeMap, HashSet};

/// What an edit from [`tag_all_edit`] or [`fix_edit`] will do; add plans of several documents
/// with `+=` for a preview.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TagPlan {
    /// New confirmed spans.
    pub add: usize,
    /// Confirmed spans at exactly the place that change label.
    pub relabel: usize,
    /// Places whose confirmed spans are removed ([`fix_edit`] with `None`).
    pub remove: usize,
    /// Places that already are as asked.
    pub already: usize,
    /// Places skipped because they overlap another confirmed span (or another place of the same
    /// request, or are outside the text).
    pub conflicts: usize,
    /// Places left alone because a pending suggestion reaches beyond them ("Kenya" in a suggested
    /// "Kenya Red Cross"): tagging them would throw that suggestion away.
    pub in_suggestion: usize,
}

impl TagPlan {
    /// Number of places the edit changes.
    pub fn changes(&self) -> usize {
        self.add + self.relabel + self.remove
    }
}

impl std::ops::AddAssign for TagPlan {
    fn add_assign(&mut self, o: TagPlan) {
        self.add += o.add;
        self.relabel += o.relabel;
        self.remove += o.remove;
        self.already += o.already;
        self.conflicts += o.conflicts;
        self.in_suggestion += o.in_suggestion;
    }
}

/// Tag every span of `spans` (e.g. the search hits in `doc`) with `label`, as one edit:
/// - already confirmed with `label` at exactly that range: counted as `already`;
/// - confirmed at exactly that range with another label: relabelled;
/// - overlapping any other confirmed span: a conflict, skipped (existing annotations are never
///   broken);
/// - inside (or across) a pending suggestion that reaches beyond it: left alone
///   (`in_suggestion`), so the longer suggestion stays to be accepted or rejected;
/// - otherwise a manual span is added and the pending suggestions within it are dropped.
///
/// When two of the spans overlap each other, only the first (in the given order) is used; the
/// other is a conflict. A "todo" document becomes "in progress" when anything changes. Returns
/// `None` when nothing would change. `label` must be in the project's schema.
pub fn tag_all_edit(doc: &Document, spans: &[CharSpan], label: &str) -> (Option<Edit>, TagPlan) {
    plan(doc, spans, Some(label))
}

/// Make every place carry label `to` (same rules as [`tag_all_edit`]), or with `None` remove the
/// confirmed spans at exactly those places (a place without one counts as `already`).
pub fn fix_edit(doc: &Document, places: &[CharSpan], to: Option<&str>) -> (Option<Edit>, TagPlan) {
    plan(doc, places, to)
}

fn plan(doc: &Document, places: &[CharSpan], to: Option<&str>) -> (Option<Edit>, TagPlan) {
    let confirmed = Intervals::new(doc.spans().iter().map(|s| s.span));
    let pending = Intervals::new(doc.suggestions().iter().map(|s| s.span));
    let mut dropped: HashSet<usize> = HashSet::new();
    // Places handled so far, disjoint, by start -> end.
    let mut claimed: BTreeMap<usize, usize> = BTreeMap::new();
    let mut plan = TagPlan::default();
    let mut edits = Vec::new();
    for &place in places {
        if place.start >= place.end || place.end.0 > doc.char_len() {
            plan.conflicts += 1;
            continue;
        }
        let (start, end) = (place.start.0, place.end.0);
        // Claimed places are disjoint, so only the last one starting before `end` can overlap.
        if let Some((&cs, &ce)) = claimed.range(..end).next_back() {
            if ce > start {
                if (cs, ce) == (start, end) {
                    plan.already += 1;
                } else {
                    plan.conflicts += 1;
                }
                continue;
            }
        }
        let mut exact: Vec<&Span> = Vec::new();
        let mut others = 0;
        for i in confirmed.overlapping(place) {
            let s = &doc.spans()[i];
            if s.span == place {
                exact.push(s);
            } else {
                others += 1;
            }
        }
        exact.sort_by(|a, b| a.label.cmp(&b.label));
        match to {
            Some(label) => {
                if exact.iter().any(|s| s.label == label) {
                    plan.already += 1;
                } else if let Some(s) = exact.first() {
                    edits.push(Edit::Relabel {
                        span: place,
                        from: s.label.clone(),
                        to: label.to_string(),
                    });
                    plan.relabel += 1;
                } else if others > 0 {
                    plan.conflicts += 1;
                    continue;
                } else {
                    let overlapping: Vec<usize> = pending.overlapping(place).collect();
                    let beyond = |i: &usize| {
                        let s = doc.suggestions()[*i].span;
                        s.start < place.start || s.end > place.end
                    };
                    if overlapping.iter().any(beyond) {
                        plan.in_suggestion += 1;
                        continue;
                    }
                    let mut drop: Vec<usize> = overlapping
                        .into_iter()
                        .filter(|&i| dropped.insert(i))
                        .collect();
                    drop.sort_unstable();
                    edits.extend(drop.into_iter().map(|i| {
                        let s = &doc.suggestions()[i];
                        Edit::RemoveSuggestion {
                            span: s.span,
                            label: s.label.clone(),
                        }
                    }));
                    edits.push(Edit::AddSpan(Span::manual(start, end, label)));
                    plan.add += 1;
                }
            }
            None => {
                if exact.is_empty() {
                    plan.already += 1;
                } else {
                    edits.extend(exact.iter().map(|s| Edit::RemoveSpan {
                        span: place,
                        label: s.label.clone(),
                    }));
                    plan.remove += 1;
                }
            }
        }
        claimed.insert(start, end);
    }
    if edits.is_empty() {
        return (None, plan);
    }
    if doc.status() == Status::Todo {
        edits.push(Edit::SetStatus(Status::InProgress));
    }
    (Some(Edit::Batch(edits)), plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::testing::*;
    use crate::model::{LabelSchema, Origin, Suggestion};

    #[test]
    fn tag_all_then_undo() {
        let schema = LabelSchema::news();
        let mut d = doc("a", SAMPLE);
        let xi: Vec<CharSpan> = hits_all(&d, "Xi", false, true, true)
            .iter()
            .map(|h| h.span)
            .collect();
        assert_eq!(xi.len(), 7);
        let putin = hits_all(&d, "Vladimir Putin", false, true, true)[0].span;
        let x0 = xi[0];
        d.set_initial_suggestions(vec![
            Suggestion::new(x0.start.0, x0.end.0 + 8, "PER", 0.9, "gazetteer"), // Xi Jinping
            Suggestion::new(xi[1].start.0, xi[1].end.0, "LOC", 0.4, "tagger"),
            Suggestion::new(putin.start.0, putin.end.0, "PER", 0.9, "gazetteer"),
        ]);
        for e in [
            Edit::AddSpan(Span::manual(xi[2].start.0, xi[2].end.0, "PER")),
            Edit::AddSpan(Span::manual(xi[3].start.0, xi[3].end.0, "LOC")),
            Edit::AddSpan(Span::manual(xi[4].start.0, xi[4].end.0 + 4, "ORG")), // "Xi had"
        ] {
            d.apply(&e, &schema).unwrap();
        }
        let before = d.clone();
        let mut spans = xi.clone();
        spans.push(cs(xi[5].start.0, xi[5].end.0 + 1)); // "Xi," overlaps hit 5
        spans.push(xi[6]); // the same place twice
        let (edit, plan) = tag_all_edit(&d, &spans, "PER");
        // Hit 0 is inside the pending "Xi Jinping": left alone, the suggestion kept.
        assert_eq!(
            plan,
            TagPlan {
                add: 3,
                relabel: 1,
                remove: 0,
                already: 2,
                conflicts: 2,
                in_suggestion: 1,
            }
        );
        let after = apply_and_undo(&d, &edit.unwrap());
        for (k, s) in xi.iter().enumerate() {
            let want = if k == 4 || k == 0 {
                None
            } else {
                Some(&Origin::Manual)
            };
            assert_eq!(
                after.find_span(*s, "PER").map(|s| &s.origin),
                want,
                "hit {k}"
            );
        }
        assert!(after
            .find_span(cs(xi[4].start.0, xi[4].end.0 + 4), "ORG")
            .is_some());
        // The LOC suggestion on hit 1 is replaced; "Xi Jinping" and "Vladimir Putin" stay.
        assert_eq!(after.suggestions().len(), 2, "{:?}", after.suggestions());
        assert!(after
            .find_suggestion(cs(x0.start.0, x0.end.0 + 8), "PER")
            .is_some());
        assert_eq!(after.status(), Status::InProgress);
        assert_eq!(d, before);

        // Nothing to do: no edit.
        let (edit, plan) = tag_all_edit(&after, &xi, "PER");
        assert!(edit.is_none());
        assert_eq!(
            (
                plan.already,
                plan.conflicts,
                plan.in_suggestion,
                plan.changes()
            ),
            (5, 1, 1, 0)
        );
    }

    #[test]
    fn a_longer_suggestion_over_places_is_kept_and_suggestions_within_a_place_go() {
        // "Kenya Red Cross" is suggested as ORG: making "Kenya" LOC everywhere must not throw
        // that suggestion away (the place inside it is left alone), while the suggestion that
        // lies within a tagged place is replaced by the tag.
        let mut d = doc("b", "Kenya Red Cross said Kenya needs help.");
        d.set_initial_suggestions(vec![
            Suggestion::new(0, 15, "ORG", 0.8, "gazetteer"),
            Suggestion::new(21, 26, "MISC", 0.3, "tagger"),
        ]);
        let (edit, plan) = fix_edit(&d, &[cs(0, 5), cs(21, 26), cs(99, 100)], Some("LOC"));
        assert_eq!((plan.add, plan.in_suggestion, plan.conflicts), (1, 1, 1));
        let after = apply_and_undo(&d, &edit.unwrap());
        assert!(after.find_suggestion(cs(0, 15), "ORG").is_some());
        assert!(after.find_span(cs(21, 26), "LOC").is_some());
        assert!(after.find_span(cs(0, 5), "LOC").is_none());
        assert_eq!(after.suggestions().len(), 1);
    }
}
