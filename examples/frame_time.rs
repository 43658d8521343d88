//! CPU time per frame of the real window state, headless (egui `Context::run_ui`, no window, no
//! GPU): `cargo run --release --example frame_time -- --kb N --spans M`.
//!
//! Builds an article of about N KB with M confirmed entities, opens it in the app, then runs
//! scripted frames: idle, scrolling, selecting, adding a span, undoing. Prints the median and 95th
//! percentile of the frame times; the last line is `frame ms: median X p95 Y`. Tessellation and
//! painting on the GPU are not included (they do not grow with the article).
//!
//! `--project DIR` opens a project folder instead and goes through 500 of its documents, then
//! types in the document filter: it prints the time to open with the list, the filter's frame
//! times, the memory peak and the frame times.

use std::time::Instant;
use tagwright::model::{Edit, Span};
use tagwright::session::{Command, SearchRequest};
use tagwright::text::CharSpan;
use tagwright::ui::TagwrightApp;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// CPU milliseconds of one frame of the app (1280×800) with these input events.
fn run_frame(ctx: &egui::Context, app: &mut TagwrightApp, events: Vec<egui::Event>) -> f64 {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        events,
        ..Default::default()
    };
    let t = Instant::now();
    let _ = ctx.run_ui(input, |ui| {
        app.logic(ui.ctx());
        app.frame(ui)
    });
    t.elapsed().as_secs_f64() * 1000.0
}

/// Peak and current resident memory of this process, in MB (Linux).
fn memory_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// `--project DIR`: open a project folder in the window state and walk through its documents
/// (next document, 500 times), typing in the document filter, then report open time, frame
/// times and memory.
fn project(dir: &str) {
    let t = Instant::now();
    let mut app = TagwrightApp::with_paths(vec![std::path::PathBuf::from(dir)]);
    let ctx = egui::Context::default();
    let run = |app: &mut TagwrightApp, events: Vec<egui::Event>| run_frame(&ctx, app, events);
    run(&mut app, Vec::new());
    let open_ms = t.elapsed().as_secs_f64() * 1000.0;
    if let Some(e) = app.session().error() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    let mut times = Vec::new();
    let next = egui::Event::Key {
        key: egui::Key::PageDown,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::COMMAND,
    };
    for _ in 0..500 {
        times.push(run(&mut app, vec![next.clone()]));
        times.push(run(&mut app, Vec::new()));
    }
    let mut filter_ms = Vec::new();
    for q in ["a", "ar", "art", "arti", "article 4", "article 49"] {
        app.send(Command::SetFilter(q.into()));
        filter_ms.push(run(&mut app, Vec::new()));
    }
    // The corpus tools run on a worker thread: time them to completion, with the frames drawn
    // meanwhile.
    let mut corpus = Vec::new();
    for tool in ["search", "consistency", "statistics"] {
        let t = Instant::now();
        match tool {
            "search" => {
                app.send(Command::RunSearch(SearchRequest {
                    pattern: "Putin".into(),
                    ..Default::default()
                }));
            }
            "consistency" => app.send(Command::Consistency),
            _ => app.send(Command::Statistics),
        }
        let mut worst: f64 = 0.0;
        run(&mut app, Vec::new());
        while app.session().is_busy() {
            worst = worst.max(run(&mut app, Vec::new()));
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        run(&mut app, Vec::new());
        corpus.push(format!(
            "{tool} {:.1} s (slowest frame meanwhile {worst:.1} ms)",
            t.elapsed().as_secs_f64()
        ));
    }
    if let Some(s) = &app.session().corpus().search {
        corpus.push(format!("search found {}", s.summary));
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let (peak, now) = memory_mb();
    println!("corpus tools: {}", corpus.join("; "));
    println!(
        "project: {} documents; window state open with the list in {open_ms:.0} ms; at document {} with {} in memory",
        app.session().workspace().docs.len(),
        app.session().current() + 1,
        app.session().workspace().loaded_count()
    );
    println!(
        "filter keystrokes (ms): {}",
        filter_ms
            .iter()
            .map(|t| format!("{t:.1}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!("memory: peak {peak:.0} MB, now {now:.0} MB");
    println!(
        "frame ms: median {:.2} p95 {:.2}",
        times[times.len() / 2],
        times[times.len() * 95 / 100]
    );
}

fn main() {
    if let Some(i) = std::env::args().position(|a| a == "--project") {
        match std::env::args().nth(i + 1) {
            Some(dir) => return project(&dir),
            None => {
                eprintln!("usage: frame_time --project DIR");
                std::process::exit(2);
            }
        }
    }
    let kb = arg("--kb", 2);
    let spans = arg("--spans", 20);
    let sample = include_str!("../assets/samples/xi-putin-call.txt");
    let mut text = String::new();
    while text.len() < kb * 1024 {
        text.push_str(sample.trim());
        text.push_str("\n\n");
    }
    let dir = std::env::temp_dir().join(format!("tw-frame-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("article.txt");
    if let Err(e) = std::fs::write(&path, &text) {
        eprintln!("error: could not write {}: {e}", path.display());
        std::process::exit(1);
    }
    let mut app = TagwrightApp::with_paths(vec![path]);
    // Confirmed entities spread over the text, on token boundaries.
    let tokens = tagwright::text::tokenize(app.session().workspace().doc(0).unwrap().text());
    let words: Vec<CharSpan> = tokens
        .iter()
        .filter(|t| t.kind == tagwright::text::TokenKind::Word)
        .map(|t| t.span)
        .collect();
    let step = (words.len() / spans.max(1)).max(1);
    let edits: Vec<Edit> = words
        .iter()
        .step_by(step)
        .take(spans)
        .map(|w| Edit::AddSpan(Span::manual(w.start.0, w.end.0, "MISC")))
        .collect();
    let ws = app.session_mut().workspace_mut();
    let _ = ws.apply(0, &Edit::Batch(vec![Edit::ReplaceSuggestions(Vec::new())]));
    for e in &edits {
        let _ = ws.apply(0, e);
    }
    let confirmed = ws.doc(0).unwrap().spans().len();

    let ctx = egui::Context::default();
    // (kind, ms) of every recorded frame.
    let mut times: Vec<(&str, f64)> = Vec::new();
    let mut frame =
        |app: &mut TagwrightApp, events: Vec<egui::Event>, record: Option<&'static str>| {
            let ms = run_frame(&ctx, app, events);
            if let Some(kind) = record {
                times.push((kind, ms));
            }
        };
    // Warm up: first layout of what is visible.
    for _ in 0..3 {
        frame(&mut app, Vec::new(), None);
    }
    let n = app.session().workspace().doc(0).unwrap().char_len();
    for round in 0..arg("--rounds", 20) {
        frame(&mut app, Vec::new(), Some("idle"));
        let scroll = vec![
            egui::Event::PointerMoved(egui::pos2(600.0, 400.0)),
            egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, -120.0),
                modifiers: egui::Modifiers::NONE,
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
            },
        ];
        frame(&mut app, scroll, Some("scroll"));
        let a = (round * 7919) % n.saturating_sub(10).max(1);
        app.send(Command::SelectRange {
            range: CharSpan::new(a, a + 5).unwrap_or_default(),
            exact: false,
        });
        frame(&mut app, Vec::new(), Some("select"));
        app.send(Command::ApplyLabel("PER".into()));
        frame(&mut app, Vec::new(), Some("add span"));
        app.send(Command::Undo);
        frame(&mut app, Vec::new(), Some("undo"));
    }
    let _ = std::fs::remove_dir_all(&dir);
    let median_of = |mut v: Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    for kind in ["idle", "scroll", "select", "add span", "undo"] {
        let v: Vec<f64> = times.iter().filter(|t| t.0 == kind).map(|t| t.1).collect();
        println!("{kind:>9}: median {:.2} ms", median_of(v));
    }
    let mut times: Vec<f64> = times.into_iter().map(|t| t.1).collect();
    times.sort_by(|a, b| a.total_cmp(b));
    let median = times[times.len() / 2];
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    println!(
        "article: {} KB, {n} chars, {confirmed} entities; {} frames",
        text.len() / 1024,
        times.len()
    );
    println!("frame ms: median {median:.2} p95 {p95:.2}");
}
