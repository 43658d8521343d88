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
    /// Binary search: the spans are sorted, so only the tokens around `r` are looked at.
    pub fn snap(&self, r: CharSpan) -> CharSpan {
        let touches = |t: &CharSpan| t.overlaps(r) || (r.is_empty() && t.contains(r.start));
        // Tokens before `lo` end at or before `r.start`; from `hi` on they start after `r`.
        let lo = self.spans.partition_point(|t| t.end <= r.start);
        let hi = self
            .spans
            .partition_point(|t| t.start < r.end || (r.is_empty() && t.start <= r.start));
        let near = self.spans.get(lo..hi.max(lo)).unwrap_or_default();
        match (
            near.iter().find(|t| touches(t)),
            near.iter().rfind(|t| touches(t)),
        ) {
            (Some(a), Some(b)) => CharSpan {
                start: a.start,
                end: b.end,
            },
            _ => r,
        }
    }

    /// The token containing char `c`.
    pub fn at(&self, c: usize) -> Option<CharSpan> {
        let i = self.spans.partition_point(|t| t.end.0 <= c);
        self.spans
            .get(i)
            .filter(|t| t.contains(CharIdx(c)))
            .copied()
    }

    /// Move a span's start (`end == false`) or end by one token left (`dir < 0`) or right.
    /// Returns `None` when the move would leave the text or make the span empty.
    pub fn move_boundary(&self, span: CharSpan, end: bool, dir: i32) -> Option<CharSpan> {
        let s = &self.spans;
        if end {
            let new_end = if dir > 0 {
                s.get(s.partition_point(|t| t.end <= span.end))?.end
            } else {
                s.get(s.partition_point(|t| t.end < span.end).checked_sub(1)?)?
                    .end
            };
            (new_end > span.start).then_some(CharSpan {
                start: span.start,
                end: new_end,
            })
        } else {
            let new_start = if dir > 0 {
                s.get(s.partition_point(|t| t.start <= span.start))?.start
            } else {
                s.get(s.partition_point(|t| t.start < span.start).checked_sub(1)?)?
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

    /// The first versions walked every token; the binary searches must agree with them.
    fn walk_snap(t: &Tokens, r: CharSpan) -> CharSpan {
        let inside: Vec<&CharSpan> = t
            .spans
            .iter()
            .filter(|s| s.overlaps(r) || (r.is_empty() && s.contains(r.start)))
            .collect();
        match (inside.first(), inside.last()) {
            (Some(a), Some(b)) => CharSpan {
                start: a.start,
                end: b.end,
            },
            _ => r,
        }
    }

    #[test]
    fn binary_searches_agree_with_a_walk_over_every_token() {
        let text = " “Xi”  said:\tCCTV — 汪文斌 👍🏽 met José…\r\nin Paris ";
        let t = Tokens::new(text);
        let n = text.chars().count();
        for a in 0..=n + 1 {
            let walk_at = t.spans.iter().find(|s| s.contains(CharIdx(a))).copied();
            assert_eq!(t.at(a), walk_at, "at {a}");
            for b in a..=n + 1 {
                let r = CharSpan {
                    start: CharIdx(a),
                    end: CharIdx(b),
                };
                assert_eq!(t.snap(r), walk_snap(&t, r), "snap {a}..{b}");
                for (end, dir) in [(true, 1), (true, -1), (false, 1), (false, -1)] {
                    let walk = walk_move(&t, r, end, dir);
                    assert_eq!(t.move_boundary(r, end, dir), walk, "{a}..{b} {end} {dir}");
                }
            }
        }
    }

    fn walk_move(t: &Tokens, span: CharSpan, end: bool, dir: i32) -> Option<CharSpan> {
        let s = &t.spans;
        if end {
            let e = if dir > 0 {
                s.iter().find(|x| x.end > span.end)?.end
            } else {
                s.iter().rev().find(|x| x.end < span.end)?.end
            };
            (e > span.start).then_some(CharSpan {
                start: span.start,
                end: e,
            })
        } else {
            let st = if dir > 0 {
                s.iter().find(|x| x.start > span.start)?.start
            } else {
                s.iter().rev().find(|x| x.start < span.start)?.start
            };
            (st < span.end).then_some(CharSpan {
                start: st,
                end: span.end,
            })
        }
    }
}
