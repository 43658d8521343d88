//! Adjudicating a document of a team project, in its main layer: the annotators' versions are
//! compared (`corpus::adjudicate`), what they agree on is accepted at once, and each
//! disagreement becomes pending candidates that say who marked them (their source, `ana+chen`;
//! their score, the share of annotators). The article's own keys then do the work: Tab goes
//! through the candidates, Enter takes one (and drops the ones competing with it), Backspace
//! rejects one, label and boundary keys edit; Ctrl+N takes annotator N's version of the
//! disagreement at hand, Ctrl+Shift+N annotator N's version of every disagreement left. Each is
//! one edit: one undo step. Marking the document done marks it adjudicated.
//!
//! Only annotators who marked their layer done are compared.

use super::{count, Selection, Session};
use crate::corpus::adjudicate::{self, marked_by};
use crate::model::{DocId, Edit, Origin, Span, Suggestion};
use crate::text::CharSpan;

/// The adjudication of one document.
#[derive(Clone, Debug, PartialEq)]
pub struct Adjudication {
    pub doc: DocId,
    /// The annotators compared, in order (annotator N is `annotators[N - 1]`).
    pub annotators: Vec<String>,
    /// Spans accepted because they agreed.
    pub agreed: usize,
    /// The majority rule was on.
    pub majority: bool,
}

impl Session {
    /// The adjudication of the document on screen, if it is being adjudicated.
    pub fn adjudication(&self) -> Option<&Adjudication> {
        let a = self.open.adjudication.as_ref()?;
        (self.doc()?.id == a.doc).then_some(a)
    }

    /// Start adjudicating the document on screen (see the module docs).
    pub(super) fn adjudicate(&mut self) {
        if let Err(why) = self.start_adjudication() {
            self.status = why;
        }
    }

    fn start_adjudication(&mut self) -> Result<(), String> {
        let p = (self.open.ws.project.as_ref()).ok_or("Adjudication needs a project folder")?;
        if p.layer().is_some() {
            return Err("Adjudication is done in the main layer: Project > Annotator name > Work on the main layer".into());
        }
        let d = self.doc().ok_or("No document is open")?.clone();
        let who = crate::store::layers::annotators(p.root()).map_err(|e| e.to_string())?;
        let (_, found) = p.load_layers(&d.id, &who).map_err(|e| e.to_string())?;
        let layers = super::team::done_layers(&who, found);
        if layers.is_empty() {
            return Err(format!(
                "Nobody has marked {} done in their layer yet: there is nothing to adjudicate",
                d.id
            ));
        }
        let majority = self.settings.majority;
        let plan = adjudicate::plan(&layers, majority);
        let allow_overlap = self.open.ws.schema.allow_overlap;
        let mut edits = Vec::new();
        let mut candidates = plan.candidates;
        let mut agreed = 0;
        for (s, l) in plan.agreed {
            if d.find_span(s, &l).is_some() {
                continue;
            }
            if !allow_overlap && d.spans().iter().any(|x| x.span.overlaps(s)) {
                // What was decided here before stays; the agreed span is offered instead.
                candidates.push(Suggestion::new(s.start.0, s.end.0, &l, 1.0, "agreed"));
                continue;
            }
            let origin = Origin::Accepted {
                source: "agreed".into(),
                score: 1.0,
            };
            edits.push(Edit::AddSpan(Span {
                span: s,
                label: l,
                origin,
                note: String::new(),
            }));
            agreed += 1;
        }
        // Spans already decided are not offered again.
        candidates.retain(|c| d.find_span(c.span, &c.label).is_none());
        edits.insert(0, Edit::ReplaceSuggestions(candidates));
        let names: Vec<String> = layers.into_iter().map(|(a, _)| a).collect();
        if !self.edit_with_progress(Edit::Batch(edits)) {
            return Ok(());
        }
        let left = self.doc().map_or(0, |d| d.suggestions().len());
        self.status = format!(
            "Adjudicating {} of {}: {} agreed and accepted, {} to decide (Tab; Enter or Ctrl+N takes one; Ctrl+Shift+N takes N's for the rest)",
            d.id,
            names.join(", "),
            count(agreed, "span", "spans"),
            count(left, "candidate", "candidates"),
        );
        self.open.adjudication = Some(Adjudication {
            doc: d.id,
            annotators: names,
            agreed,
            majority,
        });
        self.open.sel = Selection::None;
        self.select_suggestion(true);
        Ok(())
    }

    /// The pending candidates that compete with `at` (overlap it).
    fn competing(&self, at: CharSpan) -> Vec<Suggestion> {
        let Some(d) = self.doc() else {
            return Vec::new();
        };
        d.suggestions()
            .iter()
            .filter(|s| s.span.overlaps(at) || s.span == at)
            .cloned()
            .collect()
    }

    /// Take `keep` (the candidates of one version) and drop the others in `group`: one edit.
    fn take(&mut self, keep: &[Suggestion], group: &[Suggestion]) -> bool {
        let mut edits: Vec<Edit> = keep
            .iter()
            .map(|k| Edit::AcceptSuggestion {
                span: k.span,
                label: k.label.clone(),
            })
            .collect();
        edits.extend(
            group
                .iter()
                .filter(|g| !keep.contains(g))
                .map(|g| Edit::RemoveSuggestion {
                    span: g.span,
                    label: g.label.clone(),
                }),
        );
        if edits.is_empty() {
            return false;
        }
        self.edit_with_progress(Edit::Batch(edits))
    }

    /// Enter while adjudicating: take the selected candidate, drop those competing with it.
    pub(super) fn take_selected(&mut self) -> bool {
        let (Some(_), Selection::Suggestion(s, l)) = (self.adjudication(), self.open.sel.clone())
        else {
            return false;
        };
        let Some(c) = self.doc().and_then(|d| d.find_suggestion(s, &l)).cloned() else {
            return false;
        };
        let group = self.competing(s);
        if self.take(std::slice::from_ref(&c), &group) {
            self.open.sel = Selection::Span(s, l);
            self.select_suggestion(true);
        }
        true
    }

    /// Annotator `n` (from 0) of the adjudication; without one, the status says what `keys` do.
    fn nth_annotator(&mut self, n: usize, keys: &str) -> Option<String> {
        let name = self
            .adjudication()
            .and_then(|a| a.annotators.get(n))
            .cloned();
        if name.is_none() {
            self.status = format!(
                "{keys} take an annotator's version while adjudicating (Project > Adjudicate)"
            );
        }
        name
    }

    /// Ctrl+N: annotator N's version (`n` from 0) of the disagreement at the selection.
    pub(super) fn take_version(&mut self, n: usize) {
        let Some(name) = self.nth_annotator(n, "Ctrl+1…9") else {
            return;
        };
        let Some(at) = self.open.sel.span() else {
            self.status = "Select a disagreement first (Tab)".into();
            return;
        };
        let group = self.competing(at);
        if group.is_empty() {
            self.status = "No disagreement here: Tab goes to the next one".into();
            return;
        }
        let keep: Vec<Suggestion> = group
            .iter()
            .filter(|c| marked_by(c, &name))
            .cloned()
            .collect();
        if self.take(&keep, &group) {
            self.status = match keep.len() {
                0 => format!("Took {name}'s version: no entity here"),
                _ => format!("Took {name}'s version"),
            };
            self.open.sel = Selection::Range(CharSpan {
                start: at.start,
                end: at.start,
            });
            self.select_suggestion(true);
        }
    }

    /// Ctrl+Shift+N: annotator N's version of every disagreement left, as one edit.
    pub(super) fn take_all_from(&mut self, n: usize) {
        let Some(name) = self.nth_annotator(n, "Ctrl+Shift+1…9") else {
            return;
        };
        let all = self
            .doc()
            .map(|d| d.suggestions().to_vec())
            .unwrap_or_default();
        let keep: Vec<Suggestion> = all
            .iter()
            .filter(|c| marked_by(c, &name))
            .cloned()
            .collect();
        if self.take(&keep, &all) {
            self.status = format!(
                "Took {name}'s version of the rest: {} (one undo step)",
                count(keep.len(), "entity", "entities")
            );
            self.open.sel = Selection::None;
        }
    }

    /// From the agreement window: open `id` in the main layer and adjudicate it.
    pub(super) fn adjudicate_doc(&mut self, id: &DocId) {
        if self.layer().is_some() {
            self.use_main_layer();
        }
        let Some(i) = self.open.ws.docs.iter().position(|d| &d.summary.id == id) else {
            self.status = format!("{id} is not in this project");
            return;
        };
        self.go_to(i);
        self.adjudicate();
    }
}
