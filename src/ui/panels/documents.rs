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
    status_filter(ui, session, out);
    mine_filter(ui, session, out);
    ui.separator();
    let rows = session.listed();
    let cur = session.current();
    let row_h = ui.spacing().interact_size.y.max(18.0);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, row_h, rows.len(), |ui, range| {
            for &i in &rows[range] {
                let Some(d) = ws.docs.get(i) else { continue };
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
                    let reason = d
                        .doc()
                        .map(|doc| doc.reason())
                        .filter(|r| !r.is_empty())
                        .map(|r| format!(" ({r})"))
                        .unwrap_or_default();
                    let r = r.inner.on_hover_text(format!(
                        "{} — {}{reason}, {} entities, {} suggestions",
                        d.summary.id,
                        d.summary.status.name(),
                        d.summary.spans,
                        d.summary.suggestions
                    ));
                    status_icon(
                        ui,
                        r.rect.left_center() + egui::vec2(10.0, 0.0),
                        d.summary.status,
                    );
                    ui.label(RichText::new(d.summary.spans.to_string()).small().weak());
                    if r.clicked() {
                        out.push(Command::GoTo(i));
                    }
                });
            }
        });
}

/// Status icon: grey ring = todo, amber ring with a dot = in progress, green disc = done, red
/// flag = flagged, grey bar = skipped.
fn status_icon(ui: &Ui, c: egui::Pos2, status: Status) {
    let p = ui.painter();
    let v = egui::vec2;
    match status {
        Status::Todo => {
            p.circle_stroke(c, 4.5, egui::Stroke::new(1.5, Color32::GRAY));
        }
        Status::InProgress => {
            let amber = Color32::from_rgb(230, 160, 20);
            p.circle_stroke(c, 4.5, egui::Stroke::new(1.5, amber));
            p.circle_filled(c, 2.0, amber);
        }
        Status::Done => {
            p.circle_filled(c, 5.0, Color32::from_rgb(40, 170, 80));
        }
        Status::Flagged => {
            let red = Color32::from_rgb(210, 50, 50);
            p.line_segment([c + v(-3.5, -5.5), c + v(-3.5, 5.5)], (1.5, red));
            p.add(egui::Shape::convex_polygon(
                vec![c + v(-3.0, -5.5), c + v(5.0, -3.0), c + v(-3.0, 0.5)],
                red,
                egui::Stroke::NONE,
            ));
        }
        Status::Skipped => {
            p.line_segment([c + v(-5.0, 0.0), c + v(5.0, 0.0)], (2.0, Color32::GRAY));
        }
    }
}

/// In a team project with assignments: only my documents, or all.
fn mine_filter(ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
    if let Some(mut on) = session.mine_only() {
        if ui
            .checkbox(&mut on, "Only documents assigned to me")
            .changed()
        {
            out.push(Command::SetMineOnly(on));
        }
    }
}

/// Limit the list to one status; each choice shows how many documents have it.
fn status_filter(ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
    let docs = &session.workspace().docs;
    let n = |st: Status| docs.iter().filter(|d| d.summary.status == st).count();
    let shown = match session.status_filter() {
        Some(st) => format!("{} ({})", st.name(), n(st)),
        None => "All statuses".to_string(),
    };
    egui::ComboBox::from_label("status")
        .selected_text(shown)
        .width((ui.available_width() - 60.0).max(60.0))
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(session.status_filter().is_none(), "All statuses")
                .clicked()
            {
                out.push(Command::SetStatusFilter(None));
            }
            for st in Status::ALL {
                let label = format!("{} ({})", st.name(), n(st));
                if ui
                    .selectable_label(session.status_filter() == Some(st), label)
                    .clicked()
                {
                    out.push(Command::SetStatusFilter(Some(st)));
                }
            }
        });
}
