//! The status bar (bottom): saved state, counts, the running job with its progress and a Cancel
//! button, and the last status message.

use crate::session::{count, Command, Session, AUTOSAVE_EVERY};
use egui::Ui;

pub fn show(ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
    let ws = session.workspace();
    ui.horizontal(|ui| {
        let state = if ws.project.is_none() {
            if ws.is_dirty() {
                "Unsaved changes: Save as… to keep them in a project folder".to_string()
            } else {
                "Not in a project folder yet (Save as… creates one)".to_string()
            }
        } else if !ws.is_dirty() {
            match session.last_save() {
                Some(t) => format!("Saved {} s ago", t.elapsed().as_secs()),
                None => "Saved".to_string(),
            }
        } else {
            format!(
                "{} unsaved, autosave every {} s",
                count(ws.dirty_count(), "document", "documents"),
                AUTOSAVE_EVERY.as_secs()
            )
        };
        ui.label(state);
        ui.separator();
        ui.label(format!(
            "{}, {} done",
            count(ws.docs.len(), "document", "documents"),
            ws.done_count()
        ));
        ui.separator();
        match session.job() {
            Some(job) => {
                ui.label(format!("{} {} / {}", job.kind.name(), job.done, job.total));
                let bar = egui::ProgressBar::new(job.done as f32 / job.total.max(1) as f32)
                    .desired_width(120.0);
                // A job done in one step shows motion rather than a fraction.
                ui.add(bar.animate(job.kind.is_one_step()));
                if ui.button("Cancel").clicked() {
                    out.push(Command::CancelJob);
                }
            }
            None => {
                ui.label(format!(
                    "Extractor: {}, idle",
                    session.pipeline().describe()
                ));
            }
        }
        ui.separator();
        // An old message says how old it is, so it is not taken for what just happened.
        let age = session.status_age().as_secs();
        if session.status().is_empty() || age < 10 {
            ui.label(session.status());
        } else {
            let ago = if age < 120 {
                format!("{age} s ago")
            } else {
                format!("{} min ago", age / 60)
            };
            ui.label(egui::RichText::new(format!("{} ({ago})", session.status())).weak());
        }
    });
}
