//! new → add → edit → save → reload → identical bytes, through the library.

use tagwright::extract::Pipeline;
use tagwright::model::{Edit, History, Span, Status};
use tagwright::store::Project;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/samples/xi-putin-call.txt"
);

#[test]
fn project_round_trip_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    let mut p = Project::create(&root, "p", tagwright::model::LabelSchema::news()).unwrap();
    let crlf = dir.path().join("crlf.md");
    std::fs::write(
        &crlf,
        "# Emoji 😀 and CJK 中文\r\nThe cafe\u{301} in Paris, said Emmanuel Macron.\r\n",
    )
    .unwrap();
    let (ids, _) = tagwright::session::preannotate::import_files(
        &mut p,
        &[SAMPLE.into(), crlf],
        None,
        &Pipeline::news(),
        false,
    )
    .unwrap();
    assert_eq!(ids.len(), 2);

    let p = Project::open(&root).unwrap();
    let mut d = p.load_document(&ids[0]).unwrap();
    let schema = p.schema.clone();
    let mut h = History::new();
    let first = d.suggestions()[0].clone();
    h.apply(
        &mut d,
        &Edit::AcceptSuggestion {
            span: first.span,
            label: first.label.clone(),
        },
        &schema,
    )
    .unwrap();
    let second = d.suggestions()[0].clone();
    h.apply(
        &mut d,
        &Edit::RejectSuggestion {
            span: second.span,
            label: second.label.clone(),
        },
        &schema,
    )
    .unwrap();
    h.apply(
        &mut d,
        &Edit::AddSpan(Span {
            note: "leading space kept".into(),
            ..Span::manual(2, 6, "MISC")
        }),
        &schema,
    )
    .ok();
    h.apply(&mut d, &Edit::SetStatus(Status::Done), &schema)
        .unwrap();
    h.apply(
        &mut d,
        &Edit::SetDocNote("checked “twice”\n".into()),
        &schema,
    )
    .unwrap();
    p.save_document(&d).unwrap();
    h.mark_saved();
    let bytes = std::fs::read(p.document_path(&d.id)).unwrap();

    let reopened = Project::open(&root).unwrap();
    let again = reopened.load_document(&ids[0]).unwrap();
    assert_eq!(again, d, "reload gives the same document");
    reopened.save_document(&again).unwrap();
    assert_eq!(
        std::fs::read(p.document_path(&d.id)).unwrap(),
        bytes,
        "saving again writes identical bytes"
    );

    let md = reopened.load_document(&ids[1]).unwrap();
    assert_eq!(md.title, "Emoji 😀 and CJK 中文");
    assert!(md.text().contains("\r\n"));
    let manifest = std::fs::read_to_string(root.join("tagwright.ron")).unwrap();
    assert!(
        manifest.starts_with("ProjectFile(\n    format_version: 1,"),
        "{manifest}"
    );
}

#[test]
fn ten_thousand_documents_open_without_reading_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("big");
    let mut p = Project::create(&root, "big", tagwright::model::LabelSchema::news()).unwrap();
    let doc = tagwright::model::Document::new(
        tagwright::model::DocId::new("x").unwrap(),
        "t",
        "",
        "Paris",
    );
    let mut docs: Vec<_> = (0..10_000)
        .map(|i| {
            let mut d = doc.clone();
            d.id = tagwright::model::DocId::new(&format!("{i:05}")).unwrap();
            d
        })
        .collect();
    // Only the manifest is needed to open: write the documents' files lazily (not at all here).
    p.add_documents(&mut docs[..1]).unwrap();
    let mut big = std::fs::read_to_string(root.join("tagwright.ron")).unwrap();
    let list: Vec<String> = docs.iter().map(|d| format!("\"{}\"", d.id)).collect();
    big = big.replace("\"00000\"", &list.join(", "));
    std::fs::write(root.join("tagwright.ron"), big).unwrap();
    let opened = Project::open(&root).unwrap();
    assert_eq!(opened.ids().len(), 10_000);
    assert!(opened.load_document(&docs[0].id).is_ok());
    let e = opened.load_document(&docs[1].id).unwrap_err().to_string();
    assert!(e.contains("documents/00001.ron"), "{e}");
}
