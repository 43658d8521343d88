//! CoNLL import and export, lossless for documents that came from CoNLL.
//!
//! Import: tokens are joined with single spaces and sentences with line breaks to make the text;
//! documents come from `-DOCSTART-` breaks. The tokens, sentence breaks, extra columns (POS, chunk)
//! and `-DOCSTART-` lines are kept with the document ([`crate::model::SourceTokens`]), so an export
//! writes the same lines again: a CoNLL-2003 file exported with `--scheme iob1` is byte-identical
//! to the file imported. Other documents are written with Tagwright's tokenizer (see
//! [`super::tokens`]); a span off token boundaries cannot be written and is reported by name
//! (never moved); whitespace is not kept by the format.

use super::tokens::{sentences, token_text};
use super::{ImportedDoc, Loss};
use crate::model::{
    spans_to_tags, tags_to_spans, Document, Origin, Scheme, SourceToken, SourceTokens, Span,
};
use crate::store::conll::{parse_conll, ConllDoc};
use crate::store::import::ImportError;
use crate::text::{CharIdx, CharSpan};
use std::path::Path;

/// The `-DOCSTART-` line written in front of documents that did not come from CoNLL.
const DOCSTART: &str = "-DOCSTART- -X- -X- O";

pub fn read(text: &str, path: &Path, name: &str) -> Result<Vec<ImportedDoc>, ImportError> {
    let docs = parse_conll(text, path).map_err(|e| match e {
        crate::store::conll::ConllError::Bad { path, line, msg } => {
            ImportError::Bad { path, line, msg }
        }
        crate::store::conll::ConllError::Io { path, source } => ImportError::Io { path, source },
        crate::store::conll::ConllError::Read(e) => ImportError::Read(e),
    })?;
    Ok(docs
        .into_iter()
        .enumerate()
        .map(|(k, d)| to_imported(d, path, name, k + 1))
        .collect())
}

fn to_imported(d: ConllDoc, path: &Path, name: &str, number: usize) -> ImportedDoc {
    let mut text = String::new();
    let mut chars = 0usize;
    let mut spans = Vec::new();
    let mut layer = SourceTokens {
        docstart: d.docstart,
        trailer: d.trailer,
        ..SourceTokens::default()
    };
    for s in &d.sentences {
        let first = layer.tokens.len();
        layer.sentence_starts.push(first);
        for (i, (t, columns)) in s.tokens.iter().zip(&s.columns).enumerate() {
            if i > 0 {
                text.push(' ');
                chars += 1;
            }
            let len = t.chars().count();
            layer.tokens.push(SourceToken {
                span: CharSpan {
                    start: CharIdx(chars),
                    end: CharIdx(chars + len),
                },
                columns: columns.clone(),
            });
            text.push_str(t);
            chars += len;
        }
        for (a, b, label) in tags_to_spans(&s.tags) {
            spans.push(Span {
                span: CharSpan {
                    start: layer.tokens[first + a].span.start,
                    end: layer.tokens[first + b - 1].span.end,
                },
                label,
                origin: Origin::Manual,
                note: String::new(),
            });
        }
        text.push('\n');
        chars += 1;
    }
    ImportedDoc {
        name: format!("{name}-{number:04}"),
        title: crate::store::import::title_of(&text, &format!("{name} document {number}")),
        source: format!("{} document {number}", path.display()),
        text,
        spans,
        tokens: Some(layer),
        ..Default::default()
    }
}

/// Export documents as CoNLL; spans that cannot be written go to `loss`.
pub fn write(docs: &[Document], scheme: Scheme, loss: &mut Loss) -> String {
    let mut out = String::new();
    if docs.iter().any(|d| d.source_tokens().is_none()) {
        loss.notes.push("CoNLL keeps tokens, not the whitespace between them: texts come back with single spaces and line breaks".into());
    }
    for (k, d) in docs.iter().enumerate() {
        let src = d.source_tokens();
        match src.and_then(|s| s.docstart.as_deref()) {
            Some(line) => out.push_str(line),
            // A document without its own -DOCSTART- keeps it off only at the start of the file,
            // where nothing can merge it with a document before it.
            None if k == 0 && src.is_some() => {}
            None => out.push_str(DOCSTART),
        }
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str("\n\n");
        }
        for s in sentences(d, loss) {
            let tags = spans_to_tags(s.tokens.len(), &s.entities, scheme);
            for (i, (span, tag)) in s.tokens.iter().zip(tags).enumerate() {
                out.push_str(&token_text(d, *span));
                out.push_str(s.columns.get(i).copied().unwrap_or(" "));
                out.push_str(&tag);
                out.push('\n');
            }
            out.push('\n');
        }
        if let Some(line) = src.and_then(|s| s.trailer.as_deref()) {
            // Only at the end of the file, as it was read (with or without a final line break).
            if k + 1 == docs.len() {
                out.push_str(line);
            }
        }
    }
    out
}
