//! spaCy `DocBin` export (`.spacy`, what `spacy train` reads): zlib-compressed msgpack of
//! `{version, attrs, tokens, spaces, lengths, strings, cats, flags, span_groups}` with the
//! attributes ORTH, ENT_IOB and ENT_TYPE; token values are spaCy string hashes (MurmurHash64A,
//! seed 1). Tokens come from [`super::tokens`] (a CoNLL document keeps its own), and whitespace that is not a single space after
//! a token becomes a whitespace token as spaCy does, so `doc.text` is the document's text exactly.
//! Entities that do not start and end on token boundaries are reported, not moved. Each document's
//! id, title and source are kept in `doc.user_data` (`store_user_data`). msgpack by `rmp`.

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

/// One spaCy token: text, trailing space, ENT_IOB (1 inside, 2 outside, 3 begin), ENT_TYPE.
type SpacyToken = (String, bool, u64, Option<String>);

/// spaCy tokens of a document. Tokens and entities come from [`super::tokens`]; whitespace that
/// is not one plain space after a token becomes a token of its own, as spaCy makes it.
fn doc_tokens(d: &Document, loss: &mut Loss) -> Vec<SpacyToken> {
    let mut spans = Vec::new();
    let mut ent: Vec<Option<(bool, String)>> = Vec::new();
    for s in super::tokens::sentences(d, loss) {
        let base = spans.len();
        spans.extend(s.tokens.iter().copied());
        ent.resize(spans.len(), None);
        for (x, y, label) in s.entities {
            for (k, slot) in ent.iter_mut().enumerate().take(base + y).skip(base + x) {
                *slot = Some((k == base + x, label.clone()));
            }
        }
    }
    let chars: Vec<char> = d.text().chars().collect();
    let mut out: Vec<SpacyToken> = Vec::new();
    let push_ws = |out: &mut Vec<SpacyToken>, ws: &[char]| {
        let (trailing, rest) = match (out.last(), ws.first()) {
            (Some(_), Some(' ')) => (true, &ws[1..]),
            _ => (false, ws),
        };
        if let (true, Some(last)) = (trailing, out.last_mut()) {
            last.1 = true;
        }
        if !rest.is_empty() {
            out.push((rest.iter().collect(), false, 2, None));
        }
    };
    let mut pos = 0;
    for (span, e) in spans.iter().zip(ent) {
        let before = out.len();
        push_ws(&mut out, chars.get(pos..span.start.0).unwrap_or(&[]));
        // Whitespace inside an entity (`New  York`, a line break) belongs to it.
        if let (Some((false, l)), Some(ws)) = (&e, out.get_mut(before)) {
            if ws.3.is_none() && before > 0 {
                ws.2 = 1;
                ws.3 = Some(l.clone());
            }
        }
        let (iob, label) = match e {
            Some((true, l)) => (3, Some(l)),
            Some((false, l)) => (1, Some(l)),
            None => (2, None),
        };
        let text = chars
            .get(span.start.0..span.end.0)
            .unwrap_or(&[])
            .iter()
            .collect();
        out.push((text, false, iob, label));
        pos = span.end.0;
    }
    push_ws(&mut out, chars.get(pos..).unwrap_or(&[]));
    out
}

/// `doc.user_data` of a document: its id, title and source (msgpack, as spaCy stores it).
fn user_data(d: &Document) -> Vec<u8> {
    let mut b = Vec::new();
    let fields = [
        ("id", d.id.as_str()),
        ("title", &d.title),
        ("source", &d.source),
    ];
    let _ = rmp::encode::write_map_len(&mut b, fields.len() as u32);
    for (k, v) in fields {
        let _ = rmp::encode::write_str(&mut b, k);
        let _ = rmp::encode::write_str(&mut b, v);
    }
    b
}

/// The msgpack body of a DocBin (`DocBin.to_bytes` before compression), with `store_user_data`.
fn pack(docs: &[Document], strings: &BTreeSet<String>, arrays: [&[u8]; 3]) -> Vec<u8> {
    use rmp::encode::{
        write_array_len, write_bin, write_bool, write_map_len, write_str, write_uint,
    };
    let [tokens, spaces, lengths] = arrays;
    let mut p = Vec::new();
    // Writing to a Vec cannot fail: the results are ignored.
    let _ = write_map_len(&mut p, 10);
    let _ = write_str(&mut p, "version");
    let _ = write_str(&mut p, "0.1");
    let _ = write_str(&mut p, "attrs");
    let _ = write_array_len(&mut p, 3);
    for a in [ORTH, ENT_IOB, ENT_TYPE] {
        let _ = write_uint(&mut p, a);
    }
    for (key, bytes) in [("tokens", tokens), ("spaces", spaces), ("lengths", lengths)] {
        let _ = write_str(&mut p, key);
        let _ = write_bin(&mut p, bytes);
    }
    let _ = write_str(&mut p, "strings");
    let _ = write_array_len(&mut p, strings.len() as u32);
    for s in strings {
        let _ = write_str(&mut p, s);
    }
    let n = docs.len() as u32;
    let _ = write_str(&mut p, "cats");
    let _ = write_array_len(&mut p, n);
    for _ in docs {
        let _ = write_map_len(&mut p, 0);
    }
    let _ = write_str(&mut p, "flags");
    let _ = write_array_len(&mut p, n);
    for _ in docs {
        let _ = write_map_len(&mut p, 1);
        let _ = write_str(&mut p, "has_unknown_spaces");
        let _ = write_bool(&mut p, false);
    }
    let _ = write_str(&mut p, "span_groups");
    let _ = write_array_len(&mut p, n);
    for _ in docs {
        let _ = write_bin(&mut p, &[]);
    }
    let _ = write_str(&mut p, "user_data");
    let _ = write_array_len(&mut p, n);
    for d in docs {
        let _ = write_bin(&mut p, &user_data(d));
    }
    p
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
    let body = pack(docs, &strings, [&tokens, &spaces, &lengths]);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = z.write_all(&body);
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
