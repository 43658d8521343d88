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
        if session.is_team() {
            // Whose work is on screen, in a project several people annotate.
            let layer = match session.layer() {
                Some(who) => format!("{who}'s layer"),
                None => "main layer".to_string(),
            };
            if ui
                .link(layer)
                .on_hover_text("Change who is annotating (Project > Annotator name)")
                .clicked()
            {
                out.push(Command::AnnotatorName);
            }
            ui.separator();
        }
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
                // Which model speaks, so nobody has to guess (details: View > Model).
                // The person's plug-ins, by name, after the model.
                let plugins: String = session
                    .pipeline()
                    .describe()
                    .split(" + ")
                    .filter(|n| !crate::extract::BUILT_IN.contains(n))
                    .map(|n| format!(" + {n}"))
                    .collect();
                let r = ui.add(
                    egui::Label::new(format!(
                        "Suggesting: {}{plugins}",
                        session.model().describe()
                    ))
                    .sense(egui::Sense::click()),
                );
                let tip = format!(
                    "Recognizers: {}. Ctrl+M shows the model's scores on documents it did not learn from.",
                    session.pipeline().describe()
                );
                if r.on_hover_text(tip).clicked() {
                    out.push(Command::ModelWindow);
                }
            }
        }
        ui.separator();
        match aged(session.status(), session.status_age().as_secs()) {
            Some(old) => ui.label(egui::RichText::new(old).weak()),
            None => ui.label(session.status()),
        };
    });
}

/// An old message says how old it is, so it is not taken for what just happened: `None` while it
/// is fresh (under 10 s) or empty.
fn aged(status: &str, age_secs: u64) -> Option<String> {
    if status.is_empty() || age_secs < 10 {
        return None;
    }
    let ago = if age_secs < 120 {
        format!("{age_secs} s ago")
    } else {
        format!("{} min ago", age_secs / 60)
    };
    Some(format!("{status} ({ago})"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_old_message_says_how_old_it_is() {
        let aged = super::aged;
        assert_eq!(aged("Importing: 1 of 1 done", 3), None);
        assert_eq!(aged("", 500), None);
        assert_eq!(
            aged("Saved 2 documents", 45).unwrap(),
            "Saved 2 documents (45 s ago)"
        );
        assert_eq!(
            aged("Saved 2 documents", 600).unwrap(),
            "Saved 2 documents (10 min ago)"
        );
    }
}
