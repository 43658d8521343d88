//! doccano sequence labeling JSONL: `{"text", "label": [[start, end, "LABEL"]]}` (also `labels`,
//! and the relation-mode `entities` with `start_offset`/`end_offset`), offsets in **UTF-16 code
//! units** — JavaScript string indices, as doccano's editor stores them — or in extended grapheme
//! clusters for doccano projects with `grapheme_mode` on. Converted only in
//! [`crate::text::UnitMap`].
//!
//! The format carries no span text, so a wrong unit cannot be caught by a check. A span that does
//! not fall on character boundaries in the unit, or runs past the text, is refused with its line.
//! One more thing shows: doccano's API trims the text it is given but not the spans, so a text
//! that lost leading whitespace after its spans were counted has every span a few units off
//! (`tests/fixtures/interop/doccano-export.jsonl`, line 4). When almost all spans of a line (at
//! least 5, and 90%) cut words apart or start or end with whitespace — or do not even convert —
//! and moving them all 1 to 3 units to the left puts every one on word edges, they are moved and
//! the import says so; otherwise they are kept as they are, with a warning.

use super::json::{array, bad, id_of, int, lines, manual, parse_line, stem, text_of};
use super::{ImportedDoc, Loss};
use crate::model::{Document, Span};
use crate::store::import::ImportError;
use crate::text::{CharSpan, OffsetUnit, UnitMap};
use serde_json::{json, Value};
use std::path::Path;

/// A span as the file gives it, in the file's unit.
struct Raw {
    start: i64,
    end: i64,
    label: String,
}

/// Read a doccano file whose offsets are in `unit`. Returns the documents and the warnings.
pub fn read(
    text: &str,
    path: &Path,
    unit: OffsetUnit,
) -> Result<(Vec<ImportedDoc>, Vec<String>), ImportError> {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for (n, line) in lines(text) {
        let v = parse_line(line, path, n)?;
        let t = text_of(&v, path, n)?;
        let raw = raw_spans(&v, path, n)?;
        let (spans, warning) = place(&t, &UnitMap::new(&t, unit), &raw, path, n)?;
        if let Some(w) = warning {
            warnings.push(format!("{}:{n}: {w}", path.display()));
        }
        let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let (name, given_id) = id_of(&v, format!("{}-{n}", stem(path)));
        out.push(ImportedDoc {
            name,
            given_id,
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

/// The spans of a line, unconverted.
fn raw_spans(v: &Value, path: &Path, n: usize) -> Result<Vec<Raw>, ImportError> {
    let mut raw = Vec::new();
    let shape = |key: &str| {
        bad(
            path,
            n,
            format!("\"{key}\" entries must be [start, end, \"LABEL\"]"),
        )
    };
    for key in ["label", "labels"] {
        for s in array(v, key) {
            let a = s
                .as_array()
                .filter(|a| a.len() == 3)
                .ok_or_else(|| shape(key))?;
            let (Some(start), Some(end), Some(l)) = (a[0].as_i64(), a[1].as_i64(), a[2].as_str())
            else {
                return Err(shape(key));
            };
            raw.push(Raw {
                start,
                end,
                label: l.to_string(),
            });
        }
    }
    for e in array(v, "entities") {
        let label = e
            .get("label")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(path, n, "an entity has no \"label\""))?;
        let (start, end) = (
            int(e, "start_offset", path, n)?,
            int(e, "end_offset", path, n)?,
        );
        raw.push(Raw {
            start,
            end,
            label: label.to_string(),
        });
    }
    Ok(raw)
}

/// The spans converted from `units`, moved left by `shift` units.
fn convert(
    units: &UnitMap,
    raw: &[Raw],
    shift: i64,
    path: &Path,
    n: usize,
) -> Result<Vec<Span>, ImportError> {
    raw.iter()
        .map(|r| {
            let (s, e) = (r.start.saturating_sub(shift), r.end.saturating_sub(shift));
            span(units, (s, e), path, n).map(|sp| manual(sp, &r.label))
        })
        .collect()
}

/// Convert, and realign a trimmed text's spans (see the module doc). Returns a warning to show.
fn place(
    text: &str,
    units: &UnitMap,
    raw: &[Raw],
    path: &Path,
    n: usize,
) -> Result<(Vec<Span>, Option<String>), ImportError> {
    let chars: Vec<char> = text.chars().collect();
    let ragged_count = |spans: &[Span]| spans.iter().filter(|s| ragged(&chars, s.span)).count();
    let suspicious = |bad: usize| bad >= 5 && bad * 10 >= raw.len() * 9;
    let first = convert(units, raw, 0, path, n);
    let bad = match &first {
        Ok(spans) => ragged_count(spans),
        Err(_) => raw.len(),
    };
    if !suspicious(bad) {
        return first.map(|s| (s, None));
    }
    // Only a text without leading whitespace can have lost some.
    let trimmed = !text.starts_with(char::is_whitespace);
    let moved = (1..=3).filter(|_| trimmed).find_map(|d| {
        convert(units, raw, d, path, n)
            .ok()
            .filter(|s| ragged_count(s) == 0)
            .map(|s| (d, s))
    });
    let total = raw.len();
    match (moved, first) {
        (Some((d, spans)), _) => Ok((spans, Some(format!("{bad} of {total} spans cut words apart, and all fall on word edges when moved left by {d} ({}), as when the text was trimmed after the spans were counted (doccano's API trims texts): they were moved; check this document", units.unit().name())))),
        (None, Ok(spans)) => Ok((spans, Some(format!("{bad} of {total} spans cut words apart or start or end with whitespace: were the offsets counted in another unit (see --doccano-offsets)? They were imported as they are")))),
        (None, Err(e)) => Err(e),
    }
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

/// A span in `units` as a char span, or an error naming the line.
fn span(
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

/// One doccano line, offsets in `unit`. Spans that cannot be written in that unit (a grapheme
/// cluster split by a span edge) go to `loss`.
pub fn line(d: &Document, include_suggestions: bool, unit: OffsetUnit, loss: &mut Loss) -> String {
    let units = UnitMap::new(d.text(), unit);
    let mut label = Vec::new();
    for (s, l, _) in super::json::export_spans(d, include_suggestions) {
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
