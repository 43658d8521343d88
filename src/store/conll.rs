//! CoNLL reading.
//!
//! Files: one token per line with the tag in the last column (`token POS chunk NER` or
//! `token NER`), a blank line between sentences, `-DOCSTART-` lines between documents. The tags
//! are read with [`crate::model::tags_to_spans`] (IOB1, IOB2, BILOU, BIOES).

use crate::model::parse_tag;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_conll_with_docs_and_errors() {
        let text = "-DOCSTART- -X- -X- O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\nPeter I-PER\n-DOCSTART- -X- O\n\nBonn B-LOC\n";
        let docs = parse_conll(text, Path::new("x")).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(docs[0].sentences[0].tags, vec!["I-ORG", "O"]);
        let e = parse_conll("EU X-ORG\n", Path::new("f.conll")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "f.conll:1: \"X-ORG\" is not a tag (O, B-X, I-X, L-X, U-X, E-X or S-X)"
        );
    }
}
