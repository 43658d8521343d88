//! brat standoff: `name.txt` (the text) and `name.ann` (annotations), code point offsets.
//! `T` lines become spans (each fragment of a discontinuous `start end;start end` span becomes a
//! span of its own, and the import says so); the span-text column must be the text at the offsets
//! (fragments joined by a space, line breaks and tabs as spaces, as brat writes it), and a `T` id
//! may appear once: otherwise the file is refused, naming the line. `#` AnnotatorNotes become the
//! span's note; a note is one line in brat, so line breaks, tabs and backslashes in notes are
//! written as `\n`, `\t`, `\r` and `\\` and read back (lossless). Relations, events and attributes
//! are not imported (counted in a warning).

use super::{check_span, utf8_exact, ImportedDoc};
use crate::model::{Document, Origin, Span};
use crate::store::import::ImportError;
use crate::store::StoreError;
use std::collections::HashMap;
use std::path::Path;

/// Read a brat pair, given either its `.txt` or its `.ann`.
pub fn read_brat(path: &Path) -> Result<(Vec<ImportedDoc>, Vec<String>), ImportError> {
    let txt = path.with_extension("txt");
    let ann = path.with_extension("ann");
    let read = |p: &Path| -> Result<String, ImportError> {
        let bytes = crate::store::import::read_limited(p)?;
        utf8_exact(&bytes, p)
    };
    let text = read(&txt)?;
    let ann_text = if ann.exists() {
        read(&ann)?
    } else {
        String::new()
    };
    let index = crate::text::TextIndex::new(&text);
    let n = index.char_len();
    let mut warnings = Vec::new();
    let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
    let mut spans: Vec<Span> = Vec::new();
    let mut skipped = 0;
    for (k, line) in ann_text.lines().enumerate() {
        let ln = k + 1;
        let bad = |msg: String| ImportError::Bad {
            path: ann.clone(),
            line: ln,
            msg,
        };
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.splitn(3, '\t').collect();
        let id = cols[0];
        if id.starts_with('T') {
            let def = cols
                .get(1)
                .ok_or_else(|| bad("a T line needs \"LABEL start end\" after a tab".into()))?;
            let (label, ranges) = def
                .split_once(' ')
                .ok_or_else(|| bad(format!("{def:?} is not \"LABEL start end\"")))?;
            if by_id.contains_key(id) {
                return Err(bad(format!("the id {id} is used twice")));
            }
            let frags: Vec<&str> = ranges.split(';').collect();
            if frags.len() > 1 {
                warnings.push(format!("{}:{ln}: {id} is discontinuous; each of its {} fragments was imported as a separate {label} span", ann.display(), frags.len()));
            }
            let mut frag_spans = Vec::with_capacity(frags.len());
            for f in frags {
                let mut it = f.split_whitespace().map(|x| x.parse::<i64>());
                let (Some(Ok(s)), Some(Ok(e)), None) = (it.next(), it.next(), it.next()) else {
                    return Err(bad(format!("{f:?} is not a \"start end\" pair")));
                };
                frag_spans.push(check_span(&ann, ln, s, e, n)?);
            }
            if let Some(written) = cols.get(2) {
                let at: Vec<String> = frag_spans
                    .iter()
                    .map(|sp| one_line(index.slice(&text, *sp).unwrap_or_default()))
                    .collect();
                let at = at.join(" ");
                if *written != at {
                    return Err(bad(format!("{id}'s text {written:?} is not the text at its offsets, {at:?} (brat offsets are code points)")));
                }
            }
            by_id.insert(id.to_string(), Vec::new());
            for sp in frag_spans {
                by_id.entry(id.to_string()).or_default().push(spans.len());
                spans.push(Span {
                    span: sp,
                    label: label.to_string(),
                    origin: Origin::Manual,
                    note: String::new(),
                });
            }
        } else if id.starts_with('#') {
            let target = cols
                .get(1)
                .and_then(|d| d.strip_prefix("AnnotatorNotes "))
                .map(str::trim);
            let note = unescape(cols.get(2).copied().unwrap_or_default());
            match target.and_then(|t| by_id.get(t)) {
                Some(ix) => {
                    for &i in ix {
                        let old = &mut spans[i].note;
                        if !old.is_empty() {
                            old.push('\n');
                        }
                        old.push_str(&note);
                    }
                }
                None => skipped += 1,
            }
        } else {
            skipped += 1;
        }
    }
    if skipped > 0 {
        warnings.push(format!("{}: {skipped} relation, event, attribute or note lines were not imported (Tagwright keeps entities and their notes)", ann.display()));
    }
    let name = txt
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "doc".into());
    Ok((
        vec![ImportedDoc {
            title: crate::store::import::title_of(&text, &name),
            name,
            source: txt.display().to_string(),
            text,
            spans,
            ..Default::default()
        }],
        warnings,
    ))
}

/// The `.ann` of a document.
pub fn ann(d: &Document) -> String {
    let mut out = String::new();
    for (k, s) in d.spans().iter().enumerate() {
        let t = one_line(d.slice(s.span).unwrap_or_default());
        out.push_str(&format!(
            "T{}\t{} {} {}\t{t}\n",
            k + 1,
            s.label,
            s.span.start.0,
            s.span.end.0
        ));
        if !s.note.is_empty() {
            out.push_str(&format!(
                "#{}\tAnnotatorNotes T{}\t{}\n",
                k + 1,
                k + 1,
                escape(&s.note)
            ));
        }
    }
    out
}

/// Write `<id>.txt` and `<id>.ann` for every document into the folder `dir`.
pub fn write_brat(docs: &[Document], dir: &Path) -> Result<(), StoreError> {
    std::fs::create_dir_all(dir).map_err(|e| StoreError::io("create", dir, e))?;
    for d in docs {
        crate::store::write_atomic(&dir.join(format!("{}.txt", d.id)), d.text().as_bytes())?;
        crate::store::write_atomic(&dir.join(format!("{}.ann", d.id)), ann(d).as_bytes())?;
    }
    Ok(())
}

/// A span's text as brat writes it on its line: line breaks and tabs as spaces.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r', '\t'], " ")
}

/// A note on one line: `\`, line breaks and tabs escaped.
fn escape(note: &str) -> String {
    let mut out = String::with_capacity(note.len());
    for c in note.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

/// The inverse of [`escape`]; a backslash before any other char is kept as is.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            _ => {
                out.push('\\');
                continue;
            }
        }
        chars.next();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_escape_round_trip() {
        for note in [
            "plain",
            "two\nlines\tand tab",
            "back\\slash \\n literal",
            "end\\",
            "\r\n",
        ] {
            let e = escape(note);
            assert!(!e.contains(['\n', '\r', '\t']), "{e:?}");
            assert_eq!(unescape(&e), note);
        }
    }
}
