//! Gazetteers: lists of names from `assets/gazetteers/`, matched on token boundaries with
//! Aho–Corasick.
//!
//! Matching is case-sensitive, with one exception: in an all-capitals word (news datelines and
//! headlines: `BEIJING (Reuters)`) an entry of four or more letters also matches its upper-case form.
//! Where matches overlap, the longest wins (`Washington Post` over `Washington`).

use super::{Analysis, Recognizer};
use crate::model::Suggestion;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::HashSet;

/// First parts of compound adjectives (`Sino-Russian`, `Anglo-French`).
const COMBINING_FORMS: &[&str] = &[
    "Sino", "Anglo", "Franco", "Russo", "Indo", "Afro", "Euro", "Austro", "Greco", "Judeo",
    "Italo", "Germano", "Hispano", "Luso", "Turko", "Irano", "Arabo", "Pan", "Serbo", "Polono",
    "Nippo",
];

/// One list file: its entries, and the label and score they produce.
#[derive(Clone, Debug)]
pub struct GazetteerList {
    pub name: &'static str,
    pub label: &'static str,
    pub score: f32,
    pub entries: Vec<String>,
}

/// Parse a list file: one entry a line; blank lines and lines starting with `#` are skipped.
pub fn parse_list(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// The lists shipped in `assets/gazetteers/` (compiled into the binary).
pub struct Gazetteers {
    pub countries: Vec<String>,
    pub cities: Vec<String>,
    pub nationalities: Vec<String>,
    pub organizations: Vec<String>,
    pub people: Vec<String>,
    pub surnames: Vec<String>,
    pub first_names: Vec<String>,
    pub titles: Vec<String>,
}

impl Gazetteers {
    pub fn builtin() -> Gazetteers {
        let g = |s: &str| parse_list(s);
        Gazetteers {
            countries: g(include_str!("../../assets/gazetteers/countries.txt")),
            cities: g(include_str!("../../assets/gazetteers/cities.txt")),
            nationalities: g(include_str!("../../assets/gazetteers/nationalities.txt")),
            organizations: g(include_str!("../../assets/gazetteers/organizations.txt")),
            people: g(include_str!("../../assets/gazetteers/people.txt")),
            surnames: g(include_str!("../../assets/gazetteers/surnames.txt")),
            first_names: g(include_str!("../../assets/gazetteers/first_names.txt")),
            titles: g(include_str!("../../assets/gazetteers/titles.txt")),
        }
    }

    /// The lists that produce suggestions directly, with their label and score.
    pub fn entity_lists(&self) -> Vec<GazetteerList> {
        let l = |name, label, score, entries: &Vec<String>| GazetteerList {
            name,
            label,
            score,
            entries: entries.clone(),
        };
        vec![
            l("people", "PER", 0.95, &self.people),
            l("countries", "LOC", 0.9, &self.countries),
            l("organizations", "ORG", 0.85, &self.organizations),
            l("cities", "LOC", 0.85, &self.cities),
            l("nationalities", "MISC", 0.85, &self.nationalities),
            l("surnames", "PER", 0.75, &self.surnames),
        ]
    }
}

struct Entry {
    label: &'static str,
    score: f32,
    text: String,
}

/// A recognizer over several lists.
pub struct Gazetteer {
    automaton: Option<AhoCorasick>,
    entries: Vec<Entry>,
    /// Entries labelled MISC (nationalities), for hyphenated compounds.
    misc: HashSet<String>,
}

impl Gazetteer {
    /// Build from lists; an entry in several lists keeps the first list's label.
    pub fn new(lists: &[GazetteerList]) -> Gazetteer {
        let mut seen = HashSet::new();
        let mut entries = Vec::new();
        for list in lists {
            for e in &list.entries {
                if seen.insert(e.clone()) {
                    entries.push(Entry {
                        label: list.label,
                        score: list.score,
                        text: e.clone(),
                    });
                }
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(entries.iter().map(|e| e.text.as_str()))
            .ok();
        let misc = entries
            .iter()
            .filter(|e| e.label == "MISC")
            .map(|e| e.text.clone())
            .collect();
        Gazetteer {
            automaton,
            entries,
            misc,
        }
    }

    pub fn builtin() -> Gazetteer {
        Gazetteer::new(&Gazetteers::builtin().entity_lists())
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn letters(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphabetic()).count()
}

impl Recognizer for Gazetteer {
    fn name(&self) -> &str {
        "gazetteer"
    }

    /// Below the tagger: the tagger sees list membership as a feature and weighs it in context
    /// ("Jordan" the player, "Karlsruhe" the club), so where it decided otherwise it wins; the
    /// lists fill in only where the tagger found nothing (`examples/pipeline_check.rs`).
    fn priority(&self) -> u8 {
        1
    }

    fn recognize(&self, a: &Analysis) -> Vec<Suggestion> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let mut found: Vec<Suggestion> = Vec::new();
        for m in ac.find_overlapping_iter(a.text) {
            let Some(entry) = self.entries.get(m.pattern().as_usize()) else {
                continue;
            };
            let matched = &a.text[m.start()..m.end()];
            let exact = matched == entry.text;
            let shouted = !exact
                && letters(matched) >= 4
                && matched.chars().all(|c| !c.is_lowercase())
                && matched.to_uppercase() == entry.text.to_uppercase();
            if !exact && !shouted {
                continue;
            }
            let Some(span) = a.char_span(m.start()..m.end()) else {
                continue;
            };
            if !a.is_token_aligned(span) {
                continue;
            }
            found.push(Suggestion {
                span,
                label: entry.label.to_string(),
                score: entry.score,
                source: "gazetteer".to_string(),
            });
        }
        found.extend(self.compounds(a));
        longest_non_overlapping(found)
    }
}

impl Gazetteer {
    /// Hyphenated compounds of nationalities: `Sino-Russian`, `US-Chinese`, `Franco-German`.
    fn compounds(&self, a: &Analysis) -> Vec<Suggestion> {
        let mut out = Vec::new();
        for (i, t) in a.tokens.iter().enumerate() {
            let w = a.token_text(i);
            let parts: Vec<&str> = w.split('-').collect();
            if parts.len() < 2 {
                continue;
            }
            let (last, first) = parts.split_last().unwrap_or((&"", &[]));
            if self.misc.contains(*last)
                && first
                    .iter()
                    .all(|p| COMBINING_FORMS.contains(p) || self.misc.contains(*p))
            {
                out.push(Suggestion {
                    span: t.span,
                    label: "MISC".to_string(),
                    score: 0.85,
                    source: "gazetteer".to_string(),
                });
            }
        }
        out
    }
}

/// Keep the longest of overlapping candidates (earlier start breaks ties).
pub fn longest_non_overlapping(mut v: Vec<Suggestion>) -> Vec<Suggestion> {
    v.sort_by(|a, b| {
        b.span
            .len()
            .cmp(&a.span.len())
            .then(a.span.start.cmp(&b.span.start))
    });
    let mut taken = super::Disjoint::default();
    let mut kept: Vec<Suggestion> = Vec::new();
    for s in v {
        if taken.insert(s.span) {
            kept.push(s);
        }
    }
    kept.sort_by_key(|s| s.span);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(name: &'static str, label: &'static str, e: &[&str]) -> GazetteerList {
        GazetteerList {
            name,
            label,
            score: 0.9,
            entries: e.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn token_boundaries_case_and_longest() {
        let g = Gazetteer::new(&[
            list("c", "LOC", &["Washington", "Paris", "Russia"]),
            list("o", "ORG", &["Washington Post", "EU"]),
        ]);
        let text = "BEIJING? No: PARIS, Parisian, Russia’s Washington Post, EUROPE, Eu";
        let a = Analysis::new(text);
        let got: Vec<(String, String)> = g
            .recognize(&a)
            .into_iter()
            .map(|s| (a.span_text(s.span), s.label))
            .collect();
        assert_eq!(
            got,
            vec![
                ("PARIS".to_string(), "LOC".to_string()),
                ("Russia".into(), "LOC".into()),
                ("Washington Post".into(), "ORG".into())
            ]
        );
    }

    #[test]
    fn builtin_lists_load() {
        let g = Gazetteers::builtin();
        for (name, l) in [
            ("countries", &g.countries),
            ("cities", &g.cities),
            ("nationalities", &g.nationalities),
            ("organizations", &g.organizations),
            ("people", &g.people),
            ("surnames", &g.surnames),
            ("first_names", &g.first_names),
            ("titles", &g.titles),
        ] {
            assert!(l.len() > 20, "{name} has only {} entries", l.len());
            assert!(l.iter().all(|e| !e.starts_with('#')), "{name}");
        }
    }
}
