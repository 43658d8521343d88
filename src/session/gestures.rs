//! What the person does to the article: select, tag, accept, reject, relabel, move boundaries,
//! navigate. Each gesture is at most one `Edit` (one undo step), applied through the workspace.

use super::{Confirm, Selection, Session};
use crate::model::{Edit, Label, Origin, Span, Status, Suggestion};
use crate::text::CharSpan;

impl Session {
    /// Apply an edit to the current document, reporting a refusal in the status bar.
    pub(super) fn edit(&mut self, edit: Edit) -> bool {
        match self.open.ws.apply(self.open.cur, &edit) {
            Ok(()) => {
                self.status = edit.describe();
                true
            }
            Err(e) => {
                self.status = format!("Not done: {e}");
                false
            }
        }
    }

    /// An edit that also moves a document still to do to "in progress".
    pub(super) fn edit_with_progress(&mut self, edit: Edit) -> bool {
        let e = self.open.ws.with_progress(self.open.cur, edit);
        self.edit(e)
    }

    /// Change a confirmed span's label or boundaries. A span that was an accepted suggestion
    /// is replaced by one marked corrected (statistics count it so, exports drop its score);
    /// either way it is one edit that undo restores exactly.
    fn change_span(&self, from: CharSpan, label: &str, to: CharSpan, to_label: &str) -> Edit {
        let old = self.doc().and_then(|d| d.find_span(from, label));
        match old {
            Some(s) if matches!(s.origin, Origin::Accepted { .. }) => Edit::Batch(vec![
                Edit::RemoveSpan {
                    span: from,
                    label: label.to_string(),
                },
                Edit::AddSpan(Span {
                    span: to,
                    label: to_label.to_string(),
                    origin: s.origin.corrected(label),
                    note: s.note.clone(),
                }),
            ]),
            _ if to == from => Edit::Relabel {
                span: from,
                from: label.to_string(),
                to: to_label.to_string(),
            },
            _ => Edit::Resize {
                label: label.to_string(),
                from,
                to,
            },
        }
    }

    pub(super) fn select_range(&mut self, range: CharSpan, exact: bool) {
        let r = if exact {
            // Exact, but never half a character.
            self.doc()
                .and_then(|d| crate::text::offsets::snap_to_clusters(d.text(), range))
                .unwrap_or(range)
        } else {
            self.tokens().map_or(range, |t| t.snap(range))
        };
        self.open.sel = if r.is_empty() {
            Selection::None
        } else {
            Selection::Range(r)
        };
    }

    pub(super) fn click(&mut self, c: usize) {
        let Some(d) = self.doc() else { return };
        let at = |sp: CharSpan| sp.start.0 <= c && c < sp.end.0;
        self.open.sel = if let Some(s) = d.spans().iter().find(|s| at(s.span)) {
            Selection::Span(s.span, s.label.clone())
        } else if let Some(s) = d.suggestions().iter().find(|s| at(s.span)) {
            Selection::Suggestion(s.span, s.label.clone())
        } else {
            Selection::None
        };
    }

    pub(super) fn double_click(&mut self, c: usize) {
        if let Some(t) = self.tokens().and_then(|t| t.at(c)) {
            self.open.sel = Selection::Range(t);
        }
    }

    /// A label key: tag the selected range, relabel the selected entity, or accept the selected
    /// suggestion with this label.
    pub(super) fn apply_label(&mut self, label: &str) {
        let cur = self.open.cur;
        match self.open.sel.clone() {
            Selection::Range(r) => {
                if let Some(e) = self.open.ws.tag_edit(cur, r, label) {
                    if self.edit(e) {
                        self.open.sel = Selection::Span(r, label.to_string());
                    }
                }
            }
            Selection::Span(s, from) if from != label => {
                let e = self.change_span(s, &from, s, label);
                if self.edit_with_progress(e) {
                    self.open.sel = Selection::Span(s, label.to_string());
                }
            }
            Selection::Suggestion(s, l) => {
                let e = if l == label {
                    Edit::AcceptSuggestion { span: s, label: l }
                } else {
                    // Accepted under another label: a correction of this suggestion.
                    let origin = match self.doc().and_then(|d| d.find_suggestion(s, &l)) {
                        Some(x) => Origin::Corrected {
                            source: x.source.clone(),
                            suggested: l,
                        },
                        None => Origin::Manual,
                    };
                    match self.open.ws.tag_edit_as(cur, s, label, origin) {
                        Some(e) => e,
                        None => return,
                    }
                };
                if self.edit_with_progress(e) {
                    // Like Enter: on to the next suggestion.
                    self.open.sel = Selection::Span(s, label.to_string());
                    self.select_suggestion(true);
                }
            }
            _ => self.status = "Select some text first, then press a label key".into(),
        }
    }

    /// Accept the selected suggestion and move on to the next one.
    pub(super) fn accept(&mut self) {
        match self.open.sel.clone() {
            Selection::Suggestion(s, l) => {
                let e = Edit::AcceptSuggestion {
                    span: s,
                    label: l.clone(),
                };
                if self.edit_with_progress(e) {
                    self.open.sel = Selection::Span(s, l);
                    self.select_suggestion(true);
                }
            }
            _ => self.status = "Select a suggestion (Tab) to accept it".into(),
        }
    }

    /// Reject the selected suggestion (and move on), or remove the selected entity.
    pub(super) fn reject_or_remove(&mut self) {
        let (edit, suggestion) = match self.open.sel.clone() {
            Selection::Suggestion(span, label) => (Edit::RejectSuggestion { span, label }, true),
            Selection::Span(span, label) => (Edit::RemoveSpan { span, label }, false),
            _ => return,
        };
        let at = self.open.sel.span().map(|s| s.start);
        if !self.edit_with_progress(edit) {
            return;
        }
        match (suggestion, at) {
            // From where the rejected one was, on to the next suggestion.
            (true, Some(start)) => {
                self.open.sel = Selection::Range(CharSpan { start, end: start });
                self.select_suggestion(true);
            }
            _ => self.open.sel = Selection::None,
        }
    }

    pub(super) fn accept_all(&mut self) {
        let e = Edit::AcceptAll {
            label: self.open.accept_label.clone(),
            min_score: (self.open.accept_min > 0.0).then_some(self.open.accept_min),
        };
        let before = self.doc().map_or(0, |d| d.spans().len());
        if self.edit_with_progress(e) {
            let n = self.doc().map_or(0, |d| d.spans().len()) - before;
            let n = super::count(n, "suggestion", "suggestions");
            self.status = format!("Accepted {n} (one undo step)");
        }
    }

    pub(super) fn select_suggestion(&mut self, forward: bool) {
        let Some(d) = self.doc() else { return };
        let here = self.open.sel.span().map(|r| r.start);
        let s = d.suggestions();
        let pick = if forward {
            s.iter()
                .find(|x| here.is_none_or(|h| x.span.start > h))
                .or(s.first())
        } else {
            s.iter()
                .rev()
                .find(|x| here.is_none_or(|h| x.span.start < h))
                .or(s.last())
        };
        match pick.cloned() {
            Some(p) => {
                self.open.sel = Selection::Suggestion(p.span, p.label);
                self.open.scroll_to = Some(p.span);
            }
            None => self.status = "No pending suggestions in this document".into(),
        }
    }

    /// Shift(+Ctrl)+arrows: move the selected entity's end (start) by a token, or extend the
    /// selected range (the keyboard caret's token, a drag, a suggestion not yet accepted).
    pub(super) fn move_boundary(&mut self, end: bool, dir: i32) {
        let moved = |s: &Self, r| s.tokens().and_then(|t| t.move_boundary(r, end, dir));
        match self.open.sel.clone() {
            Selection::Span(s, l) => {
                let Some(to) = moved(self, s) else { return };
                let e = self.change_span(s, &l, to, &l);
                if self.edit_with_progress(e) {
                    self.open.sel = Selection::Span(to, l);
                }
            }
            Selection::Range(r) | Selection::Suggestion(r, _) => {
                if let Some(to) = moved(self, r) {
                    self.open.sel = Selection::Range(to);
                    self.open.scroll_to = Some(to);
                }
            }
            Selection::None => {
                self.status = "Select a token (arrow keys) or an entity first".into();
            }
        }
    }

    /// The keyboard caret: select the token after (`dir > 0`) or before the selection (the first
    /// or last token when nothing is selected). Landing on an entity or a suggestion selects it
    /// whole, so a label key relabels it and Enter accepts it.
    pub(super) fn caret(&mut self, dir: i32) {
        let (Some(d), Some(tokens)) = (self.doc(), self.tokens()) else {
            return;
        };
        let t = tokens.spans();
        let next = match self.open.sel.span() {
            None if dir > 0 => t.first(),
            None => t.last(),
            Some(r) if dir > 0 => t.get(t.partition_point(|x| x.start < r.end)),
            Some(r) => t
                .partition_point(|x| x.end <= r.start)
                .checked_sub(1)
                .and_then(|i| t.get(i)),
        };
        let Some(&tok) = next else { return };
        let sel = if let Some(s) = d.spans().iter().find(|s| s.span.overlaps(tok)) {
            Selection::Span(s.span, s.label.clone())
        } else if let Some(s) = d.suggestions().iter().find(|s| s.span.overlaps(tok)) {
            Selection::Suggestion(s.span, s.label.clone())
        } else {
            Selection::Range(tok)
        };
        self.open.scroll_to = sel.span();
        self.open.sel = sel;
    }

    pub(super) fn set_note(&mut self, span: CharSpan, label: String, note: String) {
        self.edit(Edit::SetSpanNote { span, label, note });
    }

    pub(super) fn set_doc_note(&mut self, note: String) {
        if self.doc().is_some_and(|d| d.note() != note) {
            self.edit(Edit::SetDocNote(note));
        }
    }

    /// Up to `n` different texts tagged `label` in the documents marked done that are in memory
    /// (examples for the label's description; no document is read for this).
    pub fn label_examples(&self, label: &str, n: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for d in self.open.ws.docs.iter().filter_map(|s| s.doc()) {
            if d.status() != Status::Done {
                continue;
            }
            for s in d.spans().iter().filter(|s| s.label == label) {
                let t = d.slice(s.span).unwrap_or_default().trim().to_string();
                if !t.is_empty() && !out.contains(&t) {
                    out.push(t);
                    if out.len() == n {
                        return out;
                    }
                }
            }
        }
        out
    }

    pub(super) fn undo(&mut self) {
        self.step(false);
    }

    pub(super) fn redo(&mut self) {
        self.step(true);
    }

    /// Undo or redo, then select (and scroll to) what it brought back: an entity, else a
    /// suggestion, so the person sees what changed.
    fn step(&mut self, forward: bool) {
        let before: Option<(Vec<Span>, Vec<Suggestion>)> = self
            .doc()
            .map(|d| (d.spans().to_vec(), d.suggestions().to_vec()));
        let (done, r) = if forward {
            ("Redid", self.open.ws.redo(self.open.cur))
        } else {
            ("Undid", self.open.ws.undo(self.open.cur))
        };
        match r {
            Ok(Some(what)) => {
                self.status = format!("{done} {what}");
                self.open.sel = before
                    .and_then(|(spans, suggs)| self.changed(&spans, &suggs))
                    .unwrap_or_default();
                self.open.scroll_to = self.open.sel.span();
            }
            Ok(None) => {
                self.status = format!("Nothing to {}", if forward { "redo" } else { "undo" })
            }
            Err(e) => self.set_error(format!(
                "Could not {}: {e}",
                if forward { "redo" } else { "undo" }
            )),
        }
    }

    /// The first entity (else suggestion) of the current document that is not among `spans`
    /// (`suggs`): what an undo or redo brought. Sorted lists: binary search, no quadratic walk.
    fn changed(&self, spans: &[Span], suggs: &[Suggestion]) -> Option<Selection> {
        let d = self.doc()?;
        let new_span = d.spans().iter().find(|s| {
            spans
                .binary_search_by(|b| (b.span, b.label.as_str()).cmp(&(s.span, s.label.as_str())))
                .map_or(true, |i| spans[i] != **s)
        });
        if let Some(s) = new_span {
            return Some(Selection::Span(s.span, s.label.clone()));
        }
        let known: std::collections::HashSet<(CharSpan, &str)> =
            suggs.iter().map(|s| (s.span, s.label.as_str())).collect();
        d.suggestions()
            .iter()
            .find(|s| !known.contains(&(s.span, s.label.as_str())))
            .map(|s| Selection::Suggestion(s.span, s.label.clone()))
    }

    /// The current document is always in memory (a newly opened project has none loaded; a
    /// document that cannot be read moves the view to the next readable one).
    pub(super) fn ensure_current(&mut self) {
        let o = &mut self.open;
        if o.cur >= o.ws.docs.len() {
            o.cur = o.ws.docs.len().saturating_sub(1);
        }
        o.ws.set_current(o.cur);
        while o.cur < o.ws.docs.len() && o.ws.doc(o.cur).is_none() && o.load_failed != Some(o.cur) {
            match o.ws.load(o.cur) {
                Ok(_) => break,
                Err(e) => {
                    self.error = Some(format!("Could not open a document: {e}"));
                    o.load_failed = Some(o.cur);
                    if o.cur + 1 >= o.ws.docs.len() {
                        break;
                    }
                    o.cur += 1;
                }
            }
        }
    }

    /// Show document `i` (reading it from disk if it is not in memory).
    pub(super) fn go_to(&mut self, i: usize) {
        let o = &mut self.open;
        if i >= o.ws.docs.len() || (i == o.cur && o.ws.doc(i).is_some()) {
            return;
        }
        if let Err(e) = o.ws.load(i) {
            self.error = Some(format!("Could not open that document: {e}"));
            return;
        }
        o.cur = i;
        o.ws.set_current(i);
        o.sel = Selection::None;
        self.prepare();
    }

    /// Show a place in a document: open it, scroll there and select what is there.
    pub(super) fn visit(&mut self, doc: usize, span: CharSpan, label: Option<String>) {
        self.go_to(doc);
        if self.open.cur != doc {
            return;
        }
        self.open.sel = match label {
            Some(l) => Selection::Span(span, l),
            None => Selection::Range(span),
        };
        self.open.scroll_to = Some(span);
    }

    // ---------------- labels ----------------

    pub(super) fn add_label(&mut self, name: &str) {
        if let Err(e) = self.open.ws.add_label(name) {
            self.status = format!("Not added: {e}");
        }
    }

    pub(super) fn update_label(&mut self, i: usize, label: Label) {
        if let Err(e) = self.open.ws.update_label(i, label) {
            self.status = format!("Not changed: {e}");
        }
    }

    pub(super) fn rename_label(&mut self, from: &str, to: &str) {
        if let Err(e) = self.open.ws.rename_label(from, to) {
            self.status = format!("Not renamed: {e}");
        }
    }

    /// Delete a label; when entities use it, ask first (unless the person already said yes).
    pub(super) fn delete_label(&mut self, name: &str, confirmed: bool) {
        let used = self.open.ws.label_usage(name);
        if used > 0 && !confirmed {
            self.open.confirm = Some(Confirm::DeleteLabel(name.to_string(), used));
            return;
        }
        if matches!(self.open.confirm, Some(Confirm::DeleteLabel(..))) {
            self.open.confirm = None;
        }
        if let Err(e) = self.open.ws.delete_label(name) {
            self.status = format!("Not deleted: {e}");
        }
    }
}
