//! A text prepared once for all recognizers: chars, tokens, sentences and the offset index.

use crate::text::{sentences, tokenize, CharIdx, CharSpan, TextIndex, Token};

pub struct Analysis<'t> {
    pub text: &'t str,
    pub chars: Vec<char>,
    pub tokens: Vec<Token>,
    pub sentences: Vec<CharSpan>,
    pub index: TextIndex,
}

impl<'t> Analysis<'t> {
    pub fn new(text: &'t str) -> Analysis<'t> {
        let chars: Vec<char> = text.chars().collect();
        let tokens = tokenize::tokenize_chars(&chars);
        let sentences = sentences::split_tokens(&chars, &tokens);
        Analysis {
            text,
            index: TextIndex::new(text),
            chars,
            tokens,
            sentences,
        }
    }

    /// The text of token `i` as a `String` (empty when out of range).
    pub fn token_text(&self, i: usize) -> String {
        self.tokens
            .get(i)
            .map(|t| self.span_text(t.span))
            .unwrap_or_default()
    }

    pub fn span_text(&self, span: CharSpan) -> String {
        self.chars
            .get(span.start.0..span.end.0)
            .map(|c| c.iter().collect())
            .unwrap_or_default()
    }

    /// Index of the token starting exactly at `c`.
    pub fn token_starting_at(&self, c: CharIdx) -> Option<usize> {
        self.tokens.binary_search_by(|t| t.span.start.cmp(&c)).ok()
    }

    /// Index of the token ending exactly at `c`.
    pub fn token_ending_at(&self, c: CharIdx) -> Option<usize> {
        self.tokens.binary_search_by(|t| t.span.end.cmp(&c)).ok()
    }

    /// True when `span` starts at a token start and ends at a token end.
    pub fn is_token_aligned(&self, span: CharSpan) -> bool {
        self.token_starting_at(span.start).is_some() && self.token_ending_at(span.end).is_some()
    }

    /// Char span of a byte range of the text (`None` unless on char boundaries).
    pub fn char_span(&self, bytes: std::ops::Range<usize>) -> Option<CharSpan> {
        self.index.char_span(self.text, bytes)
    }

    /// True when the whitespace between tokens `i` and `i+1` contains a line break.
    pub fn line_break_after(&self, i: usize) -> bool {
        match (self.tokens.get(i), self.tokens.get(i + 1)) {
            (Some(a), Some(b)) => self.chars[a.span.end.0..b.span.start.0].contains(&'\n'),
            _ => true,
        }
    }

    /// Token index ranges `[first, last + 1)` of the sentences (sentences without tokens skipped).
    pub fn sentence_token_ranges(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::with_capacity(self.sentences.len());
        let mut k = 0;
        for s in &self.sentences {
            let start = k;
            while k < self.tokens.len() && self.tokens[k].span.end <= s.end {
                k += 1;
            }
            if k > start {
                out.push((start, k));
            }
        }
        out
    }
}
