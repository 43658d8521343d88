//! Why a document (or the tokens it was imported with) breaks an invariant of the model.
//!
//! Units: spans are char spans (Unicode code points, end-exclusive), shown as `start..end`. Each
//! message is one sentence about the document; the caller adds the file it came from.

use crate::text::CharSpan;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InvariantError {
    /// `what` is "span" or "suggestion".
    #[error("{what} {span} is empty or outside the text ({char_len} chars)")]
    OutsideText {
        what: &'static str,
        span: CharSpan,
        char_len: usize,
    },
    #[error("spans {first} and {second} are duplicated or out of order")]
    SpansOutOfOrder { first: CharSpan, second: CharSpan },
    #[error("span {0} overlaps another span")]
    Overlap(CharSpan),
    #[error("suggestion {span} has score {score} outside [0, 1]")]
    BadScore { span: CharSpan, score: f32 },
    #[error("suggestion {0} is duplicated or out of order")]
    SuggestionOutOfOrder(CharSpan),
    #[error("token {index} at {span} is empty, out of order or outside the text")]
    BadToken { index: usize, span: CharSpan },
    #[error("the sentence starts are not ascending token indices from 0")]
    BadSentenceStarts,
    #[error("a token column holds a line break")]
    LineBreak,
}
