//! Image snapshot of the main window with the sample article (needs the `snapshot` feature, which
//! renders with wgpu on EGL + Mesa llvmpipe; no GPU or display). Baselines live in
//! `tests/snapshots/`; regenerate them with `UPDATE_SNAPSHOTS=1 cargo test --features snapshot`.
#![cfg(feature = "snapshot")]

use egui_kittest::{Harness, SnapshotOptions};
use tagwright::ui::TagwrightApp;

fn options() -> SnapshotOptions {
    // Font rasterisation differs slightly between Mesa versions: allow a little, not a layout change.
    SnapshotOptions::new()
        .threshold(2.0)
        .max_failed_pixels(2000)
}

#[test]
fn main_window_with_the_sample_article() {
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .wgpu()
        .build_eframe(|_cc| TagwrightApp::with_paths(vec![]));
    h.run_steps(3);
    h.snapshot_options("main_window_light", &options());
    // A selected suggestion and an accepted entity, in the dark theme.
    h.key_press(egui::Key::Tab);
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(1);
    h.state_mut().send(tagwright::session::Command::ToggleTheme);
    h.run_steps(3);
    h.snapshot_options("main_window_dark", &options());
}
