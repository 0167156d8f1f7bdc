//! The types of `summary.json` and `compare.json`, written and read back by
//! the same definitions so that keys cannot drift from values. The shape:
//!
//! ```text
//! {"tool": "tiersim", "version": "..", "scenarios": [
//!   {"name": .., "replications": R, "seed": S,
//!    "service_level_threshold": minutes, "parameters": {..},
//!    "stop_reason": "replications" | "precision" | "max_replications",
//!    "warnings": [..],
//!    "overall": {"<metric>": {"mean": x, "ci95": h}, ..},
//!    "segments": {"<segment>": {..}}, "tiers": {"<tier>": {..}},
//!    "requests": {"<request>": {..}},
//!    "wait_quantiles": {"p": [..], "overall": {"mean": [..], "ci95": [..]},
//!                       "segments": {"<segment>": {..}}},
//!    "slots": {"slot_minutes": M, "labels": ["00:00", ..],
//!              "overall": {"<metric>": {"mean": [..], "ci95": [..]}, ..},
//!              "tiers": {"<tier>": {"<metric>": {..}}}},
//!    "vs_baseline": {"<group>": {"<metric>": {"a", "b", "mean", "ci95",
//!                                             "significant", "variance_reduction"}}},
//!    "targets": [..], "cost": {..},
//!    "day_quantile": {"q": Q, "days": N,
//!                     "overall": {"<metric>": {"value", "ci95", "days", "day_mean"}}}}]}
//! ```
//!
//! One entry per point of a sweep (one for a plain run). Metrics keep the
//! order of `model::CLIENT_METRICS` and `model::TIER_METRICS`, groups the
//! order of the scenario file; a metric undefined in every replication (a
//! wait when nobody was served) is `null`. `requests` appears only for a
//! scenario with request types. `slots` appears only for a scenario with
//! a calendar or shifts, with one value per slot of the day
//! (`model::metrics::SLOT_CLIENT_METRICS` and `SLOT_TIER_METRICS`); clients
//! by the slot they arrived in, tiers by time. `vs_baseline` appears only
//! in a sweep with a baseline: groups `overall`, `segment.<name>` and
//! `tier.<name>`; per metric the baseline's mean (`a`), this point's (`b`),
//! the paired difference b − a (`mean`, `ci95`), whether its 95% CI
//! excludes 0 (`significant`) and the share of the difference's variance
//! removed by pairing (`variance_reduction`, `null` when undefined).
//! `targets` and `cost` appear only for a scenario with `[targets]` or
//! `[cost]` (see `goals`). `day_quantile` appears only for a run with
//! `--day-quantile Q`: the service level, abandonment and mean wait on the
//! Q-quantile day (`experiment::days`), beside the means in `overall`.
//!
//! `compare.json` is `{"tool", "version", "comparison": {"a", "b",
//! "replications", "seed", "common_random_numbers", "differences": {..}}}`
//! with the differences as in `vs_baseline`.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::format::{MeanCi, Metrics, Ordered, nullable, nullables};
use super::goals::{CostBlock, TargetRow};

/// The name every document of the tool carries in `tool`.
pub const TOOL: &str = "tiersim";

/// A sweep axis value of one point, as the report uses it.
#[derive(Clone, Debug, PartialEq)]
pub enum Param {
    /// A number (integers included).
    Number(f64),
    /// Anything else, as text (strings, booleans, tables as JSON).
    Text(String),
}

impl Param {
    /// The value as a number, if it is one.
    pub fn number(self) -> Option<f64> {
        match self {
            Param::Number(x) => Some(x),
            Param::Text(_) => None,
        }
    }

    /// The value as written in point names.
    pub fn label(self) -> String {
        match self {
            Param::Number(x) => format!("{x}"),
            Param::Text(s) => s,
        }
    }

    /// The value of a JSON parameter.
    pub fn of(v: &Value) -> Param {
        match v {
            Value::Number(n) => n
                .as_f64()
                .map_or_else(|| Param::Text(n.to_string()), Param::Number),
            Value::String(s) => Param::Text(s.clone()),
            other => Param::Text(other.to_string()),
        }
    }
}

/// One quantile or slot curve: a value per probability or per slot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    /// Mean over replications, NaN where undefined.
    #[serde(with = "nullables")]
    pub mean: Vec<f64>,
    /// 95% half-widths, NaN where undefined.
    #[serde(with = "nullables")]
    pub ci95: Vec<f64>,
}

/// The distribution of the total wait (`wait_quantiles`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaitQuantiles {
    /// Probabilities.
    pub p: Vec<f64>,
    /// All clients.
    pub overall: Curve,
    /// Per segment, in file order.
    pub segments: Ordered<Curve>,
}

/// Metrics per slot of the day (`slots`): each a [`Curve`] with one value
/// per slot. Any metric may be missing (a reader of an older or newer
/// summary draws what is there).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Slots {
    /// Minutes per slot.
    pub slot_minutes: f64,
    /// Slot start times (`00:00`, ...), one per slot.
    pub labels: Vec<String>,
    /// All clients, by the slot they arrived in.
    #[serde(default)]
    pub overall: Ordered<Curve>,
    /// Per tier, by time.
    #[serde(default)]
    pub tiers: Ordered<Ordered<Curve>>,
}

impl Slots {
    /// The overall metric `metric`, if the file has it.
    pub fn overall(&self, metric: &str) -> Option<&Curve> {
        self.overall.get(metric)
    }

    /// Metric `metric` of tier `tier`, if the file has it.
    pub fn tier(&self, tier: &str, metric: &str) -> Option<&Curve> {
        self.tiers.get(tier).and_then(|m| m.get(metric))
    }

    /// The start of slot `i`, in hours after midnight.
    pub fn start_hour(&self, i: usize) -> f64 {
        i as f64 * self.slot_minutes / 60.0
    }
}

/// One paired difference B − A.
#[derive(Clone, Debug, PartialEq)]
pub struct Diff {
    /// `overall`, `segment.<name>` or `tier.<name>`.
    pub group: String,
    /// Metric name.
    pub metric: String,
    /// Mean in A.
    pub a: f64,
    /// Mean in B.
    pub b: f64,
    /// Mean of B − A.
    pub mean: f64,
    /// 95% half-width of B − A.
    pub ci95: f64,
    /// The interval excludes zero.
    pub significant: bool,
    /// Share of variance removed by pairing (NaN when undefined).
    pub variance_reduction: f64,
}

impl Diff {
    fn values(&self) -> DiffValues {
        DiffValues {
            a: self.a,
            b: self.b,
            mean: self.mean,
            ci95: self.ci95,
            significant: self.significant,
            variance_reduction: self.variance_reduction,
        }
    }

    fn of(group: String, metric: String, v: DiffValues) -> Diff {
        Diff {
            group,
            metric,
            a: v.a,
            b: v.b,
            mean: v.mean,
            ci95: v.ci95,
            significant: v.significant,
            variance_reduction: v.variance_reduction,
        }
    }
}

/// The values of one paired difference, as written.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
struct DiffValues {
    /// Mean in A.
    #[serde(with = "nullable")]
    pub a: f64,
    /// Mean in B.
    #[serde(with = "nullable")]
    pub b: f64,
    /// Mean of B − A.
    #[serde(with = "nullable")]
    pub mean: f64,
    /// 95% half-width of B − A.
    #[serde(with = "nullable")]
    pub ci95: f64,
    /// The interval excludes zero.
    pub significant: bool,
    /// Share of variance removed by pairing (NaN when undefined).
    #[serde(with = "nullable")]
    pub variance_reduction: f64,
}

/// Paired differences, written as `{group: {metric: {..}}}` with groups in
/// order of first appearance.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Differences(pub Vec<Diff>);

impl<'a> IntoIterator for &'a Differences {
    type Item = &'a Diff;
    type IntoIter = std::slice::Iter<'a, Diff>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl std::ops::Deref for Differences {
    type Target = [Diff];
    fn deref(&self) -> &[Diff] {
        &self.0
    }
}

impl From<&[crate::experiment::Difference]> for Differences {
    fn from(diffs: &[crate::experiment::Difference]) -> Self {
        Differences(
            diffs
                .iter()
                .map(|d| Diff {
                    group: d.group.clone(),
                    metric: d.metric.to_string(),
                    a: d.a.mean,
                    b: d.b.mean,
                    mean: d.difference.mean,
                    ci95: d.difference.ci95,
                    significant: d.significant,
                    variance_reduction: d.variance_reduction,
                })
                .collect(),
        )
    }
}

impl Serialize for Differences {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut groups: Vec<(&str, Vec<(&str, DiffValues)>)> = Vec::new();
        for d in &self.0 {
            let entry = (d.metric.as_str(), d.values());
            match groups.iter_mut().find(|(g, _)| *g == d.group) {
                Some((_, metrics)) => metrics.push(entry),
                None => groups.push((&d.group, vec![entry])),
            }
        }
        let mut map = s.serialize_map(Some(groups.len()))?;
        for (group, metrics) in &groups {
            let metrics: Ordered<DiffValues> =
                metrics.iter().map(|(m, v)| (m.to_string(), *v)).collect();
            map.serialize_entry(group, &metrics)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Differences {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Differences;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of groups")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Differences, A::Error> {
                let mut out = Vec::new();
                while let Some((group, metrics)) =
                    map.next_entry::<String, Ordered<DiffValues>>()?
                {
                    for (metric, values) in metrics.0 {
                        out.push(Diff::of(group.clone(), metric, values));
                    }
                }
                Ok(Differences(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// One point's entry in `summary.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Point name (`path=value,...`, or the scenario name).
    pub name: String,
    /// Replications run.
    pub replications: u64,
    /// Scenario seed.
    pub seed: u64,
    /// Minutes within which service should start; `None` in summaries
    /// written before the key existed.
    #[serde(default)]
    pub service_level_threshold: Option<f64>,
    /// Axis values by path, in axis order.
    pub parameters: Ordered<Value>,
    /// Why the point stopped adding replications.
    pub stop_reason: String,
    /// Warnings about the design (load at or over capacity, ...).
    pub warnings: Vec<String>,
    /// All clients.
    pub overall: Metrics,
    /// Per segment.
    pub segments: Ordered<Metrics>,
    /// Per tier.
    pub tiers: Ordered<Metrics>,
    /// Per request type, for a scenario that names them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<Ordered<Metrics>>,
    /// Distribution of the total wait.
    pub wait_quantiles: WaitQuantiles,
    /// Metrics per slot of the day, for a scenario with a calendar or
    /// shifts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slots: Option<Slots>,
    /// Paired differences from the sweep's baseline point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vs_baseline: Option<Differences>,
    /// Each target's attainment, for a scenario with `[targets]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<Vec<TargetRow>>,
    /// Cost and value per hour, for a scenario with `[cost]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<CostBlock>,
    /// Share of arriving clients whose first tier is automated (a
    /// chatbot); written only when above 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub automated_first_share: f64,
    /// Per agent group (`<tier>.<group>`) and skill
    /// (`<tier>.<group>.<skill>`), for a scenario with `[[tier.group]]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Ordered<Metrics>>,
    /// Figures on the Q-quantile day, for a run with `--day-quantile Q`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_quantile: Option<DayQuantileBlock>,
}

/// `day_quantile` in `summary.json` (`experiment::days` defines it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayQuantileBlock {
    /// The share of days that do at least as well as the figures.
    pub q: f64,
    /// Days with counted clients, over all replications.
    pub days: u64,
    /// All clients: `service_level`, `abandon_rate`, `wait_mean` on the
    /// Q-quantile day.
    pub overall: Ordered<DayFigure>,
}

/// One metric on the Q-quantile day.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayFigure {
    /// The figure (an order statistic of the days' values).
    #[serde(with = "nullable")]
    pub value: f64,
    /// Half-width of its distribution-free 95% interval (the larger side).
    #[serde(with = "nullable")]
    pub ci95: f64,
    /// Days with a value.
    pub days: u64,
    /// The mean of the days' values (the like-for-like mean: `overall`
    /// pools each replication's clients and counts abandonment per
    /// contact, a day counts finished journeys).
    #[serde(with = "nullable")]
    pub day_mean: f64,
}

/// Whether `x` is 0 (a key left out of `summary.json`).
fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

impl Point {
    /// The value of axis `path`.
    pub fn parameter(&self, path: &str) -> Option<Param> {
        self.parameters.get(path).map(Param::of)
    }

    /// The scenario's `[targets]` floor on the overall service level, if
    /// it sets one.
    pub fn service_level_target(&self) -> Option<f64> {
        self.targets.iter().flatten().find_map(|t| {
            (t.group == "overall" && t.metric == "service_level" && t.bound == ">=")
                .then_some(t.value)
        })
    }

    /// Staff cost per hour, for a scenario with a `[cost]`.
    pub fn staff_per_hour(&self) -> Option<MeanCi> {
        self.cost.as_ref().map(|c| c.staff_per_hour)
    }
}

/// `summary.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Always `tiersim`.
    pub tool: String,
    /// The version that wrote it.
    pub version: String,
    /// One entry per point.
    pub scenarios: Vec<Point>,
}

/// The body of `compare.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Label of scenario A.
    pub a: String,
    /// Label of scenario B.
    pub b: String,
    /// Replications of each.
    pub replications: u64,
    /// Seed of both.
    pub seed: u64,
    /// Whether B used A's random streams.
    pub common_random_numbers: bool,
    /// Every paired difference B − A.
    pub differences: Differences,
}

/// `compare.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComparisonFile {
    /// Always `tiersim`.
    pub tool: String,
    /// The version that wrote it.
    pub version: String,
    /// The comparison.
    pub comparison: Comparison,
}
