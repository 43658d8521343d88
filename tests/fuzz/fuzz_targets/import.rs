//! Every importer on arbitrary bytes: the first byte picks the format.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tagwright::store::formats::import_path;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let ext = ["jsonl", "json", "conll", "html", "ann", "txt", "md"][pick as usize % 7];
    let dir = std::env::temp_dir().join(format!("tw-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("x.{ext}"));
    if ext == "ann" {
        let _ = std::fs::write(dir.join("x.txt"), "Xi Jinping met Putin in Moscow 😀.");
    }
    if std::fs::write(&path, body).is_ok() {
        if let Ok((docs, _)) = import_path(&path, None) {
            let schema = tagwright::model::LabelSchema::news();
            for (i, d) in docs.into_iter().enumerate() {
                if let Ok(id) = tagwright::model::DocId::new(&format!("d{i}")) {
                    if let Ok(doc) = d.into_document(id, &schema) {
                        assert!(doc.check_invariants(false).is_ok());
                    }
                }
            }
        }
    }
});
