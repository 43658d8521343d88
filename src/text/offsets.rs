//! Char and byte offsets, and the only code that converts between them.
//!
//! Invariants:
//! - A [`CharIdx`] counts Unicode scalar values (Rust `char`s, Python `str` indices) from the start
//!   of the text; a [`ByteIdx`] counts UTF-8 bytes. Neither is ever mixed with the other silently.
//! - A [`CharSpan`] is half-open `[start, end)` with `start <= end`.
//! - Every conversion returns `Option`: `None` when the index is past the end, or (for bytes)
//!   falls inside a multi-byte character. Nothing here panics on any input.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A Unicode code point offset into a text.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct CharIdx(pub usize);

/// A UTF-8 byte offset into a text. Only for slicing `str`; never saved or printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ByteIdx(pub usize);

/// A half-open range of char offsets, `start <= end`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct CharSpan {
    pub start: CharIdx,
    pub end: CharIdx,
}

impl CharSpan {
    /// `None` when `end < start`.
    pub fn new(start: usize, end: usize) -> Option<CharSpan> {
        (start <= end).then_some(CharSpan {
            start: CharIdx(start),
            end: CharIdx(end),
        })
    }
    pub fn len(self) -> usize {
        self.end.0 - self.start.0
    }
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
    /// True when the two spans share at least one char.
    pub fn overlaps(self, other: CharSpan) -> bool {
        self.start < other.end && other.start < self.end
    }
    pub fn contains(self, i: CharIdx) -> bool {
        self.start <= i && i < self.end
    }
    /// True when `other` lies entirely inside `self`.
    pub fn covers(self, other: CharSpan) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl fmt::Display for CharSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start.0, self.end.0)
    }
}

/// Number of chars in `text`.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// Byte offset of char `i` (`i == char_len` gives the text length). One-shot, O(n); use a
/// [`TextIndex`] for many look-ups on one text.
pub fn char_to_byte(text: &str, i: CharIdx) -> Option<ByteIdx> {
    if i.0 == 0 {
        return Some(ByteIdx(0));
    }
    let mut seen = 0;
    for (b, _) in text.char_indices() {
        if seen == i.0 {
            return Some(ByteIdx(b));
        }
        seen += 1;
    }
    (seen == i.0).then_some(ByteIdx(text.len()))
}

/// Char offset of byte `b`; `None` when `b` is past the end or not on a char boundary.
pub fn byte_to_char(text: &str, b: ByteIdx) -> Option<CharIdx> {
    if !text.is_char_boundary(b.0) {
        return None;
    }
    text.get(..b.0).map(|head| CharIdx(head.chars().count()))
}

/// The text of a char span, or `None` when the span is out of range.
///
/// ```
/// use tagwright::text::{offsets::slice, CharSpan};
/// let text = "“Xi” 😀 met Putin";
/// assert_eq!(slice(text, CharSpan::new(1, 3).unwrap()), Some("Xi"));
/// assert_eq!(slice(text, CharSpan::new(11, 16).unwrap()), Some("Putin"));
/// assert_eq!(slice(text, CharSpan::new(11, 17).unwrap()), None);
/// ```
pub fn slice(text: &str, span: CharSpan) -> Option<&str> {
    let start = char_to_byte(text, span.start)?;
    let rest = text.get(start.0..)?;
    let len = char_to_byte(rest, CharIdx(span.len()))?;
    rest.get(..len.0)
}

/// UTF-16 code unit offset of char `i` (JavaScript string indices, as Label Studio's front end
/// counts). `None` past the end.
pub fn char_to_utf16(text: &str, i: CharIdx) -> Option<usize> {
    let mut units = 0;
    let mut chars = text.chars();
    for _ in 0..i.0 {
        units += chars.next()?.len_utf16();
    }
    Some(units)
}

/// Char offset of UTF-16 offset `u`; `None` past the end or between the two halves of a
/// surrogate pair (an offset no character starts at).
pub fn utf16_to_char(text: &str, u: usize) -> Option<CharIdx> {
    let mut units = 0;
    for (n, c) in text.chars().enumerate() {
        if units == u {
            return Some(CharIdx(n));
        }
        if units > u {
            return None;
        }
        units += c.len_utf16();
    }
    (units == u).then(|| CharIdx(text.chars().count()))
}

/// Checkpoint spacing of [`TextIndex`], in chars: memory is `len/STEP` words, a look-up walks at
/// most `STEP` chars.
const STEP: usize = 64;

/// Fast char↔byte conversions for one text. It stores the byte offset of every `STEP`-th char
/// (nothing at all for ASCII text, where the two units coincide). Built in O(n), queried in
/// O(log n + STEP). The text is passed to each query; a text of another length gives `None`.
#[derive(Clone, Debug, Default)]
pub struct TextIndex {
    byte_len: usize,
    char_len: usize,
    /// `checkpoints[k]` = byte offset of char `k * STEP`. Empty for ASCII text.
    checkpoints: Vec<usize>,
}

impl TextIndex {
    pub fn new(text: &str) -> TextIndex {
        if text.is_ascii() {
            return TextIndex {
                byte_len: text.len(),
                char_len: text.len(),
                checkpoints: Vec::new(),
            };
        }
        let mut checkpoints = Vec::with_capacity(text.len() / STEP + 1);
        let mut n = 0;
        for (b, _) in text.char_indices() {
            if n % STEP == 0 {
                checkpoints.push(b);
            }
            n += 1;
        }
        TextIndex {
            byte_len: text.len(),
            char_len: n,
            checkpoints,
        }
    }

    pub fn char_len(&self) -> usize {
        self.char_len
    }

    pub fn byte_len(&self) -> usize {
        self.byte_len
    }

    fn is_ascii(&self) -> bool {
        self.checkpoints.is_empty()
    }

    pub fn char_to_byte(&self, text: &str, i: CharIdx) -> Option<ByteIdx> {
        if text.len() != self.byte_len || i.0 > self.char_len {
            return None;
        }
        if self.is_ascii() {
            return Some(ByteIdx(i.0));
        }
        if i.0 == self.char_len {
            return Some(ByteIdx(self.byte_len));
        }
        let base = *self.checkpoints.get(i.0 / STEP)?;
        let rest = text.get(base..)?;
        let skip = i.0 % STEP;
        rest.char_indices()
            .nth(skip)
            .map(|(b, _)| ByteIdx(base + b))
    }

    pub fn byte_to_char(&self, text: &str, b: ByteIdx) -> Option<CharIdx> {
        if text.len() != self.byte_len || !text.is_char_boundary(b.0) {
            return None;
        }
        if self.is_ascii() {
            return Some(CharIdx(b.0));
        }
        // Last checkpoint at or before b.
        let k = self
            .checkpoints
            .partition_point(|&cb| cb <= b.0)
            .checked_sub(1)?;
        let base = self.checkpoints[k];
        let between = text.get(base..b.0)?;
        Some(CharIdx(k * STEP + between.chars().count()))
    }

    /// Byte range of a char span.
    pub fn byte_range(&self, text: &str, span: CharSpan) -> Option<std::ops::Range<usize>> {
        let s = self.char_to_byte(text, span.start)?;
        let e = self.char_to_byte(text, span.end)?;
        (s <= e).then_some(s.0..e.0)
    }

    /// Char span of a byte range; `None` unless both ends are char boundaries inside the text.
    pub fn char_span(&self, text: &str, bytes: std::ops::Range<usize>) -> Option<CharSpan> {
        let s = self.byte_to_char(text, ByteIdx(bytes.start))?;
        let e = self.byte_to_char(text, ByteIdx(bytes.end))?;
        CharSpan::new(s.0, e.0)
    }

    /// The text of a char span, or `None` when it is out of range.
    pub fn slice<'t>(&self, text: &'t str, span: CharSpan) -> Option<&'t str> {
        let r = self.byte_range(text, span)?;
        text.get(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIXED: &str = "a😀b 中文 e\u{301}\r\nz";

    #[test]
    fn one_shot_conversions_on_mixed_text() {
        assert_eq!(char_len(MIXED), 12);
        assert_eq!(char_to_byte(MIXED, CharIdx(2)), Some(ByteIdx(5)));
        assert_eq!(byte_to_char(MIXED, ByteIdx(5)), Some(CharIdx(2)));
        assert_eq!(byte_to_char(MIXED, ByteIdx(2)), None, "inside the emoji");
        assert_eq!(char_to_byte(MIXED, CharIdx(12)), Some(ByteIdx(MIXED.len())));
        assert_eq!(char_to_byte(MIXED, CharIdx(13)), None);
        assert_eq!(slice(MIXED, CharSpan::new(4, 6).unwrap()), Some("中文"));
        assert_eq!(slice(MIXED, CharSpan::new(7, 9).unwrap()), Some("e\u{301}"));
        assert_eq!(slice(MIXED, CharSpan::new(9, 11).unwrap()), Some("\r\n"));
        assert_eq!(slice(MIXED, CharSpan::new(9, 13).unwrap()), None);
    }

    #[test]
    fn index_agrees_with_one_shot_on_long_text() {
        let text: String = MIXED.repeat(50);
        let idx = TextIndex::new(&text);
        for i in 0..=idx.char_len() {
            assert_eq!(
                idx.char_to_byte(&text, CharIdx(i)),
                char_to_byte(&text, CharIdx(i))
            );
        }
        for b in 0..=text.len() + 1 {
            assert_eq!(
                idx.byte_to_char(&text, ByteIdx(b)),
                byte_to_char(&text, ByteIdx(b))
            );
        }
        assert_eq!(idx.char_to_byte("other", CharIdx(0)), None);
    }

    #[test]
    fn utf16_offsets() {
        let t = "a😀b中";
        assert_eq!(char_to_utf16(t, CharIdx(2)), Some(3));
        assert_eq!(utf16_to_char(t, 3), Some(CharIdx(2)));
        assert_eq!(utf16_to_char(t, 2), None, "inside the surrogate pair");
        assert_eq!(utf16_to_char(t, 5), Some(CharIdx(4)));
        assert_eq!(utf16_to_char(t, 6), None);
        assert_eq!(char_to_utf16(t, CharIdx(5)), None);
    }

    #[test]
    fn span_relations() {
        let a = CharSpan::new(0, 5).unwrap();
        let b = CharSpan::new(5, 7).unwrap();
        assert!(!a.overlaps(b));
        assert!(a.overlaps(CharSpan::new(4, 6).unwrap()));
        assert!(CharSpan::new(3, 2).is_none());
    }
}
