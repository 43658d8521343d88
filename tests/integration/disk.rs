//! The disk under the project: files changed by someone else, a full disk, a folder that vanished.
//! In every case nothing on disk is damaged and the work in memory is kept.

use std::path::Path;
use std::process::Command;
use tagwright::extract::Pipeline;
use tagwright::model::{Edit, LabelSchema, Span, Status};
use tagwright::store::{Project, StoreError, Workspace};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/samples/xi-putin-call.txt"
);

fn project(root: &Path) {
    let mut p = Project::create(root, "p", LabelSchema::news()).unwrap();
    tagwright::session::preannotate::import_files(
        &mut p,
        &[SAMPLE.into()],
        None,
        &Pipeline::rules_only(),
        false,
    )
    .unwrap();
}

#[test]
fn a_file_changed_by_someone_else_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    project(&root);
    let mut ws = Workspace::open(&root).unwrap();
    ws.apply(0, &Edit::AddSpan(Span::manual(1, 5, "MISC")))
        .unwrap();

    // Another annotator saves their version of the same document.
    let other = Project::open(&root).unwrap();
    let id = other.ids()[0].clone();
    let mut theirs = other.load_document(&id).unwrap();
    theirs
        .apply(&Edit::SetStatus(Status::Done), &other.schema)
        .unwrap();
    theirs
        .apply(&Edit::AddSpan(Span::manual(6, 16, "DATE")), &other.schema)
        .unwrap();
    other.save_document(&theirs).unwrap();
    let their_bytes = std::fs::read(other.document_path(&id)).unwrap();

    let changes = ws.changed_on_disk();
    assert_eq!(changes.len(), 1);
    assert_eq!(
        changes[0].summary,
        "on disk: 1 entities, done; here: 1 entities, todo; 2 entities differ"
    );
    let e = ws.save().unwrap_err();
    assert!(matches!(e, StoreError::Conflict { .. }), "{e}");
    assert!(e
        .to_string()
        .contains("changed on disk after Tagwright read it"));
    assert_eq!(
        std::fs::read(other.document_path(&id)).unwrap(),
        their_bytes,
        "their file untouched"
    );
    assert!(ws.is_dirty(), "my edit is kept");

    // Keep mine: the next save writes my version.
    ws.keep_mine(0);
    ws.save().unwrap();
    let mine = Project::open(&root).unwrap().load_document(&id).unwrap();
    assert_eq!(mine.spans().len(), 1);
    assert_eq!(mine.spans()[0].label, "MISC");

    // Reload: their next change replaces mine.
    other.save_document(&theirs).unwrap();
    assert_eq!(ws.changed_on_disk().len(), 1);
    ws.reload_from_disk(0).unwrap();
    assert_eq!(*ws.load(0).unwrap(), theirs);
    assert!(!ws.is_dirty());
    assert!(ws.changed_on_disk().is_empty());
}

/// A 256 KB tmpfs, unmounted on drop. `None` when mounting is not allowed here.
struct SmallDisk(std::path::PathBuf);
impl SmallDisk {
    fn mount(at: &Path) -> Option<SmallDisk> {
        std::fs::create_dir_all(at).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
            .arg(at)
            .status()
            .ok()?
            .success();
        ok.then(|| SmallDisk(at.to_path_buf()))
    }
}
impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_reported_and_nothing_is_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(&dir.path().join("small")) else {
        eprintln!("skipping: cannot mount a small tmpfs here (needs root)");
        return;
    };
    let root = disk.0.join("p");
    project(&root);
    let mut ws = Workspace::open(&root).unwrap();
    let id = ws.load(0).unwrap().id.clone();
    let path = root.join("documents").join(format!("{id}.ron"));
    let before = std::fs::read(&path).unwrap();
    // Fill the disk.
    let filler = disk.0.join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let block = vec![b'x'; 4096];
    while std::io::Write::write_all(&mut f, &block).is_ok() {}
    drop(f);
    ws.apply(0, &Edit::SetDocNote("a long note ".repeat(2000)))
        .unwrap();
    let e = ws.save().unwrap_err().to_string();
    assert!(
        e.contains("could not write") && e.contains("No space left"),
        "{e}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the saved document is untouched"
    );
    assert!(Project::open(&root).unwrap().load_document(&id).is_ok());
    assert!(ws.is_dirty(), "the work is kept in memory");
    // Space again: the same save succeeds.
    std::fs::remove_file(&filler).unwrap();
    // The journal may have failed to record on the full disk: say so, but saving works.
    ws.save().unwrap();
    assert_eq!(
        Project::open(&root)
            .unwrap()
            .load_document(&id)
            .unwrap()
            .note(),
        "a long note ".repeat(2000)
    );
}

#[test]
fn a_vanished_folder_is_reported_and_the_work_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    project(&root);
    let mut ws = Workspace::open(&root).unwrap();
    ws.apply(0, &Edit::SetStatus(Status::Done)).unwrap();
    std::fs::remove_dir_all(&root).unwrap();
    let e = ws.save().unwrap_err().to_string();
    assert!(e.contains("could not write"), "{e}");
    assert!(ws.is_dirty());
    // Save as elsewhere rescues it.
    ws.save_as(&dir.path().join("rescued")).unwrap();
    let p = Project::open(&dir.path().join("rescued")).unwrap();
    assert_eq!(p.load_document(&p.ids()[0]).unwrap().status(), Status::Done);
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_is_reported_and_the_work_is_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    project(&root);
    let mut ws = Workspace::open(&root).unwrap();
    ws.apply(0, &Edit::SetStatus(Status::Done)).unwrap();
    let docs = root.join("documents");
    std::fs::set_permissions(&docs, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores permissions: then there is nothing to test here.
    if std::fs::write(docs.join("probe"), b"x").is_ok() {
        let _ = std::fs::remove_file(docs.join("probe"));
        std::fs::set_permissions(&docs, std::fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipping: running as root, a read-only folder is still writable");
        return;
    }
    let before: Vec<u8> =
        std::fs::read(docs.join(format!("{}.ron", ws.load(0).unwrap().id))).unwrap();
    let e = ws.save().unwrap_err().to_string();
    assert!(
        e.contains("could not write") && e.contains("ermission denied"),
        "{e}"
    );
    assert!(ws.is_dirty());
    assert_eq!(
        std::fs::read(docs.join(format!("{}.ron", ws.load(0).unwrap().id))).unwrap(),
        before
    );
    std::fs::set_permissions(&docs, std::fs::Permissions::from_mode(0o755)).unwrap();
    ws.save().unwrap();
}

/// The same as an unprivileged user when the tests run as root (as in CI), where permissions
/// would not stop a write: a save as `nobody` (uid 65534, through `setpriv`) into a documents
/// folder it may not write is refused with the reason, and the file on disk is untouched.
#[cfg(unix)]
#[test]
fn a_read_only_folder_refuses_an_unprivileged_save() {
    use std::os::unix::fs::PermissionsExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return; // `a_read_only_folder_is_reported_and_the_work_is_kept` runs as this user
    }
    if Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("skipping: setpriv (util-linux) is not here to run a save as another user");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let root = dir.path().join("p");
    project(&root);
    fn give(p: &Path) {
        std::os::unix::fs::lchown(p, Some(65534), Some(65534)).unwrap();
        if p.is_dir() {
            for e in std::fs::read_dir(p).unwrap() {
                give(&e.unwrap().path());
            }
        }
    }
    give(&root);
    let docs = root.join("documents");
    std::fs::set_permissions(&docs, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = crate::snapshot(&docs);
    let o = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_tagwright"))
        .args(["stress-save", root.to_str().unwrap(), "--rounds", "3"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "the save went through: {err}");
    assert!(err.contains("ermission denied"), "{err}");
    assert_eq!(
        crate::snapshot(&docs),
        before,
        "nothing in documents/ changed"
    );
}
