//! The tagger's weights and their file format.
//!
//! File layout (little-endian): magic `TAGWRIGHT-MODEL\0` (16 bytes), `u32` format version,
//! `u32` header length and a UTF-8 header (`labels=PER,ORG,..;temperature=..;scale=..;features=N`),
//! then `f32` transition weights (`T×T`, start `T`, end `T`), `N` feature keys (`u64`, sorted),
//! `N×T` quantised weights (`i16`, times `scale`), and a `u64` checksum of everything before it.
//! `T = 1 + 4 × labels` (O, then B/I/L/U per label). Loading checks magic, version, sizes and
//! checksum, and never panics on a corrupt, truncated or foreign file.
//!
//! Only bytes here: reading and writing model files is `store`'s (`store::save_model`,
//! `store::read_model`); the path given to [`Model::from_bytes`] only names the file in messages.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 16] = b"TAGWRIGHT-MODEL\0";
pub const MODEL_VERSION: u32 = 1;

/// Feature keys are already hashes: use them as they are.
#[derive(Default, Clone, Copy)]
pub struct IdentityHasher(u64);
impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | *b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}
pub type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("{} is not a Tagwright model (wrong magic bytes)", path.display())]
    Foreign { path: PathBuf },
    #[error("{} is a model of format version {found}; this Tagwright reads version {MODEL_VERSION}", path.display())]
    Version { path: PathBuf, found: u32 },
    #[error("{} is truncated or corrupt ({what}); train or download it again", path.display())]
    Corrupt { path: PathBuf, what: String },
}

/// A trained model: label set, transition weights, feature weights.
#[derive(Clone, Debug)]
pub struct Model {
    pub labels: Vec<String>,
    /// Softmax temperature for confidences, chosen on held-out data.
    pub temperature: f32,
    pub trans: Vec<f32>,
    pub start: Vec<f32>,
    pub end: Vec<f32>,
    /// Feature hash → row in `weights`.
    pub index: IdMap<u32>,
    pub keys: Vec<u64>,
    /// `keys.len() × n_tags`, times `scale`.
    pub weights: Vec<i16>,
    pub scale: f32,
    /// The second-pass model (document consistency, see `docpass`): the same features plus the
    /// document features, for the sentences where those fire. `None`: one pass.
    pub second: Option<Box<Model>>,
}

/// Word-wise checksum (FNV-style over 8-byte words): detects corruption, fast to compute.
pub fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w))
            .wrapping_mul(0x0000_0100_0000_01b3)
            .rotate_left(29);
    }
    for &b in chunks.remainder() {
        h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn f32s(&mut self, n: usize) -> Option<Vec<f32>> {
        let s = self.take(n.checked_mul(4)?)?;
        Some(
            s.chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        )
    }
}

impl Model {
    pub fn n_tags(&self) -> usize {
        1 + 4 * self.labels.len()
    }

    pub fn n_features(&self) -> usize {
        self.keys.len()
    }

    /// This model over `labels` (its own and more, in any order): a class it knows keeps its
    /// weights and transitions, a new one starts at zero (the decoder's constraints keep its tag
    /// sequences valid), a class it knows that is not in `labels` is dropped.
    pub fn with_labels(&self, labels: &[String]) -> Model {
        let (t_old, t_new) = (self.n_tags(), 1 + 4 * labels.len());
        let old: Vec<Option<usize>> = labels
            .iter()
            .map(|l| self.labels.iter().position(|x| x == l))
            .collect();
        let from: Vec<Option<usize>> = (0..t_new)
            .map(|t| match tags::split(t) {
                None => Some(0),
                Some((l, pos)) => old[l].map(|o| tags::tag(o, pos)),
            })
            .collect();
        let pick = |src: &[f32], i: Option<usize>| i.map_or(0.0, |i| src[i]);
        let mut trans = vec![0.0; t_new * t_new];
        for (i, fi) in from.iter().enumerate() {
            for (j, fj) in from.iter().enumerate() {
                if let (Some(a), Some(b)) = (fi, fj) {
                    trans[i * t_new + j] = self.trans[a * t_old + b];
                }
            }
        }
        let mut weights = vec![0i16; self.keys.len() * t_new];
        for r in 0..self.keys.len() {
            for (j, fj) in from.iter().enumerate() {
                if let Some(o) = fj {
                    weights[r * t_new + j] = self.weights[r * t_old + o];
                }
            }
        }
        Model {
            labels: labels.to_vec(),
            temperature: self.temperature,
            trans,
            start: from.iter().map(|&i| pick(&self.start, i)).collect(),
            end: from.iter().map(|&i| pick(&self.end, i)).collect(),
            index: self.index.clone(),
            keys: self.keys.clone(),
            weights,
            scale: self.scale,
            second: self
                .second
                .as_ref()
                .map(|m| Box::new(m.with_labels(labels))),
        }
    }

    /// Serialize to bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(16 + self.keys.len() * (8 + 2 * self.n_tags()) + 1024);
        b.extend_from_slice(MAGIC);
        b.extend_from_slice(&MODEL_VERSION.to_le_bytes());
        let mut header = format!(
            "labels={};temperature={};scale={};features={}",
            self.labels.join(","),
            self.temperature,
            self.scale,
            self.keys.len()
        );
        let second = self.second.as_ref().map(|m| m.to_bytes());
        if let Some(b) = &second {
            header.push_str(&format!(";second={}", b.len()));
        }
        b.extend_from_slice(&(header.len() as u32).to_le_bytes());
        b.extend_from_slice(header.as_bytes());
        for v in self.trans.iter().chain(&self.start).chain(&self.end) {
            b.extend_from_slice(&v.to_le_bytes());
        }
        for k in &self.keys {
            b.extend_from_slice(&k.to_le_bytes());
        }
        for w in &self.weights {
            b.extend_from_slice(&w.to_le_bytes());
        }
        // The second-pass model, as a whole model file of its own.
        if let Some(s) = &second {
            b.extend_from_slice(s);
        }
        let c = checksum(&b);
        b.extend_from_slice(&c.to_le_bytes());
        b
    }

    /// Parse a model file's bytes (`path` only for messages).
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Model, ModelError> {
        Model::parse(bytes, path, true)
    }

    /// `from_bytes`; a second pass may not have one of its own, and is refused before it is
    /// parsed (a file nesting thousands would otherwise recurse as deep).
    fn parse(bytes: &[u8], path: &Path, may_have_second: bool) -> Result<Model, ModelError> {
        let corrupt = |what: &str| ModelError::Corrupt {
            path: path.to_path_buf(),
            what: what.to_string(),
        };
        if bytes.len() < 16 || &bytes[..16] != MAGIC {
            return Err(ModelError::Foreign {
                path: path.to_path_buf(),
            });
        }
        let mut r = Reader { b: bytes, at: 16 };
        let version = r.u32().ok_or_else(|| corrupt("no version"))?;
        if version != MODEL_VERSION {
            return Err(ModelError::Version {
                path: path.to_path_buf(),
                found: version,
            });
        }
        if bytes.len() < 8 + 24 {
            return Err(corrupt("too short"));
        }
        let body = &bytes[..bytes.len() - 8];
        let mut c = [0u8; 8];
        c.copy_from_slice(&bytes[bytes.len() - 8..]);
        if checksum(body) != u64::from_le_bytes(c) {
            return Err(corrupt("checksum mismatch"));
        }
        let hlen = r.u32().ok_or_else(|| corrupt("no header"))? as usize;
        let header = r
            .take(hlen)
            .and_then(|h| std::str::from_utf8(h).ok())
            .ok_or_else(|| corrupt("bad header"))?;
        let field = |name: &str| {
            header
                .split(';')
                .find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
                .ok_or_else(|| corrupt(&format!("no {name} in header")))
        };
        let labels: Vec<String> = field("labels")?
            .split(',')
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        let temperature: f32 = field("temperature")?
            .parse()
            .map_err(|_| corrupt("bad temperature"))?;
        let scale: f32 = field("scale")?.parse().map_err(|_| corrupt("bad scale"))?;
        let n: usize = field("features")?
            .parse()
            .map_err(|_| corrupt("bad feature count"))?;
        if labels.is_empty()
            || labels.len() > 64
            || temperature.is_nan()
            || temperature <= 0.0
            || !scale.is_finite()
        {
            return Err(corrupt("bad header values"));
        }
        let t = 1 + 4 * labels.len();
        let trans = r
            .f32s(t * t)
            .ok_or_else(|| corrupt("transitions cut short"))?;
        let start = r
            .f32s(t)
            .ok_or_else(|| corrupt("start weights cut short"))?;
        let end = r.f32s(t).ok_or_else(|| corrupt("end weights cut short"))?;
        // Files without a second pass have no `second` field (every file before it came).
        let second_len: usize = match header.split(';').find_map(|kv| kv.strip_prefix("second=")) {
            Some(_) if !may_have_second => {
                return Err(corrupt("a second pass inside a second pass"))
            }
            Some(v) => v.parse().map_err(|_| corrupt("bad second-pass size"))?,
            None => 0,
        };
        let expect = n
            .checked_mul(8 + 2 * t)
            .and_then(|x| x.checked_add(second_len))
            .ok_or_else(|| corrupt("feature count too large"))?;
        if body.len().saturating_sub(r.at) != expect {
            return Err(corrupt("size does not match the feature count"));
        }
        let kb = r.take(n * 8).ok_or_else(|| corrupt("keys cut short"))?;
        let keys: Vec<u64> = kb
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect();
        let wb = r
            .take(n * t * 2)
            .ok_or_else(|| corrupt("weights cut short"))?;
        let weights: Vec<i16> = wb
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect();
        let mut index = IdMap::with_capacity_and_hasher(n, Default::default());
        for (i, k) in keys.iter().enumerate() {
            index.insert(*k, i as u32);
        }
        let second = match second_len {
            0 => None,
            len => {
                let b = r
                    .take(len)
                    .ok_or_else(|| corrupt("second pass cut short"))?;
                let m = Model::parse(b, path, false)?;
                if m.labels != labels {
                    return Err(corrupt("second pass does not match"));
                }
                Some(Box::new(m))
            }
        };
        Ok(Model {
            labels,
            temperature,
            trans,
            start,
            end,
            index,
            keys,
            weights,
            scale,
            second,
        })
    }

    /// Emission scores (`n × T`) of a sentence's features.
    pub fn emissions(&self, feats: &[Vec<u64>], out: &mut Vec<f32>) {
        out.clear();
        out.resize(feats.len() * self.n_tags(), 0.0);
        self.add_emissions(feats, out);
    }

    /// Adds the emission scores of `feats` (one list per token) to `out` (`n × T`).
    pub fn add_emissions(&self, feats: &[Vec<u64>], out: &mut [f32]) {
        let t = self.n_tags();
        let mut acc = vec![0i32; t];
        for (i, fs) in feats.iter().enumerate() {
            acc.iter_mut().for_each(|a| *a = 0);
            for f in fs {
                if let Some(&row) = self.index.get(f) {
                    let w = &self.weights[row as usize * t..row as usize * t + t];
                    for (a, x) in acc.iter_mut().zip(w) {
                        *a += *x as i32;
                    }
                }
            }
            for (o, a) in out[i * t..i * t + t].iter_mut().zip(&acc) {
                *o += *a as f32 * self.scale;
            }
        }
    }
}

/// Tag index helpers for BILOU over `n` labels: 0 = O, then B, I, L, U per label.
pub mod tags {
    pub const B: usize = 0;
    pub const I: usize = 1;
    pub const L: usize = 2;
    pub const U: usize = 3;

    pub fn tag(label: usize, pos: usize) -> usize {
        1 + 4 * label + pos
    }
    /// `(label, pos)` of a tag, `None` for O.
    pub fn split(t: usize) -> Option<(usize, usize)> {
        (t > 0).then(|| ((t - 1) / 4, (t - 1) % 4))
    }
    /// BILOU constraint: may `next` follow `prev`?
    pub fn allowed(prev: Option<usize>, next: Option<usize>) -> bool {
        let inside = |t: usize| matches!(split(t), Some((_, p)) if p == B || p == I);
        match (prev, next) {
            (None, None) => true,
            (None, Some(n)) => !matches!(split(n), Some((_, p)) if p == I || p == L),
            (Some(p), None) => !inside(p),
            (Some(p), Some(n)) => {
                if inside(p) {
                    matches!((split(p), split(n)), (Some((lp, _)), Some((ln, pn))) if lp == ln && (pn == I || pn == L))
                } else {
                    !matches!(split(n), Some((_, pn)) if pn == I || pn == L)
                }
            }
        }
    }
    /// Entity spans `(start, end, label)` of a well-formed BILOU tag sequence.
    pub fn spans(tags: &[usize]) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        let mut open: Option<(usize, usize)> = None;
        for (i, &t) in tags.iter().enumerate() {
            match split(t) {
                None => open = None,
                Some((l, U)) => {
                    open = None;
                    out.push((i, i + 1, l));
                }
                Some((l, B)) => open = Some((i, l)),
                Some((l, L)) => {
                    if let Some((s, ol)) = open.take() {
                        if ol == l {
                            out.push((s, i + 1, l));
                        }
                    }
                }
                Some(_) => {}
            }
        }
        out
    }
}

/// Best tag sequence under BILOU constraints (Viterbi). `emis` is `n × T`.
pub fn viterbi(m: &Model, emis: &[f32], n: usize) -> Vec<usize> {
    let t = m.n_tags();
    if n == 0 {
        return Vec::new();
    }
    let neg = f32::NEG_INFINITY;
    let pairs = allowed_pairs(t);
    let mut score = vec![neg; n * t];
    let mut back = vec![0u8; n * t];
    for j in 0..t {
        if tags::allowed(None, Some(j)) {
            score[j] = m.start[j] + emis[j];
        }
    }
    let mut best = vec![neg; t];
    let mut arg = vec![0u8; t];
    for i in 1..n {
        let (done, cur) = score.split_at_mut(i * t);
        let prev = &done[(i - 1) * t..];
        best.fill(neg);
        // Only the allowed transitions (97 of 289 with four labels), in the order of `k`, so
        // ties go to the smallest previous tag.
        for &(k, j) in pairs.iter() {
            let v = prev[k as usize] + m.trans[k as usize * t + j as usize];
            if v > best[j as usize] {
                best[j as usize] = v;
                arg[j as usize] = k as u8;
            }
        }
        for j in 0..t {
            if best[j] > neg {
                cur[j] = best[j] + emis[i * t + j];
                back[i * t + j] = arg[j];
            }
        }
    }
    let mut top = neg;
    let mut last = 0;
    for j in 0..t {
        let s = score[(n - 1) * t + j];
        if s > neg && tags::allowed(Some(j), None) && s + m.end[j] > top {
            top = s + m.end[j];
            last = j;
        }
    }
    let mut path = vec![0; n];
    path[n - 1] = last;
    for i in (1..n).rev() {
        path[i - 1] = back[i * t + path[i]] as usize;
    }
    path
}

type Pairs = std::rc::Rc<[(u16, u16)]>;

/// The allowed tag transitions `(from, to)` for `t` tags, ordered by `from`; computed once per
/// tag count and thread.
fn allowed_pairs(t: usize) -> Pairs {
    use std::cell::RefCell;
    thread_local! {
        static CACHE: RefCell<Vec<(usize, Pairs)>> = const { RefCell::new(Vec::new()) };
    }
    CACHE.with(|c| {
        if let Some((_, p)) = c.borrow().iter().find(|(n, _)| *n == t) {
            return p.clone();
        }
        let pairs: Pairs = (0..t * t)
            .filter(|x| tags::allowed(Some(x / t), Some(x % t)))
            .map(|x| ((x / t) as u16, (x % t) as u16))
            .collect();
        c.borrow_mut().push((t, pairs.clone()));
        pairs
    })
}

/// Per-token tag marginals (`n × T`) of the CRF-like distribution `exp(score / temperature)`.
///
/// Scaled forward–backward in probability space: the exponentials are taken once per sentence
/// (transitions) and once per token and tag (emissions), and every step is renormalised, so the
/// cost is `n × T²` multiply-adds rather than `n × T²` exponentials. `f32` is enough: the
/// renormalisation keeps every value in range, and a confidence is shown to two digits.
pub fn marginals(m: &Model, emis: &[f32], n: usize, temperature: f32) -> Vec<f32> {
    let t = m.n_tags();
    if n == 0 {
        return Vec::new();
    }
    let k = 1.0 / temperature;
    let pairs = allowed_pairs(t);
    let tmax = m.trans.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    // Weights of the allowed transitions, in the order of `pairs` (the others are 0).
    let a: Vec<f32> = pairs
        .iter()
        .map(|&(p, q)| (k * (m.trans[p as usize * t + q as usize] - tmax)).exp())
        .collect();
    let edge = |w: &[f32], allowed: &dyn Fn(usize) -> bool| -> Vec<f32> {
        let mx = w.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
        (0..t)
            .map(|j| {
                if allowed(j) {
                    (k * (w[j] - mx)).exp()
                } else {
                    0.0
                }
            })
            .collect()
    };
    let start = edge(&m.start, &|j| tags::allowed(None, Some(j)));
    let end = edge(&m.end, &|j| tags::allowed(Some(j), None));
    let e: Vec<f32> = (0..n)
        .flat_map(|i| {
            let row = &emis[i * t..i * t + t];
            let mx = row.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
            row.iter().map(move |x| (k * (*x - mx)).exp())
        })
        .collect();
    let normalize = |v: &mut [f32]| {
        let s: f32 = v.iter().sum();
        if s > 0.0 && s.is_finite() {
            v.iter_mut().for_each(|x| *x /= s);
        }
    };
    let mut alpha = vec![0f32; n * t];
    let mut beta = vec![0f32; n * t];
    for j in 0..t {
        alpha[j] = start[j] * e[j];
    }
    normalize(&mut alpha[..t]);
    for i in 1..n {
        let (prev, cur) = alpha.split_at_mut(i * t);
        let prev = &prev[(i - 1) * t..];
        let cur = &mut cur[..t];
        cur.fill(0.0);
        for (&(p, q), w) in pairs.iter().zip(&a) {
            cur[q as usize] += prev[p as usize] * w;
        }
        for (c, x) in cur.iter_mut().zip(&e[i * t..i * t + t]) {
            *c *= x;
        }
        normalize(cur);
    }
    beta[(n - 1) * t..].copy_from_slice(&end);
    normalize(&mut beta[(n - 1) * t..]);
    for i in (0..n - 1).rev() {
        let (cur, next) = beta.split_at_mut((i + 1) * t);
        let next = &next[..t];
        let en = &e[(i + 1) * t..(i + 2) * t];
        let cur = &mut cur[i * t..i * t + t];
        cur.fill(0.0);
        for (&(p, q), w) in pairs.iter().zip(&a) {
            cur[p as usize] += w * en[q as usize] * next[q as usize];
        }
        normalize(cur);
    }
    let mut out = vec![0f32; n * t];
    for i in 0..n {
        let z: f32 = (0..t).map(|j| alpha[i * t + j] * beta[i * t + j]).sum();
        for j in 0..t {
            out[i * t + j] = if z > 0.0 {
                alpha[i * t + j] * beta[i * t + j] / z
            } else {
                0.0
            };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::tags::*;
    use super::*;

    pub fn tiny() -> Model {
        let labels = vec!["PER".to_string(), "LOC".to_string()];
        let t = 9;
        let mut index = IdMap::default();
        index.insert(7, 0);
        index.insert(9, 1);
        let mut weights = vec![0i16; 2 * t];
        weights[tag(0, U)] = 1000; // feature 7 → U-PER
        weights[t + tag(1, B)] = 800; // feature 9 → B-LOC
        weights[t + tag(1, U)] = 700;
        Model {
            labels,
            temperature: 1.0,
            trans: vec![0.0; t * t],
            start: vec![0.0; t],
            end: vec![0.0; t],
            index,
            keys: vec![7, 9],
            weights,
            scale: 0.01,
            second: None,
        }
    }

    #[test]
    fn bilou_constraints_and_spans() {
        assert!(allowed(None, Some(tag(0, B))));
        assert!(!allowed(None, Some(tag(0, I))));
        assert!(allowed(Some(tag(0, B)), Some(tag(0, L))));
        assert!(!allowed(Some(tag(0, B)), Some(tag(1, L))));
        assert!(!allowed(Some(tag(0, B)), None));
        assert!(!allowed(Some(0), Some(tag(1, L))));
        assert_eq!(
            spans(&[tag(0, B), tag(0, L), 0, tag(1, U)]),
            vec![(0, 2, 0), (3, 4, 1)]
        );
    }

    #[test]
    fn viterbi_respects_constraints() {
        let m = tiny();
        let mut e = Vec::new();
        // B-LOC (8.0) beats U-LOC (7.0) only when an L-LOC can follow.
        m.emissions(&[vec![7], vec![9], vec![]], &mut e);
        assert_eq!(viterbi(&m, &e, 3), vec![tag(0, U), tag(1, B), tag(1, L)]);
        let mut e2 = Vec::new();
        m.emissions(&[vec![7], vec![9]], &mut e2);
        assert_eq!(
            viterbi(&m, &e2, 2),
            vec![tag(0, U), tag(1, U)],
            "a sentence cannot end inside an entity"
        );
        let marg = marginals(&m, &e, 3, 1.0);
        for i in 0..3 {
            let s: f32 = marg[i * 9..i * 9 + 9].iter().sum();
            assert!((s - 1.0).abs() < 1e-4, "row {i} sums to {s}");
        }
        assert!(marg[tag(0, U)] > 0.9);
    }

    #[test]
    fn file_round_trip_and_corruption() {
        let m = tiny();
        let b = m.to_bytes();
        let back = Model::from_bytes(&b, Path::new("m")).unwrap();
        assert_eq!(back.keys, m.keys);
        assert_eq!(back.weights, m.weights);
        assert_eq!(back.labels, m.labels);
        let p = Path::new("m.twm");
        assert!(matches!(
            Model::from_bytes(b"hello", p),
            Err(ModelError::Foreign { .. })
        ));
        assert!(matches!(
            Model::from_bytes(&b[..b.len() - 3], p),
            Err(ModelError::Corrupt { .. })
        ));
        let mut flipped = b.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x40;
        assert_eq!(
            Model::from_bytes(&flipped, p).unwrap_err().to_string(),
            "m.twm is truncated or corrupt (checksum mismatch); train or download it again"
        );
        let mut v2 = b.clone();
        v2[16] = 2;
        assert!(matches!(
            Model::from_bytes(&v2, p),
            Err(ModelError::Version { found: 2, .. })
        ));
        for cut in 0..b.len() {
            assert!(Model::from_bytes(&b[..cut], p).is_err());
        }
    }

    #[test]
    fn a_second_pass_round_trips_and_a_one_pass_file_still_reads() {
        let mut m = tiny();
        let one_pass = m.to_bytes();
        let mut second = tiny();
        second.weights[0] = 1234;
        m.second = Some(Box::new(second));
        let b = m.to_bytes();
        let back = Model::from_bytes(&b, Path::new("m")).unwrap();
        assert_eq!(back.second.as_ref().unwrap().weights[0], 1234);
        assert_eq!(back.to_bytes(), b);
        // A file written before second passes existed has no `second` field: one pass.
        assert!(Model::from_bytes(&one_pass, Path::new("m"))
            .unwrap()
            .second
            .is_none());
        // Relabelling carries the second pass along.
        let wider = back.with_labels(&["LOC".into(), "PER".into(), "ORG".into()]);
        assert_eq!(wider.second.as_ref().unwrap().labels, wider.labels);
        for cut in (0..b.len()).step_by(7) {
            assert!(Model::from_bytes(&b[..cut], Path::new("m")).is_err());
        }
        // A second pass nested in a second pass is refused, not followed.
        let mut inner = tiny();
        inner.second = Some(Box::new(tiny()));
        let mut outer = tiny();
        outer.second = Some(Box::new(inner));
        let err = Model::from_bytes(&outer.to_bytes(), Path::new("m.twm")).unwrap_err();
        assert!(err.to_string().contains("second pass inside"), "{err}");
    }
}
