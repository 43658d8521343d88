//! Property tests for offsets, tokens and sentences on random Unicode text (emoji, CJK, combining
//! marks, CRLF, curly quotes).

use proptest::prelude::*;
use tagwright::text::offsets::{byte_to_char, char_len, char_to_byte, slice};
use tagwright::text::{
    split_sentences, tokenize, ByteIdx, CharIdx, CharSpan, OffsetUnit, TextIndex, UnitMap,
};
use unicode_segmentation::UnicodeSegmentation;

fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::char::range('a', 'z'),
        2 => prop::char::range('A', 'Z'),
        1 => prop::char::range('0', '9'),
        3 => Just(' '),
        1 => prop::sample::select(vec![
            '\r', '\n', '\t', '.', ',', '-', '\'', '’', '“', '”', '…', '–', '$', '%', '€',
            '\u{301}', '\u{200D}', '\u{FE0F}', '\u{1F3FD}', '😀', '👩', '🔬', '中', '文', '한',
            'é', 'ß', 'Ж', '\u{0}', '\u{FEFF}', '\u{2028}', '\u{A0}', '🇨', '🇳', '\u{E0067}',
            'ᄀ', 'ᅡ', '\u{093F}', 'क',
        ]),
        // Runs of Han and kana, which the tokenizer cuts into words with a dictionary.
        2 => prop::sample::select(vec![
            '习', '近', '平', '与', '普', '京', '通', '话', '汪', '斌', '外', '交', '部', 'キ', 'シ',
            'ダ', 'は', 'の', '\u{3099}', '\u{FE00}', '\u{20000}',
        ]),
        1 => any::<char>(),
    ]
}

fn tricky_text() -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 0..160).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn char_byte_round_trip(text in tricky_text()) {
        let idx = TextIndex::new(&text);
        prop_assert_eq!(idx.char_len(), char_len(&text));
        for i in 0..=idx.char_len() {
            let b = idx.char_to_byte(&text, CharIdx(i)).expect("in range");
            prop_assert_eq!(Some(b), char_to_byte(&text, CharIdx(i)));
            prop_assert!(text.is_char_boundary(b.0));
            prop_assert_eq!(idx.byte_to_char(&text, b), Some(CharIdx(i)));
        }
        prop_assert_eq!(idx.char_to_byte(&text, CharIdx(idx.char_len() + 1)), None);
        for b in 0..=text.len() + 2 {
            let c = idx.byte_to_char(&text, ByteIdx(b));
            prop_assert_eq!(c, byte_to_char(&text, ByteIdx(b)));
            prop_assert_eq!(c.is_some(), b <= text.len() && text.is_char_boundary(b));
        }
    }

    #[test]
    fn spans_always_slice_on_char_boundaries(text in tricky_text(), a in 0usize..200, b in 0usize..200) {
        let n = char_len(&text);
        let (s, e) = (a.min(b), a.max(b));
        let span = CharSpan::new(s, e).unwrap();
        let got = slice(&text, span);
        prop_assert_eq!(got.is_some(), e <= n);
        if let Some(got) = got {
            prop_assert_eq!(got.chars().count(), e - s);
            let expect: String = text.chars().skip(s).take(e - s).collect();
            prop_assert_eq!(got, expect.as_str());
            prop_assert_eq!(TextIndex::new(&text).slice(&text, span), Some(got));
        }
    }

    #[test]
    fn tokens_cover_every_non_space_char_without_overlap(text in tricky_text()) {
        let chars: Vec<char> = text.chars().collect();
        let tokens = tokenize(&text);
        let mut covered = vec![false; chars.len()];
        let mut prev_end = 0;
        for t in &tokens {
            prop_assert!(t.span.start.0 >= prev_end, "overlap or disorder at {}", t.span);
            prop_assert!(!t.span.is_empty());
            prop_assert!(t.span.end.0 <= chars.len());
            prop_assert!(!chars[t.span.start.0].is_whitespace());
            prop_assert!(!chars[t.span.end.0 - 1].is_whitespace());
            for c in &mut covered[t.span.start.0..t.span.end.0] {
                *c = true;
            }
            prev_end = t.span.end.0;
        }
        for (i, c) in chars.iter().enumerate() {
            if !c.is_whitespace() {
                prop_assert!(covered[i], "char {} ({:?}) not in a token", i, c);
            }
        }
    }

    #[test]
    fn tokens_never_split_a_grapheme_cluster(text in tricky_text()) {
        let mut boundaries = vec![0];
        for g in text.graphemes(true) {
            boundaries.push(boundaries.last().unwrap() + g.chars().count());
        }
        // A cluster may begin with whitespace (a space + combining mark): the space is in no
        // token. What must never happen is one cluster shared by two tokens.
        let chars: Vec<char> = text.chars().collect();
        let inside = |i: usize| boundaries.binary_search(&i).is_err();
        for t in tokenize(&text) {
            let (s, e) = (t.span.start.0, t.span.end.0);
            prop_assert!(!inside(s) || chars[s - 1].is_whitespace(), "token starts inside a cluster at {}", t.span);
            prop_assert!(!inside(e) || chars[e].is_whitespace(), "token ends inside a cluster at {}", t.span);
        }
    }

    /// UTF-16 offsets agree with Rust's own UTF-16 encoding: every char boundary maps to the
    /// number of code units before it and back; offsets inside a surrogate pair map to nothing.
    #[test]
    fn utf16_units_round_trip(text in tricky_text()) {
        let m = UnitMap::new(&text, OffsetUnit::Utf16);
        let mut units = 0;
        let mut starts = std::collections::BTreeSet::new();
        for (i, c) in text.chars().enumerate() {
            prop_assert_eq!(m.to_unit(CharIdx(i)), Some(units));
            prop_assert_eq!(m.to_char(units), Some(CharIdx(i)));
            starts.insert(units);
            units += c.len_utf16();
        }
        prop_assert_eq!(units, text.encode_utf16().count());
        prop_assert_eq!(m.len(), units);
        prop_assert_eq!(m.to_char(units), Some(CharIdx(char_len(&text))));
        for u in 0..units {
            prop_assert_eq!(m.to_char(u).is_some(), starts.contains(&u));
        }
        prop_assert_eq!(m.to_char(units + 1), None);
    }

    /// Grapheme offsets count clusters; char offsets inside a cluster have none.
    #[test]
    fn grapheme_units_round_trip(text in tricky_text()) {
        let m = UnitMap::new(&text, OffsetUnit::Graphemes);
        let mut at = 0;
        let mut starts = vec![];
        for (g, cluster) in text.graphemes(true).enumerate() {
            prop_assert_eq!(m.to_char(g), Some(CharIdx(at)));
            prop_assert_eq!(m.to_unit(CharIdx(at)), Some(g));
            starts.push(at);
            at += cluster.chars().count();
        }
        prop_assert_eq!(m.len(), starts.len());
        for i in 0..char_len(&text) {
            prop_assert_eq!(m.to_unit(CharIdx(i)).is_some(), starts.contains(&i));
        }
    }

    #[test]
    fn sentences_are_ordered_and_inside_the_text(text in tricky_text()) {
        let n = char_len(&text);
        let mut prev = 0;
        for s in split_sentences(&text) {
            prop_assert!(s.start.0 >= prev && s.end.0 <= n && !s.is_empty());
            prev = s.end.0;
        }
    }
}

#[test]
fn sample_article_tokens_slice_cleanly() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/samples/xi-putin-call.txt"
    ))
    .unwrap();
    assert!(text.starts_with(' '), "the sample keeps its leading space");
    let tokens = tokenize(&text);
    let words: Vec<&str> = tokens
        .iter()
        .map(|t| slice(&text, t.span).unwrap())
        .collect();
    for w in [
        "2022-12-30",
        "–",
        "“",
        "objective",
        "Russia",
        "’s",
        "early-February",
        "no-holds-barred",
        "Sino-Russian",
        "…",
    ] {
        assert!(words.contains(&w), "{w} is not a token");
    }
    assert!(split_sentences(&text).len() >= 12);
}
