//! JSONL export of a project's documents (spaCy/Prodigy style, code point offsets):
//! `{"id", "text", "spans": [{"start", "end", "label", "score"?, "source"?, "note"?, "pending"?}],
//! "meta": {"title", "source", "status"}}`, one document a line, in project order. Every field is
//! read back by the JSONL importer, so an export re-imports to the same documents.

use super::{Project, StoreError};
use crate::model::{Document, Origin, Status};
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Clone, Copy, Default)]
pub struct ExportOptions {
    /// Only documents marked done.
    pub only_done: bool,
    /// Also write pending suggestions (with `"pending": true`).
    pub include_suggestions: bool,
    /// Also write documents flagged or skipped (left out by default: they were set aside).
    pub include_set_aside: bool,
}

impl ExportOptions {
    /// Whether a document with this status is exported.
    pub fn wants(&self, s: Status) -> bool {
        (!self.only_done || s == Status::Done) && (self.include_set_aside || !s.is_set_aside())
    }
}

#[derive(Serialize)]
pub struct JsonSpan<'a> {
    pub start: usize,
    pub end: usize,
    pub label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub note: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pending: bool,
}

#[derive(Serialize)]
struct Meta<'a> {
    title: &'a str,
    source: &'a str,
    status: &'static str,
}

#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    text: &'a str,
    spans: Vec<JsonSpan<'a>>,
    meta: Meta<'a>,
}

/// One document as a JSONL line (without the newline).
pub fn jsonl_line(d: &Document, opts: ExportOptions) -> String {
    let mut spans: Vec<JsonSpan> = d
        .spans()
        .iter()
        .map(|s| {
            let (score, source) = match &s.origin {
                // A corrected suggestion's score was for what was suggested: not exported.
                Origin::Manual | Origin::Corrected { .. } => (None, None),
                Origin::Accepted { source, score } => (Some(*score), Some(source.as_str())),
            };
            JsonSpan {
                start: s.span.start.0,
                end: s.span.end.0,
                label: &s.label,
                score,
                source,
                note: &s.note,
                pending: false,
            }
        })
        .collect();
    if opts.include_suggestions {
        spans.extend(d.suggestions().iter().map(|s| JsonSpan {
            start: s.span.start.0,
            end: s.span.end.0,
            label: &s.label,
            score: Some(s.score),
            source: Some(&s.source),
            note: "",
            pending: true,
        }));
        spans.sort_by_key(|s| (s.start, s.end));
    }
    let line = Line {
        id: d.id.as_str(),
        text: d.text(),
        spans,
        meta: Meta {
            title: &d.title,
            source: &d.source,
            status: d.status().name(),
        },
    };
    serde_json::to_string(&line).unwrap_or_default()
}

/// Write the project as JSONL. Returns the number of documents written.
pub fn export_jsonl(
    p: &Project,
    opts: ExportOptions,
    out: &mut dyn Write,
) -> Result<usize, StoreError> {
    let mut n = 0;
    for id in p.ids().iter().filter(|id| p.in_layer(id)) {
        let d = p.load_document(id)?;
        if !opts.wants(d.status()) {
            continue;
        }
        writeln!(out, "{}", jsonl_line(&d, opts))
            .map_err(|e| StoreError::io("write", "the output", e))?;
        n += 1;
    }
    Ok(n)
}
