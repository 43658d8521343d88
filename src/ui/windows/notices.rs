//! Windows that tell the person something and wait for an answer: an error, documents changed on
//! disk, the project file changed by another process, edits recovered after a crash.

use crate::session::{Command, Session};
use egui::RichText;

/// The error, once, until OK.
pub fn error(ctx: &egui::Context, session: &Session, out: &mut Vec<Command>) {
    let Some(err) = session.error() else { return };
    crate::ui::window("Something went wrong", ctx)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.label(err);
            if ui.button("OK").clicked() {
                out.push(Command::DismissError);
            }
        });
}

/// Documents that changed on disk while open here: reload, or keep mine.
pub fn disk_changes(ctx: &egui::Context, session: &Session, out: &mut Vec<Command>) {
    let changes = session.disk_changes();
    if changes.is_empty() {
        return;
    }
    crate::ui::window("Changed on disk", ctx).collapsible(false).show(ctx, |ui| {
        ui.label("These documents changed on disk while they were open here. Nothing was overwritten; choose which version to keep:");
        for c in changes {
            ui.separator();
            ui.label(RichText::new(c.id.to_string()).strong());
            ui.label(&c.summary);
            ui.horizontal(|ui| {
                for (text, reload) in [("Reload from disk", true), ("Keep mine", false)] {
                    if ui.button(text).clicked() {
                        out.push(Command::ResolveDiskChange {
                            id: c.id.clone(),
                            reload,
                        });
                    }
                }
            });
        }
    });
}

/// What another process changed in the project file, and what was merged.
pub fn project_news(ctx: &egui::Context, session: &Session, out: &mut Vec<Command>) {
    let Some(news) = session.project_news() else {
        return;
    };
    crate::ui::window("Project changed on disk", ctx)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.label("Another process (a `tagwright add`, a git pull, another window) changed the project file. Its changes were merged with yours; nothing was lost:");
            ui.label(RichText::new(news).strong());
            if ui.button("OK").clicked() {
                out.push(Command::DismissProjectNews);
            }
        });
}

/// Edits made after the last save by a session that ended unexpectedly.
pub fn recovery(ctx: &egui::Context, session: &Session, out: &mut Vec<Command>) {
    let n = session.workspace().recovered.len();
    if n == 0 {
        return;
    }
    crate::ui::window("Recover unsaved edits", ctx).collapsible(false).show(ctx, |ui| {
        ui.label(format!(
            "{} made after this project was last saved, and Tagwright did not get to save them (it was closed unexpectedly). Restore them?",
            if n == 1 { "1 change was".to_string() } else { format!("{n} changes were") }
        ));
        ui.horizontal(|ui| {
            if ui.button("Restore").clicked() {
                out.push(Command::RestoreRecovered);
            }
            if ui.button("Discard").clicked() {
                out.push(Command::DiscardRecovered);
            }
        });
    });
}
