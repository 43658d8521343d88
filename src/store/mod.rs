//! The project folder on disk, and article import/export.
//!
//! Layout (DESIGN.md §3): `tagwright.ron` (the manifest: name, labels, settings, document order) and
//! `documents/<id>.ron`, one file per document. Every file carries `format_version`. Offsets in the
//! files are char offsets, end-exclusive. Writes are atomic (temp file in the same folder, fsync,
//! rename, fsync of the folder); output is deterministic (same data, same bytes). Files are
//! untrusted: ids are validated, sizes and nesting are bounded, every document is checked against
//! the model's invariants on load, and a file that fails to parse is reported with its path and
//! line:column and never overwritten. Documents load on demand, so opening a project reads only
//! the manifest. A project's own learned model is kept as opaque bytes (`model_file.rs`).
//!
//! Floors: `store` imports `text`, `model` and `bounded` only; never `extract` (suggestions are
//! computed by the caller and handed in, see `crate::session::preannotate`) nor `corpus`.

mod atomic;
pub mod check;
pub mod export;
pub mod format;
pub mod formats;
pub mod guidelines;
pub mod import;
pub mod index;
pub mod journal;
pub mod layers;
pub mod manifest;
mod model_file;
mod project;
pub mod workspace;

pub use atomic::{check_replaceable, write_atomic};
pub use format::{FORMAT_VERSION, MAX_FILE_BYTES};
pub use index::DocSummary;
pub use model_file::{
    model_dir, model_path, read_model, read_model_file, read_model_info, save_model,
    save_model_info, ModelInfo, MAX_MODEL_BYTES,
};
pub use project::{ImportBatch, Project, MANIFEST};
pub use workspace::{DocSource, DocState, LabelError, RecoveryError, Workspace};

use std::path::PathBuf;

/// Everything that can go wrong reading or writing project files, as sentences a person can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{col}: {msg}", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        col: usize,
        msg: String,
    },
    #[error("{} was written by a newer Tagwright (format version {found}; this version reads up to {supported}); update Tagwright to open it", path.display())]
    FutureVersion {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("{}: {msg}", path.display())]
    Invalid { path: PathBuf, msg: String },
    /// A document read from the file `path` that cannot join the project.
    #[error("{}: {source}", path.display())]
    ImportDoc {
        path: PathBuf,
        source: formats::ImportDocError,
    },
    #[error("{} is not a Tagwright project (there is no {} in it); create one with `tagwright new`", path.display(), MANIFEST)]
    NotAProject { path: PathBuf },
    #[error("{} already holds a Tagwright project", path.display())]
    AlreadyExists { path: PathBuf },
    #[error("{} is {size} bytes, more than the limit of {limit} bytes", path.display())]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error(transparent)]
    Import(#[from] import::ImportError),
    #[error(transparent)]
    Read(#[from] crate::bounded::BoundedError),
    #[error("{} changed on disk after Tagwright read it (another annotator? a git pull?), so it was not overwritten; reload it or keep your version", path.display())]
    Conflict { path: PathBuf },
}

impl StoreError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> StoreError {
        StoreError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
