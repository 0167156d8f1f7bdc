//! The serde mirror of a scenario file: every field as written, with its
//! span for error messages. Unknown fields are rejected here.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// A whole scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Scenario name.
    pub name: Spanned<String>,
    /// Run control.
    pub run: Spanned<RawRun>,
    /// Client segments.
    #[serde(default)]
    pub segment: Vec<Spanned<RawSegment>>,
    /// Tiers.
    #[serde(default)]
    pub tier: Vec<Spanned<RawTier>>,
    /// Parameter sweep: many scenarios from axes.
    pub sweep: Option<Spanned<RawSweep>>,
}

/// `[sweep]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSweep {
    /// `grid` (cartesian product) or `zip` (axes side by side).
    pub combine: Option<Spanned<String>>,
    /// Name of the point the others are compared with.
    pub baseline: Option<Spanned<String>>,
    /// The axes.
    #[serde(default)]
    pub axis: Vec<Spanned<RawAxis>>,
}

/// `[[sweep.axis]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAxis {
    /// Dotted path of the field to vary (`tier.junior.servers`).
    pub path: Spanned<String>,
    /// The values to take.
    pub values: Option<Spanned<Vec<toml::Value>>>,
    /// Or an evenly spaced range.
    pub range: Option<Spanned<RawRange>>,
}

/// `range = { start, stop, step }`: start, start + step, ... up to and
/// including stop.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRange {
    /// First value.
    pub start: Spanned<toml::Value>,
    /// Last value (included when the steps land on it).
    pub stop: Spanned<toml::Value>,
    /// Step, > 0.
    pub step: Spanned<toml::Value>,
}

/// `[run]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRun {
    /// Minutes.
    pub horizon: Spanned<f64>,
    /// Minutes.
    pub warmup: Option<Spanned<f64>>,
    /// Count.
    pub replications: Option<Spanned<u32>>,
    /// Scenario seed.
    pub seed: Option<Spanned<u64>>,
    /// Minutes.
    pub service_level_threshold: Option<Spanned<f64>>,
    /// Minutes after the horizon that clients inside may still finish.
    pub drain_limit: Option<Spanned<f64>>,
}

/// `[[segment]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSegment {
    /// Segment name.
    pub name: Spanned<String>,
    /// Poisson arrivals per hour.
    pub rate_per_hour: Spanned<f64>,
    /// Patience distribution.
    pub patience: Option<Spanned<RawDist>>,
    /// Smaller is served first.
    pub priority: Option<Spanned<i64>>,
    /// First tier.
    pub entry: Option<Spanned<String>>,
}

/// `[[tier]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTier {
    /// Tier name.
    pub name: Spanned<String>,
    /// Number of servers.
    pub servers: Spanned<u32>,
    /// Service-time distribution.
    pub service: Spanned<RawDist>,
    /// Per-segment overrides of `service`.
    pub service_by_segment: Option<BTreeMap<Spanned<String>, Spanned<RawDist>>>,
    /// Most clients waiting.
    pub queue_capacity: Option<Spanned<u32>>,
    /// Preemptive-resume priority.
    pub preemptive: Option<Spanned<bool>>,
    /// `priority` or `fifo`.
    pub discipline: Option<Spanned<String>>,
    /// Escalation routes.
    pub escalate: Option<Vec<Spanned<RawEscalation>>>,
}

/// One `{ to, probability }` of `escalate`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEscalation {
    /// Next tier.
    pub to: Spanned<String>,
    /// Probability.
    pub probability: Spanned<f64>,
}

/// A distribution: `{ dist = "...", ...parameters }`. Which parameters a
/// kind needs is checked in validation, for clearer messages than serde's.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    /// Kind of distribution.
    pub dist: Spanned<String>,
    /// Mean, minutes.
    pub mean: Option<Spanned<f64>>,
    /// Erlang phases.
    pub k: Option<Spanned<u32>>,
    /// Coefficient of variation.
    pub cv: Option<Spanned<f64>>,
    /// Uniform lower bound.
    pub low: Option<Spanned<f64>>,
    /// Uniform upper bound.
    pub high: Option<Spanned<f64>>,
    /// Empirical values.
    pub values: Option<Spanned<Vec<f64>>>,
}
