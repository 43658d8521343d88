//! Inter-annotator agreement over documents labelled by several people (issue 16's `agree`):
//! span-level precision, recall and F1 per pair of annotators and per label (exact and
//! overlapping match), token-level Cohen's κ per pair, Fleiss' κ over all, Krippendorff's α
//! (nominal, on tokens), agreement per document, a label confusion table over spans with the
//! same boundaries, and the number of boundary-only disagreements.
//!
//! Units: spans are char (code point) offsets, end-exclusive ([`CharSpan`]); tokens are the
//! document's tokens ([`crate::text::tokenize`]) as char spans. A token takes the label of the
//! span that contains it whole, or "O" (no entity); a token that a span only partly covers is
//! "O" for that annotator (spans end on token boundaries in Tagwright, so this is rare).
//!
//! Invariants: every figure is symmetric in the two annotators of a pair except precision and
//! recall, which take the first annotator of the pair as the reference; a pair with no span on
//! either side has F1 1 (they agree there is nothing); a κ or α whose expected disagreement is 0
//! (everyone used one category) is 1 when observed agreement is complete.
//!
//! Floors: imports only `text` (and std); the caller reads the layers from the project.

use crate::text::CharSpan;
use std::collections::{BTreeMap, HashMap};

/// The label of tokens outside every entity.
pub const OUTSIDE: &str = "O";

/// One annotator's spans on one document.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    pub annotator: String,
    pub spans: Vec<(CharSpan, String)>,
}

/// One document: its tokens and every annotator's layer (an annotator with no layer did not
/// annotate it; an empty layer says "no entities here").
#[derive(Clone, Debug, PartialEq)]
pub struct DocLayers {
    pub id: String,
    pub tokens: Vec<CharSpan>,
    pub layers: Vec<Layer>,
}

/// Span counts for one pair (first annotator = reference).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SpanCounts {
    /// Spans of the reference / of the other / exactly equal (boundaries and label).
    pub reference: usize,
    pub other: usize,
    pub exact: usize,
    /// Spans of the reference that overlap a span of the other with the same label, and the
    /// other way round.
    pub reference_overlapped: usize,
    pub other_overlapped: usize,
}

impl SpanCounts {
    fn add(&mut self, o: &SpanCounts) {
        self.reference += o.reference;
        self.other += o.other;
        self.exact += o.exact;
        self.reference_overlapped += o.reference_overlapped;
        self.other_overlapped += o.other_overlapped;
    }

    /// Exact match: (precision, recall, F1) of the other against the reference.
    pub fn exact_prf(&self) -> (f64, f64, f64) {
        prf(self.exact, self.other, self.exact, self.reference)
    }

    /// Overlapping match with the same label: (precision, recall, F1).
    pub fn overlap_prf(&self) -> (f64, f64, f64) {
        prf(
            self.other_overlapped,
            self.other,
            self.reference_overlapped,
            self.reference,
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Precision `p_num / p_den`, recall `r_num / r_den` (1 when nothing was to be found) and their
/// harmonic mean.
fn prf(p_num: usize, p_den: usize, r_num: usize, r_den: usize) -> (f64, f64, f64) {
    let (p, r) = (ratio(p_num, p_den), ratio(r_num, r_den));
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

/// Everything measured for one pair of annotators.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PairReport {
    pub a: String,
    pub b: String,
    /// Documents both annotated.
    pub documents: usize,
    pub spans: SpanCounts,
    pub per_label: BTreeMap<String, SpanCounts>,
    /// Token-level Cohen's κ over the tokens of the documents both annotated.
    pub cohen_kappa: f64,
    /// Spans with the same boundaries and different labels: (label of a, label of b) → count.
    pub confusion: BTreeMap<(String, String), usize>,
    /// Spans with the same label that overlap without the same boundaries.
    pub boundary_only: usize,
}

/// Agreement on one document: the mean exact-span F1 over the pairs that annotated it.
#[derive(Clone, Debug, PartialEq)]
pub struct DocReport {
    pub id: String,
    pub annotators: usize,
    pub mean_f1: f64,
}

/// The whole report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub annotators: Vec<String>,
    pub pairs: Vec<PairReport>,
    /// Fleiss' κ over the tokens of the documents every annotator annotated (`None`: no such
    /// document, or fewer than two annotators).
    pub fleiss_kappa: Option<f64>,
    /// Krippendorff's α (nominal) over every token annotated by at least two people.
    pub krippendorff_alpha: Option<f64>,
    /// Worst first.
    pub documents: Vec<DocReport>,
}

/// Accumulates agreement one document at a time.
pub struct Agreement {
    annotators: Vec<String>,
    pairs: Vec<PairAcc>,
    /// Labels seen, as small ids (0 is "O"): token-level counting never touches a string.
    labels: Labels,
    /// Fleiss: per category id, the total count; and Σ over tokens of Σ_k n_k² and the token
    /// count.
    fleiss_totals: Vec<f64>,
    fleiss_sq: f64,
    fleiss_items: usize,
    /// Krippendorff: the coincidence matrix (c, k) → o_ck, by category id.
    coincidence: HashMap<(u16, u16), f64>,
    documents: Vec<DocReport>,
}

/// Label strings ↔ ids.
struct Labels {
    ids: HashMap<String, u16>,
}

impl Labels {
    fn id(&mut self, label: &str) -> u16 {
        if let Some(&i) = self.ids.get(label) {
            return i;
        }
        let i = self.ids.len().min(u16::MAX as usize) as u16;
        self.ids.insert(label.to_string(), i);
        i
    }
}

/// Adds 1 to `v[i]`, growing it as needed.
fn bump(v: &mut Vec<usize>, i: u16) {
    let i = i as usize;
    if v.len() <= i {
        v.resize(i + 1, 0);
    }
    v[i] += 1;
}

#[derive(Default)]
struct PairAcc {
    /// The pair's places in `Agreement::annotators`.
    ia: usize,
    ib: usize,
    report: PairReport,
    /// Cohen: agreeing tokens, tokens, and each annotator's category counts.
    agree: usize,
    tokens: usize,
    count_a: Vec<usize>,
    count_b: Vec<usize>,
}

impl Agreement {
    /// Agreement among `annotators` (others' layers are ignored), in this order.
    pub fn new(annotators: &[String]) -> Agreement {
        let mut pairs = Vec::new();
        for (ia, a) in annotators.iter().enumerate() {
            for (ib, b) in annotators.iter().enumerate().skip(ia + 1) {
                pairs.push(PairAcc {
                    ia,
                    ib,
                    report: PairReport {
                        a: a.clone(),
                        b: b.clone(),
                        ..Default::default()
                    },
                    ..Default::default()
                });
            }
        }
        Agreement {
            annotators: annotators.to_vec(),
            pairs,
            labels: Labels {
                ids: HashMap::from([(OUTSIDE.to_string(), 0)]),
            },
            fleiss_totals: Vec::new(),
            fleiss_sq: 0.0,
            fleiss_items: 0,
            coincidence: HashMap::new(),
            documents: Vec::new(),
        }
    }

    /// Add one document.
    pub fn add(&mut self, doc: &DocLayers) {
        let layer = |name: &str| doc.layers.iter().find(|l| l.annotator == name);
        let present: Vec<(usize, &Layer)> = self
            .annotators
            .iter()
            .enumerate()
            .filter_map(|(i, a)| layer(a).map(|l| (i, l)))
            .collect();
        let labels = &mut self.labels;
        let token_labels: Vec<Vec<u16>> = present
            .iter()
            .map(|(_, l)| token_labels(&doc.tokens, &l.spans, labels))
            .collect();
        let slot = |i: usize| present.iter().position(|(k, _)| *k == i);
        let mut f1s = Vec::new();
        for pair in &mut self.pairs {
            let (Some(sa), Some(sb)) = (slot(pair.ia), slot(pair.ib)) else {
                continue;
            };
            let (la, lb) = (present[sa].1, present[sb].1);
            pair.report.documents += 1;
            let counts = span_counts(&la.spans, &lb.spans, &mut pair.report);
            f1s.push(counts.exact_prf().2);
            for (x, y) in token_labels[sa].iter().zip(&token_labels[sb]) {
                pair.tokens += 1;
                pair.agree += usize::from(x == y);
                bump(&mut pair.count_a, *x);
                bump(&mut pair.count_b, *y);
            }
        }
        if present.len() >= 2 {
            self.documents.push(DocReport {
                id: doc.id.clone(),
                annotators: present.len(),
                mean_f1: f1s.iter().sum::<f64>() / f1s.len().max(1) as f64,
            });
        }
        self.add_tokens(&token_labels, present.len() == self.annotators.len());
    }

    /// Fleiss' and Krippendorff's accumulators, token by token.
    fn add_tokens(&mut self, labels: &[Vec<u16>], everyone: bool) {
        if labels.len() < 2 {
            return;
        }
        let m = labels.len() as f64;
        // This token's categories and how many annotators chose each.
        let mut counts: Vec<(u16, f64)> = Vec::new();
        for t in 0..labels[0].len() {
            counts.clear();
            for l in labels {
                match counts.iter_mut().find(|(c, _)| *c == l[t]) {
                    Some(e) => e.1 += 1.0,
                    None => counts.push((l[t], 1.0)),
                }
            }
            for &(c, nc) in &counts {
                for &(k, nk) in &counts {
                    let pairs = if c == k { nc * (nc - 1.0) } else { nc * nk };
                    if pairs > 0.0 {
                        *self.coincidence.entry((c, k)).or_default() += pairs / (m - 1.0);
                    }
                }
            }
            if everyone {
                self.fleiss_items += 1;
                for &(c, nc) in &counts {
                    let c = c as usize;
                    if self.fleiss_totals.len() <= c {
                        self.fleiss_totals.resize(c + 1, 0.0);
                    }
                    self.fleiss_totals[c] += nc;
                    self.fleiss_sq += nc * nc;
                }
            }
        }
    }

    /// The report, documents worst first (ties by id).
    pub fn report(mut self) -> Report {
        let n = self.annotators.len() as f64;
        let fleiss_kappa = (self.fleiss_items > 0 && n >= 2.0).then(|| {
            let items = self.fleiss_items as f64;
            let p_bar = (self.fleiss_sq - items * n) / (items * n * (n - 1.0));
            let pe: f64 = self
                .fleiss_totals
                .iter()
                .map(|t| (t / (items * n)).powi(2))
                .sum();
            chance_corrected(p_bar, pe)
        });
        let krippendorff_alpha = krippendorff(&self.coincidence);
        self.documents.sort_by(|a, b| {
            a.mean_f1
                .total_cmp(&b.mean_f1)
                .then_with(|| a.id.cmp(&b.id))
        });
        let pairs = self
            .pairs
            .into_iter()
            .map(|p| {
                let mut r = p.report;
                let po = ratio(p.agree, p.tokens);
                let t = p.tokens.max(1) as f64;
                let pe: f64 = p
                    .count_a
                    .iter()
                    .zip(&p.count_b)
                    .map(|(na, nb)| *na as f64 / t * *nb as f64 / t)
                    .sum();
                r.cohen_kappa = chance_corrected(po, pe);
                r
            })
            .collect();
        Report {
            annotators: self.annotators,
            pairs,
            fleiss_kappa,
            krippendorff_alpha,
            documents: self.documents,
        }
    }
}

/// (observed − expected) / (1 − expected), 1 when everything agrees by necessity.
fn chance_corrected(observed: f64, expected: f64) -> f64 {
    if (1.0 - expected).abs() < 1e-12 {
        if (1.0 - observed).abs() < 1e-12 {
            1.0
        } else {
            0.0
        }
    } else {
        (observed - expected) / (1.0 - expected)
    }
}

/// Krippendorff's α (nominal) from the coincidence matrix: 1 − (n − 1) · D_o / D_e.
fn krippendorff(o: &HashMap<(u16, u16), f64>) -> Option<f64> {
    let mut marginal: HashMap<u16, f64> = HashMap::new();
    for ((c, _), v) in o {
        *marginal.entry(*c).or_default() += v;
    }
    let n: f64 = marginal.values().sum();
    if n <= 1.0 {
        return None;
    }
    let observed: f64 = o.iter().filter(|((c, k), _)| c != k).map(|(_, v)| v).sum();
    let total: f64 =
        marginal.values().sum::<f64>().powi(2) - marginal.values().map(|v| v * v).sum::<f64>();
    Some(if total <= 0.0 {
        if observed == 0.0 {
            1.0
        } else {
            0.0
        }
    } else {
        1.0 - (n - 1.0) * observed / total
    })
}

/// Each token's label id in a layer: the label of a span containing it whole, else "O" (0).
fn token_labels(
    tokens: &[CharSpan],
    spans: &[(CharSpan, String)],
    labels: &mut Labels,
) -> Vec<u16> {
    let mut sorted: Vec<(CharSpan, u16)> = spans.iter().map(|(s, l)| (*s, labels.id(l))).collect();
    sorted.sort_by_key(|(s, _)| (s.start, s.end));
    let mut k = 0;
    tokens
        .iter()
        .map(|t| {
            while k < sorted.len() && sorted[k].0.end <= t.start {
                k += 1;
            }
            sorted[k..]
                .iter()
                .take_while(|(s, _)| s.start <= t.start)
                .find(|(s, _)| s.start <= t.start && t.end <= s.end)
                .map_or(0, |(_, l)| *l)
        })
        .collect()
}

/// Span counts of `b` against `a` on one document, adding the per-label counts, confusions and
/// boundary-only disagreements to `r`.
fn span_counts(
    a: &[(CharSpan, String)],
    b: &[(CharSpan, String)],
    r: &mut PairReport,
) -> SpanCounts {
    let overlaps = |x: &CharSpan, y: &CharSpan| x.start < y.end && y.start < x.end;
    let mut total = SpanCounts::default();
    let mut labels: Vec<&String> = a.iter().chain(b).map(|(_, l)| l).collect();
    labels.sort();
    labels.dedup();
    for label in labels {
        let sa: Vec<&CharSpan> = a
            .iter()
            .filter(|(_, l)| l == label)
            .map(|(s, _)| s)
            .collect();
        let sb: Vec<&CharSpan> = b
            .iter()
            .filter(|(_, l)| l == label)
            .map(|(s, _)| s)
            .collect();
        let c = SpanCounts {
            reference: sa.len(),
            other: sb.len(),
            exact: sa.iter().filter(|x| sb.contains(x)).count(),
            reference_overlapped: sa
                .iter()
                .filter(|x| sb.iter().any(|y| overlaps(x, y)))
                .count(),
            other_overlapped: sb
                .iter()
                .filter(|y| sa.iter().any(|x| overlaps(x, y)))
                .count(),
        };
        r.boundary_only += sa
            .iter()
            .filter(|x| !sb.contains(x) && sb.iter().any(|y| overlaps(x, y)))
            .count();
        r.per_label.entry(label.clone()).or_default().add(&c);
        total.add(&c);
    }
    for (sa, la) in a {
        for (sb, lb) in b {
            if sa == sb && la != lb {
                *r.confusion.entry((la.clone(), lb.clone())).or_default() += 1;
            }
        }
    }
    r.spans.add(&total);
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cs(a: usize, b: usize) -> CharSpan {
        CharSpan::new(a, b).unwrap()
    }

    fn layer(who: &str, spans: &[(usize, usize, &str)]) -> Layer {
        Layer {
            annotator: who.into(),
            spans: spans
                .iter()
                .map(|&(a, b, l)| (cs(a, b), l.to_string()))
                .collect(),
        }
    }

    /// Ten one-char tokens 0..10.
    fn doc(id: &str, layers: Vec<Layer>) -> DocLayers {
        DocLayers {
            id: id.into(),
            tokens: (0..10).map(|i| cs(i, i + 1)).collect(),
            layers,
        }
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn identical_layers_agree_completely() {
        let spans = [(0, 2, "PER"), (5, 6, "LOC")];
        let mut ag = Agreement::new(&names(&["ana", "ben"]));
        ag.add(&doc("d", vec![layer("ana", &spans), layer("ben", &spans)]));
        let r = ag.report();
        let p = &r.pairs[0];
        assert_eq!(p.spans.exact_prf(), (1.0, 1.0, 1.0));
        assert_eq!(p.cohen_kappa, 1.0);
        assert_eq!(r.fleiss_kappa, Some(1.0));
        assert_eq!(r.krippendorff_alpha, Some(1.0));
        assert_eq!(p.boundary_only, 0);
    }

    #[test]
    fn span_figures_count_exact_overlap_confusion_and_boundaries() {
        let mut ag = Agreement::new(&names(&["ana", "ben"]));
        ag.add(&doc(
            "d",
            vec![
                layer("ana", &[(0, 2, "PER"), (3, 5, "ORG"), (7, 8, "LOC")]),
                layer("ben", &[(0, 2, "PER"), (3, 4, "ORG"), (7, 8, "MISC")]),
            ],
        ));
        let p = &ag.report().pairs[0];
        // One exact match of three on each side.
        let (pr, rc, f) = p.spans.exact_prf();
        assert!((pr - 1.0 / 3.0).abs() < 1e-12 && (rc - 1.0 / 3.0).abs() < 1e-12);
        assert!((f - 1.0 / 3.0).abs() < 1e-12);
        // Overlapping with the same label: PER and ORG.
        let (po, ro, _) = p.spans.overlap_prf();
        assert!((po - 2.0 / 3.0).abs() < 1e-12 && (ro - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(p.boundary_only, 1, "ORG 3–5 against 3–4");
        assert_eq!(p.confusion[&("LOC".into(), "MISC".into())], 1);
        assert_eq!(p.per_label["PER"].exact, 1);
    }

    /// Cohen's κ by hand: ana says PER on tokens 0–1, ben on tokens 0–2; 10 tokens.
    /// po = 9/10; pe = (2/10·3/10) + (8/10·7/10) = 0.62; κ = (0.9 − 0.62) / 0.38.
    #[test]
    fn cohen_kappa_matches_the_hand_computation() {
        let mut ag = Agreement::new(&names(&["ana", "ben"]));
        ag.add(&doc(
            "d",
            vec![
                layer("ana", &[(0, 2, "PER")]),
                layer("ben", &[(0, 3, "PER")]),
            ],
        ));
        let r = ag.report();
        assert!((r.pairs[0].cohen_kappa - 0.28 / 0.38).abs() < 1e-12);
        // Two raters, no missing values: Krippendorff's α = 1 − (n − 1)·D_o/D_e with n = 20
        // values: PER 5, O 15; o(PER,O) = o(O,PER) = 1; α = 1 − 19·2 / (2·5·15).
        let alpha = r.krippendorff_alpha.unwrap();
        assert!(
            (alpha - (1.0 - 19.0 * 2.0 / 150.0)).abs() < 1e-12,
            "{alpha}"
        );
    }

    /// Fleiss' κ by hand for three raters on ten tokens: token 0 split 2–1, the rest all O.
    #[test]
    fn fleiss_kappa_matches_the_hand_computation() {
        let mut ag = Agreement::new(&names(&["a", "b", "c"]));
        ag.add(&doc(
            "d",
            vec![
                layer("a", &[(0, 1, "PER")]),
                layer("b", &[(0, 1, "PER")]),
                layer("c", &[]),
            ],
        ));
        let r = ag.report();
        // P_i = (Σ n² − n)/(n(n−1)): token 0 (4+1−3)/6 = 1/3, others 1. P̄ = (1/3 + 9)/10.
        // p(PER) = 2/30, p(O) = 28/30; Pe = p(PER)² + p(O)².
        let p_bar = (1.0 / 3.0 + 9.0) / 10.0;
        let pe = (2.0f64 / 30.0).powi(2) + (28.0f64 / 30.0).powi(2);
        assert!((r.fleiss_kappa.unwrap() - (p_bar - pe) / (1.0 - pe)).abs() < 1e-12);
        assert_eq!(r.pairs.len(), 3);
    }

    #[test]
    fn documents_come_worst_first_and_missing_layers_are_skipped() {
        let mut ag = Agreement::new(&names(&["ana", "ben", "chen"]));
        ag.add(&doc(
            "good",
            vec![
                layer("ana", &[(0, 1, "PER")]),
                layer("ben", &[(0, 1, "PER")]),
            ],
        ));
        ag.add(&doc(
            "bad",
            vec![
                layer("ana", &[(0, 1, "PER")]),
                layer("chen", &[(4, 5, "LOC")]),
            ],
        ));
        ag.add(&doc("alone", vec![layer("ben", &[(0, 1, "PER")])]));
        let r = ag.report();
        let ids: Vec<&str> = r.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            ["bad", "good"],
            "a document one person annotated has no agreement"
        );
        assert_eq!(r.pairs[0].documents, 1, "ana–ben share one document");
        assert_eq!(r.fleiss_kappa, None, "no document has all three");
        assert!(r.krippendorff_alpha.is_some());
    }

    #[test]
    fn nothing_on_either_side_is_agreement() {
        let mut ag = Agreement::new(&names(&["ana", "ben"]));
        ag.add(&doc("d", vec![layer("ana", &[]), layer("ben", &[])]));
        let r = ag.report();
        assert_eq!(r.pairs[0].spans.exact_prf(), (1.0, 1.0, 1.0));
        assert_eq!(r.pairs[0].cohen_kappa, 1.0);
        assert_eq!(r.krippendorff_alpha, Some(1.0));
    }
}
