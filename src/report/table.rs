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

/// Left-aligned first column, right-aligned others, two spaces apart.
fn grid(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        for (c, (cell, w)) in row.iter().zip(&widths).enumerate() {
            if c == 0 {
                let _ = write!(out, "{cell:<w$}");
            } else {
                let _ = write!(out, "  {cell:>w$}");
            }
        }
        out.push('\n');
    }
    out
}

/// A sweep of several points: one row per point with the headline metrics.
pub fn points(summaries: &[ScenarioSummary], stops: &[&str]) -> String {
    let Some(first) = summaries.first() else {
        return String::new();
    };
    let mut header = vec![
        "point".to_string(),
        "reps".to_string(),
        "stop".to_string(),
        "wait_mean (min)".to_string(),
        "service_level".to_string(),
        "abandon_rate".to_string(),
    ];
    header.extend(first.tiers.iter().map(|(t, _)| format!("{t} utilization")));
    let mut rows = vec![header];
    for (s, stop) in summaries.iter().zip(stops) {
        let pick = |m: &str| {
            s.overall(m)
                .map_or("-".to_string(), |e| cell(e.mean, e.ci95))
        };
        let mut row = vec![
            s.name.clone(),
            s.replications.to_string(),
            stop.to_string(),
            pick("wait_mean"),
            pick("service_level"),
            pick("abandon_rate"),
        ];
        row.extend(first.tiers.iter().map(|(t, _)| {
            s.tier(t, "utilization")
                .map_or("-".into(), |e| cell(e.mean, e.ci95))
        }));
        rows.push(row);
    }
    grid(&rows)
}

/// Paired differences B − A: one row per metric, significant ones marked.
pub fn differences(a: &str, b: &str, diffs: &[crate::experiment::Difference]) -> String {
    let mut rows = vec![vec![
        "metric".to_string(),
        format!("A: {a}"),
        format!("B: {b}"),
        "B - A (95% CI)".to_string(),
        "significant".to_string(),
        "CRN variance cut".to_string(),
    ]];
    for d in diffs {
        let value = |x: f64| {
            if x.is_finite() {
                cell(x, 0.0).split(" ±").next().unwrap_or("").to_string()
            } else {
                "-".into()
            }
        };
        rows.push(vec![
            format!("{}.{} ({})", d.group, d.metric, unit(d.metric)),
            value(d.a.mean),
            value(d.b.mean),
            cell(d.difference.mean, d.difference.ci95),
            if d.significant { "yes" } else { "no" }.to_string(),
            if d.variance_reduction.is_finite() {
                format!("{:.0}%", 100.0 * d.variance_reduction)
            } else {
                "-".into()
            },
        ]);
    }
    grid(&rows)
}
