//! Where `store` and `extract` meet: the pipeline for a project (its own learned model, read by
//! `store`, parsed by `extract`) and, for documents that `store` reads or imports, the suggestions
//! `extract` computes before they join a project.
//!
//! `store` and `extract` never import each other; this module of the session (also used by `cli`)
//! joins them.

use crate::extract::tagger::model::{Model, ModelError};
use crate::extract::Pipeline;
use crate::model::{DocId, Document, Edit, EditError, IdSource, LabelSchema};
use crate::store::formats::{ImportDocError, ImportOptions, ImportedDoc, PendingDoc};
use crate::store::import::Article;
use crate::store::{Project, StoreError, Workspace};
use std::path::{Path, PathBuf};

/// Why a project's own learned model was not used.
#[derive(Debug, thiserror::Error)]
pub enum ProjectModelError {
    /// The file is there but could not be read (a FIFO, too large, no permission).
    #[error(transparent)]
    Read(#[from] StoreError),
    /// The file was read but is not a model this Tagwright reads.
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// A learned model at `path` (see [`crate::store::model_path`]), `None` when there is none.
pub fn project_model(path: &Path) -> Result<Option<Model>, ProjectModelError> {
    match crate::store::read_model(path)? {
        Some(bytes) => Ok(Some(Model::from_bytes(&bytes, path)?)),
        None => Ok(None),
    }
}

/// The pipeline for a project (its main layer): see [`pipeline_with_model`].
pub fn project_pipeline(root: &Path) -> (Pipeline, super::ModelState, Option<ProjectModelError>) {
    pipeline_with_model(&crate::store::model_path(root))
}

/// The pipeline with the learned model at `path` when there is one and it loads, else the
/// shipped model; which of the two it is; and the reason when the learned model is there but
/// was not used. The model file is read once, here. (An annotator's layer learns a model of its
/// own: `Project::model_path`.)
pub fn pipeline_with_model(
    path: &Path,
) -> (Pipeline, super::ModelState, Option<ProjectModelError>) {
    let with = super::plugins::with_plugins;
    match project_model(path) {
        Ok(own) => {
            let state = super::ModelState::of(own.is_some().then_some(path));
            (with(Pipeline::for_model(own)), state, None)
        }
        Err(e) => (
            with(Pipeline::for_model(None)),
            super::ModelState::of(None),
            Some(e),
        ),
    }
}

/// Give a pending document the pipeline's suggestions when its file brought none.
pub fn suggest_pending(pending: &mut PendingDoc, schema: &LabelSchema, pipeline: &Pipeline) {
    if pending.needs_suggestions {
        let s = pipeline.suggest_for(&pending.doc, schema);
        pending.doc.set_initial_suggestions(s);
        pending.needs_suggestions = false;
    }
}

/// Convert an imported document under a placeholder id and pre-annotate it when its file brought
/// no suggestions (for imports in the background). Returns what to derive the id from.
pub fn into_pending(
    imported: ImportedDoc,
    schema: &LabelSchema,
    pipeline: &Pipeline,
) -> Result<(IdSource, Document), ImportDocError> {
    let mut pending = imported.into_pending(schema)?;
    suggest_pending(&mut pending, schema, pipeline);
    Ok((pending.id_source, pending.doc))
}

/// Add decoded articles to a workspace as new, pre-annotated documents.
pub fn add_articles(ws: &mut Workspace, articles: Vec<Article>, pipeline: &Pipeline) {
    for a in articles {
        let mut doc = ws.article_document(a);
        let s = pipeline.suggest_for(&doc, &ws.schema);
        doc.set_initial_suggestions(s);
        ws.push_new(doc);
    }
}

/// The bundled sample article with its suggestions, as an unsaved project.
pub fn sample_workspace(pipeline: &Pipeline) -> Workspace {
    let mut w = Workspace::empty("sample", LabelSchema::news());
    add_articles(
        &mut w,
        vec![crate::store::workspace::sample_article()],
        pipeline,
    );
    w.mark_pristine();
    w
}

/// Import files into a workspace (all are read before any is added), pre-annotating documents
/// that come without suggestions. Returns the importers' warnings.
pub fn import_into(
    ws: &mut Workspace,
    paths: &[PathBuf],
    pipeline: &Pipeline,
) -> Result<Vec<String>, StoreError> {
    let (mut docs, warnings) = ws.read_files(paths)?;
    for d in &mut docs {
        suggest_pending(d, &ws.schema, pipeline);
    }
    ws.add_pending(docs);
    Ok(warnings)
}

/// Read article files (all or nothing) into a new unsaved, pre-annotated project.
pub fn open_articles(
    paths: &[PathBuf],
    pipeline: &Pipeline,
) -> Result<(Workspace, Vec<String>), StoreError> {
    let mut w = Workspace::empty("untitled", LabelSchema::news());
    let warnings = import_into(&mut w, paths, pipeline)?;
    w.mark_pristine();
    Ok((w, warnings))
}

/// Re-run the extractor on document `i` and replace its pending suggestions (one undo step).
/// Confirmed and rejected spans are untouched and never re-suggested.
pub fn refresh_suggestions(
    ws: &mut Workspace,
    i: usize,
    pipeline: &Pipeline,
) -> Result<(), EditError> {
    let schema = ws.schema.clone();
    let d = ws
        .load(i)
        .map_err(|e| EditError::Unavailable(e.to_string()))?;
    let s = pipeline.suggest_for(d, &schema);
    if s == d.suggestions() {
        return Ok(());
    }
    ws.apply(i, &Edit::ReplaceSuggestions(s))
}

/// Import files into a project folder (see [`Project::read_import`]: everything is read and
/// checked before anything is written; labels the project does not define are an error unless
/// `add_labels`). Documents that come without suggestions are pre-annotated with `pipeline`.
/// Returns the new documents' ids and the importers' warnings.
pub fn import_files(
    project: &mut Project,
    paths: &[PathBuf],
    opts: impl Into<ImportOptions>,
    pipeline: &Pipeline,
    add_labels: bool,
) -> Result<(Vec<DocId>, Vec<String>), StoreError> {
    let mut batch = project.read_import(paths, opts, add_labels)?;
    for d in &mut batch.docs {
        suggest_pending(d, &batch.schema, pipeline);
    }
    project.add_import(batch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;
    use crate::store::Workspace;

    #[test]
    fn sample_workspace_edits_undo_save_as() {
        let p = Pipeline::news();
        let mut w = sample_workspace(&p);
        assert_eq!(w.docs.len(), 1);
        assert!(!w.is_dirty(), "nothing to lose before the first edit");
        let n = w.doc(0).unwrap().suggestions().len();
        assert!(n > 30);
        let first = w.doc(0).unwrap().suggestions()[0].clone();
        let e = w.tag_edit(0, first.span, "MISC").unwrap();
        w.apply(0, &e).unwrap();
        assert_eq!(w.doc(0).unwrap().suggestions().len(), n - 1);
        assert_eq!(w.doc(0).unwrap().status(), Status::InProgress);
        w.undo(0).unwrap();
        assert_eq!(w.doc(0).unwrap().suggestions().len(), n);
        assert_eq!(w.doc(0).unwrap().status(), Status::Todo);
        w.redo(0).unwrap();

        let dir = tempfile::tempdir().unwrap();
        w.save_as(&dir.path().join("proj")).unwrap();
        assert!(!w.is_dirty());
        let mut again = Workspace::open(&dir.path().join("proj")).unwrap();
        assert_eq!(again.load(0).unwrap(), w.doc(0).unwrap());
    }

    #[test]
    fn rename_and_delete_labels() {
        let p = Pipeline::news();
        let mut w = sample_workspace(&p);
        w.apply(
            0,
            &Edit::AcceptAll {
                label: None,
                min_score: None,
            },
        )
        .unwrap();
        let locs = w.label_usage("LOC");
        assert!(locs > 5);
        w.rename_label("LOC", "PLACE").unwrap();
        assert_eq!(w.label_usage("PLACE"), locs);
        assert!(!w.schema.contains("LOC"));
        assert_eq!(w.schema.get("PLACE").unwrap().key, Some('3'));
        // The new name keeps the model's class; a new label may not take that class's name,
        // or two labels would be one class to the model.
        assert_eq!(w.schema.get("PLACE").unwrap().class(), "LOC");
        let e = w.add_label("LOC").unwrap_err().to_string();
        assert!(
            e.contains("would share the model's LOC class with PLACE"),
            "{e}"
        );
        // Renamed back, it is plain LOC again.
        w.rename_label("PLACE", "LOC").unwrap();
        assert_eq!(w.schema.get("LOC").unwrap().from, None);
        w.rename_label("LOC", "PLACE").unwrap();
        w.delete_label("PLACE").unwrap();
        assert_eq!(w.label_usage("PLACE"), 0);
        assert!(w.add_label("DRUG").is_ok());
        assert!(w.add_label("DRUG").is_err());
    }
}
