//! The CSV files, for researchers' own tools: `results.csv` (one row per
//! point: parameters, then each metric's mean and 95% half-width),
//! `replications.csv` (one row per point and replication) and the paired
//! differences of a comparison. Numbers are written in their shortest exact
//! form; an undefined value is an empty cell.

use csv::Writer;

use crate::experiment::{Difference, PointResult, ReplicationMetrics, ScenarioSummary, Shape};
use crate::scenario::Sweep;
use crate::scenario::sweep::display;

fn cell(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

fn finish(w: Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().expect("writing to memory cannot fail")
}

/// Header cells `point, name, <axis paths...>`.
fn leading(sweep: &Sweep) -> Vec<String> {
    let mut h = vec!["point".to_string(), "name".to_string()];
    h.extend(sweep.axes.iter().cloned());
    h
}

/// The leading cells of point `index`.
fn leading_row(sweep: &Sweep, index: usize) -> Vec<String> {
    let p = &sweep.points[index];
    let mut row = vec![index.to_string(), p.name.clone()];
    row.extend(p.parameters.iter().map(|(_, v)| display(v)));
    row
}

/// Every group label of the sweep's points with its metric names, in order
/// of first appearance (compared scenarios may have different tiers).
fn columns(sweep: &Sweep, results: &[PointResult]) -> Vec<(String, &'static [&'static str])> {
    let mut out: Vec<(String, &'static [&'static str])> = Vec::new();
    for r in results {
        for (label, metrics) in Shape::of(&sweep.points[r.point].scenario.model).groups() {
            if !out.iter().any(|(l, _)| *l == label) {
                out.push((label, metrics));
            }
        }
    }
    out
}

/// One replication's values by group label.
fn by_group(shape: &Shape, metrics: &ReplicationMetrics) -> Vec<(String, Vec<f64>)> {
    let mut values = metrics.flat();
    shape
        .groups()
        .into_iter()
        .map(|(label, names)| (label, values.by_ref().take(names.len()).collect()))
        .collect()
}

/// `results.csv`: one row per finished point.
pub fn results(sweep: &Sweep, rows: &[(&PointResult, &ScenarioSummary)]) -> Vec<u8> {
    let results: Vec<PointResult> = rows.iter().map(|(r, _)| (*r).clone()).collect();
    let columns = columns(sweep, &results);
    let mut w = Writer::from_writer(Vec::new());
    let mut header = leading(sweep);
    header.extend(["replications".to_string(), "stop_reason".to_string()]);
    for (group, metrics) in &columns {
        for m in metrics.iter() {
            header.push(format!("{group}.{m}.mean"));
            header.push(format!("{group}.{m}.ci95"));
        }
    }
    w.write_record(&header).expect("in memory");
    for (result, summary) in rows {
        let mut row = leading_row(sweep, result.point);
        row.push(summary.replications.to_string());
        row.push(result.stop.as_str().to_string());
        let groups = summary.groups();
        for (group, metrics) in &columns {
            match groups.iter().find(|(g, _)| g == group) {
                Some((_, m)) => {
                    for (_, e) in m.iter() {
                        row.push(cell(e.mean));
                        row.push(cell(e.ci95));
                    }
                }
                None => row.extend(std::iter::repeat_n(String::new(), 2 * metrics.len())),
            }
        }
        w.write_record(&row).expect("in memory");
    }
    finish(w)
}

/// `replications.csv`: one row per point and replication.
pub fn replications(sweep: &Sweep, results: &[PointResult]) -> Vec<u8> {
    let columns = columns(sweep, results);
    let mut w = Writer::from_writer(Vec::new());
    let mut header = leading(sweep);
    header.push("replication".to_string());
    for (group, metrics) in &columns {
        header.extend(metrics.iter().map(|m| format!("{group}.{m}")));
    }
    w.write_record(&header).expect("in memory");
    for result in results {
        let shape = Shape::of(&sweep.points[result.point].scenario.model);
        for (r, metrics) in result.replications.iter().enumerate() {
            let mut row = leading_row(sweep, result.point);
            row.push(r.to_string());
            let values = by_group(&shape, metrics);
            for (group, names) in &columns {
                match values.iter().find(|(g, _)| g == group) {
                    Some((_, v)) => row.extend(v.iter().map(|x| cell(*x))),
                    None => row.extend(std::iter::repeat_n(String::new(), names.len())),
                }
            }
            w.write_record(&row).expect("in memory");
        }
    }
    finish(w)
}

/// Paired differences, one row per (row label, group, metric).
pub fn differences(rows: &[(String, &[Difference])]) -> Vec<u8> {
    let mut w = Writer::from_writer(Vec::new());
    w.write_record([
        "name",
        "group",
        "metric",
        "a.mean",
        "b.mean",
        "difference.mean",
        "difference.ci95",
        "significant",
        "variance_reduction",
    ])
    .expect("in memory");
    for (label, diffs) in rows {
        for d in diffs.iter() {
            w.write_record([
                label.clone(),
                d.group.clone(),
                d.metric.to_string(),
                cell(d.a.mean),
                cell(d.b.mean),
                cell(d.difference.mean),
                cell(d.difference.ci95),
                d.significant.to_string(),
                cell(d.variance_reduction),
            ])
            .expect("in memory");
        }
    }
    finish(w)
}
