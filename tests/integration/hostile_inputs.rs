//! Arbitrary and mutated inputs for every importer and the project loader: never a panic; either
//! a clean error or documents that satisfy the model's invariants.

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use tagwright::model::{DocId, LabelSchema};
use tagwright::store::formats::{import_path, Format};
use tagwright::store::Project;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

/// Import `bytes` as `format` from a file called `name`; check the outcome.
fn check_import(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    format: Option<Format>,
) -> Result<(), TestCaseError> {
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    if let Ok((docs, _)) = import_path(&path, format) {
        let mut schema = LabelSchema::news();
        schema.allow_overlap = true;
        for (i, d) in docs.into_iter().enumerate() {
            for s in &d.spans {
                prop_assert!(s.span.start < s.span.end && s.span.end.0 <= d.text.chars().count());
                if !schema.contains(&s.label) {
                    if let Ok(next) = schema.with_label(&s.label) {
                        schema = next;
                    }
                }
            }
            // Conversion may refuse (labels, duplicates) but must not panic; what converts is valid.
            if let Ok(doc) = d.into_document(DocId::new(&format!("d{i}")).unwrap(), &schema) {
                prop_assert!(doc.check_invariants(true).is_ok());
            }
        }
    }
    Ok(())
}

/// Flip, insert and delete bytes of a valid file.
fn mutate(mut v: Vec<u8>, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    for &(pos, byte, op) in edits {
        if v.is_empty() {
            v.push(byte);
            continue;
        }
        let p = pos % v.len();
        match op % 3 {
            0 => v[p] = byte,
            1 => v.insert(p, byte),
            _ => {
                v.remove(p);
            }
        }
    }
    v
}

const FILES: &[(&str, &str)] = &[
    ("prodigy.jsonl", "x.jsonl"),
    ("doccano.jsonl", "x.jsonl"),
    ("labelstudio.json", "x.json"),
    ("iob1.conll", "x.conll"),
    ("page.html", "x.html"),
    ("brat_doc.ann", "x.ann"),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400), which in 0usize..7) {
        let dir = tempfile::tempdir().unwrap();
        // A brat .ann needs its .txt beside it.
        std::fs::write(dir.path().join("x.txt"), "Xi Jinping met Putin in Moscow.").unwrap();
        let names = ["x.jsonl", "x.json", "x.conll", "x.html", "x.ann", "x.txt", "x.md"];
        check_import(dir.path(), names[which], &bytes, None)?;
    }

    #[test]
    fn mutated_valid_files_never_panic(which in 0usize..6, edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..12)) {
        let dir = tempfile::tempdir().unwrap();
        let (fix, name) = FILES[which];
        if name == "x.ann" {
            std::fs::write(dir.path().join("x.txt"), fixture("brat_doc.txt")).unwrap();
        }
        check_import(dir.path(), name, &mutate(fixture(fix), &edits), None)?;
    }

    #[test]
    fn mutated_project_files_never_panic(target in 0usize..2, edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..10)) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("p");
        let mut p = Project::create(&root, "p", LabelSchema::news()).unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/prodigy.jsonl");
        let (ids, _) = tagwright::session::preannotate::import_files(&mut p, &[src], None, &tagwright::extract::Pipeline::rules_only(), true).unwrap();
        let file = if target == 0 { root.join("tagwright.ron") } else { p.document_path(&ids[0]) };
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, mutate(bytes, &edits)).unwrap();
        if let Ok(opened) = Project::open(&root) {
            for id in opened.ids() {
                if let Ok(d) = opened.load_document(id) {
                    prop_assert!(d.check_invariants(opened.schema.allow_overlap).is_ok());
                }
            }
        }
    }
}

#[test]
fn deep_nesting_and_future_versions_are_refused_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    // Deeply nested JSON: serde_json's recursion limit gives an error, not a stack overflow.
    let deep = format!(
        "{{\"text\": \"a\", \"spans\": {}{}}}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let f = dir.path().join("deep.jsonl");
    std::fs::write(&f, deep).unwrap();
    assert!(import_path(&f, None).is_err());
    // Deeply nested RON in a project file: bounded recursion.
    let root = dir.path().join("p");
    Project::create(&root, "p", LabelSchema::news()).unwrap();
    let m = root.join("tagwright.ron");
    std::fs::write(
        &m,
        format!(
            "ProjectFile(format_version: 1, name: {}\"x\"{}, labels: [])",
            "(".repeat(50_000),
            ")".repeat(50_000)
        ),
    )
    .unwrap();
    let e = Project::open(&root).unwrap_err().to_string();
    assert!(e.contains("tagwright.ron:1:"), "{e}");
    std::fs::write(
        &m,
        "ProjectFile(format_version: 9, name: \"x\", labels: [], future_field: 1)",
    )
    .unwrap();
    let e = Project::open(&root).unwrap_err().to_string();
    assert!(e.contains("format version 9"), "{e}");
}

/// A project `p` under `dir` with the Prodigy fixture imported (labels added as needed).
fn prodigy_project(dir: &Path) -> (Project, Vec<DocId>) {
    let mut p = Project::create(&dir.join("p"), "p", LabelSchema::news()).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/prodigy.jsonl");
    let (ids, _) = tagwright::session::preannotate::import_files(
        &mut p,
        &[src],
        None,
        &tagwright::extract::Pipeline::rules_only(),
        true,
    )
    .unwrap();
    (p, ids)
}

#[cfg(unix)]
#[test]
fn symlinked_documents_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let (p, ids) = prodigy_project(dir.path());
    let path = p.document_path(&ids[0]);
    let outside = dir.path().join("secret.ron");
    std::fs::rename(&path, &outside).unwrap();
    std::os::unix::fs::symlink(&outside, &path).unwrap();
    let e = p.load_document(&ids[0]).unwrap_err().to_string();
    assert!(e.contains("is a symbolic link"), "{e}");
}

#[test]
fn oversized_files_are_refused_with_the_limit_named_without_reading_them() {
    let dir = tempfile::tempdir().unwrap();
    // Sparse files: 200 MB on paper, nothing on disk.
    let big = dir.path().join("big.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    let e = import_path(&big, None).unwrap_err().to_string();
    assert!(
        e.contains("is 209715200 bytes; articles are limited to 52428800 bytes"),
        "{e}"
    );
    let (p, ids) = prodigy_project(dir.path());
    std::fs::File::options()
        .write(true)
        .open(p.document_path(&ids[0]))
        .unwrap()
        .set_len(300 * 1024 * 1024)
        .unwrap();
    let e = p.load_document(&ids[0]).unwrap_err().to_string();
    assert!(e.contains("more than the limit of 268435456 bytes"), "{e}");
}

#[test]
fn duplicate_and_hostile_ids_in_the_manifest_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    Project::create(&root, "p", LabelSchema::news()).unwrap();
    let m = root.join("tagwright.ron");
    let base = std::fs::read_to_string(&m).unwrap();
    for (ids, needle) in [
        ("[\"a\", \"a\"]", "lists document \"a\" twice"),
        ("[\"../../etc/passwd\"]", "contains a path separator"),
        ("[\"a\\\\b\"]", "contains a path separator"),
        ("[\"/abs\"]", "contains a path separator"),
        ("[\"..\"]", "contains '..'"),
        ("[\"a\\u{0}b\"]", "only ASCII letters"),
    ] {
        std::fs::write(
            &m,
            base.replace("documents: []", &format!("documents: {ids}")),
        )
        .unwrap();
        let e = Project::open(&root).unwrap_err().to_string();
        assert!(e.contains(needle), "{ids}: {e}");
    }
}
