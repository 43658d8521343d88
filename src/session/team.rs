//! A team on one project (see `store::layers`): who this person is, assignment, agreement over
//! the annotators' layers and importing someone's labels as their layer.
//!
//! The person's name is set once per machine, in `annotator.ron` in their own configuration
//! folder (the one `plugins` reads: `$TAGWRIGHT_CONFIG`, `$XDG_CONFIG_HOME/tagwright` or
//! `~/.config/tagwright`). `--annotator NAME` on the command line, then `TAGWRIGHT_ANNOTATOR`,
//! come before it.

use crate::corpus::agree::{Agreement, DocLayers, Layer, Report};
use crate::corpus::ProjectStats;
use crate::extract::Pipeline;
use crate::model::{Annotator, DocId, Document, Status};
use crate::store::formats::ImportOptions;
use crate::store::layers::{self, Assignments};
use crate::store::{Project, StoreError};
use crate::text::CharSpan;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The file in the configuration folder that names the person.
pub const PERSON_FILE: &str = "annotator.ron";

#[derive(Serialize, Deserialize)]
#[serde(rename = "Annotator")]
struct PersonFile {
    name: String,
}

/// Where this machine's annotator name is kept.
pub fn person_path() -> Option<PathBuf> {
    Some(super::plugins::config_dir()?.join(PERSON_FILE))
}

/// Who is annotating: `flag` (from `--annotator`), else `TAGWRIGHT_ANNOTATOR`, else the name
/// saved on this machine; `None` when none is set. A name that is set but not valid is an error
/// that says where it came from.
pub fn annotator(flag: Option<&str>) -> Result<Option<Annotator>, String> {
    annotator_in(flag, super::plugins::config_dir().as_deref())
}

/// [`annotator`], with the name saved in the configuration folder `config`.
pub fn annotator_in(
    flag: Option<&str>,
    config: Option<&Path>,
) -> Result<Option<Annotator>, String> {
    let check = |name: &str, from: &str| {
        Annotator::new(name.trim())
            .map(Some)
            .map_err(|e| format!("{from}: {e}"))
    };
    if let Some(f) = flag {
        return check(f, "--annotator");
    }
    if let Some(v) = std::env::var_os("TAGWRIGHT_ANNOTATOR").filter(|v| !v.is_empty()) {
        return check(&v.to_string_lossy(), "TAGWRIGHT_ANNOTATOR");
    }
    let Some(path) = config.map(|d| d.join(PERSON_FILE)) else {
        return Ok(None);
    };
    let Ok(bytes) = crate::bounded::read(&path, 64 * 1024) else {
        return Ok(None);
    };
    let text = String::from_utf8_lossy(&bytes);
    let file: PersonFile = ron::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    check(&file.name, &path.display().to_string())
}

/// Save `who` as the annotator name in the configuration folder `config` (this machine's: see
/// [`person_path`]).
pub fn remember_annotator(who: &Annotator, config: Option<&Path>) -> Result<PathBuf, String> {
    let path = config
        .map(|d| d.join(PERSON_FILE))
        .ok_or("no configuration folder: set HOME or TAGWRIGHT_CONFIG")?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let text = ron::to_string(&PersonFile {
        name: who.to_string(),
    })
    .map_err(|e| e.to_string())?;
    crate::store::write_atomic(&path, format!("{text}\n").as_bytes()).map_err(|e| e.to_string())?;
    Ok(path)
}

/// The annotators to compare: `given`, else everyone with a layer folder.
pub fn annotators_or_all(p: &Project, given: &[Annotator]) -> Result<Vec<Annotator>, StoreError> {
    if given.is_empty() {
        layers::annotators(p.root())
    } else {
        Ok(given.to_vec())
    }
}

/// Agreement between `who` over the documents of `p`: each annotator's layer counts where they
/// marked it done. Documents are read in parallel (in the project's order), one at a time each.
pub fn agreement(p: &Project, who: &[Annotator]) -> Result<Report, StoreError> {
    let names: Vec<String> = who.iter().map(|a| a.to_string()).collect();
    // Tens of thousands of small files: from a cold disk the reading waits on the disk, so
    // eight readers per core keep several reads in flight.
    let parts = p.in_parts(8, |ids| {
        ids.iter()
            .map(|id| doc_layers(p, id, who))
            .collect::<Result<Vec<DocLayers>, StoreError>>()
    })?;
    let mut ag = Agreement::new(&names);
    for part in parts {
        for d in part {
            ag.add(&d);
        }
    }
    Ok(ag.report())
}

/// The layers `load_layers` found for `who` that are marked done, as (annotator, spans): what
/// agreement and adjudication compare.
pub(super) fn done_layers(
    who: &[Annotator],
    found: Vec<Option<Document>>,
) -> Vec<(String, Vec<(CharSpan, String)>)> {
    who.iter()
        .zip(found)
        .filter_map(|(a, d)| {
            let d = d.filter(|d| d.status() == Status::Done)?;
            let spans = d.spans().iter().map(|s| (s.span, s.label.clone()));
            Some((a.to_string(), spans.collect()))
        })
        .collect()
}

/// One document's tokens and the done layers of `who`.
fn doc_layers(p: &Project, id: &DocId, who: &[Annotator]) -> Result<DocLayers, StoreError> {
    let (doc, found) = p.load_layers(id, who)?;
    let layers = done_layers(who, found)
        .into_iter()
        .map(|(annotator, spans)| Layer { annotator, spans })
        .collect();
    Ok(DocLayers {
        id: id.to_string(),
        tokens: crate::text::tokenize(doc.text())
            .iter()
            .map(|t| t.span)
            .collect(),
        layers,
    })
}

/// Import labelled files as `who`'s layers (see [`Project::add_layer_import`]); new documents
/// get the recognizers' suggestions as usual.
pub fn import_layer(
    project: &mut Project,
    paths: &[PathBuf],
    opts: impl Into<ImportOptions>,
    pipeline: &Pipeline,
    add_labels: bool,
    who: &Annotator,
) -> Result<layers::LayerImport, StoreError> {
    let mut batch = project.read_import(paths, opts, add_labels)?;
    for d in &mut batch.docs {
        super::preannotate::suggest_pending(d, &batch.schema, pipeline);
    }
    project.add_layer_import(batch, who)
}

/// Give every document of `p` to `overlap` of `who` (see [`crate::corpus::assign`]) and write
/// the assignments. Documents assigned before keep their annotators unless `fresh`; one assigned
/// to someone not in `who` is an error then.
pub fn assign(
    p: &Project,
    who: &[Annotator],
    overlap: usize,
    seed: u64,
    fresh: bool,
) -> Result<Assignments, String> {
    let old = match fresh {
        true => None,
        false => layers::read_assignments(p.root()).map_err(|e| e.to_string())?,
    };
    let index = |a: &Annotator| who.iter().position(|x| x == a);
    // One lookup per document: projects hold tens of thousands.
    let given: std::collections::HashMap<&DocId, &[Annotator]> = old
        .iter()
        .flat_map(|o| o.documents.iter().map(|(d, a)| (d, a.as_slice())))
        .collect();
    let mut kept: Vec<Vec<usize>> = Vec::with_capacity(p.ids().len());
    for id in p.ids() {
        let mut k = Vec::new();
        for a in given.get(id).copied().unwrap_or_default() {
            k.push(index(a).ok_or_else(|| {
                format!("{id} was assigned to {a}, who is not among --annotators; add them, or assign again with --fresh")
            })?);
        }
        if k.len() != overlap {
            k.clear();
        }
        kept.push(k);
    }
    let names: Vec<String> = who.iter().map(|a| a.to_string()).collect();
    let out = crate::corpus::assign::assign(&names, p.ids().len(), overlap, seed, &kept)
        .map_err(|e| e.to_string())?;
    let a = Assignments {
        overlap,
        seed,
        annotators: who.to_vec(),
        documents: p
            .ids()
            .iter()
            .zip(out)
            .map(|(id, xs)| (id.clone(), xs.into_iter().map(|i| who[i].clone()).collect()))
            .collect(),
    };
    layers::write_assignments(p.root(), &a).map_err(|e| e.to_string())?;
    Ok(a)
}
/// Statistics of `who`'s layer: the documents they have a file for only.
pub fn layer_stats(p: &Project, who: &Annotator) -> Result<ProjectStats, StoreError> {
    Ok(stats_by_layer(p, std::slice::from_ref(who))?
        .pop()
        .unwrap_or_default())
}

/// Statistics of each of `who`'s layers (the documents each has a file for), in one pass that
/// reads every document once.
fn stats_by_layer(p: &Project, who: &[Annotator]) -> Result<Vec<ProjectStats>, StoreError> {
    let fresh = || -> Vec<ProjectStats> { who.iter().map(|_| ProjectStats::default()).collect() };
    let parts = p.in_parts(8, |ids| {
        let mut acc = fresh();
        for id in ids {
            let (_, layers) = p.load_layers(id, who)?;
            for (st, layer) in acc.iter_mut().zip(layers) {
                if let Some(d) = layer {
                    st.add(&d);
                }
            }
        }
        Ok(acc)
    })?;
    let mut out = fresh();
    for part in parts {
        for (o, st) in out.iter_mut().zip(part) {
            o.merge(st);
        }
    }
    Ok(out)
}

/// One annotator's line of statistics (their layer).
#[derive(Clone, Debug, PartialEq)]
pub struct AnnotatorLine {
    pub name: String,
    /// Documents they have a file for, and those marked done.
    pub documents: usize,
    pub done: usize,
    pub entities: usize,
    pub active_ms: u64,
    /// Share of the suggestions they reviewed that they accepted as suggested.
    pub acceptance: Option<f64>,
}

/// A line per annotator with a layer in `p`, by name.
pub fn annotator_lines(p: &Project) -> Result<Vec<AnnotatorLine>, StoreError> {
    let who = layers::annotators(p.root())?;
    if who.is_empty() {
        // Not a team project: no document needs reading.
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for (a, st) in who.iter().zip(stats_by_layer(p, &who)?) {
        let rate = crate::corpus::stats::Rate {
            accepted: st.accepted,
            corrected: st.corrected,
            rejected: st.rejected,
        };
        out.push(AnnotatorLine {
            name: a.to_string(),
            documents: st.documents,
            done: st.by_status.get("done").copied().unwrap_or(0),
            entities: st.spans_by_label.values().sum(),
            active_ms: st.detail.active_ms,
            acceptance: rate.ratio(),
        });
    }
    Ok(out)
}

/// The project folder's annotators, for messages ("ana, ben").
pub fn names(who: &[Annotator]) -> String {
    who.iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// True when `root` is a team project: it has a layers folder or assignments.
pub fn is_team_project(root: &Path) -> bool {
    root.join(layers::LAYERS).is_dir() || root.join(layers::ASSIGNMENTS).is_file()
}
