//! A team project in the window: asked who is annotating, working in one's own layer, "my
//! documents" from the assignments, and the main layer left as it was.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use tagwright::extract::Pipeline;
use tagwright::model::{Annotator, Status};
use tagwright::session::{team, Session};
use tagwright::store::Project;
use tagwright::ui::TagwrightApp;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/samples/xi-putin-call.txt"
);

/// A project of four articles, each assigned to one of ana and ben.
fn team_project(dir: &std::path::Path) -> std::path::PathBuf {
    let root = dir.join("p");
    let mut p = Project::create(&root, "team", tagwright::model::LabelSchema::news()).unwrap();
    let news = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/news");
    let mut files = vec![std::path::PathBuf::from(SAMPLE)];
    for n in ["ap-like", "bbc-like", "reuters-like"] {
        files.push(format!("{news}/{n}.txt").into());
    }
    let opts = tagwright::store::formats::ImportOptions::default();
    tagwright::session::preannotate::import_files(&mut p, &files, opts, &Pipeline::news(), false)
        .unwrap();
    let who = [
        Annotator::new("ana").unwrap(),
        Annotator::new("ben").unwrap(),
    ];
    team::assign(&p, &who, 1, 1, false).unwrap();
    root
}

fn window(root: &std::path::Path, config: &std::path::Path) -> Harness<'static, TagwrightApp> {
    let (root, config) = (root.to_path_buf(), config.to_path_buf());
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |_cc| {
            TagwrightApp::with_session(Session::with_config(vec![root], Some(config), None))
        });
    h.run_steps(3);
    h
}

#[test]
fn a_team_project_asks_who_annotates_and_keeps_their_work_in_their_layer() {
    if std::env::var_os("TAGWRIGHT_ANNOTATOR").is_some() {
        eprintln!("skipping: TAGWRIGHT_ANNOTATOR is set, so the window would not ask");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = team_project(dir.path());
    let config = dir.path().join("config");
    let p = Project::open(&root).unwrap();
    let main_files: Vec<Vec<u8>> = p
        .ids()
        .iter()
        .map(|id| std::fs::read(p.text_path(id)).unwrap())
        .collect();
    let mut h = window(&root, &config);
    // Asked at once; the name field has the keyboard.
    h.get_by_label("Who is annotating?");
    assert!(h.state().session().asks_name());
    h.event(egui::Event::Text("ana".into()));
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert!(h.query_by_label("Who is annotating?").is_none());
    let s = h.state().session();
    assert_eq!(s.layer().map(|a| a.as_str()), Some("ana"));
    assert_eq!(
        team::annotator_in(None, Some(&config))
            .unwrap()
            .unwrap()
            .as_str(),
        "ana",
        "remembered on this machine"
    );
    h.get_by_label("ana's layer");
    // Only ana's documents are listed, until she asks for all.
    let a = tagwright::store::layers::read_assignments(&root)
        .unwrap()
        .unwrap();
    let ana = Annotator::new("ana").unwrap();
    let mine: Vec<usize> = p
        .ids()
        .iter()
        .enumerate()
        .filter(|(_, id)| a.of(&ana).any(|x| x == *id))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(mine.len(), 2);
    assert_eq!(h.state().session().listed(), &mine[..]);
    h.get_by_label("Only documents assigned to me").click();
    h.run_steps(2);
    assert_eq!(h.state().session().listed().len(), 4);
    // Blind: nothing confirmed on screen, the machine's suggestions to review.
    let cur = h.state().session().current();
    let d = h.state().session().workspace().doc(cur).unwrap().clone();
    assert!(d.spans().is_empty() && !d.suggestions().is_empty());
    // Accept the first suggestion from the keyboard, mark done, save.
    h.key_press(Key::Tab);
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(3);
    let id = &d.id;
    let layer = root.join("layers/ana").join(format!("{id}.ron"));
    let text = std::fs::read_to_string(&layer).unwrap();
    assert!(
        text.contains("status: Done") && text.contains("Accepted("),
        "{text}"
    );
    // Marking done learned in the background: into ana's layer folder, never the project's
    // model (another annotator's learning would conflict with it in a merge).
    for _ in 0..600 {
        if !h.state().session().is_busy() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.run_steps(1);
    }
    assert!(!root.join("model").exists());
    // The main layer did not move.
    let now: Vec<Vec<u8>> = p
        .ids()
        .iter()
        .map(|id| std::fs::read(p.text_path(id)).unwrap())
        .collect();
    assert_eq!(now, main_files);
    // The main layer from Project > Annotator name: ana's work is not in it.
    tagwright_send(&mut h, tagwright::session::Command::AnnotatorName);
    h.get_by_label("Work on the main layer (adjudicate)")
        .click();
    h.run_steps(3);
    let s = h.state().session();
    assert_eq!(s.layer(), None);
    h.get_by_label("main layer");
    let i = s
        .workspace()
        .docs
        .iter()
        .position(|x| &x.summary.id == id)
        .unwrap();
    assert_ne!(s.workspace().docs[i].summary.status, Status::Done);
}

fn tagwright_send(h: &mut Harness<'static, TagwrightApp>, cmd: tagwright::session::Command) {
    h.state_mut().send(cmd);
    h.run_steps(2);
}

#[test]
fn a_one_person_project_is_never_asked_about() {
    let dir = tempfile::tempdir().unwrap();
    let (root, _) = sample_only(dir.path());
    let h = window(&root, &dir.path().join("config"));
    assert!(h.query_by_label("Who is annotating?").is_none());
    assert!(!h.state().session().asks_name());
    assert_eq!(h.state().session().layer(), None);
    assert!(h.query_by_label("main layer").is_none());
}

/// A project of the sample article alone (pre-annotated): its folder and the project.
fn sample_only(dir: &std::path::Path) -> (std::path::PathBuf, Project) {
    let root = dir.join("p");
    let mut p = Project::create(&root, "team", tagwright::model::LabelSchema::news()).unwrap();
    tagwright::session::preannotate::import_files(
        &mut p,
        &[SAMPLE.into()],
        tagwright::store::formats::ImportOptions::default(),
        &Pipeline::news(),
        false,
    )
    .unwrap();
    (root, p)
}

/// The sample's first seven suggestions, as `(start, end, label)`.
fn sample_spans(root: &std::path::Path) -> Vec<(usize, usize, String)> {
    let p = Project::open(root).unwrap();
    let d = p.load_document(&p.ids()[0]).unwrap();
    d.suggestions()
        .iter()
        .take(7)
        .map(|s| (s.span.start.0, s.span.end.0, s.label.clone()))
        .collect()
}

fn other(label: &str) -> String {
    if label == "MISC" { "ORG" } else { "MISC" }.to_string()
}

/// `name`'s layer of the first document: these spans, marked done.
fn layer(root: &std::path::Path, name: &str, spans: &[(usize, usize, String)]) {
    use tagwright::model::{Edit, Span};
    let mut p = Project::open(root).unwrap();
    p.set_layer(Some(Annotator::new(name).unwrap()));
    let mut d = p.load_document(&p.ids()[0].clone()).unwrap();
    for (a, b, l) in spans {
        d.apply(&Edit::AddSpan(Span::manual(*a, *b, l)), &p.schema)
            .unwrap();
    }
    d.apply(&Edit::SetStatus(Status::Done), &p.schema).unwrap();
    p.save_document(&d).unwrap();
}

#[test]
fn three_annotators_adjudicated_from_the_keyboard_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (root, _) = sample_only(dir.path());
    let s = sample_spans(&root);
    let relabel = |i: usize| (s[i].0, s[i].1, other(&s[i].2));
    // s0-s2 agreed; s3 only ana; s4 ana and ben with different labels; s5 ana and chen;
    // s6 ben, and chen with another label.
    let as_is = |i: usize| s[i].clone();
    let ana: Vec<_> = (0..6).map(as_is).collect();
    let ben = vec![as_is(0), as_is(1), as_is(2), relabel(4), as_is(6)];
    let chen = vec![as_is(0), as_is(1), as_is(2), as_is(5), relabel(6)];
    layer(&root, "ana", &ana);
    layer(&root, "ben", &ben);
    layer(&root, "chen", &chen);

    let mut h = window(&root, &dir.path().join("config"));
    // From the keyboard: Tab leaves the name field for "Work on the main layer", Space presses it.
    h.key_press(Key::Tab);
    h.run_steps(1);
    h.key_press(Key::Space);
    h.run_steps(3);
    assert!(!h.state().session().asks_name());
    assert_eq!(h.state().session().layer(), None);
    h.key_press_modifiers(Modifiers::COMMAND, Key::J);
    h.run_steps(2);
    let a = h
        .state()
        .session()
        .adjudication()
        .expect("adjudicating")
        .clone();
    assert_eq!(a.annotators, ["ana", "ben", "chen"]);
    assert_eq!(a.agreed, 3);
    h.get_by_label("Adjudication");
    let d = h.state().session().doc().unwrap();
    let pending: Vec<(usize, String, String)> = d
        .suggestions()
        .iter()
        .map(|c| (c.span.start.0, c.label.clone(), c.source.clone()))
        .collect();
    assert_eq!(pending.len(), 6, "{pending:?}");
    assert!(pending.contains(&(s[5].0, s[5].2.clone(), "ana+chen".into())));
    // The first candidate is selected (s3, ana's): Ctrl+1 takes ana's version.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    h.run_steps(1);
    // Now at s4: Ctrl+2 takes ben's label there.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    h.run_steps(1);
    // Chen's version of the rest, in one step; undo and redo it.
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Num3);
    h.run_steps(1);
    assert!(h.state().session().doc().unwrap().suggestions().is_empty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(1);
    assert_eq!(h.state().session().doc().unwrap().suggestions().len(), 3);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(3);

    let mut want: Vec<(usize, usize, String)> = (0..4).map(as_is).collect();
    want.extend([relabel(4), as_is(5), relabel(6)]);
    want.sort();
    // What export writes is what was chosen.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tagwright"))
        .args(["export", root.to_str().unwrap(), "--only-done"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().next().unwrap()).unwrap();
    let mut got: Vec<(usize, usize, String)> = line["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["start"].as_u64().unwrap() as usize,
                x["end"].as_u64().unwrap() as usize,
                x["label"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(got, want);
    // The annotators' layers are as they were.
    let p = Project::open(&root).unwrap();
    let who: Vec<Annotator> = ["ana", "ben", "chen"]
        .iter()
        .map(|n| Annotator::new(n).unwrap())
        .collect();
    let (_, layers) = p.load_layers(&p.ids()[0], &who).unwrap();
    assert_eq!(layers[0].as_ref().unwrap().spans().len(), 6);
}

#[test]
fn the_agreement_window_compares_layers_and_opens_a_document_to_adjudicate() {
    let dir = tempfile::tempdir().unwrap();
    let (root, p) = sample_only(dir.path());
    let s = sample_spans(&root);
    layer(&root, "ana", &s[..4]);
    layer(&root, "ben", &s[..2]);
    let mut h = window(&root, &dir.path().join("config"));
    h.get_by_label("Work on the main layer (adjudicate)")
        .click();
    h.run_steps(3);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    h.run_steps(2);
    crate::ui::wait_idle(&mut h);
    let r = h
        .state()
        .session()
        .corpus()
        .agreement
        .as_ref()
        .unwrap()
        .report
        .clone()
        .unwrap();
    assert_eq!(r.pairs[0].spans.exact, 2);
    assert_eq!(r.pairs[0].spans.reference, 4);
    h.get_by_label("ana / ben");
    h.get_by_label_contains("Krippendorff's α");
    let id = p.ids()[0].to_string();
    h.get_by_label(&id).click();
    h.run_steps(3);
    let a = h
        .state()
        .session()
        .adjudication()
        .expect("adjudicating")
        .clone();
    assert_eq!(a.agreed, 2);
    assert_eq!(h.state().session().doc().unwrap().suggestions().len(), 2);
}

#[test]
fn statistics_have_a_line_per_annotator() {
    let dir = tempfile::tempdir().unwrap();
    let (root, _) = sample_only(dir.path());
    let s = sample_spans(&root);
    layer(&root, "ana", &s[..4]);
    layer(&root, "ben", &s[..2]);
    let mut h = window(&root, &dir.path().join("config"));
    h.key_press(Key::Tab);
    h.run_steps(1);
    h.key_press(Key::Space);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::T);
    crate::ui::wait_idle(&mut h);
    let lines = h
        .state()
        .session()
        .corpus()
        .stats
        .as_ref()
        .unwrap()
        .annotators
        .clone();
    let got: Vec<(&str, usize, usize)> = lines
        .iter()
        .map(|l| (l.name.as_str(), l.done, l.entities))
        .collect();
    assert_eq!(got, [("ana", 1, 4), ("ben", 1, 2)]);
    h.get_by_label("Annotators");
}
