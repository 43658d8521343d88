//! Flagging a document (Ctrl+B): asks for the reason, then sends `Command::Flag`.

use crate::session::Command;

/// Reasons people give most, one click each.
const COMMON: &[&str] = &[
    "Guidelines unclear",
    "Text is broken",
    "Not news",
    "Duplicate",
];

#[derive(Default)]
pub struct FlagPrompt {
    reason: String,
    /// The field takes the keyboard once, when the prompt opens.
    focused: bool,
}

impl FlagPrompt {
    /// Draw the prompt; `false` once it is done.
    pub fn show(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) -> bool {
        let mut keep = true;
        let mut go = false;
        crate::ui::window("Flag document", ctx)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.label("Why? Flagged documents are left out of exports and learning until unflagged (Ctrl+B again).");
                let r = ui.add(
                    egui::TextEdit::singleline(&mut self.reason)
                        .hint_text("Reason")
                        .desired_width(360.0)
                        .id(egui::Id::unique("tagwright-flag-reason")),
                );
                if !std::mem::replace(&mut self.focused, true) {
                    r.request_focus();
                }
                if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    go = true;
                }
                ui.horizontal_wrapped(|ui| {
                    for c in COMMON {
                        if ui.small_button(*c).clicked() {
                            self.reason = (*c).to_string();
                        }
                    }
                });
                ui.horizontal(|ui| {
                    go |= ui.button("Flag").clicked();
                    if ui.button("Cancel").clicked() {
                        keep = false;
                    }
                });
            });
        if go {
            out.push(Command::Flag(self.reason.trim().to_string()));
            return false;
        }
        keep
    }
}
