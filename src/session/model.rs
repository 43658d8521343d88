//! Which model suggests, and learning that only ever replaces it with a better one.
//!
//! Marking a document done starts a learning job: it cross-validates learning on the documents
//! marked done against the shipped model (`extract::tagger::learn` says why not a model learned
//! earlier), and only when the learned model is at least as good on documents it did not learn
//! from does it become the
//! project's model (written to `model/tagger.twm` with `tagger.info.ron` beside it) and refresh
//! the pending suggestions — one undo step, with a count of what changed. Otherwise the current
//! model stays and the session says why. Either way the report is kept for the Model window.

use super::jobs::{JobKind, Msg};
use super::Session;
use crate::extract::tagger::learn::{cross_validate, learn_warm, Check};
use crate::extract::tagger::model::Model;
use crate::model::Status;
use crate::store::ModelInfo;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Which model suggests.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelSource {
    /// The model shipped with Tagwright (trained on CoNLL-2003).
    Shipped,
    /// The project's own, learned from its documents marked done (`None`: learned before
    /// Tagwright recorded how).
    Learned(Option<ModelInfo>),
}

/// What one learning run found.
#[derive(Clone, Debug)]
pub struct LearnReport {
    /// Documents marked done it looked at.
    pub docs: usize,
    /// The held-out comparison (`None` with fewer than 2 documents marked done).
    pub check: Option<Check>,
    /// Whether the learned model became the project's model, and why in a sentence.
    pub accepted: bool,
    pub why: String,
    /// Seconds since the Unix epoch.
    pub at: u64,
}

/// What a learning job sends back.
pub(super) struct Learned {
    pub model: Option<Model>,
    pub report: LearnReport,
}

#[derive(Clone, Debug)]
pub struct ModelState {
    pub source: ModelSource,
    pub last: Option<LearnReport>,
}

impl ModelState {
    /// The state when the learned model in the file `own` suggests (`None`: the shipped one).
    pub fn of(own: Option<&Path>) -> ModelState {
        ModelState {
            source: match own {
                Some(path) => ModelSource::Learned(crate::store::read_model_info(path)),
                None => ModelSource::Shipped,
            },
            last: None,
        }
    }

    /// For the status bar: "shipped model" or "learned from 12 documents (2026-11-28 14:03 UTC)".
    pub fn describe(&self) -> String {
        match &self.source {
            ModelSource::Shipped => "shipped model".into(),
            ModelSource::Learned(None) => "the project's learned model".into(),
            ModelSource::Learned(Some(i)) => format!(
                "learned from {} ({})",
                super::count(i.docs, "document", "documents"),
                when(i.learned_at)
            ),
        }
    }
}

/// Unix seconds as `YYYY-MM-DD HH:MM UTC`.
pub fn when(secs: u64) -> String {
    format!(
        "{} {:02}:{:02} UTC",
        crate::corpus::day_string(secs / 86_400),
        secs / 3600 % 24,
        secs / 60 % 60
    )
}

impl Session {
    /// Learn from the documents marked done on a worker thread, check the result on documents it
    /// did not learn from, and make it the project's model only when it is at least as good.
    pub(super) fn learn(&mut self) {
        // Learning follows marking done: while another job changes the project it is left
        // for the next time, quietly (the person marked a document done, not asked to learn).
        if self.open.jobs.progress().is_some() {
            return;
        }
        let source = self.open.ws.source();
        let done = source.select(|d| d.status == Status::Done);
        if done.is_empty() {
            return;
        }
        // Never through a layer folder that is a link (loading its documents says why).
        let save_to = (self.open.ws.project.as_ref())
            .filter(|p| p.check_layer_dirs().is_ok())
            .map(|p| p.model_path());
        let schema = self.open.ws.schema.clone();
        let baseline = Arc::new(crate::extract::Pipeline::news());
        let total = done.len();
        self.start_job(
            JobKind::Learn,
            total,
            Box::new(move |tx, stop| {
                // The documents marked done are what the person reviewed; the model needs them
                // all at once, so they are read here, off the window's thread.
                let docs: Vec<crate::model::Document> =
                    done.iter().filter_map(|&i| source.get(i).ok()).collect();
                let cfg = crate::extract::tagger::train::TrainConfig {
                    epochs: 6,
                    ..Default::default()
                };
                let stopped = || stop.load(Ordering::Relaxed);
                let check = cross_validate(&docs, &schema, &baseline, &cfg, &stopped);
                if stopped() {
                    return;
                }
                let (accepted, why) = match &check {
                    Some(c) => c.verdict(),
                    None => (false, "one document marked done is not enough to check what was learned on a document it did not see; the current model stays until a second one is done".into()),
                };
                let mut report = LearnReport {
                    docs: docs.len(),
                    check,
                    accepted,
                    why,
                    at: now_secs(),
                };
                let model = accepted
                    .then(|| learn_warm(&docs, &schema, &cfg, |_| {}).map(|(m, _)| m))
                    .flatten();
                // Dropped (the project was replaced) or cancelled: nothing is written.
                if stopped() {
                    return;
                }
                if let (Some(m), Some(path)) = (&model, &save_to) {
                    let info = info_of(&report);
                    let saved = crate::store::save_model(path, &m.to_bytes())
                        .and_then(|()| crate::store::save_model_info(path, &info));
                    if let Err(e) = saved {
                        let _ = tx.send(Msg::Failed(format!(
                            "could not save the learned model: {e}"
                        )));
                        return;
                    }
                }
                if accepted && model.is_none() {
                    report.accepted = false;
                    report.why = "the documents marked done have no entities to learn from".into();
                }
                let _ = tx.send(Msg::Learned(Box::new(Learned { model, report })));
            }),
        );
    }

    /// Learn now (the command): like after Mark done, but says when there is nothing to learn.
    pub(super) fn learn_now(&mut self) {
        if self.open.ws.done_count() == 0 {
            self.status = "Nothing to learn yet: mark a corrected document done first".into();
        } else if self.open.jobs.progress().is_some() {
            self.status = "Wait for the running job to finish, then learn".into();
        } else {
            self.learn();
            self.status = "Learning from the documents marked done…".into();
        }
    }

    /// A learning job finished: switch to its model when it was accepted and refresh the
    /// suggestions; say what happened either way.
    pub(super) fn take_learned(&mut self, l: Learned) {
        let Learned { model, report } = l;
        match model.filter(|_| report.accepted) {
            Some(m) => {
                let tagger = Arc::new(crate::extract::tagger::Tagger::new(m));
                self.open.pipeline = Arc::new(super::plugins::with_plugins(
                    crate::extract::Pipeline::with_tagger(Some(tagger)),
                ));
                self.open.model.source = ModelSource::Learned(Some(info_of(&report)));
                self.status = format!(
                    "Learned from {}: the new model suggests from now on ({}); refreshing suggestions",
                    super::count(report.docs, "document marked done", "documents marked done"),
                    report.why
                );
                self.refresh_all();
            }
            None => {
                self.status = format!("Learning kept the current model: {}", report.why);
            }
        }
        self.open.model.last = Some(report);
    }

    /// Which model suggests, and the last learning run's report.
    pub fn model(&self) -> &ModelState {
        &self.open.model
    }
}

fn info_of(r: &LearnReport) -> ModelInfo {
    model_info(r.docs, r.at, r.check.as_ref())
}

/// What `model/tagger.info.ron` records of a model learned from `docs` documents at `at` (Unix
/// seconds), with its held-out check (for the window and `tagwright train PROJECT`).
pub fn model_info(docs: usize, at: u64, check: Option<&Check>) -> ModelInfo {
    ModelInfo {
        docs,
        learned_at: at,
        held_out_f1: check.map(|c| c.learned.micro().2),
        shipped_f1: check.map(|c| c.shipped.micro().2),
    }
}

/// Seconds since the Unix epoch, now.
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
