//! The window's side of a team project (see `store::layers` and `team`): which layer the open
//! project is on, asking the person's name once, switching between their layer and the main
//! (adjudicated) one, and "my documents" from the assignments.
//!
//! A team project (it has `layers/` or `assignments.ron`) opens in the person's own layer when
//! their name is known (`TAGWRIGHT_ANNOTATOR`, or the name saved on this machine). Without a name
//! it opens in the main layer and the window asks for one ([`Session::asks_name`]). A one-person
//! project is never asked about and works in its main layer as always.

use super::{team, ModelState, Session};
use crate::extract::Pipeline;
use crate::model::Annotator;
use crate::store::Workspace;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// Per open project: the documents assigned to the person, and whether the list shows only
/// those.
#[derive(Debug, Default)]
pub(crate) struct TeamView {
    /// Indices (in the workspace) of the documents assigned to this layer's annotator; `None`
    /// when the project assigns nothing to them.
    pub(crate) mine: Option<HashSet<usize>>,
    pub(crate) mine_only: bool,
    /// When each layer folder and the assignments last changed, as last looked at (a git pull
    /// that brings others' work shows up here).
    pub(crate) stamps: Stamps,
    /// The project is a team project (see `team::is_team_project`), as of the last look: the
    /// window asks every frame, the disk only at open and with each disk check.
    pub(crate) is_team: bool,
}

/// Modification times of `layers/<name>/` (a folder's time changes when a file in it is written:
/// every write is a rename into it) and of `assignments.ron`.
pub(crate) type Stamps = std::collections::BTreeMap<String, std::time::SystemTime>;

fn stamps(root: &Path) -> Stamps {
    let mut out = Stamps::new();
    let time = |p: &Path| std::fs::symlink_metadata(p).and_then(|m| m.modified()).ok();
    if let Ok(who) = crate::store::layers::annotators(root) {
        for a in who {
            if let Some(t) = time(&crate::store::layers::layer_dir(root, &a)) {
                out.insert(a.to_string(), t);
            }
        }
    }
    if let Some(t) = time(&root.join(crate::store::layers::ASSIGNMENTS)) {
        out.insert(String::new(), t);
    }
    out
}

/// Which layer to open `root` in, whether to ask for the person's name, and a problem with the
/// name that is set. `known`: the name the person gave in this window.
pub(crate) fn layer_for(
    root: &Path,
    known: Option<&Annotator>,
    config: Option<&Path>,
) -> (Option<Annotator>, bool, Option<String>) {
    if !team::is_team_project(root) {
        return (None, false, None);
    }
    if let Some(who) = known {
        return (Some(who.clone()), false, None);
    }
    match team::annotator_in(None, config) {
        Ok(Some(who)) => (Some(who), false, None),
        Ok(None) => (None, true, None),
        Err(e) => (
            None,
            true,
            Some(format!("The annotator name is not valid: {e}")),
        ),
    }
}

/// Open `root` in the layer [`layer_for`] chose.
pub(crate) fn open_workspace(
    root: &Path,
    known: Option<&Annotator>,
    config: Option<&Path>,
) -> (Result<Workspace, String>, bool, Option<String>) {
    let (who, ask, problem) = layer_for(root, known, config);
    let ws = Workspace::open_as(root, who).map_err(|e| e.to_string());
    (ws, ask, problem)
}

/// The pipeline for `ws` (opened from `root`): each layer suggests with the model learned from
/// it, if any (see `Project::model_path`).
pub(crate) fn pipeline_of(ws: &Workspace, root: &Path) -> (Pipeline, ModelState) {
    let model_file = ws.project.as_ref().map(|p| p.model_path());
    let model_file = model_file.unwrap_or_else(|| crate::store::model_path(root));
    let (pipeline, model, _) = super::preannotate::pipeline_with_model(&model_file);
    (pipeline, model)
}

impl TeamView {
    /// The assignment of `ws`'s annotator, read from its project folder; and why it could not
    /// be read (every document is listed then).
    pub(crate) fn of(ws: &Workspace) -> (TeamView, Option<String>) {
        let (Some(p), Some(root)) = (ws.project.as_ref(), ws.root()) else {
            return (TeamView::default(), None);
        };
        let (mut view, problem) = TeamView::assigned(ws, p, root);
        view.stamps = stamps(root);
        view.is_team = team::is_team_project(root);
        (view, problem)
    }

    fn assigned(
        ws: &Workspace,
        p: &crate::store::Project,
        root: &Path,
    ) -> (TeamView, Option<String>) {
        let Some(me) = p.layer() else {
            return (TeamView::default(), None);
        };
        let a = match crate::store::layers::read_assignments(root) {
            Ok(Some(a)) => a,
            Ok(None) => return (TeamView::default(), None),
            Err(e) => {
                let why = format!("The assignments could not be read ({e}); every document is listed. Assign again with `tagwright assign`.");
                return (TeamView::default(), Some(why));
            }
        };
        let ids: HashSet<&crate::model::DocId> = a.of(me).collect();
        let mine: HashSet<usize> = ws
            .docs
            .iter()
            .enumerate()
            .filter(|(_, d)| ids.contains(&d.summary.id))
            .map(|(i, _)| i)
            .collect();
        let view = TeamView {
            mine_only: true,
            mine: Some(mine),
            ..TeamView::default()
        };
        (view, None)
    }

    /// Whether document `i` is listed under the "mine only" filter.
    pub(crate) fn shows(&self, i: usize) -> bool {
        match (&self.mine, self.mine_only) {
            (Some(m), true) => m.contains(&i),
            _ => true,
        }
    }
}

impl Session {
    /// Look for others' work and new assignments on disk (part of the periodic disk check): a
    /// layer folder that changed is news; changed assignments are read again.
    pub(super) fn check_team_disk(&mut self) {
        let Some(root) = self.open.ws.root().map(Path::to_path_buf) else {
            return;
        };
        self.open.team.is_team = team::is_team_project(&root);
        if !self.open.team.is_team {
            return;
        }
        let now = stamps(&root);
        let before = std::mem::replace(&mut self.open.team.stamps, now.clone());
        let me = self.layer().map(|a| a.to_string()).unwrap_or_default();
        let others: Vec<&str> = now
            .iter()
            .filter(|(k, t)| !k.is_empty() && **k != me && before.get(*k) != Some(*t))
            .map(|(k, _)| k.as_str())
            .collect();
        let mut news = Vec::new();
        if !others.is_empty() {
            news.push(format!(
                "New or changed work on disk from {} (a git pull?); Agreement (Ctrl+Shift+A) and Adjudicate (Ctrl+J) read it",
                others.join(", ")
            ));
        }
        if now.get("") != before.get("") {
            let mine_only = self.open.team.mine_only;
            let (mut view, problem) = TeamView::of(&self.open.ws);
            view.mine_only = mine_only;
            if let Some(m) = &view.mine {
                news.push(format!(
                    "The assignments changed on disk: {} yours",
                    super::count(m.len(), "document is", "documents are")
                ));
            }
            self.open.team = view;
            self.relist();
            if let Some(p) = problem {
                self.set_error(p);
            }
        }
        if !news.is_empty() {
            let news = news.join(". ");
            self.status = news.clone();
            self.open.project_news = Some(news);
        }
    }

    /// The window should ask who is annotating (a team project, and no name is known).
    pub fn asks_name(&self) -> bool {
        self.asks_name
    }

    /// Whose layer the open project is on (`None`: the main layer, or no project folder).
    pub fn layer(&self) -> Option<&Annotator> {
        self.open.ws.project.as_ref()?.layer()
    }

    /// The open project is a team project (it has layers or assignments).
    pub fn is_team(&self) -> bool {
        self.open.team.is_team
    }

    /// The list shows only the documents assigned to this layer's annotator: `Some(on)` when
    /// the project assigns them documents, `None` when it does not.
    pub fn mine_only(&self) -> Option<bool> {
        self.open
            .team
            .mine
            .as_ref()
            .map(|_| self.open.team.mine_only)
    }

    pub(super) fn set_mine_only(&mut self, on: bool) {
        self.open.team.mine_only = on;
        self.relist();
    }

    /// The person said who they are: remember it on this machine and, in a team project, go on
    /// in their layer.
    pub(super) fn set_annotator(&mut self, name: &str) {
        let who = match Annotator::new(name.trim()) {
            Ok(w) => w,
            Err(e) => return self.set_error(format!("{e}. Use letters, digits, '-', '_' or '.'.")),
        };
        if let Err(e) = team::remember_annotator(&who, self.config_dir.as_deref()) {
            self.set_error(format!("Your name could not be saved on this machine ({e}); it is used until the window closes."));
        }
        // This window keeps it too: a name that could not be saved still counts until it closes.
        self.me = Some(who.clone());
        self.asks_name = false;
        if !self.is_team() {
            self.status =
                format!("Your name, {who}, names your layer in projects a team annotates");
            return;
        }
        self.reopen_in(Some(who.clone()));
        self.status =
            format!("You annotate as {who}: your work is saved in your own layer (layers/{who}/)");
    }

    /// Work on the main layer (the adjudicated one) instead of the person's own.
    pub(super) fn use_main_layer(&mut self) {
        self.asks_name = false;
        if self.layer().is_some() {
            self.reopen_in(None);
        }
        self.status = "You work on the main layer: what export and learning use".into();
    }

    /// Open the same project folder again, in another layer (saving first).
    fn reopen_in(&mut self, who: Option<Annotator>) {
        let Some(root) = self.open.ws.root().map(Path::to_path_buf) else {
            return;
        };
        if self.open.ws.is_dirty() && !self.try_save() {
            return;
        }
        match Workspace::open_as(&root, who) {
            Ok(w) => {
                let (pipeline, model) = pipeline_of(&w, &root);
                self.replace(w, Arc::new(pipeline), model);
            }
            Err(e) => self.set_error(e.to_string()),
        }
    }
}
