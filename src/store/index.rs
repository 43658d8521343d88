//! The document index: a one-line summary of every document (title, status, counts), so a project
//! of tens of thousands of documents opens with its list without reading every document.
//!
//! The index is a cache in `PROJECT/index.cache.jsonl`, never the truth: an entry is used only
//! when its document file still has the length and modification time recorded with it; any other
//! file is read (in parallel) and its entry rebuilt. Writing a document appends its new entry (a
//! later line wins), so a project Tagwright wrote opens without reading any document; the file
//! is rewritten compactly when an open had to rebuild entries or it grew past twice the
//! documents. Deleting the file is always safe. Each layer has its own (see `layers`):
//! `index.cache.<name>.jsonl` for an annotator's, whose entries are stamped with the layer file,
//! or with the document's own file while the annotator has none. Counts are of spans and
//! suggestions; `chars` is in code points.

use super::{write_atomic, Project, StoreError};
use crate::model::{DocId, Document, Status};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// The cache's file name inside the project folder.
pub const INDEX: &str = "index.cache.jsonl";
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

/// The first line of the file.
#[derive(Serialize, Deserialize)]
struct Header {
    tagwright_index: u32,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::symlink_metadata(path).ok()?;
    if !m.file_type().is_file() {
        return None;
    }
    let t = m.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some((m.len(), u64::try_from(t.as_nanos()).unwrap_or(u64::MAX)))
}

/// Read the cache (the last entry of each document wins) and its number of lines; a missing,
/// damaged or foreign cache is simply empty, a damaged line is skipped.
fn read(path: &Path) -> (HashMap<DocId, Entry>, usize) {
    // Bounded and regular files only: the folder may come from someone else.
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return (HashMap::new(), 0);
    }
    let Some(text) = super::format::read_bounded(path)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
    else {
        return (HashMap::new(), 0);
    };
    let mut lines = text.lines();
    match lines.next().map(serde_json::from_str::<Header>) {
        Some(Ok(h)) if h.tagwright_index == INDEX_VERSION => {}
        _ => return (HashMap::new(), 0),
    }
    let mut out = HashMap::new();
    let mut n = 0;
    for l in lines {
        n += 1;
        if let Ok(e) = serde_json::from_str::<Entry>(l) {
            out.insert(e.summary.id.clone(), e);
        }
    }
    (out, n)
}

fn entry_line(e: &Entry) -> Option<String> {
    serde_json::to_string(e).ok().map(|mut l| {
        l.push('\n');
        l
    })
}

/// Append the entries of documents just written (best effort: it is only a cache).
pub fn record<'a>(project: &Project, docs: impl IntoIterator<Item = &'a Document>) {
    use std::io::Write;
    let mut out = String::new();
    for d in docs {
        if let Some((len, mtime_ns)) = stamp(&project.stamp_path(&d.id)) {
            let e = Entry {
                len,
                mtime_ns,
                summary: DocSummary::of(d),
            };
            out.extend(entry_line(&e));
        }
    }
    let path = project.index_path();
    if !path.exists() {
        out.insert_str(0, &format!("{{\"tagwright_index\":{INDEX_VERSION}}}\n"));
    }
    // Never through a link or into a FIFO: the folder may come from someone else.
    if let Ok(mut f) = super::journal::open_append(&path) {
        let _ = f.write_all(out.as_bytes());
    }
}

/// The summary of every document listed in the project, in manifest order, each with an error
/// instead when the document cannot be read. Documents whose cache entry is stale are read in
/// parallel; the cache is rewritten (best effort: it is only a cache) when anything changed.
pub fn summaries(project: &Project) -> Vec<Result<DocSummary, StoreError>> {
    let (cached, lines) = read(&project.index_path());
    let ids = project.ids();
    let stamps: Vec<Option<Stamp>> = ids
        .iter()
        .map(|id| stamp(&project.stamp_path(id)))
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
    if stale.is_empty() && cached.len() == ids.len() && lines <= 2 * ids.len().max(8) {
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
    write(&project.index_path(), entries);
    out
}

fn write(path: &Path, entries: Vec<Entry>) {
    let mut out = format!("{{\"tagwright_index\":{INDEX_VERSION}}}\n");
    for e in &entries {
        out.extend(entry_line(e));
    }
    // A read-only or full disk only costs the next open some reading.
    let _ = write_atomic(path, out.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LabelSchema;

    fn project(dir: &Path, n: usize) -> Project {
        let mut p = Project::create(dir, "p", LabelSchema::news()).unwrap();
        let mut docs: Vec<Document> = (0..n)
            .map(|i| {
                Document::new(
                    DocId::new(&format!("d{i}")).unwrap(),
                    &format!("title {i}"),
                    "",
                    "Xi met Putin in Moscow.",
                )
            })
            .collect();
        p.add_documents(&mut docs).unwrap();
        p
    }

    #[test]
    fn cache_is_used_only_while_files_are_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("p");
        let p = project(&root, 3);
        assert!(root.join(INDEX).exists(), "adding documents records them");
        std::fs::remove_file(root.join(INDEX)).unwrap();
        let first = summaries(&p);
        assert!(
            root.join(INDEX).exists(),
            "an open that read documents writes the cache"
        );
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

        // A cache that is a symlink (here to an endless device) is not followed.
        std::fs::remove_file(root.join(INDEX)).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join(INDEX)).unwrap();
        assert_eq!(summaries(&p)[1].as_ref().unwrap().title, "title 1");
        std::fs::remove_file(root.join(INDEX)).unwrap();
        // Lines that are not entries are skipped; the others are used.
        summaries(&p);
        let raw = std::fs::read_to_string(root.join(INDEX)).unwrap();
        let mut lines: Vec<&str> = raw.lines().collect();
        lines.insert(2, "{\"len\": \"x\"}");
        lines.insert(3, "\u{0}garbage");
        std::fs::write(root.join(INDEX), lines.join("\n")).unwrap();
        assert_eq!(summaries(&p).len(), 3);

        // A damaged cache is ignored, and a broken document is reported, not fatal.
        std::fs::write(root.join(INDEX), b"{not json").unwrap();
        std::fs::write(p.document_path(&DocId::new("d0").unwrap()), b"Document(").unwrap();
        let s = summaries(&p);
        assert!(s[0].is_err());
        assert_eq!(s[1].as_ref().unwrap().title, "title 1");
    }
}
