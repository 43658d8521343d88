//! The guidelines (Ctrl+G): the project's `guidelines.md`, shown as simple Markdown (headings,
//! lists, paragraphs) and editable in place; saving sends the text to the session, which writes
//! the file.

use crate::session::{Command, Session};
use egui::RichText;

#[derive(Default)]
pub struct GuidelinesWindow {
    /// The text being edited (`None`: reading).
    editing: Option<String>,
    /// The editor takes the keyboard when it opens.
    focus: bool,
}

impl GuidelinesWindow {
    /// Draw the window; `false` once it is closed.
    pub fn show(&mut self, ctx: &egui::Context, session: &Session, out: &mut Vec<Command>) -> bool {
        let mut open = true;
        crate::ui::window("Guidelines", ctx)
            .open(&mut open)
            .default_size([520.0, 480.0])
            .show(ctx, |ui| match &mut self.editing {
                Some(text) => {
                    let mut done = None;
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            done = Some(true);
                        }
                        if ui.button("Cancel").clicked() {
                            done = Some(false);
                        }
                    });
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        let r = ui.add(
                            egui::TextEdit::multiline(text)
                                .desired_width(f32::INFINITY)
                                .desired_rows(20)
                                .code_editor(),
                        );
                        if std::mem::take(&mut self.focus) {
                            r.request_focus();
                        }
                    });
                    match done {
                        Some(true) => {
                            out.push(Command::SetGuidelines(std::mem::take(text)));
                            self.editing = None;
                        }
                        Some(false) => self.editing = None,
                        None => {}
                    }
                }
                None => {
                    if ui.button("Edit guidelines").clicked() {
                        self.editing = Some(session.guidelines().to_string());
                        self.focus = true;
                    }
                    ui.separator();
                    egui::ScrollArea::vertical().show(ui, |ui| markdown(ui, session));
                }
            });
        open
    }
}

/// Headings, list items and paragraphs of simple Markdown, then each label's description.
fn markdown(ui: &mut egui::Ui, session: &Session) {
    let text = session.guidelines();
    if text.trim().is_empty() {
        ui.label(
            RichText::new(
                "No guidelines yet: Edit writes them into guidelines.md in the project folder.",
            )
            .weak(),
        );
    }
    for line in text.lines() {
        let t = line.trim_end();
        if let Some(h) = t.strip_prefix("# ") {
            ui.heading(h);
        } else if let Some(h) = t.strip_prefix("## ").or_else(|| t.strip_prefix("### ")) {
            ui.label(RichText::new(h).strong().size(16.0));
        } else if let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            ui.label(format!("  •  {item}"));
        } else if t.is_empty() {
            ui.add_space(6.0);
        } else {
            ui.label(t);
        }
    }
    ui.separator();
    ui.label(RichText::new("Labels").strong());
    for l in &session.schema().labels {
        let description = if l.description.is_empty() {
            "(no description)"
        } else {
            &l.description
        };
        ui.label(format!("{}: {description}", l.name));
    }
}
