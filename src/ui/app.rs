//! The eframe `App`: state, panels, and the dispatch of commands and gestures.
//!
//! All changes to documents go through `Workspace::apply`/`undo`/`redo`; this file only decides
//! which edit a gesture means.

use super::commands::{key_for_char, Command};
use super::dialogs::{DialogKind, Dialogs};
use super::text_view::{self, Gesture, TextViewState, ViewInput};
use crate::extract::Pipeline;
use crate::model::{Edit, LabelSchema, Origin, Status};
use crate::store::Workspace;
use crate::text::{CharSpan, Tokens};
use egui::{Color32, RichText, Ui};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What is selected in the article (char offsets).
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Selection {
    #[default]
    None,
    /// A text range, not yet an entity.
    Range(CharSpan),
    /// A confirmed entity (span, label).
    Span(CharSpan, String),
    /// A pending suggestion (span, label).
    Suggestion(CharSpan, String),
}

/// What persists between runs (besides window size, which eframe keeps).
#[derive(serde::Serialize, serde::Deserialize, Default, Clone)]
struct Persisted {
    dark: bool,
    recent: Vec<PathBuf>,
}

const STORAGE_KEY: &str = "tagwright";

/// Messages from a background import.
enum JobMsg {
    /// An imported, pre-annotated document (its id is assigned on the UI thread) and its warnings.
    Doc(
        crate::model::IdSource,
        Box<crate::model::Document>,
        Vec<String>,
    ),
    /// Fresh suggestions for the document with this id.
    Suggestions(crate::model::DocId, Vec<crate::model::Suggestion>),
    /// One more input file finished.
    Progress,
    /// An export finished: its summary, or why it failed.
    Exported(Result<String, String>),
    /// A model learned from the documents marked done.
    Trained(Box<crate::extract::tagger::model::Model>),
    Failed(String),
}

/// The export form.
struct ExportForm {
    format: crate::store::formats::Format,
    path: String,
    only_done: bool,
    include_suggestions: bool,
    scheme: crate::model::Scheme,
}

/// Work running off the UI thread, with progress and a cancel flag.
struct Job {
    what: String,
    done: usize,
    total: usize,
    cancel: Arc<std::sync::atomic::AtomicBool>,
    rx: std::sync::mpsc::Receiver<JobMsg>,
}

pub mod corpus;
pub use corpus::CorpusUi;

/// (current document, workspace revision): when cached counts of the current document are valid.
type CountsKey = (usize, u64);

fn find_box_id() -> egui::Id {
    egui::Id::unique("tagwright-find-box")
}
const AUTOSAVE_EVERY: Duration = Duration::from_secs(5);

pub struct TagwrightApp {
    pub ws: Workspace,
    pipeline: Arc<Pipeline>,
    pub cur: usize,
    pub sel: Selection,
    tokens: Option<(String, Tokens)>,
    view: TextViewState,
    scroll_to: Option<CharSpan>,
    filter: String,
    /// The document list under the current filter: ((filter, document count), indices).
    listed: Option<((String, usize), Vec<usize>)>,
    /// Entities per label of the current document at ((document, revision)).
    label_counts: Option<(CountsKey, Vec<(String, usize)>)>,
    /// Char-offset index of the current document's text: (document id + text hash, index).
    text_index: Option<(String, crate::text::TextIndex)>,
    /// The document that failed to load last (not retried every frame).
    load_failed: Option<usize>,
    find_open: bool,
    find: String,
    find_hits: Vec<CharSpan>,
    find_for: (String, String),
    pub status: String,
    pub error: Option<String>,
    persisted: Persisted,
    dialogs: Dialogs,
    path_prompt: Option<(DialogKind, String, bool)>,
    last_save: Option<Instant>,
    last_autosave_try: Instant,
    help_open: bool,
    confirm_close: bool,
    allow_close: bool,
    confirm_delete: Option<String>,
    accept_label: Option<String>,
    accept_min: f32,
    note_buf: (Option<(CharSpan, String)>, String),
    new_label: String,
    rename_buf: Vec<String>,
    theme_applied: Option<bool>,
    first_frame_from: Option<Instant>,
    job: Option<Job>,
    export_form: Option<ExportForm>,
    disk_changes: Vec<crate::store::workspace::DiskChange>,
    /// What another process changed in the project file (documents added, labels merged,
    /// conflicts), shown in the "Project changed on disk" window until acknowledged.
    pub project_news: Option<String>,
    last_disk_check: Instant,
    /// The command palette: query and highlighted row.
    palette: Option<(String, usize)>,
    /// Project search, consistency and statistics windows.
    pub corpus: corpus::CorpusUi,
}

impl TagwrightApp {
    /// Build the app for eframe: restores settings and opens `paths` (or the sample).
    pub fn new(cc: &eframe::CreationContext<'_>, paths: Vec<PathBuf>) -> TagwrightApp {
        let persisted: Persisted = cc
            .storage
            .and_then(|s| eframe::get_value(s, STORAGE_KEY))
            .unwrap_or_default();
        let mut app = TagwrightApp::with_paths(paths);
        app.persisted = persisted;
        app
    }

    /// Build without eframe storage (tests, benches).
    pub fn with_paths(paths: Vec<PathBuf>) -> TagwrightApp {
        let pipeline = Arc::new(match paths.first() {
            Some(p) if paths.len() == 1 && p.is_dir() => crate::preannotate::project_pipeline(p).0,
            _ => Pipeline::news(),
        });
        let mut error = None;
        let ws = if paths.is_empty() {
            crate::preannotate::sample_workspace(&pipeline)
        } else if paths.len() == 1 && paths[0].is_dir() {
            match Workspace::open(&paths[0]) {
                Ok(w) => w,
                Err(e) => {
                    error = Some(e.to_string());
                    Workspace::empty("untitled", LabelSchema::news())
                }
            }
        } else {
            match crate::preannotate::open_articles(&paths, &pipeline) {
                Ok((w, _)) => w,
                Err(e) => {
                    error = Some(e.to_string());
                    Workspace::empty("untitled", LabelSchema::news())
                }
            }
        };
        let mut app = TagwrightApp {
            ws,
            pipeline,
            cur: 0,
            sel: Selection::None,
            tokens: None,
            view: TextViewState::default(),
            scroll_to: None,
            filter: String::new(),
            listed: None,
            load_failed: None,
            text_index: None,
            label_counts: None,
            find_open: false,
            find: String::new(),
            find_hits: Vec::new(),
            find_for: (String::new(), String::new()),
            status: String::new(),
            error,
            persisted: Persisted::default(),
            dialogs: Dialogs::default(),
            path_prompt: None,
            last_save: None,
            last_autosave_try: Instant::now(),
            help_open: false,
            confirm_close: false,
            allow_close: false,
            confirm_delete: None,
            accept_label: None,
            accept_min: 0.0,
            note_buf: (None, String::new()),
            new_label: String::new(),
            rename_buf: Vec::new(),
            theme_applied: None,
            first_frame_from: None,
            job: None,
            export_form: None,
            disk_changes: Vec::new(),
            project_news: None,
            last_disk_check: Instant::now(),
            palette: None,
            corpus: Default::default(),
        };
        if !app.ws.unreadable.is_empty() {
            app.error = Some(format!(
                "Some documents could not be opened and were left as they are on disk:\n{}",
                app.ws.unreadable.join("\n")
            ));
        }
        if let Some(root) = app.ws.root().map(Path::to_path_buf) {
            app.remember(root);
        }
        app
    }

    fn remember(&mut self, root: PathBuf) {
        let root = std::fs::canonicalize(&root).unwrap_or(root);
        self.persisted.recent.retain(|p| p != &root);
        self.persisted.recent.insert(0, root);
        self.persisted.recent.truncate(10);
    }

    fn doc(&self) -> Option<&crate::model::Document> {
        self.ws.doc(self.cur)
    }

    fn tokens(&mut self) -> Option<&Tokens> {
        let d = self.ws.doc(self.cur)?;
        let key = text_view::doc_key(d);
        if self.tokens.as_ref().is_none_or(|(k, _)| *k != key) {
            self.tokens = Some((key, d.tokens()));
        }
        self.tokens.as_ref().map(|(_, t)| t)
    }

    /// Set the document list's filter (what typing in the filter box does).
    pub fn set_filter(&mut self, text: &str) {
        self.filter = text.to_string();
    }

    /// Entities per label in the current document, counted again only after a change.
    fn label_counts(&mut self) -> &[(String, usize)] {
        let key = (self.cur, self.ws.revision());
        if self.label_counts.as_ref().is_some_and(|(k, _)| *k != key) {
            self.label_counts = None;
        }
        let doc = self.ws.doc(self.cur);
        &self
            .label_counts
            .get_or_insert_with(|| {
                // A handful of labels: a short list beats hashing every span's label.
                let mut m: Vec<(String, usize)> = Vec::new();
                for s in doc.map_or(&[][..], |d| d.spans()) {
                    match m.iter_mut().find(|(l, _)| *l == s.label) {
                        Some((_, n)) => *n += 1,
                        None => m.push((s.label.clone(), 1)),
                    }
                }
                (key, m)
            })
            .1
    }

    /// Apply an edit to the current document, reporting a refusal in the status bar.
    pub fn edit(&mut self, edit: Edit) -> bool {
        match self.ws.apply(self.cur, &edit) {
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

    /// Select a text range (from the mouse or a test), snapped to tokens unless `exact`.
    pub fn select_range(&mut self, range: CharSpan, exact: bool) {
        let r = if exact {
            // Exact, but never half a character.
            self.ws
                .doc(self.cur)
                .and_then(|d| crate::text::offsets::snap_to_clusters(d.text(), range))
                .unwrap_or(range)
        } else {
            self.tokens().map_or(range, |t| t.snap(range))
        };
        self.sel = if r.is_empty() {
            Selection::None
        } else {
            Selection::Range(r)
        };
    }

    /// Press of a label key: tag the selected range, relabel the selected entity, or accept the
    /// selected suggestion with this label.
    pub fn apply_label(&mut self, label: &str) {
        match self.sel.clone() {
            Selection::Range(r) => {
                if let Some(e) = self.ws.tag_edit(self.cur, r, label) {
                    if self.edit(e) {
                        self.sel = Selection::Span(r, label.to_string());
                    }
                }
            }
            Selection::Span(s, from) if from != label => {
                let e = self.ws.with_progress(
                    self.cur,
                    Edit::Relabel {
                        span: s,
                        from,
                        to: label.to_string(),
                    },
                );
                if self.edit(e) {
                    self.sel = Selection::Span(s, label.to_string());
                }
            }
            Selection::Suggestion(s, l) => {
                let e = if l == label {
                    Edit::AcceptSuggestion { span: s, label: l }
                } else {
                    match self.ws.tag_edit(self.cur, s, label) {
                        Some(e) => e,
                        None => return,
                    }
                };
                let e = self.ws.with_progress(self.cur, e);
                if self.edit(e) {
                    self.sel = Selection::Span(s, label.to_string());
                }
            }
            _ => self.status = "Select some text first, then press a label key".into(),
        }
    }

    fn select_suggestion(&mut self, forward: bool) {
        let Some(d) = self.doc() else { return };
        let here = match &self.sel {
            Selection::Range(r) | Selection::Span(r, _) | Selection::Suggestion(r, _) => {
                Some(r.start)
            }
            Selection::None => None,
        };
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
                self.sel = Selection::Suggestion(p.span, p.label.clone());
                self.scroll_to = Some(p.span);
            }
            None => self.status = "No pending suggestions in this document".into(),
        }
    }

    fn move_boundary(&mut self, end: bool, dir: i32) {
        let Selection::Span(s, l) = self.sel.clone() else {
            self.status = "Select an entity to move its boundaries".into();
            return;
        };
        let Some(to) = self.tokens().and_then(|t| t.move_boundary(s, end, dir)) else {
            return;
        };
        let e = self.ws.with_progress(
            self.cur,
            Edit::Resize {
                label: l.clone(),
                from: s,
                to,
            },
        );
        if self.edit(e) {
            self.sel = Selection::Span(to, l);
        }
    }

    /// The current document is always in memory (a newly opened project has none loaded; a
    /// document that cannot be read moves the view to the next readable one).
    fn ensure_current(&mut self) {
        if self.cur >= self.ws.docs.len() {
            self.cur = self.ws.docs.len().saturating_sub(1);
        }
        self.ws.set_current(self.cur);
        while self.cur < self.ws.docs.len()
            && self.ws.doc(self.cur).is_none()
            && self.load_failed != Some(self.cur)
        {
            match self.ws.load(self.cur) {
                Ok(_) => break,
                Err(e) => {
                    self.error = Some(format!("Could not open a document: {e}"));
                    self.load_failed = Some(self.cur);
                    if self.cur + 1 >= self.ws.docs.len() {
                        break;
                    }
                    self.cur += 1;
                }
            }
        }
    }

    /// Show document `i` (reading it from disk if it is not in memory).
    fn go_to(&mut self, i: usize) {
        if i >= self.ws.docs.len() || (i == self.cur && self.ws.doc(i).is_some()) {
            return;
        }
        if let Err(e) = self.ws.load(i) {
            self.error = Some(format!("Could not open that document: {e}"));
            return;
        }
        self.cur = i;
        self.ws.set_current(i);
        self.sel = Selection::None;
        self.find_for = Default::default();
    }

    /// Run a command (from a shortcut, a menu or the palette).
    pub fn run(&mut self, cmd: Command, ctx: &egui::Context) {
        match cmd {
            Command::NewProject => {
                if self.ws.is_dirty() && self.ws.project.is_some() {
                    self.try_save();
                }
                self.ws = Workspace::empty("untitled", LabelSchema::news());
                self.cur = 0;
                self.sel = Selection::None;
                self.status = "New project: import articles to begin".into();
            }
            Command::OpenProject => self.dialogs.start(
                DialogKind::OpenProject,
                self.ws.root().map(Path::to_path_buf),
                ctx.clone(),
            ),
            Command::ImportArticles => self.dialogs.start(DialogKind::Import, None, ctx.clone()),
            Command::Export => {
                // Beside the project folder, never inside it (an export there is refused).
                let root = self.ws.root().map(Path::to_path_buf);
                let dir = root
                    .as_deref()
                    .and_then(Path::parent)
                    .filter(|p| !p.as_os_str().is_empty())
                    .map(Path::to_path_buf)
                    .unwrap_or_else(std::env::temp_dir);
                let stem = root
                    .as_deref()
                    .and_then(Path::file_name)
                    .map_or("export".into(), |n| {
                        format!("{}-export", n.to_string_lossy())
                    });
                self.export_form = Some(ExportForm {
                    format: crate::store::formats::Format::Jsonl,
                    path: dir.join(format!("{stem}.jsonl")).display().to_string(),
                    only_done: false,
                    include_suggestions: false,
                    scheme: crate::model::Scheme::Iob2,
                });
            }
            Command::Save => {
                if self.ws.project.is_some() {
                    self.try_save();
                } else {
                    self.dialogs.start(DialogKind::SaveAs, None, ctx.clone());
                }
            }
            Command::SaveAs => self.dialogs.start(DialogKind::SaveAs, None, ctx.clone()),
            Command::TypePath => {
                self.path_prompt = Some((DialogKind::OpenProject, String::new(), false))
            }
            Command::Undo => match self.ws.undo(self.cur) {
                Ok(Some(what)) => {
                    self.status = format!("Undid {what}");
                    self.sel = Selection::None;
                }
                Ok(None) => self.status = "Nothing to undo".into(),
                Err(e) => self.error = Some(format!("Could not undo: {e}")),
            },
            Command::Redo => match self.ws.redo(self.cur) {
                Ok(Some(what)) => self.status = format!("Redid {what}"),
                Ok(None) => self.status = "Nothing to redo".into(),
                Err(e) => self.error = Some(format!("Could not redo: {e}")),
            },
            Command::Find => {
                self.find_open = true;
                ctx.memory_mut(|m| m.request_focus(find_box_id()));
            }
            Command::NextDocument => self.go_to(self.cur + 1),
            Command::PrevDocument => self.go_to(self.cur.saturating_sub(1)),
            Command::NextSuggestion => self.select_suggestion(true),
            Command::PrevSuggestion => self.select_suggestion(false),
            Command::Accept => match self.sel.clone() {
                Selection::Suggestion(s, l) => {
                    let e = self.ws.with_progress(
                        self.cur,
                        Edit::AcceptSuggestion {
                            span: s,
                            label: l.clone(),
                        },
                    );
                    if self.edit(e) {
                        self.sel = Selection::Span(s, l);
                        self.select_suggestion(true);
                    }
                }
                _ => self.status = "Select a suggestion (Tab) to accept it".into(),
            },
            Command::Reject | Command::Remove => match self.sel.clone() {
                Selection::Suggestion(s, l) => {
                    let e = self
                        .ws
                        .with_progress(self.cur, Edit::RejectSuggestion { span: s, label: l });
                    if self.edit(e) {
                        self.sel = Selection::Range(CharSpan {
                            start: s.start,
                            end: s.start,
                        });
                        self.select_suggestion(true);
                    }
                }
                Selection::Span(s, l) => {
                    let e = self
                        .ws
                        .with_progress(self.cur, Edit::RemoveSpan { span: s, label: l });
                    if self.edit(e) {
                        self.sel = Selection::None;
                    }
                }
                _ => {}
            },
            Command::AcceptAll => {
                let e = self.ws.with_progress(
                    self.cur,
                    Edit::AcceptAll {
                        label: self.accept_label.clone(),
                        min_score: (self.accept_min > 0.0).then_some(self.accept_min),
                    },
                );
                let before = self.doc().map_or(0, |d| d.spans().len());
                if self.edit(e) {
                    let n = self.doc().map_or(0, |d| d.spans().len()) - before;
                    self.status = format!("Accepted {n} suggestions (one undo step)");
                }
            }
            Command::EndLeft => self.move_boundary(true, -1),
            Command::EndRight => self.move_boundary(true, 1),
            Command::StartLeft => self.move_boundary(false, -1),
            Command::StartRight => self.move_boundary(false, 1),
            Command::MarkDone => {
                let to = if self.doc().map(|d| d.status()) == Some(Status::Done) {
                    Status::InProgress
                } else {
                    Status::Done
                };
                if self.edit(Edit::SetStatus(to)) && to == Status::Done {
                    self.learn();
                }
            }
            Command::RefreshSuggestions => {
                let p = self.pipeline.clone();
                match crate::preannotate::refresh_suggestions(&mut self.ws, self.cur, &p) {
                    Ok(()) => self.status = "Suggestions refreshed".into(),
                    Err(e) => self.status = format!("Not done: {e}"),
                }
            }
            Command::RefreshAll => self.refresh_all(),
            Command::SearchProject => self.open_search(),
            Command::Consistency => {
                if self.corpus.consistency.is_none() {
                    self.run_consistency();
                }
            }
            Command::Statistics => self.run_stats(),
            Command::ClearSelection => {
                self.palette = None;
                self.sel = Selection::None;
                self.find_open = false;
            }
            Command::ToggleTheme => self.persisted.dark = !self.persisted.dark,
            Command::Palette => {
                self.palette = Some((String::new(), 0));
                ctx.memory_mut(|m| m.request_focus(egui::Id::unique("tagwright-palette")));
            }
            Command::Help => self.help_open = !self.help_open,
        }
    }

    fn try_save(&mut self) -> bool {
        match self.ws.save() {
            Ok(n) => {
                self.last_save = Some(Instant::now());
                self.status = format!("Saved {n} document(s)");
                if let Some(news) = self.ws.merge_news.take() {
                    self.status = format!("{}. {news}", self.status);
                    self.project_news = Some(news);
                }
                true
            }
            Err(e @ crate::store::StoreError::Conflict { .. }) => {
                self.status = format!("Not saved: {e}");
                self.check_disk();
                false
            }
            Err(e) => {
                self.error = Some(format!(
                    "Could not save: {e}. Your changes are still here; try Save as."
                ));
                false
            }
        }
    }

    fn open_paths(&mut self, kind: DialogKind, paths: Vec<PathBuf>) {
        match kind {
            DialogKind::OpenProject => {
                let Some(root) = paths.into_iter().next() else {
                    return;
                };
                if self.ws.project.is_some() && self.ws.is_dirty() && !self.try_save() {
                    return;
                }
                match Workspace::open(&root) {
                    Ok(w) => {
                        self.pipeline = Arc::new(crate::preannotate::project_pipeline(&root).0);
                        self.ws = w;
                        self.cur = 0;
                        self.sel = Selection::None;
                        self.status = format!("Opened {}", root.display());
                        self.remember(root);
                    }
                    Err(e) => self.error = Some(e.to_string()),
                }
            }
            DialogKind::Import => self.import(paths),
            DialogKind::SaveAs => {
                let Some(root) = paths.into_iter().next() else {
                    return;
                };
                match self.ws.save_as(&root) {
                    Ok(()) => {
                        self.last_save = Some(Instant::now());
                        self.status = format!("Saved the project in {}", root.display());
                        self.remember(root);
                    }
                    Err(e) => self.error = Some(format!("Could not save: {e}")),
                }
            }
        }
    }

    /// Run `work` on a worker thread as the one background job (progress in the status bar, a
    /// cancel flag it should check). Says so and does nothing while another job runs.
    fn spawn_job(
        &mut self,
        what: &str,
        total: usize,
        work: impl FnOnce(std::sync::mpsc::Sender<JobMsg>, Arc<std::sync::atomic::AtomicBool>)
            + Send
            + 'static,
    ) {
        if self.job.is_some() {
            self.status = "Wait for the running job to finish (or cancel it)".into();
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let cancel = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = cancel.clone();
        std::thread::spawn(move || work(tx, stop));
        self.job = Some(Job {
            what: what.into(),
            done: 0,
            total,
            cancel,
            rx,
        });
    }

    /// Import files in the background (what the Import dialog and dropped files do): each file
    /// is read and pre-annotated on a worker thread, and added here as it arrives. Cancelling
    /// keeps what was imported so far.
    pub fn import(&mut self, paths: Vec<PathBuf>) {
        let pipeline = self.pipeline.clone();
        let schema = self.ws.schema.clone();
        self.spawn_job("Importing", paths.len(), move |tx, stop| {
            for path in paths {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let msg = match crate::store::formats::import_path(&path, None) {
                    Ok((docs, warnings)) => {
                        let mut sent = true;
                        let mut failed = None;
                        for d in docs {
                            match crate::preannotate::into_pending(d, &schema, &pipeline) {
                                Ok((name, doc)) => {
                                    sent &= tx
                                        .send(JobMsg::Doc(name, Box::new(doc), warnings.clone()))
                                        .is_ok()
                                }
                                Err(e) => {
                                    failed = Some(format!("{}: {e}", path.display()));
                                    break;
                                }
                            }
                        }
                        if !sent {
                            break;
                        }
                        match failed {
                            Some(e) => JobMsg::Failed(e),
                            None => JobMsg::Progress,
                        }
                    }
                    Err(e) => JobMsg::Failed(e.to_string()),
                };
                let failed = matches!(msg, JobMsg::Failed(_));
                if tx.send(msg).is_err() || failed {
                    break;
                }
            }
        });
    }

    /// Re-run the extractor over every document on a worker thread; results are applied as
    /// `ReplaceSuggestions` edits as they arrive. Cancelling keeps what was refreshed so far.
    pub fn refresh_all(&mut self) {
        let pipeline = self.pipeline.clone();
        let schema = self.ws.schema.clone();
        // Documents marked done were reviewed: their pending suggestions stay as they are.
        let source = self.ws.source();
        let todo = source.select(|d| d.status != Status::Done);
        self.spawn_job("Suggesting", todo.len(), move |tx, stop| {
            for i in todo {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                // Only changed suggestions come back, so unchanged documents stay unloaded.
                let msg = match source.get(i) {
                    Ok(d) => {
                        let s = pipeline.suggest_for(&d, &schema);
                        if s == d.suggestions() {
                            JobMsg::Progress
                        } else {
                            JobMsg::Suggestions(d.id.clone(), s)
                        }
                    }
                    Err(_) => JobMsg::Progress,
                };
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
    }

    /// Learn from the documents marked done on a worker thread (warm-started from the shipped model
    /// when the labels allow), save the model in the project's `model/` folder when there is one,
    /// then refresh the suggestions of the documents not yet done.
    pub fn learn(&mut self) {
        if self.job.is_some() {
            return;
        }
        let source = self.ws.source();
        let done = source.select(|d| d.status == Status::Done);
        if done.is_empty() {
            return;
        }
        let save_to = self.ws.root().map(crate::store::model_path);
        self.spawn_job("Learning", done.len(), move |tx, _| {
            // The documents marked done are what the person reviewed; the model needs them all
            // at once, so they are read here, off the window's thread.
            let docs: Vec<crate::model::Document> =
                done.iter().filter_map(|&i| source.get(i).ok()).collect();
            let shipped = crate::extract::tagger::Tagger::shipped();
            let fz = crate::extract::tagger::features::Featurizer::builtin();
            let cfg = crate::extract::tagger::train::TrainConfig {
                epochs: 6,
                ..Default::default()
            };
            let msg = match crate::extract::tagger::learn_from_documents(
                &fz,
                &docs,
                shipped.as_ref().map(|t| &t.model),
                &cfg,
                |_| {},
            ) {
                Some((model, _)) => {
                    if let Some(path) = save_to {
                        if let Err(e) = crate::store::save_model(&path, &model.to_bytes()) {
                            let _ = tx.send(JobMsg::Failed(format!(
                                "could not save the learned model: {e}"
                            )));
                            return;
                        }
                    }
                    JobMsg::Trained(Box::new(model))
                }
                None => return,
            };
            let _ = tx.send(msg);
        });
    }

    /// Export on a worker thread (documents are copied first, so editing can go on).
    pub fn export(
        &mut self,
        format: crate::store::formats::Format,
        path: PathBuf,
        only_done: bool,
        include_suggestions: bool,
        scheme: crate::model::Scheme,
    ) {
        if let Err(e) = crate::store::formats::check_export_target(self.ws.root(), format, &path) {
            self.error = Some(format!("Could not export: {e}"));
            return;
        }
        let source = self.ws.source();
        let chosen = source.select(|d| !only_done || d.status == Status::Done);
        let settings = crate::store::formats::ExportSettings {
            scheme,
            include_suggestions,
            labels: self
                .ws
                .schema
                .labels
                .iter()
                .map(|l| l.name.clone())
                .collect(),
            ..Default::default()
        };
        self.spawn_job("Exporting", chosen.len(), move |tx, _| {
            let docs = match chosen
                .iter()
                .map(|&i| source.get(i))
                .collect::<Result<Vec<_>, _>>()
            {
                Ok(d) => d,
                Err(e) => {
                    let _ = tx.send(JobMsg::Exported(Err(format!("Could not export: {e}"))));
                    return;
                }
            };
            let r = crate::store::formats::export_docs(&docs, format, &settings, &path)
                .map(|loss| {
                    let mut s = format!(
                        "Exported {} documents as {} to {}",
                        docs.len(),
                        format.name(),
                        path.display()
                    );
                    for line in loss.report() {
                        s.push_str(" — ");
                        s.push_str(&line);
                    }
                    s
                })
                .map_err(|e| format!("Could not export: {e}"));
            let _ = tx.send(JobMsg::Exported(r));
        });
    }

    /// True while a background job or a corpus search, check or count runs.
    pub fn is_busy(&self) -> bool {
        self.job.is_some() || self.corpus.is_busy()
    }

    /// Take what the background job produced so far.
    fn poll_job(&mut self) {
        let Some(job) = &mut self.job else { return };
        let mut added = Vec::new();
        let mut refreshed = Vec::new();
        let mut trained = None;
        let mut finished = false;
        loop {
            match job.rx.try_recv() {
                Ok(JobMsg::Doc(name, doc, warnings)) => added.push((name, doc, warnings)),
                Ok(JobMsg::Progress) => job.done += 1,
                Ok(JobMsg::Exported(r)) => {
                    job.done = job.total;
                    match r {
                        Ok(summary) => self.status = summary,
                        Err(e) => self.error = Some(e),
                    }
                }
                Ok(JobMsg::Suggestions(id, sugg)) => {
                    job.done += 1;
                    refreshed.push((id, sugg));
                }
                Ok(JobMsg::Trained(m)) => trained = Some(m),
                Ok(JobMsg::Failed(e)) => {
                    self.error = Some(format!("Import stopped: {e}"));
                    finished = true;
                    break;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => break,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    finished = true;
                    break;
                }
            }
        }
        for (id, sugg) in refreshed {
            // Through the one edit path: undoable per document, never touching confirmed or
            // rejected spans (ReplaceSuggestions filters them out).
            if let Some(i) = self.ws.position(&id) {
                if self
                    .ws
                    .doc(i)
                    .is_none_or(|d| d.suggestions() != sugg.as_slice())
                {
                    let _ = self.ws.apply(i, &Edit::ReplaceSuggestions(sugg));
                }
            }
        }
        let first_new = self.ws.docs.len();
        for (name, mut doc, warnings) in added {
            doc.id = self.ws.fresh_id(&name);
            self.ws.push_new(*doc);
            if !warnings.is_empty() {
                self.status = warnings.join("; ");
            }
        }
        if first_new == 0 && !self.ws.docs.is_empty() {
            self.go_to(0);
        }
        if finished {
            if let Some(job) = self.job.take() {
                if job.what != "Exporting" {
                    self.status = format!("{}: {} of {} done", job.what, job.done, job.total);
                }
            }
        }
        if let Some(model) = trained {
            let labels = model.labels.join(", ");
            let tagger = Arc::new(crate::extract::tagger::Tagger::new(*model));
            self.pipeline = Arc::new(Pipeline::with_tagger(Some(tagger)));
            self.job = None;
            self.status = format!(
                "Learned from the documents marked done ({labels}); refreshing suggestions"
            );
            self.refresh_all();
        }
    }

    /// Look for document files changed underneath us (another annotator, a git pull).
    pub fn check_disk(&mut self) {
        self.last_disk_check = Instant::now();
        if let Some(news) = self.ws.manifest_changed_on_disk() {
            self.status = news.clone();
            self.project_news = Some(news);
        }
        for c in self.ws.changed_on_disk() {
            if !self.disk_changes.iter().any(|x| x.id == c.id) {
                self.disk_changes.push(c);
            }
        }
    }

    /// Files that changed on disk and wait for the person's choice.
    pub fn disk_changes(&self) -> &[crate::store::workspace::DiskChange] {
        &self.disk_changes
    }

    /// Resolve a change on disk: reload the file's version, or keep this one.
    pub fn resolve_disk_change(&mut self, id: &crate::model::DocId, reload: bool) {
        let Some(pos) = self.disk_changes.iter().position(|c| &c.id == id) else {
            return;
        };
        let c = self.disk_changes.remove(pos);
        if reload {
            match self.ws.reload_from_disk(c.index) {
                Ok(()) => {
                    self.status = format!("Reloaded {} from disk", c.id);
                    if c.index == self.cur {
                        self.sel = Selection::None;
                    }
                }
                Err(e) => self.error = Some(e.to_string()),
            }
        } else {
            self.ws.keep_mine(c.index);
            self.status = format!(
                "Keeping your version of {}; it is saved over the file",
                c.id
            );
        }
    }

    fn autosave(&mut self) {
        if self.last_autosave_try.elapsed() < AUTOSAVE_EVERY {
            return;
        }
        self.last_autosave_try = Instant::now();
        if self.last_disk_check.elapsed() >= AUTOSAVE_EVERY {
            self.check_disk();
        }
        if !self.disk_changes.is_empty() {
            return;
        }
        if self.ws.project.is_some() && self.ws.is_dirty() {
            match self.ws.save() {
                Ok(_) => {
                    self.last_save = Some(Instant::now());
                    if let Some(news) = self.ws.merge_news.take() {
                        self.status = news.clone();
                        self.project_news = Some(news);
                    }
                }
                Err(e) => {
                    // Report once; keep trying quietly.
                    if self.error.is_none() && !self.status.starts_with("Autosave failed") {
                        self.status = format!("Autosave failed: {e}");
                    }
                }
            }
        }
    }

    fn handle_keys(&mut self, ctx: &egui::Context) {
        let typing = ctx.egui_wants_keyboard_input();
        let mut cmds: Vec<Command> = Command::ALL.to_vec();
        // Most specific first: Ctrl+Shift+Z before Ctrl+Z (egui ignores extra Shift otherwise).
        cmds.sort_by_key(|c| {
            std::cmp::Reverse(c.shortcuts().first().map_or(0, |s| {
                s.modifiers.command as u8 + s.modifiers.shift as u8 + s.modifiers.alt as u8
            }))
        });
        for cmd in cmds {
            if typing && cmd.is_annotation_key() {
                continue;
            }
            for sc in cmd.shortcuts() {
                if ctx.input_mut(|i| i.consume_shortcut(sc)) {
                    if sc.logical_key == egui::Key::Tab {
                        // Tab is ours while no text field has the keyboard: keep egui from
                        // moving the focus to the next widget as well.
                        ctx.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
                    }
                    self.run(cmd, ctx);
                }
            }
        }
        if !typing {
            let keys: Vec<(egui::Key, String)> = self
                .ws
                .schema
                .labels
                .iter()
                .filter_map(|l| Some((key_for_char(l.key?)?, l.name.clone())))
                .collect();
            for (k, name) in keys {
                if ctx.input_mut(|i| {
                    i.consume_key(egui::Modifiers::NONE, k)
                        || i.consume_key(egui::Modifiers::ALT, k)
                }) {
                    self.apply_label(&name);
                }
            }
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            self.open_paths(DialogKind::Import, dropped);
        }
    }

    fn update_find(&mut self) {
        let Some(d) = self.ws.doc(self.cur) else {
            return;
        };
        let key = (d.id.to_string(), self.find.clone());
        if self.find_for == key {
            return;
        }
        self.find_hits.clear();
        if !self.find.is_empty() && self.find_open {
            let text = d.text();
            let idx = crate::text::TextIndex::new(text);
            for (b, m) in text.match_indices(self.find.as_str()) {
                if let Some(sp) = idx.char_span(text, b..b + m.len()) {
                    self.find_hits.push(sp);
                }
            }
        }
        self.find_for = key;
    }

    // ---------------- panels ----------------

    fn menu_item(&mut self, ui: &mut Ui, cmd: Command) {
        let sc = cmd
            .shortcuts()
            .first()
            .map(|s| ui.ctx().format_shortcut(s))
            .unwrap_or_default();
        if ui
            .add(egui::Button::new(cmd.name()).shortcut_text(sc))
            .on_hover_text(cmd.help())
            .clicked()
        {
            self.run(cmd, ui.ctx());
            ui.close();
        }
    }

    fn menu_items(&mut self, ui: &mut Ui, menu: &str) {
        for &c in Command::ALL.iter().filter(|c| c.menu() == menu) {
            self.menu_item(ui, c);
        }
    }

    fn menu_bar(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                self.menu_items(ui, "File");
                ui.menu_button("Recent", |ui| {
                    if self.persisted.recent.is_empty() {
                        ui.label("No recent projects");
                    }
                    for p in self.persisted.recent.clone() {
                        if ui.button(p.display().to_string()).clicked() {
                            self.open_paths(DialogKind::OpenProject, vec![p]);
                            ui.close();
                        }
                    }
                });
            });
            for menu in ["Edit", "Annotate", "Project", "View", "Help"] {
                ui.menu_button(menu, |ui| self.menu_items(ui, menu));
            }
        });
    }

    fn doc_list(&mut self, ui: &mut Ui) {
        let total = self.ws.docs.len();
        let done = self.ws.done_count();
        ui.heading(&self.ws.name);
        ui.label(format!("{done} / {total} done"));
        ui.add(
            egui::ProgressBar::new(if total == 0 {
                0.0
            } else {
                done as f32 / total as f32
            })
            .desired_height(6.0),
        );
        ui.add(
            egui::TextEdit::singleline(&mut self.filter)
                .hint_text("Filter documents")
                .id(egui::Id::unique("tagwright-doc-filter")),
        );
        ui.separator();
        // The filtered list is kept until the filter or the number of documents changes, so a
        // project of 50,000 documents is filtered once per keystroke, not once per frame.
        let key = (self.filter.clone(), self.ws.docs.len());
        if self.listed.as_ref().is_none_or(|(k, _)| *k != key) {
            self.listed = Some((key, self.ws.filter(&self.filter)));
        }
        let rows = self.listed.as_ref().map_or(&[][..], |(_, r)| &r[..]);
        let mut go = None;
        let row_h = ui.spacing().interact_size.y.max(18.0);
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_rows(ui, row_h, rows.len(), |ui, range| {
                for &i in &rows[range] {
                    let d = &self.ws.docs[i];
                    let (filled, color) = match d.summary.status {
                        Status::Todo => (false, Color32::GRAY),
                        Status::InProgress => (false, Color32::from_rgb(230, 160, 20)),
                        Status::Done => (true, Color32::from_rgb(40, 170, 80)),
                    };
                    let dirty = if d.is_dirty() { " *" } else { "" };
                    let text = RichText::new(format!("    {}{dirty}", d.summary.title)).color(
                        if i == self.cur {
                            ui.visuals().strong_text_color()
                        } else {
                            ui.visuals().text_color()
                        },
                    );
                    ui.horizontal(|ui| {
                        ui.set_height(row_h);
                        let r = ui
                            .selectable_label(i == self.cur, text)
                            .on_hover_text(format!(
                                "{} — {}, {} entities, {} suggestions",
                                d.summary.id,
                                d.summary.status.name(),
                                d.summary.spans,
                                d.summary.suggestions
                            ));
                        // Status icon: grey ring = todo, amber ring with dot = in progress, green disc = done.
                        let c = r.rect.left_center() + egui::vec2(10.0, 0.0);
                        if filled {
                            ui.painter().circle_filled(c, 5.0, color);
                        } else {
                            ui.painter()
                                .circle_stroke(c, 4.5, egui::Stroke::new(1.5, color));
                            if d.summary.status == Status::InProgress {
                                ui.painter().circle_filled(c, 2.0, color);
                            }
                        }
                        ui.label(RichText::new(d.summary.spans.to_string()).small().weak());
                        if r.clicked() {
                            go = Some(i);
                        }
                    });
                }
            });
        if let Some(i) = go {
            self.go_to(i);
        }
    }

    fn side_panel(&mut self, ui: &mut Ui) {
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.heading("Labels");
                let labels = self.ws.schema.labels.clone();
                for l in &labels {
                    let count = self
                        .label_counts()
                        .iter()
                        .find(|(n, _)| *n == l.name)
                        .map_or(0, |(_, c)| *c);
                    ui.horizontal(|ui| {
                        let (r, _) =
                            ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
                        let c = l.rgb();
                        ui.painter()
                            .rect_filled(r, 3.0, Color32::from_rgb(c[0], c[1], c[2]));
                        ui.label(
                            RichText::new(l.key.map(|k| k.to_string()).unwrap_or_default())
                                .monospace()
                                .weak(),
                        );
                        if ui.button(&l.name).on_hover_text(&l.description).clicked() {
                            self.apply_label(&l.name);
                        }
                        ui.label(RichText::new(count.to_string()).weak());
                    });
                }
                ui.separator();
                self.inspector(ui);
                ui.separator();
                self.suggestion_list(ui);
                ui.separator();
                egui::CollapsingHeader::new("Edit labels").show(ui, |ui| self.label_editor(ui));
            });
    }

    fn inspector(&mut self, ui: &mut Ui) {
        ui.heading("Selection");
        let Some(d) = self.ws.doc(self.cur) else {
            return;
        };
        // Slicing by char offsets from the start is linear in the offset: index the text once.
        let key = text_view::doc_key(d);
        if self.text_index.as_ref().is_none_or(|(k, _)| *k != key) {
            self.text_index = Some((key, crate::text::TextIndex::new(d.text())));
        }
        let index = self.text_index.as_ref().map(|(_, i)| i);
        let slice =
            |r: CharSpan| -> &str { index.and_then(|i| i.slice(d.text(), r)).unwrap_or_default() };
        match &self.sel {
            Selection::None => {
                ui.label(RichText::new("Drag over text (or double-click a word), then press a label key. Tab selects the next suggestion.").weak());
            }
            Selection::Range(r) => {
                ui.label(format!("“{}”  ({}–{})", slice(*r), r.start.0, r.end.0));
                ui.label(RichText::new("Press a label key or click a label to tag it").weak());
            }
            Selection::Suggestion(r, l) => {
                let s = d.find_suggestion(*r, l).cloned();
                ui.label(format!("“{}”", slice(*r)));
                if let Some(s) = s {
                    ui.label(format!(
                        "Suggested {} by {}, score {:.2}",
                        s.label, s.source, s.score
                    ));
                }
                ui.horizontal(|ui| {
                    if ui.button("Accept").clicked() {
                        self.run(Command::Accept, ui.ctx());
                    }
                    if ui.button("Reject").clicked() {
                        self.run(Command::Reject, ui.ctx());
                    }
                });
            }
            Selection::Span(r, l) => {
                let Some(s) = d.find_span(*r, l).cloned() else {
                    return;
                };
                ui.label(format!("“{}”  ({}–{})", slice(*r), r.start.0, r.end.0));
                ui.label(format!("Label: {}", s.label));
                ui.label(match &s.origin {
                    Origin::Manual => "Origin: tagged by hand".to_string(),
                    Origin::Accepted { source, score } => {
                        format!("Origin: accepted from {source} (score {score:.2})")
                    }
                });
                let key = Some((*r, l.clone()));
                if self.note_buf.0 != key {
                    self.note_buf = (key, s.note.clone());
                }
                ui.label("Note:");
                let resp = ui.add(
                    egui::TextEdit::multiline(&mut self.note_buf.1)
                        .desired_rows(2)
                        .id(egui::Id::unique("tagwright-span-note")),
                );
                if resp.lost_focus() && self.note_buf.1 != s.note {
                    let note = self.note_buf.1.clone();
                    self.edit(Edit::SetSpanNote {
                        span: *r,
                        label: l.clone(),
                        note,
                    });
                }
                if ui.button("Remove entity").clicked() {
                    self.run(Command::Remove, ui.ctx());
                }
            }
        }
    }

    fn suggestion_list(&mut self, ui: &mut Ui) {
        let Some(n) = self.ws.doc(self.cur).map(|d| d.suggestions().len()) else {
            return;
        };
        ui.heading(format!("Suggestions ({n})"));
        ui.horizontal(|ui| {
            egui::ComboBox::from_label("label")
                .selected_text(
                    self.accept_label
                        .clone()
                        .unwrap_or_else(|| "all labels".into()),
                )
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.accept_label, None, "all labels");
                    for l in &self.ws.schema.labels {
                        ui.selectable_value(&mut self.accept_label, Some(l.name.clone()), &l.name);
                    }
                });
            ui.add(
                egui::Slider::new(&mut self.accept_min, 0.0..=1.0)
                    .text("min score")
                    .max_decimals(2),
            );
        });
        if ui
            .button("Accept all")
            .on_hover_text(Command::AcceptAll.help())
            .clicked()
        {
            self.run(Command::AcceptAll, ui.ctx());
        }
        let mut action = None;
        let Some(d) = self.ws.doc(self.cur) else {
            return;
        };
        // Only the rows in view are built: an article can have thousands of suggestions.
        let row_h = ui.spacing().interact_size.y;
        egui::ScrollArea::vertical()
            .id_salt("suggestion-list")
            .max_height(320.0)
            .auto_shrink([false, true])
            .show_rows(ui, row_h, d.suggestions().len(), |ui, rows| {
                for s in d.suggestions().get(rows).unwrap_or_default() {
                    ui.horizontal(|ui| {
                        let text = d.slice(s.span).unwrap_or_default();
                        let selected = self.sel == Selection::Suggestion(s.span, s.label.clone());
                        if ui
                            .selectable_label(selected, format!("{} {text}", s.label))
                            .clicked()
                        {
                            self.sel = Selection::Suggestion(s.span, s.label.clone());
                            self.scroll_to = Some(s.span);
                        }
                        ui.label(RichText::new(format!("{:.2}", s.score)).weak());
                        if ui
                            .small_button("accept")
                            .on_hover_text("Accept this suggestion")
                            .clicked()
                        {
                            action = Some(Edit::AcceptSuggestion {
                                span: s.span,
                                label: s.label.clone(),
                            });
                        }
                        if ui
                            .small_button("reject")
                            .on_hover_text("Reject this suggestion")
                            .clicked()
                        {
                            action = Some(Edit::RejectSuggestion {
                                span: s.span,
                                label: s.label.clone(),
                            });
                        }
                    });
                }
            });
        if let Some(a) = action {
            let e = self.ws.with_progress(self.cur, a);
            self.edit(e);
        }
    }

    fn label_editor(&mut self, ui: &mut Ui) {
        let n = self.ws.schema.labels.len();
        self.rename_buf.resize(n, String::new());
        for i in 0..n {
            let mut l = self.ws.schema.labels[i].clone();
            if self.rename_buf[i].is_empty() {
                self.rename_buf[i] = l.name.clone();
            }
            ui.horizontal(|ui| {
                let mut c = l.rgb();
                if ui.color_edit_button_srgb(&mut c).changed() {
                    l.color = format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]);
                    if let Err(e) = self.ws.update_label(i, l.clone()) {
                        self.status = e.to_string();
                    }
                }
                let r =
                    ui.add(egui::TextEdit::singleline(&mut self.rename_buf[i]).desired_width(80.0));
                if r.lost_focus() && self.rename_buf[i] != l.name {
                    let new = self.rename_buf[i].clone();
                    if let Err(e) = self.ws.rename_label(&l.name, &new) {
                        self.status = format!("Not renamed: {e}");
                        self.rename_buf[i] = l.name.clone();
                    }
                }
                let mut key = l.key.map(String::from).unwrap_or_default();
                if ui
                    .add(
                        egui::TextEdit::singleline(&mut key)
                            .desired_width(16.0)
                            .char_limit(1),
                    )
                    .changed()
                {
                    l.key = key.chars().next();
                    if let Err(e) = self.ws.update_label(i, l.clone()) {
                        self.status = format!("Key not changed: {e}");
                    }
                }
                if ui
                    .small_button("delete")
                    .on_hover_text("Delete this label")
                    .clicked()
                {
                    if self.ws.label_usage(&l.name) > 0 {
                        self.confirm_delete = Some(l.name.clone());
                    } else if let Err(e) = self.ws.delete_label(&l.name) {
                        self.status = e.to_string();
                    }
                    self.rename_buf.clear();
                }
            });
            if self.rename_buf.is_empty() {
                break;
            }
        }
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.new_label)
                    .hint_text("NEW_LABEL")
                    .desired_width(100.0),
            );
            if ui.button("Add label").clicked() {
                match self.ws.add_label(&self.new_label.clone()) {
                    Ok(()) => self.new_label.clear(),
                    Err(e) => self.status = format!("Not added: {e}"),
                }
                self.rename_buf.clear();
            }
        });
    }

    fn status_bar(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let state = if self.ws.project.is_none() {
                if self.ws.is_dirty() {
                    "Unsaved changes: Save as… to keep them in a project folder".to_string()
                } else {
                    "Not in a project folder yet (Save as… creates one)".to_string()
                }
            } else if !self.ws.is_dirty() {
                match self.last_save {
                    Some(t) => format!("Saved {} s ago", t.elapsed().as_secs()),
                    None => "Saved".to_string(),
                }
            } else {
                format!(
                    "{} unsaved document(s), autosave every {} s",
                    self.ws.dirty_count(),
                    AUTOSAVE_EVERY.as_secs()
                )
            };
            ui.label(state);
            ui.separator();
            ui.label(format!(
                "{} documents, {} done",
                self.ws.docs.len(),
                self.ws.done_count()
            ));
            ui.separator();
            let mut cancel = false;
            match &self.job {
                Some(job) => {
                    ui.label(format!("{} {} / {}", job.what, job.done, job.total));
                    let bar = egui::ProgressBar::new(job.done as f32 / job.total.max(1) as f32)
                        .desired_width(120.0);
                    // An export is one step: show motion rather than a fraction.
                    ui.add(if job.what == "Exporting" {
                        bar.animate(true)
                    } else {
                        bar
                    });
                    cancel = ui.button("Cancel").clicked();
                }
                None => {
                    ui.label(format!("Extractor: {}, idle", self.pipeline.describe()));
                }
            }
            if cancel {
                if let Some(job) = &self.job {
                    job.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            ui.separator();
            ui.label(&self.status);
        });
    }

    fn centre(&mut self, ui: &mut Ui) {
        if self.find_open {
            ui.horizontal(|ui| {
                ui.label("Find:");
                let r = ui.add(
                    egui::TextEdit::singleline(&mut self.find)
                        .id(find_box_id())
                        .desired_width(240.0),
                );
                ui.label(format!("{} hits", self.find_hits.len()));
                if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    if let Some(h) = self
                        .find_hits
                        .iter()
                        .find(|h| self.sel_start().is_none_or(|s| h.start.0 > s))
                        .or(self.find_hits.first())
                    {
                        self.sel = Selection::Range(*h);
                        self.scroll_to = Some(*h);
                    }
                }
                if ui.button("Close").clicked() {
                    self.find_open = false;
                }
            });
            ui.separator();
        }
        self.update_find();
        let Some(d) = self.ws.doc(self.cur) else {
            ui.centered_and_justified(|ui| {
                ui.label("No documents. Import articles (Ctrl+I), open a project (Ctrl+O), or drop .txt/.md files here.");
            });
            return;
        };
        // Truncated: a long headline must not widen the panel past the window.
        ui.add(egui::Label::new(RichText::new(&d.title).heading()).truncate());
        ui.label(
            RichText::new(format!(
                "{} · {} entities · {} suggestions",
                d.status().name(),
                d.spans().len(),
                d.suggestions().len()
            ))
            .weak(),
        );
        ui.separator();
        let scroll_to = self.scroll_to.take();
        let gestures = egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_viewport(ui, |ui, viewport| {
                ui.set_max_width(ui.available_width().min(820.0));
                let input = ViewInput {
                    doc: d,
                    schema: &self.ws.schema,
                    sel: &self.sel,
                    hits: &self.find_hits,
                    scroll_to,
                    revision: self.ws.revision(),
                };
                text_view::show(ui, &input, &mut self.view, viewport)
            })
            .inner;
        for g in gestures {
            self.gesture(g);
        }
    }

    fn sel_start(&self) -> Option<usize> {
        match &self.sel {
            Selection::Range(r) | Selection::Span(r, _) | Selection::Suggestion(r, _) => {
                Some(r.start.0)
            }
            Selection::None => None,
        }
    }

    /// A click at char `c` of the article (what the mouse does; public for tests).
    pub fn gesture_click(&mut self, c: usize) {
        self.gesture(Gesture::Click(c));
    }

    /// A double click at char `c`: selects the token there.
    pub fn gesture_double_click(&mut self, c: usize) {
        self.gesture(Gesture::DoubleClick(c));
    }

    /// Current find hits (char spans).
    pub fn find_hits(&self) -> &[CharSpan] {
        &self.find_hits
    }

    /// Turn a gesture in the text into a selection.
    fn gesture(&mut self, g: Gesture) {
        let Some(d) = self.doc() else { return };
        match g {
            Gesture::Select { range, exact } => self.select_range(range, exact),
            Gesture::Click(c) => {
                let at = |sp: CharSpan| sp.start.0 <= c && c < sp.end.0;
                if let Some(s) = d.spans().iter().find(|s| at(s.span)) {
                    self.sel = Selection::Span(s.span, s.label.clone());
                } else if let Some(s) = d.suggestions().iter().find(|s| at(s.span)) {
                    self.sel = Selection::Suggestion(s.span, s.label.clone());
                } else {
                    self.sel = Selection::None;
                }
            }
            Gesture::DoubleClick(c) => {
                if let Some(t) = self.tokens().and_then(|t| t.at(c)) {
                    self.sel = Selection::Range(t);
                }
            }
        }
    }

    fn windows(&mut self, ctx: &egui::Context) {
        if let Some(err) = self.error.clone() {
            egui::Window::new("Something went wrong")
                .collapsible(false)
                .show(ctx, |ui| {
                    ui.label(err);
                    if ui.button("OK").clicked() {
                        self.error = None;
                    }
                });
        }
        if self.help_open {
            let mut open = true;
            egui::Window::new("Shortcuts").open(&mut open).show(ctx, |ui| {
                egui::Grid::new("help").striped(true).show(ui, |ui| {
                    for &c in Command::ALL {
                        let keys: Vec<String> = c.shortcuts().iter().map(|s| ctx.format_shortcut(s)).collect();
                        ui.label(RichText::new(keys.join("  /  ")).monospace());
                        ui.label(c.name());
                        ui.label(RichText::new(c.help()).weak());
                        ui.end_row();
                    }
                    ui.label(RichText::new("1 – 9").monospace());
                    ui.label("Apply label");
                    ui.label(RichText::new("Tag the selection, relabel the selected entity, or accept the selected suggestion as that label (Alt while dragging: exact characters)").weak());
                    ui.end_row();
                });
            });
            self.help_open = open;
        }
        if let Some((kind, mut text, no_dialog)) = self.path_prompt.take() {
            let mut keep = true;
            let mut go = false;
            let mut kind = kind;
            egui::Window::new("Type a path").collapsible(false).show(ctx, |ui| {
                if no_dialog {
                    ui.label("No file dialog is available on this system (no desktop portal). Type the path instead.");
                }
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut kind, DialogKind::OpenProject, "Open project");
                    ui.selectable_value(&mut kind, DialogKind::Import, "Import articles");
                    ui.selectable_value(&mut kind, DialogKind::SaveAs, "Save as");
                });
                ui.label(kind.prompt());
                let r = ui.add(egui::TextEdit::singleline(&mut text).desired_width(400.0).id(egui::Id::unique("tagwright-path-box")));
                if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    go = true;
                }
                ui.horizontal(|ui| {
                    go |= ui.button("OK").clicked();
                    if ui.button("Cancel").clicked() {
                        keep = false;
                    }
                });
            });
            if go {
                let paths: Vec<PathBuf> = text
                    .split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(PathBuf::from)
                    .collect();
                if !paths.is_empty() {
                    self.open_paths(kind, paths);
                }
            } else if keep {
                self.path_prompt = Some((kind, text, no_dialog));
            }
        }
        if let Some(e) = self.ws.journal_error.take() {
            self.error.get_or_insert(e);
        }
        if let Some((mut query, mut row)) = self.palette.take() {
            let matches = super::commands::palette_matches(&query);
            let (up, down, enter, escape) = ctx.input_mut(|i| {
                (
                    i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                    i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                    i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
                    i.consume_key(egui::Modifiers::NONE, egui::Key::Escape),
                )
            });
            if down {
                row = (row + 1).min(matches.len().saturating_sub(1));
            }
            if up {
                row = row.saturating_sub(1);
            }
            let mut run = enter.then(|| matches.get(row).copied()).flatten();
            egui::Window::new("Command palette")
                .collapsible(false)
                .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 60.0))
                .show(ctx, |ui| {
                    let r = ui.add(
                        egui::TextEdit::singleline(&mut query)
                            .hint_text("Type a command")
                            .desired_width(360.0)
                            .id(egui::Id::unique("tagwright-palette")),
                    );
                    if r.changed() {
                        row = 0;
                    }
                    // A new window is measured before it is shown: keep asking for the keyboard.
                    if !r.has_focus() {
                        r.request_focus();
                    }
                    for (k, c) in matches.iter().take(12).enumerate() {
                        let keys = c
                            .shortcuts()
                            .first()
                            .map(|s| ctx.format_shortcut(s))
                            .unwrap_or_default();
                        ui.horizontal(|ui| {
                            if ui.selectable_label(k == row, c.name()).clicked() {
                                run = Some(*c);
                            }
                            ui.label(RichText::new(keys).weak());
                        });
                    }
                });
            match run {
                Some(c) => self.run(c, ctx),
                None if !escape => self.palette = Some((query, row)),
                None => {}
            }
        }
        if !self.disk_changes.is_empty() {
            let mut choice = None;
            egui::Window::new("Changed on disk").collapsible(false).show(ctx, |ui| {
                ui.label("These documents changed on disk while they were open here. Nothing was overwritten; choose which version to keep:");
                for c in &self.disk_changes {
                    ui.separator();
                    ui.label(RichText::new(c.id.to_string()).strong());
                    ui.label(&c.summary);
                    ui.horizontal(|ui| {
                        if ui.button("Reload from disk").clicked() {
                            choice = Some((c.id.clone(), true));
                        }
                        if ui.button("Keep mine").clicked() {
                            choice = Some((c.id.clone(), false));
                        }
                    });
                }
            });
            if let Some((id, reload)) = choice {
                self.resolve_disk_change(&id, reload);
            }
        }
        if let Some(news) = &self.project_news {
            let mut seen = false;
            egui::Window::new("Project changed on disk")
                .collapsible(false)
                .show(ctx, |ui| {
                    ui.label("Another process (a `tagwright add`, a git pull, another window) changed the project file. Its changes were merged with yours; nothing was lost:");
                    ui.label(RichText::new(news).strong());
                    seen = ui.button("OK").clicked();
                });
            if seen {
                self.project_news = None;
            }
        }
        if !self.ws.recovered.is_empty() {
            let n = self.ws.recovered.len();
            egui::Window::new("Recover unsaved edits").collapsible(false).show(ctx, |ui| {
                ui.label(format!(
                    "{n} changes were made after this project was last saved, and Tagwright did not get to save them (it was closed unexpectedly). Restore them?"
                ));
                ui.horizontal(|ui| {
                    if ui.button("Restore").clicked() {
                        match self.ws.restore_recovered() {
                            Ok(k) => self.status = format!("Restored {k} changes; save to keep them"),
                            Err(e) => self.error = Some(format!("Could not restore every change: {e}")),
                        }
                    }
                    if ui.button("Discard").clicked() {
                        if let Err(e) = self.ws.discard_recovered() {
                            self.error = Some(e.to_string());
                        }
                    }
                });
            });
        }
        if let Some(mut form) = self.export_form.take() {
            let mut keep = true;
            let mut go = false;
            egui::Window::new("Export dataset")
                .collapsible(false)
                .show(ctx, |ui| {
                    egui::ComboBox::from_label("format")
                        .selected_text(form.format.name())
                        .show_ui(ui, |ui| {
                            for f in crate::store::formats::Format::EXPORTS {
                                if ui
                                    .selectable_value(&mut form.format, *f, f.name())
                                    .changed()
                                {
                                    let ext = f.extension();
                                    let p = PathBuf::from(&form.path);
                                    let stem = p.with_extension("");
                                    form.path = if ext.is_empty() {
                                        stem.display().to_string()
                                    } else {
                                        stem.with_extension(ext).display().to_string()
                                    };
                                }
                            }
                        });
                    ui.label(if form.format.writes_folder() {
                        "Folder:"
                    } else {
                        "File:"
                    });
                    ui.add(
                        egui::TextEdit::singleline(&mut form.path)
                            .desired_width(420.0)
                            .id(egui::Id::unique("tagwright-export-path")),
                    );
                    ui.checkbox(&mut form.only_done, "Only documents marked done");
                    ui.checkbox(&mut form.include_suggestions, "Include pending suggestions");
                    if form.format == crate::store::formats::Format::Conll {
                        ui.horizontal(|ui| {
                            use crate::model::Scheme;
                            ui.label("Tags:");
                            ui.selectable_value(&mut form.scheme, Scheme::Iob1, "IOB1");
                            ui.selectable_value(&mut form.scheme, Scheme::Iob2, "IOB2");
                            ui.selectable_value(&mut form.scheme, Scheme::Bilou, "BILOU");
                        });
                    }
                    ui.horizontal(|ui| {
                        go = ui.button("Export").clicked();
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                });
            if go && !form.path.trim().is_empty() {
                self.export(
                    form.format,
                    PathBuf::from(form.path.trim()),
                    form.only_done,
                    form.include_suggestions,
                    form.scheme,
                );
            } else if keep {
                self.export_form = Some(form);
            }
        }
        if let Some(name) = self.confirm_delete.clone() {
            egui::Window::new("Delete label?").collapsible(false).show(ctx, |ui| {
                ui.label(format!("{name} is used by {} entities. Deleting it removes them (undo per document).", self.ws.label_usage(&name)));
                ui.horizontal(|ui| {
                    if ui.button("Delete").clicked() {
                        if let Err(e) = self.ws.delete_label(&name) {
                            self.status = e.to_string();
                        }
                        self.confirm_delete = None;
                    }
                    if ui.button("Cancel").clicked() {
                        self.confirm_delete = None;
                    }
                });
            });
        }
        if self.confirm_close {
            egui::Window::new("Unsaved changes")
                .collapsible(false)
                .show(ctx, |ui| {
                    ui.label("This project has changes that are not saved in any folder.");
                    ui.horizontal(|ui| {
                        if ui.button("Save as…").clicked() {
                            self.confirm_close = false;
                            self.dialogs.start(DialogKind::SaveAs, None, ctx.clone());
                        }
                        if ui.button("Quit without saving").clicked() {
                            self.allow_close = true;
                            self.confirm_close = false;
                            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                        }
                        if ui.button("Cancel").clicked() {
                            self.confirm_close = false;
                        }
                    });
                });
        }
    }

    /// Print (to stderr) the time from `launched` to the end of the first frame.
    pub fn report_first_frame(&mut self, launched: Instant) {
        self.first_frame_from = Some(launched);
    }

    /// One frame, without eframe's `Frame` (used by `ui` and by headless benches).
    pub fn frame(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let first_frame_from = self.first_frame_from.take();
        if self.theme_applied != Some(self.persisted.dark) {
            ctx.set_visuals(if self.persisted.dark {
                egui::Visuals::dark()
            } else {
                egui::Visuals::light()
            });
            self.theme_applied = Some(self.persisted.dark);
        }
        self.poll_job();
        self.ensure_current();
        if self.job.is_some() {
            ctx.request_repaint_after(Duration::from_millis(50));
        }
        match self.dialogs.poll() {
            Some(Ok((kind, paths))) => self.open_paths(kind, paths),
            Some(Err(kind)) => self.path_prompt = Some((kind, String::new(), true)),
            None => {}
        }
        self.handle_keys(&ctx);
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close {
            if self.ws.project.is_some() {
                if self.ws.is_dirty() && !self.try_save() {
                    ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                    self.confirm_close = true;
                }
            } else if self.ws.is_dirty() && !self.ws.docs.is_empty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.confirm_close = true;
            }
        }
        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        egui::Panel::left("documents")
            .default_size(240.0)
            .show(ui, |ui| self.doc_list(ui));
        egui::Panel::right("side")
            .default_size(300.0)
            .show(ui, |ui| self.side_panel(ui));
        egui::CentralPanel::default().show(ui, |ui| self.centre(ui));
        self.windows(&ctx);
        self.corpus_windows(&ctx);
        if let Some(t) = first_frame_from {
            eprintln!(
                "first frame built {:.1} ms after launch",
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.autosave();
        ctx.request_repaint_after(Duration::from_secs(1));
    }
}

impl eframe::App for TagwrightApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.persisted);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if self.ws.project.is_some() && self.ws.is_dirty() {
            let _ = self.ws.save();
        }
    }
}
