//! The terminal table: one row per metric, one column per group, each cell
//! `mean ± ci95`, with units in the row label. The same numbers as the files.

use std::fmt::Write;

use crate::experiment::{Metrics, ScenarioSummary};

/// The unit shown beside a metric's name.
fn unit(metric: &str) -> &'static str {
    if metric.ends_with("_rate")
        || metric == "service_level"
        || metric == "utilization"
        || metric == "wait_p_positive"
    {
        "share"
    } else if metric.starts_with("wait") || metric.starts_with("sojourn") {
        "min"
    } else if metric.ends_with("_mean") {
        "clients"
    } else {
        "count"
    }
}

/// A value with as many decimals as its size needs.
fn cell(mean: f64, ci95: f64) -> String {
    if !mean.is_finite() {
        return "-".into();
    }
    let decimals = if mean.abs() >= 1000.0 {
        0
    } else if mean.abs() >= 10.0 {
        2
    } else {
        4
    };
    format!("{mean:.decimals$} ± {ci95:.decimals$}")
}

/// One table of metrics (rows) by groups (columns).
fn table(out: &mut String, title: &str, groups: &[(&str, &Metrics)]) {
    let Some((_, first)) = groups.first() else {
        return;
    };
    let labels: Vec<String> = first
        .iter()
        .map(|(m, _)| format!("{m} ({})", unit(m)))
        .collect();
    let cells: Vec<Vec<String>> = groups
        .iter()
        .map(|(_, metrics)| metrics.iter().map(|(_, e)| cell(e.mean, e.ci95)).collect())
        .collect();
    let label_width = labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .max(title.len());
    let widths: Vec<usize> = groups
        .iter()
        .zip(&cells)
        .map(|((name, _), col)| {
            col.iter()
                .map(|c| c.chars().count())
                .chain([name.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let _ = write!(out, "{title:<label_width$}");
    for ((name, _), w) in groups.iter().zip(&widths) {
        let _ = write!(out, "  {name:>w$}");
    }
    out.push('\n');
    for (row, label) in labels.iter().enumerate() {
        let _ = write!(out, "{label:<label_width$}");
        for (col, w) in cells.iter().zip(&widths) {
            let _ = write!(out, "  {:>w$}", col[row]);
        }
        out.push('\n');
    }
}

/// The summary as text: a clients table (overall and per segment) and a
/// tiers table, values `mean ± 95% half-width`.
pub fn render(summary: &ScenarioSummary) -> String {
    let mut out = format!(
        "scenario {}: {} replication(s); values are mean ± 95% CI half-width\n\n",
        summary.name, summary.replications
    );
    let mut clients: Vec<(&str, &Metrics)> = vec![("overall", &summary.overall)];
    clients.extend(summary.segments.iter().map(|(n, m)| (n.as_str(), m)));
    table(&mut out, "clients", &clients);
    out.push('\n');
    let tiers: Vec<(&str, &Metrics)> = summary.tiers.iter().map(|(n, m)| (n.as_str(), m)).collect();
    table(&mut out, "tiers (per visit)", &tiers);
    out
}
