//! Where each character of a laid-out paragraph is, and which character is under a point.
//!
//! egui's own mapping (`layout_from_cursor`, `cursor_from_pos`) assumes one glyph per char in
//! text order. egui 0.37 breaks that for right-to-left words: it shapes each Arabic or Hebrew
//! word as one run, emits its glyphs in visual (reversed) order and then zero-width
//! "continuation" glyphs, so a word of n letters has 2n − 1 glyphs and every index after it in
//! the paragraph is off. An outline was drawn around the wrong word and a click selected the
//! wrong entity after any Hebrew or Arabic word. For paragraphs with right-to-left letters this
//! module maps chars to boxes itself: left-to-right chars one glyph each, a right-to-left word
//! to the box of its glyphs with its letters placed from the right. Where the glyphs do not
//! follow that pattern it falls back to egui's mapping.
//!
//! Units: char indices into the galley's text; positions in points relative to the galley.

use egui::text::CCursor;
use egui::{Galley, Rect, Vec2};

/// Right-to-left letters (Hebrew, Arabic and their presentation forms) and the marks on them.
pub fn is_rtl(c: char) -> bool {
    matches!(c as u32,
        0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
}

/// A paragraph's geometry: egui's own when it has no right-to-left letters.
pub enum Geometry<'a> {
    Egui(&'a Galley),
    /// Per char: (row, left x, right x).
    Mapped(&'a Galley, Vec<(usize, f32, f32)>),
}

impl<'a> Geometry<'a> {
    pub fn of(galley: &'a Galley) -> Geometry<'a> {
        if !galley.job.text.chars().any(is_rtl) {
            return Geometry::Egui(galley);
        }
        match char_boxes(galley) {
            Some(b) => Geometry::Mapped(galley, b),
            None => Geometry::Egui(galley),
        }
    }

    /// Rectangles (one per row) covering chars `[a, b)`.
    pub fn rects(&self, a: usize, b: usize) -> Vec<Rect> {
        match self {
            Geometry::Egui(g) => egui_rects(g, a, b),
            Geometry::Mapped(g, boxes) => {
                let mut out: Vec<(usize, f32, f32)> = Vec::new();
                for &(row, x0, x1) in boxes.get(a..b.min(boxes.len())).unwrap_or_default() {
                    match out.iter_mut().find(|(r, _, _)| *r == row) {
                        Some(o) => *o = (row, o.1.min(x0), o.2.max(x1)),
                        None => out.push((row, x0, x1)),
                    }
                }
                out.into_iter()
                    .filter(|(_, x0, x1)| x1 > x0)
                    .map(|(row, x0, x1)| {
                        Rect::from_x_y_ranges(x0..=x1, g.rows[row].rect().y_range())
                    })
                    .collect()
            }
        }
    }

    /// The char boundary nearest to `pos` (as egui's `cursor_from_pos`): the index of the char
    /// under it, or the one after when `pos` is on the trailing half of a left-to-right char.
    pub fn index_at(&self, pos: Vec2) -> usize {
        let (g, boxes) = match self {
            Geometry::Egui(g) => return g.cursor_from_pos(pos).index.0,
            Geometry::Mapped(g, boxes) => (g, boxes),
        };
        let Some(row) = g
            .rows
            .iter()
            .position(|r| pos.y < r.rect().max.y)
            .or(g.rows.len().checked_sub(1))
        else {
            return 0;
        };
        let on_row: Vec<usize> = (0..boxes.len()).filter(|&i| boxes[i].0 == row).collect();
        let (Some(&first), Some(&last)) = (on_row.first(), on_row.last()) else {
            return boxes.len();
        };
        let chars: Vec<char> = g.job.text.chars().collect();
        for &i in &on_row {
            let (_, x0, x1) = boxes[i];
            if x0 <= pos.x && pos.x < x1 {
                let rtl = chars.get(i).is_some_and(|&c| is_rtl(c));
                return if !rtl && pos.x >= (x0 + x1) / 2.0 {
                    i + 1
                } else {
                    i
                };
            }
        }
        if pos.x < boxes[first].1 {
            first
        } else {
            last + 1
        }
    }
}

/// egui's mapping, for text it lays out one glyph per char.
fn egui_rects(galley: &Galley, a: usize, b: usize) -> Vec<Rect> {
    let ca = galley.layout_from_cursor(CCursor::new(a));
    let cb = galley.layout_from_cursor(CCursor::new(b));
    let mut out = Vec::new();
    for row in ca.row..=cb.row.min(galley.rows.len().saturating_sub(1)) {
        let placed = &galley.rows[row];
        let r = placed.rect();
        let x0 = if row == ca.row {
            placed.pos.x + placed.row.x_offset(ca.column)
        } else {
            r.min.x
        };
        let x1 = if row == cb.row {
            placed.pos.x + placed.row.x_offset(cb.column)
        } else {
            r.max.x
        };
        if x1 > x0 {
            out.push(Rect::from_x_y_ranges(x0..=x1, r.y_range()));
        }
    }
    out
}

/// Each char's box, walking the text and the glyphs together; `None` when the glyphs are not
/// the pattern described above.
fn char_boxes(galley: &Galley) -> Option<Vec<(usize, f32, f32)>> {
    let glyphs: Vec<(usize, char, f32, f32)> = galley
        .rows
        .iter()
        .enumerate()
        .flat_map(|(r, placed)| {
            let x = placed.pos.x;
            placed
                .row
                .glyphs
                .iter()
                .map(move |gl| (r, gl.chr, x + gl.pos.x, x + gl.pos.x + gl.advance_width))
        })
        .collect();
    let chars: Vec<char> = galley.job.text.chars().collect();
    let mut boxes = Vec::with_capacity(chars.len());
    let (mut i, mut g) = (0, 0);
    while i < chars.len() {
        if !is_rtl(chars[i]) {
            let &(row, c, x0, x1) = glyphs.get(g)?;
            if c != chars[i] {
                return None;
            }
            boxes.push((row, x0, x1));
            i += 1;
            g += 1;
            continue;
        }
        // A right-to-left word: its glyphs (and egui's continuation glyphs) run until the
        // first glyph of anything else.
        let end = (i..chars.len())
            .find(|&k| !is_rtl(chars[k]))
            .unwrap_or(chars.len());
        let from = g;
        while glyphs.get(g).is_some_and(|gl| is_rtl(gl.1)) {
            g += 1;
        }
        let word = glyphs.get(from..g).filter(|w| !w.is_empty())?;
        let row = word[0].0;
        let left = word.iter().map(|w| w.2).fold(f32::INFINITY, f32::min);
        let right = word.iter().map(|w| w.3).fold(f32::NEG_INFINITY, f32::max);
        let step = (right - left) / (end - i) as f32;
        for k in 0..end - i {
            // Letters read from the right.
            let x1 = right - k as f32 * step;
            boxes.push((row, x1 - step, x1));
        }
        i = end;
    }
    (g == glyphs.len()).then_some(boxes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn centre(r: Rect) -> Vec2 {
        r.center().to_vec2()
    }

    /// Lay `text` out on one line with the window's fonts.
    fn lay_out(text: &str, check: impl FnOnce(&Galley)) {
        let ctx = egui::Context::default();
        crate::ui::fonts::install(&ctx);
        let mut check = Some(check);
        let mut out = ctx.run_ui(Default::default(), |ui| {
            let job = egui::text::LayoutJob::simple_singleline(
                text.into(),
                egui::FontId::proportional(14.0),
                egui::Color32::WHITE,
            );
            let g = ui.fonts_mut(|f| f.layout_job(job));
            if let Some(c) = check.take() {
                c(&g);
            }
        });
        out.textures_delta.clear();
    }

    #[test]
    fn after_hebrew_and_arabic_words_a_char_is_where_it_is_drawn() {
        let text = "مرحبا بالعالم — שלום עולם. Kishida met 汪文斌.";
        lay_out(text, |g| {
            let geo = Geometry::of(g);
            assert!(
                matches!(geo, Geometry::Mapped(..)),
                "egui lays out RTL one glyph per char now: this module may go"
            );
            let at = |w: &str| text[..text.find(w).unwrap()].chars().count();
            let k = at("Kishida");
            // The box of "Kishida" is where the glyphs K..a are.
            let glyph_x = |c: char| {
                g.rows[0]
                    .row
                    .glyphs
                    .iter()
                    .find(|gl| gl.chr == c)
                    .unwrap()
                    .pos
                    .x
            };
            let r = geo.rects(k, k + 7);
            assert_eq!(r.len(), 1);
            assert!((r[0].min.x - glyph_x('K')).abs() < 0.5, "{r:?}");
            // A click on its middle lands in it, and egui's own mapping would not.
            let hit = geo.index_at(centre(r[0]));
            assert!((k..k + 7).contains(&hit), "{hit} not in {k}..{}", k + 7);
            let egui_hit = g.cursor_from_pos(centre(r[0])).index.0;
            assert!(
                !(k..k + 7).contains(&egui_hit),
                "egui maps it right now: {egui_hit}"
            );
            // The name after it, and the Hebrew word itself.
            let n = at("汪文斌");
            let wen = geo.rects(n + 1, n + 2)[0];
            let left_quarter = Vec2::new(wen.min.x + wen.width() / 4.0, wen.center().y);
            assert_eq!(geo.index_at(left_quarter), n + 1);
            assert_eq!(geo.index_at(centre(wen) + Vec2::new(1.0, 0.0)), n + 2);
            let h = at("עולם");
            let word = geo.rects(h, h + 4);
            assert!((h..h + 4).contains(&geo.index_at(centre(word[0]))));
            // Left of everything and right of everything.
            assert_eq!(geo.index_at(Vec2::new(-5.0, 5.0)), 0);
            assert_eq!(geo.index_at(Vec2::new(5000.0, 5.0)), text.chars().count());
        });
    }

    #[test]
    fn text_without_right_to_left_letters_keeps_eguis_mapping() {
        lay_out("Kishida met 汪文斌 🙄.", |g| {
            assert!(matches!(Geometry::of(g), Geometry::Egui(_)));
        });
    }
}
