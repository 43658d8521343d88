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

/// Whether data from outside the repository (the CoNLL files in `../shared`) is at `path`.
/// Without it a test that needs it skips, saying so on stderr; with `TAGWRIGHT_REQUIRE_DATA=1`
/// (`.ci/run` sets it: the data is there in CI) a missing file fails the test instead.
fn data_here(path: &std::path::Path) -> bool {
    if path.exists() {
        return true;
    }
    if std::env::var_os("TAGWRIGHT_REQUIRE_DATA").is_some_and(|v| v == "1") {
        panic!(
            "{} is not here, and TAGWRIGHT_REQUIRE_DATA=1 says it must be",
            path.display()
        );
    }
    eprintln!(
        "skipping: {} is not here (the CoNLL data is not part of the repository)",
        path.display()
    );
    false
}

/// `(start, end, label)` of one span of a line `tagwright suggest` prints (or `truth.jsonl`).
fn json_span(s: &serde_json::Value) -> (usize, usize, String) {
    (
        s["start"].as_u64().unwrap() as usize,
        s["end"].as_u64().unwrap() as usize,
        s["label"].as_str().unwrap().to_string(),
    )
}

/// Every file under `dir` (recursively) with its bytes, by path.
fn snapshot(dir: &std::path::Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Every document of `p`, in the manifest's order.
fn all_documents(p: &tagwright::store::Project) -> Vec<tagwright::model::Document> {
    p.ids()
        .iter()
        .map(|id| p.load_document(id).unwrap())
        .collect()
}
