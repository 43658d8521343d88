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
mod team;
mod team_cli;
mod text_props;
mod workflow;

/// `(start, end, label)` of one span of a line `tagwright suggest` prints (or `truth.jsonl`).
fn json_span(s: &serde_json::Value) -> (usize, usize, String) {
    (
        s["start"].as_u64().unwrap() as usize,
        s["end"].as_u64().unwrap() as usize,
        s["label"].as_str().unwrap().to_string(),
    )
}
