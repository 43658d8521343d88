//! Labels and the label schema.

use serde::{Deserialize, Serialize};

/// One entity label: its name (as saved in spans), display colour, hotkey and description.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
    /// The key that applies the label in the window (`'1'`..`'9'` or a letter).
    #[serde(default)]
    pub key: Option<char>,
    #[serde(default)]
    pub description: String,
    /// The model class this label continues when it was renamed (`NORP` renamed from `MISC`
    /// keeps `MISC`'s knowledge: the tagger still predicts `MISC`, shown as `NORP`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

/// The labels of a project and whether spans may overlap.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelSchema {
    pub labels: Vec<Label>,
    /// When false (the default), an edit that would make two spans overlap is refused.
    #[serde(default)]
    pub allow_overlap: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("label name {0:?} is not allowed: use letters, digits, '_' or '-', without spaces")]
    BadName(String),
    #[error("label {0:?} is defined twice")]
    DuplicateName(String),
    #[error("key {key:?} is used by both {first} and {second}")]
    DuplicateKey {
        key: char,
        first: String,
        second: String,
    },
    #[error("colour {color:?} of label {label} is not of the form #rrggbb")]
    BadColor { label: String, color: String },
    #[error("{label} would share the model's {class} class with {other}, which was renamed from it: choose another name")]
    SharedClass {
        label: String,
        other: String,
        class: String,
    },
}

impl SchemaError {
    /// The label the error is about.
    pub fn label(&self) -> Option<&str> {
        match self {
            SchemaError::BadName(l) | SchemaError::DuplicateName(l) => Some(l),
            SchemaError::DuplicateKey { second, .. } => Some(second),
            SchemaError::BadColor { label, .. } | SchemaError::SharedClass { label, .. } => {
                Some(label)
            }
        }
    }
}

/// A name as shown in a message: at most 60 characters (a label read from a file can be any
/// length).
pub fn shown(name: &str) -> String {
    match name.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &name[..cut]),
        None => name.to_string(),
    }
}

impl Label {
    pub fn new(name: &str, color: &str, key: Option<char>, description: &str) -> Label {
        Label {
            name: name.to_string(),
            color: color.to_string(),
            key,
            description: description.to_string(),
            from: None,
        }
    }

    /// The model class behind this label: what it was renamed from, else its name.
    pub fn class(&self) -> &str {
        self.from.as_deref().unwrap_or(&self.name)
    }

    /// The colour as RGB bytes (grey when malformed; validated schemas never are).
    pub fn rgb(&self) -> [u8; 3] {
        parse_color(&self.color).unwrap_or([128, 128, 128])
    }
}

/// Parse `#rrggbb`.
pub fn parse_color(s: &str) -> Option<[u8; 3]> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// A palette of distinct, readable colours for labels (defaults and new labels).
pub const PALETTE: &[&str] = &[
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#2a9d8f", "#c2185b", "#9a6324",
    "#808000", "#000075", "#e76f51", "#6d597a",
];

/// The palette colour for the `n`th label.
pub fn label_palette(n: usize) -> &'static str {
    PALETTE[n % PALETTE.len()]
}

impl LabelSchema {
    /// The default news schema: PER, ORG, LOC, MISC, DATE, MONEY, PERCENT on keys 1–7.
    pub fn news() -> LabelSchema {
        let defs = [
            (
                "PER",
                "#e6194b",
                "People, including fictional; names as written",
            ),
            (
                "ORG",
                "#4363d8",
                "Companies, agencies, institutions, parties, teams",
            ),
            (
                "LOC",
                "#3cb44b",
                "Countries, cities, regions, geographical features",
            ),
            (
                "MISC",
                "#f58231",
                "Nationalities, events, works, products, other names",
            ),
            ("DATE", "#911eb4", "Absolute or relative dates and periods"),
            ("MONEY", "#2a9d8f", "Monetary values, with their unit"),
            ("PERCENT", "#c2185b", "Percentages"),
        ];
        LabelSchema {
            labels: defs
                .iter()
                .enumerate()
                .map(|(i, (n, c, d))| Label::new(n, c, char::from_digit(i as u32 + 1, 10), d))
                .collect(),
            allow_overlap: false,
        }
    }

    /// A schema with the given label names, default colours and keys 1–9.
    pub fn from_names<S: AsRef<str>>(names: &[S]) -> Result<LabelSchema, SchemaError> {
        let news = LabelSchema::news();
        let labels = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let n = n.as_ref().trim();
                match news.get(n) {
                    Some(l) => Label {
                        key: char::from_digit(i as u32 + 1, 10).filter(|_| i < 9),
                        ..l.clone()
                    },
                    None => Label::new(
                        n,
                        PALETTE[i % PALETTE.len()],
                        char::from_digit(i as u32 + 1, 10).filter(|_| i < 9),
                        "",
                    ),
                }
            })
            .collect();
        let schema = LabelSchema {
            labels,
            allow_overlap: false,
        };
        schema.validate()?;
        Ok(schema)
    }

    pub fn get(&self, name: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.name == name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The label that shows a model's class: the label of that name, else the one renamed from
    /// it.
    pub fn for_class(&self, class: &str) -> Option<&Label> {
        self.get(class).or_else(|| {
            self.labels
                .iter()
                .find(|l| l.from.as_deref() == Some(class))
        })
    }

    /// The model class behind label `name` (`name` itself when the schema does not know it).
    pub fn class_of<'a>(&'a self, name: &'a str) -> &'a str {
        self.get(name).map_or(name, Label::class)
    }

    pub fn by_key(&self, key: char) -> Option<&Label> {
        self.labels.iter().find(|l| l.key == Some(key))
    }

    /// This schema plus a label `name` with the next palette colour and the first free key 1–9.
    pub fn with_label(&self, name: &str) -> Result<LabelSchema, SchemaError> {
        self.with_labels(&[name])
    }

    /// This schema plus labels `names`, each with the next palette colour and the first free key
    /// 1–9 (one copy and one check for all of them: adding many labels stays linear).
    pub fn with_labels<S: AsRef<str>>(&self, names: &[S]) -> Result<LabelSchema, SchemaError> {
        let mut schema = self.clone();
        let mut free_keys = (1..=9)
            .filter_map(|k| char::from_digit(k, 10))
            .filter(|k| self.by_key(*k).is_none());
        for name in names {
            let colour = label_palette(schema.labels.len());
            let label = Label::new(name.as_ref().trim(), colour, free_keys.next(), "");
            schema.labels.push(label);
        }
        schema.validate()?;
        Ok(schema)
    }

    /// Check names, colours and keys (linear in the number of labels).
    pub fn validate(&self) -> Result<(), SchemaError> {
        let mut names: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let mut keys: std::collections::HashMap<char, &str> = std::collections::HashMap::new();
        for l in &self.labels {
            let ok_name = !l.name.is_empty()
                && l.name.len() <= 64
                && l.name
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
            if !ok_name {
                return Err(SchemaError::BadName(shown(&l.name)));
            }
            if parse_color(&l.color).is_none() {
                return Err(SchemaError::BadColor {
                    label: l.name.clone(),
                    color: l.color.clone(),
                });
            }
            if !names.insert(&l.name) {
                return Err(SchemaError::DuplicateName(l.name.clone()));
            }
            if let Some(o) = self
                .labels
                .iter()
                .find(|o| o.name != l.name && o.class() == l.class())
            {
                // Named after the label that was not renamed: that is the one to rename.
                let (plain, renamed) = if l.from.is_some() { (o, l) } else { (l, o) };
                return Err(SchemaError::SharedClass {
                    label: plain.name.clone(),
                    other: renamed.name.clone(),
                    class: l.class().to_string(),
                });
            }
            if let Some(key) = l.key {
                if let Some(first) = keys.insert(key, &l.name) {
                    return Err(SchemaError::DuplicateKey {
                        key,
                        first: first.to_string(),
                        second: l.name.clone(),
                    });
                }
            }
        }
        Ok(())
    }
}

impl Default for LabelSchema {
    fn default() -> Self {
        LabelSchema::news()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_schema_is_valid() {
        let s = LabelSchema::news();
        s.validate().unwrap();
        assert_eq!(s.labels.len(), 7);
        assert_eq!(s.by_key('3').map(|l| l.name.as_str()), Some("LOC"));
    }

    #[test]
    fn custom_schema_and_errors() {
        let s = LabelSchema::from_names(&["PER", "DRUG"]).unwrap();
        assert_eq!(s.get("DRUG").unwrap().key, Some('2'));
        assert_eq!(
            LabelSchema::from_names(&["A B"]).unwrap_err(),
            SchemaError::BadName("A B".into())
        );
        assert!(matches!(
            LabelSchema::from_names(&["X", "X"]),
            Err(SchemaError::DuplicateName(_))
        ));
    }
}
