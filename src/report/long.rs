//! `results_long.csv`: the results in tidy long form, one row per point,
//! group and metric (`point, name, <axes>..., group, metric, unit, mean,
//! ci95`), which pandas and R read without reshaping. Written beside the
//! wide `results.csv` (kept), from the same summaries.

use serde::Serialize;

use super::format::nullable;
use super::plot::labels::unit;
use crate::experiment::{PointResult, ScenarioSummary};
use crate::scenario::Sweep;

/// One row of `results_long.csv` (the axes' values go between `name` and
/// `group`, one column per axis, written by [`results_long`]).
#[derive(Debug, Serialize)]
pub struct LongRow<'a> {
    /// `overall`, `segment.<name>`, `tier.<name>` or `request.<name>`.
    pub group: &'a str,
    /// The metric's key, as in `summary.json`.
    pub metric: &'a str,
    /// Its unit: minutes, share, count, ...
    pub unit: &'static str,
    /// Mean over the replications (empty when undefined).
    #[serde(serialize_with = "nullable::serialize")]
    pub mean: f64,
    /// 95% confidence half-width (empty when undefined).
    #[serde(serialize_with = "nullable::serialize")]
    pub ci95: f64,
}

/// `results_long.csv` of the finished points `results` with their
/// `summaries` (in the same order).
pub fn results_long(
    sweep: &Sweep,
    results: &[PointResult],
    summaries: &[ScenarioSummary],
) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    let mut header = vec!["point".to_string(), "name".to_string()];
    header.extend(sweep.axes.iter().cloned());
    header.extend(["group", "metric", "unit", "mean", "ci95"].map(String::from));
    w.write_record(&header)?;
    for (result, summary) in results.iter().zip(summaries) {
        let point = &sweep.points[result.point];
        let mut lead = vec![result.point.to_string(), point.name.clone()];
        lead.extend(point.parameters.iter().map(|(_, v)| match v {
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
                    unit: unit(metric),
                    mean: e.mean,
                    ci95: e.ci95,
                })?;
            }
        }
    }
    w.into_inner().map_err(|e| e.into_error().into())
}
