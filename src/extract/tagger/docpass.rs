//! Document consistency: a second pass over a document that sees how the first pass labelled the
//! same word elsewhere in it ("Obrador" alone is a person when "Andrés Manuel López Obrador" was
//! tagged PER two paragraphs up; "Cold War" is MISC everywhere if it was MISC once).
//!
//! Document features (templates 50, 51 and 53), for every token with an upper-case letter: each
//! `(label, BILU position)` the same word (lower-cased) has in a first-pass entity elsewhere in
//! the document, or "capitalised inside a sentence but outside any entity"; the most frequent of
//! these; and the set of labels. The second pass is a model of its own ([`Model::second`]): the
//! first pass's features plus these, learned on and applied to the sentences where one fires;
//! every other sentence keeps its first-pass tags.
//!
//! It is learned by stacking ([`train_two_pass`]): the training documents are split into
//! [`STACK_FOLDS`] folds, a model learned on the other folds tags each fold, and the second model
//! learns from those held-out first passes (a model tagging its own training data would be right
//! too often for the document features to mean anything). It is kept only if the two passes
//! score at least as well as one on documents held out from training (`tune`).
//!
//! Units: token indices within a sentence; spans are `[start, end)`.

use super::features::{lower_key, nhash, DocContext, Featurizer};
use super::model::{tags, viterbi, IdMap, Model};
use super::train::{self, EpochReport, TrainConfig, TrainDoc};
use super::{scored_spans, Eval};

/// A predicted entity: token range, label index, confidence.
pub type Found = (usize, usize, usize, f32);

/// Folds of the training documents for stacking (4 measured best of 2, 3, 4 and 8).
pub const STACK_FOLDS: usize = 4;

/// The document features of every token, from the first pass's entities: `out[s][i]`.
pub fn doc_features(
    sents: &[Vec<&str>],
    found: &[Vec<Found>],
    n_labels: usize,
) -> Vec<Vec<Vec<u64>>> {
    let o_cap = (n_labels * 4) as u64;
    // Per token, its own code (entity label × position, or capitalised O), if it has one.
    let own: Vec<Vec<Option<u64>>> = sents
        .iter()
        .zip(found)
        .map(|(s, f)| {
            let mut codes = vec![None; s.len()];
            for (i, w) in s.iter().enumerate() {
                if i > 0 && w.chars().next().is_some_and(char::is_uppercase) {
                    codes[i] = Some(o_cap);
                }
            }
            for &(a, b, l, _) in f {
                for (k, c) in codes.iter_mut().enumerate().take(b.min(s.len())).skip(a) {
                    let pos = match (k == a, k + 1 == b) {
                        (true, true) => tags::U,
                        (true, false) => tags::B,
                        (false, true) => tags::L,
                        _ => tags::I,
                    };
                    *c = Some((l * 4 + pos) as u64);
                }
            }
            codes
        })
        .collect();
    let mut counts: IdMap<Vec<(u64, u32)>> = IdMap::default();
    for (s, codes) in sents.iter().zip(&own) {
        for (w, c) in s.iter().zip(codes) {
            if let Some(c) = c {
                let v = counts.entry(lower_key(w)).or_default();
                match v.iter_mut().find(|(x, _)| x == c) {
                    Some(e) => e.1 += 1,
                    None => v.push((*c, 1)),
                }
            }
        }
    }
    sents
        .iter()
        .zip(&own)
        .map(|(s, codes)| {
            s.iter()
                .zip(codes)
                .map(|(w, mine)| {
                    let mut f = Vec::new();
                    if !w.chars().any(char::is_uppercase) {
                        return f;
                    }
                    let Some(v) = counts.get(&lower_key(w)) else {
                        return f;
                    };
                    let mut best: Option<(u64, u32)> = None;
                    let mut labels: u64 = 0;
                    for &(c, n) in v {
                        // Other occurrences only: this token's own code counts once less.
                        let n = n - u32::from(*mine == Some(c));
                        if n == 0 {
                            continue;
                        }
                        f.push(nhash(50, c));
                        labels |= 1 << (c / 4).min(63);
                        if best.is_none_or(|(_, m)| n > m) {
                            best = Some((c, n));
                        }
                    }
                    if let Some((c, _)) = best {
                        f.push(nhash(51, c));
                    }
                    // The set of labels (and capitalised O) the word had elsewhere.
                    if labels != 0 {
                        f.push(nhash(53, labels));
                    }
                    f
                })
                .collect()
        })
        .collect()
}

/// The weights of both passes side by side, per feature: one look-up gives a feature's row in
/// the first and in the second model (the look-ups, not the additions, are what tagging spends
/// its time on). Built once per model.
pub struct Joint {
    index: IdMap<u32>,
    /// `2 × T` per feature: the first model's row, then the second's (zeros where one has none).
    rows: Vec<i16>,
}

impl Joint {
    /// `None` for a model without a second pass.
    pub fn new(m: &Model) -> Option<Joint> {
        let second = m.second.as_deref()?;
        let t = m.n_tags();
        let mut index: IdMap<u32> = IdMap::default();
        let mut rows: Vec<i16> = Vec::new();
        for (pass, model) in [m, second].into_iter().enumerate() {
            for (r, k) in model.keys.iter().enumerate() {
                let at = *index.entry(*k).or_insert_with(|| {
                    rows.resize(rows.len() + 2 * t, 0);
                    (rows.len() / (2 * t) - 1) as u32
                }) as usize;
                rows[at * 2 * t + pass * t..at * 2 * t + pass * t + t]
                    .copy_from_slice(&model.weights[r * t..r * t + t]);
            }
        }
        Some(Joint { index, rows })
    }

    /// Emissions of both models for one sentence's features.
    fn emissions(
        &self,
        m: &Model,
        second: &Model,
        feats: &[Vec<u64>],
        e1: &mut [f32],
        e2: &mut [f32],
    ) {
        let t = m.n_tags();
        let mut acc = vec![0i32; 2 * t];
        for (i, fs) in feats.iter().enumerate() {
            acc.fill(0);
            for f in fs {
                if let Some(&row) = self.index.get(f) {
                    let w = &self.rows[row as usize * 2 * t..(row as usize + 1) * 2 * t];
                    for (a, x) in acc.iter_mut().zip(w) {
                        *a += *x as i32;
                    }
                }
            }
            for j in 0..t {
                e1[i * t + j] = acc[j] as f32 * m.scale;
                e2[i * t + j] = acc[t + j] as f32 * second.scale;
            }
        }
    }
}

/// The first pass over a document: per sentence its emissions (and the second model's, from
/// the same features) and its tag path.
struct FirstPass {
    emis: Vec<Vec<f32>>,
    emis2: Vec<Vec<f32>>,
    paths: Vec<Vec<usize>>,
}

impl FirstPass {
    fn run(
        m: &Model,
        joint: Option<&Joint>,
        fz: &Featurizer,
        sentences: &[Vec<&str>],
    ) -> FirstPass {
        let ctx = DocContext::new(sentences);
        let mut out = FirstPass {
            emis: Vec::with_capacity(sentences.len()),
            emis2: Vec::with_capacity(sentences.len()),
            paths: Vec::with_capacity(sentences.len()),
        };
        let mut buf = Vec::new();
        let t = m.n_tags();
        for s in sentences {
            let feats = fz.sentence(s, &ctx, &mut buf);
            let mut emis = vec![0.0; s.len() * t];
            match (joint, m.second.as_deref()) {
                (Some(j), Some(second)) => {
                    let mut emis2 = vec![0.0; s.len() * t];
                    j.emissions(m, second, feats, &mut emis, &mut emis2);
                    out.emis2.push(emis2);
                }
                _ => m.add_emissions(feats, &mut emis),
            }
            out.paths.push(viterbi(m, &emis, s.len()));
            out.emis.push(emis);
        }
        out
    }

    /// The entities found, without confidences (the document features need none).
    fn found(&self) -> Vec<Vec<Found>> {
        self.paths
            .iter()
            .map(|p| {
                tags::spans(p)
                    .into_iter()
                    .map(|(a, b, l)| (a, b, l, 0.0))
                    .collect()
            })
            .collect()
    }
}

/// Tag one document: the first pass, then, with a second-pass model, the sentences where a
/// document feature fires again with it. Confidences come from the pass that decided. `joint`
/// is [`Joint::new`] of `m` (without it the second pass is skipped).
pub fn tag_doc(
    m: &Model,
    joint: Option<&Joint>,
    fz: &Featurizer,
    sentences: &[Vec<&str>],
) -> Vec<Vec<Found>> {
    let first = FirstPass::run(m, joint, fz, sentences);
    let (Some(second), false) = (m.second.as_deref(), first.emis2.is_empty()) else {
        return first
            .emis
            .iter()
            .zip(&first.paths)
            .map(|(e, p)| scored_spans(m, e, p, m.temperature))
            .collect();
    };
    let doc = doc_features(sentences, &first.found(), m.labels.len());
    first
        .emis
        .into_iter()
        .zip(first.emis2)
        .zip(first.paths)
        .zip(doc)
        .map(|(((e1, mut e2), p1), df)| {
            if df.iter().all(Vec::is_empty) {
                return scored_spans(m, &e1, &p1, m.temperature);
            }
            // The second model's emissions: the shared features' (already summed) plus the
            // document features'.
            second.add_emissions(&df, &mut e2);
            let path = viterbi(second, &e2, p1.len());
            scored_spans(second, &e2, &path, second.temperature)
        })
        .collect()
}

/// Score (two-pass) tagging of `docs` against their gold spans.
pub fn evaluate_docs(m: &Model, fz: &Featurizer, docs: &[TrainDoc]) -> Eval {
    let mut ev = Eval::new(m.labels.clone());
    let joint = Joint::new(m);
    for d in docs {
        for (found, (_, gold)) in tag_doc(m, joint.as_ref(), fz, &d.sentence_strs())
            .iter()
            .zip(&d.sentences)
        {
            ev.add(found, gold);
        }
    }
    ev
}

/// The document features of every sentence of `docs` (in order), from `m`'s first pass.
pub fn docs_features(m: &Model, fz: &Featurizer, docs: &[TrainDoc]) -> Vec<Vec<Vec<u64>>> {
    docs.iter()
        .flat_map(|d| {
            let sents = d.sentence_strs();
            let found = FirstPass::run(m, None, fz, &sents).found();
            doc_features(&sents, &found, m.labels.len())
        })
        .collect()
}

/// What training chose on held-out documents, to learn again from all of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// The first pass's best epoch and temperature.
    pub epochs: usize,
    pub temperature: f32,
    /// The second pass's, when it helped.
    pub second: Option<(usize, f32)>,
    /// Held-out F1 of one pass and of two, when a second pass was tried.
    pub held_out: Option<(f64, f64)>,
}

/// The first epoch with the best held-out score (the one `train::train` keeps).
fn best_epoch(scores: &[Option<f64>]) -> usize {
    let mut best = (f64::NEG_INFINITY, scores.len());
    for (i, s) in scores.iter().enumerate() {
        if let Some(s) = s {
            if *s > best.0 {
                best = (*s, i + 1);
            }
        }
    }
    best.1.max(1)
}

/// The document features of `docs` for learning the second pass: each of [`STACK_FOLDS`] folds
/// gets them from a model learned on the other folds (choosing its epoch on `tune`, or taking
/// `cfg.epochs` when `tune` is empty).
fn stacked_features(
    fz: &Featurizer,
    docs: &[TrainDoc],
    tune: &[TrainDoc],
    labels: &[String],
    cfg: &TrainConfig,
) -> Vec<Vec<Vec<u64>>> {
    let mut extra: Vec<Vec<Vec<Vec<u64>>>> = vec![Vec::new(); docs.len()];
    for k in 0..STACK_FOLDS {
        let (held, rest): (Vec<usize>, Vec<usize>) =
            (0..docs.len()).partition(|i| i % STACK_FOLDS == k);
        let rest: Vec<TrainDoc> = rest.iter().map(|&i| docs[i].clone()).collect();
        let m = train::train(fz, &rest, tune, labels.to_vec(), cfg, None, |_| {});
        for i in held {
            extra[i] = docs_features(&m, fz, std::slice::from_ref(&docs[i]));
        }
    }
    extra.into_iter().flatten().collect()
}

/// Train a model on `train_docs` (see [`train::train`]), then its second pass by stacking
/// (module docs), choosing epochs, temperatures and whether the second pass is kept on `tune`
/// (documents held out from training). With fewer than [`STACK_FOLDS`] training documents or no
/// `tune` documents, or when the second pass does not help on them, the model has none.
pub fn train_two_pass(
    fz: &Featurizer,
    train_docs: &[TrainDoc],
    tune: &[TrainDoc],
    labels: Vec<String>,
    cfg: &TrainConfig,
    mut progress: impl FnMut(&EpochReport),
) -> (Model, Choice) {
    let mut scores = Vec::new();
    let mut full = train::train(fz, train_docs, tune, labels.clone(), cfg, None, |r| {
        scores.push(r.dev_f1);
        progress(r);
    });
    let mut choice = Choice {
        epochs: best_epoch(&scores),
        temperature: full.temperature,
        second: None,
        held_out: None,
    };
    if train_docs.len() < STACK_FOLDS || tune.is_empty() {
        return (full, choice);
    }
    let train_extra = stacked_features(fz, train_docs, tune, &labels, cfg);
    let tune_extra = docs_features(&full, fz, tune);
    let mut scores2 = Vec::new();
    let second = train::train_with(
        fz,
        train_docs,
        tune,
        labels,
        cfg,
        None,
        |r| scores2.push(r.dev_f1),
        Some((&train_extra, &tune_extra)),
    );
    // The first pass's held-out F1 is its best epoch's (the model `train` kept).
    let one = scores
        .iter()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let temperature2 = second.temperature;
    full.second = Some(Box::new(second));
    let two = evaluate_docs(&full, fz, tune).micro().2;
    choice.held_out = Some((one, two));
    if two < one {
        full.second = None;
    } else {
        choice.second = Some((best_epoch(&scores2), temperature2));
    }
    (full, choice)
}

/// Learn again from all of `docs` with what [`train_two_pass`] chose on held-out documents:
/// the same epochs, temperatures and passes, nothing chosen anew.
pub fn refit(
    fz: &Featurizer,
    docs: &[TrainDoc],
    labels: Vec<String>,
    cfg: &TrainConfig,
    choice: &Choice,
) -> Model {
    let cfg1 = TrainConfig {
        epochs: choice.epochs,
        ..cfg.clone()
    };
    let mut m = train::train(fz, docs, &[], labels.clone(), &cfg1, None, |_| {});
    m.temperature = choice.temperature;
    if let (Some((epochs, temperature)), true) = (choice.second, docs.len() >= STACK_FOLDS) {
        let extra = stacked_features(fz, docs, &[], &labels, &cfg1);
        let cfg2 = TrainConfig {
            epochs,
            ..cfg.clone()
        };
        let mut second = train::train_with(
            fz,
            docs,
            &[],
            labels,
            &cfg2,
            None,
            |_| {},
            Some((&extra, &[])),
        );
        second.temperature = temperature;
        m.second = Some(Box::new(second));
    }
    m
}

/// Continue `base`'s second pass (over `labels`, see [`Model::with_labels`]) on `docs`, whose
/// document features come from `base`'s own first pass: it did not learn from these documents,
/// so its mistakes on them are the kind the second pass must learn to correct. `None` when
/// `base` has no second pass.
pub fn learn_second_warm(
    fz: &Featurizer,
    base: &Model,
    docs: &[TrainDoc],
    cfg: &TrainConfig,
) -> Option<Model> {
    let init = base.second.as_deref()?;
    let extra = docs_features(base, fz, docs);
    Some(train::train_with(
        fz,
        docs,
        &[],
        base.labels.clone(),
        cfg,
        Some(init),
        |_| {},
        Some((&extra, &[])),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_tagged_elsewhere_carries_its_label_and_position() {
        let s1 = vec!["Andrés", "Manuel", "López", "Obrador", "spoke", "."];
        let s2 = vec!["Later", "Obrador", "left", "the", "Bank", "."];
        let found = vec![vec![(0, 4, 0, 0.9)], vec![]];
        let df = doc_features(&[s1, s2], &found, 2);
        // "Obrador" in s2 was the last token of a PER (label 0) entity elsewhere.
        let last_of_per = nhash(50, tags::L as u64);
        assert!(df[1][1].contains(&last_of_per));
        assert!(
            df[1][1].contains(&nhash(51, tags::L as u64)),
            "and it is the most frequent"
        );
        // Its own occurrence does not count for itself: the first "Obrador" sees only the
        // second, capitalised outside any entity (code 2 labels × 4).
        assert_eq!(
            df[0][3],
            vec![nhash(50, 8), nhash(51, 8), nhash(53, 1 << 2)]
        );
        assert!(
            df[1][1].contains(&nhash(53, 1)),
            "the labels it had elsewhere: PER"
        );
        // Lower-case words get no document features.
        assert!(df[1][2].is_empty());
        // "Bank" appears once: nothing elsewhere.
        assert!(df[1][4].is_empty());
    }
}
