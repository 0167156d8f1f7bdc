//! Target attainment and cost of a run as written: the `targets` and `cost`
//! blocks of `summary.json` (and `targets` of `plan.json`). Judging is
//! `experiment::goals`; this module only gives the results their shape.
//!
//! ```text
//! "targets": [{"group": "overall", "metric": "service_level", "bound": ">=",
//!              "value": 0.8, "mean": x, "ci95": h, "attainment": "met"}, ..],
//! "cost": {"staff_per_hour": {"mean", "ci95"}, "revenue_per_hour": {..},
//!          "net_value_per_hour": {..}, "tiers": {"<tier>": {"hourly", "staff_per_hour"}}}
//! ```

use serde::{Deserialize, Serialize};

use super::format::{MeanCi, Ordered, nullable};
use crate::experiment::goals::{Attainment, CostRates, TargetResult};

/// One target with the run's estimate, as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetRow {
    /// `overall` or `segment.<name>`.
    pub group: String,
    /// The metric bounded.
    pub metric: String,
    /// `>=` or `<=`.
    pub bound: String,
    /// The bound's value.
    pub value: f64,
    /// The run's mean.
    #[serde(with = "nullable")]
    pub mean: f64,
    /// Its 95% half-width.
    #[serde(with = "nullable")]
    pub ci95: f64,
    /// `met`, `missed` or `uncertain`.
    pub attainment: Attainment,
}

impl From<&TargetResult> for TargetRow {
    fn from(r: &TargetResult) -> Self {
        TargetRow {
            group: r.target.group.clone(),
            metric: r.target.metric.to_string(),
            bound: r.target.bound.symbol().to_string(),
            value: r.target.bound.value(),
            mean: r.estimate.mean,
            ci95: r.estimate.ci95,
            attainment: r.attainment,
        }
    }
}

/// The `targets` block.
pub fn target_rows(results: &[TargetResult]) -> Vec<TargetRow> {
    results.iter().map(TargetRow::from).collect()
}

/// One staffed tier's cost, as written.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierCostRow {
    /// Cost per server on duty per hour.
    #[serde(with = "nullable")]
    pub hourly: f64,
    /// Staff cost per hour of the run.
    #[serde(with = "nullable")]
    pub staff_per_hour: f64,
}

/// The `cost` block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostBlock {
    /// Staff cost per hour, all tiers.
    pub staff_per_hour: MeanCi,
    /// Revenue per hour.
    pub revenue_per_hour: MeanCi,
    /// Revenue less staff cost, per hour.
    pub net_value_per_hour: MeanCi,
    /// Per staffed tier.
    pub tiers: Ordered<TierCostRow>,
}

impl From<&CostRates> for CostBlock {
    fn from(c: &CostRates) -> Self {
        CostBlock {
            staff_per_hour: c.staff_per_hour.into(),
            revenue_per_hour: c.revenue_per_hour.into(),
            net_value_per_hour: c.net_value_per_hour.into(),
            tiers: c
                .tiers
                .iter()
                .map(|t| {
                    (
                        t.name.clone(),
                        TierCostRow {
                            hourly: t.hourly,
                            staff_per_hour: t.staff_per_hour,
                        },
                    )
                })
                .collect(),
        }
    }
}
