//! How suggestion and import times grow: `cargo run --release --example scale`.
//!
//! - `suggest`: the whole pipeline (tokenizer, patterns, gazetteers, tagger, merging, name
//!   propagation) on articles of 100 KB, 1 MB and 10 MB made of news paragraphs with distinct
//!   names; prints milliseconds per KB and the growth between sizes.
//! - `add`: `preannotate::import_files` of 1k, 10k and 50k one-paragraph files into a new project
//!   (read, pre-annotate, write each document atomically, write the manifest once); prints
//!   milliseconds per document.
//!
//! `--kb 100,1000,10000` and `--files 1000,10000,50000` choose the sizes (`--files 0` skips `add`).

use std::time::Instant;
use tagwright::extract::Pipeline;
use tagwright::model::LabelSchema;
use tagwright::store::Project;

fn sizes(name: &str, default: &[usize]) -> Vec<usize> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(|v| v.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}

const FIRST: &[&str] = &[
    "Eduardo", "Maria", "Kenji", "Amina", "Oleg", "Priya", "Lukas", "Chen",
];
const LAST: &[&str] = &[
    "Baptista", "Okafor", "Tanaka", "Novak", "Haddad", "Silva", "Moreau",
];
const PLACES: &[&str] = &[
    "Beijing", "Moscow", "Nairobi", "Lima", "Oslo", "Hanoi", "Quito",
];

/// One paragraph of news with entities of every kind; `n` varies the names.
fn paragraph(n: usize) -> String {
    let who = format!("{} {}", FIRST[n % FIRST.len()], LAST[(n / 7) % LAST.len()]);
    let place = PLACES[(n / 3) % PLACES.len()];
    format!(
        "{place} (Reuters) - {who}, a spokesman for the Finance Ministry, said on Friday that \
         exports rose 3.{d}% to $1.{d} billion in 2022, and that President Xi Jinping would meet \
         Vladimir Putin in {place} next week. {last} added that “talks will not be smooth”.\n\n",
        d = n % 10,
        last = LAST[(n / 7) % LAST.len()],
    )
}

fn article(kb: usize) -> String {
    let mut text = String::with_capacity(kb * 1024 + 512);
    let mut n = 0;
    while text.len() < kb * 1024 {
        text.push_str(&paragraph(n));
        n += 1;
    }
    text
}

fn suggest(pipeline: &Pipeline, kbs: &[usize]) {
    let mut previous: Option<(usize, f64)> = None;
    for &kb in kbs {
        let text = article(kb);
        let t = Instant::now();
        let found = pipeline.suggest(&text);
        let s = t.elapsed().as_secs_f64();
        let growth = previous.map_or(String::new(), |(pkb, ps)| {
            format!(
                "; {:.1}× the time for {:.0}× the text",
                s / ps,
                kb as f64 / pkb as f64
            )
        });
        println!(
            "suggest {kb:>6} KB: {:8.2} s, {:.3} ms/KB, {} suggestions{growth}",
            s,
            s * 1000.0 / kb as f64,
            found.len()
        );
        previous = Some((kb, s));
    }
}

fn add(pipeline: &Pipeline, counts: &[usize]) {
    for &n in counts.iter().filter(|&&n| n > 0) {
        let dir = tempfile::tempdir().expect("a temp folder");
        let files_dir = dir.path().join("in");
        std::fs::create_dir_all(&files_dir).expect("a folder for the files");
        let files: Vec<_> = (0..n)
            .map(|i| {
                let p = files_dir.join(format!("article-{i}.txt"));
                std::fs::write(&p, paragraph(i)).expect("write an article");
                p
            })
            .collect();
        let mut project =
            Project::create(&dir.path().join("p"), "p", LabelSchema::news()).expect("a project");
        let t = Instant::now();
        let (ids, _) = tagwright::session::preannotate::import_files(
            &mut project,
            &files,
            None,
            pipeline,
            false,
        )
        .expect("the import");
        let s = t.elapsed().as_secs_f64();
        println!(
            "add {n:>6} files: {:8.2} s, {:.3} ms/document ({} documents)",
            s,
            s * 1000.0 / n as f64,
            ids.len()
        );
    }
}

fn main() {
    let pipeline = Pipeline::news();
    suggest(&pipeline, &sizes("--kb", &[100, 1000, 10000]));
    add(&pipeline, &sizes("--files", &[1000, 10000, 50000]));
}
