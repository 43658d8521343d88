//! Applying edits, and undo/redo: the one place where a document's spans change, and
//! project-wide gestures (one edit in each of several documents) kept as one undo step.
//!
//! Every applied edit updates the document's summary and the revision counter and is appended to
//! the journal (see `journal.rs`). Offsets in edits are char offsets, end-exclusive.

use super::{now, DocState, Group, Workspace};
use crate::model::{Edit, EditError, Status};
use crate::store::index::DocSummary;
use crate::store::journal::Op;

impl Workspace {
    /// Apply one edit to document `i` (loading it if needed), recorded for undo. The one place
    /// where spans change.
    pub fn apply(&mut self, i: usize, edit: &Edit) -> Result<(), EditError> {
        self.ensure_loaded(i)
            .map_err(|e| EditError::Unavailable(e.to_string()))?;
        let d = &mut self.docs[i];
        let Some(doc) = d.doc.as_mut() else {
            return Err(EditError::Unavailable(format!(
                "{} is not loaded",
                d.summary.id
            )));
        };
        let was = doc.status();
        d.history.apply(doc, edit, &self.schema)?;
        Self::after_change(d, was);
        self.revision += 1;
        // A new step after an undone group: that group can no longer be redone.
        self.undone_groups.clear();
        let id = d.summary.id.to_string();
        self.log(&id, Op::Apply(edit.clone()));
        Ok(())
    }

    /// Keep the summary and the time marked done current after a change to a loaded document.
    fn after_change(d: &mut DocState, was: Status) {
        if let Some(doc) = d.doc.as_mut() {
            match (was == Status::Done, doc.status() == Status::Done) {
                (false, true) => doc.set_done_at(Some(now())),
                (true, false) => doc.set_done_at(None),
                _ => {}
            }
            d.summary = DocSummary::of(doc);
        }
    }

    /// Apply edits to several documents as one gesture: each document gets one undo step, and
    /// undoing (or redoing) any of them with [`Workspace::undo`] undoes (redoes) them all. All
    /// or nothing: if one document refuses its edit, the ones already changed are rolled back.
    pub fn apply_group(&mut self, edits: Vec<(usize, Edit)>) -> Result<(), EditError> {
        let mut steps = Vec::new();
        for (i, e) in &edits {
            if let Err(err) = self.apply(*i, e) {
                for &(j, _) in steps.iter().rev() {
                    let _ = self.step(j, false);
                }
                let name = self.docs.get(*i).map(|d| d.summary.id.to_string());
                return Err(match name {
                    Some(n) => EditError::Unavailable(format!("{n}: {err}")),
                    None => err,
                });
            }
            steps.push((*i, self.docs[*i].history.undo_len()));
        }
        if steps.len() > 1 {
            self.groups.push(Group { steps });
        }
        Ok(())
    }

    /// Make steps already applied (document, its undo length right after the step) one undo
    /// step across those documents, as [`Workspace::apply_group`] does for edits applied at once
    /// (a refresh of suggestions applies them as they arrive from a worker).
    pub fn group_steps(&mut self, steps: Vec<(usize, usize)>) {
        if steps.len() > 1 {
            self.groups.push(Group { steps });
        }
    }

    /// The group whose step is on top of document `i`'s undo (`forward == false`) or redo stack.
    fn group_at(&self, i: usize, forward: bool) -> Option<usize> {
        let list = if forward {
            &self.undone_groups
        } else {
            &self.groups
        };
        let d = self.docs.get(i)?;
        list.iter().rposition(|g| {
            g.steps.iter().any(|&(j, len)| {
                j == i
                    && if forward {
                        d.history.redo_len() > 0 && d.history.undo_len() + 1 == len
                    } else {
                        d.history.undo_len() == len
                    }
            })
        })
    }

    /// Undo the last edit of document `i`; when it was part of a project-wide gesture, undo that
    /// gesture in every document it touched. The journal records the concrete edit that undoing
    /// applied (not "undo"), so a replay after a crash reaches the same state even when the
    /// undone edit was saved before the crash. Returns a description of what was undone.
    pub fn undo(&mut self, i: usize) -> Result<Option<String>, EditError> {
        self.step_or_group(i, false)
    }

    pub fn redo(&mut self, i: usize) -> Result<Option<String>, EditError> {
        self.step_or_group(i, true)
    }

    fn step_or_group(&mut self, i: usize, forward: bool) -> Result<Option<String>, EditError> {
        let Some(g) = self.group_at(i, forward) else {
            return self.step(i, forward);
        };
        let group = if forward {
            self.undone_groups.remove(g)
        } else {
            self.groups.remove(g)
        };
        // Each document's step must still be on top of its stack; otherwise undo only here.
        let ready = group.steps.iter().all(|&(j, len)| {
            let h = &self.docs[j].history;
            if forward {
                h.redo_len() > 0 && h.undo_len() + 1 == len
            } else {
                h.undo_len() == len
            }
        });
        if !ready {
            return self.step(i, forward);
        }
        let mut what = None;
        for &(j, _) in &group.steps {
            if let Some(w) = self.step(j, forward)? {
                what.get_or_insert(w);
            }
        }
        if forward {
            self.groups.push(group.clone());
        } else {
            self.undone_groups.push(group.clone());
        }
        Ok(what.map(|w| format!("{w} in {} documents", group.steps.len())))
    }

    fn step(&mut self, i: usize, forward: bool) -> Result<Option<String>, EditError> {
        let Some(d) = self.docs.get_mut(i) else {
            return Ok(None);
        };
        let Some(doc) = d.doc.as_mut() else {
            // Only documents without history are ever dropped from memory.
            return Ok(None);
        };
        let was = doc.status();
        let (applied, r) = if forward {
            (
                d.history.next_redo().cloned(),
                d.history.redo(doc, &self.schema)?,
            )
        } else {
            (
                d.history.next_undo().cloned(),
                d.history.undo(doc, &self.schema)?,
            )
        };
        Self::after_change(d, was);
        self.revision += 1;
        if let (Some(_), Some(edit)) = (&r, applied) {
            let id = d.summary.id.to_string();
            self.log(&id, Op::Apply(edit));
        }
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::project_of;
    use super::*;
    use crate::model::Span;
    use crate::text::CharSpan;

    #[test]
    fn a_project_wide_gesture_is_one_undo_step_and_marks_done_times() {
        let dir = tempfile::tempdir().unwrap();
        let root = project_of(dir.path(), 4);
        let mut w = Workspace::open(&root).unwrap();
        let moscow = CharSpan::new(16, 22).unwrap();
        let edits: Vec<(usize, Edit)> = (0..3)
            .map(|i| {
                w.load(i).unwrap();
                (i, w.tag_edit(i, moscow, "LOC").unwrap())
            })
            .collect();
        w.apply_group(edits).unwrap();
        assert_eq!(w.label_usage("LOC"), 3);
        // Undo from any of the documents undoes all three; redo brings all three back.
        let what = w.undo(1).unwrap().unwrap();
        assert!(what.ends_with("in 3 documents"), "{what}");
        assert_eq!(w.label_usage("LOC"), 0);
        w.redo(2).unwrap();
        assert_eq!(w.label_usage("LOC"), 3);
        // A later edit in one document is undone on its own first.
        w.apply(0, &Edit::SetStatus(Status::Done)).unwrap();
        assert!(
            w.doc(0).unwrap().done_at().is_some(),
            "marking done records when"
        );
        assert_eq!(w.docs[0].summary.done_at, w.doc(0).unwrap().done_at());
        w.undo(0).unwrap();
        assert_eq!(w.doc(0).unwrap().done_at(), None);
        assert_eq!(w.label_usage("LOC"), 3);
        w.undo(0).unwrap();
        assert_eq!(w.label_usage("LOC"), 0);

        // All or nothing: a group whose second edit is refused leaves nothing applied.
        let bad = vec![
            (0, w.tag_edit(0, moscow, "LOC").unwrap()),
            (1, Edit::AddSpan(Span::manual(0, 500, "LOC"))),
        ];
        assert!(w.apply_group(bad).is_err());
        assert_eq!(w.label_usage("LOC"), 0);
    }

    /// A refresh applies its edits one by one as a worker sends them; `group_steps` then makes
    /// them one undo step.
    #[test]
    fn steps_applied_one_by_one_become_one_undo_step() {
        let dir = tempfile::tempdir().unwrap();
        let root = project_of(dir.path(), 3);
        let mut w = Workspace::open(&root).unwrap();
        let moscow = CharSpan::new(16, 22).unwrap();
        let mut steps = Vec::new();
        for i in 0..3 {
            w.load(i).unwrap();
            let s = crate::model::Suggestion::new(16, 22, "LOC", 0.9, "tagger");
            w.apply(i, &Edit::ReplaceSuggestions(vec![s])).unwrap();
            steps.push((i, w.docs[i].history.undo_len()));
        }
        w.group_steps(steps);
        let what = w.undo(2).unwrap().unwrap();
        assert!(what.ends_with("in 3 documents"), "{what}");
        for i in 0..3 {
            assert!(w.doc(i).unwrap().find_suggestion(moscow, "LOC").is_none());
        }
    }
}
