//! The windows over the main view. Each is a small struct (or a function when it keeps no state
//! of its own) that reads the session and pushes commands.

mod annotator;
mod confirm;
mod export;
mod flag;
mod guidelines;
mod help;
mod model;
mod notices;
mod palette;
mod path_prompt;

use super::dialogs::DialogKind;
use crate::session::{Command, Session};

#[derive(Default)]
pub struct Windows {
    help: bool,
    model: bool,
    palette: Option<palette::Palette>,
    export: Option<export::ExportForm>,
    path: Option<path_prompt::PathPrompt>,
    guidelines: Option<guidelines::GuidelinesWindow>,
    flag: Option<flag::FlagPrompt>,
    annotator: Option<annotator::AnnotatorPrompt>,
}

impl Windows {
    pub fn toggle_guidelines(&mut self) {
        self.guidelines = match self.guidelines.take() {
            Some(_) => None,
            None => Some(Default::default()),
        };
    }

    /// Ask for the reason to flag the document on screen.
    pub fn open_flag(&mut self) {
        self.flag = Some(flag::FlagPrompt::default());
    }

    /// Ask who is annotating (Project > Annotator name).
    pub fn open_annotator(&mut self) {
        self.annotator = Some(annotator::AnnotatorPrompt::default());
    }

    pub fn toggle_model(&mut self) {
        self.model = !self.model;
    }

    pub fn toggle_help(&mut self) {
        self.help = !self.help;
    }

    pub fn open_palette(&mut self, ctx: &egui::Context) {
        self.palette = Some(palette::Palette::default());
        ctx.memory_mut(|m| m.request_focus(palette::id()));
    }

    /// Close the topmost of the palette, the path prompt and the export form; whether one was
    /// open.
    pub fn close_top(&mut self) -> bool {
        self.palette.take().is_some()
            || self.flag.take().is_some()
            || self.annotator.take().is_some()
            || self.path.take().is_some()
            || self.export.take().is_some()
            || self.guidelines.take().is_some()
            || std::mem::take(&mut self.model)
    }

    pub fn close_help(&mut self) -> bool {
        std::mem::take(&mut self.help)
    }

    pub fn open_export(&mut self, session: &Session) {
        self.export = Some(export::ExportForm::beside(session.workspace().root()));
    }

    pub fn ask_for_path(&mut self, kind: DialogKind, no_dialog: bool) {
        self.path = Some(path_prompt::PathPrompt::new(kind, no_dialog));
    }

    /// The windows that stay when another project opens (help, the palette); the export form,
    /// which proposes a path beside the old project, does not.
    pub fn for_another_project(self) -> Windows {
        Windows {
            export: None,
            guidelines: None,
            flag: None,
            annotator: None,
            ..self
        }
    }

    pub fn show(&mut self, ctx: &egui::Context, session: &Session, out: &mut Vec<Command>) {
        notices::error(ctx, session, out);
        if self.help {
            self.help = help::show(ctx);
        }
        if let Some(p) = &mut self.path {
            if !p.show(ctx, out) {
                self.path = None;
            }
        }
        if let Some(f) = &mut self.flag {
            if !f.show(ctx, out) {
                self.flag = None;
            }
        }
        // A team project with nobody named asks at once.
        if session.asks_name() && self.annotator.is_none() {
            self.open_annotator();
        }
        if let Some(a) = &mut self.annotator {
            if !a.show(ctx, session, out) {
                self.annotator = None;
            }
        }
        if let Some(p) = &mut self.palette {
            if !p.show(ctx, out) {
                self.palette = None;
            }
        }
        notices::disk_changes(ctx, session, out);
        notices::project_news(ctx, session, out);
        notices::recovery(ctx, session, out);
        if let Some(f) = &mut self.export {
            if !f.show(ctx, out) {
                self.export = None;
            }
        }
        if let Some(g) = &mut self.guidelines {
            if !g.show(ctx, session, out) {
                self.guidelines = None;
            }
        }
        if self.model {
            self.model = model::show(ctx, session, out);
        }
        confirm::show(ctx, session, out);
    }
}
