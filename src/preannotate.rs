//! Where `store` and `extract` meet: the pipeline for a project (its own learned model, read by
//! `store`, parsed by `extract`) and, for documents that `store` reads or imports, the suggestions
//! `extract` computes before they join a project.
//!
//! `store` and `extract` never import each other; this module (used by `cli` and `ui`) joins them.
//! It belongs to the annotation session (DESIGN.md §1, `session/`) and moves there with it.

use crate::extract::tagger::model::{Model, ModelError};
use crate::extract::Pipeline;
use crate::store::StoreError;
use std::path::Path;

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

/// The project's own learned model (at [`crate::store::model_path`]), `None` when it has none.
pub fn project_model(root: &Path) -> Result<Option<Model>, ProjectModelError> {
    let path = crate::store::model_path(root);
    match crate::store::read_model(&path)? {
        Some(bytes) => Ok(Some(Model::from_bytes(&bytes, &path)?)),
        None => Ok(None),
    }
}

/// The pipeline for a project: its own learned model when it has one and it loads, else the
/// shipped model; with the reason when the project's own model is there but was not used.
pub fn project_pipeline(root: &Path) -> (Pipeline, Option<ProjectModelError>) {
    match project_model(root) {
        Ok(own) => (Pipeline::for_model(own), None),
        Err(e) => (Pipeline::for_model(None), Some(e)),
    }
}
