//! spaCy `DocBin` export (`.spacy`, what `spacy train` reads): zlib-compressed msgpack of
//! `{version, attrs, tokens, spaces, lengths, strings, cats, flags, span_groups}` with the
//! attributes ORTH, ENT_IOB and ENT_TYPE; token values are spaCy string hashes (MurmurHash64A,
//! seed 1). Tokens come from Tagwright's tokenizer, and whitespace that is not a single space after
//! a token becomes a whitespace token as spaCy does, so `doc.text` is the document's text exactly.
//! Entities that do not start and end on token boundaries are reported, not moved.

use super::Loss;
use crate::model::Document;
use std::collections::BTreeSet;
use std::io::Write;

/// spaCy attribute ids (spacy/attrs.pxd).
const ORTH: u64 = 65;
const ENT_IOB: u64 = 77;
const ENT_TYPE: u64 = 78;

/// spaCy's string id: the fixed id of a built-in symbol (`ORG` is 383), else the hash.
pub fn spacy_id(s: &str) -> u64 {
    use std::sync::OnceLock;
    static TABLE: OnceLock<std::collections::HashMap<&'static str, u64>> = OnceLock::new();
    if s.is_empty() {
        return 0;
    }
    let t = TABLE.get_or_init(|| super::spacy_symbols::SYMBOLS.iter().copied().collect());
    t.get(s).copied().unwrap_or_else(|| spacy_hash(s))
}

/// spaCy's string hash: MurmurHash64A of the UTF-8 bytes with seed 1.
pub fn spacy_hash(s: &str) -> u64 {
    let data = s.as_bytes();
    let m: u64 = 0xc6a4_a793_5bd1_e995;
    let r = 47;
    let mut h: u64 = 1 ^ (data.len() as u64).wrapping_mul(m);
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let mut k = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        k = k.wrapping_mul(m);
        k ^= k >> r;
        k = k.wrapping_mul(m);
        h ^= k;
        h = h.wrapping_mul(m);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        for (i, b) in tail.iter().enumerate() {
            h ^= (*b as u64) << (8 * i);
        }
        h = h.wrapping_mul(m);
    }
    h ^= h >> r;
    h = h.wrapping_mul(m);
    h ^= h >> r;
    h
}

/// A minimal msgpack writer (the types DocBin needs).
struct Pack(Vec<u8>);

impl Pack {
    fn map(&mut self, n: usize) {
        if n < 16 {
            self.0.push(0x80 | n as u8);
        } else {
            self.0.push(0xde);
            self.0.extend_from_slice(&(n as u16).to_be_bytes());
        }
    }
    fn array(&mut self, n: usize) {
        if n < 16 {
            self.0.push(0x90 | n as u8);
        } else if n <= u16::MAX as usize {
            self.0.push(0xdc);
            self.0.extend_from_slice(&(n as u16).to_be_bytes());
        } else {
            self.0.push(0xdd);
            self.0.extend_from_slice(&(n as u32).to_be_bytes());
        }
    }
    fn str(&mut self, s: &str) {
        let n = s.len();
        if n < 32 {
            self.0.push(0xa0 | n as u8);
        } else if n < 256 {
            self.0.push(0xd9);
            self.0.push(n as u8);
        } else if n <= u16::MAX as usize {
            self.0.push(0xda);
            self.0.extend_from_slice(&(n as u16).to_be_bytes());
        } else {
            self.0.push(0xdb);
            self.0.extend_from_slice(&(n as u32).to_be_bytes());
        }
        self.0.extend_from_slice(s.as_bytes());
    }
    fn bin(&mut self, b: &[u8]) {
        self.0.push(0xc6);
        self.0.extend_from_slice(&(b.len() as u32).to_be_bytes());
        self.0.extend_from_slice(b);
    }
    fn uint(&mut self, v: u64) {
        if v < 128 {
            self.0.push(v as u8);
        } else {
            self.0.push(0xcf);
            self.0.extend_from_slice(&v.to_be_bytes());
        }
    }
    fn bool(&mut self, v: bool) {
        self.0.push(if v { 0xc3 } else { 0xc2 });
    }
}

/// spaCy tokens of a document: `(text, trailing space, entity iob, entity label)`.
fn doc_tokens(d: &Document, loss: &mut Loss) -> Vec<(String, bool, u64, Option<String>)> {
    let a = crate::extract::Analysis::new(d.text());
    let mut out: Vec<(String, bool, u64, Option<String>)> = Vec::new();
    let mut ent: Vec<Option<(bool, String)>> = vec![None; a.tokens.len()];
    for sp in d.spans() {
        match (
            a.token_starting_at(sp.span.start),
            a.token_ending_at(sp.span.end),
        ) {
            (Some(x), Some(y)) => {
                for (k, slot) in ent.iter_mut().enumerate().take(y + 1).skip(x) {
                    *slot = Some((k == x, sp.label.clone()));
                }
            }
            _ => loss.lose(
                d,
                sp.span,
                &sp.label,
                "does not start and end on token boundaries",
            ),
        }
    }
    let chars = &a.chars;
    let mut pos = 0;
    let push_ws = |out: &mut Vec<(String, bool, u64, Option<String>)>, ws: &[char]| {
        // spaCy: one plain space after a token is its trailing space; other whitespace is a token.
        let (trailing, rest) = match (out.last(), ws.first()) {
            (Some(_), Some(' ')) => (true, &ws[1..]),
            _ => (false, ws),
        };
        if trailing {
            if let Some(last) = out.last_mut() {
                last.1 = true;
            }
        }
        if !rest.is_empty() {
            out.push((rest.iter().collect(), false, 2, None));
        }
    };
    for (k, t) in a.tokens.iter().enumerate() {
        push_ws(&mut out, &chars[pos..t.span.start.0]);
        let (iob, label) = match &ent[k] {
            Some((true, l)) => (3, Some(l.clone())),
            Some((false, l)) => (1, Some(l.clone())),
            None => (2, None),
        };
        out.push((
            chars[t.span.start.0..t.span.end.0].iter().collect(),
            false,
            iob,
            label,
        ));
        pos = t.span.end.0;
    }
    push_ws(&mut out, &chars[pos..]);
    out
}

/// The `.spacy` bytes of the documents.
pub fn write(docs: &[Document], loss: &mut Loss) -> Vec<u8> {
    let mut strings = BTreeSet::new();
    let mut tokens: Vec<u8> = Vec::new();
    let mut spaces: Vec<u8> = Vec::new();
    let mut lengths: Vec<u8> = Vec::new();
    for d in docs {
        let toks = doc_tokens(d, loss);
        lengths.extend_from_slice(&(toks.len() as i32).to_le_bytes());
        for (text, space, iob, label) in toks {
            tokens.extend_from_slice(&spacy_id(&text).to_le_bytes());
            tokens.extend_from_slice(&iob.to_le_bytes());
            let ty = label.as_deref().map_or(0, spacy_id);
            tokens.extend_from_slice(&ty.to_le_bytes());
            spaces.push(space as u8);
            strings.insert(text);
            if let Some(l) = label {
                strings.insert(l);
            }
        }
    }
    let mut p = Pack(Vec::new());
    p.map(9);
    p.str("version");
    p.str("0.1");
    p.str("attrs");
    p.array(3);
    for a in [ORTH, ENT_IOB, ENT_TYPE] {
        p.uint(a);
    }
    p.str("tokens");
    p.bin(&tokens);
    p.str("spaces");
    p.bin(&spaces);
    p.str("lengths");
    p.bin(&lengths);
    p.str("strings");
    p.array(strings.len());
    for s in &strings {
        p.str(s);
    }
    p.str("cats");
    p.array(docs.len());
    for _ in docs {
        p.map(0);
    }
    p.str("flags");
    p.array(docs.len());
    for _ in docs {
        p.map(1);
        p.str("has_unknown_spaces");
        p.bool(false);
    }
    p.str("span_groups");
    p.array(docs.len());
    for _ in docs {
        p.bin(&[]);
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = z.write_all(&p.0);
    z.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_ids_match_spacy() {
        // Values printed by spaCy 3.8: `spacy.blank("en").vocab.strings.add(s)`.
        assert_eq!(spacy_id(""), 0);
        assert_eq!(spacy_id("PER"), 4317129024397789502);
        assert_eq!(spacy_id("Xi Jinping"), 3926133648937148772);
        assert_eq!(spacy_id("😀"), 13900606239988879105);
        assert_eq!(spacy_id("abcdefghij"), 17029599333975756408);
        assert_eq!(spacy_id("ORG"), 383, "a built-in symbol");
    }
}
