//! Hugging Face `datasets` export: a folder with `data.jsonl` (one sentence a line:
//! `{"id", "tokens", "ner_tags"}`, tags as integers) and `README.md`, a dataset card whose YAML
//! header declares the features, so `datasets.load_dataset(folder)` gives `ner_tags` as a
//! `ClassLabel` over the IOB2 tag names (`O` first, then `B-X`, `I-X` per label in the project's
//! order). Tokens and sentences come from [`super::tokens`] (a CoNLL document keeps its own).

use super::tokens::{sentences, token_text};
use super::Loss;
use crate::model::{spans_to_tags, Document, Scheme};
use crate::store::StoreError;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    tokens: Vec<String>,
    ner_tags: Vec<usize>,
}

/// The IOB2 tag names: `O`, then `B-` and `I-` of each label (`labels` first, then any other
/// label the documents use, sorted).
pub fn tag_names(docs: &[Document], labels: &[String]) -> Vec<String> {
    let mut all: Vec<String> = labels.to_vec();
    let mut extra: Vec<String> = docs
        .iter()
        .flat_map(|d| d.spans().iter().map(|s| s.label.clone()))
        .filter(|l| !labels.contains(l))
        .collect();
    extra.sort();
    extra.dedup();
    all.extend(extra);
    std::iter::once("O".to_string())
        .chain(
            all.iter()
                .flat_map(|l| [format!("B-{l}"), format!("I-{l}")]),
        )
        .collect()
}

/// Write `dir/data.jsonl` and `dir/README.md`.
pub fn write(
    docs: &[Document],
    labels: &[String],
    dir: &Path,
    loss: &mut Loss,
) -> Result<(), StoreError> {
    let names = tag_names(docs, labels);
    let index: BTreeMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut data = String::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let (mut rows, mut tokens) = (0, 0);
    for d in docs {
        for (k, s) in sentences(d, loss).into_iter().enumerate() {
            for e in &s.entities {
                *counts.entry(e.2.clone()).or_default() += 1;
            }
            let tags = spans_to_tags(s.tokens.len(), &s.entities, Scheme::Iob2);
            let id = format!("{}:{k}", d.id);
            let row = Row {
                id: &id,
                tokens: s.tokens.iter().map(|t| token_text(d, *t)).collect(),
                ner_tags: tags
                    .iter()
                    .map(|t| index.get(t.as_str()).copied().unwrap_or(0))
                    .collect(),
            };
            rows += 1;
            tokens += row.tokens.len();
            data.push_str(&serde_json::to_string(&row).unwrap_or_default());
            data.push('\n');
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| StoreError::io("create", dir, e))?;
    crate::store::write_atomic(&dir.join("data.jsonl"), data.as_bytes())?;
    let card = card(&names, &counts, docs.len(), rows, tokens);
    crate::store::write_atomic(&dir.join("README.md"), card.as_bytes())
}

/// The dataset card: YAML features for `datasets`, then a short description for people.
fn card(
    names: &[String],
    counts: &BTreeMap<String, usize>,
    docs: usize,
    rows: usize,
    tokens: usize,
) -> String {
    let mut s = String::from("---\nconfigs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data.jsonl\ndataset_info:\n  features:\n  - name: id\n    dtype: string\n  - name: tokens\n    sequence: string\n  - name: ner_tags\n    sequence:\n      class_label:\n        names:\n");
    for (i, n) in names.iter().enumerate() {
        s.push_str(&format!("          '{i}': {}\n", yaml_str(n)));
    }
    s.push_str("task_categories:\n- token-classification\n---\n\n");
    s.push_str("# Named entities exported from Tagwright\n\n");
    s.push_str(&format!(
        "{docs} documents, {rows} sentences, {tokens} tokens. One sentence a row: `id` \
         (`document:sentence`), `tokens`, `ner_tags` (IOB2, integers naming the tags below).\n\n"
    ));
    s.push_str("```python\nfrom datasets import load_dataset\nds = load_dataset(\"path/to/this/folder\")\n```\n\n");
    s.push_str("| label | entities |\n|---|---|\n");
    for n in names.iter().filter_map(|n| n.strip_prefix("B-")) {
        s.push_str(&format!(
            "| {n} | {} |\n",
            counts.get(n).copied().unwrap_or(0)
        ));
    }
    s.push_str(&format!("\nTags: {}\n", names.join(", ")));
    s
}

/// A YAML scalar, quoted (labels may hold `:` or `#`).
fn yaml_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}
