//! Generate a project of N synthetic news articles (for measuring `tagwright stats` and opening):
//! `cargo run --release --example gen_project -- OUT_DIR N`. Each article is ~2 KB built from the
//! sample article's sentences in a different order, pre-annotated by the real pipeline.

use tagwright::extract::Pipeline;
use tagwright::model::{Document, LabelSchema};
use tagwright::store::Project;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(out), Some(n)) = (
        args.get(1),
        args.get(2).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: gen_project OUT_DIR N");
        std::process::exit(2);
    };
    let sample = include_str!("../assets/samples/xi-putin-call.txt");
    let paras: Vec<&str> = sample.split("\n\n").collect();
    let pipeline = Pipeline::news();
    let mut p = match Project::create(std::path::Path::new(out), "generated", LabelSchema::news()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let mut docs = Vec::with_capacity(n);
    for i in 0..n {
        let mut text = String::new();
        for k in 0..6 {
            text.push_str(paras[(i * 7 + k * 3) % paras.len()].trim());
            text.push_str("\n\n");
        }
        let pending: Vec<_> = docs
            .iter()
            .map(|d: &Document| d.id.clone())
            .collect::<Vec<_>>();
        let id = p.new_id(&format!("article {i}"), &pending);
        let mut d = Document::new(id, &format!("Article {i}"), "generated", text);
        let s = pipeline.suggest_for(&d, &p.schema);
        d.set_initial_suggestions(s);
        docs.push(d);
    }
    if let Err(e) = p.add_documents(&docs) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    println!("wrote {n} documents to {out}");
}
