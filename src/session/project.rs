//! The project as files: new, open, save, save as, import, export, learning, re-running the
//! extractor, autosave, and changes made on disk by others. Slow work runs as a background job.

use super::jobs::{JobKind, Msg};
use super::preannotate;
use super::{Confirm, ExportRequest, Request, Selection, Session};
use crate::model::{LabelSchema, Status};
use crate::store::{StoreError, Workspace};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

impl Session {
    pub(super) fn new_project(&mut self) {
        if self.open.ws.is_dirty() && self.open.ws.project.is_some() {
            self.try_save();
        }
        // The model that suggests stays.
        let (pipeline, model) = (self.open.pipeline.clone(), self.open.model.clone());
        self.replace(
            Workspace::empty("untitled", LabelSchema::news()),
            pipeline,
            model,
        );
        self.status = "New project: import articles to begin".into();
    }

    pub(super) fn open_project(&mut self, root: PathBuf) {
        if self.open.ws.project.is_some() && self.open.ws.is_dirty() && !self.try_save() {
            return;
        }
        let (ws, ask, problem) =
            super::layer::open_workspace(&root, self.me.as_ref(), self.config_dir.as_deref());
        self.asks_name = ask;
        match ws {
            Ok(w) => {
                let (pipeline, model) = super::layer::pipeline_of(&w, &root);
                self.replace(w, Arc::new(pipeline), model);
                self.status = format!("Opened {}", root.display());
                if let Some(who) = self.layer() {
                    self.status = format!("{}, in {who}'s layer", self.status);
                }
            }
            Err(e) => self.set_error(e),
        }
        if let Some(p) = problem {
            self.set_error(p);
        }
    }

    /// Save, or ask for a folder when the project has none yet.
    pub(super) fn save_or_ask(&mut self) {
        if self.open.ws.project.is_some() {
            self.try_save();
        } else {
            self.requests.push(Request::SaveAsDialog);
        }
    }

    pub(super) fn try_save(&mut self) -> bool {
        match self.open.ws.save() {
            Ok(n) => {
                self.open.last_save = Some(Instant::now());
                self.status = if n == 0 {
                    "Nothing to save: every change is already on disk".to_string()
                } else {
                    format!("Saved {}", super::count(n, "document", "documents"))
                };
                if let Some(news) = self.open.ws.merge_news.take() {
                    self.status = format!("{}. {news}", self.status);
                    self.open.project_news = Some(news);
                }
                true
            }
            Err(e @ StoreError::Conflict { .. }) => {
                self.status = format!("Not saved: {e}");
                self.check_disk(Instant::now());
                false
            }
            Err(e) => {
                self.set_error(format!(
                    "Could not save: {e}. Your changes are still here; try Save as."
                ));
                false
            }
        }
    }

    /// Save into a new folder. The project there is a new project: what belonged to the old
    /// folder (changes on disk, results of searches, jobs) does not carry over; the document on
    /// screen, the selection, the filter and the "Accept all" choice do. Refused while an import,
    /// learning or export runs (their results belong to the old folder).
    pub(super) fn save_as(&mut self, root: PathBuf) {
        if let Some(job) = self.open.jobs.progress() {
            self.status = format!(
                "Not saved: wait for the running job ({}) to finish, or cancel it",
                job.kind.name().to_lowercase()
            );
            return;
        }
        let mut ws = std::mem::replace(
            &mut self.open.ws,
            Workspace::empty("untitled", LabelSchema::news()),
        );
        let result = ws.save_as(&root);
        match result {
            Ok(()) => {
                let (pipeline, model) = (self.open.pipeline.clone(), self.open.model.clone());
                let mut open = super::Open::new(ws, pipeline, model);
                let old = &mut self.open;
                open.guidelines = std::mem::take(&mut old.guidelines);
                open.cur = old.cur;
                open.sel = old.sel.clone();
                open.filter = std::mem::take(&mut old.filter);
                open.accept_label = old.accept_label.take();
                open.accept_min = old.accept_min;
                open.last_save = Some(Instant::now());
                self.open = open;
                self.remember(root.clone());
                if !self.open.guidelines.is_empty() {
                    if let Err(e) =
                        crate::store::guidelines::write_guidelines(&root, &self.open.guidelines)
                    {
                        self.set_error(format!("Could not save the guidelines: {e}"));
                    }
                }
                self.status = format!("Saved the project in {}", root.display());
            }
            Err(e) => {
                self.open.ws = ws;
                self.set_error(format!("Could not save: {e}"));
            }
        }
    }

    /// Replace the guidelines; with a project folder they are written at once.
    pub(super) fn set_guidelines(&mut self, text: String) {
        self.open.guidelines = text;
        match self.open.ws.root().map(Path::to_path_buf) {
            Some(root) => {
                match crate::store::guidelines::write_guidelines(&root, &self.open.guidelines) {
                    Ok(()) => self.status = "Guidelines saved in guidelines.md".into(),
                    Err(e) => self.set_error(format!("Could not save the guidelines: {e}")),
                }
            }
            None => self.status = "Guidelines kept; Save as… writes them with the project".into(),
        }
    }

    /// The window is closing: write what a project folder can take (errors cannot be shown any
    /// more; the journal keeps the edits for the next start).
    pub fn save_before_exit(&mut self) {
        if self.open.ws.project.is_some() && self.open.ws.is_dirty() {
            let _ = self.open.ws.save();
        }
    }

    /// The window was asked to close: save a project that has a folder; ask when changes would
    /// be lost.
    pub(super) fn close_requested(&mut self) {
        if !self.quit && !self.may_close() {
            self.requests.push(Request::CancelClose);
        }
    }

    /// Quit (Ctrl+Q): save, then close; or ask when changes would be lost.
    pub(super) fn quit(&mut self) {
        if self.may_close() {
            self.quit = true;
            self.requests.push(Request::Close);
        }
    }

    /// Whether the window may close now: a project with a folder is saved first; changes in no
    /// folder need the person's answer (asked here).
    fn may_close(&mut self) -> bool {
        let ws = &self.open.ws;
        let refuse = if ws.project.is_some() {
            if ws.is_dirty() {
                !self.try_save()
            } else {
                // Only active time is unsaved: keep it if the disk lets us, never ask for it.
                if ws.unsaved_time() > 0 {
                    let _ = self.open.ws.save();
                }
                false
            }
        } else {
            ws.is_dirty() && !ws.docs.is_empty()
        };
        if refuse {
            self.open.confirm = Some(Confirm::Close);
        }
        !refuse
    }

    /// Import files in the background: each file is read and pre-annotated on a worker thread,
    /// and added as it arrives. Cancelling keeps what was imported so far.
    pub(super) fn import(&mut self, paths: Vec<PathBuf>) {
        let pipeline = self.open.pipeline.clone();
        let schema = self.open.ws.schema.clone();
        let total = paths.len();
        self.start_job(
            JobKind::Import,
            total,
            Box::new(move |tx, stop| {
                for path in paths {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let (docs, warnings) = match crate::store::formats::import_path(&path, None) {
                        Ok(read) => read,
                        Err(e) => {
                            let _ = tx.send(Msg::Failed(e.to_string()));
                            return;
                        }
                    };
                    // Each document is sent as soon as it is pre-annotated, so a large file
                    // shows up while it is read, and a cancel stops between documents.
                    for d in docs {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        let msg = match preannotate::into_pending(d, &schema, &pipeline) {
                            Ok((name, doc)) => Msg::Doc(name, Box::new(doc), warnings.clone()),
                            Err(e) => Msg::Failed(format!("{}: {e}", path.display())),
                        };
                        let failed = matches!(msg, Msg::Failed(_));
                        if tx.send(msg).is_err() || failed {
                            return;
                        }
                    }
                    if tx.send(Msg::Progress).is_err() {
                        return;
                    }
                }
            }),
        );
    }

    pub(super) fn refresh_current(&mut self) {
        if !super::plugins::configured().0.is_empty() {
            // A plug-in may take its time (up to its timeout): off the window's thread.
            self.refresh_docs(vec![self.open.cur]);
            return;
        }
        let p = self.open.pipeline.clone();
        match preannotate::refresh_suggestions(&mut self.open.ws, self.open.cur, &p) {
            Ok(()) => self.status = "Suggestions refreshed".into(),
            Err(e) => self.status = format!("Not done: {e}"),
        }
    }

    /// Re-run the extractor over every document not marked done, on a worker thread; results are
    /// applied as `ReplaceSuggestions` edits as they arrive. Cancelling keeps what was refreshed.
    pub(super) fn refresh_all(&mut self) {
        // Documents marked done were reviewed: their pending suggestions stay as they are.
        let todo = self.open.ws.source().select(|d| d.status != Status::Done);
        self.refresh_docs(todo);
    }

    /// Re-run the extractor over documents `todo` on a worker thread (see `refresh_all`).
    fn refresh_docs(&mut self, todo: Vec<usize>) {
        let pipeline = self.open.pipeline.clone();
        let schema = self.open.ws.schema.clone();
        let source = self.open.ws.source();
        let total = todo.len();
        let started = self.start_job(
            JobKind::Suggest,
            total,
            Box::new(move |tx, stop| {
                for i in todo {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    // Only changed suggestions come back, so unchanged documents stay unloaded.
                    let msg = match source.get(i) {
                        Ok(d) => {
                            let s = pipeline.suggest_for(&d, &schema);
                            if s == d.suggestions() {
                                Msg::Progress
                            } else {
                                Msg::Suggestions(d.id.clone(), s)
                            }
                        }
                        Err(_) => Msg::Progress,
                    };
                    if tx.send(msg).is_err() {
                        break;
                    }
                }
            }),
        );
        // A refresh refused (one already runs) keeps the running one's tally.
        if started {
            self.open.refresh = None;
        }
    }

    /// Export on a worker thread (documents are copied first, so editing can go on).
    pub(super) fn export(&mut self, r: ExportRequest) {
        use crate::store::formats;
        if let Err(e) = formats::check_export_target(self.open.ws.root(), r.format, &r.path) {
            self.set_error(format!("Could not export: {e}"));
            return;
        }
        let source = self.open.ws.source();
        let opts = crate::store::export::ExportOptions {
            only_done: r.only_done,
            include_suggestions: r.include_suggestions,
            include_set_aside: r.include_set_aside,
        };
        let chosen = source.select(|d| opts.wants(d.status));
        let settings = formats::ExportSettings {
            scheme: r.scheme,
            include_suggestions: r.include_suggestions,
            labels: self
                .open
                .ws
                .schema
                .labels
                .iter()
                .map(|l| l.name.clone())
                .collect(),
            ..Default::default()
        };
        let total = chosen.len();
        self.start_job(
            JobKind::Export,
            total,
            Box::new(move |tx, _| {
                let msg = chosen
                    .iter()
                    .map(|&i| source.get(i))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| e.to_string())
                    .and_then(|docs| {
                        let loss = formats::export_docs(&docs, r.format, &settings, &r.path)
                            .map_err(|e| e.to_string())?;
                        let mut s = format!(
                            "Exported {} as {} to {}",
                            super::count(docs.len(), "document", "documents"),
                            r.format.name(),
                            r.path.display()
                        );
                        for line in loss.report() {
                            s.push_str(" — ");
                            s.push_str(&line);
                        }
                        Ok(s)
                    });
                let _ = tx.send(match msg {
                    Ok(s) => Msg::Exported(s),
                    Err(e) => Msg::Failed(e),
                });
            }),
        );
    }

    /// Look for files changed underneath us (another annotator, a git pull, `tagwright add`).
    pub(super) fn check_disk(&mut self, now: Instant) {
        let o = &mut self.open;
        o.last_disk_check = now;
        if let Some(news) = o.ws.manifest_changed_on_disk() {
            self.status = news.clone();
            o.project_news = Some(news);
        }
        for c in o.ws.changed_on_disk() {
            if !o.disk_changes.iter().any(|x| x.id == c.id) {
                o.disk_changes.push(c);
            }
        }
        self.check_team_disk();
    }

    /// Resolve a change on disk: reload the file's version, or keep this one.
    pub(super) fn resolve_disk_change(&mut self, id: &crate::model::DocId, reload: bool) {
        let o = &mut self.open;
        let Some(pos) = o.disk_changes.iter().position(|c| &c.id == id) else {
            return;
        };
        let c = o.disk_changes.remove(pos);
        if reload {
            match o.ws.reload_from_disk(c.index) {
                Ok(()) => {
                    self.status = format!("Reloaded {} from disk", c.id);
                    if c.index == o.cur {
                        o.sel = Selection::None;
                    }
                }
                Err(e) => self.error = Some(e.to_string()),
            }
        } else {
            o.ws.keep_mine(c.index);
            self.status = format!(
                "Keeping your version of {}; it is saved over the file",
                c.id
            );
        }
    }

    pub(super) fn restore_recovered(&mut self) {
        match self.open.ws.restore_recovered() {
            Ok(k) => {
                let k = super::count(k, "change", "changes");
                self.status = format!("Restored {k}; save to keep them");
            }
            Err(e) => self.set_error(format!("Could not restore every change: {e}")),
        }
    }

    pub(super) fn discard_recovered(&mut self) {
        if let Err(e) = self.open.ws.discard_recovered() {
            self.set_error(e.to_string());
        }
    }

    /// Every [`super::AUTOSAVE_EVERY`]: look for changes on disk, then write unsaved changes
    /// (not while a change on disk waits for the person's choice).
    pub(super) fn autosave(&mut self, now: Instant) {
        let every = super::AUTOSAVE_EVERY;
        if now.saturating_duration_since(self.open.last_autosave_try) < every {
            return;
        }
        self.open.last_autosave_try = now;
        if now.saturating_duration_since(self.open.last_disk_check) >= every {
            self.check_disk(now);
        }
        let o = &mut self.open;
        let unsaved = o.ws.is_dirty() || o.ws.unsaved_time() > 0;
        if !o.disk_changes.is_empty() || o.ws.project.is_none() || !unsaved {
            return;
        }
        match o.ws.save() {
            Ok(_) => {
                o.last_save = Some(now);
                o.autosave_failed = false;
                if let Some(news) = o.ws.merge_news.take() {
                    self.status = news.clone();
                    o.project_news = Some(news);
                }
            }
            Err(e) => {
                // Report once; keep trying quietly.
                if !o.autosave_failed {
                    o.autosave_failed = true;
                    self.status = format!("Autosave failed: {e}");
                }
            }
        }
    }
}
