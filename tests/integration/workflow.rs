//! The annotation workflow without a window: flagging and skipping (kept, filtered, counted, left
//! out of exports and of the next document to do), active time (idle gaps left out, saved without
//! asking), and the keyboard caret (arrows by token, Shift extends, a label key tags).

use super::session::wait;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tagwright::model::Status;
use tagwright::session::{Command, ExportRequest, Request, Selection, Session};
use tagwright::store::formats::Format;
use tagwright::text::CharSpan;

/// A project of these article texts (files `0.txt`, `1.txt`…), saved into `dir/p`.
fn project(dir: &Path, articles: &[&str]) -> PathBuf {
    let files: Vec<(String, &str)> = articles
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("{i}.txt"), *t))
        .collect();
    let named: Vec<(&str, &str)> = files.iter().map(|(f, t)| (f.as_str(), *t)).collect();
    super::session::project(dir, "p", &named)
}

/// The statistics, counted afresh.
fn stats(s: &mut Session) -> tagwright::corpus::CorpusStats {
    s.run(Command::Statistics);
    wait(s);
    let results = s.corpus().stats.as_ref().unwrap();
    results.stats.clone().unwrap()
}

fn status(s: &Session, i: usize) -> Status {
    s.workspace().docs[i].summary.status
}

fn export_lines(s: &mut Session, path: &Path, include_set_aside: bool) -> usize {
    // Marking done starts learning, and an export waits for no other job that changes the
    // project (the person is told to wait): let it finish first.
    wait(s);
    s.run(Command::ExportTo(ExportRequest {
        format: Format::Jsonl,
        path: path.to_path_buf(),
        only_done: false,
        include_set_aside,
        include_suggestions: false,
        scheme: tagwright::model::Scheme::Iob2,
    }));
    wait(s);
    std::fs::read_to_string(path).unwrap().lines().count()
}

#[test]
fn flag_and_skip_set_documents_aside_and_move_on() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(
        dir.path(),
        &[
            "A garbled scan ## ## of a page.",
            "An advert for shoes.",
            "Angela Merkel met Emmanuel Macron in Paris.",
            "Olaf Scholz visited Madrid on Friday.",
        ],
    );
    let mut s = Session::with_paths(vec![root.clone()]);
    assert_eq!(s.current(), 0);
    // The window asks for the reason; without one the session does nothing.
    s.run(Command::FlagDocument);
    assert_eq!(status(&s, 0), Status::Todo);
    s.run(Command::Flag("  Text is broken ".into()));
    assert_eq!(status(&s, 0), Status::Flagged);
    assert_eq!(s.current(), 1, "flagging moves on: {}", s.status());
    s.run(Command::SkipDocument);
    assert_eq!(status(&s, 1), Status::Skipped);
    assert_eq!(s.current(), 2);
    s.run(Command::MarkDone);
    assert_eq!(s.current(), 3, "on to the next document with work left");
    s.run(Command::MarkDone);
    assert_eq!(s.current(), 3, "nothing is left to do: {}", s.status());
    assert!(
        s.status().contains("no document is left to do"),
        "{}",
        s.status()
    );

    // The list filter by status.
    s.run(Command::SetStatusFilter(Some(Status::Flagged)));
    s.tick();
    assert_eq!(s.listed(), &[0]);
    s.run(Command::SetStatusFilter(Some(Status::Done)));
    s.tick();
    assert_eq!(s.listed(), &[2, 3]);
    s.run(Command::SetStatusFilter(None));
    s.tick();
    assert_eq!(s.listed(), &[0, 1, 2, 3]);

    // Exports leave set-aside documents out unless asked.
    assert_eq!(export_lines(&mut s, &dir.path().join("a.jsonl"), false), 2);
    assert_eq!(export_lines(&mut s, &dir.path().join("b.jsonl"), true), 4);

    // Kept on disk with the reason; statistics count them.
    s.run(Command::Save);
    let mut again = Session::with_paths(vec![root.clone()]);
    again.run(Command::GoTo(0));
    let d = again.doc().unwrap();
    assert_eq!(
        (d.status(), d.reason()),
        (Status::Flagged, "Text is broken")
    );
    let st = stats(&mut again);
    assert_eq!(st.status_count(Status::Flagged), 1);
    assert_eq!(st.status_count(Status::Skipped), 1);
    assert_eq!(st.status_count(Status::Done), 2);

    // Ctrl+B on a flagged document unflags it; undo flags it again, with its reason.
    again.run(Command::FlagDocument);
    let d = again.doc().unwrap();
    assert_eq!((d.status(), d.reason()), (Status::InProgress, ""));
    again.run(Command::Undo);
    let d = again.doc().unwrap();
    assert_eq!(
        (d.status(), d.reason()),
        (Status::Flagged, "Text is broken")
    );
    // Ctrl+K on a skipped document takes it back.
    again.run(Command::GoTo(1));
    again.run(Command::SkipDocument);
    assert_eq!(status(&again, 1), Status::InProgress);
    wait(&mut again);

    // The command line: --include-flagged.
    let out = |extra: &[&str]| {
        let mut args = vec!["export", root.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_tagwright"))
            .args(&args)
            .output()
            .unwrap();
        assert!(o.status.success());
        String::from_utf8(o.stdout).unwrap().lines().count()
    };
    assert_eq!(out(&[]), 2);
    assert_eq!(out(&["--include-flagged"]), 4);
}

#[test]
fn active_time_leaves_out_pauses_and_is_saved_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(
        dir.path(),
        &["Angela Merkel in Paris.", "Olaf Scholz in Madrid."],
    );
    let mut s = Session::with_paths(vec![root.clone()]);
    let t0 = Instant::now();
    let at = |secs: u64| t0 + Duration::from_secs(secs);
    s.note_activity(at(0));
    s.note_activity(at(30));
    s.note_activity(at(45));
    // A pause of five minutes is not work.
    s.note_activity(at(345));
    s.note_activity(at(350));
    assert_eq!(s.doc().unwrap().active_ms(), 50_000);
    // The time after moving on counts for the document on screen.
    s.run(Command::NextDocument);
    s.note_activity(at(370));
    assert_eq!(s.doc().unwrap().active_ms(), 20_000);
    // Time is not an edit: nothing to undo, no "save?", but it is saved on quit.
    assert!(!s.workspace().is_dirty());
    s.run(Command::Quit);
    assert_eq!(s.take_requests(), vec![Request::Close]);
    assert_eq!(s.confirm(), None);
    let mut again = Session::with_paths(vec![root]);
    assert_eq!(again.doc().unwrap().active_ms(), 50_000);
    let st = stats(&mut again);
    assert_eq!((st.active_ms, st.timed_docs), (70_000, 2));
    assert_eq!(st.seconds_per_doc(), Some(35.0));
}

#[test]
fn a_document_annotated_from_the_keyboard_alone() {
    let dir = tempfile::tempdir().unwrap();
    let text = "the talks went on and on, said the officials.";
    let root = project(dir.path(), &[text]);
    let mut s = Session::with_paths(vec![root]);
    assert!(s.doc().unwrap().suggestions().is_empty());
    let cs = |a, b| CharSpan::new(a, b).unwrap();
    let word = |s: &Session| s.slice(s.selection().span().unwrap()).to_string();
    // Arrows move a one-token caret.
    s.run(Command::CaretRight);
    assert_eq!(*s.selection(), Selection::Range(cs(0, 3)));
    s.run(Command::CaretRight);
    assert_eq!(word(&s), "talks");
    s.run(Command::CaretLeft);
    assert_eq!(word(&s), "the");
    s.run(Command::CaretLeft);
    assert_eq!(word(&s), "the", "stays at the first token");
    s.run(Command::CaretRight);
    // Shift+Right extends, Shift+Left takes back, a label key tags.
    s.run(Command::EndRight);
    s.run(Command::EndRight);
    s.run(Command::EndLeft);
    assert_eq!(word(&s), "talks went");
    s.run(Command::ApplyLabel("MISC".into()));
    assert_eq!(*s.selection(), Selection::Span(cs(4, 14), "MISC".into()));
    // On past it, and back: the caret selects the entity whole.
    s.run(Command::CaretRight);
    assert_eq!(word(&s), "on");
    s.run(Command::CaretLeft);
    assert_eq!(*s.selection(), Selection::Span(cs(4, 14), "MISC".into()));
    // Shift+Right on the entity moves its end, as before.
    s.run(Command::EndRight);
    assert_eq!(*s.selection(), Selection::Span(cs(4, 17), "MISC".into()));
    // The last token, then nothing further.
    s.run(Command::ClearSelection);
    s.run(Command::CaretLeft);
    assert_eq!(word(&s), ".");
    s.run(Command::CaretRight);
    assert_eq!(word(&s), ".");
    s.run(Command::MarkDone);
    assert_eq!(s.doc().unwrap().status(), Status::Done);
    assert_eq!(s.doc().unwrap().spans().len(), 1);
    wait(&mut s);
}

#[test]
fn double_click_and_drag_on_chinese_select_whole_words() {
    let dir = tempfile::tempdir().unwrap();
    let text = "外交部发言人汪文斌表示，中方欢迎。";
    let root = project(dir.path(), &[text]);
    let mut s = Session::with_paths(vec![root]);
    let at = |w: &str| text[..text.find(w).unwrap()].chars().count();
    let word = |s: &Session| s.slice(s.selection().span().unwrap()).to_string();
    // The middle character of the name selects the name.
    s.run(Command::DoubleClick(at("文")));
    assert_eq!(word(&s), "汪文斌");
    s.run(Command::DoubleClick(at("言")));
    assert_eq!(word(&s), "发言人");
    // A drag over part of two words snaps to both, and no further.
    let from = at("人");
    s.run(Command::SelectRange {
        range: CharSpan::new(from, from + 2).unwrap(),
        exact: false,
    });
    assert_eq!(word(&s), "发言人汪文斌");
    // The caret steps by the same words.
    s.run(Command::CaretRight);
    assert_eq!(word(&s), "表示");
    s.run(Command::ApplyLabel("PER".into()));
    s.run(Command::CaretLeft);
    s.run(Command::ApplyLabel("PER".into()));
    let tagged: Vec<String> = s
        .doc()
        .unwrap()
        .spans()
        .iter()
        .map(|x| s.slice(x.span).to_string())
        .collect();
    assert_eq!(tagged, ["汪文斌", "表示"]);
}
