//! The keyboard flow in the window: a document annotated with the keyboard alone (caret, label
//! keys, Enter, Ctrl+D), flagging with a reason and skipping, the status filter, where windows
//! open, and the label editor's key boxes.

use super::ui::{doc, harness};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use tagwright::model::Status;
use tagwright::session::Selection;

fn press(h: &mut egui_kittest::Harness<'static, tagwright::ui::TagwrightApp>, k: Key) {
    h.key_press(k);
    h.run_steps(1);
}

#[test]
fn a_document_annotated_with_the_keyboard_alone() {
    let mut h = harness(vec![]);
    let first_label = h.state().session().workspace().schema.labels[0]
        .name
        .clone();
    // → selects the first token, " date"'s "date", which no suggestion covers.
    press(&mut h, Key::ArrowRight);
    let s = h.state().session();
    assert_eq!(s.slice(s.selection().span().unwrap()), "date");
    assert!(matches!(s.selection(), Selection::Range(_)));
    // A label key tags it.
    press(&mut h, Key::Num1);
    assert!(doc(&h, 0)
        .spans()
        .iter()
        .any(|x| (x.span.start.0, x.span.end.0, x.label.as_str()) == (1, 5, &first_label)));
    // → again: the DATE suggestion after it, whole; Enter accepts it.
    press(&mut h, Key::ArrowRight);
    let s = h.state().session();
    assert_eq!(s.slice(s.selection().span().unwrap()), "2022-12-30");
    assert!(matches!(s.selection(), Selection::Suggestion(_, l) if l == "DATE"));
    press(&mut h, Key::Enter);
    assert_eq!(doc(&h, 0).spans().len(), 2);
    // ← from the next suggestion comes back to the accepted entity.
    press(&mut h, Key::ArrowLeft);
    assert!(matches!(h.state().session().selection(), Selection::Span(_, l) if l == "DATE"));
    // From the top again, the caret steps over entities and suggestions whole: date, the
    // date, BEIJING, then "(" which is nothing yet; Shift+→ extends it.
    h.key_press(Key::Escape);
    for _ in 0..4 {
        press(&mut h, Key::ArrowRight);
    }
    let s = h.state().session();
    assert_eq!(s.slice(s.selection().span().unwrap()), "(");
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    h.run_steps(1);
    let s = h.state().session();
    assert_eq!(s.slice(s.selection().span().unwrap()), "(Reuters");
    // Ctrl+D: done.
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    h.run_steps(2);
    assert_eq!(doc(&h, 0).status(), Status::Done);
}

#[test]
fn ctrl_b_flags_with_a_reason_ctrl_k_skips_and_the_list_filters_by_status() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<_> = ["Angela Merkel met Emmanuel Macron.", "An advert for shoes."]
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let p = dir.path().join(format!("{i}.txt"));
            std::fs::write(&p, t).unwrap();
            p
        })
        .collect();
    let mut h = harness(files);
    h.key_press_modifiers(Modifiers::COMMAND, Key::B);
    h.run_steps(2);
    h.get_by_label("Flag document");
    // The reason field has the keyboard at once; Enter flags.
    h.event(egui::Event::Text("Text is broken".into()));
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(2);
    assert!(h.query_by_label("Flag document").is_none());
    let ws = h.state().session().workspace();
    assert_eq!(ws.docs[0].summary.status, Status::Flagged);
    assert_eq!(ws.doc(0).unwrap().reason(), "Text is broken");
    assert_eq!(h.state().session().current(), 1, "moved on");
    // Ctrl+B then Escape: nothing flagged.
    h.key_press_modifiers(Modifiers::COMMAND, Key::B);
    h.run_steps(2);
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label("Flag document").is_none());
    assert_eq!(doc(&h, 1).status(), Status::Todo);
    // Ctrl+K skips.
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_steps(2);
    assert_eq!(doc(&h, 1).status(), Status::Skipped);
    // The list shows only the flagged one when asked.
    h.get_by_label("status").click();
    h.run_steps(2);
    h.get_by_label("flagged (1)").click();
    h.run_steps(2);
    assert_eq!(h.state().session().listed(), &[0]);
    // The inspector says why the document on screen is set aside.
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageUp);
    h.run_steps(2);
    h.get_by_label_contains("This document is flagged: Text is broken.");
}

#[test]
fn windows_open_centred_and_the_label_editor_shows_each_key() {
    let mut h = harness(vec![]);
    h.key_press(Key::F1);
    h.run_steps(3);
    let title = h.get_by_label("Shortcuts").rect();
    assert!(
        (title.center().x - 640.0).abs() < 2.0,
        "help's title at {title:?}, not centred in a 1280 px window"
    );
    h.key_press(Key::Escape);
    h.run_steps(1);
    h.get_by_label("Edit labels").click();
    h.run_steps(2);
    for k in ["1", "2", "3"] {
        assert!(h.query_all_by_value(k).count() >= 1, "no key box shows {k}");
    }
}

#[test]
fn ctrl_shift_r_reviews_the_least_sure_suggestions_with_the_article_keys() {
    let mut h = harness(vec![]);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::R);
    super::ui::wait_idle(&mut h);
    h.get_by_label("Review suggestions");
    let first = h.state().session().review().unwrap().items[0].clone();
    h.get_by_label_contains("to decide of 54");
    press(&mut h, Key::Backspace);
    assert!(doc(&h, 0).is_rejected(first.span, &first.label));
    h.get_by_label_contains("— rejected");
    // Ctrl+Z takes it back; Escape closes the review, and Enter is the article's again.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(1);
    assert!(!doc(&h, 0).is_rejected(first.span, &first.label));
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label("Review suggestions").is_none());
    assert!(h.state().session().review().is_none());
}
