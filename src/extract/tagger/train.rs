//! Training: an averaged structured perceptron with BILOU Viterbi decoding.
//!
//! Deterministic: sentences are shuffled by a fixed-seed generator, features are interned in a
//! fixed order. Averaging uses the "w − u/c" form (u accumulates each update times its step
//! count). After each epoch the averaged weights are scored on the "dev" documents given (held-out
//! training documents for `train --conll`, see `docpass::train_two_pass`; never the dev set that
//! is reported); the best epoch is kept. Finally the temperature for confidences is chosen on the
//! same documents (least log-loss of "this predicted entity is correct"), weights are pruned and
//! quantised to `i16`.

use super::features::{DocContext, Featurizer};
use super::model::{tags, viterbi, IdMap, Model};
use super::{scored_spans, Eval};

/// Entity spans of a sentence: token ranges `[start, end)` with a label index.
pub type TokenSpans = Vec<(usize, usize, usize)>;

/// One training document: sentences of tokens with their gold entity spans.
#[derive(Clone, Debug)]
pub struct TrainDoc {
    pub sentences: Vec<(Vec<String>, TokenSpans)>,
}

impl TrainDoc {
    /// The sentences' tokens as string slices (what the featurizer and the tagger take).
    pub fn sentence_strs(&self) -> Vec<Vec<&str>> {
        self.sentences
            .iter()
            .map(|(t, _)| t.iter().map(String::as_str).collect())
            .collect()
    }
}

#[derive(Clone, Debug)]
pub struct TrainConfig {
    pub epochs: usize,
    pub seed: u64,
    /// Features seen fewer times than this in training are dropped.
    pub min_count: u32,
    /// The size of one perceptron update. Continuing from a trained model, smaller steps adjust
    /// its weights instead of overwriting them with what a few documents say.
    pub step: f32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 12,
            seed: 20031,
            min_count: 2,
            step: 1.0,
        }
    }
}

/// Progress of one epoch.
#[derive(Clone, Debug)]
pub struct EpochReport {
    pub epoch: usize,
    pub mistakes: usize,
    pub dev_f1: Option<f64>,
    pub seconds: f64,
}

struct Sent {
    feats: Vec<Vec<u32>>,
    gold: Vec<usize>,
}

fn gold_tags(n: usize, spans: &[(usize, usize, usize)]) -> Vec<usize> {
    let mut t = vec![0; n];
    for &(s, e, l) in spans {
        if s >= e || e > n {
            continue;
        }
        if e - s == 1 {
            t[s] = tags::tag(l, tags::U);
        } else {
            t[s] = tags::tag(l, tags::B);
            for x in &mut t[s + 1..e - 1] {
                *x = tags::tag(l, tags::I);
            }
            t[e - 1] = tags::tag(l, tags::L);
        }
    }
    t
}

/// Featurize documents into hashed features per sentence.
pub fn featurize_docs(fz: &Featurizer, docs: &[TrainDoc]) -> Vec<Vec<Vec<u64>>> {
    let mut out = Vec::new();
    for d in docs {
        let sents = d.sentence_strs();
        let ctx = DocContext::new(&sents);
        for s in &sents {
            let mut f = Vec::new();
            fz.sentence(s, &ctx, &mut f);
            out.push(f);
        }
    }
    out
}

/// Adds the extra features to each sentence's and keeps only the sentences that have some
/// (all sentences when there are none).
fn with_extra<G>(
    hashed: Vec<Vec<Vec<u64>>>,
    gold: Vec<G>,
    extra: Option<&[Vec<Vec<u64>>]>,
) -> (Vec<Vec<Vec<u64>>>, Vec<G>) {
    let Some(extra) = extra else {
        return (hashed, gold);
    };
    hashed
        .into_iter()
        .zip(gold)
        .zip(extra)
        .filter(|(_, x)| x.iter().any(|f| !f.is_empty()))
        .map(|((mut s, g), x)| {
            for (f, more) in s.iter_mut().zip(x) {
                f.extend_from_slice(more);
            }
            (s, g)
        })
        .unzip()
}

/// xorshift64*: a small deterministic generator for shuffling.
struct Rng(u64);

/// Fisher–Yates with the fixed-seed generator.
fn shuffle(order: &mut [usize], rng: &mut Rng) {
    for i in (1..order.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
}

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Train a model. `init` warm-starts from an existing model with the same labels.
pub fn train(
    fz: &Featurizer,
    train_docs: &[TrainDoc],
    dev_docs: &[TrainDoc],
    labels: Vec<String>,
    cfg: &TrainConfig,
    init: Option<&Model>,
    progress: impl FnMut(&EpochReport),
) -> Model {
    train_with(fz, train_docs, dev_docs, labels, cfg, init, progress, None)
}

/// Features added to each sentence (`[sentence][token]`, in document order) of the training
/// and of the dev documents. Only sentences with at least one extra feature are trained and
/// scored on: the second pass is the model of those sentences (see `docpass`).
pub type Extra<'a> = (&'a [Vec<Vec<u64>>], &'a [Vec<Vec<u64>>]);

/// [`train`], with extra features per token.
#[allow(clippy::too_many_arguments)]
pub fn train_with(
    fz: &Featurizer,
    train_docs: &[TrainDoc],
    dev_docs: &[TrainDoc],
    labels: Vec<String>,
    cfg: &TrainConfig,
    init: Option<&Model>,
    mut progress: impl FnMut(&EpochReport),
    extra: Option<Extra>,
) -> Model {
    let t = 1 + 4 * labels.len();
    let golds: Vec<Vec<usize>> = train_docs
        .iter()
        .flat_map(|d| {
            d.sentences
                .iter()
                .map(|(toks, sp)| gold_tags(toks.len(), sp))
        })
        .collect();
    let (hashed, golds) = with_extra(featurize_docs(fz, train_docs), golds, extra.map(|e| e.0));
    // Intern features by count, in first-seen order (deterministic).
    let mut counts: IdMap<u32> = IdMap::default();
    for s in &hashed {
        for f in s.iter().flatten() {
            *counts.entry(*f).or_default() += 1;
        }
    }
    let mut ids: IdMap<u32> = IdMap::default();
    let mut keys: Vec<u64> = Vec::new();
    let init = init.filter(|m| m.labels == labels);
    for s in &hashed {
        for f in s.iter().flatten() {
            let known = init.is_some_and(|m| m.index.contains_key(f));
            if (counts[f] >= cfg.min_count || known) && !ids.contains_key(f) {
                ids.insert(*f, keys.len() as u32);
                keys.push(*f);
            }
        }
    }
    let sents: Vec<Sent> = hashed
        .iter()
        .zip(golds)
        .map(|(s, gold)| Sent {
            feats: s
                .iter()
                .map(|fs| fs.iter().filter_map(|f| ids.get(f).copied()).collect())
                .collect(),
            gold,
        })
        .collect();
    drop(hashed);

    let nf = keys.len();
    let mut w = vec![0f32; nf * t];
    let mut u = vec![0f64; nf * t];
    let mut tw = vec![0f32; t * t + 2 * t];
    let mut tu = vec![0f64; t * t + 2 * t];
    if let Some(m) = init {
        for (i, k) in keys.iter().enumerate() {
            if let Some(&row) = m.index.get(k) {
                for j in 0..t {
                    w[i * t + j] = m.weights[row as usize * t + j] as f32 * m.scale;
                }
            }
        }
        tw[..t * t].copy_from_slice(&m.trans);
        tw[t * t..t * t + t].copy_from_slice(&m.start);
        tw[t * t + t..].copy_from_slice(&m.end);
    }

    let dev_gold: Vec<Vec<(usize, usize, usize)>> = dev_docs
        .iter()
        .flat_map(|d| d.sentences.iter().map(|(_, s)| s.clone()))
        .collect();
    let (dev_hashed, dev_gold) =
        with_extra(featurize_docs(fz, dev_docs), dev_gold, extra.map(|e| e.1));

    let mut rng = Rng(cfg.seed | 1);
    let mut order: Vec<usize> = (0..sents.len()).collect();
    let mut c: f64 = 1.0;
    let mut best: Option<(f64, Model)> = None;
    let mut emis = Vec::new();
    let mut scratch = scratch_model(&labels);
    for epoch in 1..=cfg.epochs {
        let started = std::time::Instant::now();
        shuffle(&mut order, &mut rng);
        let mut mistakes = 0;
        for &si in &order {
            let s = &sents[si];
            let n = s.gold.len();
            // Emissions with the current (not averaged) weights.
            emis.clear();
            emis.resize(n * t, 0.0);
            for (i, fs) in s.feats.iter().enumerate() {
                for &f in fs {
                    let row = &w[f as usize * t..f as usize * t + t];
                    for (e, x) in emis[i * t..i * t + t].iter_mut().zip(row) {
                        *e += x;
                    }
                }
            }
            scratch.trans.copy_from_slice(&tw[..t * t]);
            scratch.start.copy_from_slice(&tw[t * t..t * t + t]);
            scratch.end.copy_from_slice(&tw[t * t + t..]);
            let pred = viterbi(&scratch, &emis, n);
            if pred != s.gold {
                mistakes += 1;
                let step = cfg.step;
                let upd = |arr: &mut [f32], acc: &mut [f64], idx: usize, d: f32| {
                    arr[idx] += d * step;
                    acc[idx] += c * (d * step) as f64;
                };
                for i in 0..n {
                    let (g, p) = (s.gold[i], pred[i]);
                    if g != p {
                        for &f in &s.feats[i] {
                            upd(&mut w, &mut u, f as usize * t + g, 1.0);
                            upd(&mut w, &mut u, f as usize * t + p, -1.0);
                        }
                    }
                    let (gp, pp) = if i == 0 {
                        (None, None)
                    } else {
                        (Some(s.gold[i - 1]), Some(pred[i - 1]))
                    };
                    if (gp, g) != (pp, p) {
                        let gi = gp.map_or(t * t + g, |x| x * t + g);
                        let pi = pp.map_or(t * t + p, |x| x * t + p);
                        upd(&mut tw, &mut tu, gi, 1.0);
                        upd(&mut tw, &mut tu, pi, -1.0);
                    }
                }
                let (gl, pl) = (s.gold[n - 1], pred[n - 1]);
                if gl != pl {
                    upd(&mut tw, &mut tu, t * t + t + gl, 1.0);
                    upd(&mut tw, &mut tu, t * t + t + pl, -1.0);
                }
            }
            c += 1.0;
        }
        // Averaged weights: w - u / c.
        let avg: Vec<f32> = w.iter().zip(&u).map(|(a, b)| a - (*b / c) as f32).collect();
        let tavg: Vec<f32> = tw
            .iter()
            .zip(&tu)
            .map(|(a, b)| a - (*b / c) as f32)
            .collect();
        let model = build_model(&labels, &keys, &avg, &tavg);
        let dev_f1 = (!dev_hashed.is_empty()).then(|| {
            evaluate_hashed(&model, &dev_hashed, &dev_gold, 1.0)
                .micro()
                .2
        });
        let report = EpochReport {
            epoch,
            mistakes,
            dev_f1,
            seconds: started.elapsed().as_secs_f64(),
        };
        progress(&report);
        let score = dev_f1.unwrap_or(epoch as f64);
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, model));
        }
    }
    let mut model = match best {
        Some((_, m)) => m,
        None => build_model(&labels, &keys, &w, &tw),
    };
    if !dev_hashed.is_empty() {
        model.temperature = choose_temperature(&model, &dev_hashed, &dev_gold);
    }
    match init {
        Some(m) => keep_untouched(model, m, &ids),
        None => model,
    }
}

/// A warm-started model learned only the features of its training documents; every other feature
/// of the model it started from keeps its weights (without this, learning from two documents
/// forgot everything else the shipped model knew, and suggestions everywhere else collapsed).
fn keep_untouched(learned: Model, init: &Model, trained: &IdMap<u32>) -> Model {
    let t = learned.n_tags();
    let row = |m: &Model, r: usize| -> Vec<f32> {
        m.weights[r * t..r * t + t]
            .iter()
            .map(|&q| q as f32 * m.scale)
            .collect()
    };
    let mut keys = learned.keys.clone();
    let mut w: Vec<f32> = (0..learned.keys.len())
        .flat_map(|r| row(&learned, r))
        .collect();
    for (r, k) in init.keys.iter().enumerate() {
        if !trained.contains_key(k) {
            keys.push(*k);
            w.extend(row(init, r));
        }
    }
    let tw: Vec<f32> = learned
        .trans
        .iter()
        .chain(&learned.start)
        .chain(&learned.end)
        .copied()
        .collect();
    let mut merged = build_model(&learned.labels, &keys, &w, &tw);
    merged.temperature = learned.temperature;
    merged
}

/// A model with transitions only (for decoding during training).
fn scratch_model(labels: &[String]) -> Model {
    let t = 1 + 4 * labels.len();
    Model {
        labels: labels.to_vec(),
        temperature: 1.0,
        trans: vec![0.0; t * t],
        start: vec![0.0; t],
        end: vec![0.0; t],
        index: IdMap::default(),
        keys: Vec::new(),
        weights: Vec::new(),
        scale: 1.0,
        second: None,
    }
}

/// Build the model from float weights: prune features whose weights all quantise to zero, and
/// quantise to `i16` with one global scale.
fn build_model(labels: &[String], keys: &[u64], w: &[f32], tw: &[f32]) -> Model {
    let t = 1 + 4 * labels.len();
    let max = w.iter().fold(0f32, |a, x| a.max(x.abs())).max(1e-6);
    let scale = max / 32767.0;
    let mut kept = Vec::new();
    let mut weights = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let q: Vec<i16> = w[i * t..i * t + t]
            .iter()
            .map(|x| (x / scale).round() as i16)
            .collect();
        if q.iter().any(|x| *x != 0) {
            kept.push(*k);
            weights.extend(q);
        }
    }
    let mut index = IdMap::with_capacity_and_hasher(kept.len(), Default::default());
    for (i, k) in kept.iter().enumerate() {
        index.insert(*k, i as u32);
    }
    Model {
        labels: labels.to_vec(),
        temperature: 1.0,
        trans: tw[..t * t].to_vec(),
        start: tw[t * t..t * t + t].to_vec(),
        end: tw[t * t + t..].to_vec(),
        index,
        keys: kept,
        weights,
        scale,
        second: None,
    }
}

/// Decode pre-hashed sentences and score them against gold spans.
pub fn evaluate_hashed(
    m: &Model,
    sents: &[Vec<Vec<u64>>],
    gold: &[Vec<(usize, usize, usize)>],
    temperature: f32,
) -> Eval {
    let mut ev = Eval::new(m.labels.clone());
    let mut emis = Vec::new();
    for (s, g) in sents.iter().zip(gold) {
        let n = s.len();
        m.emissions(s, &mut emis);
        let path = viterbi(m, &emis, n);
        ev.add(&scored_spans(m, &emis, &path, temperature), g);
    }
    ev
}

/// The temperature with the least log-loss of "this predicted entity is correct" on `sents`.
fn choose_temperature(
    m: &Model,
    sents: &[Vec<Vec<u64>>],
    gold: &[Vec<(usize, usize, usize)>],
) -> f32 {
    let mut best = (f64::INFINITY, 1.0);
    for &temp in &[0.5f32, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0] {
        let ev = evaluate_hashed(m, sents, gold, temp);
        let loss = ev.log_loss();
        if loss < best.0 {
            best = (loss, temp);
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    type Sents<'a> = [(&'a str, &'a [(usize, usize, usize)])];

    fn doc(sents: &Sents) -> TrainDoc {
        TrainDoc {
            sentences: sents
                .iter()
                .map(|(s, sp)| (s.split(' ').map(str::to_string).collect(), sp.to_vec()))
                .collect(),
        }
    }

    #[test]
    fn learns_a_toy_task_deterministically() {
        let fz = Featurizer::builtin();
        let docs: Vec<TrainDoc> = (0..20)
            .map(|_| {
                doc(&[
                    (
                        "Zorblat met Quenby in Vargston .",
                        &[(0, 1, 0), (2, 3, 0), (4, 5, 1)],
                    ),
                    (
                        "The people of Vargston like Zorblat Quenby .",
                        &[(3, 4, 1), (5, 7, 0)],
                    ),
                ])
            })
            .collect();
        let labels = vec!["PER".to_string(), "LOC".to_string()];
        let cfg = TrainConfig {
            epochs: 5,
            min_count: 1,
            ..Default::default()
        };
        let mut reports = Vec::new();
        let m1 = train(&fz, &docs, &docs[..2], labels.clone(), &cfg, None, |r| {
            reports.push(r.clone())
        });
        let m2 = train(&fz, &docs, &docs[..2], labels, &cfg, None, |_| {});
        assert_eq!(
            m1.to_bytes(),
            m2.to_bytes(),
            "same data and seed, same model"
        );
        assert_eq!(reports.len(), 5);
        assert_eq!(reports.last().unwrap().dev_f1, Some(1.0));
        let hashed = featurize_docs(&fz, &docs[..1]);
        let gold: Vec<_> = docs[0].sentences.iter().map(|(_, s)| s.clone()).collect();
        assert_eq!(evaluate_hashed(&m1, &hashed, &gold, 1.0).micro().2, 1.0);
    }
}
