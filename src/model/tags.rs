//! Tag schemes: the conversion between entity spans and per-token tags (BIO and friends).
//!
//! Units: spans here are token index ranges `(start, end, label)`, end-exclusive, over one
//! sentence's tokens (not char offsets: the caller maps tokens to text). Schemes read: IOB1 (`I-`
//! opens an entity, `B-` only between touching entities of one type), IOB2 (`B-` opens every
//! entity) and BILOU/BIOES (`U-`/`S-` single, `L-`/`E-` last); reading is lenient, so any tag
//! sequence gives well-formed spans. Written: IOB1, IOB2, BILOU. Pure: no files (the CoNLL
//! reader and writer are in `store::formats::conll`), used by both `store` and `extract`.

/// One sentence of tokens with one tag per token (in any scheme [`tags_to_spans`] reads), e.g. as
/// read from a CoNLL file: the neutral form in which the tagger is trained and scored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaggedSentence {
    pub tokens: Vec<String>,
    pub tags: Vec<String>,
}

/// `(prefix, label)` of a tag; `O` gives `('O', "")`.
pub fn parse_tag(tag: &str) -> Option<(char, &str)> {
    if tag == "O" {
        return Some(('O', ""));
    }
    let (p, l) = tag.split_once('-')?;
    let p = match p {
        "B" | "I" | "L" | "U" | "E" | "S" => p.chars().next()?,
        _ => return None,
    };
    (!l.is_empty()).then_some((p, l))
}

/// Entity spans `(start, end, label)` of a tag sequence in any of the schemes (IOB1, IOB2,
/// BILOU, BIOES). Ill-formed sequences are read leniently: an `I-X` after something else opens a
/// new entity.
pub fn tags_to_spans<S: AsRef<str>>(tags: &[S]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    let close =
        |open: &mut Option<(usize, String)>, end: usize, out: &mut Vec<(usize, usize, String)>| {
            if let Some((s, l)) = open.take() {
                out.push((s, end, l));
            }
        };
    for (i, t) in tags.iter().enumerate() {
        let Some((p, l)) = parse_tag(t.as_ref()) else {
            close(&mut open, i, &mut out);
            continue;
        };
        match p {
            'O' => close(&mut open, i, &mut out),
            'B' => {
                close(&mut open, i, &mut out);
                open = Some((i, l.to_string()));
            }
            'I' => {
                if open.as_ref().is_none_or(|(_, ol)| ol != l) {
                    close(&mut open, i, &mut out);
                    open = Some((i, l.to_string()));
                }
            }
            'L' | 'E' => {
                if open.as_ref().is_none_or(|(_, ol)| ol != l) {
                    close(&mut open, i, &mut out);
                    open = Some((i, l.to_string()));
                }
                close(&mut open, i + 1, &mut out);
            }
            _ => {
                // U / S
                close(&mut open, i, &mut out);
                out.push((i, i + 1, l.to_string()));
            }
        }
    }
    close(&mut open, tags.len(), &mut out);
    out
}

/// Tag schemes for writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Iob1,
    Iob2,
    Bilou,
}

/// Tags for `n` tokens with the given non-overlapping, sorted spans.
pub fn spans_to_tags(n: usize, spans: &[(usize, usize, String)], scheme: Scheme) -> Vec<String> {
    let mut tags = vec!["O".to_string(); n];
    let mut prev: Option<&(usize, usize, String)> = None;
    for sp in spans {
        let (s, e, l) = (sp.0, sp.1.min(n), &sp.2);
        if s >= e {
            continue;
        }
        for (k, tag) in tags.iter_mut().enumerate().take(e).skip(s) {
            let p = match scheme {
                Scheme::Iob2 => {
                    if k == s {
                        "B"
                    } else {
                        "I"
                    }
                }
                Scheme::Iob1 => {
                    let touches = prev.is_some_and(|p| p.1 == s && p.2 == *l);
                    if k == s && touches {
                        "B"
                    } else {
                        "I"
                    }
                }
                Scheme::Bilou => match (k == s, k + 1 == e) {
                    (true, true) => "U",
                    (true, false) => "B",
                    (false, true) => "L",
                    (false, false) => "I",
                },
            };
            *tag = format!("{p}-{l}");
        }
        prev = Some(sp);
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(v: &[(usize, usize, &str)]) -> Vec<(usize, usize, String)> {
        v.iter().map(|(a, b, l)| (*a, *b, l.to_string())).collect()
    }

    #[test]
    fn schemes_round_trip() {
        let spans = sp(&[(0, 2, "PER"), (2, 3, "PER"), (4, 5, "LOC"), (5, 8, "ORG")]);
        for scheme in [Scheme::Iob1, Scheme::Iob2, Scheme::Bilou] {
            let tags = spans_to_tags(9, &spans, scheme);
            assert_eq!(tags_to_spans(&tags), spans, "{scheme:?}: {tags:?}");
        }
        assert_eq!(
            spans_to_tags(4, &sp(&[(0, 2, "PER"), (2, 3, "PER")]), Scheme::Iob1),
            vec!["I-PER", "I-PER", "B-PER", "O"]
        );
        assert_eq!(
            spans_to_tags(3, &sp(&[(0, 2, "PER"), (2, 3, "LOC")]), Scheme::Bilou),
            vec!["B-PER", "L-PER", "U-LOC"]
        );
        // BIOES reads too.
        assert_eq!(
            tags_to_spans(&["S-LOC", "B-ORG", "E-ORG", "O"]),
            sp(&[(0, 1, "LOC"), (1, 3, "ORG")])
        );
    }
}
