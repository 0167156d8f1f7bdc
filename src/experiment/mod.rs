//! Experiments: running the points of a sweep (one scenario is a sweep of
//! one point) for as many replications as asked or as a precision needs,
//! with common random numbers across points and compared scenarios, and
//! summarising them as estimates with 95% confidence intervals.
//!
//! rayon lives here and nowhere below. Results never depend on the number of
//! threads: replication r of every point draws from streams keyed by
//! (seed, r, purpose), and results are gathered by (point, replication).

pub mod attribute;
pub mod attribute_sensitivity;
pub mod compare;
pub mod days;
pub mod finished;
pub mod goals;
pub mod journal;
pub mod journeys;
pub mod precision;
pub mod runner;

use rayon::prelude::*;

use crate::engine::stats::Estimate;
use crate::model::metrics::{
    GROUP_METRICS, SKILL_METRICS, WAIT_QUANTILES, WEEK_METRICS, agent_values, client_values,
    day_values, overall, request_values, slot_values, tier_values, wait_quantiles,
};
use crate::model::{
    CLIENT_METRICS, Model, REQUEST_METRICS, ReplicationResult, TIER_METRICS, simulate,
};

pub use compare::{Difference, paired};
pub use finished::FinishedPoints;
pub use journal::Journal;
pub use journeys::Journeys;
pub use precision::Precision;
pub use runner::{Done, Halt, PointResult, RunOptions, StopReason, run_points};

/// Named estimates, in the order of the metric list they come from.
pub type Metrics = Vec<(&'static str, Estimate)>;

/// The groups a scenario reports on: its segments, tiers and request
/// types, by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shape {
    /// Segment names in model order.
    pub segments: Vec<String>,
    /// Tier names in model order.
    pub tiers: Vec<String>,
    /// Request type names in model order; empty when the scenario declares
    /// none (one implicit type).
    pub requests: Vec<String>,
    /// Agent groups (`<tier>.<group>`) each followed by its skills
    /// (`<tier>.<group>.<skill>`), with their metric names; empty without
    /// `[[tier.group]]`.
    pub agents: Vec<(String, &'static [&'static str])>,
}

impl Shape {
    /// The groups of `model`.
    pub fn of(model: &Model) -> Shape {
        Shape {
            segments: model.segments.iter().map(|s| s.name.clone()).collect(),
            tiers: model.tiers.iter().map(|t| t.name.clone()).collect(),
            requests: if model.declares_requests() {
                model.requests.iter().map(|r| r.name.clone()).collect()
            } else {
                Vec::new()
            },
            agents: agent_rows(model),
        }
    }

    /// Every (group label, metric names) in output order: `overall`, then
    /// `segment.<name>`, then `tier.<name>`, then `request.<name>`, then
    /// `group.<tier>.<group>[.<skill>]`.
    pub fn groups(&self) -> Vec<(String, &'static [&'static str])> {
        let mut out: Vec<(String, &'static [&'static str])> =
            vec![("overall".into(), &CLIENT_METRICS)];
        out.extend(
            self.segments
                .iter()
                .map(|s| (format!("segment.{s}"), &CLIENT_METRICS[..])),
        );
        out.extend(
            self.tiers
                .iter()
                .map(|t| (format!("tier.{t}"), &TIER_METRICS[..])),
        );
        out.extend(
            self.requests
                .iter()
                .map(|r| (format!("request.{r}"), &REQUEST_METRICS[..])),
        );
        out.extend(self.agents.iter().map(|(a, m)| (format!("group.{a}"), *m)));
        out
    }
}

/// The rows of [`Shape::agents`] of `model`: each group, then its skills.
fn agent_rows(model: &Model) -> Vec<(String, &'static [&'static str])> {
    let mut out: Vec<(String, &'static [&'static str])> = Vec::new();
    for tier in &model.tiers {
        for g in tier.groups.iter().flat_map(|gs| &gs.groups) {
            let label = format!("{}.{}", tier.name, g.name);
            let skills = g
                .skills
                .iter()
                .map(|skill| (format!("{label}.{skill}"), &SKILL_METRICS[..]));
            out.push((label.clone(), &GROUP_METRICS[..]));
            out.extend(skills);
            if g.agents.new_hires.is_some() {
                let weeks = crate::model::agents::weeks(model.run.horizon);
                out.extend((0..weeks).map(|k| (format!("{label}.week{k}"), &WEEK_METRICS[..])));
            }
        }
    }
    out
}

/// One replication's metric values, in the orders of `CLIENT_METRICS` and
/// `TIER_METRICS`; NaN where a metric is undefined in that replication.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicationMetrics {
    /// All clients.
    pub overall: Vec<f64>,
    /// Per segment, in model order.
    pub segments: Vec<Vec<f64>>,
    /// Per tier, in model order.
    pub tiers: Vec<Vec<f64>>,
    /// Quantiles of the total wait at `model::metrics::WAIT_QUANTILES`:
    /// overall first, then per segment.
    pub wait_quantiles: Vec<Vec<f64>>,
    /// Per slot of the day (empty without a calendar): the values of
    /// `model::metrics::slot_values`.
    pub slots: Vec<Vec<f64>>,
    /// Per request type, in model order (empty when the scenario declares
    /// no request types).
    pub requests: Vec<Vec<f64>>,
    /// Mean wait of clients arriving in the first half of the counted
    /// window less that of the second half, minutes (NaN when undefined).
    pub warmup_drift: f64,
    /// Per row of [`Shape::agents`] (empty without agent groups).
    pub agents: Vec<Vec<f64>>,
    /// Per simulated day, the values of `model::metrics::DAY_METRICS`
    /// (empty unless `run.day_quantile` kept days).
    pub days: Vec<Vec<f64>>,
}

impl ReplicationMetrics {
    /// The metrics of one replication's raw counts.
    pub fn of(result: &ReplicationResult) -> Self {
        let all = overall(&result.segments);
        ReplicationMetrics {
            warmup_drift: all.wait_halves[0].mean() - all.wait_halves[1].mean(),
            requests: result
                .requests
                .iter()
                .map(|r| request_values(r).to_vec())
                .collect(),
            wait_quantiles: std::iter::once(&all)
                .chain(&result.segments)
                .map(wait_quantiles)
                .collect(),
            slots: slot_values(result),
            overall: client_values(&all).to_vec(),
            segments: result
                .segments
                .iter()
                .map(|s| client_values(s).to_vec())
                .collect(),
            tiers: result
                .tiers
                .iter()
                .map(|t| tier_values(t).to_vec())
                .collect(),
            agents: agent_values(result),
            days: day_values(result),
        }
    }

    /// All values flattened in the order of [`Shape::groups`].
    pub fn flat(&self) -> impl Iterator<Item = f64> + '_ {
        self.overall
            .iter()
            .chain(self.segments.iter().flatten())
            .chain(self.tiers.iter().flatten())
            .chain(self.requests.iter().flatten())
            .chain(self.agents.iter().flatten())
            .copied()
    }
}

/// Everything a run of one scenario (one point) found.
#[derive(Clone, Debug)]
pub struct ScenarioSummary {
    /// Scenario (point) name.
    pub name: String,
    /// Replications run.
    pub replications: u32,
    /// All clients.
    pub overall: Metrics,
    /// Per segment, in model order.
    pub segments: Vec<(String, Metrics)>,
    /// Per tier, in model order.
    pub tiers: Vec<(String, Metrics)>,
    /// Per request type, in model order (empty when the scenario declares
    /// none).
    pub requests: Vec<(String, Metrics)>,
    /// First-half less second-half mean wait over replications (see
    /// [`ReplicationMetrics::warmup_drift`]).
    pub warmup_drift: Estimate,
    /// The total wait's quantiles at `model::metrics::WAIT_QUANTILES`,
    /// each an estimate over replications: overall first, then per segment.
    pub wait_quantiles: Vec<Vec<Estimate>>,
    /// Per slot of the day, estimates of the values of
    /// `model::metrics::slot_values` (empty without a calendar).
    pub slots: Vec<Vec<Estimate>>,
    /// Per row of [`Shape::agents`] (empty without agent groups).
    pub agents: Vec<(String, Metrics)>,
    /// Every simulated day's values of `model::metrics::DAY_METRICS`,
    /// replication by replication (empty unless days were kept): what
    /// [`days::DayQuantile`] is read from.
    pub days: Vec<Vec<f64>>,
}

/// Runs every replication of `model` (in parallel on the current rayon
/// pool) and returns the raw results in replication order.
pub fn replicate(model: &Model) -> Vec<ReplicationResult> {
    (0..model.run.replications)
        .into_par_iter()
        .map(|r| simulate(model, r))
        .collect()
}

/// Runs `model` for its replications and summarises it.
pub fn run(model: &Model) -> ScenarioSummary {
    let metrics: Vec<ReplicationMetrics> = replicate(model)
        .iter()
        .map(ReplicationMetrics::of)
        .collect();
    summarise(&model.name, &Shape::of(model), &metrics)
}

/// Estimates from per-replication metrics: each metric's mean and 95%
/// Student-t half-width across replications.
pub fn summarise(
    name: &str,
    shape: &Shape,
    replications: &[ReplicationMetrics],
) -> ScenarioSummary {
    let column =
        |select: &dyn Fn(&ReplicationMetrics) -> &[f64], names: &[&'static str]| -> Metrics {
            names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    (
                        *n,
                        Estimate::from_values(replications.iter().map(|r| select(r)[i])),
                    )
                })
                .collect()
        };
    ScenarioSummary {
        name: name.to_string(),
        replications: replications.len() as u32,
        overall: column(&|r| &r.overall, &CLIENT_METRICS),
        segments: shape
            .segments
            .iter()
            .enumerate()
            .map(|(s, n)| (n.clone(), column(&|r| &r.segments[s], &CLIENT_METRICS)))
            .collect(),
        tiers: shape
            .tiers
            .iter()
            .enumerate()
            .map(|(t, n)| (n.clone(), column(&|r| &r.tiers[t], &TIER_METRICS)))
            .collect(),
        warmup_drift: Estimate::from_values(replications.iter().map(|r| r.warmup_drift)),
        requests: shape
            .requests
            .iter()
            .enumerate()
            .map(|(q, n)| (n.clone(), column(&|r| &r.requests[q], &REQUEST_METRICS)))
            .collect(),
        slots: (0..replications.first().map_or(0, |r| r.slots.len()))
            .map(|s| {
                (0..replications[0].slots[s].len())
                    .map(|i| Estimate::from_values(replications.iter().map(|r| r.slots[s][i])))
                    .collect()
            })
            .collect(),
        agents: shape
            .agents
            .iter()
            .enumerate()
            .map(|(a, (n, names))| (n.clone(), column(&|r| &r.agents[a], names)))
            .collect(),
        days: replications
            .iter()
            .flat_map(|r| r.days.iter().cloned())
            .collect(),
        wait_quantiles: (0..=shape.segments.len())
            .map(|g| {
                (0..WAIT_QUANTILES.len())
                    .map(|q| {
                        Estimate::from_values(replications.iter().map(|r| r.wait_quantiles[g][q]))
                    })
                    .collect()
            })
            .collect(),
    }
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

    /// Where slot metric `name` of all clients (`tier` `None`) or of tier
    /// `tier` (model order) is in each slot's values (laid out as
    /// `model::metrics::slot_values` says); `None` for an unknown name.
    pub fn slot_position(tier: Option<usize>, name: &str) -> Option<usize> {
        use crate::model::metrics::{SLOT_CLIENT_METRICS, SLOT_TIER_METRICS};
        match tier {
            None => SLOT_CLIENT_METRICS.iter().position(|m| *m == name),
            Some(t) => SLOT_TIER_METRICS
                .iter()
                .position(|m| *m == name)
                .map(|i| SLOT_CLIENT_METRICS.len() + t * SLOT_TIER_METRICS.len() + i),
        }
    }

    /// Slot metric `name` of all clients (`tier` `None`) or of tier `tier`
    /// in every slot of the day; empty without slots or for an unknown
    /// name.
    pub fn slot_series(&self, tier: Option<usize>, name: &str) -> Vec<Estimate> {
        match Self::slot_position(tier, name) {
            Some(i) => self
                .slots
                .iter()
                .filter_map(|s| s.get(i).copied())
                .collect(),
            None => Vec::new(),
        }
    }

    /// Slot metric `name` of all clients (`tier` `None`) or of tier `tier`
    /// in slot `slot`.
    pub fn slot(&self, slot: usize, tier: Option<usize>, name: &str) -> Option<Estimate> {
        let i = Self::slot_position(tier, name)?;
        self.slots.get(slot)?.get(i).copied()
    }

    /// The estimate of metric `name` for request type `request`.
    pub fn request(&self, request: &str, name: &str) -> Option<Estimate> {
        self.requests
            .iter()
            .find(|(r, _)| r == request)
            .and_then(|(_, m)| find(m, name))
    }

    /// Every group with its metrics, in the order of [`Shape::groups`].
    pub fn groups(&self) -> Vec<(String, &Metrics)> {
        let mut out = vec![("overall".to_string(), &self.overall)];
        out.extend(
            self.segments
                .iter()
                .map(|(n, m)| (format!("segment.{n}"), m)),
        );
        out.extend(self.tiers.iter().map(|(n, m)| (format!("tier.{n}"), m)));
        out.extend(
            self.requests
                .iter()
                .map(|(n, m)| (format!("request.{n}"), m)),
        );
        out.extend(self.agents.iter().map(|(n, m)| (format!("group.{n}"), m)));
        out
    }
}

/// Share of the mean wait by which the two halves of the counted window may
/// differ before the warm-up is called too short.
const WARMUP_DRIFT: f64 = 0.05;

/// Warnings only a run can give: a warm-up that looks too short. Without a
/// calendar the arrival process and staffing are stationary, so clients
/// arriving in the first and second halves of the counted window should
/// wait alike; a difference whose 95% CI excludes 0 and that exceeds 5% of
/// the mean wait says the start-up transient (an empty system at time 0)
/// is still in the results. Models with a calendar vary by design and are
/// not checked.
pub fn run_warnings(model: &Model, summary: &ScenarioSummary) -> Vec<String> {
    let drift = summary.warmup_drift;
    let wait = summary.overall("wait_mean").map_or(f64::NAN, |e| e.mean);
    if model.week.is_some() || drift.n < 2 || !drift.mean.is_finite() || !wait.is_finite() {
        return Vec::new();
    }
    if drift.mean.abs() > drift.ci95 && drift.mean.abs() > WARMUP_DRIFT * wait {
        vec![format!(
            "warm-up looks too short: clients arriving in the first half of the counted window \
             (after run.warmup = {} min) waited {:.3} ± {:.3} min (95% CI) {} than those in the \
             second half, against a mean wait of {:.3} min; lengthen run.warmup (or the horizon)",
            model.run.warmup,
            drift.mean.abs(),
            drift.ci95,
            if drift.mean < 0.0 { "less" } else { "more" },
            wait
        )]
    } else {
        Vec::new()
    }
}

fn find(metrics: &Metrics, name: &str) -> Option<Estimate> {
    metrics.iter().find(|(n, _)| *n == name).map(|(_, e)| *e)
}
