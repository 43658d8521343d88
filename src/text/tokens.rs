//! A text's tokens as a lookup structure, for snapping a selection to whole tokens and moving a
//! span's boundary token by token.
//!
//! Units and invariants: every offset is a Unicode code point (char) offset, end-exclusive. The
//! token spans are sorted and never overlap (as [`tokenize`] returns them, or as a document's
//! source tokens are checked to be); nothing here panics on an offset outside the text.

use super::offsets::{CharIdx, CharSpan};
use super::tokenize::tokenize;

/// Token spans of one text (char offsets).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tokens {
    spans: Vec<CharSpan>,
}

impl Tokens {
    /// Tagwright's own tokens of `text`.
    pub fn new(text: &str) -> Tokens {
        Tokens::from_spans(tokenize(text).into_iter().map(|t| t.span).collect())
    }

    /// Tokens given as char spans, sorted and non-overlapping (e.g. those a document was imported
    /// with).
    pub fn from_spans(spans: Vec<CharSpan>) -> Tokens {
        Tokens { spans }
    }

    /// The token spans, in order.
    pub fn spans(&self) -> &[CharSpan] {
        &self.spans
    }

    /// Grow a char range to whole tokens (an empty or all-space range stays as it is).
    pub fn snap(&self, r: CharSpan) -> CharSpan {
        let inside: Vec<&CharSpan> = self
            .spans
            .iter()
            .filter(|t| t.overlaps(r) || (r.is_empty() && t.contains(r.start)))
            .collect();
        match (inside.first(), inside.last()) {
            (Some(a), Some(b)) => CharSpan {
                start: a.start,
                end: b.end,
            },
            _ => r,
        }
    }

    /// The token containing char `c`.
    pub fn at(&self, c: usize) -> Option<CharSpan> {
        self.spans.iter().find(|t| t.contains(CharIdx(c))).copied()
    }

    /// Move a span's start (`end == false`) or end by one token left (`dir < 0`) or right.
    /// Returns `None` when the move would leave the text or make the span empty.
    pub fn move_boundary(&self, span: CharSpan, end: bool, dir: i32) -> Option<CharSpan> {
        if end {
            let new_end = if dir > 0 {
                self.spans.iter().find(|t| t.end > span.end)?.end
            } else {
                self.spans.iter().rev().find(|t| t.end < span.end)?.end
            };
            (new_end > span.start).then_some(CharSpan {
                start: span.start,
                end: new_end,
            })
        } else {
            let new_start = if dir > 0 {
                self.spans.iter().find(|t| t.start > span.start)?.start
            } else {
                self.spans
                    .iter()
                    .rev()
                    .find(|t| t.start < span.start)?
                    .start
            };
            (new_start < span.end).then_some(CharSpan {
                start: new_start,
                end: span.end,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_snapping_and_boundaries() {
        let text = "Chinese President Xi Jinping said";
        let t = Tokens::new(text);
        let cs = |a, b| CharSpan::new(a, b).unwrap();
        assert_eq!(
            t.snap(cs(19, 22)),
            cs(18, 28),
            "“i J” snaps to “Xi Jinping”"
        );
        assert_eq!(t.move_boundary(cs(18, 28), false, -1), Some(cs(8, 28)));
        assert_eq!(t.move_boundary(cs(18, 28), true, 1), Some(cs(18, 33)));
        assert_eq!(t.move_boundary(cs(18, 20), true, -1), None);
        assert_eq!(t.at(19), Some(cs(18, 20)));
    }
}
