//! The RON file formats, kept apart from the model so the files can stay stable while the model
//! changes. `format_version` is the first field of every file.

use super::StoreError;
use crate::model::{
    DocId, Document, Label, LabelSchema, Origin, SourceToken, SourceTokens, Span, Status,
    Suggestion,
};
use crate::text::CharSpan;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The version this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;
/// Largest project file read (manifest or document): bounds memory on hostile input.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Nesting bound for RON parsing (our files nest 4 deep).
const RECURSION_LIMIT: usize = 32;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename = "Settings")]
pub struct Settings {
    #[serde(default)]
    pub allow_overlap: bool,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(rename = "ProjectFile")]
pub struct ProjectFile {
    pub format_version: u32,
    pub name: String,
    pub labels: Vec<Label>,
    #[serde(default = "default_settings")]
    pub settings: Settings,
    #[serde(default)]
    pub documents: Vec<String>,
}

fn default_settings() -> Settings {
    Settings {
        allow_overlap: false,
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename = "Span")]
pub struct SpanRec {
    pub start: usize,
    pub end: usize,
    pub label: String,
    pub origin: Origin,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename = "Suggestion")]
pub struct SuggestionRec {
    pub start: usize,
    pub end: usize,
    pub label: String,
    #[serde(default)]
    pub score: f32,
    #[serde(default)]
    pub source: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename = "Document")]
pub struct DocumentFile {
    pub format_version: u32,
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub source: String,
    pub text: String,
    pub text_sha256: String,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub spans: Vec<SpanRec>,
    /// Pending suggestions (not in DESIGN.md §3's sketch: `add` pre-annotates, so they are kept).
    #[serde(default)]
    pub suggestions: Vec<SuggestionRec>,
    #[serde(default)]
    pub rejected: Vec<SuggestionRec>,
    #[serde(default)]
    pub note: String,
    /// When the document was marked done, in seconds since the Unix epoch (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_at: Option<u64>,
    /// Why the document is flagged or skipped (optional).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Active annotation time in milliseconds, idle stretches not counted (optional).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub active_ms: u64,
    /// The tokens the text was imported with (CoNLL), so exports give them back (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<TokensRec>,
}

/// [`SourceTokens`] on disk: one list per sentence of `(start, end, columns)`, code points.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename = "Tokens")]
pub struct TokensRec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docstart: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trailer: Option<String>,
    pub sentences: Vec<Vec<(usize, usize, String)>>,
}

impl TokensRec {
    fn from_tokens(t: &SourceTokens) -> TokensRec {
        TokensRec {
            docstart: t.docstart.clone(),
            trailer: t.trailer.clone(),
            sentences: t
                .sentences()
                .map(|s| {
                    s.iter()
                        .map(|t| (t.span.start.0, t.span.end.0, t.columns.clone()))
                        .collect()
                })
                .collect(),
        }
    }

    fn into_tokens(self) -> SourceTokens {
        let mut out = SourceTokens {
            docstart: self.docstart,
            trailer: self.trailer,
            ..SourceTokens::default()
        };
        for s in self.sentences {
            out.sentence_starts.push(out.tokens.len());
            out.tokens
                .extend(s.into_iter().map(|(start, end, columns)| SourceToken {
                    // A reversed span becomes empty here and is refused by the check on load.
                    span: CharSpan::new(start, end).unwrap_or_default(),
                    columns,
                }));
        }
        out
    }
}

/// Only the version, to explain a file from a newer Tagwright that does not parse as ours.
#[derive(Deserialize)]
struct VersionProbe {
    format_version: u32,
}

fn pretty() -> ron::ser::PrettyConfig {
    // Depth 2: lists of spans print one span per line, which keeps git diffs small.
    ron::ser::PrettyConfig::new()
        .depth_limit(2)
        .struct_names(true)
        .new_line("\n")
        .indentor("    ")
}

pub fn to_ron<T: Serialize>(value: &T, path: &Path) -> Result<String, StoreError> {
    let mut s = ron::ser::to_string_pretty(value, pretty()).map_err(|e| StoreError::Invalid {
        path: path.to_path_buf(),
        msg: format!("could not be encoded: {e}"),
    })?;
    s.push('\n');
    Ok(s)
}

/// Read a RON file with the size and nesting bounds, reporting parse errors with line:column and
/// versions from the future by name.
pub fn read_ron<T: DeserializeOwned>(path: &Path) -> Result<T, StoreError> {
    parse_ron_bytes(&read_bounded(path)?, path)
}

/// The bytes of a regular file of at most [`MAX_FILE_BYTES`] (see [`crate::bounded`]).
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, StoreError> {
    crate::bounded::read(path, MAX_FILE_BYTES).map_err(StoreError::from)
}

/// Parse RON file bytes (UTF-8 checked first).
pub fn parse_ron_bytes<T: DeserializeOwned>(bytes: &[u8], path: &Path) -> Result<T, StoreError> {
    let text = std::str::from_utf8(bytes).map_err(|e| StoreError::Invalid {
        path: path.to_path_buf(),
        msg: format!("is not valid UTF-8 (at byte {})", e.valid_up_to()),
    })?;
    parse_ron(text, path)
}

pub fn parse_ron<T: DeserializeOwned>(text: &str, path: &Path) -> Result<T, StoreError> {
    let opts = ron::Options::default().with_recursion_limit(RECURSION_LIMIT);
    match opts.from_str::<T>(text) {
        Ok(v) => Ok(v),
        Err(e) => {
            if let Ok(p) = opts.from_str::<VersionProbe>(text) {
                if p.format_version > FORMAT_VERSION {
                    return Err(future(path, p.format_version));
                }
            }
            Err(StoreError::Parse {
                path: path.to_path_buf(),
                line: e.position.line,
                col: e.position.col,
                msg: e.code.to_string(),
            })
        }
    }
}

pub fn future(path: &Path, found: u32) -> StoreError {
    StoreError::FutureVersion {
        path: path.to_path_buf(),
        found,
        supported: FORMAT_VERSION,
    }
}

pub fn check_version(path: &Path, found: u32) -> Result<(), StoreError> {
    if found > FORMAT_VERSION {
        return Err(future(path, found));
    }
    if found == 0 {
        return Err(StoreError::Invalid {
            path: path.to_path_buf(),
            msg: "has format_version 0, which no Tagwright writes".into(),
        });
    }
    Ok(())
}

fn span(path: &Path, start: usize, end: usize) -> Result<CharSpan, StoreError> {
    CharSpan::new(start, end).ok_or_else(|| StoreError::Invalid {
        path: path.to_path_buf(),
        msg: format!("a span ends ({end}) before it starts ({start})"),
    })
}

fn sugg(path: &Path, r: SuggestionRec) -> Result<Suggestion, StoreError> {
    Ok(Suggestion {
        span: span(path, r.start, r.end)?,
        label: r.label,
        score: r.score,
        source: r.source,
    })
}

fn sugg_rec(s: &Suggestion) -> SuggestionRec {
    SuggestionRec {
        start: s.span.start.0,
        end: s.span.end.0,
        label: s.label.clone(),
        score: s.score,
        source: s.source.clone(),
    }
}

impl DocumentFile {
    pub fn from_document(d: &Document) -> DocumentFile {
        DocumentFile {
            format_version: FORMAT_VERSION,
            id: d.id.to_string(),
            title: d.title.clone(),
            source: d.source.clone(),
            text: d.text().to_string(),
            text_sha256: d.text_sha256().to_string(),
            status: d.status(),
            spans: d
                .spans()
                .iter()
                .map(|s| SpanRec {
                    start: s.span.start.0,
                    end: s.span.end.0,
                    label: s.label.clone(),
                    origin: s.origin.clone(),
                    note: s.note.clone(),
                })
                .collect(),
            suggestions: d.suggestions().iter().map(sugg_rec).collect(),
            rejected: d.rejected().iter().map(sugg_rec).collect(),
            note: d.note().to_string(),
            done_at: d.done_at(),
            reason: d.reason().to_string(),
            active_ms: d.active_ms(),
            tokens: d.source_tokens().map(TokensRec::from_tokens),
        }
    }

    /// Check and convert into a document: version, id (and that it is the one expected), text
    /// hash, labels known to the schema, and every span invariant.
    pub fn into_document(
        self,
        path: &Path,
        expected: &DocId,
        schema: &LabelSchema,
    ) -> Result<Document, StoreError> {
        check_version(path, self.format_version)?;
        let invalid = |msg: String| StoreError::Invalid {
            path: path.to_path_buf(),
            msg,
        };
        let id = DocId::new(&self.id).map_err(|e| invalid(e.to_string()))?;
        if &id != expected {
            return Err(invalid(format!(
                "holds document {:?}, but the project lists it as {:?}",
                id.as_str(),
                expected.as_str()
            )));
        }
        if crate::model::document_sha256(&self.text) != self.text_sha256 {
            return Err(invalid(
                "its text does not match its text_sha256: the text was changed outside Tagwright, so its span offsets cannot be trusted".into(),
            ));
        }
        let mut spans = Vec::with_capacity(self.spans.len());
        for r in self.spans {
            if !schema.contains(&r.label) {
                return Err(invalid(format!(
                    "a span has the label {:?}, which the project does not define",
                    r.label
                )));
            }
            spans.push(Span {
                span: span(path, r.start, r.end)?,
                label: r.label,
                origin: r.origin,
                note: r.note,
            });
        }
        let suggestions = self
            .suggestions
            .into_iter()
            .map(|r| sugg(path, r))
            .collect::<Result<_, _>>()?;
        let rejected = self
            .rejected
            .into_iter()
            .map(|r| sugg(path, r))
            .collect::<Result<_, _>>()?;
        let done_at = self.done_at;
        let (reason, active_ms) = (self.reason, self.active_ms);
        let tokens = self.tokens;
        let mut doc = Document::from_parts(
            id,
            self.title,
            self.source,
            self.text,
            self.status,
            spans,
            suggestions,
            rejected,
            self.note,
            schema.allow_overlap,
        )
        .map_err(|e| invalid(e.to_string()))?;
        doc.set_done_at(done_at);
        doc.reason = reason;
        doc.active_ms = active_ms;
        if let Some(t) = tokens {
            doc.set_source_tokens(t.into_tokens())
                .map_err(|e| invalid(e.to_string()))?;
        }
        Ok(doc)
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}
