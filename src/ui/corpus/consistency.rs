//! The consistency check: strings tagged differently in different places, each with its counts
//! per label; pick one to see its places, visit them, or make them all one label (previewed).

use super::title;
use crate::session::{count, Command, Session};

#[derive(Default)]
pub struct ConsistencyWindow {
    /// The check `selected` belongs to: (project, run).
    run: (u64, u64),
    selected: Option<usize>,
    /// What "make consistent" sets: a label, or `None` for untagged.
    to: Option<String>,
}

impl ConsistencyWindow {
    /// Draw the window; `false` once it is closed.
    pub fn show(&mut self, ctx: &egui::Context, session: &Session, out: &mut Vec<Command>) -> bool {
        let mut open = true;
        let Some(c) = session.corpus().consistency.as_ref() else {
            return true;
        };
        let run = (session.stamp().project, c.run);
        if self.run != run {
            self.run = run;
            self.selected = None;
        }
        crate::ui::window("Consistency", ctx)
            .open(&mut open)
            .default_size([560.0, 460.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    if ui.button("Check again").clicked() {
                        out.push(Command::RecheckConsistency);
                    }
                    if c.running {
                        ui.spinner();
                        ui.label("Checking every document…");
                    } else if c.checked {
                        ui.label(if c.items.is_empty() {
                            "Every tagged string is tagged the same way everywhere.".to_string()
                        } else {
                            let n = c.items.len();
                            format!(
                                "{} {} tagged differently in different places",
                                count(n, "string", "strings"),
                                if n == 1 { "is" } else { "are" }
                            )
                        });
                    }
                });
                ui.separator();
                let row_h = ui.spacing().interact_size.y;
                egui::ScrollArea::vertical()
                    .id_salt("consistency-list")
                    .max_height(220.0)
                    .auto_shrink([false, true])
                    .show_rows(ui, row_h, c.items.len(), |ui, rows| {
                        for k in rows {
                            let it = &c.items[k];
                            let mut counts: Vec<String> = it
                                .by_label
                                .iter()
                                .map(|(l, n)| format!("{l} {n}"))
                                .collect();
                            if it.unlabeled > 0 {
                                counts.push(format!("untagged {}", it.unlabeled));
                            }
                            let text = format!("{}   {}", it.text, counts.join(" · "));
                            if ui
                                .selectable_label(self.selected == Some(k), text)
                                .clicked()
                            {
                                self.selected = Some(k);
                                self.to = it.by_label.first().map(|(l, _)| l.clone());
                            }
                        }
                    });
                let Some((k, it)) = self.selected.and_then(|k| Some((k, c.items.get(k)?))) else {
                    return;
                };
                ui.separator();
                ui.horizontal(|ui| {
                    ui.label(format!("“{}”: make all {} places", it.text, it.total()));
                    egui::ComboBox::from_label("label")
                        .selected_text(self.to.clone().unwrap_or_else(|| "untagged".into()))
                        .show_ui(ui, |ui| {
                            for l in &session.schema().labels {
                                ui.selectable_value(&mut self.to, Some(l.name.clone()), &l.name);
                            }
                            ui.selectable_value(&mut self.to, None, "untagged");
                        });
                    if ui.button("Preview…").clicked() {
                        out.push(Command::PreviewFix {
                            item: k,
                            to: self.to.clone(),
                        });
                    }
                });
                egui::ScrollArea::vertical()
                    .id_salt("consistency-places")
                    .auto_shrink([false, false])
                    .show_rows(ui, row_h, it.places.len(), |ui, rows| {
                        for p in &it.places[rows] {
                            let what = p.label.as_deref().unwrap_or("untagged");
                            let t = title(session, p.doc);
                            // The place in its words, so it can be judged before visiting.
                            let at = format!(
                                "{what} — {t}: …{}[{}]{}…",
                                p.left.trim_start(),
                                it.text,
                                p.right.trim_end()
                            );
                            if ui
                                .link(at)
                                .on_hover_text(format!("at {}", p.span))
                                .clicked()
                            {
                                out.push(Command::Visit {
                                    doc: p.doc,
                                    span: p.span,
                                    label: p.label.clone(),
                                });
                            }
                        }
                    });
            });
        open
    }
}
