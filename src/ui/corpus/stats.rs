//! Statistics: entities per label, documents done over time, and how often suggestions are
//! accepted, by label and by recognizer (egui_plot charts and the numbers in words).

use super::colour;
use crate::corpus::{self, CorpusStats};
use crate::model::Status;
use crate::session::{Command, Session};
use egui::{RichText, Ui};

/// Draw the window; `false` once it is closed.
pub fn show(ctx: &egui::Context, session: &Session, out: &mut Vec<Command>) -> bool {
    let mut open = true;
    let results = session.corpus().stats.as_ref();
    crate::ui::window("Statistics", ctx)
        .open(&mut open)
        .default_size([620.0, 560.0])
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                if ui.button("Recount").clicked() {
                    out.push(Command::Statistics);
                }
                if results.is_some_and(|r| r.running) {
                    ui.spinner();
                    ui.label("Counting…");
                }
            });
            let Some(s) = results.and_then(|r| r.stats.as_ref()) else {
                return;
            };
            let team = results.map_or(&[][..], |r| r.annotators.as_slice());
            egui::ScrollArea::vertical().show(ui, |ui| {
                body(ui, session, s);
                annotators(ui, team);
            });
        });
    open
}

fn body(ui: &mut Ui, session: &Session, s: &CorpusStats) {
    use egui_plot::{Bar, BarChart, Line, Plot};
    ui.label(format!(
            "{} documents: {} done, {} in progress, {} to do, {} flagged, {} skipped. {} entities ({} tagged by hand, {} corrected suggestions), {} suggestions pending.",
            s.docs,
            s.status_count(Status::Done),
            s.status_count(Status::InProgress),
            s.status_count(Status::Todo),
            s.status_count(Status::Flagged),
            s.status_count(Status::Skipped),
            s.per_label.values().sum::<usize>(),
            s.manual,
            s.corrected,
            s.pending
        ));
    ui.label(time_line(s));
    let colour = |name: &str| colour(session, name, 255);
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
                        "{k}: {} accepted, {} corrected, {} rejected",
                        r.accepted, r.corrected, r.rejected
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
                "{k}: {} accepted, {} corrected, {} rejected{}",
                r.accepted,
                r.corrected,
                r.rejected,
                r.ratio()
                    .map(|x| format!(" ({:.0}%)", x * 100.0))
                    .unwrap_or_default()
            ));
        }
    }
}

/// Active time in words: total, per document and entities per hour.
pub fn time_line(s: &CorpusStats) -> String {
    match (s.seconds_per_doc(), s.entities_per_hour()) {
        (Some(per_doc), Some(per_hour)) => format!(
            "Active time: {} over {} ({} per document), {per_hour:.0} entities per hour.",
            duration(s.active_ms / 1000),
            crate::session::count(s.timed_docs, "document", "documents"),
            duration(per_doc.round() as u64),
        ),
        _ => "Active time: none recorded yet (time counts while you work on a document; pauses over 2 minutes are left out).".into(),
    }
}

/// `1 h 05 min`, `4 min 10 s`, `35 s`.
fn duration(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h} h {m:02} min")
    } else if m > 0 {
        format!("{m} min {s:02} s")
    } else {
        format!("{s} s")
    }
}

/// A team project: a line per annotator, from their saved layers.
fn annotators(ui: &mut Ui, lines: &[crate::session::team::AnnotatorLine]) {
    if lines.is_empty() {
        return;
    }
    ui.heading("Annotators");
    egui::Grid::new("stats-annotators")
        .striped(true)
        .show(ui, |ui| {
            for h in [
                "annotator",
                "documents",
                "done",
                "entities",
                "active",
                "accepted",
            ] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for l in lines {
                ui.label(&l.name);
                ui.label(l.documents.to_string());
                ui.label(l.done.to_string());
                ui.label(l.entities.to_string());
                ui.label(format!("{:.0} min", l.active_ms as f64 / 60_000.0));
                ui.label(
                    l.acceptance
                        .map_or("-".into(), |r| format!("{:.0}%", r * 100.0)),
                );
                ui.end_row();
            }
        });
}
