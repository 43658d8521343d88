//! Undo/redo history for one document, and its dirty flag.
//!
//! Every applied edit stores its inverse. Each state of the document gets a revision number; the
//! document is dirty when the current revision differs from the one last saved, so undoing back to
//! the saved state makes it clean again.

use super::document::Document;
use super::edit::{Edit, EditError};
use super::label::LabelSchema;

#[derive(Clone, Debug)]
struct Entry {
    /// Applying this returns the document to `before`.
    inverse: Edit,
    before: u64,
    after: u64,
}

#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Entry>,
    redo: Vec<Entry>,
    current: u64,
    next: u64,
    saved: u64,
}

impl History {
    pub fn new() -> History {
        History {
            next: 1,
            ..History::default()
        }
    }

    /// Apply `edit` to `doc` and record it: the one place where a document changes.
    pub fn apply(
        &mut self,
        doc: &mut Document,
        edit: &Edit,
        schema: &LabelSchema,
    ) -> Result<(), EditError> {
        let inverse = doc.apply(edit, schema)?;
        // An edit that changed nothing (e.g. accept-all with nothing to accept) is not a step.
        if matches!(&inverse, Edit::Batch(v) if v.is_empty()) {
            return Ok(());
        }
        self.next = self.next.max(1);
        let after = self.next;
        self.next += 1;
        self.undo.push(Entry {
            inverse,
            before: self.current,
            after,
        });
        self.current = after;
        self.redo.clear();
        Ok(())
    }

    /// Undo the last edit. Returns its description, `None` when there is nothing to undo.
    pub fn undo(
        &mut self,
        doc: &mut Document,
        schema: &LabelSchema,
    ) -> Result<Option<String>, EditError> {
        let Some(entry) = self.undo.pop() else {
            return Ok(None);
        };
        match doc.apply(&entry.inverse, schema) {
            Ok(redo) => {
                let what = redo.describe();
                self.current = entry.before;
                self.redo.push(Entry {
                    inverse: redo,
                    before: entry.after,
                    after: entry.before,
                });
                Ok(Some(what))
            }
            Err(e) => {
                self.undo.push(entry);
                Err(e)
            }
        }
    }

    /// Redo the last undone edit.
    pub fn redo(
        &mut self,
        doc: &mut Document,
        schema: &LabelSchema,
    ) -> Result<Option<String>, EditError> {
        let Some(entry) = self.redo.pop() else {
            return Ok(None);
        };
        match doc.apply(&entry.inverse, schema) {
            Ok(undo) => {
                let what = entry.inverse.describe();
                self.current = entry.before;
                self.undo.push(Entry {
                    inverse: undo,
                    before: entry.after,
                    after: entry.before,
                });
                Ok(Some(what))
            }
            Err(e) => {
                self.redo.push(entry);
                Err(e)
            }
        }
    }

    /// The edit that [`History::undo`] would apply (the inverse of the last edit).
    pub fn next_undo(&self) -> Option<&Edit> {
        self.undo.last().map(|e| &e.inverse)
    }

    /// The edit that [`History::redo`] would apply.
    pub fn next_redo(&self) -> Option<&Edit> {
        self.redo.last().map(|e| &e.inverse)
    }

    /// The number of the document's current state (each edit, undo and redo gives a state a
    /// number; a state reached again by undo gets its old number back).
    pub fn revision(&self) -> u64 {
        self.current
    }

    /// How many steps can be undone.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }
    /// How many steps can be redone.
    pub fn redo_len(&self) -> usize {
        self.redo.len()
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
    /// True when the document differs from its last saved state.
    pub fn is_dirty(&self) -> bool {
        self.current != self.saved
    }

    /// Record that the current state is what is on disk.
    pub fn mark_saved(&mut self) {
        self.saved = self.current;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, Span};

    #[test]
    fn undo_redo_and_dirty() {
        let schema = LabelSchema::news();
        let mut d = Document::new(DocId::new("d").unwrap(), "t", "", "Paris is nice");
        let orig = d.clone();
        let mut h = History::new();
        assert!(!h.is_dirty());
        h.apply(&mut d, &Edit::AddSpan(Span::manual(0, 5, "LOC")), &schema)
            .unwrap();
        assert!(h.is_dirty());
        h.mark_saved();
        assert!(!h.is_dirty());
        let after = d.clone();
        assert_eq!(h.undo(&mut d, &schema).unwrap().as_deref(), Some("add LOC"));
        assert_eq!(d, orig);
        assert!(h.is_dirty());
        h.redo(&mut d, &schema).unwrap();
        assert_eq!(d, after);
        assert!(!h.is_dirty(), "back at the saved state");
        assert_eq!(h.redo(&mut d, &schema).unwrap(), None);
        // A new edit after an undo drops the redo branch.
        h.undo(&mut d, &schema).unwrap();
        h.apply(&mut d, &Edit::AddSpan(Span::manual(9, 13, "MISC")), &schema)
            .unwrap();
        assert!(!h.can_redo());
        assert!(h.is_dirty());
    }
}
