//! Typing a path instead of using a file dialog (Ctrl+L, or when no dialog can be shown).

use crate::session::Command;
use crate::ui::app::dialog_command;
use crate::ui::dialogs::DialogKind;
use std::path::PathBuf;

pub struct PathPrompt {
    kind: DialogKind,
    text: String,
    /// Shown because no file dialog is available.
    no_dialog: bool,
    /// The field takes the keyboard when the prompt opens, so typing goes there.
    focus: bool,
}

impl PathPrompt {
    pub fn new(kind: DialogKind, no_dialog: bool) -> PathPrompt {
        PathPrompt {
            kind,
            text: String::new(),
            no_dialog,
            focus: true,
        }
    }

    /// Draw the prompt; `false` once it is done.
    pub fn show(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) -> bool {
        let mut keep = true;
        let mut go = false;
        crate::ui::window("Type a path", ctx).collapsible(false).show(ctx, |ui| {
            if self.no_dialog {
                ui.label("No file dialog is available on this system (no desktop portal). Type the path instead.");
            }
            ui.horizontal(|ui| {
                ui.selectable_value(&mut self.kind, DialogKind::OpenProject, "Open project");
                ui.selectable_value(&mut self.kind, DialogKind::Import, "Import articles");
                ui.selectable_value(&mut self.kind, DialogKind::SaveAs, "Save as");
            });
            ui.label(self.kind.prompt());
            let r = ui.add(
                egui::TextEdit::singleline(&mut self.text)
                    .desired_width(400.0)
                    .id(egui::Id::unique("tagwright-path-box")),
            );
            if std::mem::take(&mut self.focus) {
                r.request_focus();
            }
            if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                go = true;
            }
            ui.horizontal(|ui| {
                go |= ui.button("OK").clicked();
                if ui.button("Cancel").clicked() {
                    keep = false;
                }
            });
        });
        if go {
            let paths: Vec<PathBuf> = self
                .text
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(PathBuf::from)
                .collect();
            if paths.is_empty() {
                return true;
            }
            out.extend(dialog_command(self.kind, paths));
            return false;
        }
        keep
    }
}
