//! The statistical tagger through the real binary: the shipped model on CoNLL dev (when the data
//! is present), training and evaluation commands, corrupt models, and learning from a project.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use tagwright::extract::Pipeline;
use tagwright::model::{Document, Edit, History, LabelSchema, Span, Status};
use tagwright::store::Project;

const DEV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/conll2003/dev.txt"
);

fn tw(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tagwright"))
        .args(args)
        .output()
        .unwrap()
}

fn last_f1(o: &Output) -> f64 {
    let out = String::from_utf8_lossy(&o.stdout);
    let last = out.lines().last().unwrap_or_default();
    last.strip_prefix("micro F1: ")
        .unwrap_or_else(|| panic!("last line is {last:?}"))
        .parse()
        .unwrap()
}

/// `tagwright eval` of the shipped model on all of CoNLL dev, which chose nothing about it
/// (epochs, temperatures and the second pass are chosen on training documents held out): each
/// floor is one point under what the README reports (F1 0.9388; entities scored 0.9 or more
/// right 98.42% of the time), so a drop of a point fails.
#[test]
fn shipped_model_holds_its_reported_scores_on_all_of_dev() {
    if !crate::data_here(Path::new(DEV)) {
        return;
    }
    let o = tw(&["eval", "--conll", DEV]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let f1 = last_f1(&o);
    assert!(f1 >= 0.9288, "micro F1 {f1} on CoNLL dev (0.9388 reported)");
    let out = String::from_utf8_lossy(&o.stdout);
    for l in ["PER", "ORG", "LOC", "MISC"] {
        assert!(out.lines().any(|x| x.starts_with(l)), "no {l} row");
    }
    let line = out.lines().find(|l| l.contains(">= 0.90")).unwrap();
    let p: f64 = line.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(p >= 0.9742, "{line} (0.9842 reported)");
}

/// `(start, end, label)` of an entity.
type Entity = (usize, usize, String);

/// `(text, gold)` of each document, PER/ORG/LOC/MISC only.
type Truth = Vec<(String, Vec<Entity>)>;

const NEWS4: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// Exact-span micro F1, with the suggestions made.
fn pipeline_scores(p: &Pipeline, docs: &Truth) -> (f64, Vec<Vec<Entity>>) {
    let schema = LabelSchema::from_names(&NEWS4).unwrap();
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let mut made = Vec::new();
    for (text, gold) in docs {
        let got: Vec<_> = p
            .suggest_labelled(text, &schema)
            .into_iter()
            .map(|s| (s.span.start.0, s.span.end.0, s.label))
            .collect();
        let right = got.iter().filter(|s| gold.contains(s)).count();
        (tp, fp) = (tp + right, fp + got.len() - right);
        fn_ += gold.len() - right;
        made.push(got);
    }
    (2.0 * tp as f64 / (2 * tp + fp + fn_) as f64, made)
}

/// `tagwright eval --conll DEV --pipeline`: the whole pipeline (tagger, patterns, lists, rules,
/// merged) against the tagger it contains, on every dev document's text: never worse, in F1 or in
/// how often "≥ 0.9" is right. (When the lists could override the tagger the pipeline scored
/// 0.9308 against the tagger's 0.9364.) The floor is one point under the README's 0.9369.
#[test]
fn the_pipeline_is_never_worse_than_its_tagger_on_all_of_dev() {
    if !crate::data_here(Path::new(DEV)) {
        return;
    }
    let o = tw(&["eval", "--conll", DEV, "--pipeline"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    let number_after = |line: &str, what: &str| -> f64 {
        let rest = &line[line.find(what).unwrap_or_else(|| panic!("{line}")) + what.len()..];
        let n = rest.trim_start().split([' ', ';']).next().unwrap();
        n.parse().unwrap_or_else(|_| panic!("{line}"))
    };
    let first = out.lines().next().unwrap();
    let (alone, alone_hi) = (
        number_after(first, "micro F1"),
        number_after(first, "precision"),
    );
    let whole = last_f1(&o);
    let hi = out.lines().find(|l| l.contains(">= 0.90")).unwrap();
    let whole_hi = number_after(hi, "precision");
    assert!(
        whole >= alone,
        "pipeline F1 {whole} < the tagger's {alone}\n{out}"
    );
    assert!(
        whole_hi >= alone_hi,
        ">= 0.9: {whole_hi} < {alone_hi}\n{out}"
    );
    assert!(
        whole >= 0.9269,
        "pipeline F1 {whole} on dev (0.9369 reported)"
    );
}

/// On the four interop articles (news with CJK, emoji, combining marks and CRLF, annotated by
/// hand), the lists and rules add what the tagger misses, and all they add is right.
#[test]
fn on_real_articles_the_lists_fill_what_the_tagger_misses_and_only_rightly() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/interop/truth.jsonl"
    );
    let truth: Truth = fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let spans = v["spans"].as_array().unwrap().iter().map(crate::json_span);
            let gold = spans.filter(|s| NEWS4.contains(&s.2.as_str())).collect();
            (v["text"].as_str().unwrap().to_string(), gold)
        })
        .collect();
    let tagger = tagwright::extract::tagger::Tagger::shipped().unwrap();
    let (alone, by_tagger) = pipeline_scores(&Pipeline::tagger_only(tagger), &truth);
    let (whole, by_all) = pipeline_scores(&Pipeline::news(), &truth);
    assert!(whole > alone, "pipeline F1 {whole} <= the tagger's {alone}");
    let mut added = 0;
    for ((t, (_, gold)), a) in by_tagger.iter().zip(&truth).zip(&by_all) {
        for s in a.iter().filter(|s| !t.contains(s)) {
            assert!(
                gold.contains(s),
                "the pipeline added {s:?}, which is not in the truth"
            );
            added += 1;
        }
    }
    assert!(added >= 2, "the lists added {added} suggestions");
}

const TRAIN_IOB2: &str = "-DOCSTART- -X- -X- O

Zorblat B-PER
met O
Quenby B-PER
Vlask I-PER
in O
Vargston B-LOC
. O

Quenby B-PER
Vlask I-PER
works O
for O
Acme B-ORG
Widgets I-ORG
. O

-DOCSTART- -X- -X- O

The O
Acme B-ORG
Widgets I-ORG
plant O
in O
Vargston B-LOC
closed O
. O
";

#[test]
fn train_and_eval_commands_on_a_small_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("train.conll");
    fs::write(&data, TRAIN_IOB2.repeat(5)).unwrap();
    let model = dir.path().join("m.twm");
    let (d, m) = (data.to_str().unwrap(), model.to_str().unwrap());
    let o = tw(&["train", "--conll", d, "--dev", d, "-o", m, "--epochs", "4"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("epoch  1:") && out.contains("dev F1"), "{out}");
    let o = tw(&["eval", "--conll", d, "--model", m]);
    assert_eq!(last_f1(&o), 1.0, "{}", String::from_utf8_lossy(&o.stdout));
    // Same data and seed: the same bytes.
    let again = dir.path().join("m2.twm");
    assert!(tw(&[
        "train",
        "--conll",
        d,
        "--dev",
        d,
        "-o",
        again.to_str().unwrap(),
        "--epochs",
        "4"
    ])
    .status
    .success());
    assert_eq!(fs::read(&model).unwrap(), fs::read(&again).unwrap());
}

/// Gold entities per label in an `eval` table.
fn gold_column(out: &str) -> Vec<(String, usize)> {
    out.lines()
        .skip_while(|l| !l.starts_with("label"))
        .skip(1)
        .take_while(|l| !l.starts_with("overall"))
        .filter_map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            Some((cols.first()?.to_string(), cols.last()?.parse().ok()?))
        })
        .collect()
}

/// `train --leave-out-fold K/N` learns from every document but fold K; `eval --fold K/N` scores
/// only fold K (every N-th document from the K-th); `--pipeline` scores the whole pipeline on
/// the text next to the tagger alone.
#[test]
fn folds_and_the_whole_pipeline_on_a_small_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("train.conll");
    // Ten documents: even ones have 5 entities (3 PER, a LOC, an ORG), odd ones 2 (ORG, LOC).
    fs::write(&data, TRAIN_IOB2.repeat(5)).unwrap();
    let model = dir.path().join("m.twm");
    let (d, m) = (data.to_str().unwrap(), model.to_str().unwrap());
    let o = tw(&[
        "train",
        "--conll",
        d,
        "-o",
        m,
        "--epochs",
        "2",
        "--leave-out-fold",
        "2/5",
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("training on 8 documents"), "{out}");
    // Fold 2/5 is documents 1 and 6: an odd one and an even one.
    let o = tw(&["eval", "--conll", d, "--model", m, "--fold", "2/5"]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    let mut gold = gold_column(&out);
    gold.sort();
    let want = [("LOC", 2), ("ORG", 2), ("PER", 3)].map(|(l, n)| (l.to_string(), n));
    assert_eq!(gold, want, "{out}");
    let o = tw(&[
        "eval",
        "--conll",
        d,
        "--model",
        m,
        "--fold",
        "2/5",
        "--pipeline",
    ]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(o.status.success(), "{out}");
    assert!(
        out.starts_with("the tagger alone on the same text: micro F1"),
        "{out}"
    );
    let mut gold = gold_column(&out);
    gold.sort();
    assert_eq!(gold, want, "{out}");
    assert!(last_f1(&o) > 0.0, "{out}");
    let o = tw(&["eval", "--conll", d, "--fold", "11/20"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && err.contains("has no documents (the file has 10)"),
        "{err}"
    );
    let project = dir.path().join("p");
    assert!(tw(&["new", project.to_str().unwrap()]).status.success());
    let o = tw(&["eval", project.to_str().unwrap(), "--pipeline"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && err.contains("add --conll FILE"),
        "{err}"
    );
    for bad in ["0/5", "6/5", "1/1", "two"] {
        let o = tw(&["eval", "--conll", d, "--fold", bad]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            !o.status.success() && err.contains("is not a fold"),
            "{bad}: {err}"
        );
    }
}

#[test]
fn corrupt_or_foreign_models_are_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.conll");
    fs::write(&data, TRAIN_IOB2).unwrap();
    let foreign = dir.path().join("foreign.twm");
    fs::write(&foreign, b"PK\x03\x04 this is a zip").unwrap();
    let shipped = fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/models/conll2003.twm"
    ))
    .unwrap();
    let truncated = dir.path().join("cut.twm");
    fs::write(&truncated, &shipped[..shipped.len() / 3]).unwrap();
    for (file, needle) in [
        (&foreign, "is not a Tagwright model"),
        (&truncated, "is truncated or corrupt"),
    ] {
        let o = tw(&[
            "eval",
            "--conll",
            data.to_str().unwrap(),
            "--model",
            file.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            err.starts_with("error: ") && err.contains(needle) && !err.contains("panicked"),
            "{err}"
        );
    }
    let bad = dir.path().join("bad.conll");
    fs::write(&bad, "Qorvath NNP I-NP X-ORG\n").unwrap();
    let o = tw(&[
        "train",
        "--conll",
        bad.to_str().unwrap(),
        "-o",
        "/tmp/never.twm",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad.conll:1: \"X-ORG\" is not a tag"));
}

/// A project whose person defined their own label, with a few documents marked done.
fn drug_project(root: &Path) -> Project {
    let schema = LabelSchema::from_names(&["DRUG", "PER"]).unwrap();
    let mut p = Project::create(root, "pharma", schema.clone()).unwrap();
    let drugs = [
        "Zanthorex",
        "Morlivane",
        "Quentapril",
        "Ostravil",
        "Belcoxin",
        "Triamzol",
    ];
    let mut docs = Vec::new();
    for i in 0..12 {
        let a = drugs[i % drugs.len()];
        let b = drugs[(i + 2) % drugs.len()];
        let text = format!("Patients given {a} recovered faster than those on {b}, the study found.\nDoctors said {a} was safe.");
        let id = tagwright::model::DocId::new(&format!("d{i:02}")).unwrap();
        let mut d = Document::new(id, "t", "", text.clone());
        let mut h = History::new();
        for name in [a, b] {
            for (byte, _) in text.match_indices(name) {
                let s = text[..byte].chars().count();
                let _ = h.apply(
                    &mut d,
                    &Edit::AddSpan(Span::manual(s, s + name.chars().count(), "DRUG")),
                    &schema,
                );
            }
        }
        h.apply(&mut d, &Edit::SetStatus(Status::Done), &schema)
            .unwrap();
        docs.push(d);
    }
    p.add_documents(&mut docs).unwrap();
    p
}

#[test]
fn train_project_learns_labels_the_person_defined() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("pharma");
    drug_project(&root);
    let r = root.to_str().unwrap();
    let o = tw(&["train", r, "--epochs", "6"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The new label joins the shipped model's classes, which keep what they know.
    assert!(
        out.contains(",DRUG (starting from the shipped model)"),
        "{out}"
    );
    assert!(
        out.contains("the learned model is now the project's model"),
        "{out}"
    );
    assert!(root.join("model/tagger.twm").exists());
    assert!(root.join("model/tagger.info.ron").exists());
    // Scored on the documents it learned from, eval says so and adds the held-out score (k-fold,
    // models that did not learn from the document scored), which its last line gives.
    let o = tw(&["eval", r]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(out.contains("training-set score"), "{out}");
    assert!(out.contains("held out: 12 documents marked done"), "{out}");
    let micro = out.lines().find(|l| l.starts_with("micro F1 ")).unwrap();
    let f: Vec<f64> = micro
        .split_whitespace()
        .skip(2)
        .map(|x| x.parse().unwrap())
        .collect();
    assert!(f[1] > f[0], "learned beats shipped held out: {micro}");
    assert!((last_f1(&o) - f[1]).abs() < 6e-4, "{out}");
    // The model this project suggests with, scored on a CoNLL file.
    let conll = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/iob1.conll");
    let o = tw(&["eval", "--conll", conll, "--project", r]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.starts_with("model: ") && out.contains("learned from 12 documents marked done"),
        "{out}"
    );
    assert!(out.contains("micro F1: "), "{out}");
    // The project's pipeline now suggests the new label on unseen text.
    let p = tagwright::session::preannotate::project_pipeline(&root).0;
    let s = p.suggest(
        "Patients given Zanthorex recovered faster than those on Triamzol, the study found.",
    );
    assert!(
        s.iter().any(|s| s.label == "DRUG" && s.source == "tagger"),
        "{s:?}"
    );
}

#[test]
fn train_project_with_news_labels_starts_from_the_shipped_model() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("news");
    let mut p = Project::create(&root, "news", LabelSchema::news()).unwrap();
    let pipeline = Pipeline::news();
    let mut d = Document::new(
        tagwright::model::DocId::new("a").unwrap(),
        "t",
        "",
        "Zorblat Quenby, the new chief of Vargston Mining, met Emmanuel Macron in Paris on Friday.",
    );
    d.set_initial_suggestions(pipeline.suggest_for(&d, &p.schema));
    let mut h = History::new();
    h.apply(
        &mut d,
        &Edit::AcceptAll {
            label: None,
            min_score: None,
        },
        &p.schema,
    )
    .unwrap();
    h.apply(&mut d, &Edit::SetStatus(Status::Done), &p.schema)
        .unwrap();
    p.add_documents(&mut [d]).unwrap();
    let o = tw(&["train", root.to_str().unwrap(), "--epochs", "3"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("starting from the shipped model"), "{out}");
    // One document: nothing can be held out, so the shipped model stays.
    assert!(
        out.contains("the project keeps its current model: with one document marked done"),
        "{out}"
    );
    assert!(!root.join("model/tagger.twm").exists());
    assert!(tw(&["eval", root.to_str().unwrap()]).status.success());
    let conll = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/iob1.conll");
    let o = tw(&[
        "eval",
        "--conll",
        conll,
        "--project",
        root.to_str().unwrap(),
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("model: shipped"), "{out}");
}

/// The second pass (document consistency) earns its place: on all of CoNLL dev, which chose
/// nothing about the shipped model, two passes beat the first pass alone by a clear margin, and
/// the whole score stays within a point of the 0.9388 the README reports.
#[test]
fn the_second_pass_helps_on_all_of_dev() {
    use tagwright::extract::tagger::docpass::evaluate_docs;
    use tagwright::extract::tagger::features::Featurizer;
    use tagwright::extract::tagger::{tagged_to_train, Tagger};
    use tagwright::store::formats::conll::{read_conll, tagged_docs};
    if !crate::data_here(Path::new(DEV)) {
        return;
    }
    let shipped = Tagger::shipped().unwrap();
    let two_pass = shipped.model().clone();
    assert!(
        two_pass.second.is_some(),
        "the shipped model has a second pass"
    );
    let mut one_pass = two_pass.clone();
    one_pass.second = None;
    let dev = tagged_to_train(
        &tagged_docs(read_conll(Path::new(DEV)).unwrap()),
        &two_pass.labels,
    );
    let fz = Featurizer::builtin();
    let one = evaluate_docs(&one_pass, &fz, &dev).micro().2;
    let two = evaluate_docs(&two_pass, &fz, &dev).micro().2;
    eprintln!("dev F1: one pass {one:.4}, two passes {two:.4}");
    assert!(two >= one + 0.005, "two passes {two:.4}, one {one:.4}");
    assert!(
        two >= 0.9288,
        "two passes {two:.4} on dev (0.9388 when shipped)"
    );
}
