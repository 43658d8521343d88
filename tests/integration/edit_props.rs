//! Property tests: random edit sequences keep every document invariant, and undoing all of them
//! returns exactly the original document (redoing all returns the final one).

use proptest::prelude::*;
use tagwright::extract::Pipeline;
use tagwright::model::{DocId, Document, Edit, History, LabelSchema, Span, Status};
use tagwright::text::{tokenize, CharSpan};

const LABELS: &[&str] = &["PER", "ORG", "LOC", "MISC", "DATE", "NOPE"];

#[derive(Debug, Clone)]
enum Op {
    Add { a: usize, b: usize, label: usize },
    AddTokens { t: usize, n: usize, label: usize },
    Remove(usize),
    Relabel(usize, usize),
    Resize(usize, isize, isize),
    Accept(usize),
    Reject(usize),
    AcceptAll(Option<usize>, Option<u8>),
    Status(u8),
    Note(usize, String),
    Batch(Vec<(usize, usize, usize)>),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..2500, 0usize..2500, 0usize..6).prop_map(|(a, b, label)| Op::Add { a, b, label }),
        (0usize..600, 1usize..4, 0usize..6).prop_map(|(t, n, label)| Op::AddTokens { t, n, label }),
        (0usize..50).prop_map(Op::Remove),
        (0usize..50, 0usize..6).prop_map(|(i, l)| Op::Relabel(i, l)),
        (0usize..50, -3isize..4, -3isize..4).prop_map(|(i, s, e)| Op::Resize(i, s, e)),
        (0usize..50).prop_map(Op::Accept),
        (0usize..50).prop_map(Op::Reject),
        (prop::option::of(0usize..6), prop::option::of(0u8..=10))
            .prop_map(|(l, s)| Op::AcceptAll(l, s)),
        (0u8..3).prop_map(Op::Status),
        (0usize..50, "[a-zé😀 ]{0,8}").prop_map(|(i, n)| Op::Note(i, n)),
        prop::collection::vec((0usize..600, 1usize..3, 0usize..6), 1..4).prop_map(Op::Batch),
    ]
}

fn sample() -> (Document, LabelSchema) {
    static SAMPLE: std::sync::OnceLock<(Document, LabelSchema)> = std::sync::OnceLock::new();
    SAMPLE.get_or_init(make_sample).clone()
}

fn make_sample() -> (Document, LabelSchema) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/samples/xi-putin-call.txt"
    ))
    .unwrap();
    let schema = LabelSchema::news();
    let mut d = Document::new(DocId::new("sample").unwrap(), "t", "", text);
    let s = Pipeline::news().suggest_for(&d, &schema);
    d.set_initial_suggestions(s);
    (d, schema)
}

fn token_span(d: &Document, t: usize, n: usize) -> CharSpan {
    static TOKENS: std::sync::OnceLock<Vec<tagwright::text::Token>> = std::sync::OnceLock::new();
    let toks = TOKENS.get_or_init(|| tokenize(d.text()));
    let i = t % toks.len();
    let j = (i + n).min(toks.len()) - 1;
    CharSpan {
        start: toks[i].span.start,
        end: toks[j].span.end,
    }
}

fn to_edit(d: &Document, op: &Op) -> Option<Edit> {
    let label = |l: usize| LABELS[l % LABELS.len()].to_string();
    let span_at = |i: usize| d.spans().get(i % d.spans().len().max(1)).cloned();
    let sug_at = |i: usize| {
        d.suggestions()
            .get(i % d.suggestions().len().max(1))
            .cloned()
    };
    Some(match op {
        Op::Add { a, b, label: l } => Edit::AddSpan(Span::manual(*a, *b, &label(*l))),
        Op::AddTokens { t, n, label: l } => {
            let sp = token_span(d, *t, *n);
            Edit::AddSpan(Span::manual(sp.start.0, sp.end.0, &label(*l)))
        }
        Op::Remove(i) => {
            let s = span_at(*i)?;
            Edit::RemoveSpan {
                span: s.span,
                label: s.label,
            }
        }
        Op::Relabel(i, l) => {
            let s = span_at(*i)?;
            Edit::Relabel {
                span: s.span,
                from: s.label,
                to: label(*l),
            }
        }
        Op::Resize(i, ds, de) => {
            let s = span_at(*i)?;
            let start = (s.span.start.0 as isize + ds).max(0) as usize;
            let end = (s.span.end.0 as isize + de).max(0) as usize;
            Edit::Resize {
                label: s.label,
                from: s.span,
                to: CharSpan::new(start.min(end), end.max(start))?,
            }
        }
        Op::Accept(i) => {
            let s = sug_at(*i)?;
            Edit::AcceptSuggestion {
                span: s.span,
                label: s.label,
            }
        }
        Op::Reject(i) => {
            let s = sug_at(*i)?;
            Edit::RejectSuggestion {
                span: s.span,
                label: s.label,
            }
        }
        Op::AcceptAll(l, s) => Edit::AcceptAll {
            label: l.map(label),
            min_score: s.map(|s| s as f32 / 10.0),
        },
        Op::Status(s) => {
            Edit::SetStatus([Status::Todo, Status::InProgress, Status::Done][*s as usize % 3])
        }
        Op::Note(i, n) => {
            let s = span_at(*i)?;
            Edit::SetSpanNote {
                span: s.span,
                label: s.label,
                note: n.clone(),
            }
        }
        Op::Batch(v) => Edit::Batch(
            v.iter()
                .map(|(t, n, l)| {
                    let sp = token_span(d, *t, *n);
                    Edit::AddSpan(Span::manual(sp.start.0, sp.end.0, &label(*l)))
                })
                .collect(),
        ),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_edits_keep_invariants_and_undo_all_restores(ops in prop::collection::vec(op(), 1..40)) {
        let (mut d, schema) = sample();
        let original = d.clone();
        let mut h = History::new();
        for op in &ops {
            let Some(edit) = to_edit(&d, op) else { continue };
            let before = d.clone();
            if h.apply(&mut d, &edit, &schema).is_err() {
                prop_assert_eq!(&d, &before, "a refused edit changed the document");
            }
            prop_assert!(d.check_invariants(false).is_ok(), "{:?}", d.check_invariants(false));
            prop_assert!(d.spans().iter().all(|s| d.slice(s.span).is_some()));
        }
        let last = d.clone();
        while h.undo(&mut d, &schema).unwrap().is_some() {
            prop_assert!(d.check_invariants(false).is_ok());
        }
        prop_assert_eq!(&d, &original);
        prop_assert!(!h.is_dirty());
        while h.redo(&mut d, &schema).unwrap().is_some() {}
        prop_assert_eq!(&d, &last);
    }
}
