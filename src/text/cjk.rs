//! Words inside a run of CJK characters, which Chinese and Japanese write without spaces.
//!
//! A run is first cut where the script changes (Han ideographs, hiragana, katakana; marks stay
//! with the char before them). A Han piece of two or more chars is cut into words by jieba's
//! dictionary and its hidden Markov model for words the dictionary lacks, which is what keeps a
//! name such as 汪文斌 whole in 外交部发言人汪文斌表示. Kana pieces stay whole (a katakana run is
//! usually one loanword or name). The dictionary is loaded once, the first time a text has two
//! Han characters in a row; texts without them never load it.
//!
//! Units: positions are char (code point) offsets into the run, end-exclusive.

use super::tokenize::is_mark;
use std::sync::OnceLock;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Han,
    Hiragana,
    Katakana,
}

fn script(c: char) -> Script {
    match c as u32 {
        0x3040..=0x309F => Script::Hiragana,
        0x30A0..=0x30FF => Script::Katakana,
        _ => Script::Han,
    }
}

fn jieba() -> &'static jieba_rs::Jieba {
    static JIEBA: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    JIEBA.get_or_init(jieba_rs::Jieba::new)
}

/// The end of each word of `run` (a run of CJK chars and their marks), in order; the last is
/// `run.len()`. Empty for an empty run.
pub fn word_ends(run: &[char]) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut k = 0;
    while k < run.len() {
        let sc = script(run[k]);
        let mut j = k + 1;
        while j < run.len() && (is_mark(run[j]) || script(run[j]) == sc) {
            j += 1;
        }
        if sc == Script::Han && j - k > 1 {
            han_words(&run[k..j], k, &mut ends);
        } else {
            ends.push(j);
        }
        k = j;
    }
    ends
}

/// Cut a Han piece starting at `offset` into words, pushing their ends. The pieces jieba returns
/// cover its input; should they not, the piece stays one word.
fn han_words(piece: &[char], offset: usize, ends: &mut Vec<usize>) {
    let s: String = piece.iter().collect();
    let mut at = offset;
    let mut mine = Vec::new();
    for w in jieba().cut(&s, true) {
        at += w.chars().count();
        mine.push(at);
    }
    if at == offset + piece.len() {
        ends.extend(mine);
    } else {
        ends.push(offset + piece.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let run: Vec<char> = s.chars().collect();
        let mut from = 0;
        word_ends(&run)
            .into_iter()
            .map(|e| {
                let w: String = run[from..e].iter().collect();
                from = e;
                w
            })
            .collect()
    }

    #[test]
    fn names_stay_whole_and_scripts_are_cut() {
        assert_eq!(
            words("外交部发言人汪文斌表示"),
            ["外交部", "发言人", "汪文斌", "表示"]
        );
        assert_eq!(words("习近平"), ["习近平"]);
        assert_eq!(words("汪"), ["汪"]);
        assert_eq!(words("キシダさんは"), ["キシダ", "さんは"]);
        assert_eq!(words(""), Vec::<String>::new());
    }
}
