//! Agreement figures for layers given as JSON on stdin, printed as JSON: the Rust side of
//! `tests/agree_interop.py`, which compares them with scikit-learn, statsmodels and the
//! `krippendorff` package. Token i of a document is the char span [i, i+1).
//!
//! stdin: `{"annotators": ["a", ...], "docs": [{"id": "d", "tokens": N,
//! "layers": {"a": [[start, end, "LABEL"], ...], ...}}]}`

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

fn main() {
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
