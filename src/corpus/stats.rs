//! Project statistics, built one document at a time: counts by status and label, how often
//! suggestions were accepted (by label and by recognizer), and documents done per day.
//!
//! Units: counts of documents, spans and chars (Unicode code points); days are whole days since
//! 1970-01-01 UTC. Adding documents in any order, or in parts that are then merged, gives the
//! same totals.

use crate::model::{Document, Origin, Status};
use std::collections::BTreeMap;

/// How often suggestions were accepted versus rejected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rate {
    pub accepted: usize,
    pub rejected: usize,
    /// Accepted only with another label or other boundaries.
    pub corrected: usize,
}

impl Rate {
    /// accepted / (accepted + corrected + rejected), `None` when nothing was reviewed: a
    /// corrected suggestion was not right as suggested.
    pub fn ratio(&self) -> Option<f64> {
        let n = self.accepted + self.corrected + self.rejected;
        (n > 0).then(|| self.accepted as f64 / n as f64)
    }
}

/// Project statistics, built one document at a time with [`CorpusStats::add`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CorpusStats {
    pub docs: usize,
    /// Documents per status, indexed by [`CorpusStats::status_index`] (the order of
    /// [`Status::ALL`]).
    pub by_status: [usize; 5],
    /// Confirmed spans per label.
    pub per_label: BTreeMap<String, usize>,
    /// Confirmed spans typed by hand ([`Origin::Manual`]).
    pub manual: usize,
    /// Suggestions accepted with another label or other boundaries ([`Origin::Corrected`]).
    pub corrected: usize,
    /// Accepted = confirmed spans with [`Origin::Accepted`], by their label; corrected = spans
    /// with [`Origin::Corrected`], by the label that was suggested; rejected = rejected
    /// suggestions, by their label.
    pub acceptance_by_label: BTreeMap<String, Rate>,
    /// The same, by recognizer (`source`).
    pub acceptance_by_source: BTreeMap<String, Rate>,
    /// Pending suggestions.
    pub pending: usize,
    /// Documents marked done per day (days since 1970-01-01, UTC), for those whose time marked
    /// done is known.
    pub done_by_day: BTreeMap<u64, usize>,
    /// Active annotation time over all documents, in milliseconds.
    pub active_ms: u64,
    /// Documents with some active time recorded, and their confirmed entities.
    pub timed_docs: usize,
    pub timed_entities: usize,
}

/// A day number (days since 1970-01-01) as `YYYY-MM-DD` (proleptic Gregorian, UTC).
pub fn day_string(day: u64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = day as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

impl CorpusStats {
    pub fn status_index(s: Status) -> usize {
        Status::ALL.iter().position(|&x| x == s).unwrap_or(0)
    }

    /// Confirmed entities per hour of active time, over the documents with time recorded.
    pub fn entities_per_hour(&self) -> Option<f64> {
        (self.active_ms > 0)
            .then(|| self.timed_entities as f64 * 3_600_000.0 / self.active_ms as f64)
    }

    /// Mean active time per document with time recorded, in seconds.
    pub fn seconds_per_doc(&self) -> Option<f64> {
        (self.timed_docs > 0).then(|| self.active_ms as f64 / 1000.0 / self.timed_docs as f64)
    }

    pub fn status_count(&self, s: Status) -> usize {
        self.by_status[CorpusStats::status_index(s)]
    }

    pub fn from_docs<'a>(docs: impl IntoIterator<Item = &'a Document>) -> CorpusStats {
        let mut s = CorpusStats::default();
        for d in docs {
            s.add(d);
        }
        s
    }

    /// Count one more document.
    pub fn add(&mut self, doc: &Document) {
        self.docs += 1;
        self.by_status[CorpusStats::status_index(doc.status())] += 1;
        for s in doc.spans() {
            *self.per_label.entry(s.label.clone()).or_default() += 1;
            match &s.origin {
                Origin::Manual => self.manual += 1,
                Origin::Accepted { source, .. } => {
                    entry(&mut self.acceptance_by_label, &s.label).accepted += 1;
                    entry(&mut self.acceptance_by_source, source).accepted += 1;
                }
                // Counted against the label that was suggested.
                Origin::Corrected { source, suggested } => {
                    self.corrected += 1;
                    entry(&mut self.acceptance_by_label, suggested).corrected += 1;
                    entry(&mut self.acceptance_by_source, source).corrected += 1;
                }
            }
        }
        for r in doc.rejected() {
            entry(&mut self.acceptance_by_label, &r.label).rejected += 1;
            entry(&mut self.acceptance_by_source, &r.source).rejected += 1;
        }
        self.pending += doc.suggestions().len();
        if let (Status::Done, Some(t)) = (doc.status(), doc.done_at()) {
            *self.done_by_day.entry(t / 86_400).or_default() += 1;
        }
        if doc.active_ms() > 0 {
            self.active_ms += doc.active_ms();
            self.timed_docs += 1;
            self.timed_entities += doc.spans().len();
        }
    }

    /// Add counts gathered elsewhere (e.g. by another thread).
    pub fn merge(&mut self, other: CorpusStats) {
        self.docs += other.docs;
        for (k, n) in other.by_status.into_iter().enumerate() {
            self.by_status[k] += n;
        }
        self.active_ms += other.active_ms;
        self.timed_docs += other.timed_docs;
        self.timed_entities += other.timed_entities;
        for (k, v) in other.per_label {
            *self.per_label.entry(k).or_default() += v;
        }
        self.manual += other.manual;
        self.corrected += other.corrected;
        for (mine, theirs) in [
            (&mut self.acceptance_by_label, other.acceptance_by_label),
            (&mut self.acceptance_by_source, other.acceptance_by_source),
        ] {
            for (k, r) in theirs {
                let e = mine.entry(k).or_default();
                e.accepted += r.accepted;
                e.rejected += r.rejected;
                e.corrected += r.corrected;
            }
        }
        self.pending += other.pending;
        for (k, v) in other.done_by_day {
            *self.done_by_day.entry(k).or_default() += v;
        }
    }
}

fn entry<'m>(map: &'m mut BTreeMap<String, Rate>, key: &str) -> &'m mut Rate {
    map.entry(key.to_string()).or_default()
}

/// Counts over a whole project (what `tagwright stats` prints), built one document at a time with
/// [`ProjectStats::add`]; parts built apart (e.g. on several threads) are combined with
/// [`ProjectStats::merge`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectStats {
    pub documents: usize,
    pub by_status: BTreeMap<&'static str, usize>,
    pub spans_by_label: BTreeMap<String, usize>,
    pub suggestions_by_label: BTreeMap<String, usize>,
    pub rejected: usize,
    pub accepted: usize,
    /// Suggestions accepted with another label or other boundaries.
    pub corrected: usize,
    pub manual: usize,
    pub chars: usize,
    /// Acceptance rates by label and by recognizer, and documents done per day.
    pub detail: CorpusStats,
}

impl ProjectStats {
    /// Count one more document.
    pub fn add(&mut self, d: &Document) {
        self.documents += 1;
        self.chars += d.char_len();
        *self.by_status.entry(d.status().name()).or_default() += 1;
        for s in d.spans() {
            *self.spans_by_label.entry(s.label.clone()).or_default() += 1;
            match s.origin {
                Origin::Manual => self.manual += 1,
                Origin::Accepted { .. } => self.accepted += 1,
                Origin::Corrected { .. } => self.corrected += 1,
            }
        }
        for s in d.suggestions() {
            *self
                .suggestions_by_label
                .entry(s.label.clone())
                .or_default() += 1;
        }
        self.rejected += d.rejected().len();
        self.detail.add(d);
    }

    /// Add the counts of another part of the project.
    pub fn merge(&mut self, p: ProjectStats) {
        self.documents += p.documents;
        self.rejected += p.rejected;
        self.accepted += p.accepted;
        self.corrected += p.corrected;
        self.manual += p.manual;
        self.chars += p.chars;
        for (k, v) in p.by_status {
            *self.by_status.entry(k).or_default() += v;
        }
        for (k, v) in p.spans_by_label {
            *self.spans_by_label.entry(k).or_default() += v;
        }
        for (k, v) in p.suggestions_by_label {
            *self.suggestions_by_label.entry(k).or_default() += v;
        }
        self.detail.merge(p.detail);
    }

    /// The sum of parts counted apart.
    pub fn merged(parts: impl IntoIterator<Item = ProjectStats>) -> ProjectStats {
        let mut total = ProjectStats::default();
        for p in parts {
            total.merge(p);
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::plan::tag_all_edit;
    use crate::corpus::testing::*;
    use crate::model::{Edit, LabelSchema, Suggestion};

    #[test]
    fn days_as_dates() {
        assert_eq!(day_string(0), "1970-01-01");
        assert_eq!(day_string(19_723), "2024-01-01");
        assert_eq!(day_string(19_782), "2024-02-29");
        assert_eq!(day_string(20_784), "2026-11-27");
    }

    #[test]
    fn stats_counts() {
        let schema = LabelSchema::news();
        let mut d = doc("s", "Xi Jinping met Vladimir Putin in Moscow.");
        d.set_initial_suggestions(vec![
            Suggestion::new(0, 10, "PER", 0.95, "gazetteer"),
            Suggestion::new(15, 29, "PER", 0.8, "rule"),
            Suggestion::new(33, 39, "LOC", 0.9, "gazetteer"),
        ]);
        for e in [
            Edit::AcceptSuggestion {
                span: cs(0, 10),
                label: "PER".into(),
            },
            Edit::RejectSuggestion {
                span: cs(33, 39),
                label: "LOC".into(),
            },
            Edit::SetStatus(Status::Done),
        ] {
            d.apply(&e, &schema).unwrap();
        }
        let (tag, _) = tag_all_edit(&d, &[cs(15, 29)], "PER");
        d.apply(&tag.unwrap(), &schema).unwrap();
        let other = doc("t", "nothing here");
        let st = CorpusStats::from_docs([&d, &other]);
        assert_eq!(st.docs, 2);
        assert_eq!(st.by_status, [1, 0, 1, 0, 0]);
        assert_eq!(st.status_count(Status::Done), 1);
        assert_eq!(st.per_label.get("PER"), Some(&2));
        assert_eq!(st.manual, 1);
        assert_eq!(st.pending, 0, "tagging dropped the overlapping suggestion");
        assert_eq!(
            st.acceptance_by_label.get("PER"),
            Some(&Rate {
                accepted: 1,
                rejected: 0,
                corrected: 0,
            })
        );
        assert_eq!(st.acceptance_by_label["LOC"].ratio(), Some(0.0));
        assert_eq!(st.acceptance_by_source["gazetteer"].ratio(), Some(0.5));
        assert!(!st.acceptance_by_source.contains_key("rule"));
        assert_eq!(Rate::default().ratio(), None);
        // A corrected suggestion was not right as suggested.
        let r = Rate {
            accepted: 1,
            rejected: 1,
            corrected: 2,
        };
        assert_eq!(r.ratio(), Some(0.25));
    }

    #[test]
    fn set_aside_statuses_and_active_time() {
        let schema = LabelSchema::news();
        let mut a = doc("a", "Xi Jinping met Vladimir Putin in Moscow.");
        let (tag, _) = tag_all_edit(&a, &[cs(0, 10), cs(15, 29)], "PER");
        a.apply(&tag.unwrap(), &schema).unwrap();
        a.set_active_ms(90_000);
        let mut b = doc("b", "An advert.");
        b.apply(&Edit::SetStatus(Status::Skipped), &schema).unwrap();
        b.set_active_ms(30_000);
        let mut c = doc("c", "Unreadable scan.");
        c.apply(&Edit::SetStatus(Status::Flagged), &schema).unwrap();
        let st = CorpusStats::from_docs([&a, &b, &c]);
        assert_eq!(st.status_count(Status::Flagged), 1);
        assert_eq!(st.status_count(Status::Skipped), 1);
        assert_eq!(st.status_count(Status::InProgress), 1, "tagging started it");
        // 2 entities in 2 minutes over the two timed documents.
        assert_eq!(
            (st.active_ms, st.timed_docs, st.timed_entities),
            (120_000, 2, 2)
        );
        assert_eq!(st.entities_per_hour(), Some(60.0));
        assert_eq!(st.seconds_per_doc(), Some(60.0));
        let mut parts = CorpusStats::from_docs([&a]);
        parts.merge(CorpusStats::from_docs([&b, &c]));
        assert_eq!(parts, st);
        assert_eq!(CorpusStats::default().entities_per_hour(), None);
    }
}
