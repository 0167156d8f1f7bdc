//! Judging a run against its goals: each target's attainment (met, missed
//! or uncertain with 95% confidence) and the run's cost and value per hour.
//! The one place for these rules; `report` writes and draws the results,
//! `plan` searches on them. Definitions are in `model::targets`.
//!
//! `attainment` is `met` when the whole 95% CI is on the allowed side,
//! `missed` when it is wholly on the other side, else `uncertain`. Staff
//! cost per hour is Σ hourly × `servers_mean` of each staffed tier; revenue
//! per hour is the run's revenue (or sales × `cost.revenue_per_sale`) over
//! the counted hours (warm-up to horizon); net value is their difference.

use serde::{Deserialize, Serialize};

use super::ScenarioSummary;
use crate::engine::stats::Estimate;
use crate::model::Model;
use crate::model::targets::{Bound, Cost, Target};

/// Whether an estimate meets a target with 95% confidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Attainment {
    /// The whole 95% CI is on the allowed side.
    Met,
    /// The whole 95% CI is on the wrong side.
    Missed,
    /// The CI straddles the bound (or the metric is undefined).
    Uncertain,
}

impl Attainment {
    /// The name written in outputs: `met`, `missed` or `uncertain`.
    pub fn as_str(self) -> &'static str {
        match self {
            Attainment::Met => "met",
            Attainment::Missed => "missed",
            Attainment::Uncertain => "uncertain",
        }
    }
}

/// Whether estimate `e` is within `bound` with 95% confidence.
pub fn attainment(bound: Bound, e: Estimate) -> Attainment {
    if !e.mean.is_finite() {
        return Attainment::Uncertain;
    }
    let ci = if e.ci95.is_finite() { e.ci95 } else { 0.0 };
    if bound.slack(e.mean) - ci >= 0.0 {
        Attainment::Met
    } else if bound.slack(e.mean) + ci < 0.0 {
        Attainment::Missed
    } else {
        Attainment::Uncertain
    }
}

/// An estimate that is undefined (no replication had a value).
const UNDEFINED: Estimate = Estimate {
    mean: f64::NAN,
    ci95: f64::NAN,
    n: 0,
};

/// One target with the run's estimate of its metric.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetResult {
    /// The target.
    pub target: Target,
    /// The run's estimate of the metric.
    pub estimate: Estimate,
    /// Whether it is met with 95% confidence.
    pub attainment: Attainment,
}

/// Every target of a run, checked against its summary.
pub fn check_targets(targets: &[Target], summary: &ScenarioSummary) -> Vec<TargetResult> {
    targets
        .iter()
        .map(|t| {
            let estimate = match t.group.strip_prefix("segment.") {
                Some(segment) => summary.segment(segment, t.metric),
                None => summary.overall(t.metric),
            }
            .unwrap_or(UNDEFINED);
            TargetResult {
                target: t.clone(),
                estimate,
                attainment: attainment(t.bound, estimate),
            }
        })
        .collect()
}

/// Staff cost of one staffed tier.
#[derive(Clone, Debug, PartialEq)]
pub struct TierCost {
    /// Tier name.
    pub name: String,
    /// Cost per server on duty per hour (for a tier with agent groups,
    /// the groups' rates averaged over their agents).
    pub hourly: f64,
    /// Staff cost per hour of the run (hourly × mean servers on duty).
    pub staff_per_hour: f64,
}

/// Cost and value per hour of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct CostRates {
    /// Staff cost per hour, all tiers.
    pub staff_per_hour: Estimate,
    /// Per staffed tier, in model order.
    pub tiers: Vec<TierCost>,
    /// Revenue per hour.
    pub revenue_per_hour: Estimate,
    /// Revenue less staff cost, per hour.
    pub net_value_per_hour: Estimate,
}

/// Cost and value per hour of a run of `model` summarised in `summary`.
pub fn cost_rates(cost: &Cost, model: &Model, summary: &ScenarioSummary) -> CostRates {
    let mut tiers = Vec::new();
    let mut staff = 0.0;
    for (t, tier) in model.tiers.iter().enumerate() {
        if tier.servers.is_unlimited() {
            continue;
        }
        let servers = summary
            .tier(&tier.name, "servers_mean")
            .map_or(f64::NAN, |e| e.mean);
        // Agent groups (always on duty) each at their own rate; the tier's
        // `hourly` is then their mean rate per agent.
        let (hourly, per_hour) = match &tier.groups {
            Some(groups) => {
                let per_hour: f64 = (0..groups.groups.len())
                    .map(|g| cost.group_rate(t, g) * f64::from(groups.groups[g].servers))
                    .sum();
                (per_hour / f64::from(groups.servers().max(1)), per_hour)
            }
            None => (cost.hourly[t], cost.hourly[t] * servers),
        };
        staff += per_hour;
        tiers.push(TierCost {
            name: tier.name.clone(),
            hourly,
            staff_per_hour: per_hour,
        });
    }
    let hours = (model.run.horizon - model.run.warmup) / 60.0;
    let per_hour = |e: Option<Estimate>, factor: f64| {
        e.map_or(UNDEFINED, |e| Estimate {
            mean: e.mean * factor / hours,
            ci95: e.ci95 * factor / hours,
            n: e.n,
        })
    };
    let revenue = match cost.revenue_per_sale {
        Some(r) => per_hour(summary.overall("sales"), r),
        None => per_hour(summary.overall("revenue"), 1.0),
    };
    CostRates {
        // The roster is fixed, so staff cost has no sampling error.
        staff_per_hour: Estimate {
            mean: staff,
            ci95: 0.0,
            n: summary.replications as u64,
        },
        tiers,
        net_value_per_hour: Estimate {
            mean: revenue.mean - staff,
            ..revenue
        },
        revenue_per_hour: revenue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(mean: f64, ci95: f64) -> Estimate {
        Estimate { mean, ci95, n: 10 }
    }

    #[test]
    fn attainment_needs_the_whole_interval_on_one_side() {
        // Binary-exact numbers, so that the edges are exact.
        let at_least = Bound::AtLeast(0.5);
        assert_eq!(attainment(at_least, e(0.75, 0.25)), Attainment::Met);
        assert_eq!(attainment(at_least, e(0.75, 0.375)), Attainment::Uncertain);
        assert_eq!(attainment(at_least, e(0.25, 0.125)), Attainment::Missed);
        assert_eq!(attainment(at_least, e(0.25, 0.25)), Attainment::Uncertain);
        let at_most = Bound::AtMost(0.05);
        assert_eq!(attainment(at_most, e(0.03, 0.01)), Attainment::Met);
        assert_eq!(attainment(at_most, e(0.07, 0.01)), Attainment::Missed);
        assert_eq!(attainment(at_most, e(f64::NAN, 0.0)), Attainment::Uncertain);
        assert_eq!(at_most.slack(0.03), 0.05 - 0.03);
        assert!(at_least.holds(0.5) && !at_most.holds(0.06));
    }
}
