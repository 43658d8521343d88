//! The project's annotation guidelines: `guidelines.md` in the project folder, Markdown written
//! by people (created empty by `new`). Read bounded like every file from a project; written
//! atomically. A project without the file has empty guidelines.

use super::{write_atomic, StoreError};
use std::path::{Path, PathBuf};

/// Largest guidelines file read (a document of text, not a dataset).
pub const MAX_GUIDELINES_BYTES: u64 = 4 * 1024 * 1024;

pub fn guidelines_path(root: &Path) -> PathBuf {
    root.join("guidelines.md")
}

/// The guidelines of the project at `root` (empty when there is no file).
pub fn read_guidelines(root: &Path) -> Result<String, StoreError> {
    let path = guidelines_path(root);
    if !path.exists() {
        return Ok(String::new());
    }
    let bytes = crate::bounded::read(&path, MAX_GUIDELINES_BYTES)?;
    String::from_utf8(bytes).map_err(|_| StoreError::Invalid {
        path,
        msg: "is not valid UTF-8".into(),
    })
}

pub fn write_guidelines(root: &Path, text: &str) -> Result<(), StoreError> {
    write_atomic(&guidelines_path(root), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guidelines_round_trip_and_refuse_what_is_not_text() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_guidelines(dir.path()).unwrap(), "");
        let text = "# PER\n\nPeople, by name: “Xi Jinping”, 汪文斌.\n";
        write_guidelines(dir.path(), text).unwrap();
        assert_eq!(read_guidelines(dir.path()).unwrap(), text);
        std::fs::write(guidelines_path(dir.path()), b"\xff\xfe").unwrap();
        let e = read_guidelines(dir.path()).unwrap_err().to_string();
        assert!(e.contains("guidelines.md") && e.contains("UTF-8"), "{e}");
    }
}
