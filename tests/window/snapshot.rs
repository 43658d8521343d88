//! Image snapshot of the main window with the sample article (needs the `snapshot` feature, which
//! renders with wgpu on EGL + Mesa llvmpipe; no GPU or display). Baselines live in
//! `tests/snapshots/`; regenerate them with `UPDATE_SNAPSHOTS=1 cargo test --features snapshot`.
#![cfg(feature = "snapshot")]

use egui_kittest::{Harness, SnapshotOptions};
use tagwright::ui::TagwrightApp;

fn options() -> SnapshotOptions {
    // Font rasterisation may differ a little between Mesa versions; a missing entity tag (about
    // 400 pixels) or any layout change must not pass.
    SnapshotOptions::new().threshold(1.0).max_failed_pixels(50)
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

/// An article in several scripts: CJK, Hangul, Arabic and Hebrew (right to left), emoji, Greek,
/// Cyrillic and a combining accent. Every character is drawn with a glyph (the harness panics on a
/// missing one); the image shows them.
#[test]
fn every_script_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("scripts.txt");
    std::fs::write(
        &f,
        "外交部发言人汪文斌表示，中方欢迎。\n\n東京で岸田首相が会見した。서울에서 윤석열 대통령이 말했다.\n\n\
         قال الرئيس محمود عباس في رام الله\n\nאמר ראש הממשלה בירושלים\n\n\
         Fans 👍🏽 cheered 🌏 🚆 🙄 ✊ 💧 in Zürich — “Ελλάδα”, Москва, José\u{301}.\n",
    )
    .unwrap();
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .wgpu()
        .build_eframe(move |_cc| TagwrightApp::with_paths(vec![f]));
    h.run_steps(3);
    h.snapshot_options("every_script", &options());
}
