//! Does learning from a few corrected documents make suggestions worse elsewhere? Learns from the
//! first N documents of a CoNLL training file (as a project would from N documents marked done,
//! continuing from the shipped model) and scores the whole pipeline on held-out documents of
//! another file, next to the shipped model; also prints what the held-out check inside the
//! project (cross-validation over the N documents) would decide.
//!
//! `cargo run --release --example learning_check -- --train TRAIN --dev DEV [--n 2,20] [--dev-docs 200] [--epochs 6]`
//!
//! Scores: exact-span micro F1 over PER/ORG/LOC/MISC (CoNLL's labels), and the precision of
//! suggestions scored 0.9 or more.

use std::path::PathBuf;
use std::sync::Arc;
use tagwright::extract::tagger::learn::{cross_validate, learn_warm, score};
use tagwright::extract::tagger::train::TrainConfig;
use tagwright::extract::tagger::{Eval, Tagger};
use tagwright::extract::Pipeline;
use tagwright::model::{DocId, Document, LabelSchema};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn documents(path: &PathBuf, limit: usize, schema: &LabelSchema) -> Vec<Document> {
    let text = std::fs::read_to_string(path).expect("a CoNLL file");
    let docs = tagwright::store::formats::conll::read(&text, path, "d").expect("CoNLL");
    docs.into_iter()
        .take(limit)
        .enumerate()
        .map(|(i, d)| {
            let id = DocId::new(&format!("d{i:05}")).unwrap();
            d.into_document(id, schema).expect("a CoNLL document")
        })
        .collect()
}

fn line(what: &str, e: &Eval) -> String {
    let (n, p) = e.calibration().get(&90).copied().unwrap_or((0, 0.0));
    format!(
        "{what:<28} F1 {:.4}   >=0.9: {n:>5} suggestions, precision {p:.4}",
        e.micro().2
    )
}

fn main() {
    let train = PathBuf::from(arg("--train").expect("--train TRAIN"));
    let dev = PathBuf::from(arg("--dev").expect("--dev DEV"));
    let ns: Vec<usize> = arg("--n")
        .unwrap_or_else(|| "2,20".into())
        .split(',')
        .filter_map(|x| x.parse().ok())
        .collect();
    let dev_n: usize = arg("--dev-docs")
        .and_then(|x| x.parse().ok())
        .unwrap_or(200);
    // CoNLL's labels only: the pattern labels (DATE…) are not annotated there.
    let schema = LabelSchema::from_names(&["PER", "ORG", "LOC", "MISC"]).unwrap();
    let max_n = ns.iter().copied().max().unwrap_or(0);
    let train_docs = documents(&train, max_n, &schema);
    let dev_docs = documents(&dev, dev_n, &schema);
    let held: Vec<&Document> = dev_docs.iter().collect();
    let names: Vec<String> = schema.labels.iter().map(|l| l.name.clone()).collect();
    let shipped = Pipeline::news();
    let mut base = Eval::new(names.clone());
    score(&shipped, &held, &schema, &mut base);
    println!("held out: {} documents of {}", held.len(), dev.display());
    println!("{}", line("shipped model", &base));
    let cfg = TrainConfig {
        epochs: arg("--epochs").and_then(|x| x.parse().ok()).unwrap_or(6),
        step: arg("--step").and_then(|x| x.parse().ok()).unwrap_or(1.0),
        ..Default::default()
    };
    for n in ns {
        let docs = &train_docs[..n.min(train_docs.len())];
        let (m, warm) = learn_warm(docs, &schema, &cfg, |_| {}).expect("entities to learn");
        let p = Pipeline::with_tagger(Some(Arc::new(Tagger::new(m))));
        let mut e = Eval::new(names.clone());
        score(&p, &held, &schema, &mut e);
        println!("{}", line(&format!("learned from {n} (warm {warm})"), &e));
        if let Some(c) = cross_validate(docs, &schema, &shipped, &cfg, &|| false) {
            let (ok, why) = c.verdict();
            println!(
                "  the project's check would {}: {why}",
                if ok {
                    "take it"
                } else {
                    "keep the shipped model"
                }
            );
        }
    }
}
