//! Running a scenario's replications in parallel and summarising them as
//! estimates with 95% confidence intervals. rayon lives here and nowhere
//! below; results do not depend on the number of threads because each
//! replication's streams depend only on (seed, replication) and results are
//! gathered in replication order.

use rayon::prelude::*;

use crate::engine::stats::Estimate;
use crate::model::metrics::{client_values, overall, tier_values};
use crate::model::{CLIENT_METRICS, Model, ReplicationResult, TIER_METRICS, simulate};

/// Named estimates, in the order of the metric list they come from.
pub type Metrics = Vec<(&'static str, Estimate)>;

/// Everything a run of one scenario found.
#[derive(Clone, Debug)]
pub struct ScenarioSummary {
    /// Scenario name.
    pub name: String,
    /// Replications run.
    pub replications: u32,
    /// All clients.
    pub overall: Metrics,
    /// Per segment, in model order.
    pub segments: Vec<(String, Metrics)>,
    /// Per tier, in model order.
    pub tiers: Vec<(String, Metrics)>,
    /// Events processed, summed over replications.
    pub events: u64,
}

/// Runs every replication of `model` (in parallel on the current rayon
/// pool) and returns the per-replication results in replication order.
pub fn replicate(model: &Model) -> Vec<ReplicationResult> {
    (0..model.run.replications)
        .into_par_iter()
        .map(|r| simulate(model, r))
        .collect()
}

/// Runs `model` and summarises it.
pub fn run(model: &Model) -> ScenarioSummary {
    summarise(model, &replicate(model))
}

/// Estimates from per-replication results: each metric's mean and 95%
/// Student-t half-width across replications.
pub fn summarise(model: &Model, results: &[ReplicationResult]) -> ScenarioSummary {
    let overall_values: Vec<_> = results
        .iter()
        .map(|r| client_values(&overall(&r.segments)))
        .collect();
    let segments = model
        .segments
        .iter()
        .enumerate()
        .map(|(s, seg)| {
            let values: Vec<_> = results
                .iter()
                .map(|r| client_values(&r.segments[s]))
                .collect();
            (seg.name.clone(), estimates(&CLIENT_METRICS, &values))
        })
        .collect();
    let tiers = model
        .tiers
        .iter()
        .enumerate()
        .map(|(t, tier)| {
            let values: Vec<_> = results.iter().map(|r| tier_values(&r.tiers[t])).collect();
            (tier.name.clone(), estimates(&TIER_METRICS, &values))
        })
        .collect();
    ScenarioSummary {
        name: model.name.clone(),
        replications: results.len() as u32,
        overall: estimates(&CLIENT_METRICS, &overall_values),
        segments,
        tiers,
        events: results.iter().map(|r| r.events).sum(),
    }
}

fn estimates<const N: usize>(names: &[&'static str; N], values: &[[f64; N]]) -> Metrics {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| (*name, Estimate::from_values(values.iter().map(|v| v[i]))))
        .collect()
}

impl ScenarioSummary {
    /// The overall estimate of metric `name`.
    pub fn overall(&self, name: &str) -> Option<Estimate> {
        find(&self.overall, name)
    }

    /// The estimate of metric `name` for segment `segment`.
    pub fn segment(&self, segment: &str, name: &str) -> Option<Estimate> {
        self.segments
            .iter()
            .find(|(s, _)| s == segment)
            .and_then(|(_, m)| find(m, name))
    }

    /// The estimate of metric `name` for tier `tier`.
    pub fn tier(&self, tier: &str, name: &str) -> Option<Estimate> {
        self.tiers
            .iter()
            .find(|(t, _)| t == tier)
            .and_then(|(_, m)| find(m, name))
    }
}

fn find(metrics: &Metrics, name: &str) -> Option<Estimate> {
    metrics.iter().find(|(n, _)| *n == name).map(|(_, e)| *e)
}
