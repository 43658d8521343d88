//! A document: immutable text plus its annotations.

use super::InvariantError;
use crate::text::{offsets, CharSpan};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::Arc;

/// A validated document id: also a file name (`documents/<id>.ron`), so it must be safe as one.
/// 1–128 chars of ASCII letters, digits, `-`, `_` and `.`; not starting with `.`; no `..`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct DocId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{id:?} is not a valid document id: {why}")]
pub struct InvalidDocId {
    pub id: String,
    pub why: &'static str,
}

impl DocId {
    pub fn new(id: &str) -> Result<DocId, InvalidDocId> {
        let bad = |why| {
            Err(InvalidDocId {
                id: id.chars().take(200).collect(),
                why,
            })
        };
        if id.is_empty() {
            return bad("it is empty");
        }
        if id.len() > 128 {
            return bad("it is longer than 128 characters");
        }
        if id.contains(['/', '\\']) {
            return bad("it contains a path separator");
        }
        if id.contains("..") || id.starts_with('.') {
            return bad("it contains '..' or starts with '.'");
        }
        if !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return bad("only ASCII letters, digits, '-', '_' and '.' are allowed");
        }
        Ok(DocId(id.to_string()))
    }

    /// Make a valid id from any name: lower-case ASCII letters and digits, other runs become `-`.
    pub fn slug(name: &str) -> String {
        let mut out = String::new();
        for c in name.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let out = out.trim_end_matches('-');
        let cut: String = out.chars().take(60).collect();
        if cut.is_empty() {
            "doc".to_string()
        } else {
            cut.trim_end_matches('-').to_string()
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `id` as it is when it already has Tagwright's numbered shape (`0007-tokyo`, as exports
    /// carry them), so re-importing an export keeps its ids.
    pub fn numbered(id: &str) -> Option<DocId> {
        let (digits, rest) = id.split_once('-')?;
        let shaped =
            digits.len() >= 4 && digits.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty();
        shaped.then(|| DocId::new(id).ok()).flatten()
    }

    /// `id` without the numbers (`0007-`, `10000-`) that Tagwright put in front of it, so that
    /// numbering it again never grows it.
    pub fn unnumbered(mut id: &str) -> &str {
        while let Some((digits, rest)) = id.split_once('-') {
            if digits.len() < 4 || !digits.bytes().all(|b| b.is_ascii_digit()) || rest.is_empty() {
                break;
            }
            id = rest;
        }
        id
    }
}

/// What a new document's id is made from: a name (a file stem) that is numbered `0007-name`, or
/// an id that a file gave (a JSONL or doccano `"id"`, Label Studio's task id), which is kept when
/// it already has the numbered shape and is free, and otherwise renumbered without growing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdSource {
    Name(String),
    Given(String),
}

impl IdSource {
    /// The id: a given numbered id when it is `free`, else `NNNN-slug` with the first free number
    /// from `first`.
    pub fn pick(&self, first: usize, free: impl Fn(&DocId) -> bool) -> DocId {
        let name = match self {
            IdSource::Name(name) => name.as_str(),
            IdSource::Given(id) => {
                if let Some(id) = DocId::numbered(id).filter(&free) {
                    return id;
                }
                DocId::unnumbered(id)
            }
        };
        let slug = DocId::slug(name);
        let mut n = first;
        loop {
            if let Some(id) = DocId::new(&format!("{n:04}-{slug}")).ok().filter(&free) {
                return id;
            }
            n += 1;
        }
    }
}

impl<'de> Deserialize<'de> for DocId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DocId::new(&s).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Review status of a document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    #[default]
    Todo,
    InProgress,
    Done,
    /// Set aside for someone to look at, with a reason (the document's `reason`).
    Flagged,
    /// Set aside without annotating it (off-topic, duplicate, unreadable).
    Skipped,
}

impl Status {
    /// Every status, in the order lists and statistics show them.
    pub const ALL: [Status; 5] = [
        Status::Todo,
        Status::InProgress,
        Status::Done,
        Status::Flagged,
        Status::Skipped,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Status::Todo => "todo",
            Status::InProgress => "in progress",
            Status::Done => "done",
            Status::Flagged => "flagged",
            Status::Skipped => "skipped",
        }
    }

    /// Work is left to do on it: todo or in progress (what "next document not done" looks for).
    pub fn is_open(self) -> bool {
        matches!(self, Status::Todo | Status::InProgress)
    }

    /// Flagged or skipped: left out of exports and learning unless asked for.
    pub fn is_set_aside(self) -> bool {
        matches!(self, Status::Flagged | Status::Skipped)
    }
}

/// Where a confirmed span came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Origin {
    /// Tagged by a person.
    Manual,
    /// A suggestion that a person accepted.
    Accepted { source: String, score: f32 },
    /// A suggestion of `source` (with label `suggested`) that a person accepted with another
    /// label or other boundaries: a correction, not an acceptance (its score no longer applies).
    Corrected { source: String, suggested: String },
}

impl Origin {
    /// The recognizer whose suggestion this span came from (none for a span typed by hand).
    pub fn source(&self) -> Option<&str> {
        match self {
            Origin::Manual => None,
            Origin::Accepted { source, .. } | Origin::Corrected { source, .. } => Some(source),
        }
    }

    /// This origin after the person changed the span's label or boundaries: a suggestion
    /// becomes a correction of what was suggested (`label`, the label before the change).
    pub fn corrected(&self, label: &str) -> Origin {
        match self {
            Origin::Accepted { source, .. } => Origin::Corrected {
                source: source.clone(),
                suggested: label.to_string(),
            },
            other => other.clone(),
        }
    }
}

/// A confirmed entity span.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub span: CharSpan,
    pub label: String,
    pub origin: Origin,
    pub note: String,
}

impl Span {
    pub fn manual(start: usize, end: usize, label: &str) -> Span {
        Span {
            span: CharSpan::new(start.min(end), end.max(start)).unwrap_or_default(),
            label: label.to_string(),
            origin: Origin::Manual,
            note: String::new(),
        }
    }

    /// Identity of a span inside a document: no two spans share it.
    pub fn key(&self) -> (CharSpan, &str) {
        (self.span, &self.label)
    }
}

/// A suggested (not yet confirmed) span, from a recognizer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub span: CharSpan,
    pub label: String,
    /// Confidence in [0, 1].
    pub score: f32,
    /// The recognizer that produced it (`pattern`, `gazetteer`, `tagger`...).
    pub source: String,
}

impl Suggestion {
    pub fn new(start: usize, end: usize, label: &str, score: f32, source: &str) -> Suggestion {
        Suggestion {
            span: CharSpan::new(start.min(end), end.max(start)).unwrap_or_default(),
            label: label.to_string(),
            score,
            source: source.to_string(),
        }
    }

    pub fn key(&self) -> (CharSpan, &str) {
        (self.span, &self.label)
    }

    /// The span this suggestion becomes when accepted.
    pub fn accepted(&self) -> Span {
        Span {
            span: self.span,
            label: self.label.clone(),
            origin: Origin::Accepted {
                source: self.source.clone(),
                score: self.score,
            },
            note: String::new(),
        }
    }
}

/// An article and its annotations. The text never changes after creation; annotations change only
/// through [`Document::apply`](Document::apply) (see `edit.rs`).
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub id: DocId,
    pub title: String,
    /// Where the text came from (a path or URL), informational.
    pub source: String,
    text: Arc<str>,
    text_sha256: String,
    char_len: usize,
    pub(crate) status: Status,
    /// Sorted by (start, end, label).
    pub(crate) spans: Vec<Span>,
    /// Pending suggestions, sorted by (start, end, label).
    pub(crate) suggestions: Vec<Suggestion>,
    /// Rejected suggestions, sorted by (start, end, label); never suggested again.
    pub(crate) rejected: Vec<Suggestion>,
    pub(crate) note: String,
    /// When the document was last marked done (seconds since the Unix epoch); `None` when it is
    /// not done or was marked done before Tagwright recorded it. Kept by the workspace, not by
    /// edits, so edits stay deterministic.
    pub(crate) done_at: Option<u64>,
    /// Why the document is flagged or skipped (empty when no reason was given).
    pub(crate) reason: String,
    /// Active annotation time in milliseconds (idle stretches not counted). Kept by the
    /// workspace, not by edits: time is not undone.
    pub(crate) active_ms: u64,
    /// The tokens the text was imported with (CoNLL), if any; immutable like the text.
    source_tokens: Option<Arc<super::SourceTokens>>,
}

/// Hex SHA-256 of a text.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

impl Document {
    /// A new document with no annotations.
    pub fn new(id: DocId, title: &str, source: &str, text: impl Into<Arc<str>>) -> Document {
        let text: Arc<str> = text.into();
        Document {
            id,
            title: title.to_string(),
            source: source.to_string(),
            text_sha256: sha256_hex(&text),
            char_len: offsets::char_len(&text),
            text,
            status: Status::Todo,
            spans: Vec::new(),
            suggestions: Vec::new(),
            rejected: Vec::new(),
            note: String::new(),
            done_at: None,
            reason: String::new(),
            active_ms: 0,
            source_tokens: None,
        }
    }

    /// The tokens the document was imported with (see [`super::SourceTokens`]).
    pub fn source_tokens(&self) -> Option<&super::SourceTokens> {
        self.source_tokens.as_deref()
    }

    /// The document's tokens: those it was imported with (CoNLL) when it has them, so a
    /// selection snaps to tokens its export can write, else Tagwright's.
    pub fn tokens(&self) -> crate::text::Tokens {
        match self.source_tokens() {
            Some(t) => crate::text::Tokens::from_spans(t.tokens.iter().map(|t| t.span).collect()),
            None => crate::text::Tokens::new(self.text()),
        }
    }

    /// Attach the tokens the text was imported with, after checking them against the text.
    pub fn set_source_tokens(&mut self, tokens: super::SourceTokens) -> Result<(), InvariantError> {
        tokens.check(self.char_len)?;
        self.source_tokens = Some(Arc::new(tokens));
        Ok(())
    }

    pub fn done_at(&self) -> Option<u64> {
        self.done_at
    }

    /// Record when the document was marked done (see the field's note).
    pub fn set_done_at(&mut self, at: Option<u64>) {
        self.done_at = at;
    }

    pub fn text(&self) -> &str {
        &self.text
    }
    pub fn text_sha256(&self) -> &str {
        &self.text_sha256
    }
    pub fn char_len(&self) -> usize {
        self.char_len
    }
    pub fn status(&self) -> Status {
        self.status
    }
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }
    pub fn suggestions(&self) -> &[Suggestion] {
        &self.suggestions
    }
    pub fn rejected(&self) -> &[Suggestion] {
        &self.rejected
    }
    pub fn note(&self) -> &str {
        &self.note
    }
    /// Why the document is flagged or skipped.
    pub fn reason(&self) -> &str {
        &self.reason
    }
    /// Active annotation time in milliseconds.
    pub fn active_ms(&self) -> u64 {
        self.active_ms
    }
    pub fn set_active_ms(&mut self, ms: u64) {
        self.active_ms = ms;
    }

    /// The text of a span, `None` when it is outside the text.
    pub fn slice(&self, span: CharSpan) -> Option<&str> {
        offsets::slice(&self.text, span)
    }

    pub fn find_span(&self, span: CharSpan, label: &str) -> Option<&Span> {
        self.spans.iter().find(|s| s.key() == (span, label))
    }

    pub fn find_suggestion(&self, span: CharSpan, label: &str) -> Option<&Suggestion> {
        self.suggestions.iter().find(|s| s.key() == (span, label))
    }

    /// True when a person rejected this exact (span, label) before.
    pub fn is_rejected(&self, span: CharSpan, label: &str) -> bool {
        // Sorted by key: a binary search.
        self.rejected
            .binary_search_by(|s| s.key().cmp(&(span, label)))
            .is_ok()
    }

    /// Spans that share a char with `span`.
    pub fn spans_overlapping(&self, span: CharSpan) -> impl Iterator<Item = &Span> {
        self.spans.iter().filter(move |s| s.span.overlaps(span))
    }

    /// Check every invariant; used after loading untrusted files and by the property tests.
    pub fn check_invariants(&self, allow_overlap: bool) -> Result<(), InvariantError> {
        let in_text = |span: CharSpan, what: &'static str| {
            if span.is_empty() || span.end.0 > self.char_len {
                Err(InvariantError::OutsideText {
                    what,
                    span,
                    char_len: self.char_len,
                })
            } else {
                Ok(())
            }
        };
        // Spans are sorted by start, so one overlaps an earlier one exactly when it starts before
        // the furthest end so far: one pass, linear in the spans.
        let mut furthest_end = 0;
        for (i, s) in self.spans.iter().enumerate() {
            in_text(s.span, "span")?;
            if let Some(prev) = i.checked_sub(1).map(|p| &self.spans[p]) {
                if (prev.span, &prev.label) >= (s.span, &s.label) {
                    return Err(InvariantError::SpansOutOfOrder {
                        first: prev.span,
                        second: s.span,
                    });
                }
                if !allow_overlap && s.span.start.0 < furthest_end {
                    return Err(InvariantError::Overlap(s.span));
                }
            }
            furthest_end = furthest_end.max(s.span.end.0);
        }
        for list in [&self.suggestions, &self.rejected] {
            for (i, s) in list.iter().enumerate() {
                in_text(s.span, "suggestion")?;
                if !(0.0..=1.0).contains(&s.score) {
                    return Err(InvariantError::BadScore {
                        span: s.span,
                        score: s.score,
                    });
                }
                if i > 0 && (list[i - 1].span, &list[i - 1].label) >= (s.span, &s.label) {
                    return Err(InvariantError::SuggestionOutOfOrder(s.span));
                }
            }
        }
        Ok(())
    }

    /// Build a document from stored parts, checking every invariant (the text hash, spans inside
    /// the text, order, no duplicates, overlap rule). Lists are sorted first.
    #[allow(clippy::too_many_arguments)]
    pub fn from_parts(
        id: DocId,
        title: String,
        source: String,
        text: String,
        status: Status,
        mut spans: Vec<Span>,
        mut suggestions: Vec<Suggestion>,
        mut rejected: Vec<Suggestion>,
        note: String,
        allow_overlap: bool,
    ) -> Result<Document, InvariantError> {
        let mut doc = Document::new(id, &title, &source, text);
        doc.status = status;
        spans.sort_by(|a, b| a.key().cmp(&b.key()));
        suggestions.sort_by(|a, b| a.key().cmp(&b.key()));
        rejected.sort_by(|a, b| a.key().cmp(&b.key()));
        doc.spans = spans;
        doc.suggestions = suggestions;
        doc.rejected = rejected;
        doc.note = note;
        doc.check_invariants(allow_overlap)?;
        Ok(doc)
    }

    /// Replace the pending suggestions without history (used when a document is created or its
    /// suggestions are refreshed outside of editing). Drops suggestions that are invalid, rejected
    /// before, already confirmed, or overlapping a confirmed span.
    pub fn set_initial_suggestions(&mut self, suggestions: Vec<Suggestion>) {
        self.suggestions = self.filter_new_suggestions(suggestions);
    }

    /// Keep only suggestions that are inside the text, not rejected, not already confirmed and not
    /// overlapping a confirmed span; sorted, without duplicate keys.
    pub fn filter_new_suggestions(&self, mut suggestions: Vec<Suggestion>) -> Vec<Suggestion> {
        // The furthest end among the spans up to each one (spans are sorted by start): a
        // suggestion overlaps a span exactly when some span starting before its end reaches past
        // its start. O((n + m) log n), where a scan per suggestion was O(n * m).
        let furthest: Vec<usize> = self
            .spans
            .iter()
            .scan(0, |end, s| {
                *end = (*end).max(s.span.end.0);
                Some(*end)
            })
            .collect();
        let overlaps_a_span = |span: CharSpan| {
            let before = self.spans.partition_point(|s| s.span.start < span.end);
            before > 0 && furthest[before - 1] > span.start.0
        };
        suggestions.retain(|s| {
            !s.span.is_empty()
                && s.span.end.0 <= self.char_len
                && (0.0..=1.0).contains(&s.score)
                && !self.is_rejected(s.span, &s.label)
                && !overlaps_a_span(s.span)
        });
        suggestions.sort_by(|a, b| a.key().cmp(&b.key()));
        suggestions.dedup_by(|a, b| a.key() == b.key());
        suggestions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sweep in `filter_new_suggestions` and the single pass in `check_invariants` agree with
    /// a scan of every span, with and without overlapping spans.
    #[test]
    fn overlap_checks_agree_with_a_scan() {
        let mut x: u64 = 11;
        let mut next = |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % m) as usize
        };
        for round in 0..200 {
            let text = "x".repeat(130);
            let spans: Vec<Span> = (0..next(12))
                .map(|_| {
                    let s = next(110);
                    Span::manual(s, s + 1 + next(15), ["PER", "LOC"][next(2)])
                })
                .collect();
            let suggestions: Vec<Suggestion> = (0..30)
                .map(|_| {
                    let s = next(115);
                    Suggestion::new(s, s + 1 + next(6), "ORG", 0.5, "t")
                })
                .collect();
            let id = DocId::new("d").unwrap();
            let overlapping = |v: &[Span]| {
                v.iter()
                    .enumerate()
                    .any(|(i, a)| v[..i].iter().any(|b| a.span.overlaps(b.span)))
            };
            let mut sorted = spans.clone();
            sorted.sort_by(|a, b| a.key().cmp(&b.key()));
            sorted.dedup_by(|a, b| a.key() == b.key());
            let strict = Document::from_parts(
                id.clone(),
                String::new(),
                String::new(),
                text.clone(),
                Status::Todo,
                sorted.clone(),
                vec![],
                vec![],
                String::new(),
                false,
            );
            assert_eq!(strict.is_ok(), !overlapping(&sorted), "round {round}");
            let d = Document::from_parts(
                id,
                String::new(),
                String::new(),
                text,
                Status::Todo,
                sorted.clone(),
                vec![],
                vec![],
                String::new(),
                true,
            )
            .unwrap();
            let kept: Vec<CharSpan> = d
                .filter_new_suggestions(suggestions.clone())
                .iter()
                .map(|s| s.span)
                .collect();
            let mut naive: Vec<CharSpan> = suggestions
                .iter()
                .map(|s| s.span)
                .filter(|sp| !sorted.iter().any(|t| t.span.overlaps(*sp)))
                .collect();
            naive.sort();
            naive.dedup();
            assert_eq!(kept, naive, "round {round}");
        }
    }

    #[test]
    fn ids_from_files_never_grow_and_names_keep_their_digits() {
        let taken = [
            DocId::new("0001-a1-tokyo").unwrap(),
            DocId::new("10000-tokyo").unwrap(),
        ];
        let free = |id: &DocId| !taken.contains(id);
        let given = |s: &str| IdSource::Given(s.into()).pick(2, free).to_string();
        assert_eq!(given("0007-a1-tokyo"), "0007-a1-tokyo", "kept when free");
        assert_eq!(
            given("0001-a1-tokyo"),
            "0002-a1-tokyo",
            "renumbered, not prefixed"
        );
        assert_eq!(given("0001-0001-0001-a1-tokyo"), "0001-0001-0001-a1-tokyo");
        assert_eq!(given("10000-tokyo"), "0002-tokyo", "five-digit numbers too");
        assert_eq!(given("7"), "0002-7");
        // A file name is a name: its leading digits are part of it.
        let name = IdSource::Name("2022-12-30-xi-putin-call".into()).pick(1, free);
        assert_eq!(name.as_str(), "0001-2022-12-30-xi-putin-call");
        assert_eq!(DocId::unnumbered("0003-10000-x"), "x");
        assert_eq!(DocId::unnumbered("123-x"), "123-x");
    }

    #[test]
    fn doc_ids() {
        assert!(DocId::new("0001-xi-putin-call").is_ok());
        for bad in [
            "", "../../x", "a/b", "a\\b", "..", ".hidden", "a\0b", "/abs", "é",
        ] {
            assert!(DocId::new(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            DocId::slug("Xi–Putin call (Reuters).txt"),
            "xi-putin-call-reuters-txt"
        );
        assert_eq!(DocId::slug("中文"), "doc");
    }

    #[test]
    fn hash_and_length() {
        let d = Document::new(DocId::new("a").unwrap(), "t", "", "é😀");
        assert_eq!(d.char_len(), 2);
        assert_eq!(d.text_sha256().len(), 64);
    }
}
