//! JSON lines formats: spaCy/Prodigy JSONL (code points) and doccano (UTF-16 code units, or
//! grapheme clusters for doccano projects in grapheme mode).
//!
//! JSONL spans carry Tagwright's extras so a re-import gives back what was exported: `score` and
//! `source` of an accepted suggestion, the span's `note`, and `"pending": true` for a suggestion;
//! `meta` holds the title, source and status. doccano's editor stores offsets as JavaScript
//! string indices (UTF-16 code units); its format carries no span text, so a wrong unit could not
//! be noticed afterwards: offsets are converted in [`crate::text::UnitMap`], and a span that does
//! not fall on character boundaries in the declared unit is refused with its line.

use super::{check_span, ImportedDoc, Loss};
use crate::model::{Document, Origin, Span, Suggestion};
use crate::store::import::ImportError;
use crate::text::offsets::{char_len, slice};
use crate::text::{CharSpan, OffsetUnit, UnitMap};
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
            suggestions,
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

/// A doccano span in `units` as a char span, or an error naming the line.
fn doccano_span(
    units: &UnitMap,
    (start, end): (i64, i64),
    path: &Path,
    n: usize,
) -> Result<CharSpan, ImportError> {
    let unit = units.unit().name();
    let (Ok(s), Ok(e)) = (usize::try_from(start), usize::try_from(end)) else {
        return Err(bad(
            path,
            n,
            format!("the span {start}..{end} has a negative offset"),
        ));
    };
    if s >= e {
        return Err(bad(
            path,
            n,
            format!("the span {s}..{e} is empty or reversed"),
        ));
    }
    if e > units.len() {
        return Err(bad(
            path,
            n,
            format!(
                "the span {s}..{e} is outside the text, which has {} {unit}",
                units.len()
            ),
        ));
    }
    units.span_to_chars(s, e).ok_or_else(|| {
        bad(path, n, format!("the span {s}..{e} does not fall on character boundaries in {unit} (it splits an emoji or other character written as a surrogate pair); doccano counts UTF-16 code units, or grapheme clusters when the project uses grapheme mode (import with --doccano-offsets graphemes)"))
    })
}

/// doccano: `{"text", "label": [[start, end, "LABEL"]]}` in `unit`; `labels` and the
/// relation-mode `entities` (`start_offset`, `end_offset`) are read too. A top-level `title` or
/// `source` (doccano keeps extra keys as the example's meta) is used.
pub fn read_doccano(
    text: &str,
    path: &Path,
    unit: OffsetUnit,
) -> Result<(Vec<ImportedDoc>, Vec<String>), ImportError> {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for (n, line) in lines(text) {
        let v = parse_line(line, path, n)?;
        let t = text_of(&v, path, n)?;
        let units = UnitMap::new(&t, unit);
        let mut spans = Vec::new();
        let shape = |key: &str| {
            bad(
                path,
                n,
                format!("\"{key}\" entries must be [start, end, \"LABEL\"]"),
            )
        };
        for key in ["label", "labels"] {
            for s in array(&v, key) {
                let a = s
                    .as_array()
                    .filter(|a| a.len() == 3)
                    .ok_or_else(|| shape(key))?;
                let (Some(st), Some(en), Some(l)) = (a[0].as_i64(), a[1].as_i64(), a[2].as_str())
                else {
                    return Err(shape(key));
                };
                spans.push(manual(doccano_span(&units, (st, en), path, n)?, l));
            }
        }
        for e in array(&v, "entities") {
            let label = e
                .get("label")
                .and_then(Value::as_str)
                .ok_or_else(|| bad(path, n, "an entity has no \"label\""))?;
            let (st, en) = (
                int(e, "start_offset", path, n)?,
                int(e, "end_offset", path, n)?,
            );
            spans.push(manual(doccano_span(&units, (st, en), path, n)?, label));
        }
        if let Some(w) = realign(&t, &mut spans) {
            warnings.push(format!("{}:{n}: {w}", path.display()));
        }
        let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        out.push(ImportedDoc {
            name: id_of(&v, format!("{}-{n}", stem(path))),
            title: field("title").unwrap_or_else(|| {
                crate::store::import::title_of(&t, &format!("{} line {n}", stem(path)))
            }),
            source: field("source").unwrap_or_else(|| format!("{}:{n}", path.display())),
            text: t,
            spans,
            ..Default::default()
        });
    }
    Ok((out, warnings))
}

/// True when a span cuts a word apart or starts or ends with whitespace.
fn ragged(chars: &[char], s: CharSpan) -> bool {
    use crate::text::tokenize::is_cjk;
    let word = |i: usize| {
        chars
            .get(i)
            .is_some_and(|c| c.is_alphanumeric() && !is_cjk(*c))
    };
    let cuts = |i: usize| i > 0 && word(i - 1) && word(i);
    let space = |i: usize| chars.get(i).is_some_and(|c| c.is_whitespace());
    cuts(s.start.0) || cuts(s.end.0) || space(s.start.0) || (s.end.0 > 0 && space(s.end.0 - 1))
}

/// doccano's format carries no span text, so offsets counted on another text cannot be caught by
/// a check: but they show. When almost all spans of a document (at least 5, at least 90%) cut words
/// apart or start or end with whitespace, and moving every span by
/// the same 1–3 characters puts all of them on word edges, the text was trimmed after the offsets
/// were counted (doccano's API trims the text it is given, not the spans): the spans are moved.
/// When no such move exists, the spans are kept and the person is warned. Returns the warning.
fn realign(text: &str, spans: &mut [Span]) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let bad = spans.iter().filter(|s| ragged(&chars, s.span)).count();
    // Few or some ragged spans are a person's choice (parts of words can be entities); almost
    // all of them ragged is a sign of shifted offsets.
    if bad < 5 || bad * 10 < spans.len() * 9 {
        return None;
    }
    let moved = |d: isize| -> Option<Vec<CharSpan>> {
        spans
            .iter()
            .map(|s| {
                let at = |i: usize| i.checked_add_signed(d).filter(|&i| i <= chars.len());
                CharSpan::new(at(s.span.start.0)?, at(s.span.end.0)?)
                    .filter(|m| !ragged(&chars, *m))
            })
            .collect()
    };
    let total = spans.len();
    match [-1, 1, -2, 2, -3, 3].into_iter().find_map(|d| moved(d).map(|m| (d, m))) {
        Some((d, m)) => {
            for (s, to) in spans.iter_mut().zip(m) {
                s.span = to;
            }
            let dir = if d < 0 { "left" } else { "right" };
            Some(format!("{bad} of {total} spans cut words apart, and all fall on word edges when moved {} character(s) to the {dir}, as when the text was trimmed after the spans were counted (doccano's API trims texts): they were moved; check this document", d.unsigned_abs()))
        }
        None => Some(format!("{bad} of {total} spans cut words apart or start or end with whitespace: were the offsets counted in another unit (see --doccano-offsets)? They were imported as they are")),
    }
}

/// One doccano line, offsets in `unit`. Spans that cannot be written in that unit (a grapheme
/// cluster split by a span edge) go to `loss`.
pub fn doccano_line(
    d: &Document,
    include_suggestions: bool,
    unit: OffsetUnit,
    loss: &mut Loss,
) -> String {
    let units = UnitMap::new(d.text(), unit);
    let mut label = Vec::new();
    for (s, l, _) in export_spans(d, include_suggestions) {
        match units.span_from_chars(s) {
            Some((a, b)) => label.push(json!([a, b, l])),
            None => loss.lose(
                d,
                s,
                l,
                &format!("does not start and end on {} boundaries", unit.name()),
            ),
        }
    }
    json!({"id": d.id.as_str(), "text": d.text(), "label": label, "title": d.title, "source": d.source}).to_string()
}
