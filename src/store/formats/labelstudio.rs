//! Label Studio JSON tasks, in **code points** both ways.
//!
//! Label Studio stores and displays region offsets as Unicode code points: its editor converts the
//! browser's UTF-16 offsets before saving (`charsToCodePoints` in its `selection-tools.js`), and the
//! files it exports (see `tests/fixtures/interop/labelstudio-export.json`) count code points. On
//! import, a result that carries `value.text` must equal the text at its offsets (otherwise the
//! file is refused, naming the task and result); a result without `value.text` is taken as code
//! points. The first annotation that was not cancelled becomes the confirmed spans; cancelled
//! (skipped) annotations are left out with a warning; the first prediction becomes pending
//! suggestions. A file in which some task has several annotations is a team's: every annotation
//! is also kept as the layer of its `completed_by` (a user id as `ls-user-N`, or the local part
//! of the user's email), which `tagwright add` imports as that annotator's layer.
//!
//! What Tagwright adds so its own exports come back whole: task `meta` (`id`, `title`, `source`,
//! `status`); per result `score`, `origin` (`manual` or `prediction` for an accepted suggestion) and
//! `meta.text` (the span's note, as Label Studio keeps region notes) and `meta.source`.

use super::{ImportedDoc, Loss};
use crate::model::{Document, Origin, Span, Suggestion};
use crate::store::import::ImportError;
use crate::text::{CharSpan, OffsetUnit, UnitMap};
use serde_json::{json, Value};
use std::path::Path;

fn bad(path: &Path, line: usize, msg: String) -> ImportError {
    ImportError::Bad {
        path: path.to_path_buf(),
        line,
        msg,
    }
}

/// Where a result sits, for messages: `file:3: task 2 (id 17) result "r5"` (the line of the task).
struct Place<'a> {
    path: &'a Path,
    line: usize,
    task: String,
}

impl Place<'_> {
    fn err(&self, result: &Value, msg: &str) -> ImportError {
        let rid = match result.get("id") {
            Some(Value::String(s)) => format!(" result {s:?}"),
            _ => String::new(),
        };
        bad(self.path, self.line, format!("{}{rid}: {msg}", self.task))
    }
}

/// A result's code point span, checked against the text and against its own `value.text`.
fn result_span(
    text: &str,
    units: &UnitMap,
    r: &Value,
    at: &Place,
) -> Result<(CharSpan, Vec<String>), ImportError> {
    let val = r.get("value").ok_or_else(|| at.err(r, "has no value"))?;
    let int = |k: &str| val.get(k).and_then(Value::as_i64);
    let (Some(s), Some(e)) = (int("start"), int("end")) else {
        return Err(at.err(r, "has no integer value.start and value.end"));
    };
    let span = usize::try_from(s)
        .ok()
        .zip(usize::try_from(e).ok())
        .and_then(|(s, e)| units.span_to_chars(s, e))
        .filter(|sp| !sp.is_empty())
        .ok_or_else(|| {
            at.err(
                r,
                &format!(
                    "the span {s}..{e} is empty, reversed or outside the text, which has {} code points",
                    units.len()
                ),
            )
        })?;
    if let Some(want) = val.get("text").and_then(Value::as_str) {
        let got = crate::text::offsets::slice(text, span).unwrap_or_default();
        if got != want {
            return Err(at.err(r, &format!("the span {s}..{e} is {got:?} in the text, but its value.text is {want:?}; Label Studio offsets are code points (files from Tagwright before 0.2 used UTF-16: export them again)")));
        }
    }
    let labels = val
        .get("labels")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    Ok((span, labels))
}

/// A labelled region: its span, its labels and the result it came from.
type Region<'v> = (CharSpan, Vec<String>, &'v Value);

/// The `type: labels` results of a list.
fn label_results<'v>(
    text: &str,
    units: &UnitMap,
    results: &'v [Value],
    at: &Place,
) -> Result<Vec<Region<'v>>, ImportError> {
    results
        .iter()
        .filter(|r| r.get("type").and_then(Value::as_str) == Some("labels"))
        .map(|r| result_span(text, units, r, at).map(|(s, l)| (s, l, r)))
        .collect()
}

fn str_at<'v>(v: &'v Value, pointer: &str) -> Option<&'v str> {
    v.pointer(pointer).and_then(Value::as_str)
}

/// A confirmed span from an annotation result (origin, score and note as Tagwright wrote them).
fn confirmed(span: CharSpan, label: &str, r: &Value) -> Span {
    let score = r.get("score").and_then(Value::as_f64);
    let origin = match (str_at(r, "/meta/source"), score) {
        (Some(source), Some(score)) => Origin::Accepted {
            source: source.to_string(),
            score: score.clamp(0.0, 1.0) as f32,
        },
        _ => Origin::Manual,
    };
    let note = r
        .pointer("/meta/text")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    Span {
        span,
        label: label.to_string(),
        origin,
        note,
    }
}

/// One task as an imported document.
fn read_task(
    task: &Value,
    (n, line): (usize, usize),
    path: &Path,
    warnings: &mut Vec<String>,
) -> Result<ImportedDoc, ImportError> {
    let id = match task.get("id") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(x)) => Some(x.to_string()),
        _ => None,
    };
    let at = Place {
        path,
        line,
        task: match &id {
            Some(id) => format!("task {n} (id {id})"),
            None => format!("task {n}"),
        },
    };
    let text = str_at(task, "/data/text")
        .ok_or_else(|| at.err(&Value::Null, "has no data.text"))?
        .to_string();
    let text = super::json::no_nul(text, path, line)?;
    let units = UnitMap::new(&text, OffsetUnit::CodePoints);
    let annotations: &[Value] = task
        .get("annotations")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let (cancelled, kept): (Vec<&Value>, Vec<&Value>) = annotations
        .iter()
        .partition(|a| a.get("was_cancelled").and_then(Value::as_bool) == Some(true));
    if !cancelled.is_empty() {
        warnings.push(format!(
            "{}:{line}: {}: skipped {} cancelled annotation(s)",
            path.display(),
            at.task,
            cancelled.len()
        ));
    }
    let results = |a: Option<&Value>| -> Vec<Value> {
        a.and_then(|a| a.get("result"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let mut layers: Vec<(String, Vec<Span>)> = Vec::with_capacity(kept.len());
    for (k, a) in kept.iter().enumerate() {
        let who = annotator_name(a.get("completed_by"), k + 1);
        if layers.iter().any(|(w, _)| *w == who) {
            warnings.push(format!(
                "{}:{line}: {}: {who} annotated it twice; the first was imported",
                path.display(),
                at.task
            ));
            continue;
        }
        let mut spans = Vec::new();
        for (span, labels, r) in label_results(&text, &units, &results(Some(a)), &at)? {
            spans.extend(labels.iter().map(|l| confirmed(span, l, r)));
        }
        layers.push((who, spans));
    }
    let spans = layers.first().map(|(_, s)| s.clone()).unwrap_or_default();
    let prediction = task
        .get("predictions")
        .and_then(Value::as_array)
        .and_then(|p| p.first());
    let default_score = prediction
        .and_then(|p| p.get("score"))
        .and_then(Value::as_f64)
        .unwrap_or(0.5);
    let mut suggestions = Vec::new();
    for (span, labels, r) in label_results(&text, &units, &results(prediction), &at)? {
        let score = r
            .get("score")
            .and_then(Value::as_f64)
            .unwrap_or(default_score);
        let source = str_at(r, "/meta/source").unwrap_or("labelstudio");
        suggestions.extend(labels.iter().map(|l| Suggestion {
            span,
            label: l.clone(),
            score: score.clamp(0.0, 1.0) as f32,
            source: source.to_string(),
        }));
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tasks".into());
    let meta = |k: &str| str_at(task, &format!("/meta/{k}")).map(str::to_string);
    Ok(ImportedDoc {
        given_id: meta("id").or(id.clone()).is_some(),
        name: meta("id").or(id).unwrap_or_else(|| format!("{stem}-{n}")),
        title: meta("title")
            .unwrap_or_else(|| crate::store::import::title_of(&text, &format!("{stem} task {n}"))),
        source: meta("source").unwrap_or_else(|| format!("{} {}", path.display(), at.task)),
        done: meta("status").as_deref() == Some("done"),
        text,
        spans,
        suggestions,
        layers,
        ..Default::default()
    })
}

/// The layer name of an annotation's `completed_by`: `ls-user-N` for a user id, the local part of
/// an email (as a name: lower-case letters, digits and `-`), else `ls-annotation-K`.
fn annotator_name(by: Option<&Value>, k: usize) -> String {
    let email = by.and_then(|b| b.get("email")).and_then(Value::as_str);
    let id = by.and_then(|b| b.as_u64().or_else(|| b.get("id").and_then(Value::as_u64)));
    let from_email = email
        .and_then(|e| e.split('@').next())
        .map(crate::model::DocId::slug)
        .filter(|s| !s.is_empty() && crate::model::Annotator::new(s).is_ok());
    match (from_email, id) {
        (Some(name), _) => name,
        (None, Some(id)) => format!("ls-user-{id}"),
        (None, None) => format!("ls-annotation-{k}"),
    }
}

/// Label Studio tasks: `[{"data": {"text"}, "annotations": [{"result": [...]}], "predictions": [...]}]`
/// (or one task object). Errors name the line where the task starts.
pub fn read(text: &str, path: &Path) -> Result<(Vec<ImportedDoc>, Vec<String>), ImportError> {
    use serde_json::value::RawValue;
    let syntax = |e: serde_json::Error| bad(path, e.line(), super::json::json_error(&e));
    let raw: Vec<&RawValue> = if text.trim_start().starts_with('{') {
        vec![serde_json::from_str(text).map_err(syntax)?]
    } else {
        serde_json::from_str(text).map_err(syntax)?
    };
    let mut warnings = Vec::new();
    let mut docs = Vec::with_capacity(raw.len());
    for (k, r) in raw.iter().enumerate() {
        // The raw task is a slice of `text`: its line is the line breaks before it, plus one.
        let offset = (r.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        let line = text
            .get(..offset)
            .map_or(0, |head| head.matches('\n').count() + 1);
        let task: Value = serde_json::from_str(r.get()).map_err(syntax)?;
        if !task.is_object() {
            return Err(bad(
                path,
                line,
                format!("task {} is not a JSON object", k + 1),
            ));
        }
        docs.push(read_task(&task, (k + 1, line), path, &mut warnings)?);
    }
    // Layers only for a team's file: one annotation per task stays the document's spans alone.
    let team = docs.iter().any(|d| d.layers.len() > 1);
    if team {
        let names: std::collections::BTreeSet<&str> = docs
            .iter()
            .flat_map(|d| d.layers.iter().map(|(w, _)| w.as_str()))
            .collect();
        warnings.push(format!(
            "{}: tasks have several annotators' annotations ({}): `tagwright add` imports each as that annotator's layer; the window imports the first of each task",
            path.display(),
            names.into_iter().collect::<Vec<_>>().join(", ")
        ));
    } else {
        docs.iter_mut().for_each(|d| d.layers.clear());
    }
    Ok((docs, warnings))
}

fn ls_result(d: &Document, span: CharSpan, label: &str, k: usize) -> Value {
    json!({
        "id": format!("{}-{k}", d.id),
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {
            "start": span.start.0,
            "end": span.end.0,
            "text": d.slice(span).unwrap_or_default(),
            "labels": [label],
        }
    })
}

fn annotation_result(d: &Document, s: &Span, k: usize) -> Value {
    let mut r = ls_result(d, s.span, &s.label, k);
    r["origin"] = json!("manual");
    if let Origin::Accepted { source, score } = &s.origin {
        r["origin"] = json!("prediction");
        r["score"] = json!(score);
        r["meta"] = json!({"source": source});
    }
    if !s.note.is_empty() {
        r["meta"]["text"] = json!([s.note]);
    }
    r
}

/// Label Studio tasks, code point offsets, numbered 1, 2, ... as Label Studio numbers tasks. Our
/// document id, title, source and status go in the task's `meta`, which Label Studio keeps.
pub fn write(docs: &[Document], include_suggestions: bool, _loss: &mut Loss) -> String {
    let tasks: Vec<Value> = docs
        .iter()
        .enumerate()
        .map(|(n, d)| {
            let result: Vec<Value> = d
                .spans()
                .iter()
                .enumerate()
                .map(|(k, s)| annotation_result(d, s, k))
                .collect();
            // Label Studio's tools need a numeric task id (its converter reads `task["id"]`).
            let mut task = json!({
                "id": n + 1,
                "data": {"text": d.text()},
                "meta": {"id": d.id.as_str(), "title": d.title, "source": d.source, "status": d.status().name()},
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
                        r["meta"] = json!({"source": s.source});
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
