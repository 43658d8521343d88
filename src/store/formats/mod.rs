//! Dataset formats: import and export, each in the unit its tool uses, converted only in
//! [`crate::text::UnitMap`]. Tagwright's own offsets are Unicode code points.
//!
//! | format | unit | import | export | what is lost |
//! |---|---|---|---|---|
//! | `jsonl` (spaCy/Prodigy) | code points | yes | yes | nothing (notes, scores, sources, pending kept) |
//! | `doccano` (sequence labeling) | UTF-16 code units (graphemes with `--doccano-offsets graphemes`) | yes | yes | notes, scores |
//! | `labelstudio` (JSON tasks) | code points | yes (cancelled annotations skipped) | yes | nothing |
//! | `brat` (`.txt` + `.ann`) | code points | yes (span text checked) | yes | scores |
//! | `conll` (IOB1, IOB2, BILOU) | tokens | yes (tokens and columns kept) | yes | whitespace; spans off tokens |
//! | `spacy` (DocBin) | tokens | no | yes | spans off tokens |
//! | `hf` (Hugging Face `datasets` folder) | tokens | no | yes | whitespace; spans off tokens |
//! | `html` (news page) | — | yes | no | — |
//!
//! Exporters that cannot hold something say what was lost ([`Loss`]).

pub mod brat;
pub mod conll;
pub mod docbin;
pub mod doccano;
pub mod hf;
pub mod html;
pub mod json;
pub mod labelstudio;
mod spacy_symbols;
pub mod tokens;

use super::import::ImportError;
use crate::model::{Document, IdSource, Span, Status, Suggestion};
use crate::text::{CharSpan, OffsetUnit};
use std::path::{Path, PathBuf};

/// A dataset format (on the command line, `--format NAME` with [`Format::name`]; what it is:
/// [`Format::describe`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Txt,
    Jsonl,
    Doccano,
    Labelstudio,
    Brat,
    Conll,
    Spacy,
    Hf,
    Html,
}

impl Format {
    /// What the format is, in a line (the command line's help for `--format`).
    pub fn describe(self) -> &'static str {
        match self {
            Format::Txt => "Plain article (.txt, .md)",
            Format::Jsonl => {
                r#"spaCy/Prodigy JSON lines: {"text", "spans": [{"start", "end", "label"}], "meta"}"#
            }
            Format::Doccano => {
                r#"doccano sequence labeling JSONL: {"text", "label": [[start, end, "LABEL"]]}"#
            }
            Format::Labelstudio => "Label Studio JSON tasks",
            Format::Brat => "brat standoff: .txt + .ann",
            Format::Conll => "CoNLL (IOB1/IOB2/BILOU on import; --scheme on export)",
            Format::Spacy => "spaCy DocBin (.spacy), export only",
            Format::Hf => {
                "Hugging Face `datasets` folder (data.jsonl + README.md card), export only"
            }
            Format::Html => "An HTML news page (readable text), import only",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Jsonl => "jsonl",
            Format::Doccano => "doccano",
            Format::Labelstudio => "labelstudio",
            Format::Brat => "brat",
            Format::Conll => "conll",
            Format::Spacy => "spacy",
            Format::Hf => "hf",
            Format::Html => "html",
        }
    }

    /// True for exports that write a folder (brat, hf) rather than one file.
    pub fn writes_folder(self) -> bool {
        matches!(self, Format::Brat | Format::Hf)
    }

    /// The usual file extension of an export (empty for folders).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Labelstudio => "json",
            Format::Doccano => "jsonl",
            Format::Brat | Format::Hf => "",
            other => other.name(),
        }
    }

    pub const EXPORTS: &'static [Format] = &[
        Format::Jsonl,
        Format::Doccano,
        Format::Labelstudio,
        Format::Brat,
        Format::Conll,
        Format::Spacy,
        Format::Hf,
    ];

    /// Pick the importer from the extension and, for JSON, the content.
    pub fn detect(path: &Path, bytes: &[u8]) -> Format {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "html" | "htm" | "xhtml" => Format::Html,
            "ann" => Format::Brat,
            "conll" | "conllu" | "iob" | "bio" | "bilou" => Format::Conll,
            "json" => Format::Labelstudio,
            "jsonl" | "ndjson" => {
                let first = bytes
                    .split(|b| *b == b'\n')
                    .find(|l| !l.iter().all(u8::is_ascii_whitespace))
                    .unwrap_or(&[]);
                let head = String::from_utf8_lossy(first);
                if head.contains("\"spans\"")
                    || !(head.contains("\"label\"")
                        || head.contains("\"labels\"")
                        || head.contains("\"entities\""))
                {
                    Format::Jsonl
                } else {
                    Format::Doccano
                }
            }
            "txt" => {
                // A .txt with a sibling .ann is brat.
                if path.with_extension("ann").exists() {
                    return Format::Brat;
                }
                let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
                if looks_like_conll(&text) {
                    Format::Conll
                } else {
                    Format::Txt
                }
            }
            _ => Format::Txt,
        }
    }
}

/// True when the first lines are `-DOCSTART-` or `token ... TAG` lines (a news article is not).
fn looks_like_conll(head: &str) -> bool {
    let lines: Vec<&str> = head
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let tagged = |l: &&str| {
        l.starts_with("-DOCSTART-") || {
            let cols: Vec<&str> = l.split([' ', '\t']).filter(|c| !c.is_empty()).collect();
            cols.len() >= 2 && crate::model::parse_tag(cols[cols.len() - 1]).is_some()
        }
    };
    !lines.is_empty()
        && lines.iter().all(tagged)
        && (lines.len() >= 2 || lines[0].starts_with("-DOCSTART-"))
}

/// Why an imported document cannot become a document of the project (the caller names the file).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportDocError {
    /// The label, as shown to a person.
    #[error("the label {0:?} is not in this project's schema (add it first, or import with --add-labels)")]
    UnknownLabel(String),
    #[error("the {label} span {span} ({text:?}) splits a character (a letter from its accent, an emoji from its modifier, a flag in two); spans must begin and end between whole characters")]
    SplitsCharacter {
        /// As shown to a person.
        label: String,
        span: CharSpan,
        text: String,
    },
    #[error(transparent)]
    Invariant(#[from] crate::model::InvariantError),
    #[error(transparent)]
    Id(#[from] crate::model::InvalidDocId),
    #[error(transparent)]
    Annotator(crate::model::InvalidAnnotator),
}

/// One imported document, before it joins a project.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportedDoc {
    /// Name to derive the id from.
    pub name: String,
    /// True when `name` is an id the file gave (see [`IdSource`]), not a file name.
    pub given_id: bool,
    pub title: String,
    pub source: String,
    pub text: String,
    pub spans: Vec<Span>,
    pub suggestions: Vec<Suggestion>,
    pub note: String,
    pub done: bool,
    /// The tokens the file gave (CoNLL), kept so an export writes them back.
    pub tokens: Option<crate::model::SourceTokens>,
    /// Several annotators' versions (a Label Studio export of a team): annotator name and their
    /// spans. `spans` is the first of them.
    pub layers: Vec<(String, Vec<Span>)>,
}

impl ImportedDoc {
    /// Turn into a document, checking every span against the text and the schema.
    pub fn into_document(
        self,
        id: crate::model::DocId,
        schema: &crate::model::LabelSchema,
    ) -> Result<Document, ImportDocError> {
        for s in &self.spans {
            if !schema.contains(&s.label) {
                return Err(ImportDocError::UnknownLabel(crate::model::shown_name(
                    &s.label,
                )));
            }
        }
        self.check_clusters()?;
        let suggestions = self
            .suggestions
            .into_iter()
            .filter(|s| schema.contains(&s.label))
            .collect();
        let status = if self.done {
            Status::Done
        } else if self.spans.is_empty() {
            Status::Todo
        } else {
            Status::InProgress
        };
        let tokens = self.tokens;
        let mut doc = Document::from_parts(
            id,
            self.title,
            self.source,
            self.text,
            status,
            self.spans,
            suggestions,
            Vec::new(),
            self.note,
            schema.allow_overlap,
        )?;
        if let Some(t) = tokens {
            doc.set_source_tokens(t)?;
        }
        Ok(doc)
    }
}

impl ImportedDoc {
    /// Refuse a confirmed span that splits a user-perceived character (an emoji from its skin
    /// tone, a letter from its combining accent): no tool shows such a span sensibly.
    fn check_clusters(&self) -> Result<(), ImportDocError> {
        if self.text.is_ascii() {
            return Ok(());
        }
        let clusters = crate::text::UnitMap::new(&self.text, OffsetUnit::Graphemes);
        for s in &self.spans {
            if clusters.span_from_chars(s.span).is_none() {
                let shown = crate::text::offsets::slice(&self.text, s.span).unwrap_or_default();
                return Err(ImportDocError::SplitsCharacter {
                    label: crate::model::shown_name(&s.label),
                    span: s.span,
                    text: shown.to_string(),
                });
            }
        }
        Ok(())
    }

    /// What the document's id is made from.
    pub fn id_source(&self) -> IdSource {
        match self.given_id {
            true => IdSource::Given(self.name.clone()),
            false => IdSource::Name(self.name.clone()),
        }
    }

    /// Convert under a placeholder id (the caller assigns the real one from
    /// [`PendingDoc::id_source`]), checking it like [`ImportedDoc::into_document`].
    pub fn into_pending(
        self,
        schema: &crate::model::LabelSchema,
    ) -> Result<PendingDoc, ImportDocError> {
        let placeholder = crate::model::DocId::new("importing")?;
        self.into_pending_as(placeholder, schema)
    }

    /// Convert under the id `id`, checking it like [`ImportedDoc::into_document`].
    pub fn into_pending_as(
        mut self,
        id: crate::model::DocId,
        schema: &crate::model::LabelSchema,
    ) -> Result<PendingDoc, ImportDocError> {
        let id_source = self.id_source();
        let needs_suggestions = self.suggestions.is_empty();
        let mut layers = Vec::with_capacity(self.layers.len());
        for (name, spans) in std::mem::take(&mut self.layers) {
            let who = crate::model::Annotator::new(&name).map_err(ImportDocError::Annotator)?;
            let mut one = self.clone();
            one.spans = spans;
            one.done = true;
            layers.push((who, one.into_document(id.clone(), schema)?));
        }
        let doc = self.into_document(id, schema)?;
        Ok(PendingDoc {
            id_source,
            doc,
            needs_suggestions,
            layers,
        })
    }
}

/// A document read from a file, checked, and not yet in a project: the caller pre-annotates it
/// when [`PendingDoc::needs_suggestions`] (store never runs the extractor) and then adds it.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingDoc {
    /// What its id is made from when it joins a workspace.
    pub id_source: IdSource,
    pub doc: Document,
    /// The file brought no suggestions of its own, so the document should get the extractor's
    /// (a file's own suggestions are kept as they are).
    pub needs_suggestions: bool,
    /// Annotators' versions of it, each marked done (see [`ImportedDoc::layers`]); `tagwright add`
    /// saves them as their layers.
    pub layers: Vec<(crate::model::Annotator, Document)>,
}

/// What an export could not hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loss {
    /// Entities left out, with a few examples (`doc: “text” LABEL at 10..20 — why`).
    pub spans: usize,
    pub examples: Vec<String>,
    /// A sentence on what the format loses by design (e.g. whitespace).
    pub notes: Vec<String>,
}

impl Loss {
    pub fn lose(&mut self, doc: &Document, span: CharSpan, label: &str, why: &str) {
        self.spans += 1;
        if self.examples.len() < 10 {
            let text = doc.slice(span).unwrap_or_default().replace('\n', "⏎");
            self.examples
                .push(format!("{}: “{text}” {label} at {span} — {why}", doc.id));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.spans == 0 && self.notes.is_empty()
    }

    /// Lines for the person at the terminal.
    pub fn report(&self) -> Vec<String> {
        let mut out = self.notes.clone();
        if self.spans > 0 {
            out.push(format!(
                "{} entities could not be exported, for example:",
                self.spans
            ));
            out.extend(self.examples.iter().map(|e| format!("  {e}")));
        }
        out
    }
}

/// How to read files: the format (detected when `None`) and the unit of doccano offsets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    pub format: Option<Format>,
    pub doccano_offsets: OffsetUnit,
}

impl From<Option<Format>> for ImportOptions {
    fn from(format: Option<Format>) -> ImportOptions {
        ImportOptions {
            format,
            ..ImportOptions::default()
        }
    }
}

/// How to write an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportSettings {
    /// Tag scheme of CoNLL files.
    pub scheme: crate::model::Scheme,
    /// Also write pending suggestions (where the format can).
    pub include_suggestions: bool,
    /// Unit of doccano offsets.
    pub doccano_offsets: OffsetUnit,
    /// The project's labels in order (the class order of the hf export).
    pub labels: Vec<String>,
}

impl Default for ExportSettings {
    fn default() -> ExportSettings {
        ExportSettings {
            scheme: crate::model::Scheme::Iob2,
            include_suggestions: false,
            doccano_offsets: OffsetUnit::Utf16,
            labels: Vec::new(),
        }
    }
}

impl ExportSettings {
    /// Default settings with the given CoNLL scheme.
    pub fn scheme(scheme: crate::model::Scheme) -> ExportSettings {
        ExportSettings {
            scheme,
            ..ExportSettings::default()
        }
    }
}

/// Read a file as `opts` says (`None` or `Some(format)` converts into options).
pub fn import_path(
    path: &Path,
    opts: impl Into<ImportOptions>,
) -> Result<(Vec<ImportedDoc>, Vec<String>), ImportError> {
    let opts: ImportOptions = opts.into();
    let bytes = super::import::read_limited(path)?;
    let format = opts.format.unwrap_or_else(|| Format::detect(path, &bytes));
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "doc".into());
    let (docs, warnings) = match format {
        Format::Txt => {
            // The bytes read above, not a second read of the file.
            let a = super::import::article_from_bytes(path, &bytes)?;
            Ok((
                vec![ImportedDoc {
                    name: a.name,
                    title: a.title,
                    source: a.source,
                    text: a.text,
                    ..Default::default()
                }],
                a.warnings,
            ))
        }
        Format::Jsonl => Ok((json::read_jsonl(&utf8(&bytes, path)?, path)?, Vec::new())),
        Format::Doccano => doccano::read(&utf8(&bytes, path)?, path, doccano_unit(opts)),
        Format::Labelstudio => labelstudio::read(&utf8(&bytes, path)?, path),
        Format::Brat => brat::read_brat(path),
        Format::Conll => Ok((conll::read(&utf8(&bytes, path)?, path, &name)?, Vec::new())),
        Format::Html => Ok((
            vec![html::read_html(&utf8(&bytes, path)?, path, &name)],
            Vec::new(),
        )),
        Format::Spacy | Format::Hf => Err(ImportError::Bad {
            path: path.to_path_buf(),
            line: 0,
            msg: format!(
                "{} files can be exported, not imported; convert them to JSONL or CoNLL first",
                format.name()
            ),
        }),
    }?;
    // A dataset file with nothing in it (blank lines, `[]`) is a mistake worth a sentence.
    if docs.is_empty() {
        return Err(ImportError::Bad {
            path: path.to_path_buf(),
            line: 0,
            msg: format!("has no documents to import (read as {})", format.name()),
        });
    }
    Ok((docs, warnings))
}

/// doccano's unit: UTF-16 unless the options name graphemes (code points are never doccano's).
fn doccano_unit(opts: ImportOptions) -> OffsetUnit {
    match opts.doccano_offsets {
        OffsetUnit::CodePoints => OffsetUnit::Utf16,
        u => u,
    }
}

/// Decode UTF-8 (dropping a byte-order mark), naming the byte of the first error.
pub fn utf8(bytes: &[u8], path: &Path) -> Result<String, ImportError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    utf8_exact(body, path).map_err(|e| match e {
        ImportError::InvalidUtf8 { path, byte } => ImportError::InvalidUtf8 {
            path,
            byte: byte + (bytes.len() - body.len()),
        },
        e => e,
    })
}

/// Decode UTF-8 exactly as it is, a byte-order mark included (as a U+FEFF character): for
/// formats whose offsets count it (brat's tools read the text with Python, which keeps it).
pub fn utf8_exact(body: &[u8], path: &Path) -> Result<String, ImportError> {
    if body.contains(&0) {
        return Err(ImportError::Binary {
            path: path.to_path_buf(),
        });
    }
    std::str::from_utf8(body)
        .map(str::to_string)
        .map_err(|e| ImportError::InvalidUtf8 {
            path: path.to_path_buf(),
            byte: e.valid_up_to(),
        })
}

/// Check a span read from a file against its text (`n` chars).
pub fn check_span(
    path: &Path,
    line: usize,
    start: i64,
    end: i64,
    n: usize,
) -> Result<CharSpan, ImportError> {
    let bad = |msg: String| ImportError::Bad {
        path: path.to_path_buf(),
        line,
        msg,
    };
    if start < 0 || end < 0 {
        return Err(bad(format!(
            "the span {start}..{end} has a negative offset"
        )));
    }
    let (s, e) = (start as usize, end as usize);
    if s >= e {
        return Err(bad(format!("the span {s}..{e} is empty or reversed")));
    }
    if e > n {
        return Err(bad(format!(
            "the span {s}..{e} is outside the text, which has {n} characters"
        )));
    }
    Ok(CharSpan {
        start: crate::text::CharIdx(s),
        end: crate::text::CharIdx(e),
    })
}

/// Write one export. `out` is a file, or a folder for brat and hf. Returns what was lost.
pub fn export_docs(
    docs: &[Document],
    format: Format,
    settings: &ExportSettings,
    out: &Path,
) -> Result<Loss, crate::store::StoreError> {
    let mut loss = suggestions_note(format, settings);
    match format {
        Format::Brat => brat::write_brat(docs, out)?,
        Format::Hf => hf::write(docs, &settings.labels, out, &mut loss)?,
        _ => {
            let (bytes, file_loss) = export_bytes(docs, format, settings)?;
            crate::store::write_atomic(out, &bytes)?;
            return Ok(file_loss);
        }
    }
    Ok(loss)
}

fn suggestions_note(format: Format, settings: &ExportSettings) -> Loss {
    let mut loss = Loss::default();
    if settings.include_suggestions && matches!(format, Format::Conll | Format::Spacy | Format::Hf)
    {
        loss.notes.push(
            "pending suggestions are not exported in this format (only confirmed entities)".into(),
        );
    }
    loss
}

/// The bytes of a one-file export (every format but the folders, brat and hf), and what was lost.
pub fn export_bytes(
    docs: &[Document],
    format: Format,
    settings: &ExportSettings,
) -> Result<(Vec<u8>, Loss), crate::store::StoreError> {
    let mut loss = suggestions_note(format, settings);
    let with_suggestions = settings.include_suggestions;
    let bytes: Vec<u8> = match format {
        Format::Jsonl => docs
            .iter()
            .map(|d| json::jsonl_line(d, with_suggestions) + "\n")
            .collect::<String>()
            .into_bytes(),
        Format::Doccano => {
            let unit = doccano_unit(ImportOptions {
                format: None,
                doccano_offsets: settings.doccano_offsets,
            });
            let lines: String = docs
                .iter()
                .map(|d| doccano::line(d, with_suggestions, unit, &mut loss) + "\n")
                .collect();
            let notes = docs
                .iter()
                .flat_map(|d| d.spans())
                .filter(|s| !s.note.is_empty())
                .count();
            if notes > 0 {
                loss.notes.push(format!(
                    "doccano's format has no place for span notes: {notes} notes were not exported"
                ));
            }
            lines.into_bytes()
        }
        Format::Labelstudio => labelstudio::write(docs, with_suggestions, &mut loss).into_bytes(),
        Format::Conll => conll::write(docs, settings.scheme, &mut loss).into_bytes(),
        Format::Spacy => docbin::write(docs, &mut loss),
        Format::Brat | Format::Hf | Format::Txt | Format::Html => {
            let why = if format.writes_folder() {
                "writes a folder, not one file: give -o FOLDER"
            } else {
                "is an import format; export to jsonl, doccano, labelstudio, brat, conll, spacy or hf"
            };
            return Err(crate::store::StoreError::Invalid {
                path: std::path::PathBuf::from(format!("--format {}", format.name())),
                msg: why.into(),
            });
        }
    };
    Ok((bytes, loss))
}

/// Refuse an export target inside the project folder (it could replace the project's own files)
/// or one that is not ours to replace (see [`crate::store::check_replaceable`]; a folder export
/// may go into an existing folder, but not through a link).
pub fn check_export_target(
    project_root: Option<&Path>,
    format: Format,
    out: &Path,
) -> Result<(), crate::store::StoreError> {
    let is_dir = std::fs::symlink_metadata(out).is_ok_and(|m| m.is_dir());
    if !(format.writes_folder() && is_dir) {
        crate::store::check_replaceable(out)?;
    }
    let Some(root) = project_root.and_then(|r| r.canonicalize().ok()) else {
        return Ok(());
    };
    // Where `out` is: as written (resolving the part that exists, links included), and with
    // `..` taken lexically (for a path through folders that do not exist yet, `new/..`).
    let lexical: PathBuf = std::env::current_dir()
        .map(|cwd| cwd.join(out))
        .unwrap_or_else(|_| out.to_path_buf())
        .components()
        .fold(PathBuf::new(), |mut p, c| {
            match c {
                std::path::Component::ParentDir => {
                    p.pop();
                }
                std::path::Component::CurDir => {}
                c => p.push(c),
            }
            p
        });
    let inside = [out, lexical.as_path()]
        .iter()
        .any(|p| resolved(p).is_none_or(|full| full.starts_with(&root)));
    if inside {
        return Err(crate::store::StoreError::Invalid {
            path: out.to_path_buf(),
            msg: format!("is inside the project folder {}; export outside it, so the project's own files are never replaced", root.display()),
        });
    }
    Ok(())
}

/// `path` with its longest existing beginning resolved (`canonicalize`) and the rest appended;
/// `None` when no beginning resolves (the path is then treated as suspect).
fn resolved(path: &Path) -> Option<PathBuf> {
    let mut rest = Vec::new();
    let mut at = path.to_path_buf();
    loop {
        if let Ok(mut full) = at.canonicalize() {
            full.extend(rest.iter().rev());
            return Some(full);
        }
        let name = at.file_name()?.to_os_string();
        rest.push(name);
        at = match at.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection() {
        let p = Path::new("x.jsonl");
        assert_eq!(
            Format::detect(p, b"{\"text\": \"a\", \"label\": [[0, 1, \"X\"]]}"),
            Format::Doccano
        );
        assert_eq!(
            Format::detect(p, b"{\"text\": \"a\", \"spans\": []}"),
            Format::Jsonl
        );
        assert_eq!(Format::detect(Path::new("a.html"), b""), Format::Html);
        assert_eq!(
            Format::detect(Path::new("a.txt"), b"-DOCSTART- -X- O\n"),
            Format::Conll
        );
        assert_eq!(Format::detect(Path::new("a.txt"), b"News"), Format::Txt);
        assert_eq!(
            Format::detect(
                Path::new("a.txt"),
                b"Qorvath NNP I-NP I-PER\nsold VBD I-VP O\n"
            ),
            Format::Conll
        );
        assert_eq!(
            Format::detect(Path::new("a.txt"), b"Oil prices rose.\nMarkets O\n"),
            Format::Txt
        );
        assert_eq!(
            Format::detect(Path::new("tasks.json"), b"[]"),
            Format::Labelstudio
        );
    }
}
