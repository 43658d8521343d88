//! Fonts for every script an article may be in. egui's own fonts cover Latin, Greek, Cyrillic
//! and some emoji; the fonts in `assets/fonts/` (licences in `assets/fonts/LICENSES.md`) fall back
//! after them for CJK, emoji and symbols, Arabic and Hebrew, so no character is drawn as an empty
//! box. They are compiled in: the binary stays one file.
//!
//! egui shapes and orders the text itself (Arabic letters join, right-to-left runs read from the
//! right); these files only supply the glyphs.

use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
use egui::{FontData, FontFamily};

/// (name, data): after egui's own fonts, in this order.
const FALLBACKS: &[(&str, &[u8])] = &[
    (
        "tagwright-cjk",
        include_bytes!("../../assets/fonts/DroidSansFallback-CJK.ttf"),
    ),
    (
        "tagwright-symbols",
        include_bytes!("../../assets/fonts/Symbola-Symbols.ttf"),
    ),
    (
        "tagwright-arabic",
        include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf"),
    ),
    (
        "tagwright-hebrew",
        include_bytes!("../../assets/fonts/NotoSansHebrew-Regular.ttf"),
    ),
];

/// Add the fallback fonts to both families (a no-op once they are there; applied at once when no
/// text was laid out yet in this frame).
pub fn install(ctx: &egui::Context) {
    for (name, data) in FALLBACKS {
        let families = [FontFamily::Proportional, FontFamily::Monospace]
            .into_iter()
            .map(|family| InsertFontFamily {
                family,
                priority: FontPriority::Lowest,
            })
            .collect();
        ctx.add_font(FontInsert::new(name, FontData::from_static(data), families));
    }
}
