//! The project loader on arbitrary document files and manifests.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tagwright::store::Project;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("tw-fuzz-p-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let Ok(p) = Project::create(&dir, "f", tagwright::model::LabelSchema::news()) else { return };
    let half = data.len() / 2;
    // First half: a document file listed as "d"; second half: appended to the manifest list.
    let manifest = std::fs::read_to_string(dir.join("tagwright.ron")).unwrap_or_default();
    let _ = std::fs::write(dir.join("tagwright.ron"), manifest.replace("documents: []", "documents: [\"d\"]"));
    let _ = std::fs::write(dir.join("documents").join("d.ron"), &data[..half]);
    drop(p);
    if let Ok(opened) = Project::open(&dir) {
        for id in opened.ids() {
            if let Ok(d) = opened.load_document(id) {
                assert!(d.check_invariants(opened.schema.allow_overlap).is_ok());
            }
        }
    }
    let _ = std::fs::write(dir.join("tagwright.ron"), &data[half..]);
    let _ = Project::open(&dir);
});
