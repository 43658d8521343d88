//! `train` and `eval`.

use super::CliError;
use crate::extract::tagger::docpass::train_two_pass;
use crate::extract::tagger::learn::{Check, Fold};
use crate::extract::tagger::train::TrainConfig;
use crate::extract::tagger::{learn_warm, tagged_labels, tagged_to_train, Eval, Tagger};
use crate::extract::{Analysis, Pipeline, Recognizer};
use crate::model::{Document, LabelSchema, Status};
use crate::store::formats::conll::{imported, read_conll, tagged_docs, ConllDoc};
use crate::store::Project;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One training document in this many is held out for choosing epochs, temperatures and the
/// second pass.
const TUNE_EVERY: usize = 10;

fn held_out_for_choosing(i: usize) -> bool {
    i % TUNE_EVERY == TUNE_EVERY - 1
}

/// Write a line and flush it (progress shows as it happens).
pub(super) fn w(out: &mut dyn Write, s: String) -> Result<(), CliError> {
    writeln!(out, "{s}").map_err(CliError::Output)?;
    out.flush().map_err(CliError::Output)
}

/// Arguments of `tagwright train`.
#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// Project folder to learn from (instead of --conll).
    pub project: Option<PathBuf>,
    /// CoNLL training file.
    #[arg(long, conflicts_with = "project")]
    pub conll: Option<PathBuf>,
    /// CoNLL dev file: scored once, at the end, by the finished model (the epochs, temperatures
    /// and second pass are chosen on one in ten training documents held out).
    #[arg(long)]
    pub dev: Option<PathBuf>,
    /// Where to write the model.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    #[arg(long, default_value_t = 12)]
    pub epochs: usize,
    #[arg(long, default_value_t = 20031)]
    pub seed: u64,
    /// Only the first N documents of the CoNLL training file (for learning curves).
    #[arg(long)]
    pub max_docs: Option<usize>,
    /// Learn from every document but fold K of N (every N-th from the K-th), to score on that
    /// fold later with `eval --conll FILE --fold K/N`.
    #[arg(long, value_name = "K/N", requires = "conll")]
    pub leave_out_fold: Option<Fold>,
}

pub fn train_cmd(args: TrainArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let TrainArgs {
        project,
        conll,
        dev,
        output,
        epochs,
        seed,
        max_docs,
        leave_out_fold,
    } = args;
    let cfg = TrainConfig {
        epochs: epochs.max(1),
        seed,
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let (model, path, info) = match (project, conll) {
        (_, Some(conll)) => {
            let output = output.ok_or_else(|| {
                CliError::Usage("train --conll needs -o MODEL, the file to write".into())
            })?;
            let mut train_docs = read_conll(&conll)?;
            if let Some(n) = max_docs {
                train_docs.truncate(n);
            }
            if let Some(f) = leave_out_fold {
                train_docs = only(train_docs, |i| !f.holds(i));
            }
            let train_docs = tagged_docs(train_docs);
            let labels = tagged_labels(&train_docs);
            if labels.is_empty() {
                return Err(CliError::Usage(format!(
                    "{} has no entities to learn from",
                    conll.display()
                )));
            }
            let dev_docs = match &dev {
                Some(d) => tagged_docs(read_conll(d)?),
                None => Vec::new(),
            };
            // Every TUNE_EVERY-th training document is held out to choose the epoch, the
            // temperature and the second pass; the dev file is scored once, at the end, by a
            // model that nothing about it chose.
            let all = tagged_to_train(&train_docs, &labels);
            let (tune, fit): (Vec<_>, Vec<_>) = all
                .into_iter()
                .enumerate()
                .partition(|(i, _)| held_out_for_choosing(*i));
            let strip = |v: Vec<(usize, _)>| -> Vec<_> { v.into_iter().map(|(_, d)| d).collect() };
            let (tune, fit) = (strip(tune), strip(fit));
            let sentences: usize = fit.iter().map(|d| d.sentences.len()).sum();
            w(
                out,
                format!(
                    "training on {} documents, {sentences} sentences, choosing on {} held-out training documents; labels {}",
                    fit.len(),
                    tune.len(),
                    labels.join(",")
                ),
            )?;
            let fz = crate::extract::tagger::features::Featurizer::builtin();
            let (model, choice) = train_two_pass(&fz, &fit, &tune, labels.clone(), &cfg, |r| {
                let dev = r
                    .dev_f1
                    .map(|f| format!(", held-out F1 {f:.4}"))
                    .unwrap_or_default();
                let _ = w(
                    out,
                    format!(
                        "epoch {:>2}: {} sentences wrong{dev} ({:.1} s)",
                        r.epoch, r.mistakes, r.seconds
                    ),
                );
            });
            if let Some((one, two)) = choice.held_out {
                let kept = if two >= one { "kept" } else { "left out" };
                w(
                    out,
                    format!("document consistency (second pass): held-out F1 {one:.4} -> {two:.4}, {kept}"),
                )?;
            }
            // Learn again from every training document with what was chosen.
            let model = if tune.is_empty() {
                model
            } else {
                let second = choice
                    .second
                    .map(|(e, _)| format!(", second pass {e}"))
                    .unwrap_or_default();
                w(
                    out,
                    format!(
                        "learning again from all {} documents: epochs {}{second}",
                        fit.len() + tune.len(),
                        choice.epochs
                    ),
                )?;
                let all: Vec<_> = fit.iter().chain(&tune).cloned().collect();
                crate::extract::tagger::docpass::refit(&fz, &all, labels.clone(), &cfg, &choice)
            };
            if !dev_docs.is_empty() {
                let dev = tagged_to_train(&dev_docs, &labels);
                let f = crate::extract::tagger::docpass::evaluate_docs(&model, &fz, &dev)
                    .micro()
                    .2;
                w(out, format!("dev F1 {f:.4} (chosen on nothing from dev)"))?;
            }
            (model, output, None)
        }
        (Some(root), None) => {
            let p = Project::open(&root)?;
            let docs: Vec<Document> = p
                .ids()
                .iter()
                .map(|id| p.load_document(id))
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .filter(|d| d.status() == Status::Done)
                .collect();
            if docs.is_empty() {
                return Err(CliError::Usage(format!(
                    "{} has no documents marked done: mark the documents you have corrected as done, then train",
                    root.display()
                )));
            }
            // Held out first: does learning from these documents suggest at least as well as
            // the shipped model on documents it did not learn from?
            let check = crate::extract::tagger::learn::cross_validate(
                &docs,
                &p.schema,
                &crate::extract::Pipeline::news(),
                &cfg,
                &|| false,
            );
            let verdict = check.as_ref().map(|c| c.verdict());
            let (model, warm) = learn_warm(&docs, &p.schema, &cfg, |r| {
                let _ = w(
                    out,
                    format!(
                        "epoch {:>2}: {} sentences wrong ({:.1} s)",
                        r.epoch, r.mistakes, r.seconds
                    ),
                );
            })
            .ok_or_else(|| {
                CliError::Usage("the documents marked done have no entities to learn from".into())
            })?;
            w(
                out,
                format!(
                    "learned from {} documents marked done, labels {} ({})",
                    docs.len(),
                    model.labels.join(","),
                    if warm {
                        "starting from the shipped model"
                    } else {
                        "from scratch"
                    }
                ),
            )?;
            if let Some(c) = &check {
                w(out, held_out_report(c))?;
            }
            let active = match (&verdict, &output) {
                (Some((true, why)), _) => {
                    w(
                        out,
                        format!("the learned model is now the project's model: {why}"),
                    )?;
                    true
                }
                (Some((false, why)), _) => {
                    w(out, format!("the project keeps its current model: {why}"))?;
                    false
                }
                (None, _) => {
                    w(out, "the project keeps its current model: with one document marked done nothing can be held out to check what was learned; mark another done and train again".into())?;
                    false
                }
            };
            // What the window shows about the project's model.
            let info = (active && output.is_none()).then(|| {
                crate::session::model_info(docs.len(), crate::session::now_secs(), check.as_ref())
            });
            match output {
                Some(o) => (model, o, None),
                None if active => (model, crate::store::model_path(&root), info),
                None => return Ok(()),
            }
        }
        (None, None) => {
            return Err(CliError::Usage(
                "give a PROJECT folder or --conll FILE to train on".into(),
            ));
        }
    };
    refuse_project_files(&path)?;
    crate::store::save_model(&path, &model.to_bytes())?;
    if let Some(info) = &info {
        crate::store::save_model_info(&path, info)?;
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    w(
        out,
        format!(
            "wrote {} ({} features, {:.1} MB) in {:.1} s",
            path.display(),
            model.n_features(),
            size as f64 / 1e6,
            started.elapsed().as_secs_f64()
        ),
    )
}

/// A model is written outside any project, or into a project's `model/` folder, never over a
/// project's own files (`-o p/tagwright.ron` would replace the manifest).
fn refuse_project_files(path: &Path) -> Result<(), CliError> {
    let abs = std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    for root in abs.ancestors().skip(1) {
        if root.join(crate::store::MANIFEST).is_file()
            && !abs.starts_with(crate::store::model_dir(root))
        {
            return Err(CliError::Usage(format!(
                "{} is inside the project folder {}; write the model outside it, or into its model/ folder",
                path.display(),
                root.display()
            )));
        }
    }
    Ok(())
}

fn shipped_tagger() -> Result<Tagger, CliError> {
    match Tagger::shipped() {
        Some(t) => Ok(Tagger::new(t.model().clone())),
        None => Err(CliError::Usage(
            "no model: this build ships none; give --model MODEL".into(),
        )),
    }
}

/// Arguments of `tagwright eval`: what it scores, and against what.
#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    /// Project folder: score against its documents marked done.
    pub project: Option<PathBuf>,
    /// CoNLL file to score against.
    #[arg(long, conflicts_with = "project")]
    pub conll: Option<PathBuf>,
    /// Model file (default: the project's model, else the shipped one).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// With --conll: score the model this project suggests with (its own learned model when
    /// learning made one, else the shipped one).
    #[arg(long = "project", value_name = "PROJECT", requires = "conll")]
    pub of_project: Option<PathBuf>,
    /// Only the first N documents of the CoNLL file.
    #[arg(long)]
    pub max_docs: Option<usize>,
    /// With --conll: score only fold K of N (every N-th document from the K-th), the documents a
    /// model trained with `train --conll FILE --leave-out-fold K/N` never saw.
    #[arg(long, value_name = "K/N", requires = "conll")]
    pub fold: Option<Fold>,
    /// With --conll: score what a person gets, the whole pipeline (the tagger with the patterns,
    /// gazetteers and name rules, merged) on each document's text rebuilt from its tokens, next
    /// to the tagger alone on the same text.
    #[arg(long, requires = "conll")]
    pub pipeline: bool,
}

/// The documents whose index (in file order) `keep` accepts.
fn only(docs: Vec<ConllDoc>, keep: impl Fn(usize) -> bool) -> Vec<ConllDoc> {
    docs.into_iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, d)| d)
        .collect()
}

pub fn eval_cmd(args: EvalArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let EvalArgs {
        project,
        conll,
        model,
        of_project,
        max_docs,
        fold,
        pipeline,
    } = args;
    // clap lets these through next to a PROJECT; they mean something only with a CoNLL file.
    if conll.is_none() && (pipeline || fold.is_some() || of_project.is_some()) {
        return Err(CliError::Usage(
            "--pipeline, --fold and --project score a CoNLL file: add --conll FILE".into(),
        ));
    }
    let tagger = match (&model, project.as_ref().or(of_project.as_ref())) {
        (Some(m), _) => Tagger::from_bytes(&crate::store::read_model_file(m)?, m)?,
        (None, Some(root)) if crate::store::model_path(root).exists() => {
            let path = crate::store::model_path(root);
            let info = crate::store::read_model_info(&path)
                .map(|i| format!(", learned from {} documents marked done", i.docs))
                .unwrap_or_default();
            w(out, format!("model: {}{info}", path.display()))?;
            Tagger::from_bytes(&crate::store::read_model_file(&path)?, &path)?
        }
        (None, Some(root)) => {
            w(
                out,
                format!("model: shipped ({} has no learned model)", root.display()),
            )?;
            shipped_tagger()?
        }
        _ => shipped_tagger()?,
    };
    // The project's own model learned from its documents marked done: scored on them it gets a
    // training-set score, so the held-out one (k-fold, as `train PROJECT` checks) follows.
    let own = model.is_none()
        && project
            .as_ref()
            .is_some_and(|r| crate::store::model_path(r).exists());
    let labels = tagger.model().labels.clone();
    let mut ev = Eval::new(labels.clone());
    let mut scored: Option<(Vec<Document>, crate::model::LabelSchema)> = None;
    match (project, conll) {
        (_, Some(conll)) => {
            let mut docs = read_conll(&conll)?;
            if docs.is_empty() {
                return Err(CliError::Usage(format!(
                    "{} has no sentences to score (expected `token ... TAG` lines)",
                    conll.display()
                )));
            }
            if let Some(n) = max_docs {
                docs.truncate(n);
            }
            if let Some(f) = fold {
                let all = docs.len();
                docs = only(docs, |i| f.holds(i));
                if docs.is_empty() {
                    return Err(CliError::Usage(format!(
                        "fold {}/{} of {} has no documents (the file has {all})",
                        f.k,
                        f.n,
                        conll.display()
                    )));
                }
            }
            if pipeline {
                return eval_pipeline(docs, &conll, tagger, out);
            }
            for d in tagged_to_train(&tagged_docs(docs), &labels) {
                for (pred, (_, gold)) in tagger.tag_doc(&d.sentence_strs()).iter().zip(&d.sentences)
                {
                    ev.add(pred, gold);
                }
            }
        }
        (Some(root), None) => {
            let p = Project::open(&root)?;
            let mut done = Vec::new();
            for id in p.ids() {
                let d = p.load_document(id)?;
                if d.status() != Status::Done {
                    continue;
                }
                let a = Analysis::new(d.text());
                let pred: Vec<(usize, usize, usize, f32)> = tagger
                    .recognize(&a)
                    .into_iter()
                    .filter_map(|s| {
                        Some((
                            s.span.start.0,
                            s.span.end.0,
                            labels.iter().position(|l| *l == s.label)?,
                            s.score,
                        ))
                    })
                    .collect();
                // The model predicts classes: a renamed label's spans count as its class.
                let gold: Vec<(usize, usize, usize)> = d
                    .spans()
                    .iter()
                    .filter_map(|s| {
                        let class = p.schema.class_of(&s.label);
                        Some((
                            s.span.start.0,
                            s.span.end.0,
                            labels.iter().position(|l| l == class)?,
                        ))
                    })
                    .collect();
                ev.add(&pred, &gold);
                done.push(d);
            }
            if done.is_empty() {
                return Err(CliError::Usage(format!(
                    "{} has no documents marked done to score against",
                    root.display()
                )));
            }
            scored = Some((done, p.schema.clone()));
        }
        (None, None) => {
            return Err(CliError::Usage(
                "give a PROJECT folder or --conll FILE to score against".into(),
            ))
        }
    }
    let Some((docs, schema)) = scored.filter(|_| own) else {
        return write!(out, "{}", ev.report()).map_err(CliError::Output);
    };
    w(out, "training-set score: the project's model learned from documents marked done, and these are they:".into())?;
    write!(out, "{}", ev.report()).map_err(CliError::Output)?;
    let cfg = TrainConfig::default();
    let pipeline = crate::extract::Pipeline::news();
    match crate::extract::tagger::learn::cross_validate(&docs, &schema, &pipeline, &cfg, &|| false) {
        Some(c) => {
            w(out, held_out_report(&c))?;
            w(out, format!("micro F1: {:.4}", c.learned.micro().2))
        }
        None => w(out, "held out: with one document marked done nothing can be held out; the score above is the training-set one".into()),
    }
}

/// `eval --conll FILE --pipeline`: the whole pipeline on each document's text, rebuilt from its
/// tokens, and the tagger alone on the same text (both merged and propagated the same way). The
/// last line is the pipeline's micro F1.
fn eval_pipeline(
    docs: Vec<ConllDoc>,
    conll: &Path,
    tagger: Tagger,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let labels = tagger.model().labels.clone();
    let schema = LabelSchema::from_names(&labels)
        .map_err(|e| CliError::Usage(format!("the model's labels: {e}")))?;
    let tagger = Arc::new(tagger);
    let alone = Pipeline::tagger_only(tagger.clone());
    let whole = Pipeline::with_tagger(Some(tagger));
    let (mut by_tagger, mut by_all) = (Eval::new(labels.clone()), Eval::new(labels.clone()));
    let index = |l: &str| labels.iter().position(|x| x == l);
    for d in imported(docs, conll, "conll") {
        let gold: Vec<(usize, usize, usize)> = d
            .spans
            .iter()
            .filter_map(|s| Some((s.span.start.0, s.span.end.0, index(&s.label)?)))
            .collect();
        for (p, ev) in [(&alone, &mut by_tagger), (&whole, &mut by_all)] {
            let pred: Vec<(usize, usize, usize, f32)> = p
                .suggest_labelled(&d.text, &schema)
                .iter()
                .filter_map(|s| Some((s.span.start.0, s.span.end.0, index(&s.label)?, s.score)))
                .collect();
            ev.add(&pred, &gold);
        }
    }
    let (n, right) = by_tagger
        .calibration()
        .get(&90)
        .copied()
        .unwrap_or_default();
    w(
        out,
        format!(
            "the tagger alone on the same text: micro F1 {:.4}; {n} entities scored >= 0.90, precision {right:.4}",
            by_tagger.micro().2
        ),
    )?;
    w(out, "the whole pipeline (tagger, patterns, gazetteers and name rules, merged) on each document's text:".into())?;
    write!(out, "{}", by_all.report()).map_err(CliError::Output)
}

/// Per label, held-out F1 of the shipped and the learned model, and the learned model's
/// calibration on the held-out documents.
pub fn held_out_report(c: &Check) -> String {
    let mut s = format!(
        "held out: {} documents marked done in {} folds (each scored by models that did not learn from it)\n{:<10} {:>8} {:>8}\n",
        c.docs, c.folds, "label", "shipped", "learned"
    );
    for (i, l) in c.learned.labels.iter().enumerate() {
        let gold = c.learned.counts[i].0 + c.learned.counts[i].2;
        if gold == 0 && c.learned.counts[i].1 == 0 && c.shipped.counts[i].1 == 0 {
            continue;
        }
        s.push_str(&format!(
            "{l:<10} {:>8.3} {:>8.3}\n",
            c.shipped.label(i).2,
            c.learned.label(i).2
        ));
    }
    s.push_str(&format!(
        "{:<10} {:>8.3} {:>8.3}\ncalibration of the learned model (held out):",
        "micro F1",
        c.shipped.micro().2,
        c.learned.micro().2
    ));
    for (th, (n, p)) in c.learned.calibration() {
        s.push_str(&format!(
            "\n  >= {:.2}: {n:>5} suggestions, right {:.0}%",
            th as f64 / 100.0,
            p * 100.0
        ));
    }
    s
}
