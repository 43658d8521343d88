//! Reading a file that a person or a project names, without hanging or running out of memory.
//!
//! The file is opened without blocking (a FIFO with no writer would otherwise block `open`
//! forever), its type is checked on the opened handle (so it cannot be swapped between the check
//! and the read), only regular files are read, and at most `limit` bytes: a device such as
//! `/dev/zero`, a FIFO or a socket is refused at once, and a file larger than the limit (or one
//! that grows past it while it is read) is refused without being read whole. Streams are read only
//! where a command says so (standard input). The lowest floor: no other module is used here.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum BoundedError {
    #[error("could not read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is {what}, not a regular file; Tagwright reads only regular files (use standard input for a stream where a command allows it)", path.display())]
    NotRegular { path: PathBuf, what: &'static str },
    #[error("{} is {size} bytes, more than the limit of {limit} bytes", path.display())]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
}

/// What kind of file this is, for the message.
fn kind(t: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// Open `path` for reading without blocking, and check that it is a regular file of at most
/// `limit` bytes. Returns the file and its size.
pub fn open(path: &Path, limit: u64) -> Result<(File, u64), BoundedError> {
    use std::os::unix::fs::OpenOptionsExt;
    let io = |source| BoundedError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(BoundedError::NotRegular {
            path: path.to_path_buf(),
            what: kind(meta.file_type()),
        });
    }
    if meta.len() > limit {
        return Err(BoundedError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit,
        });
    }
    Ok((file, meta.len()))
}

/// The bytes of the regular file `path`, at most `limit` of them (see the module doc).
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, BoundedError> {
    let (file, size) = open(path, limit)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // One byte more than the limit tells a file that grew while it was read.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| BoundedError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(BoundedError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_only_and_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.txt");
        std::fs::write(&f, "Xi met Putin").unwrap();
        assert_eq!(read(&f, 100).unwrap(), b"Xi met Putin");
        let e = read(&f, 5).unwrap_err().to_string();
        assert!(
            e.ends_with("a.txt is 12 bytes, more than the limit of 5 bytes"),
            "{e}"
        );
        let e = read(dir.path(), 100).unwrap_err().to_string();
        assert!(e.contains("is a folder, not a regular file"), "{e}");
        let e = read(Path::new("/dev/zero"), 100).unwrap_err().to_string();
        assert!(
            e.contains("/dev/zero is a device, not a regular file"),
            "{e}"
        );
        // A FIFO without a writer: refused at once, not waited on.
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(
            made.is_ok_and(|s| s.success()),
            "mkfifo (coreutils) makes a FIFO"
        );
        let e = read(&fifo, 100).unwrap_err().to_string();
        assert!(
            e.contains("is a FIFO (named pipe), not a regular file"),
            "{e}"
        );
    }
}
