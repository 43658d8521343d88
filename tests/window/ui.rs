//! The real window, driven headless with egui_kittest: open the sample article, tag, accept,
//! reject, undo, find, save and reload.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use tagwright::model::{Origin, Status};
use tagwright::session::{Command, ExportRequest, Selection};
use tagwright::store::Workspace;
use tagwright::text::CharSpan;
use tagwright::ui::TagwrightApp;

/// The window on `paths`. A character no font has panics (kittest's default): every script in
/// the tests must be drawn, not shown as empty boxes.
pub fn harness(paths: Vec<std::path::PathBuf>) -> Harness<'static, TagwrightApp> {
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |_cc| TagwrightApp::with_paths(paths));
    h.run_steps(3);
    h
}

/// Document `i` of the window's project (it must be in memory).
pub fn doc<'h>(h: &'h Harness<'static, TagwrightApp>, i: usize) -> &'h tagwright::model::Document {
    h.state().session().workspace().doc(i).unwrap()
}

/// A document's text and annotations, without the active time that every frame with input adds.
fn annotations(d: &tagwright::model::Document) -> tagwright::model::Document {
    let mut d = d.clone();
    d.set_active_ms(0);
    d
}

/// Send a command as a view does, and draw a frame so it runs.
pub fn send(h: &mut Harness<'static, TagwrightApp>, cmd: Command) {
    h.state_mut().send(cmd);
    h.run_steps(1);
}

/// What a drag over `range` in the article sends (`exact`: with Alt).
fn select(h: &mut Harness<'static, TagwrightApp>, range: CharSpan, exact: bool) {
    send(h, Command::SelectRange { range, exact });
}

/// Replace the text of the field that shows `old` with `new` (as a screen reader or dictation
/// tool does, through accessibility).
fn retype(h: &mut Harness<'static, TagwrightApp>, old: &str, new: &str) {
    // The field and the text inside it both carry the value; only the field takes the action.
    for n in h.get_all_by_value(old) {
        n.set_text_value_accesskit(new);
    }
    h.run_steps(1);
}

fn find(text: &str, needle: &str) -> CharSpan {
    let b = text.find(needle).unwrap();
    let s = text[..b].chars().count();
    CharSpan::new(s, s + needle.chars().count()).unwrap()
}

#[test]
fn sample_article_opens_with_suggestions() {
    let h = harness(vec![]);
    let app = h.state();
    assert_eq!(app.session().workspace().docs.len(), 1);
    assert!(
        app.session()
            .workspace()
            .doc(0)
            .unwrap()
            .suggestions()
            .len()
            > 30
    );
    h.get_by_label("Accept all");
    h.get_by_label(&format!(
        "Suggestions ({})",
        app.session()
            .workspace()
            .doc(0)
            .unwrap()
            .suggestions()
            .len()
    ));
    assert!(app.session().error().is_none());
}

#[test]
fn select_tokens_and_press_a_label_key() {
    let mut h = harness(vec![]);
    let text = doc(&h, 0).text().to_string();
    // "bjective posi" snaps to the tokens "objective position".
    let want = find(&text, "objective position");
    select(
        &mut h,
        CharSpan::new(want.start.0 + 1, want.end.0 - 3).unwrap(),
        false,
    );
    h.key_press(Key::Num4);
    h.run_steps(2);
    let d = &doc(&h, 0);
    let s = d.find_span(want, "MISC").expect("span created");
    assert_eq!(s.origin, Origin::Manual);
    assert_eq!(d.status(), Status::InProgress);
    // Alt: exact characters, no snapping.
    select(
        &mut h,
        CharSpan::new(want.start.0 + 1, want.start.0 + 4).unwrap(),
        true,
    );
    assert_eq!(
        *h.state().session().selection(),
        Selection::Range(CharSpan::new(want.start.0 + 1, want.start.0 + 4).unwrap())
    );
}

#[test]
fn tab_enter_accepts_backspace_rejects_and_undo_restores() {
    let mut h = harness(vec![]);
    let original = doc(&h, 0).clone();
    h.key_press(Key::Tab);
    h.run_steps(1);
    let Selection::Suggestion(span, label) = h.state().session().selection().clone() else {
        panic!(
            "Tab did not select a suggestion: {:?}",
            *h.state().session().selection()
        )
    };
    assert_eq!(span, original.suggestions()[0].span);
    h.key_press(Key::Enter);
    h.run_steps(1);
    let d = doc(&h, 0).clone();
    assert!(matches!(
        d.find_span(span, &label).unwrap().origin,
        Origin::Accepted { .. }
    ));
    // Enter moved on to the next suggestion; Backspace rejects it.
    let Selection::Suggestion(next, next_label) = h.state().session().selection().clone() else {
        panic!()
    };
    h.key_press(Key::Backspace);
    h.run_steps(1);
    assert!(doc(&h, 0).is_rejected(next, &next_label));
    // Re-running the extractor does not bring it back.
    h.key_press(Key::F5);
    h.run_steps(1);
    assert!(doc(&h, 0).find_suggestion(next, &next_label).is_none());
    // Undo everything: the document is exactly as it was.
    for _ in 0..3 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.run_steps(1);
    }
    assert_eq!(annotations(doc(&h, 0)), annotations(&original));
    // Redo with Ctrl+Shift+Z and Ctrl+Y.
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run_steps(1);
    assert_eq!(doc(&h, 0).spans().len(), 1);
    assert!(doc(&h, 0).is_rejected(next, &next_label));
}

#[test]
fn accept_all_is_one_undo_step() {
    let mut h = harness(vec![]);
    let original = doc(&h, 0).clone();
    h.get_by_label("Accept all").click();
    h.run_steps(2);
    assert_eq!(doc(&h, 0).spans().len(), original.suggestions().len());
    assert!(doc(&h, 0).suggestions().is_empty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(1);
    assert_eq!(annotations(doc(&h, 0)), annotations(&original));
}

#[test]
fn relabel_remove_and_move_boundaries_from_the_keyboard() {
    let mut h = harness(vec![]);
    h.key_press(Key::Tab);
    h.run_steps(1);
    h.key_press(Key::Enter); // accept "2022-12-30" as DATE
    h.run_steps(1);
    let text = doc(&h, 0).text().to_string();
    let date = find(&text, "2022-12-30");
    // Click on the entity selects it.
    send(&mut h, Command::Click(date.start.0 + 2));
    assert_eq!(
        *h.state().session().selection(),
        Selection::Span(date, "DATE".into())
    );
    h.key_press(Key::Num2); // relabel as ORG
    h.run_steps(1);
    assert!(doc(&h, 0).find_span(date, "ORG").is_some());
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight); // end one token right: + "BEIJING"
    h.run_steps(1);
    let grown = CharSpan::new(date.start.0, find(&text, "BEIJING").end.0).unwrap();
    assert!(
        doc(&h, 0).find_span(grown, "ORG").is_some(),
        "{:?}",
        doc(&h, 0).spans()
    );
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowLeft); // start one token left: + "date"
    h.run_steps(1);
    let grown2 = CharSpan::new(find(&text, "date").start.0, grown.end.0).unwrap();
    assert!(doc(&h, 0).find_span(grown2, "ORG").is_some());
    h.key_press(Key::Delete);
    h.run_steps(1);
    assert!(doc(&h, 0).spans().is_empty());
}

#[test]
fn find_highlights_hits() {
    let mut h = harness(vec![]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.event(egui::Event::Text("Putin".into()));
    h.run_steps(2);
    h.get_by_label("5 hits");
    // Typing in the find box does not trigger label keys.
    h.event(egui::Event::Text("1".into()));
    h.key_press(Key::Num1);
    h.run_steps(1);
    assert!(doc(&h, 0).spans().is_empty());
}

#[test]
fn help_lists_every_shortcut() {
    let mut h = harness(vec![]);
    h.key_press(Key::F1);
    h.run_steps(2);
    h.get_by_label("Shortcuts");
    for c in tagwright::session::Command::ALL {
        assert!(
            h.query_all_by_label(c.name()).count() >= 1,
            "{} missing from help",
            c.name()
        );
    }
}

#[test]
fn ctrl_s_writes_the_project_and_reload_shows_the_same_spans() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("proj");
    let p = tagwright::extract::Pipeline::news();
    tagwright::session::preannotate::sample_workspace(&p)
        .save_as(&root)
        .unwrap();

    let mut h = harness(vec![root.clone()]);
    assert_eq!(h.state().session().workspace().docs.len(), 1);
    h.key_press(Key::Tab);
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(1);
    h.key_press(Key::Backspace);
    h.run_steps(1);
    assert!(h.state().session().workspace().is_dirty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(1);
    assert!(
        !h.state().session().workspace().is_dirty(),
        "{}",
        h.state().session().status()
    );
    let mut reloaded = Workspace::open(&root).unwrap();
    assert_eq!(
        annotations(reloaded.load(0).unwrap()),
        annotations(doc(&h, 0))
    );
    assert_eq!(reloaded.load(0).unwrap().spans().len(), 1);
    assert_eq!(reloaded.load(0).unwrap().rejected().len(), 1);

    // The reloaded project in a new window shows the same spans.
    let h2 = harness(vec![root]);
    assert_eq!(
        h2.state().session().workspace().doc(0).unwrap().spans(),
        doc(&h, 0).spans()
    );
    h2.get_by_label(&format!("Suggestions ({})", doc(&h, 0).suggestions().len()));
}

#[test]
fn documents_list_navigation_and_filter() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.md");
    std::fs::write(
        &a,
        "Macron visits Berlin\n\nEmmanuel Macron met Olaf Scholz in Berlin on Monday.",
    )
    .unwrap();
    std::fs::write(
        &b,
        "# Tokyo 😀 report\r\nToyota said on Friday sales rose 5%.",
    )
    .unwrap();
    let mut h = harness(vec![a, b]);
    assert_eq!(h.state().session().workspace().docs.len(), 2);
    assert_eq!(
        h.query_all_by_label_contains("Macron visits Berlin")
            .count(),
        2,
        "list entry and heading"
    );
    h.get_by_label("0 / 2 done");
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
    h.run_steps(1);
    assert_eq!(h.state().session().current(), 1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    h.run_steps(2);
    assert_eq!(doc(&h, 1).status(), Status::Done);
    h.get_by_label("1 / 2 done");
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageUp);
    h.run_steps(1);
    assert_eq!(h.state().session().current(), 0);
}

#[test]
fn import_runs_in_the_background_and_reports_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for i in 0..5 {
        let p = dir.path().join(format!("a{i}.txt"));
        std::fs::write(
            &p,
            format!("Article {i}\n\nAngela Merkel visited Paris on Friday."),
        )
        .unwrap();
        paths.push(p);
    }
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, b"\xff\xfe").unwrap();
    paths.push(bad);
    let mut h = harness(vec![]);
    send(&mut h, Command::ImportPaths(paths));
    for _ in 0..3000 {
        if !h.state().session().is_busy() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.step();
    }
    h.run_steps(2);
    let app = h.state();
    assert_eq!(
        app.session().workspace().docs.len(),
        6,
        "the sample + 5 articles; the bad file stops the import"
    );
    assert_eq!(
        app.session().workspace().doc(3).unwrap().id.as_str(),
        "0004-a2"
    );
    assert!(app
        .session()
        .workspace()
        .doc(1)
        .unwrap()
        .suggestions()
        .iter()
        .any(|s| s.label == "PER"));
    assert!(
        app.session()
            .error()
            .unwrap_or_default()
            .contains("bad.txt is not valid UTF-8"),
        "{:?}",
        app.session().error()
    );
}

#[test]
fn refresh_all_runs_in_the_background_and_keeps_decisions() {
    let mut h = harness(vec![]);
    h.key_press(Key::Tab);
    h.run_steps(1);
    h.key_press(Key::Backspace); // reject the first suggestion
    h.run_steps(1);
    let rejected = doc(&h, 0).rejected()[0].clone();
    h.key_press_modifiers(Modifiers::SHIFT, Key::F5);
    wait_idle(&mut h);
    let d = &doc(&h, 0);
    assert!(d.find_suggestion(rejected.span, &rejected.label).is_none());
    assert!(d.is_rejected(rejected.span, &rejected.label));
    assert!(
        h.state()
            .session()
            .status()
            .starts_with("Suggesting: 1 of 1 done"),
        "{}",
        h.state().session().status()
    );
}

#[test]
fn marking_done_learns_in_the_background_and_refreshes_other_documents() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    // Zorbaxil, an invented drug, is tagged with a new label, DRUG, in the two documents marked
    // done: only a model that learned from them can suggest it in the third.
    std::fs::write(
        &a,
        "Zorblat Quenby met Emmanuel Macron in Paris on Friday. He said Zorbaxil helped.",
    )
    .unwrap();
    std::fs::write(
        &b,
        "Officials in Berlin said Angela Merkel would visit Madrid. Doctors there use Zorbaxil.",
    )
    .unwrap();
    let c = dir.path().join("c.txt");
    std::fs::write(
        &c,
        "Rishi Sunak spoke to reporters in London on Monday. Patients took Zorbaxil.",
    )
    .unwrap();
    let p = tagwright::extract::Pipeline::news();
    let (mut ws, _) = tagwright::session::preannotate::open_articles(&[a, b, c], &p).unwrap();
    let root = dir.path().join("proj");
    ws.save_as(&root).unwrap();

    let mut h = harness(vec![root.clone()]);
    send(&mut h, Command::AddLabel("DRUG".into()));
    let tag_drug = |h: &mut Harness<'static, TagwrightApp>, i: usize| {
        let range = find(doc(h, i).text(), "Zorbaxil");
        // Accepted under another label by "Accept all": click it and relabel; else tag it.
        match doc(h, i).spans().iter().any(|s| s.span == range) {
            true => send(h, Command::Click(range.start.0)),
            false => select(h, range, false),
        }
        send(h, Command::ApplyLabel("DRUG".into()));
        assert!(
            doc(h, i).spans().iter().any(|s| s.label == "DRUG"),
            "{}: {:?}",
            h.state().session().status(),
            doc(h, i)
                .spans()
                .iter()
                .map(|s| (s.span, s.label.clone()))
                .collect::<Vec<_>>()
        );
    };
    // The first document done: nothing can be held out yet, the shipped model stays.
    send(&mut h, Command::GoTo(2));
    h.get_by_label("Accept all").click();
    h.run_steps(1);
    tag_drug(&mut h, 2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    wait_idle(&mut h);
    assert!(!root.join("model/tagger.twm").exists());
    h.get_by_label_contains("Suggesting: shipped model");
    // The second: learned, checked on each document by a model that did not see it.
    send(&mut h, Command::GoTo(0));
    h.get_by_label("Accept all").click();
    h.run_steps(1);
    tag_drug(&mut h, 0);
    let confirmed = doc(&h, 0).spans().to_vec();
    let other_rejected = h
        .state_mut()
        .session_mut()
        .workspace_mut()
        .load(1)
        .unwrap()
        .rejected()
        .len();
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    for _ in 0..3000 {
        h.step();
        if !h.state().session().is_busy() && h.state().session().status().starts_with("Suggesting")
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(
        root.join("model/tagger.twm").exists(),
        "status: {} busy {}",
        h.state().session().status(),
        h.state().session().is_busy()
    );
    h.get_by_label_contains("Suggesting: learned from 2 documents");
    let status = h.state().session().status().to_string();
    assert!(
        status.contains("changed in") || status.contains("no suggestion changed"),
        "{status}"
    );
    // Ctrl+M: the model, its held-out scores, and why it was taken.
    h.key_press_modifiers(Modifiers::COMMAND, Key::M);
    h.run_steps(2);
    h.get_by_label_contains("the learned model suggests now");
    h.get_by_label_contains("Why: F1 ");
    assert_eq!(
        doc(&h, 0).spans(),
        confirmed.as_slice(),
        "confirmed spans untouched"
    );
    assert_eq!(
        h.state_mut()
            .session_mut()
            .workspace_mut()
            .load(1)
            .unwrap()
            .rejected()
            .len(),
        other_rejected
    );
    // The third document now has what only the learned model knows.
    let third = h
        .state_mut()
        .session_mut()
        .workspace_mut()
        .load(1)
        .unwrap()
        .clone();
    let drug = find(third.text(), "Zorbaxil");
    assert!(
        third
            .suggestions()
            .iter()
            .any(|s| s.source == "tagger" && s.label == "DRUG" && s.span == drug),
        "{:?}",
        third.suggestions()
    );
}

#[test]
fn import_datasets_and_export_from_the_window() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut h = harness(vec![]);
    send(
        &mut h,
        Command::ImportPaths(vec![
            fixtures.join("doccano.jsonl"),
            fixtures.join("brat_doc.ann"),
            fixtures.join("page.html"),
        ]),
    );
    wait_idle(&mut h);
    // The sample + 3 doccano lines + 1 brat pair + 1 page.
    assert_eq!(
        h.state().session().workspace().docs.len(),
        6,
        "{:?}",
        h.state().session().error()
    );
    assert_eq!(doc(&h, 1).spans().len(), 2);
    assert!(doc(&h, 5).text().starts_with("Xi tells Putin"));

    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_steps(2);
    h.get_by_label("Export dataset");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    send(
        &mut h,
        Command::ExportTo(ExportRequest {
            format: tagwright::store::formats::Format::Jsonl,
            path: out.clone(),
            only_done: false,
            include_suggestions: false,
            include_set_aside: false,
            scheme: tagwright::model::Scheme::Iob2,
        }),
    );
    wait_idle(&mut h);
    assert!(
        h.state()
            .session()
            .status()
            .starts_with("Exported 6 documents as jsonl"),
        "{}",
        h.state().session().status()
    );
    assert_eq!(std::fs::read_to_string(out).unwrap().lines().count(), 6);
    // A Hugging Face folder, with the project's labels as its classes.
    let hf = dir.path().join("hf");
    send(
        &mut h,
        Command::ExportTo(ExportRequest {
            format: tagwright::store::formats::Format::Hf,
            path: hf.clone(),
            only_done: false,
            include_suggestions: false,
            include_set_aside: false,
            scheme: tagwright::model::Scheme::Iob2,
        }),
    );
    wait_idle(&mut h);
    assert!(
        h.state()
            .session()
            .status()
            .starts_with("Exported 6 documents as hf"),
        "{}",
        h.state().session().status()
    );
    let card = std::fs::read_to_string(hf.join("README.md")).unwrap();
    assert!(card.contains("'1': 'B-PER'"), "{card}");
    assert!(hf.join("data.jsonl").is_file());
}

#[test]
fn random_commands_keys_and_clicks_never_break_the_document() {
    use tagwright::session::Command;
    // A fixed-seed generator: the same sequences every run.
    let mut seed: u64 = 0x5eed_1234;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let safe: Vec<Command> = Command::ALL
        .iter()
        // Commands that open native dialogs or replace the project are left out here.
        .filter(|c| {
            !matches!(
                c,
                Command::OpenProject
                    | Command::ImportArticles
                    | Command::Save
                    | Command::SaveAs
                    | Command::NewProject
                    | Command::Palette
            )
        })
        .cloned()
        .collect();
    let keys = [
        Key::Tab,
        Key::Enter,
        Key::Backspace,
        Key::Delete,
        Key::Num1,
        Key::Num2,
        Key::Num3,
        Key::Num5,
        Key::Escape,
    ];
    for _round in 0..4 {
        let mut h = harness(vec![]);
        let n = doc(&h, 0).char_len();
        for _ in 0..60 {
            match next(4) {
                0 => {
                    let c = safe[next(safe.len())].clone();
                    h.state_mut().send(c);
                }
                1 => h.key_press(keys[next(keys.len())]),
                2 => {
                    let a = next(n);
                    let b = (a + 1 + next(30)).min(n);
                    let exact = next(2) == 0;
                    let range = CharSpan::new(a, b).unwrap();
                    h.state_mut().send(Command::SelectRange { range, exact });
                }
                _ => h.state_mut().send(Command::Click(next(n))),
            }
            h.run_steps(1);
            let app = h.state();
            let d = app
                .session()
                .workspace()
                .doc(app.session().current())
                .unwrap();
            assert!(
                d.check_invariants(app.session().workspace().schema.allow_overlap)
                    .is_ok(),
                "{:?}",
                d.check_invariants(false)
            );
        }
        // Everything undoes back to the start (once the windows that take the keyboard, such
        // as a prompt with a text field, are closed: Ctrl+Z there undoes the typing).
        for _ in 0..4 {
            h.key_press(Key::Escape);
        }
        for _ in 0..200 {
            h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        }
        h.run_steps(2);
        assert!(doc(&h, 0).spans().is_empty());
    }
}

#[test]
fn a_file_changed_on_disk_asks_reload_or_keep_mine() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("proj");
    let p = tagwright::extract::Pipeline::news();
    tagwright::session::preannotate::sample_workspace(&p)
        .save_as(&root)
        .unwrap();
    let mut h = harness(vec![root.clone()]);
    // Someone else marks the document done on disk.
    let other = tagwright::store::Project::open(&root).unwrap();
    let id = other.ids()[0].clone();
    let mut theirs = other.load_document(&id).unwrap();
    theirs
        .apply(
            &tagwright::model::Edit::SetStatus(Status::Done),
            &other.schema,
        )
        .unwrap();
    other.save_document(&theirs).unwrap();
    send(&mut h, Command::CheckDisk);
    h.run_steps(2);
    h.get_by_label("Changed on disk");
    h.get_by_label("Reload from disk").click();
    h.run_steps(2);
    assert!(h.state().session().disk_changes().is_empty());
    assert_eq!(doc(&h, 0).status(), Status::Done);
    assert!(h.query_by_label("Changed on disk").is_none());
}

#[test]
fn edits_from_a_crashed_session_are_offered_back() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("proj");
    let p = tagwright::extract::Pipeline::news();
    tagwright::session::preannotate::sample_workspace(&p)
        .save_as(&root)
        .unwrap();
    {
        // A session that edits and then "crashes" (is dropped without saving).
        let mut ws = Workspace::open(&root).unwrap();
        ws.apply(
            0,
            &tagwright::model::Edit::AcceptAll {
                label: None,
                min_score: None,
            },
        )
        .unwrap();
    }
    let mut h = harness(vec![root.clone()]);
    h.get_by_label("Recover unsaved edits");
    assert!(doc(&h, 0).spans().is_empty());
    h.get_by_label("Restore").click();
    h.run_steps(2);
    assert!(!doc(&h, 0).spans().is_empty());
    assert!(h.state().session().workspace().is_dirty());
    assert!(h.query_by_label("Recover unsaved edits").is_none());
}

#[test]
fn command_palette_finds_and_runs_commands() {
    let mut h = harness(vec![]);
    let n = doc(&h, 0).suggestions().len();
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    h.run_steps(2);
    h.get_by_label("Command palette");
    h.event(egui::Event::Text("accall".into()));
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(2);
    assert_eq!(doc(&h, 0).spans().len(), n, "Accept all ran");
    assert!(h.query_by_label("Command palette").is_none());
    // Escape closes it without running anything.
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    h.run_steps(2);
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label("Command palette").is_none());
}

/// A saved project where "CCTV" is tagged ORG in one article, LOC in another, and untagged in
/// a third (and once more in the first).
fn cctv_project(dir: &std::path::Path) -> std::path::PathBuf {
    use tagwright::model::{DocId, Document, LabelSchema};
    let texts = [
        "CCTV reported that Xi met Putin. CCTV said more talks would follow.",
        "State broadcaster CCTV showed the talks in Moscow.",
        "Bank of China shares rose after CCTV aired the interview 😀.",
    ];
    let mut ws = Workspace::empty("cctv", LabelSchema::news());
    for (i, t) in texts.iter().enumerate() {
        ws.push_new(Document::new(
            DocId::new(&format!("a{i}")).unwrap(),
            &format!("Article {i}"),
            "",
            *t,
        ));
    }
    let cctv = CharSpan::new(0, 4).unwrap();
    let e = ws.tag_edit(0, cctv, "ORG").unwrap();
    ws.apply(0, &e).unwrap();
    let e = ws.tag_edit(1, find(texts[1], "CCTV"), "LOC").unwrap();
    ws.apply(1, &e).unwrap();
    let root = dir.join("cctv");
    ws.save_as(&root).unwrap();
    root
}

/// The window on [`cctv_project`] (keep the folder alive as long as the harness).
fn cctv_harness() -> (tempfile::TempDir, Harness<'static, TagwrightApp>) {
    let dir = tempfile::tempdir().unwrap();
    let root = cctv_project(dir.path());
    (dir, harness(vec![root]))
}

pub fn wait_idle(h: &mut Harness<'static, TagwrightApp>) {
    for _ in 0..3000 {
        h.step();
        if !h.state().session().is_busy() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    h.run_steps(2);
}

fn org_and_loc(app: &mut TagwrightApp) -> (usize, usize) {
    (
        app.session().workspace().label_usage("ORG"),
        app.session().workspace().label_usage("LOC"),
    )
}

#[test]
fn project_search_lists_hits_in_context_and_jumps_to_one() {
    let (_dir, mut h) = cctv_harness();
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    h.run_steps(2);
    h.get_by_label("Search the project");
    h.event(egui::Event::Text("cctv".into()));
    h.run_steps(1);
    h.key_press(Key::Enter);
    wait_idle(&mut h);
    h.get_by_label("4 hits in 3 documents");
    {
        let s = h.state().session().corpus().search.as_ref().unwrap();
        assert_eq!(s.hits.len(), 4);
        assert_eq!(s.hits[3].left, "Bank of China shares rose after ");
        assert_eq!(s.hits[3].right, " aired the interview 😀.");
        assert_eq!(s.hits[0].label.as_deref(), Some("ORG"));
    }
    // Case matters when asked: nothing is written "cctv".
    h.get_by_label("Match case").click();
    h.get_by_label("Search").click();
    wait_idle(&mut h);
    h.get_by_label("0 hits in 0 documents");
    // A bad regular expression is explained, not fatal.
    h.get_by_label("Regular expression").click();
    retype(&mut h, "cctv", "CC(TV");
    h.get_by_label("Search").click();
    wait_idle(&mut h);
    assert!(h
        .state()
        .session()
        .corpus()
        .search
        .as_ref()
        .unwrap()
        .summary
        .contains("not valid"));
    // A regex finds them again; clicking the last hit opens its document at the hit.
    retype(&mut h, "CC(TV", r"C{2}T\w");
    h.get_by_label("Search").click();
    wait_idle(&mut h);
    assert_eq!(
        h.state()
            .session()
            .corpus()
            .search
            .as_ref()
            .unwrap()
            .hits
            .len(),
        4
    );
    let links = h.get_all_by_label("CCTV").count();
    assert!(links >= 4, "{links}");
    h.get_all_by_label("CCTV").last().unwrap().click();
    h.run_steps(2);
    assert_eq!(h.state().session().current(), 2);
    assert_eq!(
        *h.state().session().selection(),
        Selection::Range(find("Bank of China shares rose after CCTV", "CCTV"))
    );
}

#[test]
fn tag_all_occurrences_is_previewed_and_undone_in_one_step() {
    let (_dir, mut h) = cctv_harness();
    assert_eq!(org_and_loc(h.state_mut()), (1, 1));
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    h.run_steps(2);
    h.event(egui::Event::Text("CCTV".into()));
    h.run_steps(1);
    h.key_press(Key::Enter);
    wait_idle(&mut h);
    h.get_by_label("Tag all 4 hits…");
    // What the button sends, with ORG picked in its label box.
    h.state_mut().send(Command::PreviewTagAll("ORG".into()));
    h.run_steps(2);
    // Nothing changes before the preview is accepted.
    assert_eq!(org_and_loc(h.state_mut()), (1, 1));
    h.get_by_label(
        "Tag 4 hits of “CCTV” as ORG: 2 tagged, 1 relabelled, 1 already so, in 3 documents",
    );
    h.get_by_label("Apply").click();
    wait_idle(&mut h);
    assert_eq!(org_and_loc(h.state_mut()), (4, 0));
    assert_eq!(h.state().session().workspace().dirty_count(), 3);
    // The search ran again: every hit now shows its label.
    assert!(h
        .state()
        .session()
        .corpus()
        .search
        .as_ref()
        .unwrap()
        .hits
        .iter()
        .all(|hit| hit.label.as_deref() == Some("ORG")));
    // One Ctrl+Z undoes it in all three documents, one redo brings it back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(org_and_loc(h.state_mut()), (1, 1));
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_steps(2);
    assert_eq!(org_and_loc(h.state_mut()), (4, 0));
    // Cancel leaves everything as it is.
    h.get_by_label("Tag all 4 hits…").click();
    h.run_steps(2);
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert!(h.query_by_label("Apply").is_none());
    assert_eq!(org_and_loc(h.state_mut()), (4, 0));
}

#[test]
fn consistency_lists_differently_tagged_strings_and_fixes_them_in_bulk() {
    let (_dir, mut h) = cctv_harness();
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::K);
    wait_idle(&mut h);
    h.get_by_label("1 string is tagged differently in different places");
    let row = "CCTV   LOC 1 · ORG 1 · untagged 2";
    h.get_by_label(row).click();
    h.run_steps(2);
    // Visiting a place opens its document there.
    // Each place is shown in its words.
    h.get_by_label_contains(
        "untagged — Article 2: …China shares rose after [CCTV] aired the interview",
    )
    .click();
    h.run_steps(2);
    assert_eq!(h.state().session().current(), 2);
    // Make them all LOC (the first label listed), previewed, one undo step.
    h.get_by_label("Preview…").click();
    // The click is taken in one frame, the preview window measured in the next, shown in the third.
    h.run_steps(3);
    h.get_by_label("Tag every “CCTV” as LOC: 2 tagged, 1 relabelled, 1 already so, in 2 documents");
    h.get_by_label("Apply").click();
    wait_idle(&mut h);
    assert_eq!(org_and_loc(h.state_mut()), (0, 4));
    h.get_by_label("Every tagged string is tagged the same way everywhere.");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(org_and_loc(h.state_mut()), (1, 1));
}

#[test]
fn statistics_window_counts_labels_reviews_and_done_documents() {
    let (_dir, mut h) = cctv_harness();
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::T);
    wait_idle(&mut h);
    h.get_by_label("Statistics");
    h.get_by_label("Entities per label");
    h.get_by_label("Documents done over time");
    let st = h
        .state()
        .session()
        .corpus()
        .stats
        .as_ref()
        .unwrap()
        .stats
        .clone()
        .unwrap();
    assert_eq!(st.docs, 3);
    assert_eq!(st.status_count(Status::Done), 1);
    assert_eq!(st.per_label.get("ORG"), Some(&1));
    assert_eq!(st.per_label.get("LOC"), Some(&1));
    assert_eq!(
        st.done_by_day.values().sum::<usize>(),
        1,
        "marked done today"
    );
    assert!(h
        .query_by_label("No document has been marked done with a date yet.")
        .is_none());
}

#[test]
fn an_exact_selection_never_splits_a_character() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("emoji.txt");
    std::fs::write(&f, "Fans 👍🏽 cheered Jose\u{301} in Paris.").unwrap();
    let mut h = harness(vec![f]);
    let text = doc(&h, 0).text().to_string();
    let thumb = find(&text, "👍🏽");
    // Alt-drag over the thumb alone, without its skin tone: the selection takes both.
    select(
        &mut h,
        CharSpan::new(thumb.start.0, thumb.start.0 + 1).unwrap(),
        true,
    );
    assert_eq!(*h.state().session().selection(), Selection::Range(thumb));
    // Alt-drag ending between the e and its accent: the accent comes along.
    let jose = find(&text, "Jose\u{301}");
    select(
        &mut h,
        CharSpan::new(jose.start.0, jose.end.0 - 1).unwrap(),
        true,
    );
    assert_eq!(*h.state().session().selection(), Selection::Range(jose));
}

#[test]
fn a_document_added_by_another_process_shows_up_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("p");
    let tw = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_tagwright"))
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let p = proj.to_str().unwrap();
    tw(&["new", p]);
    let first = dir.path().join("first.txt");
    std::fs::write(&first, "Xi met Putin in Beijing.").unwrap();
    tw(&["add", p, first.to_str().unwrap()]);
    let mut h = harness(vec![proj.clone()]);
    assert_eq!(h.state().session().workspace().docs.len(), 1);
    let second = dir.path().join("second.txt");
    std::fs::write(&second, "Kishida met Biden in Tokyo.").unwrap();
    tw(&["add", p, second.to_str().unwrap()]);
    send(&mut h, Command::CheckDisk);
    h.run_steps(2);
    assert_eq!(
        h.state().session().workspace().docs.len(),
        2,
        "listed at once"
    );
    // The notice window, and the same sentence in the status bar.
    h.get_by_label("Project changed on disk");
    let shown = h
        .get_all_by_label("The project changed on disk: 1 document(s) added by another process")
        .count();
    assert_eq!(shown, 2);
    h.get_by_label("OK").click();
    h.run_steps(2);
    assert!(h.state().session().project_news().is_none());
}

#[test]
fn the_suggestion_list_buttons_move_on_like_enter_and_backspace() {
    let mut h = harness(vec![]);
    let original = h.state().session().doc().unwrap().clone();
    let s = original.suggestions();
    h.get_all_by_label("accept").next().unwrap().click();
    h.run_steps(2);
    let d = h.state().session().doc().unwrap();
    assert!(d.find_span(s[0].span, &s[0].label).is_some());
    assert_eq!(
        *h.state().session().selection(),
        Selection::Suggestion(s[1].span, s[1].label.clone()),
        "accepting from the list selects the next suggestion, as Enter does"
    );
    // The keyboard goes on from there: Enter accepts the suggestion the button moved to.
    h.key_press(Key::Enter);
    h.run_steps(2);
    let d = h.state().session().doc().unwrap();
    assert!(d.find_span(s[1].span, &s[1].label).is_some());
    // The first row is now the third suggestion: its reject button rejects it and moves on.
    h.get_all_by_label("reject").next().unwrap().click();
    h.run_steps(2);
    let d = h.state().session().doc().unwrap();
    assert!(d.is_rejected(s[2].span, &s[2].label));
    assert_eq!(
        *h.state().session().selection(),
        Selection::Suggestion(s[3].span, s[3].label.clone())
    );
}

#[test]
fn every_script_is_drawn_cjk_emoji_arabic_hebrew_greek_cyrillic() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("scripts.txt");
    let text = "外交部发言人汪文斌表示，中方欢迎。\n\
                東京で岸田首相が会見した。서울에서 윤석열 대통령이 말했다.\n\
                قال الرئيس محمود عباس في رام الله\n\
                אמר ראש הממשלה בירושלים\n\
                Fans 👍🏽 cheered 🌏 🚆 🙄 ✊ 💧 in Zürich — “Ελλάδα”, Москва, José\u{301}.";
    std::fs::write(&f, text).unwrap();
    // Building and drawing frames panics on any glyph no font has.
    let mut h = harness(vec![f]);
    h.run_steps(2);
    assert!(h.query_all_by_label_contains("汪文斌").count() >= 1);
    assert!(h.query_all_by_label_contains("Москва").count() >= 1);
}

#[test]
fn a_quick_drag_selects_from_where_the_button_went_down() {
    let mut h = harness(vec![]);
    // The article's first paragraph (each paragraph is one node, below the heading).
    let heading = h
        .get_all_by_label_contains("Xi tells Putin the road")
        .map(|n| n.rect())
        .max_by(|a, b| a.min.x.total_cmp(&b.min.x))
        .unwrap();
    let para = h
        .get_all_by(|n| n.role() == egui::accesskit::Role::Unknown && n.raw_bounds().is_some())
        .map(|n| n.rect())
        .filter(|r| r.min.y > heading.max.y && (r.min.x - heading.min.x).abs() < 20.0)
        .min_by(|a, b| a.min.y.total_cmp(&b.min.y))
        .expect("the first paragraph");
    let y = para.min.y + 12.0;
    // Inside the first word ("date"), clear of the document panel's resize handle.
    let (from, to) = (
        egui::pos2(para.min.x + 14.0, y),
        egui::pos2(para.min.x + 260.0, y),
    );
    let button = |pos, pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    };
    h.event(egui::Event::PointerMoved(from));
    h.event(button(from, true));
    h.step();
    // One quick move: the drag is only recognised at its end.
    h.event(egui::Event::PointerMoved(to));
    h.step();
    h.event(button(to, false));
    h.run_steps(2);
    let Selection::Range(r) = h.state().session().selection().clone() else {
        panic!("no range selected: {:?}", h.state().session().selection())
    };
    assert!(
        r.start.0 <= 2,
        "the drag started at the first word, got {r:?}"
    );
    assert!(r.len() > 10, "{r:?}");
}

#[test]
fn escape_closes_the_topmost_window_then_clears_the_selection() {
    let mut h = harness(vec![]);
    h.key_press(Key::Tab);
    h.run_steps(1);
    assert!(matches!(
        h.state().session().selection(),
        Selection::Suggestion(..)
    ));
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::T);
    wait_idle(&mut h);
    h.key_press(Key::F1);
    h.run_steps(2);
    h.get_by_label("Shortcuts");
    h.get_by_label("Statistics");
    // Help first, then statistics; the selection stays until nothing is left open.
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label("Shortcuts").is_none());
    h.get_by_label("Statistics");
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label("Statistics").is_none());
    assert!(h.state().session().corpus().stats.is_none());
    assert!(matches!(
        h.state().session().selection(),
        Selection::Suggestion(..)
    ));
    h.key_press(Key::Escape);
    h.run_steps(1);
    assert_eq!(*h.state().session().selection(), Selection::None);
    // Ctrl+L: the path field has the keyboard at once.
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run_steps(2);
    h.event(egui::Event::Text("/tmp/x".into()));
    h.run_steps(1);
    assert!(h.query_all_by_value("/tmp/x").count() >= 1);
}

#[test]
fn at_800_by_500_the_article_has_room_and_nothing_leaves_the_window() {
    let mut h = Harness::builder()
        .with_size([800.0, 500.0])
        .build_eframe(move |_cc| TagwrightApp::with_paths(vec![]));
    h.run_steps(4);
    // The article's heading spans the article column.
    let heading = h
        .get_all_by_label_contains("Xi tells Putin the road")
        .map(|n| n.rect())
        .max_by(|a, b| a.min.x.total_cmp(&b.min.x))
        .unwrap();
    assert!(heading.width() >= 260.0, "article column {heading:?}");
    // The side panels keep to their share: nothing is laid out past the right edge.
    for n in h.get_all_by(|n| n.raw_bounds().is_some()) {
        let r = n.rect();
        assert!(r.max.x <= 801.0, "{r:?} {:?}", n.value());
    }
}

#[test]
fn ctrl_equals_minus_and_zero_zoom_the_window() {
    let mut h = harness(vec![]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
    h.run_steps(2);
    assert!(
        (h.ctx.zoom_factor() - 1.1).abs() < 1e-3,
        "{}",
        h.ctx.zoom_factor()
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
    h.run_steps(2);
    assert!(
        (h.ctx.zoom_factor() - 0.9).abs() < 1e-3,
        "{}",
        h.ctx.zoom_factor()
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run_steps(2);
    assert_eq!(h.ctx.zoom_factor(), 1.0);
    // Ctrl+0 is not the label key 0: nothing was tagged.
    assert!(h.state().session().doc().unwrap().spans().is_empty());
}

#[test]
fn ctrl_g_shows_the_guidelines_and_the_labels_descriptions() {
    let mut h = harness(vec![]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::G);
    h.run_steps(3);
    h.get_by_label("Guidelines");
    h.get_by_label_contains("No guidelines yet");
    h.get_by_label("Edit guidelines").click();
    h.run_steps(3);
    h.event(egui::Event::Text("# Names\n\n- People by name".into()));
    h.run_steps(1);
    h.get_by_label("Save").click();
    h.run_steps(3);
    assert_eq!(
        h.state().session().guidelines(),
        "# Names\n\n- People by name"
    );
    h.get_by_label("Names");
    h.get_by_label_contains("People by name");
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label("Names").is_none());
}
