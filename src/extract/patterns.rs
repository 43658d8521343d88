//! Pattern rules for DATE, MONEY and PERCENT in the usual news forms.
//!
//! DATE: ISO dates (`2022-12-30`), weekdays (`Friday`), month names with optional day, year and an
//! `early`/`mid`/`late` prefix (`Dec. 30, 2022`, `30 December 2022`, `in February`,
//! `early-February`), years after a preposition (`in 2022`, `mid-2023`), decades (`the 1990s`) and a
//! few relative expressions (`last week`, `two years ago`). MONEY: currency symbols or codes with
//! amounts and scales (`$1.5 billion`, `US$20`, `€300 million`, `500 million yuan`). PERCENT:
//! `5%`, `3.2 percent`, `10 per cent`, `2 percentage points`.
//! Matches that do not start and end on token boundaries are dropped.

use super::{Analysis, Recognizer};
use crate::model::Suggestion;
use regex::Regex;

const MONTHS: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.)";
const NUMBER_WORDS: &str =
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few)";
const CURRENCY_WORDS: &str = r"(?:U\.S\. dollars|US dollars|dollars|euros|pounds sterling|pounds|yen|yuan|renminbi|roubles|rubles|rupees|francs|won|pesos|reais|lira|hryvnias|dinars|riyals|dirhams)";

struct Rule {
    re: Regex,
    label: &'static str,
    score: f32,
    /// Use this capture group as the span (0 = whole match).
    group: usize,
}

pub struct Patterns {
    rules: Vec<Rule>,
}

impl Default for Patterns {
    fn default() -> Self {
        Patterns::new()
    }
}

impl Patterns {
    pub fn new() -> Patterns {
        let scale = r"(?:\s?(?:million|billion|trillion|bln|mln|bn|mn|m|k)\b)?";
        let amount = r"\d+(?:,\d{3})*(?:\.\d+)?";
        let specs: Vec<(String, &'static str, f32, usize)> = vec![
            // ISO date, optionally with time.
            (r"\b\d{4}-\d{2}-\d{2}\b".into(), "DATE", 0.95, 0),
            // Month forms: [early-|mid |late ][30 ]December[ 30[th]][, 2022] | December 2022.
            (
                format!(
                    r"\b(?:(?:early|mid|late|Early|Mid|Late)[- ])?(?:\d{{1,2}} )?{MONTHS}(?:\s\d{{1,2}}(?:st|nd|rd|th)?\b)?(?:,?\s\d{{4}}\b)?"
                ),
                "DATE",
                0.9,
                0,
            ),
            (
                r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b".into(),
                "DATE",
                0.9,
                0,
            ),
            // Year after a preposition or time word; only the year (with its prefix if hyphenated).
            (
                r"\b(?:in|In|since|Since|by|until|of|from|before|after|during|early|late|mid)\s((?:19|20)\d{2})\b".into(),
                "DATE",
                0.8,
                1,
            ),
            (r"\b(?:early|mid|late)-(?:19|20)\d{2}\b".into(), "DATE", 0.85, 0),
            (r"\b(?:the\s)((?:19|20)\d0s)\b".into(), "DATE", 0.8, 1),
            (
                r"\b(?:last|next|this|Last|Next|This)\s(?:week|month|year|weekend|spring|summer|autumn|fall|winter)\b".into(),
                "DATE",
                0.7,
                0,
            ),
            (
                format!(r"\b{NUMBER_WORDS}\s(?:days?|weeks?|months?|years?|decades?)\sago\b"),
                "DATE",
                0.7,
                0,
            ),
            // Money with a symbol or code in front.
            (
                format!(r"(?:(?:\b(?:US|U\.S\.|HK|NZ|A|C|S))?\$|€|£|¥|₽|₹|\b(?:USD|EUR|GBP|JPY|CNY|RUB|CHF)\s?){amount}{scale}"),
                "MONEY",
                0.9,
                0,
            ),
            // Money with a currency word after it.
            (
                format!(r"\b{amount}(?:\s(?:million|billion|trillion))?\s{CURRENCY_WORDS}\b"),
                "MONEY",
                0.85,
                0,
            ),
            (
                format!(r"\b{amount}\s?(?:%|percent\b|per cent\b|percentage points?\b)"),
                "PERCENT",
                0.95,
                0,
            ),
        ];
        let rules = specs
            .into_iter()
            .filter_map(|(re, label, score, group)| {
                // The expressions are constants; a typo is caught by the tests, not at run time.
                Regex::new(&re).ok().map(|re| Rule {
                    re,
                    label,
                    score,
                    group,
                })
            })
            .collect();
        Patterns { rules }
    }

    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }
}

/// Words before a bare "May" that make it a month rather than the verb.
const MAY_CUES: &[&str] = &[
    "in", "In", "since", "until", "by", "of", "early", "late", "mid", "last", "next", "this",
    "from", "during",
];

impl Recognizer for Patterns {
    fn name(&self) -> &str {
        "pattern"
    }

    fn priority(&self) -> u8 {
        3
    }

    fn recognize(&self, a: &Analysis) -> Vec<Suggestion> {
        let mut out = Vec::new();
        for rule in &self.rules {
            for caps in rule.re.captures_iter(a.text) {
                let Some(m) = caps.get(rule.group) else {
                    continue;
                };
                let Some(span) = a.char_span(m.start()..m.end()) else {
                    continue;
                };
                if span.is_empty() || !a.is_token_aligned(span) {
                    continue;
                }
                if m.as_str() == "May" {
                    let prev = a
                        .token_starting_at(span.start)
                        .and_then(|i| i.checked_sub(1))
                        .map(|i| a.token_text(i));
                    if !prev.is_some_and(|p| MAY_CUES.contains(&p.as_str())) {
                        continue;
                    }
                }
                out.push(Suggestion {
                    span,
                    label: rule.label.to_string(),
                    score: rule.score,
                    source: "pattern".to_string(),
                });
            }
        }
        super::gazetteer::longest_non_overlapping(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, &'static str)> {
        let a = Analysis::new(text);
        let p = Patterns::new();
        p.recognize(&a)
            .into_iter()
            .map(|s| {
                let label = match s.label.as_str() {
                    "DATE" => "DATE",
                    "MONEY" => "MONEY",
                    _ => "PERCENT",
                };
                (a.span_text(s.span), label)
            })
            .collect()
    }

    #[test]
    fn all_rules_compile() {
        assert_eq!(Patterns::new().rule_count(), 11);
    }

    #[test]
    fn dates() {
        assert_eq!(
            found("date 2022-12-30 on Friday, in February, on Dec. 30, 2022 and an early-February call"),
            vec![
                ("2022-12-30".to_string(), "DATE"),
                ("Friday".into(), "DATE"),
                ("February".into(), "DATE"),
                ("Dec. 30, 2022".into(), "DATE"),
                ("early-February".into(), "DATE"),
            ]
        );
        assert_eq!(
            found("You May go. Since May 2021 and in May."),
            vec![("May 2021".to_string(), "DATE"), ("May".into(), "DATE")]
        );
        assert_eq!(
            found("in 2022, mid-2023, the 1990s, last week, two years ago").len(),
            5
        );
    }

    #[test]
    fn money_and_percent() {
        assert_eq!(
            found("$1.5 billion, US$20, €300 million, 500 million yuan, up 5%, 3.2 percent"),
            vec![
                ("$1.5 billion".to_string(), "MONEY"),
                ("US$20".into(), "MONEY"),
                ("€300 million".into(), "MONEY"),
                ("500 million yuan".into(), "MONEY"),
                ("5%".into(), "PERCENT"),
                ("3.2 percent".into(), "PERCENT"),
            ]
        );
    }
}
