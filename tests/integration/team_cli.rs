//! A team's commands on the real binary: `add --annotator`, `assign`, `agree` (against `eval`),
//! Label Studio exports of several annotators, `check` of layers, and two clones merged with git.

use super::team::{ok, s, sample_project, tw, who, DEV, SAMPLE, TRUTH};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tagwright::extract::tagger::Tagger;
use tagwright::extract::{Analysis, Recognizer};
use tagwright::model::{Edit, Span, Status};
use tagwright::store::Project;

/// A new project `p` in `dir` with the news labels (the interop truth's).
fn news_project(dir: &Path) -> PathBuf {
    let root = dir.join("p");
    ok(tw(&[
        "new",
        s(&root),
        "--labels",
        "PER,ORG,LOC,MISC,DATE,MONEY,PERCENT",
    ]));
    root
}

#[test]
fn add_with_an_annotator_matches_documents_by_text_and_adds_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let root = news_project(dir.path());
    // Two of the four articles are in the project already (under other ids).
    let lines: Vec<&str> = include_str!("../fixtures/interop/truth.jsonl")
        .lines()
        .collect();
    let first_two = dir.path().join("two.jsonl");
    let texts: Vec<String> = lines[..2]
        .iter()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            serde_json::json!({"id": format!("other-{}", v["id"].as_str().unwrap()), "text": v["text"]}).to_string()
        })
        .collect();
    fs::write(&first_two, texts.join("\n") + "\n").unwrap();
    ok(tw(&["add", s(&root), s(&first_two)]));
    let out = ok(tw(&["add", s(&root), TRUTH, "--annotator", "gold"]));
    assert_eq!(out.matches("matched ").count(), 2, "{out}");
    assert_eq!(out.matches("added ").count(), 2, "{out}");
    let p = Project::open(&root).unwrap();
    assert_eq!(p.ids().len(), 4);
    let truth: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for id in p.ids() {
        let (main, layers) = p.load_layers(id, &[who("gold")]).unwrap();
        assert!(main.spans().is_empty(), "the main layer has nobody's spans");
        let gold = layers[0].as_ref().expect("every document has gold's layer");
        assert_eq!(gold.status(), Status::Done);
        let t = truth.iter().find(|t| t["text"] == gold.text()).unwrap();
        let mut want: Vec<(usize, usize, String)> = t["spans"]
            .as_array()
            .unwrap()
            .iter()
            .map(crate::json_span)
            .collect();
        want.sort();
        let got: Vec<(usize, usize, String)> = gold
            .spans()
            .iter()
            .map(|s| (s.span.start.0, s.span.end.0, s.label.clone()))
            .collect();
        assert_eq!(
            got, want,
            "{id}: code point offsets kept (emoji, CJK, CRLF)"
        );
    }
    // Export of gold's layer gives the truth back; of the main layer, says what is missing.
    let o = tw(&["export", s(&root), "--annotator", "gold"]);
    let out = ok(o);
    assert_eq!(out.lines().count(), 4);
    for l in out.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        let t = truth.iter().find(|t| t["text"] == v["text"]).unwrap();
        assert_eq!(
            v["spans"].as_array().unwrap().len(),
            t["spans"].as_array().unwrap().len()
        );
    }
    let o = tw(&["export", s(&root)]);
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        err.contains("4 documents have no adjudicated version"),
        "{err}"
    );
    // Stats per annotator.
    let st = ok(tw(&["stats", s(&root)]));
    let line = st
        .lines()
        .find(|l| l.starts_with("gold "))
        .unwrap_or_default();
    let cols: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(&cols[1..4], &["4", "4", "112"], "{st}");
    // A bad name is refused before anything is written.
    let o = tw(&["add", s(&root), TRUTH, "--annotator", "../x"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--annotator"));
}

#[test]
fn assign_is_balanced_reproducible_and_keeps_what_was_given() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    ok(tw(&["new", s(&root)]));
    let many = dir.path().join("many.jsonl");
    let lines: Vec<String> = (0..30)
        .map(|i| {
            serde_json::json!({"text": format!("Article {i} about Paris and Ana Lopez.")})
                .to_string()
        })
        .collect();
    fs::write(&many, lines.join("\n")).unwrap();
    ok(tw(&["add", s(&root), s(&many)]));
    let args = [
        "assign",
        s(&root),
        "--annotators",
        "ana,ben,chen,dan",
        "--overlap",
        "2",
        "--seed",
        "9",
    ];
    let out = ok(tw(&args));
    assert!(out.contains("assigned 30 documents"), "{out}");
    let first = fs::read(root.join("assignments.ron")).unwrap();
    ok(tw(&args));
    assert_eq!(
        fs::read(root.join("assignments.ron")).unwrap(),
        first,
        "reproducible"
    );
    let a = tagwright::store::layers::read_assignments(&root)
        .unwrap()
        .unwrap();
    let loads: Vec<usize> = a.annotators.iter().map(|x| a.of(x).count()).collect();
    assert_eq!(loads, vec![15, 15, 15, 15]);
    assert!(a
        .documents
        .iter()
        .all(|(_, w)| w.len() == 2 && w[0] != w[1]));
    // A different seed gives a different (still balanced) assignment; --fresh is needed when
    // someone leaves.
    let o = tw(&[
        "assign",
        s(&root),
        "--annotators",
        "ana,ben,chen",
        "--overlap",
        "2",
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--fresh"));
    ok(tw(&[
        "assign",
        s(&root),
        "--annotators",
        "ana,ben,chen",
        "--overlap",
        "2",
        "--fresh",
    ]));
    let o = tw(&[
        "assign",
        s(&root),
        "--annotators",
        "ana",
        "--overlap",
        "2",
        "--fresh",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("overlap of 2"));
}

/// The tagger's own suggestions as a layer, marked done (what `eval PROJECT` scores).
fn tagger_layer(p: &Project, name: &str) {
    let tagger = Tagger::shipped().unwrap();
    let labels = tagger.model().labels.clone();
    let mut p = p.clone();
    p.set_layer(Some(who(name)));
    for id in p.ids() {
        let mut d = p.load_document(id).unwrap();
        for s in tagger.recognize(&Analysis::new(d.text())) {
            if labels.contains(&s.label) && p.schema.contains(&s.label) {
                d.apply(
                    &Edit::AddSpan(Span::manual(s.span.start.0, s.span.end.0, &s.label)),
                    &p.schema,
                )
                .unwrap();
            }
        }
        d.apply(&Edit::SetStatus(Status::Done), &p.schema).unwrap();
        p.save_document(&d).unwrap();
    }
}

fn micro_f1(out: &str) -> f64 {
    let last = out.lines().last().unwrap_or_default();
    last.strip_prefix("micro F1: ").unwrap().parse().unwrap()
}

#[test]
fn agree_between_gold_and_the_tagger_equals_eval_of_the_tagger() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    ok(tw(&["new", s(&root), "--labels", "PER,ORG,LOC,MISC"]));
    // A few hundred CoNLL documents when the data is here, else the four interop articles.
    let (file, min_docs) = if crate::data_here(Path::new(DEV)) {
        (DEV, 200)
    } else {
        eprintln!("{DEV} is not here: agreement is checked on the four interop articles");
        (TRUTH, 4)
    };
    let filtered = dir.path().join("gold.jsonl");
    if file == TRUTH {
        // Only CoNLL's labels.
        let keep: Vec<String> = include_str!("../fixtures/interop/truth.jsonl")
            .lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                let spans: Vec<serde_json::Value> = v["spans"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|s| {
                        ["PER", "ORG", "LOC", "MISC"].contains(&s["label"].as_str().unwrap())
                    })
                    .cloned()
                    .collect();
                v["spans"] = spans.into();
                v.to_string()
            })
            .collect();
        fs::write(&filtered, keep.join("\n") + "\n").unwrap();
    }
    let gold_file = if file == TRUTH { s(&filtered) } else { file };
    ok(tw(&["add", s(&root), gold_file, "--annotator", "gold"]));
    let p = Project::open(&root).unwrap();
    assert!(p.ids().len() >= min_docs);
    // The main layer is the gold too, marked done, so `eval PROJECT` scores against it.
    for id in p.ids() {
        let (_, l) = p.load_layers(id, &[who("gold")]).unwrap();
        p.save_document(l[0].as_ref().unwrap()).unwrap();
    }
    tagger_layer(&p, "tagger");
    let eval = micro_f1(&ok(tw(&[
        "eval",
        s(&root),
        "--model",
        concat!(env!("CARGO_MANIFEST_DIR"), "/assets/models/conll2003.twm"),
    ])));
    let json: serde_json::Value = serde_json::from_str(&ok(tw(&[
        "agree",
        s(&root),
        "--annotators",
        "gold,tagger",
        "--json",
    ])))
    .unwrap();
    let pair = &json["pairs"][0];
    assert_eq!(pair["documents"].as_u64().unwrap() as usize, p.ids().len());
    let f1 = pair["spans"]["f1"].as_f64().unwrap();
    assert!(
        (f1 - eval).abs() < 6e-5,
        "agree's exact-span F1 {f1} differs from eval's {eval}"
    );
    assert!(eval > 0.5, "the tagger is scored on real text: {eval}");
    // Text output names every figure.
    let text = ok(tw(&["agree", s(&root)]));
    for needle in [
        "gold / tagger",
        "Cohen's κ",
        "Fleiss' κ",
        "Krippendorff's α",
        "least agreement",
    ] {
        assert!(text.contains(needle), "{needle} missing in:\n{text}");
    }
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn git_ok(dir: &Path, args: &[&str]) -> String {
    let o = git(dir, args);
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// `name` accepts the first `n` suggestions of every document in their clone and marks them done.
fn annotate_as(root: &Path, name: &str, n: usize) {
    let mut p = Project::open(root).unwrap();
    p.set_layer(Some(who(name)));
    for id in p.ids().to_vec() {
        let mut d = p.load_document(&id).unwrap();
        let picks: Vec<_> = d.suggestions().iter().take(n).cloned().collect();
        for s in picks {
            let _ = d.apply(
                &Edit::AcceptSuggestion {
                    span: s.span,
                    label: s.label,
                },
                &p.schema,
            );
        }
        d.apply(&Edit::SetStatus(Status::Done), &p.schema).unwrap();
        p.save_document(&d).unwrap();
    }
}

#[test]
fn two_clones_annotated_in_parallel_merge_with_git_without_conflict() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipping: no git here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin");
    fs::create_dir(&origin).unwrap();
    ok(tw(&["new", s(&origin.join("p"))]));
    let news = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/news");
    let articles: Vec<String> = ["ap-like", "bbc-like", "reuters-like"]
        .iter()
        .map(|n| format!("{news}/{n}.txt"))
        .collect();
    let project = origin.join("p");
    let mut args = vec!["add", s(&project), SAMPLE];
    args.extend(articles.iter().map(String::as_str));
    ok(tw(&args));
    git_ok(&origin, &["init", "-q"]);
    git_ok(
        &origin,
        &["add", "p/tagwright.ron", "p/documents", "p/guidelines.md"],
    );
    git_ok(&origin, &["commit", "-qm", "project"]);
    for c in ["a", "b"] {
        git_ok(dir.path(), &["clone", "-q", s(&origin), c]);
    }
    annotate_as(&dir.path().join("a/p"), "ana", 5);
    annotate_as(&dir.path().join("b/p"), "ben", 3);
    for (c, name) in [("a", "ana"), ("b", "ben")] {
        let d = dir.path().join(c);
        git_ok(&d, &["add", "p/layers"]);
        git_ok(&d, &["commit", "-qm", name]);
    }
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    git_ok(&a, &["push", "-q", "origin", "HEAD:side"]);
    git_ok(&b, &["fetch", "-q", "origin", "side"]);
    let merged = git(&b, &["merge", "--no-edit", "-q", "FETCH_HEAD"]);
    assert!(
        merged.status.success(),
        "merge: {}",
        String::from_utf8_lossy(&merged.stdout)
    );
    assert_eq!(
        git_ok(
            &b,
            &["status", "--porcelain", "--", "p/layers", "p/documents"]
        ),
        ""
    );
    let p = Project::open(&b.join("p")).unwrap();
    assert_eq!(
        tagwright::store::layers::annotators(p.root()).unwrap(),
        vec![who("ana"), who("ben")]
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(tw(&["agree", s(p.root()), "--json"]))).unwrap();
    assert_eq!(json["pairs"][0]["documents"].as_u64(), Some(4));
    let pending: Vec<usize> = p
        .ids()
        .iter()
        .map(|id| p.load_document(id).unwrap().suggestions().len())
        .collect();
    assert!(pending.iter().all(|&n| n >= 5), "{pending:?}");
    let counts = &json["pairs"][0]["spans"];
    assert_eq!(
        counts["reference"].as_u64(),
        Some(20),
        "ana's 5 per document"
    );
    assert_eq!(counts["other"].as_u64(), Some(12), "ben's 3");
    assert_eq!(
        counts["exact"].as_u64(),
        Some(12),
        "ben's are ana's first 3"
    );
}

#[test]
fn a_label_studio_export_with_several_annotators_becomes_their_layers() {
    let dir = tempfile::tempdir().unwrap();
    // The real export (Label Studio 1.23.2, one annotation per task by user 1), with a second
    // annotation per task by user 2 that left out the first region and relabelled the second.
    let mut tasks: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("../fixtures/interop/labelstudio-export.json")).unwrap();
    let mut dropped = 0;
    for t in &mut tasks {
        let mut second = t["annotations"][0].clone();
        second["completed_by"] = 2.into();
        second["id"] = 1000.into();
        let results = second["result"].as_array_mut().unwrap();
        results.remove(0);
        dropped += 1;
        results[0]["value"]["labels"] = serde_json::json!(["MISC"]);
        t["annotations"].as_array_mut().unwrap().push(second);
    }
    let file = dir.path().join("team.json");
    fs::write(&file, serde_json::to_string(&tasks).unwrap()).unwrap();
    let root = news_project(dir.path());
    let o = tw(&["add", s(&root), s(&file)]);
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(o.status.success(), "{err}");
    assert!(err.contains("ls-user-1, ls-user-2"), "{err}");
    let p = Project::open(&root).unwrap();
    assert_eq!(
        tagwright::store::layers::annotators(&root).unwrap(),
        vec![who("ls-user-1"), who("ls-user-2")]
    );
    let truth: Vec<serde_json::Value> = include_str!("../fixtures/interop/truth.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (mut first, mut second) = (0, 0);
    for id in p.ids() {
        let (main, l) = p
            .load_layers(id, &[who("ls-user-1"), who("ls-user-2")])
            .unwrap();
        assert!(main.spans().is_empty(), "nobody's spans in the main layer");
        let (a, b) = (l[0].as_ref().unwrap(), l[1].as_ref().unwrap());
        assert_eq!(a.status(), Status::Done);
        let t = truth.iter().find(|t| t["text"] == a.text()).unwrap();
        assert_eq!(a.spans().len(), t["spans"].as_array().unwrap().len());
        first += a.spans().len();
        second += b.spans().len();
    }
    assert_eq!(first, 112);
    assert_eq!(second, 112 - dropped);
    let json: serde_json::Value =
        serde_json::from_str(&ok(tw(&["agree", s(&root), "--json"]))).unwrap();
    let c = &json["pairs"][0]["spans"];
    assert_eq!(c["reference"].as_u64(), Some(112));
    assert_eq!(c["exact"].as_u64().unwrap() as usize, 112 - 2 * dropped);
}

#[test]
fn check_verifies_layers_and_the_assignments() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_project(dir.path());
    ok(tw(&["add", s(&root), TRUTH, "--annotator", "gold"]));
    ok(tw(&["assign", s(&root), "--annotators", "gold,ana"]));
    let out = ok(tw(&["check", s(&root)]));
    assert!(out.contains("no problems"), "{out}");
    let layer = fs::read_dir(root.join("layers/gold"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "ron"))
        .unwrap();
    let good = fs::read_to_string(&layer).unwrap();
    fs::write(&layer, good.replace("Span(start: ", "Span(start: 9999")).unwrap();
    fs::write(root.join("layers/gold/not-listed.ron"), &good).unwrap();
    fs::write(root.join("layers/gold/.x.ron.999999999.1.tmp"), "").unwrap();
    let o = tw(&["check", s(&root)]);
    assert!(!o.status.success());
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(out.contains(&layer.display().to_string()), "{out}");
    assert!(
        out.contains("not-listed.ron") && out.contains("does not list"),
        "{out}"
    );
    assert!(out.contains(".tmp"), "{out}");
    fs::write(root.join("assignments.ron"), "Assignments(").unwrap();
    let out = String::from_utf8_lossy(&tw(&["check", s(&root)]).stdout).to_string();
    assert!(out.contains("assignments.ron"), "{out}");
}
