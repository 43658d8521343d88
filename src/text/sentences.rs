//! Sentence splitter over tokens. Sentences are char spans from their first token's start to their
//! last token's end (no surrounding whitespace); they are sorted and never overlap.
//!
//! A sentence ends at a line break (news paragraphs and headlines are lines), or after `.`, `!`,
//! `?` or an ellipsis (plus any closing quotes or brackets) when the next token starts with an
//! upper-case letter, a digit or an opening quote. Abbreviations such as `U.S.` carry their dot
//! inside the token, so they do not end a sentence.

use super::offsets::{CharIdx, CharSpan};
use super::tokenize::{tokenize_chars, Token};

fn is_terminal(s: &str) -> bool {
    matches!(s, "!" | "?" | "…") || (!s.is_empty() && s.chars().all(|c| c == '.'))
}

fn is_closing(s: &str) -> bool {
    matches!(s, "”" | "’" | "\"" | "'" | ")" | "]" | "»")
}

fn opens_sentence(s: &str) -> bool {
    s.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_numeric() || matches!(c, '“' | '"' | '‘' | '(' | '«' | '[')
    })
}

/// Split `text` into sentence spans.
pub fn split_sentences(text: &str) -> Vec<CharSpan> {
    let chars: Vec<char> = text.chars().collect();
    let tokens = tokenize_chars(&chars);
    split_tokens(&chars, &tokens)
}

/// Same as [`split_sentences`] when the text is already tokenized.
pub fn split_tokens(chars: &[char], tokens: &[Token]) -> Vec<CharSpan> {
    let tok_str = |t: &Token| -> String { chars[t.span.start.0..t.span.end.0].iter().collect() };
    let mut out = Vec::new();
    let mut start: Option<CharIdx> = None;
    for (k, t) in tokens.iter().enumerate() {
        let s = *start.get_or_insert(t.span.start);
        let next = tokens.get(k + 1);
        let newline_after = match next {
            Some(n) => chars[t.span.end.0..n.span.start.0].contains(&'\n'),
            None => true,
        };
        let text = tok_str(t);
        let ends = newline_after
            || ((is_terminal(&text)
                || (is_closing(&text) && k > 0 && is_terminal(&tok_str(&tokens[k - 1]))))
                && next.is_some_and(|n| {
                    let ns = tok_str(n);
                    !is_closing(&ns) && opens_sentence(&ns)
                }));
        if ends {
            out.push(CharSpan {
                start: s,
                end: t.span.end,
            });
            start = None;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::offsets::slice;

    #[test]
    fn splits_news() {
        let text = "Xi said “no.” Putin agreed... and left. The U.S. Senate met.\r\n\r\nNew para";
        let got: Vec<&str> = split_sentences(text)
            .into_iter()
            .map(|s| slice(text, s).unwrap())
            .collect();
        assert_eq!(
            got,
            vec![
                "Xi said “no.”",
                "Putin agreed... and left.",
                "The U.S. Senate met.",
                "New para"
            ]
        );
    }
}
