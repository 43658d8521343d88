//! Token features for the tagger, computed from raw token text only (never POS or chunk columns).
//!
//! Each feature is a 64-bit hash of (template, value); the model keeps only hashes seen in
//! training. Templates: word, lower-case word, shape and short shape, prefixes and suffixes (1–4),
//! the neighbouring words (±1, ±2) and shapes (±1), word bigrams, sentence position, an all-caps
//! line flag (headlines), gazetteer hits (list × B/I/L/U position, and lists hit by the
//! neighbours), Brown-cluster path prefixes of the word and its neighbours (see [`cluster`]), and
//! document consistency (the same word capitalised or lower-case elsewhere in the document).

use super::model::IdMap;
use crate::extract::gazetteer::Gazetteers;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over a template id and one or two strings.
pub fn fhash(template: u8, a: &str, b: &str) -> u64 {
    let mut h = FNV_OFFSET ^ (template as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for &x in a.as_bytes() {
        h = (h ^ x as u64).wrapping_mul(FNV_PRIME);
    }
    h = (h ^ 0xff).wrapping_mul(FNV_PRIME);
    for &x in b.as_bytes() {
        h = (h ^ x as u64).wrapping_mul(FNV_PRIME);
    }
    // 0 marks an empty slot in the model's table.
    h | 1
}

/// Same as `fhash(template, a, parts.concat())`, without building the string.
pub fn fhash_parts(template: u8, a: &str, parts: &[&str]) -> u64 {
    let mut h = FNV_OFFSET ^ (template as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for &x in a.as_bytes() {
        h = (h ^ x as u64).wrapping_mul(FNV_PRIME);
    }
    h = (h ^ 0xff).wrapping_mul(FNV_PRIME);
    for p in parts {
        for &x in p.as_bytes() {
            h = (h ^ x as u64).wrapping_mul(FNV_PRIME);
        }
    }
    h | 1
}

/// Mixes a template id and a number into a feature hash (for features that are numbers).
pub fn nhash(template: u8, x: u64) -> u64 {
    let h = FNV_OFFSET ^ (template as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let h = (h ^ x).wrapping_mul(0xff51_afd7_ed55_8ccd);
    (h ^ (h >> 29)) | 1
}

/// Brown clusters of 190,129 English words (spaCy's `en_lexeme_cluster` table, MIT licence; see
/// `assets/clusters/`): sorted 12-byte records of the word's `fhash(40, word, "")` and its
/// cluster, whose low k bits are the first k bits of the word's path in the cluster tree.
static BROWN: &[u8] = include_bytes!("../../../assets/clusters/brown.bin");
const BROWN_RECORD: usize = 12;

/// The Brown cluster table as a hash map, built on first use (a few milliseconds).
fn brown() -> &'static IdMap<u32> {
    static MAP: std::sync::OnceLock<IdMap<u32>> = std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        BROWN
            .chunks_exact(BROWN_RECORD)
            .map(|r| {
                let k = u64::from_le_bytes(r[..8].try_into().unwrap_or([0; 8]));
                (k, u32::from_le_bytes(r[8..].try_into().unwrap_or([0; 4])))
            })
            .collect()
    })
}

/// The Brown cluster of a word, trying it as written and then in lower case.
pub fn cluster(word: &str) -> Option<u32> {
    cluster_of(word, &word.to_lowercase())
}

fn cluster_of(word: &str, lower: &str) -> Option<u32> {
    let map = brown();
    map.get(&fhash(40, word, ""))
        .or_else(|| {
            (lower != word)
                .then(|| map.get(&fhash(40, lower, "")))
                .flatten()
        })
        .copied()
}

/// The first `bits` bits of a cluster path, tagged with their length.
fn path_prefix(c: u32, bits: u32) -> u64 {
    ((bits as u64) << 32) | (c & ((1u32 << bits) - 1)) as u64
}

/// Long shape: X for upper, x for lower, d for digit, others as is; at most 8 chars.
#[cfg(test)]
fn shape(w: &str) -> String {
    let mut out = String::new();
    push_shape(&mut out, w);
    out
}

fn push_shape(out: &mut String, w: &str) {
    out.extend(shape_chars(w).take(8));
}

/// Short shape of the whole word: runs of the same class collapsed (`Xxxxx` → `Xx`,
/// `U.S.` → `X.X.`, `2022-12-30` → `d-d-d`).
#[cfg(test)]
fn short_shape(w: &str) -> String {
    let mut out = String::new();
    push_short_shape(&mut out, w);
    out
}

fn push_short_shape(out: &mut String, w: &str) {
    let mut last = None;
    for c in shape_chars(w) {
        if last != Some(c) {
            out.push(c);
            last = Some(c);
        }
    }
}

fn push_lower(out: &mut String, w: &str) {
    if w.is_ascii() {
        out.extend(w.bytes().map(|b| b.to_ascii_lowercase() as char));
    } else {
        out.push_str(&w.to_lowercase());
    }
}

/// One string per token of a sentence, in one buffer (one allocation, not one per token).
#[derive(Default)]
struct Words {
    buf: String,
    ends: Vec<usize>,
}

impl Words {
    fn new<'a>(toks: &[&'a str], mut f: impl FnMut(&mut String, &'a str)) -> Words {
        let mut out = Words {
            buf: String::with_capacity(toks.len() * 8),
            ends: Vec::with_capacity(toks.len()),
        };
        for t in toks {
            f(&mut out.buf, t);
            out.ends.push(out.buf.len());
        }
        out
    }

    fn len(&self) -> usize {
        self.ends.len()
    }
}

impl std::ops::Index<usize> for Words {
    type Output = str;
    fn index(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.buf[start..self.ends[i]]
    }
}

fn shape_chars(w: &str) -> impl Iterator<Item = char> + '_ {
    w.chars().map(|c| {
        if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        }
    })
}

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Gazetteer lists as token sequences, for n-gram look-up.
pub struct GazIndex {
    /// Hash of the exact token sequence → bit mask of lists.
    exact: IdMap<u16>,
    /// Hash of the upper-cased sequence → mask, for all-caps lines.
    upper: IdMap<u16>,
    max_len: usize,
}

/// Incremental hash of a token sequence: `seq_hash(seq_hash(h, a), b)` hashes "a b".
fn seq_hash(h: u64, tok: &str) -> u64 {
    let mut h = (h ^ 0x20).wrapping_mul(FNV_PRIME);
    for &x in tok.as_bytes() {
        h = (h ^ x as u64).wrapping_mul(FNV_PRIME);
    }
    h
}

pub const GAZ_LISTS: [&str; 8] = [
    "countries",
    "cities",
    "nationalities",
    "organizations",
    "people",
    "surnames",
    "first_names",
    "titles",
];

impl GazIndex {
    pub fn new(g: &Gazetteers) -> GazIndex {
        let lists: [&Vec<String>; 8] = [
            &g.countries,
            &g.cities,
            &g.nationalities,
            &g.organizations,
            &g.people,
            &g.surnames,
            &g.first_names,
            &g.titles,
        ];
        let mut exact: IdMap<u16> = IdMap::default();
        let mut upper: IdMap<u16> = IdMap::default();
        let mut max_len = 1;
        for (k, list) in lists.iter().enumerate() {
            for e in list.iter() {
                let toks: Vec<String> = crate::text::tokenize(e)
                    .iter()
                    .filter_map(|t| crate::text::offsets::slice(e, t.span).map(str::to_string))
                    .collect();
                if toks.is_empty() {
                    continue;
                }
                max_len = max_len.max(toks.len());
                let key = toks.iter().fold(FNV_OFFSET, |h, t| seq_hash(h, t));
                let up = toks
                    .iter()
                    .fold(FNV_OFFSET, |h, t| seq_hash(h, &t.to_uppercase()));
                *upper.entry(up).or_default() |= 1 << k;
                *exact.entry(key).or_default() |= 1 << k;
            }
        }
        GazIndex {
            exact,
            upper,
            max_len: max_len.min(6),
        }
    }

    /// For each token, the lists whose entries cover it, with the position (0 B, 1 I, 2 L, 3 U),
    /// as `(list, position)` pairs; and per token the mask of single-token matches.
    fn hits(&self, toks: &[&str], caps_line: bool) -> (Vec<Vec<(u8, u8)>>, Vec<u16>) {
        let n = toks.len();
        let mut out = vec![Vec::new(); n];
        let mut single = vec![0u16; n];
        let upper_toks: Vec<String> = if caps_line {
            toks.iter().map(|t| t.to_uppercase()).collect()
        } else {
            Vec::new()
        };
        for i in 0..n {
            let (mut key, mut up) = (FNV_OFFSET, FNV_OFFSET);
            for len in 1..=self.max_len.min(n - i) {
                key = seq_hash(key, toks[i + len - 1]);
                let mut mask = self.exact.get(&key).copied().unwrap_or(0);
                if caps_line {
                    up = seq_hash(up, &upper_toks[i + len - 1]);
                    mask |= self.upper.get(&up).copied().unwrap_or(0);
                }
                if mask == 0 {
                    continue;
                }
                if len == 1 {
                    single[i] |= mask;
                }
                for list in 0..GAZ_LISTS.len() as u8 {
                    if mask & (1 << list) == 0 {
                        continue;
                    }
                    for (k, slot) in out.iter_mut().enumerate().skip(i).take(len) {
                        let pos = match (k == i, k + 1 == i + len) {
                            (true, true) => 3,
                            (true, false) => 0,
                            (false, true) => 2,
                            _ => 1,
                        };
                        slot.push((list, pos));
                    }
                }
            }
        }
        (out, single)
    }
}

/// What the features know about the whole document (words kept as hashes of their lower case).
#[derive(Default)]
pub struct DocContext {
    /// Words seen capitalised, not at the start of a sentence.
    cap_inside: IdMap<()>,
    /// Words seen entirely in lower case.
    lower: IdMap<()>,
}

fn word_key(lower: &str) -> u64 {
    fhash(99, lower, "")
}

/// `word_key` of a word's lower case, without building the string for ASCII words.
pub fn lower_key(w: &str) -> u64 {
    if !w.is_ascii() {
        return word_key(&w.to_lowercase());
    }
    let mut h = FNV_OFFSET ^ 99u64.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for &x in w.as_bytes() {
        h = (h ^ x.to_ascii_lowercase() as u64).wrapping_mul(FNV_PRIME);
    }
    (h ^ 0xff).wrapping_mul(FNV_PRIME) | 1
}

impl DocContext {
    pub fn new<S: AsRef<str>>(sentences: &[Vec<S>]) -> DocContext {
        let mut c = DocContext::default();
        for s in sentences {
            let caps = is_caps_line(s);
            for (i, w) in s.iter().enumerate() {
                let w = w.as_ref();
                let has_upper = w.chars().any(char::is_uppercase);
                if i > 0 && is_cap(w) && !caps {
                    c.cap_inside.insert(lower_key(w), ());
                }
                if !has_upper && w.chars().any(char::is_lowercase) {
                    c.lower.insert(word_key(w), ());
                }
            }
        }
        c
    }
}

/// True for headline-like lines: every letter upper case (and at least three letters).
pub fn is_caps_line<S: AsRef<str>>(toks: &[S]) -> bool {
    let mut letters = 0;
    for t in toks {
        for c in t.as_ref().chars() {
            if c.is_lowercase() {
                return false;
            }
            if c.is_alphabetic() {
                letters += 1;
            }
        }
    }
    letters >= 3
}

/// Computes features for sentences.
pub struct Featurizer {
    gaz: GazIndex,
}

impl Featurizer {
    pub fn new(g: &Gazetteers) -> Featurizer {
        Featurizer {
            gaz: GazIndex::new(g),
        }
    }

    pub fn builtin() -> Featurizer {
        Featurizer::new(&Gazetteers::builtin())
    }

    /// Features of every token of a sentence: the returned `[i]` holds token i's feature hashes.
    /// `out` is a buffer kept between sentences: it only grows, so a token's list keeps its
    /// capacity for the next sentence (regrowing them push by push showed in profiles).
    pub fn sentence<'o>(
        &self,
        toks: &[&str],
        doc: &DocContext,
        out: &'o mut Vec<Vec<u64>>,
    ) -> &'o [Vec<u64>] {
        let n = toks.len();
        if out.len() < n {
            out.resize_with(n, || Vec::with_capacity(64));
        }
        let caps = is_caps_line(toks);
        let lower = Words::new(toks, push_lower);
        let shapes = Words::new(toks, push_shape);
        let short = Words::new(toks, push_short_shape);
        let (gaz, single) = self.gaz.hits(toks, caps);
        let clusters: Vec<Option<u32>> = toks
            .iter()
            .enumerate()
            .map(|(i, w)| cluster_of(w, &lower[i]))
            .collect();
        fn at(v: &Words, i: isize) -> &str {
            if i < 0 {
                "<s>"
            } else if i as usize >= v.len() {
                "</s>"
            } else {
                &v[i as usize]
            }
        }
        for i in 0..n {
            let f = &mut out[i];
            f.clear();
            let ii = i as isize;
            let w = toks[i];
            let lw = &lower[i];
            f.push(fhash(0, "", ""));
            f.push(fhash(1, w, ""));
            f.push(fhash(2, lw, ""));
            f.push(fhash(3, &shapes[i], ""));
            f.push(fhash(4, &short[i], ""));
            // Prefixes and suffixes of 1–4 chars, as byte slices on char boundaries.
            let nchars = lw.chars().count();
            let mut ends = lw.char_indices().map(|(b, _)| b).skip(1).chain([lw.len()]);
            let mut starts = lw.char_indices().rev().map(|(b, _)| b);
            for k in 1..=4.min(nchars) {
                if let (Some(e), Some(b)) = (ends.next(), starts.next()) {
                    f.push(fhash(5 + k as u8, &lw[..e], ""));
                    f.push(fhash(10 + k as u8, &lw[b..], ""));
                }
            }
            f.push(fhash(15, at(&lower, ii - 1), ""));
            f.push(fhash(16, at(&lower, ii + 1), ""));
            f.push(fhash(17, at(&lower, ii - 2), ""));
            f.push(fhash(18, at(&lower, ii + 2), ""));
            f.push(fhash(19, at(&short, ii - 1), ""));
            f.push(fhash(20, at(&short, ii + 1), ""));
            f.push(fhash(21, at(&lower, ii - 1), lw));
            f.push(fhash(22, lw, at(&lower, ii + 1)));
            f.push(fhash_parts(
                23,
                at(&short, ii - 1),
                &[&short[i], "|", at(&short, ii + 1)],
            ));
            f.push(fhash(24, at(&lower, ii - 1), &short[i]));
            f.push(fhash(25, &short[i], at(&lower, ii + 1)));
            if i == 0 {
                f.push(fhash(26, &short[i], ""));
            }
            if let Some(c) = clusters[i] {
                for bits in [4, 6, 10, 20] {
                    f.push(nhash(41, path_prefix(c, bits)));
                }
            }
            for (d, t) in [(-1isize, 42u8), (1, 43)] {
                let j = ii + d;
                if let Some(Some(c)) = (j >= 0).then(|| clusters.get(j as usize)).flatten() {
                    for bits in [6, 10] {
                        f.push(nhash(t, path_prefix(*c, bits)));
                    }
                }
            }
            if caps {
                f.push(fhash(27, "", ""));
                f.push(fhash(28, lw, ""));
            }
            for (list, pos) in &gaz[i] {
                f.push(fhash(
                    29,
                    GAZ_LISTS[*list as usize],
                    ["0", "1", "2", "3"][*pos as usize & 3],
                ));
            }
            for (d, t) in [(-1isize, 30u8), (1, 31)] {
                let j = ii + d;
                if j >= 0 && (j as usize) < n {
                    let m = single[j as usize];
                    for (k, name) in GAZ_LISTS.iter().enumerate() {
                        if m & (1 << k) != 0 {
                            f.push(fhash(t, name, ""));
                        }
                    }
                }
            }
            if is_cap(w) {
                let key = word_key(lw);
                if doc.cap_inside.contains_key(&key) {
                    f.push(fhash(32, "cap-elsewhere", &short[i]));
                }
                if doc.lower.contains_key(&key) {
                    f.push(fhash(32, "lower-elsewhere", &short[i]));
                }
            }
        }
        &out[..n]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_hashes() {
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(short_shape("Jinping"), "Xx");
        assert_eq!(short_shape("2022-12-30"), "d-d-d");
        assert_ne!(fhash(1, "ab", ""), fhash(1, "a", "b"));
        assert_ne!(fhash(1, "a", ""), fhash(2, "a", ""));
        assert_eq!(fhash_parts(3, "a", &["b", "|", "c"]), fhash(3, "a", "b|c"));
        for w in ["Beijing", "U.S.", "ÉCOLE", "İstanbul", ""] {
            assert_eq!(lower_key(w), word_key(&w.to_lowercase()), "{w}");
        }
    }

    #[test]
    fn brown_clusters_group_words_of_a_kind() {
        let (de, uk) = (cluster("Germany").unwrap(), cluster("London").unwrap());
        assert_eq!(
            path_prefix(de, 6),
            path_prefix(uk, 6),
            "places share a path"
        );
        assert_ne!(path_prefix(de, 20), path_prefix(uk, 20));
        assert_eq!(
            cluster("GERMANY"),
            cluster("germany"),
            "falls back to lower case"
        );
        assert_eq!(cluster("Qzxvbnmw"), None);
        let monday = cluster("Monday").unwrap();
        assert_ne!(path_prefix(monday, 6), path_prefix(de, 6));
    }

    #[test]
    fn features_see_gazetteers_caps_lines_and_the_document() {
        let f = Featurizer::builtin();
        let s1 = vec!["BEIJING", "1996-08-22"];
        let s2 = vec!["Xi", "Jinping", "met", "Putin", "in", "Beijing", "."];
        let doc = DocContext::new(&[s1.clone(), s2.clone()]);
        let mut out = Vec::new();
        f.sentence(&s1, &doc, &mut out);
        assert!(out[0].contains(&fhash(27, "", "")), "caps line");
        assert!(
            out[0].contains(&fhash(29, "cities", "3")),
            "BEIJING matches Beijing on a caps line"
        );
        f.sentence(&s2, &doc, &mut out);
        assert!(out[0].contains(&fhash(29, "people", "0")));
        assert!(out[1].contains(&fhash(29, "people", "2")));
        assert!(out[5].contains(&fhash(32, "cap-elsewhere", "Xx")));
        assert!(out[2].len() < out[0].len() + 10);
    }
}
