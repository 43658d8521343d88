//! The statistical tagger: an averaged structured perceptron over token features with BILOU
//! Viterbi decoding, trained on CoNLL-2003 English (or on a project's own documents, for any label
//! set), shipped in `assets/models/`.
//!
//! Units: the tagger works on token sequences; as a [`Recognizer`] it returns char spans from the
//! first token's start to the last token's end. Confidences are the smallest per-token marginal of
//! the predicted tags under `exp(score / temperature)`, with the temperature chosen on held-out data,
//! so that a score means roughly "this often right".

pub mod docpass;
pub mod features;
pub mod learn;
pub mod model;
pub mod train;

pub use learn::{learn_from_documents, learn_warm};

use self::features::Featurizer;
use self::model::{Model, ModelError};
use super::{Analysis, Recognizer};
use crate::model::{tags_to_spans, Suggestion, TaggedSentence};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// The shipped CoNLL-2003 model, compiled into the binary.
static SHIPPED_BYTES: &[u8] = include_bytes!("../../../assets/models/conll2003.twm");

/// A model with its featurizer.
pub struct Tagger {
    model: Model,
    /// Both passes' weights side by side (see [`docpass::Joint`]), when the model has two.
    joint: Option<docpass::Joint>,
    fz: Arc<Featurizer>,
}

fn shared_featurizer() -> Arc<Featurizer> {
    static FZ: OnceLock<Arc<Featurizer>> = OnceLock::new();
    FZ.get_or_init(|| Arc::new(Featurizer::builtin())).clone()
}

impl Tagger {
    pub fn new(model: Model) -> Tagger {
        Tagger {
            joint: docpass::Joint::new(&model),
            model,
            fz: shared_featurizer(),
        }
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// A tagger from a model file's bytes (`path` only names the file in messages).
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Tagger, ModelError> {
        Ok(Tagger::new(Model::from_bytes(bytes, path)?))
    }

    /// The shipped model, parsed once on first use.
    pub fn shipped() -> Option<Arc<Tagger>> {
        static SHIPPED: OnceLock<Option<Arc<Tagger>>> = OnceLock::new();
        SHIPPED
            .get_or_init(|| {
                Model::from_bytes(SHIPPED_BYTES, Path::new("assets/models/conll2003.twm"))
                    .ok()
                    .map(|m| Arc::new(Tagger::new(m)))
            })
            .clone()
    }

    /// Tag the sentences of one document: per sentence, `(start, end, label index, confidence)`
    /// in token indices.
    pub fn tag_doc(&self, sentences: &[Vec<&str>]) -> Vec<Vec<(usize, usize, usize, f32)>> {
        docpass::tag_doc(&self.model, self.joint.as_ref(), &self.fz, sentences)
    }
}

/// Parse the shipped model and build the word-cluster table now (about 15–25 ms), e.g. on a
/// thread of its own while the window is being created, so the first suggestions do not wait.
pub fn warm_up() {
    let _ = Tagger::shipped();
    let _ = features::cluster("warm");
}

/// The entities of a tag path with their confidences from the marginals at `temperature`
/// (the marginals are computed only when there is an entity).
pub fn scored_spans(
    m: &Model,
    emis: &[f32],
    path: &[usize],
    temperature: f32,
) -> Vec<(usize, usize, usize, f32)> {
    let spans = self::model::tags::spans(path);
    if spans.is_empty() {
        return Vec::new();
    }
    let marg = self::model::marginals(m, emis, path.len(), temperature);
    spans
        .into_iter()
        .map(|(a, b, l)| (a, b, l, span_confidence(&marg, path, a, b, m.n_tags())))
        .collect()
}

/// Confidence of a predicted entity: the smallest marginal of its tags (and of the tag after it
/// not continuing it), in [0, 1].
pub fn span_confidence(marg: &[f32], path: &[usize], a: usize, b: usize, t: usize) -> f32 {
    (a..b)
        .map(|i| marg.get(i * t + path[i]).copied().unwrap_or(0.0))
        .fold(1.0f32, f32::min)
        .clamp(0.0, 1.0)
}

impl Recognizer for Tagger {
    fn name(&self) -> &str {
        "tagger"
    }

    fn priority(&self) -> u8 {
        2
    }

    fn recognize(&self, a: &Analysis) -> Vec<Suggestion> {
        let bounds = a.sentence_token_ranges();
        let texts: Vec<String> = (0..a.tokens.len()).map(|i| a.token_text(i)).collect();
        let sents: Vec<Vec<&str>> = bounds
            .iter()
            .map(|&(s, e)| texts[s..e].iter().map(String::as_str).collect())
            .collect();
        let mut out = Vec::new();
        for (&(s0, _), found) in bounds.iter().zip(self.tag_doc(&sents)) {
            for (x, y, l, conf) in found {
                let span = crate::text::CharSpan {
                    start: a.tokens[s0 + x].span.start,
                    end: a.tokens[s0 + y - 1].span.end,
                };
                out.push(Suggestion {
                    span,
                    label: self.model.labels[l].clone(),
                    score: conf,
                    source: "tagger".into(),
                });
            }
        }
        out
    }
}

/// Convert documents of tagged sentences (e.g. read from CoNLL) to training documents over
/// `labels` (other labels are dropped).
pub fn tagged_to_train(docs: &[Vec<TaggedSentence>], labels: &[String]) -> Vec<train::TrainDoc> {
    docs.iter()
        .map(|d| train::TrainDoc {
            sentences: d
                .iter()
                .map(|s| {
                    let spans = tags_to_spans(&s.tags)
                        .into_iter()
                        .filter_map(|(a, b, l)| {
                            labels.iter().position(|x| *x == l).map(|li| (a, b, li))
                        })
                        .collect();
                    (s.tokens.clone(), spans)
                })
                .collect(),
        })
        .collect()
}

/// Labels of documents of tagged sentences, in order of first appearance.
pub fn tagged_labels(docs: &[Vec<TaggedSentence>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in docs.iter().flatten() {
        for (_, _, l) in tags_to_spans(&s.tags) {
            if !out.contains(&l) {
                out.push(l);
            }
        }
    }
    out
}

/// Exact-span evaluation (the CoNLL convention), with the confidence of each predicted entity.
#[derive(Clone, Debug)]
pub struct Eval {
    pub labels: Vec<String>,
    /// Per label: (true positives, false positives, false negatives).
    pub counts: Vec<(usize, usize, usize)>,
    /// (confidence, correct) of every predicted entity.
    pub scored: Vec<(f32, bool)>,
}

impl Eval {
    pub fn new(labels: Vec<String>) -> Eval {
        let n = labels.len();
        Eval {
            labels,
            counts: vec![(0, 0, 0); n],
            scored: Vec::new(),
        }
    }

    /// Add one sentence: predicted `(start, end, label, confidence)` against gold `(start, end, label)`.
    pub fn add(&mut self, pred: &[(usize, usize, usize, f32)], gold: &[(usize, usize, usize)]) {
        for &(a, b, l, c) in pred {
            let ok = gold.contains(&(a, b, l));
            if let Some(x) = self.counts.get_mut(l) {
                if ok {
                    x.0 += 1;
                } else {
                    x.1 += 1;
                }
            }
            self.scored.push((c, ok));
        }
        for g in gold {
            if !pred.iter().any(|&(a, b, l, _)| (a, b, l) == *g) {
                if let Some(x) = self.counts.get_mut(g.2) {
                    x.2 += 1;
                }
            }
        }
    }

    fn prf(tp: usize, fp: usize, fne: usize) -> (f64, f64, f64) {
        let p = if tp + fp == 0 {
            0.0
        } else {
            tp as f64 / (tp + fp) as f64
        };
        let r = if tp + fne == 0 {
            0.0
        } else {
            tp as f64 / (tp + fne) as f64
        };
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        (p, r, f)
    }

    /// Micro precision, recall, F1.
    pub fn micro(&self) -> (f64, f64, f64) {
        let (tp, fp, fne) = self
            .counts
            .iter()
            .fold((0, 0, 0), |a, x| (a.0 + x.0, a.1 + x.1, a.2 + x.2));
        Eval::prf(tp, fp, fne)
    }

    pub fn label(&self, i: usize) -> (f64, f64, f64) {
        let (tp, fp, fne) = self.counts[i];
        Eval::prf(tp, fp, fne)
    }

    /// Mean log-loss of the confidences as predictions of correctness.
    pub fn log_loss(&self) -> f64 {
        if self.scored.is_empty() {
            return 0.0;
        }
        let eps = 1e-4;
        self.scored
            .iter()
            .map(|(c, ok)| {
                let c = (*c as f64).clamp(eps, 1.0 - eps);
                if *ok {
                    -c.ln()
                } else {
                    -(1.0 - c).ln()
                }
            })
            .sum::<f64>()
            / self.scored.len() as f64
    }

    /// Calibration table: for each threshold, how many predicted entities score at least that and
    /// what fraction of them is correct.
    pub fn calibration(&self) -> BTreeMap<u32, (usize, f64)> {
        let mut out = BTreeMap::new();
        for th in [50u32, 60, 70, 80, 90, 95] {
            let sel: Vec<&(f32, bool)> = self
                .scored
                .iter()
                .filter(|(c, _)| *c * 100.0 >= th as f32)
                .collect();
            let ok = sel.iter().filter(|(_, k)| *k).count();
            let p = if sel.is_empty() {
                0.0
            } else {
                ok as f64 / sel.len() as f64
            };
            out.insert(th, (sel.len(), p));
        }
        out
    }

    /// The report printed by `tagwright eval`, ending with `micro F1: 0.xxxx`.
    pub fn report(&self) -> String {
        let mut s = format!(
            "{:<10} {:>9} {:>9} {:>9} {:>7}\n",
            "label", "precision", "recall", "F1", "gold"
        );
        for (i, l) in self.labels.iter().enumerate() {
            let (p, r, f) = self.label(i);
            let (tp, _, fne) = self.counts[i];
            s.push_str(&format!(
                "{l:<10} {p:>9.4} {r:>9.4} {f:>9.4} {:>7}\n",
                tp + fne
            ));
        }
        let (p, r, f) = self.micro();
        s.push_str(&format!("{:<10} {p:>9.4} {r:>9.4} {f:>9.4}\n\n", "overall"));
        s.push_str("calibration: entities with score >= t, and their precision\n");
        for (th, (n, p)) in self.calibration() {
            s.push_str(&format!(
                "  >= {:.2}: {n:>6} entities, precision {p:.4}\n",
                th as f64 / 100.0
            ));
        }
        s.push_str(&format!("micro F1: {f:.4}\n"));
        s
    }
}

/// Labels the pattern rules own; a project's tagger does not learn them.
pub const PATTERN_LABELS: &[&str] = &["DATE", "MONEY", "PERCENT"];

/// A document's sentences as tokens with its confirmed spans as token ranges (spans that do not
/// fall on token boundaries are left out).
pub fn doc_to_train(
    d: &crate::model::Document,
    labels: &[String],
    schema: &crate::model::LabelSchema,
) -> train::TrainDoc {
    let a = Analysis::new(d.text());
    let mut sentences = Vec::new();
    for (start, k) in a.sentence_token_ranges() {
        let toks: Vec<String> = (start..k).map(|i| a.token_text(i)).collect();
        let spans = d
            .spans()
            .iter()
            .filter_map(|sp| {
                let class = schema.class_of(&sp.label);
                let li = labels.iter().position(|l| l == class)?;
                let x = a.token_starting_at(sp.span.start)?;
                let y = a.token_ending_at(sp.span.end)?;
                (x >= start && y < k && x <= y).then(|| (x - start, y + 1 - start, li))
            })
            .collect();
        sentences.push((toks, spans));
    }
    train::TrainDoc { sentences }
}
