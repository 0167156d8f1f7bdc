//! Target attainment and cost of a run, from its summary: the `targets` and
//! `cost` blocks of `summary.json` (and of `plan.json`).
//!
//! ```text
//! "targets": [{"group": "overall", "metric": "service_level", "bound": ">=",
//!              "value": 0.8, "mean": x, "ci95": h, "attainment": "met"}, ..],
//! "cost": {"staff_per_hour": {"mean", "ci95"}, "revenue_per_hour": {..},
//!          "net_value_per_hour": {..}, "tiers": {"<tier>": {"hourly", "staff_per_hour"}}}
//! ```
//!
//! `attainment` is `met` when the whole 95% CI is on the allowed side,
//! `missed` when it is wholly on the other side, else `uncertain`. Staff
//! cost per hour is Σ hourly × `servers_mean` of each staffed tier; revenue
//! per hour is the run's revenue (or sales × `cost.revenue_per_sale`) over
//! the counted hours (warm-up to horizon); net value is their difference.

use serde_json::{Map, Value, json};

use super::json::number;
use crate::engine::stats::Estimate;
use crate::experiment::ScenarioSummary;
use crate::model::Model;
use crate::scenario::{Attainment, Cost, Target};

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
            .unwrap_or(Estimate {
                mean: f64::NAN,
                ci95: f64::NAN,
                n: 0,
            });
            TargetResult {
                target: t.clone(),
                estimate,
                attainment: t.attainment(estimate),
            }
        })
        .collect()
}

/// The `targets` block.
pub fn targets_json(results: &[TargetResult]) -> Value {
    Value::Array(
        results
            .iter()
            .map(|r| {
                json!({
                    "group": r.target.group,
                    "metric": r.target.metric,
                    "bound": r.target.bound.symbol(),
                    "value": r.target.bound.value(),
                    "mean": number(r.estimate.mean),
                    "ci95": number(r.estimate.ci95),
                    "attainment": r.attainment.as_str(),
                })
            })
            .collect(),
    )
}

/// Cost and value per hour of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct CostRates {
    /// Staff cost per hour, all tiers.
    pub staff_per_hour: Estimate,
    /// Per staffed tier: (name, hourly cost, staff cost per hour).
    pub tiers: Vec<(String, f64, f64)>,
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
        if tier.unlimited {
            continue;
        }
        let servers = summary
            .tier(&tier.name, "servers_mean")
            .map_or(f64::NAN, |e| e.mean);
        let per_hour = cost.hourly[t] * servers;
        staff += per_hour;
        tiers.push((tier.name.clone(), cost.hourly[t], per_hour));
    }
    let hours = (model.run.horizon - model.run.warmup) / 60.0;
    let per_hour = |e: Option<Estimate>, factor: f64| {
        e.map_or(
            Estimate {
                mean: f64::NAN,
                ci95: f64::NAN,
                n: 0,
            },
            |e| Estimate {
                mean: e.mean * factor / hours,
                ci95: e.ci95 * factor / hours,
                n: e.n,
            },
        )
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

/// The `cost` block.
pub fn cost_json(c: &CostRates) -> Value {
    let e = |e: &Estimate| json!({"mean": number(e.mean), "ci95": number(e.ci95)});
    let tiers: Map<String, Value> = c
        .tiers
        .iter()
        .map(|(name, hourly, per_hour)| {
            (
                name.clone(),
                json!({"hourly": number(*hourly), "staff_per_hour": number(*per_hour)}),
            )
        })
        .collect();
    json!({
        "staff_per_hour": e(&c.staff_per_hour),
        "revenue_per_hour": e(&c.revenue_per_hour),
        "net_value_per_hour": e(&c.net_value_per_hour),
        "tiers": tiers,
    })
}
