//! Project search: a [`Query`] (plain text or regular expression, case folding, whole words) run
//! over one document at a time with [`search_doc`], giving [`Hit`]s with context.
//!
//! Units: hit spans are Unicode code point (char) offsets into the document text, end-exclusive.
//! Byte offsets are used inside to slice strings and never leave the module. Invariant: a hit's
//! `matched` is exactly `doc.slice(hit.span)`; its `left`/`right` context is the text around it
//! with line breaks and tabs shown as spaces.

use super::intervals::{Cursor, Intervals};
use crate::model::Document;
use crate::text::tokenize::{is_cjk, is_mark};
use crate::text::{CharIdx, CharSpan};
use regex::{Regex, RegexBuilder};

/// Longest search text, in chars.
pub const MAX_PATTERN_CHARS: usize = 1000;
/// Memory limit for a compiled search expression, in bytes (pathological expressions are refused).
pub const MAX_REGEX_BYTES: usize = 2 << 20;

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
    ) -> Result<Query, QueryError> {
        if pattern.is_empty() {
            return Err(QueryError::Empty);
        }
        if pattern.chars().count() > MAX_PATTERN_CHARS {
            return Err(QueryError::TooLong);
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

/// Why a search could not be compiled, as a sentence for the person typing it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    #[error("the search text is empty; type what to look for")]
    Empty,
    #[error("the search text is longer than {MAX_PATTERN_CHARS} characters; shorten it")]
    TooLong,
    #[error(
        "the regular expression is too large (it would need too much memory); make it simpler, \
         e.g. with smaller repetition counts"
    )]
    TooLarge,
    /// `why` is the last line of the regex crate's message (one line, no caret diagram).
    #[error(
        "the regular expression is not valid: {why}; turn off regular expressions to \
         search for the text as written"
    )]
    Syntax { why: String },
    #[error("the regular expression is not valid: {0}")]
    Other(regex::Error),
}

fn describe_regex_error(e: regex::Error) -> QueryError {
    match e {
        regex::Error::CompiledTooBig(_) => QueryError::TooLarge,
        regex::Error::Syntax(s) => {
            let why = s
                .lines()
                .rev()
                .find_map(|l| l.trim().strip_prefix("error: "))
                .unwrap_or(s.trim());
            QueryError::Syntax {
                why: why.to_string(),
            }
        }
        other => QueryError::Other(other),
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

/// Up to `n` chars before byte `at`; when that would start with a combining mark, it goes back to
/// the mark's base char.
pub(super) fn left_context(text: &str, at: usize, n: usize) -> String {
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
pub(super) fn right_context(text: &str, at: usize, n: usize) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::consistency::{consistency, MAX_PLACES};
    use crate::corpus::testing::*;
    use crate::model::{Edit, LabelSchema, Span};
    use crate::text::offsets::{byte_to_char, ByteIdx};

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
        let e = Query::new("a)(b", true, true, true)
            .unwrap_err()
            .to_string();
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
        let e = Query::new(r"(?:\w{1000}){1000}", true, true, false)
            .unwrap_err()
            .to_string();
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
}
