//! Search the project: a pattern (text or regular expression), the hits in context (keyword in
//! context, only the rows in view are built), a click to go there, and "tag all" (previewed).

use super::{colour, title};
use crate::session::{Command, SearchRequest, Session};
use egui::RichText;

/// Characters of left context shown in a row (the rest is cut at the start).
const LEFT_CHARS: usize = 32;

#[derive(Default)]
pub struct SearchWindow {
    query: SearchRequest,
    /// Label for "tag all".
    pub label: String,
    pub focus: bool,
}

/// The last `n` chars of `s`, with "…" in front when cut.
fn tail(s: &str, n: usize) -> String {
    let len = s.chars().count();
    if len <= n {
        s.to_string()
    } else {
        let cut: String = s.chars().skip(len - n).collect();
        format!("…{}", cut.trim_start())
    }
}

impl SearchWindow {
    /// Draw the window; `false` once it is closed.
    pub fn show(&mut self, ctx: &egui::Context, session: &Session, out: &mut Vec<Command>) -> bool {
        let mut open = true;
        let results = session.corpus().search.as_ref();
        // The label for "tag all" must be one the project has (labels are renamed and deleted).
        let labels = &session.schema().labels;
        if !labels.iter().any(|l| l.name == self.label) {
            self.label = labels.first().map(|l| l.name.clone()).unwrap_or_default();
        }
        crate::ui::window("Search the project", ctx)
            .open(&mut open)
            .default_size([640.0, 420.0])
            .show(ctx, |ui| {
                let mut search = false;
                ui.horizontal(|ui| {
                    let r = ui.add(
                        egui::TextEdit::singleline(&mut self.query.pattern)
                            .hint_text("Text or regular expression")
                            .desired_width(280.0)
                            .id(egui::Id::unique("tagwright-project-search")),
                    );
                    if self.focus {
                        r.request_focus();
                        self.focus = false;
                    }
                    search = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    search |= ui.button("Search").clicked();
                });
                ui.horizontal(|ui| {
                    ui.checkbox(&mut self.query.regex, "Regular expression");
                    ui.checkbox(&mut self.query.case_sensitive, "Match case");
                    ui.checkbox(&mut self.query.whole_word, "Whole words");
                });
                if search {
                    out.push(Command::RunSearch(self.query.clone()));
                }
                let Some(res) = results else { return };
                if res.running {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Searching…");
                    });
                } else if !res.summary.is_empty() {
                    ui.label(&res.summary);
                }
                if !res.hits.is_empty() {
                    ui.horizontal(|ui| {
                        egui::ComboBox::from_label("label")
                            .selected_text(self.label.clone())
                            .show_ui(ui, |ui| {
                                for l in &session.schema().labels {
                                    ui.selectable_value(&mut self.label, l.name.clone(), &l.name);
                                }
                            });
                        if ui
                            .button(format!("Tag all {} hits…", res.hits.len()))
                            .on_hover_text(
                                "Preview, then tag every hit with this label as one undo step",
                            )
                            .clicked()
                        {
                            out.push(Command::PreviewTagAll(self.label.clone()));
                        }
                    });
                }
                ui.separator();
                hits(ui, session, &res.hits, out);
            });
        open
    }
}

fn hits(ui: &mut egui::Ui, session: &Session, hits: &[crate::corpus::Hit], out: &mut Vec<Command>) {
    let row_h = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, row_h, hits.len(), |ui, rows| {
            for h in &hits[rows] {
                ui.horizontal(|ui| {
                    ui.add_sized(
                        [140.0, row_h],
                        egui::Label::new(RichText::new(title(session, h.doc)).weak()).truncate(),
                    );
                    // Keyword in context: the left context ends at the hit, so it is cut at its
                    // start and right-aligned.
                    ui.allocate_ui_with_layout(
                        egui::vec2(220.0, row_h),
                        egui::Layout::right_to_left(egui::Align::Center),
                        |ui| {
                            ui.set_min_width(220.0);
                            ui.label(RichText::new(tail(&h.left, LEFT_CHARS)).weak());
                        },
                    );
                    let mut m = RichText::new(&h.matched).strong();
                    if let Some(l) = &h.label {
                        m = m.background_color(colour(session, l, 70));
                    }
                    let r = ui.link(m).on_hover_text(match &h.label {
                        Some(l) => format!("tagged {l}; click to go there"),
                        None => "not tagged; click to go there".into(),
                    });
                    if r.clicked() {
                        out.push(Command::Visit {
                            doc: h.doc,
                            span: h.span,
                            label: h.label.clone(),
                        });
                    }
                    ui.add(egui::Label::new(RichText::new(&h.right).weak()).truncate());
                });
            }
        });
}
