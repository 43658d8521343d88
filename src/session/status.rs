//! A document's status (done, flagged with a reason, skipped) and the active time spent on it.
//!
//! Statuses change through edits (one undo step each); active time does not: it is added by the
//! workspace, saved with the document, never undone. Time is in milliseconds of wall clock
//! between two moments of activity (a key, a click, a scroll, the pointer moving) in the same
//! window; a gap longer than [`IDLE`] is a pause and is not counted.

use super::Session;
use crate::model::{Edit, Status};
use std::time::{Duration, Instant};

/// A gap between two moments of activity longer than this is a pause, not work.
pub const IDLE: Duration = Duration::from_secs(120);

impl Session {
    /// Toggle done; marking done starts learning from the documents marked done.
    pub(super) fn mark_done(&mut self) {
        let to = if self.doc().map(|d| d.status()) == Some(Status::Done) {
            Status::InProgress
        } else {
            Status::Done
        };
        if self.edit(Edit::SetStatus(to)) && to == Status::Done {
            self.learn();
            self.move_on();
        }
    }

    /// Flag the document with a reason (one undo step), or unflag a flagged one (its reason is
    /// kept in the undo step). Flagging moves on like Mark done.
    pub(super) fn flag(&mut self, reason: Option<String>) {
        let Some(now) = self.doc().map(|d| d.status()) else {
            return;
        };
        let (to, reason) = match (now, reason) {
            (Status::Flagged, _) => (Status::InProgress, String::new()),
            (_, Some(r)) => (Status::Flagged, r.trim().to_string()),
            // Asking for the reason is the window's part.
            (_, None) => return,
        };
        if self.edit(Edit::Batch(vec![
            Edit::SetStatus(to),
            Edit::SetReason(reason),
        ])) && to == Status::Flagged
        {
            self.status = "Flagged: left out of exports and learning".into();
            self.move_on();
        }
    }

    /// Skip the document (and move on), or take a skipped one back in progress.
    pub(super) fn skip(&mut self) {
        let Some(now) = self.doc().map(|d| d.status()) else {
            return;
        };
        let to = if now == Status::Skipped {
            Status::InProgress
        } else {
            Status::Skipped
        };
        if self.edit(Edit::SetStatus(to)) && to == Status::Skipped {
            self.status = "Skipped: left out of exports and learning".into();
            self.move_on();
        }
    }

    /// After done, flagged or skipped: open the next document with work left, if the setting
    /// says so.
    fn move_on(&mut self) {
        if self.settings.move_on_done {
            self.next_open();
        }
    }

    /// Open the next document with work left (todo or in progress), after this one, then from
    /// the top.
    fn next_open(&mut self) {
        let docs = &self.open.ws.docs;
        let cur = self.open.cur;
        // In the list's order when it is "most useful first" (documents added since at its end).
        let ranked = self
            .open
            .ranking
            .as_ref()
            .filter(|_| self.open.useful_first);
        let mut order: Vec<usize> = ranked.map_or_else(Vec::new, |r| {
            r.iter().copied().filter(|&i| i < docs.len()).collect()
        });
        let mut listed = vec![false; docs.len()];
        for &i in &order {
            listed[i] = true;
        }
        order.extend((0..docs.len()).filter(|&i| !listed[i]));
        let at = order.iter().position(|&i| i == cur);
        let after = at.map_or(0, |a| a + 1);
        let next = order[after..]
            .iter()
            .chain(&order[..at.unwrap_or(0)])
            .copied()
            .find(|&i| i != cur && docs[i].summary.status.is_open());
        match next {
            Some(i) => {
                let done = std::mem::take(&mut self.status);
                self.go_to(i);
                self.status = format!("{done}; on to the next document not done");
            }
            None => self.status = format!("{}; no document is left to do", self.status),
        }
    }

    /// The person did something at `at` (a key, a click, a scroll, the pointer moving): the time
    /// since the last such moment is work on the document on screen, unless it was a pause.
    pub fn note_activity(&mut self, at: Instant) {
        if let Some(last) = self.open.last_activity {
            let gap = at.saturating_duration_since(last);
            if gap <= IDLE && self.doc().is_some() {
                let ms = u64::try_from(gap.as_millis()).unwrap_or(u64::MAX);
                self.open.ws.add_active_time(self.open.cur, ms);
            }
        }
        self.open.last_activity = Some(at);
    }
}
