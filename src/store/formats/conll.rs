//! CoNLL files: reading them (for import and for training), and import and export of documents,
//! lossless for documents that came from CoNLL.
//!
//! Files: one token per line with the tag in the last column (`token POS chunk NER` or
//! `token NER`), a blank line between sentences, `-DOCSTART-` lines between documents. The tags
//! are read with [`crate::model::tags_to_spans`] (IOB1, IOB2, BILOU, BIOES) and written with
//! [`crate::model::spans_to_tags`] in the chosen [`Scheme`]. In [`ConllDoc`] spans are token
//! index ranges; in documents they are char offsets (Unicode code points, end-exclusive).
//!
//! Import: tokens are joined with single spaces and sentences with line breaks to make the text;
//! documents come from `-DOCSTART-` breaks. The tokens, sentence breaks, extra columns (POS, chunk)
//! and `-DOCSTART-` lines are kept with the document ([`crate::model::SourceTokens`]), so an export
//! writes the same lines again: a CoNLL-2003 file exported with `--scheme iob1` is byte-identical
//! to the file imported. Other documents are written with Tagwright's tokenizer (see
//! [`super::tokens`]); a span off token boundaries cannot be written and is reported by name
//! (never moved); whitespace is not kept by the format.
//!
//! Like all of `store`, this never imports `extract`: the tagger trains from neutral
//! [`TaggedSentence`]s, which [`tagged_docs`] makes from what was read here.

use super::tokens::{sentences, token_text};
use super::{ImportedDoc, Loss};
use crate::model::{
    parse_tag, spans_to_tags, tags_to_spans, Document, Origin, Scheme, SourceToken, SourceTokens,
    Span, TaggedSentence,
};
use crate::store::import::ImportError;
use crate::text::{CharIdx, CharSpan};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConllSentence {
    pub tokens: Vec<String>,
    /// The raw tag column.
    pub tags: Vec<String>,
    /// The raw text between each token and its tag (`" NNP I-NP "`), to write lines back as read.
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConllDoc {
    pub sentences: Vec<ConllSentence>,
    /// The `-DOCSTART-` line in front of the document, as read.
    pub docstart: Option<String>,
    /// A `-DOCSTART-` line after the last document, with nothing after it (CoNLL-2003's files end
    /// so), and its `\n` when the file ends with one.
    pub trailer: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConllError {
    #[error(transparent)]
    Read(#[from] crate::bounded::BoundedError),
    #[error("could not read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}: {msg}", path.display())]
    Bad {
        path: PathBuf,
        line: usize,
        msg: String,
    },
}

impl ConllDoc {
    /// The sentences as tokens and tags only (the columns and `-DOCSTART-` lines are dropped).
    pub fn into_tagged(self) -> Vec<TaggedSentence> {
        self.sentences
            .into_iter()
            .map(|s| TaggedSentence {
                tokens: s.tokens,
                tags: s.tags,
            })
            .collect()
    }
}

/// Documents as read, as the neutral tagged sentences the tagger trains and is scored on.
pub fn tagged_docs(docs: Vec<ConllDoc>) -> Vec<Vec<TaggedSentence>> {
    docs.into_iter().map(ConllDoc::into_tagged).collect()
}

/// Read a CoNLL file into documents of sentences.
pub fn read_conll(path: &Path) -> Result<Vec<ConllDoc>, ConllError> {
    let bytes = crate::bounded::read(path, crate::store::MAX_FILE_BYTES)?;
    let text = std::str::from_utf8(&bytes).map_err(|e| ConllError::Bad {
        path: path.to_path_buf(),
        line: bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1,
        msg: "is not valid UTF-8".into(),
    })?;
    parse_conll(text, path)
}

/// Parse CoNLL text (`path` is only for messages).
pub fn parse_conll(text: &str, path: &Path) -> Result<Vec<ConllDoc>, ConllError> {
    let mut docs: Vec<ConllDoc> = Vec::new();
    let mut cur = ConllDoc::default();
    let mut sent = ConllSentence::default();
    let flush_sent = |cur: &mut ConllDoc, sent: &mut ConllSentence| {
        if !sent.tokens.is_empty() {
            cur.sentences.push(std::mem::take(sent));
        }
    };
    for (n, line) in crate::store::import::split_lines(text).enumerate() {
        if line.trim().is_empty() {
            flush_sent(&mut cur, &mut sent);
            continue;
        }
        if line.starts_with("-DOCSTART-") {
            flush_sent(&mut cur, &mut sent);
            if !cur.sentences.is_empty() {
                docs.push(std::mem::take(&mut cur));
            }
            cur.docstart = Some(line.to_string());
            continue;
        }
        let (token, columns, tag) = split_line(line).ok_or_else(|| ConllError::Bad {
            path: path.to_path_buf(),
            line: n + 1,
            msg: format!("expected a token and a tag, found {line:?}"),
        })?;
        if parse_tag(tag).is_none() {
            return Err(ConllError::Bad {
                path: path.to_path_buf(),
                line: n + 1,
                msg: format!("{tag:?} is not a tag (O, B-X, I-X, L-X, U-X, E-X or S-X)"),
            });
        }
        sent.tokens.push(token.to_string());
        sent.columns.push(columns.to_string());
        sent.tags.push(tag.to_string());
    }
    flush_sent(&mut cur, &mut sent);
    if !cur.sentences.is_empty() {
        docs.push(cur);
    } else if let (Some(mut line), Some(last)) = (cur.docstart, docs.last_mut()) {
        // Kept with its line break only if the file had one (CoNLL-2003's train.txt has not).
        if text.ends_with('\n') {
            line.push('\n');
        }
        last.trailer = Some(line);
    }
    Ok(docs)
}

/// `(token, the raw text between token and tag, tag)` of a line with at least two columns
/// separated by spaces or tabs.
fn split_line(line: &str) -> Option<(&str, &str, &str)> {
    let body = line.trim_matches([' ', '\t']);
    let token_end = body.find([' ', '\t'])?;
    let tag_start = body.rfind([' ', '\t'])? + 1;
    let rest = body[..tag_start].trim_end_matches([' ', '\t']);
    let tag = &body[tag_start..];
    if tag.is_empty() || rest.len() < token_end {
        return None;
    }
    Some((&body[..token_end], &body[token_end..tag_start], tag))
}

/// The `-DOCSTART-` line written in front of documents that did not come from CoNLL.
const DOCSTART: &str = "-DOCSTART- -X- -X- O";

pub fn read(text: &str, path: &Path, name: &str) -> Result<Vec<ImportedDoc>, ImportError> {
    let docs = parse_conll(text, path).map_err(|e| match e {
        ConllError::Bad { path, line, msg } => ImportError::Bad { path, line, msg },
        ConllError::Io { path, source } => ImportError::Io { path, source },
        ConllError::Read(e) => ImportError::Read(e),
    })?;
    Ok(imported(docs, path, name))
}

/// Documents as they are imported: their text rebuilt from the tokens (one space between tokens,
/// one line per sentence) and their entities as code-point spans of it; ids from `name`.
pub fn imported(docs: Vec<ConllDoc>, path: &Path, name: &str) -> Vec<ImportedDoc> {
    docs.into_iter()
        .enumerate()
        .map(|(k, d)| to_imported(d, path, name, k + 1))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_conll_with_docs_and_errors() {
        let text = "-DOCSTART- -X- -X- O\n\nQorvath NNP I-NP I-PER\nsold VBD I-VP O\n\nOstrel I-LOC\n-DOCSTART- -X- O\n\nBonn B-LOC\n";
        let docs = parse_conll(text, Path::new("x")).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(docs[0].sentences[0].tags, vec!["I-PER", "O"]);
        let e = parse_conll("Qorvath X-ORG\n", Path::new("f.conll")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "f.conll:1: \"X-ORG\" is not a tag (O, B-X, I-X, L-X, U-X, E-X or S-X)"
        );
    }
}
