//! The JSON summary (`summary.json`). Its shape is a contract:
//!
//! ```text
//! {"tool": "tiersim", "version": "..", "scenarios": [
//!   {"name": .., "replications": R, "seed": S,
//!    "service_level_threshold": minutes, "parameters": {..},
//!    "stop_reason": "replications" | "precision" | "max_replications",
//!    "warnings": [..],
//!    "overall": {"<metric>": {"mean": x, "ci95": h}, ..},
//!    "segments": {"<segment>": {..}}, "tiers": {"<tier>": {..}},
//!    "wait_quantiles": {"p": [..], "overall": {"mean": [..], "ci95": [..]},
//!                       "segments": {"<segment>": {..}}},
//!    "slots": {"slot_minutes": M, "labels": ["00:00", ..],
//!              "overall": {"<metric>": {"mean": [..], "ci95": [..]}, ..},
//!              "tiers": {"<tier>": {"<metric>": {..}}}},
//!    "vs_baseline": {"<group>": {"<metric>": {"a", "b", "mean", "ci95",
//!                                             "significant", "variance_reduction"}}},
//!    "targets": [..], "cost": {..}}]}
//! ```
//!
//! One entry per point of a sweep (one for a plain run). Metrics keep the
//! order of `model::CLIENT_METRICS` and `model::TIER_METRICS`, groups the
//! order of the scenario file; a metric undefined in every replication (a
//! wait when nobody was served) is `null`. `slots` appears only for a
//! scenario with a calendar or shifts, with one value per slot of the day
//! (`model::metrics::SLOT_CLIENT_METRICS` and `SLOT_TIER_METRICS`).
//! `vs_baseline` appears only in a sweep with a baseline: groups
//! `overall`, `segment.<name>` and `tier.<name>`; per metric the
//! baseline's mean (`a`), this point's (`b`), the paired difference
//! b − a (`mean`, `ci95`), whether its 95% CI excludes 0 (`significant`)
//! and the share of the difference's variance removed by pairing
//! (`variance_reduction`, `null` when undefined). `targets` and `cost`
//! appear only for a scenario with `[targets]` or `[cost]` (see `goals`).

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

/// Paired differences B − A as `{group: {metric: {a, b, mean, ci95,
/// significant, variance_reduction}}}`: the means of A and B, the mean
/// difference and its 95% half-width, whether that interval excludes 0,
/// and the share of variance removed by pairing (`null` where undefined).
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
        "service_level_threshold": number(point.scenario.model.run.service_level_threshold),
        "parameters": parameters,
        "stop_reason": stop.as_str(),
        "warnings": point
            .scenario
            .warnings
            .iter()
            .cloned()
            .chain(crate::experiment::run_warnings(&point.scenario.model, summary))
            .collect::<Vec<_>>(),
        "overall": metrics(&summary.overall),
        "segments": groups(&summary.segments),
        "tiers": groups(&summary.tiers),
    });
    if !summary.requests.is_empty() {
        entry["requests"] = groups(&summary.requests);
    }
    entry["wait_quantiles"] = wait_quantiles(summary);
    if let Some(week) = &point.scenario.model.week {
        entry["slots"] = slots(week, summary);
    }
    if let Some(d) = vs_baseline {
        entry["vs_baseline"] = differences(d);
    }
    let goals = &point.scenario.goals;
    if !goals.targets.is_empty() {
        entry["targets"] =
            super::goals::targets_json(&super::goals::check_targets(&goals.targets, summary));
    }
    if let Some(cost) = &goals.cost {
        let rates = super::goals::cost_rates(cost, &point.scenario.model, summary);
        entry["cost"] = super::goals::cost_json(&rates);
    }
    entry
}

/// Metrics per slot of the day: `{"slot_minutes", "labels": ["00:00", ..],
/// "overall": {metric: {"mean": [..], "ci95": [..]}}, "tiers": {tier:
/// {metric: {..}}}}`; clients by the slot they arrived in, tiers by time.
fn slots(week: &crate::model::Week, summary: &ScenarioSummary) -> Value {
    use crate::model::metrics::{SLOT_CLIENT_METRICS, SLOT_TIER_METRICS};
    let series = |index: usize| {
        json!({
            "mean": summary.slots.iter().map(|s| number(s[index].mean)).collect::<Vec<_>>(),
            "ci95": summary.slots.iter().map(|s| number(s[index].ci95)).collect::<Vec<_>>(),
        })
    };
    let overall: Map<String, Value> = SLOT_CLIENT_METRICS
        .iter()
        .enumerate()
        .map(|(i, m)| (m.to_string(), series(i)))
        .collect();
    let tiers: Map<String, Value> = summary
        .tiers
        .iter()
        .enumerate()
        .map(|(t, (name, _))| {
            let base = SLOT_CLIENT_METRICS.len() + t * SLOT_TIER_METRICS.len();
            let metrics: Map<String, Value> = SLOT_TIER_METRICS
                .iter()
                .enumerate()
                .map(|(i, m)| (m.to_string(), series(base + i)))
                .collect();
            (name.clone(), Value::Object(metrics))
        })
        .collect();
    json!({
        "slot_minutes": week.slot_minutes,
        "labels": (0..week.slots()).map(|s| week.slot_label(s)).collect::<Vec<_>>(),
        "overall": overall,
        "tiers": tiers,
    })
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
