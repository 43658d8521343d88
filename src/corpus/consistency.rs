//! The consistency checker: strings that are labelled differently across the project (with two
//! labels, or a label here and none there), and where.
//!
//! Units: places are char spans (Unicode code points, end-exclusive); place indices are the
//! document numbers given to [`consistency`]. Invariant: the per-label and unlabelled counts are
//! exact, only the list of places is capped ([`MAX_PLACES`]).

use super::intervals::{Cursor, Intervals};
use crate::model::Document;
use crate::text::tokenize::{is_cjk, is_mark};
use crate::text::{CharIdx, CharSpan, TextIndex};
use aho_corasick::AhoCorasick;
use std::borrow::Borrow;
use std::collections::HashMap;

/// At most this many places are kept per string by the consistency checker (counts stay exact).
pub const MAX_PLACES: usize = 500;
/// Confirmed spans longer than this (in chars) are not used as consistency-checker strings.
pub const MAX_SURFACE_CHARS: usize = 200;

/// A string that is annotated inconsistently across the project.
#[derive(Clone, Debug, PartialEq)]
pub struct Inconsistency {
    /// The surface text (exactly as in the documents).
    pub text: String,
    /// Confirmed occurrences per label, most frequent first (ties by label name).
    pub by_label: Vec<(String, usize)>,
    /// Occurrences at word boundaries that no confirmed span touches.
    pub unlabeled: usize,
    /// Where they are, by document then position; at most [`MAX_PLACES`].
    pub places: Vec<Place>,
}

impl Inconsistency {
    /// All occurrences, labelled or not.
    pub fn total(&self) -> usize {
        self.unlabeled + self.by_label.iter().map(|(_, n)| n).sum::<usize>()
    }
}

/// One occurrence of an inconsistent string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub doc: usize,
    pub span: CharSpan,
    /// The label of the confirmed span exactly there, `None` when unlabelled.
    pub label: Option<String>,
    /// A few characters of text before and after the place (whitespace runs shown as one space).
    pub left: String,
    pub right: String,
}

/// Characters of context kept on each side of a place.
const PLACE_CONTEXT: usize = 24;

/// Find strings that are annotated inconsistently, streaming the documents twice.
///
/// `load(i)` is called for `i in 0..n_docs`, twice (first pass: collect the text of every
/// confirmed span; second pass: find every occurrence of those strings); it may load documents
/// from disk one at a time, and returning `None` skips a document. `D` can be `&Document`,
/// `Document`, `Cow<Document>`, `Arc<Document>`... Place indices are the `i` given to `load`.
/// For progress reporting or cancelling, drive [`ConsistencyBuilder`] yourself.
///
/// Occurrences:
/// - a confirmed span counts for its label (whatever its edges);
/// - an occurrence of the text that touches no confirmed span, whose edges are not inside a word
///   (letters, digits and marks are word chars; CJK ideographs are not, since each is a word of
///   its own), is unlabelled. Among overlapping candidates the leftmost-longest wins, so "China"
///   inside an unlabelled "Bank of China" is not an unlabelled "China" when "Bank of China" is a
///   string;
/// - an occurrence overlapping a confirmed span of another range is skipped ("China" inside a
///   confirmed "Bank of China").
///
/// Reported: strings with at least two labels, or a label and an unlabelled occurrence; sorted by
/// total occurrences (descending), then text.
pub fn consistency<D: Borrow<Document>>(
    n_docs: usize,
    mut load: impl FnMut(usize) -> Option<D>,
) -> Vec<Inconsistency> {
    let mut b = ConsistencyBuilder::new();
    for i in 0..n_docs {
        if let Some(d) = load(i) {
            b.learn(d.borrow());
        }
    }
    if b.is_empty() {
        // Nothing is tagged anywhere: nothing can be inconsistent.
        return Vec::new();
    }
    let mut s = b.scanner();
    for i in 0..n_docs {
        if let Some(d) = load(i) {
            s.scan(i, d.borrow());
        }
    }
    s.finish()
}

/// First pass of [`consistency`]: collects the text of every confirmed span.
#[derive(Default)]
pub struct ConsistencyBuilder {
    ids: HashMap<String, u32>,
    texts: Vec<String>,
}

impl ConsistencyBuilder {
    pub fn new() -> ConsistencyBuilder {
        ConsistencyBuilder::default()
    }

    pub fn learn(&mut self, doc: &Document) {
        let text = doc.text();
        let idx = TextIndex::new(text);
        for s in doc.spans() {
            let Some(surface) = idx.slice(text, s.span) else {
                continue;
            };
            if surface.trim().is_empty()
                || s.span.len() > MAX_SURFACE_CHARS
                || self.ids.contains_key(surface)
            {
                continue;
            }
            self.ids
                .insert(surface.to_string(), self.texts.len() as u32);
            self.texts.push(surface.to_string());
        }
    }

    /// Number of distinct strings collected so far.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// End the first pass; build the matcher for the second.
    pub fn scanner(self) -> ConsistencyScanner {
        // Standard semantics: every occurrence of every string, overlapping ones included; the
        // scanner picks leftmost-longest among those at word boundaries itself.
        let ac = if self.texts.is_empty() {
            None
        } else {
            AhoCorasick::new(&self.texts).ok()
        };
        let tallies = (0..self.texts.len()).map(|_| Tally::default()).collect();
        ConsistencyScanner {
            ac,
            ids: self.ids,
            texts: self.texts,
            tallies,
            labels: Vec::new(),
            label_ids: HashMap::new(),
        }
    }
}

#[derive(Default)]
struct Tally {
    /// (label id, count)
    by_label: Vec<(u32, usize)>,
    unlabeled: usize,
    places: Vec<ListedPlace>,
}

/// (document, span, label id, (left context, right context)) of a place kept for the list.
type ListedPlace = (usize, CharSpan, Option<u32>, (String, String));

impl Tally {
    /// Count one place; `bytes` is its byte range in `text`, for the context of a listed place.
    fn push(
        &mut self,
        doc: usize,
        span: CharSpan,
        label: Option<u32>,
        text: &str,
        bytes: (usize, usize),
    ) {
        match label {
            Some(l) => match self.by_label.iter_mut().find(|(id, _)| *id == l) {
                Some((_, n)) => *n += 1,
                None => self.by_label.push((l, 1)),
            },
            None => self.unlabeled += 1,
        }
        if self.places.len() < MAX_PLACES {
            let context = (
                super::search::left_context(text, bytes.0, PLACE_CONTEXT),
                super::search::right_context(text, bytes.1, PLACE_CONTEXT),
            );
            self.places.push((doc, span, label, context));
        }
    }
}

/// Second pass of [`consistency`]: counts occurrences document by document.
pub struct ConsistencyScanner {
    ac: Option<AhoCorasick>,
    ids: HashMap<String, u32>,
    texts: Vec<String>,
    tallies: Vec<Tally>,
    labels: Vec<String>,
    label_ids: HashMap<String, u32>,
}

impl ConsistencyScanner {
    fn label_id(&mut self, label: &str) -> u32 {
        if let Some(&id) = self.label_ids.get(label) {
            return id;
        }
        let id = self.labels.len() as u32;
        self.labels.push(label.to_string());
        self.label_ids.insert(label.to_string(), id);
        id
    }

    /// Count the occurrences in document `doc_index`.
    pub fn scan(&mut self, doc_index: usize, doc: &Document) {
        let text = doc.text();
        let idx = TextIndex::new(text);
        let mut confirmed_bytes = Vec::with_capacity(doc.spans().len());
        for s in doc.spans() {
            let Some(r) = idx.byte_range(text, s.span) else {
                continue;
            };
            confirmed_bytes.push((r.start, r.end));
            if let Some(&pid) = self.ids.get(&text[r.clone()]) {
                let l = self.label_id(&s.label);
                self.tallies[pid as usize].push(doc_index, s.span, Some(l), text, (r.start, r.end));
            }
        }
        let Some(ac) = &self.ac else {
            return;
        };
        // Byte ranges are monotone in char ranges, so the order by start is kept.
        let confirmed = Intervals::from_ranges(confirmed_bytes.into_iter());
        let mut cands: Vec<(usize, usize, u32)> = ac
            .find_overlapping_iter(text)
            .filter(|m| at_word_edges(text, m.start(), m.end()))
            .filter(|m| {
                confirmed
                    .overlapping_range(m.start(), m.end())
                    .next()
                    .is_none()
            })
            .map(|m| (m.start(), m.end(), m.pattern().as_u32()))
            .collect();
        cands.sort_unstable_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
        let mut cursor = Cursor::default();
        let mut last_end = 0;
        for (s, e, pid) in cands {
            if s < last_end {
                continue;
            }
            last_end = e;
            let span = CharSpan {
                start: CharIdx(cursor.char_at(text, s)),
                end: CharIdx(cursor.char_at(text, e)),
            };
            self.tallies[pid as usize].push(doc_index, span, None, text, (s, e));
        }
    }

    /// The inconsistent strings, most frequent first.
    pub fn finish(self) -> Vec<Inconsistency> {
        let labels = self.labels;
        let mut out: Vec<Inconsistency> = self
            .tallies
            .into_iter()
            .zip(self.texts)
            .filter(|(t, _)| t.by_label.len() >= 2 || (!t.by_label.is_empty() && t.unlabeled > 0))
            .map(|(t, text)| {
                let mut by_label: Vec<(String, usize)> = t
                    .by_label
                    .iter()
                    .map(|&(l, n)| (labels[l as usize].clone(), n))
                    .collect();
                by_label.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                let mut places: Vec<Place> = t
                    .places
                    .into_iter()
                    .map(|(doc, span, l, (left, right))| Place {
                        doc,
                        span,
                        label: l.map(|l| labels[l as usize].clone()),
                        left,
                        right,
                    })
                    .collect();
                places.sort_by(|a, b| (a.doc, a.span, &a.label).cmp(&(b.doc, b.span, &b.label)));
                Inconsistency {
                    text,
                    by_label,
                    unlabeled: t.unlabeled,
                    places,
                }
            })
            .collect();
        out.sort_by_cached_key(|i| (std::cmp::Reverse(i.total()), i.text.clone()));
        out
    }
}

fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() && !is_cjk(c)) || is_mark(c)
}

/// True when neither edge of `text[s..e]` falls inside a word (nor before a combining mark).
fn at_word_edges(text: &str, s: usize, e: usize) -> bool {
    let inside = |a: Option<char>, b: Option<char>| {
        a.is_some_and(is_word_char) && b.is_some_and(is_word_char)
    };
    let first = text[s..].chars().next();
    let last = text[..e].chars().next_back();
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    !inside(before, first)
        && !inside(last, after)
        && !first.is_some_and(is_mark)
        && !after.is_some_and(is_mark)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::plan::{fix_edit, TagPlan};
    use crate::corpus::testing::*;
    use crate::model::{Edit, LabelSchema, Span, Status};

    fn cons(docs: &[Document]) -> Vec<Inconsistency> {
        consistency(docs.len(), |i| docs.get(i))
    }

    fn corpus() -> Vec<Document> {
        let schema = LabelSchema::news();
        let mut d0 = doc("d0", SAMPLE);
        let cctv = hits_all(&d0, "CCTV", false, true, true)[0].span;
        d0.apply(
            &Edit::AddSpan(Span::manual(cctv.start.0, cctv.end.0, "ORG")),
            &schema,
        )
        .unwrap();
        let t1 = "CCTV reported that the Bank of China and China agreed.";
        let mut d1 = doc("d1", t1);
        for (s, e, l) in [(0, 4, "LOC"), (23, 36, "ORG"), (41, 46, "LOC")] {
            d1.apply(&Edit::AddSpan(Span::manual(s, e, l)), &schema)
                .unwrap();
        }
        assert_eq!(d1.slice(cs(23, 36)), Some("Bank of China"));
        assert_eq!(d1.slice(cs(41, 46)), Some("China"));
        let d2 = doc("d2", "According to CCTV, the Bank of China said. CCTVs no.");
        vec![d0, d1, d2]
    }

    #[test]
    fn consistency_finds_mixed_labels() {
        let docs = corpus();
        let found = cons(&docs);
        let by_text = |t: &str| found.iter().find(|i| i.text == t).unwrap();

        let cctv = by_text("CCTV");
        assert_eq!(cctv.by_label, vec![("LOC".into(), 1), ("ORG".into(), 1)]);
        assert_eq!(cctv.unlabeled, 3, "two more in d0, one in d2; not CCTVs");
        assert_eq!(cctv.places.len(), 5);
        assert_eq!(cctv.places.iter().filter(|p| p.doc == 0).count(), 3);
        for p in &cctv.places {
            assert_eq!(docs[p.doc].slice(p.span), Some("CCTV"));
        }

        let china = by_text("China");
        let in_sample = hits_all(&docs[0], "China", false, true, true).len();
        assert_eq!(china.by_label, vec![("LOC".into(), 1)]);
        assert_eq!(
            china.unlabeled, in_sample,
            "not the China inside Bank of China (confirmed in d1, unlabelled in d2)"
        );
        assert!(china.places.iter().all(|p| p.doc == 0 || p.label.is_some()));

        let bank = by_text("Bank of China");
        assert_eq!(
            (bank.by_label.clone(), bank.unlabeled),
            (vec![("ORG".into(), 1)], 1)
        );
        assert_eq!(bank.places[1].doc, 2);

        // Sorted by total occurrences.
        let totals: Vec<usize> = found.iter().map(Inconsistency::total).collect();
        assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");

        // A project without labels, or with consistent ones, has nothing to report.
        assert!(cons(&[doc("x", SAMPLE)]).is_empty());
        assert!(cons(&docs[1..2]).is_empty());
    }

    #[test]
    fn fixing_places_makes_it_consistent() {
        let mut docs = corpus();
        let cctv = cons(&docs).into_iter().find(|i| i.text == "CCTV").unwrap();
        let mut total = TagPlan::default();
        for (i, d) in docs.iter_mut().enumerate() {
            let places: Vec<CharSpan> = cctv
                .places
                .iter()
                .filter(|p| p.doc == i)
                .map(|p| p.span)
                .collect();
            let (edit, plan) = fix_edit(d, &places, Some("ORG"));
            total += plan;
            if let Some(e) = edit {
                *d = apply_and_undo(d, &e);
            }
        }
        assert_eq!(
            total,
            TagPlan {
                add: 3,
                relabel: 1,
                remove: 0,
                already: 1,
                conflicts: 0,
                in_suggestion: 0,
            }
        );
        assert!(cons(&docs).iter().all(|i| i.text != "CCTV"));
        assert_eq!(docs[2].status(), Status::InProgress);

        // Removing: the place becomes unlabelled.
        let (edit, plan) = fix_edit(&docs[1], &[cs(0, 4), cs(5, 9)], None);
        assert_eq!((plan.remove, plan.already), (1, 1));
        let d1 = apply_and_undo(&docs[1], &edit.unwrap());
        assert!(d1.spans_overlapping(cs(0, 4)).next().is_none());
    }

    #[test]
    fn consistency_on_mixed_scripts_and_streaming() {
        let schema = LabelSchema::news();
        let mut a = doc("a", MIXED);
        let cafe = hits_all(&a, "café", false, true, true)[0].span;
        a.apply(
            &Edit::AddSpan(Span::manual(cafe.start.0, cafe.end.0, "LOC")),
            &schema,
        )
        .unwrap();
        let x = hits_all(&a, "习近平", false, true, true)[0].span;
        a.apply(
            &Edit::AddSpan(Span::manual(x.start.0, x.end.0, "PER")),
            &schema,
        )
        .unwrap();
        let b = doc("b", "习近平说。café! cafe\u{301}");
        // Streaming: documents are produced on demand (owned), one is missing.
        let texts = [a.clone(), b.clone()];
        let found = consistency(3, |i| texts.get(i).cloned());
        let xi = found.iter().find(|i| i.text == "习近平").unwrap();
        assert_eq!((xi.unlabeled, xi.places[1].span), (1, cs(0, 3)));
        let c = found.iter().find(|i| i.text == "café").unwrap();
        assert_eq!(c.unlabeled, 1, "the decomposed café is another string");
        assert_eq!(c.places[1].span, cs(5, 9));
    }
}
