//! Project-wide operations over many documents: search, "tag all occurrences", the consistency
//! checker and statistics. Pure functions over [`Document`]s; nothing here touches the disk or the
//! UI, and every function can be fed documents one at a time (they may be loaded lazily).
//!
//! - Search: [`Query`] + [`search_doc`] give [`Hit`]s with context.
//! - Tag all occurrences: [`tag_all_edit`] plans one undoable [`Edit`] per document and a
//!   [`TagPlan`] to preview (sum the plans of all documents with `+=`).
//! - Consistency: [`consistency`] (or [`ConsistencyBuilder`] / [`ConsistencyScanner`] for progress)
//!   lists strings labelled differently across the project; [`fix_edit`] makes places agree.
//! - Statistics: [`CorpusStats::add`], one document at a time.
//!
//! Units: every offset in and out of this module is a Unicode code point (char) offset into the
//! document text, end-exclusive ([`CharSpan`]), as everywhere else in Tagwright. Byte offsets are
//! used internally to slice strings and never leave the module.
//!
//! Invariants:
//! - A [`Hit`]'s `matched` is exactly `doc.slice(hit.span)`; its `left`/`right` context is the text
//!   around it with line breaks and tabs shown as spaces.
//! - The edits returned by [`tag_all_edit`] and [`fix_edit`] apply cleanly with
//!   [`Document::apply`] to the document they were planned on (given that the label is in the
//!   project's schema), and the inverse that `apply` returns restores that document. They never
//!   remove or resize a confirmed span they were not asked about: a place that overlaps another
//!   confirmed span is counted as a conflict and skipped.
//! - The consistency checker counts exact occurrences: the per-label and unlabelled counts are
//!   exact, only the list of places is capped ([`MAX_PLACES`]).

use crate::model::{Document, Edit, Origin, Span, Status};
use crate::text::tokenize::{is_cjk, is_mark};
use crate::text::{CharIdx, CharSpan, TextIndex};
use aho_corasick::AhoCorasick;
use regex::{Regex, RegexBuilder};
use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Longest search text, in chars.
pub const MAX_PATTERN_CHARS: usize = 1000;
/// Memory limit for a compiled search expression, in bytes (pathological expressions are refused).
pub const MAX_REGEX_BYTES: usize = 2 << 20;
/// At most this many places are kept per string by the consistency checker (counts stay exact).
pub const MAX_PLACES: usize = 500;
/// Confirmed spans longer than this (in chars) are not used as consistency-checker strings.
pub const MAX_SURFACE_CHARS: usize = 200;

// ---------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------

/// A compiled project search.
///
/// - Plain text is matched literally; `regex` switches to the `regex` crate's syntax (`^`/`$` match
///   at line starts/ends, CRLF aware).
/// - `case_sensitive: false` folds case (Unicode simple case folding).
/// - `whole_word` refuses a match whose start or end falls *inside* a word, i.e. between two word
///   chars (Unicode `\w`: letters, marks, digits, `_`). A pattern that begins or ends with a
///   non-word char (`(AP)`, `U.S.`, `…`) therefore still matches next to spaces and punctuation.
///   For plain text, an edge that is a CJK ideograph or kana has no boundary condition (those
///   scripts do not separate words with spaces). With `regex`, CJK neighbours count as word chars.
#[derive(Clone, Debug)]
pub struct Query {
    regex: Regex,
    pattern: String,
    is_regex: bool,
    case_sensitive: bool,
    whole_word: bool,
}

impl Query {
    /// Compile a search. Errors are sentences for the person typing the search.
    pub fn new(
        pattern: &str,
        regex: bool,
        case_sensitive: bool,
        whole_word: bool,
    ) -> Result<Query, String> {
        if pattern.is_empty() {
            return Err("the search text is empty; type what to look for".into());
        }
        if pattern.chars().count() > MAX_PATTERN_CHARS {
            return Err(format!(
                "the search text is longer than {MAX_PATTERN_CHARS} characters; shorten it"
            ));
        }
        let build = |src: &str| {
            RegexBuilder::new(src)
                .case_insensitive(!case_sensitive)
                .multi_line(true)
                .crlf(true)
                .size_limit(MAX_REGEX_BYTES)
                .dfa_size_limit(MAX_REGEX_BYTES)
                .nest_limit(100)
                .build()
                .map_err(describe_regex_error)
        };
        let core = if regex {
            // Check the expression on its own first, so that wrapping it for whole-word search
            // cannot turn an invalid one such as `a)(b` into a valid one.
            build(pattern)?;
            pattern.to_string()
        } else {
            regex::escape(pattern)
        };
        let compiled = if whole_word {
            // "Not between two word chars" = previous is not a word char OR next is not.
            const EDGE: &str = r"(?:\b{start-half}|\b{end-half})";
            let free = |c: Option<char>| !regex && c.is_some_and(is_cjk);
            let pre = if free(pattern.chars().next()) {
                ""
            } else {
                EDGE
            };
            let post = if free(pattern.chars().next_back()) {
                ""
            } else {
                EDGE
            };
            build(&format!("{pre}(?:{core}){post}"))?
        } else {
            build(&core)?
        };
        Ok(Query {
            regex: compiled,
            pattern: pattern.to_string(),
            is_regex: regex,
            case_sensitive,
            whole_word,
        })
    }

    /// The text the person typed.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }
    pub fn is_regex(&self) -> bool {
        self.is_regex
    }
    pub fn case_sensitive(&self) -> bool {
        self.case_sensitive
    }
    pub fn whole_word(&self) -> bool {
        self.whole_word
    }
}

fn describe_regex_error(e: regex::Error) -> String {
    match e {
        regex::Error::CompiledTooBig(_) => {
            "the regular expression is too large (it would need too much memory); make it simpler, \
             e.g. with smaller repetition counts"
                .into()
        }
        regex::Error::Syntax(s) => {
            let why = s
                .lines()
                .rev()
                .find_map(|l| l.trim().strip_prefix("error: "))
                .unwrap_or(s.trim());
            format!(
                "the regular expression is not valid: {why}; turn off regular expressions to \
                 search for the text as written"
            )
        }
        other => format!("the regular expression is not valid: {other}"),
    }
}

/// One search result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// Index of the document (as passed to [`search_doc`]).
    pub doc: usize,
    /// Char span of the match.
    pub span: CharSpan,
    /// Up to `context` chars before the match (line breaks and tabs shown as spaces).
    pub left: String,
    /// The matched text, exactly `doc.slice(span)`.
    pub matched: String,
    /// Up to `context` chars after the match (line breaks and tabs shown as spaces).
    pub right: String,
    /// Label of a confirmed span with exactly this range.
    pub label: Option<String>,
    /// True when the match overlaps a confirmed span that does not have exactly this range.
    pub overlaps_other: bool,
}

/// Search one document, appending hits to `out` until `out` holds `limit` hits. Empty matches are
/// skipped. Returns true when it stopped because of the limit (there are more hits). Linear in the
/// text length: byte offsets are converted to chars by walking forward from the previous hit.
pub fn search_doc(
    doc: &Document,
    doc_index: usize,
    q: &Query,
    context: usize,
    limit: usize,
    out: &mut Vec<Hit>,
) -> bool {
    let text = doc.text();
    let spans = Intervals::new(doc.spans().iter().map(|s| s.span));
    let mut cursor = Cursor::default();
    for m in q.regex.find_iter(text) {
        if m.is_empty() {
            continue;
        }
        if out.len() >= limit {
            return true;
        }
        let start = cursor.char_at(text, m.start());
        let end = cursor.char_at(text, m.end());
        let span = CharSpan {
            start: CharIdx(start),
            end: CharIdx(end),
        };
        let mut label: Option<&str> = None;
        let mut overlaps_other = false;
        for i in spans.overlapping(span) {
            let s = &doc.spans()[i];
            if s.span == span {
                if label.is_none_or(|l| s.label.as_str() < l) {
                    label = Some(s.label.as_str());
                }
            } else {
                overlaps_other = true;
            }
        }
        out.push(Hit {
            doc: doc_index,
            span,
            left: left_context(text, m.start(), context),
            matched: m.as_str().to_string(),
            right: right_context(text, m.end(), context),
            label: label.map(str::to_string),
            overlaps_other,
        });
    }
    false
}

/// Converts increasing byte offsets of one text to char offsets in one forward walk.
#[derive(Default)]
struct Cursor {
    byte: usize,
    char: usize,
}

impl Cursor {
    /// Char offset of byte `b` (a char boundary). Offsets must not decrease between calls.
    fn char_at(&mut self, text: &str, b: usize) -> usize {
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

/// Up to `n` chars before byte `at`; when that would start with a combining mark, it goes back to
/// the mark's base char.
fn left_context(text: &str, at: usize, n: usize) -> String {
    let head = &text[..at];
    let mut start = head
        .char_indices()
        .rev()
        .take(n)
        .last()
        .map_or(at, |(b, _)| b);
    while start > 0 && head[start..].chars().next().is_some_and(is_mark) {
        start = head[..start]
            .char_indices()
            .next_back()
            .map_or(0, |(b, _)| b);
    }
    clean_context(&head[start..])
}

/// Up to `n` chars after byte `at`, plus the marks that belong to the last of them.
fn right_context(text: &str, at: usize, n: usize) -> String {
    let tail = &text[at..];
    let mut end = 0;
    for (k, (b, c)) in tail.char_indices().enumerate() {
        if k >= n && !is_mark(c) {
            break;
        }
        end = b + c.len_utf8();
    }
    clean_context(&tail[..end])
}

/// Line breaks, tabs and other control chars become one space each (CRLF counts as one break).
fn clean_context(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Spans sorted by start, with the running maximum of their ends, for overlap queries in
/// O(log n + k) even when spans nest or overlap.
struct Intervals {
    spans: Vec<(usize, usize)>,
    max_end: Vec<usize>,
}

impl Intervals {
    /// `spans` must be sorted by start (document lists are).
    fn new(spans: impl Iterator<Item = CharSpan>) -> Intervals {
        Intervals::from_ranges(spans.map(|s| (s.start.0, s.end.0)))
    }

    fn from_ranges(ranges: impl Iterator<Item = (usize, usize)>) -> Intervals {
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
    fn overlapping(&self, span: CharSpan) -> impl Iterator<Item = usize> + '_ {
        self.overlapping_range(span.start.0, span.end.0)
    }

    fn overlapping_range(&self, start: usize, end: usize) -> impl Iterator<Item = usize> + '_ {
        let p = self.spans.partition_point(|&(s, _)| s < end);
        (0..p)
            .rev()
            .take_while(move |&i| self.max_end[i] > start)
            .filter(move |&i| self.spans[i].1 > start)
    }
}

// ---------------------------------------------------------------------------------------------
// Tag all occurrences / fix places
// ---------------------------------------------------------------------------------------------

/// What an edit from [`tag_all_edit`] or [`fix_edit`] will do; add plans of several documents
/// with `+=` for a preview.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TagPlan {
    /// New confirmed spans.
    pub add: usize,
    /// Confirmed spans at exactly the place that change label.
    pub relabel: usize,
    /// Places whose confirmed spans are removed ([`fix_edit`] with `None`).
    pub remove: usize,
    /// Places that already are as asked.
    pub already: usize,
    /// Places skipped because they overlap another confirmed span (or another place of the same
    /// request, or are outside the text).
    pub conflicts: usize,
}

impl TagPlan {
    /// Number of places the edit changes.
    pub fn changes(&self) -> usize {
        self.add + self.relabel + self.remove
    }
}

impl std::ops::AddAssign for TagPlan {
    fn add_assign(&mut self, o: TagPlan) {
        self.add += o.add;
        self.relabel += o.relabel;
        self.remove += o.remove;
        self.already += o.already;
        self.conflicts += o.conflicts;
    }
}

/// Tag every span of `spans` (e.g. the search hits in `doc`) with `label`, as one edit:
/// - already confirmed with `label` at exactly that range: counted as `already`;
/// - confirmed at exactly that range with another label: relabelled;
/// - overlapping any other confirmed span: a conflict, skipped (existing annotations are never
///   broken);
/// - otherwise a manual span is added and every pending suggestion overlapping it is dropped.
///
/// When two of the spans overlap each other, only the first (in the given order) is used; the
/// other is a conflict. A "todo" document becomes "in progress" when anything changes. Returns
/// `None` when nothing would change. `label` must be in the project's schema.
pub fn tag_all_edit(doc: &Document, spans: &[CharSpan], label: &str) -> (Option<Edit>, TagPlan) {
    plan(doc, spans, Some(label))
}

/// Make every place carry label `to` (same rules as [`tag_all_edit`]), or with `None` remove the
/// confirmed spans at exactly those places (a place without one counts as `already`).
pub fn fix_edit(doc: &Document, places: &[CharSpan], to: Option<&str>) -> (Option<Edit>, TagPlan) {
    plan(doc, places, to)
}

fn plan(doc: &Document, places: &[CharSpan], to: Option<&str>) -> (Option<Edit>, TagPlan) {
    let confirmed = Intervals::new(doc.spans().iter().map(|s| s.span));
    let pending = Intervals::new(doc.suggestions().iter().map(|s| s.span));
    let mut dropped: HashSet<usize> = HashSet::new();
    // Places handled so far, disjoint, by start -> end.
    let mut claimed: BTreeMap<usize, usize> = BTreeMap::new();
    let mut plan = TagPlan::default();
    let mut edits = Vec::new();
    for &place in places {
        if place.start >= place.end || place.end.0 > doc.char_len() {
            plan.conflicts += 1;
            continue;
        }
        let (start, end) = (place.start.0, place.end.0);
        // Claimed places are disjoint, so only the last one starting before `end` can overlap.
        if let Some((&cs, &ce)) = claimed.range(..end).next_back() {
            if ce > start {
                if (cs, ce) == (start, end) {
                    plan.already += 1;
                } else {
                    plan.conflicts += 1;
                }
                continue;
            }
        }
        let mut exact: Vec<&Span> = Vec::new();
        let mut others = 0;
        for i in confirmed.overlapping(place) {
            let s = &doc.spans()[i];
            if s.span == place {
                exact.push(s);
            } else {
                others += 1;
            }
        }
        exact.sort_by(|a, b| a.label.cmp(&b.label));
        match to {
            Some(label) => {
                if exact.iter().any(|s| s.label == label) {
                    plan.already += 1;
                } else if let Some(s) = exact.first() {
                    edits.push(Edit::Relabel {
                        span: place,
                        from: s.label.clone(),
                        to: label.to_string(),
                    });
                    plan.relabel += 1;
                } else if others > 0 {
                    plan.conflicts += 1;
                    continue;
                } else {
                    let mut drop: Vec<usize> = pending
                        .overlapping(place)
                        .filter(|&i| dropped.insert(i))
                        .collect();
                    drop.sort_unstable();
                    edits.extend(drop.into_iter().map(|i| {
                        let s = &doc.suggestions()[i];
                        Edit::RemoveSuggestion {
                            span: s.span,
                            label: s.label.clone(),
                        }
                    }));
                    edits.push(Edit::AddSpan(Span::manual(start, end, label)));
                    plan.add += 1;
                }
            }
            None => {
                if exact.is_empty() {
                    plan.already += 1;
                } else {
                    edits.extend(exact.iter().map(|s| Edit::RemoveSpan {
                        span: place,
                        label: s.label.clone(),
                    }));
                    plan.remove += 1;
                }
            }
        }
        claimed.insert(start, end);
    }
    if edits.is_empty() {
        return (None, plan);
    }
    if doc.status() == Status::Todo {
        edits.push(Edit::SetStatus(Status::InProgress));
    }
    (Some(Edit::Batch(edits)), plan)
}

// ---------------------------------------------------------------------------------------------
// Consistency checker
// ---------------------------------------------------------------------------------------------

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
}

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
    places: Vec<(usize, CharSpan, Option<u32>)>,
}

impl Tally {
    fn push(&mut self, doc: usize, span: CharSpan, label: Option<u32>) {
        match label {
            Some(l) => match self.by_label.iter_mut().find(|(id, _)| *id == l) {
                Some((_, n)) => *n += 1,
                None => self.by_label.push((l, 1)),
            },
            None => self.unlabeled += 1,
        }
        if self.places.len() < MAX_PLACES {
            self.places.push((doc, span, label));
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
            if let Some(&pid) = self.ids.get(&text[r]) {
                let l = self.label_id(&s.label);
                self.tallies[pid as usize].push(doc_index, s.span, Some(l));
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
            self.tallies[pid as usize].push(doc_index, span, None);
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
                    .map(|(doc, span, l)| Place {
                        doc,
                        span,
                        label: l.map(|l| labels[l as usize].clone()),
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

// ---------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------

/// How often suggestions were accepted versus rejected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rate {
    pub accepted: usize,
    pub rejected: usize,
}

impl Rate {
    /// accepted / (accepted + rejected), `None` when nothing was reviewed.
    pub fn ratio(&self) -> Option<f64> {
        let n = self.accepted + self.rejected;
        (n > 0).then(|| self.accepted as f64 / n as f64)
    }
}

/// Project statistics, built one document at a time with [`CorpusStats::add`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CorpusStats {
    pub docs: usize,
    /// Documents per status, indexed by [`CorpusStats::status_index`] (todo, in progress, done).
    pub by_status: [usize; 3],
    /// Confirmed spans per label.
    pub per_label: BTreeMap<String, usize>,
    /// Confirmed spans typed by hand ([`Origin::Manual`]).
    pub manual: usize,
    /// Accepted = confirmed spans with [`Origin::Accepted`], by their label; rejected = rejected
    /// suggestions, by their label.
    pub acceptance_by_label: BTreeMap<String, Rate>,
    /// The same, by recognizer (`source`).
    pub acceptance_by_source: BTreeMap<String, Rate>,
    /// Pending suggestions.
    pub pending: usize,
    /// Documents marked done per day (days since 1970-01-01, UTC), for those whose time marked
    /// done is known.
    pub done_by_day: BTreeMap<u64, usize>,
}

/// A day number (days since 1970-01-01) as `YYYY-MM-DD` (proleptic Gregorian, UTC).
pub fn day_string(day: u64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = day as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

impl CorpusStats {
    pub fn status_index(s: Status) -> usize {
        match s {
            Status::Todo => 0,
            Status::InProgress => 1,
            Status::Done => 2,
        }
    }

    pub fn status_count(&self, s: Status) -> usize {
        self.by_status[CorpusStats::status_index(s)]
    }

    pub fn from_docs<'a>(docs: impl IntoIterator<Item = &'a Document>) -> CorpusStats {
        let mut s = CorpusStats::default();
        for d in docs {
            s.add(d);
        }
        s
    }

    /// Count one more document.
    pub fn add(&mut self, doc: &Document) {
        self.docs += 1;
        self.by_status[CorpusStats::status_index(doc.status())] += 1;
        for s in doc.spans() {
            *self.per_label.entry(s.label.clone()).or_default() += 1;
            match &s.origin {
                Origin::Manual => self.manual += 1,
                Origin::Accepted { source, .. } => {
                    entry(&mut self.acceptance_by_label, &s.label).accepted += 1;
                    entry(&mut self.acceptance_by_source, source).accepted += 1;
                }
            }
        }
        for r in doc.rejected() {
            entry(&mut self.acceptance_by_label, &r.label).rejected += 1;
            entry(&mut self.acceptance_by_source, &r.source).rejected += 1;
        }
        self.pending += doc.suggestions().len();
        if let (Status::Done, Some(t)) = (doc.status(), doc.done_at()) {
            *self.done_by_day.entry(t / 86_400).or_default() += 1;
        }
    }

    /// Add counts gathered elsewhere (e.g. by another thread).
    pub fn merge(&mut self, other: CorpusStats) {
        self.docs += other.docs;
        for k in 0..3 {
            self.by_status[k] += other.by_status[k];
        }
        for (k, v) in other.per_label {
            *self.per_label.entry(k).or_default() += v;
        }
        self.manual += other.manual;
        for (mine, theirs) in [
            (&mut self.acceptance_by_label, other.acceptance_by_label),
            (&mut self.acceptance_by_source, other.acceptance_by_source),
        ] {
            for (k, r) in theirs {
                let e = mine.entry(k).or_default();
                e.accepted += r.accepted;
                e.rejected += r.rejected;
            }
        }
        self.pending += other.pending;
        for (k, v) in other.done_by_day {
            *self.done_by_day.entry(k).or_default() += v;
        }
    }
}

fn entry<'m>(map: &'m mut BTreeMap<String, Rate>, key: &str) -> &'m mut Rate {
    map.entry(key.to_string()).or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, LabelSchema, Suggestion};
    use crate::text::offsets::{byte_to_char, ByteIdx};

    #[test]
    fn days_as_dates() {
        assert_eq!(day_string(0), "1970-01-01");
        assert_eq!(day_string(19_723), "2024-01-01");
        assert_eq!(day_string(19_782), "2024-02-29");
        assert_eq!(day_string(20_784), "2026-11-27");
    }

    const SAMPLE: &str = include_str!("../../assets/samples/xi-putin-call.txt");
    const MIXED: &str =
        "a😀b 中文 e\u{301}\r\nCCTV 👍🏽 café\r\n习近平说 CCTV’s\tCCTVx cafe\u{301} CCTV";

    fn doc(id: &str, text: &str) -> Document {
        Document::new(DocId::new(id).unwrap(), id, "", text)
    }

    fn cs(a: usize, b: usize) -> CharSpan {
        CharSpan::new(a, b).unwrap()
    }

    fn q(p: &str, regex: bool, case: bool, word: bool) -> Query {
        Query::new(p, regex, case, word).unwrap()
    }

    fn hits(d: &Document, q: &Query, context: usize) -> Vec<Hit> {
        let mut out = Vec::new();
        assert!(!search_doc(d, 0, q, context, usize::MAX, &mut out));
        out
    }

    /// The expected char span of every non-overlapping literal occurrence, the slow way.
    fn naive(text: &str, needle: &str) -> Vec<CharSpan> {
        text.match_indices(needle)
            .map(|(b, m)| {
                let s = byte_to_char(text, ByteIdx(b)).unwrap().0;
                let e = byte_to_char(text, ByteIdx(b + m.len())).unwrap().0;
                cs(s, e)
            })
            .collect()
    }

    fn check_hits(d: &Document, hs: &[Hit]) {
        let shown: String = d.text().replace("\r\n", " ").replace(['\n', '\t'], " ");
        for h in hs {
            assert_eq!(d.slice(h.span), Some(h.matched.as_str()), "{h:?}");
            let around = format!("{}{}{}", h.left, h.matched.replace('\n', " "), h.right);
            assert!(shown.contains(&around), "{around:?} not in the text");
            assert!(!h.left.contains(['\n', '\r', '\t']));
            assert!(!h.right.contains(['\n', '\r', '\t']));
        }
    }

    #[test]
    fn search_sample_offsets_and_context() {
        let d = doc("a", SAMPLE);
        let hs = hits(&d, &q("CCTV", false, true, true), 12);
        assert_eq!(hs.len(), 3);
        assert_eq!(
            hs.iter().map(|h| h.span).collect::<Vec<_>>(),
            naive(SAMPLE, "CCTV")
        );
        check_hits(&d, &hs);
        assert_eq!(hs[0].left, "broadcaster ");
        assert_eq!(hs[0].right, " said in its");
        assert_eq!(hs[2].right, "’s report of");

        // Curly quotes around the match, a context that crosses a paragraph break.
        let hs = hits(&d, &q("objective position", false, true, true), 4);
        assert_eq!(hs.len(), 1);
        assert_eq!(hs[0].left, "ts “");
        assert_eq!(hs[0].right, "” an");
        check_hits(&d, &hs);
        let hs = hits(&d, &q("matter.", false, true, true), 6);
        assert_eq!(hs[0].right, "  Xi s", "the blank line shows as spaces");

        // Leading space: the first word starts at char 1.
        let hs = hits(&d, &q("date", false, true, true), 5);
        assert_eq!(hs[0].span, cs(1, 5));
        assert_eq!(hs[0].left, " ");

        // En dash and ellipsis, in plain text and whole-word mode (they are not word chars).
        let hs = hits(&d, &q("(Reuters) – Chinese", false, true, true), 3);
        assert_eq!(hs.len(), 1);
        assert_eq!(d.slice(hs[0].span), Some("(Reuters) – Chinese"));
        let hs = hits(&d, &q("politics…", false, true, true), 3);
        assert_eq!(hs.len(), 1);
        assert_eq!(hs[0].right, " an");
        assert_eq!(hits(&d, &q("…", false, true, true), 0).len(), 1);
        // Typographic apostrophe is not a word char: "Russia’s" is the whole word "Russia".
        let whole = hits(&d, &q("Russia", false, true, true), 8);
        let any = hits(&d, &q("Russia", false, true, false), 8);
        assert_eq!(any.len(), SAMPLE.matches("Russia").count());
        assert!(whole.len() < any.len() && !whole.is_empty());
        for h in &whole {
            assert!(!h.right.starts_with(char::is_alphabetic), "{h:?}");
        }
        check_hits(&d, &any);
    }

    fn hits_all(d: &Document, p: &str, regex: bool, case: bool, word: bool) -> Vec<Hit> {
        hits(d, &q(p, regex, case, word), 8)
    }

    #[test]
    fn regex_case_and_whole_word() {
        let d = doc("a", SAMPLE);
        assert_eq!(hits_all(&d, "Xi.said", true, true, false).len(), 2);
        assert_eq!(hits_all(&d, "Xi.said", false, true, false).len(), 0);
        assert_eq!(hits_all(&d, "Xi said", false, true, false).len(), 2);
        assert_eq!(hits_all(&d, "china", false, true, false).len(), 0);
        let ci = hits_all(&d, "china", false, false, true);
        assert_eq!(ci.len(), hits_all(&d, "China", false, true, true).len());
        assert!(ci.iter().all(|h| h.matched == "China"));
        // "Chin" is inside "China"/"Chinese": only found without whole word.
        assert!(hits_all(&d, "Chin", false, true, true).is_empty());
        assert!(!hits_all(&d, "Chin", false, true, false).is_empty());
        // Whole word applies to regular expressions too; ^ and $ are per line.
        assert!(hits_all(&d, r"Ch\w", true, true, true).is_empty());
        let lines = hits_all(&d, r"^Xi\b", true, true, false);
        assert_eq!(lines.len(), 2);
        let ends = hits_all(&d, r"\.$", true, true, false);
        assert!(ends.iter().all(|h| h.matched == "."));
        // Empty matches are skipped.
        assert!(hits_all(&d, r"\b", true, true, false).is_empty());
        // Limit.
        let mut out = Vec::new();
        assert!(search_doc(
            &d,
            3,
            &q("Xi", false, true, true),
            5,
            2,
            &mut out
        ));
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].doc, 3);
    }

    #[test]
    fn search_mixed_scripts() {
        let d = doc("m", MIXED);
        let hs = hits_all(&d, "CCTV", false, true, true);
        // CCTVx is not a whole word.
        assert_eq!(hs.len(), 3);
        let all = naive(MIXED, "CCTV");
        assert_eq!(all.len(), 4);
        assert_eq!(
            hs.iter().map(|h| h.span).collect::<Vec<_>>(),
            vec![all[0], all[1], all[3]]
        );
        check_hits(&d, &hs);
        assert_eq!(hs[0].left, " 中文 e\u{301} ", "CRLF shows as one space");
        assert_eq!(hs[1].right, "’s CCTVx", "tab shows as a space");
        // CJK has no spaces: whole word does not require them.
        let hs = hits_all(&d, "习近平", false, true, true);
        assert_eq!(hs.len(), 1);
        assert_eq!(d.slice(hs[0].span), Some("习近平"));
        assert_eq!(hs[0].right, "说 CCTV’s");
        // A combining mark belongs to the letter before it.
        assert!(hits_all(&d, "e", false, true, true).is_empty());
        assert_eq!(hits_all(&d, "cafe", false, true, true).len(), 0);
        assert_eq!(hits_all(&d, "cafe\u{301}", false, true, true).len(), 1);
        assert_eq!(hits_all(&d, "CAFÉ", false, false, true).len(), 1);
        // Context never separates a mark from its base and keeps marks after its last char.
        let hs = hits(&d, &q("\r\nCCTV", false, true, false), 1);
        assert_eq!(hs[0].left, "e\u{301}", "context keeps a mark with its base");
        let hs = hits(&d, &q("caf", false, true, false), 1);
        assert_eq!(hs[1].right, "e\u{301}");
        let hs = hits(&d, &q("😀", false, true, true), 2);
        assert_eq!(hs[0].span, cs(1, 2));
        assert_eq!(hs[0].right, "b ");
        // Hits on an empty text.
        assert!(hits_all(&doc("e", ""), "x", false, true, true).is_empty());
    }

    #[test]
    fn query_errors() {
        assert!(Query::new("", false, true, true).is_err());
        let e = Query::new("a)(b", true, true, true).unwrap_err();
        assert!(
            e.starts_with("the regular expression is not valid: "),
            "{e}"
        );
        assert!(!e.contains('\n'), "{e}");
        assert!(e.contains("unopened group"), "{e}");
        assert!(
            Query::new("a)(b", false, true, true).is_ok(),
            "plain text is escaped"
        );
        assert!(Query::new("[", true, true, false).is_err());
        let e = Query::new(r"(?:\w{1000}){1000}", true, true, false).unwrap_err();
        assert!(e.starts_with("the regular expression is too large"), "{e}");
        assert!(Query::new(&"x".repeat(MAX_PATTERN_CHARS + 1), false, true, true).is_err());
    }

    #[test]
    fn long_text_is_linear() {
        // ~1.3 MB of non-ASCII text: offsets stay right at the far end, and it stays fast.
        let text = format!("{MIXED}\n").repeat(20_000);
        let d = doc("long", text.as_str());
        let t = std::time::Instant::now();
        let hs = hits_all(&d, "CCTV", false, true, true);
        assert_eq!(hs.len(), 3 * 20_000);
        let b = text.rfind("CCTV").unwrap();
        let last = cs(text[..b].chars().count(), text[..b].chars().count() + 4);
        assert_eq!(hs.last().unwrap().span, last);
        let schema = LabelSchema::news();
        let mut d = d;
        d.apply(
            &Edit::AddSpan(Span::manual(last.start.0, last.end.0, "ORG")),
            &schema,
        )
        .unwrap();
        let found = consistency(1, |_| Some(&d));
        assert_eq!(found[0].unlabeled, 3 * 20_000 - 1);
        assert_eq!(found[0].places.len(), MAX_PLACES);
        assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
    }

    #[test]
    fn hits_report_labels_and_overlaps() {
        let schema = LabelSchema::news();
        let mut d = doc("a", SAMPLE);
        let hs = hits_all(&d, "CCTV", false, true, true);
        d.apply(
            &Edit::AddSpan(Span::manual(hs[0].span.start.0, hs[0].span.end.0, "ORG")),
            &schema,
        )
        .unwrap();
        let to = hs[1].span.start.0 - 3;
        d.apply(
            &Edit::AddSpan(Span::manual(to, hs[1].span.end.0, "MISC")),
            &schema,
        )
        .unwrap();
        let hs = hits_all(&d, "CCTV", false, true, true);
        assert_eq!(hs[0].label.as_deref(), Some("ORG"));
        assert!(!hs[0].overlaps_other);
        assert_eq!(hs[1].label, None);
        assert!(hs[1].overlaps_other);
        assert_eq!(
            (hs[2].label.as_deref(), hs[2].overlaps_other),
            (None, false)
        );
    }

    fn apply_and_undo(d: &Document, e: &Edit) -> Document {
        let schema = LabelSchema::news();
        let mut after = d.clone();
        let inv = after.apply(e, &schema).expect("the planned edit applies");
        after.check_invariants(false).unwrap();
        let mut back = after.clone();
        back.apply(&inv, &schema).unwrap();
        assert_eq!(&back, d, "the inverse restores the document");
        after
    }

    #[test]
    fn tag_all_then_undo() {
        let schema = LabelSchema::news();
        let mut d = doc("a", SAMPLE);
        let xi: Vec<CharSpan> = hits_all(&d, "Xi", false, true, true)
            .iter()
            .map(|h| h.span)
            .collect();
        assert_eq!(xi.len(), 7);
        let putin = hits_all(&d, "Vladimir Putin", false, true, true)[0].span;
        let x0 = xi[0];
        d.set_initial_suggestions(vec![
            Suggestion::new(x0.start.0, x0.end.0 + 8, "PER", 0.9, "gazetteer"), // Xi Jinping
            Suggestion::new(xi[1].start.0, xi[1].end.0, "LOC", 0.4, "tagger"),
            Suggestion::new(putin.start.0, putin.end.0, "PER", 0.9, "gazetteer"),
        ]);
        for e in [
            Edit::AddSpan(Span::manual(xi[2].start.0, xi[2].end.0, "PER")),
            Edit::AddSpan(Span::manual(xi[3].start.0, xi[3].end.0, "LOC")),
            Edit::AddSpan(Span::manual(xi[4].start.0, xi[4].end.0 + 4, "ORG")), // "Xi had"
        ] {
            d.apply(&e, &schema).unwrap();
        }
        let before = d.clone();
        let mut spans = xi.clone();
        spans.push(cs(xi[5].start.0, xi[5].end.0 + 1)); // "Xi," overlaps hit 5
        spans.push(xi[6]); // the same place twice
        let (edit, plan) = tag_all_edit(&d, &spans, "PER");
        assert_eq!(
            plan,
            TagPlan {
                add: 4,
                relabel: 1,
                remove: 0,
                already: 2,
                conflicts: 2
            }
        );
        let after = apply_and_undo(&d, &edit.unwrap());
        for (k, s) in xi.iter().enumerate() {
            let want = if k == 4 { None } else { Some(&Origin::Manual) };
            assert_eq!(
                after.find_span(*s, "PER").map(|s| &s.origin),
                want,
                "hit {k}"
            );
        }
        assert!(after
            .find_span(cs(xi[4].start.0, xi[4].end.0 + 4), "ORG")
            .is_some());
        assert_eq!(
            after.suggestions().len(),
            1,
            "only the Putin suggestion is left"
        );
        assert_eq!(after.status(), Status::InProgress);
        assert_eq!(d, before);

        // Nothing to do: no edit.
        let (edit, plan) = tag_all_edit(&after, &xi, "PER");
        assert!(edit.is_none());
        assert_eq!((plan.already, plan.conflicts, plan.changes()), (6, 1, 0));
    }

    #[test]
    fn one_suggestion_over_two_places_is_dropped_once() {
        let mut d = doc("b", "Xi and Putin met.");
        d.set_initial_suggestions(vec![Suggestion::new(0, 12, "MISC", 0.5, "rule")]);
        let (edit, plan) = tag_all_edit(&d, &[cs(7, 12), cs(0, 2), cs(99, 100)], "PER");
        assert_eq!((plan.add, plan.conflicts), (2, 1));
        let after = apply_and_undo(&d, &edit.unwrap());
        assert!(after.suggestions().is_empty());
        assert_eq!(after.spans().len(), 2);
    }

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
                conflicts: 0
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

    #[test]
    fn stats_counts() {
        let schema = LabelSchema::news();
        let mut d = doc("s", "Xi Jinping met Vladimir Putin in Moscow.");
        d.set_initial_suggestions(vec![
            Suggestion::new(0, 10, "PER", 0.95, "gazetteer"),
            Suggestion::new(15, 29, "PER", 0.8, "rule"),
            Suggestion::new(33, 39, "LOC", 0.9, "gazetteer"),
        ]);
        for e in [
            Edit::AcceptSuggestion {
                span: cs(0, 10),
                label: "PER".into(),
            },
            Edit::RejectSuggestion {
                span: cs(33, 39),
                label: "LOC".into(),
            },
            Edit::SetStatus(Status::Done),
        ] {
            d.apply(&e, &schema).unwrap();
        }
        let (tag, _) = tag_all_edit(&d, &[cs(15, 29)], "PER");
        d.apply(&tag.unwrap(), &schema).unwrap();
        let other = doc("t", "nothing here");
        let st = CorpusStats::from_docs([&d, &other]);
        assert_eq!(st.docs, 2);
        assert_eq!(st.by_status, [1, 0, 1]);
        assert_eq!(st.status_count(Status::Done), 1);
        assert_eq!(st.per_label.get("PER"), Some(&2));
        assert_eq!(st.manual, 1);
        assert_eq!(st.pending, 0, "tagging dropped the overlapping suggestion");
        assert_eq!(
            st.acceptance_by_label.get("PER"),
            Some(&Rate {
                accepted: 1,
                rejected: 0
            })
        );
        assert_eq!(st.acceptance_by_label["LOC"].ratio(), Some(0.0));
        assert_eq!(st.acceptance_by_source["gazetteer"].ratio(), Some(0.5));
        assert!(!st.acceptance_by_source.contains_key("rule"));
        assert_eq!(Rate::default().ratio(), None);
    }
}
