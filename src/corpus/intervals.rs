//! Offset helpers shared by search, plans and the consistency checker.
//!
//! Units: [`Intervals`] holds char (or, with `from_ranges`, byte) ranges, end-exclusive, sorted by
//! start; [`Cursor`] turns increasing byte offsets of one text into char offsets.

use crate::text::CharSpan;

/// Converts increasing byte offsets of one text to char offsets in one forward walk.
#[derive(Default)]
pub(super) struct Cursor {
    byte: usize,
    char: usize,
}

impl Cursor {
    /// Char offset of byte `b` (a char boundary). Offsets must not decrease between calls.
    pub(super) fn char_at(&mut self, text: &str, b: usize) -> usize {
        if b >= self.byte {
            self.char += text[self.byte..b].chars().count();
        } else {
            // Not expected; stay correct anyway.
            self.char -= text[b..self.byte].chars().count();
        }
        self.byte = b;
        self.char
    }
}

/// Spans sorted by start, with the running maximum of their ends, for overlap queries in
/// O(log n + k) even when spans nest or overlap.
pub(super) struct Intervals {
    spans: Vec<(usize, usize)>,
    max_end: Vec<usize>,
}

impl Intervals {
    /// `spans` must be sorted by start (document lists are).
    pub(super) fn new(spans: impl Iterator<Item = CharSpan>) -> Intervals {
        Intervals::from_ranges(spans.map(|s| (s.start.0, s.end.0)))
    }

    pub(super) fn from_ranges(ranges: impl Iterator<Item = (usize, usize)>) -> Intervals {
        let spans: Vec<(usize, usize)> = ranges.collect();
        debug_assert!(spans.windows(2).all(|w| w[0].0 <= w[1].0));
        let mut max_end = Vec::with_capacity(spans.len());
        let mut m = 0;
        for &(_, e) in &spans {
            m = m.max(e);
            max_end.push(m);
        }
        Intervals { spans, max_end }
    }

    /// Indices (in reverse order) of the intervals sharing at least one unit with `span`.
    pub(super) fn overlapping(&self, span: CharSpan) -> impl Iterator<Item = usize> + '_ {
        self.overlapping_range(span.start.0, span.end.0)
    }

    pub(super) fn overlapping_range(
        &self,
        start: usize,
        end: usize,
    ) -> impl Iterator<Item = usize> + '_ {
        let p = self.spans.partition_point(|&(s, _)| s < end);
        (0..p)
            .rev()
            .take_while(move |&i| self.max_end[i] > start)
            .filter(move |&i| self.spans[i].1 > start)
    }
}
