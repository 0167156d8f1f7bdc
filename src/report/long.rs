//! `results_long.csv`: the results in tidy long form, one row per point,
//! group and metric (`point, name, <axes>..., group, metric, unit, mean,
//! ci95`), which pandas and R read without reshaping. Written beside the
//! wide `results.csv` (kept), one point at a time as the sweep's files are
//! streamed (`sweep_files.rs`).

use serde::Serialize;

use super::catalogue;
use super::format::nullable;
use crate::experiment::ScenarioSummary;
use crate::scenario::Sweep;

/// One row of `results_long.csv` (the axes' values go between `name` and
/// `group`, one column per axis, written by [`write_point`]).
#[derive(Debug, Serialize)]
pub struct LongRow<'a> {
    /// `overall`, `segment.<name>`, `tier.<name>` or `request.<name>`.
    pub group: &'a str,
    /// The metric's key, as in `summary.json`.
    pub metric: &'a str,
    /// Its unit, from the metric catalogue: minutes, hours, share, count, ...
    pub unit: &'static str,
    /// Mean over the replications (empty when undefined).
    #[serde(serialize_with = "nullable::serialize")]
    pub mean: f64,
    /// 95% confidence half-width (empty when undefined).
    #[serde(serialize_with = "nullable::serialize")]
    pub ci95: f64,
}

/// The header of `results_long.csv` for `sweep`.
pub fn header(sweep: &Sweep) -> Vec<String> {
    let mut header = vec!["point".to_string(), "name".to_string()];
    header.extend(sweep.axes.iter().cloned());
    header.extend(["group", "metric", "unit", "mean", "ci95"].map(String::from));
    header
}

/// Writes the rows of point `point` of `sweep`, summarised as `summary`.
pub fn write_point<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    sweep: &Sweep,
    point: usize,
    summary: &ScenarioSummary,
) -> csv::Result<()> {
    let p = &sweep.points[point];
    let mut lead = vec![point.to_string(), p.name.clone()];
    lead.extend(p.parameters.iter().map(|(_, v)| match v {
        toml::Value::String(s) => s.clone(),
        v => v.to_string(),
    }));
    for (group, metrics) in summary.groups() {
        for (metric, e) in metrics.iter() {
            for field in &lead {
                w.write_field(field)?;
            }
            w.serialize(LongRow {
                group: &group,
                metric,
                unit: catalogue::unit(metric).axis(),
                mean: e.mean,
                ci95: e.ci95,
            })?;
        }
    }
    Ok(())
}
