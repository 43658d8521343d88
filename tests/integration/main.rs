//! The integration tests, in one binary (one link of the crate instead of ten): the command line
//! on the real binary, the formats, the project folder, the session without a window, crash
//! safety, hostile inputs and property tests.

mod cli;
mod crash_safety;
mod disk;
mod edit_props;
mod formats;
mod hostile_inputs;
mod learning;
mod plugins;
mod project_roundtrip;
mod review;
mod session;
mod tagger;
mod text_props;
mod workflow;
