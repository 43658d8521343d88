//! Import of plain articles (`.txt`, `.md`).
//!
//! The text is kept exactly as decoded: UTF-8 only, CRLF kept, nothing trimmed, so offsets computed
//! by other tools on the same file stay valid. A UTF-8 byte-order mark is the one exception: it is
//! dropped (and reported), as every editor hides it. Binary files, invalid UTF-8, empty files and
//! files over [`MAX_ARTICLE_BYTES`] are refused with the file named.

use std::path::{Path, PathBuf};

/// Largest article accepted (a long news article is ~50 KB; a book is ~1 MB).
pub const MAX_ARTICLE_BYTES: u64 = 50 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("could not read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not valid UTF-8 (first bad byte at offset {byte}); convert it to UTF-8 and import it again", path.display())]
    InvalidUtf8 { path: PathBuf, byte: usize },
    #[error("{} looks like a binary file (it contains NUL bytes), not an article", path.display())]
    Binary { path: PathBuf },
    #[error("{} is empty: there is nothing to annotate", path.display())]
    Empty { path: PathBuf },
    #[error("{} is {size} bytes; articles are limited to {limit} bytes", path.display())]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{} has extension {ext:?}; plain articles are imported from .txt or .md files", path.display())]
    Unsupported { path: PathBuf, ext: String },
    #[error(transparent)]
    Read(crate::bounded::BoundedError),
    /// `line` 0: the problem is not tied to a line (the message says where).
    #[error("{}{}: {msg}", path.display(), if *line > 0 { format!(":{line}") } else { String::new() })]
    Bad {
        path: PathBuf,
        line: usize,
        msg: String,
    },
}

/// The bytes of a file to import: a regular file of at most [`MAX_ARTICLE_BYTES`] (see
/// [`crate::bounded`]).
pub fn read_limited(path: &Path) -> Result<Vec<u8>, ImportError> {
    crate::bounded::read(path, MAX_ARTICLE_BYTES).map_err(|e| match e {
        crate::bounded::BoundedError::Io { path, source } => ImportError::Io { path, source },
        crate::bounded::BoundedError::TooLarge { path, size, limit } => {
            ImportError::TooLarge { path, size, limit }
        }
        e => ImportError::Read(e),
    })
}

/// A decoded article, ready to become a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Name to derive the id from (the file stem).
    pub name: String,
    pub title: String,
    pub source: String,
    pub text: String,
    pub warnings: Vec<String>,
}

/// Read a `.txt` or `.md` article.
pub fn read_article(path: &Path) -> Result<Article, ImportError> {
    article_from_bytes(path, &read_limited(path)?)
}

/// An article from the bytes of `path`, already read (extension checked, Markdown headline
/// marks dropped from the title).
pub fn article_from_bytes(path: &Path, bytes: &[u8]) -> Result<Article, ImportError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !matches!(ext.as_str(), "txt" | "md" | "markdown" | "text" | "") {
        return Err(ImportError::Unsupported {
            path: path.to_path_buf(),
            ext,
        });
    }
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "article".into());
    let mut a = decode_article(bytes, path, &name)?;
    if ext == "md" || ext == "markdown" {
        a.title = a.title.trim_start_matches('#').trim().to_string();
        if a.title.is_empty() {
            a.title = name.clone();
        }
    }
    Ok(a)
}

/// Decode article bytes (shared by files and stdin).
pub fn decode_article(bytes: &[u8], path: &Path, name: &str) -> Result<Article, ImportError> {
    let mut warnings = Vec::new();
    let body = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => {
            warnings.push(format!(
                "{}: dropped the UTF-8 byte-order mark at the start of the file (offsets count from the character after it)",
                path.display()
            ));
            rest
        }
        None => bytes,
    };
    if body.contains(&0) {
        return Err(ImportError::Binary {
            path: path.to_path_buf(),
        });
    }
    let text = std::str::from_utf8(body).map_err(|e| ImportError::InvalidUtf8 {
        path: path.to_path_buf(),
        byte: e.valid_up_to() + (bytes.len() - body.len()),
    })?;
    if text.trim().is_empty() {
        return Err(ImportError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(Article {
        name: name.to_string(),
        title: title_of(text, name),
        source: path.display().to_string(),
        text: text.to_string(),
        warnings,
    })
}

/// Lines ended by `\n`, `\r\n` or a lone `\r` (files from old Mac tools), without their endings.
pub fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let t = rest?;
        match t.find(['\n', '\r']) {
            Some(i) => {
                let skip = if t[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&t[i + skip..]).filter(|r| !r.is_empty());
                Some(&t[..i])
            }
            None => {
                rest = None;
                Some(t)
            }
        }
    })
}

/// The first non-empty line when it is short enough to be a headline, else the file name.
pub fn title_of(text: &str, name: &str) -> String {
    let first = split_lines(text)
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if !first.is_empty() && first.chars().count() <= 120 {
        first.to_string()
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        let p = Path::new("a.txt");
        let a = decode_article(b"\xEF\xBB\xBFHeadline\r\nBody", p, "a").unwrap();
        assert_eq!(a.text, "Headline\r\nBody");
        assert_eq!(a.title, "Headline");
        assert_eq!(a.warnings.len(), 1);
        let e = decode_article(b"ok \xFF", p, "a").unwrap_err();
        assert_eq!(e.to_string(), "a.txt is not valid UTF-8 (first bad byte at offset 3); convert it to UTF-8 and import it again");
        assert!(matches!(
            decode_article(b"a\0b", p, "a"),
            Err(ImportError::Binary { .. })
        ));
        assert!(matches!(
            decode_article(b" \n", p, "a"),
            Err(ImportError::Empty { .. })
        ));
        let long = "x".repeat(200);
        assert_eq!(
            decode_article(long.as_bytes(), p, "name").unwrap().title,
            "name"
        );
    }
}
