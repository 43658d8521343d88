//! Questions before something that cannot be taken back easily: deleting a label that entities
//! use, quitting with changes that are in no folder.

use crate::session::{Command, Confirm, Session};

pub fn show(ctx: &egui::Context, session: &Session, out: &mut Vec<Command>) {
    match session.confirm() {
        Some(Confirm::DeleteLabel(name, used)) => {
            crate::ui::window("Delete label?", ctx)
                .collapsible(false)
                .show(ctx, |ui| {
                    ui.label(format!(
                        "{name} is used by {used} entities. Deleting it removes them (undo per document)."
                    ));
                    ui.horizontal(|ui| {
                        if ui.button("Delete").clicked() {
                            out.push(Command::ConfirmDeleteLabel(name.clone()));
                        }
                        if ui.button("Cancel").clicked() {
                            out.push(Command::DismissConfirm);
                        }
                    });
                });
        }
        Some(Confirm::Close) => {
            crate::ui::window("Unsaved changes", ctx)
                .collapsible(false)
                .show(ctx, |ui| {
                    ui.label("This project has changes that are not saved in any folder.");
                    ui.horizontal(|ui| {
                        if ui.button("Save as…").clicked() {
                            out.extend([Command::DismissConfirm, Command::SaveAs]);
                        }
                        if ui.button("Quit without saving").clicked() {
                            out.push(Command::QuitWithoutSaving);
                        }
                        if ui.button("Cancel").clicked() {
                            out.push(Command::DismissConfirm);
                        }
                    });
                });
        }
        None => {}
    }
}
