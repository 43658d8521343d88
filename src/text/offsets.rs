//! Char and byte offsets, and the only code that converts between them.
//!
//! Invariants:
//! - A [`CharIdx`] counts Unicode scalar values (Rust `char`s, Python `str` indices) from the start
//!   of the text; a [`ByteIdx`] counts UTF-8 bytes. Neither is ever mixed with the other silently.
//! - A [`CharSpan`] is half-open `[start, end)` with `start <= end`.
//! - [`UnitMap`] converts to and from the units other tools use (UTF-16 code units, grapheme
//!   clusters); no other module converts offsets.
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

/// How a tool counts offsets into a text. Tagwright itself always uses [`OffsetUnit::CodePoints`];
/// the others exist only to read and write other tools' files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum OffsetUnit {
    /// Unicode scalar values: Python `str`, spaCy, brat, Prodigy, Label Studio (stored offsets).
    #[default]
    CodePoints,
    /// UTF-16 code units: JavaScript strings, doccano's editor.
    Utf16,
    /// Extended grapheme clusters (UAX #29): doccano with `grapheme_mode`, where `\r\n` is one unit.
    Graphemes,
}

impl OffsetUnit {
    pub fn name(self) -> &'static str {
        match self {
            OffsetUnit::CodePoints => "code points",
            OffsetUnit::Utf16 => "UTF-16 code units",
            OffsetUnit::Graphemes => "grapheme clusters",
        }
    }
}

/// Marks a boundary of one unit that is not a boundary of the other.
const NONE: u32 = u32::MAX;

/// Char offsets ↔ offsets in another [`OffsetUnit`], for one text. Built in O(n); each look-up is
/// O(1). Both directions are partial: a UTF-16 offset between the halves of a surrogate pair has
/// no char offset, and a char offset inside a grapheme cluster has no grapheme offset.
#[derive(Clone, Debug)]
pub struct UnitMap {
    unit: OffsetUnit,
    chars: usize,
    /// Unit offset of each char boundary `0..=chars` ([`NONE`] inside a grapheme). Empty for
    /// code points.
    to_unit: Vec<u32>,
    /// Char offset of each unit boundary `0..=units` ([`NONE`] inside a surrogate pair).
    from_unit: Vec<u32>,
}

impl UnitMap {
    pub fn new(text: &str, unit: OffsetUnit) -> UnitMap {
        let chars = char_len(text);
        let (mut to_unit, mut from_unit) = (Vec::new(), Vec::new());
        match unit {
            OffsetUnit::CodePoints => {}
            OffsetUnit::Utf16 => {
                to_unit.reserve(chars + 1);
                for (n, c) in text.chars().enumerate() {
                    to_unit.push(from_unit.len() as u32);
                    from_unit.push(n as u32);
                    if c.len_utf16() == 2 {
                        from_unit.push(NONE);
                    }
                }
                to_unit.push(from_unit.len() as u32);
                from_unit.push(chars as u32);
            }
            OffsetUnit::Graphemes => {
                use unicode_segmentation::UnicodeSegmentation;
                to_unit = vec![NONE; chars + 1];
                let mut n = 0;
                for (g, cluster) in text.graphemes(true).enumerate() {
                    to_unit[n] = g as u32;
                    from_unit.push(n as u32);
                    n += cluster.chars().count();
                }
                to_unit[chars] = from_unit.len() as u32;
                from_unit.push(chars as u32);
            }
        }
        UnitMap {
            unit,
            chars,
            to_unit,
            from_unit,
        }
    }

    pub fn unit(&self) -> OffsetUnit {
        self.unit
    }

    /// The offset of char `i` in this unit; `None` past the end or inside a grapheme cluster.
    pub fn to_unit(&self, i: CharIdx) -> Option<usize> {
        if self.unit == OffsetUnit::CodePoints {
            return (i.0 <= self.chars).then_some(i.0);
        }
        self.to_unit
            .get(i.0)
            .filter(|&&u| u != NONE)
            .map(|&u| u as usize)
    }

    /// The char offset of unit offset `u`; `None` past the end or inside a surrogate pair.
    pub fn to_char(&self, u: usize) -> Option<CharIdx> {
        if self.unit == OffsetUnit::CodePoints {
            return (u <= self.chars).then_some(CharIdx(u));
        }
        self.from_unit
            .get(u)
            .filter(|&&c| c != NONE)
            .map(|&c| CharIdx(c as usize))
    }

    /// A span given in this unit as a char span (`None` as for [`UnitMap::to_char`], or reversed).
    pub fn span_to_chars(&self, start: usize, end: usize) -> Option<CharSpan> {
        CharSpan::new(self.to_char(start)?.0, self.to_char(end)?.0)
    }

    /// A char span in this unit (`None` as for [`UnitMap::to_unit`]).
    pub fn span_from_chars(&self, span: CharSpan) -> Option<(usize, usize)> {
        Some((self.to_unit(span.start)?, self.to_unit(span.end)?))
    }

    /// Length of the text in this unit.
    pub fn len(&self) -> usize {
        match self.unit {
            OffsetUnit::CodePoints => self.chars,
            _ => self.from_unit.len().saturating_sub(1),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `span` grown to whole extended grapheme clusters, so it never splits a character (an emoji
/// from its skin tone, a letter from its accent). `None` when the span is outside the text.
pub fn snap_to_clusters(text: &str, span: CharSpan) -> Option<CharSpan> {
    let map = UnitMap::new(text, OffsetUnit::Graphemes);
    let start = (0..=span.start.0)
        .rev()
        .find(|&i| map.to_unit(CharIdx(i)).is_some())?;
    let end = (span.end.0..=map.chars).find(|&i| map.to_unit(CharIdx(i)).is_some())?;
    CharSpan::new(start, end)
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
        let m = UnitMap::new(t, OffsetUnit::Utf16);
        assert_eq!(m.to_unit(CharIdx(2)), Some(3));
        assert_eq!(m.to_char(3), Some(CharIdx(2)));
        assert_eq!(m.to_char(2), None, "inside the surrogate pair");
        assert_eq!(m.to_char(5), Some(CharIdx(4)));
        assert_eq!(m.to_char(6), None);
        assert_eq!(m.to_unit(CharIdx(5)), None);
        assert_eq!(m.len(), 5);
        assert_eq!(m.span_to_chars(1, 3), CharSpan::new(1, 2));
        assert_eq!(m.span_to_chars(1, 2), None);
    }

    #[test]
    fn grapheme_offsets() {
        // e + combining acute, CRLF, a flag (two regional indicators), a thumbs up with a tone.
        let t = "e\u{301}\r\n🇨🇳 👍🏽x";
        let m = UnitMap::new(t, OffsetUnit::Graphemes);
        assert_eq!(m.len(), 6, "é, CRLF, flag, space, thumb, x");
        assert_eq!(m.to_char(1), Some(CharIdx(2)));
        assert_eq!(m.to_char(2), Some(CharIdx(4)));
        assert_eq!(m.to_unit(CharIdx(1)), None, "between e and its accent");
        assert_eq!(m.to_unit(CharIdx(5)), None, "inside the flag");
        assert_eq!(m.to_unit(CharIdx(9)), Some(5));
        assert_eq!(m.span_to_chars(4, 5), CharSpan::new(7, 9));
        assert_eq!(m.to_char(7), None);
    }

    #[test]
    fn exact_selections_grow_to_whole_characters() {
        let t = "a 👍🏽 e\u{301}x";
        let snap = |s, e| snap_to_clusters(t, CharSpan::new(s, e).unwrap());
        assert_eq!(
            snap(2, 3),
            CharSpan::new(2, 4),
            "the thumb takes its skin tone"
        );
        assert_eq!(snap(5, 6), CharSpan::new(5, 7), "the e takes its accent");
        assert_eq!(snap(0, 1), CharSpan::new(0, 1));
        assert_eq!(snap(7, 9), None);
    }

    #[test]
    fn code_points_are_identity() {
        let m = UnitMap::new(MIXED, OffsetUnit::CodePoints);
        assert_eq!(m.to_char(12), Some(CharIdx(12)));
        assert_eq!(m.to_char(13), None);
        assert_eq!(m.to_unit(CharIdx(3)), Some(3));
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
