//! Tagger throughput (tokens/s, one core, model loaded, text already read) and model load time.
//! `cargo bench --bench tagger`. Uses CoNLL-2003 dev from `../shared/data/conll2003/dev.txt` when
//! present, else the sample article repeated to a similar size.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;
use tagwright::extract::tagger::model::Model;
use tagwright::extract::tagger::tagged_to_train;
use tagwright::extract::tagger::Tagger;
use tagwright::store::formats::conll::{read_conll, tagged_docs};

fn documents() -> Vec<Vec<Vec<String>>> {
    let dev = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/conll2003/dev.txt"
    ));
    if let Ok(docs) = read_conll(dev) {
        let labels: Vec<String> = ["PER", "ORG", "LOC", "MISC"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        return tagged_to_train(&tagged_docs(docs), &labels)
            .into_iter()
            .map(|d| d.sentences.into_iter().map(|(t, _)| t).collect())
            .collect();
    }
    eprintln!("CoNLL dev not found: benchmarking on the sample article");
    let text = include_str!("../assets/samples/xi-putin-call.txt");
    let a = tagwright::extract::Analysis::new(text);
    let sents: Vec<Vec<String>> = a
        .sentences
        .iter()
        .map(|s| {
            a.tokens
                .iter()
                .enumerate()
                .filter(|(_, t)| s.covers(t.span))
                .map(|(i, _)| a.token_text(i))
                .collect()
        })
        .collect();
    vec![sents; 100]
}

fn bench(c: &mut Criterion) {
    let tagger = Tagger::shipped().expect("the shipped model loads");
    let docs = documents();
    let tokens: usize = docs.iter().flatten().map(Vec::len).sum();
    let refs: Vec<Vec<Vec<&str>>> = docs
        .iter()
        .map(|d| {
            d.iter()
                .map(|s| s.iter().map(String::as_str).collect())
                .collect()
        })
        .collect();
    let mut g = c.benchmark_group("tagger");
    g.throughput(Throughput::Elements(tokens as u64));
    g.sample_size(10);
    g.bench_function(format!("tag {tokens} tokens"), |b| {
        b.iter(|| {
            let mut n = 0;
            for d in &refs {
                n += tagger.tag_doc(d).len();
            }
            n
        })
    });
    g.finish();
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/models/conll2003.twm"
    ))
    .unwrap();
    c.bench_function("model load", |b| {
        b.iter(|| {
            Model::from_bytes(&bytes, Path::new("m"))
                .unwrap()
                .n_features()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
