//! The Model window (Ctrl+M): which model suggests, and what the last learning run measured on
//! documents marked done that it did not learn from — F1 per label for the shipped and the
//! learned model, the learned model's calibration, and whether it became the project's model and
//! why.

use crate::extract::tagger::Eval;
use crate::session::{count, model_time, Command, LearnReport, ModelSource, Session};
use egui::{Grid, RichText, Ui};

/// Draw the window; `false` once it is closed.
pub fn show(ctx: &egui::Context, session: &Session, out: &mut Vec<Command>) -> bool {
    let mut open = true;
    crate::ui::window("Model", ctx)
        .open(&mut open)
        .default_size([460.0, 420.0])
        .show(ctx, |ui| {
            let m = session.model();
            ui.label(RichText::new(format!("Suggesting: {}", m.describe())).strong());
            if let ModelSource::Learned(Some(info)) = &m.source {
                if let (Some(f), Some(was)) = (info.held_out_f1, info.shipped_f1) {
                    ui.label(format!(
                        "Held-out F1 {f:.3} when it was learned; the shipped model scored {was:.3} on the same documents."
                    ));
                }
            }
            ui.horizontal(|ui| {
                if ui.button("Learn now").clicked() {
                    out.push(Command::LearnNow);
                }
                if session.is_busy() {
                    ui.spinner();
                }
            });
            ui.separator();
            match &m.last {
                None => {
                    ui.label("No learning run yet in this session. Marking a document done (Ctrl+D) learns from the documents marked done; the result suggests only if it does at least as well on documents it did not learn from.");
                }
                Some(r) => report(ui, r),
            }
        });
    open
}

fn report(ui: &mut Ui, r: &LearnReport) {
    ui.label(format!(
        "Last learning run ({}), on {}: {}",
        model_time(r.at),
        count(r.docs, "document marked done", "documents marked done"),
        if r.accepted {
            "the learned model suggests now"
        } else {
            "the current model stays"
        }
    ));
    ui.label(RichText::new(format!("Why: {}.", r.why)).weak());
    let Some(c) = &r.check else { return };
    ui.add_space(6.0);
    ui.label(format!(
        "F1 on held-out documents ({} folds: each document scored by a model that did not learn from it)",
        c.folds
    ));
    Grid::new("model-per-label").striped(true).show(ui, |ui| {
        ui.strong("label");
        ui.strong("shipped");
        ui.strong("learned");
        ui.strong("entities");
        ui.end_row();
        for (i, l) in c.learned.labels.iter().enumerate() {
            let gold = c.learned.counts[i].0 + c.learned.counts[i].2;
            if gold == 0 {
                continue;
            }
            ui.label(l);
            ui.label(format!("{:.3}", c.shipped.label(i).2));
            ui.label(format!("{:.3}", c.learned.label(i).2));
            ui.label(gold.to_string());
            ui.end_row();
        }
        ui.strong("all");
        ui.strong(format!("{:.3}", c.shipped.micro().2));
        ui.strong(format!("{:.3}", c.learned.micro().2));
        ui.label("");
        ui.end_row();
    });
    ui.add_space(6.0);
    ui.label("Calibration of the learned model on held-out documents: of its suggestions scored at least…");
    calibration(ui, &c.learned);
}

fn calibration(ui: &mut Ui, e: &Eval) {
    Grid::new("model-calibration").striped(true).show(ui, |ui| {
        for (th, (n, p)) in e.calibration() {
            ui.label(format!("{:.2}", th as f64 / 100.0));
            ui.label(format!(
                "{} — {}",
                count(n, "suggestion", "suggestions"),
                if n == 0 {
                    "none".to_string()
                } else {
                    format!("{:.0}% right", p * 100.0)
                }
            ));
            ui.end_row();
        }
    });
}
