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

/// What is known about a project's own model: how many documents marked done it learned from,
/// when, and its held-out F1 next to the shipped model (`model/tagger.info.ron`, written
/// beside the model; a model without it is described as "learned", without numbers).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ModelInfo {
    pub docs: usize,
    /// Seconds since the Unix epoch.
    pub learned_at: u64,
    /// Held-out micro F1 of the learned model and of the shipped one on the same documents.
    #[serde(default)]
    pub held_out_f1: Option<f64>,
    #[serde(default)]
    pub shipped_f1: Option<f64>,
}

fn info_path(model: &Path) -> PathBuf {
    model.with_extension("info.ron")
}

/// Write the model's info beside `model` (atomically).
pub fn save_model_info(model: &Path, info: &ModelInfo) -> Result<(), StoreError> {
    let text =
        ron::ser::to_string_pretty(info, ron::ser::PrettyConfig::default()).map_err(|e| {
            StoreError::Invalid {
                path: info_path(model),
                msg: e.to_string(),
            }
        })?;
    save_model(&info_path(model), text.as_bytes())
}

/// The info beside `model`, when it is there and readable (it only describes the model: a bad
/// one is ignored).
pub fn read_model_info(model: &Path) -> Option<ModelInfo> {
    let bytes = crate::bounded::read(&info_path(model), 64 * 1024).ok()?;
    ron::from_str(std::str::from_utf8(&bytes).ok()?).ok()
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

    #[test]
    fn model_info_round_trip_and_a_bad_one_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let model = model_path(dir.path());
        assert_eq!(read_model_info(&model), None);
        let info = ModelInfo {
            docs: 12,
            learned_at: 1_795_737_600,
            held_out_f1: Some(0.81),
            shipped_f1: Some(0.78),
        };
        save_model_info(&model, &info).unwrap();
        assert_eq!(read_model_info(&model), Some(info));
        std::fs::write(model.with_extension("info.ron"), "garbage(").unwrap();
        assert_eq!(read_model_info(&model), None);
    }
}
