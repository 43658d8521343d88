//! The document list (left): project name, progress, a filter, and one row per document with its
//! status icon and entity count. Only the rows in view are built.

use crate::model::Status;
use crate::session::{Command, Session};
use egui::{Color32, RichText, Ui};

pub fn show(ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
    let ws = session.workspace();
    let total = ws.docs.len();
    let done = ws.done_count();
    ui.heading(&ws.name);
    ui.label(format!("{done} / {total} done"));
    ui.add(
        egui::ProgressBar::new(if total == 0 {
            0.0
        } else {
            done as f32 / total as f32
        })
        .desired_height(6.0),
    );
    let mut filter = session.filter().to_string();
    let r = ui.add(
        egui::TextEdit::singleline(&mut filter)
            .hint_text("Filter documents")
            .desired_width(ui.available_width())
            .id(egui::Id::unique("tagwright-doc-filter")),
    );
    if r.changed() {
        out.push(Command::SetFilter(filter));
    }
    ui.separator();
    let rows = session.listed();
    let cur = session.current();
    let row_h = ui.spacing().interact_size.y.max(18.0);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, row_h, rows.len(), |ui, range| {
            for &i in &rows[range] {
                let Some(d) = ws.docs.get(i) else { continue };
                let (filled, color) = match d.summary.status {
                    Status::Todo => (false, Color32::GRAY),
                    Status::InProgress => (false, Color32::from_rgb(230, 160, 20)),
                    Status::Done => (true, Color32::from_rgb(40, 170, 80)),
                };
                let dirty = if d.is_dirty() { " *" } else { "" };
                let text =
                    RichText::new(format!("    {}{dirty}", d.summary.title)).color(if i == cur {
                        ui.visuals().strong_text_color()
                    } else {
                        ui.visuals().text_color()
                    });
                ui.horizontal(|ui| {
                    ui.set_height(row_h);
                    // The title is cut to leave room for the count: the row never widens
                    // the panel.
                    let title_w = (ui.available_width() - 32.0).max(40.0);
                    let r = ui.scope(|ui| {
                        ui.set_max_width(title_w);
                        ui.selectable_label(i == cur, text)
                    });
                    let r = r.inner.on_hover_text(format!(
                        "{} — {}, {} entities, {} suggestions",
                        d.summary.id,
                        d.summary.status.name(),
                        d.summary.spans,
                        d.summary.suggestions
                    ));
                    // Status icon: grey ring = todo, amber ring with dot = in progress, green disc = done.
                    let c = r.rect.left_center() + egui::vec2(10.0, 0.0);
                    if filled {
                        ui.painter().circle_filled(c, 5.0, color);
                    } else {
                        ui.painter()
                            .circle_stroke(c, 4.5, egui::Stroke::new(1.5, color));
                        if d.summary.status == Status::InProgress {
                            ui.painter().circle_filled(c, 2.0, color);
                        }
                    }
                    ui.label(RichText::new(d.summary.spans.to_string()).small().weak());
                    if r.clicked() {
                        out.push(Command::GoTo(i));
                    }
                });
            }
        });
}
