//! Giving documents to annotators (`tagwright assign`): every document to `overlap` different
//! people, balanced and reproducible.
//!
//! Invariants: each document gets exactly `overlap` distinct annotators; any two annotators'
//! numbers of documents differ by at most one (when the documents already assigned, which are
//! kept, were themselves balanced); the same inputs and seed give the same result. Among people with equally few
//! documents, the one who shares the fewest documents with those already chosen for this one is
//! taken, so every pair of people overlaps on some documents (pairwise agreement needs that);
//! the rest of a tie goes to a generator seeded with `seed` and the document's position.

/// Why an assignment cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssignError {
    #[error("no annotators were given")]
    NoAnnotators,
    #[error("the annotator {0:?} is listed twice")]
    Duplicate(String),
    #[error("an overlap of {overlap} needs at least {overlap} annotators, but {given} were given")]
    Overlap { overlap: usize, given: usize },
}

/// splitmix64: a small deterministic generator for tie-breaks.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// For `docs` documents, the annotators (indices into `names`) of each, `overlap` per document.
/// `kept[i]`, when not empty, is document i's existing assignment (indices), kept as it is.
pub fn assign(
    names: &[String],
    docs: usize,
    overlap: usize,
    seed: u64,
    kept: &[Vec<usize>],
) -> Result<Vec<Vec<usize>>, AssignError> {
    let n = names.len();
    if n == 0 {
        return Err(AssignError::NoAnnotators);
    }
    for (i, a) in names.iter().enumerate() {
        if names[..i].contains(a) {
            return Err(AssignError::Duplicate(a.clone()));
        }
    }
    if overlap == 0 || overlap > n {
        return Err(AssignError::Overlap { overlap, given: n });
    }
    let mut load = vec![0usize; n];
    let mut pairs = vec![0usize; n * n];
    let note = |chosen: &[usize], load: &mut [usize], pairs: &mut [usize]| {
        for (k, &a) in chosen.iter().enumerate() {
            load[a] += 1;
            for &b in &chosen[..k] {
                pairs[a * n + b] += 1;
                pairs[b * n + a] += 1;
            }
        }
    };
    let kept_of = |i: usize| kept.get(i).filter(|k| !k.is_empty());
    for i in 0..docs {
        if let Some(k) = kept_of(i) {
            note(k, &mut load, &mut pairs);
        }
    }
    let mut out = Vec::with_capacity(docs);
    for i in 0..docs {
        if let Some(k) = kept_of(i) {
            out.push(k.clone());
            continue;
        }
        let mut chosen: Vec<usize> = Vec::with_capacity(overlap);
        while chosen.len() < overlap {
            let best = (0..n).filter(|a| !chosen.contains(a)).min_by_key(|&a| {
                let shared: usize = chosen.iter().map(|&b| pairs[a * n + b]).sum();
                (load[a], shared, mix(seed ^ mix(i as u64) ^ a as u64))
            });
            match best {
                Some(a) => chosen.push(a),
                None => break,
            }
        }
        chosen.sort_unstable();
        note(&chosen, &mut load, &mut pairs);
        out.push(chosen);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("a{i}")).collect()
    }

    #[test]
    fn balanced_distinct_and_every_pair_meets() {
        for (n, k, docs) in [
            (3, 2, 100),
            (4, 2, 101),
            (5, 3, 57),
            (10, 2, 1000),
            (2, 2, 7),
        ] {
            let out = assign(&names(n), docs, k, 7, &[]).unwrap();
            let mut load = vec![0; n];
            let mut pairs = vec![0; n * n];
            for d in &out {
                assert_eq!(d.len(), k);
                let mut s = d.clone();
                s.dedup();
                assert_eq!(s.len(), k, "distinct annotators per document");
                for (x, &a) in d.iter().enumerate() {
                    load[a] += 1;
                    for &b in &d[..x] {
                        pairs[a * n + b] += 1;
                    }
                }
            }
            let (lo, hi) = (load.iter().min().unwrap(), load.iter().max().unwrap());
            assert!(hi - lo <= 1, "{n} annotators, overlap {k}: loads {load:?}");
            if docs * k * (k - 1) / 2 >= n * (n - 1) / 2 {
                for a in 0..n {
                    for b in 0..a {
                        assert!(pairs[a * n + b] > 0, "{n}/{k}: a{a} and a{b} never meet");
                    }
                }
            }
        }
    }

    #[test]
    fn reproducible_and_kept() {
        let a = assign(&names(4), 50, 2, 1, &[]).unwrap();
        assert_eq!(a, assign(&names(4), 50, 2, 1, &[]).unwrap());
        assert_ne!(
            a,
            assign(&names(4), 50, 2, 2, &[]).unwrap(),
            "the seed matters"
        );
        // New documents after 50 assigned ones: the old are kept, loads stay balanced.
        let mut kept = a.clone();
        kept.extend(vec![Vec::new(); 11]);
        let b = assign(&names(4), 61, 2, 1, &kept).unwrap();
        assert_eq!(&b[..50], &a[..]);
        let mut load = [0; 4];
        b.iter().flatten().for_each(|&x| load[x] += 1);
        assert!(load.iter().max().unwrap() - load.iter().min().unwrap() <= 1);
    }

    #[test]
    fn refuses_what_cannot_be_done() {
        assert_eq!(assign(&[], 3, 1, 0, &[]), Err(AssignError::NoAnnotators));
        assert!(matches!(
            assign(&names(2), 3, 3, 0, &[]),
            Err(AssignError::Overlap { .. })
        ));
        assert!(matches!(
            assign(&names(2), 3, 0, 0, &[]),
            Err(AssignError::Overlap { .. })
        ));
        let dup = vec!["ana".to_string(), "ana".to_string()];
        assert!(matches!(
            assign(&dup, 3, 1, 0, &[]),
            Err(AssignError::Duplicate(_))
        ));
    }
}
