//! The selection (right): what is selected, where it came from, its note, and buttons for what
//! can be done with it. The buttons send the same commands as the keys.

use crate::model::Origin;
use crate::session::{Command, DocKey, Selection, Session};
use crate::text::CharSpan;
use egui::{RichText, Ui};

/// The note being typed, for the entity it belongs to.
#[derive(Default)]
pub struct Inspector {
    note: Option<((CharSpan, String), String)>,
    /// The document note being typed, for the document (id and text hash) it belongs to.
    doc_note: Option<(DocKey, String)>,
}

impl Inspector {
    pub fn show(&mut self, ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
        self.document_note(ui, session, out);
        ui.heading("Selection");
        let Some(d) = session.doc() else {
            return;
        };
        match session.selection() {
            Selection::None => {
                ui.label(RichText::new("Drag over text (or double-click a word), then press a label key. Tab selects the next suggestion.").weak());
            }
            Selection::Range(r) => {
                ui.label(format!(
                    "“{}”  ({}–{})",
                    session.slice(*r),
                    r.start.0,
                    r.end.0
                ));
                ui.label(RichText::new("Press a label key or click a label to tag it").weak());
            }
            Selection::Suggestion(r, l) => {
                ui.label(format!("“{}”", session.slice(*r)));
                if let Some(s) = d.find_suggestion(*r, l) {
                    ui.label(format!(
                        "Suggested {} by {}, score {:.2}",
                        s.label, s.source, s.score
                    ));
                }
                ui.horizontal(|ui| {
                    if ui.button("Accept").clicked() {
                        out.push(Command::Accept);
                    }
                    if ui.button("Reject").clicked() {
                        out.push(Command::Reject);
                    }
                });
            }
            Selection::Span(r, l) => {
                let Some(s) = d.find_span(*r, l) else {
                    return;
                };
                ui.label(format!(
                    "“{}”  ({}–{})",
                    session.slice(*r),
                    r.start.0,
                    r.end.0
                ));
                ui.label(format!("Label: {}", s.label));
                ui.label(match &s.origin {
                    Origin::Manual => "Origin: tagged by hand".to_string(),
                    Origin::Accepted { source, score } => {
                        format!("Origin: accepted from {source} (score {score:.2})")
                    }
                    Origin::Corrected { source, suggested } => {
                        format!("Origin: corrected ({source} suggested {suggested} here)")
                    }
                });
                let key = (*r, l.clone());
                if self.note.as_ref().is_none_or(|(k, _)| *k != key) {
                    self.note = Some((key, s.note.clone()));
                }
                ui.label("Note:");
                if let Some((_, note)) = &mut self.note {
                    let resp = ui.add(
                        egui::TextEdit::multiline(note)
                            .desired_rows(2)
                            .id(egui::Id::unique("tagwright-span-note")),
                    );
                    if resp.lost_focus() && *note != s.note {
                        out.push(Command::SetSpanNote {
                            span: *r,
                            label: l.clone(),
                            note: note.clone(),
                        });
                    }
                }
                if ui.button("Remove entity").clicked() {
                    out.push(Command::Remove);
                }
            }
        }
    }

    /// The note of the document on screen (saved when the field loses focus).
    fn document_note(&mut self, ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
        let Some(d) = session.doc() else { return };
        if d.status().is_set_aside() {
            let why = match d.reason() {
                "" => String::new(),
                r => format!(": {r}"),
            };
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "This document is {}{why}. It is left out of exports and learning.",
                    d.status().name()
                ),
            );
        }
        if self.doc_note.as_ref().is_none_or(|(k, _)| !k.is(d)) {
            self.doc_note = Some((DocKey::of(d), d.note().to_string()));
        }
        let Some((_, note)) = &mut self.doc_note else {
            return;
        };
        egui::CollapsingHeader::new(if d.note().is_empty() {
            "Document note".to_string()
        } else {
            "Document note ✎".to_string()
        })
        .id_salt("tagwright-doc-note")
        .default_open(!d.note().is_empty())
        .show(ui, |ui| {
            let r = ui.add(
                egui::TextEdit::multiline(note)
                    .desired_rows(2)
                    .hint_text("Anything about this document (kept in its file)")
                    .id(egui::Id::unique("tagwright-doc-note-text")),
            );
            if r.lost_focus() && *note != d.note() {
                out.push(Command::SetDocNote(note.clone()));
            }
        });
        ui.separator();
    }
}
