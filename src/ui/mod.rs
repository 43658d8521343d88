//! The window (eframe/egui). A thin layer over the library: it reads the [`Workspace`](crate::store::Workspace) and turns
//! gestures into [`Edit`](crate::model::Edit)s and [`Command`]s; it holds no annotation logic.
//!
//! Offsets shown and handled here are char offsets, as everywhere; the text view maps them to
//! galley positions (which include the inserted label tags) in `text_view.rs`.

mod app;
mod commands;
mod dialogs;
mod text_view;

pub use app::{CorpusUi, Selection, TagwrightApp};
pub use commands::Command;

use std::path::PathBuf;

/// Open the window on `paths` (a project folder, article files, or nothing for the sample).
pub fn run(paths: Vec<PathBuf>) -> Result<(), String> {
    let launched = std::time::Instant::now();
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
            let mut app = TagwrightApp::new(cc, paths);
            // `TAGWRIGHT_STARTUP_TIMING=1` prints the time from launch to the first frame.
            if std::env::var_os("TAGWRIGHT_STARTUP_TIMING").is_some() {
                app.report_first_frame(launched);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| format!("could not open the window: {e}"))
}
