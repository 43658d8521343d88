//! Who is annotating (a team project): asked when one opens and nobody said yet, and from
//! Project > Annotator name. Sends `Command::SetAnnotator` or `Command::UseMainLayer`.

use crate::session::{Command, Session};

const TITLE: &str = "Who is annotating?";

#[derive(Default)]
pub struct AnnotatorPrompt {
    name: String,
    /// The field takes the keyboard once, when the prompt opens.
    focused: bool,
}

impl AnnotatorPrompt {
    /// Draw the prompt; `false` once it is done. `asked`: the session asks (a team project with
    /// no name yet), so there is no Cancel, only the two ways on.
    pub fn show(&mut self, ctx: &egui::Context, session: &Session, out: &mut Vec<Command>) -> bool {
        let mut keep = true;
        let mut go = false;
        let asked = session.asks_name();
        let mut content = |ui: &mut egui::Ui| {
            match session.layer() {
                Some(who) => ui.label(format!("You annotate as {who}, in your own layer.")),
                None if session.is_team() => ui.label("This project is annotated by a team: each person's work is kept in a layer of their own, which the others do not see until adjudication."),
                None => ui.label("Your name names your layer when a project is annotated by a team."),
            };
            ui.label("Your name (letters, digits, '-', '_', '.'); remembered on this machine:");
            let r = ui.add(
                egui::TextEdit::singleline(&mut self.name)
                    .hint_text("e.g. ana")
                    .desired_width(240.0)
                    .id(egui::Id::unique("tagwright-annotator-name")),
            );
            if !std::mem::replace(&mut self.focused, true) {
                r.request_focus();
            }
            if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                go = true;
            }
            ui.horizontal(|ui| {
                let named = !self.name.trim().is_empty();
                go |= ui
                    .add_enabled(named, egui::Button::new("Annotate as this name"))
                    .clicked();
                if session.is_team() && ui.button("Work on the main layer (adjudicate)").clicked() {
                    out.push(Command::UseMainLayer);
                    keep = false;
                }
                if !asked && ui.button("Cancel").clicked() {
                    keep = false;
                }
            });
        };
        if asked {
            // Nothing else can be done until the person says who they are: their edits would
            // otherwise go into the main layer.
            egui::Modal::new(egui::Id::unique("tagwright-who")).show(ctx, |ui| {
                ui.set_max_width(420.0);
                ui.heading(TITLE);
                content(ui);
            });
        } else {
            crate::ui::window(TITLE, ctx)
                .collapsible(false)
                .show(ctx, content);
        }
        if go && !self.name.trim().is_empty() {
            out.push(Command::SetAnnotator(self.name.trim().to_string()));
            return false;
        }
        keep
    }
}
