//! Plug-in recognizers through the real binary: configured in the person's own folder
//! (`TAGWRIGHT_CONFIG` here), run as one long-lived process speaking JSONL; their spans are checked
//! (out of range dropped, a split character widened, snapped to tokens) and mapped to the
//! project's labels; one that hangs, crashes or prints garbage is named in a clear warning and
//! the other recognizers keep working.

use std::path::Path;
use std::process::{Command, Output};

const FAKE: &str = r#"
import json, sys, time
mode = sys.argv[1]
if mode == "crash":
    sys.exit("the model file is missing")
if mode == "deaf":
    time.sleep(60)
if mode == "chatty":
    print("Warning: a library says hello", flush=True)
for line in sys.stdin:
    req = json.loads(line)
    if mode == "hang":
        time.sleep(60)
    if mode == "garbage":
        print("hello", flush=True)
        continue
    if mode == "chatty":
        print("Loading weights...", flush=True)
    t = req["text"]
    spans = []
    i = t.find("banana")
    if i >= 0:
        spans.append({"start": i, "end": i + 6, "label": "FRUIT", "score": 0.9})
    j = t.find("\U0001F469")
    if j >= 0:
        spans.append({"start": j, "end": j + 1, "label": "FRUIT", "score": 0.8})
    spans.append({"start": len(t), "end": len(t) + 5, "label": "FRUIT"})
    print(json.dumps({"id": req["id"], "spans": spans}), flush=True)
"#;

const TEXT: &str = "Angela Merkel ate a banana with 👩‍👩‍👧 in Paris.";

/// `tagwright suggest` on TEXT with one plug-in configured to run the fake in `mode`.
fn suggest_with(dir: &Path, mode: &str, name: &str) -> Output {
    suggest_text_with(dir, mode, name, TEXT)
}

fn suggest_text_with(dir: &Path, mode: &str, name: &str, text: &str) -> Output {
    let script = dir.join("fake.py");
    std::fs::write(&script, FAKE).unwrap();
    let config = dir.join(format!("config-{mode}"));
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("recognizers.ron"),
        format!(
            r#"[(name: "{name}", command: ["python3", "{}", "{mode}"], labels: {{"FRUIT": "MISC"}}, timeout_s: 2.0, startup_s: 0.0)]"#,
            script.display()
        ),
    )
    .unwrap();
    let input = dir.join("a.txt");
    std::fs::write(&input, text).unwrap();
    Command::new(env!("CARGO_BIN_EXE_tagwright"))
        .args(["suggest", input.to_str().unwrap()])
        .env("TAGWRIGHT_CONFIG", &config)
        .output()
        .unwrap()
}

fn spans(o: &Output) -> Vec<(usize, usize, String, String)> {
    let out = String::from_utf8_lossy(&o.stdout);
    let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    v["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let (start, end, label) = crate::json_span(s);
            (start, end, label, s["source"].as_str().unwrap().to_string())
        })
        .collect()
}

fn chars_before(needle: &str) -> usize {
    TEXT[..TEXT.find(needle).unwrap()].chars().count()
}

#[test]
fn a_plug_in_suggests_with_its_own_name_and_its_spans_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let o = suggest_with(dir.path(), "good", "fake");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = spans(&o);
    let b = chars_before("banana");
    assert!(
        s.contains(&(b, b + 6, "MISC".into(), "fake".into())),
        "{s:?}"
    );
    // One code point of a family emoji was asked for: the whole character (5 code points).
    let e = chars_before("👩");
    assert!(
        s.contains(&(e, e + 5, "MISC".into(), "fake".into())),
        "{s:?}"
    );
    // The built-in recognizers still suggest.
    assert!(s.iter().any(|x| x.2 == "PER" && x.3 == "tagger"), "{s:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(r#"The recognizer "fake""#) && err.contains("gave 1 span(s) outside the text"),
        "{err}"
    );
}

/// Lines that are not answers (a library printing a warning) are passed over: answers stay in
/// step with questions.
#[test]
fn a_chatty_plug_in_still_answers_in_step() {
    let dir = tempfile::tempdir().unwrap();
    let o = suggest_with(dir.path(), "chatty", "fake");
    let b = chars_before("banana");
    assert!(
        spans(&o).contains(&(b, b + 6, "MISC".into(), "fake".into())),
        "{:?}",
        spans(&o)
    );
}

#[test]
fn a_plug_in_that_hangs_crashes_or_prints_garbage_is_named_and_the_rest_keep_working() {
    let dir = tempfile::tempdir().unwrap();
    for (mode, says) in [
        ("hang", "did not answer within 2 s"),
        ("crash", "the model file is missing"),
        ("garbage", "not the expected JSON"),
    ] {
        let o = suggest_with(dir.path(), mode, "fake");
        assert!(
            o.status.success(),
            "{mode}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains(r#"The recognizer "fake""#) && err.contains(says),
            "{mode}: {err}"
        );
        let s = spans(&o);
        assert!(s.iter().all(|x| x.3 != "fake"), "{mode}: {s:?}");
        assert!(
            s.iter().any(|x| x.2 == "PER"),
            "{mode}: the tagger still suggests: {s:?}"
        );
    }
}

#[test]
fn a_bad_configuration_is_named_and_nothing_runs() {
    let dir = tempfile::tempdir().unwrap();
    let o = suggest_with(dir.path(), "good", "tagger");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("recognizers.ron") && err.contains("may not be called"),
        "{err}"
    );
    assert!(spans(&o).iter().all(|x| x.3 != "fake"));
}

/// A command that never reads its input, given an article larger than a pipe holds: the wait is
/// still bounded by the timeout (the request is written by a thread of its own).
#[test]
fn a_plug_in_that_never_reads_cannot_freeze_suggestions() {
    let dir = tempfile::tempdir().unwrap();
    let big = format!(
        "{TEXT}\n{}",
        "Quiet news from a quiet town. ".repeat(10_000)
    );
    let started = std::time::Instant::now();
    let o = suggest_text_with(dir.path(), "deaf", "fake", &big);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("did not answer within 2 s"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert!(spans(&o).iter().any(|x| x.2 == "PER"));
}
