//! What to look at next, without a window: the review of every pending suggestion, least sure
//! first, decided with the article's keys and undone with Ctrl+Z; and the document list ordered
//! most useful first.

use super::session::{project, wait};
use tagwright::model::Origin;
use tagwright::session::{Command, JobKind, Session};

const ARTICLES: &[(&str, &str)] = &[
    (
        "a.txt",
        "Angela Merkel met Emmanuel Macron in Paris on Friday.",
    ),
    (
        "b.txt",
        "The Athi River flooded near Nairobi, the Kenya Red Cross said.",
    ),
    (
        "c.txt",
        "Olaf Scholz visited Madrid and spoke with Pedro Sanchez.",
    ),
];

#[test]
fn every_suggestion_least_sure_first_decided_without_opening_documents() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path(), "p", ARTICLES);
    let mut s = Session::with_paths(vec![root]);
    s.run(Command::ReviewSuggestions);
    wait(&mut s);
    let items = s.review().unwrap().items.clone();
    let total: usize = (0..3)
        .map(|i| s.workspace().docs[i].summary.suggestions)
        .sum();
    assert_eq!(items.len(), total);
    assert!(
        items.windows(2).all(|w| w[0].score <= w[1].score),
        "least sure first"
    );
    // Enter, Backspace and a label key act on the review, not on the article on screen.
    s.run(Command::Accept);
    s.run(Command::Reject);
    s.run(Command::ApplyLabel("MISC".into()));
    assert_eq!(s.current(), 0);
    let r = s.review().unwrap();
    let decided: Vec<&str> = r.decided.iter().flatten().map(String::as_str).collect();
    let third = if items[2].label == "MISC" {
        "accepted"
    } else {
        "as MISC"
    };
    assert_eq!(decided, ["accepted", "rejected", third]);
    assert_eq!(r.at, 3, "on to the next one");
    let doc = |s: &mut Session, i: usize| s.workspace_mut().load(i).unwrap().clone();
    let (a, b, c) = (&items[0], &items[1], &items[2]);
    assert!(doc(&mut s, a.doc).find_span(a.span, &a.label).is_some());
    assert!(doc(&mut s, b.doc).is_rejected(b.span, &b.label));
    let misc = doc(&mut s, c.doc)
        .find_span(c.span, "MISC")
        .cloned()
        .unwrap();
    if c.label != "MISC" {
        assert!(
            matches!(misc.origin, Origin::Corrected { .. }),
            "{:?}",
            misc.origin
        );
    }
    // Ctrl+Z takes the last decision back, in its document.
    s.run(Command::Undo);
    assert!(doc(&mut s, c.doc).find_span(c.span, "MISC").is_none());
    let r = s.review().unwrap();
    assert_eq!((r.at, r.decided[2].clone()), (2, None));
    assert_eq!(r.left(), items.len() - 2);
    // Closed, the keys are the article's again.
    s.run(Command::CloseTool(JobKind::Review));
    assert!(s.review().is_none());
    let before = doc(&mut s, 0).spans().len();
    s.run(Command::NextSuggestion);
    s.run(Command::Accept);
    assert_eq!(doc(&mut s, 0).spans().len(), before + 1);
}

#[test]
fn most_useful_first_orders_the_list_and_moving_on_follows_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path(), "p", ARTICLES);
    let mut s = Session::with_paths(vec![root]);
    s.run(Command::ToggleUsefulOrder);
    assert_eq!(s.is_on(&Command::ToggleUsefulOrder), Some(true));
    wait(&mut s);
    s.tick();
    let listed = s.listed().to_vec();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, [0, 1, 2], "every document, once");
    // The order `corpus::review` gives (its own test checks the formula).
    let mut g = tagwright::corpus::Gathered::default();
    for i in 0..3 {
        let d = s.workspace_mut().load(i).unwrap().clone();
        g.add(i, &d);
    }
    assert_eq!(listed, g.most_useful_first(3));
    assert_ne!(
        listed,
        [0, 1, 2],
        "these articles are not already in that order"
    );
    // Mark done moves on in the list's order.
    s.run(Command::GoTo(listed[0]));
    s.run(Command::MarkDone);
    assert_eq!(s.current(), listed[1], "{}", s.status());
    s.run(Command::ToggleUsefulOrder);
    s.tick();
    assert_eq!(s.listed(), &[0, 1, 2]);
    wait(&mut s);
}

#[test]
fn ctrl_z_in_the_review_never_undoes_a_later_edit_of_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path(), "p", ARTICLES);
    let mut s = Session::with_paths(vec![root]);
    s.run(Command::ReviewSuggestions);
    wait(&mut s);
    let first = s.review().unwrap().items[0].clone();
    s.run(Command::Reject);
    // The person then edits that document elsewhere (closes the review, accepts all there).
    s.run(Command::CloseTool(JobKind::Review));
    s.run(Command::ReviewSuggestions);
    wait(&mut s);
    s.run(Command::Reject);
    let second = s.review().unwrap().items[0].clone();
    s.run(Command::GoTo(second.doc));
    s.run(Command::AcceptAll);
    let spans = s.doc().unwrap().spans().len();
    // Ctrl+Z in the review: the document moved on, so nothing is undone and it says so.
    s.run(Command::Undo);
    assert!(
        s.status().contains("changed after the decision"),
        "{}",
        s.status()
    );
    assert_eq!(s.doc().unwrap().spans().len(), spans);
    assert!(s.doc().unwrap().is_rejected(second.span, &second.label));
    let _ = first;
}
