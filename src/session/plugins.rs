//! The person's plug-in recognizers (see `extract::plugin`): `recognizers.ron` in their own
//! configuration folder — `$TAGWRIGHT_CONFIG` when set, else `$XDG_CONFIG_HOME/tagwright`, else
//! `~/.config/tagwright` — and never in a project, so opening a project (one cloned from git, say)
//! never runs a command. Read once per process; each plug-in's command starts on first use.
//!
//! ```ron
//! [
//!     (
//!         name: "spacy",
//!         command: ["python3", "/path/to/spacy_recognizer.py"],
//!         labels: {"PERSON": "PER", "GPE": "LOC", "NORP": "MISC"},
//!         timeout_s: 20.0,
//!         startup_s: 60.0,
//!     ),
//! ]
//! ```

use crate::extract::plugin::{PluginRecognizer, PluginSpec};
use crate::extract::{Pipeline, Recognizer};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// The file's name in the configuration folder.
pub const FILE: &str = "recognizers.ron";

#[derive(Deserialize)]
struct Entry {
    name: String,
    command: Vec<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default = "default_timeout")]
    timeout_s: f64,
    /// More time for the first answer, while it starts.
    #[serde(default = "default_startup")]
    startup_s: f64,
    /// Against the built-in recognizers: the tagger has 2, rules 3.
    #[serde(default = "default_priority")]
    priority: u8,
}

fn default_timeout() -> f64 {
    10.0
}
fn default_startup() -> f64 {
    60.0
}
fn default_priority() -> u8 {
    2
}

/// The person's own configuration folder on this machine (see the module docs).
pub fn config_dir() -> Option<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    var("TAGWRIGHT_CONFIG")
        .or_else(|| var("XDG_CONFIG_HOME").map(|d| d.join("tagwright")))
        .or_else(|| var("HOME").map(|h| h.join(".config").join("tagwright")))
}

/// Where the person's plug-in configuration is read from.
pub fn config_path() -> Option<PathBuf> {
    Some(config_dir()?.join(FILE))
}

/// The plug-ins configured in `text` (the contents of [`FILE`]), checked.
pub fn parse(text: &str) -> Result<Vec<PluginSpec>, String> {
    let entries: Vec<Entry> = ron::from_str(text).map_err(|e| e.to_string())?;
    let mut out: Vec<PluginSpec> = Vec::new();
    for e in entries {
        // A built-in name would count its suggestions as the built-in's.
        let taken = crate::extract::BUILT_IN.contains(&e.name.as_str()) || e.name == "manual";
        if e.name.trim().is_empty() || taken {
            return Err(format!("a recognizer may not be called {:?}", e.name));
        }
        if out.iter().any(|p| p.name == e.name) {
            return Err(format!("two recognizers are called {:?}", e.name));
        }
        if e.command.is_empty() {
            return Err(format!("the recognizer {:?} has no command", e.name));
        }
        if !(e.timeout_s > 0.0 && e.timeout_s <= 3600.0) {
            return Err(format!(
                "the recognizer {:?} needs a timeout_s between 0 and 3600",
                e.name
            ));
        }
        if !(0.0..=3600.0).contains(&e.startup_s) {
            return Err(format!(
                "the recognizer {:?} needs a startup_s between 0 and 3600",
                e.name
            ));
        }
        out.push(PluginSpec {
            name: e.name,
            command: e.command,
            labels: e.labels,
            timeout: Duration::from_secs_f64(e.timeout_s),
            startup: Duration::from_secs_f64(e.startup_s),
            priority: e.priority,
        });
    }
    Ok(out)
}

/// The configured plug-ins, and what was wrong with the configuration.
pub type Configured = (Vec<Arc<dyn Recognizer>>, Option<String>);

/// The person's plug-ins, started lazily and shared by every pipeline of this process, and what
/// was wrong with the configuration (a sentence naming the file), if anything.
pub fn configured() -> &'static Configured {
    static PLUGINS: OnceLock<Configured> = OnceLock::new();
    PLUGINS.get_or_init(|| {
        let Some(path) = config_path().filter(|p| p.is_file()) else {
            return (Vec::new(), None);
        };
        let read = crate::bounded::read(&path, 1024 * 1024)
            .map_err(|e| e.to_string())
            .and_then(|b| String::from_utf8(b).map_err(|e| e.to_string()))
            .and_then(|t| parse(&t));
        match read {
            Ok(specs) => (
                specs
                    .into_iter()
                    .map(|s| Arc::new(PluginRecognizer::new(s)) as Arc<dyn Recognizer>)
                    .collect(),
                None,
            ),
            Err(e) => (
                Vec::new(),
                Some(format!(
                    "{}: {e}. No plug-in recognizer is used; fix the file and restart",
                    path.display()
                )),
            ),
        }
    })
}

/// `pipeline` with the person's plug-ins.
pub fn with_plugins(pipeline: Pipeline) -> Pipeline {
    pipeline.with(&configured().0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configuration_is_checked() {
        let ok =
            parse(r#"[(name: "spacy", command: ["python3", "r.py"], labels: {"PERSON": "PER"})]"#)
                .unwrap();
        assert_eq!(ok[0].labels["PERSON"], "PER");
        assert_eq!(ok[0].timeout, Duration::from_secs(10));
        for (bad, why) in [
            (r#"[(name: "tagger", command: ["x"])]"#, "may not be called"),
            (r#"[(name: "a", command: [])]"#, "has no command"),
            (
                r#"[(name: "a", command: ["x"]), (name: "a", command: ["y"])]"#,
                "two recognizers",
            ),
            (
                r#"[(name: "a", command: ["x"], timeout_s: 0.0)]"#,
                "timeout_s",
            ),
            ("[(name: ", ""),
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
