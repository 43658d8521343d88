//! The working set behind the window: a project (saved or not), its documents with their undo
//! histories, and the one place where edits are applied.
//!
//! Every change to a document goes through [`Workspace::apply`] (or undo/redo), so the dirty flags
//! and autosave follow from the histories, and every change is also appended to the project's
//! journal (see `journal.rs`) before it counts. Label schema changes that touch spans (rename,
//! delete) are applied as ordinary edits to every affected document. The workspace remembers the
//! content hash of each file as last read or written: a file that changed on disk since is never
//! overwritten ([`StoreError::Conflict`]), and [`Workspace::changed_on_disk`] reports it. All
//! offsets are char offsets.

use super::formats::PendingDoc;
use super::import::Article;
use super::index::DocSummary;
use super::journal::{content_hash, Entry, Journal, Op};
use super::{Project, StoreError};
use crate::model::{
    DocId, Document, Edit, EditError, History, IdSource, Label, LabelSchema, Span, Status,
};
use crate::text::CharSpan;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

mod others;

/// The bundled sample article, opened when Tagwright starts with nothing else.
pub const SAMPLE_TEXT: &str = include_str!("../../assets/samples/xi-putin-call.txt");

/// The bundled sample as an article (see [`Workspace::article_document`]).
pub fn sample_article() -> Article {
    Article {
        name: "xi-putin-call".into(),
        title: "Xi tells Putin the road to Ukraine peace talks will not be smooth".into(),
        source: "assets/samples/xi-putin-call.txt".into(),
        text: SAMPLE_TEXT.to_string(),
        warnings: Vec::new(),
    }
}

/// One document of the workspace: its summary always, its text and annotations while loaded,
/// and its undo history.
#[derive(Debug, Clone)]
pub struct DocState {
    /// Title, status and counts, kept current after every edit (the document list reads these).
    pub summary: DocSummary,
    /// The document, when it is in memory (see [`Workspace::load`]).
    doc: Option<Document>,
    pub history: History,
    /// True when the document is not yet in any file (new or imported since the last save).
    pub unsaved_new: bool,
    /// The person chose to keep this version over a changed file: save it even if unedited.
    pub keep_mine: bool,
    /// When it was last loaded or used (a workspace-wide counter), for dropping far documents.
    used: u64,
}

impl DocState {
    fn loaded(doc: Document, unsaved_new: bool) -> DocState {
        DocState {
            summary: DocSummary::of(&doc),
            doc: Some(doc),
            history: History::new(),
            unsaved_new,
            keep_mine: false,
            used: 0,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.unsaved_new || self.keep_mine || self.history.is_dirty()
    }

    /// The document, if it is in memory.
    pub fn doc(&self) -> Option<&Document> {
        self.doc.as_ref()
    }

    /// A loaded document may be dropped from memory only when nothing would be lost: it is saved
    /// and has no undo history.
    fn droppable(&self) -> bool {
        self.doc.is_some() && !self.is_dirty() && self.history.undo_len() == 0
    }
}

/// Why a change to the label schema was refused, as a sentence for the person.
#[derive(Debug, thiserror::Error)]
pub enum LabelError {
    #[error("there is no label {0:?}")]
    NoSuchLabel(String),
    /// The index into the schema's labels that was given.
    #[error("no such label")]
    NoSuchIndex(usize),
    #[error("use rename to change a label's name")]
    NameChange,
    #[error(transparent)]
    Schema(#[from] crate::model::SchemaError),
    /// A document that uses the label could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A document refused the edit that carries the change over to its spans.
    #[error(transparent)]
    Edit(#[from] EditError),
}

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

/// How many unedited documents stay in memory besides the ones being worked on.
pub const KEEP_LOADED: usize = 32;

/// A document file that changed on disk while it was open.
#[derive(Debug, Clone, PartialEq)]
pub struct DiskChange {
    pub index: usize,
    pub id: DocId,
    /// What differs, in a sentence ("on disk: 12 entities, done; here: 10 entities, in progress").
    pub summary: String,
}

#[derive(Debug)]
pub struct Workspace {
    /// The folder on disk; `None` for a project that was never saved (articles opened directly).
    pub project: Option<Project>,
    pub name: String,
    pub schema: LabelSchema,
    /// Every document in project order. Only some are in memory; use [`Workspace::load`] or
    /// [`Workspace::doc`] for the annotations and [`DocState::summary`] for the list.
    pub docs: Vec<DocState>,
    /// The schema or document list changed since the manifest was written.
    manifest_dirty: bool,
    /// Documents that could not be read when the project was opened (path: reason). They are
    /// left alone on disk and never overwritten.
    pub unreadable: Vec<String>,
    /// What the last save took in from other processes (new documents, labels, conflicts), as
    /// a sentence for the person; taken by the window.
    pub merge_news: Option<String>,
    /// Every change since the last save, on disk (projects with a folder only).
    journal: Option<Journal>,
    /// The last journal write that failed (shown once by the window).
    pub journal_error: Option<String>,
    /// Changes found in the journal when the project was opened: offered for replay.
    pub recovered: Vec<Entry>,
    /// Content hash of each file as last read or written (document id; "" for the manifest).
    disk: HashMap<String, u64>,
    /// (length, modification time) of each document file when last checked, so unchanged files
    /// are not read again.
    seen: HashMap<String, (u64, std::time::SystemTime)>,
    /// Counter behind [`DocState::used`].
    clock: u64,
    /// Counter bumped by every change to any document (see [`Workspace::revision`]).
    revision: u64,
    /// The document on screen: never dropped from memory (see [`Workspace::set_current`]).
    current: Option<usize>,
    /// Project-wide edits (one gesture over several documents), for undoing them as one step.
    groups: Vec<Group>,
    /// Groups undone, newest last, for redo.
    undone_groups: Vec<Group>,
}

/// One gesture that changed several documents (e.g. "tag all occurrences"): each document got
/// one undo step, and undoing any of them undoes all of them.
#[derive(Debug, Clone, PartialEq)]
struct Group {
    /// (document index, length of its undo stack right after the step).
    steps: Vec<(usize, usize)>,
}

/// Seconds since the Unix epoch, now.
fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Workspace {
    /// An unsaved project with no documents.
    pub fn empty(name: &str, schema: LabelSchema) -> Workspace {
        Workspace {
            project: None,
            name: name.to_string(),
            schema,
            docs: Vec::new(),
            manifest_dirty: false,
            unreadable: Vec::new(),
            merge_news: None,
            journal: None,
            journal_error: None,
            recovered: Vec::new(),
            disk: HashMap::new(),
            seen: HashMap::new(),
            clock: 0,
            revision: 0,
            current: None,
            groups: Vec::new(),
            undone_groups: Vec::new(),
        }
    }

    /// Treat the current state as the starting point: a project that was just opened from
    /// files (or the sample) has nothing the person could lose until they edit it.
    pub fn mark_pristine(&mut self) {
        self.manifest_dirty = false;
        for d in &mut self.docs {
            d.unsaved_new = false;
            d.history.mark_saved();
        }
    }

    /// The document `i` if it is in memory (the current one always is, see [`Workspace::load`]).
    pub fn doc(&self, i: usize) -> Option<&Document> {
        self.docs.get(i)?.doc.as_ref()
    }

    /// Bring document `i` into memory (reading its file if needed) and return it. Documents far
    /// from the work are dropped again so memory stays bounded: at most [`KEEP_LOADED`] unedited
    /// documents stay besides edited ones.
    pub fn load(&mut self, i: usize) -> Result<&Document, StoreError> {
        self.ensure_loaded(i)?;
        self.docs[i]
            .doc
            .as_ref()
            .ok_or_else(|| StoreError::Invalid {
                path: PathBuf::from(&self.name),
                msg: format!("has no document number {}", i + 1),
            })
    }

    fn ensure_loaded(&mut self, i: usize) -> Result<(), StoreError> {
        self.clock += 1;
        let clock = self.clock;
        let Some(d) = self.docs.get_mut(i) else {
            return Err(StoreError::Invalid {
                path: PathBuf::from(&self.name),
                msg: format!("has no document number {}", i + 1),
            });
        };
        d.used = clock;
        if d.doc.is_some() {
            return Ok(());
        }
        let Some(p) = &self.project else {
            return Err(StoreError::Invalid {
                path: PathBuf::from(&self.name),
                msg: format!("lost document {} (it is in no file)", d.summary.id),
            });
        };
        let (doc, hash) = p.load_document_hashed(&d.summary.id)?;
        self.disk.insert(doc.id.to_string(), hash);
        d.summary = DocSummary::of(&doc);
        d.doc = Some(doc);
        self.evict(i);
        Ok(())
    }

    /// Drop the least recently used droppable documents beyond [`KEEP_LOADED`] (never `keep`).
    fn evict(&mut self, keep: usize) {
        let mut idle: Vec<(u64, usize)> = self
            .docs
            .iter()
            .enumerate()
            .filter(|(i, d)| *i != keep && Some(*i) != self.current && d.droppable())
            .map(|(i, d)| (d.used, i))
            .collect();
        if idle.len() <= KEEP_LOADED {
            return;
        }
        idle.sort_unstable();
        for &(_, i) in &idle[..idle.len() - KEEP_LOADED] {
            let d = &mut self.docs[i];
            d.doc = None;
            // A dropped document is read afresh next time, so its file is not watched meanwhile.
            self.disk.remove(d.summary.id.as_str());
            self.seen.remove(d.summary.id.as_str());
        }
    }

    /// Indices of the documents whose id or title contains `query` (ignoring case), from the
    /// summaries alone: no document is read.
    pub fn filter(&self, query: &str) -> Vec<usize> {
        let q = query.trim().to_lowercase();
        self.docs
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                q.is_empty()
                    || d.summary.id.as_str().contains(&q)
                    || d.summary.title.to_lowercase().contains(&q)
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// A number that changes whenever any document's annotations change (edit, undo, redo,
    /// reload), so the window can keep per-frame caches until then.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The document the person is looking at: it stays in memory while others load and go.
    pub fn set_current(&mut self, i: usize) {
        self.current = Some(i);
    }

    /// How many documents are in memory.
    pub fn loaded_count(&self) -> usize {
        self.docs.iter().filter(|d| d.doc.is_some()).count()
    }

    /// A snapshot of every document for work off the UI thread (search, export, learning...):
    /// documents in memory are copied (their texts are shared), the others are read from disk
    /// when asked for.
    pub fn source(&self) -> DocSource {
        DocSource {
            project: self.project.clone(),
            schema: self.schema.clone(),
            docs: self
                .docs
                .iter()
                .map(|d| (d.summary.clone(), d.doc.clone()))
                .collect(),
        }
    }

    /// Open a project folder with the summary of every document (from the index cache where
    /// files are unchanged; see `index.rs`). No document is kept in memory until it is loaded.
    /// Documents that fail to read are listed in [`Workspace::unreadable`] and left untouched.
    pub fn open(root: &Path) -> Result<Workspace, StoreError> {
        let project = Project::open(root)?;
        let mut docs = Vec::with_capacity(project.ids().len());
        let mut unreadable = Vec::new();
        for r in super::index::summaries(&project) {
            match r {
                Ok(summary) => docs.push(DocState {
                    summary,
                    doc: None,
                    history: History::new(),
                    unsaved_new: false,
                    keep_mine: false,
                    used: 0,
                }),
                Err(e) => unreadable.push(e.to_string()),
            }
        }
        let mut disk = HashMap::new();
        if let Ok(b) = super::format::read_bounded(&root.join(super::MANIFEST)) {
            disk.insert(String::new(), content_hash(&b));
        }
        let (recovered, journal_error) = match Journal::read(root) {
            Ok(r) => (r, None),
            Err(e) => (
                Vec::new(),
                Some(format!(
                    "The journal of unsaved edits could not be read ({e}); it was left as it is."
                )),
            ),
        };
        let mut w = Workspace::empty(&project.name, project.schema.clone());
        w.project = Some(project);
        w.docs = docs;
        w.unreadable = unreadable;
        w.journal = journal_error.is_none().then(|| Journal::new(root));
        w.journal_error = journal_error;
        w.recovered = recovered;
        w.disk = disk;
        Ok(w)
    }

    /// Read article and dataset files against this workspace's schema, all of them before any is
    /// added (all or nothing). The documents come under placeholder ids, without suggestions
    /// unless their file brought some: the caller pre-annotates them, then adds them with
    /// [`Workspace::add_pending`]. Also returns the importers' warnings.
    pub fn read_files(
        &self,
        paths: &[PathBuf],
    ) -> Result<(Vec<PendingDoc>, Vec<String>), StoreError> {
        let mut ready = Vec::new();
        let mut warnings = Vec::new();
        for p in paths {
            let (docs, w) = super::formats::import_path(p, None)?;
            warnings.extend(w);
            for d in docs {
                let doc = d
                    .into_pending(&self.schema)
                    .map_err(|source| StoreError::ImportDoc {
                        path: p.clone(),
                        source,
                    })?;
                ready.push(doc);
            }
        }
        Ok((ready, warnings))
    }

    /// Add documents read with [`Workspace::read_files`], in order, each with a fresh id made from
    /// its id source.
    pub fn add_pending(&mut self, docs: Vec<PendingDoc>) {
        for PendingDoc {
            id_source, mut doc, ..
        } in docs
        {
            doc.id = self.fresh_id(&id_source);
            self.push_new(doc);
        }
    }

    /// A new document for a decoded article, with a fresh id and no suggestions yet (the caller
    /// adds them, then the document with [`Workspace::push_new`], before the next one is made).
    pub fn article_document(&self, article: Article) -> Document {
        let id = self.fresh_id(&IdSource::Name(article.name));
        Document::new(id, &article.title, &article.source, article.text)
    }

    /// Record a change in the journal (when there is one). A failed write is kept for the window
    /// to report; the change itself stands.
    fn log(&mut self, doc: &str, op: Op) {
        if let Some(j) = &mut self.journal {
            let base = self.disk.get(doc).copied().unwrap_or(0);
            if let Err(e) = j.append(&Entry {
                doc: doc.to_string(),
                base,
                op,
            }) {
                self.journal_error = Some(format!(
                    "Edits since the last save are not protected against a crash: {e}"
                ));
            }
        }
    }

    fn set_schema(&mut self, schema: LabelSchema) {
        self.schema = schema;
        self.manifest_dirty = true;
        self.log("", Op::Schema(self.schema.clone()));
    }

    /// Add an already built document (e.g. from a background import).
    pub fn push_new(&mut self, mut doc: Document) {
        if self.docs.iter().any(|d| d.summary.id == doc.id) {
            doc.id = self.fresh_id(&IdSource::Given(doc.id.to_string()));
        }
        let file = Box::new(super::format::DocumentFile::from_document(&doc));
        self.log(doc.id.as_str(), Op::NewDoc(file));
        self.docs.push(DocState::loaded(doc, true));
        self.manifest_dirty = true;
    }

    /// A new id `NNNN-slug` (see [`IdSource`]) not used by any open document or file.
    pub fn fresh_id(&self, source: &IdSource) -> DocId {
        let taken: std::collections::HashSet<DocId> =
            self.docs.iter().map(|d| d.summary.id.clone()).collect();
        match &self.project {
            Some(p) => p.new_id(source, &taken),
            None => source.pick(taken.len() + 1, |id| !taken.contains(id)),
        }
    }

    /// Index of the document with this id.
    pub fn position(&self, id: &DocId) -> Option<usize> {
        self.docs.iter().position(|d| &d.summary.id == id)
    }

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
                    let path = PathBuf::from(super::journal::JOURNAL);
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
            let Ok(bytes) = super::format::read_bounded(&path) else {
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
        self.disk.insert(doc.id.to_string(), hash);
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
        if let Ok(b) = super::format::read_bounded(&p.document_path(&d.summary.id)) {
            self.disk.insert(d.summary.id.to_string(), content_hash(&b));
        }
        d.keep_mine = true;
    }

    /// Drop the journal found when the project was opened.
    pub fn discard_recovered(&mut self) -> Result<(), StoreError> {
        self.recovered.clear();
        match &mut self.journal {
            Some(j) => j.clear(),
            None => Ok(()),
        }
    }

    /// The edit that tags `span` with `label`: pending suggestions overlapping it are dropped in
    /// the same step (the person's decision replaces them), and a document still "todo" becomes
    /// "in progress". `None` when document `i` is not in memory.
    pub fn tag_edit(&self, i: usize, span: CharSpan, label: &str) -> Option<Edit> {
        let d = self.doc(i)?;
        let mut edits: Vec<Edit> = d
            .suggestions()
            .iter()
            .filter(|s| s.span.overlaps(span))
            .map(|s| Edit::RemoveSuggestion {
                span: s.span,
                label: s.label.clone(),
            })
            .collect();
        edits.push(Edit::AddSpan(Span::manual(span.start.0, span.end.0, label)));
        if d.status() == Status::Todo {
            edits.push(Edit::SetStatus(Status::InProgress));
        }
        Some(Edit::Batch(edits))
    }

    /// Wrap a reviewing edit so that a "todo" document becomes "in progress" in the same step.
    pub fn with_progress(&self, i: usize, edit: Edit) -> Edit {
        match self.docs.get(i) {
            Some(d) if d.summary.status == Status::Todo => {
                Edit::Batch(vec![edit, Edit::SetStatus(Status::InProgress)])
            }
            _ => edit,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.manifest_dirty || self.docs.iter().any(DocState::is_dirty)
    }

    pub fn dirty_count(&self) -> usize {
        self.docs.iter().filter(|d| d.is_dirty()).count()
    }

    pub fn root(&self) -> Option<&Path> {
        self.project.as_ref().map(|p| p.root())
    }

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
                d.history.mark_saved();
            } else if d.history.is_dirty() || d.keep_mine {
                let Some(doc) = &d.doc else { continue };
                let id = doc.id.to_string();
                let path = project.document_path(&doc.id);
                let on_disk = super::format::read_bounded(&path)
                    .ok()
                    .map(|b| content_hash(&b));
                if !d.keep_mine && on_disk.is_some() && on_disk != self.disk.get(&id).copied() {
                    conflicts.push(path);
                    continue;
                }
                d.keep_mine = false;
                let bytes = project.save_document(doc)?;
                self.disk.insert(id, content_hash(bytes.as_bytes()));
                d.history.mark_saved();
                saved.push(i);
                written += 1;
            }
        }
        super::index::record(
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
        if let Ok(b) = super::format::read_bounded(&root.join(super::MANIFEST)) {
            self.disk.insert(String::new(), content_hash(&b));
        }
        for d in &mut self.docs {
            d.unsaved_new = false;
            d.history.mark_saved();
        }
        Ok(())
    }

    /// Documents marked done.
    pub fn done_count(&self) -> usize {
        self.docs
            .iter()
            .filter(|d| d.summary.status == Status::Done)
            .count()
    }

    // ---- Label schema ----

    /// Add a label with the next free colour and key.
    pub fn add_label(&mut self, name: &str) -> Result<(), LabelError> {
        let schema = self.schema.with_label(name)?;
        self.set_schema(schema);
        Ok(())
    }

    /// Change colour, key or description of a label (not its name).
    pub fn update_label(&mut self, index: usize, label: Label) -> Result<(), LabelError> {
        let mut schema = self.schema.clone();
        let Some(slot) = schema.labels.get_mut(index) else {
            return Err(LabelError::NoSuchIndex(index));
        };
        if slot.name != label.name {
            return Err(LabelError::NameChange);
        }
        *slot = label;
        schema.validate()?;
        self.set_schema(schema);
        Ok(())
    }

    /// Documents that may hold `label`: those in memory plus, for the others, whatever the file
    /// holds (read one at a time; documents that use the label are then kept, being edited).
    fn docs_using(&self, label: &str) -> Vec<usize> {
        let source = self.source();
        (0..self.docs.len())
            .filter(|&i| {
                source.get(i).is_ok_and(|d| {
                    d.spans().iter().any(|s| s.label == label)
                        || d.suggestions().iter().any(|s| s.label == label)
                })
            })
            .collect()
    }

    /// Rename a label and every span, suggestion and rejection that uses it. Each affected
    /// document gets one undo step.
    pub fn rename_label(&mut self, old: &str, new: &str) -> Result<(), LabelError> {
        let new = new.trim();
        if old == new {
            return Ok(());
        }
        let Some(pos) = self.schema.labels.iter().position(|l| l.name == old) else {
            return Err(LabelError::NoSuchLabel(old.to_string()));
        };
        let mut schema = self.schema.clone();
        schema.labels[pos].name = new.to_string();
        schema.validate()?;
        // Both names are valid while the spans move over.
        let mut both = self.schema.clone();
        both.labels.push(schema.labels[pos].clone());
        if let Some(l) = both.labels.last_mut() {
            l.key = None;
        }
        let before = self.schema.clone();
        self.set_schema(both);
        for i in self.docs_using(old) {
            let d = self.load(i)?;
            let mut edits: Vec<Edit> = d
                .spans()
                .iter()
                .filter(|s| s.label == old)
                .map(|s| Edit::Relabel {
                    span: s.span,
                    from: old.to_string(),
                    to: new.to_string(),
                })
                .collect();
            let sugg: Vec<_> = d
                .suggestions()
                .iter()
                .map(|s| {
                    let mut s = s.clone();
                    if s.label == old {
                        s.label = new.to_string();
                    }
                    s
                })
                .collect();
            if d.suggestions().iter().any(|s| s.label == old) {
                edits.push(Edit::ReplaceSuggestions(sugg));
            }
            if !edits.is_empty() {
                if let Err(e) = self.apply(i, &Edit::Batch(edits)) {
                    self.set_schema(before);
                    return Err(e.into());
                }
            }
        }
        self.set_schema(schema);
        Ok(())
    }

    /// How many spans in all documents use `label` (documents not in memory are read).
    pub fn label_usage(&self, label: &str) -> usize {
        let source = self.source();
        (0..source.len())
            .filter_map(|i| source.get(i).ok())
            .map(|d| d.spans().iter().filter(|s| s.label == label).count())
            .sum()
    }

    /// Delete a label, removing its spans and pending suggestions (one undo step per document).
    pub fn delete_label(&mut self, name: &str) -> Result<(), LabelError> {
        if !self.schema.contains(name) {
            return Err(LabelError::NoSuchLabel(name.to_string()));
        }
        for i in self.docs_using(name) {
            let d = self.load(i)?;
            let mut edits: Vec<Edit> = d
                .spans()
                .iter()
                .filter(|s| s.label == name)
                .map(|s| Edit::RemoveSpan {
                    span: s.span,
                    label: s.label.clone(),
                })
                .collect();
            edits.extend(d.suggestions().iter().filter(|s| s.label == name).map(|s| {
                Edit::RemoveSuggestion {
                    span: s.span,
                    label: s.label.clone(),
                }
            }));
            if !edits.is_empty() {
                self.apply(i, &Edit::Batch(edits))?;
            }
        }
        let mut schema = self.schema.clone();
        schema.labels.retain(|l| l.name != name);
        self.set_schema(schema);
        Ok(())
    }
}

/// Every document of a workspace at one moment, for work off the UI thread: documents that were
/// in memory are copies, the others are read from the project folder on [`DocSource::get`].
#[derive(Debug, Clone)]
pub struct DocSource {
    project: Option<Project>,
    pub schema: LabelSchema,
    docs: Vec<(DocSummary, Option<Document>)>,
}

impl DocSource {
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Document `i`: the copy taken with the snapshot, or read from disk now.
    pub fn get(&self, i: usize) -> Result<Document, StoreError> {
        match (self.docs.get(i), &self.project) {
            (Some((_, Some(d))), _) => Ok(d.clone()),
            (Some((s, None)), Some(p)) => p.load_document(&s.id),
            _ => Err(StoreError::Invalid {
                path: PathBuf::from("project"),
                msg: format!("has no document number {}", i + 1),
            }),
        }
    }

    /// Indices of the documents whose summary passes `keep`.
    pub fn select(&self, keep: impl Fn(&DocSummary) -> bool) -> Vec<usize> {
        (0..self.docs.len())
            .filter(|&i| keep(&self.docs[i].0))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A saved project of `n` small documents, each mentioning Moscow once.
    fn project_of(dir: &Path, n: usize) -> PathBuf {
        let root = dir.join("p");
        let mut w = Workspace::empty("p", LabelSchema::news());
        for i in 0..n {
            w.push_new(Document::new(
                DocId::new(&format!("d{i:03}")).unwrap(),
                &format!("Article {i}"),
                "",
                format!("Xi met Putin in Moscow. Story {i}."),
            ));
        }
        w.save_as(&root).unwrap();
        root
    }

    #[test]
    fn documents_load_on_demand_and_far_ones_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let root = project_of(dir.path(), KEEP_LOADED + 20);
        let mut w = Workspace::open(&root).unwrap();
        assert_eq!(w.loaded_count(), 0, "opening reads summaries only");
        assert_eq!(w.docs[7].summary.title, "Article 7");
        assert_eq!(w.filter("article 1").len(), 11, "1 and 10..=19");

        // An edited document stays in memory however far the person goes.
        let moscow = CharSpan::new(16, 22).unwrap();
        assert_eq!(w.load(3).unwrap().slice(moscow), Some("Moscow"));
        let e = w.tag_edit(3, moscow, "LOC").unwrap();
        w.apply(3, &e).unwrap();
        assert_eq!(w.docs[3].summary.spans, 1, "the summary follows edits");
        assert_eq!(w.docs[3].summary.status, Status::InProgress);
        for i in 0..w.docs.len() {
            w.load(i).unwrap();
        }
        // The cap, plus the edited document, plus the one just opened.
        assert_eq!(
            w.loaded_count(),
            KEEP_LOADED + 2,
            "unedited ones beyond the cap are dropped"
        );
        assert!(w.doc(3).is_some());
        assert!(w.doc(0).is_none(), "the least recently used went first");
        // Saving writes only the edited document.
        let before = std::fs::metadata(root.join("documents/d000.ron"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(w.save().unwrap(), 1);
        let after = std::fs::metadata(root.join("documents/d000.ron"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        let mut again = Workspace::open(&root).unwrap();
        assert_eq!(
            again.docs[3].summary.spans, 1,
            "the index cache saw the saved file change"
        );
        assert_eq!(again.load(3).unwrap().spans()[0].label, "LOC");
        // Label usage and snapshots read documents that are not in memory.
        assert_eq!(again.label_usage("LOC"), 1);
        let src = again.source();
        assert_eq!(src.get(40).unwrap().title, "Article 40");
    }

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
}
