//! Editing the label set (right, collapsed): colour, name, key, delete; and a new label.
//! Names being typed are kept here until the field loses focus.

use crate::session::{Command, Session};
use egui::Ui;

#[derive(Default)]
pub struct LabelEditor {
    /// The name field of each label while it is edited.
    rename: Vec<String>,
    new_label: String,
    /// A label asked for: the field is cleared once the project has it (kept if refused).
    adding: Option<String>,
}

impl LabelEditor {
    pub fn show(&mut self, ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
        let labels = &session.schema().labels;
        if let Some(name) = &self.adding {
            if labels.iter().any(|l| l.name == *name) && self.new_label == *name {
                self.new_label.clear();
            }
            self.adding = None;
        }
        // Another label set (another project, a rename): start the fields again.
        if self.rename.len() != labels.len() {
            self.rename = labels.iter().map(|l| l.name.clone()).collect();
        }
        for (i, l) in labels.iter().enumerate() {
            ui.horizontal(|ui| {
                let mut c = l.rgb();
                if ui.color_edit_button_srgb(&mut c).changed() {
                    let mut l = l.clone();
                    l.color = format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]);
                    out.push(Command::UpdateLabel(i, l));
                }
                let name = &mut self.rename[i];
                let r = ui.add(egui::TextEdit::singleline(name).desired_width(80.0));
                if r.lost_focus() && *name != l.name {
                    out.push(Command::RenameLabel {
                        from: l.name.clone(),
                        to: name.clone(),
                    });
                    // Shown again from the label set: the new name, or the old one if refused.
                    *name = l.name.clone();
                    self.rename.clear();
                } else if !r.has_focus() && *name != l.name {
                    *name = l.name.clone();
                }
                let mut key = l.key.map(String::from).unwrap_or_default();
                if ui
                    .add(
                        egui::TextEdit::singleline(&mut key)
                            .font(egui::TextStyle::Monospace)
                            .desired_width(22.0)
                            .char_limit(1),
                    )
                    .changed()
                {
                    let mut l = l.clone();
                    l.key = key.chars().next();
                    out.push(Command::UpdateLabel(i, l));
                }
                if ui
                    .small_button("delete")
                    .on_hover_text("Delete this label")
                    .clicked()
                {
                    out.push(Command::DeleteLabel(l.name.clone()));
                }
            });
            if self.rename.is_empty() {
                break;
            }
        }
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.new_label)
                    .hint_text("NEW_LABEL")
                    .desired_width(100.0),
            );
            if ui.button("Add label").clicked() {
                out.push(Command::AddLabel(self.new_label.clone()));
                self.adding = Some(self.new_label.clone());
            }
        });
    }
}
