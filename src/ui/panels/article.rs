//! The article (centre): the find bar, the title and status line, and the annotated text
//! ([`text_view`](crate::ui::text_view)). Gestures in the text become commands.

use crate::session::{Command, DocKey, Selection, Session};
use crate::text::CharSpan;
use crate::ui::text_view::{self, Gesture, TextViewState, ViewInput};
use egui::{RichText, Ui};

fn find_box_id() -> egui::Id {
    egui::Id::unique("tagwright-find-box")
}

#[derive(Default)]
pub struct Article {
    text: TextViewState,
    find: Find,
}

/// The find bar: what is searched, and its hits in the current document (char spans).
#[derive(Default)]
struct Find {
    open: bool,
    query: String,
    hits: Vec<CharSpan>,
    /// (document, query) the hits are for.
    hits_for: (DocKey, String),
}

impl Article {
    pub fn open_find(&mut self, ctx: &egui::Context) {
        self.find.open = true;
        ctx.memory_mut(|m| m.request_focus(find_box_id()));
    }

    /// Close the find bar; its hits are no longer highlighted (the query is kept for next time).
    /// Whether it was open.
    pub fn close_find(&mut self) -> bool {
        let was = self.find.open;
        self.find.open = false;
        self.find.hits.clear();
        self.find.hits_for = Default::default();
        was
    }

    pub fn show(
        &mut self,
        ui: &mut Ui,
        session: &Session,
        scroll_to: Option<CharSpan>,
        out: &mut Vec<Command>,
    ) {
        if self.find.open {
            self.find_bar(ui, session, out);
        }
        self.update_hits(session);
        let Some(d) = session.doc() else {
            ui.centered_and_justified(|ui| {
                ui.label("No documents. Import articles (Ctrl+I), open a project (Ctrl+O), or drop .txt/.md files here.");
            });
            return;
        };
        // Truncated: a long headline must not widen the panel past the window.
        ui.add(egui::Label::new(RichText::new(&d.title).heading()).truncate());
        ui.label(
            RichText::new(format!(
                "{} · {} entities · {} suggestions",
                d.status().name(),
                d.spans().len(),
                d.suggestions().len()
            ))
            .weak(),
        );
        ui.separator();
        let gestures = egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_viewport(ui, |ui, viewport| {
                ui.set_max_width(ui.available_width().min(820.0));
                let input = ViewInput {
                    doc: d,
                    schema: session.schema(),
                    sel: session.selection(),
                    hits: &self.find.hits,
                    scroll_to,
                    revision: session.stamp(),
                };
                text_view::show(ui, &input, &mut self.text, viewport)
            })
            .inner;
        out.extend(gestures.into_iter().map(|g| match g {
            Gesture::Select { range, exact } => Command::SelectRange { range, exact },
            Gesture::Click(c) => Command::Click(c),
            Gesture::DoubleClick(c) => Command::DoubleClick(c),
        }));
    }

    fn find_bar(&mut self, ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            ui.label("Find:");
            let r = ui.add(
                egui::TextEdit::singleline(&mut self.find.query)
                    .id(find_box_id())
                    .desired_width(240.0),
            );
            ui.label(crate::session::count(self.find.hits.len(), "hit", "hits"));
            if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                let from = session.selection().span().map(|s| s.start.0);
                if let Some(h) = self
                    .find
                    .hits
                    .iter()
                    .find(|h| from.is_none_or(|s| h.start.0 > s))
                    .or(self.find.hits.first())
                {
                    out.push(Command::Select(Selection::Range(*h)));
                }
            }
            if ui.button("Close").clicked() {
                let _ = self.close_find();
            }
        });
        ui.separator();
    }

    /// Find the query in the current document again when either changed.
    fn update_hits(&mut self, session: &Session) {
        let Some(d) = session.doc() else {
            return;
        };
        let (for_doc, for_query) = &self.find.hits_for;
        if for_doc.is(d) && *for_query == self.find.query {
            return;
        }
        self.find.hits.clear();
        // The session's index of this text gives char offsets without decoding it again.
        let index = session.text_index().filter(|_| self.find.open);
        if let (Some(idx), false) = (index, self.find.query.is_empty()) {
            let text = d.text();
            for (b, m) in text.match_indices(self.find.query.as_str()) {
                if let Some(sp) = idx.char_span(text, b..b + m.len()) {
                    self.find.hits.push(sp);
                }
            }
        }
        self.find.hits_for = (DocKey::of(d), self.find.query.clone());
    }
}
