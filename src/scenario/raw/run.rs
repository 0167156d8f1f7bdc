//! `[run]` and `[run.limits]`.

use serde::Deserialize;
use toml::Spanned;

use crate::scenario::duration::Minutes;

/// `[run]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRun {
    /// Minutes.
    pub horizon: Spanned<Minutes>,
    /// Minutes.
    pub warmup: Option<Spanned<Minutes>>,
    /// Count.
    pub replications: Option<Spanned<u32>>,
    /// Scenario seed.
    pub seed: Option<Spanned<u64>>,
    /// Minutes.
    pub service_level_threshold: Option<Spanned<Minutes>>,
    /// Minutes after the horizon that clients inside may still finish.
    pub drain_limit: Option<Spanned<Minutes>>,
    /// Most clients inside at once before a replication stops.
    pub max_clients_inside: Option<Spanned<u64>>,
    /// Overrides of the documented limits on a scenario's size.
    pub limits: Option<Spanned<RawLimits>>,
}

/// `[run.limits]`: each raises (or lowers) one documented limit.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLimits {
    /// Most replications.
    pub replications: Option<u64>,
    /// Most segments.
    pub segments: Option<u64>,
    /// Most tiers.
    pub tiers: Option<u64>,
    /// Most expected events per replication.
    pub events: Option<f64>,
    /// Most points of a `[sweep]`.
    pub points: Option<u64>,
}
