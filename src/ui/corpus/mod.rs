//! The corpus windows: project search, the consistency check, statistics, and the preview of a
//! project-wide change. The work and its results are the session's; these keep only what the
//! person is typing or has picked.

mod agreement;
mod consistency;
mod review;
mod search;
mod stats;

use crate::session::{Command, JobKind, Session};
use egui::Color32;

#[derive(Default)]
pub struct CorpusWindows {
    search: Option<search::SearchWindow>,
    consistency: Option<consistency::ConsistencyWindow>,
    stats: bool,
    review: bool,
    agreement: bool,
}

impl CorpusWindows {
    pub fn open_search(&mut self) {
        self.search.get_or_insert_with(Default::default).focus = true;
    }

    /// Close the topmost tool window (statistics, consistency, search): which one it was.
    pub fn close_top(&mut self) -> Option<JobKind> {
        if std::mem::take(&mut self.agreement) {
            Some(JobKind::Agreement)
        } else if std::mem::take(&mut self.review) {
            Some(JobKind::Review)
        } else if std::mem::take(&mut self.stats) {
            Some(JobKind::Statistics)
        } else if self.consistency.take().is_some() {
            Some(JobKind::Consistency)
        } else if self.search.take().is_some() {
            Some(JobKind::Search)
        } else {
            None
        }
    }

    pub fn open_consistency(&mut self) {
        self.consistency.get_or_insert_with(Default::default);
    }

    pub fn open_stats(&mut self) {
        self.stats = true;
    }

    pub fn open_review(&mut self) {
        self.review = true;
    }

    pub fn open_agreement(&mut self) {
        self.agreement = true;
    }

    pub fn show(&mut self, ctx: &egui::Context, session: &Session, out: &mut Vec<Command>) {
        if let Some(w) = &mut self.search {
            if !w.show(ctx, session, out) {
                self.search = None;
                out.push(Command::CloseTool(JobKind::Search));
            }
        }
        if let Some(w) = &mut self.consistency {
            if !w.show(ctx, session, out) {
                self.consistency = None;
                out.push(Command::CloseTool(JobKind::Consistency));
            }
        }
        if self.stats && !stats::show(ctx, session, out) {
            self.stats = false;
            out.push(Command::CloseTool(JobKind::Statistics));
        }
        if self.agreement && !agreement::show(ctx, session, out) {
            self.agreement = false;
            out.push(Command::CloseTool(JobKind::Agreement));
        }
        if self.review && !review::show(ctx, session, out) {
            self.review = false;
            out.push(Command::CloseTool(JobKind::Review));
        }
        bulk(ctx, session, out);
    }
}

/// A label's colour, grey for a label the project does not have.
fn colour(session: &Session, name: &str, alpha: u8) -> Color32 {
    session.schema().get(name).map_or(Color32::GRAY, |l| {
        let [r, g, b] = l.rgb();
        Color32::from_rgba_unmultiplied(r, g, b, alpha)
    })
}

/// The title of document `i` (empty when there is no such document).
fn title(session: &Session, i: usize) -> &str {
    session
        .workspace()
        .docs
        .get(i)
        .map_or("", |d| d.summary.title.as_str())
}

/// The preview of a project-wide change: apply it (one undo step) or cancel.
fn bulk(ctx: &egui::Context, session: &Session, out: &mut Vec<Command>) {
    let Some(b) = &session.corpus().bulk else {
        return;
    };
    egui::Window::new("Preview")
        .collapsible(false)
        // Above the search and consistency windows it was opened from.
        .order(egui::Order::Foreground)
        .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
        .show(ctx, |ui| {
            ui.label(&b.what);
            ui.horizontal(|ui| {
                if !b.edits.is_empty() && ui.button("Apply").clicked() {
                    out.push(Command::ApplyBulk);
                }
                if ui.button("Cancel").clicked() {
                    out.push(Command::CancelBulk);
                }
            });
        });
}
