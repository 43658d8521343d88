//! Edits: every change to a document's annotations is an [`Edit`], applied by
//! [`Document::apply`], which validates it and returns its inverse.
//!
//! Applying `e` and then the inverse it returned restores an equal document (lists are kept
//! sorted, so positions come back too). A failed edit changes nothing: a [`Edit::Batch`] that fails
//! half-way rolls back the part it had applied.

use super::document::{Document, Origin, Span, Status, Suggestion};
use super::label::LabelSchema;
use crate::text::CharSpan;

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Edit {
    /// Add a confirmed span.
    AddSpan(Span),
    /// Remove the confirmed span with this (span, label).
    RemoveSpan {
        span: CharSpan,
        label: String,
    },
    /// Change the label of a confirmed span.
    Relabel {
        span: CharSpan,
        from: String,
        to: String,
    },
    /// Move one or both boundaries of a confirmed span.
    Resize {
        label: String,
        from: CharSpan,
        to: CharSpan,
    },
    /// Turn a pending suggestion into a confirmed span (origin: accepted).
    AcceptSuggestion {
        span: CharSpan,
        label: String,
    },
    /// Move a pending suggestion to the rejected list (it is never suggested again).
    RejectSuggestion {
        span: CharSpan,
        label: String,
    },
    /// Accept every pending suggestion (optionally only of one label and/or with a score of at
    /// least `min_score`) that does not overlap a confirmed span. One edit, one undo step.
    AcceptAll {
        label: Option<String>,
        min_score: Option<f32>,
    },
    SetStatus(Status),
    SetSpanNote {
        span: CharSpan,
        label: String,
        note: String,
    },
    SetDocNote(String),
    /// Why the document is flagged or skipped.
    SetReason(String),
    /// Add a pending suggestion (the inverse of accepting/removing one).
    AddSuggestion(Suggestion),
    RemoveSuggestion {
        span: CharSpan,
        label: String,
    },
    /// Move a rejected suggestion back to the pending list (the inverse of a rejection).
    Unreject {
        span: CharSpan,
        label: String,
    },
    /// Replace all pending suggestions (after re-running the extractor).
    ReplaceSuggestions(Vec<Suggestion>),
    /// Several edits as one step; all or nothing.
    Batch(Vec<Edit>),
}

/// Why an edit was refused. The messages are sentences for the person who made the gesture.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("the span {span} is outside the text, which has {len} characters")]
    OutOfBounds { span: CharSpan, len: usize },
    #[error("an entity cannot be empty")]
    Empty,
    #[error("there is no label {0:?} in this project's schema")]
    UnknownLabel(String),
    #[error("{label} {span} is already tagged")]
    Duplicate { span: CharSpan, label: String },
    #[error("{span} overlaps the {other_label} entity “{other_text}” at {other}; overlapping entities are not allowed in this project")]
    Overlap {
        span: CharSpan,
        other: CharSpan,
        other_label: String,
        other_text: String,
    },
    #[error("there is no {label} entity at {span}")]
    NoSuchSpan { span: CharSpan, label: String },
    #[error("there is no pending {label} suggestion at {span}")]
    NoSuchSuggestion { span: CharSpan, label: String },
    #[error("the score {0} is not between 0 and 1")]
    BadScore(f32),
    /// The document could not be read from disk to apply the edit (the message says why).
    #[error("{0}")]
    Unavailable(String),
}

fn key_cmp(a: (CharSpan, &str), b: (CharSpan, &str)) -> std::cmp::Ordering {
    a.cmp(&b)
}

impl Edit {
    /// A short description for menus and the status bar ("Undo add PER").
    pub fn describe(&self) -> String {
        match self {
            Edit::AddSpan(s) => format!("add {}", s.label),
            Edit::RemoveSpan { label, .. } => format!("remove {label}"),
            Edit::Relabel { to, .. } => format!("relabel as {to}"),
            Edit::Resize { label, .. } => format!("resize {label}"),
            Edit::AcceptSuggestion { label, .. } => format!("accept {label}"),
            Edit::RejectSuggestion { label, .. } => format!("reject {label}"),
            Edit::AcceptAll { .. } => "accept all".into(),
            Edit::SetStatus(s) => format!("mark {}", s.name()),
            Edit::SetSpanNote { .. } => "edit span note".into(),
            Edit::SetDocNote(_) => "edit document note".into(),
            Edit::SetReason(_) => "edit the reason".into(),
            Edit::AddSuggestion(_) => "restore suggestion".into(),
            Edit::RemoveSuggestion { .. } => "drop suggestion".into(),
            Edit::Unreject { .. } => "unreject".into(),
            Edit::ReplaceSuggestions(_) => "refresh suggestions".into(),
            Edit::Batch(v) => {
                // Bookkeeping parts (status bump, replaced suggestions) do not name a gesture.
                let main: Vec<&Edit> = v
                    .iter()
                    .filter(|e| {
                        !matches!(
                            e,
                            Edit::SetStatus(_)
                                | Edit::SetReason(_)
                                | Edit::RemoveSuggestion { .. }
                                | Edit::AddSuggestion(_)
                        )
                    })
                    .collect();
                match main.as_slice() {
                    [one] => one.describe(),
                    [] => v.first().map_or_else(|| "nothing".into(), |e| e.describe()),
                    many => format!("{} changes", many.len()),
                }
            }
        }
    }
}

impl Document {
    /// Apply an edit, checking it against the schema. Returns the inverse edit. On error the
    /// document is unchanged.
    pub fn apply(&mut self, edit: &Edit, schema: &LabelSchema) -> Result<Edit, EditError> {
        match edit {
            Edit::AddSpan(span) => {
                self.insert_span(span.clone(), schema)?;
                Ok(Edit::RemoveSpan {
                    span: span.span,
                    label: span.label.clone(),
                })
            }
            Edit::RemoveSpan { span, label } => {
                let removed = self.take_span(*span, label)?;
                Ok(Edit::AddSpan(removed))
            }
            Edit::Relabel { span, from, to } => {
                if !schema.contains(to) {
                    return Err(EditError::UnknownLabel(to.clone()));
                }
                let old = self.take_span(*span, from)?;
                let new = Span {
                    label: to.clone(),
                    ..old.clone()
                };
                if let Err(e) = self.insert_span(new, schema) {
                    self.restore_span(old);
                    return Err(e);
                }
                Ok(Edit::Relabel {
                    span: *span,
                    from: to.clone(),
                    to: from.clone(),
                })
            }
            Edit::Resize { label, from, to } => {
                let old = self.take_span(*from, label)?;
                let new = Span {
                    span: *to,
                    ..old.clone()
                };
                if let Err(e) = self.insert_span(new, schema) {
                    self.restore_span(old);
                    return Err(e);
                }
                Ok(Edit::Resize {
                    label: label.clone(),
                    from: *to,
                    to: *from,
                })
            }
            Edit::AcceptSuggestion { span, label } => {
                let sug = self.take_suggestion(*span, label)?;
                if let Err(e) = self.insert_span(sug.accepted(), schema) {
                    self.restore_suggestion(sug);
                    return Err(e);
                }
                Ok(Edit::Batch(vec![
                    Edit::RemoveSpan {
                        span: *span,
                        label: label.clone(),
                    },
                    Edit::AddSuggestion(sug),
                ]))
            }
            Edit::RejectSuggestion { span, label } => {
                let sug = self.take_suggestion(*span, label)?;
                let pos = self
                    .rejected
                    .binary_search_by(|s| key_cmp(s.key(), sug.key()));
                match pos {
                    // Rejected before (e.g. suggested again by a new model): keep one record.
                    Ok(_) => {
                        self.restore_suggestion(sug);
                        return Err(EditError::Duplicate {
                            span: *span,
                            label: label.clone(),
                        });
                    }
                    Err(p) => self.rejected.insert(p, sug),
                }
                Ok(Edit::Unreject {
                    span: *span,
                    label: label.clone(),
                })
            }
            Edit::Unreject { span, label } => {
                let p = self
                    .rejected
                    .binary_search_by(|s| key_cmp(s.key(), (*span, label)))
                    .map_err(|_| EditError::NoSuchSuggestion {
                        span: *span,
                        label: label.clone(),
                    })?;
                let sug = self.rejected.remove(p);
                if let Err(e) = self.insert_suggestion(sug.clone()) {
                    self.rejected.insert(p, sug);
                    return Err(e);
                }
                Ok(Edit::RejectSuggestion {
                    span: *span,
                    label: label.clone(),
                })
            }
            Edit::AcceptAll { label, min_score } => {
                let picks: Vec<Edit> = self
                    .suggestions
                    .iter()
                    .filter(|s| label.as_ref().is_none_or(|l| &s.label == l))
                    .filter(|s| min_score.is_none_or(|m| s.score >= m))
                    .map(|s| Edit::AcceptSuggestion {
                        span: s.span,
                        label: s.label.clone(),
                    })
                    .collect();
                // Suggestions that would overlap a confirmed span (or each other) are skipped, not
                // an error: "accept all" means "all that can be".
                let mut inverses = Vec::new();
                for e in &picks {
                    if let Ok(inv) = self.apply(e, schema) {
                        inverses.push(inv);
                    }
                }
                inverses.reverse();
                Ok(Edit::Batch(inverses))
            }
            Edit::SetStatus(s) => {
                let old = std::mem::replace(&mut self.status, *s);
                Ok(Edit::SetStatus(old))
            }
            Edit::SetSpanNote { span, label, note } => {
                let s = self
                    .spans
                    .iter_mut()
                    .find(|s| s.key() == (*span, label.as_str()))
                    .ok_or_else(|| EditError::NoSuchSpan {
                        span: *span,
                        label: label.clone(),
                    })?;
                let old = std::mem::replace(&mut s.note, note.clone());
                Ok(Edit::SetSpanNote {
                    span: *span,
                    label: label.clone(),
                    note: old,
                })
            }
            Edit::SetDocNote(n) => Ok(Edit::SetDocNote(std::mem::replace(
                &mut self.note,
                n.clone(),
            ))),
            Edit::SetReason(r) => Ok(Edit::SetReason(std::mem::replace(
                &mut self.reason,
                r.clone(),
            ))),
            Edit::AddSuggestion(s) => {
                self.insert_suggestion(s.clone())?;
                Ok(Edit::RemoveSuggestion {
                    span: s.span,
                    label: s.label.clone(),
                })
            }
            Edit::RemoveSuggestion { span, label } => {
                Ok(Edit::AddSuggestion(self.take_suggestion(*span, label)?))
            }
            Edit::ReplaceSuggestions(new) => {
                for s in new {
                    self.check_bounds(s.span)?;
                    if !(0.0..=1.0).contains(&s.score) {
                        return Err(EditError::BadScore(s.score));
                    }
                }
                let filtered = self.filter_new_suggestions(new.clone());
                let old = std::mem::replace(&mut self.suggestions, filtered);
                Ok(Edit::ReplaceSuggestions(old))
            }
            Edit::Batch(edits) => {
                let mut inverses = Vec::with_capacity(edits.len());
                for e in edits {
                    match self.apply(e, schema) {
                        Ok(inv) => inverses.push(inv),
                        Err(err) => {
                            for inv in inverses.iter().rev() {
                                // Inverses of edits that just succeeded always apply.
                                let _ = self.apply(inv, schema);
                            }
                            return Err(err);
                        }
                    }
                }
                inverses.reverse();
                Ok(Edit::Batch(inverses))
            }
        }
    }

    fn check_bounds(&self, span: CharSpan) -> Result<(), EditError> {
        if span.end.0 > self.char_len() || span.start > span.end {
            return Err(EditError::OutOfBounds {
                span,
                len: self.char_len(),
            });
        }
        if span.is_empty() {
            return Err(EditError::Empty);
        }
        Ok(())
    }

    fn insert_span(&mut self, span: Span, schema: &LabelSchema) -> Result<(), EditError> {
        self.check_bounds(span.span)?;
        if !schema.contains(&span.label) {
            return Err(EditError::UnknownLabel(span.label));
        }
        if let Origin::Accepted { score, .. } = &span.origin {
            if !(0.0..=1.0).contains(score) {
                return Err(EditError::BadScore(*score));
            }
        }
        let pos = match self
            .spans
            .binary_search_by(|s| key_cmp(s.key(), span.key()))
        {
            Ok(_) => {
                return Err(EditError::Duplicate {
                    span: span.span,
                    label: span.label,
                })
            }
            Err(p) => p,
        };
        if !schema.allow_overlap {
            // Without overlaps the spans are disjoint, so their ends are sorted like their
            // starts: only the last span starting before this one ends can overlap it.
            let before = self.spans.partition_point(|s| s.span.start < span.span.end);
            let other = before
                .checked_sub(1)
                .map(|k| &self.spans[k])
                .filter(|s| s.span.overlaps(span.span));
            if let Some(other) = other {
                return Err(EditError::Overlap {
                    span: span.span,
                    other: other.span,
                    other_label: other.label.clone(),
                    other_text: self.slice(other.span).unwrap_or_default().to_string(),
                });
            }
        }
        self.spans.insert(pos, span);
        Ok(())
    }

    /// Put back a span that was just taken out (cannot fail: it was valid a moment ago).
    fn restore_span(&mut self, span: Span) {
        let pos = self
            .spans
            .binary_search_by(|s| key_cmp(s.key(), span.key()))
            .unwrap_or_else(|p| p);
        self.spans.insert(pos, span);
    }

    fn take_span(&mut self, span: CharSpan, label: &str) -> Result<Span, EditError> {
        let p = self
            .spans
            .binary_search_by(|s| key_cmp(s.key(), (span, label)))
            .map_err(|_| EditError::NoSuchSpan {
                span,
                label: label.to_string(),
            })?;
        Ok(self.spans.remove(p))
    }

    fn take_suggestion(&mut self, span: CharSpan, label: &str) -> Result<Suggestion, EditError> {
        let p = self
            .suggestions
            .binary_search_by(|s| key_cmp(s.key(), (span, label)))
            .map_err(|_| EditError::NoSuchSuggestion {
                span,
                label: label.to_string(),
            })?;
        Ok(self.suggestions.remove(p))
    }

    fn insert_suggestion(&mut self, sug: Suggestion) -> Result<(), EditError> {
        self.check_bounds(sug.span)?;
        if !(0.0..=1.0).contains(&sug.score) {
            return Err(EditError::BadScore(sug.score));
        }
        match self
            .suggestions
            .binary_search_by(|s| key_cmp(s.key(), sug.key()))
        {
            Ok(_) => Err(EditError::Duplicate {
                span: sug.span,
                label: sug.label,
            }),
            Err(p) => {
                self.suggestions.insert(p, sug);
                Ok(())
            }
        }
    }

    fn restore_suggestion(&mut self, sug: Suggestion) {
        let pos = self
            .suggestions
            .binary_search_by(|s| key_cmp(s.key(), sug.key()))
            .unwrap_or_else(|p| p);
        self.suggestions.insert(pos, sug);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocId;

    fn doc() -> Document {
        let mut d = Document::new(
            DocId::new("d").unwrap(),
            "t",
            "",
            "Xi Jinping met Vladimir Putin in Moscow.",
        );
        d.set_initial_suggestions(vec![
            Suggestion::new(0, 10, "PER", 0.95, "gazetteer"),
            Suggestion::new(15, 29, "PER", 0.8, "rule"),
            Suggestion::new(33, 39, "LOC", 0.9, "gazetteer"),
        ]);
        d
    }

    fn cs(a: usize, b: usize) -> CharSpan {
        CharSpan::new(a, b).unwrap()
    }

    #[test]
    fn accept_reject_and_undo() {
        let schema = LabelSchema::news();
        let mut d = doc();
        let orig = d.clone();
        let inv = d
            .apply(
                &Edit::AcceptSuggestion {
                    span: cs(0, 10),
                    label: "PER".into(),
                },
                &schema,
            )
            .unwrap();
        assert_eq!(d.spans().len(), 1);
        assert_eq!(d.suggestions().len(), 2);
        assert!(matches!(d.spans()[0].origin, Origin::Accepted { .. }));
        let inv2 = d
            .apply(
                &Edit::RejectSuggestion {
                    span: cs(33, 39),
                    label: "LOC".into(),
                },
                &schema,
            )
            .unwrap();
        assert!(d.is_rejected(cs(33, 39), "LOC"));
        d.apply(&inv2, &schema).unwrap();
        d.apply(&inv, &schema).unwrap();
        assert_eq!(d, orig);
    }

    #[test]
    fn overlap_is_refused_with_reason() {
        let schema = LabelSchema::news();
        let mut d = doc();
        d.apply(&Edit::AddSpan(Span::manual(0, 10, "PER")), &schema)
            .unwrap();
        let err = d
            .apply(&Edit::AddSpan(Span::manual(3, 14, "ORG")), &schema)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "3..14 overlaps the PER entity “Xi Jinping” at 0..10; overlapping entities are not allowed in this project"
        );
        let mut lenient = schema.clone();
        lenient.allow_overlap = true;
        d.apply(&Edit::AddSpan(Span::manual(3, 14, "ORG")), &lenient)
            .unwrap();
    }

    #[test]
    fn refusals() {
        let schema = LabelSchema::news();
        let mut d = doc();
        let before = d.clone();
        assert!(matches!(
            d.apply(&Edit::AddSpan(Span::manual(30, 99, "LOC")), &schema),
            Err(EditError::OutOfBounds { .. })
        ));
        assert_eq!(
            d.apply(&Edit::AddSpan(Span::manual(3, 3, "LOC")), &schema),
            Err(EditError::Empty)
        );
        assert!(matches!(
            d.apply(&Edit::AddSpan(Span::manual(0, 2, "DRUG")), &schema),
            Err(EditError::UnknownLabel(_))
        ));
        // A batch that fails half-way leaves nothing behind.
        let batch = Edit::Batch(vec![
            Edit::AddSpan(Span::manual(0, 2, "PER")),
            Edit::AddSpan(Span::manual(1, 2, "LOC")),
        ]);
        assert!(d.apply(&batch, &schema).is_err());
        assert_eq!(d, before);
    }

    #[test]
    fn accept_all_filters_and_is_one_inverse() {
        let schema = LabelSchema::news();
        let mut d = doc();
        let orig = d.clone();
        let inv = d
            .apply(
                &Edit::AcceptAll {
                    label: Some("PER".into()),
                    min_score: Some(0.9),
                },
                &schema,
            )
            .unwrap();
        assert_eq!(d.spans().len(), 1);
        d.apply(&inv, &schema).unwrap();
        assert_eq!(d, orig);
        d.apply(
            &Edit::AcceptAll {
                label: None,
                min_score: None,
            },
            &schema,
        )
        .unwrap();
        assert_eq!(d.spans().len(), 3);
        assert!(d.suggestions().is_empty());
    }

    #[test]
    fn relabel_resize_notes() {
        let schema = LabelSchema::news();
        let mut d = doc();
        d.apply(&Edit::AddSpan(Span::manual(33, 39, "ORG")), &schema)
            .unwrap();
        let orig = d.clone();
        let a = d
            .apply(
                &Edit::Relabel {
                    span: cs(33, 39),
                    from: "ORG".into(),
                    to: "LOC".into(),
                },
                &schema,
            )
            .unwrap();
        let b = d
            .apply(
                &Edit::Resize {
                    label: "LOC".into(),
                    from: cs(33, 39),
                    to: cs(30, 39),
                },
                &schema,
            )
            .unwrap();
        let c = d
            .apply(
                &Edit::SetSpanNote {
                    span: cs(30, 39),
                    label: "LOC".into(),
                    note: "city".into(),
                },
                &schema,
            )
            .unwrap();
        assert_eq!(d.spans()[0].note, "city");
        for inv in [c, b, a] {
            d.apply(&inv, &schema).unwrap();
        }
        assert_eq!(d, orig);
    }
}
