//! Atomic file writes: a crash leaves either the old file or the new one, never half of either.
//!
//! Only what is ours is replaced: the target must be missing or a regular file. A symbolic link
//! is never replaced by a file (nor followed: its target may be outside anything the person
//! chose), and a device, FIFO or socket is never renamed over (`-o /dev/null` would otherwise
//! replace the device node). The temp file is created next to the target with `O_EXCL`
//! (`create_new`), so a file or link planted under its name is never written through.

use super::StoreError;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Refuse a target that is a symbolic link or not a regular file (a missing one is fine).
pub fn check_replaceable(path: &Path) -> Result<(), StoreError> {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return Ok(());
    };
    let t = meta.file_type();
    let what = if t.is_symlink() {
        "a symbolic link; Tagwright does not replace links (name the file it points to, or another file)"
    } else if t.is_dir() {
        "a folder, not a file"
    } else if !t.is_file() {
        "a device, FIFO or socket, not a regular file; write to a file (or to standard output, where a command allows it)"
    } else {
        return Ok(());
    };
    Err(StoreError::Invalid {
        path: path.to_path_buf(),
        msg: format!("is {what}"),
    })
}

/// A new, empty temp file next to `path`, created exclusively.
fn create_temp(dir: &Path, name: &str) -> std::io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut last = None;
    for _ in 0..64 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temp file name")))
}

/// Write `bytes` to `path` through a temp file in the same folder: write, fsync, rename, then fsync
/// the folder so the rename itself is durable.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    write_atomic_then(path, bytes, SyncFolder::Now)
}

/// Whether [`write_atomic_then`] makes the file durable itself.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SyncFolder {
    /// fsync the file before the rename and the folder after it.
    Now,
    /// The caller writes many new files into one folder and makes them all durable at once with
    /// [`sync_folder`] before anything lists them (an `add` of thousands of articles: one flush
    /// instead of two per file). A crash before that leaves unlisted files, which
    /// `tagwright check` reports (and `--repair` adopts only when they read as valid documents).
    Later,
}

/// Make everything written into `dir` durable: the files' data and the folder's entries (one
/// `syncfs` of the file system that holds it; an fsync of the folder where that fails).
pub fn sync_folder(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::io::AsRawFd;
    let d = File::open(dir)?;
    // SAFETY: syncfs on a file descriptor owned by `d`, which outlives the call.
    if unsafe { libc::syncfs(d.as_raw_fd()) } == 0 {
        return Ok(());
    }
    let e = std::io::Error::last_os_error();
    // A write-back error is the caller's to know; only a missing syscall falls back.
    match e.raw_os_error() {
        Some(libc::ENOSYS) | Some(libc::EINVAL) => Err(std::io::Error::other(
            "the file system cannot flush a folder's files at once",
        )),
        _ => Err(e),
    }
}

/// [`write_atomic`], with the folder's fsync now or left to the caller.
pub fn write_atomic_then(path: &Path, bytes: &[u8], sync: SyncFolder) -> Result<(), StoreError> {
    check_replaceable(path)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let (tmp, mut f) = create_temp(dir, &name).map_err(|e| StoreError::io("write", path, e))?;
    let result = (|| {
        f.write_all(bytes)?;
        if sync == SyncFolder::Now {
            f.sync_all()?;
        }
        drop(f);
        fs::rename(&tmp, path)?;
        // Directory fsync is not supported everywhere; the rename is already atomic.
        if sync == SyncFolder::Now {
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        StoreError::io("write", path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_devices_are_left_alone_and_no_temp_file_stays() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, "keep").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        let e = write_atomic(&link, b"x").unwrap_err().to_string();
        assert!(e.contains("link.json: is a symbolic link"), "{e}");
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&outside).unwrap(), "keep");
        let e = write_atomic(Path::new("/dev/null"), b"x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("/dev/null: is a device, FIFO or socket"), "{e}");
        // A regular file is replaced, a new one created.
        let f = dir.path().join("out.json");
        write_atomic(&f, b"one").unwrap();
        write_atomic(&f, b"two").unwrap();
        assert_eq!(fs::read_to_string(&f).unwrap(), "two");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 3, "no temp file left: {names:?}");
    }
}
