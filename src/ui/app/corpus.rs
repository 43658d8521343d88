//! The corpus tools: project search (keyword in context, jump, tag all occurrences), the
//! consistency checker and the statistics window. The work (search, check, counting) runs on a
//! worker thread over a [`DocSource`](crate::store::DocSource) snapshot, so a project of tens of
//! thousands of documents never blocks a frame; the results come back here. Every change is
//! previewed as a [`Bulk`] first and applied with [`Workspace::apply_group`]: one undo step.

use super::{Selection, TagwrightApp};
use crate::corpus::{self, CorpusStats, Hit, Inconsistency, Query, TagPlan};
use crate::model::{Edit, Status};
use crate::text::CharSpan;
use egui::{Color32, RichText, Ui};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::Arc;

/// Most hits a search lists (the count says when there were more).
pub const MAX_HITS: usize = 10_000;
/// Characters of context on each side of a hit.
const CONTEXT: usize = 48;

/// State of the three windows and their worker.
#[derive(Default)]
pub struct CorpusUi {
    pub search: Option<SearchUi>,
    pub consistency: Option<ConsistencyUi>,
    pub stats: Option<StatsUi>,
    /// A previewed project-wide change waiting for the person's go-ahead.
    pub bulk: Option<Bulk>,
    task: Option<Task>,
}

#[derive(Default)]
pub struct SearchUi {
    pub pattern: String,
    pub regex: bool,
    pub case_sensitive: bool,
    pub whole_word: bool,
    pub hits: Vec<Hit>,
    /// The search stopped at [`MAX_HITS`].
    pub truncated: bool,
    /// What the last search found, in a sentence (or why it could not run).
    pub summary: String,
    /// Label for "tag all".
    pub label: String,
    pub running: bool,
    focus: bool,
}

#[derive(Default)]
pub struct ConsistencyUi {
    pub items: Vec<Inconsistency>,
    pub selected: Option<usize>,
    /// What "make consistent" sets: a label, or `None` for no label.
    pub to: Option<String>,
    pub running: bool,
    pub checked: bool,
}

#[derive(Default)]
pub struct StatsUi {
    pub stats: Option<CorpusStats>,
    pub running: bool,
}

/// A change over several documents, computed and shown before it is applied.
pub struct Bulk {
    /// What it does, in a sentence.
    pub what: String,
    pub plan: TagPlan,
    pub edits: Vec<(usize, Edit)>,
    /// Run the search (or the check) again after applying, so the lists show the new labels.
    after: Rerun,
}

#[derive(Clone, Copy)]
enum Rerun {
    Search,
    Consistency,
}

enum Outcome {
    Hits(Vec<Hit>, bool, String),
    Consistency(Vec<Inconsistency>),
    Stats(CorpusStats),
}

struct Task {
    rx: Receiver<Outcome>,
    cancel: Arc<AtomicBool>,
}

impl Drop for Task {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

impl CorpusUi {
    pub fn is_busy(&self) -> bool {
        self.task.is_some()
    }
}

/// "1 document", "3 documents".
fn documents(n: usize) -> String {
    if n == 1 {
        "1 document".into()
    } else {
        format!("{n} documents")
    }
}

/// Characters of left context shown in a row (the rest is cut at the start).
const LEFT_CHARS: usize = 32;

/// The last `n` chars of `s`, with "…" in front when cut.
fn tail(s: &str, n: usize) -> String {
    let len = s.chars().count();
    if len <= n {
        s.to_string()
    } else {
        let cut: String = s.chars().skip(len - n).collect();
        format!("…{}", cut.trim_start())
    }
}

fn plan_sentence(p: &TagPlan) -> String {
    let mut parts = Vec::new();
    for (n, what) in [
        (p.add, "tagged"),
        (p.relabel, "relabelled"),
        (p.remove, "untagged"),
        (p.already, "already so"),
        (p.conflicts, "skipped (they overlap another entity)"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    if parts.is_empty() {
        "nothing to change".into()
    } else {
        parts.join(", ")
    }
}

impl TagwrightApp {
    /// Start a worker over a snapshot of every document; a running one is cancelled.
    fn corpus_task(
        &mut self,
        work: impl FnOnce(crate::store::DocSource, &AtomicBool) -> Option<Outcome> + Send + 'static,
    ) {
        let source = self.ws.source();
        let (tx, rx) = std::sync::mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let stop = cancel.clone();
        std::thread::spawn(move || {
            if let Some(out) = work(source, &stop) {
                let _ = tx.send(out);
            }
        });
        self.corpus.task = Some(Task { rx, cancel });
    }

    pub(super) fn open_search(&mut self) {
        let s = self.corpus.search.get_or_insert_with(SearchUi::default);
        s.focus = true;
        if s.label.is_empty() {
            s.label = self
                .ws
                .schema
                .labels
                .first()
                .map(|l| l.name.clone())
                .unwrap_or_default();
        }
    }

    /// Search every document for the pattern in the search window.
    pub fn run_search(&mut self) {
        let Some(s) = &mut self.corpus.search else {
            return;
        };
        let q = match Query::new(&s.pattern, s.regex, s.case_sensitive, s.whole_word) {
            Ok(q) => q,
            Err(e) => {
                s.summary = e.to_string();
                s.hits.clear();
                return;
            }
        };
        s.running = true;
        self.corpus_task(move |source, stop| {
            let mut hits = Vec::new();
            let mut truncated = false;
            let mut unreadable = 0;
            for i in 0..source.len() {
                if stop.load(Ordering::Relaxed) {
                    return None;
                }
                match source.get(i) {
                    Ok(d) => {
                        if corpus::search_doc(&d, i, &q, CONTEXT, MAX_HITS, &mut hits) {
                            truncated = true;
                            break;
                        }
                    }
                    Err(_) => unreadable += 1,
                }
            }
            let docs = {
                let mut d: Vec<usize> = hits.iter().map(|h| h.doc).collect();
                d.dedup();
                d.len()
            };
            let mut summary = format!(
                "{}{} in {}",
                if truncated { "the first " } else { "" },
                if hits.len() == 1 {
                    "1 hit".to_string()
                } else {
                    format!("{} hits", hits.len())
                },
                documents(docs)
            );
            if unreadable > 0 {
                summary.push_str(&format!(" ({} could not be read)", documents(unreadable)));
            }
            Some(Outcome::Hits(hits, truncated, summary))
        });
    }

    /// Check every document for strings labelled differently in different places.
    pub fn run_consistency(&mut self) {
        let c = self
            .corpus
            .consistency
            .get_or_insert_with(ConsistencyUi::default);
        c.running = true;
        self.corpus_task(|source, stop| {
            // First pass: the tagged strings, from the documents that have entities (the
            // summaries say which); second pass: where they occur, in every document.
            let mut b = corpus::ConsistencyBuilder::new();
            for i in source.select(|d| d.spans > 0) {
                if stop.load(Ordering::Relaxed) {
                    return None;
                }
                if let Ok(d) = source.get(i) {
                    b.learn(&d);
                }
            }
            if b.is_empty() {
                return Some(Outcome::Consistency(Vec::new()));
            }
            let mut scan = b.scanner();
            for i in 0..source.len() {
                if stop.load(Ordering::Relaxed) {
                    return None;
                }
                if let Ok(d) = source.get(i) {
                    scan.scan(i, &d);
                }
            }
            Some(Outcome::Consistency(scan.finish()))
        });
    }

    /// Count entities, reviews and done documents over the project.
    pub fn run_stats(&mut self) {
        let st = self.corpus.stats.get_or_insert_with(StatsUi::default);
        st.running = true;
        self.corpus_task(|source, stop| {
            // Reading the documents dominates: one reader per core, counts merged at the end.
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            let chunk = source.len().div_ceil(threads).max(1);
            let parts: Vec<Option<CorpusStats>> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..source.len())
                    .step_by(chunk)
                    .map(|from| {
                        let source = &source;
                        s.spawn(move || {
                            let mut stats = CorpusStats::default();
                            for i in from..(from + chunk).min(source.len()) {
                                if stop.load(Ordering::Relaxed) {
                                    return None;
                                }
                                if let Ok(d) = source.get(i) {
                                    stats.add(&d);
                                }
                            }
                            Some(stats)
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().ok().flatten())
                    .collect()
            });
            let mut stats = CorpusStats::default();
            for p in parts {
                stats.merge(p?);
            }
            Some(Outcome::Stats(stats))
        });
    }

    fn poll_corpus(&mut self, ctx: &egui::Context) {
        let Some(task) = &self.corpus.task else {
            return;
        };
        match task.rx.try_recv() {
            Ok(out) => {
                self.corpus.task = None;
                match out {
                    Outcome::Hits(hits, truncated, summary) => {
                        if let Some(s) = &mut self.corpus.search {
                            s.hits = hits;
                            s.truncated = truncated;
                            s.summary = summary;
                            s.running = false;
                        }
                    }
                    Outcome::Consistency(items) => {
                        if let Some(c) = &mut self.corpus.consistency {
                            c.items = items;
                            c.selected = None;
                            c.running = false;
                            c.checked = true;
                        }
                    }
                    Outcome::Stats(s) => {
                        if let Some(st) = &mut self.corpus.stats {
                            st.stats = Some(s);
                            st.running = false;
                        }
                    }
                }
            }
            Err(TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(30))
            }
            Err(TryRecvError::Disconnected) => {
                self.corpus.task = None;
                for r in [
                    self.corpus.search.as_mut().map(|s| &mut s.running),
                    self.corpus.consistency.as_mut().map(|s| &mut s.running),
                    self.corpus.stats.as_mut().map(|s| &mut s.running),
                ]
                .into_iter()
                .flatten()
                {
                    *r = false;
                }
            }
        }
    }

    /// Show a place in a document: open it, scroll there and select what is there.
    pub(super) fn visit(&mut self, doc: usize, span: CharSpan, label: Option<&str>) {
        self.go_to(doc);
        if self.cur != doc {
            return;
        }
        self.sel = match label {
            Some(l) => Selection::Span(span, l.to_string()),
            None => Selection::Range(span),
        };
        self.scroll_to = Some(span);
    }

    /// Preview making every place in `places` (document, span) carry `label` (`None`: no label).
    fn preview(
        &mut self,
        places: Vec<(usize, CharSpan)>,
        label: Option<String>,
        what: String,
        after: Rerun,
    ) {
        let mut by_doc: BTreeMap<usize, Vec<CharSpan>> = BTreeMap::new();
        for (d, s) in places {
            by_doc.entry(d).or_default().push(s);
        }
        let mut plan = TagPlan::default();
        let mut edits = Vec::new();
        let mut unreadable = 0;
        for (d, spans) in by_doc {
            let Ok(doc) = self.ws.load(d) else {
                unreadable += 1;
                continue;
            };
            let (edit, p) = match &label {
                Some(l) => corpus::tag_all_edit(doc, &spans, l),
                None => corpus::fix_edit(doc, &spans, None),
            };
            plan += p;
            if let Some(e) = edit {
                edits.push((d, e));
            }
        }
        let mut what = format!("{what}: {}", plan_sentence(&plan));
        if !edits.is_empty() {
            what.push_str(&format!(", in {}", documents(edits.len())));
        }
        if unreadable > 0 {
            what.push_str(&format!("; {} could not be read", documents(unreadable)));
        }
        self.corpus.bulk = Some(Bulk {
            what,
            plan,
            edits,
            after,
        });
    }

    /// Apply the previewed change as one undo step.
    pub fn apply_bulk(&mut self) {
        let Some(b) = self.corpus.bulk.take() else {
            return;
        };
        if b.edits.is_empty() {
            return;
        }
        let n = b.edits.len();
        match self.ws.apply_group(b.edits) {
            Ok(()) => {
                self.status = format!(
                    "{} in {} (one undo step: Ctrl+Z)",
                    plan_sentence(&b.plan),
                    documents(n)
                );
                match b.after {
                    Rerun::Search => self.run_search(),
                    Rerun::Consistency => self.run_consistency(),
                }
            }
            Err(e) => self.error = Some(format!("Nothing was changed: {e}")),
        }
    }

    pub(super) fn corpus_windows(&mut self, ctx: &egui::Context) {
        self.poll_corpus(ctx);
        self.search_window(ctx);
        self.consistency_window(ctx);
        self.stats_window(ctx);
        self.bulk_window(ctx);
    }

    fn bulk_window(&mut self, ctx: &egui::Context) {
        let Some(b) = &self.corpus.bulk else {
            return;
        };
        let mut go = None;
        egui::Window::new("Preview")
            .collapsible(false)
            // Above the search and consistency windows it was opened from.
            .order(egui::Order::Foreground)
            .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
            .show(ctx, |ui| {
                ui.label(&b.what);
                ui.horizontal(|ui| {
                    if !b.edits.is_empty() && ui.button("Apply").clicked() {
                        go = Some(true);
                    }
                    if ui.button("Cancel").clicked() {
                        go = Some(false);
                    }
                });
            });
        match go {
            Some(true) => self.apply_bulk(),
            Some(false) => self.corpus.bulk = None,
            None => {}
        }
    }

    fn search_window(&mut self, ctx: &egui::Context) {
        let Some(mut s) = self.corpus.search.take() else {
            return;
        };
        let mut open = true;
        let mut search = false;
        let mut visit = None;
        let mut tag_all = false;
        egui::Window::new("Search the project")
            .open(&mut open)
            .default_size([640.0, 420.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    let r = ui.add(
                        egui::TextEdit::singleline(&mut s.pattern)
                            .hint_text("Text or regular expression")
                            .desired_width(280.0)
                            .id(egui::Id::unique("tagwright-project-search")),
                    );
                    if s.focus {
                        r.request_focus();
                        s.focus = false;
                    }
                    if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                        search = true;
                    }
                    search |= ui.button("Search").clicked();
                });
                ui.horizontal(|ui| {
                    ui.checkbox(&mut s.regex, "Regular expression");
                    ui.checkbox(&mut s.case_sensitive, "Match case");
                    ui.checkbox(&mut s.whole_word, "Whole words");
                });
                if s.running {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Searching…");
                    });
                } else if !s.summary.is_empty() {
                    ui.label(&s.summary);
                }
                if !s.hits.is_empty() {
                    ui.horizontal(|ui| {
                        egui::ComboBox::from_label("label")
                            .selected_text(s.label.clone())
                            .show_ui(ui, |ui| {
                                for l in &self.ws.schema.labels {
                                    ui.selectable_value(&mut s.label, l.name.clone(), &l.name);
                                }
                            });
                        tag_all = ui
                            .button(format!("Tag all {} hits…", s.hits.len()))
                            .on_hover_text(
                                "Preview, then tag every hit with this label as one undo step",
                            )
                            .clicked();
                    });
                }
                ui.separator();
                let row_h = ui.spacing().interact_size.y;
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show_rows(ui, row_h, s.hits.len(), |ui, rows| {
                        for h in &s.hits[rows] {
                            ui.horizontal(|ui| {
                                let title = self
                                    .ws
                                    .docs
                                    .get(h.doc)
                                    .map_or("", |d| d.summary.title.as_str());
                                ui.add_sized(
                                    [140.0, row_h],
                                    egui::Label::new(RichText::new(title).weak().small())
                                        .truncate(),
                                );
                                // Keyword in context: the left context ends at the hit, so it is
                                // cut at its start and right-aligned.
                                ui.allocate_ui_with_layout(
                                    egui::vec2(220.0, row_h),
                                    egui::Layout::right_to_left(egui::Align::Center),
                                    |ui| {
                                        ui.set_min_width(220.0);
                                        ui.label(RichText::new(tail(&h.left, LEFT_CHARS)).weak());
                                    },
                                );
                                let mut m = RichText::new(&h.matched).strong();
                                if let Some(l) = &h.label {
                                    m = m.background_color(self.ws.schema.get(l).map_or(
                                        Color32::GRAY,
                                        |l| {
                                            let [r, g, b] = l.rgb();
                                            Color32::from_rgba_unmultiplied(r, g, b, 70)
                                        },
                                    ));
                                }
                                let r = ui.link(m).on_hover_text(match &h.label {
                                    Some(l) => format!("tagged {l}; click to go there"),
                                    None => "not tagged; click to go there".into(),
                                });
                                if r.clicked() {
                                    visit = Some((h.doc, h.span, h.label.clone()));
                                }
                                ui.add(egui::Label::new(RichText::new(&h.right).weak()).truncate());
                            });
                        }
                    });
            });
        if !open {
            return;
        }
        self.corpus.search = Some(s);
        if search {
            self.run_search();
        }
        if let Some((d, span, label)) = visit {
            self.visit(d, span, label.as_deref());
        }
        if tag_all {
            self.preview_tag_all();
        }
    }

    /// Preview tagging every hit of the last search with the chosen label.
    pub fn preview_tag_all(&mut self) {
        let Some(s) = &self.corpus.search else {
            return;
        };
        let places = s.hits.iter().map(|h| (h.doc, h.span)).collect();
        let label = s.label.clone();
        let what = format!("Tag {} hits of “{}” as {label}", s.hits.len(), s.pattern);
        self.preview(places, Some(label), what, Rerun::Search);
    }

    fn consistency_window(&mut self, ctx: &egui::Context) {
        let Some(mut c) = self.corpus.consistency.take() else {
            return;
        };
        let mut open = true;
        let mut check = false;
        let mut visit = None;
        let mut fix = false;
        egui::Window::new("Consistency")
            .open(&mut open)
            .default_size([560.0, 460.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    check = ui.button("Check again").clicked();
                    if c.running {
                        ui.spinner();
                        ui.label("Checking every document…");
                    } else if c.checked {
                        ui.label(if c.items.is_empty() {
                            "Every tagged string is tagged the same way everywhere.".to_string()
                        } else {
                            format!(
                                "{} strings are tagged differently in different places",
                                c.items.len()
                            )
                        });
                    }
                });
                ui.separator();
                let row_h = ui.spacing().interact_size.y;
                egui::ScrollArea::vertical()
                    .id_salt("consistency-list")
                    .max_height(220.0)
                    .auto_shrink([false, true])
                    .show_rows(ui, row_h, c.items.len(), |ui, rows| {
                        for k in rows {
                            let it = &c.items[k];
                            let mut counts: Vec<String> = it
                                .by_label
                                .iter()
                                .map(|(l, n)| format!("{l} {n}"))
                                .collect();
                            if it.unlabeled > 0 {
                                counts.push(format!("untagged {}", it.unlabeled));
                            }
                            let text = format!("{}   {}", it.text, counts.join(" · "));
                            if ui.selectable_label(c.selected == Some(k), text).clicked() {
                                c.selected = Some(k);
                                c.to = it.by_label.first().map(|(l, _)| l.clone());
                            }
                        }
                    });
                let Some(it) = c.selected.and_then(|k| c.items.get(k)) else {
                    return;
                };
                ui.separator();
                ui.horizontal(|ui| {
                    ui.label(format!("“{}”: make all {} places", it.text, it.total()));
                    egui::ComboBox::from_label("label")
                        .selected_text(c.to.clone().unwrap_or_else(|| "untagged".into()))
                        .show_ui(ui, |ui| {
                            for l in &self.ws.schema.labels {
                                ui.selectable_value(&mut c.to, Some(l.name.clone()), &l.name);
                            }
                            ui.selectable_value(&mut c.to, None, "untagged");
                        });
                    fix = ui.button("Preview…").clicked();
                });
                egui::ScrollArea::vertical()
                    .id_salt("consistency-places")
                    .auto_shrink([false, false])
                    .show_rows(ui, row_h, it.places.len(), |ui, rows| {
                        for p in &it.places[rows] {
                            let title = self
                                .ws
                                .docs
                                .get(p.doc)
                                .map_or("", |d| d.summary.title.as_str());
                            let what = p.label.as_deref().unwrap_or("untagged");
                            if ui.link(format!("{what} — {title} at {}", p.span)).clicked() {
                                visit = Some((p.doc, p.span, p.label.clone()));
                            }
                        }
                    });
            });
        if !open {
            return;
        }
        let chosen = c.selected.and_then(|k| c.items.get(k)).map(|it| {
            (
                it.places
                    .iter()
                    .map(|p| (p.doc, p.span))
                    .collect::<Vec<_>>(),
                it.text.clone(),
            )
        });
        let to = c.to.clone();
        self.corpus.consistency = Some(c);
        if check {
            self.run_consistency();
        }
        if let Some((d, span, label)) = visit {
            self.visit(d, span, label.as_deref());
        }
        if let (true, Some((places, text))) = (fix, chosen) {
            let what = match &to {
                Some(l) => format!("Tag every “{text}” as {l}"),
                None => format!("Untag every “{text}”"),
            };
            self.preview(places, to, what, Rerun::Consistency);
        }
    }

    fn stats_window(&mut self, ctx: &egui::Context) {
        let Some(st) = self.corpus.stats.take() else {
            return;
        };
        let mut open = true;
        let mut again = false;
        egui::Window::new("Statistics")
            .open(&mut open)
            .default_size([620.0, 560.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    again = ui.button("Recount").clicked();
                    if st.running {
                        ui.spinner();
                        ui.label("Counting…");
                    }
                });
                let Some(s) = &st.stats else {
                    return;
                };
                egui::ScrollArea::vertical().show(ui, |ui| {
                    self.stats_body(ui, s);
                });
            });
        if !open {
            return;
        }
        self.corpus.stats = Some(st);
        if again {
            self.run_stats();
        }
    }

    fn stats_body(&self, ui: &mut Ui, s: &CorpusStats) {
        use egui_plot::{Bar, BarChart, Line, Plot};
        ui.label(format!(
            "{} documents: {} done, {} in progress, {} to do. {} entities ({} tagged by hand), {} suggestions pending.",
            s.docs,
            s.status_count(Status::Done),
            s.status_count(Status::InProgress),
            s.status_count(Status::Todo),
            s.per_label.values().sum::<usize>(),
            s.manual,
            s.pending
        ));
        let colour = |name: &str| {
            self.ws.schema.get(name).map_or(Color32::GRAY, |l| {
                let [r, g, b] = l.rgb();
                Color32::from_rgb(r, g, b)
            })
        };
        // Bar charts over named categories: x is the category's position, labelled by name.
        let names_axis = |names: Vec<String>| {
            move |m: egui_plot::GridMark, _: &std::ops::RangeInclusive<f64>| {
                let i = m.value.round();
                if (m.value - i).abs() < 1e-6 && i >= 0.0 {
                    names.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            }
        };

        ui.heading("Entities per label");
        let names: Vec<String> = s.per_label.keys().cloned().collect();
        let bars = s
            .per_label
            .iter()
            .enumerate()
            .map(|(i, (l, n))| Bar::new(i as f64, *n as f64).name(l).fill(colour(l)))
            .collect();
        Plot::new("stats-labels")
            .height(150.0)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .x_axis_formatter(names_axis(names))
            .show(ui, |p| {
                p.bar_chart(BarChart::new("entities", bars).width(0.6))
            });

        ui.heading("Documents done over time");
        if s.done_by_day.is_empty() {
            ui.label(RichText::new("No document has been marked done with a date yet.").weak());
        } else {
            // Bars: done that day; line: done in all, so far.
            let mut total = 0.0;
            let points: Vec<[f64; 2]> = s
                .done_by_day
                .iter()
                .map(|(d, n)| {
                    total += *n as f64;
                    [*d as f64, total]
                })
                .collect();
            let daily: Vec<Bar> = s
                .done_by_day
                .iter()
                .map(|(d, n)| {
                    Bar::new(*d as f64, *n as f64).name(format!("{}: {n}", corpus::day_string(*d)))
                })
                .collect();
            let (first, last) = (
                s.done_by_day.keys().next().copied().unwrap_or(0) as f64,
                s.done_by_day.keys().last().copied().unwrap_or(0) as f64,
            );
            Plot::new("stats-done")
                .height(150.0)
                .allow_zoom(false)
                .allow_drag(false)
                .allow_scroll(false)
                .include_y(0.0)
                .x_axis_formatter(|m, _| {
                    if m.value >= 0.0 && (m.value - m.value.round()).abs() < 1e-6 {
                        corpus::day_string(m.value as u64)
                    } else {
                        String::new()
                    }
                })
                .include_x(first - 1.0)
                .include_x(last + 1.0)
                .show(ui, |p| {
                    p.bar_chart(BarChart::new("done that day", daily).width(0.5));
                    p.line(Line::new("done in all", points));
                });
        }

        for (title, map, id) in [
            (
                "Suggestions accepted, by label",
                &s.acceptance_by_label,
                "stats-acc-label",
            ),
            (
                "Suggestions accepted, by recognizer",
                &s.acceptance_by_source,
                "stats-acc-source",
            ),
        ] {
            ui.heading(title);
            if map.is_empty() {
                ui.label(RichText::new("No suggestion has been accepted or rejected yet.").weak());
                continue;
            }
            let names: Vec<String> = map.keys().cloned().collect();
            let bars = map
                .iter()
                .enumerate()
                .map(|(i, (k, r))| {
                    Bar::new(i as f64, r.ratio().unwrap_or(0.0) * 100.0)
                        .name(format!(
                            "{k}: {} accepted, {} rejected",
                            r.accepted, r.rejected
                        ))
                        .fill(colour(k))
                })
                .collect();
            Plot::new(id)
                .height(140.0)
                .allow_zoom(false)
                .allow_drag(false)
                .allow_scroll(false)
                .include_y(0.0)
                .include_y(100.0)
                .x_axis_formatter(names_axis(names))
                .y_axis_formatter(|m, _| format!("{}%", m.value))
                .show(ui, |p| {
                    p.bar_chart(BarChart::new("acceptance %", bars).width(0.6))
                });
            for (k, r) in map {
                ui.label(format!(
                    "{k}: {} accepted, {} rejected{}",
                    r.accepted,
                    r.rejected,
                    r.ratio()
                        .map(|x| format!(" ({:.0}%)", x * 100.0))
                        .unwrap_or_default()
                ));
            }
        }
    }
}
