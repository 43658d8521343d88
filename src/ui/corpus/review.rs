//! The review of pending suggestions (Ctrl+Shift+R): the whole project's suggestions, least
//! confident first, one row each in context. The keys act on the current row (the session routes
//! them while the review is open); a click picks a row.

use super::{colour, title};
use crate::session::{Command, Session};
use egui::RichText;

/// Draw the window; `false` once it is closed.
pub fn show(ctx: &egui::Context, session: &Session, out: &mut Vec<Command>) -> bool {
    let mut open = true;
    let Some(r) = session.review() else {
        return false;
    };
    crate::ui::window("Review suggestions", ctx)
        .open(&mut open)
        .default_size([720.0, 460.0])
        .show(ctx, |ui| {
            if r.running {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Gathering the suggestions of every document…");
                });
                return;
            }
            ui.label(format!(
                "{} to decide of {}, least sure first. Enter accepts, Backspace rejects, a label key accepts as that label, Tab / Shift+Tab move, Ctrl+Z takes the last decision back.",
                r.left(),
                r.items.len()
            ));
            ui.separator();
            let row_h = ui.spacing().interact_size.y;
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show_rows(ui, row_h, r.items.len(), |ui, rows| {
                    for i in rows {
                        let p = &r.items[i];
                        let current = i == r.at;
                        let row = ui.horizontal(|ui| {
                            ui.label(RichText::new(format!("{:.2}", p.score)).monospace());
                            ui.label(
                                RichText::new(&p.label)
                                    .color(colour(session, &p.label, 255))
                                    .strong(),
                            );
                            ui.add_sized(
                                [130.0, row_h],
                                egui::Label::new(RichText::new(title(session, p.doc)).weak())
                                    .truncate(),
                            );
                            ui.label(RichText::new(&p.left).weak());
                            ui.label(RichText::new(&p.matched).strong().underline());
                            ui.label(RichText::new(&p.right).weak());
                            if let Some(d) = &r.decided[i] {
                                ui.label(RichText::new(format!("— {d}")).italics());
                            }
                        });
                        let resp = row.response.interact(egui::Sense::click());
                        if current {
                            ui.painter().rect_stroke(
                                resp.rect.expand(1.0),
                                3.0,
                                (2.0, ui.visuals().strong_text_color()),
                                egui::StrokeKind::Outside,
                            );
                            resp.scroll_to_me(None);
                        }
                        if resp.clicked() {
                            out.push(Command::ReviewPick(i));
                        }
                    }
                });
        });
    open
}
