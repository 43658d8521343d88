//! Document files changed on disk while open (another annotator, a git pull): finding them,
//! reloading them, or keeping this version over them.

use super::{DocState, Workspace};
use crate::model::DocId;
use crate::store::journal::content_hash;
use crate::store::StoreError;

/// A document file that changed on disk while it was open.
#[derive(Debug, Clone, PartialEq)]
pub struct DiskChange {
    pub index: usize,
    pub id: DocId,
    /// What differs, in a sentence ("on disk: 12 entities, done; here: 10 entities, in progress").
    pub summary: String,
}

impl Workspace {
    /// Documents in memory whose files changed on disk since they were read or saved here (only
    /// files whose length or modification time moved are read again). Documents not in memory
    /// are read afresh when next loaded, so they cannot conflict.
    pub fn changed_on_disk(&mut self) -> Vec<DiskChange> {
        let Some(p) = &self.project else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, d) in self.docs.iter().enumerate() {
            let Some(doc) = &d.doc else { continue };
            let id = doc.id.to_string();
            let Some(&known) = self.disk.get(&id) else {
                continue;
            };
            let path = p.document_path(&doc.id);
            let Ok(meta) = std::fs::metadata(&path) else {
                out.push(DiskChange {
                    index: i,
                    id: doc.id.clone(),
                    summary: "the file was deleted on disk".into(),
                });
                continue;
            };
            let stamp = (meta.len(), meta.modified().unwrap_or(std::time::UNIX_EPOCH));
            if self.seen.get(&id) == Some(&stamp) {
                continue;
            }
            let Ok(bytes) = crate::store::format::read_bounded(&path) else {
                continue;
            };
            self.seen.insert(id.clone(), stamp);
            if content_hash(&bytes) == known || d.keep_mine {
                continue;
            }
            let here = format!(
                "here: {} entities, {}",
                doc.spans().len(),
                doc.status().name()
            );
            let summary = match p.load_document(&doc.id) {
                Ok(theirs) => {
                    let differ = theirs
                        .spans()
                        .iter()
                        .filter(|s| doc.find_span(s.span, &s.label).is_none())
                        .count()
                        + doc
                            .spans()
                            .iter()
                            .filter(|s| theirs.find_span(s.span, &s.label).is_none())
                            .count();
                    format!(
                        "on disk: {} entities, {}; {here}; {differ} entities differ",
                        theirs.spans().len(),
                        theirs.status().name()
                    )
                }
                Err(e) => format!("the file on disk does not load ({e}); {here}"),
            };
            out.push(DiskChange {
                index: i,
                id: doc.id.clone(),
                summary,
            });
        }
        out
    }

    /// Replace document `i` with the version on disk (its undo history starts anew).
    pub fn reload_from_disk(&mut self, i: usize) -> Result<(), StoreError> {
        let (Some(p), Some(d)) = (&self.project, self.docs.get(i)) else {
            return Ok(());
        };
        let (doc, hash) = p.load_document_hashed(&d.summary.id)?;
        if let Some(hash) = hash {
            self.disk.insert(doc.id.to_string(), hash);
        }
        self.docs[i] = DocState::loaded(doc, false);
        self.revision += 1;
        self.groups.retain(|g| g.steps.iter().all(|&(j, _)| j != i));
        self.undone_groups
            .retain(|g| g.steps.iter().all(|&(j, _)| j != i));
        Ok(())
    }

    /// Keep this version of document `i` over the changed file: the next save overwrites it.
    pub fn keep_mine(&mut self, i: usize) {
        let (Some(p), Some(d)) = (&self.project, self.docs.get_mut(i)) else {
            return;
        };
        if let Ok(b) = crate::store::format::read_bounded(&p.document_path(&d.summary.id)) {
            self.disk.insert(d.summary.id.to_string(), content_hash(&b));
        }
        d.keep_mine = true;
    }
}
