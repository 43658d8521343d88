//! `tagwright check`: verify a project folder — the manifest, every listed document, every
//! annotator's layer and the assignments, the index cache and the journals — and find what a
//! failed or killed writer left behind: document files that no manifest lists (orphans), layers
//! of documents the project does not list, and temp files of interrupted writes. `--repair` adopts the
//! orphans that read as valid documents (appended to the manifest, under the lock) and removes the
//! temp files; it never deletes a document.

use super::{Project, StoreError};
use crate::model::{Annotator, DocId};
use std::path::{Path, PathBuf};

/// What a check found. `problems` are sentences naming a file; `repaired` what `--repair` did.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub documents: usize,
    pub problems: Vec<String>,
    pub repaired: Vec<String>,
    /// Worth knowing, not wrong (unsaved edits in the journal).
    pub notes: Vec<String>,
}

/// True for Tagwright's temp file names, `.{name}.{pid}.{n}.tmp`, of a process that is gone
/// (a live writer's temp file is left alone).
fn stray_temp(name: &str) -> bool {
    let Some(inner) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    let mut parts = inner.rsplitn(3, '.');
    let (Some(n), Some(pid), Some(_)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(n) && digits(pid) && !Path::new("/proc").join(pid).exists()
}

/// Temp files of interrupted atomic writes in `dir`.
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(stray_temp)
        })
        .filter(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file()))
        .collect()
}

/// Document files in `documents/` that the manifest does not list, with their ids.
fn orphans(p: &Project) -> Vec<(DocId, PathBuf)> {
    orphans_in(&p.root().join("documents"), p)
}

/// `<id>.ron` files in `dir` for ids the manifest of `p` does not list, sorted.
fn orphans_in(dir: &Path, p: &Project) -> Vec<(DocId, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let listed: std::collections::HashSet<&DocId> = p.ids().iter().collect();
    let mut out: Vec<(DocId, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let path = e.path();
            let stem = path.file_name()?.to_str()?.strip_suffix(".ron")?;
            let id = DocId::new(stem).ok()?;
            (!listed.contains(&id)).then_some((id, path))
        })
        .collect();
    out.sort();
    out
}

/// Temp files of interrupted writes: removed with `repair`, else reported.
fn sweep(temps: impl IntoIterator<Item = PathBuf>, repair: bool, report: &mut CheckReport) {
    for tmp in temps {
        if repair && std::fs::remove_file(&tmp).is_ok() {
            report
                .repaired
                .push(format!("removed the temp file {}", tmp.display()));
        } else {
            report.problems.push(format!(
                "{}: a temp file of an interrupted write; `tagwright check --repair` removes it",
                tmp.display()
            ));
        }
    }
}

/// Check the project at `root`; with `repair`, adopt valid orphans and remove temp files.
pub fn check(root: &Path, repair: bool) -> Result<CheckReport, StoreError> {
    let mut p = Project::open(root)?;
    let mut report = CheckReport {
        documents: p.ids().len(),
        ..CheckReport::default()
    };
    for id in p.ids() {
        if let Err(e) = p.load_document(id) {
            report.problems.push(e.to_string());
        }
    }
    let mut adopt = Vec::new();
    for (id, path) in orphans(&p) {
        match p.load_document(&id) {
            Ok(_) if repair => adopt.push(id),
            Ok(_) => report.problems.push(format!("{}: a valid document that the manifest does not list (an interrupted add?); `tagwright check --repair` adopts it", path.display())),
            Err(e) => report.problems.push(format!("{e} (and the manifest does not list it)")),
        }
    }
    if !adopt.is_empty() {
        let n = adopt.len();
        p.adopt(adopt)?;
        report.documents += n;
        report
            .repaired
            .push(format!("adopted {n} document(s) that no manifest listed"));
    }
    let temps = temp_files(root)
        .into_iter()
        .chain(temp_files(&root.join("documents")));
    sweep(temps, repair, &mut report);
    check_layers(&p, repair, &mut report);
    if let Err(e) = super::journal::Journal::read(root) {
        report.problems.push(e.to_string());
    } else if root.join(super::journal::JOURNAL).exists() {
        report.notes.push(format!("{}: edits that were not saved before a crash; open the project in the window to recover or discard them", root.join(super::journal::JOURNAL).display()));
    }
    let cache = root.join(super::index::INDEX);
    if std::fs::symlink_metadata(&cache).is_ok_and(|m| !m.is_file()) {
        report.problems.push(format!(
            "{}: the index cache is not a regular file (a link?); delete it, it is rebuilt",
            cache.display()
        ));
    }
    Ok(report)
}

/// The annotators' layers: each reads and fits its document; a layer of a document the project
/// does not list is a problem (never deleted); temp files go with `repair`; the annotators'
/// journals are noted; the assignments must read.
fn check_layers(p: &Project, repair: bool, report: &mut CheckReport) {
    use super::layers;
    if let Err(e) = layers::read_assignments(p.root()) {
        report.problems.push(e.to_string());
    }
    let who = match layers::annotators(p.root()) {
        Ok(w) => w,
        Err(e) => return report.problems.push(e.to_string()),
    };
    let dirs: Vec<_> = who.iter().map(|a| layers::layer_dir(p.root(), a)).collect();
    for id in p.ids() {
        let file = format!("{id}.ron");
        let with_layer: Vec<&Annotator> = who
            .iter()
            .zip(&dirs)
            .filter(|(_, dir)| dir.join(&file).exists())
            .map(|(a, _)| a)
            .collect();
        if with_layer.is_empty() {
            continue;
        }
        // The document's file is read once for all its layers.
        match p.read_main(id) {
            Err(e) => report
                .problems
                .extend(with_layer.iter().map(|_| e.to_string())),
            Ok((main, _)) => {
                for a in with_layer {
                    if let Err(e) = p.read_layer(main.clone(), id, a) {
                        report.problems.push(e.to_string());
                    }
                }
            }
        }
    }
    for (a, dir) in who.iter().zip(&dirs) {
        for (_, path) in orphans_in(dir, p) {
            report.problems.push(format!(
                "{}: {a}'s layer of a document the project does not list (left as it is)",
                path.display()
            ));
        }
        sweep(temp_files(dir), repair, report);
        let journal = super::journal::path_for(p.root(), Some(a));
        match super::journal::Journal::read_at(&journal) {
            Err(e) => report.problems.push(e.to_string()),
            Ok(entries) if !entries.is_empty() => report.notes.push(format!("{}: {a}'s edits that were not saved before a crash; open the project as {a} in the window to recover or discard them", journal.display())),
            Ok(_) => {}
        }
    }
}
