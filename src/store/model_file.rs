//! A project's own learned model on disk: where it lives (`model/tagger.twm` in the project
//! folder; this is the one place that path is spelled), writing it atomically and reading it with a
//! size bound.
//!
//! The bytes are opaque here: their format belongs to `extract` (`Model::to_bytes` and
//! `Model::from_bytes`), and this module never imports `extract`; the caller joins the two.

use super::{write_atomic, StoreError};
use std::path::{Path, PathBuf};

/// A model is a few MB; this bounds a hostile or mistaken path.
pub const MAX_MODEL_BYTES: u64 = 256 * 1024 * 1024;

/// The folder of a project's own model.
pub fn model_dir(root: &Path) -> PathBuf {
    root.join("model")
}

/// Where a project's own model lives.
pub fn model_path(root: &Path) -> PathBuf {
    model_dir(root).join("tagger.twm")
}

/// Write model bytes to `path` atomically, creating its folder. A folder that is a symbolic link
/// is refused: a project's model folder that is a link would send the model outside the project.
pub fn save_model(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(StoreError::Invalid {
                path: dir.to_path_buf(),
                msg: "is a symbolic link; the model is written only into a real folder".into(),
            });
        }
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io("create", dir, e))?;
    }
    write_atomic(path, bytes)
}

/// The bytes of the model file `path` (regular files only, at most [`MAX_MODEL_BYTES`]).
pub fn read_model_file(path: &Path) -> Result<Vec<u8>, StoreError> {
    Ok(crate::bounded::read(path, MAX_MODEL_BYTES)?)
}

/// Like [`read_model_file`], but a model that is not there is `None` (a project without its own
/// model); a file that is there but cannot be read (a FIFO, too large) is an error.
pub fn read_model(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    if !path.exists() {
        return Ok(None);
    }
    read_model_file(path).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_file_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = model_path(dir.path());
        assert_eq!(read_model(&path).unwrap(), None);
        save_model(&path, b"weights").unwrap();
        assert_eq!(read_model(&path).unwrap().as_deref(), Some(&b"weights"[..]));
        assert!(path.ends_with("model/tagger.twm"));
    }
}
