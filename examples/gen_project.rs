//! Generate a project of N synthetic news articles (for measuring `tagwright stats` and opening):
//! `cargo run --release --example gen_project -- OUT_DIR N`. Articles are built from the sample
//! article's paragraphs in a different order: mostly 2–7 paragraphs (0.5–2 KB), one in ten up to
//! 40 (15 KB); each is pre-annotated by the real pipeline. With `--reviewed`, every document has
//! its suggestions scored 0.9 or more accepted and is marked done. With `--annotators K`, K
//! annotators' layers (`ann0`…) are written too: each accepts nine in ten of the suggestions
//! (a different tenth each) and marks the document done (for measuring `tagwright agree`).

use tagwright::extract::Pipeline;
use tagwright::model::{Annotator, DocId, Document, Edit, LabelSchema, Status};
use tagwright::store::Project;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(out), Some(n)) = (
        args.get(1),
        args.get(2).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: gen_project OUT_DIR N [--reviewed]");
        std::process::exit(2);
    };
    let reviewed = args.iter().any(|a| a == "--reviewed");
    let annotators: usize = args
        .iter()
        .position(|a| a == "--annotators")
        .and_then(|i| args.get(i + 1))
        .and_then(|k| k.parse().ok())
        .unwrap_or(0);
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
    let mut docs = Vec::new();
    for i in 0..n {
        // Mostly short articles, one in ten long (up to 40 paragraphs).
        let paragraphs = if i % 10 == 0 {
            1 + (i * 7919) % 40
        } else {
            2 + i % 6
        };
        let mut text = String::new();
        for k in 0..paragraphs {
            text.push_str(paras[(i * 7 + k * 3) % paras.len()].trim());
            text.push_str("\n\n");
        }
        let id = match DocId::new(&format!("{:06}-article-{i}", i + 1)) {
            Ok(id) => id,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        };
        let mut d = Document::new(id, &format!("Article {i}"), "generated", text);
        let s = pipeline.suggest_for(&d, &p.schema);
        d.set_initial_suggestions(s);
        if reviewed {
            // As if a person had accepted the confident suggestions and marked it done.
            let accept = Edit::Batch(vec![
                Edit::AcceptAll {
                    label: None,
                    min_score: Some(0.9),
                },
                Edit::SetStatus(Status::Done),
            ]);
            if let Err(e) = d.apply(&accept, &p.schema) {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        }
        docs.push(d);
        if docs.len() == 1000 || i + 1 == n {
            if let Err(e) = p.add_documents(&mut docs) {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
            for k in 0..annotators {
                if let Err(e) = write_layers(&p, &docs, k, &p.schema) {
                    eprintln!("error: {e}");
                    std::process::exit(1);
                }
            }
            docs.clear();
        }
    }
    println!("wrote {n} documents to {out}");
}

/// Annotator `k`'s layers of `docs`: every suggestion accepted but one in ten (which tenth
/// depends on `k`), marked done.
fn write_layers(
    p: &Project,
    docs: &[Document],
    k: usize,
    schema: &LabelSchema,
) -> Result<(), Box<dyn std::error::Error>> {
    let who = Annotator::new(&format!("ann{k}"))?;
    for d in docs {
        let mut mine = d.clone();
        let mut edits = Vec::new();
        for (j, s) in d.suggestions().iter().enumerate() {
            if !(j + 3 * k).is_multiple_of(10) {
                edits.push(Edit::AcceptSuggestion {
                    span: s.span,
                    label: s.label.clone(),
                });
            }
        }
        edits.push(Edit::SetStatus(Status::Done));
        mine.apply(&Edit::Batch(edits), schema)?;
        p.save_layer(&mine, &who)?;
    }
    Ok(())
}
