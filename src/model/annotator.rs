//! Who annotated: a person's name as it names their layer folder (`layers/<name>/`), so it
//! follows the document id rules (ASCII letters, digits, `-`, `_`, `.`; no separators, no `..`)
//! and is at most 64 bytes. Names are compared as written: "ana" and "Ana" are two people.

use std::fmt;

/// A checked annotator name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Annotator(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name:?} is not a valid annotator name: {why}")]
pub struct InvalidAnnotator {
    pub name: String,
    pub why: &'static str,
}

impl Annotator {
    pub fn new(name: &str) -> Result<Annotator, InvalidAnnotator> {
        let bad = |why| {
            Err(InvalidAnnotator {
                name: name.chars().take(80).collect(),
                why,
            })
        };
        if name.len() > 64 {
            return bad("it is longer than 64 characters");
        }
        match super::DocId::new(name) {
            Ok(_) => Ok(Annotator(name.to_string())),
            Err(e) => bad(e.why),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Annotator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_like_file_names() {
        assert_eq!(Annotator::new("ana.k_2").unwrap().as_str(), "ana.k_2");
        for bad in [
            "",
            "../x",
            "a/b",
            ".hidden",
            "ana k",
            "anä",
            &"x".repeat(65),
        ] {
            assert!(Annotator::new(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
