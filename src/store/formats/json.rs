//! JSON formats: spaCy/Prodigy JSONL, doccano JSONL and Label Studio tasks.

use super::{check_span, ImportedDoc};
use crate::model::{Document, Origin, Span, Suggestion};
use crate::store::import::ImportError;
use crate::text::offsets::{char_len, char_to_utf16, slice, utf16_to_char};
use crate::text::CharSpan;
use serde_json::{json, Value};
use std::path::Path;

fn bad(path: &Path, line: usize, msg: impl Into<String>) -> ImportError {
    ImportError::Bad {
        path: path.to_path_buf(),
        line,
        msg: msg.into(),
    }
}

fn parse_line(line: &str, path: &Path, n: usize) -> Result<Value, ImportError> {
    let v: Value = serde_json::from_str(line)
        .map_err(|e| bad(path, n, format!("column {}: {e}", e.column())))?;
    if !v.is_object() {
        return Err(bad(path, n, "expected a JSON object"));
    }
    Ok(v)
}

fn text_of(v: &Value, path: &Path, n: usize) -> Result<String, ImportError> {
    v.get("text")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            v.pointer("/data/text")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .ok_or_else(|| bad(path, n, "the object has no \"text\" string"))
}

fn int(v: &Value, key: &str, path: &Path, n: usize) -> Result<i64, ImportError> {
    v.get(key)
        .and_then(Value::as_i64)
        .ok_or_else(|| bad(path, n, format!("a span has no integer \"{key}\"")))
}

fn id_of(v: &Value, fallback: String) -> String {
    match v.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(x)) => x.to_string(),
        _ => fallback,
    }
}

/// The items of the array `key` of `v` (none when it is missing).
fn array<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
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

fn manual(span: CharSpan, label: &str) -> Span {
    Span {
        span,
        label: label.to_string(),
        origin: Origin::Manual,
        note: String::new(),
    }
}

fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty())
}

fn stem(path: &Path) -> String {
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
        for s in array(&v, "spans") {
            spans.push(labelled(s, ("start", "end"), len, path, n)?);
        }
        let meta = v.get("meta");
        let title = meta
            .and_then(|m| m.get("title"))
            .and_then(Value::as_str)
            .map(str::to_string);
        out.push(ImportedDoc {
            name: id_of(&v, format!("{}-{n}", stem(path))),
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
            ..Default::default()
        });
    }
    Ok(out)
}

/// The spans of a document for export (confirmed, plus pending suggestions when asked).
fn export_spans(d: &Document, include_suggestions: bool) -> Vec<(CharSpan, &str, Option<f32>)> {
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
            only_done: false,
            include_suggestions,
        },
    )
}

/// doccano: `{"text", "label": [[start, end, "LABEL"]]}`; `labels` and the relation-mode
/// `entities` (`start_offset`, `end_offset`) are read too.
pub fn read_doccano(text: &str, path: &Path) -> Result<Vec<ImportedDoc>, ImportError> {
    let mut out = Vec::new();
    for (n, line) in lines(text) {
        let v = parse_line(line, path, n)?;
        let t = text_of(&v, path, n)?;
        let len = char_len(&t);
        let mut spans = Vec::new();
        for key in ["label", "labels"] {
            for s in v.get(key).and_then(Value::as_array).into_iter().flatten() {
                let a = s.as_array().filter(|a| a.len() == 3).ok_or_else(|| {
                    bad(
                        path,
                        n,
                        format!("\"{key}\" entries must be [start, end, \"LABEL\"]"),
                    )
                })?;
                let (Some(st), Some(en), Some(l)) = (a[0].as_i64(), a[1].as_i64(), a[2].as_str())
                else {
                    return Err(bad(
                        path,
                        n,
                        format!("\"{key}\" entries must be [start, end, \"LABEL\"]"),
                    ));
                };
                spans.push(manual(check_span(path, n, st, en, len)?, l));
            }
        }
        for e in array(&v, "entities") {
            spans.push(labelled(e, ("start_offset", "end_offset"), len, path, n)?);
        }
        out.push(ImportedDoc {
            name: id_of(&v, format!("{}-{n}", stem(path))),
            title: crate::store::import::title_of(&t, &format!("{} line {n}", stem(path))),
            source: format!("{}:{n}", path.display()),
            text: t,
            spans,
            ..Default::default()
        });
    }
    Ok(out)
}

pub fn doccano_line(d: &Document, include_suggestions: bool) -> String {
    let label: Vec<Value> = export_spans(d, include_suggestions)
        .iter()
        .map(|(s, l, _)| json!([s.start.0, s.end.0, l]))
        .collect();
    json!({"id": d.id.as_str(), "text": d.text(), "label": label}).to_string()
}

/// Label Studio offsets (UTF-16) → char span, checked against the span's `text` when given.
fn ls_span(text: &str, v: &Value, path: &Path, n: usize) -> Result<CharSpan, ImportError> {
    let (s, e) = (int(v, "start", path, n)?, int(v, "end", path, n)?);
    if s < 0 || e < 0 {
        return Err(bad(
            path,
            0,
            format!("task {n}: the span {s}..{e} has a negative offset"),
        ));
    }
    let want = v.get("text").and_then(Value::as_str);
    let as_utf16 = match (
        utf16_to_char(text, s as usize),
        utf16_to_char(text, e as usize),
    ) {
        (Some(a), Some(b)) if a < b => Some(CharSpan { start: a, end: b }),
        _ => None,
    };
    let as_chars = CharSpan::new(s as usize, e as usize)
        .filter(|c| !c.is_empty() && c.end.0 <= char_len(text));
    let matches = |c: &CharSpan| want.is_none_or(|w| slice(text, *c) == Some(w));
    // Label Studio's front end counts UTF-16 units; files written by other tools may count code
    // points. The span's own text tells which.
    as_utf16
        .filter(matches)
        .or(as_chars.filter(matches))
        .ok_or_else(|| bad(path, 0, format!("task {n}: the span {s}..{e} does not match its text {:?} in UTF-16 or code point offsets", want.unwrap_or(""))))
}

/// Label Studio tasks: `[{"data": {"text"}, "annotations": [{"result": [...]}], "predictions": [...]}]`.
/// The first annotation becomes the confirmed spans; predictions become pending suggestions.
pub fn read_labelstudio(
    text: &str,
    path: &Path,
) -> Result<(Vec<ImportedDoc>, Vec<String>), ImportError> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| bad(path, e.line(), format!("column {}: {e}", e.column())))?;
    let tasks: Vec<Value> = match v {
        Value::Array(a) => a,
        o @ Value::Object(_) => vec![o],
        _ => return Err(bad(path, 1, "expected a list of Label Studio tasks")),
    };
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for (k, task) in tasks.iter().enumerate() {
        let n = k + 1;
        let t = task
            .pointer("/data/text")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(path, 0, format!("task {n} has no data.text")))?
            .to_string();
        let results = |key: &str| -> Vec<Value> {
            task.get(key)
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(|a| a.get("result"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        if task
            .get("annotations")
            .and_then(Value::as_array)
            .is_some_and(|a| a.len() > 1)
        {
            warnings.push(format!(
                "{}: task {n} has several annotations; the first was imported",
                path.display()
            ));
        }
        let mut spans = Vec::new();
        for r in results("annotations") {
            if r.get("type").and_then(Value::as_str) != Some("labels") {
                continue;
            }
            let val = r
                .get("value")
                .ok_or_else(|| bad(path, 0, format!("task {n}: a result has no value")))?;
            let sp = ls_span(&t, val, path, n)?;
            for l in val
                .get("labels")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                spans.push(manual(sp, l));
            }
        }
        let score = task
            .pointer("/predictions/0/score")
            .and_then(Value::as_f64)
            .unwrap_or(0.5);
        let mut suggestions = Vec::new();
        for r in results("predictions") {
            if r.get("type").and_then(Value::as_str) != Some("labels") {
                continue;
            }
            let Some(val) = r.get("value") else { continue };
            let sp = ls_span(&t, val, path, n)?;
            let s = r
                .get("score")
                .and_then(Value::as_f64)
                .unwrap_or(score)
                .clamp(0.0, 1.0) as f32;
            for l in val
                .get("labels")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                suggestions.push(Suggestion {
                    span: sp,
                    label: l.to_string(),
                    score: s,
                    source: "labelstudio".into(),
                });
            }
        }
        out.push(ImportedDoc {
            name: id_of(task, format!("{}-{n}", stem(path))),
            title: crate::store::import::title_of(&t, &format!("{} task {n}", stem(path))),
            source: format!("{} task {n}", path.display()),
            text: t,
            spans,
            suggestions,
            ..Default::default()
        });
    }
    Ok((out, warnings))
}

fn ls_result(d: &Document, span: CharSpan, label: &str, k: usize) -> Value {
    let t = d.text();
    json!({
        "id": format!("{}-{k}", d.id),
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {
            "start": char_to_utf16(t, span.start).unwrap_or(0),
            "end": char_to_utf16(t, span.end).unwrap_or(0),
            "text": d.slice(span).unwrap_or_default(),
            "labels": [label],
        }
    })
}

/// Label Studio tasks (offsets in UTF-16 units, as its front end counts them).
pub fn labelstudio(docs: &[Document], include_suggestions: bool) -> String {
    let tasks: Vec<Value> = docs
        .iter()
        .map(|d| {
            let result: Vec<Value> = d
                .spans()
                .iter()
                .enumerate()
                .map(|(k, s)| ls_result(d, s.span, &s.label, k))
                .collect();
            let mut task = json!({
                "id": d.id.as_str(),
                "data": {"text": d.text(), "title": d.title, "source": d.source},
                "annotations": [{"result": result}],
            });
            if include_suggestions {
                let pred: Vec<Value> = d
                    .suggestions()
                    .iter()
                    .enumerate()
                    .map(|(k, s)| {
                        let mut r = ls_result(d, s.span, &s.label, k);
                        r["score"] = json!(s.score);
                        r
                    })
                    .collect();
                task["predictions"] = json!([{"model_version": "tagwright", "result": pred}]);
            }
            task
        })
        .collect();
    serde_json::to_string_pretty(&tasks).unwrap_or_default() + "\n"
}
