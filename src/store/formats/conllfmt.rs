//! CoNLL import (text rebuilt from tokens) and export (our tokenizer; `token TAG` lines).
//!
//! Import: tokens are joined with single spaces, sentences with line breaks, documents come from
//! `-DOCSTART-` breaks. Export: a span that does not start and end on token boundaries cannot be
//! written and is reported by name (never moved); whitespace is not kept by the format.

use super::{ImportedDoc, Loss};
use crate::model::{Document, Origin, Span};
use crate::store::conll::{parse_conll, spans_to_tags, tags_to_spans, Scheme};
use crate::store::import::ImportError;
use crate::text::{CharIdx, CharSpan};
use std::path::Path;

pub fn read(text: &str, path: &Path, name: &str) -> Result<Vec<ImportedDoc>, ImportError> {
    let docs = parse_conll(text, path).map_err(|e| match e {
        crate::store::conll::ConllError::Bad { path, line, msg } => {
            ImportError::Bad { path, line, msg }
        }
        crate::store::conll::ConllError::Io { path, source } => ImportError::Io { path, source },
    })?;
    let mut out = Vec::new();
    for (k, d) in docs.iter().enumerate() {
        let mut text = String::new();
        let mut chars = 0usize;
        let mut spans = Vec::new();
        for s in &d.sentences {
            let mut starts = Vec::with_capacity(s.tokens.len());
            for (i, t) in s.tokens.iter().enumerate() {
                if i > 0 {
                    text.push(' ');
                    chars += 1;
                }
                starts.push(chars);
                text.push_str(t);
                chars += t.chars().count();
            }
            for (a, b, label) in tags_to_spans(&s.tags) {
                let end = starts[b - 1] + s.tokens[b - 1].chars().count();
                spans.push(Span {
                    span: CharSpan {
                        start: CharIdx(starts[a]),
                        end: CharIdx(end),
                    },
                    label,
                    origin: Origin::Manual,
                    note: String::new(),
                });
            }
            text.push('\n');
            chars += 1;
        }
        out.push(ImportedDoc {
            name: format!("{name}-{:04}", k + 1),
            title: crate::store::import::title_of(&text, &format!("{name} document {}", k + 1)),
            source: format!("{} document {}", path.display(), k + 1),
            text,
            spans,
            ..Default::default()
        });
    }
    Ok(out)
}

/// Export documents as CoNLL with `-DOCSTART-` breaks; spans off token boundaries go to `loss`.
pub fn write(docs: &[Document], scheme: Scheme, loss: &mut Loss) -> String {
    let mut out = String::new();
    loss.notes.push("CoNLL keeps tokens, not the whitespace between them: texts come back with single spaces and line breaks".into());
    for d in docs {
        out.push_str("-DOCSTART- O\n\n");
        let a = crate::extract::Analysis::new(d.text());
        // Sentences, merged where an entity crosses a sentence boundary (`ST. LOUIS`).
        let mut ranges = a.sentence_token_ranges();
        for sp in d.spans() {
            if let (Some(x), Some(y)) = (
                a.token_starting_at(sp.span.start),
                a.token_ending_at(sp.span.end),
            ) {
                let find =
                    |r: &[(usize, usize)], t: usize| r.iter().position(|&(s, e)| s <= t && t < e);
                if let (Some(sx), Some(sy)) = (find(&ranges, x), find(&ranges, y)) {
                    if sx < sy {
                        let merged = (ranges[sx].0, ranges[sy].1);
                        ranges.splice(sx..=sy, [merged]);
                    }
                }
            }
        }
        let sentence_of = |tok: usize| ranges.iter().position(|&(s, e)| s <= tok && tok < e);
        // Every span either goes to one sentence as token indices, or is reported.
        let mut placed: Vec<(usize, usize, usize, String)> = Vec::new();
        for sp in d.spans() {
            match (
                a.token_starting_at(sp.span.start),
                a.token_ending_at(sp.span.end),
            ) {
                (Some(x), Some(y)) => match (sentence_of(x), sentence_of(y)) {
                    (Some(sx), Some(sy)) if sx == sy => placed.push((sx, x, y, sp.label.clone())),
                    _ => loss.lose(d, sp.span, &sp.label, "crosses a sentence boundary"),
                },
                _ => loss.lose(
                    d,
                    sp.span,
                    &sp.label,
                    "does not start and end on token boundaries",
                ),
            }
        }
        for (k, &(s, e)) in ranges.iter().enumerate() {
            let toks: Vec<String> = (s..e).map(|i| a.token_text(i)).collect();
            let spans: Vec<(usize, usize, String)> = placed
                .iter()
                .filter(|p| p.0 == k)
                .map(|p| (p.1 - s, p.2 + 1 - s, p.3.clone()))
                .collect();
            for (t, tag) in toks.iter().zip(spans_to_tags(toks.len(), &spans, scheme)) {
                // A token with inner whitespace cannot be written on a CoNLL line.
                out.push_str(&t.replace(char::is_whitespace, "_"));
                out.push(' ');
                out.push_str(&tag);
                out.push('\n');
            }
            out.push('\n');
        }
    }
    out
}
