//! F1: every command with its shortcuts and what it does.

use crate::session::Command;
use crate::ui::keys::all_shortcuts_text;
use egui::RichText;

/// Draw the help window; `false` once it is closed.
pub fn show(ctx: &egui::Context) -> bool {
    let mut open = true;
    crate::ui::window("Shortcuts", ctx).open(&mut open).show(ctx, |ui| {
        egui::Grid::new("help").striped(true).show(ui, |ui| {
            for c in Command::ALL {
                let keys = all_shortcuts_text(ctx, c);
                ui.label(RichText::new(keys.join("  /  ")).monospace());
                ui.label(c.name());
                ui.label(RichText::new(c.help()).weak());
                ui.end_row();
            }
            ui.label(RichText::new("Ctrl+=  /  Ctrl+-  /  Ctrl+0").monospace());
            ui.label("Zoom");
            ui.label(RichText::new("Make everything larger, smaller, or back to normal").weak());
            ui.end_row();
            ui.label(RichText::new("Ctrl+1 – 9  /  Ctrl+Shift+1 – 9").monospace());
            ui.label("Take annotator N's version");
            ui.label(RichText::new("While adjudicating (Ctrl+J): annotator N's version of the disagreement selected, or of every disagreement left (one undo step)").weak());
            ui.end_row();
            ui.label(RichText::new("1 – 9").monospace());
            ui.label("Apply label");
            ui.label(RichText::new("Tag the selection, relabel the selected entity, or accept the selected suggestion as that label (Alt while dragging: exact characters)").weak());
            ui.end_row();
        });
    });
    open
}
