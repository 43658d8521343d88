//! Learning in the loop that never makes suggestions worse: it continues from the shipped model,
//! a renamed label keeps its knowledge, a new label does not disturb the others, and the learned
//! model suggests only when it does at least as well on documents it did not learn from.

use super::session::{project, wait};
use tagwright::model::Status;
use tagwright::session::{Command, ModelSource, Selection, Session};
use tagwright::text::CharSpan;

const ARTICLES: &[(&str, &str)] = &[
    (
        "a.txt",
        "The Cold War shaped Russian and Chinese policy, Vladimir Putin told reporters in Moscow on Friday. The World Bank and the Red Cross sent officials to Nairobi.",
    ),
    (
        "b.txt",
        "Chinese President Xi Jinping met German Chancellor Olaf Scholz in Beijing. The Kenya Red Cross said the Athi River had flooded.",
    ),
    (
        "c.txt",
        "The World Bank lent Kenya money, and the Red Cross helped families near the Athi River, said Andrés Manuel López Obrador in Mexico City.",
    ),
    (
        "d.txt",
        "Russian troops left Kherson, Ukrainian officials said, while NATO ministers met in Brussels to discuss the Cold War legacy.",
    ),
];

/// Select the first occurrence of `words` in the document on screen.
fn select(s: &mut Session, words: &str) {
    let text = s.doc().unwrap().text().to_string();
    let at = text[..text.find(words).unwrap()].chars().count();
    s.run(Command::SelectRange {
        range: CharSpan::new(at, at + words.chars().count()).unwrap(),
        exact: true,
    });
}

fn labelled(s: &Session, i: usize, label: &str) -> Vec<String> {
    let d = s.workspace().doc(i).unwrap();
    d.suggestions()
        .iter()
        .filter(|x| x.label == label)
        .map(|x| d.slice(x.span).unwrap().to_string())
        .collect()
}

#[test]
fn one_document_done_keeps_the_shipped_model_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path(), "p", ARTICLES);
    let mut s = Session::with_paths(vec![root.clone()]);
    s.run(Command::AcceptAll);
    s.run(Command::MarkDone);
    wait(&mut s);
    assert_eq!(s.model().source, ModelSource::Shipped);
    let r = s.model().last.as_ref().expect("a learning run");
    assert!(!r.accepted && r.check.is_none());
    assert!(
        s.status()
            .contains("one document marked done is not enough"),
        "{}",
        s.status()
    );
    assert!(
        !tagwright::store::model_path(&root).exists(),
        "nothing written"
    );
}

#[test]
fn renaming_and_adding_labels_then_learning_from_two_documents_wrecks_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path(), "p", ARTICLES);
    let mut s = Session::with_paths(vec![root.clone()]);
    // MISC becomes NORP: the suggestions keep coming, under the new name.
    s.run(Command::RenameLabel {
        from: "MISC".into(),
        to: "NORP".into(),
    });
    s.run(Command::GoTo(3));
    s.run(Command::RefreshSuggestions);
    assert!(
        labelled(&s, 3, "NORP").contains(&"Russian".to_string()),
        "{:?}",
        s.doc().unwrap().suggestions()
    );
    // A new label, used once.
    s.run(Command::AddLabel("EVENT".into()));
    s.run(Command::GoTo(0));
    s.run(Command::AcceptAll);
    // "Cold War" is an EVENT here: relabel what was accepted, or tag it.
    select(&mut s, "Cold War");
    let at = s.selection().span().unwrap().start.0;
    s.run(Command::Click(at));
    if !matches!(s.selection(), Selection::Span(..)) {
        select(&mut s, "Cold War");
    }
    s.run(Command::ApplyLabel("EVENT".into()));
    assert!(s.doc().unwrap().spans().iter().any(|x| x.label == "EVENT"));
    s.run(Command::MarkDone);
    wait(&mut s);
    s.run(Command::GoTo(1));
    s.run(Command::AcceptAll);
    s.run(Command::MarkDone);
    wait(&mut s);
    wait(&mut s);
    let r = s.model().last.clone().expect("a learning run");
    let c = r.check.as_ref().expect("two documents: held out");
    assert_eq!((c.docs, c.folds), (2, 2));
    // Whatever was decided, it is never worse held out than the shipped model.
    if r.accepted {
        assert!(c.learned.micro().2 >= c.shipped.micro().2, "{}", r.why);
        assert!(matches!(s.model().source, ModelSource::Learned(Some(_))));
        assert!(tagwright::store::model_path(&root).exists());
    } else {
        assert_eq!(s.model().source, ModelSource::Shipped);
    }
    // The documents not done keep sensible suggestions.
    for i in [2, 3] {
        s.run(Command::GoTo(i));
    }
    let per2 = labelled(&s, 2, "PER");
    for wrong in ["World Bank", "Red Cross", "Athi River"] {
        assert!(
            !per2.iter().any(|p| p == wrong),
            "{wrong} became PER: {per2:?}"
        );
    }
    assert!(
        labelled(&s, 3, "NORP").contains(&"Russian".to_string()),
        "{}",
        r.why
    );
    assert_eq!(s.workspace().docs[2].summary.status, Status::Todo);
}

const CONLL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/conll2003");

/// CoNLL documents as a project's documents marked done would be (code point spans).
fn conll_documents(
    file: &str,
    n: usize,
    schema: &tagwright::model::LabelSchema,
) -> Vec<tagwright::model::Document> {
    let path = std::path::Path::new(CONLL).join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let docs = tagwright::store::formats::conll::read(&text, &path, "d").unwrap();
    docs.into_iter()
        .take(n)
        .enumerate()
        .map(|(i, d)| {
            let id = tagwright::model::DocId::new(&format!("d{i:04}")).unwrap();
            d.into_document(id, schema).unwrap()
        })
        .collect()
}

/// The promise, on news the model never learned from (CoNLL dev): after learning from 2 or 20
/// documents marked done, the model that suggests is never worse than the shipped one, and its
/// suggestions scored 0.9 or more are as precise.
#[test]
fn learning_from_2_or_20_documents_never_makes_held_out_news_worse() {
    use std::sync::Arc;
    use tagwright::extract::tagger::learn::{cross_validate, learn_warm, score};
    use tagwright::extract::tagger::{train::TrainConfig, Eval, Tagger};
    use tagwright::extract::Pipeline;
    if !crate::data_here(&std::path::Path::new(CONLL).join("dev.txt")) {
        return;
    }
    let schema = tagwright::model::LabelSchema::from_names(&["PER", "ORG", "LOC", "MISC"]).unwrap();
    let train = conll_documents("train.txt", 20, &schema);
    let dev = conll_documents("dev.txt", 100, &schema);
    let held: Vec<&tagwright::model::Document> = dev.iter().collect();
    let names: Vec<String> = schema.labels.iter().map(|l| l.name.clone()).collect();
    let shipped = Pipeline::news();
    let mut base = Eval::new(names.clone());
    score(&shipped, &held, &schema, &mut base);
    let cfg = TrainConfig {
        epochs: 6,
        ..Default::default()
    };
    let p90 = |e: &Eval| e.calibration()[&90].1;
    for n in [2, 20] {
        let docs = &train[..n];
        let (ok, why) = cross_validate(docs, &schema, &shipped, &cfg, &|| false)
            .unwrap()
            .verdict();
        let (m, _) = learn_warm(docs, &schema, &cfg, |_| {}).unwrap();
        let learned = Pipeline::with_tagger(Some(Arc::new(Tagger::new(m))));
        if n == 2 {
            // Learning itself keeps what the shipped model knew (it once kept only the
            // features of the documents it learned from, and F1 elsewhere collapsed).
            let mut raw = Eval::new(names.clone());
            score(&learned, &held, &schema, &mut raw);
            assert!(
                raw.micro().2 >= base.micro().2 - 0.002,
                "raw learning from 2: {:.4}",
                raw.micro().2
            );
        }
        // What would suggest after this learning run: the learned model if the check took it.
        let active = if ok { learned } else { Pipeline::news() };
        let mut e = Eval::new(names.clone());
        score(&active, &held, &schema, &mut e);
        let (f, f0) = (e.micro().2, base.micro().2);
        assert!(
            f >= f0 - 0.002,
            "{n} documents ({why}): held-out F1 {f:.4} < shipped {f0:.4}"
        );
        assert!(
            p90(&e) >= p90(&base) - 0.002,
            "{n} documents: precision at 0.9 {:.4} < {:.4}",
            p90(&e),
            p90(&base)
        );
    }
}
