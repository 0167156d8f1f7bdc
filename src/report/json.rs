//! The JSON documents' writing: `summary.json` from the summaries of a
//! run (its types and shape are in [`super::summary`]), and the envelope
//! every document of the tool shares: `{"tool": "tiersim", "version": ..,
//! "<key>": ..}`, pretty-printed and ending in a newline.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::Value;

use super::format::{MeanCi, Metrics, Ordered};
use super::goals::{CostBlock, target_rows};
use super::summary::{
    Curve, DayFigure, DayQuantileBlock, Differences, Point, Slots, Summary, TOOL, WaitQuantiles,
};
use crate::engine::stats::Estimate;
use crate::experiment::goals::{check_targets, cost_rates};
use crate::experiment::{Difference, ScenarioSummary, StopReason};
use crate::scenario::Point as ScenarioPoint;

/// JSON has no NaN: an undefined value is `null`.
pub fn number(x: f64) -> Value {
    if x.is_finite() {
        Value::from(x)
    } else {
        Value::Null
    }
}

/// Metrics in their fixed order.
fn metrics(metrics: &crate::experiment::Metrics) -> Metrics {
    metrics
        .iter()
        .map(|(name, e)| (name.to_string(), MeanCi::from(*e)))
        .collect()
}

/// Named groups (segments or tiers) in model order.
fn groups(groups: &[(String, crate::experiment::Metrics)]) -> Ordered<Metrics> {
    groups
        .iter()
        .map(|(name, m)| (name.clone(), metrics(m)))
        .collect()
}

/// Paired differences B − A as written (`vs_baseline`, `compare.json`).
pub fn differences(differences: &[Difference]) -> Differences {
    Differences::from(differences)
}

/// One point's entry in `scenarios`.
pub fn point(
    point: &ScenarioPoint,
    summary: &ScenarioSummary,
    stop: StopReason,
    vs_baseline: Option<&[Difference]>,
) -> Point {
    let model = &point.scenario.model;
    let goals = &point.scenario.goals;
    let threshold = model.run.service_level_threshold;
    Point {
        name: summary.name.clone(),
        replications: u64::from(summary.replications),
        seed: model.run.seed,
        service_level_threshold: threshold.is_finite().then_some(threshold),
        parameters: point
            .parameters
            .iter()
            .map(|(path, v)| {
                let v = serde_json::to_value(v).expect("TOML values are JSON");
                (path.clone(), v)
            })
            .collect(),
        stop_reason: stop.as_str().to_string(),
        warnings: point
            .scenario
            .warnings
            .iter()
            .cloned()
            .chain(crate::experiment::run_warnings(model, summary))
            .collect(),
        overall: metrics(&summary.overall),
        segments: groups(&summary.segments),
        tiers: groups(&summary.tiers),
        requests: (!summary.requests.is_empty()).then(|| groups(&summary.requests)),
        wait_quantiles: wait_quantiles(summary),
        slots: model.week.as_ref().map(|week| slots(week, summary)),
        vs_baseline: vs_baseline.map(differences),
        targets: (!goals.targets.is_empty())
            .then(|| target_rows(&check_targets(&goals.targets, summary))),
        cost: goals
            .cost
            .as_ref()
            .map(|cost| CostBlock::from(&cost_rates(cost, model, summary))),
        automated_first_share: model.automated_first_share(),
        groups: (!summary.agents.is_empty()).then(|| groups(&summary.agents)),
        day_quantile: model
            .run
            .day_quantile
            .and_then(|q| summary.day_quantile(q))
            .map(|d| day_quantile(&d)),
    }
}

/// `day_quantile` as written.
fn day_quantile(d: &crate::experiment::days::DayQuantile) -> DayQuantileBlock {
    DayQuantileBlock {
        q: d.q,
        days: d.days,
        overall: d
            .overall
            .iter()
            .zip(&d.day_means)
            .map(|((name, e), &day_mean)| {
                let figure = DayFigure {
                    value: e.mean,
                    ci95: e.ci95,
                    days: e.n,
                    day_mean,
                };
                (name.to_string(), figure)
            })
            .collect(),
    }
}

/// A curve of estimates.
fn curve(values: impl Iterator<Item = Estimate> + Clone) -> Curve {
    Curve {
        mean: values.clone().map(|e| e.mean).collect(),
        ci95: values.map(|e| e.ci95).collect(),
    }
}

/// Metrics per slot of the day: clients by the slot they arrived in,
/// tiers by time.
fn slots(week: &crate::model::Week, summary: &ScenarioSummary) -> Slots {
    use crate::model::metrics::{SLOT_CLIENT_METRICS, SLOT_TIER_METRICS};
    let series = |tier: Option<usize>, names: &[&str]| -> Ordered<Curve> {
        names
            .iter()
            .map(|m| {
                (
                    m.to_string(),
                    curve(summary.slot_series(tier, m).into_iter()),
                )
            })
            .collect()
    };
    Slots {
        slot_minutes: week.slot_minutes,
        labels: (0..week.slots()).map(|s| week.slot_label(s)).collect(),
        overall: series(None, &SLOT_CLIENT_METRICS),
        tiers: summary
            .tiers
            .iter()
            .enumerate()
            .map(|(t, (name, _))| (name.clone(), series(Some(t), &SLOT_TIER_METRICS)))
            .collect(),
    }
}

/// The total wait's quantile function per client group.
fn wait_quantiles(summary: &ScenarioSummary) -> WaitQuantiles {
    let of = |q: &[Estimate]| curve(q.iter().copied());
    WaitQuantiles {
        p: crate::model::metrics::WAIT_QUANTILES.to_vec(),
        overall: of(&summary.wait_quantiles[0]),
        segments: summary
            .segments
            .iter()
            .zip(summary.wait_quantiles.iter().skip(1))
            .map(|((name, _), q)| (name.clone(), of(q)))
            .collect(),
    }
}

/// The envelope of a document: the tool's name and version, then `key`.
struct Envelope<'a, T> {
    key: &'a str,
    value: &'a T,
}

impl<T: Serialize> Serialize for Envelope<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("tool", TOOL)?;
        map.serialize_entry("version", env!("CARGO_PKG_VERSION"))?;
        map.serialize_entry(self.key, self.value)?;
        map.end()
    }
}

/// Pretty-printed JSON ending in a newline.
pub fn pretty<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("output types serialise");
    text.push('\n');
    text
}

/// A whole JSON document with the tool's name and version first,
/// pretty-printed and ending in a newline.
pub fn document<T: Serialize>(key: &str, value: T) -> String {
    pretty(&Envelope { key, value: &value })
}

/// The whole `summary.json`.
pub fn summary(scenarios: Vec<Point>) -> String {
    pretty(&Summary {
        tool: TOOL.to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenarios,
    })
}
