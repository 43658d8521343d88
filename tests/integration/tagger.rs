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
    fs::write(&bad, "EU NNP I-NP X-ORG\n").unwrap();
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
