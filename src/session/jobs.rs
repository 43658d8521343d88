//! Background jobs: one runner for everything that runs off the window's thread. A job is a
//! worker thread that sends typed messages ([`Msg`]); [`Session::tick`] takes them in.
//!
//! The rule for running several: jobs that change the project (import, suggestions, learning,
//! export) run one at a time; queries (search, consistency, statistics) only read a snapshot,
//! run beside them, and a new query replaces a running one of its kind. Dropping a job (for
//! instance with the project it belonged to) tells its worker to stop.

use super::Session;
use crate::corpus::{CorpusStats, Hit, Inconsistency};
use crate::model::{DocId, Document, Edit, IdSource, Suggestion};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender, TryRecvError};
use std::sync::Arc;

/// What a job does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    Import,
    Suggest,
    Learn,
    Export,
    Search,
    Consistency,
    Statistics,
    /// Reading every document for the review of suggestions.
    Review,
    /// Reading every document for the "most useful first" order.
    Order,
    /// Reading every annotator's layer for their agreement.
    Agreement,
}

impl JobKind {
    /// What the status bar says while it runs.
    pub fn name(self) -> &'static str {
        match self {
            JobKind::Import => "Importing",
            JobKind::Suggest => "Suggesting",
            JobKind::Learn => "Learning",
            JobKind::Export => "Exporting",
            JobKind::Search => "Searching",
            JobKind::Consistency => "Checking consistency",
            JobKind::Statistics => "Counting",
            JobKind::Review => "Gathering suggestions",
            JobKind::Order => "Ordering documents",
            JobKind::Agreement => "Comparing annotators",
        }
    }

    /// How its failure starts.
    fn failure(self) -> &'static str {
        match self {
            JobKind::Import => "Import stopped",
            JobKind::Suggest => "Re-running the suggestions stopped",
            JobKind::Learn => "Learning stopped",
            JobKind::Export => "Could not export",
            JobKind::Search => "The search stopped",
            JobKind::Consistency => "The consistency check stopped",
            JobKind::Statistics => "Counting stopped",
            JobKind::Review => "Gathering the suggestions stopped",
            JobKind::Order => "Ordering the documents stopped",
            JobKind::Agreement => "Comparing the annotators stopped",
        }
    }

    /// Queries only read a snapshot of the project.
    pub fn is_query(self) -> bool {
        matches!(
            self,
            JobKind::Search
                | JobKind::Consistency
                | JobKind::Statistics
                | JobKind::Review
                | JobKind::Order
                | JobKind::Agreement
        )
    }

    /// A job done in one step (its progress is motion, not a fraction).
    pub fn is_one_step(self) -> bool {
        self == JobKind::Export
    }
}

/// Why a job failed; its message names the job.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}: {message}", .job.failure())]
pub struct JobError {
    pub job: JobKind,
    pub message: String,
}

/// Progress of the running job that changes the project.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JobProgress {
    pub kind: JobKind,
    pub done: usize,
    pub total: usize,
}

/// What workers send back.
pub(super) enum Msg {
    /// An imported, pre-annotated document (its id is assigned when it is added) and warnings.
    Doc(IdSource, Box<Document>, Vec<String>),
    /// Fresh suggestions for the document with this id.
    Suggestions(DocId, Vec<Suggestion>),
    /// One more item finished.
    Progress,
    /// An export finished: what was written.
    Exported(String),
    /// A learning run: its report, and its model when it is to suggest.
    Learned(Box<super::model::Learned>),
    /// Search hits, whether they were cut at the maximum, and a sentence about them.
    Hits(Vec<Hit>, bool, String),
    Consistency(Vec<Inconsistency>),
    Stats(CorpusStats, Vec<super::team::AnnotatorLine>),
    Gathered(Box<crate::corpus::Gathered>),
    Agreement(Box<crate::corpus::agree::Report>),
    Failed(String),
}

pub(super) type Worker = Box<dyn FnOnce(Sender<Msg>, Arc<AtomicBool>) + Send + 'static>;

struct Job {
    kind: JobKind,
    done: usize,
    total: usize,
    cancel: Arc<AtomicBool>,
    rx: Receiver<Msg>,
}

impl Drop for Job {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// What one job produced since the last look.
pub(super) struct Drained {
    pub kind: JobKind,
    pub msgs: Vec<Msg>,
    /// The job ended (its worker is gone or it failed): its final progress.
    pub finished: Option<(usize, usize)>,
}

#[derive(Default)]
pub(super) struct Jobs {
    running: Vec<Job>,
}

impl Jobs {
    /// Start a job; refused (with the kind that runs) while another job that changes the project
    /// runs and this one would change it too.
    pub fn start(&mut self, kind: JobKind, total: usize, work: Worker) -> Result<(), JobKind> {
        if kind.is_query() {
            self.running.retain(|j| j.kind != kind);
        } else if let Some(j) = self.running.iter().find(|j| !j.kind.is_query()) {
            return Err(j.kind);
        }
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let stop = cancel.clone();
        std::thread::spawn(move || work(tx, stop));
        self.running.push(Job {
            kind,
            done: 0,
            total,
            cancel,
            rx,
        });
        Ok(())
    }

    pub fn progress(&self) -> Option<super::JobProgress> {
        self.running
            .iter()
            .find(|j| !j.kind.is_query())
            .map(|j| super::JobProgress {
                kind: j.kind,
                done: j.done,
                total: j.total,
            })
    }

    pub fn is_busy(&self) -> bool {
        !self.running.is_empty()
    }

    /// Ask the job that changes the project to stop (it keeps what it did so far).
    pub fn cancel(&mut self) {
        for j in self.running.iter().filter(|j| !j.kind.is_query()) {
            j.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Forget a job (its worker is told to stop).
    pub fn drop_kind(&mut self, kind: JobKind) {
        self.running.retain(|j| j.kind != kind);
    }

    /// Take every message waiting; finished jobs are removed.
    pub fn drain(&mut self) -> Vec<Drained> {
        let mut out = Vec::new();
        for j in &mut self.running {
            let mut d = Drained {
                kind: j.kind,
                msgs: Vec::new(),
                finished: None,
            };
            loop {
                match j.rx.try_recv() {
                    Ok(m) => {
                        match &m {
                            Msg::Progress | Msg::Suggestions(..) => j.done += 1,
                            Msg::Exported(_) => j.done = j.total,
                            _ => {}
                        }
                        let failed = matches!(m, Msg::Failed(_));
                        d.msgs.push(m);
                        if failed {
                            d.finished = Some((j.done, j.total));
                            break;
                        }
                    }
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        d.finished = Some((j.done, j.total));
                        break;
                    }
                }
            }
            if !d.msgs.is_empty() || d.finished.is_some() {
                out.push(d);
            }
        }
        let done: Vec<JobKind> = out
            .iter()
            .filter(|d| d.finished.is_some())
            .map(|d| d.kind)
            .collect();
        self.running.retain(|j| !done.contains(&j.kind));
        out
    }
}

impl Session {
    /// Start a background job, or say why not.
    pub(super) fn start_job(&mut self, kind: JobKind, total: usize, work: Worker) -> bool {
        match self.open.jobs.start(kind, total, work) {
            Ok(()) => true,
            Err(running) => {
                self.status = format!(
                    "Wait for the running job ({}) to finish, or cancel it",
                    running.name().to_lowercase()
                );
                false
            }
        }
    }

    /// Take in what background jobs produced so far.
    pub(super) fn poll_jobs(&mut self) {
        let mut learned = None;
        for d in self.open.jobs.drain() {
            let first_new = self.open.ws.docs.len();
            for m in d.msgs {
                match m {
                    Msg::Doc(name, mut doc, warnings) => {
                        let twin = self.same_text(&doc);
                        doc.id = self.open.ws.fresh_id(&name);
                        let id = doc.id.clone();
                        self.open.ws.push_new(*doc);
                        let mut notes = warnings;
                        if let Some(twin) = twin {
                            notes.push(format!(
                                "{id} has the same text as {twin}, already in the project (added anyway: remove one if it is a mistake)"
                            ));
                        }
                        // Shown now, and again with the import's summary when it ends.
                        if !notes.is_empty() {
                            self.status = notes.join("; ");
                        }
                        for n in notes {
                            if !self.open.job_notes.contains(&n) {
                                self.open.job_notes.push(n);
                            }
                        }
                    }
                    Msg::Suggestions(id, sugg) => self.take_suggestions(&id, sugg),
                    Msg::Progress => {}
                    Msg::Exported(summary) => self.status = summary,
                    Msg::Learned(l) => learned = Some(l),
                    Msg::Hits(hits, truncated, summary) => self.take_hits(hits, truncated, summary),
                    Msg::Consistency(items) => self.take_consistency(items),
                    Msg::Stats(s, lines) => self.take_stats(s, lines),
                    Msg::Gathered(g) => self.take_gathered(d.kind, *g),
                    Msg::Agreement(r) => self.take_agreement(*r),
                    Msg::Failed(message) => {
                        let e = JobError {
                            job: d.kind,
                            message,
                        };
                        self.error = Some(e.to_string());
                    }
                }
            }
            if first_new == 0 && !self.open.ws.docs.is_empty() {
                self.go_to(0);
            }
            if let Some((done, total)) = d.finished {
                self.job_finished(d.kind, done, total);
            }
        }
        if let Some(l) = learned {
            self.open.jobs.drop_kind(JobKind::Learn);
            self.take_learned(*l);
        }
    }

    fn job_finished(&mut self, kind: JobKind, done: usize, total: usize) {
        match kind {
            JobKind::Import | JobKind::Suggest => {
                self.status = format!("{}: {done} of {total} done", kind.name());
                if kind == JobKind::Suggest {
                    let changed = self.close_refresh();
                    self.status.push_str(&changed);
                }
                let notes = std::mem::take(&mut self.open.job_notes);
                if !notes.is_empty() {
                    self.status = format!("{}. {}", self.status, notes.join("; "));
                }
            }
            JobKind::Search
            | JobKind::Consistency
            | JobKind::Statistics
            | JobKind::Review
            | JobKind::Agreement
            | JobKind::Order => self.query_finished(kind),
            JobKind::Learn | JobKind::Export => {}
        }
    }

    /// A document of the project with exactly this text (compared by length first, then by hash,
    /// so only documents of the same length are read).
    fn same_text(&mut self, doc: &Document) -> Option<DocId> {
        let chars = doc.char_len();
        let hash = doc.text_sha256();
        let candidates: Vec<usize> = (0..self.open.ws.docs.len())
            .filter(|&i| self.open.ws.docs[i].summary.chars == chars)
            .collect();
        candidates.into_iter().find_map(|i| {
            let d = self.open.ws.load(i).ok()?;
            (d.text_sha256() == hash).then(|| d.id.clone())
        })
    }

    /// Fresh suggestions from a worker, through the one edit path: undoable per document,
    /// never touching confirmed or rejected spans (`ReplaceSuggestions` filters them out).
    fn take_suggestions(&mut self, id: &DocId, sugg: Vec<Suggestion>) {
        let ws = &mut self.open.ws;
        let Some(i) = ws.position(id) else { return };
        let Ok(d) = ws.load(i) else { return };
        if d.suggestions() == sugg.as_slice() {
            return;
        }
        // New scores alone are applied too ("accept all above 0.9" reads them), but only
        // suggestions that came or went count as changed.
        let changed = changed_suggestions(d.suggestions(), &sugg);
        if ws.apply(i, &Edit::ReplaceSuggestions(sugg)).is_ok() {
            let h = &ws.docs[i].history;
            let step = (i, h.undo_len(), h.revision());
            let tally = self.open.refresh.get_or_insert_with(Default::default);
            tally.steps.push(step);
            tally.changed += changed;
        }
    }

    /// The end of a refresh: its edits become one undo step, and the words that say so.
    fn close_refresh(&mut self) -> String {
        let Some(t) = self.open.refresh.take() else {
            return "; no suggestion changed".into();
        };
        let docs = super::count(t.steps.len(), "document", "documents");
        // Only steps still on top of their document (not undone and edited over meanwhile)
        // join the group: one undo must never take a person's later edit with it.
        let ws = &self.open.ws;
        let current: Vec<(usize, usize)> = t
            .steps
            .into_iter()
            .filter(|&(i, _, rev)| ws.docs.get(i).is_some_and(|d| d.history.revision() == rev))
            .map(|(i, len, _)| (i, len))
            .collect();
        self.open.ws.group_steps(current);
        if t.changed == 0 {
            format!("; only scores changed, in {docs} (one undo step)")
        } else {
            format!(
                "; {} changed in {docs} (one undo step)",
                super::count(t.changed, "suggestion", "suggestions")
            )
        }
    }
}

/// What a refresh changed so far: the undo step of each document it changed, and how many
/// suggestions came or went.
#[derive(Default)]
pub(super) struct RefreshTally {
    /// (document, undo length and revision right after its step).
    steps: Vec<(usize, usize, u64)>,
    changed: usize,
}

/// Suggestions that came or went (by span and label; a new score alone is no change).
fn changed_suggestions(old: &[Suggestion], new: &[Suggestion]) -> usize {
    let gone = old
        .iter()
        .filter(|o| !new.iter().any(|n| n.key() == o.key()))
        .count();
    let came = new
        .iter()
        .filter(|n| !old.iter().any(|o| o.key() == n.key()))
        .count();
    gone + came
}

#[cfg(test)]
mod tests {
    use crate::model::Suggestion;

    #[test]
    fn a_suggestion_that_came_or_went_is_a_change_a_new_score_is_not() {
        let s = |a, b, l: &str, score| Suggestion::new(a, b, l, score, "tagger");
        let old = [s(0, 5, "PER", 0.9), s(10, 15, "LOC", 0.8)];
        let new = [
            s(0, 5, "PER", 0.7),
            s(10, 15, "ORG", 0.8),
            s(20, 25, "ORG", 0.6),
        ];
        // LOC went, ORG came twice; PER only changed its score.
        assert_eq!(super::changed_suggestions(&old, &new), 3);
        assert_eq!(super::changed_suggestions(&old, &old), 0);
    }
}
