//! Tagwright: a workbench for annotating named entities in news articles.
//!
//! The library is the whole annotation workflow without a window:
//! - [`bounded`]: reading a named file safely (regular files only, size-capped, never blocking);
//! - [`text`]: offsets (char/byte newtypes and the only conversions between them), tokenizer,
//!   sentence splitter;
//! - [`model`]: documents, spans, the label schema, edits with inverses, undo history;
//! - [`extract`]: recognizers that suggest entities, and the pipeline that merges them;
//! - [`store`]: the project folder on disk and article import/export;
//! - [`corpus`]: pure tools over many documents (search, tag-all plans, consistency, statistics);
//! - [`session`]: the annotation session without a window: the open project, selection,
//!   commands, gestures, jobs, saving and autosave; where `store` and `extract` meet
//!   ([`session::preannotate`]);
//! - [`cli`]: the command line;
//! - [`ui`]: the window, the only module that uses egui/eframe/rfd.
//!
//! All offsets that leave the library (files, JSON, messages) are Unicode code point offsets,
//! end-exclusive. None of the modules above `ui` depends on a UI crate.

pub mod bounded;
pub mod cli;
pub mod corpus;
pub mod extract;
pub mod model;
pub mod session;
pub mod store;
pub mod text;
pub mod ui;
