//! The JSON summary (`summary.json`). Its shape is a contract:
//!
//! ```text
//! {"tool": "tiersim", "version": "..", "scenarios": [
//!   {"name": .., "replications": R, "seed": S, "warnings": [..],
//!    "overall": {"<metric>": {"mean": x, "ci95": h}, ..},
//!    "segments": {"<segment>": {..}}, "tiers": {"<tier>": {..}}}]}
//! ```
//!
//! Metrics keep the order of `model::CLIENT_METRICS` and
//! `model::TIER_METRICS`, groups the order of the scenario file; a metric
//! undefined in every replication (a wait when nobody was served) is `null`.

use serde_json::{Map, Value, json};

use crate::experiment::{Metrics, ScenarioSummary};

/// JSON has no NaN: an undefined value is `null`.
fn number(x: f64) -> Value {
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

/// One scenario's entry in `scenarios`.
pub fn scenario(summary: &ScenarioSummary, seed: u64, warnings: &[String]) -> Value {
    json!({
        "name": summary.name,
        "replications": summary.replications,
        "seed": seed,
        "warnings": warnings,
        "overall": metrics(&summary.overall),
        "segments": groups(&summary.segments),
        "tiers": groups(&summary.tiers),
    })
}

/// The whole `summary.json`, pretty-printed, ending in a newline.
pub fn summary(scenarios: Vec<Value>) -> String {
    let doc = json!({
        "tool": "tiersim",
        "version": env!("CARGO_PKG_VERSION"),
        "scenarios": scenarios,
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("a JSON value serialises");
    text.push('\n');
    text
}
