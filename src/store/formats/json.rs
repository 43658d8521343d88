//! spaCy/Prodigy JSONL, in code points, and the JSON helpers the doccano reader shares.
//!
//! JSONL spans carry Tagwright's extras so a re-import gives back what was exported: `score` and
//! `source` of an accepted suggestion, the span's `note`, and `"pending": true` for a suggestion;
//! `meta` holds the title, source and status.

use super::{check_span, ImportedDoc};
use crate::model::{Document, Origin, Span, Suggestion};
use crate::store::import::ImportError;
use crate::text::offsets::{char_len, slice};
use crate::text::CharSpan;
use serde_json::Value;
use std::path::Path;

pub(super) fn bad(path: &Path, line: usize, msg: impl Into<String>) -> ImportError {
    ImportError::Bad {
        path: path.to_path_buf(),
        line,
        msg: msg.into(),
    }
}

/// A JSON error as `column C: what`, without serde's own "at line L column C" (its line counts
/// within one JSONL line, which would contradict the file's line in front of it).
pub(super) fn json_error(e: &serde_json::Error) -> String {
    let mut msg = e.to_string();
    if let Some(at) = msg.rfind(" at line ") {
        msg.truncate(at);
    }
    format!("column {}: {msg}", e.column())
}

pub(super) fn parse_line(line: &str, path: &Path, n: usize) -> Result<Value, ImportError> {
    let v: Value = serde_json::from_str(line).map_err(|e| bad(path, n, json_error(&e)))?;
    if !v.is_object() {
        return Err(bad(path, n, "expected a JSON object"));
    }
    Ok(v)
}

pub(super) fn text_of(v: &Value, path: &Path, n: usize) -> Result<String, ImportError> {
    v.get("text")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            v.pointer("/data/text")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .ok_or_else(|| bad(path, n, "the object has no \"text\" string"))
        .and_then(|t| no_nul(t, path, n))
}

/// A text with a NUL character (JSON `\u0000`) is refused, as a file with NUL bytes is.
pub(super) fn no_nul(text: String, path: &Path, n: usize) -> Result<String, ImportError> {
    match text.find('\0') {
        Some(at) => Err(bad(
            path,
            n,
            format!(
                "the text has a NUL character (\\u0000) at code point {}; remove it and import again",
                text[..at].chars().count()
            ),
        )),
        None => Ok(text),
    }
}

pub(super) fn int(v: &Value, key: &str, path: &Path, n: usize) -> Result<i64, ImportError> {
    v.get(key)
        .and_then(Value::as_i64)
        .ok_or_else(|| bad(path, n, format!("a span has no integer \"{key}\"")))
}

/// The line's `"id"` (given: true), else `fallback` (a name).
pub(super) fn id_of(v: &Value, fallback: String) -> (String, bool) {
    match v.get("id") {
        Some(Value::String(s)) => (s.clone(), true),
        Some(Value::Number(x)) => (x.to_string(), true),
        _ => (fallback, false),
    }
}

/// The items of the array `key` of `v` (none when it is missing).
pub(super) fn array<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

/// A `{"label", <start>, <end>}` object as a checked span of a text of `len` chars.
fn labelled(
    o: &Value,
    (start, end): (&str, &str),
    len: usize,
    path: &Path,
    n: usize,
) -> Result<Span, ImportError> {
    let label = o
        .get("label")
        .and_then(Value::as_str)
        .ok_or_else(|| bad(path, n, "a span has no \"label\""))?;
    let sp = check_span(path, n, int(o, start, path, n)?, int(o, end, path, n)?, len)?;
    Ok(manual(sp, label))
}

pub(super) fn manual(span: CharSpan, label: &str) -> Span {
    Span {
        span,
        label: label.to_string(),
        origin: Origin::Manual,
        note: String::new(),
    }
}

/// The non-blank lines with their numbers; `\n`, `\r\n` and a lone `\r` (old Mac files) all end a
/// line (JSON strings cannot hold a raw line break, so no text is cut).
pub(super) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    crate::store::import::split_lines(text)
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty())
}

pub(super) fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "doc".into())
}

/// spaCy/Prodigy JSONL: `{"text", "spans": [{"start", "end", "label"}], "meta"}`.
pub fn read_jsonl(text: &str, path: &Path) -> Result<Vec<ImportedDoc>, ImportError> {
    let mut out = Vec::new();
    for (n, line) in lines(text) {
        let v = parse_line(line, path, n)?;
        let t = text_of(&v, path, n)?;
        let len = char_len(&t);
        let mut spans = Vec::new();
        let mut suggestions = Vec::new();
        for s in array(&v, "spans") {
            let sp = labelled(s, ("start", "end"), len, path, n)?;
            if let Some(want) = s.get("text").and_then(Value::as_str) {
                let got = slice(&t, sp.span).unwrap_or_default();
                if got != want {
                    return Err(bad(path, n, format!("the span {} is {got:?} in the text, but its \"text\" is {want:?} (spans must be in code points)", sp.span)));
                }
            }
            let score = s
                .get("score")
                .and_then(Value::as_f64)
                .map(|x| x.clamp(0.0, 1.0) as f32);
            let source = s.get("source").and_then(Value::as_str);
            if s.get("pending").and_then(Value::as_bool) == Some(true) {
                suggestions.push(Suggestion {
                    span: sp.span,
                    label: sp.label,
                    score: score.unwrap_or(0.5),
                    source: source.unwrap_or("jsonl").to_string(),
                });
                continue;
            }
            let origin = match (source, score) {
                (Some(source), Some(score)) => Origin::Accepted {
                    source: source.to_string(),
                    score,
                },
                _ => Origin::Manual,
            };
            let note = s
                .get("note")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            spans.push(Span { origin, note, ..sp });
        }
        let meta = v.get("meta");
        let title = meta
            .and_then(|m| m.get("title"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let (name, given_id) = id_of(&v, format!("{}-{n}", stem(path)));
        out.push(ImportedDoc {
            name,
            given_id,
            title: title.unwrap_or_else(|| {
                crate::store::import::title_of(&t, &format!("{} line {n}", stem(path)))
            }),
            source: meta
                .and_then(|m| m.get("source"))
                .and_then(Value::as_str)
                .map_or_else(|| format!("{}:{n}", path.display()), str::to_string),
            done: meta.and_then(|m| m.get("status")).and_then(Value::as_str) == Some("done"),
            text: t,
            spans,
            suggestions,
            ..Default::default()
        });
    }
    Ok(out)
}

/// The spans of a document for export (confirmed, plus pending suggestions when asked).
pub(super) fn export_spans(
    d: &Document,
    include_suggestions: bool,
) -> Vec<(CharSpan, &str, Option<f32>)> {
    let mut v: Vec<(CharSpan, &str, Option<f32>)> = d
        .spans()
        .iter()
        .map(|s| (s.span, s.label.as_str(), None))
        .collect();
    if include_suggestions {
        v.extend(
            d.suggestions()
                .iter()
                .map(|s| (s.span, s.label.as_str(), Some(s.score))),
        );
        v.sort_by_key(|x| x.0);
    }
    v
}

pub fn jsonl_line(d: &Document, include_suggestions: bool) -> String {
    crate::store::export::jsonl_line(
        d,
        crate::store::export::ExportOptions {
            include_suggestions,
            ..Default::default()
        },
    )
}
