//! Pure corpus tools over many documents: search, "tag all occurrences", the consistency checker
//! and statistics. Pure functions over [`Document`]s; nothing here touches the disk or the UI,
//! and every function can be fed documents one at a time (they may be loaded lazily).
//!
//! - Search ([`search`]): [`Query`] + [`search_doc`] give [`Hit`]s with context.
//! - Tag all occurrences ([`plan`]): [`tag_all_edit`] plans one undoable [`Edit`] per document
//!   and a [`TagPlan`] to preview (sum the plans of all documents with `+=`).
//! - Consistency ([`consistency`](mod@consistency)): [`consistency()`] (or [`ConsistencyBuilder`] /
//!   [`ConsistencyScanner`] for progress) lists strings labelled differently across the project;
//!   [`fix_edit`] makes places agree.
//! - Statistics ([`stats`]): [`CorpusStats::add`] and [`ProjectStats::add`], one document at a
//!   time.
//! - What to look at next ([`review`]): [`Gathered`] gives the pending suggestions least confident
//!   first and the documents most useful first.
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
//!
//! Floors: imports only `text` and `model`; never `store`, `extract` or a UI crate (the caller
//! reads the documents, e.g. from a `store::DocSource`, and applies the edits).

pub mod adjudicate;
pub mod agree;
pub mod assign;
pub mod consistency;
mod intervals;
pub mod plan;
pub mod review;
pub mod search;
pub mod stats;
#[cfg(test)]
mod testing;

pub use consistency::{
    consistency, ConsistencyBuilder, ConsistencyScanner, Inconsistency, Place, MAX_PLACES,
    MAX_SURFACE_CHARS,
};
pub use plan::{fix_edit, tag_all_edit, TagPlan};
pub use review::{Gathered, Pending};
pub use search::{search_doc, Hit, Query, QueryError, MAX_PATTERN_CHARS, MAX_REGEX_BYTES};
pub use stats::{day_string, CorpusStats, ProjectStats, Rate};

#[cfg(doc)]
use crate::{model::Document, model::Edit, text::CharSpan};
