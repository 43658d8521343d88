//! What other processes write to the project while it is open here: a manifest changed on disk
//! is merged (see `manifest.rs`), its new documents join the list, and the person is told.

use super::{content_hash, DocState, Workspace};
use crate::model::{DocId, History, IdSource};

impl Workspace {
    /// Take in a manifest that another process changed (an `add` from the command line, a
    /// `git pull`): its new documents join the list, its label changes merge with ours (see
    /// `manifest.rs`). Returns a sentence for the person when something was taken in.
    pub fn manifest_changed_on_disk(&mut self) -> Option<String> {
        let p = self.project.as_mut()?;
        let path = p.root().join(crate::store::MANIFEST);
        let meta = std::fs::metadata(&path).ok()?;
        let stamp = (meta.len(), meta.modified().unwrap_or(std::time::UNIX_EPOCH));
        if self.seen.get("") == Some(&stamp) {
            return None;
        }
        self.seen.insert(String::new(), stamp);
        let bytes = crate::store::format::read_bounded(&path).ok()?;
        if self.disk.get("") == Some(&content_hash(&bytes)) {
            return None;
        }
        p.name = self.name.clone();
        p.schema = self.schema.clone();
        if let Err(e) = p.refresh() {
            return Some(format!(
                "The project file changed on disk and could not be read: {e}"
            ));
        }
        self.disk.insert(String::new(), content_hash(&bytes));
        self.take_in_merged()
    }

    /// After the project merged what other processes wrote: adopt its schema and name, list the
    /// documents it lists that are not here yet (an unsaved document here whose id another process
    /// took gets a new one first), and return a sentence for the person when something came in.
    pub(super) fn take_in_merged(&mut self) -> Option<String> {
        let p = self.project.as_mut()?;
        let labels_before = self.schema.labels.len();
        self.schema = p.schema.clone();
        self.name = p.name.clone();
        let theirs: std::collections::HashSet<DocId> = p.ids().iter().cloned().collect();
        let clashing: Vec<usize> = (0..self.docs.len())
            .filter(|&i| self.docs[i].unsaved_new && theirs.contains(&self.docs[i].summary.id))
            .collect();
        for i in clashing {
            let id = self.fresh_id(&IdSource::Given(self.docs[i].summary.id.to_string()));
            let state = &mut self.docs[i];
            state.summary.id = id.clone();
            if let Some(doc) = &mut state.doc {
                doc.id = id;
            }
        }
        let p = self.project.as_mut()?;
        let known: std::collections::HashSet<DocId> =
            self.docs.iter().map(|d| d.summary.id.clone()).collect();
        let mut added = 0;
        for id in p.ids().iter().filter(|id| !known.contains(*id)) {
            match p.load_document(id) {
                Ok(doc) => {
                    self.docs.push(DocState {
                        summary: crate::store::DocSummary::of(&doc),
                        doc: None,
                        history: History::new(),
                        unsaved_new: false,
                        keep_mine: false,
                        time_dirty: false,
                        used: 0,
                    });
                    added += 1;
                }
                Err(e) => self.unreadable.push(e.to_string()),
            }
        }
        let labels = self.schema.labels.len().saturating_sub(labels_before);
        let mut parts = Vec::new();
        if added > 0 {
            parts.push(format!("{added} document(s) added by another process"));
        }
        if labels > 0 {
            parts.push(format!("{labels} new label(s)"));
        }
        parts.extend(std::mem::take(&mut p.merge_notes));
        (!parts.is_empty()).then(|| format!("The project changed on disk: {}", parts.join("; ")))
    }
}
