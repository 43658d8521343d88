//! The command line (DESIGN.md §5). Every subcommand returns a [`CliError`] whose message is one
//! sentence for the person at the terminal; `main` prints it to stderr and exits non-zero.

use crate::extract::Pipeline;
use crate::model::LabelSchema;
use crate::model::Scheme;
use crate::store::export::{export_jsonl, ExportOptions};
use crate::store::formats::{
    check_export_target, export_bytes, export_docs, ExportSettings, Format,
};
use crate::store::import::decode_article;
use crate::store::{Project, StoreError};
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub mod learn;
mod stats;
pub mod team;

#[derive(Parser, Debug)]
#[command(
    name = "tagwright",
    version,
    about = "Annotate named entities in news articles: suggestions, corrections, datasets",
    long_about = "Tagwright suggests named entities in news articles and keeps the corrected labels in a \
project folder (tagwright.ron + documents/*.ron). All offsets are Unicode code point offsets, end-exclusive."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Project folder or article files to open in the window.
    pub paths: Vec<PathBuf>,
    /// In the window, annotate a team project as NAME (in NAME's own layer; default:
    /// TAGWRIGHT_ANNOTATOR, else the name saved on this machine).
    #[arg(long, value_name = "NAME")]
    pub annotator: Option<String>,
}

impl Cli {
    /// Parse the process's arguments; on a usage error (or `--help`, `--version`) clap prints
    /// and exits.
    pub fn from_args() -> Cli {
        Cli::parse()
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a new, empty project folder.
    New {
        /// Folder to create (may exist, but must not hold a project).
        project: PathBuf,
        /// Labels, comma-separated (default: PER,ORG,LOC,MISC,DATE,MONEY,PERCENT).
        #[arg(long, value_delimiter = ',')]
        labels: Option<Vec<String>>,
        /// Project name (default: the folder name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Import files into a project: articles (.txt, .md, .html) and annotated datasets (jsonl,
    /// doccano, labelstudio, brat, conll), picked by extension and content. Documents without
    /// suggestions are pre-annotated.
    Add {
        project: PathBuf,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Force the format instead of detecting it.
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        /// Add labels the project does not define yet (otherwise they are an error).
        #[arg(long)]
        add_labels: bool,
        /// Unit of doccano offsets: utf16 (doccano's editor) or graphemes (projects in grapheme mode).
        #[arg(long, value_enum, default_value = "utf16")]
        doccano_offsets: DoccanoUnit,
        /// Import the labels as this annotator's layer (a document already in the project with
        /// the same text gets the layer; others are added), marked done.
        #[arg(long)]
        annotator: Option<String>,
    },
    /// Print suggested entities as JSONL (one line per document, char offsets).
    ///
    /// Reads the files given, or standard input when there are none. Input is plain text, or JSONL
    /// with a "text" field on each line (files ending in .jsonl, or input whose lines all are JSON
    /// objects).
    Suggest { files: Vec<PathBuf> },
    /// Export a project's annotations: jsonl, doccano, labelstudio, brat (a folder), conll, spacy
    /// (DocBin), hf (a Hugging Face datasets folder). What a format cannot hold is reported on
    /// stderr.
    Export {
        project: PathBuf,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: FormatArg,
        /// Output file (a folder for brat). Default: standard output (text formats only).
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        /// Only documents marked done.
        #[arg(long)]
        only_done: bool,
        /// Also export documents flagged or skipped (left out by default).
        #[arg(long)]
        include_flagged: bool,
        /// Also export pending suggestions (jsonl: "pending": true; labelstudio: predictions).
        #[arg(long)]
        include_suggestions: bool,
        /// Tag scheme for conll.
        #[arg(long, value_enum, default_value = "iob2")]
        scheme: SchemeArg,
        /// Unit of doccano offsets: utf16 (doccano's editor) or graphemes (projects in grapheme mode).
        #[arg(long, value_enum, default_value = "utf16")]
        doccano_offsets: DoccanoUnit,
        /// Export this annotator's layer instead of the main (adjudicated) one.
        #[arg(long)]
        annotator: Option<String>,
    },
    /// Train the statistical tagger: on CoNLL files, or on a project's confirmed documents.
    ///
    /// With --conll: reads IOB1/IOB2/BILOU, trains deterministically (fixed seed), choosing the
    /// epochs, temperatures and second pass on one training document in ten held out (printing
    /// its F1 per epoch), learns again from all, scores --dev once and writes the model (-o).
    /// With a PROJECT: learns from the documents marked done and
    /// writes PROJECT/model/tagger.twm, starting from the shipped model when the labels allow.
    Train(learn::TrainArgs),
    /// Score a model (exact span match): per-label precision, recall, F1, a calibration table,
    /// and a last line `micro F1: 0.xxxx`.
    Eval(learn::EvalArgs),
    /// (For crash tests.) Edit and save a project in a loop until killed.
    #[command(hide = true)]
    StressSave {
        project: PathBuf,
        #[arg(long, default_value_t = 1_000_000)]
        rounds: usize,
    },
    /// Verify a project: the manifest, every document, the cache and the journal; find document
    /// files no manifest lists and temp files of interrupted writes. Exit code 1 when problems
    /// remain.
    Check {
        project: PathBuf,
        /// Adopt unlisted documents that read as valid and remove stray temp files.
        #[arg(long)]
        repair: bool,
    },
    /// Print counts: documents by status, entities and suggestions by label.
    Stats {
        project: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Count this annotator's layer instead of the main (adjudicated) one.
        #[arg(long)]
        annotator: Option<String>,
    },
    /// Give every document to K annotators, balanced and reproducible (writes assignments.ron).
    Assign(team::AssignArgs),
    /// Agreement between annotators' layers (documents they marked done): span P/R/F1 per pair
    /// and label, Cohen's κ, Fleiss' κ, Krippendorff's α, the least agreed documents.
    Agree(team::AgreeArgs),
}

/// `--format`: the clap side of [`Format`] (clap lives in `cli/` only); the names and help
/// lines are the format's own ([`Format::name`], [`Format::describe`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormatArg(pub Format);

impl ValueEnum for FormatArg {
    fn value_variants<'a>() -> &'a [Self] {
        const ALL: &[FormatArg] = &[
            FormatArg(Format::Txt),
            FormatArg(Format::Jsonl),
            FormatArg(Format::Doccano),
            FormatArg(Format::Labelstudio),
            FormatArg(Format::Brat),
            FormatArg(Format::Conll),
            FormatArg(Format::Spacy),
            FormatArg(Format::Hf),
            FormatArg(Format::Html),
        ];
        ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.name()).help(self.0.describe()))
    }
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        f.0
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemeArg {
    Iob1,
    Iob2,
    Bilou,
}

impl SchemeArg {
    fn scheme(self) -> Scheme {
        match self {
            SchemeArg::Iob1 => Scheme::Iob1,
            SchemeArg::Iob2 => Scheme::Iob2,
            SchemeArg::Bilou => Scheme::Bilou,
        }
    }
}

/// How doccano counts offsets (`grapheme_mode` off or on in the doccano project).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DoccanoUnit {
    Utf16,
    Graphemes,
}

impl DoccanoUnit {
    fn unit(self) -> crate::text::OffsetUnit {
        match self {
            DoccanoUnit::Utf16 => crate::text::OffsetUnit::Utf16,
            DoccanoUnit::Graphemes => crate::text::OffsetUnit::Graphemes,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Usage(String),
    #[error("could not write the output: {0}")]
    Output(std::io::Error),
    #[error(transparent)]
    Conll(#[from] crate::store::formats::conll::ConllError),
    #[error(transparent)]
    Model(#[from] crate::extract::tagger::model::ModelError),
}

/// Text from files made safe for a terminal: control characters (an ESC sequence can retitle the
/// terminal or clear the screen) and bidirectional overrides are written as `\u{1b}` escapes.
pub fn for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if (c.is_control() && c != '\n' && c != '\t') || bidi {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Run a subcommand, writing its normal output to `out`.
pub fn run(cmd: Command, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), CliError> {
    match cmd {
        Command::New {
            project,
            labels,
            name,
        } => {
            let schema = match labels {
                Some(l) => LabelSchema::from_names(&l)
                    .map_err(|e| CliError::Usage(format!("--labels: {e}")))?,
                None => LabelSchema::news(),
            };
            let name = name.unwrap_or_else(|| folder_name(&project));
            if name.trim().is_empty() {
                return Err(CliError::Usage(
                    "--name: the project name is empty; give a name, or leave --name out to use the folder name".into(),
                ));
            }
            let p = Project::create(&project, &name, schema)?;
            writeln!(out, "created project {:?} in {}", p.name, project.display())
                .map_err(CliError::Output)?;
            Ok(())
        }
        Command::Add {
            project,
            files,
            format,
            add_labels,
            doccano_offsets,
            annotator,
        } => {
            let mut p = Project::open(&project)?;
            let (pipeline, _, unused) = crate::session::preannotate::project_pipeline(&project);
            // A learned model that cannot be read is not used: say so, once.
            if let Some(e) = unused {
                writeln!(
                    err,
                    "warning: {}; the shipped model suggests instead",
                    for_terminal(&e.to_string())
                )
                .map_err(CliError::Output)?;
            }
            let opts = crate::store::formats::ImportOptions {
                format: format.map(Format::from),
                doccano_offsets: doccano_offsets.unit(),
            };
            if let Some(who) = annotator {
                let who = team::annotator(&who)?;
                return team::add_layer_cmd(
                    &mut p, &files, opts, &pipeline, add_labels, &who, out, err,
                );
            }
            let (ids, mut warnings) = crate::session::preannotate::import_files(
                &mut p, &files, opts, &pipeline, add_labels,
            )?;
            warnings.append(&mut p.merge_notes);
            for w in warnings {
                writeln!(err, "warning: {}", for_terminal(&w)).map_err(CliError::Output)?;
            }
            for id in &ids {
                let d = p.load_document(id)?;
                writeln!(
                    out,
                    "added {id} ({} entities, {} suggestions): {}",
                    d.spans().len(),
                    d.suggestions().len(),
                    for_terminal(&d.title)
                )
                .map_err(CliError::Output)?;
            }
            Ok(())
        }
        Command::Suggest { files } => suggest(&files, out, err),
        Command::Train(args) => learn::train_cmd(args, out),
        Command::Eval(args) => learn::eval_cmd(args, out),
        Command::Export {
            project,
            format,
            output,
            only_done,
            include_flagged,
            include_suggestions,
            scheme,
            doccano_offsets,
            annotator,
        } => {
            let opts = ExportOptions {
                only_done,
                include_suggestions,
                include_set_aside: include_flagged,
            };
            let format = Format::from(format);
            let mut p = Project::open(&project)?;
            p.set_layer(annotator.map(|a| team::annotator(&a)).transpose()?);
            let settings = ExportSettings {
                scheme: scheme.scheme(),
                include_suggestions,
                doccano_offsets: doccano_offsets.unit(),
                labels: p.schema.labels.iter().map(|l| l.name.clone()).collect(),
            };
            team::note_unadjudicated(&p, err)?;
            if format == Format::Jsonl && output.is_none() {
                export_jsonl(&p, opts, out)?;
                return Ok(());
            }
            let mut docs = Vec::new();
            for id in p.ids().iter().filter(|id| p.in_layer(id)) {
                let d = p.load_document(id)?;
                if opts.wants(d.status()) {
                    docs.push(d);
                }
            }
            let loss = match &output {
                Some(path) => {
                    check_export_target(Some(&project), format, path)?;
                    export_docs(&docs, format, &settings, path)?
                }
                None if format.writes_folder() || format == Format::Spacy => {
                    return Err(CliError::Usage(format!(
                        "--format {} writes files: give -o OUT",
                        format.name()
                    )));
                }
                // Straight to standard output: no temp file anywhere.
                None => {
                    let (bytes, loss) = export_bytes(&docs, format, &settings)?;
                    out.write_all(&bytes).map_err(CliError::Output)?;
                    loss
                }
            };
            for line in loss.report() {
                writeln!(err, "note: {}", for_terminal(&line)).map_err(CliError::Output)?;
            }
            if let Some(path) = output {
                writeln!(
                    err,
                    "exported {} documents as {} to {}",
                    docs.len(),
                    format.name(),
                    path.display()
                )
                .map_err(CliError::Output)?;
            }
            Ok(())
        }
        Command::StressSave { project, rounds } => stress_save(&project, rounds, out),
        Command::Check { project, repair } => {
            let report = crate::store::check::check(&project, repair)?;
            for line in &report.repaired {
                writeln!(out, "repaired: {}", for_terminal(line)).map_err(CliError::Output)?;
            }
            for line in &report.problems {
                writeln!(out, "problem: {}", for_terminal(line)).map_err(CliError::Output)?;
            }
            for line in &report.notes {
                writeln!(out, "note: {}", for_terminal(line)).map_err(CliError::Output)?;
            }
            if report.problems.is_empty() {
                writeln!(out, "checked {} documents: no problems", report.documents)
                    .map_err(CliError::Output)?;
                Ok(())
            } else {
                Err(CliError::Usage(format!(
                    "{} problem(s) in {} (listed above)",
                    report.problems.len(),
                    project.display()
                )))
            }
        }
        Command::Assign(a) => team::assign_cmd(a, out),
        Command::Agree(a) => team::agree_cmd(a, out),
        Command::Stats {
            project,
            json,
            annotator,
        } => stats::stats_cmd(&project, json, annotator, out),
    }
}

fn folder_name(p: &Path) -> String {
    std::fs::canonicalize(p)
        .ok()
        .as_deref()
        .unwrap_or(p)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "project".into())
}

#[derive(Serialize)]
struct SuggestSpan<'a> {
    start: usize,
    end: usize,
    label: &'a str,
    score: f32,
    source: &'a str,
}

#[derive(Serialize)]
struct SuggestLine<'a> {
    id: &'a str,
    text: &'a str,
    spans: Vec<SuggestSpan<'a>>,
}

fn suggest_line(pipeline: &Pipeline, id: &str, text: &str) -> String {
    let found = pipeline.suggest(text);
    let line = SuggestLine {
        id,
        text,
        spans: found
            .iter()
            .map(|s| SuggestSpan {
                start: s.span.start.0,
                end: s.span.end.0,
                label: &s.label,
                score: s.score,
                source: &s.source,
            })
            .collect(),
    };
    serde_json::to_string(&line).unwrap_or_default()
}

/// Lines of JSONL input: `(id, text)` per line, or `None` when the input is not JSONL.
fn jsonl_docs(
    text: &str,
    name: &str,
    forced: bool,
) -> Result<Option<Vec<(String, String)>>, CliError> {
    let mut docs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = match serde_json::from_str(line) {
            Ok(v @ serde_json::Value::Object(_)) => v,
            Ok(_) | Err(_) if !forced => return Ok(None),
            Ok(_) => {
                return Err(CliError::Usage(format!(
                    "{name}:{}: expected a JSON object with a \"text\" field",
                    n + 1
                )))
            }
            Err(e) => {
                return Err(CliError::Usage(format!(
                    "{name}:{}:{}: {e}",
                    n + 1,
                    e.column()
                )))
            }
        };
        let Some(t) = v.get("text").and_then(|t| t.as_str()) else {
            if !forced {
                return Ok(None);
            }
            return Err(CliError::Usage(format!(
                "{name}:{}: the JSON object has no \"text\" string",
                n + 1
            )));
        };
        let id = match v.get("id") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(x)) => x.to_string(),
            _ => format!("{name}:{}", n + 1),
        };
        docs.push((id, t.to_string()));
    }
    Ok((!docs.is_empty()).then_some(docs))
}

fn suggest(files: &[PathBuf], out: &mut dyn Write, err: &mut dyn Write) -> Result<(), CliError> {
    let (plugins, config_error) = crate::session::plugins::configured();
    if let Some(e) = config_error {
        writeln!(err, "warning: {}", for_terminal(e)).map_err(CliError::Output)?;
    }
    let pipeline = Pipeline::news().with(plugins);
    let mut inputs: Vec<(String, PathBuf, Vec<u8>)> = Vec::new();
    if files.is_empty() {
        let mut buf = Vec::new();
        let limit = crate::store::import::MAX_ARTICLE_BYTES;
        // An endless stream (`< /dev/zero`) stops at the article limit instead of filling memory.
        std::io::stdin()
            .take(limit + 1)
            .read_to_end(&mut buf)
            .map_err(|e| CliError::Usage(format!("could not read standard input: {e}")))?;
        if buf.len() as u64 > limit {
            return Err(CliError::Usage(format!(
                "standard input is more than the limit of {limit} bytes for an article"
            )));
        }
        inputs.push(("stdin".into(), PathBuf::from("<stdin>"), buf));
    } else {
        for f in files {
            let bytes = crate::store::import::read_limited(f).map_err(|e| e.into_cli())?;
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            inputs.push((name, f.clone(), bytes));
        }
    }
    for (name, path, bytes) in inputs {
        let article =
            decode_article(&bytes, &path, &name).map_err(|e| CliError::Store(e.into()))?;
        for w in &article.warnings {
            writeln!(err, "warning: {}", for_terminal(w)).map_err(CliError::Output)?;
        }
        let forced = path.extension().is_some_and(|e| e == "jsonl");
        match jsonl_docs(&article.text, &name, forced)? {
            Some(docs) => {
                for (id, text) in docs {
                    writeln!(out, "{}", suggest_line(&pipeline, &id, &text))
                        .map_err(CliError::Output)?;
                }
            }
            None => writeln!(out, "{}", suggest_line(&pipeline, &name, &article.text))
                .map_err(CliError::Output)?,
        }
        for p in pipeline.problems() {
            writeln!(err, "warning: {}", for_terminal(&p)).map_err(CliError::Output)?;
        }
    }
    Ok(())
}

impl crate::store::import::ImportError {
    fn into_cli(self) -> CliError {
        CliError::Store(StoreError::Import(self))
    }
}

/// Edit and save in a loop: accept, reject, tag, undo, save, with the journal on — what a person
/// does, fast. Used by the kill test: after each edit (made durable in the journal before
/// `Workspace::apply` returns) it prints `edit N`, after each save `saved N`, flushed at once, so
/// the test knows which edits a kill cannot have lost.
fn stress_save(root: &Path, rounds: usize, out: &mut dyn Write) -> Result<(), CliError> {
    let mut ws = crate::store::Workspace::open(root)?;
    ws.discard_recovered()?;
    let mut n = 0;
    for round in 0..rounds {
        for i in 0..ws.docs.len() {
            stress_step(&mut ws, round, i)?;
            n += 1;
            writeln!(out, "edit {n}").map_err(CliError::Output)?;
            out.flush().map_err(CliError::Output)?;
        }
        if round % 3 == 2 {
            ws.save()?;
            writeln!(out, "saved {round}").map_err(CliError::Output)?;
            out.flush().map_err(CliError::Output)?;
        }
    }
    Ok(())
}

/// The `stress-save` edit for `round` on document `i` (deterministic: the same workspace gives
/// the same edits), so a test can replay what the killed process did.
pub fn stress_step(
    ws: &mut crate::store::Workspace,
    round: usize,
    i: usize,
) -> Result<(), StoreError> {
    use crate::model::{Edit, Span, Status};
    let d = ws.load(i)?;
    let n = d.char_len();
    let edit = match (round + i) % 5 {
        0 => d.suggestions().first().map(|s| Edit::AcceptSuggestion {
            span: s.span,
            label: s.label.clone(),
        }),
        1 => d.suggestions().last().map(|s| Edit::RejectSuggestion {
            span: s.span,
            label: s.label.clone(),
        }),
        2 => {
            let a = (round * 7919 + i * 31) % n.max(1);
            Some(Edit::AddSpan(Span::manual(a, (a + 3).min(n), "MISC")))
        }
        3 => Some(Edit::SetStatus(
            [Status::Todo, Status::InProgress, Status::Done][round % 3],
        )),
        _ => None,
    };
    // An edit the document refuses (an overlap, nothing to undo) changes nothing, as for a person.
    match edit {
        Some(e) => {
            let _ = ws.apply(i, &e);
        }
        None => {
            let _ = ws.undo(i);
        }
    }
    Ok(())
}
