//! Individual agents of a group: a service-time factor drawn once per
//! agent per replication (`agent_speed`), and new hires who join a group
//! at a given week and ramp up along an efficiency curve (`new_hires`).
//! A group without either has identical agents, as before.

use super::week::WEEK;
use crate::engine::Dist;

/// Minutes in one step of a tenure curve measured in months: four weeks,
/// so that monthly steps fall on week boundaries (and the per-week rows
/// show them whole).
pub const MONTH: f64 = 4.0 * WEEK;

/// New hires joining a group: `count` agents on duty from the start of
/// week `start_week` (week 0 is the run's first), serving at
/// `efficiency_curve[k]` in their k-th step after joining (service time /
/// efficiency), the last value from then on.
#[derive(Clone, Debug, PartialEq)]
pub struct NewHires {
    /// Agents hired.
    pub count: u32,
    /// The week they join (0: from the start).
    pub start_week: u32,
    /// Efficiency per step after joining, each in (0, 1.5].
    pub efficiency_curve: Vec<f64>,
    /// Minutes per step of the curve: a week or a month ([`MONTH`]).
    pub step_minutes: f64,
}

impl NewHires {
    /// The minute the hires join.
    pub fn joins_at(&self) -> f64 {
        f64::from(self.start_week) * WEEK
    }

    /// Their efficiency in step `k` after joining (the last value after
    /// the curve's end).
    pub fn efficiency(&self, k: usize) -> f64 {
        let last = self.efficiency_curve.len().saturating_sub(1);
        self.efficiency_curve
            .get(k.min(last))
            .copied()
            .unwrap_or(1.0)
    }
}

/// How a group's agents differ from one another; the default (no draw, no
/// hires) is a group of identical agents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Agents {
    /// Each agent's service-time factor is drawn from this, once per agent
    /// per replication (`None`: every agent 1).
    pub speed: Option<Dist>,
    /// New hires joining the group during the run.
    pub new_hires: Option<NewHires>,
}

impl Agents {
    /// Whether the agents may differ (a drawn speed or new hires).
    pub fn individual(&self) -> bool {
        self.speed.is_some() || self.new_hires.is_some()
    }
}

/// Weeks that the per-week rows cover for a run of `horizon` minutes (at
/// least one; the last may be partial).
pub fn weeks(horizon: f64) -> usize {
    ((horizon / WEEK).ceil() as usize).max(1)
}
