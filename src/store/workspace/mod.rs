//! The working set behind the window: a project (saved or not), its documents with their undo
//! histories, and the one place where edits are applied.
//!
//! Every change to a document goes through [`Workspace::apply`] (or undo/redo), so the dirty flags
//! and autosave follow from the histories, and every change is also appended to the project's
//! journal (see `journal.rs`) before it counts. Label schema changes that touch spans (rename,
//! delete) are applied as ordinary edits to every affected document. The workspace remembers the
//! content hash of each file as last read or written: a file that changed on disk since is never
//! overwritten ([`StoreError::Conflict`]), and [`Workspace::changed_on_disk`] reports it. All
//! offsets are char offsets (Unicode code points, end-exclusive).
//!
//! Rooms: this file holds the documents (loading on demand, dropping far ones, adding new ones);
//! `edits.rs` applies edits and undoes them, `labels.rs` changes the label schema, `save.rs` saves
//! and recovers from the journal, `disk.rs` and `others.rs` take in what other processes changed.
//! Like all of `store`, it never runs the extractor: new documents come with the suggestions the
//! caller computed (see `crate::session::preannotate`).

use super::formats::PendingDoc;
use super::import::Article;
use super::index::DocSummary;
use super::journal::{content_hash, Entry, Journal, Op};
use super::{Project, StoreError};
use crate::model::{
    Annotator, DocId, Document, Edit, History, IdSource, LabelSchema, Origin, Span, Status,
};
use crate::text::CharSpan;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

mod disk;
mod edits;
mod labels;
mod others;
mod save;

pub use disk::DiskChange;
pub use labels::LabelError;
pub use save::RecoveryError;

/// The bundled sample article, opened when Tagwright starts with nothing else.
pub const SAMPLE_TEXT: &str = include_str!("../../../assets/samples/xi-putin-call.txt");

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
    /// Active time was added since the last save. Saved with the document, but not a change
    /// that asks "save?" or can be undone.
    pub time_dirty: bool,
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
            time_dirty: false,
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
        self.doc.is_some() && !self.is_dirty() && !self.time_dirty && self.history.undo_len() == 0
    }
}

/// How many unedited documents stay in memory besides the ones being worked on.
pub const KEEP_LOADED: usize = 32;

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
        if let Some(hash) = hash {
            self.disk.insert(doc.id.to_string(), hash);
        }
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
        Workspace::open_as(root, None)
    }

    /// [`Workspace::open`] on `who`'s layer (`None`: the main layer; see `store::layers`).
    pub fn open_as(root: &Path, who: Option<Annotator>) -> Result<Workspace, StoreError> {
        let mut project = Project::open(root)?;
        project.set_layer(who);
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
                    time_dirty: false,
                    used: 0,
                }),
                Err(e) => unreadable.push(e.to_string()),
            }
        }
        let mut disk = HashMap::new();
        if let Ok(b) = super::format::read_bounded(&root.join(super::MANIFEST)) {
            disk.insert(String::new(), content_hash(&b));
        }
        let journal_path = project.journal_path();
        let (recovered, journal_error) = match Journal::read_at(&journal_path) {
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
        w.journal = journal_error.is_none().then(|| Journal::at(journal_path));
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

    /// The edit that tags `span` with `label`: pending suggestions overlapping it are dropped in
    /// the same step (the person's decision replaces them), and a document still "todo" becomes
    /// "in progress". `None` when document `i` is not in memory.
    pub fn tag_edit(&self, i: usize, span: CharSpan, label: &str) -> Option<Edit> {
        self.tag_edit_as(i, span, label, Origin::Manual)
    }

    /// [`Workspace::tag_edit`] for a span of the given origin (a suggestion accepted with another
    /// label is [`Origin::Corrected`]).
    pub fn tag_edit_as(
        &self,
        i: usize,
        span: CharSpan,
        label: &str,
        origin: Origin,
    ) -> Option<Edit> {
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
        edits.push(Edit::AddSpan(Span {
            origin,
            ..Span::manual(span.start.0, span.end.0, label)
        }));
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

    /// Add active annotation time to document `i` (when it is in memory). Saved with the next
    /// save; neither an edit nor a reason to ask "save?".
    pub fn add_active_time(&mut self, i: usize, ms: u64) {
        if let Some(d) = self.docs.get_mut(i) {
            if let Some(doc) = d.doc.as_mut() {
                doc.set_active_ms(doc.active_ms().saturating_add(ms));
                d.time_dirty = true;
            }
        }
    }

    /// Documents with active time not yet saved.
    pub fn unsaved_time(&self) -> usize {
        self.docs.iter().filter(|d| d.time_dirty).count()
    }

    pub fn dirty_count(&self) -> usize {
        self.docs.iter().filter(|d| d.is_dirty()).count()
    }

    pub fn root(&self) -> Option<&Path> {
        self.project.as_ref().map(|p| p.root())
    }

    /// Documents marked done.
    pub fn done_count(&self) -> usize {
        self.docs
            .iter()
            .filter(|d| d.summary.status == Status::Done)
            .count()
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
    pub(super) fn project_of(dir: &Path, n: usize) -> PathBuf {
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
}
