//! The pending suggestions of the current document (right): a filter for "Accept all", and one
//! row per suggestion (only the rows in view are built). A row's accept/reject buttons select the
//! suggestion and send the same command as Enter/Backspace, so they move on the same way.

use crate::session::{Command, Selection, Session};
use egui::{RichText, Ui};

pub fn show(ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
    let Some(d) = session.doc() else {
        return;
    };
    ui.heading(format!("Suggestions ({})", d.suggestions().len()));
    let (label, min) = session.accept_filter();
    let (mut label, mut min) = (label.map(str::to_string), min);
    // One control a line: the panel can be narrow.
    egui::ComboBox::from_label("label")
        .selected_text(label.clone().unwrap_or_else(|| "all labels".into()))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut label, None, "all labels");
            for l in &session.schema().labels {
                ui.selectable_value(&mut label, Some(l.name.clone()), &l.name);
            }
        });
    ui.scope(|ui| {
        ui.spacing_mut().slider_width = 100.0;
        ui.add(
            egui::Slider::new(&mut min, 0.0..=1.0)
                .text("min score")
                .max_decimals(2),
        );
    });
    if (label.as_deref(), min) != session.accept_filter() {
        out.push(Command::SetAcceptFilter {
            label,
            min_score: min,
        });
    }
    if ui
        .button("Accept all")
        .on_hover_text(Command::AcceptAll.help())
        .clicked()
    {
        out.push(Command::AcceptAll);
    }
    let row_h = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical()
        .id_salt("suggestion-list")
        .max_height(320.0)
        .auto_shrink([false, true])
        .show_rows(ui, row_h, d.suggestions().len(), |ui, rows| {
            for s in d.suggestions().get(rows).unwrap_or_default() {
                ui.horizontal(|ui| {
                    let this = Selection::Suggestion(s.span, s.label.clone());
                    let selected = *session.selection() == this;
                    let text = d.slice(s.span).unwrap_or_default();
                    if ui
                        .selectable_label(selected, format!("{} {text}", s.label))
                        .clicked()
                    {
                        out.push(Command::Select(this.clone()));
                    }
                    ui.label(RichText::new(format!("{:.2}", s.score)).weak());
                    if session.adjudication().is_some() {
                        // Who marked this version.
                        ui.label(RichText::new(&s.source).italics());
                    }
                    if ui
                        .small_button("accept")
                        .on_hover_text("Accept this suggestion")
                        .clicked()
                    {
                        out.extend([Command::Select(this.clone()), Command::Accept]);
                    }
                    if ui
                        .small_button("reject")
                        .on_hover_text("Reject this suggestion")
                        .clicked()
                    {
                        out.extend([Command::Select(this), Command::Reject]);
                    }
                });
            }
        });
}
