//! The eframe `App`: `logic()` runs the queued commands and the session's periodic work (it runs
//! even while the window is minimised); `ui()` handles keys and lays out the views, which send
//! more commands. One place, [`TagwrightApp::execute`], runs every command.

use super::dialogs::{DialogKind, Dialogs};
use super::keys;
use super::views::Views;
use crate::session::{Command, Request, Session, Settings};
use egui::Ui;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const STORAGE_KEY: &str = "tagwright";

pub struct TagwrightApp {
    session: Session,
    views: Views,
    dialogs: Dialogs,
    /// Commands sent since they were last run.
    queue: Vec<Command>,
    /// The theme the context has (set again when the setting changes).
    theme_applied: Option<bool>,
    first_frame_from: Option<Instant>,
}

impl TagwrightApp {
    /// Build the app for eframe: restores settings and opens `paths` (or the sample).
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        paths: Vec<PathBuf>,
        me: Option<crate::model::Annotator>,
    ) -> TagwrightApp {
        let config = crate::session::plugins::config_dir();
        let mut app = TagwrightApp::with_session(Session::with_config(paths, config, me));
        if let Some(s) = cc
            .storage
            .and_then(|s| eframe::get_value::<Settings>(s, STORAGE_KEY))
        {
            app.session.set_settings(s);
        }
        app
    }

    /// Build without eframe storage (tests, benches).
    pub fn with_paths(paths: Vec<PathBuf>) -> TagwrightApp {
        TagwrightApp::with_session(Session::with_paths(paths))
    }

    /// Build on a session made elsewhere (tests give it their own configuration folder).
    pub fn with_session(session: Session) -> TagwrightApp {
        TagwrightApp {
            session,
            views: Views::default(),
            dialogs: Dialogs::default(),
            queue: Vec::new(),
            theme_applied: None,
            first_frame_from: None,
        }
    }

    /// The session behind the window (what tests read).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The session, to set up a state directly (benches and examples); views never use this.
    pub fn session_mut(&mut self) -> &mut Session {
        &mut self.session
    }

    /// Queue a command, as a menu item or a button does; it runs in the next frame.
    pub fn send(&mut self, cmd: Command) {
        self.queue.push(cmd);
    }

    /// Print (to stderr) the time from `launched` to the end of the first frame.
    pub fn report_first_frame(&mut self, launched: Instant) {
        self.first_frame_from = Some(launched);
    }

    /// Run a command: the views take what is theirs (windows, focus, dialogs), the session does
    /// the rest.
    pub fn execute(&mut self, cmd: Command, ctx: &egui::Context) {
        let cmd = match cmd {
            Command::ClearSelection => match self.views.escape(&self.session) {
                Some(cmd) => cmd,
                None => return,
            },
            cmd => cmd,
        };
        let start_dir = self.session.workspace().root().map(Path::to_path_buf);
        match cmd {
            Command::OpenProject => self.dialogs.start(DialogKind::OpenProject, start_dir, ctx),
            Command::ImportArticles => self.dialogs.start(DialogKind::Import, None, ctx),
            Command::SaveAs => self.dialogs.start(DialogKind::SaveAs, None, ctx),
            _ => self.views.on_command(&cmd, &self.session, ctx),
        }
        self.session.run(cmd);
        for r in self.session.take_requests() {
            match r {
                Request::SaveAsDialog => self.dialogs.start(DialogKind::SaveAs, None, ctx),
                Request::Close => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
                Request::CancelClose => ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose),
            }
        }
    }

    fn run_queue(&mut self, ctx: &egui::Context) {
        if !self.queue.is_empty() {
            // What the commands changed is drawn in the next frame: ask for it now.
            ctx.request_repaint();
        }
        for cmd in std::mem::take(&mut self.queue) {
            self.execute(cmd, ctx);
        }
    }

    /// Everything but drawing: commands, dialog answers, close requests, jobs, autosave.
    pub fn logic(&mut self, ctx: &egui::Context) {
        match self.dialogs.poll() {
            Some(Ok((kind, paths))) => self.queue.extend(dialog_command(kind, paths)),
            Some(Err(kind)) => self.views.ask_for_path(kind, true),
            None => {}
        }
        if ctx.input(|i| i.viewport().close_requested()) && !self.session.quitting() {
            self.queue.push(Command::CloseRequested);
        }
        self.run_queue(ctx);
        self.session.tick();
        // Keep ticking (autosave, jobs, disk checks) even when nothing happens on screen.
        let every = if self.session.is_busy() {
            Duration::from_millis(50)
        } else {
            Duration::from_secs(1)
        };
        ctx.request_repaint_after(every);
    }

    /// One frame of drawing, without eframe's `Frame` (used by `ui` and by headless benches).
    pub fn frame(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        // Before any text is laid out, so the first frame already has every script.
        super::fonts::install(&ctx);
        let dark = self.session.settings().dark;
        if self.theme_applied != Some(dark) {
            ctx.set_visuals(if dark {
                egui::Visuals::dark()
            } else {
                egui::Visuals::light()
            });
            self.theme_applied = Some(dark);
        }
        if ctx.input(|i| i.events.iter().any(is_activity)) {
            self.session.note_activity(std::time::Instant::now());
        }
        keys::handle(&ctx, &self.session, &mut self.queue);
        self.run_queue(&ctx);
        let scroll_to = self.session.take_scroll_target();
        self.views
            .show(ui, &self.session, scroll_to, &mut self.queue);
        self.run_queue(&ctx);
        if let Some(t) = self.first_frame_from.take() {
            eprintln!(
                "first frame built {:.1} ms after launch",
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

/// Input that shows the person is at work (for active time): keys, typing, clicks, scrolling,
/// the pointer moving. Focus changes and repaints are not.
fn is_activity(e: &egui::Event) -> bool {
    use egui::Event as E;
    matches!(
        e,
        E::Key { .. }
            | E::Text(_)
            | E::PointerButton { .. }
            | E::PointerMoved(_)
            | E::MouseWheel { .. }
    )
}

/// What a dialog's answer asks for.
pub(super) fn dialog_command(kind: DialogKind, mut paths: Vec<PathBuf>) -> Option<Command> {
    match kind {
        DialogKind::Import => Some(Command::ImportPaths(paths)),
        DialogKind::OpenProject => (!paths.is_empty()).then(|| Command::OpenPath(paths.remove(0))),
        DialogKind::SaveAs => (!paths.is_empty()).then(|| Command::SaveAsPath(paths.remove(0))),
    }
}

impl eframe::App for TagwrightApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        TagwrightApp::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, self.session.settings());
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.session.save_before_exit();
    }
}
