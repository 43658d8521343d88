//! The views of the window and their transient widget state. Each view reads the session and
//! pushes commands; the named commands that open or focus a view are routed here first
//! ([`Views::on_command`]).

use super::corpus::CorpusWindows;
use super::dialogs::DialogKind;
use super::panels::{self, article::Article, inspector::Inspector, label_editor::LabelEditor};
use super::windows::Windows;
use crate::model::Status;
use crate::session::{Command, Session};
use crate::text::CharSpan;
use egui::Ui;

#[derive(Default)]
pub struct Views {
    /// The project the views' state belongs to (see `Stamp::project`).
    project: u64,
    article: Article,
    inspector: Inspector,
    label_editor: LabelEditor,
    windows: Windows,
    corpus: CorpusWindows,
}

impl Views {
    /// Another project is open: what was being typed or picked for the old one goes.
    fn follow(&mut self, session: &Session) {
        if self.project != session.stamp().project {
            *self = Views {
                project: session.stamp().project,
                article: std::mem::take(&mut self.article),
                windows: std::mem::take(&mut self.windows).for_another_project(),
                ..Default::default()
            };
        }
    }

    /// The part of a command that belongs to a view: open a window, focus a field.
    pub fn on_command(&mut self, cmd: &Command, session: &Session, ctx: &egui::Context) {
        self.follow(session);
        match cmd {
            Command::Find => self.article.open_find(ctx),
            Command::Palette => self.windows.open_palette(ctx),
            Command::Help => self.windows.toggle_help(),
            Command::Guidelines => self.windows.toggle_guidelines(),
            Command::ModelWindow => self.windows.toggle_model(),
            Command::AnnotatorName => self.windows.open_annotator(),
            Command::TypePath => self.ask_for_path(DialogKind::OpenProject, false),
            Command::Export => self.windows.open_export(session),
            Command::SearchProject => self.corpus.open_search(),
            Command::Consistency => self.corpus.open_consistency(),
            Command::Statistics => self.corpus.open_stats(),
            Command::ReviewSuggestions => self.corpus.open_review(),
            Command::Agreement => self.corpus.open_agreement(),
            // Unflagging needs no reason: the session does it.
            Command::FlagDocument
                if session.doc().is_some_and(|d| d.status() != Status::Flagged) =>
            {
                self.windows.open_flag()
            }
            _ => {}
        }
    }

    /// Escape: close the topmost window (what the views can close themselves, or the command that
    /// closes one of the session's), else the find bar; `Some(ClearSelection)` when nothing was
    /// open, so the selection is cleared.
    pub fn escape(&mut self, session: &Session) -> Option<Command> {
        if self.windows.close_top() {
            return None;
        }
        if session.confirm().is_some() {
            return Some(Command::DismissConfirm);
        }
        if session.corpus().bulk.is_some() {
            return Some(Command::CancelBulk);
        }
        if session.error().is_some() {
            return Some(Command::DismissError);
        }
        if session.project_news().is_some() {
            return Some(Command::DismissProjectNews);
        }
        if self.windows.close_help() {
            return None;
        }
        if let Some(tool) = self.corpus.close_top() {
            return Some(Command::CloseTool(tool));
        }
        if self.article.close_find() {
            return None;
        }
        Some(Command::ClearSelection)
    }

    /// Ask for a path by typing (`no_dialog`: because no file dialog could be shown).
    pub fn ask_for_path(&mut self, kind: DialogKind, no_dialog: bool) {
        self.windows.ask_for_path(kind, no_dialog);
    }

    pub fn show(
        &mut self,
        ui: &mut Ui,
        session: &Session,
        scroll_to: Option<CharSpan>,
        out: &mut Vec<Command>,
    ) {
        self.follow(session);
        egui::Panel::top("menu").show(ui, |ui| super::menu::show(ui, session, out));
        egui::Panel::bottom("status").show(ui, |ui| panels::status_bar::show(ui, session, out));
        // The article gets the room: the side panels are resizable (egui remembers their width)
        // between a minimum and a share of the window, and what is in them is cut, not allowed
        // to widen them.
        let width = ui.ctx().content_rect().width();
        egui::Panel::left("documents")
            .default_size(220.0)
            .size_range(140.0..=(width * 0.28).max(140.0))
            .show(ui, |ui| {
                ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
                panels::documents::show(ui, session, out)
            });
        egui::Panel::right("side")
            .default_size(300.0)
            .size_range(200.0..=(width * 0.34).max(200.0))
            .show(ui, |ui| {
                ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
                self.side(ui, session, out)
            });
        egui::CentralPanel::default().show(ui, |ui| self.article.show(ui, session, scroll_to, out));
        let ctx = ui.ctx().clone();
        self.windows.show(&ctx, session, out);
        self.corpus.show(&ctx, session, out);
    }

    /// The right side: labels, the selection, the suggestions and the label editor.
    fn side(&mut self, ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                panels::labels::show(ui, session, out);
                egui::CollapsingHeader::new("Edit labels")
                    .show(ui, |ui| self.label_editor.show(ui, session, out));
                ui.separator();
                self.inspector.show(ui, session, out);
                ui.separator();
                panels::adjudication::show(ui, session, out);
                panels::suggestions::show(ui, session, out);
            });
    }
}
