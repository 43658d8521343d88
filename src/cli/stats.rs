//! `tagwright stats`: counts of a project (its main layer, or one annotator's) as a table or JSON.

use super::{for_terminal, team, CliError};
use crate::store::Project;
use std::io::Write;
use std::path::Path;

pub fn stats_cmd(
    project: &Path,
    json: bool,
    annotator: Option<String>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let p = Project::open(project)?;
    let whole = annotator.is_none();
    let st = match annotator {
        Some(a) => crate::session::team::layer_stats(&p, &team::annotator(&a)?)?,
        None => {
            crate::corpus::ProjectStats::merged(p.fold_documents(crate::corpus::ProjectStats::add)?)
        }
    };
    if json {
        let v = serde_json::json!({
            "documents": st.documents,
            "by_status": st.by_status,
            "spans_by_label": st.spans_by_label,
            "suggestions_by_label": st.suggestions_by_label,
            "accepted": st.accepted,
            "corrected": st.corrected,
            "manual": st.manual,
            "rejected": st.rejected,
            "chars": st.chars,
            "active_ms": st.detail.active_ms,
            "entities_per_hour": st.detail.entities_per_hour(),
            "seconds_per_document": st.detail.seconds_per_doc(),
            "acceptance_by_label": rates_json(&st.detail.acceptance_by_label),
            "acceptance_by_source": rates_json(&st.detail.acceptance_by_source),
            "done_by_day": st.detail.done_by_day.iter()
                .map(|(d, n)| (crate::corpus::day_string(*d), *n))
                .collect::<std::collections::BTreeMap<_, _>>(),
        });
        writeln!(out, "{v}").map_err(CliError::Output)?;
    } else {
        write_stats(&p, &st, out).map_err(CliError::Output)?;
        if whole {
            team::write_annotator_stats(&p, out)?;
        }
    }
    Ok(())
}

fn rates_json(m: &std::collections::BTreeMap<String, crate::corpus::Rate>) -> serde_json::Value {
    m.iter()
        .map(|(k, r)| {
            (
                k.clone(),
                serde_json::json!({"accepted": r.accepted, "corrected": r.corrected, "rejected": r.rejected, "rate": r.ratio()}),
            )
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

fn write_stats(
    p: &Project,
    st: &crate::corpus::ProjectStats,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let get = |k: &str| st.by_status.get(k).copied().unwrap_or(0);
    writeln!(out, "project: {}", for_terminal(&p.name))?;
    writeln!(
        out,
        "documents: {} ({} done, {} in progress, {} todo, {} flagged, {} skipped), {} characters",
        st.documents,
        get("done"),
        get("in progress"),
        get("todo"),
        get("flagged"),
        get("skipped"),
        st.chars
    )?;
    let d = &st.detail;
    if let (Some(per_doc), Some(per_hour)) = (d.seconds_per_doc(), d.entities_per_hour()) {
        writeln!(
            out,
            "active time: {:.1} min over {} documents ({per_doc:.0} s per document), {per_hour:.0} entities per hour",
            d.active_ms as f64 / 60_000.0,
            d.timed_docs
        )?;
    }
    writeln!(
        out,
        "{:<10} {:>10} {:>12}",
        "label", "entities", "suggestions"
    )?;
    let mut labels: Vec<&String> = p.schema.labels.iter().map(|l| &l.name).collect();
    for k in st
        .spans_by_label
        .keys()
        .chain(st.suggestions_by_label.keys())
    {
        if !labels.contains(&k) {
            labels.push(k);
        }
    }
    for l in labels {
        writeln!(
            out,
            "{:<10} {:>10} {:>12}",
            l,
            st.spans_by_label.get(l).copied().unwrap_or(0),
            st.suggestions_by_label.get(l).copied().unwrap_or(0)
        )?;
    }
    writeln!(
        out,
        "entities: {} accepted from suggestions, {} corrected suggestions, {} tagged by hand; {} suggestions rejected",
        st.accepted, st.corrected, st.manual, st.rejected
    )?;
    let rates = |out: &mut dyn Write,
                 what: &str,
                 m: &std::collections::BTreeMap<String, crate::corpus::Rate>|
     -> std::io::Result<()> {
        writeln!(
            out,
            "{:<10} {:>9} {:>9} {:>9} {:>11}",
            what, "accepted", "corrected", "rejected", "acceptance"
        )?;
        for (k, r) in m {
            let pct = r
                .ratio()
                .map_or("-".to_string(), |x| format!("{:.1}%", x * 100.0));
            writeln!(
                out,
                "{k:<10} {:>9} {:>9} {:>9} {pct:>11}",
                r.accepted, r.corrected, r.rejected
            )?;
        }
        Ok(())
    };
    writeln!(out, "suggestions reviewed, by label:")?;
    rates(out, "label", &st.detail.acceptance_by_label)?;
    writeln!(out, "suggestions reviewed, by recognizer:")?;
    rates(out, "source", &st.detail.acceptance_by_source)?;
    let dated: usize = st.detail.done_by_day.values().sum();
    writeln!(
        out,
        "documents done per day ({dated} of {} done have a date):",
        get("done")
    )?;
    let mut total = 0;
    for (day, n) in &st.detail.done_by_day {
        total += n;
        writeln!(
            out,
            "{}  {n:>6}  (total {total})",
            crate::corpus::day_string(*day)
        )?;
    }
    Ok(())
}
