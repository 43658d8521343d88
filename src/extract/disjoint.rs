//! A set of non-overlapping, non-empty char spans, for choosing among overlapping candidates in
//! O(log n) per candidate (a scan of everything kept so far made suggestion quadratic in the
//! number of entities of an article).

use crate::text::CharSpan;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct Disjoint {
    /// start → end of each span (starts are distinct: the spans do not overlap).
    by_start: BTreeMap<usize, usize>,
}

impl Disjoint {
    /// True when `span` shares a char with a span of the set. Since the spans do not overlap,
    /// only the one starting last before `span` ends can reach into it.
    pub fn overlaps(&self, span: CharSpan) -> bool {
        !span.is_empty()
            && self
                .by_start
                .range(..span.end.0)
                .next_back()
                .is_some_and(|(_, &end)| end > span.start.0)
    }

    /// Add `span` when it is not empty and overlaps nothing; returns whether it was added.
    pub fn insert(&mut self, span: CharSpan) -> bool {
        let added = !span.is_empty() && !self.overlaps(span);
        if added {
            self.by_start.insert(span.start.0, span.end.0);
        }
        added
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_a_scan() {
        let mut set = Disjoint::default();
        let mut kept: Vec<CharSpan> = Vec::new();
        // A fixed pseudo-random sequence of spans.
        let mut x: u64 = 7;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let start = (x % 500) as usize;
            let span = CharSpan::new(start, start + (x >> 20) as usize % 9).unwrap();
            let scan = !span.is_empty() && !kept.iter().any(|k| k.overlaps(span));
            // An empty span marks nothing: it overlaps nothing here.
            let overlapping = !span.is_empty() && kept.iter().any(|k| k.overlaps(span));
            assert_eq!(set.overlaps(span), overlapping, "{span}");
            assert_eq!(set.insert(span), scan, "{span}");
            if scan {
                kept.push(span);
            }
        }
        assert!(kept.len() > 50);
    }
}
