//! Import and export of dataset formats: hand-written fixtures with emoji, CJK, combining marks,
//! curly quotes and CRLF; round trips; loss reports; property tests; CoNLL-2003 dev round trip.

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use tagwright::extract::Pipeline;
use tagwright::model::{DocId, Document, LabelSchema, Origin, Span, Status};
use tagwright::store::conll::Scheme;
use tagwright::store::formats::{export_docs, import_path, Format, ImportedDoc};
use tagwright::store::Project;
use tagwright::text::offsets::slice;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// (span text, label) of an imported document.
fn ents(d: &ImportedDoc) -> Vec<(String, String)> {
    d.spans
        .iter()
        .map(|s| (slice(&d.text, s.span).unwrap().to_string(), s.label.clone()))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn prodigy_jsonl_fixture() {
    let (docs, _) = import_path(&fixture("prodigy.jsonl"), None).unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(
        ents(&docs[0]),
        pairs(&[("Xi Jinping", "PER"), ("Putin", "PER"), ("北京", "LOC")])
    );
    assert!(docs[0].done);
    assert_eq!(docs[0].title, "Xi and Putin");
    assert_eq!(ents(&docs[1]), pairs(&[("Paris", "LOC")]));
    assert!(docs[1].text.contains("\r\n"));
}

#[test]
fn doccano_fixture_all_three_forms() {
    let (docs, _) = import_path(&fixture("doccano.jsonl"), None).unwrap();
    assert_eq!(
        ents(&docs[0]),
        pairs(&[("Angela Merkel", "PER"), ("東京", "LOC")])
    );
    assert_eq!(docs[0].name, "7");
    assert_eq!(
        ents(&docs[1]),
        pairs(&[("NATO", "ORG"), ("Brussels", "LOC")])
    );
    assert_eq!(
        ents(&docs[2]),
        pairs(&[("Reuters", "ORG"), ("Kyiv", "LOC")])
    );
}

#[test]
fn label_studio_fixture_utf16_offsets_and_predictions() {
    let (docs, _) = import_path(&fixture("labelstudio.json"), None).unwrap();
    assert_eq!(
        ents(&docs[0]),
        pairs(&[("Xi Jinping", "PER"), ("Vladimir Putin", "PER")])
    );
    let s = &docs[0].suggestions[0];
    assert_eq!(
        (
            slice(&docs[0].text, s.span).unwrap(),
            s.label.as_str(),
            s.score
        ),
        ("Moscow", "LOC", 0.8)
    );
    assert_eq!(ents(&docs[1]), pairs(&[("NATO", "ORG")]));
    // Export writes UTF-16 offsets again: Xi Jinping at 5..15 after two emoji.
    let d = to_doc(docs[0].clone(), "x");
    let out = tempfile::tempdir().unwrap();
    let f = out.path().join("ls.json");
    export_docs(&[d], Format::Labelstudio, Scheme::Iob2, true, &f).unwrap();
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
    assert_eq!(v[0]["annotations"][0]["result"][0]["value"]["start"], 5);
    assert_eq!(v[0]["annotations"][0]["result"][0]["value"]["end"], 15);
    assert_eq!(
        v[0]["predictions"][0]["result"][0]["value"]["text"],
        "Moscow"
    );
}

#[test]
fn brat_fixture_fragments_and_notes() {
    let (docs, warnings) = import_path(&fixture("brat_doc.ann"), None).unwrap();
    let d = &docs[0];
    assert_eq!(
        ents(d),
        pairs(&[
            ("Xi Jinping", "PER"),
            ("Putin", "PER"),
            ("New", "LOC"),
            ("York", "LOC")
        ])
    );
    assert_eq!(d.spans[0].note, "Chinese president");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("T3 is discontinuous; each of its 2 fragments")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("1 relation")),
        "{warnings:?}"
    );
    // Given the .txt, the same pair is read.
    assert_eq!(
        import_path(&fixture("brat_doc.txt"), None).unwrap().0[0]
            .spans
            .len(),
        4
    );
}

#[test]
fn conll_fixture_iob1() {
    let (docs, _) = import_path(&fixture("iob1.conll"), None).unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].text, "EU rejects German call .\nPeter Blackburn\n");
    assert_eq!(
        ents(&docs[0]),
        pairs(&[
            ("EU", "ORG"),
            ("German", "MISC"),
            ("Peter Blackburn", "PER")
        ])
    );
    assert_eq!(
        ents(&docs[1]),
        pairs(&[("Yeltsin", "PER"), ("Clinton", "PER")])
    );
}

#[test]
fn html_fixture_readable_text() {
    let (docs, _) = import_path(&fixture("page.html"), None).unwrap();
    let d = &docs[0];
    assert_eq!(d.title, "Xi tells Putin peace talks won’t be smooth");
    assert_eq!(d.source, "https://news.example/xi-putin");
    assert_eq!(
        d.text,
        "Xi tells Putin peace talks won’t be smooth\n\nBEIJING (Reuters) – Chinese President Xi Jinping told Vladimir Putin on Friday…\n\nXi said Beijing and Moscow should cooperate."
    );
}

#[test]
fn bad_files_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.jsonl");
    std::fs::write(&f, "{\"text\": \"abc\", \"spans\": []}\n{\"text\": \"abc\", \"spans\": [{\"start\": 1, \"end\": 9, \"label\": \"X\"}]}\n").unwrap();
    let e = import_path(&f, None).unwrap_err().to_string();
    assert!(
        e.ends_with("bad.jsonl:2: the span 1..9 is outside the text, which has 3 characters"),
        "{e}"
    );
    std::fs::write(&f, "{\"text\": \"abc\",\n").unwrap();
    assert!(import_path(&f, None)
        .unwrap_err()
        .to_string()
        .contains("bad.jsonl:1: column"));
    let ls = dir.path().join("t.json");
    std::fs::write(&ls, r#"[{"data": {"text": "😀 ab"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 1, "end": 3, "text": "ab", "labels": ["X"]}}]}]}]"#).unwrap();
    let e = import_path(&ls, None).unwrap_err().to_string();
    assert!(e.contains("does not match its text \"ab\""), "{e}");
}

fn schema() -> LabelSchema {
    LabelSchema::news()
}

fn to_doc(d: ImportedDoc, id: &str) -> Document {
    d.into_document(DocId::new(id).unwrap(), &schema()).unwrap()
}

/// Documents with tricky text and spans on token boundaries.
fn tricky_docs() -> Vec<Document> {
    let texts = [
        "“Xi Jinping” met Putin 😀 in 北京.\r\nNext\tline with café\u{301} and NATO.",
        " leading space, then Angela Merkel (Berlin) said 5% rise…",
        "👩‍🔬 scientists at CERN in Geneva",
    ];
    let p = Pipeline::news();
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut d = Document::new(
                DocId::new(&format!("doc{i}")).unwrap(),
                &format!("Doc {i}"),
                "test",
                *t,
            );
            let s = p.suggest_for(&d, &schema());
            d.set_initial_suggestions(s);
            let mut h = tagwright::model::History::new();
            h.apply(
                &mut d,
                &tagwright::model::Edit::AcceptAll {
                    label: None,
                    min_score: None,
                },
                &schema(),
            )
            .unwrap();
            d
        })
        .collect()
}

fn spans_of(d: &Document) -> Vec<(usize, usize, String)> {
    d.spans()
        .iter()
        .map(|s| (s.span.start.0, s.span.end.0, s.label.clone()))
        .collect()
}

#[test]
fn lossless_formats_round_trip() {
    let docs = tricky_docs();
    assert!(docs.iter().all(|d| !d.spans().is_empty()));
    let dir = tempfile::tempdir().unwrap();
    for (format, file) in [
        (Format::Jsonl, "x.jsonl"),
        (Format::Doccano, "x.jsonl"),
        (Format::Labelstudio, "x.json"),
        (Format::Brat, "brat"),
    ] {
        let out = dir.path().join(format.name()).join(file);
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        let loss = export_docs(&docs, format, Scheme::Iob2, false, &out).unwrap();
        assert!(loss.is_empty(), "{format:?}: {loss:?}");
        let back: Vec<ImportedDoc> = if format == Format::Brat {
            docs.iter()
                .flat_map(|d| {
                    import_path(&out.join(format!("{}.ann", d.id)), None)
                        .unwrap()
                        .0
                })
                .collect()
        } else {
            import_path(&out, Some(format)).unwrap().0
        };
        assert_eq!(back.len(), docs.len());
        for (d, b) in docs.iter().zip(back) {
            assert_eq!(b.text, d.text(), "{format:?}");
            let got: Vec<(usize, usize, String)> = b
                .spans
                .iter()
                .map(|s| (s.span.start.0, s.span.end.0, s.label.clone()))
                .collect();
            assert_eq!(got, spans_of(d), "{format:?}");
        }
    }
}

#[test]
fn conll_and_spacy_report_what_they_lose() {
    let mut docs = tricky_docs();
    // A span that ends inside a token: "Gene" of "Geneva".
    let schema = schema();
    let d = &mut docs[2];
    let text = d.text().to_string();
    let b = text.find("Geneva").unwrap();
    let s = text[..b].chars().count();
    let _ = d.apply(
        &tagwright::model::Edit::RemoveSpan {
            span: tagwright::text::CharSpan::new(s, s + 6).unwrap(),
            label: "LOC".into(),
        },
        &schema,
    );
    d.apply(
        &tagwright::model::Edit::AddSpan(Span::manual(s, s + 4, "LOC")),
        &schema,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for format in [Format::Conll, Format::Spacy] {
        let out = dir.path().join(format!("x.{}", format.name()));
        let loss = export_docs(&docs, format, Scheme::Iob1, false, &out).unwrap();
        assert_eq!(loss.spans, 1, "{format:?}");
        assert!(
            loss.examples[0].contains("doc2: “Gene” LOC")
                && loss.examples[0].contains("token boundaries"),
            "{:?}",
            loss.examples
        );
    }
    // CoNLL: entity texts and labels survive, whitespace does not.
    let out = dir.path().join("x.conll");
    let (back, _) = import_path(&out, Some(Format::Conll)).unwrap();
    // Compared without whitespace: CoNLL puts single spaces between tokens ("5%" becomes "5 %").
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    let want: Vec<Vec<(String, String)>> = docs
        .iter()
        .map(|d| {
            d.spans()
                .iter()
                .filter(|s| d.slice(s.span) != Some("Gene"))
                .map(|s| (squash(d.slice(s.span).unwrap()), s.label.clone()))
                .collect()
        })
        .collect();
    let got: Vec<Vec<(String, String)>> = back
        .iter()
        .map(|b| ents(b).into_iter().map(|(t, l)| (squash(&t), l)).collect())
        .collect();
    assert_eq!(got, want);
}

#[test]
fn add_and_export_through_a_project() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    let mut p = Project::create(
        &root,
        "p",
        LabelSchema::from_names(&["PER", "LOC"]).unwrap(),
    )
    .unwrap();
    let pipeline = Pipeline::news();
    let e = p
        .import_files(&[fixture("doccano.jsonl")], None, &pipeline, false)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("uses the label \"ORG\", which the project does not define"),
        "{e}"
    );
    assert!(
        !root.join("documents").read_dir().unwrap().any(|_| true),
        "nothing written"
    );
    let (ids, warnings) = p
        .import_files(
            &[fixture("doccano.jsonl"), fixture("labelstudio.json")],
            None,
            &pipeline,
            true,
        )
        .unwrap();
    assert_eq!(ids.len(), 5);
    assert!(warnings.iter().any(|w| w.contains("added the label ORG")));
    let reopened = Project::open(&root).unwrap();
    assert!(reopened.schema.contains("ORG"));
    let d = reopened.load_document(&ids[0]).unwrap();
    assert_eq!(d.status(), Status::InProgress);
    assert!(matches!(d.spans()[0].origin, Origin::Manual));
}

fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => prop::char::range('a', 'z'),
        2 => prop::char::range('A', 'Z'),
        3 => Just(' '),
        1 => prop::sample::select(vec!['\r', '\n', '\t', '😀', '中', '文', '\u{301}', '“', '”', '.', '-', 'é', '\u{200D}']),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    #[test]
    fn random_documents_survive_lossless_formats(
        texts in prop::collection::vec(prop::collection::vec(tricky_char(), 1..80).prop_map(|v| v.into_iter().collect::<String>()), 1..4),
        picks in prop::collection::vec((0usize..80, 1usize..6, 0usize..3), 0..6),
    ) {
        let schema = schema();
        let labels = ["PER", "ORG", "LOC"];
        let docs: Vec<Document> = texts.iter().enumerate().map(|(i, t)| {
            let mut d = Document::new(DocId::new(&format!("d{i}")).unwrap(), "t", "", t.as_str());
            let n = d.char_len();
            for (a, len, l) in &picks {
                if n == 0 { break; }
                let s = a % n;
                let e = (s + len).min(n);
                // Overlapping picks are refused by the model: that is fine here.
                let _ = d.apply(&tagwright::model::Edit::AddSpan(Span::manual(s, e, labels[*l])), &schema);
            }
            d
        }).collect();
        let dir = tempfile::tempdir().unwrap();
        for (format, file) in [(Format::Jsonl, "x.jsonl"), (Format::Doccano, "x.jsonl"), (Format::Labelstudio, "x.json"), (Format::Brat, "brat")] {
            let out = dir.path().join(format.name()).join(file);
            std::fs::create_dir_all(out.parent().unwrap()).unwrap();
            export_docs(&docs, format, Scheme::Iob2, false, &out).unwrap();
            let back: Vec<ImportedDoc> = if format == Format::Brat {
                docs.iter().flat_map(|d| import_path(&out.join(format!("{}.ann", d.id)), None).unwrap().0).collect()
            } else {
                import_path(&out, Some(format)).unwrap().0
            };
            for (d, b) in docs.iter().zip(&back) {
                prop_assert_eq!(&b.text, d.text());
                let got: Vec<(usize, usize, String)> = b.spans.iter().map(|s| (s.span.start.0, s.span.end.0, s.label.clone())).collect();
                prop_assert_eq!(got, spans_of(d));
            }
        }
    }
}

#[test]
fn conll2003_dev_round_trip_as_iob1() {
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/conll2003/dev.txt");
    if !dev.exists() {
        eprintln!(
            "skipping: {} is not here (the CoNLL data is not part of the repository)",
            dev.display()
        );
        return;
    }
    let (imported, _) = import_path(&dev, Some(Format::Conll)).unwrap();
    let schema = LabelSchema::from_names(&["PER", "ORG", "LOC", "MISC"]).unwrap();
    let docs: Vec<Document> = imported
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            d.into_document(DocId::new(&format!("d{i:03}")).unwrap(), &schema)
                .unwrap()
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dev.iob1");
    let loss = export_docs(&docs, Format::Conll, Scheme::Iob1, false, &out).unwrap();
    let (back, _) = import_path(&out, Some(Format::Conll)).unwrap();
    let total: usize = docs.iter().map(|d| d.spans().len()).sum();
    // Our tokenizer may split a CoNLL token ("T.O'Gorman" → "T." "O'Gorman"): compare entity texts
    // without whitespace, in order, with their labels.
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    let mut same = 0;
    for (d, b) in docs.iter().zip(&back) {
        let want: Vec<(String, String)> = d
            .spans()
            .iter()
            .map(|s| (squash(d.slice(s.span).unwrap()), s.label.clone()))
            .collect();
        let got: Vec<(String, String)> =
            ents(b).into_iter().map(|(t, l)| (squash(&t), l)).collect();
        assert_eq!(got, want, "document {}", d.id);
        same += got.len();
    }
    eprintln!(
        "dev round trip: {total} entities, {} reported lost, {same} identical",
        loss.spans
    );
    assert_eq!(same, total);
    assert_eq!(loss.spans, 0, "{:?}", loss.examples);
}
