//! Tokenizer for news text. Tokens are returned as char spans (end-exclusive).
//!
//! Invariants (checked by property tests): tokens are sorted, never overlap, never contain
//! whitespace at their edges, and together cover every non-whitespace char of the text.
//!
//! What stays one token: words with inner hyphens (`no-holds-barred`, `early-February`), ISO dates
//! (`2022-12-30`), numbers with separators (`1,250.5`), dotted abbreviations and initials (`U.S.`,
//! `J.`), common title/month abbreviations with their dot (`Mr.`, `Dec.`), inner apostrophes
//! (`O'Brien`, `Shi'ite`). What is split: the possessive `’s`/`'s` is its own token, quotes and
//! other punctuation are single tokens (a run of dots is one), a run of CJK ideographs and kana is
//! cut into words where the script changes and, for Han, by a dictionary (`cjk.rs`), so a name
//! such as 汪文斌 is one token and 外交部发言人 two. Combining marks, variation selectors, emoji
//! modifiers and zero-width joiners stay with the char before them, a flag (two regional indicators) is one token, and as a last guard
//! touching tokens are joined wherever their edge would split an extended grapheme cluster: a
//! token edge never falls inside a user-perceived character.

use super::offsets::{CharIdx, CharSpan};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (possibly with digits, hyphens, apostrophes, abbreviation dots).
    Word,
    /// Starts with a digit: numbers, dates, `3rd`, `5%` is Number + Punct.
    Number,
    /// Punctuation and everything else (symbols, emoji).
    Punct,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub span: CharSpan,
    pub kind: TokenKind,
}

/// Abbreviations that keep their final dot (compared case-sensitively, without the dot).
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Sen", "Rep", "Gov", "Gen", "Col", "Lt", "Sgt", "Capt", "Adm",
    "Maj", "Cpl", "Rev", "St", "Jr", "Sr", "Inc", "Corp", "Ltd", "Co", "Bros", "Jan", "Feb", "Mar",
    "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "No", "vs", "etc", "Mt", "Ft",
    "Ave", "approx", "Dept", "Univ", "Gov't",
];

/// Combining marks, joiners, variation selectors and emoji modifiers: never start a token edge.
pub fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0670 | 0x06D6..=0x06DC | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0E31 | 0x0E34..=0x0E3A
        | 0x0E47..=0x0E4E | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200C | 0x200D | 0x20D0..=0x20FF
        | 0x302A..=0x302F | 0x3099 | 0x309A | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F
        | 0x1F3FB..=0x1F3FF | 0xE0020..=0xE007F | 0xE0100..=0xE01EF)
}

/// Ideographs and kana: each is a token of its own (these scripts do not use spaces).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn is_wordish(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn is_hyphen(c: char) -> bool {
    c == '-' || c == '‐' || c == '‑'
}

/// Tokenize `text`; see the module doc for the rules.
pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    tokenize_chars(&chars)
}

/// Same as [`tokenize`] on an already decoded char slice.
pub fn tokenize_chars(chars: &[char]) -> Vec<Token> {
    let n = chars.len();
    let at = |i: usize| chars.get(i).copied();
    let mut out = Vec::with_capacity(n / 5 + 1);
    let mut i = 0;
    while i < n {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let mut start = i;
        let kind;
        if is_wordish(c) {
            kind = if c.is_numeric() {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            let mut j = word_run(chars, i);
            loop {
                let next = at(j);
                let after = at(j + 1);
                match (next, after) {
                    // Inner hyphen: no-holds-barred, 2022-12-30, early-February.
                    (Some(h), Some(a)) if is_hyphen(h) && is_wordish(a) => {
                        j = word_run(chars, j + 1)
                    }
                    // Digit separators: 1,250.50 (only between digits).
                    (Some(s), Some(a))
                        if (s == ',' || s == '.')
                            && a.is_ascii_digit()
                            && chars[j - 1].is_ascii_digit() =>
                    {
                        j = word_run(chars, j + 1)
                    }
                    // Inner apostrophe, but not the possessive 's.
                    (Some(q), Some(a)) if is_apostrophe(q) && is_wordish(a) => {
                        let possessive =
                            (a == 's' || a == 'S') && !at(j + 2).is_some_and(is_wordish);
                        if possessive {
                            break;
                        }
                        j = word_run(chars, j + 1);
                    }
                    _ => break,
                }
            }
            // Dots that belong to the word: U.S., e.g., J., Mr., Dec.
            if at(j) == Some('.') {
                let word: String = chars[start..j].iter().collect();
                let single_letter = j - start == 1 && c.is_alphabetic();
                if single_letter {
                    j += 1;
                    // U.S. / U.N. / e.g.: letter-dot pairs.
                    while at(j).is_some_and(|c| c.is_alphabetic())
                        && !at(j + 1).is_some_and(is_wordish)
                        && at(j + 1) == Some('.')
                    {
                        j += 2;
                    }
                } else if ABBREVIATIONS.contains(&word.as_str()) {
                    j += 1;
                }
            }
            i = j;
        } else if is_apostrophe(c)
            && matches!(at(i + 1), Some('s' | 'S'))
            && !at(i + 2).is_some_and(is_wordish)
            && i > 0
            && (is_wordish(chars[i - 1]) || is_cjk(chars[i - 1]))
        {
            kind = TokenKind::Word;
            i += 2;
        } else if c == '.' {
            kind = TokenKind::Punct;
            while at(i) == Some('.') {
                i += 1;
            }
        } else if is_hyphen(c) {
            kind = TokenKind::Punct;
            while at(i).is_some_and(is_hyphen) {
                i += 1;
            }
        } else if is_cjk(c) {
            kind = TokenKind::Word;
            while at(i).is_some_and(is_cjk) {
                i = absorb_marks(chars, i + 1);
            }
            // No spaces between words: the run is cut by a dictionary (see `cjk.rs`); every
            // word but the last is pushed here, the last below like any token.
            let run = start;
            let ends = super::cjk::word_ends(&chars[run..i]);
            for &e in ends.iter().take(ends.len().saturating_sub(1)) {
                let end = i.min(run + e);
                out.push(Token {
                    span: CharSpan {
                        start: CharIdx(start),
                        end: CharIdx(end),
                    },
                    kind,
                });
                start = end;
            }
        } else {
            kind = TokenKind::Punct;
            i += 1;
            // A flag is a pair of regional indicators.
            if is_regional_indicator(c) && at(i).is_some_and(is_regional_indicator) {
                i += 1;
            }
        }
        i = absorb_marks(chars, i);
        out.push(Token {
            span: CharSpan {
                start: CharIdx(start),
                end: CharIdx(i),
            },
            kind,
        });
    }
    join_split_graphemes(chars, out)
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

/// Join touching tokens whose common edge is inside an extended grapheme cluster (UAX #29). The
/// rules above already keep marks, joiners and flags whole; this catches what they do not know.
fn join_split_graphemes(chars: &[char], tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    for t in tokens {
        match out.last_mut() {
            Some(prev) if prev.span.end == t.span.start && splits_cluster(chars, prev, &t) => {
                prev.span.end = t.span.end;
            }
            _ => out.push(t),
        }
    }
    out
}

/// True when the edge between two touching tokens is not a grapheme cluster boundary. Only the
/// two tokens are segmented (the first starts on a boundary, as every token does), and only where
/// a non-ASCII char meets the edge: ASCII pairs always break (but CR LF, which is whitespace).
fn splits_cluster(chars: &[char], a: &Token, b: &Token) -> bool {
    let edge = b.span.start.0;
    if chars[edge - 1].is_ascii() && chars[edge].is_ascii() {
        return false;
    }
    let both: String = chars[a.span.start.0..b.span.end.0].iter().collect();
    let at: usize = chars[a.span.start.0..edge]
        .iter()
        .map(|c| c.len_utf8())
        .sum();
    let mut cursor = unicode_segmentation::GraphemeCursor::new(at, both.len(), true);
    !matches!(cursor.is_boundary(&both, 0), Ok(true))
}

/// End of a run of word chars (with their marks) starting at `i`.
fn word_run(chars: &[char], mut i: usize) -> usize {
    while let Some(&c) = chars.get(i) {
        if is_wordish(c) {
            i += 1;
        } else if is_mark(c) {
            i = absorb_marks(chars, i);
        } else {
            break;
        }
    }
    i
}

/// Skip marks after position `i`; a zero-width joiner also takes the char after it (emoji
/// sequences like 👩‍🔬).
fn absorb_marks(chars: &[char], mut i: usize) -> usize {
    while let Some(&c) = chars.get(i) {
        if !is_mark(c) {
            break;
        }
        i += 1;
        if c == '\u{200D}' && chars.get(i).is_some_and(|c| !c.is_whitespace()) {
            i += 1;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::offsets::slice;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text)
            .into_iter()
            .map(|t| slice(text, t.span).unwrap())
            .collect()
    }

    #[test]
    fn news_tokens() {
        assert_eq!(
            words("“The U.S. side,” Xi said on Dec. 30, 2022-12-30 in early-February."),
            vec![
                "“",
                "The",
                "U.S.",
                "side",
                ",",
                "”",
                "Xi",
                "said",
                "on",
                "Dec.",
                "30",
                ",",
                "2022-12-30",
                "in",
                "early-February",
                "."
            ]
        );
    }

    #[test]
    fn possessives_and_apostrophes() {
        assert_eq!(words("Russia’s war"), vec!["Russia", "’s", "war"]);
        assert_eq!(words("CCTV's report"), vec!["CCTV", "'s", "report"]);
        assert_eq!(
            words("O'Brien and Shi'ite"),
            vec!["O'Brien", "and", "Shi'ite"]
        );
        assert_eq!(
            words("countries’ sovereignty"),
            vec!["countries", "’", "sovereignty"]
        );
    }

    #[test]
    fn numbers_and_punctuation() {
        assert_eq!(
            words("$1,250.50 (5%)"),
            vec!["$", "1,250.50", "(", "5", "%", ")"]
        );
        assert_eq!(
            words("wait... no -- yes…"),
            vec!["wait", "...", "no", "--", "yes", "…"]
        );
        assert_eq!(
            words("Sino-Russian no-holds-barred"),
            vec!["Sino-Russian", "no-holds-barred"]
        );
        assert_eq!(words("J. Smith"), vec!["J.", "Smith"]);
        assert_eq!(words("the end."), vec!["the", "end", "."]);
    }

    #[test]
    fn cjk_emoji_marks() {
        assert_eq!(words("习近平说"), vec!["习近平", "说"]);
        assert_eq!(
            words("met 汪文斌, in 東京."),
            vec!["met", "汪文斌", ",", "in", "東京", "."]
        );
        assert_eq!(words("talks 🇨🇳🇷🇺!"), vec!["talks", "🇨🇳", "🇷🇺", "!"]);
        // A family (ZWJ sequence), a keycap and a tag-sequence flag stay whole.
        assert_eq!(
            words("👨‍👩‍👧 1️⃣ 🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}"),
            vec![
                "👨‍👩‍👧",
                "1️⃣",
                "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}"
            ]
        );
        assert_eq!(
            words("cafe\u{301} 👩‍🔬 ok👍🏽"),
            vec!["cafe\u{301}", "👩‍🔬", "ok", "👍🏽"]
        );
        assert_eq!(words("a\r\nb"), vec!["a", "b"]);
    }
}
