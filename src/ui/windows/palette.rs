//! The command palette (Ctrl+Shift+P): type part of a command's name, pick it with the arrows
//! and Enter, or click it.

use crate::session::{palette_matches, Command};
use crate::ui::keys::shortcut_text;
use egui::RichText;

pub fn id() -> egui::Id {
    egui::Id::unique("tagwright-palette")
}

#[derive(Default)]
pub struct Palette {
    query: String,
    row: usize,
}

impl Palette {
    /// Draw the palette; `false` once it is done (a command was chosen, or Escape).
    pub fn show(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) -> bool {
        let matches = palette_matches(&self.query);
        let (up, down, enter, escape) = ctx.input_mut(|i| {
            use egui::{Key, Modifiers};
            (
                i.consume_key(Modifiers::NONE, Key::ArrowUp),
                i.consume_key(Modifiers::NONE, Key::ArrowDown),
                i.consume_key(Modifiers::NONE, Key::Enter),
                i.consume_key(Modifiers::NONE, Key::Escape),
            )
        });
        if down {
            self.row = (self.row + 1).min(matches.len().saturating_sub(1));
        }
        if up {
            self.row = self.row.saturating_sub(1);
        }
        let mut run = enter.then(|| matches.get(self.row).cloned()).flatten();
        egui::Window::new("Command palette")
            .collapsible(false)
            .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 60.0))
            .show(ctx, |ui| {
                let r = ui.add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text("Type a command")
                        .desired_width(360.0)
                        .id(id()),
                );
                if r.changed() {
                    self.row = 0;
                }
                // A new window is measured before it is shown: keep asking for the keyboard.
                if !r.has_focus() {
                    r.request_focus();
                }
                for (k, c) in matches.iter().take(12).enumerate() {
                    ui.horizontal(|ui| {
                        if ui.selectable_label(k == self.row, c.name()).clicked() {
                            run = Some(c.clone());
                        }
                        ui.label(RichText::new(shortcut_text(ctx, c)).weak());
                    });
                }
            });
        match run {
            Some(c) => {
                out.push(c);
                false
            }
            None => !escape,
        }
    }
}
