//! The document index: a one-line summary of every document (title, status, counts), so a project
//! of tens of thousands of documents opens with its list without reading every document.
//!
//! The index is a cache in `PROJECT/index.cache.json`, never the truth: an entry is used only when
//! its document file still has the length and modification time recorded with it; any other file
//! is read (in parallel) and its entry rebuilt, and the cache is rewritten when anything changed.
//! Deleting the file is always safe. Counts are of spans and suggestions; `chars` is in code points.

use super::{write_atomic, Project, StoreError};
use crate::model::{DocId, Document, Status};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// The cache's file name inside the project folder.
pub const INDEX: &str = "index.cache.json";
const INDEX_VERSION: u32 = 1;

/// What the document list and the project counts need, kept for every document whether or not
/// its text is in memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocSummary {
    pub id: DocId,
    pub title: String,
    pub status: Status,
    pub spans: usize,
    pub suggestions: usize,
    /// Length of the text in code points.
    pub chars: usize,
    /// When the document was marked done (seconds since the Unix epoch).
    #[serde(default)]
    pub done_at: Option<u64>,
}

impl DocSummary {
    pub fn of(d: &Document) -> DocSummary {
        DocSummary {
            id: d.id.clone(),
            title: d.title.clone(),
            status: d.status(),
            spans: d.spans().len(),
            suggestions: d.suggestions().len(),
            chars: d.char_len(),
            done_at: d.done_at(),
        }
    }
}

/// A file's identity for the cache: (length, modification time in ns since the epoch).
type Stamp = (u64, u64);

#[derive(Serialize, Deserialize)]
struct Entry {
    len: u64,
    mtime_ns: u64,
    summary: DocSummary,
}

#[derive(Serialize, Deserialize)]
struct IndexFile {
    version: u32,
    entries: Vec<Entry>,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::symlink_metadata(path).ok()?;
    if !m.file_type().is_file() {
        return None;
    }
    let t = m.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some((m.len(), u64::try_from(t.as_nanos()).unwrap_or(u64::MAX)))
}

/// Read the cache; a missing, damaged or foreign cache is simply empty.
fn read(root: &Path) -> HashMap<DocId, Entry> {
    let Ok(bytes) = std::fs::read(root.join(INDEX)) else {
        return HashMap::new();
    };
    match serde_json::from_slice::<IndexFile>(&bytes) {
        Ok(f) if f.version == INDEX_VERSION => f
            .entries
            .into_iter()
            .map(|e| (e.summary.id.clone(), e))
            .collect(),
        _ => HashMap::new(),
    }
}

/// The summary of every document listed in the project, in manifest order, each with an error
/// instead when the document cannot be read. Documents whose cache entry is stale are read in
/// parallel; the cache is rewritten (best effort: it is only a cache) when anything changed.
pub fn summaries(project: &Project) -> Vec<Result<DocSummary, StoreError>> {
    let cached = read(project.root());
    let ids = project.ids();
    let stamps: Vec<Option<Stamp>> = ids
        .iter()
        .map(|id| stamp(&project.document_path(id)))
        .collect();
    let mut out: Vec<Option<Result<DocSummary, StoreError>>> = ids
        .iter()
        .zip(&stamps)
        .map(|(id, st)| match (cached.get(id), st) {
            (Some(e), Some(st)) if (e.len, e.mtime_ns) == *st => Some(Ok(e.summary.clone())),
            _ => None,
        })
        .collect();
    let stale: Vec<usize> = (0..ids.len()).filter(|&i| out[i].is_none()).collect();
    if stale.is_empty() && cached.len() == ids.len() {
        return out.into_iter().flatten().collect();
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = stale.len().div_ceil(threads).max(1);
    let read: Vec<(usize, Result<DocSummary, StoreError>)> = std::thread::scope(|s| {
        let handles: Vec<_> = stale
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|&i| {
                            let r = project.load_document(&ids[i]).map(|d| DocSummary::of(&d));
                            (i, r)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (i, r) in read {
        out[i] = Some(r);
    }
    let out: Vec<Result<DocSummary, StoreError>> = out
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.unwrap_or_else(|| {
                Err(StoreError::Invalid {
                    path: project.document_path(&ids[i]),
                    msg: "could not be read (a worker thread failed)".into(),
                })
            })
        })
        .collect();
    let entries = out
        .iter()
        .zip(&stamps)
        .filter_map(|(r, st)| {
            let (len, mtime_ns) = (*st)?;
            Some(Entry {
                len,
                mtime_ns,
                summary: r.as_ref().ok()?.clone(),
            })
        })
        .collect();
    write(project.root(), entries);
    out
}

fn write(root: &Path, entries: Vec<Entry>) {
    let file = IndexFile {
        version: INDEX_VERSION,
        entries,
    };
    if let Ok(bytes) = serde_json::to_vec(&file) {
        // A read-only or full disk only costs the next open some reading.
        let _ = write_atomic(&root.join(INDEX), &bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LabelSchema;

    fn project(dir: &Path, n: usize) -> Project {
        let mut p = Project::create(dir, "p", LabelSchema::news()).unwrap();
        let docs: Vec<Document> = (0..n)
            .map(|i| {
                Document::new(
                    DocId::new(&format!("d{i}")).unwrap(),
                    &format!("title {i}"),
                    "",
                    "Xi met Putin in Moscow.",
                )
            })
            .collect();
        p.add_documents(&docs).unwrap();
        p
    }

    #[test]
    fn cache_is_used_only_while_files_are_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("p");
        let p = project(&root, 3);
        let first = summaries(&p);
        assert!(root.join(INDEX).exists(), "the first open writes the cache");
        assert_eq!(first[1].as_ref().unwrap().title, "title 1");

        // A cached entry is served without reading the document: prove it by poisoning the
        // cache's title while the file stays unchanged.
        let raw = std::fs::read_to_string(root.join(INDEX)).unwrap();
        std::fs::write(root.join(INDEX), raw.replace("title 2", "cached 2")).unwrap();
        assert_eq!(summaries(&p)[2].as_ref().unwrap().title, "cached 2");

        // A changed file is read again.
        let mut d = p.load_document(&DocId::new("d2").unwrap()).unwrap();
        d.title = "retitled, and longer".into();
        p.save_document(&d).unwrap();
        let again = summaries(&p);
        assert_eq!(again[2].as_ref().unwrap().title, "retitled, and longer");

        // A damaged cache is ignored, and a broken document is reported, not fatal.
        std::fs::write(root.join(INDEX), b"{not json").unwrap();
        std::fs::write(p.document_path(&DocId::new("d0").unwrap()), b"Document(").unwrap();
        let s = summaries(&p);
        assert!(s[0].is_err());
        assert_eq!(s[1].as_ref().unwrap().title, "title 1");
    }
}
