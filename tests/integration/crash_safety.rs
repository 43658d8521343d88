//! Kill the real binary (SIGKILL) at random moments while it edits and saves a project, hundreds
//! of times; after every kill the project opens, every document file is either its previous or its
//! new saved state (it parses and satisfies the invariants), and the saved files with the journal
//! replayed are exactly the state after the last edit the process had made durable: nothing lost.

use std::io::BufRead;
use std::process::{Command, Stdio};
use std::time::Duration;
use tagwright::store::journal::Journal;
use tagwright::store::{Project, Workspace};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/samples/xi-putin-call.txt"
);

fn tw(args: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_tagwright"))
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// A project folder `p` under `dir` holding the sample article, made by the real binary.
fn sample_project(dir: &std::path::Path) -> std::path::PathBuf {
    let root = dir.join("p");
    let r = root.to_str().unwrap();
    tw(&["new", r]);
    tw(&["add", r, SAMPLE]);
    root
}

#[test]
fn killed_at_random_moments_nothing_is_lost_or_broken() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    let r = root.to_str().unwrap();
    tw(&["new", r]);
    let extra = dir.path().join("b.txt");
    std::fs::write(
        &extra,
        "Emmanuel Macron met Olaf Scholz in Berlin on Monday 😀.\r\nNATO said…",
    )
    .unwrap();
    tw(&["add", r, SAMPLE, extra.to_str().unwrap()]);

    let mut seed: u64 = 0x0c0f_fee5;
    let mut rand = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let kills = 200;
    let mut replayed = 0;
    let mut checked_edits = 0;
    for k in 0..kills {
        // What the process starts from: the saved files (it drops any journal first).
        let base = dir.path().join(format!("base{k}"));
        copy_dir(&root, &base);
        let mut child = Command::new(env!("CARGO_BIN_EXE_tagwright"))
            .args(["stress-save", r])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        // The last `edit N` it printed: edit N was in the journal, fsynced, before it was printed.
        let reader = std::thread::spawn(move || {
            let mut last = 0usize;
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(n) = line.strip_prefix("edit ") {
                    last = n.parse().unwrap();
                }
            }
            last
        });
        std::thread::sleep(Duration::from_millis(1 + rand(60)));
        // Child::kill sends SIGKILL on Unix: no chance to clean up.
        let _ = child.kill();
        let _ = child.wait();
        let durable = reader.join().unwrap();

        let p = Project::open(&root)
            .unwrap_or_else(|e| panic!("kill {k}: the project does not open: {e}"));
        assert_eq!(p.ids().len(), 2);
        for id in p.ids() {
            let d = p
                .load_document(id)
                .unwrap_or_else(|e| panic!("kill {k}: {e}"));
            d.check_invariants(false).unwrap();
        }
        let entries = Journal::read(&root).unwrap_or_else(|e| panic!("kill {k}: journal: {e}"));
        let mut ws = Workspace::open(&root).unwrap();
        assert_eq!(ws.recovered.len(), entries.len());
        if !entries.is_empty() {
            ws.restore_recovered()
                .unwrap_or_else(|e| panic!("kill {k}: replay: {e}"));
            replayed += 1;
            for i in 0..ws.docs.len() {
                ws.load(i).unwrap().check_invariants(false).unwrap();
            }
        }
        // Nothing lost: the state is the base after edit `durable`, or after the one more edit
        // that may have reached the journal between its fsync and the line saying so (or, when
        // the process was killed before it dropped the old journal, the base with it replayed).
        let got = all_docs(&mut ws);
        // (What opening the base offers, before `replay` drops its journal as the process did.)
        let before_start = durable == 0 && got == restored(&base);
        let (expected, one_more) = replay(&base, durable);
        assert!(
            got == expected || got == one_more || before_start,
            "kill {k}: the recovered project is not the state after edit {durable} (or {})",
            durable + 1
        );
        checked_edits += durable;
        std::fs::remove_dir_all(&base).unwrap();
    }
    eprintln!("{kills} kills survived; {replayed} left a journal that replayed cleanly; {checked_edits} edits checked");
    assert!(
        replayed > 0,
        "no kill landed between an edit and a save: the test is not testing the journal"
    );
}

/// Every document of `ws`, in order; when one was marked done is the clock's (the replay runs
/// later than the killed process did), so only whether it has that time is compared.
fn all_docs(ws: &mut Workspace) -> Vec<tagwright::model::Document> {
    (0..ws.docs.len())
        .map(|i| {
            let mut d = ws.load(i).unwrap().clone();
            d.set_done_at(d.done_at().map(|_| 0));
            d
        })
        .collect()
}

/// The documents of the project at `base` after the first `n` and the first `n + 1` edits that
/// `stress-save` makes (the same steps, in this process, without saving).
fn replay(
    base: &std::path::Path,
    n: usize,
) -> (
    Vec<tagwright::model::Document>,
    Vec<tagwright::model::Document>,
) {
    let mut ws = Workspace::open(base).unwrap();
    ws.discard_recovered().unwrap();
    let docs = ws.docs.len();
    let mut at_n = None;
    for step in 0..=n {
        if step == n {
            at_n = Some(all_docs(&mut ws));
        }
        tagwright::cli::stress_step(&mut ws, step / docs, step % docs).unwrap();
    }
    (at_n.unwrap(), all_docs(&mut ws))
}

/// The documents of the project at `base` as opening it offers them: the journal replayed.
fn restored(base: &std::path::Path) -> Vec<tagwright::model::Document> {
    let mut ws = Workspace::open(base).unwrap();
    if !ws.recovered.is_empty() {
        ws.restore_recovered().unwrap();
    }
    all_docs(&mut ws)
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn a_journal_restores_edits_made_after_the_last_save() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_project(dir.path());
    let mut ws = Workspace::open(&root).unwrap();
    let first = ws.load(0).unwrap().suggestions()[0].clone();
    ws.apply(
        0,
        &tagwright::model::Edit::AcceptSuggestion {
            span: first.span,
            label: first.label.clone(),
        },
    )
    .unwrap();
    ws.add_label("DRUG").unwrap();
    ws.apply(
        0,
        &tagwright::model::Edit::AddSpan(tagwright::model::Span::manual(1, 5, "DRUG")),
    )
    .unwrap();
    ws.undo(0).unwrap();
    ws.redo(0).unwrap();
    let expected = ws.load(0).unwrap().clone();
    drop(ws); // "crash": nothing saved

    let mut again = Workspace::open(&root).unwrap();
    assert_eq!(again.recovered.len(), 5);
    assert_ne!(*again.load(0).unwrap(), expected);
    assert_eq!(again.restore_recovered().unwrap(), 5);
    assert_eq!(*again.load(0).unwrap(), expected);
    assert!(again.schema.contains("DRUG"));
    // Saving clears the journal; a fresh open has nothing to recover.
    again.save().unwrap();
    assert!(Workspace::open(&root).unwrap().recovered.is_empty());
    // A journal cut in the middle of its last line still replays the whole lines before it.
    let mut ws = Workspace::open(&root).unwrap();
    ws.apply(0, &tagwright::model::Edit::SetDocNote("one".into()))
        .unwrap();
    ws.apply(0, &tagwright::model::Edit::SetDocNote("two".into()))
        .unwrap();
    drop(ws);
    let j = root.join("journal.jsonl");
    let bytes = std::fs::read(&j).unwrap();
    std::fs::write(&j, &bytes[..bytes.len() - 7]).unwrap();
    let mut ws = Workspace::open(&root).unwrap();
    assert_eq!(ws.recovered.len(), 1);
    ws.restore_recovered().unwrap();
    assert_eq!(ws.load(0).unwrap().note(), "one");
}

#[test]
fn undoing_a_saved_edit_is_restored_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_project(dir.path());
    let mut ws = Workspace::open(&root).unwrap();
    let s = ws.load(0).unwrap().suggestions()[0].clone();
    let accept = tagwright::model::Edit::AcceptSuggestion {
        span: s.span,
        label: s.label.clone(),
    };
    ws.apply(0, &accept).unwrap();
    ws.save().unwrap();
    // After the save: undo the saved accept, then reject the suggestion instead; then crash.
    ws.undo(0).unwrap();
    ws.apply(
        0,
        &tagwright::model::Edit::RejectSuggestion {
            span: s.span,
            label: s.label.clone(),
        },
    )
    .unwrap();
    let expected = ws.load(0).unwrap().clone();
    drop(ws);
    let mut again = Workspace::open(&root).unwrap();
    assert_eq!(again.restore_recovered().unwrap(), 2);
    assert_eq!(*again.load(0).unwrap(), expected);
    assert!(again.load(0).unwrap().is_rejected(s.span, &s.label));
}
