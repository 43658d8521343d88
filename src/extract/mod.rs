//! The extraction core: recognizers that propose entity spans, and the pipeline that merges them.
//!
//! Units: every [`crate::model::Suggestion`] span is a char span (end-exclusive) that
//! starts at a token start and ends at a token end of the analysed text. Recognizers may overlap;
//! the [`Pipeline`] returns non-overlapping suggestions, chosen by recognizer priority, then score,
//! then length.
//!
//! Floors: imports `text` and `model` only; never `store` (no project paths, no files: a learned
//! model arrives as bytes, see `tagger::model`) nor `corpus`.

mod analysis;
mod disjoint;
pub mod gazetteer;
mod patterns;
mod people;
mod pipeline;
pub mod plugin;
pub mod tagger;

pub use analysis::Analysis;
pub use disjoint::Disjoint;
pub use gazetteer::{Gazetteer, GazetteerList, Gazetteers};
pub use patterns::Patterns;
pub use people::PersonRules;
pub use pipeline::Pipeline;

use crate::model::Suggestion;

/// The names of the built-in recognizers (a plug-in may not take one).
pub const BUILT_IN: &[&str] = &["tagger", "gazetteer", "pattern", "rule"];

/// Something that finds candidate entities in an analysed text.
pub trait Recognizer: Send + Sync {
    /// Short name, saved as the suggestion's `source`.
    fn name(&self) -> &str;
    /// Higher wins when candidates overlap: patterns 3, the tagger 2, gazetteers and name rules 1
    /// (a plug-in's is configured, 2 by default).
    fn priority(&self) -> u8;
    fn recognize(&self, text: &Analysis) -> Vec<Suggestion>;
    /// What went wrong since it was last asked, in a sentence (a plug-in that timed out).
    fn problem(&self) -> Option<String> {
        None
    }
}
