//! `assign` and `agree`: a team's commands (see `session::team` and `store::layers`).

use super::learn::w;
use super::{for_terminal, CliError};
use crate::corpus::agree::{PairReport, Report, SpanCounts};
use crate::model::Annotator;
use crate::session::team;
use crate::store::Project;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// How many documents `agree` lists, worst first.
const WORST: usize = 10;

#[derive(Args, Debug)]
pub struct AssignArgs {
    pub project: PathBuf,
    /// The annotators, comma-separated (names as their layer folders: letters, digits, - _ .).
    #[arg(long, value_delimiter = ',', required = true)]
    pub annotators: Vec<String>,
    /// How many annotators each document gets.
    #[arg(long, default_value_t = 2)]
    pub overlap: usize,
    /// Seed for breaking ties (the same seed gives the same assignment).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Assign every document anew (by default documents assigned before keep their annotators).
    #[arg(long)]
    pub fresh: bool,
}

#[derive(Args, Debug)]
pub struct AgreeArgs {
    pub project: PathBuf,
    /// Only these annotators, comma-separated (default: everyone with a layer).
    #[arg(long, value_delimiter = ',')]
    pub annotators: Vec<String>,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// A name given with `--annotator`.
pub fn annotator(name: &str) -> Result<Annotator, CliError> {
    Annotator::new(name.trim()).map_err(|e| CliError::Usage(format!("--annotator: {e}")))
}

/// `add --annotator`: the files' labels become `who`'s layers.
#[allow(clippy::too_many_arguments)]
pub fn add_layer_cmd(
    p: &mut Project,
    files: &[PathBuf],
    opts: crate::store::formats::ImportOptions,
    pipeline: &crate::extract::Pipeline,
    add_labels: bool,
    who: &Annotator,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let (docs, mut warnings) = team::import_layer(p, files, opts, pipeline, add_labels, who)?;
    warnings.append(&mut p.merge_notes);
    for line in warnings {
        writeln!(err, "warning: {}", for_terminal(&line)).map_err(CliError::Output)?;
    }
    for (id, new) in docs {
        let what = if new { "added" } else { "matched" };
        w(out, format!("{what} {id}: {who}'s layer written"))?;
    }
    Ok(())
}

/// Exporting a team project's main layer: say which documents nobody adjudicated yet (their
/// main layer is not marked done), so an export is not taken for finished when it is not.
pub fn note_unadjudicated(p: &Project, err: &mut dyn Write) -> Result<(), CliError> {
    if p.layer().is_some() || !team::is_team_project(p.root()) {
        return Ok(());
    }
    let open: Vec<String> = crate::store::index::summaries(p)
        .into_iter()
        .flatten()
        .filter(|s| s.status != crate::model::Status::Done)
        .map(|s| s.id.to_string())
        .collect();
    if open.is_empty() {
        return Ok(());
    }
    let more = if open.len() > 5 { ", ..." } else { "" };
    writeln!(
        err,
        "note: {} documents have no adjudicated version yet (their main layer is not marked done): {}{more}; export one annotator's layer with --annotator NAME",
        open.len(),
        open[..open.len().min(5)].join(", ")
    )
    .map_err(CliError::Output)
}

/// `stats` of a team project: one line per annotator (their layer).
pub fn write_annotator_stats(p: &Project, out: &mut dyn Write) -> Result<(), CliError> {
    let lines = team::annotator_lines(p)?;
    if lines.is_empty() {
        return Ok(());
    }
    w(
        out,
        format!(
            "{:<16} {:>9} {:>6} {:>9} {:>10} {:>11}",
            "annotator", "documents", "done", "entities", "active min", "acceptance"
        ),
    )?;
    for l in lines {
        let rate = l
            .acceptance
            .map_or("-".into(), |r| format!("{:.1}%", r * 100.0));
        w(
            out,
            format!(
                "{:<16} {:>9} {:>6} {:>9} {:>10.1} {rate:>11}",
                l.name,
                l.documents,
                l.done,
                l.entities,
                l.active_ms as f64 / 60_000.0,
            ),
        )?;
    }
    Ok(())
}

fn names(given: &[String]) -> Result<Vec<Annotator>, CliError> {
    given
        .iter()
        .map(|n| {
            Annotator::new(n.trim()).map_err(|e| CliError::Usage(format!("--annotators: {e}")))
        })
        .collect()
}

pub fn assign_cmd(a: AssignArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let p = Project::open(&a.project)?;
    let who = names(&a.annotators)?;
    let done = team::assign(&p, &who, a.overlap, a.seed, a.fresh).map_err(CliError::Usage)?;
    w(
        out,
        format!(
            "assigned {} documents to {}, {} each (seed {}); written to {}",
            done.documents.len(),
            team::names(&who),
            a.overlap,
            a.seed,
            a.project.join(crate::store::layers::ASSIGNMENTS).display()
        ),
    )?;
    for x in &who {
        let n = done.of(x).count();
        w(
            out,
            format!(
                "{x:<16} {}",
                crate::session::count(n, "document", "documents")
            ),
        )?;
    }
    Ok(())
}

pub fn agree_cmd(a: AgreeArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let p = Project::open(&a.project)?;
    let who = team::annotators_or_all(&p, &names(&a.annotators)?)?;
    if who.len() < 2 {
        return Err(CliError::Usage(format!(
            "agreement needs two annotators' layers; {} has {}",
            a.project.display(),
            if who.is_empty() {
                "none (layers/ is empty)".to_string()
            } else {
                format!("only {}", team::names(&who))
            }
        )));
    }
    let r = team::agreement(&p, &who)?;
    if a.json {
        return w(out, json(&r).to_string());
    }
    write_report(&r, out)
}

fn prf(c: &SpanCounts) -> serde_json::Value {
    let (p, r, f) = c.exact_prf();
    let (op, or, of) = c.overlap_prf();
    serde_json::json!({
        "reference": c.reference, "other": c.other, "exact": c.exact,
        "precision": p, "recall": r, "f1": f,
        "overlap_precision": op, "overlap_recall": or, "overlap_f1": of,
    })
}

fn pair_json(p: &PairReport) -> serde_json::Value {
    serde_json::json!({
        "a": p.a, "b": p.b, "documents": p.documents,
        "spans": prf(&p.spans),
        "per_label": p.per_label.iter().map(|(l, c)| (l.clone(), prf(c))).collect::<serde_json::Map<_, _>>(),
        "cohen_kappa": p.cohen_kappa,
        "boundary_only": p.boundary_only,
        "confusion": p.confusion.iter().map(|((x, y), n)| serde_json::json!({"a": x, "b": y, "count": n})).collect::<Vec<_>>(),
    })
}

fn json(r: &Report) -> serde_json::Value {
    serde_json::json!({
        "annotators": r.annotators,
        "pairs": r.pairs.iter().map(pair_json).collect::<Vec<_>>(),
        "fleiss_kappa": r.fleiss_kappa,
        "krippendorff_alpha": r.krippendorff_alpha,
        "documents": r.documents.iter().map(|d| serde_json::json!({"id": d.id, "annotators": d.annotators, "mean_f1": d.mean_f1})).collect::<Vec<_>>(),
    })
}

fn opt(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{v:.4}"))
}

fn write_report(r: &Report, out: &mut dyn Write) -> Result<(), CliError> {
    w(
        out,
        format!(
            "agreement of {} on {} that two or more of them marked done",
            for_terminal(&r.annotators.join(", ")),
            crate::session::count(r.documents.len(), "document", "documents")
        ),
    )?;
    w(out, "span F1: entities marked the same by both, as the harmonic mean of precision and recall (the first of the pair is the reference); exact = same boundaries and label, overlap = same label and a shared character".into())?;
    w(out, "Cohen's κ: token by token (no entity counts as a label), corrected for agreement by chance: 1 is perfect, 0 is chance".into())?;
    w(out, String::new())?;
    w(
        out,
        format!(
            "{:<24} {:>5} {:>8} {:>8} {:>8} {:>10} {:>8} {:>9}",
            "pair", "docs", "exact P", "exact R", "exact F1", "overlap F1", "Cohen κ", "boundary"
        ),
    )?;
    for p in &r.pairs {
        let (ep, er, ef) = p.spans.exact_prf();
        w(
            out,
            format!(
                "{:<24} {:>5} {ep:>8.4} {er:>8.4} {ef:>8.4} {:>10.4} {:>8.4} {:>9}",
                for_terminal(&format!("{} / {}", p.a, p.b)),
                p.documents,
                p.spans.overlap_prf().2,
                p.cohen_kappa,
                p.boundary_only
            ),
        )?;
    }
    w(out, "boundary: spans with the same label that overlap with other boundaries (boundary-only disagreements)".into())?;
    w(out, String::new())?;
    w(out, format!("Fleiss' κ (all annotators at once, tokens of the documents every one of them marked done): {}", opt(r.fleiss_kappa)))?;
    w(out, format!("Krippendorff's α (nominal, every token two or more annotated; missing annotators allowed): {}", opt(r.krippendorff_alpha)))?;
    for p in &r.pairs {
        w(out, String::new())?;
        w(
            out,
            for_terminal(&format!(
                "{} / {}, per label (exact F1, overlap F1, entities of each):",
                p.a, p.b
            )),
        )?;
        for (l, c) in &p.per_label {
            w(
                out,
                format!(
                    "  {:<12} {:>8.4} {:>8.4} {:>6} {:>6}",
                    for_terminal(l),
                    c.exact_prf().2,
                    c.overlap_prf().2,
                    c.reference,
                    c.other
                ),
            )?;
        }
        if !p.confusion.is_empty() {
            w(out, "  same boundaries, different labels:".into())?;
            for ((x, y), n) in &p.confusion {
                w(out, for_terminal(&format!("    {x} / {y}: {n}")))?;
            }
        }
    }
    w(out, String::new())?;
    w(
        out,
        format!(
            "documents with the least agreement (mean exact F1 over the pairs; {WORST} at most):"
        ),
    )?;
    for d in r.documents.iter().take(WORST) {
        w(
            out,
            format!(
                "  {:<32} {:.4}  ({} annotators)",
                for_terminal(&d.id),
                d.mean_f1,
                d.annotators
            ),
        )?;
    }
    Ok(())
}
