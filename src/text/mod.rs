//! Text and offsets.
//!
//! Units: every offset that is saved or printed is a Unicode code point (char) index,
//! end-exclusive ([`CharIdx`], [`CharSpan`]). Byte offsets ([`ByteIdx`]) exist only to slice
//! Rust strings; the conversions between the two live in [`offsets`] and nowhere else, and they are
//! fallible: an index past the end or inside a multi-byte character gives `None`. Other tools'
//! units (UTF-16 code units for doccano, grapheme clusters for doccano's grapheme mode) are
//! converted by [`UnitMap`] in the same module, and only there.
//!
//! The lowest floor: nothing here imports another Tagwright module. [`Tokens`] looks tokens up
//! for selection snapping and boundary moves.

mod cjk;
pub mod offsets;
pub mod sentences;
pub mod tokenize;
mod tokens;

pub use offsets::{ByteIdx, CharIdx, CharSpan, OffsetUnit, TextIndex, UnitMap};
pub use sentences::split_sentences;
pub use tokenize::{tokenize, Token, TokenKind};
pub use tokens::Tokens;
