//! Helpers shared by the corpus tests: sample texts and short ways to build documents and queries.

use super::search::{search_doc, Hit, Query};
use crate::model::{DocId, Document, Edit, LabelSchema};
use crate::text::CharSpan;

pub(super) const SAMPLE: &str = include_str!("../../assets/samples/xi-putin-call.txt");
pub(super) const MIXED: &str =
    "a😀b 中文 e\u{301}\r\nCCTV 👍🏽 café\r\n习近平说 CCTV’s\tCCTVx cafe\u{301} CCTV";

pub(super) fn doc(id: &str, text: &str) -> Document {
    Document::new(DocId::new(id).unwrap(), id, "", text)
}

pub(super) fn cs(a: usize, b: usize) -> CharSpan {
    CharSpan::new(a, b).unwrap()
}

pub(super) fn q(p: &str, regex: bool, case: bool, word: bool) -> Query {
    Query::new(p, regex, case, word).unwrap()
}

pub(super) fn hits(d: &Document, q: &Query, context: usize) -> Vec<Hit> {
    let mut out = Vec::new();
    assert!(!search_doc(d, 0, q, context, usize::MAX, &mut out));
    out
}

pub(super) fn hits_all(d: &Document, p: &str, regex: bool, case: bool, word: bool) -> Vec<Hit> {
    hits(d, &q(p, regex, case, word), 8)
}

pub(super) fn apply_and_undo(d: &Document, e: &Edit) -> Document {
    let schema = LabelSchema::news();
    let mut after = d.clone();
    let inv = after.apply(e, &schema).expect("the planned edit applies");
    after.check_invariants(false).unwrap();
    let mut back = after.clone();
    back.apply(&inv, &schema).unwrap();
    assert_eq!(&back, d, "the inverse restores the document");
    after
}
