//! Several writers, one manifest: every process that changes `tagwright.ron` takes an advisory
//! lock on `PROJECT/.tagwright.lock` for the moment of the write, re-reads the manifest under the
//! lock and merges three ways — what it read last (the base), its own version, the one on disk
//! now — so nothing another process added is lost (never last-writer-wins).
//!
//! Merge rules: documents keep the disk's order, plus the ones this process added, minus the ones
//! it removed; labels and settings changed only on one side take that side; a label changed
//! differently on both sides keeps this process's version and is reported; a label another
//! process added joins (without a key if its key is taken here).

use super::StoreError;
use crate::model::{DocId, Label, LabelSchema};
use std::collections::HashSet;
use std::fs::File;
use std::path::Path;

/// The lock file's name, in the project folder.
pub const LOCK: &str = ".tagwright.lock";

/// An exclusive advisory lock on a project, released when dropped (closing the file releases it).
pub struct Lock(#[allow(dead_code)] File);

/// Wait for and take the project's lock. The lock file is never followed through a link.
pub fn lock(root: &Path) -> Result<Lock, StoreError> {
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::AsRawFd;
    let path = root.join(LOCK);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(&path)
        .map_err(|e| StoreError::io("lock", &path, e))?;
    // SAFETY: flock on a file descriptor this function owns; no memory is involved.
    let r = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
    if r != 0 {
        return Err(StoreError::io(
            "lock",
            &path,
            std::io::Error::last_os_error(),
        ));
    }
    Ok(Lock(file))
}

/// What a manifest says.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    pub name: String,
    pub schema: LabelSchema,
    pub ids: Vec<DocId>,
}

/// Merge `ours` and `theirs`, both changed from `base`. Returns the result and sentences about
/// conflicts (each resolved in favour of `ours`).
pub fn merge(base: &Manifest, ours: &Manifest, theirs: &Manifest) -> (Manifest, Vec<String>) {
    let mut notes = Vec::new();
    let name = if ours.name != base.name {
        ours.name.clone()
    } else {
        theirs.name.clone()
    };
    let (schema, label_notes) = merge_schema(&base.schema, &ours.schema, &theirs.schema);
    notes.extend(label_notes);
    (
        Manifest {
            name,
            schema,
            ids: merge_ids(&base.ids, &ours.ids, &theirs.ids),
        },
        notes,
    )
}

/// The disk's documents in its order, plus ours added since the base, minus ours removed.
fn merge_ids(base: &[DocId], ours: &[DocId], theirs: &[DocId]) -> Vec<DocId> {
    let base: HashSet<&DocId> = base.iter().collect();
    let mine: HashSet<&DocId> = ours.iter().collect();
    let mut out: Vec<DocId> = theirs
        .iter()
        .filter(|id| mine.contains(id) || !base.contains(id))
        .cloned()
        .collect();
    let listed: HashSet<DocId> = out.iter().cloned().collect();
    out.extend(
        ours.iter()
            .filter(|id| !base.contains(id) && !listed.contains(*id))
            .cloned(),
    );
    out
}

fn merge_schema(
    base: &LabelSchema,
    ours: &LabelSchema,
    theirs: &LabelSchema,
) -> (LabelSchema, Vec<String>) {
    if theirs == base || theirs == ours {
        return (ours.clone(), Vec::new());
    }
    if ours == base {
        return (theirs.clone(), Vec::new());
    }
    let find = |s: &LabelSchema, name: &str| s.labels.iter().find(|l| l.name == name).cloned();
    let mut notes = Vec::new();
    let mut labels: Vec<Label> = Vec::new();
    for l in &ours.labels {
        let (b, t) = (find(base, &l.name), find(theirs, &l.name));
        if b.as_ref() != Some(l) && t.as_ref().is_some_and(|t| t != l && Some(t) != b.as_ref()) {
            notes.push(format!(
                "the label {} was changed here and by another process at the same time; this version was kept",
                l.name
            ));
        }
        // Changed only by them: theirs.
        match (b, t) {
            (Some(b), Some(t)) if &b == l && t != b => labels.push(t),
            _ => labels.push(l.clone()),
        }
    }
    for t in &theirs.labels {
        let added_by_them = find(base, &t.name).is_none() && find(ours, &t.name).is_none();
        if added_by_them {
            let mut t = t.clone();
            if t.key.is_some() && labels.iter().any(|l| l.key == t.key) {
                t.key = None;
            }
            labels.push(t);
        }
    }
    // A key taken twice (each side gave it to a different label): the later label gives it up.
    let mut keys = HashSet::new();
    for l in &mut labels {
        if let Some(k) = l.key {
            if !keys.insert(k) {
                notes.push(format!(
                    "the key {k} was given to two labels at the same time; {} has no key now",
                    l.name
                ));
                l.key = None;
            }
        }
    }
    let allow_overlap = if ours.allow_overlap != base.allow_overlap {
        ours.allow_overlap
    } else {
        theirs.allow_overlap
    };
    (
        LabelSchema {
            labels,
            allow_overlap,
        },
        notes,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(labels: &[&str], ids: &[&str]) -> Manifest {
        Manifest {
            name: "p".into(),
            schema: LabelSchema::from_names(labels).unwrap(),
            ids: ids.iter().map(|i| DocId::new(i).unwrap()).collect(),
        }
    }

    #[test]
    fn documents_added_on_both_sides_are_all_kept() {
        let base = m(&["PER"], &["a", "b"]);
        let ours = m(&["PER"], &["a", "b", "c"]);
        let theirs = m(&["PER"], &["a", "b", "d"]);
        let (got, notes) = merge(&base, &ours, &theirs);
        let ids: Vec<&str> = got.ids.iter().map(DocId::as_str).collect();
        assert_eq!(ids, ["a", "b", "d", "c"]);
        assert!(notes.is_empty());
        // Removed here, kept as removed.
        let ours = m(&["PER"], &["b"]);
        let (got, _) = merge(&base, &ours, &theirs);
        let ids: Vec<&str> = got.ids.iter().map(DocId::as_str).collect();
        assert_eq!(ids, ["b", "d"]);
    }

    #[test]
    fn labels_merge_and_conflicts_are_reported() {
        let base = m(&["PER", "ORG"], &[]);
        let ours = m(&["PER", "ORG", "EVENT"], &[]);
        let mut theirs = m(&["PER", "ORG", "NORP"], &[]);
        theirs.schema.labels[0].color = "#000000".into();
        let (got, notes) = merge(&base, &ours, &theirs);
        let names: Vec<&str> = got.schema.labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["PER", "ORG", "EVENT", "NORP"]);
        assert_eq!(
            got.schema.labels[0].color, "#000000",
            "changed only by them"
        );
        assert!(got.schema.validate().is_ok(), "{:?}", got.schema);
        assert!(notes.is_empty());
        let mut ours2 = ours.clone();
        ours2.schema.labels[0].color = "#ffffff".into();
        let (got, notes) = merge(&base, &ours2, &theirs);
        assert_eq!(got.schema.labels[0].color, "#ffffff");
        assert_eq!(notes.len(), 1, "{notes:?}");
    }
}
