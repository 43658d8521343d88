//! Agreement figures for layers given as JSON on stdin, printed as JSON: the Rust side of
//! `tests/agree_interop.py`, which compares them with scikit-learn, statsmodels and the
//! `krippendorff` package. Token i of a document is the char span [i, i+1).
//!
//! stdin: `{"annotators": ["a", ...], "docs": [{"id": "d", "tokens": N,
//! "layers": {"a": [[start, end, "LABEL"], ...], ...}}]}`
//!
//! `agree_check --scale [DOCS] [ANNOTATORS]` instead times agreement over generated layers
//! (default 5,000 documents of 500 tokens, 10 annotators, every annotator on every document,
//! about one entity in twelve tokens) and prints the seconds.

use std::collections::BTreeMap;
use std::io::Read;
use tagwright::corpus::agree::{Agreement, DocLayers, Layer};
use tagwright::text::CharSpan;

#[derive(serde::Deserialize)]
struct Input {
    annotators: Vec<String>,
    docs: Vec<Doc>,
}

#[derive(serde::Deserialize)]
struct Doc {
    id: String,
    tokens: usize,
    layers: BTreeMap<String, Vec<(usize, usize, String)>>,
}

/// Generated layers: a shared "truth" per document, each annotator changing some of it.
fn scale(docs: usize, annotators: usize) {
    let names: Vec<String> = (0..annotators).map(|i| format!("a{i}")).collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let labels = ["PER", "ORG", "LOC", "MISC"];
    let span = |a: usize, b: usize| CharSpan::new(a, b).expect("start <= end");
    let data: Vec<DocLayers> = (0..docs)
        .map(|d| {
            let truth: Vec<(usize, usize, &str)> = (0..40)
                .map(|k| {
                    (
                        k * 12,
                        k * 12 + 1 + (next() % 3) as usize,
                        labels[(next() % 4) as usize],
                    )
                })
                .collect();
            DocLayers {
                id: format!("d{d}"),
                tokens: (0..500).map(|i| span(i, i + 1)).collect(),
                layers: names
                    .iter()
                    .map(|who| Layer {
                        annotator: who.clone(),
                        spans: truth
                            .iter()
                            .filter_map(|&(a, b, l)| {
                                let (r1, r2, r3) = (next(), next(), next());
                                let l = if r2 % 10 == 0 {
                                    labels[(r3 % 4) as usize]
                                } else {
                                    l
                                };
                                (r1 % 10 != 0).then(|| (span(a, b), l.to_string()))
                            })
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    let started = std::time::Instant::now();
    let mut ag = Agreement::new(&names);
    for d in &data {
        ag.add(d);
    }
    let r = ag.report();
    println!(
        "{docs} documents x {annotators} annotators ({} pairs): {:.2} s; Fleiss {:.4}, alpha {:.4}",
        r.pairs.len(),
        started.elapsed().as_secs_f64(),
        r.fleiss_kappa.unwrap_or(f64::NAN),
        r.krippendorff_alpha.unwrap_or(f64::NAN)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--scale") {
        let n = |i: usize, d: usize| args.get(i).and_then(|v| v.parse().ok()).unwrap_or(d);
        return scale(n(2, 5000), n(3, 10));
    }
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).expect("stdin");
    let input: Input = serde_json::from_str(&s).expect("the input JSON");
    let mut ag = Agreement::new(&input.annotators);
    for d in &input.docs {
        let span = |a: usize, b: usize| CharSpan::new(a, b).expect("start <= end");
        ag.add(&DocLayers {
            id: d.id.clone(),
            tokens: (0..d.tokens).map(|i| span(i, i + 1)).collect(),
            layers: d
                .layers
                .iter()
                .map(|(who, spans)| Layer {
                    annotator: who.clone(),
                    spans: spans
                        .iter()
                        .map(|(a, b, l)| (span(*a, *b), l.clone()))
                        .collect(),
                })
                .collect(),
        });
    }
    let r = ag.report();
    let pairs: Vec<serde_json::Value> = r
        .pairs
        .iter()
        .map(|p| {
            serde_json::json!({
                "a": p.a, "b": p.b, "documents": p.documents,
                "exact": p.spans.exact_prf(), "overlap": p.spans.overlap_prf(),
                "kappa": p.cohen_kappa, "boundary_only": p.boundary_only,
            })
        })
        .collect();
    let out = serde_json::json!({
        "pairs": pairs,
        "fleiss": r.fleiss_kappa,
        "alpha": r.krippendorff_alpha,
    });
    println!("{out}");
}
