//! Documents, spans, the label schema, edits and undo history.
//!
//! Units and invariants: all spans are [`CharSpan`](crate::text::CharSpan)s in Unicode code points,
//! end-exclusive, into the document's immutable text. A [`Document`] only changes through
//! [`Document::apply`], which checks every invariant (spans inside the text, non-empty, no duplicate
//! `(start, end, label)`, labels from the schema, no overlap unless the schema allows it) and returns
//! the inverse edit. Span, suggestion and rejection lists are kept sorted, so applying an edit and
//! then its inverse gives back an equal document, field for field.
//!
//! Also the tag-scheme codec (BIO/IOB1/IOB2/BILOU tags <-> token spans, [`Scheme`]), shared by the
//! CoNLL format and the tagger. Imports only `text`: never `extract`, `store` or `corpus`.

mod annotator;
mod document;
mod edit;
mod history;
mod invariant;
mod label;
mod tags;
mod tokens;

pub use annotator::{Annotator, InvalidAnnotator};
pub use document::{
    sha256_hex as document_sha256, DocId, Document, IdSource, InvalidDocId, Origin, Span, Status,
    Suggestion,
};
pub use edit::{Edit, EditError};
pub use history::History;
pub use invariant::InvariantError;
pub use label::{label_palette, parse_color, shown as shown_name, Label, LabelSchema, SchemaError};
pub use tags::{parse_tag, spans_to_tags, tags_to_spans, Scheme, TaggedSentence};
pub use tokens::{SourceToken, SourceTokens};
