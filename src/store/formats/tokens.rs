//! The tokens and sentences a document is exported with, shared by the token formats (CoNLL,
//! Hugging Face, spaCy DocBin).
//!
//! A document imported from CoNLL exports the tokens, sentence breaks and extra columns it came
//! with ([`crate::model::SourceTokens`]). Any other document is tokenized by Tagwright's tokenizer
//! (which never splits a grapheme cluster: flags, emoji with modifiers, combining marks stay whole;
//! a run of CJK ideographs is one token, split where a confirmed entity starts or ends inside it),
//! and its sentences are merged where a confirmed entity crosses a sentence boundary
//! (`ST. LOUIS`). Of overlapping entities (projects that allow overlap) the one that starts first,
//! and of those the longest, is written; the others are reported. Each confirmed entity is placed on token indices of
//! one sentence, or reported in the [`Loss`] with the reason; entities are never moved.

use super::Loss;
use crate::model::Document;
use crate::text::{CharIdx, CharSpan, Token};

/// One sentence, ready to be written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sentence<'d> {
    pub tokens: Vec<CharSpan>,
    /// The raw columns between each token and its tag, for documents imported from CoNLL
    /// (empty otherwise).
    pub columns: Vec<&'d str>,
    /// Entities as token index ranges `[start, end)` of this sentence, sorted.
    pub entities: Vec<(usize, usize, String)>,
}

/// The sentences of `d`, with its confirmed entities placed on them.
pub fn sentences<'d>(d: &'d Document, loss: &mut Loss) -> Vec<Sentence<'d>> {
    let mut out: Vec<Sentence<'d>> = match d.source_tokens() {
        Some(src) => src
            .sentences()
            .map(|s| Sentence {
                tokens: s.iter().map(|t| t.span).collect(),
                columns: s.iter().map(|t| t.columns.as_str()).collect(),
                entities: Vec::new(),
            })
            .collect(),
        None => tokenized(d),
    };
    // Token index of each sentence's first token, for placing entities by binary search.
    let mut first = Vec::with_capacity(out.len());
    let mut all: Vec<CharSpan> = Vec::new();
    for s in &out {
        first.push(all.len());
        all.extend(&s.tokens);
    }
    let sentence_of = |tok: usize| first.partition_point(|&f| f <= tok).saturating_sub(1);
    let lost_before = loss.spans;
    for sp in d.spans() {
        let start = all.binary_search_by(|t| t.start.cmp(&sp.span.start)).ok();
        let end = all.binary_search_by(|t| t.end.cmp(&sp.span.end)).ok();
        let (Some(x), Some(y)) = (start, end) else {
            loss.lose(
                d,
                sp.span,
                &sp.label,
                "does not start and end on token boundaries",
            );
            continue;
        };
        let (sx, sy) = (sentence_of(x), sentence_of(y));
        if sx != sy {
            loss.lose(d, sp.span, &sp.label, "crosses a sentence boundary");
            continue;
        }
        out[sx]
            .entities
            .push((x - first[sx], y + 1 - first[sx], sp.label.clone()));
    }
    for s in &mut out {
        // Token formats hold one entity per token: of overlapping entities the one that starts
        // first, and of those the longest, is kept.
        s.entities
            .sort_by(|a, b| (a.0, b.1, &a.2).cmp(&(b.0, a.1, &b.2)));
        let mut end = 0;
        s.entities.retain(|e| {
            let fits = e.0 >= end;
            end = end.max(e.1);
            fits
        });
    }
    let placed: usize = out.iter().map(|s| s.entities.len()).sum();
    let aligned = d.spans().len() - (loss.spans - lost_before);
    if placed < aligned {
        loss.notes.push(format!(
            "{}: {} entities overlap another entity and were left out (a token holds one entity)",
            d.id,
            aligned - placed
        ));
    }
    out
}

/// Tagwright's tokens and sentences, with sentences merged where an entity crosses them.
fn tokenized(d: &Document) -> Vec<Sentence<'static>> {
    let chars: Vec<char> = d.text().chars().collect();
    let tokens = split_cjk_at_entities(d, &chars, crate::text::tokenize::tokenize_chars(&chars));
    let sentence_spans = crate::text::sentences::split_tokens(&chars, &tokens);
    // Token index ranges of the sentences (sentences without tokens skipped).
    let mut ranges: Vec<(usize, usize)> = Vec::with_capacity(sentence_spans.len());
    let mut k = 0;
    for s in &sentence_spans {
        let start = k;
        while k < tokens.len() && tokens[k].span.end <= s.end {
            k += 1;
        }
        if k > start {
            ranges.push((start, k));
        }
    }
    let find = |ranges: &[(usize, usize)], c: CharIdx, by_end: bool| {
        let t = if by_end {
            tokens.binary_search_by(|t| t.span.end.cmp(&c)).ok()?
        } else {
            tokens.binary_search_by(|t| t.span.start.cmp(&c)).ok()?
        };
        ranges.iter().position(|&(s, e)| s <= t && t < e)
    };
    for sp in d.spans() {
        if let (Some(sx), Some(sy)) = (
            find(&ranges, sp.span.start, false),
            find(&ranges, sp.span.end, true),
        ) {
            if sx < sy {
                let merged = (ranges[sx].0, ranges[sy].1);
                ranges.splice(sx..=sy, [merged]);
            }
        }
    }
    ranges
        .into_iter()
        .map(|(s, e)| Sentence {
            tokens: tokens[s..e].iter().map(|t| t.span).collect(),
            ..Sentence::default()
        })
        .collect()
}

/// Split runs of CJK characters (one token for the tokenizer) where a confirmed entity starts or
/// ends inside them, so that an entity such as 习近平 in 习近平与普京通话 is exported, not lost.
fn split_cjk_at_entities(d: &Document, chars: &[char], tokens: Vec<Token>) -> Vec<Token> {
    use crate::text::tokenize::is_cjk;
    let mut edges: Vec<usize> = d
        .spans()
        .iter()
        .flat_map(|s| [s.span.start.0, s.span.end.0])
        .filter(|&i| i > 0 && i < chars.len() && is_cjk(chars[i - 1]) && is_cjk(chars[i]))
        .collect();
    if edges.is_empty() {
        return tokens;
    }
    edges.sort_unstable();
    edges.dedup();
    let mut out = Vec::with_capacity(tokens.len() + edges.len());
    for t in tokens {
        let mut start = t.span.start.0;
        let inside = edges.partition_point(|&e| e <= start);
        for &e in edges[inside..].iter().take_while(|&&e| e < t.span.end.0) {
            out.push(Token {
                span: CharSpan {
                    start: CharIdx(start),
                    end: CharIdx(e),
                },
                kind: t.kind,
            });
            start = e;
        }
        out.push(Token {
            span: CharSpan {
                start: CharIdx(start),
                end: t.span.end,
            },
            kind: t.kind,
        });
    }
    out
}

/// The text of a token, with inner whitespace (which a token line cannot hold) as `_`.
pub fn token_text(d: &Document, span: CharSpan) -> String {
    d.slice(span)
        .unwrap_or_default()
        .replace(char::is_whitespace, "_")
}
