//! The JSON summary (`summary.json`). Its shape is a contract:
//!
//! ```text
//! {"tool": "tiersim", "version": "..", "scenarios": [
//!   {"name": .., "replications": R, "seed": S, "parameters": {..},
//!    "stop_reason": "replications" | "precision" | "max_replications",
//!    "warnings": [..],
//!    "overall": {"<metric>": {"mean": x, "ci95": h}, ..},
//!    "segments": {"<segment>": {..}}, "tiers": {"<tier>": {..}},
//!    "vs_baseline": {"<group>": {"<metric>": {"mean", "ci95", "significant"}}}}]}
//! ```
//!
//! One entry per point of a sweep (one for a plain run). Metrics keep the
//! order of `model::CLIENT_METRICS` and `model::TIER_METRICS`, groups the
//! order of the scenario file; a metric undefined in every replication (a
//! wait when nobody was served) is `null`. `vs_baseline` appears only in a
//! sweep with a baseline.

use serde_json::{Map, Value, json};

use crate::experiment::{Difference, Metrics, ScenarioSummary, StopReason};
use crate::scenario::Point;

/// JSON has no NaN: an undefined value is `null`.
pub fn number(x: f64) -> Value {
    if x.is_finite() { json!(x) } else { Value::Null }
}

/// Metrics as an object of `{"mean", "ci95"}` in their fixed order.
fn metrics(metrics: &Metrics) -> Value {
    let map: Map<String, Value> = metrics
        .iter()
        .map(|(name, e)| {
            (
                name.to_string(),
                json!({"mean": number(e.mean), "ci95": number(e.ci95)}),
            )
        })
        .collect();
    Value::Object(map)
}

/// Named groups (segments or tiers) as an object in model order.
fn groups(groups: &[(String, Metrics)]) -> Value {
    Value::Object(
        groups
            .iter()
            .map(|(name, m)| (name.clone(), metrics(m)))
            .collect(),
    )
}

/// Paired differences as `{group: {metric: {mean, ci95, significant}}}`.
pub fn differences(differences: &[Difference]) -> Value {
    let mut out = Map::new();
    for d in differences {
        let group = out
            .entry(d.group.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        group.as_object_mut().expect("groups are objects").insert(
            d.metric.to_string(),
            json!({
                "a": number(d.a.mean),
                "b": number(d.b.mean),
                "mean": number(d.difference.mean),
                "ci95": number(d.difference.ci95),
                "significant": d.significant,
                "variance_reduction": number(d.variance_reduction),
            }),
        );
    }
    Value::Object(out)
}

/// One point's entry in `scenarios`.
pub fn point(
    point: &Point,
    summary: &ScenarioSummary,
    stop: StopReason,
    vs_baseline: Option<&[Difference]>,
) -> Value {
    let parameters: Map<String, Value> = point
        .parameters
        .iter()
        .map(|(path, v)| {
            (
                path.clone(),
                serde_json::to_value(v).expect("TOML values are JSON"),
            )
        })
        .collect();
    let mut entry = json!({
        "name": summary.name,
        "replications": summary.replications,
        "seed": point.scenario.model.run.seed,
        "parameters": parameters,
        "stop_reason": stop.as_str(),
        "warnings": point.scenario.warnings,
        "overall": metrics(&summary.overall),
        "segments": groups(&summary.segments),
        "tiers": groups(&summary.tiers),
    });
    entry["wait_quantiles"] = wait_quantiles(summary);
    if let Some(d) = vs_baseline {
        entry["vs_baseline"] = differences(d);
    }
    entry
}

/// The total wait's quantile function per client group:
/// `{"p": [...], "overall": {"mean": [...], "ci95": [...]}, "segments": {...}}`.
fn wait_quantiles(summary: &ScenarioSummary) -> Value {
    let curve = |q: &[crate::engine::stats::Estimate]| {
        json!({
            "mean": q.iter().map(|e| number(e.mean)).collect::<Vec<_>>(),
            "ci95": q.iter().map(|e| number(e.ci95)).collect::<Vec<_>>(),
        })
    };
    let segments: Map<String, Value> = summary
        .segments
        .iter()
        .zip(summary.wait_quantiles.iter().skip(1))
        .map(|((name, _), q)| (name.clone(), curve(q)))
        .collect();
    json!({
        "p": crate::model::metrics::WAIT_QUANTILES,
        "overall": curve(&summary.wait_quantiles[0]),
        "segments": segments,
    })
}

/// A whole JSON document with the tool's name and version first,
/// pretty-printed and ending in a newline.
pub fn document(key: &str, value: Value) -> String {
    let doc = json!({
        "tool": "tiersim",
        "version": env!("CARGO_PKG_VERSION"),
        key: value,
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("a JSON value serialises");
    text.push('\n');
    text
}

/// The whole `summary.json`.
pub fn summary(scenarios: Vec<Value>) -> String {
    document("scenarios", Value::Array(scenarios))
}
