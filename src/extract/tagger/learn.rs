//! Learning from a project's documents marked done, and the check that decides whether what was
//! learned may suggest.
//!
//! Learning continues from a base model (the shipped one): its labels and weights are kept, a
//! renamed label trains its old class (see `Label::from`), a new label is added with zero weights
//! so it starts from nothing without disturbing the others. Whether the result replaces the
//! model that suggests now is decided on documents it did not learn from: k-fold cross-validation
//! over the done documents (k ≤ [`MAX_FOLDS`]), scoring the whole pipeline (what the person
//! sees: rules, gazetteers and the tagger) against the confirmed spans, exact-span micro F1 over
//! the project's labels. The learned model is kept only if its held-out F1 is at least the
//! shipped model's on the same documents and suggestions scored ≥ 0.9 are right at least as
//! often. The baseline is the shipped model, never a model learned earlier: that one learned
//! from most of these documents, so its score on them would be a training-set score and would
//! unfairly block every later run.
//!
//! Units: spans are char (code point) offsets, end-exclusive; scores are fractions in [0, 1].

use super::{shared_featurizer, train, Eval, Model, Tagger, PATTERN_LABELS};
use crate::extract::Pipeline;
use crate::model::{Document, LabelSchema};
use std::sync::Arc;

/// At most this many folds: more costs training time and changes little.
pub const MAX_FOLDS: usize = 5;

/// Fold `k` of `n` (1-based, written `K/N`): every `n`-th document, from the `k`-th. For scoring
/// on documents a model did not learn from: `train --conll --leave-out-fold` learns from the
/// others, `eval --conll --fold` scores these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fold {
    pub k: usize,
    pub n: usize,
}

impl Fold {
    /// Whether the document at `index` (0-based, in file order) is in this fold.
    pub fn holds(&self, index: usize) -> bool {
        index % self.n == self.k - 1
    }
}

impl std::str::FromStr for Fold {
    type Err = String;
    fn from_str(s: &str) -> Result<Fold, String> {
        let bad = || format!("{s:?} is not a fold: write K/N, e.g. 2/5 (1 <= K <= N, N >= 2)");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (usize, usize) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if n < 2 || k < 1 || k > n {
            return Err(bad());
        }
        Ok(Fold { k, n })
    }
}

/// The perceptron step when continuing from a trained model (a step of 1 is a fresh model's).
pub const WARM_STEP: f32 = 0.05;

/// Learn from `docs` with the built-in features, continuing from the shipped model.
pub fn learn_warm(
    docs: &[Document],
    schema: &LabelSchema,
    cfg: &train::TrainConfig,
    progress: impl FnMut(&train::EpochReport),
) -> Option<(Model, bool)> {
    let shipped = Tagger::shipped();
    learn_from_documents(
        &shared_featurizer(),
        docs,
        schema,
        shipped.as_ref().map(|t| t.model()),
        cfg,
        progress,
    )
}

/// Learn a model from confirmed documents. The classes are those of the confirmed spans (a
/// renamed label's old class, see [`LabelSchema::class_of`]), minus the pattern labels. With a
/// `base` model, training continues from it with its classes plus the new ones (zero weights),
/// keeping its temperature; without one it starts from scratch. Returns the model and whether it
/// continued from `base`; `None` when there is nothing to learn.
pub fn learn_from_documents(
    fz: &super::Featurizer,
    docs: &[Document],
    schema: &LabelSchema,
    base: Option<&Model>,
    cfg: &train::TrainConfig,
    progress: impl FnMut(&train::EpochReport),
) -> Option<(Model, bool)> {
    let mut classes: Vec<String> = Vec::new();
    for s in docs.iter().flat_map(|d| d.spans()) {
        let c = schema.class_of(&s.label);
        if !PATTERN_LABELS.contains(&c) && !classes.iter().any(|x| x == c) {
            classes.push(c.to_string());
        }
    }
    if classes.is_empty() {
        return None;
    }
    let init = base.map(|m| {
        let mut labels = m.labels.clone();
        classes.sort();
        labels.extend(classes.iter().filter(|c| !m.labels.contains(c)).cloned());
        m.with_labels(&labels)
    });
    let labels = match &init {
        Some(m) => m.labels.clone(),
        None => {
            classes.sort();
            classes
        }
    };
    let train_docs: Vec<train::TrainDoc> = docs
        .iter()
        .map(|d| super::doc_to_train(d, &labels, schema))
        .collect();
    // Few documents: keep every feature. Continuing from a model, small steps: a few documents
    // adjust what it knows rather than overwrite it (measured with `examples/learning_check.rs`).
    let cfg = train::TrainConfig {
        min_count: 1,
        step: if init.is_some() { WARM_STEP } else { cfg.step },
        ..cfg.clone()
    };
    let mut model = train::train(fz, &train_docs, &[], labels, &cfg, init.as_ref(), progress);
    // Without held-out data the temperature cannot be fitted: keep the base one.
    model.temperature = init.as_ref().map_or(4.0, |m| m.temperature);
    // The second pass (document consistency) learns from the same documents, continuing the
    // base model's; learned from scratch, a model has none (too few documents to stack).
    if let Some(init) = &init {
        model.second =
            super::docpass::learn_second_warm(fz, init, &train_docs, &cfg).map(|mut m| {
                m.temperature = init
                    .second
                    .as_ref()
                    .map_or(m.temperature, |s| s.temperature);
                Box::new(m)
            });
    }
    Some((model, init.is_some()))
}

/// Score what `pipeline` suggests for `docs` against their confirmed spans, adding to `eval`
/// (whose labels are the schema's).
pub fn score(pipeline: &Pipeline, docs: &[&Document], schema: &LabelSchema, eval: &mut Eval) {
    let labels = eval.labels.clone();
    let index = |l: &str| labels.iter().position(|x| x == l);
    for d in docs {
        let gold: Vec<(usize, usize, usize)> = d
            .spans()
            .iter()
            .filter_map(|s| Some((s.span.start.0, s.span.end.0, index(&s.label)?)))
            .collect();
        let pred: Vec<(usize, usize, usize, f32)> = pipeline
            .suggest_labelled(d.text(), schema)
            .iter()
            .filter_map(|s| Some((s.span.start.0, s.span.end.0, index(&s.label)?, s.score)))
            .collect();
        eval.add(&pred, &gold);
    }
}

/// The held-out comparison of a learned model with the model that suggests now.
#[derive(Clone, Debug)]
pub struct Check {
    /// Documents marked done, and folds.
    pub docs: usize,
    pub folds: usize,
    /// The shipped pipeline on every done document.
    pub shipped: Eval,
    /// Each fold's learned pipeline on the documents it did not learn from.
    pub learned: Eval,
}

impl Check {
    /// Whether the learned model may suggest, and why, in a sentence.
    pub fn verdict(&self) -> (bool, String) {
        let (f_new, f_cur) = (self.learned.micro().2, self.shipped.micro().2);
        let on = format!(
            "on {} documents marked done, each scored by a model that had not learned from it",
            self.docs
        );
        if f_new + 1e-9 < f_cur {
            let (new, cur) = apart(f_new, f_cur, 3);
            return (
                false,
                format!("what was learned scores F1 {new}, below the shipped model's {cur}, {on}"),
            );
        }
        let p90 = |e: &Eval| e.calibration().get(&90).copied().unwrap_or((0, 0.0));
        let ((n_new, p_new), (n_cur, p_cur)) = (p90(&self.learned), p90(&self.shipped));
        if n_new > 0 && n_cur > 0 && p_new + 1e-9 < p_cur {
            let (new, cur) = apart(p_new * 100.0, p_cur * 100.0, 0);
            return (
                false,
                format!(
                    "suggestions scored 0.9 or more would be right {new}% of the time instead of {cur}%, {on}"
                ),
            );
        }
        (
            true,
            format!("F1 {f_new:.3} against the shipped model's {f_cur:.3}, {on}"),
        )
    }
}

/// `a` and `b` with the fewest decimals, at least `min`, that tell them apart: a refusal never
/// reads "right 100% of the time instead of 100%".
fn apart(a: f64, b: f64, min: usize) -> (String, String) {
    let at = |d: usize| (format!("{a:.d$}"), format!("{b:.d$}"));
    (min..=6)
        .map(at)
        .find(|(x, y)| x != y)
        .unwrap_or_else(|| at(6))
}

/// Cross-validate learning on `docs` (the done documents): fold `f` holds out every `k`-th
/// document from `f`, learns from the rest and scores the held-out ones, next to `baseline`'s
/// score on them (the shipped pipeline: see the module's notes). `None` with fewer than 2 documents (nothing could be held out) or when
/// `stop()` says so between folds.
pub fn cross_validate(
    docs: &[Document],
    schema: &LabelSchema,
    baseline: &Pipeline,
    cfg: &train::TrainConfig,
    stop: &dyn Fn() -> bool,
) -> Option<Check> {
    let n = docs.len();
    if n < 2 {
        return None;
    }
    let k = n.min(MAX_FOLDS);
    let names: Vec<String> = schema.labels.iter().map(|l| l.name.clone()).collect();
    let mut check = Check {
        docs: n,
        folds: k,
        shipped: Eval::new(names.clone()),
        learned: Eval::new(names),
    };
    for f in 0..k {
        if stop() {
            return None;
        }
        let in_fold = |i: usize| i % k == f;
        let held: Vec<&Document> = (0..n).filter(|&i| in_fold(i)).map(|i| &docs[i]).collect();
        let rest: Vec<Document> = (0..n)
            .filter(|&i| !in_fold(i))
            .map(|i| docs[i].clone())
            .collect();
        let tagger = learn_warm(&rest, schema, cfg, |_| {})
            .map(|(m, _)| Arc::new(Tagger::new(m)))
            .or_else(Tagger::shipped);
        score(
            &Pipeline::with_tagger(tagger),
            &held,
            schema,
            &mut check.learned,
        );
        score(baseline, &held, schema, &mut check.shipped);
    }
    Some(check)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, Edit, Span};

    fn doc(id: &str, text: &str, spans: &[(&str, &str)], schema: &LabelSchema) -> Document {
        let mut d = Document::new(DocId::new(id).unwrap(), id, "", text);
        for (words, label) in spans {
            let at = text.find(words).unwrap();
            let s = text[..at].chars().count();
            let e = s + words.chars().count();
            d.apply(&Edit::AddSpan(Span::manual(s, e, label)), schema)
                .unwrap();
        }
        d
    }

    #[test]
    fn a_new_label_starts_from_zero_and_the_others_keep_their_weights() {
        let Some(shipped) = Tagger::shipped() else {
            return;
        };
        let mut schema = LabelSchema::news();
        schema
            .labels
            .push(crate::model::Label::new("EVENT", "#123456", None, ""));
        let docs = vec![doc(
            "a",
            "The Cold War ended when Mikhail Gorbachev met Ronald Reagan in Geneva.",
            &[
                ("Cold War", "EVENT"),
                ("Mikhail Gorbachev", "PER"),
                ("Ronald Reagan", "PER"),
                ("Geneva", "LOC"),
            ],
            &schema,
        )];
        let cfg = train::TrainConfig {
            epochs: 1,
            ..Default::default()
        };
        let (m, warm) = learn_warm(&docs, &schema, &cfg, |_| {}).unwrap();
        assert!(warm, "continued from the shipped model");
        let old = &shipped.model().labels;
        assert_eq!(
            &m.labels[..old.len()],
            &old[..],
            "the shipped classes, in order"
        );
        assert_eq!(m.labels.last().map(String::as_str), Some("EVENT"));
        assert_eq!(m.temperature, shipped.model().temperature);
    }

    fn eval(tp: usize, fp: usize, fne: usize, hi: &[bool]) -> Eval {
        let mut e = Eval::new(vec!["PER".into()]);
        e.counts[0] = (tp, fp, fne);
        e.scored = hi.iter().map(|&ok| (0.95, ok)).collect();
        e
    }

    #[test]
    fn the_learned_model_suggests_only_when_it_does_not_do_worse_held_out() {
        let check = |shipped, learned| Check {
            docs: 4,
            folds: 4,
            shipped,
            learned,
        };
        let (ok, why) = check(eval(8, 2, 2, &[]), eval(9, 1, 1, &[])).verdict();
        assert!(ok, "{why}");
        assert!(
            why.contains("F1 0.900 against the shipped model's 0.800"),
            "{why}"
        );
        let (ok, why) = check(eval(8, 2, 2, &[]), eval(8, 2, 2, &[])).verdict();
        assert!(ok, "as good is good enough: {why}");
        let (ok, why) = check(eval(9, 1, 1, &[]), eval(8, 2, 2, &[])).verdict();
        assert!(!ok);
        assert!(why.contains("below the shipped model's 0.900"), "{why}");
        // Better F1, but "accept all above 0.9" would take more wrong ones.
        let (ok, why) = check(
            eval(8, 2, 2, &[true, true, true, true]),
            eval(9, 1, 1, &[true, true, true, false]),
        )
        .verdict();
        assert!(!ok);
        assert!(
            why.contains("right 75% of the time instead of 100%"),
            "{why}"
        );
        // A difference the usual rounding hides is shown with the decimals that show it.
        let mut many = vec![true; 999];
        many.push(false);
        let (ok, why) = check(eval(8, 2, 2, &[true; 10]), eval(9, 1, 1, &many)).verdict();
        assert!(!ok);
        assert!(
            why.contains("right 99.9% of the time instead of 100.0%"),
            "{why}"
        );
    }
}
