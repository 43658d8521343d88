//! What to look at next: a review of the pending suggestions of the whole project, least
//! confident first, and the document list ordered most useful first (`corpus::review` says how).
//!
//! While the review is open, the article's keys act on it: Enter accepts the current suggestion,
//! Backspace (or Delete) rejects it, a label key accepts it as that label, Tab and Shift+Tab move,
//! Ctrl+Z takes back the last decision. Each decision is an edit of its document through the
//! workspace (loading it if needed; nothing is opened on screen) and moves on to the next
//! suggestion not yet decided.

use super::jobs::{JobKind, Msg};
use super::{Command, Session};
use crate::corpus::{Gathered, Pending};
use crate::model::{Edit, Origin};
use std::sync::atomic::Ordering;

/// The review of pending suggestions.
#[derive(Default)]
pub struct Review {
    pub items: Vec<Pending>,
    /// What happened to each item (`None`: not decided yet): "accepted", "rejected", "as ORG", or
    /// why it was skipped.
    pub decided: Vec<Option<String>>,
    /// The current item.
    pub at: usize,
    pub running: bool,
    /// Decided items with their document's revision right after the decision, latest last (for
    /// Ctrl+Z).
    history: Vec<(usize, u64)>,
}

impl Review {
    pub fn left(&self) -> usize {
        self.decided.iter().filter(|d| d.is_none()).count()
    }
}

enum Decision {
    Accept,
    Reject,
    As(String),
}

impl Session {
    /// Open the review (Ctrl+Shift+R) and gather what it lists.
    pub(super) fn open_review(&mut self) {
        self.open.corpus.review = Some(Review {
            running: true,
            ..Default::default()
        });
        self.gather(JobKind::Review);
    }

    /// Turn the "most useful first" order on (gathering what it needs) or off.
    pub(super) fn toggle_useful_order(&mut self) {
        self.open.useful_first = !self.open.useful_first;
        self.open.ranking = None;
        self.relist();
        if self.open.useful_first {
            self.status =
                "Ordering the documents: uncertain suggestions and rare labels first…".into();
            self.gather(JobKind::Order);
        } else {
            self.status = "Documents in project order".into();
        }
    }

    /// Read every document on a worker thread, for the review or the order (`kind`).
    fn gather(&mut self, kind: JobKind) {
        let source = self.open.ws.source();
        self.start_job(
            kind,
            0,
            Box::new(move |tx, stop| {
                let mut g = Gathered::default();
                for i in 0..source.len() {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    if let Ok(d) = source.get(i) {
                        g.add(i, &d);
                    }
                }
                let _ = tx.send(Msg::Gathered(Box::new(g)));
            }),
        );
    }

    pub(super) fn take_gathered(&mut self, kind: JobKind, g: Gathered) {
        if kind == JobKind::Order {
            if self.open.useful_first {
                self.open.ranking = Some(g.most_useful_first(self.open.ws.docs.len()));
                self.relist();
                self.status = "Documents ordered most useful first".into();
            }
            return;
        }
        if let Some(r) = &mut self.open.corpus.review {
            r.items = g.review_queue();
            r.decided = vec![None; r.items.len()];
            r.at = 0;
            r.running = false;
            r.history.clear();
        }
    }

    /// The review, when it is open.
    pub fn review(&self) -> Option<&Review> {
        self.open.corpus.review.as_ref()
    }

    /// The article's keys while the review is open: whether `cmd` was the review's.
    pub(super) fn review_key(&mut self, cmd: &Command) -> bool {
        if self
            .open
            .corpus
            .review
            .as_ref()
            .is_none_or(|r| r.items.is_empty())
        {
            return false;
        }
        match cmd {
            Command::Accept => self.decide(Decision::Accept),
            Command::Reject | Command::Remove => self.decide(Decision::Reject),
            Command::ApplyLabel(l) => self.decide(Decision::As(l.clone())),
            Command::NextSuggestion => self.review_move(true),
            Command::PrevSuggestion => self.review_move(false),
            Command::ReviewPick(i) => self.review_pick(*i),
            Command::Undo => return self.review_undo(),
            _ => return false,
        }
        true
    }

    fn review_pick(&mut self, i: usize) {
        if let Some(r) = &mut self.open.corpus.review {
            r.at = i.min(r.items.len().saturating_sub(1));
        }
    }

    fn review_move(&mut self, forward: bool) {
        let Some(r) = &mut self.open.corpus.review else {
            return;
        };
        let n = r.items.len();
        r.at = if forward {
            (r.at + 1).min(n - 1)
        } else {
            r.at.saturating_sub(1)
        };
    }

    fn decide(&mut self, how: Decision) {
        let Some(r) = &self.open.corpus.review else {
            return;
        };
        let k = r.at;
        let Some(p) = r.items.get(k).cloned() else {
            return;
        };
        if r.decided[k].is_some() {
            self.status = "Already decided: Ctrl+Z takes the last decision back".into();
            return;
        }
        let ws = &mut self.open.ws;
        let found = ws
            .load(p.doc)
            .ok()
            .and_then(|d| d.find_suggestion(p.span, &p.label).cloned());
        let outcome = match (found, how) {
            (None, _) => Err("no longer pending (it changed since the list was made)".to_string()),
            (Some(_), Decision::Accept) => Ok((
                Edit::AcceptSuggestion {
                    span: p.span,
                    label: p.label.clone(),
                },
                "accepted".to_string(),
            )),
            (Some(_), Decision::Reject) => Ok((
                Edit::RejectSuggestion {
                    span: p.span,
                    label: p.label.clone(),
                },
                "rejected".to_string(),
            )),
            (Some(s), Decision::As(l)) if l == p.label => Ok((
                Edit::AcceptSuggestion {
                    span: s.span,
                    label: l,
                },
                "accepted".to_string(),
            )),
            (Some(s), Decision::As(l)) => {
                let origin = Origin::Corrected {
                    source: s.source.clone(),
                    suggested: s.label.clone(),
                };
                match ws.tag_edit_as(p.doc, p.span, &l, origin) {
                    Some(e) => Ok((e, format!("as {l}"))),
                    None => Err(format!("{l} is not a label of this project")),
                }
            }
        };
        let what = match outcome {
            Ok((edit, what)) => {
                let edit = ws.with_progress(p.doc, edit);
                match ws.apply(p.doc, &edit) {
                    Ok(()) => what,
                    Err(e) => format!("not done: {e}"),
                }
            }
            Err(why) => format!("skipped: {why}"),
        };
        let decided_edit = !what.starts_with("skipped") && !what.starts_with("not done");
        let rev = self.open.ws.docs[p.doc].history.revision();
        self.status = format!("“{}” {}: {what}", p.matched, p.label);
        if let Some(r) = &mut self.open.corpus.review {
            r.decided[k] = Some(what);
            if decided_edit {
                r.history.push((k, rev));
            }
            // On to the next one not decided (after this one, then from the top).
            let n = r.items.len();
            if let Some(next) = (k + 1..n).chain(0..k).find(|&i| r.decided[i].is_none()) {
                r.at = next;
            }
        }
    }

    /// Ctrl+Z in the review: take back its last decision (undo in that document), unless the
    /// document changed since: then undo would take something else back, so it says so instead.
    fn review_undo(&mut self) -> bool {
        let Some(&(k, rev)) = self
            .open
            .corpus
            .review
            .as_ref()
            .and_then(|r| r.history.last())
        else {
            return false;
        };
        let doc = self.open.corpus.review.as_ref().map(|r| r.items[k].doc);
        let moved_on = doc.is_some_and(|d| self.open.ws.docs[d].history.revision() != rev);
        if moved_on {
            self.status = "That document changed after the decision: open it and undo there".into();
            return true;
        }
        if let Some(r) = &mut self.open.corpus.review {
            r.history.pop();
        }
        if let Some(doc) = doc {
            match self.open.ws.undo(doc) {
                Ok(Some(what)) => self.status = format!("Undid {what}"),
                Ok(None) => {}
                Err(e) => self.status = format!("Not undone: {e}"),
            }
        }
        if let Some(r) = &mut self.open.corpus.review {
            r.decided[k] = None;
            r.at = k;
        }
        true
    }
}
