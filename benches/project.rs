//! A large project: `cargo bench --bench project`.
//!
//! Generates 50,000 pre-annotated documents of mixed sizes (1–6 paragraphs, one in ten up to
//! 40; 0.3–15 KB) in a temp folder once, then measures what a person waits for: opening the
//! project with its document list (`Workspace::open`, with the index cache that writing the
//! documents left), filtering the list, opening one document, and saving after one edit (only
//! that document is written). An open without the index cache (it reads every document and
//! rebuilds the cache) is timed once and printed.

use criterion::{criterion_group, criterion_main, Criterion};
use std::time::Instant;
use tagwright::corpus::ProjectStats;
use tagwright::extract::Pipeline;
use tagwright::model::{DocId, Document, Edit, LabelSchema, Status};
use tagwright::store::{Project, Workspace};

const DOCS: usize = 50_000;

fn generate(root: &std::path::Path) {
    let mut p = Project::create(root, "bench", LabelSchema::news()).unwrap();
    let sample = include_str!("../assets/samples/xi-putin-call.txt");
    let paras: Vec<&str> = sample.split("\n\n").collect();
    let pipeline = Pipeline::rules_only();
    let mut docs: Vec<Document> = Vec::new();
    for i in 0..DOCS {
        // Mostly short articles, one in ten long (up to 40 paragraphs).
        let n = if i % 10 == 0 {
            1 + (i * 7919) % 40
        } else {
            1 + i % 6
        };
        let text: String = (0..n)
            .map(|k| paras[(i + k * 3) % paras.len()].trim())
            .collect::<Vec<_>>()
            .join("\n\n");
        let id = DocId::new(&format!("{i:05}")).unwrap();
        let mut d = Document::new(
            id,
            &format!("Article {i} about Xi and Putin"),
            "bench",
            text,
        );
        let s = pipeline.suggest_for(&d, &p.schema);
        d.set_initial_suggestions(s);
        docs.push(d);
        if docs.len() == 1000 {
            p.add_documents(&mut docs).unwrap();
            docs.clear();
        }
    }
    p.add_documents(&mut docs).unwrap();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    let t = Instant::now();
    generate(&root);
    eprintln!(
        "generated {DOCS} documents in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    // Without the index cache (a project whose files were copied in from elsewhere), opening
    // reads every document once and rebuilds the cache.
    std::fs::remove_file(root.join(tagwright::store::index::INDEX)).unwrap();
    let t = Instant::now();
    let ws = Workspace::open(&root).unwrap();
    eprintln!(
        "open without the index cache (reads every document): {:.2} s, {} documents",
        t.elapsed().as_secs_f64(),
        ws.docs.len()
    );
    assert_eq!(ws.docs.len(), DOCS);
    assert_eq!(ws.loaded_count(), 0);

    let mut g = c.benchmark_group("project 50k docs");
    g.sample_size(10);
    g.bench_function("open with document list", |b| {
        b.iter(|| Workspace::open(&root).unwrap().docs.len())
    });
    g.bench_function("filter list (\"article 4\")", |b| {
        b.iter(|| ws.filter("article 4").len())
    });
    g.bench_function("stats (reads every document)", |b| {
        b.iter(|| {
            let p = Project::open(&root).unwrap();
            ProjectStats::merged(p.fold_documents(ProjectStats::add).unwrap()).documents
        })
    });
    g.bench_function("open document 25,000", |b| {
        // The workspace is built and dropped outside the measurement.
        b.iter_batched_ref(
            || Workspace::open(&root).unwrap(),
            |w| w.load(25_000).unwrap().char_len(),
            criterion::BatchSize::LargeInput,
        )
    });
    g.bench_function("edit one document and save", |b| {
        let mut w = Workspace::open(&root).unwrap();
        let mut done = false;
        b.iter(|| {
            done = !done;
            let s = if done {
                Status::Done
            } else {
                Status::InProgress
            };
            w.apply(12_345, &Edit::SetStatus(s)).unwrap();
            assert_eq!(w.save().unwrap(), 1);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
