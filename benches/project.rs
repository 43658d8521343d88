//! Opening a large project and computing its stats: `cargo bench --bench project`.
//! Generates 10,000 small pre-annotated documents in a temp folder once, then measures
//! `Project::open` (manifest only) and `Project::stats` (reads every document).

use criterion::{criterion_group, criterion_main, Criterion};
use tagwright::extract::Pipeline;
use tagwright::model::{Document, LabelSchema};
use tagwright::store::Project;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    let mut p = Project::create(&root, "bench", LabelSchema::news()).unwrap();
    let sample = include_str!("../assets/samples/xi-putin-call.txt");
    let paras: Vec<&str> = sample.split("\n\n").collect();
    let pipeline = Pipeline::rules_only();
    let mut docs: Vec<Document> = Vec::new();
    for i in 0..10_000usize {
        let text: String = (0..4)
            .map(|k| paras[(i + k * 3) % paras.len()].trim())
            .collect::<Vec<_>>()
            .join("\n\n");
        let id = tagwright::model::DocId::new(&format!("{i:05}")).unwrap();
        let mut d = Document::new(id, &format!("Article {i}"), "bench", text);
        let s = pipeline.suggest_for(&d, &p.schema);
        d.set_initial_suggestions(s);
        docs.push(d);
    }
    p.add_documents(&docs).unwrap();
    let mut g = c.benchmark_group("project 10k docs");
    g.sample_size(10);
    g.bench_function("open (manifest only)", |b| {
        b.iter(|| Project::open(&root).unwrap().ids().len())
    });
    g.bench_function("stats (every document)", |b| {
        b.iter(|| Project::open(&root).unwrap().stats().unwrap().documents)
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
