//! Is the whole pipeline at least as good as the tagger it contains? Scores, on documents the model
//! did not learn from, the tagger alone and the whole pipeline (the tagger with the patterns,
//! gazetteers and name rules, merged), and says where they differ: each suggestion only one of
//! them makes, by recognizer, whether it replaced one of the other's or filled a gap, and whether
//! it is right.
//!
//! ```text
//! cargo run --release --example pipeline_check -- --conll FILE [--model M.twm] [--fold K/N] \
//!     [--conll FILE2 ...] [--jsonl TRUTH.jsonl] [--show N]
//! ```
//!
//! Each `--conll` or `--jsonl` starts a set; `--model` and `--fold` apply to the set before them.
//! With `--model` the model is read from a file (one trained with `tagwright train --conll FILE
//! --leave-out-fold K/N` is scored on the fold it never saw with `--fold K/N`); without it, the
//! shipped model. A JSONL set is `tagwright suggest`'s format with `spans` (code points). Scores:
//! exact-span micro F1 over PER/ORG/LOC/MISC, summed over all sets; `--show N` prints the first
//! N differences with their context.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use tagwright::extract::tagger::learn::Fold;
use tagwright::extract::tagger::{Eval, Tagger};
use tagwright::extract::Pipeline;
use tagwright::model::{DocId, LabelSchema, Suggestion};

const LABELS: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

type Key = (usize, usize, String);

/// One set to score: where its documents are, the model to use on them and which of them to
/// score (the fold the model did not learn from).
struct Set {
    path: PathBuf,
    jsonl: bool,
    model: Option<PathBuf>,
    fold: Option<Fold>,
}

/// A document to score: its text and its gold entities.
struct Doc {
    text: String,
    gold: HashSet<Key>,
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn sets() -> Vec<Set> {
    let mut out: Vec<Set> = Vec::new();
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.windows(2) {
        let (flag, value) = (pair[0].as_str(), &pair[1]);
        match flag {
            "--conll" | "--jsonl" => out.push(Set {
                path: value.into(),
                jsonl: flag == "--jsonl",
                model: None,
                fold: None,
            }),
            "--model" => out.last_mut().expect("a set first").model = Some(value.into()),
            "--fold" => out.last_mut().expect("a set first").fold = Some(value.parse().unwrap()),
            _ => {}
        }
    }
    out
}

fn conll_docs(set: &Set, schema: &LabelSchema) -> Vec<Doc> {
    let text = std::fs::read_to_string(&set.path).expect("a CoNLL file");
    tagwright::store::formats::conll::read(&text, &set.path, "d")
        .expect("CoNLL")
        .into_iter()
        .enumerate()
        .filter(|(i, _)| set.fold.is_none_or(|f| f.holds(*i)))
        .map(|(i, d)| {
            let id = DocId::new(&format!("d{i:05}")).unwrap();
            let d = d.into_document(id, schema).expect("a CoNLL document");
            Doc {
                text: d.text().to_string(),
                gold: d
                    .spans()
                    .iter()
                    .map(|s| (s.span.start.0, s.span.end.0, s.label.clone()))
                    .collect(),
            }
        })
        .collect()
}

fn jsonl_docs(set: &Set) -> Vec<Doc> {
    let text = std::fs::read_to_string(&set.path).expect("a JSONL file");
    let field = |v: &serde_json::Value, k: &str| v[k].as_u64().expect("an offset") as usize;
    text.lines()
        .enumerate()
        .filter(|(i, _)| set.fold.is_none_or(|f| f.holds(*i)))
        .map(|(_, l)| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON");
            Doc {
                text: v["text"].as_str().expect("text").to_string(),
                gold: v["spans"]
                    .as_array()
                    .expect("spans")
                    .iter()
                    .map(|s| (field(s, "start"), field(s, "end"), s["label"].to_string()))
                    .map(|(a, b, l)| (a, b, l.trim_matches('"').to_string()))
                    .filter(|k| LABELS.contains(&k.2.as_str()))
                    .collect(),
            }
        })
        .collect()
}

fn tagger(set: &Set) -> Arc<Tagger> {
    match &set.model {
        Some(p) => {
            Arc::new(Tagger::from_bytes(&std::fs::read(p).expect("model"), p).expect("model"))
        }
        None => Tagger::shipped().expect("the shipped model"),
    }
}

fn add(eval: &mut Eval, pred: &[Suggestion], gold: &HashSet<Key>) {
    let index = |l: &str| LABELS.iter().position(|x| *x == l);
    let p: Vec<_> = pred
        .iter()
        .filter_map(|s| Some((s.span.start.0, s.span.end.0, index(&s.label)?, s.score)))
        .collect();
    let g: Vec<_> = gold
        .iter()
        .filter_map(|(a, b, l)| Some((*a, *b, index(l)?)))
        .collect();
    eval.add(&p, &g);
}

fn line(what: &str, e: &Eval) -> String {
    let (n, p) = e.calibration().get(&90).copied().unwrap_or((0, 0.0));
    let (pr, r, f) = e.micro();
    let (tp, fp, fn_) = e
        .counts
        .iter()
        .fold((0, 0, 0), |s, c| (s.0 + c.0, s.1 + c.1, s.2 + c.2));
    format!(
        "{what:<14} P {pr:.4} R {r:.4} F1 {f:.5} ({tp} right, {fp} wrong, {fn_} missed)   >=0.9: {n:>5} suggestions, precision {p:.5}"
    )
}

fn main() {
    let show: usize = arg("--show").and_then(|x| x.parse().ok()).unwrap_or(0);
    let schema = LabelSchema::from_names(&LABELS).unwrap();
    let names: Vec<String> = LABELS.iter().map(|l| l.to_string()).collect();
    let (mut a, mut w) = (Eval::new(names.clone()), Eval::new(names));
    // (which side alone, recognizer and how) -> (suggestions, right).
    let mut diff: BTreeMap<(&str, String), (usize, usize)> = BTreeMap::new();
    let mut shown = 0;
    for set in sets() {
        let docs = if set.jsonl {
            jsonl_docs(&set)
        } else {
            conll_docs(&set, &schema)
        };
        let t = tagger(&set);
        let alone = Pipeline::tagger_only(t.clone());
        let whole = Pipeline::with_tagger(Some(t));
        let fold = set.fold.map(|f| format!(", fold {}/{}", f.k, f.n));
        println!(
            "{} documents of {}{}",
            docs.len(),
            set.path.display(),
            fold.unwrap_or_default()
        );
        for d in &docs {
            let ta = alone.suggest_labelled(&d.text, &schema);
            let wh = whole.suggest_labelled(&d.text, &schema);
            add(&mut a, &ta, &d.gold);
            add(&mut w, &wh, &d.gold);
            let key = |s: &Suggestion| (s.span.start.0, s.span.end.0, s.label.clone());
            let (ka, kw): (HashSet<Key>, HashSet<Key>) =
                (ta.iter().map(key).collect(), wh.iter().map(key).collect());
            for (side, list, other, against) in [
                ("pipeline only", &wh, &ka, &ta),
                ("tagger only", &ta, &kw, &wh),
            ] {
                for s in list.iter().filter(|s| !other.contains(&key(s))) {
                    let right = d.gold.contains(&key(s));
                    let clash = against.iter().any(|o| o.span.overlaps(s.span));
                    let how = if clash { "instead" } else { "filling a gap" };
                    let e = diff
                        .entry((side, format!("{} {how}", s.source)))
                        .or_default();
                    e.0 += 1;
                    e.1 += right as usize;
                    if shown < show {
                        shown += 1;
                        let chars: Vec<char> = d.text.chars().collect();
                        let at = |x: usize, y: usize| chars[x..y].iter().collect::<String>();
                        let (x, y) = (s.span.start.0, s.span.end.0);
                        let context = at(x.saturating_sub(30), (y + 30).min(chars.len()));
                        println!(
                            "  {side}: {:?} {} {:.2} {} right={right} | {}",
                            at(x, y),
                            s.label,
                            s.score,
                            s.source,
                            context.replace(['\n', '\r'], " ")
                        );
                    }
                }
            }
        }
    }
    println!("{}", line("tagger alone", &a));
    println!("{}", line("pipeline", &w));
    for ((side, source), (n, right)) in diff {
        println!("{side:<14} {source:<26} {n:>5} suggestions, {right:>5} right");
    }
}
