//! Agreement between annotators (Project > Agreement, Ctrl+Shift+A): per pair, span P/R/F1 and
//! Cohen's κ; Fleiss' κ and Krippendorff's α over all; per label; the documents agreed on least,
//! each a click away from adjudication. Every figure has its one-line meaning beside it.

use crate::corpus::agree::{PairReport, Report};
use crate::session::{Command, Session};
use egui::{RichText, Ui};

/// How many documents the window lists, worst first.
const WORST: usize = 50;

/// Draw the window; `false` once it is closed.
pub fn show(ctx: &egui::Context, session: &Session, out: &mut Vec<Command>) -> bool {
    let mut open = true;
    let results = session.corpus().agreement.as_ref();
    crate::ui::window("Agreement", ctx)
        .open(&mut open)
        .default_size([640.0, 560.0])
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                if ui.button("Compare again").clicked() {
                    out.push(Command::Agreement);
                }
                if results.is_some_and(|r| r.running) {
                    ui.spinner();
                    ui.label("Reading the layers…");
                }
            });
            let Some(r) = results.and_then(|r| r.report.as_ref()) else {
                ui.label("Compares the layers as saved: documents that two or more annotators marked done.");
                return;
            };
            egui::ScrollArea::vertical().show(ui, |ui| body(ui, r, out));
        });
    open
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn body(ui: &mut Ui, r: &Report, out: &mut Vec<Command>) {
    ui.label(format!(
        "{} on {} that two or more of them marked done.",
        r.annotators.join(", "),
        crate::session::count(r.documents.len(), "document", "documents")
    ));
    let weak = |ui: &mut Ui, s: &str| {
        ui.label(RichText::new(s).weak().small());
    };
    ui.heading("Pairs");
    weak(ui, "Exact F1: entities both marked with the same boundaries and label (the first of the pair taken as reference for precision and recall). Overlap F1: same label, sharing a character. Cohen's κ: token-by-token agreement corrected for chance (1 perfect, 0 chance). Boundary: same label, other boundaries.");
    egui::Grid::new("agreement-pairs")
        .striped(true)
        .show(ui, |ui| {
            for h in [
                "pair",
                "docs",
                "exact P",
                "exact R",
                "exact F1",
                "overlap F1",
                "Cohen's κ",
                "boundary",
            ] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for p in &r.pairs {
                pair_row(ui, p);
            }
        });
    let opt = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.3}"));
    ui.label(format!("Fleiss' κ: {}", opt(r.fleiss_kappa)));
    weak(
        ui,
        "All annotators at once, on the tokens of documents every one of them marked done.",
    );
    ui.label(format!("Krippendorff's α: {}", opt(r.krippendorff_alpha)));
    weak(ui, "Like κ, nominal, over every token two or more annotated: it allows annotators who skipped documents.");
    for p in &r.pairs {
        egui::CollapsingHeader::new(format!("{} / {}: per label", p.a, p.b))
            .id_salt(("agreement-labels", &p.a, &p.b))
            .show(ui, |ui| per_label(ui, p));
    }
    ui.heading("Documents agreed on least");
    weak(
        ui,
        "Mean exact F1 over the pairs that annotated each; click one to adjudicate it.",
    );
    for d in r.documents.iter().take(WORST) {
        ui.horizontal(|ui| {
            ui.label(RichText::new(pct(d.mean_f1)).monospace());
            let id = crate::model::DocId::new(&d.id);
            let link = ui
                .link(&d.id)
                .on_hover_text("Adjudicate this document (main layer)");
            if let (true, Ok(id)) = (link.clicked(), id) {
                out.push(Command::AdjudicateDoc(id));
            }
            ui.label(RichText::new(format!("{} annotators", d.annotators)).weak());
        });
    }
}

fn pair_row(ui: &mut Ui, p: &PairReport) {
    let (ep, er, ef) = p.spans.exact_prf();
    ui.label(format!("{} / {}", p.a, p.b));
    ui.label(p.documents.to_string());
    for x in [ep, er, ef, p.spans.overlap_prf().2] {
        ui.label(pct(x));
    }
    ui.label(format!("{:.3}", p.cohen_kappa));
    ui.label(p.boundary_only.to_string());
    ui.end_row();
}

fn per_label(ui: &mut Ui, p: &PairReport) {
    egui::Grid::new(("agreement-label-grid", &p.a, &p.b))
        .striped(true)
        .show(ui, |ui| {
            for h in ["label", "exact F1", "overlap F1", &p.a, &p.b] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for (l, c) in &p.per_label {
                ui.label(l);
                ui.label(pct(c.exact_prf().2));
                ui.label(pct(c.overlap_prf().2));
                ui.label(c.reference.to_string());
                ui.label(c.other.to_string());
                ui.end_row();
            }
        });
    if !p.confusion.is_empty() {
        ui.label("Same boundaries, different labels:");
        for ((x, y), n) in &p.confusion {
            ui.label(format!("  {} said {x}, {} said {y}: {n}", p.a, p.b));
        }
    }
}
