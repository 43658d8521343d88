//! Adjudication (a team project's main layer): who is compared, what is left to decide, and
//! "take all from N". Outside adjudication, a button to start it.

use crate::corpus::adjudicate::marked_by;
use crate::session::{count, Command, Session};
use egui::{RichText, Ui};

pub fn show(ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
    if !session.is_team() || session.layer().is_some() || session.doc().is_none() {
        return;
    }
    let Some(a) = session.adjudication() else {
        if ui
            .button("Adjudicate this document (Ctrl+J)")
            .on_hover_text(Command::Adjudicate.help())
            .clicked()
        {
            out.push(Command::Adjudicate);
        }
        ui.separator();
        return;
    };
    ui.heading("Adjudication");
    let pending = session.doc().map(|d| d.suggestions()).unwrap_or_default();
    // The side panel cuts long lines; these are read, so they wrap.
    ui.add(
        egui::Label::new(format!(
            "{} agreed and accepted{}; {} to decide. Enter takes the selected one.",
            count(a.agreed, "span", "spans"),
            if a.majority { " (majority rule)" } else { "" },
            count(pending.len(), "candidate", "candidates"),
        ))
        .wrap(),
    );
    for (n, name) in a.annotators.iter().enumerate() {
        let theirs = pending.iter().filter(|c| marked_by(c, name)).count();
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("{} {name}", n + 1)).strong());
            ui.label(RichText::new(format!("{theirs} left")).weak());
            if n < 9
                && ui
                    .small_button("take all")
                    .on_hover_text(format!(
                        "Take {name}'s version of every disagreement left (Ctrl+Shift+{}); Ctrl+{} takes it for the one selected",
                        n + 1,
                        n + 1
                    ))
                    .clicked()
            {
                out.push(Command::TakeAllFrom(n));
            }
        });
    }
    ui.add(egui::Label::new(RichText::new("Ctrl+D marks the document adjudicated.").weak()).wrap());
    ui.separator();
}
