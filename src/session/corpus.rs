//! Project-wide tools: search (keyword in context), the consistency check and statistics run as
//! query jobs over a snapshot of every document; tagging all hits or making a string consistent
//! is previewed as a [`Bulk`] first and applied with `Workspace::apply_group`: one undo step.
//! Document indices in results are positions in the workspace's list; char offsets as always.

use super::jobs::{JobKind, Msg};
use super::{SearchRequest, Session};
use crate::corpus::{self, CorpusStats, Hit, Inconsistency, Query, TagPlan};
use crate::model::Edit;
use crate::text::CharSpan;
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

/// Most hits a search lists (the summary says when there were more).
pub const MAX_HITS: usize = 10_000;
/// Characters of context on each side of a hit.
const CONTEXT: usize = 48;

/// Results of the corpus tools for the open project.
#[derive(Default)]
pub struct CorpusState {
    pub search: Option<SearchResults>,
    pub consistency: Option<ConsistencyResults>,
    pub stats: Option<StatsResults>,
    pub review: Option<super::review::Review>,
    pub agreement: Option<AgreementResults>,
    /// A previewed project-wide change waiting for the person's go-ahead.
    pub bulk: Option<Bulk>,
}

#[derive(Default)]
pub struct SearchResults {
    pub query: SearchRequest,
    pub hits: Vec<Hit>,
    /// The search stopped at [`MAX_HITS`].
    pub truncated: bool,
    /// What the search found, in a sentence (or why it could not run).
    pub summary: String,
    pub running: bool,
}

#[derive(Default)]
pub struct ConsistencyResults {
    pub items: Vec<Inconsistency>,
    /// How many checks have finished (a view's pick in `items` is only valid for one).
    pub run: u64,
    pub running: bool,
    pub checked: bool,
}

/// The agreement of the project's annotators (read from their saved layers).
#[derive(Default)]
pub struct AgreementResults {
    pub report: Option<crate::corpus::agree::Report>,
    pub running: bool,
}

#[derive(Default)]
pub struct StatsResults {
    pub stats: Option<CorpusStats>,
    /// A team project: a line per annotator (their saved layers).
    pub annotators: Vec<super::team::AnnotatorLine>,
    pub running: bool,
}

/// A change over several documents, computed and shown before it is applied.
pub struct Bulk {
    /// What it does, in a sentence.
    pub what: String,
    pub plan: TagPlan,
    pub edits: Vec<(usize, Edit)>,
    /// The query to run again after applying, so its list shows the new labels.
    after: JobKind,
}

fn documents(n: usize) -> String {
    super::count(n, "document", "documents")
}

fn plan_sentence(p: &TagPlan) -> String {
    let mut parts = Vec::new();
    for (n, what) in [
        (p.add, "tagged"),
        (p.relabel, "relabelled"),
        (p.remove, "untagged"),
        (p.already, "already so"),
        (p.conflicts, "skipped (they overlap another entity)"),
        (
            p.in_suggestion,
            "left alone (inside a longer pending suggestion)",
        ),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    if parts.is_empty() {
        "nothing to change".into()
    } else {
        parts.join(", ")
    }
}

impl Session {
    /// Search every document.
    pub(super) fn run_search(&mut self, req: SearchRequest) {
        let results = self
            .open
            .corpus
            .search
            .get_or_insert_with(SearchResults::default);
        results.query = req.clone();
        let q = match Query::new(&req.pattern, req.regex, req.case_sensitive, req.whole_word) {
            Ok(q) => q,
            Err(e) => {
                results.summary = e.to_string();
                results.hits.clear();
                results.running = false;
                // A search still running would put its hits over this explanation.
                self.open.jobs.drop_kind(JobKind::Search);
                return;
            }
        };
        results.running = true;
        let source = self.open.ws.source();
        self.start_job(
            JobKind::Search,
            0,
            Box::new(move |tx, stop| {
                let mut hits = Vec::new();
                let mut truncated = false;
                let mut unreadable = 0;
                for i in 0..source.len() {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    match source.get(i) {
                        Ok(d) => {
                            if corpus::search_doc(&d, i, &q, CONTEXT, MAX_HITS, &mut hits) {
                                truncated = true;
                                break;
                            }
                        }
                        Err(_) => unreadable += 1,
                    }
                }
                let mut docs: Vec<usize> = hits.iter().map(|h| h.doc).collect();
                docs.dedup();
                let mut summary = format!(
                    "{}{} in {}",
                    if truncated { "the first " } else { "" },
                    super::count(hits.len(), "hit", "hits"),
                    documents(docs.len())
                );
                if unreadable > 0 {
                    summary.push_str(&format!(" ({} could not be read)", documents(unreadable)));
                }
                let _ = tx.send(Msg::Hits(hits, truncated, summary));
            }),
        );
    }

    /// Check every document for strings labelled differently in different places.
    pub(super) fn run_consistency(&mut self) {
        let c = self
            .open
            .corpus
            .consistency
            .get_or_insert_with(Default::default);
        c.running = true;
        let source = self.open.ws.source();
        self.start_job(
            JobKind::Consistency,
            0,
            Box::new(move |tx, stop| {
                // First pass: the tagged strings, from the documents that have entities (the
                // summaries say which); second pass: where they occur, in every document.
                let mut b = corpus::ConsistencyBuilder::new();
                for i in source.select(|d| d.spans > 0) {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    if let Ok(d) = source.get(i) {
                        b.learn(&d);
                    }
                }
                if b.is_empty() {
                    let _ = tx.send(Msg::Consistency(Vec::new()));
                    return;
                }
                let mut scan = b.scanner();
                for i in 0..source.len() {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    if let Ok(d) = source.get(i) {
                        scan.scan(i, &d);
                    }
                }
                let _ = tx.send(Msg::Consistency(scan.finish()));
            }),
        );
    }

    /// Count entities, reviews and done documents over the project.
    pub(super) fn run_stats(&mut self) {
        let st = self.open.corpus.stats.get_or_insert_with(Default::default);
        st.running = true;
        let source = self.open.ws.source();
        let project = self.open.ws.project.clone();
        self.start_job(
            JobKind::Statistics,
            0,
            Box::new(move |tx, stop| {
                // Reading the documents dominates: one reader per core, counts merged at the end.
                let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
                let chunk = source.len().div_ceil(threads).max(1);
                let parts: Vec<Option<CorpusStats>> = std::thread::scope(|s| {
                    let handles: Vec<_> = (0..source.len())
                        .step_by(chunk)
                        .map(|from| {
                            let (source, stop) = (&source, &stop);
                            s.spawn(move || {
                                let mut stats = CorpusStats::default();
                                for i in from..(from + chunk).min(source.len()) {
                                    if stop.load(Ordering::Relaxed) {
                                        return None;
                                    }
                                    if let Ok(d) = source.get(i) {
                                        stats.add(&d);
                                    }
                                }
                                Some(stats)
                            })
                        })
                        .collect();
                    handles
                        .into_iter()
                        .map(|h| h.join().ok().flatten())
                        .collect()
                });
                let mut stats = CorpusStats::default();
                for p in parts {
                    match p {
                        Some(p) => stats.merge(p),
                        None => return,
                    }
                }
                // A team's annotators, from their saved layers (what cannot be read is left out:
                // the documents' own counts above are the window's).
                let lines = project
                    .as_ref()
                    .and_then(|p| super::team::annotator_lines(p).ok())
                    .unwrap_or_default();
                let _ = tx.send(Msg::Stats(stats, lines));
            }),
        );
    }

    pub(super) fn take_hits(&mut self, hits: Vec<Hit>, truncated: bool, summary: String) {
        if let Some(s) = &mut self.open.corpus.search {
            s.hits = hits;
            s.truncated = truncated;
            s.summary = summary;
        }
    }

    pub(super) fn take_consistency(&mut self, items: Vec<Inconsistency>) {
        if let Some(c) = &mut self.open.corpus.consistency {
            c.items = items;
            c.run += 1;
            c.checked = true;
        }
    }

    /// Compare every annotator's saved layer (a query: it reads the folder, not the window's
    /// unsaved edits).
    pub(super) fn run_agreement(&mut self) {
        let Some(p) = self.open.ws.project.clone() else {
            self.status = "Agreement needs a project folder with annotators' layers".into();
            return;
        };
        let who = match crate::store::layers::annotators(p.root()) {
            Ok(w) if w.len() >= 2 => w,
            Ok(w) => {
                self.status = format!(
                    "Agreement needs two annotators' layers; this project has {}",
                    super::count(w.len(), "layer", "layers")
                );
                return;
            }
            Err(e) => return self.set_error(e.to_string()),
        };
        let st = self
            .open
            .corpus
            .agreement
            .get_or_insert_with(Default::default);
        st.running = true;
        self.start_job(
            JobKind::Agreement,
            0,
            Box::new(move |tx, _stop| {
                let _ = tx.send(match super::team::agreement(&p, &who) {
                    Ok(r) => Msg::Agreement(Box::new(r)),
                    Err(e) => Msg::Failed(e.to_string()),
                });
            }),
        );
    }

    pub(super) fn take_agreement(&mut self, r: crate::corpus::agree::Report) {
        if let Some(a) = &mut self.open.corpus.agreement {
            a.report = Some(r);
        }
    }

    pub(super) fn take_stats(
        &mut self,
        stats: CorpusStats,
        lines: Vec<super::team::AnnotatorLine>,
    ) {
        if let Some(st) = &mut self.open.corpus.stats {
            st.stats = Some(stats);
            st.annotators = lines;
        }
    }

    /// A query ended (with results, cancelled or failed): it no longer runs.
    pub(super) fn query_finished(&mut self, kind: JobKind) {
        let c = &mut self.open.corpus;
        let running = match kind {
            JobKind::Search => c.search.as_mut().map(|s| &mut s.running),
            JobKind::Consistency => c.consistency.as_mut().map(|s| &mut s.running),
            JobKind::Statistics => c.stats.as_mut().map(|s| &mut s.running),
            JobKind::Agreement => c.agreement.as_mut().map(|s| &mut s.running),
            JobKind::Review => c.review.as_mut().map(|s| &mut s.running),
            _ => None,
        };
        if let Some(r) = running {
            *r = false;
        }
    }

    /// A tool window was closed: its results and its running query go (opening it again starts
    /// afresh, on the project as it is then).
    pub(super) fn close_tool(&mut self, tool: JobKind) {
        self.open.jobs.drop_kind(tool);
        let c = &mut self.open.corpus;
        match tool {
            JobKind::Search => c.search = None,
            JobKind::Consistency => c.consistency = None,
            JobKind::Statistics => c.stats = None,
            JobKind::Agreement => c.agreement = None,
            JobKind::Review => c.review = None,
            _ => {}
        }
    }

    /// Preview tagging every hit of the last search with `label`.
    pub(super) fn preview_tag_all(&mut self, label: String) {
        let Some(s) = &self.open.corpus.search else {
            return;
        };
        let places = s.hits.iter().map(|h| (h.doc, h.span)).collect();
        let what = format!(
            "Tag {} hits of “{}” as {label}",
            s.hits.len(),
            s.query.pattern
        );
        self.preview(places, Some(label), what, JobKind::Search);
    }

    /// Preview making every place of inconsistency `item` carry `to` (`None`: untagged).
    pub(super) fn preview_fix(&mut self, item: usize, to: Option<String>) {
        let Some(it) = self
            .open
            .corpus
            .consistency
            .as_ref()
            .and_then(|c| c.items.get(item))
        else {
            return;
        };
        let places = it.places.iter().map(|p| (p.doc, p.span)).collect();
        let what = match &to {
            Some(l) => format!("Tag every “{}” as {l}", it.text),
            None => format!("Untag every “{}”", it.text),
        };
        self.preview(places, to, what, JobKind::Consistency);
    }

    /// Preview making every place (document, span) carry `label` (`None`: no label).
    fn preview(
        &mut self,
        places: Vec<(usize, CharSpan)>,
        label: Option<String>,
        what: String,
        after: JobKind,
    ) {
        let mut by_doc: BTreeMap<usize, Vec<CharSpan>> = BTreeMap::new();
        for (d, s) in places {
            by_doc.entry(d).or_default().push(s);
        }
        let mut plan = TagPlan::default();
        let mut edits = Vec::new();
        let mut unreadable = 0;
        for (d, spans) in by_doc {
            let Ok(doc) = self.open.ws.load(d) else {
                unreadable += 1;
                continue;
            };
            let (edit, p) = match &label {
                Some(l) => corpus::tag_all_edit(doc, &spans, l),
                None => corpus::fix_edit(doc, &spans, None),
            };
            plan += p;
            if let Some(e) = edit {
                edits.push((d, e));
            }
        }
        let mut what = format!("{what}: {}", plan_sentence(&plan));
        if !edits.is_empty() {
            what.push_str(&format!(", in {}", documents(edits.len())));
        }
        if unreadable > 0 {
            what.push_str(&format!("; {} could not be read", documents(unreadable)));
        }
        self.open.corpus.bulk = Some(Bulk {
            what,
            plan,
            edits,
            after,
        });
    }

    /// Apply the previewed change as one undo step, then run its query again.
    pub(super) fn apply_bulk(&mut self) {
        let Some(b) = self.open.corpus.bulk.take() else {
            return;
        };
        if b.edits.is_empty() {
            return;
        }
        let n = b.edits.len();
        match self.open.ws.apply_group(b.edits) {
            Ok(()) => {
                self.status = format!(
                    "{} in {} (one undo step: Ctrl+Z)",
                    plan_sentence(&b.plan),
                    documents(n)
                );
                match b.after {
                    JobKind::Search => {
                        let q = self.open.corpus.search.as_ref().map(|s| s.query.clone());
                        if let Some(q) = q {
                            self.run_search(q);
                        }
                    }
                    _ => self.run_consistency(),
                }
            }
            Err(e) => self.set_error(format!("Nothing was changed: {e}")),
        }
    }
}
