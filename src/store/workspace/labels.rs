//! The label schema of an open project: adding, changing, renaming and deleting labels. Renames
//! and deletions that touch spans are applied as ordinary edits (one undo step per affected
//! document); every schema change is journalled.

use super::Workspace;
use crate::model::{Edit, EditError, Label, LabelSchema};
use crate::store::journal::Op;
use crate::store::StoreError;

/// Why a change to the label schema was refused, as a sentence for the person.
#[derive(Debug, thiserror::Error)]
pub enum LabelError {
    #[error("there is no label {0:?}")]
    NoSuchLabel(String),
    /// The index into the schema's labels that was given.
    #[error("no such label")]
    NoSuchIndex(usize),
    #[error("use rename to change a label's name")]
    NameChange,
    #[error(transparent)]
    Schema(#[from] crate::model::SchemaError),
    /// A document that uses the label could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A document refused the edit that carries the change over to its spans.
    #[error(transparent)]
    Edit(#[from] EditError),
}

impl Workspace {
    pub(super) fn set_schema(&mut self, schema: LabelSchema) {
        self.schema = schema;
        self.manifest_dirty = true;
        self.log("", Op::Schema(self.schema.clone()));
    }

    /// Add a label with the next free colour and key.
    pub fn add_label(&mut self, name: &str) -> Result<(), LabelError> {
        let schema = self.schema.with_label(name)?;
        self.set_schema(schema);
        Ok(())
    }

    /// Change colour, key or description of a label (not its name).
    pub fn update_label(&mut self, index: usize, label: Label) -> Result<(), LabelError> {
        let mut schema = self.schema.clone();
        let Some(slot) = schema.labels.get_mut(index) else {
            return Err(LabelError::NoSuchIndex(index));
        };
        if slot.name != label.name {
            return Err(LabelError::NameChange);
        }
        *slot = label;
        schema.validate()?;
        self.set_schema(schema);
        Ok(())
    }

    /// Documents that may hold `label`: those in memory plus, for the others, whatever the file
    /// holds (read one at a time; documents that use the label are then kept, being edited).
    fn docs_using(&self, label: &str) -> Vec<usize> {
        let source = self.source();
        (0..self.docs.len())
            .filter(|&i| {
                source.get(i).is_ok_and(|d| {
                    d.spans().iter().any(|s| s.label == label)
                        || d.suggestions().iter().any(|s| s.label == label)
                })
            })
            .collect()
    }

    /// Rename a label and every span, suggestion and rejection that uses it. Each affected
    /// document gets one undo step.
    pub fn rename_label(&mut self, old: &str, new: &str) -> Result<(), LabelError> {
        let new = new.trim();
        if old == new {
            return Ok(());
        }
        let Some(pos) = self.schema.labels.iter().position(|l| l.name == old) else {
            return Err(LabelError::NoSuchLabel(old.to_string()));
        };
        let mut schema = self.schema.clone();
        // The new name keeps the model class of the old one (and loses it when renamed back).
        let class = schema.labels[pos].class().to_string();
        schema.labels[pos].name = new.to_string();
        schema.labels[pos].from = (class != new).then_some(class);
        schema.validate()?;
        // Both names are valid while the spans move over.
        let mut both = self.schema.clone();
        both.labels.push(schema.labels[pos].clone());
        if let Some(l) = both.labels.last_mut() {
            l.key = None;
        }
        let before = self.schema.clone();
        self.set_schema(both);
        for i in self.docs_using(old) {
            let d = self.load(i)?;
            let mut edits: Vec<Edit> = d
                .spans()
                .iter()
                .filter(|s| s.label == old)
                .map(|s| Edit::Relabel {
                    span: s.span,
                    from: old.to_string(),
                    to: new.to_string(),
                })
                .collect();
            let sugg: Vec<_> = d
                .suggestions()
                .iter()
                .map(|s| {
                    let mut s = s.clone();
                    if s.label == old {
                        s.label = new.to_string();
                    }
                    s
                })
                .collect();
            if d.suggestions().iter().any(|s| s.label == old) {
                edits.push(Edit::ReplaceSuggestions(sugg));
            }
            if !edits.is_empty() {
                if let Err(e) = self.apply(i, &Edit::Batch(edits)) {
                    self.set_schema(before);
                    return Err(e.into());
                }
            }
        }
        self.set_schema(schema);
        Ok(())
    }

    /// How many spans in all documents use `label` (documents not in memory are read).
    pub fn label_usage(&self, label: &str) -> usize {
        let source = self.source();
        (0..source.len())
            .filter_map(|i| source.get(i).ok())
            .map(|d| d.spans().iter().filter(|s| s.label == label).count())
            .sum()
    }

    /// Delete a label, removing its spans and pending suggestions (one undo step per document).
    pub fn delete_label(&mut self, name: &str) -> Result<(), LabelError> {
        if !self.schema.contains(name) {
            return Err(LabelError::NoSuchLabel(name.to_string()));
        }
        for i in self.docs_using(name) {
            let d = self.load(i)?;
            let mut edits: Vec<Edit> = d
                .spans()
                .iter()
                .filter(|s| s.label == name)
                .map(|s| Edit::RemoveSpan {
                    span: s.span,
                    label: s.label.clone(),
                })
                .collect();
            edits.extend(d.suggestions().iter().filter(|s| s.label == name).map(|s| {
                Edit::RemoveSuggestion {
                    span: s.span,
                    label: s.label.clone(),
                }
            }));
            if !edits.is_empty() {
                self.apply(i, &Edit::Batch(edits))?;
            }
        }
        let mut schema = self.schema.clone();
        schema.labels.retain(|l| l.name != name);
        self.set_schema(schema);
        Ok(())
    }
}
