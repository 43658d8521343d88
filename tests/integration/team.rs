//! A team on one project, on disk and in the session: annotators' layers, today's format,
//! journals, new documents, the news of a git pull. (The team's commands: `team_cli.rs`.)

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tagwright::model::{Annotator, Document, Edit, Span, Status};
use tagwright::store::Project;

pub(super) const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/samples/xi-putin-call.txt"
);
pub(super) const TRUTH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/interop/truth.jsonl"
);
const OLD_PROJECT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/project-v1");
pub(super) const DEV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/conll2003/dev.txt"
);

pub(super) fn tw(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tagwright"))
        .args(args)
        .env_remove("TAGWRIGHT_ANNOTATOR")
        .output()
        .unwrap()
}

pub(super) fn ok(o: Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(o.status.success(), "failed: {err}");
    String::from_utf8_lossy(&o.stdout).to_string()
}

pub(super) fn who(name: &str) -> Annotator {
    Annotator::new(name).unwrap()
}

pub(super) fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A project with the sample article (pre-annotated).
pub(super) fn sample_project(dir: &Path) -> PathBuf {
    let root = dir.join("p");
    ok(tw(&["new", s(&root)]));
    ok(tw(&["add", s(&root), SAMPLE]));
    root
}

#[test]
fn a_layer_holds_only_its_annotators_work_and_the_text_stays_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_project(dir.path());
    let mut p = Project::open(&root).unwrap();
    let id = p.ids()[0].clone();
    let main_before = fs::read(p.text_path(&id)).unwrap();
    let main = p.load_document(&id).unwrap();

    p.set_layer(Some(who("ana")));
    let mut d = p.load_document(&id).unwrap();
    // Blind start: the machine's suggestions, nothing confirmed, to do.
    assert_eq!(d.suggestions(), main.suggestions());
    assert!(d.spans().is_empty());
    assert_eq!(d.status(), Status::Todo);
    assert!(!p.in_layer(&id), "no file until ana saves");
    assert_eq!(p.model_path(), root.join("layers/ana/model/tagger.twm"));
    assert_eq!(p.journal_path(), root.join("journal.ana.jsonl"));
    let first = d.suggestions()[0].clone();
    d.apply(
        &Edit::AcceptSuggestion {
            span: first.span,
            label: first.label.clone(),
        },
        &p.schema,
    )
    .unwrap();
    d.apply(&Edit::SetStatus(Status::Done), &p.schema).unwrap();
    p.save_document(&d).unwrap();

    let layer = root.join("layers/ana").join(format!("{id}.ron"));
    let text = fs::read_to_string(&layer).unwrap();
    assert!(text.starts_with("Layer("), "{text}");
    assert!(!text.contains("text:"), "the text is stored once");
    assert!(text.contains("annotator: \"ana\""));
    assert_eq!(fs::read(p.text_path(&id)).unwrap(), main_before);
    assert!(p.in_layer(&id));
    assert_eq!(p.load_document(&id).unwrap(), d);

    // Main and another annotator do not see ana's work.
    p.set_layer(None);
    assert_eq!(p.load_document(&id).unwrap(), main);
    p.set_layer(Some(who("ben")));
    assert!(p.load_document(&id).unwrap().spans().is_empty());
    let (_, layers) = p.load_layers(&id, &[who("ana"), who("ben")]).unwrap();
    assert_eq!(layers[0].as_ref(), Some(&d));
    assert_eq!(layers[1], None);
    assert_eq!(
        tagwright::store::layers::annotators(&root).unwrap(),
        vec![who("ana")]
    );
}

#[test]
fn a_layer_that_does_not_fit_its_document_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_project(dir.path());
    let mut p = Project::open(&root).unwrap();
    let id = p.ids()[0].clone();
    p.set_layer(Some(who("ana")));
    let d = p.load_document(&id).unwrap();
    p.save_document(&d).unwrap();
    let layer = root.join("layers/ana").join(format!("{id}.ron"));
    let good = fs::read_to_string(&layer).unwrap();

    let sha = d.text_sha256().to_string();
    fs::write(&layer, good.replace(&sha, &"0".repeat(64))).unwrap();
    let e = p.load_document(&id).unwrap_err().to_string();
    assert!(
        e.contains("text_sha256") && e.contains(&id.to_string()),
        "{e}"
    );

    fs::write(&layer, good.replace("\"ana\"", "\"ben\"")).unwrap();
    let e = p.load_document(&id).unwrap_err().to_string();
    assert!(e.contains("ben") && e.contains("folder"), "{e}");

    // A span past the end of the text.
    let n = d.char_len();
    let bad = good.replace(
        "    spans: [],",
        &format!(
            "    spans: [Span(start: 1, end: {}, label: \"PER\", origin: Manual)],",
            n + 5
        ),
    );
    fs::write(&layer, bad).unwrap();
    assert!(p.load_document(&id).is_err());

    // Links: a layer folder or file that points elsewhere is not read, nor written through.
    fs::write(&layer, &good).unwrap();
    let outside = dir.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::rename(root.join("layers/ana"), outside.join("ana")).unwrap();
    std::os::unix::fs::symlink(outside.join("ana"), root.join("layers/ana")).unwrap();
    let e = p.load_document(&id).unwrap_err().to_string();
    assert!(e.contains("symbolic link"), "{e}");
    assert!(p.save_document(&d).is_err());
    assert!(tagwright::store::layers::annotators(&root).is_err());
    fs::remove_file(root.join("layers/ana")).unwrap();
    fs::create_dir(root.join("layers/ana")).unwrap();
    std::os::unix::fs::symlink(outside.join("ana").join(format!("{id}.ron")), &layer).unwrap();
    let e = p.load_document(&id).unwrap_err().to_string();
    assert!(e.contains("symbolic link"), "{e}");
}

#[test]
fn a_project_in_todays_format_opens_as_it_is_and_becomes_a_team_project() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("old");
    copy_dir(Path::new(OLD_PROJECT), &root);
    let before = crate::snapshot(&root);
    let p = Project::open(&root).unwrap();
    let docs = crate::all_documents(&p);
    assert_eq!(docs.len(), 2);
    assert!(docs
        .iter()
        .any(|d| d.text().contains("北京") && d.text().contains("😀")));
    let spans: usize = docs.iter().map(|d| d.spans().len()).sum();
    assert!(spans >= 5, "the fixture's work is there: {spans} spans");
    // Reading, statistics and export change nothing on disk.
    ok(tw(&["stats", s(&root)]));
    ok(tw(&["export", s(&root)]));
    ok(tw(&["check", s(&root)]));
    let after: Vec<_> = crate::snapshot(&root)
        .into_iter()
        .filter(|(p, _)| !p.ends_with("index.cache.jsonl"))
        .collect();
    let before: Vec<_> = before
        .into_iter()
        .filter(|(p, _)| !p.ends_with("index.cache.jsonl"))
        .collect();
    assert_eq!(
        after, before,
        "opening a project in today's format rewrites nothing"
    );

    // Annotators start on it: the old work stays the main layer, theirs is apart.
    ok(tw(&[
        "assign",
        s(&root),
        "--annotators",
        "ana,ben",
        "--overlap",
        "2",
    ]));
    let mut q = Project::open(&root).unwrap();
    q.set_layer(Some(who("ana")));
    let mut d = q.load_document(&q.ids()[0].clone()).unwrap();
    assert!(
        d.spans().is_empty(),
        "blind: ana does not see the old spans"
    );
    d.apply(&Edit::SetStatus(Status::Done), &q.schema).unwrap();
    q.save_document(&d).unwrap();
    q.set_layer(None);
    assert_eq!(q.load_document(&docs[0].id).unwrap(), docs[0]);
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn unsaved_edits_come_back_in_the_layer_they_were_made_in() {
    use tagwright::store::Workspace;
    let dir = tempfile::tempdir().unwrap();
    let root = sample_project(dir.path());
    {
        let mut ws = Workspace::open_as(&root, Some(who("ana"))).unwrap();
        let d = ws.load(0).unwrap().clone();
        let first = d.suggestions()[0].clone();
        ws.apply(
            0,
            &Edit::AcceptSuggestion {
                span: first.span,
                label: first.label,
            },
        )
        .unwrap();
        // Dropped without saving: a crash.
    }
    assert!(root.join("journal.ana.jsonl").exists());
    assert!(!root.join("journal.jsonl").exists());
    assert!(Workspace::open(&root).unwrap().recovered.is_empty());
    assert!(Workspace::open_as(&root, Some(who("ben")))
        .unwrap()
        .recovered
        .is_empty());
    let ws = Workspace::open_as(&root, Some(who("ana"))).unwrap();
    assert_eq!(ws.recovered.len(), 1, "ana's edit is offered back to ana");
}

#[test]
fn an_annotators_new_document_keeps_their_work_in_their_layer() {
    use tagwright::store::Workspace;
    let dir = tempfile::tempdir().unwrap();
    let root = sample_project(dir.path());
    let mut p = Project::open(&root).unwrap();
    p.set_layer(Some(who("ana")));
    let text = "Angela Merkel met 習近平 in 北京 😀.";
    let mut d = Document::new(
        tagwright::model::DocId::new("new-one").unwrap(),
        "new",
        "typed",
        text,
    );
    d.apply(&Edit::AddSpan(Span::manual(0, 13, "PER")), &p.schema)
        .unwrap();
    let mut docs = vec![d];
    p.add_documents(&mut docs).unwrap();
    let id = docs[0].id.clone();
    let main = fs::read_to_string(p.text_path(&id)).unwrap();
    assert!(main.contains("text:") && !main.contains("Span("), "{main}");
    p.set_layer(None);
    assert!(p.load_document(&id).unwrap().spans().is_empty());
    p.set_layer(Some(who("ana")));
    assert_eq!(p.load_document(&id).unwrap().spans().len(), 1);
    // Ana's document list comes from her own index cache, stamped with her files.
    let ws = Workspace::open_as(&root, Some(who("ana"))).unwrap();
    assert!(root.join("index.cache.ana.jsonl").exists());
    let s = ws.docs.iter().find(|x| x.summary.id == id).unwrap();
    assert_eq!(s.summary.spans, 1);
    let again = Workspace::open_as(&root, Some(who("ana"))).unwrap();
    assert_eq!(
        again.docs.iter().map(|x| &x.summary).collect::<Vec<_>>(),
        ws.docs.iter().map(|x| &x.summary).collect::<Vec<_>>()
    );
    let main_ws = Workspace::open(&root).unwrap();
    let m = main_ws.docs.iter().find(|x| x.summary.id == id).unwrap();
    assert_eq!(m.summary.spans, 0);
}

#[test]
fn a_git_pull_that_brings_others_work_or_assignments_is_news_in_the_window() {
    use tagwright::session::{Command, Session};
    let dir = tempfile::tempdir().unwrap();
    let root = sample_project(dir.path());
    ok(tw(&["add", s(&root), TRUTH]));
    ok(tw(&[
        "assign",
        s(&root),
        "--annotators",
        "ana,ben",
        "--overlap",
        "1",
    ]));
    let config = dir.path().join("config");
    let mut w = Session::with_config(vec![root.clone()], Some(config), Some(who("ana")));
    assert_eq!(w.layer(), Some(&who("ana")));
    assert_eq!(w.mine_only(), Some(true));
    w.tick();
    let mine = w.listed().len();
    assert!(mine > 0 && mine < 5, "{mine}");
    w.run(Command::CheckDisk);
    assert!(w.project_news().is_none(), "nothing changed yet");
    // Ben's work arrives (as a pull would bring it), then new assignments: all to ana.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let p = Project::open(&root).unwrap();
    let d = p.load_document(&p.ids()[0]).unwrap();
    p.save_layer(&d, &who("ben")).unwrap();
    w.run(Command::CheckDisk);
    let news = w.project_news().unwrap_or_default().to_string();
    assert!(news.contains("ben") && news.contains("Agreement"), "{news}");
    w.run(Command::DismissProjectNews);
    ok(tw(&[
        "assign",
        s(&root),
        "--annotators",
        "ana",
        "--overlap",
        "1",
        "--fresh",
    ]));
    w.run(Command::CheckDisk);
    let news = w.project_news().unwrap_or_default().to_string();
    assert!(news.contains("5 documents are yours"), "{news}");
    w.tick();
    assert_eq!(w.listed().len(), 5);
}
