//! The labels (right, top): colour, key, name (a button that applies it) and how many entities
//! of the current document carry it.

use crate::session::{Command, Session};
use egui::{Color32, RichText, Ui};

pub fn show(ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
    ui.heading("Labels");
    for l in &session.schema().labels {
        let count = session
            .label_counts()
            .iter()
            .find(|(n, _)| *n == l.name)
            .map_or(0, |(_, c)| *c);
        ui.horizontal(|ui| {
            let (r, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
            let [red, green, blue] = l.rgb();
            ui.painter()
                .rect_filled(r, 3.0, Color32::from_rgb(red, green, blue));
            ui.label(
                RichText::new(l.key.map(|k| k.to_string()).unwrap_or_default())
                    .monospace()
                    .weak(),
            );
            // The label's description and a few examples from documents marked done.
            let r = ui.button(&l.name).on_hover_ui(|ui| {
                if !l.description.is_empty() {
                    ui.label(&l.description);
                }
                let examples = session.label_examples(&l.name, 5);
                if !examples.is_empty() {
                    ui.label(egui::RichText::new(format!("e.g. {}", examples.join(" · "))).weak());
                }
            });
            if r.clicked() {
                out.push(Command::ApplyLabel(l.name.clone()));
            }
            ui.label(RichText::new(count.to_string()).weak());
        });
    }
}
