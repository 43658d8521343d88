//! Annotators' layers (a team without a server): the text of a document is stored once, in
//! `documents/<id>.ron`; each annotator's work on it (spans, pending and rejected suggestions,
//! status, note, times) is in `layers/<annotator>/<id>.ron`, a file only that person writes. Two
//! people who share the project through git therefore never change the same file, and a merge
//! never conflicts.
//!
//! The work in `documents/<id>.ron` itself is the project's main layer: a one-person project's
//! work as before, and in a team project the adjudicated result, which export and learning use.
//! A project in the format from before layers is a project with a main layer only; nothing is
//! rewritten to open it.
//!
//! A layer file repeats the document's `text_sha256`: its offsets (code points, end-exclusive,
//! like every offset in the project) are refused if the text they point into is not the text
//! they were made on. An annotator who has not opened a document yet has no file for it; their
//! layer starts from the document's pending machine suggestions only, never from anyone's
//! confirmed spans (annotation is blind).

use super::format::{check_version, DocumentFile, SpanRec, SuggestionRec, FORMAT_VERSION};
use super::{ImportBatch, Project, StoreError};
use crate::model::{Annotator, DocId, Document, IdSource, LabelSchema, Status};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The folder of all layers, inside the project folder.
pub const LAYERS: &str = "layers";

/// The folder of one annotator's layer files.
pub fn layer_dir(root: &Path, who: &Annotator) -> PathBuf {
    root.join(LAYERS).join(who.as_str())
}

/// One annotator's work on one document (`layers/<annotator>/<id>.ron`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename = "Layer")]
pub struct LayerFile {
    pub format_version: u32,
    pub id: String,
    pub annotator: String,
    pub text_sha256: String,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub spans: Vec<SpanRec>,
    #[serde(default)]
    pub suggestions: Vec<SuggestionRec>,
    #[serde(default)]
    pub rejected: Vec<SuggestionRec>,
    #[serde(default)]
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_at: Option<u64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub active_ms: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl LayerFile {
    /// The work part of `doc`, as `who`'s layer.
    pub fn from_document(doc: &Document, who: &Annotator) -> LayerFile {
        let f = DocumentFile::from_document(doc);
        LayerFile {
            format_version: FORMAT_VERSION,
            id: f.id,
            annotator: who.to_string(),
            text_sha256: f.text_sha256,
            status: f.status,
            spans: f.spans,
            suggestions: f.suggestions,
            rejected: f.rejected,
            note: f.note,
            done_at: f.done_at,
            reason: f.reason,
            active_ms: f.active_ms,
        }
    }

    /// Check this layer against the document it belongs to (`main`, as read from
    /// `documents/<id>.ron`) and give the document with this layer's work: version, id,
    /// annotator (the folder's), text hash, then every check a document file gets.
    pub fn apply(
        self,
        main: DocumentFile,
        path: &Path,
        expected: &DocId,
        who: &Annotator,
        schema: &LabelSchema,
    ) -> Result<Document, StoreError> {
        check_version(path, self.format_version)?;
        let invalid = |msg: String| StoreError::Invalid {
            path: path.to_path_buf(),
            msg,
        };
        if self.id != expected.as_str() {
            return Err(invalid(format!(
                "holds the layer of document {:?}, but it is in the place of {:?}",
                self.id,
                expected.as_str()
            )));
        }
        if self.annotator != who.as_str() {
            return Err(invalid(format!(
                "says it is {:?}'s layer, but it is in {:?}'s folder",
                self.annotator,
                who.as_str()
            )));
        }
        if self.text_sha256 != main.text_sha256 {
            return Err(invalid(
                "was made on another version of the document's text (its text_sha256 differs), so its span offsets cannot be trusted".into(),
            ));
        }
        let merged = DocumentFile {
            status: self.status,
            spans: self.spans,
            suggestions: self.suggestions,
            rejected: self.rejected,
            note: self.note,
            done_at: self.done_at,
            reason: self.reason,
            active_ms: self.active_ms,
            ..main
        };
        merged.into_document(path, expected, schema)
    }
}

/// Where an annotator starts on a document they have no layer for: its text and pending machine
/// suggestions, nothing anyone confirmed or rejected.
pub fn blind_start(main: DocumentFile) -> DocumentFile {
    DocumentFile {
        status: Status::Todo,
        spans: Vec::new(),
        rejected: Vec::new(),
        note: String::new(),
        done_at: None,
        reason: String::new(),
        active_ms: 0,
        ..main
    }
}

/// Refuse a path that is a symbolic link or exists and is not a folder: layers are written only
/// inside the project.
pub fn check_real_dir(dir: &Path) -> Result<(), StoreError> {
    real_folder(dir, "layers")
}

/// `layers/` and `who`'s folder in it are real folders (see [`check_real_dir`]).
pub fn check_layer_dirs(root: &Path, who: &Annotator) -> Result<(), StoreError> {
    check_real_dir(&root.join(LAYERS))?;
    check_real_dir(&layer_dir(root, who))
}

/// Refuse `dir` if it is a symbolic link or exists and is not a folder: Tagwright writes `what`
/// (documents, layers) only into the project's own folder of them.
pub(super) fn real_folder(dir: &Path, what: &str) -> Result<(), StoreError> {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() || !m.is_dir() => Err(StoreError::Invalid {
            path: dir.to_path_buf(),
            msg: format!("is a symbolic link or not a folder; Tagwright writes {what} only into the project's own {what} folder"),
        }),
        _ => Ok(()),
    }
}

/// The annotators who have a layer folder, sorted by name. Entries that are not folders, or
/// whose names are not annotator names (a stray file, `.DS_Store`), are not layers; a folder that
/// is a symbolic link is an error (it would read outside the project).
pub fn annotators(root: &Path) -> Result<Vec<Annotator>, StoreError> {
    let dir = root.join(LAYERS);
    check_real_dir(&dir)?;
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(StoreError::io("read", &dir, e)),
    };
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(|err| StoreError::io("read", &dir, err))?;
        let Some(name) = e.file_name().to_str().map(str::to_string) else {
            continue;
        };
        let Ok(who) = Annotator::new(&name) else {
            continue;
        };
        let path = e.path();
        let meta = fs::symlink_metadata(&path).map_err(|err| StoreError::io("read", &path, err))?;
        if meta.file_type().is_symlink() {
            check_real_dir(&path)?;
        }
        if meta.is_dir() {
            out.push(who);
        }
    }
    out.sort();
    Ok(out)
}

/// Who annotates which document (`assignments.ron`, written by `tagwright assign`).
pub const ASSIGNMENTS: &str = "assignments.ron";

/// The assignment file: the settings it was made with and each document's annotators, in the
/// project's order.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename = "Assignments")]
pub struct AssignmentsFile {
    pub format_version: u32,
    pub overlap: usize,
    pub seed: u64,
    pub annotators: Vec<String>,
    pub documents: Vec<(String, Vec<String>)>,
}

/// Checked assignments: document → its annotators.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assignments {
    pub overlap: usize,
    pub seed: u64,
    pub annotators: Vec<Annotator>,
    pub documents: Vec<(DocId, Vec<Annotator>)>,
}

impl Assignments {
    /// The documents given to `who`, in the project's order.
    pub fn of<'a>(&'a self, who: &'a Annotator) -> impl Iterator<Item = &'a DocId> + 'a {
        self.documents
            .iter()
            .filter(move |(_, a)| a.contains(who))
            .map(|(id, _)| id)
    }
}

/// The project's assignments, `None` when it has none.
pub fn read_assignments(root: &Path) -> Result<Option<Assignments>, StoreError> {
    let path = root.join(ASSIGNMENTS);
    if fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let file: AssignmentsFile = super::format::read_ron(&path)?;
    check_version(&path, file.format_version)?;
    let invalid = |msg: String| StoreError::Invalid {
        path: path.clone(),
        msg,
    };
    let who = |n: &str| Annotator::new(n).map_err(|e| invalid(e.to_string()));
    let annotators = file
        .annotators
        .iter()
        .map(|n| who(n))
        .collect::<Result<Vec<_>, _>>()?;
    let mut documents = Vec::with_capacity(file.documents.len());
    for (id, names) in &file.documents {
        let id = DocId::new(id).map_err(|e| invalid(e.to_string()))?;
        let names = names.iter().map(|n| who(n)).collect::<Result<_, _>>()?;
        documents.push((id, names));
    }
    Ok(Some(Assignments {
        overlap: file.overlap,
        seed: file.seed,
        annotators,
        documents,
    }))
}

/// Write the assignments (atomically; deterministic bytes).
pub fn write_assignments(root: &Path, a: &Assignments) -> Result<(), StoreError> {
    let path = root.join(ASSIGNMENTS);
    let file = AssignmentsFile {
        format_version: FORMAT_VERSION,
        overlap: a.overlap,
        seed: a.seed,
        annotators: a.annotators.iter().map(|x| x.to_string()).collect(),
        documents: a
            .documents
            .iter()
            .map(|(id, names)| {
                (
                    id.to_string(),
                    names.iter().map(|x| x.to_string()).collect(),
                )
            })
            .collect(),
    };
    let text = super::format::to_ron(&file, &path)?;
    super::write_atomic(&path, text.as_bytes())
}

/// What [`Project::add_layer_import`] did: each document's id and whether it was new, and the
/// importers' warnings.
pub type LayerImport = (Vec<(DocId, bool)>, Vec<String>);

impl Project {
    /// Save `doc` as `who`'s layer of it (whatever layer this project works on). The document
    /// must be listed in the project.
    pub fn save_layer(&self, doc: &Document, who: &Annotator) -> Result<String, StoreError> {
        let path = layer_dir(self.root(), who).join(format!("{}.ron", doc.id));
        if !self.ids().contains(&doc.id) {
            return Err(StoreError::Invalid {
                path,
                msg: "is not listed in the project".into(),
            });
        }
        self.make_layer_dir(who)?;
        let bytes = super::format::to_ron(&LayerFile::from_document(doc, who), &path)?;
        super::write_atomic(&path, bytes.as_bytes())?;
        Ok(bytes)
    }

    /// Add a batch read with [`Project::read_import`] as `who`'s layers (`add --annotator`): a
    /// document whose text is already in the project gets `who`'s layer there; the others are
    /// added (their text, with their pending suggestions and nothing confirmed) and get it too.
    /// A layer imported is `who`'s finished work: it is marked done. Returns each document's id
    /// and whether it was new, and the importers' warnings.
    pub fn add_layer_import(
        &mut self,
        mut batch: ImportBatch,
        who: &Annotator,
    ) -> Result<LayerImport, StoreError> {
        let by_text: HashMap<String, DocId> = self
            .fold_documents(|acc: &mut Vec<(String, DocId)>, d| {
                acc.push((d.text_sha256().to_string(), d.id.clone()))
            })?
            .into_iter()
            .flatten()
            .collect();
        let mut found: Vec<Option<DocId>> = Vec::with_capacity(batch.docs.len());
        for p in &batch.docs {
            let same = by_text.get(p.doc.text_sha256()).cloned();
            if let (None, IdSource::Given(id)) = (&same, &p.id_source) {
                if self.ids().iter().any(|x| x.as_str() == id) {
                    batch.warnings.push(format!(
                        "{id} is in the project with another text; the imported one is added as a new document"
                    ));
                }
            }
            found.push(same);
        }
        // The new documents' text goes in first, as the main layer without anyone's spans.
        // Ids are given again: `read_import` numbered the matched documents too.
        let mut new_docs: Vec<Document> = Vec::new();
        let mut pending = std::collections::HashSet::new();
        for (p, f) in batch.docs.iter_mut().zip(&found) {
            if f.is_none() {
                p.doc.id = self.new_id(&p.id_source, &pending);
                pending.insert(p.doc.id.clone());
                new_docs.push(without_work(
                    &p.doc,
                    &self.text_path(&p.doc.id),
                    &batch.schema,
                )?);
            }
        }
        let old = std::mem::replace(&mut self.schema, batch.schema.clone());
        if let Err(e) = self.add_documents(&mut new_docs) {
            self.schema = old;
            return Err(e);
        }
        let mut new_ids = new_docs.into_iter().map(|d| d.id);
        let mut out = Vec::with_capacity(found.len());
        for (p, f) in batch.docs.into_iter().zip(found) {
            let (id, new) = match f {
                Some(id) => (id, false),
                None => match new_ids.next() {
                    Some(id) => (id, true),
                    None => break,
                },
            };
            // An imported layer is finished work, under the id the document has here.
            let mut layer = p.doc;
            layer.id = id.clone();
            layer.status = Status::Done;
            self.save_layer(&layer, who)?;
            out.push((id, new));
        }
        Ok((out, batch.warnings))
    }
}

/// `doc` with only its text and pending suggestions (what a new document's main layer holds when
/// its spans are someone's layer).
pub(super) fn without_work(
    doc: &Document,
    path: &Path,
    schema: &LabelSchema,
) -> Result<Document, StoreError> {
    let f = blind_start(DocumentFile::from_document(doc));
    f.into_document(path, &doc.id, schema)
}
