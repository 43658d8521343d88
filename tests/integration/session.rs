//! The annotation session without a window: what replacing the project resets, the periodic work
//! (`tick`) that runs while the window is minimised, and jobs whose failures name the job.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tagwright::session::{Command, Confirm, JobKind, Request, SearchRequest, Selection, Session};

/// A project folder made through the session: articles imported, saved into `dir/name`.
pub fn project(dir: &Path, name: &str, articles: &[(&str, &str)]) -> PathBuf {
    let files: Vec<PathBuf> = articles
        .iter()
        .map(|(file, text)| {
            let p = dir.join(file);
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect();
    let mut s = Session::with_paths(files);
    let root = dir.join(name);
    s.run(Command::SaveAsPath(root.clone()));
    assert_eq!(s.error(), None);
    root
}

/// Tick until no job runs (at most ~30 s).
pub fn wait(s: &mut Session) {
    for _ in 0..3000 {
        s.tick();
        if !s.is_busy() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("a job did not finish");
}

fn counts(s: &Session) -> Vec<(String, usize)> {
    let mut c = s.label_counts().to_vec();
    c.sort();
    c
}

#[test]
fn replacing_the_project_leaves_nothing_of_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let a = project(
        dir.path(),
        "a",
        &[
            (
                "one.txt",
                "CCTV said Angela Merkel met Emmanuel Macron in Paris.",
            ),
            (
                "two.txt",
                "Officials in Berlin said CCTV would report on Friday.",
            ),
        ],
    );
    let b = project(
        dir.path(),
        "b",
        &[("one.txt", "Nothing to see here today.")],
    );

    let mut s = Session::with_paths(vec![a.clone()]);
    let old = s.stamp();
    s.run(Command::GoTo(1));
    s.run(Command::AcceptAll);
    s.run(Command::SetFilter("two".into()));
    s.run(Command::NextSuggestion);
    s.run(Command::RunSearch(SearchRequest {
        pattern: "CCTV".into(),
        ..Default::default()
    }));
    s.run(Command::Consistency);
    wait(&mut s);
    s.run(Command::PreviewTagAll("ORG".into()));
    assert!(s.corpus().bulk.is_some());
    assert_eq!(s.corpus().search.as_ref().unwrap().hits.len(), 2);
    assert!(!s.label_counts().is_empty());
    s.run(Command::Save);

    // Another project: document 0 of it has no entities, at revision 0 like the old one was.
    s.run(Command::OpenPath(b.clone()));
    assert_eq!(s.error(), None);
    assert_ne!(s.stamp().project, old.project);
    assert_eq!(s.current(), 0);
    assert_eq!(*s.selection(), Selection::None);
    assert_eq!(s.filter(), "");
    assert_eq!(s.listed(), &[0]);
    assert!(counts(&s).is_empty(), "old counts shown: {:?}", counts(&s));
    assert!(s.corpus().search.is_none() && s.corpus().consistency.is_none());
    assert!(s.corpus().bulk.is_none());
    assert!(s.disk_changes().is_empty() && s.project_news().is_none());
    assert_eq!(s.workspace().docs.len(), 1);
    // The old project's previewed change cannot land in this one.
    s.run(Command::ApplyBulk);
    assert!(!s.workspace().is_dirty());

    // New project and Save as are replacements too.
    s.run(Command::OpenPath(a.clone()));
    s.run(Command::SetFilter("one".into()));
    s.run(Command::RunSearch(SearchRequest {
        pattern: "Paris".into(),
        ..Default::default()
    }));
    wait(&mut s);
    s.run(Command::NextSuggestion);
    let (before, sel) = (s.stamp(), s.selection().clone());
    s.run(Command::SaveAsPath(dir.path().join("c")));
    assert_eq!(s.error(), None);
    assert_ne!(s.stamp().project, before.project);
    // Results about the old folder go; what the person set up to work stays.
    assert!(s.corpus().search.is_none());
    assert_eq!(s.filter(), "one");
    assert_eq!(*s.selection(), sel);
    assert_eq!(s.workspace().root(), Some(dir.path().join("c").as_path()));
    s.run(Command::NewProject);
    assert_eq!(s.workspace().docs.len(), 0);
    assert!(counts(&s).is_empty() && s.listed().is_empty());
}

#[test]
fn a_closed_tool_forgets_its_results_and_opening_it_checks_again() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(
        dir.path(),
        "p",
        &[
            (
                "one.txt",
                "CCTV said Angela Merkel met Emmanuel Macron in Paris.",
            ),
            (
                "two.txt",
                "Officials in Berlin said CCTV would report on Friday.",
            ),
        ],
    );
    let mut s = Session::with_paths(vec![root]);
    s.run(Command::Consistency);
    wait(&mut s);
    assert!(s.corpus().consistency.as_ref().unwrap().checked);
    s.run(Command::CloseTool(JobKind::Consistency));
    assert!(s.corpus().consistency.is_none());
    // Opening it again runs a fresh check (on the project as it is now).
    s.run(Command::Consistency);
    assert!(s.corpus().consistency.as_ref().unwrap().running);
    wait(&mut s);
    // A bad pattern while a search runs: the explanation stays, no old hits come over it.
    s.run(Command::RunSearch(SearchRequest {
        pattern: "CCTV".into(),
        ..Default::default()
    }));
    s.run(Command::RunSearch(SearchRequest {
        pattern: "CC(TV".into(),
        regex: true,
        ..Default::default()
    }));
    wait(&mut s);
    let r = s.corpus().search.as_ref().unwrap();
    assert!(!r.running && r.hits.is_empty(), "{}", r.summary);
    assert!(r.summary.contains("not valid"), "{}", r.summary);
}

#[test]
fn autosave_and_disk_checks_run_on_tick_without_a_window() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(
        dir.path(),
        "p",
        &[("one.txt", "Angela Merkel met Emmanuel Macron in Paris.")],
    );
    let mut s = Session::with_paths(vec![root.clone()]);
    s.run(Command::AcceptAll);
    assert!(s.workspace().is_dirty());
    let start = Instant::now();
    // Not yet: autosave waits its interval.
    s.tick_at(start);
    assert!(s.workspace().is_dirty());
    s.tick_at(start + Duration::from_secs(6));
    assert!(!s.workspace().is_dirty(), "{}", s.status());
    let on_disk = tagwright::store::Workspace::open(&root).unwrap();
    assert_eq!(
        on_disk.docs[0].summary.spans,
        s.doc().unwrap().spans().len()
    );
    assert!(on_disk.docs[0].summary.spans > 0);
    // Another process adds a document: the next tick sees it and says so.
    let extra = dir.path().join("extra.txt");
    std::fs::write(&extra, "Olaf Scholz visited Madrid.").unwrap();
    let mut other = Session::with_paths(vec![root.clone()]);
    other.run(Command::ImportPaths(vec![extra]));
    wait(&mut other);
    other.run(Command::Save);
    assert_eq!(other.error(), None);
    s.tick_at(start + Duration::from_secs(12));
    assert_eq!(s.workspace().docs.len(), 2, "{}", s.status());
    assert!(s.project_news().is_some());
}

#[test]
fn the_window_logic_finishes_jobs_without_drawing_a_frame() {
    // What eframe calls while the window is minimised: `logic`, never `ui`.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.txt");
    std::fs::write(&f, "Angela Merkel visited Paris on Friday.").unwrap();
    let mut app = tagwright::ui::TagwrightApp::with_paths(vec![]);
    let ctx = egui::Context::default();
    app.send(Command::ImportPaths(vec![f]));
    for _ in 0..3000 {
        app.logic(&ctx);
        if app.session().workspace().docs.len() == 2 && !app.session().is_busy() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(app.session().workspace().docs.len(), 2);
    assert!(app.session().status().starts_with("Importing: 1 of 1 done"));
}

#[test]
fn a_failed_job_says_which_job_failed() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(
        dir.path(),
        "p",
        &[
            ("one.txt", "Angela Merkel met Emmanuel Macron in Paris."),
            ("two.txt", "Olaf Scholz visited Madrid on Friday."),
        ],
    );
    // The model folder is a file: the learned model cannot be saved.
    std::fs::write(root.join("model"), "not a folder").unwrap();
    let mut s = Session::with_paths(vec![root]);
    // Two documents done, so what was learned can be checked held out (and then saved).
    s.run(Command::AcceptAll);
    s.run(Command::MarkDone);
    wait(&mut s);
    s.run(Command::AcceptAll);
    s.run(Command::MarkDone);
    assert!(s.is_busy());
    wait(&mut s);
    let e = s.error().unwrap_or_default();
    assert!(e.starts_with("Learning stopped: "), "{e}");
    assert!(!e.contains("Import"), "{e}");
}

#[test]
fn accepting_moves_on_and_one_gesture_is_one_undo_step() {
    let mut s = Session::with_paths(vec![]);
    let original = s.doc().unwrap().clone();
    s.run(Command::NextSuggestion);
    let Selection::Suggestion(first, _) = s.selection().clone() else {
        panic!("{:?}", s.selection())
    };
    assert_eq!(first, original.suggestions()[0].span);
    // Accepting a suggestion picked in the list moves on, as Enter does.
    let second = original.suggestions()[1].clone();
    s.run(Command::Select(Selection::Suggestion(
        second.span,
        second.label.clone(),
    )));
    s.run(Command::Accept);
    assert_eq!(
        *s.selection(),
        Selection::Suggestion(
            original.suggestions()[2].span,
            original.suggestions()[2].label.clone()
        )
    );
    s.run(Command::AcceptAll);
    assert!(s.doc().unwrap().suggestions().is_empty());
    s.run(Command::Undo);
    s.run(Command::Undo);
    assert_eq!(*s.doc().unwrap(), original);
}

#[test]
fn mark_done_moves_on_unless_turned_off_and_a_label_key_on_a_suggestion_moves_on() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(
        dir.path(),
        "p",
        &[
            ("a.txt", "Angela Merkel met Emmanuel Macron in Paris."),
            ("b.txt", "Olaf Scholz visited Madrid on Friday."),
            ("c.txt", "Rishi Sunak spoke in London."),
        ],
    );
    let mut s = Session::with_paths(vec![root]);
    // A label key on a selected suggestion accepts it as that label and selects the next one.
    s.run(Command::NextSuggestion);
    let sugg = s.doc().unwrap().suggestions().to_vec();
    s.run(Command::ApplyLabel("MISC".into()));
    assert!(s.doc().unwrap().find_span(sugg[0].span, "MISC").is_some());
    assert_eq!(
        *s.selection(),
        Selection::Suggestion(sugg[1].span, sugg[1].label.clone())
    );
    // Ctrl+D: done, and on to the next document not done.
    s.run(Command::MarkDone);
    assert_eq!(s.current(), 1, "{}", s.status());
    s.run(Command::GoTo(2));
    s.run(Command::MarkDone);
    assert_eq!(s.current(), 1, "wraps to the first one not done");
    s.run(Command::ToggleMoveOnDone);
    assert!(!s.settings().move_on_done);
    s.run(Command::MarkDone);
    assert_eq!(s.current(), 1, "stays when turned off");
    assert_eq!(s.workspace().done_count(), 3);
    wait(&mut s);
}

#[test]
fn quit_saves_or_asks_and_save_says_when_there_is_nothing_to_save() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path(), "p", &[("a.txt", "Angela Merkel in Paris.")]);
    let mut s = Session::with_paths(vec![root]);
    s.run(Command::Save);
    assert_eq!(
        s.status(),
        "Nothing to save: every change is already on disk"
    );
    s.run(Command::AcceptAll);
    s.run(Command::Save);
    assert_eq!(s.status(), "Saved 1 document");
    s.run(Command::AcceptAll);
    s.run(Command::Undo);
    s.run(Command::Quit);
    assert!(!s.workspace().is_dirty(), "saved before closing");
    assert_eq!(s.take_requests(), vec![Request::Close]);
    // Changes in no folder: ask first, do not close.
    let mut unsaved = Session::with_paths(vec![]);
    unsaved.run(Command::AcceptAll);
    unsaved.run(Command::Quit);
    assert_eq!(unsaved.confirm(), Some(&Confirm::Close));
    assert!(unsaved.take_requests().is_empty());
}

#[test]
fn a_project_is_remembered_and_reopens_at_the_document_it_was_left_at() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(
        dir.path(),
        "p",
        &[("a.txt", "Angela Merkel."), ("b.txt", "Olaf Scholz.")],
    );
    let mut s = Session::with_paths(vec![root.clone()]);
    s.run(Command::GoTo(1));
    let saved = s.settings().clone();
    let canon = std::fs::canonicalize(&root).unwrap();
    assert_eq!(saved.recent.first(), Some(&canon));
    // The next start: the window restores its settings after opening the folder.
    let mut again = Session::with_paths(vec![root]);
    again.set_settings(saved);
    assert_eq!(again.current(), 1);
    assert_eq!(again.settings().recent.first(), Some(&canon));
}

#[test]
fn a_suggestion_accepted_with_another_label_or_other_bounds_counts_as_corrected() {
    use tagwright::corpus::CorpusStats;
    use tagwright::model::Origin;
    let mut s = Session::with_paths(vec![]);
    let original = s.doc().unwrap().clone();
    let sugg = original.suggestions().to_vec();
    // The first suggestion (a DATE) accepted as MISC: a correction, by the label suggested.
    s.run(Command::NextSuggestion);
    s.run(Command::ApplyLabel("MISC".into()));
    let span = s
        .doc()
        .unwrap()
        .find_span(sugg[0].span, "MISC")
        .unwrap()
        .clone();
    assert_eq!(
        span.origin,
        Origin::Corrected {
            source: sugg[0].source.clone(),
            suggested: sugg[0].label.clone()
        }
    );
    // The next one accepted as suggested, then its end moved: corrected too.
    let next = s.selection().clone();
    assert_eq!(
        next,
        Selection::Suggestion(sugg[1].span, sugg[1].label.clone())
    );
    s.run(Command::Accept);
    s.run(Command::Select(Selection::Span(
        sugg[1].span,
        sugg[1].label.clone(),
    )));
    let accepted = s.doc().unwrap().clone();
    s.run(Command::EndRight);
    let Selection::Span(moved, _) = s.selection().clone() else {
        panic!("{:?}", s.selection())
    };
    assert_ne!(moved, sugg[1].span);
    assert!(matches!(
        s.doc()
            .unwrap()
            .find_span(moved, &sugg[1].label)
            .unwrap()
            .origin,
        Origin::Corrected { .. }
    ));
    let stats = CorpusStats::from_docs([s.doc().unwrap()]);
    assert_eq!((stats.corrected, stats.manual), (2, 0));
    let rate = &stats.acceptance_by_source[&sugg[0].source];
    assert_eq!(rate.accepted, 0);
    assert!(stats.acceptance_by_label[&sugg[0].label].corrected >= 1);
    // Exports no longer claim the recognizer's score for it.
    let line = tagwright::store::export::jsonl_line(s.doc().unwrap(), Default::default());
    assert!(!line.contains("\"score\""), "{line}");
    // Undo restores the accepted span exactly, and then the suggestion.
    s.run(Command::Undo);
    assert_eq!(*s.doc().unwrap(), accepted);
    s.run(Command::Undo);
    s.run(Command::Undo);
    assert_eq!(s.doc().unwrap().spans(), original.spans());
    assert_eq!(s.doc().unwrap().suggestions(), original.suggestions());
}

#[test]
fn undo_and_redo_select_what_they_brought_back() {
    let mut s = Session::with_paths(vec![]);
    let first = s.doc().unwrap().suggestions()[0].clone();
    s.run(Command::NextSuggestion);
    s.run(Command::Accept);
    s.run(Command::ClearSelection);
    // Undo brings the suggestion back: it is selected.
    s.run(Command::Undo);
    assert_eq!(
        *s.selection(),
        Selection::Suggestion(first.span, first.label.clone())
    );
    assert_eq!(s.scroll_target(), Some(first.span));
    // Redo brings the entity back.
    s.run(Command::Redo);
    assert_eq!(
        *s.selection(),
        Selection::Span(first.span, first.label.clone())
    );
    // Undoing a removal selects the entity again.
    s.run(Command::Remove);
    assert_eq!(*s.selection(), Selection::None);
    s.run(Command::Undo);
    assert_eq!(*s.selection(), Selection::Span(first.span, first.label));
}

#[test]
fn importing_an_article_already_in_the_project_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let copy = dir.path().join("copy.txt");
    std::fs::write(&a, "Angela Merkel met Emmanuel Macron in Paris.").unwrap();
    std::fs::write(&copy, "Angela Merkel met Emmanuel Macron in Paris.").unwrap();
    let mut s = Session::with_paths(vec![a]);
    s.run(Command::ImportPaths(vec![copy]));
    wait(&mut s);
    assert_eq!(s.workspace().docs.len(), 2);
    let first = s.workspace().docs[0].summary.id.to_string();
    assert!(
        s.status()
            .contains(&format!("has the same text as {first}")),
        "{}",
        s.status()
    );
}

#[test]
fn guidelines_document_notes_and_label_examples() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(
        dir.path(),
        "p",
        &[("a.txt", "Angela Merkel met Emmanuel Macron in Paris.")],
    );
    // A new project has an empty guidelines file.
    assert_eq!(
        std::fs::read_to_string(root.join("guidelines.md")).unwrap(),
        ""
    );
    let mut s = Session::with_paths(vec![root.clone()]);
    let text = "# PER\n\nPeople by name, not by title: “Xi Jinping”, 汪文斌.\n";
    s.run(Command::SetGuidelines(text.into()));
    assert_eq!(
        std::fs::read_to_string(root.join("guidelines.md")).unwrap(),
        text
    );
    // The document note: one edit, undone like any other.
    s.run(Command::SetDocNote("Check the second name.".into()));
    assert_eq!(s.doc().unwrap().note(), "Check the second name.");
    s.run(Command::Undo);
    assert_eq!(s.doc().unwrap().note(), "");
    // Examples of a label come from documents marked done.
    s.run(Command::AcceptAll);
    assert!(s.label_examples("PER", 5).is_empty());
    s.run(Command::MarkDone);
    assert!(s
        .label_examples("PER", 5)
        .contains(&"Angela Merkel".to_string()));
    wait(&mut s);
    s.run(Command::Save);
    // Reopened, and saved into another folder, the guidelines come along.
    let mut again = Session::with_paths(vec![root]);
    assert_eq!(again.guidelines(), text);
    let other = dir.path().join("copy");
    again.run(Command::SaveAsPath(other.clone()));
    assert_eq!(
        std::fs::read_to_string(other.join("guidelines.md")).unwrap(),
        text
    );
}
