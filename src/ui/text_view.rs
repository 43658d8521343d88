//! The annotated article: one galley per paragraph (line), entities highlighted in their label's
//! colour with the label name beside them. Confirmed entities are filled; pending suggestions are
//! outlined, lightly tinted and underlined, with an italic `LABEL?` tag — distinguishable at a
//! glance in both themes.
//!
//! Offsets: the model's char offsets are mapped to galley char positions, which differ by the
//! label tags inserted after entities (`Para::inserts`). The view returns gestures in model char
//! offsets; the app turns them into selections and edits.

use super::glyphs::Geometry;
use crate::model::{Document, LabelSchema};
use crate::session::{DocKey, Selection, Stamp};
use crate::text::CharSpan;
use egui::text::{LayoutJob, TextFormat};
use egui::{Align, Color32, FontId, Galley, Rect, Sense, Stroke, Ui};
use std::sync::Arc;

/// What the person did in the text this frame (char offsets into the document).
#[derive(Debug, Clone, PartialEq)]
pub enum Gesture {
    /// A drag selected this range; `exact` when Alt was held (no snapping to tokens).
    Select {
        range: CharSpan,
        exact: bool,
    },
    Click(usize),
    DoubleClick(usize),
}

#[derive(Default)]
pub struct TextViewState {
    /// Char offset where the current drag started.
    drag_anchor: Option<usize>,
    /// Cached paragraph ranges: (document id + text hash) → ranges.
    paras_for: DocKey,
    paras: Vec<(usize, usize)>,
    /// Chars of the document, for building jobs without re-decoding.
    chars: Vec<char>,
    /// Vertical advance of each paragraph at `heights_width`: measured once laid out, estimated
    /// before. Only paragraphs near the viewport are laid out; the others are skipped by height.
    heights: Vec<f32>,
    heights_width: f32,
    /// `tops[k]` = sum of `heights[..k]` (one more entry than `heights`), valid up to
    /// `tops_valid`: the visible paragraphs are found by binary search, not by a walk.
    tops: Vec<f32>,
    tops_valid: usize,
    /// Longest entity and suggestion (chars) at a revision, so the view can start its sweep
    /// near the viewport instead of at the top of the article.
    longest: (Option<Stamp>, usize, usize),
}

/// Extra height above and below the viewport that is laid out too (smooth scrolling).
const MARGIN: f32 = 400.0;
const LINE_HEIGHT: f32 = 27.0;
const EMPTY_PARAGRAPH: f32 = 8.0;

/// Estimated advance of a paragraph of `chars` chars wrapped at `width`.
fn estimate(chars: usize, width: f32, spacing: f32) -> f32 {
    if chars == 0 {
        return EMPTY_PARAGRAPH;
    }
    let lines = ((chars as f32 * 7.5) / width.max(1.0)).ceil().max(1.0);
    lines * LINE_HEIGHT + spacing
}

pub struct ViewInput<'a> {
    pub doc: &'a Document,
    pub schema: &'a LabelSchema,
    pub sel: &'a Selection,
    pub hits: &'a [CharSpan],
    pub scroll_to: Option<CharSpan>,
    /// Changes whenever the project is replaced or a document's annotations change.
    pub revision: Stamp,
}

/// One paragraph as laid out.
struct Para {
    start: usize,
    /// (offset inside the paragraph after which a tag was inserted, tag length in chars)
    inserts: Vec<(usize, usize)>,
}

impl Para {
    /// Galley position of doc offset `p` (relative to the paragraph). `after_tags`: a tag that
    /// sits exactly at `p` counts as before it (for starts), else after (for ends).
    fn galley_offset(&self, p: usize, after_tags: bool) -> usize {
        p + self
            .inserts
            .iter()
            .filter(|(at, _)| *at < p || (after_tags && *at == p))
            .map(|(_, n)| n)
            .sum::<usize>()
    }

    /// Doc offset (relative) of a galley position; positions inside a tag map to the tag's spot.
    fn doc_offset(&self, g: usize) -> usize {
        let mut shift = 0;
        for (at, n) in &self.inserts {
            let tag_start = at + shift;
            if g <= tag_start {
                break;
            }
            if g < tag_start + n {
                return *at;
            }
            shift += n;
        }
        g - shift
    }
}

/// The items of a list sorted by span start that overlap each paragraph, for paragraphs visited
/// in order: a sweep with an active set, so a frame costs O(items + paragraphs), not their
/// product (spans may overlap each other when the schema allows it).
struct Sweep<'a, T> {
    items: &'a [T],
    next: usize,
    active: Vec<&'a T>,
}

impl<'a, T> Sweep<'a, T> {
    fn new(items: &'a [T]) -> Self {
        Sweep {
            items,
            next: 0,
            active: Vec::new(),
        }
    }

    /// Skip the items that cannot reach `pos` (none is longer than `longest`): a binary search,
    /// so frames cost the same at the end of a long article as at its top.
    fn seek(&mut self, pos: usize, longest: usize, span: impl Fn(&T) -> CharSpan) {
        let from = pos.saturating_sub(longest);
        self.next = self.items.partition_point(|t| span(t).start.0 < from);
        self.active.clear();
    }

    fn overlapping(&mut self, range: CharSpan, span: impl Fn(&T) -> CharSpan) -> Vec<&'a T> {
        while let Some(t) = self.items.get(self.next) {
            if span(t).start >= range.end {
                break;
            }
            self.active.push(t);
            self.next += 1;
        }
        self.active.retain(|t| span(t).end > range.start);
        self.active
            .iter()
            .copied()
            .filter(|t| span(t).overlaps(range))
            .collect()
    }
}

fn rgb(c: [u8; 3], a: u8) -> Color32 {
    Color32::from_rgba_unmultiplied(c[0], c[1], c[2], a)
}

/// A find hit: a marker fill and a thick stroke under it, so a hit never looks like an entity or
/// suggestion of some label (their fills are label colours, their underline is thin).
fn mark_hit(fmt: &mut TextFormat, dark: bool, strong: Color32) {
    fmt.background = if dark {
        Color32::from_rgb(120, 100, 0)
    } else {
        Color32::from_rgb(255, 230, 90)
    };
    fmt.underline = Stroke::new(3.0, strong);
}

/// Append the tag of an entity (`LABEL` on the label's colour) or of a suggestion (italic
/// `LABEL?` in the colour) to `job`; returns its length in chars. A no-break space ties the tag to
/// its entity, so a line never breaks between them; a suggestion's tag ends with a hair space
/// that keeps its italic `?` off the next character.
fn push_tag(
    job: &mut LayoutJob,
    label: &str,
    suggested: bool,
    font: &FontId,
    colour: Color32,
) -> usize {
    let (tag, format) = if suggested {
        (
            format!("\u{a0}{label}?\u{200a}"),
            TextFormat {
                color: colour,
                italics: true,
                ..tag_format(font)
            },
        )
    } else {
        (
            format!("\u{a0}{label}\u{a0}"),
            TextFormat {
                color: Color32::WHITE,
                background: colour,
                ..tag_format(font)
            },
        )
    };
    job.append(&tag, 1.0, format);
    tag.chars().count()
}

fn tag_format(font: &FontId) -> TextFormat {
    TextFormat {
        font_id: font.clone(),
        valign: Align::Center,
        line_height: Some(27.0),
        ..Default::default()
    }
}

/// Paragraph ranges `[start, end)` in chars: lines without their `\n` (and a `\r` before it).
fn paragraphs(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in chars.iter().enumerate() {
        if *c == '\n' {
            let end = if i > start && chars[i - 1] == '\r' {
                i - 1
            } else {
                i
            };
            out.push((start, end));
            start = i + 1;
        }
    }
    out.push((start, chars.len()));
    out
}

/// Draw the article and collect gestures.
/// `viewport` is the visible part of the content, in the content's coordinates (as
/// `ScrollArea::show_viewport` gives it).
pub fn show(
    ui: &mut Ui,
    input: &ViewInput,
    state: &mut TextViewState,
    viewport: Rect,
) -> Vec<Gesture> {
    let doc = input.doc;
    if !state.paras_for.is(doc) {
        state.chars = doc.text().chars().collect();
        state.paras = paragraphs(&state.chars);
        state.paras_for = DocKey::of(doc);
        state.longest.0 = None;
    }
    let dark = ui.visuals().dark_mode;
    let text_color = ui.visuals().text_color();
    let strong = ui.visuals().strong_text_color();
    let sel_bg = ui.visuals().selection.bg_fill;
    let body = FontId::proportional(16.0);
    let tag_font = FontId::proportional(11.0);
    let wrap = ui.available_width().max(100.0);
    let spacing = ui.spacing().item_spacing.y;
    if state.heights.len() != state.paras.len() || (state.heights_width - wrap).abs() > 0.5 {
        state.heights = state
            .paras
            .iter()
            .map(|&(ps, pe)| estimate(pe - ps, wrap, spacing))
            .collect();
        state.heights_width = wrap;
        state.tops_valid = 0;
    }
    let n = state.paras.len();
    if state.tops.len() != n + 1 {
        state.tops = vec![0.0; n + 1];
        state.tops_valid = 0;
    }
    for k in state.tops_valid..n {
        state.tops[k + 1] = state.tops[k] + state.heights[k];
    }
    state.tops_valid = n;
    let origin = ui.min_rect().min;
    if let Some(target) = input.scroll_to {
        let k = state
            .paras
            .partition_point(|&(_, pe)| pe < target.start.0)
            .min(n.saturating_sub(1));
        if let (Some(&y), Some(&h)) = (state.tops.get(k), state.heights.get(k)) {
            let r = Rect::from_min_size(origin + egui::vec2(0.0, y), egui::vec2(wrap, h));
            ui.scroll_to_rect(r, Some(Align::Center));
        }
    }

    let mut gestures = Vec::new();
    let mut laid: Vec<(Rect, Arc<Galley>, Para)> = Vec::new();
    let (sel_range, sel_key) = match input.sel {
        Selection::Range(r) => (Some(*r), None),
        Selection::Span(s, l) | Selection::Suggestion(s, l) => (None, Some((*s, l.clone()))),
        Selection::None => (None, None),
    };

    if state.longest.0 != Some(input.revision) {
        let max = |it: &mut dyn Iterator<Item = CharSpan>| it.map(|s| s.len()).max().unwrap_or(0);
        state.longest = (
            Some(input.revision),
            max(&mut doc.spans().iter().map(|s| s.span)),
            max(&mut doc.suggestions().iter().map(|s| s.span)),
        );
    }
    let mut span_sweep = Sweep::new(doc.spans());
    let mut sugg_sweep = Sweep::new(doc.suggestions());
    let (top, bottom) = (viewport.top() - MARGIN, viewport.bottom() + MARGIN);
    let first = state.tops[1..].partition_point(|&end| end < top);
    let last = state.tops[..n].partition_point(|&t| t <= bottom).max(first);
    if state.tops[first] > 0.0 {
        ui.add_space(state.tops[first]);
    }
    let skipped = state.tops[n] - state.tops[last];
    if let Some(&(ps, _)) = state.paras.get(first) {
        span_sweep.seek(ps, state.longest.1, |s| s.span);
        sugg_sweep.seek(ps, state.longest.2, |s| s.span);
    }
    for k in first..last {
        let (ps, pe) = state.paras[k];
        if ps == pe {
            ui.add_space(EMPTY_PARAGRAPH);
            continue;
        }
        let para_span = CharSpan::new(ps, pe).unwrap_or_default();
        let spans = span_sweep.overlapping(para_span, |s| s.span);
        let suggs = sugg_sweep.overlapping(para_span, |s| s.span);
        let mut cuts = vec![ps, pe];
        let mut add = |sp: CharSpan| {
            cuts.push(sp.start.0.clamp(ps, pe));
            cuts.push(sp.end.0.clamp(ps, pe));
        };
        spans.iter().for_each(|s| add(s.span));
        suggs.iter().for_each(|s| add(s.span));
        input
            .hits
            .iter()
            .filter(|h| h.overlaps(para_span))
            .for_each(|h| add(*h));
        if let Some(r) = sel_range {
            add(r);
        }
        cuts.sort_unstable();
        cuts.dedup();

        let mut job = LayoutJob::default();
        job.wrap.max_width = wrap;
        let mut para = Para {
            start: ps,
            inserts: Vec::new(),
        };
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let seg = CharSpan::new(a, b).unwrap_or_default();
            let mut fmt = TextFormat {
                font_id: body.clone(),
                color: text_color,
                line_height: Some(27.0),
                valign: Align::Center,
                ..Default::default()
            };
            if let Some(s) = spans.iter().find(|s| s.span.covers(seg)) {
                let c = input.schema.get(&s.label).map_or([128; 3], |l| l.rgb());
                fmt.background = rgb(c, if dark { 150 } else { 110 });
                fmt.color = strong;
            } else if let Some(s) = suggs.iter().find(|s| s.span.covers(seg)) {
                let c = input.schema.get(&s.label).map_or([128; 3], |l| l.rgb());
                fmt.background = rgb(c, if dark { 40 } else { 28 });
                fmt.underline = Stroke::new(1.5, rgb(c, 255));
            }
            if input.hits.iter().any(|h| h.covers(seg)) {
                mark_hit(&mut fmt, dark, strong);
            }
            if sel_range.is_some_and(|r| r.covers(seg)) {
                fmt.background = sel_bg;
            }
            let text: String = state.chars[a..b].iter().collect();
            job.append(&text, 0.0, fmt);
            // Label tags after entities that end here.
            for s in spans.iter().filter(|s| s.span.end.0 == b) {
                let c = input.schema.get(&s.label).map_or([128; 3], |l| l.rgb());
                let n = push_tag(&mut job, &s.label, false, &tag_font, rgb(c, 255));
                para.inserts.push((b - ps, n));
            }
            for s in suggs.iter().filter(|s| s.span.end.0 == b) {
                let c = input.schema.get(&s.label).map_or([128; 3], |l| l.rgb());
                let tc = if dark {
                    lighten(rgb(c, 255))
                } else {
                    rgb(c, 255)
                };
                let n = push_tag(&mut job, &s.label, true, &tag_font, tc);
                para.inserts.push((b - ps, n));
            }
        }
        let galley = ui.fonts_mut(|f| f.layout_job(job));
        let (rect, resp) = ui.allocate_exact_size(galley.size(), Sense::click_and_drag());
        let h = galley.size().y + spacing;
        if (state.heights[k] - h).abs() > 0.01 {
            state.heights[k] = h;
            state.tops_valid = state.tops_valid.min(k);
        }
        // Where each char is, once per paragraph and frame (outlines, hover, clicks).
        let geo = Geometry::of(&galley);
        if ui.is_rect_visible(rect) {
            let painter = ui.painter_at(rect.expand(3.0));
            painter.galley(rect.min, galley.clone(), text_color);
            // Outline suggestions; thick outline on the selected entity or suggestion.
            for s in &suggs {
                let c = input.schema.get(&s.label).map_or([128; 3], |l| l.rgb());
                let a = para.galley_offset(s.span.start.0.max(ps) - ps, true);
                let b = para.galley_offset(s.span.end.0.min(pe) - ps, false);
                for r in geo.rects(a, b) {
                    painter.rect_stroke(
                        r.translate(rect.min.to_vec2()).expand(1.0),
                        3.0,
                        Stroke::new(1.0, rgb(c, 230)),
                        egui::StrokeKind::Outside,
                    );
                }
            }
            if let Some((sp, _)) = &sel_key {
                if sp.overlaps(para_span) {
                    let a = para.galley_offset(sp.start.0.max(ps) - ps, true);
                    let b = para.galley_offset(sp.end.0.min(pe) - ps, false);
                    for r in geo.rects(a, b) {
                        painter.rect_stroke(
                            r.translate(rect.min.to_vec2()).expand(2.0),
                            3.0,
                            Stroke::new(2.5, strong),
                            egui::StrokeKind::Outside,
                        );
                    }
                }
            }
        }
        // Hover: what is under the pointer.
        if let Some(pos) = resp.hover_pos() {
            let g = geo.index_at(pos - rect.min);
            let c = ps + para.doc_offset(g);
            let hit = |sp: CharSpan| sp.start.0 <= c && c < sp.end.0;
            let tip = if let Some(s) = spans.iter().find(|s| hit(s.span)) {
                Some(match &s.origin {
                    crate::model::Origin::Manual => format!("{} — tagged by hand", s.label),
                    crate::model::Origin::Accepted { source, score } => {
                        format!(
                            "{} — accepted suggestion from {source}, score {score:.2}",
                            s.label
                        )
                    }
                    crate::model::Origin::Corrected { source, suggested } => {
                        format!(
                            "{} — corrected a {suggested} suggestion from {source}",
                            s.label
                        )
                    }
                })
            } else {
                suggs.iter().find(|s| hit(s.span)).map(|s| {
                    format!(
                        "{}? — suggested by {}, score {:.2} (Enter accepts, Backspace rejects)",
                        s.label, s.source, s.score
                    )
                })
            };
            if let Some(tip) = tip {
                resp.clone().on_hover_text_at_pointer(tip);
            }
        }
        if resp.double_clicked() {
            if let Some(pos) = resp.interact_pointer_pos() {
                let g = geo.index_at(pos - rect.min);
                gestures.push(Gesture::DoubleClick(ps + para.doc_offset(g)));
            }
        } else if resp.clicked() {
            if let Some(pos) = resp.interact_pointer_pos() {
                let g = geo.index_at(pos - rect.min);
                gestures.push(Gesture::Click(ps + para.doc_offset(g)));
            }
        }
        if resp.drag_started() {
            // Where the button went down, not where the movement was recognised as a drag (a
            // quick drag is recognised several characters later).
            let origin = ui.input(|i| i.pointer.press_origin());
            if let Some(pos) = origin.or(resp.interact_pointer_pos()) {
                let g = geo.index_at(pos - rect.min);
                state.drag_anchor = Some(ps + para.doc_offset(g));
            }
        }
        laid.push((rect, galley, para));
    }

    if skipped > 0.0 {
        ui.add_space(skipped);
    }

    // A drag may cross paragraphs: find the pointer's char among all laid-out paragraphs.
    if let Some(anchor) = state.drag_anchor {
        let (down, pos, alt) = ui.input(|i| {
            (
                i.pointer.primary_down(),
                i.pointer.interact_pos(),
                i.modifiers.alt,
            )
        });
        if let Some(pos) = pos {
            let here = laid
                .iter()
                .find(|(r, _, _)| pos.y <= r.max.y)
                .or(laid.last())
                .map(|(r, g, p)| {
                    let local = (pos - r.min).max(egui::vec2(0.0, 0.0));
                    let local = if pos.y < r.min.y {
                        egui::vec2(0.0, 0.0)
                    } else {
                        local
                    };
                    p.start + p.doc_offset(Geometry::of(g).index_at(local))
                });
            if let Some(here) = here {
                let range = CharSpan::new(anchor.min(here), anchor.max(here)).unwrap_or_default();
                if !range.is_empty() {
                    gestures.push(Gesture::Select {
                        range,
                        exact: alt || down,
                    });
                }
            }
        }
        if !down {
            state.drag_anchor = None;
        }
    }
    gestures
}

fn lighten(c: Color32) -> Color32 {
    let f = |v: u8| v.saturating_add((255 - v) / 2);
    Color32::from_rgb(f(c.r()), f(c.g()), f(c.b()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Starting the sweep at any paragraph (as the view does for the first visible one) finds
    /// exactly the items a sweep from the top finds, overlapping and long items included.
    #[test]
    fn a_sweep_started_near_the_viewport_finds_what_a_full_sweep_finds() {
        let cs = |a, b| CharSpan::new(a, b).unwrap();
        // Sorted by start, some overlapping, one long item crossing many paragraphs.
        let mut items = vec![cs(3, 250)];
        for k in 0..100 {
            items.push(cs(k * 7, k * 7 + 3));
            items.push(cs(k * 7 + 1, k * 7 + 9));
        }
        items.sort();
        let longest = items.iter().map(|s| s.len()).max().unwrap();
        let paras: Vec<CharSpan> = (0..70).map(|p| cs(p * 10, p * 10 + 8)).collect();
        let mut full = Sweep::new(&items);
        let expected: Vec<Vec<CharSpan>> = paras
            .iter()
            .map(|p| full.overlapping(*p, |s| *s).into_iter().copied().collect())
            .collect();
        for first in 0..paras.len() {
            let mut near = Sweep::new(&items);
            near.seek(paras[first].start.0, longest, |s| *s);
            for (k, p) in paras.iter().enumerate().skip(first) {
                let got: Vec<CharSpan> =
                    near.overlapping(*p, |s| *s).into_iter().copied().collect();
                assert_eq!(
                    got, expected[k],
                    "start at paragraph {first}, paragraph {k}"
                );
            }
        }
    }

    /// Bug 7: label tags wrapped onto the next line apart from their entity and covered the
    /// character after them. At every width, each tag's first letter is on its entity's row,
    /// inside the row's height, and left of the next character.
    #[test]
    fn tags_stay_with_their_entity_and_off_the_next_character() {
        let ctx = egui::Context::default();
        crate::ui::fonts::install(&ctx);
        let body = TextFormat {
            font_id: FontId::proportional(16.0),
            line_height: Some(27.0),
            valign: Align::Center,
            ..Default::default()
        };
        let tag_font = FontId::proportional(11.0);
        // (text before, entity, suggested?, text after)
        let parts = [
            ("BEIJING (", "Reuters", true, ") – Japan's premier "),
            ("", "Kishida", false, " pledged "),
            ("", "€100 million", true, ") to the "),
            ("", "Kenya Red Cross", false, ", said officials."),
        ];
        let mut checked = 0;
        let mut out = ctx.run_ui(Default::default(), |ui| {
            for width in (200..720).step_by(3) {
                let mut job = LayoutJob::default();
                job.wrap.max_width = width as f32;
                let mut marks = Vec::new();
                let mut at = 0;
                for (before, entity, suggested, after) in parts {
                    job.append(before, 0.0, body.clone());
                    job.append(entity, 0.0, body.clone());
                    at += before.chars().count() + entity.chars().count();
                    let n = push_tag(&mut job, "ORG", suggested, &tag_font, Color32::RED);
                    // Last char of the entity, first letter of the tag, first char after it.
                    marks.push((at - 1, at + 1, at + n));
                    job.append(after, 0.0, body.clone());
                    at += n + after.chars().count();
                }
                let g = ui.fonts_mut(|f| f.layout_job(job));
                let glyphs: Vec<(usize, &egui::epaint::text::Glyph)> = g
                    .rows
                    .iter()
                    .enumerate()
                    .flat_map(|(r, p)| p.row.glyphs.iter().map(move |gl| (r, gl)))
                    .collect();
                assert_eq!(glyphs.len(), at, "one glyph per char");
                for (last, tag, next) in marks {
                    let (er, _) = glyphs[last];
                    let (tr, tg) = glyphs[tag];
                    assert_eq!(er, tr, "width {width}: a tag wrapped away from its entity");
                    // The tag's letters sit in the middle of its entity's letters, not low.
                    let ink = |gl: &egui::epaint::text::Glyph| {
                        let top = gl.pos.y - gl.font_ascent;
                        (top, top + gl.font_height)
                    };
                    let (t0, t1) = ink(tg);
                    let (e0, e1) = ink(glyphs[last].1);
                    let row = g.rows[tr].rect().translate(-g.rows[tr].pos.to_vec2());
                    assert!(
                        t0 >= row.min.y - 0.5 && t1 <= row.max.y + 0.5,
                        "width {width}: the tag ({t0}..{t1}) leaves its line {row:?}"
                    );
                    let off = (t0 + t1) / 2.0 - (e0 + e1) / 2.0;
                    assert!(off.abs() <= 2.0, "width {width}: the tag sits {off} px low");
                    let (nr, ng) = glyphs[next];
                    let tag_end = glyphs[next - 1].1.max_x();
                    if nr == tr {
                        assert!(ng.pos.x >= tag_end - 1.0, "width {width}: a tag covers text: next {:?} at {} < {tag_end} (tag {:?})", ng.chr, ng.pos.x, glyphs[next - 1].1.chr);
                    }
                    checked += 1;
                }
            }
        });
        out.textures_delta.clear();
        assert!(checked > 200);
    }

    /// Bug 9: the find highlight had the colour of a label. Its fill is far from every label's
    /// fill in both themes, and its stroke is thicker than a suggestion's underline.
    #[test]
    fn a_find_hit_looks_like_no_label() {
        let schema = LabelSchema::news();
        for dark in [false, true] {
            let mut hit = TextFormat::default();
            mark_hit(&mut hit, dark, Color32::BLACK);
            assert!(hit.underline.width > 1.5);
            let h = hit.background;
            for l in &schema.labels {
                for a in [28, 40, 110, 150] {
                    let c = rgb(l.rgb(), a);
                    let d: i32 = [(h.r(), c.r()), (h.g(), c.g()), (h.b(), c.b())]
                        .iter()
                        .map(|&(x, y)| (i32::from(x) - i32::from(y)).abs())
                        .sum();
                    assert!(d > 60, "{} at alpha {a} is {d} from a find hit", l.name);
                }
            }
        }
    }
}
