//! The tokens a document was imported with (from CoNLL), kept so that exporting it again writes
//! exactly those tokens, sentence breaks and extra columns (POS, chunk) instead of re-tokenizing.
//!
//! Invariants (checked by [`SourceTokens::check`] whenever a document gets them): token spans are
//! code point spans into the document's text, non-empty, sorted and non-overlapping; sentence
//! starts are ascending token indices beginning at 0; no stored string holds a line break (but
//! the trailer's final one). The
//! text never changes, so neither do its tokens: edits to spans leave them alone.

use super::InvariantError;
use crate::text::CharSpan;

/// One token: where it is in the text, and the raw text between it and its tag on its CoNLL
/// line (`" NNP B-NP "` for `Qorvath NNP B-NP B-PER`; `" "` when there are no extra columns).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceToken {
    pub span: CharSpan,
    pub columns: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceTokens {
    pub tokens: Vec<SourceToken>,
    /// Index of the first token of each sentence.
    pub sentence_starts: Vec<usize>,
    /// The `-DOCSTART-` line in front of the document, when the file had one.
    pub docstart: Option<String>,
    /// A `-DOCSTART-` line after the document that ended the file (CoNLL-2003 puts one there),
    /// with its final `\n` when the file had one.
    pub trailer: Option<String>,
}

impl SourceTokens {
    /// Check the invariants against a text of `char_len` code points.
    pub fn check(&self, char_len: usize) -> Result<(), InvariantError> {
        let mut prev_end = 0;
        for (k, t) in self.tokens.iter().enumerate() {
            if t.span.is_empty() || t.span.start.0 < prev_end || t.span.end.0 > char_len {
                return Err(InvariantError::BadToken {
                    index: k,
                    span: t.span,
                });
            }
            prev_end = t.span.end.0;
        }
        let starts_ok = self.sentence_starts.first().is_none_or(|&s| s == 0)
            && self.sentence_starts.windows(2).all(|w| w[0] < w[1])
            && self
                .sentence_starts
                .last()
                .is_none_or(|&s| s < self.tokens.len());
        if !starts_ok || (self.sentence_starts.is_empty() && !self.tokens.is_empty()) {
            return Err(InvariantError::BadSentenceStarts);
        }
        let strings = self.tokens.iter().map(|t| t.columns.as_str());
        let trailer = self
            .trailer
            .as_deref()
            .map(|t| t.strip_suffix('\n').unwrap_or(t));
        let lines = self.docstart.as_deref().into_iter().chain(trailer);
        if strings.chain(lines).any(|s| s.contains(['\n', '\r'])) {
            return Err(InvariantError::LineBreak);
        }
        Ok(())
    }

    /// The tokens of each sentence, in order.
    pub fn sentences(&self) -> impl Iterator<Item = &[SourceToken]> {
        let ends = self
            .sentence_starts
            .iter()
            .skip(1)
            .copied()
            .chain(std::iter::once(self.tokens.len()));
        self.sentence_starts
            .iter()
            .zip(ends)
            .map(|(&s, e)| self.tokens.get(s..e).unwrap_or(&[]))
    }
}
