//! Saving (only what changed; new documents and the manifest under the project's lock, merged
//! with what other processes wrote), saving into a new folder, and replaying or dropping the
//! journal of unsaved edits found after a crash.
//!
//! A document file that changed on disk since it was read is never overwritten
//! ([`StoreError::Conflict`]) unless the person chose to keep their version.

use super::Workspace;
use crate::model::{DocId, Document, EditError};
use crate::store::journal::{content_hash, Journal, Op};
use crate::store::{Project, StoreError};
use std::path::{Path, PathBuf};

/// Why replaying the journal of unsaved edits stopped (see [`Workspace::restore_recovered`]).
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    /// The journal could not be cleared, or a document it adds does not read.
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{doc}: {source}")]
    Load { doc: String, source: StoreError },
    #[error(transparent)]
    Id(#[from] crate::model::InvalidDocId),
    #[error("{doc}: {source}")]
    Edit { doc: String, source: EditError },
    #[error("the journal names document {0:?}, which this project does not have")]
    UnknownDocument(String),
}

impl Workspace {
    /// Save dirty documents (only those) and, when needed, the manifest. Returns how many
    /// documents were written. Fails when the project has no folder yet.
    pub fn save(&mut self) -> Result<usize, StoreError> {
        let Some(project) = &mut self.project else {
            return Err(StoreError::Invalid {
                path: PathBuf::from(&self.name),
                msg: "has not been saved to a folder yet; use Save as".into(),
            });
        };
        project.name = self.name.clone();
        project.schema = self.schema.clone();
        let listed: std::collections::HashSet<&DocId> = project.ids().iter().collect();
        let new_at: Vec<usize> = (0..self.docs.len())
            .filter(|&i| {
                let d = &self.docs[i];
                d.unsaved_new && d.doc.is_some() && !listed.contains(&d.summary.id)
            })
            .collect();
        drop(listed);
        let mut new_docs: Vec<Document> = new_at
            .iter()
            .filter_map(|&i| self.docs[i].doc.clone())
            .collect();
        let mut written = 0;
        let mut conflicts = Vec::new();
        let manifest_changed = !new_docs.is_empty() || self.manifest_dirty;
        let result = if !new_docs.is_empty() {
            project.add_documents(&mut new_docs)
        } else if self.manifest_dirty {
            project.save_manifest().map(|()| Vec::new())
        } else {
            Ok(Vec::new())
        };
        if manifest_changed {
            // Merged with what other processes wrote, even when the write then failed: the
            // project's schema and name are the truth now, and its hash is ours to recognise.
            self.disk.insert(String::new(), project.manifest_hash());
            self.schema = project.schema.clone();
            self.name = project.name.clone();
        }
        for ((&i, d), h) in new_at.iter().zip(&new_docs).zip(result?) {
            // Another process took this id meanwhile: the document was given a new one.
            let state = &mut self.docs[i];
            if state.summary.id != d.id {
                state.summary.id = d.id.clone();
                if let Some(doc) = &mut state.doc {
                    doc.id = d.id.clone();
                }
            }
            self.disk.insert(d.id.to_string(), h);
            written += 1;
        }
        self.manifest_dirty = false;
        if manifest_changed {
            self.merge_news = self.take_in_merged();
        }
        let Some(project) = &mut self.project else {
            return Ok(written);
        };
        let mut saved = Vec::new();
        for (i, d) in self.docs.iter_mut().enumerate() {
            if d.unsaved_new {
                d.unsaved_new = false;
                d.time_dirty = false;
                d.history.mark_saved();
            } else if d.history.is_dirty() || d.keep_mine || d.time_dirty {
                let Some(doc) = &d.doc else { continue };
                let id = doc.id.to_string();
                let path = project.document_path(&doc.id);
                let on_disk = crate::store::format::read_bounded(&path)
                    .ok()
                    .map(|b| content_hash(&b));
                if !d.keep_mine && on_disk.is_some() && on_disk != self.disk.get(&id).copied() {
                    // Time alone never makes a conflict: it is dropped for the other's version.
                    if d.history.is_dirty() {
                        conflicts.push(path);
                    }
                    d.time_dirty = false;
                    continue;
                }
                d.keep_mine = false;
                d.time_dirty = false;
                let bytes = project.save_document(doc)?;
                self.disk.insert(id, content_hash(bytes.as_bytes()));
                d.history.mark_saved();
                saved.push(i);
                written += 1;
            }
        }
        crate::store::index::record(
            project,
            saved.iter().filter_map(|&i| self.docs[i].doc.as_ref()),
        );
        if let Some(path) = conflicts.into_iter().next() {
            return Err(StoreError::Conflict { path });
        }
        // Everything is on disk: the journal's work is done. A found journal that was neither
        // restored nor discarded stays.
        if self.recovered.is_empty() {
            if let Some(j) = &mut self.journal {
                j.clear()?;
            }
        }
        Ok(written)
    }

    /// Save everything into a new project folder and continue working there. Documents not in
    /// memory are read from the old folder one at a time.
    pub fn save_as(&mut self, root: &Path) -> Result<(), StoreError> {
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.name.clone());
        let source = self.source();
        let mut project = Project::create(root, &name, self.schema.clone())?;
        let mut hashes = Vec::with_capacity(self.docs.len());
        // In slices, so a large project is never all in memory at once.
        for part in (0..source.len()).collect::<Vec<_>>().chunks(256) {
            let docs = part
                .iter()
                .map(|&i| source.get(i))
                .collect::<Result<Vec<_>, _>>()?;
            let mut docs = docs;
            hashes.extend(project.add_documents(&mut docs)?);
        }
        self.project = Some(project);
        self.name = name;
        self.manifest_dirty = false;
        self.journal = Some(Journal::new(root));
        self.disk = self
            .docs
            .iter()
            .map(|d| d.summary.id.to_string())
            .zip(hashes)
            .collect();
        self.seen.clear();
        if let Ok(b) = crate::store::format::read_bounded(&root.join(crate::store::MANIFEST)) {
            self.disk.insert(String::new(), content_hash(&b));
        }
        for d in &mut self.docs {
            d.unsaved_new = false;
            d.time_dirty = false;
            d.history.mark_saved();
        }
        Ok(())
    }

    /// Replay the journal found when the project was opened (edits made after the last save
    /// before a crash). Returns how many changes were restored.
    pub fn restore_recovered(&mut self) -> Result<usize, RecoveryError> {
        let entries = std::mem::take(&mut self.recovered);
        if let Some(j) = &mut self.journal {
            j.clear()?;
        }
        let mut n = 0;
        for e in entries {
            let idx = DocId::new(&e.doc).ok().and_then(|id| self.position(&id));
            if let Some(i) = idx {
                // The hash of the file as it is now, to compare with the entry's base.
                self.ensure_loaded(i)
                    .map_err(|source| RecoveryError::Load {
                        doc: e.doc.clone(),
                        source,
                    })?;
            }
            // Already saved before the crash: the file moved on from the entry's base.
            if e.base != self.disk.get(&e.doc).copied().unwrap_or(0) {
                continue;
            }
            n += 1;
            match (e.op, idx) {
                (Op::Schema(s), _) => self.set_schema(s),
                (Op::NewDoc(_), Some(_)) => {}
                (Op::NewDoc(file), None) => {
                    let path = PathBuf::from(crate::store::journal::JOURNAL);
                    let id = DocId::new(&file.id)?;
                    let doc = file.into_document(&path, &id, &self.schema)?;
                    self.push_new(doc);
                }
                (Op::Apply(edit), Some(i)) => {
                    self.apply(i, &edit).map_err(|source| RecoveryError::Edit {
                        doc: e.doc.clone(),
                        source,
                    })?
                }
                (_, _) => return Err(RecoveryError::UnknownDocument(e.doc)),
            }
        }
        Ok(n)
    }

    /// Drop the journal found when the project was opened.
    pub fn discard_recovered(&mut self) -> Result<(), StoreError> {
        self.recovered.clear();
        match &mut self.journal {
            Some(j) => j.clear(),
            None => Ok(()),
        }
    }
}
