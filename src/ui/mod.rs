//! The window (eframe/egui), the only module that uses a UI crate. A thin layer over
//! [`Session`](crate::session::Session): every view reads the session and sends
//! [`Command`](crate::session::Command)s; [`TagwrightApp`] runs them in one place.
//!
//! - `app.rs`: the eframe `App`: `logic()` (commands, jobs, autosave; runs while minimised) and
//!   `ui()` (lays out the views);
//! - `views.rs`: the views' transient widget state and which view reacts to which command;
//! - `panels/`: document list, article (with the find bar), labels, selection inspector,
//!   suggestions, label editor, status bar;
//! - `windows/`: help, palette, export, typed path, recovery, changes on disk, confirmations,
//!   errors;
//! - `corpus/`: the search, consistency and statistics windows, and the bulk-change preview;
//! - `keys.rs`, `menu.rs`: shortcuts and menus, both built from the command enum;
//! - `text_view.rs`: the annotated article (char offsets mapped to galley positions).

mod app;
mod corpus;
mod dialogs;
pub mod fonts;
mod glyphs;
mod keys;
mod menu;
mod panels;
mod text_view;
mod views;
mod windows;

pub use app::TagwrightApp;

use std::path::PathBuf;

/// A window that opens in the middle of the main window (it can be moved from there).
pub(crate) fn window<'a>(title: &str, ctx: &egui::Context) -> egui::Window<'a> {
    egui::Window::new(title)
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
}

/// Open the window on `paths` (a project folder, article files, or nothing for the sample).
pub fn run(paths: Vec<PathBuf>, me: Option<crate::model::Annotator>) -> Result<(), eframe::Error> {
    let launched = std::time::Instant::now();
    // The model and the cluster table load while the window and its GL context are made.
    std::thread::spawn(crate::extract::tagger::warm_up);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Tagwright")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "Tagwright",
        options,
        Box::new(move |cc| {
            let mut app = TagwrightApp::new(cc, paths, me);
            // `TAGWRIGHT_STARTUP_TIMING=1` prints the time from launch to the first frame.
            if std::env::var_os("TAGWRIGHT_STARTUP_TIMING").is_some() {
                app.report_first_frame(launched);
            }
            Ok(Box::new(app))
        }),
    )
}
