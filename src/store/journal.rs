//! The journal: every change since the last save, appended to `PROJECT/journal.jsonl` and
//! fsynced before the change is reported done, so a crash or kill loses nothing that was edited.
//! A successful save clears it; on the next start a non-empty journal is offered for replay.
//!
//! One JSON object a line: `{"doc": id, "base": hash, "op": ...}` where `op` is an applied edit
//! (undo and redo are recorded as the edit they applied), a schema change or a whole new (not yet
//! saved) document. A last line cut short by a crash is
//! ignored; any other unreadable line stops the replay there, and is reported.

use super::format::DocumentFile;
use super::StoreError;
use crate::model::{Edit, LabelSchema};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const JOURNAL: &str = "journal.jsonl";

/// The journal of a project's main layer (`None`) or of an annotator's layer.
pub fn path_for(root: &Path, layer: Option<&crate::model::Annotator>) -> PathBuf {
    match layer {
        None => root.join(JOURNAL),
        Some(who) => root.join(format!("journal.{who}.jsonl")),
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Op {
    /// An edit as applied (undo and redo are recorded as the edit they applied).
    Apply(Edit),
    Schema(LabelSchema),
    NewDoc(Box<DocumentFile>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Document id (empty for schema changes, which belong to the manifest).
    pub doc: String,
    /// [`content_hash`] of the file (document or manifest) as it was on disk when the change was
    /// made; 0 for a document never saved. A crash in the middle of a save leaves some files
    /// written and some not: replay applies an entry only while its file still has this hash.
    pub base: u64,
    pub op: Op,
}

/// FNV-1a of a file's bytes: which saved state a journal entry builds on.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h = (h ^ *b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h | 1
}

#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: Option<File>,
}

/// Open a project file for appending: never through a symbolic link (`O_NOFOLLOW`), never
/// waiting on a FIFO (`O_NONBLOCK`), and only a regular file.
pub fn open_append(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let f = OpenOptions::new()
        .create(true)
        .append(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    if !f.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok(f)
}

impl Journal {
    /// The main layer's journal of the project at `root`.
    pub fn new(root: &Path) -> Journal {
        Journal::at(root.join(JOURNAL))
    }

    /// The journal in the file `path` (see `Project::journal_path`: one per layer).
    pub fn at(path: PathBuf) -> Journal {
        Journal { path, file: None }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one entry and fsync it.
    pub fn append(&mut self, entry: &Entry) -> Result<(), StoreError> {
        let io = |e| StoreError::io("write", &self.path, e);
        if self.file.is_none() {
            self.file = Some(open_append(&self.path).map_err(io)?);
        }
        let mut line = serde_json::to_string(entry).map_err(|e| StoreError::Invalid {
            path: self.path.clone(),
            msg: format!("could not encode a journal entry: {e}"),
        })?;
        line.push('\n');
        let f = self.file.as_mut().ok_or_else(|| StoreError::Invalid {
            path: self.path.clone(),
            msg: "the journal is not open".into(),
        })?;
        f.write_all(line.as_bytes()).map_err(io)?;
        f.sync_data().map_err(io)
    }

    /// Forget everything (after a successful save).
    pub fn clear(&mut self) -> Result<(), StoreError> {
        self.file = None;
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::io("remove", &self.path, e)),
        }
    }

    /// The entries of an existing journal (empty when there is none).
    pub fn read(root: &Path) -> Result<Vec<Entry>, StoreError> {
        Journal::read_at(&root.join(JOURNAL))
    }

    /// The entries of the journal in `path` (empty when there is none).
    pub fn read_at(path: &Path) -> Result<Vec<Entry>, StoreError> {
        let path = path.to_path_buf();
        let bytes = match crate::bounded::read(&path, super::MAX_FILE_BYTES) {
            Ok(b) => b,
            Err(crate::bounded::BoundedError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                return Ok(Vec::new())
            }
            Err(e) => return Err(e.into()),
        };
        let text = String::from_utf8_lossy(&bytes);
        let lines: Vec<&str> = text.split('\n').collect();
        let mut out = Vec::new();
        for (n, line) in lines.iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Entry>(line) {
                Ok(e) => out.push(e),
                // A crash while appending leaves a cut last line: what came before is whole.
                Err(_) if n + 1 >= lines.len() - 1 => break,
                Err(e) => {
                    return Err(StoreError::Parse {
                        path,
                        line: n + 1,
                        col: e.column(),
                        msg: e.to_string(),
                    })
                }
            }
        }
        Ok(out)
    }
}
