//! Runs the real `tagwright` binary: suggestions on the sample article, the project workflow, and
//! the error paths a new user hits (each a clear one-line error that changes nothing on disk).

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/samples/xi-putin-call.txt"
);

fn tw(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tagwright"))
        .args(args)
        .output()
        .unwrap()
}

fn tw_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tagwright"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}
fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A failed command: exit code 1, one line on stderr starting with "error:", no panic.
fn assert_clean_error(o: &Output, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "stderr: {err}");
    assert!(err.starts_with("error: "), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains(needle), "{err:?} does not mention {needle:?}");
}

fn char_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn suggestions(line: &str) -> (String, Vec<(String, String)>) {
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    let text = v["text"].as_str().unwrap().to_string();
    let spans = v["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let (a, b) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            (
                char_slice(&text, a, b),
                s["label"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (text, spans)
}

#[test]
fn suggest_finds_the_obvious_entities_of_the_sample() {
    let o = tw(&["suggest", SAMPLE]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1);
    let (text, spans) = suggestions(out.lines().next().unwrap());
    assert_eq!(
        text,
        fs::read_to_string(SAMPLE).unwrap(),
        "the text is echoed exactly"
    );
    let has = |t: &str, l: &str| spans.iter().any(|(a, b)| a == t && b == l);
    for (t, l) in [
        ("2022-12-30", "DATE"),
        ("BEIJING", "LOC"),
        ("Reuters", "ORG"),
        ("Chinese", "MISC"),
        ("Xi Jinping", "PER"),
        ("Russian", "MISC"),
        ("Vladimir Putin", "PER"),
        ("Friday", "DATE"),
        ("Ukraine", "LOC"),
        ("China", "LOC"),
        ("Beijing", "LOC"),
        ("Moscow", "LOC"),
        ("Russia", "LOC"),
        ("CCTV", "ORG"),
        ("Xi", "PER"),
        ("Putin", "PER"),
        ("United States", "LOC"),
        ("early-February", "DATE"),
        ("February", "DATE"),
        ("September", "DATE"),
        ("Sino-Russian", "MISC"),
        ("Eduardo Baptista", "PER"),
    ] {
        assert!(has(t, l), "missing {t} {l}; got {spans:?}");
    }
    // Nothing obviously wrong.
    for (t, l) in &spans {
        assert!(
            !["The", "In", "But", "Facts", "International"].contains(&t.as_str()),
            "{t} {l}"
        );
    }
}

#[test]
fn suggest_offsets_are_python_string_offsets() {
    // Cross-check with Python's str slicing, the convention the offsets promise.
    let Ok(py) = Command::new("python3").arg("--version").output() else {
        eprintln!("python3 not found: skipping the Python cross-check");
        return;
    };
    assert!(py.status.success());
    let o = tw(&["suggest", SAMPLE]);
    // Python slices the text with the offsets and prints what it gets.
    let script = "import json,sys\nout=[]\nfor line in sys.stdin:\n d=json.loads(line)\n for s in d['spans']:\n  out.append([d['text'][s['start']:s['end']], s['label']])\nprint(json.dumps(out))\n";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&o.stdout).unwrap();
    let r = child.wait_with_output().unwrap();
    assert!(r.status.success());
    let got: Vec<(String, String)> = serde_json::from_slice(&r.stdout).unwrap();
    assert!(got.len() >= 20, "{got:?}");
    // The entities of the sample, after its curly quotes, en dash and ellipsis (multi-byte in
    // UTF-8, one code point each): a byte or UTF-16 offset would cut them elsewhere.
    for (t, l) in [
        ("Xi Jinping", "PER"),
        ("Vladimir Putin", "PER"),
        ("CCTV", "ORG"),
        ("early-February", "DATE"),
        ("Sino-Russian", "MISC"),
        ("Eduardo Baptista", "PER"),
    ] {
        assert!(
            got.iter().any(|(a, b)| a == t && b == l),
            "Python's slices do not give {t:?} {l}: {got:?}"
        );
    }
    for (t, _) in &got {
        assert!(!t.is_empty() && t == t.trim(), "{t:?}");
    }
}

#[test]
fn suggest_reads_stdin_text_and_jsonl() {
    let o = tw_stdin(
        &["suggest"],
        "Emmanuel Macron visited Kyiv on Monday 😀.".as_bytes(),
    );
    assert!(o.status.success());
    let (_, spans) = suggestions(stdout(&o).trim());
    assert!(spans.contains(&("Kyiv".into(), "LOC".into())), "{spans:?}");
    assert!(spans.contains(&("Monday".into(), "DATE".into())));

    let input = "{\"id\": \"a\", \"text\": \"😀 Angela Merkel met Putin in Berlin.\"}\n{\"text\": \"中文 NATO\"}\n";
    let o = tw_stdin(&["suggest"], input.as_bytes());
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["id"], "a");
    let (_, spans) = suggestions(lines[0]);
    assert!(
        spans.contains(&("Berlin".into(), "LOC".into())),
        "{spans:?}"
    );
    assert!(
        spans.contains(&("Angela Merkel".into(), "PER".into())),
        "{spans:?}"
    );
    let (_, spans) = suggestions(lines[1]);
    assert_eq!(spans, vec![("NATO".to_string(), "ORG".to_string())]);
}

#[test]
fn project_workflow_new_add_stats_export() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("proj");
    let ps = p.to_str().unwrap();
    assert!(tw(&["new", ps]).status.success());
    assert_clean_error(&tw(&["new", ps]), "already holds a Tagwright project");
    let bom = dir.path().join("bom.txt");
    fs::write(&bom, b"\xEF\xBB\xBFPutin spoke in Moscow on Friday.\r\n").unwrap();
    let o = tw(&["add", ps, SAMPLE, bom.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("added 0001-xi-putin-call"));
    assert!(stdout(&o).contains("added 0002-bom"));
    assert!(stderr(&o).contains("byte-order mark"), "{}", stderr(&o));
    let doc = fs::read_to_string(p.join("documents/0001-xi-putin-call.ron")).unwrap();
    assert!(
        doc.starts_with("Document(\n    format_version: 1,"),
        "{doc}"
    );
    assert!(doc.contains("Suggestion(start: "));

    let o = tw(&["stats", ps]);
    assert!(o.status.success());
    let s = stdout(&o);
    assert!(
        s.contains("documents: 2 (0 done, 0 in progress, 2 todo, 0 flagged, 0 skipped)"),
        "{s}"
    );

    let o = tw(&["export", ps, "--format", "jsonl", "--include-suggestions"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 2);
    let second: serde_json::Value = serde_json::from_str(out.lines().nth(1).unwrap()).unwrap();
    assert_eq!(
        second["text"], "Putin spoke in Moscow on Friday.\r\n",
        "BOM dropped, CRLF kept"
    );
    let o = tw(&["export", ps, "--only-done"]);
    assert_eq!(stdout(&o), "");
    let outfile = dir.path().join("out.jsonl");
    assert!(tw(&["export", ps, "-o", outfile.to_str().unwrap()])
        .status
        .success());
    assert_eq!(fs::read_to_string(outfile).unwrap().lines().count(), 2);
}

#[test]
fn bad_inputs_give_clear_errors_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("proj");
    let ps = p.to_str().unwrap();
    assert!(tw(&["new", ps]).status.success());
    assert!(tw(&["add", ps, SAMPLE]).status.success());
    let before = crate::snapshot(&p);

    let bin = dir.path().join("image.txt");
    fs::write(&bin, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let empty = dir.path().join("empty.txt");
    fs::write(&empty, b"").unwrap();
    let latin1 = dir.path().join("latin1.txt");
    fs::write(&latin1, b"Caf\xe9 in Paris").unwrap();
    let good = dir.path().join("good.txt");
    fs::write(&good, "A good article about Paris.").unwrap();

    assert_clean_error(
        &tw(&["add", ps, good.to_str().unwrap(), bin.to_str().unwrap()]),
        "binary file",
    );
    assert_clean_error(&tw(&["add", ps, empty.to_str().unwrap()]), "is empty");
    assert_clean_error(
        &tw(&["add", ps, latin1.to_str().unwrap()]),
        "not valid UTF-8 (first bad byte at offset 3)",
    );
    assert_clean_error(
        &tw(&["add", ps, "/nonexistent/a.txt"]),
        "/nonexistent/a.txt",
    );
    assert_clean_error(&tw(&["suggest", bin.to_str().unwrap()]), "binary file");
    assert_clean_error(
        &tw(&["stats", dir.path().to_str().unwrap()]),
        "is not a Tagwright project",
    );
    assert_eq!(
        crate::snapshot(&p),
        before,
        "a failed command wrote something"
    );

    // A truncated document file: reported with path and line:column, never rewritten.
    let docpath = p.join("documents/0001-xi-putin-call.ron");
    let full = fs::read(&docpath).unwrap();
    fs::write(&docpath, &full[..full.len() / 2]).unwrap();
    let truncated = crate::snapshot(&p);
    let o = tw(&["stats", ps]);
    assert_clean_error(&o, "0001-xi-putin-call.ron:");
    assert!(stderr(&o)
        .split(".ron:")
        .nth(1)
        .unwrap()
        .split(':')
        .next()
        .unwrap()
        .parse::<usize>()
        .is_ok());
    assert_clean_error(&tw(&["export", ps]), "0001-xi-putin-call.ron:");
    assert_eq!(crate::snapshot(&p), truncated);

    // A hostile id in the manifest.
    fs::write(&docpath, &full).unwrap();
    let manifest = p.join("tagwright.ron");
    let m = fs::read_to_string(&manifest)
        .unwrap()
        .replace("\"0001-xi-putin-call\"", "\"../../x\"");
    fs::write(&manifest, m).unwrap();
    let hostile = crate::snapshot(&p);
    assert_clean_error(
        &tw(&["stats", ps]),
        "\"../../x\" is not a valid document id",
    );
    assert_clean_error(
        &tw(&["add", ps, good.to_str().unwrap()]),
        "not a valid document id",
    );
    assert_eq!(crate::snapshot(&p), hostile);

    // A manifest from a newer Tagwright.
    let m = fs::read_to_string(&manifest)
        .unwrap()
        .replace("format_version: 1", "format_version: 7");
    fs::write(&manifest, m).unwrap();
    assert_clean_error(&tw(&["stats", ps]), "format version 7");
}

#[test]
fn usage_errors_and_help() {
    for sub in ["new", "add", "suggest", "export", "stats"] {
        let o = tw(&[sub, "--help"]);
        assert!(o.status.success(), "{sub} --help");
        assert!(stdout(&o).contains("Usage: tagwright"), "{sub}");
    }
    let o = tw(&["export", "x", "--format", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("panicked"));
    assert_clean_error(
        &tw(&["new", "/tmp/tw-bad-labels", "--labels", "PER,A B"]),
        "label name \"A B\" is not allowed",
    );
}

#[test]
fn stats_reports_acceptance_by_label_and_recognizer_and_done_per_day() {
    use tagwright::model::{Edit, Status};
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    fs::write(&a, "Vladimir Putin spoke in Moscow on Friday.").unwrap();
    let p = tagwright::extract::Pipeline::news();
    let (mut ws, _) = tagwright::session::preannotate::open_articles(&[a], &p).unwrap();
    let sugg = ws.doc(0).unwrap().suggestions().to_vec();
    let per = sugg.iter().find(|s| s.label == "PER").unwrap().clone();
    let loc = sugg.iter().find(|s| s.label == "LOC").unwrap().clone();
    ws.apply(
        0,
        &Edit::Batch(vec![
            Edit::AcceptSuggestion {
                span: per.span,
                label: per.label.clone(),
            },
            Edit::RejectSuggestion {
                span: loc.span,
                label: loc.label.clone(),
            },
            Edit::SetStatus(Status::Done),
        ]),
    )
    .unwrap();
    let root = dir.path().join("proj");
    ws.save_as(&root).unwrap();
    let rs = root.to_str().unwrap();

    let o = tw(&["stats", rs]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    // The words of the first line starting with `start` after the line `after`.
    let line_after = |after: &str, start: &str| {
        s.lines()
            .skip_while(|l| *l != after)
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no line {start:?} in\n{s}"))
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    let by_label = |l: &str| line_after("suggestions reviewed, by label:", l);
    let by_source = |l: &str| line_after("suggestions reviewed, by recognizer:", l);
    // Columns: accepted, corrected, rejected, acceptance.
    assert_eq!(by_label("PER "), ["PER", "1", "0", "0", "100.0%"], "{s}");
    assert_eq!(by_label("LOC "), ["LOC", "0", "0", "1", "0.0%"], "{s}");
    if per.source == loc.source {
        assert_eq!(
            by_source(&format!("{} ", per.source))[1..],
            ["1", "0", "1", "50.0%"]
        );
    } else {
        assert_eq!(
            by_source(&format!("{} ", per.source))[1..4],
            ["1", "0", "0"]
        );
        assert_eq!(
            by_source(&format!("{} ", loc.source))[1..4],
            ["0", "0", "1"]
        );
    }
    assert!(
        s.contains("documents done per day (1 of 1 done have a date):"),
        "{s}"
    );
    let today = tagwright::corpus::day_string(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            / 86_400,
    );
    assert!(s.contains(&format!("{today}       1  (total 1)")), "{s}");

    let o = tw(&["stats", rs, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["acceptance_by_label"]["PER"]["accepted"], 1);
    assert_eq!(v["acceptance_by_label"]["LOC"]["rate"], 0.0);
    assert_eq!(v["done_by_day"][&today], 1);
}

/// As a new user would try it: a doccano span that splits a surrogate pair, a Label Studio result
/// whose text disagrees with its offsets, a brat line with the wrong span text — each one error
/// naming the file (and line where the format has lines), with nothing written to the project.
#[test]
fn wrong_offsets_in_tool_files_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("p");
    let p = proj.to_str().unwrap();
    assert!(tw(&["new", p]).status.success());
    let before = crate::snapshot(&proj);
    let doccano = dir.path().join("d.jsonl");
    fs::write(
        &doccano,
        "{\"text\": \"😀 Xi\", \"label\": [[1, 5, \"PER\"]]}\n",
    )
    .unwrap();
    let ls = dir.path().join("t.json");
    fs::write(&ls, r#"[{"id": 3, "data": {"text": "Xi met Putin"}, "annotations": [{"result": [{"id": "a", "type": "labels", "value": {"start": 7, "end": 12, "text": "Xi", "labels": ["PER"]}}]}]}]"#).unwrap();
    fs::write(dir.path().join("b.txt"), "Xi met Putin").unwrap();
    let ann = dir.path().join("b.ann");
    fs::write(&ann, "T1\tPER 0 2\tXi\nT2\tPER 7 12\tWRONGTEXT\n").unwrap();
    for (file, needle) in [
        (&doccano, "d.jsonl:1: the span 1..5 does not fall on character boundaries in UTF-16 code units"),
        (&ls, "t.json:1: task 1 (id 3) result \"a\": the span 7..12 is \"Putin\" in the text, but its value.text is \"Xi\""),
        (&ann, "b.ann:2: T2's text \"WRONGTEXT\" is not the text at its offsets, \"Putin\""),
    ] {
        let o = tw(&["add", p, file.to_str().unwrap()]);
        assert_clean_error(&o, needle);
        assert_eq!(crate::snapshot(&proj), before, "{needle}");
    }
    // The same doccano span is fine in grapheme units, where the emoji is one unit.
    fs::write(
        &doccano,
        "{\"text\": \"😀 Xi\", \"label\": [[2, 4, \"PER\"]]}\n",
    )
    .unwrap();
    let o = tw(&[
        "add",
        p,
        doccano.to_str().unwrap(),
        "--doccano-offsets",
        "graphemes",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = tw(&["export", p, "--format", "jsonl"]);
    let line: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(line["spans"][0]["start"], 2);
    assert_eq!(line["spans"][0]["end"], 4);
    assert_eq!(char_slice(line["text"].as_str().unwrap(), 2, 4), "Xi");
    // hf writes a folder and so needs -o.
    let o = tw(&["export", p, "--format", "hf"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("--format hf writes files: give -o OUT"),
        "{}",
        stderr(&o)
    );
}

/// Run `tagwright args` and kill it after `secs`: `None` when it had to be killed (it hung).
fn tw_within(args: &[&str], secs: u64) -> Option<Output> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tagwright"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while start.elapsed().as_secs() < secs {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// FIFOs and devices as inputs or as files inside a project: a clear error at once, never a
/// hang or an endless read (a FIFO with no writer would block `open` forever).
#[test]
fn fifos_and_devices_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mkfifo = |p: &Path| {
        let ok = Command::new("mkfifo").arg(p).status().unwrap();
        assert!(ok.success());
    };
    let fifo = dir.path().join("fifo.txt");
    mkfifo(&fifo);
    let ann = dir.path().join("pair.ann");
    mkfifo(&ann);
    fs::write(dir.path().join("pair.txt"), "Xi met Putin").unwrap();
    // A 300 MB annotation file (sparse: made in no time) is refused from its size, unread.
    let big = dir.path().join("big.ann");
    fs::File::create(&big).unwrap().set_len(300 << 20).unwrap();
    fs::write(dir.path().join("big.txt"), "Xi met Putin").unwrap();
    let proj = dir.path().join("p");
    let p = proj.to_str().unwrap();
    assert!(tw(&["new", p]).status.success());
    let f = fifo.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["add", p, f],
            "is a FIFO (named pipe), not a regular file",
        ),
        (
            vec!["add", p, "/dev/zero"],
            "/dev/zero is a device, not a regular file",
        ),
        (
            vec!["add", p, ann.to_str().unwrap()],
            "is a FIFO (named pipe), not a regular file",
        ),
        (
            vec!["add", p, big.to_str().unwrap()],
            "big.ann is 314572800 bytes; articles are limited to",
        ),
        (
            vec!["suggest", f],
            "is a FIFO (named pipe), not a regular file",
        ),
        (vec!["suggest", "/dev/zero"], "/dev/zero is a device"),
        (
            vec!["eval", "--conll", f],
            "is a FIFO (named pipe), not a regular file",
        ),
        (
            vec!["eval", "--conll", "/dev/null", "--model", "/dev/zero"],
            "/dev/zero is a device",
        ),
    ];
    for (args, needle) in cases {
        let o = tw_within(&args, 10).unwrap_or_else(|| panic!("tagwright {args:?} hung"));
        assert_clean_error(&o, needle);
    }
    // Inside a project: a FIFO as the learned model or as the journal.
    fs::create_dir_all(proj.join("model")).unwrap();
    mkfifo(&proj.join("model/tagger.twm"));
    let article = dir.path().join("article.txt");
    fs::write(&article, "Xi met Putin in Beijing.").unwrap();
    let o = tw_within(&["add", p, article.to_str().unwrap()], 10)
        .expect("add with a FIFO as the project's model hung");
    // An unreadable learned model is not used: the shipped one suggests, and the person is told.
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("tagger.twm is a FIFO (named pipe), not a regular file")
            && stderr(&o).contains("the shipped model suggests instead"),
        "{}",
        stderr(&o)
    );
    fs::remove_file(proj.join("model/tagger.twm")).unwrap();
    // Opening the project reads the journal (crash recovery): refused at once.
    mkfifo(&proj.join("journal.jsonl"));
    let e = tagwright::store::journal::Journal::read(&proj)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("journal.jsonl is a FIFO (named pipe), not a regular file"),
        "{e}"
    );
}

/// Standard input is a stream by choice: an endless one stops at the article limit.
#[test]
fn endless_standard_input_is_refused_at_the_limit() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tagwright"))
        .args(["suggest"])
        .stdin(fs::File::open("/dev/zero").unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(
            start.elapsed().as_secs() < 60,
            "suggest < /dev/zero did not stop"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let o = child.wait_with_output().unwrap();
    assert_clean_error(&o, "standard input is more than the limit");
}

/// Exports never replace what is not theirs: the project's own files, a link, a device; and
/// standard output needs no temp file.
#[test]
fn exports_never_write_into_the_project_through_links_or_over_devices() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("p");
    let p = proj.to_str().unwrap();
    assert!(tw(&["new", p]).status.success());
    assert!(tw(&["add", p, SAMPLE]).status.success());
    let before = crate::snapshot(&proj);
    let outside = dir.path().join("outside.txt");
    fs::write(&outside, "keep").unwrap();
    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&outside, &link).unwrap();
    let fifo = dir.path().join("fifo.jsonl");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let manifest = proj.join("tagwright.ron");
    let inside_new = proj.join("documents/new.jsonl");
    let sneaky = proj.join("documents/../tagwright.ron");
    let through_new = proj.join("new-folder/..");
    let cases: Vec<(&Path, &str, &str)> = vec![
        (&manifest, "jsonl", "is inside the project folder"),
        (&inside_new, "jsonl", "is inside the project folder"),
        (&sneaky, "jsonl", "is inside the project folder"),
        (&proj, "brat", "is inside the project folder"),
        (&through_new, "hf", "is inside the project folder"),
        (&link, "jsonl", "is a symbolic link"),
        (&fifo, "conll", "is a device, FIFO or socket"),
        (
            Path::new("/dev/null"),
            "jsonl",
            "is a device, FIFO or socket",
        ),
    ];
    for (target, format, needle) in cases {
        let o = tw_within(
            &[
                "export",
                p,
                "--format",
                format,
                "-o",
                target.to_str().unwrap(),
            ],
            10,
        )
        .unwrap_or_else(|| panic!("export to {} hung", target.display()));
        assert_clean_error(&o, needle);
    }
    assert_eq!(crate::snapshot(&proj), before, "the project is unchanged");
    assert_eq!(fs::read_to_string(&outside).unwrap(), "keep");
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    // Standard output: written directly. The temp folder is a file here: any temp file in it
    // would fail (as the old export through the temp folder did).
    let tmp = dir.path().join("tmp");
    fs::write(&tmp, "not a folder").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_tagwright"))
        .args(["export", p, "--format", "conll"])
        .env("TMPDIR", &tmp)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Putin"));
    assert_eq!(fs::read_to_string(&tmp).unwrap(), "not a folder");
}

/// Inside a project, nothing is written through a link: not the index cache, not the documents
/// folder. Text from files reaches the terminal without its control characters.
#[test]
fn project_links_are_not_written_through_and_titles_are_made_safe() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("p");
    let p = proj.to_str().unwrap();
    assert!(tw(&["new", p]).status.success());
    let outside = dir.path().join("outside.jsonl");
    fs::write(&outside, "keep").unwrap();
    std::os::unix::fs::symlink(&outside, proj.join("index.cache.jsonl")).unwrap();
    let evil = dir.path().join("evil.txt");
    fs::write(
        &evil,
        "Title \u{1b}]0;owned\u{7}\u{1b}[2J here\nXi met Putin in Beijing.",
    )
    .unwrap();
    let o = tw(&["add", p, evil.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(&outside).unwrap(),
        "keep",
        "the cache link was not followed"
    );
    let shown = stdout(&o);
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown:?}"
    );
    assert!(
        shown.contains("Title \\u{1b}]0;owned\\u{7}\\u{1b}[2J here"),
        "{shown:?}"
    );
    // A documents folder that is a link to elsewhere: nothing is written there.
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::remove_dir_all(proj.join("documents")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, proj.join("documents")).unwrap();
    let o = tw(&["add", p, SAMPLE]);
    assert_clean_error(&o, "is a symbolic link or not a folder");
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn empty_project_names_and_empty_evaluations_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p");
    assert_clean_error(
        &tw(&["new", p.to_str().unwrap(), "--name", " "]),
        "--name: the project name is empty",
    );
    assert!(!p.join("tagwright.ron").exists());
    let empty = dir.path().join("empty.conll");
    fs::write(&empty, "\n").unwrap();
    assert_clean_error(
        &tw(&["eval", "--conll", empty.to_str().unwrap()]),
        "has no sentences to score",
    );
}

/// Two processes adding to one project at once, 20 times: every document is written and listed,
/// none is lost to the other's manifest (the manifest is merged under a lock, never
/// last-writer-wins).
#[test]
fn concurrent_adds_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("p");
    let p = proj.to_str().unwrap();
    assert!(tw(&["new", p]).status.success());
    let spawn = |file: &Path| {
        Command::new(env!("CARGO_BIN_EXE_tagwright"))
            .args(["add", p, file.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (xs, ys) = (dir.path().join("x"), dir.path().join("y"));
    fs::create_dir_all(&xs).unwrap();
    fs::create_dir_all(&ys).unwrap();
    for round in 0..20 {
        // The same file name on both sides: both processes want the same id.
        let x = xs.join(format!("r{round}.txt"));
        let y = ys.join(format!("r{round}.txt"));
        fs::write(&x, format!("Xi met Putin, round {round}.")).unwrap();
        fs::write(&y, format!("Biden met Kishida, round {round}.")).unwrap();
        let (a, b) = (spawn(&x), spawn(&y));
        for c in [a, b] {
            let o = c.wait_with_output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
    }
    let manifest = fs::read_to_string(proj.join("tagwright.ron")).unwrap();
    let files: Vec<String> = fs::read_dir(proj.join("documents"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 40, "{files:?}");
    for f in &files {
        let id = f.strip_suffix(".ron").unwrap();
        assert!(
            manifest.contains(&format!("\"{id}\"")),
            "{id} is not listed"
        );
    }
    let o = tw(&["stats", p, "--json"]);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["documents"], 40);
}

/// The window (its workspace) adds a label while another process adds a document: saving keeps
/// both, and the window's schema takes in what the other process changed.
#[test]
fn a_label_change_in_the_window_keeps_a_document_added_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("p");
    let p = proj.to_str().unwrap();
    assert!(tw(&["new", p]).status.success());
    assert!(tw(&["add", p, SAMPLE]).status.success());
    let mut ws = tagwright::store::Workspace::open(&proj).unwrap();
    ws.add_label("EVENT").unwrap();
    let other = dir.path().join("nvidia.txt");
    fs::write(&other, "Nvidia rose 5% in New York on Monday.").unwrap();
    let o = tw(&["add", p, other.to_str().unwrap(), "--format", "txt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The window notices the manifest change and lists the new document at once.
    let news = ws
        .manifest_changed_on_disk()
        .expect("the change is noticed");
    assert!(
        news.contains("1 document(s) added by another process"),
        "{news}"
    );
    assert_eq!(ws.docs.len(), 2);
    assert!(ws.schema.contains("EVENT"), "the unsaved label stays");
    assert_eq!(ws.manifest_changed_on_disk(), None, "noticed once");
    // Another add, then the window saves before it looked: the save takes the document in.
    let third = dir.path().join("third.txt");
    fs::write(&third, "Kishida met Biden in Tokyo.").unwrap();
    assert!(tw(&["add", p, third.to_str().unwrap()]).status.success());
    ws.save().unwrap();
    assert_eq!(ws.docs.len(), 3);
    let news = ws.merge_news.take().expect("the save says what came in");
    assert!(
        news.contains("1 document(s) added by another process"),
        "{news}"
    );
    let reopened = tagwright::store::Project::open(&proj).unwrap();
    assert_eq!(reopened.ids().len(), 3, "{:?}", reopened.ids());
    assert!(reopened.schema.contains("EVENT"));
}

/// What a killed `add` leaves (a document file no manifest lists, a temp file) is found by
/// `check`, and adopted or removed by `check --repair`.
#[test]
fn check_finds_and_repairs_what_an_interrupted_add_left() {
    let dir = tempfile::tempdir().unwrap();
    let (p, q) = (dir.path().join("p"), dir.path().join("q"));
    let (ps, qs) = (p.to_str().unwrap(), q.to_str().unwrap());
    for root in [ps, qs] {
        assert!(tw(&["new", root]).status.success());
    }
    assert!(tw(&["add", ps, SAMPLE]).status.success());
    let other = dir.path().join("other.txt");
    fs::write(&other, "Nvidia rose 5% in New York.").unwrap();
    assert!(tw(&["add", qs, other.to_str().unwrap()]).status.success());
    assert_eq!(
        stdout(&tw(&["check", ps])).trim(),
        "checked 1 documents: no problems"
    );
    // An orphan (written, never listed) and a temp file of an interrupted write.
    fs::copy(
        q.join("documents/0001-other.ron"),
        p.join("documents/0001-other.ron"),
    )
    .unwrap();
    // (The pid is above Linux's largest, so no live process owns it.)
    fs::write(p.join("documents/.0002-x.ron.4194305.0.tmp"), "half a file").unwrap();
    fs::write(p.join("documents/.notes.tmp"), "not ours").unwrap();
    let o = tw(&["check", ps]);
    assert_eq!(o.status.code(), Some(1));
    let report = stdout(&o);
    assert!(
        report.contains("0001-other.ron: a valid document that the manifest does not list"),
        "{report}"
    );
    assert!(
        report.contains(".0002-x.ron.4194305.0.tmp: a temp file of an interrupted write"),
        "{report}"
    );
    assert!(
        !report.contains(".notes.tmp"),
        "not a Tagwright temp file: {report}"
    );
    assert!(stderr(&o).contains("2 problem(s)"), "{}", stderr(&o));
    let o = tw(&["check", ps, "--repair"]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(p.join("documents/.notes.tmp").exists());
    assert!(
        stdout(&o).contains("repaired: adopted 1 document(s)"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        stdout(&tw(&["check", ps])).trim(),
        "checked 2 documents: no problems"
    );
    let v: serde_json::Value =
        serde_json::from_str(stdout(&tw(&["stats", ps, "--json"])).trim()).unwrap();
    assert_eq!(v["documents"], 2);
}

#[test]
fn a_model_is_never_written_over_a_projects_own_files() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("p");
    let p = proj.to_str().unwrap();
    assert!(tw(&["new", p]).status.success());
    let before = crate::snapshot(&proj);
    let conll = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/iob1.conll");
    for target in ["tagwright.ron", "documents/x.ron"] {
        let out = proj.join(target);
        let o = tw(&[
            "train",
            "--conll",
            conll,
            "--epochs",
            "1",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_clean_error(&o, "is inside the project folder");
    }
    assert_eq!(crate::snapshot(&proj), before);
}
