//! The annotation session, without a window: the open project, the current document and
//! selection, status and errors, background jobs, saving, autosave and changes on disk.
//!
//! Rules:
//! - No UI crate is imported here; the window (`ui`) reads a [`Session`] and sends [`Command`]s,
//!   and every command is executed by [`Session::run`].
//! - Everything that depends on the open project lives in one struct ([`Open`]) that is replaced
//!   whole when the project changes (new, open, save as into another folder), so nothing of the
//!   old project can stay behind: caches, jobs, results of searches, changes on disk.
//! - Every span change is an `Edit` through `Workspace::apply` (undo, dirty state, journal).
//! - [`Session::tick`] does the periodic work (jobs, autosave, disk checks); the window calls it
//!   from its logic step, which runs even while the window is minimised.
//!
//! All offsets are char (code point) offsets, end-exclusive.

mod adjudicate;
mod command;
mod corpus;
mod gestures;
mod jobs;
mod layer;
mod model;
pub mod plugins;
pub mod preannotate;
mod project;
mod review;
mod status;
pub mod team;

pub use command::{
    fuzzy_score, palette_matches, Command, ExportRequest, Menu, Mods, SearchRequest, Shortcut,
};
pub use corpus::{
    AgreementResults, Bulk, ConsistencyResults, CorpusState, SearchResults, StatsResults, MAX_HITS,
};
pub use jobs::{JobError, JobKind, JobProgress};
pub use model::{model_info, now_secs, when as model_time, LearnReport, ModelSource, ModelState};

use crate::extract::Pipeline;
use crate::model::{Document, LabelSchema, Status};
use crate::store::workspace::DiskChange;
use crate::store::Workspace;
use crate::text::{CharSpan, TextIndex, Tokens};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often unsaved changes are written, and the disk is checked for others' changes.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(5);

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

impl Selection {
    /// The range selected, whatever it is.
    pub fn span(&self) -> Option<CharSpan> {
        match self {
            Selection::Range(r) | Selection::Span(r, _) | Selection::Suggestion(r, _) => Some(*r),
            Selection::None => None,
        }
    }
}

/// What the person keeps between runs (the window stores it). Fields missing from an older
/// settings file take their defaults.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Settings {
    pub dark: bool,
    /// Project folders opened lately, newest first.
    pub recent: Vec<PathBuf>,
    /// After "Mark done", open the next document not done yet.
    pub move_on_done: bool,
    /// The document last shown in each recent project (folder → document id).
    pub last_doc: std::collections::BTreeMap<PathBuf, String>,
    /// Adjudicating with three or more annotators: a span most of them marked is agreed.
    pub majority: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            dark: false,
            recent: Vec::new(),
            move_on_done: true,
            last_doc: Default::default(),
            majority: false,
        }
    }
}

/// Something only the window can do, asked for by the session.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// Ask for a folder to save the project in (Save in a project that has no folder yet).
    SaveAsDialog,
    /// Close the window (the person chose to quit without saving).
    Close,
    /// Keep the window open (closing was refused: unsaved changes, or saving failed).
    CancelClose,
}

/// A question waiting for the person's answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Confirm {
    /// Delete a label that entities use (how many).
    DeleteLabel(String, usize),
    /// Quit with changes that are in no folder.
    Close,
}

/// A stamp for caches of what is shown: it changes whenever the project is replaced or edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Stamp {
    pub project: u64,
    pub revision: u64,
}

/// (document, revision) that label counts were taken at.
type CountedAt = (usize, u64);

/// Everything that belongs to the open project. Replaced whole when the project changes.
pub(crate) struct Open {
    pub(crate) ws: Workspace,
    pipeline: Arc<Pipeline>,
    /// Which project this is (a number no other `Open` of this process had).
    generation: u64,
    /// The project's folder, as remembered in the settings (canonical).
    folder: Option<PathBuf>,
    cur: usize,
    sel: Selection,
    /// Where the article view should scroll to next.
    scroll_to: Option<CharSpan>,
    filter: String,
    /// Only documents with this status in the list (`None`: all).
    status_filter: Option<Status>,
    /// The document list under the current filters, and what it was made for: (filter, status
    /// filter, document count, revision when filtering by status).
    listed: (ListedFor, Vec<usize>),
    /// Entities per label in the current document, and the revision they were counted at.
    label_counts: (Option<CountedAt>, Vec<(String, usize)>),
    /// Tokens and char index of the current document, keyed by its id and text hash.
    text: Option<(DocKey, Tokens, TextIndex)>,
    /// The document that failed to load last (not retried every frame).
    load_failed: Option<usize>,
    /// What "Accept all" takes: a label (all when `None`) and a minimum score.
    accept_label: Option<String>,
    accept_min: f32,
    disk_changes: Vec<DiskChange>,
    /// What another process changed in the project file, until acknowledged.
    project_news: Option<String>,
    /// The project's annotation guidelines (Markdown).
    guidelines: String,
    confirm: Option<Confirm>,
    last_save: Option<Instant>,
    /// The last moment of activity, for active time (see `status.rs`).
    last_activity: Option<Instant>,
    /// Which model suggests, and the last learning run.
    model: model::ModelState,
    /// What the running refresh of suggestions changed so far.
    refresh: Option<jobs::RefreshTally>,
    /// The document list is ordered most useful first (`ranking`, once gathered).
    useful_first: bool,
    ranking: Option<Vec<usize>>,
    /// An autosave failed and said so; it keeps trying quietly.
    autosave_failed: bool,
    last_autosave_try: Instant,
    last_disk_check: Instant,
    jobs: jobs::Jobs,
    /// What the running import noted (warnings, duplicates), repeated when it ends.
    job_notes: Vec<String>,
    corpus: CorpusState,
    /// A team project: the documents assigned to this layer's annotator.
    team: layer::TeamView,
    /// The document being adjudicated (see `adjudicate`).
    adjudication: Option<adjudicate::Adjudication>,
}

fn next_generation() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Open {
    fn new(ws: Workspace, pipeline: Arc<Pipeline>, model: ModelState) -> Open {
        let now = Instant::now();
        Open {
            ws,
            pipeline,
            generation: next_generation(),
            folder: None,
            cur: 0,
            sel: Selection::None,
            scroll_to: None,
            filter: String::new(),
            status_filter: None,
            listed: ((String::new(), None, usize::MAX, 0), Vec::new()),
            label_counts: (None, Vec::new()),
            text: None,
            load_failed: None,
            accept_label: None,
            accept_min: 0.0,
            disk_changes: Vec::new(),
            project_news: None,
            guidelines: String::new(),
            confirm: None,
            last_save: None,
            last_activity: None,
            model,
            refresh: None,
            useful_first: false,
            ranking: None,
            autosave_failed: false,
            last_autosave_try: now,
            last_disk_check: now,
            jobs: jobs::Jobs::default(),
            job_notes: Vec::new(),
            corpus: CorpusState::default(),
            team: layer::TeamView::default(),
            adjudication: None,
        }
    }
}

/// What a document list was made for (see `Open::listed`).
type ListedFor = (String, Option<Status>, usize, u64);

/// The annotation session: the open project and what the person is doing in it.
pub struct Session {
    open: Open,
    status: String,
    /// The status as last seen by `prepare`, and since when it says that.
    status_since: (String, Instant),
    error: Option<String>,
    requests: Vec<Request>,
    settings: Settings,
    /// The person chose to quit without saving.
    quit: bool,
    /// A team project is open and nobody said who is annotating (see `layer`).
    asks_name: bool,
    /// The annotator name given in this window (before the one saved on the machine).
    me: Option<crate::model::Annotator>,
    /// The person's configuration folder (see `plugins::config_dir`), where their name is kept.
    config_dir: Option<PathBuf>,
}

impl Session {
    /// A session on `paths`: a project folder, article files, or nothing (the sample article).
    pub fn with_paths(paths: Vec<PathBuf>) -> Session {
        Session::with_config(paths, plugins::config_dir(), None)
    }

    /// [`Session::with_paths`] with the person's configuration folder given (tests use their
    /// own) and who is annotating (`tagwright --annotator NAME`; `None`: the name saved there).
    pub fn with_config(
        paths: Vec<PathBuf>,
        config_dir: Option<PathBuf>,
        me: Option<crate::model::Annotator>,
    ) -> Session {
        let project_dir = match paths.as_slice() {
            [p] if p.is_dir() => Some(p.clone()),
            _ => None,
        };
        let mut error = plugins::configured().1.clone();
        let mut asks_name = false;
        let (pipeline, model, ws) = match &project_dir {
            Some(p) => {
                let (ws, ask, problem) =
                    layer::open_workspace(p, me.as_ref(), config_dir.as_deref());
                asks_name = ask;
                error = error.or(problem);
                let ws = ws.unwrap_or_else(|e| {
                    error = Some(e);
                    Workspace::empty("untitled", LabelSchema::news())
                });
                let (pipeline, model) = layer::pipeline_of(&ws, p);
                (pipeline, model, ws)
            }
            None => {
                // The first suggestions are made before the window shows: without plug-ins, so
                // one that is slow to start (or never answers) cannot keep the window from
                // opening. They suggest in what is imported or re-run (F5, Shift+F5) from then on.
                let built_in = Pipeline::news();
                let ws = if paths.is_empty() {
                    crate::session::preannotate::sample_workspace(&built_in)
                } else {
                    crate::session::preannotate::open_articles(&paths, &built_in)
                        .map(|(w, _)| w)
                        .unwrap_or_else(|e| {
                            error = Some(e.to_string());
                            Workspace::empty("untitled", LabelSchema::news())
                        })
                };
                (plugins::with_plugins(built_in), ModelState::of(None), ws)
            }
        };
        let pipeline = Arc::new(pipeline);
        let mut s = Session {
            open: Open::new(ws, pipeline, model),
            status: String::new(),
            status_since: (String::new(), Instant::now()),
            error,
            requests: Vec::new(),
            settings: Settings::default(),
            quit: false,
            asks_name,
            me,
            config_dir,
        };
        s.after_replace();
        s.prepare();
        s
    }

    /// Replace the open project: nothing of the previous one stays.
    fn replace(&mut self, ws: Workspace, pipeline: Arc<Pipeline>, model: ModelState) {
        self.open = Open::new(ws, pipeline, model);
        self.after_replace();
    }

    /// After a project was opened: say what could not be read, remember its folder.
    fn after_replace(&mut self) {
        let (team, problem) = layer::TeamView::of(&self.open.ws);
        self.open.team = team;
        if let Some(p) = problem {
            self.error = Some(p);
        }
        let ws = &self.open.ws;
        if !ws.unreadable.is_empty() {
            self.error = Some(format!(
                "Some documents could not be opened and were left as they are on disk:\n{}",
                ws.unreadable.join("\n")
            ));
        }
        if let Some(root) = ws.root().map(Path::to_path_buf) {
            match crate::store::guidelines::read_guidelines(&root) {
                Ok(text) => self.open.guidelines = text,
                Err(e) => self.error = Some(format!("The guidelines could not be read: {e}")),
            }
            self.remember(root);
            self.return_to_last_doc();
        }
    }

    fn remember(&mut self, root: PathBuf) {
        let root = std::fs::canonicalize(&root).unwrap_or(root);
        let recent = &mut self.settings.recent;
        recent.retain(|p| p != &root);
        recent.insert(0, root.clone());
        recent.truncate(10);
        let keep: Vec<PathBuf> = recent.clone();
        self.settings.last_doc.retain(|p, _| keep.contains(p));
        self.open.folder = Some(root);
    }

    /// Show the document this project was last left at (when it is still there).
    fn return_to_last_doc(&mut self) {
        let Some(folder) = &self.open.folder else {
            return;
        };
        let id = self.settings.last_doc.get(folder).cloned();
        let at = id.and_then(|id| {
            self.open
                .ws
                .docs
                .iter()
                .position(|d| d.summary.id.as_str() == id)
        });
        if let Some(i) = at {
            self.go_to(i);
        }
    }

    /// Note the document on screen as where this project was left.
    fn note_position(&mut self) {
        let (Some(folder), Some(d)) = (&self.open.folder, self.open.ws.docs.get(self.open.cur))
        else {
            return;
        };
        // Runs every frame: only a change allocates.
        let id = d.summary.id.as_str();
        if self.settings.last_doc.get(folder).map(String::as_str) != Some(id) {
            self.settings
                .last_doc
                .insert(folder.clone(), id.to_string());
        }
    }

    // ---------------- reading ----------------

    pub fn workspace(&self) -> &Workspace {
        &self.open.ws
    }
    /// The workspace, to change directly (benches and examples set up a state this way; edits
    /// still go through `Workspace::apply`).
    pub fn workspace_mut(&mut self) -> &mut Workspace {
        &mut self.open.ws
    }
    pub fn schema(&self) -> &LabelSchema {
        &self.open.ws.schema
    }
    /// Index of the document on screen.
    pub fn current(&self) -> usize {
        self.open.cur
    }
    /// The document on screen, when it is in memory.
    pub fn doc(&self) -> Option<&Document> {
        self.open.ws.doc(self.open.cur)
    }
    pub fn selection(&self) -> &Selection {
        &self.open.sel
    }
    /// Where the article view should scroll (taken once by the view).
    pub fn scroll_target(&self) -> Option<CharSpan> {
        self.open.scroll_to
    }
    pub fn take_scroll_target(&mut self) -> Option<CharSpan> {
        self.open.scroll_to.take()
    }
    pub fn status(&self) -> &str {
        &self.status
    }
    /// How long the status has said what it says (as of the last `prepare`).
    pub fn status_age(&self) -> Duration {
        self.status_since.1.elapsed()
    }
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }
    pub fn settings(&self) -> &Settings {
        &self.settings
    }
    pub fn set_settings(&mut self, settings: Settings) {
        let recent = std::mem::take(&mut self.settings.recent);
        self.settings = settings;
        // What this session opened stays at the front, and opens where it was left.
        for r in recent.into_iter().rev() {
            self.remember(r);
        }
        if self.open.cur == 0 {
            self.return_to_last_doc();
        }
    }
    pub fn pipeline(&self) -> &Pipeline {
        &self.open.pipeline
    }
    pub fn stamp(&self) -> Stamp {
        Stamp {
            project: self.open.generation,
            revision: self.open.ws.revision(),
        }
    }
    pub fn filter(&self) -> &str {
        &self.open.filter
    }
    /// Whether a command that switches something is on (`None` for other commands).
    pub fn is_on(&self, cmd: &Command) -> Option<bool> {
        match cmd {
            Command::ToggleMoveOnDone => Some(self.settings.move_on_done),
            Command::ToggleMajority => Some(self.settings.majority),
            Command::ToggleUsefulOrder => Some(self.open.useful_first),
            Command::ToggleTheme => Some(self.settings.dark),
            _ => None,
        }
    }
    /// The status the document list is limited to (`None`: all).
    pub fn status_filter(&self) -> Option<Status> {
        self.open.status_filter
    }
    /// Indices of the documents under the filter (as of the last [`Session::prepare`]).
    pub fn listed(&self) -> &[usize] {
        &self.open.listed.1
    }
    /// Entities per label of the current document (as of the last [`Session::prepare`]).
    pub fn label_counts(&self) -> &[(String, usize)] {
        &self.open.label_counts.1
    }
    /// The text of `span` in the current document.
    pub fn slice(&self, span: CharSpan) -> &str {
        match (self.doc(), self.text_index()) {
            (Some(d), Some(index)) => index.slice(d.text(), span).unwrap_or_default(),
            _ => "",
        }
    }
    pub fn accept_filter(&self) -> (Option<&str>, f32) {
        (self.open.accept_label.as_deref(), self.open.accept_min)
    }
    pub fn disk_changes(&self) -> &[DiskChange] {
        &self.open.disk_changes
    }
    /// The project's annotation guidelines (Markdown; empty when there are none).
    pub fn guidelines(&self) -> &str {
        &self.open.guidelines
    }
    pub fn project_news(&self) -> Option<&str> {
        self.open.project_news.as_deref()
    }
    pub fn confirm(&self) -> Option<&Confirm> {
        self.open.confirm.as_ref()
    }
    pub fn last_save(&self) -> Option<Instant> {
        self.open.last_save
    }
    pub fn corpus(&self) -> &CorpusState {
        &self.open.corpus
    }
    /// The running job that writes (import, suggestions, learning, export), with its progress.
    pub fn job(&self) -> Option<JobProgress> {
        self.open.jobs.progress()
    }
    /// True while any background job runs.
    pub fn is_busy(&self) -> bool {
        self.open.jobs.is_busy()
    }
    /// Whether the person chose to quit without saving.
    pub fn quitting(&self) -> bool {
        self.quit
    }
    /// What the window should do for the session (dialogs, closing), oldest first.
    pub fn take_requests(&mut self) -> Vec<Request> {
        std::mem::take(&mut self.requests)
    }

    // ---------------- running ----------------

    /// Execute a command. Commands that only the window can carry out (dialogs, the palette, the
    /// find bar, help) do nothing here.
    pub fn run(&mut self, cmd: Command) {
        use Command as C;
        if self.review_key(&cmd) {
            return;
        }
        match cmd {
            C::OpenProject | C::ImportArticles | C::SaveAs | C::TypePath | C::Export => {}
            C::Find | C::Palette | C::Help | C::SearchProject | C::Guidelines => {}
            C::ModelWindow => {}
            C::ReviewSuggestions => self.open_review(),
            C::ToggleUsefulOrder => self.toggle_useful_order(),
            C::AnnotatorName => {}
            C::Agreement => self.run_agreement(),
            C::Adjudicate => self.adjudicate(),
            C::ToggleMajority => {
                self.settings.majority = !self.settings.majority;
                self.status = if self.settings.majority {
                    "Adjudicating with three or more annotators: what most of them marked is agreed"
                        .into()
                } else {
                    "Adjudicating: only what every annotator marked is agreed".into()
                };
            }
            C::TakeVersion(n) => self.take_version(n),
            C::TakeAllFrom(n) => self.take_all_from(n),
            C::AdjudicateDoc(id) => self.adjudicate_doc(&id),
            C::SetMineOnly(on) => self.set_mine_only(on),
            C::SetAnnotator(name) => self.set_annotator(&name),
            C::UseMainLayer => self.use_main_layer(),
            C::ReviewPick(_) => {}
            C::LearnNow => self.learn_now(),
            C::NewProject => self.new_project(),
            C::Save => self.save_or_ask(),
            C::Undo => self.undo(),
            C::Redo => self.redo(),
            C::NextDocument => self.go_to(self.open.cur + 1),
            C::PrevDocument => self.go_to(self.open.cur.saturating_sub(1)),
            C::GoTo(i) => self.go_to(i),
            C::NextSuggestion => self.select_suggestion(true),
            C::PrevSuggestion => self.select_suggestion(false),
            C::Accept => {
                if !self.take_selected() {
                    self.accept()
                }
            }
            C::Reject | C::Remove => self.reject_or_remove(),
            C::AcceptAll => self.accept_all(),
            C::EndLeft => self.move_boundary(true, -1),
            C::EndRight => self.move_boundary(true, 1),
            C::StartLeft => self.move_boundary(false, -1),
            C::StartRight => self.move_boundary(false, 1),
            C::MarkDone => self.mark_done(),
            C::FlagDocument => self.flag(None),
            C::Flag(reason) => self.flag(Some(reason)),
            C::SkipDocument => self.skip(),
            C::CaretLeft => self.caret(-1),
            C::CaretRight => self.caret(1),
            C::RefreshSuggestions => self.refresh_current(),
            C::RefreshAll => self.refresh_all(),
            C::Consistency => self.run_consistency(),
            C::Statistics => self.run_stats(),
            C::ClearSelection => self.open.sel = Selection::None,
            C::ToggleTheme => self.settings.dark = !self.settings.dark,
            C::ToggleMoveOnDone => {
                self.settings.move_on_done = !self.settings.move_on_done;
                self.status = if self.settings.move_on_done {
                    "Mark done now opens the next document not done yet".into()
                } else {
                    "Mark done now stays on the document".into()
                };
            }
            C::Quit => self.quit(),
            C::SetFilter(f) => self.open.filter = f,
            C::SetStatusFilter(st) => self.open.status_filter = st,
            C::Select(sel) => {
                self.open.scroll_to = sel.span();
                self.open.sel = sel;
            }
            C::SelectRange { range, exact } => self.select_range(range, exact),
            C::Click(c) => self.click(c),
            C::DoubleClick(c) => self.double_click(c),
            C::ApplyLabel(l) => self.apply_label(&l),
            C::SetSpanNote { span, label, note } => self.set_note(span, label, note),
            C::SetDocNote(note) => self.set_doc_note(note),
            C::SetGuidelines(text) => self.set_guidelines(text),
            C::SetAcceptFilter { label, min_score } => {
                self.open.accept_label = label;
                self.open.accept_min = min_score.clamp(0.0, 1.0);
            }
            C::AddLabel(name) => self.add_label(&name),
            C::UpdateLabel(i, l) => self.update_label(i, l),
            C::RenameLabel { from, to } => self.rename_label(&from, &to),
            C::DeleteLabel(name) => self.delete_label(&name, false),
            C::ConfirmDeleteLabel(name) => self.delete_label(&name, true),
            C::OpenPath(p) => self.open_project(p),
            C::ImportPaths(p) => self.import(p),
            C::SaveAsPath(p) => self.save_as(p),
            C::ExportTo(r) => self.export(r),
            C::ResolveDiskChange { id, reload } => self.resolve_disk_change(&id, reload),
            C::DismissProjectNews => self.open.project_news = None,
            C::RestoreRecovered => self.restore_recovered(),
            C::DiscardRecovered => self.discard_recovered(),
            C::DismissError => self.error = None,
            C::DismissConfirm => self.open.confirm = None,
            C::CloseRequested => self.close_requested(),
            C::QuitWithoutSaving => {
                self.quit = true;
                self.open.confirm = None;
                self.requests.push(Request::Close);
            }
            C::CancelJob => self.open.jobs.cancel(),
            C::CheckDisk => self.check_disk(Instant::now()),
            C::RunSearch(q) => self.run_search(q),
            C::RecheckConsistency => self.run_consistency(),
            C::Visit { doc, span, label } => self.visit(doc, span, label),
            C::PreviewTagAll(label) => self.preview_tag_all(label),
            C::PreviewFix { item, to } => self.preview_fix(item, to),
            C::ApplyBulk => self.apply_bulk(),
            C::CancelBulk => self.open.corpus.bulk = None,
            C::CloseTool(tool) => self.close_tool(tool),
        }
        self.prepare();
    }

    /// The periodic work: take what background jobs produced, autosave, look for changes on
    /// disk. Runs whether or not anything is drawn.
    pub fn tick(&mut self) {
        self.tick_at(Instant::now());
    }

    /// [`Session::tick`] at a given time (tests move the clock instead of sleeping).
    pub fn tick_at(&mut self, now: Instant) {
        self.poll_jobs();
        self.autosave(now);
        // A plug-in that stopped is said once, as an error; a bad answer in the status bar.
        for p in self.open.pipeline.problems() {
            if p.contains("is not used again") {
                self.error.get_or_insert(p);
            } else {
                self.status = p;
            }
        }
        self.prepare();
    }

    /// Bring derived state up to date: the current document is in memory, and the document list,
    /// the label counts and the token index match what is open.
    pub fn prepare(&mut self) {
        self.ensure_current();
        self.note_position();
        if self.status != self.status_since.0 {
            self.status_since = (self.status.clone(), Instant::now());
        }
        if let Some(e) = self.open.ws.journal_error.take() {
            self.error.get_or_insert(e);
        }
        let o = &mut self.open;
        // Runs every frame: compare before building anything.
        let (for_filter, for_status, for_n, for_rev) = &o.listed.0;
        // A status changes with any edit; the revision matters only when filtering by status.
        let rev = o.status_filter.map_or(0, |_| o.ws.revision());
        if *for_filter != o.filter
            || *for_status != o.status_filter
            || *for_n != o.ws.docs.len()
            || *for_rev != rev
        {
            let mut list = o.ws.filter(&o.filter);
            if let Some(st) = o.status_filter {
                list.retain(|&i| o.ws.docs[i].summary.status == st);
            }
            list.retain(|&i| o.team.shows(i));
            if let Some(rank) = o.ranking.as_ref().filter(|_| o.useful_first) {
                let mut pos = vec![usize::MAX; o.ws.docs.len()];
                for (k, &i) in rank.iter().enumerate() {
                    if let Some(p) = pos.get_mut(i) {
                        *p = k;
                    }
                }
                // Documents added since the order was made come last, in import order.
                list.sort_by_key(|&i| (pos[i], i));
            }
            let key = (o.filter.clone(), o.status_filter, o.ws.docs.len(), rev);
            o.listed = (key, list);
        }
        let counted = Some((o.cur, o.ws.revision()));
        if o.label_counts.0 != counted {
            // A handful of labels: a short list beats hashing every span's label.
            let mut m: Vec<(String, usize)> = Vec::new();
            for s in o.ws.doc(o.cur).map_or(&[][..], |d| d.spans()) {
                match m.iter_mut().find(|(l, _)| *l == s.label) {
                    Some((_, n)) => *n += 1,
                    None => m.push((s.label.clone(), 1)),
                }
            }
            o.label_counts = (counted, m);
        }
        if let Some(d) = o.ws.doc(o.cur) {
            if o.text.as_ref().is_none_or(|(k, _, _)| !k.is(d)) {
                o.text = Some((DocKey::of(d), d.tokens(), TextIndex::new(d.text())));
            }
        }
    }

    /// Build the document list again at the next `prepare` (its order or filter changed in a
    /// way its key does not see).
    fn relist(&mut self) {
        self.open.listed.0 .2 = usize::MAX;
    }

    /// The current document's tokens (for snapping and boundary moves).
    fn tokens(&self) -> Option<&Tokens> {
        let d = self.doc()?;
        let (k, t, _) = self.open.text.as_ref()?;
        k.is(d).then_some(t)
    }

    /// The char index of the current document's text (built once per document by `prepare`).
    pub fn text_index(&self) -> Option<&TextIndex> {
        let d = self.doc()?;
        let (k, _, index) = self.open.text.as_ref()?;
        k.is(d).then_some(index)
    }

    fn set_error(&mut self, e: impl Into<String>) {
        self.error = Some(e.into());
    }
}

/// "1 document", "3 documents": a count and its noun in the right number.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Identity of a document's text, for caches built from it: its id and the hash of its text.
/// Checking a document against it ([`DocKey::is`]) allocates nothing, so caches can check it
/// every frame.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocKey {
    id: String,
    sha: String,
}

impl DocKey {
    pub fn of(doc: &Document) -> DocKey {
        DocKey {
            id: doc.id.to_string(),
            sha: doc.text_sha256().to_string(),
        }
    }

    /// Whether `doc` is the document (and text) this key was made from.
    pub fn is(&self, doc: &Document) -> bool {
        self.id == doc.id.as_str() && self.sha == doc.text_sha256()
    }
}
